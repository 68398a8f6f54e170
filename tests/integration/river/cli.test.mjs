// `ecogov river import FILE`: the same checks as the HTTP import, all or
// nothing, from the command line (GeoJSON here; Shapefiles are read by
// domain/river_shp.c, unit-tested with a layer written by shapelib).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { demoDb, ecogov } from '../lib.mjs'

test('river import from the command line', () => {
  const env = demoDb({ enterprises: 5 })
  try {
    const good = path.join(env.dir, 'good.geojson')
    const bad = path.join(env.dir, 'bad.geojson')
    const line = { type: 'LineString', coordinates: [[117.1, 29.1], [117.2, 29.2]] }
    writeFileSync(good, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'X-1', name: '西河段', water_code: 'X', water_name: '西河' }, geometry: line }] }))
    writeFileSync(bad, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'X-2', name: '东段', water_code: 'X', water_name: '西河' }, geometry: { type: 'LineString', coordinates: [[29.1, 117.1], [29.2, 117.2]] } }] }))
    let r = ecogov(['river', 'import', `--db=${env.db}`, good])
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stdout, /1 new, 0 updated/)
    r = ecogov(['river', 'import', `--db=${env.db}`, bad])
    assert.equal(r.status, 1)
    assert.match(r.stderr, /feature 1 geometry: 坐标 .* 不在中国境内/)
    r = ecogov(['river', 'import', `--db=${env.db}`, good])
    assert.match(r.stdout, /0 new, 1 updated/)
    assert.equal(ecogov(['river', 'export', `--db=${env.db}`]).status, 2)
  } finally {
    env.cleanup()
  }
})
