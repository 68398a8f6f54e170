// Air-quality evaluation through the real server: a year of simulated hourly data for three
// stations of a test district goes in through the hourly import; the annual figures the server
// publishes (district and station) are checked against an independent computation written here
// (GB 3095 validity, HJ 663 MDA8 and percentiles, HJ 633 daily AQI of both editions, GB/T 8170
// rounding). Also: hostile imports, the public API's CORS, rankings and calibration.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { demoDb, startServer, Client } from '../lib.mjs'

const YEAR = 2026
const COLS = ['so2', 'no2', 'co', 'o3', 'pm10', 'pm25']
let env, server, staff, anon

// ---- deterministic generator ----
function rng(seed) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const daysFrom = (y, m, d) => Math.floor(Date.UTC(y, m - 1, d) / 86400000)
const DAY0 = daysFrom(YEAR, 1, 1)
const NDAYS = 365
const pad = (n) => String(n).padStart(2, '0')
function dateOf(day) {
  const d = new Date(day * 86400000)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
}

// hours[station][day][h] = [so2, no2, co, o3, pm10, pm25] in milli units (null = missing)
function generate() {
  const r = rng(20260301)
  const out = []
  for (let s = 0; s < 3; s++) {
    const st = []
    let lf = 0
    for (let d = 0; d < NDAYS; d++) {
      const month = new Date((DAY0 + d) * 86400000).getUTCMonth() + 1
      const season = 1 + 0.45 * Math.cos((2 * Math.PI * (month - 1)) / 12)
      const day = []
      for (let h = 0; h < 24; h++) {
        lf = 0.97 * lf + 0.2 * (r() - 0.5)
        const f = Math.exp(lf)
        let row = null
        const gap = s === 2 && month === 2 && (d % 28) < 10 // station 3 loses ten February days
        if (!gap && r() >= 0.05) {
          const pm25 = Math.round((25 + 8 * s) * season * f * (0.8 + 0.4 * r()) * 10) * 100
          row = [
            Math.round((6 + 5 * r()) * 10) * 100,
            Math.round((20 + 25 * r() * f) * 10) * 100,
            Math.round((0.5 + 0.6 * r() * f) * 100) * 10,
            Math.round((40 + 60 * (1.4 - season) * (h >= 10 && h <= 18 ? 1.8 : 0.7) * (0.7 + 0.5 * r())) * 10) * 100,
            Math.round((pm25 / 1000) * (1.4 + 0.4 * r()) * 10) * 100,
            pm25,
          ]
          if (s === 1 && d >= 200 && d < 204) row[3] = null // the O3 analyser of station 2 is away
        }
        day.push(row)
      }
      st.push(day)
    }
    out.push(st)
  }
  return out
}

// ---- independent computation (integers in milli units) ----
function roundHalfEven(num, den) { // num/den to an integer, half to even; num >= 0
  const q = Math.floor(num / den), rem = num - q * den
  if (2 * rem > den || (2 * rem === den && q % 2 === 1)) return q + 1
  return q
}
const meanMilli = (vals) => roundHalfEven(vals.reduce((a, b) => a + b, 0), vals.length)

function stationDay(hours) { // -> {v: [so2,no2,co,o3_1h,o3_8h,pm10,pm25], valid: [..]}
  const v = [], valid = []
  const col = (c) => hours.map((h) => (h && h[c] != null ? h[c] : null))
  for (const [slot, c] of [[0, 0], [1, 1], [2, 2], [5, 4], [6, 5]]) {
    const x = col(c).filter((a) => a !== null)
    v[slot] = x.length ? meanMilli(x) : null
    valid[slot] = x.length >= 20
  }
  const o3 = col(3)
  const o3v = o3.filter((a) => a !== null)
  v[3] = o3v.length ? Math.max(...o3v) : null
  valid[3] = o3v.length >= 20
  Object.assign(mda8(o3), {}) // for readability below
  const m = mda8(o3)
  v[4] = m.value
  valid[4] = m.valid
  return { v, valid }
}

