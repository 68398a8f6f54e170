// Reads the first worksheet of an xlsx workbook back into rows of cell texts,
// enough for the tests to check an export: the zip's central directory, the
// entries inflated with node:zlib, shared strings resolved, inline numbers kept.
import { inflateRawSync } from 'node:zlib'

function entries(buf) {
  let eocd = buf.length - 22
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--
  if (eocd < 0) throw new Error('not a zip: no end of central directory')
  const count = buf.readUInt16LE(eocd + 10)
  let at = buf.readUInt32LE(eocd + 16)
  const out = new Map()
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory')
    const method = buf.readUInt16LE(at + 10)
    const size = buf.readUInt32LE(at + 20)
    const nameLen = buf.readUInt16LE(at + 28)
    const extraLen = buf.readUInt16LE(at + 30)
    const commentLen = buf.readUInt16LE(at + 32)
    const local = buf.readUInt32LE(at + 42)
    const name = buf.subarray(at + 46, at + 46 + nameLen).toString('utf8')
    const data = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28)
    const raw = buf.subarray(data, data + size)
    out.set(name, method === 8 ? inflateRawSync(raw) : raw)
    at += 46 + nameLen + extraLen + commentLen
  }
  return out
}

const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')

/** The first sheet's rows, each an array of cell texts (numbers as strings). */
export function xlsxRows(buf) {
  const files = entries(buf)
  const shared = []
  const sst = files.get('xl/sharedStrings.xml')
  if (sst) for (const m of sst.toString('utf8').matchAll(/<si>(.*?)<\/si>/gs)) shared.push(unescape([...m[1].matchAll(/<t[^>]*>(.*?)<\/t>/gs)].map((t) => t[1]).join('')))
  const sheet = files.get('xl/worksheets/sheet1.xml').toString('utf8')
  const rows = []
  for (const r of sheet.matchAll(/<row [^>]*>(.*?)<\/row>/gs)) {
    const cells = []
    for (const c of r[1].matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
      const col = [...c[1]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1
      const v = /<v>(.*?)<\/v>/s.exec(c[3] ?? '')
      cells[col] = !v ? '' : /t="s"/.test(c[2]) ? shared[Number(v[1])] : v[1]
    }
    rows.push(Array.from(cells, (x) => x ?? ''))
  }
  return rows
}
