// Negative concentrations (blank-corrected data): WS-NMF, ESAT's weighted semi-NMF, is chosen exactly
// when a kept value is negative, or forced with --method / the analysis' "method"; LS-NMF reads
// negatives as 0. EPA's St. Louis set with its zero Ni readings made slightly negative.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ecogov, demoDb, startServer, Client } from '../lib.mjs'

const CONC = 'tests/data/pmf/Dataset-StLouis-con.csv'
const UNC = 'tests/data/pmf/Dataset-StLouis-unc.csv'
const conc = readFileSync(CONC, 'utf8')
const unc = readFileSync(UNC, 'utf8')

// Ni is the 6th column; its 0 readings become -0.0005.
function withNegatives(text) {
  let n = 0
  const out = text.split('\n').map((line, i) => {
    const cells = line.split(',')
    if (i === 0 || cells.length < 6 || Number(cells[5]) !== 0) return line
    cells[5] = '-0.0005'
    n++
    return cells.join(',')
  })
  return { text: out.join('\n'), n }
}

const neg = withNegatives(conc)
let dir, negFile, db, srv, staff

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pmf-ws-'))
  negFile = path.join(dir, 'neg.csv')
  writeFileSync(negFile, neg.text)
  db = demoDb({ enterprises: 2 })
  srv = await startServer(db.db)
  staff = await Client.as(srv.url, 'staff')
})

after(async () => {
  const exit = await srv?.stop()
  db?.cleanup()
  rmSync(dir, { recursive: true, force: true })
  assert.doesNotMatch(srv?.output() ?? '', /AddressSanitizer|runtime error/)
  assert.equal(exit?.code, 0)
})

const run = (file, extra) =>
  ecogov(['pmf', 'run', '--conc', file, '--unc', UNC, '--factors', '4', '--runs', '1', '--total', 'Mass', ...extra])

test('the CLI picks WS-NMF for negative data, LS-NMF otherwise, and --method forces either', () => {
  assert.ok(neg.n > 5)
  const ws = run(negFile, [])
  assert.equal(ws.status, 0, ws.stderr)
  const w = JSON.parse(ws.stdout)
  assert.equal(w.algorithm, 'ws-nmf')
  assert.equal(w.config.algorithm, 'WS-NMF')
  assert.match(w.method, /WS-NMF/)
  assert.equal(w.negatives, neg.n)
  assert.ok(w.q_true > 0 && w.q_robust <= w.q_true)

  const ls = JSON.parse(run(negFile, ['--method', 'ls-nmf']).stdout)
  assert.equal(ls.algorithm, 'ls-nmf')
  assert.equal(ls.negatives, neg.n)

  const plain = JSON.parse(run(CONC, []).stdout)
  assert.equal(plain.algorithm, 'ls-nmf')
  assert.equal(plain.negatives, 0)
  assert.equal(JSON.parse(run(CONC, ['--method', 'ws-nmf']).stdout).algorithm, 'ws-nmf')

  const bad = run(CONC, ['--method', 'pmf2'])
  assert.equal(bad.status, 2)
  assert.match(bad.stderr, /--method/)
})

async function until(id, ms = 180_000) {
  const t0 = Date.now()
  for (;;) {
    const r = await staff.get(`/api/v1/pmf/analyses/${id}`)
    assert.equal(r.status, 200)
    if (['done', 'failed'].includes(r.json.status)) return r.json
    if (Date.now() - t0 > ms) throw new Error(`analysis ${id} still ${r.json.status}`)
    await new Promise((res) => setTimeout(res, 300))
  }
}

test('an analysis of negative data runs WS-NMF; "method" is checked and can force LS-NMF', async () => {
  const base = { title: '负值示例', conc: neg.text, unc, factors: 4, runs: 1, seed: 3, bootstrap: 0, total: 'Mass', period_from: '2001-06-22', period_to: '2001-07-09' }
  const bad = await staff.post('/api/v1/pmf/analyses', { ...base, method: 'nmf' })
  assert.equal(bad.status, 422)
  assert.equal(bad.json.error.field, 'method')

  const r = await staff.post('/api/v1/pmf/analyses', base)
  assert.equal(r.status, 201)
  const a = await until(r.json.id)
  assert.equal(a.status, 'done', a.error)
  assert.equal(a.result.algorithm, 'ws-nmf')
  assert.equal(a.result.negatives, neg.n)

  // Published, the public view names the method that ran.
  const names = ['一', '二', '三', '四']
  assert.equal((await staff.put(`/api/v1/pmf/analyses/${a.id}/names`, { names })).status, 200)
  const leader = await Client.as(srv.url, 'leader')
  assert.equal((await leader.post(`/api/v1/pmf/analyses/${a.id}/publish`, {})).status, 200)
  const pub = await new Client(srv.url).get('/api/v1/public/pmf')
  assert.equal(pub.status, 200)
  assert.equal(pub.json.apportionment.algorithm, 'ws-nmf')
  assert.match(pub.json.apportionment.method, /WS-NMF/)

  const f = await staff.post('/api/v1/pmf/analyses', { ...base, method: 'ls-nmf' })
  assert.equal(f.status, 201)
  const b = await until(f.json.id)
  assert.equal(b.status, 'done', b.error)
  assert.equal(b.result.algorithm, 'ls-nmf')
})
