/* siting_report — see siting_internal.h. A check's report, from its results
 * (struct siting_outcome), by two writers: as JSON text straight into memory
 * (bulk checks: the tree's allocations and hash inserts, 13 keys a unit, were
 * a third of a full check's time, docs/performance.md, siting), each unit's
 * entry in one go after making room for its worst case, core/json_text.h
 * escaping every string; and as a jansson tree for the approval module, which
 * adds to it (reading the text back would cost more than building the tree).
 * The unit tests hold the two to the same keys, order and values. */
#include "core/json_text.h"
#include "core/xalloc.h"
#include "core/text.h"
#include "domain/industry.h"
#include "domain/siting_internal.h"

#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* Room for an entry's keys, punctuation and numbers (about 250 bytes). */
#define REPORT_FIXED_ROOM 512
#define REPORT_REASON_MAX 512

/* Copies a string constant that needs no escaping (keys, punctuation). */
#define REPORT_LIT(o, lit) (memcpy((o), (lit), sizeof(lit) - 1), (o) + sizeof(lit) - 1)

static char *report_string(char *o, const char *s)
{
    return s ? json_text_put_string(o, s, strlen(s)) : REPORT_LIT(o, "\"\"");
}

static size_t report_room(const char *s)
{
    return JSON_TEXT_STRING_MAX(s ? strlen(s) : 0);
}

#define REPORT_NOTE "系统辅助研判结果，需人工复核"

static const char *report_conclusion(enum siting_verdict v)
{
    return v == SITING_PROHIBIT ? "不符合" : v == SITING_ALLOW ? "符合" : "需进一步论证";
}

static const char *report_worst_conclusion(enum siting_verdict worst)
{
    return worst == SITING_NONE ? "需进一步论证（未落入任何管控单元）" : report_conclusion(worst);
}

/* The reason's text either side of the industry code: for rule r (its
 * kind's word), or for no rule (r NULL). */
static void report_reason_parts(const struct siting_rule *r, const char **head, const char **mid,
                                const char **tail)
{
    if (r) {
        *head = r->ref ? r->ref : "", *mid = r->prohibit ? "：禁止" : "：限制";
        *tail = r->condition && *r->condition ? "（条件见条款）" : "";
    } else {
        *head = "准入清单未对行业 ", *mid = "", *tail = " 设禁止或限制条款";
    }
}

/* Appends s to the reason, cut where the reason's bytes run out (as snprintf
 * into a fixed buffer would cut it). */
static size_t report_cat(char *reason, size_t len, const char *s)
{
    if (!s) /* a rule without a clause reference */
        return len;
    size_t n = strlen(s);
    if (n > REPORT_REASON_MAX - 1 - len)
        n = REPORT_REASON_MAX - 1 - len;
    memcpy(reason + len, s, n);
    return len + n;
}

/* Why the unit decided as it did, into reason (REPORT_REASON_MAX bytes); its
 * length. A long clause reference is cut, perhaps inside a character: the
 * length stops at the last whole one. */
static size_t report_reason(char *reason, const struct siting_unit *x, const struct siting_entry *e,
                            const char *industry)
{
    const char *head, *mid, *tail;
    report_reason_parts(e->rule >= 0 ? &x->rules[e->rule] : NULL, &head, &mid, &tail);
    size_t len = report_cat(reason, 0, head);
    len = report_cat(reason, len, mid);
    len = report_cat(reason, len, industry);
    len = report_cat(reason, len, tail);
    /* Only a cut can leave part of a character: each piece is whole UTF-8
     * (checked at import; the industry code is ASCII). */
    return len == REPORT_REASON_MAX - 1 ? text_utf8_valid_prefix(reason, len) : len;
}

/* s[0..n) escaped as a JSON string's content (no quotes) at o; the end. */
static char *report_escaped(char *o, const char *s, size_t n)
{
    char *end = json_text_put_string(o, s, n) - 1; /* drop the closing quote */
    memmove(o, o + 1, (size_t)(end - o - 1));      /* and the opening one */
    return end - 1;
}

/* The reason's escaped parts either side of the industry code, in one block:
 * *head (the block) and *tail in it, their lengths, and the unescaped length
 * of both. Escaping whole UTF-8 parts one by one is escaping their join. */
