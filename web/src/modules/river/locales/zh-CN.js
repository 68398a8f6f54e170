export default {
  river: {
    nav: { group: '河湖长制', map: '河湖与河段', chiefs: '河湖长', patrols: '巡河与问题', sections: '断面与责任' },
    level: { city: '市级', county: '县级', township: '乡级', village: '村级' },
    role: { chief: '河湖长', deputy: '副河湖长' },
    category: { occupy: '乱占', mining: '乱采', dumping: '乱堆', building: '乱建', outfall: '入河排污口', dead_fish: '死鱼', floating_waste: '水面漂浮物', other: '其他' },
    kind: { river: '河流', lake: '湖库' },
    status: { open: '办理中', submitted: '待审核', closed: '已办结' },
    state: { on_time: '正常', warning: '预警', overdue: '超期', done: '已办结' },
    col: {
      code: '编码', name: '名称', water: '河湖', township: '乡镇（街道）', village: '村（社区）', length: '长度（米）', chiefs: '河湖长', sections: '断面',
      level: '层级', title: '职务', phone: '联系电话', duties: '职责', reaches: '负责河段', account: '登录账号 ID', chief: '河湖长', reach: '河段',
      interval: '巡河周期（天）', lastPatrol: '最近巡河', due: '应巡日期', behind: '逾期天数', day: '日期', distance: '里程（米）', fixes: '定位点',
      gaps: '中断', fast: '速度异常', problems: '问题', category: '类别', description: '描述', deadline: '办理期限', status: '状态', photos: '照片', since: '任职日期',
    },
    map: {
      intro: '河段由 GeoJSON（LineString / MultiLineString / Polygon，WGS84 经纬度）或打包为 .zip 的 Shapefile 图层（含 .shx、.dbf、.prj）导入，同一编码再次导入即更新。断面颜色为最近一个月的水质类别。',
      import: '导入 GeoJSON 或 Shapefile（.zip）', imported: '已导入：新增 {created}，更新 {updated}', importErrors: '导入文件有错误，未导入任何记录',
      qr: '公示牌二维码', qrTitle: '{name} 公示牌二维码', print: '打印', open: '打开公示页', noTiles: '未配置底图瓦片，仅显示河段与断面', office: '督办科室', link: '断面挂接到河段', linked: '断面已挂接', noBoundary: '非交界断面', sectionTip: '{name}：{cls}（目标 {target}）',
    },
    chiefs: {
      add: '新增河湖长', edit: '编辑', save: '保存', intervals: '巡河周期', intervalsHint: '各层级河湖长应巡河的间隔天数（默认：村级每周、乡级每两周、县级每月、市级每季度）。',
      behind: '未按期巡河', behindNone: '所有河湖长均已按期巡河', all: '显示全部', reachPick: '选择河段',
    },
    patrols: { patrols: '巡河记录', problems: '问题清单', track: '巡河轨迹', none: '暂无记录', citizen: '群众举报', patrol: '巡河发现', open: '查看' },
    phone: {
      title: '巡河', notChief: '当前账号未关联河湖长，不能巡河。', pick: '选择要巡查的河段', start: '开始巡河', end: '结束巡河', note: '巡河记录',
      running: '巡河中', points: '已记录 {n} 个定位点，里程 {m} 米', gps: '定位', gpsWait: '正在获取定位…', gpsDenied: '无法获取定位：{msg}', flags: '中断 {gaps} 次，速度异常 {fast} 次',
      report: '上报问题', photo: '拍照或选择照片', sent: '问题已上报，已生成督办事项 #{id}', done: '巡河已结束', again: '再次巡河', here: '使用当前位置',
    },
    sections: {
      month: '按月', year: '按年', latest: '最近一个月', check: '检查断面达标并交办', checked: '{month}：新交办 {n} 项', profile: '{y} 年 {m} 月，自上游而下',
      worse: '较上游变差 {d} 类', boundary: '交界断面水质', direction: '类型', dir: { in: '入境', out: '出境' }, class: '水质', target: '目标', met: '达标',
      yes: '是', no: '否', pollutants: '主要污染指标', months: '达标月数',
    },
    board: {
      title: '河长公示牌', chiefs: '河湖长', duties: '职责', phone: '监督电话', water: '水质', noSection: '本河段暂无监测断面', target: '目标 {t}',
      report: '我要举报', reportIntro: '发现河湖问题请拍照举报，提交后可凭举报编号查询办理进度。', name: '姓名（可不填）', phoneOpt: '联系电话（可不填）',
      submit: '提交举报', submitted: '举报已提交', code: '举报编号：{code}', codeHint: '请记下编号，用于查询办理进度。', follow: '查询办理进度', followCode: '举报编号', query: '查询',
      progress: '办理进度', deadline: '办理期限：{d}', closedOn: '已于 {d} 办结', notFound: '没有该举报编号', ends: '起止：{s} 至 {e}', photoAdded: '照片已上传',
    },
  },
}
