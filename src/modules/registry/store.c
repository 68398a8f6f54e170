#include "modules/registry/store.h"
#include "core/json_text.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "db/row.h"
#include "domain/industry.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const char *ent_str(json_t *rec, const char *key)
{
    const char *s = json_string_value(json_object_get(rec, key));
    return s ? s : "";
}

/* A record's columns as db_bind arguments: the text columns in the order of
 * the statements below (contacts and tags as JSON text, owned), then the
 * time; lon and lat go last so that a record without them binds "nn". */
struct ent_cols {
    const char *t[10];
    char *contacts, *tags;
    bool located;
    double lon, lat;
};

static char *ent_dump(json_t *rec, const char *key)
{
    char *s = json_dumps(json_object_get(rec, key), JSON_COMPACT | JSON_ENCODE_ANY);
    return s ? s : strdup("[]");
}

static void ent_cols_from(struct ent_cols *c, json_t *rec)
{
    static const char *const keys[] = {"uscc",     "name",     "legal_rep",     "address",
                                       "district", "town",     "industry_code", NULL,
                                       NULL,       "permit_no"};
    c->contacts = ent_dump(rec, "contacts");
    c->tags = ent_dump(rec, "tags");
    for (size_t i = 0; i < 10; i++)
        c->t[i] = keys[i] ? ent_str(rec, keys[i]) : NULL;
    c->t[7] = c->contacts;
    c->t[8] = c->tags;
    json_t *lon = json_object_get(rec, "lon"), *lat = json_object_get(rec, "lat");
    c->located = json_is_number(lon) && json_is_number(lat);
    c->lon = json_number_value(lon);
    c->lat = json_number_value(lat);
}

static void ent_cols_free(struct ent_cols *c)
{
    free(c->contacts);
    free(c->tags);
}

/* Stores enterprise id's list row (below): 0, 1 when there is no such
 * enterprise, -1 (logged). */
static int ent_row_store(struct db *db, int64_t id);

static int ent_write_tags(struct db *db, int64_t id, json_t *rec)
{
    if (db_run(db, "DELETE FROM enterprise_tags WHERE enterprise_id = ?", "i", id))
        return -1;
    size_t i;
    json_t *tag;
    json_array_foreach(json_object_get(rec, "tags"), i, tag)
    {
        if (db_run(db, "INSERT OR IGNORE INTO enterprise_tags (tag, enterprise_id) VALUES (?, ?)",
                   "ti", json_string_value(tag), id))
            return -1;
    }
    return 0;
}

/* ?1..?10 the text columns (ent_cols), ?11 the time, ?12/?13 lon and lat. */
static const char ent_insert_sql[] =
    "INSERT INTO enterprises (uscc, name, legal_rep, address, district, town, industry_code, "
    "contacts, tags, permit_no, created_at, updated_at, lon, lat) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?13)";

enum err enterprises_insert(struct db *db, json_t *rec, int64_t *id)
{
    struct ent_cols c;
    ent_cols_from(&c, rec);
    int rc = db_run(db, ent_insert_sql, c.located ? "ttttttttttidd" : "ttttttttttinn", c.t[0],
                    c.t[1], c.t[2], c.t[3], c.t[4], c.t[5], c.t[6], c.t[7], c.t[8], c.t[9],
                    timeutil_now(), c.lon, c.lat);
    ent_cols_free(&c);
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return ERR_CONFLICT;
    if (rc) {
        log_error("enterprises: insert: %s", sqlite3_errmsg(db_handle(db)));
        return ERR_INTERNAL;
    }
    *id = db_last_id(db);
    return ent_write_tags(db, *id, rec) || ent_row_store(db, *id) ? ERR_INTERNAL : ERR_OK;
}

