// PMF source apportionment through the API: upload (with its checks), the
// background job with progress, cancel, naming, publishing, the public view,
// the xlsx export and the role matrix. Uses the EPA St. Louis example set.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { demoDb, startServer, Client } from '../lib.mjs'

const conc = readFileSync('tests/data/pmf/Dataset-StLouis-con.csv', 'utf8')
const unc = readFileSync('tests/data/pmf/Dataset-StLouis-unc.csv', 'utf8')
let db, srv, staff, leader, ent, anon

before(async () => {
  db = demoDb({ enterprises: 5 })
  srv = await startServer(db.db)
  staff = await Client.as(srv.url, 'staff')
  leader = await Client.as(srv.url, 'leader')
  ent = await Client.as(srv.url, 'enterprise')
  anon = new Client(srv.url)
})

after(async () => {
  const exit = await srv?.stop()
  db?.cleanup()
  assert.doesNotMatch(srv?.output() ?? '', /AddressSanitizer|runtime error/)
  assert.equal(exit?.code, 0)
})

async function until(id, states, ms = 180_000) {
  const t0 = Date.now()
  for (;;) {
    const r = await staff.get(`/api/v1/pmf/analyses/${id}`)
    assert.equal(r.status, 200)
    if (states.includes(r.json.status)) return r.json
    if (Date.now() - t0 > ms) throw new Error(`analysis ${id} still ${r.json.status}`)
    await new Promise((res) => setTimeout(res, 300))
  }
}

const base = { title: '圣路易斯示例', conc, unc, factors: 4, runs: 2, seed: 7, bootstrap: 3, total: 'Mass', period_from: '2001-06-22', period_to: '2001-07-09' }

test('uploads are checked and refused with the field and the reason', async () => {
  let r = await staff.post('/api/v1/pmf/analyses', { ...base, conc: conc.replace('0.00254', 'abc') })
  assert.equal(r.status, 422)
  assert.equal(r.json.error.field, 'conc')
  assert.match(r.json.error.message, /Cd/)
  r = await staff.post('/api/v1/pmf/analyses', { ...base, unc: unc.split('\n').slice(0, 100).join('\n') })
  assert.equal(r.status, 422)
  assert.match(r.json.error.message, /shapes differ/)
  r = await staff.post('/api/v1/pmf/analyses', { ...base, factors: 1 })
  assert.equal(r.status, 422)
  assert.equal(r.json.error.field, 'factors')
  r = await staff.post('/api/v1/pmf/analyses', { ...base, categories: { Nope: 'bad' } })
  assert.equal(r.status, 422)
  assert.equal(r.json.error.field, 'categories')
  r = await staff.post('/api/v1/pmf/analyses', { ...base, unc: unc.replace('0.001449', '0') })
  assert.equal(r.status, 422)
  assert.match(r.json.error.message, /> 0/)
})

test('uploads may be .xlsx workbooks (base64), read through the same checks', async () => {
  const b64 = (f) => readFileSync(f).toString('base64')
  const body = { ...base, conc: undefined, unc: undefined, conc_xlsx: b64('tests/data/pmf/StLouis-con.xlsx'), unc_xlsx: b64('tests/data/pmf/StLouis-unc.xlsx'), bootstrap: 0, runs: 1 }
  const r = await staff.post('/api/v1/pmf/analyses', body)
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.input.samples, 418)
  assert.equal(r.json.input.species, 13)
  await until(r.json.id, ['done'])
  const bad = await staff.post('/api/v1/pmf/analyses', { ...body, conc_xlsx: '@@not base64@@' })
  assert.equal(bad.status, 422)
  assert.equal(bad.json.error.field, 'conc')
  const cut = await staff.post('/api/v1/pmf/analyses', { ...body, conc_xlsx: readFileSync('tests/data/pmf/StLouis-con.xlsx').subarray(0, 3000).toString('base64') })
  assert.equal(cut.status, 422)
  assert.match(cut.json.error.message, /Excel/)
})

test('a concentration file with per-species MDL and error fraction (equation-based uncertainty)', async () => {
  const species = conc.split('\n')[0].trim().split(',').slice(1)
  const mdl = species.map((s) => ({ species: s, mdl: 0.001, ef: 0.1 }))
  const r = await staff.post('/api/v1/pmf/analyses', { ...base, unc: undefined, mdl, runs: 1, bootstrap: 0 })
  assert.equal(r.status, 201, r.text)
  const a = await until(r.json.id, ['done', 'failed'])
  assert.equal(a.status, 'done', a.error)
  const bad = await staff.post('/api/v1/pmf/analyses', { ...base, unc: undefined, mdl: mdl.slice(1) })
  assert.equal(bad.status, 422)
  assert.equal(bad.json.error.field, 'mdl')
  assert.match(bad.json.error.message, /Cd/)
})

