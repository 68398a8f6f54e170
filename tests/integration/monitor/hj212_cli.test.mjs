// `ecogov hj212 decode|encode` against the conformance vectors and the real capture sample.
// Runs the real binary (ECOGOV_BIN) from the repository root; node built-ins only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const BIN = process.env.ECOGOV_BIN;
const VECTORS = 'tests/data/hj212/hj212-vectors.tsv';
const SAMPLE = 'tests/data/hj212/hj212-real-sample.h212';

// The vector paths this CPU has (src/core/simd.h), each forced in turn by ECOGOV_SIMD for
// the byte-for-byte fixture tests below, so a broken narrower path fails on a wide machine.
const SIMD_LEVELS = (() => {
  let flags = '';
  try {
    flags = readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1] ?? '';
  } catch {
    return ['']; // not Linux: the machine's own path only
  }
  const has = new Set(flags.trim().split(/\s+/));
  return ['sse2', ...(has.has('avx2') ? ['avx2'] : []), ...(has.has('avx512bw') ? ['avx512'] : [])];
})();

function run(args, input, simd = '') {
  const env = simd ? { ...process.env, ECOGOV_SIMD: simd } : process.env;
  const r = spawnSync(BIN, ['hj212', ...args], { input, env, maxBuffer: 64 << 20 });
  assert.equal(r.error, undefined);
  assert.equal(r.signal, null, `killed by ${r.signal}: ${r.stderr}`);
  return r;
}

function lines(buf) {
  return buf.toString('utf8').split('\n').filter((l) => l.length).map((l) => JSON.parse(l));
}

