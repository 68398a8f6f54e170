// The foundation end to end: the real server on loopback, real sockets.
// Sessions and CSRF, the enterprise registry (validation, search, paging,
// enterprise isolation, CSV import, Excel export), users, the audit chain,
// the calendar, static assets and the command-line tools.
import { test, before, after, describe } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { demoDb, startServer, Client, ecogov, usccWithCheck, rawRequest } from '../lib.mjs'

let env, srv, url

before(async () => {
  env = demoDb({ enterprises: 40 })
  srv = await startServer(env.db, ['--login-max-failures=3', '--login-lockout=600'])
  url = srv.url
})

after(async () => {
  await srv?.stop()
  env?.cleanup()
})

async function enterpriseCount(c) {
  return (await c.get('/api/v1/enterprises?limit=1&count=1')).json.total
}

let auditor
async function auditCount() {
  auditor ??= await Client.as(url, 'admin')
  return (await auditor.get('/api/v1/audit/verify')).json.checked
}

function newUscc(n) {
  return usccWithCheck('91360202MA' + String(n).padStart(7, '0'))
}

describe('sessions', () => {
  test('wrong password is 401 bad_credentials, right one sets an HttpOnly SameSite=Strict cookie', async () => {
    const c = new Client(url)
    let r = await c.post('/api/v1/auth/login', { username: 'staff', password: 'wrong-pass-1' })
    assert.equal(r.status, 401)
    assert.equal(r.json.error.code, 'bad_credentials')
    const res = await c.request('POST', '/api/v1/auth/login', { body: { username: 'staff', password: 'Staff@2026' }, raw: true })
    assert.equal(res.status, 200)
    const cookie = res.headers.getSetCookie().join(';')
    assert.match(cookie, /HttpOnly/)
    assert.match(cookie, /SameSite=Strict/)
    const body = await res.json()
    assert.equal(body.user.role, 'staff')
    assert.equal(body.user.section_name, '环评科')
    assert.ok(body.csrf_token.length >= 40)
  })

  test('me, logout, and the session is gone', async () => {
    const c = await Client.as(url, 'leader')
    assert.equal((await c.get('/api/v1/auth/me')).json.user.username, 'leader')
    assert.equal((await c.post('/api/v1/auth/logout', {})).status, 200)
    const r = await c.get('/api/v1/auth/me')
    assert.equal(r.status, 401)
  })

  test('a forged cookie is not a session', async () => {
    const c = new Client(url)
    c.cookie = 'ecogov_session=' + 'A'.repeat(43)
    const r = await c.get('/api/v1/enterprises')
    assert.equal(r.status, 401)
    assert.equal(r.json.error.code, 'session_expired')
  })

  test('writes without the CSRF token are refused and change nothing', async () => {
    const c = await Client.as(url, 'staff')
    const before = await enterpriseCount(c)
    const r = await c.request('POST', '/api/v1/enterprises', { body: { uscc: newUscc(1), name: '无令牌企业' }, csrf: false })
    assert.equal(r.status, 403)
    assert.equal(r.json.error.code, 'csrf_failed')
    const r2 = await c.request('POST', '/api/v1/enterprises', { body: { uscc: newUscc(1), name: '错令牌企业' }, csrf: false, headers: { 'x-csrf-token': 'x'.repeat(43) } })
    assert.equal(r2.status, 403)
    assert.equal(await enterpriseCount(c), before)
  })

  test('login throttling per account answers 429 with Retry-After', async () => {
    const c = new Client(url)
    for (let i = 0; i < 3; i++) {
      const r = await c.post('/api/v1/auth/login', { username: 'staff2', password: 'bad-password-' + i })
      assert.equal(r.status, 401)
    }
    const r = await c.post('/api/v1/auth/login', { username: 'staff2', password: 'Staff@2026' })
    assert.equal(r.status, 429)
    assert.equal(r.json.error.code, 'too_many_attempts')
    assert.ok(Number(r.headers.get('retry-after')) > 0)
  })
})

