// Paperless materials over HTTP: each material of an application takes real files (type checked
// by content, size bounded), kept as versions; a material counts as received only with a file,
// so acceptance reads the files, not the ticks; the applicant uploads to its own cases only and
// downloads only its own files; after the decision the file record is closed.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { demoDb, startServer, Client } from '../lib.mjs'
import { PDF, uploadMaterial } from './materials.mjs'

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])
const EXE = new TextEncoder().encode('MZ\x90\x00\x03\x00\x00\x00 this program cannot be run in DOS mode')

let env, srv, ent, staff, anon
before(async () => {
  env = demoDb({ enterprises: 20 })
  srv = await startServer(env.db, [`--var-dir=${path.join(env.dir, 'var')}`])
  ent = await Client.as(srv.url, 'enterprise')
  staff = await Client.as(srv.url, 'staff')
  anon = new Client(srv.url)
})
after(async () => {
  await srv?.stop()
  env?.cleanup()
})

const body = (extra = {}) => ({
  category: '报告表', on: '2026-11-02', preparer_unit: '景瓷环评咨询有限公司', preparer_person: '李工',
  project: { name: '材料上传测试项目', industry_code: 'C3074', nature: '扩建', investment: 800, location: { type: 'Point', coordinates: [117.2, 29.2] } },
  materials: ['application', 'report', 'preparer', 'filing', 'planning'],
  ...extra,
})
const act = (id, b) => staff.post(`/api/v1/approval/applications/${id}/actions`, b)
const material = async (client, id, key) => (await client.get(`/api/v1/approval/applications/${id}`)).json.material_files.find((m) => m.key === key)

test('files per material: type and size by content, versions kept, received only with a file', async () => {
  let r = await ent.post('/api/v1/approval/applications', body())
  assert.equal(r.status, 201, r.text)
  const id = r.json.id
  assert.equal(r.json.material_files.length, 5, 'the 报告表 checklist')
  assert.ok(r.json.material_files.every((m) => !m.received), 'ticked is not received')

  // refusals: not a document, content and extension disagree, too large, not on the checklist
  r = await uploadMaterial(ent, id, 'report', 'report.pdf', EXE)
  assert.equal(r.status, 415)
  assert.equal(r.json.error.code, 'attachment_type')
  r = await uploadMaterial(ent, id, 'report', 'report.pdf', PNG)
  assert.equal(r.status, 415, 'a PNG named .pdf')
  const big = new Uint8Array(PDF.length + 10 * 1024 * 1024)
  big.set(PDF)
  r = await uploadMaterial(ent, id, 'report', 'big.pdf', big)
  assert.equal(r.status, 413)
  r = await uploadMaterial(ent, id, 'participation', 'x.pdf')
  assert.equal(r.status, 422, '公众参与说明 is a 报告书 material')
  assert.equal(r.json.error.field, 'key')
  r = await anon.request('POST', `/api/v1/approval/applications/${id}/materials/report/files?name=a.pdf`, { body: PDF })
  assert.equal(r.status, 401)
  assert.equal((await material(staff, id, 'report')).versions.length, 0, 'refusals store nothing')

  // acceptance reads the files: core materials without a file are refused
  r = await act(id, { action: 'accept', on: '2026-11-02' })
  assert.equal(r.status, 409)
  assert.equal(r.json.error.field, 'materials')

  r = await uploadMaterial(ent, id, 'report', '环境影响报告表.pdf')
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.received, true)
  assert.equal(r.json.versions[0].version, 1)
  assert.match(r.headers.get('location'), /^\/api\/v1\/service\/attachments\/\d+$/)
  const v1 = r.json.versions[0]
  for (const key of ['application', 'preparer', 'filing']) assert.equal((await uploadMaterial(ent, id, key, `${key}.pdf`)).status, 201)
  r = await uploadMaterial(staff, id, 'planning', '规划选址意见.png', PNG)
  assert.equal(r.status, 201, 'staff upload too, images are fine')

  // a 补正 request, then a new version: the old one stays listed and downloadable
  assert.equal((await act(id, { action: 'correction', items: ['报告表结论不明确'], on: '2026-11-03' })).status, 200)
  r = await uploadMaterial(ent, id, 'report', '环境影响报告表（补正）.pdf')
  assert.equal(r.status, 201, r.text)
  assert.deepEqual(r.json.versions.map((v) => v.version), [2, 1])
  assert.equal(r.json.versions[0].note, '补正后重新提交')
  r = await ent.get(v1.url, { raw: true })
  assert.equal(r.status, 200)
  assert.equal(r.headers.get('content-type'), 'application/pdf')
  assert.equal(Buffer.from(await r.arrayBuffer()).subarray(0, 5).toString(), '%PDF-')
  assert.match(r.headers.get('content-disposition'), /^attachment;/)
  r = await ent.get(`${v1.url}?inline=1`, { raw: true })
  assert.match(r.headers.get('content-disposition'), /^inline;/, 'a PDF may be shown in the browser')
  assert.equal((await ent.get(`${v1.url}?inline=2`)).status, 422)
  assert.equal((await ent.post(`/api/v1/approval/applications/${id}/actions`, { action: 'resubmit', on: '2026-11-04' })).status, 200)

  r = await act(id, { action: 'accept', on: '2026-11-04' })
  assert.equal(r.status, 200, r.text)
  assert.deepEqual(r.json.data.missing, [])
  assert.deepEqual(r.json.data.materials.sort(), ['application', 'filing', 'planning', 'preparer', 'report'])
  const events = r.json.events.filter((e) => e.kind === 'material')
  assert.equal(events.length, 6)
})

