// Enterprise service over real HTTP: the visit → confirm → link → form → bad-review flow, the
// tracker on the working-day calendar (2026 Spring Festival), evidence and review, reception days
// and their statistics, role checks with enterprise isolation, bad input that changes nothing,
// and the Excel exports.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { demoDb, startServer, Client } from '../lib.mjs'

let env, srv
const c = {}
let staffId, leaderId, sections

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n')
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])
const EXE = Buffer.from('MZ\x90\x00\x03\x00\x00\x00 this program cannot be run in DOS mode')

before(async () => {
  env = demoDb({ enterprises: 20 })
  srv = await startServer(env.db, [`--var-dir=${path.join(env.dir, 'var')}`])
  c.public = new Client(srv.url)
  for (const r of ['staff', 'staff2', 'leader', 'admin', 'enterprise']) c[r] = await Client.as(srv.url, r)
  const staff = (await c.staff.get('/api/v1/service/staff')).json.items
  staffId = staff.find((u) => u.display_name === '王环评').id
  leaderId = staff.find((u) => u.role === 'leader').id
  sections = Object.fromEntries((await c.staff.get('/api/v1/sections')).json.items.map((s) => [s.name, s.id]))
})

after(async () => {
  await srv?.stop()
  env?.cleanup()
})

async function lastAudit() {
  const r = await c.leader.get('/api/v1/audit?limit=1')
  return r.json.items[0].id
}

async function upload(client, p, name, bytes) {
  return client.request('POST', `${p}?name=${encodeURIComponent(name)}`, { body: new Uint8Array(bytes), headers: { 'content-type': 'application/octet-stream' } })
}

test('demo data: visits, reception days of 2026 and their annual figures', async () => {
  const v = await c.staff.get('/api/v1/service/visits')
  assert.equal(v.status, 200)
  assert.ok(v.json.items.length >= 3)
  const a = await c.leader.get('/api/v1/service/annual?year=2026')
  assert.equal(a.status, 200)
  assert.equal(a.json.days_held, 5)
  assert.equal(a.json.issues_taken, 9)
  assert.equal(a.json.answered_on_site, 5)
  assert.equal(a.json.committed, 4)
  assert.equal(a.json.solved_later, 2)
  assert.equal(a.json.answered_or_solved, 7)
  const q1 = await c.leader.get('/api/v1/service/quarterly?year=2026&quarter=1')
  const byTitle = Object.fromEntries(q1.json.items.map((i) => [i.title, i]))
  assert.equal(byTitle['春节期间重点排污单位环境安全隐患排查'].deadline, '2026-02-26')
  assert.equal(byTitle['春节期间重点排污单位环境安全隐患排查'].quarter_status, 'done')
})

