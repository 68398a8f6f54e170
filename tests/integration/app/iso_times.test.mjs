// ISO 8601 wherever a time is read (issue 17 item 11d): `ecogov aqi`, the hourly air-data import,
// a visit's planned time and the monitoring series bounds accept `…+08:00`, `…Z` and other offsets
// as well as the Beijing forms they took before, and mean the same instant; malformed zones are
// refused with the same errors as before.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { demoDb, startServer, Client, ecogov } from '../lib.mjs'

let env, srv, staff, admin
before(async () => {
  env = demoDb({ enterprises: 10 })
  srv = await startServer(env.db)
  staff = await Client.as(srv.url, 'staff')
  admin = await Client.as(srv.url, 'admin')
})
after(async () => {
  await srv?.stop()
  env?.cleanup()
})

const HEADER = 'time,kind,so2,no2,co,o3_1h,o3_8h,pm10,pm25,o3_1h_max\n'
const cells = (out) => out.trim().split('\n').slice(1).map((l) => l.split(',').slice(10).join(','))

test('ecogov aqi reads ISO 8601 times with an offset or Z as the same instant as Beijing time', () => {
  const rows = ['2026-06-01 12:00', '2026-06-01T12:00:00+08:00', '2026-06-01T04:00:00Z', '2026-06-01T12:00:00+0800', '2026-05-31T23:00:00-05:00']
  const r = ecogov(['aqi'], { input: HEADER + rows.map((t) => `${t},hourly,10,20,0.5,80,,50,30,`).join('\n') + '\n' })
  assert.equal(r.status, 0, r.stderr)
  const out = cells(r.stdout)
  assert.equal(out.length, rows.length)
  assert.ok(out.every((c) => c === out[0]), out.join('\n'))
  // The edition goes by the Beijing date: 20:00Z on 02-28 is 04:00 on 03-01 in Beijing (HJ 633—2026).
  const e = ecogov(['aqi'], { input: HEADER + '2026-02-28T20:00:00Z,hourly,10,20,0.5,80,,50,30,\n2026-02-28 20:00,hourly,10,20,0.5,80,,50,30,\n' })
  assert.equal(e.status, 0, e.stderr)
  const [z, bj] = e.stdout.trim().split('\n').slice(1).map((l) => l.split(',')[10])
  assert.equal(z, '2026')
  assert.equal(bj, '2012')
  for (const bad of ['2026-06-01T12:00:00+25:00', '2026-06-01T12:00:00+8', '2026-06-01Z', '2026-06-01T12:00:00 UTC']) {
    const b = ecogov(['aqi'], { input: HEADER + `${bad},hourly,10,20,0.5,80,,50,30,\n` })
    assert.equal(b.status, 1, bad)
    assert.match(b.stderr, /line 2: time: expected/)
  }
})

test('the hourly import takes ISO 8601 hours; a half hour in another zone is still refused', async () => {
  let r = await staff.post('/api/v1/quality/stations', { code: 'T-ISO', name: '时区测试站', district: '测试区', town: '测试镇', lon: 117.2, lat: 29.3, kind: 'city' })
  assert.equal(r.status, 201, r.text)
  const csv = 'station,time,so2,no2,co,o3,pm10,pm25\nT-ISO,2026-01-05T01:00:00Z,5,20,0.5,40,60,30\nT-ISO,2026-01-05T10:00:00+08:00,6,21,0.6,41,61,31\nT-ISO,2026-01-05 11:00,7,22,0.7,42,62,32\n'
  r = await staff.post('/api/v1/quality/hourly', csv, { headers: { 'content-type': 'text/csv' } })
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.imported, 3)
  const series = (await staff.get('/api/v1/quality/hourly?station=T-ISO&hours=3')).json.items
  assert.deepEqual(series.map((h) => h.time), ['2026-01-05T09:00:00+08:00', '2026-01-05T10:00:00+08:00', '2026-01-05T11:00:00+08:00'])
  for (const bad of ['2026-01-05T01:30:00Z', '2026-01-05T01:00:00+05:30', '2026-01-05T01:00:00+99:00']) {
    r = await staff.post('/api/v1/quality/hourly', `station,time,so2,no2,co,o3,pm10,pm25\nT-ISO,${bad},5,20,0.5,40,60,30\n`, { headers: { 'content-type': 'text/csv' } })
    assert.equal(r.status, 422, bad)
    assert.equal(r.json.error.code, 'import_errors')
  }
})

test("a visit's planned time may be ISO 8601: the same instant as the Beijing form", async () => {
  const staffId = (await staff.get('/api/v1/auth/me')).json.user.id
  const make = (planned_at) => staff.post('/api/v1/service/visits', { enterprise_id: 1, purpose: '服务', planned_at, place: '企业', staff: [staffId] })
  const a = await make('2026-12-21 09:30')
  const b = await make('2026-12-21T01:30:00Z')
  const c = await make('2026-12-21T09:30+08:00')
  for (const r of [a, b, c]) assert.equal(r.status, 201, r.text)
  const planned = async (id) => (await staff.get(`/api/v1/service/visits/${id}`)).json.planned_at
  assert.equal(await planned(b.json.id), await planned(a.json.id))
  assert.equal(await planned(c.json.id), await planned(a.json.id))
  const bad = await make('2026-12-21')
  assert.equal(bad.status, 422, 'a date alone is not a planned time')
})

test('monitoring series bounds accept ISO 8601, encoded or with the + left as a space', async () => {
  const stations = (await admin.get('/api/v1/monitor/stations')).json.items
  const id = stations[0].id
  const get = (from, to) => admin.get(`/api/v1/monitor/stations/${id}/series?factor=a34004&kind=hour&from=${from}&to=${to}`)
  const plain = await get('2026-01-01', '2026-12-31')
  assert.equal(plain.status, 200, plain.text)
  for (const [from, to] of [
    ['2025-12-31T16:00:00Z', '2026-12-30T16:00:00Z'],
    ['2026-01-01T00:00:00%2B08:00', '2026-12-31T00:00%2B08:00'],
    ['2026-01-01T00:00:00+08:00', '2026-12-31T00:00:00+08:00'],
  ]) {
    const r = await get(from, to)
    assert.equal(r.status, 200, `${from}: ${r.text}`)
    assert.deepEqual(r.json.items, plain.json.items)
  }
  const bad = await get('2026-01-01T00:00:00%2B15:00', '2026-12-31')
  assert.equal(bad.status, 422)
  assert.equal(bad.json.error.field, 'from')
})
