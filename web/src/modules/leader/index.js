// The leader module's descriptor for the shell (modules/index.js): the leader's home — what is late
// or at risk across the bureau — and its messages.
import { routes, menu } from './routes.js'
import zhCN from './locales/zh-CN.js'
import en from './locales/en.js'

export default { name: 'leader', routes, menu, messages: { 'zh-CN': zhCN, en } }
