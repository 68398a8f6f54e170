// Supervision (issue 7) against the real server: a 双随机 draw committed, executed, published
// and replayed by `ecogov draw replay` and by an independent JavaScript implementation (Node's
// OpenSSL ChaCha20); the alarm -> case loop; positive-list removal proposals; EIA preparer
// credit lists on their effective dates; bad input refused with nothing changed; roles.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createCipheriv, createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { demoDb, startServer, Client, ecogov } from '../lib.mjs'

let env, server, staff, ent, anon, leader

before(async () => {
  env = demoDb({ enterprises: 40 })
  server = await startServer(env.db)
  staff = await Client.as(server.url, 'staff')
  ent = await Client.as(server.url, 'enterprise')
  leader = await Client.as(server.url, 'leader')
  anon = new Client(server.url)
})

after(async () => {
  await server?.stop()
  env?.cleanup()
})

// The draw of docs/draw.md, written from the document.
function replayJs(seedHex, keys, count) {
  const sorted = [...new Set(keys)].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
  const hash = createHash('sha256').update(sorted.map((k) => k + '\n').join('')).digest()
  const iv = Buffer.concat([Buffer.alloc(8), hash.subarray(0, 8)])
  const cipher = createCipheriv('chacha20', Buffer.from(seedHex, 'hex'), iv)
  let block = Buffer.alloc(0)
  let pos = 0
  const word = () => {
    if (pos + 4 > block.length) { block = cipher.update(Buffer.alloc(64)); pos = 0 }
    const w = block.readUInt32LE(pos); pos += 4; return w
  }
  const below = (m) => {
    const limit = 2 ** 32 - (2 ** 32 % m)
    for (;;) { const x = word(); if (x < limit) return x % m }
  }
  const a = [...sorted]
  for (let i = 0; i < count; i++) {
    const j = i + below(a.length - i)
    ;[a[i], a[j]] = [a[j], a[i]]
  }
  return { draw: a.slice(0, count), poolHash: hash.toString('hex') }
}

