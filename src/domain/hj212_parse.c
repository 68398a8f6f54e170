/* hj212_parse — data segment -> struct hj212_msg, and Beijing-time helpers (see hj212.h).
 *
 * Strict where a mistake would mislabel data (header syntax, CN, Flag, the CP envelope),
 * tolerant on content: unknown keys, codes and suffixes, repeated keys and both separators
 * are data, not errors (HJ 212 reference §13). */
#include "domain/hj212.h"

#include <string.h>

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

static struct hj212_str hj212_slice(const char *p, size_t n)
{
    struct hj212_str s = {p, n};
    return s;
}

static int hj212_space(char c)
{
    return hj212_cls[(unsigned char)c] & HJ212_C_SP;
}

static struct hj212_str hj212_trim(const char *p, size_t n)
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

int hj212_time_parse(struct hj212_str s, struct hj212_time *t)
{
    if (s.len != 14 && s.len != 17)
        return -1;
    int v[7] = {0};
    static const size_t width[7] = {4, 2, 2, 2, 2, 2, 3};
    size_t pos = 0;
    for (size_t f = 0; f < 7 && pos < s.len; f++) {
        int n = hj212_uint(hj212_slice(s.ptr + pos, width[f]), width[f]);
        if (n < 0)
            return -1;
        v[f] = n;
        pos += width[f];
    }
    if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > hj212_mdays(v[0], v[1]) || v[3] > 23 ||
        v[4] > 59 || v[5] > 59)
        return -1;
    t->year = v[0];
    t->mon = v[1];
    t->day = v[2];
    t->hour = v[3];
    t->min = v[4];
    t->sec = v[5];
    t->ms = v[6];
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

/* The header keys the standard defines, matched without case ("PNum" occurs). */
static const char *const hj212_known_keys[HJ212_K_COUNT] = {
    "QN", "ST", "CN", "PW", "MN", "Flag", "PNUM", "PNO",
};

static struct hj212_str *hj212_known_slot(struct hj212_msg *m, enum hj212_known k)
{
    switch (k) {
    case HJ212_K_QN:
        return &m->qn;
    case HJ212_K_ST:
        return &m->st;
    case HJ212_K_CN:
        return &m->cn;
    case HJ212_K_PW:
        return &m->pw;
    case HJ212_K_MN:
        return &m->mn;
    case HJ212_K_FLAG:
        return &m->flag_str;
    case HJ212_K_PNUM:
        return &m->pnum_str;
    case HJ212_K_PNO:
    case HJ212_K_COUNT:
        break;
    }
    return &m->pno_str;
}

static int hj212_known_index(struct hj212_str key)
{
    if (key.len < 2 || key.len > 4)
        return -1;
    for (int k = 0; k < HJ212_K_COUNT; k++)
        if (hj212_str_eq_nocase(key, hj212_known_keys[k]))
            return k;
    return -1;
}

static enum hj212_err hj212_fail(struct hj212_msg *m, enum hj212_err err, size_t pos)
{
    m->err_pos = pos;
    return err;
}

/* Parses the header items of data[0..len) up to "CP="; sets *cp_at to the offset just after
 * "CP=". */
