// 未批先建 in the investment project library (issue 17 item 4): construction started (开工) while
// the linked EIA application was not approved is flagged the moment both facts exist — advancing to
// 开工 with an unapproved application linked, linking one to a project already started — and when
// the application changes later (approved after the start stays flagged, a revocation flags a
// project started in time); the writes that create it are audited; staff hand it to supervision as
// a case (once), which names its source and the applicant.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { demoDb, startServer, Client } from '../lib.mjs'
import { uploadDeclared } from './materials.mjs'
import { signOff } from './chain.mjs'

let env, srv, ent, staff, admin
before(async () => {
  env = demoDb({ enterprises: 20 })
  srv = await startServer(env.db)
  ent = await Client.as(srv.url, 'enterprise')
  staff = await Client.as(srv.url, 'staff')
  admin = await Client.as(srv.url, 'admin')
})
after(async () => {
  await srv?.stop()
  env?.cleanup()
})

const apply = async (name, on) => {
  const r = await ent.post('/api/v1/approval/applications', {
    category: '报告表', on, commitment: true, preparer_unit: '景瓷环评咨询有限公司', preparer_person: '李工',
    project: { name, industry_code: 'C3074', nature: '扩建', investment: 800, location: { type: 'Point', coordinates: [117.2, 29.2] } },
    materials: ['application', 'report', 'preparer', 'filing', 'planning'],
  })
  assert.equal(r.status, 201, r.text)
  await uploadDeclared(ent, r.json)
  return r.json
}
const act = async (id, body) => {
  const r = await staff.post(`/api/v1/approval/applications/${id}/actions`, body)
  assert.equal(r.status, 200, r.text)
  return r.json
}
const project = async (name, on, app_number = '') => {
  const r = await staff.post('/api/v1/approval/invest-projects', { name, kind: '招商', sector: '陶瓷', amount: 500, on, app_number })
  assert.equal(r.status, 201, r.text)
  return r.json.id
}
const advance = (id, on) => staff.post(`/api/v1/approval/invest-projects/${id}/advance`, { on })
const get = async (id) => (await staff.get('/api/v1/approval/invest-projects?limit=1000')).json.items.find((p) => p.id === id)
const audits = async (id, action) => (await admin.get(`/api/v1/audit?entity=invest_project&entity_id=${id}&action=${action}`)).json.items

test('the demo library flags its project started under review, and ?unapproved=1 lists only those', async () => {
  const all = (await staff.get('/api/v1/approval/invest-projects')).json
  const flagged = all.items.filter((p) => p.unapproved_start)
  assert.ok(flagged.length >= 1)
  assert.equal(all.unapproved, flagged.length)
  for (const p of flagged) {
    assert.notEqual(p.application.status, 'approved')
    assert.ok(['开工', '投产'].includes(p.status))
  }
  const only = (await staff.get('/api/v1/approval/invest-projects?unapproved=1')).json.items
  assert.deepEqual(only.map((p) => p.id), flagged.map((p) => p.id))
  assert.equal((await staff.get('/api/v1/approval/invest-projects?unapproved=2')).status, 422)
})

test('advancing to 开工 with an unapproved application flags at once; a later approval does not clear it', async () => {
  const app = await apply('未批先建测试一', '2026-11-02')
  const id = await project('未批先建测试项目一', '2026-11-01', app.number)
  assert.equal((await get(id)).unapproved_start, null, 'signed only: nothing built yet')
  const r = await advance(id, '2026-11-03')
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.unapproved_start.since, '2026-11-03')
  assert.equal(r.json.unapproved_start.app_status, 'submitted')
  assert.equal((await audits(id, 'invest.unapproved_start')).length, 1)
  await act(app.id, { action: 'accept', on: '2026-11-04' })
  await signOff(srv.url, app.id, { on: '2026-11-05' })
  await act(app.id, { action: 'decide', decision: 'approve', on: '2026-11-05' })
  const after = await get(id)
  assert.equal(after.application.status, 'approved')
  assert.ok(after.unapproved_start, 'built before the approval: still 未批先建')
  assert.match(after.unapproved_start.reason, /2026-11-05/)
})

