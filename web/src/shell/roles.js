// The roles that open the staff console, and those of them that may write. Plain data (no Vue), so
// the modules' routes.js and the Node-side locale test can import it.
export const CONSOLE_ROLES = ['admin', 'leader', 'staff']
export const WRITERS = ['admin', 'staff']
// A river chief (河湖长) from outside the bureau opens the console too, but sees only the pages
// whose route names him (the river pages, his tracker items); the other console pages stay with
// CONSOLE_ROLES (the router gives a console page without its own roles CONSOLE_ROLES).
export const CHIEF = 'chief'
export const RIVER_ROLES = [...CONSOLE_ROLES, CHIEF]
