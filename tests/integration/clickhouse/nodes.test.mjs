// Ingest nodes on several hosts (issue 12, docs/scale.md "Many ingest nodes"): a central node
// and an ingest node with separate SQLite files (two hosts, simulated) on one two-shard
// cluster. A device registered through the central node's API is taken by the ingest node
// once the published registry reaches it; a device sends to the ingest node, reconnects to
// the central node, and every acknowledged value is on the cluster once and read back
// through the central node's API; what the ingest node's writer records besides readings
// (the device's last contact and counters, a refused MN) reaches the central node's database;
// an MN the registry does not know is refused by the ingest node with the protocol's code.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { demoDb, startServer, Client, ecogov } from '../lib.mjs'
import { frame, bj, Peer, poll, sleep } from '../hj212peer.mjs'
import { startCluster, unavailable, chFlags } from './lib_clickhouse.mjs'

const why = unavailable()
const DB = 'eco_nodes'
const PW = '135790'
const MN = 'IT-NODES-1'
const EDGE = ['--node-role=ingest', '--node-name=edge-1', '--hj212-unknown-budget=1000', '--hj212-gap-interval=0', '--hj212-clock-check=0']
let c, central, edge, edgeDir, admin, flags, station

/** c.query, tried again once when the connection fails: undici reuses a keep-alive socket the
 * server may have closed meanwhile ("fetch failed"), which says nothing about ecogov. */
async function q(sql, i) {
  try {
    return await c.query(sql, i)
  } catch (e) {
    if (!/fetch failed/.test(e.message)) throw e
    return c.query(sql, i)
  }
}

function hj212Port(server) {
  return Number(/hj212 listening on 127\.0\.0\.1:(\d+)/.exec(server.output())[1])
}

before(async () => {
  if (why) return
  c = await startCluster()
  flags = chFlags(c, DB)
  central = { env: demoDb({ enterprises: 3 }) }
  let r = ecogov(['migrate', `--db=${central.env.db}`, ...flags])
  assert.equal(r.status, 0, r.stderr)
  // an ingest node's outbox rows of January 2020, long applied elsewhere: the central node
  // applies them (each once), then drops the month from the cluster
  const seen = '{"d":0,"t":0,"a":"","f":1,"c":0,"r":0}'
  await q(`INSERT INTO ${DB}.outbox_local (node, seq, created, kind, body) VALUES ('edge-old', 1, '2020-01-15 00:00:00', 'seen', '${seen}'), ('edge-old', 2, '2020-01-16 00:00:00', 'seen', '${seen}')`)
  // and a row of February 2020 the central database refuses (a reason it does not know): never
  // applied, so its month stays
  await q(`INSERT INTO ${DB}.outbox_local (node, seq, created, kind, body) VALUES ('edge-stuck', 1, '2020-02-15 00:00:00', 'unregistered', '{"mn":"X","reason":"bogus","ts":0,"addr":"","st":"","cn":0,"pw":"","sample":"","count":1}')`)
  // a request published in January 2020: long past taking, its month is dropped
  await q(`INSERT INTO ${DB}.commands_local (node, id, created, device, qn, cn, frame) VALUES ('edge-old', 1, '2020-01-15 00:00:00', 1, '20200115000000000', 1011, 'x')`)
  central.server = await startServer(central.env.db, ['--hj212-rate=0', '--hj212-gap-interval=0', ...flags])
  admin = await Client.as(central.server.url, 'admin')
  // the other host: its own database, made by migrate alone (no users, no registry)
  edgeDir = mkdtempSync(path.join(tmpdir(), 'ecogov-edge-'))
  edge = { db: path.join(edgeDir, 'edge.db') }
  r = ecogov(['migrate', `--db=${edge.db}`, ...flags, ...EDGE])
  assert.equal(r.status, 0, r.stderr)
  // the central node publishes the registry on start
  await poll(async () => Number(await q(`SELECT max(version) FROM ${DB}.registry`)) > 0, 20000, 'registry published')
  edge.server = await startServer(edge.db, ['--hj212-rate=0', ...flags, ...EDGE])
})

after(async () => {
  if (process.env.NODES_DEBUG) for (const [n, s] of [['edge', edge?.server], ['central', central?.server]]) if (s) writeFileSync(`/tmp/nodes-${n}.log`, s.output())
  for (const s of [edge?.server, central?.server]) if (s) await s.stop()
  central?.env.cleanup()
  if (edgeDir) rmSync(edgeDir, { recursive: true, force: true })
  if (c) await c.stop()
})

