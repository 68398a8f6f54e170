// The daily-waste pages with the demo villages: the console's township and village tables with the
// missed days, a collector link issued there and opened on a phone (390x844) without login, where
// the collector logs today's collection; a sorting spot check; the public village page on a phone
// without login; the pages in English; the township office's missed-day notice in both languages.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ACCOUNTS, startServer, launchBrowser, newPage, login, screenshot, call } from '../lib.mjs'

let srv
let browser
const PHONE = { width: 390, height: 844 }

before(async () => {
  srv = await startServer({ enterprises: 40 })
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
  if (srv) await srv.stop()
})

test("the console's month, a collector link used on a phone, a spot check", async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  await page.goto('/console/village/waste')
  await page.getByTestId('vlg-townships').locator('tbody tr').nth(1).waitFor()
  assert.match(await page.getByTestId('vlg-township-xlsx').getAttribute('href'), /\/api\/v1\/village\/waste\/monthly\?.*level=township.*format=xlsx|format=xlsx.*level=township/)
  assert.match(await page.getByTestId('vlg-town-sorting').first().innerText(), /^\d+ \/ \d+（/)
  assert.equal(await page.getByTestId('vlg-villages').locator('tbody tr').count(), 6)
  const row = page.getByTestId('vlg-villages').locator('tbody tr', { hasText: '新建村' })
  assert.notEqual(await row.getByTestId('vlg-missed').innerText(), '')
  await screenshot(page, 'village-waste-zh-CN')
  await page.getByTestId('vlg-villages').locator('tbody tr', { hasText: '兰田村' }).getByTestId('vlg-make-link').click()
  await page.getByTestId('vlg-qr').waitFor()
  const url = await page.getByTestId('vlg-link-url').getAttribute('href')
  assert.match(url, /\/v\/collect\/[A-Za-z0-9_-]{43}$/)

  const phone = await newPage(browser, srv.url, { viewport: PHONE })
  await phone.goto(new URL(url).pathname)
  await phone.getByTestId('collect-village').waitFor()
  assert.match(await phone.getByTestId('collect-village').innerText(), /兰田村/)
  const before = await phone.getByTestId('collect-log').count()
  await phone.getByTestId('collect-weight').fill('312.5')
  await phone.getByTestId('collect-submit').click()
  await phone.getByTestId('collect-done').waitFor()
  assert.equal(await phone.getByTestId('collect-log').count(), before + 1)
  assert.match(await phone.getByTestId('collect-log').first().innerText(), /312\.5 kg/)
  // Nothing spills off a phone's width.
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1))
  await screenshot(phone, 'village-collect-phone')
  assert.deepEqual(phone.problems, [])
  const bad = await newPage(browser, srv.url, { viewport: PHONE })
  await bad.goto('/v/collect/not-a-token')
  await bad.getByTestId('collect-error').waitFor()

  await page.getByTestId('vlg-villages').locator('tbody tr', { hasText: '兰田村' }).getByTestId('vlg-check').click()
  await page.getByTestId('vlg-check-save').click()
  await page.getByTestId('vlg-villages').locator('tbody tr', { hasText: '兰田村' }).locator('td', { hasText: '%' }).first().waitFor()
  assert.deepEqual(page.problems, [])
})

test('the public village page on a phone, without login; English', async () => {
  const phone = await newPage(browser, srv.url, { viewport: PHONE })
  await phone.goto('/v/waste/6')
  await phone.getByTestId('vp-village').waitFor()
  assert.equal(await phone.getByTestId('vp-day').count(), 30)
  assert.ok((await phone.locator('[data-testid=vp-day][data-state=missed]').count()) >= 3)
  assert.match(await phone.getByTestId('vp-rate').innerText(), /%$/)
  // this month's rate and missed days, as the server counts them
  const pub = await phone.evaluate(async () => (await fetch('/api/v1/public/village/waste/6')).json())
  assert.equal(await phone.getByTestId('vp-rate').innerText(), pub.clearance_rate === null ? '—' : `${pub.clearance_rate}%`)
  assert.equal(await phone.getByTestId('vp-missed-days').innerText(), String(pub.missed_days))
  const missedText = await phone.getByTestId('vp-missed').innerText()
  if (pub.missed.length) for (const d of pub.missed) assert.ok(missedText.includes(d), `${d} in ${missedText}`)
  else assert.match(missedText, /本月每天都已清运/)
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1))
  await screenshot(phone, 'village-public-phone')
  assert.deepEqual(phone.problems, [])
  const none = await newPage(browser, srv.url, { viewport: PHONE })
  await none.goto('/v/waste/9999')
  await none.getByTestId('vp-error').waitFor()

  const page = await newPage(browser, srv.url, { locale: 'en' })
  await login(page, ACCOUNTS.staff, '/console')
  await page.getByTestId('lang-switch').click()
  await page.getByTestId('lang-en').click()
  await page.waitForFunction(() => document.documentElement.lang === 'en')
  await page.goto('/console/village/waste')
  await page.locator('.eg-page-title', { hasText: 'Rural waste, cleared daily' }).waitFor()
  assert.deepEqual(page.problems, [])
})

test("the township office reads the morning's missed-day notice in Chinese and in English", async () => {
  const page = await newPage(browser, srv.url)
  await login(page, { username: 'jinggongqiao', password: 'Town@2026' }, '/console')
  const notes = (await call(page, 'GET', '/service/notifications')).json.items.filter((n) => n.kind === 'waste_missed')
  assert.ok(notes.length > 0, 'the demo flags 新建村 to 经公桥镇')
  const note = notes[0]
  assert.equal(note.params.township, '经公桥镇')
  await page.getByTestId('notif-bell').click()
  const zh = page.getByTestId('notif-item').filter({ hasText: note.params.day }).first().getByTestId('notif-msg')
  await zh.waitFor()
  assert.equal(await zh.innerText(), `经公桥镇 ${note.params.day} 生活垃圾未日产日清：${note.params.villages}，请督促乡镇核实清运`)
  await page.keyboard.press('Escape')
  await page.evaluate(() => localStorage.setItem('ecogov.lang', 'en'))
  await page.reload()
  await page.getByTestId('notif-bell').click()
  const en = page.getByTestId('notif-item').filter({ hasText: note.params.day }).first().getByTestId('notif-msg')
  await en.waitFor()
  assert.equal(await en.innerText(), `Household waste not cleared the same day in 经公桥镇 on ${note.params.day}: ${note.params.villages}; please have the township check the collection`)
  await screenshot(page, 'village-waste-notice-en')
  assert.deepEqual(page.problems, [])
})
