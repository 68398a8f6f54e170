// Shared helpers of the supervision pages (issue 7): labels (locales/*.js) and tag colours of the
// module's statuses, Beijing dates, the enterprise picker's search (the registry's), and CSV
// downloads.
import { fmtNum, labelMap } from '../../shell/i18n.js'

export const todayBeijing = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)

export function fmtTs(sec, withTime = true) {
  if (sec === null || sec === undefined || sec === '') return ''
  const s = new Date((Number(sec) + 8 * 3600) * 1000).toISOString()
  return withTime ? s.slice(0, 16).replace('T', ' ') : s.slice(0, 10)
}

export const DRAW_STATUS = labelMap('supervision.drawStatus', { committed: 'warning', drawn: 'primary', published: 'success' })
export const ALARM_STATUS = labelMap('supervision.alarmStatus', { new: 'warning', verified: 'primary', dismissed: 'info', case: 'danger' })
export const CASE_STATUS = labelMap('supervision.caseStatus', { open: 'danger', rectifying: 'warning', closed: 'success' })
export const RECT_STATUS = labelMap('supervision.rectStatus', { open: 'warning', done: 'success' })
export const PROPOSAL_STATUS = labelMap('supervision.proposalStatus', { open: 'warning', accepted: 'danger', rejected: 'info' })
export const RESULT = labelMap('supervision.result', { compliant: 'success', issues: 'danger' })
export const GRADE_TYPE = { A: 'success', B: 'primary', C: 'warning', D: 'danger' }
export const DATA_FLAGS = labelMap('supervision.dataFlag', { N: null, F: null, M: null, S: null, D: null, C: null, T: null, B: null })
export const PRESETS = labelMap('supervision.preset', { national: null, jiangxi: null })
export const LIST_NAMES = labelMap('supervision.listName', { honest: null, watch: null, rectify: null, black: null })
export const LIST_TYPE = { honest: 'success', watch: 'warning', rectify: 'danger', black: 'danger' }

/** Enterprises matching `q` (name or credit code), for remote el-select pickers: the registry's. */
export { searchEnterprises } from '../registry/api.js'

/** 元 from the API's 分, in the current language's number notation. */
export const yuan = (fen) => (fen === null || fen === undefined ? '' : fmtNum(Number(fen) / 100, { minimumFractionDigits: 2 }))

/** The parsed JSON column `name_json` of a row, or `fallback`. */
export function jsonCol(row, name, fallback = null) {
  const v = row[name + '_json'] ?? row[name]
  if (v === null || v === undefined) return fallback
  if (typeof v !== 'string') return v
  try {
    return JSON.parse(v)
  } catch {
    return fallback
  }
}
