/* monitor store — stations, devices, unregistered devices and alerts (store.h). */
#include "modules/monitor/store.h"
#include "core/text.h"
#include "db/row.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A bound insert or versioned update's outcome: ERR_CONFLICT on a uniqueness refusal,
 * ERR_VERSION_CONFLICT when an update changed nothing. */
static enum err store_written(struct db *db, int rc, bool update)
{
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return ERR_CONFLICT;
    if (rc != SQLITE_OK)
        return ERR_INTERNAL;
    return update && !db_changes(db) ? ERR_VERSION_CONFLICT : ERR_OK;
}

/* Runs the station insert or update sql: ?1..?14 the fields (enterprise_id 0 and a missing
 * location stored as NULL), an update's id and version ?15, ?16 (id 0: an insert, which
 * takes no more; extra arguments are not read). */
static enum err store_station_run(struct db *db, const char *sql, int64_t id,
                                  const struct monitor_station_rec *s, int64_t now)
{
    int rc = db_run(db, sql, id ? "tttitttiddiiiiii" : "tttitttiddiiii", s->code, s->name, s->kind,
                    s->enterprise_id, s->district, s->town, s->address, (int64_t)s->has_loc, s->lon,
                    s->lat, s->min_interval, s->offline_after, s->active, now, id, s->version);
    return store_written(db, rc, id != 0);
}

/* The city, written beside the other fields in the caller's transaction. */
static enum err store_station_city(struct db *db, int64_t id, const char *city)
{
    return db_run(db, "UPDATE stations SET city = ? WHERE id = ?", "ti", city ? city : "", id)
               ? ERR_INTERNAL
               : ERR_OK;
}

enum err monitor_store_station_insert(struct db *db, const struct monitor_station_rec *s,
                                      int64_t now, int64_t *id)
{
    enum err e = store_station_run(db,
                                   "INSERT INTO stations (code, name, kind, enterprise_id, "
                                   "district, town, address, lon, lat, min_interval, "
                                   "offline_after, active, updated_at, created_at) VALUES "
                                   "(?1,?2,?3,nullif(?4,0),?5,?6,?7,CASE WHEN ?8 THEN ?9 END,"
                                   "CASE WHEN ?8 THEN ?10 END,?11,?12,?13,?14,?14)",
                                   0, s, now);
    if (!e)
        *id = db_last_id(db);
    return e ? e : store_station_city(db, *id, s->city);
}

enum err monitor_store_station_update(struct db *db, int64_t id,
                                      const struct monitor_station_rec *s, int64_t now)
{
    enum err e =
        store_station_run(db,
                          "UPDATE stations SET code=?1, name=?2, kind=?3, "
                          "enterprise_id=nullif(?4,0), district=?5, town=?6, address=?7, "
                          "lon=CASE WHEN ?8 THEN ?9 END, lat=CASE WHEN ?8 THEN ?10 END, "
                          "min_interval=?11, offline_after=?12, active=?13, updated_at=?14, "
                          "version=version+1 WHERE id=?15 AND version=?16",
                          id, s, now);
    return e ? e : store_station_city(db, id, s->city);
}

json_t *monitor_store_station_row(struct db *db, int64_t id)
{
    return db_query_one(
        db,
        "SELECT code, name, kind, enterprise_id, city, district, town, address, lon, "
        "lat, min_interval, offline_after, active, version FROM stations WHERE "
        "id = ?",
        "i", id);
}

int monitor_store_station_kind(struct db *db, int64_t id, char kind[32])
{
    json_t *o = db_query_one(db, "SELECT kind FROM stations WHERE id = ?", "i", id);
    const char *k = json_string_value(json_object_get(o, "kind"));
    int found = k && strlen(k) < 32;
    if (found)
        memcpy(kind, k, strlen(k) + 1);
    json_decref(o);
    return found;
}

int monitor_store_enterprise_exists(struct db *db, int64_t id)
{
    return (int)db_query_int(db, "SELECT EXISTS (SELECT 1 FROM enterprises WHERE id = ?)", -1, "i",
                             id);
}

