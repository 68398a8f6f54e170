/* service visit — on-site visits (上门服务), the service form (上门服务单)
 * with its 好差评 ratings, single-use form links and their QR codes, and the
 * automatic follow-up of bad reviews. Declared in service.h. */
#include "modules/service/service.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "domain/phone.h"
#include "domain/service_rules.h"
#include "domain/tracker_rules.h"
#include "app/field.h"
#include "modules/service/store.h"
#include "db/db.h"

#include <qrencode.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SVC_MAX_STAFF 6
#define SVC_MAX_ISSUES 20
#define SVC_TOKEN_LEN 43

/* A planned time: "YYYY-MM-DD HH:MM" (Beijing) or ISO 8601 with Z or an
 * offset (timeutil_parse_time); a date alone is not a time. → UTC seconds. */
static int svc_parse_time(const char *s, int64_t *utc)
{
    int has_clock;
    return s && !timeutil_parse_time(s, strlen(s), utc, &has_clock) && has_clock ? 0 : -1;
}

/* The visit's core row; NULL when absent or another enterprise's. */
static json_t *svc_visit_row(struct svc_ctx *c, int64_t id)
{
    json_t *v = svc_store_visit_row(c->db, id);
    int64_t own = svc_user_enterprise(c);
    if (v && own && json_integer_value(json_object_get(v, "enterprise_id")) != own) {
        json_decref(v);
        return NULL;
    }
    return v;
}

static const char *svc_vs(json_t *v, const char *key)
{
    const char *s = json_string_value(json_object_get(v, key));
    return s ? s : "";
}

static int svc_visit_staff_parse(struct svc_ctx *c, json_t *in, const char *purpose, int64_t *staff,
                                 size_t *n, struct problem *p)
{
    if (field_id_list(in, "staff", "服务人员", SVC_MAX_STAFF, FIELD_REQUIRED, staff, n, p))
        return -1;
    for (size_t i = 0; i < *n; i++)
        if (!svc_store_bureau_user(c->db, staff[i], NULL))
            return svc_fail(p, ERR_INVALID_FIELD, "staff", "第 %zu 名服务人员不是本局在岗人员",
                            i + 1);
    if ((int)*n < service_min_staff(purpose))
        return svc_fail(p, ERR_INVALID_FIELD, "staff", "%s须由至少 %d 名工作人员共同进行", purpose,
                        service_min_staff(purpose));
    return 0;
}

enum err svc_visit_create(struct svc_ctx *c, json_t *in, int64_t *id, struct problem *p)
{
    if (svc_body(in, p))
        return p->err;
    int64_t ent, staff[SVC_MAX_STAFF], planned;
    size_t nstaff = 0;
    const char *purpose, *planned_at, *place, *note;
    if (field_id(in, "enterprise_id", "企业", FIELD_OPTIONAL, &ent, p))
        return p->err;
    if (!ent || !svc_store_enterprise_exists(c->db, ent))
        return svc_fail(p, ERR_INVALID_FIELD, "enterprise_id", "请选择已登记的企业"), p->err;
    if (field_choice(in, "purpose", "服务事由", service_purposes, FIELD_REQUIRED, NULL, &purpose,
                     p))
        return problem_set(p, ERR_INVALID_FIELD, "purpose",
                           "服务事由须为调研、执法、检查、督导或服务");
    if (field_text(in, "planned_at", "计划时间", 40, FIELD_REQUIRED, &planned_at, p) ||
        svc_parse_time(planned_at, &planned))
        return svc_fail(p, ERR_INVALID_FIELD, "planned_at",
                        "计划时间须为 YYYY-MM-DD HH:MM（北京时间）或带时区的 ISO 8601 时间"),
               p->err;
    if (field_text(in, "place", "服务地点", 300, FIELD_OPTIONAL, &place, p) ||
        field_text(in, "note", "备注", 2000, FIELD_MULTILINE, &note, p) ||
        svc_visit_staff_parse(c, in, purpose, staff, &nstaff, p))
        return p->err;
    int64_t section = 0;
    svc_store_bureau_user(c->db, staff[0], &section);
    if (!section && c->user)
        section = c->user->section_id;
    if (db_begin(c->db))
        return svc_db_fail(c, p);
    struct svc_visit_row row = {ent,    planned, section, c->actor.id ? c->actor.id : staff[0],
                                c->now, purpose, place,   note};
    if (svc_store_visit_insert(c->db, &row, id))
        return svc_db_fail(c, p);
    json_t *staff_json = json_array();
    for (size_t i = 0; i < nstaff; i++) {
        json_array_append_new(staff_json, json_integer(staff[i]));
        if (svc_store_visit_staff_add(c->db, *id, staff[i], i == 0)) {
            json_decref(staff_json);
            return svc_db_fail(c, p);
        }
    }
    json_t *d = json_pack("{sI ss sI so}", "enterprise_id", (json_int_t)ent, "purpose", purpose,
                          "planned_at", (json_int_t)planned, "staff", staff_json);
    int bad = audit_append_id(c->db, &c->actor, "visit.create", "svc_visit", *id, d);
    json_decref(d);
    if (bad || db_commit(c->db))
        return svc_db_fail(c, p);
    return ERR_OK;
}

