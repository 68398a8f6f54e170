/* tool_jsonw — JSON text into one large buffer; see tool_jsonw.h. */
#include "tools/tool_jsonw.h"

#include "core/simd.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define TOOL_JSONW_CAP (1u << 20)

void tool_jsonw_init(struct tool_jsonw *w, FILE *out)
{
    w->buf = xmalloc(TOOL_JSONW_CAP);
    w->len = 0;
    w->cap = TOOL_JSONW_CAP;
    w->out = out;
    w->failed = 0;
}

int tool_jsonw_flush(struct tool_jsonw *w)
{
    if (!w->failed && w->len && fwrite(w->buf, 1, w->len, w->out) != w->len)
        w->failed = 1;
    w->len = 0;
    return w->failed ? -1 : 0;
}

int tool_jsonw_close(struct tool_jsonw *w)
{
    int rc = tool_jsonw_flush(w);
    free(w->buf);
    w->buf = NULL;
    w->cap = 0;
    return rc;
}

int tool_jsonw_failed(const struct tool_jsonw *w)
{
    return w->failed;
}

/* Room for n more bytes: flushes when the buffer is full, grows it for a record larger
 * than the whole buffer (a frame's JSON is far smaller: this never happens in practice). */
char *tool_jsonw_room(struct tool_jsonw *w, size_t n)
{
    if (w->cap - w->len < n) {
        tool_jsonw_flush(w);
        if (w->cap < n) {
            w->buf = xrealloc(w->buf, n);
            w->cap = n;
        }
    }
    return w->buf + w->len;
}

char *tool_jsonw_int(char *o, int64_t v)
{
    /* two digits per division */
    static const char pairs[] =
        "00010203040506070809101112131415161718192021222324252627282930313233"
        "34353637383940414243444546474849505152535455565758596061626364656667"
        "6869707172737475767778798081828384858687888990919293949596979899";
    /* the digits end TOOL_JSONW_INT_MAX + 4 bytes into tmp, so that a fixed-size copy of
     * that many from their start stays in tmp: no memcpy call with a run-time length (two
     * per frame of `hj212 decode`). The bytes copied past the number are overwritten by
     * what follows (the caller's room holds TOOL_JSONW_INT_MAX + 4). */
    char tmp[2 * (TOOL_JSONW_INT_MAX + 4)] = {0}, *e = tmp + TOOL_JSONW_INT_MAX + 4, *p = e;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    while (u >= 100) {
        p -= 2;
        memcpy(p, pairs + 2 * (u % 100), 2);
        u /= 100;
    }
    if (u >= 10) {
        p -= 2;
        memcpy(p, pairs + 2 * u, 2);
    } else {
        *--p = (char)('0' + u);
    }
    if (v < 0)
        *--p = '-';
    memcpy(o, p, TOOL_JSONW_INT_MAX + 4);
    return o + (e - p);
}

size_t tool_jsonw_utf8_seq(const unsigned char *p, size_t n)
{
    if (p[0] < 0x80)
        return 1;
    size_t len;
    unsigned cp;
    if (p[0] >= 0xC2 && p[0] <= 0xDF) {
        len = 2;
        cp = p[0] & 0x1Fu;
    } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        len = 3;
        cp = p[0] & 0x0Fu;
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        len = 4;
        cp = p[0] & 0x07u;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3Fu);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return len;
}

/* What a byte needs: copied as it is, escaped, or checked as the start of UTF-8. */
enum { TOOL_JSONW_COPY, TOOL_JSONW_ESCAPE, TOOL_JSONW_HIGH };

static const unsigned char tool_jsonw_class[256] = {
#define TOOL_JSONW_E4 TOOL_JSONW_ESCAPE, TOOL_JSONW_ESCAPE, TOOL_JSONW_ESCAPE, TOOL_JSONW_ESCAPE
#define TOOL_JSONW_H4 TOOL_JSONW_HIGH, TOOL_JSONW_HIGH, TOOL_JSONW_HIGH, TOOL_JSONW_HIGH
#define TOOL_JSONW_H16 TOOL_JSONW_H4, TOOL_JSONW_H4, TOOL_JSONW_H4, TOOL_JSONW_H4
    TOOL_JSONW_E4,
    TOOL_JSONW_E4,
    TOOL_JSONW_E4,
    TOOL_JSONW_E4,
    TOOL_JSONW_E4,
    TOOL_JSONW_E4,
    TOOL_JSONW_E4,
    TOOL_JSONW_E4, /* 0x00-0x1F */
    ['"'] = TOOL_JSONW_ESCAPE,
    ['\\'] = TOOL_JSONW_ESCAPE,
    [0x80] = TOOL_JSONW_H16,
    [0x90] = TOOL_JSONW_H16,
    [0xA0] = TOOL_JSONW_H16,
    [0xB0] = TOOL_JSONW_H16,
    [0xC0] = TOOL_JSONW_H16,
    [0xD0] = TOOL_JSONW_H16,
    [0xE0] = TOOL_JSONW_H16,
    [0xF0] = TOOL_JSONW_H16,
#undef TOOL_JSONW_E4
#undef TOOL_JSONW_H4
#undef TOOL_JSONW_H16
};

