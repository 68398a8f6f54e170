/* hj212_scan and hj212_parse against plain reference implementations kept here: byte loops
 * that follow the rules of hj212.h and docs/hj212.md one byte at a time, with none of the
 * library's word-at-a-time scanning, bit marks or fused passes. Every faster path must give
 * exactly what these give (status, error position, every slice, link and time) on the real
 * capture, on mutated copies of its frames, on random segments whose items cross every
 * 8/16/32/64-byte boundary, and at the limits. Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/hj212.h"

#define SAMPLE "tests/data/hj212/hj212-real-sample.h212"
#define SEG_CAP (HJ212_DATA_MAX_ABS + 64)

static struct hj212_msg *got, *want; /* ~25 KB each: not on the stack */

static uint64_t rng_state;

static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(rng_state >> 33) % n;
}

/* ---- the reference parser ---- */

static int ref_blank(unsigned char c)
{
    return c == ' ' || c == '\t';
}

static int ref_sep(unsigned char c)
{
    return c == ';' || c == ',';
}

static unsigned char ref_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static int ref_is(struct hj212_str s, const char *lit)
{
    size_t n = strlen(lit);
    if (s.len != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (ref_lower((unsigned char)s.ptr[i]) != (unsigned char)lit[i])
            return 0;
    return 1;
}

static struct hj212_str ref_trim(const char *p, size_t n)
{
    while (n && ref_blank((unsigned char)*p)) {
        p++;
        n--;
    }
    while (n && ref_blank((unsigned char)p[n - 1]))
        n--;
    struct hj212_str s = {p, n};
    return s;
}

static int ref_uint(struct hj212_str s, size_t max_digits)
{
    if (s.len == 0 || s.len > max_digits)
        return -1;
    int v = 0;
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] < '0' || s.ptr[i] > '9')
            return -1;
        v = v * 10 + (s.ptr[i] - '0');
    }
    return v;
}

static enum hj212_err ref_fail(struct hj212_msg *m, enum hj212_err e, size_t pos)
{
    m->err_pos = pos;
    return e;
}

static struct hj212_str *ref_known(struct hj212_msg *m, struct hj212_str key)
{
    static const char *const names[] = {"qn", "st", "cn", "pw", "mn", "flag", "pnum", "pno"};
    struct hj212_str *slots[] = {&m->qn, &m->st,       &m->cn,       &m->pw,
                                 &m->mn, &m->flag_str, &m->pnum_str, &m->pno_str};
    for (size_t i = 0; i < 8; i++)
        if (ref_is(key, names[i]))
            return slots[i];
    return NULL;
}

/* 0 plain, 1 value, 2 Flag, 3 EFlag */
static int ref_kind(const struct hj212_item *it)
{
    if (it->code.len == 0)
        return 0;
    return ref_is(it->field, "flag") ? 2 : ref_is(it->field, "eflag") ? 3 : 1;
}

static int ref_same_run(const struct hj212_item *a, const struct hj212_item *b)
{
    return a->code.len > 0 && a->code.len == b->code.len &&
           memcmp(a->code.ptr, b->code.ptr, a->code.len) == 0;
}

/* Within the run of adjacent items sharing a non-empty code, a value takes the first Flag
 * (EFlag) after it, else the last one before it. */
static int16_t ref_link(const struct hj212_msg *m, size_t i, int kind)
{
    if (ref_kind(&m->items[i]) != 1)
        return -1;
    for (size_t j = i + 1; j < m->n_items && ref_same_run(&m->items[j - 1], &m->items[j]); j++)
        if (ref_kind(&m->items[j]) == kind)
            return (int16_t)j;
    for (size_t j = i; j > 0 && ref_same_run(&m->items[j - 1], &m->items[j]); j--)
        if (ref_kind(&m->items[j - 1]) == kind)
            return (int16_t)(j - 1);
    return -1;
}

