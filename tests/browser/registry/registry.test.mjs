// The enterprise registry through the UI: a create refused for a bad credit code then accepted
// for a valid one, a Chinese search that finds it, the language switch (remembered across a
// reload), the audit log showing the create with an intact hash chain, and logout.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ACCOUNTS, startServer, launchBrowser, newPage, login, logout, screenshot, makeUscc } from '../lib.mjs'

let srv
let browser
const suffix = String(Date.now() % 100000).padStart(5, '0')
const NAME = '测试青瓷釉料有限公司' + suffix
const GOOD = makeUscc(70000000 + Number(suffix))
// Same code with a wrong check character.
const BAD = GOOD.slice(0, 17) + (GOOD[17] === '0' ? '1' : '0')
let createdId = null

before(async () => {
  srv = await startServer()
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
  if (srv) await srv.stop() // throws if the server crashed during the tests
})

/**
 * Opens the Element Plus select `testId`, optionally types `typed` into it (remote search), clicks
 * the first option containing `text` (any option when omitted), waits for the dropdown to close
 * and returns the option's text.
 */
async function choose(page, testId, { text, typed } = {}) {
  await page.getByTestId(testId).click()
  if (typed) await page.getByTestId(testId).locator('input').fill(typed)
  const opt = page.locator('.el-select__popper:visible .el-select-dropdown__item:visible', text ? { hasText: text } : {}).first()
  const label = (await opt.innerText()).trim()
  await opt.click()
  await page.waitForFunction(() => ![...document.querySelectorAll('.el-select__popper')].some((e) => getComputedStyle(e).display !== 'none'))
  return label
}

