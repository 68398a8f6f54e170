/* approval procedure — the state machine of an EIA application: the
 * one-time correction notice, acceptance (容缺 with a commitment and a
 * supplement deadline), pauses, notices, decisions, 告知承诺 revocation and
 * after-the-fact checks, and the re-review of an old approval (states and
 * acts in procedure.h). Every act carries the date it happened ("on",
 * default today in Beijing) so the record follows the paper file; limits and
 * notice durations are configuration (eia_config), never constants.
 *
 * approval_apply owns the transaction: the act, its event, its audit entry
 * and the changed row are written together or not at all. */
#include "modules/approval/procedure.h"
#include "modules/supervision/supervision.h"
#include "app/field.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "domain/eiaclock.h"
#include "db/audit.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

int approval_cfg_int(json_t *cfg, const char *a, const char *b, const char *c, int def)
{
    json_t *v = json_object_get(cfg, a);
    if (b)
        v = json_object_get(v, b);
    if (c)
        v = json_object_get(v, c);
    return json_is_integer(v) ? (int)json_integer_value(v) : def;
}

int approval_or_today(char d[11], int32_t *day)
{
    if (!*d)
        timeutil_format_date(timeutil_now(), d, 11);
    return calendar_parse_date(d, day);
}

int approval_on(json_t *in, const char *key, const char *label, char out[11], int32_t *day,
                struct problem *p)
{
    if (field_date(in, key, label, FIELD_EMPTY_ABSENT | FIELD_PAST, out, p))
        return -1;
    approval_or_today(out, day);
    return 0;
}

void approval_iso_column(json_t *rows, const char *key)
{
    size_t i;
    json_t *o;
    json_array_foreach(rows, i, o)
    {
        char when[32];
        timeutil_format_iso(json_integer_value(json_object_get(o, key)), when, sizeof when);
        json_object_set_new(o, key, json_string(when));
    }
}

