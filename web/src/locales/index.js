// The message catalogues. zh-CN.js and en.js hold the application shell, the shared labels and
// the menus; each module's pages keep their own texts in zh-CN/<module>.js and en/<module>.js.
// They are merged here key by key, so a module file may add keys under a namespace the base file
// already has (service, monitor, ...). A key defined in both keeps the base file's text and is
// reported in `overlaps` (tests/browser/i18n.test.mjs requires none).
import zhBase from './zh-CN.js'
import enBase from './en.js'
import zhService from './zh-CN/service.js'
import enService from './en/service.js'
import zhApproval from './zh-CN/approval.js'
import enApproval from './en/approval.js'
import zhSupervision from './zh-CN/supervision.js'
import enSupervision from './en/supervision.js'
import zhQuality from './zh-CN/quality.js'
import enQuality from './en/quality.js'
import zhMonitor from './zh-CN/monitor.js'
import enMonitor from './en/monitor.js'

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
