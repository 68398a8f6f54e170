/* pmf analysis — the module's rules; see analysis.h and docs/pmf.md.
 *
 * Who may do what (the issue left it to us): staff, leaders and admins read
 * analyses; staff and admins upload, cancel and name factors; leaders and
 * admins publish (publishing speaks for the bureau); the public reads only
 * the one published apportionment. */
#include "modules/pmf/analysis.h"

#include "app/field.h"
#include "modules/pmf/store.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A table from the body: `key` as text (any JSON string up to PMF_TEXT_MAX: CR,
 * tabs and newlines are part of the format, the parser bounds and checks the
 * rest), or `key`_xlsx as a base64 .xlsx workbook, converted here to text (in
 * *owned, freed by the caller) so the stored input is text either way. */
static int pmf_body_text(json_t *body, const char *key, char **owned, const char **out,
                         struct problem *p)
{
    char xkey[16];
    snprintf(xkey, sizeof xkey, "%s_xlsx", key);
    json_t *x = json_object_get(body, xkey);
    if (json_is_string(x)) {
        size_t blen = json_string_length(x), n = 0, tlen;
        if (blen > PMF_TEXT_MAX * 4 / 3 + 4)
            return problem_set(p, ERR_INVALID_FIELD, key, "文件超过 8 MiB"), -1;
        unsigned char *bin = malloc(blen / 4 * 3 + 3);
        struct pmf_error e;
        if (!bin || sodium_base642bin(bin, blen / 4 * 3 + 3, json_string_value(x), blen, NULL, &n,
                                      NULL, sodium_base64_VARIANT_ORIGINAL)) {
            free(bin);
            return problem_set(p, ERR_INVALID_FIELD, key, "Excel 文件编码无效（须为 base64）"), -1;
        }
        int bad = pmf_xlsx_to_text(bin, n, owned, &tlen, &e);
        free(bin);
        if (bad)
            return problem_set(p, ERR_INVALID_FIELD, key, "Excel 文件无法读取：%s", e.msg), -1;
        *out = *owned;
        return 0;
    }
    json_t *v = json_object_get(body, key);
    if (!json_is_string(v) || json_string_length(v) == 0)
        return problem_set(p, ERR_INVALID_FIELD, key, "请上传%s文件",
                           strcmp(key, "conc") ? "不确定度" : "浓度"),
               -1;
    if (json_string_length(v) > PMF_TEXT_MAX)
        return problem_set(p, ERR_INVALID_FIELD, key, "文件超过 8 MiB"), -1;
    *out = json_string_value(v);
    return 0;
}

static enum err pmf_refuse(struct problem *p, const char *field, const char *what,
                           const struct pmf_error *e)
{
    if (e->line && e->column[0])
        return problem_set(p, ERR_INVALID_FIELD, field, "%s第 %zu 行「%s」：%s", what, e->line,
                           e->column, e->msg);
    if (e->line)
        return problem_set(p, ERR_INVALID_FIELD, field, "%s第 %zu 行：%s", what, e->line, e->msg);
    return problem_set(p, ERR_INVALID_FIELD, field, "%s%s", what, e->msg);
}

static enum err pmf_apply_settings(json_t *s, struct pmf_job_input *in, struct problem *p)
{
    int64_t factors, runs, seed, boot, sweep_to;
    bool robust;
    struct pmf_error e;

