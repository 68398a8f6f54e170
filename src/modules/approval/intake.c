/* approval intake — an application comes in: the route under the positive
 * lists (exempt, 告知承诺, standard; 登记表 is an online filing), the
 * materials against the category's checklist, 初审预办 with the automatic
 * siting check, the number, and the first event — one transaction. */
#include "modules/approval/procedure.h"
#include "app/field.h"
#include "domain/industry.h"
#include "db/audit.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

/* ---- intake ---- */

/* The route under the positive lists: exempt, commitment (if requested and
 * listed), or standard; 登记表 is always a filing unless exempt. */
static const char *approval_route(json_t *cfg, const char *category, const char *industry,
                                  bool want_commitment)
{
    size_t i, j;
    json_t *rule, *code;
    json_array_foreach(json_object_get(cfg, "routes"), i, rule)
    {
        const char *route = json_string_value(json_object_get(rule, "route"));
        bool cat_ok = false;
        json_array_foreach(json_object_get(rule, "categories"), j, code) cat_ok |=
            json_is_string(code) && !strcmp(json_string_value(code), category);
        if (!route || !cat_ok)
            continue;
        json_array_foreach(json_object_get(rule, "industries"), j, code)
        {
            const char *c = json_string_value(code);
            size_t cl = c ? strlen(c) : 0;
            if (!c || !cl)
                continue;
            /* rule codes are letter + digits prefixes of the normalised code */
            if (!strncmp(industry, c, cl) ||
                (c[0] >= '0' && c[0] <= '9' && !strncmp(industry + 1, c, cl))) {
                if (!strcmp(route, "exempt"))
                    return "exempt";
                if (!strcmp(route, "commitment") && want_commitment)
                    return "commitment";
            }
        }
    }
    return !strcmp(category, "登记表") ? "filing" : "standard";
}

