// The river-chief pages in a browser: the staff's map and register with the signboard QR, the
// village chief's patrol on a phone (390x844: geolocation fixes posted, a problem with a photo,
// the end), the public signboard on a phone (chiefs, water class, a report with a photo and its
// follow-up by code), and a chief's console showing only his reach.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ACCOUNTS, startServer, launchBrowser, newPage, login, screenshot, call } from '../lib.mjs'
import { exifJpeg } from '../../integration/river/exif.mjs'

const PHONE = { width: 390, height: 844 }
const CHIEF = { username: 'chief_village', password: 'Chief@2026' }
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

async function fitsScreen(page) {
  return page.evaluate(() => [...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).length)
}

test('staff: reaches on the map and in the register, the signboard QR', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  await page.goto('/console/river')
  const rows = page.getByTestId('river-reaches').locator('tbody tr')
  await rows.first().waitFor()
  assert.equal(await rows.count(), 5)
  await page.locator('.rm-map path.leaflet-interactive').first().waitFor()
  await page.getByTestId('river-qr-CJ-01').click()
  await page.getByTestId('river-qr-image').waitFor()
  assert.match(await page.getByTestId('river-qr-url').innerText(), /\/river\/\d+$/)
  await screenshot(page, 'river-map')
  await page.keyboard.press('Escape')
  // a water section is put on a reach from the same page
  await page.getByTestId('river-link-section').click()
  await page.locator('.el-select-dropdown__item').getByText('W-03 南河入昌江口').click()
  await page.getByTestId('river-link-reach').click()
  await page.locator('.el-select-dropdown__item:visible').getByText('昌江鹅湖段').click()
  await page.getByTestId('river-link-save').click()
  await page.locator('.el-message--success').waitFor()
  const cj2 = (await call(page, 'GET', '/river/reaches')).json.items.find((r) => r.code === 'CJ-02')
  const got = (await call(page, 'GET', '/river/reaches/' + cj2.id)).json
  assert.deepEqual(got.sections.map((s) => s.code), ['W-03'])
  await page.goto('/console/river/chiefs')
  await page.getByTestId('river-behind').locator('tbody tr').first().waitFor()
  assert.match(await page.getByTestId('river-behind').innerText(), /吴长青/)
  await page.goto('/console/river/patrols')
  await page.getByTestId('river-problems').locator('tbody tr').first().waitFor()
  assert.ok((await page.locator('[data-testid^=river-problem-state-]').allInnerTexts()).includes('超期'), 'demo problems are overdue')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('a village chief patrols from his phone: fixes, a problem with a photo, the end', async () => {
  const page = await newPage(browser, srv.url, { viewport: PHONE })
  await page.context().grantPermissions(['geolocation'])
  await page.context().setGeolocation({ latitude: 29.58, longitude: 117.5, accuracy: 10 })
  await login(page, CHIEF, '/console/river')
  // his console shows only his reach
  await page.goto('/console/river')
  await page.getByTestId('river-reaches').locator('tbody tr').first().waitFor()
  assert.equal(await page.getByTestId('river-reaches').locator('tbody tr').count(), 1)
  assert.equal(await page.getByTestId('river-import').count(), 0, 'a chief does not edit the register')
  assert.equal(await page.getByTestId('river-link').count(), 0)
  await page.goto('/patrol')
  await page.getByTestId('patrol-start').click()
  await page.getByTestId('patrol-running').waitFor()
  await page.getByTestId('patrol-gps').getByText('117.50000').waitFor()
  for (let i = 1; i <= 3; i++) {
    await page.waitForTimeout(1100) // the server takes one fix per second
    await page.context().setGeolocation({ latitude: 29.58 + i * 0.0001, longitude: 117.5, accuracy: 10 })
  }
  await page.getByTestId('patrol-cat-outfall').click()
  await page.getByTestId('patrol-description').fill('桥下新增一处排污口')
  await page.getByTestId('patrol-photo').setInputFiles({ name: 'outfall.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(exifJpeg([29, 34, 48], [117, 30, 0])) })
  await page.getByTestId('patrol-report').click()
  await page.getByTestId('patrol-sent').waitFor()
  assert.equal(await fitsScreen(page), 0, 'nothing runs past the phone screen')
  await screenshot(page, 'river-patrol-phone')
  await page.getByTestId('patrol-end').click()
  await page.getByTestId('patrol-ended').waitFor()
  const patrols = (await call(page, 'GET', '/river/patrols?limit=1')).json.items
  assert.equal(patrols[0].status, 'done')
  assert.ok(patrols[0].fixes >= 2, JSON.stringify(patrols[0]))
  assert.equal(patrols[0].problems, 1)
  const problems = (await call(page, 'GET', '/river/problems?patrol_id=' + patrols[0].id)).json.items
  assert.equal(problems[0].category, 'outfall')
  assert.equal(problems[0].photos.length, 1)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('the public signboard on a phone: chiefs, water, a report with a photo followed by its code', async () => {
  const staff = await newPage(browser, srv.url)
  await login(staff, ACCOUNTS.staff, '/console')
  const reach = (await call(staff, 'GET', '/river/reaches')).json.items.find((r) => r.code === 'CJ-01')
  await staff.context().close()
  const page = await newPage(browser, srv.url, { viewport: PHONE })
  await page.goto('/river/' + reach.id)
  await page.getByTestId('board-name').getByText('昌江瑶里段').waitFor()
  assert.match(await page.getByTestId('board').innerText(), /瑶里镇/)
  assert.ok((await page.locator('[data-testid^=board-chief-]').count()) >= 4)
  await page.getByTestId('board-class-W-01').waitFor()
  await page.getByTestId('board-description').fill('河面有大量漂浮垃圾')
  await page.getByTestId('board-phone').fill('123')
  await page.getByTestId('board-submit').click()
  await page.getByTestId('board-error').getByText(/11 位手机号码/).waitFor()
  await page.getByTestId('board-phone').fill('13800001111')
  await page.getByTestId('board-photo').setInputFiles({ name: 'w.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(exifJpeg([29, 34, 50], [117, 30, 2])) })
  await page.getByTestId('board-submit').click()
  await page.getByTestId('board-done').waitFor()
  const code = (await page.getByTestId('board-done').innerText()).match(/[2-9A-Z]{10}/)[0]
  await page.getByTestId('board-follow').click()
  await page.getByTestId('board-follow-result').getByText('办理中').waitFor()
  assert.equal(await page.getByTestId('board-follow-code').inputValue(), code)
  assert.equal(await fitsScreen(page), 0, 'nothing runs past the phone screen')
  await screenshot(page, 'river-signboard-phone')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('a chief (role chief) has the river menu and the tracker only; other console pages send him back', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, CHIEF, '/console/river')
  const nav = page.getByTestId('console-nav')
  await nav.waitFor()
  const groups = await nav.locator(':scope > li').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))
  assert.deepEqual(groups.sort(), ['nav-river', 'nav-service'])
  await page.getByTestId('nav-service').click()
  const entries = await nav.locator('[data-testid^=nav-service-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))
  assert.deepEqual(entries, ['nav-service-tracker'])
  await page.goto('/console/service/tracker')
  await page.locator('.el-table').first().waitFor()
  assert.equal(await page.getByTestId('item-new').count(), 0, 'a chief assigns no item')
  for (const path of ['/console', '/console/enterprises', '/console/service/visits']) {
    await page.goto(path)
    await page.waitForURL((u) => u.pathname === '/console/river')
  }
  assert.equal((await call(page, 'GET', '/enterprises')).status, 403)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('an enterprise user is sent away from the river pages', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.ent, '/enterprise')
  await page.goto('/console/river')
  await page.waitForURL((u) => u.pathname.startsWith('/enterprise'))
  assert.equal((await call(page, 'GET', '/river/reaches')).status, 403)
  await page.context().close()
})

test('sections: the profile along the river and the boundary sections with their export', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  await page.goto('/console/river/sections')
  await page.getByTestId('river-profile-reach-CJ-01').waitFor()
  assert.equal(await page.locator('[data-testid^=river-profile-reach-CJ-]').count(), 4)
  await page.getByTestId('river-boundary').getByText('W-06').waitFor()
  assert.match(await page.getByTestId('river-boundary').innerText(), /出境/)
  assert.match(await page.getByTestId('export-xlsx').getAttribute('href'), /\/api\/v1\/river\/boundary\?.*format=xlsx/)
  await page.getByTestId('river-sections-check').click()
  await page.locator('.el-message--success').waitFor()
  await screenshot(page, 'river-sections')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
