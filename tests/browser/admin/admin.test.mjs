// Administration through the UI: an admin creates a user who can then log in, disables them
// (their next login is refused), imports enterprises from CSV (bad rows reported by line, then
// skipped on request) and publishes a year's working calendar.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ACCOUNTS, startServer, launchBrowser, newPage, login, logout, screenshot, makeUscc } from '../lib.mjs'

let srv
let browser

before(async () => {
  srv = await startServer()
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
  if (srv) await srv.stop() // throws if the server crashed during the tests
})

async function choose(page, testId, text) {
  await page.getByTestId(testId).click()
  await page.locator('.el-select__popper:visible .el-select-dropdown__item:visible', { hasText: text }).first().click()
  await page.waitForFunction(() => ![...document.querySelectorAll('.el-select__popper')].some((e) => getComputedStyle(e).display !== 'none'))
}

test('admin creates a staff user who can log in, then disables them', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.admin, '/console')
  await page.goto('/console/users')
  await page.getByTestId('user-table').getByText('staff2', { exact: true }).waitFor()
  await page.getByTestId('user-create').click()
  await page.getByTestId('user-username').fill('inspector7')
  await page.getByTestId('user-display-name').fill('赵监察')
  await page.getByTestId('user-password').fill('Inspect@2026x')
  await choose(page, 'user-role', '科室工作人员')
  await choose(page, 'user-section', '执法支队')
  await screenshot(page, 'admin-user-create')
  await page.getByTestId('user-save').click()
  const row = page.getByTestId('user-table').locator('tbody tr', { hasText: 'inspector7' })
  await row.waitFor()
  assert.match(await row.innerText(), /赵监察/)
  assert.match(await row.innerText(), /执法支队/)

  const other = await newPage(browser, srv.url)
  await login(other, { username: 'inspector7', password: 'Inspect@2026x' }, '/console')
  await logout(other)

  await page.getByTestId('user-edit-inspector7').click()
  await page.getByTestId('user-disabled').click()
  await page.getByTestId('user-save').click()
  await row.getByText('已停用').waitFor()

  await login(other, { username: 'inspector7', password: 'Inspect@2026x' })
  await other.getByTestId('login-error').waitFor()
  assert.equal(new URL(other.url()).pathname, '/login')
  assert.deepEqual(page.problems, [])
  await other.context().close()
  await page.context().close()
})

test('admin binds a new enterprise user to an enterprise; that user sees it in the portal', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.admin, '/console')
  const target = (await page.evaluate(async () => (await fetch('/api/v1/enterprises?limit=5')).json())).items[3]
  await page.goto('/console/users')
  await page.getByTestId('user-table').getByText('staff2', { exact: true }).waitFor()
  await page.getByTestId('user-create').click()
  await page.getByTestId('user-username').fill('entfill9')
  await page.getByTestId('user-display-name').fill('企业填报员')
  await page.getByTestId('user-password').fill('EntFill@2026x')
  await choose(page, 'user-role', '企业用户')
  await page.getByTestId('user-enterprise').click()
  await page.getByTestId('user-enterprise').locator('input').fill(target.name.slice(2, 8))
  await page.locator('.el-select__popper:visible .el-select-dropdown__item:visible', { hasText: target.name }).first().click()
  await page.getByTestId('user-save').click()
  const row = page.getByTestId('user-table').locator('tbody tr', { hasText: 'entfill9' })
  await row.waitFor()
  assert.match(await row.innerText(), new RegExp(target.name))

  const ent = await newPage(browser, srv.url)
  await login(ent, { username: 'entfill9', password: 'EntFill@2026x' }, '/enterprise')
  await ent.getByTestId('enterprise-name').getByText(target.name).waitFor()
  assert.deepEqual(page.problems, [])
  assert.deepEqual(ent.problems, [])
  await ent.context().close()
  await page.context().close()
})

