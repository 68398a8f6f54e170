// The message catalogues: the shell's own texts (locales/zh-CN.js, locales/en.js: the frame, the
// shared labels, login and the public home) and each module's (modules/<module>/locales/), merged
// key by key in the order of modules/index.js, so a module may add keys under a namespace another
// file already has (nav, ...). A key defined twice keeps the first text and is reported in
// `overlaps` (tests/browser/shell/i18n.test.mjs requires none).
import zhBase from './locales/zh-CN.js'
import enBase from './locales/en.js'
import { modules } from '../modules/index.js'

/** Deep-merges `part` into `into` (mutating it); leaf keys already present are kept and listed. */
function mergeInto(into, part, path, overlaps) {
  for (const [k, v] of Object.entries(part)) {
    const p = path ? path + '.' + k : k
    const have = into[k]
    if (have === undefined) into[k] = v && typeof v === 'object' ? mergeInto({}, v, p, overlaps) : v
    else if (have && typeof have === 'object' && v && typeof v === 'object') mergeInto(have, v, p, overlaps)
    else overlaps.push(p)
  }
  return into
}

export const overlaps = []

function build(lang, base) {
  const out = mergeInto({}, base, '', [])
  const seen = []
  for (const m of modules) mergeInto(out, m.messages[lang], '', seen)
  overlaps.push(...seen.map((k) => lang + ': ' + k))
  return out
}

export const messages = {
  'zh-CN': build('zh-CN', zhBase),
  en: build('en', enBase),
}
