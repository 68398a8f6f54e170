// Integration test for `ecogov warning grade`: the real binary reads date,aqi
// lines on stdin and prints LEVEL<TAB>FROM<TAB>TO; boundaries of the grading
// and hostile input (exit 1, a reason on stderr, nothing on stdout). Node
// built-ins only; binary at process.env.ECOGOV_BIN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const BIN = process.env.ECOGOV_BIN;

function grade(input, args = ['grade']) {
  const r = spawnSync(BIN, ['warning', ...args], { input, encoding: 'utf8', timeout: 30000 });
  assert.equal(r.error, undefined, String(r.error));
  return r;
}

// Consecutive days from 2026-12-30 with the given AQI values.
function days(values, header = true) {
  const start = Date.UTC(2026, 11, 30);
  const lines = values.map((v, i) =>
    `${new Date(start + i * 86400000).toISOString().slice(0, 10)},${v}`);
  return (header ? 'date,aqi\n' : '') + lines.join('\n') + '\n';
}

test('grades the episodes and prints the highest level with its dates', () => {
  const cases = [
    [[150, 200, 200, 150], 'none\t-\t-'],
    [[150, 201, 201, 150], 'yellow\t2026-12-31\t2027-01-01'],
    [[201, 301, 201], 'orange\t2026-12-30\t2027-01-01'],
    [[201, 300, 201], 'yellow\t2026-12-30\t2027-01-01'],
    [[250, 301, 301, 250], 'red\t2026-12-30\t2027-01-02'],
    [[301, 250, 301, 250], 'orange\t2026-12-30\t2027-01-02'],
    [[100, 500, 100], 'red\t2026-12-31\t2026-12-31'],
    [[100, 499, 100], 'none\t-\t-'],
    [[210, 210, 100, 220, 220], 'yellow\t2026-12-30\t2026-12-31'],
    [[210, 210, 100, 220, 320, 220], 'orange\t2027-01-02\t2027-01-04'],
  ];
  for (const [values, want] of cases) {
    for (const header of [true, false]) {
      const r = grade(days(values, header));
      assert.equal(r.status, 0, `${values}: ${r.stderr}`);
      assert.equal(r.stdout, want + '\n', String(values));
    }
  }
});

test('reads what a spreadsheet writes: BOM, CRLF, header case, blank lines, decimals', () => {
  let r = grade('\uFEFFDate,AQI\r\n2026-01-01,200.4\r\n2026-01-02,260\r\n\r\n')
  assert.equal(r.status, 0, r.stderr)
  assert.equal(r.stdout, 'yellow\t2026-01-01\t2026-01-02\n')
  r = grade('2026-01-01,200.0\n2026-01-02,260\n') // 200.0 is 200: not above it
  assert.equal(r.stdout, 'none\t-\t-\n')
  r = grade('2026-01-01,520\n') // above 500 counts as reaching 500
  assert.equal(r.stdout, 'red\t2026-01-01\t2026-01-01\n')
})

test('refuses hostile input with a reason and a non-zero exit', () => {
  const bad = [
    ['', /no days/],
    ['date,aqi\n', /no days/],
    ['2026-13-01,250\n', /not a real/],
    ['2026-01-01,250\n2026-01-01,250\n', /duplicate/],
    ['2026-01-01,250\n2026-01-03,250\n', /not consecutive/],
    ['2026-01-02,250\n2026-01-01,250\n', /before/],
    ['2026-01-01,abc\n', /not a number/],
    ['2026-01-01,-1\n', /negative/],
    ['2026-01-01,10000\n', /above 9999/],
    ['2026-01-01,250,1\n', /2 fields/],
    ['x'.repeat(200000) + '\n', /longer than/],
  ];
  for (const [input, re] of bad) {
    const r = grade(input);
    assert.equal(r.status, 1, JSON.stringify(input.slice(0, 40)));
    assert.equal(r.stdout, '');
    assert.match(r.stderr, re);
  }
  assert.equal(grade('', ['nope']).status, 2);
  assert.equal(grade('', []).status, 2);
});
