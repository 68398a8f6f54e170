// The emission-reduction list (应急减排清单, issue 13) against the real server: the demo list's
// totals against the required shares, an entry and its measures kept by staff with every refusal,
// the xlsx export, the CSV import all-or-nothing, and who may see it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { demoDb, startServer, Client } from '../lib.mjs'

let env, server, staff, leader, ent, anon

before(async () => {
  env = demoDb({ enterprises: 40 })
  server = await startServer(env.db)
  staff = await Client.as(server.url, 'staff')
  leader = await Client.as(server.url, 'leader')
  ent = await Client.as(server.url, 'enterprise')
  anon = new Client(server.url)
})

after(async () => {
  await server?.stop()
  env?.cleanup()
})

test('the demo list meets the required shares at every level', async () => {
  const l = await leader.get('/api/v1/response/list')
  assert.equal(l.status, 200, l.text)
  assert.equal(l.json.items.length, 36)
  const e = l.json.items[0]
  assert.ok(['A', 'B', 'C', 'D', '引领性', '非绩效分级'].includes(e.grade))
  assert.deepEqual(e.measures.map((m) => m.level), ['yellow', 'orange', 'red'])
  const t = await leader.get('/api/v1/response/list/totals')
  assert.equal(t.status, 200)
  assert.equal(t.json.baseline.enterprises, 36)
  assert.deepEqual(t.json.levels.map((x) => [x.level, x.required_pct]), [['yellow', 10], ['orange', 20], ['red', 30]])
  let sum = 0
  for (const x of l.json.items) for (const m of x.measures) if (m.level === 'orange') sum += m.red_nox
  const orange = t.json.levels[1]
  assert.ok(Math.abs(orange.nox.reduction - sum) < 0.01, `${orange.nox.reduction} vs ${sum}`)
  assert.equal(orange.nox.share, Math.round((sum / t.json.baseline.nox) * 1000) / 10)
  for (const x of t.json.levels) assert.equal(x.met, true, JSON.stringify(x))
})

test('an entry and its measures: kept by staff, refused when wrong', async () => {
  const body = { enterprise_id: 37, grade: 'C', sources: ['3# 窑炉'], baseline: { so2: 100, nox: 200, pm: 50, vocs: 0 } }
  for (const [b, field] of [
    [{ ...body, grade: 'E' }, 'grade'],
    [{ ...body, enterprise_id: 9999 }, 'enterprise_id'],
    [{ ...body, baseline: { so2: -1 } }, 'baseline'],
    [{ ...body, baseline: 5 }, 'baseline'],
  ]) {
    const r = await staff.post('/api/v1/response/list', b)
    assert.ok([404, 422].includes(r.status), r.text)
    assert.equal(r.json.error.field, field)
  }
  const r = await staff.post('/api/v1/response/list', body)
  assert.equal(r.status, 200, r.text)
  const id = r.json.id
  const add = (m) => staff.post(`/api/v1/response/list/${id}/measures`, m)
  assert.equal((await add({ level: 'yellow', kind: 'limit', reduction: { so2: 10 } })).json.error.field, 'limit_pct')
  assert.equal((await add({ level: 'yellow', kind: 'stop', limit_pct: 20 })).json.error.field, 'limit_pct')
  assert.equal((await add({ level: 'yellow', kind: 'lines' })).json.error.field, 'lines')
  assert.equal((await add({ level: 'purple', kind: 'stop' })).json.error.field, 'level')
  assert.equal((await add({ level: 'yellow', kind: 'stop', reduction: { vocs: 1 } })).status, 422, 'more than it emits')
  let m = await add({ level: 'yellow', kind: 'limit', limit_pct: 20, reduction: { so2: 60, nox: 40 } })
  assert.equal(m.status, 200, m.text)
  const over = await add({ level: 'yellow', kind: 'transport', reduction: { so2: 41 } })
  assert.equal(over.status, 422, 'the level sum stays within the baseline')
  m = await add({ level: 'red', kind: 'stop', reduction: { so2: 100, nox: 200, pm: 50 } })
  assert.equal(m.json.measures.length, 2)
  // Lowering the baseline below a level's reductions is refused.
  assert.equal((await staff.post('/api/v1/response/list', { ...body, baseline: { so2: 50, nox: 200, pm: 50 } })).status, 422)
  const del = await staff.request('DELETE', `/api/v1/response/measures/${m.json.measures[1].id}`)
  assert.equal(del.status, 200, del.text)
  assert.equal(del.json.measures.length, 1)
  assert.equal((await leader.post(`/api/v1/response/list/${id}/measures`, { level: 'red', kind: 'stop' })).status, 403)
  assert.equal((await staff.request('DELETE', `/api/v1/response/list/${id}`)).status, 200)
  assert.equal((await staff.get(`/api/v1/response/list/${id}`)).status, 404)
})

