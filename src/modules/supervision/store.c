/* supervision store — settings, records by id, the console lists and the
 * dashboard counts. */
#include "modules/supervision/store.h"
#include "modules/supervision/supervision.h"
#include "db/row.h"
#include "domain/draw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A numeric setting (sup_settings holds text); def when absent or not a number. */
int64_t sup_setting(struct db *db, const char *key, int64_t def)
{
    json_t *row = db_query_one(db, "SELECT value FROM sup_settings WHERE key = ?", "t", key);
    const char *v = json_string_value(json_object_get(row, "value"));
    int64_t out = def;
    if (v) {
        char *end;
        long long x = strtoll(v, &end, 10);
        if (!*end)
            out = x;
    }
    json_decref(row);
    return out;
}

int sup_store_rc(int rc)
{
    return (rc & 0xff) == SQLITE_CONSTRAINT ? SUP_STORE_DUPLICATE : rc;
}

json_t *sup_store_record(struct db *db, enum sup_record kind, int64_t id)
{
    static const char *const sql[] = {
        [SUP_MATTER] = "SELECT * FROM sup_matters WHERE id = ?",
        [SUP_INSPECTOR] = "SELECT * FROM sup_inspectors WHERE id = ?",
        [SUP_INSPECTION] = "SELECT id, enterprise_id, inspected_on, inspectors AS "
                           "inspectors_json, findings, result, photos AS photos_json FROM "
                           "sup_inspections WHERE id = ?",
        [SUP_RECTIFICATION] = "SELECT * FROM sup_rectifications WHERE id = ?",
        [SUP_PENALTY] = "SELECT * FROM sup_penalties WHERE id = ?",
        [SUP_INCIDENT] = "SELECT * FROM sup_incidents WHERE id = ?",
        [SUP_PL_ENTRY] = "SELECT * FROM sup_pl_entries WHERE id = ?",
        [SUP_PROPOSAL] = "SELECT * FROM sup_pl_proposals WHERE id = ?",
        [SUP_PUBLICATION] = "SELECT * FROM sup_publications WHERE id = ?",
        [SUP_INSTITUTION] = "SELECT * FROM sup_institutions WHERE id = ?",
    };
    return db_query_one(db, sql[kind], "i", id);
}

int64_t sup_store_enterprise_count(struct db *db)
{
    return db_query_int(db, "SELECT count(*) FROM enterprises", 0, "");
}

int sup_store_published_through(struct db *db, const char *list, char through[11])
{
    json_t *row = db_query_one(
        db, "SELECT max(through) AS through FROM sup_publications WHERE list = ?", "t", list);
    through[0] = '\0';
    if (!row)
        return -1;
    const char *t = json_string_value(json_object_get(row, "through"));
    if (t)
        snprintf(through, 11, "%s", t);
    json_decref(row);
    return 0;
}

bool sup_enterprise_exists(struct db *db, int64_t id)
{
    return db_query_int(db, "SELECT 1 FROM enterprises WHERE id = ?", 0, "i", id) == 1;
}

struct sup_list_def {
    const char *what;
    const char *sql; /* ?1 enterprise filter (0 = all), ?2 search text, ?3 limit */
};

