// Environmental quality (环境质量): the public air and water page, the daily and monthly reports,
// and the alarm console.
import { CONSOLE_ROLES } from '../../shell/roles.js'

export const routes = {
  public: [
    { path: '/air', name: 'air', component: () => import('./views/AirPublic.vue'), meta: { public: true } },
    { path: '/air/report', name: 'air-report', component: () => import('./views/AirReport.vue'), meta: { public: true } },
    { path: '/air/report/monthly', name: 'air-report-monthly', component: () => import('./views/AirMonthlyReport.vue'), meta: { public: true } },
  ],
  console: [{ path: 'alarms', name: 'alarms', component: () => import('./views/AlarmConsole.vue'), meta: { title: 'quality.alarms' } }],
}

export const menu = {
  console: [{ order: 80, key: 'alarms', title: 'quality.alarms', icon: 'Warning', path: '/console/alarms', roles: CONSOLE_ROLES }],
  public: [{ order: 20, key: 'air', title: 'quality.air', icon: 'DataAnalysis', path: '/air' }],
}
