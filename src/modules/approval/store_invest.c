/* approval store_invest — the SQL of the investment and financing project
 * library (contracts in store.h). */
#include "modules/approval/store.h"
#include "core/timeutil.h"
#include "db/row.h"

#include <stdio.h>
#include <string.h>

/* db_stmt caches by the address of the SQL, so one literal per stage. */
static const char *const invest_store_stage_sql[] = {
    "UPDATE invest_projects SET status = ?, updated_on = ?, signed_on = ? WHERE id = ?",
    "UPDATE invest_projects SET status = ?, updated_on = ?, started_on = ? WHERE id = ?",
    "UPDATE invest_projects SET status = ?, updated_on = ?, operating_on = ? WHERE id = ?"};

int invest_store_app_exists(struct db *db, const char *number)
{
    return (int)db_query_int(db, "SELECT count(*) FROM eia_applications WHERE number = ?", -1, "t",
                             number);
}

int invest_store_insert(struct db *db, const char *name, const char *kind, const char *sector,
                        double amount, int64_t enterprise_id, const char *app_number,
                        const char *on, const char *note, int64_t *id)
{
    int rc = db_run(db,
                    "INSERT INTO invest_projects (name, kind, sector, amount, status, "
                    "enterprise_id, app_number, updated_on, signed_on, note, created_at) "
                    "VALUES (?1, ?2, ?3, ?4, '签约', nullif(?5, 0), ?6, ?7, ?7, ?8, ?9)",
                    "tttdittti", name, kind, sector, amount, enterprise_id, app_number, on, note,
                    (int64_t)timeutil_now());
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return 1;
    if (rc)
        return -1;
    *id = db_last_id(db);
    return 0;
}

int invest_store_stage(struct db *db, int64_t id, char *status, size_t statuslen, char last[11])
{
    json_t *row =
        db_query_one(db, "SELECT status, updated_on FROM invest_projects WHERE id = ?", "i", id);
    if (!row)
        return 1;
    snprintf(status, statuslen, "%s", json_string_value(json_object_get(row, "status")));
    snprintf(last, 11, "%s", json_string_value(json_object_get(row, "updated_on")));
    json_decref(row);
    return 0;
}

int invest_store_set_stage(struct db *db, int64_t id, int stage, const char *status,
                           const char *day)
{
    if (stage < 0 || stage > 2)
        return -1;
    return db_run(db, invest_store_stage_sql[stage], "ttti", status, day, day, id) ? -1 : 0;
}

int invest_store_link(struct db *db, int64_t id, const char *number)
{
    if (db_run(db, "UPDATE invest_projects SET app_number = ? WHERE id = ?", "ti", number, id))
        return -1;
    return db_changes(db);
}

/* A project with its enterprise and linked application (the fields the
 * 未批先建 rule reads: app_status, app_decided_on, started_on). */
#define INVEST_SELECT                                                                              \
    "SELECT p.id, p.name, p.kind, p.sector, p.amount, p.status, p.updated_on, p.signed_on, "       \
    "p.started_on, p.operating_on, p.enterprise_id, coalesce(e.name, '') AS enterprise_name, "     \
    "p.note, p.app_number, p.case_id, a.status AS app_status, coalesce(a.id, 0) AS app_id, "       \
    "a.decided_on AS app_decided_on, a.enterprise_id AS app_enterprise_id "                        \
    "FROM invest_projects p LEFT JOIN enterprises e ON e.id = p.enterprise_id "                    \
    "LEFT JOIN eia_applications a ON a.number = p.app_number AND p.app_number <> '' "

json_t *invest_store_list(struct db *db, const char *status, const char *sector, const char *kind,
                          int limit)
{
    return db_query_rows(db,
                         INVEST_SELECT "WHERE (?1 IS NULL OR p.status = ?1) AND (?2 IS NULL OR "
                                       "p.sector = ?2) AND (?3 IS NULL OR p.kind = ?3) ORDER BY "
                                       "p.id DESC LIMIT ?4",
                         "ttti", status, sector, kind, (int64_t)limit);
}

json_t *invest_store_get(struct db *db, int64_t id)
{
    return db_query_one(db, INVEST_SELECT "WHERE p.id = ?", "i", id);
}

int invest_store_set_case(struct db *db, int64_t id, int64_t case_id)
{
    return db_run(db, "UPDATE invest_projects SET case_id = ? WHERE id = ?", "ii", case_id, id) ? -1
                                                                                                : 0;
}

json_t *invest_store_totals(struct db *db, const char *by)
{
    if (!by)
        return db_query_one(
            db, "SELECT count(*) AS count, total(amount) AS amount FROM invest_projects", "");
    if (!strcmp(by, "status"))
        return db_query_rows(db,
                             "SELECT status AS key, count(*) AS count, total(amount) AS amount "
                             "FROM invest_projects GROUP BY status ORDER BY total(amount) DESC",
                             "");
    if (!strcmp(by, "sector"))
        return db_query_rows(db,
                             "SELECT sector AS key, count(*) AS count, total(amount) AS amount "
                             "FROM invest_projects GROUP BY sector ORDER BY total(amount) DESC",
                             "");
    return db_query_rows(db,
                         "SELECT kind AS key, count(*) AS count, total(amount) AS amount "
                         "FROM invest_projects GROUP BY kind ORDER BY total(amount) DESC",
                         "");
}
