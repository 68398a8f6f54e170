// Every page speaks English after the language switch: each role switches to English through the
// header's language menu and visits the main pages of every module (console, service, approval,
// supervision, monitor, quality, the enterprise portal and the public pages). A page fails if any
// visible text (or a placeholder, title or alt text) still contains Chinese characters once the
// strings the server sent are taken out: the test records every string of every JSON answer the
// page received (API data, enum labels the API returns, server messages, bundled geodata) and
// removes those from the page's text before looking for CJK, so data stays as it is while every
// label, header, button, placeholder, status name and message the UI itself writes must be English.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ACCOUNTS, startServer, launchBrowser, newPage, login } from '../lib.mjs'

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/

let srv
let browser

before(async () => {
  srv = await startServer({ enterprises: 30 })
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
  if (srv) await srv.stop()
})

/** Every string inside a parsed JSON value, and its pieces split at the usual separators. */
function collectStrings(v, out) {
  if (typeof v === 'string') {
    if (!CJK.test(v)) return
    out.add(v)
    for (const piece of v.split(/[\s,，、;；|/:：()（）]+/)) if (CJK.test(piece)) out.add(piece)
  } else if (Array.isArray(v)) {
    for (const x of v) collectStrings(x, out)
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (CJK.test(k)) out.add(k)
      collectStrings(x, out)
    }
  }
}

/**
 * A page that remembers the server's strings: every same-origin JSON answer is parsed and its
 * strings kept in page.serverStrings; page.settle() waits for the pending bodies.
 */
async function englishPage(account, home) {
  const page = await newPage(browser, srv.url)
  page.serverStrings = new Set()
  const pending = new Set()
  page.on('response', (r) => {
    if (!r.url().startsWith(srv.url)) return
    if (!/json/.test(r.headers()['content-type'] || '')) return
    const p = r
      .json()
      .then((body) => collectStrings(body, page.serverStrings))
      .catch(() => {})
      .finally(() => pending.delete(p))
    pending.add(p)
  })
  page.settle = async () => {
    await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => {})
    await page.waitForTimeout(300)
    await Promise.all([...pending])
  }
  if (account) await login(page, account, home)
  else await page.goto(home)
  // The switch itself, as a user does it; the choice is remembered for the following pages.
  await page.getByTestId('lang-switch').click()
  await page.getByTestId('lang-en').click()
  await page.waitForFunction(() => document.documentElement.lang === 'en')
  return page
}

/** The visible text lines, placeholders, titles and alt texts of the page, language menu excluded. */
function visibleTexts(page) {
  return page.evaluate(() => {
    const out = []
    const shown = (el) => {
      const s = getComputedStyle(el)
      return el.getClientRects().length > 0 && s.visibility !== 'hidden' && s.display !== 'none'
    }
    const skip = (el) => el.closest('[data-testid="lang-switch"], .el-dropdown-menu, .el-select-dropdown, .el-popper[aria-hidden="true"], svg title')
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement
      const text = n.nodeValue.trim()
      if (!text || !el || skip(el) || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(el.tagName) || !shown(el)) continue
      out.push(text)
    }
    for (const el of document.querySelectorAll('[placeholder], [title], img[alt], [aria-label]')) {
      if (skip(el) || !shown(el)) continue
      for (const a of ['placeholder', 'title', 'alt', 'aria-label']) if (el.getAttribute(a)) out.push(el.getAttribute(a))
    }
    return out
  })
}

/** The page's texts that still hold Chinese once the server's strings are taken out. */
async function leftover(page) {
  await page.settle()
  const data = [...page.serverStrings].sort((a, b) => b.length - a.length)
  const left = []
  for (const text of await visibleTexts(page)) {
    if (!CJK.test(text)) continue
    let rest = text
    for (const s of data) if (rest.includes(s)) rest = rest.split(s).join(' ')
    if (CJK.test(rest)) left.push(text)
  }
  return [...new Set(left)]
}

