/* supervision positive_list — the enforcement positive list: inclusion when
 * every enabled criterion passes; removal only by proposal (opened by a
 * penalty, an incident, a verified serious alarm or a failing fact) that a
 * section chief accepts or rejects. */
#include "modules/supervision/rules.h"
#include "modules/supervision/supervision.h"
#include "app/field.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "domain/credit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Opens a removal proposal when the enterprise is on the list (inside the
 * caller's transaction). 0, or -1 on a database error. */
int sup_propose_removal(struct sup_ctx *c, int64_t ent, const char *reason, const char *detail,
                        const char *source, int64_t source_id)
{
    json_t *entry = sup_active_entry(c->db, ent, c->today);
    if (!entry)
        return 0;
    int64_t eid = json_integer_value(json_object_get(entry, "id"));
    json_decref(entry);
    bool opened = false;
    int rc = sup_store_proposal_open(c->db, eid, ent, reason, detail, source, source_id, &opened);
    if (rc)
        return -1;
    if (!opened)
        return 0;
    json_t *d = json_pack("{ss ss sI}", "reason", reason, "source", source, "source_id",
                          (json_int_t)source_id);
    rc = audit_append_id(c->db, c->actor, "supervision.positive.propose_removal", "sup_pl_entry",
                         eid, d);
    json_decref(d);
    return rc;
}

/* Every criterion with pass and evidence as of date, eligible when every
 * enabled one passes, and the entry listed then (or null). */
json_t *sup_positive_evaluate(struct db *db, int64_t ent, const char *date, bool *missing)
{
    *missing = !sup_enterprise_exists(db, ent);
    if (*missing)
        return NULL;
    json_t *criteria = sup_store_criteria(db);
    json_t *facts = sup_store_facts(db, ent);
    if (!criteria)
        return NULL;
    bool all = true;
    size_t i;
    json_t *cr;
    json_array_foreach(criteria, i, cr)
    {
        const char *code = json_string_value(json_object_get(cr, "code"));
        int64_t param = json_integer_value(json_object_get(cr, "param"));
        bool enabled = json_integer_value(json_object_get(cr, "enabled")) != 0;
        char since[11], evidence[160] = "";
        sup_date_add_days(date, -(int)(param * 365), since);
        bool pass = true;
        if (!strcmp(code, "no_penalty")) {
            int64_t n = sup_store_penalty_count(db, ent, since, date);
            pass = n == 0;
            snprintf(evidence, sizeof evidence, "近 %lld 年处罚 %lld 次", (long long)param,
                     (long long)n);
        } else if (!strcmp(code, "no_incident")) {
            int64_t n = sup_store_incident_count(db, ent, since, date);
            pass = n == 0;
            snprintf(evidence, sizeof evidence, "近 %lld 年突发环境事件 %lld 起", (long long)param,
                     (long long)n);
        } else if (!strcmp(code, "permit_reports")) {
            pass = facts && json_integer_value(json_object_get(facts, "permit_reports_ok"));
            snprintf(evidence, sizeof evidence, "%s", pass ? "已按时提交" : "未登记按时提交");
        } else if (!strcmp(code, "monitoring_online")) {
            const char *seen =
                facts ? json_string_value(json_object_get(facts, "monitoring_last_seen")) : NULL;
            bool networked =
                facts && json_integer_value(json_object_get(facts, "monitoring_networked"));
            int32_t gap = seen ? sup_day(date) - sup_day(seen) : INT32_MAX;
            pass = networked && seen && gap <= param;
            snprintf(evidence, sizeof evidence, "%s，最近在线 %s", networked ? "已联网" : "未联网",
                     seen ? seen : "无记录");
        } else if (!strcmp(code, "no_falsification")) {
            pass = !(facts && json_integer_value(json_object_get(facts, "falsification")));
            snprintf(evidence, sizeof evidence, "%s", pass ? "无弄虚作假记录" : "有弄虚作假记录");
        } else if (!strcmp(code, "no_serious_alarm")) {
            char from_ts[11];
            sup_date_add_days(date, -(int)(param * 365), from_ts);
            int64_t t0 = 0;
            timeutil_parse_date(from_ts, &t0);
            int64_t n = sup_store_serious_alarm_count(db, ent, t0);
            pass = n == 0;
            snprintf(evidence, sizeof evidence, "经核实严重报警 %lld 次", (long long)n);
        }
        json_object_set_new(cr, "pass", json_boolean(pass));
        json_object_set_new(cr, "evidence", json_string(evidence));
        if (enabled && !pass)
            all = false;
    }
    json_decref(facts);
    json_t *entry = sup_active_entry(db, ent, date);
    return json_pack("{sI ss sb so so}", "enterprise_id", (json_int_t)ent, "date", date, "eligible",
                     all, "criteria", criteria, "entry", entry ? entry : json_null());
}

