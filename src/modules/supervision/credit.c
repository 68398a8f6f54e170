/* supervision credit — EIA preparer credit (decisions scored from
 * sup_behaviours, lists evaluated by domain/credit as of any date), the intake
 * check other modules call, list publications (frozen periods) and monitoring
 * institutions' evidence and yearly grades. */
#include "modules/supervision/rules.h"
#include "modules/supervision/supervision.h"
#include "app/field.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "domain/credit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sup_kinds[] = {"unit", "person", NULL};
/* The lists whose periods a publication freezes. */
static const char *const sup_lists_published[] = {"positive", "preparer", "institution", NULL};

enum err sup_preparer_create(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                             struct problem *p)
{
    const char *kind, *name, *code;
    int64_t employer;
    char reg[11];
    if (field_choice(in, "kind", "类型（unit 编制单位或 person 编制人员）", sup_kinds,
                     FIELD_REQUIRED, NULL, &kind, p) ||
        field_text(in, "name", "名称", 200, FIELD_REQUIRED, &name, p) ||
        field_text(in, "code", "统一社会信用代码或信用编号", 64, FIELD_REQUIRED, &code, p) ||
        field_id(in, "employer_id", "所在单位", FIELD_OPTIONAL, &employer, p) ||
        field_date(in, "registered_on", "诚信档案建立日期", FIELD_REQUIRED | FIELD_PAST, reg, p))
        return p->err;
    if (employer && !sup_store_preparer_is_unit(c->db, employer))
        return problem_set(p, ERR_INVALID_FIELD, "employer_id", "所在单位须为已登记的编制单位");
    if (sup_begin(c, p))
        return p->err;
    int64_t nid = 0;
    int rc = sup_store_preparer_insert(c->db, kind, name, code, employer, reg, &nid);
    if (rc == SUP_STORE_DUPLICATE) {
        db_rollback(c->db);
        return problem_set(p, ERR_CONFLICT, "code", "编号 %s 已登记", code);
    }
    if (sup_commit(c, rc, "supervision.preparer.create", "sup_preparer", nid, in, p))
        return p->err;
    *out = sup_preparer_get(c->db, nid, c->today, &(bool){false});
    return ERR_OK;
}

enum err sup_credit_event_create(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                                 struct problem *p)
{
    const char *code, *decision, *note;
    char eff[11], until[11] = "";
    bool life;
    if (field_text(in, "behaviour", "失信行为", 16, FIELD_REQUIRED, &code, p) ||
        field_text(in, "decision_no", "决定文号", 64, FIELD_REQUIRED, &decision, p) ||
        field_text(in, "note", "说明", 500, FIELD_MULTILINE, &note, p) ||
        field_date(in, "effective_on", "生效日期", FIELD_REQUIRED | FIELD_PAST, eff, p) ||
        field_bool(in, "life", NULL, FIELD_OPTIONAL, false, &life, p))
        return p->err;
    json_t *pr = sup_store_preparer(c->db, id);
    if (!pr)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该编制单位或人员");
    char kind[8], reg[11];
    snprintf(kind, sizeof kind, "%s", json_string_value(json_object_get(pr, "kind")));
    snprintf(reg, sizeof reg, "%s", json_string_value(json_object_get(pr, "registered_on")));
    json_decref(pr);
    json_t *b = sup_store_behaviour(c->db, code);
    if (!b)
        return problem_set(p, ERR_UNKNOWN_BEHAVIOUR, "behaviour", "记分办法中没有失信行为 %s",
                           code);
    const char *subject = json_string_value(json_object_get(b, "subject"));
    int64_t points = json_integer_value(json_object_get(b, "points"));
    bool ban = json_integer_value(json_object_get(b, "ban")) != 0;
    bool subject_ok = !strcmp(subject, "any") || !strcmp(subject, kind);
    json_decref(b);
    if (!subject_ok)
        return problem_set(p, ERR_UNKNOWN_BEHAVIOUR, "behaviour", "失信行为 %s 不适用于%s", code,
                           strcmp(kind, "unit") ? "编制人员" : "编制单位");
    if (strcmp(eff, reg) < 0)
        return problem_set(p, ERR_INVALID_FIELD, "effective_on", "生效日期早于诚信档案建立日期 %s",
                           reg);
    if (ban && !life && field_date(in, "ban_until", "禁止从业截止日期", FIELD_REQUIRED, until, p))
        return p->err;
    if (ban && !life && strcmp(until, eff) < 0)
        return problem_set(p, ERR_INVALID_FIELD, "ban_until", "禁止从业截止日期早于生效日期");
    if (sup_check_backdated(c, "preparer", eff, p))
        return p->err;
    if (sup_begin(c, p))
        return p->err;
    if (sup_commit(c,
                   sup_store_credit_event_insert(c->db, id, code, points, ban, eff,
                                                 ban ? (life ? "forever" : until) : NULL, decision,
                                                 note),
                   "supervision.credit.score", "sup_preparer", id, in, p))
        return p->err;
    *out = sup_preparer_get(c->db, id, c->today, &(bool){false});
    return ERR_OK;
}

