// A citizen's booking on a phone (issue 17 item 11e): the phone field says what it takes; a 7-digit
// number is refused with the rule in words and nothing is booked; a landline with its area code is
// accepted.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ACCOUNTS, startServer, launchBrowser, newPage, login, screenshot, call } from '../lib.mjs'

let srv
let browser
before(async () => {
  srv = await startServer({ enterprises: 20 })
  browser = await launchBrowser()
})
after(async () => {
  if (browser) await browser.close()
  if (srv) await srv.stop()
})

test('a 7-digit phone is refused on the public booking page; a landline with area code is booked', async () => {
  const staff = await newPage(browser, srv.url)
  await login(staff, ACCOUNTS.staff, '/console')
  let dayId = null
  for (let k = 7; k < 120 && !dayId; k++) {
    const d = new Date(Date.now() + 8 * 3600e3 + k * 86400e3)
    if (d.getUTCDay() !== 4) continue
    const r = await call(staff, 'POST', '/service/reception-days', { kind: 'public', day: d.toISOString().slice(0, 10), leaders: '李局长', place: '局一楼群众接待室', capacity: 5 })
    if (r.status === 201) dayId = r.json.id
  }
  assert.ok(dayId, 'a public day')

  const page = await newPage(browser, srv.url, { viewport: { width: 390, height: 844 } })
  await page.goto('/reception')
  await page.getByTestId('booking-choose-' + dayId).click()
  await page.getByTestId('booking-name').fill('孙市民')
  assert.match(await page.getByTestId('booking-phone').getAttribute('placeholder'), /11 位手机号码/)
  await page.getByTestId('booking-phone').fill('8512369')
  await page.getByTestId('booking-topic').locator('textarea').or(page.getByTestId('booking-topic')).first().fill('河道异味')
  await page.getByTestId('booking-submit').click()
  await page.getByTestId('booking-error').getByText(/11 位手机号码或带区号的固定电话/).waitFor()
  await screenshot(page, 'service-booking-phone-refused')
  let day = (await call(staff, 'GET', '/service/reception-days/' + dayId)).json
  assert.equal(day.entries.length, 0, 'nothing booked')

  await page.getByTestId('booking-phone').fill('0798-8512369')
  await page.getByTestId('booking-submit').click()
  await page.getByTestId('booking-done').waitFor()
  day = (await call(staff, 'GET', '/service/reception-days/' + dayId)).json
  assert.equal(day.entries.length, 1)
  assert.equal(day.entries[0].phone, '0798-8512369')
  assert.deepEqual(page.problems, [])
  await page.context().close()
  await staff.context().close()
})
