/* approval http — the routes of EIA applications, their configuration,
 * reminders, 告知承诺 checks, statistics and the public progress and
 * notices. Each handler reads its input, calls one rule (procedure.h) and
 * answers through the kit; clocks are shown for ?today= (default today). */
#include "app/app.h"
#include "app/kit.h"
#include "app/kit_list.h"
#include "core/timeutil.h"
#include "modules/approval/procedure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STAFF_UP (ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_LEADER))

static void approval_who_of(struct http_req *r, struct approval_who *who)
{
    who->db = r->db;
    kit_actor(r, &who->actor);
    who->enterprise = r->session.user.role == ROLE_ENTERPRISE;
    who->enterprise_id = r->session.user.enterprise_id;
    who->cfg = r->app->cfg;
    who->user = &r->session.user;
}

/* What a request on cases reads besides ?today=: nothing more, a body, or a
 * path id and a body. */
enum approval_input { APPROVAL_QUERY, APPROVAL_BODY, APPROVAL_ID_BODY };

/* A request on cases: its input (w: the kit's, body NULL without one),
 * ?today=, who acts, and the working-day calendar, held from approval_begin
 * to approval_end. */
struct approval_req {
    struct kit_write w;
    struct approval_who who;
    int32_t today;
    const struct calendar *cal;
};

/* Reads ?today= and the input, then locks the calendar. false when the
 * request was answered (nothing held then). */
static bool approval_begin(struct http_req *r, enum approval_input in, struct approval_req *q)
{
    memset(q, 0, sizeof *q);
    if (kit_query_day(r, "today", timeutil_today(), &q->today))
        return false;
    /* A read may show the clocks on any day; a write happens now, so its
     * answer may look back but never forward (acts are dated today or
     * earlier, field.h FIELD_PAST). */
    if (in != APPROVAL_QUERY && q->today > timeutil_today()) {
        http_error(r, ERR_INVALID_FIELD, "today 不得晚于今天：办理行为不能记在将来", "today");
        return false;
    }
    if ((in != APPROVAL_QUERY &&
         !kit_write_begin(r, in == APPROVAL_ID_BODY ? KIT_PATH_ID : KIT_NO_ID, &q->w)))
        return false;
    approval_who_of(r, &q->who);
    q->cal = app_calendar_lock(r->app);
    return true;
}

/* Unlocks the calendar and answers as kit_write_end. */
static void approval_end(struct http_req *r, struct approval_req *q, bool created, enum err e,
                         json_t *out)
{
    app_calendar_unlock(r->app);
    kit_write_end(r, &q->w, created, e, out);
}

static void api_approval_create(struct http_req *r)
{
    struct approval_req q;
    if (!approval_begin(r, APPROVAL_BODY, &q))
        return;
    json_t *out;
    enum err e = approval_create(&q.who, q.cal, q.w.body, q.today, &out, &q.w.p);
    approval_end(r, &q, true, e, out);
}

static void api_approval_action(struct http_req *r)
{
    struct approval_req q;
    if (!approval_begin(r, APPROVAL_ID_BODY, &q))
        return;
    json_t *out;
    enum err e = approval_act(&q.who, q.cal, q.w.id, q.w.body, q.today, &out, &q.w.p);
    approval_end(r, &q, false, e, out);
}

static void api_approval_get(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    struct approval_req q;
    if (!id || !approval_begin(r, APPROVAL_QUERY, &q))
        return;
    json_t *out;
    enum err e = approval_get(&q.who, q.cal, id, q.today, &out, &q.w.p);
    approval_end(r, &q, false, e, out);
}

/* A material's file: the raw body, its name in ?name= (as the service
 * module's uploads); the key in the path. */
static void api_approval_material_file(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    bool bad = false;
    const char *name = id ? kit_query_text(r, "name", 255, &bad) : NULL;
    if (!id || bad)
        return;
    struct approval_who who;
    approval_who_of(r, &who);
    struct problem p = {0};
    json_t *out = NULL;
    enum err e = approval_material_upload(&who, id, r->params[1], name,
                                          r->body.data ? r->body.data : "", r->body.len, &out, &p);
    json_t *newest = json_array_get(json_object_get(out, "versions"), 0);
    char loc[64];
    snprintf(loc, sizeof loc, "%s",
             newest ? json_string_value(json_object_get(newest, "url")) : "");
    kit_created_at(r, *loc ? loc : NULL, e, &p, out);
}

/* The queue's export: the columns the workbench shows, codes as its labels. */
static const char *const approval_status_zh[] = {
    "submitted",  "初审预办", "correction", "待补正",  "accepted", "审查中",    "approved",
    "已批准",     "refused",  "不予批准",   "revoked", "已撤销",   "withdrawn", "已撤回",
    "terminated", "已终止",   "filed",      "已备案",  "exempt",   "豁免环评",  NULL};
static const char *const approval_route_zh[] = {"standard", "一般审批",   "commitment",
                                                "告知承诺", "exempt",     "正面清单豁免",
                                                "filing",   "登记表备案", NULL};
