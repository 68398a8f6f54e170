/* supervision draw — 双随机、一公开: matters, classes, inspectors and
 * conflicts; a draw is committed (pools and seed commitment frozen), executed
 * (targets and teams, confidential), published, and its results recorded and
 * published against the working-day clock (docs/draw.md). */
#include "modules/supervision/rules.h"
#include "modules/supervision/supervision.h"
#include "app/field.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "domain/draw.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum err sup_matter_create(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                           struct problem *p)
{
    const char *code, *name, *basis;
    if (field_text(in, "code", "事项编码", 32, FIELD_REQUIRED, &code, p) ||
        field_text(in, "name", "事项名称", 200, FIELD_REQUIRED, &name, p) ||
        field_text(in, "basis", "依据", 500, FIELD_MULTILINE, &basis, p))
        return p->err;
    if (sup_begin(c, p))
        return p->err;
    int64_t nid = 0;
    int rc = sup_store_matter_insert(c->db, code, name, basis, &nid);
    if (rc == SUP_STORE_DUPLICATE) {
        db_rollback(c->db);
        return problem_set(p, ERR_CONFLICT, "code", "事项编码 %s 已存在", code);
    }
    if (sup_commit(c, rc, "supervision.matter.create", "sup_matter", nid, in, p))
        return p->err;
    *out = sup_store_record(c->db, SUP_MATTER, nid);
    return ERR_OK;
}

static const char *const sup_periods[] = {"quarter", "year", NULL};
const char *const sup_presets[] = {"national", "jiangxi", NULL};

enum err sup_class_update(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                          struct problem *p)
{
    const char *code, *period;
    double ratio;
    if (field_text(in, "code", "类别", 32, FIELD_REQUIRED, &code, p) ||
        field_number(in, "ratio_pct", "抽查比例", 0, 100, FIELD_REQUIRED, 0, &ratio, p) ||
        field_choice(in, "period", "周期（quarter 或 year）", sup_periods, FIELD_REQUIRED, NULL,
                     &period, p))
        return p->err;
    json_t *known = sup_store_class(c->db, code);
    json_decref(known);
    if (!known)
        return problem_set(p, ERR_NOT_FOUND, "code", "未知的监管类别 %s", code);
    if (sup_begin(c, p))
        return p->err;
    if (sup_commit(c, sup_store_class_update(c->db, code, ratio, period),
                   "supervision.class.update", "sup_class", 0, in, p))
        return p->err;
    *out = sup_store_class(c->db, code);
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
    if (sup_begin(c, p))
        return p->err;
    int64_t nid = 0;
    int rc = sup_store_inspector_insert(c->db, lic, name, section, &nid);
    if (rc == SUP_STORE_DUPLICATE) {
        db_rollback(c->db);
        return problem_set(p, ERR_CONFLICT, "licence_no", "执法证号 %s 已登记", lic);
    }
    if (sup_commit(c, rc, "supervision.inspector.create", "sup_inspector", nid, in, p))
        return p->err;
    *out = sup_store_record(c->db, SUP_INSPECTOR, nid);
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
    json_t *known = sup_store_record(c->db, SUP_INSPECTOR, ins);
    json_decref(known);
    if (!known)
        return problem_set(p, ERR_NOT_FOUND, "inspector_id", "未找到该执法人员");
    if (!sup_enterprise_exists(c->db, ent))
        return problem_set(p, ERR_NOT_FOUND, "enterprise_id", "未找到该企业");
    if (sup_begin(c, p))
        return p->err;
    if (sup_commit(c, sup_store_conflict_set(c->db, ins, ent, reason),
                   "supervision.conflict.create", "sup_inspector", ins, in, p))
        return p->err;
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
    json_t *known = strcmp(cls, "positive") ? sup_store_class(c->db, cls) : NULL;
    json_decref(known);
    if (!known)
        return problem_set(p, ERR_INVALID_FIELD, "class_code", "未知的监管类别 %s", cls);
    if (sup_begin(c, p))
        return p->err;
    if (sup_commit(c, sup_store_target_class_set(c->db, ent, cls, note), "supervision.target.class",
                   "enterprise", ent, in, p))
        return p->err;
    *out = json_pack("{sI ss}", "enterprise_id", (json_int_t)ent, "class_code", cls);
    return ERR_OK;
}