    if (field_int(s, "factors", "因子数", 2, PMF_MAX_FACTORS, FIELD_REQUIRED, 0, &factors, p) ||
        field_int(s, "sweep_to", "因子数上限", 0, PMF_MAX_FACTORS, FIELD_OPTIONAL, 0, &sweep_to,
                  p) ||
        field_int(s, "runs", "运行次数", 1, 100, FIELD_OPTIONAL, 20, &runs, p) ||
        field_int(s, "seed", "随机种子", 0, 2147483647, FIELD_OPTIONAL, 42, &seed, p) ||
        field_int(s, "bootstrap", "自助法次数", 0, 200, FIELD_OPTIONAL, 20, &boot, p) ||
        field_bool(s, "robust", "稳健模式", FIELD_OPTIONAL, true, &robust, p))
        return p->err;
    enum pmf_method method = PMF_METHOD_AUTO;
    json_t *jm = json_object_get(s, "method");
    if (jm && !json_is_null(jm) && pmf_method_parse(json_string_value(jm), &method))
        return problem_set(p, ERR_INVALID_FIELD, "method", "算法须为 auto、ls-nmf 或 ws-nmf");
    pmf_config_default(&in->config);
    pmf_boot_config_default(&in->boot);
    in->config.factors = (int)factors;
    in->config.runs = (int)runs;
    in->config.seed = (uint64_t)seed;
    in->config.robust = robust;
    in->boot.runs = (int)boot;
    in->boot.seed = (uint64_t)seed;
    in->sweep_to = sweep_to > factors ? (int)sweep_to : 0;
    const char *total = json_string_value(json_object_get(s, "total"));
    if (total && *total && pmf_data_set_total(&in->data, total, &e))
        return pmf_refuse(p, "total", "总量变量", &e);
    json_t *cats = json_object_get(s, "categories"), *v;
    const char *name;
    if (cats && !json_is_object(cats))
        return problem_set(p, ERR_INVALID_FIELD, "categories", "物种分类格式错误");
    json_object_foreach(cats, name, v)
    {
        enum pmf_category c;
        if (!json_is_string(v) || pmf_category_parse(json_string_value(v), &c))
            return problem_set(p, ERR_INVALID_FIELD, "categories",
                               "物种分类须为 strong、weak 或 bad");
        if (pmf_data_set_category(&in->data, name, c, &e))
            return pmf_refuse(p, "categories", "物种分类", &e);
    }
    if (pmf_problem_from_data(&in->data, &in->problem, &e))
        return pmf_refuse(p, "categories", "", &e);
    pmf_problem_set_method(&in->problem, method);
    if (pmf_config_check(&in->config, &in->problem, &e))
        return pmf_refuse(p, "factors", "", &e);
    struct pmf_config last = in->config;
    last.factors = in->sweep_to;
    if (in->sweep_to && pmf_config_check(&last, &in->problem, &e))
        return pmf_refuse(p, "sweep_to", "", &e);
    return ERR_OK;
}

static enum err pmf_apply_settings_checked(json_t *settings, struct pmf_job_input *in,
                                           struct problem *p)
{
    enum err er = pmf_apply_settings(settings, in, p);
    if (er != ERR_OK)
        pmf_job_input_free(in);
    return er;
}

/* Equation-based uncertainty from settings.mdl [{species, mdl, ef}]. */
static enum err pmf_build_mdl(const struct pmf_table *c, json_t *mdl, struct pmf_job_input *in,
                              struct problem *p)
{
    double *m = calloc(c->cols, sizeof *m), *ef = calloc(c->cols, sizeof *ef);
    json_t *v;
    size_t i;
    struct pmf_error e;
    enum err er = ERR_OK;

    json_array_foreach(mdl, i, v)
    {
        const char *name = json_string_value(json_object_get(v, "species"));
        for (size_t j = 0; name && j < c->cols; j++)
            if (!strcmp(c->species[j], name)) {
                m[j] = json_number_value(json_object_get(v, "mdl"));
                ef[j] = json_number_value(json_object_get(v, "ef"));
            }
    }
    if (pmf_data_from_mdl(c, m, ef, &in->data, &e))
        er = pmf_refuse(p, "mdl", "", &e);
    free(m);
    free(ef);
    return er;
}

enum err pmf_job_input_build(const char *conc, const char *unc, json_t *settings,
                             struct pmf_job_input *in, struct problem *p)
{
    struct pmf_table c, u;
    struct pmf_error e;
    int rc;

    memset(in, 0, sizeof *in);
    if (pmf_table_parse(conc, strlen(conc), &c, &e))
        return pmf_refuse(p, "conc", "浓度文件", &e);
    if (!unc || !*unc) {
        json_t *mdl = json_object_get(settings, "mdl");
        enum err er = json_is_array(mdl)
                          ? pmf_build_mdl(&c, mdl, in, p)
                          : problem_set(p, ERR_INVALID_FIELD, "unc",
                                        "请上传不确定度文件或给出各组分的检出限与误差比例");
        pmf_table_free(&c);
        if (er != ERR_OK)
            return er;
        return pmf_apply_settings_checked(settings, in, p);
    }
    if (pmf_table_parse(unc, strlen(unc), &u, &e)) {
        pmf_table_free(&c);
        return pmf_refuse(p, "unc", "不确定度文件", &e);
    }
    rc = pmf_data_from_unc(&c, &u, &in->data, &e);
    pmf_table_free(&c);
    pmf_table_free(&u);
    if (rc)
        return pmf_refuse(p, "unc", "", &e);
    return pmf_apply_settings_checked(settings, in, p);
}

