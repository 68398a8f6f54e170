/* hj212_parse — data segment -> struct hj212_msg, and Beijing-time helpers (see hj212.h).
 *
 * Strict where a mistake would mislabel data (header syntax, CN, Flag, the CP envelope),
 * tolerant on content: unknown keys, codes and suffixes, repeated keys and both separators
 * are data, not errors (HJ 212 reference §13). */
#include "domain/hj212.h"

#include "core/simd.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HJ212_HAVE_AVX2_PATH 1
#endif

/* Byte classes for the CP and header scanners. */
#define HJ212_C_SEP 1 /* ';' ',' */
#define HJ212_C_EQ 2  /* '=' */
#define HJ212_C_SP 4  /* ' ' '\t' */

static const unsigned char hj212_cls[256] = {
    [';'] = HJ212_C_SEP, [','] = HJ212_C_SEP, ['='] = HJ212_C_EQ,
    [' '] = HJ212_C_SP,  ['\t'] = HJ212_C_SP,
};

/* s equals the literal lit of length n, ASCII case ignored (lit is letters and digits). */
static int hj212_is(struct hj212_str s, const char *lit, size_t n)
{
    if (s.len != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        unsigned char l = (unsigned char)lit[i];
        if (l >= 'A' && l <= 'Z')
            l = (unsigned char)(l + 32);
        if (c != l)
            return 0;
    }
    return 1;
}

#define HJ212_IS(s, lit) hj212_is((s), (lit), sizeof(lit) - 1)

static inline struct hj212_str hj212_slice(const char *p, size_t n)
{
    struct hj212_str s = {p, n};
    return s;
}

static int hj212_space(char c)
{
    return hj212_cls[(unsigned char)c] & HJ212_C_SP;
}

/* Inline on purpose, like hj212_slice: returned through a register pair into a spill slot
 * and then copied as one 16-byte word, a slice cannot be forwarded from the store buffer
 * (a stall of a dozen cycles per header item). */
static inline struct hj212_str hj212_trim(const char *p, size_t n)
{
    while (n && hj212_space(*p)) {
        p++;
        n--;
    }
    while (n && hj212_space(p[n - 1]))
        n--;
    return hj212_slice(p, n);
}

/* Non-negative decimal of 1..max_digits digits; -1 otherwise. max_digits <= 9. */
static int hj212_uint(struct hj212_str s, size_t max_digits)
{
    if (s.len == 0 || s.len > max_digits)
        return -1;
    int v = 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    return v;
}

/* ---- time ---- */

static int hj212_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int hj212_mdays(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && hj212_leap(y) ? 29 : days[m - 1];
}

/* 1 when the 8 bytes at p are all ASCII digits: each byte's high nibble is 3 and adding 6
 * does not carry out of its low nibble. A byte that carries out of its own byte (>= 0xFA)
 * fails the first test, so a carry into a neighbour never changes the answer. */
static int hj212_digits8(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
    const uint64_t hi = 0xF0F0F0F0F0F0F0F0ull, three = 0x3030303030303030ull;
    return (w & hi) == three && ((w + 0x0606060606060606ull) & hi) == three;
}

