// Issue 16, the HTTP side: bodies refused before they are read, login
// throttling on the normalised name and the real client address, the one
// password rule, booking capacity held by the database, anonymous writes
// rate-limited, the access log unforgeable, CSV imports that refuse what they
// cannot store, strict bodies on actions, and --help on every tool.
import { test, before, after, describe } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createServer } from 'node:net'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { demoDb, startServer, Client, ecogov, usccWithCheck, rawRequest, BIN } from '../lib.mjs'

let env, srv, url

before(async () => {
  env = demoDb({ enterprises: 20 })
  srv = await startServer(env.db, ['--login-max-failures=3', '--login-lockout=600', '--public-write-burst=100000', '--threads=8'])
  url = srv.url
})

after(async () => {
  await srv?.stop()
  env?.cleanup()
})

/** Headers only, a large body declared and never sent: what the server
 * answers without reading it (or '' when it waits for the body). */
function declared(method, p, headers, length = 15 * 1024 * 1024, ms = 3000) {
  const h = Object.entries({ Host: 'x', 'Content-Length': String(length), ...headers })
    .map(([k, v]) => `${k}: ${v}\r\n`).join('')
  return rawRequest(url, `${method} ${p} HTTP/1.1\r\n${h}\r\n`, ms)
}

describe('bodies are refused before they are read', () => {
  test('no such route, wrong method, no session, no CSRF, too large: answered at once', async () => {
    const staff = await Client.as(url, 'staff')
    const json = { 'Content-Type': 'application/json' }
    const cases = [
      ['POST', '/api/v1/no-such-route', json, /^HTTP\/1\.1 404/, 'not_found'],
      ['DELETE', '/api/v1/enterprises', json, /^HTTP\/1\.1 405/, 'method_not_allowed'],
      ['POST', '/api/v1/enterprises/import', { 'Content-Type': 'text/csv' }, /^HTTP\/1\.1 401/, 'unauthenticated'],
      ['POST', '/api/v1/enterprises/import', { 'Content-Type': 'text/csv', Cookie: staff.cookie }, /^HTTP\/1\.1 403/, 'csrf_failed'],
      ['POST', '/api/v1/enterprises', { ...json, Cookie: staff.cookie, 'X-CSRF-Token': staff.csrf }, /^HTTP\/1\.1 413/, 'body_too_large'],
      ['POST', '/index.html', {}, /^HTTP\/1\.1 405/, 'method_not_allowed'],
    ]
    for (const [method, p, headers, status, code] of cases) {
      const head = await declared(method, p, headers)
      assert.match(head, status, `${method} ${p}: ${head.slice(0, 80)}`)
      assert.match(head, new RegExp(`"code":"${code}"`))
    }
  })

  test('a JSON route takes max_body (1 MiB), an upload route max_upload', async () => {
    const staff = await Client.as(url, 'staff')
    const big = 'x'.repeat(2 * 1024 * 1024)
    // 2 MiB declared to a JSON route: 413 from the headers. Sent over a raw
    // socket that reads the answer without pushing the body: a client that
    // keeps writing a refused body may see the reset instead (docs/security.md).
    const head = await declared('POST', '/api/v1/enterprises', {
      'Content-Type': 'application/json', Cookie: staff.cookie, 'X-CSRF-Token': staff.csrf,
    }, 2 * 1024 * 1024)
    assert.match(head, /^HTTP\/1\.1 413/)
    // The same size to the import is read and judged as a CSV file.
    const r = await staff.post('/api/v1/enterprises/import', 'uscc,name\n' + big + '\n', { headers: { 'content-type': 'text/csv' } })
    assert.equal(r.status, 422, r.text)
    assert.equal(r.json.error.code, 'import_errors')
  })

  test('a chunked body that never ends closes the connection', async () => {
    const staff = await Client.as(url, 'staff')
    const chunk = 'x'.repeat(1024 * 1024)
    let body = `POST /api/v1/enterprises/import HTTP/1.1\r\nHost: x\r\nCookie: ${staff.cookie}\r\n` +
      `X-CSRF-Token: ${staff.csrf}\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n`
    for (let i = 0; i < 18; i++) body += `${chunk.length.toString(16)}\r\n${chunk}\r\n`
    const out = await rawRequest(url, body, 20000)
    // 18 MiB is past max_upload (16 MiB), the most any route takes: the
    // server stops reading and closes, rather than reading on to answer.
    assert.equal(out, '', 'closed without reading the body to its end')
    assert.equal((await staff.get('/api/v1/auth/me')).status, 200, 'the server still answers')
  })

  test('bodies in flight share one memory budget (max_body_memory): 503 beyond; anonymous bodies a quarter of it', async () => {
    const e2 = demoDb({ enterprises: 5 })
    const s2 = await startServer(e2.db, ['--max-body-memory=4194304'])
    try {
      const staff = await Client.as(s2.url, 'staff')
      const importing = (mib) => rawRequest(s2.url, `POST /api/v1/enterprises/import HTTP/1.1\r\nHost: x\r\nCookie: ${staff.cookie}\r\n` +
        `X-CSRF-Token: ${staff.csrf}\r\nContent-Type: text/csv\r\nContent-Length: ${mib * 1024 * 1024}\r\n\r\n`, 1500)
      const over = await importing(5)
      assert.match(over, /^HTTP\/1\.1 503/)
      assert.match(over, /Retry-After: \d+/i)
      assert.equal(await importing(2), '', 'within the budget: the server waits for the body')
      // A form link's attachment needs no session: at most a quarter (1 MiB).
      const anon = await rawRequest(s2.url, 'POST /api/v1/service/form/attachments?token=x&name=a.pdf HTTP/1.1\r\nHost: x\r\n' +
        `Content-Type: application/pdf\r\nContent-Length: ${2 * 1024 * 1024}\r\n\r\n`, 1500)
      assert.match(anon, /^HTTP\/1\.1 503/)
      const r = await staff.post('/api/v1/enterprises/import', 'uscc,name\n', { headers: { 'content-type': 'text/csv' } })
      assert.notEqual(r.status, 503, 'a small import still fits')
    } finally {
      await s2.stop()
      e2.cleanup()
    }
  })
})

