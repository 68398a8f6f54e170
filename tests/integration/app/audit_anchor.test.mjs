// Issue 16 item 12: the audit chain anchored outside the database. `ecogov audit keygen` makes an
// Ed25519 key (0600, never overwritten); the server signs the chain head at start and at stop into
// a checkpoint file and a table; the public disclosure centre shows the newest signed head (checked
// here with Node's own Ed25519); `ecogov audit verify` finds the last 20 entries deleted
// (truncation) and a recomputed chain (rewrite), which the hash chain alone calls intact.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, createPublicKey, verify } from 'node:crypto'
import { readFileSync, statSync, writeFileSync, existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { demoDb, startServer, Client, ecogov } from '../lib.mjs'

let env, key, publicKey

before(() => {
  env = demoDb({ enterprises: 10 })
  key = path.join(env.dir, 'audit.key')
})

after(() => env?.cleanup())

const sql = (db, text) => {
  const r = spawnSync('sqlite3', [db], { input: text, encoding: 'utf8', maxBuffer: 1 << 28 })
  assert.equal(r.status, 0, r.stderr)
  return r.stdout
}

// The chain's hash as docs/security.md states it: SHA-256 over the previous hash and the fields,
// each written as "<byte length>:<bytes>".
function entryHash(prev, row) {
  const h = createHash('sha256')
  for (const f of [prev, String(row.ts), String(row.actor_id ?? 0), row.actor, row.action, row.entity, row.entity_id, row.detail]) {
    const b = Buffer.from(f ?? '', 'utf8')
    h.update(`${b.length}:`)
    h.update(b)
  }
  return h.digest('hex')
}

// Someone with the database file: drops the triggers, edits an entry and recomputes every hash.
function recomputeChain(db) {
  const rows = JSON.parse(sql(db, '.mode json\nSELECT id, ts, actor_id, actor, action, entity, entity_id, detail FROM audit_log ORDER BY id;\n'))
  rows[4].detail = JSON.stringify({ note: 'rewritten' })
  let prev = '0'.repeat(64)
  const out = ['DROP TRIGGER audit_log_no_update;', 'BEGIN;']
  for (const r of rows) {
    const h = entryHash(prev, r)
    out.push(`UPDATE audit_log SET detail = '${r.detail.replace(/'/g, "''")}', prev_hash = '${prev}', hash = '${h}' WHERE id = ${r.id};`)
    prev = h
  }
  out.push('COMMIT;')
  sql(db, out.join('\n'))
}

function copyOf(name) {
  const dest = path.join(env.dir, name)
  const r = ecogov(['backup', `--db=${env.db}`, dest])
  assert.equal(r.status, 0, r.stderr)
  return dest
}

const verifyDb = (db) => ecogov(['audit', 'verify', `--db=${db}`, `--audit-key-file=${key}`])

test('keygen writes a 0600 key and never overwrites one', () => {
  const r = ecogov(['audit', 'keygen', '--key', key])
  assert.equal(r.status, 0, r.stderr)
  publicKey = /public key ([0-9a-f]{64})/.exec(r.stdout)[1]
  assert.equal(statSync(key).mode & 0o777, 0o600)
  const before = readFileSync(key, 'utf8')
  const again = ecogov(['audit', 'keygen', '--key', key])
  assert.equal(again.status, 1)
  assert.match(again.stderr, /never overwritten/)
  assert.equal(readFileSync(key, 'utf8'), before)
})

test('the server signs the head at start and stop; the public page shows it', async () => {
  const server = await startServer(env.db, [`--audit-key-file=${key}`])
  try {
    const staff = await Client.as(server.url, 'staff')
    const cur = (await staff.get('/api/v1/enterprises/2')).json
    assert.equal((await staff.put('/api/v1/enterprises/2', { ...cur, legal_rep: '锚点测试' })).status, 200)
    const pub = (await new Client(server.url).get('/api/v1/public/supervision')).json.audit_checkpoint
    assert.ok(pub, 'a checkpoint was written at start')
    assert.equal(pub.public_key, publicKey)
    assert.equal(pub.message, `ecogov-audit-checkpoint-v1 ${pub.last_id} ${pub.hash} ${Math.floor(Date.parse(pub.ts) / 1000)}`)
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(publicKey, 'hex')])
    const pk = createPublicKey({ key: spki, format: 'der', type: 'spki' })
    assert.ok(verify(null, Buffer.from(pub.message), pk, Buffer.from(pub.signature, 'hex')), 'Ed25519 signature holds')
    const v = (await (await Client.as(server.url, 'admin')).get('/api/v1/audit/verify')).json
    assert.equal(v.ok, true)
    assert.equal(v.anchor.anchored, true)
    assert.equal(v.anchor.intact, true, JSON.stringify(v.anchor))
  } finally {
    await server.stop()
  }
  const lines = readFileSync(key + '.checkpoints', 'utf8').trim().split('\n')
  assert.equal(lines.length, 2, 'one at start, one at stop (the head moved)')
  const head = sql(env.db, 'SELECT max(id) FROM audit_log;').trim()
  assert.equal(lines[1].split(' ')[1], head, 'the stop checkpoint names the newest entry')
  const r = verifyDb(env.db)
  assert.equal(r.status, 0, r.stdout + r.stderr)
  assert.match(r.stdout, /audit log intact: \d+ entries, 2 signed checkpoints/)
})

