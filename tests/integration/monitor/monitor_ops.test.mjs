// Device acquisition operations: forward targets managed through the API (validation, roles,
// audit; a target created at run time receives frames within seconds and in order; backlog
// while the upstream is down, replayed at a new address; deactivation drops the backlog;
// reactivation starts at the end of the queue; delete), device clock synchronisation (fake
// devices over real sockets answer 1011 with a skewed SystemTime: the platform sets the clock
// with 1012 and verifies it, or only records the skew when clock_sync is off, for a 2017 and a
// 2005 device), and the default range of a station's series (the last 24 hours).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { demoDb, startServer, Client } from '../lib.mjs'
import { frame, bj, fromBj, sleep, qnMaker, Peer, poll } from '../hj212peer.mjs'

const nowSec = () => Math.floor(Date.now() / 1000)
const qn = qnMaker('20260302000000')

/** An upstream platform on a loopback port: records every frame, acknowledges with 9014. */
class Upstream {
  async start(port = 0) {
    this.got = []
    this.socks = []
    this.server = net.createServer((sock) => {
      this.socks.push(sock)
      const p = new Peer(sock)
      p.onFrame = (f) => {
        this.got.push(f)
        const m = /QN=(\d+)/.exec(f)
        const mn = /MN=([^;]+)/.exec(f)[1]
        if (m && /Flag=5/.test(f)) sock.write(frame(`QN=${m[1]};ST=91;CN=9014;PW=123456;MN=${mn};Flag=4;CP=&&&&`))
      }
    })
    await new Promise((r) => this.server.listen(port, '127.0.0.1', r))
    this.port = this.server.address().port
    Upstream.live.add(this)
    return this
  }
  async stop() {
    Upstream.live.delete(this)
    for (const s of this.socks) s.destroy()
    await new Promise((r) => this.server.close(r))
  }
  // Listening upstreams keep node's event loop (and so this file's test process) alive: those
  // a failed test left open are stopped in after().
  static live = new Set()
}

let env, server, admin, staff, leader, ent, port, station

before(async () => {
  env = demoDb({ enterprises: 5 })
  // Clock checks every 3 s (the first 3 s after start-up), back-fill sweeps off.
  server = await startServer(env.db, ['--hj212-rate=0', '--hj212-gap-interval=0', '--hj212-clock-check=3', '--hj212-clock-tolerance=60'])
  port = Number(/hj212 listening on 127\.0\.0\.1:(\d+)/.exec(server.output())[1])
  admin = await Client.as(server.url, 'admin')
  staff = await Client.as(server.url, 'staff')
  leader = await Client.as(server.url, 'leader')
  ent = await Client.as(server.url, 'enterprise')
  const r = await admin.post('/api/v1/monitor/stations', { code: 'IT-OPS1', name: '运维测试站', kind: 'micro', district: '珠山区', lon: 117.2, lat: 29.3 })
  assert.equal(r.status, 201, r.text)
  station = r.json.id
})

after(async () => {
  for (const up of [...Upstream.live]) await up.stop()
  await server?.stop()
  env?.cleanup()
})

async function device(mn, pw, extra = {}) {
  const r = await admin.post('/api/v1/monitor/devices', { station_id: station, mn, pw, ...extra })
  assert.equal(r.status, 201, r.text)
  return r.json.id
}

async function connect() {
  const p = new Peer(net.connect(port, '127.0.0.1'))
  await new Promise((r) => p.sock.once('connect', r))
  return p
}

const patch = (c, p, body) => c.request('PATCH', p, { body })
const del = (c, p) => c.request('DELETE', p)
const targets = async () => (await admin.get('/api/v1/monitor/forward-targets')).json.items
const audit = async (action) => (await admin.get(`/api/v1/audit?action=${action}&limit=50`)).json.items

