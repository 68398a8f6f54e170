/* river reach — rivers, lakes and their reaches: the GeoJSON (and Shapefile)
 * import, the lists, one reach with its chiefs and sections, the map. */
#include "app/field.h"
#include "core/text.h"
#include "db/db.h"
#include "domain/river_rules.h"
#include "modules/quality/quality.h"
#include "modules/river/river.h"
#include "modules/river/rules.h"
#include "modules/river/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RIVER_IMPORT_MAX_FEATURES 2000
#define RIVER_IMPORT_MAX_ERRORS 50

void river_ctx_scope(struct river_ctx *c)
{
    c->chief = c->s.user ? river_store_chief_of_user(c->s.db, c->s.user->id) : 0;
    /* a chief's account not (or no longer) linked to a chief record sees no
     * reach: -1 is no chief's id */
    if (!c->chief && c->s.user && c->s.user->role == ROLE_CHIEF)
        c->chief = -1;
}

enum err river_may_edit(const struct river_ctx *c, struct problem *p)
{
    return c->chief ? problem_set(p, ERR_FORBIDDEN, NULL, "河湖长账号不能修改河湖长制名录")
                    : ERR_OK;
}

/* A reach code: 1..32 of [A-Za-z0-9_-]. */
static bool river_code_ok(const char *s)
{
    size_t n = strlen(s);
    if (!n || n > 32)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_'))
            return false;
    return true;
}

static void river_import_error(json_t *errors, size_t feature, const char *field, const char *msg)
{
    if (json_array_size(errors) < RIVER_IMPORT_MAX_ERRORS)
        json_array_append_new(errors, json_pack("{sI ss ss}", "feature", (json_int_t)feature + 1,
                                                "field", field ? field : "", "message", msg));
}

/* Checks one feature; fills r (borrowing from f) or adds an error. */
static bool river_import_feature(json_t *f, size_t i, struct river_reach_row *r,
                                 const char **water_code, const char **water_name,
                                 const char **kind, json_t *errors)
{
    static const char *const kinds[] = {"river", "lake", NULL};
    struct problem p = {0};
    json_t *props = json_object_get(f, "properties");
    json_t *geom = json_object_get(f, "geometry");
    const char *type = json_string_value(json_object_get(f, "type"));
    if (!json_is_object(f) || !type || strcmp(type, "Feature") || !json_is_object(props)) {
        river_import_error(errors, i, NULL, "须为带 properties 的 GeoJSON Feature");
        return false;
    }
    const char *gk = json_string_value(json_object_get(geom, "type"));
    bool polygon = gk && !strcmp(gk, "Polygon");
    if (field_text(props, "code", "河段编码", 32, FIELD_REQUIRED, &r->code, &p) ||
        field_text(props, "name", "河段名称", 128, FIELD_REQUIRED, &r->name, &p) ||
        field_text(props, "water_code", "河湖编码", 32, FIELD_REQUIRED, water_code, &p) ||
        field_text(props, "water_name", "河湖名称", 128, FIELD_REQUIRED, water_name, &p) ||
        field_choice(props, "water_kind", "河湖类型", kinds, FIELD_OPTIONAL,
                     polygon ? "lake" : "river", kind, &p) ||
        field_text(props, "county", "县（区）", 64, FIELD_OPTIONAL, &r->county, &p) ||
        field_text(props, "township", "乡镇（街道）", 64, FIELD_OPTIONAL, &r->township, &p) ||
        field_text(props, "village", "村（社区）", 64, FIELD_OPTIONAL, &r->village, &p) ||
        field_int(props, "seq", "上下游顺序", 0, 10000, FIELD_OPTIONAL, 0, &r->seq, &p) ||
        field_text(props, "start", "起点", 128, FIELD_OPTIONAL, &r->start_point, &p) ||
        field_text(props, "end", "终点", 128, FIELD_OPTIONAL, &r->end_point, &p)) {
        river_import_error(errors, i, p.field, p.message);
        return false;
    }
    if (!river_code_ok(r->code) || !river_code_ok(*water_code)) {
        river_import_error(errors, i, "code", "编码只能由字母、数字、- 和 _ 组成（至多 32 个）");
        return false;
    }
    char err[160];
    if (river_geometry_check(geom, &r->length_m, err, sizeof err)) {
        river_import_error(errors, i, "geometry", err);
        return false;
    }
    return true;
}

