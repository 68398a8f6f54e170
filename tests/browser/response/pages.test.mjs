// Every page of the response module renders with the demo city and without console errors: the
// console's forecasts, verification, reduction list, region and warning pages (last week's demo
// episode with its summary), the enterprise's measures, and the public forecast page; in Chinese
// and in English.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ACCOUNTS, startServer, launchBrowser, newPage, login, logout, screenshot } from '../lib.mjs'

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

for (const locale of ['zh-CN', 'en']) {
  test(`the response pages render (${locale})`, async () => {
    const page = await newPage(browser, srv.url, { locale })
    await login(page, ACCOUNTS.staff, '/console')
    if (locale === 'en') {
      await page.getByTestId('lang-switch').click()
      await page.getByTestId('lang-en').click()
      await page.waitForFunction(() => document.documentElement.lang === 'en')
    }
    const title = locale === 'en' ? 'Emission-reduction list' : '应急减排清单'
    await page.goto('/console/response/forecasts')
    await page.getByTestId('forecast-table').locator('tbody tr').first().waitFor()
    await page.goto('/console/response/verification')
    await page.getByTestId('verify-total').waitFor()
    await page.goto('/console/response/list')
    await page.getByTestId('list-totals').waitFor()
    await page.locator('.eg-page-title', { hasText: title }).waitFor()
    assert.equal(await page.getByTestId('list-table').locator('tbody tr').count(), 36)
    await screenshot(page, `response-list-${locale}`)
    await page.goto('/console/response/region')
    await page.getByTestId('region-members').waitFor()
    await page.goto('/console/response/warnings')
    await page.getByTestId('warning-open-1').click()
    await page.getByTestId('summary-figures').waitFor()
    assert.match(await page.getByTestId('summary-figures').textContent(), /\/ 72/)
    await screenshot(page, `response-summary-${locale}`)
    await logout(page)
    await login(page, ACCOUNTS.ent, '/enterprise')
    await page.goto('/enterprise/response')
    await page.getByText(/A|B|C|D/).first().waitFor()
    await logout(page)
    await page.goto('/air/forecast')
    await page.getByTestId('forecast-area').first().waitFor()
    assert.deepEqual(page.problems || [], [])
  })
}
