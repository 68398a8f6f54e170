// Issue #17 item 11, what the server composes and the English UI must still write in English:
// water classes (Ⅰ–Ⅴ, 劣Ⅴ) from their stable codes on the public water table (phone size too),
// and the tracker titles the river and village modules compose, on the tracker and the quarterly
// report — their sentence in English around the names (data) they carry.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ACCOUNTS, startServer, launchBrowser, newPage, login } from '../lib.mjs'

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/
const CLASS_EN = { I: 'I', II: 'II', III: 'III', IV: 'IV', V: 'V', worse_V: 'Worse than V' }
let srv, browser

before(async () => {
  srv = await startServer({ enterprises: 10 })
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await srv?.stop()
})

async function english(page) {
  await page.evaluate(() => localStorage.setItem('ecogov.lang', 'en'))
  await page.reload()
  await page.waitForFunction(() => document.documentElement.lang === 'en')
}

test('the public water table writes water classes in English, on a phone too', async () => {
  for (const viewport of [undefined, { width: 390, height: 844 }]) {
    const page = await newPage(browser, srv.url, viewport ? { locale: 'en-US', viewport } : { locale: 'en-US' })
    await page.goto('/air')
    await english(page)
    const sections = (await page.evaluate(async () => (await fetch('/api/v1/quality/water/sections')).json())).items
    assert.ok(sections.some((s) => s.class_code === 'worse_V'), 'the demo has a section worse than V')
    for (const s of sections.filter((x) => x.class_code)) {
      const cell = page.getByTestId('water-class-' + s.code).first()
      await cell.waitFor()
      assert.equal((await cell.innerText()).trim(), CLASS_EN[s.class_code], s.code)
    }
    assert.deepEqual(page.problems, [])
    await page.context().close()
  }
})

test('river and village tracker titles are English sentences on the tracker and the quarterly report', async () => {
  const page = await newPage(browser, srv.url, { locale: 'en-US' })
  await login(page, ACCOUNTS.admin, '/console')
  const items = (await page.evaluate(async () => (await fetch('/api/v1/service/tracker?limit=5000')).json())).items
  const composed = items.filter((i) => i.title_params && /^river_|^responsibility$/.test(i.source))
  assert.ok(composed.some((i) => i.source.startsWith('river_')), 'the demo has river items: ' + items.map((i) => i.source).join(' '))
  await english(page)
  await page.goto('/console/service/tracker')
  const expect = (i) => ({ river_patrol: '[Patrol finding]', river_citizen: '[Citizen report]', river_section: '[Section off target]' })[i.source] ??
    (i.title_params.sentence === 'village_stop' ? 'Village sewage plant stopped' : 'Village sewage plant over limits')
  for (const i of composed.slice(0, 6)) {
    const row = page.locator('.el-table__row', { hasText: expect(i) }).first()
    await row.waitFor()
    const text = await row.innerText()
    assert.ok(!text.includes(i.title), `the stored Chinese title is not shown: ${i.title}`)
  }
  // the class in a section title is written in English, not 劣Ⅴ / Ⅲ
  const section = composed.find((i) => i.source === 'river_section')
  if (section) {
    const row = page.locator('.el-table__row', { hasText: '[Section off target]' }).first()
    assert.match(await row.innerText(), /class (I|II|III|IV|V|Worse than V), target (I|II|III|IV|V)/)
    assert.doesNotMatch(await row.innerText(), /水质|类，目标/)
  }
  const start = composed[0].start_day
  const year = Number(start.slice(0, 4))
  const quarter = Math.floor((Number(start.slice(5, 7)) - 1) / 3) + 1
  const quarterly = await page.evaluate(async (q) => (await fetch(`/api/v1/service/quarterly?year=${q.year}&quarter=${q.quarter}`)).json(), { year, quarter })
  const inQuarter = (quarterly.items || []).find((i) => i.title_params && i.source.startsWith('river_'))
  if (inQuarter) assert.ok(inQuarter.title_params, 'the quarterly report carries the title params')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('quality alarm messages are English sentences in the English alarm console', async () => {
  const page = await newPage(browser, srv.url, { locale: 'en-US' })
  await login(page, ACCOUNTS.staff, '/console')
  const alarms = (await page.evaluate(async () => (await fetch('/api/v1/quality/alarms?limit=50')).json())).items
  const composed = alarms.filter((a) => a.message_params)
  assert.ok(composed.length > 0, 'the demo raises alarms through the rules: ' + JSON.stringify(alarms.slice(0, 2)))
  await english(page)
  await page.goto('/console/alarms')
  const cells = page.getByTestId('alarm-message')
  await cells.first().waitFor()
  const texts = await cells.allInnerTexts()
  for (const a of composed.slice(0, 5)) {
    const want = a.message_params.kind === 'air_hours' ? `above the threshold for ${a.message_params.hours} consecutive hours` : `exceeds the permitted limit ${a.limit}`
    assert.ok(texts.some((x) => x.includes(want)), `${want} in ${JSON.stringify(texts)}`)
  }
  assert.ok(!texts.some((x) => /连续|超过许可限值/.test(x)), JSON.stringify(texts))
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
