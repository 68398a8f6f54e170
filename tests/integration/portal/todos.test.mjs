// The enterprise portal (issue 17 item 5): GET /api/v1/portal/todos gathers the logged-in
// enterprise's visits to confirm, service forms to fill, 容缺 materials owed, rectification orders
// and unconfirmed warning measures — never another enterprise's; a rectification order is answered
// with evidence files for staff to verify; a reception day is booked from the portal.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { Client, demoDb, startServer } from '../lib.mjs'

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])
const beijingDay = (days) => new Date(Date.now() + 8 * 3600000 + days * 86400000).toISOString().slice(0, 10)
const beijingTime = (minutes) => new Date(Date.now() + 8 * 3600000 + minutes * 60000).toISOString().slice(0, 16).replace('T', ' ')

let env, server, staff, leader, admin, ent, other, staffId

before(async () => {
  env = demoDb({ enterprises: 40 })
  server = await startServer(env.db)
  staff = await Client.as(server.url, 'staff')
  leader = await Client.as(server.url, 'leader')
  admin = await Client.as(server.url, 'admin')
  ent = await Client.as(server.url, 'enterprise') // enterprise 1
  const u = await admin.post('/api/v1/users', { username: 'ent2', display_name: '企业2', password: 'Ent2@2026x', role: 'enterprise', enterprise_id: 2 })
  assert.equal(u.status, 201, u.text)
  other = new Client(server.url)
  assert.equal((await other.login('ent2', 'Ent2@2026x')).status, 200)
  staffId = (await staff.get('/api/v1/service/staff')).json.items[0].id
})

after(async () => {
  await server?.stop()
  env?.cleanup()
})

async function todos(c = ent) {
  const r = await c.get('/api/v1/portal/todos')
  assert.equal(r.status, 200, r.text)
  return r.json
}

const ids = (t, kind) => t.items.filter((i) => i.kind === kind).map((i) => i.id)

async function inspect(enterprise, due) {
  const r = await staff.post('/api/v1/supervision/inspections', {
    enterprise_id: enterprise, findings: '废气收集设施破损', result: 'issues', inspector_ids: [2, 3],
    rectification: { requirement: '修复废气收集罩并更换活性炭', due_on: due },
  })
  assert.equal(r.status, 201, r.text)
  const list = (await staff.get(`/api/v1/supervision/lists/rectifications?enterprise_id=${enterprise}`)).json.items
  return list.find((x) => x.inspection_id === r.json.id).id
}

test('only the enterprise may read its to-dos', async () => {
  assert.equal((await staff.get('/api/v1/portal/todos')).status, 403)
  assert.equal((await new Client(server.url).get('/api/v1/portal/todos')).status, 401)
  const t = await todos()
  assert.equal(t.enterprise_id, 1)
  assert.match(t.today, /^\d{4}-\d{2}-\d{2}$/)
  assert.equal(t.counts.total, t.items.length)
})

test('visits to confirm and forms to fill come from the service module', async () => {
  const before0 = await todos()
  const soon = await staff.post('/api/v1/service/visits', { enterprise_id: 1, purpose: '服务', planned_at: beijingDay(3) + ' 09:30', place: '企业', staff: [staffId] })
  assert.equal(soon.status, 201, soon.text)
  const past = await staff.post('/api/v1/service/visits', { enterprise_id: 1, purpose: '服务', planned_at: beijingDay(-1) + ' 09:30', place: '企业', staff: [staffId] })
  assert.equal(past.status, 201, past.text)
  const theirs = await staff.post('/api/v1/service/visits', { enterprise_id: 2, purpose: '服务', planned_at: beijingDay(3) + ' 10:00', staff: [staffId] })
  assert.equal(theirs.status, 201, theirs.text)

  let t = await todos()
  assert.equal(t.counts.confirm, before0.counts.confirm + 2)
  assert.ok(ids(t, 'confirm').includes(soon.json.id))
  assert.ok(!ids(t, 'confirm').includes(theirs.json.id), 'another enterprise’s visit is not listed')
  const item = t.items.find((i) => i.kind === 'confirm' && i.id === past.json.id)
  assert.equal(item.link, '/enterprise/service')
  assert.equal(item.due_on, beijingDay(-1))
  assert.equal(item.overdue, true, 'a visit day gone by unconfirmed is overdue')

  assert.equal((await ent.post(`/api/v1/service/visits/${past.json.id}/confirm`, { note: '确认' })).status, 200)
  t = await todos()
  assert.ok(!ids(t, 'confirm').includes(past.json.id))
  assert.ok(ids(t, 'form').includes(past.json.id), 'a confirmed visit that took place awaits its form')
  assert.equal(t.counts.forms, before0.counts.forms + 1)
  assert.ok(ids(await todos(other), 'confirm').includes(theirs.json.id))
})