static void report_reason_fixed(const struct siting_rule *r, char **head, size_t *head_len,
                                char **tail, size_t *tail_len, size_t *raw)
{
    const char *h, *m, *t;
    report_reason_parts(r, &h, &m, &t);
    size_t hn = strlen(h), mn = strlen(m), tn = strlen(t);
    char *block =
        xmalloc(JSON_TEXT_STRING_MAX(hn) + JSON_TEXT_STRING_MAX(mn) + JSON_TEXT_STRING_MAX(tn));
    char *o = report_escaped(block, h, hn);
    o = report_escaped(o, m, mn);
    *head_len = (size_t)(o - block);
    o = report_escaped(o, t, tn);
    *tail_len = (size_t)(o - block) - *head_len;
    *head = xrealloc(block, (size_t)(o - block) + 1);
    *tail = *head + *head_len;
    *raw = hn + mn + tn;
}

/* ---- the tree ---- */

/* Built with jansson's nocheck calls: every text in a unit was checked as
 * UTF-8 when the units were imported; the rest are constants. */
static json_t *report_json_string(const char *s)
{
    return json_string_nocheck(s ? s : "");
}

static void report_set(json_t *o, const char *key, json_t *value)
{
    json_object_set_new_nocheck(o, key, value);
}

/* v rounded as the text writer rounds it; null, as that writer writes it,
 * should v not be finite (json_real would return NULL and drop the key). */
static json_t *report_json_rounded(double v, double scale)
{
    double r = round(v * scale) / scale;
    return isfinite(r) ? json_real(r) : json_null();
}

json_t *siting_rule_json(const struct siting_rule *r)
{
    json_t *codes = json_array();
    for (size_t c = 0; c < r->ncodes; c++)
        json_array_append_new(codes, report_json_string(r->codes[c]));
    json_t *o = json_object();
    report_set(o, "kind", report_json_string(r->prohibit ? "prohibit" : "restrict"));
    report_set(o, "industries", codes);
    report_set(o, "condition", report_json_string(r->condition));
    report_set(o, "ref", report_json_string(r->ref));
    return o;
}

json_t *siting_dims_json(const struct siting_unit *x)
{
    json_t *d = json_object();
    for (int i = 0; i < SITING_NDIMS; i++)
        report_set(d, siting_dim_names[i], report_json_string(x->dims[i]));
    return d;
}

static void report_tree_verdict(json_t *o, enum siting_verdict v, const char *conclusion)
{
    report_set(o, "verdict", report_json_string(siting_verdict_name(v)));
    report_set(o, "verdict_code", report_json_string(siting_verdict_code(v)));
    report_set(o, "conclusion", report_json_string(conclusion));
}

static json_t *report_tree_entry(const struct siting_unit *x, const struct siting_entry *e,
                                 const char *industry)
{
    json_t *o = json_object();
    report_set(o, "code", report_json_string(x->code));
    report_set(o, "name", report_json_string(x->name));
    report_set(o, "class", json_integer((int)x->cls));
    report_set(o, "class_name", report_json_string(siting_class_name(x->cls)));
    report_set(o, "overlap_m2", report_json_rounded(e->overlap, 100));
    report_set(o, "overlap_share", report_json_rounded(e->share, 1e6));
    report_set(o, "sliver", json_boolean(e->sliver));
    report_tree_verdict(o, e->verdict, report_conclusion(e->verdict));
    report_set(o, "rule", e->rule >= 0 ? siting_rule_json(&x->rules[e->rule]) : json_null());
    char reason[REPORT_REASON_MAX];
    size_t n = report_reason(reason, x, e, industry);
    report_set(o, "reason", json_stringn_nocheck(reason, n));
    report_set(o, "dimensions", siting_dims_json(x));
    return o;
}

json_t *siting_report_tree(const struct siting_units *u, const struct siting_outcome *oc)
{
    const struct industry *ind = industry_find(oc->industry);
    char projection[96];
    snprintf(projection, sizeof projection, "EPSG:%d CGCS2000 / 3-degree Gauss-Kruger CM %dE",
             oc->epsg, oc->cm);
    json_t *units = json_array();
    for (size_t k = 0; k < oc->n; k++)
        json_array_append_new(units, report_tree_entry(&u->units[oc->entries[k].unit],
                                                       &oc->entries[k], oc->industry));
    json_t *out = json_object();
    report_set(out, "industry", report_json_string(oc->industry));
    report_set(out, "industry_name", report_json_string(ind ? ind->name_zh : ""));
    report_set(out, "geometry_type", report_json_string(oc->point ? "point" : "polygon"));
    report_set(out, "area_m2", report_json_rounded(oc->area, 100));
    report_set(out, "projection", report_json_string(projection));
    report_set(out, "units", units);
    report_tree_verdict(out, oc->worst, report_worst_conclusion(oc->worst));
    report_set(out, "note", report_json_string(REPORT_NOTE));
    return out;
}

