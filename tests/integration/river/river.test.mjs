// The river-chief module over real sockets: who sees what (a village chief
// only his reach, an enterprise 403, the public only the signboard), the
// GeoJSON import refusing hostile input with stable codes, chiefs and the
// "who is behind" list with configurable intervals, a patrol from the phone
// (track checks, a problem that becomes a 督办 item, a photo whose EXIF
// position is kept), and the public signboard with a citizen's report.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { demoDb, startServer, Client } from '../lib.mjs'
import { exifJpeg } from './exif.mjs'

let env, srv, staff, admin, ent, anon, village, town
const V = '/api/v1/river'

before(async () => {
  env = demoDb({ enterprises: 5 })
  srv = await startServer(env.db)
  staff = await Client.as(srv.url, 'staff')
  admin = await Client.as(srv.url, 'admin')
  ent = await Client.as(srv.url, 'enterprise')
  anon = new Client(srv.url)
  village = new Client(srv.url)
  assert.equal((await village.login('chief_village', 'Chief@2026')).status, 200)
  town = new Client(srv.url)
  assert.equal((await town.login('chief_town', 'Chief@2026')).status, 200)
})

after(async () => {
  await srv?.stop()
  env?.cleanup()
})

async function reachByCode(code) {
  const r = await staff.get(V + '/reaches')
  return r.json.items.find((x) => x.code === code)
}

test('roles: bureau sees all reaches, a village chief his own, enterprise 403, public 401', async () => {
  const all = await staff.get(V + '/reaches')
  assert.equal(all.status, 200)
  assert.deepEqual(all.json.items.map((x) => x.code), ['CJ-01', 'CJ-02', 'CJ-03', 'CJ-04', 'YT-01'])
  const mine = await village.get(V + '/reaches')
  assert.deepEqual(mine.json.items.map((x) => x.code), ['CJ-01'])
  const other = await reachByCode('CJ-03')
  assert.equal((await village.get(`${V}/reaches/${other.id}`)).status, 404)
  assert.equal((await village.get(`${V}/patrols`)).json.items.every((p) => p.reach_code === 'CJ-01'), true)
  const map = await village.get(V + '/map')
  assert.equal(map.json.reaches.features.length, 1)
  assert.equal((await ent.get(V + '/reaches')).status, 403)
  assert.equal((await ent.get(V + '/map')).status, 403)
  assert.equal((await anon.get(V + '/reaches')).status, 401)
  assert.equal((await anon.get(`/api/v1/public/river/reaches/${other.id}`)).status, 200)
  // the register is written by staff and admins, not by a leader or a chief's read
  const leader = await Client.as(srv.url, 'leader')
  assert.equal((await leader.post(V + '/chiefs', { name: 'x' })).status, 403)
  assert.equal((await staff.put(V + '/intervals', { village: 5 })).status, 403)
  // a chief's account patrols but does not edit the register, though it is a staff account
  const mineId = mine.json.items[0].id
  for (const [method, url, body] of [
    ['POST', V + '/chiefs', { name: '某', level: 'village', phone: '13900000000' }],
    ['PUT', `${V}/reaches/${mineId}`, { section_id: null }],
    ['POST', V + '/sections/link', { section_id: 1, reach_id: mineId }],
    ['POST', V + '/sections/check', {}],
    ['POST', V + '/import', '{"type":"FeatureCollection","features":[]}'],
  ]) {
    const r = await village.request(method, url, { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } })
    assert.equal(r.status, 403, method + ' ' + url)
  }
})

