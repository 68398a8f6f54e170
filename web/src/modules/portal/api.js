// Helpers shared by the portal's views.
import { i18n } from '../../shell/i18n.js'

// The label of a to-do's kind (the API also sends a Chinese sentence; the page builds its own).
export const kindLabel = (k) => i18n.global.t('portal.kind.' + k)
// Days from today to due (both YYYY-MM-DD, Beijing); negative when past, null without a deadline.
export function daysLeft(today, due) {
  if (!today || !due) return null
  return Math.round((Date.parse(due + 'T00:00:00Z') - Date.parse(today + 'T00:00:00Z')) / 86400000)
}
