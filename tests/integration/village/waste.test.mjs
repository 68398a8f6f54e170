// Rural waste 日产日清 (issue 15, village half) against the real server: the demo villages with a
// month of weighbridge tickets with gaps; the collector's phone log through its link (no login;
// a bad or replaced token refused); the transfer station's weighbridge import as CSV and xlsx,
// hostile files refused by line and nothing written, a re-import adding nothing; spot checks; a
// missed day flagged the next morning to the township's section once, across server restarts;
// the month per village and township as JSON and xlsx; the public village page without login;
// who may do what.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { demoDb, startServer, Client, ecogov } from '../lib.mjs'

let env, server, staff, leader, ent, anon, admin

const beijingDay = (offsetDays = 0) => new Date(Date.now() + 8 * 3600e3 + offsetDays * 86400e3).toISOString().slice(0, 10)
const beijingHour = () => new Date(Date.now() + 8 * 3600e3).getUTCHours()

async function start() {
  server = await startServer(env.db, ['--quality-feed-interval=0'])
  staff = await Client.as(server.url, 'staff')
  leader = await Client.as(server.url, 'leader')
  ent = await Client.as(server.url, 'enterprise')
  admin = await Client.as(server.url, 'admin')
  anon = new Client(server.url)
}

before(async () => {
  env = demoDb({ enterprises: 40 })
  await start()
})

after(async () => {
  await server?.stop()
  env?.cleanup()
})

test('the demo villages: a month of tickets with gaps, rates per village and township', async () => {
  const r = await leader.get('/api/v1/village/waste/villages')
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.items.length, 6)
  const xinjian = r.json.items.find((v) => v.village === '新建村')
  assert.ok(xinjian.missed_days >= 1, JSON.stringify(xinjian))
  const m = await staff.get('/api/v1/village/waste/monthly')
  assert.equal(m.status, 200, m.text)
  assert.equal(m.json.townships.length, 2)
  for (const t of m.json.townships) {
    const vs = m.json.items.filter((v) => v.township === t.township)
    assert.equal(t.villages, vs.length)
    assert.equal(t.days, vs.reduce((s, v) => s + v.days, 0))
    assert.equal(t.cleared_days, vs.reduce((s, v) => s + v.cleared_days, 0))
  }
  for (const v of m.json.items) assert.equal(v.missed.length, v.missed_days)
  const x = await staff.request('GET', '/api/v1/village/waste/monthly?format=xlsx', { raw: true })
  assert.equal(x.status, 200)
  assert.equal(Buffer.from(await x.arrayBuffer()).subarray(0, 2).toString('latin1'), 'PK')
})

test('roles: an enterprise and the public are refused the console routes', async () => {
  assert.equal((await ent.get('/api/v1/village/waste/villages')).status, 403)
  assert.equal((await ent.post('/api/v1/village/waste/villages/1/link', {})).status, 403)
  assert.equal((await anon.get('/api/v1/village/waste/villages')).status, 401)
  assert.equal((await anon.get('/api/v1/village/waste/monthly')).status, 401)
  assert.equal((await leader.post('/api/v1/village/waste/villages/1/checks', { day: beijingDay(), checked: 5, sorting: 2 })).status, 403)
  assert.equal((await leader.request('POST', '/api/v1/village/waste/import', { body: 'x', headers: { 'content-type': 'text/csv' } })).status, 403)
})

test('the public village page needs no login and shows no phone numbers', async () => {
  const r = await anon.get('/api/v1/public/village/waste/1')
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.village, '礼芳村')
  assert.equal(r.json.last30.length, 30)
  assert.equal(r.json.collector_phone, undefined)
  assert.equal(r.json.logs, undefined)
  assert.doesNotMatch(r.text, /13800000000/)
  assert.equal((await anon.get('/api/v1/public/village/waste/9999')).status, 404)
  assert.equal((await anon.get('/api/v1/public/village/waste/abc')).status, 404)
})

test("the collector's phone log through the village's link", async () => {
  assert.equal((await staff.post('/api/v1/village/waste/villages/2/link', { base: 'javascript:alert(1)//' })).status, 422)
  assert.equal((await staff.post('/api/v1/village/waste/villages/999/link', {})).status, 404)
  const link = await staff.post('/api/v1/village/waste/villages/2/link', { base: server.url })
  assert.equal(link.status, 200, link.text)
  assert.match(link.json.path, /^\/v\/collect\/[A-Za-z0-9_-]{43}$/)
  assert.equal(link.json.url, server.url + link.json.path)
  assert.match(link.json.qr_svg, /^<svg /)
  const qr = await staff.get(`/api/v1/village/waste/villages/2/public-qr?base=${encodeURIComponent(server.url)}`)
  assert.equal(qr.status, 200, qr.text)
  assert.equal(qr.json.url, server.url + '/v/waste/2')
  assert.equal((await staff.get('/api/v1/village/waste/villages/2/public-qr')).status, 422)
  assert.equal((await ent.get(`/api/v1/village/waste/villages/2/public-qr?base=${encodeURIComponent(server.url)}`)).status, 403)
  const token = link.json.token
  const view = await anon.get(`/api/v1/village/waste/collect?token=${token}`)
  assert.equal(view.status, 200, view.text)
  assert.equal(view.json.village, '臧湾村')
  assert.equal((await anon.get('/api/v1/village/waste/collect?token=nope')).status, 404)
  const bad = [
    { day: beijingDay(1), weight_kg: 300, cleared: true },
    { day: beijingDay(-3), weight_kg: 300, cleared: true },
    { day: beijingDay(), weight_kg: -5, cleared: true },
    { day: beijingDay(), weight_kg: '300', cleared: true },
    { day: beijingDay(), weight_kg: 300 },
    { day: beijingDay(), weight_kg: 300, cleared: true, note: 'x'.repeat(600) },
  ]
  for (const body of bad) {
    const r = await anon.post(`/api/v1/village/waste/collect?token=${token}`, body)
    assert.equal(r.status, 422, `${JSON.stringify(body).slice(0, 80)} -> ${r.text}`)
  }
  const ok = await anon.post(`/api/v1/village/waste/collect?token=${token}`, { day: beijingDay(), weight_kg: 286.5, cleared: true, note: '正常收运' })
  assert.equal(ok.status, 201, ok.text)
  assert.equal(ok.json.logs[0].weight_kg, 286.5)
  const v = await staff.get('/api/v1/village/waste/villages/2')
  assert.equal(v.json.last30.at(-1).state, 'cleared')
  // A new link revokes the old one.
  assert.equal((await staff.post('/api/v1/village/waste/villages/2/link', {})).status, 200)
  assert.equal((await anon.post(`/api/v1/village/waste/collect?token=${token}`, { day: beijingDay(), weight_kg: 1, cleared: true })).status, 404)
  assert.equal((await anon.post('/api/v1/village/waste/collect', { day: beijingDay(), weight_kg: 1, cleared: true })).status, 404)
})

