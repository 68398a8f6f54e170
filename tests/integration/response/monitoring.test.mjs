// Online monitoring during a warning (issue 13) against the real server: HJ 212 minute records of a
// listed enterprise's outlet over TCP, before and during a warning; the comparison flags SO2 (not
// cut) and passes NOx (halved); the flagged outlet is handed to supervision as an alarm, once.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { demoDb, startServer, Client } from '../lib.mjs'
import { frame } from '../hj212peer.mjs'

let env, server, staff, leader, port

const bjDt = (t) => {
  const s = new Date(t * 1000 + 8 * 3600e3).toISOString()
  return s.slice(0, 4) + s.slice(5, 7) + s.slice(8, 10) + s.slice(11, 13) + s.slice(14, 16) + '00'
}
const bjMinute = (t) => new Date(t * 1000 + 8 * 3600e3).toISOString().slice(0, 16).replace('T', ' ')

let qnSeq = 0
function minute(mn, pw, t, values) {
  const q = '20261205' + String(++qnSeq).padStart(9, '0')
  const cp = [`DataTime=${bjDt(t)}`, ...values.map(([c, v]) => `${c}-Avg=${v},${c}-Flag=N`)].join(';')
  return { q, bytes: frame(`QN=${q};ST=31;CN=2051;PW=${pw};MN=${mn};Flag=5;CP=&&${cp}&&`) }
}

async function sendAll(frames) {
  const sock = net.connect(port, '127.0.0.1')
  await new Promise((resolve, reject) => { sock.once('connect', resolve); sock.once('error', reject) })
  let got = ''
  const want = new Set(frames.map((f) => f.q))
  const done = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('acks missing: ' + want.size)), 20_000)
    sock.on('data', (d) => {
      got += d.toString('latin1')
      for (const q of [...want]) if (got.includes(`QN=${q};ST=91;CN=9014`)) want.delete(q)
      if (!want.size) { clearTimeout(timer); resolve() }
    })
  })
  for (const f of frames) sock.write(f.bytes)
  await done
  sock.destroy()
}

// The warning took effect T0 (8 hours ago, on the hour); 6 baseline hours before it, 6 during it.
const T0 = Math.floor(Date.now() / 3600e3) * 3600 - 8 * 3600

before(async () => {
  env = demoDb({ enterprises: 40 })
  server = await startServer(env.db, ['--hj212-rate=0', '--quality-feed-interval=0'])
  port = Number(/hj212 listening on 127\.0\.0\.1:(\d+)/.exec(server.output())[1])
  staff = await Client.as(server.url, 'staff')
  leader = await Client.as(server.url, 'leader')
  // The demo enterprise 1's outlet PK-01 (device DEMO0025).
  const frames = []
  for (let h = 0; h < 6; h++)
    for (let m = 0; m < 60; m += 10) {
      frames.push(minute('DEMO0025', '123456', T0 - 8 * 3600 + h * 3600 + m * 60, [['a21026', '100'], ['a21002', '200'], ['a00000', '40']]))
      frames.push(minute('DEMO0025', '123456', T0 + h * 3600 + m * 60, [['a21026', '100'], ['a21002', '100'], ['a00000', '40']]))
    }
  await sendAll(frames)
})

after(async () => {
  await server?.stop()
  env?.cleanup()
})

test('the outlet that did not cut is flagged and handed to supervision', async () => {
  const w = await leader.post('/api/v1/response/warnings', { level: 'orange', reason: '测试', effective_at: bjMinute(T0) })
  assert.equal(w.status, 201, w.text)
  const wid = w.json.id
  // The monitor writer rolls the minutes up into hours a moment after it acknowledged them.
  let mon
  for (let i = 0; i < 100; i++) {
    mon = await staff.post(`/api/v1/response/warnings/${wid}/monitoring`, {})
    assert.equal(mon.status, 200, mon.text)
    if (mon.json.compared >= 2) break
    await new Promise((r) => setTimeout(r, 200))
  }
  const so2 = mon.json.items.find((x) => x.factor === 'so2')
  const nox = mon.json.items.find((x) => x.factor === 'nox')
  assert.ok(so2 && nox, JSON.stringify(mon.json))
  assert.equal(so2.outlet, 'PK-01')
  assert.equal(so2.basis, 'emission')
  assert.equal(so2.baseline_hours, 6)
  assert.equal(so2.warning_hours, 6)
  assert.equal(so2.baseline_mean, 14400) // 100 mg/m³ × 40 m³/s × 3.6 = 14,400 g/h
  assert.equal(so2.measured_pct, 0)
  assert.ok(so2.expected_pct > 10)
  assert.equal(so2.complies, 0)
  assert.equal(nox.measured_pct, 50)
  assert.equal(nox.complies, 1)
  assert.equal(mon.json.flagged, 1)

  const a = await staff.post(`/api/v1/response/monitoring/${so2.id}/alarm`, {})
  assert.equal(a.status, 200, a.text)
  assert.ok(a.json.alarm_id > 0)
  assert.equal((await staff.post(`/api/v1/response/monitoring/${so2.id}/alarm`, {})).status, 409)
  assert.equal((await staff.post(`/api/v1/response/monitoring/${nox.id}/alarm`, {})).status, 409)
  const alarms = await staff.get('/api/v1/supervision/lists/alarms')
  assert.ok(alarms.json.items.some((x) => x.id === a.json.alarm_id && x.source === 'response'), alarms.text.slice(0, 300))
  const s = await leader.get(`/api/v1/response/warnings/${wid}/summary`)
  assert.equal(s.json.measured.so2.flagged, 1)
  assert.equal(s.json.measured.nox.measured_pct, 50)
})
