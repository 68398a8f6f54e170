// The public air-quality page on a phone-sized screen (no login): the city AQI with its colour,
// the Leaflet station map over the bundled boundaries, the rankings and the water classes; the
// printable daily report; and the console's live alarm list.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ACCOUNTS, startServer, launchBrowser, newPage, login, screenshot } from '../lib.mjs'

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

const AQI_HEX = { '优': '#00E400', '良': '#FFFF00', '轻度污染': '#FF7E00', '中度污染': '#FF0000', '重度污染': '#99004C', '严重污染': '#7E0023' }
const rgb = (hex) => `rgb(${parseInt(hex.slice(1, 3), 16)}, ${parseInt(hex.slice(3, 5), 16)}, ${parseInt(hex.slice(5, 7), 16)})`

test('public air page on a phone: AQI with its colour, station map, rankings, water classes', async () => {
  const page = await newPage(browser, srv.url, { viewport: { width: 390, height: 844 } })
  await page.goto('/air')
  const api = await (await fetch(srv.url + '/api/v1/quality/realtime?area=city')).json()
  await page.getByTestId('air-aqi').waitFor()
  await page.waitForFunction((v) => document.querySelector('[data-testid=air-aqi]').textContent.trim() === v, String(api.aqi ?? 'NA'))
  const cat = (await page.getByTestId('air-category').innerText()).trim()
  assert.equal(cat, api.category)
  const bg = await page.getByTestId('air-now').evaluate((e) => getComputedStyle(e).backgroundColor)
  assert.equal(bg, rgb(AQI_HEX[cat]))
  // the map: boundaries from the bundled GeoJSON, one marker per station with a position
  const stations = (await (await fetch(srv.url + '/api/v1/quality/stations')).json()).items
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=air-map] path.leaflet-interactive').length >= n, stations.length + 6)
  const tiles = await page.locator('[data-testid=air-map] img.leaflet-tile').count()
  assert.equal(tiles, 0) // no internet tiles
  await page.getByTestId('air-colour-by').getByText('PM2.5').click()
  // rankings and water
  const districts = page.getByTestId('air-rank-district').locator('tbody tr')
  assert.equal(await districts.count(), 5)
  await page.getByTestId('air-rank-town').getByText('疑似局地污染源').first().waitFor()
  const w = page.getByTestId('water-class-W-04')
  assert.equal((await w.innerText()).trim(), '劣Ⅴ')
  await page.getByTestId('water-sections').locator('.el-tag', { hasText: '出境' }).first().waitFor()
  await screenshot(page, 'quality-public-phone')
  await page.getByTestId('air-report-link').click()
  await page.getByTestId('report-table').locator('tbody tr').first().waitFor()
  assert.ok((await page.getByTestId('report-table').locator('tbody tr').count()) >= 16)
  await page.close()
})

test('console: the alarm list is live and an alarm can be acknowledged', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  await page.goto('/console/alarms')
  await page.getByTestId('alarm-console').waitFor()
  await page.getByTestId('alarm-live').waitFor()
  const rows = page.getByTestId('alarm-table').locator('tbody tr')
  await rows.first().waitFor()
  const before = await rows.count()
  assert.ok(before >= 1)
  const ackButtons = page.getByTestId('alarm-table').getByRole('button', { name: '确认' })
  const n = await ackButtons.count()
  assert.ok(n >= 1)
  await ackButtons.first().click()
  await page.waitForFunction((k) => [...document.querySelectorAll('[data-testid=alarm-table] button')].filter((b) => b.textContent.includes('确认')).length === k - 1, n)
  await screenshot(page, 'quality-console-alarms')
  await page.close()
})
