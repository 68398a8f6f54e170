// 导出 Excel (issue 17 item 8): on the visit list filtered to 已完成, the button downloads
// visits.xlsx holding exactly the rows the table shows; on the approval workbench the queue's
// export carries the page's status filter.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { ACCOUNTS, startServer, launchBrowser, newPage, login } from '../lib.mjs'
import { xlsxRows } from '../../integration/app/xlsx_sheet.mjs'

let srv
let browser

before(async () => {
  srv = await startServer({ enterprises: 40 })
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
  if (srv) await srv.stop()
})

test('the visit list exports what it shows, with its filter', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  await page.goto('/console/service/visits')
  const table = page.getByTestId('visit-table')
  await table.locator('tbody tr').first().waitFor()
  const all = await table.locator('tbody tr').count()
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/v1/service/visits?status=completed')),
    page.locator('.el-radio-button', { hasText: '已完成' }).click(),
  ])
  const listed = (await res.json()).items
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="visit-table"] tbody tr').length === n, listed.length)
  const shown = await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.querySelector('td').innerText.trim()))
  assert.ok(shown.length > 0 && shown.length <= all)

  const button = page.getByTestId('export-xlsx')
  assert.equal((await button.innerText()).trim(), '导出 Excel')
  const [dl] = await Promise.all([page.waitForEvent('download'), button.click()])
  assert.equal(dl.suggestedFilename(), 'visits.xlsx')
  assert.equal(new URL(dl.url()).search, '?status=completed&format=xlsx', "the page's filter")
  const file = path.join(srv.dir, 'visits.xlsx')
  await dl.saveAs(file)
  const rows = xlsxRows(readFileSync(file))
  assert.equal(rows[0][0], '编号')
  assert.deepEqual(rows.slice(1).map((r) => r[0]), shown, 'the same rows as the table')
  assert.ok(rows.slice(1).every((r) => r[rows[0].indexOf('状态')] === '已完成'))
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('the approval queue export carries the workbench filter', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  await page.goto('/console/approval')
  const href = await page.getByTestId('export-xlsx').getAttribute('href')
  assert.match(href, /^\/api\/v1\/approval\/applications\?/)
  const q = new URL(href, srv.url).searchParams
  assert.equal(q.get('status'), 'open')
  assert.equal(q.get('format'), 'xlsx')
  await page.context().close()
})
