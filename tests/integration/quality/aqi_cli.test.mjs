// Integration test for `ecogov aqi`: every hourly/daily row of the conformance
// vectors goes through the real binary as CSV, and AQI, primary pollutant,
// category and every sub-index are checked; then hostile input. Node built-ins
// only; binary at process.env.ECOGOV_BIN; cwd = repo root.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const BIN = process.env.ECOGOV_BIN;
const HEADER = 'time,kind,so2,no2,co,o3_1h,o3_8h,pm10,pm25,o3_1h_max,so2_24h';
const COLS = HEADER.split(',');

function run(input, args = []) {
  const r = spawnSync(BIN, ['aqi', ...args], { input, encoding: 'utf8', timeout: 30000 });
  assert.equal(r.error, undefined, String(r.error));
  return r;
}

// Vector input keys -> CSV column, per kind.
const KEY_COLUMN = {
  hourly: {
    SO2_1h: 'so2', NO2_1h: 'no2', CO_1h: 'co', O3_1h: 'o3_1h', PM10_1h: 'pm10',
    'PM2.5_1h': 'pm25', SO2_24h: 'so2_24h',
  },
  daily: {
    SO2_24h: 'so2', NO2_24h: 'no2', CO_24h: 'co', PM10_24h: 'pm10', 'PM2.5_24h': 'pm25',
    O3_8h_max: 'o3_8h', O3_1h_max: 'o3_1h_max',
  },
};
// Sub-index names in the expectations -> output column.
const SUB_COLUMN = {
  SO2: 'iaqi_so2', NO2: 'iaqi_no2', CO: 'iaqi_co', O3: 'iaqi_o3_1h', O3_1h: 'iaqi_o3_1h',
  O3_8h: 'iaqi_o3_8h', PM10: 'iaqi_pm10', 'PM2.5': 'iaqi_pm25',
};
// A date on each side of 2026-03-01, so `auto` picks the vector's edition.
const DATE = { 2012: '2021-09-07', 2026: '2026-03-01' };

function loadVectors() {
  const rows = [];
  let header = false;
  for (const line of readFileSync('tests/data/aqi/aqi-vectors.tsv', 'utf8').split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    if (!header) { header = true; continue; }
    const [standard, kind, inputs, expected] = line.split('\t');
    if (kind === 'iaqi') continue;
    rows.push({ standard, kind, inputs, expected });
  }
  return rows;
}

function toCsvRow(v) {
  const cells = Object.fromEntries(COLS.map((c) => [c, '']));
  cells.time = v.kind === 'hourly' ? `${DATE[v.standard]} 13:00` : DATE[v.standard];
  cells.kind = v.kind;
  for (const kv of v.inputs.split(';')) {
    const [k, val] = kv.split('=');
    const col = KEY_COLUMN[v.kind][k];
    assert.ok(col, `no CSV column for ${v.kind} input ${k}`);
    cells[col] = val;
  }
  return COLS.map((c) => cells[c]).join(',');
}

// Parses the expectation column into { aqi, primary, category, subs }.
function parseExpected(text) {
  const out = { subs: {} };
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq);
    const val = part.slice(eq + 1);
    if (key === 'AQI') {
      if (val.startsWith('depends')) {
        // Overflow policy: "(with cap: AQI=500, primary=PM2.5, overflow flag)".
        const m = /with cap: AQI=(\d+), primary=([^,)]+)/.exec(val);
        assert.ok(m, `cannot read the overflow policy in ${val}`);
        out.aqi = m[1];
        out.primary = m[2];
      } else {
        out.aqi = val;
      }
    } else if (key === 'primary') {
      out.primary = val === 'none' ? '-' : val.split(',').join('+');
    } else if (key === 'category') {
      out.category = val;
    } else if (key === 'IAQI') {
      for (const item of val.split(',')) {
        const [name, v] = item.split(':');
        const col = SUB_COLUMN[name];
        assert.ok(col, `unknown sub-index ${name}`);
        out.subs[col] = v === '-' ? 'NA' : v === 'off-table' ? '500' : v;
      }
    }
  }
  return out;
}

function parseOutput(stdout) {
  const lines = stdout.trimEnd().split('\n');
  const head = lines[0].split(',');
  return lines.slice(1).map((l) => {
    const cells = l.split(',');
    assert.equal(cells.length, head.length, `output row has ${cells.length} cells: ${l}`);
    return Object.fromEntries(head.map((h, i) => [h, cells[i]]));
  });
}

test('every hourly and daily vector passes through ecogov aqi', () => {
  const vectors = loadVectors();
  assert.equal(vectors.length, 18);
  const input = [HEADER, ...vectors.map(toCsvRow)].join('\n') + '\n';
  const r = run(input, ['--flags']);
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0);
  const rows = parseOutput(r.stdout);
  assert.equal(rows.length, vectors.length);
  vectors.forEach((v, i) => {
    const got = rows[i];
    const want = parseExpected(v.expected);
    const where = `${v.standard} ${v.kind} ${v.inputs}`;
    assert.equal(got.standard, v.standard, where);
    if (want.aqi !== undefined) assert.equal(got.aqi, want.aqi, `${where}: aqi`);
    if (want.primary !== undefined) assert.equal(got.primary, want.primary, `${where}: primary`);
    if (want.category !== undefined) assert.equal(got.category, want.category, `${where}: category`);
    for (const [col, val] of Object.entries(want.subs)) assert.equal(got[col], val, `${where}: ${col}`);
    if (v.expected.includes('overflow')) assert.match(got.flags, /overflow:PM2\.5/, where);
    if (want.aqi === 'NA') assert.match(got.flags, /withheld/, where);
  });
});

