// Source apportionment in the browser: staff upload EPA's St. Louis files, watch the background
// run finish, see the charts and name the factors; a leader publishes; the public air page then
// shows "where our PM2.5 comes from".
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { readFileSync } from 'node:fs'
import { ACCOUNTS, startServer, launchBrowser, newPage, login, logout, screenshot, call } from '../lib.mjs'

let srv
let browser

before(async () => {
  srv = await startServer({ enterprises: 10 })
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
  if (srv) await srv.stop()
})

async function setNumber(page, testid, v) {
  const input = page.getByTestId(testid).locator('input')
  await input.fill(String(v))
  await input.blur()
}

test('upload, run with progress, charts, naming, publishing, public card', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  await page.goto('/console/pmf')
  await page.getByTestId('pmf-new').click()
  await page.getByTestId('pmf-title').fill('圣路易斯示例')
  await page.getByTestId('pmf-conc').setInputFiles(path.resolve('tests/data/pmf/Dataset-StLouis-con.csv'))
  await page.getByTestId('pmf-unc').setInputFiles(path.resolve('tests/data/pmf/StLouis-unc.xlsx')) // a workbook works as well
  await page.getByTestId('pmf-form').getByText('13 个组分').waitFor()
  await setNumber(page, 'pmf-factors', 4)
  await setNumber(page, 'pmf-runs', 2)
  await setNumber(page, 'pmf-bootstrap', 2)
  await page.getByTestId('pmf-submit').click()
  await page.waitForURL((u) => /\/console\/pmf\/\d+$/.test(u.pathname))
  await page.waitForFunction(() => document.querySelector('[data-testid=pmf-result-status]')?.textContent.trim() === '已完成', null, { timeout: 120_000 })
  for (const id of ['pmf-pie', 'pmf-profile-conc', 'pmf-profile-pct', 'pmf-contrib', 'pmf-residuals']) {
    await page.locator(`[data-testid=${id}][data-rendered="1"]`).waitFor()
  }
  assert.ok(Number(await page.getByTestId('pmf-qratio').innerText()) > 0)
  assert.equal(await page.getByTestId('pmf-runs-table').locator('tbody tr').count(), 2)
  await page.getByTestId('pmf-bootstrap').waitFor()
  const names = ['二次硫酸盐', '机动车', '工业', '扬尘']
  for (let i = 0; i < 4; i++) await page.getByTestId('pmf-name-' + i).fill(names[i])
  await page.getByTestId('pmf-save-names').click()
  await page.getByText('名称已确认').waitFor()
  assert.equal(await page.getByTestId('pmf-publish').count(), 0) // staff do not publish
  await screenshot(page, 'pmf-result')
  const url = page.url()
  await logout(page)

  await login(page, ACCOUNTS.leader, '/console')
  await page.goto(url)
  await page.getByTestId('pmf-publish').click()
  await page.getByText('已发布到公众空气页面').waitFor()
  assert.deepEqual(page.problems, [])
  await page.close()

  const pub = await newPage(browser, srv.url, { viewport: { width: 390, height: 844 } })
  await pub.goto('/air')
  await pub.getByTestId('pmf-public').waitFor()
  await pub.locator('[data-testid=pmf-public-pie][data-rendered="1"]').waitFor()
  const items = await pub.getByTestId('pmf-public-source').allInnerTexts()
  assert.deepEqual(items.map((s) => s.replace(/\s*[\d.]+%$/, '')), names)
  await pub.getByTestId('pmf-public').getByText('2001-').waitFor().catch(() => {})
  await screenshot(pub, 'pmf-public-phone')
  assert.deepEqual(pub.problems, [])
  await pub.close()
})

test('a factor-count sweep shows Q/Qexp beside bootstrap stability', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  const r = await call(page, 'POST', '/pmf/analyses', {
    title: '因子数筛选', conc: readFileSync('tests/data/pmf/Dataset-StLouis-con.csv', 'utf8'), unc: readFileSync('tests/data/pmf/Dataset-StLouis-unc.csv', 'utf8'),
    factors: 3, sweep_to: 5, runs: 1, bootstrap: 2, total: 'Mass',
  })
  assert.equal(r.status, 201)
  await page.goto(`/console/pmf/${r.json.id}`)
  await page.waitForFunction(() => document.querySelector('[data-testid=pmf-result-status]')?.textContent.trim() === '已完成', null, { timeout: 120_000 })
  await page.locator('[data-testid=pmf-sweep-chart][data-rendered="1"]').waitFor()
  assert.equal(await page.getByTestId('pmf-sweep').locator('tbody tr').count(), 3)
  assert.equal(await page.getByTestId('pmf-naming').count(), 0)
  await screenshot(page, 'pmf-sweep')
  assert.deepEqual(page.problems, [])
  await page.close()
})
