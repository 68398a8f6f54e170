// Sections and responsibility over real sockets: a missed month raises one
// 督办 item and notices to the reach's chiefs, once per section-month however
// often it is checked; the comparison along the river names the reach that
// made it worse; the boundary-section report by month and year, as JSON and
// as an xlsx workbook.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { demoDb, startServer, Client } from '../lib.mjs'

let env, srv, staff, ent, town
const V = '/api/v1/river'
const CLEAN = { ph: '7.5', do: '7.0', codmn: '3.0', cod: '14', bod5: '2.5', nh3n: '0.40', tp: '0.08', tn: '0.8', oil: '0.01' }

before(async () => {
  env = demoDb({ enterprises: 5 })
  srv = await startServer(env.db)
  staff = await Client.as(srv.url, 'staff')
  ent = await Client.as(srv.url, 'enterprise')
  town = new Client(srv.url)
  assert.equal((await town.login('chief_town', 'Chief@2026')).status, 200)
  // March 2025: upstream W-01 class II, the city section W-02 class IV, the boundary W-06 class III
  const put = (section, values) => staff.post('/api/v1/quality/water/samples', { section, date: '2025-03-10', values: { ...CLEAN, ...values } })
  assert.equal((await put('W-01', {})).status, 200)
  assert.equal((await put('W-02', { nh3n: '1.30' })).status, 200)
  assert.equal((await put('W-06', { nh3n: '0.90' })).status, 200)
  assert.equal((await put('W-05', { tp: '0.020' })).status, 200) // a lake: the 湖、库 TP column
})

after(async () => {
  await srv?.stop()
  env?.cleanup()
})

test('a missed month raises one item and notices, once per section-month', async () => {
  assert.equal((await ent.post(V + '/sections/check', { year: 2025, month: 3 })).status, 403)
  assert.equal((await staff.post(V + '/sections/check', { year: 2025 })).status, 422)
  const before = (await town.get('/api/v1/service/notifications')).json.items.length
  let r = await staff.post(V + '/sections/check', { year: 2025, month: 3 })
  assert.equal(r.status, 200)
  assert.equal(r.json.month, '2025-03')
  assert.equal(r.json.checked, 4)
  assert.deepEqual(r.json.raised.map((x) => x.code), ['W-02'])
  const item = await staff.get('/api/v1/service/tracker/' + r.json.raised[0].tracker_id)
  assert.equal(item.json.source, 'river_section')
  assert.match(item.json.title, /2025-03 昌江市区断面 水质Ⅳ类，目标Ⅲ类/)
  assert.match(item.json.detail, /氨氮/)
  r = await staff.post(V + '/sections/check', { year: 2025, month: 3 })
  assert.deepEqual(r.json.raised, [], 'the same month is not raised twice')
  // W-02's reach (CJ-03) has no chief with an account; a miss on CJ-01 notifies its township chief
  assert.equal((await staff.post('/api/v1/quality/water/samples', { section: 'W-01', date: '2025-04-10', values: { ...CLEAN, tp: '0.15' } })).status, 200)
  r = await staff.post(V + '/sections/check', { year: 2025, month: 4 })
  assert.deepEqual(r.json.raised.map((x) => x.code), ['W-01'])
  const notes = (await town.get('/api/v1/service/notifications')).json.items
  assert.ok(notes.length > before)
  assert.ok(notes.some((n) => /2025-04 昌江瑶里断面/.test(n.message)), JSON.stringify(notes.slice(0, 3)))
})

test('along the river: the reach that made it worse', async () => {
  const waters = (await staff.get(V + '/waters')).json.items
  const cj = waters.find((w) => w.code === 'CJ')
  assert.equal(cj.reaches, 4)
  const r = await staff.get(`${V}/waters/${cj.id}/profile?year=2025&month=3`)
  assert.equal(r.status, 200)
  const by = Object.fromEntries(r.json.reaches.map((x) => [x.code, x]))
  assert.deepEqual(r.json.reaches.map((x) => x.code), ['CJ-01', 'CJ-02', 'CJ-03', 'CJ-04'])
  assert.equal(by['CJ-01'].class, 2)
  assert.equal(by['CJ-02'].class, null)
  assert.equal(by['CJ-03'].class, 4)
  assert.equal(by['CJ-03'].upstream_class, 2)
  assert.equal(by['CJ-03'].worse, true)
  assert.equal(by['CJ-03'].delta, 2)
  assert.equal(by['CJ-04'].worse, false)
  assert.equal(by['CJ-04'].delta, -1)
  assert.equal((await staff.get(`${V}/waters/99999/profile`)).status, 404)
  assert.equal((await ent.get(`${V}/waters/${cj.id}/profile`)).status, 403)
})

test('boundary sections: month and year, JSON and xlsx', async () => {
  let r = await staff.get(V + '/boundary?year=2025&month=3')
  assert.equal(r.status, 200)
  assert.deepEqual(r.json.items.map((x) => [x.code, x.boundary, x.class_name, x.compliant]), [['W-06', 'out', 'Ⅲ', true]])
  r = await staff.get(V + '/boundary?period=year&year=2025')
  assert.equal(r.json.items[0].months_sampled, 1)
  assert.equal(r.json.items[0].months_met, 1)
  const x = await staff.request('GET', V + '/boundary?year=2025&month=3&format=xlsx', { raw: true })
  assert.equal(x.status, 200)
  assert.match(x.headers.get('content-type'), /spreadsheetml/)
  const bytes = new Uint8Array(await x.arrayBuffer())
  assert.deepEqual([...bytes.slice(0, 2)], [0x50, 0x4b])
  assert.equal((await staff.get(V + '/boundary?period=decade')).status, 422)
  assert.equal((await staff.get(V + '/boundary?month=13')).status, 422)
})
