/* Unit tests for the HJ 212 codec: CRC check values, the conformance vectors, the real
 * capture sample, stream resynchronisation and chunking, line ends, limits, the parser's
 * tolerance rules and encoder round trips. Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/hj212.h"

#define VECTORS "tests/data/hj212/hj212-vectors.tsv"
#define SAMPLE "tests/data/hj212/hj212-real-sample.h212"

/* Frames of the sample that pass length and CRC (checked by hand: 3000 lines, line 2108 is
 * vector R10 with 3 bytes lost). */
#define SAMPLE_LINES 3000
#define SAMPLE_OK 2999

static struct hj212_msg *msg; /* ~25 KB: one shared instance, not on the stack */

static char *load(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    char *p = malloc((size_t)n + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    p[n] = '\0';
    *len = (size_t)n;
    return p;
}

static struct hj212_str S(const char *s) {
    return hj212_str_c(s);
}

static void
assert_str(struct hj212_str s, const char *want)
{
    if (!hj212_str_eq(s, want))
        fail_msg("got '%.*s', want '%s'", (int)s.len, s.ptr ? s.ptr : "", want);
}

/* Scans a complete frame given as text (a CR LF is appended) at end of stream. */
static enum hj212_err scan_one(const char *frame, struct hj212_frame_ref *ref, char *buf,
                               size_t cap)
{
    int n = snprintf(buf, cap, "%s\r\n", frame);
    assert_true(n > 0 && (size_t)n < cap);
    hj212_scan(buf, (size_t)n, 0, 1, ref);
    return ref->status;
}

/* ---- CRC ---- */

static void test_crc_check_values(void **state)
{
    (void)state;
    assert_int_equal(hj212_crc("", 0), 0xFFFF);
    assert_int_equal(hj212_crc("123456789", 9), 0x2F80);
    const char *s1 = "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;"
                     "Flag=5;CP=&&RtdInterval=30&&";
    assert_int_equal(hj212_crc(s1, strlen(s1)), 0x1C80);
    /* T[1] and T[255]: from 0xFFFF, byte 0xFE indexes T[1] and byte 0x00 indexes T[255] */
    assert_int_equal(hj212_crc("\xFE", 1), 0xC0C1);
    assert_int_equal(hj212_crc("\x00", 1), 0x4040);
    /* bytes >= 0x80 must not sign-extend (C.40 gives 9C01 when they do) */
    const char *c40 = "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;"
                      "Flag=5;CP=&&DataTime=20100301145000;PolId=w01018;"
                      "i11001-Info=//\xe6\xb8\x85\xe6\xb4\x97\xe7\xae\xa1\xe8\xb7\xaf//&&";
    assert_int_equal(strlen(c40), 152);
    assert_int_equal(hj212_crc(c40, strlen(c40)), 0x9741);
}

/* Appendix A transcribed bit by bit, as the reference for the table/lane implementation. */
static uint16_t crc_bitwise_from(unsigned reg, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        reg = (reg >> 8) ^ p[i];
        for (int k = 0; k < 8; k++) {
            unsigned lsb = reg & 1;
            reg >>= 1;
            if (lsb)
                reg ^= 0xA001;
        }
    }
    return (uint16_t)reg;
}

static uint16_t crc_bitwise(const unsigned char *p, size_t n)
{
    return crc_bitwise_from(0xFFFF, p, n);
}

static void test_crc_random(void **state)
{
    (void)state;
    static unsigned char buf[1200];
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < sizeof buf; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (unsigned char)x;
    }
    for (size_t n = 0; n <= sizeof buf; n += n < 140 ? 1 : 37) {
        uint16_t want = crc_bitwise(buf, n);
        assert_int_equal(hj212_crc(buf, n), want);
        /* fed in two pieces at every split point of a short prefix */
        for (size_t cut = 0; cut <= n && cut < 70; cut += 7)
            assert_int_equal(
                hj212_crc_update(hj212_crc_update(HJ212_CRC_INIT, buf, cut), buf + cut, n - cut),
                want);
    }
}

/* Every length 0-1024, at every start offset modulo 8 (the CRC folds 8-byte words, so the
 * split into a byte-wise head and whole words moves with both), with random bytes, all-0xFF
 * bytes and the frame alphabet, against the bit-by-bit transcription of Appendix A. */
static void test_crc_every_length(void **state)
{
    (void)state;
    static unsigned char buf[1024 + 8];
    uint32_t x = 88675123u;
    for (int kind = 0; kind < 3; kind++) {
        for (size_t i = 0; i < sizeof buf; i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            buf[i] = kind == 0   ? (unsigned char)x
                     : kind == 1 ? 0xFF
                                 : (unsigned char)"QN=;,&-.0123456789"[x % 18];
        }
        for (size_t off = 0; off < 8; off++)
            for (size_t n = 0; n <= 1024; n++)
                if (hj212_crc(buf + off, n) != crc_bitwise(buf + off, n))
                    fail_msg("kind %d offset %zu length %zu: %04X, want %04X", kind, off, n,
                             hj212_crc(buf + off, n), crc_bitwise(buf + off, n));
    }
    /* The property the folding rests on, in the reference arithmetic: eight zero bytes
     * leave the register's high byte as it was, from every value (the low byte does not
     * matter: the next step discards it). */
    static const unsigned char zeros[9];
    for (unsigned hi = 0; hi < 256; hi++)
        assert_int_equal(crc_bitwise_from(hi << 8 | 0x5A, zeros, 9),
                         crc_bitwise_from(hi << 8, zeros, 1));
}

/* hj212_crc_update from every register value (a CRC fed in pieces) at lengths 1-40: the
 * partial first word is entered as zero bytes from H^head(h), so every head length meets
 * every high byte, against the bit-by-bit transcription. */
static void test_crc_every_register(void **state)
{
    (void)state;
    static unsigned char buf[40];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)(i * 37 + 11);
    for (unsigned reg = 0; reg <= 0xFFFF; reg += 0xFF + 0x5A)
        for (size_t n = 1; n <= sizeof buf; n++)
            for (unsigned hi = 0; hi < 256; hi += 1 + (n > 24) * 6) {
                unsigned r = hi << 8 | (reg & 0xFF);
                if (hj212_crc_update((uint16_t)r, buf, n) != crc_bitwise_from(r, buf, n))
                    fail_msg("register %04X length %zu", r, n);
            }
}

