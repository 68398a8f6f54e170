/* tool_hj212_decode — `ecogov hj212 decode`; see tool_hj212_decode.h. */
#include "tools/tool_hj212_decode.h"

#include "core/xalloc.h"
#include "domain/hj212.h"
#include "tools/tool_jsonw.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Bytes read at a time. The tail kept between reads is at most one frame (hj212_scan's
 * contract), so the buffer is a chunk plus the largest frame. */
#define TOOL_HJ212_CHUNK (1u << 20)

struct tool_hj212_decode {
    size_t max_frame;
    int items;
    int rejected;
    struct hj212_msg *msg;
    struct tool_jsonw w;
    char *scratch;    /* a log value between its "//", or a key repaired for comparison */
    char *scratch2;   /* the other key of a comparison */
    uint8_t *claimed; /* per CP item: a value's Flag or EFlag (listed with the value) */
};

/* ---- pieces ---- */

static void tool_hj212_slice(struct tool_jsonw *w, struct hj212_str s)
{
    if (s.ptr)
        tool_jsonw_str(w, s.ptr, s.len);
    else
        tool_jsonw_lit(w, "null");
}

/* A CP value for "cp" and "items": log text keeps its // delimiters there. */
static void tool_hj212_value(struct tool_hj212_decode *d, const struct hj212_item *it)
{
    if (!it->is_log) {
        tool_jsonw_str(&d->w, it->value.ptr, it->value.len);
        return;
    }
    memcpy(d->scratch, "//", 2);
    memcpy(d->scratch + 2, it->value.ptr, it->value.len);
    memcpy(d->scratch + 2 + it->value.len, "//", 2);
    tool_jsonw_str(&d->w, d->scratch, it->value.len + 4);
}

static int tool_hj212_ascii(struct hj212_str s)
{
    for (size_t i = 0; i < s.len; i++)
        if ((unsigned char)s.ptr[i] >= 0x80)
            return 0;
    return 1;
}

/* 1 when a and b are the same JSON key: equal bytes, or (only possible with bytes that
 * are not UTF-8) equal after the repair every string goes through. */
static int tool_hj212_same_key(struct tool_hj212_decode *d, struct hj212_str a, struct hj212_str b)
{
    if (a.len == b.len && !memcmp(a.ptr, b.ptr, a.len))
        return 1;
    if (tool_hj212_ascii(a) && tool_hj212_ascii(b))
        return 0;
    size_t na = tool_jsonw_repair(a.ptr, a.len, d->scratch);
    size_t nb = tool_jsonw_repair(b.ptr, b.len, d->scratch2);
    return na == nb && !memcmp(d->scratch, d->scratch2, na);
}

static const char *tool_hj212_eol_name(enum hj212_eol eol)
{
    switch (eol) {
    case HJ212_EOL_CRLF:
        return "\"crlf\"";
    case HJ212_EOL_LF:
        return "\"lf\"";
    case HJ212_EOL_CR:
        return "\"cr\"";
    case HJ212_EOL_NONE:
        break;
    }
    return "\"none\"";
}

