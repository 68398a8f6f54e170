// Report generation and a big list export on the job facility, as staff see them: the annual
// evaluation page generates its report as a job (progress, then the workbook to download), the
// job survives a reload (its id in the address) and shows in the header's jobs panel; the tracker
// exports its filtered list as a job; the English UI names both kinds in English.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ACCOUNTS, startServer, launchBrowser, newPage, login, screenshot } from '../lib.mjs'

let srv, browser

before(async () => {
  srv = await startServer({ enterprises: 10 })
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await srv?.stop()
})

async function downloaded(page, scope) {
  const href = await scope.getByTestId('job-download').getAttribute('href')
  return page.evaluate(async (u) => {
    const r = await fetch(u)
    const b = new Uint8Array(await r.arrayBuffer())
    return { status: r.status, type: r.headers.get('content-type'), head: String.fromCharCode(...b.slice(0, 2)), size: b.length }
  }, href)
}

test('the annual report is generated as a job, survives a reload and downloads', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  await page.goto('/console/quality/annual')
  await page.getByTestId('annual-table').waitFor()
  await page.getByTestId('job-start-reportJob').click()
  await page.waitForURL((u) => u.searchParams.has('reportJob'))
  const job = page.getByTestId('job-of-reportJob')
  await job.and(page.locator('[data-state=done]')).waitFor({ timeout: 120_000 })
  assert.match(await job.getByTestId('job-title').innerText(), /空气质量年度评价报告 · \d{4}/)
  const file = await downloaded(page, job)
  assert.equal(file.status, 200)
  assert.match(file.type, /spreadsheetml/)
  assert.equal(file.head, 'PK')
  await screenshot(page, 'staff-annual-report-job')

  await page.reload()
  await page.getByTestId('job-of-reportJob').and(page.locator('[data-state=done]')).waitFor()
  await page.getByTestId('jobs-button').click()
  await page.getByTestId('jobs-panel').getByText('空气质量年度评价报告').first().waitFor()
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('the tracker exports its filtered list as a job, in English too', async () => {
  const page = await newPage(browser, srv.url, { locale: 'en-US' })
  await login(page, ACCOUNTS.staff, '/console')
  await page.evaluate(() => localStorage.setItem('ecogov.lang', 'en'))
  await page.goto('/console/service/tracker')
  await page.getByTestId('job-start-exportJob').click()
  const job = page.getByTestId('job-of-exportJob')
  await job.and(page.locator('[data-state=done]')).waitFor({ timeout: 120_000 })
  assert.equal(await job.getByTestId('job-title').innerText(), 'Tracker export')
  assert.equal(await job.getByTestId('job-state').innerText(), 'Done')
  const file = await downloaded(page, job)
  assert.equal(file.status, 200)
  assert.equal(file.head, 'PK')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
