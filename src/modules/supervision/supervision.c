#include "modules/supervision/supervision.h"
#include "core/buf.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "domain/calendar.h"
#include "domain/credit.h"
#include "domain/draw.h"
#include "app/field.h"
#include "db/db.h"
#include "db/row.h"

#include <math.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUP_TEXT_MAX 2000

/* A date field that takes def when absent. */
static int sup_field_date_or(json_t *in, const char *key, const char *label, const char *def,
                             char out[11], struct problem *p)
{
    if (field_date(in, key, label, FIELD_OPTIONAL, out, p))
        return -1;
    if (!*out)
        snprintf(out, 11, "%s", def);
    return 0;
}

static int sup_audit(struct sup_ctx *c, const char *action, const char *entity, int64_t id,
                     json_t *detail)
{
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", (long long)id);
    return audit_append(c->db, c->actor, action, entity, sid, detail);
}

/* A numeric setting (sup_settings holds text); def when absent or not a number. */
static int64_t sup_setting(struct db *db, const char *key, int64_t def)
{
    json_t *row = db_query_one(db, "SELECT value FROM sup_settings WHERE key = ?", "t", key);
    const char *v = json_string_value(json_object_get(row, "value"));
    int64_t out = def;
    if (v) {
        char *end;
        long long x = strtoll(v, &end, 10);
        if (!*end)
            out = x;
    }
    json_decref(row);
    return out;
}

static bool sup_enterprise_exists(struct db *db, int64_t id)
{
    return db_query_int(db, "SELECT 1 FROM enterprises WHERE id = ?", 0, "i", id) == 1;
}

static enum err sup_internal(struct sup_ctx *c, struct problem *p)
{
    db_rollback(c->db);
    return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
}

/* Days between two YYYY-MM-DD dates (b - a); 0 on bad input. */
static int32_t sup_day(const char *s)
{
    int32_t d = CALENDAR_DAY_INVALID;
    if (s)
        calendar_parse_date(s, &d);
    return d;
}

static void sup_date_add_days(const char *s, int days, char out[11])
{
    int32_t d = sup_day(s);
    calendar_format_date(d == CALENDAR_DAY_INVALID ? d : d + days, out);
}

/* A change dated on or before the date a list was published through would
 * alter a published period: refused (ERR_BACKDATED). */
static int sup_check_backdated(struct sup_ctx *c, const char *list, const char *date,
                               struct problem *p)
{
    json_t *row = db_query_one(
        c->db, "SELECT max(through) AS through FROM sup_publications WHERE list = ?", "t", list);
    if (!row)
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误"), -1;
    char through[11] = "";
    const char *t = json_string_value(json_object_get(row, "through"));
    if (t)
        snprintf(through, sizeof through, "%s", t);
    json_decref(row);
    if (*through && strcmp(date, through) <= 0)
        return problem_set(p, ERR_BACKDATED, "effective_on",
                           "生效日期 %s 落在已公布的期间内（已公布至 %s），不能追溯变更", date,
                           through),
               -1;
    return 0;
}

/* ---- 双随机: matters, classes, inspectors, conflicts ---- */

enum err sup_matter_create(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                           struct problem *p)
{
    const char *code, *name, *basis;
    if (field_text(in, "code", "事项编码", 32, FIELD_REQUIRED, &code, p) ||
        field_text(in, "name", "事项名称", 200, FIELD_REQUIRED, &name, p) ||
        field_text(in, "basis", "依据", 500, FIELD_MULTILINE, &basis, p))
        return p->err;
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    int rc = db_run(c->db, "INSERT INTO sup_matters (code, name, basis) VALUES (?, ?, ?)", "ttt",
                    code, name, basis);
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        db_rollback(c->db);
        return problem_set(p, ERR_CONFLICT, "code", "事项编码 %s 已存在", code);
    }
    int64_t nid = db_last_id(c->db);
    if (rc || sup_audit(c, "supervision.matter.create", "sup_matter", nid, in) || db_commit(c->db))
        return sup_internal(c, p);
    *out = db_query_one(c->db, "SELECT * FROM sup_matters WHERE id = ?", "i", nid);
    return ERR_OK;
}

enum err sup_class_update(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                          struct problem *p)
{
    const char *code, *period;
    double ratio;
    if (field_text(in, "code", "类别", 32, FIELD_REQUIRED, &code, p) ||
        field_number(in, "ratio_pct", "抽查比例", 0, 100, FIELD_REQUIRED, 0, &ratio, p) ||
        field_text(in, "period", "周期", 16, FIELD_REQUIRED, &period, p))
        return p->err;
    if (strcmp(period, "quarter") && strcmp(period, "year"))
        return problem_set(p, ERR_INVALID_FIELD, "period", "周期须为 quarter 或 year");
    if (!db_query_int(c->db, "SELECT 1 FROM sup_classes WHERE code = ?", 0, "t", code))
        return problem_set(p, ERR_NOT_FOUND, "code", "未知的监管类别 %s", code);
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    if (db_run(c->db, "UPDATE sup_classes SET ratio_pct = ?, period = ? WHERE code = ?", "dtt",
               ratio, period, code) ||
        sup_audit(c, "supervision.class.update", "sup_class", 0, in) || db_commit(c->db))
        return sup_internal(c, p);
    *out = db_query_one(c->db, "SELECT * FROM sup_classes WHERE code = ?", "t", code);
    return ERR_OK;
}

enum err sup_inspector_create(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                              struct problem *p)
{
    const char *lic, *name, *section;
    if (field_text(in, "licence_no", "执法证号", DRAW_KEY_MAX, FIELD_REQUIRED, &lic, p) ||
        field_text(in, "name", "姓名", 64, FIELD_REQUIRED, &name, p) ||
        field_text(in, "section", "科室", 64, FIELD_OPTIONAL, &section, p))
        return p->err;
    struct draw_pool tmp;
    draw_pool_init(&tmp);
    enum draw_error de = draw_pool_add(&tmp, lic, strlen(lic));
    draw_pool_free(&tmp);
    if (de)
        return problem_set(p, ERR_INVALID_FIELD, "licence_no", "执法证号%s",
                           draw_error_message(de));
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    int rc =
        db_run(c->db, "INSERT INTO sup_inspectors (licence_no, name, section) VALUES (?, ?, ?)",
               "ttt", lic, name, section);
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        db_rollback(c->db);
        return problem_set(p, ERR_CONFLICT, "licence_no", "执法证号 %s 已登记", lic);
    }
    int64_t nid = db_last_id(c->db);
    if (rc || sup_audit(c, "supervision.inspector.create", "sup_inspector", nid, in) ||
        db_commit(c->db))
        return sup_internal(c, p);
    *out = db_query_one(c->db, "SELECT * FROM sup_inspectors WHERE id = ?", "i", nid);
    return ERR_OK;
}

enum err sup_conflict_create(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                             struct problem *p)
{
    int64_t ins, ent;
    const char *reason;
    if (field_id(in, "inspector_id", "执法人员", FIELD_REQUIRED, &ins, p) ||
        field_id(in, "enterprise_id", "企业", FIELD_REQUIRED, &ent, p) ||
        field_text(in, "reason", "回避理由", 200, FIELD_REQUIRED, &reason, p))
        return p->err;
    if (!db_query_int(c->db, "SELECT 1 FROM sup_inspectors WHERE id = ?", 0, "i", ins))
        return problem_set(p, ERR_NOT_FOUND, "inspector_id", "未找到该执法人员");
    if (!sup_enterprise_exists(c->db, ent))
        return problem_set(p, ERR_NOT_FOUND, "enterprise_id", "未找到该企业");
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    if (db_run(c->db,
               "INSERT OR REPLACE INTO sup_conflicts (inspector_id, enterprise_id, reason) "
               "VALUES (?, ?, ?)",
               "iit", ins, ent, reason) ||
        sup_audit(c, "supervision.conflict.create", "sup_inspector", ins, in) || db_commit(c->db))
        return sup_internal(c, p);
    *out = json_pack("{sI sI ss}", "inspector_id", (json_int_t)ins, "enterprise_id",
                     (json_int_t)ent, "reason", reason);
    return ERR_OK;
}

enum err sup_target_class_set(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                              struct problem *p)
{
    int64_t ent;
    const char *cls, *note;
    if (field_id(in, "enterprise_id", "企业", FIELD_REQUIRED, &ent, p) ||
        field_text(in, "class_code", "监管类别", 32, FIELD_REQUIRED, &cls, p) ||
        field_text(in, "note", "说明", 200, FIELD_OPTIONAL, &note, p))
        return p->err;
    if (!sup_enterprise_exists(c->db, ent))
        return problem_set(p, ERR_NOT_FOUND, "enterprise_id", "未找到该企业");
    if (!db_query_int(c->db, "SELECT 1 FROM sup_classes WHERE code = ? AND code <> 'positive'", 0,
                      "t", cls))
        return problem_set(p, ERR_INVALID_FIELD, "class_code", "未知的监管类别 %s", cls);
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    if (db_run(c->db,
               "INSERT OR REPLACE INTO sup_target_class (enterprise_id, class_code, note) "
               "VALUES (?, ?, ?)",
               "itt", ent, cls, note) ||
        sup_audit(c, "supervision.target.class", "enterprise", ent, in) || db_commit(c->db))
        return sup_internal(c, p);
    *out = json_pack("{sI ss}", "enterprise_id", (json_int_t)ent, "class_code", cls);
    return ERR_OK;
}

/* ---- 双随机: the target pool ---- */

/* Whether the enterprise is on the positive list on date. */
static bool sup_on_positive(struct db *db, int64_t ent, const char *date)
{
    return db_query_int(
               db,
               "SELECT 1 FROM sup_pl_entries WHERE enterprise_id = ?1 AND valid_from <= ?2 "
               "AND valid_until > ?2 AND (removed_on IS NULL OR removed_on > ?2)",
               0, "it", ent, date) == 1;
}

/* The class of each enterprise for a preset on a date: the positive list
 * first, then a staff override of the same preset, then the automatic rule
 * (docs/supervision.md). Array of {enterprise_id, uscc, name, class_code,
 * automatic}. */
json_t *sup_targets(struct db *db, const char *preset, const char *date)
{
    bool jx = !strcmp(preset, "jiangxi");
    char year_ago[11];
    sup_date_add_days(date, -365, year_ago);
    json_t *rows = db_query_rows(
        db,
        "SELECT e.id AS enterprise_id, e.uscc, e.name, e.permit_no,"
        " (SELECT 1 FROM enterprise_tags t WHERE t.enterprise_id = e.id AND t.tag = '重点排污单位')"
        "  AS key_polluter,"
        " (SELECT count(*) FROM sup_penalties x WHERE x.enterprise_id = e.id AND x.decided_on > ?1"
        "  AND x.decided_on <= ?2) AS penalties,"
        " (SELECT o.class_code FROM sup_target_class o JOIN sup_classes k ON k.code = o.class_code"
        "  WHERE o.enterprise_id = e.id AND k.preset = ?3) AS override"
        " FROM enterprises e ORDER BY e.id",
        "ttt", year_ago, date, jx ? "jiangxi" : "national");
    if (!rows)
        return NULL;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        int64_t ent = json_integer_value(json_object_get(r, "enterprise_id"));
        const char *ov = json_string_value(json_object_get(r, "override"));
        const char *cls;
        bool automatic = !ov;
        if (sup_on_positive(db, ent, date))
            cls = "positive", automatic = true;
        else if (ov)
            cls = ov;
        else if (jx)
            cls = json_is_integer(json_object_get(r, "key_polluter"))   ? "jx_a"
                  : *json_string_value(json_object_get(r, "permit_no")) ? "jx_b"
                                                                        : "jx_c";
        else
            cls = json_integer_value(json_object_get(r, "penalties")) > 0 ? "special"
                  : json_is_integer(json_object_get(r, "key_polluter"))   ? "key"
                                                                          : "general";
        json_object_set_new(r, "class_code", json_string(cls));
        json_object_set_new(r, "automatic", json_boolean(automatic));
        json_object_del(r, "key_polluter");
        json_object_del(r, "penalties");
        json_object_del(r, "override");
        json_object_del(r, "permit_no");
    }
    return rows;
}

/* Conflict pairs frozen in a draw: sorted "uscc\x1flicence" strings. */
struct sup_conflicts {
    struct draw_pool pairs;
};

static int sup_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool sup_conflict_fn(void *ctx, const char *target, const char *inspector)
{
    struct sup_conflicts *cf = ctx;
    char key[2 * DRAW_KEY_MAX + 2];
    snprintf(key, sizeof key, "%s\x1f%s", target, inspector);
    const char *k = key;
    return cf->pairs.n &&
           bsearch(&k, cf->pairs.keys, cf->pairs.n, sizeof *cf->pairs.keys, sup_cmp_str);
}

static void sup_conflicts_load(json_t *arr, struct sup_conflicts *cf)
{
    draw_pool_init(&cf->pairs);
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        char key[2 * DRAW_KEY_MAX + 2];
        snprintf(key, sizeof key, "%s\x1f%s", json_string_value(json_object_get(v, "target")),
                 json_string_value(json_object_get(v, "inspector")));
        cf->pairs.keys = xrealloc(cf->pairs.keys, (cf->pairs.n + 1) * sizeof *cf->pairs.keys);
        cf->pairs.keys[cf->pairs.n++] = xstrdup(key);
    }
    if (cf->pairs.n > 1)
        qsort(cf->pairs.keys, cf->pairs.n, sizeof *cf->pairs.keys, sup_cmp_str);
}

static void sup_pool_from_json(json_t *keys, struct draw_pool *pool)
{
    draw_pool_init(pool);
    size_t i;
    json_t *v;
    json_array_foreach(keys, i, v)
    {
        const char *s = json_string_value(v);
        draw_pool_add(pool, s, strlen(s));
    }
    draw_pool_sort(pool, NULL);
}

static void sup_pool_hash_hex(const struct draw_pool *pool, char hex[2 * DRAW_HASH_BYTES + 1])
{
    uint8_t h[DRAW_HASH_BYTES];
    draw_pool_hash(pool, h);
    draw_hex(h, sizeof h, hex);
}

enum err sup_draw_create(struct sup_ctx *c, int64_t id, json_t *in, json_t **out, struct problem *p)
{
    const char *title, *period, *preset;
    char date[11];
    int64_t matter, team = 2;
    if (field_text(in, "title", "抽查任务名称", 200, FIELD_REQUIRED, &title, p) ||
        field_text(in, "period", "抽查周期", 16, FIELD_REQUIRED, &period, p) ||
        field_text(in, "preset", "分类方案", 16, FIELD_OPTIONAL, &preset, p) ||
        field_id(in, "matter_id", "抽查事项", FIELD_REQUIRED, &matter, p) ||
        sup_field_date_or(in, "draw_date", "抽取日期", c->today, date, p))
        return p->err;
    if (!*preset)
        preset = "national";
    if (strcmp(preset, "national") && strcmp(preset, "jiangxi"))
        return problem_set(p, ERR_INVALID_FIELD, "preset", "分类方案须为 national 或 jiangxi");
    json_t *tv = json_object_get(in, "team_size");
    if (tv && !json_is_null(tv)) {
        if (!json_is_integer(tv) || json_integer_value(tv) < 2 ||
            json_integer_value(tv) > DRAW_TEAM_MAX)
            return problem_set(p, ERR_INVALID_FIELD, "team_size", "检查组人数须为 2 至 8 人");
        team = json_integer_value(tv);
    }
    if (!db_query_int(c->db, "SELECT 1 FROM sup_matters WHERE id = ? AND active = 1", 0, "i",
                      matter))
        return problem_set(p, ERR_NOT_FOUND, "matter_id", "未找到该抽查事项");
    json_t *counts = json_object_get(in, "counts");
    if (counts && !json_is_null(counts) && !json_is_object(counts))
        return problem_set(p, ERR_INVALID_FIELD, "counts", "counts 须为 {类别: 数量}");

