/* readings_query — the reads of the device-data store (declared in store/readings.h): any
 * connection, no writes. Records and rollups are packed per (station, kind, period start);
 * these functions unpack the factor asked for (store/readings_val.h). Records of the last
 * second are in readings_recent, the rest in readings: every record query reads both (a key
 * is in one of them only). */
#include "core/text.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "db/row.h"
#include "modules/monitor/readings.h"
#include "modules/monitor/readings_runs.h"
#include "modules/monitor/store_readings_sqlite.h"
#include "modules/monitor/readings_val.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How far back readings_latest looks for a factor the newest records lack. */
#define READINGS_LATEST_SCAN 1440
#define READINGS_LATEST_SPAN (30 * 86400)

json_t *readings_sqlite_factors(struct db *db, int64_t station_id)
{
    sqlite3_stmt *st =
        db_stmt(db, "SELECT factor FROM station_factors WHERE station_id = ? ORDER BY factor");
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, station_id);
    json_t *arr = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(arr, json_string((const char *)sqlite3_column_text(st, 0)));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

/* The factors of one stored record row (a JSON object), NULL when unreadable. */
static json_t *readings_row_vals(sqlite3_stmt *st, int col)
{
    return readings_val_object(sqlite3_column_blob(st, col), sqlite3_column_bytes(st, col));
}

/* Fills found[i] (factor i's newest record) from rows newest first; returns how many of the
 * n factors are still missing. */
static size_t readings_latest_scan(sqlite3_stmt *st, json_t *factors, json_t **found, size_t n,
                                   int kind, int max_rows)
{
    size_t missing = n;
    for (int rows = 0; missing && rows < max_rows && sqlite3_step(st) == SQLITE_ROW; rows++) {
        json_t *o = readings_row_vals(st, 1);
        for (size_t i = 0; i < n && o; i++) {
            struct readings_val v;
            const char *f = json_string_value(json_array_get(factors, i));
            if (found[i] || readings_val_get(json_object_get(o, f), &v))
                continue;
            found[i] = readings_val_json(sqlite3_column_int64(st, 0), &v, f, kind);
            missing--;
        }
        json_decref(o);
    }
    sqlite3_reset(st);
    return missing;
}

json_t *readings_sqlite_latest(struct db *db, int64_t station_id, int kind)
{
    json_t *factors = readings_factors(db, station_id);
    /* The newest rows first; a factor not among them (a sensor that stopped) is looked for
     * within the last 30 days, one factor at a time. */
    sqlite3_stmt *st = db_stmt(db, "SELECT ts, vals FROM readings WHERE station_id = ?1 AND "
                                   "kind = ?2 AND ts >= ?3 UNION ALL SELECT ts, vals FROM "
                                   "readings_recent WHERE station_id = ?1 AND kind = ?2 AND "
                                   "ts >= ?3 ORDER BY 1 DESC");
    if (!factors || !st) {
        json_decref(factors);
        return NULL;
    }
    size_t n = json_array_size(factors);
    json_t **found = xcalloc(n ? n : 1, sizeof *found);
    db_bind(st, "iii", station_id, (int64_t)kind, INT64_MIN);
    size_t missing = readings_latest_scan(st, factors, found, n, kind, READINGS_LATEST_SCAN);
    for (size_t i = 0; missing && i < n; i++) {
        if (found[i])
            continue;
        json_t *one = json_array();
        json_array_append(one, json_array_get(factors, i));
        db_bind(st, "iii", station_id, (int64_t)kind, timeutil_now() - READINGS_LATEST_SPAN);
        readings_latest_scan(st, one, &found[i], 1, kind, READINGS_LATEST_SPAN / 60);
        json_decref(one);
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        if (found[i])
            json_array_append_new(arr, found[i]);
    free(found);
    json_decref(factors);
    return arr;
}

json_t *readings_sqlite_series(struct db *db, int64_t station_id, const char *factor, int kind,
                               int64_t from, int64_t to, int64_t after, int limit, int64_t *next)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT ts, vals FROM readings WHERE station_id = ?1 AND "
                                   "kind = ?2 AND ts >= ?3 AND ts < ?4 AND ts > ?5 UNION ALL "
                                   "SELECT ts, vals FROM readings_recent WHERE station_id = ?1 "
                                   "AND kind = ?2 AND ts >= ?3 AND ts < ?4 AND ts > ?5 ORDER BY 1");
    if (!st || db_bind(st, "iiiii", station_id, (int64_t)kind, from, to,
                       after ? after : INT64_MIN) != SQLITE_OK)
        return NULL;
    json_t *arr = json_array();
    int count = 0, rc;
    int64_t last = 0;
    *next = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *o = readings_row_vals(st, 1);
        struct readings_val v;
        int have = !readings_val_get(json_object_get(o, factor), &v);
        json_decref(o);
        if (!have)
            continue; /* a record of the other factors only */
        if (count == limit) {
            *next = last;
            break;
        }
        last = sqlite3_column_int64(st, 0);
        json_array_append_new(arr, readings_val_json(last, &v, NULL, 0));
        count++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