describe('enterprise registry', () => {
  test('create validates the credit code and reports the reason', async () => {
    const c = await Client.as(url, 'staff')
    const bad = '91350203M0001QAY9B' // check character should be 9
    let r = await c.post('/api/v1/enterprises', { uscc: bad, name: '校验码错误企业' })
    assert.equal(r.status, 422)
    assert.equal(r.json.error.code, 'invalid_uscc')
    assert.match(r.json.error.message, /9/)
    r = await c.post('/api/v1/enterprises', { uscc: '12345', name: '短代码企业' })
    assert.equal(r.json.error.code, 'invalid_uscc')
    r = await c.post('/api/v1/enterprises', {
      uscc: newUscc(2), name: '景瓷测试日用陶瓷有限公司', district: '昌南区', town: '丽阳镇',
      industry_code: '3074', lon: 117.2, lat: 29.3, tags: ['重点排污单位'],
      contacts: [{ name: '张三', phone: '0798-8234567', role: '环保专员' }],
    })
    assert.equal(r.status, 201, r.text)
    assert.equal(r.json.industry_code, 'C3074')
    assert.equal(r.json.industry_name, '日用陶瓷制品制造')
    assert.equal(r.json.version, 1)
    r = await c.post('/api/v1/enterprises', { uscc: newUscc(2), name: '重复代码企业' })
    assert.equal(r.status, 409)
    assert.equal(r.json.error.code, 'conflict')
  })

  test('GCJ-02 coordinates are converted to WGS84 on entry', async () => {
    const c = await Client.as(url, 'staff')
    const r = await c.post('/api/v1/enterprises', { uscc: newUscc(3), name: '坐标转换测试企业', lon: 117.2, lat: 29.3, coord_system: 'gcj02' })
    assert.equal(r.status, 201, r.text)
    // GCJ-02 is offset by a few hundred metres here: WGS84 is west/south of it.
    assert.ok(r.json.lon < 117.2 && r.json.lon > 117.19, `lon ${r.json.lon}`)
    assert.ok(r.json.lat < 29.3 + 0.01 && r.json.lat > 29.29, `lat ${r.json.lat}`)
    const swapped = await c.post('/api/v1/enterprises', { uscc: newUscc(4), name: '经纬度填反企业', lon: 29.3, lat: 117.2 })
    assert.equal(swapped.status, 422)
  })

  test('bad input gets stable errors and leaves the database unchanged', async () => {
    const c = await Client.as(url, 'staff')
    const before = await enterpriseCount(c)
    const audits = await auditCount()
    const cases = [
      [{ body: '{"uscc":', headers: { 'content-type': 'application/json' } }, 400, 'bad_json'],
      [{ body: '[1,2]', headers: { 'content-type': 'application/json' } }, 400, 'bad_json'],
      [{ body: '{"a":1,"a":2}', headers: { 'content-type': 'application/json' } }, 400, 'bad_json'],
      [{ body: Buffer.from('{"uscc":"' + newUscc(5) + '","name":"\xff\xfe"}', 'latin1'), headers: { 'content-type': 'application/json' } }, 400, 'bad_json'],
      [{ body: { uscc: newUscc(5), name: 12345 } }, 422, 'invalid_field'],
      [{ body: { uscc: newUscc(5), name: '控制\u0001字符' } }, 422, 'invalid_field'],
      [{ body: { uscc: newUscc(5), name: '' } }, 422, 'invalid_field'],
      [{ body: { uscc: newUscc(5), name: 'x'.repeat(201) } }, 422, 'invalid_field'],
      [{ body: { uscc: newUscc(5), name: '行业错误企业', industry_code: '9999' } }, 422, 'invalid_field'],
      [{ body: { uscc: newUscc(5), name: '区县错误企业', district: '火星区' } }, 422, 'invalid_field'],
      [{ body: { uscc: newUscc(5), name: '坐标系错误企业', lon: 117, lat: 29, coord_system: 'mars' } }, 422, 'invalid_field'],
      [{ body: { uscc: newUscc(5), name: '电话错误企业', contacts: [{ name: 'a', phone: '1; DROP TABLE' }] } }, 422, 'invalid_field'],
      [{ body: { uscc: newUscc(5), name: '类型错误', tags: 'not-a-list' } }, 422, 'invalid_field'],
      [{ body: 'uscc=1', headers: { 'content-type': 'text/plain' } }, 415, 'unsupported_media_type'],
    ]
    for (const [opts, status, code] of cases) {
      const r = await c.request('POST', '/api/v1/enterprises', opts)
      assert.equal(r.status, status, `${JSON.stringify(opts.body)?.slice(0, 60)} -> ${r.text}`)
      assert.equal(r.json.error.code, code)
      assert.ok(r.json.error.message)
    }
    // A declared oversized body is refused before a byte of it is read ...
    const head = await rawRequest(url, `POST /api/v1/enterprises HTTP/1.1\r\nHost: x\r\nCookie: ${c.cookie}\r\n` +
      `X-CSRF-Token: ${c.csrf}\r\nContent-Type: application/json\r\nContent-Length: ${17 * 1024 * 1024}\r\n\r\n`)
    assert.match(head, /^HTTP\/1\.1 413/)
    assert.match(head, /body_too_large/)
    // ... and a chunked one that grows past the route's limit (max_body, 1 MiB
    // for a JSON route) is dropped as it arrives and refused when it ends.
    const chunk = 'x'.repeat(1024 * 1024)
    let chunked = `POST /api/v1/enterprises HTTP/1.1\r\nHost: x\r\nCookie: ${c.cookie}\r\nX-CSRF-Token: ${c.csrf}\r\n` +
      'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n'
    for (let i = 0; i < 2; i++) chunked += `${chunk.length.toString(16)}\r\n${chunk}\r\n`
    chunked += '0\r\n\r\n'
    const grown = await rawRequest(url, chunked, 20000)
    assert.match(grown, /^HTTP\/1\.1 413/)
    assert.equal(await enterpriseCount(c), before)
    assert.equal(await auditCount(), audits)
  })

  test('SQL-looking text is stored as text', async () => {
    const c = await Client.as(url, 'staff')
    const name = "景瓷'; DROP TABLE enterprises; --有限公司"
    const r = await c.post('/api/v1/enterprises', { uscc: newUscc(6), name })
    assert.equal(r.status, 201, r.text)
    const back = await c.get('/api/v1/enterprises/' + r.json.id)
    assert.equal(back.json.name, name)
  })

  test('update needs the version it edits and audits what changed', async () => {
    const c = await Client.as(url, 'staff')
    const cur = (await c.get('/api/v1/enterprises/2')).json
    let r = await c.put('/api/v1/enterprises/2', { ...cur, legal_rep: '新法人' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.version, cur.version + 1)
    r = await c.put('/api/v1/enterprises/2', { ...cur, legal_rep: '过期版本' })
    assert.equal(r.status, 409)
    assert.equal(r.json.error.code, 'version_conflict')
    const admin = await Client.as(url, 'admin')
    const a = await admin.get('/api/v1/audit?entity=enterprise&entity_id=2&action=enterprise.update')
    assert.equal(a.json.items.length, 1)
    assert.deepEqual(a.json.items[0].detail.legal_rep[1], '新法人')
  })

  test('Chinese search: short words by LIKE, longer through the trigram index, codes exactly', async () => {
    const c = await Client.as(url, 'leader')
    const all = []
    for (let after = ''; ;) {
      const r = await c.get('/api/v1/enterprises?limit=500' + (after ? '&after=' + after : ''))
      all.push(...r.json.items)
      if (!r.json.next) break
      after = r.json.next
    }
    for (const q of ['陶瓷', '日用陶瓷', '有限公司', '危险废物']) {
      const r = await c.get('/api/v1/enterprises?limit=500&count=1&q=' + encodeURIComponent(q))
      const expected = all.filter((e) => e.name.includes(q)).map((e) => e.id)
      assert.deepEqual(r.json.items.map((e) => e.id), expected, q)
      assert.equal(r.json.total, expected.length)
    }
    const one = all[5]
    const r = await c.get('/api/v1/enterprises?q=' + one.uscc)
    assert.deepEqual(r.json.items.map((e) => e.id), [one.id])
    const none = await c.get('/api/v1/enterprises?q=' + encodeURIComponent('"*) OR 1=1 --'))
    assert.equal(none.status, 200)
    assert.equal(none.json.items.length, 0)
  })

  test('keyset paging covers every enterprise exactly once', async () => {
    const c = await Client.as(url, 'staff')
    const total = await enterpriseCount(c)
    const seen = new Set()
    let after = ''
    for (let page = 0; page < 100; page++) {
      const r = await c.get('/api/v1/enterprises?limit=7' + (after ? '&after=' + after : ''))
      assert.ok(r.json.items.length <= 7)
      for (const e of r.json.items) {
        assert.ok(!seen.has(e.id))
        seen.add(e.id)
      }
      if (!r.json.next) break
      after = r.json.next
    }
    assert.equal(seen.size, total)
    const bad = await c.get('/api/v1/enterprises?after=abc')
    assert.equal(bad.status, 422)
  })

  test('cached list pages follow every write, also writes from another process', async () => {
    const c = await Client.as(url, 'staff')
    const first = (await c.get('/api/v1/enterprises?limit=5')).json.items
    const again = (await c.get('/api/v1/enterprises?limit=5')).json.items
    assert.deepEqual(again, first)
    const cur = (await c.get('/api/v1/enterprises/3')).json
    const r = await c.put('/api/v1/enterprises/3', { ...cur, name: cur.name + '（更名）' })
    assert.equal(r.status, 200, r.text)
    let list = (await c.get('/api/v1/enterprises?limit=5')).json.items
    assert.equal(list.find((e) => e.id === 3).name, cur.name + '（更名）')
    const direct = spawnSync('sqlite3', [env.db, "UPDATE enterprises SET legal_rep = '外部进程' WHERE id = 4"], { encoding: 'utf8' })
    assert.equal(direct.status, 0, direct.stderr)
    list = (await c.get('/api/v1/enterprises?limit=5')).json.items
    assert.equal(list.find((e) => e.id === 4).legal_rep, '外部进程')
  })

  test('filters by district and tag', async () => {
    const c = await Client.as(url, 'staff')
    const r = await c.get('/api/v1/enterprises?limit=500&district=' + encodeURIComponent('昌南区'))
    assert.ok(r.json.items.length > 0)
    assert.ok(r.json.items.every((e) => e.district === '昌南区'))
    const t = await c.get('/api/v1/enterprises?limit=500&tag=' + encodeURIComponent('重点排污单位'))
    assert.ok(t.json.items.length > 0)
    assert.ok(t.json.items.every((e) => e.tags.includes('重点排污单位')))
  })

  test('an enterprise user sees and edits only its own enterprise', async () => {
    const c = await Client.as(url, 'enterprise')
    const me = (await c.get('/api/v1/auth/me')).json.user
    assert.equal(me.enterprise_id, 1)
    const list = await c.get('/api/v1/enterprises?limit=500')
    assert.deepEqual(list.json.items.map((e) => e.id), [1])
    assert.equal((await c.get('/api/v1/enterprises/3')).status, 404)
    const own = (await c.get('/api/v1/enterprises/1')).json
    let r = await c.put('/api/v1/enterprises/3', { ...own })
    assert.equal(r.status, 404)
    r = await c.put('/api/v1/enterprises/1', { ...own, name: '企业改名', contacts: [{ name: '新联系人', phone: '13800000000' }] })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.name, own.name, 'an enterprise cannot rename itself')
    assert.equal(r.json.contacts[0].name, '新联系人')
    assert.equal((await c.post('/api/v1/enterprises', { uscc: newUscc(7), name: 'x企业' })).status, 403)
    assert.equal((await c.get('/api/v1/enterprises/export.xlsx')).status, 403)
    assert.equal((await c.get('/api/v1/audit')).status, 403)
  })

  test('CSV import reports every bad line and imports nothing unless asked to skip', async () => {
    const c = await Client.as(url, 'staff')
    const before = await enterpriseCount(c)
    const header = 'uscc,name,legal_rep,address,district,town,lon,lat,industry_code,tags,permit_no,contact_name,contact_phone'
    const good1 = `${newUscc(11)},导入企业甲,张三,地址1,昌南区,丽阳镇,117.2,29.3,C3074,重点排污单位|VOCs重点企业,,李四,13800000001`
    const good2 = `${newUscc(12)},"导入企业乙, 有逗号",王五,"地址 ""引号""",珠山区,新村街道,,,3360,,,,`
    const badCode = `91350203M0001QAY9B,坏代码企业,,,,,,,,,,,`
    const badCols = `${newUscc(13)},列数不对`
    const dup = `${newUscc(11)},重复企业,,,,,,,,,,,`
    const csv = [header, good1, good2, badCode, badCols, dup].join('\r\n') + '\r\n'
    let r = await c.post('/api/v1/enterprises/import', csv, { headers: { 'content-type': 'text/csv' } })
    assert.equal(r.status, 422)
    assert.equal(r.json.error.code, 'import_errors')
    assert.deepEqual(r.json.error.errors.map((e) => e.line), [4, 5, 6])
    assert.equal(await enterpriseCount(c), before)
    r = await c.post('/api/v1/enterprises/import?skip_errors=1', csv, { headers: { 'content-type': 'text/csv' } })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.imported, 2)
    assert.equal(r.json.skipped, 3)
    assert.equal(await enterpriseCount(c), before + 2)
    const b = await c.get('/api/v1/enterprises?q=' + encodeURIComponent('导入企业乙'))
    assert.equal(b.json.items[0].address, '地址 "引号"')
    assert.equal(b.json.items[0].industry_code, 'C3360')
  })

  test('CSV with broken quoting, a wrong header or invalid UTF-8 is refused whole', async () => {
    const c = await Client.as(url, 'staff')
    const before = await enterpriseCount(c)
    const header = 'uscc,name,legal_rep,address,district,town,lon,lat,industry_code,tags,permit_no,contact_name,contact_phone'
    const bodies = [
      header + '\n' + `${newUscc(21)},"未闭合引号,,,,,,,,,,,\n`,
      'code,title\nx,y\n',
      Buffer.concat([Buffer.from(header + '\n' + newUscc(22) + ','), Buffer.from([0xc3, 0x28]), Buffer.from(',,,,,,,,,,,\n')]),
      '',
    ]
    for (const body of bodies) {
      const r = await c.post('/api/v1/enterprises/import?skip_errors=1', body, { headers: { 'content-type': 'text/csv' } })
      if (r.status === 200) assert.equal(r.json.imported, 0, r.text)
      else {
        assert.equal(r.status, 422, r.text)
        assert.ok(r.json.error.errors.length >= 1)
      }
    }
    assert.equal(await enterpriseCount(c), before)
  })

  test('Excel export is a real xlsx workbook', async () => {
    const c = await Client.as(url, 'leader')
    const res = await c.request('GET', '/api/v1/enterprises/export.xlsx?district=' + encodeURIComponent('昌南区'), { raw: true })
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type'), /spreadsheetml/)
    assert.match(res.headers.get('content-disposition'), /attachment/)
    const buf = Buffer.from(await res.arrayBuffer())
    assert.equal(buf.subarray(0, 4).toString('latin1'), 'PK\x03\x04')
    assert.ok(buf.length > 2000)
  })
})

