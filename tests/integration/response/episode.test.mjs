// A warning in force (issue 13) against the real server: listed enterprises get their measures and
// a notification when a leader issues, upgrades and lifts; each sees only its own and confirms
// once; staff see who has not; a spot check is a supervision inspection recorded against the
// warning; the online-monitoring comparison; the summary as JSON and xlsx.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { demoDb, startServer, Client } from '../lib.mjs'

let env, server, staff, leader, ent, other, admin

const beijingTime = (offsetMinutes) =>
  new Date(Date.now() + 8 * 3600000 + offsetMinutes * 60000).toISOString().slice(0, 16).replace('T', ' ')

before(async () => {
  env = demoDb({ enterprises: 40 })
  server = await startServer(env.db)
  staff = await Client.as(server.url, 'staff')
  leader = await Client.as(server.url, 'leader')
  ent = await Client.as(server.url, 'enterprise')
  admin = await Client.as(server.url, 'admin')
  // An account of enterprise 37, which is not on the list.
  const u = await admin.post('/api/v1/users', { username: 'ent37', display_name: '企业37', password: 'Ent37@2026', role: 'enterprise', enterprise_id: 37 })
  assert.equal(u.status, 201, u.text)
  other = new Client(server.url)
  assert.equal((await other.login('ent37', 'Ent37@2026')).status, 200)
})

after(async () => {
  await server?.stop()
  env?.cleanup()
})

let wid

test('issuing a warning sends every listed enterprise its measures and a notification', async () => {
  let my = await ent.get('/api/v1/response/my')
  assert.equal(my.status, 200, my.text)
  assert.equal(my.json.warning, null)
  assert.equal(my.json.entry.enterprise_id, 1)
  const r = await leader.post('/api/v1/response/warnings', { level: 'orange', reason: '预计重污染', effective_at: beijingTime(-180) })
  assert.equal(r.status, 201, r.text)
  wid = r.json.id
  my = await ent.get('/api/v1/response/my')
  assert.equal(my.json.warning.level, 'orange')
  assert.ok(my.json.measures.length >= 1)
  for (const m of my.json.measures) assert.equal(m.level, 'orange')
  assert.equal(my.json.task.confirmed_at, null)
  const n = await ent.get('/api/v1/service/notifications')
  assert.equal(n.status, 200, n.text)
  assert.ok(n.json.items.some((x) => x.kind === 'response_warning' && /橙色预警/.test(x.message)), n.text)
  const tasks = await staff.get(`/api/v1/response/warnings/${wid}/tasks`)
  assert.equal(tasks.json.total, 36)
  assert.equal(tasks.json.unconfirmed, 36)
})

test('an enterprise sees only its own measures and confirms once', async () => {
  const mine = await other.get('/api/v1/response/my')
  assert.equal(mine.status, 200)
  assert.equal(mine.json.entry, null, 'not listed: nothing of anyone else')
  assert.deepEqual(mine.json.measures, [])
  assert.equal((await other.post('/api/v1/response/my/confirm', {})).status, 404)
  for (const p of [`/api/v1/response/warnings/${wid}/tasks`, '/api/v1/response/list', `/api/v1/response/warnings/${wid}/summary`])
    assert.equal((await ent.get(p)).status, 403, p)
  assert.equal((await staff.get('/api/v1/response/my')).status, 403)
  const c = await ent.post('/api/v1/response/my/confirm', { note: '已按橙色预警限产 40%', enterprise_id: 2 })
  assert.equal(c.status, 200, c.text)
  assert.ok(c.json.task.confirmed_at > 0)
  assert.equal(c.json.entry.enterprise_id, 1, 'the body cannot name another enterprise')
  assert.equal((await ent.post('/api/v1/response/my/confirm', {})).status, 409)
  const tasks = await staff.get(`/api/v1/response/warnings/${wid}/tasks`)
  assert.equal(tasks.json.confirmed, 1)
  assert.equal(tasks.json.items.at(-1).enterprise_id, 1, 'unconfirmed first')
})