/** Opens a connection to port; {sock, dev}. */
async function connect(port) {
  const sock = net.connect(port, '127.0.0.1')
  const dev = new Peer(sock)
  const closed = new Promise((r) => sock.once('close', r))
  await new Promise((r) => sock.once('connect', r))
  return { sock, dev, closed }
}

function upload(mn, q, ts, value) {
  return frame(`QN=${q};ST=22;CN=2051;PW=${PW};MN=${mn};Flag=5;CP=&&DataTime=${bj(ts)};a34004-Avg=${value},a34004-Flag=N&&`)
}

/** Sends minute records i0..i0+n-1 over one connection to port, each after the previous one's
 * 9014; returns the acknowledged {ts, value}. */
async function send(port, t0, i0, n, round) {
  const { sock, dev } = await connect(port)
  const acked = []
  for (let i = i0; i < i0 + n; i++) {
    const q = `20261205${String(round).padStart(2, '0')}${String(i).padStart(9, '0')}`
    const ts = t0 + i * 60
    const value = round * 1000 + i + 0.25
    sock.write(upload(MN, q, ts, value))
    await dev.waitFor((f) => f.includes('CN=9014') && f.includes(q), 30000)
    acked.push({ ts, value })
  }
  sock.destroy()
  return acked
}

test('an ingest node with its own database refuses a wrong role, name or backend, saying why', { skip: why || false }, () => {
  const serve = (db, extra) => ecogov(['serve', `--db=${db}`, '--http-port=0', '--listen=127.0.0.1', '--web-root=web/dist', '--hj212-port=0', ...extra], { timeout: 30000 })
  let r = serve(edge.db, ['--node-role=ingest', '--node-name=edge-1'])
  assert.notEqual(r.status, 0)
  assert.match(r.stderr, /node_role=ingest needs readings_backend=clickhouse/)
  r = serve(edge.db, [...flags, '--node-role=ingest'])
  assert.match(r.stderr, /node_role=ingest needs node_name: 1 to 32 letters/)
  r = serve(edge.db, [...flags, '--node-role=ingest', '--node-name=edge 1; DROP'])
  assert.match(r.stderr, /needs node_name.*got 'edge 1; DROP'/)
  r = serve(edge.db, [...flags, '--node-role=edge'])
  assert.match(r.stderr, /node_role must be central or ingest, not 'edge'/)
  r = serve(edge.db, [...flags, '--node-name=edge-1'])
  assert.match(r.stderr, /node_name names an ingest node/)
  r = serve(edge.db, [...flags, ...EDGE, '--hj212-port=-1'])
  assert.match(r.stderr, /node_role=ingest takes devices: hj212_port must not be -1/)
  // a cluster the central node never published a registry to
  const empty = chFlags(c, 'eco_nodes_empty')
  r = ecogov(['migrate', `--db=${edge.db}`, ...empty, ...EDGE])
  assert.equal(r.status, 0, r.stderr)
  r = serve(edge.db, [...empty, ...EDGE])
  assert.match(r.stderr, /the cluster holds no registry yet: start the central node/)
})