int hj212_time_parse(struct hj212_str s, struct hj212_time *t)
{
    if (s.len != 14 && s.len != 17)
        return -1;
    /* every byte a digit (three overlapping words cover 14 or 17 bytes), then the fields at
     * fixed places */
    const unsigned char *p = (const unsigned char *)s.ptr;
    if (!hj212_digits8(p) || !hj212_digits8(p + 4) || !hj212_digits8(p + s.len - 8))
        return -1;
#define HJ212_D(i) (p[i] - '0')
    int year = HJ212_D(0) * 1000 + HJ212_D(1) * 100 + HJ212_D(2) * 10 + HJ212_D(3);
    int mon = HJ212_D(4) * 10 + HJ212_D(5), day = HJ212_D(6) * 10 + HJ212_D(7);
    int hour = HJ212_D(8) * 10 + HJ212_D(9), min = HJ212_D(10) * 10 + HJ212_D(11);
    int sec = HJ212_D(12) * 10 + HJ212_D(13);
    int ms = s.len == 17 ? HJ212_D(14) * 100 + HJ212_D(15) * 10 + HJ212_D(16) : 0;
#undef HJ212_D
    if (mon < 1 || mon > 12 || day < 1 || day > hj212_mdays(year, mon) || hour > 23 || min > 59 ||
        sec > 59)
        return -1;
    t->year = year;
    t->mon = mon;
    t->day = day;
    t->hour = hour;
    t->min = min;
    t->sec = sec;
    t->ms = ms;
    return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t hj212_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

#define HJ212_BEIJING_OFFSET (8 * 3600)

int64_t hj212_time_to_unix(const struct hj212_time *t)
{
    int64_t days = hj212_days_from_civil(t->year, t->mon, t->day);
    return days * 86400 + t->hour * 3600 + t->min * 60 + t->sec - HJ212_BEIJING_OFFSET;
}

void hj212_time_from_unix(int64_t unix_sec, int ms, struct hj212_time *t)
{
    int64_t s = unix_sec + HJ212_BEIJING_OFFSET;
    int64_t z = (s >= 0 ? s : s - 86399) / 86400;
    int64_t secs = s - z * 86400;
    /* civil_from_days */
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    t->year = (int)(yoe + era * 400 + (m <= 2));
    t->mon = (int)m;
    t->day = (int)d;
    t->hour = (int)(secs / 3600);
    t->min = (int)(secs / 60 % 60);
    t->sec = (int)(secs % 60);
    t->ms = ms < 0 ? 0 : ms > 999 ? 999 : ms;
}

static int hj212_clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* Writes v as exactly width digits (v already clamped to fit). */
static void hj212_put_digits(char *out, int v, size_t width)
{
    for (size_t i = width; i-- > 0;) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

size_t hj212_time_format(const struct hj212_time *t, int with_ms, char out[HJ212_TIME_BUF])
{
    hj212_put_digits(out, hj212_clamp(t->year, 0, 9999), 4);
    hj212_put_digits(out + 4, hj212_clamp(t->mon, 0, 99), 2);
    hj212_put_digits(out + 6, hj212_clamp(t->day, 0, 99), 2);
    hj212_put_digits(out + 8, hj212_clamp(t->hour, 0, 99), 2);
    hj212_put_digits(out + 10, hj212_clamp(t->min, 0, 99), 2);
    hj212_put_digits(out + 12, hj212_clamp(t->sec, 0, 99), 2);
    size_t n = 14;
    if (with_ms) {
        hj212_put_digits(out + 14, hj212_clamp(t->ms, 0, 999), 3);
        n = 17;
    }
    out[n] = '\0';
    return n;
}

/* ---- where the delimiters are ----
 * One pass over the segment marks, one bit per byte, every ';' ',' '=' '-' and blank (64,
 * 32 or 16 bytes per step as the processor allows); the parsers then find the next delimiter
 * by counting zero bits instead of a chain of byte scans, each waiting for the one before. */
#define HJ212_MARK_WORDS ((HJ212_DATA_MAX_ABS + 63) / 64)

struct hj212_marks {
    size_t words;
    int blank_free;                  /* no ' ' '\t' '/' anywhere in the segment */
    uint64_t semi[HJ212_MARK_WORDS]; /* ';' (the header separator) */
    uint64_t eq[HJ212_MARK_WORDS];   /* '=' */
    uint64_t odd[HJ212_MARK_WORDS];  /* ' ' '\t' '/': trims and log text (the rare case) */
    uint64_t stop[HJ212_MARK_WORDS]; /* ';' ',' '=' (end of a CP key) */
    uint64_t dash[HJ212_MARK_WORDS]; /* '-' (a factor code ends at the key's last one) */
};

#if defined(HJ212_HAVE_AVX2_PATH)
/* The same marks 32 bytes per step, for processors with AVX2 but not AVX-512BW (chosen at
 * run time by hj212_mark): the pass over the segment was ~14 % of hj212_parse's instructions.
 * Nothing past len is read: the last bytes are the segment's last 32 (marks shifted down), or in a
 * segment shorter than that a zeroed copy (no class holds NUL). */
struct hj212_mark_acc {
    uint64_t semi, eq, stop, dash, odd;
};

/* The marks of the 32 bytes in x into bits h.. of the accumulators, the first drop dropped. */
__attribute__((target("avx2"), always_inline)) static inline void
hj212_mark32(__m256i x, unsigned drop, unsigned h, struct hj212_mark_acc *a)
{
    __m256i s = _mm256_cmpeq_epi8(x, _mm256_set1_epi8(';'));
    __m256i e = _mm256_cmpeq_epi8(x, _mm256_set1_epi8('='));
    __m256i st =
        _mm256_or_si256(_mm256_or_si256(s, e), _mm256_cmpeq_epi8(x, _mm256_set1_epi8(',')));
    __m256i o = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(x, _mm256_set1_epi8(' ')),
                                                _mm256_cmpeq_epi8(x, _mm256_set1_epi8('\t'))),
                                _mm256_cmpeq_epi8(x, _mm256_set1_epi8('/')));
    __m256i dash = _mm256_cmpeq_epi8(x, _mm256_set1_epi8('-'));
    a->semi |= (uint64_t)((uint32_t)_mm256_movemask_epi8(s) >> drop) << h;
    a->eq |= (uint64_t)((uint32_t)_mm256_movemask_epi8(e) >> drop) << h;
    a->stop |= (uint64_t)((uint32_t)_mm256_movemask_epi8(st) >> drop) << h;
    a->dash |= (uint64_t)((uint32_t)_mm256_movemask_epi8(dash) >> drop) << h;
    a->odd |= (uint64_t)((uint32_t)_mm256_movemask_epi8(o) >> drop) << h;
}

__attribute__((target("avx2"))) static void hj212_mark_avx2(const char *d, size_t len,
                                                            struct hj212_marks *mk)
{
    mk->words = (len + 63) / 64;
    for (size_t w = 0; w < mk->words; w++) {
        struct hj212_mark_acc a = {0, 0, 0, 0, 0};
        size_t at = w * 64;
        if (len - at >= 64) {
            /* a whole word: two steps written out (a loop over the halves with its exit
             * test cost ~5 % of the parse) */
            hj212_mark32(_mm256_loadu_si256((const __m256i *)(const void *)(d + at)), 0, 0, &a);
            hj212_mark32(_mm256_loadu_si256((const __m256i *)(const void *)(d + at + 32)), 0, 32,
                         &a);
        } else {
            for (unsigned h = 0; h < 64 && at + h < len; h += 32) {
                size_t from = at + h;
                if (len - from >= 32) {
                    hj212_mark32(_mm256_loadu_si256((const __m256i *)(const void *)(d + from)), 0,
                                 h, &a);
                } else if (len >= 32) {
                    /* the last 32 bytes of the segment, and their marks shifted down to from:
                     * no copy (a copy's narrow stores cannot be forwarded to the wide load) */
                    hj212_mark32(_mm256_loadu_si256((const __m256i *)(const void *)(d + len - 32)),
                                 (unsigned)(32 - (len - from)), h, &a);
                } else {
                    char tail[32] = {0};
                    memcpy(tail, d + from, len - from);
                    hj212_mark32(_mm256_loadu_si256((const __m256i *)(const void *)tail), 0, h, &a);
                }
            }
        }
        mk->semi[w] = a.semi;
        mk->eq[w] = a.eq;
        mk->stop[w] = a.stop;
        mk->dash[w] = a.dash;
        mk->odd[w] = a.odd;
    }
}