test('容缺: a waivable material without a file is owed until supplemented with a file', async () => {
  let r = await ent.post('/api/v1/approval/applications', body({ project: { name: '容缺文件测试项目', industry_code: 'C3074', location: { type: 'Point', coordinates: [117.2, 29.2] } } }))
  const id = r.json.id
  for (const key of ['application', 'report', 'preparer', 'filing']) await uploadMaterial(ent, id, key, `${key}.pdf`)
  // ticked at intake, but no file: 容缺 is needed
  r = await act(id, { action: 'accept', on: '2026-11-02' })
  assert.equal(r.status, 409)
  assert.equal(r.json.error.field, 'rongque')
  r = await act(id, { action: 'accept', on: '2026-11-02', rongque: true, commitment: '承诺补交规划选址意见', supplement_due: '2026-11-06' })
  assert.equal(r.status, 200, r.text)
  let m = r.json.material_files.find((x) => x.key === 'planning')
  assert.deepEqual(m.rongque, { owed: true, due: '2026-11-06' })
  r = await ent.post(`/api/v1/approval/applications/${id}/actions`, { action: 'supplement', items: ['planning'], on: '2026-11-03' })
  assert.equal(r.status, 409, 'no file yet')
  assert.equal((await uploadMaterial(ent, id, 'planning', 'planning.pdf')).status, 201)
  r = await ent.post(`/api/v1/approval/applications/${id}/actions`, { action: 'supplement', items: ['planning'], on: '2026-11-03' })
  assert.equal(r.status, 200, r.text)
  m = r.json.material_files.find((x) => x.key === 'planning')
  assert.equal(m.rongque.owed, false)
  assert.equal(m.received, true)
  assert.equal(m.versions[0].note, '容缺补交')
})

test('an enterprise uploads to and downloads from its own applications only', async () => {
  // a case of another enterprise, recorded by staff
  let r = await staff.post('/api/v1/approval/applications', { ...body(), enterprise_id: 2 })
  assert.equal(r.status, 201, r.text)
  const other = r.json.id
  r = await uploadMaterial(ent, other, 'report', 'report.pdf')
  assert.equal(r.status, 404, 'another enterprise’s case does not exist for it')
  r = await uploadMaterial(staff, other, 'report', 'report.pdf')
  assert.equal(r.status, 201)
  const url = r.json.versions[0].url
  assert.equal((await ent.get(url)).status, 404)
  assert.equal((await anon.get(url)).status, 401)
  assert.equal((await staff.get(url, { raw: true })).status, 200)
  assert.equal((await ent.get(`/api/v1/approval/applications/${other}`)).status, 404)
  assert.equal((await uploadMaterial(staff, 999999, 'report', 'report.pdf')).status, 404)
})

test('after the decision the file record is closed', async () => {
  const r = await staff.get('/api/v1/approval/applications?status=approved')
  const decided = r.json.items[0]
  assert.ok(decided, 'the demo has an approved case')
  const u = await uploadMaterial(staff, decided.id, 'report', 'late.pdf')
  assert.equal(u.status, 409)
  assert.equal(u.json.error.code, 'invalid_state')
})
