// EIA approvals over HTTP: an enterprise files a 报告表 with a waivable item missing, staff accept
// under 容缺 (the supplement deadline bounded by the promised limit), the clocks pause for expert
// review across the 2026 National Day holiday and resume, no decision before the supplement, the
// decision with a document number, public progress and notices with Atom/JSON feeds; the 登记表
// filing number at once; the one-time correction window; the preparer blacklist; siting at intake.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { demoDb, startServer, Client } from '../lib.mjs'
import { uploadDeclared, uploadMaterial } from './materials.mjs'
import { signOff } from './chain.mjs'

let env, srv, ent, staff, anon
before(async () => {
  env = demoDb({ enterprises: 20 })
  srv = await startServer(env.db)
  ent = await Client.as(srv.url, 'enterprise')
  staff = await Client.as(srv.url, 'staff')
  anon = new Client(srv.url)
})
after(async () => {
  await srv?.stop()
  env?.cleanup()
})

const ceramics = (extra = {}) => ({
  category: '报告表',
  project: { name: '瑶里青花日用瓷扩建项目', industry_code: 'C3074', nature: '扩建', investment: 1200, location: { type: 'Point', coordinates: [117.35, 29.47] } },
  preparer_unit: '景瓷环评咨询有限公司',
  preparer_person: '李工',
  materials: ['application', 'report', 'preparer', 'filing'],
  on: '2026-09-18',
  ...extra,
})
const act = (id, body, today) => staff.post(`/api/v1/approval/applications/${id}/actions${today ? `?today=${today}` : ''}`, body)

test('容缺 acceptance, pauses across National Day, supplement before decision, public notices', async () => {
  const before = (await staff.get('/api/v1/approval/stats')).json.by_category['报告表']?.cases ?? 0
  let r = await ent.post('/api/v1/approval/applications', ceramics())
  assert.equal(r.status, 201, r.text)
  const app = r.json
  assert.equal(app.status, 'submitted')
  assert.deepEqual(app.data.missing, ['planning'])
  assert.equal(app.data.siting_verdict, '禁止', 'the siting check ran at intake')
  assert.equal(app.correction_due, '2026-09-24') // 09-20 make-up, 21, 22, 23, 24
  const id = app.id
  await uploadDeclared(ent, app)

  // Acceptance with a waivable item missing needs 容缺 with a commitment and a bounded deadline.
  r = await act(id, { action: 'accept', on: '2026-09-18' })
  assert.equal(r.status, 409)
  r = await act(id, { action: 'accept', on: '2026-09-18', rongque: true, commitment: '承诺于期限内补交规划选址意见', supplement_due: '2026-12-31' })
  assert.equal(r.status, 422)
  assert.equal(r.json.error.field, 'supplement_due')
  r = await act(id, { action: 'accept', on: '2026-09-18', rongque: true, commitment: '承诺于期限内补交规划选址意见', supplement_due: '2026-09-24' }, '2026-09-18')
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.status, 'accepted')
  // promised 7 working days: 09-20 (make-up Sunday) 21 22 23 24 28 29
  assert.equal(r.json.clocks.promised.deadline, '2026-09-29')
  assert.equal(r.json.clocks.statutory.deadline, '2026-10-18')

  r = await act(id, { action: 'pause', kind: 'expert_review', on: '2026-09-28' })
  assert.equal(r.status, 200, r.text)
  r = await staff.get(`/api/v1/approval/applications/${id}?today=2026-10-09`)
  assert.equal(r.json.clocks.promised.paused, true)
  assert.equal(r.json.clocks.promised.used, 5)
  r = await act(id, { action: 'resume', on: '2026-10-12' }, '2026-10-12')
  assert.equal(r.status, 200, r.text)
  // after resuming 10-12: 12, 13 -> deadline 10-13 (10-10 make-up day fell in the pause)
  assert.equal(r.json.clocks.promised.deadline, '2026-10-13')
  assert.equal(r.json.clocks.promised.used, 6)
  assert.equal(r.json.clocks.promised.paused_days, 14)

  r = await act(id, { action: 'decide', decision: 'approve', on: '2026-10-12' })
  assert.equal(r.status, 409, 'no decision until supplemented')
  r = await ent.post(`/api/v1/approval/applications/${id}/actions`, { action: 'supplement', items: ['planning'], on: '2026-09-23' })
  assert.equal(r.status, 409, 'a material without a file is not supplemented')
  assert.equal((await uploadMaterial(ent, id, 'planning', '规划选址意见.pdf')).status, 201)
  r = await ent.post(`/api/v1/approval/applications/${id}/actions`, { action: 'supplement', items: ['planning'], on: '2026-09-23' })
  assert.equal(r.status, 200, r.text)
  r = await act(id, { action: 'pre_approval_notice', on: '2026-10-12' })
  assert.equal(r.status, 200)
  r = await act(id, { action: 'decide', decision: 'approve', on: '2026-10-13' })
  assert.equal(r.status, 409, 'not before the sign-off chain')
  assert.equal(r.json.error.field, 'signoff')
  await signOff(srv.url, id, { on: '2026-10-13' })
  r = await act(id, { action: 'decide', decision: 'refuse', ground: 1, on: '2026-10-13' })
  assert.equal(r.status, 409, 'only the decision signed')
  assert.equal(r.json.error.field, 'decision')
  r = await act(id, { action: 'decide', decision: 'approve', on: '2026-10-13' }, '2026-10-20')
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.status, 'approved')
  assert.match(r.json.data.decision.doc_no, /^景环审〔2026〕\d+号$/)
  assert.equal(r.json.clocks.promised.status, 'stopped')
  assert.equal(r.json.clocks.promised.used, 7)

  r = await anon.get(`/api/v1/public/approvals/${app.number}`)
  assert.equal(r.status, 200)
  assert.equal(r.json.status_zh, '已批准')
  assert.equal(r.json.data, undefined, 'minimal information only')
  assert.ok(!r.text.includes('李工'))
  r = await anon.get('/api/v1/public/approval-notices')
  const kinds = r.json.items.filter((n) => n.number === app.number).map((n) => n.kind).sort()
  assert.deepEqual(kinds, ['accept', 'decision', 'pre_approval'])
  r = await anon.get('/api/v1/public/approval-notices.atom')
  assert.match(r.headers.get('content-type'), /atom/)
  assert.match(r.text, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/)
  r = await anon.get('/api/v1/public/approval-notices.json')
  assert.equal(r.json.version, 'https://jsonfeed.org/version/1.1')
  r = await staff.get('/api/v1/approval/stats')
  assert.equal(r.json.by_category['报告表'].cases, before + 1, 'the demo cases plus this one')
})