describe('users and sections', () => {
  test('admin creates users; duplicates, weak passwords and bad roles are refused', async () => {
    const c = await Client.as(url, 'admin')
    const sections = (await c.get('/api/v1/sections')).json.items
    const sid = sections.find((s) => s.name === '监测站').id
    let r = await c.post('/api/v1/users', { username: 'monitor1', display_name: '监测员', password: 'Monitor2026', role: 'staff', section_id: sid })
    assert.equal(r.status, 201, r.text)
    assert.equal(r.json.section_name, '监测站')
    r = await c.post('/api/v1/users', { username: 'monitor1', display_name: 'x', password: 'Monitor2026', role: 'staff', section_id: sid })
    assert.equal(r.status, 409)
    r = await c.post('/api/v1/users', { username: 'weak', display_name: 'x', password: 'short', role: 'staff', section_id: sid })
    assert.equal(r.json.error.field, 'password')
    r = await c.post('/api/v1/users', { username: 'norole', display_name: 'x', password: 'Monitor2026', role: 'root' })
    assert.equal(r.json.error.field, 'role')
    r = await c.post('/api/v1/users', { username: 'entless', display_name: 'x', password: 'Monitor2026', role: 'enterprise' })
    assert.equal(r.json.error.field, 'enterprise_id')
    const m = new Client(url)
    assert.equal((await m.login('monitor1', 'Monitor2026')).status, 200)
    const id = (await c.get('/api/v1/users')).json.items.find((u) => u.username === 'monitor1').id
    r = await c.put('/api/v1/users/' + id, { display_name: '监测员', role: 'staff', section_id: sid, disabled: true })
    assert.equal(r.status, 200, r.text)
    assert.equal((await m.get('/api/v1/auth/me')).status, 401, 'disabling ends the sessions')
    assert.equal((await new Client(url).login('monitor1', 'Monitor2026')).status, 401)
  })

  test('staff cannot manage users', async () => {
    const c = await Client.as(url, 'staff')
    assert.equal((await c.get('/api/v1/users')).status, 403)
    assert.equal((await c.post('/api/v1/sections', { name: '新科室' })).status, 403)
  })
})

