// Report generation and a big list export on the job facility (issue #17 item
// 9): the annual air-quality evaluation report and the 督办 tracker list as
// xlsx jobs — progress counted to the end, cancel while queued (both workers
// held by big imports, so the cancel cannot race the job), the workbook
// downloaded and read back, another user's job 404, the filters and roles of
// the list kept.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { demoDb, startServer, Client, usccWithCheck } from '../lib.mjs'
import { xlsxRows } from '../app/xlsx_sheet.mjs'

const HEADER = 'uscc,name,legal_rep,address,district,town,lon,lat,industry_code,tags,permit_no,contact_name,contact_phone'
let db, srv, staff, staff2, admin, ent, anon

function csv(from, n) {
  const rows = [HEADER]
  for (let i = 0; i < n; i++) {
    const code = usccWithCheck('91360202MC' + String(from + i).padStart(7, '0'))
    rows.push(`${code},报告测试企业${from + i},张三,地址${i},昌南区,丽阳镇,117.2,29.3,C3074,,,李四,13800000001`)
  }
  return rows.join('\r\n') + '\r\n'
}

before(async () => {
  db = demoDb({ enterprises: 5 })
  srv = await startServer(db.db)
  staff = await Client.as(srv.url, 'staff')
  staff2 = await Client.as(srv.url, 'staff2')
  admin = await Client.as(srv.url, 'admin')
  ent = await Client.as(srv.url, 'enterprise')
  anon = new Client(srv.url)
})

after(async () => {
  const exit = await srv?.stop()
  db?.cleanup()
  assert.doesNotMatch(srv?.output() ?? '', /AddressSanitizer|runtime error/)
  assert.equal(exit?.code, 0)
})

const ended = (j) => ['done', 'failed', 'cancelled'].includes(j.state)
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
async function download(c, id) {
  const res = await c.request('GET', `/api/v1/jobs/${id}/result`, { raw: true })
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type'), /spreadsheetml/)
  return { buf: Buffer.from(await res.arrayBuffer()), disposition: res.headers.get('content-disposition') }
}

test('the annual evaluation report is a job: progress to the end, the workbook as the API evaluates', async () => {
  const year = 2026
  const r = await staff.post(`/api/v1/quality/reports/annual-jobs?year=${year}`, {})
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.kind, 'quality.annual_report')
  assert.equal(r.json.title, String(year))
  assert.match(r.headers.get('location'), new RegExp(`/api/v1/jobs/${r.json.id}$`))
  assert.equal((await staff2.get(`/api/v1/jobs/${r.json.id}`)).status, 404)
  assert.equal((await staff2.get(`/api/v1/jobs/${r.json.id}/result`)).status, 404)
  const done = await until(staff, r.json.id, ended, 'end')
  assert.equal(done.state, 'done', JSON.stringify(done))
  const districts = (await staff.get('/api/v1/quality/stations?kind=official')).json
  assert.ok(done.total >= 2, 'the city and at least one station')
  assert.equal(done.done, done.total)
  assert.equal(done.result.scopes, done.total)
  assert.equal(done.has_file, true)
  const city = (await staff.get(`/api/v1/quality/annual?year=${year}`)).json
  assert.equal(done.result.city_pm25, city.items.pm25.mean.value)
  assert.equal(done.result.city_compliant, city.compliant)
  const { buf, disposition } = await download(staff, r.json.id)
  assert.match(disposition, new RegExp(`air-annual-${year}\\.xlsx`))
  const rows = xlsxRows(buf)
  assert.match(rows[0][0], new RegExp(`年度评价 ${year}`))
  // the title, the heads (the empty row between them is not read back), one row per scope
  assert.deepEqual(rows[1].slice(0, 3), ['区域/站点', 'SO2', 'NO2'])
  assert.equal(rows[2][0], '全市')
  assert.equal(Number(rows[2][6]), city.items.pm25.mean.value)
  assert.equal(rows.length - 2, done.total)
  const stations = districts.items ?? districts
  assert.ok(stations.every((s) => rows.some((row) => row[0] === s.name)), 'every official station has its row')
  // staff2 never sees it; the owner and an admin do
  assert.equal((await admin.get(`/api/v1/jobs/${r.json.id}`)).status, 200)
})

