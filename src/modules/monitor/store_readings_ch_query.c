/* store_readings_ch_query — the ClickHouse engine's readers (readings.h): the same JSON as
 * the SQLite engine's (store_readings_query.c), read through the Distributed tables.
 *
 * Every read takes, per (station, factor, kind, period start), the columns of the row with
 * the highest version (argMax … GROUP BY): exact before ClickHouse merges the duplicates a
 * resend or a spool drain leaves, on 18.16 and current releases alike (FINAL would do too,
 * but reads every column of the parts it merges). Hour and day figures are aggregated by
 * ClickHouse from the records (hour from minute records, Beijing day from hour records), so
 * nothing is kept back and nothing but the result comes back to C. Numbers in the SQL are
 * formatted here, strings as chttp_put_literal literals. */
#include "core/buf.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "modules/monitor/chttp.h"
#include "modules/monitor/readings_ch.h"
#include "modules/monitor/readings_val.h"
#include "modules/monitor/store_readings_ch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How far back readings_latest looks (as the SQLite engine's fallback scan). */
#define RCH_LATEST_SPAN (30 * 86400)
#define RCH_FIELDS 16

/* The record columns of the newest version of each key, in this order (rch_val_of). */
#define RCH_VAL_COLS                                                                               \
    "argMax(value, version), argMax(vmin, version), argMax(vmax, version), argMax(cou, "           \
    "version), argMax(has, version), argMax(flag, version), argMax(qual, version)"

static int64_t rch_clamp(int64_t t)
{
    return t < 0 ? 0 : t > 4294967295LL ? 4294967295LL : t;
}

/* Runs a SELECT; its TabSeparated reply in out. 0 or -1 (logged). */
static int rch_select(const struct buf *sql, struct buf *out)
{
    const struct chttp_conf *c = rch_conf();
    char err[400];
    if (!c || chttp_run(c, -1, NULL, sql->data, NULL, 0, out, err, sizeof err)) {
        log_warn("readings: cluster query failed: %s", c ? err : "not configured");
        return -1;
    }
    return 0;
}

static void rch_where_station(struct buf *sql, int64_t station_id, const char *factor, int kind)
{
    buf_printf(sql, " WHERE station = %lld", (long long)station_id);
    if (factor) {
        buf_puts(sql, " AND factor = ");
        chttp_put_literal(sql, factor);
    }
    if (kind)
        buf_printf(sql, " AND kind = %d", kind);
}

/* Reads the RCH_VAL_COLS fields f[0..6] into v. */
static void rch_val_of(char **f, struct readings_val *v)
{
    memset(v, 0, sizeof *v);
    v->value = strtod(f[0], NULL);
    v->vmin = strtod(f[1], NULL);
    v->vmax = strtod(f[2], NULL);
    v->cou = strtod(f[3], NULL);
    v->has = (unsigned)strtoul(f[4], NULL, 10);
    snprintf(v->flag, sizeof v->flag, "%s", f[5]);
    v->qual = (uint32_t)strtoul(f[6], NULL, 10);
}

json_t *rch_factors(struct db *db, int64_t station_id)
{
    (void)db;
    struct buf sql, out;
    buf_init(&sql, 0);
    buf_init(&out, 0);
    buf_puts(&sql, "SELECT DISTINCT factor FROM readings");
    rch_where_station(&sql, station_id, NULL, 0);
    buf_puts(&sql, " ORDER BY factor");
    json_t *arr = NULL;
    if (!rch_select(&sql, &out)) {
        arr = json_array();
        size_t pos = 0, lens[1];
        char *f[1];
        while (chttp_next_row(out.data, out.len, &pos, f, lens, 1) == 1)
            json_array_append_new(arr, json_stringn(f[0], lens[0]));
    }
    buf_free(&sql);
    buf_free(&out);
    return arr;
}

