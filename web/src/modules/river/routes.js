// River chiefs (河湖长制): the map and register of reaches, the chiefs and who is behind on
// patrols, the patrols and problems; the chief's phone page (/patrol, signed in) and the public
// signboard page of a reach (/river/:id, reached from the QR code on the signboard).
import { RIVER_ROLES } from '../../shell/roles.js'

export const routes = {
  public: [
    { path: '/river/:id(\\d+)', name: 'river-signboard', component: () => import('./views/Signboard.vue'), meta: { public: true } },
    { path: '/patrol', name: 'river-patrol', component: () => import('./views/PatrolPhone.vue'), meta: { roles: RIVER_ROLES } },
  ],
  console: [
    { path: 'river', name: 'river-map', component: () => import('./views/RiverMap.vue'), meta: { title: 'river.nav.map', roles: RIVER_ROLES } },
    { path: 'river/chiefs', name: 'river-chiefs', component: () => import('./views/RiverChiefs.vue'), meta: { title: 'river.nav.chiefs', roles: RIVER_ROLES } },
    { path: 'river/patrols', name: 'river-patrols', component: () => import('./views/RiverPatrols.vue'), meta: { title: 'river.nav.patrols', roles: RIVER_ROLES } },
    { path: 'river/sections', name: 'river-sections', component: () => import('./views/RiverSections.vue'), meta: { title: 'river.nav.sections', roles: RIVER_ROLES } },
  ],
}

export const menu = {
  console: [
    {
      order: 82,
      key: 'river',
      title: 'river.nav.group',
      icon: 'Location',
      roles: RIVER_ROLES,
      children: [
        { key: 'river-map', title: 'river.nav.map', path: '/console/river', roles: RIVER_ROLES },
        { key: 'river-chiefs', title: 'river.nav.chiefs', path: '/console/river/chiefs', roles: RIVER_ROLES },
        { key: 'river-patrols', title: 'river.nav.patrols', path: '/console/river/patrols', roles: RIVER_ROLES },
        { key: 'river-sections', title: 'river.nav.sections', path: '/console/river/sections', roles: RIVER_ROLES },
      ],
    },
  ],
}
