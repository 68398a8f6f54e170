// The siting map's tile server (issue 17 item 11a): GET /api/v1/public/info publishes map_tile_url
// only when it is a path on this site with {z}, {x} and {y} (the page's CSP loads images from
// nowhere else); empty by default, never an internet address; refused values are said to be refused.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { demoDb, startServer, Client } from '../lib.mjs'

let env
before(() => {
  env = demoDb({ enterprises: 10 })
})
after(() => env?.cleanup())

async function mapInfo(flags) {
  const srv = await startServer(env.db, flags)
  try {
    const r = await new Client(srv.url).get('/api/v1/public/info')
    assert.equal(r.status, 200)
    return r.json.map
  } finally {
    await srv.stop()
  }
}

test('empty by default: no tiles', async () => {
  assert.deepEqual(await mapInfo([]), { tile_url: '', tile_url_refused: false })
})

test('a path on this site is published', async () => {
  assert.deepEqual(await mapInfo(['--map-tile-url=/tiles/{z}/{x}/{y}.png']), { tile_url: '/tiles/{z}/{x}/{y}.png', tile_url_refused: false })
})

test('another origin, a protocol-relative address, missing placeholders or markup are refused', async () => {
  for (const bad of ['https://tile.openstreetmap.org/{z}/{x}/{y}.png', '//tiles.example.org/{z}/{x}/{y}.png', '/tiles/{z}/{x}.png', '/tiles/{z}/{x}/{y}.png"><script>', 'tiles/{z}/{x}/{y}.png']) {
    assert.deepEqual(await mapInfo([`--map-tile-url=${bad}`]), { tile_url: '', tile_url_refused: true }, bad)
  }
})
