// The enterprise 360° page and the public reception-day booking through the UI: staff open an
// enterprise's 360° view from its detail page (service, approvals, supervision, alarms,
// monitoring, credit tabs); the enterprise sees its own 360° view in the portal, in Chinese and
// in English; a citizen on a phone books a public reception day from the public home page without
// logging in, and the booking shows on the staff's reception-day page.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ACCOUNTS, startServer, launchBrowser, newPage, login, screenshot, call } from '../lib.mjs'

let srv
let browser

before(async () => {
  srv = await startServer({ enterprises: 30 })
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
  if (srv) await srv.stop()
})

test('staff open an enterprise\'s 360° page from its detail page', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  await page.goto('/console/enterprises/1')
  await page.getByTestId('enterprise-360').click()
  await page.waitForURL('**/console/enterprises/1/360')
  await page.getByTestId('ent360').waitFor()
  const api = (await call(page, 'GET', '/enterprises/1/360')).json
  const by = Object.fromEntries(api.sections.map((s) => [s.key, s.data]))
  assert.ok(by.profile.name)
  await page.getByText(by.profile.name).first().waitFor()
  assert.equal(Number(await page.getByTestId('e360-fig-visits').locator('b').textContent()), by.service.visits.length)
  assert.equal(await page.getByTestId('e360-visits').locator('tbody tr').count(), by.service.visits.length)
  await page.getByRole('tab', { name: '环评审批' }).click()
  assert.equal(await page.getByTestId('e360-applications').locator('tbody tr').count(), by.approvals.applications.length)
  if (by.approvals.applications.length) await page.getByText(by.approvals.applications[0].project_name).first().waitFor()
  await page.getByRole('tab', { name: '超标报警' }).click()
  assert.equal(await page.getByTestId('e360-alarms').locator('tbody tr').count(), by.alarms.source_alarms.length + by.alarms.supervision_alarms.length)
  await page.getByRole('tab', { name: '监管执法' }).click()
  await page.getByTestId('e360-inspections').waitFor()
  await page.getByRole('tab', { name: '在线监测' }).click()
  await page.getByTestId('e360-stations').waitFor()
  await screenshot(page, 'service-360-console')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('the enterprise sees only its own 360° page, in Chinese and English', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.ent, '/enterprise')
  await page.getByTestId('nav-portal-360').click()
  await page.waitForURL('**/enterprise/360')
  await page.getByTestId('ent360').waitFor()
  const me = (await call(page, 'GET', '/auth/me')).json.user
  const own = await call(page, 'GET', `/enterprises/${me.enterprise_id}/360`)
  assert.equal(own.status, 200)
  await page.getByText(own.json.sections[0].data.name).first().waitFor()
  assert.equal((await call(page, 'GET', `/enterprises/${me.enterprise_id === 1 ? 2 : 1}/360`)).status, 404)
  await page.getByRole('tab', { name: '企业服务' }).waitFor()
  await page.evaluate(() => localStorage.setItem('ecogov.lang', 'en'))
  await page.reload()
  await page.getByTestId('ent360').waitFor()
  await page.getByRole('heading', { name: /Enterprise 360°/ }).waitFor()
  await page.getByRole('tab', { name: 'Approvals' }).waitFor()
  await screenshot(page, 'service-360-portal-en')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('a citizen books a public reception day on a phone without logging in', async () => {
  // Staff schedule a public day on the next free working Wednesday at least a week ahead.
  const staff = await newPage(browser, srv.url)
  await login(staff, ACCOUNTS.staff, '/console')
  let dayId = null
  let date = ''
  for (let k = 7; k < 120 && !dayId; k++) {
    const d = new Date(Date.now() + 8 * 3600e3 + k * 86400e3)
    if (d.getUTCDay() !== 3) continue
    date = d.toISOString().slice(0, 10)
    const r = await call(staff, 'POST', '/service/reception-days', { kind: 'public', day: date, leaders: '张局长', place: '局一楼群众接待室', capacity: 5 })
    if (r.status === 201) dayId = r.json.id
  }
  assert.ok(dayId, 'no working Wednesday found for the public day')

  const page = await newPage(browser, srv.url, { viewport: { width: 390, height: 844 } })
  await page.goto('/')
  await page.getByTestId('public-link-reception').click()
  await page.waitForURL('**/reception')
  await page.getByTestId('booking-day-' + dayId).waitFor()
  await page.getByTestId('booking-choose-' + dayId).click()
  await page.getByTestId('booking-name').fill('赵市民')
  await page.getByTestId('booking-phone').fill('13800000123')
  await page.getByTestId('booking-topic').locator('textarea').or(page.getByTestId('booking-topic')).first().fill('小区旁工地夜间施工噪声扰民')
  await page.getByTestId('booking-submit').click()
  await page.getByTestId('booking-done').waitFor()
  await page.getByText(date).first().waitFor()
  // Mobile: nothing wider than the screen.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1))
  await screenshot(page, 'service-public-booking')
  assert.deepEqual(page.problems, [])
  await page.context().close()

  // A bad booking (no topic) is refused with a message and nothing is added.
  const bad = await newPage(browser, srv.url, { viewport: { width: 390, height: 844 } })
  await bad.goto('/reception')
  await bad.getByTestId('booking-choose-' + dayId).click()
  await bad.getByTestId('booking-name').fill('钱市民')
  await bad.getByTestId('booking-phone').fill('13800000124')
  await bad.getByTestId('booking-submit').click()
  await bad.getByTestId('booking-error').waitFor()
  await bad.context().close()

  const day = (await call(staff, 'GET', '/service/reception-days/' + dayId)).json
  const entries = day.entries.filter((e) => e.kind === 'booking')
  assert.equal(entries.length, 1)
  assert.equal(entries[0].topic, '小区旁工地夜间施工噪声扰民')
  await staff.goto('/console/service/reception-days')
  await staff.getByTestId('day-table').getByText(date).click()
  await staff.getByTestId('day-detail').getByText('赵市民').waitFor()
  await staff.context().close()
})