/* AVX-512BW: a compare gives a word of marks (no halves to join); the tail is a masked load
 * (nothing past len read). The AVX2 pass was ~11 % of the decode, this one ~7 %. */
__attribute__((target("avx512bw"))) static void hj212_mark_avx512(const char *d, size_t len,
                                                                  struct hj212_marks *mk)
{
    mk->words = (len + 63) / 64;
    for (size_t w = 0; w < mk->words; w++) {
        size_t at = w * 64, left = len - at;
        __mmask64 keep = left >= 64 ? ~(__mmask64)0 : ((__mmask64)1 << left) - 1;
        __m512i x = _mm512_maskz_loadu_epi8(keep, d + at); /* zero bytes: in no class */
        __mmask64 s = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(';'));
        __mmask64 c = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(','));
        __mmask64 e = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('='));
        __mmask64 o = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(' ')) |
                      _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('\t')) |
                      _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('/'));
        mk->semi[w] = s, mk->eq[w] = e, mk->stop[w] = s | c | e, mk->odd[w] = o;
        mk->dash[w] = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('-'));
    }
}
#endif

static void hj212_mark(const char *d, size_t len, struct hj212_marks *mk)
{
#if defined(HJ212_HAVE_AVX2_PATH)
    if (simd_level() >= SIMD_AVX512) {
        hj212_mark_avx512(d, len, mk);
        return;
    }
    if (simd_level() >= SIMD_AVX2) {
        hj212_mark_avx2(d, len, mk);
        return;
    }
#endif
    mk->words = (len + 63) / 64;
    for (size_t w = 0; w < mk->words; w++) {
        uint64_t semi = 0, comma = 0, eq = 0, dash = 0, odd = 0;
        size_t base = w * 64, end = len - base < 64 ? len : base + 64, i = base;
#if defined(__SSE2__)
        const __m128i vs = _mm_set1_epi8(';'), vc = _mm_set1_epi8(','), ve = _mm_set1_epi8('='),
                      vd = _mm_set1_epi8('-'), vsp = _mm_set1_epi8(' '), vt = _mm_set1_epi8('\t'),
                      vsl = _mm_set1_epi8('/');
        for (; i < end; i += 16) {
            char tail[16] = {0}; /* the last few bytes through a zeroed copy */
            if (end - i < 16)
                memcpy(tail, d + i, end - i);
            __m128i x =
                _mm_loadu_si128((const __m128i *)(const void *)(end - i < 16 ? tail : d + i));
            unsigned sh = (unsigned)(i - base);
            semi |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, vs)) << sh;
            comma |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, vc)) << sh;
            eq |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, ve)) << sh;
            dash |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, vd)) << sh;
            __m128i o = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, vsp), _mm_cmpeq_epi8(x, vt)),
                                     _mm_cmpeq_epi8(x, vsl));
            odd |= (uint64_t)(unsigned)_mm_movemask_epi8(o) << sh;
        }
#else
        for (; i < end; i++) {
            uint64_t bit = 1ull << (i - base);
            semi |= d[i] == ';' ? bit : 0;
            comma |= d[i] == ',' ? bit : 0;
            eq |= d[i] == '=' ? bit : 0;
            dash |= d[i] == '-' ? bit : 0;
            odd |= d[i] == ' ' || d[i] == '\t' || d[i] == '/' ? bit : 0;
        }
#endif
        mk->semi[w] = semi;
        mk->eq[w] = eq;
        mk->odd[w] = odd;
        mk->stop[w] = semi | comma | eq;
        mk->dash[w] = dash;
    }
}

/* Offset of the first marked byte at or after pos, or words * 64 (past the end) if none. */
static inline size_t hj212_next_mark(const uint64_t *m, size_t words, size_t pos)
{
    size_t w = pos >> 6;
    if (w >= words)
        return words * 64;
    uint64_t x = m[w] & (~0ull << (pos & 63));
    while (!x) {
        if (++w == words)
            return words * 64;
        x = m[w];
    }
    return (w << 6) + (size_t)__builtin_ctzll(x);
}

/* The marked bytes of one mask in order, from a given offset on: each step clears the
 * lowest set bit and counts the zeros below the next (a couple of cycles, and nothing
 * in it waits for a load of the text). */
struct hj212_mark_iter {
    const uint64_t *m;
    size_t words, w;
    uint64_t x;
};

static void hj212_iter_init(struct hj212_mark_iter *it, const uint64_t *m, size_t words,
                            size_t from)
{
    it->m = m;
    it->words = words;
    it->w = from >> 6;
    it->x = it->w < words ? m[it->w] & (~0ull << (from & 63)) : 0;
}