test('容缺 materials owed come from the approval module', async () => {
  const t = await todos()
  const mine = (await ent.get('/api/v1/approval/applications')).json.items
  const owed = mine.filter((a) => a.status === 'accepted')
  assert.ok(t.counts.supplements >= 1, 'the demo has a 容缺 acceptance for enterprise 1')
  for (const s of t.supplements) {
    assert.ok(owed.some((a) => a.id === s.id), 'an application of its own, accepted')
    assert.ok(s.missing.length > 0)
    const item = t.items.find((i) => i.kind === 'supplement' && i.id === s.id)
    assert.equal(item.due_on, s.supplement_due)
    assert.equal(item.link, '/enterprise/approvals')
  }
  const theirs = await todos(other)
  for (const s of theirs.supplements) assert.ok(!t.supplements.some((x) => x.id === s.id))
})

const orderNotes = async (c) => (await c.get('/api/v1/service/notifications')).json.items.filter((n) => n.kind === 'rectification_order')

test('rectification orders come from supervision, overdue ones marked; never another’s', async () => {
  const notes0 = (await orderNotes(ent)).length
  const theirs0 = (await orderNotes(other)).length
  const late = await inspect(1, beijingDay(-2))
  const mine = await orderNotes(ent)
  assert.equal(mine.length, notes0 + 1, 'the enterprise is told through the bell')
  assert.ok(mine[0].message.includes(beijingDay(-2)))
  assert.equal((await orderNotes(other)).length, theirs0, 'not another enterprise')
  const due = await inspect(1, beijingDay(10))
  const theirs = await inspect(2, beijingDay(5))
  const t = await todos()
  assert.ok(ids(t, 'rectification').includes(late) && ids(t, 'rectification').includes(due))
  assert.ok(!ids(t, 'rectification').includes(theirs))
  assert.equal(t.items.find((i) => i.kind === 'rectification' && i.id === late).overdue, true)
  assert.equal(t.items.find((i) => i.kind === 'rectification' && i.id === due).overdue, false)
  assert.ok(t.counts.overdue >= 1)
  const dated = t.items.filter((i) => i.due_on).map((i) => i.due_on)
  assert.deepEqual(dated, [...dated].sort(), 'earliest deadline first')
  assert.ok(ids(await todos(other), 'rectification').includes(theirs))
  // another enterprise's order is not found by any of the answer routes
  assert.equal((await ent.get(`/api/v1/supervision/rectifications/${theirs}`)).status, 404)
  const up = await ent.request('POST', `/api/v1/supervision/rectifications/${theirs}/files?name=a.png`, { body: new Uint8Array(PNG), headers: { 'content-type': 'application/octet-stream' } })
  assert.equal(up.status, 404, up.text)
  assert.equal((await ent.post(`/api/v1/supervision/rectifications/${theirs}/answer`, { answer: '已整改' })).status, 404)
})

