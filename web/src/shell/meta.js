// Reference data shared by forms and filters: districts with their towns, tags, roles
// (GET /api/v1/meta), fetched once per page load.
import { reactive } from 'vue'
import { api } from './api.js'

export const meta = reactive({ districts: [], tags: [], roles: [], loaded: false })
let pending = null

export function loadMeta() {
  if (meta.loaded) return Promise.resolve(meta)
  if (!pending) {
    pending = api
      .get('/meta')
      .then((d) => {
        meta.districts = d.districts || []
        meta.tags = d.tags || []
        meta.roles = d.roles || []
        meta.loaded = true
        return meta
      })
      .finally(() => {
        pending = null
      })
  }
  return pending
}

export function townsOf(district) {
  const d = meta.districts.find((x) => x.name === district)
  return d ? d.towns || [] : []
}

/** Shows an API error as an Element Plus message (the server's message is already human text). */
export function showError(e) {
  ElMessage.error(e && e.message ? e.message : String(e))
}

/** Beijing-time display of an ISO 8601 timestamp: "2026-11-29 14:03:00". */
export function fmtTime(iso) {
  if (!iso) return ''
  return String(iso).replace('T', ' ').replace(/(\.\d+)?([+-]\d\d:\d\d|Z)$/, '')
}
