/* supervision store_case — the SQL of alarms and cases (rules in case.c). */
#include "modules/supervision/store.h"
#include "modules/supervision/supervision.h"
#include "core/timeutil.h"
#include "db/row.h"

json_t *sup_alarm_row(struct db *db, int64_t id)
{
    return db_query_one(db,
                        "SELECT a.*, a.verification AS verification_json FROM sup_alarms a WHERE "
                        "id = ?",
                        "i", id);
}

json_t *sup_case_row(struct db *db, int64_t id)
{
    return db_query_one(db,
                        "SELECT k.*, e.name AS enterprise FROM sup_cases k JOIN enterprises e ON "
                        "e.id = k.enterprise_id WHERE k.id = ?",
                        "i", id);
}

int sup_store_alarm_insert(struct db *db, const struct sup_alarm_input *in, int64_t *id)
{
    char flag[2] = {in->data_flag, 0};
    int rc = db_run(db,
                    "INSERT INTO sup_alarms (enterprise_id, source, point, factor, value, "
                    "limit_value, unit, observed_at, data_flag, device_ok, severity, status, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?)",
                    "itttddtititi", in->enterprise_id, in->source, in->point, in->factor, in->value,
                    in->limit, in->unit, in->observed_at, flag, (int64_t)in->device_ok,
                    in->serious ? "serious" : "normal", timeutil_now());
    *id = rc ? 0 : db_last_id(db);
    return rc;
}

int sup_store_alarm_set_status(struct db *db, int64_t id, const char *status,
                               const char *verification, const char *dismissed_reason)
{
    return db_run(db,
                  "UPDATE sup_alarms SET status = ?, verification = coalesce(?, verification), "
                  "dismissed_reason = coalesce(?, dismissed_reason) WHERE id = ?",
                  "ttti", status, verification, dismissed_reason, id);
}

int sup_store_case_open(struct db *db, int64_t enterprise_id, int64_t alarm_id, const char *title,
                        const char *opened_on, int64_t *case_id)
{
    int rc = db_run(db,
                    "INSERT INTO sup_cases (enterprise_id, alarm_id, title, opened_on, status, "
                    "created_at) VALUES (?, ?, ?, ?, 'open', ?)",
                    "iitti", enterprise_id, alarm_id, title, opened_on, timeutil_now());
    *case_id = rc ? 0 : db_last_id(db);
    return rc ? rc
              : db_run(db, "UPDATE sup_alarms SET status = 'case', case_id = ? WHERE id = ?", "ii",
                       *case_id, alarm_id);
}

int sup_store_case_open_from(struct db *db, int64_t enterprise_id, const char *title,
                             const char *source, const char *opened_on, int64_t *case_id)
{
    int rc = db_run(db,
                    "INSERT INTO sup_cases (enterprise_id, title, opened_on, status, source, "
                    "created_at) VALUES (?, ?, ?, 'open', ?, ?)",
                    "ittti", enterprise_id, title, opened_on, source, timeutil_now());
    *case_id = rc ? 0 : db_last_id(db);
    return rc;
}

int sup_store_case_rectify(struct db *db, int64_t id, int64_t enterprise_id,
                           const char *requirement, const char *due_on)
{
    int rc = db_run(db,
                    "UPDATE sup_cases SET status = 'rectifying', requirement = ?, due_on = ? "
                    "WHERE id = ?",
                    "tti", requirement, due_on, id);
    return rc ? rc
              : db_run(db,
                       "INSERT INTO sup_rectifications (enterprise_id, case_id, requirement, "
                       "due_on, status, created_at) VALUES (?, ?, ?, ?, 'open', ?)",
                       "iitti", enterprise_id, id, requirement, due_on, timeutil_now());
}

json_t *sup_store_case_rectification_ids(struct db *db, int64_t case_id)
{
    return db_query_rows(db, "SELECT id FROM sup_rectifications WHERE case_id = ? ORDER BY id", "i",
                         case_id);
}

int sup_store_case_close(struct db *db, int64_t id, const char *evidence, const char *note,
                         const char *day)
{
    int rc = db_run(db,
                    "UPDATE sup_cases SET status = 'closed', evidence = ?, closing_note = ?, "
                    "closed_on = ? WHERE id = ?",
                    "ttti", evidence, note, day, id);
    return rc ? rc
              : db_run(db,
                       "UPDATE sup_rectifications SET status = 'done', evidence = ?, done_on = ? "
                       "WHERE case_id = ? AND status = 'open'",
                       "tti", evidence, day, id);
}

json_t *supervision_at_risk(struct db *db, const char *today, int limit)
{
    json_t *o = db_query_one(
        db,
        "SELECT (SELECT count(*) FROM sup_alarms WHERE status IN ('new', 'verified')) AS "
        "alarms_open, (SELECT count(*) FROM sup_alarms WHERE status = 'new') AS alarms_new, "
        "(SELECT count(*) FROM sup_alarms WHERE status = 'verified') AS alarms_verified, "
        "(SELECT count(*) FROM sup_alarms WHERE status IN ('new', 'verified') AND severity = "
        "'serious') AS alarms_serious, (SELECT count(*) FROM sup_cases WHERE status IN ('open', "
        "'rectifying')) AS cases_open, (SELECT count(*) FROM sup_cases WHERE status = 'open') AS "
        "cases_new, (SELECT count(*) FROM sup_cases WHERE status = 'rectifying') AS "
        "cases_rectifying, (SELECT count(*) FROM sup_cases WHERE status = 'rectifying' AND due_on "
        "< ?1) AS cases_overdue",
        "t", today);
    json_t *rows = o ? db_query_rows(db,
                                     "SELECT k.id, k.title, k.status, k.opened_on, k.due_on, "
                                     "e.name AS enterprise FROM sup_cases k JOIN enterprises e ON "
                                     "e.id = k.enterprise_id WHERE k.status IN ('open', "
                                     "'rectifying') ORDER BY (k.due_on IS NOT NULL AND k.due_on < "
                                     "?1) DESC, k.opened_on, k.id LIMIT ?2",
                                     "ti", today, (int64_t)limit)
                     : NULL;
    if (!rows) {
        json_decref(o);
        return NULL;
    }
    json_object_set_new(o, "cases", rows);
    return o;
}