test('a draw is committed, executed, published and replayed from its seed', async () => {
  const r = await staff.post('/api/v1/supervision/draws', {
    title: '测试抽查', period: '2026Q4', matter_id: 1, counts: { general: 3, key: 2, special: 0, positive: 0 },
  })
  assert.equal(r.status, 201, r.text)
  const id = r.json.id
  assert.equal(r.headers.get('location'), `/api/v1/supervision/draws/${id}`)
  assert.equal(r.json.status, 'committed')
  assert.match(r.json.seed_hash, /^[0-9a-f]{64}$/)
  assert.equal(r.json.seed, undefined)
  // public before the draw: the commitment and the pools, no targets
  let pub = await anon.get(`/api/v1/public/supervision/draws/${id}`)
  assert.equal(pub.status, 200)
  assert.equal(pub.json.seed_hash, r.json.seed_hash)
  assert.equal(pub.json.items, undefined)
  let ex = await staff.post(`/api/v1/supervision/draws/${id}/execute`, {})
  assert.equal(ex.status, 200, ex.text)
  assert.equal(ex.json.items.length, 5)
  for (const it of ex.json.items) assert.equal(it.team.length, 2)
  pub = await anon.get(`/api/v1/public/supervision/draws/${id}`)
  assert.equal(pub.json.items, undefined, 'confidential until published')
  assert.equal((await staff.post(`/api/v1/supervision/draws/${id}/execute`, {})).json.error.code, 'invalid_state')
  const p = await staff.post(`/api/v1/supervision/draws/${id}/publish`, {})
  assert.equal(p.status, 200)
  pub = await anon.get(`/api/v1/public/supervision/draws/${id}`)
  const seed = pub.json.seed
  assert.match(seed, /^[0-9a-f]{64}$/)
  assert.equal(createHash('sha256').update(Buffer.from(seed, 'hex')).digest('hex'), pub.json.seed_hash)
  // replay the 'general' class with the command-line tool and with the JS implementation
  const csv = await anon.get(`/api/v1/public/supervision/draws/${id}/files/general`)
  assert.equal(csv.status, 200)
  const file = path.join(env.dir, 'general.csv')
  writeFileSync(file, csv.text)
  const out = ecogov(['draw', 'replay', '--seed', seed, '--pool', file, '--count', '3'])
  assert.equal(out.status, 0, out.stderr)
  const cli = out.stdout.trim().split('\n').filter((l) => /^\d+\t/.test(l)).map((l) => l.split('\t')[1])
  const server = pub.json.items.filter((i) => i.class_code === 'general').map((i) => i.target_key)
  assert.deepEqual(cli, server)
  const keys = csv.text.trim().split('\n').slice(1).map((l) => l.split(',')[0])
  const js = replayJs(seed, keys, 3)
  assert.deepEqual(js.draw, server)
  const stratum = pub.json.strata.find((s) => s.class_code === 'general')
  assert.equal(js.poolHash, stratum.pool_hash)
  assert.match(out.stdout, new RegExp(`pool_sha256\t${stratum.pool_hash}`))
  // teams replay
  const insp = await anon.get(`/api/v1/public/supervision/draws/${id}/files/inspectors`)
  const conf = await anon.get(`/api/v1/public/supervision/draws/${id}/files/conflicts`)
  const targets = await anon.get(`/api/v1/public/supervision/draws/${id}/files/targets`)
  writeFileSync(path.join(env.dir, 'i.csv'), insp.text)
  writeFileSync(path.join(env.dir, 'c.csv'), conf.text)
  writeFileSync(path.join(env.dir, 't.txt'), targets.text)
  const teams = ecogov(['draw', 'teams', '--seed', seed, '--pool', path.join(env.dir, 'i.csv'), '--targets',
    path.join(env.dir, 't.txt'), '--conflicts', path.join(env.dir, 'c.csv'), '--team', '2'])
  assert.equal(teams.status, 0, teams.stderr)
  const rows = teams.stdout.trim().split('\n').filter((l) => !/^(seed|pool)/.test(l)).map((l) => l.split('\t'))
  assert.deepEqual(rows.map((r) => r.slice(1)), pub.json.items.map((i) => i.team))

  // results: an inspection for the first target starts the 20-working-day clock
  const first = pub.json.items[0]
  const ins = await staff.post('/api/v1/supervision/inspections', {
    enterprise_id: first.enterprise_id, inspected_on: '2026-09-30', findings: '设施运行正常', result: 'compliant',
    inspector_ids: [2, 3], photos: ['photo-1.jpg'],
  })
  assert.equal(ins.status, 201, ins.text)
  const res = await staff.post(`/api/v1/supervision/draws/${id}/result`, { seq: 1, inspection_id: ins.json.id })
  assert.equal(res.status, 200, res.text)
  // 2026-09-30 + 20 working days across the National Day holiday, as the calendar tool says
  const due = ecogov(['calendar', 'add-workdays', '2026-09-30', '20']).stdout.trim()
  assert.equal(due, '2026-11-03')
  assert.equal(res.json.items[0].result_due, due)
  assert.equal(res.json.items[0].overdue, true)
  const rp = await staff.post(`/api/v1/supervision/draws/${id}/result-publish`, { seq: 1 })
  assert.equal(rp.status, 200)
  const insList = await anon.get('/api/v1/public/supervision/lists/inspections')
  assert.ok(insList.json.lists[0].items.some((i) => i.code === first.target_key))
})

test('a draw larger than its pool, or a team blocked by conflicts, is refused and nothing is stored', async () => {
  const before = (await staff.get('/api/v1/supervision/lists/draws')).json.items.length
  let r = await staff.post('/api/v1/supervision/draws', { title: '过多', period: '2026Q4', matter_id: 1, counts: { general: 100000 } })
  assert.equal(r.status, 422)
  assert.equal(r.json.error.code, 'draw_pool_too_small')
  r = await staff.post('/api/v1/supervision/draws', { title: '未知类别', period: '2026Q4', matter_id: 1, counts: { nope: 1 } })
  assert.equal(r.json.error.code, 'invalid_field')
  r = await staff.post('/api/v1/supervision/draws', { title: '过大组', period: '2026Q4', matter_id: 1, team_size: 8 })
  assert.equal(r.status, 409)
  assert.equal(r.json.error.code, 'inspector_conflict')
  assert.equal((await staff.get('/api/v1/supervision/lists/draws')).json.items.length, before)
  // an inspector in conflict may not inspect that enterprise
  const conflicts = (await staff.get('/api/v1/supervision/lists/conflicts')).json.items
  assert.ok(conflicts.length >= 1)
  const c = conflicts[0]
  r = await staff.post('/api/v1/supervision/inspections', {
    enterprise_id: c.enterprise_id, findings: 'x', result: 'compliant', inspector_ids: [c.inspector_id, c.inspector_id === 2 ? 3 : 2],
  })
  assert.equal(r.status, 409)
  assert.equal(r.json.error.code, 'inspector_conflict')
})

