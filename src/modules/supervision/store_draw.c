/* supervision store_draw — the SQL of 双随机 (rules in draw.c): the target
 * pool by class, draws, strata and items, and the draw as the API shows it. */
#include "modules/supervision/rules.h"
#include "modules/supervision/supervision.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "db/row.h"
#include "domain/draw.h"

#include <stdlib.h>
#include <string.h>

/* Whether the enterprise is on the positive list on date. */
static bool sup_on_positive(struct db *db, int64_t ent, const char *date)
{
    return db_query_int(
               db,
               "SELECT 1 FROM sup_pl_entries WHERE enterprise_id = ?1 AND valid_from <= ?2 "
               "AND valid_until > ?2 AND (removed_on IS NULL OR removed_on > ?2)",
               0, "it", ent, date) == 1;
}

/* The class of each enterprise for a preset on a date: the positive list
 * first, then a staff override of the same preset, then the automatic rule
 * (docs/supervision.md). Array of {enterprise_id, uscc, name, class_code,
 * automatic}. */
json_t *sup_targets(struct db *db, const char *preset, const char *date)
{
    bool jx = !strcmp(preset, "jiangxi");
    char year_ago[11];
    sup_date_add_days(date, -365, year_ago);
    json_t *rows = db_query_rows(
        db,
        "SELECT e.id AS enterprise_id, e.uscc, e.name, e.permit_no,"
        " (SELECT 1 FROM enterprise_tags t WHERE t.enterprise_id = e.id AND t.tag = '重点排污单位')"
        "  AS key_polluter,"
        " (SELECT count(*) FROM sup_penalties x WHERE x.enterprise_id = e.id AND x.decided_on > ?1"
        "  AND x.decided_on <= ?2) AS penalties,"
        " (SELECT o.class_code FROM sup_target_class o JOIN sup_classes k ON k.code = o.class_code"
        "  WHERE o.enterprise_id = e.id AND k.preset = ?3) AS override"
        " FROM enterprises e ORDER BY e.id",
        "ttt", year_ago, date, jx ? "jiangxi" : "national");
    if (!rows)
        return NULL;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        int64_t ent = json_integer_value(json_object_get(r, "enterprise_id"));
        const char *ov = json_string_value(json_object_get(r, "override"));
        const char *cls;
        bool automatic = !ov;
        if (sup_on_positive(db, ent, date))
            cls = "positive", automatic = true;
        else if (ov)
            cls = ov;
        else if (jx)
            cls = json_is_integer(json_object_get(r, "key_polluter"))   ? "jx_a"
                  : *json_string_value(json_object_get(r, "permit_no")) ? "jx_b"
                                                                        : "jx_c";
        else
            cls = json_integer_value(json_object_get(r, "penalties")) > 0 ? "special"
                  : json_is_integer(json_object_get(r, "key_polluter"))   ? "key"
                                                                          : "general";
        json_object_set_new(r, "class_code", json_string(cls));
        json_object_set_new(r, "automatic", json_boolean(automatic));
        json_object_del(r, "key_polluter");
        json_object_del(r, "penalties");
        json_object_del(r, "override");
        json_object_del(r, "permit_no");
    }
    return rows;
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