static void test_err_names(void **state)
{
    (void)state;
    assert_string_equal(hj212_err_name(HJ212_OK), "ok");
    assert_string_equal(hj212_err_name(HJ212_BAD_HEADER), "bad_header");
    assert_string_equal(hj212_err_name(HJ212_BAD_LENGTH), "bad_length");
    assert_string_equal(hj212_err_name(HJ212_BAD_CRC), "bad_crc");
    assert_string_equal(hj212_err_name(HJ212_TOO_LONG), "too_long");
    assert_string_equal(hj212_err_name(HJ212_TRUNCATED), "truncated");
    assert_string_equal(hj212_err_name(HJ212_BAD_SYNTAX), "bad_syntax");
    assert_string_equal(hj212_err_name((enum hj212_err)999), "unknown");
    for (int e = 0; e < HJ212_ERR_COUNT; e++)
        assert_true(strlen(hj212_err_text((enum hj212_err)e)) > 0);
}

/* ---- vectors ---- */

struct vector {
    char id[32];
    char expect[32];
    char frame[2048];
};

static size_t load_vectors(struct vector *v, size_t max)
{
    size_t len, n = 0;
    char *text = load(VECTORS, &len);
    for (char *line = text, *next; line < text + len; line = next) {
        char *nl = memchr(line, '\n', (size_t)(text + len - line));
        next = nl ? nl + 1 : text + len;
        if (nl)
            *nl = '\0';
        if (line[0] == '#' || line[0] == '\0' || !strncmp(line, "id\t", 3))
            continue;
        char *t1 = strchr(line, '\t');
        char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        char *t3 = t2 ? strchr(t2 + 1, '\t') : NULL;
        assert_non_null(t3);
        assert_true(n < max);
        snprintf(v[n].id, sizeof v[n].id, "%.*s", (int)(t1 - line), line);
        snprintf(v[n].expect, sizeof v[n].expect, "%.*s", (int)(t2 - t1 - 1), t1 + 1);
        assert_true(strlen(t3 + 1) < sizeof v[n].frame);
        snprintf(v[n].frame, sizeof v[n].frame, "%s", t3 + 1);
        n++;
    }
    free(text);
    return n;
}

/* The value of header key in a frame, found independently of the codec: split the part
 * before ";CP=" on ';'. Returns NULL if absent. */
static const char *naive_head(const char *frame, const char *key, char *out, size_t cap)
{
    const char *seg = frame + 6;
    const char *cp = strstr(seg, "CP=&&");
    assert_non_null(cp);
    size_t klen = strlen(key);
    for (const char *p = seg; p < cp;) {
        const char *semi = memchr(p, ';', (size_t)(cp - p));
        const char *end = semi ? semi : cp;
        if ((size_t)(end - p) > klen && !strncmp(p, key, klen) && p[klen] == '=') {
            snprintf(out, cap, "%.*s", (int)(end - p - (ptrdiff_t)klen - 1), p + klen + 1);
            return out;
        }
        p = end + 1;
    }
    return NULL;
}

static void check_head_field(const char *frame, const char *key, struct hj212_str got)
{
    char want[128];
    if (naive_head(frame, key, want, sizeof want))
        assert_str(got, want);
    else
        assert_null(got.ptr);
}

static void test_vectors(void **state)
{
    (void)state;
    static struct vector v[64];
    size_t n = load_vectors(v, 64);
    assert_int_equal(n, 45);
    size_t ok = 0, bad = 0;
    char buf[2100];
    for (size_t i = 0; i < n; i++) {
        struct hj212_frame_ref ref;
        enum hj212_err st = scan_one(v[i].frame, &ref, buf, sizeof buf);
        if (strcmp(hj212_err_name(st), v[i].expect))
            fail_msg("%s: got %s, want %s", v[i].id, hj212_err_name(st), v[i].expect);
        assert_int_equal(ref.offset, 0);
        if (st != HJ212_OK) {
            bad++;
            continue;
        }
        ok++;
        assert_int_equal(ref.frame_len, strlen(v[i].frame) + 2);
        assert_int_equal(ref.eol, HJ212_EOL_CRLF);
        enum hj212_err pe = hj212_parse(ref.data, ref.data_len, msg);
        if (pe != HJ212_OK)
            fail_msg("%s: parse %s at %zu", v[i].id, hj212_err_name(pe), msg->err_pos);
        const char *f = v[i].frame;
        check_head_field(f, "QN", msg->qn);
        check_head_field(f, "ST", msg->st);
        check_head_field(f, "CN", msg->cn);
        check_head_field(f, "PW", msg->pw);
        check_head_field(f, "MN", msg->mn);
        check_head_field(f, "Flag", msg->flag_str);
        check_head_field(f, "PNUM", msg->pnum_str);
        check_head_field(f, "PNO", msg->pno_str);
        char want[64];
        if (naive_head(f, "Flag", want, sizeof want)) {
            int flag = (int)strtol(want, NULL, 10);
            assert_int_equal(msg->flag, flag);
            assert_int_equal(msg->edition, (flag >> 2) == 0   ? HJ212_EDITION_2005
                                           : (flag >> 2) == 1 ? HJ212_EDITION_2017
                                                              : HJ212_EDITION_NEWER);
        } else {
            assert_int_equal(msg->edition, HJ212_EDITION_2005);
        }
        /* the CP area is everything between "CP=&&" and the final "&&" */
        const char *cp = strstr(f, "CP=&&") + 5;
        assert_int_equal(msg->cp.len, strlen(cp) - 6);
    }
    assert_int_equal(ok, 36);
    assert_int_equal(bad, 9);
}

static const struct vector *find_vector(const char *id)
{
    static struct vector v[64];
    static size_t n;
    if (!n)
        n = load_vectors(v, 64);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].id, id))
            return &v[i];
    fail_msg("no vector %s", id);
    return NULL;
}

/* Scans and parses vector id into msg; returns the frame buffer (static). */
static const char *parse_vector(const char *id)
{
    static char buf[2100];
    struct hj212_frame_ref ref;
    assert_int_equal(scan_one(find_vector(id)->frame, &ref, buf, sizeof buf), HJ212_OK);
    assert_int_equal(hj212_parse(ref.data, ref.data_len, msg), HJ212_OK);
    return buf;
}

static const struct hj212_item *item(size_t i)
{
    assert_true(i < msg->n_items);
    return &msg->items[i];
}

static void assert_item(size_t i, const char *code, const char *field, const char *value,
                        const char *flag)
{
    const struct hj212_item *it = item(i);
    assert_str(it->code, code);
    assert_str(it->field, field);
    assert_str(it->value, value);
    if (flag) {
        assert_true(it->flag_idx >= 0);
        assert_str(msg->items[it->flag_idx].value, flag);
    } else {
        assert_int_equal(it->flag_idx, -1);
    }
}

