// Rural sewage facilities (issue 15, village half) against the real server: the demo county's
// facilities and their map states; who may see and write what (staff, leader, enterprise 403,
// anonymous 401); hostile input refused with the stable codes; a manual sample judged against
// GB 18918 and its exceedance becoming one tracker item; an operator's stop raising one stop
// alarm however often it is reported; the online facility's daily values arriving over HJ 212
// from its registered device; a facility's month and the monthly table as JSON and xlsx.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { demoDb, startServer, Client } from '../lib.mjs'
import { frame } from '../hj212peer.mjs'

let env, server, staff, leader, ent, anon, port

const beijingDay = (offsetDays = 0) => new Date(Date.now() + 8 * 3600e3 + offsetDays * 86400e3).toISOString().slice(0, 10)

before(async () => {
  env = demoDb({ enterprises: 40 })
  server = await startServer(env.db, ['--hj212-rate=0', '--quality-feed-interval=0', '--public-write-burst=30'])
  port = Number(/hj212 listening on 127\.0\.0\.1:(\d+)/.exec(server.output())[1])
  staff = await Client.as(server.url, 'staff')
  leader = await Client.as(server.url, 'leader')
  ent = await Client.as(server.url, 'enterprise')
  anon = new Client(server.url)
})

after(async () => {
  await server?.stop()
  env?.cleanup()
})

const byName = (items, name) => items.find((x) => x.name === name)

test('the demo county: one online, one manual, one stopped, one without data', async () => {
  const r = await leader.get('/api/v1/village/facilities')
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.items.length, 4)
  const online = byName(r.json.items, '礼芳村污水处理站')
  assert.ok(online.station_id > 0)
  assert.equal(online.state, 'compliant')
  assert.equal(online.last_sample.source, 'online')
  assert.equal(byName(r.json.items, '经公桥村污水处理站').state, 'stopped')
  assert.equal(byName(r.json.items, '鹅湖村污水处理站').state, 'no_data')
  assert.equal(byName(r.json.items, '鹅湖村污水处理站').standard, 'custom')
  const alarms = await staff.get('/api/v1/village/alarms')
  assert.deepEqual(alarms.json.items.map((a) => a.kind).sort(), ['exceed', 'exceed', 'stop'])
  for (const a of alarms.json.items) {
    assert.ok(a.item_id > 0)
    const item = await staff.get(`/api/v1/service/tracker/${a.item_id}`)
    assert.equal(item.status, 200, item.text)
    assert.equal(item.json.owner_section, '水生态环境科')
  }
  assert.ok(alarms.json.items.some((a) => a.event.startsWith('day:') && a.facility_name === '礼芳村污水处理站'))
  const std = await staff.get('/api/v1/village/standards')
  const a1 = std.json.items.find((s) => s.code === 'gb18918_1a')
  assert.equal(a1.limits.find((l) => l.factor === 'w01018').max, 50)
})

test('roles: the bureau reads, staff write, an enterprise is refused, the public must sign in', async () => {
  assert.equal((await ent.get('/api/v1/village/facilities')).status, 403)
  assert.equal((await ent.get('/api/v1/village/facilities/1')).status, 403)
  assert.equal((await ent.post('/api/v1/village/facilities/1/samples', { day: beijingDay(), values: { w01018: 1 } })).status, 403)
  assert.equal((await anon.get('/api/v1/village/facilities')).status, 401)
  assert.equal((await anon.get('/api/v1/village/sewage/monthly')).status, 401)
  assert.equal((await leader.post('/api/v1/village/facilities', {})).status, 403)
  assert.equal((await leader.get('/api/v1/village/sewage/monthly')).status, 200)
})