static enum hj212_err ref_head(const char *d, size_t len, struct hj212_msg *m, size_t *cp_at)
{
    unsigned seen = 0;
    size_t pos = 0;
    while (pos < len) {
        if (d[pos] == ';') {
            pos++;
            continue;
        }
        size_t end = pos, eq = pos;
        while (end < len && d[end] != ';')
            end++;
        while (eq < len && d[eq] != '=')
            eq++;
        if (eq >= end)
            return ref_fail(m, HJ212_BAD_SYNTAX, pos);
        struct hj212_str key = ref_trim(d + pos, eq - pos);
        if (key.len == 0)
            return ref_fail(m, HJ212_BAD_SYNTAX, pos);
        if (ref_is(key, "cp")) {
            *cp_at = eq + 1;
            return HJ212_OK;
        }
        struct hj212_str val = ref_trim(d + eq + 1, end - eq - 1);
        if (m->n_head == HJ212_HEAD_MAX)
            return ref_fail(m, HJ212_TOO_MANY_ITEMS, pos);
        m->head[m->n_head].key = key;
        m->head[m->n_head].value = val;
        m->n_head++;
        struct hj212_str *slot = ref_known(m, key);
        if (slot) {
            unsigned bit = 1u << (slot - &m->qn);
            if (seen & bit)
                return ref_fail(m, HJ212_BAD_SYNTAX, pos);
            seen |= bit;
            *slot = val;
        }
        pos = end;
    }
    return ref_fail(m, HJ212_BAD_SYNTAX, len);
}

static enum hj212_err ref_check_head(const char *d, struct hj212_msg *m)
{
    if (!m->cn.ptr || !m->mn.ptr || m->mn.len == 0)
        return ref_fail(m, HJ212_MISSING_FIELD, 0);
    m->cn_num = ref_uint(m->cn, 4);
    if (m->cn_num < 0)
        return ref_fail(m, HJ212_BAD_SYNTAX, (size_t)(m->cn.ptr - d));
    if (m->flag_str.ptr) {
        int f = ref_uint(m->flag_str, 3);
        if (f < 0 || f > 255)
            return ref_fail(m, HJ212_BAD_SYNTAX, (size_t)(m->flag_str.ptr - d));
        m->has_flag = 1;
        m->flag = f;
        m->version = f >> 2;
    }
    m->edition = m->version == 0   ? HJ212_EDITION_2005
                 : m->version == 1 ? HJ212_EDITION_2017
                                   : HJ212_EDITION_NEWER;
    if (m->pnum_str.ptr || m->pno_str.ptr) {
        int pnum = ref_uint(m->pnum_str, 9), pno = ref_uint(m->pno_str, 9);
        if (pnum < 0 || pno < 0)
            return ref_fail(m, HJ212_BAD_SYNTAX,
                            (size_t)((m->pnum_str.ptr ? m->pnum_str.ptr : m->pno_str.ptr) - d));
        m->has_split = 1;
        m->pnum = pnum;
        m->pno = pno;
    }
    return HJ212_OK;
}

/* One CP item's key [k, kt) and value are set: split, kind, DataTime. */
static void ref_item_key(struct hj212_msg *m, struct hj212_item *it)
{
    size_t dash = it->key.len; /* the last '-' */
    for (size_t i = 0; i < it->key.len; i++)
        if (it->key.ptr[i] == '-')
            dash = i;
    int factor = dash < it->key.len && dash >= 1 && dash + 1 < it->key.len;
    it->code.ptr = it->key.ptr;
    it->code.len = factor ? dash : 0;
    it->field.ptr = factor ? it->key.ptr + dash + 1 : it->key.ptr;
    it->field.len = factor ? it->key.len - dash - 1 : it->key.len;
    if (!m->datatime.ptr && ref_is(it->key, "datatime"))
        m->datatime = it->value;
}

