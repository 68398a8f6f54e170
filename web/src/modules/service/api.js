// Shared helpers of the enterprise-service pages: Beijing-time formatting of the API's UTC
// seconds, and the labels and tag colours of statuses, sources and 好差评 levels.
import { i18n } from '../../shell/i18n.js'

const t = (k) => i18n.global.t(k)
export function fmtTs(sec, withTime = true) {
  if (sec === null || sec === undefined || sec === '') return ''
  const s = new Date((Number(sec) + 8 * 3600) * 1000).toISOString()
  return withTime ? s.slice(0, 16).replace('T', ' ') : s.slice(0, 10)
}

// Labels are looked up in the `service` messages on every read, so the tables follow the
// language switch: LABEL[key] is the text (or [text, tag type]).
function labels(prefix, entries) {
  const out = {}
  for (const [k, type] of Object.entries(entries)) {
    Object.defineProperty(out, k, {
      enumerable: true,
      get: () => (type === null ? t(`${prefix}.${k}`) : [t(`${prefix}.${k}`), type]),
    })
  }
  return out
}

export const VISIT_STATUS = labels('service.visitStatus', { planned: 'warning', confirmed: 'primary', completed: 'success', cancelled: 'info' })
export const ITEM_STATUS = labels('service.itemStatus', { open: 'primary', submitted: 'warning', closed: 'success' })
export const ITEM_STATE = labels('service.itemState', { on_time: 'success', warning: 'warning', overdue: 'danger', done: 'info' })
export const SOURCES = labels('service.source', { service_form: null, bad_review: null, reception: null, leader: null, responsibility: null, inspection: null })
export const QUARTER_STATUS = labels('service.quarterStatus', { done: 'success', in_progress: 'primary', overdue: 'danger' })
const LEVEL_TEXT = labels('service.level', { l5: null, l4: null, l3: null, l2: null, l1: null })
export const LEVELS = Object.defineProperties({}, Object.fromEntries([5, 4, 3, 2, 1].map((n) => [n, { enumerable: true, get: () => LEVEL_TEXT['l' + n] }])))
const ASPECT_KEYS = ['overall', 'attitude', 'professional', 'efficiency', 'solved']
// [key, label] pairs; the label is read on every render.
export const ASPECTS = ASPECT_KEYS.map((k) => Object.defineProperty([k], 1, { enumerable: true, get: () => t(`service.aspect.${k}`) }))
// Issue categories and visit purposes are stored by the API as their Chinese names (the value
// sent and returned); the pages show them through the `service.category` / `service.purpose`
// messages, and an unknown value as it is.
const CATEGORY_KEYS = { 环评审批: 'eia', 排污许可: 'permit', 监测: 'monitoring', 执法: 'enforcement', 技术帮扶: 'techHelp', 政策咨询: 'policy', 其他: 'other' }
const PURPOSE_KEYS = { 调研: 'research', 执法: 'enforcement', 检查: 'inspection', 督导: 'guidance', 服务: 'service' }
export const CATEGORIES = Object.keys(CATEGORY_KEYS)
export const PURPOSES = Object.keys(PURPOSE_KEYS)
export const categoryLabel = (v) => (CATEGORY_KEYS[v] ? t(`service.category.${CATEGORY_KEYS[v]}`) : v)
export const purposeLabel = (v) => (PURPOSE_KEYS[v] ? t(`service.purpose.${PURPOSE_KEYS[v]}`) : v)
export const todayBeijing = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
