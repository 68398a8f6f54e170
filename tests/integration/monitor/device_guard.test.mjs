// The device port under abuse (issue 16): rejected frames are counted per device and address
// with a sample, not stored one by one; each address and device has a budget of rejected bytes
// and each address one of refused MNs, beyond which the address is refused for a while; the
// refused-MN list is bounded; a connection must complete a frame within the frame time-out of
// its first byte (one byte a second no longer keeps it open) and its first frame within the
// hello time-out. Attackers connect from other loopback addresses (127.0.0.x) than the device.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { demoDb, startServer, Client } from '../lib.mjs'
import { frame, bj, poll, sleep, Peer } from '../hj212peer.mjs'

let env, server, admin, port, station, deviceId
const MN = 'IT-GUARD-0001'
const PW = '246810'
let qseq = 0
const qn = () => '20260202000000' + String(++qseq).padStart(3, '0')

function upload(mn, pw, { badCrc = false, cn = 2011, q = qn() } = {}) {
  const t = bj(Math.floor(Date.now() / 1000) - 60)
  return { q, bytes: frame(`QN=${q};ST=22;CN=${cn};PW=${pw};MN=${mn};Flag=5;CP=&&DataTime=${t};a34004-Rtd=${20 + (qseq % 9)},a34004-Flag=N&&`, { badCrc }) }
}

/** A connection from a given loopback address, with its frames and its close. */
function connect(from = '127.0.0.1') {
  const sock = net.connect({ port, host: '127.0.0.1', localAddress: from })
  const peer = new Peer(sock)
  peer.closed = new Promise((resolve) => sock.on('close', resolve))
  peer.ready = new Promise((resolve) => sock.once('connect', resolve))
  return peer
}

/** Sends one good upload and waits for its 9014. */
async function goodUpload(peer) {
  const u = upload(MN, PW)
  peer.sock.write(u.bytes)
  await peer.waitFor((f) => f.includes(u.q) && f.includes('CN=9014'), 10000)
}

before(async () => {
  env = demoDb({ enterprises: 5 })
  server = await startServer(env.db, ['--hj212-rate=0', '--hj212-frame-timeout=2', '--hj212-hello-timeout=3',
    '--hj212-reject-budget=30000', '--hj212-unknown-budget=30', '--hj212-refuse-seconds=600'])
  port = Number(/hj212 listening on 127\.0\.0\.1:(\d+)/.exec(server.output())[1])
  admin = await Client.as(server.url, 'admin')
  let r = await admin.post('/api/v1/monitor/stations', { code: 'IT-G1', name: '防护测试站', kind: 'micro', district: '珠山区', lon: 117.2, lat: 29.3 })
  assert.equal(r.status, 201, r.text)
  station = r.json.id
  r = await admin.post('/api/v1/monitor/devices', { station_id: station, mn: MN, pw: PW })
  assert.equal(r.status, 201, r.text)
  deviceId = r.json.id
})

after(async () => {
  if (server) await server.stop()
  env?.cleanup()
})