static void tool_hj212_digits(char *o, int v, int width)
{
    for (int i = width; i-- > 0;) {
        o[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

/* "YYYY-MM-DDThh:mm:ss+08:00" of a parsed DataTime (fields in range: hj212_time_parse). */
static void tool_hj212_iso(struct tool_jsonw *w, const struct hj212_time *t)
{
    char iso[] = "\"0000-00-00T00:00:00+08:00\"";
    tool_hj212_digits(iso + 1, t->year, 4);
    tool_hj212_digits(iso + 6, t->mon, 2);
    tool_hj212_digits(iso + 9, t->day, 2);
    tool_hj212_digits(iso + 12, t->hour, 2);
    tool_hj212_digits(iso + 15, t->min, 2);
    tool_hj212_digits(iso + 18, t->sec, 2);
    tool_jsonw_raw(w, iso, sizeof iso - 1);
}

static int tool_hj212_is_flag(const struct hj212_item *it)
{
    return hj212_str_eq_nocase(it->field, "Flag") || hj212_str_eq_nocase(it->field, "EFlag");
}

/* "values": factor items with their flags; a Flag or EFlag item is listed on its own only
 * when no value claims it. */
static void tool_hj212_values(struct tool_hj212_decode *d)
{
    const struct hj212_msg *m = d->msg;
    struct tool_jsonw *w = &d->w;
    memset(d->claimed, 0, m->n_items);
    for (size_t i = 0; i < m->n_items; i++) {
        if (m->items[i].flag_idx >= 0)
            d->claimed[m->items[i].flag_idx] = 1;
        if (m->items[i].eflag_idx >= 0)
            d->claimed[m->items[i].eflag_idx] = 1;
    }
    tool_jsonw_lit(w, "\"values\":[");
    int first = 1;
    for (size_t i = 0; i < m->n_items; i++) {
        const struct hj212_item *it = &m->items[i];
        if (!it->code.len || (d->claimed[i] && tool_hj212_is_flag(it)))
            continue;
        if (!first)
            tool_jsonw_lit(w, ",");
        first = 0;
        tool_jsonw_lit(w, "{\"code\":");
        tool_jsonw_str(w, it->code.ptr, it->code.len);
        tool_jsonw_lit(w, ",\"field\":");
        tool_jsonw_str(w, it->field.ptr, it->field.len);
        tool_jsonw_lit(w, ",\"value\":");
        tool_jsonw_str(w, it->value.ptr, it->value.len);
        if (it->flag_idx >= 0) {
            const struct hj212_item *f = &m->items[it->flag_idx];
            tool_jsonw_lit(w, ",\"flag\":");
            tool_jsonw_str(w, f->value.ptr, f->value.len);
        }
        if (it->eflag_idx >= 0) {
            const struct hj212_item *f = &m->items[it->eflag_idx];
            tool_jsonw_lit(w, ",\"eflag\":");
            tool_jsonw_str(w, f->value.ptr, f->value.len);
        }
        if (it->is_log)
            tool_jsonw_lit(w, ",\"log\":true");
        tool_jsonw_lit(w, "}");
    }
    tool_jsonw_lit(w, "]");
}

/* "header": the items that are not one of the standard's eight keys, first occurrence of a
 * key wins; nothing when there are none. */
/* 1 for the standard's eight header keys, in any case: QN ST CN PW MN Flag PNUM PNO. */
static int tool_hj212_known_key(struct hj212_str k)
{
    static const char *const known[] = {"QN", "ST", "CN", "PW", "MN", "Flag", "PNUM", "PNO"};
    if (k.len < 2 || k.len > 4)
        return 0;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (hj212_str_eq_nocase(k, known[i]))
            return 1;
    return 0;
}

static void tool_hj212_header(struct tool_hj212_decode *d)
{
    const struct hj212_msg *m = d->msg;
    /* The usual header: as many items as known keys present (the parser refuses a known
     * key given twice), so none is unknown. */
    size_t known = (m->qn.ptr != NULL) + (m->st.ptr != NULL) + (m->cn.ptr != NULL) +
                   (m->pw.ptr != NULL) + (m->mn.ptr != NULL) + (m->flag_str.ptr != NULL) +
                   (m->pnum_str.ptr != NULL) + (m->pno_str.ptr != NULL);
    if (known == m->n_head)
        return;
    int first = 1;
    for (size_t i = 0; i < m->n_head; i++) {
        int skip = tool_hj212_known_key(m->head[i].key);
        for (size_t j = 0; j < i && !skip; j++)
            skip = !tool_hj212_known_key(m->head[j].key) &&
                   tool_hj212_same_key(d, m->head[j].key, m->head[i].key);
        if (skip)
            continue;
        if (first)
            tool_jsonw_lit(&d->w, ",\"header\":{");
        else
            tool_jsonw_lit(&d->w, ",");
        first = 0;
        tool_jsonw_str(&d->w, m->head[i].key.ptr, m->head[i].key.len);
        tool_jsonw_lit(&d->w, ":");
        tool_hj212_slice(&d->w, m->head[i].value);
    }
    if (!first)
        tool_jsonw_lit(&d->w, "}");
}

/* "cp": the plain (not factor) items by key, first occurrence of a key wins. */
static void tool_hj212_cp(struct tool_hj212_decode *d)
{
    const struct hj212_msg *m = d->msg;
    tool_jsonw_lit(&d->w, ",\"cp\":{");
    int first = 1;
    for (size_t i = 0; i < m->n_items; i++) {
        const struct hj212_item *it = &m->items[i];
        if (it->code.len)
            continue;
        int dup = 0;
        for (size_t j = 0; j < i && !dup; j++)
            dup = !m->items[j].code.len && tool_hj212_same_key(d, m->items[j].key, it->key);
        if (dup)
            continue;
        if (!first)
            tool_jsonw_lit(&d->w, ",");
        first = 0;
        tool_jsonw_str(&d->w, it->key.ptr, it->key.len);
        tool_jsonw_lit(&d->w, ":");
        tool_hj212_value(d, it);
    }
    tool_jsonw_lit(&d->w, "}");
}

/* A frame that decoded: the object docs/hj212.md describes, keys in this order. */
static void tool_hj212_good(struct tool_hj212_decode *d, size_t offset,
                            const struct hj212_frame_ref *ref)
{
    const struct hj212_msg *m = d->msg;
    struct tool_jsonw *w = &d->w;
    tool_jsonw_lit(w, "{\"ok\":true,\"offset\":");
    tool_jsonw_int(w, (int64_t)offset);
    tool_jsonw_lit(w, ",\"length\":");
    tool_jsonw_int(w, (int64_t)ref->frame_len);
    tool_jsonw_lit(w, ",\"eol\":");
    const char *eol = tool_hj212_eol_name(ref->eol);
    tool_jsonw_raw(w, eol, strlen(eol));
    tool_jsonw_lit(w, ",\"edition\":\"");
    const char *ed = hj212_edition_name(m->edition);
    tool_jsonw_raw(w, ed, strlen(ed));
    tool_jsonw_lit(w, "\",\"version\":");
    if (m->has_flag)
        tool_jsonw_int(w, m->version);
    else
        tool_jsonw_lit(w, "null");
    tool_jsonw_lit(w, ",\"qn\":");
    tool_hj212_slice(w, m->qn);
    tool_jsonw_lit(w, ",\"st\":");
    tool_hj212_slice(w, m->st);
    tool_jsonw_lit(w, ",\"cn\":");
    tool_hj212_slice(w, m->cn);
    tool_jsonw_lit(w, ",\"pw\":");
    tool_hj212_slice(w, m->pw);
    tool_jsonw_lit(w, ",\"mn\":");
    tool_hj212_slice(w, m->mn);
    tool_jsonw_lit(w, ",\"flag\":");
    if (m->has_flag)
        tool_jsonw_int(w, m->flag);
    else
        tool_jsonw_lit(w, "null");
    if (hj212_msg_wants_ack(m))
        tool_jsonw_lit(w, ",\"ack\":true");
    else
        tool_jsonw_lit(w, ",\"ack\":false");
    if (m->has_split) {
        tool_jsonw_lit(w, ",\"pnum\":");
        tool_jsonw_int(w, m->pnum);
        tool_jsonw_lit(w, ",\"pno\":");
        tool_jsonw_int(w, m->pno);
    }
    tool_jsonw_lit(w, ",\"datatime\":");
    if (m->datatime_ok)
        tool_hj212_iso(w, &m->dt);
    else
        tool_jsonw_lit(w, "null");
    tool_hj212_header(d);
    tool_hj212_cp(d);
    tool_jsonw_lit(w, ",");
    tool_hj212_values(d);
    if (d->items) {
        tool_jsonw_lit(w, ",\"items\":[");
        for (size_t i = 0; i < m->n_items; i++) {
            if (i)
                tool_jsonw_lit(w, ",");
            tool_jsonw_lit(w, "[");
            tool_jsonw_str(w, m->items[i].key.ptr, m->items[i].key.len);
            tool_jsonw_lit(w, ",");
            tool_hj212_value(d, &m->items[i]);
            tool_jsonw_lit(w, "]");
        }
        tool_jsonw_lit(w, "]");
    }
    tool_jsonw_lit(w, "}\n");
}

static void tool_hj212_reject_head(struct tool_jsonw *w, size_t offset, enum hj212_err err)
{
    tool_jsonw_lit(w, "{\"ok\":false,\"offset\":");
    tool_jsonw_int(w, (int64_t)offset);
    tool_jsonw_lit(w, ",\"error\":\"");
    const char *name = hj212_err_name(err);
    tool_jsonw_raw(w, name, strlen(name));
    tool_jsonw_lit(w, "\"");
}

static void tool_hj212_hex4(struct tool_jsonw *w, uint16_t v)
{
    static const char hex[] = "0123456789ABCDEF";
    char s[6] = {'"', hex[v >> 12], hex[v >> 8 & 15], hex[v >> 4 & 15], hex[v & 15], '"'};
    tool_jsonw_raw(w, s, sizeof s);
}

/* Reports one scan result. */
static void tool_hj212_report(struct tool_hj212_decode *d, size_t base,
                              const struct hj212_frame_ref *ref)
{
    size_t offset = base + ref->offset;
    if (ref->status == HJ212_MORE)
        return;
    if (ref->status != HJ212_OK) {
        d->rejected = 1;
        tool_hj212_reject_head(&d->w, offset, ref->status);
        if (ref->status == HJ212_BAD_CRC) {
            tool_jsonw_lit(&d->w, ",\"crc\":");
            tool_hj212_hex4(&d->w, ref->crc_sent);
            tool_jsonw_lit(&d->w, ",\"expected\":");
            tool_hj212_hex4(&d->w, ref->crc_calc);
        }
        tool_jsonw_lit(&d->w, "}\n");
        return;
    }
    enum hj212_err err = hj212_parse(ref->data, ref->data_len, d->msg);
    if (err != HJ212_OK) {
        d->rejected = 1;
        tool_hj212_reject_head(&d->w, offset, err);
        tool_jsonw_lit(&d->w, ",\"at\":");
        tool_jsonw_int(&d->w, (int64_t)d->msg->err_pos);
        tool_jsonw_lit(&d->w, "}\n");
        return;
    }
    tool_hj212_good(d, offset, ref);
}

int tool_hj212_decode_run(FILE *in, FILE *out, size_t max_frame, int items)
{
    struct tool_hj212_decode d = {
        .max_frame = max_frame,
        .items = items,
        .msg = xmalloc(sizeof(struct hj212_msg)),
        /* a key or a log value with its four slashes, repaired: 3 bytes per byte at most */
        .scratch = xmalloc(3 * (HJ212_DATA_MAX_ABS + 4) + TOOL_JSONW_SLACK),
        .scratch2 = xmalloc(3 * (HJ212_DATA_MAX_ABS + 4)),
        .claimed = xmalloc(HJ212_ITEMS_MAX),
    };
    tool_jsonw_init(&d.w, out);
    size_t cap = TOOL_HJ212_CHUNK + HJ212_FRAME_MAX_ABS;
    char *buf = xmalloc(cap + TOOL_JSONW_SLACK); /* strings are copied a word at a time */
    size_t have = 0, base = 0;
    int eof = 0, rc = TOOL_HJ212_EXIT_OK;
    while (!eof || have) {
        if (!eof) {
            size_t n = fread(buf + have, 1, cap - have, in);
            have += n;
            if (n == 0) {
                if (ferror(in)) {
                    fprintf(stderr, "ecogov hj212: read: %s\n", strerror(errno));
                    rc = TOOL_HJ212_EXIT_IO;
                    break;
                }
                eof = 1;
            }
        }
        size_t pos = 0;
        for (;;) {
            struct hj212_frame_ref ref;
            size_t used = hj212_scan(buf + pos, have - pos, d.max_frame, eof, &ref);
            tool_hj212_report(&d, base + pos, &ref);
            pos += used;
            if (ref.status == HJ212_MORE || ref.status == HJ212_TRUNCATED || pos == have)
                break;
        }
        if (tool_jsonw_failed(&d.w))
            break;
        memmove(buf, buf + pos, have - pos);
        have -= pos;
        base += pos;
        if (eof && have) /* cannot happen: at end of stream hj212_scan consumes everything */
            break;
    }
    if (rc == TOOL_HJ212_EXIT_OK && d.rejected)
        rc = TOOL_HJ212_EXIT_REJECTED;
    if ((tool_jsonw_close(&d.w) != 0 || fflush(out) != 0) && rc != TOOL_HJ212_EXIT_IO) {
        fprintf(stderr, "ecogov hj212: write: %s\n", strerror(errno));
        rc = TOOL_HJ212_EXIT_IO;
    }
    free(buf);
    free(d.claimed);
    free(d.scratch2);
    free(d.scratch);
    free(d.msg);
    return rc;
}
