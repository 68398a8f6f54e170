// The 双随机 draw replayed in the browser, exactly as docs/draw.md defines it and src/domain/draw.c
// implements it, so a citizen can check a published draw without the command line: the pool CSV
// (RFC 4180, `key` column), the canonical order and pool hash (SHA-256 of each key + LF in byte
// order), the seed commitment (SHA-256 of the 32 seed bytes), the generator (ChaCha20, original
// 64-bit nonce = the first 8 bytes of the pool hash, 64-bit counter from 0 → little-endian 32-bit
// words → unbiased integers below m), the partial Fisher–Yates draw and the inspector teams.
// Plain functions with no Vue or browser API, so Node runs them too (tests/browser/supervision).
// SHA-256 and ChaCha20 are written out here because WebCrypto has no ChaCha20 and no SHA-256 on a
// page served over plain HTTP.

const KEY_MAX = 64
const POOL_MAX = 100000
const utf8 = new TextEncoder()

// ---- SHA-256 (FIPS 180-4) ----
const K256 = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
])
const rotr = (x, n) => (x >>> n) | (x << (32 - n))

/** SHA-256 of bytes (Uint8Array) as a Uint8Array of 32. */
export function sha256(bytes) {
  const bitLen = bytes.length * 8
  const padded = new Uint8Array(((bytes.length + 9 + 63) >> 6) << 6)
  padded.set(bytes)
  padded[bytes.length] = 0x80
  const view = new DataView(padded.buffer)
  view.setUint32(padded.length - 8, Math.floor(bitLen / 0x100000000))
  view.setUint32(padded.length - 4, bitLen >>> 0)
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19])
  const w = new Uint32Array(64)
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4)
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3)
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10)
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0
    }
    let [a, b, c, d, e, f, g, hh] = h
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i]) >>> 0
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0
      hh = g
      g = f
      f = e
      e = (d + t1) >>> 0
      d = c
      c = b
      b = a
      a = (t1 + t2) >>> 0
    }
    const add = [a, b, c, d, e, f, g, hh]
    for (let i = 0; i < 8; i++) h[i] = (h[i] + add[i]) >>> 0
  }
  const out = new Uint8Array(32)
  const ov = new DataView(out.buffer)
  for (let i = 0; i < 8; i++) ov.setUint32(i * 4, h[i])
  return out
}

export const toHex = (bytes) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')

/** The 32 bytes of a seed written as 64 hex digits; null when it is not one. */
export function seedBytes(hex) {
  if (typeof hex !== 'string' || !/^[0-9a-fA-F]{64}$/.test(hex)) return null
  return Uint8Array.from(hex.match(/../g), (p) => parseInt(p, 16))
}

// ---- ChaCha20, original form (libsodium crypto_stream_chacha20) ----
function quarter(s, a, b, c, d) {
  s[a] = (s[a] + s[b]) >>> 0
  s[d] = rotr(s[d] ^ s[a], 16)
  s[c] = (s[c] + s[d]) >>> 0
  s[b] = rotr(s[b] ^ s[c], 20)
  s[a] = (s[a] + s[b]) >>> 0
  s[d] = rotr(s[d] ^ s[a], 24)
  s[c] = (s[c] + s[d]) >>> 0
  s[b] = rotr(s[b] ^ s[c], 25)
}

/**
 * The keystream as 32-bit words: key = the 32-byte seed, nonce = 8 bytes, block counter from 0 in
 * state words 12-13, the nonce in 14-15. Returns next() giving w0, w1, … (unsigned).
 */
export function words(seed, nonce) {
  const kv = new DataView(seed.buffer, seed.byteOffset, 32)
  const nv = new DataView(nonce.buffer, nonce.byteOffset, 8)
  const init = new Uint32Array(16)
  init.set([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574])
  for (let i = 0; i < 8; i++) init[4 + i] = kv.getUint32(i * 4, true)
  init[14] = nv.getUint32(0, true)
  init[15] = nv.getUint32(4, true)
  let counter = 0
  let block = null
  let pos = 16
  const x = new Uint32Array(16)
  return () => {
    if (pos === 16) {
      init[12] = counter % 0x100000000
      init[13] = Math.floor(counter / 0x100000000)
      counter++
      x.set(init)
      for (let r = 0; r < 10; r++) {
        quarter(x, 0, 4, 8, 12)
        quarter(x, 1, 5, 9, 13)
        quarter(x, 2, 6, 10, 14)
        quarter(x, 3, 7, 11, 15)
        quarter(x, 0, 5, 10, 15)
        quarter(x, 1, 6, 11, 12)
        quarter(x, 2, 7, 8, 13)
        quarter(x, 3, 4, 9, 14)
      }
      block = x.map((v, i) => (v + init[i]) >>> 0)
      pos = 0
    }
    return block[pos++]
  }
}

/** A uniform integer below m (1 ≤ m < 2³²) from the word source, rejecting the biased tail. */
export function below(next, m) {
  const limit = 0x100000000 - (0x100000000 % m)
  for (;;) {
    const x = next()
    if (x < limit) return x % m
  }
}

// ---- the pool ----
export class PoolError extends Error {
  constructor(code, line, detail = '') {
    super(`${code}${line ? ' (line ' + line + ')' : ''}${detail ? ': ' + detail : ''}`)
    this.code = code
    this.line = line
  }
}

