// Environmental quality (环境质量): the public air and water page, the daily and monthly reports,
// the alarm console, and the staff's quality work — annual evaluation, water sections and samples,
// micro-station calibration, the hourly CSV import and the alarm rules.
import { CONSOLE_ROLES, WRITERS } from '../../shell/roles.js'

export const routes = {
  public: [
    { path: '/air', name: 'air', component: () => import('./views/AirPublic.vue'), meta: { public: true } },
    { path: '/air/report', name: 'air-report', component: () => import('./views/AirReport.vue'), meta: { public: true } },
    { path: '/air/report/monthly', name: 'air-report-monthly', component: () => import('./views/AirMonthlyReport.vue'), meta: { public: true } },
  ],
  console: [
    { path: 'alarms', name: 'alarms', component: () => import('./views/AlarmConsole.vue'), meta: { title: 'quality.alarms' } },
    { path: 'quality/annual', name: 'quality-annual', component: () => import('./views/AnnualEvaluation.vue'), meta: { title: 'quality.nav.annual' } },
    { path: 'quality/water', name: 'quality-water', component: () => import('./views/WaterConsole.vue'), meta: { title: 'quality.nav.water' } },
    { path: 'quality/calibration', name: 'quality-calibration', component: () => import('./views/Calibration.vue'), meta: { title: 'quality.nav.calibration', roles: WRITERS } },
    { path: 'quality/import', name: 'quality-import', component: () => import('./views/HourlyImport.vue'), meta: { title: 'quality.nav.import', roles: WRITERS } },
    { path: 'quality/rules', name: 'quality-rules', component: () => import('./views/AlarmRules.vue'), meta: { title: 'quality.nav.rules' } },
  ],
}

export const menu = {
  console: [
    { order: 80, key: 'alarms', title: 'quality.alarms', icon: 'Warning', path: '/console/alarms', roles: CONSOLE_ROLES },
    {
      order: 81,
      key: 'quality',
      title: 'quality.nav.group',
      icon: 'DataAnalysis',
      roles: CONSOLE_ROLES,
      children: [
        { key: 'quality-annual', title: 'quality.nav.annual', path: '/console/quality/annual', roles: CONSOLE_ROLES },
        { key: 'quality-water', title: 'quality.nav.water', path: '/console/quality/water', roles: CONSOLE_ROLES },
        { key: 'quality-calibration', title: 'quality.nav.calibration', path: '/console/quality/calibration', roles: WRITERS },
        { key: 'quality-import', title: 'quality.nav.import', path: '/console/quality/import', roles: WRITERS },
        { key: 'quality-rules', title: 'quality.nav.rules', path: '/console/quality/rules', roles: CONSOLE_ROLES },
      ],
    },
  ],
  public: [{ order: 20, key: 'air', title: 'quality.air', icon: 'DataAnalysis', path: '/air' }],
}
