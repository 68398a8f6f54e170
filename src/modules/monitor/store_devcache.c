#include "modules/monitor/store_devcache.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "db/row.h"
#include "modules/monitor/chttp.h"

#include <jansson.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static _Atomic uint64_t devcache_gen = 1;

void devcache_touch(void)
{
    atomic_fetch_add(&devcache_gen, 1);
}

uint64_t devcache_generation(void)
{
    return atomic_load(&devcache_gen);
}

int64_t devcache_stamp(struct db *db)
{
    return db_query_int(db,
                        "SELECT (SELECT count(*) + coalesce(sum(version), 0) + "
                        "coalesce(max(updated_at), 0) FROM devices) * 1000003 + (SELECT count(*) + "
                        "coalesce(sum(version), 0) + coalesce(max(updated_at), 0) FROM stations)",
                        -1, "");
}

struct devcache {
    struct devcache_entry *e;
    size_t n;
    int forwarding; /* loaded from the cluster: the central node forwards frames upstream */
    size_t *slots;  /* open addressing over e, 0 = empty, else index + 1 */
    size_t nslots;
};

static uint64_t devcache_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static void devcache_copy(char *dst, size_t cap, const unsigned char *src)
{
    size_t n = src ? strlen((const char *)src) : 0;
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src ? (const char *)src : "", n);
    dst[n] = '\0';
}

/* The map column as validated by monitor.c: [{code, factor, unit, scale}]. */
static void devcache_map(struct devcache_entry *d, const char *text)
{
    json_t *arr = json_loads(text ? text : "[]", 0, NULL);
    size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
    d->map = n ? xcalloc(n, sizeof *d->map) : NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        const char *code = json_string_value(json_object_get(o, "code"));
        const char *factor = json_string_value(json_object_get(o, "factor"));
        const char *unit = json_string_value(json_object_get(o, "unit"));
        json_t *scale = json_object_get(o, "scale");
        if (!code || !factor)
            continue;
        struct monitor_map_entry *m = &d->map[k];
        devcache_copy(m->code, sizeof m->code, (const unsigned char *)code);
        devcache_copy(m->factor, sizeof m->factor, (const unsigned char *)factor);
        double mult = 1;
        const char *canon = monitor_factor_unit(monitor_factor_find(factor), d->cfg.medium);
        if (unit && *unit && *canon && monitor_unit_convert(unit, canon, &mult))
            mult = 1;
        m->mult = mult * (json_is_number(scale) ? json_number_value(scale) : 1.0);
        k++;
    }
    d->cfg.map = d->map;
    d->cfg.nmap = k;
    json_decref(arr);
}

/* One device as its source gives it: the registry's columns (this database, or the cluster's
 * copy the central node published: nodes.h). */
struct devcache_src {
    int64_t id, station;
    const char *mn, *pw;
    int active;
    const char *edition, *map;
    int64_t clock_offset;
    const char *zone, *kind;
    int64_t min_interval, offline_after;
};

static void devcache_add(struct devcache *c, size_t *cap, const struct devcache_src *s)
{
    if (c->n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        c->e = xrealloc(c->e, *cap * sizeof *c->e);
    }
    struct devcache_entry *d = &c->e[c->n++];
    memset(d, 0, sizeof *d);
    d->device_id = s->id;
    d->station_id = s->station;
    devcache_copy(d->mn, sizeof d->mn, (const unsigned char *)s->mn);
    devcache_copy(d->pw, sizeof d->pw, (const unsigned char *)s->pw);
    d->active = s->active;
    const char *ed = s->edition;
    d->edition = !ed || !strcmp(ed, "auto") ? -1 : !strcmp(ed, "2005") ? 0 : 1;
    d->cfg.clock_offset = s->clock_offset;
    d->cfg.clock_utc = s->zone && !strcmp(s->zone, "utc");
    const char *kind = s->kind;
    const struct monitor_station_kind *k = monitor_station_kind_find(kind);
    d->cfg.medium = k ? k->medium : MONITOR_AIR;
    const char *stc = "22";
    if (kind && !strcmp(kind, "water"))
        stc = "21";
    else if (kind && !strcmp(kind, "source_gas"))
        stc = "31";
    else if (kind && !strcmp(kind, "source_water"))
        stc = "32";
    memcpy(d->st, stc, 3);
    d->min_interval = (int)s->min_interval;
    int64_t off = s->offline_after;
    d->offline_after = off > 0 ? (int)off : (k ? k->offline_after : 3600);
    devcache_map(d, s->map);
}