describe('deployment tools', () => {
  test('ecogov user add creates an account from a password on stdin, with its audit entry', async () => {
    let r = ecogov(['user', 'add', '--username=chief', '--role=admin', '--display-name=局长', `--db=${env.db}`], { input: 'Chief2026pw\n' })
    assert.equal(r.status, 0, r.stderr)
    assert.equal((await new Client(url).login('chief', 'Chief2026pw')).status, 200)
    r = ecogov(['user', 'add', '--username=weak', '--role=admin', `--db=${env.db}`], { input: 'abc\n' })
    assert.equal(r.status, 2)
    r = ecogov(['user', 'add', '--username=chief', '--role=admin', `--db=${env.db}`], { input: 'Chief2026pw\n' })
    assert.equal(r.status, 1)
    r = ecogov(['user', 'add', '--username=x', '--role=god', `--db=${env.db}`], { input: 'Chief2026pw\n' })
    assert.equal(r.status, 2)
    const admin = await Client.as(url, 'admin')
    const a = await admin.get('/api/v1/audit?actor=cli&action=user.create')
    assert.equal(a.json.items.length, 1)
  })

  test('an admin replaces the areas; addresses are checked against them', async () => {
    const admin = await Client.as(url, 'admin')
    const meta = (await admin.get('/api/v1/meta')).json.districts
    const districts = [...meta, { name: '新区', towns: ['新区街道'] }]
    let r = await admin.put('/api/v1/areas', { districts })
    assert.equal(r.status, 200, r.text)
    assert.ok(r.json.districts.some((d) => d.name === '新区'))
    r = await admin.put('/api/v1/areas', { districts: [{ name: '', towns: [] }] })
    assert.equal(r.status, 422)
    const staff = await Client.as(url, 'staff')
    assert.equal((await staff.put('/api/v1/areas', { districts })).status, 403)
    r = await staff.post('/api/v1/enterprises', { uscc: newUscc(31), name: '新区企业', district: '新区', town: '新区街道' })
    assert.equal(r.status, 201, r.text)
    r = await staff.post('/api/v1/enterprises', { uscc: newUscc(32), name: '错街道企业', district: '新区', town: '丽阳镇' })
    assert.equal(r.status, 422)
    assert.equal(r.json.error.field, 'town')
  })
})

