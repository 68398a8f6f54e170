/* store_readings_ch_copy — `ecogov readings copy --from sqlite --to clickhouse`: a city's
 * device records moved up to the cluster (readings_ch.h, docs/scale.md "Moving a city up").
 *
 * Reads the SQLite store's packed records in key order (station, kind, period start), writes
 * them to the Distributed table in batches with insert_distributed_sync=1, and after each
 * acknowledged batch writes the last key to a progress file: a copy stopped anywhere resumes
 * after the last acknowledged batch, and a batch sent twice is one row per key (the version is
 * the record's own arrival time, so a newer record written live on the cluster stays newer).
 * Hour and day figures are not copied: ClickHouse computes them from the records. Raw frames
 * are not copied: they are kept hj212_raw_days and age out. */
#include "core/buf.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "db/row.h"
#include "modules/monitor/chttp.h"
#include "modules/monitor/readings_ch.h"
#include "modules/monitor/readings_val.h"
#include "modules/monitor/store_readings_ch.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The last key copied, from the progress file (all 0 when there is none). 0 or -1. */
static int rch_copy_resume(const char *path, int64_t key[3])
{
    key[0] = key[1] = key[2] = INT64_MIN;
    FILE *f = fopen(path, "r");
    if (!f)
        return errno == ENOENT ? 0 : -1;
    long long a, b, c;
    int n = fscanf(f, "%lld %lld %lld", &a, &b, &c);
    fclose(f);
    if (n != 3)
        return -1;
    key[0] = a, key[1] = b, key[2] = c;
    return 0;
}

/* Writes the last key acknowledged (a new file renamed over the old: never half written). */
static int rch_copy_save(const char *path, const int64_t key[3])
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.new", path) >= (int)sizeof tmp)
        return -1;
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    int bad = fprintf(f, "%" PRId64 " %" PRId64 " %" PRId64 "\n", key[0], key[1], key[2]) < 0;
    bad |= fflush(f) != 0;
    bad |= fclose(f) != 0;
    return bad || rename(tmp, path) ? -1 : 0;
}

/* Appends the factors of one packed record row as TabSeparated lines. Returns values added. */
static long rch_copy_row(struct buf *b, sqlite3_stmt *st)
{
    int64_t station = sqlite3_column_int64(st, 0), ts = sqlite3_column_int64(st, 2);
    int kind = sqlite3_column_int(st, 1);
    json_t *o = readings_val_object(sqlite3_column_text(st, 3), sqlite3_column_bytes(st, 3));
    int64_t device = sqlite3_column_int64(st, 4), received = sqlite3_column_int64(st, 5);
    const char *factor;
    json_t *arr;
    long n = 0;
    json_object_foreach(o, factor, arr)
    {
        struct readings_val v;
        if (readings_val_get(arr, &v) || strlen(factor) >= MONITOR_FACTOR_MAX)
            continue;
        struct monitor_row r = {.kind = (uint8_t)kind,
                                .has = (uint8_t)v.has,
                                .qual = v.qual,
                                .ts = ts,
                                .value = v.value,
                                .vmin = v.vmin,
                                .vmax = v.vmax,
                                .cou = v.cou};
        snprintf(r.factor, sizeof r.factor, "%s", factor);
        memcpy(r.flag, v.flag, sizeof r.flag);
        struct readings_row row = {station, device, &r, 0};
        int rc =
            rch_row_tsv(b, &row, received, (uint64_t)(received > 0 ? received : 0) * 1000u << 10);
        if (rc < 0)
            break;
        n += rc;
    }
    json_decref(o);
    return n;
}

long rch_copy_from_sqlite(struct db *db, const char *progress_path, int batch,
                          void (*progress)(long copied, long total, void *arg), void *arg,
                          char *err, size_t errlen)
{
    const struct chttp_conf *c = rch_conf();
    int64_t key[3];
    if (!c || rch_copy_resume(progress_path, key)) {
        snprintf(err, errlen, c ? "cannot read the progress file %s" : "not configured",
                 progress_path);
        return -1;
    }
    long total = (long)db_query_int(db, "SELECT count(*) FROM readings", 0, "");
    long done = (long)db_query_int(db,
                                   "SELECT count(*) FROM readings WHERE (station_id, kind, ts) <= "
                                   "(?, ?, ?)",
                                   0, "iii", key[0], key[1], key[2]);
    /* the staged records of the last second (readings_recent) are moved into readings by the
     * node that wrote them: stop it first; they are copied last, whole */
    sqlite3_stmt *st = db_stmt(db, "SELECT station_id, kind, ts, vals, device_id, received FROM "
                                   "readings WHERE (station_id, kind, ts) > (?, ?, ?) ORDER BY "
                                   "station_id, kind, ts LIMIT ?");
    if (!st) {
        snprintf(err, errlen, "cannot read the SQLite records");
        return -1;
    }
    struct buf body;
    buf_init(&body, 0);
    long values = 0;
    for (;;) {
        db_bind(st, "iiii", key[0], key[1], key[2], (int64_t)batch);
        buf_reset(&body);
        int rows = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            values += rch_copy_row(&body, st);
            key[0] = sqlite3_column_int64(st, 0);
            key[1] = sqlite3_column_int64(st, 1);
            key[2] = sqlite3_column_int64(st, 2);
            rows++;
        }
        sqlite3_reset(st);
        if (!rows)
            break;
        if (body.len && chttp_run(c, -1, RCH_INSERT_SETTINGS, rch_insert_sql("readings"), body.data,
                                  body.len, NULL, err, errlen)) {
            buf_free(&body);
            return -1;
        }
        if (rch_copy_save(progress_path, key)) {
            snprintf(err, errlen, "cannot write the progress file %s", progress_path);
            buf_free(&body);
            return -1;
        }
        done += rows;
        if (progress)
            progress(done, total, arg);
    }
    /* the staged records, whole (idempotent: sent again by a resumed copy) */
    sqlite3_stmt *recent = db_stmt(db, "SELECT station_id, kind, ts, vals, device_id, received "
                                       "FROM readings_recent ORDER BY id");
    buf_reset(&body);
    while (recent && sqlite3_step(recent) == SQLITE_ROW)
        values += rch_copy_row(&body, recent);
    if (recent)
        sqlite3_reset(recent);
    int rc = body.len ? chttp_run(c, -1, RCH_INSERT_SETTINGS, rch_insert_sql("readings"), body.data,
                                  body.len, NULL, err, errlen)
                      : 0;
    buf_free(&body);
    return rc ? -1 : values;
}
