#include "domain/credit.h"
#include "core/xalloc.h"
#include "domain/calendar.h"

#include <stdlib.h>
#include <string.h>

void credit_rules_default(struct credit_rules *r)
{
    r->warning = 10;
    r->limit = 20;
    r->rectify_months = 6;
    r->watch_cycles = 2;
    r->honest_reports = 10;
    r->honest_cycles = 2;
}

int32_t credit_add_months(int32_t day, int months)
{
    if (day == CREDIT_FOREVER)
        return day;
    int y, m, d;
    if (calendar_ymd(day, &y, &m, &d))
        return CREDIT_FOREVER;
    int total = y * 12 + (m - 1) + months;
    int ny = total / 12, nm = total % 12 + 1;
    int32_t r;
    while ((r = calendar_day_from_ymd(ny, nm, d)) == CALENDAR_DAY_INVALID && d > 28)
        d--;
    return r == CALENDAR_DAY_INVALID ? CREDIT_FOREVER : r;
}

static const char *const credit_codes[CREDIT__COUNT] = {"honest", "watch", "rectify", "black"};
static const char *const credit_names[CREDIT__COUNT] = {"守信名单", "重点监督检查名单",
                                                        "限期整改名单", "黑名单"};

const char *credit_list_code(enum credit_list l)
{
    return (unsigned)l < CREDIT__COUNT ? credit_codes[l] : "";
}

const char *credit_list_name(enum credit_list l)
{
    return (unsigned)l < CREDIT__COUNT ? credit_names[l] : "";
}

int credit_list_parse(const char *s, enum credit_list *out)
{
    for (int i = 0; s && i < CREDIT__COUNT; i++)
        if (!strcmp(s, credit_codes[i])) {
            *out = (enum credit_list)i;
            return 0;
        }
    return -1;
}

char credit_grade(double score, bool veto, double a, double b, double c)
{
    if (veto)
        return 'D';
    return score >= a ? 'A' : score >= b ? 'B' : score >= c ? 'C' : 'D';
}

/* ---- evaluation ---- */

struct credit_walk {
    const struct credit_rules *rules;
    struct credit_result *out;
    size_t cap;
    const int32_t *reports;
    size_t nreports;
    int32_t asof;
    int32_t cs, ce; /* the current cycle [cs, ce) */
    int points;
    int clean_run; /* consecutive full clean cycles with enough reports */
    long honest;   /* index of the latest 守信 interval, -1 none */
};

static size_t credit_push(struct credit_walk *w, enum credit_list l, int32_t start, int32_t end,
                          int64_t ref)
{
    struct credit_result *o = w->out;
    if (o->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 8;
        o->iv = xrealloc(o->iv, w->cap * sizeof *o->iv);
    }
    o->iv[o->n] = (struct credit_interval){l, start, end, ref};
    return o->n++;
}

static int credit_reports_in(const struct credit_walk *w, int32_t from, int32_t to)
{
    int n = 0;
    for (size_t i = 0; i < w->nreports; i++)
        if (w->reports[i] >= from && w->reports[i] < to && w->reports[i] <= w->asof)
            n++;
    return n;
}

/* Ends the current cycle; the next starts on `next`. full = it ran its year
 * (not cut short by 限期整改 or a ban). */
static void credit_close(struct credit_walk *w, int32_t next, bool full, int64_t ref)
{
    const struct credit_rules *r = w->rules;
    if (w->points >= r->warning)
        credit_push(w, CREDIT_WATCH, next, credit_add_months(next, 12 * r->watch_cycles), ref);
    bool clean = full && w->points == 0 && credit_reports_in(w, w->cs, next) >= r->honest_reports;
    w->clean_run = clean ? w->clean_run + 1 : 0;
    if (clean && w->clean_run >= r->honest_cycles && next <= w->asof) {
        w->honest = (long)credit_push(w, CREDIT_HONEST, next,
                                      credit_add_months(next, 12 * r->honest_cycles), 0);
        w->clean_run = 0; /* the next listing needs two new clean cycles */
    }
    w->cs = next;
    w->ce = credit_add_months(next, 12);
    w->points = 0;
}