test('a facility is validated: hostile and incomplete input is refused with the field named', async () => {
  const base = { name: '测试站', county: '浮溪县', township: '蛟潭镇', village: '测试村', capacity: 40, standard: 'gb18918_1b', section_id: 6 }
  const bad = [
    [{ ...base, capacity: 'many' }, 'capacity'],
    [{ ...base, capacity: 1e9 }, 'capacity'],
    [{ ...base, name: 'x'.repeat(500) }, 'name'],
    [{ ...base, name: 'a\u0007b' }, 'name'],
    [{ ...base, standard: 'gb3838' }, 'standard'],
    [{ ...base, standard: 'custom', standard_name: '省标' }, 'limits'],
    [{ ...base, standard: 'custom', standard_name: '省标', limits: [{ factor: 'COD', max: 50 }] }, 'limits'],
    [{ ...base, limits: [{ factor: 'w01018', max: 500 }] }, 'limits'],
    [{ ...base, section_id: 99999 }, 'section_id'],
    [{ ...base, station_id: 99999 }, 'station_id'],
    [{ ...base, lon: 200, lat: 30 }, 'lon'],
    [{ ...base, commissioned: '2999-01-01' }, 'commissioned'],
  ]
  for (const [body, field] of bad) {
    const r = await staff.post('/api/v1/village/facilities', body)
    assert.equal(r.status, 422, `${JSON.stringify(body).slice(0, 120)} -> ${r.text}`)
    assert.equal(r.json.error.code, 'invalid_field')
    assert.equal(r.json.error.field, field, r.text)
  }
  assert.equal((await staff.post('/api/v1/village/facilities', '{"name":', { headers: { 'content-type': 'application/json' } })).status, 400)
  const ok = await staff.post('/api/v1/village/facilities', { ...base, standard: 'custom', standard_name: '省农村污水标准 二级', limits: [{ factor: 'w01018', max: 100 }, { factor: 'w01001', min: 6, max: 9 }] })
  assert.equal(ok.status, 201, ok.text)
  assert.equal(ok.headers.get('location'), `/api/v1/village/facilities/${ok.json.id}`)
  assert.equal(ok.json.limits.length, 2)
  assert.equal(ok.json.state, 'no_data')
  assert.equal((await staff.post('/api/v1/village/facilities', { ...base, standard: 'custom', standard_name: 'x', limits: [{ factor: 'w01018', max: 1 }] })).status, 409)
  const up = await staff.put(`/api/v1/village/facilities/${ok.json.id}`, { ...base, capacity: 60 })
  assert.equal(up.status, 200, up.text)
  assert.equal(up.json.capacity, 60)
  assert.equal(up.json.standard_name, 'GB 18918-2002 一级B')
  assert.equal((await staff.put('/api/v1/village/facilities/99999', base)).status, 404)
})

test('a manual sample is judged; an exceedance opens one tracker item', async () => {
  const list = (await staff.get('/api/v1/village/facilities')).json.items
  const f = byName(list, '测试站')
  const bad = [
    { day: beijingDay(1), values: { w01018: 30 } },
    { day: beijingDay(), values: {} },
    { day: beijingDay(), values: { w01018: 'high' } },
    { day: beijingDay(), values: { w01018: -1 } },
    { day: beijingDay(), values: { w01001: 15 } },
    { day: beijingDay(), values: { 'w01018; DROP TABLE': 1 } },
    { day: beijingDay(), values: { w01010: 18 } }, // temperature alone: nothing its standard limits
  ]
  for (const body of bad) {
    const r = await staff.post(`/api/v1/village/facilities/${f.id}/samples`, body)
    assert.equal(r.status, 422, `${JSON.stringify(body)} -> ${r.text}`)
  }
  let r = await staff.post(`/api/v1/village/facilities/${f.id}/samples`, { day: beijingDay(), values: { w01018: 45, w01001: 7 }, sampler: '县监测站' })
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.state, 'compliant')
  r = await staff.post(`/api/v1/village/facilities/${f.id}/samples`, { day: beijingDay(), values: { w01018: 75.5 } })
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.state, 'exceeding')
  assert.equal(r.json.samples[0].exceed[0].factor, 'w01018')
  assert.equal(r.json.samples[0].exceed[0].limit, 60)
  assert.equal(r.json.alarms.length, 1)
  const item = await staff.get(`/api/v1/service/tracker/${r.json.alarms[0].item_id}`)
  assert.match(item.json.title, /超标：蛟潭镇测试站/)
  assert.match(item.json.detail, /化学需氧量 75\.5（限值 60）/)
  const m = await staff.get(`/api/v1/village/facilities/${f.id}/month`)
  assert.equal(m.json.sample_count, 2)
  assert.equal(m.json.compliance_rate, 50)
  assert.equal(m.json.month_compliant, false)
  assert.deepEqual(m.json.exceed_by_factor, { w01018: 1 })
})