#define STORE_STATION_COLS                                                                         \
    "s.id, s.code, s.name, s.kind, s.enterprise_id, e.name AS enterprise_name, s.city, "           \
    "s.district, "                                                                                 \
    "s.town, s.address, s.lon, s.lat, s.min_interval, s.offline_after, s.active, s.version, "      \
    "s.created_at, s.updated_at, (SELECT max(last_seen) FROM devices d WHERE d.station_id = "      \
    "s.id) AS last_seen, (SELECT count(*) FROM devices d WHERE d.station_id = s.id) AS devices "

/* A filter value: NULL (any) when absent or empty. */
static const char *store_any(const char *s)
{
    return s && *s ? s : NULL;
}

json_t *monitor_store_stations(struct db *db, const struct monitor_station_filter *f)
{
    return db_query_rows(db,
                         "SELECT " STORE_STATION_COLS "FROM stations s LEFT JOIN enterprises e ON "
                         "e.id = s.enterprise_id WHERE (?1 IS NULL OR s.kind = ?1) AND (?2 IS "
                         "NULL OR s.district = ?2) AND (?3 IS NULL OR instr(s.name, ?3) OR "
                         "instr(s.code, ?3)) AND (?4 = 0 OR s.enterprise_id = ?4) ORDER BY "
                         "s.kind, s.code LIMIT 5000",
                         "ttti", store_any(f->kind), store_any(f->district), store_any(f->q),
                         f->enterprise_id);
}

json_t *monitor_store_station(struct db *db, int64_t id, int64_t enterprise_id)
{
    return db_query_one(db,
                        "SELECT " STORE_STATION_COLS "FROM stations s LEFT JOIN enterprises e ON "
                        "e.id = s.enterprise_id WHERE s.id = ?1 AND (?2 = 0 OR s.enterprise_id = "
                        "?2)",
                        "ii", id, enterprise_id);
}

json_t *monitor_store_station_devices(struct db *db, int64_t station)
{
    /* clock_set: the device's last time-setting command (1012), automatic or from the
     * console. last_node: the ingest node of its newest contact ('' = the central node). */
    return db_query_rows(
        db,
        "SELECT id, mn, edition, factor_map AS factor_map_json, clock_offset, clock_zone, active, "
        "version, last_seen, last_addr, last_node, frames, bad_crc, rejected, created_at, "
        "clock_sync, clock_skew, clock_checked_at, (SELECT json_object('id', c.id, 'status', "
        "c.status, "
        "'exe_rtn', c.exe_rtn, 'created_by', c.created_by, 'created_at', c.created_at, "
        "'updated_at', c.updated_at) FROM monitor_commands c WHERE c.device_id = devices.id AND "
        "c.cn = 1012 ORDER BY c.id DESC LIMIT 1) AS clock_set_json FROM devices WHERE station_id "
        "= ? ORDER BY id",
        "i", station);
}

/* Runs the device insert or update sql: ?1..?10 the fields, an update's id and version ?11,
 * ?12 (id 0: an insert, which takes no more). */
static enum err store_device_run(struct db *db, const char *sql, int64_t id,
                                 const struct monitor_device_rec *d, const char *map, int64_t now)
{
    int rc =
        db_run(db, sql, id ? "ittttitiiiii" : "ittttitiii", d->station_id, d->mn, d->pw, d->edition,
               map, d->clock_offset, d->clock_zone, d->active, now, d->clock_sync, id, d->version);
    return store_written(db, rc, id != 0);
}

enum err monitor_store_device_insert(struct db *db, const struct monitor_device_rec *d,
                                     const char *map, int64_t now, int64_t *id)
{
    enum err e = store_device_run(db,
                                  "INSERT INTO devices (station_id, mn, pw, edition, factor_map, "
                                  "clock_offset, clock_zone, active, updated_at, created_at, "
                                  "clock_sync) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?9,?10)",
                                  0, d, map, now);
    if (!e)
        *id = db_last_id(db);
    return e;
}

enum err monitor_store_device_update(struct db *db, int64_t id, const struct monitor_device_rec *d,
                                     const char *map, int64_t now)
{
    return store_device_run(db,
                            "UPDATE devices SET station_id=?1, mn=?2, pw=?3, edition=?4, "
                            "factor_map=?5, clock_offset=?6, clock_zone=?7, active=?8, "
                            "updated_at=?9, clock_sync=?10, version=version+1 WHERE id=?11 AND "
                            "version=?12",
                            id, d, map, now);
}

