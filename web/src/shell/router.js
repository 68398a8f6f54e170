// Routes (history mode), assembled from the modules' routes.js (modules/index.js). Each route's
// meta.roles says who may open it; the guard sends anonymous users to /login and users of another
// role to their own home page.
import { createRouter, createWebHistory } from 'vue-router'
import { session, homeFor } from './session.js'
import { loadSession } from './auth.js'
import { CONSOLE_ROLES, RIVER_ROLES } from './roles.js'
import { modules } from '../modules/index.js'

const part = (where) => modules.flatMap((m) => (m.routes && m.routes[where]) || [])
// Console pages are for CONSOLE_ROLES unless a page names its own roles (a river chief's pages).
const consolePart = () => part('console').map((r) => (r.meta && r.meta.roles ? r : { ...r, meta: { ...r.meta, roles: CONSOLE_ROLES } }))

// The shell's own pages and the two layouts; each module adds its public pages at the top level
// and its console and portal pages as children of the layouts.
const routes = [
  { path: '/', name: 'public-home', component: () => import('./views/PublicHome.vue'), meta: { public: true } },
  { path: '/login', name: 'login', component: () => import('./views/Login.vue'), meta: { public: true } },
  ...part('public'),
  { path: '/console', component: () => import('./views/ConsoleLayout.vue'), meta: { roles: RIVER_ROLES }, children: consolePart() },
  { path: '/enterprise', component: () => import('./views/PortalLayout.vue'), meta: { roles: ['enterprise'] }, children: part('portal') },
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