test('the weighbridge import: CSV and xlsx, errors by line, re-import adds nothing', async () => {
  const head = '日期,乡镇,行政村,磅单号,车牌号,净重（吨）\n'
  const post = (body, type = 'text/csv') => staff.request('POST', '/api/v1/village/waste/import', { body, headers: { 'content-type': type } })
  let r = await post(head + `${beijingDay()},蛟潭镇,无此村,X1,赣H1,0.5\n${beijingDay(1)},蛟潭镇,礼芳村,X2,赣H1,0.5\n${beijingDay()},蛟潭镇,礼芳村,X3,赣H1,=cmd|' /C calc'!A0\n`)
  assert.equal(r.status, 422, r.text)
  assert.equal(r.json.error?.code, 'import_errors', r.text)
  assert.deepEqual(r.json.error.errors.map((e) => e.line), [2, 3, 4])
  r = await post('"broken,csv\n')
  assert.equal(r.status, 422)
  r = await post('not a workbook', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  assert.equal(r.status, 422, r.text)
  assert.equal((await post('x', 'application/json')).status, 415)
  const csv = head + `${beijingDay()},蛟潭镇,兰田村,IT-1,赣H1,0.61\n${beijingDay()},经公桥镇,新建村,IT-2,赣H2,0.2\n`
  r = await post(csv)
  assert.equal(r.status, 200, r.text)
  assert.deepEqual(r.json, { imported: 2, duplicates: 0 })
  r = await post(csv)
  assert.deepEqual(r.json, { imported: 0, duplicates: 2 })
  // Our own xlsx export is a workbook the reader takes; its header is not the ticket header.
  const x = await staff.request('GET', '/api/v1/village/waste/monthly?format=xlsx', { raw: true })
  r = await post(Buffer.from(await x.arrayBuffer()), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  assert.equal(r.status, 422, r.text)
  assert.equal(r.json.error.errors[0].line, 1)
})

test('a sorting spot check counts toward participation', async () => {
  const before = (await staff.get('/api/v1/village/waste/villages/3')).json
  const bad = [{ day: beijingDay(), checked: 0, sorting: 0 }, { day: beijingDay(), checked: 10, sorting: 11 }, { day: beijingDay(1), checked: 10, sorting: 5 }, { day: beijingDay(), checked: 100000, sorting: 5 }]
  for (const body of bad) assert.equal((await staff.post('/api/v1/village/waste/villages/3/checks', body)).status, 422, JSON.stringify(body))
  const r = await staff.post('/api/v1/village/waste/villages/3/checks', { day: beijingDay(), checked: 10, sorting: 7 })
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.checked, before.checked + 10)
  assert.equal(r.json.sorting, before.sorting + 7)
})

test('a missed day is flagged the next morning to the section, once across restarts', async () => {
  // A user of 水生态环境科 (section 6), and a village counted from three days ago with nothing logged.
  const u = await admin.post('/api/v1/users', { username: 'water1', display_name: '水科', password: 'Water1@2026', role: 'staff', section_id: 6 })
  assert.equal(u.status, 201, u.text)
  const v = await staff.post('/api/v1/village/waste/villages', { county: '浮溪县', township: '鹅湖镇', village: '测试村', households: 80, transfer_station: '鹅湖镇转运站', section_id: 6, since: beijingDay(-3) })
  assert.equal(v.status, 201, v.text)
  assert.equal((await staff.post('/api/v1/village/waste/villages', { county: '浮溪县', township: '鹅湖镇', village: '测试村', households: 80, transfer_station: '站', section_id: 6, since: beijingDay(-3) })).status, 409)
  // The server's scheduler sweeps when it starts.
  for (let i = 0; i < 2; i++) {
    await server.stop()
    await start()
  }
  const water = new Client(server.url)
  assert.equal((await water.login('water1', 'Water1@2026')).status, 200)
  const n = await water.get('/api/v1/service/notifications')
  const mine = n.json.items.filter((x) => x.kind === 'waste_missed' && /鹅湖镇/.test(x.message))
  const expected = beijingHour() >= 8 ? 3 : 2 // three days ago .. yesterday, yesterday only from 08:00
  assert.equal(mine.length, expected, n.text.slice(0, 600))
  assert.match(mine[0].message, /测试村/)
  const days = (await staff.get(`/api/v1/village/waste/villages/${v.json.id}`)).json
  assert.equal(days.missed_days >= 2, true)
  void ecogov
})
