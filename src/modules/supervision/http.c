/* supervision http — the routes of the supervision module: the staff API
 * under /api/v1/supervision and the public disclosure centre under
 * /api/v1/public/supervision (no login). Each handler reads its input with the
 * kit, calls one rule function (draw.c, positive_list.c, credit.c,
 * inspection.c, case.c, disclosure.c) and answers with the kit: a write
 * through sup_write (kit_write_begin/kit_write_end; 201 + Location for one
 * that creates a record), a read with kit_answer, a CSV or Atom with kit_text.
 *
 * Writes are for admin and staff; leaders read. Enterprise users may read
 * their own inspections, rectifications, penalties, alarms and cases only. */
#include "app/app.h"
#include "app/kit.h"
#include "app/kit_list.h"
#include "modules/supervision/supervision.h"
#include "core/timeutil.h"
#include "db/audit_anchor.h"
#include "domain/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define STAFF ROLE_BIT(ROLE_STAFF)
#define ENTERPRISE ROLE_BIT(ROLE_ENTERPRISE)
#define WRITERS (ADMIN | STAFF)

/* What a write needs besides its input: SUP_CREATED answers 201 + Location
 * (a write that creates a record), SUP_WORKDAYS read-locks the calendar for
 * the rule (it counts working days). */
enum sup_write_flags { SUP_UPDATED = 0, SUP_CREATED = 1 << 0, SUP_WORKDAYS = 1 << 1 };

/* One write: the kit reads the path id (path), the body and the actor; the
 * rule gets them with today (and the calendar with SUP_WORKDAYS). */
static void sup_write(struct http_req *r, enum kit_write_path path, unsigned flags,
                      sup_write_fn *rule)
{
    bool cal = flags & SUP_WORKDAYS;
    struct kit_write w;
    if (!kit_write_begin(r, path, &w))
        return;
    struct sup_ctx c = {.db = r->db, .actor = &w.actor};
    timeutil_format_date(timeutil_now(), c.today, sizeof c.today);
    if (cal)
        c.cal = app_calendar_lock(r->app);
    json_t *out = NULL;
    enum err e = rule(&c, w.id, w.body, &out, &w.p);
    if (cal)
        app_calendar_unlock(r->app);
    kit_write_end(r, &w, flags & SUP_CREATED, e, out);
}

static void h_matter_create(struct http_req *r)
{
    sup_write(r, KIT_NO_ID, SUP_CREATED, sup_matter_create);
}

static void h_class_update(struct http_req *r)
{
    sup_write(r, KIT_NO_ID, SUP_UPDATED, sup_class_update);
}

static void h_inspector_create(struct http_req *r)
{
    sup_write(r, KIT_NO_ID, SUP_CREATED, sup_inspector_create);
}

static void h_conflict_create(struct http_req *r)
{
    sup_write(r, KIT_NO_ID, SUP_CREATED, sup_conflict_create);
}

static void h_target_class(struct http_req *r)
{
    sup_write(r, KIT_NO_ID, SUP_UPDATED, sup_target_class_set);
}

static void h_draw_create(struct http_req *r)
{
    sup_write(r, KIT_NO_ID, SUP_CREATED, sup_draw_create);
}

static void h_draw_execute(struct http_req *r)
{
    sup_write(r, KIT_PATH_ID, SUP_UPDATED, sup_draw_execute);
}

static void h_draw_publish(struct http_req *r)
{
    sup_write(r, KIT_PATH_ID, SUP_UPDATED, sup_draw_publish);
}

static void h_draw_result(struct http_req *r)
{
    sup_write(r, KIT_PATH_ID, SUP_UPDATED | SUP_WORKDAYS, sup_draw_result);
}

static void h_draw_result_publish(struct http_req *r)
{
    sup_write(r, KIT_PATH_ID, SUP_UPDATED, sup_draw_result_publish);
}

static void h_criterion_update(struct http_req *r)
{
    sup_write(r, KIT_NO_ID, SUP_UPDATED, sup_criterion_update);
}

static void h_facts_update(struct http_req *r)
{
    sup_write(r, KIT_NO_ID, SUP_UPDATED, sup_facts_update);
}

static void h_positive_include(struct http_req *r)
{
    sup_write(r, KIT_NO_ID, SUP_CREATED, sup_positive_include);
}

static void h_proposal_decide(struct http_req *r)
{
    sup_write(r, KIT_PATH_ID, SUP_UPDATED, sup_proposal_decide);
}