test('登记表 is filed at once; correction only within 5 working days; blacklisted preparer refused', async () => {
  let r = await ent.post('/api/v1/approval/applications', ceramics({ category: '登记表', materials: ['commitment'], project: { name: '小型仓储项目', industry_code: 'C3074' } }))
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.status, 'filed')
  assert.ok(r.json.events.find((e) => e.kind === 'filed').detail.filing_no)

  r = await ent.post('/api/v1/approval/applications', ceramics({ on: '2026-09-18' }))
  const id = r.json.id
  r = await act(id, { action: 'correction', items: ['补充规划选址意见'], on: '2026-10-09' })
  assert.equal(r.status, 409, 'past 5 working days it counts as accepted')
  assert.match(r.json.error.message, /视为/)
  r = await act(id, { action: 'correction', items: ['补充规划选址意见'], on: '2026-09-24' })
  assert.equal(r.status, 200)

  r = await staff.post('/api/v1/approval/preparer-list', { name: '失信环评有限公司', list: '黑名单', start: '2026-01-01', end: '2030-12-31', reason: '编制质量问题' })
  assert.equal(r.status, 201)
  r = await ent.post('/api/v1/approval/applications', ceramics({ preparer_unit: '失信环评有限公司', materials: ['application', 'report', 'preparer', 'planning', 'filing'] }))
  r = await act(r.json.id, { action: 'accept', on: '2026-09-18' })
  assert.equal(r.status, 409)
  assert.match(r.json.error.message, /黑名单/)
})

test('enterprises see only their own applications; hostile input refused', async () => {
  let r = await staff.post('/api/v1/approval/applications', { ...ceramics(), enterprise_id: 999999 })
  assert.equal(r.status, 422)
  r = await ent.post('/api/v1/approval/applications', ceramics({ category: '报告册' }))
  assert.equal(r.status, 422)
  r = await ent.post('/api/v1/approval/applications', ceramics({ on: '2026-02-30' }))
  assert.equal(r.status, 422)
  r = await ent.post('/api/v1/approval/applications', ceramics({ project: { name: 'x', industry_code: 'C3074', location: { type: 'Point', coordinates: [517, 29] } } }))
  assert.equal(r.status, 422)
  r = await ent.post('/api/v1/approval/applications/1/actions', { action: 'accept' })
  assert.equal(r.status, 403)
  r = await ent.get('/api/v1/approval/applications')
  assert.ok(r.json.items.length >= 1)
  r = await anon.get('/api/v1/approval/applications')
  assert.equal(r.status, 401)
})

