// 未批先建 in the browser (issue 17 item 4): staff open the investment project library, see the demo
// project that started construction under review flagged, filter to the flagged ones, hand it to
// supervision as a case, and find the case — with its source — on the alarms and cases page.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ACCOUNTS, startServer, launchBrowser, newPage, login, screenshot, call } from '../lib.mjs'

let srv
let browser

before(async () => {
  srv = await startServer()
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
  if (srv) await srv.stop()
})

test('staff see a project flagged 未批先建 and hand it to supervision as a case', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  await page.goto('/console/approval/invest')
  const table = page.getByTestId('inv-table')
  await table.locator('tbody tr').first().waitFor()
  const all = await table.locator('tbody tr').count()
  const flagged = (await call(page, 'GET', '/approval/invest-projects?unapproved=1')).json.items
  assert.ok(flagged.length >= 1, 'the demo has a project started under review')
  assert.equal(Number(await page.getByTestId('inv-unapproved').locator('b').innerText()), flagged.length)
  assert.equal(await page.getByTestId('inv-flag').count(), flagged.length)

  // Only the flagged ones, then hand the first over.
  await page.getByTestId('inv-unapproved').click()
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="inv-table"] tbody tr').length === n, flagged.length)
  const row = table.locator('tbody tr', { hasText: flagged[0].name })
  await row.getByTestId('inv-flag').waitFor()
  await screenshot(page, 'invest-unapproved')
  await row.getByTestId('inv-to-case').click()
  const box = page.locator('.el-message-box')
  await box.waitFor()
  assert.equal(await box.locator('input').inputValue(), '未批先建：' + flagged[0].name)
  await box.getByRole('button', { name: /确定|OK/ }).click()
  await row.getByTestId('inv-case').waitFor()
  assert.equal(await row.getByTestId('inv-to-case').count(), 0, 'handed over once')

  // Back to every project: the count of rows is what it was.
  await page.getByTestId('inv-unapproved').click()
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="inv-table"] tbody tr').length === n, all)

  // The case is on the supervision page, marked with its source.
  const caseId = (await call(page, 'GET', '/approval/invest-projects?unapproved=1')).json.items.find((p) => p.id === flagged[0].id).case_id
  assert.ok(caseId > 0)
  await row.getByTestId('inv-case').click()
  await page.waitForURL((u) => u.pathname === '/console/supervision/alarms' && u.searchParams.get('tab') === 'cases')
  await page.getByTestId('case-source-' + caseId).getByText('未批先建').waitFor()
  await screenshot(page, 'invest-unapproved-case')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
