// Regional consultation (issue 13) with two ecogov instances on loopback: each publishes an
// Ed25519-signed feed and pulls the other's; a third member's feed (signed here with Node's own
// Ed25519) is accepted, a tampered one and one signed with another key are refused; a consultation
// on one instance shows the forecasts side by side and concludes with a regional warning, which
// the other instance's leader adopts with one action.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import net from 'node:net'
import path from 'node:path'
import { generateKeyPairSync, sign, verify, createPublicKey } from 'node:crypto'
import { demoDb, startServer, Client, ecogov } from '../lib.mjs'

let envA, envB, a, b, fake, fakePort
const keys = {}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port
      s.close(() => resolve(p))
    })
  })
}

function keygen(dir, name) {
  const file = path.join(dir, `${name}.key`)
  const r = ecogov(['region', 'keygen', file])
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stdout, /^[0-9a-f]{64}\n$/)
  assert.notEqual(ecogov(['region', 'keygen', file]).status, 0, 'never overwrites a key')
  return { file, pk: r.stdout.trim() }
}

// A feed of member `id` signed with Node's Ed25519 key (tamper: one byte of the payload changed after).
function nodeFeed(id, key, { tamper = false } = {}) {
  const payload = JSON.stringify({ member: id, bureau: `${id}生态环境局`, generated_at: Math.floor(Date.now() / 1000), forecasts: [], warning: null, regional: [] })
  const sig = sign(null, Buffer.from(payload), key.privateKey)
  const bytes = Buffer.from(payload)
  if (tamper) bytes[bytes.indexOf('生')] ^= 1
  return JSON.stringify({ member: id, payload: bytes.toString('base64'), signature: sig.toString('base64') })
}
const rawPk = (k) => Buffer.from(k.publicKey.export({ format: 'jwk' }).x, 'base64url').toString('hex')

before(async () => {
  envA = demoDb({ enterprises: 20 })
  envB = demoDb({ enterprises: 20, seed: 2 })
  keys.a = keygen(envA.dir, 'a')
  keys.b = keygen(envB.dir, 'b')
  const leping = generateKeyPairSync('ed25519')
  const wuyuan = generateKeyPairSync('ed25519')
  const other = generateKeyPairSync('ed25519')
  fake = http.createServer((req, res) => {
    const body = req.url === '/leping' ? nodeFeed('leping', leping)
      : req.url === '/wuyuan' ? nodeFeed('wuyuan', wuyuan, { tamper: true })
        : nodeFeed('dexing', other) // signed, but not with dexing's configured key
    res.writeHead(200, { 'content-type': 'application/json' }).end(body)
  })
  await new Promise((r) => fake.listen(0, '127.0.0.1', r))
  fakePort = fake.address().port
  const portA = await freePort()
  const feedA = `http://127.0.0.1:${portA}/api/v1/public/response/region/feed`
  b = await startServer(envB.db, ['--region-member=shangrao', `--region-key-file=${keys.b.file}`,
    `--region-members=jingci|${feedA}|${keys.a.pk}`, '--bureau-name=上饶市生态环境局'])
  const feedB = `${b.url}/api/v1/public/response/region/feed`
  a = await startServer(envA.db, [`--http-port=${portA}`, '--region-member=jingci', `--region-key-file=${keys.a.file}`,
    `--region-members=shangrao|${feedB}|${keys.b.pk},leping|http://127.0.0.1:${fakePort}/leping|${rawPk(leping)},` +
    `wuyuan|http://127.0.0.1:${fakePort}/wuyuan|${rawPk(wuyuan)},dexing|http://127.0.0.1:${fakePort}/dexing|${rawPk(wuyuan)}`])
})

after(async () => {
  await a?.stop()
  await b?.stop()
  fake?.close()
  envA?.cleanup()
  envB?.cleanup()
})

test('each feed is signed with the key the other side configures', async () => {
  const r = await new Client(b.url).get('/api/v1/public/response/region/feed')
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.member, 'shangrao')
  const pub = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(keys.b.pk, 'hex').toString('base64url') }, format: 'jwk' })
  const payload = Buffer.from(r.json.payload, 'base64')
  assert.ok(verify(null, payload, pub, Buffer.from(r.json.signature, 'base64')), 'Node verifies ecogov\'s signature')
  const p = JSON.parse(payload)
  assert.equal(p.member, 'shangrao')
  assert.equal(p.bureau, '上饶市生态环境局')
  assert.equal(p.forecasts.length, 3)
})