    json_t *classes =
        db_query_rows(c->db,
                      "SELECT code, name, ratio_pct FROM sup_classes WHERE preset = ? OR code = "
                      "'positive' ORDER BY code",
                      "t", strcmp(preset, "jiangxi") ? "national" : "jiangxi");
    json_t *targets = sup_targets(c->db, preset, date);
    json_t *inspectors =
        db_query_rows(c->db,
                      "SELECT licence_no, name FROM sup_inspectors WHERE active = 1 "
                      "ORDER BY licence_no",
                      "");
    json_t *conflicts =
        db_query_rows(c->db,
                      "SELECT e.uscc AS target, i.licence_no AS inspector, x.reason "
                      "FROM sup_conflicts x JOIN enterprises e ON e.id = "
                      "x.enterprise_id JOIN sup_inspectors i ON i.id = x.inspector_id "
                      "WHERE i.active = 1 ORDER BY 1, 2",
                      "");
    json_t *strata = json_array();
    enum err e = ERR_OK;
    struct draw_pool ipool;
    struct sup_conflicts cf;
    draw_pool_init(&ipool);
    draw_pool_init(&cf.pairs);
    if (!classes || !targets || !inspectors || !conflicts) {
        e = problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
        goto out;
    }
    const char *ck;
    json_t *cv;
    json_object_foreach(counts, ck, cv)
    {
        bool known = false;
        size_t i;
        json_t *k;
        json_array_foreach(classes, i, k) known |=
            !strcmp(json_string_value(json_object_get(k, "code")), ck);
        if (!known || !json_is_integer(cv) || json_integer_value(cv) < 0) {
            e = problem_set(p, ERR_INVALID_FIELD, "counts", "counts 中的类别 %.32s 未知或数量无效",
                            ck);
            goto out;
        }
    }
    size_t i;
    json_t *inspector;
    json_array_foreach(inspectors, i, inspector)
    {
        const char *lic = json_string_value(json_object_get(inspector, "licence_no"));
        draw_pool_add(&ipool, lic, strlen(lic));
    }
    draw_pool_sort(&ipool, NULL);
    sup_conflicts_load(conflicts, &cf);
    size_t total = 0;
    json_t *cls;
    json_array_foreach(classes, i, cls)
    {
        const char *code = json_string_value(json_object_get(cls, "code"));
        struct draw_pool pool;
        draw_pool_init(&pool);
        size_t j;
        json_t *t;
        json_array_foreach(
            targets, j, t) if (!strcmp(json_string_value(json_object_get(t, "class_code")), code))
        {
            const char *uscc = json_string_value(json_object_get(t, "uscc"));
            draw_pool_add(&pool, uscc, strlen(uscc));
        }
        draw_pool_sort(&pool, NULL);
        double ratio = json_number_value(json_object_get(cls, "ratio_pct"));
        json_t *explicit_n = json_object_get(counts, code);
        size_t n = explicit_n ? (size_t)json_integer_value(explicit_n)
                              : (size_t)ceil((double)pool.n * ratio / 100.0 - 1e-9);
        if (n > pool.n) {
            e = problem_set(p, ERR_DRAW_POOL_TOO_SMALL, "counts",
                            "%s 抽取 %zu 家超过名录中的 %zu 家",
                            json_string_value(json_object_get(cls, "name")), n, pool.n);
            draw_pool_free(&pool);
            goto out;
        }
        /* Every target that could be drawn must have a full team without a
         * conflict, or the committed draw could not be completed. */
        if (n)
            for (size_t k = 0; k < pool.n; k++) {
                size_t ok = 0;
                for (size_t m = 0; m < ipool.n; m++)
                    ok += !sup_conflict_fn(&cf, pool.keys[k], ipool.keys[m]);
                if (ok < (size_t)team) {
                    e = problem_set(p, ERR_INSPECTOR_CONFLICT, "team_size",
                                    "排除利害关系后，可检查 %s 的执法人员不足 %lld 人",
                                    pool.keys[k], (long long)team);
                    draw_pool_free(&pool);
                    goto out;
                }
            }
        char hex[2 * DRAW_HASH_BYTES + 1];
        sup_pool_hash_hex(&pool, hex);
        json_t *keys = json_array();
        for (size_t k = 0; k < pool.n; k++)
            json_array_append_new(keys, json_string(pool.keys[k]));
        json_array_append_new(strata, json_pack("{ss so ss sI sI}", "class_code", code, "pool",
                                                keys, "pool_hash", hex, "pool_size",
                                                (json_int_t)pool.n, "count", (json_int_t)n));
        total += n;
        draw_pool_free(&pool);
    }
    if (!total) {
        e = problem_set(p, ERR_DRAW_POOL_TOO_SMALL, "counts",
                        "本次抽取数量为 0，名录为空或比例为 0");
        goto out;
    }
    uint8_t seed[DRAW_SEED_BYTES], h[DRAW_HASH_BYTES];
    char seed_hash[2 * DRAW_HASH_BYTES + 1], ihash[2 * DRAW_HASH_BYTES + 1];
    draw_new_seed(seed);
    draw_seed_commitment(seed, h);
    draw_hex(h, sizeof h, seed_hash);
    sup_pool_hash_hex(&ipool, ihash);
    char *ipool_text = json_dumps(inspectors, JSON_COMPACT);
    char *conf_text = json_dumps(conflicts, JSON_COMPACT);
    if (db_begin(c->db)) {
        free(ipool_text);
        free(conf_text);
        e = problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
        goto out;
    }
    sqlite3_stmt *st = db_stmt(
        c->db, "INSERT INTO sup_draws (title, period, preset, matter_id, draw_date, team_size, "
               "status, seed, seed_hash, inspector_pool, inspector_hash, conflicts, created_by, "
               "created_at) VALUES (?, ?, ?, ?, ?, ?, 'committed', ?, ?, ?, ?, ?, ?, ?)");
    int rc = SQLITE_ERROR;
    if (st) {
        sqlite3_bind_text(st, 1, title, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, period, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, preset, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 4, matter);
        sqlite3_bind_text(st, 5, date, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 6, team);
        sqlite3_bind_blob(st, 7, seed, sizeof seed, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 8, seed_hash, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 9, ipool_text, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 10, ihash, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 11, conf_text, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 12, c->actor->name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 13, timeutil_now());
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : 1;
        sqlite3_reset(st);
    }
    sodium_memzero(seed, sizeof seed);
    free(ipool_text);
    free(conf_text);
    int64_t did = db_last_id(c->db);
    json_t *s;
    json_array_foreach(strata, i, s)
    {
        char *keys = json_dumps(json_object_get(s, "pool"), JSON_COMPACT);
        rc = rc || db_run(c->db,
                          "INSERT INTO sup_draw_strata (draw_id, class_code, pool, pool_hash, "
                          "pool_size, count) VALUES (?, ?, ?, ?, ?, ?)",
                          "itttii", did, json_string_value(json_object_get(s, "class_code")), keys,
                          json_string_value(json_object_get(s, "pool_hash")),
                          (int64_t)json_integer_value(json_object_get(s, "pool_size")),
                          (int64_t)json_integer_value(json_object_get(s, "count")));
        free(keys);
    }
    json_t *detail = json_pack("{ss ss ss sI}", "title", title, "period", period, "seed_sha256",
                               seed_hash, "matter_id", (json_int_t)matter);
    rc = rc || sup_audit(c, "supervision.draw.commit", "sup_draw", did, detail);
    json_decref(detail);
    if (rc || db_commit(c->db)) {
        e = sup_internal(c, p);
        goto out;
    }
    *out = sup_draw_get(c->db, did, false, &(bool){false});
out:
    draw_pool_free(&ipool);
    draw_pool_free(&cf.pairs);
    json_decref(classes);
    json_decref(targets);
    json_decref(inspectors);
    json_decref(conflicts);
    json_decref(strata);
    return e;
}

/* ---- 双随机: execute, publish, results ---- */

static json_t *sup_draw_row(struct db *db, int64_t id)
{
    return db_query_one(db,
                        "SELECT d.id, d.title, d.period, d.preset, d.matter_id, m.name AS "
                        "matter, d.draw_date, d.team_size, d.status, d.seed_hash, "
                        "d.inspector_hash, d.inspector_pool AS inspector_pool_json, "
                        "d.conflicts AS conflicts_json, d.created_by, d.created_at, d.drawn_at, "
                        "d.published_at FROM sup_draws d JOIN sup_matters m ON m.id = "
                        "d.matter_id WHERE d.id = ?",
                        "i", id);
}

static bool sup_teams_conflict(void *ctx, const char *target, const char *inspector)
{
    return sup_conflict_fn(ctx, target, inspector);
}

enum err sup_draw_execute(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                          struct problem *p)
{
    json_t *d = sup_draw_row(c->db, id);
    if (!d)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该抽查任务");
    if (strcmp(json_string_value(json_object_get(d, "status")), "committed")) {
        json_decref(d);
        return problem_set(p, ERR_INVALID_STATE, NULL, "该任务已抽取");
    }
    uint8_t seed[DRAW_SEED_BYTES] = {0};
    sqlite3_stmt *st = db_stmt(c->db, "SELECT seed FROM sup_draws WHERE id = ?");
    if (st) {
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == DRAW_SEED_BYTES)
            memcpy(seed, sqlite3_column_blob(st, 0), DRAW_SEED_BYTES);
        sqlite3_reset(st);
    }
    json_t *strata =
        db_query_rows(c->db,
                      "SELECT class_code, pool AS pool_json, count FROM sup_draw_strata "
                      "WHERE draw_id = ? ORDER BY class_code",
                      "i", id);
    struct draw_pool ipool;
    struct sup_conflicts cf;
    draw_pool_init(&ipool);
    json_t *ip = json_object_get(d, "inspector_pool");
    size_t i;
    json_t *v;
    json_array_foreach(ip, i, v)
    {
        const char *lic = json_string_value(json_object_get(v, "licence_no"));
        draw_pool_add(&ipool, lic, strlen(lic));
    }
    draw_pool_sort(&ipool, NULL);
    sup_conflicts_load(json_object_get(d, "conflicts"), &cf);
    size_t team = (size_t)json_integer_value(json_object_get(d, "team_size"));
    /* targets in order: classes ascending, each in draw order */
    json_t *targets = json_array(), *target_cls = json_array();
    enum err e = ERR_OK;
    json_t *s;
    json_array_foreach(strata, i, s)
    {
        struct draw_pool pool;
        sup_pool_from_json(json_object_get(s, "pool"), &pool);
        size_t n = (size_t)json_integer_value(json_object_get(s, "count"));
        size_t *idx = xmalloc((n + 1) * sizeof *idx);
        if (draw_select(seed, &pool, n, idx) == DRAW_OK)
            for (size_t k = 0; k < n; k++) {
                json_array_append_new(targets, json_string(pool.keys[idx[k]]));
                json_array_append(target_cls, json_object_get(s, "class_code"));
            }
        free(idx);
        draw_pool_free(&pool);
    }
    size_t nt = json_array_size(targets);
    const char **tk = xmalloc((nt + 1) * sizeof *tk);
    for (size_t k = 0; k < nt; k++)
        tk[k] = json_string_value(json_array_get(targets, k));
    size_t *teams = xmalloc((nt * team + 1) * sizeof *teams), bad = 0;
    enum draw_error de =
        draw_teams(seed, &ipool, tk, nt, team, sup_teams_conflict, &cf, teams, &bad);
    sodium_memzero(seed, sizeof seed);
    if (de) {
        e = problem_set(p, ERR_INSPECTOR_CONFLICT, NULL, "%s：%s", draw_error_message(de),
                        bad < nt ? tk[bad] : "");
        goto out;
    }
    if (db_begin(c->db)) {
        e = problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
        goto out;
    }
    int rc = 0;
    for (size_t k = 0; k < nt && !rc; k++) {
        json_t *tm = json_array();
        for (size_t m = 0; m < team; m++)
            json_array_append_new(tm, json_string(ipool.keys[teams[k * team + m]]));
        char *tm_text = json_dumps(tm, JSON_COMPACT);
        json_decref(tm);
        rc = db_run(c->db,
                    "INSERT INTO sup_draw_items (draw_id, seq, class_code, enterprise_id, "
                    "target_key, team) VALUES (?, ?, ?, (SELECT id FROM enterprises WHERE uscc "
                    "= ?4), ?4, ?)",
                    "iittt", id, (int64_t)(k + 1), json_string_value(json_array_get(target_cls, k)),
                    tk[k], tm_text);
        free(tm_text);
    }
    rc = rc || db_run(c->db, "UPDATE sup_draws SET status = 'drawn', drawn_at = ? WHERE id = ?",
                      "ii", timeutil_now(), id);
    json_t *detail = json_pack("{sI}", "targets", (json_int_t)nt);
    rc = rc || sup_audit(c, "supervision.draw.execute", "sup_draw", id, detail);
    json_decref(detail);
    if (rc || db_commit(c->db)) {
        e = sup_internal(c, p);
        goto out;
    }
    *out = sup_draw_get(c->db, id, false, &(bool){false});
out:
    free(tk);
    free(teams);
    json_decref(targets);
    json_decref(target_cls);
    json_decref(strata);
    json_decref(d);
    draw_pool_free(&ipool);
    draw_pool_free(&cf.pairs);
    return e;
}

enum err sup_draw_publish(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                          struct problem *p)
{
    const char *status = NULL;
    json_t *d = sup_draw_row(c->db, id);
    if (!d)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该抽查任务");
    status = json_string_value(json_object_get(d, "status"));
    bool drawn = !strcmp(status, "drawn");
    json_decref(d);
    if (!drawn)
        return problem_set(p, ERR_INVALID_STATE, NULL, "只有已抽取、未公开的任务可以公开");
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    if (db_run(c->db, "UPDATE sup_draws SET status = 'published', published_at = ? WHERE id = ?",
               "ii", timeutil_now(), id) ||
        sup_audit(c, "supervision.draw.publish", "sup_draw", id, NULL) || db_commit(c->db))
        return sup_internal(c, p);
    *out = sup_draw_get(c->db, id, false, &(bool){false});
    return ERR_OK;
}

static int sup_item_seq(json_t *in, int64_t *seq, struct problem *p)
{
    return field_id(in, "seq", "序号", FIELD_REQUIRED, seq, p);
}

