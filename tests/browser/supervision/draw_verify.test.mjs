// A citizen checks a published 双随机 draw in the browser (issue 17 item 11c), on a phone: the page
// replays it from the published seed and pool files (web/src/modules/supervision/replay.js) and
// agrees with `ecogov draw replay` on the demo draw; a tampered pool file is caught. The JS
// replay is also checked against the test vectors of docs/draw.md.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startServer, launchBrowser, newPage, screenshot } from '../lib.mjs'
import { canonical, poolHash, replay, seedBytes, sha256, toHex } from '../../../web/src/modules/supervision/replay.js'

let srv
let browser
let dir
before(async () => {
  srv = await startServer({ enterprises: 40 })
  browser = await launchBrowser()
  dir = mkdtempSync(path.join(tmpdir(), 'ecogov-draw-'))
})
after(async () => {
  if (browser) await browser.close()
  if (srv) await srv.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

test('the JS replay gives the test vectors of docs/draw.md', () => {
  const seq = seedBytes([...Array(32).keys()].map((i) => i.toString(16).padStart(2, '0')).join(''))
  const abc = canonical(['E', 'D', 'C', 'B', 'A'])
  assert.equal(toHex(poolHash(abc)), '8b1583da45bf9454a0078483f6f76dcf62929b57cc95031d5b74a0734a9a0ba6')
  assert.equal(toHex(sha256(seq)), '630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd')
  assert.deepEqual(replay(seq, abc, 3), ['A', 'C', 'E'])
  const k100 = canonical([...Array(100).keys()].map((i) => 'K' + String(i).padStart(3, '0')))
  assert.deepEqual(replay(seedBytes('ff'.repeat(32)), k100, 10), 'K058 K046 K038 K070 K088 K085 K089 K064 K071 K019'.split(' '))
  assert.deepEqual(replay(seedBytes('00'.repeat(32)), canonical(['91360200MA35XXXXX1', 'a', 'b', '甲', '乙']), 5), ['a', '91360200MA35XXXXX1', '甲', '乙', 'b'])
})

async function publishedDraw() {
  const list = await (await fetch(srv.url + '/api/v1/public/supervision/lists/draws')).json()
  const items = list.items || list.lists?.[0]?.items || []
  for (const it of items) {
    const id = it.id ?? it.draw_id
    const d = await (await fetch(`${srv.url}/api/v1/public/supervision/draws/${id}`)).json()
    if (d.seed && d.items) return d
  }
  // the demo's first draw is published
  return (await fetch(srv.url + '/api/v1/public/supervision/draws/1')).json()
}

test('on a phone the page replays the published draw and agrees with `ecogov draw replay`', async () => {
  const d = await publishedDraw()
  assert.ok(d.seed, 'a published draw in the demo')
  const page = await newPage(browser, srv.url, { viewport: { width: 390, height: 844 } })
  await page.goto(`/supervision/draws/${d.id}`)
  await page.getByTestId('pd-verify-run').click()
  const verdict = page.getByTestId('pd-verdict')
  await verdict.waitFor()
  assert.equal(await verdict.getAttribute('data-ok'), '1', await page.getByTestId('pd-browser-verify').innerText())
  for (const id of ['seed', 'pool-inspectors', 'teams']) assert.equal(await page.getByTestId('pd-check-' + id).getAttribute('data-ok'), '1')

  for (const s of d.strata.filter((s) => s.count > 0)) {
    const csv = Buffer.from(await (await fetch(`${srv.url}/api/v1/public/supervision/draws/${d.id}/files/${s.class_code}`)).arrayBuffer())
    const file = path.join(dir, `${s.class_code}.csv`)
    writeFileSync(file, csv)
    const out = execFileSync(process.env.ECOGOV_BIN, ['draw', 'replay', '--seed', d.seed, '--pool', file, '--count', String(s.count)], { encoding: 'utf8' })
    const cli = out.split('\n').filter((l) => /^\d+\t/.test(l)).map((l) => l.split('\t')[1])
    assert.match(out, new RegExp(`pool_sha256\\t${s.pool_hash}`))
    const shown = (await page.getByTestId('pd-replay-' + s.class_code).innerText()).trim().split(/\s+/)
    assert.deepEqual(shown, cli, `${s.class_code}: the browser and the CLI draw the same`)
    assert.equal(await page.getByTestId('pd-check-draw-' + s.class_code).getAttribute('data-ok'), '1')
  }
  await screenshot(page, 'draw-verify-phone')
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(wide <= 0, `the page is ${wide}px wider than the phone`)
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('a tampered pool file is caught: its hash and the replay disagree', async () => {
  const d = await publishedDraw()
  const s = d.strata.find((x) => x.count > 0 && x.pool_size > x.count)
  const csv = await (await fetch(`${srv.url}/api/v1/public/supervision/draws/${d.id}/files/${s.class_code}`)).text()
  // Drop one enterprise that was not drawn: the file still parses and replays, but is not the pool.
  const drawn = new Set(d.items.filter((i) => i.class_code === s.class_code).map((i) => i.target_key))
  const lines = csv.split('\r\n')
  const victim = lines.findIndex((l, i) => i > 0 && l && !drawn.has(l.split(',')[0]))
  const tampered = lines.filter((_, i) => i !== victim).join('\r\n')
  const page = await newPage(browser, srv.url, { viewport: { width: 390, height: 844 } })
  await page.goto(`/supervision/draws/${d.id}`)
  await page.locator('details.pd-own summary').click()
  await page.getByTestId('pd-file-' + s.class_code).setInputFiles({ name: 'pool.csv', mimeType: 'text/csv', buffer: Buffer.from(tampered) })
  const check = page.getByTestId('pd-check-pool-' + s.class_code)
  await check.waitFor()
  assert.equal(await check.getAttribute('data-ok'), '0')
  assert.equal(await page.getByTestId('pd-verdict').getAttribute('data-ok'), '0')
  // the untouched classes and the seed still check out
  assert.equal(await page.getByTestId('pd-check-seed').getAttribute('data-ok'), '1')
  await screenshot(page, 'draw-verify-tampered')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