/* ---- the text ---- */

static size_t report_rule_room(const struct siting_rule *r)
{
    size_t room = REPORT_FIXED_ROOM + report_room(r->condition) + report_room(r->ref);
    for (size_t c = 0; c < r->ncodes; c++)
        room += report_room(r->codes[c]) + 1;
    return room;
}

static char *report_rule_fixed(char *o, const void *arg)
{
    const struct siting_rule *r = arg;
    o = REPORT_LIT(o, "{\"kind\":");
    o = report_string(o, r->prohibit ? "prohibit" : "restrict");
    o = REPORT_LIT(o, ",\"industries\":[");
    for (size_t c = 0; c < r->ncodes; c++) {
        if (c)
            *o++ = ',';
        o = report_string(o, r->codes[c]);
    }
    o = REPORT_LIT(o, "],\"condition\":");
    o = report_string(o, r->condition);
    o = REPORT_LIT(o, ",\"ref\":");
    o = report_string(o, r->ref);
    return REPORT_LIT(o, "}");
}

static char *report_verdict_write(char *o, enum siting_verdict v, const char *conclusion)
{
    o = REPORT_LIT(o, "\"verdict\":");
    o = report_string(o, siting_verdict_name(v));
    o = REPORT_LIT(o, ",\"verdict_code\":");
    o = report_string(o, siting_verdict_code(v));
    o = REPORT_LIT(o, ",\"conclusion\":");
    return report_string(o, conclusion);
}

/* The verdict keys of a unit's entry ([0]) and of the whole report ([1]) for
 * each verdict, written once: the same few texts for every check. */
#define REPORT_VERDICTS (SITING_PROHIBIT + 1)
#define REPORT_VERDICT_ROOM 768
static struct {
    char text[REPORT_VERDICT_ROOM];
    size_t len;
} report_verdicts[2][REPORT_VERDICTS];
static pthread_once_t report_constants_once = PTHREAD_ONCE_INIT;
/* The reason's parts when no rule decided (report_reason_fixed). */
static struct {
    char *head, *tail;
    size_t head_len, tail_len, raw;
} report_no_rule;

static void report_constants_init(void)
{
    report_reason_fixed(NULL, &report_no_rule.head, &report_no_rule.head_len, &report_no_rule.tail,
                        &report_no_rule.tail_len, &report_no_rule.raw);
    for (int v = 0; v < REPORT_VERDICTS; v++) {
        const char *conclusion[2] = {report_conclusion(v), report_worst_conclusion(v)};
        for (int w = 0; w < 2; w++) {
            char *t = report_verdicts[w][v].text;
            /* Constants: the worst case fits, checked here once. */
            assert(64 + report_room(siting_verdict_name(v)) + report_room(siting_verdict_code(v)) +
                       report_room(conclusion[w]) <=
                   REPORT_VERDICT_ROOM);
            report_verdicts[w][v].len = (size_t)(report_verdict_write(t, v, conclusion[w]) - t);
        }
    }
}

/* The verdict keys, for the report as a whole when worst, else for an entry. */
static char *report_verdict(char *o, enum siting_verdict v, bool worst)
{
    pthread_once(&report_constants_once, report_constants_init);
    if ((unsigned)v >= REPORT_VERDICTS) /* not a verdict: as siting.c names it */
        return report_verdict_write(o, v,
                                    worst ? report_worst_conclusion(v) : report_conclusion(v));
    memcpy(o, report_verdicts[worst][v].text, report_verdicts[worst][v].len);
    return o + report_verdicts[worst][v].len;
}

/* ---- a unit's fixed parts, written once ---- */

/* The text written by fn(o, arg) into memory of its worst case `room`, kept
 * at its own size. */
static char *report_fixed(size_t room, char *(*fn)(char *, const void *), const void *arg,
                          size_t *len)
{
    char *text = xmalloc(room);
    char *end = fn(text, arg);
    *len = (size_t)(end - text);
    return xrealloc(text, *len ? *len : 1);
}

static char *report_head_fixed(char *o, const void *arg)
{
    const struct siting_unit *x = arg;
    o = REPORT_LIT(o, "{\"code\":");
    o = report_string(o, x->code);
    o = REPORT_LIT(o, ",\"name\":");
    o = report_string(o, x->name);
    o = REPORT_LIT(o, ",\"class\":");
    o = json_text_put_int(o, (int)x->cls);
    o = REPORT_LIT(o, ",\"class_name\":");
    return report_string(o, siting_class_name(x->cls));
}