/* The escape of a byte of class ESCAPE into o; returns its length. */
static size_t tool_jsonw_escape(unsigned char c, char *o)
{
    static const char hex[] = "0123456789ABCDEF";
    o[0] = '\\';
    switch (c) {
    case '"':
    case '\\':
        o[1] = (char)c;
        return 2;
    case '\b':
        o[1] = 'b';
        return 2;
    case '\f':
        o[1] = 'f';
        return 2;
    case '\n':
        o[1] = 'n';
        return 2;
    case '\r':
        o[1] = 'r';
        return 2;
    case '\t':
        o[1] = 't';
        return 2;
    default:
        memcpy(o + 1, "u00", 3);
        o[4] = hex[c >> 4];
        o[5] = hex[c & 15];
        return 6;
    }
}

/* Eight bytes at a time, reading up to TOOL_JSONW_SLACK bytes past the end and ignoring
 * them: no loop over the bytes of a short string, whose exit a branch predictor cannot
 * guess. With SSE2 a text of 16 bytes or more goes 16 at a time (the last 16 overlapping),
 * with no branch until the end: a signed compare below 0x20 finds control bytes and bytes
 * from 0x80 up at once. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
/* 64 bytes a step where AVX-512BW is (a frame's segment in ~5 steps instead of ~18): bytes
 * below 0x20 or from 0x80 (a signed compare), '"' and '\\'; the tail by a masked load. */
__attribute__((target("avx512bw"))) static int tool_jsonw_clean_avx512(const char *s, size_t n)
{
    const __m512i quote = _mm512_set1_epi8('"'), bslash = _mm512_set1_epi8('\\'),
                  space = _mm512_set1_epi8(0x20);
    __mmask64 any = 0;
    for (size_t i = 0; i < n; i += 64) {
        __mmask64 keep = n - i >= 64 ? ~(__mmask64)0 : ((__mmask64)1 << (n - i)) - 1;
        __m512i x = _mm512_maskz_loadu_epi8(keep, s + i);
        any |= (_mm512_cmplt_epi8_mask(x, space) | _mm512_cmpeq_epi8_mask(x, quote) |
                _mm512_cmpeq_epi8_mask(x, bslash)) &
               keep;
    }
    return any == 0;
}
#define TOOL_JSONW_HAVE_AVX512 1
#endif

int tool_jsonw_clean(const char *s, size_t n)
{
#if defined(TOOL_JSONW_HAVE_AVX512)
    if (simd_level() >= SIMD_AVX512)
        return tool_jsonw_clean_avx512(s, n);
#endif
#if defined(__SSE2__)
    if (n >= 16) {
        const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'),
                      space = _mm_set1_epi8(0x20);
        __m128i any = _mm_setzero_si128();
        for (size_t i = 0;; i += 16) {
            size_t at = n - i > 16 ? i : n - 16;
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + at));
            any = _mm_or_si128(any, _mm_or_si128(_mm_cmplt_epi8(x, space),
                                                 _mm_or_si128(_mm_cmpeq_epi8(x, quote),
                                                              _mm_cmpeq_epi8(x, bslash))));
            if (at + 16 >= n)
                break;
        }
        return _mm_movemask_epi8(any) == 0;
    }
#endif
    for (size_t i = 0; i < n; i += 8) {
        uint64_t m = tool_jsonw_special(tool_jsonw_word(s + i));
        if (n - i < 8)
            m &= (1ull << (8 * (n - i))) - 1;
        if (m)
            return 0;
    }
    return 1;
}

char *tool_jsonw_str_any(char *o, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    *o++ = '"';
    /* Most strings (numbers, codes, flags) need nothing: then they are copied a word at a
     * time, the bytes past the end overwritten by what follows. */
    if (tool_jsonw_clean(s, n)) {
        for (size_t i = 0; i < n; i += 8)
            memcpy(o + i, p + i, 8);
        o[n] = '"';
        return o + n + 1;
    }
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        switch (tool_jsonw_class[c]) {
        case TOOL_JSONW_COPY:
            *o++ = (char)c;
            i++;
            break;
        case TOOL_JSONW_ESCAPE:
            o += tool_jsonw_escape(c, o);
            i++;
            break;
        default: {
            size_t k = tool_jsonw_utf8_seq(p + i, n - i);
            if (k) {
                memcpy(o, p + i, k);
                o += k;
                i += k;
            } else {
                memcpy(o, "\xEF\xBF\xBD", 3);
                o += 3;
                i++;
            }
            break;
        }
        }
    }
    *o++ = '"';
    return o;
}

size_t tool_jsonw_repair(const char *s, size_t n, char *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t k = tool_jsonw_utf8_seq(p + i, n - i);
        if (k) {
            memcpy(out + o, s + i, k);
            o += k;
            i += k;
        } else {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        }
    }
    return o;
}
