// Notices that undo or amend earlier ones: a revoked approval, a withdrawn application and a
// corrected notice are each published as their own notice naming the original, and the original is
// marked in the public list, the JSON Feed and the Atom feed — a revoked approval is never announced
// as standing. Only the applicant (or staff) may withdraw, and only before the decision.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { demoDb, startServer, Client } from '../lib.mjs'
import { uploadDeclared } from './materials.mjs'
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

const apply = async (name, on, commitment = false) => {
  const r = await ent.post('/api/v1/approval/applications', {
    category: '报告表', on, commitment, preparer_unit: '景瓷环评咨询有限公司', preparer_person: '李工',
    project: { name, industry_code: 'C3074', nature: '扩建', investment: 800, location: { type: 'Point', coordinates: [117.2, 29.2] } },
    materials: ['application', 'report', 'preparer', 'filing', 'planning'],
  })
  if (r.status === 201) await uploadDeclared(ent, r.json)
  return r
}
const act = (id, body) => staff.post(`/api/v1/approval/applications/${id}/actions`, body)
const notices = async () => (await anon.get('/api/v1/public/approval-notices?limit=200')).json.items

test('a revoked approval is published as revoked and its decision notice marked everywhere', async () => {
  let r = await apply('撤销公告测试项目', '2026-11-02', true)
  assert.equal(r.status, 201, r.text)
  const id = r.json.id
  assert.equal((await act(id, { action: 'accept', on: '2026-11-02' })).status, 200)
  await signOff(srv.url, id, { on: '2026-11-03' })
  r = await act(id, { action: 'decide', decision: 'approve', on: '2026-11-03' })
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.route, 'commitment')
  r = await act(id, { action: 'revoke', reason: '核查发现实际建设内容与承诺不符', on: '2026-11-20' })
  assert.equal(r.status, 200, r.text)
  const list = (await notices()).filter((n) => n.number === r.json.number)
  const decision = list.find((n) => n.kind === 'decision')
  const revocation = list.find((n) => n.kind === 'revocation')
  assert.ok(revocation, 'a revocation notice of its own')
  assert.equal(revocation.of_notice, decision.id)
  assert.match(revocation.title, /^撤销审批决定公告/)
  assert.match(revocation.body, /核查发现实际建设内容与承诺不符/)
  assert.equal(decision.superseded_by.kind, 'revocation')
  assert.equal(decision.mark, '已撤销')
  const atom = await anon.get('/api/v1/public/approval-notices.atom')
  assert.ok(atom.text.includes(`<title>【已撤销】${decision.title}</title>`), 'the Atom entry is marked')
  assert.ok(atom.text.includes(`<title>${revocation.title}</title>`))
  const feed = (await anon.get('/api/v1/public/approval-notices.json')).json.items
  assert.ok(feed.some((i) => i.id === `eia-notice-${decision.id}` && i.title.startsWith('【已撤销】') && i.date_modified === decision.superseded_by.published_at))
})

test('withdrawal before the decision: own enterprise only, a withdrawal notice marks the acceptance', async () => {
  let r = await apply('撤回公告测试项目', '2026-11-05')
  const id = r.json.id
  assert.equal((await act(id, { action: 'accept', on: '2026-11-05' })).status, 200)
  const other = await Client.as(srv.url, 'enterprise2').catch(() => null)
  if (other) assert.equal((await other.post(`/api/v1/approval/applications/${id}/actions`, { action: 'withdraw', reason: 'x' })).status, 404)
  r = await ent.post(`/api/v1/approval/applications/${id}/actions`, { action: 'withdraw' })
  assert.equal(r.status, 422, 'a reason is required')
  r = await ent.post(`/api/v1/approval/applications/${id}/actions`, { action: 'withdraw', reason: '项目选址调整，另行申报', on: '2026-11-10' })
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.status, 'withdrawn')
  const list = (await notices()).filter((n) => n.number === r.json.number)
  const accept = list.find((n) => n.kind === 'accept')
  const withdrawal = list.find((n) => n.kind === 'withdrawal')
  assert.equal(withdrawal.of_notice, accept.id)
  assert.equal(accept.mark, '已撤回')
  assert.equal((await act(id, { action: 'decide', decision: 'approve' })).status, 409, 'nothing to decide after a withdrawal')
  assert.equal((await ent.post(`/api/v1/approval/applications/${id}/actions`, { action: 'withdraw', reason: '再次' })).status, 409)
})

test('a notice is corrected by a correction notice that names it; staff only', async () => {
  let r = await apply('更正公告测试项目', '2026-11-06')
  const id = r.json.id
  assert.equal((await act(id, { action: 'accept', on: '2026-11-06' })).status, 200)
  const accept = (await notices()).find((n) => n.kind === 'accept' && n.title.includes('更正公告测试项目'))
  r = await ent.post(`/api/v1/approval/applications/${id}/actions`, { action: 'notice_correct', notice_id: accept.id, text: 'x', reason: 'y' })
  assert.equal(r.status, 403)
  r = await act(id, { action: 'notice_correct', notice_id: 999999, text: '投资额为 800 万元', reason: '笔误' })
  assert.equal(r.status, 404)
  r = await act(id, { action: 'notice_correct', notice_id: accept.id, text: '项目投资额应为 800 万元', reason: '原公示投资额笔误' })
  assert.equal(r.status, 200, r.text)
  const list = await notices()
  const correction = list.find((n) => n.kind === 'correction' && n.of_notice === accept.id)
  assert.ok(correction)
  assert.match(correction.body, /项目投资额应为 800 万元/)
  assert.equal(list.find((n) => n.id === accept.id).mark, '已更正')
})