function mda8(series) { // windows starting 0..16, each >= 6 hours; valid with >= 14 windows or max > 160
  let best = null, n = 0
  for (let s = 0; s <= 16; s++) {
    const w = series.slice(s, s + 8).filter((a) => a !== null)
    if (w.length < 6) continue
    n++
    const sum = w.reduce((a, b) => a + b, 0)
    if (!best || sum * best.cnt > best.sum * w.length) best = { sum, cnt: w.length }
  }
  if (!best) return { value: null, valid: false }
  const value = roundHalfEven(best.sum, best.cnt)
  return { value, valid: n >= 14 || best.sum > 160000 * best.cnt }
}

function areaDay(stationHours, stationDays) {
  const v = [], valid = []
  for (const slot of [0, 1, 2, 5, 6]) {
    const x = stationDays.filter((d) => d && d.valid[slot]).map((d) => d.v[slot])
    v[slot] = x.length ? meanMilli(x) : null
    valid[slot] = x.length > 0
  }
  const series = []
  for (let h = 0; h < 24; h++) {
    const x = stationHours.map((hs) => hs[h]).filter((row) => row && row[3] != null).map((row) => row[3])
    series.push(x.length ? meanMilli(x) : null)
  }
  const present = series.filter((a) => a !== null)
  v[3] = present.length ? Math.max(...present) : null
  valid[3] = present.length >= 20
  const m = mda8(series)
  v[4] = m.value
  valid[4] = m.valid
  return { v, valid }
}

const IAQI = [0, 50, 100, 150, 200, 300, 400, 500]
const BP = {
  so2: [0, 50, 150, 475, 800, 1600, 2100, 2620],
  no2: [0, 40, 80, 180, 280, 565, 750, 940],
  co: [0, 2, 4, 14, 24, 36, 48, 60],
  o3_1h: [0, 160, 200, 300, 400, 800, 1000, 1200],
  o3_8h: [0, 100, 160, 215, 265, 800],
  pm10: { 2012: [0, 50, 150, 250, 350, 420, 500, 600], 2026: [0, 50, 120, 250, 350, 420, 500, 600] },
  pm25: { 2012: [0, 35, 75, 115, 150, 250, 350, 500], 2026: [0, 35, 60, 115, 150, 250, 350, 500] },
}
function iaqi(bp, milli) {
  const c = milli
  if (c === 0) return 0
  for (let i = 1; i < bp.length; i++) {
    const lo = bp[i - 1] * 1000, hi = bp[i] * 1000
    if (c <= hi) {
      const num = (IAQI[i] - IAQI[i - 1]) * (c - lo), den = hi - lo
      return IAQI[i - 1] + Math.floor((num + den - 1) / den)
    }
  }
  return 500
}
function dailyAqi(day, d) { // -> aqi published or -1
  const ed = day >= daysFrom(2026, 3, 1) ? 2026 : 2012
  const slots = ed === 2012 ? ['so2', 'no2', 'co', 'o3_1h', 'o3_8h', 'pm10', 'pm25'] : ['so2', 'no2', 'co', 'o3_8h', 'pm10', 'pm25']
  const idx = { so2: 0, no2: 1, co: 2, o3_1h: 3, o3_8h: 4, pm10: 5, pm25: 6 }
  let aqi = -1, missing = false
  for (const p of slots) {
    const k = idx[p]
    if (!d.valid[k]) { missing = true; continue }
    let c = d.v[k]
    if (ed === 2026) c = p === 'co' ? roundHalfEven(c, 100) * 100 : roundHalfEven(c, 1000) * 1000
    const bp = p === 'pm10' || p === 'pm25' ? BP[p][ed] : BP[p]
    aqi = Math.max(aqi, iaqi(bp, c))
  }
  if (aqi < 0) return -1
  if (ed === 2026 && aqi === 0) aqi = 1
  if (ed === 2026 && missing && aqi <= 100) return -1
  return aqi
}