enum err sup_draw_result(struct sup_ctx *c, int64_t id, json_t *in, json_t **out, struct problem *p)
{
    int64_t seq, insp;
    if (sup_item_seq(in, &seq, p) ||
        field_id(in, "inspection_id", "检查记录", FIELD_REQUIRED, &insp, p))
        return p->err;
    json_t *item = db_query_one(c->db,
                                "SELECT i.enterprise_id, d.status FROM sup_draw_items i JOIN "
                                "sup_draws d ON d.id = i.draw_id WHERE i.draw_id = ? AND i.seq = ?",
                                "ii", id, seq);
    if (!item)
        return problem_set(p, ERR_NOT_FOUND, "seq", "未找到该抽查对象");
    int64_t ent = json_integer_value(json_object_get(item, "enterprise_id"));
    json_decref(item);
    json_t *ins = db_query_one(c->db,
                               "SELECT inspected_on FROM sup_inspections WHERE id = ? AND "
                               "enterprise_id = ?",
                               "ii", insp, ent);
    if (!ins)
        return problem_set(p, ERR_INVALID_FIELD, "inspection_id",
                           "检查记录不存在或不属于该抽查对象");
    char date[11], due[11];
    snprintf(date, sizeof date, "%s", json_string_value(json_object_get(ins, "inspected_on")));
    json_decref(ins);
    int n = (int)sup_setting(c->db, "result_publish_workdays", 20);
    int32_t dd = calendar_add_workdays(c->cal, sup_day(date), n, NULL);
    calendar_format_date(dd, due);
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    if (db_run(c->db,
               "UPDATE sup_draw_items SET inspection_id = ?, result_date = ?, result_due = ? "
               "WHERE draw_id = ? AND seq = ?",
               "ittii", insp, date, due, id, seq) ||
        db_run(c->db, "UPDATE sup_inspections SET draw_id = ?, draw_seq = ? WHERE id = ?", "iii",
               id, seq, insp) ||
        sup_audit(c, "supervision.draw.result", "sup_draw", id, in) || db_commit(c->db))
        return sup_internal(c, p);
    *out = sup_draw_get(c->db, id, false, &(bool){false});
    return ERR_OK;
}

enum err sup_draw_result_publish(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                                 struct problem *p)
{
    int64_t seq;
    if (sup_item_seq(in, &seq, p))
        return p->err;
    json_t *item = db_query_one(c->db,
                                "SELECT i.inspection_id, d.status FROM sup_draw_items i JOIN "
                                "sup_draws d ON d.id = i.draw_id WHERE i.draw_id = ? AND i.seq = ?",
                                "ii", id, seq);
    if (!item)
        return problem_set(p, ERR_NOT_FOUND, "seq", "未找到该抽查对象");
    int64_t insp = json_integer_value(json_object_get(item, "inspection_id"));
    bool published = !strcmp(json_string_value(json_object_get(item, "status")), "published");
    json_decref(item);
    if (!insp || !published)
        return problem_set(p, ERR_INVALID_STATE, "seq", "须先公开抽取结果并登记检查结果");
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    if (db_run(c->db,
               "UPDATE sup_draw_items SET result_published_on = ? WHERE draw_id = ? AND seq = ?",
               "tii", c->today, id, seq) ||
        db_run(c->db, "UPDATE sup_inspections SET published = 1 WHERE id = ?", "i", insp) ||
        sup_audit(c, "supervision.draw.result_publish", "sup_draw", id, in) || db_commit(c->db))
        return sup_internal(c, p);
    *out = sup_draw_get(c->db, id, false, &(bool){false});
    return ERR_OK;
}

json_t *sup_draw_get(struct db *db, int64_t id, bool public_view, bool *missing)
{
    *missing = false;
    json_t *d = sup_draw_row(db, id);
    if (!d) {
        *missing = true;
        return NULL;
    }
    const char *status = json_string_value(json_object_get(d, "status"));
    bool published = !strcmp(status, "published");
    json_t *strata =
        db_query_rows(db,
                      "SELECT class_code, k.name AS class_name, pool_hash, pool_size, "
                      "count FROM sup_draw_strata s LEFT JOIN sup_classes k ON k.code = "
                      "s.class_code WHERE draw_id = ? ORDER BY class_code",
                      "i", id);
    json_object_set_new(d, "strata", strata ? strata : json_array());
    if (published) {
        sqlite3_stmt *st = db_stmt(db, "SELECT seed FROM sup_draws WHERE id = ?");
        if (st) {
            sqlite3_bind_int64(st, 1, id);
            if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == DRAW_SEED_BYTES) {
                char hex[2 * DRAW_SEED_BYTES + 1];
                draw_hex(sqlite3_column_blob(st, 0), DRAW_SEED_BYTES, hex);
                json_object_set_new(d, "seed", json_string(hex));
            }
            sqlite3_reset(st);
        }
    }
    /* The draw stays confidential until publication: the public sees the
     * commitment and the pools, staff see the targets as soon as drawn. */
    if (!public_view || published) {
        json_t *items = db_query_rows(
            db,
            "SELECT i.seq, i.class_code, i.enterprise_id, i.target_key, e.name AS enterprise, "
            "i.team AS team_json, i.inspection_id, i.result_date, i.result_due, "
            "i.result_published_on, x.result, x.findings FROM sup_draw_items i JOIN enterprises e "
            "ON e.id = i.enterprise_id LEFT JOIN sup_inspections x ON x.id = i.inspection_id "
            "WHERE i.draw_id = ? ORDER BY i.seq",
            "i", id);
        char today[11];
        timeutil_format_date(timeutil_now(), today, sizeof today);
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it)
        {
            const char *due = json_string_value(json_object_get(it, "result_due"));
            const char *pub = json_string_value(json_object_get(it, "result_published_on"));
            bool overdue = due && (pub ? strcmp(pub, due) > 0 : strcmp(today, due) > 0);
            json_object_set_new(it, "overdue", json_boolean(overdue));
            if (public_view && !pub) {
                json_object_set_new(it, "result", json_null());
                json_object_set_new(it, "findings", json_null());
            }
        }
        json_object_set_new(d, "items", items ? items : json_array());
    }
    if (public_view)
        json_object_del(d, "created_by");
    return d;
}

char *sup_draw_file(struct db *db, int64_t id, const char *which, bool public_view, bool *missing)
{
    *missing = true;
    json_t *d = sup_draw_get(db, id, public_view, missing);
    if (!d)
        return NULL;
    struct buf b;
    buf_init(&b, 0);
    bool ok = true;
    if (!strcmp(which, "inspectors")) {
        buf_puts(&b, "key,name\n");
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(d, "inspector_pool"), i, v)
            buf_printf(&b, "\"%s\",\"%s\"\n", json_string_value(json_object_get(v, "licence_no")),
                       json_string_value(json_object_get(v, "name")));
    } else if (!strcmp(which, "conflicts")) {
        buf_puts(&b, "target,inspector\n");
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(d, "conflicts"), i, v)
            buf_printf(&b, "%s,%s\n", json_string_value(json_object_get(v, "target")),
                       json_string_value(json_object_get(v, "inspector")));
    } else if (!strcmp(which, "targets")) {
        json_t *items = json_object_get(d, "items");
        ok = items != NULL;
        size_t i;
        json_t *v;
        json_array_foreach(items, i, v)
            buf_printf(&b, "%s\n", json_string_value(json_object_get(v, "target_key")));
    } else {
        json_t *s = db_query_one(db,
                                 "SELECT pool AS pool_json FROM sup_draw_strata WHERE draw_id = "
                                 "? AND class_code = ?",
                                 "it", id, which);
        ok = s != NULL;
        buf_puts(&b, "key,name\n");
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(s, "pool"), i, v)
        {
            const char *key = json_string_value(v);
            json_t *e = db_query_one(db, "SELECT name FROM enterprises WHERE uscc = ?", "t", key);
            buf_printf(&b, "%s,\"%s\"\n", key,
                       e ? json_string_value(json_object_get(e, "name")) : "");
            json_decref(e);
        }
        json_decref(s);
    }
    json_decref(d);
    if (!ok) {
        buf_free(&b);
        *missing = true;
        return NULL;
    }
    *missing = false;
    return buf_detach(&b, NULL);
}

/* ---- enforcement positive list ---- */

static json_t *sup_active_entry(struct db *db, int64_t ent, const char *date)
{
    return db_query_one(db,
                        "SELECT * FROM sup_pl_entries WHERE enterprise_id = ?1 AND valid_from <= "
                        "?2 AND valid_until > ?2 AND (removed_on IS NULL OR removed_on > ?2)",
                        "it", ent, date);
}

/* Opens a removal proposal when the enterprise is on the list (inside the
 * caller's transaction). 0, or -1 on a database error. */
static int sup_propose_removal(struct sup_ctx *c, int64_t ent, const char *reason,
                               const char *detail, const char *source, int64_t source_id)
{
    json_t *entry = sup_active_entry(c->db, ent, c->today);
    if (!entry)
        return 0;
    int64_t eid = json_integer_value(json_object_get(entry, "id"));
    json_decref(entry);
    int rc = db_run(c->db,
                    "INSERT OR IGNORE INTO sup_pl_proposals (entry_id, enterprise_id, reason, "
                    "detail, source_entity, source_id, status, created_at) VALUES (?, ?, ?, ?, "
                    "?, ?, 'open', ?)",
                    "iitttii", eid, ent, reason, detail, source, source_id, timeutil_now());
    if (rc)
        return -1;
    if (db_changes(c->db) == 0)
        return 0;
    json_t *d = json_pack("{ss ss sI}", "reason", reason, "source", source, "source_id",
                          (json_int_t)source_id);
    rc = sup_audit(c, "supervision.positive.propose_removal", "sup_pl_entry", eid, d);
    json_decref(d);
    return rc;
}

json_t *sup_positive_evaluate(struct db *db, int64_t ent, const char *date, bool *missing)
{
    *missing = !sup_enterprise_exists(db, ent);
    if (*missing)
        return NULL;
    json_t *criteria = db_query_rows(db, "SELECT * FROM sup_pl_criteria ORDER BY rowid", "");
    json_t *facts = db_query_one(db, "SELECT * FROM sup_facts WHERE enterprise_id = ?", "i", ent);
    if (!criteria)
        return NULL;
    bool all = true;
    size_t i;
    json_t *cr;
    json_array_foreach(criteria, i, cr)
    {
        const char *code = json_string_value(json_object_get(cr, "code"));
        int64_t param = json_integer_value(json_object_get(cr, "param"));
        bool enabled = json_integer_value(json_object_get(cr, "enabled")) != 0;
        char since[11], evidence[160] = "";
        sup_date_add_days(date, -(int)(param * 365), since);
        bool pass = true;
        if (!strcmp(code, "no_penalty")) {
            int64_t n =
                db_query_int(db,
                             "SELECT count(*) FROM sup_penalties WHERE enterprise_id = ? AND "
                             "decided_on > ? AND decided_on <= ?",
                             0, "itt", ent, since, date);
            pass = n == 0;
            snprintf(evidence, sizeof evidence, "近 %lld 年处罚 %lld 次", (long long)param,
                     (long long)n);
        } else if (!strcmp(code, "no_incident")) {
            int64_t n =
                db_query_int(db,
                             "SELECT count(*) FROM sup_incidents WHERE enterprise_id = ? AND "
                             "occurred_on > ? AND occurred_on <= ?",
                             0, "itt", ent, since, date);
            pass = n == 0;
            snprintf(evidence, sizeof evidence, "近 %lld 年突发环境事件 %lld 起", (long long)param,
                     (long long)n);
        } else if (!strcmp(code, "permit_reports")) {
            pass = facts && json_integer_value(json_object_get(facts, "permit_reports_ok"));
            snprintf(evidence, sizeof evidence, "%s", pass ? "已按时提交" : "未登记按时提交");
        } else if (!strcmp(code, "monitoring_online")) {
            const char *seen =
                facts ? json_string_value(json_object_get(facts, "monitoring_last_seen")) : NULL;
            bool networked =
                facts && json_integer_value(json_object_get(facts, "monitoring_networked"));
            int32_t gap = seen ? sup_day(date) - sup_day(seen) : INT32_MAX;
            pass = networked && seen && gap <= param;
            snprintf(evidence, sizeof evidence, "%s，最近在线 %s", networked ? "已联网" : "未联网",
                     seen ? seen : "无记录");
        } else if (!strcmp(code, "no_falsification")) {
            pass = !(facts && json_integer_value(json_object_get(facts, "falsification")));
            snprintf(evidence, sizeof evidence, "%s", pass ? "无弄虚作假记录" : "有弄虚作假记录");
        } else if (!strcmp(code, "no_serious_alarm")) {
            char from_ts[11];
            sup_date_add_days(date, -(int)(param * 365), from_ts);
            int64_t t0 = 0;
            timeutil_parse_date(from_ts, &t0);
            int64_t n = db_query_int(db,
                                     "SELECT count(*) FROM sup_alarms WHERE enterprise_id = ? AND "
                                     "severity = 'serious' AND status IN ('verified', 'case') AND "
                                     "observed_at >= ?",
                                     0, "ii", ent, t0);
            pass = n == 0;
            snprintf(evidence, sizeof evidence, "经核实严重报警 %lld 次", (long long)n);
        }
        json_object_set_new(cr, "pass", json_boolean(pass));
        json_object_set_new(cr, "evidence", json_string(evidence));
        if (enabled && !pass)
            all = false;
    }
    json_decref(facts);
    json_t *entry = sup_active_entry(db, ent, date);
    return json_pack("{sI ss sb so so}", "enterprise_id", (json_int_t)ent, "date", date, "eligible",
                     all, "criteria", criteria, "entry", entry ? entry : json_null());
}

enum err sup_criterion_update(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                              struct problem *p)
{
    const char *code;
    bool enabled;
    double param;
    if (field_text(in, "code", "条件", 32, FIELD_REQUIRED, &code, p) ||
        field_bool(in, "enabled", NULL, FIELD_OPTIONAL, true, &enabled, p) ||
        field_number(in, "param", "参数", 0, 3650, FIELD_REQUIRED, 0, &param, p))
        return p->err;
    if (!db_query_int(c->db, "SELECT 1 FROM sup_pl_criteria WHERE code = ?", 0, "t", code))
        return problem_set(p, ERR_NOT_FOUND, "code", "未知的条件 %s", code);
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    if (db_run(c->db, "UPDATE sup_pl_criteria SET enabled = ?, param = ? WHERE code = ?", "iit",
               (int64_t)enabled, (int64_t)param, code) ||
        sup_audit(c, "supervision.criterion.update", "sup_pl_criterion", 0, in) || db_commit(c->db))
        return sup_internal(c, p);
    *out = db_query_one(c->db, "SELECT * FROM sup_pl_criteria WHERE code = ?", "t", code);
    return ERR_OK;
}

/* The per-entry checks run after a fact changes: every failing criterion of an
 * enterprise on the list gets a removal proposal. */
static int sup_check_entry(struct sup_ctx *c, int64_t ent)
{
    bool missing;
    json_t *ev = sup_positive_evaluate(c->db, ent, c->today, &missing);
    if (!ev)
        return missing ? 0 : -1;
    int rc = 0;
    if (json_is_object(json_object_get(ev, "entry"))) {
        size_t i;
        json_t *cr;
        json_array_foreach(json_object_get(ev, "criteria"), i, cr)
        {
            if (!json_integer_value(json_object_get(cr, "enabled")) ||
                json_is_true(json_object_get(cr, "pass")))
                continue;
            char source[64];
            snprintf(source, sizeof source, "criterion:%s",
                     json_string_value(json_object_get(cr, "code")));
            rc = rc ||
                 sup_propose_removal(c, ent, json_string_value(json_object_get(cr, "name")),
                                     json_string_value(json_object_get(cr, "evidence")), source, 0);
        }
    }
    json_decref(ev);
    return rc;
}

