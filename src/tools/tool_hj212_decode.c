/* tool_hj212_decode — `ecogov hj212 decode`; see tool_hj212_decode.h. */
#include "tools/tool_hj212_decode.h"

#include "core/xalloc.h"
#include "domain/hj212.h"
#include "tools/tool_jsonw.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bytes read at a time. The tail kept between reads is at most one frame (hj212_scan's
 * contract), so the buffer is a chunk plus the largest frame. */
#define TOOL_HJ212_CHUNK (1u << 20)
/* A regular file of up to this many bytes is mapped instead of read: no copy by the kernel
 * (7-9 % of the tool's time), the pages entered all at once (MAP_POPULATE). */
#define TOOL_HJ212_MAP_MAX ((size_t)1 << 30)
/* A frame whose JSON is bounded by at most this without looking at its items (half of
 * tool_jsonw's buffer: a flush comes that much earlier at most). */
#define TOOL_HJ212_QUICK_BOUND (1u << 19)

struct tool_hj212_decode {
    size_t max_frame;
    int items;
    int rejected;
    struct hj212_msg *msg;
    struct tool_jsonw w;
    char *scratch;     /* a log value between its "//", or a key repaired for comparison */
    char *scratch2;    /* the other key of a comparison */
    uint32_t *claimed; /* per CP item: claimed (a value's Flag or EFlag, listed with the
                        * value) when it holds the current frame's stamp */
    uint32_t stamp;    /* changes per frame: no clearing of claimed */
    uint16_t *plain;   /* the plain (not factor) items, in order, and their count */
    size_t n_plain;
};

/* ---- pieces: each writes through the cursor o and returns it ---- */

/* A string of the frame (every one is a slice of its data segment, or a log value between
 * "//"): copied when the segment holds no byte to escape or check (nearly every frame), so
 * that each string is not tested on its own. */
static inline __attribute__((always_inline)) char *tool_hj212_str(int clean, char *o, const char *s,
                                                                  size_t n)
{
    return clean ? tool_jsonw_str_clean(o, s, n) : tool_jsonw_str(o, s, n);
}

static inline __attribute__((always_inline)) char *tool_hj212_slice(int clean, char *o,
                                                                    struct hj212_str s)
{
    return s.ptr ? tool_hj212_str(clean, o, s.ptr, s.len) : tool_jsonw_lit(o, "null");
}