void pmf_job_input_free(struct pmf_job_input *in)
{
    pmf_problem_free(&in->problem);
    pmf_data_free(&in->data);
}

/* The settings as stored: only the keys the job reads. */
static json_t *pmf_settings_copy(json_t *body)
{
    static const char *const keys[] = {"factors", "sweep_to",   "runs",      "seed", "robust",
                                       "total",   "categories", "bootstrap", "mdl",  "method"};
    json_t *s = json_object();
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        json_t *v = json_object_get(body, keys[i]);
        if (v)
            json_object_set(s, keys[i], v);
    }
    return s;
}

/* A station analysis' species [{factor, mdl, ef}] as settings.mdl. */
static json_t *pmf_station_mdl(json_t *body)
{
    json_t *out = json_array(), *sp;
    size_t i;
    json_array_foreach(json_object_get(body, "species"), i, sp)
    {
        json_t *one = json_object();
        json_object_set(one, "species", json_object_get(sp, "factor"));
        json_object_set(one, "mdl", json_object_get(sp, "mdl"));
        json_object_set(one, "ef", json_object_get(sp, "ef"));
        json_array_append_new(out, one);
    }
    return out;
}

static enum err pmf_db_failed(struct db *db, struct problem *p)
{
    db_rollback(db);
    return problem_set(p, ERR_INTERNAL, NULL, "%s", "");
}

enum err pmf_analysis_create(struct db *db, const struct audit_actor *actor, json_t *body,
                             struct problem *p, json_t **result)
{
    const char *title, *conc, *unc;
    char from[11], to[11];
    struct pmf_job_input in;

    char *station_csv = NULL, *conc_owned = NULL, *unc_owned = NULL;
    const char *source;
    static const char *const sources[] = {"upload", "station", NULL};

    if (field_text(body, "title", "标题", 100, FIELD_REQUIRED, &title, p) ||
        field_choice(body, "source", "数据来源", sources, FIELD_OPTIONAL, "upload", &source, p) ||
        field_date(body, "period_from", "起始日期", FIELD_OPTIONAL, from, p) ||
        field_date(body, "period_to", "结束日期", FIELD_OPTIONAL, to, p))
        return p->err;
    json_t *settings = pmf_settings_copy(body);
    if (!strcmp(source, "station")) {
        if (pmf_station_table(db, body, &station_csv, p) != ERR_OK) {
            json_decref(settings);
            return p->err;
        }
        json_object_set_new(settings, "mdl", pmf_station_mdl(body));
        json_object_set(settings, "station_id", json_object_get(body, "station_id"));
        conc = station_csv;
        unc = "";
    } else if (pmf_body_text(body, "conc", &conc_owned, &conc, p) ||
               (!json_is_array(json_object_get(body, "mdl")) &&
                pmf_body_text(body, "unc", &unc_owned, &unc, p))) {
        json_decref(settings);
        free(conc_owned);
        free(unc_owned);
        return p->err;
    } else if (json_is_array(json_object_get(body, "mdl"))) {
        unc = "";
    }
    enum err e = pmf_job_input_build(conc, unc, settings, &in, p);
    if (e != ERR_OK) {
        json_decref(settings);
        free(station_csv);
        free(conc_owned);
        free(unc_owned);
        return e;
    }
    json_t *input = json_pack("{s:I, s:I, s:I}", "samples", (json_int_t)in.data.rows, "species",
                              (json_int_t)in.data.cols, "kept", (json_int_t)in.problem.n);
    pmf_job_input_free(&in);
    char *stext = json_dumps(settings, JSON_COMPACT);
    struct pmf_store_new n = {title, from, to, conc, unc, stext, actor->name};
    int64_t id = -1;
    struct jobs_viewer owner = {actor->id, actor->name, false};
    enum err queued = ERR_INTERNAL;
    if (!db_begin(db)) {
        id = pmf_store_insert(db, &n);
        if (id >= 0 && !audit_append_id(db, actor, "pmf.create", "pmf_analysis", id, settings))
            queued = pmf_job_queue_tx(db, &owner, id, title, p);
        if (queued != ERR_OK || db_commit(db))
            id = -1;
    }
    free(stext);
    free(station_csv);
    free(conc_owned);
    free(unc_owned);
    json_decref(settings);
    if (id < 0) {
        json_decref(input);
        if (queued != ERR_OK && queued != ERR_INTERNAL) { /* refused: too many jobs */
            db_rollback(db);
            return queued;
        }
        return pmf_db_failed(db, p);
    }
    jobs_wake();
    *result =
        json_pack("{s:I, s:s, s:o}", "id", (json_int_t)id, "status", "queued", "input", input);
    return ERR_OK;
}

