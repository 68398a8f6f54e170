/* feed — the quality module's intake of device data (docs/quality.md
 * §1 "Device feed"): hourly air concentrations of linked stations and
 * pollution-source values of enterprise outlets, read from the monitor
 * module's readings through modules/monitor/readings.h and monitor.h only.
 *
 * - Air: for each aq_station with a device_station_id, the hours since its
 *   watermark (and FEED_RECHECK_HOURS before it, for late and back-filled
 *   data) are computed from the readings and stored with airdata_put_device;
 *   changed days are rolled up again and the alarm rules applied.
 * - Sources: for each source_gas / source_water station of an enterprise, the
 *   complete hours after its watermark with a permitted limit
 *   (source_limits, outlet = the station code) go through source_value_check
 *   in hour order, which raises or clears the enterprise's alarm and hands a
 *   new one to supervision in the same transaction.
 *
 * Each station is one transaction: the values, the alarms, the watermark and
 * the audit entry commit together, so a run is idempotent and a crash never
 * evaluates an hour twice. Run by `ecogov serve` every quality_feed_interval
 * seconds and by POST /api/v1/quality/feed/run (admin, http_feed.c). Rows
 * through store.h (watermarks, links) and store_airdata.h. */
#include "app/field.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "db/audit.h"
#include "db/db.h"
#include "domain/monitor_norm.h"
#include "modules/monitor/monitor.h"
#include "modules/monitor/readings.h"
#include "modules/quality/rules.h"
#include "modules/quality/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FEED_BACKLOG_HOURS (7 * 24) /* first run, and the longest window */
#define FEED_RECHECK_HOURS 48       /* air hours before the watermark read again */
#define FEED_SETTLE 300             /* an hour is evaluated this long after it ends */
#define FEED_MIN_MINUTES 45         /* GB 3095: an hourly value needs 45 minutes */
#define FEED_LIMITS_MAX 32

/* HJ 212 codes of the six pollutants in airdata column order. */
static const char *const feed_air_codes[AIRDATA_NCOLS] = {"a21026", "a21004", "a21005",
                                                          "a05024", "a34002", "a34004"};

/* Short names a permitted limit may be registered under, and the device code
 * (HJ 212-2017 Appendix B); any other name is taken as the device code. */
static const struct {
    const char *name, *code;
} feed_source_codes[] = {
    {"so2", "a21026"},    {"nox", "a21002"}, {"dust", "a34013"}, {"烟尘", "a34013"},
    {"颗粒物", "a34013"}, {"co", "a21005"},  {"cod", "w01018"},  {"nh3n", "w21003"},
    {"tp", "w21011"},     {"tn", "w21001"},
};
#define FEED_O2 "a19001"

/* One hour of one factor as the feed sees it. */
struct feed_hour {
    bool has;       /* a value exists */
    bool valid;     /* usable as an official hourly value */
    bool device_ok; /* enough records arrived (≥ 45 minutes' worth) */
    char flag;      /* HJ 212 flag for the hand-over: N or the dominant invalid flag */
    double value;
};

static int64_t feed_floor_hour(int64_t t)
{
    return t >= 0 ? t - t % 3600 : t - (3600 + t % 3600) % 3600;
}

/* The flag for the hand-over of an invalid record: the HJ 212 letter, a
 * 2005 air-station code or ecogov's own invalidating marks as D (fault). */
static char feed_flag_letter(const char *flag, bool valid)
{
    if (valid)
        return 'N';
    if (flag && strlen(flag) == 1 && strchr("FMSDCTB", flag[0]))
        return flag[0];
    return 'D';
}

/* The most frequent invalid flag among an hour's minute records. */
static char feed_dominant_flag(struct db *db, int64_t station, const char *code, int64_t hour)
{
    int64_t next = 0;
    json_t *recs =
        readings_series(db, station, code, MONITOR_KIND_MINUTE, hour, hour + 3600, 0, 3600, &next);
    static const char letters[] = "FMSDCTB";
    int counts[sizeof letters] = {0};
    size_t i;
    json_t *r;
    json_array_foreach(recs, i, r)
    {
        if (json_is_true(json_object_get(r, "valid")))
            continue;
        char f = feed_flag_letter(json_string_value(json_object_get(r, "flag")), false);
        counts[strchr(letters, f) - letters]++;
    }
    json_decref(recs);
    int best = 3; /* D when nothing is found */
    for (int k = 0; k < (int)sizeof letters - 1; k++)
        if (counts[k] > counts[best])
            best = k;
    return letters[best];
}