describe('audit log', () => {
  test('writes are audited; the chain verifies; the CLI finds tampering', async () => {
    const c = await Client.as(url, 'admin')
    const a = await c.get('/api/v1/audit?action=enterprise.create&limit=5')
    assert.ok(a.json.items.length >= 1)
    assert.equal(a.json.items[0].actor, 'staff')
    const v = await c.get('/api/v1/audit/verify')
    assert.equal(v.json.ok, true)
    assert.ok(v.json.checked > 40)

    const backup = path.join(env.dir, 'backup.db')
    const b = ecogov(['backup', `--db=${env.db}`, backup])
    assert.equal(b.status, 0, b.stderr)
    assert.ok(existsSync(backup))
    let r = ecogov(['audit', 'verify', `--db=${backup}`])
    assert.equal(r.status, 0, r.stdout + r.stderr)
    assert.match(r.stdout, /intact/)
    // Append-only: the triggers refuse edits ...
    const upd = spawnSync('sqlite3', [backup, "UPDATE audit_log SET actor = 'mallory' WHERE id = 5"], { encoding: 'utf8' })
    assert.match(upd.stderr, /append-only/)
    // ... and someone who drops them is caught by the chain.
    spawnSync('sqlite3', [backup, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'mallory' WHERE id = 5"])
    r = ecogov(['audit', 'verify', `--db=${backup}`])
    assert.equal(r.status, 1)
    assert.match(r.stdout, /first bad entry id 5\b/)
  })

  test('audit list filters and pages newest first', async () => {
    const c = await Client.as(url, 'leader')
    const p1 = await c.get('/api/v1/audit?limit=3')
    assert.equal(p1.json.items.length, 3)
    const p2 = await c.get('/api/v1/audit?limit=3&after=' + p1.json.next)
    assert.ok(p2.json.items[0].id < p1.json.items[2].id)
    const bad = await c.get('/api/v1/audit?from=2026-13-01')
    assert.equal(bad.status, 422)
  })
})

describe('calendar', () => {
  test('working days across the 2026 Spring Festival', async () => {
    const c = await Client.as(url, 'staff')
    let r = await c.get('/api/v1/calendar/add-workdays?from=2026-02-13&n=1')
    assert.deepEqual(r.json, { date: '2026-02-14', provisional: false })
    r = await c.get('/api/v1/calendar/add-workdays?from=2026-02-13&n=2')
    assert.equal(r.json.date, '2026-02-24')
    r = await c.get('/api/v1/calendar/workdays?from=2025-12-31&to=2026-12-31')
    assert.equal(r.json.workdays, 248)
    r = await c.get('/api/v1/calendar/2026')
    assert.equal(r.json.known, true)
    assert.equal(r.json.workdays, 248)
    r = await c.get('/api/v1/calendar/add-workdays?from=2027-03-01&n=5')
    assert.equal(r.json.provisional, true)
  })

  test('a year without its notice runs on the statutory holidays, provisionally', async () => {
    const c = await Client.as(url, 'staff')
    let r = await c.get('/api/v1/calendar/2027')
    assert.equal(r.json.known, false)
    const day = (d) => r.json.days.find((x) => x.date === d)
    assert.deepEqual(day('2027-01-01'), { date: '2027-01-01', kind: 'holiday', note: '元旦' })
    assert.equal(day('2027-02-06').note, '春节') // 正月初一
    assert.equal(day('2027-02-09').note, '春节补假')
    assert.equal(day('2027-09-15').note, '中秋节')
    r = await c.get('/api/v1/calendar/workdays?from=2026-12-31&to=2027-01-04')
    assert.deepEqual(r.json, { workdays: 1, provisional: true })
    // The reminder follows today's Beijing date: this year's notice missing,
    // or next year's from November on.
    r = await c.get('/api/v1/calendar/status')
    assert.equal(r.status, 200)
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)
    const y = Number(today.slice(0, 4)), m = Number(today.slice(5, 7))
    assert.equal(r.json.today, today)
    const known = (yy) => yy === 2025 || yy === 2026
    const want = !known(y) ? y : m >= 11 && !known(y + 1) ? y + 1 : null
    assert.equal(r.json.remind_year, want)
    assert.equal(r.json.remind, want !== null)
  })

  test('an admin loads the 2027 schedule; staff may not', async () => {
    const staff = await Client.as(url, 'staff')
    const days = [{ date: '2027-01-01', kind: 'holiday', note: '元旦' }]
    assert.equal((await staff.put('/api/v1/calendar/2027', { days })).status, 403)
    const admin = await Client.as(url, 'admin')
    let r = await admin.put('/api/v1/calendar/2027', { days: [{ date: '2026-01-01', kind: 'holiday' }] })
    assert.equal(r.status, 422)
    r = await admin.put('/api/v1/calendar/2027', { days })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.known, true)
    r = await staff.get('/api/v1/calendar/add-workdays?from=2026-12-31&n=1')
    assert.deepEqual(r.json, { date: '2027-01-04', provisional: false })
  })
})