describe('login throttling', () => {
  test('case variants of one name share one count of failures', async () => {
    const c = new Client(url)
    for (const name of ['leader', 'LEADER', 'Leader']) {
      const r = await c.post('/api/v1/auth/login', { username: name, password: 'wrong-pass-1' })
      assert.equal(r.status, 401)
    }
    const r = await c.post('/api/v1/auth/login', { username: 'lEaDeR', password: 'Leader@2026' })
    assert.equal(r.status, 429, r.text)
    assert.ok(Number(r.headers.get('retry-after')) > 0)
  })

  test('a forwarded address from an untrusted peer is ignored', async () => {
    const e2 = demoDb({ enterprises: 5 })
    const s2 = await startServer(e2.db, ['--login-max-failures-address=6'])
    try {
      await untrustedForwarding(new Client(s2.url))
    } finally {
      await s2.stop()
      e2.cleanup()
    }
  })

  async function untrustedForwarding(c) {
    // 6 failures from this address (spread over names, so no account locks),
    // each claiming another client through X-Forwarded-For.
    for (let i = 0; i < 6; i++) {
      const r = await c.request('POST', '/api/v1/auth/login', {
        body: { username: `nobody${i}`, password: 'wrong-pass-1' }, headers: { 'x-forwarded-for': `10.9.0.${i}`, 'x-real-ip': `10.8.0.${i}` },
      })
      assert.equal(r.status, 401)
    }
    const r = await c.request('POST', '/api/v1/auth/login', {
      body: { username: 'staff', password: 'Staff@2026' }, headers: { 'x-forwarded-for': '10.9.9.9' },
    })
    assert.equal(r.status, 429, 'the peer address is locked whatever the header says')
  }

  test('behind a trusted proxy: the right-most untrusted hop is the client, one client does not lock the others', async () => {
    const e2 = demoDb({ enterprises: 5 })
    const s2 = await startServer(e2.db, ['--trusted-proxies=127.0.0.0/8, ::1', '--login-max-failures=100',
      '--login-max-failures-address=3'])
    try {
      const c = new Client(s2.url)
      const login = (username, password, xff) =>
        c.request('POST', '/api/v1/auth/login', { body: { username, password }, headers: { 'x-forwarded-for': xff } })
      // The client 203.0.113.7 guesses, each time prefixing a made-up hop.
      for (let i = 0; i < 3; i++)
        assert.equal((await login(`guess${i}`, 'wrong-pass-1', `198.51.100.${i}, 203.0.113.7`)).status, 401)
      assert.equal((await login('staff', 'Staff@2026', '198.51.100.99, 203.0.113.7')).status, 429)
      // Another client behind the same proxy signs in.
      const ok = await login('staff', 'Staff@2026', '203.0.113.8')
      assert.equal(ok.status, 200, ok.text)
      await new Promise((r) => setTimeout(r, 300)) // the access line is written once the answer is sent
      const log = s2.output()
      assert.match(log, /access 203\.0\.113\.8 POST "\/api\/v1\/auth\/login" 200 .* via 127\.0\.0\.1/)
    } finally {
      await s2.stop()
      e2.cleanup()
    }
  })

  test('a trusted_proxies entry that is not a network stops the start', () => {
    const r = spawnSync(BIN, ['serve', `--db=${env.db}`, '--http-port=0', '--hj212-port=-1', '--trusted-proxies=10.0.0.0/33'],
      { encoding: 'utf8', timeout: 30000 })
    assert.notEqual(r.status, 0)
    assert.match(r.stderr + r.stdout, /trusted_proxies/)
  })
})