test('an inspection takes evidence files, checked by content, read by the bureau only', async () => {
  const ins = (await staff.get('/api/v1/supervision/lists/inspections?limit=1')).json.items[0]
  assert.ok(ins, 'the demo has inspections')
  const path = `/api/v1/supervision/inspections/${ins.id}/files`
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1])
  let r = await staff.post(path + '?name=' + encodeURIComponent('现场照片.jpg'), jpeg, { headers: { 'content-type': 'image/jpeg' } })
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.mime, 'image/jpeg')
  r = await staff.post(path + '?name=x.jpg', 'MZ not an image', { headers: { 'content-type': 'image/jpeg' } })
  assert.equal(r.status, 415)
  r = await staff.post(path, jpeg, { headers: { 'content-type': 'image/jpeg' } })
  assert.equal(r.status, 422) // a name is required
  const list = await leader.get(path)
  assert.equal(list.status, 200)
  assert.ok(list.json.items.some((f) => f.filename === '现场照片.jpg'))
  assert.equal((await staff.post('/api/v1/supervision/inspections/999999/files?name=a.jpg', jpeg, { headers: { 'content-type': 'image/jpeg' } })).status, 404)
})

test('an alarm is verified, becomes a case, and the case closes with rectification evidence', async () => {
  let a = await staff.post('/api/v1/supervision/alarms', { enterprise_id: 7, factor: 'SO2', value: 80, limit: 50, unit: 'mg/m3', data_flag: 'N' })
  assert.equal(a.status, 201, a.text)
  const id = a.json.id
  assert.equal((await staff.post(`/api/v1/supervision/alarms/${id}/case`, { title: 'x' })).json.error.code, 'invalid_state')
  assert.equal((await staff.post(`/api/v1/supervision/alarms/${id}/verify`, { note: '数据有效' })).status, 200)
  const k = await staff.post(`/api/v1/supervision/alarms/${id}/case`, { title: '二氧化硫超标' })
  assert.equal(k.status, 200)
  const caseId = k.json.id
  // the audit entry names the case it opened
  const admin = await Client.as(server.url, 'admin')
  const opened = (await admin.get(`/api/v1/audit?entity=sup_case&entity_id=${caseId}&action=supervision.case.open`)).json.items
  assert.equal(opened.length, 1)
  assert.equal((await staff.post(`/api/v1/supervision/cases/${caseId}/close`, { evidence: 'x' })).json.error.code, 'invalid_state')
  assert.equal((await staff.post(`/api/v1/supervision/cases/${caseId}/rectify`, { requirement: '更换脱硫剂', due_on: '2099-01-01' })).status, 200)
  const noEvidence = await staff.post(`/api/v1/supervision/cases/${caseId}/close`, {})
  assert.equal(noEvidence.json.error.code, 'evidence_required')
  // text is no evidence: closing needs a file (issue #17 item 8)
  const textOnly = await staff.post(`/api/v1/supervision/cases/${caseId}/close`, { evidence: '整改验收报告 2026-11-20' })
  assert.equal(textOnly.status, 422)
  assert.equal(textOnly.json.error.code, 'evidence_required')
  assert.equal(textOnly.json.error.field, 'files')
  const upload = (c, body, name) => c.post(`/api/v1/supervision/cases/${caseId}/files?name=${encodeURIComponent(name)}`, body, { headers: { 'content-type': 'application/octet-stream' } })
  const fake = await upload(staff, 'just text', '验收报告.pdf')
  assert.equal(fake.status, 415)
  assert.equal(fake.json.error.code, 'attachment_type')
  const pdf = '%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n'
  assert.equal((await upload(leader, pdf, '验收报告.pdf')).status, 403)
  assert.equal((await upload(ent, pdf, '验收报告.pdf')).status, 403)
  const up = await upload(staff, pdf, '验收报告.pdf')
  assert.equal(up.status, 201, up.text)
  assert.match(up.headers.get('location'), /\/api\/v1\/service\/attachments\/\d+$/)
  const files = await staff.get(`/api/v1/supervision/cases/${caseId}/files`)
  assert.deepEqual(files.json.items.map((f) => [f.filename, f.owner_kind]), [['验收报告.pdf', 'case']])
  assert.equal((await ent.get(`/api/v1/supervision/cases/${caseId}/files`)).status, 403)
  assert.equal((await staff.get('/api/v1/supervision/cases/999999/files')).status, 404)
  const dl = await staff.get(up.headers.get('location'))
  assert.equal(dl.status, 200)
  assert.equal(dl.text, pdf)
  assert.equal((await leader.get(up.headers.get('location'))).status, 200)
  assert.equal((await ent.get(up.headers.get('location'))).status, 404) // the bureau's record
  const closed = await staff.post(`/api/v1/supervision/cases/${caseId}/close`, { evidence: '整改验收报告 2026-11-20', note: '已整改' })
  assert.equal(closed.status, 200)
  assert.equal(closed.json.status, 'closed')
  assert.equal((await upload(staff, pdf, '补充.pdf')).status, 409)
  const rects = (await staff.get('/api/v1/supervision/lists/rectifications?enterprise_id=7')).json.items
  assert.ok(rects.some((r) => r.case_id === caseId && r.status === 'done'))
  // data flagged M (maintenance) is excluded: the alarm can only be dismissed
  a = await staff.post('/api/v1/supervision/alarms', { enterprise_id: 7, factor: 'NOx', value: 300, limit: 200, data_flag: 'M' })
  const v = await staff.post(`/api/v1/supervision/alarms/${a.json.id}/verify`, {})
  assert.equal(v.status, 422)
  assert.equal(v.json.error.code, 'alarm_data_invalid')
  assert.equal((await staff.post(`/api/v1/supervision/alarms/${a.json.id}/dismiss`, { reason: '维护期间数据' })).json.status, 'dismissed')
  const stats = (await staff.get('/api/v1/supervision/stats')).json
  assert.ok(stats.cases.closed >= 1)
})

