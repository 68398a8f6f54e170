// Data flow across modules against the real server: HJ 212 frames over TCP into the monitor
// module's readings, the quality feed (POST /api/v1/quality/feed/run) turning hour rollups into
// a linked station's hourly AQI and a CEMS outlet's values into an enterprise alarm, and that
// alarm handed to supervision where it is verified and becomes a case.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { demoDb, startServer, Client, ecogov } from '../lib.mjs'
import { frame } from '../hj212peer.mjs'


/** Beijing time as HJ 212 DataTime (YYYYMMDDhhmmss) and as the import's 'YYYY-MM-DD HH:00'. */
function bj(t) {
  const s = new Date(t * 1000 + 8 * 3600e3).toISOString()
  return { dt: s.slice(0, 4) + s.slice(5, 7) + s.slice(8, 10) + s.slice(11, 13) + s.slice(14, 16) + '00', csv: s.slice(0, 10) + ' ' + s.slice(11, 13) + ':00' }
}

let qnSeq = 0
/** A 2051 minute record; values [[code, value, flag]]; Flag=5 asks for a 9014. */
function minute(mn, pw, st, t, values) {
  const q = '20260101' + String(++qnSeq).padStart(9, '0')
  const cp = [`DataTime=${bj(t).dt}`, ...values.map(([c, v, f = 'N']) => `${c}-Avg=${v},${c}-Flag=${f}`)].join(';')
  return { q, bytes: frame(`QN=${q};ST=${st};CN=2051;PW=${pw};MN=${mn};Flag=5;CP=&&${cp}&&`) }
}

/** Sends frames on one connection and waits for every 9014 (the writer has committed them). */
async function sendAll(port, frames) {
  const sock = net.connect(port, '127.0.0.1')
  await new Promise((resolve, reject) => { sock.once('connect', resolve); sock.once('error', reject) })
  let got = ''
  const want = new Set(frames.map((f) => f.q))
  const done = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('acks missing: ' + [...want].join(','))), 10_000)
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

async function poll(fn, ms = 10_000) {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 200))
  }
}

let env, server, admin, staff, port, ent, aqStation
const AIR_MN = 'DF-AIR-0001'
const GAS_MN = 'DF-GAS-0001'
const PW = '112233'
// Three complete hours well before the feed's settle time: B, B+1h, B+2h.
const B = Math.floor(Date.now() / 3600e3) * 3600 - 5 * 3600
const AIR = [['a21026', '12'], ['a21004', '45'], ['a21005', '0.9'], ['a05024', '88'], ['a34002', '160'], ['a34004', '118']]

