/* registry — the enterprise record's rules: validation (one record, also
 * each row of the CSV import), create and update, each in its transaction
 * with its audit entry. Declared in registry.h. */
#include "modules/registry/registry.h"
#include "app/field.h"
#include "domain/coord.h"
#include "domain/industry.h"
#include "domain/phone.h"
#include "domain/uscc.h"
#include "core/log.h"
#include "db/db.h"

#include <math.h>
#include <string.h>

#define REGISTRY_MAX_CONTACTS 20
#define REGISTRY_MAX_TAGS 20

/* The text fields of a record: key, label, byte limit, flags. */
static const struct registry_text {
    const char *key;
    const char *label;
    size_t max;
    unsigned flags;
} registry_texts[] = {
    {"name", "企业名称", 200, FIELD_REQUIRED}, {"legal_rep", "法定代表人", 64, FIELD_OPTIONAL},
    {"address", "地址", 300, FIELD_OPTIONAL},  {"district", "区县", 64, FIELD_OPTIONAL},
    {"town", "乡镇/街道", 64, FIELD_OPTIONAL}, {"permit_no", "排污许可证编号", 64, FIELD_OPTIONAL},
};

/* Copies the text fields after the one text rule (field_text); 0 or -1 with
 * p filled. */
static int registry_texts_copy(json_t *in, json_t *out, struct problem *p)
{
    for (size_t i = 0; i < sizeof registry_texts / sizeof registry_texts[0]; i++) {
        const struct registry_text *t = &registry_texts[i];
        const char *s;
        if (field_text(in, t->key, t->label, t->max, t->flags, &s, p))
            return -1;
        json_object_set_new(out, t->key, json_string(s));
    }
    return 0;
}

static int registry_uscc(json_t *in, json_t *out, struct problem *p)
{
    const char *raw = json_string_value(json_object_get(in, "uscc"));
    char code[USCC_LEN + 1];
    if (!raw || !*raw) {
        problem_set(p, ERR_INVALID_USCC, "uscc", "统一社会信用代码不能为空");
        return -1;
    }
    if (strlen(raw) > 64 || uscc_normalize(raw, code)) {
        problem_set(p, ERR_INVALID_USCC, "uscc", "统一社会信用代码必须是 18 位");
        return -1;
    }
    char expected = 0;
    enum uscc_result r = uscc_check_ex(code, &expected);
    if (r != USCC_OK) {
        char why[128];
        uscc_describe(r, expected, true, why, sizeof why);
        problem_set(p, ERR_INVALID_USCC, "uscc", "统一社会信用代码无效：%s", why);
        return -1;
    }
    json_object_set_new(out, "uscc", json_string(code));
    return 0;
}

static int registry_area(struct db *db, json_t *out, struct problem *p)
{
    const char *district = json_string_value(json_object_get(out, "district"));
    const char *town = json_string_value(json_object_get(out, "town"));
    if (!*district && !*town)
        return 0;
    /* Only checked once the bureau has loaded its areas. */
    struct areas_match m;
    if (areas_find(db, district, town, &m) || !m.areas)
        return 0;
    if (!m.in_district) {
        problem_set(p, ERR_INVALID_FIELD, "district", "未知的区县：%s", district);
        return -1;
    }
    if (*town && !m.exact) {
        problem_set(p, ERR_INVALID_FIELD, "town", "%s没有乡镇/街道：%s", district, town);
        return -1;
    }
    return 0;
}

static int registry_location(json_t *in, json_t *out, struct problem *p)
{
    json_t *lon = json_object_get(in, "lon"), *lat = json_object_get(in, "lat");
    int has_lon = lon && !json_is_null(lon), has_lat = lat && !json_is_null(lat);
    if (!has_lon && !has_lat) {
        json_object_set_new(out, "lon", json_null());
        json_object_set_new(out, "lat", json_null());
        return 0;
    }
    if (!json_is_number(lon) || !json_is_number(lat)) {
        problem_set(p, ERR_INVALID_FIELD, has_lon ? "lat" : "lon", "经度和纬度须同时填写为数字");
        return -1;
    }
    double x = json_number_value(lon), y = json_number_value(lat);
    const char *sys = json_string_value(json_object_get(in, "coord_system"));
    if (!coord_valid(x, y) || coord_out_of_china(x, y)) {
        problem_set(p, ERR_INVALID_FIELD, "lon", "坐标不在中国境内（经纬度是否填反？）");
        return -1;
    }
    if (!sys || !strcmp(sys, "wgs84") || !strcmp(sys, "cgcs2000")) {
        /* stored as given */
    } else if (!strcmp(sys, "gcj02")) {
        coord_gcj02_to_wgs84(x, y, &x, &y);
    } else if (!strcmp(sys, "bd09")) {
        coord_bd09_to_gcj02(x, y, &x, &y);
        coord_gcj02_to_wgs84(x, y, &x, &y);
    } else {
        problem_set(p, ERR_INVALID_FIELD, "coord_system", "坐标系须为 wgs84、gcj02 或 bd09");
        return -1;
    }
    /* Seven decimals is ~1 cm: enough, and keeps JSON short. */
    json_object_set_new(out, "lon", json_real(round(x * 1e7) / 1e7));
    json_object_set_new(out, "lat", json_real(round(y * 1e7) / 1e7));
    return 0;
}