static enum hj212_err ref_cp(const char *d, size_t len, size_t cp_at, struct hj212_msg *m)
{
    if (len - cp_at < 4 || d[cp_at] != '&' || d[cp_at + 1] != '&' || d[len - 1] != '&' ||
        d[len - 2] != '&')
        return ref_fail(m, HJ212_BAD_SYNTAX, cp_at);
    size_t cs = cp_at + 2, ce = len - 2, p = cs;
    m->cp.ptr = d + cs;
    m->cp.len = ce - cs;
    while (p < ce) {
        if (ref_sep((unsigned char)d[p]) || ref_blank((unsigned char)d[p])) {
            p++;
            continue;
        }
        size_t k = p, ke = p;
        while (ke < ce && !ref_sep((unsigned char)d[ke]) && d[ke] != '=')
            ke++;
        if (ke >= ce || d[ke] != '=')
            return ref_fail(m, HJ212_BAD_SYNTAX, k);
        if (m->n_items == HJ212_ITEMS_MAX)
            return ref_fail(m, HJ212_TOO_MANY_ITEMS, k);
        struct hj212_item *it = &m->items[m->n_items];
        memset(it, 0, sizeof *it);
        it->key = ref_trim(d + k, ke - k);
        size_t v = ke + 1;
        if (ce - v >= 4 && d[v] == '/' && d[v + 1] == '/') {
            size_t q = v + 2;
            while (q + 1 < ce && !(d[q] == '/' && d[q + 1] == '/' &&
                                   (q + 2 == ce || ref_sep((unsigned char)d[q + 2]) ||
                                    ref_blank((unsigned char)d[q + 2]))))
                q++;
            if (q + 1 >= ce)
                return ref_fail(m, HJ212_BAD_SYNTAX, v);
            it->value.ptr = d + v + 2;
            it->value.len = q - v - 2;
            it->is_log = 1;
            p = q + 2;
        } else {
            size_t ve = v;
            while (ve < ce && !ref_sep((unsigned char)d[ve]))
                ve++;
            it->value = ref_trim(d + v, ve - v);
            p = ve;
        }
        ref_item_key(m, it);
        m->n_items++;
    }
    for (size_t i = 0; i < m->n_items; i++) {
        m->items[i].flag_idx = ref_link(m, i, 2);
        m->items[i].eflag_idx = ref_link(m, i, 3);
    }
    return HJ212_OK;
}

static enum hj212_err ref_parse(const char *d, size_t len, struct hj212_msg *m)
{
    memset(m, 0, offsetof(struct hj212_msg, items));
    m->datatime.ptr = NULL;
    m->datatime.len = 0;
    m->datatime_ok = 0;
    m->err_pos = 0;
    if (len > HJ212_DATA_MAX_ABS)
        return ref_fail(m, HJ212_BAD_SYNTAX, HJ212_DATA_MAX_ABS);
    size_t cp_at = 0;
    enum hj212_err e = ref_head(d, len, m, &cp_at);
    if (e == HJ212_OK)
        e = ref_check_head(d, m);
    if (e == HJ212_OK)
        e = ref_cp(d, len, cp_at, m);
    if (e == HJ212_OK && m->datatime.ptr) {
        /* DataTime: 14 or 17 digits and a real date (hj212_time_parse is tested on its
         * own against the date rules in test_hj212) */
        m->datatime_ok = hj212_time_parse(m->datatime, &m->dt) == 0;
    }
    return e;
}

/* ---- comparing ---- */

static int same_slice(struct hj212_str a, struct hj212_str b)
{
    return a.ptr == b.ptr && a.len == b.len; /* the same bytes of the same buffer */
}

static void describe_fail(const char *what, size_t i, const char *seg, size_t len)
{
    char shown[200];
    size_t n = len < sizeof shown - 1 ? len : sizeof shown - 1;
    for (size_t j = 0; j < n; j++)
        shown[j] = (unsigned char)seg[j] >= 0x20 && (unsigned char)seg[j] < 0x7F ? seg[j] : '?';
    shown[n] = '\0';
    fail_msg("%s differs (item %zu) in a segment of %zu bytes: %s", what, i, len, shown);
}

/* hj212_parse and the reference on seg[0..len): same status and error position, and on
 * success the same message. Returns the status. */