enum err sup_facts_update(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                          struct problem *p)
{
    int64_t ent;
    bool permit, networked, falsification;
    char seen[11] = "";
    if (field_id(in, "enterprise_id", "企业", FIELD_REQUIRED, &ent, p) ||
        field_bool(in, "permit_reports_ok", NULL, FIELD_OPTIONAL, false, &permit, p) ||
        field_bool(in, "monitoring_networked", NULL, FIELD_OPTIONAL, false, &networked, p) ||
        field_bool(in, "falsification", NULL, FIELD_OPTIONAL, false, &falsification, p))
        return p->err;
    json_t *sv = json_object_get(in, "monitoring_last_seen");
    if (sv && !json_is_null(sv) &&
        field_date(in, "monitoring_last_seen", "最近在线日期", FIELD_REQUIRED, seen, p))
        return p->err;
    if (!sup_enterprise_exists(c->db, ent))
        return problem_set(p, ERR_NOT_FOUND, "enterprise_id", "未找到该企业");
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    if (db_run(c->db,
               "INSERT OR REPLACE INTO sup_facts (enterprise_id, permit_reports_ok, "
               "monitoring_networked, monitoring_last_seen, falsification, updated_at) VALUES "
               "(?, ?, ?, ?, ?, ?)",
               "iiitii", ent, (int64_t)permit, (int64_t)networked, *seen ? seen : NULL,
               (int64_t)falsification, timeutil_now()) ||
        sup_audit(c, "supervision.facts.update", "enterprise", ent, in) ||
        sup_check_entry(c, ent) || db_commit(c->db))
        return sup_internal(c, p);
    *out = db_query_one(c->db, "SELECT * FROM sup_facts WHERE enterprise_id = ?", "i", ent);
    return ERR_OK;
}

enum err sup_positive_include(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                              struct problem *p)
{
    int64_t ent;
    const char *decision;
    char from[11], until[11];
    if (field_id(in, "enterprise_id", "企业", FIELD_REQUIRED, &ent, p) ||
        field_text(in, "decision_no", "决定文号", 64, FIELD_REQUIRED, &decision, p) ||
        sup_field_date_or(in, "valid_from", "生效日期", c->today, from, p))
        return p->err;
    if (sup_check_backdated(c, "positive", from, p))
        return p->err;
    bool missing;
    json_t *ev = sup_positive_evaluate(c->db, ent, from, &missing);
    if (!ev)
        return missing ? problem_set(p, ERR_NOT_FOUND, "enterprise_id", "未找到该企业")
                       : problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    if (json_is_object(json_object_get(ev, "entry"))) {
        json_decref(ev);
        return problem_set(p, ERR_CONFLICT, "enterprise_id", "该企业已在正面清单内");
    }
    if (!json_is_true(json_object_get(ev, "eligible"))) {
        char failed[200] = "";
        size_t i;
        json_t *cr;
        json_array_foreach(json_object_get(ev, "criteria"), i,
                           cr) if (json_integer_value(json_object_get(cr, "enabled")) &&
                                   !json_is_true(json_object_get(cr, "pass")))
            snprintf(failed + strlen(failed), sizeof failed - strlen(failed), "%s%s",
                     *failed ? "；" : "", json_string_value(json_object_get(cr, "name")));
        json_decref(ev);
        return problem_set(p, ERR_CRITERIA_NOT_MET, "enterprise_id", "不符合纳入条件：%s", failed);
    }
    int32_t u = credit_add_months(sup_day(from),
                                  12 * (int)sup_setting(c->db, "positive_validity_years", 3));
    calendar_format_date(u, until);
    char *evtext = json_dumps(json_object_get(ev, "criteria"), JSON_COMPACT);
    json_decref(ev);
    if (db_begin(c->db)) {
        free(evtext);
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    int rc = db_run(c->db,
                    "INSERT INTO sup_pl_entries (enterprise_id, decision_no, valid_from, "
                    "valid_until, evaluation, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    "itttti", ent, decision, from, until, evtext, timeutil_now());
    free(evtext);
    int64_t eid = db_last_id(c->db);
    if (rc || sup_audit(c, "supervision.positive.include", "sup_pl_entry", eid, in) ||
        db_commit(c->db))
        return sup_internal(c, p);
    *out = db_query_one(c->db, "SELECT * FROM sup_pl_entries WHERE id = ?", "i", eid);
    return ERR_OK;
}

enum err sup_proposal_decide(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                             struct problem *p)
{
    bool accept;
    const char *note;
    if (field_bool(in, "accept", NULL, FIELD_OPTIONAL, false, &accept, p) ||
        field_text(in, "note", "说明", 500, FIELD_REQUIRED | FIELD_MULTILINE, &note, p))
        return p->err;
    if (!json_is_boolean(json_object_get(in, "accept")))
        return problem_set(p, ERR_INVALID_FIELD, "accept", "须说明是否移出（accept: true/false）");
    json_t *pr = db_query_one(c->db, "SELECT * FROM sup_pl_proposals WHERE id = ?", "i", id);
    if (!pr)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该移出建议");
    bool open = !strcmp(json_string_value(json_object_get(pr, "status")), "open");
    int64_t eid = json_integer_value(json_object_get(pr, "entry_id"));
    char reason[300];
    snprintf(reason, sizeof reason, "%s：%s", json_string_value(json_object_get(pr, "reason")),
             note);
    json_decref(pr);
    if (!open)
        return problem_set(p, ERR_INVALID_STATE, NULL, "该建议已处理");
    if (accept && sup_check_backdated(c, "positive", c->today, p))
        return p->err;
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    int rc = db_run(c->db,
                    "UPDATE sup_pl_proposals SET status = ?, decided_note = ?, decided_at = ? "
                    "WHERE id = ?",
                    "ttii", accept ? "accepted" : "rejected", note, timeutil_now(), id);
    if (accept) {
        rc = rc || db_run(c->db,
                          "UPDATE sup_pl_entries SET removed_on = ?, removal_reason = ? WHERE id "
                          "= ? AND removed_on IS NULL",
                          "tti", c->today, reason, eid);
        /* The entry is gone: its other open proposals are settled with it. */
        rc = rc || db_run(c->db,
                          "UPDATE sup_pl_proposals SET status = 'accepted', decided_note = "
                          "'随同移出', decided_at = ? WHERE entry_id = ? AND status = 'open'",
                          "ii", timeutil_now(), eid);
    }
    if (rc ||
        sup_audit(c, accept ? "supervision.positive.remove" : "supervision.proposal.reject",
                  "sup_pl_entry", eid, in) ||
        db_commit(c->db))
        return sup_internal(c, p);
    *out = db_query_one(c->db, "SELECT * FROM sup_pl_proposals WHERE id = ?", "i", id);
    return ERR_OK;
}

enum err sup_positive_scan(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                           struct problem *p)
{
    json_t *ents =
        db_query_rows(c->db,
                      "SELECT DISTINCT enterprise_id FROM sup_pl_entries WHERE valid_from "
                      "<= ?1 AND valid_until > ?1 AND removed_on IS NULL",
                      "t", c->today);
    if (!ents || db_begin(c->db)) {
        json_decref(ents);
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    int64_t before = db_query_int(c->db, "SELECT count(*) FROM sup_pl_proposals", 0, "");
    size_t i;
    json_t *e;
    int rc = 0;
    json_array_foreach(ents, i, e) rc =
        rc || sup_check_entry(c, json_integer_value(json_object_get(e, "enterprise_id")));
    int64_t after = db_query_int(c->db, "SELECT count(*) FROM sup_pl_proposals", 0, "");
    json_decref(ents);
    if (rc || db_commit(c->db))
        return sup_internal(c, p);
    *out =
        json_pack("{sI sI}", "checked", (json_int_t)i, "proposals", (json_int_t)(after - before));
    return ERR_OK;
}

/* ---- EIA preparer credit ---- */

enum err sup_preparer_create(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                             struct problem *p)
{
    const char *kind, *name, *code;
    int64_t employer;
    char reg[11];
    if (field_text(in, "kind", "类型", 16, FIELD_REQUIRED, &kind, p) ||
        field_text(in, "name", "名称", 200, FIELD_REQUIRED, &name, p) ||
        field_text(in, "code", "统一社会信用代码或信用编号", 64, FIELD_REQUIRED, &code, p) ||
        field_id(in, "employer_id", "所在单位", FIELD_OPTIONAL, &employer, p) ||
        field_date(in, "registered_on", "诚信档案建立日期", FIELD_REQUIRED, reg, p))
        return p->err;
    if (strcmp(kind, "unit") && strcmp(kind, "person"))
        return problem_set(p, ERR_INVALID_FIELD, "kind",
                           "类型须为 unit（编制单位）或 person（编制人员）");
    if (employer &&
        !db_query_int(c->db, "SELECT 1 FROM sup_preparers WHERE id = ? AND kind = 'unit'", 0, "i",
                      employer))
        return problem_set(p, ERR_INVALID_FIELD, "employer_id", "所在单位须为已登记的编制单位");
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    int rc = db_run(c->db,
                    "INSERT INTO sup_preparers (kind, name, code, employer_id, registered_on, "
                    "created_at) VALUES (?, ?, ?, NULLIF(?, 0), ?, ?)",
                    "tttiti", kind, name, code, employer, reg, timeutil_now());
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        db_rollback(c->db);
        return problem_set(p, ERR_CONFLICT, "code", "编号 %s 已登记", code);
    }
    int64_t nid = db_last_id(c->db);
    if (rc || sup_audit(c, "supervision.preparer.create", "sup_preparer", nid, in) ||
        db_commit(c->db))
        return sup_internal(c, p);
    *out = sup_preparer_get(c->db, nid, c->today, &(bool){false});
    return ERR_OK;
}

enum err sup_credit_event_create(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                                 struct problem *p)
{
    const char *code, *decision, *note;
    char eff[11], until[11] = "";
    bool life;
    if (field_text(in, "behaviour", "失信行为", 16, FIELD_REQUIRED, &code, p) ||
        field_text(in, "decision_no", "决定文号", 64, FIELD_REQUIRED, &decision, p) ||
        field_text(in, "note", "说明", 500, FIELD_MULTILINE, &note, p) ||
        field_date(in, "effective_on", "生效日期", FIELD_REQUIRED, eff, p) ||
        field_bool(in, "life", NULL, FIELD_OPTIONAL, false, &life, p))
        return p->err;
    json_t *pr =
        db_query_one(c->db, "SELECT kind, registered_on FROM sup_preparers WHERE id = ?", "i", id);
    if (!pr)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该编制单位或人员");
    char kind[8], reg[11];
    snprintf(kind, sizeof kind, "%s", json_string_value(json_object_get(pr, "kind")));
    snprintf(reg, sizeof reg, "%s", json_string_value(json_object_get(pr, "registered_on")));
    json_decref(pr);
    json_t *b = db_query_one(c->db, "SELECT * FROM sup_behaviours WHERE code = ?", "t", code);
    if (!b)
        return problem_set(p, ERR_UNKNOWN_BEHAVIOUR, "behaviour", "记分办法中没有失信行为 %s",
                           code);
    const char *subject = json_string_value(json_object_get(b, "subject"));
    int64_t points = json_integer_value(json_object_get(b, "points"));
    bool ban = json_integer_value(json_object_get(b, "ban")) != 0;
    bool subject_ok = !strcmp(subject, "any") || !strcmp(subject, kind);
    json_decref(b);
    if (!subject_ok)
        return problem_set(p, ERR_UNKNOWN_BEHAVIOUR, "behaviour", "失信行为 %s 不适用于%s", code,
                           strcmp(kind, "unit") ? "编制人员" : "编制单位");
    if (strcmp(eff, reg) < 0)
        return problem_set(p, ERR_INVALID_FIELD, "effective_on", "生效日期早于诚信档案建立日期 %s",
                           reg);
    if (ban && !life && field_date(in, "ban_until", "禁止从业截止日期", FIELD_REQUIRED, until, p))
        return p->err;
    if (ban && !life && strcmp(until, eff) < 0)
        return problem_set(p, ERR_INVALID_FIELD, "ban_until", "禁止从业截止日期早于生效日期");
    if (sup_check_backdated(c, "preparer", eff, p))
        return p->err;
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    int rc = db_run(c->db,
                    "INSERT INTO sup_credit_events (preparer_id, behaviour, points, ban, "
                    "effective_on, ban_until, decision_no, note, created_at) VALUES (?, ?, ?, ?, "
                    "?, ?, ?, ?, ?)",
                    "itiitttti", id, code, points, (int64_t)ban, eff,
                    ban ? (life ? "forever" : until) : NULL, decision, note, timeutil_now());
    int64_t nid = db_last_id(c->db);
    if (rc || sup_audit(c, "supervision.credit.score", "sup_preparer", id, in) || db_commit(c->db))
        return sup_internal(c, p);
    (void)nid;
    *out = sup_preparer_get(c->db, id, c->today, &(bool){false});
    return ERR_OK;
}

enum err sup_preparer_report_create(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                                    struct problem *p)
{
    const char *ref;
    char day[11];
    if (field_text(in, "ref", "项目编号", 64, FIELD_REQUIRED, &ref, p) ||
        field_date(in, "approved_on", "批准日期", FIELD_REQUIRED, day, p))
        return p->err;
    if (!db_query_int(c->db, "SELECT 1 FROM sup_preparers WHERE id = ?", 0, "i", id))
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该编制单位或人员");
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    if (db_run(c->db,
               "INSERT OR IGNORE INTO sup_preparer_reports (preparer_id, ref, approved_on) "
               "VALUES (?, ?, ?)",
               "itt", id, ref, day) ||
        sup_audit(c, "supervision.credit.report", "sup_preparer", id, in) || db_commit(c->db))
        return sup_internal(c, p);
    *out = sup_preparer_get(c->db, id, c->today, &(bool){false});
    return ERR_OK;
}

enum err sup_publication_create(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                                struct problem *p)
{
    const char *list;
    char through[11];
    if (field_text(in, "list", "名单", 16, FIELD_REQUIRED, &list, p) ||
        sup_field_date_or(in, "through", "公布截止日期", c->today, through, p))
        return p->err;
    if (strcmp(list, "positive") && strcmp(list, "preparer") && strcmp(list, "institution"))
        return problem_set(p, ERR_INVALID_FIELD, "list",
                           "名单须为 positive、preparer 或 institution");
    if (strcmp(through, c->today) > 0)
        return problem_set(p, ERR_INVALID_FIELD, "through", "不能公布未来的期间");
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    if (db_run(c->db,
               "INSERT INTO sup_publications (list, through, published_at, published_by) VALUES "
               "(?, ?, ?, ?)",
               "ttit", list, through, timeutil_now(), c->actor->name))
        return sup_internal(c, p);
    int64_t nid = db_last_id(c->db);
    if (sup_audit(c, "supervision.list.publish", "sup_publication", nid, in) || db_commit(c->db))
        return sup_internal(c, p);
    *out = db_query_one(c->db, "SELECT * FROM sup_publications WHERE id = ?", "i", nid);
    return ERR_OK;
}

/* Loads a preparer's decisions and reports and evaluates them as of date. */
static int sup_preparer_eval(struct db *db, int64_t id, int32_t asof, int32_t *registered,
                             struct credit_result *res)
{
    json_t *pr = db_query_one(db, "SELECT registered_on FROM sup_preparers WHERE id = ?", "i", id);
    if (!pr)
        return -1;
    *registered = sup_day(json_string_value(json_object_get(pr, "registered_on")));
    json_decref(pr);
    json_t *evs = db_query_rows(db,
                                "SELECT id, points, ban, effective_on, ban_until FROM "
                                "sup_credit_events WHERE preparer_id = ? ORDER BY effective_on, id",
                                "i", id);
    json_t *reps = db_query_rows(
        db, "SELECT approved_on FROM sup_preparer_reports WHERE preparer_id = ?", "i", id);
    if (!evs || !reps) {
        json_decref(evs);
        json_decref(reps);
        return -1;
    }
    size_t ne = json_array_size(evs), nr = json_array_size(reps);
    struct credit_event *ev = xcalloc(ne + 1, sizeof *ev);
    int32_t *rp = xcalloc(nr + 1, sizeof *rp);
    for (size_t i = 0; i < ne; i++) {
        json_t *e = json_array_get(evs, i);
        ev[i].day = sup_day(json_string_value(json_object_get(e, "effective_on")));
        ev[i].points = (int)json_integer_value(json_object_get(e, "points"));
        ev[i].ban = json_integer_value(json_object_get(e, "ban")) != 0;
        const char *u = json_string_value(json_object_get(e, "ban_until"));
        ev[i].ban_end = !u ? 0 : !strcmp(u, "forever") ? CREDIT_FOREVER : sup_day(u);
        ev[i].ref = json_integer_value(json_object_get(e, "id"));
    }
    for (size_t i = 0; i < nr; i++)
        rp[i] = sup_day(json_string_value(json_object_get(json_array_get(reps, i), "approved_on")));
    struct credit_rules rules;
    credit_rules_default(&rules);
    rules.warning = (int)sup_setting(db, "credit_warning", 10);
    rules.limit = (int)sup_setting(db, "credit_limit", 20);
    int rc = credit_evaluate(&rules, *registered, ev, ne, rp, nr, asof, res);
    free(ev);
    free(rp);
    json_decref(evs);
    json_decref(reps);
    return rc;
}

static json_t *sup_intervals_json(const struct credit_result *res, int32_t asof)
{
    json_t *a = json_array();
    for (size_t i = 0; i < res->n; i++) {
        char s[11], e[11];
        calendar_format_date(res->iv[i].start, s);
        if (res->iv[i].end != CREDIT_FOREVER)
            calendar_format_date(res->iv[i].end - 1, e);
        bool current = res->iv[i].start <= asof && asof < res->iv[i].end;
        json_array_append_new(
            a, json_pack("{ss ss ss so sb sI}", "list", credit_list_code(res->iv[i].list),
                         "list_name", credit_list_name(res->iv[i].list), "from", s, "until",
                         res->iv[i].end == CREDIT_FOREVER ? json_null() : json_string(e), "current",
                         current, "event_id", (json_int_t)res->iv[i].ref));
    }
    return a;
}

json_t *sup_preparer_get(struct db *db, int64_t id, const char *date, bool *missing)
{
    *missing = false;
    json_t *pr = db_query_one(db, "SELECT * FROM sup_preparers WHERE id = ?", "i", id);
    if (!pr) {
        *missing = true;
        return NULL;
    }
    int32_t asof = sup_day(date), reg;
    struct credit_result res;
    if (sup_preparer_eval(db, id, asof, &reg, &res)) {
        json_decref(pr);
        return NULL;
    }
    char cs[11], ce[11];
    calendar_format_date(res.cycle_start, cs);
    calendar_format_date(res.cycle_end - 1, ce);
    json_object_set_new(pr, "as_of", json_string(date));
    json_object_set_new(pr, "cycle",
                        json_pack("{ss ss si}", "from", cs, "until", ce, "points", res.points));
    json_object_set_new(pr, "lists", sup_intervals_json(&res, asof));
    credit_result_free(&res);
    json_object_set_new(
        pr, "events",
        db_query_rows(db,
                      "SELECT c.*, b.name AS behaviour_name FROM sup_credit_events c "
                      "JOIN sup_behaviours b ON b.code = c.behaviour WHERE "
                      "preparer_id = ? ORDER BY effective_on, c.id",
                      "i", id));
    json_object_set_new(pr, "reports",
                        db_query_rows(db,
                                      "SELECT ref, approved_on FROM sup_preparer_reports WHERE "
                                      "preparer_id = ? ORDER BY approved_on",
                                      "i", id));
    return pr;
}

int credit_preparer_blocked(struct db *db, int64_t preparer_id, const char *date, char *reason,
                            size_t reason_len)
{
    int32_t asof = sup_day(date), reg;
    if (asof == CALENDAR_DAY_INVALID) {
        if (reason)
            snprintf(reason, reason_len, "日期无效");
        return -1;
    }
    struct credit_result res;
    if (sup_preparer_eval(db, preparer_id, asof, &reg, &res)) {
        if (reason)
            snprintf(reason, reason_len, "未找到编制单位或人员 %lld", (long long)preparer_id);
        return -1;
    }
    int blocked = 0;
    for (size_t i = 0; i < res.n && !blocked; i++) {
        const struct credit_interval *iv = &res.iv[i];
        if ((iv->list == CREDIT_RECTIFY || iv->list == CREDIT_BLACK) && iv->start <= asof &&
            asof < iv->end) {
            blocked = 1;
            if (reason) {
                char s[11], e[11] = "长期";
                calendar_format_date(iv->start, s);
                if (iv->end != CREDIT_FOREVER)
                    calendar_format_date(iv->end - 1, e);
                snprintf(reason, reason_len, "列入%s（%s 至 %s），依部令第9号第二十条不予受理",
                         credit_list_name(iv->list), s, e);
            }
        }
    }
    if (!blocked && reason)
        snprintf(reason, reason_len, "未列入限期整改名单或黑名单");
    credit_result_free(&res);
    return blocked;
}

int credit_preparer_blocked_code(struct db *db, const char *code, const char *date, char *reason,
                                 size_t reason_len)
{
    int64_t id = db_query_int(db, "SELECT id FROM sup_preparers WHERE code = ?", 0, "t", code);
    if (!id) {
        if (reason)
            snprintf(reason, reason_len, "未在信用平台登记");
        return -1;
    }
    return credit_preparer_blocked(db, id, date, reason, reason_len);
}

/* ---- monitoring institutions ---- */

enum err sup_institution_create(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                                struct problem *p)
{
    const char *name, *uscc;
    if (field_text(in, "name", "机构名称", 200, FIELD_REQUIRED, &name, p) ||
        field_text(in, "uscc", "统一社会信用代码", 18, FIELD_REQUIRED, &uscc, p))
        return p->err;
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    int rc = db_run(c->db, "INSERT INTO sup_institutions (name, uscc, created_at) VALUES (?, ?, ?)",
                    "tti", name, uscc, timeutil_now());
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        db_rollback(c->db);
        return problem_set(p, ERR_CONFLICT, "uscc", "该机构已登记");
    }
    int64_t nid = db_last_id(c->db);
    if (rc || sup_audit(c, "supervision.institution.create", "sup_institution", nid, in) ||
        db_commit(c->db))
        return sup_internal(c, p);
    *out = db_query_one(c->db, "SELECT * FROM sup_institutions WHERE id = ?", "i", nid);
    return ERR_OK;
}

enum err sup_evidence_create(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                             struct problem *p)
{
    const char *item, *note;
    char day[11];
    if (field_text(in, "item", "评分项", 16, FIELD_REQUIRED, &item, p) ||
        field_text(in, "note", "证据说明", 500, FIELD_REQUIRED | FIELD_MULTILINE, &note, p) ||
        field_date(in, "occurred_on", "发生日期", FIELD_REQUIRED, day, p))
        return p->err;
    if (!db_query_int(c->db, "SELECT 1 FROM sup_institutions WHERE id = ?", 0, "i", id))
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该机构");
    json_t *it = db_query_one(c->db, "SELECT * FROM sup_mon_items WHERE code = ?", "t", item);
    if (!it)
        return problem_set(p, ERR_UNKNOWN_BEHAVIOUR, "item", "评分模型中没有评分项 %s", item);
    double pts = json_number_value(json_object_get(it, "points"));
    char kind[8];
    snprintf(kind, sizeof kind, "%s", json_string_value(json_object_get(it, "kind")));
    json_decref(it);
    if (sup_check_backdated(c, "institution", day, p))
        return p->err;
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    if (db_run(c->db,
               "INSERT INTO sup_mon_evidence (institution_id, item, points, kind, occurred_on, "
               "note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
               "itdttti", id, item, pts, kind, day, note, timeutil_now()) ||
        sup_audit(c, "supervision.institution.evidence", "sup_institution", id, in) ||
        db_commit(c->db))
        return sup_internal(c, p);
    *out = json_pack("{sI ss}", "institution_id", (json_int_t)id, "item", item);
    return ERR_OK;
}

json_t *sup_institutions(struct db *db, int year)
{
    char from[11], to[11];
    snprintf(from, sizeof from, "%04d-01-01", year);
    snprintf(to, sizeof to, "%04d-12-31", year);
    json_t *rows = db_query_rows(
        db,
        "SELECT i.id, i.name, i.uscc,"
        " coalesce((SELECT sum(CASE kind WHEN 'bonus' THEN points WHEN 'deduct' THEN -points ELSE 0"
        " END) FROM sup_mon_evidence e WHERE e.institution_id = i.id AND occurred_on BETWEEN ?1 AND"
        " ?2), 0) AS delta,"
        " (SELECT count(*) FROM sup_mon_evidence e WHERE e.institution_id = i.id AND kind = 'veto'"
        " AND occurred_on BETWEEN ?1 AND ?2) AS vetoes"
        " FROM sup_institutions i ORDER BY i.id",
        "tt", from, to);
    if (!rows)
        return NULL;
    double base = (double)sup_setting(db, "mon_base_score", 100);
    double a = (double)sup_setting(db, "mon_grade_a", 90),
           b = (double)sup_setting(db, "mon_grade_b", 80),
           cc = (double)sup_setting(db, "mon_grade_c", 60);
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        double score = base + json_number_value(json_object_get(r, "delta"));
        bool veto = json_integer_value(json_object_get(r, "vetoes")) > 0;
        char g[2] = {credit_grade(score, veto, a, b, cc), 0};
        json_object_set_new(r, "year", json_integer(year));
        json_object_set_new(r, "score", json_real(score));
        json_object_set_new(r, "grade", json_string(g));
        json_object_set_new(r, "board",
                            json_string(g[0] == 'A'   ? "red"
                                        : g[0] == 'D' ? "black"
                                                      : ""));
        json_object_set_new(
            r, "evidence",
            db_query_rows(db,
                          "SELECT e.item, m.name, e.kind, e.points, e.occurred_on, "
                          "e.note FROM sup_mon_evidence e JOIN sup_mon_items m ON "
                          "m.code = e.item WHERE institution_id = ? AND occurred_on "
                          "BETWEEN ? AND ? ORDER BY occurred_on",
                          "itt", json_integer_value(json_object_get(r, "id")), from, to));
    }
    return rows;
}