test('forward targets: managed through the API, picked up at run time, in order, backlog and deactivation', async () => {
  const MN = 'IT-FWD-0001'
  const PW = '123456'
  await device(MN, PW, { clock_sync: false })
  // A second device or station under a code in use is a conflict, not a server error.
  assert.equal((await admin.post('/api/v1/monitor/devices', { station_id: station, mn: MN, pw: PW })).status, 409)
  assert.equal((await admin.post('/api/v1/monitor/stations', { code: 'IT-OPS1', name: '重复', kind: 'micro', district: '珠山区' })).status, 409)
  let minute = nowSec() - (nowSec() % 60) - 6 * 3600
  const rec = () => {
    const q = qn()
    minute += 60
    return { q, bytes: frame(`QN=${q};ST=22;CN=2051;PW=${PW};MN=${MN};Flag=5;CP=&&DataTime=${bj(minute)};a34004-Avg=${(minute / 60) % 97},a34004-Flag=N&&`) }
  }

  // Validation: host (hostname or address, at most 253 bytes), port 1..65535, name.
  for (const [body, field] of [
    [{ name: 'x', host: 'bad host', port: 80 }, 'host'],
    [{ name: 'x', host: 'a'.repeat(254), port: 80 }, 'host'],
    [{ name: 'x', host: 'a'.repeat(64) + '.example', port: 80 }, 'host'],
    [{ name: 'x', host: '999.1.1.1', port: 80 }, 'host'],
    [{ name: 'x', host: '-up.example', port: 80 }, 'host'],
    [{ name: 'x', host: 'up.example', port: 0 }, 'port'],
    [{ name: 'x', host: 'up.example', port: 65536 }, 'port'],
    [{ name: 'x', host: 'up.example', port: '80' }, 'port'],
    [{ name: 'x', host: 'up.example' }, 'port'],
    [{ name: '', host: 'up.example', port: 80 }, 'name'],
    [{ host: 'up.example', port: 80 }, 'name'],
  ]) {
    const r = await admin.post('/api/v1/monitor/forward-targets', body)
    assert.equal(r.status, 422, JSON.stringify(body) + ' ' + r.text)
    assert.equal(r.json.error.field, field, JSON.stringify(body))
  }
  for (const host of ['::1', 'sjpt.hbj.example.gov.cn', '10.20.30.40']) {
    const r = await admin.post('/api/v1/monitor/forward-targets', { name: 'ok ' + host, host, port: 9, active: false })
    assert.equal(r.status, 201, r.text)
    assert.equal(r.json.state, 'inactive')
    assert.equal((await del(admin, '/api/v1/monitor/forward-targets/' + r.json.id)).status, 200)
  }
  // Roles: the bureau reads, only the administrator writes; enterprises see nothing.
  assert.equal((await staff.post('/api/v1/monitor/forward-targets', { name: 's', host: 'up.example', port: 80 })).status, 403)
  assert.equal((await patch(leader, '/api/v1/monitor/forward-targets/1', { active: false })).status, 403)
  assert.equal((await staff.get('/api/v1/monitor/forward-targets')).status, 200)
  assert.equal((await leader.get('/api/v1/monitor/forward-targets')).status, 200)
  assert.equal((await ent.get('/api/v1/monitor/forward-targets')).status, 403)

  // A target created at run time: the relay picks it up and frames start to arrive within
  // seconds (the writer refreshes its "anyone to forward to" flag every 2 s).
  const up = await new Upstream().start()
  let r = await admin.post('/api/v1/monitor/forward-targets', { name: '省级平台', host: '127.0.0.1', port: up.port })
  assert.equal(r.status, 201, r.text)
  const id = r.json.id
  assert.equal(r.headers.get('location'), `/api/v1/monitor/forward-targets/${id}`) // PATCH/DELETE address it
  assert.equal(r.json.active, true)
  assert.equal(r.json.backlog, 0)
  assert.ok((await audit('forward.create')).some((a) => a.entity === 'forward_target' && a.entity_id === String(id) && a.actor === 'admin'))
  assert.equal((await admin.post('/api/v1/monitor/forward-targets', { name: '省级平台', host: 'up.example', port: 80 })).status, 409)

  const dev = await connect()
  const t0 = Date.now()
  let first
  await poll(async () => {
    first = rec()
    dev.sock.write(first.bytes)
    await sleep(400)
    return up.got.some((f) => f.includes(first.q))
  }, 15000, 'first forwarded frame')
  assert.ok(Date.now() - t0 < 10000, `forwarding started after ${Date.now() - t0} ms`)

  // In order, each acknowledged by the upstream before the next.
  const batch = Array.from({ length: 6 }, rec)
  for (const b of batch) dev.sock.write(b.bytes)
  await poll(() => batch.every((b) => up.got.some((f) => f.includes(b.q))), 15000, 'batch forwarded')
  const order = batch.map((b) => up.got.findIndex((f) => f.includes(b.q)))
  assert.deepEqual(order, [...order].sort((a, b) => a - b))
  let t = (await targets()).find((x) => x.id === id)
  assert.equal(t.state, 'connected')
  assert.equal(t.backlog, 0)
  assert.ok(t.last_ok >= nowSec() - 30)

  // The drained queue is pruned (every 5 s); frames queued after that still go out (ids are
  // never reused below the target's sent_id).
  await sleep(6000)
  const late = rec()
  dev.sock.write(late.bytes)
  await poll(() => up.got.some((f) => f.includes(late.q)), 10000, 'frame after prune')

  // The upstream goes down: frames wait in the queue, the target shows the failure.
  await up.stop()
  const held = Array.from({ length: 3 }, rec)
  for (const b of held) dev.sock.write(b.bytes)
  t = await poll(async () => {
    const x = (await targets()).find((y) => y.id === id)
    return x.backlog === 3 && x.state === 'error' ? x : null
  }, 20000, 'backlog of 3 with an error state')
  assert.match(t.last_error, /connect|closed|9014|send/)
  assert.ok(t.backlog_since >= nowSec() - 60)

  // The platform moves: a new port keeps the backlog, which is replayed there in order.
  const up2 = await new Upstream().start()
  r = await patch(admin, `/api/v1/monitor/forward-targets/${id}`, { port: up2.port })
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.port, up2.port)
  await poll(() => held.every((b) => up2.got.some((f) => f.includes(b.q))), 15000, 'backlog replayed')
  assert.deepEqual(up2.got.filter((f) => /CN=2051/.test(f)).slice(0, 3).map((f) => /QN=(\d+)/.exec(f)[1]), held.map((b) => b.q))
  // The relay counts a frame sent when the upstream's reply is in, a moment after the frame
  // itself arrived there.
  await poll(async () => (await targets()).find((x) => x.id === id).backlog === 0, 10000, 'backlog drained')
  assert.ok((await audit('forward.update')).some((a) => a.entity_id === String(id) && a.detail.port === up2.port))

  // Deactivated: nothing is forwarded or kept for it.
  r = await patch(admin, `/api/v1/monitor/forward-targets/${id}`, { active: false })
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.state, 'inactive')
  assert.equal(r.json.backlog, 0)
  assert.ok((await audit('forward.deactivate')).some((a) => a.entity_id === String(id)))
  const skipped = Array.from({ length: 2 }, rec)
  for (const b of skipped) dev.sock.write(b.bytes)
  await sleep(3000)
  // Reactivated: starts at the end of the queue, like a new target.
  r = await patch(admin, `/api/v1/monitor/forward-targets/${id}`, { active: true, name: '省级平台（新）' })
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.name, '省级平台（新）')
  let again
  await poll(async () => {
    again = rec()
    dev.sock.write(again.bytes)
    await sleep(400)
    return up2.got.some((f) => f.includes(again.q))
  }, 15000, 'forwarding after reactivation')
  assert.ok(skipped.every((b) => !up2.got.some((f) => f.includes(b.q))), 'frames of the inactive period are not sent')
  const seen = new Set(up2.got.map((f) => /QN=(\d+)/.exec(f)[1]))
  assert.equal(seen.size, up2.got.length, 'nothing sent twice')

  // Removed: gone from the list, audited; a second delete is a 404.
  assert.equal((await del(admin, `/api/v1/monitor/forward-targets/${id}`)).status, 200)
  assert.ok(!(await targets()).some((x) => x.id === id))
  assert.ok((await audit('forward.delete')).some((a) => a.entity_id === String(id) && a.detail.name === '省级平台（新）'))
  assert.equal((await del(admin, `/api/v1/monitor/forward-targets/${id}`)).status, 404)
  assert.equal((await patch(admin, `/api/v1/monitor/forward-targets/${id}`, { active: true })).status, 404)
  dev.sock.destroy()
  await up2.stop()
})

