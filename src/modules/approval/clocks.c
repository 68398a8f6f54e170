/* approval clocks — the two clocks of every case (statutory and promised,
 * domain/eiaclock.h), the 告知承诺 after-the-fact check's due day, the
 * deemed-acceptance and deemed-approval days, and the reminders: all
 * computed on read for `today` from the stored dates (nothing to schedule,
 * nothing to drift), so a case looked at as of any day shows what was due
 * then. */
#include "modules/approval/procedure.h"
#include "domain/eiaclock.h"

#include <stdio.h>
#include <string.h>

#define APPROVAL_MAX_PAUSES 64

/* The case's pauses as clock intervals (listed into out when not NULL). */
static size_t approval_pauses(struct db *db, int64_t app, struct eiaclock_pause *p, json_t *out)
{
    json_t *rows = approval_store_pauses(db, app);
    size_t n = 0, i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *s = json_string_value(json_object_get(row, "start"));
        const char *e = json_string_value(json_object_get(row, "end"));
        if (out)
            json_array_append(out, row);
        if (n < APPROVAL_MAX_PAUSES && s && !calendar_parse_date(s, &p[n].start)) {
            p[n].end = EIACLOCK_OPEN;
            if (e && calendar_parse_date(e, &p[n].end))
                continue;
            n++;
        }
    }
    json_decref(rows);
    return n;
}

static json_t *approval_clock_json(const struct eiaclock_state *s, int limit, const char *unit)
{
    char deadline[11];
    calendar_format_date(s->deadline, deadline);
    return json_pack("{si ss ss si si si sb ss sb}", "limit", limit, "unit", unit, "deadline",
                     deadline, "used", s->used, "remaining", s->remaining, "paused_days",
                     s->paused_days, "paused", s->paused, "status", eiaclock_status_name(s->status),
                     "provisional", s->provisional);
}

json_t *approval_clocks(struct db *db, const struct calendar *cal, json_t *cfg,
                        const struct approval_row *a, int32_t today, json_t *pauses_out)
{
    struct eiaclock_pause p[APPROVAL_MAX_PAUSES];
    size_t n = approval_pauses(db, a->id, p, pauses_out);
    int32_t start, stop = EIACLOCK_OPEN;
    if (!*a->accepted_on || calendar_parse_date(a->accepted_on, &start))
        return json_null();
    if (*a->decided_on && calendar_parse_date(a->decided_on, &stop))
        stop = EIACLOCK_OPEN;
    int warn = approval_cfg_int(cfg, "warn_workdays", NULL, NULL, 2);
    int stat = approval_cfg_int(cfg, "limits", a->category, "statutory", 60);
    const char *unit_name = json_string_value(json_object_get(
        json_object_get(json_object_get(cfg, "limits"), a->category), "statutory_unit"));
    enum eiaclock_unit su =
        unit_name && !strcmp(unit_name, "workdays") ? EIACLOCK_WORKDAYS : EIACLOCK_DAYS;
    int prom = approval_promised_limit(cfg, a);
    struct eiaclock_state s1, s2;
    if (stat < 1 || prom < 1 ||
        eiaclock_compute(cal, start, stat, su, p, n, today, stop, warn, &s1) ||
        eiaclock_compute(cal, start, prom, EIACLOCK_WORKDAYS, p, n, today, stop, warn, &s2))
        return json_null();
    return json_pack("{so so}", "statutory",
                     approval_clock_json(&s1, stat, su == EIACLOCK_DAYS ? "days" : "workdays"),
                     "promised", approval_clock_json(&s2, prom, "workdays"));
}

/* 告知承诺 after-the-fact check (事后核查): an approval issued on the applicant's
 * commitment is checked within `postcheck_workdays` working days of the
 * decision (configuration). The stored part is data.postcheck (result,
 * findings, checked_on, outcome, rectify_due, rectification); the due day and
 * the state are computed on read for `today`, like the other timers, so a
 * case looked at as of any day shows what was due then. NULL when the case
 * is not a decided commitment approval. */