test('export as xlsx and import from CSV, all rows or none', async () => {
  const x = await staff.request('GET', '/api/v1/response/list/export.xlsx', { raw: true })
  assert.equal(x.status, 200)
  assert.match(x.headers.get('content-type'), /spreadsheetml/)
  const bytes = Buffer.from(await x.arrayBuffer())
  assert.equal(bytes.subarray(0, 2).toString(), 'PK')
  assert.ok(bytes.includes(Buffer.from('xl/worksheets/sheet2.xml')), 'a totals sheet')

  const uscc = (await staff.get('/api/v1/enterprises/38')).json.uscc
  const head = 'uscc,grade,sources,base_so2,base_nox,base_pm,base_vocs,level,kind,limit_pct,lines,description,red_so2,red_nox,red_pm,red_vocs\n'
  const bad = await staff.request('POST', '/api/v1/response/list/import', {
    body: head +
      `${uscc},B,锅炉;堆场,10,20,5,0,yellow,limit,20,,限产,2,4,1,0\n` +
      '91000000000000000X,B,,10,20,5,0,yellow,stop,,,,1,1,1,0\n' +
      `${uscc},B,,10,20,5,0,orange,limit,,,,1,1,1,0\n` +
      `${uscc},B,,10,20,5,0,red,stop,,,,11,1,1,0\n`,
    headers: { 'content-type': 'text/csv' },
  })
  assert.equal(bad.status, 422, bad.text)
  assert.deepEqual(bad.json.error.errors.map((e) => [e.line, e.field]), [[3, 'uscc'], [4, 'limit_pct'], [5, 'reduction']])
  assert.equal((await staff.get('/api/v1/response/list')).json.items.length, 36, 'nothing stored')
  const ok = await staff.request('POST', '/api/v1/response/list/import', {
    body: head +
      `${uscc},B,锅炉;堆场,10,20,5,0,yellow,limit,20,,限产,2,4,1,0\n` +
      `${uscc},B,锅炉;堆场,10,20,5,0,red,lines,,锅炉,停锅炉,10,20,5,0\n`,
    headers: { 'content-type': 'text/csv' },
  })
  assert.equal(ok.status, 200, ok.text)
  assert.deepEqual(ok.json, { rows: 2, enterprises: 1 })
  const l = (await staff.get('/api/v1/response/list')).json.items
  const e = l.find((x) => x.uscc === uscc)
  assert.deepEqual(e.sources, ['锅炉', '堆场'])
  assert.deepEqual(e.measures.map((m) => [m.level, m.kind]), [['yellow', 'limit'], ['red', 'lines']])
})

test('the xlsx export comes back in through the xlsx import unchanged', async () => {
  const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
  const before = (await staff.get('/api/v1/response/list/totals')).json
  const x = await staff.request('GET', '/api/v1/response/list/export.xlsx', { raw: true })
  const bytes = new Uint8Array(await x.arrayBuffer())
  const r = await staff.request('POST', '/api/v1/response/list/import', { body: bytes, headers: { 'content-type': XLSX } })
  assert.equal(r.status, 200, r.text)
  const entries = (await staff.get('/api/v1/response/list')).json.items
  assert.equal(r.json.enterprises, entries.length)
  assert.equal(r.json.rows, entries.reduce((n, e) => n + Math.max(1, e.measures.length), 0))
  const after = (await staff.get('/api/v1/response/list/totals')).json
  for (const l of [0, 1, 2])
    for (const k of ['so2', 'nox', 'pm', 'vocs'])
      assert.ok(Math.abs(after.levels[l][k].reduction - before.levels[l][k].reduction) < 1e-6, `${l} ${k}`)
  const bad = await staff.request('POST', '/api/v1/response/list/import', { body: 'not a workbook', headers: { 'content-type': XLSX } })
  assert.equal(bad.status, 422)
  assert.equal(bad.json.error.errors[0].line, 0)
})

test('roles: enterprises and the public see no list', async () => {
  for (const p of ['/api/v1/response/list', '/api/v1/response/list/totals', '/api/v1/response/list/export.xlsx']) {
    assert.equal((await ent.get(p)).status, 403, p)
    assert.equal((await anon.get(p)).status, 401, p)
  }
  assert.equal((await ent.post('/api/v1/response/list', { enterprise_id: 1, grade: 'A' })).status, 403)
})
