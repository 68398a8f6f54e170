/* api_siting — 三线一单 unit versions and siting checks over HTTP.
 *
 * Each import is a new version (the GeoJSON kept as imported, the normalised
 * unit attributes in siting_units); a check records the version it used. The
 * newest version is held parsed in memory (GEOS geometries, STRtree) and
 * replaced when a newer one appears; the cache lock is held for the whole
 * check, so a set is never freed under a reader (checks serialise on the set's
 * own mutex anyway). */
#include "app/app.h"
#include "app/kit.h"
#include "modules/approval/approval.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "domain/siting.h"
#include "db/audit.h"
#include "db/db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STAFF_UP (ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_ADMIN))

static pthread_mutex_t siting_cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct siting_units *siting_cache;
static int64_t siting_cache_version;

static int64_t siting_latest_version(struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT max(id) FROM siting_versions");
    int64_t v = 0;
    if (st && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    if (st)
        sqlite3_reset(st);
    return v;
}

/* The newest version's units (cache lock held by the caller). */
static struct siting_units *siting_current(struct db *db, int64_t *version)
{
    int64_t v = siting_latest_version(db);
    *version = v;
    if (!v)
        return NULL;
    if (siting_cache_version == v)
        return siting_cache;
    sqlite3_stmt *st = db_stmt(db, "SELECT geojson FROM siting_versions WHERE id = ?");
    struct siting_units *u = NULL;
    if (st) {
        sqlite3_bind_int64(st, 1, v);
        if (sqlite3_step(st) == SQLITE_ROW) {
            char err[256];
            u = siting_units_from_geojson((const char *)sqlite3_column_text(st, 0),
                                          (size_t)sqlite3_column_bytes(st, 0), err, sizeof err);
        }
        sqlite3_reset(st);
    }
    if (u) {
        siting_units_free(siting_cache);
        siting_cache = u;
        siting_cache_version = v;
    }
    return u;
}

enum err siting_import(struct db *db, const struct audit_actor *actor, const char *name,
                       const char *geojson, size_t len, int64_t *version, char *msg, size_t msglen)
{
    struct siting_units *u = siting_units_from_geojson(geojson, len, msg, msglen);
    if (!u)
        return ERR_INVALID_FIELD;
    enum err e = ERR_INTERNAL;
    if (db_begin(db))
        goto out;
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO siting_versions (name, units, geojson, "
                                   "created_at, created_by) VALUES (?, ?, ?, ?, ?)");
    if (!st)
        goto fail;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, (int64_t)siting_units_count(u));
    sqlite3_bind_text(st, 3, geojson, (int)len, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, timeutil_now());
    sqlite3_bind_text(st, 5, actor->name, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        goto fail;
    *version = sqlite3_last_insert_rowid(db_handle(db));
    sqlite3_stmt *ins =
        db_stmt(db, "INSERT INTO siting_units (version_id, code, attrs) VALUES (?, ?, ?)");
    if (!ins)
        goto fail;
    for (size_t i = 0; i < siting_units_count(u); i++) {
        json_t *a = siting_unit_json(u, i);
        char *text = json_dumps(a, JSON_COMPACT);
        sqlite3_bind_int64(ins, 1, *version);
        sqlite3_bind_text(ins, 2, siting_unit_code(u, i), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 3, text, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(ins);
        sqlite3_reset(ins);
        free(text);
        json_decref(a);
        if (rc != SQLITE_DONE)
            goto fail;
    }
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)*version);
    json_t *detail = json_pack("{ss sI}", "name", name, "units", (json_int_t)siting_units_count(u));
    rc = audit_append(db, actor, "siting.import", "siting_version", id, detail);
    json_decref(detail);
    if (rc || db_commit(db))
        goto fail;
    e = ERR_OK;
    goto out;
fail:
    db_rollback(db);
    snprintf(msg, msglen, "%s", err_message(ERR_INTERNAL));
out:
    siting_units_free(u);
    return e;
}