/* As ent_insert_sql, with ?12/?13 the id and version, ?14/?15 lon and lat. */
static const char ent_update_sql[] =
    "UPDATE enterprises SET uscc = ?1, name = ?2, legal_rep = ?3, address = ?4, district = ?5, "
    "town = ?6, industry_code = ?7, contacts = ?8, tags = ?9, permit_no = ?10, updated_at = ?11, "
    "lon = ?14, lat = ?15, version = version + 1 WHERE id = ?12 AND version = ?13";

enum err enterprises_update(struct db *db, int64_t id, int64_t version, json_t *rec)
{
    struct ent_cols c;
    ent_cols_from(&c, rec);
    int rc = db_run(db, ent_update_sql, c.located ? "ttttttttttiiidd" : "ttttttttttiiinn", c.t[0],
                    c.t[1], c.t[2], c.t[3], c.t[4], c.t[5], c.t[6], c.t[7], c.t[8], c.t[9],
                    timeutil_now(), id, version, c.lon, c.lat);
    ent_cols_free(&c);
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return ERR_CONFLICT;
    if (rc)
        return ERR_INTERNAL;
    if (!db_changes(db))
        return db_query_int(db, "SELECT 1 FROM enterprises WHERE id = ?", 0, "i", id)
                   ? ERR_VERSION_CONFLICT
                   : ERR_NOT_FOUND;
    return ent_write_tags(db, id, rec) || ent_row_store(db, id) ? ERR_INTERNAL : ERR_OK;
}

/* Each record is encoded to JSON by SQLite's JSON1 in the query itself:
 * one encoder for every reader, and the list endpoint copies rows straight
 * into its reply without building objects. Column 0 is the id, 1 the JSON. */
/* The record's columns, written as JSON by ent_row_write in the order of
 * ent_fields (the hot path of the list: C, not SQLite's json_object, which
 * cost 3x as much per row). */
#define ENT_COLS                                                                                   \
    "SELECT id, uscc, name, legal_rep, address, district, town, lon, lat, industry_code, "         \
    "industry_code, contacts, tags, permit_no, created_at, updated_at, version FROM enterprises "

enum ent_kind { ENT_INT, ENT_TEXT, ENT_REAL, ENT_JSON, ENT_TIME, ENT_INDUSTRY_NAME };

#define ENT_KEY(k)                                                                                 \
    {                                                                                              \
        k, sizeof k - 1                                                                            \
    }
static const struct {
    struct {
        const char *text; /* quoted key and colon, ',' before all but the first */
        size_t len;
    } key;
    enum ent_kind kind;
} ent_fields[] = {
    {ENT_KEY("{\"id\":"), ENT_INT},
    {ENT_KEY(",\"uscc\":"), ENT_TEXT},
    {ENT_KEY(",\"name\":"), ENT_TEXT},
    {ENT_KEY(",\"legal_rep\":"), ENT_TEXT},
    {ENT_KEY(",\"address\":"), ENT_TEXT},
    {ENT_KEY(",\"district\":"), ENT_TEXT},
    {ENT_KEY(",\"town\":"), ENT_TEXT},
    {ENT_KEY(",\"lon\":"), ENT_REAL},
    {ENT_KEY(",\"lat\":"), ENT_REAL},
    {ENT_KEY(",\"industry_code\":"), ENT_TEXT},
    {ENT_KEY(",\"industry_name\":"), ENT_INDUSTRY_NAME},
    {ENT_KEY(",\"contacts\":"), ENT_JSON},
    {ENT_KEY(",\"tags\":"), ENT_JSON},
    {ENT_KEY(",\"permit_no\":"), ENT_TEXT},
    {ENT_KEY(",\"created_at\":"), ENT_TIME},
    {ENT_KEY(",\"updated_at\":"), ENT_TIME},
    {ENT_KEY(",\"version\":"), ENT_INT},
};
#define ENT_NFIELDS ((int)(sizeof ent_fields / sizeof ent_fields[0]))

/* One column at o (room made by ent_row_write); returns the end. NULL is null;
 * contacts/tags are copied as stored when they are valid JSON (what the store
 * writes), null otherwise (a row someone edited by hand), never invalid text. */
