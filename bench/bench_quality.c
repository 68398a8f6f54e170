/* bench_quality — the quality module's database path: N stations (default
 * 1,000) × one year of hourly data, six pollutants, stored through airdata;
 * then the daily rollup of every station-day (daily means with validity,
 * MDA8, daily AQI of each day's edition, district and city values) and the
 * annual evaluation of every station, read back from the database.
 * Baseline in the same run: a bare scan of the same rows (SELECT every
 * column of aq_hourly and sum them). Prints the times and the ratio. */
#include "app/module.h"
#include "modules/quality/quality.h"
#include "core/timeutil.h"
#include "modules/quality/store_airdata.h"
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BENCH_YEAR 2025

static double bench_now(void)
{
    return (double)timeutil_now_ms() / 1000.0;
}

static uint64_t bench_rng(uint64_t *s)
{
    *s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
    return *s;
}

int main(int argc, char **argv)
{
    long stations = argc > 1 ? strtol(argv[1], NULL, 10) : 1000;
    if (stations < 1 || stations > 5000) {
        fprintf(stderr, "usage: bench_quality [stations 1..5000]\n");
        return 2;
    }
    char path[] = "/tmp/ecogov-bench-quality-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 1;
    close(fd);
    char err[256];
    struct db *db = db_open(path, err, sizeof err);
    if (!db || modules_migrate(db, err, sizeof err)) {
        fprintf(stderr, "bench_quality: %s\n", err);
        return 1;
    }
    db_exec(db, "PRAGMA synchronous=OFF");
    int32_t day0 = (int32_t)timeutil_days_from_civil(BENCH_YEAR, 1, 1);
    int ndays = 365;
    double t0 = bench_now();
    db_begin(db);
    for (long s = 0; s < stations; s++) {
        sqlite3_stmt *st = db_stmt(db, "INSERT INTO aq_stations (code, name, district, kind, "
                                       "created_at) VALUES (?, ?, ?, 'city', 0)");
        char code[32], district[32];
        snprintf(code, sizeof code, "B%05ld", s);
        snprintf(district, sizeof district, "区%02ld", s % 16);
        sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, district, -1, SQLITE_TRANSIENT);
        sqlite3_step(st);
        sqlite3_reset(st);
    }
    uint64_t seed = 88172645463325252ull;
    int64_t start = airdata_day_start(day0);
    for (long s = 1; s <= stations; s++) {
        for (int h = 0; h < ndays * 24; h++) {
            int64_t v[AIRDATA_NCOLS];
            uint64_t r = bench_rng(&seed);
            for (int c = 0; c < AIRDATA_NCOLS; c++)
                v[c] = (r >> (c * 10)) % 1000 == 0 ? -1 : (int64_t)((r >> (c * 9)) % 120000);
            v[AIRDATA_CO] /= 40;
            if (airdata_put(db, s, start + (int64_t)h * AIRDATA_HOUR, v)) {
                fprintf(stderr, "bench_quality: insert failed\n");
                return 1;
            }
        }
        if (s % 50 == 0)
            db_commit(db), db_begin(db);
    }
    db_commit(db);
    double t_load = bench_now() - t0;
    long rows = stations * ndays * 24;

    /* baseline: a bare scan of the same rows */
    t0 = bench_now();
    sqlite3_stmt *scan = db_stmt(db, "SELECT station_id, hour, so2, no2, co, o3, pm10, pm25 FROM "
                                     "aq_hourly");
    int64_t sum = 0, n = 0;
    while (sqlite3_step(scan) == SQLITE_ROW) {
        for (int c = 0; c < 8; c++)
            sum += sqlite3_column_int64(scan, c);
        n++;
    }
    sqlite3_reset(scan);
    double t_scan = bench_now() - t0;

    /* evaluation: every station-day and area-day, then every annual evaluation */
    t0 = bench_now();
    db_begin(db);
    for (int d = 0; d < ndays; d++)
        if (quality_rollup_day(db, day0 + d, NULL, 0)) {
            fprintf(stderr, "bench_quality: rollup failed\n");
            return 1;
        }
    db_commit(db);
    double t_daily = bench_now() - t0;
    t0 = bench_now();
    int compliant = 0;
    for (long s = 1; s <= stations; s++) {
        struct quality_scope sc = {s, NULL};
        json_t *a = quality_annual(db, &sc, BENCH_YEAR, -1, -1);
        compliant += a && json_is_true(json_object_get(a, "compliant"));
        json_decref(a);
    }
    double t_annual = bench_now() - t0;
    printf(
        "bench_quality: %ld stations x %d days x 24 h x 6 pollutants (%ld rows, %.1f M values)\n",
        stations, ndays, rows, rows * 6 / 1e6);
    printf("  load through airdata_put:            %8.2f s  (%.0f rows/s)\n", t_load,
           rows / t_load);
    printf("  baseline bare scan of the rows:      %8.3f s  (%lld rows, checksum %lld)\n", t_scan,
           (long long)n, (long long)(sum % 1000003));
    printf("  daily rollup, every station-day:     %8.3f s  (%.0f station-days/s, with areas)\n",
           t_daily, stations * ndays / t_daily);
    printf("  annual evaluation, every station:    %8.3f s  (%d compliant)\n", t_annual, compliant);
    printf("  ratio (rollup + annual) / bare scan: %8.1f x\n", (t_daily + t_annual) / t_scan);
    db_close(db);
    unlink(path);
    char wal[64];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
    return 0;
}