test('a penalty proposes removal from the positive list; accepting removes it with history', async () => {
  const e = 9
  let r = await staff.post('/api/v1/supervision/positive', { enterprise_id: e, decision_no: '景环执〔2026〕99号' })
  assert.equal(r.status, 422)
  assert.equal(r.json.error.code, 'criteria_not_met')
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)
  r = await staff.put('/api/v1/supervision/facts', { enterprise_id: e, permit_reports_ok: true, monitoring_networked: true, monitoring_last_seen: today })
  assert.equal(r.status, 200, r.text)
  r = await staff.post('/api/v1/supervision/positive', { enterprise_id: e, decision_no: '景环执〔2026〕99号' })
  assert.equal(r.status, 201, r.text)
  r = await staff.post('/api/v1/supervision/penalties', {
    enterprise_id: e, decision_no: '景环罚〔2026〕99号', decided_on: today, violation: '超标排放', amount_yuan: 30000,
  })
  assert.equal(r.status, 201, r.text)
  const props = (await staff.get(`/api/v1/supervision/lists/proposals?enterprise_id=${e}`)).json.items
  const prop = props.find((p) => p.source_entity === 'penalty' && p.status === 'open')
  assert.ok(prop, JSON.stringify(props))
  const d = await staff.post(`/api/v1/supervision/proposals/${prop.id}/decide`, { accept: true, note: '依规移出' })
  assert.equal(d.status, 200, d.text)
  const pub = (await anon.get('/api/v1/public/supervision/lists/positive')).json.lists[0]
  assert.ok(!pub.items.some((i) => i.decision_no === '景环执〔2026〕99号'))
  assert.ok(pub.history.some((h) => h.action === 'left'))
  const pen = (await anon.get('/api/v1/public/supervision/lists/penalties?q=' + encodeURIComponent('景瓷'))).json.lists[0]
  assert.ok(pen.items.some((i) => i.decision_no === '景环罚〔2026〕99号'))
})

