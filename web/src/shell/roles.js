// The roles that open the staff console, and those of them that may write. Plain data (no Vue), so
// the modules' routes.js and the Node-side locale test can import it.
export const CONSOLE_ROLES = ['admin', 'leader', 'staff']
export const WRITERS = ['admin', 'staff']
