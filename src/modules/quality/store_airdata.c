#include "modules/quality/store_airdata.h"
#include "core/timeutil.h"
#include "core/log.h"
#include "db/db.h"

#include <stdbool.h>
#include <string.h>

static const char *const airdata_names[AIRDATA_NCOLS] = {"so2", "no2", "co", "o3", "pm10", "pm25"};

const char *airdata_col_name(int col)
{
    return col >= 0 && col < AIRDATA_NCOLS ? airdata_names[col] : "";
}

int airdata_col_parse(const char *name)
{
    for (int c = 0; name && c < AIRDATA_NCOLS; c++)
        if (!strcmp(name, airdata_names[c]))
            return c;
    return -1;
}

int64_t airdata_day_start(int32_t day)
{
    return (int64_t)day * AIRDATA_DAY - AIRDATA_BEIJING;
}

int32_t airdata_day_of(int64_t hour)
{
    return timeutil_day_of(hour);
}

/* Binds station, hour and the values of v that are >= 0 (v NULL: none; the
 * others stay NULL) to st, a write, and runs it. 0, or -1 (logged as what). */
static int airdata_run(sqlite3_stmt *st, int64_t station, int64_t hour, const int64_t *v,
                       const char *what)
{
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, station);
    sqlite3_bind_int64(st, 2, hour);
    for (int c = 0; v && c < AIRDATA_NCOLS; c++)
        if (v[c] >= 0)
            sqlite3_bind_int64(st, 3 + c, v[c]);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        log_error("airdata: %s: %s", what, sqlite3_errstr(rc));
        return -1;
    }
    return 0;
}

int airdata_put(struct db *db, int64_t station, int64_t hour, const int64_t v[AIRDATA_NCOLS])
{
    /* excluded.x IS NULL keeps the stored value: a partial resend never
     * erases what an earlier frame delivered. */
    sqlite3_stmt *st = db_stmt(
        db, "INSERT INTO aq_hourly (station_id, hour, so2, no2, co, o3, pm10, pm25) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (station_id, hour) DO UPDATE SET "
            "so2 = coalesce(excluded.so2, so2), no2 = coalesce(excluded.no2, no2), "
            "co = coalesce(excluded.co, co), o3 = coalesce(excluded.o3, o3), "
            "pm10 = coalesce(excluded.pm10, pm10), pm25 = coalesce(excluded.pm25, pm25)");
    return airdata_run(st, station, hour, v, "put");
}

int airdata_put_device(struct db *db, int64_t station, int64_t hour, const int64_t v[AIRDATA_NCOLS])
{
    bool any = false;
    for (int c = 0; c < AIRDATA_NCOLS; c++)
        any = any || v[c] >= 0;
    /* The WHERE clause makes an unchanged hour a no-op, so the caller learns
     * from sqlite3_changes which days need rolling up again. An hour with no
     * valid device value never creates a row (it only empties one). */
    sqlite3_stmt *st =
        any ? db_stmt(db,
                      "INSERT INTO aq_hourly (station_id, hour, d_so2, d_no2, d_co, d_o3, d_pm10, "
                      "d_pm25) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (station_id, "
                      "hour) DO UPDATE SET d_so2 = excluded.d_so2, d_no2 = excluded.d_no2, d_co = "
                      "excluded.d_co, d_o3 = excluded.d_o3, d_pm10 = excluded.d_pm10, d_pm25 = "
                      "excluded.d_pm25 WHERE d_so2 IS NOT excluded.d_so2 OR d_no2 IS NOT "
                      "excluded.d_no2 OR d_co IS NOT excluded.d_co OR d_o3 IS NOT excluded.d_o3 "
                      "OR d_pm10 IS NOT excluded.d_pm10 OR d_pm25 IS NOT excluded.d_pm25")
            : db_stmt(db, "UPDATE aq_hourly SET d_so2 = NULL, d_no2 = NULL, d_co = NULL, d_o3 = "
                          "NULL, d_pm10 = NULL, d_pm25 = NULL WHERE station_id = ?1 AND hour = ?2 "
                          "AND coalesce(d_so2, d_no2, d_co, d_o3, d_pm10, d_pm25) IS NOT NULL");
    if (airdata_run(st, station, hour, any ? v : NULL, "put device"))
        return -1;
    return sqlite3_changes(db_handle(db)) > 0;
}

int airdata_range(struct db *db, int64_t station, int64_t from, int n,
                  int64_t (*out)[AIRDATA_NCOLS])
{
    for (int i = 0; i < n; i++)
        for (int c = 0; c < AIRDATA_NCOLS; c++)
            out[i][c] = -1;
    sqlite3_stmt *st = db_stmt(db, "SELECT hour, coalesce(so2, d_so2), coalesce(no2, d_no2), "
                                   "coalesce(co, d_co), coalesce(o3, d_o3), coalesce(pm10, "
                                   "d_pm10), coalesce(pm25, d_pm25) FROM aq_hourly WHERE "
                                   "station_id = ?1 AND hour >= ?2 AND hour < ?3");
    if (!st || n <= 0)
        return st ? 0 : -1;
    sqlite3_bind_int64(st, 1, station);
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, from + (int64_t)n * AIRDATA_HOUR);
    int found = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t h = sqlite3_column_int64(st, 0);
        if ((h - from) % AIRDATA_HOUR)
            continue; /* not on an hour boundary: never written by airdata_put callers */
        int i = (int)((h - from) / AIRDATA_HOUR);
        found++;
        for (int c = 0; c < AIRDATA_NCOLS; c++)
            if (sqlite3_column_type(st, 1 + c) != SQLITE_NULL)
                out[i][c] = sqlite3_column_int64(st, 1 + c);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        log_error("airdata: range: %s", sqlite3_errstr(rc));
        return -1;
    }
    return found;
}

int64_t airdata_latest(struct db *db, int64_t station, int64_t at)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT max(hour) FROM aq_hourly WHERE station_id = ?1 AND "
                                   "hour <= ?2");
    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, station);
    sqlite3_bind_int64(st, 2, at);
    int64_t h = 0;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        h = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return h;
}