static const struct sup_list_def sup_lists[] = {
    {"matters", "SELECT * FROM sup_matters WHERE ?1 = 0 AND (?2 = '' OR name LIKE '%'||?2||'%') "
                "ORDER BY code LIMIT ?3"},
    {"classes", "SELECT * FROM sup_classes WHERE ?1 = 0 AND ?2 = ?2 ORDER BY preset DESC, code "
                "LIMIT ?3"},
    {"inspectors", "SELECT * FROM sup_inspectors WHERE ?1 = 0 AND (?2 = '' OR name LIKE "
                   "'%'||?2||'%') ORDER BY licence_no LIMIT ?3"},
    {"conflicts", "SELECT x.*, i.name AS inspector, e.name AS enterprise FROM sup_conflicts x "
                  "JOIN sup_inspectors i ON i.id = x.inspector_id JOIN enterprises e ON e.id = "
                  "x.enterprise_id WHERE (?1 = 0 OR x.enterprise_id = ?1) AND ?2 = ?2 LIMIT ?3"},
    {"draws", "SELECT d.id, d.title, d.period, d.preset, d.draw_date, d.status, d.seed_hash, "
              "d.created_at, d.published_at, m.name AS matter, (SELECT count(*) FROM "
              "sup_draw_items i WHERE i.draw_id = d.id) AS targets FROM sup_draws d JOIN "
              "sup_matters m ON m.id = d.matter_id WHERE ?1 = 0 AND (?2 = '' OR d.title LIKE "
              "'%'||?2||'%') ORDER BY d.id DESC LIMIT ?3"},
    {"criteria", "SELECT * FROM sup_pl_criteria WHERE ?1 = 0 AND ?2 = ?2 ORDER BY rowid LIMIT ?3"},
    {"positive", "SELECT p.*, e.name AS enterprise, e.uscc FROM sup_pl_entries p JOIN enterprises "
                 "e ON e.id = p.enterprise_id WHERE (?1 = 0 OR p.enterprise_id = ?1) AND (?2 = '' "
                 "OR e.name LIKE '%'||?2||'%') ORDER BY p.id DESC LIMIT ?3"},
    {"proposals", "SELECT p.*, e.name AS enterprise FROM sup_pl_proposals p JOIN enterprises e ON "
                  "e.id = p.enterprise_id WHERE (?1 = 0 OR p.enterprise_id = ?1) AND (?2 = '' OR "
                  "p.status = ?2) ORDER BY p.id DESC LIMIT ?3"},
    {"behaviours", "SELECT * FROM sup_behaviours WHERE ?1 = 0 AND ?2 = ?2 ORDER BY code LIMIT ?3"},
    {"preparers", "SELECT p.*, u.name AS employer FROM sup_preparers p LEFT JOIN sup_preparers u "
                  "ON u.id = p.employer_id WHERE ?1 = 0 AND (?2 = '' OR p.name LIKE '%'||?2||'%' "
                  "OR p.code = ?2) ORDER BY p.id LIMIT ?3"},
    {"publications", "SELECT * FROM sup_publications WHERE ?1 = 0 AND ?2 = ?2 ORDER BY id DESC "
                     "LIMIT ?3"},
    {"mon_items", "SELECT * FROM sup_mon_items WHERE ?1 = 0 AND ?2 = ?2 ORDER BY code LIMIT ?3"},
    {"inspections", "SELECT x.id, x.enterprise_id, e.name AS enterprise, x.inspected_on, "
                    "x.inspectors AS inspectors_json, x.findings, x.result, x.photos AS "
                    "photos_json, x.draw_id, x.published FROM sup_inspections x JOIN enterprises e "
                    "ON e.id = x.enterprise_id WHERE (?1 = 0 OR x.enterprise_id = ?1) AND (?2 = '' "
                    "OR e.name LIKE '%'||?2||'%') ORDER BY x.id DESC LIMIT ?3"},
    {"rectifications", "SELECT r.*, e.name AS enterprise FROM sup_rectifications r JOIN "
                       "enterprises e ON e.id = r.enterprise_id WHERE (?1 = 0 OR r.enterprise_id "
                       "= ?1) AND (?2 = '' OR r.status = ?2) ORDER BY r.id DESC LIMIT ?3"},
    {"penalties", "SELECT p.*, e.name AS enterprise, e.uscc FROM sup_penalties p JOIN enterprises "
                  "e ON e.id = p.enterprise_id WHERE (?1 = 0 OR p.enterprise_id = ?1) AND (?2 = '' "
                  "OR e.name LIKE '%'||?2||'%') ORDER BY p.decided_on DESC, p.id DESC LIMIT ?3"},
    {"incidents", "SELECT i.*, e.name AS enterprise FROM sup_incidents i JOIN enterprises e ON "
                  "e.id = i.enterprise_id WHERE (?1 = 0 OR i.enterprise_id = ?1) AND ?2 = ?2 "
                  "ORDER BY i.id DESC LIMIT ?3"},
    {"alarms", "SELECT a.*, a.verification AS verification_json, e.name AS enterprise FROM "
               "sup_alarms a JOIN enterprises e ON e.id = a.enterprise_id WHERE (?1 = 0 OR "
               "a.enterprise_id = ?1) AND (?2 = '' OR a.status = ?2) ORDER BY a.id DESC LIMIT ?3"},
    {"cases", "SELECT k.*, e.name AS enterprise FROM sup_cases k JOIN enterprises e ON e.id = "
              "k.enterprise_id WHERE (?1 = 0 OR k.enterprise_id = ?1) AND (?2 = '' OR k.status = "
              "?2) ORDER BY k.id DESC LIMIT ?3"},
};