test('--standard forces the edition regardless of the date', () => {
  const base = 'time,kind,so2,no2,co,o3_1h,o3_8h,pm10,pm25,o3_1h_max\n';
  const row = '2026-03-01,daily,,,,,,,75,\n';
  const auto = parseOutput(run(base + row).stdout)[0];
  const forced = parseOutput(run(base + row, ['--standard', '2012']).stdout)[0];
  const forced2 = parseOutput(run(base + '2013-03-06,daily,,,,,,,75,\n', ['--standard=2026']).stdout)[0];
  assert.equal(auto.standard, '2026');
  assert.equal(auto.iaqi_pm25, '114');
  assert.equal(forced.standard, '2012');
  assert.equal(forced.iaqi_pm25, '100');
  assert.equal(forced2.standard, '2026');
  // 2026: a pollutant missing and AQI > 100 -> published.
  assert.equal(forced2.aqi, '114');
  // The day before the switch is 2012.
  const before = parseOutput(run(base + '2026-02-28 23:00,hourly,,,,,,,75,\n').stdout)[0];
  assert.equal(before.standard, '2012');
});

test('hostile input gives a clear error naming the line and never crashes', () => {
  const h = 'time,kind,so2,no2,co,o3_1h,o3_8h,pm10,pm25,o3_1h_max\n';
  const cases = [
    ['', /no header/],
    ['time,kind,pm25\n', /line 1: bad header/],
    ['Time,kind,so2,no2,co,o3_1h,o3_8h,pm10,pm25,o3_1h_max\n', /line 1: bad header: column 1/],
    [h + '2026-03-01,daily,1,2\n', /line 2: expected 10 columns, got 4/],
    [h + '2026-03-01,daily,1,2,x,,5,6,7,\n', /line 2: co: not a plain decimal/],
    [h + '2026-03-01,daily,1,2,-3,,5,6,7,\n', /line 2: co: negative/],
    [h + '\n\n2026-03-01,daily,1,2,3,,5,6,1' + '0'.repeat(40) + ',\n', /line 4: pm25: .*out of range/],
    [h + '2026-03-01,daily,1,2,3,,5,6,1e9,\n', /line 2: pm25: not a plain decimal/],
    [h + '2026-03-01,daily,1,2,3,,5,6,NaN,\n', /line 2: pm25/],
    [h + '2026-02-29,daily,1,2,3,,5,6,7,\n', /line 2: time/],
    [h + '2026-03-01,monthly,1,2,3,,5,6,7,\n', /line 2: kind/],
    [h + '2026-03-01,daily,1,2,3,,5,6,' + '9'.repeat(5000) + ',\n', /line 2: line longer than 1024/],
    [h + '2026-03-01,daily,1,2,3,,5,6,7,\0\n', /line 2: control byte/],
    [h + '"2026-03-01",daily,1,2,3,,5,6,7,\n', /line 2: quoted/],
  ];
  for (const [input, re] of cases) {
    const r = run(input);
    assert.equal(r.status, 1, `exit status for ${JSON.stringify(input.slice(0, 80))}`);
    assert.equal(r.signal, null);
    assert.match(r.stderr, re);
  }
  // Good rows around a bad one are still converted; the status says 1.
  const r = run(h + '2026-03-01,daily,1,2,3,,5,6,7,\n2026-03-01,daily,oops,2,3,,5,6,7,\n' +
    '2026-03-01,daily,1,2,3,,5,6,8,\n');
  assert.equal(r.status, 1);
  assert.equal(parseOutput(r.stdout).length, 2);
  assert.match(r.stderr, /line 3: so2/);
  // Random bytes.
  const junk = Buffer.alloc(64 * 1024);
  for (let i = 0; i < junk.length; i++) junk[i] = (i * 2654435761) >>> 24;
  const j = spawnSync(BIN, ['aqi'], { input: Buffer.concat([Buffer.from(h), junk]), timeout: 30000 });
  assert.equal(j.signal, null);
  assert.equal(j.status, 1);
  // Usage errors.
  assert.equal(run('', ['--standard', '2020']).status, 2);
  assert.equal(run('', ['--bogus']).status, 2);
  assert.equal(run('', ['--help']).status, 0);
});

test('CRLF, BOM, blank lines and surrounding spaces are accepted', () => {
  const input = '\ufefftime,kind,so2,no2,co,o3_1h,o3_8h,pm10,pm25,o3_1h_max\r\n\r\n' +
    '2026-03-01 , daily , 5 ,20,0.5,,50,120,60,\r\n';
  const r = run(input);
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0);
  const row = parseOutput(r.stdout)[0];
  assert.equal(row.time, '2026-03-01');
  assert.equal(row.aqi, '100');
  assert.equal(row.primary, 'PM10+PM2.5');
  assert.equal(row.iaqi_o3_1h, ''); // not an input of the 2026 daily report
});
