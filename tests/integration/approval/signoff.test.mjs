// The sign-off chain over HTTP: 经办人 (staff of 环评科) drafts the opinion with the proposed
// decision → 科长 (the chief named in the configuration) reviews → 分管局领导 (a leader) signs;
// each step only by its role and section, one person one step; a return goes one step back with
// its reason; the decision is refused before the chain completes and must be what was signed;
// every step is an event with user, opinion and time, and an audit entry.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { demoDb, startServer, Client } from '../lib.mjs'
import { uploadDeclared } from './materials.mjs'

let env, srv, ent, staff, staff2, chief, leader, admin
before(async () => {
  env = demoDb({ enterprises: 20 })
  srv = await startServer(env.db)
  ent = await Client.as(srv.url, 'enterprise')
  staff = await Client.as(srv.url, 'staff')
  staff2 = await Client.as(srv.url, 'staff2')
  chief = await Client.as(srv.url, 'chief')
  leader = await Client.as(srv.url, 'leader')
  admin = await Client.as(srv.url, 'admin')
})
after(async () => {
  await srv?.stop()
  env?.cleanup()
})

const act = (c, id, body) => c.post(`/api/v1/approval/applications/${id}/actions`, body)
async function accepted(name) {
  let r = await ent.post('/api/v1/approval/applications', {
    category: '报告表', on: '2026-11-02', preparer_unit: '景瓷环评咨询有限公司', preparer_person: '李工',
    project: { name, industry_code: 'C3074', nature: '扩建', investment: 800, location: { type: 'Point', coordinates: [117.2, 29.2] } },
    materials: ['application', 'report', 'preparer', 'filing', 'planning'],
  })
  assert.equal(r.status, 201, r.text)
  await uploadDeclared(ent, r.json)
  r = await act(staff, r.json.id, { action: 'accept', on: '2026-11-02' })
  assert.equal(r.status, 200, r.text)
  return r.json.id
}
const draft = { action: 'signoff_draft', decision: 'approve', opinion: '符合审批条件，拟同意。', conditions: '一、落实废气治理措施。\n二、竣工后开展验收。' }

test('the chain in order, by role and section; returns with reasons; decision only after signing', async () => {
  const id = await accepted('签批流程测试项目')
  let r = await act(staff, id, { action: 'decide', decision: 'approve' })
  assert.equal(r.status, 409)
  assert.equal(r.json.error.field, 'signoff')

  // order: nothing to review or sign before the draft
  assert.equal((await act(chief, id, { action: 'signoff_review', opinion: '同意' })).status, 409)
  assert.equal((await act(leader, id, { action: 'signoff_sign', opinion: '同意' })).status, 409)
  assert.equal((await act(chief, id, { action: 'signoff_return', reason: 'x' })).status, 409)
  // roles: staff of another section, a leader, the enterprise cannot draft
  r = await act(staff2, id, draft)
  assert.equal(r.status, 403, 'staff of 执法支队')
  assert.match(r.json.error.message, /经办人/)
  assert.equal((await act(leader, id, draft)).status, 403)
  assert.equal((await act(ent, id, draft)).status, 403)
  r = await act(staff, id, { ...draft, opinion: '' })
  assert.equal(r.status, 422)
  assert.equal(r.json.error.field, 'opinion')
  r = await act(staff, id, { ...draft, decision: 'refuse' })
  assert.equal(r.status, 422, 'a refusal names its statutory ground')
  assert.equal(r.json.error.field, 'ground')

  r = await act(staff, id, draft)
  assert.equal(r.status, 200, r.text)
  let so = r.json.data.signoff
  assert.equal(so.state, 'review')
  assert.equal(so.proposal.decision, 'approve')
  assert.equal(so.history[0].name, '王环评')
  assert.equal(so.history[0].role, '经办人')
  assert.match(so.history[0].at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/)
  assert.equal((await act(staff, id, draft)).status, 409, 'drafted already')

  // the review: only the chief; staff of the section are not chiefs
  r = await act(staff, id, { action: 'signoff_review', opinion: '同意' })
  assert.equal(r.status, 403)
  r = await act(chief, id, { action: 'signoff_review', opinion: '同意拟办意见。' })
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.data.signoff.state, 'sign')
  assert.equal((await act(chief, id, { action: 'signoff_sign', opinion: '签发' })).status, 403, 'a chief is no leader')
  assert.equal((await act(staff, id, { action: 'decide', decision: 'approve' })).status, 409, 'not signed yet')

  // returns: the leader to the chief, the chief to the 经办人 (a new round), each with a reason
  assert.equal((await act(leader, id, { action: 'signoff_return', reason: '' })).status, 422)
  r = await act(leader, id, { action: 'signoff_return', reason: '请核实总量指标来源。' })
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.data.signoff.state, 'review')
  r = await act(chief, id, { action: 'signoff_return', reason: '补充总量指标来源说明。' })
  assert.equal(r.json.data.signoff.state, 'draft')
  assert.equal(r.json.data.signoff.round, 2)
  assert.equal(r.json.data.signoff.proposal, undefined)

  // round two, to the signature
  assert.equal((await act(staff, id, { ...draft, opinion: '已补充总量指标来源，拟同意。' })).status, 200)
  assert.equal((await act(chief, id, { action: 'signoff_review', opinion: '同意。' })).status, 200)
  r = await act(leader, id, { action: 'signoff_sign', opinion: '同意，签发。' })
  assert.equal(r.status, 200, r.text)
  so = r.json.data.signoff
  assert.equal(so.state, 'signed')
  assert.deepEqual(so.history.map((h) => `${h.step}:${h.act}`), [
    'draft:draft', 'review:agree', 'sign:return', 'review:return', 'draft:draft', 'review:agree', 'sign:sign',
  ])
  assert.equal(so.history[2].opinion, '请核实总量指标来源。')
  assert.equal(so.history.at(-1).name, '李局长')

  r = await act(staff, id, { action: 'decide', decision: 'refuse', ground: 2 })
  assert.equal(r.status, 409, 'only what was signed')
  r = await act(staff, id, { action: 'decide', decision: 'approve' })
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.status, 'approved')
  assert.match(r.json.data.decision.doc_no, /^景环审〔\d{4}〕\d+号$/)

  // every step an event and an audit entry naming its user
  const kinds = r.json.events.map((e) => e.kind).filter((k) => k.startsWith('signoff'))
  assert.equal(kinds.length, 7)
  r = await admin.get(`/api/v1/audit?entity=eia_application&entity_id=${id}&action=approval.signoff_sign`)
  assert.equal(r.json.items.length, 1)
  assert.equal(r.json.items[0].actor, 'leader')
})

test('one person, one step: the chief who drafted cannot review the same draft', async () => {
  const id = await accepted('四眼原则测试项目')
  assert.equal((await act(chief, id, draft)).status, 200, 'a chief of the section may draft')
  const r = await act(chief, id, { action: 'signoff_review', opinion: '同意' })
  assert.equal(r.status, 409)
  assert.match(r.json.error.message, /同一人/)
})

test('the chiefs are configuration an admin keeps; a malformed list is refused', async () => {
  const cfg = (await admin.get('/api/v1/approval/config')).json
  assert.deepEqual(cfg.signoff.chiefs, ['eiachief'])
  let r = await admin.put('/api/v1/approval/config', { ...cfg, signoff: { ...cfg.signoff, chiefs: [3] } })
  assert.equal(r.status, 422)
  assert.equal(r.json.error.field, 'signoff')
  r = await staff.put('/api/v1/approval/config', cfg)
  assert.equal(r.status, 403)
})
