// Device data acquisition end to end: the real server with its HJ 212 listener on a free port,
// devices registered through the API, frames over real sockets, values read back through the
// API. Covers: ack only after commit, idempotent resends, unknown MN refused and listed,
// bad CRC counted and answered QnRtn=9, hostile connections beside a good device, the real
// capture sample replayed, and a back-fill exchange.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { readFileSync } from 'node:fs'
import { demoDb, startServer, Client } from '../lib.mjs'
import { frame, poll as pollUntil } from '../hj212peer.mjs'

function bjTime(d) {
  const t = new Date(d.getTime() + 8 * 3600e3).toISOString()
  return t.slice(0, 4) + t.slice(5, 7) + t.slice(8, 10) + t.slice(11, 13) + t.slice(14, 16) + t.slice(17, 19)
}

let qnSeq = 0
function qn() {
  qnSeq++
  return '20260101000000' + String(qnSeq).padStart(3, '0')
}

function upload(mn, pw, cn, dataTime, values, { flag = 5, q = qn() } = {}) {
  const cp = [`DataTime=${dataTime}`, ...values.map(([code, v]) => `${code}-Avg=${v},${code}-Flag=N`)].join(';')
  return { q, bytes: frame(`QN=${q};ST=22;CN=${cn};PW=${pw};MN=${mn};Flag=${flag};CP=&&${cp}&&`) }
}

/** A device connection that collects every frame the platform sends. */
class Device {
  constructor(port) {
    this.sock = net.connect(port, '127.0.0.1')
    this.buf = ''
    this.frames = []
    this.waiters = []
    this.closed = new Promise((resolve) => this.sock.on('close', resolve))
    this.sock.on('error', () => {})
    this.sock.on('data', (d) => {
      this.buf += d.toString('latin1')
      let i
      while ((i = this.buf.indexOf('\r\n')) >= 0) {
        const f = this.buf.slice(0, i)
        this.buf = this.buf.slice(i + 2)
        this.frames.push(f)
        for (const w of this.waiters.splice(0)) w()
      }
    })
  }
  ready() { return new Promise((resolve) => this.sock.once('connect', resolve)) }
  send(b) { this.sock.write(b) }
  async waitFor(pred, ms = 5000) {
    const end = Date.now() + ms
    for (;;) {
      const f = this.frames.find(pred)
      if (f) return f
      if (Date.now() > end) throw new Error('no matching frame; got ' + JSON.stringify(this.frames))
      await new Promise((resolve) => { this.waiters.push(resolve); setTimeout(resolve, 50) })
    }
  }
  close() { this.sock.destroy() }
}

const poll = (fn, ms = 8000) => pollUntil(fn, ms)

let env, server, admin, port, station, stationSrc
const MN = 'IT-AIR-0001'
const PW = '654321'

before(async () => {
  env = demoDb()
  server = await startServer(env.db, ['--hj212-rate=0', '--hj212-frame-timeout=2'])
  port = Number(/hj212 listening on 127\.0\.0\.1:(\d+)/.exec(server.output())[1])
  admin = await Client.as(server.url, 'admin')
  let r = await admin.post('/api/v1/monitor/stations', { code: 'IT-M1', name: '测试微站', kind: 'micro', district: '珠山区', lon: 117.2, lat: 29.3 })
  assert.equal(r.status, 201, r.text)
  station = r.json.id
  // A create names what it made (kit_created).
  assert.equal(r.headers.get('location'), `/api/v1/monitor/stations/${station}`)
  r = await admin.post('/api/v1/monitor/devices', { station_id: station, mn: MN, pw: PW })
  assert.equal(r.status, 201, r.text)
  assert.equal(r.headers.get('location'), `/api/v1/monitor/devices/${r.json.id}`) // PUT addresses it
  const ents = await admin.get('/api/v1/enterprises?limit=1')
  r = await admin.post('/api/v1/monitor/stations', { code: 'IT-SRC', name: '测试排口', kind: 'source_gas', enterprise_id: ents.json.items[0].id })
  assert.equal(r.status, 201, r.text)
  stationSrc = r.json.id
})

after(async () => {
  if (server) await server.stop()
  env?.cleanup()
})

