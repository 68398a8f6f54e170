// Login, logout and the once-per-page-load /auth/me check.
import { api } from './api.js'
import { session, setSession } from './session.js'

let mePromise = null

/** Resolves once we know whether a session exists (never throws). */
export function loadSession(force = false) {
  if (session.loaded && !force) return Promise.resolve(session.user)
  if (!mePromise || force) {
    mePromise = api
      .get('/auth/me', undefined, { noRedirect: true })
      .then((data) => setSession(data))
      .catch(() => setSession(null))
      .then(() => {
        mePromise = null
        return session.user
      })
  }
  return mePromise
}

export async function login(username, password) {
  const data = await api.post('/auth/login', { username, password }, { noRedirect: true })
  setSession(data)
  return data.user
}

export async function logout() {
  try {
    await api.post('/auth/logout', {}, { noRedirect: true })
  } finally {
    setSession(null)
  }
}