test('import: a GeoJSON collection is checked whole and hostile input refused with stable codes', async () => {
  const post = (body) => staff.request('POST', V + '/import', { body: typeof body === 'string' ? body : JSON.stringify(body) })
  let r = await post('{"type":"FeatureCollection",')
  assert.equal(r.status, 400)
  assert.equal(r.json.error.code, 'bad_json')
  r = await post({ type: 'Feature' })
  assert.equal(r.status, 422)
  assert.equal(r.json.error.code, 'invalid_field')
  r = await post({ type: 'FeatureCollection', features: [] })
  assert.equal(r.json.error.code, 'invalid_field')
  const feature = (code, geometry, extra = {}) => ({
    type: 'Feature', properties: { code, name: '南河' + code, water_code: 'NH', water_name: '南河', ...extra }, geometry,
  })
  const line = { type: 'LineString', coordinates: [[117.25, 29.33], [117.27, 29.36]] }
  r = await post({
    type: 'FeatureCollection',
    features: [
      feature('NH-01', line),
      feature('NH-02', { type: 'LineString', coordinates: [[29.33, 117.25], [29.36, 117.27]] }),
      feature('NH-03', { type: 'Point', coordinates: [117.25, 29.33] }),
      feature('NH-01', line),
      feature('NH 04', line),
      { type: 'Feature', properties: { code: 'NH-05' }, geometry: line },
    ],
  })
  assert.equal(r.status, 422)
  assert.equal(r.json.error.code, 'import_errors')
  const byFeature = Object.fromEntries(r.json.error.errors.map((e) => [e.feature, e.field]))
  assert.deepEqual(byFeature, { 2: 'geometry', 3: 'geometry', 4: 'code', 5: 'code', 6: 'name' })
  assert.equal((await staff.get(V + '/reaches')).json.items.length, 5, 'nothing imported')
  r = await post({ type: 'FeatureCollection', features: [feature('NH-01', line, { township: '昌南镇', seq: 1 })] })
  assert.equal(r.status, 200)
  assert.deepEqual(r.json, { created: 1, updated: 0, waters: 1 })
  r = await post({ type: 'FeatureCollection', features: [feature('NH-01', line, { township: '丽阳镇', seq: 1 })] })
  assert.deepEqual(r.json, { created: 0, updated: 1, waters: 1 })
  const nh = await reachByCode('NH-01')
  assert.equal(nh.township, '丽阳镇')
  assert.ok(nh.length_m > 3500 && nh.length_m < 4500, String(nh.length_m))
  assert.equal((await ent.request('POST', V + '/import', { body: '{}' })).status, 403)
})

test('chiefs: phone and account checked; who is behind follows the interval per level', async () => {
  const cj2 = await reachByCode('CJ-02')
  let r = await staff.post(V + '/chiefs', { name: '周', level: 'village', phone: '12345', reaches: [{ reach_id: cj2.id }] })
  assert.equal(r.status, 422)
  assert.equal(r.json.error.field, 'phone')
  r = await staff.post(V + '/chiefs', { name: '周', level: 'province', phone: '13900000000' })
  assert.equal(r.json.error.field, 'level')
  const villageMe = (await village.get(V + '/meta')).json.me
  r = await staff.post(V + '/chiefs', { name: '周', level: 'village', phone: '13900000000', user_id: villageMe.user_id })
  assert.equal(r.status, 409)
  r = await staff.post(V + '/chiefs', { name: '周建华', level: 'village', phone: '13900000000', reaches: [{ reach_id: cj2.id, since: '2026-01-01' }] })
  assert.equal(r.status, 201)
  assert.equal(r.json.reaches[0].code, 'CJ-02')
  // never patrolled since January: behind
  let behind = (await staff.get(V + '/behind')).json.items
  const zhou = behind.find((x) => x.chief === '周建华')
  assert.ok(zhou && zhou.days_behind > 100)
  // the demo's village chief stopped three weeks ago: behind on his weekly duty
  const wu = behind.find((x) => x.chief === '吴长青' && x.reach === '昌江瑶里段')
  assert.ok(wu.days_behind >= 7, JSON.stringify(wu))
  assert.equal(wu.interval_days, 7)
  // a yearly village interval clears him
  r = await admin.put(V + '/intervals', { village: 366 })
  assert.equal(r.status, 200)
  assert.equal(r.json.levels.find((l) => l.level === 'village').days, 366)
  behind = (await staff.get(V + '/behind')).json.items
  assert.equal(behind.find((x) => x.chief === '吴长青'), undefined)
  assert.equal((await admin.put(V + '/intervals', { village: 0 })).status, 422)
  await admin.put(V + '/intervals', { village: 7 })
  // a chief sees only the duties of his reaches
  const hisBehind = (await village.get(V + '/behind?all=1')).json.items
  assert.ok(hisBehind.length > 0 && hisBehind.every((x) => x.reach === '昌江瑶里段'))
})

