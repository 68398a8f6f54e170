/* supervision case — alarms and cases (docs/supervision.md "Alarms and
 * cases"): an alarm is new -> verified (only on valid data over the limit) or
 * dismissed; a verified alarm becomes a case, open -> rectifying (with its
 * rectification order) -> closed (with evidence). Each transition checks the
 * state it starts from and is refused with ERR_INVALID_STATE otherwise. */
#include "modules/supervision/rules.h"
#include "modules/supervision/supervision.h"
#include "app/field.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "domain/calendar.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    if (sup_store_alarm_insert(db, in, id))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误"), -1;
    json_t *d = json_pack("{ss ss sf sf ss}", "source", in->source, "factor", in->factor, "value",
                          in->value, "limit", in->limit, "data_flag", flag);
    int rc = audit_append_id(db, actor, "supervision.alarm.create", "sup_alarm", *id, d);
    json_decref(d);
    return rc ? (problem_set(p, ERR_INTERNAL, NULL, "数据库错误"), -1) : 0;
}

int supervision_case_open(struct db *db, const struct audit_actor *actor, int64_t enterprise_id,
                          const char *title, const char *source, const char *opened_on,
                          int64_t *case_id, struct problem *p)
{
    if (!title || !*title || text_check_field(title, 200, false))
        return problem_set(p, ERR_INVALID_FIELD, "title", "案件名称须为 1 至 200 字节的文字"), -1;
    if (!source || !*source || text_check_field(source, 64, false))
        return problem_set(p, ERR_INVALID_FIELD, "source", "案件来源须为 1 至 64 字节的文字"), -1;
    if (sup_day(opened_on) == CALENDAR_DAY_INVALID)
        return problem_set(p, ERR_INVALID_FIELD, "opened_on", "立案日期无效"), -1;
    if (!sup_enterprise_exists(db, enterprise_id))
        return problem_set(p, ERR_INVALID_FIELD, "enterprise_id", "未找到该企业"), -1;
    if (sup_store_case_open_from(db, enterprise_id, title, source, opened_on, case_id))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误"), -1;
    json_t *d = json_pack("{sI ss ss}", "enterprise_id", (json_int_t)enterprise_id, "title", title,
                          "source", source);
    int rc = audit_append_id(db, actor, "supervision.case.open", "sup_case", *case_id, d);
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
    if (field_int(in, "observed_at", "观测时间（UTC 秒）", 1, INT64_MAX, FIELD_OPTIONAL,
                  timeutil_now(), &a.observed_at, p))
        return p->err;
    a.source = "manual";
    a.point = point;
    a.factor = factor;
    a.unit = unit;
    a.data_flag = *flag ? *flag : 'N';
    a.device_ok = device_ok;
    a.serious = serious;
    if (sup_begin(c, p))
        return p->err;
    int64_t nid;
    if (sup_alarm_feed(c->db, c->actor, &a, &nid, p)) {
        db_rollback(c->db);
        return p->err;
    }
    if (db_commit(c->db))
        return sup_internal(c, p);
    *out = sup_alarm_row(c->db, nid);
    return ERR_OK;
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
    if (sup_begin(c, p)) {
        free(vt);
        return p->err;
    }
    int rc = sup_store_alarm_set_status(c->db, id, "verified", vt, NULL);
    free(vt);
    char detail[128];
    snprintf(detail, sizeof detail, "报警 %lld 经核实超标", (long long)id);
    if (rc || audit_append_id(c->db, c->actor, "supervision.alarm.verify", "sup_alarm", id, in) ||
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
    if (sup_begin(c, p))
        return p->err;
    if (sup_commit(c, sup_store_alarm_set_status(c->db, id, "dismissed", NULL, reason),
                   "supervision.alarm.dismiss", "sup_alarm", id, in, p))
        return p->err;
    *out = sup_alarm_row(c->db, id);
    return ERR_OK;
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
    if (sup_begin(c, p))
        return p->err;
    int64_t cid = 0;
    /* The store call sets cid before sup_commit reads it: two statements, as
     * the order in which a call's arguments are evaluated is unspecified. */
    int rc = sup_store_case_open(c->db, ent, id, title, c->today, &cid);
    if (sup_commit(c, rc, "supervision.case.open", "sup_case", cid, in, p))
        return p->err;
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
    if (sup_begin(c, p))
        return p->err;
    if (sup_commit(c,
                   sup_store_case_rectify(c->db, id, ent, req, due) || sup_rect_notify(c, ent, due),
                   "supervision.case.rectify", "sup_case", id, in, p))
        return p->err;
    *out = sup_case_row(c->db, id);
    return ERR_OK;
}

/* The closing's evidence text: what staff wrote, else the files' names. */
static void sup_case_evidence_text(json_t *files, const char *text, char *out, size_t size)
{
    json_t *f;
    size_t i, used;
    if (*text) {
        snprintf(out, size, "%s", text);
        return;
    }
    used = (size_t)snprintf(out, size, "佐证文件：");
    json_array_foreach(files, i, f)
    {
        int n = snprintf(out + used, size - used, "%s%s", i ? "、" : "",
                         json_string_value(json_object_get(f, "filename")));
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
    }
}

/* Closing needs evidence as files (issue #17 item 8): at least one, the
 * case's own (acceptance report, on-site photos, re-test report) or those
 * its enterprise attached to the case's rectification order. The text is
 * the staff member's summary of them and may be left out. */
enum err sup_case_close(struct sup_ctx *c, int64_t id, json_t *in, json_t **out, struct problem *p)
{
    const char *evidence, *note;
    if (field_text(in, "note", "结案说明", 500, FIELD_MULTILINE, &note, p) ||
        field_text(in, "evidence", "整改佐证说明", SUP_TEXT_MAX, FIELD_MULTILINE, &evidence, p))
        return p->err;
    json_t *k = sup_case_row(c->db, id);
    if (!k)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该案件");
    bool rectifying = !strcmp(json_string_value(json_object_get(k, "status")), "rectifying");
    json_decref(k);
    if (!rectifying)
        return problem_set(p, ERR_INVALID_STATE, NULL, "须先下达整改，整改完成后方可结案");
    json_t *files = sup_case_evidence(c->db, id);
    if (!json_array_size(files)) {
        json_decref(files);
        return problem_set(p, ERR_EVIDENCE_REQUIRED, "files",
                           "结案须上传至少一份佐证文件（整改验收报告、现场照片、复测报告等）");
    }
    char text[SUP_TEXT_MAX + 1];
    sup_case_evidence_text(files, evidence, text, sizeof text);
    json_decref(files);
    if (sup_begin(c, p))
        return p->err;
    if (sup_commit(c, sup_store_case_close(c->db, id, text, note, c->today),
                   "supervision.case.close", "sup_case", id, in, p))
        return p->err;
    *out = sup_case_row(c->db, id);
    return ERR_OK;
}
