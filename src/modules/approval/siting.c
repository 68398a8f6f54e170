/* approval siting — 三线一单 unit versions and siting checks.
 *
 * Each import is a new version (the GeoJSON kept as imported, the normalised
 * unit attributes in siting_units); a check records the version it used. The
 * newest version is held parsed in memory (GEOS geometries, STRtree) and
 * replaced when a newer one appears; the cache lock is held for the whole
 * check, so a set is never freed under a reader (checks serialise on the set's
 * own mutex anyway). Rows are in store_siting.c. */
#include "modules/approval/procedure.h"
#include "app/field.h"
#include "core/timeutil.h"
#include "domain/siting.h"
#include "db/audit.h"
#include "db/db.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t siting_cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct siting_units *siting_cache;
static int64_t siting_cache_version;

/* The units of version v parsed from its stored GeoJSON; NULL when none. */
static struct siting_units *siting_load(struct db *db, int64_t v)
{
    size_t len = 0;
    char *text = siting_store_geojson(db, v, &len);
    char err[256];
    struct siting_units *u = text ? siting_units_from_geojson(text, len, err, sizeof err) : NULL;
    free(text);
    if (u)
        siting_units_index(u); /* once, for every check served from the cache */
    return u;
}

/* The newest version's units (cache lock held by the caller). */
static struct siting_units *siting_current(struct db *db, int64_t *version)
{
    int64_t v = siting_store_latest(db);
    *version = v;
    if (!v)
        return NULL;
    if (siting_cache_version == v)
        return siting_cache;
    struct siting_units *u = siting_load(db, v);
    if (u) {
        siting_units_free(siting_cache);
        siting_cache = u;
        siting_cache_version = v;
    }
    return u;
}

/* A refusal whose message the domain code already wrote into p. */
static enum err siting_refused(struct problem *p, enum err e, const char *field)
{
    p->err = e;
    p->field = field;
    return e;
}

enum err siting_import(struct db *db, const struct audit_actor *actor, const char *name,
                       const char *geojson, size_t len, int64_t *version, struct problem *p)
{
    struct siting_units *u = siting_units_from_geojson(geojson, len, p->message, sizeof p->message);
    if (!u)
        return siting_refused(p, ERR_INVALID_FIELD, "geojson");
    enum err e = ERR_OK;
    if (db_begin(db)) {
        e = problem_set(p, ERR_INTERNAL, "geojson", "%s", err_message(ERR_INTERNAL));
        goto out;
    }
    if (siting_store_version_add(db, name, (int64_t)siting_units_count(u), geojson, len,
                                 actor->name, version))
        goto fail;
    for (size_t i = 0; i < siting_units_count(u); i++) {
        json_t *a = siting_unit_json(u, i);
        int rc = siting_store_unit_add(db, *version, siting_unit_code(u, i), a);
        json_decref(a);
        if (rc)
            goto fail;
    }
    json_t *detail = json_pack("{ss sI}", "name", name, "units", (json_int_t)siting_units_count(u));
    int rc = audit_append_id(db, actor, "siting.import", "siting_version", *version, detail);
    json_decref(detail);
    if (rc || db_commit(db))
        goto fail;
    goto out;
fail:
    db_rollback(db);
    e = problem_set(p, ERR_INTERNAL, "geojson", "%s", err_message(ERR_INTERNAL));
out:
    siting_units_free(u);
    return e;
}