/* ---- inspections, rectifications, penalties, incidents ---- */

enum err sup_inspection_create(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                               struct problem *p)
{
    int64_t ent;
    const char *findings, *result;
    char day[11];
    if (field_id(in, "enterprise_id", "企业", FIELD_REQUIRED, &ent, p) ||
        sup_field_date_or(in, "inspected_on", "检查日期", c->today, day, p) ||
        field_text(in, "findings", "检查情况", SUP_TEXT_MAX, FIELD_REQUIRED | FIELD_MULTILINE,
                   &findings, p) ||
        field_text(in, "result", "检查结论", 16, FIELD_REQUIRED, &result, p))
        return p->err;
    if (strcmp(result, "compliant") && strcmp(result, "issues"))
        return problem_set(p, ERR_INVALID_FIELD, "result", "检查结论须为 compliant 或 issues");
    if (!sup_enterprise_exists(c->db, ent))
        return problem_set(p, ERR_NOT_FOUND, "enterprise_id", "未找到该企业");
    json_t *ids = json_object_get(in, "inspector_ids");
    if (!json_is_array(ids) || json_array_size(ids) < 2 || json_array_size(ids) > DRAW_TEAM_MAX)
        return problem_set(p, ERR_INVALID_FIELD, "inspector_ids", "检查须有 2 至 8 名执法人员");
    json_t *names = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v)
    {
        json_t *ins = json_is_integer(v)
                          ? db_query_one(c->db,
                                         "SELECT name, licence_no FROM "
                                         "sup_inspectors WHERE id = ? AND active = 1",
                                         "i", json_integer_value(v))
                          : NULL;
        if (!ins) {
            json_decref(names);
            return problem_set(p, ERR_INVALID_FIELD, "inspector_ids", "执法人员不存在或已停用");
        }
        bool dup = false;
        for (size_t k = 0; k < i; k++)
            dup |= json_integer_value(json_array_get(ids, k)) == json_integer_value(v);
        if (dup) {
            json_decref(ins);
            json_decref(names);
            return problem_set(p, ERR_INVALID_FIELD, "inspector_ids", "执法人员重复");
        }
        if (db_query_int(c->db,
                         "SELECT 1 FROM sup_conflicts WHERE inspector_id = ? AND enterprise_id = ?",
                         0, "ii", json_integer_value(v), ent)) {
            problem_set(p, ERR_INSPECTOR_CONFLICT, "inspector_ids",
                        "执法人员 %s 与该企业有利害关系，应当回避",
                        json_string_value(json_object_get(ins, "name")));
            json_decref(ins);
            json_decref(names);
            return p->err;
        }
        json_array_append_new(names, ins);
    }
    json_t *photos = json_object_get(in, "photos");
    if (photos && !json_is_null(photos)) {
        if (!json_is_array(photos) || json_array_size(photos) > 20)
            return json_decref(names),
                   problem_set(p, ERR_INVALID_FIELD, "photos", "照片须为不超过 20 项的列表");
        json_array_foreach(photos, i, v) if (!json_is_string(v) ||
                                             text_check_field(json_string_value(v), 300,
                                                              false)) return json_decref(names),
            problem_set(p, ERR_INVALID_FIELD, "photos", "照片引用无效");
    }
    json_t *rect = json_object_get(in, "rectification");
    const char *req = NULL;
    char due[11] = "";
    if (rect && !json_is_null(rect)) {
        if (!json_is_object(rect) ||
            field_text(rect, "requirement", "整改要求", SUP_TEXT_MAX,
                       FIELD_REQUIRED | FIELD_MULTILINE, &req, p) ||
            field_date(rect, "due_on", "整改期限", FIELD_REQUIRED, due, p)) {
            json_decref(names);
            return p->err ? p->err
                          : problem_set(p, ERR_INVALID_FIELD, "rectification", "整改令格式错误");
        }
    }
    char *names_text = json_dumps(names, JSON_COMPACT);
    char *photos_text =
        json_dumps(photos && json_is_array(photos) ? photos : json_array(), JSON_COMPACT);
    json_decref(names);
    if (db_begin(c->db)) {
        free(names_text);
        free(photos_text);
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    int rc = db_run(c->db,
                    "INSERT INTO sup_inspections (enterprise_id, inspected_on, inspectors, "
                    "findings, result, photos, created_by, created_at) VALUES (?, ?, ?, ?, ?, "
                    "?, ?, ?)",
                    "itttttti", ent, day, names_text, findings, result, photos_text, c->actor->name,
                    timeutil_now());
    free(names_text);
    free(photos_text);
    int64_t nid = db_last_id(c->db);
    if (req)
        rc = rc || db_run(c->db,
                          "INSERT INTO sup_rectifications (enterprise_id, inspection_id, "
                          "requirement, due_on, status, created_at) VALUES (?, ?, ?, ?, 'open', ?)",
                          "iitti", ent, nid, req, due, timeutil_now());
    if (rc || sup_audit(c, "supervision.inspection.create", "sup_inspection", nid, in) ||
        db_commit(c->db))
        return sup_internal(c, p);
    *out = db_query_one(c->db,
                        "SELECT id, enterprise_id, inspected_on, inspectors AS inspectors_json, "
                        "findings, result, photos AS photos_json FROM sup_inspections WHERE id = ?",
                        "i", nid);
    return ERR_OK;
}

