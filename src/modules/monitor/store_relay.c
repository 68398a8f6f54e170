/* monitor store_relay — forward_targets and forward_queue (store_relay.h). */
#include "modules/monitor/store_relay.h"
#include "core/log.h"
#include "db/row.h"

#include <stdio.h>

enum err monitor_store_forward_insert(struct db *db, const struct monitor_store_forward *f,
                                      int64_t now, int64_t *id)
{
    int rc = db_run(db,
                    "INSERT INTO forward_targets (name, host, port, active, sent_id, created_at, "
                    "updated_at) VALUES (?1, ?2, ?3, ?4, (SELECT coalesce(max(id), 0) FROM "
                    "forward_queue), ?5, ?5)",
                    "ttiii", f->name, f->host, f->port, f->active, now);
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return ERR_CONFLICT;
    if (rc != SQLITE_OK)
        return ERR_INTERNAL;
    *id = db_last_id(db);
    return ERR_OK;
}

enum err monitor_store_forward_update(struct db *db, int64_t id,
                                      const struct monitor_store_forward *f, int64_t now)
{
    /* While inactive no backlog is kept: reactivated, it starts at the current end. */
    int rc = db_run(db,
                    "UPDATE forward_targets SET name = ?1, host = ?2, port = ?3, active = ?4, "
                    "updated_at = ?5, sent_id = CASE WHEN ?4 AND NOT active THEN (SELECT "
                    "coalesce(max(id), 0) FROM forward_queue) ELSE sent_id END WHERE id = ?6",
                    "ttiiii", f->name, f->host, f->port, f->active, now, id);
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return ERR_CONFLICT;
    return rc == SQLITE_OK ? ERR_OK : ERR_INTERNAL;
}

json_t *monitor_store_forward_get(struct db *db, int64_t id)
{
    return db_query_one(db, "SELECT name, host, port, active FROM forward_targets WHERE id = ?",
                        "i", id);
}

int monitor_store_forward_delete(struct db *db, int64_t id)
{
    return db_run(db, "DELETE FROM forward_targets WHERE id = ?", "i", id) ? -1 : 0;
}

json_t *monitor_store_forward_list(struct db *db)
{
    /* backlog: queued frames the target has not sent; an inactive target keeps none. */
    return db_query_rows(
        db,
        "SELECT t.id, t.name, t.host, t.port, t.active, t.sent_id, t.created_at, t.updated_at, "
        "CASE WHEN t.active THEN (SELECT count(*) FROM forward_queue q WHERE q.id > t.sent_id) "
        "ELSE 0 END AS backlog, CASE WHEN t.active THEN (SELECT min(created_at) FROM "
        "forward_queue q WHERE q.id > t.sent_id) END AS backlog_since FROM forward_targets t "
        "ORDER BY t.id",
        "");
}

int monitor_store_forward_any(struct db *db)
{
    return (int)db_query_int(db, "SELECT EXISTS (SELECT 1 FROM forward_targets WHERE active)", -1,
                             "");
}

int monitor_store_queue_push(struct db *db, int64_t received, const char *frame, size_t len)
{
    /* The frame is kept byte for byte (a BLOB). */
    return db_run(db, "INSERT INTO forward_queue (created_at, frame) VALUES (?, ?)", "ib", received,
                  (const void *)frame, len)
               ? -1
               : 0;
}

int monitor_store_forward_register(struct db *db, const char *host, int port, int64_t now)
{
    return db_run(db,
                  "INSERT INTO forward_targets (name, host, port, active, sent_id, created_at, "
                  "updated_at) VALUES (?1 || ':' || ?2, ?1, ?2, 1, (SELECT coalesce(max(id), 0) "
                  "FROM forward_queue), ?3, ?3) ON CONFLICT (name) DO NOTHING",
                  "tii", host, (int64_t)port, now)
               ? -1
               : 0;
}

int monitor_store_forward_active(struct db *db, struct monitor_store_target *out, int max)
{
    sqlite3_stmt *st =
        db_stmt(db, "SELECT id, host, port FROM forward_targets WHERE active ORDER BY id LIMIT ?");
    if (!st || db_bind(st, "i", (int64_t)max) != SQLITE_OK)
        return -1;
    int n = 0;
    while (n < max && sqlite3_step(st) == SQLITE_ROW) {
        struct monitor_store_target *t = &out[n++];
        t->id = sqlite3_column_int64(st, 0);
        const unsigned char *host = sqlite3_column_text(st, 1);
        snprintf(t->host, sizeof t->host, "%s", host ? (const char *)host : "");
        t->port = sqlite3_column_int(st, 2);
    }
    sqlite3_reset(st);
    return n;
}

int64_t monitor_store_forward_sent(struct db *db, int64_t id)
{
    return db_query_int(db, "SELECT sent_id FROM forward_targets WHERE id = ? AND active", -1, "i",
                        id);
}

int monitor_store_forward_advance(struct db *db, int64_t id, int64_t sent)
{
    return db_run(db, "UPDATE forward_targets SET sent_id = ?1 WHERE id = ?2 AND sent_id < ?1",
                  "ii", sent, id)
               ? -1
               : 0;
}

int monitor_store_queue_each(struct db *db, int64_t after, int limit,
                             int (*each)(int64_t id, const char *frame, size_t len, void *ctx),
                             void *ctx)
{
    /* Stepped while the caller talks to the upstream: frames are never copied out in bulk. */
    sqlite3_stmt *st = db_stmt(db, "SELECT id, frame FROM forward_queue WHERE id > ? ORDER BY "
                                   "id LIMIT ?");
    if (!st || db_bind(st, "ii", after, (int64_t)limit) != SQLITE_OK)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *frame = sqlite3_column_blob(st, 1);
        size_t len = (size_t)sqlite3_column_bytes(st, 1);
        if (each(sqlite3_column_int64(st, 0), frame ? frame : "", len, ctx)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE)
        log_error("forward: %s", sqlite3_errmsg(db_handle(db)));
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

void monitor_store_queue_prune(struct db *db)
{
    db_run(db,
           "DELETE FROM forward_queue WHERE id <= (SELECT coalesce(min(sent_id), (SELECT max(id) "
           "FROM forward_queue)) FROM forward_targets WHERE active)",
           "");
}
