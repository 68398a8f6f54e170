// The message catalogues. zh-CN.js and en.js hold the application shell, the shared labels and
// the menus; each module's pages keep their own texts in zh-CN/<module>.js and en/<module>.js.
// They are merged here key by key, so a module file may add keys under a namespace the base file
// already has (service, monitor, ...). A key defined in both keeps the base file's text and is
// reported in `overlaps` (tests/browser/i18n.test.mjs requires none).
import zhBase from './locales/zh-CN.js'
import enBase from './locales/en.js'
import zhService from '../modules/service/locales/zh-CN.js'
import enService from '../modules/service/locales/en.js'
import zhApproval from '../modules/approval/locales/zh-CN.js'
import enApproval from '../modules/approval/locales/en.js'
import zhSupervision from '../modules/supervision/locales/zh-CN.js'
import enSupervision from '../modules/supervision/locales/en.js'
import zhQuality from '../modules/quality/locales/zh-CN.js'
import enQuality from '../modules/quality/locales/en.js'
import zhMonitor from '../modules/monitor/locales/zh-CN.js'
import enMonitor from '../modules/monitor/locales/en.js'

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

function build(lang, base, parts) {
  const out = mergeInto({}, base, '', [])
  const seen = []
  for (const part of parts) mergeInto(out, part, '', seen)
  overlaps.push(...seen.map((k) => lang + ': ' + k))
  return out
}

export const messages = {
  'zh-CN': build('zh-CN', zhBase, [zhService, zhApproval, zhSupervision, zhQuality, zhMonitor]),
  en: build('en', enBase, [enService, enApproval, enSupervision, enQuality, enMonitor]),
}