json_t *rch_latest(struct db *db, int64_t station_id, int kind)
{
    (void)db;
    struct buf sql, out;
    buf_init(&sql, 0);
    buf_init(&out, 0);
    /* each factor's newest period start, then that period's newest version */
    buf_puts(&sql, "SELECT factor, toUInt32(max(t)), argMax(v0, t), argMax(v1, t), argMax(v2, t), "
                   "argMax(v3, t), argMax(v4, t), argMax(v5, t), argMax(v6, t) FROM (SELECT "
                   "factor, ts AS t, argMax(value, version) AS v0, argMax(vmin, version) AS v1, "
                   "argMax(vmax, version) AS v2, argMax(cou, version) AS v3, argMax(has, "
                   "version) AS v4, argMax(flag, version) AS v5, argMax(qual, version) AS v6 "
                   "FROM readings");
    rch_where_station(&sql, station_id, NULL, kind);
    buf_printf(&sql,
               " AND ts >= toDateTime(%lld) GROUP BY factor, ts) GROUP BY factor ORDER BY "
               "factor",
               (long long)rch_clamp(timeutil_now() - RCH_LATEST_SPAN));
    json_t *arr = NULL;
    if (!rch_select(&sql, &out)) {
        arr = json_array();
        size_t pos = 0, lens[RCH_FIELDS];
        char *f[RCH_FIELDS];
        while (chttp_next_row(out.data, out.len, &pos, f, lens, RCH_FIELDS) == 9) {
            struct readings_val v;
            rch_val_of(f + 2, &v);
            json_array_append_new(arr, readings_val_json(strtoll(f[1], NULL, 10), &v, f[0], kind));
        }
    }
    buf_free(&sql);
    buf_free(&out);
    return arr;
}

json_t *rch_series(struct db *db, int64_t station_id, const char *factor, int kind, int64_t from,
                   int64_t to, int64_t after, int limit, int64_t *next)
{
    (void)db;
    *next = 0;
    if (limit < 1)
        return json_array();
    struct buf sql, out;
    buf_init(&sql, 0);
    buf_init(&out, 0);
    buf_puts(&sql, "SELECT toUInt32(ts), " RCH_VAL_COLS " FROM readings");
    rch_where_station(&sql, station_id, factor, kind);
    buf_printf(&sql, " AND ts >= toDateTime(%lld) AND ts < toDateTime(%lld)",
               (long long)rch_clamp(from), (long long)rch_clamp(to));
    if (after > 0)
        buf_printf(&sql, " AND ts > toDateTime(%lld)", (long long)rch_clamp(after));
    buf_printf(&sql, " GROUP BY ts ORDER BY ts LIMIT %d", limit + 1);
    json_t *arr = NULL;
    if (to > 0 && from < to && !rch_select(&sql, &out)) {
        arr = json_array();
        size_t pos = 0, lens[RCH_FIELDS];
        char *f[RCH_FIELDS];
        int count = 0;
        int64_t last = 0;
        while (chttp_next_row(out.data, out.len, &pos, f, lens, RCH_FIELDS) == 8) {
            if (count == limit) {
                *next = last;
                break;
            }
            struct readings_val v;
            rch_val_of(f + 1, &v);
            last = strtoll(f[0], NULL, 10);
            json_array_append_new(arr, readings_val_json(last, &v, NULL, 0));
            count++;
        }
    } else if (!(to > 0 && from < to)) {
        arr = json_array();
    }
    buf_free(&sql);
    buf_free(&out);
    return arr;
}

/* The period start (of a rollup of `kind`) as SQL over the column ts: hours, or Beijing days
 * (UTC+8, no daylight saving) — integer arithmetic, the server's time zone plays no part. */
static const char *rch_period_sql(int kind)
{
    return kind == MONITOR_KIND_HOUR ? "intDiv(toUInt32(ts), 3600) * 3600"
                                     : "intDiv(toUInt32(ts) + 28800, 86400) * 86400 - 28800";
}

/* The first period start of `kind` at or after t. */
static int64_t rch_period_ceil(int kind, int64_t t)
{
    int64_t len = kind == MONITOR_KIND_HOUR ? 3600 : 86400;
    int64_t off = kind == MONITOR_KIND_HOUR ? 0 : 28800;
    int64_t k = (t + off) / len;
    if ((t + off) % len > 0)
        k++;
    return k * len - off;
}