static enum hj212_err check_segment(const char *seg, size_t len)
{
    enum hj212_err eg = hj212_parse(seg, len, got);
    enum hj212_err ew = ref_parse(seg, len, want);
    if (eg != ew)
        fail_msg("status %s, reference %s (at %zu / %zu)", hj212_err_name(eg), hj212_err_name(ew),
                 got->err_pos, want->err_pos);
    if (eg != HJ212_OK) {
        if (got->err_pos != want->err_pos)
            describe_fail("error position", got->err_pos, seg, len);
        return eg;
    }
    const struct hj212_msg *a = got, *b = want;
    if (!same_slice(a->qn, b->qn) || !same_slice(a->st, b->st) || !same_slice(a->cn, b->cn) ||
        !same_slice(a->pw, b->pw) || !same_slice(a->mn, b->mn) ||
        !same_slice(a->flag_str, b->flag_str) || !same_slice(a->pnum_str, b->pnum_str) ||
        !same_slice(a->pno_str, b->pno_str))
        describe_fail("a named header field", 0, seg, len);
    if (a->cn_num != b->cn_num || a->has_flag != b->has_flag || a->flag != b->flag ||
        a->has_split != b->has_split || a->pnum != b->pnum || a->pno != b->pno ||
        a->version != b->version || a->edition != b->edition)
        describe_fail("a header number", 0, seg, len);
    if (a->n_head != b->n_head)
        describe_fail("the header item count", a->n_head, seg, len);
    for (size_t i = 0; i < a->n_head; i++)
        if (!same_slice(a->head[i].key, b->head[i].key) ||
            !same_slice(a->head[i].value, b->head[i].value))
            describe_fail("a header item", i, seg, len);
    if (!same_slice(a->cp, b->cp))
        describe_fail("the CP area", 0, seg, len);
    if (a->n_items != b->n_items)
        describe_fail("the CP item count", a->n_items, seg, len);
    for (size_t i = 0; i < a->n_items; i++) {
        const struct hj212_item *x = &a->items[i], *y = &b->items[i];
        if (!same_slice(x->key, y->key) || !same_slice(x->value, y->value) ||
            !same_slice(x->code, y->code) || !same_slice(x->field, y->field) ||
            x->is_log != y->is_log)
            describe_fail("a CP item", i, seg, len);
        if (x->flag_idx != y->flag_idx || x->eflag_idx != y->eflag_idx)
            describe_fail("a flag link", i, seg, len);
    }
    if (!same_slice(a->datatime, b->datatime) || a->datatime_ok != b->datatime_ok)
        describe_fail("DataTime", 0, seg, len);
    if (a->datatime_ok && memcmp(&a->dt, &b->dt, sizeof a->dt) != 0)
        describe_fail("the parsed DataTime", 0, seg, len);
    return eg;
}

/* ---- inputs ---- */

/* Bytes a mutation puts in: every delimiter the parser looks for, blanks, the letters of
 * "Flag"/"EFlag"/"DataTime"/"CP", digits, NUL, line ends, '#', and bytes 0x80-0xFF. */
static unsigned char hostile_byte(void)
{
    static const char pick[] = ";,=-&/ \t\r\n#FfLlAaGgEeCcPpDdTtIiMm0123456789";
    unsigned r = rnd(8);
    if (r == 0)
        return 0;
    if (r == 1)
        return (unsigned char)(0x80 + rnd(128));
    return (unsigned char)pick[rnd(sizeof pick - 1)];
}

/* A copy of seg[0..len) with a few random edits: bytes replaced, inserted or deleted, a
 * piece repeated. Returns the new length (at most cap). */
static size_t mutate(const char *seg, size_t len, char *out, size_t cap)
{
    size_t n = len < cap ? len : cap;
    memcpy(out, seg, n);
    unsigned edits = 1 + rnd(4);
    for (unsigned e = 0; e < edits; e++) {
        size_t at = n ? rnd((unsigned)n) : 0;
        switch (rnd(4)) {
        case 0:
            if (n)
                out[at] = (char)hostile_byte();
            break;
        case 1:
            if (n < cap) {
                memmove(out + at + 1, out + at, n - at);
                out[at] = (char)hostile_byte();
                n++;
            }
            break;
        case 2:
            if (n) {
                memmove(out + at, out + at + 1, n - at - 1);
                n--;
            }
            break;
        default: {
            size_t piece = 1 + rnd(24);
            if (at + piece <= n && n + piece <= cap) {
                memmove(out + at + piece, out + at, n - at);
                n += piece;
            }
            break;
        }
        }
    }
    return n;
}

