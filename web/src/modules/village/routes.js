// Rivers and villages, the village half (农村污水设施, 农村生活垃圾日产日清): the county's facilities on a
// map, one facility's samples, inspections and month, the monthly table.
import { CONSOLE_ROLES } from '../../shell/roles.js'

export const routes = {
  public: [
    { path: '/v/collect/:token', name: 'village-collect', component: () => import('./views/CollectorPhone.vue'), meta: { public: true } },
    { path: '/v/operate/:token', name: 'village-operate', component: () => import('./views/OperatorPhone.vue'), meta: { public: true } },
    { path: '/v/waste/:id(\\d+)', name: 'village-waste-public', component: () => import('./views/VillagePublic.vue'), meta: { public: true } },
  ],
  console: [
    { path: 'village/waste', name: 'village-waste', component: () => import('./views/WasteVillages.vue'), meta: { title: 'village.nav.waste' } },
    { path: 'village/facilities/:id(\\d+)', name: 'village-facility', component: () => import('./views/FacilityDetail.vue'), meta: { title: 'village.nav.facility' } },
    { path: 'village/facilities', name: 'village-facilities', component: () => import('./views/Facilities.vue'), meta: { title: 'village.nav.facilities' } },
    { path: 'village/sewage-monthly', name: 'village-sewage-monthly', component: () => import('./views/SewageMonthly.vue'), meta: { title: 'village.nav.sewageMonthly' } },
  ],
}

export const menu = {
  console: [
    {
      order: 87,
      key: 'village',
      title: 'village.nav.group',
      icon: 'Location',
      roles: CONSOLE_ROLES,
      children: [
        { key: 'village-facilities', title: 'village.nav.facilities', path: '/console/village/facilities', roles: CONSOLE_ROLES },
        { key: 'village-sewage-monthly', title: 'village.nav.sewageMonthly', path: '/console/village/sewage-monthly', roles: CONSOLE_ROLES },
        { key: 'village-waste', title: 'village.nav.waste', path: '/console/village/waste', roles: CONSOLE_ROLES },
      ],
    },
  ],
}
