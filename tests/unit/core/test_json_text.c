/* Unit tests for src/core/json_text: every byte escaped so the text parses
 * back (checked with jansson) to the input, or to U+FFFD where the input is
 * not UTF-8; numbers that read back exactly; the validator. */
#include "core/buf.h"
#include "core/json_text.h"
#include "core/text.h"

#include <jansson.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* s[0..n) written by json_text_string, parsed back by jansson. */
static json_t *roundtrip(const char *s, size_t n)
{
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(json_text_string(&b, s, n), 0);
    assert_int_equal(strlen(b.data), b.len);
    assert_true(json_text_valid(b.data, b.len));
    json_error_t e;
    json_t *v = json_loadb(b.data, b.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
    if (!v)
        fail_msg("%s does not parse: %s", b.data, e.text);
    buf_free(&b);
    assert_true(json_is_string(v));
    return v;
}

static void test_every_byte(void **state)
{
    (void)state;
    for (int c = 0; c < 256; c++) {
        char s[3] = {'a', (char)c, 'b'};
        json_t *v = roundtrip(s, 3);
        const char *got = json_string_value(v);
        size_t len = json_string_length(v);
        if (c < 0x80) {
            assert_int_equal(len, 3);
            assert_memory_equal(got, s, 3);
        } else { /* a lone byte ≥ 0x80 is never a whole character */
            assert_int_equal(len, 5);
            assert_memory_equal(got,
                                "a\xEF\xBF\xBD"
                                "b",
                                5);
        }
        json_decref(v);
    }
    struct buf b;
    buf_init(&b, 0);
    json_text_string(&b, "\"\\\n\t\x01\x7f/", 7);
    assert_string_equal(b.data, "\"\\\"\\\\\\n\\t\\u0001\x7f/\"");
    buf_reset(&b);
    json_text_string(&b, NULL, 0);
    assert_string_equal(b.data, "null");
    buf_free(&b);
}

/* Well-formed input comes back unchanged, and the output is always valid:
 * checked against jansson's own UTF-8 rule for every 2-byte sequence and
 * every 3-byte sequence with a lead byte E0–EF (the fast path's range). */
static void check_sequence(const char *s, size_t n)
{
    json_t *oracle = json_stringn(s, n);
    assert_int_equal(text_utf8_valid(s, n), oracle != NULL);
    json_t *v = roundtrip(s, n);
    if (oracle) {
        assert_int_equal(json_string_length(v), n);
        assert_memory_equal(json_string_value(v), s, n);
    }
    json_decref(oracle);
    json_decref(v);
}

static void test_utf8_sequences(void **state)
{
    (void)state;
    char s[4];
    for (int a = 0x80; a < 0x100; a++)
        for (int b = 0; b < 0x100; b++) {
            s[0] = (char)a, s[1] = (char)b;
            check_sequence(s, 2);
        }
    for (int a = 0xE0; a < 0xF0; a++)
        for (int b = 0x70; b < 0xD0; b++)
            for (int c = 0x70; c < 0xD0; c++) {
                s[0] = (char)a, s[1] = (char)b, s[2] = (char)c;
                check_sequence(s, 3);
            }
    for (int a = 0xF0; a < 0xF8; a++)
        for (int b = 0x70; b < 0xD0; b++) {
            s[0] = (char)a, s[1] = (char)b, s[2] = (char)0x80, s[3] = (char)0xBF;
            check_sequence(s, 4);
        }
}

/* The escaper as it was written byte by byte (before whole words and CJK
 * characters were copied in one step), the reference for test_fast_paths. */
static void reference_escape(struct buf *b, const unsigned char *s, size_t n)
{
    buf_putc(b, '"');
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c >= 0x80) {
            size_t j = i;
            while (j < n && s[j] >= 0x80)
                j++;
            size_t ok = text_utf8_valid_prefix((const char *)s + i, j - i);
            buf_append(b, (const char *)s + i, ok);
            i += ok;
            if (i < j) {
                buf_puts(b, "\\ufffd");
                i++;
            }
            continue;
        }
        if (c == '"' || c == '\\')
            buf_printf(b, "\\%c", c);
        else if (c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r')
            buf_printf(b, "\\%c",
                       c == '\b'   ? 'b'
                       : c == '\t' ? 't'
                       : c == '\n' ? 'n'
                       : c == '\f' ? 'f'
                                   : 'r');
        else if (c < 0x20)
            buf_printf(b, "\\u%04x", c);
        else
            buf_putc(b, (char)c);
        i++;
    }
    buf_putc(b, '"');
}

