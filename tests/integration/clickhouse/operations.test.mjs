// Operations on the ClickHouse store (issue 12): `ecogov serve` refuses to start, saying why,
// when the cluster is misconfigured (a wrong cluster name, tables not made, a wrong password, an
// unknown backend); raw frames past hj212_raw_days are dropped; `ecogov readings copy --from sqlite --to clickhouse` moves a city's records
// up, shows its progress, resumes after a failure, and the node on ClickHouse then answers what
// the node on SQLite answered.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { existsSync, readFileSync } from 'node:fs'
import { demoDb, startServer, Client, ecogov } from '../lib.mjs'
import { frame, bj, Peer } from '../hj212peer.mjs'
import { startCluster, unavailable, chFlags } from './lib_clickhouse.mjs'

const why = unavailable()
let c, env

before(async () => {
  if (why) return
  c = await startCluster()
  env = demoDb({ enterprises: 3 })
})

after(async () => {
  env?.cleanup()
  if (c) await c.stop()
})

async function refused(flags) {
  try {
    const s = await startServer(env.db, flags)
    await s.stop()
    return null
  } catch (e) {
    return e.message
  }
}

test('serve refuses a misconfigured cluster with a clear message', { skip: why || false }, async () => {
  const r = ecogov(['migrate', `--db=${env.db}`, ...chFlags(c, 'eco_ops')])
  assert.equal(r.status, 0, r.stderr)
  let m = await refused(chFlags(c, 'eco_ops').map((f) => f.startsWith('--clickhouse-cluster=') ? '--clickhouse-cluster=nosuch' : f))
  assert.match(m, /does not know the cluster 'nosuch'/)
  m = await refused(chFlags(c, 'eco_never_migrated'))
  assert.match(m, /lacks the tables of database 'eco_never_migrated'.*ecogov migrate/)
  m = await refused(chFlags(c, 'eco_ops').map((f) => f.startsWith('--clickhouse-password=') ? '--clickhouse-password=wrong' : f))
  assert.match(m, /readings_backend=clickhouse: .*(password|Password)/)
  m = await refused(['--readings-backend=cassandra'])
  assert.match(m, /readings_backend must be sqlite or clickhouse/)
  m = await refused(chFlags(c, 'eco_ops', [c.urls[0]]))
  assert.match(m, /lists 1 servers but cluster 'ecogov_cluster' has 2/)
  m = await refused(chFlags(c, 'eco_ops; DROP DATABASE x'))
  assert.match(m, /must be 1-63 letters, digits or _/)
  // and it starts when all is right
  assert.equal(await refused(chFlags(c, 'eco_ops')), null)
})