enum err sup_rectification_done(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                                struct problem *p)
{
    const char *evidence;
    char day[11];
    if (field_text(in, "evidence", "整改佐证", SUP_TEXT_MAX, FIELD_REQUIRED | FIELD_MULTILINE,
                   &evidence, p) ||
        sup_field_date_or(in, "done_on", "完成日期", c->today, day, p))
        return p->err;
    json_t *r = db_query_one(c->db, "SELECT status FROM sup_rectifications WHERE id = ?", "i", id);
    if (!r)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该整改事项");
    bool open = !strcmp(json_string_value(json_object_get(r, "status")), "open");
    json_decref(r);
    if (!open)
        return problem_set(p, ERR_INVALID_STATE, NULL, "该整改事项已完成");
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    if (db_run(c->db,
               "UPDATE sup_rectifications SET status = 'done', evidence = ?, done_on = ? WHERE "
               "id = ?",
               "tti", evidence, day, id) ||
        sup_audit(c, "supervision.rectification.done", "sup_rectification", id, in) ||
        db_commit(c->db))
        return sup_internal(c, p);
    *out = db_query_one(c->db, "SELECT * FROM sup_rectifications WHERE id = ?", "i", id);
    return ERR_OK;
}

enum err sup_penalty_create(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                            struct problem *p)
{
    int64_t ent, case_id;
    const char *decision, *violation, *basis, *measures;
    char day[11];
    double amount;
    if (field_id(in, "enterprise_id", "企业", FIELD_REQUIRED, &ent, p) ||
        field_text(in, "decision_no", "处罚决定书文号", 64, FIELD_REQUIRED, &decision, p) ||
        field_date(in, "decided_on", "决定日期", FIELD_REQUIRED, day, p) ||
        field_text(in, "violation", "违法行为", SUP_TEXT_MAX, FIELD_REQUIRED | FIELD_MULTILINE,
                   &violation, p) ||
        field_text(in, "basis", "处罚依据", 500, FIELD_MULTILINE, &basis, p) ||
        field_text(in, "measures", "其他处罚", 500, FIELD_MULTILINE, &measures, p) ||
        field_number(in, "amount_yuan", "罚款金额（元）", 0, 1e10, FIELD_REQUIRED, 0, &amount, p) ||
        field_id(in, "case_id", "案件", FIELD_OPTIONAL, &case_id, p))
        return p->err;
    if (!sup_enterprise_exists(c->db, ent))
        return problem_set(p, ERR_NOT_FOUND, "enterprise_id", "未找到该企业");
    if (strcmp(day, c->today) > 0)
        return problem_set(p, ERR_INVALID_FIELD, "decided_on", "决定日期不能晚于今天");
    if (case_id &&
        !db_query_int(c->db, "SELECT 1 FROM sup_cases WHERE id = ? AND enterprise_id = ?", 0, "ii",
                      case_id, ent))
        return problem_set(p, ERR_INVALID_FIELD, "case_id", "案件不存在或不属于该企业");
    int64_t fen = llround(amount * 100);
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    int rc = db_run(c->db,
                    "INSERT INTO sup_penalties (enterprise_id, decision_no, decided_on, "
                    "violation, basis, amount_fen, measures, case_id, created_at) VALUES (?, ?, "
                    "?, ?, ?, ?, ?, NULLIF(?, 0), ?)",
                    "ittttitii", ent, decision, day, violation, basis, fen, measures, case_id,
                    timeutil_now());
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        db_rollback(c->db);
        return problem_set(p, ERR_CONFLICT, "decision_no", "处罚决定书文号 %s 已存在", decision);
    }
    int64_t nid = db_last_id(c->db);
    char detail[300];
    snprintf(detail, sizeof detail, "%s %s，罚款 %.2f 元", decision, day, amount);
    if (rc || sup_audit(c, "supervision.penalty.create", "sup_penalty", nid, in) ||
        sup_propose_removal(c, ent, "受到环境行政处罚", detail, "penalty", nid) || db_commit(c->db))
        return sup_internal(c, p);
    *out = db_query_one(c->db, "SELECT * FROM sup_penalties WHERE id = ?", "i", nid);
    return ERR_OK;
}

enum err sup_incident_create(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                             struct problem *p)
{
    int64_t ent;
    const char *level, *desc;
    char day[11];
    if (field_id(in, "enterprise_id", "企业", FIELD_REQUIRED, &ent, p) ||
        field_date(in, "occurred_on", "发生日期", FIELD_REQUIRED, day, p) ||
        field_text(in, "level", "事件级别", 32, FIELD_REQUIRED, &level, p) ||
        field_text(in, "description", "事件描述", SUP_TEXT_MAX, FIELD_REQUIRED | FIELD_MULTILINE,
                   &desc, p))
        return p->err;
    if (!sup_enterprise_exists(c->db, ent))
        return problem_set(p, ERR_NOT_FOUND, "enterprise_id", "未找到该企业");
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    int rc = db_run(c->db,
                    "INSERT INTO sup_incidents (enterprise_id, occurred_on, level, description, "
                    "created_at) VALUES (?, ?, ?, ?, ?)",
                    "ittti", ent, day, level, desc, timeutil_now());
    int64_t nid = db_last_id(c->db);
    if (rc || sup_audit(c, "supervision.incident.create", "sup_incident", nid, in) ||
        sup_propose_removal(c, ent, "发生突发环境事件", desc, "incident", nid) || db_commit(c->db))
        return sup_internal(c, p);
    *out = db_query_one(c->db, "SELECT * FROM sup_incidents WHERE id = ?", "i", nid);
    return ERR_OK;
}

/* ---- alarms and cases ---- */

int sup_alarm_feed(struct db *db, const struct audit_actor *actor, const struct sup_alarm_input *in,
                   int64_t *id, struct problem *p)
{
    static const char flags[] = "NFMSDCTB"; /* HJ 212 data flags */
    if (!sup_enterprise_exists(db, in->enterprise_id))
        return problem_set(p, ERR_NOT_FOUND, "enterprise_id", "未找到该企业"), -1;
    if (!in->data_flag || !strchr(flags, in->data_flag))
        return problem_set(p, ERR_INVALID_FIELD, "data_flag",
                           "数据标记须为 HJ 212 标记 N/F/M/S/D/C/T/B"),
               -1;
    if (!isfinite(in->value) || !isfinite(in->limit))
        return problem_set(p, ERR_INVALID_FIELD, "value", "监测值无效"), -1;
    const char *texts[] = {in->source, in->point, in->factor, in->unit};
    for (int i = 0; i < 4; i++)
        if (!texts[i] || text_check_field(texts[i], 64, false))
            return problem_set(p, ERR_INVALID_FIELD, "factor", "报警字段无效"), -1;
    if (!*in->factor)
        return problem_set(p, ERR_INVALID_FIELD, "factor", "缺少监测因子"), -1;
    char flag[2] = {in->data_flag, 0};
    if (db_run(db,
               "INSERT INTO sup_alarms (enterprise_id, source, point, factor, value, "
               "limit_value, unit, observed_at, data_flag, device_ok, severity, status, "
               "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?)",
               "itttddtititi", in->enterprise_id, in->source, in->point, in->factor, in->value,
               in->limit, in->unit, in->observed_at, flag, (int64_t)in->device_ok,
               in->serious ? "serious" : "normal", timeutil_now()))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误"), -1;
    *id = db_last_id(db);
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", (long long)*id);
    json_t *d = json_pack("{ss ss sf sf ss}", "source", in->source, "factor", in->factor, "value",
                          in->value, "limit", in->limit, "data_flag", flag);
    int rc = audit_append(db, actor, "supervision.alarm.create", "sup_alarm", sid, d);
    json_decref(d);
    return rc ? (problem_set(p, ERR_INTERNAL, NULL, "数据库错误"), -1) : 0;
}

enum err sup_alarm_create(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                          struct problem *p)
{
    struct sup_alarm_input a = {0};
    const char *point, *factor, *unit, *flag;
    bool device_ok, serious;
    if (field_id(in, "enterprise_id", "企业", FIELD_REQUIRED, &a.enterprise_id, p) ||
        field_text(in, "point", "监测点位", 64, FIELD_OPTIONAL, &point, p) ||
        field_text(in, "factor", "监测因子", 64, FIELD_REQUIRED, &factor, p) ||
        field_text(in, "unit", "单位", 16, FIELD_OPTIONAL, &unit, p) ||
        field_number(in, "value", "监测值", -1e12, 1e12, FIELD_REQUIRED, 0, &a.value, p) ||
        field_number(in, "limit", "排放限值", -1e12, 1e12, FIELD_REQUIRED, 0, &a.limit, p) ||
        field_text(in, "data_flag", "数据标记", 1, FIELD_OPTIONAL, &flag, p) ||
        field_bool(in, "device_ok", NULL, FIELD_OPTIONAL, true, &device_ok, p) ||
        field_bool(in, "serious", NULL, FIELD_OPTIONAL, false, &serious, p))
        return p->err;
    json_t *t = json_object_get(in, "observed_at");
    if (t && !json_is_null(t) && (!json_is_integer(t) || json_integer_value(t) <= 0))
        return problem_set(p, ERR_INVALID_FIELD, "observed_at", "observed_at 须为 UTC 秒");
    a.observed_at = t && json_is_integer(t) ? json_integer_value(t) : timeutil_now();
    a.source = "manual";
    a.point = point;
    a.factor = factor;
    a.unit = unit;
    a.data_flag = *flag ? *flag : 'N';
    a.device_ok = device_ok;
    a.serious = serious;
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    int64_t nid;
    if (sup_alarm_feed(c->db, c->actor, &a, &nid, p)) {
        db_rollback(c->db);
        return p->err;
    }
    if (db_commit(c->db))
        return sup_internal(c, p);
    *out = db_query_one(c->db, "SELECT * FROM sup_alarms WHERE id = ?", "i", nid);
    return ERR_OK;
}

static json_t *sup_alarm_row(struct db *db, int64_t id)
{
    return db_query_one(db,
                        "SELECT a.*, a.verification AS verification_json FROM sup_alarms a WHERE "
                        "id = ?",
                        "i", id);
}