static char *ent_value_put(sqlite3_stmt *st, int col, enum ent_kind kind, const char *text,
                           size_t len, char *o)
{
    /* Text columns are NULL exactly when their text is (no type call for them). */
    bool is_text = kind == ENT_TEXT || kind == ENT_JSON || kind == ENT_INDUSTRY_NAME;
    bool null = is_text ? !text : sqlite3_column_type(st, col) == SQLITE_NULL;
    if (null || (kind == ENT_JSON && !json_text_valid(text, len))) {
        if (!null)
            log_error("enterprises: row %lld column %d is not JSON",
                      (long long)sqlite3_column_int64(st, 0), col);
        memcpy(o, "null", 4);
        return o + 4;
    }
    switch (kind) {
    case ENT_INT:
        return json_text_put_int(o, sqlite3_column_int64(st, col));
    case ENT_REAL:
        return json_text_put_real(o, sqlite3_column_double(st, col));
    case ENT_TIME:
        *o++ = '"';
        timeutil_format_iso(sqlite3_column_int64(st, col), o, 26);
        o += strlen(o);
        *o++ = '"';
        return o;
    case ENT_JSON:
        memcpy(o, text, len);
        return o + len;
    case ENT_TEXT:
    case ENT_INDUSTRY_NAME:
        break;
    }
    return json_text_put_string(o, text, len);
}

/* The current row of an ENT_COLS statement as one JSON object: the room for
 * the worst case is made once, then every value is written in place. */
static int ent_row_write(sqlite3_stmt *st, struct buf *out)
{
    const char *text[ENT_NFIELDS];
    size_t len[ENT_NFIELDS], need = 1;
    for (int i = 0; i < ENT_NFIELDS; i++) {
        enum ent_kind kind = ent_fields[i].kind;
        text[i] = NULL;
        len[i] = 0;
        if (kind == ENT_TEXT || kind == ENT_JSON) {
            text[i] = (const char *)sqlite3_column_text(st, i);
            len[i] = (size_t)sqlite3_column_bytes(st, i);
        } else if (kind == ENT_INDUSTRY_NAME) {
            /* The GB/T 4754 name of the code in the column before ('' if unknown),
             * looked up here rather than by an SQL function call per row. */
            const char *code = text[i - 1];
            const struct industry *ind = code && *code ? industry_find(code) : NULL;
            text[i] = ind ? ind->name_zh : "";
            len[i] = strlen(text[i]);
        }
        need += ent_fields[i].key.len + JSON_TEXT_NUMBER_MAX + JSON_TEXT_STRING_MAX(len[i]);
    }
    if (buf_grow(out, need))
        return -1;
    char *o = out->data + out->len;
    for (int i = 0; i < ENT_NFIELDS; i++) {
        memcpy(o, ent_fields[i].key.text, ent_fields[i].key.len);
        o = ent_value_put(st, i, ent_fields[i].kind, text[i], len[i], o + ent_fields[i].key.len);
    }
    *o++ = '}';
    *o = '\0';
    out->len = (size_t)(o - out->data);
    return 0;
}

/* Writes enterprise id's list row as ent_row_write encodes it from its
 * columns: 0, 1 when there is no such enterprise (nothing written), -1. */
static int ent_row_encode(struct db *db, int64_t id, struct buf *out)
{
    sqlite3_stmt *st = db_stmt(db, ENT_COLS "WHERE id = ?");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    int r = rc == SQLITE_ROW ? ent_row_write(st, out) : rc == SQLITE_DONE ? 1 : -1;
    sqlite3_reset(st);
    return r;
}

#define ENT_ROWS_BATCH 512

/* Stored list rows (enterprise_rows, schema.c). Every write through this
 * store ends by storing the row's encoding in the writer's transaction;
 * triggers on enterprises set it NULL on any write (so a write by another
 * tool leaves it stale, never wrong), and the list encodes a stale row from
 * the columns instead. */