/* Each good frame of the real capture as it is, at every offset 0-63 of the buffer (for
 * the first frames) and with 40 mutations each. */
static void test_real_capture(void **state)
{
    (void)state;
    FILE *f = fopen(SAMPLE, "rb");
    assert_non_null(f);
    static char cap[1 << 20];
    size_t len = fread(cap, 1, sizeof cap, f);
    fclose(f);
    assert_true(len > 0 && len < sizeof cap);
    static char buf[SEG_CAP + 64], mut[SEG_CAP];
    rng_state = 2016;
    size_t pos = 0, frames = 0, ok = 0, mutated_ok = 0;
    while (pos < len) {
        struct hj212_frame_ref ref;
        pos += hj212_scan(cap + pos, len - pos, 0, 1, &ref);
        if (ref.status != HJ212_OK)
            continue;
        frames++;
        ok += check_segment(ref.data, ref.data_len) == HJ212_OK;
        for (size_t off = 0; off < (frames <= 20 ? 64u : 1u); off++) {
            memcpy(buf + off, ref.data, ref.data_len);
            check_segment(buf + off, ref.data_len);
        }
        for (int k = 0; k < 40; k++) {
            size_t n = mutate(ref.data, ref.data_len, mut, SEG_CAP);
            size_t off = rnd(64);
            memcpy(buf + off, mut, n);
            mutated_ok += check_segment(buf + off, n) == HJ212_OK;
        }
    }
    assert_int_equal(frames, 2999);
    assert_int_equal(ok, 2999);
    assert_true(mutated_ok > 2999 * 10); /* many mutations still parse: items were compared */
}

/* A random segment: a header (with a PW of random length, so that the CP area starts at
 * every offset), then items of keys and values of 0-20 bytes drawn from delimiters, letters
 * of the special keys and other bytes, so that every separator falls at every place of a
 * word. */
static size_t random_segment(char *seg, size_t cap)
{
    static const char *const heads[] = {
        "ST=32;CN=2011;PW=", "QN=20200101000000000;ST=21;CN=2051;PW=", "CN=2011;PW=",
        "Flag=5;PNUM=2;PNO=1;CN=2011;PW="};
    size_t n = 0;
    const char *h = heads[rnd(4)];
    memcpy(seg, h, strlen(h));
    n += strlen(h);
    size_t pw = rnd(70);
    for (size_t i = 0; i < pw; i++)
        seg[n++] = (char)('a' + rnd(26));
    memcpy(seg + n, ";MN=M1;CP=&&", 12);
    n += 12;
    static const char *const keys[] = {
        "DataTime", "a34004-Rtd", "a34004-Flag", "a34004-EFlag", "w01018-Avg",    "w01018-Flag",
        "B02-Cou",  "x-",         "-x",          "abcdefgh-Rtd", "abcdefgh-flag", "S01-ZsRtd",
        "S01-FLAG", "S01-eflag",  "QnRtn",       "a-b-Flag"};
    static const char *const vals[] = {
        "1",   "",     "20160824003817000", "20200229120000", "N", "D", "=",
        "a=b", "-1.5", "//log;a=b//",       "//x//"};
    unsigned items = rnd(40);
    while (items-- && n + 80 < cap) {
        if (rnd(3)) {
            const char *k = keys[rnd(sizeof keys / sizeof keys[0])];
            memcpy(seg + n, k, strlen(k));
            n += strlen(k);
        } else {
            unsigned kl = rnd(21);
            for (unsigned i = 0; i < kl; i++)
                seg[n++] = rnd(4) ? (char)('a' + rnd(6)) : (char)hostile_byte();
        }
        if (rnd(30))
            seg[n++] = '=';
        if (rnd(3)) {
            const char *v = vals[rnd(sizeof vals / sizeof vals[0])];
            memcpy(seg + n, v, strlen(v));
            n += strlen(v);
        } else {
            unsigned vl = rnd(21);
            for (unsigned i = 0; i < vl; i++)
                seg[n++] = rnd(3) ? (char)('0' + rnd(10)) : (char)hostile_byte();
        }
        seg[n++] = rnd(2) ? ';' : ',';
        if (rnd(8) == 0)
            seg[n++] = rnd(2) ? ';' : ',';
    }
    if (n > 0 && rnd(2))
        n--; /* no separator after the last item */
    seg[n++] = '&';
    seg[n++] = '&';
    return n;
}

