// The river chief's own role (chief): a chief's account reaches the river
// module (scoped to his reaches), his own tracker items and notifications, and
// nothing else of the console — a sample of other modules' endpoints answers
// 403 forbidden. The township chief, who owns his reaches' items, uploads the
// evidence of one and submits it; another chief cannot see that item.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { demoDb, startServer, Client, ecogov } from '../lib.mjs'

let env, srv, admin, village, town, stranger
const V = '/api/v1/river'
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)

before(async () => {
  env = demoDb({ enterprises: 5 })
  srv = await startServer(env.db)
  admin = await Client.as(srv.url, 'admin')
  village = new Client(srv.url)
  town = new Client(srv.url)
  assert.equal((await village.login('chief_village', 'Chief@2026')).status, 200)
  assert.equal((await town.login('chief_town', 'Chief@2026')).status, 200)
})

after(async () => {
  await srv?.stop()
  env?.cleanup()
})

test('a chief signs in with the chief role and reaches only the river pages', async () => {
  const me = await village.get('/api/v1/auth/me')
  assert.equal(me.json.user.role, 'chief')
  assert.equal(me.json.user.section_id ?? 0, 0)
  assert.equal((await village.get(V + '/reaches')).json.items.length, 1)
  assert.equal((await village.get('/api/v1/service/notifications')).status, 200)
  for (const url of [
    '/api/v1/enterprises',
    '/api/v1/enterprises/1',
    '/api/v1/monitor/stations',
    '/api/v1/monitor/alerts',
    '/api/v1/quality/alarms',
    '/api/v1/approval/applications',
    '/api/v1/service/visits',
    '/api/v1/service/stats',
    '/api/v1/leader/home',
    '/api/v1/response/list',
    '/api/v1/pmf/analyses',
    '/api/v1/village/facilities',
    '/api/v1/jobs',
    '/api/v1/users',
    '/api/v1/audit',
    '/api/v1/sections',
  ]) {
    const r = await village.get(url)
    assert.equal(r.status, 403, url + ' ' + r.status)
    assert.equal(r.json.error.code, 'forbidden', url)
  }
  assert.equal((await village.post('/api/v1/service/tracker', { title: 'x' })).status, 403)
})

test('an admin creates a chief account without a section; unlinked, it sees no reach', async () => {
  const r = await admin.post('/api/v1/users', { username: 'chief_new', display_name: '新河长', password: 'River#2026x', role: 'chief' })
  assert.equal(r.status, 201, r.text)
  const c = (stranger = new Client(srv.url))
  assert.equal((await c.login('chief_new', 'River#2026x')).status, 200)
  assert.deepEqual((await c.get(V + '/reaches')).json.items, [])
  assert.equal((await c.get(V + '/map')).json.reaches.features.length, 0)
  assert.equal((await c.post(V + '/patrols', { reach_id: 1 })).status >= 400, true)
  assert.deepEqual((await c.get('/api/v1/service/tracker')).json.items, [])
})

test('the tracker shows a chief his own items; he uploads evidence and submits', async () => {
  const mine = (await town.get('/api/v1/service/tracker')).json.items
  assert.ok(mine.length >= 1)
  const townMe = (await town.get('/api/v1/auth/me')).json.user
  const his = (it, u) => it.owner_user_id === u.id || it.assigner_id === u.id
  for (const it of mine) assert.ok(his(it, townMe), String(it.id))
  // the village chief sees the items he raised on his patrols (he assigned them), no others
  const villageMe = (await village.get('/api/v1/auth/me')).json.user
  const raised = (await village.get('/api/v1/service/tracker')).json.items
  assert.ok(raised.length >= 1)
  for (const it of raised) assert.ok(his(it, villageMe), String(it.id))
  const all = (await admin.get('/api/v1/service/tracker')).json.items
  assert.ok(all.length > mine.length, 'the bureau sees more than the chief')
  const other = all.find((it) => !his(it, townMe))
  assert.equal((await town.get('/api/v1/service/tracker/' + other.id)).status, 404)
  assert.equal((await town.post(`/api/v1/service/tracker/${other.id}/progress`, { note: '看看' })).status, 404)
  const open = mine.find((it) => it.status === 'open')
  assert.ok(open, 'an open item of the township chief')
  assert.equal((await stranger.get('/api/v1/service/tracker/' + open.id)).status, 404)
  let r = await town.request('POST', `/api/v1/service/tracker/${open.id}/attachments?name=bank.png`, {
    body: PNG,
    headers: { 'content-type': 'application/octet-stream' },
  })
  assert.equal(r.status, 201, r.text)
  const fileId = r.json.id
  assert.equal((await town.get('/api/v1/service/attachments/' + fileId)).status, 200)
  assert.equal((await stranger.get('/api/v1/service/attachments/' + fileId)).status, 404)
  r = await town.post(`/api/v1/service/tracker/${open.id}/submit`, { note: '已清理岸边垃圾' })
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.status, 'submitted')
  // review stays with the assigner, a leader or an admin
  r = await town.post(`/api/v1/service/tracker/${open.id}/review`, { approve: true })
  assert.equal(r.status, 403)
})

