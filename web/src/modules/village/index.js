// The village module's descriptor for the shell (modules/index.js): its routes and menu entries
// (routes.js) and its messages (locales/).
import { routes, menu } from './routes.js'
import zhCN from './locales/zh-CN.js'
import en from './locales/en.js'

export default { name: 'village', routes, menu, messages: { 'zh-CN': zhCN, en } }
