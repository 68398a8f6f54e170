// EIA intake consults the supervision module's preparer credit lists
// (部令第9号 Art. 20): a unit scored to 20 points is on the 限期整改 list
// for six months from the effective date, and an application it prepared is
// not accepted on a day inside that period, but is on a day before it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { demoDb, startServer, Client } from '../lib.mjs'
import { uploadDeclared } from './materials.mjs'

let env, srv, ent, staff
before(async () => {
  env = demoDb({ enterprises: 20 })
  srv = await startServer(env.db)
  ent = await Client.as(srv.url, 'enterprise')
  staff = await Client.as(srv.url, 'staff')
})
after(async () => {
  await srv?.stop()
  env?.cleanup()
})

const application = (preparer, on) => ({
  category: '报告表',
  project: { name: '青花日用瓷技改项目', industry_code: 'C3074', nature: '扩建', investment: 800, location: { type: 'Point', coordinates: [117.2, 29.2] } },
  preparer_unit: preparer,
  preparer_person: '张工',
  materials: ['application', 'report', 'preparer', 'planning', 'filing'],
  on,
})

test('a preparer on the credit platform’s 限期整改 list is refused at intake on the right dates', async () => {
  let r = await staff.post('/api/v1/supervision/preparers', { kind: 'unit', name: '信用测试环评公司', code: '91360200MA35CRED01', registered_on: '2024-01-10' })
  assert.equal(r.status, 201, r.text)
  const unit = r.json.id
  for (const [no, on] of [['d1', '2026-03-02'], ['d2', '2026-06-01']]) {
    r = await staff.post(`/api/v1/supervision/preparers/${unit}/events`, { behaviour: 'A5', decision_no: no, effective_on: on })
    assert.equal(r.status, 200, r.text)
  }
  const blocked = (await staff.get(`/api/v1/supervision/preparers/${unit}/blocked?date=2026-06-15`)).json
  assert.equal(blocked.blocked, true)

  // Filed and accepted before the listing: fine.
  r = await ent.post('/api/v1/approval/applications', application('信用测试环评公司', '2026-05-20'))
  assert.equal(r.status, 201, r.text)
  await uploadDeclared(ent, r.json)
  r = await staff.post(`/api/v1/approval/applications/${r.json.id}/actions`, { action: 'accept', on: '2026-05-21' })
  assert.equal(r.status, 200, r.text)

  // Inside the six months: refused with the list and the rule.
  r = await ent.post('/api/v1/approval/applications', application('信用测试环评公司', '2026-06-10'))
  assert.equal(r.status, 201, r.text)
  r = await staff.post(`/api/v1/approval/applications/${r.json.id}/actions`, { action: 'accept', on: '2026-06-15' })
  assert.equal(r.status, 409, r.text)
  assert.match(r.json.error.message, /限期整改/)
  assert.match(r.json.error.message, /第9号/)
})