static int svc_visit_set_status(struct svc_ctx *c, int64_t id, const char *status,
                                const char *method, const char *note)
{
    return svc_store_visit_set_status(c->db, id, status, method, note, c->now);
}

/* Loads a visit for a write, or fills p. */
static json_t *svc_visit_for_write(struct svc_ctx *c, int64_t id, json_t *in, struct problem *p)
{
    memset(p, 0, sizeof *p);
    if (in && svc_body(in, p))
        return NULL;
    json_t *v = svc_visit_row(c, id);
    if (!v)
        svc_fail(p, ERR_NOT_FOUND, NULL, "上门服务记录不存在");
    return v;
}

enum err svc_visit_confirm(struct svc_ctx *c, int64_t id, json_t *in, struct problem *p)
{
    json_t *v = svc_visit_for_write(c, id, in, p);
    if (!v)
        return p->err;
    const char *note, *method = svc_is_bureau(c) ? "phone" : "portal";
    enum err e = ERR_OK;
    if (field_text(in, "note", "确认说明", 500, (svc_is_bureau(c) ? FIELD_REQUIRED : 0), &note, p))
        e = p->err;
    else if (strcmp(svc_vs(v, "status"), "planned"))
        e = (svc_fail(p, ERR_INVALID_STATE, NULL, "该上门服务已确认、已完成或已取消"), p->err);
    else if (db_begin(c->db))
        e = svc_db_fail(c, p);
    if (e) {
        json_decref(v);
        return e;
    }
    json_t *d = json_pack("{ss ss}", "method", method, "note", note);
    int bad = svc_visit_set_status(c, id, "confirmed", method, note) ||
              audit_append_id(c->db, &c->actor, "visit.confirm", "svc_visit", id, d);
    json_decref(d);
    json_decref(v);
    if (bad || db_commit(c->db))
        return svc_db_fail(c, p);
    return ERR_OK;
}

enum err svc_visit_cancel(struct svc_ctx *c, int64_t id, json_t *in, struct problem *p)
{
    json_t *v = svc_visit_for_write(c, id, in, p);
    if (!v)
        return p->err;
    const char *reason;
    const char *status = svc_vs(v, "status");
    enum err e = ERR_OK;
    if (field_text(in, "reason", "取消原因", 500, FIELD_REQUIRED, &reason, p))
        e = p->err;
    else if (strcmp(status, "planned") && strcmp(status, "confirmed"))
        e = (svc_fail(p, ERR_INVALID_STATE, NULL, "已完成或已取消的上门服务不能取消"), p->err);
    else if (db_begin(c->db))
        e = svc_db_fail(c, p);
    json_decref(v);
    if (e)
        return e;
    json_t *d = json_pack("{ss}", "reason", reason);
    int bad = svc_visit_set_status(c, id, "cancelled", NULL, NULL) ||
              audit_append_id(c->db, &c->actor, "visit.cancel", "svc_visit", id, d);
    json_decref(d);
    if (bad || db_commit(c->db))
        return svc_db_fail(c, p);
    return ERR_OK;
}

/* The issue belongs to this visit? */
static bool svc_visit_issue(struct svc_ctx *c, int64_t visit, int64_t issue)
{
    return svc_store_visit_has_issue(c->db, visit, issue);
}

