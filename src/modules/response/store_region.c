/* response store_region — the SQL of feeds, consultations and adoptions (see
 * store_region.h). */
#include "modules/response/store_region.h"

#include "db/row.h"

int resp_store_feed_put(struct db *db, const char *member, const char *url, const char *status,
                        const char *error, int64_t now, int64_t generated_at,
                        const char *payload_json)
{
    if (payload_json)
        return db_run(db,
                      "INSERT INTO resp_region_feeds (member, url, status, error, attempted_at, "
                      "ok_at, generated_at, payload_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON "
                      "CONFLICT (member) DO UPDATE SET url = excluded.url, status = "
                      "excluded.status, error = excluded.error, attempted_at = "
                      "excluded.attempted_at, ok_at = excluded.ok_at, generated_at = "
                      "excluded.generated_at, payload_json = excluded.payload_json",
                      "ttttiiit", member, url, status, error, now, now, generated_at, payload_json);
    return db_run(db,
                  "INSERT INTO resp_region_feeds (member, url, status, error, attempted_at) "
                  "VALUES (?, ?, ?, ?, ?) ON CONFLICT (member) DO UPDATE SET url = excluded.url, "
                  "status = excluded.status, error = excluded.error, attempted_at = "
                  "excluded.attempted_at",
                  "tttti", member, url, status, error, now);
}

#define RESP_FEED_COLS "member, url, status, error, attempted_at, ok_at, generated_at, payload_json"

json_t *resp_store_feeds(struct db *db)
{
    return db_query_rows(db, "SELECT " RESP_FEED_COLS " FROM resp_region_feeds ORDER BY member",
                         "");
}

json_t *resp_store_feed_get(struct db *db, const char *member)
{
    return db_query_one(db, "SELECT " RESP_FEED_COLS " FROM resp_region_feeds WHERE member = ?",
                        "t", member);
}

int resp_store_consult_insert(struct db *db, const char *title, const char *held_on,
                              const char *participants_json, const char *forecasts_json,
                              const char *by, int64_t now, int64_t *id)
{
    int rc = db_run(db,
                    "INSERT INTO resp_consultations (title, held_on, participants_json, "
                    "forecasts_json, status, created_by, created_at) VALUES (?, ?, ?, ?, 'open', "
                    "?, ?)",
                    "ttttti", title, held_on, participants_json, forecasts_json, by, now);
    *id = rc ? 0 : db_last_id(db);
    return rc;
}

int resp_store_consult_conclude(struct db *db, int64_t id, const char *conclusion,
                                const char *level, const char *from, const char *to, int64_t now)
{
    return db_run(db,
                  "UPDATE resp_consultations SET conclusion = ?, level = ?, expected_from = "
                  "NULLIF(?, ''), expected_to = NULLIF(?, ''), status = 'concluded', "
                  "concluded_at = ? WHERE id = ? AND status = 'open'",
                  "ttttii", conclusion, level, from, to, now, id);
}

#define RESP_CONSULT_COLS                                                                          \
    "id, title, held_on, participants_json, forecasts_json, conclusion, level, expected_from, "    \
    "expected_to, status, created_by, created_at, concluded_at"

json_t *resp_store_consult_get(struct db *db, int64_t id)
{
    return db_query_one(db, "SELECT " RESP_CONSULT_COLS " FROM resp_consultations WHERE id = ?",
                        "i", id);
}

json_t *resp_store_consults(struct db *db, int limit)
{
    return db_query_rows(db,
                         "SELECT id, title, held_on, participants_json, conclusion, level, "
                         "expected_from, expected_to, status, created_by, created_at, "
                         "concluded_at FROM resp_consultations ORDER BY id DESC LIMIT ?",
                         "i", (int64_t)limit);
}

json_t *resp_store_regional_since(struct db *db, int64_t since)
{
    return db_query_rows(db,
                         "SELECT id, title, held_on, participants_json, conclusion, level, "
                         "expected_from, expected_to, concluded_at FROM resp_consultations WHERE "
                         "status = 'concluded' AND level <> 'none' AND concluded_at >= ? ORDER BY "
                         "id",
                         "i", since);
}

int resp_store_adoption_insert(struct db *db, const char *member, int64_t consultation_id,
                               const char *level, int64_t warning_id, const char *by, int64_t now)
{
    return db_run(db,
                  "INSERT INTO resp_adoptions (member, consultation_id, level, warning_id, "
                  "adopted_by, adopted_at) VALUES (?, ?, ?, ?, ?, ?)",
                  "tititi", member, consultation_id, level, warning_id, by, now);
}

json_t *resp_store_adoption_get(struct db *db, const char *member, int64_t consultation_id)
{
    return db_query_one(db,
                        "SELECT id, member, consultation_id, level, warning_id, adopted_by, "
                        "adopted_at FROM resp_adoptions WHERE member = ? AND consultation_id = ?",
                        "ti", member, consultation_id);
}

json_t *resp_store_adoptions(struct db *db)
{
    return db_query_rows(db,
                         "SELECT id, member, consultation_id, level, warning_id, adopted_by, "
                         "adopted_at FROM resp_adoptions ORDER BY id DESC LIMIT 200",
                         "");
}