describe('the one password rule', () => {
  test('the console refuses a password equal to the name, blank or with control characters, on create and reset', async () => {
    const admin = await Client.as(url, 'admin')
    const base = { display_name: '测试', role: 'leader' }
    for (const [username, password] of [['zhang2026', 'zhang2026'], ['zhang2026', 'ZHANG2026'], ['zhang2026', ''],
      ['zhang2026', '          '], ['zhang2026', 'abc\u0001defg123'], ['zhang2026', 'short1']]) {
      const r = await admin.post('/api/v1/users', { ...base, username, password })
      assert.equal(r.status, 422, `${JSON.stringify(password)} -> ${r.text}`)
      assert.equal(r.json.error.field, 'password')
    }
    const ok = await admin.post('/api/v1/users', { ...base, username: 'wang2026', password: 'Wang#pass2026' })
    assert.equal(ok.status, 201, ok.text)
    const reset = await admin.put(`/api/v1/users/${ok.json.id}`, { ...base, password: 'WANG2026' })
    assert.equal(reset.status, 422)
    assert.equal(reset.json.error.field, 'password')
    assert.match(reset.json.error.message, /用户名/)
  })

  test('`ecogov user add` applies the same rule', () => {
    const r = ecogov(['user', 'add', '--username=li2026xy', '--role=leader', `--db=${env.db}`], { input: 'LI2026xy\n' })
    assert.equal(r.status, 2)
    assert.match(r.stderr, /用户名/)
  })
})

