// Online monitoring (在线监控): stations, devices, raw frames, commands, the transmission health
// report, unregistered devices and forwarding; the enterprise's own stations in the portal.
import { CONSOLE_ROLES, WRITERS } from '../../shell/roles.js'

// the province view: GET /api/v1/monitor/province allows these
const PROVINCE_ROLES = ['admin', 'leader']

export const routes = {
  console: [
    { path: 'monitor/stations', name: 'mon-stations', component: () => import('./views/StationList.vue'), meta: { title: 'monitor.nav.stations' } },
    { path: 'monitor/stations/new', name: 'mon-station-new', component: () => import('./views/StationForm.vue'), meta: { title: 'monitor.nav.stationNew', roles: WRITERS } },
    { path: 'monitor/stations/:id(\\d+)', name: 'mon-station', component: () => import('./views/StationDetail.vue'), meta: { title: 'monitor.nav.station' } },
    { path: 'monitor/stations/:id(\\d+)/edit', name: 'mon-station-edit', component: () => import('./views/StationForm.vue'), meta: { title: 'monitor.nav.stationEdit', roles: WRITERS } },
    { path: 'monitor/health', name: 'mon-health', component: () => import('./views/HealthReport.vue'), meta: { title: 'monitor.nav.health' } },
    { path: 'monitor/frames', name: 'mon-frames', component: () => import('./views/StationPick.vue'), props: { mode: 'frames' }, meta: { title: 'monitor.nav.frames' } },
    { path: 'monitor/commands', name: 'mon-commands', component: () => import('./views/StationPick.vue'), props: { mode: 'commands' }, meta: { title: 'monitor.nav.commands' } },
    { path: 'monitor/unregistered', name: 'mon-unregistered', component: () => import('./views/Unregistered.vue'), meta: { title: 'monitor.nav.unregistered' } },
    { path: 'monitor/forward', name: 'mon-forward', component: () => import('./views/ForwardTargets.vue'), meta: { title: 'monitor.nav.forward' } },
    { path: 'monitor/province', name: 'mon-province', component: () => import('./views/ProvinceView.vue'), meta: { title: 'monitor.nav.province', roles: PROVINCE_ROLES } },
  ],
  portal: [
    { path: 'monitor', name: 'portal-monitor', component: () => import('./views/StationList.vue'), meta: { title: 'monitor.nav.portal' } },
    { path: 'monitor/:id(\\d+)', name: 'portal-monitor-station', component: () => import('./views/StationDetail.vue'), meta: { title: 'monitor.nav.station' } },
  ],
}

export const menu = {
  console: [
    {
      order: 60,
      key: 'monitor',
      title: 'monitor.nav.group',
      icon: 'DataAnalysis',
      roles: CONSOLE_ROLES,
      children: [
        { key: 'mon-stations', title: 'monitor.nav.stations', path: '/console/monitor/stations', roles: CONSOLE_ROLES },
        { key: 'mon-health', title: 'monitor.nav.health', path: '/console/monitor/health', roles: CONSOLE_ROLES },
        { key: 'mon-frames', title: 'monitor.nav.frames', path: '/console/monitor/frames', roles: CONSOLE_ROLES },
        { key: 'mon-commands', title: 'monitor.nav.commands', path: '/console/monitor/commands', roles: CONSOLE_ROLES },
        { key: 'mon-unregistered', title: 'monitor.nav.unregistered', path: '/console/monitor/unregistered', roles: CONSOLE_ROLES },
        { key: 'mon-forward', title: 'monitor.nav.forward', path: '/console/monitor/forward', roles: CONSOLE_ROLES },
        { key: 'mon-province', title: 'monitor.nav.province', path: '/console/monitor/province', roles: PROVINCE_ROLES },
      ],
    },
  ],
  portal: [{ order: 60, key: 'portal-monitor', title: 'monitor.nav.portal', icon: 'DataAnalysis', path: '/enterprise/monitor', roles: ['enterprise'] }],
}