static void test_random_segments(void **state)
{
    (void)state;
    static char seg[SEG_CAP], buf[SEG_CAP + 64];
    rng_state = 212;
    size_t ok = 0;
    for (int round = 0; round < 60000; round++) {
        size_t n = random_segment(seg, sizeof seg);
        size_t off = rnd(64);
        memcpy(buf + off, seg, n);
        ok += check_segment(buf + off, n) == HJ212_OK;
    }
    assert_true(ok > 10000);
}

/* Every delimiter at every place of the words around the CP area's items: an item "k=v"
 * whose key and value lengths run over 0-70 bytes, at every offset of the buffer mod 64,
 * with one byte of it replaced by each delimiter, blank, NUL or high byte in turn. */
static void test_every_place(void **state)
{
    (void)state;
    static const unsigned char bytes[] = {';',  ',', '=',  '-',  '&', '/', ' ',
                                          '\t', 0,   0x80, 0xFF, 'F', '\n'};
    static char seg[512], buf[512 + 64];
    for (size_t klen = 1; klen <= 70; klen += 3)
        for (size_t vlen = 0; vlen <= 40; vlen += 7) {
            size_t n = 0;
            memcpy(seg, "CN=2011;MN=M1;CP=&&", 19);
            n = 19;
            memcpy(seg + n, "a-Rtd=1,", 8);
            n += 8;
            size_t item = n;
            for (size_t i = 0; i < klen; i++)
                seg[n++] = i + 5 == klen ? '-' : (char)('a' + i % 26);
            seg[n++] = '=';
            for (size_t i = 0; i < vlen; i++)
                seg[n++] = (char)('0' + i % 10);
            memcpy(seg + n, ";a-Flag=N&&", 11);
            n += 11;
            for (size_t at = item; at < n - 2; at++)
                for (size_t b = 0; b < sizeof bytes; b++) {
                    size_t off = (at * 7 + b) % 64;
                    memcpy(buf + off, seg, n);
                    buf[off + at] = (char)bytes[b];
                    check_segment(buf + off, n);
                }
        }
}

/* The limits: the largest segment a frame can hold, more items than a message keeps, more
 * header items than it keeps, segments one byte over the absolute maximum. */
static void test_limits(void **state)
{
    (void)state;
    static char seg[SEG_CAP];
    for (size_t want_len = HJ212_DATA_MAX - 3; want_len <= HJ212_DATA_MAX_ABS + 1;
         want_len += want_len < HJ212_DATA_MAX + 3 ? 1 : 997) {
        for (int shape = 0; shape < 3; shape++) {
            size_t n = 0;
            memcpy(seg, "CN=2011;MN=M1;CP=&&", 19);
            n = 19;
            while (n + 2 < want_len) {
                /* "a=1;" items (so many that TOO_MANY_ITEMS comes), long values, or one
                 * item whose value runs to the end */
                char c;
                if (shape == 0)
                    c = n % 4 == 3 ? ';' : n % 4 == 0 ? 'a' : n % 4 == 1 ? '=' : '1';
                else if (shape == 1)
                    c = n % 97 == 0 ? ';' : n % 97 == 1 ? 'k' : n % 97 == 2 ? '=' : '5';
                else
                    c = n == 19 ? 'k' : n == 20 ? '=' : 'v';
                seg[n++] = c;
            }
            seg[n++] = '&';
            seg[n++] = '&';
            check_segment(seg, n);
        }
    }
    /* header items: up to 16 kept, the 17th is TOO_MANY_ITEMS */
    for (int extra = 10; extra <= 14; extra++) {
        size_t n = 0;
        memcpy(seg, "CN=2011;MN=M1;", 14);
        n = 14;
        for (int i = 0; i < extra; i++) {
            seg[n++] = (char)('a' + i);
            memcpy(seg + n, "x=1;", 4);
            n += 4;
        }
        memcpy(seg + n, "CP=&&a=1&&", 10);
        n += 10;
        check_segment(seg, n);
    }
}