/* An analysis that runs as a job shows the job's state and progress. */
static void pmf_with_job(struct db *db, json_t *row)
{
    json_t *jid = json_object_get(row, "job_id");
    enum err e;
    json_t *job = json_is_integer(jid) ? jobs_get(db, json_integer_value(jid), NULL, &e) : NULL;
    if (!job)
        return;
    json_object_set(row, "status", json_object_get(job, "state"));
    json_object_set(row, "runs_done", json_object_get(job, "done"));
    json_object_set(row, "runs_total", json_object_get(job, "total"));
    json_object_set(row, "eta_seconds", json_object_get(job, "eta_seconds"));
    json_object_set(row, "cancel_requested", json_object_get(job, "cancel_requested"));
    const char *why = json_string_value(json_object_get(job, "error"));
    if (why && *why)
        json_object_set(row, "error", json_object_get(job, "error"));
    json_decref(job);
}

enum err pmf_analysis_get(struct db *db, int64_t id, json_t **result)
{
    int rc = pmf_store_get(db, id, result);
    if (rc < 0)
        return ERR_INTERNAL;
    if (rc == 0)
        *result = NULL;
    else
        pmf_with_job(db, *result);
    return ERR_OK;
}

json_t *pmf_analysis_list(struct db *db)
{
    json_t *rows = pmf_store_list(db), *row;
    size_t i;
    json_array_foreach(rows, i, row)
    {
        pmf_with_job(db, row);
    }
    return rows;
}

enum err pmf_analysis_cancel(struct db *db, const struct audit_actor *actor, int64_t id,
                             struct problem *p, json_t **result)
{
    json_t *row = NULL, *out = NULL;
    int rc = pmf_store_get(db, id, &row);
    if (rc <= 0)
        return rc < 0 ? problem_set(p, ERR_INTERNAL, NULL, "%s", "")
                      : problem_set(p, ERR_NOT_FOUND, NULL, "%s", "");
    json_t *job = json_object_get(row, "job_id");
    int64_t job_id = json_is_integer(job) ? json_integer_value(job) : 0;
    json_decref(row);
    if (job_id) { /* staff and admins cancel any analysis, as before */
        struct jobs_viewer v = {actor->id, actor->name, true};
        if (jobs_cancel(db, &v, job_id, p, &out) != ERR_OK)
            return p->err == ERR_INVALID_STATE
                       ? problem_set(p, ERR_INVALID_STATE, NULL, "分析已结束，无法取消")
                       : p->err;
        json_decref(out);
        return pmf_analysis_get(db, id, result);
    }
    if (db_begin(db))
        return problem_set(p, ERR_INTERNAL, NULL, "%s", "");
    int changed = pmf_store_request_cancel(db, id);
    if (changed < 0)
        return pmf_db_failed(db, p);
    if (changed == 0) {
        db_rollback(db);
        return problem_set(p, ERR_INVALID_STATE, NULL, "分析已结束，无法取消");
    }
    if (audit_append_id(db, actor, "pmf.cancel", "pmf_analysis", id, NULL) || db_commit(db))
        return pmf_db_failed(db, p);
    return pmf_analysis_get(db, id, result);
}

/* Loads a finished analysis or refuses (404, 409 not done). */
static enum err pmf_done(struct db *db, int64_t id, json_t **row, struct problem *p)
{
    int rc = pmf_store_get(db, id, row);
    if (rc < 0)
        return problem_set(p, ERR_INTERNAL, NULL, "%s", "");
    if (rc == 0)
        return problem_set(p, ERR_NOT_FOUND, NULL, "%s", "");
    if (strcmp(json_string_value(json_object_get(*row, "status")), "done")) {
        json_decref(*row);
        *row = NULL;
        return problem_set(p, ERR_INVALID_STATE, NULL, "分析尚未完成");
    }
    if (json_object_get(json_object_get(*row, "result"), "sweep")) {
        json_decref(*row);
        *row = NULL;
        return problem_set(p, ERR_INVALID_STATE, NULL,
                           "因子数筛选只用于选择因子数，不能命名或发布；请按选定的因子数新建解析");
    }
    return ERR_OK;
}