static int svc_issue_set(struct svc_ctx *c, int64_t issue, const char *answer,
                         const char *resolution, int64_t tracker)
{
    return svc_store_issue_set(c->db, issue, answer, resolution, tracker);
}

static int svc_record_check(struct svc_ctx *c, int64_t id, json_t *in, struct problem *p)
{
    const char *s;
    json_t *answers = json_object_get(in, "answers"), *promises = json_object_get(in, "promises");
    if (field_text(in, "help_given", "现场帮扶情况", 4000, FIELD_MULTILINE, &s, p))
        return -1;
    if ((answers && !json_is_array(answers)) || json_array_size(answers) > SVC_MAX_ISSUES)
        return svc_fail(p, ERR_INVALID_FIELD, "answers", "答复须为不超过 %d 项的列表",
                        SVC_MAX_ISSUES);
    if ((promises && !json_is_array(promises)) || json_array_size(promises) > SVC_MAX_ISSUES)
        return svc_fail(p, ERR_INVALID_FIELD, "promises", "承诺事项须为不超过 %d 项的列表",
                        SVC_MAX_ISSUES);
    size_t i;
    json_t *a;
    json_array_foreach(answers, i, a)
    {
        int64_t issue;
        if (!json_is_object(a) || field_id(a, "issue_id", "问题", FIELD_OPTIONAL, &issue, p) ||
            field_text(a, "answer", "答复", 2000, FIELD_REQUIRED | FIELD_MULTILINE, &s, p))
            return p->err ? -1 : svc_fail(p, ERR_INVALID_FIELD, "answers", "答复格式错误");
        if (!svc_visit_issue(c, id, issue))
            return svc_fail(p, ERR_INVALID_FIELD, "answers", "第 %zu 条答复的问题不属于本次服务",
                            i + 1);
    }
    json_array_foreach(promises, i, a)
    {
        int64_t issue;
        if (!json_is_object(a))
            return svc_fail(p, ERR_INVALID_FIELD, "promises", "承诺事项格式错误");
        if (field_id(a, "issue_id", "问题", FIELD_OPTIONAL, &issue, p) ||
            field_text(a, "title", "承诺事项", 300, FIELD_REQUIRED, &s, p) ||
            svc_item_check_json(c, a, p))
            return -1;
        if (issue && !svc_visit_issue(c, id, issue))
            return svc_fail(p, ERR_INVALID_FIELD, "promises", "第 %zu 项承诺的问题不属于本次服务",
                            i + 1);
    }
    return 0;
}

enum err svc_visit_record(struct svc_ctx *c, int64_t id, json_t *in, struct problem *p)
{
    json_t *v = svc_visit_for_write(c, id, in, p);
    if (!v)
        return p->err;
    enum err e = ERR_OK;
    if (!strcmp(svc_vs(v, "status"), "cancelled"))
        e = (svc_fail(p, ERR_INVALID_STATE, NULL, "已取消的上门服务不能登记"), p->err);
    else if (svc_record_check(c, id, in, p))
        e = p->err;
    else if (db_begin(c->db))
        e = svc_db_fail(c, p);
    int64_t ent = json_integer_value(json_object_get(v, "enterprise_id"));
    json_decref(v);
    if (e)
        return e;
    const char *help = json_string_value(json_object_get(in, "help_given"));
    int bad = 0;
    if (help) {
        bad = svc_store_visit_set_help(c->db, id, help, c->now);
    }
    size_t i;
    json_t *a, *items = json_array();
    json_array_foreach(json_object_get(in, "answers"), i, a) if (!bad) bad =
        svc_issue_set(c, json_integer_value(json_object_get(a, "issue_id")),
                      json_string_value(json_object_get(a, "answer")), "answered", 0);
    json_array_foreach(json_object_get(in, "promises"), i, a)
    {
        if (bad)
            break;
        int64_t issue = json_integer_value(json_object_get(a, "issue_id")), item = 0;
        e = svc_item_insert_json(c, "service_form", a, id, issue, ent,
                                 json_string_value(json_object_get(a, "title")), NULL, &item, p);
        bad = e != ERR_OK || (issue && svc_issue_set(c, issue, NULL, "committed", item));
        json_array_append_new(items, json_integer(item));
    }
    json_t *d = json_pack("{sb so}", "help_given", help != NULL, "items", items);
    bad = bad || audit_append_id(c->db, &c->actor, "visit.record", "svc_visit", id, d);
    json_decref(d);
    if (bad || db_commit(c->db)) {
        if (e && e != ERR_INTERNAL) {
            db_rollback(c->db);
            return e;
        }
        return svc_db_fail(c, p);
    }
    return ERR_OK;
}

