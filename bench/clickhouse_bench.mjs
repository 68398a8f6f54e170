// See bench/clickhouse.sh. Prints its figures; the ratio (nodes vs ClickHouse's own insert of
// the same rows) is the figure to compare between machines.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startCluster, chFlags, chQuery } from '../tests/integration/clickhouse/lib_clickhouse.mjs'

const BIN = process.env.ECOGOV_BIN || path.resolve('build/ecogov')
const SECONDS = Number(process.env.BENCH_SECONDS || 10)
const DB = 'eco_bench'
const DEVICES = Number(process.env.BENCH_DEVICES || 400)

function run(args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 600_000 })
  if (r.status !== 0) throw new Error(`ecogov ${args[0]} failed: ${r.stderr}`)
  return r.stdout
}

function serve(db, flags) {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, ['serve', `--db=${db}`, '--http-port=0', '--hj212-port=0', '--web-root=web/dist', '--hj212-rate=0', '--hj212-gap-interval=0', '--hj212-clock-check=0', ...flags], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    p.stderr.on('data', (d) => { out += d })
    p.stdout.on('data', (d) => {
      out += d
      const m = /hj212 listening on 127\.0\.0\.1:(\d+)/.exec(out)
      const h = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)
      if (m && h) resolve({ p, port: Number(m[1]), http: Number(h[1]) })
    })
    p.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)))
  })
}