/* Fills out[0..n) for the hours from, from + 1 h, ... of one factor: the
 * device's own hour record (CN 2061) when there is one, else the hour rollup
 * of its minute records. -1 on a database error. */
static int feed_hours(struct db *db, int64_t station, const char *code, int64_t from, int n,
                      int min_interval, struct feed_hour *out)
{
    memset(out, 0, sizeof *out * (size_t)n);
    int64_t to = from + (int64_t)n * 3600;
    json_t *roll = readings_rollups(db, station, code, MONITOR_KIND_HOUR, from, to, n);
    if (!roll)
        return -1;
    size_t i;
    json_t *o;
    json_array_foreach(roll, i, o)
    {
        int64_t ts = json_integer_value(json_object_get(o, "ts"));
        json_t *avg = json_object_get(o, "avg");
        if ((ts - from) % 3600 || !json_is_number(avg))
            continue;
        struct feed_hour *h = &out[(ts - from) / 3600];
        int cnt = (int)json_integer_value(json_object_get(o, "n"));
        int nv = (int)json_integer_value(json_object_get(o, "n_valid"));
        h->has = true;
        h->value = json_number_value(avg);
        h->valid = nv * min_interval >= FEED_MIN_MINUTES;
        h->device_ok = cnt * min_interval >= FEED_MIN_MINUTES;
        /* A quarter or more of the hour's records invalid: the hour is handed
         * over with the flag those records carry. */
        h->flag = nv * 4 >= cnt * 3 ? 'N' : feed_dominant_flag(db, station, code, ts);
    }
    json_decref(roll);
    int64_t next = 0;
    json_t *recs = readings_series(db, station, code, MONITOR_KIND_HOUR, from, to, 0, n, &next);
    if (!recs)
        return -1;
    json_array_foreach(recs, i, o)
    {
        int64_t ts = json_integer_value(json_object_get(o, "ts"));
        if ((ts - from) % 3600)
            continue;
        struct feed_hour *h = &out[(ts - from) / 3600];
        bool valid = json_is_true(json_object_get(o, "valid"));
        if (h->valid && !valid)
            continue; /* an invalid hour record never replaces valid minutes */
        h->has = true;
        h->valid = valid;
        h->device_ok = true;
        h->value = json_number_value(json_object_get(o, "value"));
        h->flag = feed_flag_letter(json_string_value(json_object_get(o, "flag")), valid);
    }
    json_decref(recs);
    return 0;
}

/* The window [*from, *to) of complete hours to read after watermark `mark`
 * (0 = never run), going back `recheck` hours before it. 0 = nothing to do. */
static int feed_window(int64_t mark, int recheck, int64_t now, int64_t *from, int *n)
{
    int64_t to = feed_floor_hour(now - FEED_SETTLE);
    int64_t f = mark ? mark + 3600 - (int64_t)recheck * 3600 : to - FEED_BACKLOG_HOURS * 3600LL;
    if (f < to - FEED_BACKLOG_HOURS * 3600LL)
        f = to - FEED_BACKLOG_HOURS * 3600LL;
    *from = f;
    *n = (int)((to - f) / 3600);
    return *n > 0;
}