test('the annual report refuses a bad year, and who may ask', async () => {
  assert.equal((await staff.post('/api/v1/quality/reports/annual-jobs?year=1999', {})).status, 422)
  assert.equal((await staff.post('/api/v1/quality/reports/annual-jobs?year=abc', {})).status, 422)
  assert.equal((await ent.post('/api/v1/quality/reports/annual-jobs?year=2026', {})).status, 403)
  assert.equal((await anon.post('/api/v1/quality/reports/annual-jobs?year=2026', {})).status, 401)
})

test('the tracker list exports as a job with the list filters and rows', async () => {
  const list = (await staff.get('/api/v1/service/tracker?status=open&limit=5000')).json.items
  const r = await staff.post('/api/v1/service/tracker/export-jobs?status=open', {})
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.kind, 'service.tracker_export')
  const done = await until(staff, r.json.id, ended, 'end')
  assert.equal(done.state, 'done', JSON.stringify(done))
  assert.equal(done.result.rows, list.length)
  assert.equal(done.done, done.total)
  assert.equal(done.total, list.length)
  const { buf, disposition } = await download(staff, r.json.id)
  assert.match(disposition, /tracker\.xlsx/)
  const rows = xlsxRows(buf)
  assert.equal(rows[0][0], '编号')
  assert.equal(rows.length - 1, list.length)
  assert.deepEqual(rows.slice(1).map((x) => Number(x[0])).sort(), list.map((x) => x.id).sort())
  assert.equal((await staff2.get(`/api/v1/jobs/${r.json.id}/result`)).status, 404)
  // the list's own checks: a bad filter is refused before any job exists
  assert.equal((await staff.post('/api/v1/service/tracker/export-jobs?status=nope', {})).status, 422)
  assert.equal((await ent.post('/api/v1/service/tracker/export-jobs', {})).status, 403)
})

test('a queued report and a queued export cancel at once, and give no file', async () => {
  // both workers busy with big imports, so the next jobs wait in the queue
  const imports = []
  for (const from of [100000, 300000]) {
    const r = await staff.post('/api/v1/enterprises/import-jobs', csv(from, 20000), { headers: { 'content-type': 'text/csv' } })
    assert.equal(r.status, 201, r.text)
    imports.push(r.json.id)
  }
  for (const id of imports) {
    const j = await until(staff, id, (x) => x.state === 'running' || ended(x), 'start')
    assert.equal(j.state, 'running', 'the import ended before the test could queue behind it')
  }
  const report = await staff.post('/api/v1/quality/reports/annual-jobs?year=2026', {})
  const exp = await staff.post('/api/v1/service/tracker/export-jobs', {})
  for (const r of [report, exp]) {
    assert.equal(r.status, 201, r.text)
    assert.equal(r.json.state, 'queued')
    assert.equal((await staff2.post(`/api/v1/jobs/${r.json.id}/cancel`, {})).status, 404)
    const c = await staff.post(`/api/v1/jobs/${r.json.id}/cancel`, {})
    assert.equal(c.status, 200, c.text)
    assert.equal(c.json.state, 'cancelled')
    const res = await staff.get(`/api/v1/jobs/${r.json.id}/result`)
    assert.equal(res.status, 200)
    assert.equal(res.json.state, 'cancelled')
  }
  for (const id of imports) assert.equal((await staff.post(`/api/v1/jobs/${id}/cancel`, {})).status, 200)
  for (const id of imports) assert.equal((await until(staff, id, ended, 'end')).state, 'cancelled')
})