function vectors() {
  return readFileSync(VECTORS, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#') && !l.startsWith('id\t'))
    .map((l) => {
      const [id, expect, , frame] = l.split('\t');
      return { id, expect, frame };
    });
}

// Header fields found independently of the codec: split the part before ";CP=" on ';'.
function header(frame) {
  const seg = frame.slice(6, frame.indexOf('CP=&&'));
  return Object.fromEntries(seg.split(';').filter(Boolean).map((kv) => kv.split('=')));
}

test('binary is configured', () => {
  assert.ok(BIN, 'set ECOGOV_BIN');
});

test('every vector decodes or is rejected as labelled', () => {
  const vs = vectors();
  assert.equal(vs.length, 45);
  for (const v of vs) {
    const r = run(['decode'], Buffer.from(v.frame + '\r\n', 'utf8'));
    const out = lines(r.stdout);
    assert.equal(out.length, 1, v.id);
    const o = out[0];
    assert.equal(o.offset, 0, v.id);
    if (v.expect === 'ok') {
      assert.equal(o.ok, true, `${v.id}: ${JSON.stringify(o)}`);
      assert.equal(r.status, 0, v.id);
      const h = header(v.frame);
      assert.equal(o.st, h.ST, v.id);
      assert.equal(o.cn, h.CN, v.id);
      assert.equal(o.mn, h.MN, v.id);
      assert.equal(o.pw, h.PW ?? null, v.id);
      assert.equal(o.qn, h.QN ?? null, v.id);
      assert.equal(o.flag, h.Flag === undefined ? null : Number(h.Flag), v.id);
      const version = h.Flag === undefined ? 0 : Number(h.Flag) >> 2;
      assert.equal(o.edition, ['2005', '2017'][version] ?? 'unknown', v.id);
    } else {
      assert.equal(o.ok, false, v.id);
      assert.equal(o.error, v.expect, v.id);
      assert.equal(r.status, 1, v.id);
    }
  }
});

test('all vectors in one stream: offsets and resynchronisation', () => {
  const vs = vectors();
  const parts = [];
  const offsets = [];
  let off = 0;
  for (const v of vs) {
    const junk = Buffer.from('\x00\xffjunk #\r\n');
    const b = Buffer.from(v.frame + '\r\n', 'utf8');
    parts.push(junk, b);
    offsets.push(off + junk.length);
    off += junk.length + b.length;
  }
  const out = lines(run(['decode'], Buffer.concat(parts)).stdout);
  assert.equal(out.length, vs.length);
  out.forEach((o, i) => {
    assert.equal(o.offset, offsets[i], vs[i].id);
    assert.equal(o.ok ? 'ok' : o.error, vs[i].expect, vs[i].id);
  });
});

test('S5: the documented JSON shape', () => {
  const s5 = vectors().find((v) => v.id === 'S5');
  const [o] = lines(run(['decode'], s5.frame + '\r\n').stdout);
  assert.equal(o.edition, '2017');
  assert.equal(o.datatime, '2022-05-13T16:26:00+08:00');
  assert.equal(o.ack, false);
  assert.deepEqual(o.cp, { DataTime: '20220513162600' });
  assert.equal(o.values.length, 11);
  assert.deepEqual(o.values.find((v) => v.code === 'a34004'), {
    code: 'a34004', field: 'Avg', value: '14', flag: 'N',
  });
  assert.deepEqual(o.values.find((v) => v.code === 'a21005').value, '0.427');
});

test('real sample: 2999 of 3000 frames decode, line 2108 is bad_length', () => {
  const buf = readFileSync(SAMPLE);
  const r = run(['decode'], buf);
  assert.equal(r.status, 1);
  const out = lines(r.stdout);
  assert.equal(out.length, 3000);
  assert.equal(out.filter((o) => o.ok).length, 2999);
  const bad = out.filter((o) => !o.ok);
  assert.equal(bad.length, 1);
  assert.equal(bad[0].error, 'bad_length');
  let line = 1;
  for (let i = 0; i < bad[0].offset; i++) if (buf[i] === 0x0a) line++;
  assert.equal(line, 2108);
  // frames carrying ST=<NUL><NUL> still decode (lines 251, 435, 1354, 1444)
  for (const n of [251, 435, 1354, 1444]) assert.equal(out[n - 1].st, '\u0000\u0000', `line ${n}`);
  // offsets are the line starts
  let pos = 0;
  const starts = [];
  for (let i = 0; i < 3000; i++) {
    starts.push(pos);
    pos = buf.indexOf(0x0a, pos) + 1;
  }
  out.forEach((o, i) => assert.equal(o.offset, starts[i]));
});

test('encode: decoded JSON encodes back to the same frame', () => {
  for (const id of ['S5', 'S1', 'C50-pno1', 'C14-9014', 'R5']) {
    const v = vectors().find((x) => x.id === id);
    const [o] = lines(run(['decode'], v.frame + '\r\n').stdout);
    const req = { ...o, edition: o.edition };
    const r = run(['encode'], JSON.stringify(req) + '\n');
    assert.equal(r.status, 0, `${id}: ${r.stderr}`);
    assert.equal(r.stdout.toString('utf8'), v.frame + '\r\n', id);
  }
});

test('encode: items, log text, errors', () => {
  const input = [
    { st: '32', cn: 3020, mn: 'M1', qn: '20160801085857223', pw: '123456', flag: 5,
      cp: [['DataTime', '20100301145000'], { key: 'i11001-Info', value: '清洗;管路', log: true }] },
    { st: '22', cn: '2011', mn: 'M2', edition: '2005', cp: { 'a34004-Rtd': 12.5 } },
    { cn: 2011 },
    [1],
  ].map((x) => JSON.stringify(x)).join('\n') + '\nnot json\n';
  const r = run(['encode'], input);
  assert.equal(r.status, 1);
  const err = r.stderr.toString();
  assert.match(err, /line 3: bad_value/);
  assert.match(err, /line 4: each line must be a JSON object/);
  assert.match(err, /line 5:/);
  const frames = r.stdout.toString('utf8').split('\r\n').filter(Boolean);
  assert.equal(frames.length, 2);
  assert.match(frames[1], /^##0042ST=22;CN=2011;MN=M2;CP=&&a34004-Rtd=12\.5&&[0-9A-F]{4}$/);
  const out = lines(run(['decode'], r.stdout).stdout);
  assert.equal(out.length, 2);
  assert.ok(out.every((o) => o.ok));
  assert.deepEqual(out[0].values[0], { code: 'i11001', field: 'Info', value: '清洗;管路', log: true });
  assert.equal(out[1].edition, '2005');
});

test('--max-frame, usage errors, hostile bytes', () => {
  const s5 = vectors().find((v) => v.id === 'S5').frame + '\r\n';
  let [o] = lines(run(['decode', '--max-frame', '400'], s5).stdout);
  assert.equal(o.error, 'too_long');
  [o] = lines(run(['decode', '--max-frame', '423'], s5).stdout);
  assert.equal(o.ok, true);
  assert.equal(run(['decode', '--max-frame', 'x'], '').status, 2);
  assert.equal(run(['frobnicate'], '').status, 2);
  assert.equal(run([], '').status, 2);
  // random bytes with "##" sprinkled in never crash and yield only well-formed JSON
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 8) & 0xff;
  const junk = Buffer.alloc(200000, 0).map(() => rnd());
  for (let i = 0; i < junk.length; i += 997) junk.write('##0' + (i % 10) + '12', i, 'latin1');
  const r = run(['decode'], junk);
  assert.ok(r.status === 0 || r.status === 1);
  for (const x of lines(r.stdout)) assert.equal(typeof x.ok, 'boolean');
  // a truncated frame at the end of the stream
  [o] = lines(run(['decode'], s5.slice(0, 100)).stdout);
  assert.equal(o.error, 'truncated');
  assert.equal(run(['crc'], '123456789').stdout.toString(), '2F80\n');
});

// The decoder writes its JSON directly (src/tools/tool_jsonw.c) instead of through a jansson
// tree; these fixtures are the jansson-era binary's output, kept to show the text did not
// change by a byte. decode-bytes.h212 puts every byte 0-255 in values, keys (plain and
// factor), log text and header fields, plus valid, overlong, surrogate, out-of-range and
// torn UTF-8, and keys that differ only in bytes repaired to U+FFFD.
function sameBytes(got, fixture, what) {
  const want = gunzipSync(readFileSync(fixture));
  if (Buffer.compare(got, want) === 0) return;
  const a = got.toString('latin1').split('\n');
  const b = want.toString('latin1').split('\n');
  const i = a.findIndex((l, k) => l !== b[k]);
  assert.fail(`${what}: line ${i + 1} differs\n got: ${a[i]}\nwant: ${b[i]}`);
}

for (const simd of SIMD_LEVELS) {
  test(`real sample: output byte for byte as the jansson-era decoder wrote it [${simd}]`, () => {
    const r = run(['decode'], readFileSync(SAMPLE), simd);
    assert.equal(r.status, 1);
    sameBytes(r.stdout, 'tests/data/hj212/decode-sample.jsonl.gz', 'sample');
  });

  // decode-clean.h212: frames with nothing to escape (the decoder's fast path for them):
  // every edition and the ack bit, log values, Flag and EFlag with and without values,
  // strings of every length 0-40 in every place, repeated header and plain keys, split
  // packets, a bad and a missing DataTime, an empty CP area. Output of the decoder before
  // its clean-frame path, which the fixtures above tie to the jansson-era text.
  test(`clean frames: output byte for byte as before the clean-frame path [${simd}]`, () => {
    const input = readFileSync('tests/data/hj212/decode-clean.h212');
    const r = run(['decode'], input, simd);
    assert.equal(r.status, 0);
    sameBytes(r.stdout, 'tests/data/hj212/decode-clean.jsonl.gz', 'clean');
    const ri = run(['decode', '--items'], input, simd);
    sameBytes(ri.stdout, 'tests/data/hj212/decode-clean-items.jsonl.gz', 'clean --items');
    assert.equal(lines(r.stdout).length, 53);
  });

  test(`every byte 0-255 and broken UTF-8: escaped as before, output valid JSON [${simd}]`, () => {
    const input = readFileSync('tests/data/hj212/decode-bytes.h212');
    const r = run(['decode'], input, simd);
    sameBytes(r.stdout, 'tests/data/hj212/decode-bytes.jsonl.gz', 'bytes');
    const ri = run(['decode', '--items'], input, simd);
    sameBytes(ri.stdout, 'tests/data/hj212/decode-bytes-items.jsonl.gz', 'bytes --items');
    // every line parses, and each byte comes back as itself (control bytes, quote, backslash,
    // NUL) or as U+FFFD (a byte >= 0x80 that is not part of valid UTF-8)
    const out = lines(ri.stdout);
    assert.equal(out.length, 530);
    for (let b = 0; b < 256; b++) {
      const o = out[b];
      const key = 'v' + b.toString(16).toUpperCase().padStart(2, '0');
      if (!o.ok) {
        assert.ok([0x0a, 0x2c, 0x3b, 0x3d].includes(b), `byte ${b}: ${o.error}`);
        continue;
      }
      const want = b < 0x80 ? String.fromCharCode(b) : '\ufffd';
      assert.equal(o.cp[key], 'a' + want + 'z', `byte ${b}`);
    }
  });
}

// A regular file on stdin is mapped instead of read (tool_hj212_decode.c): the same bytes out
// as through a pipe, from the start and from wherever the file's offset stands (not a whole
// page, and a whole page, into it).
function runFromFile(args, path, skip) {
  const fd = openSync(path, 'r');
  if (skip) readSync(fd, Buffer.alloc(skip), 0, skip, null);
  const r = spawnSync(BIN, ['hj212', ...args], { stdio: [fd, 'pipe', 'pipe'], maxBuffer: 256 << 20 });
  closeSync(fd);
  assert.equal(r.error, undefined);
  assert.equal(r.signal, null, `killed by ${r.signal}: ${r.stderr}`);
  return r;
}

test('a file on stdin decodes as the same bytes through a pipe do', () => {
  for (const path of [SAMPLE, 'tests/data/hj212/decode-clean.h212', 'tests/data/hj212/decode-bytes.h212']) {
    const input = readFileSync(path);
    for (const args of [['decode'], ['decode', '--items']]) {
      for (const skip of [0, 1000, 4096]) {
        const piped = run(args, input.subarray(skip));
        const filed = runFromFile(args, path, skip);
        assert.equal(filed.status, piped.status, `${path} ${args} from ${skip}`);
        assert.ok(Buffer.compare(filed.stdout, piped.stdout) === 0, `${path} ${args} from ${skip}`);
      }
    }
  }
});

// After a mapped decode stdin stands at end of file, as after reading it (or a pipe) to the
// end: the next command on the same descriptor reads nothing.
test('a file on stdin is left at its end after decode', () => {
  for (const skip of [0, 1000]) {
    const fd = openSync(SAMPLE, 'r');
    if (skip) readSync(fd, Buffer.alloc(skip), 0, skip, null);
    const r = spawnSync('sh', ['-c', '"$0" hj212 decode >/dev/null; wc -c', BIN], { stdio: [fd, 'pipe', 'pipe'] });
    closeSync(fd);
    assert.equal(r.status, 0, r.stderr.toString());
    assert.equal(r.stdout.toString().trim(), '0', `from ${skip}`);
  }
});

// A mapped file cut short while it is decoded: the decoder is held on its output (stdout
// paused while it is in the middle of a 1 MB write, a few MB into 20) while the file is
// truncated, so it must reach a page past the new end: an I/O error (exit 3, said on stderr),
// never a signal, and every line written before it whole.
test('a file truncated while it is decoded: exit 3, not a crash', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hj212-trunc-'));
  try {
    const path = join(dir, 'capture.h212');
    const sample = readFileSync(SAMPLE);
    writeFileSync(path, Buffer.concat(Array(24).fill(sample))); // ~20 MB
    const fd = openSync(path, 'r');
    const child = spawn(BIN, ['hj212', 'decode'], { stdio: [fd, 'pipe', 'pipe'] });
    closeSync(fd);
    const out = [];
    const err = [];
    child.stderr.on('data', (b) => err.push(b));
    child.stdout.once('data', (b) => {
      child.stdout.pause();
      out.push(b);
      truncateSync(path, 100000);
      child.stdout.on('data', (more) => out.push(more));
      child.stdout.resume();
    });
    const [code, signal] = await new Promise((done) => child.on('close', (c, s) => done([c, s])));
    const stderr = Buffer.concat(err).toString();
    assert.equal(signal, null, stderr);
    assert.equal(code, 3, stderr);
    assert.match(stderr, /read error \(input file truncated or I\/O failure\)/);
    const text = Buffer.concat(out).toString('utf8');
    assert.ok(text.length > 0 && text.endsWith('\n'), 'output ends with a whole line');
    const decoded = text.split('\n').filter((x) => x.length).map((l) => JSON.parse(l));
    assert.ok(decoded.length > 0 && decoded.length < 24 * 3000, `${decoded.length} lines`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
