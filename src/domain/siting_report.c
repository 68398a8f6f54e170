/* siting_report — see siting_internal.h. A check's report written as JSON text
 * straight from its results, not as a jansson tree: the tree's allocations and
 * hash inserts (13 keys a unit) were a third of a full check's time
 * (docs/performance.md, siting). Each unit's entry is written in one go after
 * making room for its worst case; core/json_text.h escapes every string. */
#include "core/json_text.h"
#include "core/text.h"
#include "domain/industry.h"
#include "domain/siting_internal.h"

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

static const char *report_conclusion(enum siting_verdict v)
{
    return v == SITING_PROHIBIT ? "不符合" : v == SITING_ALLOW ? "符合" : "需进一步论证";
}

/* Appends s to the reason, cut where the reason's bytes run out (as snprintf
 * into a fixed buffer would cut it). */
static size_t report_cat(char *reason, size_t len, const char *s)
{
    size_t n = s ? strlen(s) : 0;
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
    size_t len = 0;
    if (e->rule >= 0) {
        const struct siting_rule *r = &x->rules[e->rule];
        len = report_cat(reason, len, r->ref);
        len = report_cat(reason, len, "：");
        len = report_cat(reason, len, e->verdict == SITING_PROHIBIT ? "禁止" : "限制");
        len = report_cat(reason, len, industry);
        if (r->condition && *r->condition)
            len = report_cat(reason, len, "（条件见条款）");
    } else {
        len = report_cat(reason, len, "准入清单未对行业 ");
        len = report_cat(reason, len, industry);
        len = report_cat(reason, len, " 设禁止或限制条款");
    }
    return text_utf8_valid_prefix(reason, len);
}

static size_t report_rule_room(const struct siting_rule *r)
{
    size_t room = REPORT_FIXED_ROOM + report_room(r->condition) + report_room(r->ref);
    for (size_t c = 0; c < r->ncodes; c++)
        room += report_room(r->codes[c]) + 1;
    return room;
}

static char *report_rule(char *o, const struct siting_rule *r)
{
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

static char *report_verdict(char *o, enum siting_verdict v, const char *conclusion)
{
    o = REPORT_LIT(o, "\"verdict\":");
    o = report_string(o, siting_verdict_name(v));
    o = REPORT_LIT(o, ",\"verdict_code\":");
    o = report_string(o, siting_verdict_code(v));
    o = REPORT_LIT(o, ",\"conclusion\":");
    return report_string(o, conclusion);
}

/* The most an entry can take: each string as if every byte were escaped. */
static size_t report_entry_room(const struct siting_unit *x, const struct siting_entry *e)
{
    size_t room =
        REPORT_FIXED_ROOM + report_room(x->code) + report_room(x->name) +
        report_room(siting_class_name(x->cls)) + report_room(siting_verdict_name(e->verdict)) +
        report_room(siting_verdict_code(e->verdict)) + report_room(report_conclusion(e->verdict)) +
        JSON_TEXT_STRING_MAX(REPORT_REASON_MAX);
    for (int d = 0; d < SITING_NDIMS; d++)
        room += report_room(siting_dim_names[d]) + report_room(x->dims[d]);
    if (e->rule >= 0)
        room += report_rule_room(&x->rules[e->rule]);
    return room;
}

static char *report_entry(char *o, const struct siting_unit *x, const struct siting_entry *e,
                          const char *industry)
{
    o = REPORT_LIT(o, "{\"code\":");
    o = report_string(o, x->code);
    o = REPORT_LIT(o, ",\"name\":");
    o = report_string(o, x->name);
    o = REPORT_LIT(o, ",\"class\":");
    o = json_text_put_int(o, (int)x->cls);
    o = REPORT_LIT(o, ",\"class_name\":");
    o = report_string(o, siting_class_name(x->cls));
    o = REPORT_LIT(o, ",\"overlap_m2\":");
    o = json_text_put_decimal(o, e->overlap, 2);
    o = REPORT_LIT(o, ",\"overlap_share\":");
    o = json_text_put_decimal(o, e->share, 6);
    o = e->sliver ? REPORT_LIT(o, ",\"sliver\":true,") : REPORT_LIT(o, ",\"sliver\":false,");
    o = report_verdict(o, e->verdict, report_conclusion(e->verdict));
    o = REPORT_LIT(o, ",\"rule\":");
    o = e->rule >= 0 ? report_rule(o, &x->rules[e->rule]) : REPORT_LIT(o, "null");
    char reason[REPORT_REASON_MAX];
    size_t n = report_reason(reason, x, e, industry);
    o = REPORT_LIT(o, ",\"reason\":");
    o = json_text_put_string(o, reason, n);
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

static int report_head(struct buf *b, const struct siting_outcome *r)
{
    const struct industry *ind = industry_find(r->industry);
    const char *name = ind ? ind->name_zh : "";
    char *o = report_reserve(b, REPORT_FIXED_ROOM + report_room(r->industry) + report_room(name));
    if (!o)
        return -1;
    o = REPORT_LIT(o, "{\"industry\":");
    o = report_string(o, r->industry);
    o = REPORT_LIT(o, ",\"industry_name\":");
    o = report_string(o, name);
    o = r->point ? REPORT_LIT(o, ",\"geometry_type\":\"point\",\"area_m2\":")
                 : REPORT_LIT(o, ",\"geometry_type\":\"polygon\",\"area_m2\":");
    o = json_text_put_decimal(o, r->area, 2);
    /* The zone's name: ASCII, written without printf. */
    o = REPORT_LIT(o, ",\"projection\":\"EPSG:");
    o = json_text_put_int(o, r->epsg);
    o = REPORT_LIT(o, " CGCS2000 / 3-degree Gauss-Kruger CM ");
    o = json_text_put_int(o, r->cm);
    o = REPORT_LIT(o, "E\"");
    report_commit(b, REPORT_LIT(o, ",\"units\":["));
    return 0;
}

static int report_unit(struct buf *b, const struct siting_units *u, const struct siting_entry *e,
                       bool first, const char *industry)
{
    const struct siting_unit *x = &u->units[e->unit];
    char *o = report_reserve(b, 1 + report_entry_room(x, e));
    if (!o)
        return -1;
    if (!first)
        *o++ = ',';
    report_commit(b, report_entry(o, x, e, industry));
    return 0;
}

static int report_tail(struct buf *b, enum siting_verdict worst)
{
    const char *conclusion =
        worst == SITING_NONE ? "需进一步论证（未落入任何管控单元）" : report_conclusion(worst);
    char *o =
        report_reserve(b, REPORT_FIXED_ROOM + report_room(siting_verdict_name(worst)) +
                              report_room(siting_verdict_code(worst)) + report_room(conclusion));
    if (!o)
        return -1;
    o = REPORT_LIT(o, "],");
    o = report_verdict(o, worst, conclusion);
    report_commit(b, REPORT_LIT(o, ",\"note\":\"系统辅助研判结果，需人工复核\"}"));
    return 0;
}

char *siting_report_text(const struct siting_units *u, const struct siting_outcome *o, size_t *len)
{
    struct buf b;
    buf_init(&b, 0); /* unbounded: grows with the units hit, each bounded at import */
    int rc = report_head(&b, o);
    for (size_t k = 0; k < o->n && !rc; k++)
        rc = report_unit(&b, u, &o->entries[k], k == 0, o->industry);
    if (rc || report_tail(&b, o->worst)) {
        buf_free(&b);
        return NULL;
    }
    return buf_detach(&b, len);
}
