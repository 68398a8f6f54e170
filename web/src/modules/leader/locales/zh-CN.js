// 中文 · 领导首页（逾期与风险）。键与 en.js 一致。
export default {
  leader: {
    nav: { home: '督办与风险' },
    title: '今日待关注（{date}）',
    tracker: { title: '督办事项', overdue: '已逾期', escalated: '已升级至领导', warning: '临近期限', none: '没有逾期的督办事项', daysOver: '逾期 {n} 个工作日', link: '查看逾期事项' },
    supervision: { title: '报警与案件', alarmsNew: '待核实报警', alarmsVerified: '已核实待立案', casesNew: '待整改案件', casesRectifying: '整改中案件', alert: '严重报警 {serious} 条未处理，整改逾期案件 {overdue} 件', none: '没有办理中的案件', alarmsLink: '查看待核实报警', due: '整改期限 {d}' },
    approval: { title: '审批临近期限', warning: '临近期限', overdue: '已超期', none: '没有临近期限的审批', link: '打开审批工作台', left: '剩 {n} 个工作日', over: '超期 {n} 天' },
    air: { title: '空气质量', aqiNow: '当前 AQI（{time}）', noData: '暂无数据', yearTitle: '{year} 年 PM2.5 累计均值', target: '目标 {v} μg/m³', targetStandard: '（GB 3095 年均二级浓度限值）', targetConfig: '（本局年度目标）', onTrack: '达标进度正常', offTrack: '超出目标', days: '有效天数 {n}，优良天数 {good}', incomplete: '有效数据不足（{n}/{need} 天）', aqiLink: '空气质量实况', reportLink: '空气质量报告' },
  },
}