static void h_positive_scan(struct http_req *r)
{
    sup_write(r, KIT_NO_ID, SUP_UPDATED, sup_positive_scan);
}

static void h_preparer_create(struct http_req *r)
{
    sup_write(r, KIT_NO_ID, SUP_CREATED, sup_preparer_create);
}

static void h_credit_event(struct http_req *r)
{
    sup_write(r, KIT_PATH_ID, SUP_UPDATED, sup_credit_event_create);
}

static void h_preparer_report(struct http_req *r)
{
    sup_write(r, KIT_PATH_ID, SUP_UPDATED, sup_preparer_report_create);
}

static void h_publication(struct http_req *r)
{
    sup_write(r, KIT_NO_ID, SUP_CREATED, sup_publication_create);
}

static void h_institution_create(struct http_req *r)
{
    sup_write(r, KIT_NO_ID, SUP_CREATED, sup_institution_create);
}

static void h_evidence_create(struct http_req *r)
{
    sup_write(r, KIT_PATH_ID, SUP_CREATED, sup_evidence_create);
}

static void h_inspection_create(struct http_req *r)
{
    sup_write(r, KIT_NO_ID, SUP_CREATED, sup_inspection_create);
}

static void h_rectification_done(struct http_req *r)
{
    sup_write(r, KIT_PATH_ID, SUP_UPDATED, sup_rectification_done);
}

static void h_penalty_create(struct http_req *r)
{
    sup_write(r, KIT_NO_ID, SUP_CREATED, sup_penalty_create);
}

static void h_incident_create(struct http_req *r)
{
    sup_write(r, KIT_NO_ID, SUP_CREATED, sup_incident_create);
}

static void h_alarm_create(struct http_req *r)
{
    sup_write(r, KIT_NO_ID, SUP_CREATED, sup_alarm_create);
}

static void h_alarm_verify(struct http_req *r)
{
    sup_write(r, KIT_PATH_ID, SUP_UPDATED, sup_alarm_verify);
}

static void h_alarm_dismiss(struct http_req *r)
{
    sup_write(r, KIT_PATH_ID, SUP_UPDATED, sup_alarm_dismiss);
}

static void h_alarm_case(struct http_req *r)
{
    sup_write(r, KIT_PATH_ID, SUP_UPDATED, sup_alarm_case);
}

static void h_case_rectify(struct http_req *r)
{
    sup_write(r, KIT_PATH_ID, SUP_UPDATED, sup_case_rectify);
}

static void h_case_close(struct http_req *r)
{
    sup_write(r, KIT_PATH_ID, SUP_UPDATED, sup_case_close);
}

/* The lists an enterprise user may read (its own rows only). */
static const char *const sup_enterprise_lists[] = {"inspections", "rectifications", "penalties",
                                                   "alarms", "cases"};

/* The exports of the lists with a page of their own (columns as the pages
 * show them); the reference lists (matters, classes, ...) have none. */
static const char *const sup_draw_status_zh[] = {
    "committed", "已承诺种子", "drawn", "已抽取（保密）", "published", "已公开", NULL};
static const char *const sup_alarm_status_zh[] = {
    "new", "待核实", "verified", "已核实", "dismissed", "已排除", "case", "已立案", NULL};
static const char *const sup_case_status_zh[] = {"open",   "已立案", "rectifying", "整改中",
                                                 "closed", "已结案", NULL};
static const char *const sup_rect_status_zh[] = {"open", "整改中", "done", "已完成", NULL};
static const char *const sup_proposal_status_zh[] = {"open",     "待决定",   "accepted", "已移出",
                                                     "rejected", "不予移出", NULL};
