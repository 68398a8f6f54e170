// The enterprise portal's own pages: the home an enterprise user lands on (its to-dos, then its
// registry card), booking a reception day (接待日) and answering rectification orders (整改).
export const routes = {
  portal: [
    { path: '', name: 'portal-home', component: () => import('./views/PortalHome.vue'), meta: { title: 'nav.portalHome' } },
    { path: 'reception', name: 'portal-reception', component: () => import('./views/PortalReception.vue'), meta: { title: 'portal.nav.reception' } },
    { path: 'rectifications', name: 'portal-rectifications', component: () => import('./views/PortalRectifications.vue'), meta: { title: 'portal.nav.rectifications' } },
  ],
}

export const menu = {
  portal: [
    { order: 10, key: 'portal-home', title: 'nav.portalHome', icon: 'HomeFilled', path: '/enterprise', roles: ['enterprise'] },
    { order: 35, key: 'portal-reception', title: 'portal.nav.reception', icon: 'Calendar', path: '/enterprise/reception', roles: ['enterprise'] },
    { order: 37, key: 'portal-rectifications', title: 'portal.nav.rectifications', icon: 'CircleCheck', path: '/enterprise/rectifications', roles: ['enterprise'] },
  ],
}