static void check_against_reference(const unsigned char *s, size_t n)
{
    struct buf got, want;
    buf_init(&got, 0);
    buf_init(&want, 0);
    assert_int_equal(json_text_string(&got, (const char *)s, n), 0);
    reference_escape(&want, s, n);
    assert_int_equal(got.len, want.len);
    assert_memory_equal(got.data, want.data, want.len);
    buf_free(&got);
    buf_free(&want);
    /* And the validator: s as a string literal is valid exactly when jansson
     * parses it. */
    unsigned char quoted[128];
    assert_true(n + 2 <= sizeof quoted);
    quoted[0] = '"';
    memcpy(quoted + 1, s, n);
    quoted[n + 1] = '"';
    json_t *oracle = json_loadb((const char *)quoted, n + 2, JSON_DECODE_ANY, NULL);
    assert_int_equal(json_text_valid((const char *)quoted, n + 2), oracle != NULL);
    json_decref(oracle);
}

/* The word and CJK fast paths give exactly the byte loop's output: every byte
 * value at every position of 8-16 plain bytes (each word the fast path may
 * take), and 200,000 random strings of 0-80 bytes mixing plain text, quotes,
 * backslashes, controls, DEL, CJK and other characters, broken and truncated
 * sequences, overlongs and surrogates; the validator on the same strings quoted. */
static void test_fast_paths(void **state)
{
    (void)state;
    unsigned char s[96];
    for (size_t len = 8; len <= 16; len++)
        for (size_t at = 0; at < len; at++)
            for (int c = 0; c < 256; c++) {
                memset(s, 'a', len);
                s[at] = (unsigned char)c;
                check_against_reference(s, len);
            }
    static const char *const pieces[] = {
        "a",
        "Zq",
        "0123456789",
        " ",
        "\"",
        "\\",
        "\n",
        "\x01",
        "\x1f",
        "\x7f",
        "/",
        "中",
        "国",
        "\xEF\xBF\xBD",
        "\xE0\xA0\x80",
        "\xE0\x80\x80",
        "\xED\x9F\xBF",
        "\xED\xA0\x80",
        "\xC2\xA9",
        "\xC0\xAF",
        "\xF0\x9F\x98\x80",
        "\xF4\x90\x80\x80",
        "\xE4\xB8",
        "\xE4",
        "\x80",
        "\xBF",
        "\xFF",
        "\xFE",
    };
    const size_t npieces = sizeof pieces / sizeof pieces[0];
    srand(8259);
    for (int round = 0; round < 200000; round++) {
        size_t n = 0, want = (size_t)(rand() % 81);
        while (n < want) {
            const char *p = pieces[(size_t)rand() % npieces];
            size_t k = strlen(p);
            if (n + k > sizeof s)
                break;
            memcpy(s + n, p, k);
            n += k;
        }
        if (rand() % 4 == 0 && n) /* a random byte anywhere, NUL included */
            s[(size_t)rand() % n] = (unsigned char)rand();
        check_against_reference(s, n);
    }
}

static void check_real(double v, const char *want)
{
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(json_text_real(&b, v), 0);
    if (want)
        assert_string_equal(b.data, want);
    if (isfinite(v)) {
        assert_true(strtod(b.data, NULL) == v);
        assert_true(signbit(strtod(b.data, NULL)) == signbit(v));
        assert_non_null(strpbrk(b.data, ".e")); /* stays a real for readers */
    }
    buf_free(&b);
}

static void test_reals(void **state)
{
    (void)state;
    check_real(117.35, "117.35");
    check_real(117.0, "117.0");
    check_real(29.4670091, "29.4670091");
    check_real(-0.5, "-0.5");
    check_real(0.0, "0.0");
    check_real(-0.0, "-0.0");
    check_real(0.1 + 0.2, "0.30000000000000004");
    check_real(1e-10, "1e-10");
    check_real(1e300, "1e+300");
    check_real(123456789012.5, "123456789012.5");
    check_real(NAN, "null");
    check_real(INFINITY, "null");
    uint64_t x = 88172645463325252u;
    for (int i = 0; i < 200000; i++) { /* random bit patterns: every finite one reads back */
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double v;
        memcpy(&v, &x, sizeof v);
        check_real(v, NULL);
        check_real((double)(int64_t)(x % 2000000000) / 1e7, NULL); /* coordinates */
    }
}

