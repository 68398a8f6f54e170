/* hj212_encode — frames, replies and platform requests (see hj212.h).
 *
 * Everything is written into caller buffers with explicit bounds; no allocation. Values are
 * checked for the bytes that would change the frame's structure, so an encoded frame always
 * parses back to the same items. */
#include "domain/hj212.h"

#include <stdio.h>
#include <string.h>

/* A bounded writer over a caller buffer; the first overflow sticks. */
struct hj212_w {
    char *p;
    size_t cap;
    size_t len;
    int full;
};

/* With p == NULL the writer only counts: the first pass of hj212_encode sizes the frame. */
static void hj212_w_put(struct hj212_w *w, const void *s, size_t n)
{
    if (!w->p) {
        w->len += n;
        return;
    }
    if (w->full || n > w->cap - w->len) {
        w->full = 1;
        return;
    }
    if (n)
        memcpy(w->p + w->len, s, n);
    w->len += n;
}

static void hj212_w_str(struct hj212_w *w, struct hj212_str s)
{
    hj212_w_put(w, s.ptr, s.len);
}

static void hj212_w_lit(struct hj212_w *w, const char *s)
{
    hj212_w_put(w, s, strlen(s));
}

/* What snprintf "%0*d" writes (width ≤ 11), without printf's format parsing: every reply a
 * device gets writes three or four of these (twice: counted, then written). */
static void hj212_w_int(struct hj212_w *w, int v, int width)
{
    char tmp[16], *p = tmp + sizeof tmp;
    unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
    int digits = 0;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
        digits++;
    } while (u);
    for (int pad = width - digits - (v < 0); pad > 0 && p > tmp + 1; pad--)
        *--p = '0';
    if (v < 0)
        *--p = '-';
    hj212_w_put(w, p, (size_t)(tmp + sizeof tmp - p));
}

/* Bytes that would split or end an item in a header value or a plain CP value. */
static int hj212_reserved(unsigned char c)
{
    return c == ';' || c == ',' || c == '=' || c == '&' || c == '\r' || c == '\n' || c == '\0';
}

static int hj212_value_ok(struct hj212_str v)
{
    for (size_t i = 0; i < v.len; i++)
        if (hj212_reserved((unsigned char)v.ptr[i]))
            return 0;
    return 1;
}

static int hj212_key_ok(const char *k, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)k[i];
        if (hj212_reserved(c) || c == '/' || c == ' ' || c == '\t')
            return 0;
    }
    return 1;
}

/* ---- CP builder ---- */

void hj212_cp_init(struct hj212_cp *cp, char *buf, size_t cap)
{
    memset(cp, 0, sizeof *cp);
    cp->buf = buf;
    cp->cap = cap;
    cp->err = HJ212_OK;
}

static void hj212_cp_append(struct hj212_cp *cp, const void *s, size_t n)
{
    if (cp->err != HJ212_OK)
        return;
    if (n > cp->cap - cp->len) {
        cp->err = HJ212_NO_SPACE;
        return;
    }
    if (n)
        memcpy(cp->buf + cp->len, s, n);
    cp->len += n;
}

/* Length of the factor code of a key ("a34004" in "a34004-Avg"), 0 for a plain key. */
static size_t hj212_code_len(const char *key, size_t n)
{
    for (size_t i = n; i > 0; i--)
        if (key[i - 1] == '-')
            return i - 1 < n - 1 ? i - 1 : 0;
    return 0;
}

static void hj212_cp_item(struct hj212_cp *cp, char sep, const char *key, struct hj212_str value,
                          int log)
{
    if (cp->err != HJ212_OK)
        return;
    size_t klen = key ? strlen(key) : 0;
    if (!hj212_key_ok(key, klen) || (sep != ';' && sep != ',')) {
        cp->err = HJ212_BAD_VALUE;
        return;
    }
    if (log) {
        for (size_t i = 0; i < value.len; i++) {
            unsigned char c = (unsigned char)value.ptr[i];
            int pair = i + 1 < value.len && value.ptr[i + 1] == (char)c && (c == '/' || c == '&');
            if (pair || c == '\r' || c == '\n' || c == '\0' || (c == '/' && i + 1 == value.len)) {
                cp->err = HJ212_BAD_VALUE;
                return;
            }
        }
    } else if (!hj212_value_ok(value)) {
        cp->err = HJ212_BAD_VALUE;
        return;
    }
    size_t code_len = hj212_code_len(key, klen);
    if (cp->len)
        hj212_cp_append(cp, &sep, 1);
    size_t key_off = cp->len;
    hj212_cp_append(cp, key, klen);
    hj212_cp_append(cp, "=", 1);
    if (log)
        hj212_cp_append(cp, "//", 2);
    hj212_cp_append(cp, value.ptr, value.len);
    if (log)
        hj212_cp_append(cp, "//", 2);
    cp->last_code_off = key_off;
    cp->last_code_len = code_len;
}