json_t *readings_sqlite_rollups(struct db *db, int64_t station_id, const char *factor, int kind,
                                int64_t from, int64_t to, int limit)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT ts, vals FROM rollups WHERE station_id = ? AND "
                                   "kind = ? AND ts >= ? AND ts < ? ORDER BY ts");
    if (!st || db_bind(st, "iiii", station_id, (int64_t)kind, from, to) != SQLITE_OK)
        return NULL;
    json_t *arr = json_array();
    while ((int)json_array_size(arr) < limit && sqlite3_step(st) == SQLITE_ROW) {
        json_t *o = readings_row_vals(st, 1);
        struct readings_agg a = {0};
        int have = !readings_agg_get(json_object_get(o, factor), &a);
        json_decref(o);
        if (!have)
            continue;
        json_array_append_new(arr, readings_agg_json(sqlite3_column_int64(st, 0), &a));
    }
    sqlite3_reset(st);
    return arr;
}

/* A minute slot is received when a record of any factor arrived for it, and valid when every
 * factor's record is (折算 -Zs values follow their factor and are not counted). */
int readings_sqlite_day_health(struct db *db, int64_t station_id, int min_interval,
                               int64_t day_start, struct readings_health *out)
{
    if (min_interval < 1)
        min_interval = 10;
    int slots = 1440 / min_interval;
    unsigned char seen[1440], bad[1440];
    memset(seen, 0, sizeof seen);
    memset(bad, 0, sizeof bad);
    sqlite3_stmt *st = db_stmt(db, "SELECT ts, vals FROM readings WHERE station_id = ?1 AND "
                                   "kind = 2 AND ts >= ?2 AND ts < ?3 UNION ALL SELECT ts, vals "
                                   "FROM readings_recent WHERE station_id = ?1 AND kind = 2 AND "
                                   "ts >= ?2 AND ts < ?3");
    if (!st || db_bind(st, "iii", station_id, day_start, day_start + 86400) != SQLITE_OK)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int slot = (int)((sqlite3_column_int64(st, 0) - day_start) / 60 / min_interval);
        json_t *o = readings_row_vals(st, 1);
        const char *factor;
        json_t *arr;
        json_object_foreach(o, factor, arr)
        {
            struct readings_val v;
            if (slot < 0 || slot >= slots || strstr(factor, "-Zs") || readings_val_get(arr, &v))
                continue;
            seen[slot] = 1;
            if (!monitor_row_valid(v.flag, v.qual))
                bad[slot] = 1;
        }
        json_decref(o);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return -1;
    out->expected = slots;
    out->received = out->valid = 0;
    for (int s = 0; s < slots; s++) {
        out->received += seen[s];
        out->valid += seen[s] && !bad[s];
    }
    return 0;
}

/* The frame row st is on (id, received, mn, cn, qn, direction, status, addr, frame, reply) as
 * the frames page shows it. */
