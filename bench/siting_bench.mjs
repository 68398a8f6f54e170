// Driver for bench/siting.sh: generates 10,000 units and 20,000 checks (tests/integration/approval/siting_pg.mjs),
// times `build/ecogov siting batch` (intersects only, and the full check with areas and verdicts;
// the tool times the checks alone, after loading) and PostGIS on the same data: one set-based
// join, and one query per check from PL/pgSQL (what a server doing one check per request pays).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir, cpus } from 'node:os'
import path from 'node:path'
import { postgisAvailable, startPostgis, genUnits, genChecks, loadSql } from '../tests/integration/approval/siting_pg.mjs'

const NUNITS = Number(process.env.SITING_BENCH_UNITS || 10000)
const NCHECKS = Number(process.env.SITING_BENCH_CHECKS || 20000)
const BIN = path.resolve(process.env.ECOGOV_BIN_REL || 'build/ecogov')

const dir = mkdtempSync(path.join(tmpdir(), 'ecogov-bench-siting-'))
try {
  const { units, shapes } = genUnits(NUNITS, 3)
  const checks = genChecks(shapes, NCHECKS, 5)
  const uf = path.join(dir, 'u.geojson'), cf = path.join(dir, 'c.geojson')
  writeFileSync(uf, JSON.stringify(units))
  writeFileSync(cf, JSON.stringify(checks))
  const run = (extra) => {
    const r = spawnSync(BIN, ['siting', 'batch', '--units', uf, '--checks', cf, ...extra], { encoding: 'utf8', maxBuffer: 1 << 28 })
    if (r.status !== 0) throw new Error(r.stderr)
    return JSON.parse(r.stderr.trim().split('\n').pop())
  }
  const ours = run([])
  const full = run(['--full'])
  console.log(`machine: ${cpus().length} x ${cpus()[0].model}`)
  console.log(`units ${NUNITS}, checks ${NCHECKS} (points and polygons, random and adversarial)`)
  console.log(`ecogov intersects:         ${ours.per_second.toFixed(0)} checks/s (${ours.ms} ms)`)
  console.log(`ecogov full check (areas): ${full.per_second.toFixed(0)} checks/s (${full.ms} ms)`)
  if (!postgisAvailable()) {
    console.log('PostGIS: not installed, no baseline')
  } else {
    const pg = startPostgis({ timeoutMs: 300_000 })
    try {
      pg.psql(loadSql(units, checks))
      const join = Number(pg.psql(`CREATE TEMP TABLE t0 AS SELECT clock_timestamp() AS t;
        CREATE TEMP TABLE r AS SELECT c.id, u.ord FROM c JOIN u ON ST_Intersects(c.g, u.g);
        SELECT extract(epoch FROM clock_timestamp() - t) * 1000 FROM t0;`).trim())
      const loop = Number(pg.psql(`CREATE TEMP TABLE t1 AS SELECT clock_timestamp() AS t;
        DO $$ DECLARE rec record; codes text[]; BEGIN
          FOR rec IN SELECT g FROM c ORDER BY id LOOP
            SELECT array_agg(code ORDER BY ord) INTO codes FROM u WHERE ST_Intersects(rec.g, u.g);
          END LOOP; END $$;
        SELECT extract(epoch FROM clock_timestamp() - t) * 1000 FROM t1;`).trim())
      const joinRate = NCHECKS / (join / 1000), loopRate = NCHECKS / (loop / 1000)
      console.log(`PostGIS set join:          ${joinRate.toFixed(0)} checks/s (${join.toFixed(0)} ms)`)
      console.log(`PostGIS query per check:   ${loopRate.toFixed(0)} checks/s (${loop.toFixed(0)} ms)`)
      console.log(`ratio ecogov intersects / PostGIS per check: ${(ours.per_second / loopRate).toFixed(2)}x`)
      console.log(`ratio ecogov intersects / PostGIS set join:  ${(ours.per_second / joinRate).toFixed(2)}x`)
      console.log(`ratio ecogov full check / PostGIS per check: ${(full.per_second / loopRate).toFixed(2)}x`)
    } finally {
      pg.stop()
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
