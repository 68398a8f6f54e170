// Routes (history mode). Each route's meta.roles says who may open it; the guard sends
// anonymous users to /login and users of another role to their own home page.
import { createRouter, createWebHistory } from 'vue-router'
import { session, homeFor } from './session.js'
import { loadSession } from './auth.js'
import { CONSOLE_ROLES } from './nav.js'

const WRITERS = ['admin', 'staff']

const routes = [
  { path: '/', name: 'public-home', component: () => import('./views/PublicHome.vue'), meta: { public: true } },
  { path: '/air', name: 'air', component: () => import('./views/quality/AirPublic.vue'), meta: { public: true } },
  { path: '/air/report', name: 'air-report', component: () => import('./views/quality/AirReport.vue'), meta: { public: true } },
  { path: '/air/report/monthly', name: 'air-report-monthly', component: () => import('./views/quality/AirMonthlyReport.vue'), meta: { public: true } },
  { path: '/notices', name: 'approval-notices', component: () => import('./views/approval/PublicNotices.vue'), meta: { public: true } },
  { path: '/progress', name: 'approval-progress', component: () => import('./views/approval/PublicProgress.vue'), meta: { public: true } },
  { path: '/print/siting/:id(\\d+)', name: 'siting-print', component: () => import('./views/approval/SitingPrint.vue'), meta: { roles: [...CONSOLE_ROLES, 'enterprise'] } },
  { path: '/supervision', name: 'sup-public', component: () => import('./views/public/SupervisionPublic.vue'), meta: { public: true } },
  { path: '/supervision/draws/:id(\\d+)', name: 'sup-public-draw', component: () => import('./views/public/SupervisionDraw.vue'), meta: { public: true } },
  { path: '/login', name: 'login', component: () => import('./views/Login.vue'), meta: { public: true } },
  {
    path: '/console',
    component: () => import('./views/console/ConsoleLayout.vue'),
    meta: { roles: CONSOLE_ROLES },
    children: [
      { path: '', name: 'console-home', component: () => import('./views/console/Dashboard.vue'), meta: { title: 'nav.home' } },
      { path: 'enterprises', name: 'enterprises', component: () => import('./views/console/EnterpriseList.vue'), meta: { title: 'nav.enterprises' } },
      { path: 'enterprises/new', name: 'enterprise-new', component: () => import('./views/console/EnterpriseForm.vue'), meta: { title: 'nav.enterpriseNew', roles: WRITERS } },
      { path: 'enterprises/import', name: 'enterprise-import', component: () => import('./views/console/EnterpriseImport.vue'), meta: { title: 'nav.enterpriseImport', roles: WRITERS } },
      { path: 'enterprises/:id(\\d+)', name: 'enterprise-detail', component: () => import('./views/console/EnterpriseDetail.vue'), meta: { title: 'enterprise.detail' } },
      { path: 'enterprises/:id(\\d+)/edit', name: 'enterprise-edit', component: () => import('./views/console/EnterpriseForm.vue'), meta: { title: 'enterprise.edit', roles: WRITERS } },
      { path: 'service/visits', name: 'service-visits', component: () => import('./views/service/VisitList.vue'), meta: { title: 'service.nav.visits' } },
      { path: 'service/visits/:id(\\d+)', name: 'service-visit', component: () => import('./views/service/VisitDetail.vue'), meta: { title: 'service.nav.visit' } },
      { path: 'service/reception-days', name: 'service-days', component: () => import('./views/service/ReceptionDays.vue'), meta: { title: 'service.nav.days' } },
      { path: 'service/tracker', name: 'service-tracker', component: () => import('./views/service/Tracker.vue'), meta: { title: 'service.nav.tracker' } },
      { path: 'service/stats', name: 'service-stats', component: () => import('./views/service/ServiceStats.vue'), meta: { title: 'service.nav.stats' } },
      { path: 'enterprises/:id(\\d+)/360', name: 'enterprise-360', component: () => import('./views/service/Ent360.vue'), meta: { title: 'service.ent360nav' } },
      { path: 'approval', name: 'approval-workbench', component: () => import('./views/approval/Workbench.vue'), meta: { title: 'approval.nav.workbench' } },
      { path: 'approval/applications/:id(\\d+)', name: 'approval-detail', component: () => import('./views/approval/AppDetail.vue'), meta: { title: 'approval.nav.detail' } },
      { path: 'approval/siting', name: 'approval-siting', component: () => import('./views/approval/SitingMap.vue'), meta: { title: 'approval.nav.siting' } },
      { path: 'approval/invest', name: 'approval-invest', component: () => import('./views/approval/InvestProjects.vue'), meta: { title: 'approval.nav.invest' } },
      { path: 'supervision/draws', name: 'sup-draws', component: () => import('./views/supervision/Draws.vue'), meta: { title: 'supervision.nav.draws' } },
      { path: 'supervision/draws/:id(\\d+)', name: 'sup-draw', component: () => import('./views/supervision/DrawDetail.vue'), meta: { title: 'supervision.nav.draw' } },
      { path: 'supervision/inspections', name: 'sup-inspections', component: () => import('./views/supervision/Inspections.vue'), meta: { title: 'supervision.nav.inspections' } },
      { path: 'supervision/alarms', name: 'sup-alarms', component: () => import('./views/supervision/AlarmCases.vue'), meta: { title: 'supervision.nav.alarms' } },
      { path: 'supervision/positive', name: 'sup-positive', component: () => import('./views/supervision/PositiveList.vue'), meta: { title: 'supervision.nav.positive' } },
      { path: 'supervision/preparers', name: 'sup-preparers', component: () => import('./views/supervision/Preparers.vue'), meta: { title: 'supervision.nav.preparers' } },
      { path: 'supervision/institutions', name: 'sup-institutions', component: () => import('./views/supervision/Institutions.vue'), meta: { title: 'supervision.nav.institutions' } },
      { path: 'calendar', name: 'calendar', component: () => import('./views/console/WorkCalendar.vue'), meta: { title: 'nav.calendar' } },
      { path: 'alarms', name: 'alarms', component: () => import('./views/quality/AlarmConsole.vue'), meta: { title: 'quality.alarms' } },
      { path: 'monitor/stations', name: 'mon-stations', component: () => import('./views/monitor/StationList.vue'), meta: { title: 'monitor.nav.stations' } },
      { path: 'monitor/stations/new', name: 'mon-station-new', component: () => import('./views/monitor/StationForm.vue'), meta: { title: 'monitor.nav.stationNew', roles: WRITERS } },
      { path: 'monitor/stations/:id(\\d+)', name: 'mon-station', component: () => import('./views/monitor/StationDetail.vue'), meta: { title: 'monitor.nav.station' } },
      { path: 'monitor/stations/:id(\\d+)/edit', name: 'mon-station-edit', component: () => import('./views/monitor/StationForm.vue'), meta: { title: 'monitor.nav.stationEdit', roles: WRITERS } },
      { path: 'monitor/health', name: 'mon-health', component: () => import('./views/monitor/HealthReport.vue'), meta: { title: 'monitor.nav.health' } },
      { path: 'monitor/frames', name: 'mon-frames', component: () => import('./views/monitor/StationPick.vue'), props: { mode: 'frames' }, meta: { title: 'monitor.nav.frames' } },
      { path: 'monitor/commands', name: 'mon-commands', component: () => import('./views/monitor/StationPick.vue'), props: { mode: 'commands' }, meta: { title: 'monitor.nav.commands' } },
      { path: 'monitor/unregistered', name: 'mon-unregistered', component: () => import('./views/monitor/Unregistered.vue'), meta: { title: 'monitor.nav.unregistered' } },
      { path: 'monitor/forward', name: 'mon-forward', component: () => import('./views/monitor/ForwardTargets.vue'), meta: { title: 'monitor.nav.forward' } },
      { path: 'audit', name: 'audit', component: () => import('./views/console/AuditLog.vue'), meta: { title: 'nav.audit', roles: ['admin', 'leader'] } },
      { path: 'users', name: 'users', component: () => import('./views/console/UserAdmin.vue'), meta: { title: 'nav.users', roles: ['admin'] } },
      { path: 'sections', name: 'sections', component: () => import('./views/console/SectionAdmin.vue'), meta: { title: 'nav.sections', roles: ['admin'] } },
    ],
  },
  {
    path: '/enterprise',
    component: () => import('./views/portal/PortalLayout.vue'),
    meta: { roles: ['enterprise'] },
    children: [{ path: '', name: 'portal-home', component: () => import('./views/portal/PortalHome.vue'), meta: { title: 'nav.portalHome' } },
      { path: 'service', name: 'portal-visits', component: () => import('./views/service/PortalVisits.vue'), meta: { title: 'service.nav.portalVisits' } },
      { path: '360', name: 'portal-360', component: () => import('./views/service/Ent360.vue'), meta: { title: 'service.ent360nav' } },
      { path: 'approvals', name: 'portal-approvals', component: () => import('./views/approval/PortalApprovals.vue'), meta: { title: 'approval.nav.portal' } },
      { path: 'siting', name: 'portal-siting', component: () => import('./views/approval/SitingMap.vue'), meta: { title: 'approval.nav.siting' } },
      { path: 'monitor', name: 'portal-monitor', component: () => import('./views/monitor/StationList.vue'), meta: { title: 'monitor.nav.portal' } },
      { path: 'monitor/:id(\\d+)', name: 'portal-monitor-station', component: () => import('./views/monitor/StationDetail.vue'), meta: { title: 'monitor.nav.station' } },
    ],
  },
  { path: '/f/:token', name: 'service-form', component: () => import('./views/service/PublicForm.vue'), meta: { public: true } },
  { path: '/reception', name: 'reception-booking', component: () => import('./views/service/PublicBooking.vue'), meta: { public: true } },
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
