// The leader's home (督办与风险): a leader lands on it (the console home shows it to leaders);
// every console user may open it at /console/leader.
import { CONSOLE_ROLES } from '../../shell/roles.js'

export const routes = {
  console: [{ path: 'leader', name: 'leader-home', component: () => import('./views/LeaderHome.vue'), meta: { title: 'leader.nav.home' } }],
}

export const menu = {
  console: [{ order: 12, key: 'leader-home', title: 'leader.nav.home', icon: 'Bell', path: '/console/leader', roles: CONSOLE_ROLES }],
}