test('bad-CRC frames for a known MN are counted with a sample, not stored; the flooding address is refused, the device is not', async () => {
  const dev = connect('127.0.0.1')
  await dev.ready
  await goodUpload(dev)
  // 150 bad-CRC frames of ~110 bytes: ~16 KB, under the 30,000-byte budget
  const atk = connect('127.0.0.2')
  await atk.ready
  const flood = Buffer.concat(Array.from({ length: 150 }, () => upload(MN, PW, { badCrc: true }).bytes))
  atk.sock.write(flood)
  await goodUpload(dev)
  const rows = await poll(async () => {
    const r = await admin.get(`/api/v1/monitor/rejected?device_id=${deviceId}`)
    assert.equal(r.status, 200, r.text)
    const n = r.json.items.reduce((a, i) => a + i.frames, 0)
    return n >= 150 ? r.json.items : null
  })
  assert.equal(rows.length, 1) // one row: this hour, this device, this address, bad_crc
  assert.equal(rows[0].reason, 'bad_crc')
  assert.equal(rows[0].addr, '127.0.0.2')
  assert.equal(rows[0].mn, MN)
  assert.equal(rows[0].frames, 150)
  assert.equal(rows[0].bytes, flood.length)
  assert.match(rows[0].sample, new RegExp(`MN=${MN}`))
  // the device's counter moved; no bad frame is among the station's raw frames
  const devRow = await poll(async () => {
    const r = await admin.get(`/api/v1/monitor/stations/${station}`)
    const d = r.json.device_list.find((x) => x.mn === MN)
    return d.bad_crc >= 150 ? d : null
  })
  assert.equal(devRow.last_addr, '127.0.0.1') // the attacker's address is not the device's
  const fr = await admin.get(`/api/v1/monitor/stations/${station}/frames?limit=500`)
  assert.equal(fr.json.items.filter((f) => f.status === 'bad_crc').length, 0)
  // over the budget: the connection is closed and the address refused
  atk.sock.write(flood)
  await atk.closed
  const again = connect('127.0.0.2')
  await again.closed
  assert.equal(again.frames.length, 0)
  const st = (await admin.get('/api/v1/monitor/status')).json
  assert.ok(st.over_budget >= 1)
  assert.ok(st.refused_addresses >= 1)
  // the real device, on its own address, is still acknowledged
  await goodUpload(dev)
  dev.sock.destroy()
})

test('made-up MNs: each address lists at most its budget, the list is capped, the API answers', async () => {
  const before0 = (await admin.get('/api/v1/monitor/unregistered?limit=1000')).json.items.length
  // 60 distinct MNs from one address, one connection each (a refused device is closed)
  for (let i = 0; i < 60; i++) {
    const p = connect('127.0.0.3')
    p.sock.write(upload(`FAKE-A-${i}`, '000000').bytes)
    await p.closed
  }
  const st = await poll(async () => {
    const s = (await admin.get('/api/v1/monitor/status')).json
    return s.unknown_dropped >= 1 ? s : null
  })
  assert.ok(st.refused_addresses >= 1)
  const list = (await admin.get('/api/v1/monitor/unregistered?limit=1000')).json.items
  const fromA = list.filter((i) => i.mn.startsWith('FAKE-A-'))
  assert.ok(fromA.length <= 30, `listed ${fromA.length}`)
  assert.ok(list.length - before0 <= 30)
  // what was over the budget is still visible, in aggregate
  await poll(async () => {
    const rej = (await admin.get('/api/v1/monitor/rejected')).json.items
    return rej.some((r) => r.reason === 'unknown_mn' && r.addr === '127.0.0.3' && r.frames >= 1)
  })
  // 40 addresses x 30 MNs: 1,200 distinct MNs, the list keeps the newest 1,000
  const senders = []
  for (let a = 0; a < 40; a++) {
    senders.push((async () => {
      for (let i = 0; i < 30; i++) {
        const p = connect(`127.0.1.${a + 1}`)
        p.sock.write(upload(`FAKE-B-${a}-${i}`, '000000').bytes)
        await p.closed
      }
    })())
    if (senders.length % 8 === 0) await Promise.all(senders.splice(0))
  }
  await Promise.all(senders)
  await sleep(1500)
  const all = await admin.get('/api/v1/monitor/unregistered?limit=1000')
  assert.equal(all.status, 200)
  const st2 = (await admin.get('/api/v1/monitor/status')).json
  assert.ok(st2.unregistered >= 1200)
  assert.ok(all.json.items.length <= 1000)
  assert.ok(all.json.items.length >= 900) // bounded, not emptied
})

