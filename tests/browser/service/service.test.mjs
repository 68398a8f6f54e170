// Enterprise service through the UI: a staff member plans a visit, the enterprise confirms it in
// its portal and fills in the service form through its single-use link (a bad review), the bad
// review opens a follow-up in the tracker, a reception day takes a walk-in's issues (one answered
// on the spot, one committed), and the quarterly report and annual statistics show them.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ACCOUNTS, startServer, launchBrowser, newPage, login, logout, screenshot } from '../lib.mjs'

let srv
let browser
let visitId = null
let entName = ''

before(async () => {
  srv = await startServer({ enterprises: 30 })
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
  if (srv) await srv.stop()
})

/** Fills the input or textarea behind an Element Plus component with data-testid `id`. */
async function fill(page, id, value) {
  const el = page.getByTestId(id)
  const tag = await el.evaluate((e) => e.tagName)
  const target = tag === 'INPUT' || tag === 'TEXTAREA' ? el : el.locator('input, textarea').first()
  await target.fill(value)
}

async function choose(page, testId, { text, typed } = {}) {
  await page.getByTestId(testId).click()
  if (typed) await page.getByTestId(testId).locator('input').fill(typed)
  const opt = page.locator('.el-select__popper:visible .el-select-dropdown__item:visible', text ? { hasText: text } : {}).first()
  await opt.click()
  await page.keyboard.press('Escape')
}

test('staff plans a visit; the enterprise confirms it and fills the form through its link; the bad review opens a follow-up', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  entName = await page.evaluate(async () => (await (await fetch('/api/v1/enterprises/1')).json()).name)
  await page.goto('/console/service/visits')
  await page.getByTestId('visit-plan').click()
  await choose(page, 'visit-enterprise', { typed: entName.slice(0, 6), text: entName })
  await fill(page, 'visit-time', '2026-12-02 09:30')
  await page.keyboard.press('Enter')
  await choose(page, 'visit-staff', { text: '王环评' })
  await page.getByTestId('visit-save').click()
  await page.waitForURL(/\/console\/service\/visits\/\d+$/)
  visitId = Number(page.url().split('/').pop())
  await assert.doesNotReject(page.getByTestId('visit-status').filter({ hasText: '待确认' }).waitFor())
  await screenshot(page, 'service-visit-planned')
  await logout(page)

  await login(page, ACCOUNTS.ent, '/enterprise')
  await page.goto('/enterprise/service')
  await page.getByTestId('portal-confirm-' + visitId).click()
  await page.getByTestId('portal-visits').getByText('已确认').first().waitFor()
  await page.getByTestId('portal-fill-' + visitId).click()
  await page.waitForURL(/\/f\/[A-Za-z0-9_-]{43}$/)
  const link = page.url()
  await page.setViewportSize({ width: 390, height: 844 })
  await page.getByTestId('form-issue-add').click()
  await fill(page, 'form-issue-desc-0', '排污许可证变更办理时间太长')
  for (const [aspect, stars] of [['overall', 2], ['attitude', 3], ['professional', 3], ['efficiency', 1], ['solved', 2]]) {
    await page.getByTestId('form-rate-' + aspect).locator('.el-rate__item').nth(stars - 1).click()
  }
  await fill(page, 'form-evaluation', '等待时间过长')
  await fill(page, 'form-signer', '周晓明')
  await fill(page, 'form-phone', '13607980003')
  await screenshot(page, 'service-form-mobile')
  await page.getByTestId('form-submit').click()
  await page.getByTestId('form-done').waitFor()
  // The link is single-use.
  await page.goto(link)
  await page.getByTestId('form-error').waitFor()
  assert.match(await page.getByTestId('form-error').innerText(), /已使用|过期/)
  await page.setViewportSize({ width: 1366, height: 860 })
  await page.goto('/enterprise')
  await logout(page)

  await login(page, ACCOUNTS.staff, '/console')
  await page.goto('/console/service/visits/' + visitId)
  await page.getByTestId('visit-status').filter({ hasText: '已完成' }).waitFor()
  await page.getByTestId('visit-form').getByText('差评').first().waitFor()
  const items = await page.getByTestId('visit-items').innerText()
  assert.match(items, /差评整改/)
  await screenshot(page, 'service-visit-form')
  await page.goto('/console/service/tracker')
  await page.getByTestId('item-table').getByText('差评回访整改：' + entName).first().waitFor()
  await screenshot(page, 'service-tracker')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('a reception day takes issues; the quarterly report and annual statistics show them', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  const before = await page.evaluate(async () => (await (await fetch('/api/v1/service/annual?year=2026')).json()))
  await page.goto('/console/service/reception-days')
  await page.getByTestId('day-new').click()
  await fill(page, 'day-date', '2026-12-17')
  await page.keyboard.press('Enter')
  await fill(page, 'day-leaders', '李局长')
  await page.getByTestId('day-save').click()
  await page.getByTestId('day-detail').waitFor()
  await fill(page, 'walkin-name', '张秀英')
  await fill(page, 'walkin-org', '景瓷某陶瓷厂')
  await fill(page, 'walkin-phone', '13907980002')
  await fill(page, 'walkin-topic', '监测数据异常')
  await page.getByTestId('walkin-save').click()
  await page.getByTestId('day-detail').getByText('张秀英').first().waitFor()
  await fill(page, 'issue-desc', '在线监测设备校准规范咨询')
  await fill(page, 'issue-answer', '按 HJ 75 执行，已现场讲解')
  await page.getByTestId('issue-save').click()
  await page.getByTestId('day-issues').getByText('当场答复').first().waitFor()
  await fill(page, 'issue-desc', '数采仪通讯中断需协调运维')
  await page.getByTestId('issue-resolution').getByText('交办承诺').click()
  await choose(page, 'issue-section', { text: '执法支队' })
  await page.getByTestId('issue-save').click()
  await page.getByTestId('day-issues').getByText('交办承诺').first().waitFor()
  await screenshot(page, 'service-reception-day')

  await page.goto('/console/service/stats')
  await page.getByTestId('dash-figures').waitFor()
  await screenshot(page, 'service-dashboard')
  await page.getByText('季度调度', { exact: true }).click()
  await page.getByTestId('quarter-pick').getByText('第4季度').click()
  const row = page.getByTestId('quarterly-table').locator('tr', { hasText: '接待日交办：数采仪通讯中断需协调运维' })
  await row.waitFor()
  assert.match(await row.innerText(), /办理中/)
  await screenshot(page, 'service-quarterly')
  await page.getByText('年度统计', { exact: true }).click()
  const summary = await page.getByTestId('annual-summary').innerText()
  assert.match(summary, new RegExp(`举办接待日 ${before.days_held + 1} 次`))
  assert.match(summary, new RegExp(`现场受理问题 ${before.issues_taken + 2} 件`))
  assert.match(summary, new RegExp(`当场答复 ${before.answered_on_site + 1} 件`))
  await screenshot(page, 'service-annual')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
