// The demo city's source apportionment (src/modules/pmf/demo.c): `ecogov demo` generates a winter
// and a summer speciation campaign from six known sources, uploads it as staff, runs it through the
// module's worker, confirms the suggested names and publishes as the leader — so the public air page
// shows "where our PM2.5 comes from" from the start. The model has to find and name the sources.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { demoDb, startServer, Client } from '../lib.mjs'

const SOURCES = ['二次硫酸盐', '二次硝酸盐', '机动车', '燃煤', '扬尘', '生物质燃烧']
let db, srv, staff, admin, anon

before(async () => {
  db = demoDb({ enterprises: 5 })
  srv = await startServer(db.db)
  staff = await Client.as(srv.url, 'staff')
  admin = await Client.as(srv.url, 'admin')
  anon = new Client(srv.url)
})

after(async () => {
  const exit = await srv?.stop()
  db?.cleanup()
  assert.doesNotMatch(srv?.output() ?? '', /AddressSanitizer|runtime error/)
  assert.equal(exit?.code, 0)
})

const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length

test('the demo database holds one finished analysis, named by staff and published by the leader', async () => {
  const list = await staff.get('/api/v1/pmf/analyses')
  assert.equal(list.status, 200)
  assert.equal(list.json.items.length, 1)
  const [row] = list.json.items
  assert.equal(row.status, 'done')
  assert.equal(row.published, 1)
  assert.equal(row.created_by, 'staff')
  assert.equal(row.published_by, 'leader')

  const a = (await staff.get(`/api/v1/pmf/analyses/${row.id}`)).json
  const res = a.result
  assert.equal(res.input.samples, 120)
  assert.equal(res.input.species.length, 18)
  assert.equal(res.total, 'PM2.5')
  assert.equal(res.config.factors, 6)
  assert.ok(res.runs.every((r) => r.converged))
  assert.ok(res.q_ratio > 0.8 && res.q_ratio < 1.5, `Q/Qexp ${res.q_ratio}`) // noise drawn at the stated uncertainty
  // The confirmed names are the marker table's suggestions, one source per factor.
  assert.deepEqual(a.names, res.factors.map((f) => f.suggested.zh))
  assert.deepEqual([...a.names].sort(), [...SOURCES].sort())

  // The seasons the campaign was made with: coal and biomass burning far higher in winter.
  const winter = res.times.map((t) => t < '2026-03-01')
  for (const name of ['燃煤', '生物质燃烧']) {
    const k = a.names.indexOf(name)
    const col = res.contributions_mass.map((row) => row[k])
    const w = mean(col.filter((_, i) => winter[i]))
    const s = mean(col.filter((_, i) => !winter[i]))
    assert.ok(w > 2 * s, `${name}: winter ${w} summer ${s}`)
  }

  const audit = await admin.get('/api/v1/audit?action=pmf.publish')
  assert.equal(audit.status, 200)
  assert.deepEqual(audit.json.items.map((e) => e.actor), ['leader'])
})

test('the public sees the six named sources, their shares summing to 100 %', async () => {
  const r = await anon.get('/api/v1/public/pmf')
  assert.equal(r.status, 200)
  const ap = r.json.apportionment
  assert.ok(ap, 'an apportionment is published')
  assert.equal(ap.samples, 120)
  assert.equal(ap.period_from, '2025-12-01')
  assert.equal(ap.total, 'PM2.5')
  assert.deepEqual(ap.sources.map((s) => s.name).sort(), [...SOURCES].sort())
  const total = ap.sources.reduce((s, x) => s + x.share, 0)
  assert.ok(Math.abs(total - 100) < 0.5, `shares sum to ${total}`)
  // Every source was made to carry 10-25 % of the mass; none may vanish or swallow another.
  for (const s of ap.sources) assert.ok(s.share > 5 && s.share < 35, `${s.name} ${s.share}`)
})

test('the same seed gives the same apportionment', () => {
  const again = demoDb({ enterprises: 5 })
  try {
    const q = 'SELECT names_json, result_json FROM pmf_analyses'
    const read = (file) => spawnSync('sqlite3', [file, q], { encoding: 'utf8' }).stdout
    const first = read(db.db)
    assert.ok(first.length > 1000)
    assert.equal(read(again.db), first)
  } finally {
    again.cleanup()
  }
})
