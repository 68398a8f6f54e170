// HJ 212 helpers for the device tests: framing with the CRC (the standard's, not Modbus), Beijing
// time stamps, a TCP peer that collects the frames it is sent, and polling.
export function crc(buf) {
  let reg = 0xffff
  for (const b of buf) {
    reg = (reg >> 8) ^ b
    for (let i = 0; i < 8; i++) {
      const lsb = reg & 1
      reg >>= 1
      if (lsb) reg ^= 0xa001
    }
  }
  return reg
}

/** A framed HJ 212 message from its data segment (badCrc: a wrong CRC on purpose). */
export function frame(data, { badCrc = false } = {}) {
  const seg = Buffer.from(data, 'utf8')
  let c = crc(seg)
  if (badCrc) c ^= 0x1234
  return Buffer.concat([
    Buffer.from('##' + String(seg.length).padStart(4, '0')),
    seg,
    Buffer.from(c.toString(16).toUpperCase().padStart(4, '0') + '\r\n'),
  ])
}

/** 14-digit Beijing time of UTC seconds, and back. */
export function bj(sec) {
  const t = new Date((sec + 8 * 3600) * 1000).toISOString()
  return t.slice(0, 4) + t.slice(5, 7) + t.slice(8, 10) + t.slice(11, 13) + t.slice(14, 16) + t.slice(17, 19)
}
export function fromBj(s) {
  const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(8, 10)}:${s.slice(10, 12)}:${s.slice(12, 14)}+08:00`
  return Math.floor(Date.parse(iso) / 1000)
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** QNs: a fixed date, then a sequence (unique within one test file). */
export function qnMaker(prefix) {
  let seq = 0
  return () => prefix + String(++seq).padStart(3, '0')
}

/** A TCP peer collecting CRLF-terminated frames; onFrame sees each one. */
export class Peer {
  constructor(sock) {
    this.sock = sock
    this.buf = ''
    this.frames = []
    sock.on('error', () => {})
    sock.on('data', (d) => {
      this.buf += d.toString('latin1')
      let i
      while ((i = this.buf.indexOf('\r\n')) >= 0) {
        const f = this.buf.slice(0, i)
        this.buf = this.buf.slice(i + 2)
        this.frames.push(f)
        if (this.onFrame) this.onFrame(f)
      }
    })
  }
  async waitFor(pred, ms = 10000) {
    const end = Date.now() + ms
    for (;;) {
      const f = this.frames.find(pred)
      if (f) return f
      if (Date.now() > end) throw new Error('no matching frame; got ' + JSON.stringify(this.frames.slice(-5)))
      await sleep(50)
    }
  }
}

/** Calls fn until it returns something truthy (returned), or throws after ms. */
export async function poll(fn, ms = 15000, what = 'condition') {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error(what + ' not met in time')
    await sleep(100)
  }
}
