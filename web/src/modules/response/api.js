// Shared helpers of the response pages: level names and colours, times in Beijing.
import { i18n } from '../../shell/i18n.js'

const t = (k) => i18n.global.t(k)

/** Warning level → [colour, class]. */
export const WARNING_COLOURS = { yellow: '#E6B800', orange: '#FF7E00', red: '#E02020', none: '#909399' }
export const WARNING_LEVELS = ['yellow', 'orange', 'red']
export const POLLUTANTS = ['PM2.5', 'PM10', 'O3', 'NO2', 'SO2', 'CO']
export const GRADES = ['A', 'B', 'C', 'D', '引领性', '非绩效分级']
export const MEASURE_KINDS = ['stop', 'limit', 'lines', 'transport']

/** The name of a warning level in the current language. */
export function warningName(level) {
  return t(`response.level.${level || 'none'}`)
}

/** An AQI level 1..6 as its category name. */
export function levelName(l) {
  return l >= 1 && l <= 6 ? t(`response.aqiLevel.l${l}`) : ''
}

/** A level range as "良" or "良至轻度污染". */
export function levelRange(f) {
  return f.level_lo === f.level_hi ? levelName(f.level_lo) : `${levelName(f.level_lo)}${t('response.to')}${levelName(f.level_hi)}`
}

/** The area name: '*' is the whole city. */
export function areaName(a) {
  return a === '*' ? t('response.city') : a
}

/** UTC seconds as "YYYY-MM-DD HH:MM" Beijing time. */
export function fmtTime(s) {
  if (s === null || s === undefined) return ''
  return new Date((s + 8 * 3600) * 1000).toISOString().slice(0, 16).replace('T', ' ')
}

/** Today in Beijing, offset by days, as YYYY-MM-DD. */
export function beijingDay(offset = 0) {
  return new Date(Date.now() + 8 * 3600000 + offset * 86400000).toISOString().slice(0, 10)
}
