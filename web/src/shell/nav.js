// The menus, assembled from the modules' routes.js (modules/index.js): each module lists its menu
// entries with the roles that may see them and an `order` that places them among the others. The
// console menu shows only the entries whose `roles` include the current user's role; a group shows
// if any child does.
//
// Entry fields: order (top-level entries only), key (unique, also the test id `nav-<key>`), title
// (i18n key), icon (Element Plus icon name), path, roles, children (optional, for a sub-menu).
import { modules } from '../modules/index.js'

/** The `where` entries of every module plus `own` (the shell's), sorted by order (stable). */
function collect(where, own = []) {
  const all = [...own, ...modules.flatMap((m) => (m.menu && m.menu[where]) || [])]
  return all.sort((a, b) => a.order - b.order)
}

export const consoleNav = collect('console')

// The enterprise portal's menu.
export const portalNav = collect('portal')

// Links on the public home page (only pages that exist).
export const publicLinks = collect('public', [{ order: 10, key: 'login', title: 'public.login', icon: 'User', path: '/login' }])

/** The menu entries `role` may see, groups pruned to their visible children. */
export function navFor(items, role) {
  const out = []
  for (const item of items) {
    if (!item.roles.includes(role)) continue
    if (item.children) {
      const children = navFor(item.children, role)
      if (children.length) out.push({ ...item, children })
    } else {
      out.push(item)
    }
  }
  return out
}

/** Flattened entries, for breadcrumbs and the active-menu lookup. */
export function flatNav(items) {
  return items.flatMap((i) => (i.children ? flatNav(i.children).map((c) => ({ ...c, parent: i })) : [i]))
}
