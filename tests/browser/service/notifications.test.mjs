// The notification bell: a leader assigns a tracker item to staff's section; the staff member's
// bell counts it, the list shows it, a click opens the item in the tracker and marks it read;
// "mark all read" empties the count. Enterprise users have the bell too (heavy-pollution warnings).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ACCOUNTS, startServer, launchBrowser, newPage, login, logout, screenshot, call } from '../lib.mjs'

let srv
let browser

before(async () => {
  srv = await startServer({ enterprises: 20 })
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
  if (srv) await srv.stop()
})

test('a tracker item assigned to a section reaches its staff through the bell', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  const me = (await call(page, 'GET', '/auth/me')).json
  await call(page, 'POST', '/service/notifications/read', { all: true })
  await logout(page)

  await login(page, ACCOUNTS.leader, '/console')
  const created = await call(page, 'POST', '/service/tracker', {
    source: 'leader',
    title: '通知铃测试：整改台账',
    owner_section_id: me.user ? me.user.section_id : me.section_id,
    workdays: 5,
  })
  assert.equal(created.status, 201, JSON.stringify(created.json))
  await logout(page)

  await login(page, ACCOUNTS.staff, '/console')
  const bell = page.getByTestId('notif-bell')
  await bell.waitFor()
  await page.getByTestId('notif-count').locator('.el-badge__content:visible').waitFor()
  const count = Number(await page.getByTestId('notif-count').locator('.el-badge__content').textContent())
  assert.ok(count >= 1)
  await bell.click()
  const item = page.getByTestId('notif-item').filter({ hasText: '通知铃测试' }).first()
  await item.waitFor()
  await screenshot(page, 'notifications')
  await item.click()
  await page.waitForURL(/\/console\/service\/tracker\?item=\d+/)
  await page.getByTestId('item-detail').filter({ hasText: '通知铃测试' }).waitFor()
  const after = (await call(page, 'GET', '/service/notifications')).json
  assert.equal(after.unread, count - 1)
  await page.keyboard.press('Escape')
  if (after.unread) {
    await bell.click()
    await page.getByTestId('notif-read-all').click()
  }
  await page.getByTestId('notif-count').locator('.el-badge__content').waitFor({ state: 'hidden' })
  assert.equal((await call(page, 'GET', '/service/notifications')).json.unread, 0)
  await logout(page)

  await login(page, ACCOUNTS.ent, '/enterprise')
  await page.getByTestId('user-menu').waitFor()
  // Enterprises have the bell too: heavy-pollution warnings reach them there (response module).
  assert.equal(await page.getByTestId('notif-bell').count(), 1)
  assert.deepEqual(page.problems || [], [])
})

// Issue #17 item 11: the sentences the server composes reach the English UI in English. The
// server stores each notice's kind and parameters; the bell writes the kind's sentence in the
// UI's language (the Chinese sentence stays on the row for old rows and exports).
test('a tracker notice reads in English in the English UI and as before in Chinese', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  const who = (await call(page, 'GET', '/auth/me')).json
  const me = who.user || who
  await logout(page)
  await login(page, ACCOUNTS.leader, '/console')
  const created = await call(page, 'POST', '/service/tracker', {
    source: 'leader', title: 'Boiler stack check', owner_section_id: me.section_id, owner_user_id: me.id, workdays: 5,
  })
  assert.equal(created.status, 201, JSON.stringify(created.json))
  await logout(page)

  await login(page, ACCOUNTS.staff, '/console')
  const notes = (await call(page, 'GET', '/service/notifications')).json.items
  const note = notes.find((n) => n.item_id === created.json.id)
  assert.equal(note.kind, 'assigned')
  assert.deepEqual(note.params, { title: 'Boiler stack check', deadline: created.json.deadline })
  await page.getByTestId('notif-bell').click()
  const zhMsg = page.getByTestId('notif-item').filter({ hasText: 'Boiler stack check' }).first().getByTestId('notif-msg')
  await zhMsg.waitFor()
  assert.equal(await zhMsg.innerText(), note.message) // the Chinese UI shows the server's sentence
  await page.keyboard.press('Escape')

  await page.evaluate(() => localStorage.setItem('ecogov.lang', 'en'))
  await page.reload()
  await page.getByTestId('notif-bell').click()
  const enMsg = page.getByTestId('notif-item').filter({ hasText: 'Boiler stack check' }).first().getByTestId('notif-msg')
  await enMsg.waitFor()
  const text = await enMsg.innerText()
  assert.equal(text, `New supervised item: Boiler stack check, due ${created.json.deadline}`)
  assert.doesNotMatch(text, /[\u4e00-\u9fff]/)
  await screenshot(page, 'notifications-en')
  // the item's history: the creation note the server wrote reads in English too
  await enMsg.click()
  await page.waitForURL(/\/console\/service\/tracker\?item=\d+/)
  const first = page.getByTestId('item-detail').getByTestId('item-update').first()
  await first.waitFor()
  assert.match(await first.innerText(), new RegExp(`^New supervised item: Boiler stack check, due ${created.json.deadline}`))
  // a title the server composed (the demo's poor rating opens a follow-up) reads in English too
  const items = (await call(page, 'GET', '/service/tracker?limit=200')).json.items
  const follow = items.find((i) => i.source === 'bad_review')
  assert.ok(follow && follow.title_params, 'the demo has a follow-up of a poor rating')
  await page.goto('/console/service/tracker?item=' + follow.id)
  const detail = page.getByTestId('item-detail')
  await detail.getByText(`Follow-up of a poor rating: ${follow.title_params.enterprise} (${follow.title_params.purpose})`).first().waitFor()
  assert.deepEqual(page.problems || [], [])
  await page.context().close()
})