before(async () => {
  env = demoDb({ enterprises: 8 })
  server = await startServer(env.db, ['--hj212-rate=0', '--quality-feed-interval=0'])
  port = Number(/hj212 listening on 127\.0\.0\.1:(\d+)/.exec(server.output())[1])
  admin = await Client.as(server.url, 'admin')
  staff = await Client.as(server.url, 'staff')
  let r = await admin.post('/api/v1/monitor/stations', { code: 'DF-AIR', name: '联动测试国控站', kind: 'national', district: '珠山区', min_interval: 10 })
  assert.equal(r.status, 201, r.text)
  const air = r.json.id
  assert.equal((await admin.post('/api/v1/monitor/devices', { station_id: air, mn: AIR_MN, pw: PW })).status, 201)
  r = await admin.post('/api/v1/quality/stations', { code: 'DF-Q1', name: '联动测试站', district: '珠山区', kind: 'national', lon: 117.21, lat: 29.29, device_station_id: air })
  assert.equal(r.status, 201, r.text)
  aqStation = r.json.id
  assert.equal(r.json.device_station_id, air)
  ent = (await admin.get('/api/v1/enterprises?limit=1')).json.items[0].id
  r = await admin.post('/api/v1/monitor/stations', { code: 'DF-GAS', name: '联动测试排口', kind: 'source_gas', enterprise_id: ent, min_interval: 10 })
  assert.equal(r.status, 201, r.text)
  assert.equal((await admin.post('/api/v1/monitor/devices', { station_id: r.json.id, mn: GAS_MN, pw: PW })).status, 201)
  // SO2 permitted 100 mg/m³ at 9 % reference O2 (折算).
  r = await admin.post('/api/v1/quality/source-limits', { enterprise_id: ent, outlet: 'DF-GAS', factor: 'so2', limit: 100, o2_ref: 9 })
  assert.equal(r.status, 201, r.text)

  const frames = []
  for (let h = 0; h < 2; h++) for (let m = 0; m < 60; m += 10) frames.push(minute(AIR_MN, PW, 22, B + h * 3600 + m * 60, AIR))
  // CEMS: hour B 80 mg/m³ at 15 % O2 → 折算 160 (raises); B+1h 40 → 80 (clears);
  // B+2h 200 → 400 but four of six records flagged D (fault).
  for (let m = 0; m < 60; m += 10) {
    frames.push(minute(GAS_MN, PW, 31, B + m * 60, [['a21026', '80'], ['a19001', '15']]))
    frames.push(minute(GAS_MN, PW, 31, B + 3600 + m * 60, [['a21026', '40'], ['a19001', '15']]))
    frames.push(minute(GAS_MN, PW, 31, B + 7200 + m * 60, [['a21026', '200', m < 40 ? 'D' : 'N'], ['a19001', '15']]))
  }
  await sendAll(port, frames)
})

after(async () => {
  if (server) await server.stop()
  env?.cleanup()
})

/** Runs the feed until the hour rollups (written by the monitor writer a few seconds after the
 * data) have reached quality. */
async function runFeed(pred) {
  return poll(async () => {
    const r = await admin.post('/api/v1/quality/feed/run', {})
    assert.equal(r.status, 200, r.text)
    return (await pred()) && r.json
  })
}

test('a linked station gets its hourly AQI from the device hours; imported values win', async () => {
  const rt = await runFeed(async () => {
    const r = await admin.get(`/api/v1/quality/realtime?station=${aqStation}`)
    return r.status === 200 && r.json.hour === B + 3600 && r.json
  }).then(() => admin.get(`/api/v1/quality/realtime?station=${aqStation}`)).then((r) => r.json)
  // The same concentrations through `ecogov aqi` (an independent path through the AQI code).
  const row = `${bj(B + 3600).csv},hourly,12,45,0.9,88,,160,118,\n`
  const cli = ecogov(['aqi', '--standard', rt.standard], { input: 'time,kind,so2,no2,co,o3_1h,o3_8h,pm10,pm25,o3_1h_max\n' + row })
  assert.equal(cli.status, 0, cli.stderr)
  const out = cli.stdout.trim().split('\n')
  const head = out[0].split(','), vals = out[1].split(',')
  assert.equal(rt.aqi, Number(vals[head.indexOf('aqi')]))
  assert.equal(rt.concentrations.pm25, 118)
  assert.equal(rt.concentrations.co, 0.9)

  // An imported (reviewed) value for hour B wins over the device's; the other pollutants stay.
  const imp = await staff.post('/api/v1/quality/hourly', `station,time,so2,no2,co,o3,pm10,pm25\nDF-Q1,${bj(B).csv},,,,,,50\n`, { headers: { 'content-type': 'text/csv' } })
  assert.equal(imp.status, 200, imp.text)
  const hourly = (await admin.get(`/api/v1/quality/hourly?station=${aqStation}&hours=2`)).json.items
  const hb = hourly.find((h) => h.hour === B)
  assert.equal(hb.concentrations.pm25, 50)
  assert.equal(hb.concentrations.pm10, 160)
  // Running the feed again changes nothing.
  const again = (await admin.post('/api/v1/quality/feed/run', {})).json
  assert.equal(again.air_hours, 0)
  // Daily row exists for the day of B (rolled up from the device hours).
  const day = bj(B).csv.slice(0, 10)
  const daily = (await admin.get(`/api/v1/quality/daily?station=${aqStation}&from=${day}&to=${day}`)).json.items
  assert.equal(daily.length, 1)
})

