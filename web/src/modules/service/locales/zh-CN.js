// 简体中文 · 企业服务 pages (上门服务, 接待日, 督办, 服务统计). Keys must match en/service.js.
export default {
  service: {
    // Values the API stores as Chinese text: the select shows these labels, sends the value.
    category: { eia: '环评审批', permit: '排污许可', monitoring: '监测', enforcement: '执法', techHelp: '技术帮扶', policy: '政策咨询', other: '其他' },
    purpose: { research: '调研', enforcement: '执法', inspection: '检查', guidance: '督导', service: '服务' },
    visits: {
      plan: '安排上门服务', planned: '已安排上门服务', rating: '评价', purposeLong: '服务事由', place: '服务地点',
      entPlaceholder: '输入企业名称或信用代码', staffHint: '执法须两人及以上，第一位为主办', staffOption: '{name}（{section}）',
    },
    sheet: {
      title: '上门服务单 · {name}', phoneConfirm: '记录电话确认', phonePrompt: '电话确认情况（联系人、时间）', phoneTitle: '电话确认', phoneInput: '电话确认：',
      makeLink: '生成填写二维码', print: '打印服务单', entName: '企业名称', uscc: '统一社会信用代码', confirmation: '预约确认',
      byPortal: '企业网上确认', byPhone: '电话确认', unconfirmed: '未确认', section: '责任科室', qrAlt: '二维码',
      qrHint: '请企业扫码或打开链接填写服务单（一次有效）', validUntil: '有效期至 {time}',
      issues: '企业问题诉求', notFilled: '企业尚未填写', issueDesc: '问题描述', answerCol: '答复 / 办理', answerPlaceholder: '现场答复意见', assigned: '已交办 #{id}',
      review: '企业评价', evaluation: '评价意见', suggestions: '意见建议', signer: '签字人', badReview: '差评：已自动生成回访整改督办事项', notRated: '企业尚未评价',
      helpTitle: '现场帮扶与承诺事项', helpPlaceholder: '现场帮扶情况', promise: '承诺事项', promiseIssue: '对应问题', workdays: '个工作日', addPromise: '添加承诺事项',
      items: '督办事项', deadline: '期限',
    },
    form: {
      head: '上门服务单 · 企业评价', done: '提交成功', doneSub: '感谢您的评价，我们将认真对待您的意见。', issues: '问题诉求',
      issuePlaceholder: '请描述遇到的环保问题', addIssue: '+ 添加问题', rating: '服务评价', evaluation: '评价意见', suggestions: '意见建议',
      sign: '签字确认', signer: '签字人姓名', phone: '联系电话',
    },
    days: {
      title: '接待日', plan: '安排接待日', accepted: '已受理', kind: '类型', kindPublic: '服务群众', kindEnterprise: '服务企业',
      leaders: '接待领导', place: '地点', booked: '预约', received: '接待', issues: '受理问题',
      status: { scheduled: '待举办', held: '已举办', cancelled: '已取消' },
      publicDay: '服务群众接待日', enterpriseDay: '服务企业接待日', noEntries: '暂无预约或登记',
      way: '方式', byBooking: '预约', walkIn: '现场', org: '企业/单位', citizen: '群众', visitor: '来访人', people: '人数', topic: '反映事项',
      entryStatus: { booked: '已预约', received: '已接待', cancelled: '已取消' },
      register: '现场登记', name: '姓名', orgPlaceholder: '企业/单位（群众可不填）', phone: '电话', registerBtn: '登记',
      none: '暂无', issue: '问题', handling: '办理', answered: '当场答复', committed: '交办承诺', answerOrSection: '答复/责任科室', deadlineSuffix: '{section} · 期限 {deadline}',
      pickVisitor: '选择已登记的来访人', issueDesc: '问题描述', resolution: '办理方式', committedLong: '交办承诺（纳入督办）', answer: '答复意见',
      section: '责任科室', withinWorkdays: '个工作日内办结', accept: '受理', capacity: '预约名额',
    },
    stats: {
      title: '服务统计', dashboard: '领导驾驶舱', visits: '上门服务', forms: '服务单', satisfaction: '满意率', badOpen: '差评待整改', warning: '预警事项',
      overdue: '超期事项', onTimeRate: '按期办结率', trend: '月度服务与满意率', sources: '督办事项来源', alerts: '需关注的事项', month: '{n}月', times: '次',
      stats: '服务统计', bySection: '按科室', byStaff: '按人员', name: '名称', avgRating: '平均评分', badReviews: '差评', items: '督办事项', closed: '已办结', avgDays: '平均办理天数',
      quarterly: '季度调度', quarter: '第{n}季度', assigned: '交办', closedDay: '办结',
      quarterSummary: '截至 {asOf}：共 {items} 项承诺，已办结 {done} 项（其中逾期办结 {late} 项），办理中 {progress} 项，已超期 {overdue} 项。',
      annual: '年度统计',
      annualSummary: '{year} 年共举办接待日 {days} 次，接待企业 {ents} 家、群众和企业代表 {people} 人次，现场受理问题 {issues} 件，当场答复 {answered} 件，交办后办结 {solved} 件，办理中 {progress} 件，超期 {overdue} 件；答复解决率 {rate}。',
      receivedPeople: '接待人次',
    },
    tracker: {
      title: '督办事项', create: '新建督办', createTitle: '新建督办事项', assignedDay: '交办日期', drawer: '督办 #{id}', detail: '说明', owner: '责任',
      ownerText: '{section} {user}（交办人 {assigner}）', system: '系统', period: '{start} 至 {deadline}，{warn} 起预警',
      evidence: '佐证材料', log: '办理记录', notePlaceholder: '办理情况 / 审核意见', progress: '报送进展', submit: '提交办结', approve: '审核通过',
      reject: '退回', reopen: '重新打开', timeLimit: '时限', byWorkdays: '工作日数', byDate: '指定日期',
    },
  },
}
