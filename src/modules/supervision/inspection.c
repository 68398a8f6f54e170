/* supervision inspection — inspections (2-8 inspectors, none in conflict, an
 * optional rectification order), rectifications done once, penalties and
 * incidents (both propose removal from the positive list). */
#include "modules/supervision/rules.h"
#include "modules/supervision/supervision.h"
#include "app/field.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "domain/draw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sup_results[] = {"compliant", "issues", NULL};

enum err sup_inspection_create(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                               struct problem *p)
{
    int64_t ent, ids[DRAW_TEAM_MAX];
    size_t n_ids;
    const char *findings, *result;
    json_t *photos;
    char day[11];
    if (field_id(in, "enterprise_id", "企业", FIELD_REQUIRED, &ent, p) ||
        sup_field_date_or(in, "inspected_on", "检查日期", FIELD_PAST, c->today, day, p) ||
        field_text(in, "findings", "检查情况", SUP_TEXT_MAX, FIELD_REQUIRED | FIELD_MULTILINE,
                   &findings, p) ||
        field_choice(in, "result", "检查结论（compliant 或 issues）", sup_results, FIELD_REQUIRED,
                     NULL, &result, p) ||
        field_id_list(in, "inspector_ids", "执法人员", DRAW_TEAM_MAX, FIELD_REQUIRED, ids, &n_ids,
                      p) ||
        field_text_list(in, "photos", "照片", 20, 300, FIELD_OPTIONAL, &photos, p))
        return p->err;
    if (n_ids < 2)
        return problem_set(p, ERR_INVALID_FIELD, "inspector_ids", "检查须有 2 至 8 名执法人员");
    json_t *rect = json_object_get(in, "rectification");
    const char *req = NULL;
    char due[11] = "";
    if (rect && !json_is_null(rect)) {
        if (!json_is_object(rect))
            return problem_set(p, ERR_INVALID_FIELD, "rectification", "整改令格式错误");
        if (field_text(rect, "requirement", "整改要求", SUP_TEXT_MAX,
                       FIELD_REQUIRED | FIELD_MULTILINE, &req, p) ||
            field_date(rect, "due_on", "整改期限", FIELD_REQUIRED, due, p))
            return p->err;
    }
    if (!sup_enterprise_exists(c->db, ent))
        return problem_set(p, ERR_NOT_FOUND, "enterprise_id", "未找到该企业");
    json_t *names = json_array();
    for (size_t i = 0; i < n_ids; i++) {
        json_t *ins = sup_store_inspector_active(c->db, ids[i]);
        if (!ins) {
            json_decref(names);
            return problem_set(p, ERR_INVALID_FIELD, "inspector_ids", "执法人员不存在或已停用");
        }
        if (sup_store_in_conflict(c->db, ids[i], ent)) {
            problem_set(p, ERR_INSPECTOR_CONFLICT, "inspector_ids",
                        "执法人员 %s 与该企业有利害关系，应当回避",
                        json_string_value(json_object_get(ins, "name")));
            json_decref(ins);
            json_decref(names);
            return p->err;
        }
        json_array_append_new(names, ins);
    }
    char *names_text = json_dumps(names, JSON_COMPACT);
    char *photos_text = photos ? json_dumps(photos, JSON_COMPACT) : xstrdup("[]");
    json_decref(names);
    if (sup_begin(c, p)) {
        free(names_text);
        free(photos_text);
        return p->err;
    }
    int64_t nid = 0;
    int rc = sup_store_inspection_insert(c->db, ent, day, names_text, findings, result, photos_text,
                                         c->actor->name, &nid);
    free(names_text);
    free(photos_text);
    if (req)
        rc = rc || sup_store_rectification_insert(c->db, ent, nid, 0, req, due) ||
             sup_rect_notify(c, ent, due);
    if (sup_commit(c, rc, "supervision.inspection.create", "sup_inspection", nid, in, p))
        return p->err;
    *out = sup_store_record(c->db, SUP_INSPECTION, nid);
    return ERR_OK;
}

enum err sup_rectification_done(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                                struct problem *p)
{
    const char *evidence;
    char day[11];
    if (field_text(in, "evidence", "整改佐证", SUP_TEXT_MAX, FIELD_REQUIRED | FIELD_MULTILINE,
                   &evidence, p) ||
        sup_field_date_or(in, "done_on", "完成日期", FIELD_PAST, c->today, day, p))
        return p->err;
    json_t *r = sup_store_record(c->db, SUP_RECTIFICATION, id);
    if (!r)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该整改事项");
    bool open = !strcmp(json_string_value(json_object_get(r, "status")), "open");
    json_decref(r);
    if (!open)
        return problem_set(p, ERR_INVALID_STATE, NULL, "该整改事项已完成");
    if (sup_begin(c, p))
        return p->err;
    if (sup_commit(c, sup_store_rectification_done(c->db, id, evidence, day),
                   "supervision.rectification.done", "sup_rectification", id, in, p))
        return p->err;
    *out = sup_store_record(c->db, SUP_RECTIFICATION, id);
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
        field_date(in, "decided_on", "决定日期", FIELD_REQUIRED | FIELD_PAST, day, p) ||
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
    if (case_id && !sup_store_case_of(c->db, case_id, ent))
        return problem_set(p, ERR_INVALID_FIELD, "case_id", "案件不存在或不属于该企业");
    int64_t fen = llround(amount * 100);
    if (sup_begin(c, p))
        return p->err;
    int64_t nid = 0;
    int rc = sup_store_penalty_insert(c->db, ent, decision, day, violation, basis, fen, measures,
                                      case_id, &nid);
    if (rc == SUP_STORE_DUPLICATE) {
        db_rollback(c->db);
        return problem_set(p, ERR_CONFLICT, "decision_no", "处罚决定书文号 %s 已存在", decision);
    }
    char detail[300];
    snprintf(detail, sizeof detail, "%s %s，罚款 %.2f 元", decision, day, amount);
    if (rc ||
        audit_append_id(c->db, c->actor, "supervision.penalty.create", "sup_penalty", nid, in) ||
        sup_propose_removal(c, ent, "受到环境行政处罚", detail, "penalty", nid) || db_commit(c->db))
        return sup_internal(c, p);
    *out = sup_store_record(c->db, SUP_PENALTY, nid);
    return ERR_OK;
}

enum err sup_incident_create(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                             struct problem *p)
{
    int64_t ent;
    const char *level, *desc;
    char day[11];
    if (field_id(in, "enterprise_id", "企业", FIELD_REQUIRED, &ent, p) ||
        field_date(in, "occurred_on", "发生日期", FIELD_REQUIRED | FIELD_PAST, day, p) ||
        field_text(in, "level", "事件级别", 32, FIELD_REQUIRED, &level, p) ||
        field_text(in, "description", "事件描述", SUP_TEXT_MAX, FIELD_REQUIRED | FIELD_MULTILINE,
                   &desc, p))
        return p->err;
    if (!sup_enterprise_exists(c->db, ent))
        return problem_set(p, ERR_NOT_FOUND, "enterprise_id", "未找到该企业");
    if (sup_begin(c, p))
        return p->err;
    int64_t nid = 0;
    int rc = sup_store_incident_insert(c->db, ent, day, level, desc, &nid);
    if (rc ||
        audit_append_id(c->db, c->actor, "supervision.incident.create", "sup_incident", nid, in) ||
        sup_propose_removal(c, ent, "发生突发环境事件", desc, "incident", nid) || db_commit(c->db))
        return sup_internal(c, p);
    *out = sup_store_record(c->db, SUP_INCIDENT, nid);
    return ERR_OK;
}
