/* approval invest — the investment and financing project library (招商 /
 * 融资项目库): projects with their amount (万元), sector and stage (签约 →
 * 开工 → 投产, each stage dated), totals by stage and sector, and the link to
 * the project's EIA application, so a project can be followed from signing
 * through approval to construction.
 *
 * Stages only move forward, one at a time; every write is audited in its
 * transaction. Rows are in store_invest.c.
 *
 * 未批先建 (环评法 Art. 25, 31): a project whose construction has started
 * while its linked EIA application had not cleared it is flagged. The flag is
 * computed on every read from the stored facts, so it appears the moment both
 * exist — on advancing to 开工 with an unapproved application linked, on
 * linking one to a project already started, and when an application's state
 * changes later (revoked, withdrawn, approved) — and the writes that create
 * it also record it in the audit log (invest.unapproved_start). A staff
 * member hands it to supervision as a case (invest_case). */
#include "modules/approval/procedure.h"
#include "app/field.h"
#include "core/timeutil.h"
#include "db/audit.h"
#include "db/db.h"
#include "modules/supervision/supervision.h"

#include <stdio.h>
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

/* The statuses under which construction may start (approved, filed as a
 * 登记表, exempt from EIA) — when reached no later than the start. */
static bool invest_app_clears(const char *status, const char *decided_on, const char *started_on)
{
    static const char *const ok[] = {"approved", "filed", "exempt"};
    for (size_t i = 0; status && i < sizeof ok / sizeof ok[0]; i++)
        if (!strcmp(status, ok[i]))
            return !decided_on || !*decided_on || strcmp(decided_on, started_on) <= 0;
    return false;
}

/* The 未批先建 flag of a project row (invest_store_get's fields): NULL when
 * construction has not started, no application is linked, or the linked one
 * cleared it in time; else {since (the start of construction), app_number,
 * app_status, reason} (new reference). Started after a later approval stays
 * flagged: the construction happened without it. */
static json_t *invest_unapproved(json_t *o)
{
    const char *stage = json_string_value(json_object_get(o, "status"));
    const char *number = json_string_value(json_object_get(o, "app_number"));
    if (invest_stage(stage) < 1 || !number || !*number)
        return NULL;
    const char *since = json_string_value(json_object_get(o, "started_on"));
    if (!since || !*since)
        since = json_string_value(json_object_get(o, "updated_on"));
    const char *status = json_string_value(json_object_get(o, "app_status"));
    const char *decided = json_string_value(json_object_get(o, "app_decided_on"));
    if (!since || invest_app_clears(status, decided, since))
        return NULL;
    char reason[200];
    if (status && decided && *decided && !strcmp(status, "approved"))
        snprintf(reason, sizeof reason, "%s 开工，环评 %s 方获批准", since, decided);
    else
        snprintf(reason, sizeof reason, "%s 开工，关联环评审批尚未批准", since);
    return json_pack("{ss ss ss ss}", "since", since, "app_number", number, "app_status",
                     status ? status : "unknown", "reason", reason);
}

/* Inside a write transaction: audits the project's 未批先建 when the write
 * just made (or kept) it so. 0 or -1. */
static int invest_flag_audit(struct db *db, const struct audit_actor *actor, int64_t id)
{
    json_t *row = invest_store_get(db, id);
    if (!row)
        return -1;
    json_t *flag = invest_unapproved(row);
    json_decref(row);
    if (!flag)
        return 0;
    int rc = audit_append_id(db, actor, "invest.unapproved_start", "invest_project", id, flag);
    json_decref(flag);
    return rc;
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
    rc = rc || audit_append_id(db, actor, "invest.advance", "invest_project", id, d) ||
         invest_flag_audit(db, actor, id);
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
        invest_flag_audit(db, actor, id) || db_commit(db))
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
    json_t *flag = invest_unapproved(o);
    json_object_set_new(o, "unapproved_start", flag ? flag : json_null());
    json_t *app = json_object_get(o, "application");
    if (json_is_object(app)) {
        json_object_set(app, "decided_on", json_object_get(o, "app_decided_on"));
        json_object_set(app, "enterprise_id", json_object_get(o, "app_enterprise_id"));
    }
    static const char *const internal[] = {"app_number", "app_status", "app_id", "app_decided_on",
                                           "app_enterprise_id"};
    for (size_t i = 0; i < sizeof internal / sizeof internal[0]; i++)
        json_object_del(o, internal[i]);
    if (!json_is_string(json_object_get(o, "note")))
        json_object_set_new(o, "note", json_string(""));
}

