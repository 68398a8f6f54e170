// Texts the server composes, written by the UI in its own language (issue #17 item 11): the server
// stores a stable code and the parameters beside its Chinese text, and these helpers pick the UI's
// sentence for the code, or fall back to the stored text (rows written before parameters were).

/** A tracker item's title: the UI's sentence for a title the server composed for the item's source
 * (service.itemTitle.<source>, e.g. a poor rating's follow-up), else the title as stored. */
export function itemTitle(t, te, item) {
  if (!item) return ''
  const p = item.title_params
  // a source whose items have several composed titles names its sentence in the params
  const key = 'service.itemTitle.' + (p && p.sentence ? p.sentence : item.source)
  return p && te(key) ? t(key, localParams(t, te, p)) : item.title
}

// Parameters that are codes, written in the UI's language: a water class, a river problem's category.
const PARAM_LABELS = { class: 'quality.waterClass.', target: 'quality.waterClass.', category: 'river.category.' }
function localParams(t, te, p) {
  const out = { ...p }
  for (const [k, prefix] of Object.entries(PARAM_LABELS)) if (typeof p[k] === 'string' && te(prefix + p[k])) out[k] = t(prefix + p[k])
  return out
}

/** A water class (GB 3838) in the UI's language from the API's stable code (class_code /
 * target_code: "I" … "V", "worse_V"), else the name as the API gave it. */
export function waterClass(t, te, code, name) {
  return code && te('quality.waterClass.' + code) ? t('quality.waterClass.' + code) : name ?? '—'
}

/** A quality alarm's message: the UI's sentence for the kind the server stored with its parameters
 * (quality.alarmMsg.<kind>; value and limit are the alarm's own), else the message as stored. */
export function alarmMessage(t, te, alarm) {
  const p = alarm && alarm.message_params
  const key = p && 'quality.alarmMsg.' + p.kind
  if (!p || !te(key)) return alarm ? alarm.message : ''
  const measure = t(p.converted ? 'quality.alarmMsg.converted' : 'quality.alarmMsg.measured')
  return t(key, { ...p, measure, value: alarm.value, limit: alarm.limit })
}
