// Each role logs in through the real UI and sees exactly what it may use: the console menu per
// role, pages refused by role, the enterprise portal confined to its own enterprise; the public
// home and a failed login. One screenshot per role goes to build/screenshots/.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ACCOUNTS, startServer, launchBrowser, newPage, login, logout, navKeys, screenshot } from '../lib.mjs'

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

async function waitForDashboard(page) {
  // The headline count is filled from the API once the dashboard has loaded; the charts say
  // when they have drawn their data.
  await page.getByTestId('stat-total').locator('.eg-stat-value').filter({ hasText: /^\s*\d+\s*$/ }).waitFor()
  await page.locator('[data-testid="chart-district"][data-rendered="1"] canvas').waitFor()
  await page.locator('[data-testid="chart-industry"][data-rendered="1"] canvas').waitFor()
}

test('public home shows the bureau and works on a phone', async () => {
  const page = await newPage(browser, srv.url, { viewport: { width: 390, height: 844 } })
  await page.goto('/')
  const title = page.getByTestId('public-title')
  await title.waitFor()
  assert.match(await title.innerText(), /\S/)
  const contact = page.getByTestId('public-contact')
  await contact.getByText('电话').waitFor()
  assert.match(await contact.innerText(), /办公时间/)
  assert.ok(await page.getByTestId('public-link-login').isVisible())
  // Nothing wider than the phone's screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(overflow <= 1, 'page overflows the phone width by ' + overflow + 'px')
  await screenshot(page, 'public-phone')
  await page.getByTestId('public-link-login').click()
  await page.waitForURL((u) => u.pathname === '/login')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('anonymous visitors are sent to the login page', async () => {
  const page = await newPage(browser, srv.url)
  await page.goto('/console/enterprises')
  await page.waitForURL((u) => u.pathname === '/login')
  assert.equal(new URL(page.url()).searchParams.get('redirect'), '/console/enterprises')
  await page.context().close()
})

test('admin sees the whole console, including user administration', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.admin, '/console')
  const keys = await navKeys(page)
  for (const k of ['home', 'registry', 'enterprises', 'enterprise-new', 'enterprise-import', 'calendar', 'audit', 'system', 'users', 'sections']) {
    assert.ok(keys.includes(k), `admin menu lacks ${k}: ${keys}`)
  }
  await waitForDashboard(page)
  await screenshot(page, 'admin-console')

  await page.goto('/console/users')
  const table = page.getByTestId('user-table')
  for (const u of ['admin', 'leader', 'staff', 'staff2', 'ent']) await table.getByText(u, { exact: true }).first().waitFor()
  await screenshot(page, 'admin-users')

  await page.goto('/console/sections')
  await page.getByTestId('section-table').getByText('环评科').waitFor()
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('leader reads the registry and the audit log but administers nothing', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.leader, '/console')
  const keys = await navKeys(page)
  for (const k of ['home', 'enterprises', 'calendar', 'audit']) assert.ok(keys.includes(k), `leader menu lacks ${k}`)
  for (const k of ['users', 'sections', 'system', 'enterprise-new', 'enterprise-import']) assert.ok(!keys.includes(k), `leader menu has ${k}`)
  // A leader's console home is the page of what is late or at risk (issue 17 item 7).
  await page.getByTestId('lh-tracker').waitFor()
  await screenshot(page, 'leader-console')

  await page.goto('/console/enterprises')
  await page.getByTestId('enterprise-table').locator('tbody tr').first().waitFor()
  assert.equal(await page.getByTestId('enterprise-new').count(), 0, 'leader sees a create button')
  assert.ok(await page.getByTestId('enterprise-export').isVisible())

  // Pages outside the role lead back to the console home.
  await page.goto('/console/users')
  await page.waitForURL((u) => u.pathname === '/console')
  await page.goto('/console/enterprises/new')
  await page.waitForURL((u) => u.pathname === '/console')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('staff works the registry but sees neither the audit log nor user administration', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  const keys = await navKeys(page)
  for (const k of ['home', 'enterprises', 'enterprise-new', 'enterprise-import', 'calendar']) assert.ok(keys.includes(k), `staff menu lacks ${k}`)
  for (const k of ['audit', 'users', 'sections', 'system']) assert.ok(!keys.includes(k), `staff menu has ${k}`)
  await waitForDashboard(page)
  await screenshot(page, 'staff-console')

  await page.goto('/console/enterprises')
  await page.getByTestId('enterprise-table').locator('tbody tr').first().waitFor()
  assert.ok(await page.getByTestId('enterprise-new').isVisible())

  await page.goto('/console/audit')
  await page.waitForURL((u) => u.pathname === '/console')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('the enterprise user sees only its own enterprise and no console', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.ent, '/enterprise')
  const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me', { credentials: 'same-origin' })).json())
  assert.equal(me.user.role, 'enterprise')
  assert.ok(me.user.enterprise_id, 'enterprise user is bound to an enterprise')

  const name = page.getByTestId('enterprise-name')
  await name.waitFor()
  if (me.user.enterprise_name) assert.equal((await name.innerText()).trim(), me.user.enterprise_name)
  assert.equal(await page.getByTestId('console-nav').count(), 0)
  await screenshot(page, 'enterprise-portal')

  // The list API answers with its own enterprise only; another id is not found.
  const list = await page.evaluate(async () => (await fetch('/api/v1/enterprises?limit=50', { credentials: 'same-origin' })).json())
  assert.equal(list.items.length, 1)
  assert.equal(list.items[0].id, me.user.enterprise_id)
  const other = await page.evaluate(async (id) => (await fetch('/api/v1/enterprises/' + id, { credentials: 'same-origin' })).status, me.user.enterprise_id + 1)
  assert.equal(other, 404)

  // The console is not for enterprises: back to the portal.
  await page.goto('/console')
  await page.waitForURL((u) => u.pathname === '/enterprise')
  await page.goto('/console/enterprises/' + (me.user.enterprise_id + 1))
  await page.waitForURL((u) => u.pathname === '/enterprise')

  // It keeps its contacts up to date.
  await name.waitFor()
  await page.getByTestId('contact-add').click()
  const editor = page.getByTestId('contacts-editor')
  const rows = await editor.locator('.eg-contact-line').count()
  const i = rows - 1
  await page.getByTestId('contact-name-' + i).fill('环保专员李明')
  await page.getByTestId('contact-phone-' + i).fill('13800138000')
  await page.getByTestId('contact-role-' + i).fill('环保负责人')
  await page.getByTestId('contacts-save').click()
  await page.locator('.el-message--success').waitFor()
  const after = await page.evaluate(async (id) => (await fetch('/api/v1/enterprises/' + id, { credentials: 'same-origin' })).json(), me.user.enterprise_id)
  assert.ok(after.contacts.some((c) => c.name === '环保专员李明' && c.phone === '13800138000'))

  await logout(page)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

// Last, so the failed attempts (counted per account and per address by the login throttle)
// cannot affect the others.
test('a wrong password shows the API error; repeated failures show the throttling message', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, { username: 'nobody-here', password: 'wrong-password' })
  const err = page.getByTestId('login-error')
  await err.waitFor()
  assert.match(await err.innerText(), /用户名或密码错误/)
  assert.equal(new URL(page.url()).pathname, '/login')

  // Keep failing on one account until the server answers 429; the UI shows its message.
  let throttled = false
  for (let i = 0; i < 12 && !throttled; i++) {
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'))
    await page.getByTestId('login-username').fill('leader')
    await page.getByTestId('login-password').fill('not-the-password-' + i)
    await page.getByTestId('login-submit').click()
    throttled = (await answer).status() === 429
  }
  assert.ok(throttled, 'the login throttle answered 429')
  await err.getByText('尝试次数过多').waitFor()
  await screenshot(page, 'login-throttled')
  await page.context().close()
})
