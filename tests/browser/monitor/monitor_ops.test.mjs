// Device acquisition operations in the browser: the 数据转发 page (the administrator adds a
// forward target, sees the backlog and the failing connection while the upstream is down, moves
// it to a live upstream and sees the backlog drain, deactivates and deletes it; a leader reads
// without buttons) and device clocks (automatic clock sync turned off in the device form; a fake
// device answering 1011 with a clock 120 s ahead shows that skew on the station page, and no
// 1012 reaches it).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { startServer, launchBrowser, newPage, login, navKeys, screenshot, ACCOUNTS } from '../lib.mjs'
import { frame } from '../../integration/hj212peer.mjs'


const nowSec = () => Math.floor(Date.now() / 1000)
function bj(sec) {
  const t = new Date((sec + 8 * 3600) * 1000).toISOString()
  return t.slice(0, 4) + t.slice(5, 7) + t.slice(8, 10) + t.slice(11, 13) + t.slice(14, 16) + t.slice(17, 19)
}

async function poll(fn, ms = 20000) {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 250))
  }
}

/** Collects CRLF frames from a socket; onFrame sees each. */
function reader(sock, onFrame) {
  let buf = ''
  sock.on('error', () => {})
  sock.on('data', (d) => {
    buf += d.toString('latin1')
    let i
    while ((i = buf.indexOf('\r\n')) >= 0) {
      const f = buf.slice(0, i)
      buf = buf.slice(i + 2)
      onFrame(f)
    }
  })
}

/** A free loopback port nobody listens on (yet). */
async function freePort() {
  const s = net.createServer()
  await new Promise((r) => s.listen(0, '127.0.0.1', r))
  const p = s.address().port
  await new Promise((r) => s.close(r))
  return p
}

/** An upstream platform: records frames and acknowledges each with 9014. */
async function upstream(port) {
  const got = []
  const socks = []
  const server = net.createServer((sock) => {
    socks.push(sock)
    reader(sock, (f) => {
      got.push(f)
      const q = /QN=(\d+)/.exec(f)?.[1]
      const mn = /MN=([^;]+)/.exec(f)?.[1]
      if (q && /Flag=5/.test(f)) sock.write(frame(`QN=${q};ST=91;CN=9014;PW=123456;MN=${mn};Flag=4;CP=&&&&`))
    })
  })
  await new Promise((r) => server.listen(port, '127.0.0.1', r))
  return { got, stop: async () => { for (const s of socks) s.destroy(); await new Promise((r) => server.close(r)) } }
}

const MN = 'DEMO0001'
const PW = '123456'
let server, browser, port, dev, devFrames = [], sender

/** The demo device DEMO0001 on a socket: a minute record every 400 ms, its clock 120 s ahead. */
function startDevice() {
  const sock = net.connect(port, '127.0.0.1')
  let seq = 0
  let minute = nowSec() - (nowSec() % 60) - 8 * 3600
  reader(sock, (f) => {
    devFrames.push(f)
    const q = /QN=(\d+)/.exec(f)?.[1]
    if (/CN=1011;/.test(f)) {
      sock.write(frame(`QN=${q};ST=91;CN=9011;PW=${PW};MN=${MN};Flag=4;CP=&&QnRtn=1&&`))
      sock.write(frame(`QN=${q};ST=22;CN=1011;PW=${PW};MN=${MN};Flag=4;CP=&&SystemTime=${bj(nowSec() + 120)}&&`))
      sock.write(frame(`QN=${q};ST=91;CN=9012;PW=${PW};MN=${MN};Flag=4;CP=&&ExeRtn=1&&`))
    }
  })
  sender = setInterval(() => {
    minute += 60
    const q = '20260303000000' + String(++seq).padStart(3, '0')
    sock.write(frame(`QN=${q};ST=22;CN=2051;PW=${PW};MN=${MN};Flag=5;CP=&&DataTime=${bj(minute)};a34004-Avg=${30 + (seq % 9)},a34004-Flag=N&&`))
  }, 400)
  return sock
}

before(async () => {
  // Clock checks every 3 s so the device is asked its time during the test.
  server = await startServer({ extraFlags: ['--hj212-rate=0', '--hj212-gap-interval=0', '--hj212-clock-check=3'] })
  port = Number(/hj212 listening on 127\.0\.0\.1:(\d+)/.exec(server.output())[1])
  browser = await launchBrowser()
})

after(async () => {
  clearInterval(sender)
  dev?.destroy()
  if (browser) await browser.close()
  if (server) await server.stop()
})

