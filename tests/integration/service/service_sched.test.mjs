// The tracker's scheduler inside `ecogov serve` and the enterprise 360° sections of the other
// modules. The scheduler runs at start-up and every housekeeping tick, so an overdue item created
// over HTTP gets exactly one overdue audit entry from `system` after two restarts, without any
// page read (the audit list does not sweep). The 360° page lists approvals, supervision, credit,
// alarms and monitoring for the enterprise itself, and 404 for another enterprise.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { demoDb, startServer, Client } from '../lib.mjs'

let env, srv
const flags = () => [`--var-dir=${path.join(env.dir, 'var')}`]

before(async () => {
  env = demoDb({ enterprises: 20 })
  srv = await startServer(env.db, flags())
})

after(async () => {
  const r = await srv?.stop()
  env?.cleanup()
  assert.equal(r?.code, 0)
})

async function audits(id, action) {
  const admin = await Client.as(srv.url, 'admin')
  const r = await admin.get(`/api/v1/audit?entity=svc_tracker&entity_id=${id}&action=${action}&limit=500`)
  assert.equal(r.status, 200, r.text)
  return r.json.items
}

test('serve raises overdue once per item, across restarts', async () => {
  let leader = await Client.as(srv.url, 'leader')
  const sections = Object.fromEntries((await leader.get('/api/v1/sections')).json.items.map((s) => [s.name, s.id]))
  const r = await leader.post('/api/v1/service/tracker', {
    source: 'leader', title: '调度器测试：过期事项', owner_section_id: sections['环评科'], start: '2026-02-13', workdays: 1,
  })
  assert.equal(r.status, 201, r.text)
  const id = r.json.id
  assert.equal((await audits(id, 'tracker.overdue')).length, 0)
  for (let i = 0; i < 2; i++) {
    const stopped = await srv.stop()
    assert.equal(stopped.code, 0)
    srv = await startServer(env.db, flags())
  }
  const overdue = await audits(id, 'tracker.overdue')
  assert.equal(overdue.length, 1)
  assert.equal(overdue[0].actor, 'system')
  // 2026-02-14 + 5 working days is long past: escalated once as well, no warning.
  assert.equal((await audits(id, 'tracker.escalated')).length, 1)
  assert.equal((await audits(id, 'tracker.warning')).length, 0)
  // Reading the tracker (which sweeps too) adds nothing.
  leader = await Client.as(srv.url, 'leader')
  assert.equal((await leader.get('/api/v1/service/tracker')).status, 200)
  assert.equal((await audits(id, 'tracker.overdue')).length, 1)
  const notes = (await leader.get('/api/v1/service/notifications?limit=500')).json.items.filter((n) => n.item_id === id)
  assert.deepEqual(notes.map((n) => n.kind).sort(), ['escalated', 'overdue'])
})

test('360°: every module has a section; enterprise users see only their own', async () => {
  const leader = await Client.as(srv.url, 'leader')
  const r = await leader.get('/api/v1/enterprises/1/360')
  assert.equal(r.status, 200)
  const keys = r.json.sections.map((s) => s.key)
  // every module's section, in page order (an enterprise's file as an officer walks it)
  assert.deepEqual(keys, ['profile', 'service', 'approvals', 'supervision', 'credit', 'alarms', 'monitoring'])
  const by = Object.fromEntries(r.json.sections.map((s) => [s.key, s.data]))
  assert.ok(Array.isArray(by.approvals.applications))
  assert.ok(Array.isArray(by.supervision.inspections) && Array.isArray(by.supervision.penalties))
  assert.equal(typeof by.credit.on_positive_list, 'boolean')
  assert.ok(Array.isArray(by.monitoring.stations))
  assert.ok(!JSON.stringify(by.monitoring).includes('"pw"'))
  const ent = await Client.as(srv.url, 'enterprise')
  assert.equal((await ent.get('/api/v1/enterprises/2/360')).status, 404)
  const own = await ent.get('/api/v1/enterprises/1/360')
  assert.equal(own.status, 200)
  assert.deepEqual(own.json.sections.map((s) => s.key), keys)
  assert.equal((await new Client(srv.url).get('/api/v1/enterprises/1/360')).status, 401)
})