/* ---- the scanner: the line-feed test fused with the CRC ---- */

/* Appendix A as written (not CRC-16/MODBUS): the byte enters the register's high byte. */
static uint16_t crc_bytewise(const unsigned char *p, size_t n)
{
    unsigned reg = 0xFFFF;
    for (size_t i = 0; i < n; i++) {
        reg = (reg >> 8) ^ p[i];
        for (int k = 0; k < 8; k++)
            reg = reg & 1 ? (reg >> 1) ^ 0xA001 : reg >> 1;
    }
    return (uint16_t)reg;
}

/* Writes "##LLLL" + data + CRC + CR LF at out; returns the frame's length. */
static size_t make_frame(char *out, const unsigned char *data, size_t n)
{
    char head[8];
    snprintf(head, sizeof head, "##%04zu", n);
    memcpy(out, head, 6);
    memcpy(out + 6, data, n);
    char tail[8];
    snprintf(tail, sizeof tail, "%04X\r\n", crc_bytewise(data, n));
    memcpy(out + 6 + n, tail, 6);
    return n + 12;
}

/* A frame of every length 0-1100 at every offset mod 16, with bytes next to LF (0x09, 0x0B,
 * 0x8A, 0x1A) everywhere: OK and the CRC of the bitwise rule; then a line feed at each place
 * of the data and CRC field: BAD_LENGTH at once, complete or not. */
static void test_scan_line_feed(void **state)
{
    (void)state;
    static unsigned char data[1200];
    static char buf[1300];
    static const unsigned char near_lf[] = {0x09, 0x0B, 0x8A, 0x1A, 'a', 0x0A ^ 0x20};
    rng_state = 7;
    for (size_t n = 0; n <= 1100; n++) {
        for (size_t i = 0; i < n; i++)
            data[i] = near_lf[rnd(sizeof near_lf)];
        size_t off = n % 16;
        size_t flen = make_frame(buf + off, data, n);
        struct hj212_frame_ref ref;
        size_t max = HJ212_FRAME_MAX_ABS;
        assert_int_equal(hj212_scan(buf + off, flen, max, 1, &ref), flen);
        assert_int_equal(ref.status, HJ212_OK);
        assert_int_equal(ref.crc_calc, crc_bytewise(data, n));
        /* every place for the short lengths, the ends and a stride for the long ones */
        for (size_t at = 6; at < 6 + n + 4; at += (n < 200 || at < 80 || at + 80 > n) ? 1 : 13) {
            char keep = buf[off + at];
            buf[off + at] = '\n';
            assert_int_equal(hj212_scan(buf + off, flen, max, 1, &ref), 1);
            assert_int_equal(ref.status, HJ212_BAD_LENGTH);
            assert_int_equal(ref.crc_calc, 0);
            /* not all there yet: rejected as soon as the line feed is in */
            assert_int_equal(hj212_scan(buf + off, at + 1, max, 0, &ref), 1);
            assert_int_equal(ref.status, HJ212_BAD_LENGTH);
            buf[off + at] = keep;
        }
    }
}

int main(void)
{
    got = malloc(sizeof *got);
    want = malloc(sizeof *want);
    if (!got || !want)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_capture),   cmocka_unit_test(test_random_segments),
        cmocka_unit_test(test_every_place),    cmocka_unit_test(test_limits),
        cmocka_unit_test(test_scan_line_feed),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    free(got);
    free(want);
    return rc;
}