json_t *sup_draw_get(struct db *db, int64_t id, bool public_view, bool *missing)
{
    *missing = false;
    json_t *d = sup_draw_row(db, id);
    if (!d) {
        *missing = true;
        return NULL;
    }
    const char *status = json_string_value(json_object_get(d, "status"));
    bool published = !strcmp(status, "published");
    json_t *strata =
        db_query_rows(db,
                      "SELECT class_code, k.name AS class_name, pool_hash, pool_size, "
                      "count FROM sup_draw_strata s LEFT JOIN sup_classes k ON k.code = "
                      "s.class_code WHERE draw_id = ? ORDER BY class_code",
                      "i", id);
    json_object_set_new(d, "strata", strata ? strata : json_array());
    if (published) {
        sqlite3_stmt *st = db_stmt(db, "SELECT seed FROM sup_draws WHERE id = ?");
        if (st) {
            sqlite3_bind_int64(st, 1, id);
            if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == DRAW_SEED_BYTES) {
                char hex[2 * DRAW_SEED_BYTES + 1];
                draw_hex(sqlite3_column_blob(st, 0), DRAW_SEED_BYTES, hex);
                json_object_set_new(d, "seed", json_string(hex));
            }
            sqlite3_reset(st);
        }
    }
    /* The draw stays confidential until publication: the public sees the
     * commitment and the pools, staff see the targets as soon as drawn. */
    if (!public_view || published) {
        json_t *items = db_query_rows(
            db,
            "SELECT i.seq, i.class_code, i.enterprise_id, i.target_key, e.name AS enterprise, "
            "i.team AS team_json, i.inspection_id, i.result_date, i.result_due, "
            "i.result_published_on, x.result, x.findings FROM sup_draw_items i JOIN enterprises e "
            "ON e.id = i.enterprise_id LEFT JOIN sup_inspections x ON x.id = i.inspection_id "
            "WHERE i.draw_id = ? ORDER BY i.seq",
            "i", id);
        char today[11];
        timeutil_format_date(timeutil_now(), today, sizeof today);
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it)
        {
            const char *due = json_string_value(json_object_get(it, "result_due"));
            const char *pub = json_string_value(json_object_get(it, "result_published_on"));
            bool overdue = due && (pub ? strcmp(pub, due) > 0 : strcmp(today, due) > 0);
            json_object_set_new(it, "overdue", json_boolean(overdue));
            if (public_view && !pub) {
                json_object_set_new(it, "result", json_null());
                json_object_set_new(it, "findings", json_null());
            }
        }
        json_object_set_new(d, "items", items ? items : json_array());
    }
    if (public_view)
        json_object_del(d, "created_by");
    return d;
}

char *sup_draw_file(struct db *db, int64_t id, const char *which, bool public_view, bool *missing)
{
    *missing = true;
    json_t *d = sup_draw_get(db, id, public_view, missing);
    if (!d)
        return NULL;
    struct buf b;
    buf_init(&b, 0);
    bool ok = true;
    if (!strcmp(which, "inspectors")) {
        buf_puts(&b, "key,name\n");
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(d, "inspector_pool"), i, v)
            buf_printf(&b, "\"%s\",\"%s\"\n", json_string_value(json_object_get(v, "licence_no")),
                       json_string_value(json_object_get(v, "name")));
    } else if (!strcmp(which, "conflicts")) {
        buf_puts(&b, "target,inspector\n");
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(d, "conflicts"), i, v)
            buf_printf(&b, "%s,%s\n", json_string_value(json_object_get(v, "target")),
                       json_string_value(json_object_get(v, "inspector")));
    } else if (!strcmp(which, "targets")) {
        json_t *items = json_object_get(d, "items");
        ok = items != NULL;
        size_t i;
        json_t *v;
        json_array_foreach(items, i, v)
            buf_printf(&b, "%s\n", json_string_value(json_object_get(v, "target_key")));
    } else {
        json_t *s = db_query_one(db,
                                 "SELECT pool AS pool_json FROM sup_draw_strata WHERE draw_id = "
                                 "? AND class_code = ?",
                                 "it", id, which);
        ok = s != NULL;
        buf_puts(&b, "key,name\n");
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(s, "pool"), i, v)
        {
            const char *key = json_string_value(v);
            json_t *e = db_query_one(db, "SELECT name FROM enterprises WHERE uscc = ?", "t", key);
            buf_printf(&b, "%s,\"%s\"\n", key,
                       e ? json_string_value(json_object_get(e, "name")) : "");
            json_decref(e);
        }
        json_decref(s);
    }
    json_decref(d);
    if (!ok) {
        buf_free(&b);
        *missing = true;
        return NULL;
    }
    *missing = false;
    return buf_detach(&b, NULL);
}

/* ---- enforcement positive list ---- */

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

/* The seed is a blob, which db_bind has no letter for: bound here directly. */
int sup_store_draw_insert(struct db *db, const struct sup_draw_row *d, json_t *strata, int64_t *id)
{
    *id = 0;
    sqlite3_stmt *st = db_stmt(
        db, "INSERT INTO sup_draws (title, period, preset, matter_id, draw_date, team_size, "
            "status, seed, seed_hash, inspector_pool, inspector_hash, conflicts, created_by, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, 'committed', ?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return SQLITE_ERROR;
    int rc = db_bind(st, "tttitinttttti", d->title, d->period, d->preset, d->matter_id, d->date,
                     d->team_size, d->seed_hash, d->inspector_pool_json, d->inspector_hash,
                     d->conflicts_json, d->created_by, timeutil_now());
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_blob(st, 7, d->seed, (int)d->seed_len, SQLITE_TRANSIENT);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    sqlite3_reset(st);
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
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW && (size_t)sqlite3_column_bytes(st, 0) == len) {
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
