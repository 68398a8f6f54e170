/* Budgets of the device port and the aggregation of rejected frames (issue 16).
 *
 * Anyone who knows a station's MN can send it frames with bad CRCs, and anyone at all can send
 * junk or thousands of made-up MNs. None of that is stored frame by frame: each rejected frame
 * is added to the aggregate of its (device, address, reason), reported to the writer once a
 * second with one sample, so the database grows by at most a row per key and hour whatever
 * the rate. Each address, and each registered device named by rejected frames, has a budget
 * of rejected bytes a minute (a token bucket), each address one of refusals; a connection
 * that spends one is closed and its address refused for a while. Accounts exist only for
 * addresses and devices that sent something rejected, at most HJS_GUARD_MAX of them: beyond
 * that the newcomers share one account, so memory stays bounded too. Loop thread only. */
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "net/hj212_server_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HJS_DEFAULT_REJECT_BUDGET 262144
#define HJS_DEFAULT_UNKNOWN_BUDGET 30
#define HJS_DEFAULT_REFUSE_SECONDS 300
#define HJS_OVERFLOW_KEY "*"

static long hjs_reject_budget(const struct hj212_server *s)
{
    return s->o.reject_budget > 0 ? s->o.reject_budget : HJS_DEFAULT_REJECT_BUDGET;
}

static int hjs_unknown_budget(const struct hj212_server *s)
{
    return s->o.unknown_budget > 0 ? s->o.unknown_budget : HJS_DEFAULT_UNKNOWN_BUDGET;
}

static int64_t hjs_refuse_ms(const struct hj212_server *s)
{
    return (int64_t)(s->o.refuse_seconds > 0 ? s->o.refuse_seconds : HJS_DEFAULT_REFUSE_SECONDS) *
           1000;
}

