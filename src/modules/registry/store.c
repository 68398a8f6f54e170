#include "modules/registry/store.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "db/row.h"

#include <stdlib.h>
#include <string.h>

static const char *ent_str(json_t *rec, const char *key)
{
    const char *s = json_string_value(json_object_get(rec, key));
    return s ? s : "";
}

static void ent_bind_json(sqlite3_stmt *st, int col, json_t *rec, const char *key)
{
    char *s = json_dumps(json_object_get(rec, key), JSON_COMPACT | JSON_ENCODE_ANY);
    sqlite3_bind_text(st, col, s ? s : "[]", -1, SQLITE_TRANSIENT);
    free(s);
}

static void ent_bind_fields(sqlite3_stmt *st, json_t *rec)
{
    sqlite3_bind_text(st, 1, ent_str(rec, "uscc"), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, ent_str(rec, "name"), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, ent_str(rec, "legal_rep"), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, ent_str(rec, "address"), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, ent_str(rec, "district"), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, ent_str(rec, "town"), -1, SQLITE_STATIC);
    json_t *lon = json_object_get(rec, "lon"), *lat = json_object_get(rec, "lat");
    if (json_is_number(lon) && json_is_number(lat)) {
        sqlite3_bind_double(st, 7, json_number_value(lon));
        sqlite3_bind_double(st, 8, json_number_value(lat));
    } else {
        sqlite3_bind_null(st, 7);
        sqlite3_bind_null(st, 8);
    }
    sqlite3_bind_text(st, 9, ent_str(rec, "industry_code"), -1, SQLITE_STATIC);
    ent_bind_json(st, 10, rec, "contacts");
    ent_bind_json(st, 11, rec, "tags");
    sqlite3_bind_text(st, 12, ent_str(rec, "permit_no"), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 13, timeutil_now());
}

static int ent_write_tags(struct db *db, int64_t id, json_t *rec)
{
    sqlite3_stmt *del = db_stmt(db, "DELETE FROM enterprise_tags WHERE enterprise_id = ?");
    if (!del)
        return -1;
    sqlite3_bind_int64(del, 1, id);
    int rc = sqlite3_step(del);
    sqlite3_reset(del);
    if (rc != SQLITE_DONE)
        return -1;
    size_t i;
    json_t *tag;
    json_array_foreach(json_object_get(rec, "tags"), i, tag)
    {
        sqlite3_stmt *ins = db_stmt(db, "INSERT OR IGNORE INTO enterprise_tags (tag, "
                                        "enterprise_id) VALUES (?, ?)");
        if (!ins)
            return -1;
        sqlite3_bind_text(ins, 1, json_string_value(tag), -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 2, id);
        rc = sqlite3_step(ins);
        sqlite3_reset(ins);
        if (rc != SQLITE_DONE)
            return -1;
    }
    return 0;
}

enum err enterprises_insert(struct db *db, json_t *rec, int64_t *id)
{
    sqlite3_stmt *st = db_stmt(
        db, "INSERT INTO enterprises (uscc, name, legal_rep, address, district, town, lon, lat, "
            "industry_code, contacts, tags, permit_no, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?13, ?13)");
    if (!st)
        return ERR_INTERNAL;
    ent_bind_fields(st, rec);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return ERR_CONFLICT;
    if (rc != SQLITE_DONE) {
        log_error("enterprises: insert: %s", sqlite3_errmsg(db_handle(db)));
        return ERR_INTERNAL;
    }
    *id = sqlite3_last_insert_rowid(db_handle(db));
    return ent_write_tags(db, *id, rec) ? ERR_INTERNAL : ERR_OK;
}

static int ent_exists(struct db *db, int64_t id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM enterprises WHERE id = ?");
    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, id);
    int found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return found;
}

enum err enterprises_update(struct db *db, int64_t id, int64_t version, json_t *rec)
{
    sqlite3_stmt *st = db_stmt(
        db, "UPDATE enterprises SET uscc = ?, name = ?, legal_rep = ?, address = ?, district = ?, "
            "town = ?, lon = ?, lat = ?, industry_code = ?, contacts = ?, tags = ?, permit_no = ?, "
            "updated_at = ?, version = version + 1 WHERE id = ?14 AND version = ?15");
    if (!st)
        return ERR_INTERNAL;
    ent_bind_fields(st, rec);
    sqlite3_bind_int64(st, 14, id);
    sqlite3_bind_int64(st, 15, version);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return ERR_CONFLICT;
    if (rc != SQLITE_DONE)
        return ERR_INTERNAL;
    if (!sqlite3_changes(db_handle(db)))
        return ent_exists(db, id) ? ERR_VERSION_CONFLICT : ERR_NOT_FOUND;
    return ent_write_tags(db, id, rec) ? ERR_INTERNAL : ERR_OK;
}

