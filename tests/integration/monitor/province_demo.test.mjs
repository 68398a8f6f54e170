// The province view on the demo (issue 12): `ecogov demo` registers AQI stations in the demo city
// 景瓷市 and in three other cities of its province and writes their devices' hour records since
// the previous month began, so the page an administrator opens (the month of yesterday, Beijing)
// ranks cities and districts with their AQI, PM2.5 and online rates. The demo's 九江濂溪 station
// stopped sending two days ago (offline); the demo city's national stations send no hour records
// (their data reaches the quality module as imports), micro stations are no AQI input.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { demoDb, startServer, Client } from '../lib.mjs'

let env, server, admin

before(async () => {
  env = demoDb({ enterprises: 3 })
  server = await startServer(env.db)
  admin = await Client.as(server.url, 'admin')
})

after(async () => {
  await server?.stop()
  env?.cleanup()
})

/** YYYY-MM of the Beijing day `back` days before today, and that month's length. */
function month(back) {
  const d = new Date(Date.now() + 8 * 3600e3 - back * 86400e3)
  const days = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()
  return { m: d.toISOString().slice(0, 7), days, day: d.getUTCDate() }
}

/** The previous month of YYYY-MM and its length. */
function before1(m) {
  const [y, mo] = m.split('-').map(Number)
  const d = new Date(Date.UTC(y, mo - 2, 1))
  return { m: d.toISOString().slice(0, 7), days: new Date(Date.UTC(y, mo - 1, 0)).getUTCDate() }
}

const CITIES = { 景瓷市: 5, 南昌市: 3, 九江市: 2, 上饶市: 2 } // AQI stations of each city

test('the page month (yesterday\'s) ranks four cities with AQI, PM2.5 and online rates', async () => {
  const y = month(1)
  const r = await admin.get(`/api/v1/monitor/province?month=${y.m}&by=aqi`)
  assert.equal(r.status, 200, r.text)
  const cities = Object.fromEntries(r.json.cities.map((c) => [c.city, c]))
  // every demo station has its city: no "no city" row
  assert.deepEqual(Object.keys(cities).sort(), Object.keys(CITIES).sort())
  for (const [name, air] of Object.entries(CITIES)) {
    const c = cities[name]
    assert.ok(c, name)
    assert.equal(c.air_stations, air, name)
    // every day of the month up to yesterday has a published AQI (the city has several stations)
    assert.equal(c.aqi_days, y.day, name)
    assert.ok(c.aqi > 0 && c.aqi < 300, `${name} AQI ${c.aqi}`)
    assert.ok(c.good_days >= 0 && c.good_days <= c.aqi_days)
    assert.ok(c.pm25 > 13 && c.pm25_hours >= 20 * y.day, `${name} PM2.5 ${c.pm25}`)
    assert.equal(c.pm25_over_target, Math.round((c.pm25 - r.json.pm25_target) * 10) / 10)
  }
  // ranked by AQI, lowest first
  const aqis = r.json.cities.filter((c) => c.aqi !== null).map((c) => c.aqi)
  assert.deepEqual(aqis, [...aqis].sort((a, b) => a - b))
  assert.deepEqual(r.json.cities.slice(0, aqis.length).map((c) => c.rank), aqis.map((_, i) => i + 1))
  // online: 南昌's three stations send; 九江濂溪 stopped two days ago; 景瓷市's own network (its
  // national stations, micro stations, water sections, CEMS outlets) has no demo device data but
  // its three provincial stations
  assert.deepEqual([cities['南昌市'].online, cities['南昌市'].stations, cities['南昌市'].online_rate], [3, 3, 1])
  assert.deepEqual([cities['九江市'].online, cities['九江市'].stations, cities['九江市'].online_rate], [1, 2, 0.5])
  assert.equal(cities['景瓷市'].online, 3)
  assert.ok(cities['景瓷市'].stations > 5)

  const items = r.json.items
  const district = (c, d) => items.find((x) => x.city === c && x.district === d)
  assert.deepEqual([district('九江市', '濂溪区').online, district('九江市', '濂溪区').stations], [0, 1])
  for (const [c, d] of [['南昌市', '东湖区'], ['南昌市', '红谷滩区'], ['上饶市', '广丰区'], ['景瓷市', '高新区']])
    assert.ok(district(c, d).aqi > 0, `${c}${d}`)
  // the demo city's national stations send no hour records: no AQI of their own in 昌南区
  assert.equal(district('景瓷市', '昌南区').aqi, null)
  assert.equal(district('景瓷市', '昌南区').air_stations, 1)
})

test('the previous month is whole, so the page has data on the 1st too', async () => {
  const p = before1(month(0).m)
  const r = await admin.get(`/api/v1/monitor/province?month=${p.m}`)
  assert.equal(r.status, 200, r.text)
  for (const name of Object.keys(CITIES)) {
    const c = r.json.cities.find((x) => x.city === name)
    assert.equal(c.aqi_days, p.days, name)
    assert.ok(c.aqi > 0 && c.pm25 > 0, name)
  }
  // ranked by PM2.5 (the default), lowest first
  const pm = r.json.cities.filter((c) => c.pm25 !== null).map((c) => c.pm25)
  assert.deepEqual(pm, [...pm].sort((a, b) => a - b))
  // a month before the demo's records: no AQI anywhere
  const old = (await admin.get('/api/v1/monitor/province?month=2020-01')).json
  assert.ok(old.cities.every((c) => c.aqi === null && c.pm25 === null))
})
