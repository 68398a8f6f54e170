// English · the leader's home (late and at risk). Keys must match zh-CN.js.
export default {
  leader: {
    nav: { home: 'Late and at risk' },
    title: 'Needs attention today ({date})',
    tracker: { title: 'Tracker items', overdue: 'Overdue', escalated: 'Escalated to leaders', warning: 'Near deadline', none: 'No overdue tracker items', daysOver: '{n} working days overdue', link: 'Show overdue items' },
    supervision: { title: 'Alarms and cases', alarmsNew: 'Alarms to verify', alarmsVerified: 'Verified, no case yet', casesNew: 'Cases to order', casesRectifying: 'Cases rectifying', alert: '{serious} serious alarms open, {overdue} cases past their rectification date', none: 'No open cases', alarmsLink: 'Show alarms to verify', due: 'Rectify by {d}' },
    approval: { title: 'Approvals near a deadline', warning: 'Near deadline', overdue: 'Past deadline', none: 'No approval near a deadline', link: 'Open the approval workbench', left: '{n} working days left', over: '{n} days past' },
    air: { title: 'Air quality', aqiNow: 'AQI now ({time})', noData: 'No data yet', yearTitle: 'PM2.5 mean so far in {year}', target: 'Target {v} μg/m³', targetStandard: ' (GB 3095 annual Grade II limit)', targetConfig: " (the bureau's target for the year)", onTrack: 'On track', offTrack: 'Above target', days: '{n} valid days, {good} good days', incomplete: 'Not enough valid data ({n}/{need} days)', aqiLink: 'Air quality now', reportLink: 'Air quality report' },
  },
}