static enum hj212_err hj212_parse_head(const char *data, size_t len, struct hj212_msg *m,
                                       size_t *cp_at)
{
    unsigned seen = 0;
    size_t pos = 0;
    while (pos < len) {
        if (data[pos] == ';') {
            pos++;
            continue;
        }
        /* the item ends at ';'; its key at the first '=' */
        const char *semi = memchr(data + pos, ';', len - pos);
        size_t end = semi ? (size_t)(semi - data) : len;
        const char *eq = memchr(data + pos, '=', end - pos);
        if (!eq) {
            /* "CP=&&...&&" may hold ';' in log text, so look for the CP key before ';' */
            return hj212_fail(m, HJ212_BAD_SYNTAX, pos);
        }
        size_t eq_at = (size_t)(eq - data);
        struct hj212_str key = hj212_trim(data + pos, eq_at - pos);
        if (key.len == 0)
            return hj212_fail(m, HJ212_BAD_SYNTAX, pos);
        if (HJ212_IS(key, "CP")) {
            *cp_at = eq_at + 1;
            return HJ212_OK;
        }
        struct hj212_str val = hj212_trim(eq + 1, end - eq_at - 1);
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
 * it. "01-Rtd=1,01-Flag=N;01-ZsRtd=2,01-Flag=D" gives N to Rtd and D to ZsRtd;
 * "w01018-Cou=..,-Min=..,-Avg=..,-Flag=N" gives N to all four. run_start[i] is 1 where item
 * i does not continue the previous item's code (the parser knows it). Linear in the items. */
static void hj212_link_flags(struct hj212_msg *m, const unsigned char *kind,
                             const unsigned char *run_start)
{
    size_t n = m->n_items;
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        while (b < n && !run_start[b])
            b++;
        int16_t f = -1, e = -1;
        for (size_t i = b; i-- > a;) {
            if (kind[i] == HJ212_KIND_VALUE) {
                m->items[i].flag_idx = f;
                m->items[i].eflag_idx = e;
            } else if (kind[i] == HJ212_KIND_FLAG) {
                f = (int16_t)i;
            } else if (kind[i] == HJ212_KIND_EFLAG) {
                e = (int16_t)i;
            }
        }
        f = e = -1;
        for (size_t i = a; i < b; i++) {
            struct hj212_item *it = &m->items[i];
            if (kind[i] == HJ212_KIND_VALUE) {
                if (it->flag_idx < 0)
                    it->flag_idx = f;
                if (it->eflag_idx < 0)
                    it->eflag_idx = e;
            } else if (kind[i] == HJ212_KIND_FLAG) {
                f = (int16_t)i;
            } else if (kind[i] == HJ212_KIND_EFLAG) {
                e = (int16_t)i;
            }
        }
        a = b;
    }
}

/* Splits it->key at its last '-' (at offset dash, or none when dash < 0) into code and
 * field: a factor needs a code before the '-' and a field after it; otherwise code is
 * empty and field is the key. Returns the item's kind. */
static enum hj212_item_kind hj212_split_key(struct hj212_item *it, ptrdiff_t dash)
{
    const char *k = it->key.ptr;
    size_t i = dash >= 0 ? (size_t)dash + 1 : 0;
    if (i <= 1 || i >= it->key.len) {
        it->code = hj212_slice(k, 0);
        it->field = it->key;
        return HJ212_KIND_PLAIN;
    }
    it->code = hj212_slice(k, i - 1);
    it->field = hj212_slice(k + i, it->key.len - i);
    if (HJ212_IS(it->field, "Flag"))
        return HJ212_KIND_FLAG;
    if (HJ212_IS(it->field, "EFlag"))
        return HJ212_KIND_EFLAG;
    return HJ212_KIND_VALUE;
}

/* 1 when b continues a's factor code (both non-empty and equal). Codes are a few bytes. */
static int hj212_same_code(const struct hj212_item *a, const struct hj212_item *b)
{
    size_t n = a->code.len;
    if (n == 0 || n != b->code.len)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (a->code.ptr[i] != b->code.ptr[i])
            return 0;
    return 1;
}

/* ---- eight bytes at a time (SWAR) ----
 * Keys and values are a few bytes long, so a loop that tests one byte per step spends
 * most of its time on the loop itself. These helpers test eight bytes per step in plain
 * C: a byte equal to c becomes a zero byte of x ^ (c * 0x01..01), and hj212_zero_bytes
 * marks exactly the zero bytes (0x80 in each; no false positives, unlike the shorter
 * "(y - 0x01..) & ~y" form). Bytes are numbered from the lowest address. */
#define HJ212_ONES 0x0101010101010101ull
#define HJ212_LOW7 0x7F7F7F7F7F7F7F7Full

static uint64_t hj212_load8(const char *p)
{
    uint64_t x;
    memcpy(&x, p, sizeof x);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x);
#endif
    return x;
}

static uint64_t hj212_zero_bytes(uint64_t y)
{
    return ~(((y & HJ212_LOW7) + HJ212_LOW7) | y | HJ212_LOW7);
}

static uint64_t hj212_bytes_eq(uint64_t x, unsigned char c)
{
    return hj212_zero_bytes(x ^ (HJ212_ONES * c));
}

/* Index (0..7) of the first / last marked byte of a non-zero mask. */
static size_t hj212_first_byte(uint64_t mask)
{
    return (size_t)__builtin_ctzll(mask) >> 3;
}

static size_t hj212_last_byte(uint64_t mask)
{
    return (size_t)(63 - __builtin_clzll(mask)) >> 3;
}

/* The first ';' or ',' (or '=' too when with_eq) in p[0..e - p), or e. */
static const char *hj212_find_sep(const char *p, const char *e, int with_eq)
{
    for (; e - p >= 8; p += 8) {
        uint64_t x = hj212_load8(p);
        uint64_t stop = hj212_bytes_eq(x, ';') | hj212_bytes_eq(x, ',');
        if (with_eq)
            stop |= hj212_bytes_eq(x, '=');
        if (stop)
            return p + hj212_first_byte(stop);
    }
    unsigned char mask = with_eq ? HJ212_C_SEP | HJ212_C_EQ : HJ212_C_SEP;
    while (p < e && !(hj212_cls[(unsigned char)*p] & mask))
        p++;
    return p;
}

/* Like hj212_find_sep(k, e, 1), and also the offset from k of the last '-' before the
 * byte found (-1 if none): a CP key's factor code ends there. */
static const char *hj212_find_key_end(const char *k, const char *e, ptrdiff_t *dash)
{
    const char *p = k;
    *dash = -1;
    for (; e - p >= 8; p += 8) {
        uint64_t x = hj212_load8(p);
        uint64_t stop = hj212_bytes_eq(x, ';') | hj212_bytes_eq(x, ',') | hj212_bytes_eq(x, '=');
        uint64_t dashes = hj212_bytes_eq(x, '-');
        if (stop) {
            size_t at = hj212_first_byte(stop);
            dashes &= at ? ~0ull >> (64 - 8 * at) : 0; /* only those before the stop */
            if (dashes)
                *dash = (p - k) + (ptrdiff_t)hj212_last_byte(dashes);
            return p + at;
        }
        if (dashes)
            *dash = (p - k) + (ptrdiff_t)hj212_last_byte(dashes);
    }
    for (; p < e; p++) {
        unsigned char c = (unsigned char)*p;
        if (hj212_cls[c] & (HJ212_C_SEP | HJ212_C_EQ))
            break;
        if (c == '-')
            *dash = p - k;
    }
    return p;
}

