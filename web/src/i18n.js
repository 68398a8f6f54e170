// vue-i18n setup: Chinese by default, English on request, the choice remembered in localStorage.
import { createI18n } from 'vue-i18n'
import { messages } from './locales/index.js'

export const LANGS = [
  { code: 'zh-CN', label: '中文' },
  { code: 'en', label: 'English' },
]
const STORAGE_KEY = 'ecogov.lang'

function initialLocale() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY)
    if (LANGS.some((l) => l.code === saved)) return saved
  } catch {
    /* storage may be disabled; fall back to Chinese */
  }
  return 'zh-CN'
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages,
})

export function setLocale(code) {
  i18n.global.locale.value = code
  document.documentElement.lang = code
  try {
    localStorage.setItem(STORAGE_KEY, code)
  } catch {
    /* ignore */
  }
}

document.documentElement.lang = i18n.global.locale.value

/** A number in the current language's notation (digit grouping, decimals): `opts` as toLocaleString. */
export function fmtNum(n, opts) {
  return Number(n).toLocaleString(i18n.global.locale.value === 'en' ? 'en-US' : 'zh-CN', opts)
}

/** Names joined the way the current language lists them: 、 in Chinese, ", " in English. */
export function joinList(items) {
  return (items || []).join(i18n.global.t('common.listSep'))
}
