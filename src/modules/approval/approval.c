/* api_approval — EIA applications: intake (with the 登记表 online filing),
 * 初审预办 with the automatic siting check, the one-time correction notice,
 * acceptance (容缺 with a commitment and a supplement deadline), pauses,
 * public notices, decisions, 告知承诺 revocation; the two clocks of every case
 * (domain/eiaclock.h); public progress by number, notices and their feeds.
 *
 * Every procedural act carries the date it happened ("on", default today in
 * Beijing) so the record follows the paper file; clocks are shown for
 * `today` (query parameter, default today). Limits, routes, checklists and
 * notice durations are configuration (eia_config), never constants. */
#include "app/app.h"
#include "app/kit.h"
#include "modules/approval/approval.h"
#include "modules/supervision/supervision.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "domain/eiaclock.h"
#include "domain/industry.h"
#include "db/audit.h"
#include "db/db.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STAFF_UP (ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_LEADER))
#define APPROVAL_MAX_PAUSES 64

static json_t *approval_config(struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT doc FROM eia_config WHERE id = 1");
    json_t *doc = NULL;
    if (st && sqlite3_step(st) == SQLITE_ROW)
        doc = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
    if (st)
        sqlite3_reset(st);
    return doc;
}

static int approval_cfg_int(json_t *cfg, const char *a, const char *b, const char *c, int def)
{
    json_t *v = json_object_get(cfg, a);
    if (b)
        v = json_object_get(v, b);
    if (c)
        v = json_object_get(v, c);
    return json_is_integer(v) ? (int)json_integer_value(v) : def;
}

static void approval_today(char out[11])
{
    timeutil_format_date(timeutil_now(), out, 11);
}

/* The "on"/"today" date: value given or today; 0 or -1 when malformed. */
static int approval_date(const char *s, char out[11], int32_t *day)
{
    if (!s || !*s)
        approval_today(out);
    else if (strlen(s) != 10)
        return -1;
    else
        memcpy(out, s, 11);
    return calendar_parse_date(out, day);
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
    sqlite3_stmt *st = db_stmt(db, "SELECT id FROM sup_preparers WHERE name = ?1 OR code = ?1 "
                                   "ORDER BY code = ?1 DESC LIMIT 1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (!id)
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
    sqlite3_stmt *st = db_stmt(db, "SELECT list, reason FROM eia_preparer_list WHERE name = ? "
                                   "AND start <= ? AND end >= ? ORDER BY list = '黑名单' DESC "
                                   "LIMIT 1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, day, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, day, -1, SQLITE_TRANSIENT);
    int found = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        found = 1;
        snprintf(list, listlen, "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(reason, reasonlen, "%s", (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_reset(st);
    return found;
}

/* ---- records ---- */

struct approval_row {
    int64_t id, enterprise_id, siting_check_id, version;
    char number[32], category[16], route[16], status[16];
    char submitted_on[11], accepted_on[11], decided_on[11];
    int green;
    json_t *data;
};

static int approval_load(struct db *db, int64_t id, struct approval_row *a)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT id, number, enterprise_id, category, route, green, status, submitted_on, "
            "coalesce(accepted_on, ''), coalesce(decided_on, ''), coalesce(siting_check_id, 0), "
            "data, version FROM eia_applications WHERE id = ?");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = 1;
    memset(a, 0, sizeof *a);
    if (sqlite3_step(st) == SQLITE_ROW) {
        a->id = sqlite3_column_int64(st, 0);
        snprintf(a->number, sizeof a->number, "%s", (const char *)sqlite3_column_text(st, 1));
        a->enterprise_id = sqlite3_column_int64(st, 2);
        snprintf(a->category, sizeof a->category, "%s", (const char *)sqlite3_column_text(st, 3));
        snprintf(a->route, sizeof a->route, "%s", (const char *)sqlite3_column_text(st, 4));
        a->green = sqlite3_column_int(st, 5);
        snprintf(a->status, sizeof a->status, "%s", (const char *)sqlite3_column_text(st, 6));
        snprintf(a->submitted_on, 11, "%s", (const char *)sqlite3_column_text(st, 7));
        snprintf(a->accepted_on, 11, "%s", (const char *)sqlite3_column_text(st, 8));
        snprintf(a->decided_on, 11, "%s", (const char *)sqlite3_column_text(st, 9));
        a->siting_check_id = sqlite3_column_int64(st, 10);
        a->data = json_loads((const char *)sqlite3_column_text(st, 11), 0, NULL);
        a->version = sqlite3_column_int64(st, 12);
        rc = a->data ? 0 : -1;
    }
    sqlite3_reset(st);
    return rc;
}

static int approval_store(struct db *db, struct approval_row *a)
{
    char *text = json_dumps(a->data, JSON_COMPACT | JSON_REAL_PRECISION(12));
    sqlite3_stmt *st = db_stmt(
        db, "UPDATE eia_applications SET status = ?, green = ?, accepted_on = nullif(?, ''), "
            "decided_on = nullif(?, ''), data = ?, updated_at = ?, version = version + 1 "
            "WHERE id = ?");
    int rc = -1;
    if (st) {
        sqlite3_bind_text(st, 1, a->status, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 2, a->green);
        sqlite3_bind_text(st, 3, a->accepted_on, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, a->decided_on, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, text, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 6, timeutil_now());
        sqlite3_bind_int64(st, 7, a->id);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
        sqlite3_reset(st);
    }
    free(text);
    return rc;
}

static int approval_event(struct db *db, const struct audit_actor *actor, int64_t app,
                          const char *kind, const char *day, json_t *detail)
{
    char *text = json_dumps(detail ? detail : json_object(), JSON_COMPACT);
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO eia_events (app_id, kind, day, actor, detail, at) "
                                   "VALUES (?, ?, ?, ?, ?, ?)");
    int rc = -1;
    if (st) {
        sqlite3_bind_int64(st, 1, app);
        sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, day, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, actor->name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, text, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 6, timeutil_now());
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
        sqlite3_reset(st);
    }
    free(text);
    char id[24], action[64];
    snprintf(id, sizeof id, "%lld", (long long)app);
    snprintf(action, sizeof action, "approval.%s", kind);
    json_t *d = json_pack("{ss sO}", "on", day, "detail", detail ? detail : json_null());
    if (!rc)
        rc = audit_append(db, actor, action, "eia_application", id, d);
    json_decref(d);
    return rc;
}

static int approval_notice(struct db *db, int64_t app, const char *kind, const char *title,
                           const char *body, const char *start, const char *end)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO eia_notices (app_id, kind, title, body, start, "
                                   "end, published_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, app);
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, title, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, body, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, start, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, end, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 7, timeutil_now());
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    return rc;
}

static int approval_credit(struct db *db, int64_t enterprise, int64_t app, const char *day,
                           const char *reason)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO eia_credit_records (enterprise_id, app_id, day, "
                                   "reason, created_at) VALUES (?, ?, ?, ?, ?)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, enterprise);
    sqlite3_bind_int64(st, 2, app);
    sqlite3_bind_text(st, 3, day, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, reason, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 5, timeutil_now());
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    return rc;
}

/* ---- clocks ---- */

static size_t approval_pauses(struct db *db, int64_t app, struct eiaclock_pause *p, json_t *out)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT kind, start, coalesce(end, '') FROM eia_pauses "
                                   "WHERE app_id = ? ORDER BY id");
    size_t n = 0;
    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, app);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *s = (const char *)sqlite3_column_text(st, 1);
        const char *e = (const char *)sqlite3_column_text(st, 2);
        if (out)
            json_array_append_new(out, json_pack("{ss ss so}", "kind",
                                                 (const char *)sqlite3_column_text(st, 0), "start",
                                                 s, "end", *e ? json_string(e) : json_null()));
        if (n < APPROVAL_MAX_PAUSES && !calendar_parse_date(s, &p[n].start)) {
            p[n].end = EIACLOCK_OPEN;
            if (*e && calendar_parse_date(e, &p[n].end))
                continue;
            n++;
        }
    }
    sqlite3_reset(st);
    return n;
}

