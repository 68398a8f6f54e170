// The navigation tables. Later modules add their pages here (and their routes in router.js):
// one entry per menu item, with the roles that may see it. The console menu shows only the
// entries whose `roles` include the current user's role; a group shows if any child does.
//
// Fields: key (unique, also the test id `nav-<key>`), title (i18n key), icon (Element Plus icon
// name), path, roles, children (optional, for a sub-menu).

export const CONSOLE_ROLES = ['admin', 'leader', 'staff']

export const consoleNav = [
  { key: 'home', title: 'nav.home', icon: 'HomeFilled', path: '/console', roles: CONSOLE_ROLES },
  {
    key: 'registry',
    title: 'nav.registry',
    icon: 'OfficeBuilding',
    roles: CONSOLE_ROLES,
    children: [
      { key: 'enterprises', title: 'nav.enterprises', path: '/console/enterprises', roles: CONSOLE_ROLES },
      { key: 'enterprise-new', title: 'nav.enterpriseNew', path: '/console/enterprises/new', roles: ['admin', 'staff'] },
      { key: 'enterprise-import', title: 'nav.enterpriseImport', path: '/console/enterprises/import', roles: ['admin', 'staff'] },
    ],
  },
  {
    key: 'service',
    title: 'service.nav.group',
    icon: 'Service',
    roles: CONSOLE_ROLES,
    children: [
      { key: 'service-visits', title: 'service.nav.visits', path: '/console/service/visits', roles: CONSOLE_ROLES },
      { key: 'service-days', title: 'service.nav.days', path: '/console/service/reception-days', roles: CONSOLE_ROLES },
      { key: 'service-tracker', title: 'service.nav.tracker', path: '/console/service/tracker', roles: CONSOLE_ROLES },
      { key: 'service-stats', title: 'service.nav.stats', path: '/console/service/stats', roles: CONSOLE_ROLES },
    ],
  },
  {
    key: 'approval',
    title: 'approval.nav.group',
    icon: 'Document',
    roles: CONSOLE_ROLES,
    children: [
      { key: 'approval-workbench', title: 'approval.nav.workbench', path: '/console/approval', roles: CONSOLE_ROLES },
      { key: 'approval-siting', title: 'approval.nav.siting', path: '/console/approval/siting', roles: CONSOLE_ROLES },
      { key: 'approval-invest', title: 'approval.nav.invest', path: '/console/approval/invest', roles: CONSOLE_ROLES },
    ],
  },
  {
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
  {
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
    ],
  },
  { key: 'calendar', title: 'nav.calendar', icon: 'Calendar', path: '/console/calendar', roles: CONSOLE_ROLES },
  { key: 'alarms', title: 'quality.alarms', icon: 'Warning', path: '/console/alarms', roles: CONSOLE_ROLES },
  { key: 'audit', title: 'nav.audit', icon: 'Document', path: '/console/audit', roles: ['admin', 'leader'] },
  {
    key: 'system',
    title: 'nav.system',
    icon: 'Setting',
    roles: ['admin'],
    children: [
      { key: 'users', title: 'nav.users', path: '/console/users', roles: ['admin'] },
      { key: 'sections', title: 'nav.sections', path: '/console/sections', roles: ['admin'] },
    ],
  },
]

// The enterprise portal's menu.
export const portalNav = [
  { key: 'portal-home', title: 'nav.portalHome', icon: 'OfficeBuilding', path: '/enterprise', roles: ['enterprise'] },
  { key: 'portal-visits', title: 'service.nav.portalVisits', icon: 'Service', path: '/enterprise/service', roles: ['enterprise'] },
  { key: 'portal-360', title: 'service.ent360nav', icon: 'DataAnalysis', path: '/enterprise/360', roles: ['enterprise'] },
  { key: 'portal-approvals', title: 'approval.nav.portal', icon: 'Document', path: '/enterprise/approvals', roles: ['enterprise'] },
  { key: 'portal-siting', title: 'approval.nav.siting', icon: 'Location', path: '/enterprise/siting', roles: ['enterprise'] },
  { key: 'portal-monitor', title: 'monitor.nav.portal', icon: 'DataAnalysis', path: '/enterprise/monitor', roles: ['enterprise'] },
]

// Links on the public home page (only pages that exist).
export const publicLinks = [
  { key: 'login', title: 'public.login', icon: 'User', path: '/login' },
  { key: 'air', title: 'quality.air', icon: 'DataAnalysis', path: '/air' },
  { key: 'disclosure', title: 'supervision.nav.public', icon: 'Document', path: '/supervision' },
  { key: 'notices', title: 'approval.nav.notices', icon: 'Document', path: '/notices' },
  { key: 'progress', title: 'approval.nav.progress', icon: 'Search', path: '/progress' },
  { key: 'reception', title: 'service.bookingNav', icon: 'Calendar', path: '/reception' },
]

/** The menu entries `role` may see, groups pruned to their visible children. */
export function navFor(items, role) {
  const out = []
  for (const item of items) {
    if (!item.roles.includes(role)) continue
    if (item.children) {
      const children = navFor(item.children, role)
      if (children.length) out.push({ ...item, children })
    } else {
      out.push(item)
    }
  }
  return out
}

/** Flattened entries, for breadcrumbs and the active-menu lookup. */
export function flatNav(items) {
  return items.flatMap((i) => (i.children ? flatNav(i.children).map((c) => ({ ...c, parent: i })) : [i]))
}