json_t *approval_postcheck_json(const struct calendar *cal, json_t *cfg,
                                const struct approval_row *a, int32_t today)
{
    json_t *pc = json_object_get(a->data, "postcheck");
    const char *decision =
        json_string_value(json_object_get(json_object_get(a->data, "decision"), "decision"));
    int32_t decided;
    if (strcmp(a->route, "commitment") || !*a->decided_on || !decision ||
        strcmp(decision, "approve") || calendar_parse_date(a->decided_on, &decided))
        return NULL;
    int n = approval_cfg_int(cfg, "postcheck_workdays", NULL, NULL, 20);
    int warn = approval_cfg_int(cfg, "warn_workdays", NULL, NULL, 2);
    int32_t due = eiaclock_add_workdays(cal, decided, n);
    char due_s[11];
    calendar_format_date(due, due_s);
    const char *result = json_string_value(json_object_get(pc, "result"));
    const char *outcome = json_string_value(json_object_get(pc, "outcome"));
    const char *rect =
        json_string_value(json_object_get(json_object_get(pc, "rectification"), "result"));
    const char *state, *level = "done";
    int left = 0;
    if (!strcmp(a->status, "revoked")) {
        state = "revoked";
    } else if (!result) {
        left = due >= today ? calendar_workdays_between(cal, today, due, NULL) : (int)(due - today);
        state = due < today ? "overdue" : "pending";
        level = due < today ? "overdue" : left <= warn ? "warning" : "info";
    } else if (!strcmp(result, "conform")) {
        state = "conform";
    } else if (outcome && !strcmp(outcome, "rectify") && !rect) {
        int32_t rd;
        const char *rds = json_string_value(json_object_get(pc, "rectify_due"));
        if (rds && !calendar_parse_date(rds, &rd)) {
            left =
                rd >= today ? calendar_workdays_between(cal, today, rd, NULL) : (int)(rd - today);
            level = rd < today ? "overdue" : left <= warn ? "warning" : "info";
        }
        state = !strcmp(level, "overdue") ? "rectify_overdue" : "rectifying";
    } else if (rect && !strcmp(rect, "conform")) {
        state = "rectified";
    } else {
        state = "revoked";
    }
    json_t *o = pc ? json_deep_copy(pc) : json_object();
    json_object_set_new(o, "workdays", json_integer(n));
    json_object_set_new(o, "due", json_string(due_s));
    json_object_set_new(o, "state", json_string(state));
    json_object_set_new(o, "level", json_string(level));
    json_object_set_new(o, "left", json_integer(left));
    const char *checked = json_string_value(json_object_get(pc, "checked_on"));
    json_object_set_new(
        o, "late", json_boolean(checked ? strcmp(checked, due_s) > 0 : !strcmp(state, "overdue")));
    return o;
}

/* One reminder: what is due, when, and how close (working days left, or the
 * calendar days overdue as a negative number). */
static void approval_remind(json_t *out, const struct calendar *cal, int warn, int32_t today,
                            const char *kind, const char *due, const char *text)
{
    int32_t d;
    if (!due || calendar_parse_date(due, &d))
        return;
    int left = d >= today ? calendar_workdays_between(cal, today, d, NULL) : (int)(d - today);
    const char *level = d < today ? "overdue" : left <= warn ? "warning" : "info";
    json_array_append_new(out, json_pack("{ss ss si ss ss}", "kind", kind, "due", due, "left", left,
                                         "level", level, "text", text));
}

/* The reminders of a case for `today`, computed from its deadlines on read
 * (nothing to schedule, nothing to drift): the 容缺 supplement deadline, the
 * one-time correction window, the promised clock near or past its end, and
 * an unanswered re-review (with its deemed-approval day). */