static uint32_t hjs_hash(const char *key)
{
    uint32_t h = 2166136261u;
    for (const char *p = key; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return h;
}

/* The account of key; created (full) when create is set, shared beyond HJS_GUARD_MAX. */
static struct hjs_guard *hjs_guard_get(struct hj212_server *s, const char *key, int create)
{
    struct hjs_guard **pp = &s->guards[hjs_hash(key) % HJS_ADDR_BUCKETS];
    while (*pp && strcmp((*pp)->key, key))
        pp = &(*pp)->next;
    if (*pp || !create)
        return *pp;
    if (s->nguards >= HJS_GUARD_MAX && strcmp(key, HJS_OVERFLOW_KEY))
        return hjs_guard_get(s, HJS_OVERFLOW_KEY, 1);
    struct hjs_guard *g = xcalloc(1, sizeof *g);
    snprintf(g->key, sizeof g->key, "%s", key);
    g->reject_tokens = (double)hjs_reject_budget(s);
    g->unknown_tokens = hjs_unknown_budget(s);
    g->refill_ms = timeutil_now_ms();
    *pp = g;
    s->nguards++;
    return g;
}

static void hjs_guard_refill(struct hj212_server *s, struct hjs_guard *g, int64_t now)
{
    double minutes = (double)(now - g->refill_ms) / 60000.0;
    g->refill_ms = now;
    double rb = (double)hjs_reject_budget(s), ub = hjs_unknown_budget(s);
    g->reject_tokens += minutes * rb;
    if (g->reject_tokens > rb)
        g->reject_tokens = rb;
    g->unknown_tokens += minutes * ub;
    if (g->unknown_tokens > ub)
        g->unknown_tokens = ub;
}

static void hjs_addr_key(char *key, size_t cap, const char *addr)
{
    snprintf(key, cap, "a:%s", addr);
}

int hjs_guard_refused(struct hj212_server *s, const char *addr)
{
    char key[56];
    hjs_addr_key(key, sizeof key, addr);
    struct hjs_guard *g = hjs_guard_get(s, key, 0);
    return g && g->banned_until_ms > timeutil_now_ms();
}

static void hjs_guard_ban(struct hj212_server *s, struct hjs_guard *g, int64_t now)
{
    if (strcmp(g->key, HJS_OVERFLOW_KEY)) /* the shared account names nobody */
        g->banned_until_ms = now + hjs_refuse_ms(s);
}

int hjs_guard_reject(struct hj212_server *s, const char *addr, int64_t device_id, size_t len)
{
    int64_t now = timeutil_now_ms();
    char key[56];
    hjs_addr_key(key, sizeof key, addr);
    struct hjs_guard *a = hjs_guard_get(s, key, 1);
    hjs_guard_refill(s, a, now);
    a->reject_tokens -= (double)len;
    if (a->reject_tokens < 0) {
        hjs_guard_ban(s, a, now);
        return 1;
    }
    if (device_id > 0) {
        snprintf(key, sizeof key, "d:%lld", (long long)device_id);
        struct hjs_guard *d = hjs_guard_get(s, key, 1);
        hjs_guard_refill(s, d, now);
        d->reject_tokens -= (double)len;
        if (d->reject_tokens < 0) {
            if (!strcmp(d->good_addr, addr))
                return 2;
            hjs_guard_ban(s, a, now);
            return 1;
        }
    }
    return 0;
}

void hjs_guard_good(struct hj212_server *s, const char *addr, int64_t device_id)
{
    if (!s->nguards) /* nobody sent anything rejected: the usual case costs nothing */
        return;
    char key[56];
    snprintf(key, sizeof key, "d:%lld", (long long)device_id);
    struct hjs_guard *d = hjs_guard_get(s, key, 0);
    if (d)
        snprintf(d->good_addr, sizeof d->good_addr, "%s", addr);
}

int hjs_guard_unknown(struct hj212_server *s, const char *addr)
{
    int64_t now = timeutil_now_ms();
    char key[56];
    hjs_addr_key(key, sizeof key, addr);
    struct hjs_guard *a = hjs_guard_get(s, key, 1);
    hjs_guard_refill(s, a, now);
    a->unknown_tokens -= 1;
    if (a->unknown_tokens >= 0)
        return 0;
    hjs_guard_ban(s, a, now);
    return 1;
}

/* 64-bit FNV-1a: the hour's key set keeps hashes only. */
static uint64_t hjs_hash64(const char *key)
{
    uint64_t h = 14695981039346656037ull;
    for (const char *p = key; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return h ? h : 1; /* 0 marks an empty slot */
}

/* 1 when the key was already seen this hour or there is room for it (it is added); 0 when the
 * hour has its HJS_REJECT_HOUR_KEYS already. */
static int hjs_reject_hour_admits(struct hj212_server *s, const char *key, int64_t now)
{
    size_t cap = 2 * HJS_REJECT_HOUR_KEYS;
    if (!s->reject_seen)
        s->reject_seen = xcalloc(cap, sizeof *s->reject_seen);
    if (now / 3600 != s->reject_hour) {
        memset(s->reject_seen, 0, cap * sizeof *s->reject_seen);
        s->nreject_seen = 0;
        s->reject_hour = now / 3600;
    }
    uint64_t h = hjs_hash64(key);
    size_t i = h % cap;
    while (s->reject_seen[i] && s->reject_seen[i] != h)
        i = (i + 1) % cap;
    if (s->reject_seen[i])
        return 1;
    if (s->nreject_seen >= HJS_REJECT_HOUR_KEYS)
        return 0;
    s->reject_seen[i] = h;
    s->nreject_seen++;
    return 1;
}

void hjs_reject_note(struct hj212_server *s, const char *addr, const struct hj212_device *d,
                     const char *reason, const char *bytes, size_t len)
{
    if (!s->rejects)
        s->rejects = xcalloc(HJS_REJECT_KEYS, sizeof *s->rejects);
    int64_t device_id = d ? d->device_id : 0;
    char key[160];
    snprintf(key, sizeof key, "%lld|%s|%s", (long long)device_id, addr, reason);
    /* Beyond the hour's keys, or with the last quarter of this second's table left, the frame
     * counts under address "*" (still for its device: registered devices are bounded, and its
     * counters must move); with the last eighth left, under no device either, so a few keys
     * per reason always fit. */
    if (s->nrejects >= HJS_REJECT_KEYS * 3 / 4 || !hjs_reject_hour_admits(s, key, timeutil_now())) {
        addr = HJS_OVERFLOW_KEY;
        if (s->nrejects >= HJS_REJECT_KEYS * 7 / 8)
            device_id = 0, d = NULL;
        snprintf(key, sizeof key, "%lld|%s|%s", (long long)device_id, addr, reason);
    }
    size_t i = hjs_hash(key) % HJS_REJECT_KEYS;
    struct hjs_reject *r;
    for (;; i = (i + 1) % HJS_REJECT_KEYS) {
        r = &s->rejects[i];
        if (!r->used ||
            (r->device_id == device_id && !strcmp(r->reason, reason) && !strcmp(r->addr, addr)))
            break;
    }
    int64_t now = timeutil_now();
    if (!r->used) {
        r->used = 1;
        s->nrejects++;
        r->device_id = device_id;
        r->station_id = d ? d->station_id : 0;
        r->reason = reason;
        r->count = r->bytes = 0; /* the slot may have held a key already reported */
        r->first = now;
        snprintf(r->addr, sizeof r->addr, "%s", addr);
        snprintf(r->mn, sizeof r->mn, "%s", d ? d->mn : "");
        r->sample_len = len < sizeof r->sample ? len : sizeof r->sample;
        memcpy(r->sample, bytes, r->sample_len);
    }
    r->count++;
    r->bytes += (int64_t)len;
    r->last = now;
}

static void hjs_reject_report(struct hj212_server *s)
{
    if (!s->nrejects)
        return;
    for (size_t i = 0; i < HJS_REJECT_KEYS; i++) {
        struct hjs_reject *r = &s->rejects[i];
        if (!r->used)
            continue;
        struct hj212_intake in = {.kind = HJ212_INTAKE_REJECTS,
                                  .device_id = r->device_id,
                                  .station_id = r->station_id,
                                  .received = r->last,
                                  .qn = {"", 0},
                                  .mn = hj212_str_c(r->mn),
                                  .addr = r->addr,
                                  .status = r->reason,
                                  .frame = r->sample,
                                  .frame_len = r->sample_len,
                                  .count = r->count,
                                  .bytes = r->bytes,
                                  .first = r->first};
        s->h.submit(s->h.ctx, &in);
        r->used = 0;
    }
    s->nrejects = 0;
}

void hjs_guard_tick(struct hj212_server *s)
{
    hjs_reject_report(s);
    int64_t now = timeutil_now_ms();
    for (size_t b = 0; b < HJS_ADDR_BUCKETS; b++)
        for (struct hjs_guard **pp = &s->guards[b]; *pp;) {
            struct hjs_guard *g = *pp;
            hjs_guard_refill(s, g, now);
            if (g->banned_until_ms <= now && g->reject_tokens >= (double)hjs_reject_budget(s) &&
                g->unknown_tokens >= hjs_unknown_budget(s)) {
                *pp = g->next;
                free(g);
                s->nguards--;
            } else {
                pp = &g->next;
            }
        }
}

void hjs_guard_free(struct hj212_server *s)
{
    for (size_t b = 0; b < HJS_ADDR_BUCKETS; b++)
        while (s->guards[b]) {
            struct hjs_guard *next = s->guards[b]->next;
            free(s->guards[b]);
            s->guards[b] = next;
        }
    s->nguards = 0;
    free(s->rejects);
    s->rejects = NULL;
    s->nrejects = 0;
    free(s->reject_seen);
    s->reject_seen = NULL;
    s->nreject_seen = 0;
}