/* --- the enterprise's part of the form --- */

struct svc_form_in {
    int ratings[5];
    const char *evaluation, *suggestions, *signer_name, *signer_phone;
    json_t *issues;
};

static int svc_form_check(json_t *in, struct svc_form_in *f, struct problem *p)
{
    if (svc_body(in, p))
        return -1;
    json_t *r = json_object_get(in, "ratings");
    if (!json_is_object(r))
        return svc_fail(p, ERR_RATING_INVALID, "ratings", "请对各项服务进行评价");
    size_t na;
    const struct service_aspect *aspects = service_aspects(&na);
    for (size_t i = 0; i < na; i++) {
        json_t *v = json_object_get(r, aspects[i].key);
        if (!json_is_integer(v) || !service_rating_valid(json_integer_value(v)))
            return svc_fail(p, ERR_RATING_INVALID, aspects[i].key,
                            "“%s”须为五个等级之一（1 非常不满意 … 5 非常满意）", aspects[i].label);
        f->ratings[i] = (int)json_integer_value(v);
    }
    if (field_text(in, "evaluation", "评价意见", 2000, FIELD_MULTILINE, &f->evaluation, p) ||
        field_text(in, "suggestions", "意见建议", 2000, FIELD_MULTILINE, &f->suggestions, p) ||
        field_text(in, "signer_name", "签字人", 64, FIELD_REQUIRED, &f->signer_name, p) ||
        field_text(in, "signer_phone", "联系电话", 20, FIELD_REQUIRED, &f->signer_phone, p))
        return -1;
    if (!phone_ok(f->signer_phone))
        return svc_fail(p, ERR_INVALID_FIELD, "signer_phone", "%s", PHONE_RULE_ZH);
    f->issues = json_object_get(in, "issues");
    if ((f->issues && !json_is_array(f->issues)) || json_array_size(f->issues) > SVC_MAX_ISSUES)
        return svc_fail(p, ERR_INVALID_FIELD, "issues", "问题诉求须为不超过 %d 项的列表",
                        SVC_MAX_ISSUES);
    size_t i;
    json_t *is;
    json_array_foreach(f->issues, i, is)
    {
        const char *s;
        if (!json_is_object(is) ||
            !service_in_list(service_categories,
                             json_string_value(json_object_get(is, "category"))))
            return svc_fail(p, ERR_INVALID_FIELD, "issues",
                            "第 %zu 个问题的类别须为环评审批、排污许可、监测、执法、技术帮扶、"
                            "政策咨询或其他",
                            i + 1);
        if (field_text(is, "description", "问题描述", 2000, FIELD_REQUIRED | FIELD_MULTILINE, &s,
                       p))
            return -1;
    }
    return 0;
}

int svc_issue_add(struct svc_ctx *c, int64_t visit, int64_t day, int64_t entry, int64_t ent,
                  const char *category, const char *description, const char *answer,
                  const char *resolution, int64_t *id)
{
    struct svc_issue_row row = {visit,  day,      entry,       ent,    c->actor.id,
                                c->now, category, description, answer, resolution};
    if (svc_store_issue_insert(c->db, &row, id))
        return -1;
    json_t *d = json_pack("{ss ss}", "category", category, "resolution", resolution);
    int bad = audit_append_id(c->db, &c->actor, "issue.create", "svc_issue", *id, d);
    json_decref(d);
    return bad;
}

