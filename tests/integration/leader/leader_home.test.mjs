// The leader's home (GET /api/v1/leader/home, issue 17 item 7): each section's counts agree with the
// module's own list under the filter the page links to, a new overdue item and a new alarm show up
// at once, the PM2.5 target comes from the standard or from --pm25-target, and only the bureau may
// read it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { Client, demoDb, startServer } from '../lib.mjs'

let db
let server
let leader
let staff

before(async () => {
  db = demoDb()
  server = await startServer(db.db, ['--pm25-target=35'])
  leader = await Client.as(server.url, 'leader')
  staff = await Client.as(server.url, 'staff')
})

after(async () => {
  if (server) await server.stop()
  if (db) db.cleanup()
})

async function home(c = leader) {
  const r = await c.get('/api/v1/leader/home')
  assert.equal(r.status, 200, r.text)
  return r.json
}

test('the counts are those of the lists the page links to', async () => {
  const h = await home()
  assert.match(h.today, /^\d{4}-\d{2}-\d{2}$/)
  const overdue = (await leader.get('/api/v1/service/tracker?state=overdue')).json.items
  const warning = (await leader.get('/api/v1/service/tracker?state=warning')).json.items
  assert.ok(overdue.length > 0, 'the demo has overdue items')
  assert.equal(h.tracker.overdue, overdue.length)
  assert.equal(h.tracker.warning, warning.length)
  assert.ok(h.tracker.escalated <= h.tracker.overdue)
  assert.deepEqual(
    h.tracker.items.map((i) => i.id),
    overdue.slice(0, h.tracker.items.length).map((i) => i.id),
  )
  for (const i of h.tracker.items) assert.ok(i.days_left < 0)

  const list = async (what, q) => (await leader.get(`/api/v1/supervision/lists/${what}?q=${q}`)).json.items
  assert.equal(h.supervision.alarms_new, (await list('alarms', 'new')).length)
  assert.equal(h.supervision.alarms_verified, (await list('alarms', 'verified')).length)
  assert.equal(h.supervision.alarms_open, h.supervision.alarms_new + h.supervision.alarms_verified)
  assert.equal(h.supervision.cases_new, (await list('cases', 'open')).length)
  assert.equal(h.supervision.cases_rectifying, (await list('cases', 'rectifying')).length)

  const rem = (await leader.get('/api/v1/approval/reminders')).json.items
  assert.equal(h.approval.overdue, rem.filter((r) => r.level === 'overdue').length)
  assert.equal(h.approval.warning, rem.filter((r) => r.level === 'warning').length)
  assert.ok(h.approval.items.every((r) => r.level !== 'info'))
})

test('air: the city AQI now and the PM2.5 mean so far against the configured target', async () => {
  const h = await home()
  const now = (await leader.get('/api/v1/quality/realtime')).json
  assert.equal(h.air.aqi.time, now.time)
  assert.equal(h.air.aqi.aqi, now.aqi)
  assert.equal(typeof h.air.aqi.aqi, 'number', 'the demo has hourly data')
  assert.equal(h.air.year.target, 35)
  assert.equal(h.air.year.target_source, 'config')
  assert.equal(typeof h.air.year.pm25, 'number')
  assert.equal(h.air.year.on_track, h.air.year.pm25 <= 35)
  assert.equal(h.air.year.valid, h.air.year.n >= h.air.year.need)
})

test('a new overdue item and a new alarm show on the next read', async () => {
  const before = await home()
  const sections = (await leader.get('/api/v1/sections')).json
  const sec = (sections.items || sections)[0].id
  const item = await leader.post('/api/v1/service/tracker', { source: 'leader', title: '领导首页逾期测试', owner_section_id: sec, start: '2026-02-13', workdays: 1 })
  assert.equal(item.status, 201, item.text)
  const alarm = await staff.post('/api/v1/supervision/alarms', { enterprise_id: 3, factor: 'SO2', value: 90, limit: 50, unit: 'mg/m3', data_flag: 'N' })
  assert.equal(alarm.status, 201, alarm.text)
  const after = await home()
  assert.equal(after.tracker.overdue, before.tracker.overdue + 1)
  assert.equal(after.tracker.escalated, before.tracker.escalated + 1, 'months past its deadline: escalated')
  assert.equal(after.supervision.alarms_new, before.supervision.alarms_new + 1)
  // the oldest deadline first: a deadline in February comes before the demo's later ones
  assert.ok(after.tracker.items.some((i) => i.id === item.json.id && i.escalated))
})

test('only the bureau reads it; staff see the same page', async () => {
  assert.equal((await staff.get('/api/v1/leader/home')).status, 200)
  const ent = await Client.as(server.url, 'enterprise')
  assert.equal((await ent.get('/api/v1/leader/home')).status, 403)
  assert.equal((await new Client(server.url).get('/api/v1/leader/home')).status, 401)
})

test('without --pm25-target the target is the annual limit of the standard in force', async () => {
  const other = await startServer(db.db)
  try {
    const c = await Client.as(other.url, 'leader')
    const h = (await c.get('/api/v1/leader/home')).json
    const annual = (await c.get(`/api/v1/quality/annual?year=${h.air.year.year}`)).json
    assert.equal(h.air.year.target_source, 'standard')
    assert.equal(h.air.year.target, annual.items.pm25.limit_annual)
  } finally {
    await other.stop()
  }
})
