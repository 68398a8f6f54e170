// Shared helpers of the monitoring pages (issue 3, docs/monitoring.md): the factor and station
// kind tables from /monitor/factors (fetched once), display units, Beijing times, data flags,
// ecogov's quality marks, command names and who may write.
import { reactive } from 'vue'
import { api } from '../../api.js'
import { session } from '../../session.js'

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
export const KIND_LABELS = {
  national: '国控空气站',
  provincial: '省控空气站',
  micro: '空气微站',
  water: '水质自动站',
  source_gas: '废气排放口',
  source_water: '废水排放口',
}
export const kindLabel = (k) => KIND_LABELS[k] || k

/** Display name of a stored factor code ("a21026-Zs" = its 折算 value). */
export function factorName(code) {
  const zs = code.endsWith('-Zs')
  const base = zs ? code.slice(0, -3) : code
  const f = tables.factors[base]
  return (f ? f.name : base) + (zs ? '（折算）' : '')
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

export const DATA_FLAGS = {
  N: '正常',
  F: '停运',
  M: '维护',
  S: '设定值',
  D: '故障',
  C: '校准',
  T: '超测量上限',
  B: '通讯异常',
}
const QUAL_BITS = [
  [1, '设备时钟未设置'],
  [2, '时间超前'],
  [4, '浓度为负'],
  [8, '补传'],
  [16, '无数据时间'],
]
/** Human text of a readings.qual bit set (empty for 0). */
export const qualText = (q) => QUAL_BITS.filter(([b]) => q & b).map(([, t]) => t).join('、')

export const RECORD_KINDS = [
  ['minute', 2, '分钟数据'],
  ['hour', 3, '小时数据'],
  ['day', 4, '日数据'],
]

export const COMMANDS = {
  1011: '提取现场机时间',
  1012: '设置现场机时间',
  1062: '设置实时数据间隔',
  1064: '设置分钟数据间隔',
  2031: '补传日数据',
  2051: '补传分钟数据',
  2061: '补传小时数据',
}
export const COMMAND_STATUS = {
  queued: ['排队中', 'info'],
  sent: ['已发送', 'primary'],
  accepted: ['已应答', 'primary'],
  done: ['执行成功', 'success'],
  failed: ['执行失败', 'danger'],
  timeout: ['超时', 'warning'],
}
export const QN_RTN = { 1: '准备执行请求', 2: '请求被拒绝', 3: 'PW 错误', 4: 'MN 错误', 5: 'ST 错误', 6: 'Flag 错误', 7: 'QN 错误', 8: 'CN 错误', 9: 'CRC 校验错误', 100: '未知错误' }
export const EXE_RTN = { 1: '执行成功', 2: '执行失败，原因未知', 3: '命令请求条件错误', 4: '通讯超时', 5: '系统繁忙不能执行', 6: '系统故障', 100: '没有数据' }

export const UNREG_REASONS = { unknown_mn: '未登记的 MN', bad_pw: '密码错误', inactive: '设备已停用' }

/** Shows an API error the way every page does. */
export function showError(e) {
  ElMessage.error(e && e.message ? e.message : String(e))
}
