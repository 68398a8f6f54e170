// Shared helpers of the village pages: facility states and their colours, standards, months.
import { ref } from 'vue'
import { i18n } from '../../shell/i18n.js'

const t = (k, a) => i18n.global.t(k, a)

/** A facility's map state → colour (达标 green, 超标 red, 停运 grey-black, 无数据 light grey). */
export const STATE_COLOURS = { compliant: '#2e9e5b', exceeding: '#d93025', stopped: '#3c4043', no_data: '#b0b4ba' }
export const STATES = ['compliant', 'exceeding', 'stopped', 'no_data']
export const STANDARDS = ['gb18918_1a', 'gb18918_1b', 'gb18918_2', 'gb18918_3', 'custom']

/** The name of a state in the current language. */
export function stateName(s) {
  return t(`village.state.${s || 'no_data'}`)
}

/** Today's Beijing date YYYY-MM-DD. */
export function todayBeijing() {
  return new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)
}

/** This Beijing month as {year, month}. */
export function thisMonth() {
  const d = new Date(Date.now() + 8 * 3600e3)
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 }
}

/** A rate in percent, or a dash. */
export function pct(v) {
  return v === null || v === undefined ? '—' : `${v}%`
}

/** A sample's values as "化学需氧量 45 · pH 7". */
export function valuesText(values, limits) {
  const names = Object.fromEntries((limits || []).map((l) => [l.factor, l.name]))
  return Object.entries(values || {}).map(([k, v]) => `${names[k] || k} ${v}`).join(' · ')
}

/**
 * The state of a page opened by a link token (a collector's, an operator's) without an account:
 * {view, error, saving, done, load(), send(body), dayOf(when)} — load reads the page
 * (GET path?token=), send posts to it and shows the page as it then is; dayOf('today'|'yesterday')
 * is that day from the server's today.
 */
export function useLinkPage(path, token) {
  const view = ref(null)
  const error = ref('')
  const saving = ref(false)
  const done = ref(false)
  async function call(method, body) {
    const res = await fetch(`/api/v1${path}?token=${encodeURIComponent(token)}`, {
      method,
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    })
    const json = await res.json().catch(() => null)
    if (!res.ok) throw new Error(json?.error?.message || res.statusText)
    return json
  }
  async function load() {
    try {
      view.value = await call('GET')
    } catch (e) {
      error.value = e.message
    }
  }
  async function send(body) {
    saving.value = true
    error.value = ''
    try {
      view.value = await call('POST', body)
      done.value = true
      return true
    } catch (e) {
      error.value = e.message
      return false
    } finally {
      saving.value = false
    }
  }
  function dayOf(when) {
    const today = view.value.today
    return when === 'today' ? today : new Date(Date.parse(today + 'T00:00:00Z') - 86400e3).toISOString().slice(0, 10)
  }
  return { view, error, saving, done, load, send, dayOf }
}