static json_t *readings_frame_json(sqlite3_stmt *st)
{
    char iso[32];
    timeutil_format_iso(sqlite3_column_int64(st, 1), iso, sizeof iso);
    char *shown = readings_frame_text(sqlite3_column_blob(st, 8), sqlite3_column_bytes(st, 8));
    json_t *o = json_pack("{s:I,s:s,s:s,s:i,s:s,s:s,s:s,s:s,s:s}", "id",
                          (json_int_t)sqlite3_column_int64(st, 0), "received", iso, "mn",
                          (const char *)sqlite3_column_text(st, 2), "cn", sqlite3_column_int(st, 3),
                          "qn", (const char *)sqlite3_column_text(st, 4), "direction",
                          (const char *)sqlite3_column_text(st, 5), "status",
                          (const char *)sqlite3_column_text(st, 6), "addr",
                          (const char *)sqlite3_column_text(st, 7), "frame", shown);
    free(shown);
    if (sqlite3_column_type(st, 9) != SQLITE_NULL) {
        shown = readings_frame_text(sqlite3_column_blob(st, 9), sqlite3_column_bytes(st, 9));
        json_object_set_new(o, "reply", json_string(shown));
        free(shown);
    }
    return o;
}

/* Appends to arr, newest first, the frames of one packed run (readings_runs.h) below before,
 * until arr holds limit; a frame pruned since is skipped. Returns the id of the last one
 * appended (or last unchanged), -1 when the run is malformed. */
static int64_t readings_frames_of_run(sqlite3_stmt *one, int64_t first, const void *gaps,
                                      size_t len, int64_t before, int limit, json_t *arr,
                                      int64_t last)
{
    int64_t *ids = xmalloc((len + 1) * sizeof *ids);
    long n = readings_run_ids(first, gaps, len, ids, len + 1);
    for (long k = n - 1; k >= 0 && json_array_size(arr) < (size_t)limit; k--) {
        if (ids[k] >= before)
            continue;
        sqlite3_bind_int64(one, 1, ids[k]);
        if (sqlite3_step(one) == SQLITE_ROW) {
            json_array_append_new(arr, readings_frame_json(one));
            last = ids[k];
        }
        sqlite3_reset(one);
    }
    free(ids);
    return n < 0 ? -1 : last;
}

json_t *readings_sqlite_frames(struct db *db, int64_t station_id, int64_t before, int limit,
                               int64_t *next)
{
    /* frames_station_runs lags the frames by at most a second (readings_sync); a station's
     * runs never overlap, so newest run first, each newest id first, is newest first */
    sqlite3_stmt *runs = db_stmt(db, "SELECT first_id, ids FROM frames_station_runs WHERE "
                                     "station_id = ?1 AND first_id < ?2 ORDER BY first_id DESC");
    sqlite3_stmt *one = db_stmt(db, "SELECT id, received, mn, cn, qn, direction, status, addr, "
                                    "frame, reply FROM frames WHERE id = ?1");
    if (before <= 0)
        before = INT64_MAX;
    if (!runs || !one || db_bind(runs, "ii", station_id, before) != SQLITE_OK)
        return NULL;
    json_t *arr = json_array();
    int64_t last = 0;
    while (json_array_size(arr) < (size_t)limit && sqlite3_step(runs) == SQLITE_ROW) {
        last =
            readings_frames_of_run(one, sqlite3_column_int64(runs, 0), sqlite3_column_blob(runs, 1),
                                   (size_t)sqlite3_column_bytes(runs, 1), before, limit, arr, last);
        if (last < 0)
            break;
    }
    sqlite3_reset(runs);
    if (last < 0) {
        json_decref(arr);
        return NULL;
    }
    *next = json_array_size(arr) == (size_t)limit ? last : 0;
    return arr;
}

/* From the day rollups (built from the hour records, store_readings.c): one range read per
 * station that has the factor. */
json_t *readings_sqlite_station_means(struct db *db, const char *factor, int64_t from, int64_t to)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT station_id FROM station_factors WHERE factor = ?");
    sqlite3_stmt *roll = db_stmt(db, "SELECT vals FROM rollups WHERE station_id = ? AND kind = "
                                     "4 AND ts >= ? AND ts < ?");
    if (!st || !roll)
        return NULL;
    sqlite3_bind_text(st, 1, factor, -1, SQLITE_STATIC);
    json_t *out = json_object();
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t station = sqlite3_column_int64(st, 0);
        int n = 0;
        double sum = 0;
        db_bind(roll, "iii", station, from, to);
        while (sqlite3_step(roll) == SQLITE_ROW) {
            json_t *o = readings_row_vals(roll, 0);
            struct readings_agg a = {0};
            if (!readings_agg_get(json_object_get(o, factor), &a) && a.n_valid) {
                n += a.n_valid;
                sum += a.sum;
            }
            json_decref(o);
        }
        sqlite3_reset(roll);
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)station);
        if (n)
            json_object_set_new(out, key, json_pack("[i,f]", n, sum));
    }
    sqlite3_reset(st);
    return out;
}