/* Opens the follow-up of a bad review inside the caller's transaction. */
static enum err svc_bad_review(struct svc_ctx *c, json_t *v, const struct svc_form_in *f,
                               struct problem *p)
{
    int64_t id = json_integer_value(json_object_get(v, "id"));
    int64_t section = json_integer_value(json_object_get(v, "section_id"));
    int64_t lead = svc_store_visit_lead(c->db, id);
    if (!section)
        section = svc_store_first_section(c->db);
    char title[400], detail[3000];
    snprintf(title, sizeof title, "差评回访整改：%s（%s）", svc_vs(v, "enterprise_name"),
             svc_vs(v, "purpose"));
    size_t na;
    const struct service_aspect *aspects = service_aspects(&na);
    int o = snprintf(detail, sizeof detail, "企业评价：");
    for (size_t i = 0; i < na && o > 0 && (size_t)o < sizeof detail; i++)
        o += snprintf(detail + o, sizeof detail - (size_t)o, "%s%s %s", i ? "，" : "",
                      aspects[i].label, service_rating_name(f->ratings[i]));
    if (o > 0 && (size_t)o < sizeof detail)
        snprintf(detail + o, sizeof detail - (size_t)o,
                 "。评价意见：%.1200s。按“谁办理、谁负责”回访核实，限期整改，整改结果反馈评价人。",
                 *f->evaluation ? f->evaluation : "（无）");
    json_t *in = json_pack("{sI ss si}", "owner_section_id", (json_int_t)section, "detail", detail,
                           "workdays", (int)c->cfg->bad_review_workdays);
    if (lead)
        json_object_set_new(in, "owner_user_id", json_integer(lead));
    int64_t item = 0;
    json_t *tp = json_pack("{ss ss}", "enterprise", svc_vs(v, "enterprise_name"), "purpose",
                           svc_vs(v, "purpose"));
    enum err e = svc_item_insert_json(c, "bad_review", in, id, 0,
                                      json_integer_value(json_object_get(v, "enterprise_id")),
                                      title, tp, &item, p);
    json_decref(tp);
    json_decref(in);
    if (e)
        return e;
    char msg[600];
    snprintf(msg, sizeof msg, "收到差评：%s，已自动生成回访整改督办（%ld 个工作日）",
             svc_vs(v, "enterprise_name"), c->cfg->bad_review_workdays);
    json_t *note = json_pack("{ss si}", "enterprise", svc_vs(v, "enterprise_name"), "days",
                             (int)c->cfg->bad_review_workdays);
    int bad = svc_notify_leaders(c, item, "bad_review", msg, note);
    json_decref(note);
    return bad ? ERR_INTERNAL : ERR_OK;
}

/* Everything of a submission after validation, inside one transaction.
 * token_hash (may be NULL) is consumed in the same transaction. */
static enum err svc_form_write(struct svc_ctx *c, json_t *v, const char *channel,
                               const struct svc_form_in *f, const unsigned char *token_hash,
                               struct problem *p)
{
    int64_t id = json_integer_value(json_object_get(v, "id"));
    int64_t ent = json_integer_value(json_object_get(v, "enterprise_id"));
    bool bad_review = service_is_bad_review(f->ratings, 5);
    if (db_begin(c->db))
        return svc_db_fail(c, p);
    if (token_hash) {
        int used = svc_store_token_use(c->db, token_hash, c->now);
        if (used < 0)
            return svc_db_fail(c, p);
        if (!used) {
            db_rollback(c->db);
            return svc_fail(p, ERR_TOKEN_USED, "token", "该链接已使用或已过期"), p->err;
        }
    }
    struct svc_form_row row = {.visit_id = id,
                               .signed_at = c->now,
                               .entered_by = c->actor.id,
                               .channel = channel,
                               .evaluation = f->evaluation,
                               .suggestions = f->suggestions,
                               .signer_name = f->signer_name,
                               .signer_phone = f->signer_phone,
                               .bad = bad_review};
    memcpy(row.ratings, f->ratings, sizeof row.ratings);
    if (svc_store_form_insert(c->db, &row)) /* a second submission races into the primary key */
        return db_rollback(c->db), svc_fail(p, ERR_INVALID_STATE, NULL, "服务单已提交"), p->err;
    size_t i;
    json_t *is;
    int bad = 0;
    json_array_foreach(f->issues, i, is)
    {
        int64_t iid;
        bad = bad ||
              svc_issue_add(c, id, 0, 0, ent, json_string_value(json_object_get(is, "category")),
                            json_string_value(json_object_get(is, "description")), "", "pending",
                            &iid);
    }
    json_t *d = json_pack("{ss s[iiiii] sb sI}", "channel", channel, "ratings", f->ratings[0],
                          f->ratings[1], f->ratings[2], f->ratings[3], f->ratings[4], "bad",
                          bad_review, "issues", (json_int_t)json_array_size(f->issues));
    bad = bad || svc_visit_set_status(c, id, "completed", NULL, NULL) ||
          audit_append_id(c->db, &c->actor, "service_form.submit", "svc_visit", id, d);
    json_decref(d);
    if (bad)
        return svc_db_fail(c, p);
    if (bad_review) {
        enum err e = svc_bad_review(c, v, f, p);
        if (e) {
            db_rollback(c->db);
            return e == ERR_INTERNAL ? (svc_fail(p, e, NULL, "数据库错误"), e) : e;
        }
    }
    return db_commit(c->db) ? svc_db_fail(c, p) : ERR_OK;
}