enum err sup_preparer_report_create(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                                    struct problem *p)
{
    const char *ref;
    char day[11];
    if (field_text(in, "ref", "项目编号", 64, FIELD_REQUIRED, &ref, p) ||
        field_date(in, "approved_on", "批准日期", FIELD_REQUIRED | FIELD_PAST, day, p))
        return p->err;
    json_t *pr = sup_store_preparer(c->db, id);
    json_decref(pr);
    if (!pr)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该编制单位或人员");
    if (sup_begin(c, p))
        return p->err;
    if (sup_commit(c, sup_store_preparer_report_insert(c->db, id, ref, day),
                   "supervision.credit.report", "sup_preparer", id, in, p))
        return p->err;
    *out = sup_preparer_get(c->db, id, c->today, &(bool){false});
    return ERR_OK;
}

enum err sup_publication_create(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                                struct problem *p)
{
    const char *list;
    char through[11];
    if (field_choice(in, "list", "名单（positive、preparer 或 institution）", sup_lists_published,
                     FIELD_REQUIRED, NULL, &list, p) ||
        sup_field_date_or(in, "through", "公布截止日期", FIELD_PAST, c->today, through, p))
        return p->err;
    if (strcmp(through, c->today) > 0)
        return problem_set(p, ERR_INVALID_FIELD, "through", "不能公布未来的期间");
    if (sup_begin(c, p))
        return p->err;
    int64_t nid = 0;
    if (sup_store_publication_insert(c->db, list, through, c->actor->name, &nid))
        return sup_internal(c, p);
    if (sup_commit(c, 0, "supervision.list.publish", "sup_publication", nid, in, p))
        return p->err;
    *out = sup_store_record(c->db, SUP_PUBLICATION, nid);
    return ERR_OK;
}

/* Loads a preparer's decisions and reports and evaluates them as of date. */
int sup_preparer_eval(struct db *db, int64_t id, int32_t asof, int32_t *registered,
                      struct credit_result *res)
{
    json_t *pr = sup_store_preparer(db, id);
    if (!pr)
        return -1;
    *registered = sup_day(json_string_value(json_object_get(pr, "registered_on")));
    json_decref(pr);
    json_t *evs = sup_store_credit_history(db, id);
    json_t *reps = sup_store_preparer_reports(db, id);
    if (!evs || !reps) {
        json_decref(evs);
        json_decref(reps);
        return -1;
    }
    size_t ne = json_array_size(evs), nr = json_array_size(reps);
    struct credit_event *ev = xcalloc(ne + 1, sizeof *ev);
    int32_t *rp = xcalloc(nr + 1, sizeof *rp);
    for (size_t i = 0; i < ne; i++) {
        json_t *e = json_array_get(evs, i);
        ev[i].day = sup_day(json_string_value(json_object_get(e, "effective_on")));
        ev[i].points = (int)json_integer_value(json_object_get(e, "points"));
        ev[i].ban = json_integer_value(json_object_get(e, "ban")) != 0;
        const char *u = json_string_value(json_object_get(e, "ban_until"));
        ev[i].ban_end = !u ? 0 : !strcmp(u, "forever") ? CREDIT_FOREVER : sup_day(u);
        ev[i].ref = json_integer_value(json_object_get(e, "id"));
    }
    for (size_t i = 0; i < nr; i++)
        rp[i] = sup_day(json_string_value(json_object_get(json_array_get(reps, i), "approved_on")));
    struct credit_rules rules;
    credit_rules_default(&rules);
    rules.warning = (int)sup_setting(db, "credit_warning", 10);
    rules.limit = (int)sup_setting(db, "credit_limit", 20);
    int rc = credit_evaluate(&rules, *registered, ev, ne, rp, nr, asof, res);
    free(ev);
    free(rp);
    json_decref(evs);
    json_decref(reps);
    return rc;
}

