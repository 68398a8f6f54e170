// Heavy-pollution response (重污染天气应对): forecasts and their verification, warnings; the public
// forecast page with the active warning.
import { CONSOLE_ROLES } from '../../shell/roles.js'

export const routes = {
  portal: [{ path: 'response', name: 'portal-response', component: () => import('./views/MyMeasures.vue'), meta: { title: 'response.nav.portal' } }],
  public: [{ path: '/air/forecast', name: 'air-forecast', component: () => import('./views/ForecastPublic.vue'), meta: { public: true } }],
  console: [
    { path: 'response/forecasts', name: 'resp-forecasts', component: () => import('./views/Forecasts.vue'), meta: { title: 'response.nav.forecasts' } },
    { path: 'response/verification', name: 'resp-verification', component: () => import('./views/Verification.vue'), meta: { title: 'response.nav.verification' } },
    { path: 'response/list', name: 'resp-list', component: () => import('./views/ReductionList.vue'), meta: { title: 'response.nav.list' } },
    { path: 'response/warnings/:id(\\d+)', name: 'resp-warning', component: () => import('./views/WarningDetail.vue'), meta: { title: 'response.nav.warning' } },
    { path: 'response/region', name: 'resp-region', component: () => import('./views/Region.vue'), meta: { title: 'response.nav.region' } },
    { path: 'response/warnings', name: 'resp-warnings', component: () => import('./views/Warnings.vue'), meta: { title: 'response.nav.warnings' } },
  ],
}

export const menu = {
  console: [
    {
      order: 85,
      key: 'response',
      title: 'response.nav.group',
      icon: 'Warning',
      roles: CONSOLE_ROLES,
      children: [
        { key: 'resp-forecasts', title: 'response.nav.forecasts', path: '/console/response/forecasts', roles: CONSOLE_ROLES },
        { key: 'resp-verification', title: 'response.nav.verification', path: '/console/response/verification', roles: CONSOLE_ROLES },
        { key: 'resp-list', title: 'response.nav.list', path: '/console/response/list', roles: CONSOLE_ROLES },
        { key: 'resp-region', title: 'response.nav.region', path: '/console/response/region', roles: CONSOLE_ROLES },
        { key: 'resp-warnings', title: 'response.nav.warnings', path: '/console/response/warnings', roles: CONSOLE_ROLES },
      ],
    },
  ],
  portal: [{ order: 25, key: 'portal-response', title: 'response.nav.portal', icon: 'Warning', path: '/enterprise/response', roles: ['enterprise'] }],
  public: [{ order: 22, key: 'air-forecast', title: 'response.nav.public', icon: 'Bell', path: '/air/forecast' }],
}
