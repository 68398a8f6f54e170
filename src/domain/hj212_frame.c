/* hj212_frame — error names, the Appendix A CRC and the stream scanner (see hj212.h). */
#include "domain/hj212.h"

#include <string.h>

static const char *const hj212_err_names[] = {
#define HJ212_ERR_NAME(name, str, text) str,
    HJ212_ERR_MAP(HJ212_ERR_NAME)
#undef HJ212_ERR_NAME
};

static const char *const hj212_err_texts[] = {
#define HJ212_ERR_TEXT(name, str, text) text,
    HJ212_ERR_MAP(HJ212_ERR_TEXT)
#undef HJ212_ERR_TEXT
};

const char *hj212_err_name(enum hj212_err err)
{
    if ((unsigned)err >= HJ212_ERR_COUNT)
        return "unknown";
    return hj212_err_names[err];
}

const char *hj212_err_text(enum hj212_err err)
{
    if ((unsigned)err >= HJ212_ERR_COUNT)
        return "unknown error";
    return hj212_err_texts[err];
}

const char *hj212_edition_name(enum hj212_edition ed)
{
    switch (ed) {
    case HJ212_EDITION_2005:
        return "2005";
    case HJ212_EDITION_2017:
        return "2017";
    case HJ212_EDITION_NEWER:
        break;
    }
    return "unknown";
}

struct hj212_str hj212_str_c(const char *s)
{
    struct hj212_str r = {s ? s : "", s ? strlen(s) : 0};
    return r;
}

int hj212_str_eq(struct hj212_str s, const char *lit)
{
    size_t n = strlen(lit);
    return s.len == n && memcmp(s.ptr, lit, n) == 0;
}

static unsigned char hj212_lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