describe('public writes', () => {
  async function publicDays(staff, n) {
    const ids = []
    for (let i = 0; i < n; i++) {
      const r = await staff.post('/api/v1/service/reception-days', { kind: 'public', day: '2026-12-29', leaders: '李局长', place: `${i} 号接待室`, capacity: 1 })
      assert.equal(r.status, 201, r.text)
      ids.push(r.json.id)
    }
    return ids
  }

  test('25 capacity-1 days under 8 parallel bookings each: none overbooked', async () => {
    const staff = await Client.as(url, 'staff')
    const days = await publicDays(staff, 25)
    await Promise.all(days.map((day) => Promise.all(Array.from({ length: 8 }, (_, k) =>
      fetch(`${url}/api/v1/service/reception-days/${day}/public-bookings`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ person_name: `群众${k}`, phone: '13800000003', topic: '噪声扰民' }),
      }).then((r) => r.text())))))
    for (const day of days) {
      const d = (await staff.get(`/api/v1/service/reception-days/${day}`)).json
      const booked = (d.entries ?? []).filter((e) => e.kind === 'booking' && e.status !== 'cancelled').length
      assert.equal(booked, 1, `day ${day} has ${booked} bookings for 1 place`)
    }
  })

  test('an anonymous flood is answered 429 with Retry-After; sessions are not limited', async () => {
    const e2 = demoDb({ enterprises: 5 })
    const s2 = await startServer(e2.db, ['--public-write-burst=5', '--public-write-per-minute=2'])
    try {
      const staff = await Client.as(s2.url, 'staff')
      const r0 = await staff.post('/api/v1/service/reception-days', { kind: 'public', day: '2026-12-29', leaders: '李局长', place: '大厅', capacity: 100 })
      const statuses = []
      let last
      for (let i = 0; i < 12; i++) {
        last = await fetch(`${s2.url}/api/v1/service/reception-days/${r0.json.id}/public-bookings`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ person_name: '群众', phone: '13800000003', topic: '咨询' }),
        })
        statuses.push(last.status)
        if (last.status === 429) break
      }
      assert.equal(statuses.filter((s) => s === 201).length, 5, statuses.join(','))
      assert.equal(last.status, 429)
      assert.ok(Number(last.headers.get('retry-after')) >= 1)
      assert.equal((await last.json()).error.code, 'too_many_attempts')
      // The service form through a link is an anonymous write too.
      const form = await fetch(`${s2.url}/api/v1/service/form?token=x`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
      assert.equal(form.status, 429)
      // Signed-in staff are not limited by it.
      for (let i = 0; i < 8; i++)
        assert.equal((await staff.post(`/api/v1/service/reception-days/${r0.json.id}/walk-ins`, { person_name: '张', phone: '13800000003', topic: '监测' })).status, 201)
    } finally {
      await s2.stop()
      e2.cleanup()
    }
  })
})

test('the access log escapes control characters: no forged lines', async () => {
  const forged = '2026-01-01T00:00:00+08:00 info  access 1.2.3.4 GET "/api/v1/admin" 200'
  const before = srv.output().split('\n').length
  await rawRequest(url, `GET /x%0a${encodeURIComponent(forged)}%0d%1b[31m HTTP/1.1\r\nHost: x\r\n` +
    `User-Agent: evil\u0085agent"\r\nConnection: close\r\n\r\n`, 2000)
  await new Promise((r) => setTimeout(r, 200))
  const lines = srv.output().split('\n').slice(before - 1)
  assert.ok(!lines.some((l) => l.startsWith(forged.slice(0, 30))), 'no line starts with the forged text')
  const line = lines.find((l) => l.includes('access') && l.includes('/x'))
  assert.ok(line, lines.join('\n'))
  assert.match(line, /\\x0A/)
  assert.match(line, /\\x0D/)
  assert.match(line, /\\x1B/)
  assert.match(line, /\\x22/, 'the quote in the user agent is escaped')
  assert.match(line, /\\u\{0085\}/)
})