static int approval_promised_limit(json_t *cfg, const struct approval_row *a)
{
    const char *key = a->green                          ? "green_promised"
                      : !strcmp(a->route, "commitment") ? "commitment_promised"
                                                        : "promised";
    return approval_cfg_int(cfg, "limits", a->category, key, 20);
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

static json_t *approval_clocks(struct db *db, const struct calendar *cal, json_t *cfg,
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
static json_t *approval_postcheck_json(const struct calendar *cal, json_t *cfg,
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
static json_t *approval_reminders(const struct calendar *cal, json_t *cfg, json_t *o, int32_t today)
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

static json_t *approval_json(struct db *db, const struct calendar *cal, json_t *cfg,
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
    sqlite3_stmt *en = db_stmt(db, "SELECT name FROM enterprises WHERE id = ?");
    if (en) {
        sqlite3_bind_int64(en, 1, a->enterprise_id);
        if (sqlite3_step(en) == SQLITE_ROW)
            json_object_set_new(o, "enterprise_name",
                                json_string((const char *)sqlite3_column_text(en, 0)));
        sqlite3_reset(en);
    }
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
    json_object_set_new(o, "reminders", approval_reminders(cal, cfg, o, today));
    if (full) {
        sqlite3_stmt *st = db_stmt(db, "SELECT kind, day, actor, detail FROM eia_events "
                                       "WHERE app_id = ? ORDER BY id");
        json_t *events = json_array();
        if (st) {
            sqlite3_bind_int64(st, 1, a->id);
            while (sqlite3_step(st) == SQLITE_ROW)
                json_array_append_new(
                    events,
                    json_pack("{ss ss ss so}", "kind", (const char *)sqlite3_column_text(st, 0),
                              "day", (const char *)sqlite3_column_text(st, 1), "actor",
                              (const char *)sqlite3_column_text(st, 2), "detail",
                              json_loads((const char *)sqlite3_column_text(st, 3), 0, NULL)));
            sqlite3_reset(st);
        }
        json_object_set_new(o, "events", events);
        json_object_set_new(
            o, "materials_config",
            json_incref(json_object_get(json_object_get(cfg, "materials"), a->category)));
    }
    return o;
}

/* ---- intake ---- */

/* The route under the positive lists: exempt, commitment (if requested and
 * listed), or standard; 登记表 is always a filing unless exempt. */
static const char *approval_route(json_t *cfg, const char *category, const char *industry,
                                  bool want_commitment)
{
    size_t i, j;
    json_t *rule, *code;
    json_array_foreach(json_object_get(cfg, "routes"), i, rule)
    {
        const char *route = json_string_value(json_object_get(rule, "route"));
        bool cat_ok = false;
        json_array_foreach(json_object_get(rule, "categories"), j, code) cat_ok |=
            json_is_string(code) && !strcmp(json_string_value(code), category);
        if (!route || !cat_ok)
            continue;
        json_array_foreach(json_object_get(rule, "industries"), j, code)
        {
            const char *c = json_string_value(code);
            size_t cl = c ? strlen(c) : 0;
            if (!c || !cl)
                continue;
            /* rule codes are letter + digits prefixes of the normalised code */
            if (!strncmp(industry, c, cl) ||
                (c[0] >= '0' && c[0] <= '9' && !strncmp(industry + 1, c, cl))) {
                if (!strcmp(route, "exempt"))
                    return "exempt";
                if (!strcmp(route, "commitment") && want_commitment)
                    return "commitment";
            }
        }
    }
    return !strcmp(category, "登记表") ? "filing" : "standard";
}

static int approval_text(json_t *in, const char *key, size_t max, bool required, const char **out,
                         struct problem *p, const char *label)
{
    json_t *v = json_object_get(in, key);
    const char *s = json_string_value(v);
    if ((v && !json_is_null(v) && !s) || (s && text_check_field(s, max, false)) ||
        (required && (!s || !*s))) {
        problem_set(p, ERR_INVALID_FIELD, key, "%s无效或为空", label);
        return -1;
    }
    *out = s ? s : "";
    return 0;
}

/* Checks the materials list against the category's checklist: unknown keys
 * refused; the missing waivable items returned in *missing, the missing core
 * items in *missing_core (new arrays). */
static int approval_materials(json_t *cfg, const char *category, json_t *given, json_t **missing,
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

static enum err approval_create(const struct approval_who *who, json_t *in, json_t *cfg,
                                int64_t *id, struct problem *p)
{
    json_t *project = json_object_get(in, "project");
    const char *name, *category, *nature, *preparer_unit, *preparer_person, *industry_in;
    if (!json_is_object(project))
        return problem_set(p, ERR_INVALID_FIELD, "project", "缺少项目信息");
    if (approval_text(project, "name", 200, true, &name, p, "项目名称") ||
        approval_text(project, "nature", 16, false, &nature, p, "建设性质") ||
        approval_text(project, "industry_code", 16, true, &industry_in, p, "行业代码") ||
        approval_text(in, "category", 16, true, &category, p, "环评类别") ||
        approval_text(in, "preparer_unit", 200, false, &preparer_unit, p, "编制单位") ||
        approval_text(in, "preparer_person", 64, false, &preparer_person, p, "编制人员"))
        return p->err;
    if (strcmp(category, "报告书") && strcmp(category, "报告表") && strcmp(category, "登记表"))
        return problem_set(p, ERR_INVALID_FIELD, "category", "环评类别须为 报告书/报告表/登记表");
    if (*nature && strcmp(nature, "新建") && strcmp(nature, "扩建") && strcmp(nature, "迁建") &&
        strcmp(nature, "技改"))
        return problem_set(p, ERR_INVALID_FIELD, "nature", "建设性质须为 新建/扩建/迁建/技改");
    char industry[6];
    if (industry_normalize(industry_in, industry, NULL))
        return problem_set(p, ERR_INVALID_FIELD, "industry_code", "行业代码无效（GB/T 4754）");
    json_t *inv = json_object_get(project, "investment");
    if (inv &&
        (!json_is_number(inv) || json_number_value(inv) < 0 || json_number_value(inv) > 1e12))
        return problem_set(p, ERR_INVALID_FIELD, "investment", "投资额须为非负数（万元）");
    struct db *db = who->db;
    int64_t ent = who->enterprise
                      ? who->enterprise_id
                      : (int64_t)json_integer_value(json_object_get(in, "enterprise_id"));
    sqlite3_stmt *known = db_stmt(db, "SELECT count(*) FROM enterprises WHERE id = ?");
    int exists = 0;
    if (known) {
        sqlite3_bind_int64(known, 1, ent);
        exists = sqlite3_step(known) == SQLITE_ROW && sqlite3_column_int(known, 0) > 0;
        sqlite3_reset(known);
    }
    if (ent <= 0 || !exists)
        return problem_set(p, ERR_INVALID_FIELD, "enterprise_id", "建设单位不存在");
    char on[11];
    int32_t day;
    if (approval_date(json_string_value(json_object_get(in, "on")), on, &day))
        return problem_set(p, ERR_INVALID_FIELD, "on", "日期须为 YYYY-MM-DD");
    bool filing = !strcmp(category, "登记表");
    const char *route =
        approval_route(cfg, category, industry, json_is_true(json_object_get(in, "commitment")));
    json_t *missing, *missing_core;
    if (approval_materials(cfg, category, json_object_get(in, "materials"), &missing, &missing_core,
                           p))
        return p->err;
    if (filing && json_array_size(missing_core)) {
        json_decref(missing);
        json_decref(missing_core);
        return problem_set(p, ERR_INVALID_FIELD, "materials",
                           "登记表备案须由法定代表人签署真实性承诺");
    }
    struct audit_actor actor = who->actor;
    json_t *data = json_pack(
        "{s{ss ss ss sf} ss ss sO so so}", "project", "name", name, "nature", nature,
        "industry_code", industry, "investment", inv ? json_number_value(inv) : 0.0,
        "preparer_unit", preparer_unit, "preparer_person", preparer_person, "materials",
        json_object_get(in, "materials") ? json_object_get(in, "materials") : json_array(),
        "missing", missing, "missing_core", missing_core);
    json_t *loc = json_object_get(project, "location");
    if (db_begin(db)) {
        json_decref(data);
        return problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    }
    int64_t check_id = 0;
    enum err e = ERR_OK;
    if (loc && !json_is_null(loc) && strcmp(route, "exempt")) {
        /* 初审预办: the siting check runs at intake. */
        json_t *res = NULL;
        e = siting_run(db, &actor, loc, json_string_value(json_object_get(project, "crs")),
                       industry, ent, &check_id, &res, p->message, sizeof p->message);
        if (!e) {
            json_object_set(json_object_get(data, "project"), "location",
                            json_object_get(res, "location"));
            json_object_set_new(data, "siting_verdict",
                                json_incref(json_object_get(res, "verdict")));
        }
        json_decref(res);
        if (e) {
            p->err = e, p->field = "location";
            goto fail;
        }
    }
    const char *status = !strcmp(route, "exempt") ? "exempt" : filing ? "filed" : "submitted";
    sqlite3_stmt *st =
        db_stmt(db, "INSERT INTO eia_applications (number, enterprise_id, project_name, category, "
                    "route, status, submitted_on, accepted_on, decided_on, siting_check_id, data, "
                    "created_at, updated_at) VALUES ('', ?, ?, ?, ?, ?, ?, nullif(?, ''), "
                    "nullif(?, ''), nullif(?, 0), ?, ?, ?)");
    char *text = json_dumps(data, JSON_COMPACT | JSON_REAL_PRECISION(12));
    int rc = -1;
    if (st) {
        sqlite3_bind_int64(st, 1, ent);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, category, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, route, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, status, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, on, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 7, filing ? on : "", -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 8, filing ? on : "", -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 9, check_id);
        sqlite3_bind_text(st, 10, text, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 11, timeutil_now());
        sqlite3_bind_int64(st, 12, timeutil_now());
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        rc = (rc & 0xff) == SQLITE_CONSTRAINT ? 1 : rc == SQLITE_DONE ? 0 : -1;
    }
    free(text);
    if (rc == 1) {
        e = problem_set(p, ERR_INVALID_FIELD, "enterprise_id", "建设单位不存在");
        goto fail;
    }
    if (rc)
        goto internal;
    *id = sqlite3_last_insert_rowid(db_handle(db));
    char number[32], ymd[9] = {on[0], on[1], on[2], on[3], on[5], on[6], on[8], on[9], 0};
    snprintf(number, sizeof number, "HP%s%05lld", ymd, (long long)*id);
    st = db_stmt(db, "UPDATE eia_applications SET number = ? WHERE id = ?");
    if (!st)
        goto internal;
    sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, *id);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    json_t *detail =
        json_pack("{ss ss ss}", "number", number, "route", route, "category", category);
    if (filing) {
        /* 部令第41号: the filing number and the receipt are issued at once. */
        char fno[40];
        snprintf(fno, sizeof fno, "%s%05lld", ymd, (long long)*id);
        json_object_set_new(detail, "filing_no", json_string(fno));
    }
    if (!rc)
        rc = approval_event(db, &actor, *id, filing ? "filed" : "submitted", on, detail);
    json_decref(detail);
    if (rc || db_commit(db))
        goto internal;
    json_decref(data);
    return ERR_OK;
internal:
    e = problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
fail:
    db_rollback(db);
    json_decref(data);
    return e;
}

/* ---- procedural acts ---- */

struct approval_act {
    struct db *db;
    json_t *in, *cfg;
    const struct calendar *cal;
    struct approval_row *a;
    char on[11];
    int32_t day;
    struct audit_actor actor;
    json_t *detail; /* event detail, built by the act */
    /* a second event written after the act's own (a check that revokes the
     * approval is also a revocation in the record and the public progress) */
    const char *follow;
    json_t *follow_detail;
    struct problem *p;
};

static bool approval_is(const struct approval_row *a, const char *status)
{
    return !strcmp(a->status, status);
}

static enum err approval_wrong_state(struct approval_act *x)
{
    return problem_set(x->p, ERR_CONFLICT, "action", "当前状态（%s）不能办理此事项", x->a->status);
}

static int32_t approval_add(struct approval_act *x, int32_t day, int n)
{
    return eiaclock_add_workdays(x->cal, day, n);
}

static enum err act_correction(struct approval_act *x)
{
    if (!approval_is(x->a, "submitted"))
        return approval_wrong_state(x);
    int32_t sub;
    calendar_parse_date(x->a->submitted_on, &sub);
    int n = approval_cfg_int(x->cfg, "correction_workdays", NULL, NULL, 5);
    if (x->day > approval_add(x, sub, n))
        return problem_set(x->p, ERR_CONFLICT, "on",
                           "已超过 %d 个工作日未一次性告知补正，依法视为自收到材料之日起受理", n);
    json_t *items = json_object_get(x->in, "items");
    if (!json_is_array(items) || !json_array_size(items) || json_array_size(items) > 50)
        return problem_set(x->p, ERR_INVALID_FIELD, "items", "须一次性列明全部补正事项");
    size_t i;
    json_t *it;
    json_array_foreach(
        items, i, it) if (!json_is_string(it) ||
                          text_check_field(json_string_value(it), 500,
                                           false)) return problem_set(x->p, ERR_INVALID_FIELD,
                                                                      "items", "补正事项须为文本");
    snprintf(x->a->status, sizeof x->a->status, "correction");
    json_object_set(x->detail, "items", items);
    return ERR_OK;
}

static enum err act_resubmit(struct approval_act *x)
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

static enum err act_accept(struct approval_act *x)
{
    if (!approval_is(x->a, "submitted"))
        return approval_wrong_state(x);
    const char *unit = json_string_value(json_object_get(x->a->data, "preparer_unit"));
    const char *person = json_string_value(json_object_get(x->a->data, "preparer_person"));
    const char *names[] = {unit, person};
    for (int i = 0; i < 2; i++) {
        char list[32], reason[200];
        if (names[i] && *names[i] &&
            approval_preparer_listed(x->db, names[i], x->on, list, sizeof list, reason,
                                     sizeof reason) == 1)
            return problem_set(x->p, ERR_CONFLICT, "preparer_unit",
                               "不予受理：编制%s“%s”在%s内（%s）（部令第9号第20条）",
                               i ? "人员" : "单位", names[i], list, reason);
    }
    if (json_array_size(json_object_get(x->a->data, "missing_core")))
        return problem_set(x->p, ERR_CONFLICT, "materials",
                           "核心材料不全，不能受理（核心材料不适用容缺）");
    json_t *missing = json_object_get(x->a->data, "missing");
    snprintf(x->a->accepted_on, 11, "%s", x->on);
    if (json_array_size(missing)) {
        const char *commitment = json_string_value(json_object_get(x->in, "commitment"));
        const char *due = json_string_value(json_object_get(x->in, "supplement_due"));
        int32_t due_day;
        if (!json_is_true(json_object_get(x->in, "rongque")) || !commitment || !*commitment ||
            text_check_field(commitment, 2000, true))
            return problem_set(x->p, ERR_CONFLICT, "rongque",
                               "缺少非核心材料：须按容缺受理办理并附申请人签署的承诺书");
        if (!due || calendar_parse_date(due, &due_day) || due_day < x->day)
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
        snprintf(
            title, sizeof title, "受理公示：%s",
            json_string_value(json_object_get(json_object_get(x->a->data, "project"), "name")));
        snprintf(
            body, sizeof body,
            "我局已受理%s环境影响%s（受理编号 %s），公示期 %d 个工作日，公众可在公示期内提出意见。",
            json_string_value(json_object_get(json_object_get(x->a->data, "project"), "name")),
            x->a->category, x->a->number, days);
        if (approval_notice(x->db, x->a->id, "accept", title, body, x->on, end))
            return problem_set(x->p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    }
    return ERR_OK;
}

static enum err act_supplement(struct approval_act *x)
{
    json_t *items = json_object_get(x->in, "items");
    json_t *missing = json_object_get(x->a->data, "missing");
    if (!approval_is(x->a, "accepted") || !json_array_size(missing))
        return approval_wrong_state(x);
    if (!json_is_array(items))
        return problem_set(x->p, ERR_INVALID_FIELD, "items", "须列出补交的材料代码");
    size_t i, j;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        json_t *m;
        bool found = false;
        json_array_foreach(missing, j, m) if (json_equal(m, it))
        {
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

static enum err act_supplement_failed(struct approval_act *x)
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
    if (approval_credit(x->db, x->a->enterprise_id, x->a->id, x->on,
                        "容缺受理承诺未在期限内补正材料"))
        return problem_set(x->p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    return ERR_OK;
}

static enum err act_pause(struct approval_act *x)
{
    static const char *const kinds[] = {"technical_evaluation", "expert_review", "hearing",
                                        "revision", "public_notice"};
    const char *kind = json_string_value(json_object_get(x->in, "kind"));
    bool ok = false;
    for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++)
        ok |= !strcmp(kind, kinds[i]);
    if (!approval_is(x->a, "accepted"))
        return approval_wrong_state(x);
    if (!ok)
        return problem_set(x->p, ERR_INVALID_FIELD, "kind",
                           "暂停事由须为 技术评估/专家评审/听证/申请人修改/公示");
    if (strcmp(x->on, x->a->accepted_on) <= 0)
        return problem_set(x->p, ERR_INVALID_FIELD, "on", "暂停日须晚于受理日");
    sqlite3_stmt *st = db_stmt(x->db, "SELECT count(*), coalesce(max(end), '') FROM "
                                      "eia_pauses WHERE app_id = ? AND (end IS NULL OR end > ?)");
    if (!st)
        return problem_set(x->p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    sqlite3_bind_int64(st, 1, x->a->id);
    sqlite3_bind_text(st, 2, x->on, -1, SQLITE_TRANSIENT);
    int open = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 1;
    sqlite3_reset(st);
    if (open)
        return problem_set(x->p, ERR_CONFLICT, "on", "已有未结束的暂停");
    st = db_stmt(x->db, "INSERT INTO eia_pauses (app_id, kind, start) VALUES (?, ?, ?)");
    if (!st)
        return problem_set(x->p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    sqlite3_bind_int64(st, 1, x->a->id);
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, x->on, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    json_object_set_new(x->detail, "kind", json_string(kind));
    return rc ? problem_set(x->p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL)) : ERR_OK;
}

static enum err act_resume(struct approval_act *x)
{
    sqlite3_stmt *st = db_stmt(x->db, "UPDATE eia_pauses SET end = ?1 WHERE app_id = ?2 AND "
                                      "end IS NULL AND start <= ?1");
    if (!approval_is(x->a, "accepted"))
        return approval_wrong_state(x);
    if (!st)
        return problem_set(x->p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    sqlite3_bind_text(st, 1, x->on, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, x->a->id);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    if (rc)
        return problem_set(x->p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    if (sqlite3_changes(db_handle(x->db)) != 1)
        return problem_set(x->p, ERR_CONFLICT, "on", "没有可恢复的暂停（或恢复日早于暂停日）");
    return ERR_OK;
}

static const char *approval_project_name(const struct approval_row *a)
{
    return json_string_value(json_object_get(json_object_get(a->data, "project"), "name"));
}

static enum err act_pre_approval(struct approval_act *x)
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
    if (approval_notice(x->db, x->a->id, "pre_approval", title, body, x->on, end))
        return problem_set(x->p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    return ERR_OK;
}

static enum err act_decide(struct approval_act *x)
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
    const char *decision = json_string_value(json_object_get(x->in, "decision"));
    if (!approval_is(x->a, "accepted"))
        return approval_wrong_state(x);
    if (json_array_size(json_object_get(x->a->data, "missing")))
        return problem_set(x->p, ERR_CONFLICT, "materials", "容缺材料尚未补齐，不得作出审批决定");
    if (!decision || (strcmp(decision, "approve") && strcmp(decision, "refuse")))
        return problem_set(x->p, ERR_INVALID_FIELD, "decision", "决定须为 approve 或 refuse");
    bool approve = !strcmp(decision, "approve");
    json_int_t ground = json_integer_value(json_object_get(x->in, "ground"));
    if (!approve && (ground < 1 || ground > 5))
        return problem_set(x->p, ERR_INVALID_FIELD, "ground",
                           "不予批准须依据条例第十一条所列情形之一（1-5）");
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
    if (approval_notice(x->db, x->a->id, "decision", title, body, x->on, end))
        return problem_set(x->p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    return ERR_OK;
}

static enum err act_revoke(struct approval_act *x)
{
    const char *reason = json_string_value(json_object_get(x->in, "reason"));
    if (!approval_is(x->a, "approved") || strcmp(x->a->route, "commitment"))
        return approval_wrong_state(x);
    if (!reason || !*reason || text_check_field(reason, 500, false))
        return problem_set(x->p, ERR_INVALID_FIELD, "reason", "须写明撤销理由");
    snprintf(x->a->status, sizeof x->a->status, "revoked");
    json_object_set_new(x->detail, "reason", json_string(reason));
    if (approval_credit(x->db, x->a->enterprise_id, x->a->id, x->on, reason))
        return problem_set(x->p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
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
    if (approval_credit(x->db, x->a->enterprise_id, x->a->id, x->on, reason))
        return problem_set(x->p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    return ERR_OK;
}

static enum err approval_postcheck_findings(struct approval_act *x, bool required, const char **out)
{
    const char *f = json_string_value(json_object_get(x->in, "findings"));
    json_t *v = json_object_get(x->in, "findings");
    if ((v && !json_is_string(v)) || (required && (!f || !*f)) ||
        (f && text_check_field(f, 2000, true)))
        return problem_set(x->p, ERR_INVALID_FIELD, "findings",
                           required ? "须写明核查发现的问题" : "核查意见无效");
    *out = f ? f : "";
    return ERR_OK;
}

/* 告知承诺 事后核查: conform, or nonconform with findings and either
 * revocation (the revoke path) or rectification by a deadline. Once per case;
 * a rectification is closed by postcheck_rectified. */
static enum err act_postcheck(struct approval_act *x)
{
    if (!approval_is(x->a, "approved") || strcmp(x->a->route, "commitment") ||
        json_object_get(x->a->data, "postcheck"))
        return approval_wrong_state(x);
    if (strcmp(x->on, x->a->decided_on) < 0)
        return problem_set(x->p, ERR_INVALID_FIELD, "on", "核查日不得早于审批日（%s）",
                           x->a->decided_on);
    const char *result = json_string_value(json_object_get(x->in, "result"));
    if (!result || (strcmp(result, "conform") && strcmp(result, "nonconform")))
        return problem_set(x->p, ERR_INVALID_FIELD, "result", "核查结论须为 conform 或 nonconform");
    bool bad = !strcmp(result, "nonconform");
    const char *findings;
    if (approval_postcheck_findings(x, bad, &findings))
        return x->p->err;
    const char *outcome = json_string_value(json_object_get(x->in, "outcome"));
    char rdue[11] = "";
    if (bad) {
        if (!outcome || (strcmp(outcome, "revoke") && strcmp(outcome, "rectify")))
            return problem_set(x->p, ERR_INVALID_FIELD, "outcome",
                               "不符合时须选择 revoke（撤销审批）或 rectify（责令整改）");
        int32_t rd;
        if (!strcmp(outcome, "rectify") &&
            (approval_date(json_string_value(json_object_get(x->in, "rectify_due")), rdue, &rd) ||
             !json_string_value(json_object_get(x->in, "rectify_due")) || rd <= x->day))
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
static enum err act_postcheck_rectified(struct approval_act *x)
{
    json_t *pc = json_object_get(x->a->data, "postcheck");
    const char *outcome = json_string_value(json_object_get(pc, "outcome"));
    const char *checked = json_string_value(json_object_get(pc, "checked_on"));
    if (!approval_is(x->a, "approved") || !outcome || strcmp(outcome, "rectify") || !checked ||
        json_object_get(pc, "rectification"))
        return approval_wrong_state(x);
    if (strcmp(x->on, checked) < 0)
        return problem_set(x->p, ERR_INVALID_FIELD, "on", "复查日不得早于核查日（%s）", checked);
    const char *result = json_string_value(json_object_get(x->in, "result"));
    if (!result || (strcmp(result, "conform") && strcmp(result, "nonconform")))
        return problem_set(x->p, ERR_INVALID_FIELD, "result", "复查结论须为 conform 或 nonconform");
    bool bad = !strcmp(result, "nonconform");
    const char *findings;
    if (approval_postcheck_findings(x, bad, &findings))
        return x->p->err;
    json_object_set_new(
        pc, "rectification",
        json_pack("{ss ss ss}", "result", result, "findings", findings, "on", x->on));
    json_object_set_new(x->detail, "result", json_string(result));
    json_object_set_new(x->detail, "findings", json_string(findings));
    return bad ? approval_postcheck_revoke(x, findings) : ERR_OK;
}

static enum err act_green(struct approval_act *x)
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
static enum err act_rereview_request(struct approval_act *x)
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
    const char *reason = json_string_value(json_object_get(x->in, "reason"));
    if (reason && text_check_field(reason, 500, false))
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

static enum err act_rereview_decide(struct approval_act *x)
{
    json_t *rr = json_object_get(x->a->data, "rereview");
    const char *due = json_string_value(json_object_get(rr, "due"));
    const char *received = json_string_value(json_object_get(rr, "received_on"));
    const char *result = json_string_value(json_object_get(x->in, "result"));
    const char *opinion = json_string_value(json_object_get(x->in, "opinion"));
    if (!rr || json_object_get(rr, "result") || !due || !received)
        return approval_wrong_state(x);
    if (strcmp(x->on, due) > 0)
        return problem_set(x->p, ERR_CONFLICT, "on", "已超过答复期限（%s），依法视为审核同意", due);
    if (strcmp(x->on, received) < 0)
        return problem_set(x->p, ERR_INVALID_FIELD, "on", "答复日不得早于收件日");
    if (!result || (strcmp(result, "agree") && strcmp(result, "refuse")))
        return problem_set(x->p, ERR_INVALID_FIELD, "result", "审核意见须为 agree 或 refuse");
    if (!opinion || !*opinion || text_check_field(opinion, 2000, true))
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
    {"correction", act_correction, false},
    {"resubmit", act_resubmit, true},
    {"accept", act_accept, false},
    {"supplement", act_supplement, true},
    {"supplement_failed", act_supplement_failed, false},
    {"pause", act_pause, false},
    {"resume", act_resume, false},
    {"pre_approval_notice", act_pre_approval, false},
    {"decide", act_decide, false},
    {"revoke", act_revoke, false},
    {"postcheck", act_postcheck, false},
    {"postcheck_rectified", act_postcheck_rectified, false},
    {"green", act_green, false},
    {"rereview_request", act_rereview_request, true},
    {"rereview_decide", act_rereview_decide, false},
};

/* ---- the procedure without HTTP (the handlers and the demo) ---- */

enum err approval_submit(const struct approval_who *who, json_t *in, int64_t *id, struct problem *p)
{
    json_t *cfg = approval_config(who->db);
    enum err e = cfg ? approval_create(who, in, cfg, id, p)
                     : problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    json_decref(cfg);
    return e;
}

enum err approval_apply(const struct approval_who *who, const struct calendar *cal, int64_t id,
                        json_t *in, struct problem *p)
{
    const char *name = json_string_value(json_object_get(in, "action"));
    const struct approval_action *act = NULL;
    for (size_t i = 0; name && i < sizeof approval_actions / sizeof approval_actions[0]; i++)
        if (!strcmp(name, approval_actions[i].name))
            act = &approval_actions[i];
    struct approval_row a = {0};
    struct approval_act x = {.db = who->db, .in = in, .a = &a, .p = p, .cal = cal};
    if (!act)
        return problem_set(p, ERR_INVALID_FIELD, "action", "未知的办理事项");
    if (who->enterprise && !act->enterprise)
        return problem_set(p, ERR_FORBIDDEN, NULL, "%s", err_message(ERR_FORBIDDEN));
    if (approval_date(json_string_value(json_object_get(in, "on")), x.on, &x.day))
        return problem_set(p, ERR_INVALID_FIELD, "on", "日期须为 YYYY-MM-DD");
    if (db_begin(who->db))
        return problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    enum err e = ERR_OK;
    int rc = approval_load(who->db, id, &a);
    if (rc || (who->enterprise && a.enterprise_id != who->enterprise_id))
        e = problem_set(p, rc < 0 ? ERR_INTERNAL : ERR_NOT_FOUND, NULL, "%s",
                        err_message(rc < 0 ? ERR_INTERNAL : ERR_NOT_FOUND));
    if (!e) {
        x.cfg = approval_config(who->db);
        x.detail = json_object();
        x.actor = who->actor;
        e = x.cfg ? act->run(&x)
                  : problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
        if (!e && (approval_store(who->db, &a) ||
                   approval_event(who->db, &x.actor, a.id, act->name, x.on, x.detail) ||
                   (x.follow &&
                    approval_event(who->db, &x.actor, a.id, x.follow, x.on, x.follow_detail)) ||
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

/* ---- handlers ---- */

static void approval_who_of(struct http_req *r, struct approval_who *who)
{
    who->db = r->db;
    kit_actor(r, &who->actor);
    who->enterprise = r->session.user.role == ROLE_ENTERPRISE;
    who->enterprise_id = r->session.user.enterprise_id;
}

static bool approval_mine(struct http_req *r, const struct approval_row *a)
{
    return r->session.user.role != ROLE_ENTERPRISE ||
           a->enterprise_id == r->session.user.enterprise_id;
}

/* The application as the handlers answer it, clocks for ?today= (default
 * today; a malformed value falls back to today after a write). */
static void approval_answer(struct http_req *r, int64_t id, int status)
{
    char today[11];
    int32_t day;
    approval_today(today);
    calendar_parse_date(today, &day);
    const char *t = http_query(r, "today");
    if (t && (strlen(t) != 10 || calendar_parse_date(t, &day)))
        calendar_parse_date(today, &day);
    json_t *cfg = approval_config(r->db);
    struct approval_row a;
    json_t *out = NULL;
    const struct calendar *cal = app_calendar_lock(r->app);
    if (cfg && approval_load(r->db, id, &a) == 0)
        out = approval_json(r->db, cal, cfg, &a, day, true);
    app_calendar_unlock(r->app);
    json_decref(a.data);
    json_decref(cfg);
    if (out)
        http_json(r, status, out);
    else
        http_error(r, ERR_INTERNAL, NULL, NULL);
}

static void api_approval_create(struct http_req *r)
{
    json_t *in = http_body_json(r);
    if (!in)
        return;
    struct approval_who who;
    approval_who_of(r, &who);
    struct problem p = {0};
    int64_t id = 0;
    enum err e = approval_submit(&who, in, &id, &p);
    json_decref(in);
    if (e)
        http_error(r, e, *p.message ? p.message : NULL, p.field);
    else
        approval_answer(r, id, 201);
}

static void api_approval_action(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    json_t *in = http_body_json(r);
    if (!in)
        return;
    struct approval_who who;
    approval_who_of(r, &who);
    struct problem p = {0};
    const struct calendar *cal = app_calendar_lock(r->app);
    enum err e = approval_apply(&who, cal, id, in, &p);
    app_calendar_unlock(r->app);
    json_decref(in);
    if (e)
        http_error(r, e, *p.message ? p.message : NULL, p.field);
    else
        approval_answer(r, id, 200);
}

/* ?today=YYYY-MM-DD (default today); -1 after answering 422. */
static int approval_query_today(struct http_req *r, int32_t *day)
{
    char buf[11];
    if (approval_date(http_query(r, "today"), buf, day)) {
        http_error(r, ERR_INVALID_FIELD, "today 须为 YYYY-MM-DD", "today");
        return -1;
    }
    return 0;
}

static int approval_queue_open(json_t *o)
{
    const char *s = json_string_value(json_object_get(o, "status"));
    return s && (!strcmp(s, "submitted") || !strcmp(s, "correction") || !strcmp(s, "accepted"));
}

static int approval_queue_cmp(const void *pa, const void *pb)
{
    json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
    /* open cases first: a decided case's used-up clock is history, not urgency */
    int oa = approval_queue_open(a), ob = approval_queue_open(b);
    if (oa != ob)
        return ob - oa;
    int ga = json_is_true(json_object_get(a, "green")),
        gb = json_is_true(json_object_get(b, "green"));
    if (ga != gb)
        return gb - ga;
    json_t *ca =
        json_object_get(json_object_get(json_object_get(a, "clocks"), "promised"), "remaining");
    json_t *cb =
        json_object_get(json_object_get(json_object_get(b, "clocks"), "promised"), "remaining");
    long long ra = ca ? json_integer_value(ca) : 1000000,
              rb = cb ? json_integer_value(cb) : 1000000;
    if (ra != rb)
        return ra < rb ? -1 : 1;
    long long ia = json_integer_value(json_object_get(a, "id")),
              ib = json_integer_value(json_object_get(b, "id"));
    return ia < ib ? -1 : ia > ib;
}

static void api_approval_list(struct http_req *r)
{
    int32_t day;
    if (approval_query_today(r, &day))
        return;
    int64_t only = r->session.user.role == ROLE_ENTERPRISE ? r->session.user.enterprise_id : 0;
    const char *status = http_query(r, "status");
    sqlite3_stmt *st = db_stmt(r->db, "SELECT id FROM eia_applications WHERE (?1 = 0 OR "
                                      "enterprise_id = ?1) AND (?2 IS NULL OR status = ?2) "
                                      "ORDER BY id DESC LIMIT ?3");
    json_t *cfg = approval_config(r->db);
    if (!st || !cfg) {
        json_decref(cfg);
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    sqlite3_bind_int64(st, 1, only);
    if (status && strlen(status) < 16)
        sqlite3_bind_text(st, 2, status, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, kit_limit(r, 200, 1000));
    int64_t ids[1000];
    size_t n = 0;
    while (n < 1000 && sqlite3_step(st) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    const struct calendar *cal = app_calendar_lock(r->app);
    json_t **items = xcalloc(n ? n : 1, sizeof *items);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        struct approval_row a;
        if (approval_load(r->db, ids[i], &a) == 0)
            items[k++] = approval_json(r->db, cal, cfg, &a, day, false);
        json_decref(a.data);
    }
    app_calendar_unlock(r->app);
    qsort(items, k, sizeof *items, approval_queue_cmp);
    json_t *arr = json_array();
    for (size_t i = 0; i < k; i++)
        json_array_append_new(arr, items[i]);
    free(items);
    json_decref(cfg);
    char today[11];
    calendar_format_date(day, today);
    http_json(r, 200, json_pack("{so ss}", "items", arr, "today", today));
}

/* Every open case's reminders for ?today=, soonest first: the workbench's
 * list of 容缺 deadlines, correction windows, clocks near their end and
 * unanswered re-reviews (an enterprise sees its own). */
static int approval_reminder_cmp(const void *pa, const void *pb)
{
    json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
    int c = strcmp(json_string_value(json_object_get(a, "due")),
                   json_string_value(json_object_get(b, "due")));
    return c ? c
             : (int)(json_integer_value(json_object_get(a, "id")) -
                     json_integer_value(json_object_get(b, "id")));
}

static void api_approval_reminders(struct http_req *r)
{
    int32_t day;
    if (approval_query_today(r, &day))
        return;
    int64_t only = r->session.user.role == ROLE_ENTERPRISE ? r->session.user.enterprise_id : 0;
    sqlite3_stmt *st = db_stmt(r->db, "SELECT id FROM eia_applications WHERE (?1 = 0 OR "
                                      "enterprise_id = ?1) AND status IN ('submitted', "
                                      "'accepted', 'approved') ORDER BY id LIMIT 5000");
    json_t *cfg = approval_config(r->db);
    if (!st || !cfg) {
        json_decref(cfg);
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    sqlite3_bind_int64(st, 1, only);
    int64_t *ids = xcalloc(5000, sizeof *ids);
    size_t n = 0;
    while (n < 5000 && sqlite3_step(st) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    json_t *all = json_array();
    const struct calendar *cal = app_calendar_lock(r->app);
    for (size_t i = 0; i < n; i++) {
        struct approval_row a;
        if (approval_load(r->db, ids[i], &a) == 0) {
            json_t *o = approval_json(r->db, cal, cfg, &a, day, false);
            size_t j;
            json_t *rem;
            json_array_foreach(json_object_get(o, "reminders"), j, rem)
            {
                json_object_set_new(rem, "id", json_integer(a.id));
                json_object_set_new(rem, "number", json_string(a.number));
                json_object_set(rem, "project",
                                json_object_get(json_object_get(a.data, "project"), "name"));
                json_object_set(rem, "enterprise_name", json_object_get(o, "enterprise_name"));
                json_array_append(all, rem);
            }
            json_decref(o);
        }
        json_decref(a.data);
    }
    app_calendar_unlock(r->app);
    free(ids);
    json_decref(cfg);
    size_t k = json_array_size(all);
    json_t **items = xcalloc(k ? k : 1, sizeof *items);
    for (size_t i = 0; i < k; i++)
        items[i] = json_array_get(all, i);
    qsort(items, k, sizeof *items, approval_reminder_cmp);
    json_t *sorted = json_array();
    for (size_t i = 0; i < k; i++)
        json_array_append(sorted, items[i]);
    free(items);
    json_decref(all);
    char today[11];
    calendar_format_date(day, today);
    http_json(r, 200, json_pack("{so ss}", "items", sorted, "today", today));
}

/* The 告知承诺 approvals and their after-the-fact checks for ?today=: overdue
 * first, then by due day; ?state=open keeps the checks still to do (pending,
 * overdue, rectifying). Counts per state over all of them. */
static int approval_postcheck_rank(json_t *o)
{
    const char *s = json_string_value(json_object_get(json_object_get(o, "postcheck"), "state"));
    return !strcmp(s, "overdue") || !strcmp(s, "rectify_overdue") ? 0
           : !strcmp(s, "pending") || !strcmp(s, "rectifying")    ? 1
                                                                  : 2;
}

static const char *approval_postcheck_due(json_t *o)
{
    json_t *pc = json_object_get(o, "postcheck");
    const char *rd = json_string_value(json_object_get(pc, "rectify_due"));
    const char *s = json_string_value(json_object_get(pc, "state"));
    return rd && (!strcmp(s, "rectifying") || !strcmp(s, "rectify_overdue"))
               ? rd
               : json_string_value(json_object_get(pc, "due"));
}

static int approval_postcheck_cmp(const void *pa, const void *pb)
{
    json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
    int ra = approval_postcheck_rank(a), rb = approval_postcheck_rank(b);
    if (ra != rb)
        return ra - rb;
    int c = strcmp(approval_postcheck_due(a), approval_postcheck_due(b));
    if (ra == 2)
        c = -c; /* finished checks: the most recent first */
    if (c)
        return c;
    long long ia = json_integer_value(json_object_get(a, "id")),
              ib = json_integer_value(json_object_get(b, "id"));
    return ia < ib ? -1 : ia > ib;
}

static void api_approval_postchecks(struct http_req *r)
{
    int32_t day;
    if (approval_query_today(r, &day))
        return;
    const char *filter = http_query(r, "state");
    if (filter && strcmp(filter, "open") && strcmp(filter, "all")) {
        http_error(r, ERR_INVALID_FIELD, "state 须为 open 或 all", "state");
        return;
    }
    bool open = filter && !strcmp(filter, "open");
    sqlite3_stmt *st = db_stmt(r->db, "SELECT id FROM eia_applications WHERE route = "
                                      "'commitment' AND decided_on IS NOT NULL AND status IN "
                                      "('approved', 'revoked') ORDER BY id LIMIT 5000");
    json_t *cfg = approval_config(r->db);
    if (!st || !cfg) {
        json_decref(cfg);
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    int64_t *ids = xcalloc(5000, sizeof *ids);
    size_t n = 0;
    while (n < 5000 && sqlite3_step(st) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    json_t **items = xcalloc(n ? n : 1, sizeof *items);
    json_t *counts = json_object();
    size_t k = 0;
    const struct calendar *cal = app_calendar_lock(r->app);
    for (size_t i = 0; i < n; i++) {
        struct approval_row a;
        if (approval_load(r->db, ids[i], &a) == 0) {
            json_t *pc = approval_postcheck_json(cal, cfg, &a, day);
            if (pc) {
                const char *state = json_string_value(json_object_get(pc, "state"));
                json_object_set_new(
                    counts, state,
                    json_integer(json_integer_value(json_object_get(counts, state)) + 1));
                json_t *o = json_pack("{sI ss sO ss ss so so}", "id", (json_int_t)a.id, "number",
                                      a.number, "project",
                                      json_object_get(json_object_get(a.data, "project"), "name"),
                                      "category", a.category, "decided_on", a.decided_on, "doc_no",
                                      json_object_get(json_object_get(a.data, "decision"), "doc_no")
                                          ? json_incref(json_object_get(
                                                json_object_get(a.data, "decision"), "doc_no"))
                                          : json_null(),
                                      "postcheck", pc);
                json_object_set_new(o, "status", json_string(a.status));
                sqlite3_stmt *en = db_stmt(r->db, "SELECT name FROM enterprises WHERE id = ?");
                if (en) {
                    sqlite3_bind_int64(en, 1, a.enterprise_id);
                    if (sqlite3_step(en) == SQLITE_ROW)
                        json_object_set_new(o, "enterprise_name",
                                            json_string((const char *)sqlite3_column_text(en, 0)));
                    sqlite3_reset(en);
                }
                if (open && approval_postcheck_rank(o) == 2)
                    json_decref(o);
                else
                    items[k++] = o;
            }
        }
        json_decref(a.data);
    }
    app_calendar_unlock(r->app);
    free(ids);
    qsort(items, k, sizeof *items, approval_postcheck_cmp);
    json_t *arr = json_array();
    for (size_t i = 0; i < k; i++)
        json_array_append_new(arr, items[i]);
    free(items);
    char today[11];
    calendar_format_date(day, today);
    http_json(r, 200,
              json_pack("{so so ss si}", "items", arr, "counts", counts, "today", today, "workdays",
                        approval_cfg_int(cfg, "postcheck_workdays", NULL, NULL, 20)));
    json_decref(cfg);
}

static void api_approval_get(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    int32_t day;
    if (!id || approval_query_today(r, &day))
        return;
    struct approval_row a;
    int rc = approval_load(r->db, id, &a);
    if (rc || !approval_mine(r, &a)) {
        json_decref(a.data);
        http_error(r, rc < 0 ? ERR_INTERNAL : ERR_NOT_FOUND, NULL, NULL);
        return;
    }
    json_t *cfg = approval_config(r->db);
    const struct calendar *cal = app_calendar_lock(r->app);
    json_t *out = approval_json(r->db, cal, cfg, &a, day, true);
    app_calendar_unlock(r->app);
    json_decref(cfg);
    json_decref(a.data);
    http_json(r, 200, out);
}

static void api_approval_config_get(struct http_req *r)
{
    json_t *cfg = approval_config(r->db);
    if (!cfg)
        http_error(r, ERR_INTERNAL, NULL, NULL);
    else
        http_json(r, 200, cfg);
}

static void api_approval_config_put(struct http_req *r)
{
    json_t *in = http_body_json(r);
    if (!in)
        return;
    if (!json_is_object(json_object_get(in, "limits")) ||
        !json_is_object(json_object_get(in, "materials")) ||
        !json_is_array(json_object_get(in, "routes"))) {
        json_decref(in);
        http_error(r, ERR_INVALID_FIELD, "配置须含 limits、materials 和 routes", NULL);
        return;
    }
    char *text = json_dumps(in, JSON_COMPACT);
    struct audit_actor actor;
    kit_actor(r, &actor);
    sqlite3_stmt *st = NULL;
    int rc = db_begin(r->db);
    if (!rc) {
        st = db_stmt(r->db, "UPDATE eia_config SET doc = ?, updated_at = ? WHERE id = 1");
        rc = !st;
    }
    if (!rc) {
        sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, timeutil_now());
        rc = sqlite3_step(st) != SQLITE_DONE;
        sqlite3_reset(st);
    }
    if (!rc)
        rc = audit_append(r->db, &actor, "approval.config", "eia_config", "1", in) ||
             db_commit(r->db);
    if (rc)
        db_rollback(r->db);
    free(text);
    if (rc)
        http_error(r, ERR_INTERNAL, NULL, NULL);
    else
        http_json(r, 200, in), in = NULL;
    json_decref(in);
}

static void api_approval_preparers_add(struct http_req *r)
{
    json_t *in = http_body_json(r);
    if (!in)
        return;
    const char *name = json_string_value(json_object_get(in, "name"));
    const char *list = json_string_value(json_object_get(in, "list"));
    const char *start = json_string_value(json_object_get(in, "start"));
    const char *end = json_string_value(json_object_get(in, "end"));
    const char *reason = json_string_value(json_object_get(in, "reason"));
    int32_t d1, d2;
    if (!name || !*name || text_check_field(name, 200, false) || !list ||
        (strcmp(list, "限期整改") && strcmp(list, "黑名单")) || calendar_parse_date(start, &d1) ||
        calendar_parse_date(end, &d2) || d2 < d1 || !reason ||
        text_check_field(reason, 500, false)) {
        json_decref(in);
        http_error(r, ERR_INVALID_FIELD, "须填写名称、名单（限期整改/黑名单）、起止日期和事由",
                   NULL);
        return;
    }
    struct audit_actor actor;
    kit_actor(r, &actor);
    int rc = db_begin(r->db);
    sqlite3_stmt *st = rc ? NULL
                          : db_stmt(r->db, "INSERT INTO eia_preparer_list (name, list, start, "
                                           "end, reason, created_at) VALUES (?, ?, ?, ?, ?, ?)");
    if (!rc && st) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, list, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, start, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, end, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, reason, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 6, timeutil_now());
        rc = sqlite3_step(st) != SQLITE_DONE;
        sqlite3_reset(st);
        rc = rc ||
             audit_append(r->db, &actor, "approval.preparer_list", "eia_preparer", name, in) ||
             db_commit(r->db);
    } else {
        rc = 1;
    }
    if (rc)
        db_rollback(r->db);
    json_decref(in);
    if (rc)
        http_error(r, ERR_INTERNAL, NULL, NULL);
    else
        http_json(r, 201, json_pack("{sb}", "ok", 1));
}

/* Statistics of decided cases: promised and statutory time used against the
 * limits, by category. */
static void api_approval_stats(struct http_req *r)
{
    sqlite3_stmt *st = db_stmt(r->db, "SELECT id FROM eia_applications WHERE decided_on IS NOT "
                                      "NULL AND accepted_on IS NOT NULL AND route <> 'filing'");
    json_t *cfg = approval_config(r->db);
    if (!st || !cfg) {
        json_decref(cfg);
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    json_t *by = json_object();
    const struct calendar *cal = app_calendar_lock(r->app);
    while (sqlite3_step(st) == SQLITE_ROW) {
        struct approval_row a;
        if (approval_load(r->db, sqlite3_column_int64(st, 0), &a) == 0) {
            int32_t stop;
            calendar_parse_date(a.decided_on, &stop);
            json_t *c = approval_clocks(r->db, cal, cfg, &a, stop, NULL);
            json_t *s = json_object_get(by, a.category);
            if (!s) {
                s = json_pack("{si si si si si}", "cases", 0, "promised_used", 0, "promised_limit",
                              0, "statutory_used", 0, "statutory_limit", 0);
                json_object_set_new(by, a.category, s);
            }
            static const char *const keys[][3] = {
                {"promised", "promised_used", "promised_limit"},
                {"statutory", "statutory_used", "statutory_limit"}};
            for (int k = 0; k < 2 && json_is_object(c); k++) {
                json_t *ck = json_object_get(c, keys[k][0]);
                json_object_set_new(
                    s, keys[k][1],
                    json_integer(json_integer_value(json_object_get(s, keys[k][1])) +
                                 json_integer_value(json_object_get(ck, "used"))));
                json_object_set_new(
                    s, keys[k][2],
                    json_integer(json_integer_value(json_object_get(s, keys[k][2])) +
                                 json_integer_value(json_object_get(ck, "limit"))));
            }
            json_object_set_new(s, "cases",
                                json_integer(json_integer_value(json_object_get(s, "cases")) + 1));
            json_decref(c);
        }
        json_decref(a.data);
    }
    sqlite3_reset(st);
    app_calendar_unlock(r->app);
    json_decref(cfg);
    http_json(r, 200, json_pack("{so}", "by_category", by));
}

/* ---- public ---- */

static const char *approval_status_zh(const char *s)
{
    static const char *const map[][2] = {
        {"submitted", "初审预办"}, {"correction", "待补正"}, {"accepted", "已受理，审查中"},
        {"approved", "已批准"},    {"refused", "不予批准"},  {"revoked", "已撤销"},
        {"terminated", "已终止"},  {"filed", "已备案"},      {"exempt", "豁免环评手续"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i][0], s))
            return map[i][1];
    return s;
}

static void api_public_progress(struct http_req *r)
{
    const char *number = r->params[0];
    sqlite3_stmt *st = db_stmt(r->db, "SELECT id FROM eia_applications WHERE number = ?");
    if (!st || !number || strlen(number) > 31) {
        http_error(r, ERR_NOT_FOUND, NULL, NULL);
        return;
    }
    sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    struct approval_row a;
    if (!id || approval_load(r->db, id, &a)) {
        http_error(r, ERR_NOT_FOUND, "未找到该受理编号", NULL);
        return;
    }
    /* Minimal information: no applicant details, materials or internal notes. */
    json_t *steps = json_array();
    st = db_stmt(r->db, "SELECT kind, day FROM eia_events WHERE app_id = ? AND kind IN "
                        "('submitted', 'filed', 'correction', 'accept', 'pause', 'resume', "
                        "'decide', 'revoke', 'postcheck') ORDER BY id");
    if (st) {
        sqlite3_bind_int64(st, 1, id);
        while (sqlite3_step(st) == SQLITE_ROW)
            json_array_append_new(steps, json_pack("{ss ss}", "kind",
                                                   (const char *)sqlite3_column_text(st, 0), "day",
                                                   (const char *)sqlite3_column_text(st, 1)));
        sqlite3_reset(st);
    }
    http_json(r, 200,
              json_pack("{ss ss ss ss ss so so so}", "number", a.number, "project",
                        approval_project_name(&a), "category", a.category, "status", a.status,
                        "status_zh", approval_status_zh(a.status), "accepted_on",
                        *a.accepted_on ? json_string(a.accepted_on) : json_null(), "decided_on",
                        *a.decided_on ? json_string(a.decided_on) : json_null(), "steps", steps));
    json_decref(a.data);
}

static json_t *approval_notices(struct db *db, int limit)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT n.id, n.kind, n.title, n.body, n.start, n.end, "
                                   "a.number, n.published_at FROM eia_notices n JOIN "
                                   "eia_applications a ON a.id = n.app_id ORDER BY n.id DESC "
                                   "LIMIT ?");
    if (!st)
        return NULL;
    sqlite3_bind_int(st, 1, limit);
    json_t *items = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        char when[32];
        timeutil_format_iso(sqlite3_column_int64(st, 7), when, sizeof when);
        json_array_append_new(items, json_pack("{sI ss ss ss ss ss ss ss}", "id",
                                               (json_int_t)sqlite3_column_int64(st, 0), "kind",
                                               (const char *)sqlite3_column_text(st, 1), "title",
                                               (const char *)sqlite3_column_text(st, 2), "body",
                                               (const char *)sqlite3_column_text(st, 3), "start",
                                               (const char *)sqlite3_column_text(st, 4), "end",
                                               (const char *)sqlite3_column_text(st, 5), "number",
                                               (const char *)sqlite3_column_text(st, 6),
                                               "published_at", when));
    }
    sqlite3_reset(st);
    return items;
}

static void api_public_notices(struct http_req *r)
{
    json_t *items = approval_notices(r->db, kit_limit(r, 50, 200));
    if (!items)
        http_error(r, ERR_INTERNAL, NULL, NULL);
    else
        http_json(r, 200, json_pack("{so}", "items", items));
}

/* JSON Feed 1.1. */
static void api_public_notices_feed_json(struct http_req *r)
{
    json_t *items = approval_notices(r->db, 50);
    if (!items) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    json_t *feed = json_array();
    size_t i;
    json_t *n;
    json_array_foreach(items, i, n)
    {
        char id[48];
        snprintf(id, sizeof id, "eia-notice-%lld",
                 (long long)json_integer_value(json_object_get(n, "id")));
        json_array_append_new(feed, json_pack("{ss sO sO sO}", "id", id, "title",
                                              json_object_get(n, "title"), "content_text",
                                              json_object_get(n, "body"), "date_published",
                                              json_object_get(n, "published_at")));
    }
    json_decref(items);
    http_json(r, 200,
              json_pack("{ss ss ss so}", "version", "https://jsonfeed.org/version/1.1", "title",
                        "环评审批公示公告", "home_page_url", "/notices", "items", feed));
}

static void approval_xml(struct buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            buf_puts(b, "&lt;");
        else if (*s == '>')
            buf_puts(b, "&gt;");
        else if (*s == '&')
            buf_puts(b, "&amp;");
        else if (*s == '"')
            buf_puts(b, "&quot;");
        else
            buf_append(b, s, 1);
    }
}

static void api_public_notices_atom(struct http_req *r)
{
    json_t *items = approval_notices(r->db, 50);
    if (!items) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, 0);
    const char *updated =
        json_array_size(items)
            ? json_string_value(json_object_get(json_array_get(items, 0), "published_at"))
            : "2026-01-01T00:00:00+08:00";
    buf_printf(&b,
               "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
               "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
               "<title>环评审批公示公告</title><id>urn:ecogov:eia-notices</id>"
               "<updated>%s</updated>\n",
               updated);
    size_t i;
    json_t *n;
    json_array_foreach(items, i, n)
    {
        buf_printf(&b, "<entry><id>urn:ecogov:eia-notice:%lld</id><title>",
                   (long long)json_integer_value(json_object_get(n, "id")));
        approval_xml(&b, json_string_value(json_object_get(n, "title")));
        buf_printf(&b, "</title><updated>%s</updated><content type=\"text\">",
                   json_string_value(json_object_get(n, "published_at")));
        approval_xml(&b, json_string_value(json_object_get(n, "body")));
        buf_puts(&b, "</content></entry>\n");
    }
    buf_puts(&b, "</feed>\n");
    json_decref(items);
    size_t len;
    char *body = buf_detach(&b, &len);
    free(r->resp_body);
    r->status = 200;
    r->resp_body = body;
    r->resp_len = len;
    r->content_type = "application/atom+xml; charset=utf-8";
}

static const struct route approval_table[] = {
    {HTTP_GET, "/api/v1/approval/applications", api_approval_list, ROLES_LOGGED_IN, 0},
    {HTTP_POST, "/api/v1/approval/applications", api_approval_create,
     ROLE_BIT(ROLE_ENTERPRISE) | ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_ADMIN), 0},
    {HTTP_GET, "/api/v1/approval/applications/{id}", api_approval_get, ROLES_LOGGED_IN, 0},
    {HTTP_POST, "/api/v1/approval/applications/{id}/actions", api_approval_action,
     STAFF_UP | ROLE_BIT(ROLE_ENTERPRISE), 0},
    {HTTP_GET, "/api/v1/approval/config", api_approval_config_get, ROLES_LOGGED_IN, 0},
    {HTTP_PUT, "/api/v1/approval/config", api_approval_config_put, ROLE_BIT(ROLE_ADMIN), 0},
    {HTTP_POST, "/api/v1/approval/preparer-list", api_approval_preparers_add, STAFF_UP, 0},
    {HTTP_GET, "/api/v1/approval/stats", api_approval_stats, ROLES_BUREAU, 0},
    {HTTP_GET, "/api/v1/approval/reminders", api_approval_reminders, ROLES_LOGGED_IN, 0},
    {HTTP_GET, "/api/v1/approval/postchecks", api_approval_postchecks, ROLES_BUREAU, 0},
    {HTTP_GET, "/api/v1/public/approvals/{number}", api_public_progress, ROLES_ANY, 0},
    {HTTP_GET, "/api/v1/public/approval-notices", api_public_notices, ROLES_ANY, 0},
    {HTTP_GET, "/api/v1/public/approval-notices.json", api_public_notices_feed_json, ROLES_ANY, 0},
    {HTTP_GET, "/api/v1/public/approval-notices.atom", api_public_notices_atom, ROLES_ANY, 0},
};

const struct route_group app_approval_routes = ROUTE_GROUP("approval", approval_table);
