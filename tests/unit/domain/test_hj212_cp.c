/* Unit tests for the CP parser's two paths (hj212_parse.c): an area without spaces, tabs
 * or '/' is parsed from the delimiter marks alone; any other area by the general loop that
 * trims and reads log text. The same items with spaces and tabs around them must give the
 * same result, and the flag links must be those of the rule written out plainly below. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/hj212.h"

#define HEAD "ST=32;CN=2011;MN=M1;CP=&&"
#define SEG_CAP 4096

static struct hj212_msg *plain, *spaced; /* ~25 KB each: not on the stack */

static uint64_t rng_state;

static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(rng_state >> 33) % n;
}

static void put(char *buf, size_t *len, const char *s)
{
    size_t n = strlen(s);
    assert_true(*len + n < SEG_CAP);
    memcpy(buf + *len, s, n);
    *len += n;
}

static int same_str(struct hj212_str a, struct hj212_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static void assert_same_str(struct hj212_str a, struct hj212_str b, const char *what, size_t i,
                            const char *seg)
{
    if (!same_str(a, b))
        fail_msg("%s of item %zu: '%.*s' against '%.*s' in %s", what, i, (int)a.len,
                 a.ptr ? a.ptr : "", (int)b.len, b.ptr ? b.ptr : "", seg);
}

/* ---- the flag rule, written out: within the run of adjacent items sharing a non-empty
 * code, a value takes the first Flag (EFlag) after it, else the last one before it ---- */

static int eq_nocase(struct hj212_str s, const char *lit)
{
    size_t n = strlen(lit);
    if (s.len != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s.ptr[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != lit[i])
            return 0;
    }
    return 1;
}

/* 0 plain, 1 value, 2 Flag, 3 EFlag */
static int kind_of(const struct hj212_item *it)
{
    if (it->code.len == 0)
        return 0;
    return eq_nocase(it->field, "flag") ? 2 : eq_nocase(it->field, "eflag") ? 3 : 1;
}

static int same_run(const struct hj212_item *a, const struct hj212_item *b)
{
    return a->code.len > 0 && same_str(a->code, b->code);
}

static int16_t expected_link(const struct hj212_msg *m, size_t i, int want)
{
    if (kind_of(&m->items[i]) != 1)
        return -1;
    for (size_t j = i + 1; j < m->n_items && same_run(&m->items[j - 1], &m->items[j]); j++)
        if (kind_of(&m->items[j]) == want)
            return (int16_t)j;
    for (size_t j = i; j > 0 && same_run(&m->items[j - 1], &m->items[j]); j--)
        if (kind_of(&m->items[j - 1]) == want)
            return (int16_t)(j - 1);
    return -1;
}

static void assert_links(const struct hj212_msg *m, const char *seg)
{
    for (size_t i = 0; i < m->n_items; i++) {
        if (m->items[i].flag_idx != expected_link(m, i, 2) ||
            m->items[i].eflag_idx != expected_link(m, i, 3))
            fail_msg("links of item %zu: %d/%d against %d/%d in %s", i, m->items[i].flag_idx,
                     m->items[i].eflag_idx, expected_link(m, i, 2), expected_link(m, i, 3), seg);
    }
}

/* ---- random areas ---- */

static const char *const codes[] = {"a",   "01",  "a34004",    "w01018", "B02",
                                    "S08", "a-b", "abcdefghi", "",       "x1234567"};
static const char *const fields[] = {"Rtd",   "Avg", "Flag", "EFlag", "flag",
                                     "EFLAG", "Cou", "",     "ZsRtd"};
static const char *const plains[] = {"DataTime", "QnRtn", "datatime", "-x", "x-", "-", "", "Flag"};
static const char *const values[] = {"1",   "",
                                     "2.5", "N",
                                     "a=b", "-3.1",
                                     "==",  "D",
                                     "0",   "20200101000000",
                                     "x-y", "20160824003817000"};
static const char *const seps[] = {";", ",", ";;", ",;", ""};

/* Writes a random CP area (without the "&&") into area; the items share codes in runs. */
static size_t random_area(char *area)
{
    size_t n = 0;
    area[0] = '\0';
    unsigned items = rnd(24);
    const char *code = codes[rnd(sizeof codes / sizeof codes[0])];
    for (unsigned i = 0; i < items; i++) {
        if (i > 0)
            put(area, &n, seps[rnd(4) ? rnd(2) : rnd(sizeof seps / sizeof seps[0])]);
        if (rnd(3) == 0)
            code = codes[rnd(sizeof codes / sizeof codes[0])];
        if (rnd(6) == 0) {
            put(area, &n, plains[rnd(sizeof plains / sizeof plains[0])]);
        } else {
            put(area, &n, code);
            put(area, &n, "-");
            put(area, &n, fields[rnd(sizeof fields / sizeof fields[0])]);
        }
        if (rnd(40) != 0) /* now and then a key without '=' */
            put(area, &n, "=");
        put(area, &n, values[rnd(sizeof values / sizeof values[0])]);
    }
    if (rnd(4) == 0)
        put(area, &n, seps[rnd(2)]);
    area[n] = '\0';
    return n;
}

/* The same area with blanks where the parser trims: at both ends and on both sides of every
 * ';' and ','. */
static void blank_area(const char *area, char *out)
{
    static const char *const blanks[] = {" ", "\t", "  ", " \t"};
    size_t n = 0;
    out[0] = '\0';
    put(out, &n, blanks[rnd(4)]);
    for (const char *p = area; *p; p++) {
        if (*p == ';' || *p == ',') {
            put(out, &n, blanks[rnd(4)]);
            char c[2] = {*p, '\0'};
            put(out, &n, c);
            put(out, &n, blanks[rnd(4)]);
        } else {
            char c[2] = {*p, '\0'};
            put(out, &n, c);
        }
    }
    put(out, &n, blanks[rnd(4)]);
    out[n] = '\0';
}

static enum hj212_err parse_area(const char *area, char *seg, struct hj212_msg *m)
{
    int n = snprintf(seg, SEG_CAP, HEAD "%s&&", area);
    assert_true(n > 0 && n < SEG_CAP);
    return hj212_parse(seg, (size_t)n, m);
}

static void assert_same_msg(const struct hj212_msg *a, const struct hj212_msg *b, const char *seg)
{
    if (a->n_items != b->n_items)
        fail_msg("%zu items against %zu in %s", a->n_items, b->n_items, seg);
    for (size_t i = 0; i < a->n_items; i++) {
        const struct hj212_item *x = &a->items[i], *y = &b->items[i];
        assert_same_str(x->key, y->key, "key", i, seg);
        assert_same_str(x->code, y->code, "code", i, seg);
        assert_same_str(x->field, y->field, "field", i, seg);
        assert_same_str(x->value, y->value, "value", i, seg);
        if (x->flag_idx != y->flag_idx || x->eflag_idx != y->eflag_idx || x->is_log != y->is_log)
            fail_msg("item %zu: flag %d/%d eflag %d/%d log %d/%d in %s", i, x->flag_idx,
                     y->flag_idx, x->eflag_idx, y->eflag_idx, x->is_log, y->is_log, seg);
    }
    assert_true(same_str(a->datatime, b->datatime));
    assert_int_equal(a->datatime_ok, b->datatime_ok);
    assert_true((a->datatime.ptr == NULL) == (b->datatime.ptr == NULL));
}

static void test_cp_plain_same_as_spaced(void **state)
{
    (void)state;
    static char area[SEG_CAP], blanked[SEG_CAP], seg_a[SEG_CAP], seg_b[SEG_CAP];
    rng_state = 212;
    size_t ok = 0;
    for (int round = 0; round < 40000; round++) {
        random_area(area);
        blank_area(area, blanked);
        enum hj212_err ea = parse_area(area, seg_a, plain);
        enum hj212_err eb = parse_area(blanked, seg_b, spaced);
        if (ea != eb)
            fail_msg("%s against %s: %s / %s", hj212_err_name(ea), hj212_err_name(eb), seg_a,
                     seg_b);
        if (ea != HJ212_OK)
            continue;
        ok++;
        assert_same_msg(plain, spaced, seg_a);
        assert_links(plain, seg_a);
    }
    assert_true(ok > 30000); /* most areas are well formed: the comparison did its work */
}

/* Areas the fast path could read differently: empty items, odd delimiters, '=' in values,
 * dashes at the edges of keys, codes longer than a word, an item at the very end. */
static void test_cp_edges(void **state)
{
    (void)state;
    static char seg[SEG_CAP];
    struct hj212_msg *m = plain;
    assert_int_equal(parse_area("", seg, m), HJ212_OK);
    assert_int_equal(m->n_items, 0);
    assert_int_equal(parse_area(";;,", seg, m), HJ212_OK);
    assert_int_equal(m->n_items, 0);
    assert_int_equal(parse_area(",a=1;;,b==2;", seg, m), HJ212_OK);
    assert_int_equal(m->n_items, 2);
    assert_true(hj212_str_eq(m->items[1].key, "b") && hj212_str_eq(m->items[1].value, "=2"));
    assert_int_equal(parse_area("=5;a-=1;-a=2;a--b=3", seg, m), HJ212_OK);
    assert_int_equal(m->n_items, 4);
    assert_true(hj212_str_eq(m->items[0].key, "") && hj212_str_eq(m->items[0].value, "5"));
    assert_true(hj212_str_eq(m->items[1].field, "a-") && m->items[1].code.len == 0);
    assert_true(hj212_str_eq(m->items[2].field, "-a") && m->items[2].code.len == 0);
    assert_true(hj212_str_eq(m->items[3].code, "a-") && hj212_str_eq(m->items[3].field, "b"));
    assert_int_equal(parse_area("a=1;b", seg, m), HJ212_BAD_SYNTAX);
    assert_int_equal(parse_area("a", seg, m), HJ212_BAD_SYNTAX);
    assert_int_equal(parse_area("a;b=1", seg, m), HJ212_BAD_SYNTAX);
    /* codes of 9 bytes differing only in the 9th, and of 8 in the 8th */
    assert_int_equal(parse_area("abcdefghi-Rtd=1,abcdefghj-Flag=N", seg, m), HJ212_OK);
    assert_int_equal(m->items[0].flag_idx, -1);
    assert_int_equal(
        parse_area("abcdefgh-Rtd=1,abcdefgi-Flag=N;abcdefgh-Rtd=1,abcdefgh-Flag=N", seg, m),
        HJ212_OK);
    assert_int_equal(m->items[0].flag_idx, -1);
    assert_int_equal(m->items[2].flag_idx, 3);
    /* the last item's code ends a few bytes before the segment's end */
    assert_int_equal(parse_area("a-Rtd=1,a-Flag=N;b-Rtd=2,b-F=", seg, m), HJ212_OK);
    assert_int_equal(m->items[2].flag_idx, -1);
    assert_int_equal(parse_area("b-Rtd=2,b-Flag=", seg, m), HJ212_OK);
    assert_int_equal(m->items[0].flag_idx, 1);
    /* a value takes the first flag after it, else the last before it, within its run */
    assert_int_equal(
        parse_area("w-Cou=1,w-Min=2,w-Flag=N,w-Avg=3,w-Flag=D,w-Max=4;w-Rtd=5", seg, m), HJ212_OK);
    assert_int_equal(m->items[0].flag_idx, 2);
    assert_int_equal(m->items[1].flag_idx, 2);
    assert_int_equal(m->items[3].flag_idx, 4);
    assert_int_equal(m->items[5].flag_idx, 4);
    assert_int_equal(m->items[6].flag_idx, 4); /* ';' does not end a run: the code does */
    assert_links(m, seg);
}

/* Blanks the general path trims, one place at a time, against the plain area. */
static void test_cp_blanks(void **state)
{
    (void)state;
    static char seg[SEG_CAP];
    struct hj212_msg *m = spaced;
    assert_int_equal(parse_area(" a-Rtd =1 ,\ta-Flag=\tN ; ; DataTime= 20200101000000 ", seg, m),
                     HJ212_OK);
    assert_int_equal(m->n_items, 3);
    assert_true(hj212_str_eq(m->items[0].key, "a-Rtd") && hj212_str_eq(m->items[0].value, "1"));
    assert_true(hj212_str_eq(m->items[0].code, "a") && hj212_str_eq(m->items[0].field, "Rtd"));
    assert_true(hj212_str_eq(m->items[1].value, "N"));
    assert_int_equal(m->items[0].flag_idx, 1);
    assert_true(hj212_str_eq(m->datatime, "20200101000000") && m->datatime_ok);
    /* a blank inside a key or value stays: only the ends are trimmed */
    assert_int_equal(parse_area("a b-Rtd=1 2;c-Rtd=/x", seg, m), HJ212_OK);
    assert_true(hj212_str_eq(m->items[0].code, "a b") && hj212_str_eq(m->items[0].value, "1 2"));
    assert_true(hj212_str_eq(m->items[1].value, "/x") && !m->items[1].is_log);
    /* a '/' alone sends the area down the general path; log text keeps its separators */
    assert_int_equal(parse_area("i-Info=//a;b=c//,i-Flag=N", seg, m), HJ212_OK);
    assert_true(hj212_str_eq(m->items[0].value, "a;b=c") && m->items[0].is_log);
    assert_int_equal(m->items[0].flag_idx, 1);
    assert_int_equal(parse_area("  ", seg, m), HJ212_OK);
    assert_int_equal(m->n_items, 0);
    assert_int_equal(parse_area(" a ", seg, m), HJ212_BAD_SYNTAX);
}

int main(void)
{
    plain = malloc(sizeof *plain);
    spaced = malloc(sizeof *spaced);
    if (!plain || !spaced)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cp_plain_same_as_spaced),
        cmocka_unit_test(test_cp_edges),
        cmocka_unit_test(test_cp_blanks),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    free(plain);
    free(spaced);
    return rc;
}
