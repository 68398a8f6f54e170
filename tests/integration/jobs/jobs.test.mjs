// The job facility over real sockets: a big enterprise import runs as a job
// with progress observed while it runs, cancel (nothing imported), a job to
// completion with its JSON result, an import with errors whose error list
// downloads as CSV, who may see and cancel which job, a job that survives a
// server restart, and PMF analyses on the same facility.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { demoDb, startServer, Client, usccWithCheck } from '../lib.mjs'

const HEADER = 'uscc,name,legal_rep,address,district,town,lon,lat,industry_code,tags,permit_no,contact_name,contact_phone'
let db, srv, staff, staff2, admin, ent, anon

function csv(from, n, bad = []) {
  const rows = [HEADER]
  for (let i = 0; i < n; i++) {
    const code = usccWithCheck('91360202MB' + String(from + i).padStart(7, '0'))
    rows.push(bad.includes(i) ? `91350203M0001QAY9B,坏代码企业${i},,,,,,,,,,,` : `${code},任务导入企业${from + i},张三,地址${i},昌南区,丽阳镇,117.2,29.3,C3074,,,李四,13800000001`)
  }
  return rows.join('\r\n') + '\r\n'
}

async function login() {
  staff = await Client.as(srv.url, 'staff')
  staff2 = await Client.as(srv.url, 'staff2')
  admin = await Client.as(srv.url, 'admin')
  ent = await Client.as(srv.url, 'enterprise')
  anon = new Client(srv.url)
}

before(async () => {
  db = demoDb({ enterprises: 5 })
  srv = await startServer(db.db)
  await login()
})

after(async () => {
  const exit = await srv?.stop()
  db?.cleanup()
  assert.doesNotMatch(srv?.output() ?? '', /AddressSanitizer|runtime error/)
  assert.equal(exit?.code, 0)
})

const count = async () => (await staff.get('/api/v1/enterprises?limit=1&count=1')).json.total
const submit = (c, body, q = '') => c.post('/api/v1/enterprises/import-jobs' + q, body, { headers: { 'content-type': 'text/csv' } })

async function until(c, id, pred, what, ms = 300_000) {
  const t0 = Date.now()
  for (;;) {
    const r = await c.get(`/api/v1/jobs/${id}`)
    assert.equal(r.status, 200, r.text)
    if (pred(r.json)) return r.json
    if (Date.now() - t0 > ms) throw new Error(`job ${id}: no ${what}; last ${JSON.stringify(r.json)}`)
    await new Promise((res) => setTimeout(res, 100))
  }
}
const ended = (j) => ['done', 'failed', 'cancelled'].includes(j.state)

test('a big import shows progress while it runs and cancel imports nothing', async () => {
  const before = await count()
  const r = await submit(staff, csv(100000, 20000))
  assert.equal(r.status, 201, r.text)
  assert.match(r.headers.get('location'), new RegExp(`/api/v1/jobs/${r.json.id}$`))
  assert.equal(r.json.kind, 'registry.import')
  assert.ok(['queued', 'running'].includes(r.json.state))
  const running = await until(staff, r.json.id, (j) => (j.state === 'running' && j.done > 0) || ended(j), 'progress')
  assert.equal(running.state, 'running', 'the import ended before progress was seen')
  assert.equal(running.total, 40000)
  assert.ok(running.done < running.total)
  assert.match(running.message, /校验|写入/)
  // another user's job does not exist for them; the owner's list has it; an admin sees all
  assert.equal((await staff2.get(`/api/v1/jobs/${r.json.id}`)).status, 404)
  assert.equal((await staff2.post(`/api/v1/jobs/${r.json.id}/cancel`, {})).status, 404)
  assert.equal((await staff2.get(`/api/v1/jobs/${r.json.id}/result`)).status, 404)
  assert.ok(!(await staff2.get('/api/v1/jobs')).json.items.some((j) => j.id === r.json.id))
  assert.ok((await staff.get('/api/v1/jobs')).json.items.some((j) => j.id === r.json.id))
  assert.ok((await admin.get('/api/v1/jobs')).json.items.some((j) => j.id === r.json.id))
  assert.ok(!(await admin.get('/api/v1/jobs?mine=1')).json.items.some((j) => j.id === r.json.id))
  assert.equal((await staff.get(`/api/v1/jobs/${r.json.id}/result`)).status, 409)
  const c = await staff.post(`/api/v1/jobs/${r.json.id}/cancel`, {})
  assert.equal(c.status, 200, c.text)
  assert.equal(c.json.cancel_requested, true)
  const done = await until(staff, r.json.id, ended, 'end')
  assert.equal(done.state, 'cancelled')
  assert.equal(await count(), before)
  assert.equal((await staff.post(`/api/v1/jobs/${r.json.id}/cancel`, {})).status, 409)
})

