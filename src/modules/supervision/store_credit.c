/* supervision store_credit — the SQL of preparers, credit decisions, reports,
 * publications and monitoring institutions (rules in credit.c). */
#include "modules/supervision/store.h"
#include "modules/supervision/supervision.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "db/row.h"
#include "domain/calendar.h"
#include "domain/credit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *sup_store_credit_history(struct db *db, int64_t preparer_id)
{
    return db_query_rows(db,
                         "SELECT id, points, ban, effective_on, ban_until FROM "
                         "sup_credit_events WHERE preparer_id = ? ORDER BY effective_on, id",
                         "i", preparer_id);
}

json_t *sup_store_credit_events(struct db *db, int64_t preparer_id)
{
    return db_query_rows(db,
                         "SELECT c.*, b.name AS behaviour_name FROM sup_credit_events c "
                         "JOIN sup_behaviours b ON b.code = c.behaviour WHERE "
                         "preparer_id = ? ORDER BY effective_on, c.id",
                         "i", preparer_id);
}

json_t *sup_store_preparer_reports(struct db *db, int64_t preparer_id)
{
    return db_query_rows(db,
                         "SELECT ref, approved_on FROM sup_preparer_reports WHERE "
                         "preparer_id = ? ORDER BY approved_on",
                         "i", preparer_id);
}

json_t *sup_store_institution_scores(struct db *db, const char *from, const char *to)
{
    return db_query_rows(
        db,
        "SELECT i.id, i.name, i.uscc,"
        " coalesce((SELECT sum(CASE kind WHEN 'bonus' THEN points WHEN 'deduct' THEN -points ELSE 0"
        " END) FROM sup_mon_evidence e WHERE e.institution_id = i.id AND occurred_on BETWEEN ?1 AND"
        " ?2), 0) AS delta,"
        " (SELECT count(*) FROM sup_mon_evidence e WHERE e.institution_id = i.id AND kind = 'veto'"
        " AND occurred_on BETWEEN ?1 AND ?2) AS vetoes"
        " FROM sup_institutions i ORDER BY i.id",
        "tt", from, to);
}

json_t *sup_store_institution_evidence(struct db *db, int64_t institution_id, const char *from,
                                       const char *to)
{
    return db_query_rows(db,
                         "SELECT e.item, m.name, e.kind, e.points, e.occurred_on, "
                         "e.note FROM sup_mon_evidence e JOIN sup_mon_items m ON "
                         "m.code = e.item WHERE institution_id = ? AND occurred_on "
                         "BETWEEN ? AND ? ORDER BY occurred_on",
                         "itt", institution_id, from, to);
}

json_t *sup_store_preparer(struct db *db, int64_t id)
{
    return db_query_one(db, "SELECT * FROM sup_preparers WHERE id = ?", "i", id);
}

bool sup_store_preparer_is_unit(struct db *db, int64_t id)
{
    return db_query_int(db, "SELECT 1 FROM sup_preparers WHERE id = ? AND kind = 'unit'", 0, "i",
                        id) == 1;
}

int64_t sup_store_preparer_by_code(struct db *db, const char *code)
{
    return db_query_int(db, "SELECT id FROM sup_preparers WHERE code = ?", 0, "t", code);
}

int64_t supervision_preparer_id(struct db *db, const char *name_or_code)
{
    return db_query_int(db,
                        "SELECT id FROM sup_preparers WHERE name = ?1 OR code = ?1 "
                        "ORDER BY code = ?1 DESC LIMIT 1",
                        0, "t", name_or_code);
}

int sup_store_preparer_insert(struct db *db, const char *kind, const char *name, const char *code,
                              int64_t employer_id, const char *registered_on, int64_t *id)
{
    int rc = db_run(db,
                    "INSERT INTO sup_preparers (kind, name, code, employer_id, registered_on, "
                    "created_at) VALUES (?, ?, ?, NULLIF(?, 0), ?, ?)",
                    "tttiti", kind, name, code, employer_id, registered_on, timeutil_now());
    *id = rc ? 0 : db_last_id(db);
    return sup_store_rc(rc);
}

json_t *sup_store_behaviour(struct db *db, const char *code)
{
    return db_query_one(db, "SELECT * FROM sup_behaviours WHERE code = ?", "t", code);
}

int sup_store_credit_event_insert(struct db *db, int64_t preparer_id, const char *behaviour,
                                  int64_t points, bool ban, const char *effective_on,
                                  const char *ban_until, const char *decision_no, const char *note)
{
    return db_run(db,
                  "INSERT INTO sup_credit_events (preparer_id, behaviour, points, ban, "
                  "effective_on, ban_until, decision_no, note, created_at) VALUES (?, ?, ?, ?, "
                  "?, ?, ?, ?, ?)",
                  "itiitttti", preparer_id, behaviour, points, (int64_t)ban, effective_on,
                  ban_until, decision_no, note, timeutil_now());
}

int sup_store_preparer_report_insert(struct db *db, int64_t preparer_id, const char *ref,
                                     const char *approved_on)
{
    return db_run(db,
                  "INSERT OR IGNORE INTO sup_preparer_reports (preparer_id, ref, approved_on) "
                  "VALUES (?, ?, ?)",
                  "itt", preparer_id, ref, approved_on);
}

int sup_store_publication_insert(struct db *db, const char *list, const char *through,
                                 const char *by, int64_t *id)
{
    int rc = db_run(db,
                    "INSERT INTO sup_publications (list, through, published_at, published_by) "
                    "VALUES (?, ?, ?, ?)",
                    "ttit", list, through, timeutil_now(), by);
    *id = rc ? 0 : db_last_id(db);
    return rc;
}

int sup_store_institution_insert(struct db *db, const char *name, const char *uscc, int64_t *id)
{
    int rc = db_run(db, "INSERT INTO sup_institutions (name, uscc, created_at) VALUES (?, ?, ?)",
                    "tti", name, uscc, timeutil_now());
    *id = rc ? 0 : db_last_id(db);
    return sup_store_rc(rc);
}

json_t *sup_store_mon_item(struct db *db, const char *code)
{
    return db_query_one(db, "SELECT * FROM sup_mon_items WHERE code = ?", "t", code);
}

int sup_store_evidence_insert(struct db *db, int64_t institution_id, const char *item,
                              double points, const char *kind, const char *day, const char *note)
{
    return db_run(db,
                  "INSERT INTO sup_mon_evidence (institution_id, item, points, kind, occurred_on, "
                  "note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                  "itdttti", institution_id, item, points, kind, day, note, timeutil_now());
}