test('a CEMS exceedance raises an alarm on the enterprise, handed to supervision, which becomes a case', async () => {
  const alarms = await runFeed(async () => {
    const r = await admin.get('/api/v1/quality/alarms?limit=100')
    const mine = r.json.items.filter((a) => a.kind === 'source' && a.enterprise_id === ent && a.outlet === 'DF-GAS')
    return mine.length >= 2 && mine
  }).then(async () => (await admin.get('/api/v1/quality/alarms?limit=100')).json.items.filter((a) => a.kind === 'source' && a.enterprise_id === ent && a.outlet === 'DF-GAS'))
  alarms.sort((a, b) => a.id - b.id)
  assert.equal(alarms.length, 2)
  assert.equal(alarms[0].value, 160) // 80 × (21 − 9) / (21 − 15)
  assert.equal(alarms[0].limit, 100)
  assert.equal(alarms[0].state, 'cleared') // hour B+1h was back within the limit
  assert.equal(alarms[1].value, 400)
  assert.equal(alarms[1].state, 'raised')

  // Idempotent: another run evaluates nothing and raises nothing.
  const again = (await admin.post('/api/v1/quality/feed/run', {})).json
  assert.equal(again.source_hours, 0)

  const sup = (await staff.get(`/api/v1/supervision/lists/alarms?enterprise_id=${ent}`)).json.items
    .filter((a) => a.source === 'hj212' && a.point === GAS_MN)
    .sort((a, b) => a.id - b.id)
  assert.equal(sup.length, 2)
  assert.equal(sup[0].value, 160)
  assert.equal(sup[0].data_flag, 'N')
  assert.equal(sup[0].device_ok, 1)
  assert.equal(sup[0].observed_at, B)
  assert.equal(sup[0].unit, 'mg/m³')
  assert.equal(sup[1].data_flag, 'D')
  assert.equal(sup[1].observed_at, B + 7200)

  // The valid one is verified and becomes a case; the fault-flagged one can only be dismissed.
  assert.equal((await staff.post(`/api/v1/supervision/alarms/${sup[0].id}/verify`, { note: '数据有效，设备正常' })).status, 200)
  const k = await staff.post(`/api/v1/supervision/alarms/${sup[0].id}/case`, { title: '二氧化硫折算浓度超标' })
  assert.equal(k.status, 200, k.text)
  assert.equal(k.json.enterprise_id, ent)
  const v = await staff.post(`/api/v1/supervision/alarms/${sup[1].id}/verify`, {})
  assert.equal(v.status, 422)
  assert.equal(v.json.error.code, 'alarm_data_invalid')
  // The enterprise user sees the alarm on its own record only.
  const cases = (await staff.get(`/api/v1/supervision/lists/cases?enterprise_id=${ent}`)).json.items
  assert.ok(cases.some((c) => c.id === k.json.id && c.alarm_id === sup[0].id))
})

test('links are validated: only air stations, one quality station each', async () => {
  const gas = (await admin.get('/api/v1/monitor/stations?q=DF-GAS')).json.items[0].id
  let r = await admin.put(`/api/v1/quality/stations/${aqStation}/device`, { device_station_id: gas })
  assert.equal(r.status, 422)
  r = await admin.post('/api/v1/quality/stations', { code: 'DF-Q2', name: '重复关联', kind: 'national', lon: 117.22, lat: 29.28, device_station_id: (await admin.get(`/api/v1/quality/stations`)).json.items.find((s) => s.id === aqStation).device_station_id })
  assert.equal(r.status, 422)
  r = await admin.put('/api/v1/quality/stations/999999/device', { device_station_id: null })
  assert.equal(r.status, 404)
  r = await staff.post('/api/v1/quality/feed/run', {})
  assert.equal(r.status, 403)
})