describe('public pages and static assets', () => {
  test('public info needs no login; protected API does', async () => {
    const c = new Client(url)
    const r = await c.get('/api/v1/public/info')
    assert.equal(r.status, 200)
    assert.ok(r.json.bureau.name.includes('生态环境局'))
    assert.equal((await c.get('/api/v1/enterprises')).status, 401)
    assert.equal((await c.get('/api/v1/nothing-here')).status, 404)
    assert.equal((await c.request('DELETE', '/api/v1/enterprises')).status, 405)
  })

  test('oversized headers are refused before any handler runs', async () => {
    const r = await fetch(url + '/api/v1/public/info', { headers: { 'x-big': 'a'.repeat(100_000) } })
    assert.equal(r.status, 431)
    const ok = await fetch(url + '/api/v1/public/info')
    assert.equal(ok.status, 200)
  })

  test('security headers, gzip, ETag revalidation, SPA fallback, no traversal', async () => {
    const res = await fetch(url + '/console/enterprises', { headers: { 'accept-encoding': 'gzip' } })
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-security-policy'), /frame-ancestors 'none'/)
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff')
    const html = await res.text()
    assert.match(html, /<div id="app">/)
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)[1]
    const a = await fetch(url + asset, { headers: { 'accept-encoding': 'gzip' } })
    assert.equal(a.status, 200)
    assert.equal(a.headers.get('content-encoding'), 'gzip')
    assert.match(a.headers.get('cache-control'), /immutable/)
    const again = await fetch(url + asset, { headers: { 'accept-encoding': 'gzip', 'if-none-match': a.headers.get('etag') } })
    assert.equal(again.status, 304)
    for (const p of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/.git/config', '/assets/../../Makefile']) {
      const r = await fetch(url + p)
      assert.ok(r.status === 404 || (r.status === 200 && !(await r.text()).includes('root:')), p)
    }
  })
})