static enum err svc_form_ready(json_t *v, struct problem *p)
{
    const char *status = svc_vs(v, "status");
    if (!strcmp(status, "completed"))
        return svc_fail(p, ERR_INVALID_STATE, NULL, "服务单已提交，不能重复提交"), p->err;
    if (!strcmp(status, "cancelled"))
        return svc_fail(p, ERR_INVALID_STATE, NULL, "该上门服务已取消"), p->err;
    return ERR_OK;
}

enum err svc_form_submit(struct svc_ctx *c, int64_t visit_id, const char *channel, json_t *in,
                         struct problem *p)
{
    json_t *v = svc_visit_for_write(c, visit_id, in, p);
    if (!v)
        return p->err;
    struct svc_form_in f;
    enum err e = svc_form_ready(v, p);
    if (!e && svc_form_check(in, &f, p))
        e = p->err;
    if (!e)
        e = svc_form_write(c, v, channel, &f, NULL, p);
    json_decref(v);
    return e;
}

static void svc_token_hash(const char *token, unsigned char out[32])
{
    crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

enum err svc_form_token_visit(struct svc_ctx *c, const char *token, int64_t *visit_id,
                              struct problem *p)
{
    memset(p, 0, sizeof *p);
    if (!token || strlen(token) != SVC_TOKEN_LEN)
        return svc_fail(p, ERR_TOKEN_INVALID, "token", "表单链接无效，请向服务人员索取新的二维码"),
               p->err;
    unsigned char h[32];
    svc_token_hash(token, h);
    struct svc_token_row t;
    int found = svc_store_token_find(c->db, h, &t);
    if (found < 0)
        return svc_fail(p, ERR_INTERNAL, NULL, "数据库错误"), p->err;
    if (!found)
        return svc_fail(p, ERR_TOKEN_INVALID, "token", "表单链接无效，请向服务人员索取新的二维码"),
               p->err;
    *visit_id = t.visit_id;
    if (t.expires_at <= c->now || t.used || t.revoked || !strcmp(t.visit_status, "completed") ||
        !strcmp(t.visit_status, "cancelled"))
        return svc_fail(p, ERR_TOKEN_USED, "token",
                        "该链接已使用、已作废或已过期；如需重新填写请联系服务人员"),
               p->err;
    return ERR_OK;
}

enum err svc_form_submit_token(struct svc_ctx *c, const char *token, json_t *in, struct problem *p)
{
    int64_t visit;
    enum err e = svc_form_token_visit(c, token, &visit, p);
    if (e)
        return e;
    json_t *v = svc_visit_row(c, visit);
    if (!v)
        return svc_fail(p, ERR_TOKEN_INVALID, "token", "表单链接无效"), p->err;
    struct svc_form_in f;
    e = svc_form_ready(v, p);
    if (!e && svc_form_check(in, &f, p))
        e = p->err;
    unsigned char h[32];
    svc_token_hash(token, h);
    if (!e)
        e = svc_form_write(c, v, "link", &f, h, p);
    json_decref(v);
    return e;
}

char *svc_qr_svg(const char *text)
{
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr)
        return NULL;
    int w = qr->width, margin = 4, size = w + 2 * margin;
    struct buf b;
    buf_init(&b, 0);
    buf_printf(&b,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
               "shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
               "<path fill=\"#000\" d=\"",
               size, size, size, size);
    for (int y = 0; y < w; y++)
        for (int x = 0; x < w; x++)
            if (qr->data[y * w + x] & 1)
                buf_printf(&b, "M%d %dh1v1h-1z", x + margin, y + margin);
    buf_puts(&b, "\"/></svg>");
    QRcode_free(qr);
    return buf_detach(&b, NULL);
}

