// The public water table on a phone (issue 17 item 11b): at phone width every section is a card
// with its class, target, compliance, main pollutants and boundary mark, and nothing of it runs past
// the screen's edge; on a desktop the same data is the table with all its columns.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer, launchBrowser, newPage, screenshot } from '../lib.mjs'

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

async function sections(page) {
  return page.evaluate(async () => (await (await fetch('/api/v1/quality/water/sections')).json()).items)
}

test('on a phone each water section is a card inside the screen', async () => {
  const page = await newPage(browser, srv.url, { viewport: { width: 360, height: 780 } })
  await page.goto('/air')
  const cards = page.getByTestId('water-cards').locator('.eg-water-card')
  await cards.first().waitFor()
  const items = await sections(page)
  assert.equal(await cards.count(), items.length)
  for (const s of items) {
    const card = page.getByTestId('water-card-' + s.code)
    assert.equal((await card.getByTestId('water-class-' + s.code).innerText()).trim(), s.class_name)
    const text = await card.innerText()
    assert.ok(text.includes(s.target_name), `${s.code} shows its target`)
    for (const m of s.main_pollutants) assert.ok(text.includes(m.name), `${s.code} shows ${m.name}`)
    if (s.boundary) assert.ok(/出境|入境|交界|断面/.test(text) || (await card.locator('.el-tag').count()) === 1)
  }
  await page.getByTestId('water-sections').scrollIntoViewIfNeeded()
  const cut = await page.evaluate(() =>
    [...document.querySelectorAll('[data-testid=water-sections] *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).length,
  )
  assert.equal(cut, 0, 'nothing of the water sections runs past the screen')
  await screenshot(page, 'quality-water-phone')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('on a desktop the water sections are a table with every column', async () => {
  const page = await newPage(browser, srv.url)
  await page.goto('/air')
  const table = page.getByTestId('water-sections').locator('.el-table')
  await table.locator('tbody tr').first().waitFor()
  assert.equal(await page.getByTestId('water-cards').count(), 0)
  assert.equal(await table.locator('thead th').count(), 6)
  assert.equal(await table.locator('tbody tr').count(), (await sections(page)).length)
  await page.context().close()
})
