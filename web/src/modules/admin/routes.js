// Administration: the work calendar, the audit log, users and sections.
import { CONSOLE_ROLES } from '../../shell/roles.js'

export const routes = {
  console: [
    { path: 'calendar', name: 'calendar', component: () => import('./views/WorkCalendar.vue'), meta: { title: 'nav.calendar' } },
    { path: 'audit', name: 'audit', component: () => import('./views/AuditLog.vue'), meta: { title: 'nav.audit', roles: ['admin', 'leader'] } },
    { path: 'users', name: 'users', component: () => import('./views/UserAdmin.vue'), meta: { title: 'nav.users', roles: ['admin'] } },
    { path: 'sections', name: 'sections', component: () => import('./views/SectionAdmin.vue'), meta: { title: 'nav.sections', roles: ['admin'] } },
  ],
}

export const menu = {
  console: [
    { order: 70, key: 'calendar', title: 'nav.calendar', icon: 'Calendar', path: '/console/calendar', roles: CONSOLE_ROLES },
    { order: 90, key: 'audit', title: 'nav.audit', icon: 'Document', path: '/console/audit', roles: ['admin', 'leader'] },
    {
      order: 100,
      key: 'system',
      title: 'nav.system',
      icon: 'Setting',
      roles: ['admin'],
      children: [
        { key: 'users', title: 'nav.users', path: '/console/users', roles: ['admin'] },
        { key: 'sections', title: 'nav.sections', path: '/console/sections', roles: ['admin'] },
      ],
    },
  ],
}
