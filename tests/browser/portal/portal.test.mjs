// The enterprise portal in the browser (issue 17 item 5): an enterprise user lands on its to-dos
// (counts, a list with deadlines, overdue ones in red, each linking to where it is done) with the
// notification bell (a new rectification order is announced there), books a reception day with its contact prefilled, and answers a
// rectification order with an evidence file. The home page also on a phone.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ACCOUNTS, startServer, launchBrowser, newPage, login, screenshot, call } from '../lib.mjs'

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])
const beijingDay = (days) => new Date(Date.now() + 8 * 3600000 + days * 86400000).toISOString().slice(0, 10)

let srv
let browser
let rectId
let dayId

before(async () => {
  srv = await startServer()
  browser = await launchBrowser()
  // Staff give enterprise 1 an overdue rectification order and open an enterprise reception day.
  const staff = await newPage(browser, srv.url)
  await login(staff, ACCOUNTS.staff, '/console')
  const ins = await call(staff, 'POST', '/supervision/inspections', {
    enterprise_id: 1, findings: '废气收集设施破损', result: 'issues', inspector_ids: [2, 3],
    rectification: { requirement: '修复废气收集罩并更换活性炭', due_on: beijingDay(-1) },
  })
  assert.equal(ins.status, 201, JSON.stringify(ins.json))
  const list = await call(staff, 'GET', '/supervision/lists/rectifications?enterprise_id=1')
  rectId = list.json.items.find((r) => r.inspection_id === ins.json.id).id
  const day = await call(staff, 'POST', '/service/reception-days', { kind: 'enterprise', day: beijingDay(30), leaders: '李局长', place: '局一楼服务大厅', capacity: 3 })
  assert.equal(day.status, 201, JSON.stringify(day.json))
  dayId = day.json.id
  await staff.context().close()
})

after(async () => {
  if (browser) await browser.close()
  if (srv) await srv.stop()
})

test('an enterprise lands on its to-dos, books a reception day and answers a rectification with a file', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.ent, '/enterprise')
  await page.getByTestId('portal-todos').waitFor()
  await page.getByTestId('notif-bell').waitFor()
  await page.getByTestId('enterprise-card').waitFor()
  const todos = (await call(page, 'GET', '/portal/todos')).json
  const fig = async (id) => Number((await page.getByTestId(id).locator('b').innerText()).trim())
  assert.equal(await fig('todo-total'), todos.counts.total)
  assert.equal(await fig('todo-overdue'), todos.counts.overdue)
  assert.equal(await fig('todo-count-rectifications'), todos.counts.rectifications)
  assert.equal(await fig('todo-count-supplements'), todos.counts.supplements)
  const rect = page.locator(`[data-testid="todo-rectification"]`, { hasText: '修复废气收集罩' })
  assert.equal(await rect.getAttribute('data-overdue'), '1', 'the order past its deadline is marked overdue')
  await rect.getByText('逾期 1 天').waitFor()
  await screenshot(page, 'portal-home')

  // The bell carries the new order; its notice opens the answers page.
  await page.getByTestId('notif-bell').click()
  await page.getByTestId('notif-item').filter({ hasText: '整改要求' }).first().click()
  await page.waitForURL((u) => u.pathname === '/enterprise/rectifications')
  await page.getByTestId('rect-answer-' + rectId).waitFor()
  await page.goBack()
  await page.getByTestId('portal-todos').waitFor()

  // Reception day: places left, booking with the contact prefilled.
  await page.getByTestId('nav-portal-reception').click()
  await page.waitForURL((u) => u.pathname === '/enterprise/reception')
  assert.equal((await page.getByTestId('reception-left-' + dayId).innerText()).trim(), '3')
  await page.getByTestId('reception-book-' + dayId).click()
  const person = page.getByTestId('reception-person')
  await person.waitFor()
  assert.notEqual(await person.inputValue(), '', 'the visitor is prefilled')
  if (!(await page.getByTestId('reception-phone').inputValue())) await page.getByTestId('reception-phone').fill('13800000001')
  await page.getByTestId('reception-topic').fill('排污许可变更咨询')
  await page.getByTestId('reception-submit').click()
  await page.waitForFunction((id) => document.querySelector(`[data-testid="reception-left-${id}"]`)?.textContent.trim() === '2', dayId)
  const day = (await call(page, 'GET', '/service/reception-days/' + dayId)).json
  assert.equal(day.entries.length, 1)
  assert.equal(day.entries[0].topic, '排污许可变更咨询')
  assert.equal(day.entries[0].enterprise_id, 1)

  // Back home, the rectification's link opens the answers page; answer with a photo.
  await page.getByTestId('nav-portal-home').click()
  await page.locator('[data-testid="todo-rectification"]', { hasText: '修复废气收集罩' }).getByTestId('todo-go-rectification').click()
  await page.waitForURL((u) => u.pathname === '/enterprise/rectifications')
  await page.getByTestId('rect-answer-' + rectId).click()
  await page.getByTestId('rect-upload').setInputFiles({ name: '整改后照片.png', mimeType: 'image/png', buffer: PNG })
  await page.getByTestId('rect-files').getByText('整改后照片.png').waitFor()
  await page.getByTestId('rect-text').fill('已修复收集罩，更换活性炭 2 吨')
  await page.getByTestId('rect-submit').click()
  await page.getByTestId('rect-state-' + rectId).getByText('已回复，待核查').waitFor()
  const r = (await call(page, 'GET', '/supervision/rectifications/' + rectId)).json
  assert.equal(r.answer, '已修复收集罩，更换活性炭 2 吨')
  assert.equal(r.files.length, 1)
  await screenshot(page, 'portal-rectification-answered')
  assert.deepEqual(page.problems, [])
  await page.context().close()

  // Staff see the answer and its file among the rectifications before marking the order done.
  const staff = await newPage(browser, srv.url)
  await login(staff, ACCOUNTS.staff, '/console')
  await staff.goto('/console/supervision/inspections')
  await staff.locator('.el-tabs__item', { hasText: /^整改（/ }).first().click()
  await staff.getByTestId('rect-ent-answer-' + rectId).click()
  await staff.getByTestId('rect-ent-file').getByText('整改后照片.png').waitFor()
  assert.deepEqual(staff.problems, [])
  await staff.context().close()
})

test('the portal home on a phone: to-dos first, nothing wider than the screen', async () => {
  const page = await newPage(browser, srv.url, { viewport: { width: 390, height: 844 } })
  await login(page, ACCOUNTS.ent, '/enterprise')
  await page.getByTestId('portal-todos').waitFor()
  await page.getByTestId('notif-bell').waitFor()
  await page.getByTestId('todo-total').waitFor()
  const box = await page.getByTestId('portal-todos').boundingBox()
  const card = await page.getByTestId('enterprise-card').boundingBox()
  assert.ok(box.y < card.y, 'the to-dos come before the registry card')
  assert.ok(box.x >= 0 && box.x + box.width <= 390 + 1, 'the to-do card fits the screen')
  const items = await page.locator('[data-testid^="todo-"][data-overdue]').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right))
  assert.ok(items.length > 0)
  for (const right of items) assert.ok(right <= 391, 'each to-do fits the screen: ' + right)
  await screenshot(page, 'portal-home-phone')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
