// Enterprise service (企业服务): on-site visits, reception days, the tracker, statistics, the
// enterprise 360° view, and the public service form and reception booking.
import { CONSOLE_ROLES, RIVER_ROLES } from '../../shell/roles.js'

export const routes = {
  public: [
    { path: '/f/:token', name: 'service-form', component: () => import('./views/PublicForm.vue'), meta: { public: true } },
    { path: '/reception', name: 'reception-booking', component: () => import('./views/PublicBooking.vue'), meta: { public: true } },
  ],
  console: [
    { path: 'service/visits', name: 'service-visits', component: () => import('./views/VisitList.vue'), meta: { title: 'service.nav.visits' } },
    { path: 'service/visits/:id(\\d+)', name: 'service-visit', component: () => import('./views/VisitDetail.vue'), meta: { title: 'service.nav.visit' } },
    { path: 'service/reception-days', name: 'service-days', component: () => import('./views/ReceptionDays.vue'), meta: { title: 'service.nav.days' } },
    { path: 'service/tracker', name: 'service-tracker', component: () => import('./views/Tracker.vue'), meta: { title: 'service.nav.tracker', roles: RIVER_ROLES } },
    { path: 'service/stats', name: 'service-stats', component: () => import('./views/ServiceStats.vue'), meta: { title: 'service.nav.stats' } },
    { path: 'enterprises/:id(\\d+)/360', name: 'enterprise-360', component: () => import('./views/Ent360.vue'), meta: { title: 'service.ent360nav' } },
  ],
  portal: [
    { path: 'service', name: 'portal-visits', component: () => import('./views/PortalVisits.vue'), meta: { title: 'service.nav.portalVisits' } },
    { path: '360', name: 'portal-360', component: () => import('./views/Ent360.vue'), meta: { title: 'service.ent360nav' } },
  ],
}

export const menu = {
  console: [
    {
      order: 30,
      key: 'service',
      title: 'service.nav.group',
      icon: 'Service',
      roles: RIVER_ROLES,
      children: [
        { key: 'service-visits', title: 'service.nav.visits', path: '/console/service/visits', roles: CONSOLE_ROLES },
        { key: 'service-days', title: 'service.nav.days', path: '/console/service/reception-days', roles: CONSOLE_ROLES },
        { key: 'service-tracker', title: 'service.nav.tracker', path: '/console/service/tracker', roles: RIVER_ROLES },
        { key: 'service-stats', title: 'service.nav.stats', path: '/console/service/stats', roles: CONSOLE_ROLES },
      ],
    },
  ],
  portal: [
    { order: 20, key: 'portal-visits', title: 'service.nav.portalVisits', icon: 'Service', path: '/enterprise/service', roles: ['enterprise'] },
    { order: 30, key: 'portal-360', title: 'service.ent360nav', icon: 'DataAnalysis', path: '/enterprise/360', roles: ['enterprise'] },
  ],
  public: [{ order: 60, key: 'reception', title: 'service.bookingNav', icon: 'Calendar', path: '/reception' }],
}
