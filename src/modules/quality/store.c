/* quality store — stations, daily rollups, area hours and micro-station
 * calibrations (store.h). */
#include "modules/quality/store.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "db/row.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- stations ---- */

/* official is published as a JSON boolean (SQLite has only 0 and 1): JSON
 * text in an *_json column. */
#define AQ_STATION_COLS                                                                            \
    "id, code, name, district, town, lon, lat, kind, area_class, device_station_id, "              \
    "CASE WHEN kind != 'micro' THEN 'true' ELSE 'false' END AS official_json"

json_t *aq_stations_get(struct db *db, int64_t id)
{
    return db_query_one(db, "SELECT " AQ_STATION_COLS " FROM aq_stations WHERE id = ?1", "i", id);
}

json_t *aq_stations_list(struct db *db, const char *kind)
{
    return db_query_rows(db,
                         "SELECT " AQ_STATION_COLS " FROM aq_stations WHERE ?1 IS NULL OR "
                         "kind = ?1 OR (?1 = 'official' AND kind != 'micro') ORDER BY id",
                         "t", kind);
}

int64_t aq_stations_find(struct db *db, const char *s)
{
    if (!s || !*s || strlen(s) > 64)
        return 0;
    return db_query_int(
        db,
        "SELECT id FROM aq_stations WHERE code = ?1 OR (?1 GLOB '[1-9]*' AND ?1 NOT "
        "GLOB '*[^0-9]*' AND length(?1) <= 18 AND id = CAST(?1 AS INTEGER))",
        0, "t", s);
}

struct aq_station_brief *aq_stations_brief(struct db *db, int *count)
{
    /* The rollup's hot path: read directly, no JSON in between. */
    sqlite3_stmt *st = db_stmt(db, "SELECT id, district, kind != 'micro' FROM aq_stations "
                                   "ORDER BY id");
    *count = 0;
    if (!st)
        return NULL;
    int cap = 64, n = 0;
    struct aq_station_brief *s = xmalloc(sizeof *s * (size_t)cap);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap)
            s = xrealloc(s, sizeof *s * (size_t)(cap *= 2));
        s[n].id = sqlite3_column_int64(st, 0);
        snprintf(s[n].district, sizeof s[n].district, "%s",
                 (const char *)sqlite3_column_text(st, 1));
        s[n].official = sqlite3_column_int(st, 2);
        n++;
    }
    sqlite3_reset(st);
    *count = n;
    return s;
}

json_t *aq_stations_districts(struct db *db)
{
    return db_query_rows(db,
                         "SELECT DISTINCT district FROM aq_stations WHERE kind != 'micro' AND "
                         "district != '' ORDER BY district",
                         "");
}

enum err aq_stations_insert(struct db *db, const struct aq_station_new *s, int64_t *id)
{
    static const char sql[] = "INSERT INTO aq_stations (code, name, district, town, lon, lat, "
                              "kind, area_class, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                              "?8, ?9)";
    int rc = isnan(s->lon) || isnan(s->lat)
                 ? db_run(db, sql, "ttttnntii", s->code, s->name, s->district, s->town, s->kind,
                          s->area_class, s->created_at)
                 : db_run(db, sql, "ttttddtii", s->code, s->name, s->district, s->town, s->lon,
                          s->lat, s->kind, s->area_class, s->created_at);
    *id = rc ? 0 : db_last_id(db);
    return (rc & 0xff) == SQLITE_CONSTRAINT ? ERR_CONFLICT : rc ? ERR_INTERNAL : ERR_OK;
}

int aq_stations_position(struct db *db, int64_t id, double *lon, double *lat)
{
    json_t *o = db_query_one(db,
                             "SELECT lon, lat FROM aq_stations WHERE id = ?1 AND lon IS NOT NULL "
                             "AND lat IS NOT NULL",
                             "i", id);
    if (!o)
        return 0;
    *lon = json_number_value(json_object_get(o, "lon"));
    *lat = json_number_value(json_object_get(o, "lat"));
    json_decref(o);
    return 1;
}

json_t *aq_stations_official_positions(struct db *db, int64_t except)
{
    return db_query_rows(db,
                         "SELECT id, lon, lat FROM aq_stations WHERE kind != 'micro' AND lon IS "
                         "NOT NULL AND lat IS NOT NULL AND id != ?1",
                         "i", except);
}

/* ---- daily rollups ---- */

int aq_daily_put(struct db *db, int64_t station, const char *area, int32_t day,
                 const struct aq_day *q)
{
    /* The rollup's hot path, with NULLs per value: bound directly. */
    sqlite3_stmt *st = db_stmt(
        db, "INSERT OR REPLACE INTO aq_daily (station_id, area, day, so2, no2, co, o3_1h, o3_8h, "
            "pm10, pm25, so2_n, no2_n, co_n, o3_1h_n, o3_8h_n, pm10_n, pm25_n, valid, stations, "
            "std, aqi, published, level, primary_mask) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
            "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)");
    if (!st)
        return SQLITE_ERROR;
    sqlite3_bind_int64(st, 1, station);
    sqlite3_bind_text(st, 2, area, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, day);
    for (int s = 0; s < AQI_POLLUTANT_COUNT; s++) {
        if (q->v[s] >= 0)
            sqlite3_bind_int64(st, 4 + s, q->v[s]);
        sqlite3_bind_int(st, 11 + s, q->n[s]);
    }
    sqlite3_bind_int(st, 18, (int)q->valid);
    sqlite3_bind_int(st, 19, q->stations);
    sqlite3_bind_int(st, 20, q->res.standard == AQI_STD_2026 ? 2026 : 2012);
    if (q->res.aqi >= 0)
        sqlite3_bind_int(st, 21, q->res.aqi);
    sqlite3_bind_int(st, 22, q->res.published);
    sqlite3_bind_int(st, 23, q->res.level);
    sqlite3_bind_int(st, 24, (int)q->res.primary);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        log_error("quality: store day: %s", sqlite3_errstr(rc));
        return rc;
    }
    return SQLITE_OK;
}

