// The rural sewage pages with the demo county: the map's dots coloured by state and the table; a
// facility's page where staff enter a sample over the limit (the state turns 超标, the alarm's
// tracker item is listed) and an inspection that finds it stopped, with a photo; the monthly table with its xlsx
// link; an enterprise account does not get the menu; Chinese and English.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ACCOUNTS, startServer, launchBrowser, newPage, login, screenshot, navKeys, call } from '../lib.mjs'

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

test('the county map shows each state (compliant, exceeding, stopped, no data) with its legend, in both languages', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  // 臧湾村 gets a sample over 一级B's COD today, so every state is on the map once.
  const list = await call(page, 'GET', '/village/facilities')
  const zw = list.json.items.find((f) => f.name === '臧湾村污水处理站')
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)
  assert.equal((await call(page, 'POST', `/village/facilities/${zw.id}/samples`, { day: today, values: { w01018: 95 } })).status, 201)
  const expected = { compliant: '礼芳村污水处理站', exceeding: '臧湾村污水处理站', stopped: '经公桥村污水处理站', no_data: '鹅湖村污水处理站' }
  const names = {
    'zh-CN': { compliant: '达标', exceeding: '超标', stopped: '停运', no_data: '无数据' },
    en: { compliant: 'Compliant', exceeding: 'Exceeding', stopped: 'Stopped', no_data: 'No data' },
  }
  for (const lang of ['zh-CN', 'en']) {
    if (lang === 'en') {
      await page.getByTestId('lang-switch').click()
      await page.getByTestId('lang-en').click()
      await page.waitForFunction(() => document.documentElement.lang === 'en')
    }
    await page.goto('/console/village/facilities')
    await page.locator('path.vlg-dot').nth(3).waitFor()
    const legend = page.getByTestId('vlg-map-legend-item')
    assert.equal(await legend.count(), 4)
    for (const [state, facility] of Object.entries(expected)) {
      const dot = page.locator(`path.vlg-dot-${state}`)
      assert.equal(await dot.count(), 1, `${lang}: one ${state} dot`)
      const colour = await dot.getAttribute('fill')
      const swatch = await page.locator(`[data-testid=vlg-map-legend-item][data-state=${state}] i`).evaluate((e) => getComputedStyle(e).backgroundColor)
      const rgb = colour.match(/[0-9a-f]{2}/gi).map((h) => parseInt(h, 16)).join(', ')
      assert.equal(swatch, `rgb(${rgb})`, `${lang}: the ${state} swatch is the dot's colour`)
      assert.equal((await page.locator(`[data-testid=vlg-map-legend-item][data-state=${state}]`).innerText()).trim(), names[lang][state])
      await dot.hover()
      const tip = page.locator('.leaflet-tooltip', { hasText: facility })
      await tip.waitFor()
      assert.match(await tip.innerText(), new RegExp(names[lang][state]))
      await page.mouse.move(0, 0)
      await tip.waitFor({ state: 'detached' })
    }
    await screenshot(page, `village-map-states-${lang}`)
  }
  assert.deepEqual(page.problems, [])
})