/* The MN index over the loaded entries. */
static void devcache_index(struct devcache *c)
{
    c->nslots = 16;
    while (c->nslots < c->n * 2)
        c->nslots *= 2;
    c->slots = xcalloc(c->nslots, sizeof *c->slots);
    for (size_t i = 0; i < c->n; i++) {
        size_t h = devcache_hash(c->e[i].mn, strlen(c->e[i].mn)) & (c->nslots - 1);
        while (c->slots[h])
            h = (h + 1) & (c->nslots - 1);
        c->slots[h] = i + 1;
    }
}

/* The registry as the listener reads it, in device id order (devcache_load and the
 * snapshot published to the cluster: one statement for both). */
static sqlite3_stmt *devcache_select(struct db *db)
{
    return db_stmt(
        db, "SELECT d.id, d.station_id, d.mn, d.pw, d.active AND s.active, d.edition, "
            "d.factor_map, d.clock_offset, d.clock_zone, s.kind, s.min_interval, "
            "s.offline_after FROM devices d JOIN stations s ON s.id = d.station_id ORDER BY d.id");
}

static void devcache_src_row(sqlite3_stmt *st, struct devcache_src *s)
{
    s->id = sqlite3_column_int64(st, 0);
    s->station = sqlite3_column_int64(st, 1);
    s->mn = (const char *)sqlite3_column_text(st, 2);
    s->pw = (const char *)sqlite3_column_text(st, 3);
    s->active = sqlite3_column_int(st, 4);
    s->edition = (const char *)sqlite3_column_text(st, 5);
    s->map = (const char *)sqlite3_column_text(st, 6);
    s->clock_offset = sqlite3_column_int64(st, 7);
    s->zone = (const char *)sqlite3_column_text(st, 8);
    s->kind = (const char *)sqlite3_column_text(st, 9);
    s->min_interval = sqlite3_column_int64(st, 10);
    s->offline_after = sqlite3_column_int64(st, 11);
}

struct devcache *devcache_load(struct db *db)
{
    sqlite3_stmt *st = devcache_select(db);
    if (!st)
        return NULL;
    struct devcache *c = xcalloc(1, sizeof *c);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct devcache_src s;
        devcache_src_row(st, &s);
        devcache_add(c, &cap, &s);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        log_error("devcache: cannot load devices");
        devcache_free(c);
        return NULL;
    }
    devcache_index(c);
    return c;
}

static int devcache_field(struct buf *b, const char *s, char end)
{
    return chttp_put_field(b, s ? s : "", s ? strlen(s) : 0) || buf_putc(b, end);
}

int devcache_registry_tsv(struct db *db, uint64_t version, int forwarding, struct buf *out)
{
    sqlite3_stmt *st = devcache_select(db);
    if (!st)
        return -1;
    int rc, bad = 0;
    /* row 0 marks the publication, so an empty registry is a snapshot too; its active column
     * says whether the central node forwards frames upstream */
    bad |= buf_printf(out, "0\t0\t\t\t%d\t\t[]\t0\t\t\t0\t0\t%llu\n", forwarding ? 1 : 0,
                      (unsigned long long)version);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && !bad) {
        struct devcache_src s;
        devcache_src_row(st, &s);
        bad |= buf_printf(out, "%lld\t%lld\t", (long long)s.id, (long long)s.station) ||
               devcache_field(out, s.mn, '\t') || devcache_field(out, s.pw, '\t') ||
               buf_printf(out, "%d\t", s.active ? 1 : 0) || devcache_field(out, s.edition, '\t') ||
               devcache_field(out, s.map, '\t') ||
               buf_printf(out, "%lld\t", (long long)s.clock_offset) ||
               devcache_field(out, s.zone, '\t') || devcache_field(out, s.kind, '\t') ||
               buf_printf(out, "%lld\t%lld\t%llu\n", (long long)s.min_interval,
                          (long long)s.offline_after, (unsigned long long)version);
    }
    sqlite3_reset(st);
    return bad || (rc != SQLITE_DONE && rc != SQLITE_ROW) ? -1 : 0;
}