test('a stop reported twice raises one stop alarm; the day counts as stopped', async () => {
  const f = byName((await staff.get('/api/v1/village/facilities')).json.items, '测试站')
  assert.equal((await staff.post(`/api/v1/village/facilities/${f.id}/inspections`, { day: beijingDay(), running: false })).status, 422)
  for (let i = 0; i < 2; i++) {
    const r = await staff.post(`/api/v1/village/facilities/${f.id}/inspections`, { day: beijingDay(), running: false, note: '风机故障停运' })
    assert.equal(r.status, 201, r.text)
    assert.equal(r.json.state, 'stopped')
  }
  const alarms = await staff.get(`/api/v1/village/alarms?facility_id=${f.id}`)
  assert.equal(alarms.json.items.filter((a) => a.kind === 'stop').length, 1)
  const m = await staff.get(`/api/v1/village/facilities/${f.id}/month`)
  assert.equal(m.json.day_states.at(-1).state, 'stop')
  assert.equal(m.json.stopped_days, 1)
})

test("an inspection's photos go through the attachment store: type by content, bureau only", async () => {
  const f = byName((await staff.get('/api/v1/village/facilities')).json.items, '测试站')
  const iid = (await staff.get(`/api/v1/village/facilities/${f.id}`)).json.inspections[0].id
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')
  const up = (id, body, name = 'site.png', who = staff) => who.request('POST', `/api/v1/village/facilities/${f.id}/inspections/${id}/photos?name=${encodeURIComponent(name)}`, { body, headers: { 'content-type': 'application/octet-stream' } })
  let r = await up(iid, png)
  assert.equal(r.status, 201, r.text)
  const photo = r.json.inspections.find((i) => i.id === iid).photos[0]
  assert.equal(photo.mime, 'image/png')
  assert.equal(r.headers.get('location'), `/api/v1/service/attachments/${photo.id}`)
  const get = await staff.request('GET', `/api/v1/service/attachments/${photo.id}`, { raw: true })
  assert.equal(get.status, 200)
  assert.deepEqual(Buffer.from(await get.arrayBuffer()), png)
  assert.equal((await ent.request('GET', `/api/v1/service/attachments/${photo.id}`, { raw: true })).status, 404)
  r = await up(iid, Buffer.from('#!/bin/sh\nrm -rf /\n'), 'x.png')
  assert.equal(r.status, 415, r.text)
  assert.equal((await up(iid, png, 'site.png', ent)).status, 403)
  const other = byName((await staff.get('/api/v1/village/facilities')).json.items, '经公桥村污水处理站')
  const otherInspection = (await staff.get(`/api/v1/village/facilities/${other.id}`)).json.inspections[0].id
  assert.equal((await up(otherInspection, png)).status, 404)
  assert.equal((await up(999999, png)).status, 404)
})