test('visit: plan, enterprise confirms, fills its form through the link, a bad review opens a follow-up', async () => {
  const bad = await c.staff.post('/api/v1/service/visits', { enterprise_id: 1, purpose: '执法', planned_at: '2026-12-02 09:30', staff: [staffId] })
  assert.equal(bad.status, 422, 'enforcement needs two officers')
  const r = await c.staff.post('/api/v1/service/visits', { enterprise_id: 1, purpose: '服务', planned_at: '2026-12-02 09:30', place: '企业', staff: [staffId] })
  assert.equal(r.status, 201, r.text)
  const id = r.json.id
  assert.equal(r.headers.get('location'), `/api/v1/service/visits/${id}`)
  assert.equal(r.json.status, 'planned')
  const mine = await c.enterprise.get('/api/v1/service/visits')
  assert.ok(mine.json.items.every((v) => v.enterprise_id === 1))
  assert.ok(mine.json.items.some((v) => v.id === id))
  const conf = await c.enterprise.post(`/api/v1/service/visits/${id}/confirm`, {})
  assert.equal(conf.status, 200, conf.text)
  assert.equal(conf.json.status, 'confirmed')
  assert.equal(conf.json.confirm_method, 'portal')
  const link = await c.enterprise.post(`/api/v1/service/visits/${id}/link`, { base: 'http://example.test:8080' })
  assert.equal(link.status, 201, link.text)
  assert.match(link.json.url, /^http:\/\/example\.test:8080\/f\/[A-Za-z0-9_-]{43}$/)
  assert.match(link.json.qr_svg, /^<svg /)
  const token = link.json.token
  const view = await c.public.get('/api/v1/service/form?token=' + token)
  assert.equal(view.status, 200)
  assert.equal(view.json.id, id)
  assert.equal(view.json.note, undefined, 'the link page sees no internal fields')

  const form = {
    issues: [{ category: '排污许可', description: '许可证变更要多久' }],
    ratings: { overall: 2, attitude: 3, professional: 3, efficiency: 1, solved: 2 },
    evaluation: '等待时间太长',
    signer_name: '周晓明',
    signer_phone: '13607980003',
  }
  const before = await lastAudit()
  let e = await c.public.post('/api/v1/service/form?token=' + token, { ...form, ratings: { ...form.ratings, overall: 6 } })
  assert.equal(e.status, 422)
  assert.equal(e.json.error.code, 'rating_invalid')
  e = await c.public.post('/api/v1/service/form?token=' + token, { ...form, ratings: { ...form.ratings, attitude: 0 } })
  assert.equal(e.json.error.code, 'rating_invalid')
  assert.equal(await lastAudit(), before, 'a rejected form changes nothing')
  const ok = await c.public.post('/api/v1/service/form?token=' + token, form)
  assert.equal(ok.status, 200, ok.text)
  const again = await c.public.post('/api/v1/service/form?token=' + token, form)
  assert.equal(again.status, 410)
  assert.equal(again.json.error.code, 'form_token_used')
  const forged = await c.public.get('/api/v1/service/form?token=' + 'A'.repeat(43))
  assert.equal(forged.status, 404)
  assert.equal(forged.json.error.code, 'form_token_invalid')

  const v = await c.staff.get(`/api/v1/service/visits/${id}`)
  assert.equal(v.json.status, 'completed')
  assert.equal(v.json.form.bad, 1)
  assert.equal(v.json.form.channel, 'link')
  assert.equal(v.json.issues.length, 1)
  const follow = v.json.items.find((i) => i.source === 'bad_review')
  assert.ok(follow, 'a bad review opens a follow-up')
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)
  const want = await c.staff.get(`/api/v1/calendar/add-workdays?from=${today}&n=15`)
  assert.equal(want.status, 200, want.text)
  assert.equal(follow.deadline, want.json.date)
  assert.equal(follow.start_day, today)
  const notes = await c.leader.get('/api/v1/service/notifications')
  assert.ok(notes.json.items.some((n) => n.kind === 'bad_review'))
  // issue #17 item 11: the texts the server composed carry their parameters for the UI's language
  const note = notes.json.items.find((n) => n.kind === 'bad_review' && n.item_id === follow.id)
  assert.deepEqual(Object.keys(note.params).sort(), ['days', 'enterprise'])
  assert.equal(note.params.days, 15)
  const item = (await c.staff.get(`/api/v1/service/tracker/${follow.id}`)).json
  assert.equal(item.title, `差评回访整改：${item.title_params.enterprise}（${item.title_params.purpose}）`)
  const created = item.updates.find((u) => u.kind === 'create')
  assert.deepEqual(created.params.title_of, { source: 'bad_review', params: item.title_params })
  assert.equal(created.params.title, item.title)
})

