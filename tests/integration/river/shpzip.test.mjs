// The Shapefile upload: POST /api/v1/river/import with a .zip of one layer
// (.shp, .shx, .dbf, optional .prj; the archive made here byte by byte) is
// imported as a GeoJSON collection is; hostile archives are refused with
// stable codes and nothing imported — not a zip, a missing part, two layers,
// a projected .prj, a member inflating past its cap (zip bomb), an encrypted
// member; member names with ../ are never used as paths.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { demoDb, startServer, Client } from '../lib.mjs'
import { shapefile, zip } from './shapefile.mjs'

let env, srv, staff, village
const V = '/api/v1/river'

before(async () => {
  env = demoDb({ enterprises: 5 })
  srv = await startServer(env.db)
  staff = await Client.as(srv.url, 'staff')
  village = new Client(srv.url)
  assert.equal((await village.login('chief_village', 'Chief@2026')).status, 200)
})

after(async () => {
  await srv?.stop()
  env?.cleanup()
})

const upload = (c, body) => c.request('POST', V + '/import?name=layer.zip', { body, headers: { 'content-type': 'application/zip' } })
const layer = (township = '昌南镇') =>
  shapefile([
    { props: { code: 'SZ-01', name: '西河上段', water_code: 'SZ', water_name: '西河', township }, parts: [[[117.1, 29.1], [117.15, 29.12], [117.2, 29.2]]] },
    { props: { code: 'SZ-02', name: '西河下段', water_code: 'SZ', water_name: '西河', township }, parts: [[[117.2, 29.2], [117.3, 29.25]], [[117.3, 29.25], [117.32, 29.3]]] },
  ])
const WGS84 = 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'
const count = async () => (await staff.get(V + '/reaches')).json.items.length

test('a zipped Shapefile layer is imported like GeoJSON, again as an update', async () => {
  const before = await count()
  const s = layer()
  let r = await upload(staff, zip([
    { name: '西河/xihe.shp', data: s.shp },
    { name: '西河/xihe.shx', data: s.shx },
    { name: '西河/xihe.dbf', data: s.dbf },
    { name: '西河/xihe.prj', data: Buffer.from(WGS84) },
    { name: '西河/xihe.cpg', data: Buffer.from('UTF-8') },
  ]))
  assert.equal(r.status, 200, r.text)
  assert.deepEqual(r.json, { created: 2, updated: 0, waters: 1 })
  assert.equal(await count(), before + 2)
  const got = (await staff.get(V + '/reaches')).json.items.find((x) => x.code === 'SZ-02')
  assert.equal(got.name, '西河下段')
  assert.equal(got.township, '昌南镇')
  assert.ok(got.length_m > 10000 && got.length_m < 20000, String(got.length_m))
  const s2 = layer('丽阳镇')
  r = await upload(staff, zip([{ name: 'a.SHP', data: s2.shp, method: 0 }, { name: 'a.SHX', data: s2.shx }, { name: 'a.DBF', data: s2.dbf }]))
  assert.deepEqual(r.json, { created: 0, updated: 2, waters: 1 })
  // a chief does not edit the register, whatever the format
  assert.equal((await upload(village, zip([{ name: 'a.shp', data: s2.shp }]))).status, 403)
})

