/* pmf store — see store.h. */
#include "modules/pmf/store.h"

#include "core/xalloc.h"
#include "db/row.h"

#include <string.h>

#define PMF_COLS                                                                                   \
    "id, title, period_from, period_to, status, cancel_requested, runs_done, runs_total, "         \
    "current_q, eta_seconds, error, published, published_at, published_by, created_by, "           \
    "created_at, finished_at, settings_json, names_json, job_id"

int64_t pmf_store_insert(struct db *db, const struct pmf_store_new *n)
{
    if (db_run(db,
               "INSERT INTO pmf_analyses (title, period_from, period_to, conc, unc, "
               "settings_json, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
               "ttttttt", n->title, n->period_from, n->period_to, n->conc, n->unc, n->settings_json,
               n->created_by))
        return -1;
    return db_last_id(db);
}

json_t *pmf_store_list(struct db *db)
{
    return db_query_rows(db, "SELECT " PMF_COLS " FROM pmf_analyses ORDER BY id DESC", "");
}

int pmf_store_get(struct db *db, int64_t id, json_t **out)
{
    return db_query_row(db, out, "SELECT " PMF_COLS ", result_json FROM pmf_analyses WHERE id = ?",
                        "i", id);
}

static char *pmf_store_take(json_t *row, const char *key)
{
    const char *s = json_string_value(json_object_get(row, key));
    return xstrdup(s ? s : "");
}

int pmf_store_input(struct db *db, int64_t id, char **conc, char **unc, char **settings)
{
    json_t *row = NULL;
    int rc = db_query_row(db, &row,
                          "SELECT conc, unc, settings_json AS settings FROM pmf_analyses WHERE "
                          "id = ?",
                          "i", id);
    if (rc <= 0)
        return rc;
    *conc = pmf_store_take(row, "conc");
    *unc = pmf_store_take(row, "unc");
    *settings = pmf_store_take(row, "settings");
    json_decref(row);
    return 1;
}

int pmf_store_set_job(struct db *db, int64_t id, int64_t job_id)
{
    return db_run(db, "UPDATE pmf_analyses SET job_id = ? WHERE id = ?", "ii", job_id, id);
}

json_t *pmf_store_orphans(struct db *db)
{
    return db_query_rows(db,
                         "SELECT id, title, created_by FROM pmf_analyses WHERE job_id IS NULL AND "
                         "status IN ('queued', 'running') ORDER BY id",
                         "");
}

int pmf_store_progress(struct db *db, int64_t id, int done, int total, double q, int64_t eta)
{
    return db_run(db,
                  "UPDATE pmf_analyses SET runs_done = ?, runs_total = ?, current_q = ?, "
                  "eta_seconds = ? WHERE id = ?",
                  "iidii", (int64_t)done, (int64_t)total, q, eta, id);
}

int pmf_store_finish(struct db *db, int64_t id, const char *status, const char *error,
                     const char *result_json)
{
    return db_run(db,
                  "UPDATE pmf_analyses SET status = ?, error = ?, result_json = ?, eta_seconds "
                  "= NULL, finished_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?",
                  "ttti", status, error, result_json, id);
}

int pmf_store_request_cancel(struct db *db, int64_t id)
{
    if (db_run(db,
               "UPDATE pmf_analyses SET cancel_requested = 1, status = CASE status WHEN "
               "'queued' THEN 'cancelled' ELSE status END WHERE id = ? AND status IN "
               "('queued', 'running')",
               "i", id))
        return -1;
    return db_changes(db);
}

int pmf_store_set_names(struct db *db, int64_t id, const char *names_json)
{
    return db_run(db, "UPDATE pmf_analyses SET names_json = ? WHERE id = ?", "ti", names_json, id);
}

int pmf_store_publish(struct db *db, int64_t id, const char *by)
{
    if (db_run(db, "UPDATE pmf_analyses SET published = 0 WHERE published = 1", ""))
        return -1;
    return db_run(db,
                  "UPDATE pmf_analyses SET published = 1, published_by = ?, published_at = "
                  "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?",
                  "ti", by, id);
}

int pmf_store_published(struct db *db, json_t **out)
{
    return db_query_row(db, out,
                        "SELECT id, title, period_from, period_to, published_at, settings_json, "
                        "names_json, result_json FROM pmf_analyses WHERE published = 1 ORDER BY "
                        "published_at DESC LIMIT 1",
                        "");
}
