// Every list page's "导出 Excel": GET <list>?format=xlsx answers the very rows
// the list answers as JSON (same filters, same role checks), as a workbook
// with Chinese headings; read back here from the zip (xlsx_sheet.mjs).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { demoDb, startServer, Client } from '../lib.mjs'
import { xlsxRows } from './xlsx_sheet.mjs'

let db, server, staff, ent

before(async () => {
  db = demoDb()
  server = await startServer(db.db)
  staff = await Client.as(server.url, 'staff')
  ent = await Client.as(server.url, 'enterprise')
})
after(async () => {
  await server?.stop()
  db?.cleanup()
})

async function exportOf(client, path) {
  const sep = path.includes('?') ? '&' : '?'
  const res = await client.request('GET', path + sep + 'format=xlsx', { raw: true })
  const bytes = Buffer.from(await res.arrayBuffer())
  return { res, rows: res.status === 200 ? xlsxRows(bytes) : null, text: bytes.toString() }
}

// list, a filter, the download's name, the first heading, the JSON member
// the first column holds and how the sheet shows it. On the demo city the
// filter leaves some rows out where NARROWS says so (the others have one row).
const LISTS = [
  ['/api/v1/approval/applications', 'status=accepted', 'approvals.xlsx', '受理编号', (i) => i.number],
  ['/api/v1/approval/invest-projects', 'status=签约', 'invest-projects.xlsx', '项目名称', (i) => i.name],
  ['/api/v1/service/visits', 'enterprise_id=1', 'visits.xlsx', '编号', (i) => String(i.id)],
  ['/api/v1/service/tracker', 'status=open', 'tracker.xlsx', '编号', (i) => String(i.id)],
  ['/api/v1/supervision/lists/draws', 'q=第四季度', 'draws.xlsx', '编号', (i) => String(i.id)],
  ['/api/v1/supervision/lists/cases', 'q=open', 'cases.xlsx', '编号', (i) => String(i.id)],
  ['/api/v1/supervision/lists/alarms', 'q=new', 'alarms.xlsx', '编号', (i) => String(i.id)],
  ['/api/v1/supervision/lists/inspections', 'q=景瓷', 'inspections.xlsx', '编号', (i) => String(i.id)],
  ['/api/v1/supervision/lists/penalties', 'q=南河', 'penalties.xlsx', '处罚决定书文号', (i) => i.decision_no],
]

const NARROWS = new Set(['approvals.xlsx', 'invest-projects.xlsx', 'visits.xlsx', 'tracker.xlsx', 'alarms.xlsx', 'penalties.xlsx'])

for (const [list, filter, file, head, first] of LISTS) {
  test(`${list}?${filter} exports the filtered rows as ${file}`, async () => {
    const all = (await staff.get(list)).json.items
    const json = (await staff.get(`${list}?${filter}`)).json.items
    assert.ok(json.length > 0, 'the demo city has rows for the filter')
    const { res, rows } = await exportOf(staff, `${list}?${encodeURI(filter)}`)
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    assert.equal(res.headers.get('content-disposition'), `attachment; filename="${file}"`)
    assert.equal(rows[0][0], head)
    assert.equal(rows.length - 1, json.length, 'one row per listed item')
    assert.deepEqual(rows.slice(1).map((r) => r[0]), json.map(first), 'the same rows in the same order')
    if (NARROWS.has(file)) assert.ok(json.length < all.length, 'the filter leaves rows out')
  })
}

test("the queue's 'open' filter is the workbench's queue: submitted, correction, accepted", async () => {
  const all = (await staff.get('/api/v1/approval/applications')).json.items
  const open = (await staff.get('/api/v1/approval/applications?status=open')).json.items
  const want = all.filter((i) => ['submitted', 'correction', 'accepted'].includes(i.status)).map((i) => i.id)
  assert.ok(want.length > 0 && want.length < all.length)
  assert.deepEqual(open.map((i) => i.id).sort(), want.sort())
  const { rows } = await exportOf(staff, '/api/v1/approval/applications?status=open')
  assert.equal(rows.length - 1, want.length)
})

test('codes are shown as the pages show them, times in Beijing time', async () => {
  const { rows } = await exportOf(staff, '/api/v1/service/visits?status=completed')
  const status = rows[0].indexOf('状态')
  assert.ok(rows.slice(1).every((r) => r[status] === '已完成'))
  const planned = rows[0].indexOf('计划时间')
  assert.match(rows[1][planned], /^\d{4}-\d\d-\d\d \d\d:\d\d$/)
  const item = (await staff.get('/api/v1/service/visits?status=completed')).json.items[0]
  const bj = new Date((item.planned_at + 8 * 3600) * 1000).toISOString().slice(0, 16).replace('T', ' ')
  assert.equal(rows[1][planned], bj)
})

test('an enterprise exports only its own rows', async () => {
  for (const list of ['/api/v1/approval/applications', '/api/v1/service/visits', '/api/v1/supervision/lists/alarms']) {
    const own = (await ent.get(list)).json.items
    const everyone = (await staff.get(list)).json.items
    assert.ok(own.length > 0 && own.length < everyone.length, `${list}: the demo enterprise has some of the rows`)
    const { res, rows } = await exportOf(ent, list)
    assert.equal(res.status, 200)
    const col = rows[0].findIndex((h) => h === '企业' || h === '建设单位')
    assert.equal(rows.length - 1, own.length)
    const names = new Set(rows.slice(1).map((r) => r[col]))
    assert.equal(names.size, 1, `${list}: one enterprise's rows`)
    assert.deepEqual([...names], [own[0].enterprise_name ?? own[0].enterprise])
  }
  // Lists an enterprise may not see cannot be exported either.
  assert.equal((await exportOf(ent, '/api/v1/service/tracker')).res.status, 403)
  assert.equal((await exportOf(ent, '/api/v1/supervision/lists/draws')).res.status, 403)
  assert.equal((await exportOf(ent, '/api/v1/approval/invest-projects')).res.status, 403)
})

test('an unknown format, or a list without an export, is refused', async () => {
  const bad = await staff.get('/api/v1/service/visits?format=pdf')
  assert.equal(bad.status, 422)
  assert.equal(bad.json.error.field, 'format')
  const none = await staff.get('/api/v1/supervision/lists/matters?format=xlsx')
  assert.equal(none.status, 422)
  assert.equal(none.json.error.field, 'format')
  assert.equal((await staff.get('/api/v1/supervision/lists/matters?format=json')).status, 200)
})
