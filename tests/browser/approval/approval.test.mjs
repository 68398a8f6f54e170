// EIA approval through the UI: an enterprise files a 报告表 with one waivable item (规划选址意见)
// missing and uploads a file per material in the portal (a non-document refused, a second version
// of the report keeping the first), staff see the files and accept under 容缺 with a commitment and
// a supplement deadline, the workbench shows the 容缺 reminder, the enterprise uploads the missing
// image and supplements, the clocks pause for expert review across the 2026 National Day holiday
// and resume with the right deadline, the image is previewed, the sign-off chain runs in the UI
// (经办人 drafts, 科长 returns with a reason, drafts again, 科长 agrees, 分管局领导 signs), the decision
// writes its PDF, the notices appear on the public site with the progress by number, and the siting
// report (map drawn from the bundle, no internet tiles) flags the ceramics project inside the
// priority-protection unit.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { ACCOUNTS, startServer, launchBrowser, newPage, login, screenshot } from '../lib.mjs'

let srv
let browser
const PROJECT = '瑶里青花日用瓷扩建项目'
let number = ''
let appPath = ''
let appId = 0
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n')
const EXE = Buffer.from('MZ\x90\x00\x03\x00\x00\x00 this program cannot be run in DOS mode')
// a 1x1 PNG
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')

before(async () => {
  srv = await startServer({ enterprises: 20 })
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
  if (srv) await srv.stop()
})

/** Waits until the clock card `testid` carries the attribute values in `want`. */
async function clockIs(page, testid, want) {
  const sel = `[data-testid="${testid}"]`
  try {
    await page.waitForFunction(
      ([s, w]) => {
        const el = document.querySelector(s)
        return el && Object.entries(w).every(([k, v]) => (k.startsWith('data-') ? el.getAttribute(k) : el.querySelector(`[data-role="${k}"]`)?.textContent.trim()) === String(v))
      },
      [sel, want],
    )
  } catch (e) {
    const html = await page.locator(sel).evaluate((el) => el.outerHTML).catch(() => 'missing')
    e.message += `\n${testid}: ${html}`
    throw e
  }
}

async function setDate(page, testid, value) {
  const input = page.getByTestId(testid)
  await input.fill(value)
  await input.dispatchEvent('change')
}

