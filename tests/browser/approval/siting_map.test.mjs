// The siting map (issue 17 item 11a): without a configured tile server the map says so and loads no
// tiles; with `map_tile_url` (a path on this site) it draws them; an address elsewhere is refused
// (the page's CSP would block it) and said so. The city and district boundaries are drawn with
// their names; a click picks the point — or the corners of the site — and the check runs on it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ACCOUNTS, startServer, launchBrowser, newPage, login, screenshot, call } from '../lib.mjs'

// A 1×1 PNG the test's route answers tile requests with.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')

let browser
before(async () => {
  browser = await launchBrowser()
})
after(async () => {
  if (browser) await browser.close()
})

async function openMap(srv) {
  const page = await newPage(browser, srv.url)
  page.tiles = []
  page.outside = []
  page.on('request', (r) => {
    if (!r.url().startsWith(srv.url)) page.outside.push(r.url())
    if (/\/tiles-test\//.test(r.url())) page.tiles.push(r.url())
  })
  await page.route('**/tiles-test/**', (route) => route.fulfill({ status: 200, contentType: 'image/png', body: PNG }))
  await login(page, ACCOUNTS.staff, '/console')
  await page.goto('/console/approval/siting')
  await page.locator('[data-testid="siting-map"][data-units="3"]').waitFor()
  return page
}

test('no tile server: a note, no tiles; boundaries named; a click picks the point and the check runs on it', async () => {
  const srv = await startServer({ enterprises: 20 })
  try {
    const page = await openMap(srv)
    await page.getByTestId('siting-no-tiles').getByText('未配置底图瓦片服务').waitFor()
    assert.equal(await page.getByTestId('siting-map').getAttribute('data-tiles'), 'off')
    for (const d of ['昌南区', '珠山区']) await page.locator('.sm-district', { hasText: d }).waitFor()

    const box = await page.getByTestId('siting-map').boundingBox()
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
    await page.waitForFunction(() => document.querySelector('[data-testid="siting-lon"]').value !== '117.35')
    const lon = Number(await page.getByTestId('siting-lon').inputValue())
    const lat = Number(await page.getByTestId('siting-lat').inputValue())
    assert.ok(lon > 116 && lon < 119 && lat > 28 && lat < 30.5, `picked ${lon}, ${lat} in the city`)
    await page.getByTestId('siting-run').click()
    await page.getByTestId('siting-verdict').waitFor()
    const id = new URL(page.url()).searchParams.get('check')
    const check = (await call(page, 'GET', '/siting/checks/' + id)).json
    assert.deepEqual(check.location.coordinates, [lon, lat])

    // Polygon: three clicks give a closed ring.
    await page.locator('label.el-radio-button', { hasText: '用地范围' }).click()
    for (const [dx, dy] of [[0, 0], [40, 0], [40, 40]]) await page.mouse.click(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy)
    const poly = JSON.parse(await page.getByTestId('siting-polygon').inputValue())
    assert.equal(poly.type, 'Polygon')
    assert.equal(poly.coordinates[0].length, 4)
    assert.deepEqual(poly.coordinates[0][0], poly.coordinates[0][3])
    await page.getByTestId('siting-run').click()
    await page.waitForFunction((prev) => new URL(location.href).searchParams.get('check') !== prev, id)
    await screenshot(page, 'siting-map-pick')
    assert.deepEqual(page.tiles, [])
    assert.deepEqual(page.outside, [], 'nothing leaves the server')
    assert.deepEqual(page.problems, [])
    await page.context().close()
  } finally {
    await srv.stop()
  }
})

test('a tile server on this site is drawn; one elsewhere is refused', async () => {
  let srv = await startServer({ enterprises: 20, extraFlags: ['--map-tile-url=/tiles-test/{z}/{x}/{y}.png'] })
  try {
    const page = await openMap(srv)
    await page.locator('[data-testid="siting-map"][data-tiles="on"]').waitFor()
    await page.locator('[data-testid="siting-map"] img.leaflet-tile').first().waitFor()
    assert.ok(page.tiles.length > 0)
    assert.ok(page.tiles.every((u) => /\/tiles-test\/\d+\/\d+\/\d+\.png$/.test(u)))
    assert.equal(await page.getByTestId('siting-no-tiles').count(), 0)
    assert.deepEqual(page.outside, [])
    await page.context().close()
  } finally {
    await srv.stop()
  }
  srv = await startServer({ enterprises: 20, extraFlags: ['--map-tile-url=https://tile.example.org/{z}/{x}/{y}.png'] })
  try {
    const page = await openMap(srv)
    await page.getByTestId('siting-no-tiles').getByText('须为本站路径').waitFor()
    assert.deepEqual(page.outside, [], 'never an outside request')
    await page.context().close()
  } finally {
    await srv.stop()
  }
})
