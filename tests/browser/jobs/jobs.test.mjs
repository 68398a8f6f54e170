// The jobs panel as staff see it: a big enterprise import runs as a background job with a
// progress bar and counts, survives a page reload, shows in the header's jobs panel with its
// badge, and is cancelled from the panel (nothing imported); an import with errors fails with the
// bad lines listed and its error file downloadable; the panel speaks English in the English UI.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ACCOUNTS, startServer, launchBrowser, newPage, login, screenshot, makeUscc } from '../lib.mjs'

let srv, browser

before(async () => {
  srv = await startServer({ enterprises: 10 })
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await srv?.stop()
})

const HEADER = 'uscc,name,legal_rep,address,district,town,lon,lat,industry_code,tags,permit_no,contact_name,contact_phone'

async function csvFor(page, from, n, badLines = []) {
  const meta = await page.evaluate(async () => (await fetch('/api/v1/meta')).json())
  const d = meta.districts[0]
  const rows = [HEADER]
  for (let i = 0; i < n; i++) {
    const code = makeUscc(from + i)
    rows.push(badLines.includes(i) ? `${code.slice(0, 17)}${code[17] === '0' ? '1' : '0'},错误企业${i},,,,,,,,,,,` : `${code},面板导入企业${from + i},钱一,${d.name}某路${i}号,${d.name},${d.towns[0]},117.21,29.30,C3074,,,,`)
  }
  return rows.join('\n') + '\n'
}

async function upload(page, csv, skip = false) {
  await page.goto('/console/enterprises/import')
  await page.getByTestId('import-file').setInputFiles({ name: 'enterprises.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') })
  if (skip) await page.getByTestId('import-skip').click()
  await page.getByTestId('import-submit').click()
}

test('a big import shows progress, survives a reload and is cancelled from the jobs panel', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  const before = (await page.evaluate(async () => (await fetch('/api/v1/enterprises?limit=1&count=1')).json())).total
  await upload(page, await csvFor(page, 70000000, 100000))
  const job = page.locator('[data-testid=job-progress][data-state=running]')
  await job.waitFor({ timeout: 120_000 })
  await page.waitForFunction(() => /^\d+ \/ 200000$/.test(document.querySelector('[data-testid=job-counts]')?.textContent.trim() || ''))
  assert.match(await page.getByTestId('job-eta').innerText(), /预计剩余/)
  await page.waitForURL((u) => u.searchParams.has('job'))
  await screenshot(page, 'staff-import-job-running')

  await page.reload()
  await page.locator('[data-testid=job-progress][data-state=running]').waitFor()
  await page.locator('[data-testid=jobs-count] sup').filter({ hasText: '1' }).waitFor()
  await page.getByTestId('jobs-button').click()
  const item = page.getByTestId('jobs-panel').getByTestId('jobs-item').first()
  await item.getByTestId('job-title').waitFor()
  assert.equal(await item.getByTestId('job-title').innerText(), '企业名录导入')
  await item.locator('[data-testid=job-bar]').waitFor()
  await screenshot(page, 'staff-jobs-panel')
  await item.getByTestId('job-cancel').click()
  await item.locator('[data-testid=job-progress][data-state=cancelled]').waitFor({ timeout: 120_000 })
  assert.match(await item.getByTestId('job-state').innerText(), /已取消/)
  const after = (await page.evaluate(async () => (await fetch('/api/v1/enterprises?limit=1&count=1')).json())).total
  assert.equal(after, before, 'a cancelled import writes nothing')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('an import with errors fails with its lines listed and the error file to download', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  await upload(page, await csvFor(page, 71000000, 3, [1]))
  await page.locator('[data-testid=job-progress][data-state=failed]').waitFor({ timeout: 120_000 })
  await page.getByTestId('import-failure').waitFor()
  assert.match(await page.getByTestId('job-error').innerText(), /1 处错误/)
  assert.match(await page.getByTestId('import-errors').innerText(), /\b3\b/)
  const href = await page.getByTestId('job-download').getAttribute('href')
  const text = await page.evaluate(async (u) => (await fetch(u)).text(), href)
  assert.match(text, /^行号,错误\r\n3,/)
  await screenshot(page, 'staff-import-job-errors')

  await upload(page, await csvFor(page, 71000000, 3, [1]), true)
  const result = page.getByTestId('import-result')
  await result.waitFor({ timeout: 120_000 })
  assert.match(await result.innerText(), /成功 2 条，跳过 1 条/)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('the jobs panel in English', async () => {
  const page = await newPage(browser, srv.url, { locale: 'en-US' })
  await login(page, ACCOUNTS.staff, '/console')
  await page.evaluate(() => localStorage.setItem('ecogov.lang', 'en'))
  await page.reload()
  await page.getByTestId('jobs-button').click()
  const panel = page.getByTestId('jobs-panel')
  await panel.getByText('Background jobs').waitFor()
  // each item loads its job: wait for all of them (the earlier tests left four jobs)
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=jobs-panel] [data-testid=job-state]').length >= 4)
  const titles = await panel.getByTestId('job-title').allInnerTexts()
  assert.ok(titles.includes('Enterprise import'), JSON.stringify(titles))
  const states = await panel.getByTestId('job-state').allInnerTexts()
  for (const s of states) assert.match(s, /^(Queued|Running|Done|Failed|Cancelled)$/)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
