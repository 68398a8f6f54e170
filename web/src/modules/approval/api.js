// Shared helpers of the EIA approval pages: labels and tag colours of statuses, routes, pause
// kinds, reminders and siting verdicts (texts in locales/*.js), and the `today` used for
// clocks (the API computes the clocks for ?today=, so a reviewer can look at a case as of any day).
import { fmtNum, i18n, labelMap, plural, valueLabel } from '../../shell/i18n.js'

const t = (k, v) => i18n.global.t(k, v)

export const STATUS = labelMap('approval.status', {
  submitted: 'warning',
  correction: 'warning',
  accepted: 'primary',
  approved: 'success',
  refused: 'danger',
  revoked: 'danger',
  withdrawn: 'info',
  terminated: 'info',
  filed: 'success',
  exempt: 'info',
})
export const ROUTE = labelMap('approval.route', { standard: null, commitment: null, exempt: null, filing: null })
export const PAUSE_KIND = labelMap('approval.pauseKind', { technical_evaluation: null, expert_review: null, hearing: null, revision: null, public_notice: null })
export const EVENT = labelMap(
  'approval.event',
  Object.fromEntries(
    ['submitted', 'filed', 'correction', 'resubmit', 'accept', 'supplement', 'supplement_failed', 'pause', 'resume', 'pre_approval_notice', 'decide', 'revoke', 'green', 'rereview_request', 'rereview_decide', 'postcheck', 'postcheck_rectified', 'withdraw', 'notice_correct', 'material', 'signoff_draft', 'signoff_review', 'signoff_sign', 'signoff_return'].map((k) => [k, null]),
  ),
)
export const NOTICE_KIND = labelMap('approval.noticeKind', {
  accept: 'primary',
  pre_approval: 'warning',
  decision: 'success',
  revocation: 'danger',
  withdrawal: 'info',
  correction: 'warning',
})
// The mark a later notice (revocation, withdrawal, correction) puts on the one it names.
export const NOTICE_MARK = labelMap('approval.noticeMark', { revocation: 'danger', withdrawal: 'info', correction: 'warning' })
export const REMIND_KIND = labelMap('approval.remindKind', { rongque: null, correction: null, promised: null, rereview: null, postcheck: null, rectify: null })
export const LEVEL = labelMap('approval.level', { info: 'info', warning: 'warning', overdue: 'danger' })
export const CLOCK_STATUS = labelMap('approval.clockStatus', { running: 'success', warning: 'warning', overdue: 'danger', stopped: 'info' })
export const REREVIEW = labelMap('approval.rereview', { pending: 'warning', deemed: 'success', agree: 'success', refuse: 'danger' })
// 告知承诺 事后核查: the states the API computes for `today`, the check's result and outcome.
export const POSTCHECK_STATE = labelMap('approval.postcheckState', {
  pending: 'warning',
  overdue: 'danger',
  conform: 'success',
  rectifying: 'warning',
  rectify_overdue: 'danger',
  rectified: 'success',
  revoked: 'danger',
})
export const PC_RESULT = labelMap('approval.pcResult', { conform: null, nonconform: null })
export const PC_OUTCOME = labelMap('approval.pcOutcome', { revoke: null, rectify: null })
// The grounds for refusal (条例第十一条), [number, text] with the text read on every render.
export const GROUNDS = [1, 2, 3, 4, 5].map((n) => Object.defineProperty([n], 1, { enumerable: true, get: () => t(`approval.ground.g${n}`) }))
export const CLASS_COLOUR = { 1: '#2e8b57', 2: '#d9534f', 3: '#e0a526' }
// Siting verdicts are stored on applications by their Chinese names; reports also carry the code.
const VERDICT_CODE = { 禁止: 'prohibit', 限制: 'restrict', 允许: 'allow', 未落入管控单元: 'none' }
export const VERDICT = { 禁止: 'danger', 限制: 'warning', 允许: 'success' }
export const verdictLabel = valueLabel('approval.verdict', VERDICT_CODE)
// Values stored as Chinese names: the EIA category, the nature of construction.
export const CATEGORIES = ['报告书', '报告表', '登记表']
export const categoryLabel = valueLabel('approval.category', { 报告书: 'report', 报告表: 'table', 登记表: 'registration' })
export const NATURES = ['新建', '扩建', '迁建', '技改']
export const natureLabel = valueLabel('approval.nature', { 新建: 'new', 扩建: 'expand', 迁建: 'relocate', 技改: 'upgrade' })

/** An amount in 万元 (10,000 yuan): "1.20 亿元" / "350 万元" in Chinese, "3.5 million yuan" in English. */
export function amountText(wan) {
  const v = Number(wan) || 0
  return t(v >= 10000 ? 'approval.amountBig' : 'approval.amount', { wan: v.toFixed(0), yi: (v / 10000).toFixed(2), m: fmtNum(v / 100, { maximumFractionDigits: 2 }) })
}

/**
 * The checklist items of an application (`list`: materials_config or material_files) with the state
 * of each as the case records it: given, supplemented (under 容缺), waivable (owed) or core (missing).
 */
export function materialStates(app, list) {
  const d = app.data
  const rq = d.rongque ? d.rongque.items || [] : []
  return (list || []).map((m) => {
    const have = (d.materials || []).includes(m.key)
    const state = have ? (rq.includes(m.key) ? 'supplemented' : 'given') : (d.missing || []).includes(m.key) ? 'waivable' : 'core'
    return { ...m, state }
  })
}

/** Today in Beijing as YYYY-MM-DD. */
export function todayBeijing() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
}
/** "剩余 N 个工作日" / "已超期 N 日" for a clock. */
export function clockText(c) {
  if (!c) return ''
  const unit = c.unit === 'days' ? 'Days' : 'Workdays'
  if (c.status === 'stopped') return t('approval.clock.usedOf', { used: c.used, limit: c.limit })
  if (c.remaining < 0) return plural(`approval.clock.overdue${unit}Count`, -c.remaining)
  return plural(`approval.clock.left${unit}Count`, c.remaining)
}
export function remindText(r) {
  return r.left < 0 ? plural('approval.remind.overdueCount', -r.left) : r.left === 0 ? t('approval.remind.today') : plural('approval.remind.leftCount', r.left)
}