/* ',' when key continues the previous item's factor code, ';' otherwise. */
static char hj212_cp_auto_sep(const struct hj212_cp *cp, const char *key)
{
    size_t klen = key ? strlen(key) : 0;
    size_t code_len = hj212_code_len(key, klen);
    if (code_len && code_len == cp->last_code_len && cp->err == HJ212_OK &&
        memcmp(cp->buf + cp->last_code_off, key, code_len) == 0)
        return ',';
    return ';';
}

void hj212_cp_add(struct hj212_cp *cp, const char *key, struct hj212_str value)
{
    hj212_cp_item(cp, hj212_cp_auto_sep(cp, key), key, value, 0);
}

void hj212_cp_add_sep(struct hj212_cp *cp, char sep, const char *key, struct hj212_str value)
{
    hj212_cp_item(cp, sep, key, value, 0);
}

void hj212_cp_add_log(struct hj212_cp *cp, const char *key, struct hj212_str text)
{
    hj212_cp_item(cp, hj212_cp_auto_sep(cp, key), key, text, 1);
}

/* ---- frames ---- */

static const char hj212_hexdigits[] = "0123456789ABCDEF";

static int hj212_head_ok(const struct hj212_head *h)
{
    if (!h->st.len || !h->mn.len || h->cn < 0 || h->cn > 9999 || h->flag > 255)
        return 0;
    if ((h->pnum > 0) != (h->pno > 0) || h->pnum > 999999999 || h->pno > 999999999)
        return 0;
    return hj212_value_ok(h->qn) && hj212_value_ok(h->st) && hj212_value_ok(h->pw) &&
           hj212_value_ok(h->mn);
}

/* QN=..;ST=..;CN=..;PW=..;MN=..;Flag=..;PNUM=..;PNO=..;CP=&&<cp>&& (optional parts left out) */
static void hj212_write_data(struct hj212_w *w, const struct hj212_head *h, const char *cp,
                             size_t cp_len)
{
    if (h->qn.len) {
        hj212_w_lit(w, "QN=");
        hj212_w_str(w, h->qn);
        hj212_w_lit(w, ";");
    }
    hj212_w_lit(w, "ST=");
    hj212_w_str(w, h->st);
    hj212_w_lit(w, ";CN=");
    hj212_w_int(w, h->cn, 4);
    if (h->pw.len) {
        hj212_w_lit(w, ";PW=");
        hj212_w_str(w, h->pw);
    }
    hj212_w_lit(w, ";MN=");
    hj212_w_str(w, h->mn);
    if (h->flag >= 0) {
        hj212_w_lit(w, ";Flag=");
        hj212_w_int(w, h->flag, 1);
    }
    if (h->pnum > 0) {
        hj212_w_lit(w, ";PNUM=");
        hj212_w_int(w, h->pnum, 1);
        hj212_w_lit(w, ";PNO=");
        hj212_w_int(w, h->pno, 1);
    }
    hj212_w_lit(w, ";CP=&&");
    hj212_w_put(w, cp, cp_len);
    hj212_w_lit(w, "&&");
}

enum hj212_err hj212_encode(char *out, size_t cap, const struct hj212_head *h, const char *cp,
                            size_t cp_len, size_t *frame_len)
{
    if (!hj212_head_ok(h) || (cp_len && !cp))
        return HJ212_BAD_VALUE;
    /* The area must not open or close with '&': "&&&" would move the final "&&". */
    if (cp_len && (cp[0] == '&' || cp[cp_len - 1] == '&'))
        return HJ212_BAD_VALUE;
    /* A line end inside the data segment would end the frame early for every reader. */
    if (cp_len && (memchr(cp, '\n', cp_len) || memchr(cp, '\r', cp_len)))
        return HJ212_BAD_VALUE;
    struct hj212_w count = {NULL, 0, 0, 0};
    hj212_write_data(&count, h, cp, cp_len);
    if (count.len > HJ212_DATA_MAX_ABS)
        return HJ212_TOO_LONG;
    if (cap < HJ212_FRAME_OVERHEAD + 1 || count.len > cap - HJ212_FRAME_OVERHEAD - 1)
        return HJ212_NO_SPACE;
    /* Write the data segment in place after "##LLLL", then fill in the length. */
    struct hj212_w w = {out + 6, count.len, 0, 0};
    hj212_write_data(&w, h, cp, cp_len);
    size_t n = w.len;
    out[0] = '#';
    out[1] = '#';
    for (size_t i = 0, v = n; i < 4; i++, v /= 10)
        out[5 - i] = (char)('0' + v % 10);
    uint16_t crc = hj212_crc(out + 6, n);
    char *t = out + 6 + n;
    t[0] = hj212_hexdigits[crc >> 12];
    t[1] = hj212_hexdigits[(crc >> 8) & 15];
    t[2] = hj212_hexdigits[(crc >> 4) & 15];
    t[3] = hj212_hexdigits[crc & 15];
    t[4] = '\r';
    t[5] = '\n';
    t[6] = '\0';
    *frame_len = n + HJ212_FRAME_OVERHEAD;
    return HJ212_OK;
}

