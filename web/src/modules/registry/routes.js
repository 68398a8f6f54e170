// Registry (企业名录): the console home, the enterprise list, form, import and detail, and the
// enterprise's own record (PortalHome.vue, shown on the portal module's home below the to-dos).
import { CONSOLE_ROLES, WRITERS } from '../../shell/roles.js'

export const routes = {
  console: [
    { path: '', name: 'console-home', component: () => import('./views/Dashboard.vue'), meta: { title: 'nav.home' } },
    { path: 'enterprises', name: 'enterprises', component: () => import('./views/EnterpriseList.vue'), meta: { title: 'nav.enterprises' } },
    { path: 'enterprises/new', name: 'enterprise-new', component: () => import('./views/EnterpriseForm.vue'), meta: { title: 'nav.enterpriseNew', roles: WRITERS } },
    { path: 'enterprises/import', name: 'enterprise-import', component: () => import('./views/EnterpriseImport.vue'), meta: { title: 'nav.enterpriseImport', roles: WRITERS } },
    { path: 'enterprises/:id(\\d+)', name: 'enterprise-detail', component: () => import('./views/EnterpriseDetail.vue'), meta: { title: 'enterprise.detail' } },
    { path: 'enterprises/:id(\\d+)/edit', name: 'enterprise-edit', component: () => import('./views/EnterpriseForm.vue'), meta: { title: 'enterprise.edit', roles: WRITERS } },
  ],
}

export const menu = {
  console: [
    { order: 10, key: 'home', title: 'nav.home', icon: 'HomeFilled', path: '/console', roles: CONSOLE_ROLES },
    {
      order: 20,
      key: 'registry',
      title: 'nav.registry',
      icon: 'OfficeBuilding',
      roles: CONSOLE_ROLES,
      children: [
        { key: 'enterprises', title: 'nav.enterprises', path: '/console/enterprises', roles: CONSOLE_ROLES },
        { key: 'enterprise-new', title: 'nav.enterpriseNew', path: '/console/enterprises/new', roles: WRITERS },
        { key: 'enterprise-import', title: 'nav.enterpriseImport', path: '/console/enterprises/import', roles: WRITERS },
      ],
    },
  ],
}