enum err sup_alarm_verify(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                          struct problem *p)
{
    const char *note;
    if (field_text(in, "note", "核实说明", 500, FIELD_MULTILINE, &note, p))
        return p->err;
    json_t *a = sup_alarm_row(c->db, id);
    if (!a)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该报警");
    bool fresh = !strcmp(json_string_value(json_object_get(a, "status")), "new");
    const char *flag = json_string_value(json_object_get(a, "data_flag"));
    bool flag_ok = !strcmp(flag, "N");
    bool device_ok = json_integer_value(json_object_get(a, "device_ok")) != 0;
    double v = json_number_value(json_object_get(a, "value")),
           lim = json_number_value(json_object_get(a, "limit_value"));
    bool exceeds = v > lim;
    int64_t ent = json_integer_value(json_object_get(a, "enterprise_id"));
    bool serious = !strcmp(json_string_value(json_object_get(a, "severity")), "serious");
    char flag_copy[4];
    snprintf(flag_copy, sizeof flag_copy, "%s", flag);
    json_decref(a);
    if (!fresh)
        return problem_set(p, ERR_INVALID_STATE, NULL, "该报警已处理");
    json_t *ver = json_pack("{ss sb sb sb ss}", "data_flag", flag_copy, "data_valid", flag_ok,
                            "device_ok", device_ok, "exceeds", exceeds, "note", note);
    /* Data flagged invalid (maintenance, calibration, fault, ...) or from an
     * unhealthy device is excluded: such an alarm can only be dismissed. */
    if (!flag_ok || !device_ok || !exceeds) {
        json_decref(ver);
        return problem_set(p, ERR_ALARM_DATA_INVALID, "data_flag",
                           "%s，不能作为超标证据，请以此为由排除该报警",
                           !flag_ok     ? "数据标记为无效数据（非 N）"
                           : !device_ok ? "设备状态异常"
                                        : "监测值未超过限值");
    }
    char *vt = json_dumps(ver, JSON_COMPACT);
    json_decref(ver);
    if (db_begin(c->db)) {
        free(vt);
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    int rc =
        db_run(c->db, "UPDATE sup_alarms SET status = 'verified', verification = ? WHERE id = ?",
               "ti", vt, id);
    free(vt);
    char detail[128];
    snprintf(detail, sizeof detail, "报警 %lld 经核实超标", (long long)id);
    if (rc || sup_audit(c, "supervision.alarm.verify", "sup_alarm", id, in) ||
        (serious && sup_propose_removal(c, ent, "经核实的严重超标报警", detail, "alarm", id)) ||
        db_commit(c->db))
        return sup_internal(c, p);
    *out = sup_alarm_row(c->db, id);
    return ERR_OK;
}

enum err sup_alarm_dismiss(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                           struct problem *p)
{
    const char *reason;
    if (field_text(in, "reason", "排除理由", 500, FIELD_REQUIRED | FIELD_MULTILINE, &reason, p))
        return p->err;
    json_t *a = sup_alarm_row(c->db, id);
    if (!a)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该报警");
    const char *st = json_string_value(json_object_get(a, "status"));
    bool ok = !strcmp(st, "new") || !strcmp(st, "verified");
    json_decref(a);
    if (!ok)
        return problem_set(p, ERR_INVALID_STATE, NULL, "该报警已处理");
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    if (db_run(c->db,
               "UPDATE sup_alarms SET status = 'dismissed', dismissed_reason = ? WHERE id = ?",
               "ti", reason, id) ||
        sup_audit(c, "supervision.alarm.dismiss", "sup_alarm", id, in) || db_commit(c->db))
        return sup_internal(c, p);
    *out = sup_alarm_row(c->db, id);
    return ERR_OK;
}

static json_t *sup_case_row(struct db *db, int64_t id)
{
    return db_query_one(db,
                        "SELECT k.*, e.name AS enterprise FROM sup_cases k JOIN enterprises e ON "
                        "e.id = k.enterprise_id WHERE k.id = ?",
                        "i", id);
}

enum err sup_alarm_case(struct sup_ctx *c, int64_t id, json_t *in, json_t **out, struct problem *p)
{
    const char *title;
    if (field_text(in, "title", "案件名称", 200, FIELD_REQUIRED, &title, p))
        return p->err;
    json_t *a = sup_alarm_row(c->db, id);
    if (!a)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该报警");
    bool verified = !strcmp(json_string_value(json_object_get(a, "status")), "verified");
    int64_t ent = json_integer_value(json_object_get(a, "enterprise_id"));
    json_decref(a);
    if (!verified)
        return problem_set(p, ERR_INVALID_STATE, NULL, "只有经核实的报警可以立案");
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    int rc = db_run(c->db,
                    "INSERT INTO sup_cases (enterprise_id, alarm_id, title, opened_on, status, "
                    "created_at) VALUES (?, ?, ?, ?, 'open', ?)",
                    "iitti", ent, id, title, c->today, timeutil_now());
    int64_t cid = db_last_id(c->db);
    rc = rc || db_run(c->db, "UPDATE sup_alarms SET status = 'case', case_id = ? WHERE id = ?",
                      "ii", cid, id);
    if (rc || sup_audit(c, "supervision.case.open", "sup_case", cid, in) || db_commit(c->db))
        return sup_internal(c, p);
    *out = sup_case_row(c->db, cid);
    return ERR_OK;
}

enum err sup_case_rectify(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                          struct problem *p)
{
    const char *req;
    char due[11];
    if (field_text(in, "requirement", "整改要求", SUP_TEXT_MAX, FIELD_REQUIRED | FIELD_MULTILINE,
                   &req, p) ||
        field_date(in, "due_on", "整改期限", FIELD_REQUIRED, due, p))
        return p->err;
    json_t *k = sup_case_row(c->db, id);
    if (!k)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该案件");
    bool open = !strcmp(json_string_value(json_object_get(k, "status")), "open");
    int64_t ent = json_integer_value(json_object_get(k, "enterprise_id"));
    json_decref(k);
    if (!open)
        return problem_set(p, ERR_INVALID_STATE, NULL, "只有立案状态的案件可以下达整改");
    if (strcmp(due, c->today) < 0)
        return problem_set(p, ERR_INVALID_FIELD, "due_on", "整改期限不能早于今天");
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    if (db_run(c->db,
               "UPDATE sup_cases SET status = 'rectifying', requirement = ?, due_on = ? WHERE "
               "id = ?",
               "tti", req, due, id) ||
        db_run(c->db,
               "INSERT INTO sup_rectifications (enterprise_id, case_id, requirement, due_on, "
               "status, created_at) VALUES (?, ?, ?, ?, 'open', ?)",
               "iitti", ent, id, req, due, timeutil_now()) ||
        sup_audit(c, "supervision.case.rectify", "sup_case", id, in) || db_commit(c->db))
        return sup_internal(c, p);
    *out = sup_case_row(c->db, id);
    return ERR_OK;
}

enum err sup_case_close(struct sup_ctx *c, int64_t id, json_t *in, json_t **out, struct problem *p)
{
    const char *evidence, *note;
    if (field_text(in, "note", "结案说明", 500, FIELD_MULTILINE, &note, p))
        return p->err;
    if (field_text(in, "evidence", "整改佐证", SUP_TEXT_MAX, FIELD_REQUIRED | FIELD_MULTILINE,
                   &evidence, p))
        return problem_set(p, ERR_EVIDENCE_REQUIRED, "evidence", "结案须提供整改佐证材料");
    json_t *k = sup_case_row(c->db, id);
    if (!k)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该案件");
    bool rectifying = !strcmp(json_string_value(json_object_get(k, "status")), "rectifying");
    json_decref(k);
    if (!rectifying)
        return problem_set(p, ERR_INVALID_STATE, NULL, "须先下达整改，整改完成后方可结案");
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    if (db_run(c->db,
               "UPDATE sup_cases SET status = 'closed', evidence = ?, closing_note = ?, "
               "closed_on = ? WHERE id = ?",
               "ttti", evidence, note, c->today, id) ||
        db_run(c->db,
               "UPDATE sup_rectifications SET status = 'done', evidence = ?, done_on = ? WHERE "
               "case_id = ? AND status = 'open'",
               "tti", evidence, c->today, id) ||
        sup_audit(c, "supervision.case.close", "sup_case", id, in) || db_commit(c->db))
        return sup_internal(c, p);
    *out = sup_case_row(c->db, id);
    return ERR_OK;
}

/* ---- lists for the console ---- */

struct sup_list_def {
    const char *what;
    const char *sql; /* ?1 enterprise filter (0 = all), ?2 search text, ?3 limit */
};

static const struct sup_list_def sup_lists[] = {
    {"matters", "SELECT * FROM sup_matters WHERE ?1 = 0 AND (?2 = '' OR name LIKE '%'||?2||'%') "
                "ORDER BY code LIMIT ?3"},
    {"classes", "SELECT * FROM sup_classes WHERE ?1 = 0 AND ?2 = ?2 ORDER BY preset DESC, code "
                "LIMIT ?3"},
    {"inspectors", "SELECT * FROM sup_inspectors WHERE ?1 = 0 AND (?2 = '' OR name LIKE "
                   "'%'||?2||'%') ORDER BY licence_no LIMIT ?3"},
    {"conflicts", "SELECT x.*, i.name AS inspector, e.name AS enterprise FROM sup_conflicts x "
                  "JOIN sup_inspectors i ON i.id = x.inspector_id JOIN enterprises e ON e.id = "
                  "x.enterprise_id WHERE (?1 = 0 OR x.enterprise_id = ?1) AND ?2 = ?2 LIMIT ?3"},
    {"draws", "SELECT d.id, d.title, d.period, d.preset, d.draw_date, d.status, d.seed_hash, "
              "d.created_at, d.published_at, m.name AS matter, (SELECT count(*) FROM "
              "sup_draw_items i WHERE i.draw_id = d.id) AS targets FROM sup_draws d JOIN "
              "sup_matters m ON m.id = d.matter_id WHERE ?1 = 0 AND (?2 = '' OR d.title LIKE "
              "'%'||?2||'%') ORDER BY d.id DESC LIMIT ?3"},
    {"criteria", "SELECT * FROM sup_pl_criteria WHERE ?1 = 0 AND ?2 = ?2 ORDER BY rowid LIMIT ?3"},
    {"positive", "SELECT p.*, e.name AS enterprise, e.uscc FROM sup_pl_entries p JOIN enterprises "
                 "e ON e.id = p.enterprise_id WHERE (?1 = 0 OR p.enterprise_id = ?1) AND (?2 = '' "
                 "OR e.name LIKE '%'||?2||'%') ORDER BY p.id DESC LIMIT ?3"},
    {"proposals", "SELECT p.*, e.name AS enterprise FROM sup_pl_proposals p JOIN enterprises e ON "
                  "e.id = p.enterprise_id WHERE (?1 = 0 OR p.enterprise_id = ?1) AND (?2 = '' OR "
                  "p.status = ?2) ORDER BY p.id DESC LIMIT ?3"},
    {"behaviours", "SELECT * FROM sup_behaviours WHERE ?1 = 0 AND ?2 = ?2 ORDER BY code LIMIT ?3"},
    {"preparers", "SELECT p.*, u.name AS employer FROM sup_preparers p LEFT JOIN sup_preparers u "
                  "ON u.id = p.employer_id WHERE ?1 = 0 AND (?2 = '' OR p.name LIKE '%'||?2||'%' "
                  "OR p.code = ?2) ORDER BY p.id LIMIT ?3"},
    {"publications", "SELECT * FROM sup_publications WHERE ?1 = 0 AND ?2 = ?2 ORDER BY id DESC "
                     "LIMIT ?3"},
    {"mon_items", "SELECT * FROM sup_mon_items WHERE ?1 = 0 AND ?2 = ?2 ORDER BY code LIMIT ?3"},
    {"inspections", "SELECT x.id, x.enterprise_id, e.name AS enterprise, x.inspected_on, "
                    "x.inspectors AS inspectors_json, x.findings, x.result, x.photos AS "
                    "photos_json, x.draw_id, x.published FROM sup_inspections x JOIN enterprises e "
                    "ON e.id = x.enterprise_id WHERE (?1 = 0 OR x.enterprise_id = ?1) AND (?2 = '' "
                    "OR e.name LIKE '%'||?2||'%') ORDER BY x.id DESC LIMIT ?3"},
    {"rectifications", "SELECT r.*, e.name AS enterprise FROM sup_rectifications r JOIN "
                       "enterprises e ON e.id = r.enterprise_id WHERE (?1 = 0 OR r.enterprise_id "
                       "= ?1) AND (?2 = '' OR r.status = ?2) ORDER BY r.id DESC LIMIT ?3"},
    {"penalties", "SELECT p.*, e.name AS enterprise, e.uscc FROM sup_penalties p JOIN enterprises "
                  "e ON e.id = p.enterprise_id WHERE (?1 = 0 OR p.enterprise_id = ?1) AND (?2 = '' "
                  "OR e.name LIKE '%'||?2||'%') ORDER BY p.decided_on DESC, p.id DESC LIMIT ?3"},
    {"incidents", "SELECT i.*, e.name AS enterprise FROM sup_incidents i JOIN enterprises e ON "
                  "e.id = i.enterprise_id WHERE (?1 = 0 OR i.enterprise_id = ?1) AND ?2 = ?2 "
                  "ORDER BY i.id DESC LIMIT ?3"},
    {"alarms", "SELECT a.*, a.verification AS verification_json, e.name AS enterprise FROM "
               "sup_alarms a JOIN enterprises e ON e.id = a.enterprise_id WHERE (?1 = 0 OR "
               "a.enterprise_id = ?1) AND (?2 = '' OR a.status = ?2) ORDER BY a.id DESC LIMIT ?3"},
    {"cases", "SELECT k.*, e.name AS enterprise FROM sup_cases k JOIN enterprises e ON e.id = "
              "k.enterprise_id WHERE (?1 = 0 OR k.enterprise_id = ?1) AND (?2 = '' OR k.status = "
              "?2) ORDER BY k.id DESC LIMIT ?3"},
};

json_t *sup_list(struct db *db, const char *what, int64_t enterprise_id, const char *q, int limit)
{
    for (size_t i = 0; i < sizeof sup_lists / sizeof sup_lists[0]; i++)
        if (!strcmp(sup_lists[i].what, what)) {
            json_t *rows = db_query_rows(db, sup_lists[i].sql, "iti", enterprise_id, q ? q : "",
                                         (int64_t)limit);
            return rows;
        }
    return NULL;
}

json_t *sup_stats(struct db *db, const char *today)
{
    return json_pack(
        "{s{sI sI sI sI} s{sI sI sI sf} s{sI sI} sI sI}", "alarms", "new",
        (json_int_t)db_query_int(db, "SELECT count(*) FROM sup_alarms WHERE status = 'new'", 0, ""),
        "verified",
        (json_int_t)db_query_int(db, "SELECT count(*) FROM sup_alarms WHERE status = 'verified'", 0,
                                 ""),
        "dismissed",
        (json_int_t)db_query_int(db, "SELECT count(*) FROM sup_alarms WHERE status = 'dismissed'",
                                 0, ""),
        "case",
        (json_int_t)db_query_int(db, "SELECT count(*) FROM sup_alarms WHERE status = 'case'", 0,
                                 ""),
        "cases", "open",
        (json_int_t)db_query_int(db, "SELECT count(*) FROM sup_cases WHERE status = 'open'", 0, ""),
        "rectifying",
        (json_int_t)db_query_int(db, "SELECT count(*) FROM sup_cases WHERE status = 'rectifying'",
                                 0, ""),
        "closed",
        (json_int_t)db_query_int(db, "SELECT count(*) FROM sup_cases WHERE status = 'closed'", 0,
                                 ""),
        "avg_days_to_close",
        (double)db_query_int(
            db,
            "SELECT CAST(round(avg(julianday(closed_on) - julianday(opened_on))) AS "
            "INTEGER) FROM sup_cases WHERE status = 'closed'",
            0, ""),
        "positive", "active",
        (json_int_t)db_query_int(db,
                                 "SELECT count(*) FROM sup_pl_entries WHERE valid_from <= ?1 AND "
                                 "valid_until > ?1 AND removed_on IS NULL",
                                 0, "t", today),
        "open_proposals",
        (json_int_t)db_query_int(db, "SELECT count(*) FROM sup_pl_proposals WHERE status = 'open'",
                                 0, ""),
        "penalties", (json_int_t)db_query_int(db, "SELECT count(*) FROM sup_penalties", 0, ""),
        "overdue_results",
        (json_int_t)db_query_int(db,
                                 "SELECT count(*) FROM sup_draw_items WHERE result_due IS NOT NULL "
                                 "AND result_published_on IS NULL AND result_due < ?",
                                 0, "t", today));
}

/* ---- the public disclosure centre ---- */

static const struct sup_public_def {
    const char *code;
    const char *name;
} sup_public_lists[] = {
    {"positive", "生态环境监督执法正面清单"},
    {"preparer_black", "环评编制单位和人员黑名单"},
    {"preparer_rectify", "环评编制单位和人员限期整改名单"},
    {"preparer_watch", "环评编制单位和人员重点监督检查名单"},
    {"preparer_honest", "环评编制单位和人员守信名单"},
    {"institution_red", "社会生态环境监测机构红榜"},
    {"institution_black", "社会生态环境监测机构黑榜"},
    {"penalties", "环境行政处罚信息"},
    {"inspections", "双随机抽查检查结果"},
    {"draws", "双随机抽查任务"},
};

static bool sup_match(const char *q, const char *a, const char *b)
{
    return !q || !*q || (a && strstr(a, q)) || (b && strstr(b, q));
}

static void sup_history_add(json_t *history, const char *date, const char *action,
                            const char *subject, const char *code, const char *detail)
{
    json_array_append_new(history, json_pack("{ss ss ss ss ss}", "date", date, "action", action,
                                             "subject", subject, "code", code ? code : "", "detail",
                                             detail ? detail : ""));
}

static int sup_cmp_history(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    return -strcmp(json_string_value(json_object_get(x, "date")),
                   json_string_value(json_object_get(y, "date")));
}

static void sup_sort_history(json_t *history)
{
    size_t n = json_array_size(history);
    json_t **v = xmalloc((n + 1) * sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(history, i));
    qsort(v, n, sizeof *v, sup_cmp_history);
    json_array_clear(history);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(history, v[i]);
    free(v);
}

static void sup_public_positive(struct db *db, const char *date, const char *since, const char *q,
                                json_t *items, json_t *history)
{
    json_t *rows =
        db_query_rows(db,
                      "SELECT p.*, e.name AS enterprise, e.uscc FROM sup_pl_entries p JOIN "
                      "enterprises e ON e.id = p.enterprise_id WHERE p.valid_from <= ?1 "
                      "ORDER BY p.valid_from",
                      "t", date);
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        const char *name = json_string_value(json_object_get(r, "enterprise"));
        const char *uscc = json_string_value(json_object_get(r, "uscc"));
        if (!sup_match(q, name, uscc))
            continue;
        const char *from = json_string_value(json_object_get(r, "valid_from"));
        const char *until = json_string_value(json_object_get(r, "valid_until"));
        const char *removed = json_string_value(json_object_get(r, "removed_on"));
        bool current = strcmp(until, date) > 0 && (!removed || strcmp(removed, date) > 0);
        if (current)
            json_array_append_new(items,
                                  json_pack("{ss ss ss ss ss}", "subject", name, "code", uscc,
                                            "from", from, "until", until, "decision_no",
                                            json_string_value(json_object_get(r, "decision_no"))));
        if (strcmp(from, since) >= 0)
            sup_history_add(history, from, "entered", name, uscc,
                            json_string_value(json_object_get(r, "decision_no")));
        if (removed && strcmp(removed, date) <= 0 && strcmp(removed, since) >= 0)
            sup_history_add(history, removed, "left", name, uscc,
                            json_string_value(json_object_get(r, "removal_reason")));
        else if (!removed && strcmp(until, date) <= 0 && strcmp(until, since) >= 0)
            sup_history_add(history, until, "expired", name, uscc, "有效期届满");
    }
    json_decref(rows);
}

static void sup_public_preparers(struct db *db, enum credit_list list, const char *date,
                                 const char *since, const char *q, json_t *items, json_t *history)
{
    json_t *rows =
        db_query_rows(db, "SELECT id, kind, name, code FROM sup_preparers ORDER BY id", "");
    int32_t asof = sup_day(date), from_day = sup_day(since);
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        const char *name = json_string_value(json_object_get(r, "name"));
        const char *code = json_string_value(json_object_get(r, "code"));
        if (!sup_match(q, name, code))
            continue;
        int32_t reg;
        struct credit_result res;
        if (sup_preparer_eval(db, json_integer_value(json_object_get(r, "id")), asof, &reg, &res))
            continue;
        for (size_t k = 0; k < res.n; k++) {
            const struct credit_interval *iv = &res.iv[k];
            if (iv->list != list)
                continue;
            /* Public for 5 years after the listing ends; a life ban always. */
            if (iv->end != CREDIT_FOREVER && iv->end <= from_day)
                continue;
            char s[11], e[11] = "";
            calendar_format_date(iv->start, s);
            if (iv->end != CREDIT_FOREVER)
                calendar_format_date(iv->end - 1, e);
            if (iv->start <= asof && asof < iv->end)
                json_array_append_new(
                    items,
                    json_pack("{ss ss ss ss so ss}", "subject", name, "code", code, "kind",
                              json_string_value(json_object_get(r, "kind")), "from", s, "until",
                              *e ? json_string(e) : json_null(), "list", credit_list_name(list)));
            sup_history_add(history, s, "entered", name, code, credit_list_name(list));
            if (iv->end != CREDIT_FOREVER && iv->end <= asof) {
                char left[11];
                calendar_format_date(iv->end, left);
                sup_history_add(history, left, "left", name, code, credit_list_name(list));
            }
        }
        credit_result_free(&res);
    }
    json_decref(rows);
}