test('容缺 reminders, the five-year re-review with its deemed-approval timer', async () => {
  let r = await ent.post('/api/v1/approval/applications', ceramics({ on: '2026-09-18', project: { name: '提醒测试项目', industry_code: 'C3074', location: { type: 'Point', coordinates: [117.2, 29.2] } } }))
  const id = r.json.id
  await uploadDeclared(ent, r.json)
  r = await act(id, { action: 'accept', on: '2026-09-18', rongque: true, commitment: '承诺补交', supplement_due: '2026-09-24' })
  assert.equal(r.status, 200, r.text)
  r = await staff.get('/api/v1/approval/reminders?today=2026-09-22')
  let rem = r.json.items.find((x) => x.id === id && x.kind === 'rongque')
  assert.equal(rem.due, '2026-09-24')
  assert.equal(rem.left, 2)
  assert.equal(rem.level, 'warning')
  r = await ent.get('/api/v1/approval/reminders?today=2026-09-25')
  rem = r.json.items.find((x) => x.id === id && x.kind === 'rongque')
  assert.equal(rem.level, 'overdue')
  await uploadMaterial(staff, id, 'planning', 'planning.pdf')
  r = await act(id, { action: 'supplement', items: ['planning'], on: '2026-09-23' })
  assert.equal(r.status, 200)
  assert.equal(r.json.reminders.filter((x) => x.kind === 'rongque').length, 0)
  await signOff(srv.url, id, { on: '2026-09-25' })
  r = await act(id, { action: 'decide', decision: 'approve', on: '2026-09-25' })
  assert.equal(r.status, 200, r.text)

  // Not yet five years: refused. Past five years: 10 days to answer, then deemed approved. Acts
  // are dated today or earlier (a future date is refused), so the five years run from 2021.
  r = await act(id, { action: 'rereview_request', on: '2031-09-26' })
  assert.equal(r.status, 422, 'an act dated in the future')
  assert.equal(r.json.error.field, 'on')
  r = await act(id, { action: 'rereview_request', on: '2026-09-26' }, '2099-01-01')
  assert.equal(r.status, 422, 'a write cannot look at the clocks of a future day')
  assert.equal(r.json.error.field, 'today')
  r = await ent.post('/api/v1/approval/applications', ceramics({
    on: '2021-09-13', materials: ['application', 'report', 'preparer', 'filing', 'planning'],
    project: { name: '五年重新审核测试项目', industry_code: 'C3074', location: { type: 'Point', coordinates: [117.2, 29.2] } },
  }))
  assert.equal(r.status, 201, r.text)
  const old = r.json.id
  await uploadDeclared(ent, r.json)
  r = await act(old, { action: 'accept', on: '2021-09-13' })
  assert.equal(r.status, 200, r.text)
  await signOff(srv.url, old, { on: '2021-09-24' })
  r = await act(old, { action: 'decide', decision: 'approve', on: '2021-09-24' })
  assert.equal(r.status, 200, r.text)
  r = await ent.post(`/api/v1/approval/applications/${old}/actions`, { action: 'rereview_request', on: '2026-09-24' })
  assert.equal(r.status, 409)
  r = await ent.post(`/api/v1/approval/applications/${old}/actions?today=2026-10-01`, { action: 'rereview_request', on: '2026-09-25' })
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.data.rereview.due, '2026-10-05')
  assert.equal(r.json.rereview_state, 'pending')
  r = await staff.get(`/api/v1/approval/applications/${old}?today=2026-10-06`)
  assert.equal(r.json.rereview_state, 'deemed')
  r = await act(old, { action: 'rereview_decide', result: 'refuse', opinion: '不同意', on: '2026-10-06' })
  assert.equal(r.status, 409)
  assert.match(r.json.error.message, /视为审核同意/)
  r = await act(old, { action: 'rereview_decide', result: 'agree', opinion: '同意继续建设', on: '2026-10-04' })
  assert.equal(r.status, 200)
  assert.equal(r.json.data.rereview.result, 'agree')
})

test('investment project library: stages forward only, totals, link to the EIA application', async () => {
  let r = await staff.get('/api/v1/approval/invest-projects')
  const before = r.json.totals.all
  r = await staff.post('/api/v1/approval/invest-projects', { name: '测试陶瓷新材料项目', kind: '招商', sector: '陶瓷', amount: 2500, on: '2026-09-01' })
  assert.equal(r.status, 201, r.text)
  const id = r.json.id
  r = await staff.post('/api/v1/approval/invest-projects', { name: 'x', kind: '其他', sector: '陶瓷', amount: 1 })
  assert.equal(r.status, 422)
  r = await staff.post(`/api/v1/approval/invest-projects/${id}/advance`, { on: '2026-08-01' })
  assert.equal(r.status, 422, 'not before the previous stage')
  r = await staff.post(`/api/v1/approval/invest-projects/${id}/advance`, { on: '2026-10-01' })
  assert.equal(r.status, 200)
  r = await staff.post(`/api/v1/approval/invest-projects/${id}/advance`, { on: '2026-11-01' })
  assert.equal(r.status, 200)
  r = await staff.post(`/api/v1/approval/invest-projects/${id}/advance`, { on: '2026-11-02' })
  assert.equal(r.status, 409)
  r = await staff.post(`/api/v1/approval/invest-projects/${id}/link`, { app_number: 'HP000' })
  assert.equal(r.status, 422)
  const apps = (await staff.get('/api/v1/approval/applications')).json.items
  r = await staff.post(`/api/v1/approval/invest-projects/${id}/link`, { app_number: apps[0].number })
  assert.equal(r.status, 200)
  r = await staff.get('/api/v1/approval/invest-projects', { sector: '陶瓷' })
  const p = r.json.items.find((x) => x.id === id)
  assert.equal(p.status, '投产')
  assert.equal(p.started_on, '2026-10-01')
  assert.equal(p.application.number, apps[0].number)
  assert.equal(r.json.totals.all.count, before.count + 1)
  assert.ok(Math.abs(r.json.totals.all.amount - before.amount - 2500) < 1e-6)
  r = await ent.get('/api/v1/approval/invest-projects')
  assert.equal(r.status, 403)
})
