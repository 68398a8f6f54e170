// Shared helpers of the river pages: the GB 3838 class colours (as the quality module's water
// table), the chief levels in order, and the file upload the photo and import forms use.
import { session } from '../../shell/session.js'
import { ApiError } from '../../shell/api.js'

export const LEVELS = ['city', 'county', 'township', 'village']
export const CATEGORIES = ['occupy', 'mining', 'dumping', 'building', 'outfall', 'dead_fish', 'floating_waste', 'other']
const CLASS_COLOURS = { 1: '#1f77b4', 2: '#1f77b4', 3: '#2ca02c', 4: '#d4b106', 5: '#fa8c16', 6: '#d62728' }

/** The colour of a water class (1..6, 6 = 劣Ⅴ); grey without one. */
export function classColour(c) {
  return CLASS_COLOURS[c] || '#8c8c8c'
}

/** POSTs a file's bytes to /api/v1<path>?name=<file name>; the session's CSRF token when signed
 * in (the public signboard sends none). Resolves to the answer's JSON; throws ApiError. */
export async function uploadFile(path, file, { withSession = true } = {}) {
  const headers = { 'Content-Type': file.type || 'application/octet-stream' }
  if (withSession && session.csrf) headers['X-CSRF-Token'] = session.csrf
  const res = await fetch('/api/v1' + path + (path.includes('?') ? '&' : '?') + 'name=' + encodeURIComponent(file.name), {
    method: 'POST',
    headers,
    body: file,
    credentials: withSession ? 'same-origin' : 'omit',
  })
  const data = await res.json().catch(() => null)
  if (!res.ok) throw new ApiError(res.status, data?.error?.code, data?.error?.message, { field: data?.error?.field, body: data })
  return data
}