test('enterprise isolation: another enterprise\'s visit is 404 everywhere', async () => {
  const r = await c.staff.post('/api/v1/service/visits', { enterprise_id: 2, purpose: '检查', planned_at: '2026-12-03 10:00', staff: [staffId] })
  const id = r.json.id
  const before = await lastAudit()
  assert.equal((await c.enterprise.get(`/api/v1/service/visits/${id}`)).status, 404)
  assert.equal((await c.enterprise.post(`/api/v1/service/visits/${id}/confirm`, {})).status, 404)
  assert.equal((await c.enterprise.post(`/api/v1/service/visits/${id}/link`, {})).status, 404)
  const f = await c.enterprise.post(`/api/v1/service/visits/${id}/form`, { ratings: { overall: 5, attitude: 5, professional: 5, efficiency: 5, solved: 5 }, signer_name: 'x', signer_phone: '13800000000' })
  assert.equal(f.status, 404)
  assert.equal((await upload(c.enterprise, `/api/v1/service/visits/${id}/attachments`, 'a.pdf', PDF)).status, 404)
  assert.equal((await c.enterprise.get('/api/v1/enterprises/2/360')).status, 404)
  assert.equal((await c.enterprise.get('/api/v1/service/tracker')).status, 403)
  assert.equal(await lastAudit(), before)
  const own = await c.enterprise.get('/api/v1/enterprises/1/360')
  assert.equal(own.status, 200)
  const svc = own.json.sections.find((s) => s.key === 'service')
  assert.ok(svc.data.visits.every((v) => v.enterprise_id === 1))
  assert.ok(svc.data.commitments.every((i) => i.enterprise_id === 1))
})