enum hj212_err hj212_encode_cp(char *out, size_t cap, const struct hj212_head *head,
                               const struct hj212_cp *cp, size_t *frame_len)
{
    if (cp->err != HJ212_OK)
        return cp->err;
    return hj212_encode(out, cap, head, cp->buf, cp->len, frame_len);
}

/* ---- replies ---- */

static enum hj212_err hj212_reply(char *out, size_t cap, const struct hj212_msg *req, int cn,
                                  const char *rtn_key, int rtn, size_t *frame_len)
{
    char area[64];
    struct hj212_cp cp;
    hj212_cp_init(&cp, area, sizeof area);
    struct hj212_head h = {0};
    h.st = hj212_str_c("91");
    h.cn = cn;
    h.pw = req->pw;
    h.mn = req->mn;
    /* Echo the request's edition in the version bits; a reply never asks for a reply. */
    h.flag = req->has_flag ? (req->flag & ~(HJ212_FLAG_A | HJ212_FLAG_D)) : -1;
    struct hj212_str qn = hj212_msg_ref_qn(req);
    if (qn.len > 32)
        return HJ212_BAD_VALUE;
    char num[16];
    if (req->edition == HJ212_EDITION_2005) {
        /* 2005: the referenced QN (and for 9014 the CN) travel inside CP */
        if (qn.len)
            hj212_cp_add(&cp, "QN", qn);
        if (cn == 9014 && req->cn.len) {
            snprintf(num, sizeof num, "%04d", req->cn_num);
            hj212_cp_add(&cp, "CN", hj212_str_c(num));
        }
    } else {
        if (!qn.len)
            return HJ212_BAD_VALUE; /* a 2017 reply is matched by its QN */
        h.qn = qn;
    }
    if (rtn_key) {
        if (rtn < 0 || rtn > 999)
            return HJ212_BAD_VALUE;
        snprintf(num, sizeof num, "%d", rtn);
        hj212_cp_add(&cp, rtn_key, hj212_str_c(num));
    }
    return hj212_encode_cp(out, cap, &h, &cp, frame_len);
}

enum hj212_err hj212_encode_qn_rtn(char *out, size_t cap, const struct hj212_msg *req, int rtn,
                                   size_t *frame_len)
{
    return hj212_reply(out, cap, req, 9011, "QnRtn", rtn, frame_len);
}

enum hj212_err hj212_encode_exe_rtn(char *out, size_t cap, const struct hj212_msg *req, int rtn,
                                    size_t *frame_len)
{
    return hj212_reply(out, cap, req, 9012, "ExeRtn", rtn, frame_len);
}

enum hj212_err hj212_encode_notify_reply(char *out, size_t cap, const struct hj212_msg *req,
                                         size_t *frame_len)
{
    return hj212_reply(out, cap, req, 9013, NULL, 0, frame_len);
}

enum hj212_err hj212_encode_data_ack(char *out, size_t cap, const struct hj212_msg *req,
                                     size_t *frame_len)
{
    return hj212_reply(out, cap, req, 9014, NULL, 0, frame_len);
}

/* ---- platform requests ---- */

static enum hj212_err hj212_request(char *out, size_t cap, const struct hj212_peer *to,
                                    struct hj212_str qn, int cn, const struct hj212_cp *cp,
                                    size_t *frame_len)
{
    if (to->version < 0 || to->version > 63 || !qn.len)
        return HJ212_BAD_VALUE;
    struct hj212_head h = {0};
    h.qn = qn;
    h.st = to->st;
    h.cn = cn;
    h.pw = to->pw;
    h.mn = to->mn;
    h.flag = to->version << HJ212_FLAG_VERSION_SHIFT | HJ212_FLAG_A;
    return hj212_encode_cp(out, cap, &h, cp, frame_len);
}