static int registry_industry(json_t *in, json_t *out, struct problem *p)
{
    json_t *v = json_object_get(in, "industry_code");
    const char *code = json_string_value(v);
    if (v && !json_is_null(v) && !code) {
        problem_set(p, ERR_INVALID_FIELD, "industry_code", "行业代码必须是文本");
        return -1;
    }
    if (!code || !*code) {
        json_object_set_new(out, "industry_code", json_string(""));
        return 0;
    }
    char norm[6];
    const char *reason = NULL;
    if (strlen(code) > 16 || industry_normalize(code, norm, &reason)) {
        problem_set(p, ERR_INVALID_FIELD, "industry_code", "行业代码无效（GB/T 4754-2017）：%.32s",
                    code);
        return -1;
    }
    json_object_set_new(out, "industry_code", json_string(norm));
    return 0;
}

/* One contact {"name","phone","role"} into clean: each the one text rule
 * (trimmed in place), the name required, the phone none or a valid one
 * (domain/phone.h). */
static bool registry_contact_ok(json_t *c, json_t *clean)
{
    struct problem why;
    const char *name, *phone, *role;
    if (!json_is_object(c) || field_text(c, "name", NULL, 64, FIELD_REQUIRED, &name, &why) ||
        field_text(c, "phone", NULL, 32, FIELD_OPTIONAL, &phone, &why) ||
        (*phone && !phone_ok(phone)) ||
        field_text(c, "role", NULL, 64, FIELD_OPTIONAL, &role, &why))
        return false;
    json_array_append_new(clean,
                          json_pack("{ss ss ss}", "name", name, "phone", phone, "role", role));
    return true;
}

static int registry_contacts(json_t *in, json_t *out, struct problem *p)
{
    json_t *list = json_object_get(in, "contacts"), *clean = json_array();
    json_object_set_new(out, "contacts", clean);
    if (!list || json_is_null(list))
        return 0;
    if (!json_is_array(list) || json_array_size(list) > REGISTRY_MAX_CONTACTS) {
        problem_set(p, ERR_INVALID_FIELD, "contacts", "联系人须为不超过 %d 项的列表",
                    REGISTRY_MAX_CONTACTS);
        return -1;
    }
    size_t i;
    json_t *c;
    json_array_foreach(list, i, c)
    {
        if (!registry_contact_ok(c, clean)) {
            problem_set(p, ERR_INVALID_FIELD, "contacts", "第 %zu 个联系人无效（姓名必填；%s）",
                        i + 1, PHONE_RULE_ZH);
            return -1;
        }
    }
    return 0;
}

/* The tags, each the one text rule at most 48 bytes; repeats dropped. */
static int registry_tags(json_t *in, json_t *out, struct problem *p)
{
    json_t *list, *clean = json_array();
    json_object_set_new(out, "tags", clean);
    if (field_text_list(in, "tags", "标签", REGISTRY_MAX_TAGS, 48, FIELD_OPTIONAL, &list, p))
        return -1;
    size_t i, j;
    json_t *t, *seen;
    json_array_foreach(list, i, t)
    {
        bool dup = false;
        json_array_foreach(clean, j, seen) dup |= json_equal(seen, t);
        if (!dup)
            json_array_append(clean, t);
    }
    return 0;
}

json_t *registry_validate(struct db *db, json_t *input, struct problem *p)
{
    memset(p, 0, sizeof *p);
    if (!json_is_object(input)) {
        problem_set(p, ERR_INVALID_FIELD, NULL, "请求体必须是 JSON 对象");
        return NULL;
    }
    json_t *out = json_object();
    int bad = registry_uscc(input, out, p) || registry_texts_copy(input, out, p) ||
              registry_area(db, out, p) || registry_location(input, out, p) ||
              registry_industry(input, out, p) || registry_contacts(input, out, p) ||
              registry_tags(input, out, p);
    if (bad) {
        json_decref(out);
        return NULL;
    }
    return out;
}

