// Driver for bench/paint.sh: first contentful paint of the public home page (/) beside a one-line
// page served by the same server in the same run. Starts the release server on a small demo
// database with a copy of web/dist plus one-line.html as its web root, then for each run opens a
// fresh headless Debian Chromium (own --user-data-dir, so nothing is cached) and reads the
// 'first-contentful-paint' entry of the Paint Timing API. Prints both medians and their ratio.
// Env: PAINT_BENCH_RUNS (7), ECOGOV_BIN_REL (build/ecogov).
import { spawn, execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'

const require = createRequire(path.resolve('tests/browser/package.json'))
const { chromium } = require('playwright-core')

const RUNS = Number(process.env.PAINT_BENCH_RUNS || 7)
const BIN = path.resolve(process.env.ECOGOV_BIN_REL || 'build/ecogov')
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic']
const ONE_LINE = '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>一行</title><p>生态环境局</p></html>\n'

if (!existsSync('web/dist/index.html')) throw new Error('web/dist is not built (make web)')
const dir = mkdtempSync(path.join(tmpdir(), 'ecogov-bench-paint-'))
let server
try {
  const db = path.join(dir, 'p.db'), www = path.join(dir, 'www')
  cpSync('web/dist', www, { recursive: true })
  writeFileSync(path.join(www, 'one-line.html'), ONE_LINE)
  execFileSync(BIN, ['demo', `--db=${db}`, '--seed', '1', '--enterprises', '20'], { stdio: 'ignore', timeout: 120_000 })
  server = spawn(BIN, ['serve', `--db=${db}`, '--http-port=0', '--listen=127.0.0.1', `--web-root=${www}`, '--hj212-port=0', '--log-level=warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] })
  const url = await new Promise((resolve, reject) => {
    let out = ''
    const t = setTimeout(() => reject(new Error('server did not start:\n' + out)), 60_000)
    const on = (c) => {
      out += c
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) { clearTimeout(t); resolve(m[1]) }
    }
    server.stdout.setEncoding('utf8').on('data', on)
    server.stderr.setEncoding('utf8').on('data', on)
    server.once('exit', (code) => { clearTimeout(t); reject(new Error(`server exited (${code}):\n${out}`)) })
  })

  // One cold visit: a new browser with an empty profile, FCP from the page's own timeline.
  const fcp = async (pathname, n, slowdown = 1) => {
    const profile = path.join(dir, `profile-${n}`)
    const ctx = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', args: ARGS, viewport: { width: 1366, height: 860 } })
    try {
      const page = ctx.pages()[0] || (await ctx.newPage())
      if (slowdown > 1) await (await ctx.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: slowdown })
      await page.goto(url + pathname, { waitUntil: 'load' })
      const ms = await page.evaluate(() => new Promise((resolve) => {
        // The 'paint' entries are first-paint (any pixel, a background) and first-contentful-paint
        // (text or an image); only the latter counts.
        new PerformanceObserver((l) => {
          const e = l.getEntriesByName('first-contentful-paint')[0]
          if (e) resolve(e.startTime)
        }).observe({ type: 'paint', buffered: true })
        setTimeout(() => resolve(NaN), 20_000)
      }))
      if (!Number.isFinite(ms)) throw new Error(`no first-contentful-paint for ${pathname}`)
      return ms
    } finally {
      await ctx.close()
      rmSync(profile, { recursive: true, force: true })
    }
  }
  await fcp('/one-line.html', 'warm') // the first launch pays for loading chromium from disk
  const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1]
  const fmt = (a) => a.map((x) => x.toFixed(0)).join(' ')
  // Plain, then with the page's CPU slowed 4x (DevTools throttling): a busy or slow machine,
  // where script-bound paint falls behind first and the ratio shows it.
  for (const slowdown of [1, 4]) {
    const home = [], line = []
    for (let i = 0; i < RUNS; i++) { // interleaved, so both see the same machine load
      line.push(await fcp('/one-line.html', i, slowdown))
      home.push(await fcp('/', i, slowdown))
    }
    console.log(`first contentful paint, headless chromium, loopback, cold profile, CPU x${slowdown}, ${RUNS} runs (ms):`)
    console.log(`  one-line page:    median ${median(line).toFixed(0)} (${fmt(line)})`)
    console.log(`  public home page: median ${median(home).toFixed(0)} (${fmt(home)})`)
    console.log(`  ratio home / one-line: ${(median(home) / median(line)).toFixed(2)} (aim <= 2)`)
  }
} finally {
  if (server) server.kill('SIGTERM')
  rmSync(dir, { recursive: true, force: true })
}
