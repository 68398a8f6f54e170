// The province view in the browser (issue 12): a leader opens 全省排名, sees every district of the
// registry ranked by its month PM2.5 against the target (a district whose station sent hour
// records first, with its mean) with its mean daily AQI and share of good days, ranks by AQI,
// switches the month; the page in English; staff have no such menu entry.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { startServer, launchBrowser, newPage, login, screenshot, navKeys, call, ACCOUNTS } from '../lib.mjs'
import { frame, bj } from '../../integration/hj212peer.mjs'

let server, browser, port

before(async () => {
  server = await startServer({ enterprises: 5 })
  port = Number(/hj212 listening on 127\.0\.0\.1:(\d+)/.exec(server.output())[1])
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

test('a leader ranks the cities and districts by the month PM2.5; staff do not see the page', async () => {
  const admin = await newPage(browser, server.url)
  await login(admin, ACCOUNTS.admin, '/console')
  const st = await call(admin, 'POST', '/monitor/stations', { code: 'BR-PROV', name: '排名测试站', kind: 'national', city: '测试市', district: '测试新区', lon: 117.2, lat: 29.3 })
  assert.equal(st.status, 201, JSON.stringify(st.json))
  const dv = await call(admin, 'POST', '/monitor/devices', { station_id: st.json.id, mn: 'BR-PROV-01', pw: '112233' })
  assert.equal(dv.status, 201, JSON.stringify(dv.json))
  await admin.context().close()
  // yesterday's 24 Beijing hours of the six pollutants, PM2.5 12 and 14 in turn (mean 13). The
  // day's AQI (HJ 633—2026): SO2 10 -> 10, NO2 20 -> 25, CO 0.5 -> 13 (12.5 up), O3 MDA8 80 ->
  // 40, PM10 40 -> 40, PM2.5 13 -> 19 (18.6 up): 40, a good day
  const now = Math.floor(Date.now() / 1000)
  const h0 = now - ((now + 8 * 3600) % 86400) - 86400
  const sock = net.connect(port, '127.0.0.1')
  await new Promise((r) => sock.once('connect', r))
  let acks = ''
  sock.on('data', (d) => { acks += d })
  for (let i = 0; i < 24; i++)
    sock.write(frame(`QN=2026120512000${String(i).padStart(3, '0')};ST=22;CN=2061;PW=112233;MN=BR-PROV-01;Flag=5;CP=&&DataTime=${bj(h0 + i * 3600)};a21026-Avg=10,a21026-Flag=N;a21004-Avg=20,a21004-Flag=N;a21005-Avg=0.5,a21005-Flag=N;a05024-Avg=80,a05024-Flag=N;a34002-Avg=40,a34002-Flag=N;a34004-Avg=${i % 2 ? 14 : 12},a34004-Flag=N&&`))
  for (let i = 0; i < 100 && (acks.match(/CN=9014/g) || []).length < 24; i++) await new Promise((r) => setTimeout(r, 100))
  sock.destroy()

  const page = await newPage(browser, server.url)
  await login(page, ACCOUNTS.leader, '/console')
  assert.ok((await navKeys(page)).includes('mon-province'), 'menu entry 全省排名')
  await page.goto('/console/monitor/province')
  const table = page.getByTestId('province-table')
  await table.waitFor()
  // the month of the records (this one, unless it began less than two hours ago)
  const month = new Date((h0 + 8 * 3600) * 1000).toISOString().slice(0, 7)
  const pick = async (m) => {
    const input = page.getByTestId('province-month').locator('input')
    await input.fill(m)
    await input.press('Enter')
  }
  // the day rollups follow the records within a second: reload until the mean shows
  const first = table.locator('.el-table__body tr').first()
  for (let i = 0; i < 30 && !/测试新区/.test(await first.textContent()); i++) {
    await page.waitForTimeout(300)
    await page.reload()
    await table.waitFor()
    await pick(month)
  }
  // rank, city, district, mean AQI, good days, days with AQI, PM2.5, against the target
  assert.match(await first.textContent(), /1\s*测试市\s*测试新区\s*40\s*100%\s*1\s*13\s*-22/)
  // the cities ranked the same way: the test city first with its one station's mean
  assert.match(await page.getByTestId('province-cities').locator('.el-table__body tr').first().textContent(), /1\s*测试市\s*40\s*100%\s*1\s*13\s*-22/)
  // ranked by AQI: the district keeps its AQI 40 among the others
  await page.getByTestId('province-by').locator('.el-select').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: 'AQI 月均值' }).click()
  const ours = table.locator('.el-table__body tr', { hasText: '测试新区' })
  await ours.waitFor()
  assert.equal((await ours.getByTestId('province-aqi').textContent()).trim(), '40')
  assert.ok(await table.locator('.el-table__body tr').count() > 1, 'every district of the registry')
  await screenshot(page, 'monitor-province')
  // a month without data: no district has a mean
  await pick('2020-01')
  await page.waitForFunction(() => !/测试新区\s*40/.test(document.querySelector('[data-testid="province-table"]').textContent))
  assert.deepEqual(page.problems, [])
  await page.context().close()

  // the page in English: the AQI and good-days columns
  const en = await newPage(browser, server.url, { locale: 'en-US' })
  await login(en, ACCOUNTS.leader, '/console')
  await en.evaluate(() => localStorage.setItem('ecogov.lang', 'en'))
  await en.goto('/console/monitor/province')
  await en.getByTestId('province-table').waitFor()
  const enMonth = en.getByTestId('province-month').locator('input')
  await enMonth.fill(month)
  await enMonth.press('Enter')
  const head = await en.getByTestId('province-table').locator('.el-table__header').textContent()
  assert.match(head, /Mean AQI/)
  assert.match(head, /Good days/)
  assert.match(await en.getByTestId('province-table').locator('.el-table__body tr', { hasText: '测试新区' }).first().textContent(), /40\s*100%/)
  assert.deepEqual(en.problems, [])
  await en.context().close()

  const staff = await newPage(browser, server.url)
  await login(staff, ACCOUNTS.staff, '/console')
  assert.ok(!(await navKeys(staff)).includes('mon-province'))
  await staff.context().close()
})