/* A CP value for "cp" and "items": log text keeps its // delimiters there. */
static inline __attribute__((always_inline)) char *
tool_hj212_value(struct tool_hj212_decode *d, int clean, char *o, const struct hj212_item *it)
{
    if (!it->is_log)
        return tool_hj212_str(clean, o, it->value.ptr, it->value.len);
    memcpy(d->scratch, "//", 2);
    memcpy(d->scratch + 2, it->value.ptr, it->value.len);
    memcpy(d->scratch + 2 + it->value.len, "//", 2);
    return tool_hj212_str(clean, o, d->scratch, it->value.len + 4);
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

static char *tool_hj212_eol(char *o, enum hj212_eol eol)
{
    switch (eol) {
    case HJ212_EOL_CRLF:
        return tool_jsonw_lit(o, "\"crlf\"");
    case HJ212_EOL_LF:
        return tool_jsonw_lit(o, "\"lf\"");
    case HJ212_EOL_CR:
        return tool_jsonw_lit(o, "\"cr\"");
    case HJ212_EOL_NONE:
        break;
    }
    return tool_jsonw_lit(o, "\"none\"");
}

/* ,"edition":"2005" (hj212_edition_name's names, each a literal: no strlen per frame) */
static char *tool_hj212_edition(char *o, enum hj212_edition ed)
{
    switch (ed) {
    case HJ212_EDITION_2005:
        return tool_jsonw_lit(o, ",\"edition\":\"2005\"");
    case HJ212_EDITION_2017:
        return tool_jsonw_lit(o, ",\"edition\":\"2017\"");
    case HJ212_EDITION_NEWER:
        break;
    }
    return tool_jsonw_lit(o, ",\"edition\":\"unknown\"");
}

/* "YYYY-MM-DDThh:mm:ss+08:00" of a DataTime that hj212_time_parse accepted: its fields are
 * exactly its digits, so they are copied from the text as sent (milliseconds dropped). */
static char *tool_hj212_iso(char *o, struct hj212_str dt)
{
    /* onto the template written out first: built on the stack and then copied, the digits'
     * narrow stores could not be forwarded to the wide loads of the copy (3 % of the tool) */
    const char *r = dt.ptr;
    o = tool_jsonw_lit(o, "\"0000-00-00T00:00:00+08:00\"");
    memcpy(o - 26, r, 4);
    memcpy(o - 21, r + 4, 2);
    memcpy(o - 18, r + 6, 2);
    memcpy(o - 15, r + 8, 2);
    memcpy(o - 12, r + 10, 2);
    memcpy(o - 9, r + 12, 2);
    return o;
}

/* One pass over the items for "cp" and "values": which flags values claim, and which items
 * are plain. Without branches (which items have flags, and where the plain ones are,
 * changes from device to device): an item with no flag marks the spare slot after the
 * items, and every index is written to the plain list, kept when the item is plain. */
static void tool_hj212_sort_items(struct tool_hj212_decode *d)
{
    const struct hj212_msg *m = d->msg;
    if (++d->stamp == 0) { /* after 2^32 frames: the old stamps could come back */
        memset(d->claimed, 0, (HJ212_ITEMS_MAX + 1) * sizeof *d->claimed);
        d->stamp = 1;
    }
    uint32_t stamp = d->stamp;
    size_t np = 0;
    for (size_t i = 0; i < m->n_items; i++) {
        const struct hj212_item *it = &m->items[i];
        int16_t f = it->flag_idx, e = it->eflag_idx;
        d->claimed[f >= 0 ? (size_t)f : HJ212_ITEMS_MAX] = stamp;
        d->claimed[e >= 0 ? (size_t)e : HJ212_ITEMS_MAX] = stamp;
        d->plain[np] = (uint16_t)i;
        np += it->code.len == 0;
    }
    d->n_plain = np;
}

/* A string of a clean frame without its quotes, which the literals around it carry (two
 * byte stores fewer per string); tool_jsonw_str_clean's copy. */
static inline char *tool_hj212_raw(char *o, const char *s, size_t n)
{
    tool_jsonw_copy(o, s, n);
    return o + n;
}

/* One object of "values" of a clean frame: the bytes of the general loop below. */
static char *tool_hj212_value_clean(const struct hj212_msg *m, const struct hj212_item *it, char *o)
{
    o = tool_jsonw_lit(o, "{\"code\":\"");
    o = tool_hj212_raw(o, it->code.ptr, it->code.len);
    o = tool_jsonw_lit(o, "\",\"field\":\"");
    o = tool_hj212_raw(o, it->field.ptr, it->field.len);
    o = tool_jsonw_lit(o, "\",\"value\":\"");
    o = tool_hj212_raw(o, it->value.ptr, it->value.len);
    if (it->flag_idx >= 0) {
        const struct hj212_item *f = &m->items[it->flag_idx];
        o = tool_jsonw_lit(o, "\",\"flag\":\"");
        o = tool_hj212_raw(o, f->value.ptr, f->value.len);
    }
    if (it->eflag_idx >= 0) {
        const struct hj212_item *f = &m->items[it->eflag_idx];
        o = tool_jsonw_lit(o, "\",\"eflag\":\"");
        o = tool_hj212_raw(o, f->value.ptr, f->value.len);
    }
    return it->is_log ? tool_jsonw_lit(o, "\",\"log\":true}") : tool_jsonw_lit(o, "\"}");
}

/* "values": factor items with their flags; a Flag or EFlag item is listed on its own only
 * when no value claims it. */
static inline __attribute__((always_inline)) char *tool_hj212_values(struct tool_hj212_decode *d,
                                                                     int clean, char *o)
{
    const struct hj212_msg *m = d->msg;
    o = tool_jsonw_lit(o, ",\"values\":[");
    int first = 1;
    for (size_t i = 0; i < m->n_items; i++) {
        const struct hj212_item *it = &m->items[i];
        /* only Flag and EFlag items are ever claimed (hj212_parse links values to nothing
         * else), so a claimed item is a flag listed with its value */
        if (!it->code.len || d->claimed[i] == d->stamp)
            continue;
        if (!first)
            o = tool_jsonw_lit(o, ",");
        first = 0;
        if (clean) {
            o = tool_hj212_value_clean(m, it, o);
            continue;
        }
        o = tool_jsonw_lit(o, "{\"code\":");
        o = tool_hj212_str(clean, o, it->code.ptr, it->code.len);
        o = tool_jsonw_lit(o, ",\"field\":");
        o = tool_hj212_str(clean, o, it->field.ptr, it->field.len);
        o = tool_jsonw_lit(o, ",\"value\":");
        o = tool_hj212_str(clean, o, it->value.ptr, it->value.len);
        if (it->flag_idx >= 0) {
            const struct hj212_item *f = &m->items[it->flag_idx];
            o = tool_jsonw_lit(o, ",\"flag\":");
            o = tool_hj212_str(clean, o, f->value.ptr, f->value.len);
        }
        if (it->eflag_idx >= 0) {
            const struct hj212_item *f = &m->items[it->eflag_idx];
            o = tool_jsonw_lit(o, ",\"eflag\":");
            o = tool_hj212_str(clean, o, f->value.ptr, f->value.len);
        }
        if (it->is_log)
            o = tool_jsonw_lit(o, ",\"log\":true");
        o = tool_jsonw_lit(o, "}");
    }
    return tool_jsonw_lit(o, "]");
}

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

/* "header": the items that are not one of the standard's eight keys, first occurrence of a
 * key wins; nothing when there are none. */
static inline __attribute__((always_inline)) char *tool_hj212_header(struct tool_hj212_decode *d,
                                                                     int clean, char *o)
{
    const struct hj212_msg *m = d->msg;
    /* The usual header: as many items as known keys present (the parser refuses a known
     * key given twice), so none is unknown. */
    size_t known = (m->qn.ptr != NULL) + (m->st.ptr != NULL) + (m->cn.ptr != NULL) +
                   (m->pw.ptr != NULL) + (m->mn.ptr != NULL) + (m->flag_str.ptr != NULL) +
                   (m->pnum_str.ptr != NULL) + (m->pno_str.ptr != NULL);
    if (known == m->n_head)
        return o;
    int first = 1;
    for (size_t i = 0; i < m->n_head; i++) {
        int skip = tool_hj212_known_key(m->head[i].key);
        for (size_t j = 0; j < i && !skip; j++)
            skip = !tool_hj212_known_key(m->head[j].key) &&
                   tool_hj212_same_key(d, m->head[j].key, m->head[i].key);
        if (skip)
            continue;
        o = first ? tool_jsonw_lit(o, ",\"header\":{") : tool_jsonw_lit(o, ",");
        first = 0;
        o = tool_hj212_str(clean, o, m->head[i].key.ptr, m->head[i].key.len);
        o = tool_jsonw_lit(o, ":");
        o = tool_hj212_slice(clean, o, m->head[i].value);
    }
    return first ? o : tool_jsonw_lit(o, "}");
}

/* "cp": the plain (not factor) items by key, first occurrence of a key wins. */
static inline __attribute__((always_inline)) char *tool_hj212_cp(struct tool_hj212_decode *d,
                                                                 int clean, char *o)
{
    const struct hj212_msg *m = d->msg;
    o = tool_jsonw_lit(o, ",\"cp\":{");
    int first = 1;
    for (size_t p = 0; p < d->n_plain; p++) {
        const struct hj212_item *it = &m->items[d->plain[p]];
        int dup = 0;
        for (size_t q = 0; q < p && !dup; q++)
            dup = tool_hj212_same_key(d, m->items[d->plain[q]].key, it->key);
        if (dup)
            continue;
        if (!first)
            o = tool_jsonw_lit(o, ",");
        first = 0;
        o = tool_hj212_str(clean, o, it->key.ptr, it->key.len);
        o = tool_jsonw_lit(o, ":");
        o = tool_hj212_value(d, clean, o, it);
    }
    return tool_jsonw_lit(o, "}");
}

/* Room the JSON of a decoded frame can take at most: every string byte escaped (6 bytes),
 * each item written in "cp" or "values" and in "items", a flag repeated for every value
 * that claims it, and the fixed keys and numbers. */
static size_t tool_hj212_bound(const struct hj212_msg *m, size_t data_len)
{
    /* Without a look at the items when that is small: the header's and the items' keys and
     * values are disjoint slices of the segment (data_len bytes in all, 6 per byte in each of
     * two copies, for the header and for the items) and a flag's value is at most data_len
     * bytes; the rest is the loop's constants per header item and per item, with room for
     * two flags. Nearly every real frame (300 bytes and 15 items: ~70 KB) is this case. */
    size_t quick =
        1024 + 24 * data_len + m->n_head * (2 * TOOL_JSONW_STR_MAX(0) + 8) +
        m->n_items * (2 * TOOL_JSONW_STR_MAX(4) + 64 + 2 * (TOOL_JSONW_STR_MAX(data_len) + 16));
    if (quick <= TOOL_HJ212_QUICK_BOUND)
        return quick;
    size_t n = 1024;
    for (size_t i = 0; i < m->n_head; i++)
        n += 2 * TOOL_JSONW_STR_MAX(m->head[i].key.len + m->head[i].value.len) + 8;
    for (size_t i = 0; i < m->n_items; i++) {
        const struct hj212_item *it = &m->items[i];
        n += 2 * TOOL_JSONW_STR_MAX(it->key.len + it->value.len + 4) + 64;
        /* a flag's value as often as values claim it; selects, not branches */
        size_t f = it->flag_idx >= 0 ? (size_t)it->flag_idx : i;
        size_t e = it->eflag_idx >= 0 ? (size_t)it->eflag_idx : i;
        n += TOOL_JSONW_STR_MAX(m->items[f].value.len) + 16;
        n += TOOL_JSONW_STR_MAX(m->items[e].value.len) + 16;
    }
    return n;
}

/* A frame that decoded: the object docs/hj212.md describes, keys in this order. Compiled
 * twice: for clean frames (clean the constant 1: each string a copy, with no test of a
 * flag that, kept in memory, had to be reloaded after every store through the cursor) and
 * for the others. */
static inline __attribute__((always_inline)) void
tool_hj212_frame(struct tool_hj212_decode *d, size_t offset, const struct hj212_frame_ref *ref,
                 int clean)
{
    const struct hj212_msg *m = d->msg;
    char *o = tool_jsonw_begin(&d->w, tool_hj212_bound(m, ref->data_len));
    o = tool_jsonw_lit(o, "{\"ok\":true,\"offset\":");
    o = tool_jsonw_int(o, (int64_t)offset);
    o = tool_jsonw_lit(o, ",\"length\":");
    o = tool_jsonw_int(o, (int64_t)ref->frame_len);
    o = tool_jsonw_lit(o, ",\"eol\":");
    o = tool_hj212_eol(o, ref->eol);
    o = tool_hj212_edition(o, m->edition);
    o = tool_jsonw_lit(o, ",\"version\":");
    o = m->has_flag ? tool_jsonw_int(o, m->version) : tool_jsonw_lit(o, "null");
    o = tool_jsonw_lit(o, ",\"qn\":");
    o = tool_hj212_slice(clean, o, m->qn);
    o = tool_jsonw_lit(o, ",\"st\":");
    o = tool_hj212_slice(clean, o, m->st);
    o = tool_jsonw_lit(o, ",\"cn\":");
    o = tool_hj212_slice(clean, o, m->cn);
    o = tool_jsonw_lit(o, ",\"pw\":");
    o = tool_hj212_slice(clean, o, m->pw);
    o = tool_jsonw_lit(o, ",\"mn\":");
    o = tool_hj212_slice(clean, o, m->mn);
    o = tool_jsonw_lit(o, ",\"flag\":");
    o = m->has_flag ? tool_jsonw_int(o, m->flag) : tool_jsonw_lit(o, "null");
    o = hj212_msg_wants_ack(m) ? tool_jsonw_lit(o, ",\"ack\":true")
                               : tool_jsonw_lit(o, ",\"ack\":false");
    if (m->has_split) {
        o = tool_jsonw_lit(o, ",\"pnum\":");
        o = tool_jsonw_int(o, m->pnum);
        o = tool_jsonw_lit(o, ",\"pno\":");
        o = tool_jsonw_int(o, m->pno);
    }
    o = tool_jsonw_lit(o, ",\"datatime\":");
    o = m->datatime_ok ? tool_hj212_iso(o, m->datatime) : tool_jsonw_lit(o, "null");
    o = tool_hj212_header(d, clean, o);
    tool_hj212_sort_items(d);
    o = tool_hj212_cp(d, clean, o);
    o = tool_hj212_values(d, clean, o);
    if (d->items) {
        o = tool_jsonw_lit(o, ",\"items\":[");
        for (size_t i = 0; i < m->n_items; i++) {
            o = i ? tool_jsonw_lit(o, ",[") : tool_jsonw_lit(o, "[");
            o = tool_hj212_str(clean, o, m->items[i].key.ptr, m->items[i].key.len);
            o = tool_jsonw_lit(o, ",");
            o = tool_hj212_value(d, clean, o, &m->items[i]);
            o = tool_jsonw_lit(o, "]");
        }
        o = tool_jsonw_lit(o, "]");
    }
    o = tool_jsonw_lit(o, "}\n");
    tool_jsonw_end(&d->w, o);
}

static void tool_hj212_good(struct tool_hj212_decode *d, size_t offset,
                            const struct hj212_frame_ref *ref)
{
    if (tool_jsonw_clean(ref->data, ref->data_len))
        tool_hj212_frame(d, offset, ref, 1);
    else
        tool_hj212_frame(d, offset, ref, 0);
}

static char *tool_hj212_reject_head(char *o, size_t offset, enum hj212_err err)
{
    o = tool_jsonw_lit(o, "{\"ok\":false,\"offset\":");
    o = tool_jsonw_int(o, (int64_t)offset);
    o = tool_jsonw_lit(o, ",\"error\":\"");
    const char *name = hj212_err_name(err);
    o = tool_jsonw_put(o, name, strlen(name));
    return tool_jsonw_lit(o, "\"");
}

static char *tool_hj212_hex4(char *o, uint16_t v)
{
    static const char hex[] = "0123456789ABCDEF";
    char s[6] = {'"', hex[v >> 12], hex[v >> 8 & 15], hex[v >> 4 & 15], hex[v & 15], '"'};
    return tool_jsonw_put(o, s, sizeof s);
}

/* Reports one scan result. */
static void tool_hj212_report(struct tool_hj212_decode *d, size_t base,
                              const struct hj212_frame_ref *ref)
{
    size_t offset = base + ref->offset;
    if (ref->status == HJ212_MORE)
        return;
    enum hj212_err err = ref->status;
    if (err == HJ212_OK) {
        err = hj212_parse(ref->data, ref->data_len, d->msg);
        if (err == HJ212_OK) {
            tool_hj212_good(d, offset, ref);
            return;
        }
    }
    /* a rejection: {"ok":false,"offset","error"} and the CRCs or where parsing stopped */
    d->rejected = 1;
    char *o = tool_jsonw_begin(&d->w, 256);
    o = tool_hj212_reject_head(o, offset, err);
    if (err == HJ212_BAD_CRC) {
        o = tool_jsonw_lit(o, ",\"crc\":");
        o = tool_hj212_hex4(o, ref->crc_sent);
        o = tool_jsonw_lit(o, ",\"expected\":");
        o = tool_hj212_hex4(o, ref->crc_calc);
    } else if (ref->status == HJ212_OK) {
        o = tool_jsonw_lit(o, ",\"at\":");
        o = tool_jsonw_int(o, (int64_t)d->msg->err_pos);
    }
    o = tool_jsonw_lit(o, "}\n");
    tool_jsonw_end(&d->w, o);
}

/* A mapped page that cannot be read raises SIGBUS: past the new end of a file that shrank
 * meanwhile, or a disk error. The handler leaves the scan for an I/O error (a read would
 * have returned one). */
static sigjmp_buf tool_hj212_bus_jump;

static void tool_hj212_on_bus(int sig)
{
    (void)sig;
    siglongjmp(tool_hj212_bus_jump, 1);
}

/* Every frame of data[0..len), the whole input (so at end of stream). */
static void tool_hj212_scan_all(struct tool_hj212_decode *d, const char *data, size_t len)
{
    size_t pos = 0;
    while (pos < len && !tool_jsonw_failed(&d->w)) {
        struct hj212_frame_ref ref;
        size_t used = hj212_scan(data + pos, len - pos, d->max_frame, 1, &ref);
        tool_hj212_report(d, pos, &ref);
        pos += used;
    }
}

/* The input from its current offset as a mapping, when it is a regular file of at most
 * TOOL_HJ212_MAP_MAX bytes more: returns 1 when it was decoded so (*rc set on an error), 0
 * when it is to be read instead. The mapping lies in an anonymous one a page longer, so the
 * strings' word-wise copies may read past the file's last byte (tool_jsonw: SLACK). */
static int tool_hj212_decode_mapped(struct tool_hj212_decode *d, FILE *in, int *rc)
{
    int fd = fileno(in);
    struct stat st;
    off_t at = fd >= 0 ? lseek(fd, 0, SEEK_CUR) : -1;
    long page = sysconf(_SC_PAGESIZE);
    if (at < 0 || page <= 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= at ||
        (uint64_t)(st.st_size - at) > TOOL_HJ212_MAP_MAX)
        return 0;
    size_t skip = (size_t)(at % page), len = (size_t)(st.st_size - at) + skip;
    size_t span = (len / (size_t)page + 2) * (size_t)page;
    char *area = mmap(NULL, span, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED)
        return 0;
    if (mmap(area, len, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd, at - (off_t)skip) ==
        MAP_FAILED) {
        munmap(area, span);
        return 0;
    }
    struct sigaction on_bus, before;
    memset(&on_bus, 0, sizeof on_bus);
    on_bus.sa_handler = tool_hj212_on_bus;
    sigemptyset(&on_bus.sa_mask);
    sigaction(SIGBUS, &on_bus, &before);
    if (sigsetjmp(tool_hj212_bus_jump, 1) == 0) {
        tool_hj212_scan_all(d, area + skip, len - skip);
    } else {
        fprintf(stderr, "ecogov hj212: read error (input file truncated or I/O failure)\n");
        *rc = TOOL_HJ212_EXIT_IO;
    }
    sigaction(SIGBUS, &before, NULL);
    munmap(area, span);
    /* stdin left at end of file, as reading it to the end would have (a caller's next
     * command on the same descriptor reads nothing twice) */
    (void)lseek(fd, st.st_size, SEEK_SET);
    return 1;
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
        /* + the slot items without a flag mark; zero: no frame's stamp */
        .claimed = xcalloc(HJ212_ITEMS_MAX + 1, sizeof(uint32_t)),
        .plain = xmalloc(HJ212_ITEMS_MAX * sizeof(uint16_t)),
    };
    tool_jsonw_init(&d.w, out);
    int rc = TOOL_HJ212_EXIT_OK;
    int mapped = tool_hj212_decode_mapped(&d, in, &rc);
    size_t cap = TOOL_HJ212_CHUNK + HJ212_FRAME_MAX_ABS;
    char *buf = mapped ? NULL : xmalloc(cap + TOOL_JSONW_SLACK); /* strings: word-wise copies */
    size_t have = 0, base = 0;
    int eof = mapped;
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
    free(d.plain);
    free(d.claimed);
    free(d.scratch2);
    free(d.scratch);
    free(d.msg);
    return rc;
}
