// A private PostgreSQL + PostGIS cluster for side-by-side checks: initdb in a temporary directory,
// unix socket in that directory, no TCP (listen_addresses=''), started and stopped by the caller
// within a bounded time. As root the server runs as the `postgres` user (runuser); otherwise as
// the current user. Also the shared siting test data generator. Only node built-ins.
import { spawnSync, execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, chownSync, chmodSync, existsSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

function pgBin() {
  const base = '/usr/lib/postgresql'
  if (!existsSync(base)) return null
  for (const v of readdirSync(base).sort().reverse()) {
    const b = path.join(base, v, 'bin')
    if (existsSync(path.join(b, 'initdb'))) return b
  }
  return null
}

/** True when PostgreSQL and PostGIS are installed. */
export function postgisAvailable() {
  const b = pgBin()
  if (!b) return false
  const v = path.basename(path.dirname(b))
  return existsSync(`/usr/share/postgresql/${v}/extension/postgis.control`)
}

/** Starts a cluster; resolves to {psql(sql) -> stdout, stop()}. */
export function startPostgis({ timeoutMs = 60_000 } = {}) {
  const bin = pgBin()
  if (!bin) throw new Error('PostgreSQL is not installed')
  const dir = mkdtempSync(path.join(tmpdir(), 'ecogov-pg-'))
  const data = path.join(dir, 'data')
  const root = process.getuid() === 0
  let uid = null
  if (root) {
    uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    chownSync(dir, uid, gid)
    chmodSync(dir, 0o700)
  }
  const as = (cmd, args, opts = {}) => {
    const full = root ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]
    const r = spawnSync(full[0], full[1], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 1 << 28, ...opts })
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.error}`)
    return r.stdout
  }
  as(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'])
  as(path.join(bin, 'pg_ctl'), ['-D', data, '-w', '-t', String(Math.ceil(timeoutMs / 1000)), '-l', path.join(dir, 'log'),
    '-o', `-k ${dir} -c listen_addresses='' -c fsync=off -c shared_buffers=128MB`, 'start'])
  const psql = (sql) => as(path.join(bin, 'psql'), ['-h', dir, '-U', 'postgres', '-d', 'postgres', '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1'], { input: sql })
  try {
    psql('CREATE EXTENSION postgis;')
  } catch (e) {
    as(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop'])
    rmSync(dir, { recursive: true, force: true })
    throw e
  }
  return {
    psql,
    stop() {
      try { as(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']) } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}

// ---- test data: control units and check geometries on a dyadic grid ----
// Coordinates are multiples of 1/256 degree, so vertices, edge midpoints and the orientation
// determinants of both engines are exact: "on the edge" means exactly on it for GEOS and PostGIS.

const Q = 1 / 256

function rng(seed) {
  let s = BigInt(seed)
  return () => {
    s = (s + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn
    let z = s
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn
    z ^= z >> 31n
    return Number(z >> 11n) / 2 ** 53
  }
}

const ring = (x0, y0, x1, y1) => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
const hole = (x0, y0, x1, y1) => [[x0, y0], [x0, y1], [x1, y1], [x1, y0], [x0, y0]]

/**
 * n units over a square of cells starting at 117E 29N: rectangles, rectangles with holes,
 * right triangles (diagonal edges), L-shapes and two-part multipolygons; neighbours share edges.
 * Returns {units: FeatureCollection, shapes: [{kind, rings...}]} for the check generator.
 */
export function genUnits(n, seed = 7) {
  const r = rng(seed)
  const side = Math.ceil(Math.sqrt(n))
  const cell = 16 * Q
  const features = []
  const shapes = []
  for (let i = 0; i < n; i++) {
    const cx = 117 + (i % side) * cell
    const cy = 29 + Math.floor(i / side) * cell
    const kind = i % 5
    const cls = 1 + (i % 3)
    const x0 = cx, y0 = cy, x1 = cx + cell, y1 = cy + cell
    let geometry
    if (kind === 0) geometry = { type: 'Polygon', coordinates: [ring(x0, y0, x1, y1)] }
    else if (kind === 1) geometry = { type: 'Polygon', coordinates: [ring(x0, y0, x1, y1), hole(x0 + 4 * Q, y0 + 4 * Q, x1 - 4 * Q, y1 - 4 * Q)] }
    else if (kind === 2) geometry = { type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x0, y1], [x0, y0]]] }
    else if (kind === 3) geometry = { type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y0 + 8 * Q], [x0 + 8 * Q, y0 + 8 * Q], [x0 + 8 * Q, y1], [x0, y1], [x0, y0]]] }
    else geometry = { type: 'MultiPolygon', coordinates: [[ring(x0, y0, x0 + 6 * Q, y0 + 6 * Q)], [ring(x0 + 10 * Q, y0 + 10 * Q, x1, y1)]] }
    shapes.push({ kind, x0, y0, x1, y1 })
    // Unique codes: the admin code carries i / 10000, the serial i % 10000.
    const uniq = `ZH${360000 + Math.floor(i / 10000)}${cls}${String(i % 10000).padStart(4, '0')}`
    features.push({
      type: 'Feature',
      properties: { code: uniq, name: `单元${i}`, class: cls, rules: r() < 0.3 ? [{ kind: 'prohibit', industries: ['C30'], condition: '', ref: '空间布局约束第1条' }] : [] },
      geometry,
    })
  }
  return { units: { type: 'FeatureCollection', features }, shapes }
}

/** Adversarial and random checks against genUnits' shapes: a FeatureCollection with properties.id. */
export function genChecks(shapes, n, seed = 11) {
  const r = rng(seed)
  const grid = (v) => Math.round(v / Q) * Q
  const pick = () => shapes[Math.floor(r() * shapes.length)]
  const checks = []
  const minX = Math.min(...shapes.map((s) => s.x0)), maxX = Math.max(...shapes.map((s) => s.x1))
  const minY = Math.min(...shapes.map((s) => s.y0)), maxY = Math.max(...shapes.map((s) => s.y1))
  const pt = (x, y) => ({ type: 'Point', coordinates: [x, y] })
  const box = (x0, y0, x1, y1) => ({ type: 'Polygon', coordinates: [ring(x0, y0, x1, y1)] })
  for (let i = 0; i < n; i++) {
    const s = pick()
    const w = s.x1 - s.x0
    let g
    switch (i % 12) {
      case 0: g = pt(minX - Q + r() * (maxX - minX + 2 * Q), minY - Q + r() * (maxY - minY + 2 * Q)); break // random, anywhere
      case 1: g = pt(s.x0, s.y0); break // a vertex
      case 2: g = pt(s.x0 + w / 2, s.y0); break // on a shared edge
      case 3: g = pt(s.x0 + w / 2, s.y0 + w / 2); break // centre: in the hole for kind 1, on the diagonal for kind 2
      case 4: g = pt(s.x0 + 4 * Q, s.y0 + 6 * Q); break // on a hole's edge / L inner corner area
      case 5: g = pt(s.x0 + 8 * Q, s.y0 + 8 * Q); break // the L's inner vertex; in a multipolygon's gap
      case 6: g = pt(grid(s.x0 + r() * w), grid(s.y0 + r() * w)); break // random grid point
      case 7: g = box(s.x0 + 5 * Q, s.y0 + 5 * Q, s.x0 + 11 * Q, s.y0 + 11 * Q); break // inside a hole / across
      case 8: g = box(s.x0 + 4 * Q, s.y0 + 4 * Q, s.x1 - 4 * Q, s.y1 - 4 * Q); break // exactly the hole
      case 9: g = box(s.x1, s.y0 + Q, s.x1 + 2 * Q, s.y0 + 3 * Q); break // touching the right edge from outside
      case 10: { const x = s.x0 + r() * w, y = s.y0 + r() * w; g = box(x, y, x + r() * 3 * w, y + r() * 3 * w + Q / 8); break } // random
      default: g = box(s.x0 + 6 * Q, s.y0 + 6 * Q, s.x0 + 10 * Q, s.y0 + 10 * Q) // the multipolygon's gap
    }
    checks.push({ type: 'Feature', properties: { id: i + 1 }, geometry: g })
  }
  return { type: 'FeatureCollection', features: checks }
}

const sqlText = (s) => "'" + String(s).replaceAll("'", "''") + "'"

/** genUnits and genChecks written to units.geojson and checks.geojson in dir, as `ecogov siting` reads them. */
export function writeGenerated(dir, { units: nUnits, unitSeed, checks: nChecks, checkSeed }) {
  const { units, shapes } = genUnits(nUnits, unitSeed)
  const checks = genChecks(shapes, nChecks, checkSeed)
  const uf = path.join(dir, 'units.geojson'), cf = path.join(dir, 'checks.geojson')
  writeFileSync(uf, JSON.stringify(units))
  writeFileSync(cf, JSON.stringify(checks))
  return { units, checks, uf, cf }
}

/** SQL that loads units and checks into tables u(ord, code, g) and c(id, g) with GiST indexes. */
export function loadSql(units, checks) {
  const lines = ['CREATE TABLE u (ord int PRIMARY KEY, code text, g geometry(Geometry, 4326));',
    'CREATE TABLE c (id int PRIMARY KEY, g geometry(Geometry, 4326));', 'BEGIN;']
  units.features.forEach((f, i) => lines.push(`INSERT INTO u VALUES (${i}, ${sqlText(f.properties.code)}, ST_SetSRID(ST_GeomFromGeoJSON(${sqlText(JSON.stringify(f.geometry))}), 4326));`))
  checks.features.forEach((f) => lines.push(`INSERT INTO c VALUES (${f.properties.id}, ST_SetSRID(ST_GeomFromGeoJSON(${sqlText(JSON.stringify(f.geometry))}), 4326));`))
  lines.push('COMMIT;', 'CREATE INDEX u_g ON u USING gist (g);', 'CREATE INDEX c_g ON c USING gist (g);', 'ANALYZE u;', 'ANALYZE c;')
  return lines.join('\n')
}

/** The query giving "id<TAB>code,code" lines like `ecogov siting batch`. */
export const INTERSECTS_SQL = `SELECT c.id || E'\\t' || coalesce(string_agg(u.code, ',' ORDER BY u.ord), '')
  FROM c LEFT JOIN u ON ST_Intersects(c.g, u.g) GROUP BY c.id ORDER BY c.id;`
