// Shared helpers of the PMF pages.

/** Element Plus tag types of the analysis states. */
export const STATUS_TYPE = { queued: 'info', running: 'warning', done: 'success', failed: 'danger', cancelled: 'info' }

/**
 * Reads a chosen file for the upload: EPA PMF's CSV / tab-separated text as { text }, an .xlsx
 * workbook as { xlsx } (base64, the server reads its first sheet).
 */
export function readUpload(file) {
  const xlsx = /\.xlsx$/i.test(file.name)
  return new Promise((resolve, reject) => {
    const r = new FileReader()
    r.onload = () => resolve(xlsx ? { xlsx: String(r.result).replace(/^data:[^,]*,/, '') } : { text: String(r.result) })
    r.onerror = () => reject(r.error)
    if (xlsx) r.readAsDataURL(file)
    else r.readAsText(file)
  })
}

/** The species names of an EPA table's header (first column is the sample time). */
export function headerSpecies(text) {
  const line = (text.split(/\r?\n/)[0] || '').replace(/^\uFEFF/, '')
  const sep = line.includes('\t') ? '\t' : line.includes(',') ? ',' : ';'
  return line.split(sep).slice(1).map((s) => s.trim().replace(/^"|"$/g, '')).filter(Boolean)
}

/** A factor's display name: the analyst's, else the suggested one (zh or en), else "F<n>". */
export function factorName(analysis, i, locale) {
  const names = analysis && analysis.names
  if (names && names[i]) return names[i]
  const f = analysis && analysis.result && analysis.result.factors[i]
  if (f && f.suggested && f.suggested.key !== 'unknown') return locale === 'en' ? f.suggested.en : f.suggested.zh
  return 'F' + (i + 1)
}

/** Seconds as "m:ss" (time left of a running analysis). */
export function fmtEta(s) {
  if (s === null || s === undefined || s < 0) return '—'
  return Math.floor(s / 60) + ':' + String(Math.floor(s % 60)).padStart(2, '0')
}
