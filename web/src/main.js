import { createApp } from 'vue'
import App from './App.vue'
import { router } from './shell/router.js'
import { i18n } from './shell/i18n.js'
import { onUnauthorized } from './shell/api.js'
import { setSession } from './shell/session.js'
import * as Icons from './shell/icons.js'
import 'element-plus/theme-chalk/el-message.css'
import 'element-plus/theme-chalk/el-message-box.css'
import './shell/style.css'

const app = createApp(App)
// Registered as Icon<Name> (IconSearch…) so no icon name can clash with an HTML element.
for (const [name, comp] of Object.entries(Icons)) app.component("Icon" + name, comp)
app.use(router).use(i18n)

// A 401 anywhere means the session is gone (expired or logged out elsewhere): back to login.
onUnauthorized(() => {
  setSession(null)
  const here = router.currentRoute.value
  if (here.name !== 'login') router.push({ path: '/login', query: { redirect: here.fullPath } })
})

// Mounted once the first route is resolved (session checked, page chunk loaded), so the boot
// shell in index.html stays on screen until the real page replaces it, with no blank frame between.
router
  .isReady()
  .catch(() => {})
  .then(() => app.mount('#app'))