static void test_vector_contents(void **state)
{
    (void)state;
    parse_vector("S5");
    assert_int_equal(msg->edition, HJ212_EDITION_2017);
    assert_str(msg->qn, "20220513162608370");
    assert_int_equal(msg->cn_num, 2051);
    assert_false(hj212_msg_wants_ack(msg));
    assert_true(msg->datatime_ok);
    assert_int_equal(hj212_time_to_unix(&msg->dt), 1652430360);
    assert_item(0, "", "DataTime", "20220513162600", NULL);
    assert_item(1, "a21004", "Avg", "4", "N");
    assert_item(7, "a21005", "Avg", "0.427", "N");
    assert_item(9, "a34004", "Avg", "14", "N");
    assert_int_equal(msg->n_items, 23);

    /* 2005 CEMS: no QN or Flag, 17-digit DataTime, old codes, repeated 01-Flag */
    parse_vector("R1");
    assert_int_equal(msg->edition, HJ212_EDITION_2005);
    assert_false(msg->has_flag);
    assert_null(msg->qn.ptr);
    assert_true(msg->datatime_ok);
    assert_int_equal(msg->dt.ms, 0);
    assert_item(11, "S08", "Rtd", "0.000000", "N");
    assert_item(13, "01", "Rtd", "0.00", "N");
    assert_item(15, "01", "ZsRtd", "0.00", "N");
    assert_int_equal(item(13)->flag_idx, 14);
    assert_int_equal(item(15)->flag_idx, 16);

    /* groups of statistics share one flag */
    parse_vector("C50-pno2");
    assert_true(msg->has_split);
    assert_int_equal(msg->pnum, 2);
    assert_int_equal(msg->pno, 2);
    assert_true(hj212_msg_wants_ack(msg));
    for (size_t i = 1; i <= 4; i++)
        assert_item(i, "w01018",
                    i == 1   ? "Cou"
                    : i == 2 ? "Min"
                    : i == 3 ? "Avg"
                             : "Max",
                    i == 1 ? "63.0" : "40.1", "N");

    /* log text in UTF-8 with the // delimiters removed */
    parse_vector("C40-3020log");
    assert_int_equal(msg->n_items, 3);
    assert_true(item(2)->is_log);
    assert_str(item(2)->code, "i11001");
    assert_str(item(2)->value, "\xe6\xb8\x85\xe6\xb4\x97\xe7\xae\xa1\xe8\xb7\xaf");

    /* 2005 replies: the referenced QN is inside CP */
    parse_vector("R5");
    assert_str(hj212_msg_ref_qn(msg), "20160824000504006");
    assert_str(hj212_msg_cp_get(msg, "QnRtn"), "1");
    parse_vector("R6");
    assert_str(hj212_msg_cp_get(msg, "exertn"), "100");

    /* header order: MN before PW; vendor codes; separator before the final && */
    parse_vector("T2");
    assert_str(msg->mn, "aqms-1100-2020110011");
    assert_str(msg->pw, "123456");
    assert_item(5, "pms_rules", "Rtd", "7", "N");
    parse_vector("T1");
    assert_int_equal(msg->flag, 7);
    assert_false(msg->has_split); /* Flag.D without PNUM/PNO is tolerated */
    assert_item(1, "LA", "td", "50.1", "N");
    parse_vector("T3");
    assert_str(hj212_msg_cp_get(msg, "BeginTime"), "20040506111000");
    assert_str(hj212_msg_cp_get(msg, "EndTime"), "20040506151000");

    /* empty CP */
    parse_vector("C14-9014");
    assert_int_equal(msg->n_items, 0);
    assert_int_equal(msg->cp.len, 0);

    /* a negative value kept as a string (U4 has a wrong CRC but parses) */
    const struct vector *u4 = find_vector("U4");
    assert_int_equal(hj212_parse(u4->frame + 6, strlen(u4->frame) - 10, msg), HJ212_OK);
    assert_item(4, "a01005", "Avg", "-100", "B");
    assert_false(msg->datatime_ok == 0);
}

/* ---- the real sample ---- */

struct tally {
    size_t ok, rejected, parsed;
    size_t err[HJ212_ERR_COUNT];
    size_t first_bad_offset;
};

static void tally_ref(struct tally *t, const struct hj212_frame_ref *ref, size_t base)
{
    if (ref->status == HJ212_OK) {
        t->ok++;
        if (hj212_parse(ref->data, ref->data_len, msg) == HJ212_OK)
            t->parsed++;
    } else if (ref->status != HJ212_MORE) {
        if (!t->rejected)
            t->first_bad_offset = base + ref->offset;
        t->rejected++;
        t->err[ref->status]++;
    }
}

static void test_real_sample(void **state)
{
    (void)state;
    size_t len;
    char *buf = load(SAMPLE, &len);
    struct tally t = {0};
    size_t pos = 0, lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += buf[i] == '\n';
    assert_int_equal(lines, SAMPLE_LINES);
    while (pos < len) {
        struct hj212_frame_ref ref;
        size_t used = hj212_scan(buf + pos, len - pos, 0, 1, &ref);
        assert_true(used > 0 && used <= len - pos);
        /* no garbage between frames, except the rest of the rejected frame */
        if (t.rejected == 0)
            assert_int_equal(ref.skipped, 0);
        tally_ref(&t, &ref, pos);
        pos += used;
    }
    assert_int_equal(t.ok, SAMPLE_OK);
    assert_int_equal(t.parsed, SAMPLE_OK);
    assert_int_equal(t.rejected, 1);
    assert_int_equal(t.err[HJ212_BAD_LENGTH], 1);
    /* the rejected frame starts line 2108 */
    size_t line = 1;
    for (size_t i = 0; i < t.first_bad_offset; i++)
        line += buf[i] == '\n';
    assert_int_equal(line, 2108);
    assert_memory_equal(buf + t.first_bad_offset, "##0615ST=31;CN=2051", 19);
    free(buf);
}

/* Line 251 of the sample has ST= followed by two NUL bytes and is a valid frame. */
static void test_real_sample_nul(void **state)
{
    (void)state;
    size_t len;
    char *buf = load(SAMPLE, &len);
    size_t off = 0;
    for (int line = 1; line < 251; line++)
        off = (size_t)((char *)memchr(buf + off, '\n', len - off) - buf) + 1;
    struct hj212_frame_ref ref;
    hj212_scan(buf + off, len - off, 0, 0, &ref);
    assert_int_equal(ref.status, HJ212_OK);
    assert_int_equal(ref.offset, 0);
    assert_int_equal(hj212_parse(ref.data, ref.data_len, msg), HJ212_OK);
    assert_int_equal(msg->st.len, 2);
    assert_memory_equal(msg->st.ptr, "\0\0", 2);
    free(buf);
}

/* Feeds the sample through a capped per-connection buffer in chunks of every size from 1 to
 * 23 bytes and checks that the results equal those of the whole-buffer scan. */
