// 告知承诺 approvals checked afterwards (事后核查): the check is due a configurable number of working
// days after the decision (on the PRC calendar, across the 2026 National Day holiday), the list
// shows overdue checks first, a conforming check closes it, a nonconforming one either revokes the
// approval (credit record, revoke event, public progress) or orders rectification by a deadline
// with a re-inspection; every act audited; refused states leave the database unchanged; the demo's
// commitment cases went through the same functions.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { demoDb, startServer, Client } from '../lib.mjs'
import { uploadDeclared } from './materials.mjs'
import { signOff } from './chain.mjs'

let env, srv, ent, staff, admin, anon
before(async () => {
  env = demoDb({ enterprises: 20 })
  srv = await startServer(env.db)
  ent = await Client.as(srv.url, 'enterprise')
  staff = await Client.as(srv.url, 'staff')
  admin = await Client.as(srv.url, 'admin')
  anon = new Client(srv.url)
})
after(async () => {
  await srv?.stop()
  env?.cleanup()
})

const commitment = (name, extra = {}) => ({
  category: '报告表',
  commitment: true,
  project: { name, industry_code: 'C3074', nature: '技改', investment: 500, location: { type: 'Point', coordinates: [117.2, 29.2] } },
  preparer_unit: '景瓷环评咨询有限公司',
  preparer_person: '李工',
  materials: ['application', 'report', 'preparer', 'planning', 'filing'],
  on: '2026-09-14',
  ...extra,
})
const act = (id, body, today) => staff.post(`/api/v1/approval/applications/${id}/actions${today ? `?today=${today}` : ''}`, body)

/** Files a commitment application as the enterprise, accepts and approves it on `decided`. */
async function approved(name, decided) {
  let r = await ent.post('/api/v1/approval/applications', commitment(name))
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.route, 'commitment')
  const id = r.json.id
  await uploadDeclared(ent, r.json)
  r = await act(id, { action: 'accept', on: '2026-09-14' })
  assert.equal(r.status, 200, r.text)
  await signOff(srv.url, id, { on: decided })
  r = await act(id, { action: 'decide', decision: 'approve', on: decided })
  assert.equal(r.status, 200, r.text)
  return r.json
}

test('the check is due N working days after approval; overdue highlighted; conform closes it', async () => {
  const app = await approved('事后核查测试项目甲', '2026-09-15')
  const id = app.id
  // 20 working days from Tue 09-15: 16..18 (3), 09-20 make-up Sunday (4), 21..24 (8),
  // 中秋 25–27 off, 28..30 (11), National Day 10-01..07 off, 08, 09 (13), 10-10 make-up Saturday (14),
  // 12..16 (19), 19 (20) → 2026-10-19.
  assert.equal(app.postcheck.due, '2026-10-19')
  assert.equal(app.postcheck.workdays, 20)

  let r = await staff.get(`/api/v1/approval/applications/${id}?today=2026-10-15`)
  assert.equal(r.json.postcheck.state, 'pending')
  assert.equal(r.json.postcheck.left, 2)
  assert.equal(r.json.postcheck.level, 'warning')
  assert.ok(r.json.reminders.find((x) => x.kind === 'postcheck' && x.due === '2026-10-19'))

  r = await staff.get('/api/v1/approval/postchecks?today=2026-10-20')
  assert.equal(r.status, 200, r.text)
  const row = r.json.items.find((x) => x.id === id)
  assert.equal(row.postcheck.state, 'overdue')
  assert.equal(row.postcheck.late, true)
  assert.equal(row.postcheck.left, -1)
  assert.equal(row.number, app.number)
  assert.ok(row.doc_no.startsWith('景环审'))
  assert.ok(r.json.counts.overdue >= 1)
  const states = r.json.items.map((x) => x.postcheck.state)
  const lastOverdue = states.lastIndexOf('overdue')
  const firstOther = states.findIndex((s) => s !== 'overdue' && s !== 'rectify_overdue')
  assert.ok(firstOther === -1 || lastOverdue < firstOther, 'overdue checks first: ' + states.join(','))

  // before the approval: refused; bad result: refused; nothing written
  r = await act(id, { action: 'postcheck', result: 'conform', on: '2026-09-14' })
  assert.equal(r.status, 422)
  r = await act(id, { action: 'postcheck', result: '符合', on: '2026-10-20' })
  assert.equal(r.status, 422)
  assert.equal(r.json.error.field, 'result')
  r = await ent.post(`/api/v1/approval/applications/${id}/actions`, { action: 'postcheck', result: 'conform' })
  assert.equal(r.status, 403, 'the applicant cannot check itself')

  r = await act(id, { action: 'postcheck', result: 'conform', findings: '建设内容与承诺一致', on: '2026-10-20' }, '2026-10-21')
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.postcheck.state, 'conform')
  assert.equal(r.json.postcheck.late, true, 'checked after the due day')
  assert.equal(r.json.status, 'approved')
  assert.equal(r.json.reminders.filter((x) => x.kind === 'postcheck').length, 0)
  assert.ok(r.json.events.find((e) => e.kind === 'postcheck' && e.detail.result === 'conform'))
  r = await act(id, { action: 'postcheck', result: 'conform', on: '2026-10-22' })
  assert.equal(r.status, 409, 'checked once')

  r = await staff.get('/api/v1/approval/postchecks?today=2026-10-21&state=open')
  assert.ok(!r.json.items.find((x) => x.id === id), 'a finished check leaves the open list')
  r = await staff.get('/api/v1/approval/postchecks?state=bogus')
  assert.equal(r.status, 422)

  r = await admin.get(`/api/v1/audit?entity=eia_application&entity_id=${id}&action=approval.postcheck`)
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.items.length, 1, 'the check is audited once (the refused attempts left nothing)')
})