static int feed_cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* One linked air station, in its own transaction. */
static int feed_air_station(struct db *db, const struct audit_actor *actor, int64_t aq_id,
                            int64_t dev_id, int64_t now, struct quality_feed_stats *stats)
{
    json_t *mon = monitor_station_get(db, dev_id, 0, now);
    if (!mon)
        return 0; /* the link points at a removed station: nothing to read */
    int min_interval = (int)json_integer_value(json_object_get(mon, "min_interval"));
    json_decref(mon);
    if (min_interval < 1)
        min_interval = 1;
    int64_t mark = feed_marks_get(db, "air", aq_id), from;
    int n;
    if (mark < 0)
        return -1;
    if (!feed_window(mark, FEED_RECHECK_HOURS, now, &from, &n))
        return 0;
    struct feed_hour *h = xmalloc(sizeof *h * (size_t)n * AIRDATA_NCOLS);
    int rc = 0;
    for (int c = 0; c < AIRDATA_NCOLS && !rc; c++)
        rc = feed_hours(db, dev_id, feed_air_codes[c], from, n, min_interval, h + (size_t)c * n);
    int64_t *days = xmalloc(sizeof *days * (size_t)n), last = mark;
    int ndays = 0, changed = 0;
    if (!rc)
        rc = db_begin(db);
    for (int i = 0; i < n && !rc; i++) {
        int64_t v[AIRDATA_NCOLS], hour = from + (int64_t)i * 3600;
        bool any = false;
        for (int c = 0; c < AIRDATA_NCOLS; c++) {
            const struct feed_hour *x = &h[(size_t)c * n + i];
            v[c] = x->has && x->valid && x->value >= 0 ? llround(x->value * 1000) : -1;
            any = any || x->has;
        }
        int ch = airdata_put_device(db, aq_id, hour, v);
        if (ch < 0)
            rc = -1;
        else if (ch) {
            changed++;
            days[ndays++] = airdata_day_of(hour);
        }
        if (any && hour > last)
            last = hour;
    }
    qsort(days, (size_t)ndays, sizeof *days, feed_cmp_i64);
    for (int i = 0; i < ndays && !rc; i++)
        if (!i || days[i] != days[i - 1])
            rc = quality_rollup_day(db, (int32_t)days[i], &aq_id, 1);
    if (!rc && changed) {
        json_t *d = json_pack("{sI sI si}", "device_station_id", (json_int_t)dev_id, "from",
                              (json_int_t)from, "hours_changed", changed);
        rc = audit_append_id(db, actor, "aq_hourly.device", "aq_station", aq_id, d) ||
             quality_alarms_check(db, now);
        json_decref(d);
    }
    if (!rc && last > mark)
        rc = feed_marks_set(db, "air", aq_id, last, now);
    if (!rc)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
    else
        stats->air_hours += changed;
    free(days);
    free(h);
    return rc;
}

/* The device code of a limit's factor name. */
static const char *feed_source_code(const char *name)
{
    for (size_t i = 0; i < sizeof feed_source_codes / sizeof feed_source_codes[0]; i++)
        if (!strcmp(name, feed_source_codes[i].name))
            return feed_source_codes[i].code;
    return name;
}

struct feed_limit {
    char factor[64];
    bool o2ref;
};

