// Heavy-pollution response (issue 13) against the real server: forecasts entered, imported,
// published and seen by the public as JSON and Atom; verification against the observed daily AQI;
// the warning the forecasts call for, issued, upgraded, downgraded and lifted by a leader only;
// bad input refused with nothing changed; every role's access.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { demoDb, startServer, Client } from '../lib.mjs'

let env, server, staff, leader, ent, anon

const DAY = 86400000
const beijing = (offsetDays = 0) => new Date(Date.now() + 8 * 3600000 + offsetDays * DAY).toISOString().slice(0, 10)
const beijingTime = (offsetMinutes) =>
  new Date(Date.now() + 8 * 3600000 + offsetMinutes * 60000).toISOString().slice(0, 16).replace('T', ' ')

before(async () => {
  env = demoDb({ enterprises: 30 })
  server = await startServer(env.db)
  staff = await Client.as(server.url, 'staff')
  leader = await Client.as(server.url, 'leader')
  ent = await Client.as(server.url, 'enterprise')
  anon = new Client(server.url)
})

after(async () => {
  await server?.stop()
  env?.cleanup()
})

test('forecasts: entered as drafts, published, then public as JSON and Atom', async () => {
  const made = []
  for (const [k, lo, hi] of [[4, 210, 260], [5, 260, 320], [6, 230, 290]]) {
    const r = await staff.post('/api/v1/response/forecasts', {
      day: beijing(k), aqi_lo: lo, aqi_hi: hi, primary: ['PM2.5'], text: `第${k}天 静稳`,
    })
    assert.equal(r.status, 201, r.text)
    assert.equal(r.headers.get('location'), `/api/v1/response/forecasts/${r.json.id}`)
    assert.equal(r.json.area, '*')
    assert.equal(r.json.issued_on, beijing())
    assert.equal(r.json.published, 0)
    assert.equal(r.json.level_lo, lo > 200 ? 5 : 4)
    made.push(r.json)
  }
  let pub = await anon.get(`/api/v1/public/response/forecasts?from=${beijing(4)}`)
  assert.equal(pub.status, 200)
  assert.equal(pub.json.items.length, 0, 'drafts are not public')
  const p = await staff.post('/api/v1/response/forecasts/publish', {})
  assert.equal(p.status, 200, p.text)
  assert.ok(p.json.published >= 3)
  pub = await anon.get(`/api/v1/public/response/forecasts?from=${beijing(4)}`)
  assert.deepEqual(pub.json.items.map((f) => f.day), [beijing(4), beijing(5), beijing(6)])
  assert.equal(pub.json.items[0].created_by, undefined, 'the public does not see who typed it')
  const atom = await anon.get('/api/v1/public/response/forecasts.atom')
  assert.equal(atom.status, 200)
  assert.match(atom.headers.get('content-type'), /application\/atom\+xml/)
  assert.match(atom.text, new RegExp(`全市 ${beijing(5)} AQI 260–320 重度污染至严重污染`))
  // A correction keeps the forecast published.
  const u = await staff.put(`/api/v1/response/forecasts/${made[2].id}`, {
    day: beijing(6), aqi_lo: 230, aqi_hi: 280, primary: ['PM2.5', 'PM10'], text: '修正',
  })
  assert.equal(u.status, 200, u.text)
  assert.equal(u.json.published, 1)
  assert.deepEqual(u.json.primary, ['PM2.5', 'PM10'])
})

