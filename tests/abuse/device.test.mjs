// Load and abuse of the device port (issue 16), against the real server: simulated devices send
// real data from 127.0.0.1 while attackers, from other loopback addresses, flood bad-CRC frames
// for a registered MN, make up thousands of MNs, and drip junk one byte a second. Asserted
// (bounds stated in docs/security.md, "Device port and durability"):
//   - every frame a real device sent is acknowledged (9014);
//   - the database file plus its WAL grows by less than DB_GROWTH_BOUND;
//   - the server's resident memory (VmRSS) grows by less than RSS_GROWTH_BOUND;
//   - the HTTP API answers throughout;
//   - the rejected frames are counted and visible (GET /api/v1/monitor/rejected, status);
//   - the refused-MN list stays within its cap; the drippers are closed.
// Runs about 40 s of attack plus set-up.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { readFileSync, statSync } from 'node:fs'
import { demoDb, startServer, Client } from '../integration/lib.mjs'
import { frame, bj, sleep, Peer } from '../integration/hj212peer.mjs'

const ATTACK_MS = 40_000
const DEVICES = 20
const DB_GROWTH_BOUND = 32 << 20 // bytes: database + WAL
const RSS_GROWTH_BOUND = 128 << 20 // bytes (ASan build: its shadow memory included)
const PW = '112233'

let env, server, admin, port, station, pid
const mns = Array.from({ length: DEVICES }, (_, i) => `ABUSE-DEV-${String(i).padStart(3, '0')}`)

function upload(mn, q, t, { badCrc = false } = {}) {
  return frame(`QN=${q};ST=22;CN=2011;PW=${PW};MN=${mn};Flag=5;CP=&&DataTime=${bj(t)};a34004-Rtd=${(q % 97) + 3},a34004-Flag=N;a34002-Rtd=${(q % 89) + 5},a34002-Flag=N&&`, { badCrc })
}

function dbBytes(path) {
  let n = 0
  for (const p of [path, path + '-wal']) {
    try { n += statSync(p).size } catch { /* no WAL yet */ }
  }
  return n
}

function rssBytes() {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return Number(m[1]) * 1024
}

function connect(from) {
  const sock = net.connect({ port, host: '127.0.0.1', localAddress: from })
  const peer = new Peer(sock)
  peer.closed = new Promise((resolve) => sock.on('close', resolve))
  peer.ready = new Promise((resolve, reject) => { sock.once('connect', resolve); sock.once('close', reject) })
  return peer
}

before(async () => {
  env = demoDb({ enterprises: 5 })
  // ASan keeps freed memory in quarantine (256 MB by default), which would read as growth
  const asan = `${process.env.ASAN_OPTIONS ?? ''}:quarantine_size_mb=16`
  server = await startServer(env.db, ['--hj212-frame-timeout=5'], { ASAN_OPTIONS: asan })
  pid = server.proc.pid
  port = Number(/hj212 listening on 127\.0\.0\.1:(\d+)/.exec(server.output())[1])
  admin = await Client.as(server.url, 'admin')
  const r = await admin.post('/api/v1/monitor/stations', { code: 'AB-1', name: '压力测试站', kind: 'micro', district: '珠山区', lon: 117.2, lat: 29.3 })
  assert.equal(r.status, 201, r.text)
  station = r.json.id
  for (const mn of mns) {
    const d = await admin.post('/api/v1/monitor/devices', { station_id: station, mn, pw: PW })
    assert.equal(d.status, 201, d.text)
  }
})

after(async () => {
  if (server) await server.stop()
  env?.cleanup()
})

/** A real device: one upload at a time, the next once the 9014 came (or 150 ms later), at
 * most one every 100 ms (so the data it adds does not depend on the machine's speed). */
async function realDevice(mn, idx, until, stats) {
  const peer = connect('127.0.0.1')
  await peer.ready
  const acked = new Set()
  peer.onFrame = (f) => {
    const m = /QN=(\d+);ST=91;CN=9014/.exec(f)
    if (m) acked.add(Number(m[1]))
  }
  const sent = []
  let q = 1_000_000 * (idx + 1)
  let t = Math.floor(Date.now() / 1000) - 86400
  while (Date.now() < until) {
    q++
    t += 30
    sent.push(q)
    peer.sock.write(upload(mn, q, t))
    const start = Date.now()
    while (!acked.has(q) && Date.now() < start + 150) await sleep(10)
    if (Date.now() < start + 100) await sleep(start + 100 - Date.now())
  }
  // every frame sent must be acknowledged: give the last ones 15 s
  const end = Date.now() + 15_000
  while (sent.some((s) => !acked.has(s)) && Date.now() < end) await sleep(50)
  stats.sent += sent.length
  stats.acked += sent.filter((s) => acked.has(s)).length
  peer.sock.destroy()
}

/** Bad-CRC frames for a registered MN from one address, as fast as the socket takes them,
 * reconnecting whenever closed. */