test('a device registered at the central node is taken by the ingest node, and refused before', { skip: why || false }, async () => {
  const edgePort = hj212Port(edge.server)
  // unknown to the registry: a request gets QnRtn 4 (MN error), an upload no 9014; closed
  const unknown = await connect(edgePort)
  unknown.sock.write(frame(`QN=20261205000000001;ST=22;CN=1013;PW=${PW};MN=IT-NODES-NOBODY;Flag=5;CP=&&&&`))
  const reply = await unknown.dev.waitFor((f) => f.includes('CN=9011'), 10000)
  assert.match(reply, /QnRtn=4/)
  await unknown.closed
  const t0 = Math.floor(Date.now() / 1000 / 60) * 60 - 86400
  const early = await connect(edgePort)
  early.sock.write(upload(MN, '20261205990000001', t0, 1))
  await early.closed
  assert.ok(!early.dev.frames.some((f) => f.includes('CN=9014')), 'no ack for an MN the node does not know')

  let r = await admin.post('/api/v1/monitor/stations', { code: 'IT-NODES-S1', name: '多节点站', kind: 'micro', district: '珠山区', lon: 117.2, lat: 29.3 })
  assert.equal(r.status, 201, r.text)
  station = r.json.id
  r = await admin.post('/api/v1/monitor/devices', { station_id: station, mn: MN, pw: PW })
  assert.equal(r.status, 201, r.text)
  // the ingest node takes it once the publication reaches it (a couple of seconds)
  await poll(async () => {
    const { sock, dev, closed } = await connect(edgePort)
    sock.write(upload(MN, '20261205990000002', t0, 1.25))
    const ok = await Promise.race([dev.waitFor((f) => f.includes('CN=9014'), 10000).then(() => true), closed.then(() => false)])
    sock.destroy()
    return ok
  }, 20000, 'the ingest node knows the new device')

  // sends to the ingest node, reconnects to the central node, resends a few to the ingest node
  const acked = [{ ts: t0, value: 1.25 }]
  acked.push(...await send(edgePort, t0, 1, 30, 1))
  acked.push(...await send(hj212Port(central.server), t0, 31, 30, 2))
  acked.push(...await send(edgePort, t0, 25, 10, 3)) // records 25..34 again, new values
  const want = new Map()
  for (const a of acked) want.set(a.ts, a.value) // the later ack of a key wins
  // read back through the central node's API: every acknowledged value, once
  const items = await poll(async () => {
    const s = await admin.get(`/api/v1/monitor/stations/${station}/series?factor=a34004&kind=minute&from=${t0 - 60}&to=${t0 + 7200}&limit=1000`)
    assert.equal(s.status, 200, s.text)
    return s.json.items.length === want.size && s.json.items
  }, 20000, 'the series at the central node')
  const seen = new Map(items.map((i) => [i.ts, i.value]))
  assert.equal(seen.size, items.length, 'one value a minute')
  for (const [ts, v] of want) assert.equal(seen.get(ts), v, `acknowledged ${ts} = ${v}`)
  // stored once: the rows of each key collapse to one (FINAL merges at read time; an OPTIMIZE
  // may return before its merge is done)
  const stored = await Promise.all([0, 1].map((i) => q(`SELECT count() FROM ${DB}.readings_local FINAL WHERE station = ${station} AND kind = 2 FORMAT TabSeparated`, i)))
  assert.equal(stored.map(Number).reduce((a, b) => a + b), want.size, 'every value stored once')

  // what the ingest node's writer recorded besides readings reached the central database
  const st = await poll(async () => {
    const s = await admin.get(`/api/v1/monitor/stations/${station}`)
    return s.json.last_seen && s.json
  }, 20000, 'the station\'s last contact at the central node')
  assert.ok(st.last_seen > 0)
  const dev = await poll(async () => {
    const d = (await admin.get(`/api/v1/monitor/stations/${station}`)).json.device_list[0]
    return d && d.frames >= 71 && d
  }, 20000, 'the device counters of both nodes')
  assert.ok(dev.frames >= 71, JSON.stringify(dev))
  const refused = await poll(async () => {
    const u = await admin.get('/api/v1/monitor/unregistered?limit=1000')
    return u.json.items.find((i) => i.mn === 'IT-NODES-NOBODY')
  }, 20000, 'the refused MN listed at the central node')
  assert.equal(refused.reason, 'unknown_mn')
  const status = (await admin.get('/api/v1/monitor/status')).json.store
  assert.equal(status.node.role, 'central')
  assert.ok(status.node.outbox_rows_applied > 0, JSON.stringify(status.node))
})