static enum err registry_db_fail(struct db *db, struct problem *p)
{
    db_rollback(db);
    return problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
}

/* Inserts a validated record with its audit entry; the caller owns the
 * transaction. */
static enum err registry_insert(struct db *db, const struct audit_actor *actor, json_t *rec,
                                int64_t *id, struct problem *p)
{
    enum err e = enterprises_insert(db, rec, id);
    if (e == ERR_CONFLICT)
        return problem_set(p, e, "uscc", "统一社会信用代码 %s 已登记",
                           json_string_value(json_object_get(rec, "uscc")));
    if (e)
        return p->err = e;
    json_t *detail = json_pack("{sO sO}", "uscc", json_object_get(rec, "uscc"), "name",
                               json_object_get(rec, "name"));
    int rc = audit_append_id(db, actor, "enterprise.create", "enterprise", *id, detail);
    json_decref(detail);
    return rc ? (p->err = ERR_INTERNAL) : ERR_OK;
}

enum err registry_create(struct db *db, const struct audit_actor *actor, json_t *input, int64_t *id,
                         struct problem *p)
{
    json_t *rec = registry_validate(db, input, p);
    if (!rec)
        return p->err;
    if (db_begin(db)) {
        json_decref(rec);
        return registry_db_fail(db, p);
    }
    enum err e = registry_insert(db, actor, rec, id, p);
    json_decref(rec);
    if (e) {
        db_rollback(db);
        return e;
    }
    return db_commit(db) ? registry_db_fail(db, p) : ERR_OK;
}

/* {"field": [old, new]} for every field that changed. */
static json_t *registry_diff(json_t *old, json_t *rec)
{
    json_t *diff = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(rec, key, v)
    {
        json_t *was = json_object_get(old, key);
        if (!json_equal(was, v))
            json_object_set_new(diff, key, json_pack("[OO]", was ? was : json_null(), v));
    }
    return diff;
}

enum err registry_update(struct db *db, const struct audit_actor *actor, int64_t id, json_t *input,
                         struct problem *p)
{
    json_t *version = json_object_get(input, "version");
    if (!json_is_integer(version))
        return problem_set(p, ERR_INVALID_FIELD, "version", "更新须带上所编辑记录的 version");
    json_t *rec = registry_validate(db, input, p);
    if (!rec)
        return p->err;
    enum err e = ERR_INTERNAL;
    json_t *old = NULL;
    if (db_begin(db))
        goto out;
    old = enterprises_get(db, id);
    e = old ? enterprises_update(db, id, json_integer_value(version), rec) : ERR_NOT_FOUND;
    if (!e) {
        json_t *diff = registry_diff(old, rec);
        e = audit_append_id(db, actor, "enterprise.update", "enterprise", id, diff) ? ERR_INTERNAL
                                                                                    : ERR_OK;
        json_decref(diff);
    }
    if (!e && db_commit(db))
        e = ERR_INTERNAL;
out:
    if (e) {
        db_rollback(db);
        problem_set(p, e, e == ERR_CONFLICT ? "uscc" : NULL, "%s", err_message(e));
    }
    json_decref(old);
    json_decref(rec);
    return e;
}

int64_t registry_count(struct db *db)
{
    struct enterprise_filter all = {0};
    return enterprises_count(db, &all);
}

long registry_rows_maintain(struct db *db, long max)
{
    enum { BATCH = 512 };
    long done = 0;
    int n = 0;
    if (db_begin(db))
        goto fail;
    if (enterprise_rows_check_format(db) < 0 || db_commit(db))
        goto fail_tx;
    do {
        if (db_begin(db))
            goto fail;
        n = enterprise_rows_refresh(db, BATCH);
        if (n < 0 || db_commit(db))
            goto fail_tx;
        done += n;
    } while (n == BATCH && done < max);
    return done;
fail_tx:
    db_rollback(db);
fail:
    log_warn("registry: stored list rows not brought up to date (%ld stored)", done);
    return -1;
}

enum err registry_update_contacts(struct db *db, const struct audit_actor *actor, int64_t id,
                                  json_t *input, struct problem *p)
{
    memset(p, 0, sizeof *p);
    json_t *rec = enterprises_get(db, id);
    if (!rec)
        return problem_set(p, ERR_NOT_FOUND, NULL, "%s", err_message(ERR_NOT_FOUND));
    json_object_set(rec, "contacts", json_object_get(input, "contacts"));
    json_object_set(rec, "version", json_object_get(input, "version"));
    enum err e = registry_update(db, actor, id, rec, p);
    json_decref(rec);
    return e;
}
