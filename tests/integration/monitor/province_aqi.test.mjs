// The province view's AQI (issue 12) on SQLite, against values worked out by hand from HJ 633—2026
// (Table 3 breakpoints, formula (1), indices rounded up, §5.3.1 withholding) and the quality
// module's rules for days (GB 3095 Table 4: a 24-hour mean needs 20 hours; O3 the daily maximum
// 8-hour mean; an area's day from the mean of its stations' values, O3 from the mean hourly
// series). Two days of June 2026 (the 2026 edition), city 甲市: a national station in 东区, a
// provincial one in 西区, and a micro station in 东区 whose high PM2.5 is not an AQI input.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { demoDb, startServer, Client } from '../lib.mjs'
import { frame, bj, qnMaker, Peer, fromBj, poll } from '../hj212peer.mjs'

const qn = qnMaker('20260610000000')
const PW = '246810'
const D10 = fromBj('20260610000000') // Beijing midnight of 2026-06-10
let env, server, admin, port

before(async () => {
  env = demoDb({ enterprises: 3 })
  server = await startServer(env.db, ['--hj212-rate=0'])
  port = Number(/hj212 listening on 127\.0\.0\.1:(\d+)/.exec(server.output())[1])
  admin = await Client.as(server.url, 'admin')
  for (const [code, kind, district] of [['IT-AQI-E', 'national', '东区'], ['IT-AQI-W', 'provincial', '西区'], ['IT-AQI-M', 'micro', '东区']]) {
    let r = await admin.post('/api/v1/monitor/stations', { code, name: code, kind, city: '甲市', district, lon: 117.2, lat: 29.3 })
    assert.equal(r.status, 201, r.text)
    r = await admin.post('/api/v1/monitor/devices', { station_id: r.json.id, mn: code, pw: PW })
    assert.equal(r.status, 201, r.text)
  }
})

after(async () => {
  await server?.stop()
  env?.cleanup()
})

// One hour record of the six pollutants (null: not sent); flags per code ('N' unless given).
function hour(mn, t, v, flags = {}) {
  const items = Object.entries(v).filter(([, x]) => x !== null).map(([c, x]) => `${c}-Avg=${x},${c}-Flag=${flags[c] ?? 'N'}`)
  const q = qn()
  return { q, bytes: frame(`QN=${q};ST=22;CN=2061;PW=${PW};MN=${mn};Flag=5;CP=&&DataTime=${bj(t)};${items.join(';')}&&`) }
}

// O3 of hour h: 60 for 00..07, 150 for 08..15, 80 for 16..23 (the window 08..15 is the MDA8)
const o3East = (h) => (h < 8 ? 60 : h < 16 ? 150 : 80)

function dataSet() {
  const out = []
  for (const [day, pm25East, pm25West] of [[0, 50, 30], [1, 100, 40]]) {
    for (let h = 0; h < 24; h++) {
      const t = D10 + day * 86400 + h * 3600
      // 东区 national: hour 3 of the 10th is a fault (D) with 999: not counted, the mean stays 50
      const bad = day === 0 && h === 3
      out.push(hour('IT-AQI-E', t, { a21026: 10, a21004: 30, a21005: 0.8, a05024: o3East(h), a34002: 70, a34004: bad ? 999 : pm25East }, bad ? { a34004: 'D' } : {}))
      // 西区 provincial: NO2 only 19 hours on the 11th (not a valid 24-hour mean)
      out.push(hour('IT-AQI-W', t, { a21026: 10, a21004: day === 1 && h >= 19 ? null : 30, a21005: 0.8, a05024: 100, a34002: 70, a34004: pm25West }))
      // 东区 micro: PM2.5 only, high
      out.push(hour('IT-AQI-M', t, { a34004: 300 }))
    }
  }
  return out
}

async function send(frames) {
  const sock = net.connect(port, '127.0.0.1')
  const dev = new Peer(sock)
  await new Promise((r) => sock.once('connect', r))
  for (const f of frames) {
    sock.write(f.bytes)
    await dev.waitFor((x) => x.includes('CN=9014') && x.includes(f.q))
  }
  sock.destroy()
}