enum err sup_criterion_update(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                              struct problem *p)
{
    const char *code;
    bool enabled;
    double param;
    if (field_text(in, "code", "条件", 32, FIELD_REQUIRED, &code, p) ||
        field_bool(in, "enabled", NULL, FIELD_OPTIONAL, true, &enabled, p) ||
        field_number(in, "param", "参数", 0, 3650, FIELD_REQUIRED, 0, &param, p))
        return p->err;
    json_t *known = sup_store_criterion(c->db, code);
    json_decref(known);
    if (!known)
        return problem_set(p, ERR_NOT_FOUND, "code", "未知的条件 %s", code);
    if (sup_begin(c, p))
        return p->err;
    if (sup_commit(c, sup_store_criterion_update(c->db, code, enabled, (int64_t)param),
                   "supervision.criterion.update", "sup_pl_criterion", 0, in, p))
        return p->err;
    *out = sup_store_criterion(c->db, code);
    return ERR_OK;
}

/* The per-entry checks run after a fact changes: every failing criterion of an
 * enterprise on the list gets a removal proposal. */
static int sup_check_entry(struct sup_ctx *c, int64_t ent)
{
    bool missing;
    json_t *ev = sup_positive_evaluate(c->db, ent, c->today, &missing);
    if (!ev)
        return missing ? 0 : -1;
    int rc = 0;
    if (json_is_object(json_object_get(ev, "entry"))) {
        size_t i;
        json_t *cr;
        json_array_foreach(json_object_get(ev, "criteria"), i, cr)
        {
            if (!json_integer_value(json_object_get(cr, "enabled")) ||
                json_is_true(json_object_get(cr, "pass")))
                continue;
            char source[64];
            snprintf(source, sizeof source, "criterion:%s",
                     json_string_value(json_object_get(cr, "code")));
            rc = rc ||
                 sup_propose_removal(c, ent, json_string_value(json_object_get(cr, "name")),
                                     json_string_value(json_object_get(cr, "evidence")), source, 0);
        }
    }
    json_decref(ev);
    return rc;
}

enum err sup_facts_update(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                          struct problem *p)
{
    int64_t ent;
    bool permit, networked, falsification;
    char seen[11] = "";
    if (field_id(in, "enterprise_id", "企业", FIELD_REQUIRED, &ent, p) ||
        field_bool(in, "permit_reports_ok", NULL, FIELD_OPTIONAL, false, &permit, p) ||
        field_bool(in, "monitoring_networked", NULL, FIELD_OPTIONAL, false, &networked, p) ||
        field_bool(in, "falsification", NULL, FIELD_OPTIONAL, false, &falsification, p))
        return p->err;
    if (field_date(in, "monitoring_last_seen", "最近在线日期", FIELD_PAST, seen, p))
        return p->err;
    if (!sup_enterprise_exists(c->db, ent))
        return problem_set(p, ERR_NOT_FOUND, "enterprise_id", "未找到该企业");
    if (sup_begin(c, p))
        return p->err;
    if (sup_store_facts_set(c->db, ent, permit, networked, *seen ? seen : NULL, falsification) ||
        audit_append_id(c->db, c->actor, "supervision.facts.update", "enterprise", ent, in) ||
        sup_check_entry(c, ent) || db_commit(c->db))
        return sup_internal(c, p);
    *out = sup_store_facts(c->db, ent);
    return ERR_OK;
}

