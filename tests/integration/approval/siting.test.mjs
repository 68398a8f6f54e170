// ecogov siting: the CLI on the demo units (point and polygon, GCJ-02 and BD-09 input, hostile
// input), and the intersecting units of generated random and adversarial geometry (vertices, edges,
// holes, multipolygons) compared with PostGIS ST_Intersects in a private loopback cluster.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ecogov } from '../lib.mjs'
import { postgisAvailable, startPostgis, writeGenerated, loadSql, INTERSECTS_SQL } from './siting_pg.mjs'

const UNITS = 'tests/data/siting/units.geojson'

function check(args) {
  const r = ecogov(['siting', 'check', '--units', UNITS, ...args])
  return { ...r, json: r.status === 0 ? JSON.parse(r.stdout) : null }
}

test('a ceramics point inside the priority-protection unit is prohibited, with the deciding rule', () => {
  const r = check(['--industry', 'C3074', '--point', '117.35,29.47'])
  assert.equal(r.status, 0, r.stderr)
  assert.equal(r.json.verdict, '禁止')
  assert.equal(r.json.units.length, 1)
  const u = r.json.units[0]
  assert.equal(u.code, 'ZH36022210001')
  assert.equal(u.class_name, '优先保护')
  assert.equal(u.rule.ref, '空间布局约束第1条')
  assert.equal(u.conclusion, '不符合')
  assert.match(r.json.note, /人工复核/)
})

test('a point in the unit\'s hole falls in no unit', () => {
  const r = check(['--industry', 'C3074', '--point', '117.40,29.515'])
  assert.equal(r.status, 0, r.stderr)
  assert.equal(r.json.units.length, 0)
  assert.equal(r.json.verdict_code, 'none')
})

test('restricted and allowed industries in the key-control multipolygon unit', () => {
  let r = check(['--industry', 'C3071', '--point', '117.50,29.25'])
  assert.equal(r.json.verdict_code, 'restrict')
  assert.equal(r.json.units[0].conclusion, '需进一步论证')
  r = check(['--industry', 'C3074', '--point', '117.50,29.25'])
  assert.equal(r.json.verdict_code, 'allow')
  r = check(['--industry', 'C2662', '--point', '117.35,29.20'])
  assert.equal(r.json.verdict_code, 'prohibit')
})

