/* supervision store_draw — the SQL of 双随机 (rules in draw.c): the target
 * pool by class, draws, strata and items. */
#include "modules/supervision/store.h"
#include "modules/supervision/supervision.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "db/row.h"
#include "domain/draw.h"

#include <stdlib.h>
#include <string.h>

json_t *sup_store_target_facts(struct db *db, const char *preset, const char *after,
                               const char *date)
{
    return db_query_rows(
        db,
        "SELECT e.id AS enterprise_id, e.uscc, e.name, e.permit_no,"
        " (SELECT 1 FROM enterprise_tags t WHERE t.enterprise_id = e.id AND t.tag = '重点排污单位')"
        "  AS key_polluter,"
        " (SELECT count(*) FROM sup_penalties x WHERE x.enterprise_id = e.id AND x.decided_on > ?1"
        "  AND x.decided_on <= ?2) AS penalties,"
        " (SELECT o.class_code FROM sup_target_class o JOIN sup_classes k ON k.code = o.class_code"
        "  WHERE o.enterprise_id = e.id AND k.preset = ?3) AS override"
        " FROM enterprises e ORDER BY e.id",
        "ttt", after, date, preset);
}

json_t *sup_draw_row(struct db *db, int64_t id)
{
    return db_query_one(db,
                        "SELECT d.id, d.title, d.period, d.preset, d.matter_id, m.name AS "
                        "matter, d.draw_date, d.team_size, d.status, d.seed_hash, "
                        "d.inspector_hash, d.inspector_pool AS inspector_pool_json, "
                        "d.conflicts AS conflicts_json, d.created_by, d.created_at, d.drawn_at, "
                        "d.published_at FROM sup_draws d JOIN sup_matters m ON m.id = "
                        "d.matter_id WHERE d.id = ?",
                        "i", id);
}

json_t *sup_store_draw_strata(struct db *db, int64_t id)
{
    return db_query_rows(db,
                         "SELECT class_code, k.name AS class_name, pool_hash, pool_size, "
                         "count FROM sup_draw_strata s LEFT JOIN sup_classes k ON k.code = "
                         "s.class_code WHERE draw_id = ? ORDER BY class_code",
                         "i", id);
}

json_t *sup_store_draw_items(struct db *db, int64_t id)
{
    return db_query_rows(
        db,
        "SELECT i.seq, i.class_code, i.enterprise_id, i.target_key, e.name AS enterprise, "
        "i.team AS team_json, i.inspection_id, i.result_date, i.result_due, "
        "i.result_published_on, x.result, x.findings FROM sup_draw_items i JOIN enterprises e "
        "ON e.id = i.enterprise_id LEFT JOIN sup_inspections x ON x.id = i.inspection_id "
        "WHERE i.draw_id = ? ORDER BY i.seq",
        "i", id);
}

json_t *sup_store_draw_stratum_pool(struct db *db, int64_t id, const char *class_code)
{
    return db_query_one(db,
                        "SELECT pool AS pool_json FROM sup_draw_strata WHERE draw_id = ? AND "
                        "class_code = ?",
                        "it", id, class_code);
}

json_t *sup_store_enterprise_by_uscc(struct db *db, const char *uscc)
{
    return db_query_one(db, "SELECT id, name FROM enterprises WHERE uscc = ?", "t", uscc);
}

int sup_store_matter_insert(struct db *db, const char *code, const char *name, const char *basis,
                            int64_t *id)
{
    int rc = db_run(db, "INSERT INTO sup_matters (code, name, basis) VALUES (?, ?, ?)", "ttt", code,
                    name, basis);
    *id = rc ? 0 : db_last_id(db);
    return sup_store_rc(rc);
}

bool sup_store_matter_active(struct db *db, int64_t id)
{
    return db_query_int(db, "SELECT 1 FROM sup_matters WHERE id = ? AND active = 1", 0, "i", id) ==
           1;
}

json_t *sup_store_class(struct db *db, const char *code)
{
    return db_query_one(db, "SELECT * FROM sup_classes WHERE code = ?", "t", code);
}

int sup_store_class_update(struct db *db, const char *code, double ratio_pct, const char *period)
{
    return db_run(db, "UPDATE sup_classes SET ratio_pct = ?, period = ? WHERE code = ?", "dtt",
                  ratio_pct, period, code);
}

json_t *sup_store_classes(struct db *db, const char *preset)
{
    return db_query_rows(db,
                         "SELECT code, name, ratio_pct FROM sup_classes WHERE preset = ? OR code = "
                         "'positive' ORDER BY code",
                         "t", strcmp(preset, "jiangxi") ? "national" : "jiangxi");
}

int sup_store_inspector_insert(struct db *db, const char *licence_no, const char *name,
                               const char *section, int64_t *id)
{
    int rc = db_run(db, "INSERT INTO sup_inspectors (licence_no, name, section) VALUES (?, ?, ?)",
                    "ttt", licence_no, name, section);
    *id = rc ? 0 : db_last_id(db);
    return sup_store_rc(rc);
}

json_t *sup_store_inspector_pool(struct db *db)
{
    return db_query_rows(
        db, "SELECT licence_no, name FROM sup_inspectors WHERE active = 1 ORDER BY licence_no", "");
}

json_t *sup_store_conflict_pairs(struct db *db)
{
    return db_query_rows(db,
                         "SELECT e.uscc AS target, i.licence_no AS inspector, x.reason "
                         "FROM sup_conflicts x JOIN enterprises e ON e.id = x.enterprise_id "
                         "JOIN sup_inspectors i ON i.id = x.inspector_id WHERE i.active = 1 "
                         "ORDER BY 1, 2",
                         "");
}