test('a chief opens the photos of his reaches\' problems, no others', async () => {
  const staff = await Client.as(srv.url, 'staff')
  const myReach = (await village.get(V + '/reaches')).json.items[0].id
  const reaches = (await staff.get(V + '/reaches')).json.items
  const otherReach = reaches.find((x) => x.id !== myReach).id
  // a citizen's report on another reach
  const anon = new Client(srv.url)
  const rep = await anon.post(`/api/v1/public/river/reaches/${otherReach}/reports`, { category: 'dumping', description: '桥下有建筑垃圾' })
  assert.equal(rep.status, 201, rep.text)
  const problems = (await staff.get(V + '/problems')).json.items
  const mine = problems.find((x) => x.reach_id === myReach)
  const other = problems.find((x) => x.reach_id === otherReach)
  assert.ok(mine && other, 'problems on his reach and on another')
  const put = async (pr) => {
    const r = await staff.request('POST', `${V}/problems/${pr.id}/photos?name=bank.png`, { body: PNG, headers: { 'content-type': 'application/octet-stream' } })
    assert.equal(r.status, 201, r.text)
    return r.json.id
  }
  const minePhoto = await put(mine)
  // the citizen adds his photo by the follow code
  const ph = await anon.request('POST', `/api/v1/public/river/reports/${rep.json.code}/photos?name=x.png`, { body: PNG, headers: { 'content-type': 'application/octet-stream' } })
  assert.equal(ph.status, 200, ph.text)
  const otherPhoto = ph.json.id
  const r = await village.request('GET', `${V}/problems/${mine.id}/photos/${minePhoto}`, { raw: true })
  assert.equal(r.status, 200)
  assert.equal(r.headers.get('content-type'), 'image/png')
  assert.deepEqual(Buffer.from(await r.arrayBuffer()), PNG)
  assert.equal((await village.get(`${V}/problems/${other.id}/photos/${otherPhoto}`)).status, 404)
  // the photo of another problem under his problem's address
  assert.equal((await village.get(`${V}/problems/${mine.id}/photos/${otherPhoto}`)).status, 404)
  assert.equal((await stranger.get(`${V}/problems/${mine.id}/photos/${minePhoto}`)).status, 404)
  assert.equal((await staff.get(`${V}/problems/${other.id}/photos/${otherPhoto}`)).status, 200)
})

test('upgrading a database to the chief role keeps users, sessions and what refers to them', async () => {
  const sql = (text) => {
    const r = spawnSync('sqlite3', [env.db], { input: text, encoding: 'utf8' })
    assert.equal(r.status, 0, r.stderr)
    return r.stdout.trim()
  }
  await srv.stop()
  const before = sql('SELECT count(*), sum(id) FROM users; SELECT count(*) FROM sessions;')
  // back to the foundation's step 2 with the old CHECK, then migrate again
  const old = sql("SELECT sql FROM sqlite_schema WHERE name = 'users';").replace(", 'chief'", '')
  assert.doesNotMatch(old, /chief/)
  sql(
    'PRAGMA foreign_keys = OFF; PRAGMA legacy_alter_table = ON; BEGIN; UPDATE users SET role = \'staff\', section_id = 1 WHERE role = \'chief\';' +
      'ALTER TABLE users RENAME TO users_x; ' + old + '; INSERT INTO users SELECT * FROM users_x; DROP TABLE users_x; ' +
      "UPDATE schema_versions SET version = 2 WHERE module = 'core'; COMMIT;",
  )
  assert.doesNotMatch(sql("SELECT sql FROM sqlite_schema WHERE name = 'users';"), /chief/)
  const r = ecogov(['migrate', `--db=${env.db}`])
  assert.equal(r.status, 0, r.stderr)
  assert.match(sql("SELECT sql FROM sqlite_schema WHERE name = 'users';"), /'chief'/)
  assert.equal(sql('SELECT count(*), sum(id) FROM users; SELECT count(*) FROM sessions;'), before)
  assert.equal(sql('PRAGMA foreign_key_check;'), '')
  assert.equal(sql("SELECT version FROM schema_versions WHERE module = 'core';"), '3')
})
