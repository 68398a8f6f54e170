/* approval invest — the investment and financing project library (招商 /
 * 融资项目库): projects with their amount (万元), sector and stage (签约 →
 * 开工 → 投产, each stage dated), totals by stage and sector, and the link to
 * the project's EIA application, so a project can be followed from signing
 * through approval to construction.
 *
 * Stages only move forward, one at a time; every write is audited in its
 * transaction. Rows are in store_invest.c. */
#include "modules/approval/procedure.h"
#include "app/field.h"
#include "db/audit.h"
#include "db/db.h"

#include <string.h>

static const char *const invest_stages[] = {"签约", "开工", "投产"};
#define INVEST_NSTAGES (sizeof invest_stages / sizeof invest_stages[0])

static enum err invest_internal(struct db *db, struct problem *p)
{
    db_rollback(db);
    return problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
}

static int invest_stage(const char *s)
{
    for (size_t i = 0; s && i < INVEST_NSTAGES; i++)
        if (!strcmp(s, invest_stages[i]))
            return (int)i;
    return -1;
}

enum err invest_create(struct db *db, const struct audit_actor *actor, json_t *in, int64_t *id,
                       struct problem *p)
{
    static const char *const kinds[] = {"招商", "融资", NULL};
    const char *name, *kind, *sector, *number, *note;
    double amount;
    int64_t ent;
    char on[11];
    struct problem q;
    if (field_text(in, "name", "项目名称", 200, FIELD_REQUIRED, &name, &q))
        return problem_set(p, ERR_INVALID_FIELD, "name", "须填写项目名称");
    if (field_choice(in, "kind", "类型", kinds, FIELD_REQUIRED, NULL, &kind, &q))
        return problem_set(p, ERR_INVALID_FIELD, "kind", "类型须为 招商 或 融资");
    if (field_text(in, "sector", "所属行业", 64, FIELD_REQUIRED, &sector, &q))
        return problem_set(p, ERR_INVALID_FIELD, "sector", "须填写所属行业");
    if (field_number(in, "amount", "金额", 0, 1e9, FIELD_REQUIRED, 0, &amount, &q))
        return problem_set(p, ERR_INVALID_FIELD, "amount", "金额须为非负数（万元）");
    if (field_text(in, "note", "备注", 1000, FIELD_MULTILINE, &note, &q))
        return problem_set(p, ERR_INVALID_FIELD, "note", "备注无效");
    if (field_id(in, "enterprise_id", "企业", FIELD_OPTIONAL, &ent, &q))
        return problem_set(p, ERR_INVALID_FIELD, "enterprise_id", "企业无效");
    int32_t day;
    if (approval_on(in, "on", "签约日期", on, &day, p))
        return p->err;
    if (field_text(in, "app_number", "环评受理编号", 31, FIELD_OPTIONAL, &number, &q) ||
        (*number && invest_store_app_exists(db, number) != 1))
        return problem_set(p, ERR_INVALID_FIELD, "app_number", "未找到该环评受理编号");
    if (db_begin(db))
        return problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    int rc = invest_store_insert(db, name, kind, sector, amount, ent, number, on, note, id);
    if (rc == 1) {
        db_rollback(db);
        return problem_set(p, ERR_INVALID_FIELD, "enterprise_id", "企业不存在");
    }
    if (rc)
        return invest_internal(db, p);
    if (audit_append_id(db, actor, "invest.create", "invest_project", *id, in) || db_commit(db))
        return invest_internal(db, p);
    return ERR_OK;
}

enum err invest_advance(struct db *db, const struct audit_actor *actor, int64_t id, json_t *in,
                        struct problem *p)
{
    char on[11];
    int32_t day;
    if (approval_on(in, "on", "日期", on, &day, p))
        return p->err;
    if (db_begin(db))
        return problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    char status[32], last[11];
    int rc = invest_store_stage(db, id, status, sizeof status, last);
    if (rc) {
        db_rollback(db);
        return problem_set(p, ERR_NOT_FOUND, NULL, "%s", err_message(ERR_NOT_FOUND));
    }
    int stage = invest_stage(status);
    if (stage < 0 || stage + 1 >= (int)INVEST_NSTAGES) {
        db_rollback(db);
        return problem_set(p, ERR_INVALID_STATE, "status", "项目已投产，没有下一阶段");
    }
    if (strcmp(on, last) < 0) {
        db_rollback(db);
        return problem_set(p, ERR_INVALID_FIELD, "on", "日期不得早于上一阶段（%s）", last);
    }
    rc = invest_store_set_stage(db, id, stage + 1, invest_stages[stage + 1], on);
    json_t *d = json_pack("{ss ss}", "status", invest_stages[stage + 1], "on", on);
    rc = rc || audit_append_id(db, actor, "invest.advance", "invest_project", id, d);
    json_decref(d);
    if (rc || db_commit(db))
        return invest_internal(db, p);
    return ERR_OK;
}

enum err invest_link(struct db *db, const struct audit_actor *actor, int64_t id, json_t *in,
                     struct problem *p)
{
    const char *number;
    struct problem q;
    json_t *v = json_object_get(in, "app_number");
    /* "" unlinks, so the field must be there (an absent one is not "") */
    if (!json_is_string(v) ||
        field_text(in, "app_number", "环评受理编号", 31, FIELD_OPTIONAL, &number, &q) ||
        (*number && invest_store_app_exists(db, number) != 1))
        return problem_set(p, ERR_INVALID_FIELD, "app_number", "未找到该环评受理编号");
    if (db_begin(db))
        return problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    int n = invest_store_link(db, id, number);
    if (n == 0) {
        db_rollback(db);
        return problem_set(p, ERR_NOT_FOUND, NULL, "%s", err_message(ERR_NOT_FOUND));
    }
    if (n < 0 || audit_append_id(db, actor, "invest.link", "invest_project", id, in) ||
        db_commit(db))
        return invest_internal(db, p);
    return ERR_OK;
}

/* A listed row with its application as {number, status, id} or null. */
static void invest_row(json_t *o)
{
    const char *number = json_string_value(json_object_get(o, "app_number"));
    const char *status = json_string_value(json_object_get(o, "app_status"));
    json_object_set_new(o, "application",
                        number && *number ? json_pack("{ss ss sO}", "number", number, "status",
                                                      status ? status : "unknown", "id",
                                                      json_object_get(o, "app_id"))
                                          : json_null());
    json_object_del(o, "app_number");
    json_object_del(o, "app_status");
    json_object_del(o, "app_id");
    if (!json_is_string(json_object_get(o, "note")))
        json_object_set_new(o, "note", json_string(""));
}

json_t *invest_list(struct db *db, const char *status, const char *sector, const char *kind,
                    int limit)
{
    json_t *items = invest_store_list(db, status, sector, kind, limit);
    if (!items)
        return NULL;
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o) invest_row(o);
    json_t *all = invest_store_totals(db, NULL);
    return json_pack("{so s{so so so so}}", "items", items, "totals", "by_status",
                     invest_store_totals(db, "status"), "by_sector",
                     invest_store_totals(db, "sector"), "by_kind", invest_store_totals(db, "kind"),
                     "all", all ? all : json_object());
}