const MONTH_MIN = (m) => (m === 2 ? 25 : 27)
const monthOf = (day) => new Date(day * 86400000).getUTCMonth() + 1
function annualItem(series, pct, isCo) { // series: [{day, value}] valid daily values
  const vals = series.map((x) => x.value)
  const perMonth = new Array(13).fill(0)
  for (const x of series) perMonth[monthOf(x.day)]++
  let bad = 0
  for (let m = 1; m <= 12; m++) if (perMonth[m] < MONTH_MIN(m)) bad |= 1 << (m - 1)
  const valid = vals.length >= 324 && bad === 0
  const sum = vals.reduce((a, b) => a + b, 0)
  const scale = isCo ? 100 : 1000
  const mean = vals.length ? roundHalfEven(sum, vals.length * scale) * scale / 1000 : null
  const sorted = [...vals].sort((a, b) => a - b)
  const n = sorted.length
  const pos100 = 100 + (n - 1) * pct
  const s = Math.floor(pos100 / 100), f = pos100 % 100
  const v100 = f === 0 ? 100 * sorted[s - 1] : 100 * sorted[s - 1] + (sorted[s] - sorted[s - 1]) * f
  const p = roundHalfEven(v100, 100 * scale) * scale / 1000
  return { mean, pct: p, n, valid, bad }
}

function expectAnnual(days) { // days[d] = {v, valid} or null
  const items = {}
  const spec = { so2: [0, 98], no2: [1, 98], co: [2, 95], o3: [4, 90], pm10: [5, 95], pm25: [6, 95] }
  for (const [name, [slot, pct]] of Object.entries(spec)) {
    const series = []
    days.forEach((d, i) => { if (d && d.valid[slot]) series.push({ day: DAY0 + i, value: d.v[slot] }) })
    items[name] = annualItem(series, pct, name === 'co')
  }
  const aqis = days.map((d, i) => (d ? dailyAqi(DAY0 + i, d) : -1)).filter((a) => a >= 0)
  return { items, valid: aqis.length, good: aqis.filter((a) => a <= 100).length }
}

const LIMITS_2026 = { so2: [60, 150], no2: [40, 80], co: [null, 4], o3: [null, 160], pm10: [60, 120], pm25: [30, 60] }

function checkAnnual(got, exp, label) {
  for (const name of Object.keys(exp.items)) {
    const e = exp.items[name], g = got.items[name]
    assert.equal(g.pct.n, e.n, `${label} ${name} days`)
    assert.equal(g.pct.value, e.pct, `${label} ${name} p${g.percentile}`)
    assert.equal(g.pct.valid, e.valid, `${label} ${name} validity`)
    assert.equal(g.bad_months, e.bad, `${label} ${name} months short`)
    if (name !== 'co' && name !== 'o3') {
      assert.equal(g.mean.value, e.mean, `${label} ${name} annual mean`)
      assert.equal(g.mean.valid, e.valid, `${label} ${name} mean validity`)
    }
    const [la, ld] = LIMITS_2026[name]
    const exceeds = (la !== null && e.mean > la) || e.pct > ld
    const expected = exceeds ? false : e.valid ? true : null
    assert.equal(g.compliant, expected, `${label} ${name} compliance`)
  }
  assert.equal(got.days.valid, exp.valid, `${label} days with a published AQI`)
  assert.equal(got.days.good, exp.good, `${label} good days`)
}

// ---- the server ----
let data
before(async () => {
  env = demoDb({ enterprises: 10 })
  server = await startServer(env.db)
  staff = await Client.as(server.url, 'staff')
  anon = new Client(server.url)
  data = generate()
})
after(async () => {
  await server?.stop()
  env?.cleanup()
})

