#include "core/json_text.h"
#include "core/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* For each byte: 0 copy as is, 1 needs \u00XX, 2 starts a UTF-8 sequence to
 * check, or the letter of its short escape (\n, \", …). */
static const unsigned char json_text_class[256] = {
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    'b',
    't',
    'n',
    1,
    'f',
    'r',
    1,
    1, /* 0x00-0x0f */
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1, /* 0x10-0x1f */
    ['"'] = '"',
    ['\\'] = '\\',
    [0x80 ... 0xff] = 2,
};

#define JSON_TEXT_ONES 0x0101010101010101u
#define JSON_TEXT_HIGHS 0x8080808080808080u

/* Nonzero when some byte of w is below n (n <= 128; exact as a yes/no answer). */
static uint64_t json_text_any_below(uint64_t w, unsigned n)
{
    return (w - n * JSON_TEXT_ONES) & ~w & JSON_TEXT_HIGHS;
}

/* Whether the 8 bytes at s are all ASCII from 0x20 up other than '"' and '\\'. */
static bool json_text_plain8(const unsigned char *s)
{
    uint64_t w;
    memcpy(&w, s, 8);
    return !((w & JSON_TEXT_HIGHS) | json_text_any_below(w, 0x20) |
             json_text_any_below(w ^ ('"' * JSON_TEXT_ONES), 1) |
             json_text_any_below(w ^ ('\\' * JSON_TEXT_ONES), 1));
}

/* Whether the 6 bytes at s (8 readable) are two CJK characters as
 * json_text_plain_run takes them: lead 1110xxxx with xxxx neither 0 (E0:
 * overlong forms) nor 1101 (ED: surrogates), then two 10xxxxxx, twice. */
static bool json_text_cjk2(const unsigned char *s)
{
    uint64_t w;
    memcpy(&w, s, 8);
    unsigned a = (unsigned)w & 0x0F, b = (unsigned)(w >> 24) & 0x0F;
    return (w & 0xC0C0F0C0C0F0u) == 0x8080E08080E0u && a && a != 0x0D && b && b != 0x0D;
}

/* How many bytes from s on stand for themselves in a JSON string: plain ASCII
 * (eight at a time when it can) and CJK characters (lead E1-EC or EE-EF and two
 * continuation bytes: never overlong nor a surrogate). The rest, including
 * any other well-formed character, is left to the byte-by-byte paths. */
static size_t json_text_plain_run(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            if (n - i >= 8 && json_text_plain8(s + i))
                i += 8;
            else if (!json_text_class[c])
                i++;
            else
                break;
        } else if (n - i >= 8 && json_text_cjk2(s + i)) {
            i += 6;
        } else if (c >= 0xE1 && c <= 0xEF && c != 0xED && n - i >= 3 && (s[i + 1] & 0xC0) == 0x80 &&
                   (s[i + 2] & 0xC0) == 0x80) {
            i += 3;
        } else {
            break;
        }
    }
    return i;
}

/* Writes s[0..n) escaped at o (room for 6 bytes per input byte); returns the end. */
static char *json_text_escape(char *o, const unsigned char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t i = 0;
    while (i < n) {
        size_t run = json_text_plain_run(s + i, n - i);
        memcpy(o, s + i, run);
        o += run;
        i += run;
        if (i == n)
            break;
        unsigned char c = s[i], k = json_text_class[c];
        if (!k) {
            *o++ = (char)c;
            i++;
        } else if (k == 2) {
            /* A run of non-ASCII bytes: copy its well-formed prefix, then one
             * U+FFFD for a byte that starts no character. */
            size_t j = i;
            while (j < n && s[j] >= 0x80)
                j++;
            size_t ok = text_utf8_valid_prefix((const char *)s + i, j - i);
            memcpy(o, s + i, ok);
            o += ok;
            i += ok;
            if (i < j) {
                memcpy(o, "\\ufffd", 6);
                o += 6;
                i++;
            }
        } else if (k == 1) {
            memcpy(o, "\\u00", 4);
            o[4] = hex[c >> 4];
            o[5] = hex[c & 15];
            o += 6;
            i++;
        } else {
            o[0] = '\\';
            o[1] = (char)k;
            o += 2;
            i++;
        }
    }
    return o;
}