test('started after the approval is clean until the approval is revoked', async () => {
  const app = await apply('未批先建测试二', '2026-11-02')
  await act(app.id, { action: 'accept', on: '2026-11-02' })
  await signOff(srv.url, app.id, { on: '2026-11-03' })
  await act(app.id, { action: 'decide', decision: 'approve', on: '2026-11-03' })
  const id = await project('未批先建测试项目二', '2026-11-01', app.number)
  const r = await advance(id, '2026-11-06')
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.unapproved_start, null)
  assert.equal((await audits(id, 'invest.unapproved_start')).length, 0)
  await act(app.id, { action: 'revoke', reason: '核查发现实际建设内容与承诺不符', on: '2026-11-20' })
  const p = await get(id)
  assert.equal(p.application.status, 'revoked')
  assert.ok(p.unapproved_start, 'computed on read: the revocation shows at once')
})

test('linking an unapproved application to a project already started flags it; unlinking clears it', async () => {
  const app = await apply('未批先建测试三', '2026-11-10')
  const id = await project('未批先建测试项目三', '2026-11-01')
  assert.equal((await advance(id, '2026-11-05')).status, 200)
  assert.equal((await get(id)).unapproved_start, null, 'no application linked')
  let r = await staff.post(`/api/v1/approval/invest-projects/${id}/link`, { app_number: app.number })
  assert.equal(r.status, 200, r.text)
  assert.ok(r.json.unapproved_start)
  assert.equal((await audits(id, 'invest.unapproved_start')).length, 1)
  r = await staff.post(`/api/v1/approval/invest-projects/${id}/link`, { app_number: '' })
  assert.equal(r.json.unapproved_start, null)
})

test('staff hand a flagged project to supervision as one case, against the applicant', async () => {
  const app = await apply('未批先建测试四', '2026-11-10')
  const id = await project('未批先建测试项目四', '2026-11-01', app.number)
  const clean = await project('未批先建测试项目五', '2026-11-01')
  let r = await staff.post(`/api/v1/approval/invest-projects/${id}/case`, {})
  assert.equal(r.status, 409, 'not started: nothing to hand over')
  assert.equal(r.json.error.code, 'invalid_state')
  assert.equal((await staff.post(`/api/v1/approval/invest-projects/${clean}/case`, {})).status, 409)
  assert.equal((await advance(id, '2026-11-12')).status, 200)
  const leader = await Client.as(srv.url, 'leader')
  assert.equal((await leader.post(`/api/v1/approval/invest-projects/${id}/case`, {})).status, 403)
  assert.equal((await ent.post(`/api/v1/approval/invest-projects/${id}/case`, {})).status, 403)
  assert.equal((await staff.post(`/api/v1/approval/invest-projects/${id}/case`, { title: 'x'.repeat(201) })).status, 422)
  assert.equal((await staff.post('/api/v1/approval/invest-projects/999999/case', {})).status, 404)

  r = await staff.post(`/api/v1/approval/invest-projects/${id}/case`, {})
  assert.equal(r.status, 200, r.text)
  const caseId = r.json.case_id
  assert.ok(caseId > 0)
  const cases = (await staff.get('/api/v1/supervision/lists/cases')).json.items
  const k = cases.find((c) => c.id === caseId)
  assert.equal(k.title, '未批先建：未批先建测试项目四')
  assert.equal(k.source, '未批先建')
  assert.equal(k.status, 'open')
  assert.equal(k.enterprise_id, app.enterprise_id ?? (await staff.get(`/api/v1/approval/applications/${app.id}`)).json.enterprise_id)
  const opened = (await admin.get(`/api/v1/audit?entity=sup_case&entity_id=${caseId}&action=supervision.case.open`)).json.items
  assert.equal(opened.length, 1)
  assert.equal(opened[0].detail.source, '未批先建')
  assert.equal((await audits(id, 'invest.case')).length, 1)
  assert.equal((await get(id)).case_id, caseId)

  r = await staff.post(`/api/v1/approval/invest-projects/${id}/case`, {})
  assert.equal(r.status, 409, 'handed over once')
  assert.match(r.json.error.message, new RegExp(String(caseId)))
})