/* ---- 双随机: the target pool ---- */

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
    int64_t matter, team;
    if (field_text(in, "title", "抽查任务名称", 200, FIELD_REQUIRED, &title, p) ||
        field_text(in, "period", "抽查周期", 16, FIELD_REQUIRED, &period, p) ||
        field_choice(in, "preset", "分类方案（national 或 jiangxi）", sup_presets, FIELD_OPTIONAL,
                     "national", &preset, p) ||
        field_id(in, "matter_id", "抽查事项", FIELD_REQUIRED, &matter, p) ||
        sup_field_date_or(in, "draw_date", "抽取日期", FIELD_PAST, c->today, date, p) ||
        field_int(in, "team_size", "检查组人数", 2, DRAW_TEAM_MAX, FIELD_OPTIONAL, 2, &team, p))
        return p->err;
    if (!sup_store_matter_active(c->db, matter))
        return problem_set(p, ERR_NOT_FOUND, "matter_id", "未找到该抽查事项");
    json_t *counts = json_object_get(in, "counts");
    if (counts && !json_is_null(counts) && !json_is_object(counts))
        return problem_set(p, ERR_INVALID_FIELD, "counts", "counts 须为 {类别: 数量}");

    json_t *classes = sup_store_classes(c->db, preset);
    json_t *targets = sup_targets(c->db, preset, date);
    json_t *inspectors = sup_store_inspector_pool(c->db);
    json_t *conflicts = sup_store_conflict_pairs(c->db);
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
    if (sup_begin(c, p)) {
        free(ipool_text);
        free(conf_text);
        e = p->err;
        goto out;
    }
    struct sup_draw_row row = {title,      period, preset,   date,        c->actor->name,
                               matter,     team,   seed,     sizeof seed, seed_hash,
                               ipool_text, ihash,  conf_text};
    int64_t did = 0;
    int rc = sup_store_draw_insert(c->db, &row, strata, &did);
    sodium_memzero(seed, sizeof seed);
    free(ipool_text);
    free(conf_text);
    json_t *detail = json_pack("{ss ss ss sI}", "title", title, "period", period, "seed_sha256",
                               seed_hash, "matter_id", (json_int_t)matter);
    rc = rc || audit_append_id(c->db, c->actor, "supervision.draw.commit", "sup_draw", did, detail);
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
    /* Without its committed seed the draw would run on zeros and not match
     * the published commitment: refused, nothing drawn. */
    uint8_t seed[DRAW_SEED_BYTES] = {0};
    if (sup_store_draw_seed(c->db, id, seed, sizeof seed)) {
        json_decref(d);
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    json_t *strata = sup_store_draw_strata_pools(c->db, id);
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
    if (sup_begin(c, p)) {
        e = p->err;
        goto out;
    }
    int rc = 0;
    for (size_t k = 0; k < nt && !rc; k++) {
        json_t *tm = json_array();
        for (size_t m = 0; m < team; m++)
            json_array_append_new(tm, json_string(ipool.keys[teams[k * team + m]]));
        char *tm_text = json_dumps(tm, JSON_COMPACT);
        json_decref(tm);
        rc = sup_store_draw_item_insert(c->db, id, (int64_t)(k + 1),
                                        json_string_value(json_array_get(target_cls, k)), tk[k],
                                        tm_text);
        free(tm_text);
    }
    rc = rc || sup_store_draw_set_status(c->db, id, "drawn");
    json_t *detail = json_pack("{sI}", "targets", (json_int_t)nt);
    rc = rc || audit_append_id(c->db, c->actor, "supervision.draw.execute", "sup_draw", id, detail);
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
    if (sup_begin(c, p))
        return p->err;
    if (sup_commit(c, sup_store_draw_set_status(c->db, id, "published"), "supervision.draw.publish",
                   "sup_draw", id, NULL, p))
        return p->err;
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
    json_t *item = sup_store_draw_item(c->db, id, seq);
    if (!item)
        return problem_set(p, ERR_NOT_FOUND, "seq", "未找到该抽查对象");
    int64_t ent = json_integer_value(json_object_get(item, "enterprise_id"));
    json_decref(item);
    json_t *ins = sup_store_inspection_of(c->db, insp, ent);
    if (!ins)
        return problem_set(p, ERR_INVALID_FIELD, "inspection_id",
                           "检查记录不存在或不属于该抽查对象");
    char date[11], due[11];
    snprintf(date, sizeof date, "%s", json_string_value(json_object_get(ins, "inspected_on")));
    json_decref(ins);
    int n = (int)sup_setting(c->db, "result_publish_workdays", 20);
    int32_t dd = calendar_add_workdays(c->cal, sup_day(date), n, NULL);
    calendar_format_date(dd, due);
    if (sup_begin(c, p))
        return p->err;
    if (sup_commit(c, sup_store_draw_result(c->db, id, seq, insp, date, due),
                   "supervision.draw.result", "sup_draw", id, in, p))
        return p->err;
    *out = sup_draw_get(c->db, id, false, &(bool){false});
    return ERR_OK;
}

enum err sup_draw_result_publish(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                                 struct problem *p)
{
    int64_t seq;
    if (sup_item_seq(in, &seq, p))
        return p->err;
    json_t *item = sup_store_draw_item(c->db, id, seq);
    if (!item)
        return problem_set(p, ERR_NOT_FOUND, "seq", "未找到该抽查对象");
    int64_t insp = json_integer_value(json_object_get(item, "inspection_id"));
    bool published = !strcmp(json_string_value(json_object_get(item, "status")), "published");
    json_decref(item);
    if (!insp || !published)
        return problem_set(p, ERR_INVALID_STATE, "seq", "须先公开抽取结果并登记检查结果");
    if (sup_begin(c, p))
        return p->err;
    if (sup_commit(c, sup_store_draw_result_publish(c->db, id, seq, insp, c->today),
                   "supervision.draw.result_publish", "sup_draw", id, in, p))
        return p->err;
    *out = sup_draw_get(c->db, id, false, &(bool){false});
    return ERR_OK;
}