test('roles: enterprises and the public see no analyses; leaders do not upload', async () => {
  assert.equal((await ent.get('/api/v1/pmf/analyses')).status, 403)
  assert.equal((await anon.get('/api/v1/pmf/analyses')).status, 401)
  assert.equal((await leader.post('/api/v1/pmf/analyses', base)).status, 403)
  const pub = await anon.get('/api/v1/public/pmf')
  assert.equal(pub.status, 200)
  assert.equal(pub.json.apportionment, null)
})

test('an analysis runs in the background, is named, published and exported', async () => {
  const r = await staff.post('/api/v1/pmf/analyses', base)
  assert.equal(r.status, 201)
  assert.equal(r.json.input.samples, 418)
  const a = await until(r.json.id, ['done', 'failed'])
  assert.equal(a.status, 'done', a.error)
  assert.equal(a.runs_done, a.runs_total)
  assert.equal(a.runs_total, 5)
  const res = a.result
  assert.equal(res.factors.length, 4)
  assert.ok(res.q_robust > 0 && res.q_robust <= res.q_true)
  assert.ok(res.q_ratio > 0.5 && res.q_ratio < 10)
  assert.equal(res.bootstrap.runs, 3)
  const shares = res.factors.reduce((s, f) => s + f.share, 0)
  assert.ok(Math.abs(shares - 100) < 1e-6)

  // Publishing needs confirmed names, and a leader.
  assert.equal((await leader.post(`/api/v1/pmf/analyses/${a.id}/publish`, {})).status, 409)
  assert.equal((await staff.put(`/api/v1/pmf/analyses/${a.id}/names`, { names: ['a'] })).status, 422)
  const names = ['二次硫酸盐', '机动车', '工业', '扬尘']
  const n = await staff.put(`/api/v1/pmf/analyses/${a.id}/names`, { names })
  assert.equal(n.status, 200)
  assert.deepEqual(n.json.names, names)
  assert.equal((await staff.post(`/api/v1/pmf/analyses/${a.id}/publish`, {})).status, 403)
  const p = await leader.post(`/api/v1/pmf/analyses/${a.id}/publish`, {})
  assert.equal(p.status, 200)
  assert.equal(p.json.published, 1)

  const pub = await anon.get('/api/v1/public/pmf')
  assert.equal(pub.status, 200)
  const ap = pub.json.apportionment
  assert.equal(ap.period_from, '2001-06-22')
  assert.match(ap.method, /PMF/)
  assert.deepEqual(ap.sources.map((s) => s.name), names)
  assert.equal(pub.text.includes('scaled_residuals'), false)

  const x = await staff.get(`/api/v1/pmf/analyses/${a.id}/export.xlsx`, { raw: true })
  assert.equal(x.status, 200)
  assert.match(x.headers.get('content-type'), /spreadsheetml/)
  const bytes = new Uint8Array(await x.arrayBuffer())
  assert.equal(String.fromCharCode(bytes[0], bytes[1]), 'PK')

  assert.equal((await staff.post(`/api/v1/pmf/analyses/${a.id}/cancel`, {})).status, 409)
  assert.equal((await staff.get('/api/v1/pmf/analyses/999999')).status, 404)
})

test('a factor-count sweep shows Q/Qexp beside bootstrap stability and is not published', async () => {
  const r = await staff.post('/api/v1/pmf/analyses', { ...base, factors: 3, sweep_to: 4, runs: 1, bootstrap: 2 })
  assert.equal(r.status, 201, r.text)
  const a = await until(r.json.id, ['done', 'failed'])
  assert.equal(a.status, 'done', a.error)
  assert.equal(a.runs_total, 6)
  assert.deepEqual(a.result.sweep.map((e) => e.factors), [3, 4])
  assert.ok(a.result.sweep.every((e) => e.q_ratio > 0 && e.stability >= 0 && e.stability <= 1))
  assert.ok(a.result.sweep[1].q_robust < a.result.sweep[0].q_robust)
  const n = await staff.put(`/api/v1/pmf/analyses/${a.id}/names`, { names: ['a'] })
  assert.equal(n.status, 409)
  const x = await staff.get(`/api/v1/pmf/analyses/${a.id}/export.xlsx`, { raw: true })
  assert.equal(x.status, 200)
  const bad = await staff.post('/api/v1/pmf/analyses', { ...base, factors: 3, sweep_to: 13 })
  assert.equal(bad.status, 422)
  assert.equal(bad.json.error.field, 'sweep_to')
})

test('a long analysis can be cancelled', async () => {
  const r = await staff.post('/api/v1/pmf/analyses', { ...base, factors: 6, runs: 100, bootstrap: 0 })
  assert.equal(r.status, 201)
  const c = await staff.post(`/api/v1/pmf/analyses/${r.json.id}/cancel`, {})
  assert.equal(c.status, 200)
  const a = await until(r.json.id, ['cancelled', 'done', 'failed'])
  assert.equal(a.status, 'cancelled')
  assert.equal(a.result, null)
})