test('stations: created by staff, refused for bad input and for the public', async () => {
  for (let s = 0; s < 3; s++) {
    const r = await staff.post('/api/v1/quality/stations', {
      code: `T-${s + 1}`, name: `测试站${s + 1}`, district: '测试区', town: `测试镇${s + 1}`,
      lon: 117.2 + s * 0.01, lat: 29.3, kind: 'city',
    })
    assert.equal(r.status, 201, r.text)
  }
  let r = await staff.post('/api/v1/quality/stations', { code: 'T-1', name: 'dup', lon: 117.2, lat: 29.3 })
  assert.equal(r.status, 409)
  assert.equal(r.json.error.code, 'conflict')
  // A station's position is required and must be in China: not absent, not
  // half given, not (0, 0) or -1, not swapped, not null.
  for (const pos of [{}, { lon: 117.2 }, { lon: 0, lat: 0 }, { lon: -1, lat: 29.3 }, { lon: 29.3, lat: 117.2 },
    { lon: null, lat: null }, { lon: '117.2', lat: '29.3' }, { lon: 117.2, lat: 95 }]) {
    r = await staff.post('/api/v1/quality/stations', { code: 'T-POS', name: '坐标检查', ...pos })
    assert.equal(r.status, 422, JSON.stringify(pos) + ' -> ' + r.text)
    assert.match(r.json.error.field, /^(lon|lat)$/)
  }
  r = await staff.post('/api/v1/quality/stations', { code: 'bad code;', name: 'x' })
  assert.equal(r.status, 422)
  r = await staff.post('/api/v1/quality/stations', { code: 'X1', name: 'x', kind: 'satellite' })
  assert.equal(r.status, 422)
  r = await anon.post('/api/v1/quality/stations', { code: 'X2', name: 'x' })
  assert.equal(r.status, 401)
})

test('hourly import refuses hostile CSV and changes nothing', async () => {
  const bad = [
    'station,time,so2\nT-1,2026-01-01 00:00,1\n',
    'station,time,so2,no2,co,o3,pm10,pm25\nT-1,2026-01-01 00:30,1,1,1,1,1,1\n',
    'station,time,so2,no2,co,o3,pm10,pm25\nT-1,2026-02-30 00:00,1,1,1,1,1,1\n',
    'station,time,so2,no2,co,o3,pm10,pm25\nT-1,2026-01-01 00:00,-1,1,1,1,1,1\n',
    'station,time,so2,no2,co,o3,pm10,pm25\nT-1,2026-01-01 00:00,1e3,1,1,1,1,1\n',
    'station,time,so2,no2,co,o3,pm10,pm25\nNOPE,2026-01-01 00:00,1,1,1,1,1,1\n',
    'station,time,so2,no2,co,o3,pm10,pm25\nT-1,2026-01-01 00:00,1,1,1,1,1\n',
    'station,time,so2,no2,co,o3,pm10,pm25\nT-1,2026-01-01 00:00,1,1,1,1,1,1,1\n',
    'station,time,so2,no2,co,o3,pm10,pm25\nT-1,2026-01-01 00:00,1\u0000,1,1,1,1,1\n',
  ]
  for (const body of bad) {
    const r = await staff.post('/api/v1/quality/hourly', body, { headers: { 'content-type': 'text/csv' } })
    assert.equal(r.status, 422, body)
    assert.equal(r.json.error.code, 'import_errors')
  }
  const r = await anon.get('/api/v1/quality/daily?station=T-1&from=2026-01-01&to=2026-01-02')
  assert.deepEqual(r.json.items, [])
})

