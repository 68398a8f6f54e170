// Shared helpers of the EIA approval pages: labels and tag colours of statuses, routes, pause
// kinds, reminders and siting verdicts, and the `today` used for clocks (the API computes the
// clocks for ?today=, so a reviewer can look at a case as of any day).
export const STATUS = {
  submitted: ['初审预办', 'warning'],
  correction: ['待补正', 'warning'],
  accepted: ['审查中', 'primary'],
  approved: ['已批准', 'success'],
  refused: ['不予批准', 'danger'],
  revoked: ['已撤销', 'danger'],
  terminated: ['已终止', 'info'],
  filed: ['已备案', 'success'],
  exempt: ['豁免环评', 'info'],
}
export const ROUTE = { standard: '一般审批', commitment: '告知承诺', exempt: '正面清单豁免', filing: '登记表备案' }
export const PAUSE_KIND = {
  technical_evaluation: '技术评估',
  expert_review: '专家评审',
  hearing: '听证',
  revision: '申请人修改',
  public_notice: '公示',
}
export const EVENT = {
  submitted: '提交申请（初审预办）',
  filed: '登记表备案',
  correction: '一次性告知补正',
  resubmit: '补正后重新提交',
  accept: '受理',
  supplement: '补交容缺材料',
  supplement_failed: '容缺未补正，终止审批',
  pause: '暂停计时',
  resume: '恢复计时',
  pre_approval_notice: '拟批复公示',
  decide: '审批决定',
  revoke: '撤销（告知承诺核查）',
  green: '纳入绿色通道',
  rereview_request: '申请重新审核（超五年开工）',
  rereview_decide: '重新审核答复',
  postcheck: '告知承诺事后核查',
  postcheck_rectified: '事后核查整改复查',
}
export const NOTICE_KIND = { accept: ['受理公示', 'primary'], pre_approval: ['拟批复公示', 'warning'], decision: ['审批决定公告', 'success'] }
export const REMIND_KIND = { rongque: '容缺补正', correction: '补正告知', promised: '承诺时限', rereview: '重新审核', postcheck: '事后核查', rectify: '核查整改' }
export const LEVEL = { info: ['正常', 'info'], warning: ['临期', 'warning'], overdue: ['已逾期', 'danger'] }
export const CLOCK_STATUS = { running: ['计时中', 'success'], warning: ['临期预警', 'warning'], overdue: ['已超期', 'danger'], stopped: ['已停止', 'info'] }
export const REREVIEW = { pending: ['待答复', 'warning'], deemed: ['逾期视为同意', 'success'], agree: ['审核同意', 'success'], refuse: ['审核不同意', 'danger'] }
// 告知承诺 事后核查: the states the API computes for `today`, the check's result and outcome.
export const POSTCHECK_STATE = {
  pending: ['待核查', 'warning'],
  overdue: ['核查逾期', 'danger'],
  conform: ['核查符合', 'success'],
  rectifying: ['整改中', 'warning'],
  rectify_overdue: ['整改逾期', 'danger'],
  rectified: ['整改到位', 'success'],
  revoked: ['已撤销', 'danger'],
}
export const PC_RESULT = { conform: '符合', nonconform: '不符合' }
export const PC_OUTCOME = { revoke: '撤销审批', rectify: '责令整改' }
export const GROUNDS = [
  [1, '类型及选址、布局、规模等不符合法律法规和法定规划'],
  [2, '区域环境质量未达标且措施不能满足改善目标'],
  [3, '污染防治措施无法确保达标排放或未采取必要生态措施'],
  [4, '改扩建、技改项目未针对原有污染提出有效防治措施'],
  [5, '基础资料明显不实，内容存在重大缺陷、遗漏或结论不明确'],
]
export const CLASS_COLOUR = { 1: '#2e8b57', 2: '#d9534f', 3: '#e0a526' }
export const CLASS_NAME = { 1: '优先保护', 2: '重点管控', 3: '一般管控' }
export const VERDICT = { 禁止: 'danger', 限制: 'warning', 允许: 'success' }

/** Today in Beijing as YYYY-MM-DD. */
export function beijingToday() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
}
/** "剩余 N 个工作日" / "超期 N 天" for a clock. */
export function clockText(c) {
  if (!c) return ''
  if (c.status === 'stopped') return `已用 ${c.used} / ${c.limit}`
  if (c.remaining < 0) return `已超期 ${-c.remaining} ${c.unit === 'days' ? '日' : '个工作日'}`
  return `剩余 ${c.remaining} ${c.unit === 'days' ? '日' : '个工作日'}`
}
export function remindText(r) {
  return r.left < 0 ? `逾期 ${-r.left} 天` : r.left === 0 ? '今日到期' : `剩 ${r.left} 个工作日`
}