/* Any point ends a 守信 listing that is running on that day. */
static void credit_end_honest(struct credit_walk *w, int32_t day)
{
    w->clean_run = 0;
    if (w->honest < 0)
        return;
    struct credit_interval *iv = &w->out->iv[w->honest];
    if (iv->start <= day && day < iv->end)
        iv->end = day > iv->start ? day : iv->start;
}

static int credit_cmp_interval(const void *a, const void *b)
{
    const struct credit_interval *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (int)x->list - (int)y->list;
}

int credit_evaluate(const struct credit_rules *rules, int32_t registered,
                    const struct credit_event *events, size_t nevents, const int32_t *reports,
                    size_t nreports, int32_t asof, struct credit_result *out)
{
    memset(out, 0, sizeof *out);
    if (calendar_ymd(registered, &(int){0}, &(int){0}, &(int){0}) ||
        calendar_ymd(asof, &(int){0}, &(int){0}, &(int){0}))
        return -1;
    for (size_t i = 0; i < nevents; i++)
        if (events[i].day < registered || (events[i].ban && events[i].ban_end < events[i].day))
            return -1;
    /* Stable order by day: an index sort keeps ties in the given order. */
    size_t *order = xmalloc((nevents ? nevents : 1) * sizeof *order);
    for (size_t i = 0; i < nevents; i++)
        order[i] = i;
    for (size_t i = 1; i < nevents; i++)
        for (size_t j = i; j > 0 && events[order[j - 1]].day > events[order[j]].day; j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    struct credit_walk w = {rules,    out,  0,          reports,
                            nreports, asof, registered, credit_add_months(registered, 12),
                            0,        0,    -1};
    int32_t ban_over = 0; /* first day after the running ban; 0 = none */
    for (size_t k = 0; k < nevents && !out->banned_forever; k++) {
        const struct credit_event *e = &events[order[k]];
        if (e->day > asof)
            break;
        if (ban_over && e->day < ban_over) {
            out->unscored++; /* not scored during a ban */
            continue;
        }
        while (e->day >= w.ce)
            credit_close(&w, w.ce, true, 0);
        credit_end_honest(&w, e->day);
        if (e->ban) {
            int32_t end = e->ban_end == CREDIT_FOREVER ? CREDIT_FOREVER : e->ban_end + 1;
            credit_push(&w, CREDIT_BLACK, e->day, end, e->ref);
            w.points = rules->limit > w.points + e->points ? rules->limit : w.points + e->points;
            if (end == CREDIT_FOREVER) {
                out->banned_forever = true;
                break;
            }
            credit_close(&w, end, false, e->ref);
            ban_over = end;
            continue;
        }
        w.points += e->points;
        if (w.points >= rules->limit) {
            /* Reaching the limit again during 整改 starts a new 6 months. */
            for (size_t i = 0; i < out->n; i++)
                if (out->iv[i].list == CREDIT_RECTIFY && out->iv[i].start <= e->day &&
                    e->day < out->iv[i].end)
                    out->iv[i].end = e->day;
            credit_push(&w, CREDIT_RECTIFY, e->day,
                        credit_add_months(e->day, rules->rectify_months), e->ref);
            credit_close(&w, e->day, false, e->ref);
        }
    }
    if (!out->banned_forever)
        while (asof >= w.ce)
            credit_close(&w, w.ce, true, 0);
    free(order);
    /* Drop intervals that never started by asof, or are empty. */
    size_t keep = 0;
    for (size_t i = 0; i < out->n; i++)
        if (out->iv[i].start <= asof && out->iv[i].end > out->iv[i].start)
            out->iv[keep++] = out->iv[i];
    out->n = keep;
    if (out->n > 1)
        qsort(out->iv, out->n, sizeof *out->iv, credit_cmp_interval);
    out->cycle_start = w.cs;
    out->cycle_end = w.ce;
    out->points = w.points;
    return 0;
}

void credit_result_free(struct credit_result *r)
{
    free(r->iv);
    memset(r, 0, sizeof *r);
}

bool credit_on_list(const struct credit_result *r, enum credit_list list, int32_t day)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->iv[i].list == list && r->iv[i].start <= day && day < r->iv[i].end)
            return true;
    return false;
}