static void feed_chunked(const char *in, size_t len, size_t chunk, struct tally *t)
{
    static char conn[HJ212_FRAME_MAX + 64];
    size_t have = 0, fed = 0, base = 0;
    while (fed < len || have) {
        size_t n = len - fed < chunk ? len - fed : chunk;
        if (n > sizeof conn - have)
            n = sizeof conn - have;
        memcpy(conn + have, in + fed, n);
        have += n;
        fed += n;
        int eof = fed == len;
        for (;;) {
            struct hj212_frame_ref ref;
            size_t used = hj212_scan(conn, have, 0, eof, &ref);
            assert_true(used <= have);
            tally_ref(t, &ref, base);
            memmove(conn, conn + used, have - used);
            have -= used;
            base += used;
            if (ref.status == HJ212_MORE || ref.status == HJ212_TRUNCATED || !have)
                break;
        }
        /* the buffer never needs more than one maximal frame */
        assert_true(have <= HJ212_FRAME_MAX);
        if (eof && have == 0)
            break;
        if (eof)
            assert_int_equal(have, 0);
    }
}

static void test_chunked(void **state)
{
    (void)state;
    size_t len;
    char *buf = load(SAMPLE, &len);
    /* the first 200 frames in every chunk size, byte by byte included */
    size_t cut = 0;
    for (int l = 0; l < 200; l++)
        cut = (size_t)((char *)memchr(buf + cut, '\n', len - cut) - buf) + 1;
    for (size_t chunk = 1; chunk <= 23; chunk++) {
        struct tally t = {0};
        feed_chunked(buf, cut, chunk, &t);
        assert_int_equal(t.ok, 200);
        assert_int_equal(t.parsed, 200);
        assert_int_equal(t.rejected, 0);
    }
    /* the whole file byte by byte, and in 1000-byte chunks */
    size_t chunks[] = {1, 1000};
    for (size_t c = 0; c < 2; c++) {
        struct tally t = {0};
        feed_chunked(buf, len, chunks[c], &t);
        assert_int_equal(t.ok, SAMPLE_OK);
        assert_int_equal(t.rejected, 1);
        assert_int_equal(t.err[HJ212_BAD_LENGTH], 1);
    }
    free(buf);
}

/* ---- framing edge cases ---- */

#define F_S1                                                                                       \
    "##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&"  \
    "RtdInterval=30&&1C80"

static void test_resync(void **state)
{
    (void)state;
    const char in[] = "\x01\xff garbage #\r\n#0101 ## ##01" F_S1 "\r\n"
                      "noise\n" F_S1 "\r\n#";
    size_t len = sizeof in - 1;
    struct hj212_frame_ref ref;
    size_t pos = 0;
    enum hj212_err want[] = {HJ212_BAD_HEADER, HJ212_BAD_HEADER, HJ212_OK, HJ212_OK, HJ212_MORE};
    size_t want_off[] = {20, 23, 27, 27 + 113 + 6, 0};
    for (size_t i = 0; i < 5; i++) {
        size_t used = hj212_scan(in + pos, len - pos, 0, 1, &ref);
        assert_int_equal(ref.status, want[i]);
        if (want[i] != HJ212_MORE)
            assert_int_equal(pos + ref.offset, want_off[i]);
        pos += used;
    }
    assert_int_equal(pos, len);
}

static void test_line_ends(void **state)
{
    (void)state;
    struct hj212_frame_ref ref;
    /* LF only */
    const char lf[] = F_S1 "\n" F_S1 "\n";
    size_t used = hj212_scan(lf, sizeof lf - 1, 0, 0, &ref);
    assert_int_equal(ref.status, HJ212_OK);
    assert_int_equal(ref.eol, HJ212_EOL_LF);
    assert_int_equal(used, 102 + 6 + 4 + 1 - 1);
    /* glued frames without a line end */
    const char glued[] = F_S1 F_S1;
    used = hj212_scan(glued, sizeof glued - 1, 0, 0, &ref);
    assert_int_equal(ref.status, HJ212_OK);
    assert_int_equal(ref.eol, HJ212_EOL_NONE);
    used = hj212_scan(glued + used, sizeof glued - 1 - used, 0, 0, &ref);
    assert_int_equal(ref.status, HJ212_MORE); /* the last one may still get its CR LF */
    used = hj212_scan(glued + 111, sizeof glued - 1 - 111, 0, 1, &ref);
    assert_int_equal(ref.status, HJ212_OK);
    assert_int_equal(used, 111);
    /* CR then more data: wait for the LF; CR alone at the end of the stream is accepted */
    const char cr[] = F_S1 "\r";
    hj212_scan(cr, sizeof cr - 1, 0, 0, &ref);
    assert_int_equal(ref.status, HJ212_MORE);
    hj212_scan(cr, sizeof cr - 1, 0, 1, &ref);
    assert_int_equal(ref.status, HJ212_OK);
    assert_int_equal(ref.eol, HJ212_EOL_CR);
    /* anything else after the CRC means the length was wrong */
    const char junk[] = F_S1 "X\r\n";
    hj212_scan(junk, sizeof junk - 1, 0, 1, &ref);
    assert_int_equal(ref.status, HJ212_BAD_LENGTH);
    /* lower-case CRC accepted */
    char lower[] = F_S1 "\r\n";
    lower[108] = 'c';
    hj212_scan(lower, sizeof lower - 1, 0, 1, &ref);
    assert_int_equal(ref.status, HJ212_OK);
    assert_int_equal(ref.crc_sent, 0x1C80);
}

static void test_limits(void **state)
{
    (void)state;
    struct hj212_frame_ref ref;
    /* a declared 1025-byte segment is too long for the strict default, at once */
    size_t used = hj212_scan("##1025QN=", 9, 0, 0, &ref);
    assert_int_equal(ref.status, HJ212_TOO_LONG);
    assert_int_equal(used, 1);
    hj212_scan("##9999", 6, 0, 0, &ref);
    assert_int_equal(ref.status, HJ212_TOO_LONG);
    /* 1024 is fine by default: wait for the bytes */
    used = hj212_scan("##1024QN=", 9, 0, 0, &ref);
    assert_int_equal(ref.status, HJ212_MORE);
    assert_int_equal(used, 0);
    /* a tighter cap */
    hj212_scan(F_S1 "\r\n", 113, 113, 1, &ref);
    assert_int_equal(ref.status, HJ212_OK);
    hj212_scan(F_S1 "\r\n", 113, 112, 1, &ref);
    assert_int_equal(ref.status, HJ212_TOO_LONG);

    /* a 1900-byte segment with a tolerant cap */
    static char big[4096], cp[2100];
    struct hj212_cp b;
    hj212_cp_init(&b, cp, sizeof cp);
    for (int i = 0; i < 100; i++)
        hj212_cp_add(&b, "a34004-Rtd", S("12.3456"));
    struct hj212_head h = {.st = S("22"), .cn = 2011, .mn = S("MN1"), .flag = 4, .qn = S("1")};
    size_t flen;
    assert_int_equal(hj212_encode_cp(big, HJ212_FRAME_MAX + 1, &h, &b, &flen), HJ212_NO_SPACE);
    assert_int_equal(hj212_encode_cp(big, sizeof big, &h, &b, &flen), HJ212_OK);
    assert_true(flen > HJ212_FRAME_MAX);
    hj212_scan(big, flen, 0, 1, &ref);
    assert_int_equal(ref.status, HJ212_TOO_LONG);
    hj212_scan(big, flen, HJ212_FRAME_MAX_ABS, 1, &ref);
    assert_int_equal(ref.status, HJ212_OK);
    assert_int_equal(hj212_parse(ref.data, ref.data_len, msg), HJ212_OK);
    assert_int_equal(msg->n_items, 100);
}