enum err sup_positive_include(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                              struct problem *p)
{
    int64_t ent;
    const char *decision;
    char from[11], until[11];
    if (field_id(in, "enterprise_id", "企业", FIELD_REQUIRED, &ent, p) ||
        field_text(in, "decision_no", "决定文号", 64, FIELD_REQUIRED, &decision, p) ||
        sup_field_date_or(in, "valid_from", "生效日期", FIELD_OPTIONAL, c->today, from, p))
        return p->err;
    if (sup_check_backdated(c, "positive", from, p))
        return p->err;
    bool missing;
    json_t *ev = sup_positive_evaluate(c->db, ent, from, &missing);
    if (!ev)
        return missing ? problem_set(p, ERR_NOT_FOUND, "enterprise_id", "未找到该企业")
                       : problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    if (json_is_object(json_object_get(ev, "entry"))) {
        json_decref(ev);
        return problem_set(p, ERR_CONFLICT, "enterprise_id", "该企业已在正面清单内");
    }
    if (!json_is_true(json_object_get(ev, "eligible"))) {
        char failed[200] = "";
        size_t i;
        json_t *cr;
        json_array_foreach(json_object_get(ev, "criteria"), i,
                           cr) if (json_integer_value(json_object_get(cr, "enabled")) &&
                                   !json_is_true(json_object_get(cr, "pass")))
            snprintf(failed + strlen(failed), sizeof failed - strlen(failed), "%s%s",
                     *failed ? "；" : "", json_string_value(json_object_get(cr, "name")));
        json_decref(ev);
        return problem_set(p, ERR_CRITERIA_NOT_MET, "enterprise_id", "不符合纳入条件：%s", failed);
    }
    int32_t u = credit_add_months(sup_day(from),
                                  12 * (int)sup_setting(c->db, "positive_validity_years", 3));
    calendar_format_date(u, until);
    char *evtext = json_dumps(json_object_get(ev, "criteria"), JSON_COMPACT);
    json_decref(ev);
    if (sup_begin(c, p)) {
        free(evtext);
        return p->err;
    }
    int64_t eid = 0;
    int rc = sup_store_entry_insert(c->db, ent, decision, from, until, evtext, &eid);
    free(evtext);
    if (sup_commit(c, rc, "supervision.positive.include", "sup_pl_entry", eid, in, p))
        return p->err;
    *out = sup_store_record(c->db, SUP_PL_ENTRY, eid);
    return ERR_OK;
}

enum err sup_proposal_decide(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                             struct problem *p)
{
    bool accept;
    const char *note;
    if (field_bool(in, "accept", "是否移出（accept）", FIELD_REQUIRED, false, &accept, p) ||
        field_text(in, "note", "说明", 500, FIELD_REQUIRED | FIELD_MULTILINE, &note, p))
        return p->err;
    json_t *pr = sup_store_record(c->db, SUP_PROPOSAL, id);
    if (!pr)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该移出建议");
    bool open = !strcmp(json_string_value(json_object_get(pr, "status")), "open");
    int64_t eid = json_integer_value(json_object_get(pr, "entry_id"));
    char reason[300];
    snprintf(reason, sizeof reason, "%s：%s", json_string_value(json_object_get(pr, "reason")),
             note);
    json_decref(pr);
    if (!open)
        return problem_set(p, ERR_INVALID_STATE, NULL, "该建议已处理");
    if (accept && sup_check_backdated(c, "positive", c->today, p))
        return p->err;
    if (sup_begin(c, p))
        return p->err;
    int rc = sup_store_proposal_decide(c->db, id, accept, note);
    /* Accepted: the entry is removed today, and its other open proposals are
     * settled with it. */
    if (accept)
        rc = rc || sup_store_entry_remove(c->db, eid, c->today, reason);
    if (sup_commit(c, rc, accept ? "supervision.positive.remove" : "supervision.proposal.reject",
                   "sup_pl_entry", eid, in, p))
        return p->err;
    *out = sup_store_record(c->db, SUP_PROPOSAL, id);
    return ERR_OK;
}

enum err sup_positive_scan(struct sup_ctx *c, int64_t id, json_t *in, json_t **out,
                           struct problem *p)
{
    json_t *ents = sup_store_listed_enterprises(c->db, c->today);
    if (!ents || db_begin(c->db)) {
        json_decref(ents);
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    int64_t before = sup_store_proposal_count(c->db);
    size_t i;
    json_t *e;
    int rc = 0;
    json_array_foreach(ents, i, e) rc =
        rc || sup_check_entry(c, json_integer_value(json_object_get(e, "enterprise_id")));
    int64_t after = sup_store_proposal_count(c->db);
    json_decref(ents);
    if (rc || db_commit(c->db))
        return sup_internal(c, p);
    *out =
        json_pack("{sI sI}", "checked", (json_int_t)i, "proposals", (json_int_t)(after - before));
    return ERR_OK;
}