test('CSV import reports bad lines and imports nothing, then skips them on request', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  const meta = await page.evaluate(async () => (await fetch('/api/v1/meta')).json())
  const d = meta.districts[0]
  const good = makeUscc(81234567)
  const bad = makeUscc(81234568).slice(0, 17) + '0'
  const csv = [
    'uscc,name,legal_rep,address,district,town,lon,lat,industry_code,tags,permit_no,contact_name,contact_phone',
    `${good},导入测试陶瓷有限公司,钱一,${d.name}某路1号,${d.name},${d.towns[0]},117.21,29.30,C3074,重点排污单位,,孙二,13900000000`,
    `${bad === good ? good.slice(0, 17) + '1' : bad},导入测试错误公司,钱三,${d.name}某路2号,${d.name},${d.towns[0]},117.22,29.31,C3074,,,,`,
  ].join('\n') + '\n'
  await page.goto('/console/enterprises/import')
  await page.getByTestId('import-file').setInputFiles({ name: 'enterprises.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') })
  await page.getByTestId('import-submit').click()
  await page.getByTestId('import-failure').waitFor()
  const errors = page.getByTestId('import-errors')
  await errors.waitFor()
  assert.match(await errors.innerText(), /\b3\b/) // the bad row is line 3 of the file
  await screenshot(page, 'staff-import-errors')
  let found = await page.evaluate(async (q) => (await fetch('/api/v1/enterprises?q=' + q)).json(), good)
  assert.equal(found.items.length, 0, 'nothing imported from a file with errors')

  await page.getByTestId('import-skip').click()
  await page.getByTestId('import-submit').click()
  const result = page.getByTestId('import-result')
  await result.waitFor()
  assert.match(await result.innerText(), /成功 1 条，跳过 1 条/)
  found = await page.evaluate(async (q) => (await fetch('/api/v1/enterprises?q=' + q)).json(), good)
  assert.equal(found.items.length, 1)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('admin publishes a holiday in a new year of the working calendar', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.admin, '/console')
  await page.goto('/console/calendar')
  await page.getByTestId('calendar-months').waitFor()
  const year = page.getByTestId('calendar-year').locator('input')
  await year.fill('2030')
  await year.press('Enter')
  await page.getByTestId('calendar-known').getByText('尚未录入').waitFor()
  await page.locator('[data-date="2030-10-08"]').click()
  await page.locator('.el-message-box input').fill('国庆节')
  await page.locator('.el-message-box .el-button--primary').click()
  await page.locator('[data-date="2030-10-08"].eg-holiday').waitFor()
  await page.getByTestId('calendar-save').click()
  await page.getByTestId('calendar-known').getByText('已发布').waitFor()
  const cal = await page.evaluate(async () => (await fetch('/api/v1/calendar/2030')).json())
  assert.equal(cal.known, true)
  assert.ok(cal.days.some((x) => x.date === '2030-10-08' && x.kind === 'holiday'))
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('a year without its notice shows the statutory holidays; the admin is reminded to load it', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.admin, '/console')
  await page.goto('/console/calendar')
  await page.getByTestId('calendar-months').waitFor()
  // The reminder follows today's Beijing date (this year's notice missing, or
  // next year's from November on); the demo ships 2025 and 2026.
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)
  const y = Number(today.slice(0, 4)), m = Number(today.slice(5, 7))
  const known = (yy) => yy === 2025 || yy === 2026
  const want = !known(y) ? y : m >= 11 && !known(y + 1) ? y + 1 : null
  if (want === null) {
    await page.getByTestId('calendar-known').waitFor()
    assert.equal(await page.getByTestId('calendar-remind').count(), 0)
  } else {
    await page.getByTestId('calendar-remind').getByText(`${want} 年的国务院节假日安排通知尚未录入`).waitFor()
    if (want !== y) await page.getByTestId('calendar-remind-go').click()
  }
  const year = page.getByTestId('calendar-year').locator('input')
  await year.fill('2027')
  await year.press('Enter')
  await page.getByTestId('calendar-known').getByText('推算').waitFor()
  await page.locator('[data-date="2027-01-01"].eg-holiday').waitFor() // 元旦, a Friday
  await page.locator('[data-date="2027-02-09"].eg-holiday').waitFor() // 春节补假
  assert.equal(await page.locator('[data-date="2027-01-04"].eg-holiday').count(), 0)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