static int ent_row_store(struct db *db, int64_t id)
{
    struct buf row;
    buf_init(&row, 0);
    int r = ent_row_encode(db, id, &row);
    if (r == 0 && db_run(db, "INSERT OR REPLACE INTO enterprise_rows (id, json) VALUES (?, ?)",
                         "it", id, row.data))
        r = -1;
    if (r < 0)
        log_error("enterprises: row %lld: list row not stored", (long long)id);
    buf_free(&row);
    return r;
}

/* What a stored row depends on besides the row's columns: the fields and
 * their kinds, the industry names, and ENT_ROWS_FORMAT, to be raised when
 * the encoding of a value changes. BLAKE2b (libsodium), 63 bits. */
#define ENT_ROWS_FORMAT "ent_row_write 1"

static int64_t ent_rows_fingerprint(void)
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 8);
    crypto_generichash_update(&h, (const unsigned char *)ENT_ROWS_FORMAT, sizeof ENT_ROWS_FORMAT);
    for (int i = 0; i < ENT_NFIELDS; i++) {
        unsigned char kind = (unsigned char)ent_fields[i].kind;
        crypto_generichash_update(&h, (const unsigned char *)ent_fields[i].key.text,
                                  ent_fields[i].key.len);
        crypto_generichash_update(&h, &kind, 1);
    }
    size_t n;
    const struct industry *ind = industry_table(&n);
    for (size_t i = 0; i < n; i++) {
        crypto_generichash_update(&h, (const unsigned char *)ind[i].code, strlen(ind[i].code) + 1);
        crypto_generichash_update(&h, (const unsigned char *)ind[i].name_zh,
                                  strlen(ind[i].name_zh) + 1);
    }
    unsigned char out[8];
    crypto_generichash_final(&h, out, sizeof out);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | out[i];
    return (int64_t)(v >> 1);
}

/* Up to max stale ids (in id order) into ids; how many, or -1. */
static int ent_rows_stale(struct db *db, int64_t *ids, int max)
{
    sqlite3_stmt *st =
        db_stmt(db, "SELECT id FROM enterprise_rows WHERE json IS NULL ORDER BY id LIMIT ?");
    if (!st)
        return -1;
    sqlite3_bind_int(st, 1, max);
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < max)
        ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? n : -1;
}

/* Enterprises without a row (only when the triggers were bypassed, e.g.
 * dropped and made again) get a stale one, so the list shows them again;
 * pages cached without them are dropped. */
static int ent_rows_backfill(struct db *db)
{
    /* changes(): the rows the INSERT before it added (one scan, not two). */
    return db_run(db,
                  "INSERT INTO enterprise_rows (id, json) SELECT id, NULL FROM enterprises e "
                  "WHERE NOT EXISTS (SELECT 1 FROM enterprise_rows r WHERE r.id = e.id)",
                  "") ||
                   db_run(db,
                          "UPDATE data_versions SET v = v + 1 WHERE name = 'enterprises' AND "
                          "changes() > 0",
                          "")
               ? -1
               : 0;
}

int enterprise_rows_check_format(struct db *db)
{
    if (ent_rows_backfill(db))
        return -1;
    int64_t want = ent_rows_fingerprint();
    int64_t have = db_query_int(db, "SELECT fingerprint FROM enterprise_rows_format", -1, "");
    if (have == want)
        return 0;
    if (have != -1)
        log_info("enterprises: list rows stored in another format, encoding them again");
    /* Pages cached from rows in the old format are dropped with them. */
    return db_run(db, "UPDATE enterprise_rows SET json = NULL WHERE json IS NOT NULL", "") ||
                   db_run(db, "UPDATE data_versions SET v = v + 1 WHERE name = 'enterprises'",
                          "") ||
                   db_run(db,
                          "INSERT OR REPLACE INTO enterprise_rows_format (k, fingerprint) "
                          "VALUES (1, ?)",
                          "i", want)
               ? -1
               : 1;
}

