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
import { xlsxRows } from '../app/xlsx_sheet.mjs'

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

test("the demo's township offices get each missed village-day once, one notice per township and day", async () => {
  const towns = { 蛟潭镇: 'jiaotan', 经公桥镇: 'jinggongqiao' }
  const villages = (await staff.get('/api/v1/village/waste/villages')).json.items
  // what the morning sweep owes: the missed days of the flag window (7 days up to yesterday from
  // 08:00 Beijing, up to the day before yesterday before), per township
  const last = beijingDay(beijingHour() >= 8 ? -1 : -2)
  const first = new Date(Date.parse(last + 'T00:00:00Z') - 6 * 86400e3).toISOString().slice(0, 10)
  const owed = {}
  for (const v of villages) {
    assert.match(v.section_name, new RegExp(`^${v.township}环保所$`))
    const pub = (await anon.get(`/api/v1/public/village/waste/${v.id}`)).json
    for (const d of pub.last30) {
      if (d.state !== 'missed' || d.day < first || d.day > last) continue
      const key = `${v.township} ${d.day}`
      ;(owed[key] ??= []).push(v.village)
    }
  }
  assert.ok(Object.keys(owed).length > 0, 'the demo has missed days in the window')
  for (let round = 0; round < 2; round++) {
    if (round) { // a restart sweeps again: nothing new
      await server.stop()
      await start()
    }
    for (const [town, user] of Object.entries(towns)) {
      const c = new Client(server.url)
      assert.equal((await c.login(user, 'Town@2026')).status, 200)
      const notes = (await c.get('/api/v1/service/notifications?limit=200')).json.items.filter((n) => n.kind === 'waste_missed')
      const keys = notes.map((n) => `${n.params.township} ${n.params.day}`)
      assert.equal(new Set(keys).size, keys.length, `${user}: one notice per township-day: ${keys}`)
      for (const n of notes) assert.equal(n.params.township, town, `${user} gets only his township`)
      const mine = Object.keys(owed).filter((k) => k.startsWith(town + ' ')).sort()
      assert.deepEqual(keys.filter((k) => k >= `${town} ${first}`).sort(), mine)
      for (const n of notes) {
        const key = `${n.params.township} ${n.params.day}`
        if (!owed[key]) continue
        assert.deepEqual(n.params.villages.split('、').sort(), owed[key].sort())
        assert.equal(n.message, `${n.params.township} ${n.params.day} 生活垃圾未日产日清：${n.params.villages}，请督促乡镇核实清运`)
      }
    }
  }
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

test('spot checks and tonnages in the month per village and per township, JSON and both xlsx sheets', async () => {
  const rate = (part, whole) => (whole > 0 ? Math.round((1000 * part) / whole) / 10 : null)
  const month = async () => (await staff.get('/api/v1/village/waste/monthly')).json
  const before = await month()
  const v = before.items.find((x) => x.village === '兰田村')
  assert.ok(v, JSON.stringify(before.items.map((x) => x.village)))
  const r = await staff.post(`/api/v1/village/waste/villages/${v.id}/checks`, { day: beijingDay(), checked: 20, sorting: 5 })
  assert.equal(r.status, 201, r.text)
  const m = await month()
  const after = m.items.find((x) => x.id === v.id)
  assert.equal(after.checked, v.checked + 20)
  assert.equal(after.sorting, v.sorting + 5)
  assert.equal(after.sorting_rate, rate(after.sorting, after.checked))
  for (const t of m.townships) {
    const vs = m.items.filter((x) => x.township === t.township)
    for (const k of ['checked', 'sorting', 'missed_days']) assert.equal(t[k], vs.reduce((s, x) => s + x[k], 0), `${t.township} ${k}`)
    for (const k of ['collected_t', 'transferred_t']) assert.ok(Math.abs(t[k] - vs.reduce((s, x) => s + x[k], 0)) < 0.002, `${t.township} ${k}`)
    assert.equal(t.sorting_rate, rate(t.sorting, t.checked))
    assert.equal(t.clearance_rate, rate(t.cleared_days, t.days))
    assert.ok(t.transferred_t > 0)
  }
  const town = m.townships.find((t) => t.township === after.township)
  const beforeTown = before.townships.find((t) => t.township === after.township)
  assert.equal(town.checked, beforeTown.checked + 20)

  // the village sheet: its sorting columns carry the JSON's figures
  const xv = await staff.request('GET', '/api/v1/village/waste/monthly?format=xlsx', { raw: true })
  assert.equal(xv.status, 200)
  const vrows = xlsxRows(Buffer.from(await xv.arrayBuffer()))
  const vh = vrows[0]
  for (const h of ['行政村', '抽查户数', '分类户数', '分类参与率（%）', '收集量（吨）', '转运量（吨）', '未清运天数', '日产日清率（%）']) assert.ok(vh.includes(h), h)
  assert.equal(vrows.length - 1, m.items.length)
  const vrow = vrows.find((x) => x[vh.indexOf('行政村')] === '兰田村')
  assert.equal(Number(vrow[vh.indexOf('抽查户数')]), after.checked)
  assert.equal(Number(vrow[vh.indexOf('分类户数')]), after.sorting)
  assert.equal(Number(vrow[vh.indexOf('分类参与率（%）')]), after.sorting_rate)
  assert.equal(Number(vrow[vh.indexOf('转运量（吨）')]), after.transferred_t)

  // the township level: JSON and its own sheet
  const tj = await staff.get('/api/v1/village/waste/monthly?level=township')
  assert.equal(tj.status, 200, tj.text)
  assert.deepEqual(tj.json.items, m.townships)
  const xt = await staff.request('GET', '/api/v1/village/waste/monthly?level=township&format=xlsx', { raw: true })
  assert.equal(xt.status, 200)
  assert.match(xt.headers.get('content-disposition'), /village-waste-townships/)
  const trows = xlsxRows(Buffer.from(await xt.arrayBuffer()))
  const th = trows[0]
  for (const h of ['乡镇', '行政村数', '未清运村日', '抽查户数', '分类户数', '分类参与率（%）', '收集量（吨）', '转运量（吨）']) assert.ok(th.includes(h), h)
  assert.equal(trows.length - 1, m.townships.length)
  const trow = trows.find((x) => x[th.indexOf('乡镇')] === town.township)
  assert.equal(Number(trow[th.indexOf('抽查户数')]), town.checked)
  assert.equal(Number(trow[th.indexOf('分类参与率（%）')]), town.sorting_rate)
  assert.equal(Number(trow[th.indexOf('未清运村日')]), town.missed_days)
  assert.equal((await staff.get('/api/v1/village/waste/monthly?level=county')).status, 422)

  // the public page: this month's rate and missed days (which), no phone, no logs
  const pub = await anon.get(`/api/v1/public/village/waste/${v.id}`)
  assert.equal(pub.status, 200, pub.text)
  assert.equal(pub.json.clearance_rate, after.clearance_rate)
  assert.equal(pub.json.missed_days, after.missed_days)
  assert.deepEqual(pub.json.missed, after.missed)
  assert.equal(pub.json.sorting_rate, after.sorting_rate)
  assert.equal(pub.json.collector_phone, undefined)
  assert.equal(pub.json.logs, undefined)
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