test('deleting the last 20 entries is reported as truncation', () => {
  const db = copyOf('cut.db')
  sql(db, 'DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id > (SELECT max(id) - 20 FROM audit_log);')
  // the hash chain alone cannot see it
  assert.equal(ecogov(['audit', 'verify', `--db=${db}`]).status, 0)
  const r = verifyDb(db)
  assert.equal(r.status, 1, r.stdout)
  assert.match(r.stdout, /TRUNCATED: a signed checkpoint names entry \d+, the log ends at entry \d+/)
  // removing the checkpoints from the table as well does not help: the file keeps them
  sql(db, 'DROP TRIGGER audit_checkpoints_no_delete; DELETE FROM audit_checkpoints;')
  const r2 = verifyDb(db)
  assert.equal(r2.status, 1)
  assert.match(r2.stdout, /TRUNCATED/)
  assert.match(r2.stdout, /checkpoints DELETED: 2 in .* are no longer in the database/)
})

test('a recomputed chain is reported as a rewrite', () => {
  const db = copyOf('rewritten.db')
  recomputeChain(db)
  const plain = ecogov(['audit', 'verify', `--db=${db}`])
  assert.equal(plain.status, 0, 'the recomputed chain is self-consistent: ' + plain.stdout)
  const r = verifyDb(db)
  assert.equal(r.status, 1, r.stdout)
  assert.match(r.stdout, /REWRITTEN: entry \d+ no longer has the hash its signed checkpoint names/)
  assert.doesNotMatch(r.stdout, /TAMPERED/)
})

test('a forged checkpoint line and a missing file are reported; --public-key verifies without the secret', () => {
  const db = copyOf('forged.db')
  const file = path.join(env.dir, 'forged.checkpoints')
  const lines = readFileSync(key + '.checkpoints', 'utf8').trim().split('\n')
  const f = lines[1].split(' ')
  f[2] = 'f'.repeat(64)
  writeFileSync(file, lines.concat(f.join(' ')).join('\n') + '\n')
  let r = ecogov(['audit', 'verify', `--db=${db}`, `--public-key=${publicKey}`, `--audit-checkpoint-file=${file}`])
  assert.equal(r.status, 1, r.stdout)
  assert.match(r.stdout, /checkpoints FORGED: 1 not signed by the audit key/)
  const gone = path.join(env.dir, 'gone.checkpoints')
  assert.ok(!existsSync(gone))
  r = ecogov(['audit', 'verify', `--db=${db}`, `--audit-key-file=${key}`, `--audit-checkpoint-file=${gone}`])
  assert.equal(r.status, 1)
  assert.match(r.stdout, /checkpoint file MISSING/)
  r = ecogov(['audit', 'verify', `--db=${db}`, `--public-key=${publicKey}`, `--audit-checkpoint-file=${key}.checkpoints`])
  assert.equal(r.status, 0, r.stdout + r.stderr)
})

test('the console verification reports the anchor: intact, then a cut log served by the server', async () => {
  const db = copyOf('served-cut.db')
  const file = path.join(env.dir, 'served.checkpoints')
  writeFileSync(file, readFileSync(key + '.checkpoints'))
  sql(db, 'DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id > (SELECT max(id) - 20 FROM audit_log);')
  const server = await startServer(db, [`--audit-key-file=${key}`, `--audit-checkpoint-file=${file}`])
  try {
    const admin = await Client.as(server.url, 'admin')
    const v = (await admin.get('/api/v1/audit/verify')).json
    assert.equal(v.ok, false)
    assert.equal(v.first_bad_id, undefined, 'the chain alone is consistent')
    assert.equal(v.anchor.anchored, true)
    assert.equal(v.anchor.intact, false)
    assert.ok(v.anchor.truncated_at > 0, JSON.stringify(v.anchor))
  } finally {
    await server.stop()
  }
  const plain = await startServer(env.db)
  try {
    const admin = await Client.as(plain.url, 'admin')
    const v = (await admin.get('/api/v1/audit/verify')).json
    assert.equal(v.ok, true)
    assert.deepEqual(v.anchor, { anchored: false })
  } finally {
    await plain.stop()
  }
})
