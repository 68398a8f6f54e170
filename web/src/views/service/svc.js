// Shared helpers of the enterprise-service pages: Beijing-time formatting of the API's UTC
// seconds, and the labels and tag colours of statuses, sources and 好差评 levels.
export function fmtTs(sec, withTime = true) {
  if (sec === null || sec === undefined || sec === '') return ''
  const s = new Date((Number(sec) + 8 * 3600) * 1000).toISOString()
  return withTime ? s.slice(0, 16).replace('T', ' ') : s.slice(0, 10)
}

export const VISIT_STATUS = {
  planned: ['待确认', 'warning'],
  confirmed: ['已确认', 'primary'],
  completed: ['已完成', 'success'],
  cancelled: ['已取消', 'info'],
}
export const ITEM_STATUS = { open: ['办理中', 'primary'], submitted: ['待审核', 'warning'], closed: ['已办结', 'success'] }
export const ITEM_STATE = {
  on_time: ['正常', 'success'],
  warning: ['预警', 'warning'],
  overdue: ['超期', 'danger'],
  done: ['已办结', 'info'],
}
export const SOURCES = {
  service_form: '上门服务承诺',
  bad_review: '差评整改',
  reception: '接待日交办',
  leader: '领导交办',
  responsibility: '责任清单',
  inspection: '督察反馈整改',
}
export const QUARTER_STATUS = { done: ['已办结', 'success'], in_progress: ['办理中', 'primary'], overdue: ['已超期', 'danger'] }
export const LEVELS = { 5: '非常满意', 4: '满意', 3: '基本满意', 2: '不满意', 1: '非常不满意' }
export const ASPECTS = [
  ['overall', '整体满意度'],
  ['attitude', '服务态度'],
  ['professional', '专业水平'],
  ['efficiency', '服务效率'],
  ['solved', '问题解决情况'],
]
export const CATEGORIES = ['环评审批', '排污许可', '监测', '执法', '技术帮扶', '政策咨询', '其他']
export const PURPOSES = ['调研', '执法', '检查', '督导', '服务']
export const todayBeijing = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