test('forecasts: bad input is refused and nothing is stored', async () => {
  const before = (await staff.get(`/api/v1/response/forecasts?from=${beijing(-40)}&to=${beijing(8)}`)).json.items.length
  const bad = [
    [{ day: beijing(8), aqi_lo: 10, aqi_hi: 20 }, 'day'],
    [{ day: beijing(0), aqi_lo: 10, aqi_hi: 20 }, 'day'],
    [{ day: beijing(2), aqi_lo: 30, aqi_hi: 20 }, 'aqi_hi'],
    [{ day: beijing(2), aqi_lo: 10, aqi_hi: 501 }, 'aqi_hi'],
    [{ day: beijing(2), aqi_lo: -1, aqi_hi: 20 }, 'aqi_lo'],
    [{ day: beijing(2), aqi_lo: 10, aqi_hi: 20, primary: ['XX'] }, 'primary'],
    [{ day: beijing(2), aqi_lo: 10, aqi_hi: 20, primary: ['O3', 'O3'] }, 'primary'],
    [{ day: beijing(2), aqi_lo: 10, aqi_hi: 20, level_lo: 3, level_hi: 2 }, 'level_hi'],
    [{ day: '2026-02-30', aqi_lo: 10, aqi_hi: 20 }, 'day'],
    [{ day: beijing(2), aqi_lo: '10', aqi_hi: 20 }, 'aqi_lo'],
    [{ issued_on: beijing(1), day: beijing(2), aqi_lo: 10, aqi_hi: 20 }, 'issued_on'],
  ]
  for (const [body, field] of bad) {
    const r = await staff.post('/api/v1/response/forecasts', body)
    assert.equal(r.status, 422, JSON.stringify(body) + r.text)
    assert.equal(r.json.error.field, field, JSON.stringify(body))
  }
  const dup = await staff.post('/api/v1/response/forecasts', { day: beijing(4), aqi_lo: 1, aqi_hi: 2 })
  assert.equal(dup.status, 409)
  const imp = await staff.request('POST', '/api/v1/response/forecasts/import', {
    body: 'area,issued_on,day,aqi_lo,aqi_hi,level_lo,level_hi,primary,text\n' +
      `珠山区,${beijing()},${beijing(1)},50,80,,,PM10,ok\n` +
      `珠山区,${beijing()},${beijing(9)},50,80,,,PM10,too far\n` +
      `珠山区,${beijing()},${beijing(2)},abc,80,,,PM10,bad\n`,
    headers: { 'content-type': 'text/csv' },
  })
  assert.equal(imp.status, 422, imp.text)
  assert.equal(imp.json.error.code, 'import_errors')
  assert.deepEqual(imp.json.error.errors.map((e) => [e.line, e.field]), [[3, 'day'], [4, 'aqi_lo']])
  const after = (await staff.get(`/api/v1/response/forecasts?from=${beijing(-40)}&to=${beijing(8)}`)).json.items.length
  assert.equal(after, before)
  const ok = await staff.request('POST', '/api/v1/response/forecasts/import', {
    body: '\uFEFFarea,issued_on,day,aqi_lo,aqi_hi,level_lo,level_hi,primary,text\r\n' +
      `珠山区,${beijing()},${beijing(1)},50,80,,,PM10;PM2.5,"良，局地轻度"\r\n`,
    headers: { 'content-type': 'text/csv' },
  })
  assert.equal(ok.status, 200, ok.text)
  assert.equal(ok.json.imported, 1)
  const wrongType = await staff.post('/api/v1/response/forecasts/import', { a: 1 })
  assert.equal(wrongType.status, 415)
})

test('verification counts the demo days against the observed daily AQI', async () => {
  const r = await staff.get('/api/v1/response/verification')
  assert.equal(r.status, 200, r.text)
  assert.ok(r.json.total.days >= 20, JSON.stringify(r.json.total))
  const d = r.json.days[0]
  const inRange = d.aqi >= d.forecast_aqi[0] && d.aqi <= d.forecast_aqi[1]
  assert.equal(d.aqi_hit, inRange)
  const hits = r.json.days.filter((x) => x.aqi_hit).length
  assert.equal(r.json.total.aqi_rate, Math.round((hits * 1000) / r.json.days.length) / 10)
  assert.ok(r.json.months.length >= 1)
  assert.ok(r.json.seasons.length >= 1)
  const bad = await staff.get('/api/v1/response/verification?from=2025-01-01&to=2026-12-01')
  assert.equal(bad.status, 422)
})

