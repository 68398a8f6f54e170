// A PMF analysis from a station's stored speciated data: HJ 212 minute records
// of six species over 40 hours go into the monitor module's readings; the pmf
// module reads the hour rollups over the period, takes the uncertainties from
// each species' MDL and error fraction, and runs.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { demoDb, startServer, Client } from '../lib.mjs'
import { frame, bj } from '../hj212peer.mjs'

const MN = 'PMF-SUPER-0001'
const PW = '123456'
const SPECIES = ['w01', 'w02', 'w03', 'w04', 'w05', 'w06']
const P1 = [5, 3, 0.2, 0.1, 0.05, 1], P2 = [0.1, 0.2, 4, 2, 1, 0.5]
const H0 = Math.floor(Date.now() / 86400e3) * 86400 - 3 * 86400
let env, server, staff, port, stationId, qn = 0

function record(t, i) {
  // Two sources with contributions varying by hour: a known structure.
  const g1 = 1 + Math.sin(i / 3) * 0.8, g2 = 1 + Math.cos(i / 5) * 0.7
  const cp = [`DataTime=${bj(t)}`, ...SPECIES.map((c, j) => `${c}-Avg=${(g1 * P1[j] + g2 * P2[j]).toFixed(4)},${c}-Flag=N`)].join(';')
  const q = '20260101' + String(++qn).padStart(9, '0')
  return { q, bytes: frame(`QN=${q};ST=22;CN=2051;PW=${PW};MN=${MN};Flag=5;CP=&&${cp}&&`) }
}

async function sendAll(frames) {
  const sock = net.connect(port, '127.0.0.1')
  await new Promise((resolve, reject) => { sock.once('connect', resolve); sock.once('error', reject) })
  let got = ''
  const want = new Set(frames.map((f) => f.q))
  const done = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('acks missing')), 20_000)
    sock.on('data', (d) => {
      got += d.toString('latin1')
      for (const q of [...want]) if (got.includes(`QN=${q};ST=91;CN=9014`)) want.delete(q)
      if (!want.size) { clearTimeout(timer); resolve() }
    })
  })
  for (const f of frames) sock.write(f.bytes)
  await done
  sock.destroy()
}

before(async () => {
  env = demoDb({ enterprises: 5 })
  server = await startServer(env.db, ['--hj212-rate=0'])
  port = Number(/hj212 listening on 127\.0\.0\.1:(\d+)/.exec(server.output())[1])
  const admin = await Client.as(server.url, 'admin')
  staff = await Client.as(server.url, 'staff')
  let r = await admin.post('/api/v1/monitor/stations', { code: 'PMF-SUPER', name: '超级站', kind: 'national', district: '珠山区', min_interval: 10 })
  assert.equal(r.status, 201, r.text)
  stationId = r.json.id
  r = await admin.post('/api/v1/monitor/devices', { station_id: stationId, mn: MN, pw: PW })
  assert.equal(r.status, 201, r.text)
  const frames = []
  for (let i = 0; i < 40; i++) frames.push(record(H0 + i * 3600, i))
  await sendAll(frames)
})

after(async () => {
  const exit = await server?.stop()
  env?.cleanup()
  assert.doesNotMatch(server?.output() ?? '', /AddressSanitizer|runtime error/)
  assert.equal(exit?.code, 0)
})

test('a station analysis reads the stored hours and runs with MDL-based uncertainty', async () => {
  const day = (t) => new Date((t + 8 * 3600) * 1000).toISOString().slice(0, 10)
  const body = {
    title: '超级站组分解析', source: 'station', station_id: stationId, resolution: 'hour',
    period_from: day(H0), period_to: day(H0 + 2 * 86400),
    species: SPECIES.map((factor) => ({ factor, mdl: 0.01, ef: 0.1 })),
    factors: 2, runs: 2, bootstrap: 0,
  }
  let r
  const end = Date.now() + 20_000
  for (;;) {
    r = await staff.post('/api/v1/pmf/analyses', body)
    if (r.status === 201 || Date.now() > end) break
    await new Promise((res) => setTimeout(res, 500)) // hour rollups come a few seconds later
  }
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.input.species, 6)
  assert.ok(r.json.input.samples >= 30)
  let a
  for (;;) {
    a = (await staff.get(`/api/v1/pmf/analyses/${r.json.id}`)).json
    if (a.status !== 'queued' && a.status !== 'running') break
    await new Promise((res) => setTimeout(res, 300))
  }
  assert.equal(a.status, 'done', a.error)
  assert.deepEqual(a.result.species, SPECIES)
  assert.ok(a.result.fit.every((f) => f.r2 > 0.9))

  const bad = await staff.post('/api/v1/pmf/analyses', { ...body, species: [{ factor: 'w01', mdl: 0.01, ef: 0.1 }] })
  assert.equal(bad.status, 422)
  assert.equal(bad.json.error.field, 'species')
  const none = await staff.post('/api/v1/pmf/analyses', { ...body, station_id: 999999 })
  assert.equal(none.status, 422)
})