test('patrol from the phone: fixes checked, a problem becomes a tracker item, the photo keeps its EXIF position', async () => {
  const cj1 = await reachByCode('CJ-01')
  const cj3 = await reachByCode('CJ-03')
  assert.equal((await staff.post(V + '/patrols', { reach_id: cj1.id })).status, 403)
  let r = await village.post(V + '/patrols', { reach_id: cj3.id })
  assert.equal(r.status, 422)
  r = await village.post(V + '/patrols', { reach_id: cj1.id })
  assert.equal(r.status, 201)
  const patrol = r.json
  assert.equal(patrol.status, 'open')
  const t0 = Math.floor(Date.now() / 1000)
  const fixes = [
    { t: t0 * 1000, lon: 117.5, lat: 29.58, acc: 8 },
    { t: (t0 + 1) * 1000, lon: 117.5, lat: 29.5801, acc: 8 },
    { t: (t0 + 2) * 1000, lon: 117.6, lat: 29.5801, acc: 8 }, // 10 km in a second
  ]
  r = await village.post(`${V}/patrols/${patrol.id}/fixes`, { fixes })
  assert.equal(r.status, 200)
  assert.equal(r.json.accepted, 3)
  assert.equal(r.json.fast, 1)
  assert.ok(r.json.distance_m > 9 && r.json.distance_m < 13)
  // out of order, outside China, too many, wrong types: refused
  for (const bad of [
    [{ t: t0, lon: 117.5, lat: 29.58 }],
    [{ t: t0 + 5, lon: 2.35, lat: 48.85 }],
    [{ t: 'now', lon: 117.5, lat: 29.58 }],
    Array.from({ length: 501 }, (_, i) => ({ t: t0 + 10 + i, lon: 117.5, lat: 29.58 })),
  ]) {
    const b = await village.post(`${V}/patrols/${patrol.id}/fixes`, { fixes: bad })
    assert.equal(b.status, 422)
    assert.equal(b.json.error.field, 'fixes')
  }
  // another chief cannot post to it
  assert.equal((await town.post(`${V}/patrols/${patrol.id}/fixes`, { fixes: [{ t: t0 + 9, lon: 117.5, lat: 29.58 }] })).status, 404)
  r = await village.post(`${V}/patrols/${patrol.id}/problems`, { category: 'nonsense', description: 'x' })
  assert.equal(r.json.error.field, 'category')
  r = await village.post(`${V}/patrols/${patrol.id}/problems`, { category: 'dumping', description: '河岸堆放垃圾' })
  assert.equal(r.status, 201)
  const problem = r.json
  assert.ok(problem.tracker_id)
  assert.equal(problem.status, 'open')
  assert.equal(problem.lon, null)
  const item = await staff.get(`/api/v1/service/tracker/${problem.tracker_id}`)
  assert.equal(item.status, 200)
  assert.equal(item.json.source, 'river_patrol')
  assert.match(item.json.title, /乱堆/)
  // photos: an EXIF JPEG gives the position; a text file is refused
  r = await village.request('POST', `${V}/problems/${problem.id}/photos?name=a.jpg`, { body: exifJpeg([29, 34, 48], [117, 30, 0]) })
  assert.equal(r.status, 201, r.text)
  assert.deepEqual(r.json.exif_position, [117.5, 29.58])
  r = await village.request('POST', `${V}/problems/${problem.id}/photos?name=a.txt`, { body: 'not a photo' })
  assert.equal(r.status, 415)
  const seen = await staff.get(`${V}/problems/${problem.id}`)
  assert.equal(seen.json.position_from, 'exif')
  assert.equal(seen.json.photos.length, 1)
  r = await village.post(`${V}/patrols/${patrol.id}/end`, { note: '完成' })
  assert.equal(r.status, 200)
  assert.equal(r.json.status, 'done')
  assert.equal(r.json.track.length, 3)
  r = await village.post(`${V}/patrols/${patrol.id}/fixes`, { fixes: [{ t: t0 + 100, lon: 117.5, lat: 29.58 }] })
  assert.equal(r.status, 409)
  assert.equal(r.json.error.code, 'invalid_state')
})