test('readings copy moves a city up, resumes after a failure, and the answers stay the same', { skip: why || false }, async () => {
  const PW = '445566'
  let server = await startServer(env.db, ['--hj212-rate=0', '--hj212-gap-interval=0'])
  const port = Number(/hj212 listening on 127\.0\.0\.1:(\d+)/.exec(server.output())[1])
  let admin = await Client.as(server.url, 'admin')
  const stations = []
  for (let i = 0; i < 6; i++) {
    let r = await admin.post('/api/v1/monitor/stations', { code: `IT-CP${i}`, name: `迁移站${i}`, kind: 'micro', district: '珠山区', lon: 117.2, lat: 29.3 })
    assert.equal(r.status, 201, r.text)
    stations.push(r.json.id)
    r = await admin.post('/api/v1/monitor/devices', { station_id: r.json.id, mn: `IT-COPY-${i}`, pw: PW })
    assert.equal(r.status, 201, r.text)
  }
  const now = Math.floor(Date.now() / 1000)
  const t0 = now - (now % 3600) - 86400
  const sock = net.connect(port, '127.0.0.1')
  const dev = new Peer(sock)
  await new Promise((r) => sock.once('connect', r))
  let q = 0
  for (let i = 0; i < 6; i++)
    for (let m = 0; m < 30; m++) {
      const qn = '20261205100000' + String(++q).padStart(3, '0')
      sock.write(frame(`QN=${qn};ST=22;CN=2051;PW=${PW};MN=IT-COPY-${i};Flag=5;CP=&&DataTime=${bj(t0 + m * 600)};a34004-Avg=${i + m / 4},a34004-Flag=${m % 9 === 4 ? 'D' : 'N'};a05024-Avg=${m * 3},a05024-Flag=N&&`))
      await dev.waitFor((f) => f.includes('CN=9014') && f.includes(qn))
    }
  sock.destroy()
  const paths = stations.flatMap((s) => [
    `/api/v1/monitor/stations/${s}/series?factor=a34004&kind=minute&from=${t0}&to=${t0 + 86400}`,
    `/api/v1/monitor/stations/${s}/series?factor=a05024&kind=minute&from=${t0}&to=${t0 + 86400}`,
    `/api/v1/monitor/stations/${s}/rollups?factor=a34004&kind=hour&from=${t0}&to=${t0 + 86400}`,
    `/api/v1/monitor/stations/${s}/latest?kind=minute`,
  ])
  const want = []
  // the SQLite store writes its rollups up to a second after the records: wait until every
  // station's hour rollups count its 30 records
  const counted = async (s) => (await admin.get(`/api/v1/monitor/stations/${s}/rollups?factor=a34004&kind=hour&from=${t0}&to=${t0 + 86400}`)).json.items.reduce((n, x) => n + x.n, 0)
  for (const s of stations) {
    const deadline = Date.now() + 20000
    while ((await counted(s)) !== 30) {
      assert.ok(Date.now() < deadline, `station ${s}: rollups not written`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  for (const p of paths) want.push((await admin.get(p)).json)
  await server.stop()

  const flags = chFlags(c, 'eco_copy')
  assert.equal(ecogov(['migrate', `--db=${env.db}`, ...flags]).status, 0)
  // shard 2 down: the copy stops at the first batch with one of its stations, saying so
  await c.stopShard(1)
  let r = ecogov(['readings', 'copy', '--from', 'sqlite', '--to', 'clickhouse', '--batch=5', `--db=${env.db}`, ...flags])
  assert.equal(r.status, 1, r.stdout + r.stderr)
  assert.match(r.stderr, /copy stopped: .*run again to resume/)
  await c.startShard(1)
  r = ecogov(['readings', 'copy', '--from', 'sqlite', '--to', 'clickhouse', '--batch=5', `--db=${env.db}`, ...flags])
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stdout, /copied \d+ of \d+ records \(100\.0%\)/)
  assert.match(r.stdout, /done: \d+ values sent/)
  assert.ok(existsSync(env.db + '.copy-progress'))
  assert.match(readFileSync(env.db + '.copy-progress', 'utf8'), /^\d+ \d+ \d+\n$/)
  // the same answers from a node on the cluster
  // raw frames older than hj212_raw_days (30) go, whole days at a time; recent ones stay
  const old = now - 40 * 86400, recent = now - 86400
  await c.query(`INSERT INTO eco_copy.frames (id, station, received, mn, frame) VALUES (1, ${stations[0]}, ${old}, 'OLD', 'x'), (2, ${stations[0]}, ${recent}, 'RECENT', 'y')`)
  server = await startServer(env.db, ['--hj212-rate=0', '--hj212-gap-interval=0', ...flags])
  const kept = async () => (await c.query("SELECT mn FROM eco_copy.frames WHERE mn IN ('OLD', 'RECENT') ORDER BY mn FORMAT TabSeparated")).trim()
  for (let i = 0; i < 100 && (await kept()) !== 'RECENT'; i++) await new Promise((r) => setTimeout(r, 200))
  assert.equal(await kept(), 'RECENT')
  admin = await Client.as(server.url, 'admin')
  for (let i = 0; i < paths.length; i++) assert.deepEqual((await admin.get(paths[i])).json, want[i], paths[i])
  assert.equal(want[0].items.length, 30)
  // a record sent again now, through the node on the cluster, replaces the copied one (versions
  // are wall-clock times: later wins across nodes, runs and the copy)
  const port2 = Number(/hj212 listening on 127\.0\.0\.1:(\d+)/.exec(server.output())[1])
  const s2 = net.connect(port2, '127.0.0.1')
  const dev2 = new Peer(s2)
  await new Promise((r) => s2.once('connect', r))
  s2.write(frame(`QN=20261205109999999;ST=22;CN=2051;PW=${PW};MN=IT-COPY-0;Flag=5;CP=&&DataTime=${bj(t0)};a34004-Avg=77.5,a34004-Flag=N&&`))
  await dev2.waitFor((f) => f.includes('CN=9014') && f.includes('20261205109999999'))
  s2.destroy()
  const after = (await admin.get(paths[0])).json
  assert.equal(after.items[0].value, 77.5)
  assert.equal(after.items.length, 30)
  await server.stop()
})
