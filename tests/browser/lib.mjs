// Shared helpers for the browser tests: start the real ecogov server on a temporary database
// with the demo city, drive Debian's chromium through playwright-core, log in, take screenshots.
// Only node built-ins and playwright-core (tests/browser/package-lock.json).
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium } from 'playwright-core'

export const ACCOUNTS = {
  admin: { username: 'admin', password: 'Admin@2026' },
  leader: { username: 'leader', password: 'Leader@2026' },
  staff: { username: 'staff', password: 'Staff@2026' },
  staff2: { username: 'staff2', password: 'Staff@2026' },
  chief: { username: 'eiachief', password: 'Chief@2026' },
  ent: { username: 'ent', password: 'Ent@2026' },
}

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]
const START_TIMEOUT_MS = 60_000
export const SCREENSHOT_DIR = path.resolve('build/screenshots')

function bin() {
  const b = process.env.ECOGOV_BIN
  if (!b) throw new Error('ECOGOV_BIN must name the ecogov binary (absolute path)')
  return b
}

/**
 * Creates a temporary database with the demo city (seed 1, 60 enterprises) and starts
 * `ecogov serve` on a free loopback port serving web/dist. Resolves to
 * {url, dir, proc, output(), stop()}; stop() sends SIGTERM, waits for exit, removes the dir, and
 * throws (with the server's output) if the server had died on its own or exited non-zero.
 */
export async function startServer({ enterprises = 60, extraFlags = [] } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'ecogov-browser-'))
  const db = path.join(dir, 't.db')
  const run = (args) => execFileSync(bin(), args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 })
  run(['migrate', `--db=${db}`])
  run(['demo', `--db=${db}`, '--seed', '1', '--enterprises', String(enterprises)])

  const proc = spawn(bin(), ['serve', `--db=${db}`, '--http-port=0', '--listen=127.0.0.1', '--web-root=web/dist', '--hj212-port=0', ...extraFlags], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  // Never leave a server behind, even when the test process dies half-way.
  const killOnExit = () => {
    proc.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
  process.once('exit', killOnExit)
  let out = ''
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })))
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start in time:\n' + out)), START_TIMEOUT_MS)
    const onData = (chunk) => {
      out += chunk
      const m = /ecogov: listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    }
    proc.stdout.setEncoding('utf8').on('data', onData)
    proc.stderr.setEncoding('utf8').on('data', (c) => {
      out += c
    })
    proc.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`server exited early (code ${code}, signal ${signal}):\n${out}`))
    })
  })
  // Keep draining the pipes so a chatty access log never blocks the server.
  return {
    url,
    dir,
    proc,
    output: () => out,
    async stop() {
      process.removeListener('exit', killOnExit)
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
      const t = setTimeout(() => proc.kill('SIGKILL'), 15_000)
      const r = await exited
      clearTimeout(t)
      // A server that died on its own (a crash, a sanitizer report) shows why.
      rmSync(dir, { recursive: true, force: true })
      if (r.signal !== 'SIGTERM' && r.code !== 0) {
        throw new Error(`ecogov serve did not shut down cleanly (code ${r.code}, signal ${r.signal}):\n${out.slice(-12000)}`)
      }
      return r
    },
  }
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
}

/**
 * A fresh context (own cookies and storage) and page at `url`. Console errors and failed
 * requests are collected in page.problems so tests can assert a clean run.
 */
export async function newPage(browser, url, { locale = 'zh-CN', viewport = { width: 1366, height: 860 } } = {}) {
  const context = await browser.newContext({ baseURL: url, locale, viewport })
  context.setDefaultTimeout(15_000)
  const page = await context.newPage()
  page.problems = []
  page.on('pageerror', (e) => page.problems.push('pageerror: ' + e.message))
  // Chrome logs every 4xx as a console error; API 4xx answers are expected (401 from
  // /auth/me before login, 422 on bad input), so only non-API 4xx and any 5xx count.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) page.problems.push('console: ' + m.text())
  })
  page.on('response', (r) => {
    const u = new URL(r.url())
    if (r.status() >= 500 || (r.status() >= 400 && !u.pathname.startsWith('/api/'))) page.problems.push(`http ${r.status()} ${u.pathname}`)
  })
  page.on('requestfailed', (r) => {
    if (!/ERR_ABORTED/.test(r.failure()?.errorText || '')) page.problems.push('requestfailed: ' + r.url() + ' ' + r.failure()?.errorText)
  })
  return page
}

/** Logs in through the login form and waits until the role's home page has loaded. */
export async function login(page, account, expectPath) {
  try {
    await page.goto('/login')
    await page.getByTestId('login-username').fill(account.username)
    await page.getByTestId('login-password').fill(account.password)
    await page.getByTestId('login-submit').click()
    if (expectPath) await page.waitForURL((u) => u.pathname === expectPath)
  } catch (e) {
    e.message += `\n  at ${page.url()} as ${account.username}; page problems: ${JSON.stringify(page.problems)}`
    throw e
  }
}

export async function logout(page) {
  await page.getByTestId('user-menu').click()
  await page.getByTestId('logout').click()
  await page.waitForURL((u) => u.pathname === '/login')
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, name + '.png'), fullPage: true, animations: 'disabled' })
}

/** The console menu's entry keys (data-testid nav-<key>) currently visible, sub-menus included. */
export async function navKeys(page) {
  const nav = page.getByTestId('console-nav')
  await nav.waitFor()
  return nav.locator('[data-testid^="nav-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid').slice(4)))
}

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]

/** A valid GB 32100 credit code for an enterprise (91…), with a valid GB 11714 org code inside. */
export function makeUscc(n, region = '360200') {
  const org8 = String(n).padStart(8, '0').slice(-8)
  const s = [...org8].reduce((acc, c, i) => acc + Number(c) * ORG_WEIGHTS[i], 0)
  const oc = 11 - (s % 11)
  const orgCheck = oc === 10 ? 'X' : oc === 11 ? '0' : String(oc)
  const first17 = '91' + region + org8 + orgCheck
  const sum = [...first17].reduce((acc, c, i) => acc + USCC_ALPHABET.indexOf(c) * USCC_WEIGHTS[i], 0)
  return first17 + USCC_ALPHABET[(31 - (sum % 31)) % 31]
}

/** fetch() inside the logged-in page, with the session's CSRF token on writes:
 * { status, json }. */
export async function call(page, method, url, body) {
  return page.evaluate(
    async ({ method, url, body }) => {
      const me = await (await fetch('/api/v1/auth/me')).json()
      const res = await fetch('/api/v1' + url, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token || '' },
        body: body ? JSON.stringify(body) : undefined,
      })
      return { status: res.status, json: await res.json().catch(() => null) }
    },
    { method, url, body },
  )
}
