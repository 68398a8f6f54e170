/* supervision store_inspection — the SQL of inspections, rectifications,
 * penalties and incidents (rules in inspection.c). */
#include "modules/supervision/store.h"
#include "core/timeutil.h"
#include "db/row.h"

json_t *sup_store_inspector_active(struct db *db, int64_t id)
{
    return db_query_one(
        db, "SELECT name, licence_no FROM sup_inspectors WHERE id = ? AND active = 1", "i", id);
}

bool sup_store_in_conflict(struct db *db, int64_t inspector_id, int64_t enterprise_id)
{
    return db_query_int(db,
                        "SELECT 1 FROM sup_conflicts WHERE inspector_id = ? AND enterprise_id = ?",
                        0, "ii", inspector_id, enterprise_id) == 1;
}

int sup_store_inspection_insert(struct db *db, int64_t enterprise_id, const char *day,
                                const char *inspectors_json, const char *findings,
                                const char *result, const char *photos_json, const char *by,
                                int64_t *id)
{
    int rc = db_run(db,
                    "INSERT INTO sup_inspections (enterprise_id, inspected_on, inspectors, "
                    "findings, result, photos, created_by, created_at) VALUES (?, ?, ?, ?, ?, "
                    "?, ?, ?)",
                    "itttttti", enterprise_id, day, inspectors_json, findings, result, photos_json,
                    by, timeutil_now());
    *id = rc ? 0 : db_last_id(db);
    return rc;
}

int sup_store_rectification_insert(struct db *db, int64_t enterprise_id, int64_t inspection_id,
                                   int64_t case_id, const char *requirement, const char *due_on)
{
    return db_run(db,
                  "INSERT INTO sup_rectifications (enterprise_id, inspection_id, case_id, "
                  "requirement, due_on, status, created_at) VALUES (?, NULLIF(?, 0), "
                  "NULLIF(?, 0), ?, ?, 'open', ?)",
                  "iiitti", enterprise_id, inspection_id, case_id, requirement, due_on,
                  timeutil_now());
}

int sup_store_rectification_done(struct db *db, int64_t id, const char *evidence, const char *day)
{
    return db_run(db,
                  "UPDATE sup_rectifications SET status = 'done', evidence = ?, done_on = ? "
                  "WHERE id = ?",
                  "tti", evidence, day, id);
}

json_t *sup_store_enterprise_users(struct db *db, int64_t enterprise_id)
{
    return db_query_rows(db,
                         "SELECT id FROM users WHERE enterprise_id = ? AND role = 'enterprise' AND "
                         "disabled = 0",
                         "i", enterprise_id);
}

int sup_store_rectification_answer(struct db *db, int64_t id, const char *answer, const char *day,
                                   const char *by)
{
    return db_run(db,
                  "UPDATE sup_rectifications SET answer = ?, answered_on = ?, answered_by = ? "
                  "WHERE id = ? AND status = 'open'",
                  "ttti", answer, day, by, id);
}

bool sup_store_case_of(struct db *db, int64_t case_id, int64_t enterprise_id)
{
    return db_query_int(db, "SELECT 1 FROM sup_cases WHERE id = ? AND enterprise_id = ?", 0, "ii",
                        case_id, enterprise_id) == 1;
}

int sup_store_penalty_insert(struct db *db, int64_t enterprise_id, const char *decision_no,
                             const char *day, const char *violation, const char *basis,
                             int64_t amount_fen, const char *measures, int64_t case_id, int64_t *id)
{
    int rc = db_run(db,
                    "INSERT INTO sup_penalties (enterprise_id, decision_no, decided_on, "
                    "violation, basis, amount_fen, measures, case_id, created_at) VALUES (?, ?, "
                    "?, ?, ?, ?, ?, NULLIF(?, 0), ?)",
                    "ittttitii", enterprise_id, decision_no, day, violation, basis, amount_fen,
                    measures, case_id, timeutil_now());
    *id = rc ? 0 : db_last_id(db);
    return sup_store_rc(rc);
}

int sup_store_incident_insert(struct db *db, int64_t enterprise_id, const char *day,
                              const char *level, const char *description, int64_t *id)
{
    int rc = db_run(db,
                    "INSERT INTO sup_incidents (enterprise_id, occurred_on, level, description, "
                    "created_at) VALUES (?, ?, ?, ?, ?)",
                    "ittti", enterprise_id, day, level, description, timeutil_now());
    *id = rc ? 0 : db_last_id(db);
    return rc;
}