test('a registered device: the 9014 arrives only once the value is committed', async () => {
  const dev = new Device(port)
  await dev.ready()
  const dt = bjTime(new Date(Math.floor(Date.now() / 600e3) * 600e3 - 600e3))
  const u = upload(MN, PW, 2051, dt, [['a34004', '35.5'], ['a34002', '61']])
  dev.send(u.bytes)
  const ack = await dev.waitFor((f) => f.includes('CN=9014'))
  assert.match(ack, new RegExp(`QN=${u.q};ST=91;CN=9014;PW=${PW};MN=${MN};Flag=4;CP=&&&&`))
  // The ack means committed: the value is readable at once.
  const r = await admin.get(`/api/v1/monitor/stations/${station}/latest?kind=minute`)
  assert.equal(r.status, 200)
  const pm25 = r.json.items.find((i) => i.factor === 'a34004')
  assert.equal(pm25.value, 35.5)
  assert.equal(pm25.flag, 'N')
  assert.equal(pm25.valid, true)
  dev.close()
})

test('resends and back-fills are idempotent; suspicious values are flagged, not dropped', async () => {
  const dev = new Device(port)
  await dev.ready()
  const dt = '20260101080000'
  for (const v of ['10', '10', '12']) {
    const u = upload(MN, PW, 2051, dt, [['a34004', v], ['a21005', '-0.4']])
    dev.send(u.bytes)
    await dev.waitFor((f) => f.includes(u.q))
  }
  const old = upload(MN, PW, 2051, '20000202000000', [['a34004', '5']])
  dev.send(old.bytes)
  await dev.waitFor((f) => f.includes(old.q))
  const r = await admin.get(`/api/v1/monitor/stations/${station}/series?factor=a34004&kind=minute&from=2026-01-01&to=2026-01-02`)
  assert.equal(r.status, 200)
  assert.equal(r.json.items.length, 1)
  assert.equal(r.json.items[0].value, 12)
  assert.equal(r.json.items[0].time, '2026-01-01T08:00:00+08:00')
  const co = await admin.get(`/api/v1/monitor/stations/${station}/series?factor=a21005&kind=minute&from=2026-01-01&to=2026-01-02`)
  assert.equal(co.json.items[0].qual & 4, 4)
  assert.equal(co.json.items[0].valid, false)
  const y2k = await admin.get(`/api/v1/monitor/stations/${station}/series?factor=a34004&kind=minute&from=2000-02-01&to=2000-02-03`)
  assert.equal(y2k.json.items.length, 1)
  assert.equal(y2k.json.items[0].qual & 1, 1)
  // keyset paging
  const p1 = await admin.get(`/api/v1/monitor/stations/${station}/series?factor=a34004&kind=minute&from=0&to=4102444800&limit=1`)
  assert.equal(p1.json.items.length, 1)
  assert.ok(p1.json.next)
  const p2 = await admin.get(`/api/v1/monitor/stations/${station}/series?factor=a34004&kind=minute&from=0&to=4102444800&limit=1&after=${p1.json.next}`)
  assert.notEqual(p2.json.items[0].ts, p1.json.items[0].ts)
  dev.close()
})

test('an unknown MN is refused, listed, and registered in one click', async () => {
  const dev = new Device(port)
  await dev.ready()
  const u = upload('IT-UNKNOWN-9', 'pw9999', 2051, '20260101090000', [['a34004', '40']])
  dev.send(u.bytes)
  await dev.closed
  assert.equal(dev.frames.length, 0)
  const list = await poll(async () => {
    const r = await admin.get('/api/v1/monitor/unregistered')
    return r.json.items.find((i) => i.mn === 'IT-UNKNOWN-9')
  })
  assert.equal(list.reason, 'unknown_mn')
  // A wrong password is refused too.
  const dev2 = new Device(port)
  await dev2.ready()
  dev2.send(upload(MN, 'wrong1', 2051, '20260101090000', [['a34004', '40']]).bytes)
  await dev2.closed
  const r = await admin.post('/api/v1/monitor/unregistered/IT-UNKNOWN-9/register', { station_id: station })
  assert.equal(r.status, 201, r.text)
  assert.equal(r.headers.get('location'), `/api/v1/monitor/devices/${r.json.id}`)
  const dev3 = new Device(port)
  await dev3.ready()
  const u3 = upload('IT-UNKNOWN-9', 'pw9999', 2051, '20260101090000', [['a34004', '41']])
  await poll(async () => {
    dev3.send(u3.bytes)
    await new Promise((res) => setTimeout(res, 150))
    return dev3.frames.some((f) => f.includes(u3.q))
  })
  dev3.close()
})