static char *report_tail_fixed(char *o, const void *arg)
{
    const struct siting_unit *x = arg;
    o = REPORT_LIT(o, ",\"dimensions\":{");
    for (int d = 0; d < SITING_NDIMS; d++) {
        if (d)
            *o++ = ',';
        o = report_string(o, siting_dim_names[d]);
        *o++ = ':';
        o = report_string(o, x->dims[d]);
    }
    return REPORT_LIT(o, "}}");
}

void siting_report_prepare(struct siting_unit *x)
{
    size_t head = REPORT_FIXED_ROOM + report_room(x->code) + report_room(x->name) +
                  report_room(siting_class_name(x->cls));
    size_t tail = REPORT_FIXED_ROOM;
    for (int d = 0; d < SITING_NDIMS; d++)
        tail += report_room(siting_dim_names[d]) + report_room(x->dims[d]);
    /* Head and tail in one block: an entry reads both, from one place. */
    char *text = xmalloc(head + tail);
    char *mid = report_head_fixed(text, x);
    char *end = report_tail_fixed(mid, x);
    x->entry_head_len = (size_t)(mid - text), x->entry_tail_len = (size_t)(end - mid);
    x->entry_head = xrealloc(text, (size_t)(end - text));
    x->entry_tail = x->entry_head + x->entry_head_len;
    for (size_t r = 0; r < x->nrules; r++) {
        struct siting_rule *rule = &x->rules[r];
        rule->text = report_fixed(report_rule_room(rule), report_rule_fixed, rule, &rule->text_len);
        report_reason_fixed(rule, &rule->reason_head, &rule->reason_head_len, &rule->reason_tail,
                            &rule->reason_tail_len, &rule->reason_raw);
    }
}

/* ---- an entry ---- */

/* The reason's prepared parts for entry e (report_reason_fixed); false when
 * they cannot be used: the reason would be cut at REPORT_REASON_MAX - 1
 * bytes, or the industry code is not plain letters and digits. */
static bool report_reason_of(const struct siting_unit *x, const struct siting_entry *e,
                             const char *industry, const char **head, size_t *head_len,
                             const char **tail, size_t *tail_len)
{
    size_t n = strlen(industry), raw;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)industry[i]))
            return false;
    pthread_once(&report_constants_once, report_constants_init);
    if (e->rule >= 0) {
        const struct siting_rule *r = &x->rules[e->rule];
        *head = r->reason_head, *head_len = r->reason_head_len;
        *tail = r->reason_tail, *tail_len = r->reason_tail_len, raw = r->reason_raw;
    } else {
        *head = report_no_rule.head, *head_len = report_no_rule.head_len;
        *tail = report_no_rule.tail, *tail_len = report_no_rule.tail_len, raw = report_no_rule.raw;
    }
    return raw + n <= REPORT_REASON_MAX - 1;
}

/* The most an entry can take: the fixed parts, and the reason from its parts
 * or, when cut, as if every byte were escaped. */
static size_t report_entry_room(const struct siting_unit *x, const struct siting_entry *e,
                                const char *industry)
{
    const char *h, *t;
    size_t hl, tl;
    size_t room = REPORT_FIXED_ROOM + x->entry_head_len + x->entry_tail_len + REPORT_VERDICT_ROOM;
    room += report_reason_of(x, e, industry, &h, &hl, &t, &tl)
                ? hl + tl + strlen(industry) + 2
                : JSON_TEXT_STRING_MAX(REPORT_REASON_MAX);
    if (e->rule >= 0)
        room += x->rules[e->rule].text_len;
    return room;
}

static char *report_copy(char *o, const char *s, size_t n)
{
    memcpy(o, s, n);
    return o + n;
}