json_t *sup_list(struct db *db, const char *what, int64_t enterprise_id, const char *q, int limit)
{
    for (size_t i = 0; i < sizeof sup_lists / sizeof sup_lists[0]; i++)
        if (!strcmp(sup_lists[i].what, what)) {
            json_t *rows = db_query_rows(db, sup_lists[i].sql, "iti", enterprise_id, q ? q : "",
                                         (int64_t)limit);
            return rows;
        }
    return NULL;
}

json_t *sup_stats(struct db *db, const char *today)
{
    return json_pack(
        "{s{sI sI sI sI} s{sI sI sI sf} s{sI sI} sI sI}", "alarms", "new",
        (json_int_t)db_query_int(db, "SELECT count(*) FROM sup_alarms WHERE status = 'new'", 0, ""),
        "verified",
        (json_int_t)db_query_int(db, "SELECT count(*) FROM sup_alarms WHERE status = 'verified'", 0,
                                 ""),
        "dismissed",
        (json_int_t)db_query_int(db, "SELECT count(*) FROM sup_alarms WHERE status = 'dismissed'",
                                 0, ""),
        "case",
        (json_int_t)db_query_int(db, "SELECT count(*) FROM sup_alarms WHERE status = 'case'", 0,
                                 ""),
        "cases", "open",
        (json_int_t)db_query_int(db, "SELECT count(*) FROM sup_cases WHERE status = 'open'", 0, ""),
        "rectifying",
        (json_int_t)db_query_int(db, "SELECT count(*) FROM sup_cases WHERE status = 'rectifying'",
                                 0, ""),
        "closed",
        (json_int_t)db_query_int(db, "SELECT count(*) FROM sup_cases WHERE status = 'closed'", 0,
                                 ""),
        "avg_days_to_close",
        (double)db_query_int(
            db,
            "SELECT CAST(round(avg(julianday(closed_on) - julianday(opened_on))) AS "
            "INTEGER) FROM sup_cases WHERE status = 'closed'",
            0, ""),
        "positive", "active",
        (json_int_t)db_query_int(db,
                                 "SELECT count(*) FROM sup_pl_entries WHERE valid_from <= ?1 AND "
                                 "valid_until > ?1 AND removed_on IS NULL",
                                 0, "t", today),
        "open_proposals",
        (json_int_t)db_query_int(db, "SELECT count(*) FROM sup_pl_proposals WHERE status = 'open'",
                                 0, ""),
        "penalties", (json_int_t)db_query_int(db, "SELECT count(*) FROM sup_penalties", 0, ""),
        "overdue_results",
        (json_int_t)db_query_int(db,
                                 "SELECT count(*) FROM sup_draw_items WHERE result_due IS NOT NULL "
                                 "AND result_published_on IS NULL AND result_due < ?",
                                 0, "t", today));
}
