// Shared helpers of the air-quality pages: the AQI category and advice in the current language.
// The API sends them in Chinese with the level (1..6); the category is shown by level, and the
// advice in Chinese as the API words it for the day's HJ 633 edition (English from the locale).
import { i18n } from '../../shell/i18n.js'

const t = (k) => i18n.global.t(k)

/** The category name of an AQI result ({level, category}); "NA" and unknown levels as sent. */
export function aqiCategory(r) {
  return r && r.level >= 1 && r.level <= 6 ? t(`quality.aqiLevel.l${r.level}`) : r ? r.category : ''
}

/** The health advice of an AQI result ({level, advice}). */
export function aqiAdvice(r) {
  if (!r) return ''
  if (i18n.global.locale.value === 'zh-CN' || !(r.level >= 1 && r.level <= 6)) return r.advice
  return t(`quality.advice.l${r.level}`)
}