static void test_truncated(void **state)
{
    (void)state;
    struct hj212_frame_ref ref;
    const char in[] = F_S1;
    for (size_t n = 2; n < sizeof in - 1; n++) {
        size_t used = hj212_scan(in, n, 0, 0, &ref);
        assert_int_equal(ref.status, HJ212_MORE);
        assert_int_equal(used, 0);
        used = hj212_scan(in, n, 0, 1, &ref);
        assert_int_equal(ref.status, HJ212_TRUNCATED);
        assert_int_equal(used, n);
    }
    /* a lone '#' is kept while the stream is open, dropped at its end */
    assert_int_equal(hj212_scan("ab#", 3, 0, 0, &ref), 2);
    assert_int_equal(hj212_scan("ab#", 3, 0, 1, &ref), 3);
    assert_int_equal(ref.status, HJ212_MORE);
    /* empty input */
    assert_int_equal(hj212_scan("", 0, 0, 1, &ref), 0);
    assert_int_equal(ref.status, HJ212_MORE);
    /* a line feed inside the declared frame means bytes were lost: reject at once */
    const char lost[] = "##0101QN=2016\r\n";
    hj212_scan(lost, sizeof lost - 1, 0, 0, &ref);
    assert_int_equal(ref.status, HJ212_BAD_LENGTH);
}

/* ---- parser rules ---- */

static enum hj212_err parse_text(const char *seg)
{
    return hj212_parse(seg, strlen(seg), msg);
}

static void test_parser_rules(void **state)
{
    (void)state;
    /* order-free header, case-free names, unknown keys kept, spaces trimmed */
    assert_int_equal(parse_text("CN=2011; MN=M1 ;pw=x;QN=1;st=22;PNum=3;Pno=1;Flag=6;Ver=9;"
                                "CP=&&DataTime=20200101000000&&"),
                     HJ212_OK);
    assert_str(msg->mn, "M1");
    assert_str(msg->pw, "x");
    assert_int_equal(msg->pnum, 3);
    assert_int_equal(msg->pno, 1);
    assert_true(msg->has_split);
    assert_int_equal(msg->n_head, 9);
    assert_str(msg->head[8].key, "Ver");
    assert_str(msg->head[8].value, "9");
    /* a newer edition: version bits 2 */
    assert_int_equal(parse_text("ST=22;CN=2011;MN=M;Flag=9;CP=&&a-Rtd=1,NewKey=z&&"), HJ212_OK);
    assert_int_equal(msg->edition, HJ212_EDITION_NEWER);
    assert_int_equal(msg->version, 2);
    assert_true(hj212_msg_wants_ack(msg));
    assert_string_equal(hj212_edition_name(msg->edition), "unknown");
    assert_str(item(1)->key, "NewKey");
    /* log text holding separators and '=' */
    assert_int_equal(parse_text("ST=32;CN=3020;MN=M;CP=&&i11001-Info=//a;b,c=d//;x=1&&"), HJ212_OK);
    assert_str(item(0)->value, "a;b,c=d");
    assert_str(item(1)->key, "x");
    /* && inside log text: CP runs to the last && */
    assert_int_equal(parse_text("ST=32;CN=3020;MN=M;CP=&&i-Info=//a&&b//&&"), HJ212_OK);
    assert_str(item(0)->value, "a&&b");
    /* repeated keys, ',' and ';' mixed, a space after ';', trailing ';' */
    assert_int_equal(parse_text("ST=32;CN=2011;MN=M;CP=&&a-Rtd=1,a-Rtd=2; b=3;&&"), HJ212_OK);
    assert_int_equal(msg->n_items, 3);
    assert_str(item(2)->key, "b");
    /* 13-digit DataTime is kept but not parsed */
    assert_int_equal(parse_text("ST=32;CN=2011;MN=M;CP=&&DataTime=2016082400000&&"), HJ212_OK);
    assert_false(msg->datatime_ok);
    assert_str(msg->datatime, "2016082400000");

    /* rejections */
    assert_int_equal(parse_text("ST=32;MN=M;CP=&&&&"), HJ212_MISSING_FIELD);
    assert_int_equal(parse_text("ST=32;CN=2011;CP=&&&&"), HJ212_MISSING_FIELD);
    assert_int_equal(parse_text("ST=32;CN=20x1;MN=M;CP=&&&&"), HJ212_BAD_SYNTAX);
    assert_int_equal(parse_text("ST=32;CN=2011;MN=M;Flag=256;CP=&&&&"), HJ212_BAD_SYNTAX);
    assert_int_equal(parse_text("ST=32;CN=2011;MN=M;MN=N;CP=&&&&"), HJ212_BAD_SYNTAX);
    assert_int_equal(parse_text("ST=32;CN=2011;MN=M;PNUM=x;PNO=1;CP=&&&&"), HJ212_BAD_SYNTAX);
    assert_int_equal(parse_text("ST=32;CN=2011;MN=M"), HJ212_BAD_SYNTAX);
    assert_int_equal(parse_text("ST=32;CN=2011;MN=M;CP=&&a=1"), HJ212_BAD_SYNTAX);
    assert_int_equal(parse_text("ST=32;CN=2011;MN=M;CP=&&&"), HJ212_BAD_SYNTAX);
    assert_int_equal(parse_text("ST=32;CN=2011;MN=M;CP=&&a=1;b&&"), HJ212_BAD_SYNTAX);
    assert_int_equal(parse_text("ST=32;CN=2011;MN=M;CP=&&i-Info=//open&&"), HJ212_BAD_SYNTAX);
    assert_int_equal(parse_text("ST=32;junk;CN=2011;MN=M;CP=&&&&"), HJ212_BAD_SYNTAX);
    assert_int_equal(parse_text(""), HJ212_BAD_SYNTAX);

    static char many[8192];
    size_t n = (size_t)snprintf(many, sizeof many, "ST=1;CN=1;MN=M;CP=&&");
    for (int i = 0; i <= HJ212_ITEMS_MAX; i++)
        n += (size_t)snprintf(many + n, sizeof many - n, "a=1;");
    snprintf(many + n, sizeof many - n, "&&");
    assert_int_equal(parse_text(many), HJ212_TOO_MANY_ITEMS);
}

