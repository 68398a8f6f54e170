// `ecogov pmf` on EPA's St. Louis files: JSON with Q values, profiles and contributions; the same
// seed gives the same numbers; refusals exit 1 with the reason, bad arguments 2.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ecogov } from '../lib.mjs'

const CONC = 'tests/data/pmf/Dataset-StLouis-con.csv'
const UNC = 'tests/data/pmf/Dataset-StLouis-unc.csv'
const run = (extra) => ecogov(['pmf', 'run', '--conc', CONC, '--unc', UNC, '--factors', '4', '--runs', '2', '--total', 'Mass', ...extra])

test('run writes the result as JSON; the same seed gives the same numbers', () => {
  const a = run(['--seed', '5'])
  assert.equal(a.status, 0, a.stderr)
  const r = JSON.parse(a.stdout)
  assert.equal(r.config.factors, 4)
  assert.equal(r.runs.length, 2)
  assert.equal(r.profiles.length, 4)
  assert.equal(r.profiles[0].length, 13)
  assert.equal(r.contributions.length, 418)
  assert.equal(r.contributions_mass.length, 418)
  assert.equal(r.total, 'Mass')
  assert.ok(r.q_robust > 0 && r.q_true >= r.q_robust && r.q_expected > 0)
  assert.equal(r.input.species.find((s) => s.name === 'Mass').category, 'weak')
  const b = run(['--seed', '5'])
  assert.equal(b.stdout, a.stdout)
  const c = run(['--seed', '6'])
  assert.notEqual(JSON.parse(c.stdout).runs[0].seed, r.runs[0].seed)
})

test('an .xlsx workbook (first sheet) reads as the same table as the CSV', () => {
  const x = ecogov(['pmf', 'run', '--conc', 'tests/data/pmf/StLouis-con.xlsx', '--unc', 'tests/data/pmf/StLouis-unc.xlsx', '--factors', '4', '--runs', '2', '--total', 'Mass', '--seed', '5'])
  assert.equal(x.status, 0, x.stderr)
  assert.equal(x.stdout, run(['--seed', '5']).stdout)
  const dir = mkdtempSync(path.join(tmpdir(), 'ecogov-pmf-'))
  try {
    const broken = path.join(dir, 'broken.xlsx')
    writeFileSync(broken, readFileSync('tests/data/pmf/StLouis-con.xlsx').subarray(0, 5000))
    const r = ecogov(['pmf', 'run', '--conc', broken, '--unc', UNC, '--factors', '3'])
    assert.equal(r.status, 1)
    assert.match(r.stderr, /workbook refused/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('robust mode, bad species, bootstrap and the sweep', () => {
  const a = run(['--robust', '--bad', 'Cd,Se', '--bootstrap', '3'])
  assert.equal(a.status, 0, a.stderr)
  const r = JSON.parse(a.stdout)
  assert.equal(r.config.robust, true)
  assert.equal(r.species.length, 11)
  assert.equal(r.bootstrap.runs, 3)
  assert.equal(r.bootstrap.mapping.length, 4)
  const s = ecogov(['pmf', 'sweep', '--conc', CONC, '--unc', UNC, '--from', '3', '--to', '4', '--runs', '1', '--bootstrap', '2'])
  assert.equal(s.status, 0, s.stderr)
  const sw = JSON.parse(s.stdout)
  assert.deepEqual(sw.map((e) => e.factors), [3, 4])
  assert.ok(sw.every((e) => e.q_ratio > 0 && e.stability >= 0 && e.stability <= 1))
})

test('refusals name the reason; bad arguments exit 2', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ecogov-pmf-'))
  try {
    const bad = path.join(dir, 'bad.csv')
    writeFileSync(bad, readFileSync(CONC, 'utf8').replace('0.00569', 'n/d'))
    let r = ecogov(['pmf', 'run', '--conc', bad, '--unc', UNC, '--factors', '3'])
    assert.equal(r.status, 1)
    assert.match(r.stderr, /line 2 \[Cu\]: cell 'n\/d' is not a number/)
    r = ecogov(['pmf', 'run', '--conc', CONC, '--unc', 'tests/data/pmf/Dataset-Baltimore_unc.txt', '--factors', '3'])
    assert.equal(r.status, 1)
    assert.match(r.stderr, /shapes differ/)
    r = ecogov(['pmf', 'run', '--conc', CONC, '--unc', UNC, '--factors', '3', '--total', 'PM10'])
    assert.equal(r.status, 1)
    assert.match(r.stderr, /no species named 'PM10'/)
    r = ecogov(['pmf', 'run', '--conc', CONC, '--unc', UNC, '--factors', '30'])
    assert.equal(r.status, 2)
    r = ecogov(['pmf', 'run', '--conc', path.join(dir, 'none.csv'), '--unc', UNC, '--factors', '3'])
    assert.equal(r.status, 2)
    r = ecogov(['pmf', 'frobnicate'])
    assert.equal(r.status, 2)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('markers lists the reference table', () => {
  const r = ecogov(['pmf', 'markers'])
  assert.equal(r.status, 0)
  assert.match(r.stdout, /^sulfate\t二次硫酸盐\tSecondary sulfate\tSO4, NH4$/m)
  assert.match(r.stdout, /^oil\t/m)
})
