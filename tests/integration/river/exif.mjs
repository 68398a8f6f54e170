// A small JPEG with an EXIF GPS block (N/E, degrees-minutes-seconds as whole
// rationals), built byte by byte as a phone camera lays it out, for the
// patrol and signboard photo tests.
export function exifJpeg([d, m, s], [ld, lm, ls]) {
  const t = Buffer.alloc(128)
  t.write('II', 0, 'latin1')
  t.writeUInt16LE(0x2a, 2)
  t.writeUInt32LE(8, 4)
  let p = 8
  const u16 = (v) => { t.writeUInt16LE(v, p); p += 2 }
  const u32 = (v) => { t.writeUInt32LE(v, p); p += 4 }
  u16(1); u16(0x8825); u16(4); u32(1); u32(26); u32(0)
  u16(4)
  u16(1); u16(2); u32(2); t.write('N\0\0\0', p, 'latin1'); p += 4
  u16(2); u16(5); u32(3); u32(80)
  u16(3); u16(2); u32(2); t.write('E\0\0\0', p, 'latin1'); p += 4
  u16(4); u16(5); u32(3); u32(104)
  u32(0)
  for (const v of [d, m, s, ld, lm, ls]) { u32(v); u32(1) }
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0, 2 + 6 + p]), Buffer.from('Exif\0\0', 'latin1'), t.subarray(0, p)])
  return new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xd8]), app1, Buffer.from([0xff, 0xd9])]))
}
