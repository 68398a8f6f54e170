// Writes small ESRI Shapefiles (PolyLine or Polygon, text attributes) and zip
// archives in the test itself, byte by byte after the published formats (ESRI
// Shapefile Technical Description 1998; dBASE III; PKWARE APPNOTE), so the
// upload tests need no tool and can also build hostile archives.
import zlib from 'node:zlib'

function mainHeader(type, words, box) {
  const h = Buffer.alloc(100)
  h.writeInt32BE(9994, 0)
  h.writeInt32BE(words, 24)
  h.writeInt32LE(1000, 28)
  h.writeInt32LE(type, 32)
  box.forEach((v, i) => h.writeDoubleLE(v, 36 + 8 * i))
  return h
}

function bbox(points) {
  const xs = points.map((p) => p[0]), ys = points.map((p) => p[1])
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]
}

function dbf(fields, rows) {
  const width = 80
  const header = Buffer.alloc(32)
  header[0] = 3
  header[1] = 126, header[2] = 12, header[3] = 5
  header.writeUInt32LE(rows.length, 4)
  header.writeUInt16LE(32 + 32 * fields.length + 1, 8)
  header.writeUInt16LE(1 + width * fields.length, 10)
  const descs = fields.map((f) => {
    const d = Buffer.alloc(32)
    d.write(f, 0, 'latin1')
    d[11] = 'C'.charCodeAt(0)
    d[16] = width
    return d
  })
  const recs = rows.map((r) => {
    const b = Buffer.alloc(1 + width * fields.length, ' ')
    fields.forEach((f, i) => b.write(String(r[f] ?? ''), 1 + width * i, 'utf8'))
    return b
  })
  return Buffer.concat([header, ...descs, Buffer.from([0x0d]), ...recs, Buffer.from([0x1a])])
}

/** {shp, shx, dbf} of features [{props, parts: [[[lon, lat], ...], ...]}]; polygon: type 5, else 3. */
export function shapefile(features, { polygon = false } = {}) {
  const type = polygon ? 5 : 3
  const all = features.flatMap((f) => f.parts.flat())
  const box = [...bbox(all), 0, 0, 0, 0]
  const records = []
  const index = []
  let offset = 50 // words
  features.forEach((f, k) => {
    const pts = f.parts.flat()
    const c = Buffer.alloc(44 + 4 * f.parts.length + 16 * pts.length)
    c.writeInt32LE(type, 0)
    bbox(pts).forEach((v, i) => c.writeDoubleLE(v, 4 + 8 * i))
    c.writeInt32LE(f.parts.length, 36)
    c.writeInt32LE(pts.length, 40)
    let start = 0
    f.parts.forEach((p, i) => { c.writeInt32LE(start, 44 + 4 * i); start += p.length })
    pts.forEach((p, i) => {
      c.writeDoubleLE(p[0], 44 + 4 * f.parts.length + 16 * i)
      c.writeDoubleLE(p[1], 44 + 4 * f.parts.length + 16 * i + 8)
    })
    const rh = Buffer.alloc(8)
    rh.writeInt32BE(k + 1, 0)
    rh.writeInt32BE(c.length / 2, 4)
    records.push(rh, c)
    const ix = Buffer.alloc(8)
    ix.writeInt32BE(offset, 0)
    ix.writeInt32BE(c.length / 2, 4)
    index.push(ix)
    offset += 4 + c.length / 2
  })
  const shp = Buffer.concat([mainHeader(type, offset, box), ...records])
  const shx = Buffer.concat([mainHeader(type, 50 + 4 * features.length, box), ...index])
  const fields = ['code', 'name', 'water_code', 'water_name', 'township']
  return { shp, shx, dbf: dbf(fields, features.map((f) => f.props)) }
}

/** A zip of entries [{name, data, method?: 0 stored | 8 deflated, size?: the declared size}]. */
export function zip(entries) {
  const locals = []
  const central = []
  let offset = 0
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8')
    const method = e.method ?? 8
    const body = method === 8 ? zlib.deflateRawSync(e.data) : e.data
    const crc = zlib.crc32(e.data)
    const size = e.size ?? e.data.length
    const l = Buffer.alloc(30)
    l.writeUInt32LE(0x04034b50, 0)
    l.writeUInt16LE(20, 4)
    l.writeUInt16LE(0x800, 6)
    l.writeUInt16LE(method, 8)
    l.writeUInt32LE(crc, 14)
    l.writeUInt32LE(body.length, 18)
    l.writeUInt32LE(size, 22)
    l.writeUInt16LE(name.length, 26)
    locals.push(l, name, body)
    const c = Buffer.alloc(46)
    c.writeUInt32LE(0x02014b50, 0)
    c.writeUInt16LE(20, 4)
    c.writeUInt16LE(20, 6)
    c.writeUInt16LE(0x800, 8)
    c.writeUInt16LE(method, 10)
    c.writeUInt32LE(crc, 16)
    c.writeUInt32LE(body.length, 20)
    c.writeUInt32LE(size, 24)
    c.writeUInt16LE(name.length, 28)
    c.writeUInt32LE(offset, 42)
    central.push(c, name)
    offset += 30 + name.length + body.length
  }
  const cd = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(cd.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, cd, end])
}