json_t *invest_get(struct db *db, int64_t id)
{
    json_t *o = invest_store_get(db, id);
    if (o)
        invest_row(o);
    return o;
}

json_t *invest_list(struct db *db, const char *status, const char *sector, const char *kind,
                    bool unapproved_only, int limit)
{
    json_t *rows = invest_store_list(db, status, sector, kind, limit);
    if (!rows)
        return NULL;
    json_t *items = json_array();
    json_int_t flagged = 0;
    size_t i;
    json_t *o;
    json_array_foreach(rows, i, o)
    {
        invest_row(o);
        bool flag = json_is_object(json_object_get(o, "unapproved_start"));
        flagged += flag;
        if (flag || !unapproved_only)
            json_array_append(items, o);
    }
    json_decref(rows);
    json_t *all = invest_store_totals(db, NULL);
    return json_pack("{so s{so so so so} sI}", "items", items, "totals", "by_status",
                     invest_store_totals(db, "status"), "by_sector",
                     invest_store_totals(db, "sector"), "by_kind", invest_store_totals(db, "kind"),
                     "all", all ? all : json_object(), "unapproved", flagged);
}

static enum err invest_case_refuse(struct db *db, struct problem *p, enum err e, const char *msg)
{
    db_rollback(db);
    return problem_set(p, e, NULL, "%s", msg);
}

enum err invest_case(struct db *db, const struct audit_actor *actor, int64_t id, json_t *in,
                     int64_t *case_id, struct problem *p)
{
    const char *title;
    if (field_text(in, "title", "案件名称", 200, FIELD_OPTIONAL, &title, p))
        return p->err;
    char today[11], deftitle[300];
    timeutil_format_date(timeutil_now(), today, sizeof today);
    if (db_begin(db))
        return problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    json_t *row = invest_store_get(db, id);
    if (!row)
        return invest_case_refuse(db, p, ERR_NOT_FOUND, err_message(ERR_NOT_FOUND));
    json_t *flag = invest_unapproved(row);
    int64_t ent = json_integer_value(json_object_get(row, "enterprise_id"));
    if (!ent)
        ent = json_integer_value(json_object_get(row, "app_enterprise_id"));
    int64_t prior = json_integer_value(json_object_get(row, "case_id"));
    snprintf(deftitle, sizeof deftitle, "未批先建：%s",
             json_string_value(json_object_get(row, "name")));
    json_decref(row);
    json_decref(flag);
    if (!flag)
        return invest_case_refuse(db, p, ERR_INVALID_STATE, "该项目没有未批先建情形，无需移送");
    if (prior) {
        char msg[80];
        snprintf(msg, sizeof msg, "该项目已移送监管执法（案件 %lld）", (long long)prior);
        return invest_case_refuse(db, p, ERR_INVALID_STATE, msg);
    }
    if (!ent)
        return invest_case_refuse(db, p, ERR_INVALID_STATE, "项目及其环评均未关联企业，无法立案");
    if (supervision_case_open(db, actor, ent, *title ? title : deftitle, "未批先建", today, case_id,
                              p)) {
        db_rollback(db);
        return p->err;
    }
    json_t *d = json_pack("{sI}", "case_id", (json_int_t)*case_id);
    int rc = invest_store_set_case(db, id, *case_id) ||
             audit_append_id(db, actor, "invest.case", "invest_project", id, d);
    json_decref(d);
    if (rc || db_commit(db))
        return invest_internal(db, p);
    return ERR_OK;
}