test('a spot check during the warning is a supervision inspection', async () => {
  const body = { enterprise_id: 2, findings: '现场限产措施落实', result: 'compliant', inspector_ids: [2, 3] }
  const r = await staff.post(`/api/v1/response/warnings/${wid}/checks`, body)
  assert.equal(r.status, 200, r.text)
  const insp = r.json.id
  const checks = await staff.get(`/api/v1/response/warnings/${wid}/checks`)
  assert.deepEqual(checks.json.items.map((c) => [c.enterprise_id, c.inspection_id]), [[2, insp]])
  const sup = await staff.get('/api/v1/supervision/lists/inspections')
  assert.ok(sup.json.items.some((i) => i.id === insp), 'the inspection is supervision\'s')
  assert.equal((await staff.post(`/api/v1/response/warnings/${wid}/checks`, { ...body, enterprise_id: 37 })).status, 422)
  assert.equal((await staff.post(`/api/v1/response/warnings/${wid}/checks`, { ...body, inspector_ids: [2] })).status, 422)
  assert.equal((await leader.post(`/api/v1/response/warnings/${wid}/checks`, body)).status, 403)
})

test('upgrade sends the new level; lift notifies; the summary adds it up', async () => {
  const up = await leader.post(`/api/v1/response/warnings/${wid}/change`, { action: 'upgrade', level: 'red', reason: '会商升级', effective_at: beijingTime(-60) })
  assert.equal(up.status, 200, up.text)
  let my = await ent.get('/api/v1/response/my')
  assert.equal(my.json.warning.level, 'red')
  for (const m of my.json.measures) assert.equal(m.level, 'red')
  assert.equal(my.json.task.confirmed_at, null, 'a new level is confirmed anew')
  const mon = await staff.post(`/api/v1/response/warnings/${wid}/monitoring`, {})
  assert.equal(mon.status, 200, mon.text)
  assert.equal(typeof mon.json.compared, 'number')
  const lift = await leader.post(`/api/v1/response/warnings/${wid}/change`, { action: 'lift', reason: '空气质量好转' })
  assert.equal(lift.status, 200, lift.text)
  my = await ent.get('/api/v1/response/my')
  assert.equal(my.json.warning, null)
  const n = await ent.get('/api/v1/service/notifications')
  assert.ok(n.json.items.some((x) => x.kind === 'response_lift'))
  assert.equal((await staff.post(`/api/v1/response/warnings/${wid}/checks`, { enterprise_id: 2, findings: 'x', result: 'compliant', inspector_ids: [2, 3] })).status, 409)

  const s = await leader.get(`/api/v1/response/warnings/${wid}/summary`)
  assert.equal(s.status, 200, s.text)
  assert.ok(s.json.duration_hours >= 2.9 && s.json.duration_hours <= 3.2, String(s.json.duration_hours))
  assert.equal(s.json.tasks.total, 72)
  assert.equal(s.json.tasks.confirmed, 1)
  assert.equal(s.json.checks.length, 1)
  const totals = (await staff.get('/api/v1/response/list/totals')).json.levels
  const hours = s.json.estimated.hours_by_level
  const want = (totals[1].so2.reduction * hours.orange + totals[2].so2.reduction * hours.red) / 24
  assert.ok(Math.abs(s.json.estimated.so2 - want) < 0.2, `${s.json.estimated.so2} vs ${want}`)
  assert.ok(Array.isArray(s.json.aqi))
  const x = await leader.request('GET', `/api/v1/response/warnings/${wid}/summary.xlsx`, { raw: true })
  assert.equal(x.status, 200)
  const bytes = Buffer.from(await x.arrayBuffer())
  assert.equal(bytes.subarray(0, 2).toString(), 'PK')
  assert.equal((await leader.get('/api/v1/response/warnings/999/summary')).status, 404)
  assert.equal((await leader.get('/api/v1/response/warnings/999/summary.xlsx')).status, 404)
})
