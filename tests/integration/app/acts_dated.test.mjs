// Acts are dated today or earlier in every module (field.h FIELD_PAST): an EIA intake, a pause, an
// inspection or a water sample dated tomorrow is refused with 422 naming the
// field, and nothing is stored; today is accepted. Deadlines (整改期限) may of course be later.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { demoDb, startServer, Client } from '../lib.mjs'
import { uploadDeclared } from '../approval/materials.mjs'

let env, srv, staff
before(async () => {
  env = demoDb({ enterprises: 20 })
  srv = await startServer(env.db)
  staff = await Client.as(srv.url, 'staff')
})
after(async () => {
  await srv?.stop()
  env?.cleanup()
})

const beijing = (days) => new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10)

function refused(r, field) {
  assert.equal(r.status, 422, r.text)
  assert.equal(r.json.error.field, field)
  assert.match(r.json.error.message, /不得晚于今天/)
}

test('an EIA application or act dated tomorrow is refused; today is not', async () => {
  const ent = await Client.as(srv.url, 'enterprise')
  const body = (on) => ({
    category: '报告表', on, preparer_unit: '景瓷环评咨询有限公司', preparer_person: '李工',
    project: { name: '日期校验项目', industry_code: 'C3074', nature: '新建', investment: 100, location: { type: 'Point', coordinates: [117.2, 29.2] } },
    materials: ['application', 'report', 'preparer', 'filing', 'planning'],
  })
  const before = (await staff.get('/api/v1/approval/applications')).json.items.length
  refused(await ent.post('/api/v1/approval/applications', body(beijing(1))), 'on')
  assert.equal((await staff.get('/api/v1/approval/applications')).json.items.length, before)
  const r = await ent.post('/api/v1/approval/applications', body(beijing(0)))
  assert.equal(r.status, 201, r.text)
  await uploadDeclared(ent, r.json)
  const act = (b) => staff.post(`/api/v1/approval/applications/${r.json.id}/actions`, b)
  refused(await act({ action: 'accept', on: beijing(3) }), 'on')
  assert.equal((await act({ action: 'accept', on: beijing(0) })).status, 200)
  refused(await act({ action: 'pause', kind: 'expert_review', on: beijing(5) }), 'on')
  const progress = await new Client(srv.url).get(`/api/v1/approval/applications/${r.json.id}`)
  assert.ok(!JSON.stringify(progress.json ?? {}).includes(beijing(5)))
})

test('inspections and water samples dated tomorrow are refused', async () => {
  const ents = (await staff.get('/api/v1/enterprises?limit=1')).json.items
  const users = (await (await Client.as(srv.url, 'admin')).get('/api/v1/users')).json.items
  const inspectors = users.filter((u) => u.role === 'staff').slice(0, 2).map((u) => u.id)
  const inspection = (on) => ({ enterprise_id: ents[0].id, inspected_on: on, findings: '现场检查', result: 'compliant', inspector_ids: inspectors })
  refused(await staff.post('/api/v1/supervision/inspections', inspection(beijing(1))), 'inspected_on')
  const sections = (await staff.get('/api/v1/quality/water/sections')).json.items
  const sample = { section: sections[0].code, date: beijing(1), values: { ph: '7.2', do: '7.5' } }
  refused(await staff.post('/api/v1/quality/water/samples', sample), 'date')
  sample.date = beijing(0)
  const ok = await staff.post('/api/v1/quality/water/samples', sample)
  assert.ok(ok.status === 200 || ok.status === 201, ok.text)
})
