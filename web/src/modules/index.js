// THE one list of UI modules. The shell builds the router (shell/router.js), the menus (shell/nav.js)
// and the message catalogues (shell/locales.js) from it. Adding a module: a folder
// modules/<module>/ laid out as below, plus its import and its entry in `modules` here.
//
// A module folder and its naming rule:
//   index.js            default export { name, routes, menu, messages } — the descriptor, nothing else
//   routes.js           named exports `routes` { public, console, portal } (route records: public ones
//                       at the top level, the others as children of /console and /enterprise) and
//                       `menu` { console, portal, public } (entries with an `order` that places them
//                       among the other modules' entries; `key` becomes the test id nav-<key>)
//   locales/zh-CN.js, locales/en.js   default export of the module's messages, same keys in both
//   api.js              the module's shared helpers (only if it has any), named exports only:
//                       functions lowerCamelCase — verb first when they call the API or act
//                       (loadTables, searchEnterprises, showError, fmtTs), otherwise named for what
//                       they return (clockText, kindLabel, todayBeijing); label tables and other
//                       constants UPPER_SNAKE (STATUS, DRAW_STATUS, WRITERS)
//   views/PascalCase.vue  one page or page part each; a view imports shell/, components/ and its own
//                       module; another module only through that module's api.js (the registry's
//                       searchEnterprises behind every enterprise picker) or a view it shows as it is
//                       (approval's NoticeList on supervision's public disclosure page)
import registry from './registry/index.js'
import admin from './admin/index.js'
import service from './service/index.js'
import monitor from './monitor/index.js'
import quality from './quality/index.js'
import approval from './approval/index.js'
import supervision from './supervision/index.js'
import pmf from './pmf/index.js'
import response from './response/index.js'
import leader from './leader/index.js'
import portal from './portal/index.js'
import river from './river/index.js'
import village from './village/index.js'

export const modules = [registry, admin, service, monitor, quality, approval, supervision, pmf, response, leader, portal, river, village]