json_t *rch_rollups(struct db *db, int64_t station_id, const char *factor, int kind, int64_t from,
                    int64_t to, int limit)
{
    (void)db;
    if (kind != MONITOR_KIND_HOUR && kind != MONITOR_KIND_DAY)
        return json_array();
    /* hour figures from minute records, day figures from hour records (as the SQLite store) */
    int src = kind == MONITOR_KIND_HOUR ? MONITOR_KIND_MINUTE : MONITOR_KIND_HOUR;
    int64_t lo = rch_clamp(rch_period_ceil(kind, from)), hi = rch_clamp(rch_period_ceil(kind, to));
    if (lo >= hi || limit < 1)
        return json_array();
    struct buf sql, out;
    buf_init(&sql, 0);
    buf_init(&out, 0);
    buf_printf(&sql,
               "SELECT %s AS p, count(), sum(vd), sumIf(v, vd = 1), minIf(v, vd = 1), "
               "maxIf(v, vd = 1) FROM (SELECT ts, argMax(value, version) AS v, argMax(valid, "
               "version) AS vd FROM readings",
               rch_period_sql(kind));
    rch_where_station(&sql, station_id, factor, src);
    buf_printf(&sql,
               " AND ts >= toDateTime(%lld) AND ts < toDateTime(%lld) GROUP BY ts) GROUP BY p "
               "ORDER BY p LIMIT %d",
               (long long)lo, (long long)hi, limit);
    json_t *arr = NULL;
    if (!rch_select(&sql, &out)) {
        arr = json_array();
        size_t pos = 0, lens[RCH_FIELDS];
        char *f[RCH_FIELDS];
        while (chttp_next_row(out.data, out.len, &pos, f, lens, RCH_FIELDS) == 6) {
            struct readings_agg a = {.n = (int)strtol(f[1], NULL, 10),
                                     .n_valid = (int)strtol(f[2], NULL, 10)};
            a.sum = strtod(f[3], NULL);
            a.vmin = strtod(f[4], NULL);
            a.vmax = strtod(f[5], NULL);
            json_array_append_new(arr, readings_agg_json(strtoll(f[0], NULL, 10), &a));
        }
    }
    buf_free(&sql);
    buf_free(&out);
    return arr;
}

int rch_day_health(struct db *db, int64_t station_id, int min_interval, int64_t day_start,
                   struct readings_health *out)
{
    (void)db;
    if (min_interval < 1)
        min_interval = 10;
    int slots = 1440 / min_interval;
    struct buf sql, reply;
    buf_init(&sql, 0);
    buf_init(&reply, 0);
    /* a slot is received when a record of any factor is there, valid when every factor's
     * record is (折算 -Zs values follow their factor and are not counted) */
    buf_printf(&sql,
               "SELECT intDiv(toUInt32(ts) - %lld, %d) AS slot, min(ok) FROM (SELECT ts, factor, "
               "argMax(flagok, version) AS ok FROM readings",
               (long long)rch_clamp(day_start), 60 * min_interval);
    rch_where_station(&sql, station_id, NULL, MONITOR_KIND_MINUTE);
    buf_printf(&sql,
               " AND ts >= toDateTime(%lld) AND ts < toDateTime(%lld) AND position(factor, "
               "'-Zs') = 0 GROUP BY ts, factor) GROUP BY slot",
               (long long)rch_clamp(day_start), (long long)rch_clamp(day_start + 86400));
    int rc = rch_select(&sql, &reply);
    if (!rc) {
        out->expected = slots;
        out->received = out->valid = 0;
        size_t pos = 0, lens[2];
        char *f[2];
        while (chttp_next_row(reply.data, reply.len, &pos, f, lens, 2) == 2) {
            long slot = strtol(f[0], NULL, 10);
            if (slot < 0 || slot >= slots)
                continue;
            out->received++;
            out->valid += f[1][0] == '1';
        }
    }
    buf_free(&sql);
    buf_free(&reply);
    return rc ? -1 : 0;
}

json_t *rch_frames(struct db *db, int64_t station_id, int64_t before, int limit, int64_t *next)
{
    (void)db;
    *next = 0;
    struct buf sql, out;
    buf_init(&sql, 0);
    buf_init(&out, 0);
    buf_printf(&sql,
               "SELECT id, toUInt32(received), mn, cn, qn, direction, status, addr, frame, reply, "
               "has_reply FROM frames WHERE station = %lld",
               (long long)station_id);
    if (before > 0)
        buf_printf(&sql, " AND id < %lld", (long long)before);
    buf_printf(&sql, " ORDER BY id DESC LIMIT %d", limit > 0 ? limit : 1);
    json_t *arr = NULL;
    if (!rch_select(&sql, &out)) {
        arr = json_array();
        size_t pos = 0, lens[RCH_FIELDS];
        char *f[RCH_FIELDS];
        int64_t last = 0;
        int count = 0;
        while (chttp_next_row(out.data, out.len, &pos, f, lens, RCH_FIELDS) == 11) {
            char iso[32];
            last = strtoll(f[0], NULL, 10);
            timeutil_format_iso(strtoll(f[1], NULL, 10), iso, sizeof iso);
            char *shown = readings_frame_text(f[8], (int)lens[8]);
            json_t *o =
                json_pack("{s:I,s:s,s:s%,s:i,s:s%,s:s%,s:s%,s:s%,s:s}", "id", (json_int_t)last,
                          "received", iso, "mn", f[2], lens[2], "cn", (int)strtol(f[3], NULL, 10),
                          "qn", f[4], lens[4], "direction", f[5], lens[5], "status", f[6], lens[6],
                          "addr", f[7], lens[7], "frame", shown);
            free(shown);
            if (f[10][0] == '1') {
                shown = readings_frame_text(f[9], (int)lens[9]);
                json_object_set_new(o, "reply", json_string(shown));
                free(shown);
            }
            if (o)
                json_array_append_new(arr, o);
            count++;
        }
        *next = count == limit ? last : 0;
    }
    buf_free(&sql);
    buf_free(&out);
    return arr;
}