test('a year of hourly data through the import gives the independently computed annual figures', async () => {
  const fmt = (c, v) => (v == null ? '' : c === 2 ? (v / 1000).toFixed(2) : (v / 1000).toFixed(1))
  for (let m = 1; m <= 12; m++) {
    let csv = 'station,time,so2,no2,co,o3,pm10,pm25\n'
    for (let s = 0; s < 3; s++)
      for (let d = 0; d < NDAYS; d++) {
        if (monthOf(DAY0 + d) !== m) continue
        data[s][d].forEach((row, h) => {
          if (row) csv += `T-${s + 1},${dateOf(DAY0 + d)} ${pad(h)}:00,${row.map((v, c) => fmt(c, v)).join(',')}\n`
        })
      }
    const r = await staff.post('/api/v1/quality/hourly', csv, { headers: { 'content-type': 'text/csv' } })
    assert.equal(r.status, 200, r.text)
  }
  // expected, station by station and for the district
  const stationDays = data.map((st) => st.map((hours) => (hours.some((h) => h) ? stationDay(hours) : null)))
  const district = []
  for (let d = 0; d < NDAYS; d++) {
    const present = [0, 1, 2].filter((s) => stationDays[s][d])
    district.push(present.length ? areaDay(present.map((s) => data[s][d]), present.map((s) => stationDays[s][d])) : null)
  }
  let r = await anon.get(`/api/v1/quality/annual?area=${encodeURIComponent('测试区')}&year=${YEAR}`)
  assert.equal(r.status, 200, r.text)
  assert.equal(r.headers.get('access-control-allow-origin'), '*')
  assert.equal(r.json.limits_code, '2026')
  checkAnnual(r.json, expectAnnual(district), 'district')
  for (let s = 0; s < 3; s++) {
    r = await anon.get(`/api/v1/quality/annual?station=T-${s + 1}&year=${YEAR}`)
    assert.equal(r.status, 200)
    checkAnnual(r.json, expectAnnual(stationDays[s]), `station ${s + 1}`)
  }
  // station 3 lost February: its figures are shown, labelled incomplete, February named
  assert.equal(r.json.items.pm25.mean.valid, false)
  assert.ok(r.json.items.pm25.bad_months & 2)
  assert.notEqual(r.json.items.pm25.mean.value, null)
  // the daily AQI of each edition: a February day (2012) and a March day (2026)
  r = await anon.get(`/api/v1/quality/daily?area=${encodeURIComponent('测试区')}&from=2026-02-27&to=2026-03-02`)
  assert.equal(r.status, 200)
  for (const item of r.json.items) {
    const day = DAY0 + (daysFrom(...item.date.split('-').map(Number)) - DAY0)
    assert.equal(item.standard, day >= daysFrom(2026, 3, 1) ? '2026' : '2012')
    const exp = dailyAqi(day, district[day - DAY0])
    assert.equal(item.aqi ?? -1, exp, item.date)
  }
  // 2012 limits on request; monthly figures carry their completeness
  r = await anon.get(`/api/v1/quality/annual?station=T-1&year=${YEAR}&limits=2012`)
  assert.equal(r.json.limits_code, '2012')
  assert.equal(r.json.items.pm10.limit_annual, 70)
  r = await anon.get(`/api/v1/quality/monthly?station=T-3&year=${YEAR}&month=2`)
  assert.equal(r.json.items.pm25.mean.valid, false)
  assert.equal(r.json.items.pm25.mean.need, 25)
})

test('public API answers bad parameters with 4xx, never 500', async () => {
  for (const q of ['annual?year=abc', 'annual?year=1999', 'annual?limits=1990', 'daily?from=2026-13-01',
    'daily?from=2025-01-01&to=2026-12-31', 'daily?station=NOPE', 'rankings?kind=planet', 'rankings?period=decade',
    'monthly?month=13', 'hourly?hours=100000', `realtime?area=${'x'.repeat(100)}`]) {
    const r = await anon.get('/api/v1/quality/' + q)
    assert.ok(r.status >= 400 && r.status < 500, `${q}: ${r.status}`)
  }
})

test('rankings and the micro-station network of the demo city', async () => {
  let r = await anon.get('/api/v1/quality/rankings?kind=district&period=month')
  assert.equal(r.status, 200)
  assert.ok(r.json.items.length >= 5)
  for (let i = 1; i < r.json.items.length; i++) assert.ok(r.json.items[i].pm25 >= r.json.items[i - 1].pm25)
  // the demo districts have last year's same period; the test district has not
  assert.ok(r.json.items.filter((x) => x.name !== '测试区').every((x) => typeof x.change_pct === 'number'))
  assert.equal(r.json.items.find((x) => x.name === '测试区').change_pct, null)
  r = await anon.get('/api/v1/quality/rankings?kind=town&period=ytd')
  const hinted = r.json.items.filter((x) => x.hint)
  assert.deepEqual(hinted.map((x) => x.town), ['陶瓷工业园'])
  r = await anon.get('/api/v1/quality/stations?kind=micro')
  const micro = r.json.items.find((s) => s.code === 'JC-M-CN1')
  r = await staff.post(`/api/v1/quality/stations/${micro.id}/calibrate`, { pollutant: 'pm25', days: 14 })
  assert.equal(r.status, 200, r.text)
  assert.ok(r.json.r2 > 0.5 && r.json.slope > 0.6 && r.json.slope < 0.95, JSON.stringify(r.json))
  r = await anon.get('/api/v1/quality/map')
  const m = r.json.items.find((s) => s.code === 'JC-M-CN1')
  assert.equal(m.official, false)
  assert.ok(m.now.calibrated.pm25 < m.now.concentrations.pm25)
})