test('the facilities map and a facility: a sample over the limit, then a stop', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  assert.ok((await navKeys(page)).includes('village-facilities'))
  await page.goto('/console/village/facilities')
  await page.locator('path.vlg-dot').nth(3).waitFor()
  assert.equal(await page.locator('path.vlg-dot-stopped').count(), 1)
  assert.equal(await page.locator('path.vlg-dot-no_data').count(), 1)
  assert.equal(await page.getByTestId('vlg-count-stopped').innerText(), '停运 1')
  assert.equal(await page.getByTestId('vlg-table').locator('tbody tr').count(), 4)
  await screenshot(page, 'village-facilities-zh-CN')
  await page.getByTestId('vlg-table').locator('tbody tr', { hasText: '臧湾村污水处理站' }).click()
  await page.waitForURL(/\/console\/village\/facilities\/\d+$/)
  await page.getByTestId('vlg-limits').locator('tbody tr').first().waitFor()
  await page.getByTestId('vlg-value-w01018').fill('88')
  await page.getByTestId('vlg-sample-save').click()
  await page.locator('[data-testid=vlg-detail-state][data-state=exceeding]').waitFor()
  assert.match(await page.getByTestId('vlg-exceed').first().innerText(), /化学需氧量 88>60/)
  await page.getByTestId('vlg-alarms').locator('tbody tr', { hasText: '超标' }).first().waitFor()
  await page.getByTestId('vlg-inspection-stopped').click()
  await page.getByTestId('vlg-inspection-note').fill('鼓风机故障')
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')
  await page.locator('[data-testid=vlg-inspection-form] input[type=file]').setInputFiles({ name: '现场.png', mimeType: 'image/png', buffer: png })
  await page.getByTestId('vlg-inspection-save').click()
  await page.getByTestId('vlg-photo').first().waitFor()
  assert.equal(await page.getByTestId('vlg-photo').first().innerText(), '现场.png')
  await page.locator('[data-testid=vlg-detail-state][data-state=stopped]').waitFor()
  await page.locator('[data-testid=vlg-day][data-state=stop]').last().waitFor()
  await page.getByTestId('vlg-alarms').locator('tbody tr', { hasText: '停运' }).waitFor()
  await screenshot(page, 'village-facility-zh-CN')
  await page.goto('/console/village/sewage-monthly')
  await page.getByTestId('vlg-monthly').locator('tbody tr').nth(3).waitFor()
  assert.match(await page.getByTestId('export-xlsx').getAttribute('href'), /\/api\/v1\/village\/sewage\/monthly\?.*format=xlsx/)
  assert.deepEqual(page.problems, [])
})

test("the operator's link: issued on the facility page, used on a phone (390x844) without login", async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  await page.goto('/console/village/facilities')
  await page.getByTestId('vlg-table').locator('tbody tr', { hasText: '鹅湖村污水处理站' }).click()
  await page.getByTestId('vlg-operator-link').click()
  await page.getByTestId('vlg-qr').waitFor()
  const url = await page.getByTestId('vlg-link-url').getAttribute('href')
  assert.match(url, /\/v\/operate\/[A-Za-z0-9_-]{43}$/)
  const phone = await newPage(browser, srv.url, { viewport: { width: 390, height: 844 } })
  await phone.goto(new URL(url).pathname)
  await phone.getByTestId('operate-facility').waitFor()
  assert.match(await phone.getByTestId('operate-facility').innerText(), /鹅湖村污水处理站/)
  await phone.getByTestId('operate-stopped').click()
  await phone.getByTestId('operate-submit').click()
  await phone.getByTestId('operate-error').waitFor() // a stop needs its reason
  await phone.getByTestId('operate-note').fill('进水管堵塞')
  await phone.getByTestId('operate-submit').click()
  await phone.getByTestId('operate-done').waitFor()
  assert.match(await phone.getByTestId('operate-log').first().innerText(), /停运 · 进水管堵塞/)
  assert.equal(await phone.getByTestId('operate-photos').first().innerText(), '照片 0 张')
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')
  await phone.getByTestId('operate-photo-input').first().setInputFiles({ name: '堵塞.png', mimeType: 'image/png', buffer: png })
  await phone.getByTestId('operate-photos').first().filter({ hasText: '照片 1 张' }).waitFor()
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1))
  await screenshot(phone, 'village-operate-phone')
  assert.deepEqual(phone.problems, [])
  await page.reload()
  await page.locator('[data-testid=vlg-detail-state][data-state=stopped]').waitFor()
  await page.getByTestId('vlg-photo').filter({ hasText: '堵塞.png' }).waitFor() // the bureau sees the operator's photo
  assert.deepEqual(page.problems, [])
})

test('the pages in English; an enterprise account is refused', async () => {
  const page = await newPage(browser, srv.url, { locale: 'en' })
  await login(page, ACCOUNTS.staff, '/console')
  await page.getByTestId('lang-switch').click()
  await page.getByTestId('lang-en').click()
  await page.waitForFunction(() => document.documentElement.lang === 'en')
  await page.goto('/console/village/facilities')
  await page.locator('.eg-page-title', { hasText: 'Rural sewage facilities' }).waitFor()
  await page.locator('path.vlg-dot').nth(3).waitFor()
  assert.deepEqual(page.problems, [])
  const ent = await newPage(browser, srv.url)
  await login(ent, ACCOUNTS.ent, '/enterprise')
  const r = await ent.evaluate(async () => (await fetch('/api/v1/village/facilities')).status)
  assert.equal(r, 403)
})
