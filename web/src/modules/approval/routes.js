// EIA approval (环评审批): the workbench, applications, siting, investment projects, the
// enterprise's applications in the portal, and the public notices, progress and siting print.
import { CONSOLE_ROLES } from '../../shell/roles.js'

export const routes = {
  public: [
    { path: '/notices', name: 'approval-notices', component: () => import('./views/PublicNotices.vue'), meta: { public: true } },
    { path: '/progress', name: 'approval-progress', component: () => import('./views/PublicProgress.vue'), meta: { public: true } },
    { path: '/print/siting/:id(\\d+)', name: 'siting-print', component: () => import('./views/SitingPrint.vue'), meta: { roles: [...CONSOLE_ROLES, 'enterprise'] } },
  ],
  console: [
    { path: 'approval', name: 'approval-workbench', component: () => import('./views/Workbench.vue'), meta: { title: 'approval.nav.workbench' } },
    { path: 'approval/applications/:id(\\d+)', name: 'approval-detail', component: () => import('./views/AppDetail.vue'), meta: { title: 'approval.nav.detail' } },
    { path: 'approval/siting', name: 'approval-siting', component: () => import('./views/SitingMap.vue'), meta: { title: 'approval.nav.siting' } },
    { path: 'approval/siting-units', name: 'approval-siting-units', component: () => import('./views/SitingUnits.vue'), meta: { title: 'approval.nav.units' } },
    { path: 'approval/invest', name: 'approval-invest', component: () => import('./views/InvestProjects.vue'), meta: { title: 'approval.nav.invest' } },
  ],
  portal: [
    { path: 'approvals', name: 'portal-approvals', component: () => import('./views/PortalApprovals.vue'), meta: { title: 'approval.nav.portal' } },
    { path: 'siting', name: 'portal-siting', component: () => import('./views/SitingMap.vue'), meta: { title: 'approval.nav.siting' } },
  ],
}

export const menu = {
  console: [
    {
      order: 40,
      key: 'approval',
      title: 'approval.nav.group',
      icon: 'Document',
      roles: CONSOLE_ROLES,
      children: [
        { key: 'approval-workbench', title: 'approval.nav.workbench', path: '/console/approval', roles: CONSOLE_ROLES },
        { key: 'approval-siting', title: 'approval.nav.siting', path: '/console/approval/siting', roles: CONSOLE_ROLES },
        { key: 'approval-siting-units', title: 'approval.nav.units', path: '/console/approval/siting-units', roles: CONSOLE_ROLES },
        { key: 'approval-invest', title: 'approval.nav.invest', path: '/console/approval/invest', roles: CONSOLE_ROLES },
      ],
    },
  ],
  portal: [
    { order: 40, key: 'portal-approvals', title: 'approval.nav.portal', icon: 'Document', path: '/enterprise/approvals', roles: ['enterprise'] },
    { order: 50, key: 'portal-siting', title: 'approval.nav.siting', icon: 'Location', path: '/enterprise/siting', roles: ['enterprise'] },
  ],
  public: [
    { order: 40, key: 'notices', title: 'approval.nav.notices', icon: 'Document', path: '/notices' },
    { order: 50, key: 'progress', title: 'approval.nav.progress', icon: 'Search', path: '/progress' },
  ],
}
