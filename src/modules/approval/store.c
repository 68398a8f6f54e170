/* approval store — the SQL of the EIA applications, their configuration,
 * events, pauses, notices, credit records and the local preparer list
 * (contracts in store.h). */
#include "modules/approval/store.h"
#include "core/timeutil.h"
#include "db/row.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *approval_store_config(struct db *db)
{
    json_t *row = db_query_one(db, "SELECT doc AS doc_json FROM eia_config WHERE id = 1", "");
    json_t *doc = json_incref(json_object_get(row, "doc"));
    json_decref(row);
    return json_is_object(doc) ? doc : (json_decref(doc), NULL);
}

int approval_store_config_put(struct db *db, json_t *doc)
{
    char *text = json_dumps(doc, JSON_COMPACT);
    int rc = text ? db_run(db, "UPDATE eia_config SET doc = ?, updated_at = ? WHERE id = 1", "ti",
                           text, (int64_t)timeutil_now())
                  : -1;
    free(text);
    return rc ? -1 : 0;
}

int approval_store_preparer_local(struct db *db, const char *name, const char *day, char *list,
                                  size_t listlen, char *reason, size_t reasonlen)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT list, reason FROM eia_preparer_list WHERE name = ? "
                                   "AND start <= ? AND end >= ? ORDER BY list = '黑名单' DESC "
                                   "LIMIT 1");
    if (!st || db_bind(st, "ttt", name, day, day) != SQLITE_OK) {
        if (st)
            sqlite3_reset(st);
        return -1;
    }
    int found = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        found = 1;
        snprintf(list, listlen, "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(reason, reasonlen, "%s", (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_reset(st);
    return found;
}

int approval_store_preparer_add(struct db *db, const char *name, const char *list,
                                const char *start, const char *end, const char *reason)
{
    return db_run(db,
                  "INSERT INTO eia_preparer_list (name, list, start, end, reason, created_at) "
                  "VALUES (?, ?, ?, ?, ?, ?)",
                  "ttttti", name, list, start, end, reason, (int64_t)timeutil_now())
               ? -1
               : 0;
}

/* ---- applications ---- */

static void approval_store_text(json_t *row, const char *key, char *out, size_t len)
{
    const char *s = json_string_value(json_object_get(row, key));
    snprintf(out, len, "%s", s ? s : "");
}

int approval_store_load(struct db *db, int64_t id, struct approval_row *a)
{
    memset(a, 0, sizeof *a);
    sqlite3_stmt *st = db_stmt(
        db, "SELECT id, number, enterprise_id, category, route, green, status, submitted_on, "
            "accepted_on, decided_on, coalesce(siting_check_id, 0) AS siting_check_id, "
            "data AS data_json, version FROM eia_applications WHERE id = ?");
    if (!st)
        return -1;
    if (db_bind(st, "i", id) != SQLITE_OK) {
        sqlite3_reset(st);
        return -1;
    }
    int rc = sqlite3_step(st);
    json_t *row = rc == SQLITE_ROW ? db_row_json(st) : NULL;
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return 1;
    if (!row)
        return -1;
    a->id = json_integer_value(json_object_get(row, "id"));
    a->enterprise_id = json_integer_value(json_object_get(row, "enterprise_id"));
    a->siting_check_id = json_integer_value(json_object_get(row, "siting_check_id"));
    a->version = json_integer_value(json_object_get(row, "version"));
    a->green = (int)json_integer_value(json_object_get(row, "green"));
    approval_store_text(row, "number", a->number, sizeof a->number);
    approval_store_text(row, "category", a->category, sizeof a->category);
    approval_store_text(row, "route", a->route, sizeof a->route);
    approval_store_text(row, "status", a->status, sizeof a->status);
    approval_store_text(row, "submitted_on", a->submitted_on, sizeof a->submitted_on);
    approval_store_text(row, "accepted_on", a->accepted_on, sizeof a->accepted_on);
    approval_store_text(row, "decided_on", a->decided_on, sizeof a->decided_on);
    json_t *data = json_object_get(row, "data");
    a->data = json_is_object(data) ? json_incref(data) : NULL;
    json_decref(row);
    return a->data ? 0 : -1;
}