test('an exceedance sent to the ingest node raises the alarm at the central node', { skip: why || false }, async () => {
  const GAS = 'IT-NODES-GAS'
  const ent = (await admin.get('/api/v1/enterprises?limit=1')).json.items[0].id
  let r = await admin.post('/api/v1/monitor/stations', { code: 'IT-NODES-DA1', name: '多节点排口', kind: 'source_gas', enterprise_id: ent, min_interval: 10 })
  assert.equal(r.status, 201, r.text)
  assert.equal((await admin.post('/api/v1/monitor/devices', { station_id: r.json.id, mn: GAS, pw: PW })).status, 201)
  // SO2 permitted 100 mg/m³ at 9 % O2: 80 measured at 15 % O2 is 160 折算, over the limit
  r = await admin.post('/api/v1/quality/source-limits', { enterprise_id: ent, outlet: 'IT-NODES-DA1', factor: 'so2', limit: 100, o2_ref: 9 })
  assert.equal(r.status, 201, r.text)
  const hour = Math.floor(Date.now() / 3600e3) * 3600 - 3 * 3600
  const edgePort = hj212Port(edge.server)
  let m = 0
  const record = (i) => frame(`QN=202612051${String(++m).padStart(8, '0')};ST=31;CN=2051;PW=${PW};MN=${GAS};Flag=5;CP=&&DataTime=${bj(hour + i * 600)};a21026-Avg=80,a21026-Flag=N;a19001-Avg=15,a19001-Flag=N&&`)
  // the six ten-minute records of the hour, to the ingest node once it knows the device
  await poll(async () => {
    const { sock, dev, closed } = await connect(edgePort)
    const q = `QN=202612051${String(m + 1).padStart(8, '0')}`
    sock.write(record(0))
    const ok = await Promise.race([dev.waitFor((f) => f.includes('CN=9014') && f.includes(q), 10000).then(() => true), closed.then(() => false)])
    if (ok) {
      for (let i = 1; i < 6; i++) {
        const qi = `QN=202612051${String(m + 1).padStart(8, '0')}`
        sock.write(record(i))
        await dev.waitFor((f) => f.includes('CN=9014') && f.includes(qi), 30000)
      }
    }
    sock.destroy()
    return ok
  }, 20000, 'the ingest node takes the CEMS device')
  const alarm = await poll(async () => {
    const run = await admin.post('/api/v1/quality/feed/run', {})
    assert.equal(run.status, 200, run.text)
    const a = await admin.get('/api/v1/quality/alarms?limit=100')
    return a.json.items.find((x) => x.kind === 'source' && x.enterprise_id === ent && x.outlet === 'IT-NODES-DA1')
  }, 20000, 'the alarm at the central node')
  assert.equal(alarm.factor, 'so2')
  assert.equal(alarm.value, 160)
})

test('the outbox months the central node applied are dropped from the cluster', { skip: why || false }, async () => {
  const left = () => q(`SELECT count() FROM ${DB}.outbox WHERE toYYYYMM(created) = 202001`).then(Number)
  await poll(async () => (await left()) === 0, 90000, 'January 2020 dropped')
  assert.equal(Number(await q(`SELECT count() FROM ${DB}.outbox WHERE toYYYYMM(created) = 202002`)), 1, 'a month with a row not applied stays')
  await poll(async () => Number(await q(`SELECT count() FROM ${DB}.commands WHERE toYYYYMM(created) = 202001`)) === 0, 30000, 'the requests of January 2020 dropped')
  // this month's rows stay: the ingest node's counters of the tests above
  assert.ok(Number(await q(`SELECT count() FROM ${DB}.outbox WHERE node = 'edge-1'`)) > 0)
  const status = (await admin.get('/api/v1/monitor/status')).json.store
  assert.ok(status.node.outbox_rows_applied >= 2)
})

test('a registry change reaches the servers that answer while one is down, and that one after', { skip: why || false }, async () => {
  const inRegistry = (i) => q(`SELECT count() FROM ${DB}.registry WHERE mn = 'IT-NODES-LATE'`, i).then(Number)
  await c.stopShard(0)
  try {
    let r = await admin.post('/api/v1/monitor/stations', { code: 'IT-NODES-S2', name: '多节点站二', kind: 'micro', district: '珠山区', lon: 117.2, lat: 29.3 })
    assert.equal(r.status, 201, r.text)
    r = await admin.post('/api/v1/monitor/devices', { station_id: r.json.id, mn: 'IT-NODES-LATE', pw: PW })
    assert.equal(r.status, 201, r.text)
    await poll(async () => (await inRegistry(1)) > 0, 20000, 'published to the server that answers')
  } finally {
    await c.startShard(0)
  }
  await poll(async () => (await inRegistry(0)) > 0, 20000, 'published to the server back up')
})

