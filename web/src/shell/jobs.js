// The job facility as the UI sees it (GET /api/v1/jobs…, docs/jobs.md): a job's state, whether it
// has ended, its download link, time left as words, and one shared count of the user's active
// jobs that the header's jobs panel shows and pages refresh when they start a job.
import { reactive } from 'vue'
import { api, apiUrl } from './api.js'

export const ACTIVE = ['queued', 'running']
export const STATE_TYPE = { queued: 'info', running: 'primary', done: 'success', failed: 'danger', cancelled: 'warning' }

export const jobsState = reactive({ items: [], active: 0, version: 0 })

export const isActive = (job) => !!job && ACTIVE.includes(job.state)
export const resultHref = (job) => apiUrl(`/jobs/${job.id}/result`)
export const percent = (job) => (job && job.total ? Math.min(100, Math.round((100 * job.done) / job.total)) : 0)

/** Seconds as "1 h 5 min" / "3 min" / "20 s" in the current language's words (t from vue-i18n). */
export function fmtLeft(t, s) {
  if (s === null || s === undefined || s < 0) return '—'
  if (s >= 3600) return t('jobs.hm', { h: Math.floor(s / 3600), m: Math.round((s % 3600) / 60) })
  if (s >= 60) return t('jobs.m', { m: Math.round(s / 60) })
  return t('jobs.s', { s })
}

export const getJob = (id) => api.get(`/jobs/${id}`)
export const cancelJob = (id) => api.post(`/jobs/${id}/cancel`, {})

/** Reloads the user's own jobs into jobsState (the header panel and pages share it). */
export async function refreshJobs() {
  const d = await api.get('/jobs', { mine: 1, limit: 30 })
  jobsState.items = d.items
  jobsState.active = d.items.filter(isActive).length
  jobsState.version++
  return d.items
}