bool svc_base_ok(const char *base)
{
    const char *h = !strncmp(base, "https://", 8)  ? base + 8
                    : !strncmp(base, "http://", 7) ? base + 7
                                                   : NULL;
    if (!h || !*h || strlen(base) > 200)
        return false;
    for (; *h; h++)
        if (!((*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') || (*h >= '0' && *h <= '9') ||
              strchr(".-:[]", *h)))
            return false;
    return true;
}

enum err svc_form_link(struct svc_ctx *c, int64_t visit_id, const char *base, json_t **out,
                       struct problem *p)
{
    json_t *v = svc_visit_for_write(c, visit_id, NULL, p);
    if (!v)
        return p->err;
    enum err e = svc_form_ready(v, p);
    json_decref(v);
    if (e)
        return e;
    if (!base || !svc_base_ok(base))
        return svc_fail(p, ERR_INVALID_FIELD, "base", "链接地址须为 http(s)://主机[:端口]"), p->err;
    unsigned char raw[32], h[32];
    char token[SVC_TOKEN_LEN + 1];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(token, sizeof token, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    svc_token_hash(token, h);
    if (db_begin(c->db))
        return svc_db_fail(c, p);
    int rc = svc_store_token_issue(c->db, visit_id, h, c->now, c->now + SERVICE_TOKEN_TTL);
    json_t *d = json_pack("{sI}", "expires_at", (json_int_t)(c->now + SERVICE_TOKEN_TTL));
    int bad =
        rc || audit_append_id(c->db, &c->actor, "service_form.link", "svc_visit", visit_id, d);
    json_decref(d);
    if (bad || db_commit(c->db))
        return svc_db_fail(c, p);
    char path[64], url[300];
    snprintf(path, sizeof path, "/f/%s", token);
    snprintf(url, sizeof url, "%s%s", base, path);
    char *svg = svc_qr_svg(url);
    *out = json_pack("{ss ss ss sI ss}", "token", token, "path", path, "url", url, "expires_at",
                     (json_int_t)(c->now + SERVICE_TOKEN_TTL), "qr_svg", svg ? svg : "");
    free(svg);
    return ERR_OK;
}

json_t *svc_visit_get(struct svc_ctx *c, int64_t id, bool public_view)
{
    json_t *v = svc_visit_row(c, id);
    if (!v)
        return NULL;
    json_t *staff = svc_store_visit_staff(c->db, id);
    json_object_set_new(v, "staff", staff ? staff : json_array());
    if (public_view) {
        json_t *o =
            json_pack("{sO sO sO sO sO sO}", "id", json_object_get(v, "id"), "enterprise_name",
                      json_object_get(v, "enterprise_name"), "purpose",
                      json_object_get(v, "purpose"), "planned_at", json_object_get(v, "planned_at"),
                      "place", json_object_get(v, "place"), "status", json_object_get(v, "status"));
        json_t *names = json_array();
        size_t i;
        json_t *s;
        json_array_foreach(json_object_get(v, "staff"), i, s)
            json_array_append(names, json_object_get(s, "display_name"));
        json_object_set_new(o, "staff", names);
        json_decref(v);
        return o;
    }
    json_t *form = svc_store_visit_form(c->db, id);
    json_object_set_new(v, "form", form ? form : json_null());
    json_t *issues = svc_store_visit_issues(c->db, id);
    json_object_set_new(v, "issues", issues ? issues : json_array());
    json_t *items = svc_store_visit_items(c->db, id);
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) svc_item_decorate(c, it);
    json_object_set_new(v, "items", items ? items : json_array());
    json_object_set_new(v, "attachments", svc_attach_list(c, "visit", id));
    return v;
}

json_t *svc_visit_list(struct svc_ctx *c, const char *status, int64_t enterprise_id,
                       const char *from, const char *to, bool mine, int limit)
{
    int64_t t0 = 0, t1 = INT64_MAX;
    if (from && *from && timeutil_parse_date(from, &t0))
        return NULL;
    if (to && *to && timeutil_parse_date(to, &t1) == 0)
        t1 += 86400;
    int64_t own = svc_user_enterprise(c);
    return svc_store_visit_list(c->db, status && *status ? status : NULL, own ? own : enterprise_id,
                                t0, t1, mine && c->user ? c->user->id : 0, limit);
}