int aq_daily_get(struct db *db, int64_t station, const char *area, int32_t day, struct aq_day *q)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT so2, no2, co, o3_1h, o3_8h, pm10, pm25, so2_n, no2_n, "
                                   "co_n, o3_1h_n, o3_8h_n, pm10_n, pm25_n, valid, stations, "
                                   "aqi, published, level, primary_mask, std FROM aq_daily "
                                   "WHERE station_id = ?1 AND area = ?2 AND day = ?3");
    memset(q, 0, sizeof *q);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, station);
    sqlite3_bind_text(st, 2, area, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, day);
    int rc = sqlite3_step(st), found = rc == SQLITE_ROW;
    if (found) {
        for (int s = 0; s < AQI_POLLUTANT_COUNT; s++) {
            q->v[s] = sqlite3_column_type(st, s) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, s);
            q->n[s] = sqlite3_column_int(st, 7 + s);
        }
        q->valid = (unsigned)sqlite3_column_int(st, 14);
        q->stations = sqlite3_column_int(st, 15);
        q->res.aqi = sqlite3_column_type(st, 16) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 16);
        q->res.published = sqlite3_column_int(st, 17);
        q->res.level = sqlite3_column_int(st, 18);
        q->res.primary = (unsigned)sqlite3_column_int(st, 19);
        q->res.standard = sqlite3_column_int(st, 20) == 2026 ? AQI_STD_2026 : AQI_STD_2012;
    }
    sqlite3_reset(st);
    return found || rc == SQLITE_DONE ? found : -1;
}

int aq_daily_delete(struct db *db, int64_t station, const char *area, int32_t day)
{
    return db_run(db, "DELETE FROM aq_daily WHERE station_id = ?1 AND area = ?2 AND day = ?3",
                  "iti", station, area, (int64_t)day);
}

json_t *aq_daily_pm25_means(struct db *db, int32_t from, int32_t to)
{
    return db_query_rows(
        db,
        "SELECT s.id, s.name, s.district, s.town, s.kind, s.lon, s.lat, avg(d.pm25) AS pm25, "
        "count(d.pm25) AS days, c.slope, c.intercept FROM aq_stations s JOIN aq_daily d ON "
        "d.station_id = s.id AND d.area = '' AND d.day BETWEEN ?1 AND ?2 AND (d.valid & 64) "
        "LEFT JOIN aq_calibration c ON c.station_id = s.id AND c.pollutant = 'pm25' "
        "GROUP BY s.id ORDER BY s.id",
        "ii", (int64_t)from, (int64_t)to);
}

/* ---- area hours ---- */

int aq_hourly_area_sums(struct db *db, const char *area, int64_t hour, int64_t sum[AIRDATA_NCOLS],
                        int64_t n[AIRDATA_NCOLS], int *stations)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT sum(so2), count(so2), sum(no2), count(no2), sum(co), count(co), sum(o3), "
            "count(o3), sum(pm10), count(pm10), sum(pm25), count(pm25), count(*) FROM (SELECT "
            /* the precedence of store_airdata.h: imported, else device */
            "coalesce(h.so2, h.d_so2) AS so2, coalesce(h.no2, h.d_no2) AS no2, coalesce(h.co, "
            "h.d_co) AS co, coalesce(h.o3, h.d_o3) AS o3, coalesce(h.pm10, h.d_pm10) AS pm10, "
            "coalesce(h.pm25, h.d_pm25) AS pm25 FROM aq_hourly h JOIN aq_stations s ON s.id = "
            "h.station_id WHERE h.hour = ?1 AND s.kind != 'micro' AND (?2 = '*' OR s.district "
            "= ?2))");
    for (int c = 0; c < AIRDATA_NCOLS; c++)
        sum[c] = n[c] = 0;
    *stations = 0;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, hour);
    sqlite3_bind_text(st, 2, area, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        for (int c = 0; c < AIRDATA_NCOLS; c++) {
            sum[c] = sqlite3_column_int64(st, 2 * c);
            n[c] = sqlite3_column_int64(st, 2 * c + 1);
        }
        *stations = sqlite3_column_int(st, 12);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int64_t aq_hourly_area_latest(struct db *db, const char *area, int64_t at)
{
    return db_query_int(db,
                        "SELECT max(h.hour) FROM aq_stations s JOIN aq_hourly h ON h.station_id = "
                        "s.id AND h.hour <= ?1 WHERE s.kind != 'micro' AND (?2 = '*' OR "
                        "s.district = ?2)",
                        0, "it", at, area);
}

/* ---- calibrations ---- */

int aq_calibration_put(struct db *db, const struct aq_fit *f)
{
    return db_run(db,
                  "INSERT OR REPLACE INTO aq_calibration (station_id, pollutant, ref_station_id, "
                  "slope, intercept, r2, n, window_from, window_to, fitted_at) VALUES (?1, ?2, "
                  "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                  "itidddiiii", f->station, f->pollutant, f->ref_station, f->slope, f->intercept,
                  f->r2, f->n, f->window_from, f->window_to, f->fitted_at);
}

json_t *aq_calibration_of(struct db *db, int64_t station)
{
    return db_query_rows(db,
                         "SELECT pollutant, slope, intercept, r2, ref_station_id, n FROM "
                         "aq_calibration WHERE station_id = ?1",
                         "i", station);
}