/** A device whose clock is `skew` seconds off: answers 1011 with its time, takes a 1012. */
async function clockDevice(mn, pw, skew, { edition = '2017' } = {}) {
  const p = await connect()
  p.skew = skew
  p.sets = []
  const hdr = (q, st, cn) => (edition === '2005' ? `ST=${st};CN=${cn};PW=${pw};MN=${mn};CP=&&QN=${q};` : `QN=${q};ST=${st};CN=${cn};PW=${pw};MN=${mn};Flag=4;CP=&&`)
  p.onFrame = (f) => {
    const q = /QN=(\d+)/.exec(f)?.[1]
    if (/CN=1011;/.test(f)) {
      p.sock.write(frame(hdr(q, 91, 9011) + 'QnRtn=1&&'))
      const sys = `SystemTime=${bj(nowSec() + p.skew)}&&`
      // The 2017 device asks for a data reply to its time upload.
      p.sock.write(frame(edition === '2005' ? hdr(q, 22, 1011) + sys : `QN=${q};ST=22;CN=1011;PW=${pw};MN=${mn};Flag=5;CP=&&` + sys))
      p.sock.write(frame(hdr(q, 91, 9012) + 'ExeRtn=1&&'))
    } else if (/CN=1012;/.test(f)) {
      const sys = /SystemTime=(\d{14})/.exec(f)[1]
      p.sets.push({ at: nowSec(), sys })
      p.skew = fromBj(sys) - nowSec()
      p.sock.write(frame(hdr(q, 91, 9011) + 'QnRtn=1&&'))
      p.sock.write(frame(hdr(q, 91, 9012) + 'ExeRtn=1&&'))
    }
  }
  // One record so the device counts as heard from.
  const q = qn()
  p.sock.write(frame(`QN=${q};ST=22;CN=2051;PW=${pw};MN=${mn};Flag=5;CP=&&DataTime=${bj(nowSec() - (nowSec() % 60) - 60)};a34004-Avg=20,a34004-Flag=N&&`))
  await p.waitFor((f) => f.includes('CN=9014') && f.includes(q))
  return p
}