static enum err approval_intake(const struct approval_who *who, json_t *in, json_t *cfg,
                                int64_t *id, struct problem *p)
{
    static const char *const categories[] = {"报告书", "报告表", "登记表", NULL};
    static const char *const natures[] = {"新建", "扩建", "迁建", "技改", NULL};
    json_t *project = json_object_get(in, "project");
    const char *name, *category, *nature, *preparer_unit, *preparer_person, *industry_in, *crs;
    double investment;
    int64_t ent;
    struct problem q;
    if (!json_is_object(project))
        return problem_set(p, ERR_INVALID_FIELD, "project", "缺少项目信息");
    if (field_text(project, "name", "项目名称", 200, FIELD_REQUIRED, &name, p) ||
        field_text(project, "industry_code", "行业代码", 16, FIELD_REQUIRED, &industry_in, p) ||
        field_text(project, "crs", "坐标系", 16, FIELD_OPTIONAL, &crs, p) ||
        field_text(in, "preparer_unit", "编制单位", 200, FIELD_OPTIONAL, &preparer_unit, p) ||
        field_text(in, "preparer_person", "编制人员", 64, FIELD_OPTIONAL, &preparer_person, p))
        return p->err;
    if (field_choice(in, "category", NULL, categories, FIELD_REQUIRED, NULL, &category, &q))
        return problem_set(p, ERR_INVALID_FIELD, "category", "环评类别须为 报告书/报告表/登记表");
    if (field_choice(project, "nature", NULL, natures, FIELD_EMPTY_ABSENT, "", &nature, &q))
        return problem_set(p, ERR_INVALID_FIELD, "nature", "建设性质须为 新建/扩建/迁建/技改");
    char industry[6];
    if (industry_normalize(industry_in, industry, NULL))
        return problem_set(p, ERR_INVALID_FIELD, "industry_code", "行业代码无效（GB/T 4754）");
    if (field_number(project, "investment", NULL, 0, 1e12, FIELD_OPTIONAL, 0, &investment, &q))
        return problem_set(p, ERR_INVALID_FIELD, "investment", "投资额须为非负数（万元）");
    struct db *db = who->db;
    ent = who->enterprise_id;
    if ((!who->enterprise && field_id(in, "enterprise_id", NULL, FIELD_REQUIRED, &ent, &q)) ||
        ent <= 0 || !approval_store_enterprise_exists(db, ent))
        return problem_set(p, ERR_INVALID_FIELD, "enterprise_id", "建设单位不存在");
    char on[11];
    int32_t day;
    if (approval_on(in, "on", "受理日期", on, &day, p))
        return p->err;
    bool filing = !strcmp(category, "登记表");
    bool commitment;
    if (field_bool(in, "commitment", "告知承诺", FIELD_OPTIONAL, false, &commitment, p))
        return p->err;
    const char *route = approval_route(cfg, category, industry, commitment);
    json_t *missing, *missing_core;
    if (approval_materials(cfg, category, json_object_get(in, "materials"), &missing, &missing_core,
                           p))
        return p->err;
    if (filing && json_array_size(missing_core)) {
        json_decref(missing);
        json_decref(missing_core);
        return problem_set(p, ERR_INVALID_FIELD, "materials",
                           "登记表备案须由法定代表人签署真实性承诺");
    }
    struct audit_actor actor = who->actor;
    json_t *data = json_pack(
        "{s{ss ss ss sf} ss ss sO so so}", "project", "name", name, "nature", nature,
        "industry_code", industry, "investment", investment, "preparer_unit", preparer_unit,
        "preparer_person", preparer_person, "materials",
        json_object_get(in, "materials") ? json_object_get(in, "materials") : json_array(),
        "missing", missing, "missing_core", missing_core);
    json_t *loc = json_object_get(project, "location");
    if (db_begin(db)) {
        json_decref(data);
        return problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    }
    int64_t check_id = 0;
    enum err e = ERR_OK;
    if (loc && !json_is_null(loc) && strcmp(route, "exempt")) {
        /* 初审预办: the siting check runs at intake. */
        json_t *res = NULL;
        e = siting_run(db, &actor, loc, *crs ? crs : NULL, industry, ent, &check_id, &res, p);
        if (!e) {
            json_object_set(json_object_get(data, "project"), "location",
                            json_object_get(res, "location"));
            json_object_set_new(data, "siting_verdict",
                                json_incref(json_object_get(res, "verdict")));
        }
        json_decref(res);
        if (e)
            goto fail;
    }
    const char *status = !strcmp(route, "exempt") ? "exempt" : filing ? "filed" : "submitted";
    int rc = approval_store_insert(db, ent, name, category, route, status, on, filing ? on : "",
                                   check_id, data, id);
    if (rc == 1) {
        e = problem_set(p, ERR_INVALID_FIELD, "enterprise_id", "建设单位不存在");
        goto fail;
    }
    if (rc)
        goto internal;
    char number[32], ymd[9] = {on[0], on[1], on[2], on[3], on[5], on[6], on[8], on[9], 0};
    snprintf(number, sizeof number, "HP%s%05lld", ymd, (long long)*id);
    rc = approval_store_set_number(db, *id, number);
    json_t *detail =
        json_pack("{ss ss ss}", "number", number, "route", route, "category", category);
    if (filing) {
        /* 部令第41号: the filing number and the receipt are issued at once. */
        char fno[40];
        snprintf(fno, sizeof fno, "%s%05lld", ymd, (long long)*id);
        json_object_set_new(detail, "filing_no", json_string(fno));
    }
    if (!rc)
        rc = approval_record_event(db, &actor, *id, filing ? "filed" : "submitted", on, detail);
    json_decref(detail);
    if (rc || db_commit(db))
        goto internal;
    json_decref(data);
    return ERR_OK;
internal:
    e = problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
fail:
    db_rollback(db);
    json_decref(data);
    return e;
}

enum err approval_submit(const struct approval_who *who, json_t *in, int64_t *id, struct problem *p)
{
    json_t *cfg = approval_store_config(who->db);
    enum err e = cfg ? approval_intake(who, in, cfg, id, p)
                     : problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    json_decref(cfg);
    return e;
}