test('water: GB 3838 classes per section, targets, main pollutants, hostile samples', async () => {
  let r = await staff.post('/api/v1/quality/water/sections', { code: 'WT-1', name: '测试湖', water: '测试湖', kind: 'lake', target_class: 3 })
  assert.equal(r.status, 201, r.text)
  assert.equal(r.headers.get('location'), null) // no route has …/sections/{id} as its address
  r = await staff.post('/api/v1/quality/water/sections', { code: 'WT-1', name: '重复', kind: 'lake', target_class: 3 })
  assert.equal(r.status, 409)
  assert.equal(r.json.error.code, 'conflict')
  // the reference's worked example: a lake section is Ⅴ because of TP
  r = await staff.post('/api/v1/quality/water/samples', {
    section: 'WT-1', date: '2026-06-10',
    values: { do: '5.5', codmn: '4.5', cod: '18', nh3n: '0.6', tp: '0.15', ph: '7.2' },
  })
  assert.equal(r.status, 200, r.text)
  r = await anon.get('/api/v1/quality/water/sections?section=WT-1&year=2026&month=6')
  const s = r.json.items[0]
  assert.equal(s.class_name, 'Ⅴ')
  assert.equal(s.grade, '中度污染')
  assert.equal(s.compliant, false)
  assert.deepEqual(s.main_pollutants.map((m) => [m.factor, m.multiple]), [['tp', 2]])
  for (const bad of [{ tp: '-1' }, { tp: '1e3' }, { tp: 0.1 }, { bogus: '1' }, {}]) {
    r = await staff.post('/api/v1/quality/water/samples', { section: 'WT-1', date: '2026-06-11', values: bad })
    assert.equal(r.status, 422, JSON.stringify(bad))
  }
  r = await staff.post('/api/v1/quality/water/samples', { section: 'NOPE', date: '2026-06-11', values: { tp: '0.1' } })
  assert.equal(r.status, 422)
  r = await staff.post('/api/v1/quality/water/sections', { code: 'WT-2', name: 'x', kind: 'sea', target_class: 3 })
  assert.equal(r.status, 422)
  // the demo: a boundary section is marked; annual evaluation answers
  r = await anon.get('/api/v1/quality/water/sections?period=year')
  assert.equal(r.status, 200)
  assert.ok(r.json.items.some((x) => x.boundary && x.class >= 1))
})

