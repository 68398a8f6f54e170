// Shared helpers of the supervision pages (issue 7): labels and tag colours of the module's
// statuses, Beijing dates, the enterprise picker's search, and CSV downloads.
import { api } from '../../api.js'

export const todayBeijing = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)

export function fmtTs(sec, withTime = true) {
  if (sec === null || sec === undefined || sec === '') return ''
  const s = new Date((Number(sec) + 8 * 3600) * 1000).toISOString()
  return withTime ? s.slice(0, 16).replace('T', ' ') : s.slice(0, 10)
}

export const DRAW_STATUS = {
  committed: ['已承诺种子', 'warning'],
  drawn: ['已抽取（保密）', 'primary'],
  published: ['已公开', 'success'],
}
export const ALARM_STATUS = {
  new: ['待核实', 'warning'],
  verified: ['已核实', 'primary'],
  dismissed: ['已排除', 'info'],
  case: ['已立案', 'danger'],
}
export const CASE_STATUS = { open: ['已立案', 'danger'], rectifying: ['整改中', 'warning'], closed: ['已结案', 'success'] }
export const RECT_STATUS = { open: ['整改中', 'warning'], done: ['已完成', 'success'] }
export const PROPOSAL_STATUS = { open: ['待决定', 'warning'], accepted: ['已移出', 'danger'], rejected: ['不予移出', 'info'] }
export const RESULT = { compliant: ['未发现问题', 'success'], issues: ['发现问题', 'danger'] }
export const GRADE_TYPE = { A: 'success', B: 'primary', C: 'warning', D: 'danger' }
export const DATA_FLAGS = {
  N: '正常 N',
  F: '停运 F',
  M: '维护 M',
  S: '设定值 S',
  D: '故障 D',
  C: '校准 C',
  T: '超测量上限 T',
  B: '通讯异常 B',
}
export const PRESETS = { national: '国家通用分类（重点 / 一般 / 特殊）', jiangxi: '江西 a / b / c 分类' }
export const LIST_NAMES = {
  honest: '守信名单',
  watch: '重点监督检查名单',
  rectify: '限期整改名单',
  black: '黑名单',
}
export const LIST_TYPE = { honest: 'success', watch: 'warning', rectify: 'danger', black: 'danger' }

/** Enterprises matching `q` (name or credit code), for remote el-select pickers. */
export async function searchEnterprises(q) {
  return (await api.get('/enterprises', { q, limit: 20 })).items
}

/** 元 from the API's 分. */
export const yuan = (fen) => (fen === null || fen === undefined ? '' : (Number(fen) / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2 }))

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