test('nonconform → revocation: status, revoke event with the findings, public progress', async () => {
  const { id, number } = await approved('事后核查测试项目乙', '2026-09-15')
  let r = await act(id, { action: 'postcheck', result: 'nonconform', on: '2026-10-09' })
  assert.equal(r.status, 422)
  assert.equal(r.json.error.field, 'findings')
  r = await act(id, { action: 'postcheck', result: 'nonconform', findings: '增加承诺范围外的工序', on: '2026-10-09' })
  assert.equal(r.status, 422)
  assert.equal(r.json.error.field, 'outcome')
  r = await act(id, { action: 'postcheck', result: 'nonconform', findings: '增加承诺范围外的工序', outcome: 'revoke', on: '2026-10-09' })
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.status, 'revoked')
  assert.equal(r.json.postcheck.state, 'revoked')
  assert.equal(r.json.postcheck.late, false)
  const kinds = r.json.events.map((e) => e.kind)
  assert.deepEqual(kinds.slice(-2), ['postcheck', 'revoke'])
  assert.match(r.json.events.at(-1).detail.reason, /事后核查/)
  r = await anon.get(`/api/v1/public/approvals/${number}`)
  assert.equal(r.json.status, 'revoked')
  assert.ok(r.json.steps.find((s) => s.kind === 'revoke' && s.day === '2026-10-09'))
  assert.ok(!JSON.stringify(r.json).includes('承诺范围外'), 'no findings on the public page')
})