int hj212_str_eq_nocase(struct hj212_str s, const char *lit)
{
    size_t n = strlen(lit);
    if (s.len != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (hj212_lower((unsigned char)s.ptr[i]) != hj212_lower((unsigned char)lit[i]))
            return 0;
    return 1;
}

/* ---- CRC ----
 * Appendix A xors each byte into the register's HIGH byte after shifting it down, so the
 * per-byte step is reg = T[(reg >> 8) ^ b] with T the usual CRC-16/ARC table (T[1] = 0xC0C1).
 * The table is built at compile time by the same 8 rounds the standard describes. */
#define HJ212_R1(x) (((x)&1) ? (((x) >> 1) ^ 0xA001u) : ((x) >> 1))
#define HJ212_R8(x)                                                                                \
    HJ212_R1(HJ212_R1(HJ212_R1(HJ212_R1(HJ212_R1(HJ212_R1(HJ212_R1(HJ212_R1(x))))))))
#define HJ212_T1(i) (uint16_t) HJ212_R8((unsigned)(i))
#define HJ212_T4(i) HJ212_T1(i), HJ212_T1((i) + 1), HJ212_T1((i) + 2), HJ212_T1((i) + 3)
#define HJ212_T16(i) HJ212_T4(i), HJ212_T4((i) + 4), HJ212_T4((i) + 8), HJ212_T4((i) + 12)
#define HJ212_T64(i) HJ212_T16(i), HJ212_T16((i) + 16), HJ212_T16((i) + 32), HJ212_T16((i) + 48)

static const uint16_t hj212_crc_table[256] = {
    HJ212_T64(0),
    HJ212_T64(64),
    HJ212_T64(128),
    HJ212_T64(192),
};

uint16_t hj212_crc_update(uint16_t reg, const void *data, size_t n)
{
    const unsigned char *p = data;
    unsigned r = reg;
    for (size_t i = 0; i < n; i++)
        r = hj212_crc_table[(r >> 8) ^ p[i]];
    return (uint16_t)r;
}

uint16_t hj212_crc(const void *data, size_t n)
{
    return hj212_crc_update(HJ212_CRC_INIT, data, n);
}

/* ---- scanner ---- */

static int hj212_is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Value of one hex digit, or -1. */
static int hj212_hex(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = hj212_lower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static size_t hj212_reject(struct hj212_frame_ref *out, enum hj212_err err, size_t at)
{
    out->status = err;
    /* Drop one byte only: the next "##" may start anywhere after this one. */
    return at + 1;
}

/* Looks for the start of a frame: the first "##" at or after from. Returns its offset, or
 * len when there is none. A lone '#' in the last byte is reported as a candidate so that a
 * frame split between its two '#' is not lost. */
static size_t hj212_find_start(const char *buf, size_t len, size_t from)
{
    while (from < len) {
        const char *h = memchr(buf + from, '#', len - from);
        if (!h)
            return len;
        size_t at = (size_t)(h - buf);
        if (at + 1 == len || buf[at + 1] == '#')
            return at;
        from = at + 1;
    }
    return len;
}

size_t hj212_scan(const char *buf, size_t len, size_t max_frame, int at_eof,
                  struct hj212_frame_ref *out)
{
    memset(out, 0, sizeof *out);
    if (max_frame == 0)
        max_frame = HJ212_FRAME_MAX;
    if (max_frame > HJ212_FRAME_MAX_ABS)
        max_frame = HJ212_FRAME_MAX_ABS;

    size_t at = hj212_find_start(buf, len, 0);
    out->skipped = at;
    out->offset = at;
    if (at == len) {
        out->status = HJ212_MORE;
        return len;
    }
    const unsigned char *p = (const unsigned char *)buf + at;
    size_t avail = len - at;

    /* "##" and the 4-digit length */
    size_t have = avail < 6 ? avail : 6;
    for (size_t i = 2; i < have; i++)
        if (!hj212_is_digit(p[i]))
            return hj212_reject(out, HJ212_BAD_HEADER, at);
    if (avail < 6) {
        if (at_eof) {
            /* A lone trailing '#' is garbage, not a frame. */
            out->status = avail < 2 ? HJ212_MORE : HJ212_TRUNCATED;
            out->skipped = avail < 2 ? len : at;
            return len;
        }
        out->status = HJ212_MORE;
        return at;
    }
    size_t dlen = (size_t)(p[2] - '0') * 1000 + (size_t)(p[3] - '0') * 100 +
                  (size_t)(p[4] - '0') * 10 + (size_t)(p[5] - '0');
    out->data_len = dlen;
    if (dlen + HJ212_FRAME_OVERHEAD > max_frame)
        return hj212_reject(out, HJ212_TOO_LONG, at);

    /* A line feed before the end of the CRC field means the frame ended earlier than its
     * length says (bytes lost in transit): reject now instead of waiting for more data. */
    size_t need = 6 + dlen + 4;
    size_t look = avail < need ? avail : need;
    if (look > 6 && memchr(p + 6, '\n', look - 6))
        return hj212_reject(out, HJ212_BAD_LENGTH, at);
    if (avail < need) {
        if (at_eof) {
            out->status = HJ212_TRUNCATED;
            return len;
        }
        out->status = HJ212_MORE;
        return at;
    }

    const unsigned char *c = p + 6 + dlen;
    unsigned crc = 0;
    for (int i = 0; i < 4; i++) {
        int v = hj212_hex(c[i]);
        if (v < 0)
            return hj212_reject(out, HJ212_BAD_LENGTH, at);
        crc = crc << 4 | (unsigned)v;
    }

    /* the line end */
    size_t flen = need;
    enum hj212_eol eol;
    if (avail == need) {
        if (!at_eof) {
            out->status = HJ212_MORE;
            return at;
        }
        eol = HJ212_EOL_NONE;
    } else if (c[4] == '\n') {
        eol = HJ212_EOL_LF;
        flen += 1;
    } else if (c[4] == '\r') {
        if (avail == need + 1 && !at_eof) {
            out->status = HJ212_MORE;
            return at;
        }
        if (avail > need + 1 && c[5] == '\n') {
            eol = HJ212_EOL_CRLF;
            flen += 2;
        } else {
            eol = HJ212_EOL_CR;
            flen += 1;
        }
    } else if (c[4] == '#') {
        eol = HJ212_EOL_NONE; /* glued to the next frame */
    } else {
        return hj212_reject(out, HJ212_BAD_LENGTH, at);
    }

    out->data = (const char *)p + 6;
    out->crc_sent = (uint16_t)crc;
    out->crc_calc = hj212_crc(p + 6, dlen);
    out->eol = eol;
    out->frame_len = flen;
    /* A wrong CRC on a well-formed frame: skip the whole frame, its bytes are not a
     * candidate for another frame. */
    out->status = out->crc_calc == out->crc_sent ? HJ212_OK : HJ212_BAD_CRC;
    return at + flen;
}