int approval_store_save(struct db *db, const struct approval_row *a)
{
    char *text = json_dumps(a->data, JSON_COMPACT | JSON_REAL_PRECISION(12));
    int rc = text ? db_run(db,
                           "UPDATE eia_applications SET status = ?, green = ?, accepted_on = "
                           "nullif(?, ''), decided_on = nullif(?, ''), data = ?, updated_at = ?, "
                           "version = version + 1 WHERE id = ?",
                           "titttii", a->status, (int64_t)a->green, a->accepted_on, a->decided_on,
                           text, (int64_t)timeutil_now(), a->id)
                  : -1;
    free(text);
    return rc ? -1 : 0;
}

int approval_store_insert(struct db *db, int64_t enterprise_id, const char *name,
                          const char *category, const char *route, const char *status,
                          const char *submitted_on, const char *accepted_on, int64_t check_id,
                          json_t *data, int64_t *id)
{
    char *text = json_dumps(data, JSON_COMPACT | JSON_REAL_PRECISION(12));
    if (!text)
        return -1;
    int64_t now = timeutil_now();
    int rc = db_run(db,
                    "INSERT INTO eia_applications (number, enterprise_id, project_name, category, "
                    "route, status, submitted_on, accepted_on, decided_on, siting_check_id, data, "
                    "created_at, updated_at) VALUES ('', ?1, ?2, ?3, ?4, ?5, ?6, nullif(?7, ''), "
                    "nullif(?7, ''), nullif(?8, 0), ?9, ?10, ?10)",
                    "ittttttiti", enterprise_id, name, category, route, status, submitted_on,
                    accepted_on, check_id, text, now);
    free(text);
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return 1;
    if (rc)
        return -1;
    *id = db_last_id(db);
    return 0;
}

int approval_store_set_number(struct db *db, int64_t id, const char *number)
{
    return db_run(db, "UPDATE eia_applications SET number = ? WHERE id = ?", "ti", number, id) ? -1
                                                                                               : 0;
}

int64_t approval_store_find_number(struct db *db, const char *number)
{
    return db_query_int(db, "SELECT id FROM eia_applications WHERE number = ?", 0, "t", number);
}

json_t *approval_store_ids(struct db *db, int64_t enterprise_id, const char *status, int max)
{
    return db_query_rows(db,
                         "SELECT id FROM eia_applications WHERE (?1 = 0 OR enterprise_id = ?1) "
                         "AND (?2 IS NULL OR status = ?2 OR (?2 = 'open' AND status IN "
                         "('submitted', 'correction', 'accepted'))) ORDER BY id DESC LIMIT ?3",
                         "iti", enterprise_id, status, (int64_t)max);
}

json_t *approval_store_open_ids(struct db *db, int64_t enterprise_id)
{
    return db_query_rows(db,
                         "SELECT id FROM eia_applications WHERE (?1 = 0 OR enterprise_id = ?1) "
                         "AND status IN ('submitted', 'accepted', 'approved') ORDER BY id "
                         "LIMIT 5000",
                         "i", enterprise_id);
}

json_t *approval_store_commitment_ids(struct db *db)
{
    return db_query_rows(db,
                         "SELECT id FROM eia_applications WHERE route = 'commitment' AND "
                         "decided_on IS NOT NULL AND status IN ('approved', 'revoked') ORDER BY "
                         "id LIMIT 5000",
                         "");
}

json_t *approval_store_decided_ids(struct db *db)
{
    return db_query_rows(db,
                         "SELECT id FROM eia_applications WHERE decided_on IS NOT NULL AND "
                         "accepted_on IS NOT NULL AND route <> 'filing' ORDER BY id",
                         "");
}

/* ---- events, pauses, notices, credit ---- */

