// The decision document over HTTP: issuing the decision after the sign-off chain writes a PDF
// (批复, or 不予批准的决定 with its statutory ground) from the case's data and the bureau's name,
// with a QR code leading to the public progress; staff and the applicant download it, another
// enterprise cannot. The PDF is checked with pdftotext (poppler-utils): it parses, and it says
// what the case says.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { demoDb, startServer, Client } from '../lib.mjs'
import { uploadDeclared } from './materials.mjs'
import { signOff } from './chain.mjs'

let env, srv, ent, staff, anon
before(async () => {
  env = demoDb({ enterprises: 20 })
  srv = await startServer(env.db, [`--var-dir=${path.join(env.dir, 'var')}`, '--bureau-name=景瓷市生态环境局', '--public-url=https://sthjj.example.gov.cn/'])
  ent = await Client.as(srv.url, 'enterprise')
  staff = await Client.as(srv.url, 'staff')
  anon = new Client(srv.url)
})
after(async () => {
  await srv?.stop()
  env?.cleanup()
})

const act = (id, b) => staff.post(`/api/v1/approval/applications/${id}/actions`, b)
async function accepted(client, name, extra = {}) {
  let r = await client.post('/api/v1/approval/applications', {
    category: '报告表', on: '2026-11-02', preparer_unit: '景瓷环评咨询有限公司', preparer_person: '李工',
    project: { name, industry_code: 'C3074', nature: '扩建', investment: 800, location: { type: 'Point', coordinates: [117.2, 29.2] } },
    materials: ['application', 'report', 'preparer', 'filing', 'planning'],
    ...extra,
  })
  assert.equal(r.status, 201, r.text)
  await uploadDeclared(client, r.json)
  r = await act(r.json.id, { action: 'accept', on: '2026-11-02' })
  assert.equal(r.status, 200, r.text)
  return r.json
}

/** The text of a PDF (pdftotext fails on anything that is not one). */
async function pdfText(res) {
  const bytes = Buffer.from(await res.arrayBuffer())
  assert.equal(bytes.subarray(0, 5).toString(), '%PDF-')
  const file = path.join(env.dir, `d${Date.now()}.pdf`)
  writeFileSync(file, bytes)
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '')
}

test('an approval writes the 批复 as a PDF the staff and the applicant download', async () => {
  const app = await accepted(ent, '青花瓷窑余热利用项目')
  await signOff(srv.url, app.id, { on: '2026-11-04', conditions: '（一）窑炉烟气须经脱硫除尘后达标排放。\n（二）余热锅炉排污水回用，不得外排。' })
  let r = await act(app.id, { action: 'decide', decision: 'approve', on: '2026-11-04' })
  assert.equal(r.status, 200, r.text)
  const dec = r.json.data.decision
  assert.match(dec.document.url, /^\/api\/v1\/service\/attachments\/\d+$/)
  assert.equal(dec.document.verify_url, `https://sthjj.example.gov.cn/progress?number=${app.number}`)

  r = await staff.get(dec.document.url, { raw: true })
  assert.equal(r.status, 200)
  assert.equal(r.headers.get('content-type'), 'application/pdf')
  const text = await pdfText(r)
  for (const s of ['景瓷市生态环境局', dec.doc_no, '关于青花瓷窑余热利用项目环境影响报告表的批复', app.enterprise_name,
    app.number, '窑炉烟气须经脱硫除尘后达标排放', '余热锅炉排污水回用', '2026年11月4日', '行政复议', dec.document.verify_url]) {
    assert.ok(text.includes(s.replace(/\s+/g, '')), `the PDF says ${s}`)
  }
  r = await ent.get(dec.document.url, { raw: true })
  assert.equal(r.status, 200, 'the applicant downloads its decision')
  assert.equal((await anon.get(dec.document.url)).status, 401)
})

test('a refusal writes the 不予批准的决定 with its statutory ground; another enterprise cannot read it', async () => {
  const app = await accepted(staff, '不予批准文书测试项目', { enterprise_id: 2 })
  await signOff(srv.url, app.id, { decision: 'refuse', ground: 1, on: '2026-11-05' })
  const r = await act(app.id, { action: 'decide', decision: 'refuse', on: '2026-11-05' })
  assert.equal(r.status, 200, r.text)
  const url = r.json.data.decision.document.url
  const text = await pdfText(await staff.get(url, { raw: true }))
  assert.ok(text.includes('不予批准的决定'))
  assert.ok(text.includes('不符合环境保护法律法规和相关法定规划'))
  assert.ok(text.includes('第十一条第（一）项'))
  assert.equal((await ent.get(url)).status, 404, 'enterprise 1 does not see enterprise 2’s decision')
})
