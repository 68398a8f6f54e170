// The batch tools `ecogov uscc` and `ecogov calendar` against the real binary:
// output format, exit codes, stdin mode and hostile input.
// Run: ECOGOV_BIN=/abs/path/build/asan/ecogov node --test tests/integration/app/cli_basics.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const BIN = process.env.ECOGOV_BIN;

function run(args, input) {
    assert.ok(BIN, 'ECOGOV_BIN must point at the ecogov binary');
    const r = spawnSync(BIN, args, { input: input ?? '', encoding: 'utf8', timeout: 30000 });
    assert.equal(r.error, undefined, `spawn failed: ${r.error}`);
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('uscc check: all valid exits 0, one line per code', () => {
    const r = run(['uscc', 'check', '91110000710926094P', '9111000071093123XX', '91350100M000100Y43']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
        r.stdout,
        '91110000710926094P\tok\n9111000071093123XX\tok\n91350100M000100Y43\tok\n',
    );
});

test('uscc check: any invalid exits 1 and says why, naming the expected check character', () => {
    const r = run(['uscc', 'check', '91110000710926094P', '91110000722601458H', '91350203M0001QAY9B']);
    assert.equal(r.status, 1);
    const lines = r.stdout.trimEnd().split('\n').map((l) => l.split('\t'));
    assert.deepEqual(lines[0], ['91110000710926094P', 'ok']);
    assert.equal(lines[1][0], '91110000722601458H');
    assert.equal(lines[1][1], 'invalid');
    assert.match(lines[1][2], /^check_digit_mismatch\b.*\bR\b/);
    assert.match(lines[2][2], /^check_digit_mismatch\b.*\b9\b/);
});

test('uscc check: structural reasons', () => {
    const cases = [
        ['9111000071092609', 'bad_length'],
        ['91110000710926094PX', 'bad_length'],
        ['', 'bad_length'],
        ['91110000710926094I', 'bad_character'],
        ['91110000710926094p', 'bad_character'],
        ['B1110000710926094P', 'bad_department'],
        ['94110000710926094P', 'bad_category'],
        ['91A10000710926094P', 'bad_region'],
    ];
    for (const [code, reason] of cases) {
        const r = run(['uscc', 'check', code]);
        assert.equal(r.status, 1, code);
        assert.equal(r.stdout, `${code}\tinvalid\t${reason}\n`, code);
    }
});

test('uscc check: control characters cannot forge output columns', () => {
    const r = run(['uscc', 'check', 'a\tok\nb']);
    assert.equal(r.status, 1);
    assert.equal(r.stdout.split('\n').length, 2); // one line plus the final newline
    assert.equal(r.stdout.split('\t')[1], 'invalid');
});

test('uscc check -: codes from stdin, CRLF and blank lines tolerated', () => {
    const r = run(['uscc', 'check', '-'], '91110000710926094P\r\n\n9111000071093123XX\n');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '91110000710926094P\tok\n9111000071093123XX\tok\n');

    const bad = run(['uscc', 'check', '-'], '91110000710926094P\n91110000722601458H');
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /^91110000722601458H\tinvalid\tcheck_digit_mismatch/m);
});

test('uscc check -: an oversized line is reported, not checked, and reading goes on', () => {
    const r = run(['uscc', 'check', '-'], '9'.repeat(100000) + '\n91110000710926094P\n');
    assert.equal(r.status, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0], /\tinvalid\tline_too_long$/);
    assert.equal(lines[1], '91110000710926094P\tok');
});

test('uscc: usage errors exit 2', () => {
    assert.equal(run(['uscc']).status, 2);
    assert.equal(run(['uscc', 'check']).status, 2);
    assert.equal(run(['uscc', 'verify', '91110000710926094P']).status, 2);
    const help = run(['uscc', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /usage/);
});

test('calendar add-workdays: the 2026 Spring Festival check values', () => {
    let r = run(['calendar', 'add-workdays', '2026-02-13', '1']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '2026-02-14\n'); // make-up Saturday
    r = run(['calendar', 'add-workdays', '2026-02-13', '2']);
    assert.equal(r.stdout, '2026-02-24\n');
    r = run(['calendar', 'add-workdays', '2026-02-24', '-1']);
    assert.equal(r.stdout, '2026-02-14\n');
    r = run(['calendar', 'add-workdays', '2026-02-15', '0']);
    assert.equal(r.stdout, '2026-02-15\n');
});

test('calendar add-workdays: 2025 National Day and year boundaries', () => {
    assert.equal(run(['calendar', 'add-workdays', '2025-09-30', '1']).stdout, '2025-10-09\n');
    assert.equal(run(['calendar', 'add-workdays', '2025-12-31', '1']).stdout, '2026-01-04\n');
    assert.equal(run(['calendar', 'add-workdays', '2025-12-31', '248']).stdout, '2026-12-31\n');
});

test('calendar: outside the known years the answer is provisional', () => {
    let r = run(['calendar', 'add-workdays', '2026-12-31', '1']);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, '2027-01-04\tprovisional\n'); // 2027-01-01 is 元旦 by law
    r = run(['calendar', 'workdays', '2026-12-31', '2027-01-04']);
    assert.equal(r.stdout, '1\tprovisional\n');
    r = run(['calendar', 'workdays', '2026-12-31', '2027-01-08']);
    assert.equal(r.stdout, '5\tprovisional\n');
    r = run(['calendar', 'add-workdays', '2026-12-30', '1']);
    assert.equal(r.stdout, '2026-12-31\n');
});

test('calendar workdays: 248 working days in 2026 and in 2025; negative when reversed', () => {
    assert.equal(run(['calendar', 'workdays', '2025-12-31', '2026-12-31']).stdout, '248\n');
    assert.equal(run(['calendar', 'workdays', '2024-12-31', '2025-12-31']).stdout, '248\n');
    const r = run(['calendar', 'workdays', '2026-02-24', '2026-02-13']);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, '-2\n');
});

test('calendar: bad dates and numbers are refused with exit 2 and a message', () => {
    const bad = [
        ['add-workdays', '2026-02-30', '1'],
        ['add-workdays', '2026-2-13', '1'],
        ['add-workdays', '1899-12-31', '1'],
        ['add-workdays', '2026-02-13', '1x'],
        ['add-workdays', '2026-02-13', ''],
        ['add-workdays', '2026-02-13', '99999999999'],
        ['add-workdays', '2026-02-13', '2000000000'],
        ['workdays', '2026-02-13', 'tomorrow'],
        ['workdays', "2026-02-13'; --", '2026-02-14'],
    ];
    for (const args of bad) {
        const r = run(['calendar', ...args]);
        assert.equal(r.status, 2, args.join(' '));
        assert.equal(r.stdout, '', args.join(' '));
        assert.ok(r.stderr.length > 0, args.join(' '));
    }
    assert.equal(run(['calendar']).status, 2);
    assert.equal(run(['calendar', 'add-workdays', '2026-02-13']).status, 2);
    assert.equal(run(['calendar', 'frobnicate', 'a', 'b']).status, 2);
});