/* The date rules written out, for test_time_every_byte. */
static int valid_digits_date(const char *d)
{
    int v[7] = {0};
    static const int width[7] = {4, 2, 2, 2, 2, 2, 3};
    size_t at = 0, len = strlen(d);
    for (int f = 0; f < 7 && at < len; f++)
        for (int i = 0; i < width[f]; i++)
            v[f] = v[f] * 10 + (d[at++] - '0');
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (v[0] % 4 == 0 && v[0] % 100 != 0) || v[0] % 400 == 0;
    if (v[1] < 1 || v[1] > 12 || v[2] < 1)
        return 0;
    int days = mdays[v[1] - 1] + (v[1] == 2 && leap);
    return v[2] <= days && v[3] < 24 && v[4] < 60 && v[5] < 60;
}

/* Every byte value at every place of a 14- and a 17-digit time: the digit test reads the
 * text as overlapping words, so a non-digit anywhere must still be refused, and a digit
 * give exactly the date rules' answer. */
static void test_time_every_byte(void **state)
{
    (void)state;
    static const char *const good[] = {"20240229235959", "20160823234320123"};
    for (int g = 0; g < 2; g++) {
        char buf[18];
        size_t n = strlen(good[g]);
        for (size_t i = 0; i < n; i++)
            for (int b = 0; b < 256; b++) {
                memcpy(buf, good[g], n + 1);
                buf[i] = (char)b;
                struct hj212_str s = {buf, n};
                struct hj212_time t;
                int want = b >= '0' && b <= '9' && valid_digits_date(buf) ? 0 : -1;
                if (hj212_time_parse(s, &t) != want)
                    fail_msg("byte %d at %zu of %s", b, i, good[g]);
            }
    }
}

static void test_time(void **state)
{
    (void)state;
    struct hj212_time t;
    assert_int_equal(hj212_time_parse(S("20220513162600"), &t), 0);
    assert_int_equal(hj212_time_to_unix(&t), 1652430360);
    assert_int_equal(hj212_time_parse(S("20160823234320123"), &t), 0);
    assert_int_equal(t.ms, 123);
    assert_int_equal(hj212_time_parse(S("20240229000000"), &t), 0);
    assert_int_equal(hj212_time_parse(S("20230229000000"), &t), -1);
    assert_int_equal(hj212_time_parse(S("20231301000000"), &t), -1);
    assert_int_equal(hj212_time_parse(S("20231231240000"), &t), -1);
    assert_int_equal(hj212_time_parse(S("2023123123000"), &t), -1);
    assert_int_equal(hj212_time_parse(S("2023-12-31 230"), &t), -1);
    /* Beijing midnight 1970-01-01 is 16:00 UTC the day before */
    assert_int_equal(hj212_time_parse(S("19700101000000"), &t), 0);
    assert_int_equal(hj212_time_to_unix(&t), -8 * 3600);
    char out[HJ212_TIME_BUF];
    for (int64_t s = -86400 * 400LL; s < 4102444800LL; s += 86400 * 13 + 3607) {
        hj212_time_from_unix(s, 7, &t);
        assert_int_equal(hj212_time_format(&t, 1, out), 17);
        struct hj212_time back;
        assert_int_equal(hj212_time_parse(S(out), &back), 0);
        assert_int_equal(hj212_time_to_unix(&back), s);
        assert_int_equal(back.ms, 7);
    }
}

/* ---- encoder ---- */

static void assert_frame(const char *got, size_t len, const char *vector_id)
{
    const char *want = find_vector(vector_id)->frame;
    if (len != strlen(want) + 2 || memcmp(got, want, len - 2) || memcmp(got + len - 2, "\r\n", 2))
        fail_msg("%s:\n got  %.*s\n want %s", vector_id, (int)len, got, want);
}

static void test_encode_replies(void **state)
{
    (void)state;
    static char out[HJ212_FRAME_MAX + 1];
    size_t n;
    parse_vector("C1-req");
    assert_int_equal(hj212_encode_qn_rtn(out, sizeof out, msg, 1, &n), HJ212_OK);
    assert_frame(out, n, "C1-9011");
    assert_int_equal(hj212_encode_exe_rtn(out, sizeof out, msg, 1, &n), HJ212_OK);
    assert_frame(out, n, "C1-9012");
    parse_vector("C11-2012");
    assert_int_equal(hj212_encode_notify_reply(out, sizeof out, msg, &n), HJ212_OK);
    assert_frame(out, n, "C11-9013");
    assert_int_equal(hj212_encode_data_ack(out, sizeof out, msg, &n), HJ212_OK);
    assert_frame(out, n, "C14-9014");
    parse_vector("C50-pno1");
    assert_int_equal(hj212_encode_data_ack(out, sizeof out, msg, &n), HJ212_OK);
    assert_frame(out, n, "C50-ack1");
    parse_vector("C50-pno2");
    assert_int_equal(hj212_encode_data_ack(out, sizeof out, msg, &n), HJ212_OK);
    assert_frame(out, n, "C50-ack2");

    /* 2005 form: a request QN goes into CP (the device side of R5/R6) */
    const char req05[] = "QN=20160824000504006;ST=32;CN=2051;PW=123456;MN=LD130107000188;Flag=1;"
                         "CP=&&BeginTime=20160823000000,EndTime=20160823010000&&";
    assert_int_equal(parse_text(req05), HJ212_OK);
    assert_int_equal(hj212_encode_qn_rtn(out, sizeof out, msg, 1, &n), HJ212_OK);
    assert_frame(out, n, "R5");
    const char req05b[] = "QN=20160824000504006;ST=32;CN=2051;PW=123456;MN=LD130107000188;"
                          "CP=&&BeginTime=20160823000000,EndTime=20160823010000&&";
    assert_int_equal(parse_text(req05b), HJ212_OK);
    assert_int_equal(hj212_encode_exe_rtn(out, sizeof out, msg, 100, &n), HJ212_OK);
    assert_frame(out, n, "R6");
    /* 2005 data ack names the upload's QN and CN */
    parse_vector("R7");
    assert_int_equal(hj212_encode_data_ack(out, sizeof out, msg, &n), HJ212_OK);
    assert_non_null(strstr(out, "ST=91;CN=9014;PW=123456;MN=ZG130182201401;Flag=0;"
                                "CP=&&QN=20160823235559979;CN=2072&&"));

    /* a 2017 reply needs a QN; out-of-range return codes; buffer too small */
    assert_int_equal(parse_text("ST=32;CN=2011;MN=M;Flag=5;CP=&&&&"), HJ212_OK);
    assert_int_equal(hj212_encode_data_ack(out, sizeof out, msg, &n), HJ212_BAD_VALUE);
    parse_vector("C1-req");
    assert_int_equal(hj212_encode_qn_rtn(out, sizeof out, msg, 1000, &n), HJ212_BAD_VALUE);
    assert_int_equal(hj212_encode_qn_rtn(out, 50, msg, 1, &n), HJ212_NO_SPACE);
    assert_int_equal(hj212_encode_qn_rtn(out, 106, msg, 1, &n), HJ212_NO_SPACE);
    assert_int_equal(hj212_encode_qn_rtn(out, 107, msg, 1, &n), HJ212_OK);
}

