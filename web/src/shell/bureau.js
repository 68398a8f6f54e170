// The bureau's name and contact details (GET /api/v1/public/info, from the server's
// configuration), fetched once per page load and shared by the header and the public home.
import { reactive, computed, watchEffect } from 'vue'
import { api } from './api.js'
import { i18n } from './i18n.js'

export const bureau = reactive({ info: null, error: null })
let pending = null

export function loadBureau() {
  if (bureau.info) return Promise.resolve(bureau.info)
  if (!pending) {
    pending = api
      .get('/public/info', undefined, { noRedirect: true })
      .then((d) => {
        bureau.info = d.bureau || {}
        return bureau.info
      })
      .catch((e) => {
        bureau.error = e
        pending = null
        return null
      })
  }
  return pending
}

/** The bureau name in the current language (falls back to the Chinese name, then the i18n default). */
export const bureauName = computed(() => {
  const info = bureau.info || {}
  if (i18n.global.locale.value === 'en' && info.name_en) return info.name_en
  return info.name || i18n.global.t('app.bureau')
})

// The window title is the bureau's name in the current language.
watchEffect(() => {
  if (bureau.info && bureau.info.name) document.title = bureauName.value
})
