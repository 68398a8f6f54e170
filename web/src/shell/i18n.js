// vue-i18n setup: Chinese by default, English on request, the choice remembered in localStorage.
import { createI18n } from 'vue-i18n'
import { messages } from './locales.js'

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
// The window title until the bureau's own name has loaded (bureau.js keeps it in the language).
document.title = i18n.global.t('app.bureau')

/** A number in the current language's notation (digit grouping, decimals): `opts` as toLocaleString. */
export function fmtNum(n, opts) {
  return Number(n).toLocaleString(i18n.global.locale.value === 'en' ? 'en-US' : 'zh-CN', opts)
}

/** Names joined the way the current language lists them: 、 in Chinese, ", " in English. */
export function joinList(items) {
  return (items || []).join(i18n.global.t('common.listSep'))
}

/**
 * code → label (or code → [label, tag type] where `types[code]` is a tag type; null for a plain
 * label). Each label is read from the message `prefix.<code>` on every access, so tables and
 * selects built from the map follow the language switch.
 */
export function labelMap(prefix, types) {
  const out = {}
  for (const [k, type] of Object.entries(types)) {
    const text = () => i18n.global.t(`${prefix}.${k}`)
    Object.defineProperty(out, k, { enumerable: true, get: () => (type ? [text(), type] : text()) })
  }
  return out
}

/**
 * For values the API stores as their Chinese names (categories, kinds, stages): a function giving
 * the label of `value` from the message `prefix.<keys[value]>`, or the value itself when unknown.
 */
export function valueLabel(prefix, keys) {
  return (value) => (Object.hasOwn(keys, value) ? i18n.global.t(`${prefix}.${keys[value]}`) : value)
}

/**
 * The message `key` for the count `n` ({n} in the text). Keys ending in "Count" may hold plural
 * forms ("{n} day | {n} days", English); a message without forms is used for every count.
 */
export function plural(key, n, named = {}) {
  return i18n.global.t(key, { n, ...named }, n)
}