/* One pollution-source station, in its own transaction. */
static int feed_source_station(struct db *db, const struct audit_actor *actor, json_t *station,
                               int64_t now, struct quality_feed_stats *stats)
{
    int64_t sid = json_integer_value(json_object_get(station, "id"));
    int64_t ent = json_integer_value(json_object_get(station, "enterprise_id"));
    const char *code = json_string_value(json_object_get(station, "code"));
    const char *kind = json_string_value(json_object_get(station, "kind"));
    int min_interval = (int)json_integer_value(json_object_get(station, "min_interval"));
    if (ent <= 0 || !code || !kind)
        return 0;
    if (min_interval < 1)
        min_interval = 1;
    json_t *limits = source_limits_of_outlet(db, ent, code);
    if (!limits)
        return -1;
    struct feed_limit lim[FEED_LIMITS_MAX];
    int nl = 0;
    size_t li;
    json_t *lo;
    json_array_foreach(limits, li, lo)
    {
        if (nl == FEED_LIMITS_MAX)
            break;
        snprintf(lim[nl].factor, sizeof lim[nl].factor, "%s",
                 json_string_value(json_object_get(lo, "factor")));
        lim[nl].o2ref = json_integer_value(json_object_get(lo, "o2ref")) != 0;
        nl++;
    }
    json_decref(limits);
    int64_t mark = feed_marks_get(db, "source", sid), from;
    int n;
    if (!nl || mark < 0 || !feed_window(mark, 0, now, &from, &n))
        return mark < 0 ? -1 : 0;
    /* The monitoring point handed to supervision: the device MN. */
    char point[64];
    snprintf(point, sizeof point, "%s", code);
    json_t *mon = monitor_station_get(db, sid, 0, now);
    json_t *dev0 = json_array_get(json_object_get(mon, "device_list"), 0);
    bool dev_active = !dev0 || json_integer_value(json_object_get(dev0, "active")) != 0;
    if (json_string_value(json_object_get(dev0, "mn")))
        snprintf(point, sizeof point, "%s", json_string_value(json_object_get(dev0, "mn")));
    json_decref(mon);
    bool gas = !strcmp(kind, "source_gas");
    struct feed_hour *val = xmalloc(sizeof *val * (size_t)n * 3);
    struct feed_hour *o2 = val + n, *zs = val + 2 * n;
    int rc = gas ? feed_hours(db, sid, FEED_O2, from, n, min_interval, o2) : 0;
    int64_t last = mark;
    int evaluated = 0;
    json_t *raised = json_array();
    if (!rc)
        rc = db_begin(db);
    for (int k = 0; k < nl && !rc; k++) {
        const char *dcode = feed_source_code(lim[k].factor);
        char zcode[80];
        snprintf(zcode, sizeof zcode, "%.60s-Zs", dcode); /* factor codes are short */
        rc = feed_hours(db, sid, dcode, from, n, min_interval, val) ||
             (gas && lim[k].o2ref && feed_hours(db, sid, zcode, from, n, min_interval, zs));
        for (int i = 0; i < n && !rc; i++) {
            const struct feed_hour *x = &val[i];
            int64_t hour = from + (int64_t)i * 3600;
            if (!x->has || x->value < 0)
                continue;
            if (hour > last)
                last = hour;
            json_t *in = json_pack(
                "{sI ss ss sf ss sb sI ss ss ss}", "enterprise_id", (json_int_t)ent, "outlet", code,
                "factor", lim[k].factor, "value", x->value, "flag", (char[2]){x->flag, 0},
                "device_ok", x->device_ok && dev_active, "observed_at", (json_int_t)hour, "point",
                point, "unit", gas ? "mg/m³" : "mg/L", "source", "hj212");
            if (gas && lim[k].o2ref) {
                /* 折算: the measured O2 of the hour, else the device's own 折算 value. */
                if (o2[i].has && o2[i].value < 20.9)
                    json_object_set_new(in, "o2", json_real(o2[i].value));
                else if (lim[k].o2ref && zs[i].has && zs[i].value >= 0) {
                    json_object_set_new(in, "value", json_real(zs[i].value));
                    json_object_set_new(in, "converted", json_true());
                } else {
                    json_decref(in);
                    continue; /* not comparable with the limit: no O2, no 折算 value */
                }
            }
            struct problem p = {0};
            int64_t alarm = 0;
            if (source_value_check(db, actor, in, &alarm, &p) != ERR_OK) {
                log_warn("quality feed: station %s %s: %s (%s)", code, lim[k].factor, p.message,
                         p.field ? p.field : "");
                rc = -1;
            } else {
                evaluated++;
                if (alarm)
                    json_array_append_new(raised, json_integer(alarm));
            }
            json_decref(in);
        }
    }
    if (!rc && evaluated) {
        json_t *d = json_pack("{sI sI si sO}", "enterprise_id", (json_int_t)ent, "from",
                              (json_int_t)from, "hours", evaluated, "alarms", raised);
        rc = audit_append_id(db, actor, "source_value.device", "station", sid, d);
        json_decref(d);
    }
    if (!rc && last > mark)
        rc = feed_marks_set(db, "source", sid, last, now);
    if (!rc)
        rc = db_commit(db);
    if (rc)
        db_rollback(db);
    else
        stats->source_hours += evaluated;
    json_decref(raised);
    free(val);
    return rc;
}

int quality_feed_run(struct db *db, int64_t now, struct quality_feed_stats *stats)
{
    const struct audit_actor actor = {0, "system"};
    memset(stats, 0, sizeof *stats);
    int64_t t0 = timeutil_now_ms();
    json_t *links = feed_links(db);
    if (!links)
        return -1;
    int bad = 0;
    size_t li;
    json_t *link;
    json_array_foreach(links, li, link)
    {
        int64_t aq = json_integer_value(json_object_get(link, "id"));
        int64_t dev = json_integer_value(json_object_get(link, "device_station_id"));
        if (feed_air_station(db, &actor, aq, dev, now, stats)) {
            log_warn("quality feed: air station %lld failed", (long long)aq);
            bad = 1;
        }
    }
    json_decref(links);
    static const char *const kinds[] = {"source_gas", "source_water"};
    for (int k = 0; k < 2; k++) {
        struct monitor_station_filter f = {.kind = kinds[k], .now = now};
        json_t *list = monitor_station_list(db, &f);
        if (!list) {
            bad = 1;
            continue;
        }
        size_t i;
        json_t *s;
        json_array_foreach(list, i, s)
        {
            if (!json_integer_value(json_object_get(s, "active")))
                continue;
            if (feed_source_station(db, &actor, s, now, stats)) {
                log_warn("quality feed: source station %s failed",
                         json_string_value(json_object_get(s, "code")));
                bad = 1;
            }
        }
        json_decref(list);
    }
    stats->ms = timeutil_now_ms() - t0;
    return bad ? -1 : 0;
}