test("the operator's phone link: today's or yesterday's inspection without an account", async () => {
  const f = byName((await staff.get('/api/v1/village/facilities')).json.items, '臧湾村污水处理站')
  assert.equal((await ent.post(`/api/v1/village/facilities/${f.id}/operator-link`, {})).status, 403)
  assert.equal((await leader.post(`/api/v1/village/facilities/${f.id}/operator-link`, {})).status, 403)
  const link = await staff.post(`/api/v1/village/facilities/${f.id}/operator-link`, { base: server.url })
  assert.equal(link.status, 200, link.text)
  assert.equal(link.json.url, server.url + link.json.path)
  assert.match(link.json.qr_svg, /^<svg /)
  const token = link.json.token
  const view = await anon.get(`/api/v1/village/operate?token=${token}`)
  assert.equal(view.status, 200, view.text)
  assert.equal(view.json.name, '臧湾村污水处理站')
  assert.equal(view.json.operator_phone, undefined)
  assert.equal((await anon.get('/api/v1/village/operate?token=x')).status, 404)
  assert.equal((await anon.post(`/api/v1/village/operate?token=${token}`, { day: beijingDay(-2), running: true })).status, 422)
  assert.equal((await anon.post(`/api/v1/village/operate?token=${token}`, { day: beijingDay(), running: 'yes' })).status, 422)
  const r = await anon.post(`/api/v1/village/operate?token=${token}`, { day: beijingDay(), running: true, note: '出水清澈' })
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.inspections[0].created_by, 'operator')
  const detail = await staff.get(`/api/v1/village/facilities/${f.id}`)
  assert.equal(detail.json.has_operator_link, 1)
  assert.equal(detail.json.inspections[0].note, '出水清澈')
})

test('the online facility reads its daily values from its HJ 212 device', async () => {
  // Two hours of today from the demo device VILLAGE0001 with NH3-N over 一级A's 5 mg/L.
  const midnight = Math.floor((Date.now() / 1000 + 8 * 3600) / 86400) * 86400 - 8 * 3600
  const bjDt = (t) => { const s = new Date(t * 1000 + 8 * 3600e3).toISOString(); return s.slice(0, 4) + s.slice(5, 7) + s.slice(8, 10) + s.slice(11, 13) + '0000' }
  const frames = [0, 3600].map((dt, i) => {
    const q = '20261205' + String(900 + i).padStart(9, '0')
    const cp = `DataTime=${bjDt(midnight + dt)};w00000-Avg=0.5,w00000-Flag=N;w01018-Avg=30,w01018-Flag=N;w21003-Avg=14,w21003-Flag=N`
    return { q, bytes: frame(`QN=${q};ST=32;CN=2061;PW=123456;MN=VILLAGE0001;Flag=5;CP=&&${cp}&&`) }
  })
  const sock = net.connect(port, '127.0.0.1')
  await new Promise((resolve, reject) => { sock.once('connect', resolve); sock.once('error', reject) })
  let got = ''
  const acked = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no acks: ' + got)), 20_000)
    sock.on('data', (d) => { got += d.toString('latin1'); if (frames.every((f) => got.includes(`QN=${f.q};ST=91;CN=9014`))) { clearTimeout(timer); resolve() } })
  })
  for (const f of frames) sock.write(f.bytes)
  await acked
  sock.destroy()
  const id = byName((await staff.get('/api/v1/village/facilities')).json.items, '礼芳村污水处理站').id
  let f
  for (let i = 0; i < 100; i++) {
    f = (await staff.get(`/api/v1/village/facilities/${id}`)).json
    if (f.last_sample?.day === beijingDay()) break
    await new Promise((r) => setTimeout(r, 200))
  }
  assert.equal(f.last_sample.day, beijingDay(), JSON.stringify(f.last_sample))
  assert.equal(f.last_sample.source, 'online')
  assert.equal(f.last_sample.values.w21003, 14)
  assert.equal(f.state, 'exceeding')
  const m = await staff.get(`/api/v1/village/facilities/${id}/month`)
  assert.equal(m.json.day_states.at(-1).state, 'run')
})

