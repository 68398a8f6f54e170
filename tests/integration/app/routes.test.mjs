// The route walk: every route of `ecogov routes` is called by every role.
// A role the route does not allow gets 401 (public) or 403 forbidden; a role
// it allows gets past the role check. Writes carry a wrong CSRF token, so an
// allowed role is stopped by the CSRF check (403 csrf_failed) instead of the
// role check, and nothing is changed by the walk.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { demoDb, startServer, Client, ecogov } from '../lib.mjs'

let env, srv
const clients = {}
const ROLES = ['public', 'enterprise', 'staff', 'leader', 'admin', 'chief']
const LOGIN = { enterprise: 'enterprise', staff: 'staff', leader: 'leader', admin: 'admin' }

before(async () => {
  env = demoDb({ enterprises: 5 })
  srv = await startServer(env.db)
  clients.public = new Client(srv.url)
  for (const [role, account] of Object.entries(LOGIN)) clients[role] = await Client.as(srv.url, account)
  // a river chief's account (role chief) of the demo
  clients.chief = new Client(srv.url)
  assert.equal((await clients.chief.login('chief_village', 'Chief@2026')).status, 200)
})

after(async () => {
  await srv?.stop()
  env?.cleanup()
})

function routes() {
  const r = ecogov(['routes'])
  assert.equal(r.status, 0)
  return r.stdout.trim().split('\n').map((line) => {
    const [method, pattern, roles, csrf, group] = line.split('\t')
    return { method, pattern, roles: roles ? roles.split(',') : [], csrf: csrf === 'csrf', group }
  })
}

function concrete(pattern) {
  return pattern.replace(/\{[^}]+\}/g, (m) => (m === '{year}' ? '2026' : '1'))
}

test('the route table is well formed', () => {
  const table = routes()
  assert.ok(table.length >= 20)
  const seen = new Set()
  for (const r of table) {
    assert.match(r.pattern, /^\/api\/v1\//)
    assert.ok(r.roles.length > 0, `${r.method} ${r.pattern} allows nobody`)
    for (const role of r.roles) assert.ok(ROLES.includes(role), role)
    const key = r.method + ' ' + r.pattern
    assert.ok(!seen.has(key), 'duplicate ' + key)
    seen.add(key)
    if (r.method !== 'GET') assert.ok(r.csrf || r.pattern.endsWith('/auth/login') || r.roles.includes('public'), key + ' skips CSRF')
  }
})

test('every route checks every role', async () => {
  for (const r of routes()) {
    for (const role of ROLES) {
      const c = clients[role]
      const write = r.method !== 'GET'
      const saved = c.csrf
      c.csrf = write ? 'wrong-token-'.padEnd(43, 'x') : saved
      const res = await c.request(r.method, concrete(r.pattern), write ? { body: {} } : {})
      c.csrf = saved
      const where = `${role} ${r.method} ${r.pattern} -> ${res.status} ${res.text.slice(0, 120)}`
      if (!r.roles.includes(role)) {
        assert.equal(res.status, role === 'public' ? 401 : 403, where)
        if (role !== 'public') assert.equal(res.json.error.code, 'forbidden', where)
      } else if (write && r.csrf && role !== 'public') {
        assert.equal(res.status, 403, where)
        assert.equal(res.json.error.code, 'csrf_failed', where)
      } else {
        assert.ok(res.status !== 401 && res.status !== 403 && res.status < 500, where)
      }
    }
  }
  // The walk changed nothing: everyone is still logged in.
  for (const role of [...Object.keys(LOGIN), 'chief']) assert.equal((await clients[role].get('/api/v1/auth/me')).status, 200)
})

test('forward targets: the bureau reads, only the administrator writes', () => {
  const got = Object.fromEntries(
    routes()
      .filter((r) => r.pattern.startsWith('/api/v1/monitor/forward-targets'))
      .map((r) => [`${r.method} ${r.pattern}`, [...r.roles].sort().join(',')]),
  )
  assert.deepEqual(got, {
    'GET /api/v1/monitor/forward-targets': 'admin,leader,staff',
    'POST /api/v1/monitor/forward-targets': 'admin',
    'PATCH /api/v1/monitor/forward-targets/{id}': 'admin',
    'DELETE /api/v1/monitor/forward-targets/{id}': 'admin',
  })
})