/* Offset of the next marked byte, or SIZE_MAX when there is none. */
static inline size_t hj212_iter_next(struct hj212_mark_iter *it)
{
    while (!it->x) {
        if (++it->w >= it->words)
            return SIZE_MAX;
        it->x = it->m[it->w];
    }
    size_t at = (it->w << 6) + (size_t)__builtin_ctzll(it->x);
    it->x &= it->x - 1;
    return at;
}

/* Offset from k of the last marked byte in [k, end), or -1 if none. */
static ptrdiff_t hj212_last_mark(const uint64_t *m, size_t k, size_t end)
{
    if (end <= k)
        return -1;
    size_t w = (end - 1) >> 6;
    uint64_t x = m[w] & (~0ull >> (63 - ((end - 1) & 63)));
    for (;;) {
        if (x) {
            size_t at = (w << 6) + 63 - (size_t)__builtin_clzll(x);
            return at >= k ? (ptrdiff_t)(at - k) : -1;
        }
        if ((w << 6) <= k)
            return -1;
        x = m[--w];
    }
}

/* ---- header ---- */

enum hj212_known {
    HJ212_K_QN,
    HJ212_K_ST,
    HJ212_K_CN,
    HJ212_K_PW,
    HJ212_K_MN,
    HJ212_K_FLAG,
    HJ212_K_PNUM,
    HJ212_K_PNO,
    HJ212_K_COUNT,
};

/* The header keys the standard defines (QN ST CN PW MN Flag PNUM PNO) are matched without
 * case ("PNum" occurs) by hj212_known_index. */
static struct hj212_str *hj212_known_slot(struct hj212_msg *m, enum hj212_known k)
{
    static const size_t at[HJ212_K_COUNT] = {
        offsetof(struct hj212_msg, qn),       offsetof(struct hj212_msg, st),
        offsetof(struct hj212_msg, cn),       offsetof(struct hj212_msg, pw),
        offsetof(struct hj212_msg, mn),       offsetof(struct hj212_msg, flag_str),
        offsetof(struct hj212_msg, pnum_str), offsetof(struct hj212_msg, pno_str),
    };
    return (struct hj212_str *)(void *)((char *)m + at[k]);
}

/* The key's bytes with ASCII letters folded to lower case by setting bit 5: exact for
 * comparing with lower-case letters ('q' | 0x20 and 'Q' | 0x20 are the only bytes that give
 * 'q'), which is all the known keys hold. */
static unsigned hj212_fold2(const char *k)
{
    return (unsigned)((unsigned char)k[0] | 0x20) << 8 | ((unsigned char)k[1] | 0x20);
}

#define HJ212_PAIR(a, b) ((unsigned)(a) << 8 | (unsigned)(b))

static int hj212_known_index(struct hj212_str key)
{
    /* by length and first letters instead of eight comparisons per item */
    const char *k = key.ptr;
    switch (key.len) {
    case 2:
        switch (hj212_fold2(k)) {
        case HJ212_PAIR('q', 'n'):
            return HJ212_K_QN;
        case HJ212_PAIR('s', 't'):
            return HJ212_K_ST;
        case HJ212_PAIR('c', 'n'):
            return HJ212_K_CN;
        case HJ212_PAIR('p', 'w'):
            return HJ212_K_PW;
        case HJ212_PAIR('m', 'n'):
            return HJ212_K_MN;
        default:
            return -1;
        }
    case 3:
        return hj212_fold2(k) == HJ212_PAIR('p', 'n') && ((unsigned char)k[2] | 0x20) == 'o'
                   ? HJ212_K_PNO
                   : -1;
    case 4:
        if (hj212_fold2(k) == HJ212_PAIR('f', 'l') && hj212_fold2(k + 2) == HJ212_PAIR('a', 'g'))
            return HJ212_K_FLAG;
        if (hj212_fold2(k) == HJ212_PAIR('p', 'n') && hj212_fold2(k + 2) == HJ212_PAIR('u', 'm'))
            return HJ212_K_PNUM;
        return -1;
    default:
        return -1;
    }
}

static enum hj212_err hj212_fail(struct hj212_msg *m, enum hj212_err err, size_t pos)
{
    m->err_pos = pos;
    return err;
}

/* Parses the header items of data[0..len) up to "CP="; sets *cp_at to the offset just after
 * "CP=". */
