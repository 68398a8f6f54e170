// Texts the server composes, written by the UI in its own language (issue #17 item 11): the server
// stores a stable code and the parameters beside its Chinese text, and these helpers pick the UI's
// sentence for the code, or fall back to the stored text (rows written before parameters were).

/** A tracker item's title: the UI's sentence for a title the server composed for the item's source
 * (service.itemTitle.<source>, e.g. a poor rating's follow-up), else the title as stored. */
export function itemTitle(t, te, item) {
  if (!item) return ''
  const key = 'service.itemTitle.' + item.source
  return item.title_params && te(key) ? t(key, item.title_params) : item.title
}
