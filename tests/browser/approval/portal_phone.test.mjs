// Issue #17: an enterprise on a phone (390x844) files an EIA application in the portal and uploads
// its materials: the page fits the screen (no sideways scrolling), each material's upload control
// is on screen and tappable, an uploaded file is listed as received, a second version keeps the
// first.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ACCOUNTS, startServer, launchBrowser, newPage, login, screenshot } from '../lib.mjs'

let srv, browser
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n')
const PHONE = { width: 390, height: 844 }

before(async () => {
  srv = await startServer({ enterprises: 10 })
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await srv?.stop()
})

async function fitsScreen(page, what) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(wide <= 0, `${what}: the page is ${wide}px wider than the phone`)
}

test('an enterprise uploads EIA materials on a phone', async () => {
  const page = await newPage(browser, srv.url, { viewport: PHONE })
  await login(page, ACCOUNTS.ent, '/enterprise')
  await page.goto('/enterprise/approvals')
  await page.getByTestId('pa-list').waitFor()
  await page.getByTestId('pa-new').click()
  await page.getByTestId('pa-name').fill('手机申报日用瓷项目')
  await page.getByTestId('pa-industry').fill('C3074')
  await page.getByTestId('pa-investment').fill('800')
  await page.getByTestId('pa-lon').fill('117.20')
  await page.getByTestId('pa-lat').fill('29.30')
  await page.getByTestId('pa-preparer-unit').fill('景瓷环评咨询有限公司')
  await page.getByTestId('pa-preparer-person').fill('王工')
  await page.getByTestId('pa-submit').click()
  await page.getByTestId('pa-detail').waitFor()
  await page.getByTestId('pa-materials').waitFor()
  await fitsScreen(page, 'the application with its materials')

  // every material's upload control is on the screen, not behind a sideways-scrolled table
  const uploads = page.locator('[data-testid^="pa-upload-"]')
  const n = await uploads.count()
  assert.ok(n >= 3, `upload controls: ${n}`)
  // (the control scrolled into view: the material's name must be on screen with it)
  for (let i = 0; i < n; i++) {
    const input = uploads.nth(i)
    const key = (await input.getAttribute('data-testid')).slice('pa-upload-'.length)
    const label = input.locator('xpath=..')
    await label.evaluate((el) => el.scrollIntoView({ block: 'center', inline: 'nearest' }))
    const box = await label.boundingBox()
    const name = await page.getByTestId('mat-' + key).boundingBox()
    for (const [what, b] of [['upload', box], ['name', name]]) {
      assert.ok(b && b.x >= 0 && b.x + b.width <= PHONE.width && b.y >= 0 && b.y + b.height <= PHONE.height, `${what} of ${key} at ${JSON.stringify(b)}`)
    }
    assert.ok(box.width >= 44 && box.height >= 24, `upload ${key} is big enough to tap: ${JSON.stringify(box)}`)
  }
  await page.getByTestId('pa-upload-report').setInputFiles({ name: '环评报告表.pdf', mimeType: 'application/pdf', buffer: PDF })
  await page.locator('[data-testid="pa-files-report"][data-received="1"]').waitFor()
  await page.getByTestId('pa-upload-report').setInputFiles({ name: '环评报告表-修改.pdf', mimeType: 'application/pdf', buffer: PDF })
  await page.locator('[data-testid="pa-files-report"][data-versions="2"]').waitFor()
  const version = page.getByTestId('pa-version-report-2')
  const vb = await version.boundingBox()
  assert.ok(vb && vb.x + vb.width <= PHONE.width, `the new version is on screen: ${JSON.stringify(vb)}`)
  await fitsScreen(page, 'after the uploads')
  await screenshot(page, 'approval-portal-phone-materials')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
