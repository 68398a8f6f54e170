/* village store_waste — the waste part's SQL (store_waste.h). */
#include "modules/village/store_waste.h"

#include "db/row.h"

#include <math.h>
#include <sqlite3.h>

int village_waste_store_insert(struct db *db, const struct village_waste_row *r, int64_t *id)
{
    int rc =
        db_run(db,
               "INSERT INTO village_waste_villages (county, township, village, households, "
               "collection_point, transfer_station, treatment, collector, collector_phone, "
               "section_id, since, lon, lat, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, "
               "?, ?, ?, ?, ?, ?, ?, ?, ?)",
               "tttitttttitddii", r->county, r->township, r->village, r->households,
               r->collection_point, r->transfer_station, r->treatment, r->collector,
               r->collector_phone, r->section_id, r->since, r->lon, r->lat, r->now, r->now);
    if (rc)
        return rc == SQLITE_CONSTRAINT_UNIQUE ? 2 : -1;
    *id = db_last_id(db);
    return 0;
}

#define VILLAGE_WASTE_COLS                                                                         \
    "SELECT v.id, v.county, v.township, v.village, v.households, v.collection_point, "             \
    "v.transfer_station, v.treatment, v.collector, v.collector_phone, v.section_id, s.name AS "    \
    "section_name, v.since, v.lon, v.lat, v.token_hash IS NOT NULL AS has_link, v.created_at "     \
    "FROM village_waste_villages v LEFT JOIN sections s ON s.id = v.section_id "

json_t *village_waste_store_get(struct db *db, int64_t id)
{
    return db_query_one(db, VILLAGE_WASTE_COLS "WHERE v.id = ?", "i", id);
}

json_t *village_waste_store_list(struct db *db, const char *county, const char *township)
{
    return db_query_rows(db,
                         VILLAGE_WASTE_COLS "WHERE (?1 IS NULL OR v.county = ?1) AND (?2 IS NULL "
                                            "OR v.township = ?2) ORDER BY v.county, v.township, "
                                            "v.village",
                         "tt", county, township);
}

int64_t village_waste_store_by_token(struct db *db, const unsigned char hash[32])
{
    json_t *row = NULL;
    int rc = db_query_row(db, &row, "SELECT id FROM village_waste_villages WHERE token_hash = ?",
                          "b", hash, (size_t)32);
    int64_t id = rc == 1 ? json_integer_value(json_object_get(row, "id")) : rc;
    json_decref(row);
    return id;
}

int village_waste_store_set_token(struct db *db, int64_t id, const unsigned char hash[32])
{
    if (db_run(db, "UPDATE village_waste_villages SET token_hash = ? WHERE id = ?", "bi", hash,
               (size_t)32, id))
        return -1;
    return db_changes(db) ? 0 : 1;
}

int village_waste_store_find(struct db *db, const char *township, const char *village, int64_t *id)
{
    json_t *row = db_query_one(db,
                               "SELECT count(*) AS n, min(id) AS id FROM village_waste_villages "
                               "WHERE township = ? AND village = ?",
                               "tt", township, village);
    if (!row)
        return -1;
    int n = (int)json_integer_value(json_object_get(row, "n"));
    *id = json_integer_value(json_object_get(row, "id"));
    json_decref(row);
    return n;
}

int village_waste_store_log_insert(struct db *db, const struct village_waste_log_row *r,
                                   int64_t *id)
{
    if (db_run(db,
               "INSERT OR IGNORE INTO village_waste_logs (village_id, day, stage, source, "
               "weight_kg, cleared, ticket, plate, note, created_by, created_at) VALUES (?, ?, ?, "
               "?, ?, ?, ?, ?, ?, ?, ?)",
               "itttditttti", r->village_id, r->day, r->stage, r->source, r->weight_kg,
               (int64_t)r->cleared, r->ticket, r->plate, r->note, r->by, r->now))
        return -1;
    if (!db_changes(db))
        return 0;
    *id = db_last_id(db);
    return 1;
}

json_t *village_waste_store_logs(struct db *db, int64_t village_id, const char *from,
                                 const char *to, int limit)
{
    return db_query_rows(db,
                         "SELECT id, day, stage, source, weight_kg, cleared, ticket, plate, note, "
                         "created_by, created_at FROM village_waste_logs WHERE village_id = ? AND "
                         "day >= ? AND day <= ? ORDER BY day DESC, id DESC LIMIT ?",
                         "itti", village_id, from, to, (int64_t)limit);
}

json_t *village_waste_store_cleared_days(struct db *db, int64_t village_id, const char *from,
                                         const char *to)
{
    json_t *rows = db_query_rows(db,
                                 "SELECT DISTINCT day FROM village_waste_logs WHERE village_id = "
                                 "? AND cleared = 1 AND day >= ? AND day <= ? ORDER BY day",
                                 "itt", village_id, from, to);
    json_t *out = rows ? json_array() : NULL;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) json_array_append(out, json_object_get(r, "day"));
    json_decref(rows);
    return out;
}

json_t *village_waste_store_sums(struct db *db, int64_t village_id, const char *from,
                                 const char *to)
{
    return db_query_one(
        db,
        "SELECT (SELECT coalesce(sum(weight_kg), 0) FROM village_waste_logs WHERE village_id = ?1 "
        "AND stage = 'collect' AND day BETWEEN ?2 AND ?3) AS collected_kg, (SELECT "
        "coalesce(sum(weight_kg), 0) FROM village_waste_logs WHERE village_id = ?1 AND stage = "
        "'transfer' AND day BETWEEN ?2 AND ?3) AS transferred_kg, coalesce(sum(checked), 0) AS "
        "checked, coalesce(sum(sorting), 0) AS sorting, count(*) AS checks FROM "
        "village_waste_checks WHERE village_id = ?1 AND day BETWEEN ?2 AND ?3",
        "itt", village_id, from, to);
}

int village_waste_store_missed_insert(struct db *db, int64_t village_id, const char *day,
                                      int64_t now)
{
    if (db_run(db,
               "INSERT OR IGNORE INTO village_waste_missed (village_id, day, flagged_at) VALUES "
               "(?, ?, ?)",
               "iti", village_id, day, now))
        return -1;
    return db_changes(db) ? 1 : 0;
}

int village_waste_store_check_insert(struct db *db, int64_t village_id, const char *day,
                                     int64_t checked, int64_t sorting, const char *note,
                                     const char *by, int64_t now, int64_t *id)
{
    if (db_run(db,
               "INSERT INTO village_waste_checks (village_id, day, checked, sorting, note, "
               "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
               "itiitti", village_id, day, checked, sorting, note, by, now))
        return -1;
    *id = db_last_id(db);
    return 0;
}