static void check_decimal(double v, int places, const char *want)
{
    static const double scale[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    char text[JSON_TEXT_NUMBER_MAX + 1];
    char *end = json_text_put_decimal(text, v, places);
    assert_true(end > text && end - text <= JSON_TEXT_NUMBER_MAX);
    *end = '\0';
    if (want)
        assert_string_equal(text, want);
    double r = round(v * scale[places]) / scale[places];
    if (isfinite(r)) {
        assert_true(strtod(text, NULL) == r);
        assert_true(signbit(strtod(text, NULL)) == signbit(r));
        assert_non_null(strpbrk(text, ".e"));
    }
}

static void test_decimals(void **state)
{
    (void)state;
    check_decimal(12.345, 2, "12.35");
    check_decimal(12.3449, 2, "12.34");
    check_decimal(0.999, 2, "1.0");
    check_decimal(2e6, 2, "2000000.0");
    check_decimal(123456789012.004, 2, "123456789012.0");
    check_decimal(0.0, 2, "0.0");
    check_decimal(-0.001, 2, "-0.0"); /* as round() gives it: a negative zero */
    check_decimal(0.0123456, 6, "0.012346");
    check_decimal(1.0, 6, "1.0");
    check_decimal(7.5, 0, "8.0");
    check_decimal(1e20, 2, "1e+20"); /* past 2^53 hundredths: the general path */
    check_decimal(NAN, 2, "null");
    check_decimal(-INFINITY, 6, "null");
    uint64_t x = 88172645463325252u;
    for (int i = 0; i < 200000; i++) { /* every places, magnitudes from 1e-12 to 1e17 */
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double v = (double)(int64_t)(x >> 11) / 9007199254740992.0 * pow(10, (int)(x % 30) - 12);
        check_decimal(x & 1 ? -v : v, (int)((x >> 5) % 10), NULL);
    }
}

static void test_ints(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    json_text_int(&b, 0);
    buf_putc(&b, ' ');
    json_text_int(&b, -1);
    buf_putc(&b, ' ');
    json_text_int(&b, INT64_MAX);
    buf_putc(&b, ' ');
    json_text_int(&b, INT64_MIN);
    assert_string_equal(b.data, "0 -1 9223372036854775807 -9223372036854775808");
    buf_free(&b);
}

static void test_cap(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 8);
    assert_int_equal(json_text_string(&b, "a long text", 11), -1);
    assert_int_equal(b.len, 0);
    buf_free(&b);
}

static void test_valid(void **state)
{
    (void)state;
    static const char *const good[] = {
        "[]",
        "{}",
        " [ 1 , -2.5e+3 , \"x\" , true , false , null ] ",
        "0",
        "-0.0",
        "\"\\u00e9\\n\"",
        "[{\"name\":\"张三\",\"phone\":\"13800000000\"}]",
        "{\"a\":{\"b\":[[]]}}",
        "1E5",
        "\"\\/\"",
    };
    static const char *const bad[] = {
        "",         "[",        "[1,]",  "{\"a\"}", "{\"a\":1,}", "01",  "1.",      "-",
        ".5",       "1e",       "tru",   "nul",     "[1] [2]",    "'x'", "\"\\x\"", "\"\\u12\"",
        "\"a\nb\"", "\"\xff\"", "{1:2}", "[1 2]",   "\"abc",      "NaN", "+1",      "[\"\\\"]",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (!json_text_valid(good[i], strlen(good[i])))
            fail_msg("should be valid: %s", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (json_text_valid(bad[i], strlen(bad[i])))
            fail_msg("should be invalid: %s", bad[i]);
    assert_false(json_text_valid("[1]\0", 4)); /* a NUL after the value */
    assert_false(json_text_valid(NULL, 0));
    char deep[200];
    memset(deep, '[', 100), memset(deep + 100, ']', 100);
    assert_false(json_text_valid(deep, 200)); /* deeper than 64 */
    assert_true(json_text_valid(deep + 40, 120));
    /* Whatever jansson accepts (no big numbers, no lone surrogates in this corpus) the
     * validator accepts, and the other way round, over mutations of a record. */
    const char *seed = "{\"k\":[1,-2.5,\"\\u00e9x\",{\"t\":true,\"f\":false},null],\"e\":\"\\\"\"}";
    size_t n = strlen(seed);
    const char alphabet[] = "{}[]\",:\\-.0123eE tfnu";
    uint64_t x = 7;
    char m[128];
    for (int i = 0; i < 100000; i++) {
        memcpy(m, seed, n);
        for (int k = 0; k < 1 + i % 3; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            m[x % n] = alphabet[(x >> 20) % (sizeof alphabet - 1)];
        }
        json_t *v = json_loadb(m, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
        if (json_text_valid(m, n) != (v != NULL))
            fail_msg("validator and jansson disagree on %.*s", (int)n, m);
        json_decref(v);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_byte),
        cmocka_unit_test(test_fast_paths),
        cmocka_unit_test(test_utf8_sequences),
        cmocka_unit_test(test_reals),
        cmocka_unit_test(test_decimals),
        cmocka_unit_test(test_ints),
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_valid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