test('one byte a second without a frame, a frame that never ends, and silence are all closed', async () => {
  const drip = connect('127.0.0.4')
  const slowFrame = connect('127.0.0.5')
  const silent = connect('127.0.0.6')
  await Promise.all([drip.ready, slowFrame.ready, silent.ready])
  // the two senders are past their hello: each sent a good frame first
  await goodUpload(drip)
  await goodUpload(slowFrame)
  const partial = Buffer.from('##0100QN=20260202000000999;ST=22;CN=2011')
  let closedAll = false
  const sender = (async () => {
    // at most 20 s of dripping: the frame time-out is 2 s, the idle time-out 600 s
    for (let i = 0; i < 80 && !closedAll; i++) {
      if (!drip.sock.destroyed) drip.sock.write('x')
      if (!slowFrame.sock.destroyed && i < partial.length) slowFrame.sock.write(partial.subarray(i, i + 1))
      await sleep(250)
    }
  })()
  await Promise.race([Promise.all([drip.closed, slowFrame.closed, silent.closed]), sender.then(() => { throw new Error('still open after 20 s') })])
  closedAll = true
  await sender
  assert.ok(drip.sock.destroyed && slowFrame.sock.destroyed && silent.sock.destroyed)
  const st = (await admin.get('/api/v1/monitor/status')).json
  assert.ok(st.timeouts >= 3)
})

test('rejected-frame rows an hour are bounded whatever the number of sending addresses', async () => {
  // 1,100 addresses send junk once each: at most 1,024 keys an hour, the rest under "*"
  const send = async (a) => {
    const p = connect(`127.1.${Math.floor(a / 250)}.${(a % 250) + 1}`)
    try { await p.ready } catch { return }
    p.sock.end('zz')
    await p.closed
  }
  for (let a = 0; a < 1100; a += 20) await Promise.all(Array.from({ length: 20 }, (_, i) => send(a + i)))
  const junk = (r) => r.reason === 'junk' && (r.addr === '*' || r.addr.startsWith('127.1.'))
  const rows = await poll(async () => {
    const r = await admin.get('/api/v1/monitor/rejected?limit=5000')
    assert.equal(r.status, 200)
    const n = r.json.items.filter(junk).reduce((s, i) => s + i.bytes, 0)
    return n >= 2200 ? r.json.items : null
  }, 20000)
  assert.equal(rows.filter(junk).reduce((s, i) => s + i.bytes, 0), 2200) // every byte counted
  const periods = new Set(rows.filter(junk).map((r) => r.period))
  for (const p of periods) assert.ok(rows.filter((r) => r.period === p && r.addr !== '*').length <= 1024)
  if (periods.size === 1) assert.ok(rows.some((r) => r.addr === '*' && r.reason === 'junk'))
})

test("a device's budget refuses the addresses that spend it, never the device's own", async () => {
  const MN2 = 'IT-GUARD-0002'
  const r = await admin.post('/api/v1/monitor/devices', { station_id: station, mn: MN2, pw: PW })
  assert.equal(r.status, 201, r.text)
  const bad = (n) => Buffer.concat(Array.from({ length: n }, () => upload(MN2, PW, { badCrc: true }).bytes))
  const good = async (peer) => {
    const u = upload(MN2, PW)
    peer.sock.write(u.bytes)
    await peer.waitFor((f) => f.includes(u.q) && f.includes('CN=9014'), 10000)
  }
  // A spends about half the device's 30,000 bytes (and half its own); the device then reports
  const a = connect('127.0.0.11')
  await a.ready
  a.sock.write(bad(100))
  await poll(async () => (await admin.get(`/api/v1/monitor/rejected?device_id=${r.json.id}`)).json.items.length > 0)
  const dev = connect('127.0.0.1')
  await dev.ready
  await good(dev)
  // B spends the rest of the device's budget with less than its own: B is refused
  const before0 = (await admin.get('/api/v1/monitor/status')).json.refused_addresses
  const b = connect('127.0.0.12')
  await b.ready
  b.sock.write(bad(150))
  await b.closed
  const b2 = connect('127.0.0.12')
  await b2.closed
  assert.ok((await admin.get('/api/v1/monitor/status')).json.refused_addresses > before0)
  // the device's own address, over the device's budget on a fresh connection: closed, not refused
  const dev2 = connect('127.0.0.1')
  await dev2.ready
  dev2.sock.write(bad(1))
  await dev2.closed
  const dev3 = connect('127.0.0.1')
  await dev3.ready
  await good(dev3)
  // and the device's authenticated connection is never charged to the device
  dev.sock.write(bad(1))
  await good(dev)
  for (const p of [a, dev, dev3]) p.sock.destroy()
})
