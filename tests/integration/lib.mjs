// Shared helpers for the integration tests: a temporary database, the real
// ecogov binary serving on a free loopback port, and a small HTTP client that
// keeps the session cookie and sends the CSRF token on writes.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

export const BIN = process.env.ECOGOV_BIN
if (!BIN) throw new Error('ECOGOV_BIN must name the ecogov binary (absolute path)')

export const ACCOUNTS = {
  admin: ['admin', 'Admin@2026'],
  leader: ['leader', 'Leader@2026'],
  staff: ['staff', 'Staff@2026'],
  staff2: ['staff2', 'Staff@2026'],
  chief: ['eiachief', 'Chief@2026'],
  enterprise: ['ent', 'Ent@2026'],
}

/** Runs `ecogov ...args` to completion; returns {status, stdout, stderr}. */
export function ecogov(args, opts = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 120_000, ...opts })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** A fresh database with the demo city. Returns {dir, db, cleanup()}. */
export function demoDb({ enterprises = 40, seed = 1 } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'ecogov-it-'))
  const db = path.join(dir, 't.db')
  let r = ecogov(['migrate', `--db=${db}`])
  if (r.status !== 0) throw new Error('migrate failed: ' + r.stderr)
  r = ecogov(['demo', `--db=${db}`, '--seed', String(seed), '--enterprises', String(enterprises)])
  if (r.status !== 0) throw new Error('demo failed: ' + r.stderr)
  return { dir, db, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Starts `ecogov serve` on db with extra flags; resolves to {url, proc, stop(), output()}. */
export async function startServer(db, flags = [], env = {}) {
  const proc = spawn(BIN, ['serve', `--db=${db}`, '--http-port=0', '--listen=127.0.0.1', '--web-root=web/dist', '--hj212-port=0', ...flags], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  })
  let out = ''
  proc.stderr.setEncoding('utf8').on('data', (c) => { out += c })
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start:\n' + out)), 60_000)
    proc.stdout.setEncoding('utf8').on('data', (c) => {
      out += c
      const m = /ecogov: listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) { clearTimeout(timer); resolve(m[1]) }
    })
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${out}`)) })
  })
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })))
  return {
    url,
    proc,
    output: () => out,
    exited,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM')
      return exited
    },
  }
}

/** An HTTP client bound to one server that remembers its session. */
export class Client {
  constructor(url) {
    this.url = url
    this.cookie = null
    this.csrf = null
  }

  async request(method, p, { body, headers = {}, raw = false, csrf = true } = {}) {
    const h = { ...headers }
    if (this.cookie) h.cookie = this.cookie
    if (csrf && this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf
    let payload = body
    if (body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array)) {
      payload = JSON.stringify(body)
      h['content-type'] ??= 'application/json'
    }
    const res = await fetch(this.url + p, { method, headers: h, body: payload, redirect: 'manual' })
    for (const c of res.headers.getSetCookie()) {
      const m = /^ecogov_session=([^;]*)/.exec(c)
      if (m) this.cookie = m[1] ? `ecogov_session=${m[1]}` : null
    }
    if (raw) return res
    const text = await res.text()
    let json = null
    try { json = text ? JSON.parse(text) : null } catch { json = null }
    return { status: res.status, json, text, headers: res.headers }
  }

  get(p, o) { return this.request('GET', p, o) }
  post(p, body, o = {}) { return this.request('POST', p, { ...o, body }) }
  put(p, body, o = {}) { return this.request('PUT', p, { ...o, body }) }

  async login(username, password) {
    const r = await this.post('/api/v1/auth/login', { username, password })
    if (r.status === 200) this.csrf = r.json.csrf_token
    return r
  }

  static async as(url, role) {
    const c = new Client(url)
    const r = await c.login(...ACCOUNTS[role])
    if (r.status !== 200) throw new Error(`login as ${role} failed: ${r.status} ${r.text}`)
    return c
  }
}

/** Computes the check character of a credit code's first 17 characters. */
export function usccWithCheck(first17) {
  const alpha = '0123456789ABCDEFGHJKLMNPQRTUWXY'
  let sum = 0
  for (let i = 0; i < 17; i++) sum += alpha.indexOf(first17[i]) * (3 ** i % 31)
  const c = (31 - (sum % 31)) % 31
  return first17 + alpha[c]
}

/** Sends raw bytes over one TCP connection and resolves to what the server
 * answered before it closed (or after timeoutMs). For requests a normal client
 * cannot make: a declared body that is never sent, broken framing. */
export async function rawRequest(url, bytes, timeoutMs = 5000) {
  const { connect } = await import('node:net')
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    const sock = connect(Number(port), hostname)
    let out = ''
    const done = () => { sock.destroy(); resolve(out) }
    const timer = setTimeout(done, timeoutMs)
    sock.on('data', (d) => { out += d.toString('latin1') })
    sock.on('error', () => { clearTimeout(timer); done() })
    sock.on('end', () => { clearTimeout(timer); done() })
    sock.write(bytes)
  })
}
