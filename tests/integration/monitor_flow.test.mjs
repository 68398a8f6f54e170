// Device data beyond the intake: automatic gap detection with back-fill (a device with missing
// minute records is asked for them with 2051 BeginTime/EndTime, answers, and the records land
// marked back-filled) and store-and-forward to an upstream platform (frames accepted while the
// upstream is down are delivered in order once it is up, each acknowledged by its 9014).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { demoDb, startServer, Client } from './lib.mjs'

function crc(buf) {
  let reg = 0xffff
  for (const b of buf) {
    reg = (reg >> 8) ^ b
    for (let i = 0; i < 8; i++) {
      const lsb = reg & 1
      reg >>= 1
      if (lsb) reg ^= 0xa001
    }
  }
  return reg
}

function frame(data) {
  const seg = Buffer.from(data, 'utf8')
  return Buffer.concat([
    Buffer.from('##' + String(seg.length).padStart(4, '0')),
    seg,
    Buffer.from(crc(seg).toString(16).toUpperCase().padStart(4, '0') + '\r\n'),
  ])
}

function bj(sec) {
  const t = new Date((sec + 8 * 3600) * 1000).toISOString()
  return t.slice(0, 4) + t.slice(5, 7) + t.slice(8, 10) + t.slice(11, 13) + t.slice(14, 16) + t.slice(17, 19)
}

let qnSeq = 0
const qn = () => '20260301000000' + String(++qnSeq).padStart(3, '0')

/** A TCP peer collecting CRLF-terminated frames. */
class Peer {
  constructor(sock) {
    this.sock = sock
    this.buf = ''
    this.frames = []
    sock.on('error', () => {})
    sock.on('data', (d) => {
      this.buf += d.toString('latin1')
      let i
      while ((i = this.buf.indexOf('\r\n')) >= 0) {
        const f = this.buf.slice(0, i)
        this.buf = this.buf.slice(i + 2)
        this.frames.push(f)
        if (this.onFrame) this.onFrame(f)
      }
    })
  }
  async waitFor(pred, ms = 8000) {
    const end = Date.now() + ms
    for (;;) {
      const f = this.frames.find(pred)
      if (f) return f
      if (Date.now() > end) throw new Error('no matching frame; got ' + JSON.stringify(this.frames.slice(-5)))
      await new Promise((r) => setTimeout(r, 50))
    }
  }
}

async function poll(fn, ms = 10000) {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 100))
  }
}

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