static json_t *approval_reminders_of(const struct calendar *cal, json_t *cfg, json_t *o,
                                     int32_t today)
{
    json_t *out = json_array();
    int warn = approval_cfg_int(cfg, "warn_workdays", NULL, NULL, 2);
    const char *status = json_string_value(json_object_get(o, "status"));
    json_t *data = json_object_get(o, "data");
    char text[300];
    if (!strcmp(status, "accepted") && json_array_size(json_object_get(data, "missing"))) {
        snprintf(
            text, sizeof text, "容缺材料须于 %s 前补齐，逾期终止审批并记入信用记录",
            json_string_value(json_object_get(json_object_get(data, "rongque"), "supplement_due")));
        approval_remind(
            out, cal, warn, today, "rongque",
            json_string_value(json_object_get(json_object_get(data, "rongque"), "supplement_due")),
            text);
    }
    if (!strcmp(status, "submitted")) {
        snprintf(text, sizeof text, "须于 %s 前一次性告知补正，逾期依法视为受理",
                 json_string_value(json_object_get(o, "correction_due")));
        approval_remind(out, cal, warn, today, "correction",
                        json_string_value(json_object_get(o, "correction_due")), text);
    }
    json_t *prom = json_object_get(json_object_get(o, "clocks"), "promised");
    const char *ps = json_string_value(json_object_get(prom, "status"));
    if (!strcmp(status, "accepted") && ps && (!strcmp(ps, "warning") || !strcmp(ps, "overdue"))) {
        snprintf(text, sizeof text, "承诺办结时限 %s 届满",
                 json_string_value(json_object_get(prom, "deadline")));
        approval_remind(out, cal, warn, today, "promised",
                        json_string_value(json_object_get(prom, "deadline")), text);
    }
    json_t *pc = json_object_get(o, "postcheck");
    const char *pcs = json_string_value(json_object_get(pc, "state"));
    if (pcs && (!strcmp(pcs, "pending") || !strcmp(pcs, "overdue"))) {
        snprintf(text, sizeof text, "告知承诺审批须于 %s 前完成事后核查",
                 json_string_value(json_object_get(pc, "due")));
        approval_remind(out, cal, warn, today, "postcheck",
                        json_string_value(json_object_get(pc, "due")), text);
    }
    if (pcs && (!strcmp(pcs, "rectifying") || !strcmp(pcs, "rectify_overdue"))) {
        snprintf(text, sizeof text, "事后核查整改期限 %s 届满，须复查整改情况",
                 json_string_value(json_object_get(pc, "rectify_due")));
        approval_remind(out, cal, warn, today, "rectify",
                        json_string_value(json_object_get(pc, "rectify_due")), text);
    }
    json_t *rr = json_object_get(data, "rereview");
    if (rr && !json_object_get(rr, "result")) {
        snprintf(text, sizeof text, "重新审核须于 %s 前书面答复，逾期视为审核同意",
                 json_string_value(json_object_get(rr, "due")));
        approval_remind(out, cal, warn, today, "rereview",
                        json_string_value(json_object_get(rr, "due")), text);
    }
    return out;
}

json_t *approval_json(struct db *db, const struct calendar *cal, json_t *cfg,
                      const struct approval_row *a, int32_t today, bool full)
{
    json_t *pauses = json_array();
    json_t *clocks = approval_clocks(db, cal, cfg, a, today, pauses);
    json_t *o = json_pack("{sI ss sI ss ss sb ss ss so so so sO so}", "id", (json_int_t)a->id,
                          "number", a->number, "enterprise_id", (json_int_t)a->enterprise_id,
                          "category", a->category, "route", a->route, "green", a->green, "status",
                          a->status, "submitted_on", a->submitted_on, "accepted_on",
                          *a->accepted_on ? json_string(a->accepted_on) : json_null(), "decided_on",
                          *a->decided_on ? json_string(a->decided_on) : json_null(), "clocks",
                          clocks, "data", a->data, "pauses", pauses);
    if (a->siting_check_id)
        json_object_set_new(o, "siting_check_id", json_integer(a->siting_check_id));
    json_t *en = approval_store_enterprise_name(db, a->enterprise_id);
    if (en)
        json_object_set_new(o, "enterprise_name", en);
    if (!strcmp(a->status, "submitted")) {
        /* 行政许可法 Art. 32: silence past this day counts as acceptance. */
        int32_t sub;
        if (!calendar_parse_date(a->submitted_on, &sub)) {
            int32_t due = eiaclock_add_workdays(
                cal, sub, approval_cfg_int(cfg, "correction_workdays", NULL, NULL, 5));
            char d[11];
            calendar_format_date(due, d);
            json_object_set_new(o, "correction_due", json_string(d));
            json_object_set_new(o, "deemed_accepted", json_boolean(today > due));
        }
    }
    json_t *rr = json_object_get(a->data, "rereview");
    if (rr) {
        /* the deemed-approval timer: unanswered past the due day = agreed */
        const char *due = json_string_value(json_object_get(rr, "due"));
        const char *res = json_string_value(json_object_get(rr, "result"));
        char t[11];
        calendar_format_date(today, t);
        json_object_set_new(o, "rereview_state",
                            json_string(res                         ? res
                                        : due && strcmp(t, due) > 0 ? "deemed"
                                                                    : "pending"));
    }
    json_t *pc = approval_postcheck_json(cal, cfg, a, today);
    if (pc)
        json_object_set_new(o, "postcheck", pc);
    json_object_set_new(o, "reminders", approval_reminders_of(cal, cfg, o, today));
    if (full) {
        json_t *events = approval_store_events(db, a->id);
        json_object_set_new(o, "events", events ? events : json_array());
        json_object_set_new(o, "material_files", approval_material_list(db, cfg, a));
        json_object_set_new(
            o, "materials_config",
            json_incref(json_object_get(json_object_get(cfg, "materials"), a->category)));
    }
    return o;
}
