// Device data beyond the intake: automatic gap detection with back-fill (a device with missing
// minute records is asked for them with 2051 BeginTime/EndTime, answers, and the records land
// marked back-filled) and store-and-forward to an upstream platform (frames accepted while the
// upstream is down are delivered in order once it is up, each acknowledged by its 9014).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { demoDb, startServer, Client } from '../lib.mjs'
import { frame, bj, qnMaker, Peer, poll } from '../hj212peer.mjs'

const qn = qnMaker('20260301000000')

let env, server, admin, port, upPort
const MN = 'IT-FLOW-0001'
const PW = '112233'

before(async () => {
  // A port for the upstream that nobody listens on yet: the upstream starts "down".
  const probe = net.createServer()
  await new Promise((r) => probe.listen(0, '127.0.0.1', r))
  upPort = probe.address().port
  await new Promise((r) => probe.close(r))
  env = demoDb({ enterprises: 5 })
  server = await startServer(env.db, ['--hj212-rate=0', '--hj212-gap-interval=1', `--hj212-forward=127.0.0.1:${upPort}`])
  port = Number(/hj212 listening on 127\.0\.0\.1:(\d+)/.exec(server.output())[1])
  admin = await Client.as(server.url, 'admin')
  let r = await admin.post('/api/v1/monitor/stations', { code: 'IT-F1', name: '补传测试站', kind: 'micro', district: '珠山区', lon: 117.2, lat: 29.3 })
  assert.equal(r.status, 201, r.text)
  env.station = r.json.id
  r = await admin.post('/api/v1/monitor/devices', { station_id: env.station, mn: MN, pw: PW })
  assert.equal(r.status, 201, r.text)
})

after(async () => {
  await server?.stop()
  env?.cleanup()
})

const record = (t, v, q = qn(), flag = 5) =>
  ({ q, bytes: frame(`QN=${q};ST=22;CN=2051;PW=${PW};MN=${MN};Flag=${flag};CP=&&DataTime=${bj(t)};a34004-Avg=${v},a34004-Flag=N&&`) })

test('store-and-forward and automatic back-fill of a minute gap', async () => {
  const dev = new Peer(net.connect(port, '127.0.0.1'))
  await new Promise((r) => dev.sock.once('connect', r))
  const now = Math.floor(Date.now() / 1000)
  const t0 = now - (now % 600) - 3600
  // Records at t0 and t0+30 min: t0+10 and t0+20 min are missing. The upstream is down.
  const sent = [record(t0, 11), record(t0 + 1800, 14)]
  for (const s of sent) dev.sock.write(s.bytes)
  for (const s of sent) await dev.waitFor((f) => f.includes('CN=9014') && f.includes(s.q))

  // The gap sweep asks for the missing range; the device answers like a real DAU.
  const req = await dev.waitFor((f) => f.includes('CN=2051') && f.includes('BeginTime='), 15000)
  assert.ok(req.includes(`BeginTime=${bj(t0 + 600)}`), req)
  assert.ok(req.includes(`EndTime=${bj(t0 + 1200)}`), req)
  const reqQn = /QN=(\d+)/.exec(req)[1]
  dev.sock.write(frame(`QN=${reqQn};ST=91;CN=9011;PW=${PW};MN=${MN};Flag=4;CP=&&QnRtn=1&&`))
  dev.sock.write(record(t0 + 600, 12, reqQn, 4).bytes)
  dev.sock.write(record(t0 + 1200, 13, reqQn, 4).bytes)
  dev.sock.write(frame(`QN=${reqQn};ST=91;CN=9012;PW=${PW};MN=${MN};Flag=4;CP=&&ExeRtn=1&&`))
  const cmd = await poll(async () => {
    const c = await admin.get(`/api/v1/monitor/stations/${env.station}/commands`)
    return c.json.items.find((i) => i.qn === reqQn && i.status === 'done')
  })
  assert.equal(cmd.cn, 2051)
  const s = await poll(async () => {
    const r = await admin.get(`/api/v1/monitor/stations/${env.station}/series?factor=a34004&kind=minute&from=${t0}&to=${t0 + 3600}`)
    return r.json.items?.length === 4 ? r.json.items : null
  })
  assert.deepEqual(s.map((x) => x.value), [11, 12, 13, 14])
  assert.deepEqual(s.map((x) => x.qual & 8), [0, 8, 8, 0])

  // The upstream comes up: everything accepted while it was down arrives, in order, and each
  // frame is acknowledged with its 9014 before the next one is sent.
  const got = []
  const socks = []
  const up = net.createServer((sock) => {
    socks.push(sock)
    const p = new Peer(sock)
    p.onFrame = (f) => {
      got.push(f)
      const q = /QN=(\d+)/.exec(f)[1]
      sock.write(frame(`QN=${q};ST=91;CN=9014;PW=${PW};MN=${MN};Flag=4;CP=&&&&`))
    }
  })
  await new Promise((r) => up.listen(upPort, '127.0.0.1', r))
  await poll(() => got.length >= 4, 15000)
  const times = got.map((f) => /DataTime=(\d+)/.exec(f)[1])
  assert.deepEqual(times, [bj(t0), bj(t0 + 1800), bj(t0 + 600), bj(t0 + 1200)])
  // Live data after that is forwarded too.
  const live = record(t0 + 2400, 15)
  dev.sock.write(live.bytes)
  await poll(() => got.some((f) => f.includes(live.q)), 10000)
  assert.equal(got.filter((f) => f.includes(sent[0].q)).length, 1) // nothing sent twice
  dev.sock.destroy()
  for (const x of socks) x.destroy()
  await new Promise((r) => up.close(r))
})
