// The two message catalogues stay in step: the same keys in zh-CN and en (base files and the
// per-module files merged by web/src/shell/locales.js, no key defined twice), every key the UI
// source names exists, and no message trips vue-i18n's syntax (a bare | is a plural separator,
// a bare @ a linked message; only keys ending in Count hold plural forms). Needs no browser or server.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { messages, overlaps } from '../../../web/src/shell/locales.js'

const zh = messages['zh-CN']
const en = messages.en

function flat(obj, prefix = '') {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === 'object' ? flat(v, prefix + k + '.') : [[prefix + k, v]]))
}

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f)
    return statSync(p).isDirectory() ? files(p) : /\.(vue|js)$/.test(f) ? [p] : []
  })
}

test('zh-CN and en have the same keys', () => {
  const a = flat(zh).map(([k]) => k).sort()
  const b = flat(en).map(([k]) => k).sort()
  assert.deepEqual(a.filter((k) => !b.includes(k)), [], 'keys missing in en')
  assert.deepEqual(b.filter((k) => !a.includes(k)), [], 'keys missing in zh-CN')
})

test('no key is defined both in a base file and in a module file', () => {
  assert.deepEqual(overlaps, [])
})

test('messages use no bare | or @', () => {
  for (const [k, v] of [...flat(zh), ...flat(en)]) {
    const bare = v.replace(/\{'[^']*'\}/g, '')
    // Keys ending in "Count" are plural messages ("{n} day | {n} days"), used through plural().
    assert.ok(!(k.endsWith('Count') ? /@/ : /[|@]/).test(bare), `${k}: ${v}`)
  }
})

test('every message key named in the UI source exists', () => {
  const keys = new Set(flat(zh).map(([k]) => k))
  const missing = []
  for (const f of files('web/src')) {
    const src = readFileSync(f, 'utf8')
    for (const m of src.matchAll(/\bt\(\s*'([a-zA-Z]+\.[\w.]+)'\s*[,)]/g)) if (!keys.has(m[1])) missing.push(`${f}: ${m[1]}`)
    for (const m of src.matchAll(/title: '([a-zA-Z]+\.[a-zA-Z]+)'/g)) if (!keys.has(m[1])) missing.push(`${f}: ${m[1]}`)
  }
  assert.deepEqual(missing, [])
})