enum err siting_run(struct db *db, const struct audit_actor *actor, json_t *location,
                    const char *crs_name, const char *industry, int64_t enterprise_id,
                    int64_t *check_id, json_t **result, struct problem *p)
{
    enum siting_crs crs;
    *result = NULL;
    if (siting_crs_parse(crs_name, &crs))
        return problem_set(p, ERR_INVALID_FIELD, "location",
                           "坐标系须为 wgs84、cgcs2000、gcj02 或 bd09");
    json_t *wgs = NULL;
    if (siting_location_parse(location, crs, &wgs, p->message, sizeof p->message))
        return siting_refused(p, ERR_INVALID_FIELD, "location");
    pthread_mutex_lock(&siting_cache_lock);
    int64_t version;
    struct siting_units *u = siting_current(db, &version);
    json_t *res = u ? siting_check(u, wgs, industry, p->message, sizeof p->message) : NULL;
    pthread_mutex_unlock(&siting_cache_lock);
    if (!u) {
        json_decref(wgs);
        return problem_set(p, ERR_INVALID_FIELD, "location", "尚未导入三线一单管控单元");
    }
    if (!res) {
        json_decref(wgs);
        return siting_refused(p, ERR_INVALID_FIELD, "location");
    }
    json_object_set_new(res, "version", json_integer(version));
    json_object_set_new(res, "location", wgs);
    json_object_set_new(res, "crs_in", json_string(crs_name ? crs_name : "wgs84"));
    const char *ind = json_string_value(json_object_get(res, "industry"));
    const char *verdict = json_string_value(json_object_get(res, "verdict_code"));
    int rc = siting_store_check_add(db, version, enterprise_id, ind, wgs, res, verdict, check_id);
    if (!rc) {
        json_t *detail = json_pack("{sI ss ss}", "version", (json_int_t)version, "industry", ind,
                                   "verdict", verdict);
        rc = audit_append_id(db, actor, "siting.check", "siting_check", *check_id, detail);
        json_decref(detail);
    }
    if (rc) {
        json_decref(res);
        return problem_set(p, ERR_INTERNAL, "location", "%s", err_message(ERR_INTERNAL));
    }
    json_object_set_new(res, "id", json_integer(*check_id));
    *result = res;
    return ERR_OK;
}

json_t *siting_check_get(struct db *db, int64_t id, int64_t *enterprise_id)
{
    json_t *row = siting_store_check(db, id);
    json_t *res = json_incref(json_object_get(row, "result"));
    if (row && json_is_object(res)) {
        *enterprise_id = json_integer_value(json_object_get(row, "enterprise_id"));
        char when[32];
        timeutil_format_iso(json_integer_value(json_object_get(row, "created_at")), when,
                            sizeof when);
        json_object_set_new(res, "id", json_integer(id));
        json_object_set_new(res, "checked_at", json_string(when));
    } else {
        json_decref(res);
        res = NULL;
    }
    json_decref(row);
    return res;
}

enum err siting_check_create(struct db *db, const struct audit_actor *actor, json_t *in,
                             int64_t enterprise_id, json_t **out, struct problem *p)
{
    const char *industry, *crs;
    int64_t id = 0;
    *out = NULL;
    if (field_text(in, "industry", "行业代码", 64, FIELD_OPTIONAL, &industry, p) ||
        field_text(in, "crs", "坐标系", 16, FIELD_OPTIONAL, &crs, p))
        return p->err;
    if (db_begin(db))
        return problem_set(p, ERR_INTERNAL, "location", "%s", err_message(ERR_INTERNAL));
    enum err e = siting_run(db, actor, json_object_get(in, "location"), *crs ? crs : NULL, industry,
                            enterprise_id, &id, out, p);
    if (!e && db_commit(db)) {
        e = problem_set(p, ERR_INTERNAL, "location", "%s", err_message(ERR_INTERNAL));
        json_decref(*out);
        *out = NULL;
    }
    if (e)
        db_rollback(db);
    return e;
}

json_t *siting_versions(struct db *db)
{
    json_t *items = siting_store_versions(db);
    approval_iso_column(items, "created_at");
    return items;
}

json_t *siting_units_of(struct db *db, int64_t v)
{
    if (!v)
        v = siting_store_latest(db);
    struct siting_units *u = v ? siting_load(db, v) : NULL;
    json_t *fc = u ? siting_units_geojson(u) : NULL;
    siting_units_free(u);
    if (fc)
        json_object_set_new(fc, "version", json_integer(v));
    return fc;
}