/** Visits `path` (waiting for the `ready` selector if given) and returns leftover(page). */
async function chineseLeft(page, path, ready) {
  await page.goto(path)
  if (ready) await page.locator(ready).first().waitFor()
  return leftover(page)
}

/** Checks each page and, on a page with tabs, every tab in turn (`extra` names more buttons to click). */
async function checkPages(page, pages, extra = {}) {
  const failures = {}
  for (const p of pages) {
    const [path, ready] = Array.isArray(p) ? p : [p]
    const left = await chineseLeft(page, path, ready)
    if (left.length) failures[path] = left
    const title = await page.title()
    if (CJK.test(title)) failures[path + ' <title>'] = [title]
    const tabs = page.locator(['.el-tabs__item:visible', ...(extra[path] || [])].join(', '))
    const n = await tabs.count()
    for (let i = 1; i < n; i++) {
      const tab = tabs.nth(i)
      const name = (await tab.innerText()).trim()
      await tab.click()
      const more = await leftover(page)
      if (more.length) failures[`${path} [${name}]`] = more
    }
  }
  assert.deepEqual(failures, {}, 'untranslated text (page: texts)')
  assert.deepEqual(page.problems, [])
}

/** The id of the first row an API list returns (for detail pages), fetched with the page's session. */
async function firstId(page, apiPath) {
  return page.evaluate(async (p) => {
    const d = await (await fetch('/api/v1' + p)).json()
    const items = d.items || d
    return items.length ? items[0].id : null
  }, apiPath)
}

test('console pages (admin) show no Chinese UI text in English', async () => {
  const page = await englishPage(ACCOUNTS.admin, '/console')
  const pages = [
    '/console',
    ['/console/enterprises', '.el-table__body tr'],
    '/console/enterprises/new',
    '/console/enterprises/import',
    ['/console/enterprises/1', '[data-testid="enterprise-card"]'],
    '/console/enterprises/1/edit',
    '/console/calendar',
    ['/console/audit', '.el-table__body tr'],
    ['/console/users', '.el-table__body tr'],
    ['/console/sections', '.el-table__body tr'],
    ['/console/alarms', '.el-table__body tr'],
  ]
  await checkPages(page, pages)
  await page.context().close()
})

test('service pages show no Chinese UI text in English', async () => {
  const page = await englishPage(ACCOUNTS.staff, '/console')
  const visit = await firstId(page, '/service/visits')
  const pages = [
    ['/console/service/visits', '.el-table__body tr'],
    ['/console/service/reception-days', '.el-table__body tr'],
    ['/console/service/tracker', '.el-table__body tr'],
    ['/console/service/stats', '[data-testid="dash-figures"]'],
    ['/console/enterprises/1/360', '.el-tabs'],
  ]
  if (visit) pages.push(['/console/service/visits/' + visit, '[data-testid="visit-status"]'])
  await checkPages(page, pages)
  // The other tabs of the statistics page.
  await page.goto('/console/service/stats')
  await page.getByTestId('dash-figures').waitFor()
  for (const tab of ['#tab-stats', '#tab-quarterly', '#tab-annual']) {
    await page.locator(tab).click()
    assert.deepEqual(await leftover(page), [], tab)
  }
  await page.context().close()
})

test('approval pages show no Chinese UI text in English', async () => {
  const page = await englishPage(ACCOUNTS.staff, '/console')
  const app = await firstId(page, '/approval/applications')
  const pages = [
    ['/console/approval', '.el-table__body tr'],
    ['/console/approval/siting', '.leaflet-container'],
    ['/console/approval/invest', '.el-table__body tr'],
  ]
  if (app) pages.push(['/console/approval/applications/' + app, '[data-testid="app-events"]'])
  await checkPages(page, pages)
  await page.context().close()
})