json_t *sup_preparer_get(struct db *db, int64_t id, const char *date, bool *missing)
{
    *missing = false;
    json_t *pr = sup_store_preparer(db, id);
    if (!pr) {
        *missing = true;
        return NULL;
    }
    int32_t asof = sup_day(date), reg;
    struct credit_result res;
    if (sup_preparer_eval(db, id, asof, &reg, &res)) {
        json_decref(pr);
        return NULL;
    }
    char cs[11], ce[11];
    calendar_format_date(res.cycle_start, cs);
    calendar_format_date(res.cycle_end - 1, ce);
    json_object_set_new(pr, "as_of", json_string(date));
    json_object_set_new(pr, "cycle",
                        json_pack("{ss ss si}", "from", cs, "until", ce, "points", res.points));
    json_object_set_new(pr, "lists", sup_intervals_json(&res, asof));
    credit_result_free(&res);
    json_object_set_new(pr, "events", sup_store_credit_events(db, id));
    json_object_set_new(pr, "reports", sup_store_preparer_reports(db, id));
    return pr;
}

json_t *sup_institutions(struct db *db, int year)
{
    char from[11], to[11];
    snprintf(from, sizeof from, "%04d-01-01", year);
    snprintf(to, sizeof to, "%04d-12-31", year);
    json_t *rows = sup_store_institution_scores(db, from, to);
    if (!rows)
        return NULL;
    double base = (double)sup_setting(db, "mon_base_score", 100);
    double a = (double)sup_setting(db, "mon_grade_a", 90),
           b = (double)sup_setting(db, "mon_grade_b", 80),
           cc = (double)sup_setting(db, "mon_grade_c", 60);
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        double score = base + json_number_value(json_object_get(r, "delta"));
        bool veto = json_integer_value(json_object_get(r, "vetoes")) > 0;
        char g[2] = {credit_grade(score, veto, a, b, cc), 0};
        json_object_set_new(r, "year", json_integer(year));
        json_object_set_new(r, "score", json_real(score));
        json_object_set_new(r, "grade", json_string(g));
        json_object_set_new(r, "board",
                            json_string(g[0] == 'A'   ? "red"
                                        : g[0] == 'D' ? "black"
                                                      : ""));
        json_object_set_new(r, "evidence",
                            sup_store_institution_evidence(
                                db, json_integer_value(json_object_get(r, "id")), from, to));
    }
    return rows;
}

json_t *sup_intervals_json(const struct credit_result *res, int32_t asof)
{
    json_t *a = json_array();
    for (size_t i = 0; i < res->n; i++) {
        char s[11], e[11];
        calendar_format_date(res->iv[i].start, s);
        if (res->iv[i].end != CREDIT_FOREVER)
            calendar_format_date(res->iv[i].end - 1, e);
        bool current = res->iv[i].start <= asof && asof < res->iv[i].end;
        json_array_append_new(
            a, json_pack("{ss ss ss so sb sI}", "list", credit_list_code(res->iv[i].list),
                         "list_name", credit_list_name(res->iv[i].list), "from", s, "until",
                         res->iv[i].end == CREDIT_FOREVER ? json_null() : json_string(e), "current",
                         current, "event_id", (json_int_t)res->iv[i].ref));
    }
    return a;
}