/* Each record is encoded to JSON by SQLite's JSON1 in the query itself:
 * one encoder for every reader, and the list endpoint copies rows straight
 * into its reply without building objects. Column 0 is the id, 1 the JSON. */
#define ENT_COLS                                                                                   \
    "SELECT id, json_object('id', id, 'uscc', uscc, 'name', name, 'legal_rep', legal_rep, "        \
    "'address', address, 'district', district, 'town', town, 'lon', lon, 'lat', lat, "             \
    "'industry_code', industry_code, 'industry_name', industry_name(industry_code), "              \
    "'contacts', json(contacts), 'tags', json(tags), 'permit_no', permit_no, "                     \
    "'created_at', strftime('%Y-%m-%dT%H:%M:%S+08:00', created_at + 28800, 'unixepoch'), "         \
    "'updated_at', strftime('%Y-%m-%dT%H:%M:%S+08:00', updated_at + 28800, 'unixepoch'), "         \
    "'version', version) FROM enterprises "

static json_t *ent_from_row(sqlite3_stmt *st)
{
    const char *text = (const char *)sqlite3_column_text(st, 1);
    json_t *rec = text ? json_loads(text, 0, NULL) : NULL;
    if (!rec)
        log_error("enterprises: row %lld does not encode", (long long)sqlite3_column_int64(st, 0));
    return rec;
}

json_t *enterprises_get(struct db *db, int64_t id)
{
    sqlite3_stmt *st = db_stmt(db, ENT_COLS "WHERE id = ?");
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, id);
    json_t *rec = sqlite3_step(st) == SQLITE_ROW ? ent_from_row(st) : NULL;
    sqlite3_reset(st);
    return rec;
}

int64_t enterprises_find_uscc(struct db *db, const char *uscc)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT id FROM enterprises WHERE uscc = ?");
    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, uscc, -1, SQLITE_STATIC);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return id;
}

/* One WHERE clause for every filter; unused filters are bound NULL/0 so the
 * statement is prepared once. Names of 3+ characters go through the trigram
 * index (?10), shorter ones through LIKE (?8). */
#define ENT_WHERE                                                                                  \
    "WHERE id > ?1 AND (?2 IS NULL OR district = ?2) AND (?3 IS NULL OR town = ?3) "               \
    "AND (?4 IS NULL OR industry_code LIKE ?4 || '%') "                                            \
    "AND (?5 IS NULL OR id IN (SELECT enterprise_id FROM enterprise_tags WHERE tag = ?5)) "        \
    "AND (?6 = 0 OR id = ?6) AND (?7 IS NULL OR uscc = ?7) "                                       \
    "AND (?8 IS NULL OR name LIKE ?8 ESCAPE '\\') "
#define ENT_FTS "AND id IN (SELECT rowid FROM enterprise_fts WHERE enterprise_fts MATCH ?10) "

static const char ent_list_sql[] = ENT_COLS ENT_WHERE "ORDER BY id LIMIT ?9";
static const char ent_list_fts_sql[] = ENT_COLS ENT_WHERE ENT_FTS "ORDER BY id LIMIT ?9";
static const char ent_count_sql[] = "SELECT count(*) FROM enterprises " ENT_WHERE;
static const char ent_count_fts_sql[] = "SELECT count(*) FROM enterprises " ENT_WHERE ENT_FTS;

static size_t ent_utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static int ent_is_uscc_like(const char *q)
{
    if (strlen(q) != 18)
        return 0;
    for (const char *p = q; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z')))
            return 0;
    return 1;
}

/* Quotes text as one FTS5 phrase ("" escapes a quote) or builds a LIKE
 * pattern with %, _ and \ escaped. Caller frees. */
static char *ent_quote(const char *q, int like)
{
    size_t n = strlen(q);
    char *out = malloc(2 * n + 3), *o = out;
    if (!out)
        abort();
    *o++ = like ? '%' : '"';
    for (const char *p = q; *p; p++) {
        if (!like && *p == '"')
            *o++ = '"';
        if (like && (*p == '%' || *p == '_' || *p == '\\'))
            *o++ = '\\';
        *o++ = *p;
    }
    *o++ = like ? '%' : '"';
    *o = '\0';
    return out;
}

static sqlite3_stmt *ent_prepare(struct db *db, const struct enterprise_filter *f, int count,
                                 char **owned)
{
    const char *q = f->q && *f->q ? f->q : NULL;
    int uscc = q && ent_is_uscc_like(q);
    int fts = q && !uscc && ent_utf8_chars(q) >= 3;
    sqlite3_stmt *st = db_stmt(db, count ? (fts ? ent_count_fts_sql : ent_count_sql)
                                         : (fts ? ent_list_fts_sql : ent_list_sql));
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, f->after);
    sqlite3_bind_text(st, 2, f->district, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, f->town, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, f->industry, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, f->tag, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, f->only_id);
    sqlite3_bind_text(st, 7, uscc ? q : NULL, -1, SQLITE_STATIC);
    if (q && !uscc) {
        *owned = ent_quote(q, !fts);
        sqlite3_bind_text(st, fts ? 10 : 8, *owned, -1, SQLITE_STATIC);
    }
    if (!count)
        sqlite3_bind_int(st, 9, f->limit > 0 ? f->limit + 1 : -1);
    return st;
}