test('a bad CRC is counted for the device and a request with one gets QnRtn=9', async () => {
  const dev = new Device(port)
  await dev.ready()
  const q = qn()
  dev.send(frame(`QN=${q};ST=22;CN=1013;PW=${PW};MN=${MN};Flag=5;CP=&&&&`, { badCrc: true }))
  const reply = await dev.waitFor((f) => f.includes('CN=9011'))
  assert.match(reply, /QnRtn=9/)
  // a good 1013 is answered with 9013 then 1012
  const q2 = qn()
  dev.send(frame(`QN=${q2};ST=22;CN=1013;PW=${PW};MN=${MN};Flag=5;CP=&&&&`))
  await dev.waitFor((f) => f.includes('CN=9013') && f.includes(q2))
  await dev.waitFor((f) => f.includes('CN=1012') && f.includes('SystemTime='))
  await poll(async () => {
    const r = await admin.get(`/api/v1/monitor/stations/${station}`)
    return r.json.device_list.find((d) => d.mn === MN).bad_crc >= 1
  })
  dev.close()
})

test('garbage, oversized, flooding and slow senders do not disturb a good device', async () => {
  const bad = []
  for (let i = 0; i < 5; i++) {
    const d = new Device(port)
    await d.ready()
    bad.push(d)
  }
  bad[0].send(Buffer.alloc(70000, 0x41)) // junk without a frame: closed
  bad[1].send(Buffer.from('##9999QN=1;' + 'x'.repeat(3000))) // oversized
  bad[2].send(Buffer.from('##0100QN=2026')) // slow: never finishes
  const junk = Buffer.alloc(4096)
  for (let i = 0; i < junk.length; i++) junk[i] = (i * 131 + 7) & 0xff
  bad[3].send(junk)
  bad[4].send(Buffer.concat(Array.from({ length: 200 }, () => frame(`ST=22;CN=2011;PW=x;MN=Z;CP=&&a=1&&`, { badCrc: true }))))
  const good = new Device(port)
  await good.ready()
  const t0 = Date.now()
  for (let i = 0; i < 20; i++) {
    const u = upload(MN, PW, 2011, `2026010110${String(i).padStart(2, '0')}00`, [['a34004', String(20 + i)]])
    good.send(u.bytes)
    await good.waitFor((f) => f.includes(u.q))
  }
  assert.ok(Date.now() - t0 < 5000)
  await bad[0].closed
  await bad[2].closed // partial frame timed out (--hj212-frame-timeout=2) once it sends again or idles
    .catch(() => {})
  for (const d of bad) d.close()
  good.close()
  const st = await admin.get('/api/v1/monitor/status')
  assert.ok(st.json.frames_bad_crc >= 200)
})

test('the real capture sample replays through the server', async () => {
  const bytes = readFileSync('tests/data/hj212/hj212-real-sample.h212')
  const text = bytes.toString('latin1')
  const devices = new Map()
  for (const m of text.matchAll(/(?:^|;)PW=([^;]*);MN=([^;]*);|(?:^|;)MN=([^;]*);PW=([^;]*);/g)) {
    const pw = m[1] ?? m[4]
    const mn = m[2] ?? m[3]
    if (!devices.has(mn)) devices.set(mn, pw)
  }
  assert.ok(devices.size > 250)
  for (const [mn, pw] of devices) {
    const r = await admin.post('/api/v1/monitor/devices', { station_id: stationSrc, mn, pw })
    assert.equal(r.status, 201, r.text)
  }
  const before0 = (await admin.get('/api/v1/monitor/status')).json
  const dev = new Device(port)
  await dev.ready()
  dev.send(bytes)
  const after0 = await poll(async () => {
    const s = (await admin.get('/api/v1/monitor/status')).json
    return s.frames_ok - before0.frames_ok >= 2990 ? s : null
  }, 20000)
  assert.equal(after0.unregistered, before0.unregistered)
  dev.close()
  const latest = await poll(async () => {
    const r = await admin.get(`/api/v1/monitor/stations/${stationSrc}/latest?kind=rtd`)
    return r.json.items.length ? r.json.items : null
  })
  // 2005 codes are mapped: 011 -> COD w01018, S01 -> O2 a19001
  assert.ok(latest.some((i) => i.factor === 'w01018'))
  assert.ok(latest.some((i) => i.factor === 'a19001'))
  // the station lookup of raw frames is written within a second or two (readings_sync)
  const frames = await poll(async () => {
    const r = await admin.get(`/api/v1/monitor/stations/${stationSrc}/frames?limit=5`)
    return r.json.items.length === 5 ? r.json.items : null
  })
  assert.equal(frames.length, 5)
})

