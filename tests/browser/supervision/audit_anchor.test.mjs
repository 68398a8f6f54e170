// Issue 16 item 12: the public disclosure centre shows the newest signed head of the audit chain
// (entry, hash, public key, signature) when the server runs with an audit key; the console's
// verification says the log is anchored.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ACCOUNTS, startServer, launchBrowser, newPage, login } from '../lib.mjs'

let srv, browser, keyDir, publicKey
before(async () => {
  keyDir = mkdtempSync(path.join(tmpdir(), 'ecogov-key-'))
  const key = path.join(keyDir, 'audit.key')
  const out = execFileSync(process.env.ECOGOV_BIN, ['audit', 'keygen', '--key', key], { encoding: 'utf8' })
  publicKey = /public key ([0-9a-f]{64})/.exec(out)[1]
  srv = await startServer({ enterprises: 10, extraFlags: [`--audit-key-file=${key}`] })
  browser = await launchBrowser()
})
after(async () => {
  if (browser) await browser.close()
  if (srv) await srv.stop()
  if (keyDir) rmSync(keyDir, { recursive: true, force: true })
})

test('the disclosure centre publishes the signed audit chain head', async () => {
  const api = (await (await fetch(srv.url + '/api/v1/public/supervision')).json()).audit_checkpoint
  assert.equal(api.public_key, publicKey)
  const page = await newPage(browser, srv.url)
  await page.goto('/supervision')
  const anchor = page.getByTestId('pub-audit-anchor')
  await anchor.waitFor()
  assert.equal((await anchor.getByTestId('anchor-public-key').innerText()).trim(), publicKey)
  assert.equal((await anchor.getByTestId('anchor-signature').innerText()).trim(), api.signature)
  assert.equal((await anchor.getByTestId('anchor-entry').innerText()).trim(), String(api.last_id))
  assert.match(await anchor.innerText(), /审计日志签名锚点/)
  assert.deepEqual(page.problems, [])
})

test('the console verification reports the anchored checkpoints', async () => {
  const page = await newPage(browser, srv.url)
  await login(page, ACCOUNTS.admin, '/console')
  await page.goto('/console/audit')
  await page.getByTestId('audit-verify').click()
  const result = page.getByTestId('audit-verify-result')
  await result.waitFor()
  const text = await result.innerText()
  assert.match(text, /哈希链完整/)
  assert.match(text, /已锚定到数据库之外：\d+ 个签名检查点/)
  assert.deepEqual(page.problems, [])
})