test('nonconform → rectification with a deadline, re-inspection; the deadline reminded', async () => {
  const { id } = await approved('事后核查测试项目丙', '2026-09-15')
  let r = await act(id, { action: 'postcheck', result: 'nonconform', findings: '沉淀池容积不足', outcome: 'rectify', on: '2026-10-09' })
  assert.equal(r.status, 422)
  assert.equal(r.json.error.field, 'rectify_due')
  r = await act(id, { action: 'postcheck', result: 'nonconform', findings: '沉淀池容积不足', outcome: 'rectify', rectify_due: '2026-10-08', on: '2026-10-09' })
  assert.equal(r.status, 422, 'the deadline must follow the check')
  r = await act(id, { action: 'postcheck_rectified', result: 'conform', on: '2026-10-09' })
  assert.equal(r.status, 409, 'nothing to re-inspect yet')
  r = await act(id, { action: 'postcheck', result: 'nonconform', findings: '沉淀池容积不足', outcome: 'rectify', rectify_due: '2026-10-30', on: '2026-10-09' }, '2026-10-28')
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.status, 'approved')
  assert.equal(r.json.postcheck.state, 'rectifying')
  assert.equal(r.json.postcheck.level, 'warning')
  assert.ok(r.json.reminders.find((x) => x.kind === 'rectify' && x.due === '2026-10-30'))
  r = await staff.get('/api/v1/approval/postchecks?today=2026-11-02&state=open')
  assert.equal(r.json.items.find((x) => x.id === id).postcheck.state, 'rectify_overdue')
  r = await act(id, { action: 'postcheck_rectified', result: 'conform', findings: '已扩容并完成雨污分流', on: '2026-11-02' })
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.postcheck.state, 'rectified')
  assert.equal(r.json.postcheck.rectification.on, '2026-11-02')
  r = await act(id, { action: 'postcheck_rectified', result: 'nonconform', findings: 'x', on: '2026-11-03' })
  assert.equal(r.status, 409)

  // a failed re-inspection revokes
  const b = await approved('事后核查测试项目丁', '2026-09-15')
  r = await act(b.id, { action: 'postcheck', result: 'nonconform', findings: '废气未收集', outcome: 'rectify', rectify_due: '2026-10-20', on: '2026-10-09' })
  assert.equal(r.status, 200, r.text)
  r = await act(b.id, { action: 'postcheck_rectified', result: 'nonconform', findings: '逾期仍未整改', on: '2026-10-21' })
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.status, 'revoked')
  assert.equal(r.json.postcheck.state, 'revoked')
})

test('the deadline is configuration; standard-route and enterprise access refused; demo cases', async () => {
  let r = await admin.get('/api/v1/approval/config')
  const cfg = r.json
  assert.equal(cfg.postcheck_workdays, 20)
  r = await admin.put('/api/v1/approval/config', { ...cfg, postcheck_workdays: 5 })
  assert.equal(r.status, 200, r.text)
  const app = await approved('事后核查测试项目戊', '2026-09-15')
  assert.equal(app.postcheck.due, '2026-09-21') // 16, 17, 18, 20 (make-up Sunday), 21
  r = await admin.put('/api/v1/approval/config', cfg)
  assert.equal(r.status, 200)

  r = await ent.get('/api/v1/approval/postchecks')
  assert.equal(r.status, 403)
  r = await anon.get('/api/v1/approval/postchecks')
  assert.equal(r.status, 401)

  // a standard-route approval has no check and refuses one
  r = await ent.post('/api/v1/approval/applications', commitment('标准程序项目', { commitment: false }))
  const sid = r.json.id
  assert.equal(r.json.route, 'standard')
  await uploadDeclared(ent, r.json)
  await act(sid, { action: 'accept', on: '2026-09-14' })
  await signOff(srv.url, sid, { on: '2026-09-16' })
  r = await act(sid, { action: 'decide', decision: 'approve', on: '2026-09-16' })
  assert.equal(r.json.postcheck, undefined)
  r = await act(sid, { action: 'postcheck', result: 'conform', on: '2026-09-17' })
  assert.equal(r.status, 409)

  // the demo's commitment cases: overdue, pending, conform, rectifying, revoked (today)
  r = await staff.get('/api/v1/approval/postchecks')
  const demo = (name) => r.json.items.find((x) => x.project === name)?.postcheck.state
  assert.equal(demo('昌江区卫生陶瓷釉料车间技改项目'), 'overdue')
  assert.equal(demo('珠山区艺术陶瓷工作室窑炉项目'), 'pending')
  assert.equal(demo('浮溪县陶瓷花纸印刷生产线项目'), 'conform')
  assert.equal(demo('高新区建筑陶瓷抛光线改造项目'), 'rectifying')
  assert.equal(demo('陶瓷原料破碎加工项目'), 'revoked')
  assert.equal(r.json.items[0].postcheck.state, 'overdue')
})