int sup_store_conflict_set(struct db *db, int64_t inspector_id, int64_t enterprise_id,
                           const char *reason)
{
    return db_run(db,
                  "INSERT OR REPLACE INTO sup_conflicts (inspector_id, enterprise_id, reason) "
                  "VALUES (?, ?, ?)",
                  "iit", inspector_id, enterprise_id, reason);
}

int sup_store_target_class_set(struct db *db, int64_t enterprise_id, const char *class_code,
                               const char *note)
{
    return db_run(db,
                  "INSERT OR REPLACE INTO sup_target_class (enterprise_id, class_code, note) "
                  "VALUES (?, ?, ?)",
                  "itt", enterprise_id, class_code, note);
}

int sup_store_draw_insert(struct db *db, const struct sup_draw_row *d, json_t *strata, int64_t *id)
{
    *id = 0;
    int rc =
        db_run(db,
               "INSERT INTO sup_draws (title, period, preset, matter_id, draw_date, team_size, "
               "status, seed, seed_hash, inspector_pool, inspector_hash, conflicts, created_by, "
               "created_at) VALUES (?, ?, ?, ?, ?, ?, 'committed', ?, ?, ?, ?, ?, ?, ?)",
               "tttitibttttti", d->title, d->period, d->preset, d->matter_id, d->date, d->team_size,
               (const void *)d->seed, d->seed_len, d->seed_hash, d->inspector_pool_json,
               d->inspector_hash, d->conflicts_json, d->created_by, timeutil_now());
    if (rc)
        return rc;
    *id = db_last_id(db);
    size_t i;
    json_t *s;
    json_array_foreach(strata, i, s)
    {
        char *keys = json_dumps(json_object_get(s, "pool"), JSON_COMPACT);
        rc = db_run(db,
                    "INSERT INTO sup_draw_strata (draw_id, class_code, pool, pool_hash, "
                    "pool_size, count) VALUES (?, ?, ?, ?, ?, ?)",
                    "itttii", *id, json_string_value(json_object_get(s, "class_code")), keys,
                    json_string_value(json_object_get(s, "pool_hash")),
                    (int64_t)json_integer_value(json_object_get(s, "pool_size")),
                    (int64_t)json_integer_value(json_object_get(s, "count")));
        free(keys);
        if (rc)
            return rc;
    }
    return SQLITE_OK;
}

int sup_store_draw_seed(struct db *db, int64_t id, uint8_t *seed, size_t len)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT seed FROM sup_draws WHERE id = ?");
    int rc = -1;
    if (!st)
        return -1;
    /* A blob column: read here, as db_row_json gives blobs as null. */
    if (db_bind(st, "i", id) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        (size_t)sqlite3_column_bytes(st, 0) == len) {
        memcpy(seed, sqlite3_column_blob(st, 0), len);
        rc = 0;
    }
    sqlite3_reset(st);
    return rc;
}

json_t *sup_store_draw_strata_pools(struct db *db, int64_t id)
{
    return db_query_rows(db,
                         "SELECT class_code, pool AS pool_json, count FROM sup_draw_strata "
                         "WHERE draw_id = ? ORDER BY class_code",
                         "i", id);
}

int sup_store_draw_item_insert(struct db *db, int64_t draw_id, int64_t seq, const char *class_code,
                               const char *target_key, const char *team_json)
{
    return db_run(db,
                  "INSERT INTO sup_draw_items (draw_id, seq, class_code, enterprise_id, "
                  "target_key, team) VALUES (?, ?, ?, (SELECT id FROM enterprises WHERE uscc "
                  "= ?4), ?4, ?)",
                  "iittt", draw_id, seq, class_code, target_key, team_json);
}

int sup_store_draw_set_status(struct db *db, int64_t id, const char *status)
{
    if (!strcmp(status, "drawn"))
        return db_run(db, "UPDATE sup_draws SET status = 'drawn', drawn_at = ? WHERE id = ?", "ii",
                      timeutil_now(), id);
    return db_run(db, "UPDATE sup_draws SET status = 'published', published_at = ? WHERE id = ?",
                  "ii", timeutil_now(), id);
}

json_t *sup_store_draw_item(struct db *db, int64_t draw_id, int64_t seq)
{
    return db_query_one(db,
                        "SELECT i.enterprise_id, i.inspection_id, d.status FROM sup_draw_items i "
                        "JOIN sup_draws d ON d.id = i.draw_id WHERE i.draw_id = ? AND i.seq = ?",
                        "ii", draw_id, seq);
}

json_t *sup_store_inspection_of(struct db *db, int64_t id, int64_t enterprise_id)
{
    return db_query_one(db,
                        "SELECT inspected_on FROM sup_inspections WHERE id = ? AND enterprise_id "
                        "= ?",
                        "ii", id, enterprise_id);
}

int sup_store_draw_result(struct db *db, int64_t draw_id, int64_t seq, int64_t inspection_id,
                          const char *date, const char *due)
{
    int rc = db_run(db,
                    "UPDATE sup_draw_items SET inspection_id = ?, result_date = ?, result_due = ? "
                    "WHERE draw_id = ? AND seq = ?",
                    "ittii", inspection_id, date, due, draw_id, seq);
    return rc ? rc
              : db_run(db, "UPDATE sup_inspections SET draw_id = ?, draw_seq = ? WHERE id = ?",
                       "iii", draw_id, seq, inspection_id);
}

int sup_store_draw_result_publish(struct db *db, int64_t draw_id, int64_t seq,
                                  int64_t inspection_id, const char *day)
{
    int rc = db_run(db,
                    "UPDATE sup_draw_items SET result_published_on = ? WHERE draw_id = ? AND seq "
                    "= ?",
                    "tii", day, draw_id, seq);
    return rc ? rc
              : db_run(db, "UPDATE sup_inspections SET published = 1 WHERE id = ?", "i",
                       inspection_id);
}
