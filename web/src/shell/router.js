// Routes (history mode). Each route's meta.roles says who may open it; the guard sends
// anonymous users to /login and users of another role to their own home page.
import { createRouter, createWebHistory } from 'vue-router'
import { session, homeFor } from './session.js'
import { loadSession } from './auth.js'
import { CONSOLE_ROLES } from './nav.js'

const WRITERS = ['admin', 'staff']

const routes = [
  { path: '/', name: 'public-home', component: () => import('./views/PublicHome.vue'), meta: { public: true } },
  { path: '/air', name: 'air', component: () => import('../modules/quality/views/AirPublic.vue'), meta: { public: true } },
  { path: '/air/report', name: 'air-report', component: () => import('../modules/quality/views/AirReport.vue'), meta: { public: true } },
  { path: '/air/report/monthly', name: 'air-report-monthly', component: () => import('../modules/quality/views/AirMonthlyReport.vue'), meta: { public: true } },
  { path: '/notices', name: 'approval-notices', component: () => import('../modules/approval/views/PublicNotices.vue'), meta: { public: true } },
  { path: '/progress', name: 'approval-progress', component: () => import('../modules/approval/views/PublicProgress.vue'), meta: { public: true } },
  { path: '/print/siting/:id(\\d+)', name: 'siting-print', component: () => import('../modules/approval/views/SitingPrint.vue'), meta: { roles: [...CONSOLE_ROLES, 'enterprise'] } },
  { path: '/supervision', name: 'sup-public', component: () => import('../modules/supervision/views/SupervisionPublic.vue'), meta: { public: true } },
  { path: '/supervision/draws/:id(\\d+)', name: 'sup-public-draw', component: () => import('../modules/supervision/views/SupervisionDraw.vue'), meta: { public: true } },
  { path: '/login', name: 'login', component: () => import('./views/Login.vue'), meta: { public: true } },
  {
    path: '/console',
    component: () => import('./views/ConsoleLayout.vue'),
    meta: { roles: CONSOLE_ROLES },
    children: [
      { path: '', name: 'console-home', component: () => import('../modules/registry/views/Dashboard.vue'), meta: { title: 'nav.home' } },
      { path: 'enterprises', name: 'enterprises', component: () => import('../modules/registry/views/EnterpriseList.vue'), meta: { title: 'nav.enterprises' } },
      { path: 'enterprises/new', name: 'enterprise-new', component: () => import('../modules/registry/views/EnterpriseForm.vue'), meta: { title: 'nav.enterpriseNew', roles: WRITERS } },
      { path: 'enterprises/import', name: 'enterprise-import', component: () => import('../modules/registry/views/EnterpriseImport.vue'), meta: { title: 'nav.enterpriseImport', roles: WRITERS } },
      { path: 'enterprises/:id(\\d+)', name: 'enterprise-detail', component: () => import('../modules/registry/views/EnterpriseDetail.vue'), meta: { title: 'enterprise.detail' } },
      { path: 'enterprises/:id(\\d+)/edit', name: 'enterprise-edit', component: () => import('../modules/registry/views/EnterpriseForm.vue'), meta: { title: 'enterprise.edit', roles: WRITERS } },
      { path: 'service/visits', name: 'service-visits', component: () => import('../modules/service/views/VisitList.vue'), meta: { title: 'service.nav.visits' } },
      { path: 'service/visits/:id(\\d+)', name: 'service-visit', component: () => import('../modules/service/views/VisitDetail.vue'), meta: { title: 'service.nav.visit' } },
      { path: 'service/reception-days', name: 'service-days', component: () => import('../modules/service/views/ReceptionDays.vue'), meta: { title: 'service.nav.days' } },
      { path: 'service/tracker', name: 'service-tracker', component: () => import('../modules/service/views/Tracker.vue'), meta: { title: 'service.nav.tracker' } },
      { path: 'service/stats', name: 'service-stats', component: () => import('../modules/service/views/ServiceStats.vue'), meta: { title: 'service.nav.stats' } },
      { path: 'enterprises/:id(\\d+)/360', name: 'enterprise-360', component: () => import('../modules/service/views/Ent360.vue'), meta: { title: 'service.ent360nav' } },
      { path: 'approval', name: 'approval-workbench', component: () => import('../modules/approval/views/Workbench.vue'), meta: { title: 'approval.nav.workbench' } },
      { path: 'approval/applications/:id(\\d+)', name: 'approval-detail', component: () => import('../modules/approval/views/AppDetail.vue'), meta: { title: 'approval.nav.detail' } },
      { path: 'approval/siting', name: 'approval-siting', component: () => import('../modules/approval/views/SitingMap.vue'), meta: { title: 'approval.nav.siting' } },
      { path: 'approval/invest', name: 'approval-invest', component: () => import('../modules/approval/views/InvestProjects.vue'), meta: { title: 'approval.nav.invest' } },
      { path: 'supervision/draws', name: 'sup-draws', component: () => import('../modules/supervision/views/Draws.vue'), meta: { title: 'supervision.nav.draws' } },
      { path: 'supervision/draws/:id(\\d+)', name: 'sup-draw', component: () => import('../modules/supervision/views/DrawDetail.vue'), meta: { title: 'supervision.nav.draw' } },
      { path: 'supervision/inspections', name: 'sup-inspections', component: () => import('../modules/supervision/views/Inspections.vue'), meta: { title: 'supervision.nav.inspections' } },
      { path: 'supervision/alarms', name: 'sup-alarms', component: () => import('../modules/supervision/views/AlarmCases.vue'), meta: { title: 'supervision.nav.alarms' } },
      { path: 'supervision/positive', name: 'sup-positive', component: () => import('../modules/supervision/views/PositiveList.vue'), meta: { title: 'supervision.nav.positive' } },
      { path: 'supervision/preparers', name: 'sup-preparers', component: () => import('../modules/supervision/views/Preparers.vue'), meta: { title: 'supervision.nav.preparers' } },
      { path: 'supervision/institutions', name: 'sup-institutions', component: () => import('../modules/supervision/views/Institutions.vue'), meta: { title: 'supervision.nav.institutions' } },
      { path: 'calendar', name: 'calendar', component: () => import('../modules/admin/views/WorkCalendar.vue'), meta: { title: 'nav.calendar' } },
      { path: 'alarms', name: 'alarms', component: () => import('../modules/quality/views/AlarmConsole.vue'), meta: { title: 'quality.alarms' } },
      { path: 'monitor/stations', name: 'mon-stations', component: () => import('../modules/monitor/views/StationList.vue'), meta: { title: 'monitor.nav.stations' } },
      { path: 'monitor/stations/new', name: 'mon-station-new', component: () => import('../modules/monitor/views/StationForm.vue'), meta: { title: 'monitor.nav.stationNew', roles: WRITERS } },
      { path: 'monitor/stations/:id(\\d+)', name: 'mon-station', component: () => import('../modules/monitor/views/StationDetail.vue'), meta: { title: 'monitor.nav.station' } },
      { path: 'monitor/stations/:id(\\d+)/edit', name: 'mon-station-edit', component: () => import('../modules/monitor/views/StationForm.vue'), meta: { title: 'monitor.nav.stationEdit', roles: WRITERS } },
      { path: 'monitor/health', name: 'mon-health', component: () => import('../modules/monitor/views/HealthReport.vue'), meta: { title: 'monitor.nav.health' } },
      { path: 'monitor/frames', name: 'mon-frames', component: () => import('../modules/monitor/views/StationPick.vue'), props: { mode: 'frames' }, meta: { title: 'monitor.nav.frames' } },
      { path: 'monitor/commands', name: 'mon-commands', component: () => import('../modules/monitor/views/StationPick.vue'), props: { mode: 'commands' }, meta: { title: 'monitor.nav.commands' } },
      { path: 'monitor/unregistered', name: 'mon-unregistered', component: () => import('../modules/monitor/views/Unregistered.vue'), meta: { title: 'monitor.nav.unregistered' } },
      { path: 'monitor/forward', name: 'mon-forward', component: () => import('../modules/monitor/views/ForwardTargets.vue'), meta: { title: 'monitor.nav.forward' } },
      { path: 'audit', name: 'audit', component: () => import('../modules/admin/views/AuditLog.vue'), meta: { title: 'nav.audit', roles: ['admin', 'leader'] } },
      { path: 'users', name: 'users', component: () => import('../modules/admin/views/UserAdmin.vue'), meta: { title: 'nav.users', roles: ['admin'] } },
      { path: 'sections', name: 'sections', component: () => import('../modules/admin/views/SectionAdmin.vue'), meta: { title: 'nav.sections', roles: ['admin'] } },
    ],
  },
  {
    path: '/enterprise',
    component: () => import('./views/PortalLayout.vue'),
    meta: { roles: ['enterprise'] },
    children: [{ path: '', name: 'portal-home', component: () => import('../modules/registry/views/PortalHome.vue'), meta: { title: 'nav.portalHome' } },
      { path: 'service', name: 'portal-visits', component: () => import('../modules/service/views/PortalVisits.vue'), meta: { title: 'service.nav.portalVisits' } },
      { path: '360', name: 'portal-360', component: () => import('../modules/service/views/Ent360.vue'), meta: { title: 'service.ent360nav' } },
      { path: 'approvals', name: 'portal-approvals', component: () => import('../modules/approval/views/PortalApprovals.vue'), meta: { title: 'approval.nav.portal' } },
      { path: 'siting', name: 'portal-siting', component: () => import('../modules/approval/views/SitingMap.vue'), meta: { title: 'approval.nav.siting' } },
      { path: 'monitor', name: 'portal-monitor', component: () => import('../modules/monitor/views/StationList.vue'), meta: { title: 'monitor.nav.portal' } },
      { path: 'monitor/:id(\\d+)', name: 'portal-monitor-station', component: () => import('../modules/monitor/views/StationDetail.vue'), meta: { title: 'monitor.nav.station' } },
    ],
  },
  { path: '/f/:token', name: 'service-form', component: () => import('../modules/service/views/PublicForm.vue'), meta: { public: true } },
  { path: '/reception', name: 'reception-booking', component: () => import('../modules/service/views/PublicBooking.vue'), meta: { public: true } },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./views/NotFound.vue'), meta: { public: true } },
]

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

router.beforeEach(async (to) => {
  await loadSession()
  if (to.matched.every((r) => r.meta.public)) return true
  if (!session.user) return { path: '/login', query: { redirect: to.fullPath } }
  const role = session.user.role
  for (const r of to.matched) {
    if (r.meta.roles && !r.meta.roles.includes(role)) {
      const home = homeFor(role)
      return home === to.path ? true : { path: home }
    }
  }
  return true
})
