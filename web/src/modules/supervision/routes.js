// Supervision (监管执法): random inspection draws, inspections and penalties, alarms and cases, the
// positive list, preparer and institution credit, and the public disclosure pages.
import { CONSOLE_ROLES } from '../../shell/roles.js'

export const routes = {
  public: [
    { path: '/supervision', name: 'sup-public', component: () => import('./views/SupervisionPublic.vue'), meta: { public: true } },
    { path: '/supervision/draws/:id(\\d+)', name: 'sup-public-draw', component: () => import('./views/SupervisionDraw.vue'), meta: { public: true } },
  ],
  console: [
    { path: 'supervision/draws', name: 'sup-draws', component: () => import('./views/Draws.vue'), meta: { title: 'supervision.nav.draws' } },
    { path: 'supervision/draws/:id(\\d+)', name: 'sup-draw', component: () => import('./views/DrawDetail.vue'), meta: { title: 'supervision.nav.draw' } },
    { path: 'supervision/inspections', name: 'sup-inspections', component: () => import('./views/Inspections.vue'), meta: { title: 'supervision.nav.inspections' } },
    { path: 'supervision/alarms', name: 'sup-alarms', component: () => import('./views/AlarmCases.vue'), meta: { title: 'supervision.nav.alarms' } },
    { path: 'supervision/positive', name: 'sup-positive', component: () => import('./views/PositiveList.vue'), meta: { title: 'supervision.nav.positive' } },
    { path: 'supervision/preparers', name: 'sup-preparers', component: () => import('./views/Preparers.vue'), meta: { title: 'supervision.nav.preparers' } },
    { path: 'supervision/institutions', name: 'sup-institutions', component: () => import('./views/Institutions.vue'), meta: { title: 'supervision.nav.institutions' } },
  ],
}

export const menu = {
  console: [
    {
      order: 50,
      key: 'supervision',
      title: 'supervision.nav.group',
      icon: 'CircleCheck',
      roles: CONSOLE_ROLES,
      children: [
        { key: 'sup-draws', title: 'supervision.nav.draws', path: '/console/supervision/draws', roles: CONSOLE_ROLES },
        { key: 'sup-inspections', title: 'supervision.nav.inspections', path: '/console/supervision/inspections', roles: CONSOLE_ROLES },
        { key: 'sup-alarms', title: 'supervision.nav.alarms', path: '/console/supervision/alarms', roles: CONSOLE_ROLES },
        { key: 'sup-positive', title: 'supervision.nav.positive', path: '/console/supervision/positive', roles: CONSOLE_ROLES },
        { key: 'sup-preparers', title: 'supervision.nav.preparers', path: '/console/supervision/preparers', roles: CONSOLE_ROLES },
        { key: 'sup-institutions', title: 'supervision.nav.institutions', path: '/console/supervision/institutions', roles: CONSOLE_ROLES },
      ],
    },
  ],
  public: [{ order: 30, key: 'disclosure', title: 'supervision.nav.public', icon: 'Document', path: '/supervision' }],
}
