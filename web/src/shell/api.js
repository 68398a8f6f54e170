// The one way the UI talks to the ecogov API (docs/api.md). Every call is same-origin with the
// session cookie; every write carries X-CSRF-Token. Failures throw ApiError with the server's
// stable `code` and human `message` (Chinese), so views can show error.message as it is.
import { session } from './session.js'

export class ApiError extends Error {
  constructor(status, code, message, extra = {}) {
    super(message || code)
    this.status = status
    this.code = code
    this.field = extra.field
    this.body = extra.body
  }
}

let unauthorizedHandler = null
/** Called with the failed path whenever a request answers 401 (except login/me). */
export function onUnauthorized(fn) {
  unauthorizedHandler = fn
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** Builds `/api/v1<path>?query`, dropping empty query values. */
export function apiUrl(path, query) {
  let url = '/api/v1' + path
  if (query) {
    const qs = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue
      qs.append(k, String(v))
    }
    const s = qs.toString()
    if (s) url += '?' + s
  }
  return url
}

/**
 * request(method, path, {query, body, contentType}) → parsed JSON (or null for an empty body).
 * `body` is JSON-encoded unless contentType is given (then sent as is, e.g. CSV text).
 */
export async function request(method, path, opts = {}) {
  const headers = { Accept: 'application/json' }
  let body
  if (opts.body !== undefined) {
    if (opts.contentType) {
      headers['Content-Type'] = opts.contentType
      body = opts.body
    } else {
      headers['Content-Type'] = 'application/json'
      body = JSON.stringify(opts.body)
    }
  }
  if (WRITE_METHODS.has(method) && session.csrf) headers['X-CSRF-Token'] = session.csrf
  let res
  try {
    res = await fetch(apiUrl(path, opts.query), { method, headers, body, credentials: 'same-origin' })
  } catch (e) {
    throw new ApiError(0, 'network', e && e.message ? e.message : 'network error')
  }
  const text = await res.text()
  let data = null
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = null
    }
  }
  if (!res.ok) {
    const err = (data && data.error) || {}
    const e = new ApiError(res.status, err.code || 'http_' + res.status, err.message || res.statusText || 'HTTP ' + res.status, {
      field: err.field,
      body: data,
    })
    if (res.status === 401 && !opts.noRedirect && unauthorizedHandler) unauthorizedHandler(path)
    throw e
  }
  return data
}

export const api = {
  get: (path, query, opts = {}) => request('GET', path, { ...opts, query }),
  post: (path, body, opts = {}) => request('POST', path, { ...opts, body }),
  put: (path, body, opts = {}) => request('PUT', path, { ...opts, body }),
  del: (path, opts = {}) => request('DELETE', path, opts),
}