json_t *monitor_store_device_row(struct db *db, int64_t id)
{
    return db_query_one(db,
                        "SELECT station_id, mn, pw, edition, factor_map AS factor_map_json, "
                        "clock_offset, clock_zone, active, version, clock_sync FROM devices "
                        "WHERE id = ?",
                        "i", id);
}

json_t *monitor_store_unregistered_get(struct db *db, const char *mn)
{
    return db_query_one(db, "SELECT last_pw FROM unregistered_devices WHERE mn = ?", "t", mn);
}

int monitor_store_unregistered_delete(struct db *db, const char *mn)
{
    return db_run(db, "DELETE FROM unregistered_devices WHERE mn = ?", "t", mn) ? -1 : 0;
}

json_t *monitor_store_unregistered(struct db *db, int limit)
{
    /* sample holds the bytes a device sent (a BLOB): shown as text when it is UTF-8. */
    sqlite3_stmt *st = db_stmt(db, "SELECT mn, reason, first_seen, last_seen, frames, last_addr, "
                                   "last_st, last_cn, sample FROM unregistered_devices ORDER BY "
                                   "last_seen DESC LIMIT ?");
    if (!st || db_bind(st, "i", (int64_t)limit) != SQLITE_OK)
        return NULL;
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *o = db_row_json(st);
        const char *s = (const char *)sqlite3_column_text(st, 8);
        size_t len = (size_t)sqlite3_column_bytes(st, 8);
        if (s)
            json_object_set_new(o, "sample",
                                text_utf8_valid(s, len) ? json_stringn(s, len)
                                                        : json_string("(binary)"));
        json_array_append_new(arr, o);
    }
    sqlite3_reset(st);
    return arr;
}

/* A sample as text: printable UTF-8 kept, other bytes escaped, the line end dropped. */
static json_t *monitor_store_sample(const unsigned char *b, size_t len)
{
    int utf8 = text_utf8_valid((const char *)b, len);
    char *out = malloc(len * 4 + 1);
    if (!out)
        return json_null();
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        if (b[i] == '\r' || b[i] == '\n')
            continue;
        if (b[i] < 32 || b[i] == 127 || (b[i] >= 128 && !utf8))
            k += (size_t)snprintf(out + k, 5, "\\x%02X", b[i]);
        else
            out[k++] = (char)b[i];
    }
    json_t *j = json_stringn(out, k);
    free(out);
    return j ? j : json_null();
}

json_t *monitor_store_rejects(struct db *db, int64_t device_id, int limit)
{
    sqlite3_stmt *st =
        db_stmt(db, "SELECT period, device_id, mn, station_id, addr, reason, frames, "
                    "bytes, first_seen, last_seen, sample FROM frame_rejects WHERE "
                    "?1 = 0 OR device_id = ?1 ORDER BY period DESC, frames DESC "
                    "LIMIT ?2");
    if (!st || db_bind(st, "ii", device_id, (int64_t)limit) != SQLITE_OK)
        return NULL;
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *o = db_row_json(st);
        json_object_set_new(o, "sample",
                            monitor_store_sample(sqlite3_column_blob(st, 10),
                                                 (size_t)sqlite3_column_bytes(st, 10)));
        json_array_append_new(arr, o);
    }
    sqlite3_reset(st);
    return arr;
}

json_t *monitor_store_alerts(struct db *db, int64_t enterprise_id, int limit)
{
    return db_query_rows(db,
                         "SELECT a.id, a.station_id, s.code, s.name, a.kind, a.ts, a.detail FROM "
                         "monitor_alerts a JOIN stations s ON s.id = a.station_id WHERE (?1 = 0 "
                         "OR s.enterprise_id = ?1) ORDER BY a.id DESC LIMIT ?2",
                         "ii", enterprise_id, (int64_t)limit);
}

int monitor_store_first_enterprises(struct db *db, int64_t *ids, int max)
{
    json_t *rows =
        db_query_rows(db, "SELECT id FROM enterprises ORDER BY id LIMIT ?", "i", (int64_t)max);
    if (!rows)
        return -1;
    int n = 0;
    size_t i;
    json_t *o;
    json_array_foreach(rows, i, o) if (n < max) ids[n++] =
        json_integer_value(json_object_get(o, "id"));
    json_decref(rows);
    return n;
}