test('signboard: public page, QR, a citizen report followed by its code', async () => {
  const cj1 = await reachByCode('CJ-01')
  const page = await anon.get(`/api/v1/public/river/reaches/${cj1.id}`)
  assert.equal(page.status, 200)
  assert.equal(page.json.name, '昌江瑶里段')
  assert.ok(page.json.chiefs.length >= 4)
  for (const c of page.json.chiefs) {
    assert.equal(c.user_id, undefined)
    assert.ok(c.phone && c.level_name)
  }
  assert.ok(page.json.sections.some((s) => s.code === 'W-01'))
  assert.equal((await anon.get('/api/v1/public/river/reaches/99999')).status, 404)
  const qr = await staff.get(`${V}/reaches/${cj1.id}/qr?base=https://hb.example.gov.cn`)
  assert.equal(qr.status, 200)
  assert.equal(qr.json.url, `https://hb.example.gov.cn/river/${cj1.id}`)
  assert.match(qr.json.qr_svg, /^<svg/)
  for (const base of ['javascript:alert(1)', 'https://evil.example/x?', 'ftp://h']) {
    const bad = await staff.get(`${V}/reaches/${cj1.id}/qr?base=${encodeURIComponent(base)}`)
    assert.equal(bad.status, 422)
    assert.equal(bad.json.error.field, 'base')
  }
  let r = await anon.post(`/api/v1/public/river/reaches/${cj1.id}/reports`, { category: 'dead_fish', description: '' })
  assert.equal(r.status, 422)
  r = await anon.post(`/api/v1/public/river/reaches/${cj1.id}/reports`, { category: 'dead_fish', description: '桥下有死鱼', phone: '123' })
  assert.equal(r.json.error.field, 'phone')
  r = await anon.post(`/api/v1/public/river/reaches/${cj1.id}/reports`, { category: 'dead_fish', description: '桥下有死鱼', name: '张三', phone: '13800000000' })
  assert.equal(r.status, 201)
  const code = r.json.code
  assert.match(code, /^[2-9A-Z]{10}$/)
  r = await anon.request('POST', `/api/v1/public/river/reports/${code}/photos?name=p.jpg`, { body: exifJpeg([29, 34, 48], [117, 30, 0]) })
  assert.equal(r.status, 200, r.text)
  const follow = await anon.get(`/api/v1/public/river/reports/${code.toLowerCase()}`)
  assert.equal(follow.status, 200)
  assert.equal(follow.json.status, 'open')
  assert.equal(follow.json.category_name, '死鱼')
  assert.ok(follow.json.deadline)
  assert.equal(follow.json.reporter_phone, undefined)
  assert.equal((await anon.get('/api/v1/public/river/reports/AAAAAAAAAA')).status, 404)
  assert.equal((await anon.get('/api/v1/public/river/reports/..%2F..')).status, 404)
  // the item is in the bureau's tracker as a citizen report
  const items = await staff.get('/api/v1/service/tracker?source=river_citizen')
  assert.equal(items.status, 200)
  assert.ok(items.json.items.some((i) => /死鱼/.test(i.title)))
})

test('citizen reports go through the anonymous-write limit', async () => {
  const e2 = demoDb({ enterprises: 5 })
  const s2 = await startServer(e2.db, ['--public-write-burst=3', '--public-write-per-minute=1'])
  try {
    const c = new Client(s2.url)
    const reach = (await (await Client.as(s2.url, 'staff')).get(V + '/reaches')).json.items[0]
    const statuses = []
    for (let i = 0; i < 5; i++) {
      const r = await c.post(`/api/v1/public/river/reaches/${reach.id}/reports`, { category: 'other', description: '第' + i + '次' })
      statuses.push(r.status)
    }
    assert.deepEqual(statuses.slice(0, 3), [201, 201, 201])
    assert.equal(statuses[4], 429)
  } finally {
    await s2.stop()
    e2.cleanup()
  }
})
