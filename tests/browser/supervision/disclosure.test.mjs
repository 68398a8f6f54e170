// The public disclosure centre is one page for everything the bureau publishes: the supervision
// lists and the EIA approval notices (issue 7 §7), reachable without a login, also on a phone.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, launchBrowser, newPage, screenshot } from '../lib.mjs'

let srv, browser
before(async () => {
  srv = await startServer({ enterprises: 40 })
  browser = await launchBrowser()
})
after(async () => {
  if (browser) await browser.close()
  if (srv) await srv.stop()
})

test('the disclosure centre shows the approval notices beside the supervision lists', async () => {
  const api = await (await fetch(srv.url + '/api/v1/public/approval-notices?limit=200')).json()
  assert.ok(api.items.length > 0, 'the demo city publishes approval notices')
  const page = await newPage(browser, srv.url, { viewport: { width: 390, height: 844 } })
  await page.goto('/supervision')
  await page.getByTestId('pub-list-positive').waitFor()
  const tab = page.getByTestId('pub-list-approval_notices')
  // The count arrives with the notices; wait for it rather than read it too early.
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid="pub-list-approval_notices"]')?.innerText.includes(String(n)),
    api.items.length,
  )
  assert.match(await tab.innerText(), new RegExp(String(api.items.length)))
  await tab.click()
  const panel = page.getByTestId('pub-panel-approval_notices')
  await panel.getByTestId('pub-notice').first().waitFor()
  assert.equal(await panel.getByTestId('pub-notice').count(), api.items.length)
  const first = api.items[0]
  assert.ok(await panel.locator(`[data-number="${first.number}"]`).count() >= 1)
  // The search box filters the notices too.
  const box = page.getByTestId('pub-q')
  const input = (await box.evaluate((e) => e.tagName)) === 'INPUT' ? box : box.locator('input')
  await input.fill(first.number)
  await page.getByTestId('pub-search').click()
  await page.getByTestId('pub-list-approval_notices').click()
  const hits = await panel.getByTestId('pub-notice').count()
  assert.ok(hits >= 1 && hits <= api.items.length)
  await screenshot(page, 'public-disclosure-notices')
  assert.deepEqual(page.problems, [])
})