/* Writes the checked features in one transaction. */
static enum err river_import_write(struct river_ctx *c, json_t *features, json_t **out,
                                   struct problem *p)
{
    int created = 0, updated = 0;
    json_t *waters = json_object();
    if (db_begin(c->s.db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    size_t i;
    json_t *f;
    json_array_foreach(features, i, f)
    {
        struct river_reach_row r = {.now = c->s.now};
        const char *wc, *wn, *kind;
        river_import_feature(f, i, &r, &wc, &wn, &kind, NULL);
        char *geom =
            json_dumps(json_object_get(f, "geometry"), JSON_COMPACT | JSON_REAL_PRECISION(10));
        bool isnew = false;
        int64_t id;
        int bad = !geom || river_store_water_upsert(c->s.db, wc, wn, kind, c->s.now, &r.water_id);
        r.geometry = geom;
        bad = bad || river_store_reach_upsert(c->s.db, &r, &id, &isnew);
        free(geom);
        if (bad) {
            db_rollback(c->s.db);
            json_decref(waters);
            return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
        }
        json_object_set_new(waters, wc, json_true());
        isnew ? created++ : updated++;
    }
    *out = json_pack("{si si si}", "created", created, "updated", updated, "waters",
                     (int)json_object_size(waters));
    json_decref(waters);
    if (audit_append(c->s.db, &c->s.actor, "river.import", "river_reaches", "geojson", *out) ||
        db_commit(c->s.db)) {
        db_rollback(c->s.db);
        json_decref(*out);
        *out = NULL;
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    return ERR_OK;
}

/* Checks every feature of a FeatureCollection, then writes them all. */
static enum err river_import_collection(struct river_ctx *c, json_t *fc, json_t **out,
                                        json_t **errors, struct problem *p)
{
    const char *type = json_string_value(json_object_get(fc, "type"));
    json_t *features = json_object_get(fc, "features");
    if (!type || strcmp(type, "FeatureCollection") || !json_is_array(features))
        return problem_set(p, ERR_INVALID_FIELD, "type", "须为 GeoJSON FeatureCollection");
    if (!json_array_size(features) || json_array_size(features) > RIVER_IMPORT_MAX_FEATURES)
        return problem_set(p, ERR_INVALID_FIELD, "features", "要素数须为 1 至 2000 个");
    json_t *errs = json_array(), *seen = json_object();
    size_t i;
    json_t *f;
    json_array_foreach(features, i, f)
    {
        struct river_reach_row r = {0};
        const char *wc, *wn, *kind;
        if (!river_import_feature(f, i, &r, &wc, &wn, &kind, errs))
            continue;
        if (json_object_get(seen, r.code))
            river_import_error(errs, i, "code", "河段编码在文件中重复");
        json_object_set_new(seen, r.code, json_true());
    }
    json_decref(seen);
    if (json_array_size(errs)) {
        *errors = errs;
        return problem_set(p, ERR_IMPORT_ERRORS, NULL, "导入文件有错误，未导入任何记录");
    }
    json_decref(errs);
    return river_import_write(c, features, out, p);
}

enum err river_import_geojson(struct river_ctx *c, const char *text, size_t len, json_t **out,
                              json_t **errors, struct problem *p)
{
    *out = *errors = NULL;
    if (river_may_edit(c, p))
        return p->err;
    json_error_t je;
    json_t *fc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!fc)
        return problem_set(p, ERR_BAD_JSON, NULL, "GeoJSON 格式错误");
    enum err e = river_import_collection(c, fc, out, errors, p);
    json_decref(fc);
    return e;
}

enum err river_import_shpzip(struct river_ctx *c, const char *data, size_t len, json_t **out,
                             json_t **errors, struct problem *p)
{
    *out = *errors = NULL;
    if (river_may_edit(c, p))
        return p->err;
    char err[512] = "";
    enum err code = ERR_INVALID_FIELD;
    /* the system's temporary directory: the files live for this request only */
    json_t *fc = river_shpzip_geojson(NULL, data, len, &code, err, sizeof err);
    if (!fc)
        return problem_set(p, code, code == ERR_INTERNAL ? NULL : "file", "%s", err);
    enum err e = river_import_collection(c, fc, out, errors, p);
    json_decref(fc);
    return e;
}

enum err river_import_json(struct river_ctx *c, json_t *fc, json_t **out, json_t **errors,
                           struct problem *p)
{
    *out = *errors = NULL;
    return river_import_collection(c, fc, out, errors, p);
}

int river_import_path(struct db *db, const struct audit_actor *actor, const char *path,
                      json_t **out, json_t **errors, char *err, size_t errlen)
{
    *out = *errors = NULL;
    size_t n = strlen(path);
    json_t *fc;
    if (n > 4 && !strcmp(path + n - 4, ".shp")) {
        fc = river_shapefile_geojson(path, err, errlen);
    } else {
        json_error_t je;
        fc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
        if (!fc)
            snprintf(err, errlen, "%s: 第 %d 行：%s", path, je.line, je.text);
    }
    if (!fc)
        return -1;
    struct river_ctx c;
    memset(&c, 0, sizeof c);
    c.s.db = db;
    c.s.actor = *actor;
    svc_ctx_clock(&c.s);
    struct problem p = {0};
    enum err e = river_import_collection(&c, fc, out, errors, &p);
    json_decref(fc);
    if (e)
        snprintf(err, errlen, "%s", p.message);
    return e ? -1 : 0;
}

json_t *river_reaches(struct river_ctx *c)
{
    return river_store_reaches(c->s.db, c->chief);
}

/* The quality module's water sections with the latest sampled month's
 * evaluation (NULL on a database error). */
static json_t *river_sections_now(struct db *db)
{
    struct problem p = {0};
    json_t *out = NULL;
    if (quality_water_sections(db, NULL, false, 0, 0, &p, &out))
        return NULL;
    return out;
}

json_t *river_reach_get(struct river_ctx *c, int64_t id)
{
    json_t *r = river_store_reach(c->s.db, id, c->chief);
    if (!r)
        return NULL;
    json_object_set_new(r, "chiefs", river_store_reach_chiefs(c->s.db, id));
    return r;
}

json_t *river_map(struct river_ctx *c)
{
    json_t *rows = river_store_map(c->s.db, c->chief);
    if (!rows)
        return NULL;
    json_t *features = json_array();
    size_t i;
    json_t *o;
    json_array_foreach(rows, i, o)
    {
        json_t *g = json_incref(json_object_get(o, "geometry"));
        json_object_del(o, "geometry");
        json_array_append_new(
            features, json_pack("{ss so sO}", "type", "Feature", "geometry", g, "properties", o));
    }
    json_decref(rows);
    json_t *sections = river_sections_now(c->s.db);
    return json_pack("{s{ss so} so}", "reaches", "type", "FeatureCollection", "features", features,
                     "sections", sections ? sections : json_null());
}

enum err river_reach_update(struct river_ctx *c, int64_t id, json_t *in, struct problem *p)
{
    int64_t section;
    if (river_may_edit(c, p) || field_id(in, "section_id", "督办科室", FIELD_OPTIONAL, &section, p))
        return p->err;
    if (section && !river_store_section_exists(c->s.db, section))
        return problem_set(p, ERR_INVALID_FIELD, "section_id", "科室不存在");
    int found = river_store_reach_in_scope(c->s.db, id, 0);
    if (found <= 0)
        return found < 0 ? ERR_INTERNAL : ERR_NOT_FOUND;
    if (db_begin(c->s.db))
        return ERR_INTERNAL;
    if (river_store_reach_set_section(c->s.db, id, section) ||
        audit_append_id(c->s.db, &c->s.actor, "river.reach.update", "river_reaches", id, in) ||
        db_commit(c->s.db)) {
        db_rollback(c->s.db);
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    return ERR_OK;
}
