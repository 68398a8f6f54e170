// PM2.5 source apportionment (来源解析): analyses (upload or a station's stored data, run in the
// background), the result page with charts and naming, and the public card on the air page
// (views/PmfPublicCard.vue, shown by quality's AirPublic).
import { CONSOLE_ROLES } from '../../shell/roles.js'

export const routes = {
  public: [],
  console: [
    { path: 'pmf', name: 'pmf-analyses', component: () => import('./views/PmfAnalyses.vue'), meta: { title: 'pmf.nav.analyses' } },
    { path: 'pmf/:id(\\d+)', name: 'pmf-result', component: () => import('./views/PmfResult.vue'), meta: { title: 'pmf.nav.result' } },
  ],
}

export const menu = {
  console: [{ order: 85, key: 'pmf', title: 'pmf.nav.analyses', icon: 'DataAnalysis', path: '/console/pmf', roles: CONSOLE_ROLES }],
}