/** An upstream platform: takes forwarded frames, answers 9014 to those that ask. */
async function upstream() {
  const up = { got: [], socks: [] }
  up.server = net.createServer((sock) => {
    up.socks.push(sock)
    const p = new Peer(sock)
    p.onFrame = (f) => {
      up.got.push(f)
      const m = /QN=(\d+)/.exec(f)
      const mn = /MN=([^;]+)/.exec(f)
      if (m && mn && /Flag=5/.test(f)) sock.write(frame(`QN=${m[1]};ST=91;CN=9014;PW=123456;MN=${mn[1]};Flag=4;CP=&&&&`))
    }
  })
  await new Promise((r) => up.server.listen(0, '127.0.0.1', r))
  up.port = up.server.address().port
  up.stop = async () => {
    for (const x of up.socks) x.destroy()
    await new Promise((r) => up.server.close(r))
  }
  return up
}

test('frames taken by the ingest node are forwarded upstream through the central node\'s queue', { skip: why || false }, async () => {
  const up = await upstream()
  try {
    const r = await admin.post('/api/v1/monitor/forward-targets', { name: '省级平台', host: '127.0.0.1', port: up.port })
    assert.equal(r.status, 201, r.text)
    const edgePort = hj212Port(edge.server)
    const t0 = Math.floor(Date.now() / 1000 / 60) * 60 - 2 * 86400
    const qn = (i) => `2026120505${String(i).padStart(9, '0')}`
    // the ingest node forwards once the publication saying so reached it (frames it took
    // before are not forwarded, as on the central node before its writer sees the target)
    let i = 0
    await poll(async () => {
      await send(edgePort, t0, i++, 1, 5)
      await sleep(200)
      return up.got.some((f) => f.includes('QN=2026120505'))
    }, 30000, 'the first frame forwarded')
    // then every frame it acknowledges, in order
    await send(edgePort, t0, 100, 5, 5)
    await poll(async () => [100, 101, 102, 103, 104].every((n) => up.got.some((f) => f.includes(`QN=${qn(n)}`))), 20000, 'the batch forwarded')
    const order = [100, 101, 102, 103, 104].map((n) => up.got.findIndex((f) => f.includes(`QN=${qn(n)}`)))
    assert.deepEqual(order, [...order].sort((a, b) => a - b))
    // byte for byte as the device sent it
    const sent = upload(MN, qn(100), t0 + 100 * 60, 5000 + 100 + 0.25).toString('latin1')
    assert.ok(up.got.includes(sent.slice(0, -2)), 'the frame as sent')
  } finally {
    await up.stop()
  }
})