enum hj212_err hj212_encode_get_time(char *out, size_t cap, const struct hj212_peer *to,
                                     struct hj212_str qn, struct hj212_str polid, size_t *frame_len)
{
    char area[64];
    struct hj212_cp cp;
    hj212_cp_init(&cp, area, sizeof area);
    if (polid.len)
        hj212_cp_add(&cp, "PolId", polid);
    return hj212_request(out, cap, to, qn, 1011, &cp, frame_len);
}

static int hj212_time_valid(const struct hj212_time *t)
{
    char buf[HJ212_TIME_BUF];
    struct hj212_time back;
    size_t n = hj212_time_format(t, 0, buf);
    return hj212_time_parse((struct hj212_str){buf, n}, &back) == 0 && back.year == t->year &&
           back.mon == t->mon && back.day == t->day && back.hour == t->hour && back.min == t->min &&
           back.sec == t->sec;
}

enum hj212_err hj212_encode_set_time(char *out, size_t cap, const struct hj212_peer *to,
                                     struct hj212_str qn, struct hj212_str polid,
                                     const struct hj212_time *now, size_t *frame_len)
{
    if (!hj212_time_valid(now))
        return HJ212_BAD_VALUE;
    char area[96], ts[HJ212_TIME_BUF];
    struct hj212_cp cp;
    hj212_cp_init(&cp, area, sizeof area);
    if (polid.len)
        hj212_cp_add(&cp, "PolId", polid);
    size_t n = hj212_time_format(now, 0, ts);
    hj212_cp_add_sep(&cp, ';', "SystemTime", (struct hj212_str){ts, n});
    return hj212_request(out, cap, to, qn, 1012, &cp, frame_len);
}

static enum hj212_err hj212_encode_interval(char *out, size_t cap, const struct hj212_peer *to,
                                            struct hj212_str qn, int cn, const char *key, int v,
                                            size_t *frame_len)
{
    char area[64], num[16];
    struct hj212_cp cp;
    hj212_cp_init(&cp, area, sizeof area);
    snprintf(num, sizeof num, "%d", v);
    hj212_cp_add(&cp, key, hj212_str_c(num));
    return hj212_request(out, cap, to, qn, cn, &cp, frame_len);
}

enum hj212_err hj212_encode_set_rtd_interval(char *out, size_t cap, const struct hj212_peer *to,
                                             struct hj212_str qn, int seconds, size_t *frame_len)
{
    if (seconds < 30 || seconds > 3600)
        return HJ212_BAD_VALUE;
    return hj212_encode_interval(out, cap, to, qn, 1062, "RtdInterval", seconds, frame_len);
}

enum hj212_err hj212_encode_set_min_interval(char *out, size_t cap, const struct hj212_peer *to,
                                             struct hj212_str qn, int minutes, size_t *frame_len)
{
    /* §6.6.3 Table 4: the minute interval must divide the hour evenly. */
    static const int allowed[] = {1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30};
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        if (allowed[i] == minutes)
            return hj212_encode_interval(out, cap, to, qn, 1064, "MinInterval", minutes, frame_len);
    return HJ212_BAD_VALUE;
}

enum hj212_err hj212_encode_history(char *out, size_t cap, const struct hj212_peer *to,
                                    struct hj212_str qn, int cn, const struct hj212_time *begin,
                                    const struct hj212_time *end, size_t *frame_len)
{
    if (cn != 2031 && cn != 2041 && cn != 2051 && cn != 2061)
        return HJ212_BAD_VALUE;
    if (!hj212_time_valid(begin) || !hj212_time_valid(end) ||
        hj212_time_to_unix(begin) > hj212_time_to_unix(end))
        return HJ212_BAD_VALUE;
    char area[96], b[HJ212_TIME_BUF], e[HJ212_TIME_BUF];
    size_t bn = hj212_time_format(begin, 0, b);
    size_t en = hj212_time_format(end, 0, e);
    struct hj212_cp cp;
    hj212_cp_init(&cp, area, sizeof area);
    hj212_cp_add(&cp, "BeginTime", (struct hj212_str){b, bn});
    /* 2017 separates the two items with ';', the 2005 examples with ',' */
    hj212_cp_add_sep(&cp, to->version == 0 ? ',' : ';', "EndTime", (struct hj212_str){e, en});
    return hj212_request(out, cap, to, qn, cn, &cp, frame_len);
}