static const char *const sup_preset_zh[] = {"national", "国家通用", "jiangxi", "江西 a/b/c", NULL};
static const char *const sup_result_zh[] = {"compliant", "未发现问题", "issues", "发现问题", NULL};
static const char *const sup_severity_zh[] = {"normal", "一般", "serious", "严重", NULL};
static const struct kit_col sup_draw_cols[] = {
    KIT_NUMBER("id", "编号"),
    KIT_TEXT("title", "抽查任务"),
    KIT_TEXT("matter", "抽查事项"),
    KIT_TEXT("period", "周期"),
    KIT_CODE("preset", "分类方案", sup_preset_zh),
    KIT_TEXT("draw_date", "抽取日期"),
    KIT_NUMBER("targets", "抽中对象数"),
    KIT_CODE("status", "状态", sup_draw_status_zh),
    KIT_TEXT("seed_hash", "种子摘要"),
    KIT_TIME("published_at", "公开时间"),
};
static const struct kit_col sup_case_cols[] = {
    KIT_NUMBER("id", "编号"),
    KIT_TEXT("enterprise", "企业"),
    KIT_TEXT("title", "案件"),
    KIT_TEXT("opened_on", "立案日期"),
    KIT_CODE("status", "状态", sup_case_status_zh),
    KIT_TEXT("requirement", "整改要求"),
    KIT_TEXT("due_on", "整改期限"),
    KIT_TEXT("closed_on", "结案日期"),
    KIT_TEXT("closing_note", "结案说明"),
};
static const struct kit_col sup_alarm_cols[] = {
    KIT_NUMBER("id", "编号"),
    KIT_TEXT("enterprise", "企业"),
    KIT_TEXT("source", "来源"),
    KIT_TEXT("point", "点位"),
    KIT_TEXT("factor", "因子"),
    KIT_NUMBER("value", "监测值"),
    KIT_NUMBER("limit_value", "限值"),
    KIT_TEXT("unit", "单位"),
    KIT_TIME("observed_at", "监测时间"),
    KIT_CODE("severity", "严重程度", sup_severity_zh),
    KIT_CODE("status", "状态", sup_alarm_status_zh),
};
static const struct kit_col sup_inspection_cols[] = {
    KIT_NUMBER("id", "编号"),
    KIT_TEXT("enterprise", "企业"),
    KIT_TEXT("inspected_on", "检查日期"),
    KIT_TEXT("findings", "检查发现"),
    KIT_CODE("result", "检查结果", sup_result_zh),
    KIT_NUMBER("draw_id", "抽查任务编号"),
};
static const struct kit_col sup_rect_cols[] = {
    KIT_NUMBER("id", "编号"),
    KIT_TEXT("enterprise", "企业"),
    KIT_TEXT("requirement", "整改要求"),
    KIT_TEXT("due_on", "整改期限"),
    KIT_CODE("status", "状态", sup_rect_status_zh),
    KIT_TEXT("done_on", "完成日期"),
};
static const struct kit_col sup_penalty_cols[] = {
    KIT_TEXT("decision_no", "处罚决定书文号"), KIT_TEXT("enterprise", "企业"),
    KIT_TEXT("uscc", "统一社会信用代码"),      KIT_TEXT("decided_on", "决定日期"),
    KIT_TEXT("violation", "违法行为"),         KIT_TEXT("basis", "处罚依据"),
    KIT_YUAN("amount_fen", "罚款(元)"),        KIT_TEXT("measures", "其他措施"),
};
static const struct kit_col sup_incident_cols[] = {
    KIT_NUMBER("id", "编号"),  KIT_TEXT("enterprise", "企业"),  KIT_TEXT("occurred_on", "发生日期"),
    KIT_TEXT("level", "级别"), KIT_TEXT("description", "情况"),
};
static const struct kit_col sup_positive_cols[] = {
    KIT_TEXT("enterprise", "企业"),         KIT_TEXT("uscc", "统一社会信用代码"),
    KIT_TEXT("decision_no", "决定文号"),    KIT_TEXT("valid_from", "有效期起"),
    KIT_TEXT("valid_until", "有效期止"),    KIT_TEXT("removed_on", "移出日期"),
    KIT_TEXT("removal_reason", "移出原因"),
};
static const struct kit_col sup_proposal_cols[] = {
    KIT_NUMBER("id", "编号"),
    KIT_TEXT("enterprise", "企业"),
    KIT_TEXT("reason", "原因"),
    KIT_TEXT("detail", "详情"),
    KIT_CODE("status", "状态", sup_proposal_status_zh),
    KIT_TEXT("decided_note", "处理意见"),
};
static const struct kit_col sup_preparer_cols[] = {
    KIT_TEXT("code", "编号"),
    KIT_TEXT("name", "名称"),
    KIT_TEXT("kind", "类型"),
    KIT_TEXT("employer", "所在单位"),
    KIT_TEXT("registered_on", "登记日期"),
};
static const struct {
    const char *what;
    struct kit_sheet sheet;
} sup_sheets[] = {
    {"draws", KIT_SHEET("draws", "双随机抽查", sup_draw_cols)},
    {"cases", KIT_SHEET("cases", "案件", sup_case_cols)},
    {"alarms", KIT_SHEET("alarms", "报警", sup_alarm_cols)},
    {"inspections", KIT_SHEET("inspections", "现场检查", sup_inspection_cols)},
    {"rectifications", KIT_SHEET("rectifications", "整改", sup_rect_cols)},
    {"penalties", KIT_SHEET("penalties", "行政处罚", sup_penalty_cols)},
    {"incidents", KIT_SHEET("incidents", "突发事件", sup_incident_cols)},
    {"positive", KIT_SHEET("positive-list", "正面清单", sup_positive_cols)},
    {"proposals", KIT_SHEET("positive-proposals", "移出建议", sup_proposal_cols)},
    {"preparers", KIT_SHEET("preparers", "编制单位和人员", sup_preparer_cols)},
};