const devOf = async (id) => (await admin.get(`/api/v1/monitor/stations/${station}`)).json.device_list.find((d) => d.id === id)

test('clock sync: a drifting device is asked its time, set to the platform time and checked again; with clock_sync off it is only measured', async () => {
  const a = await device('IT-CLK-A001', '654321')
  const b = await device('IT-CLK-B001', '654321', { clock_sync: false, edition: '2005' })
  assert.equal((await devOf(a)).clock_sync, 1)
  assert.equal((await devOf(b)).clock_sync, 0)
  const da = await clockDevice('IT-CLK-A001', '654321', 300)
  const db = await clockDevice('IT-CLK-B001', '654321', -200, { edition: '2005' })

  // A: 1011 -> SystemTime 300 s ahead -> 1012 carrying the platform's time (Beijing).
  const ask = await da.waitFor((f) => /CN=1011;/.test(f), 20000)
  assert.match(ask, /ST=22;CN=1011;PW=654321;MN=IT-CLK-A001;Flag=5;CP=&&&&/)
  const set = await da.waitFor((f) => /CN=1012;/.test(f), 20000)
  const sys = fromBj(/SystemTime=(\d{14})/.exec(set)[1])
  assert.ok(Math.abs(sys - da.sets[0].at) <= 2, `1012 time ${sys} vs now ${da.sets[0].at}`)
  // The 1011 time upload that asked for a data reply got its 9014.
  await da.waitFor((f) => /CN=9014/.test(f) && f.includes(/QN=(\d+)/.exec(ask)[1]))

  // The exchanges are commands by 'system'; the 1012 is done; the skew is measured again.
  const cmds = await poll(async () => {
    const items = (await admin.get(`/api/v1/monitor/stations/${station}/commands?limit=200`)).json.items.filter((c) => c.device_id === a)
    return items.some((c) => c.cn === 1012 && c.status === 'done') ? items : null
  }, 15000, '1012 done')
  const c1012 = cmds.find((c) => c.cn === 1012)
  assert.equal(c1012.created_by, 'system')
  assert.equal(c1012.params.auto, true)
  assert.ok(Math.abs(c1012.params.skew - 300) <= 2, JSON.stringify(c1012.params))
  assert.ok(c1012.exchange.some((x) => x.dir === 'in' && /CN=9012/.test(x.frame)))
  const c1011 = cmds.find((c) => c.cn === 1011 && c.status === 'done')
  assert.equal(c1011.created_by, 'system')
  assert.ok(c1011.exchange.some((x) => x.dir === 'in' && /CN=1011;.*SystemTime=/.test(x.frame)))
  const after = await poll(async () => {
    const d = await devOf(a)
    return d.clock_checked_at > da.sets[0].at - 1 && Math.abs(d.clock_skew) <= 2 ? d : null
  }, 20000, 'skew re-measured after the 1012')
  assert.equal(after.clock_set.status, 'done')
  assert.equal(after.clock_set.created_by, 'system')
  assert.equal(da.sets.length, 1, 'the clock is set once')

  // B (HJ/T 212-2005 replies, QN inside CP, clock_sync off): measured, never set.
  const bd = await poll(async () => {
    const d = await devOf(b)
    return d.clock_checked_at ? d : null
  }, 20000, 'B measured')
  assert.ok(Math.abs(bd.clock_skew + 200) <= 2, 'skew ' + bd.clock_skew)
  assert.equal(bd.clock_set, null)
  await sleep(4000)
  assert.equal(db.sets.length, 0)
  assert.ok(db.frames.some((f) => /CN=1011;/.test(f) && /Flag=1;/.test(f)), '2005 request')

  // clock_sync and a manual clock_offset exclude each other.
  const dv = await devOf(b)
  let r = await admin.put(`/api/v1/monitor/devices/${b}`, { station_id: station, mn: 'IT-CLK-B001', clock_sync: true, clock_offset: 30, version: dv.version })
  assert.equal(r.status, 422, r.text)
  assert.equal(r.json.error.field, 'clock_sync')
  r = await admin.put(`/api/v1/monitor/devices/${b}`, { station_id: station, mn: 'IT-CLK-B001', clock_sync: true, clock_offset: 0, version: dv.version })
  assert.equal(r.status, 200, r.text)
  assert.equal((await devOf(b)).clock_sync, 1)
  da.sock.destroy()
  db.sock.destroy()
})

test('a station series without from/to covers the last 24 hours ending now', async () => {
  await device('IT-SER-0001', '112233', { clock_sync: false })
  const p = await connect()
  const base = nowSec() - (nowSec() % 60)
  const sent = []
  for (const [ago, v] of [[30 * 3600, 1], [2 * 3600, 2], [60, 3]]) {
    const q = qn()
    sent.push(q)
    p.sock.write(frame(`QN=${q};ST=22;CN=2051;PW=112233;MN=IT-SER-0001;Flag=5;CP=&&DataTime=${bj(base - ago)};a05024-Avg=${v},a05024-Flag=N&&`))
  }
  for (const q of sent) await p.waitFor((f) => f.includes('CN=9014') && f.includes(q))
  const r = await admin.get(`/api/v1/monitor/stations/${station}/series?factor=a05024`)
  assert.equal(r.status, 200, r.text)
  assert.deepEqual(r.json.items.map((x) => x.value), [2, 3])
  const all = await admin.get(`/api/v1/monitor/stations/${station}/series?factor=a05024&from=${base - 31 * 3600}`)
  assert.deepEqual(all.json.items.map((x) => x.value), [1, 2, 3])
  p.sock.destroy()
})