/* The year of a valid "YYYY-MM-DD". */
static int approval_year(const char *d)
{
    return (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
}

/* ---- the preparer lists: the supervision module's credit lists, and a local
 * list for preparers not (yet) on the credit platform ---- */

/* The credit platform's verdict for a preparer known by name or code: 1 listed
 * (限期整改 or 黑名单 on day), 0 not listed or unknown there, -1 error. */
static int approval_preparer_credit(struct db *db, const char *name, const char *day, char *list,
                                    size_t listlen, char *reason, size_t reasonlen)
{
    int64_t id = supervision_preparer_id(db, name);
    if (id <= 0)
        return 0;
    int blocked = credit_preparer_blocked(db, id, day, reason, reasonlen);
    if (blocked == 1)
        snprintf(list, listlen, "信用平台名单");
    return blocked;
}

int approval_preparer_listed(struct db *db, const char *name, const char *day, char *list,
                             size_t listlen, char *reason, size_t reasonlen)
{
    int credit = approval_preparer_credit(db, name, day, list, listlen, reason, reasonlen);
    if (credit != 0)
        return credit;
    return approval_store_preparer_local(db, name, day, list, listlen, reason, reasonlen);
}

int approval_promised_limit(json_t *cfg, const struct approval_row *a)
{
    const char *key = a->green                          ? "green_promised"
                      : !strcmp(a->route, "commitment") ? "commitment_promised"
                                                        : "promised";
    return approval_cfg_int(cfg, "limits", a->category, key, 20);
}

/* Checks the materials list against the category's checklist: unknown keys
 * refused; the missing waivable items returned in *missing, the missing core
 * items in *missing_core (new arrays). */
int approval_materials(json_t *cfg, const char *category, json_t *given, json_t **missing,
                       json_t **missing_core, struct problem *p)
{
    json_t *list = json_object_get(json_object_get(cfg, "materials"), category);
    *missing = json_array();
    *missing_core = json_array();
    if (given && !json_is_array(given)) {
        problem_set(p, ERR_INVALID_FIELD, "materials", "materials 须为材料代码数组");
        return -1;
    }
    size_t i, j;
    json_t *g, *item;
    json_array_foreach(given, i, g)
    {
        bool known = false;
        json_array_foreach(list, j, item) known |=
            json_is_string(g) && json_equal(json_object_get(item, "key"), g);
        if (!known) {
            problem_set(p, ERR_INVALID_FIELD, "materials", "未知的材料代码");
            return -1;
        }
    }
    json_array_foreach(list, j, item)
    {
        bool have = false;
        json_array_foreach(given, i, g) have |= json_equal(json_object_get(item, "key"), g);
        if (!have)
            json_array_append(json_is_true(json_object_get(item, "core")) ? *missing_core
                                                                          : *missing,
                              json_object_get(item, "key"));
    }
    return 0;
}

/* The event of an act and its audit entry. */
int approval_record_event(struct db *db, const struct audit_actor *actor, int64_t app,
                          const char *kind, const char *day, json_t *detail)
{
    if (approval_store_event(db, app, kind, day, actor->name, detail))
        return -1;
    char action[64];
    snprintf(action, sizeof action, "approval.%s", kind);
    json_t *d = json_pack("{ss sO}", "on", day, "detail", detail ? detail : json_null());
    int rc = audit_append_id(db, actor, action, "eia_application", app, d);
    json_decref(d);
    return rc;
}

/* ---- procedural acts ---- */

static bool approval_is(const struct approval_row *a, const char *status)
{
    return !strcmp(a->status, status);
}

static enum err approval_wrong_state(struct approval_act *x)
{
    return problem_set(x->p, ERR_INVALID_STATE, "action", "当前状态（%s）不能办理此事项",
                       x->a->status);
}

static int32_t approval_add(struct approval_act *x, int32_t day, int n)
{
    return eiaclock_add_workdays(x->cal, day, n);
}

/* One of choices for the act's field key (required), refused with the act's
 * own message, which names the choices. */
static int approval_choice(struct approval_act *x, const char *key, const char *const *choices,
                           const char *refusal, const char **out)
{
    struct problem q;
    if (field_choice(x->in, key, NULL, choices, FIELD_REQUIRED, NULL, out, &q))
        return problem_set(x->p, ERR_INVALID_FIELD, key, "%s", refusal), -1;
    return 0;
}

static const char *const approval_conform[] = {"conform", "nonconform", NULL};

enum err approval_act_correction(struct approval_act *x)
{
    if (!approval_is(x->a, "submitted"))
        return approval_wrong_state(x);
    int32_t sub;
    calendar_parse_date(x->a->submitted_on, &sub);
    int n = approval_cfg_int(x->cfg, "correction_workdays", NULL, NULL, 5);
    if (x->day > approval_add(x, sub, n))
        return problem_set(x->p, ERR_CONFLICT, "on",
                           "已超过 %d 个工作日未一次性告知补正，依法视为自收到材料之日起受理", n);
    json_t *items;
    if (field_text_list(x->in, "items", "补正事项", 50, 500, FIELD_REQUIRED, &items, x->p))
        return x->p->err;
    if (!json_array_size(items))
        return problem_set(x->p, ERR_INVALID_FIELD, "items", "须一次性列明全部补正事项");
    snprintf(x->a->status, sizeof x->a->status, "correction");
    json_object_set(x->detail, "items", items);
    return ERR_OK;
}

enum err approval_act_resubmit(struct approval_act *x)
{
    if (!approval_is(x->a, "correction"))
        return approval_wrong_state(x);
    json_t *missing, *core;
    if (approval_materials(x->cfg, x->a->category, json_object_get(x->in, "materials"), &missing,
                           &core, x->p))
        return x->p->err;
    json_object_set(x->a->data, "materials", json_object_get(x->in, "materials"));
    json_object_set_new(x->a->data, "missing", missing);
    json_object_set_new(x->a->data, "missing_core", core);
    snprintf(x->a->status, sizeof x->a->status, "submitted");
    snprintf(x->a->submitted_on, 11, "%s", x->on);
    return ERR_OK;
}

const char *approval_project_name(const struct approval_row *a)
{
    return json_string_value(json_object_get(json_object_get(a->data, "project"), "name"));
}

enum err approval_act_accept(struct approval_act *x)
{
    if (!approval_is(x->a, "submitted"))
        return approval_wrong_state(x);
    const char *unit = json_string_value(json_object_get(x->a->data, "preparer_unit"));
    const char *person = json_string_value(json_object_get(x->a->data, "preparer_person"));
    const char *names[] = {unit, person};
    for (int i = 0; i < 2; i++) {
        char list[32], reason[200];
        if (!names[i] || !*names[i])
            continue;
        int listed = approval_preparer_listed(x->db, names[i], x->on, list, sizeof list, reason,
                                              sizeof reason);
        /* A check that could not be made is no clearance: accept nothing unchecked. */
        if (listed < 0)
            return problem_set(x->p, ERR_INTERNAL, NULL, "编制单位信用核查失败，暂不能受理");
        if (listed == 1)
            return problem_set(x->p, ERR_CONFLICT, "preparer_unit",
                               "不予受理：编制%s“%s”在%s内（%s）（部令第9号第20条）",
                               i ? "人员" : "单位", names[i], list, reason);
    }
    /* received = a file uploaded; what was ticked at intake is a declaration */
    if (approval_materials_from_files(x->db, x->cfg, x->a))
        return problem_set(x->p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    if (json_array_size(json_object_get(x->a->data, "missing_core")))
        return problem_set(x->p, ERR_CONFLICT, "materials",
                           "核心材料未上传齐全，不能受理（核心材料不适用容缺）");
    json_t *missing = json_object_get(x->a->data, "missing");
    snprintf(x->a->accepted_on, 11, "%s", x->on);
    if (json_array_size(missing)) {
        const char *commitment;
        char due[11];
        int32_t due_day;
        bool rongque;
        struct problem q;
        if (field_bool(x->in, "rongque", NULL, FIELD_OPTIONAL, false, &rongque, &q) || !rongque ||
            field_text(x->in, "commitment", "承诺书", 2000, FIELD_REQUIRED | FIELD_MULTILINE,
                       &commitment, &q))
            return problem_set(x->p, ERR_CONFLICT, "rongque",
                               "缺少非核心材料：须按容缺受理办理并附申请人签署的承诺书");
        if (field_date(x->in, "supplement_due", NULL, FIELD_REQUIRED, due, &q) ||
            calendar_parse_date(due, &due_day) || due_day < x->day)
            return problem_set(x->p, ERR_INVALID_FIELD, "supplement_due", "补正期限无效");
        int prom = approval_promised_limit(x->cfg, x->a);
        if (due_day > approval_add(x, x->day, prom))
            return problem_set(x->p, ERR_INVALID_FIELD, "supplement_due",
                               "补正期限不得超过承诺办结时限（%d 个工作日）", prom);
        json_object_set_new(x->a->data, "rongque",
                            json_pack("{ss ss ss sO}", "commitment", commitment, "supplement_due",
                                      due, "accepted_on", x->on, "items", missing));
        json_object_set_new(x->detail, "rongque", json_true());
        json_object_set_new(x->detail, "supplement_due", json_string(due));
    }
    snprintf(x->a->status, sizeof x->a->status, "accepted");
    if (!strcmp(x->a->route, "standard")) {
        int days = approval_cfg_int(x->cfg, "notices", "accept", x->a->category, 5);
        char end[11], title[300], body[600];
        calendar_format_date(approval_add(x, x->day, days), end);
        snprintf(title, sizeof title, "受理公示：%s", approval_project_name(x->a));
        snprintf(
            body, sizeof body,
            "我局已受理%s环境影响%s（受理编号 %s），公示期 %d 个工作日，公众可在公示期内提出意见。",
            approval_project_name(x->a), x->a->category, x->a->number, days);
        if (approval_store_notice(x->db, x->a->id, "accept", title, body, x->on, end, 0))
            return problem_set(x->p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    }
    return ERR_OK;
}

enum err approval_act_supplement(struct approval_act *x)
{
    json_t *items;
    json_t *missing = json_object_get(x->a->data, "missing");
    struct problem q;
    if (!approval_is(x->a, "accepted") || !json_array_size(missing))
        return approval_wrong_state(x);
    if (field_text_list(x->in, "items", NULL, 100, 64, FIELD_REQUIRED, &items, &q))
        return problem_set(x->p, ERR_INVALID_FIELD, "items", "须列出补交的材料代码");
    size_t i, j;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        json_t *m;
        bool found = false;
        int files = json_is_string(it)
                        ? approval_material_received(x->db, x->a->id, json_string_value(it))
                        : 0;
        if (files < 0)
            return problem_set(x->p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
        json_array_foreach(missing, j, m) if (json_equal(m, it))
        {
            if (!files)
                return problem_set(x->p, ERR_CONFLICT, "items",
                                   "材料“%s”尚未上传文件，不能登记为已补交", json_string_value(it));
            json_array_remove(missing, j);
            json_array_append(json_object_get(x->a->data, "materials"), it);
            found = true;
            break;
        }
        if (!found)
            return problem_set(x->p, ERR_INVALID_FIELD, "items", "补交的材料不在容缺清单内");
    }
    if (!json_array_size(missing))
        json_object_set_new(json_object_get(x->a->data, "rongque"), "supplemented_on",
                            json_string(x->on));
    json_object_set(x->detail, "items", items);
    return ERR_OK;
}

enum err approval_act_supplement_failed(struct approval_act *x)
{
    json_t *rq = json_object_get(x->a->data, "rongque");
    const char *due = json_string_value(json_object_get(rq, "supplement_due"));
    if (!approval_is(x->a, "accepted") || !due ||
        !json_array_size(json_object_get(x->a->data, "missing")))
        return approval_wrong_state(x);
    if (strcmp(x->on, due) <= 0)
        return problem_set(x->p, ERR_CONFLICT, "on", "补正期限（%s）尚未届满", due);
    snprintf(x->a->status, sizeof x->a->status, "terminated");
    snprintf(x->a->decided_on, 11, "%s", x->on);
    if (approval_store_credit(x->db, x->a->enterprise_id, x->a->id, x->on,
                              "容缺受理承诺未在期限内补正材料"))
        return problem_set(x->p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    return ERR_OK;
}

enum err approval_act_pause(struct approval_act *x)
{
    static const char *const kinds[] = {
        "technical_evaluation", "expert_review", "hearing", "revision", "public_notice", NULL};
    const char *kind;
    if (!approval_is(x->a, "accepted"))
        return approval_wrong_state(x);
    if (approval_choice(x, "kind", kinds, "暂停事由须为 技术评估/专家评审/听证/申请人修改/公示",
                        &kind))
        return x->p->err;
    if (strcmp(x->on, x->a->accepted_on) <= 0)
        return problem_set(x->p, ERR_INVALID_FIELD, "on", "暂停日须晚于受理日");
    int open = approval_store_pauses_open(x->db, x->a->id, x->on);
    if (open < 0)
        return problem_set(x->p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    if (open)
        return problem_set(x->p, ERR_CONFLICT, "on", "已有未结束的暂停");
    int rc = approval_store_pause_add(x->db, x->a->id, kind, x->on);
    json_object_set_new(x->detail, "kind", json_string(kind));
    return rc ? problem_set(x->p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL)) : ERR_OK;
}

enum err approval_act_resume(struct approval_act *x)
{
    if (!approval_is(x->a, "accepted"))
        return approval_wrong_state(x);
    int n = approval_store_pause_end(x->db, x->a->id, x->on);
    if (n < 0)
        return problem_set(x->p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    if (n != 1)
        return problem_set(x->p, ERR_CONFLICT, "on", "没有可恢复的暂停（或恢复日早于暂停日）");
    return ERR_OK;
}

enum err approval_act_pre_approval(struct approval_act *x)
{
    if (!approval_is(x->a, "accepted"))
        return approval_wrong_state(x);
    int days = approval_cfg_int(x->cfg, "notices", "pre_approval", NULL, 5);
    int hearing = approval_cfg_int(x->cfg, "notices", "hearing_request_days", NULL, 5);
    char end[11], title[300], body[800];
    calendar_format_date(approval_add(x, x->day, days), end);
    snprintf(title, sizeof title, "拟批复公示：%s", approval_project_name(x->a));
    snprintf(body, sizeof body,
             "我局拟对%s环境影响%s（受理编号 %s）作出审批决定，公示期 %d 个工作日。申请人、"
             "利害关系人可在公示之日起 %d 日内提出听证申请（行政许可法第四十七条）。",
             approval_project_name(x->a), x->a->category, x->a->number, days, hearing);
    if (approval_store_notice(x->db, x->a->id, "pre_approval", title, body, x->on, end, 0))
        return problem_set(x->p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    return ERR_OK;
}

enum err approval_act_decide(struct approval_act *x)
{
    static const char *const grounds[] = {
        "",
        "建设项目类型及其选址、布局、规模等不符合环境保护法律法规和相关法定规划",
        "所在区域环境质量未达到国家或者地方环境质量标准，且拟采取的措施不能满足区域环境质量改善目标"
        "管理要求",
        "建设项目采取的污染防治措施无法确保污染物排放达到国家和地方排放标准，或者未采取必要措施预防"
        "和控制生态破坏",
        "改建、扩建和技术改造项目，未针对项目原有环境污染和生态破坏提出有效防治措施",
        "环境影响报告书、环境影响报告表的基础资料数据明显不实，内容存在重大缺陷、遗漏，或者环境影响"
        "评价结论不明确、不合理"};
    static const char *const decisions[] = {"approve", "refuse", NULL};
    const char *decision;
    int64_t ground = 0;
    struct problem q;
    if (!approval_is(x->a, "accepted"))
        return approval_wrong_state(x);
    if (json_array_size(json_object_get(x->a->data, "missing")))
        return problem_set(x->p, ERR_CONFLICT, "materials", "容缺材料尚未补齐，不得作出审批决定");
    if (approval_choice(x, "decision", decisions, "决定须为 approve 或 refuse", &decision))
        return x->p->err;
    bool approve = !strcmp(decision, "approve");
    if (!approve && field_int(x->in, "ground", NULL, 1, 5, FIELD_OPTIONAL, 0, &ground, &q))
        return problem_set(x->p, ERR_INVALID_FIELD, "ground",
                           "不予批准须依据条例第十一条所列情形之一（1-5）");
    /* only what the chain signed, with the signed ground */
    enum err e = approval_signoff_decision(x, decision, &ground);
    if (e)
        return e;
    char doc[64];
    snprintf(doc, sizeof doc, "景环审〔%.4s〕%lld号", x->on, (long long)x->a->id);
    json_object_set_new(x->a->data, "decision",
                        json_pack("{ss ss si ss ss}", "decision", decision, "doc_no", doc, "ground",
                                  (int)ground, "ground_text", approve ? "" : grounds[ground], "on",
                                  x->on));
    snprintf(x->a->status, sizeof x->a->status, approve ? "approved" : "refused");
    snprintf(x->a->decided_on, 11, "%s", x->on);
    int days = approval_cfg_int(x->cfg, "notices", "decision", NULL, 7);
    char end[11], title[300], body[900];
    calendar_format_date(approval_add(x, x->day, days), end);
    snprintf(title, sizeof title, "审批决定公告：%s（%s）", approval_project_name(x->a), doc);
    snprintf(body, sizeof body,
             "我局对%s环境影响%s作出%s的决定（%s）。%s%s如不服，可在公告期满之日起 60 日内申请"
             "行政复议，或 6 个月内提起行政诉讼。",
             approval_project_name(x->a), x->a->category, approve ? "批准" : "不予批准", doc,
             approve ? "" : "理由：", approve ? "" : grounds[ground]);
    json_object_set_new(x->detail, "decision", json_string(decision));
    json_object_set_new(x->detail, "doc_no", json_string(doc));
    if (approval_decision_document(x, doc, approve, (int)ground, approve ? "" : grounds[ground]))
        return x->p->err;
    if (approval_store_notice(x->db, x->a->id, "decision", title, body, x->on, end, 0))
        return problem_set(x->p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    return ERR_OK;
}

enum err approval_act_revoke(struct approval_act *x)
{
    const char *reason;
    struct problem q;
    if (!approval_is(x->a, "approved") || strcmp(x->a->route, "commitment"))
        return approval_wrong_state(x);
    if (field_text(x->in, "reason", "撤销理由", 500, FIELD_REQUIRED, &reason, &q))
        return problem_set(x->p, ERR_INVALID_FIELD, "reason", "须写明撤销理由");
    snprintf(x->a->status, sizeof x->a->status, "revoked");
    json_object_set_new(x->detail, "reason", json_string(reason));
    if (approval_store_credit(x->db, x->a->enterprise_id, x->a->id, x->on, reason))
        return problem_set(x->p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    if (approval_notice_revocation(x, reason))
        return x->p->err;
    return ERR_OK;
}

/* A failed check that ends in revocation: the same consequences as `revoke`
 * (status, credit record) and a revoke event after the check's own. */
static enum err approval_postcheck_revoke(struct approval_act *x, const char *findings)
{
    char reason[700];
    snprintf(reason, sizeof reason, "告知承诺事后核查不符合承诺：%s", findings);
    snprintf(x->a->status, sizeof x->a->status, "revoked");
    x->follow = "revoke";
    x->follow_detail = json_pack("{ss ss}", "reason", reason, "by", "postcheck");
    if (approval_store_credit(x->db, x->a->enterprise_id, x->a->id, x->on, reason))
        return problem_set(x->p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    if (approval_notice_revocation(x, reason))
        return x->p->err;
    return ERR_OK;
}

/* A check's result (conform or nonconform; refused with `refusal`) and its
 * findings, required when nonconform. *bad says nonconform. */
static int approval_check_result(struct approval_act *x, const char *refusal, const char **result,
                                 bool *bad, const char **findings)
{
    struct problem q;
    if (approval_choice(x, "result", approval_conform, refusal, result))
        return -1;
    *bad = !strcmp(*result, "nonconform");
    if (field_text(x->in, "findings", "核查意见", 2000,
                   FIELD_MULTILINE | (*bad ? FIELD_REQUIRED : 0), findings, &q))
        return problem_set(x->p, ERR_INVALID_FIELD, "findings",
                           *bad ? "须写明核查发现的问题" : "核查意见无效"),
               -1;
    return 0;
}

/* 告知承诺 事后核查: conform, or nonconform with findings and either
 * revocation (the revoke path) or rectification by a deadline. Once per case;
 * a rectification is closed by postcheck_rectified. */
enum err approval_act_postcheck(struct approval_act *x)
{
    if (!approval_is(x->a, "approved") || strcmp(x->a->route, "commitment") ||
        json_object_get(x->a->data, "postcheck"))
        return approval_wrong_state(x);
    if (strcmp(x->on, x->a->decided_on) < 0)
        return problem_set(x->p, ERR_INVALID_FIELD, "on", "核查日不得早于审批日（%s）",
                           x->a->decided_on);
    static const char *const outcomes[] = {"revoke", "rectify", NULL};
    const char *result, *findings, *outcome = NULL;
    bool bad;
    if (approval_check_result(x, "核查结论须为 conform 或 nonconform", &result, &bad, &findings))
        return x->p->err;
    char rdue[11] = "";
    if (bad) {
        if (approval_choice(x, "outcome", outcomes,
                            "不符合时须选择 revoke（撤销审批）或 rectify（责令整改）", &outcome))
            return x->p->err;
        int32_t rd;
        struct problem q;
        if (!strcmp(outcome, "rectify") &&
            (field_date(x->in, "rectify_due", "整改期限", FIELD_REQUIRED, rdue, &q) ||
             calendar_parse_date(rdue, &rd) || rd <= x->day))
            return problem_set(x->p, ERR_INVALID_FIELD, "rectify_due",
                               "整改期限须为核查日之后的日期（YYYY-MM-DD）");
    }
    json_t *pc =
        json_pack("{ss ss ss}", "result", result, "findings", findings, "checked_on", x->on);
    if (bad)
        json_object_set_new(pc, "outcome", json_string(outcome));
    if (*rdue)
        json_object_set_new(pc, "rectify_due", json_string(rdue));
    json_object_set_new(x->a->data, "postcheck", pc);
    json_object_set_new(x->detail, "result", json_string(result));
    json_object_set_new(x->detail, "findings", json_string(findings));
    if (bad)
        json_object_set_new(x->detail, "outcome", json_string(outcome));
    if (*rdue)
        json_object_set_new(x->detail, "rectify_due", json_string(rdue));
    return bad && !strcmp(outcome, "revoke") ? approval_postcheck_revoke(x, findings) : ERR_OK;
}

/* The re-inspection after a rectification order: conform closes the check,
 * nonconform revokes the approval. */
enum err approval_act_postcheck_rectified(struct approval_act *x)
{
    json_t *pc = json_object_get(x->a->data, "postcheck");
    const char *outcome = json_string_value(json_object_get(pc, "outcome"));
    const char *checked = json_string_value(json_object_get(pc, "checked_on"));
    if (!approval_is(x->a, "approved") || !outcome || strcmp(outcome, "rectify") || !checked ||
        json_object_get(pc, "rectification"))
        return approval_wrong_state(x);
    if (strcmp(x->on, checked) < 0)
        return problem_set(x->p, ERR_INVALID_FIELD, "on", "复查日不得早于核查日（%s）", checked);
    const char *result, *findings;
    bool bad;
    if (approval_check_result(x, "复查结论须为 conform 或 nonconform", &result, &bad, &findings))
        return x->p->err;
    json_object_set_new(
        pc, "rectification",
        json_pack("{ss ss ss}", "result", result, "findings", findings, "on", x->on));
    json_object_set_new(x->detail, "result", json_string(result));
    json_object_set_new(x->detail, "findings", json_string(findings));
    return bad ? approval_postcheck_revoke(x, findings) : ERR_OK;
}

enum err approval_act_green(struct approval_act *x)
{
    if (!approval_is(x->a, "submitted") && !approval_is(x->a, "accepted"))
        return approval_wrong_state(x);
    x->a->green = 1;
    return ERR_OK;
}

/* 条例 Art. 12: construction starting more than five years after approval
 * needs a re-review by the original authority, answered within `recheck_days`
 * days of receipt; no answer in time counts as agreement (the deemed-approval
 * timer, computed on read in approval_json). */
enum err approval_act_rereview_request(struct approval_act *x)
{
    if (!approval_is(x->a, "approved") || !*x->a->decided_on)
        return approval_wrong_state(x);
    char five[11];
    snprintf(five, sizeof five, "%04d%s", approval_year(x->a->decided_on) + 5,
             x->a->decided_on + 4);
    if (strcmp(x->on, five) <= 0)
        return problem_set(x->p, ERR_CONFLICT, "on",
                           "批准之日（%s）起未超过五年，无需重新审核（条例第十二条）",
                           x->a->decided_on);
    json_t *rr = json_object_get(x->a->data, "rereview");
    const char *due = json_string_value(json_object_get(rr, "due"));
    if (rr && !json_object_get(rr, "result") && due && strcmp(x->on, due) <= 0)
        return problem_set(x->p, ERR_CONFLICT, "action", "已有待答复的重新审核申请");
    const char *reason;
    struct problem q;
    if (field_text(x->in, "reason", "说明", 500, FIELD_OPTIONAL, &reason, &q))
        return problem_set(x->p, ERR_INVALID_FIELD, "reason", "说明无效");
    int days = approval_cfg_int(x->cfg, "recheck_days", NULL, NULL, 10);
    char d[11];
    calendar_format_date(x->day + days, d);
    if (rr && !json_object_get(rr, "result"))
        json_object_set_new(rr, "result", json_string("deemed"));
    json_t *hist = json_object_get(x->a->data, "rereviews");
    if (rr) {
        if (!json_is_array(hist))
            json_object_set_new(x->a->data, "rereviews", hist = json_array());
        json_array_append(hist, rr);
    }
    json_object_set_new(
        x->a->data, "rereview",
        json_pack("{ss ss ss}", "received_on", x->on, "due", d, "reason", reason ? reason : ""));
    json_object_set_new(x->detail, "due", json_string(d));
    return ERR_OK;
}

enum err approval_act_rereview_decide(struct approval_act *x)
{
    json_t *rr = json_object_get(x->a->data, "rereview");
    const char *due = json_string_value(json_object_get(rr, "due"));
    const char *received = json_string_value(json_object_get(rr, "received_on"));
    static const char *const results[] = {"agree", "refuse", NULL};
    const char *result, *opinion;
    struct problem q;
    if (!rr || json_object_get(rr, "result") || !due || !received)
        return approval_wrong_state(x);
    if (strcmp(x->on, due) > 0)
        return problem_set(x->p, ERR_CONFLICT, "on", "已超过答复期限（%s），依法视为审核同意", due);
    if (strcmp(x->on, received) < 0)
        return problem_set(x->p, ERR_INVALID_FIELD, "on", "答复日不得早于收件日");
    if (approval_choice(x, "result", results, "审核意见须为 agree 或 refuse", &result))
        return x->p->err;
    if (field_text(x->in, "opinion", "审核意见", 2000, FIELD_REQUIRED | FIELD_MULTILINE, &opinion,
                   &q))
        return problem_set(x->p, ERR_INVALID_FIELD, "opinion", "须写明审核意见");
    json_object_set_new(rr, "result", json_string(result));
    json_object_set_new(rr, "opinion", json_string(opinion));
    json_object_set_new(rr, "decided_on", json_string(x->on));
    json_object_set_new(x->detail, "result", json_string(result));
    return ERR_OK;
}

static const struct approval_action {
    const char *name;
    enum err (*run)(struct approval_act *x);
    bool enterprise; /* the applicant may do it */
} approval_actions[] = {
    {"correction", approval_act_correction, false},
    {"resubmit", approval_act_resubmit, true},
    {"accept", approval_act_accept, false},
    {"supplement", approval_act_supplement, true},
    {"supplement_failed", approval_act_supplement_failed, false},
    {"pause", approval_act_pause, false},
    {"resume", approval_act_resume, false},
    {"pre_approval_notice", approval_act_pre_approval, false},
    {"decide", approval_act_decide, false},
    {"revoke", approval_act_revoke, false},
    {"postcheck", approval_act_postcheck, false},
    {"postcheck_rectified", approval_act_postcheck_rectified, false},
    {"green", approval_act_green, false},
    {"rereview_request", approval_act_rereview_request, true},
    {"rereview_decide", approval_act_rereview_decide, false},
    {"withdraw", approval_act_withdraw, true},
    {"notice_correct", approval_act_notice_correct, false},
    {"signoff_draft", approval_act_signoff_draft, false},
    {"signoff_review", approval_act_signoff_review, false},
    {"signoff_sign", approval_act_signoff_sign, false},
    {"signoff_return", approval_act_signoff_return, false},
};

/* ---- the procedure without HTTP (the handlers and the demo) ---- */

enum err approval_apply(const struct approval_who *who, const struct calendar *cal, int64_t id,
                        json_t *in, struct problem *p)
{
    const char *name = json_string_value(json_object_get(in, "action"));
    const struct approval_action *act = NULL;
    for (size_t i = 0; name && i < sizeof approval_actions / sizeof approval_actions[0]; i++)
        if (!strcmp(name, approval_actions[i].name))
            act = &approval_actions[i];
    struct approval_row a = {0};
    struct approval_act x = {.db = who->db,
                             .in = in,
                             .a = &a,
                             .p = p,
                             .cal = cal,
                             .user = who->user,
                             .config = who->cfg};
    if (!act)
        return problem_set(p, ERR_INVALID_FIELD, "action", "未知的办理事项");
    if (who->enterprise && !act->enterprise)
        return problem_set(p, ERR_FORBIDDEN, NULL, "%s", err_message(ERR_FORBIDDEN));
    if (approval_on(in, "on", "办理日期", x.on, &x.day, p))
        return p->err;
    if (db_begin(who->db))
        return problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    enum err e = ERR_OK;
    int rc = approval_store_load(who->db, id, &a);
    if (rc || (who->enterprise && a.enterprise_id != who->enterprise_id))
        e = problem_set(p, rc < 0 ? ERR_INTERNAL : ERR_NOT_FOUND, NULL, "%s",
                        err_message(rc < 0 ? ERR_INTERNAL : ERR_NOT_FOUND));
    if (!e) {
        x.cfg = approval_store_config(who->db);
        x.detail = json_object();
        x.actor = who->actor;
        e = x.cfg ? act->run(&x)
                  : problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
        if (!e && (approval_store_save(who->db, &a) ||
                   approval_record_event(who->db, &x.actor, a.id, act->name, x.on, x.detail) ||
                   (x.follow && approval_record_event(who->db, &x.actor, a.id, x.follow, x.on,
                                                      x.follow_detail)) ||
                   db_commit(who->db)))
            e = problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    }
    if (e)
        db_rollback(who->db);
    json_decref(x.detail);
    json_decref(x.follow_detail);
    json_decref(x.cfg);
    json_decref(a.data);
    return e;
}
