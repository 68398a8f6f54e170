// The annual evaluation carries the city's configured PM2.5 target (--pm25-target) beside the
// GB 3095 limit, for the console's annual page and the public card; without one, no target.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { demoDb, startServer, Client } from '../lib.mjs'

let env
before(() => {
  env = demoDb({ enterprises: 3 })
})
after(() => env?.cleanup())

test('pm25_target is published with the annual evaluation only when configured', async () => {
  let server = await startServer(env.db, ['--pm25-target=28'])
  try {
    const r = await new Client(server.url).get('/api/v1/quality/annual?year=2026')
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.pm25_target, 28)
    assert.equal(typeof r.json.items.pm25.limit_annual, 'number')
  } finally {
    await server.stop()
  }
  server = await startServer(env.db)
  try {
    const r = await new Client(server.url).get('/api/v1/quality/annual?year=2026')
    assert.equal(r.status, 200, r.text)
    assert.equal('pm25_target' in r.json, false)
  } finally {
    await server.stop()
  }
})