static void test_encode_requests(void **state)
{
    (void)state;
    static char out[HJ212_FRAME_MAX + 1];
    size_t n;
    struct hj212_peer p = {1, S("32"), S("100000"), S("010000A8900016F000169DC0")};
    struct hj212_str qn = S("20160801085857223");
    assert_int_equal(hj212_encode_set_rtd_interval(out, sizeof out, &p, qn, 30, &n), HJ212_OK);
    assert_frame(out, n, "S1");
    assert_int_equal(hj212_encode_set_rtd_interval(out, sizeof out, &p, qn, 29, &n),
                     HJ212_BAD_VALUE);
    assert_int_equal(hj212_encode_set_min_interval(out, sizeof out, &p, qn, 7, &n),
                     HJ212_BAD_VALUE);

    struct hj212_peer d = {1, S("32"), S("123456"), S("010000A8900016F000169DC0")};
    struct hj212_time b = {2016, 8, 1, 8, 0, 0, 0};
    assert_int_equal(hj212_encode_history(out, sizeof out, &d, qn, 2061, &b, &b, &n), HJ212_OK);
    assert_frame(out, n, "C21-2061req");
    struct hj212_time e = {2016, 8, 1, 7, 0, 0, 0};
    assert_int_equal(hj212_encode_history(out, sizeof out, &d, qn, 2061, &b, &e, &n),
                     HJ212_BAD_VALUE);
    assert_int_equal(hj212_encode_history(out, sizeof out, &d, qn, 2011, &e, &b, &n),
                     HJ212_BAD_VALUE);

    /* each request parses back with Flag A set and its fields */
    struct hj212_time now = {2024, 2, 29, 23, 59, 58, 0};
    struct {
        enum hj212_err err;
        int cn;
        const char *key, *value;
    } want[] = {
        {hj212_encode_get_time(out, sizeof out, &d, qn, S("w01018"), &n), 1011, "PolId", "w01018"},
        {HJ212_OK, 1012, "SystemTime", "20240229235958"},
        {HJ212_OK, 1064, "MinInterval", "10"},
        {HJ212_OK, 2051, "EndTime", "20160801080000"},
    };
    for (int i = 0; i < 4; i++) {
        if (i == 1)
            want[i].err = hj212_encode_set_time(out, sizeof out, &d, qn, S(""), &now, &n);
        if (i == 2)
            want[i].err = hj212_encode_set_min_interval(out, sizeof out, &d, qn, 10, &n);
        if (i == 3) {
            d.version = 0; /* 2005: ',' between the times and Flag=1 */
            want[i].err = hj212_encode_history(out, sizeof out, &d, qn, 2051, &e, &b, &n);
            assert_non_null(strstr(out, "Flag=1;CP=&&BeginTime=20160801070000,EndTime="));
        }
        assert_int_equal(want[i].err, HJ212_OK);
        struct hj212_frame_ref ref;
        assert_int_equal(hj212_scan(out, n, 0, 1, &ref), n);
        assert_int_equal(ref.status, HJ212_OK);
        assert_int_equal(hj212_parse(ref.data, ref.data_len, msg), HJ212_OK);
        assert_int_equal(msg->cn_num, want[i].cn);
        assert_true(hj212_msg_wants_ack(msg));
        assert_str(hj212_msg_cp_get(msg, want[i].key), want[i].value);
    }
    struct hj212_time bad = {2023, 2, 29, 0, 0, 0, 0};
    assert_int_equal(hj212_encode_set_time(out, sizeof out, &d, qn, S(""), &bad, &n),
                     HJ212_BAD_VALUE);
}

static void test_encode_data(void **state)
{
    (void)state;
    /* S5 rebuilt with the CP builder: the separators follow the factor codes */
    static const char *const f[] = {"a21004", "4",     "a05024", "63", "a21026", "6",
                                    "a21005", "0.427", "a34004", "14", "a34002", "31",
                                    "a01007", "1",     "a01008", "11", "a01001", "17",
                                    "a01002", "85",    "a01006", "95"};
    char area[1024], key[32], out[HJ212_FRAME_MAX + 1];
    struct hj212_cp cp;
    hj212_cp_init(&cp, area, sizeof area);
    hj212_cp_add(&cp, "DataTime", S("20220513162600"));
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i += 2) {
        snprintf(key, sizeof key, "%s-Avg", f[i]);
        hj212_cp_add(&cp, key, S(f[i + 1]));
        snprintf(key, sizeof key, "%s-Flag", f[i]);
        hj212_cp_add(&cp, key, S("N"));
    }
    struct hj212_head h = {.qn = S("20220513162608370"),
                           .st = S("22"),
                           .cn = 2051,
                           .pw = S("123456"),
                           .mn = S("JLYP01_AIR01_0001"),
                           .flag = 4};
    size_t n;
    assert_int_equal(hj212_encode_cp(out, sizeof out, &h, &cp, &n), HJ212_OK);
    assert_frame(out, n, "S5");

    /* C.40 with a log item, and a split packet header */
    hj212_cp_init(&cp, area, sizeof area);
    hj212_cp_add(&cp, "DataTime", S("20100301145000"));
    hj212_cp_add(&cp, "PolId", S("w01018"));
    hj212_cp_add_log(&cp, "i11001-Info", S("\xe6\xb8\x85\xe6\xb4\x97\xe7\xae\xa1\xe8\xb7\xaf"));
    struct hj212_head h40 = {.qn = S("20160801085857223"),
                             .st = S("32"),
                             .cn = 3020,
                             .pw = S("123456"),
                             .mn = S("010000A8900016F000169DC0"),
                             .flag = 5};
    assert_int_equal(hj212_encode_cp(out, sizeof out, &h40, &cp, &n), HJ212_OK);
    assert_frame(out, n, "C40-3020log");
    const char *c50 = "DataTime=20160801080000;w01018-Cou=63.0,w01018-Min=40.1,w01018-Avg=40.1,"
                      "w01018-Max=40.1,w01018-Flag=N";
    struct hj212_head h50 = {.qn = S("20160801085857535"),
                             .st = S("32"),
                             .cn = 2061,
                             .pw = S("123456"),
                             .mn = S("010000A8900016F000169DC0"),
                             .flag = 7,
                             .pnum = 2,
                             .pno = 2};
    assert_int_equal(hj212_encode(out, sizeof out, &h50, c50, strlen(c50), &n), HJ212_OK);
    assert_frame(out, n, "C50-pno2");

    /* reserved bytes are refused */
    hj212_cp_init(&cp, area, sizeof area);
    hj212_cp_add(&cp, "a-Rtd", S("1;2"));
    assert_int_equal(cp.err, HJ212_BAD_VALUE);
    hj212_cp_init(&cp, area, sizeof area);
    hj212_cp_add_log(&cp, "i-Info", S("a//b"));
    assert_int_equal(cp.err, HJ212_BAD_VALUE);
    hj212_cp_init(&cp, area, sizeof area);
    hj212_cp_add(&cp, "", S("1"));
    assert_int_equal(cp.err, HJ212_BAD_VALUE);
    hj212_cp_init(&cp, area, 8);
    hj212_cp_add(&cp, "DataTime", S("1"));
    assert_int_equal(cp.err, HJ212_NO_SPACE);
    assert_int_equal(hj212_encode_cp(out, sizeof out, &h, &cp, &n), HJ212_NO_SPACE);
    struct hj212_head bad = h;
    bad.mn = S("a;b");
    assert_int_equal(hj212_encode(out, sizeof out, &bad, "", 0, &n), HJ212_BAD_VALUE);
    bad = h;
    bad.cn = 10000;
    assert_int_equal(hj212_encode(out, sizeof out, &bad, "", 0, &n), HJ212_BAD_VALUE);
    bad = h;
    bad.st = S("");
    assert_int_equal(hj212_encode(out, sizeof out, &bad, "", 0, &n), HJ212_BAD_VALUE);
    assert_int_equal(hj212_encode(out, sizeof out, &h, "a=1\n", 4, &n), HJ212_BAD_VALUE);
    assert_int_equal(hj212_encode(out, sizeof out, &h, "a=&", 3, &n), HJ212_BAD_VALUE);
}