async function crcFlood(from, until, stats) {
  const chunk = Buffer.concat(Array.from({ length: 2000 }, (_, i) => upload(mns[0], 9_000_000 + i, 1767225600 + i, { badCrc: true })))
  while (Date.now() < until) {
    const p = connect(from)
    try { await p.ready } catch { stats.refused++; await sleep(50); continue }
    stats.conns++
    while (!p.sock.destroyed && Date.now() < until) {
      const ok = p.sock.write(chunk)
      // counted once the kernel took it (a refused connection takes some before its reset)
      const taken = ok || (await Promise.race([new Promise((r) => p.sock.once('drain', () => r(true))), p.closed.then(() => false)]))
      if (taken) stats.bytes += chunk.length
    }
    p.sock.destroy()
  }
}

/** Made-up MNs, one connection each, from one address. */
async function unknownMns(from, base, until, stats) {
  for (let i = 0; Date.now() < until; i++) {
    const p = connect(from)
    try { await p.ready } catch { stats.refused++; await sleep(20); continue }
    p.sock.write(upload(`FAKE-${base}-${i}`, i + 1, 1767225600))
    stats.sent++
    await Promise.race([p.closed, sleep(2000)])
    p.sock.destroy()
  }
}

/** Junk, one byte a second, on one connection; resolves when the server closed it. */
async function drip(from, until, stats) {
  const p = connect(from)
  try { await p.ready } catch { return }
  let closed = false
  p.closed.then(() => { closed = true })
  while (!closed && Date.now() < until) {
    p.sock.write('x')
    await sleep(1000)
  }
  if (closed) stats.closed++
  p.sock.destroy()
}

test('real devices keep their acks while the port is flooded; disk, memory and the API hold', { timeout: 180_000 }, async () => {
  await sleep(1500) // the demo's own start-up writes settle
  const db0 = dbBytes(env.db)
  const rss0 = rssBytes()
  const status0 = (await admin.get('/api/v1/monitor/status')).json
  const until = Date.now() + ATTACK_MS
  const real = { sent: 0, acked: 0 }
  const crc = { conns: 0, bytes: 0, refused: 0 }
  const unknown = { sent: 0, refused: 0 }
  const dripped = { closed: 0 }
  const api = { ok: 0, failed: 0 }
  let rssMax = rss0
  const jobs = [
    ...mns.map((mn, i) => realDevice(mn, i, until, real)),
    ...['127.0.0.2', '127.0.0.3', '127.0.0.4'].map((a) => crcFlood(a, until, crc)),
    ...Array.from({ length: 24 }, (_, a) => unknownMns(`127.0.3.${a + 1}`, a, until, unknown)),
    ...Array.from({ length: 10 }, () => drip('127.0.0.9', until, dripped)),
    (async () => { // the API, beside it all, and the server's memory
      while (Date.now() < until) {
        const r = await admin.get('/api/v1/monitor/status')
        if (r.status === 200) api.ok++
        else api.failed++
        const s = await admin.get(`/api/v1/monitor/stations/${station}/latest?kind=rtd`)
        if (s.status === 200) api.ok++
        else api.failed++
        rssMax = Math.max(rssMax, rssBytes())
        await sleep(500)
      }
    })(),
  ]
  await Promise.all(jobs)
  await sleep(2000) // the last aggregates reach the database (once a second)
  const grew = dbBytes(env.db) - db0
  const rss = rssBytes()
  rssMax = Math.max(rssMax, rss)
  const status = (await admin.get('/api/v1/monitor/status')).json
  const rejected = (await admin.get('/api/v1/monitor/rejected?limit=1000')).json.items
  const unreg = (await admin.get('/api/v1/monitor/unregistered?limit=1000')).json.items
  console.log(JSON.stringify({ real, crc, unknown, dripped, api, grewMB: +(grew / 1048576).toFixed(1), rss0MB: +(rss0 / 1048576).toFixed(0), rssMaxMB: +(rssMax / 1048576).toFixed(0), status, rejectedRows: rejected.length, unregistered: unreg.length }))

  assert.ok(real.sent > DEVICES * 20, `real devices sent ${real.sent}`)
  assert.equal(real.acked, real.sent, 'every real frame acknowledged')
  assert.ok(grew < DB_GROWTH_BOUND, `database + WAL grew ${grew} bytes`)
  assert.ok(rssMax - rss0 < RSS_GROWTH_BOUND, `RSS grew ${rssMax - rss0} bytes`)
  assert.ok(api.ok > 0)
  assert.equal(api.failed, 0)
  // the attacks were seen, counted and bounded
  assert.ok(crc.bytes > 1 << 20, `flooded ${crc.bytes} bytes`)
  const badCrc = rejected.filter((r) => r.reason === 'bad_crc').reduce((a, r) => a + r.frames, 0)
  assert.ok(badCrc >= 1000, `bad_crc counted ${badCrc}`)
  assert.ok(rejected.some((r) => r.reason === 'bad_crc' && r.mn === mns[0] && r.sample.includes(mns[0])))
  assert.ok(status.over_budget - status0.over_budget >= 3)
  assert.ok(status.refused_addresses > status0.refused_addresses)
  assert.ok(unknown.sent >= 1000, `made-up MNs sent ${unknown.sent}`)
  assert.ok(unreg.length <= 1000)
  assert.ok(unreg.filter((u) => u.mn.startsWith('FAKE-')).length <= 24 * 32)
  assert.equal(dripped.closed, 10)
})