int credit_preparer_blocked(struct db *db, int64_t preparer_id, const char *date, char *reason,
                            size_t reason_len)
{
    int32_t asof = sup_day(date), reg;
    if (asof == CALENDAR_DAY_INVALID) {
        if (reason)
            snprintf(reason, reason_len, "日期无效");
        return -1;
    }
    struct credit_result res;
    if (sup_preparer_eval(db, preparer_id, asof, &reg, &res)) {
        if (reason)
            snprintf(reason, reason_len, "未找到编制单位或人员 %lld", (long long)preparer_id);
        return -1;
    }
    int blocked = 0;
    for (size_t i = 0; i < res.n && !blocked; i++) {
        const struct credit_interval *iv = &res.iv[i];
        if ((iv->list == CREDIT_RECTIFY || iv->list == CREDIT_BLACK) && iv->start <= asof &&
            asof < iv->end) {
            blocked = 1;
            if (reason) {
                char s[11], e[11] = "长期";
                calendar_format_date(iv->start, s);
                if (iv->end != CREDIT_FOREVER)
                    calendar_format_date(iv->end - 1, e);
                snprintf(reason, reason_len, "列入%s（%s 至 %s），依部令第9号第二十条不予受理",
                         credit_list_name(iv->list), s, e);
            }
        }
    }
    if (!blocked && reason)
        snprintf(reason, reason_len, "未列入限期整改名单或黑名单");
    credit_result_free(&res);
    return blocked;
}

int credit_preparer_blocked_code(struct db *db, const char *code, const char *date, char *reason,
                                 size_t reason_len)
{
    int64_t id = sup_store_preparer_by_code(db, code);
    if (!id) {
        if (reason)
            snprintf(reason, reason_len, "未在信用平台登记");
        return -1;
    }
    return credit_preparer_blocked(db, id, date, reason, reason_len);
}

/* ---- monitoring institutions ---- */

enum err sup_institution_create(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                                struct problem *p)
{
    const char *name, *uscc;
    if (field_text(in, "name", "机构名称", 200, FIELD_REQUIRED, &name, p) ||
        field_text(in, "uscc", "统一社会信用代码", 18, FIELD_REQUIRED, &uscc, p))
        return p->err;
    if (sup_begin(c, p))
        return p->err;
    int64_t nid = 0;
    int rc = sup_store_institution_insert(c->db, name, uscc, &nid);
    if (rc == SUP_STORE_DUPLICATE) {
        db_rollback(c->db);
        return problem_set(p, ERR_CONFLICT, "uscc", "该机构已登记");
    }
    if (sup_commit(c, rc, "supervision.institution.create", "sup_institution", nid, in, p))
        return p->err;
    *out = sup_store_record(c->db, SUP_INSTITUTION, nid);
    return ERR_OK;
}

enum err sup_evidence_create(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                             struct problem *p)
{
    const char *item, *note;
    char day[11];
    if (field_text(in, "item", "评分项", 16, FIELD_REQUIRED, &item, p) ||
        field_text(in, "note", "证据说明", 500, FIELD_REQUIRED | FIELD_MULTILINE, &note, p) ||
        field_date(in, "occurred_on", "发生日期", FIELD_REQUIRED | FIELD_PAST, day, p))
        return p->err;
    json_t *inst = sup_store_record(c->db, SUP_INSTITUTION, id);
    json_decref(inst);
    if (!inst)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该机构");
    json_t *it = sup_store_mon_item(c->db, item);
    if (!it)
        return problem_set(p, ERR_UNKNOWN_BEHAVIOUR, "item", "评分模型中没有评分项 %s", item);
    double pts = json_number_value(json_object_get(it, "points"));
    char kind[8];
    snprintf(kind, sizeof kind, "%s", json_string_value(json_object_get(it, "kind")));
    json_decref(it);
    if (sup_check_backdated(c, "institution", day, p))
        return p->err;
    if (sup_begin(c, p))
        return p->err;
    if (sup_commit(c, sup_store_evidence_insert(c->db, id, item, pts, kind, day, note),
                   "supervision.institution.evidence", "sup_institution", id, in, p))
        return p->err;
    *out = json_pack("{sI ss}", "institution_id", (json_int_t)id, "item", item);
    return ERR_OK;
}
