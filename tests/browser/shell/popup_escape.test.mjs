// Issue 16 item 7: names in map popups are text, never markup. A public air station and a
// 三线一单 unit named like an HTML injection show the name literally, and no element is created.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { ACCOUNTS, startServer, launchBrowser, newPage, login, call } from '../lib.mjs'

const EVIL = '<img src=x onerror=alert(1)><b>bold</b>'

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

/* Clicks the map's interactive paths from the last drawn back until a popup holds the text;
 * returns the popup's content element. */
async function openPopupWith(page, map, text) {
  const paths = page.locator(`${map} path.leaflet-interactive`)
  const n = await paths.count()
  for (let i = n - 1; i >= 0; i--) {
    await paths.nth(i).dispatchEvent('click')
    const popup = page.locator(`${map} .leaflet-popup-content`).filter({ hasText: text })
    if (await popup.count()) return popup.first()
  }
  throw new Error(`no popup on ${map} shows ${text}`)
}

// The siting map shows a unit in a sticky tooltip (a click there picks coordinates).
async function openTooltipWith(page, map, text) {
  const paths = page.locator(`${map} path.leaflet-interactive`)
  const n = await paths.count()
  for (let i = n - 1; i >= 0; i--) {
    await paths.nth(i).dispatchEvent('mouseover')
    const tip = page.locator(`${map} .leaflet-tooltip`).filter({ hasText: text })
    if (await tip.count()) return tip.first()
  }
  throw new Error(`no tooltip on ${map} shows ${text}`)
}

async function assertLiteral(page, popup) {
  assert.ok((await popup.textContent()).includes(EVIL), 'the name shows as typed')
  assert.equal(await popup.locator('img').count(), 0, 'no <img> made from the name')
  assert.equal(await popup.locator('b b').count(), 0, 'no <b> made from the name')
  assert.equal(await page.locator('img[src="x"]').count(), 0)
}

test('a station named like markup shows literally in the public air map popup', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  // the API takes such a name (it is text); the map shows stations with data, so a demo station
  // with hourly data is renamed in the database, as an older import could have named it
  const r = await call(page, 'POST', '/quality/stations', {
    code: 'XSS-1', name: EVIL, district: '测试区', town: '测试镇', lon: 117.3, lat: 29.3, kind: 'city',
  })
  assert.equal(r.status, 201, JSON.stringify(r.json))
  const sql = `UPDATE aq_stations SET name = '${EVIL}' WHERE id = (SELECT station_id FROM aq_hourly LIMIT 1)`
  const upd = spawnSync('sqlite3', [path.join(srv.dir, 't.db'), sql], { encoding: 'utf8' })
  assert.equal(upd.status, 0, upd.stderr)
  let dialogs = 0
  page.on('dialog', (d) => { dialogs++; d.dismiss() })
  await page.goto('/air')
  // every station with a position drawn over the bundled boundaries (as quality.test.mjs waits)
  const stations = (await (await fetch(srv.url + '/api/v1/quality/stations')).json()).items
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=air-map] path.leaflet-interactive').length >= n, stations.length + 6)
  const popup = await openPopupWith(page, '[data-testid=air-map]', 'onerror')
  await assertLiteral(page, popup)
  assert.equal(dialogs, 0)
  await page.context().close()
})

test('a siting unit named like markup shows literally in the siting map tooltip', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  const fc = (await call(page, 'GET', '/siting/units')).json
  assert.ok(fc.features.length >= 1)
  fc.features[0].properties.name = EVIL
  delete fc.version
  const imp = await call(page, 'POST', '/siting/versions?name=' + encodeURIComponent('注入测试'), fc)
  assert.equal(imp.status, 201, JSON.stringify(imp.json))
  const back = (await call(page, 'GET', '/siting/units')).json
  assert.ok(back.features.some((f) => f.properties.name === EVIL), 'the new version holds the name')
  await page.goto('/console/approval/siting')
  await page.locator(`[data-testid="siting-map"][data-units="${back.features.length}"]`).waitFor()
  const tip = await openTooltipWith(page, '[data-testid="siting-map"]', 'onerror')
  await assertLiteral(page, tip)
  await page.context().close()
})