describe('imports and actions refuse what they cannot store', () => {
  test('a NUL or control character in a CSV field is refused naming line and column', async () => {
    const staff = await Client.as(url, 'staff')
    const total = async () => (await staff.get('/api/v1/enterprises?limit=1&count=1')).json.total
    const n0 = await total()
    const code = usccWithCheck('91360202MA' + '7700001')
    let r = await staff.post('/api/v1/enterprises/import', `uscc,name\n${code},景瓷\u0000截断有限公司\n`, { headers: { 'content-type': 'text/csv' } })
    assert.equal(r.status, 422, r.text)
    assert.equal(r.json.error.errors[0].line, 2)
    assert.match(r.json.error.errors[0].message, /第 2 列（name）.*0x00/)
    r = await staff.post('/api/v1/enterprises/import', `uscc,name\n${code},"景瓷\u001b有限公司"\n`, { headers: { 'content-type': 'text/csv' } })
    assert.equal(r.status, 422)
    assert.match(r.json.error.errors[0].message, /0x1B/)
    assert.equal(await total(), n0)
  })

  test('coordinates that overflow or are not numbers are refused, not stored as null', async () => {
    const staff = await Client.as(url, 'staff')
    for (const [i, [lon, lat]] of [['1e400', '29.3'], ['117.2', '-1e400'], ['inf', '29.3'], ['nan', '29.3'], ['0x75', '29.3']].entries()) {
      const code = usccWithCheck('91360202MA' + String(7700010 + i))
      const r = await staff.post('/api/v1/enterprises/import', `uscc,name,lon,lat\n${code},景瓷坐标${i}有限公司,${lon},${lat}\n`, { headers: { 'content-type': 'text/csv' } })
      assert.equal(r.status, 422, `${lon},${lat} -> ${r.text}`)
      assert.match(r.json.error.errors[0].message, /第 [34] 列（lo?n|lat）/)
    }
  })

  test('the hourly import names the column of a control character', async () => {
    const staff = await Client.as(url, 'staff')
    const r = await staff.post('/api/v1/quality/hourly', 'station,time,so2,no2,co,o3,pm10,pm25\nJC-N-01,2026-01-01 01:00,1,2\u00003,0.5,10,20,10\n', { headers: { 'content-type': 'text/csv' } })
    assert.equal(r.status, 422, r.text)
    assert.match(r.json.error.errors[0].message, /第 4 列/)
  })

  test('actions without a body refuse malformed JSON, accept nothing and {}', async () => {
    const admin = await Client.as(url, 'admin')
    for (const body of ['{', 'not json', '[1,2]', '{"a":1,"a":2}']) {
      const r = await admin.post('/api/v1/quality/feed/run', body, { headers: { 'content-type': 'application/json' } })
      assert.equal(r.status, 400, `${body} -> ${r.text}`)
      assert.equal(r.json.error.code, 'bad_json')
    }
    assert.equal((await admin.post('/api/v1/quality/feed/run', '', { headers: { 'content-type': 'application/json' } })).status, 200)
    assert.equal((await admin.post('/api/v1/quality/feed/run', {})).status, 200)
  })
})

test('every tool answers -h and --help with its usage, exit 0, doing nothing', async () => {
  // A listener where simulate would send: nothing may connect to it.
  const seen = []
  const sink = createServer((s) => { seen.push(s); s.destroy() })
  await new Promise((r) => sink.listen(0, '127.0.0.1', r))
  const port = sink.address().port
  const fresh = path.join(env.dir, 'never-created.db')
  const tools = ['serve', 'migrate', 'backup', 'demo', 'audit', 'user', 'routes', 'uscc', 'calendar', 'hj212', 'aqi',
    'simulate', 'siting', 'draw']
  for (const tool of tools)
    for (const flag of ['--help', '-h']) {
      const r = spawnSync(BIN, [tool, `--db=${fresh}`, '--port', String(port), flag], { encoding: 'utf8', timeout: 20000, input: '' })
      assert.equal(r.status, 0, `${tool} ${flag}: ${r.stderr}`)
      assert.match(r.stdout, /usage/i, `${tool} ${flag}`)
    }
  await new Promise((r) => setTimeout(r, 300))
  sink.close()
  assert.equal(seen.length, 0, 'simulate --help connected to the device port')
  assert.ok(!existsSync(fresh), 'a --help created a database')
})
