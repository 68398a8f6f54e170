// Shared helpers of the monitoring pages (issue 3, docs/monitoring.md): the factor and station
// kind tables from /monitor/factors (fetched once), display units, Beijing times, data flags,
// ecogov's quality marks, command names and who may write.
import { reactive } from 'vue'
import { api } from '../../shell/api.js'
import { session } from '../../shell/session.js'
import { i18n, joinList, labelMap } from '../../shell/i18n.js'

const t = (k, v) => i18n.global.t(k, v)

export const WRITERS = ['admin', 'staff']
export const canWrite = () => !!session.user && WRITERS.includes(session.user.role)
export const isEnterprise = () => !!session.user && session.user.role === 'enterprise'

const tables = reactive({ factors: {}, kinds: [], loaded: false })
let loading = null

/** Loads the factor and station-kind tables once; resolves to the reactive tables. */
export function loadTables() {
  if (!loading) {
    loading = api.get('/monitor/factors').then((r) => {
      for (const f of r.factors) tables.factors[f.code] = f
      tables.kinds = r.kinds
      tables.loaded = true
      return tables
    }).catch((e) => {
      loading = null
      throw e
    })
  }
  return loading
}
export { tables }

export const AIR_KINDS = ['national', 'provincial', 'micro']
// Labels are read from locales/*.js (monitor.ui) on every access, so they follow the
// language switch.
export const KIND_LABELS = labelMap('monitor.ui.kind', { national: null, provincial: null, micro: null, water: null, source_gas: null, source_water: null })
export const kindLabel = (k) => KIND_LABELS[k] || k

/** Display name of a stored factor code ("a21026-Zs" = its 折算 value). */
export function factorName(code) {
  const zs = code.endsWith('-Zs')
  const base = zs ? code.slice(0, -3) : code
  const f = tables.factors[base]
  return (f ? f.name : base) + (zs ? t('monitor.ui.zs') : '')
}

const PRETTY_UNITS = { 'ug/m3': 'µg/m³', 'mg/m3': 'mg/m³', 'm3/s': 'm³/s', degC: '°C', deg: '°', 'uS/cm': 'µS/cm' }
export const prettyUnit = (u) => PRETTY_UNITS[u] ?? u ?? ''

/** Canonical unit of a factor at a station of this kind (air µg/m³ except CO, else mg/m³ / mg/L). */
export function unitOf(code, stationKind) {
  const f = tables.factors[code.replace(/-Zs$/, '')]
  if (!f) return ''
  return prettyUnit(AIR_KINDS.includes(stationKind) && f.unit_air ? f.unit_air : f.unit)
}

/** 'YYYY-MM-DD HH:MM' in Beijing time of UTC seconds. */
export function fmtTs(sec, withSeconds = false) {
  if (sec === null || sec === undefined || sec === '') return ''
  const s = new Date((Number(sec) + 8 * 3600) * 1000).toISOString()
  return s.slice(0, withSeconds ? 19 : 16).replace('T', ' ')
}
/** 'YYYY-MM-DD HH:MM:SS' of an ISO time with offset, as the API sends it. */
export const fmtIso = (iso) => (iso ? iso.slice(0, 19).replace('T', ' ') : '')
export const todayBeijing = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
/** 14-digit Beijing time (HJ 212 BeginTime/EndTime) of a Date. */
export function hjTime(d) {
  const s = new Date(d.getTime() + 8 * 3600 * 1000).toISOString()
  return s.slice(0, 4) + s.slice(5, 7) + s.slice(8, 10) + s.slice(11, 13) + s.slice(14, 16) + s.slice(17, 19)
}

export const DATA_FLAGS = labelMap('monitor.ui.flag', { N: null, F: null, M: null, S: null, D: null, C: null, T: null, B: null })
const QUAL_BITS = [1, 2, 4, 8, 16]
/** Human text of a readings.qual bit set (empty for 0). */
export const qualText = (q) => joinList(QUAL_BITS.filter((b) => q & b).map((b) => t(`monitor.ui.qual.b${b}`)))

// [kind, CN, label] with the label read on every render.
export const RECORD_KINDS = [
  ['minute', 2],
  ['hour', 3],
  ['day', 4],
].map((k) => Object.defineProperty(k, 2, { enumerable: true, get: () => t(`monitor.ui.record.${k[0]}`) }))

/** code → label read from `prefix.<letter><code>` (numeric codes need a letter in a message key). */
function numberedLabels(prefix, letter, codes) {
  const out = {}
  for (const c of codes) Object.defineProperty(out, c, { enumerable: true, get: () => t(`${prefix}.${letter}${c}`) })
  return out
}
export const COMMANDS = numberedLabels('monitor.ui.cmd', 'c', [1011, 1012, 1062, 1064, 2031, 2051, 2061])
export const COMMAND_STATUS = labelMap('monitor.ui.cmdStatus', { queued: 'info', sent: 'primary', accepted: 'primary', done: 'success', failed: 'danger', timeout: 'warning' })
export const QN_RTN = numberedLabels('monitor.ui.qnRtn', 'r', [1, 2, 3, 4, 5, 6, 7, 8, 9, 100])
export const EXE_RTN = numberedLabels('monitor.ui.exeRtn', 'r', [1, 2, 3, 4, 5, 6, 100])

export const UNREG_REASONS = labelMap('monitor.ui.unreg', { unknown_mn: null, bad_pw: null, inactive: null })
/** Why the listener rejected frames (frame_rejects.reason; the refusals are UNREG_REASONS'). */
export const REJECT_REASONS = labelMap('monitor.ui.reject', { bad_crc: null, bad_header: null, bad_length: null, too_long: null, bad_syntax: null, missing_field: null, too_many_items: null, junk: null, unknown_mn: null, bad_pw: null, inactive: null })

/** Shows an API error the way every page does (the shell's, re-exported for the monitor views). */
export { showError } from '../../shell/meta.js'