/* Adds the six pollutants' valid values of one hour record row (vals) to day d. 1 when one was
 * taken. */
static int readings_air_row(json_t *vals, int hour, struct readings_air_day *d)
{
    int taken = 0;
    for (int p = 0; p < AIRSTAT_POLLUTANT_COUNT; p++) {
        struct readings_val v;
        int64_t m;
        if (readings_val_get(json_object_get(vals, readings_air_codes[p]), &v) ||
            !readings_val_valid(&v) || !readings_air_milli(v.value, &m))
            continue;
        d->hours.n[p]++;
        d->hours.sum[p] += m;
        if (p == AIRSTAT_O3)
            d->hours.o3[hour] = m;
        taken = 1;
    }
    return taken;
}

/* One station's hour records in time order, a day appended when its first value is taken. */
int readings_sqlite_air_days(struct db *db, const int64_t *stations, size_t n_stations,
                             int64_t from, int64_t to, struct readings_air_day **out, size_t *n)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT ts, vals FROM readings WHERE station_id = ?1 AND "
                                   "kind = ?2 AND ts >= ?3 AND ts < ?4 UNION ALL SELECT ts, vals "
                                   "FROM readings_recent WHERE station_id = ?1 AND kind = ?2 AND "
                                   "ts >= ?3 AND ts < ?4 ORDER BY 1");
    if (!st)
        return -1;
    size_t cap = 0;
    int rc = SQLITE_DONE;
    for (size_t i = 0; i < n_stations && rc == SQLITE_DONE; i++) {
        if (db_bind(st, "iiii", stations[i], (int64_t)MONITOR_KIND_HOUR, from, to) != SQLITE_OK) {
            rc = SQLITE_ERROR;
            break;
        }
        struct readings_air_day spare, *d = NULL;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            int hour;
            int64_t day = readings_air_day_of(sqlite3_column_int64(st, 0), &hour);
            json_t *vals = readings_row_vals(st, 1);
            if (!d || d->day != day) {
                /* a day is kept once a value of it was taken */
                memset(&spare, 0, sizeof spare);
                for (int h = 0; h < 24; h++)
                    spare.hours.o3[h] = -1;
                spare.station_id = stations[i];
                spare.day = day;
                d = &spare;
            }
            if (vals && readings_air_row(vals, hour, d) && d == &spare) {
                *readings_air_push(out, n, &cap, stations[i], day) = spare;
                d = &(*out)[*n - 1];
            }
            json_decref(vals);
        }
        sqlite3_reset(st);
    }
    if (rc != SQLITE_DONE) {
        free(*out);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

/* The period starts of the archive and the recent records in one ordered walk: the first
 * step between two of them longer than a period is the gap. */
int readings_sqlite_first_gap(struct db *db, int64_t station_id, int kind, int64_t step,
                              int64_t since, int64_t *begin, int64_t *end)
{
    /* One row per period holds every factor the device sent for it. */
    sqlite3_stmt *st = db_stmt(db, "SELECT ts FROM readings WHERE station_id = ?1 AND kind = ?2 "
                                   "AND ts >= ?3 UNION ALL SELECT ts FROM readings_recent WHERE "
                                   "station_id = ?1 AND kind = ?2 AND ts >= ?3 ORDER BY 1");
    if (!st || db_bind(st, "iii", station_id, (int64_t)kind, since) != SQLITE_OK)
        return -1;
    int found = 0, rc;
    int64_t prev = INT64_MIN;
    while (!found && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t ts = sqlite3_column_int64(st, 0);
        if (prev != INT64_MIN && ts - prev > step) {
            *begin = prev + step;
            *end = ts - step;
            found = 1;
        }
        prev = ts;
    }
    if (!found && rc != SQLITE_DONE)
        found = -1;
    sqlite3_reset(st);
    return found;
}