test('a polygon straddling two units reports overlap areas in a Gauss-Kruger zone', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ecogov-siting-'))
  try {
    const f = path.join(dir, 'p.geojson')
    writeFileSync(f, JSON.stringify({ type: 'Polygon', coordinates: [[[117.29, 29.20], [117.31, 29.20], [117.31, 29.22], [117.29, 29.22], [117.29, 29.20]]] }))
    const r = check(['--industry', 'C3074', '--polygon', f])
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.json.projection, /EPSG:4548/)
    assert.deepEqual(r.json.units.map((u) => u.code).sort(), ['ZH36020330001', 'ZH36027120001'])
    const total = r.json.units.reduce((a, u) => a + u.overlap_m2, 0)
    assert.ok(Math.abs(total - r.json.area_m2) / r.json.area_m2 < 1e-6, 'the halves add up')
    assert.ok(Math.abs(r.json.units[0].overlap_share - 0.5) < 1e-3)
    // ~1.94 km x 2.22 km
    assert.ok(r.json.area_m2 > 4.2e6 && r.json.area_m2 < 4.4e6, String(r.json.area_m2))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('GCJ-02 and BD-09 input is converted before the check', () => {
  // 117.35,29.47 WGS84 is about 117.355460,29.467531 in GCJ-02; the result names the WGS84 point.
  const r = check(['--industry', 'C3074', '--point', '117.355460,29.467531', '--crs', 'gcj02'])
  assert.equal(r.status, 0, r.stderr)
  const [lon, lat] = r.json.location.coordinates
  assert.ok(Math.abs(lon - 117.35) < 1e-6 && Math.abs(lat - 29.47) < 1e-6, `${lon},${lat}`)
  const b = check(['--industry', 'C3074', '--point', '117.361867,29.473871', '--crs', 'bd09'])
  assert.equal(b.status, 0, b.stderr)
  assert.equal(b.json.verdict, '禁止')
})

test('hostile input is refused with a reason and exit status 2', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ecogov-siting-'))
  try {
    const bad = [
      ['not json', '{"type":'],
      ['open ring', JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'ZH36020210001', name: 'x', class: 1 }, geometry: { type: 'Polygon', coordinates: [[[117, 29], [118, 29], [118, 30], [117, 30]]] } }] })],
      ['bow tie', JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'ZH36020210001', name: 'x', class: 1 }, geometry: { type: 'Polygon', coordinates: [[[117, 29], [118, 30], [118, 29], [117, 30], [117, 29]]] } }] })],
      ['class digit', JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'ZH36020220001', name: 'x', class: 1 }, geometry: { type: 'Polygon', coordinates: [[[117, 29], [118, 29], [118, 30], [117, 29]]] } }] })],
      ['bad rule', JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'ZH36020210001', name: 'x', class: 1, rules: [{ kind: 'ban', industries: ['C30'] }] }, geometry: { type: 'Polygon', coordinates: [[[117, 29], [118, 29], [118, 30], [117, 29]]] } }] })],
      ['latitude', JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'ZH36020210001', name: 'x', class: 1 }, geometry: { type: 'Polygon', coordinates: [[[117, 29], [118, 99], [118, 30], [117, 29]]] } }] })],
    ]
    for (const [what, text] of bad) {
      const f = path.join(dir, 'u.geojson')
      writeFileSync(f, text)
      const r = ecogov(['siting', 'check', '--units', f, '--industry', 'C3074', '--point', '117.5,29.5'])
      assert.equal(r.status, 2, what)
      assert.ok(r.stderr.length > 10, what)
    }
    assert.equal(check(['--industry', 'C3074', '--point', '117.5']).status, 2)
    assert.equal(check(['--industry', 'C3074', '--point', '117.5,29.5', '--crs', 'utm']).status, 2)
    assert.equal(check(['--industry', 'X9', '--point', '117.5,29.5']).status, 1)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('siting batch: --full, --warm, --tree and --reports agree with the intersects-only lines', { timeout: 110_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ecogov-siting-batch-'))
  const { checks, uf, cf } = writeGenerated(dir, { units: 300, unitSeed: 5, checks: 600, checkSeed: 9 })
  try {
    const batch = (extra, file = cf) => ecogov(['siting', 'batch', '--units', uf, '--checks', file, ...extra], { maxBuffer: 1 << 28 })
    const lines = (extra) => {
      const r = batch(extra)
      assert.equal(r.status, 0, r.stderr)
      const timing = JSON.parse(r.stderr.trim().split('\n').pop())
      assert.equal(timing.checks, checks.features.length)
      // Not trimmed: a last check without units ends in a tab.
      return r.stdout.replace(/\n$/, '').split('\n').map((l) => l.split('\t'))
    }
    const hits = lines([])
    const full = lines(['--full'])
    assert.deepEqual(lines(['--full', '--warm']), full)
    assert.deepEqual(lines(['--tree']), full)
    const reports = lines(['--reports', '--industry', 'C3074'])
    const treeReports = lines(['--reports', '--tree', '--industry', 'C3074'])
    assert.equal(full.length, checks.features.length)
    const verdicts = new Set()
    for (let i = 0; i < full.length; i++) {
      assert.equal(full[i][0], hits[i][0])
      assert.equal(full[i][1], hits[i][1], `check ${hits[i][0]}: the full check's units`)
      const report = JSON.parse(reports[i][1])
      assert.equal(reports[i][0], hits[i][0])
      assert.equal(report.units.map((u) => u.code).join(','), hits[i][1])
      assert.equal(report.verdict_code, full[i][2])
      assert.equal(JSON.stringify(JSON.parse(treeReports[i][1])), JSON.stringify(report))
      verdicts.add(full[i][2])
    }
    assert.ok(verdicts.has('none') && verdicts.size >= 2, [...verdicts].join(','))
    // A check that fails (bad industry): status 1, its number and why, no lines, no timing.
    for (const extra of [['--full'], ['--full', '--warm'], ['--tree']]) {
      const r = batch([...extra, '--industry', 'X9'])
      assert.equal(r.status, 1, extra.join(' '))
      assert.equal(r.stdout, '')
      assert.match(r.stderr, /check 1: .*行业代码无效/)
      assert.doesNotMatch(r.stderr, /per_second/)
    }
    // A location that cannot be checked (an open ring): status 2 before any check runs.
    const bad = path.join(dir, 'bad.geojson')
    writeFileSync(bad, JSON.stringify({ type: 'FeatureCollection', features: [checks.features[0], { type: 'Feature', properties: { id: 2 }, geometry: { type: 'Polygon', coordinates: [[[117, 29], [117.1, 29], [117.1, 29.1], [117, 29.1]]] } }] }))
    const r = batch(['--full'], bad)
    assert.equal(r.status, 2)
    assert.equal(r.stdout, '')
    assert.match(r.stderr, /check 2: .*未闭合/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('the intersecting units equal PostGIS ST_Intersects on random and adversarial geometry', { skip: !postgisAvailable() && 'PostGIS is not installed', timeout: 110_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ecogov-siting-pg-'))
  const { units, checks, uf, cf } = writeGenerated(dir, { units: 2000, unitSeed: 7, checks: 6000, checkSeed: 11 })
  const pg = startPostgis()
  try {
    pg.psql(loadSql(units, checks))
    const theirs = pg.psql(INTERSECTS_SQL).trim().split('\n')
    const r = ecogov(['siting', 'batch', '--units', uf, '--checks', cf], { maxBuffer: 1 << 28 })
    assert.equal(r.status, 0, r.stderr)
    const ours = r.stdout.trim().split('\n')
    assert.equal(ours.length, checks.features.length)
    const diffs = theirs.filter((l, i) => l !== ours[i])
    assert.deepEqual(diffs.slice(0, 5), [], `${diffs.length} checks differ from PostGIS`)
    // The data set exercises every case: hits, misses, several units at once.
    const counts = ours.map((l) => (l.split('\t')[1] ? l.split('\t')[1].split(',').length : 0))
    assert.ok(counts.filter((c) => c === 0).length > 100)
    assert.ok(counts.filter((c) => c >= 2).length > 100)
  } finally {
    pg.stop()
    rmSync(dir, { recursive: true, force: true })
  }
})