static enum hj212_err hj212_parse_head(const char *data, size_t len, const struct hj212_marks *mk,
                                       struct hj212_msg *m, size_t *cp_at)
{
    unsigned seen = 0;
    size_t pos = 0;
    while (pos < len) {
        if (data[pos] == ';') {
            pos++;
            continue;
        }
        /* the item ends at ';'; its key at the first '=', which must come before */
        size_t end = hj212_next_mark(mk->semi, mk->words, pos);
        size_t eq_at = hj212_next_mark(mk->eq, mk->words, pos);
        end = end < len ? end : len;
        if (eq_at >= end) {
            /* "CP=&&...&&" may hold ';' in log text, so look for the CP key before ';' */
            return hj212_fail(m, HJ212_BAD_SYNTAX, pos);
        }
        /* no blank in the segment (the marks say so, most frames): nothing to trim */
        struct hj212_str key = mk->blank_free ? hj212_slice(data + pos, eq_at - pos)
                                              : hj212_trim(data + pos, eq_at - pos);
        if (key.len == 0)
            return hj212_fail(m, HJ212_BAD_SYNTAX, pos);
        if (key.len == 2 && hj212_fold2(key.ptr) == HJ212_PAIR('c', 'p')) {
            *cp_at = eq_at + 1;
            return HJ212_OK;
        }
        struct hj212_str val = mk->blank_free ? hj212_slice(data + eq_at + 1, end - eq_at - 1)
                                              : hj212_trim(data + eq_at + 1, end - eq_at - 1);
        if (m->n_head == HJ212_HEAD_MAX)
            return hj212_fail(m, HJ212_TOO_MANY_ITEMS, pos);
        m->head[m->n_head].key = key;
        m->head[m->n_head].value = val;
        m->n_head++;
        int k = hj212_known_index(key);
        if (k >= 0) {
            if (seen & (1u << k))
                return hj212_fail(m, HJ212_BAD_SYNTAX, pos);
            seen |= 1u << k;
            *hj212_known_slot(m, (enum hj212_known)k) = val;
        }
        pos = end;
    }
    return hj212_fail(m, HJ212_BAD_SYNTAX, len); /* no CP */
}

static enum hj212_err hj212_check_head(const char *data, struct hj212_msg *m)
{
    if (m->cn.ptr == NULL || m->mn.ptr == NULL || m->mn.len == 0)
        return hj212_fail(m, HJ212_MISSING_FIELD, 0);
    m->cn_num = hj212_uint(m->cn, 4);
    if (m->cn_num < 0)
        return hj212_fail(m, HJ212_BAD_SYNTAX, (size_t)(m->cn.ptr - data));
    if (m->flag_str.ptr) {
        int f = hj212_uint(m->flag_str, 3);
        if (f < 0 || f > 255)
            return hj212_fail(m, HJ212_BAD_SYNTAX, (size_t)(m->flag_str.ptr - data));
        m->has_flag = 1;
        m->flag = f;
        m->version = f >> HJ212_FLAG_VERSION_SHIFT;
    }
    m->edition = m->version == 0   ? HJ212_EDITION_2005
                 : m->version == 1 ? HJ212_EDITION_2017
                                   : HJ212_EDITION_NEWER;
    if (m->pnum_str.ptr || m->pno_str.ptr) {
        int pnum = hj212_uint(m->pnum_str, 9);
        int pno = hj212_uint(m->pno_str, 9);
        if (pnum < 0 || pno < 0)
            return hj212_fail(
                m, HJ212_BAD_SYNTAX,
                (size_t)((m->pnum_str.ptr ? m->pnum_str.ptr : m->pno_str.ptr) - data));
        m->has_split = 1;
        m->pnum = pnum;
        m->pno = pno;
    }
    return HJ212_OK;
}

/* ---- CP ---- */

static int hj212_is_sep(char c)
{
    return hj212_cls[(unsigned char)c] & HJ212_C_SEP;
}

/* Finds the "//" closing a log value that starts at v (after its opening "//"): the first
 * "//" followed by a separator or the end of the area. Returns its offset or e if none. */
static const char *hj212_log_end(const char *v, const char *e)
{
    for (const char *q = v; e - q >= 2; q++) {
        q = memchr(q, '/', (size_t)(e - q) - 1);
        if (!q)
            break;
        if (q[1] == '/' && (q + 2 == e || hj212_is_sep(q[2]) || hj212_space(q[2])))
            return q;
    }
    return e;
}

/* What a CP item is to the flag linking. */
enum hj212_item_kind {
    HJ212_KIND_PLAIN, /* no factor code: "DataTime", "QnRtn" */
    HJ212_KIND_VALUE, /* "<code>-Rtd", "<code>-Avg", ... */
    HJ212_KIND_FLAG,  /* "<code>-Flag" */
    HJ212_KIND_EFLAG, /* "<code>-EFlag" */
};

/* Links each factor value to the "-Flag"/"-EFlag" item of its group: within the run of
 * adjacent items with the same code, the first such item after it, else the last before
 * it ("01-Rtd=1,01-Flag=N;01-ZsRtd=2,01-Flag=D": N to Rtd, D to ZsRtd). While parsing, a
 * value takes the last flag of its run so far; a flag then gives itself to the values of
 * its run since the previous flag of its kind. Linear in the items. */
struct hj212_links {
    int16_t flag, eflag;          /* last Flag / EFlag of the current run, or -1 */
    size_t flag_pend, eflag_pend; /* first item of the run after that Flag / EFlag */
    const char *code;             /* the previous item's code (length 0: none) */
    size_t code_len;
};