static char *report_entry(char *o, const struct siting_unit *x, const struct siting_entry *e,
                          const char *industry)
{
    o = report_copy(o, x->entry_head, x->entry_head_len);
    o = REPORT_LIT(o, ",\"overlap_m2\":");
    o = json_text_put_decimal(o, e->overlap, 2);
    o = REPORT_LIT(o, ",\"overlap_share\":");
    o = json_text_put_decimal(o, e->share, 6);
    o = e->sliver ? REPORT_LIT(o, ",\"sliver\":true,") : REPORT_LIT(o, ",\"sliver\":false,");
    o = report_verdict(o, e->verdict, false);
    o = REPORT_LIT(o, ",\"rule\":");
    o = e->rule >= 0 ? report_copy(o, x->rules[e->rule].text, x->rules[e->rule].text_len)
                     : REPORT_LIT(o, "null");
    o = REPORT_LIT(o, ",\"reason\":\"");
    const char *h, *t;
    size_t hl, tl;
    if (report_reason_of(x, e, industry, &h, &hl, &t, &tl)) {
        o = report_copy(o, h, hl);
        o = report_copy(o, industry, strlen(industry)); /* letters and digits */
        o = report_copy(o, t, tl);
        *o++ = '"';
    } else {
        char reason[REPORT_REASON_MAX];
        size_t n = report_reason(reason, x, e, industry);
        o = json_text_put_string(o - 1, reason, n);
    }
    return report_copy(o, x->entry_tail, x->entry_tail_len);
}

/* Where to write at the end of b, with room for `room` bytes; NULL when b
 * cannot grow. report_commit then takes what was written up to end. */
static char *report_reserve(struct buf *b, size_t room)
{
    return buf_grow(b, room) ? NULL : b->data + b->len;
}

static void report_commit(struct buf *b, char *end)
{
    *end = '\0';
    b->len = (size_t)(end - b->data);
}

static size_t report_head_room(const struct siting_outcome *oc, const char *name)
{
    return REPORT_FIXED_ROOM + report_room(oc->industry) + report_room(name);
}

static int report_head(struct buf *b, const struct siting_outcome *oc, const char *name)
{
    char *o = report_reserve(b, report_head_room(oc, name));
    if (!o)
        return -1;
    o = REPORT_LIT(o, "{\"industry\":");
    o = report_string(o, oc->industry);
    o = REPORT_LIT(o, ",\"industry_name\":");
    o = report_string(o, name);
    o = oc->point ? REPORT_LIT(o, ",\"geometry_type\":\"point\",\"area_m2\":")
                  : REPORT_LIT(o, ",\"geometry_type\":\"polygon\",\"area_m2\":");
    o = json_text_put_decimal(o, oc->area, 2);
    /* The zone's name: ASCII, written without printf. */
    o = REPORT_LIT(o, ",\"projection\":\"EPSG:");
    o = json_text_put_int(o, oc->epsg);
    o = REPORT_LIT(o, " CGCS2000 / 3-degree Gauss-Kruger CM ");
    o = json_text_put_int(o, oc->cm);
    o = REPORT_LIT(o, "E\"");
    report_commit(b, REPORT_LIT(o, ",\"units\":["));
    return 0;
}

static int report_unit(struct buf *b, const struct siting_units *u, const struct siting_entry *e,
                       bool first, const char *industry)
{
    const struct siting_unit *x = &u->units[e->unit];
    char *o = report_reserve(b, 1 + report_entry_room(x, e, industry));
    if (!o)
        return -1;
    if (!first)
        *o++ = ',';
    report_commit(b, report_entry(o, x, e, industry));
    return 0;
}

#define REPORT_TAIL_ROOM (REPORT_FIXED_ROOM + REPORT_VERDICT_ROOM)

static int report_tail(struct buf *b, enum siting_verdict worst)
{
    char *o = report_reserve(b, REPORT_TAIL_ROOM);
    if (!o)
        return -1;
    o = REPORT_LIT(o, "],");
    o = report_verdict(o, worst, true);
    report_commit(b, REPORT_LIT(o, ",\"note\":\"" REPORT_NOTE "\"}"));
    return 0;
}

int siting_report_append(const struct siting_units *u, const struct siting_outcome *oc,
                         struct buf *b)
{
    size_t start = b->len;
    /* Room for the whole report at once (head, entries, tail, as each
     * reserves it), so the writers below never move it. */
    const struct industry *ind = industry_find(oc->industry);
    const char *name = ind ? ind->name_zh : "";
    size_t room = report_head_room(oc, name) + REPORT_TAIL_ROOM;
    for (size_t k = 0; k < oc->n; k++)
        room +=
            1 + report_entry_room(&u->units[oc->entries[k].unit], &oc->entries[k], oc->industry);
    int rc = buf_grow(b, room);
    if (!rc)
        rc = report_head(b, oc, name);
    for (size_t k = 0; k < oc->n && !rc; k++)
        rc = report_unit(b, u, &oc->entries[k], k == 0, oc->industry);
    if (rc || report_tail(b, oc->worst)) {
        b->len = start;
        if (b->data)
            b->data[start] = '\0';
        return -1;
    }
    return 0;
}
