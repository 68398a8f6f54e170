// Staff's quality work in the console (issue 17 item 6): the annual evaluation with its data
// completeness (and the same figure as a card on the public air page, on a phone), water sections
// and samples, micro-station calibration, the hourly CSV import with its per-line errors, and the
// alarm rules — created, edited and disabled through the browser. Figures on screen are checked
// against the public API the pages read.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, launchBrowser, newPage, login, screenshot, navKeys, call, ACCOUNTS } from '../lib.mjs'

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

async function staffPage(account = ACCOUNTS.staff) {
  const page = await newPage(browser, srv.url)
  await login(page, account, '/console')
  return page
}
const apiGet = (page, url) => page.evaluate(async (u) => (await fetch('/api/v1' + u)).json(), url)

test('annual evaluation: city and every official station, figures against limits, completeness beside them', async () => {
  const page = await staffPage()
  const keys = await navKeys(page)
  for (const k of ['quality-annual', 'quality-water', 'quality-calibration', 'quality-import', 'quality-rules']) assert.ok(keys.includes(k), `staff menu lacks ${k}`)
  await page.goto('/console/quality/annual')
  const city = await apiGet(page, '/quality/annual')
  const official = (await apiGet(page, '/quality/stations?kind=official')).items
  const cell = page.getByTestId('annual-city-pm25')
  await cell.waitFor()
  const pm = city.items.pm25
  const text = (await cell.innerText()).replace(/\s+/g, '')
  assert.equal(text, `${pm.mean.value}${pm.mean.valid ? '' : '*'}/${pm.limit_annual}`)
  assert.equal((await page.getByTestId('annual-city-pm25-n').innerText()).trim(), `${pm.mean.n}/${pm.mean.need} 天`)
  const co = city.items.co.pct
  assert.ok((await page.getByTestId('annual-city-co-n').innerText()).includes(`${co.n}/${co.need}`))
  assert.equal(await page.getByTestId('annual-table').locator('.el-table__body-wrapper tbody tr').count(), official.length + 1)
  const st = official[0]
  const sa = await apiGet(page, `/quality/annual?station=${st.code}`)
  assert.ok((await page.getByTestId(`annual-${st.code}-pm10`).innerText()).startsWith(String(sa.items.pm10.mean.value)))
  // another edition of the limits: the limit shown follows it
  await page.getByTestId('annual-limits').click()
  await page.locator('.el-select-dropdown__item', { hasText: 'GB 3095-2012' }).click()
  await page.waitForFunction(() => document.querySelector('[data-testid=annual-limits-name]')?.textContent.includes('2012'))
  const old = await apiGet(page, '/quality/annual?limits=2012')
  assert.ok((await cell.innerText()).replace(/\s+/g, '').endsWith('/' + old.items.pm25.limit_annual))
  await screenshot(page, 'quality-annual')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('the public air page shows the annual PM2.5 against its limit with the completeness, on a phone', async () => {
  const page = await newPage(browser, srv.url, { viewport: { width: 360, height: 780 } })
  await page.goto('/air')
  const card = page.getByTestId('air-annual')
  await card.waitFor()
  const a = await apiGet(page, '/quality/annual')
  const m = a.items.pm25.mean
  assert.ok((await page.getByTestId('air-annual-pm25').innerText()).includes(String(m.value)))
  assert.ok((await page.getByTestId('air-annual-limit').innerText()).includes(String(a.items.pm25.limit_annual)))
  assert.ok((await page.getByTestId('air-annual-completeness').innerText()).includes(`有效 ${m.n} 天 / 需 ${m.need} 天`))
  const verdict = (await page.getByTestId('air-annual-verdict').innerText()).trim()
  assert.equal(verdict, m.valid ? (m.value <= a.items.pm25.limit_annual ? '达标' : '超标') : '有效天数不足')
  await card.scrollIntoViewIfNeeded()
  const cut = await page.evaluate(() =>
    [...document.querySelectorAll('[data-testid=air-annual] *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).length,
  )
  assert.equal(cut, 0, 'nothing of the annual card runs past the screen')
  await screenshot(page, 'quality-annual-card-phone')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('water: a new section, a sample entered through the form, its class shown', async () => {
  const page = await staffPage()
  await page.goto('/console/quality/water')
  await page.getByTestId('water-table').locator('tbody tr').first().waitFor()
  await page.getByTestId('water-new-section').click()
  await page.getByTestId('sec-code').fill('WB-1')
  await page.getByTestId('sec-name').fill('浏览器测试断面')
  await page.getByTestId('sec-save').click()
  await page.getByTestId('water-sample-WB-1').click()
  await page.getByTestId('sample-ph').fill('7.2')
  await page.getByTestId('sample-do').fill('6.5')
  await page.getByTestId('sample-nh3n').fill('1.2')
  await page.getByTestId('sample-save').click()
  const cls = page.getByTestId('water-console-class-WB-1')
  await page.waitForFunction(() => document.querySelector('[data-testid=water-console-class-WB-1]')?.textContent.trim() === 'Ⅳ')
  assert.equal((await cls.innerText()).trim(), 'Ⅳ') // NH3-N 1.2 mg/L: over Ⅲ's 1.0, within Ⅳ's 1.5
  const s = (await apiGet(page, '/quality/water/sections?section=WB-1')).items[0]
  assert.equal(s.factors.nh3n.value, '1.2')
  assert.equal(s.compliant, false)
  // a refused value comes back as the API's message and stores nothing
  await page.getByTestId('water-sample-WB-1').click()
  await page.getByTestId('sample-nh3n').fill('abc')
  await page.getByTestId('sample-save').click()
  await page.locator('.el-message--error').first().waitFor()
  assert.equal((await apiGet(page, '/quality/water/sections?section=WB-1')).items[0].factors.nh3n.value, '1.2')
  await screenshot(page, 'quality-water-console')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('calibration: a micro station fitted against its reference, the fit shown', async () => {
  const page = await staffPage()
  await page.goto('/console/quality/calibration')
  await page.waitForFunction(() => document.querySelector('[data-testid=calib-run]')?.disabled === false) // a station is picked
  const days = page.getByTestId('calib-days').locator('input')
  await days.fill('30')
  await page.getByTestId('calib-run').click()
  await page.getByTestId('calib-fit').waitFor()
  const n = Number(await page.getByTestId('calib-n').innerText())
  assert.ok(n >= 24, `${n} paired hours`)
  const r2 = Number(await page.getByTestId('calib-r2').innerText())
  assert.ok(r2 >= 0 && r2 <= 1)
  assert.match(await page.getByTestId('calib-formula').innerText(), /^参比 = [\d.-]+ × 传感器 \+ [\d.-]+$/)
  await screenshot(page, 'quality-calibration')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('hourly import: per-line errors for a bad file, the count for a good one', async () => {
  const page = await staffPage()
  await page.goto('/console/quality/import')
  const head = 'station,time,so2,no2,co,o3,pm10,pm25\n'
  const bad = head + 'JC-101,2026-01-05 08:00,6,31,0.8,52,71,48\nNOPE,2026-01-05 09:00,6,31,0.8,52,71,48\nJC-101,2026-01-05 10:30,6,31,0.8,52,71,48\n'
  await page.getByTestId('import-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) })
  await page.getByTestId('import-send').click()
  await page.getByTestId('import-errors').waitFor()
  const lines = await page.getByTestId('import-errors').locator('tbody tr td:first-child').allInnerTexts()
  assert.deepEqual(lines.map((s) => s.trim()), ['3', '4'])
  const good = head + ['08', '09', '10'].map((h) => `JC-101,2026-01-06 ${h}:00,6,31,0.8,52,71,48`).join('\n') + '\n'
  await page.getByTestId('import-file').setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) })
  await page.getByTestId('import-send').click()
  await page.getByTestId('import-ok').waitFor()
  assert.ok((await page.getByTestId('import-ok').innerText()).includes('已导入 3 行'))
  assert.equal(await page.getByTestId('import-errors').count(), 0)
  const d = await apiGet(page, '/quality/hourly?station=JC-101&hours=744')
  assert.ok(d.items.length > 0)
  await screenshot(page, 'quality-import')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('alarm rules: created, edited and disabled in the browser; leaders read only', async () => {
  const page = await staffPage()
  await page.goto('/console/quality/rules')
  await page.getByTestId('rule-new').click()
  await page.getByTestId('rule-name').fill('浏览器规则 PM10')
  await page.getByTestId('rule-factor').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: 'PM10' }).click()
  await page.getByTestId('rule-threshold').locator('input').fill('150')
  await page.getByTestId('rule-save').click()
  await page.locator('.el-message--success').first().waitFor()
  let rule = (await call(page, 'GET', '/quality/alarm-rules')).json.items.find((r) => r.name === '浏览器规则 PM10')
  assert.ok(rule, 'the rule was created')
  assert.equal(rule.factor, 'pm10')
  assert.equal(rule.threshold, 150)
  await page.getByTestId('rule-edit-' + rule.id).click()
  await page.getByTestId('rule-threshold').locator('input').fill('120')
  await page.getByTestId('rule-duration').locator('input').fill('3')
  await page.getByTestId('rule-save').click()
  await page.waitForFunction(async (id) => {
    const r = (await (await fetch('/api/v1/quality/alarm-rules')).json()).items.find((x) => x.id === id)
    return r.threshold === 120 && r.duration_hours === 3
  }, rule.id)
  await page.getByTestId('rule-toggle-' + rule.id).click()
  await page.waitForFunction((id) => document.querySelector(`[data-testid=rule-state-${id}]`)?.textContent.trim() === '停用', rule.id)
  rule = (await call(page, 'GET', '/quality/alarm-rules')).json.items.find((r) => r.id === rule.id)
  assert.equal(rule.active, false)
  assert.equal(rule.threshold, 120)
  await screenshot(page, 'quality-rules')
  assert.deepEqual(page.problems, [])
  await page.context().close()

  const leader = await staffPage(ACCOUNTS.leader)
  const keys = await navKeys(leader)
  assert.ok(keys.includes('quality-annual') && keys.includes('quality-rules'))
  assert.ok(!keys.includes('quality-import') && !keys.includes('quality-calibration'), 'leaders do not import or calibrate')
  await leader.goto('/console/quality/rules')
  await leader.getByTestId('rule-state-' + rule.id).waitFor()
  assert.equal(await leader.getByTestId('rule-new').count(), 0)
  assert.equal(await leader.getByTestId('rule-edit-' + rule.id).count(), 0)
  await leader.context().close()
})