test('the enterprise files a 报告表 with one waivable item missing; siting runs at intake', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.ent, '/enterprise')
  await page.getByTestId('nav-portal-approvals').click()
  await page.waitForURL((u) => u.pathname === '/enterprise/approvals')
  await page.getByTestId('pa-list').waitFor()
  await page.getByTestId('pa-new').click()
  await page.getByTestId('pa-name').fill(PROJECT)
  await page.getByTestId('pa-industry').fill('C3074')
  await page.getByTestId('pa-investment').fill('1200')
  await page.getByTestId('pa-lon').fill('117.35')
  await page.getByTestId('pa-lat').fill('29.47')
  await page.getByTestId('pa-preparer-unit').fill('景瓷环评咨询有限公司')
  await page.getByTestId('pa-preparer-person').fill('李工')
  // The checklist starts complete; the applicant has no 规划选址意见 yet.
  await page.getByTestId('pa-mat-planning').click()
  assert.equal(await page.getByTestId('pa-mat-planning').locator('input').isChecked(), false)
  await setDate(page, 'pa-on', '2026-09-18')
  await screenshot(page, 'approval-portal-file')
  await page.getByTestId('pa-submit').click()
  const detail = page.getByTestId('pa-detail')
  await detail.waitFor()
  number = (await page.getByTestId('pa-number').innerText()).trim()
  assert.match(number, /^HP20260918\d{5}$/)
  assert.equal((await page.getByTestId('pa-status').innerText()).trim(), '初审预办')
  assert.equal((await page.getByTestId('pa-siting').innerText()).trim(), '禁止', 'the siting check ran at intake')
  assert.match(await page.getByTestId('pa-missing').innerText(), /规划选址/)
  await screenshot(page, 'approval-portal-detail')
  const mine = await page.evaluate(async () => (await (await fetch('/api/v1/approval/applications')).json()).items)
  appId = mine.find((a) => a.number === number).id

  // Each material gets its file in the portal; a file that is not a document is refused.
  await page.getByTestId('pa-upload-report').setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: EXE })
  await page.locator('.el-message--error').getByText('只能上传').waitFor()
  assert.equal(await page.getByTestId('pa-files-report').getAttribute('data-received'), '0')
  for (const key of ['application', 'report', 'preparer', 'filing']) {
    await page.getByTestId('pa-upload-' + key).setInputFiles({ name: `${key}.pdf`, mimeType: 'application/pdf', buffer: PDF })
    await page.locator(`[data-testid="pa-files-${key}"][data-received="1"]`).waitFor()
  }
  assert.equal(await page.getByTestId('pa-files-planning').getAttribute('data-received'), '0')
  // A second version of the report keeps the first listed.
  await page.getByTestId('pa-upload-report').setInputFiles({ name: 'report-v2.pdf', mimeType: 'application/pdf', buffer: PDF })
  await page.locator('[data-testid="pa-files-report"][data-versions="2"]').waitFor()
  await page.getByTestId('pa-version-report-1').waitFor()
  await screenshot(page, 'approval-portal-materials')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('staff accept under 容缺; the workbench reminds of the supplement deadline', async () => {
  assert.ok(number, 'the filing test ran first')
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  await page.getByTestId('nav-approval').click()
  await page.getByTestId('nav-approval-workbench').click()
  await page.waitForURL((u) => u.pathname === '/console/approval')
  const queue = page.getByTestId('wb-queue')
  await queue.locator('tbody tr').first().waitFor()
  await setDate(page, 'wb-today', '2026-09-18')
  await queue.getByText(PROJECT).click()
  await page.waitForURL((u) => /^\/console\/approval\/applications\/\d+$/.test(u.pathname))
  appPath = new URL(page.url()).pathname
  await page.getByTestId('app-detail').waitFor()
  assert.equal(await page.getByTestId('mat-planning').getAttribute('data-state'), 'waivable')
  assert.equal(await page.getByTestId('mat-report').getAttribute('data-state'), 'given')
  // staff see the enterprise's files, the report in two versions
  assert.equal(await page.getByTestId('mf-files-report').getAttribute('data-versions'), '2')
  assert.equal(await page.getByTestId('mf-files-planning').getAttribute('data-received'), '0')

  await setDate(page, 'act-on', '2026-09-18')
  await page.getByTestId('btn-accept').click()
  await page.getByTestId('rq-commitment').fill('本单位承诺于补正期限内补交规划选址意见，逾期愿承担终止审批的后果。')
  // A deadline past the promised limit is refused with the reason.
  await setDate(page, 'rq-due', '2026-12-31')
  await page.getByTestId('rq-confirm').click()
  await page.locator('.el-message--error').getByText('不得超过承诺办结时限').waitFor()
  await setDate(page, 'rq-due', '2026-09-24')
  await page.getByTestId('rq-confirm').click()
  await page.locator('[data-testid="app-status"][data-status="accepted"]').waitFor()
  // promised 7 working days: 09-20 (make-up Sunday) 21 22 23 24 (中秋 25–27) 28 29
  await clockIs(page, 'clock-promised', { 'data-deadline': '2026-09-29', used: 0 })
  await clockIs(page, 'clock-statutory', { 'data-deadline': '2026-10-18' })
  assert.match(await page.getByTestId('app-rongque').innerText(), /2026-09-24/)
  await screenshot(page, 'approval-staff-accepted')

  // The workbench as of 09-22: the 容缺 deadline two working days away is a warning.
  await page.goto('/console/approval?today=2026-09-22')
  const rem = page.getByTestId('wb-reminders').locator('[data-kind="rongque"]', { hasText: PROJECT })
  await rem.waitFor()
  assert.match(await rem.innerText(), /剩 2 个工作日/)
  assert.match(await rem.getAttribute('class'), /warning/)
  await screenshot(page, 'approval-workbench')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('the enterprise supplements the missing item in the portal', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.ent, '/enterprise')
  await page.goto('/enterprise/approvals')
  await page.getByTestId('pa-list').getByText(PROJECT).click()
  await page.getByTestId('pa-detail').waitFor()
  await setDate(page, 'pa-act-on', '2026-09-23')
  await page.getByTestId('pa-owed-planning').waitFor()
  await page.getByTestId('pa-upload-planning').setInputFiles({ name: '规划选址意见.png', mimeType: 'image/png', buffer: PNG })
  await page.locator('[data-testid="pa-files-planning"][data-received="1"]').waitFor()
  await page.getByTestId('pa-supplement').click()
  await page.getByTestId('pa-missing').waitFor({ state: 'detached' })
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('clocks pause across the National Day holiday and resume; notices; decision', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.staff, '/console')
  await page.goto(appPath + '?today=2026-09-28')
  await page.getByTestId('app-detail').waitFor()
  assert.equal(await page.getByTestId('mat-planning').getAttribute('data-state'), 'supplemented')

  await setDate(page, 'act-on', '2026-09-28')
  await page.getByTestId('btn-pause').click()
  await page.getByTestId('pause-expert_review').click()
  await page.getByTestId('pause-confirm').click()
  await page.getByTestId('btn-resume').waitFor()
  // As of 10-09 (inside the pause, National Day behind): stopped at 5 working days used.
  await setDate(page, 'view-today', '2026-10-09')
  await clockIs(page, 'clock-promised', { 'data-paused': '1', used: 5 })
  await screenshot(page, 'approval-staff-paused')

  await setDate(page, 'view-today', '2026-10-12')
  await setDate(page, 'act-on', '2026-10-12')
  await page.getByTestId('btn-resume').click()
  // resumed 10-12: 10-12 and 10-13 count; the make-up Saturday 10-10 fell inside the pause
  await clockIs(page, 'clock-promised', { 'data-paused': '0', 'data-deadline': '2026-10-13', used: 6, 'paused-days': 14 })
  assert.match(await page.getByTestId('app-pauses').innerText(), /专家评审[\s\S]*2026-09-28[\s\S]*2026-10-12/)

  await page.getByTestId('btn-pre-approval').click()
  await page.getByTestId('app-events').getByText('拟批复公示').waitFor()
  // The image the enterprise supplied is previewed in the browser.
  await page.getByTestId('mf-preview-planning-1').click()
  await page.waitForFunction(() => document.querySelector('[data-testid="mf-preview-img"]')?.naturalWidth === 1)
  await page.keyboard.press('Escape')

  // The sign-off chain: no decision before it; 经办人 drafts, 科长 returns once, then agrees, the
  // leader signs.
  await setDate(page, 'act-on', '2026-10-13')
  assert.equal(await page.getByTestId('btn-decide').count(), 0, 'no decision before the chain')
  await page.getByTestId('so-conditions').fill('（一）窑炉烟气须经脱硫除尘后达标排放。\n（二）竣工后按规定开展环境保护验收。')
  await page.getByTestId('so-opinion').fill('符合审批条件，拟同意批复。')
  await page.getByTestId('so-draft').click()
  await page.locator('[data-testid="signoff"][data-state="review"]').waitFor()
  await page.getByTestId('signoff-waiting').getByText('科长').waitFor()
  await screenshot(page, 'approval-signoff-drafted')

  const chief = await newPage(browser, srv.url)
  await login(chief, ACCOUNTS.chief, '/console')
  await chief.goto(appPath + '?today=2026-10-13')
  await chief.getByTestId('so-opinion').fill('请补充脱硫工艺说明。')
  await chief.getByTestId('so-return').click()
  await chief.locator('[data-testid="signoff"][data-state="draft"]').waitFor()
  await chief.getByTestId('signoff-h-return').getByText('请补充脱硫工艺说明。').waitFor()

  await page.reload()
  await page.getByTestId('so-opinion').fill('已补充脱硫工艺说明，拟同意批复。')
  await page.getByTestId('so-conditions').fill('（一）窑炉烟气须经脱硫除尘后达标排放。')
  await page.getByTestId('so-draft').click()
  await page.locator('[data-testid="signoff"][data-state="review"]').waitFor()

  await chief.reload()
  await chief.getByTestId('so-opinion').fill('同意。')
  await chief.getByTestId('so-agree').click()
  await chief.locator('[data-testid="signoff"][data-state="sign"]').waitFor()
  assert.deepEqual(chief.problems, [])
  await chief.context().close()

  const leader = await newPage(browser, srv.url)
  await login(leader, ACCOUNTS.leader, '/console')
  await leader.goto(appPath + '?today=2026-10-13')
  await leader.getByTestId('so-opinion').fill('同意，签发。')
  await leader.getByTestId('so-sign').click()
  await leader.getByTestId('signoff-signed').waitFor()
  await screenshot(leader, 'approval-signoff-signed')
  assert.deepEqual(leader.problems, [])
  await leader.context().close()

  await page.reload()
  await setDate(page, 'act-on', '2026-10-13')
  await page.getByTestId('btn-decide').click()
  await page.getByTestId('decide-approve').click()
  await page.getByTestId('decide-confirm').click()
  await page.locator('[data-testid="app-status"][data-status="approved"]').waitFor()
  assert.match(await page.getByTestId('app-doc-no').innerText(), /^景环审〔2026〕\d+号$/)
  // the decision document the server wrote, downloadable from the page
  const href = await page.getByTestId('app-decision-pdf').getAttribute('href')
  const head = await page.evaluate(async (u) => new TextDecoder().decode((await (await fetch(u)).arrayBuffer()).slice(0, 5)), href)
  assert.equal(head, '%PDF-')
  // Looked at a week later, the clock stopped at the decision day: 7 of 7 used, on time.
  await setDate(page, 'view-today', '2026-10-20')
  await clockIs(page, 'clock-promised', { 'data-status': 'stopped', used: 7 })
  await screenshot(page, 'approval-staff-decided')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('the public site shows the notices and the progress by number, without login', async () => {
  const page = await newPage(browser, srv.url)
  await page.goto('/')
  await page.locator('a[href="/notices"]').first().click()
  await page.waitForURL((u) => u.pathname === '/notices')
  const mine = page.locator(`[data-testid="pub-notice"][data-number="${number}"]`)
  await mine.first().waitFor()
  const kinds = (await mine.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).sort()
  assert.deepEqual(kinds, ['accept', 'decision', 'pre_approval'])
  assert.match(await mine.filter({ hasText: '拟批复' }).innerText(), /听证/)
  await screenshot(page, 'approval-public-notices')

  await page.getByTestId('pub-progress-link').click()
  await page.getByTestId('pp-number').fill(number)
  await page.getByTestId('pp-search').click()
  await page.getByTestId('pp-result').waitFor()
  assert.equal((await page.getByTestId('pp-status').innerText()).trim(), '已批准')
  const text = await page.getByTestId('pp-result').innerText()
  assert.ok(!text.includes('李工') && !text.includes('景瓷环评咨询'), 'minimal information only')
  await screenshot(page, 'approval-public-progress')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('the siting report flags the ceramics project inside the priority-protection unit', async () => {
  const page = await newPage(browser, srv.url)
  const tiles = []
  page.on('request', (r) => {
    if (!r.url().startsWith(srv.url)) tiles.push(r.url())
  })
  await login(page, ACCOUNTS.staff, '/console')
  await page.goto(appPath)
  await page.getByTestId('app-siting-report').click()
  await page.waitForURL((u) => u.pathname === '/console/approval/siting')
  await page.locator('[data-testid="siting-map"][data-units="3"]').waitFor()
  assert.ok((await page.locator('[data-testid="siting-map"] path.leaflet-interactive').count()) >= 3, 'units drawn')
  assert.equal((await page.getByTestId('siting-verdict').innerText()).trim(), '禁止')
  const unit = page.getByTestId('siting-unit-ZH36022210001')
  assert.equal(await unit.getAttribute('data-class'), '优先保护')
  assert.match(await unit.innerText(), /空间布局约束第1条/)
  assert.equal((await page.getByTestId('siting-conclusion').innerText()).trim(), '不符合')
  await screenshot(page, 'approval-siting-map')

  // A new check in the 重点管控 unit: restricted ceramics kiln (C3071) → 限制.
  await page.getByTestId('siting-industry').fill('C3071')
  await page.getByTestId('siting-lon').fill('117.50')
  await page.getByTestId('siting-lat').fill('29.25')
  await page.getByTestId('siting-run').click()
  await page.getByTestId('siting-verdict').getByText('限制').waitFor()
  const id = new URL(page.url()).searchParams.get('check')
  assert.ok(id)

  // The printable page.
  await page.goto('/print/siting/' + id)
  await page.getByTestId('siting-report').waitFor()
  assert.match(await page.locator('h1').innerText(), /符合性分析报告/)
  await screenshot(page, 'approval-siting-print')
  assert.deepEqual(tiles, [], 'no request leaves the server')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('the investment project library shows totals by stage and the linked applications', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.leader, '/console')
  await page.goto('/console/approval/invest')
  const table = page.getByTestId('inv-table')
  await table.locator('tbody tr').first().waitFor()
  assert.ok((await table.locator('tbody tr').count()) >= 6)
  const started = page.locator('[data-testid="inv-totals"] [data-stage="开工"] b')
  assert.ok(Number(await started.innerText()) >= 1)
  await table.getByText(/HP\d{13}/).first().waitFor()
  await screenshot(page, 'approval-invest')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})