test('EIA preparer credit: 20 points -> 限期整改, a ban -> 黑名单 on its effective date; blocked intake', async () => {
  let r = await staff.post('/api/v1/supervision/preparers', { kind: 'unit', name: '测试环评公司', code: '91360200MA35TEST01', registered_on: '2024-01-10' })
  assert.equal(r.status, 201, r.text)
  const unit = r.json.id
  r = await staff.post('/api/v1/supervision/preparers', { kind: 'person', name: '测试编制人', code: 'BH0360TEST', employer_id: unit, registered_on: '2024-01-10' })
  const person = r.json.id
  const score = (id, body) => staff.post(`/api/v1/supervision/preparers/${id}/events`, body)
  r = await score(unit, { behaviour: 'ZZ9', decision_no: 'x1', effective_on: '2025-03-01' })
  assert.equal(r.status, 422)
  assert.equal(r.json.error.code, 'unknown_behaviour')
  assert.equal((await score(unit, { behaviour: 'A5', decision_no: 'x2', effective_on: '2025-03-01' })).status, 200)
  assert.equal((await score(unit, { behaviour: 'A5', decision_no: 'x3', effective_on: '2025-05-10' })).status, 200)
  let g = (await staff.get(`/api/v1/supervision/preparers/${unit}?date=2025-05-10`)).json
  assert.ok(g.lists.some((l) => l.list === 'rectify' && l.from === '2025-05-10' && l.until === '2025-11-09'))
  assert.equal(g.cycle.from, '2025-05-10')
  let b = (await staff.get(`/api/v1/supervision/preparers/${unit}/blocked?date=2025-06-01`)).json
  assert.equal(b.blocked, true)
  b = (await staff.get(`/api/v1/supervision/preparers/${unit}/blocked?date=2025-05-09`)).json
  assert.equal(b.blocked, false)
  // a ban: straight to 20, on the blacklist from its effective date for the ban's duration
  r = await score(person, { behaviour: 'A4', decision_no: 'x4', effective_on: '2025-08-01', ban_until: '2030-07-31' })
  assert.equal(r.status, 200, r.text)
  const list = async (date) => (await anon.get(`/api/v1/public/supervision/lists/preparer_black?date=${date}`)).json.lists[0]
  assert.ok(!(await list('2025-07-31')).items.some((i) => i.code === 'BH0360TEST'))
  const on = (await list('2025-08-01')).items.find((i) => i.code === 'BH0360TEST')
  assert.ok(on)
  assert.equal(on.from, '2025-08-01')
  assert.equal(on.until, '2030-07-31')
  // publish the preparer lists through 2025-12-31: a change dated into that period is refused
  assert.equal((await staff.post('/api/v1/supervision/publications', { list: 'preparer', through: '2025-12-31' })).status, 201)
  const n = (await staff.get(`/api/v1/supervision/preparers/${unit}`)).json.events.length
  r = await score(unit, { behaviour: 'B1', decision_no: 'x5', effective_on: '2025-12-01' })
  assert.equal(r.status, 409)
  assert.equal(r.json.error.code, 'backdated')
  assert.equal((await staff.get(`/api/v1/supervision/preparers/${unit}`)).json.events.length, n)
  // feeds
  const atom = await anon.get('/api/v1/public/supervision/feed/preparer_black.atom?date=2025-08-01')
  assert.equal(atom.status, 200)
  assert.match(atom.headers.get('content-type'), /application\/atom\+xml/)
  assert.match(atom.text, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/)
  assert.match(atom.text, /测试编制人/)
  const feed = await anon.get('/api/v1/public/supervision/feed/preparer_black.json?date=2025-08-01')
  assert.equal(feed.status, 200)
  assert.ok(feed.json.items.some((i) => i.code === 'BH0360TEST'))
  assert.equal((await anon.get('/api/v1/public/supervision/feed/nope.json')).status, 404)
})

test('roles: enterprise users cannot call staff endpoints and see only their own records', async () => {
  let r = await ent.post('/api/v1/supervision/draws', { title: 'x', period: '2026Q4', matter_id: 1 })
  assert.equal(r.status, 403)
  r = await ent.post('/api/v1/supervision/penalties', { enterprise_id: 1 })
  assert.equal(r.status, 403)
  assert.equal((await ent.get('/api/v1/supervision/lists/draws')).status, 403)
  r = await ent.get('/api/v1/supervision/lists/penalties')
  assert.equal(r.status, 200)
  assert.ok(r.json.items.every((i) => i.enterprise_id === 1))
  assert.equal((await anon.get('/api/v1/supervision/lists/penalties')).status, 401)
  assert.equal((await anon.post('/api/v1/supervision/alarms', {})).status, 401)
  const all = await anon.get('/api/v1/public/supervision?q=' + encodeURIComponent('景瓷'))
  assert.equal(all.status, 200)
  assert.ok(all.json.lists.length >= 10)
})
