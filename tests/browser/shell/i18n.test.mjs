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

// Issue #17 item 11: the notices the server composes carry their kind and parameters; the UI writes
// the kind's sentence (notifications.msg.<kind>) in its language. Every kind the server notifies
// with has a sentence and a label in both languages, with the same placeholders.
test('every notice kind the server sends has its sentence in both languages', () => {
  const cFiles = (dir) => readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f)
    return statSync(p).isDirectory() ? cFiles(p) : f.endsWith('.c') ? [p] : []
  })
  const src = cFiles('src/modules')
  const kinds = new Set()
  for (const f of src) {
    const text = readFileSync(f, 'utf8')
    if (!/svc_notify|svc_sched_notify|resp_notify_enterprise/.test(text)) continue
    for (const m of text.matchAll(/\bsvc_notify\w*\([^;]*?"([a-z_]+)",\s*msg\b/g)) kinds.add(m[1])
    for (const m of text.matchAll(/\bkind = "([a-z_]+)"/g)) kinds.add(m[1])
    for (const m of text.matchAll(/ukind = approve \? "([a-z_]+)" : "([a-z_]+)"/g)) kinds.add(m[1]).add(m[2])
    for (const m of text.matchAll(/resp_notify_enterprise\([^,]+,\s*\w+,\s*"([a-z_]+)"/g)) kinds.add(m[1])
  }
  assert.ok(src.length > 0)
  assert.ok(kinds.size >= 10, [...kinds].join(' '))
  const holes = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
  for (const k of kinds) {
    for (const [lang, cat] of [['zh-CN', zh], ['en', en]]) {
      assert.equal(typeof cat.notifications.msg[k], 'string', `${lang} notifications.msg.${k}`)
      assert.equal(typeof cat.notifications.kind[k], 'string', `${lang} notifications.kind.${k}`)
    }
    assert.deepEqual(holes(en.notifications.msg[k]), holes(zh.notifications.msg[k]), k)
  }
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

// Issue #17 item 11: tracker titles the server composes (svc_item_insert_json with title params)
// are written by the UI from service.itemTitle.<source> — or .<sentence> when the params name one —
// with the params the server passes; water classes from their stable codes (domain/water.c).
test('every composed tracker title and water class has its text in both languages', () => {
  const cFiles = (dir) => readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f)
    return statSync(p).isDirectory() ? cFiles(p) : f.endsWith('.c') ? [p] : []
  })
  const sentences = new Set()
  for (const f of cFiles('src/modules')) {
    const text = readFileSync(f, 'utf8')
    for (const m of text.matchAll(/svc_item_insert_json\(\s*[^,]+,\s*([^,]+),[^;]*?,\s*title,\s*(\w+),/g)) {
      if (m[2] === 'NULL' || text.includes('"sentence"')) continue // a file naming its sentences: below
      for (const s of m[1].matchAll(/"([a-z_]+)"/g)) sentences.add(s[1])
    }
    for (const m of text.matchAll(/"sentence",\s*([^,]+?)\s*,/g)) for (const s of m[1].matchAll(/"([a-z_]+)"/g)) sentences.add(s[1])
  }
  // the sources the river and village modules compose titles for, among them
  for (const s of ['river_patrol', 'river_citizen', 'river_section', 'village_stop', 'village_exceed']) assert.ok(sentences.has(s), [...sentences].join(' '))
  const holes = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
  for (const s of sentences) {
    assert.equal(typeof zh.service.itemTitle[s], 'string', `zh-CN service.itemTitle.${s}`)
    assert.equal(typeof en.service.itemTitle[s], 'string', `en service.itemTitle.${s}`)
    assert.deepEqual(holes(en.service.itemTitle[s]), holes(zh.service.itemTitle[s]), s)
  }
  const water = readFileSync('src/domain/water.c', 'utf8')
  const codes = [...water.match(/codes\[\] = \{([^}]*)\}/)[1].matchAll(/"(\w+)"/g)].map((m) => m[1])
  assert.equal(codes.length, 6)
  for (const c of codes) {
    assert.equal(typeof zh.quality.waterClass[c], 'string', `zh-CN quality.waterClass.${c}`)
    assert.equal(typeof en.quality.waterClass[c], 'string', `en quality.waterClass.${c}`)
  }
})
