// The portal module's descriptor for the shell (modules/index.js): the enterprise's home (its
// to-dos above its registry card), reception-day booking and answering rectification orders.
import { routes, menu } from './routes.js'
import zhCN from './locales/zh-CN.js'
import en from './locales/en.js'

export default { name: 'portal', routes, menu, messages: { 'zh-CN': zhCN, en } }
