/* village store — the sewage part's SQL (store.h). */
#include "modules/village/store.h"

#include "db/row.h"

#include <math.h>
#include <sqlite3.h>

#define VILLAGE_FACILITY_COLS                                                                      \
    "f.id, f.name, f.county, f.township, f.village, f.lon, f.lat, f.capacity, f.process, "         \
    "f.operator, f.operator_phone, f.standard, f.standard_name, f.limits_json, f.station_id, "     \
    "s.name AS station_name, f.section_id, sec.name AS section_name, f.commissioned, "             \
    "f.operator_token_hash IS NOT NULL AS has_operator_link, "                                     \
    "f.created_at, f.updated_at FROM village_facilities f LEFT JOIN stations s ON s.id = "         \
    "f.station_id LEFT JOIN sections sec ON sec.id = f.section_id "

/* Binds a facility row's columns in table order (name .. commissioned). */
#define VILLAGE_FACILITY_ARGS(r)                                                                   \
    (r)->name, (r)->county, (r)->township, (r)->village, (r)->capacity, (r)->process,              \
        (r)->operator_name, (r)->operator_phone, (r)->standard, (r)->standard_name,                \
        (r)->limits_json, (r)->station_id, (r)->section_id, (r)->commissioned

int village_store_facility_insert(struct db *db, const struct village_facility_row *r, int64_t *id)
{
    bool at = !isnan(r->lon);
    int rc =
        db_run(db,
               "INSERT INTO village_facilities (name, county, township, village, capacity, "
               "process, operator, operator_phone, standard, standard_name, limits_json, "
               "station_id, section_id, commissioned, lon, lat, created_at, updated_at) VALUES "
               "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, nullif(?, 0), ?, nullif(?, ''), ?, ?, ?, ?)",
               "ttttdttttttiitddii", VILLAGE_FACILITY_ARGS(r), at ? r->lon : NAN, at ? r->lat : NAN,
               r->now, r->now);
    if (rc)
        return rc == SQLITE_CONSTRAINT_UNIQUE ? 2 : -1;
    *id = db_last_id(db);
    return 0;
}

int village_store_facility_update(struct db *db, int64_t id, const struct village_facility_row *r)
{
    bool at = !isnan(r->lon);
    int rc =
        db_run(db,
               "UPDATE village_facilities SET name = ?, county = ?, township = ?, village = ?, "
               "capacity = ?, process = ?, operator = ?, operator_phone = ?, standard = ?, "
               "standard_name = ?, limits_json = ?, station_id = nullif(?, 0), section_id = ?, "
               "commissioned = nullif(?, ''), lon = ?, lat = ?, updated_at = ? WHERE id = ?",
               "ttttdttttttiitddii", VILLAGE_FACILITY_ARGS(r), at ? r->lon : NAN, at ? r->lat : NAN,
               r->now, id);
    if (rc)
        return rc == SQLITE_CONSTRAINT_UNIQUE ? 2 : -1;
    return db_changes(db) ? 0 : 1;
}

json_t *village_store_facility(struct db *db, int64_t id)
{
    return db_query_one(db, "SELECT " VILLAGE_FACILITY_COLS "WHERE f.id = ?", "i", id);
}

json_t *village_store_facilities(struct db *db, const char *county)
{
    return db_query_rows(db,
                         "SELECT " VILLAGE_FACILITY_COLS
                         "WHERE ?1 IS NULL OR f.county = ?1 ORDER BY f.county, f.township, "
                         "f.village, f.id",
                         "t", county);
}

int64_t village_store_facility_by_token(struct db *db, const unsigned char hash[32])
{
    json_t *row = NULL;
    int rc =
        db_query_row(db, &row, "SELECT id FROM village_facilities WHERE operator_token_hash = ?",
                     "b", hash, (size_t)32);
    int64_t id = rc == 1 ? json_integer_value(json_object_get(row, "id")) : rc;
    json_decref(row);
    return id;
}

int village_store_facility_set_token(struct db *db, int64_t id, const unsigned char hash[32])
{
    if (db_run(db, "UPDATE village_facilities SET operator_token_hash = ? WHERE id = ?", "bi", hash,
               (size_t)32, id))
        return -1;
    return db_changes(db) ? 0 : 1;
}

bool village_store_section_exists(struct db *db, int64_t id)
{
    return db_query_int(db, "SELECT 1 FROM sections WHERE id = ?", 0, "i", id) == 1;
}

bool village_store_station_exists(struct db *db, int64_t id)
{
    return db_query_int(db, "SELECT 1 FROM stations WHERE id = ?", 0, "i", id) == 1;
}