enum err quality_station_link(struct db *db, int64_t id, int64_t dev, struct problem *p)
{
    if (dev) {
        json_t *mon = monitor_station_get(db, dev, 0, timeutil_now());
        const char *kind = json_string_value(json_object_get(mon, "kind"));
        bool air = kind && (!strcmp(kind, "national") || !strcmp(kind, "provincial") ||
                            !strcmp(kind, "micro"));
        json_decref(mon);
        if (!air)
            return problem_set(p, ERR_INVALID_FIELD, "device_station_id",
                               "须为已登记的空气监测站点（国控、省控或微站）");
        if (feed_link_taken(db, dev, id))
            return problem_set(p, ERR_INVALID_FIELD, "device_station_id",
                               "该监测站点已关联另一个空气质量站点");
    }
    bool found = false;
    if (feed_link_set(db, id, dev, &found))
        return ERR_INTERNAL;
    if (!found)
        return problem_set(p, ERR_NOT_FOUND, NULL, "没有该站点");
    return ERR_OK;
}

/* Links station *id to in->device_station_id (null unlinks), audited. */
static enum err feed_link_audited(struct db *db, const struct audit_actor *actor, json_t *in,
                                  int64_t *id, struct problem *p)
{
    int64_t dev;
    if (field_id(in, "device_station_id", QUALITY_DEVICE_LABEL, FIELD_OPTIONAL, &dev, p))
        return p->err;
    enum err e = quality_station_link(db, *id, dev, p);
    if (e == ERR_OK && audit_append_id(db, actor, "aq_station.link", "aq_station", *id, in))
        e = ERR_INTERNAL;
    return e;
}

enum err quality_station_relink(struct db *db, const struct audit_actor *actor, int64_t id,
                                json_t *in, struct problem *p, json_t **out)
{
    *out = NULL;
    enum err e = quality_write(db, actor, in, feed_link_audited, false, &id, p);
    if (e != ERR_OK)
        return e;
    *out = aq_stations_get(db, id);
    return *out ? ERR_OK : ERR_INTERNAL;
}

enum err quality_feed_now(struct db *db, json_t **out)
{
    struct quality_feed_stats s;
    int rc = quality_feed_run(db, timeutil_now(), &s);
    *out = rc ? NULL
              : json_pack("{sb si si sI}", "ok", 1, "air_hours", s.air_hours, "source_hours",
                          s.source_hours, "ms", (json_int_t)s.ms);
    return rc ? ERR_INTERNAL : ERR_OK;
}

/* Demo: the demo national quality stations linked to the demo monitor's
 * national stations of the same district (their imported history stays, the
 * simulator's hours follow it), and permitted limits (ultra-low emission
 * figures, 9 % reference O2) for the demo CEMS outlets, so `make run` shows
 * the whole flow. Through the same functions the API uses. */
int demo_quality_feed(struct db *db, const struct audit_actor *actor)
{
    struct monitor_station_filter nf = {.kind = "national", .now = timeutil_now()};
    struct monitor_station_filter gf = {.kind = "source_gas", .now = timeutil_now()};
    json_t *nat = monitor_station_list(db, &nf), *gas = monitor_station_list(db, &gf);
    int rc = !nat || !gas || db_begin(db) ? -1 : 0;
    size_t i;
    json_t *s;
    json_array_foreach(nat, i, s)
    {
        if (rc)
            break;
        const char *district = json_string_value(json_object_get(s, "district"));
        int64_t aq = district ? feed_unlinked_national(db, district) : 0;
        if (!aq)
            continue;
        struct problem p = {0};
        json_t *in = json_pack("{sO}", "device_station_id", json_object_get(s, "id"));
        rc = feed_link_audited(db, actor, in, &aq, &p) != ERR_OK;
        json_decref(in);
    }
    static const struct {
        const char *factor;
        double limit;
    } limits[] = {{"so2", 35}, {"nox", 50}, {"dust", 10}};
    json_array_foreach(gas, i, s)
    {
        for (size_t k = 0; k < sizeof limits / sizeof limits[0] && !rc; k++) {
            struct problem p = {0};
            json_t *in =
                json_pack("{sO sO ss sf sf}", "enterprise_id", json_object_get(s, "enterprise_id"),
                          "outlet", json_object_get(s, "code"), "factor", limits[k].factor, "limit",
                          limits[k].limit, "o2_ref", 9.0);
            rc = source_limit_add(db, actor, in, &p) != ERR_OK;
            json_decref(in);
        }
    }
    json_decref(nat);
    json_decref(gas);
    if (rc) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db);
}