test('staff creates an enterprise: a bad credit code is refused, a valid one saved', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  await page.getByTestId('nav-registry').click()
  await page.getByTestId('nav-enterprise-new').click()
  await page.waitForURL((u) => u.pathname === '/console/enterprises/new')

  const uscc = page.getByTestId('field-uscc')
  await uscc.fill(BAD)
  const usccErr = page.getByTestId('uscc-error')
  await usccErr.waitFor()
  assert.match(await usccErr.innerText(), /校验码/)

  await page.getByTestId('field-name').fill(NAME)
  await page.getByTestId('field-legal-rep').fill('王建国')
  const district = await choose(page, 'field-district')
  await choose(page, 'field-town')
  await page.getByTestId('field-address').fill('陶瓷工业园区瓷都大道88号')
  await choose(page, 'field-industry', { typed: '陶瓷' })
  await choose(page, 'field-coord-system', { text: 'GCJ-02' })
  await page.getByTestId('field-lon').locator('input').fill('117.2146')
  await page.getByTestId('field-lat').locator('input').fill('29.2925')

  // Saving with the bad code is refused and says why.
  await page.getByTestId('enterprise-save').click()
  await page.locator('.el-form-item.is-error [data-testid="field-uscc"]').waitFor()
  assert.ok(await usccErr.isVisible())
  assert.equal(new URL(page.url()).pathname, '/console/enterprises/new')
  await screenshot(page, 'staff-enterprise-invalid-uscc')

  await uscc.fill(GOOD)
  await page.getByTestId('uscc-state').getByText('校验通过').waitFor()
  await page.getByTestId('enterprise-save').click()
  await page.waitForURL((u) => /^\/console\/enterprises\/\d+$/.test(u.pathname))
  createdId = Number(new URL(page.url()).pathname.split('/').pop())
  assert.equal((await page.getByTestId('enterprise-name').innerText()).trim(), NAME)
  assert.equal((await page.getByTestId('enterprise-uscc').innerText()).trim(), GOOD)
  const card = await page.getByTestId('enterprise-card').innerText()
  assert.ok(card.includes(district), 'detail shows the district')
  // GCJ-02 input is stored as WGS84: a few hundred metres away, not the same numbers.
  const ent = await page.evaluate(async (id) => (await fetch('/api/v1/enterprises/' + id)).json(), createdId)
  assert.ok(Math.abs(ent.lon - 117.2146) > 1e-4 && Math.abs(ent.lon - 117.2146) < 0.02, 'lon converted from GCJ-02: ' + ent.lon)

  // Edit: the form carries the version it edits; stored WGS84 coordinates do not drift.
  await page.getByTestId('enterprise-edit').click()
  await page.waitForURL((u) => u.pathname === `/console/enterprises/${createdId}/edit`)
  await page.getByTestId('field-uscc').waitFor()
  await page.waitForFunction(() => document.querySelector('[data-testid="field-legal-rep"]').value === '王建国')
  await page.getByTestId('field-legal-rep').fill('王建民')
  await page.getByTestId('enterprise-save').click()
  await page.waitForURL((u) => u.pathname === `/console/enterprises/${createdId}`)
  await page.getByTestId('enterprise-card').getByText('王建民').waitFor()
  const edited = await page.evaluate(async (id) => (await fetch('/api/v1/enterprises/' + id)).json(), createdId)
  assert.equal(edited.version, ent.version + 1)
  assert.ok(Math.abs(edited.lon - ent.lon) < 1e-6 && Math.abs(edited.lat - ent.lat) < 1e-6, 'coordinates unchanged by an edit')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('a Chinese search finds the new enterprise; paging and filters work', async () => {
  assert.ok(createdId, 'the create test ran first')
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff2, '/console')
  await page.goto('/console/enterprises')
  const table = page.getByTestId('enterprise-table')
  await table.locator('tbody tr').first().waitFor()
  // 61 enterprises: one page of 50 and a "more" button.
  assert.equal(await table.locator('tbody tr').count(), 50)
  await page.getByTestId('enterprise-more').click()
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="enterprise-table"] tbody tr').length > 50)

  await page.getByTestId('enterprise-search').fill('青瓷釉料')
  await page.getByTestId('enterprise-search-btn').click()
  await table.getByText(NAME).waitFor()
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="enterprise-table"] tbody tr').length === 1)
  await screenshot(page, 'staff-enterprise-search')

  // Exact credit code search.
  await page.getByTestId('enterprise-search').fill(GOOD)
  await page.getByTestId('enterprise-search-btn').click()
  await table.getByText(NAME).waitFor()

  // The export link carries the current filters.
  const href = await page.getByTestId('enterprise-export').getAttribute('href')
  assert.ok(href.startsWith('/api/v1/enterprises/export.xlsx?') && href.includes('q=' + GOOD), href)
  const res = await page.evaluate(async (h) => {
    const r = await fetch(h)
    return { status: r.status, type: r.headers.get('content-type') }
  }, href)
  assert.equal(res.status, 200)
  assert.match(res.type, /spreadsheetml|octet-stream/)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('the language switch turns the UI to English and is remembered', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  await page.getByTestId('nav-enterprises').getByText('企业名录').waitFor({ state: 'attached' })
  await page.getByTestId('lang-switch').click()
  await page.getByTestId('lang-en').click()
  await page.getByTestId('nav-calendar').getByText('Working calendar').waitFor()
  await page.reload()
  await page.getByTestId('nav-calendar').getByText('Working calendar').waitFor()
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en')
  await page.goto('/console/calendar')
  await page.getByTestId('calendar-months').waitFor()
  await screenshot(page, 'staff-calendar-en')
  await page.getByTestId('lang-switch').click()
  await page.getByTestId('lang-zh-CN').click()
  await page.getByTestId('nav-calendar').getByText('工作日历').waitFor()
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('admin sees the create in the audit log, the chain verifies, and logout ends the session', async () => {
  assert.ok(createdId, 'the create test ran first')
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.admin, '/console')
  await page.getByTestId('nav-audit').click()
  await page.waitForURL((u) => u.pathname === '/console/audit')
  const table = page.getByTestId('audit-table')
  await table.locator('tbody tr').first().waitFor()
  await page.getByTestId('audit-actor').fill('staff')
  await choose(page, 'audit-action', { text: '新增企业' })
  await page.getByTestId('audit-search').click()
  const row = table.locator('tbody tr', { hasText: NAME }).filter({ hasText: '新增企业' })
  await row.first().waitFor()
  assert.match(await row.first().innerText(), new RegExp('\\b' + createdId + '\\b'))
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-table"] tbody tr').length === 1)
  await page.getByTestId('audit-verify').click()
  const verdict = page.getByTestId('audit-verify-result')
  await verdict.waitFor()
  assert.match(await verdict.innerText(), /哈希链完整/)
  await screenshot(page, 'admin-audit')

  // The enterprise's own history is one click from its detail page.
  await page.goto('/console/enterprises/' + createdId)
  await page.getByTestId('enterprise-history').click()
  await page.waitForURL((u) => u.pathname === '/console/audit' && u.searchParams.get('entity_id') === String(createdId))
  await table.locator('tbody tr', { hasText: '新增企业' }).first().waitFor()

  await logout(page)
  await page.goto('/console')
  await page.waitForURL((u) => u.pathname === '/login')
  const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status)
  assert.equal(me, 401)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