int64_t village_store_section_named(struct db *db, const char *name)
{
    return db_query_int(db, "SELECT id FROM sections WHERE name = ?", 0, "t", name);
}

int village_store_sample_insert(struct db *db, const struct village_sample_row *r, int64_t *id)
{
    if (db_run(db,
               "INSERT INTO village_samples (facility_id, day, values_json, exceed_json, "
               "compliant, sampler, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
               "?, ?)",
               "itttittti", r->facility_id, r->day, r->values_json, r->exceed_json,
               (int64_t)r->compliant, r->sampler, r->note, r->by, r->now))
        return -1;
    *id = db_last_id(db);
    return 0;
}

#define VILLAGE_SAMPLE_COLS                                                                        \
    "SELECT id, facility_id, day, 'manual' AS source, values_json, exceed_json, compliant, "       \
    "sampler, note, created_by, created_at FROM village_samples "

json_t *village_store_samples(struct db *db, int64_t facility_id, const char *from, const char *to)
{
    return db_query_rows(
        db, VILLAGE_SAMPLE_COLS "WHERE facility_id = ? AND day >= ? AND day <= ? ORDER BY day, id",
        "itt", facility_id, from, to);
}

json_t *village_store_samples_recent(struct db *db, int64_t facility_id, int limit)
{
    return db_query_rows(
        db, VILLAGE_SAMPLE_COLS "WHERE facility_id = ? ORDER BY day DESC, id DESC LIMIT ?", "ii",
        facility_id, (int64_t)limit);
}

int village_store_inspection_insert(struct db *db, int64_t facility_id, const char *day,
                                    bool running, const char *note, const char *by, int64_t now,
                                    int64_t *id)
{
    if (db_run(db,
               "INSERT INTO village_inspections (facility_id, day, running, note, created_by, "
               "created_at) VALUES (?, ?, ?, ?, ?, ?)",
               "ititti", facility_id, day, (int64_t)running, note, by, now))
        return -1;
    *id = db_last_id(db);
    return 0;
}

#define VILLAGE_INSPECTION_COLS                                                                    \
    "SELECT id, facility_id, day, running, note, created_by, created_at FROM "                     \
    "village_inspections "

json_t *village_store_inspections(struct db *db, int64_t facility_id, const char *from,
                                  const char *to)
{
    return db_query_rows(db,
                         VILLAGE_INSPECTION_COLS
                         "WHERE facility_id = ? AND day >= ? AND day <= ? ORDER BY day, id",
                         "itt", facility_id, from, to);
}

int village_store_inspection_of(struct db *db, int64_t facility_id, int64_t inspection_id,
                                const char *from)
{
    return (int)db_query_int(db,
                             "SELECT count(*) FROM village_inspections WHERE id = ? AND "
                             "facility_id = ? AND day >= ?",
                             -1, "iit", inspection_id, facility_id, from);
}

json_t *village_store_inspections_recent(struct db *db, int64_t facility_id, int limit)
{
    return db_query_rows(
        db, VILLAGE_INSPECTION_COLS "WHERE facility_id = ? ORDER BY day DESC, id DESC LIMIT ?",
        "ii", facility_id, (int64_t)limit);
}

int village_store_alarm_claim(struct db *db, int64_t facility_id, const char *kind,
                              const char *event, const char *day, const char *title, int64_t now,
                              int64_t *id)
{
    *id = 0;
    if (db_run(db,
               "INSERT OR IGNORE INTO village_alarms (facility_id, kind, event, day, title, "
               "created_at) VALUES (?, ?, ?, ?, ?, ?)",
               "itttti", facility_id, kind, event, day, title, now))
        return -1;
    if (db_changes(db))
        *id = db_last_id(db);
    return 0;
}

int village_store_alarm_item(struct db *db, int64_t alarm_id, int64_t item_id)
{
    return db_run(db, "UPDATE village_alarms SET item_id = ? WHERE id = ?", "ii", item_id, alarm_id)
               ? -1
               : 0;
}

json_t *village_store_alarms(struct db *db, int64_t facility_id, int limit)
{
    return db_query_rows(db,
                         "SELECT a.id, a.facility_id, f.name AS facility_name, f.township, "
                         "f.village, a.kind, a.event, a.day, a.title, a.item_id, t.status AS "
                         "item_status, t.deadline AS item_deadline, a.created_at FROM "
                         "village_alarms a JOIN village_facilities f ON f.id = a.facility_id "
                         "LEFT JOIN svc_tracker t ON t.id = a.item_id WHERE ?1 = 0 OR "
                         "a.facility_id = ?1 ORDER BY a.id DESC LIMIT ?2",
                         "ii", facility_id, (int64_t)limit);
}