test('tracker: Spring Festival deadlines, holiday deadline refused, evidence and review to close, reopen', async () => {
  const base = { source: 'leader', title: '春节前后整改', owner_section_id: sections['环评科'], owner_user_id: staffId, start: '2026-02-13' }
  let r = await c.leader.post('/api/v1/service/tracker', { ...base, workdays: 1 })
  assert.equal(r.status, 201, r.text)
  assert.equal(r.headers.get('location'), `/api/v1/service/tracker/${r.json.id}`)
  assert.equal(r.json.deadline, '2026-02-14')
  assert.equal(r.json.state, 'overdue')
  r = await c.leader.post('/api/v1/service/tracker', { ...base, workdays: 2 })
  assert.equal(r.json.deadline, '2026-02-24')
  const before = await lastAudit()
  const hol = await c.leader.post('/api/v1/service/tracker', { ...base, deadline: '2026-02-17' })
  assert.equal(hol.status, 422)
  assert.equal(hol.json.error.code, 'deadline_not_workday')
  const both = await c.leader.post('/api/v1/service/tracker', { ...base, deadline: '2026-02-24', workdays: 2 })
  assert.equal(both.status, 422)
  assert.equal((await c.leader.post('/api/v1/service/tracker', { ...base, source: 'gossip', workdays: 2 })).status, 422)
  const id = r.json.id
  const sub = await c.staff.post(`/api/v1/service/tracker/${id}/submit`, { note: '已整改' })
  assert.equal(sub.status, 422)
  assert.equal(sub.json.error.code, 'evidence_required')
  let u = await upload(c.staff, `/api/v1/service/tracker/${id}/attachments`, 'report.pdf', EXE)
  assert.equal(u.status, 415)
  assert.equal(u.json.error.code, 'attachment_type')
  u = await upload(c.staff, `/api/v1/service/tracker/${id}/attachments`, 'photo.pdf', PNG)
  assert.equal(u.status, 415, 'content and extension disagree')
  u = await upload(c.staff, `/api/v1/service/tracker/${id}/attachments`, 'big.pdf', Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]))
  assert.equal(u.status, 413)
  assert.equal(u.json.error.code, 'attachment_too_large')
  assert.equal(await lastAudit(), before, 'nothing changed by the refusals')
  const item = (await c.staff.get(`/api/v1/service/tracker/${id}`)).json
  assert.equal(item.status, 'open')
  assert.equal(item.attachments.length, 0)

  u = await upload(c.staff, `/api/v1/service/tracker/${id}/attachments`, '../整改"报告.pdf', PDF)
  assert.equal(u.status, 201, u.text)
  assert.equal(u.json.mime, 'application/pdf')
  const dl = await c.staff.request('GET', `/api/v1/service/attachments/${u.json.id}`, { raw: true })
  assert.equal(dl.status, 200)
  assert.equal(dl.headers.get('content-type'), 'application/pdf')
  assert.match(dl.headers.get('content-disposition'), /^attachment; filename="[^"]*"; filename\*=UTF-8''%E6%95%B4%E6%94%B9/)
  assert.equal(Buffer.from(await dl.arrayBuffer()).toString(), PDF.toString())
  assert.equal((await c.enterprise.get(`/api/v1/service/attachments/${u.json.id}`)).status, 404)
  assert.equal((await c.public.get(`/api/v1/service/attachments/${u.json.id}`)).status, 401)
  // A type other than PDF comes from the database into the handler's own
  // buffer: the header must carry it intact after the handler returned.
  const png = await upload(c.staff, `/api/v1/service/tracker/${id}/attachments`, '现场.png', PNG)
  assert.equal(png.status, 201, png.text)
  for (let i = 0; i < 5; i++) {
    const g = await c.staff.request('GET', `/api/v1/service/attachments/${png.json.id}?inline=${i % 2}`, { raw: true })
    assert.equal(g.status, 200)
    assert.equal(g.headers.get('content-type'), 'image/png')
  }

  assert.equal((await c.leader.post(`/api/v1/service/tracker/${id}/review`, { approve: true })).status, 409, 'not submitted yet')
  const s2 = await c.staff.post(`/api/v1/service/tracker/${id}/submit`, { note: '已整改，附报告' })
  assert.equal(s2.status, 200, s2.text)
  assert.equal(s2.json.status, 'submitted')
  assert.equal((await c.staff.post(`/api/v1/service/tracker/${id}/review`, { approve: true })).status, 403, 'only the assigner or a leader reviews')
  const ok = await c.leader.post(`/api/v1/service/tracker/${id}/review`, { approve: true, note: '同意' })
  assert.equal(ok.status, 200)
  assert.equal(ok.json.status, 'closed')
  assert.equal(ok.json.on_time, false)
  const re = await c.leader.post(`/api/v1/service/tracker/${id}/reopen`, { note: '复查发现反弹', workdays: 5 })
  assert.equal(re.status, 200, re.text)
  assert.equal(re.json.status, 'open')
  assert.equal(re.json.reopen_count, 1)
  const notes = await c.staff.get('/api/v1/service/notifications?unread=1')
  assert.ok(notes.json.unread > 0)
  assert.equal((await c.staff.post('/api/v1/service/notifications/read', { all: true })).status, 200)
  assert.equal((await c.staff.get('/api/v1/service/notifications?unread=1')).json.unread, 0)
})