/* One CP item starting at k (not a separator or a space). On success fills *it, sets
 * *dash to the offset of the key's last '-' (or -1) and returns where the item ends;
 * NULL when the item is malformed (*err_at says where). One pass over the key records its
 * '=' and its last '-', so nothing scans the key twice. */
static const char *hj212_cp_item(const char *k, const char *e, struct hj212_item *it,
                                 ptrdiff_t *dash, const char **err_at)
{
    ptrdiff_t last_dash;
    const char *p = hj212_find_key_end(k, e, &last_dash);
    if (p == e || *p != '=') {
        *err_at = k;
        return NULL;
    }
    /* the key has no leading space (the caller skipped them); drop trailing ones */
    const char *ke = p;
    while (ke > k && hj212_space(ke[-1]))
        ke--;
    it->key = hj212_slice(k, (size_t)(ke - k));
    *dash = last_dash;
    const char *v = ++p;
    if (e - v >= 4 && v[0] == '/' && v[1] == '/') {
        const char *close = hj212_log_end(v + 2, e);
        if (close == e) {
            *err_at = v;
            return NULL;
        }
        it->value = hj212_slice(v + 2, (size_t)(close - v - 2));
        it->is_log = 1;
        return close + 2;
    }
    p = hj212_find_sep(p, e, 0);
    it->value = hj212_slice(v, (size_t)(p - v));
    if (it->value.len && (hj212_space(v[0]) || hj212_space(p[-1])))
        it->value = hj212_trim(v, (size_t)(p - v));
    it->is_log = 0;
    return p;
}

static enum hj212_err hj212_parse_cp(const char *data, size_t len, size_t cp_at,
                                     struct hj212_msg *m)
{
    /* "CP=" is followed by "&&", the data area, and the segment's final "&&" */
    if (len - cp_at < 4 || data[cp_at] != '&' || data[cp_at + 1] != '&' || data[len - 1] != '&' ||
        data[len - 2] != '&')
        return hj212_fail(m, HJ212_BAD_SYNTAX, cp_at);
    const char *s = data + cp_at + 2;
    const char *e = data + len - 2;
    m->cp = hj212_slice(s, (size_t)(e - s));

    unsigned char kind[HJ212_ITEMS_MAX], run_start[HJ212_ITEMS_MAX];
    const char *p = s;
    while (p < e) {
        if (hj212_cls[(unsigned char)*p] & (HJ212_C_SEP | HJ212_C_SP)) {
            p++;
            continue;
        }
        size_t n = m->n_items;
        struct hj212_item *it = &m->items[n];
        const char *err_at = p;
        /* an item must have its '=' before the cap counts: a malformed one is bad_syntax */
        if (n == HJ212_ITEMS_MAX) {
            const char *q = hj212_find_sep(p, e, 1);
            if (q == e || *q != '=')
                return hj212_fail(m, HJ212_BAD_SYNTAX, (size_t)(p - data));
            return hj212_fail(m, HJ212_TOO_MANY_ITEMS, (size_t)(p - data));
        }
        ptrdiff_t dash;
        const char *next = hj212_cp_item(p, e, it, &dash, &err_at);
        if (!next)
            return hj212_fail(m, HJ212_BAD_SYNTAX, (size_t)(err_at - data));
        it->flag_idx = -1;
        it->eflag_idx = -1;
        kind[n] = (unsigned char)hj212_split_key(it, dash);
        run_start[n] = n == 0 || kind[n] == HJ212_KIND_PLAIN || !hj212_same_code(it - 1, it);
        if (!m->datatime.ptr && HJ212_IS(it->key, "DataTime"))
            m->datatime = it->value;
        m->n_items = n + 1;
        p = next;
    }
    hj212_link_flags(m, kind, run_start);
    return HJ212_OK;
}

enum hj212_err hj212_parse(const char *data, size_t len, struct hj212_msg *m)
{
    /* Clear only the fixed part: items are written before they are counted. */
    memset(m, 0, offsetof(struct hj212_msg, items));
    m->datatime = hj212_slice(NULL, 0);
    m->datatime_ok = 0;
    m->err_pos = 0;
    if (data == NULL)
        return hj212_fail(m, HJ212_BAD_SYNTAX, 0);

    size_t cp_at = 0;
    enum hj212_err err = hj212_parse_head(data, len, m, &cp_at);
    if (err != HJ212_OK)
        return err;
    err = hj212_check_head(data, m);
    if (err != HJ212_OK)
        return err;
    err = hj212_parse_cp(data, len, cp_at, m);
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