static inline void hj212_link_item(struct hj212_msg *m, struct hj212_links *lk, size_t n,
                                   const unsigned char *kind, int run_start)
{
    /* selects rather than branches where the pattern changes from device to device */
    unsigned k = kind[n];
    lk->flag = run_start ? -1 : lk->flag;
    lk->eflag = run_start ? -1 : lk->eflag;
    lk->flag_pend = run_start ? n : lk->flag_pend;
    lk->eflag_pend = run_start ? n : lk->eflag_pend;
    int value = k == HJ212_KIND_VALUE;
    m->items[n].flag_idx = value ? lk->flag : -1;
    m->items[n].eflag_idx = value ? lk->eflag : -1;
    if (k == HJ212_KIND_FLAG) {
        for (size_t j = lk->flag_pend; j < n; j++)
            if (kind[j] == HJ212_KIND_VALUE)
                m->items[j].flag_idx = (int16_t)n;
        lk->flag = (int16_t)n;
        lk->flag_pend = n + 1;
    } else if (k == HJ212_KIND_EFLAG) {
        for (size_t j = lk->eflag_pend; j < n; j++)
            if (kind[j] == HJ212_KIND_VALUE)
                m->items[j].eflag_idx = (int16_t)n;
        lk->eflag = (int16_t)n;
        lk->eflag_pend = n + 1;
    }
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HJ212_WORDS_LE 1
#define HJ212_LE4(a, b, c, d)                                                                      \
    ((uint64_t)(a) | (uint64_t)(b) << 8 | (uint64_t)(c) << 16 | (uint64_t)(d) << 24)
#endif

/* The kind of a factor item (field f[0..flen), key ending at data + kt): "-Flag" or
 * "-EFlag" in any case ending the key, else a value. Read from the word ending at kt, not
 * waiting for the last-'-' search, and tested without branches (flags vary by device).
 * Exact: "-Flag" ends the key when the last '-' is 5 bytes before its end. */
static inline unsigned hj212_item_kind_of(const char *data, size_t kt, const char *f, size_t flen)
{
#if defined(HJ212_WORDS_LE)
    if (kt >= 8) {
        uint64_t w;
        memcpy(&w, data + kt - 8, 8); /* the bytes kt-8 .. kt-1, low byte first */
        /* the letters folded by setting bit 5 (exact against lower-case letters, as
         * hj212_fold2), the '-' compared as it is */
        unsigned flag =
            ((w >> 24 | 0x2020202000ull) == (HJ212_LE4('-', 'f', 'l', 'a') | (uint64_t)'g' << 32));
        unsigned eflag = ((w >> 16 | 0x202020202000ull) ==
                          (HJ212_LE4('-', 'e', 'f', 'l') | HJ212_LE4('a', 'g', 0, 0) << 32));
        return HJ212_KIND_VALUE + flag + 2 * eflag;
    }
#endif
    if (flen == 4 && hj212_fold2(f) == HJ212_PAIR('f', 'l') &&
        hj212_fold2(f + 2) == HJ212_PAIR('a', 'g'))
        return HJ212_KIND_FLAG;
    if (flen == 5 && ((unsigned char)f[0] | 0x20) == 'e' &&
        hj212_fold2(f + 1) == HJ212_PAIR('f', 'l') && hj212_fold2(f + 3) == HJ212_PAIR('a', 'g'))
        return HJ212_KIND_EFLAG;
    return HJ212_KIND_VALUE;
}

/* Splits it->key (ending at data + kt) at its last '-' (at offset dash, or none when
 * dash < 0) into code and field: a factor needs a code before the '-' and a field after
 * it; otherwise code is empty and field is the key. Returns the item's kind. */
static inline enum hj212_item_kind hj212_split_key(struct hj212_item *it, ptrdiff_t dash,
                                                   const char *data, size_t kt)
{
    const char *k = it->key.ptr;
    size_t i = dash >= 0 ? (size_t)dash + 1 : 0;
    int factor = i > 1 && i < it->key.len;
    size_t from = factor ? i : 0; /* selects: plain items sit among factor items */
    it->code.ptr = k;
    it->code.len = factor ? i - 1 : 0;
    it->field.ptr = k + from;
    it->field.len = it->key.len - from;
    unsigned kind = hj212_item_kind_of(data, kt, k + from, it->key.len - from);
    return (enum hj212_item_kind)(factor ? kind : HJ212_KIND_PLAIN);
}

/* 1 when the code b continues the code a (both non-empty and equal); b follows a in the
 * segment, which ends at end. Codes are a few bytes: up to 8 are compared as one word when
 * 8 bytes can be read from b without passing the end. */
static inline int hj212_same_code(const char *a, size_t na, const char *b, size_t nb,
                                  const char *end)
{
#if defined(HJ212_WORDS_LE)
    if (na - 1 < 8 && end - b >= 8) {
        uint64_t x, y;
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        uint64_t first = ~0ull >> (64 - 8 * na); /* the first na bytes are the low ones */
        return (na == nb) & (((x ^ y) & first) == 0);
    }
#endif
    if (na == 0 || na != nb)
        return 0;
    for (size_t i = 0; i < na; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

/* 1 when a byte of [from, to) is marked in m. */
static int hj212_any_mark(const uint64_t *m, size_t from, size_t to)
{
    if (from >= to)
        return 0;
    size_t w = from >> 6, last = (to - 1) >> 6;
    uint64_t lo = ~0ull << (from & 63), hi = ~0ull >> (63 - ((to - 1) & 63));
    if (w == last)
        return (m[w] & lo & hi) != 0;
    uint64_t any = m[w] & lo;
    while (++w < last)
        any |= m[w];
    return (any | (m[last] & hi)) != 0;
}

/* Offset from k of the last '-' in the key [k, end): one word when the key's end and that
 * '-' share it (short keys: nearly always), else the general search. */
static inline ptrdiff_t hj212_key_dash(const uint64_t *dash, size_t k, size_t end)
{
    if (end <= k)
        return -1;
    uint64_t x = dash[(end - 1) >> 6] & (~0ull >> (63 - ((end - 1) & 63)));
    if (x) {
        size_t at = ((end - 1) & ~(size_t)63) + 63 - (size_t)__builtin_clzll(x);
        if (at >= k)
            return (ptrdiff_t)(at - k);
    }
    return hj212_last_mark(dash, k, end);
}

/* 1 when key is "DataTime" in any case: one word when it is 8 bytes long (the letters
 * folded by setting bit 5, exact for letters), instead of a loop over the bytes. */
static inline int hj212_is_datatime(struct hj212_str key)
{
#if defined(HJ212_WORDS_LE)
    if (key.len != 8)
        return 0;
    uint64_t w;
    memcpy(&w, key.ptr, 8);
    return (w | 0x2020202020202020ull) ==
           (HJ212_LE4('d', 'a', 't', 'a') | HJ212_LE4('t', 'i', 'm', 'e') << 32);
#else
    return HJ212_IS(key, "DataTime");
#endif
}

/* What the two CP loops share: the item's key is [k, kt) and its value is set; splits the
 * key, links flags, notes DataTime, and counts the item. Inlined into both loops (a call
 * with this many arguments cost more than the work). */
static inline __attribute__((always_inline)) void
hj212_item_done(struct hj212_msg *m, struct hj212_item *it, size_t n, const char *data,
                const char *end, size_t k, size_t kt, const uint64_t *dash, unsigned char *kind,
                struct hj212_links *lk)
{
    kind[n] = (unsigned char)hj212_split_key(it, hj212_key_dash(dash, k, kt), data, kt);
    int run_start = !hj212_same_code(lk->code, lk->code_len, it->code.ptr, it->code.len, end);
    lk->code = it->code.ptr;
    lk->code_len = it->code.len;
    hj212_link_item(m, lk, n, kind, run_start);
    if (!m->datatime.ptr && hj212_is_datatime(it->key)) {
        /* field by field: a copy of the slice just written would be one 16-byte load
         * of two 8-byte stores, which the store buffer cannot forward */
        m->datatime.ptr = it->value.ptr;
        m->datatime.len = it->value.len;
    }
    m->n_items = n + 1;
}

/* The CP area [cs, ce) when it holds no space, tab or '/' (the marks say so): no trims and
 * no log text, so each item is the stop marks alone — a key up to its '=', a value up to
 * the next ';' or ','. Gives exactly what hj212_parse_cp_any gives on such an area
 * (test_hj212: test_cp_plain_same_as_spaced). */
static enum hj212_err hj212_parse_cp_plain(const char *data, size_t cs, size_t ce,
                                           const struct hj212_marks *mk, struct hj212_msg *m,
                                           unsigned char *kind, struct hj212_links *lk)
{
    struct hj212_mark_iter stops;
    hj212_iter_init(&stops, mk->stop, mk->words, cs);
    size_t p = cs;
    while (p < ce) {
        size_t ke = hj212_iter_next(&stops);
        if (ke < ce && data[ke] != '=') {
            if (ke == p) { /* an empty item: ";;" */
                p++;
                continue;
            }
            return hj212_fail(m, HJ212_BAD_SYNTAX, p); /* a key without '=' */
        }
        if (ke >= ce)
            return hj212_fail(m, HJ212_BAD_SYNTAX, p);
        size_t n = m->n_items;
        if (n == HJ212_ITEMS_MAX)
            return hj212_fail(m, HJ212_TOO_MANY_ITEMS, p);
        struct hj212_item *it = &m->items[n];
        it->key.ptr = data + p;
        it->key.len = ke - p;
        size_t v = ke + 1, ve; /* a '=' inside a value is part of it */
        do
            ve = hj212_iter_next(&stops);
        while (ve < ce && data[ve] == '=');
        ve = ve < ce ? ve : ce;
        it->value.ptr = data + v;
        it->value.len = ve - v;
        it->is_log = 0;
        hj212_item_done(m, it, n, data, data + ce + 2, p, ke, mk->dash, kind, lk);
        p = ve + 1;
    }
    return HJ212_OK;
}

/* Any CP area: leading spaces skipped, keys and values trimmed, "//log//" values. */
static enum hj212_err hj212_parse_cp_any(const char *data, size_t cs, size_t ce,
                                         const struct hj212_marks *mk, struct hj212_msg *m,
                                         unsigned char *kind, struct hj212_links *lk)
{
    const char *e = data + ce;
    /* The ';' ',' and '=' of the area in order: a key ends at the first after its start,
     * a value at the first ';' or ',' after its '='. */
    struct hj212_mark_iter stops;
    hj212_iter_init(&stops, mk->stop, mk->words, cs);
    size_t p = cs;
    while (p < ce) {
        if (hj212_cls[(unsigned char)data[p]] & (HJ212_C_SEP | HJ212_C_SP)) {
            p++;
            continue;
        }
        /* the key runs to the first ';' ',' or '=', which must be '=' (marks before k were
         * skipped separators or lay inside log text) */
        size_t k = p, ke;
        do
            ke = hj212_iter_next(&stops);
        while (ke < k);
        if (ke >= ce || data[ke] != '=')
            return hj212_fail(m, HJ212_BAD_SYNTAX, k);
        size_t n = m->n_items;
        if (n == HJ212_ITEMS_MAX)
            return hj212_fail(m, HJ212_TOO_MANY_ITEMS, k);
        struct hj212_item *it = &m->items[n];
        /* no leading space (skipped above); trailing ones are dropped */
        size_t kt = ke;
        while (kt > k && hj212_space(data[kt - 1]))
            kt--;
        it->key = hj212_slice(data + k, kt - k);
        size_t v = ke + 1;
        if (ce - v >= 4 && data[v] == '/' && data[v + 1] == '/') {
            const char *close = hj212_log_end(data + v + 2, e);
            if (close == e)
                return hj212_fail(m, HJ212_BAD_SYNTAX, v);
            it->value = hj212_slice(data + v + 2, (size_t)(close - data) - v - 2);
            it->is_log = 1;
            p = (size_t)(close - data) + 2;
        } else {
            size_t ve; /* a '=' inside a value is part of it */
            do
                ve = hj212_iter_next(&stops);
            while (ve < ce && data[ve] == '=');
            ve = ve < ce ? ve : ce;
            it->value = hj212_slice(data + v, ve - v);
            if (ve > v && (hj212_space(data[v]) || hj212_space(data[ve - 1])))
                it->value = hj212_trim(data + v, ve - v);
            it->is_log = 0;
            p = ve;
        }
        hj212_item_done(m, it, n, data, data + ce + 2, k, kt, mk->dash, kind, lk);
    }
    return HJ212_OK;
}

static enum hj212_err hj212_parse_cp(const char *data, size_t len, size_t cp_at,
                                     const struct hj212_marks *mk, struct hj212_msg *m)
{
    /* "CP=" is followed by "&&", the data area, and the segment's final "&&" */
    if (len - cp_at < 4 || data[cp_at] != '&' || data[cp_at + 1] != '&' || data[len - 1] != '&' ||
        data[len - 2] != '&')
        return hj212_fail(m, HJ212_BAD_SYNTAX, cp_at);
    size_t cs = cp_at + 2, ce = len - 2;
    m->cp = hj212_slice(data + cs, ce - cs);

    unsigned char kind[HJ212_ITEMS_MAX];
    struct hj212_links lk = {-1, -1, 0, 0, NULL, 0};
    /* a segment without blanks has a CP area without them: no second look at the marks */
    int plain = mk->blank_free || !hj212_any_mark(mk->odd, cs, ce);
    return plain ? hj212_parse_cp_plain(data, cs, ce, mk, m, kind, &lk)
                 : hj212_parse_cp_any(data, cs, ce, mk, m, kind, &lk);
}

static inline void hj212_clear_str(struct hj212_str *s)
{
    s->ptr = NULL;
    s->len = 0;
}

/* Clears the header's named fields and counters one store per word: a memset compiled to
 * `rep stos` (~3 % of the parse), and a chain (a = b = none) to stores read back by a 16-byte
 * load, which the store buffer cannot forward. */
static void hj212_clear_named(struct hj212_msg *m)
{
    hj212_clear_str(&m->qn);
    hj212_clear_str(&m->st);
    hj212_clear_str(&m->cn);
    hj212_clear_str(&m->pw);
    hj212_clear_str(&m->mn);
    hj212_clear_str(&m->flag_str);
    hj212_clear_str(&m->pnum_str);
    hj212_clear_str(&m->pno_str);
    m->cn_num = m->has_flag = m->flag = m->has_split = m->pnum = m->pno = m->version = 0;
    m->edition = HJ212_EDITION_2005;
    m->n_head = 0;
}

enum hj212_err hj212_parse(const char *data, size_t len, struct hj212_msg *m)
{
    /* The named fields and counters; head[] and items[] are written before they are
     * counted, so they need no clearing (half a kilobyte less per frame). */
    hj212_clear_named(m);
    memset(&m->cp, 0, offsetof(struct hj212_msg, items) - offsetof(struct hj212_msg, cp));
    m->datatime = hj212_slice(NULL, 0);
    m->datatime_ok = 0;
    m->err_pos = 0;
    if (data == NULL)
        return hj212_fail(m, HJ212_BAD_SYNTAX, 0);

    if (len > HJ212_DATA_MAX_ABS) /* no frame can carry it: the length field has 4 digits */
        return hj212_fail(m, HJ212_BAD_SYNTAX, HJ212_DATA_MAX_ABS);
    struct hj212_marks mk;
    hj212_mark(data, len, &mk);
    mk.blank_free = !hj212_any_mark(mk.odd, 0, len);
    size_t cp_at = 0;
    enum hj212_err err = hj212_parse_head(data, len, &mk, m, &cp_at);
    if (err != HJ212_OK)
        return err;
    err = hj212_check_head(data, m);
    if (err != HJ212_OK)
        return err;
    err = hj212_parse_cp(data, len, cp_at, &mk, m);
    if (err != HJ212_OK)
        return err;
    if (m->datatime.ptr)
        m->datatime_ok = hj212_time_parse(m->datatime, &m->dt) == 0;
    return HJ212_OK;
}

struct hj212_str hj212_msg_cp_get(const struct hj212_msg *m, const char *key)
{
    size_t n = strlen(key);
    for (size_t i = 0; i < m->n_items; i++)
        if (hj212_is(m->items[i].key, key, n))
            return m->items[i].value;
    return hj212_slice("", 0);
}

struct hj212_str hj212_msg_ref_qn(const struct hj212_msg *m)
{
    if (m->qn.len)
        return m->qn;
    return hj212_msg_cp_get(m, "QN");
}

int hj212_msg_wants_ack(const struct hj212_msg *m)
{
    return m->has_flag && (m->flag & HJ212_FLAG_A);
}