int enterprises_each(struct db *db, const struct enterprise_filter *f,
                     int (*each)(json_t *rec, void *ctx), void *ctx, int64_t *last, int *more)
{
    char *owned = NULL;
    sqlite3_stmt *st = ent_prepare(db, f, 0, &owned);
    *last = 0;
    *more = 0;
    if (!st) {
        free(owned);
        return -1;
    }
    int rc, n = 0, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (f->limit > 0 && n++ == f->limit) {
            *more = 1;
            break;
        }
        json_t *rec = ent_from_row(st);
        *last = sqlite3_column_int64(st, 0);
        stop = each(rec, ctx);
        json_decref(rec);
    }
    int ok = stop || *more || rc == SQLITE_DONE;
    sqlite3_reset(st);
    free(owned);
    return ok ? 0 : -1;
}

int enterprises_page_json(struct db *db, const struct enterprise_filter *f, struct buf *out,
                          int64_t *last, int *more)
{
    char *owned = NULL;
    sqlite3_stmt *st = ent_prepare(db, f, 0, &owned);
    *last = 0;
    *more = 0;
    if (!st) {
        free(owned);
        return -1;
    }
    int rc, n = 0;
    buf_putc(out, '[');
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (f->limit > 0 && n == f->limit) {
            *more = 1;
            break;
        }
        if (n++)
            buf_putc(out, ',');
        buf_append(out, sqlite3_column_text(st, 1), (size_t)sqlite3_column_bytes(st, 1));
        *last = sqlite3_column_int64(st, 0);
    }
    buf_putc(out, ']');
    int ok = *more || rc == SQLITE_DONE;
    sqlite3_reset(st);
    free(owned);
    return ok ? 0 : -1;
}

int64_t enterprises_count(struct db *db, const struct enterprise_filter *f)
{
    char *owned = NULL;
    sqlite3_stmt *st = ent_prepare(db, f, 1, &owned);
    int64_t n = -1;
    if (st && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    if (st)
        sqlite3_reset(st);
    free(owned);
    return n;
}

/* Areas (区县, 乡镇/街道) and the tags in use: the /meta reply and the address
 * check. */

json_t *areas_json(struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT district, town FROM areas ORDER BY district, town");
    if (!st)
        return NULL;
    json_t *districts = json_array(), *cur = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *d = (const char *)sqlite3_column_text(st, 0);
        if (!cur || strcmp(json_string_value(json_object_get(cur, "name")), d)) {
            cur = json_pack("{ss s[]}", "name", d, "towns");
            json_array_append_new(districts, cur);
        }
        json_array_append_new(json_object_get(cur, "towns"),
                              json_string((const char *)sqlite3_column_text(st, 1)));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(districts);
        return NULL;
    }
    return districts;
}

json_t *tags_json(struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT DISTINCT tag FROM enterprise_tags ORDER BY tag");
    if (!st)
        return NULL;
    json_t *tags = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(tags, json_string((const char *)sqlite3_column_text(st, 0)));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(tags);
        return NULL;
    }
    return tags;
}

int areas_clear(struct db *db)
{
    return db_run(db, "DELETE FROM areas", "") ? -1 : 0;
}

int areas_add(struct db *db, const char *district, const char *town)
{
    return db_run(db, "INSERT OR IGNORE INTO areas (district, town) VALUES (?, ?)", "tt", district,
                  town)
               ? -1
               : 0;
}

int areas_find(struct db *db, const char *district, const char *town, struct areas_match *m)
{
    sqlite3_stmt *st =
        db_stmt(db, "SELECT (SELECT count(*) FROM areas), "
                    "(SELECT count(*) FROM areas WHERE district = ?1), "
                    "(SELECT count(*) FROM areas WHERE district = ?1 AND town = ?2)");
    memset(m, 0, sizeof *m);
    if (!st || db_bind(st, "tt", district, town) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        m->areas = sqlite3_column_int64(st, 0);
        m->in_district = sqlite3_column_int64(st, 1);
        m->exact = sqlite3_column_int64(st, 2);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : -1;
}
