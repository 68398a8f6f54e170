// The two message catalogues stay in step: the same keys in zh-CN and en (the shell's files and
// each module's, web/src/modules/<module>/locales/, merged by web/src/shell/locales.js, no key
// defined twice), no Chinese text in English, every key the UI source names exists, and no message
// trips vue-i18n's syntax (a bare | is a plural separator, a bare @ a linked message; only keys
// ending in Count hold plural forms). Needs no browser or server.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { messages, overlaps } from '../../../web/src/shell/locales.js'
import { modules } from '../../../web/src/modules/index.js'
import zhShell from '../../../web/src/shell/locales/zh-CN.js'
import enShell from '../../../web/src/shell/locales/en.js'

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

test('the shell and every module have the same keys in zh-CN and en', () => {
  const parts = [['shell', zhShell, enShell], ...modules.map((m) => [m.name, m.messages['zh-CN'], m.messages.en])]
  assert.ok(modules.length >= 7, 'modules listed in web/src/modules/index.js')
  for (const [name, zhPart, enPart] of parts) {
    const a = flat(zhPart).map(([k]) => k).sort()
    const b = flat(enPart).map(([k]) => k).sort()
    assert.deepEqual(a.filter((k) => !b.includes(k)), [], `${name}: keys missing in en`)
    assert.deepEqual(b.filter((k) => !a.includes(k)), [], `${name}: keys missing in zh-CN`)
  }
})

test('no English message holds Chinese text', () => {
  const cjk = /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]/
  assert.deepEqual(flat(en).filter(([, v]) => cjk.test(v)).map(([k, v]) => `${k}: ${v}`), [])
})

test('no key is defined twice (in the shell and a module, or in two modules)', () => {
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