int enterprise_rows_refresh(struct db *db, int max)
{
    int64_t ids[ENT_ROWS_BATCH];
    int n = ent_rows_stale(db, ids, max < ENT_ROWS_BATCH ? max : ENT_ROWS_BATCH);
    for (int i = 0; i < n; i++) {
        int r = ent_row_store(db, ids[i]);
        /* A stored row without its enterprise (the triggers were bypassed). */
        if (r == 1)
            r = db_run(db, "DELETE FROM enterprise_rows WHERE id = ?", "i", ids[i]) ? -1 : 0;
        if (r)
            return -1;
    }
    return n < 0 ? -1 : n;
}

static json_t *ent_from_row(sqlite3_stmt *st)
{
    struct buf text;
    buf_init(&text, 0);
    json_t *rec = ent_row_write(st, &text) ? NULL : json_loadb(text.data, text.len, 0, NULL);
    buf_free(&text);
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
    return db_query_int(db, "SELECT id FROM enterprises WHERE uscc = ?", 0, "t", uscc);
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

/* The list without filters other than the caller's scope: each row is copied
 * as stored, or encoded from its columns when stale. The scope (only_id) and
 * the cursor are one id range. */
static int ent_page_stored(struct db *db, const struct enterprise_filter *f, struct buf *out,
                           int64_t *last, int *more)
{
    /* A stale row may have lost its enterprise (a REPLACE, schema.c): not
     * counted against the page. */
    sqlite3_stmt *st = db_stmt(db, "SELECT id, json FROM enterprise_rows r WHERE id > ?1 AND "
                                   "id <= ?2 AND (json IS NOT NULL OR EXISTS "
                                   "(SELECT 1 FROM enterprises e WHERE e.id = r.id)) "
                                   "ORDER BY id LIMIT ?3");
    if (!st)
        return -1;
    int64_t after = f->after, upto = INT64_MAX;
    if (f->only_id != 0) {
        if (f->only_id > after) /* after >= 0: no overflow */
            after = f->only_id - 1;
        upto = f->only_id;
    }
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int64(st, 2, upto);
    sqlite3_bind_int(st, 3, f->limit > 0 ? f->limit + 1 : -1);
    int rc, n = 0;
    buf_putc(out, '[');
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (f->limit > 0 && n == f->limit) {
            *more = 1;
            break;
        }
        int64_t id = sqlite3_column_int64(st, 0);
        /* The blob accessor: a TEXT value without the copy for its NUL. */
        const void *json = sqlite3_column_blob(st, 1);
        size_t len = (size_t)sqlite3_column_bytes(st, 1);
        /* Room for the page at the first row's size: one allocation
         * instead of a doubling series of copies. */
        if (!n && json && f->limit > 0 &&
            buf_grow(out, ((len < 4096 ? len : 4096) + 1) * (size_t)f->limit + 64)) {
            rc = SQLITE_NOMEM;
            break;
        }
        size_t mark = out->len;
        if (n)
            buf_putc(out, ',');
        int r = json ? buf_append(out, json, len) : ent_row_encode(db, id, out);
        if (r < 0) {
            rc = SQLITE_NOMEM;
            break;
        }
        if (r == 1) { /* a stored row without its enterprise (triggers bypassed) */
            out->len = mark;
            out->data[mark] = '\0';
            continue;
        }
        n++;
        *last = id;
    }
    buf_putc(out, ']');
    int ok = *more || rc == SQLITE_DONE;
    sqlite3_reset(st);
    return ok ? 0 : -1;
}

int enterprises_page_json(struct db *db, const struct enterprise_filter *f, struct buf *out,
                          int64_t *last, int *more)
{
    *last = 0;
    *more = 0;
    if (!(f->q && *f->q) && !f->district && !f->town && !f->industry && !f->tag)
        return ent_page_stored(db, f, out, last, more);
    char *owned = NULL;
    sqlite3_stmt *st = ent_prepare(db, f, 0, &owned);
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
        if (ent_row_write(st, out)) {
            rc = SQLITE_NOMEM;
            break;
        }
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