int approval_store_event(struct db *db, int64_t app, const char *kind, const char *day,
                         const char *actor, json_t *detail)
{
    char *text = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
    int rc = db_run(db,
                    "INSERT INTO eia_events (app_id, kind, day, actor, detail, at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    "itttti", app, kind, day, actor, text ? text : "{}", (int64_t)timeutil_now());
    free(text);
    return rc ? -1 : 0;
}

json_t *approval_store_events(struct db *db, int64_t app)
{
    return db_query_rows(db,
                         "SELECT kind, day, actor, detail AS detail_json FROM eia_events "
                         "WHERE app_id = ? ORDER BY id",
                         "i", app);
}

json_t *approval_store_steps(struct db *db, int64_t app)
{
    return db_query_rows(db,
                         "SELECT kind, day FROM eia_events WHERE app_id = ? AND kind IN "
                         "('submitted', 'filed', 'correction', 'accept', 'pause', 'resume', "
                         "'decide', 'revoke', 'postcheck') ORDER BY id",
                         "i", app);
}

json_t *approval_store_pauses(struct db *db, int64_t app)
{
    return db_query_rows(db, "SELECT kind, start, end FROM eia_pauses WHERE app_id = ? ORDER BY id",
                         "i", app);
}

int approval_store_pauses_open(struct db *db, int64_t app, const char *day)
{
    return (int)db_query_int(db,
                             "SELECT count(*) FROM eia_pauses WHERE app_id = ? AND "
                             "(end IS NULL OR end > ?)",
                             -1, "it", app, day);
}

int approval_store_pause_add(struct db *db, int64_t app, const char *kind, const char *day)
{
    return db_run(db, "INSERT INTO eia_pauses (app_id, kind, start) VALUES (?, ?, ?)", "itt", app,
                  kind, day)
               ? -1
               : 0;
}

int approval_store_pause_end(struct db *db, int64_t app, const char *day)
{
    if (db_run(db,
               "UPDATE eia_pauses SET end = ?1 WHERE app_id = ?2 AND end IS NULL AND start <= ?1",
               "ti", day, app))
        return -1;
    return db_changes(db);
}

int approval_store_notice(struct db *db, int64_t app, const char *kind, const char *title,
                          const char *body, const char *start, const char *end, int64_t of)
{
    return db_run(db,
                  "INSERT INTO eia_notices (app_id, kind, title, body, start, end, published_at, "
                  "of_notice) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  "itttttii", app, kind, title, body, start, end, (int64_t)timeutil_now(),
                  of > 0 ? of : 0)
               ? -1
               : 0;
}

int64_t approval_store_notice_of_kind(struct db *db, int64_t app, const char *kind)
{
    /* -1 as the default marks an error; "no row" comes back as 0. */
    return db_query_int(
        db,
        "SELECT COALESCE((SELECT id FROM eia_notices WHERE app_id = ?1 AND kind = ?2 "
        "ORDER BY id DESC LIMIT 1), 0)",
        -1, "it", app, kind);
}

json_t *approval_store_notice_get(struct db *db, int64_t id)
{
    return db_query_one(db, "SELECT id, app_id, kind, title, start FROM eia_notices WHERE id = ?",
                        "i", id);
}

json_t *approval_store_notices(struct db *db, int limit)
{
    return db_query_rows(
        db,
        "SELECT n.id, n.kind, n.title, n.body, n.start, n.end, a.number, n.published_at, "
        "NULLIF(n.of_notice, 0) AS of_notice, "
        "(SELECT json_object('id', s.id, 'kind', s.kind, 'published_at', s.published_at) "
        "FROM eia_notices s WHERE s.of_notice = n.id ORDER BY s.id DESC LIMIT 1) "
        "AS superseded_by_json FROM eia_notices n JOIN eia_applications a ON "
        "a.id = n.app_id ORDER BY n.id DESC LIMIT ?",
        "i", (int64_t)limit);
}

int approval_store_credit(struct db *db, int64_t enterprise, int64_t app, const char *day,
                          const char *reason)
{
    return db_run(db,
                  "INSERT INTO eia_credit_records (enterprise_id, app_id, day, reason, created_at) "
                  "VALUES (?, ?, ?, ?, ?)",
                  "iitti", enterprise, app, day, reason, (int64_t)timeutil_now())
               ? -1
               : 0;
}

/* ---- enterprises ---- */

int approval_store_enterprise_exists(struct db *db, int64_t id)
{
    return db_query_int(db, "SELECT count(*) FROM enterprises WHERE id = ?", 0, "i", id) > 0;
}

json_t *approval_store_enterprise_name(struct db *db, int64_t id)
{
    json_t *row = db_query_one(db, "SELECT name FROM enterprises WHERE id = ?", "i", id);
    json_t *name = json_incref(json_object_get(row, "name"));
    json_decref(row);
    return name;
}

int approval_store_first_enterprises(struct db *db, int64_t *ids, int n)
{
    json_t *rows =
        db_query_rows(db, "SELECT id FROM enterprises ORDER BY id LIMIT ?", "i", (int64_t)n);
    int k = 0;
    for (size_t i = 0; i < json_array_size(rows) && k < n; i++)
        ids[k++] = json_integer_value(json_object_get(json_array_get(rows, i), "id"));
    json_decref(rows);
    return k;
}