enum err siting_run(struct db *db, const struct audit_actor *actor, json_t *location,
                    const char *crs_name, const char *industry, int64_t enterprise_id,
                    int64_t *check_id, json_t **result, char *msg, size_t msglen)
{
    enum siting_crs crs;
    if (siting_crs_parse(crs_name, &crs)) {
        snprintf(msg, msglen, "坐标系须为 wgs84、cgcs2000、gcj02 或 bd09");
        return ERR_INVALID_FIELD;
    }
    json_t *wgs = NULL;
    if (siting_location_parse(location, crs, &wgs, msg, msglen))
        return ERR_INVALID_FIELD;
    pthread_mutex_lock(&siting_cache_lock);
    int64_t version;
    struct siting_units *u = siting_current(db, &version);
    json_t *res = u ? siting_check(u, wgs, industry, msg, msglen) : NULL;
    pthread_mutex_unlock(&siting_cache_lock);
    if (!u) {
        json_decref(wgs);
        snprintf(msg, msglen, "尚未导入三线一单管控单元");
        return ERR_INVALID_FIELD;
    }
    if (!res) {
        json_decref(wgs);
        return ERR_INVALID_FIELD;
    }
    json_object_set_new(res, "version", json_integer(version));
    json_object_set_new(res, "location", wgs);
    json_object_set_new(res, "crs_in", json_string(crs_name ? crs_name : "wgs84"));
    char *text = json_dumps(res, JSON_COMPACT | JSON_REAL_PRECISION(12));
    char *loc = json_dumps(wgs, JSON_COMPACT | JSON_REAL_PRECISION(12));
    sqlite3_stmt *st =
        db_stmt(db, "INSERT INTO siting_checks (version_id, enterprise_id, industry, location, "
                    "result, verdict, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    int rc = -1;
    if (st) {
        sqlite3_bind_int64(st, 1, version);
        if (enterprise_id)
            sqlite3_bind_int64(st, 2, enterprise_id);
        sqlite3_bind_text(st, 3, json_string_value(json_object_get(res, "industry")), -1,
                          SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, loc, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, text, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 6, json_string_value(json_object_get(res, "verdict_code")), -1,
                          SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 7, timeutil_now());
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
        sqlite3_reset(st);
    }
    free(text);
    free(loc);
    if (!rc) {
        *check_id = sqlite3_last_insert_rowid(db_handle(db));
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)*check_id);
        json_t *detail = json_pack("{sI ss ss}", "version", (json_int_t)version, "industry",
                                   json_string_value(json_object_get(res, "industry")), "verdict",
                                   json_string_value(json_object_get(res, "verdict_code")));
        rc = audit_append(db, actor, "siting.check", "siting_check", id, detail);
        json_decref(detail);
    }
    if (rc) {
        json_decref(res);
        snprintf(msg, msglen, "%s", err_message(ERR_INTERNAL));
        return ERR_INTERNAL;
    }
    json_object_set_new(res, "id", json_integer(*check_id));
    *result = res;
    return ERR_OK;
}

json_t *siting_check_get(struct db *db, int64_t id, int64_t *enterprise_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT result, coalesce(enterprise_id, 0), created_at "
                                   "FROM siting_checks WHERE id = ?");
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, id);
    json_t *res = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        res = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
        *enterprise_id = sqlite3_column_int64(st, 1);
        char when[32];
        timeutil_format_iso(sqlite3_column_int64(st, 2), when, sizeof when);
        if (res) {
            json_object_set_new(res, "id", json_integer(id));
            json_object_set_new(res, "checked_at", json_string(when));
        }
    }
    sqlite3_reset(st);
    return res;
}

/* ---- handlers ---- */

static void api_siting_import(struct http_req *r)
{
    const char *name = http_query(r, "name");
    if (!name || !*name)
        name = "三线一单管控单元";
    if (text_check_field(name, 200, false)) {
        http_error(r, ERR_INVALID_FIELD, "名称无效", "name");
        return;
    }
    struct audit_actor actor;
    kit_actor(r, &actor);
    char msg[400] = "";
    int64_t version = 0;
    enum err e = siting_import(r->db, &actor, name, r->body.data ? r->body.data : "", r->body.len,
                               &version, msg, sizeof msg);
    if (e) {
        http_error(r, e, msg, "geojson");
        return;
    }
    http_json(r, 201, json_pack("{sI}", "version", (json_int_t)version));
}