test('cancel is felt while the import holds the write lock, and nothing is written', async () => {
  const before = await count()
  const r = await submit(staff, csv(600000, 20000))
  assert.equal(r.status, 201, r.text)
  const writing = await until(staff, r.json.id, (j) => /写入/.test(j.message) || ended(j), 'the write phase')
  assert.equal(writing.state, 'running', 'the import ended before its write phase was seen')
  assert.ok(writing.done >= 20000)
  const c = await staff.post(`/api/v1/jobs/${r.json.id}/cancel`, {})
  assert.equal(c.status, 200, c.text)
  const done = await until(staff, r.json.id, ended, 'end')
  assert.equal(done.state, 'cancelled')
  assert.equal(await count(), before)
  const audit = await admin.get(`/api/v1/audit?action=job.cancel&entity_id=${r.json.id}`)
  assert.equal(audit.status, 200, audit.text)
  assert.deepEqual(audit.json.items.map((e) => e.actor), ['staff'])
})

test('a job runs to its result; the result of an import with errors downloads as CSV', async () => {
  const before = await count()
  let r = await submit(staff, csv(200000, 3))
  assert.equal(r.status, 201, r.text)
  let j = await until(staff, r.json.id, ended, 'end')
  assert.equal(j.state, 'done', j.error)
  assert.equal(j.done, j.total)
  assert.equal(j.result.imported, 3)
  assert.equal(j.has_file, false)
  const res = await staff.get(`/api/v1/jobs/${j.id}/result`)
  assert.equal(res.status, 200)
  assert.equal(res.json.result.imported, 3)
  assert.equal(await count(), before + 3)

  r = await submit(staff, csv(300000, 4, [1, 3]))
  j = await until(staff, r.json.id, ended, 'end')
  assert.equal(j.state, 'failed')
  assert.match(j.error, /2 处错误/)
  assert.deepEqual(j.result.errors.map((e) => e.line), [3, 5])
  assert.equal(j.has_file, true)
  const file = await staff.get(`/api/v1/jobs/${j.id}/result`)
  assert.equal(file.status, 200)
  assert.match(file.headers.get('content-type'), /text\/csv/)
  assert.match(file.headers.get('content-disposition'), /attachment; filename=.*filename\*=UTF-8''/)
  assert.match(file.text, /^行号,错误\r\n3,/)
  assert.equal((await admin.get(`/api/v1/jobs/${j.id}/result`)).status, 200)
  assert.equal(await count(), before + 3)

  r = await submit(staff, csv(300000, 4, [1, 3]), '?skip_errors=1')
  j = await until(staff, r.json.id, ended, 'end')
  assert.equal(j.state, 'done', j.error)
  assert.equal(j.result.imported, 2)
  assert.equal(await count(), before + 5)
})

test('who may start and see jobs', async () => {
  assert.equal((await submit(ent, csv(400000, 1))).status, 403)
  assert.equal((await submit(anon, csv(400000, 1))).status, 401)
  assert.equal((await anon.get('/api/v1/jobs')).status, 401)
  assert.equal((await ent.get('/api/v1/jobs')).status, 200)
  assert.deepEqual((await ent.get('/api/v1/jobs')).json.items, [])
  assert.equal((await staff.get('/api/v1/jobs/999999')).status, 404)
  assert.equal((await staff.get('/api/v1/jobs?mine=2')).status, 422)
  const r = await staff.post('/api/v1/enterprises/import-jobs', '{}', { headers: { 'content-type': 'application/json' } })
  assert.equal(r.status, 415)
})

test('a job interrupted by a restart runs again from its stored file', async () => {
  const before = await count()
  const r = await submit(staff, csv(500000, 20000))
  assert.equal(r.status, 201, r.text)
  const running = await until(staff, r.json.id, (j) => (j.state === 'running' && j.done > 0) || ended(j), 'progress')
  assert.equal(running.state, 'running')
  const exit = await srv.stop()
  assert.equal(exit.code, 0)
  assert.doesNotMatch(srv.output(), /AddressSanitizer|runtime error/)
  srv = await startServer(db.db)
  await login()
  const j = await until(staff, r.json.id, ended, 'end')
  assert.equal(j.state, 'done', j.error)
  assert.equal(j.result.imported, 20000)
  assert.equal(await count(), before + 20000)
})

test('PMF analyses are jobs of the same facility', async () => {
  const { readFileSync } = await import('node:fs')
  const conc = readFileSync('tests/data/pmf/Dataset-StLouis-con.csv', 'utf8')
  const unc = readFileSync('tests/data/pmf/Dataset-StLouis-unc.csv', 'utf8')
  const r = await staff.post('/api/v1/pmf/analyses', { title: '任务', conc, unc, factors: 4, runs: 1, seed: 7, bootstrap: 0, total: 'Mass' })
  assert.equal(r.status, 201, r.text)
  const a = (await staff.get(`/api/v1/pmf/analyses/${r.json.id}`)).json
  assert.ok(a.job_id > 0)
  const j = await until(staff, a.job_id, ended, 'end')
  assert.equal(j.kind, 'pmf.analysis')
  assert.equal(j.state, 'done', j.error)
  assert.equal(j.result.analysis_id, r.json.id)
  assert.equal((await staff.get(`/api/v1/pmf/analyses/${r.json.id}`)).json.status, 'done')
  assert.equal((await staff2.get(`/api/v1/jobs/${a.job_id}`)).status, 404)
})