/* The export of list what; NULL when it has none. */
static const struct kit_sheet *sup_sheet(const char *what)
{
    for (size_t i = 0; i < sizeof sup_sheets / sizeof sup_sheets[0]; i++)
        if (!strcmp(sup_sheets[i].what, what))
            return &sup_sheets[i].sheet;
    return NULL;
}

/* The date query parameter, today when absent; -1 when answered 422. */
static int sup_query_date(struct http_req *r, char out[11])
{
    if (kit_query_date(r, "date", out))
        return -1;
    if (!*out)
        timeutil_format_date(timeutil_now(), out, 11);
    return 0;
}

static void h_list(struct http_req *r)
{
    const char *what = r->params[0];
    int64_t ent = 0;
    if (r->session.user.role == ROLE_ENTERPRISE) {
        bool ok = false;
        for (size_t i = 0; i < sizeof sup_enterprise_lists / sizeof sup_enterprise_lists[0]; i++)
            ok |= !strcmp(what, sup_enterprise_lists[i]);
        if (!ok) {
            /* A staff list is forbidden; a list that does not exist is simply not found. */
            json_t *known = sup_list(r->db, what, 0, "", 0);
            kit_answer(r, known ? ERR_FORBIDDEN : ERR_OK, NULL, NULL);
            json_decref(known);
            return;
        }
        ent = r->session.user.enterprise_id;
    } else {
        ent = kit_query_id(r, "enterprise_id");
        if (ent < 0)
            return;
    }
    bool bad;
    const char *q = kit_query_text(r, "q", 200, &bad);
    if (bad)
        return;
    json_t *items = sup_list(r->db, what, ent, q ? q : "", kit_limit(r, 200, 1000));
    kit_list(r, ERR_OK, NULL, items ? json_pack("{so}", "items", items) : NULL, sup_sheet(what));
}

static void h_targets(struct http_req *r)
{
    char date[11];
    if (sup_query_date(r, date))
        return;
    bool bad;
    const char *preset = kit_query_choice(r, "preset", sup_presets, "national", &bad);
    if (bad)
        return;
    json_t *t = sup_targets(r->db, preset, date);
    kit_items(r, t);
}

static void sup_draw_answer(struct http_req *r, bool public_view)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    bool missing = false;
    json_t *d = sup_draw_get(r->db, id, public_view, &missing);
    kit_answer(r, d || missing ? ERR_OK : ERR_INTERNAL, NULL, d);
}

static void h_draw_get(struct http_req *r)
{
    sup_draw_answer(r, false);
}

static void h_public_draw_get(struct http_req *r)
{
    sup_draw_answer(r, true);
}

static void sup_draw_file_answer(struct http_req *r, bool public_view)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    const char *which = r->params[1];
    bool missing = false;
    char *text =
        strlen(which) <= 32 ? sup_draw_file(r->db, id, which, public_view, &missing) : NULL;
    if (!text) {
        kit_answer(r, ERR_OK, NULL, NULL); /* 404 */
        return;
    }
    char name[80];
    snprintf(name, sizeof name, "draw-%lld-%s.csv", (long long)id, which);
    for (char *s = name; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '.'))
            *s = '_';
    kit_text(r, "text/csv; charset=utf-8", name, text, strlen(text));
    free(text);
}

static void h_draw_file(struct http_req *r)
{
    sup_draw_file_answer(r, false);
}

static void h_public_draw_file(struct http_req *r)
{
    sup_draw_file_answer(r, true);
}

/* A record by the path's id as of the date parameter (today when absent). */
static void sup_dated_answer(struct http_req *r,
                             json_t *(*get)(struct db *, int64_t, const char *, bool *))
{
    int64_t id = kit_path_id(r, 0);
    char date[11];
    if (!id || sup_query_date(r, date))
        return;
    bool missing = false;
    json_t *out = get(r->db, id, date, &missing);
    kit_answer(r, out || missing ? ERR_OK : ERR_INTERNAL, NULL, out);
}