test('a pull keeps the verified feeds and refuses the tampered and the wrongly signed', async () => {
  const staffA = await Client.as(a.url, 'staff')
  const r = await staffA.post('/api/v1/response/region/pull', {})
  assert.equal(r.status, 200, r.text)
  const by = Object.fromEntries(r.json.items.map((x) => [x.member, x]))
  assert.equal(by.shangrao.status, 'ok', by.shangrao.error)
  assert.equal(by.leping.status, 'ok', by.leping.error)
  assert.equal(by.wuyuan.status, 'refused')
  assert.match(by.wuyuan.error, /signature/)
  assert.equal(by.dexing.status, 'refused')
  const v = await staffA.get('/api/v1/response/region')
  assert.equal(v.json.member, 'jingci')
  assert.equal(v.json.key, keys.a.pk)
  const m = Object.fromEntries(v.json.members.map((x) => [x.member, x]))
  assert.equal(m.shangrao.payload.bureau, '上饶市生态环境局')
  assert.equal(m.wuyuan.payload ?? null, null, 'nothing of a refused feed is kept')
  assert.equal((await new Client(a.url).post('/api/v1/response/region/pull', {})).status, 401)
})

test('a consultation concludes with a regional warning the other city adopts with one action', async () => {
  const staffB = await Client.as(b.url, 'staff')
  const leaderB = await Client.as(b.url, 'leader')
  assert.equal((await staffB.post('/api/v1/response/region/pull', {})).json.items[0].status, 'ok')
  const c = await staffB.post('/api/v1/response/consultations', { title: '赣东北区域重污染会商', participants: ['shangrao', 'jingci'] })
  assert.equal(c.status, 201, c.text)
  assert.deepEqual(c.json.forecasts.map((f) => f.member), ['shangrao', 'jingci'])
  assert.equal(c.json.forecasts[1].forecasts.length, 3, 'the neighbour\'s forecasts side by side')
  assert.equal((await staffB.post(`/api/v1/response/consultations/${c.json.id}/conclude`, { conclusion: 'x', level: 'orange' })).status, 403)
  const day = (k) => new Date(Date.now() + 8 * 3600e3 + k * 86400e3).toISOString().slice(0, 10)
  const done = await leaderB.post(`/api/v1/response/consultations/${c.json.id}/conclude`, {
    conclusion: '预计区域性重污染过程，建议统一启动橙色预警', level: 'orange', expected_from: day(1), expected_to: day(3),
  })
  assert.equal(done.status, 200, done.text)
  assert.equal(done.json.status, 'concluded')

  const staffA = await Client.as(a.url, 'staff')
  const leaderA = await Client.as(a.url, 'leader')
  await staffA.post('/api/v1/response/region/pull', {})
  const v = await staffA.get('/api/v1/response/region')
  const regional = v.json.members.find((x) => x.member === 'shangrao').payload.regional
  assert.equal(regional.length, 1)
  assert.equal(regional[0].level, 'orange')
  const body = { member: 'shangrao', consultation_id: regional[0].id }
  assert.equal((await staffA.post('/api/v1/response/region/adopt', body)).status, 403)
  assert.equal((await leaderA.post('/api/v1/response/region/adopt', { ...body, consultation_id: 999 })).status, 404)
  assert.equal((await leaderA.post('/api/v1/response/region/adopt', { member: 'wuyuan', consultation_id: 1 })).status, 404)
  const ad = await leaderA.post('/api/v1/response/region/adopt', body)
  assert.equal(ad.status, 200, ad.text)
  assert.equal(ad.json.level, 'orange')
  assert.match(ad.json.reason, /赣东北区域重污染会商/)
  assert.equal(ad.json.expected_from, day(1))
  assert.equal((await leaderA.post('/api/v1/response/region/adopt', body)).status, 409)
  const pub = await new Client(a.url).get('/api/v1/public/response/warning')
  assert.equal(pub.json.active.level, 'orange')
  // A's own feed now carries its warning for the region.
  const feedA = await new Client(a.url).get('/api/v1/public/response/region/feed')
  assert.equal(JSON.parse(Buffer.from(feedA.json.payload, 'base64')).warning.level, 'orange')
})