test('warnings: the proposal, then issue, upgrade, downgrade and lift by a leader', async () => {
  const prop = await leader.get('/api/v1/response/warnings/proposal')
  assert.equal(prop.status, 200, prop.text)
  assert.equal(prop.json.level, 'orange')
  assert.equal(prop.json.action, 'issue')
  assert.equal(prop.json.expected_from, beijing(4))
  assert.equal(prop.json.expected_to, beijing(6))

  const body = { level: 'orange', reason: '预计 3 天重度污染', expected_from: beijing(4), expected_to: beijing(6) }
  assert.equal((await staff.post('/api/v1/response/warnings', body)).status, 403)
  assert.equal((await ent.post('/api/v1/response/warnings', body)).status, 403)
  const future = await leader.post('/api/v1/response/warnings', { ...body, effective_at: beijingTime(30) })
  assert.equal(future.status, 422)
  assert.equal(future.json.error.field, 'effective_at')
  const badTime = await leader.post('/api/v1/response/warnings', { ...body, effective_at: '2026-13-01 10:00' })
  assert.equal(badTime.status, 422)
  const r = await leader.post('/api/v1/response/warnings', { ...body, effective_at: beijingTime(-60) })
  assert.equal(r.status, 201, r.text)
  const id = r.json.id
  assert.equal(r.json.status, 'active')
  assert.equal(r.json.events.length, 1)
  assert.equal((await leader.post('/api/v1/response/warnings', body)).status, 409)

  let pub = await anon.get('/api/v1/public/response/warning')
  assert.equal(pub.json.active.level, 'orange')
  assert.equal(pub.json.active.level_zh, '橙色预警')
  assert.match(pub.json.active.health.advice, /室内/)

  const change = (b) => leader.post(`/api/v1/response/warnings/${id}/change`, { reason: '会商', ...b })
  assert.equal((await change({ action: 'upgrade', level: 'yellow' })).status, 422)
  assert.equal((await change({ action: 'downgrade', level: 'red' })).status, 422)
  assert.equal((await change({ action: 'upgrade' })).status, 422)
  assert.equal((await change({ action: 'upgrade', level: 'red', effective_at: beijingTime(-120) })).status, 422,
    'a change cannot take effect before the warning')
  let c = await change({ action: 'upgrade', level: 'red' })
  assert.equal(c.status, 200, c.text)
  assert.equal(c.json.level, 'red')
  c = await change({ action: 'downgrade', level: 'yellow' })
  assert.equal(c.json.level, 'yellow')
  c = await change({ action: 'lift' })
  assert.equal(c.json.status, 'lifted')
  assert.deepEqual(c.json.events.map((e) => e.action), ['issue', 'upgrade', 'downgrade', 'lift'])
  assert.equal((await change({ action: 'lift' })).status, 409)
  pub = await anon.get('/api/v1/public/response/warning')
  assert.equal(pub.json.active, null)

  const audit = await (await Client.as(server.url, 'admin')).get('/api/v1/audit?limit=50')
  const actions = audit.json.items.map((a) => a.action)
  for (const a of ['response.warning.issue', 'response.warning.upgrade', 'response.warning.lift'])
    assert.ok(actions.includes(a), a)
})

test('roles: the bureau reads, staff write forecasts, enterprises and the public do not', async () => {
  for (const p of ['/api/v1/response/forecasts', '/api/v1/response/verification',
    '/api/v1/response/warnings', '/api/v1/response/warnings/proposal']) {
    assert.equal((await ent.get(p)).status, 403, p)
    assert.equal((await anon.get(p)).status, 401, p)
    assert.equal((await leader.get(p)).status, 200, p)
  }
  assert.equal((await leader.post('/api/v1/response/forecasts', { day: beijing(2), aqi_lo: 1, aqi_hi: 2 })).status, 403)
  assert.equal((await ent.post('/api/v1/response/forecasts/publish', {})).status, 403)
  // No signing key configured: no regional feed.
  const feed = await anon.get('/api/v1/public/response/region/feed')
  assert.equal(feed.status, 404)
  assert.equal(feed.json.error.code, 'not_found')
})