static const struct kit_col approval_cols[] = {
    KIT_TEXT("number", "受理编号"),
    KIT_TEXT("data.project.name", "项目名称"),
    KIT_TEXT("enterprise_name", "建设单位"),
    KIT_TEXT("category", "项目类别"),
    KIT_CODE("route", "审批方式", approval_route_zh),
    KIT_CODE("status", "状态", approval_status_zh),
    KIT_TEXT("submitted_on", "申报日期"),
    KIT_TEXT("clocks.promised.deadline", "承诺时限"),
    KIT_TEXT("clocks.statutory.deadline", "法定时限"),
    KIT_TEXT("correction_due", "补正期限"),
};
static const struct kit_sheet approval_sheet = KIT_SHEET("approvals", "环评审批", approval_cols);

static void api_approval_list(struct http_req *r)
{
    bool bad = false;
    const char *status = kit_query_text(r, "status", 15, &bad);
    struct approval_req q;
    if (bad || !approval_begin(r, APPROVAL_QUERY, &q))
        return;
    json_t *out;
    enum err e =
        approval_list(&q.who, q.cal, status, kit_limit(r, 200, 1000), q.today, &out, &q.w.p);
    app_calendar_unlock(r->app);
    json_decref(q.w.body);
    kit_list(r, e, &q.w.p, out, &approval_sheet);
}

static void api_approval_reminders(struct http_req *r)
{
    struct approval_req q;
    if (!approval_begin(r, APPROVAL_QUERY, &q))
        return;
    json_t *out;
    enum err e = approval_reminders(&q.who, q.cal, q.today, &out, &q.w.p);
    approval_end(r, &q, false, e, out);
}

static void api_approval_postchecks(struct http_req *r)
{
    static const char *const states[] = {"open", "all", NULL};
    bool bad = false;
    const char *state = kit_query_choice(r, "state", states, "all", &bad);
    struct approval_req q;
    if (bad || !approval_begin(r, APPROVAL_QUERY, &q))
        return;
    json_t *out;
    enum err e = approval_postchecks(r->db, q.cal, q.today, !strcmp(state, "open"), &out, &q.w.p);
    approval_end(r, &q, false, e, out);
}

static void api_approval_stats(struct http_req *r)
{
    struct problem p = {0};
    json_t *out;
    const struct calendar *cal = app_calendar_lock(r->app);
    enum err e = approval_stats(r->db, cal, &out, &p);
    app_calendar_unlock(r->app);
    kit_answer(r, e, &p, out);
}

static void api_approval_config_get(struct http_req *r)
{
    struct problem p = {0};
    json_t *out;
    enum err e = approval_config_get(r->db, &out, &p);
    kit_answer(r, e, &p, out);
}

static void api_approval_config_put(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_NO_ID, &w))
        return;
    json_t *out;
    enum err e = approval_config_put(r->db, &w.actor, w.body, &out, &w.p);
    kit_write_end(r, &w, false, e, out);
}

static void api_approval_preparers_add(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_NO_ID, &w))
        return;
    json_t *out;
    enum err e = approval_preparer_add(r->db, &w.actor, w.body, &out, &w.p);
    kit_write_end(r, &w, true, e, out);
}

static void api_public_progress(struct http_req *r)
{
    struct problem p = {0};
    json_t *out;
    enum err e = approval_progress(r->db, r->params[0], &out, &p);
    kit_answer(r, e, &p, out);
}

static void api_public_notices(struct http_req *r)
{
    json_t *items = approval_notices(r->db, kit_limit(r, 50, 200));
    kit_items(r, items);
}

/* JSON Feed 1.1. */
static void api_public_notices_feed_json(struct http_req *r)
{
    struct problem p = {0};
    json_t *out;
    enum err e = approval_notices_jsonfeed(r->db, &out, &p);
    kit_answer(r, e, &p, out);
}

static void api_public_notices_atom(struct http_req *r)
{
    struct problem p = {0};
    char *body;
    size_t len;
    if (approval_notices_atom(r->db, &body, &len, &p)) {
        kit_answer(r, p.err, &p, NULL);
        return;
    }
    kit_text(r, "application/atom+xml; charset=utf-8", NULL, body, len);
    free(body);
}

static const struct route approval_table[] = {
    {HTTP_GET, "/api/v1/approval/applications", api_approval_list, ROLES_LOGGED_IN, 0},
    {HTTP_POST, "/api/v1/approval/applications", api_approval_create,
     ROLE_BIT(ROLE_ENTERPRISE) | ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_ADMIN), 0},
    {HTTP_GET, "/api/v1/approval/applications/{id}", api_approval_get, ROLES_LOGGED_IN, 0},
    {HTTP_POST, "/api/v1/approval/applications/{id}/actions", api_approval_action,
     STAFF_UP | ROLE_BIT(ROLE_ENTERPRISE), 0},
    {HTTP_POST, "/api/v1/approval/applications/{id}/materials/{key}/files",
     api_approval_material_file,
     ROLE_BIT(ROLE_ENTERPRISE) | ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_ADMIN), ROUTE_UPLOAD},
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