json_t *rch_station_means(struct db *db, const char *factor, int64_t from, int64_t to)
{
    (void)db;
    struct buf sql, out;
    buf_init(&sql, 0);
    buf_init(&out, 0);
    buf_puts(&sql, "SELECT station, count(), sum(v) FROM (SELECT station, ts, argMax(value, "
                   "version) AS v, argMax(valid, version) AS vd FROM readings WHERE factor = ");
    chttp_put_literal(&sql, factor);
    buf_printf(&sql,
               " AND kind = %d AND ts >= toDateTime(%lld) AND ts < toDateTime(%lld) GROUP BY "
               "station, ts) WHERE vd = 1 GROUP BY station",
               MONITOR_KIND_HOUR, (long long)rch_clamp(from), (long long)rch_clamp(to));
    json_t *o = NULL;
    if (!rch_select(&sql, &out)) {
        o = json_object();
        size_t pos = 0, lens[3];
        char *f[3];
        while (chttp_next_row(out.data, out.len, &pos, f, lens, 3) == 3)
            json_object_set_new(
                o, f[0], json_pack("[i,f]", (int)strtol(f[1], NULL, 10), strtod(f[2], NULL)));
    }
    buf_free(&sql);
    buf_free(&out);
    return o;
}

/* The station's distinct period starts as one sorted array, and the first neighbours in it
 * more than a period apart: one row back, whatever the look-back. */
int rch_first_gap(struct db *db, int64_t station_id, int kind, int64_t step, int64_t since,
                  int64_t *begin, int64_t *end)
{
    (void)db;
    struct buf sql, out;
    buf_init(&sql, 0);
    buf_init(&out, 0);
    buf_printf(&sql,
               "SELECT a[i], a[i + 1] FROM (SELECT arraySort(groupUniqArray(toUInt32(ts))) AS a "
               "FROM readings WHERE station = %lld AND kind = %d AND ts >= toDateTime(%lld)) "
               "ARRAY JOIN arrayEnumerate(a) AS i WHERE i < length(a) AND a[i + 1] - a[i] > "
               "%lld ORDER BY i LIMIT 1",
               (long long)station_id, kind, (long long)rch_clamp(since), (long long)step);
    int found = -1;
    if (!rch_select(&sql, &out)) {
        size_t pos = 0, lens[2];
        char *f[2];
        found = chttp_next_row(out.data, out.len, &pos, f, lens, 2) == 2;
        if (found) {
            *begin = strtoll(f[0], NULL, 10) + step;
            *end = strtoll(f[1], NULL, 10) - step;
        }
    }
    buf_free(&sql);
    buf_free(&out);
    return found;
}

/* Stations per air-days query: the inner GROUP BY holds one key per (station, pollutant, hour)
 * on the initiator — 4.3 million for 1,000 stations' month went past ClickHouse's default 1 GB
 * a query (bench/clickhouse.sh) — so a province is read 250 stations at a time, about a
 * million keys a query whatever its size (the SQL also stays far below max_query_size). */
#define RCH_AIR_CHUNK 250
/* O3's hours of a day come back as one array of milli * 32 + hour (values are >= 0). */
#define RCH_AIR_HOUR_BITS 32