test('the enterprise answers an order with evidence files; staff verify it', async () => {
  const id = await inspect(1, beijingDay(7))
  const upload = (c, name, bytes) => c.request('POST', `/api/v1/supervision/rectifications/${id}/files?name=${encodeURIComponent(name)}`, { body: new Uint8Array(bytes), headers: { 'content-type': 'application/octet-stream' } })

  let r = await ent.post(`/api/v1/supervision/rectifications/${id}/answer`, { answer: '已整改' })
  assert.equal(r.status, 422, 'no answer without evidence')
  assert.equal(r.json.error.field, 'files')
  r = await ent.post(`/api/v1/supervision/rectifications/${id}/answer`, {})
  assert.equal(r.status, 422, 'the text is required')
  r = await upload(ent, 'notes.txt', Buffer.from('plain text'))
  assert.equal(r.status, 415, 'type is recognised from the content: ' + r.text)
  r = await upload(ent, 'empty.png', Buffer.alloc(0))
  assert.equal(r.status, 422)
  r = await upload(staff, 'photo.png', PNG)
  assert.equal(r.status, 403, 'staff do not answer for an enterprise')
  r = await upload(ent, '整改后照片.png', PNG)
  assert.equal(r.status, 201, r.text)
  const fileId = r.json.id
  assert.equal(r.headers.get('location'), `/api/v1/service/attachments/${fileId}`)

  r = await ent.post(`/api/v1/supervision/rectifications/${id}/answer`, { answer: '已修复收集罩，更换活性炭 2 吨' })
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.answered_on, beijingDay(0))
  assert.equal(r.json.status, 'open', 'still open until staff verify')
  assert.equal(r.json.files.length, 1)

  const seen = (await staff.get(`/api/v1/supervision/rectifications/${id}`)).json
  assert.equal(seen.answer, '已修复收集罩，更换活性炭 2 吨')
  assert.equal(seen.files[0].id, fileId)
  assert.equal((await staff.get(`/api/v1/service/attachments/${fileId}`)).status, 200)
  assert.equal((await other.get(`/api/v1/service/attachments/${fileId}`)).status, 404)
  const audit = (await leader.get('/api/v1/audit?limit=50')).json.items
  assert.ok(audit.some((a) => a.action === 'supervision.rectification.answer' && String(a.entity_id) === String(id)), 'the answer is audited')

  assert.ok(ids(await todos(), 'rectification').includes(id), 'answered but not verified: still a to-do')
  r = await staff.post(`/api/v1/supervision/rectifications/${id}/done`, { evidence: '现场核查属实' })
  assert.equal(r.status, 200, r.text)
  assert.ok(!ids(await todos(), 'rectification').includes(id))
  r = await ent.post(`/api/v1/supervision/rectifications/${id}/answer`, { answer: '再次回复' })
  assert.equal(r.status, 409, 'a verified order is closed')
})

test('warning measures to confirm come from the response module', async () => {
  let t = await todos()
  assert.equal(t.counts.measures, 0)
  const w = await leader.post('/api/v1/response/warnings', { level: 'orange', reason: '预计重污染', effective_at: beijingTime(-60) })
  assert.equal(w.status, 201, w.text)
  t = await todos()
  assert.equal(t.counts.measures, 1, 'enterprise 1 is on the reduction list')
  const item = t.items.find((i) => i.kind === 'measures')
  assert.equal(item.link, '/enterprise/response')
  assert.ok(t.measures.length > 0)
  assert.equal((await ent.post('/api/v1/response/my/confirm', { note: '已落实' })).status, 200)
  t = await todos()
  assert.equal(t.counts.measures, 0)
})

test('a reception day is booked from the portal', async () => {
  const day = beijingDay(40)
  const d = await staff.post('/api/v1/service/reception-days', { kind: 'enterprise', day, leaders: '李局长', place: '大厅', capacity: 2 })
  assert.equal(d.status, 201, d.text)
  let list = (await ent.get('/api/v1/service/reception-days?upcoming=1')).json.items
  let row = list.find((x) => x.id === d.json.id)
  assert.equal(row.capacity - row.booked, 2)
  const b = await ent.post(`/api/v1/service/reception-days/${d.json.id}/bookings`, { person_name: '王建国', phone: '13800000001', people: 2, topic: '排污许可变更' })
  assert.equal(b.status, 201, b.text)
  list = (await ent.get('/api/v1/service/reception-days?upcoming=1')).json.items
  row = list.find((x) => x.id === d.json.id)
  assert.equal(row.capacity - row.booked, 1)
  const detail = (await ent.get(`/api/v1/service/reception-days/${d.json.id}`)).json
  assert.ok(detail.entries.every((e) => e.enterprise_id === 1))
})
