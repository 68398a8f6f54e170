/* jobs store — see store.h. */
#include "modules/jobs/store.h"

#include "core/xalloc.h"
#include "db/row.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define JOBS_NOW "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
#define JOBS_COLS                                                                                  \
    "id, kind, title, owner_id, owner_name, state, cancel_requested, done, total, message, "       \
    "eta_seconds, error, result_json, file_path IS NOT NULL AS has_file, file_name, created_at, "  \
    "started_at, finished_at"

int64_t jobs_store_insert(struct db *db, const struct jobs_store_new *n)
{
    const char *payload = n->payload ? n->payload : "";
    if (db_run(db,
               "INSERT INTO jobs (kind, title, owner_id, owner_name, params_json, payload) "
               "VALUES (?, ?, ?, ?, ?, ?)",
               "ttittb", n->kind, n->title, n->owner_id, n->owner_name, n->params_json, payload,
               n->payload ? n->len : 0))
        return -1;
    return db_last_id(db);
}

int64_t jobs_store_pending(struct db *db, int64_t owner_id)
{
    return db_query_int(db,
                        "SELECT count(*) FROM jobs WHERE owner_id = ? AND state IN ('queued', "
                        "'running')",
                        -1, "i", owner_id);
}

/* The claimed job's payload: a blob column, read here (db_row_json gives
 * blobs as null). */
static int jobs_store_payload(struct db *db, int64_t id, char **payload, size_t *len)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT payload FROM jobs WHERE id = ?");
    int rc = -1;
    if (!st)
        return -1;
    if (db_bind(st, "i", id) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        const void *b = sqlite3_column_blob(st, 0);
        *payload = xmalloc(n + 1);
        if (n)
            memcpy(*payload, b, n);
        (*payload)[n] = '\0';
        *len = n;
        rc = 0;
    }
    sqlite3_reset(st);
    return rc;
}

int jobs_store_claim(struct db *db, const char *kinds_json, int64_t *id, char **kind,
                     json_t **params, char **payload, size_t *len)
{
    json_t *row = NULL;
    /* One statement, so two workers never claim the same job. */
    int rc = db_query_row(db, &row,
                          "UPDATE jobs SET state = 'running', started_at = " JOBS_NOW
                          " WHERE id = (SELECT id FROM jobs WHERE state = 'queued' AND kind IN "
                          "(SELECT value FROM json_each(?)) ORDER BY id LIMIT 1) "
                          "RETURNING id, kind, params_json",
                          "t", kinds_json);
    if (rc <= 0)
        return rc;
    *id = json_integer_value(json_object_get(row, "id"));
    *kind = xstrdup(json_string_value(json_object_get(row, "kind")));
    *params = json_incref(json_object_get(row, "params"));
    json_decref(row);
    if (!*params)
        *params = json_object();
    if (jobs_store_payload(db, *id, payload, len)) {
        free(*kind);
        json_decref(*params);
        return -1;
    }
    return 1;
}

int jobs_store_progress(struct db *db, int64_t id, int64_t done, int64_t total, const char *message,
                        int64_t eta)
{
    return db_run(db,
                  "UPDATE jobs SET done = ?, total = ?, message = ?, eta_seconds = ? WHERE id = ?",
                  "iitii", done, total, message, eta, id);
}

bool jobs_store_autocommit(struct db *db)
{
    return sqlite3_get_autocommit(db_handle(db)) != 0;
}

int jobs_store_cancel_requested(struct db *db, int64_t id)
{
    int64_t v = db_query_int(db, "SELECT cancel_requested FROM jobs WHERE id = ?", -1, "i", id);
    return v < 0 ? -1 : v > 0;
}

int jobs_store_finish(struct db *db, int64_t id, const struct jobs_store_end *e)
{
    return db_run(db,
                  "UPDATE jobs SET state = ?, error = ?, result_json = ?, file_path = ?, "
                  "file_name = ?, file_mime = ?, done = ?, total = ?, message = ?, payload = "
                  "NULL, eta_seconds = NULL, finished_at = " JOBS_NOW
                  " WHERE id = ? AND state = 'running'",
                  "ttttttiiti", e->state, e->error, e->result_json, e->file_path, e->file_name,
                  e->file_mime, e->done, e->total, e->message ? e->message : "", id);
}

int jobs_store_requeue(struct db *db, int64_t id)
{
    return db_run(db,
                  "UPDATE jobs SET state = 'queued', started_at = NULL, done = 0, message = '', "
                  "eta_seconds = NULL WHERE id = ? AND state = 'running'",
                  "i", id);
}

int jobs_store_request_cancel(struct db *db, int64_t id)
{
    if (db_run(db,
               "UPDATE jobs SET cancel_requested = 1, state = CASE state WHEN 'queued' THEN "
               "'cancelled' ELSE state END, payload = CASE state WHEN 'queued' THEN NULL ELSE "
               "payload END, finished_at = CASE state WHEN 'queued' THEN " JOBS_NOW
               " ELSE finished_at END WHERE id = ? AND state IN ('queued', 'running')",
               "i", id))
        return -1;
    return db_changes(db);
}

int jobs_store_settle(struct db *db, const char *kind, int rerun, const char *why)
{
    if (rerun)
        return db_run(db,
                      "UPDATE jobs SET state = 'queued', started_at = NULL, done = 0, message = "
                      "'', eta_seconds = NULL WHERE kind = ? AND state = 'running'",
                      "t", kind);
    return db_run(db,
                  "UPDATE jobs SET state = 'failed', error = ?, payload = NULL, eta_seconds = "
                  "NULL, finished_at = " JOBS_NOW " WHERE kind = ? AND state = 'running'",
                  "tt", why, kind);
}

json_t *jobs_store_old_files(struct db *db, int64_t before)
{
    return db_query_rows(db,
                         "SELECT id, file_path FROM jobs WHERE file_path IS NOT NULL AND "
                         "finished_at < strftime('%Y-%m-%dT%H:%M:%SZ', ?, 'unixepoch') ORDER BY "
                         "id LIMIT 500",
                         "i", before);
}

int jobs_store_forget_file(struct db *db, int64_t id)
{
    return db_run(
        db, "UPDATE jobs SET file_path = NULL, file_name = NULL, file_mime = NULL WHERE id = ?",
        "i", id);
}

int jobs_store_get(struct db *db, int64_t id, json_t **out)
{
    return db_query_row(db, out, "SELECT " JOBS_COLS " FROM jobs WHERE id = ?", "i", id);
}

json_t *jobs_store_list(struct db *db, int64_t owner_id, int64_t limit)
{
    return db_query_rows(db,
                         "SELECT " JOBS_COLS " FROM jobs WHERE ? = 0 OR owner_id = ? ORDER BY id "
                         "DESC LIMIT ?",
                         "iii", owner_id, owner_id, limit);
}

int jobs_store_file(struct db *db, int64_t id, json_t **out)
{
    return db_query_row(db, out,
                        "SELECT owner_id, state, file_path, file_name, file_mime FROM jobs WHERE "
                        "id = ?",
                        "i", id);
}