test('a command made at the central node reaches the device on the ingest node once, and its result comes back', { skip: why || false }, async () => {
  const CMD = 'IT-NODES-CMD'
  let r = await admin.post('/api/v1/monitor/stations', { code: 'IT-NODES-S3', name: '多节点站三', kind: 'micro', district: '珠山区', lon: 117.2, lat: 29.3 })
  assert.equal(r.status, 201, r.text)
  const sid = r.json.id
  assert.equal((await admin.post('/api/v1/monitor/devices', { station_id: sid, mn: CMD, pw: PW })).status, 201)
  const hello = (q, ts) => frame(`QN=${q};ST=22;CN=2051;PW=${PW};MN=${CMD};Flag=5;CP=&&DataTime=${bj(ts)};a34004-Avg=7,a34004-Flag=N&&`)
  const t0 = Math.floor(Date.now() / 1000 / 60) * 60 - 3 * 86400
  // the device is on both nodes at once: first the central node, then (a later second) the
  // ingest node, which is then where requests to it go
  const onCentral = await connect(hj212Port(central.server))
  onCentral.sock.write(hello('20261205070000001', t0))
  await onCentral.dev.waitFor((f) => f.includes('CN=9014'), 30000)
  await sleep(1100)
  const onEdge = await poll(async () => {
    const x = await connect(hj212Port(edge.server))
    x.sock.write(hello('20261205070000002', t0 + 60))
    const ok = await Promise.race([x.dev.waitFor((f) => f.includes('CN=9014'), 10000).then(() => true), x.closed.then(() => false)])
    if (!ok) x.sock.destroy()
    return ok && x
  }, 20000, 'the ingest node takes the device')
  await poll(async () => (await admin.get(`/api/v1/monitor/stations/${sid}`)).json.device_list[0].last_node === 'edge-1', 20000, 'the central node knows the device is on edge-1')

  // a back-fill asked through the central node's API
  r = await admin.post(`/api/v1/monitor/stations/${sid}/commands`, { cn: 2061, begin: '20260103000000', end: '20260103020000' })
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.node, 'edge-1')
  const req = await onEdge.dev.waitFor((f) => f.includes('CN=2061') && f.includes(`QN=${r.json.qn}`), 30000)
  assert.match(req, new RegExp(`MN=${CMD};`))
  assert.match(req, /BeginTime=20260103000000/)
  onEdge.sock.write(frame(`QN=${r.json.qn};ST=91;CN=9011;PW=${PW};MN=${CMD};Flag=4;CP=&&QnRtn=1&&`))
  for (const h of ['00', '01']) onEdge.sock.write(frame(`QN=${r.json.qn};ST=22;CN=2061;PW=${PW};MN=${CMD};Flag=4;CP=&&DataTime=20260103${h}0000;a34004-Avg=4${h},a34004-Flag=N&&`))
  onEdge.sock.write(frame(`QN=${r.json.qn};ST=91;CN=9012;PW=${PW};MN=${CMD};Flag=4;CP=&&ExeRtn=1&&`))
  // the result at the central node's API: each step once
  const cmd = await poll(async () => {
    const c = await admin.get(`/api/v1/monitor/stations/${sid}/commands`)
    const x = c.json.items.find((i) => i.id === r.json.id)
    return x && x.status === 'done' ? x : null
  }, 30000, 'the command done at the central node')
  assert.equal(cmd.qn_rtn, 1)
  assert.equal(cmd.exe_rtn, 1)
  assert.equal(cmd.tries, 1)
  // the request sent, the device's 9011 and 9012 (its history data are readings)
  assert.deepEqual(cmd.exchange.map((e) => e.dir), ['out', 'in', 'in'], JSON.stringify(cmd.exchange))
  assert.match(cmd.exchange[0].frame, /CN=2061/)
  assert.match(cmd.exchange[1].frame, /CN=9011/)
  assert.match(cmd.exchange[2].frame, /CN=9012/)
  // the back-filled hours read back through the central node
  const s = await poll(async () => {
    const x = await admin.get(`/api/v1/monitor/stations/${sid}/series?factor=a34004&kind=hour&from=2026-01-03&to=2026-01-04`)
    return x.json.items.length === 2 && x.json.items
  }, 20000, 'the back-filled hours')
  assert.deepEqual(s.map((i) => i.value), [400, 401])
  // delivered once: by the node the device was last seen on, never by the central node too
  assert.equal(onEdge.dev.frames.filter((f) => f.includes(`QN=${r.json.qn}`) && f.includes('CN=2061')).length, 1)
  assert.ok(!onCentral.dev.frames.some((f) => f.includes('CN=2061')), 'the central node did not send it')
  const published = await q(`SELECT count() FROM ${DB}.commands WHERE id = ${r.json.id} AND node = 'edge-1'`)
  assert.ok(Number(published) >= 1)

  // heard again on the central node (a later second): the next request goes there, not to edge-1
  await sleep(1100)
  onCentral.sock.write(hello('20261205070000003', t0 + 120))
  await onCentral.dev.waitFor((f) => f.includes('CN=9014') && f.includes('20261205070000003'), 30000)
  await poll(async () => (await admin.get(`/api/v1/monitor/stations/${sid}`)).json.device_list[0].last_node === '', 20000, 'the central node knows the device is back')
  const ask = await admin.post(`/api/v1/monitor/stations/${sid}/commands`, { cn: 1011 })
  assert.equal(ask.status, 201, ask.text)
  assert.equal(ask.json.node, '')
  await onCentral.dev.waitFor((f) => f.includes('CN=1011') && f.includes(`QN=${ask.json.qn}`), 30000)
  onCentral.sock.write(frame(`QN=${ask.json.qn};ST=91;CN=9011;PW=${PW};MN=${CMD};Flag=4;CP=&&QnRtn=1&&`))
  await poll(async () => {
    const x = (await admin.get(`/api/v1/monitor/stations/${sid}/commands`)).json.items.find((i) => i.id === ask.json.id)
    return x && x.status === 'accepted'
  }, 20000, 'the 1011 accepted at the central node')
  assert.ok(!onEdge.dev.frames.some((f) => f.includes(`QN=${ask.json.qn}`)), 'edge-1 did not send it')
  assert.equal(Number(await q(`SELECT count() FROM ${DB}.commands WHERE id = ${ask.json.id}`)), 0, 'not published')
  onEdge.sock.destroy()
  onCentral.sock.destroy()
})
