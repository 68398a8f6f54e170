// Undoing notices in the browser: staff record an applicant's withdrawal on the case page; the public
// notices page then shows the withdrawal notice and marks the acceptance notice as withdrawn.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ACCOUNTS, startServer, launchBrowser, newPage, login, call } from '../lib.mjs'
import { uploadPdf } from './materials.mjs'

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

test('staff record a withdrawal; the public sees the withdrawal notice and the acceptance marked', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  // The case is filed over the API (the enterprise portal's filing is tested elsewhere).
  const ent = await newPage(browser, srv.url)
  await login(ent, ACCOUNTS.ent, '/enterprise')
  const filed = await call(ent, 'POST', '/approval/applications', {
    category: '报告表', on: '2026-11-09', preparer_unit: '景瓷环评咨询有限公司', preparer_person: '李工',
    project: { name: '浏览器撤回测试项目', industry_code: 'C3074', nature: '新建', investment: 300, location: { type: 'Point', coordinates: [117.2, 29.2] } },
    materials: ['application', 'report', 'preparer', 'filing', 'planning'],
  })
  assert.equal(filed.status, 201)
  for (const key of ['application', 'report', 'preparer', 'filing', 'planning']) await uploadPdf(ent, filed.json.id, key)
  await ent.context().close()
  const id = filed.json.id
  assert.equal((await call(page, 'POST', `/approval/applications/${id}/actions`, { action: 'accept', on: '2026-11-09' })).status, 200)

  await page.goto(`/console/approval/applications/${id}`)
  await page.getByTestId('btn-withdraw').click()
  await page.getByTestId('withdraw-reason').fill('建设单位书面申请撤回：项目选址调整')
  await page.getByTestId('withdraw-confirm').click()
  await page.locator('[data-testid="app-status"][data-status="withdrawn"]').waitFor()
  assert.equal(await page.getByTestId('btn-withdraw').count(), 0)

  const pub = await newPage(browser, srv.url)
  await pub.goto('/notices')
  const mine = pub.locator(`[data-testid="pub-notice"][data-number="${filed.json.number}"]`)
  await mine.first().waitFor()
  await pub.locator(`[data-testid="pub-notice"][data-kind="withdrawal"][data-number="${filed.json.number}"]`).getByText('撤回公告：浏览器撤回测试项目').waitFor()
  await pub.locator(`[data-testid="pub-notice"][data-kind="accept"][data-number="${filed.json.number}"]`).getByTestId('notice-mark').getByText('已撤回').waitFor()
  assert.deepEqual(page.problems, [])
  assert.deepEqual(pub.problems, [])
  await page.context().close()
  await pub.context().close()
})