static void h_positive_evaluate(struct http_req *r)
{
    sup_dated_answer(r, sup_positive_evaluate);
}

static void h_preparer_get(struct http_req *r)
{
    sup_dated_answer(r, sup_preparer_get);
}

static void h_preparer_blocked(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    char date[11], reason[256];
    if (!id || sup_query_date(r, date))
        return;
    int b = credit_preparer_blocked(r->db, id, date, reason, sizeof reason);
    struct problem p = {0};
    if (b < 0) {
        problem_set(&p, ERR_NOT_FOUND, NULL, "%s", reason);
        kit_answer(r, p.err, &p, NULL);
        return;
    }
    kit_answer(r, ERR_OK, NULL,
               json_pack("{sI ss sb ss}", "preparer_id", (json_int_t)id, "date", date, "blocked",
                         b == 1, "reason", reason));
}

static void h_institutions(struct http_req *r)
{
    char date[11];
    int32_t day;
    if (sup_query_date(r, date) || calendar_parse_date(date, &day))
        return;
    json_t *rows = sup_institutions(r->db, calendar_year_of(day));
    kit_items(r, rows);
}

static void h_stats(struct http_req *r)
{
    char today[11];
    timeutil_format_date(timeutil_now(), today, sizeof today);
    kit_answer(r, ERR_OK, NULL, sup_stats(r->db, today));
}

/* The public lists; the whole centre (list NULL) also carries the newest
 * signed head of the audit chain, so anyone can keep a copy and later show
 * that the log was cut or rewritten (docs/security.md). */
static void sup_public_answer(struct http_req *r, const char *list)
{
    char date[11];
    if (sup_query_date(r, date))
        return;
    bool bad, missing = false;
    const char *q = kit_query_text(r, "q", 200, &bad);
    if (bad)
        return;
    json_t *out = sup_public(r->db, list, date, q ? q : "", &missing);
    if (out && !list)
        json_object_set_new(out, "audit_checkpoint", audit_checkpoint_latest(r->db));
    kit_answer(r, out || missing ? ERR_OK : ERR_INTERNAL, NULL, out);
}

static void h_public_all(struct http_req *r)
{
    sup_public_answer(r, NULL);
}

static void h_public_list(struct http_req *r)
{
    sup_public_answer(r, r->params[0]);
}

/* /feed/<list>.json or /feed/<list>.atom */
static void h_public_feed(struct http_req *r)
{
    const char *name = r->params[0];
    const char *dot = strrchr(name, '.');
    char list[40];
    if (!dot || (size_t)(dot - name) >= sizeof list) {
        kit_answer(r, ERR_OK, NULL, NULL); /* 404 */
        return;
    }
    snprintf(list, sizeof list, "%.*s", (int)(dot - name), name);
    char date[11];
    if (sup_query_date(r, date))
        return;
    bool missing = false;
    if (!strcmp(dot, ".json")) {
        json_t *out = sup_public(r->db, list, date, "", &missing);
        if (!out) {
            kit_answer(r, missing ? ERR_OK : ERR_INTERNAL, NULL, NULL);
            return;
        }
        json_t *l = json_array_get(json_object_get(out, "lists"), 0);
        json_t *feed = json_pack("{ss ss ss sO}", "version", "https://jsonfeed.org/version/1.1",
                                 "title", json_string_value(json_object_get(l, "name")), "as_of",
                                 date, "items", json_object_get(l, "history"));
        json_decref(out);
        kit_answer(r, ERR_OK, NULL, feed);
        return;
    }
    if (strcmp(dot, ".atom")) {
        kit_answer(r, ERR_OK, NULL, NULL); /* 404 */
        return;
    }
    char base[160];
    const char *host = http_header(r, "Host");
    snprintf(base, sizeof base, "http://%s",
             host && strlen(host) < 100 && !strpbrk(host, "<>\"&") ? host : "localhost");
    char *xml = sup_public_atom(r->db, list, date, base, &missing);
    if (!xml) {
        kit_answer(r, missing ? ERR_OK : ERR_INTERNAL, NULL, NULL);
        return;
    }
    kit_text(r, "application/atom+xml; charset=utf-8", NULL, xml, strlen(xml));
    free(xml);
}

#define S "/api/v1/supervision"
#define P "/api/v1/public/supervision"