/* The header's numbers (CN zero-padded to 4, Flag, PNUM, PNO) are written as snprintf
 * "%0*d" writes them (the encoder formats them by hand), over the whole accepted ranges'
 * edges and a spread in between. */
static void test_encode_numbers(void **state)
{
    (void)state;
    static const int cns[] = {0, 1, 9, 10, 99, 100, 999, 1000, 2051, 9013, 9999};
    static const int flags[] = {-1, 0, 1, 4, 5, 9, 10, 99, 100, 255};
    static const int parts[] = {0, 1, 9, 10, 12345, 99999999, 100000000, 999999999};
    char out[HJ212_FRAME_MAX + 1], want[160];
    size_t n;
    for (size_t c = 0; c < sizeof cns / sizeof cns[0]; c++)
        for (size_t f = 0; f < sizeof flags / sizeof flags[0]; f++)
            for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++) {
                int pn = parts[p], po = parts[(p + 3) % 8] ? parts[(p + 3) % 8] : 1;
                struct hj212_head h = {.st = S("22"),
                                       .cn = cns[c],
                                       .mn = S("M1"),
                                       .flag = flags[f],
                                       .pnum = pn,
                                       .pno = pn ? po : 0};
                assert_int_equal(hj212_encode(out, sizeof out, &h, "", 0, &n), HJ212_OK);
                int k = snprintf(want, sizeof want, "ST=22;CN=%04d;MN=M1", cns[c]);
                if (flags[f] >= 0)
                    k += snprintf(want + k, sizeof want - (size_t)k, ";Flag=%d", flags[f]);
                if (pn)
                    k += snprintf(want + k, sizeof want - (size_t)k, ";PNUM=%d;PNO=%d", pn, po);
                snprintf(want + k, sizeof want - (size_t)k, ";CP=&&&&");
                assert_int_equal(n, strlen(want) + 12);
                assert_memory_equal(out + 6, want, strlen(want));
            }
}

/* Every ok vector re-encoded from its parsed header and CP area gives the same bytes,
 * whenever its header is in the standard order. */
static void test_roundtrip_vectors(void **state)
{
    (void)state;
    static struct vector v[64];
    size_t nv = load_vectors(v, 64), same = 0;
    char buf[2100], out[2100];
    for (size_t i = 0; i < nv; i++) {
        if (strcmp(v[i].expect, "ok"))
            continue;
        struct hj212_frame_ref ref;
        assert_int_equal(scan_one(v[i].frame, &ref, buf, sizeof buf), HJ212_OK);
        assert_int_equal(hj212_parse(ref.data, ref.data_len, msg), HJ212_OK);
        struct hj212_head h = {.qn = msg->qn,
                               .st = msg->st,
                               .cn = msg->cn_num,
                               .pw = msg->pw,
                               .mn = msg->mn,
                               .flag = msg->has_flag ? msg->flag : -1,
                               .pnum = msg->pnum,
                               .pno = msg->pno};
        size_t n;
        assert_int_equal(hj212_encode(out, sizeof out, &h, msg->cp.ptr, msg->cp.len, &n), HJ212_OK);
        /* the re-encoded frame always parses to the same items */
        struct hj212_frame_ref r2;
        hj212_scan(out, n, 0, 1, &r2);
        assert_int_equal(r2.status, HJ212_OK);
        if (n == ref.frame_len && !memcmp(out, buf, n - 6) &&
            hj212_crc(ref.data, ref.data_len) == r2.crc_sent)
            same++;
    }
    /* all but T2 (MN before PW) are in the standard order; S4 differs only in CRC case */
    assert_int_equal(same, 35);
}

int main(void)
{
    msg = malloc(sizeof *msg);
    if (!msg)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc_check_values), cmocka_unit_test(test_crc_random),
        cmocka_unit_test(test_crc_every_length), cmocka_unit_test(test_crc_every_register),
        cmocka_unit_test(test_err_names),        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_vector_contents),  cmocka_unit_test(test_real_sample),
        cmocka_unit_test(test_real_sample_nul),  cmocka_unit_test(test_chunked),
        cmocka_unit_test(test_resync),           cmocka_unit_test(test_line_ends),
        cmocka_unit_test(test_limits),           cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_parser_rules),     cmocka_unit_test(test_time),
        cmocka_unit_test(test_time_every_byte),  cmocka_unit_test(test_encode_replies),
        cmocka_unit_test(test_encode_requests),  cmocka_unit_test(test_encode_data),
        cmocka_unit_test(test_encode_numbers),   cmocka_unit_test(test_roundtrip_vectors),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    free(msg);
    return rc;
}
