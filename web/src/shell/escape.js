// THE escape for text put into an HTML string: Leaflet popups and tooltips and ECharts formatter
// functions take HTML, and names come from people (enterprises, imports, devices). Every value
// that is not our own markup goes through escapeHtml; nothing else builds HTML from data.
const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c])
}
