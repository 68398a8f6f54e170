// Heavy-pollution warning in the browser (issue 13): a leader issues an orange warning from the
// console; the public air and forecast pages show it with the health advice (and the forecast); the demo enterprise finds it
// in its bell, opens its measures in the portal and confirms; staff see the confirmation count.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ACCOUNTS, startServer, launchBrowser, newPage, login, logout, screenshot, call } from '../lib.mjs'

let srv
let browser

before(async () => {
  srv = await startServer({ enterprises: 40 })
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
  if (srv) await srv.stop()
})

test('a leader issues a warning and an enterprise confirms its measures', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.leader, '/console')
  await page.goto('/console/response/warnings')
  await page.getByTestId('warning-proposal').waitFor()
  await page.getByTestId('warning-issue').click()
  await page.getByTestId('w-level').getByText('橙色预警').click()
  await page.getByTestId('w-reason').fill('浏览器测试：预计 3 天重度至严重污染')
  await page.getByTestId('w-save').click()
  await page.getByTestId('warning-active').getByText('橙色预警').waitFor()
  const active = (await call(page, 'GET', '/public/response/warning')).json.active
  assert.equal(active.level, 'orange')
  await screenshot(page, 'response-warning-issued')
  await logout(page)

  await page.goto('/air')
  await page.getByTestId('warning-banner').waitFor()
  await page.getByTestId('forecast-strip').waitFor()
  await page.goto('/air/forecast')
  const banner = page.getByTestId('warning-banner')
  await banner.waitFor()
  assert.equal(await banner.getAttribute('data-level'), 'orange')
  assert.match(await banner.textContent(), /橙色预警[\s\S]*建议措施/)

  await login(page, ACCOUNTS.ent, '/enterprise')
  await page.getByTestId('notif-bell').click()
  await page.getByTestId('notif-item').filter({ hasText: '橙色预警' }).first().click()
  await page.waitForURL((u) => u.pathname === '/enterprise/response')
  await page.getByTestId('my-measures').waitFor()
  assert.match(await page.getByTestId('my-measures').textContent(), /橙色预警/)
  await page.getByTestId('my-note').fill('已按橙色预警措施限产')
  await page.getByTestId('my-confirm').click()
  await page.getByTestId('my-confirmed').waitFor()
  await screenshot(page, 'response-enterprise-confirmed')
  await logout(page)

  await login(page, ACCOUNTS.staff, '/console')
  await page.goto(`/console/response/warnings/${active.id}`)
  await page.getByTestId('summary-figures').getByText('1 / 36').waitFor()
  assert.deepEqual(page.problems || [], [])
})