test('alarms: a rule raises on imported hours, acknowledge, server-sent events, source limits with 折算', async () => {
  let r = await staff.post('/api/v1/quality/stations', { code: 'T-9', name: '报警测试站', district: '报警区', lon: 117.25, lat: 29.31 })
  assert.equal(r.status, 201)
  r = await staff.post('/api/v1/quality/alarm-rules', { name: 'T-9 PM2.5 > 50', factor: 'pm25', stations: ['T-9'], threshold: 50, duration_hours: 2 })
  assert.equal(r.status, 201, r.text)
  for (const bad of [{ name: 'x', factor: 'radon', threshold: 1 }, { name: 'x', factor: 'pm25', threshold: -1 },
    { name: 'x', factor: 'pm25', threshold: 5, duration_hours: 500 }, { name: 'x', factor: 'pm25', threshold: 5, stations: ['NOPE'] }]) {
    r = await staff.post('/api/v1/quality/alarm-rules', bad)
    assert.equal(r.status, 422, JSON.stringify(bad))
  }
  const hourAgo = (k) => { // Beijing "YYYY-MM-DD HH:00" of k hours before now
    const d = new Date(Date.now() + 8 * 3600e3 - k * 3600e3)
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:00`
  }
  const csv = 'station,time,so2,no2,co,o3,pm10,pm25\n' + [3, 2, 1].map((k) => `T-9,${hourAgo(k)},5,20,0.5,40,150,90`).join('\n') + '\n'
  r = await staff.post('/api/v1/quality/hourly', csv, { headers: { 'content-type': 'text/csv' } })
  assert.equal(r.status, 200, r.text)
  r = await staff.get('/api/v1/quality/alarms?state=open')
  const a = r.json.items.find((x) => x.factor === 'pm25' && x.value === 90)
  assert.ok(a, JSON.stringify(r.json))
  assert.equal(a.state, 'raised')
  // the message as a sentence code and its params beside the Chinese text (the UI's language)
  assert.equal(a.message_params.kind, 'air_hours')
  assert.equal(typeof a.message_params.rule, 'string')
  assert.ok(a.message.includes(a.message_params.station) && a.message.includes(`连续 ${a.message_params.hours} 小时`), a.message)
  // live push: the SSE stream carries it, with an id to resume from
  const res = await staff.get('/api/v1/quality/alarms/stream?since=0', { raw: true })
  assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8')
  const text = await res.text()
  assert.match(text, /^retry: \d+/)
  assert.ok(text.includes(`"id":${a.id}`))
  assert.equal((await anon.get('/api/v1/quality/alarms/stream')).status, 401)
  r = await staff.post(`/api/v1/quality/alarms/${a.id}/ack`, {})
  assert.equal(r.status, 200)
  r = await staff.post(`/api/v1/quality/alarms/${a.id}/ack`, {})
  assert.equal(r.status, 409)
  assert.equal(r.json.error.code, 'invalid_state')
  r = await staff.post('/api/v1/quality/alarms/999999/ack', {})
  assert.equal(r.status, 404)
  // pollution source: flue gas converted to the reference O2 (折算)
  const ent = await Client.as(server.url, 'enterprise')
  const me = (await ent.get('/api/v1/auth/me')).json
  const eid = me.user?.enterprise_id ?? me.enterprise_id
  r = await staff.post('/api/v1/quality/source-limits', { enterprise_id: eid, outlet: 'DA001', factor: 'so2', limit: 100, o2_ref: 9 })
  assert.equal(r.status, 201, r.text)
  // 80 mg/m³ at 15 % O2 → 80 × (21 − 9) / (21 − 15) = 160 > 100: alarm
  r = await staff.post('/api/v1/quality/source-values', { enterprise_id: eid, outlet: 'DA001', factor: 'so2', value: 80, o2: 15 })
  assert.equal(r.status, 201, r.text)
  r = await staff.post('/api/v1/quality/source-values', { enterprise_id: eid, outlet: 'DA001', factor: 'so2', value: 80 })
  assert.equal(r.status, 422) // no measured O2: cannot convert
  r = await ent.get('/api/v1/quality/alarms')
  assert.equal(r.status, 200)
  assert.ok(r.json.items.length >= 1)
  assert.ok(r.json.items.every((x) => x.kind === 'source' && x.enterprise_id === eid))
  assert.equal(r.json.items[0].value, 160)
  assert.deepEqual(r.json.items[0].message_params, { kind: 'source_limit', outlet: 'DA001', factor: 'so2', converted: true })
  assert.equal((await ent.get('/api/v1/quality/alarms/stream')).status, 403)
  // within the limit again: cleared
  r = await staff.post('/api/v1/quality/source-values', { enterprise_id: eid, outlet: 'DA001', factor: 'so2', value: 30, o2: 15 })
  r = await ent.get('/api/v1/quality/alarms?state=open')
  assert.equal(r.json.items.length, 0)
})