describe('configuration', () => {
  test('a bad value names the option and stops the start', () => {
    let r = ecogov(['serve', `--db=${env.db}`, '--http-port=99999'])
    assert.notEqual(r.status, 0)
    assert.match(r.stderr, /http_port/)
    r = ecogov(['serve', `--db=${env.db}`, '--no-such-option=1'])
    assert.notEqual(r.status, 0)
    assert.match(r.stderr, /no-such-option/)
    r = ecogov(['serve', `--db=${env.db}`], { env: { ...process.env, ECOGOV_THREADS: 'many' } })
    assert.notEqual(r.status, 0)
    assert.match(r.stderr, /threads/)
  })

  test('file < environment < flags', async () => {
    const conf = path.join(env.dir, 'ecogov.conf')
    const { writeFileSync } = await import('node:fs')
    writeFileSync(conf, '# test\nbureau_name = 文件局\nbureau_phone = 111\n')
    const s = await startServer(env.db, [`--config=${conf}`, '--bureau-phone=333'], { ECOGOV_BUREAU_PHONE: '222', ECOGOV_BUREAU_EMAIL: 'env@example.org' })
    try {
      const info = (await new Client(s.url).get('/api/v1/public/info')).json.bureau
      assert.equal(info.name, '文件局')
      assert.equal(info.phone, '333')
      assert.equal(info.email, 'env@example.org')
    } finally {
      const { code } = await s.stop()
      assert.equal(code, 0, 'SIGTERM is a clean shutdown')
    }
  })
})

describe('session expiry', () => {
  test('an idle session expires', async () => {
    const s = await startServer(env.db, ['--session-idle=1'])
    try {
      const c = await Client.as(s.url, 'staff')
      assert.equal((await c.get('/api/v1/auth/me')).status, 200)
      await new Promise((res) => setTimeout(res, 2500))
      const r = await c.get('/api/v1/auth/me')
      assert.equal(r.status, 401)
      assert.equal(r.json.error.code, 'session_expired')
    } finally {
      await s.stop()
    }
  })
})