char *json_text_put_string(char *o, const char *s, size_t n)
{
    if (!s) {
        memcpy(o, "null", 4);
        return o + 4;
    }
    *o++ = '"';
    o = json_text_escape(o, (const unsigned char *)s, n);
    *o++ = '"';
    return o;
}

/* Writes v's decimal digits ending just before end; returns where they start. */
static char *json_text_digits(char *end, uint64_t v)
{
    do
        *--end = (char)('0' + v % 10);
    while (v /= 10);
    return end;
}

char *json_text_put_int(char *o, int64_t v)
{
    char tmp[24], *end = tmp + sizeof tmp;
    char *p = json_text_digits(end, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
    if (v < 0)
        *--p = '-';
    memcpy(o, p, (size_t)(end - p));
    return o + (end - p);
}

static const uint64_t json_text_pow10[] = {1,      10,      100,      1000,      10000,
                                           100000, 1000000, 10000000, 100000000, 1000000000};

/* units · 10^-places (places 0-9) as decimal text, at least one digit after
 * the point and no trailing zeros beyond it, '-' first when negative. */
static char *json_text_put_scaled(char *o, uint64_t units, int places, bool negative)
{
    uint64_t frac = units % json_text_pow10[places];
    char tmp[32], *end = tmp + sizeof tmp;
    int nd = places ? places : 1;
    for (; nd > 1 && frac % 10 == 0; nd--)
        frac /= 10;
    char *p = json_text_digits(end, frac);
    while (end - p < nd)
        *--p = '0';
    *--p = '.';
    p = json_text_digits(p, units / json_text_pow10[places]);
    if (negative)
        *--p = '-';
    memcpy(o, p, (size_t)(end - p));
    return o + (end - p);
}

/* v with at most 9 decimals when that reads back exactly (coordinates, measured
 * values: the usual case), without printf's arbitrary-precision path; NULL
 * when v needs the general path. */
static char *json_text_put_fixed(char *o, double v)
{
    if (!(fabs(v) < 9e6))
        return NULL;
    double scaled = nearbyint(v * 1e9);
    /* scaled < 2^53 is exact and scaled / 1e9 is correctly rounded, so the decimal
     * scaled·10⁻⁹ reads back as v exactly when this holds. */
    if (scaled / 1e9 != v || (scaled == 0 && signbit(v)))
        return NULL;
    return json_text_put_scaled(o, (uint64_t)fabs(scaled), 9, v < 0);
}

char *json_text_put_real(char *o, double v)
{
    if (!isfinite(v)) {
        memcpy(o, "null", 4);
        return o + 4;
    }
    char *end = json_text_put_fixed(o, v);
    if (end)
        return end;
    /* The shorter of 15 and 17 digits that reads back as v (15 keeps 117.35
     * from becoming 117.34999999999999). */
    char num[JSON_TEXT_NUMBER_MAX];
    int len = snprintf(num, sizeof num, "%.15g", v);
    if (strtod(num, NULL) != v)
        len = snprintf(num, sizeof num, "%.17g", v);
    memcpy(o, num, (size_t)len);
    o += len;
    if (!memchr(num, '.', (size_t)len) && !memchr(num, 'e', (size_t)len)) {
        memcpy(o, ".0", 2);
        o += 2;
    }
    return o;
}

char *json_text_put_decimal(char *o, double v, int places)
{
    static const double scale[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    if (places < 0)
        places = 0;
    if (places > 9)
        places = 9;
    double r = round(v * scale[places]);
    /* r is the exact integer k, and both k·10^-places read as text and r /
     * scale are the double nearest k / 10^places: the same number. The cut-off
     * keeps k within the uint64 the digits are written from. */
    if (!(fabs(r) < 9007199254740992.0))
        return json_text_put_real(o, r / scale[places]);
    return json_text_put_scaled(o, (uint64_t)fabs(r), places, signbit(r));
}

/* Runs put into b after making room for max bytes. */
#define JSON_TEXT_INTO(b, max, put)                                                                \
    do {                                                                                           \
        if (buf_grow((b), (max)))                                                                  \
            return -1;                                                                             \
        char *end_ = (put);                                                                        \
        *end_ = '\0';                                                                              \
        (b)->len = (size_t)(end_ - (b)->data);                                                     \
        return 0;                                                                                  \
    } while (0)

int json_text_string(struct buf *b, const char *s, size_t n)
{
    if (n > (SIZE_MAX - 2) / 6)
        return -1;
    JSON_TEXT_INTO(b, JSON_TEXT_STRING_MAX(n), json_text_put_string(b->data + b->len, s, n));
}

int json_text_real(struct buf *b, double v)
{
    JSON_TEXT_INTO(b, JSON_TEXT_NUMBER_MAX, json_text_put_real(b->data + b->len, v));
}

int json_text_int(struct buf *b, int64_t v)
{
    JSON_TEXT_INTO(b, JSON_TEXT_NUMBER_MAX, json_text_put_int(b->data + b->len, v));
}

/* The validator: recursive descent over the RFC 8259 grammar, no allocation. */
struct json_scan {
    const unsigned char *p, *end;
    int depth;
};

#define JSON_TEXT_MAX_DEPTH 64

static bool json_scan_value(struct json_scan *s);

static void json_scan_space(struct json_scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

static bool json_scan_char(struct json_scan *s, unsigned char c)
{
    json_scan_space(s);
    if (s->p == s->end || *s->p != c)
        return false;
    s->p++;
    return true;
}

static bool json_scan_hex4(struct json_scan *s)
{
    for (int i = 0; i < 4; i++, s->p++)
        if (s->p == s->end || !strchr("0123456789abcdefABCDEF", *s->p) || !*s->p)
            return false;
    return true;
}

static bool json_scan_string(struct json_scan *s)
{
    if (!json_scan_char(s, '"'))
        return false;
    while (s->p < s->end) {
        unsigned char c = *s->p;
        if (c == '"') {
            s->p++;
            return true;
        }
        if (c < 0x20)
            return false;
        if (c == '\\') {
            if (++s->p == s->end)
                return false;
            c = *s->p++;
            if (c == 'u') {
                if (!json_scan_hex4(s))
                    return false;
            } else if (!c || !strchr("\"\\/bfnrt", c)) {
                return false;
            }
        } else if (c >= 0x80) {
            const unsigned char *run = s->p;
            while (s->p < s->end && *s->p >= 0x80)
                s->p++;
            size_t n = (size_t)(s->p - run);
            if (text_utf8_valid_prefix((const char *)run, n) != n)
                return false;
        } else {
            s->p++;
        }
    }
    return false;
}

static bool json_scan_digits(struct json_scan *s)
{
    const unsigned char *start = s->p;
    while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
        s->p++;
    return s->p > start;
}

static bool json_scan_number(struct json_scan *s)
{
    if (s->p < s->end && *s->p == '-')
        s->p++;
    if (s->p < s->end && *s->p == '0')
        s->p++;
    else if (!json_scan_digits(s))
        return false;
    if (s->p < s->end && *s->p == '.') {
        s->p++;
        if (!json_scan_digits(s))
            return false;
    }
    if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
        s->p++;
        if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
            s->p++;
        if (!json_scan_digits(s))
            return false;
    }
    return true;
}

static bool json_scan_word(struct json_scan *s, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n))
        return false;
    s->p += n;
    return true;
}