test('the province view ranks districts by their mean daily AQI, worked out by hand', async () => {
  await send(dataSet())
  // the PM2.5 column reads the day rollups, written up to a second after the records
  const r = await poll(async () => {
    const x = await admin.get('/api/v1/monitor/province?month=2026-06&by=aqi')
    assert.equal(x.status, 200, x.text)
    return x.json.items.find((i) => i.district === '东区')?.pm25_hours === 47 + 48 && x
  }, 10000, 'the day rollups')
  assert.equal(r.json.by, 'aqi')
  const row = (d) => r.json.items.find((x) => x.city === '甲市' && x.district === d)
  const east = row('东区'), west = row('西区'), city = r.json.cities.find((x) => x.city === '甲市')
  // 西区, the 10th: SO2 10 -> 10; NO2 30 -> 50 * 30 / 40 = 37.5 -> 38; CO 0.8 -> 50 * 0.8 / 2 = 20;
  // O3 MDA8 100 -> 50; PM10 70 -> 50 + 50 * 20 / 70 = 64.3 -> 65; PM2.5 30 -> 50 * 30 / 35 =
  // 42.9 -> 43: AQI 65, good. The 11th: NO2 missing; PM2.5 40 -> 50 + 50 * 5 / 25 = 60; AQI 65
  // <= 100 with a pollutant missing: withheld (§5.3.1). One day: 65, good 100 %.
  assert.deepEqual([west.aqi, west.aqi_days, west.good_days, west.good_ratio, west.air_stations], [65, 1, 1, 100, 1])
  // 东区, the 10th: O3 MDA8 150 (window 08..15) -> 50 + 50 * 50 / 60 = 91.7 -> 92; PM2.5 50
  // (hour 3 invalid: 23 hours of 50) -> 50 + 50 * 15 / 25 = 80: AQI 92, good. The 11th: PM2.5
  // 100 -> 100 + 50 * 40 / 55 = 136.4 -> 137: AQI 137. Mean 114.5, one good day of two: 50 %.
  // The micro station's PM2.5 of 300 is no AQI input.
  assert.deepEqual([east.aqi, east.aqi_days, east.good_days, east.good_ratio, east.air_stations, east.stations], [114.5, 2, 1, 50, 1, 2])
  // ranked by AQI, lowest first: 西区 before 东区
  assert.ok(west.rank < east.rank, JSON.stringify(r.json.items))
  assert.equal(r.json.items[0].district, '西区')
  // 甲市, the 10th: PM2.5 (50 + 30) / 2 = 40 -> 60; PM10 70 -> 65; O3 hourly means 80 (00..07),
  // 125 (08..15), 90 (16..23): MDA8 125 -> 50 + 50 * 25 / 60 = 70.8 -> 71: AQI 71. The 11th:
  // NO2 30 (东区's; 西区's is not valid); PM2.5 (100 + 40) / 2 = 70 -> 100 + 50 * 10 / 55 = 109.1
  // -> 110: AQI 110. Mean 90.5, one good day of two.
  assert.deepEqual([city.aqi, city.aqi_days, city.good_days, city.good_ratio, city.air_stations], [90.5, 2, 1, 50, 2])
  // the PM2.5 column is unchanged: every station's valid hours (the micro's too)
  // (23 x 50 + 24 x 100 + 48 x 300) / 95 = 188.9
  assert.equal(east.pm25, 188.9)
  // ranked by good days, highest first; by PM2.5 as before; a bad ranking is refused
  const g = await admin.get('/api/v1/monitor/province?month=2026-06&by=good')
  assert.equal(g.json.items[0].district, '西区')
  const p = await admin.get('/api/v1/monitor/province?month=2026-06')
  assert.equal(p.json.by, 'pm25')
  assert.equal(p.json.items[0].district, '西区') // 35 µg/m³ against 东区's micro-laden mean
  for (const bad of ['so2', 'aqiaqiaqi', "aqi'", 'AQI'])
    assert.equal((await admin.get(`/api/v1/monitor/province?month=2026-06&by=${encodeURIComponent(bad)}`)).status, 422, bad)
  // a leader reads it too; an enterprise does not
  const leader = await Client.as(server.url, 'leader')
  const l = await leader.get('/api/v1/monitor/province?month=2026-06&by=aqi')
  assert.deepEqual(l.json.items.find((x) => x.district === '东区').aqi, 114.5)
  const ent = await Client.as(server.url, 'enterprise')
  assert.equal((await ent.get('/api/v1/monitor/province?month=2026-06&by=aqi')).status, 403)
  // another month: no AQI
  const m = await admin.get('/api/v1/monitor/province?month=2026-05&by=aqi')
  const e5 = m.json.items.find((x) => x.city === '甲市' && x.district === '东区')
  assert.deepEqual([e5.aqi, e5.aqi_days, e5.good_ratio], [null, 0, null])
})