test('the monthly table as JSON and as xlsx, and a bad month refused', async () => {
  const d = new Date(Date.now() + 8 * 3600e3)
  const r = await staff.get(`/api/v1/village/sewage/monthly?year=${d.getUTCFullYear()}&month=${d.getUTCMonth() + 1}`)
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.items.length, 5)
  for (const it of r.json.items) assert.ok(it.days >= 0 && it.running_days <= it.days)
  const x = await staff.request('GET', '/api/v1/village/sewage/monthly?format=xlsx', { raw: true })
  assert.equal(x.status, 200)
  assert.match(x.headers.get('content-type'), /spreadsheetml/)
  const bytes = Buffer.from(await x.arrayBuffer())
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK')
  assert.equal((await staff.get('/api/v1/village/sewage/monthly?month=13')).status, 422)
  assert.equal((await staff.get('/api/v1/village/sewage/monthly?format=pdf')).status, 422)
  assert.equal((await staff.get('/api/v1/village/facilities/99999/month')).status, 404)
})

test("the operator's link uploads photos to his own facility's recent checks, nothing else", async () => {
  const items = (await staff.get('/api/v1/village/facilities')).json.items
  const f = byName(items, '经公桥村污水处理站')
  const other = byName(items, '臧湾村污水处理站')
  const token = (await staff.post(`/api/v1/village/facilities/${f.id}/operator-link`, {})).json.token
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')
  const up = (iid, body, tok = token) => anon.request('POST', `/api/v1/village/operate/inspections/${iid}/photos?token=${tok}&name=site.png`, { body, headers: { 'content-type': 'application/octet-stream' } })
  const checked = await anon.post(`/api/v1/village/operate?token=${token}`, { day: beijingDay(), running: false, note: '鼓风机故障' })
  assert.equal(checked.status, 201, checked.text)
  const mine = checked.json.inspections[0]
  assert.equal(mine.photos, 0)
  let r = await up(mine.id, png)
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.inspections.find((i) => i.id === mine.id).photos, 1)
  const photo = (await staff.get(`/api/v1/village/facilities/${f.id}`)).json.inspections.find((i) => i.id === mine.id).photos[0]
  assert.equal(photo.id, r.json.created_id)
  assert.equal(photo.mime, 'image/png')
  const get = await staff.request('GET', `/api/v1/service/attachments/${photo.id}`, { raw: true })
  assert.deepEqual(Buffer.from(await get.arrayBuffer()), png)
  // the type is read from the bytes, not the name
  assert.equal((await up(mine.id, Buffer.from('#!/bin/sh\nrm -rf /\n'))).status, 415)
  // another facility's check, an old check of his own, a bad or replaced token: 404
  const foreign = (await staff.get(`/api/v1/village/facilities/${other.id}`)).json.inspections[0].id
  assert.equal((await up(foreign, png)).status, 404)
  const staffOld = await staff.post(`/api/v1/village/facilities/${f.id}/inspections`, { day: beijingDay(-3), running: false, note: '旧巡查' })
  assert.equal(staffOld.status, 201, staffOld.text)
  assert.equal((await up(staffOld.json.created_id, png)).status, 404)
  assert.equal((await up(mine.id, png, 'x'.repeat(43))).status, 404)
  assert.equal((await up(mine.id, png, 'short')).status, 404)
  // the bureau's own route stays closed to anonymous callers
  assert.equal((await anon.request('POST', `/api/v1/village/facilities/${f.id}/inspections/${mine.id}/photos?name=a.png`, { body: png, headers: { 'content-type': 'application/octet-stream' } })).status, 401)
  const fresh = (await staff.post(`/api/v1/village/facilities/${f.id}/operator-link`, {})).json.token
  assert.equal((await up(mine.id, png)).status, 404)
  assert.equal((await up(mine.id, png, fresh)).status, 201)
  // anonymous uploads count against the anonymous-write limit (last test: it spends it)
  let last
  for (let i = 0; i < 60; i++) {
    last = await up(mine.id, png, fresh)
    if (last.status === 429) break
  }
  assert.equal(last.status, 429, last.text)
  assert.ok(Number(last.headers.get('retry-after')) > 0)
})