json_t *sup_public(struct db *db, const char *list, const char *date, const char *q, bool *missing)
{
    *missing = false;
    int years = (int)sup_setting(db, "credit_public_years", 5);
    char since[11];
    calendar_format_date(credit_add_months(sup_day(date), -12 * years), since);
    json_t *lists = json_array();
    bool found = false;
    for (size_t k = 0; k < sizeof sup_public_lists / sizeof sup_public_lists[0]; k++) {
        const char *code = sup_public_lists[k].code;
        if (list && strcmp(list, code))
            continue;
        found = true;
        json_t *items = json_array(), *history = json_array();
        if (!strcmp(code, "positive")) {
            sup_public_positive(db, date, since, q, items, history);
        } else if (!strncmp(code, "preparer_", 9)) {
            enum credit_list l;
            credit_list_parse(code + 9, &l);
            sup_public_preparers(db, l, date, since, q, items, history);
        } else if (!strncmp(code, "institution_", 12)) {
            json_t *all = sup_institutions(db, calendar_year_of(sup_day(date)));
            size_t i;
            json_t *r;
            json_array_foreach(all, i, r)
            {
                const char *board = json_string_value(json_object_get(r, "board"));
                if (strcmp(board, code + 12) ||
                    !sup_match(q, json_string_value(json_object_get(r, "name")),
                               json_string_value(json_object_get(r, "uscc"))))
                    continue;
                json_object_del(r, "evidence");
                json_array_append(items, r);
            }
            json_decref(all);
        } else if (!strcmp(code, "penalties")) {
            json_t *rows =
                db_query_rows(db,
                              "SELECT p.decision_no, p.decided_on, p.violation, p.basis, "
                              "p.amount_fen, p.measures, e.name AS subject, e.uscc AS code "
                              "FROM sup_penalties p JOIN enterprises e ON e.id = "
                              "p.enterprise_id WHERE p.decided_on BETWEEN ? AND ? ORDER BY "
                              "p.decided_on DESC",
                              "tt", since, date);
            size_t i;
            json_t *r;
            json_array_foreach(rows, i, r)
            {
                if (!sup_match(q, json_string_value(json_object_get(r, "subject")),
                               json_string_value(json_object_get(r, "code"))))
                    continue;
                json_array_append(items, r);
                sup_history_add(history, json_string_value(json_object_get(r, "decided_on")),
                                "published", json_string_value(json_object_get(r, "subject")),
                                json_string_value(json_object_get(r, "code")),
                                json_string_value(json_object_get(r, "decision_no")));
            }
            json_decref(rows);
        } else if (!strcmp(code, "inspections")) {
            json_t *rows =
                db_query_rows(db,
                              "SELECT x.inspected_on, x.result, x.findings, e.name AS "
                              "subject, e.uscc AS code, d.title AS draw, i.result_published_on "
                              "FROM sup_inspections x JOIN enterprises e ON e.id = "
                              "x.enterprise_id LEFT JOIN sup_draw_items i ON i.inspection_id "
                              "= x.id LEFT JOIN sup_draws d ON d.id = x.draw_id WHERE "
                              "x.published = 1 AND x.inspected_on BETWEEN ? AND ? ORDER BY "
                              "x.inspected_on DESC",
                              "tt", since, date);
            size_t i;
            json_t *r;
            json_array_foreach(rows, i, r)
            {
                if (!sup_match(q, json_string_value(json_object_get(r, "subject")),
                               json_string_value(json_object_get(r, "code"))))
                    continue;
                json_array_append(items, r);
                const char *pub = json_string_value(json_object_get(r, "result_published_on"));
                sup_history_add(history,
                                pub ? pub : json_string_value(json_object_get(r, "inspected_on")),
                                "published", json_string_value(json_object_get(r, "subject")),
                                json_string_value(json_object_get(r, "code")),
                                json_string_value(json_object_get(r, "result")));
            }
            json_decref(rows);
        } else if (!strcmp(code, "draws")) {
            json_t *rows = db_query_rows(db,
                                         "SELECT d.id, d.title, d.period, d.draw_date, d.status, "
                                         "d.seed_hash, m.name AS matter FROM sup_draws d JOIN "
                                         "sup_matters m ON m.id = d.matter_id ORDER BY d.id DESC",
                                         "");
            size_t i;
            json_t *r;
            json_array_foreach(rows, i, r)
            {
                if (!sup_match(q, json_string_value(json_object_get(r, "title")), NULL))
                    continue;
                json_array_append(items, r);
                sup_history_add(history, json_string_value(json_object_get(r, "draw_date")),
                                json_string_value(json_object_get(r, "status")),
                                json_string_value(json_object_get(r, "title")), "",
                                json_string_value(json_object_get(r, "seed_hash")));
            }
            json_decref(rows);
        }
        sup_sort_history(history);
        json_array_append_new(lists, json_pack("{ss ss ss so so}", "list", code, "name",
                                               sup_public_lists[k].name, "as_of", date, "items",
                                               items, "history", history));
    }
    if (!found) {
        json_decref(lists);
        *missing = true;
        return NULL;
    }
    return json_pack("{ss ss so}", "as_of", date, "since", since, "lists", lists);
}

static void sup_xml_text(struct buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<':
            buf_puts(b, "&lt;");
            break;
        case '>':
            buf_puts(b, "&gt;");
            break;
        case '&':
            buf_puts(b, "&amp;");
            break;
        case '"':
            buf_puts(b, "&quot;");
            break;
        default:
            buf_append(b, s, 1);
        }
    }
}

char *sup_public_atom(struct db *db, const char *list, const char *date, const char *base_url,
                      bool *missing)
{
    json_t *pub = sup_public(db, list, date, NULL, missing);
    if (!pub)
        return NULL;
    json_t *l = json_array_get(json_object_get(pub, "lists"), 0);
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                 "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>");
    sup_xml_text(&b, json_string_value(json_object_get(l, "name")));
    buf_puts(&b, "</title>\n<id>");
    sup_xml_text(&b, base_url);
    buf_printf(
        &b, "/api/v1/public/supervision/feed/%s.atom</id>\n<updated>%sT00:00:00+08:00</updated>\n",
        list, date);
    buf_puts(&b, "<link rel=\"alternate\" href=\"");
    sup_xml_text(&b, base_url);
    buf_printf(&b, "/disclosure?list=%s\"/>\n", list);
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(l, "history"), i, h)
    {
        if (i >= 100)
            break;
        const char *d = json_string_value(json_object_get(h, "date"));
        buf_puts(&b, "<entry>\n<title>");
        sup_xml_text(&b, json_string_value(json_object_get(h, "subject")));
        buf_puts(&b, " ");
        sup_xml_text(&b, json_string_value(json_object_get(h, "action")));
        buf_printf(&b, "</title>\n<id>urn:ecogov:%s:", list);
        sup_xml_text(&b, json_string_value(json_object_get(h, "code")));
        buf_printf(&b, ":%s:%s</id>\n<updated>%sT00:00:00+08:00</updated>\n<summary>",
                   json_string_value(json_object_get(h, "action")), d, d);
        sup_xml_text(&b, json_string_value(json_object_get(h, "code")));
        buf_puts(&b, " ");
        sup_xml_text(&b, json_string_value(json_object_get(h, "detail")));
        buf_puts(&b, "</summary>\n</entry>\n");
    }
    buf_puts(&b, "</feed>\n");
    json_decref(pub);
    return buf_detach(&b, NULL);
}

/* ---- the demo ---- */

static int demo_call(struct sup_ctx *c, sup_write_fn *fn, int64_t id, const char *json,
                     int64_t *new_id)
{
    json_error_t je;
    json_t *in = json_loads(json, 0, &je);
    json_t *out = NULL;
    struct problem p = {0};
    enum err e = in ? fn(c, id, in, &out, &p) : ERR_BAD_JSON;
    json_decref(in);
    if (e) {
        fprintf(stderr, "ecogov demo: supervision: %s %s (%.60s)\n", err_code(e), p.message, json);
        return -1;
    }
    if (new_id)
        *new_id = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    return 0;
}

int demo_supervision(struct db *db, uint64_t seed)
{
    struct audit_actor actor = {0, "demo"};
    struct calendar *cal = calendar_new();
    calendar_load_builtin(cal);
    struct sup_ctx c = {db, &actor, cal, ""};
    timeutil_format_date(timeutil_now(), c.today, sizeof c.today);
    int64_t n_ent = db_query_int(db, "SELECT count(*) FROM enterprises", 0, "");
    int rc = 0;
    static const char *const inspectors[] = {
        "{\"licence_no\":\"36020001\",\"name\":\"赵执法\",\"section\":\"执法支队\"}",
        "{\"licence_no\":\"36020002\",\"name\":\"钱明\",\"section\":\"执法支队\"}",
        "{\"licence_no\":\"36020003\",\"name\":\"孙丽\",\"section\":\"执法支队\"}",
        "{\"licence_no\":\"36020004\",\"name\":\"李强\",\"section\":\"执法支队\"}",
        "{\"licence_no\":\"36020005\",\"name\":\"周华\",\"section\":\"执法支队\"}",
        "{\"licence_no\":\"36020006\",\"name\":\"吴敏\",\"section\":\"执法支队\"}",
    };
    for (size_t i = 0; i < sizeof inspectors / sizeof inspectors[0] && !rc; i++)
        rc = demo_call(&c, sup_inspector_create, 0, inspectors[i], NULL);
    char buf[1024];
    if (!rc && n_ent >= 2) {
        snprintf(buf, sizeof buf,
                 "{\"inspector_id\":1,\"enterprise_id\":%lld,\"reason\":\"近亲属在该企业任职\"}",
                 (long long)(1 + (int64_t)(seed % (uint64_t)n_ent)));
        rc = demo_call(&c, sup_conflict_create, 0, buf, NULL);
    }
    /* Facts and the positive list: enterprises 2..6 are networked and file
     * their reports; 2..4 are included. */
    for (int64_t e = 2; e <= 6 && e <= n_ent && !rc; e++) {
        snprintf(buf, sizeof buf,
                 "{\"enterprise_id\":%lld,\"permit_reports_ok\":true,\"monitoring_networked\":true,"
                 "\"monitoring_last_seen\":\"%s\"}",
                 (long long)e, c.today);
        rc = demo_call(&c, sup_facts_update, 0, buf, NULL);
        if (!rc && e <= 4) {
            snprintf(buf, sizeof buf,
                     "{\"enterprise_id\":%lld,\"decision_no\":\"景环执〔%.4s〕%lld号\"}",
                     (long long)e, c.today, (long long)e);
            rc = demo_call(&c, sup_positive_include, 0, buf, NULL);
        }
    }
    /* A penalty for a listed enterprise opens a removal proposal. */
    if (!rc && n_ent >= 8) {
        snprintf(buf, sizeof buf,
                 "{\"enterprise_id\":4,\"decision_no\":\"景环罚〔%.4s〕1号\",\"decided_on\":\"%s\","
                 "\"violation\":\"超标排放大气污染物\",\"basis\":\"大气污染防治法第九十九条\","
                 "\"amount_yuan\":120000}",
                 c.today, c.today);
        rc = demo_call(&c, sup_penalty_create, 0, buf, NULL);
        snprintf(buf, sizeof buf,
                 "{\"enterprise_id\":8,\"decision_no\":\"景环罚〔%.4s〕2号\",\"decided_on\":\"%s\","
                 "\"violation\":\"未按规定运行污染防治设施\",\"amount_yuan\":50000}",
                 c.today, c.today);
        rc = rc || demo_call(&c, sup_penalty_create, 0, buf, NULL);
    }
    /* Alarms: one valid (becomes a case), one with maintenance-flagged data. */
    int64_t alarm = 0, kase = 0;
    if (!rc && n_ent >= 5) {
        rc = demo_call(&c, sup_alarm_create, 0,
                       "{\"enterprise_id\":5,\"point\":\"DA001\",\"factor\":\"颗粒物\","
                       "\"value\":48.2,\"limit\":30,\"unit\":\"mg/m3\",\"data_flag\":\"N\"}",
                       &alarm);
        rc =
            rc || demo_call(&c, sup_alarm_verify, alarm, "{\"note\":\"数据有效，设备正常\"}", NULL);
        rc = rc || demo_call(&c, sup_alarm_case, alarm, "{\"title\":\"颗粒物超标排放\"}", &kase);
    }
    /* ... and one with maintenance-flagged data, when the city is big enough. */
    if (!rc && n_ent >= 6)
        rc = demo_call(&c, sup_alarm_create, 0,
                       "{\"enterprise_id\":6,\"point\":\"DW001\",\"factor\":\"COD\","
                       "\"value\":120,\"limit\":100,\"unit\":\"mg/L\",\"data_flag\":\"M\"}",
                       NULL);
    /* Preparers: a unit with points, a person banned. */
    int64_t unit = 0, person = 0;
    rc = rc || demo_call(&c, sup_preparer_create, 0,
                         "{\"kind\":\"unit\",\"name\":\"景瓷环科环境咨询有限公司\","
                         "\"code\":\"91360200MA35DEMO01\",\"registered_on\":\"2024-03-15\"}",
                         &unit);
    snprintf(buf, sizeof buf,
             "{\"kind\":\"person\",\"name\":\"张编制\",\"code\":\"BH036001\",\"employer_id\":%lld,"
             "\"registered_on\":\"2024-03-15\"}",
             (long long)unit);
    rc = rc || demo_call(&c, sup_preparer_create, 0, buf, &person);
    rc = rc || demo_call(&c, sup_credit_event_create, unit,
                         "{\"behaviour\":\"A5\",\"decision_no\":\"景环信〔2025〕3号\","
                         "\"effective_on\":\"2025-06-20\"}",
                         NULL);
    rc = rc || demo_call(&c, sup_credit_event_create, person,
                         "{\"behaviour\":\"A4\",\"decision_no\":\"景环信〔2025〕4号\","
                         "\"effective_on\":\"2025-07-01\",\"ban_until\":\"2030-06-30\"}",
                         NULL);
    int64_t inst = 0;
    rc = rc ||
         demo_call(&c, sup_institution_create, 0,
                   "{\"name\":\"景瓷清析检测有限公司\",\"uscc\":\"91360200MA35DEMO02\"}", &inst);
    snprintf(buf, sizeof buf,
             "{\"item\":\"V01\",\"occurred_on\":\"%s\",\"note\":\"篡改监测报告原始记录\"}",
             c.today);
    rc = rc || demo_call(&c, sup_evidence_create, inst, buf, NULL);
    rc = rc ||
         demo_call(&c, sup_institution_create, 0,
                   "{\"name\":\"景瓷中测环境监测有限公司\",\"uscc\":\"91360200MA35DEMO03\"}", NULL);
    /* A draw, executed and published. */
    int64_t draw = 0;
    snprintf(buf, sizeof buf,
             "{\"title\":\"%.4s年第四季度双随机抽查\",\"period\":\"%.4sQ4\",\"matter_id\":2}",
             c.today, c.today);
    rc = rc || demo_call(&c, sup_draw_create, 0, buf, &draw);
    rc = rc || demo_call(&c, sup_draw_execute, draw, "{}", NULL);
    rc = rc || demo_call(&c, sup_draw_publish, draw, "{}", NULL);
    calendar_free(cal);
    return rc;
}
