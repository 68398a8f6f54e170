// The leader's home in the browser (issue 17 item 7): a leader lands on what is late or at risk —
// overdue and escalated 督办 items, alarms and cases, approvals near their deadline, today's AQI and
// the year's PM2.5 against its target — and each figure opens its list with the filter that shows
// those records. Staff keep the registry dashboard. Desktop and phone.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ACCOUNTS, startServer, launchBrowser, newPage, login, screenshot, call } from '../lib.mjs'

let srv
let browser

before(async () => {
  srv = await startServer()
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
  if (srv) await srv.stop()
})

const figure = async (page, id) => Number((await page.getByTestId(id).locator('b').innerText()).trim())

test('a leader lands on the late-and-at-risk page and each figure opens its filtered list', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.leader, '/console')
  await page.getByTestId('lh-tracker').waitFor()
  const home = (await call(page, 'GET', '/leader/home')).json
  assert.ok(home.tracker.overdue > 0, 'the demo has overdue items')
  assert.equal(await figure(page, 'lh-overdue'), home.tracker.overdue)
  assert.equal(await figure(page, 'lh-escalated'), home.tracker.escalated)
  assert.equal(await page.getByTestId('lh-item').count(), home.tracker.items.length)
  assert.equal(await figure(page, 'lh-alarms'), home.supervision.alarms_new)
  assert.equal(await figure(page, 'lh-app-overdue'), home.approval.overdue)
  assert.equal(await figure(page, 'lh-aqi'), home.air.aqi.aqi)
  await page.getByTestId('lh-target').getByText(String(home.air.year.target)).waitFor()
  await screenshot(page, 'leader-home')

  // Overdue → the tracker filtered to overdue items: as many rows, every one overdue.
  await page.getByTestId('lh-overdue').click()
  await page.waitForURL((u) => u.pathname === '/console/service/tracker' && u.searchParams.get('state') === 'overdue')
  const rows = page.locator('.el-table__body tr')
  await rows.first().waitFor()
  await page.waitForFunction((n) => document.querySelectorAll('.el-table__body tr').length === n, home.tracker.overdue)
  for (const text of await rows.allInnerTexts()) assert.match(text, /超期/)

  // Alarms to verify → the alarm list filtered to new alarms.
  await page.goBack()
  await page.getByTestId('lh-alarms').click()
  await page.waitForURL((u) => u.pathname === '/console/supervision/alarms' && u.searchParams.get('alarm_status') === 'new')
  await page.locator('.el-radio-button.is-active').first().getByText('待核实').waitFor()

  // An approval near its deadline → its case.
  await page.goBack()
  if (home.approval.items.length) {
    await page.getByTestId('lh-app').first().click()
    await page.waitForURL((u) => u.pathname === `/console/approval/applications/${home.approval.items[0].id}`)
  }
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('on a phone the page reads in one column without sideways scrolling', async () => {
  const page = await newPage(browser, srv.url, { viewport: { width: 390, height: 844 } })
  await login(page, ACCOUNTS.leader, '/console')
  await page.getByTestId('lh-air').waitFor()
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(wide <= 0, `the page is ${wide}px wider than the phone`)
  const boxes = await Promise.all(['lh-tracker', 'lh-supervision', 'lh-approval', 'lh-air'].map((id) => page.getByTestId(id).boundingBox()))
  for (let i = 1; i < boxes.length; i++) assert.ok(boxes[i].y > boxes[i - 1].y, 'one section under the other')
  await screenshot(page, 'leader-home-phone')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('staff keep the registry dashboard as their home', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  await page.getByTestId('stat-total').waitFor()
  assert.equal(await page.getByTestId('leader-home').count(), 0)
  await page.context().close()
})