/* The members of an object or the items of an array, after its opening. */
static bool json_scan_items(struct json_scan *s, unsigned char close, bool object)
{
    json_scan_space(s);
    if (s->p < s->end && *s->p == close) {
        s->p++;
        return true;
    }
    do {
        if (object && (!json_scan_string(s) || !json_scan_char(s, ':')))
            return false;
        if (!json_scan_value(s))
            return false;
    } while (json_scan_char(s, ','));
    return json_scan_char(s, close);
}

static bool json_scan_value(struct json_scan *s)
{
    json_scan_space(s);
    if (s->p == s->end)
        return false;
    unsigned char c = *s->p;
    if (c == '"')
        return json_scan_string(s);
    if (c == '[' || c == '{') {
        if (++s->depth > JSON_TEXT_MAX_DEPTH)
            return false;
        s->p++;
        bool ok = json_scan_items(s, c == '[' ? ']' : '}', c == '{');
        s->depth--;
        return ok;
    }
    if (c == 't')
        return json_scan_word(s, "true");
    if (c == 'f')
        return json_scan_word(s, "false");
    if (c == 'n')
        return json_scan_word(s, "null");
    return json_scan_number(s);
}

bool json_text_valid(const char *text, size_t n)
{
    if (!text)
        return false;
    struct json_scan s = {(const unsigned char *)text, (const unsigned char *)text + n, 0};
    if (!json_scan_value(&s))
        return false;
    json_scan_space(&s);
    return s.p == s.end;
}