static void api_siting_versions(struct http_req *r)
{
    sqlite3_stmt *st = db_stmt(r->db, "SELECT id, name, units, created_at, created_by FROM "
                                      "siting_versions ORDER BY id DESC LIMIT 100");
    if (!st) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    json_t *items = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        char when[32];
        timeutil_format_iso(sqlite3_column_int64(st, 3), when, sizeof when);
        json_array_append_new(
            items, json_pack("{sI ss sI ss ss}", "id", (json_int_t)sqlite3_column_int64(st, 0),
                             "name", (const char *)sqlite3_column_text(st, 1), "units",
                             (json_int_t)sqlite3_column_int64(st, 2), "created_at", when,
                             "created_by", (const char *)sqlite3_column_text(st, 4)));
    }
    sqlite3_reset(st);
    http_json(r, 200, json_pack("{so}", "items", items));
}

/* The units of a version (default the newest) as GeoJSON, for the map. */
static void api_siting_units(struct http_req *r)
{
    int64_t v = kit_query_id(r, "version");
    if (v < 0)
        return;
    if (!v)
        v = siting_latest_version(r->db);
    sqlite3_stmt *st = db_stmt(r->db, "SELECT geojson FROM siting_versions WHERE id = ?");
    if (!st) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    sqlite3_bind_int64(st, 1, v);
    json_t *fc = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        char err[256];
        struct siting_units *u =
            siting_units_from_geojson((const char *)sqlite3_column_text(st, 0),
                                      (size_t)sqlite3_column_bytes(st, 0), err, sizeof err);
        if (u)
            fc = siting_units_geojson(u);
        siting_units_free(u);
    }
    sqlite3_reset(st);
    if (!fc) {
        http_error(r, ERR_NOT_FOUND, "没有该版本的管控单元", "version");
        return;
    }
    json_object_set_new(fc, "version", json_integer(v));
    http_json(r, 200, fc);
}

static void api_siting_check(struct http_req *r)
{
    json_t *in = http_body_json(r);
    if (!in)
        return;
    const char *industry = json_string_value(json_object_get(in, "industry"));
    const char *crs = json_string_value(json_object_get(in, "crs"));
    struct audit_actor actor;
    kit_actor(r, &actor);
    char msg[400] = "";
    int64_t id = 0;
    json_t *res = NULL;
    int64_t ent = r->session.user.role == ROLE_ENTERPRISE ? r->session.user.enterprise_id : 0;
    enum err e = ERR_INTERNAL;
    if (db_begin(r->db) == 0) {
        e = siting_run(r->db, &actor, json_object_get(in, "location"), crs,
                       industry ? industry : "", ent, &id, &res, msg, sizeof msg);
        if (e || db_commit(r->db)) {
            db_rollback(r->db);
            if (!e)
                e = ERR_INTERNAL;
        }
    }
    json_decref(in);
    if (e) {
        json_decref(res);
        http_error(r, e, *msg ? msg : NULL, "location");
        return;
    }
    http_json(r, 201, res);
}

static void api_siting_check_get(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    int64_t ent = 0;
    json_t *res = siting_check_get(r->db, id, &ent);
    if (!res || (r->session.user.role == ROLE_ENTERPRISE && ent != r->session.user.enterprise_id)) {
        json_decref(res);
        http_error(r, ERR_NOT_FOUND, NULL, NULL);
        return;
    }
    http_json(r, 200, res);
}

static const struct route siting_table[] = {
    {HTTP_POST, "/api/v1/siting/versions", api_siting_import, STAFF_UP, 0},
    {HTTP_GET, "/api/v1/siting/versions", api_siting_versions, ROLES_BUREAU, 0},
    {HTTP_GET, "/api/v1/siting/units", api_siting_units, ROLES_LOGGED_IN, 0},
    {HTTP_POST, "/api/v1/siting/checks", api_siting_check, ROLES_LOGGED_IN, 0},
    {HTTP_GET, "/api/v1/siting/checks/{id}", api_siting_check_get, ROLES_LOGGED_IN, 0},
};

const struct route_group app_siting_routes = ROUTE_GROUP("siting", siting_table);
