#include "db/row.h"
#include "core/log.h"

#include <stdio.h>
#include <string.h>

int db_vbind(sqlite3_stmt *st, const char *types, va_list ap)
{
    int rc = SQLITE_OK;
    for (int i = 0; types[i] && rc == SQLITE_OK; i++) {
        switch (types[i]) {
        case 'i':
            rc = sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
            break;
        case 'd':
            rc = sqlite3_bind_double(st, i + 1, va_arg(ap, double));
            break;
        case 'b': {
            const void *data = va_arg(ap, const void *);
            size_t len = va_arg(ap, size_t);
            rc = sqlite3_bind_blob64(st, i + 1, data, len, SQLITE_TRANSIENT);
            break;
        }
        case 't': {
            const char *s = va_arg(ap, const char *);
            rc = s ? sqlite3_bind_text(st, i + 1, s, -1, SQLITE_TRANSIENT)
                   : sqlite3_bind_null(st, i + 1);
            break;
        }
        default:
            rc = sqlite3_bind_null(st, i + 1);
        }
    }
    return rc;
}

int db_bind(sqlite3_stmt *st, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    int rc = db_vbind(st, types, ap);
    va_end(ap);
    return rc;
}

static json_t *row_column(sqlite3_stmt *st, int i)
{
    json_t *v;
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
        return json_integer(sqlite3_column_int64(st, i));
    case SQLITE_FLOAT:
        return json_real(sqlite3_column_double(st, i));
    case SQLITE_TEXT:
        v = json_stringn((const char *)sqlite3_column_text(st, i),
                         (size_t)sqlite3_column_bytes(st, i));
        return v ? v : json_null();
    default:
        return json_null();
    }
}

json_t *db_row_json(sqlite3_stmt *st)
{
    json_t *o = json_object();
    for (int i = 0; i < sqlite3_column_count(st); i++) {
        const char *name = sqlite3_column_name(st, i);
        size_t n = strlen(name);
        json_t *v = row_column(st, i);
        if (n > 5 && !strcmp(name + n - 5, "_json")) {
            json_t *parsed =
                json_is_string(v) ? json_loads(json_string_value(v), JSON_DECODE_ANY, NULL) : NULL;
            json_decref(v);
            char key[128];
            snprintf(key, sizeof key, "%.*s", (int)(n - 5), name);
            json_object_set_new(o, key, parsed ? parsed : json_null());
        } else {
            json_object_set_new(o, name, v);
        }
    }
    return o;
}

json_t *db_rows_json(sqlite3_stmt *st)
{
    json_t *a = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(a, db_row_json(st));
    if (rc != SQLITE_DONE) {
        log_error("db: %s", sqlite3_errmsg(sqlite3_db_handle(st)));
        json_decref(a);
        a = NULL;
    }
    sqlite3_reset(st);
    return a;
}

json_t *db_one_json(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    json_t *o = rc == SQLITE_ROW ? db_row_json(st) : NULL;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        log_error("db: %s", sqlite3_errmsg(sqlite3_db_handle(st)));
    sqlite3_reset(st);
    return o;
}

/* db_stmt + bind; NULL (st reset) when either fails. */
static sqlite3_stmt *row_prepare(struct db *db, const char *sql, const char *types, va_list ap)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st && db_vbind(st, types, ap) != SQLITE_OK) {
        sqlite3_reset(st);
        return NULL;
    }
    return st;
}

json_t *db_query_rows(struct db *db, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    sqlite3_stmt *st = row_prepare(db, sql, types, ap);
    va_end(ap);
    return st ? db_rows_json(st) : NULL;
}

json_t *db_query_one(struct db *db, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    sqlite3_stmt *st = row_prepare(db, sql, types, ap);
    va_end(ap);
    return st ? db_one_json(st) : NULL;
}

int db_query_row(struct db *db, json_t **out, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    sqlite3_stmt *st = row_prepare(db, sql, types, ap);
    va_end(ap);
    *out = NULL;
    if (!st)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = db_row_json(st);
    else if (rc != SQLITE_DONE)
        log_error("db: %s", sqlite3_errmsg(db_handle(db)));
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int64_t db_query_int(struct db *db, const char *sql, int64_t def, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    sqlite3_stmt *st = row_prepare(db, sql, types, ap);
    va_end(ap);
    if (!st)
        return def;
    int64_t v = def;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        v = sqlite3_column_int64(st, 0);
    else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        log_error("db: %s", sqlite3_errmsg(db_handle(db)));
    sqlite3_reset(st);
    return v;
}

int db_run(struct db *db, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    sqlite3_stmt *st = db_stmt(db, sql);
    int rc = st ? db_vbind(st, types, ap) : SQLITE_ERROR;
    va_end(ap);
    if (rc == SQLITE_OK) {
        int step = sqlite3_step(st);
        rc = step == SQLITE_DONE || step == SQLITE_ROW ? SQLITE_OK : step;
    }
    if (st)
        sqlite3_reset(st);
    return rc;
}

int64_t db_last_id(struct db *db)
{
    return sqlite3_last_insert_rowid(db_handle(db));
}

int db_changes(struct db *db)
{
    return sqlite3_changes(db_handle(db));
}