enum err pmf_analysis_names(struct db *db, const struct audit_actor *actor, int64_t id,
                            json_t *body, struct problem *p, json_t **result)
{
    json_t *row = NULL, *names = NULL;
    if (pmf_done(db, id, &row, p) != ERR_OK)
        return p->err;
    size_t k = json_array_size(json_object_get(json_object_get(row, "result"), "factors"));
    json_decref(row);
    if (field_text_list(body, "names", "因子名称", k, 40, FIELD_REQUIRED, &names, p))
        return p->err;
    if (json_array_size(names) != k)
        return problem_set(p, ERR_INVALID_FIELD, "names", "须为全部 %zu 个因子命名", k);
    for (size_t i = 0; i < k; i++)
        if (!*json_string_value(json_array_get(names, i)))
            return problem_set(p, ERR_INVALID_FIELD, "names", "第 %zu 个因子名称为空", i + 1);
    char *text = json_dumps(names, JSON_COMPACT);
    int failed = db_begin(db) || pmf_store_set_names(db, id, text) ||
                 audit_append_id(db, actor, "pmf.names", "pmf_analysis", id, names) ||
                 db_commit(db);
    free(text);
    if (failed)
        return pmf_db_failed(db, p);
    return pmf_analysis_get(db, id, result);
}

enum err pmf_analysis_publish(struct db *db, const struct audit_actor *actor, int64_t id,
                              struct problem *p, json_t **result)
{
    json_t *row = NULL;
    if (pmf_done(db, id, &row, p) != ERR_OK)
        return p->err;
    bool named = json_is_array(json_object_get(row, "names"));
    json_decref(row);
    if (!named)
        return problem_set(p, ERR_INVALID_STATE, NULL, "发布前须由分析人员确认因子名称");
    if (db_begin(db) || pmf_store_publish(db, id, actor->name) ||
        audit_append_id(db, actor, "pmf.publish", "pmf_analysis", id, NULL) || db_commit(db))
        return pmf_db_failed(db, p);
    return pmf_analysis_get(db, id, result);
}

/* A string member of o, or "" (results stored before a member existed). */
static const char *pmf_json_str(json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

/* The public view: title, period, method and each named source's share. */
json_t *pmf_public_view(struct db *db, enum err *e)
{
    json_t *row = NULL;
    int rc = pmf_store_published(db, &row);
    *e = rc < 0 ? ERR_INTERNAL : ERR_OK;
    if (rc <= 0)
        return json_null();
    json_t *res = json_object_get(row, "result"), *names = json_object_get(row, "names");
    json_t *factors = json_object_get(res, "factors"), *sources = json_array(), *f;
    size_t i;
    json_array_foreach(factors, i, f)
    {
        json_array_append_new(sources, json_pack("{s:O, s:O}", "name", json_array_get(names, i),
                                                 "share", json_object_get(f, "share")));
    }
    bool ws = strcmp(pmf_json_str(res, "algorithm"), "ws-nmf") == 0;
    json_t *out = json_pack(
        "{s:O, s:O, s:O, s:O, s:s, s:s, s:O, s:O, s:O, s:O, s:o}", "id", json_object_get(row, "id"),
        "title", json_object_get(row, "title"), "period_from", json_object_get(row, "period_from"),
        "period_to", json_object_get(row, "period_to"), "method",
        ws ? "正定矩阵因子分解（PMF，WS-NMF，与美国 EPA ESAT 算法一致）"
           : "正定矩阵因子分解（PMF，LS-NMF，与美国 EPA ESAT 算法一致）",
        "algorithm", ws ? "ws-nmf" : "ls-nmf", "published_at", json_object_get(row, "published_at"),
        "factors", json_object_get(json_object_get(res, "config"), "factors"), "samples",
        json_object_get(json_object_get(res, "input"), "samples"), "total",
        json_object_get(res, "total"), "sources", sources);
    json_decref(row);
    return out;
}
