// Alarm rules are editable after creation (PUT /api/v1/quality/alarm-rules/{id}): the whole rule
// is replaced, `active` is kept when left out, a disabled rule raises nothing, enabling it again
// re-applies it at once; staff and admin only, audited, hostile bodies refused.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { demoDb, startServer, Client } from '../lib.mjs'

let env, server, staff, admin
const pad = (n) => String(n).padStart(2, '0')
const hourAgo = (k) => { // Beijing "YYYY-MM-DD HH:00" of k hours before now
  const d = new Date(Date.now() + 8 * 3600e3 - k * 3600e3)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:00`
}

before(async () => {
  env = demoDb({ enterprises: 5 })
  server = await startServer(env.db)
  staff = await Client.as(server.url, 'staff')
  admin = await Client.as(server.url, 'admin')
})
after(async () => {
  await server?.stop()
  env?.cleanup()
})

const ruleOf = async (id) => (await staff.get('/api/v1/quality/alarm-rules')).json.items.find((x) => x.id === id)
const openFor = async (id) => (await staff.get('/api/v1/quality/alarms?state=open&limit=500')).json.items.filter((a) => a.rule_id === id)

test('a rule is edited, disabled and enabled again; the edit re-applies it', async () => {
  let r = await staff.post('/api/v1/quality/stations', { code: 'R-1', name: '规则测试站', district: '测试区', town: '测试镇', lon: 117.21, lat: 29.31, kind: 'city' })
  assert.equal(r.status, 201, r.text)
  r = await staff.post('/api/v1/quality/alarm-rules', { name: 'R-1 PM2.5', factor: 'pm25', stations: ['R-1'], threshold: 500, duration_hours: 1 })
  assert.equal(r.status, 201, r.text)
  const id = r.json.id

  r = await staff.put(`/api/v1/quality/alarm-rules/${id}`, { name: 'R-1 PM2.5 > 60', factor: 'pm25', stations: ['R-1'], threshold: 60, duration_hours: 2, escalate_minutes: 30, active: false })
  assert.equal(r.status, 200, r.text)
  assert.deepEqual(await ruleOf(id), { id, name: 'R-1 PM2.5 > 60', factor: 'pm25', stations: ['R-1'], threshold: 60, duration_hours: 2, escalate_minutes: 30, active: false })

  const csv = 'station,time,so2,no2,co,o3,pm10,pm25\n' + [2, 1].map((k) => `R-1,${hourAgo(k)},5,20,0.5,40,150,90`).join('\n') + '\n'
  r = await staff.post('/api/v1/quality/hourly', csv, { headers: { 'content-type': 'text/csv' } })
  assert.equal(r.status, 200, r.text)
  assert.equal((await openFor(id)).length, 0, 'a disabled rule raises nothing')

  // active left out: stays disabled
  r = await staff.put(`/api/v1/quality/alarm-rules/${id}`, { name: 'R-1 PM2.5 > 60', factor: 'pm25', stations: ['R-1'], threshold: 60, duration_hours: 2 })
  assert.equal(r.status, 200, r.text)
  const kept = await ruleOf(id)
  assert.equal(kept.active, false)
  assert.equal(kept.escalate_minutes, 0, 'the whole rule is replaced')
  assert.equal((await openFor(id)).length, 0)

  r = await admin.put(`/api/v1/quality/alarm-rules/${id}`, { name: 'R-1 PM2.5 > 60', factor: 'pm25', stations: ['R-1'], threshold: 60, duration_hours: 2, active: true })
  assert.equal(r.status, 200, r.text)
  assert.equal((await ruleOf(id)).active, true)
  const open = await openFor(id)
  assert.equal(open.length, 1, 'enabling applies the rule to the stored hours at once')
  assert.equal(open[0].value, 90)

  r = await admin.get('/api/v1/audit?limit=200')
  assert.equal(r.status, 200, r.text)
  const edits = r.json.items.filter((a) => a.action === 'alarm_rule.update' && String(a.target_id ?? a.entity_id) === String(id))
  assert.equal(edits.length, 3, JSON.stringify(r.json.items.slice(0, 3)))
})

test('rule edits: unknown rule 404, bad fields 422, other roles refused', async () => {
  let r = await staff.post('/api/v1/quality/alarm-rules', { name: 'AQI', factor: 'aqi', threshold: 200 })
  assert.equal(r.status, 201, r.text)
  const id = r.json.id
  const good = { name: 'AQI > 150', factor: 'aqi', threshold: 150 }
  r = await staff.put('/api/v1/quality/alarm-rules/999999', good)
  assert.equal(r.status, 404, r.text)
  for (const bad of [{ ...good, factor: 'radon' }, { ...good, threshold: 0 }, { ...good, threshold: 'x' },
    { ...good, duration_hours: 73 }, { ...good, stations: ['NOPE'] }, { ...good, active: 'no' },
    { factor: 'aqi', threshold: 150 }, { ...good, name: 'x'.repeat(500) }]) {
    r = await staff.put(`/api/v1/quality/alarm-rules/${id}`, bad)
    assert.equal(r.status, 422, JSON.stringify(bad) + ' ' + r.text)
  }
  r = await staff.put(`/api/v1/quality/alarm-rules/${id}`, '{"name":', { headers: { 'content-type': 'application/json' } })
  assert.equal(r.status, 400, r.text)
  assert.equal((await ruleOf(id)).threshold, 200, 'refused edits change nothing')

  for (const role of ['leader', 'enterprise']) {
    const c = await Client.as(server.url, role)
    r = await c.put(`/api/v1/quality/alarm-rules/${id}`, good)
    assert.equal(r.status, 403, role)
  }
  r = await new Client(server.url).put(`/api/v1/quality/alarm-rules/${id}`, good)
  assert.equal(r.status, 401)
  assert.equal((await ruleOf(id)).threshold, 200)
  r = await staff.put(`/api/v1/quality/alarm-rules/${id}`, good)
  assert.equal(r.status, 200, r.text)
  assert.equal((await ruleOf(id)).threshold, 150)
})