test('supervision pages show no Chinese UI text in English', async () => {
  const page = await englishPage(ACCOUNTS.leader, '/console')
  const draw = await firstId(page, '/supervision/draws')
  const pages = [
    ['/console/supervision/draws', '.el-table__body tr'],
    ['/console/supervision/inspections', '.el-table'],
    ['/console/supervision/alarms', '.el-table'],
    ['/console/supervision/positive', '.el-table'],
    ['/console/supervision/preparers', '.el-table'],
    ['/console/supervision/institutions', '.el-table'],
  ]
  if (draw) pages.push(['/console/supervision/draws/' + draw, '.el-table'])
  await checkPages(page, pages)
  await page.context().close()
})

test('monitoring pages show no Chinese UI text in English', async () => {
  const page = await englishPage(ACCOUNTS.admin, '/console')
  const station = await firstId(page, '/monitor/stations')
  const pages = [
    ['/console/monitor/stations', '.el-table__body tr'],
    '/console/monitor/stations/new',
    ['/console/monitor/health', '.el-table'],
    '/console/monitor/frames',
    '/console/monitor/commands',
    ['/console/monitor/unregistered', '.el-table'],
    ['/console/monitor/forward', '[data-testid="fwd-table"]'],
  ]
  if (station) pages.push(['/console/monitor/stations/' + station, '.el-tabs'], '/console/monitor/stations/' + station + '/edit')
  await checkPages(page, pages)
  await page.context().close()
})

test('enterprise portal pages show no Chinese UI text in English', async () => {
  const page = await englishPage(ACCOUNTS.ent, '/enterprise')
  await checkPages(page, [
    ['/enterprise', '[data-testid="enterprise-card"]'],
    ['/enterprise/service', '[data-testid="portal-visits"]'],
    ['/enterprise/reception', '[data-testid="reception-days"]'],
    ['/enterprise/rectifications', '[data-testid="rect-list"]'],
    ['/enterprise/360', '.el-tabs'],
    '/enterprise/approvals',
    ['/enterprise/siting', '.leaflet-container'],
    '/enterprise/monitor',
  ])
  await page.context().close()
})

test('public pages show no Chinese UI text in English', async () => {
  const page = await englishPage(null, '/')
  const draw = await page.evaluate(async () => {
    const d = await (await fetch('/api/v1/public/supervision')).json()
    return d.lists.find((l) => l.list === 'draws')?.items[0]?.id ?? null
  })
  assert.ok(draw, 'the demo publishes a draw')
  const pages = [
    '/',
    ['/air', '.leaflet-container'],
    ['/air/report', 'table'],
    ['/air/report/monthly', 'table'],
    '/notices',
    '/progress',
    ['/supervision', '[data-testid="pub-q"]'],
    '/reception',
    '/login',
    '/no-such-page',
  ]
  if (draw) pages.push('/supervision/draws/' + draw)
  // every list of the disclosure centre, not only the first
  await checkPages(page, pages, { '/supervision': ['[data-testid^="pub-list-"]'] })
  await page.context().close()
})

test('river pages show no Chinese UI text in English', async () => {
  const page = await englishPage(ACCOUNTS.staff, '/console')
  const reach = await firstId(page, '/river/reaches')
  await checkPages(page, [
    ['/console/river', '.el-table__body tr'],
    ['/console/river/chiefs', '.el-table__body tr'],
    ['/console/river/patrols', '.el-table__body tr'],
    ['/console/river/sections', '[data-testid="river-boundary"] .el-table__body tr'],
  ])
  await page.context().close()
  const chief = await englishPage({ username: 'chief_village', password: 'Chief@2026' }, '/console/river')
  await checkPages(chief, [['/patrol', '[data-testid="patrol-start"]']])
  await chief.context().close()
  const pub = await englishPage(null, '/')
  await checkPages(pub, [['/river/' + reach, '[data-testid="board"]']])
  await pub.context().close()
})