test('device clock: sync turned off in the device form, the measured skew on the station page', async () => {
  const page = await newPage(browser, server.url)
  await login(page, ACCOUNTS.staff, '/console')
  const api = async (p) => (await page.request.get(server.url + '/api/v1' + p)).json()
  const stations = (await api('/monitor/stations')).items
  let station = null
  for (const s of stations) {
    const d = await api(`/monitor/stations/${s.id}`)
    if (d.device_list.some((x) => x.mn === MN)) station = d
    if (station) break
  }
  assert.ok(station, 'the station of ' + MN)
  assert.equal(station.device_list.find((x) => x.mn === MN).clock_sync, 1)

  await page.goto(`/console/monitor/stations/${station.id}`)
  await page.getByRole('tab', { name: '设备' }).click()
  const table = page.getByTestId('mon-device-table')
  await table.getByTestId('mon-dev-sync-' + MN).waitFor()
  assert.match(await table.getByTestId('mon-dev-sync-' + MN).textContent(), /自动校时/)
  assert.match(await table.getByTestId('mon-dev-skew-' + MN).textContent(), /尚未校验/)
  // Turn automatic clock sync off in the device form.
  await table.locator('tr', { hasText: MN }).getByRole('button', { name: '编辑' }).click()
  const sw = page.getByTestId('dev-clock-sync')
  await sw.waitFor()
  assert.ok(await sw.locator('input').isChecked())
  assert.ok(await page.getByTestId('dev-clock-offset').locator('input').isDisabled(), 'offset disabled while sync is on')
  await sw.click()
  assert.ok(await page.getByTestId('dev-clock-offset').locator('input').isEnabled())
  await page.getByTestId('dev-save').click()
  await poll(async () => (await api(`/monitor/stations/${station.id}`)).device_list.find((x) => x.mn === MN).clock_sync === 0)
  await table.getByTestId('mon-dev-sync-' + MN).filter({ hasText: '不自动校时' }).waitFor()

  // The device connects; the clock sweep asks it its time; the page shows +120 s.
  dev = startDevice()
  await poll(async () => (await api(`/monitor/stations/${station.id}`)).device_list.find((x) => x.mn === MN).clock_checked_at, 30000)
  await poll(async () => {
    await page.reload()
    await page.getByRole('tab', { name: '设备' }).click()
    const text = await page.getByTestId('mon-dev-skew-' + MN).textContent()
    return /\+1(19|20|21) 秒/.test(text)
  })
  // +120 s is beyond the 60 s tolerance: marked on the page
  assert.equal(await page.getByTestId('mon-dev-skew-' + MN).locator('b.eg-skew-out').count(), 1)
  await screenshot(page, 'monitor-device-clock')
  assert.ok(!devFrames.some((f) => /CN=1012;/.test(f)), 'no 1012 while clock sync is off')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('forward targets: add, backlog while the upstream is down, move, deactivate, delete; leaders read', async () => {
  const page = await newPage(browser, server.url)
  await login(page, ACCOUNTS.admin, '/console')
  assert.ok((await navKeys(page)).includes('mon-forward'), 'menu entry 数据转发')
  await page.goto('/console/monitor/forward')
  await page.getByTestId('fwd-table').waitFor()

  // Added through the dialog, pointing at a port where nobody listens yet.
  const downPort = await freePort()
  await page.getByTestId('fwd-add').click()
  await page.getByTestId('fwd-form-name').fill('省级监控平台')
  await page.getByTestId('fwd-form-host').fill('127.0.0.1')
  await page.getByTestId('fwd-form-port').locator('input').fill(String(downPort))
  await page.getByTestId('fwd-save').click()
  const list = async () => (await (await page.request.get(server.url + '/api/v1/monitor/forward-targets')).json()).items
  const target = await poll(async () => (await list()).find((x) => x.name === '省级监控平台'))
  assert.equal(target.port, downPort)
  const id = target.id
  // Frames from the device (started by the previous test) pile up: backlog and a failing state.
  if (!dev) dev = startDevice()
  await page.locator(`[data-testid="fwd-state-${id}"][data-state="error"]`).waitFor({ timeout: 30000 })
  await poll(async () => Number(await page.getByTestId('fwd-backlog-' + id).textContent()) >= 2)
  assert.match(await page.getByTestId('fwd-error-' + id).textContent(), /connect|refused/i)
  await screenshot(page, 'monitor-forward-backlog')

  // Moved to a live upstream: the backlog drains there.
  const livePort = await freePort()
  const live = await upstream(livePort)
  await page.getByTestId('fwd-edit-' + id).click()
  await page.getByTestId('fwd-form-port').locator('input').fill(String(livePort))
  await page.getByTestId('fwd-save').click()
  await page.locator(`[data-testid="fwd-state-${id}"][data-state="connected"]`).waitFor({ timeout: 30000 })
  await poll(async () => (await page.getByTestId('fwd-backlog-' + id).textContent()).trim() === '0')
  assert.match(await page.getByTestId('fwd-addr-' + id).textContent(), new RegExp(`127\\.0\\.0\\.1:${livePort}`))
  await poll(() => live.got.filter((f) => /CN=2051/.test(f)).length >= 2)
  await screenshot(page, 'monitor-forward')

  // A leader sees the page without the buttons.
  const lp = await newPage(browser, server.url)
  await login(lp, ACCOUNTS.leader, '/console')
  await lp.goto('/console/monitor/forward')
  await lp.getByTestId('fwd-name-' + id).waitFor()
  assert.equal(await lp.getByTestId('fwd-add').count(), 0)
  assert.equal(await lp.getByTestId('fwd-toggle-' + id).count(), 0)
  assert.deepEqual(lp.problems, [])
  await lp.context().close()

  // Deactivated (after confirming), then deleted.
  await page.getByTestId('fwd-toggle-' + id).click()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await page.locator(`[data-testid="fwd-state-${id}"][data-state="inactive"]`).waitFor()
  assert.equal((await list()).find((x) => x.id === id).active, false)
  await page.getByTestId('fwd-delete-' + id).click()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await page.getByTestId('fwd-name-' + id).waitFor({ state: 'detached' })
  assert.ok(!(await list()).some((x) => x.id === id))
  await live.stop()
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