/* The air days of stations[0..n): per (station, Beijing day) the count and the sum of each
 * pollutant's valid hour values (the newest version of each record) and O3's hours. The key
 * is kept fixed-size (the pollutant as its 1-based index in readings_air_codes, ts as UInt32)
 * and the newest version's value carries its validity (-1 when not valid), one argMax state a
 * key: a smaller aggregation than (station, factor string, two states). */
static int rch_air_chunk(const int64_t *stations, size_t n_stations, int64_t from, int64_t to,
                         struct readings_air_day **out, size_t *n, size_t *cap)
{
    struct buf sql, reply;
    buf_init(&sql, 0);
    buf_init(&reply, 0);
    buf_puts(&sql, "SELECT station, d");
    for (int p = 1; p <= AIRSTAT_POLLUTANT_COUNT; p++)
        buf_printf(&sql, ", countIf(f = %d), sumIf(m, f = %d)", p, p);
    buf_printf(&sql,
               ", groupArrayIf(m * %d + h, f = %d) FROM (SELECT station, f, intDiv(t + 28800, "
               "86400) AS d, intDiv((t + 28800) %% 86400, 3600) AS h, toInt64(floor(v * 1000 + "
               "0.5)) AS m FROM (SELECT station, indexOf([",
               RCH_AIR_HOUR_BITS, AIRSTAT_O3 + 1);
    for (int p = 0; p < AIRSTAT_POLLUTANT_COUNT; p++)
        buf_printf(&sql, "%s'%s'", p ? ", " : "", readings_air_codes[p]);
    buf_printf(&sql,
               "], factor) AS f, toUInt32(ts) AS t, argMax(if(valid = 1, value, -1.0), version) "
               "AS v FROM readings WHERE kind = %d AND factor IN (",
               MONITOR_KIND_HOUR);
    for (int p = 0; p < AIRSTAT_POLLUTANT_COUNT; p++)
        buf_printf(&sql, "%s'%s'", p ? ", " : "", readings_air_codes[p]);
    buf_puts(&sql, ") AND station IN (");
    for (size_t i = 0; i < n_stations; i++)
        buf_printf(&sql, "%s%lld", i ? "," : "", (long long)stations[i]);
    buf_printf(&sql,
               ") AND ts >= toDateTime(%lld) AND ts < toDateTime(%lld) GROUP BY station, f, t) "
               "WHERE v >= 0 AND v <= %.1f) GROUP BY station, d ORDER BY station, d",
               (long long)rch_clamp(from), (long long)rch_clamp(to), READINGS_AIR_MAX);
    int rc = rch_select(&sql, &reply);
    size_t pos = 0, lens[RCH_FIELDS];
    char *f[RCH_FIELDS];
    enum { RCH_AIR_FIELDS = 3 + 2 * AIRSTAT_POLLUTANT_COUNT };
    while (!rc &&
           chttp_next_row(reply.data, reply.len, &pos, f, lens, RCH_FIELDS) == RCH_AIR_FIELDS) {
        struct readings_air_day *d = readings_air_push(out, n, cap, strtoll(f[0], NULL, 10),
                                                       strtoll(f[1], NULL, 10) * 86400 - 28800);
        for (int p = 0; p < AIRSTAT_POLLUTANT_COUNT; p++) {
            d->hours.n[p] = (int)strtol(f[2 + 2 * p], NULL, 10);
            d->hours.sum[p] = strtoll(f[3 + 2 * p], NULL, 10);
        }
        /* [x,y,...] */
        char *s = f[RCH_AIR_FIELDS - 1], *end;
        while (*s == '[' || *s == ',') {
            long long x = strtoll(s + 1, &end, 10);
            if (end == s + 1)
                break;
            if (x >= 0)
                d->hours.o3[x % RCH_AIR_HOUR_BITS % 24] = x / RCH_AIR_HOUR_BITS;
            s = end;
        }
    }
    buf_free(&sql);
    buf_free(&reply);
    return rc;
}

int rch_air_days(struct db *db, const int64_t *stations, size_t n_stations, int64_t from,
                 int64_t to, struct readings_air_day **out, size_t *n)
{
    (void)db;
    size_t cap = 0;
    for (size_t i = 0; i < n_stations; i += RCH_AIR_CHUNK) {
        size_t k = n_stations - i < RCH_AIR_CHUNK ? n_stations - i : RCH_AIR_CHUNK;
        if (rch_air_chunk(stations + i, k, from, to, out, n, &cap)) {
            free(*out);
            *out = NULL;
            *n = 0;
            return -1;
        }
    }
    return 0;
}