test('reception day: booking, walk-in, issues answered and committed, annual and quarterly figures', async () => {
  const a0 = (await c.leader.get('/api/v1/service/annual?year=2026')).json
  const hol = await c.staff.post('/api/v1/service/reception-days', { kind: 'enterprise', day: '2026-10-01', leaders: '李局长', place: '大厅' })
  assert.equal(hol.status, 422)
  const d = await c.staff.post('/api/v1/service/reception-days', { kind: 'enterprise', day: '2026-12-17', leaders: '李局长', place: '大厅', capacity: 1 })
  assert.equal(d.status, 201, d.text)
  const day = d.json.id
  assert.equal(d.headers.get('location'), `/api/v1/service/reception-days/${day}`)
  const b = await c.enterprise.post(`/api/v1/service/reception-days/${day}/bookings`, { enterprise_id: 3, person_name: '王建国', phone: '13800000001', people: 2, topic: '许可' })
  assert.equal(b.status, 201, b.text)
  const full = await c.staff.post(`/api/v1/service/reception-days/${day}/bookings`, { enterprise_id: 4, person_name: '李', phone: '13800000002', topic: '咨询' })
  assert.equal(full.status, 409, 'capacity 1')
  const pub = await c.public.post(`/api/v1/service/reception-days/${day}/public-bookings`, { person_name: '群众', phone: '13800000003', topic: '噪声' })
  assert.equal(pub.status, 422, 'an enterprise day is not booked anonymously')
  const detail = (await c.enterprise.get(`/api/v1/service/reception-days/${day}`)).json
  assert.equal(detail.entries.length, 1)
  assert.equal(detail.entries[0].enterprise_id, 1, 'an enterprise books for itself')
  const w = await c.staff.post(`/api/v1/service/reception-days/${day}/walk-ins`, { org_name: '某陶瓷厂', person_name: '张', phone: '0798-8123456', people: 1, topic: '监测' })
  assert.equal(w.status, 201)
  let i = await c.staff.post(`/api/v1/service/reception-days/${day}/issues`, { entry_id: b.json.id, category: '排污许可', description: '变更', resolution: 'answered', answer: '当场答复' })
  assert.equal(i.status, 201, i.text)
  const badCat = await c.staff.post(`/api/v1/service/reception-days/${day}/issues`, { entry_id: w.json.id, category: '闲聊', description: 'x', resolution: 'answered', answer: 'y' })
  assert.equal(badCat.status, 422)
  i = await c.staff.post(`/api/v1/service/reception-days/${day}/issues`, { entry_id: w.json.id, category: '监测', description: '数据异常', resolution: 'committed', owner_section_id: sections['执法支队'], workdays: 10 })
  assert.equal(i.status, 201, i.text)
  assert.equal(i.json.status, 'held')
  const a1 = (await c.leader.get('/api/v1/service/annual?year=2026')).json
  assert.equal(a1.days_held, a0.days_held + 1)
  assert.equal(a1.issues_taken, a0.issues_taken + 2)
  assert.equal(a1.answered_on_site, a0.answered_on_site + 1)
  assert.equal(a1.committed, a0.committed + 1)
  assert.equal(a1.people_received, a0.people_received + 3)
  assert.equal(a1.enterprises_received, a0.enterprises_received + 2)
  const q4 = (await c.leader.get('/api/v1/service/quarterly?year=2026&quarter=4')).json
  const it = q4.items.find((x) => x.title === '接待日交办：数据异常')
  assert.equal(it.quarter_status, 'in_progress')
  const referral = (await c.staff.get(`/api/v1/service/tracker/${it.id}`)).json
  assert.equal(referral.source, 'reception')
  assert.deepEqual(referral.title_params, { description: '数据异常' })
  assert.equal((await c.enterprise.get('/api/v1/service/quarterly')).status, 403)
})

test('statistics and Excel exports are real workbooks', async () => {
  const s = await c.leader.get('/api/v1/service/stats?group=section&from=2026-01-01&to=2026-12-31')
  assert.equal(s.status, 200)
  assert.ok(s.json.total.visits >= 3)
  assert.ok(s.json.total.forms >= 3)
  const dash = await c.leader.get('/api/v1/service/dashboard?year=2026')
  assert.equal(dash.status, 200)
  assert.ok(dash.json.items.overdue >= 1)
  for (const p of ['/api/v1/service/quarterly.xlsx?year=2026&quarter=1', '/api/v1/service/annual.xlsx?year=2026', '/api/v1/service/stats.xlsx']) {
    const r = await c.leader.request('GET', p, { raw: true })
    assert.equal(r.status, 200, p)
    assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    const buf = Buffer.from(await r.arrayBuffer())
    assert.equal(buf.subarray(0, 4).toString('latin1'), 'PK\x03\x04')
    assert.ok(buf.includes(Buffer.from('xl/workbook.xml')))
    assert.ok(buf.includes(Buffer.from('[Content_Types].xml')))
  }
  assert.equal((await c.leader.get('/api/v1/service/quarterly?quarter=5')).status, 422)
})