test('back-fill: 2061 request, 9011, history data marked, 9012', async () => {
  const dev = new Device(port)
  await dev.ready()
  // introduce the device on this connection
  const hello = upload(MN, PW, 2011, '20260102000000', [['a34004', '1']])
  dev.send(hello.bytes)
  await dev.waitFor((f) => f.includes(hello.q))
  const r = await admin.post(`/api/v1/monitor/stations/${station}/commands`, { cn: 2061, begin: '20260102000000', end: '20260102020000' })
  assert.equal(r.status, 201, r.text)
  assert.equal(r.headers.get('location'), null) // a command has no address of its own
  const req = await dev.waitFor((f) => f.includes('CN=2061') && f.includes('BeginTime=20260102000000'))
  const reqQn = /QN=(\d+)/.exec(req)[1]
  assert.equal(reqQn, r.json.qn)
  dev.send(frame(`QN=${reqQn};ST=91;CN=9011;PW=${PW};MN=${MN};Flag=4;CP=&&QnRtn=1&&`))
  for (const h of ['00', '01']) {
    dev.send(frame(`QN=${reqQn};ST=22;CN=2061;PW=${PW};MN=${MN};Flag=4;CP=&&DataTime=20260102${h}0000;a34004-Avg=3${h},a34004-Flag=N&&`))
  }
  dev.send(frame(`QN=${reqQn};ST=91;CN=9012;PW=${PW};MN=${MN};Flag=4;CP=&&ExeRtn=1&&`))
  const cmd = await poll(async () => {
    const c = await admin.get(`/api/v1/monitor/stations/${station}/commands`)
    const x = c.json.items.find((i) => i.id === r.json.id)
    return x && x.status === 'done' ? x : null
  })
  assert.equal(cmd.qn_rtn, 1)
  assert.equal(cmd.exe_rtn, 1)
  assert.ok(cmd.exchange.length >= 3)
  const s = await admin.get(`/api/v1/monitor/stations/${station}/series?factor=a34004&kind=hour&from=2026-01-02&to=2026-01-03`)
  assert.equal(s.json.items.length, 2)
  assert.equal(s.json.items[0].qual & 8, 8)
  // a second back-fill while one runs is refused (rate limit)
  await admin.post(`/api/v1/monitor/stations/${station}/commands`, { cn: 2051, begin: '20260102000000', end: '20260102010000' })
  const again = await admin.post(`/api/v1/monitor/stations/${station}/commands`, { cn: 2051, begin: '20260102000000', end: '20260102010000' })
  assert.equal(again.status, 429)
  dev.close()
})

test('health report and Excel export; an enterprise user sees only its own outlets', async () => {
  const r = await admin.get('/api/v1/monitor/health?date=2026-01-01')
  assert.equal(r.status, 200)
  const row = r.json.items.find((i) => i.station_id === station)
  assert.equal(row.expected, 144)
  assert.ok(row.received >= 1)
  const x = await admin.get('/api/v1/monitor/health.xlsx?date=2026-01-01', { raw: true })
  assert.equal(x.status, 200)
  const body = Buffer.from(await x.arrayBuffer())
  assert.equal(body.subarray(0, 2).toString(), 'PK')
  const csv = await admin.get(`/api/v1/monitor/stations/${station}/series.csv?factor=a34004&kind=minute&from=2026-01-01&to=2026-01-02`)
  assert.equal(csv.status, 200)
  assert.match(csv.text, /2026-01-01T08:00:00\+08:00,a34004,12/)
  const ent = await Client.as(server.url, 'enterprise')
  const list = await ent.get('/api/v1/monitor/stations')
  assert.equal(list.status, 200)
  assert.ok(list.json.items.every((s) => s.kind.startsWith('source')))
  const other = await ent.get(`/api/v1/monitor/stations/${station}`)
  assert.equal(other.status, 404)
})