function simulate(db, port) {
  return new Promise((resolve) => {
    const p = spawn(BIN, ['simulate', `--db=${db}`, '--stations', String(DEVICES + 10), '--port', String(port), '--history', '24', '--window', '16', '--period-ms', '60000', '--duration', String(SECONDS)], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    p.stdout.on('data', (d) => { out += d })
    p.on('exit', () => { if (process.env.BENCH_DEBUG) console.error(out); resolve(out) })
  })
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const c = await startCluster()
const dir = mkdtempSync(path.join(tmpdir(), 'ecogov-bench-ch-'))
try {
  const db = path.join(dir, 'b.db')
  const flags = chFlags(c, DB)
  run(['migrate', `--db=${db}`])
  run(['demo', `--db=${db}`, '--enterprises', '60'])
  run(['migrate', `--db=${db}`, ...flags])
  const nodes = [await serve(db, flags), await serve(db, flags)]
  // DEVICES more micro-stations with a device each, registered through the API (the demo has a
  // handful): each simulator sends for all of them to its node
  process.env.ECOGOV_BIN ||= BIN
  const { Client } = await import('../tests/integration/lib.mjs')
  const admin = await Client.as(`http://127.0.0.1:${nodes[0].http}`, 'admin')
  for (let i = 0; i < DEVICES; i++) {
    const r = await admin.post('/api/v1/monitor/stations', { code: `BENCH-${i}`, name: `压测站${i}`, kind: 'micro', district: `区${i % 12}`, lon: 117 + i / 1000, lat: 29 })
    if (r.status !== 201) throw new Error(r.text)
    const d = await admin.post('/api/v1/monitor/devices', { station_id: r.json.id, mn: `BENCH${String(i).padStart(6, '0')}`, pw: '123456' })
    if (d.status !== 201) throw new Error(d.text)
  }
  await new Promise((r) => setTimeout(r, 2500)) // the other node reloads the registry within 2 s
  // the demo's devices split over the two nodes: each simulator sends a day of history for all
  const outs = await Promise.all(nodes.map((n) => simulate(db, n.port)))
  let nodeValues = 0
  const acks = []
  for (const o of outs) {
    const m = /([\d.]+) s, \d+ frames, (\d+) values/.exec(o)
    if (m) nodeValues += Number(m[2])
    const l = /ack latency p50 (-?\d+) ms p99 (-?\d+) ms/.exec(o)
    if (l) acks.push(`p50 ${l[1]} ms, p99 ${l[2]} ms`)
  }
  for (const n of nodes) n.p.kill('SIGTERM')
  await Promise.all(nodes.map((n) => new Promise((r) => n.p.once('exit', r))))
  const nodeRate = nodeValues / SECONDS
  // ClickHouse's own insert of the same rows (one TSV body through the Distributed table)
  const rows = await chQuery(c.urls[0], `SELECT station, factor, kind, toUInt32(ts), value, vmin, vmax, cou, has, flag, qual, valid, flagok, device, toUInt32(received), version FROM ${DB}.readings FORMAT TabSeparated`)
  const nrows = rows.split('\n').length - 1
  await chQuery(c.urls[0], `CREATE TABLE ${DB}.again_local AS ${DB}.readings_local`).catch(() => {})
  await chQuery(c.urls[1], `CREATE TABLE ${DB}.again_local AS ${DB}.readings_local`).catch(() => {})
  for (const u of c.urls) await chQuery(u, `CREATE TABLE ${DB}.again AS ${DB}.readings ENGINE = Distributed(${c.cluster}, ${DB}, again_local, station)`).catch(() => {})
  const auth = 'Basic ' + Buffer.from(`${c.user}:${c.password}`).toString('base64')
  const t0 = process.hrtime.bigint()
  const r = await fetch(`${c.urls[0]}/?insert_distributed_sync=1&query=${encodeURIComponent(`INSERT INTO ${DB}.again FORMAT TabSeparated`)}`, { method: 'POST', body: rows, headers: { authorization: auth } })
  if (r.status !== 200) throw new Error(await r.text())
  const chRate = nrows / (Number(process.hrtime.bigint() - t0) / 1e9)
  console.log(`ingest: ${nodeValues} values from ${DEVICES + 10} devices x 2 simulators through 2 nodes in ${SECONDS} s = ${Math.round(nodeRate)} values/s; ClickHouse's own insert of the same ${nrows} rows: ${Math.round(chRate)} rows/s; ratio nodes/ClickHouse ${(nodeRate / chRate).toFixed(3)}`)
  console.log(`ack latency per simulator: ${acks.join('; ') || 'not reported'}`)

  // a month of hour records for 1,000 stations, six factors, realistic walks with 1 decimal
  const month0 = Date.UTC(2026, 10, 1) / 1000
  const factors = ['a34004', 'a34002', 'a21026', 'a21004', 'a05024', 'a21005']
  let body = []
  let version = 1
  for (let s = 1; s <= 1000; s++) {
    const lines = []
    let walk = factors.map((_, i) => 20 + i * 7 + (s % 13))
    for (let h = 0; h < 720; h++) {
      const ts = month0 + h * 3600
      walk = walk.map((v, i) => Math.max(0.1, v + Math.sin((h + i) / 6) * 2 + ((s * 7919 + h * 104729 + i) % 21 - 10) / 10))
      factors.forEach((f, i) => {
        const v = Math.round(walk[i] * 10) / 10
        lines.push(`${100000 + s}\t${f}\t3\t${ts}\t${v}\t0\t0\t0\t1\tN\t0\t1\t1\t${s}\t${ts + 120}\t${version++}`)
      })
    }
    body.push(lines.join('\n'))
  }
  const t1 = process.hrtime.bigint()
  for (let k = 0; k < body.length; k += 25) {
    const chunk = body.slice(k, k + 25).join('\n') + '\n'
    const r2 = await fetch(`${c.urls[0]}/?insert_distributed_sync=1&query=${encodeURIComponent(`INSERT INTO ${DB}.readings (station, factor, kind, ts, value, vmin, vmax, cou, has, flag, qual, valid, flagok, device, received, version) FORMAT TabSeparated`)}`, { method: 'POST', body: chunk, headers: { authorization: auth } })
    if (r2.status !== 200) throw new Error(await r2.text())
  }
  body = null
  const monthRows = 1000 * 720 * factors.length
  console.log(`month load: ${monthRows} values (1,000 stations x 720 hours x 6 factors) in ${(Number(process.hrtime.bigint() - t1) / 1e9).toFixed(2)} s`)
  const ranking = `SELECT station, avg(v) AS a FROM (SELECT station, ts, argMax(value, version) AS v, argMax(valid, version) AS vd FROM ${DB}.readings WHERE station > 100000 AND factor = 'a34004' AND kind = 3 AND ts >= toDateTime(${month0}) AND ts < toDateTime(${month0 + 30 * 86400}) GROUP BY station, ts) WHERE vd = 1 GROUP BY station ORDER BY a DESC LIMIT 1000 FORMAT TabSeparated`
  const times = []
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint()
    const out = await chQuery(c.urls[0], ranking)
    times.push(Number(process.hrtime.bigint() - t) / 1e6)
    if (out.split('\n').length !== 1001) throw new Error('ranking: expected 1,000 stations')
  }
  console.log(`ranking: a month's PM2.5 mean of 1,000 stations ranked (argMax per key, through the Distributed table): median ${median(times).toFixed(0)} ms of 5`)
  // the province view's AQI days (src/modules/monitor/store_readings_ch_query.c, rch_air_chunk:
  // the same SQL): per station and Beijing day each pollutant's valid hours counted and summed
  // in thousandths, O3's hours as one array; one row per station-day comes back
  const codes = ['a21026', 'a21004', 'a21005', 'a05024', 'a34002', 'a34004']
  // 250 stations a query, as the C code chunks them (RCH_AIR_CHUNK)
  const airDays = (ids) => `SELECT station, d${codes.map((_, i) => `, countIf(f = ${i + 1}), sumIf(m, f = ${i + 1})`).join('')}, groupArrayIf(m * 32 + h, f = 4) FROM (SELECT station, f, intDiv(t + 28800, 86400) AS d, intDiv((t + 28800) % 86400, 3600) AS h, toInt64(floor(v * 1000 + 0.5)) AS m FROM (SELECT station, indexOf([${codes.map((f) => `'${f}'`).join(', ')}], factor) AS f, toUInt32(ts) AS t, argMax(if(valid = 1, value, -1.0), version) AS v FROM ${DB}.readings WHERE kind = 3 AND factor IN (${codes.map((f) => `'${f}'`).join(', ')}) AND station IN (${ids.join(',')}) AND ts >= toDateTime(${month0 - 28800}) AND ts < toDateTime(${month0 - 28800 + 30 * 86400}) GROUP BY station, f, t) WHERE v >= 0 AND v <= 1000000.0) GROUP BY station, d ORDER BY station, d FORMAT TabSeparated`
  const airTimes = []
  let airRows = 0
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint()
    airRows = 0
    for (let k = 0; k < 1000; k += 250) {
      const out = await chQuery(c.urls[0], airDays(Array.from({ length: 250 }, (_, i) => 100001 + k + i)))
      airRows += out.trim().split('\n').length
    }
    airTimes.push(Number(process.hrtime.bigint() - t) / 1e6)
    if (airRows < 29000) throw new Error(`air days: expected ~30,000 station-days, got ${airRows}`)
  }
  console.log(`province AQI: a month's six-pollutant days of 1,000 stations (${airRows} station-days back in 4 queries of 250 stations, argMax per key, through the Distributed table): median ${median(airTimes).toFixed(0)} ms of 5, against the PM2.5 ranking's ${median(times).toFixed(0)} ms in the same run (ratio ${(median(airTimes) / median(times)).toFixed(2)})`)
  for (const u of c.urls) await chQuery(u, `OPTIMIZE TABLE ${DB}.readings_local FINAL`)
  let bytes = 0, stored = 0
  for (const u of c.urls) {
    const [b, n] = (await chQuery(u, `SELECT sum(data_compressed_bytes), sum(rows) FROM system.parts WHERE database = '${DB}' AND table = 'readings_local' AND active FORMAT TabSeparated`)).trim().split('\t').map(Number)
    bytes += b
    stored += n
  }
  const version18 = (await chQuery(c.urls[0], 'SELECT version()')).trim()
  console.log(`storage: ${stored} stored values in ${bytes} bytes compressed = ${(bytes / stored).toFixed(2)} bytes/value (ClickHouse ${version18}, LZ4, no codecs)`)
} finally {
  await c.stop()
  rmSync(dir, { recursive: true, force: true })
}