struct devcache *devcache_load_tsv(char *text, size_t len)
{
    struct devcache *c = xcalloc(1, sizeof *c);
    size_t cap = 0, pos = 0;
    char *f[12];
    size_t lens[12];
    int n;
    while ((n = chttp_next_row(text, len, &pos, f, lens, 12)) > 0) {
        if (n != 12) {
            log_error("devcache: a registry row of the cluster has %d fields, not 12", n);
            devcache_free(c);
            return NULL;
        }
        struct devcache_src s = {strtoll(f[0], NULL, 10),
                                 strtoll(f[1], NULL, 10),
                                 f[2],
                                 f[3],
                                 f[4][0] == '1',
                                 f[5],
                                 f[6],
                                 strtoll(f[7], NULL, 10),
                                 f[8],
                                 f[9],
                                 strtoll(f[10], NULL, 10),
                                 strtoll(f[11], NULL, 10)};
        if (s.id > 0)
            devcache_add(c, &cap, &s);
        else /* the publication's marker */
            c->forwarding = s.active;
    }
    devcache_index(c);
    return c;
}

void devcache_free(struct devcache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        free(c->e[i].map);
    free(c->e);
    free(c->slots);
    free(c);
}

const struct devcache_entry *devcache_find(const struct devcache *c, const char *mn, size_t len)
{
    if (!c || !c->n || len > 64)
        return NULL;
    size_t h = devcache_hash(mn, len) & (c->nslots - 1);
    while (c->slots[h]) {
        const struct devcache_entry *d = &c->e[c->slots[h] - 1];
        if (strlen(d->mn) == len && !memcmp(d->mn, mn, len))
            return d;
        h = (h + 1) & (c->nslots - 1);
    }
    return NULL;
}

const struct devcache_entry *devcache_by_id(const struct devcache *c, int64_t id)
{
    size_t lo = 0, hi = c ? c->n : 0; /* loaded ORDER BY id */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->e[mid].device_id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < (c ? c->n : 0) && c->e[lo].device_id == id ? &c->e[lo] : NULL;
}

int devcache_forwarding(const struct devcache *c)
{
    return c ? c->forwarding : 0;
}

size_t devcache_count(const struct devcache *c)
{
    return c ? c->n : 0;
}

const struct devcache_entry *devcache_at(const struct devcache *c, size_t i)
{
    return &c->e[i];
}

int devcache_list_active(struct db *db, struct devcache_active *out, int max)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT d.mn, d.pw, s.kind, s.min_interval FROM devices d "
                                   "JOIN stations s ON s.id = d.station_id WHERE d.active AND "
                                   "s.active ORDER BY d.id LIMIT ?");
    if (!st)
        return -1;
    int n = 0;
    sqlite3_bind_int(st, 1, max);
    while (n < max && sqlite3_step(st) == SQLITE_ROW) {
        struct devcache_active *d = &out[n++];
        devcache_copy(d->mn, sizeof d->mn, sqlite3_column_text(st, 0));
        devcache_copy(d->pw, sizeof d->pw, sqlite3_column_text(st, 1));
        devcache_copy(d->kind, sizeof d->kind, sqlite3_column_text(st, 2));
        d->min_interval = sqlite3_column_int(st, 3);
    }
    sqlite3_reset(st);
    return n;
}