static const struct route sup_table[] = {
    {HTTP_GET, P, h_public_all, ROLES_ANY, 0},
    {HTTP_GET, P "/lists/{list}", h_public_list, ROLES_ANY, 0},
    {HTTP_GET, P "/feed/{name}", h_public_feed, ROLES_ANY, 0},
    {HTTP_GET, P "/draws/{id}", h_public_draw_get, ROLES_ANY, 0},
    {HTTP_GET, P "/draws/{id}/files/{which}", h_public_draw_file, ROLES_ANY, 0},
    {HTTP_GET, S "/stats", h_stats, ROLES_BUREAU, 0},
    {HTTP_GET, S "/targets", h_targets, ROLES_BUREAU, 0},
    {HTTP_GET, S "/institutions", h_institutions, ROLES_BUREAU, 0},
    {HTTP_GET, S "/lists/{what}", h_list, ROLES_BUREAU | ENTERPRISE, 0},
    {HTTP_POST, S "/matters", h_matter_create, WRITERS, 0},
    {HTTP_PUT, S "/classes", h_class_update, WRITERS, 0},
    {HTTP_POST, S "/inspectors", h_inspector_create, WRITERS, 0},
    {HTTP_POST, S "/conflicts", h_conflict_create, WRITERS, 0},
    {HTTP_PUT, S "/targets", h_target_class, WRITERS, 0},
    {HTTP_POST, S "/draws", h_draw_create, WRITERS, 0},
    {HTTP_GET, S "/draws/{id}", h_draw_get, ROLES_BUREAU, 0},
    {HTTP_GET, S "/draws/{id}/files/{which}", h_draw_file, ROLES_BUREAU, 0},
    {HTTP_POST, S "/draws/{id}/execute", h_draw_execute, WRITERS, 0},
    {HTTP_POST, S "/draws/{id}/publish", h_draw_publish, WRITERS, 0},
    {HTTP_POST, S "/draws/{id}/result", h_draw_result, WRITERS, 0},
    {HTTP_POST, S "/draws/{id}/result-publish", h_draw_result_publish, WRITERS, 0},
    {HTTP_PUT, S "/criteria", h_criterion_update, WRITERS, 0},
    {HTTP_PUT, S "/facts", h_facts_update, WRITERS, 0},
    {HTTP_POST, S "/positive", h_positive_include, WRITERS, 0},
    {HTTP_POST, S "/positive/scan", h_positive_scan, WRITERS, 0},
    {HTTP_GET, S "/positive/evaluate/{id}", h_positive_evaluate, ROLES_BUREAU, 0},
    {HTTP_POST, S "/proposals/{id}/decide", h_proposal_decide, WRITERS, 0},
    {HTTP_POST, S "/preparers", h_preparer_create, WRITERS, 0},
    {HTTP_GET, S "/preparers/{id}", h_preparer_get, ROLES_BUREAU, 0},
    {HTTP_GET, S "/preparers/{id}/blocked", h_preparer_blocked, ROLES_BUREAU, 0},
    {HTTP_POST, S "/preparers/{id}/events", h_credit_event, WRITERS, 0},
    {HTTP_POST, S "/preparers/{id}/reports", h_preparer_report, WRITERS, 0},
    {HTTP_POST, S "/publications", h_publication, WRITERS, 0},
    {HTTP_POST, S "/institutions", h_institution_create, WRITERS, 0},
    {HTTP_POST, S "/institutions/{id}/evidence", h_evidence_create, WRITERS, 0},
    {HTTP_POST, S "/inspections", h_inspection_create, WRITERS, 0},
    {HTTP_POST, S "/rectifications/{id}/done", h_rectification_done, WRITERS, 0},
    {HTTP_POST, S "/penalties", h_penalty_create, WRITERS, 0},
    {HTTP_POST, S "/incidents", h_incident_create, WRITERS, 0},
    {HTTP_POST, S "/alarms", h_alarm_create, WRITERS, 0},
    {HTTP_POST, S "/alarms/{id}/verify", h_alarm_verify, WRITERS, 0},
    {HTTP_POST, S "/alarms/{id}/dismiss", h_alarm_dismiss, WRITERS, 0},
    {HTTP_POST, S "/alarms/{id}/case", h_alarm_case, WRITERS, 0},
    {HTTP_POST, S "/cases/{id}/rectify", h_case_rectify, WRITERS, 0},
    {HTTP_POST, S "/cases/{id}/close", h_case_close, WRITERS, 0},
};

const struct route_group app_supervision_routes = ROUTE_GROUP("supervision", sup_table);
