// Who is logged in: the user object and CSRF token from /auth/login or /auth/me, kept in one
// reactive object the whole UI reads. Nothing secret is stored in the browser: the session
// itself is an HttpOnly cookie.
import { reactive } from 'vue'

export const session = reactive({
  user: null,
  csrf: '',
  loaded: false, // true once /auth/me has answered (either way)
})

/** The page a role lands on after login. */
export function homeFor(role) {
  if (role === 'enterprise') return '/enterprise'
  if (role === 'admin' || role === 'leader' || role === 'staff') return '/console'
  if (role === 'chief') return '/console/river'
  return '/'
}

export function setSession(data) {
  session.user = data ? data.user : null
  session.csrf = data ? data.csrf_token || '' : ''
  session.loaded = true
}

export function hasRole(...roles) {
  return !!session.user && roles.includes(session.user.role)
}
