// The province view in the browser (issue 12): a leader opens 全省排名, sees every district of the
// registry ranked by its month PM2.5 against the target (a district whose station sent hour
// records first, with its mean), switches the month; staff have no such menu entry.
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
  const st = await call(admin, 'POST', '/monitor/stations', { code: 'BR-PROV', name: '排名测试站', kind: 'micro', city: '测试市', district: '测试新区', lon: 117.2, lat: 29.3 })
  assert.equal(st.status, 201, JSON.stringify(st.json))
  const dv = await call(admin, 'POST', '/monitor/devices', { station_id: st.json.id, mn: 'BR-PROV-01', pw: '112233' })
  assert.equal(dv.status, 201, JSON.stringify(dv.json))
  await admin.context().close()
  // two hour records of this month: 12 and 14 µg/m³
  const now = Math.floor(Date.now() / 1000)
  const h0 = now - (now % 3600) - 7200
  const sock = net.connect(port, '127.0.0.1')
  await new Promise((r) => sock.once('connect', r))
  let acks = ''
  sock.on('data', (d) => { acks += d })
  for (const [i, v] of [[0, 12], [1, 14]])
    sock.write(frame(`QN=2026120512000000${i};ST=22;CN=2061;PW=112233;MN=BR-PROV-01;Flag=5;CP=&&DataTime=${bj(h0 + i * 3600)};a34004-Avg=${v},a34004-Flag=N&&`))
  for (let i = 0; i < 100 && (acks.match(/CN=9014/g) || []).length < 2; i++) await new Promise((r) => setTimeout(r, 100))
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
  assert.match(await first.textContent(), /1\s*测试市\s*测试新区\s*13\s*-22/)
  // the cities ranked the same way: the test city first with its one station's mean
  assert.match(await page.getByTestId('province-cities').locator('.el-table__body tr').first().textContent(), /1\s*测试市\s*13\s*-22/)
  assert.ok(await table.locator('.el-table__body tr').count() > 1, 'every district of the registry')
  await screenshot(page, 'monitor-province')
  // a month without data: no district has a mean
  await pick('2020-01')
  await page.waitForFunction(() => !/测试新区\s*13/.test(document.querySelector('[data-testid="province-table"]').textContent))
  assert.deepEqual(page.problems, [])
  await page.context().close()

  const staff = await newPage(browser, server.url)
  await login(staff, ACCOUNTS.staff, '/console')
  assert.ok(!(await navKeys(staff)).includes('mon-province'))
  await staff.context().close()
})
