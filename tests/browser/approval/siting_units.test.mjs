// 三线一单 control-unit versions in the web UI (issue 17 item 11): staff imports a GeoJSON file made here
// and sees the version listed and in force, and the siting map draws its units; a file the server
// refuses shows the server's message naming the feature at fault, and no version is made; a leader
// sees the list but no import control; the page reads in English too.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ACCOUNTS, startServer, launchBrowser, newPage, login, call } from '../lib.mjs'

let browser
let srv
before(async () => {
  browser = await launchBrowser()
  srv = await startServer({ enterprises: 10 })
})
after(async () => {
  if (browser) await browser.close()
  if (srv) await srv.stop()
})

const square = (x, y, d) => ({ type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] })
const unit = (code, name, cls, geometry) => ({ type: 'Feature', properties: { code, name, class: cls, AREA: '昌江区' }, geometry })
const VALID = {
  type: 'FeatureCollection',
  features: [unit('ZH36020210001', '测试优先保护单元', 1, square(117.1, 29.3, 0.05)), unit('ZH36020230002', '测试一般管控单元', 3, square(117.2, 29.3, 0.05))],
}
// The second feature's code has the class digit of 优先保护 but says 重点管控.
const BAD = {
  type: 'FeatureCollection',
  features: [unit('ZH36020210003', '正常单元', 1, square(117.1, 29.3, 0.05)), unit('ZH36020210004', '<img src=x onerror=alert(1)>', 2, square(117.2, 29.3, 0.05))],
}

const file = (name, obj) => ({ name, mimeType: 'application/geo+json', buffer: Buffer.from(typeof obj === 'string' ? obj : JSON.stringify(obj)) })

test('staff imports a version: listed, in force, drawn on the siting map; a refused file shows why', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  const before = (await call(page, 'GET', '/siting/versions')).json.items
  await page.goto('/console/approval/siting-units')
  await page.getByTestId('units-versions').locator('tbody tr').nth(before.length - 1).waitFor()

  // Over the server's default upload limit: refused before any upload, the button stays off.
  await page.getByTestId('units-file').setInputFiles({ name: 'big.geojson', mimeType: 'application/geo+json', buffer: Buffer.alloc(16 * 1024 * 1024 + 1, 0x20) })
  await page.getByTestId('units-error-message').getByText('16 MB').waitFor()
  assert.ok(await page.getByTestId('units-upload').isDisabled())

  // A refused file: the server's message names the feature; no version is made.
  await page.getByTestId('units-file').setInputFiles(file('bad.geojson', BAD))
  await page.getByTestId('units-upload').click()
  const msg = page.getByTestId('units-error-message')
  await msg.waitFor()
  assert.match(await msg.innerText(), /第 2 个要素/)
  await page.getByTestId('units-error').getByText('invalid_field').waitFor()
  // Not JSON at all.
  await page.getByTestId('units-file').setInputFiles(file('junk.json', '{"type": "FeatureCollection", "features": ['))
  await page.getByTestId('units-upload').click()
  await page.getByTestId('units-error').waitFor()
  assert.equal((await call(page, 'GET', '/siting/versions')).json.items.length, before.length)

  // A valid one.
  await page.getByTestId('units-file').setInputFiles(file('测试单元.geojson', VALID))
  assert.equal(await page.getByTestId('units-name').inputValue(), '测试单元')
  await page.getByTestId('units-name').fill('2026 年测试版')
  await page.getByTestId('units-upload').click()
  await page.getByTestId('units-done').getByText('2026 年测试版').waitFor()
  assert.equal(await page.getByTestId('units-error').count(), 0)
  const first = page.getByTestId('units-versions').locator('tbody tr').first()
  await first.getByText('2026 年测试版').waitFor()
  assert.match(await first.innerText(), /现行/)
  const after = (await call(page, 'GET', '/siting/versions')).json.items
  assert.equal(after.length, before.length + 1)
  assert.equal(after[0].units, 2)
  assert.equal((await first.locator('td').nth(2).innerText()).trim(), '2')
  assert.equal((await first.locator('td').nth(3).innerText()).trim(), after[0].created_by)
  assert.equal(await page.getByTestId('units-in-force').count(), 1)

  // The siting map now draws the new version's two units.
  await page.goto('/console/approval/siting')
  await page.locator('[data-testid="siting-map"][data-units="2"]').waitFor()
  // and leads back to the versions
  await page.getByTestId('siting-units-link').click()
  await page.waitForURL((u) => u.pathname === '/console/approval/siting-units')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('a leader sees the versions read-only', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.leader, '/console')
  await page.goto('/console/approval/siting-units')
  await page.getByTestId('units-versions').locator('tbody tr').first().waitFor()
  await page.getByTestId('units-in-force').waitFor()
  assert.equal(await page.getByTestId('units-import').count(), 0)
  assert.equal(await page.getByTestId('units-file').count(), 0)
  // and the server refuses a leader's import anyway
  const r = await call(page, 'POST', '/siting/versions?name=x', VALID)
  assert.equal(r.status, 403)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('in English the page and its refusal read in English, the server message as sent (zh)', async () => {
  const page = await newPage(browser, srv.url, { locale: 'en-US' })
  await login(page, ACCOUNTS.staff, '/console')
  await page.evaluate(() => localStorage.setItem('ecogov.lang', 'en'))
  await page.goto('/console/approval/siting-units')
  await page.getByText('Import a new version').waitFor()
  await page.getByTestId('units-versions').getByText('In force').waitFor()
  await page.getByTestId('units-file').setInputFiles(file('bad.geojson', BAD))
  await page.getByTestId('units-upload').click()
  await page.getByTestId('units-error').getByText('Import refused').waitFor()
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