test('hostile archives are refused with stable codes and nothing is imported', async () => {
  const before = await count()
  const s = layer()
  const refuse = async (body, status, code, message) => {
    const r = await upload(staff, body)
    assert.equal(r.status, status, r.text)
    assert.equal(r.json.error.code, code)
    if (message) assert.match(r.json.error.message, message)
    if (status === 422) assert.equal(r.json.error.field, 'file')
  }
  // a zip's signature with garbage after it
  await refuse(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]), 422, 'invalid_field', /zip/)
  await refuse(zip([{ name: 'a.shp', data: s.shp }, { name: 'a.dbf', data: s.dbf }]), 422, 'invalid_field', /\.shx/)
  await refuse(zip([{ name: 'a.shp', data: s.shp }, { name: 'a.shx', data: s.shx }, { name: 'a.dbf', data: s.dbf }, { name: 'b.shp', data: s.shp }]), 422, 'invalid_field', /一个图层/)
  await refuse(zip([
    { name: 'a.shp', data: s.shp }, { name: 'a.shx', data: s.shx }, { name: 'a.dbf', data: s.dbf },
    { name: 'a.prj', data: Buffer.from('PROJCS["CGCS2000_3_Degree_GK_CM_117E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000"]]') },
  ]), 422, 'invalid_field', /投影/)
  // a bomb: 40 MiB of zeros deflate to a few KiB; refused by its declared size, and when the
  // declared size lies, inflating stops there and the checksum fails
  const bomb = Buffer.alloc(40 << 20)
  await refuse(zip([{ name: 'a.shp', data: bomb }, { name: 'a.shx', data: s.shx }, { name: 'a.dbf', data: s.dbf }]), 413, 'body_too_large')
  await refuse(zip([{ name: 'a.shp', data: bomb, size: 1000 }, { name: 'a.shx', data: s.shx }, { name: 'a.dbf', data: s.dbf }]), 422, 'invalid_field', /校验/)
  // a wrong CRC (the data altered after the checksum)
  const bad = zip([{ name: 'a.shp', data: s.shp, method: 0 }, { name: 'a.shx', data: s.shx }, { name: 'a.dbf', data: s.dbf }])
  bad[30 + 5 + 120] ^= 0xff
  await refuse(bad, 422, 'invalid_field')
  // a truncated .shp read by shapelib
  await refuse(zip([{ name: 'a.shp', data: s.shp.subarray(0, 120) }, { name: 'a.shx', data: s.shx }, { name: 'a.dbf', data: s.dbf }]), 422, 'invalid_field')
  // coordinates outside China: the GeoJSON import's own checks, per feature
  const far = shapefile([{ props: { code: 'FAR-1', name: '远方', water_code: 'F', water_name: '远河' }, parts: [[[29.1, 117.1], [29.2, 117.2]]] }])
  let r = await upload(staff, zip([{ name: 'f.shp', data: far.shp }, { name: 'f.shx', data: far.shx }, { name: 'f.dbf', data: far.dbf }]))
  assert.equal(r.status, 422)
  assert.equal(r.json.error.code, 'import_errors')
  assert.equal(r.json.error.errors[0].field, 'geometry')
  // names climbing out of the directory are not paths: the layer is read, nothing written outside
  const s3 = layer()
  r = await upload(staff, zip([
    { name: '../../../../tmp/ecogov-evil.shp', data: s3.shp },
    { name: '../../../../tmp/ecogov-evil.shx', data: s3.shx },
    { name: '../../../../tmp/ecogov-evil.dbf', data: s3.dbf },
  ]))
  assert.equal(r.status, 200, r.text)
  assert.equal(existsSync('/tmp/ecogov-evil.shp'), false)
  assert.equal(await count(), before)
})

test('a lake outline that crosses itself is refused with the reason, as GeoJSON or Shapefile', async () => {
  const before = await count()
  const bowtie = [[117.1, 29.4], [117.2, 29.5], [117.2, 29.4], [117.1, 29.5], [117.1, 29.4]]
  const props = { code: 'HU-01', name: '蝴蝶湖', water_code: 'HU', water_name: '蝴蝶湖' }
  let r = await staff.request('POST', V + '/import', {
    body: JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: props, geometry: { type: 'Polygon', coordinates: [bowtie] } }] }),
  })
  assert.equal(r.status, 422)
  assert.equal(r.json.error.code, 'import_errors')
  assert.equal(r.json.error.errors[0].field, 'geometry')
  assert.match(r.json.error.errors[0].message, /Self-intersection/)
  const s = shapefile([{ props, parts: [bowtie] }], { polygon: true })
  r = await upload(staff, zip([{ name: 'hu.shp', data: s.shp }, { name: 'hu.shx', data: s.shx }, { name: 'hu.dbf', data: s.dbf }]))
  assert.equal(r.status, 422, r.text)
  assert.match(r.json.error.errors[0].message, /Self-intersection/)
  // the same lake drawn properly is taken
  const square = [[117.1, 29.4], [117.1, 29.5], [117.2, 29.5], [117.2, 29.4], [117.1, 29.4]]
  const ok = shapefile([{ props, parts: [square] }], { polygon: true })
  r = await upload(staff, zip([{ name: 'hu.shp', data: ok.shp }, { name: 'hu.shx', data: ok.shx }, { name: 'hu.dbf', data: ok.dbf }]))
  assert.equal(r.status, 200, r.text)
  assert.equal(await count(), before + 1)
  const lake = (await staff.get(V + '/reaches')).json.items.find((x) => x.code === 'HU-01')
  assert.equal(lake.kind, 'lake')
})