/** Whether key is a valid pool key (docs/draw.md §2). */
export function validKey(key) {
  const b = utf8.encode(key)
  if (b.length < 1 || b.length > KEY_MAX) return false
  // only the ASCII space counts at the edges, as in draw.c; TAB and CR are control characters
  if (/[\u0000-\u001f\u007f]/.test(key) || key[0] === ' ' || key[key.length - 1] === ' ' || /^[=+\-@]/.test(key)) return false
  return !/[\ud800-\udfff]/.test(key.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))
}

function compareBytes(a, b) {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i]
  return a.length - b.length
}

/** Keys in canonical order (by their UTF-8 bytes); PoolError on a bad or duplicate key. */
export function canonical(keys) {
  const enc = keys.map((k) => {
    if (!validKey(k)) throw new PoolError('bad_key', 0, k)
    return [utf8.encode(k), k]
  })
  enc.sort((a, b) => compareBytes(a[0], b[0]))
  for (let i = 1; i < enc.length; i++) if (compareBytes(enc[i - 1][0], enc[i][0]) === 0) throw new PoolError('duplicate', 0, enc[i][1])
  return enc.map((e) => e[1])
}

/** SHA-256 of the canonical serialisation (each key + LF) of sorted keys, as bytes. */
export function poolHash(sorted) {
  const parts = sorted.map((k) => utf8.encode(k + '\n'))
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let off = 0
  for (const p of parts) {
    all.set(p, off)
    off += p.length
  }
  return sha256(all)
}

/** RFC 4180 records of text (LF or CRLF, optional BOM); PoolError on a stray quote. */
export function parseCsv(text) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  const rows = []
  let row = []
  let field = ''
  let quoted = false
  let wasQuoted = false
  let line = 1
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') {
        quoted = false
      } else {
        if (c === '\n') line++
        field += c
      }
    } else if (c === '"') {
      if (field !== '' || wasQuoted) throw new PoolError('bad_quote', line)
      quoted = wasQuoted = true
    } else if (c === ',') {
      row.push(field)
      field = ''
      wasQuoted = false
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') i++
      row.push(field)
      rows.push({ line, row })
      row = []
      field = ''
      wasQuoted = false
      line++
    } else {
      if (wasQuoted) throw new PoolError('bad_quote', line)
      field += c
    }
  }
  if (quoted) throw new PoolError('bad_quote', line)
  if (field !== '' || row.length || wasQuoted) {
    row.push(field)
    rows.push({ line, row })
  }
  return rows.filter((r) => !(r.row.length === 1 && r.row[0] === ''))
}

/** The keys of the named column of a CSV (header line first); PoolError when absent or too many. */
export function csvColumn(text, name) {
  const rows = parseCsv(text)
  if (!rows.length) throw new PoolError('no_header', 1)
  const col = rows[0].row.indexOf(name)
  if (col < 0) throw new PoolError('no_key_column', 1, name)
  if (rows.length - 1 > POOL_MAX) throw new PoolError('too_many', rows[POOL_MAX + 1].line)
  return rows.slice(1).map((r) => {
    const v = r.row[col] ?? ''
    if (!validKey(v)) throw new PoolError('bad_key', r.line, v)
    return v
  })
}

/** Bytes as UTF-8 text; PoolError on invalid UTF-8 (draw.c refuses it; a lenient decoder would
 * turn it into U+FFFD and hash something else). */
export function decodeUtf8(bytes) {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch {
    throw new PoolError('bad_utf8', 0)
  }
}

/** The pool of a pool CSV: {keys (canonical), hash (hex)}. */
export function readPool(text) {
  const keys = canonical(csvColumn(text, 'key'))
  return { keys, hash: toHex(poolHash(keys)) }
}

/** The draw of count keys from a canonical pool with the 32-byte seed (docs/draw.md §3.5). */
export function replay(seed, keys, count) {
  if (count > keys.length) throw new PoolError('count_exceeds_pool', 0)
  const next = words(seed, poolHash(keys).subarray(0, 8))
  const a = keys.slice()
  for (let i = 0; i < count; i++) {
    const j = i + below(next, a.length - i)
    ;[a[i], a[j]] = [a[j], a[i]]
  }
  return a.slice(0, count)
}

/**
 * The inspector teams (docs/draw.md §3, "Inspector teams"): one keystream with the inspector
 * pool's hash as nonce; for each target in order, the pool without its conflicts, k drawn by
 * partial Fisher–Yates. conflicts: [[target, inspector]]. Returns [[inspector…]] per target.
 */
export function teams(seed, inspectors, targets, k, conflicts) {
  const next = words(seed, poolHash(inspectors).subarray(0, 8))
  return targets.map((t) => {
    const barred = new Set(conflicts.filter(([ct]) => ct === t).map(([, ci]) => ci))
    const e = inspectors.filter((i) => !barred.has(i))
    if (e.length < k) throw new PoolError('team_too_small', 0, t)
    for (let i = 0; i < k; i++) {
      const j = i + below(next, e.length - i)
      ;[e[i], e[j]] = [e[j], e[i]]
    }
    return e.slice(0, k)
  })
}

/** The conflict pairs of a conflicts CSV (header target,inspector). */
export function readConflicts(text) {
  const rows = parseCsv(text)
  if (!rows.length) return []
  const ti = rows[0].row.indexOf('target')
  const ii = rows[0].row.indexOf('inspector')
  if (ti < 0 || ii < 0) throw new PoolError('no_key_column', 1, 'target,inspector')
  return rows.slice(1).map((r) => [r.row[ti], r.row[ii]])
}
