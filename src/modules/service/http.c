/* service http — routes and thin handlers for enterprise service (rules live
 * in visit.c, reception.c, tracker.c, sched.c, attach.c, stats.c): read the
 * input with the kit, call a rule function, answer. Enterprise users only
 * ever see their own enterprise's records (404 otherwise); the public form
 * link and citizen bookings act as the anonymous public even when a session
 * cookie is present, so they need no CSRF token. */
#include "app/app.h"
#include "app/ent360.h"
#include "app/field.h"
#include "app/kit.h"
#include "app/kit_list.h"
#include "modules/jobs/jobs.h"
#include "modules/service/service.h"
#include "domain/role.h"
#include "domain/service_rules.h"
#include "domain/tracker_rules.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define LEADER ROLE_BIT(ROLE_LEADER)
#define STAFF ROLE_BIT(ROLE_STAFF)
#define ENTERPRISE ROLE_BIT(ROLE_ENTERPRISE)
#define CHIEF ROLE_BIT(ROLE_CHIEF) /* his own tracker items only (tracker.c) */
#define BUREAU ROLES_BUREAU
#define VIEWERS (LEADER | ADMIN | STAFF)

static void svc_begin(struct http_req *r, struct svc_ctx *c, bool anonymous)
{
    memset(c, 0, sizeof *c);
    c->db = r->db;
    c->cfg = r->app->cfg;
    c->user = (!anonymous && r->has_session) ? &r->session.user : NULL;
    if (c->user)
        kit_actor(r, &c->actor);
    else
        c->actor = (struct audit_actor){0, "public"};
    svc_ctx_clock(c);
    c->cal = app_calendar_lock(r->app);
}

static void svc_end(struct http_req *r)
{
    app_calendar_unlock(r->app);
}

/* A write request: the kit's input (path id, body, actor, problem) and the
 * service context, the calendar lock held from begin to end. */
struct svc_write {
    struct kit_write w;
    struct svc_ctx c;
};

/* kit_write_begin, then svc_begin; false when the request was answered. */
static bool svc_write_begin(struct http_req *r, enum kit_write_path path, bool anonymous,
                            struct svc_write *s)
{
    if (!kit_write_begin(r, path, &s->w))
        return false;
    svc_begin(r, &s->c, anonymous);
    return true;
}

/* svc_end, then kit_write_end. result is an argument, so the caller's read
 * of the written record runs before the lock is released. */
static void svc_write_end(struct http_req *r, struct svc_write *s, bool created, enum err e,
                          json_t *result)
{
    svc_end(r);
    kit_write_end(r, &s->w, created, e, result);
}

typedef json_t *(*svc_get_fn)(struct svc_ctx *, int64_t);
typedef enum err (*svc_create_fn)(struct svc_ctx *, json_t *, int64_t *, struct problem *);

/* GET .../{id}: the record get reads (404 when NULL). */
static void svc_get(struct http_req *r, svc_get_fn get)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    struct svc_ctx c;
    svc_begin(r, &c, false);
    json_t *out = get(&c, id);
    svc_end(r);
    kit_answer(r, ERR_OK, NULL, out);
}

/* POST to a collection: create from the body, answer 201 with the record as
 * get reads it. */
static void svc_create(struct http_req *r, svc_create_fn create, svc_get_fn get)
{
    struct svc_write s;
    int64_t id = 0;
    if (!svc_write_begin(r, KIT_NO_ID, false, &s))
        return;
    enum err e = create(&s.c, s.w.body, &id, &s.w.p);
    svc_write_end(r, &s, true, e, e ? NULL : get(&s.c, id));
}

/* --- visits --- */

/* The visit list's export: the columns the list page shows, codes as its labels. */
static const char *const svc_visit_status_zh[] = {
    "planned", "待确认", "confirmed", "已确认", "completed", "已完成", "cancelled", "已取消", NULL};
static const struct kit_col svc_visit_cols[] = {
    KIT_NUMBER("id", "编号"),
    KIT_TEXT("enterprise_name", "企业"),
    KIT_TEXT("purpose", "走访事由"),
    KIT_TIME("planned_at", "计划时间"),
    KIT_TEXT("place", "地点"),
    KIT_TEXT("section", "科室"),
    KIT_TEXT("staff_names", "走访人员"),
    KIT_CODE("status", "状态", svc_visit_status_zh),
    KIT_TEXT("r_overall", "总体评价"),
    KIT_TIME("signed_at", "评价时间"),
};
static const struct kit_sheet svc_visit_sheet = KIT_SHEET("visits", "走访记录", svc_visit_cols);

static void api_svc_visits_list(struct http_req *r)
{
    int64_t ent = kit_query_id(r, "enterprise_id");
    char from[11], to[11];
    int64_t mine;
    bool bad;
    if (ent < 0 || kit_query_date(r, "from", from) || kit_query_date(r, "to", to) ||
        kit_query_int(r, "mine", 0, 1, 0, &mine))
        return;
    /* The statuses of svc_visits (schema.c). */
    static const char *const statuses[] = {"planned", "confirmed", "completed", "cancelled", NULL};
    const char *status = kit_query_choice(r, "status", statuses, NULL, &bad);
    if (bad)
        return;
    struct svc_ctx c;
    svc_begin(r, &c, false);
    json_t *items = svc_visit_list(&c, status, ent, from, to, mine == 1, kit_limit(r, 200, 1000));
    svc_end(r);
    kit_list(r, items ? ERR_OK : ERR_INTERNAL, NULL,
             items ? json_pack("{so}", "items", items) : NULL, &svc_visit_sheet);
}

/* A visit as the signed-in see it (not the form link's public view). */
static json_t *svc_visit_view(struct svc_ctx *c, int64_t id)
{
    return svc_visit_get(c, id, false);
}

static void api_svc_visits_create(struct http_req *r)
{
    svc_create(r, svc_visit_create, svc_visit_view);
}

static void api_svc_visit_get(struct http_req *r)
{
    svc_get(r, svc_visit_view);
}

typedef enum err (*svc_visit_fn)(struct svc_ctx *, int64_t, json_t *, struct problem *);

static void svc_visit_action(struct http_req *r, svc_visit_fn fn)
{
    struct svc_write s;
    if (!svc_write_begin(r, KIT_PATH_ID, false, &s))
        return;
    enum err e = fn(&s.c, s.w.id, s.w.body, &s.w.p);
    svc_write_end(r, &s, false, e, e ? NULL : svc_visit_view(&s.c, s.w.id));
}

static void api_svc_visit_confirm(struct http_req *r)
{
    svc_visit_action(r, svc_visit_confirm);
}

static void api_svc_visit_cancel(struct http_req *r)
{
    svc_visit_action(r, svc_visit_cancel);
}

static void api_svc_visit_record(struct http_req *r)
{
    svc_visit_action(r, svc_visit_record);
}

static enum err svc_form_by_user(struct svc_ctx *c, int64_t id, json_t *in, struct problem *p)
{
    return svc_form_submit(c, id, svc_is_bureau(c) ? "paper" : "portal", in, p);
}

static void api_svc_visit_form(struct http_req *r)
{
    svc_visit_action(r, svc_form_by_user);
}

/* The link's host: the body's base, else this request's Host header. */
static void api_svc_visit_link(struct http_req *r)
{
    struct svc_write s;
    if (!svc_write_begin(r, KIT_PATH_ID, false, &s))
        return;
    const char *b;
    json_t *out = NULL;
    enum err e = field_text(s.w.body, "base", "链接地址", 200, FIELD_OPTIONAL, &b, &s.w.p)
                     ? s.w.p.err
                     : ERR_OK;
    if (!e) {
        char base[256];
        const char *host = http_header(r, "Host");
        if (*b)
            snprintf(base, sizeof base, "%s", b);
        else
            snprintf(base, sizeof base, "http://%s", host ? host : "localhost");
        e = svc_form_link(&s.c, s.w.id, base, &out, &s.w.p);
    }
    svc_write_end(r, &s, true, e, out);
}

static void svc_upload(struct http_req *r, const char *kind, int64_t id, bool anonymous)
{
    bool bad;
    const char *name = kit_query_text(r, "name", 255, &bad);
    if (bad)
        return;
    struct svc_ctx c;
    struct problem p;
    int64_t aid = 0;
    svc_begin(r, &c, anonymous);
    enum err e =
        svc_attach_add(&c, kind, id, name, r->body.data ? r->body.data : "", r->body.len, &aid, &p);
    json_t *out = e ? NULL : svc_attach_get(&c, kind, id, aid);
    svc_end(r);
    /* Attachments are read at their own address, not below the record's. */
    char loc[64];
    snprintf(loc, sizeof loc, "/api/v1/service/attachments/%lld", (long long)aid);
    kit_created_at(r, loc, e, &p, out);
}

static void api_svc_visit_attach(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (id)
        svc_upload(r, "visit", id, false);
}

/* Bureau people to pick as visit staff or item owners. */
static void api_svc_staff(struct http_req *r)
{
    struct svc_ctx c;
    svc_begin(r, &c, false);
    json_t *items = svc_staff(&c);
    svc_end(r);
    kit_items(r, items);
}

/* --- the public form link --- */

static void api_svc_form_get(struct http_req *r)
{
    struct svc_ctx c;
    struct problem p;
    int64_t visit = 0;
    svc_begin(r, &c, true);
    enum err e = svc_form_token_visit(&c, http_query(r, "token"), &visit, &p);
    json_t *out = e ? NULL : svc_visit_get(&c, visit, true);
    svc_end(r);
    kit_answer(r, e, &p, out);
}

static void api_svc_form_post(struct http_req *r)
{
    struct svc_write s;
    if (!svc_write_begin(r, KIT_NO_ID, true, &s))
        return;
    enum err e = svc_form_submit_token(&s.c, http_query(r, "token"), s.w.body, &s.w.p);
    svc_write_end(r, &s, false, e, e ? NULL : json_pack("{sb}", "ok", 1));
}

static void api_svc_form_attach(struct http_req *r)
{
    struct svc_ctx c;
    struct problem p;
    int64_t visit = 0;
    svc_begin(r, &c, true);
    enum err e = svc_form_token_visit(&c, http_query(r, "token"), &visit, &p);
    svc_end(r);
    if (e)
        kit_answer(r, e, &p, NULL);
    else
        svc_upload(r, "visit", visit, true);
}

static void api_svc_meta(struct http_req *r)
{
    json_t *levels = json_array(), *aspects = json_array(), *purposes = json_array(),
           *cats = json_array();
    for (int l = SERVICE_RATING_MAX; l >= SERVICE_RATING_MIN; l--)
        json_array_append_new(levels,
                              json_pack("{si ss sb}", "value", l, "label", service_rating_name(l),
                                        "bad", l <= SERVICE_RATING_BAD_MAX));
    size_t n;
    const struct service_aspect *a = service_aspects(&n);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(aspects, json_pack("{ss ss}", "key", a[i].key, "label", a[i].label));
    for (const char *const *s = service_purposes; *s; s++)
        json_array_append_new(purposes, json_string(*s));
    for (const char *const *s = service_categories; *s; s++)
        json_array_append_new(cats, json_string(*s));
    kit_answer(r, ERR_OK, NULL,
               json_pack("{so so so so sI sI si}", "rating_levels", levels, "aspects", aspects,
                         "purposes", purposes, "categories", cats, "bad_review_workdays",
                         (json_int_t)r->app->cfg->bad_review_workdays, "attachment_max",
                         (json_int_t)SERVICE_ATTACH_MAX, "warn_percent", TRACKER_WARN_PERCENT));
}

/* --- reception days --- */

static void api_svc_days_list(struct http_req *r)
{
    int64_t year, upcoming;
    if (kit_query_int(r, "year", 0, 9999, 0, &year) ||
        kit_query_int(r, "upcoming", 0, 1, 0, &upcoming))
        return;
    struct svc_ctx c;
    svc_begin(r, &c, false);
    json_t *items = svc_day_list(&c, (int)year, upcoming == 1);
    svc_end(r);
    kit_items(r, items);
}

static void api_svc_days_create(struct http_req *r)
{
    svc_create(r, svc_day_create, svc_day_get);
}

static void api_svc_day_get(struct http_req *r)
{
    svc_get(r, svc_day_get);
}

static void svc_day_entry(struct http_req *r, const char *kind, bool anonymous)
{
    struct svc_write s;
    int64_t eid = 0;
    if (!svc_write_begin(r, KIT_PATH_ID, anonymous, &s))
        return;
    enum err e = anonymous ? svc_public_entry_add(&s.c, s.w.id, s.w.body, &eid, &s.w.p)
                           : svc_entry_add(&s.c, s.w.id, kind, s.w.body, &eid, &s.w.p);
    svc_write_end(r, &s, true, e, e ? NULL : json_pack("{sI}", "id", (json_int_t)eid));
}

static void api_svc_day_book(struct http_req *r)
{
    svc_day_entry(r, "booking", false);
}

static void api_svc_public_book(struct http_req *r)
{
    svc_day_entry(r, "booking", true);
}

static void api_svc_day_walkin(struct http_req *r)
{
    svc_day_entry(r, "walkin", false);
}

static void api_svc_day_issue(struct http_req *r)
{
    struct svc_write s;
    int64_t iid = 0;
    if (!svc_write_begin(r, KIT_PATH_ID, false, &s))
        return;
    enum err e = svc_day_issue(&s.c, s.w.id, s.w.body, &iid, &s.w.p);
    svc_write_end(r, &s, true, e, e ? NULL : svc_day_get(&s.c, s.w.id));
}

static void api_svc_entry_receive(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    struct svc_ctx c;
    struct problem p;
    svc_begin(r, &c, false);
    enum err e = svc_entry_receive(&c, id, &p);
    svc_end(r);
    kit_answer(r, e, &p, e ? NULL : json_pack("{sb}", "ok", 1));
}

/* --- tracker --- */

/* The tracker's export: the columns the tracker page shows, codes as its labels. */
static const char *const svc_item_status_zh[] = {"open",   "办理中", "submitted", "待审核",
                                                 "closed", "已办结", NULL};
static const char *const svc_item_state_zh[] = {"on_time", "正常", "warning", "预警", "overdue",
                                                "超期",    "done", "已办结",  NULL};
static const char *const svc_item_source_zh[] = {"service_form",
                                                 "上门服务承诺",
                                                 "bad_review",
                                                 "差评整改",
                                                 "reception",
                                                 "接待日交办",
                                                 "leader",
                                                 "领导交办",
                                                 "responsibility",
                                                 "责任清单",
                                                 "inspection",
                                                 "督察反馈整改",
                                                 "river_patrol",
                                                 "巡河发现",
                                                 "river_citizen",
                                                 "河长公示牌举报",
                                                 "river_section",
                                                 "断面水质不达标",
                                                 NULL};
static const struct kit_col svc_item_cols[] = {
    KIT_NUMBER("id", "编号"),
    KIT_CODE("source", "来源", svc_item_source_zh),
    KIT_TEXT("title", "事项"),
    KIT_TEXT("enterprise_name", "企业"),
    KIT_TEXT("owner_section", "责任科室"),
    KIT_TEXT("owner_user", "责任人"),
    KIT_TEXT("start_day", "交办日期"),
    KIT_TEXT("deadline", "办理期限"),
    KIT_CODE("status", "状态", svc_item_status_zh),
    KIT_CODE("state", "办理情况", svc_item_state_zh),
    KIT_TEXT("closed_day", "办结日期"),
};
const struct kit_sheet svc_item_sheet = KIT_SHEET("tracker", "督办事项", svc_item_cols);

/* The tracker list's filters from the query (the list and its export job
 * read the same ones); NULL when refused (answered 422). */
static json_t *svc_tracker_filter(struct http_req *r)
{
    int64_t section = kit_query_id(r, "section_id"), ent = kit_query_id(r, "enterprise_id");
    int64_t mine;
    if (section < 0 || ent < 0 || kit_query_int(r, "mine", 0, 1, 0, &mine))
        return NULL;
    /* The item statuses and sources of svc_tracker (schema.c), the live
     * states of tracker_state_name. */
    static const char *const statuses[] = {"open", "submitted", "closed", NULL};
    static const char *const states[] = {"on_time", "warning", "overdue", "done", NULL};
    static const char *const sources[] = {
        "service_form", "bad_review",   "reception",     "leader",        "responsibility",
        "inspection",   "river_patrol", "river_citizen", "river_section", NULL};
    static const struct {
        const char *key;
        const char *const *choices;
    } filters[] = {{"status", statuses}, {"state", states}, {"source", sources}};
    json_t *f = json_object();
    for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
        bool bad;
        const char *v = kit_query_choice(r, filters[i].key, filters[i].choices, NULL, &bad);
        if (bad) {
            json_decref(f);
            return NULL;
        }
        if (v)
            json_object_set_new(f, filters[i].key, json_string(v));
    }
    json_object_set_new(f, "section_id", json_integer(section));
    json_object_set_new(f, "enterprise_id", json_integer(ent));
    json_object_set_new(f, "mine", json_boolean(mine == 1));
    return f;
}

static void api_svc_tracker_list(struct http_req *r)
{
    json_t *f = svc_tracker_filter(r);
    if (!f)
        return;
    struct svc_ctx c;
    svc_begin(r, &c, false);
    svc_tracker_sweep(&c);
    json_t *items = svc_item_list(&c, f, kit_limit(r, 500, 5000));
    svc_end(r);
    json_decref(f);
    kit_list(r, items ? ERR_OK : ERR_INTERNAL, NULL,
             items ? json_pack("{so}", "items", items) : NULL, &svc_item_sheet);
}

/* The tracker list (the same filters) as an xlsx written by a job
 * (tracker_export.c): 201 with the job, whose result is the workbook. */
static void api_svc_tracker_export_job(struct http_req *r)
{
    json_t *f = svc_tracker_filter(r);
    if (!f)
        return;
    struct jobs_viewer owner = {r->session.user.id, r->session.user.username,
                                r->session.user.role == ROLE_ADMIN};
    struct problem p = {0};
    int64_t id = 0;
    enum err e = svc_tracker_export_submit(r->db, &owner, f, &id, &p);
    json_decref(f);
    char location[64];
    snprintf(location, sizeof location, "/api/v1/jobs/%lld", (long long)id);
    json_t *job = e == ERR_OK ? jobs_get(r->db, id, NULL, &e) : NULL;
    kit_created_at(r, location, e, &p, job);
}

static void api_svc_tracker_create(struct http_req *r)
{
    svc_create(r, svc_item_create, svc_item_get);
}

static void api_svc_tracker_get(struct http_req *r)
{
    svc_get(r, svc_item_view);
}

static void api_svc_tracker_act(struct http_req *r)
{
    static const char *const actions[] = {"progress", "submit", "review", "reopen", NULL};
    const char *kind = r->params[1];
    size_t i = 0;
    while (actions[i] && strcmp(kind, actions[i]))
        i++;
    if (!actions[i]) {
        kit_answer(r, ERR_OK, NULL, NULL); /* no such action: 404 */
        return;
    }
    struct svc_write s;
    if (!svc_write_begin(r, KIT_PATH_ID, false, &s))
        return;
    enum err e = svc_item_act(&s.c, s.w.id, kind, s.w.body, &s.w.p);
    svc_write_end(r, &s, false, e, e ? NULL : svc_item_get(&s.c, s.w.id));
}

static void api_svc_tracker_attach(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (id)
        svc_upload(r, "tracker", id, false);
}

static void api_svc_attachment_get(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0), inline_view = 0;
    if (!id || kit_query_int(r, "inline", 0, 1, 0, &inline_view))
        return;
    struct svc_ctx c;
    int fd = -1;
    uint64_t size = 0;
    char mime[128], disp[1024];
    svc_begin(r, &c, false);
    enum err e = svc_attach_open(&c, id, &fd, &size, mime, sizeof mime, disp, sizeof disp);
    svc_end(r);
    if (e) {
        kit_answer(r, e, NULL, NULL);
        return;
    }
    /* ?inline=1: a PDF or an image shown in the browser (preview) rather
     * than saved; the type was sniffed from the bytes, so nothing else is */
    if (inline_view &&
        (!strcmp(mime, "application/pdf") || !strcmp(mime, "image/png") ||
         !strcmp(mime, "image/jpeg")) &&
        !strncmp(disp, "attachment;", 11)) {
        char shown[1024];
        snprintf(shown, sizeof shown, "inline;%s", disp + 11);
        http_add_header(r, "Content-Disposition", shown);
    } else {
        http_add_header(r, "Content-Disposition", disp);
    }
    http_add_header(r, "Cache-Control", "private, no-store");
    /* The stored type was sniffed from the bytes; this header is the one the
     * browser must follow. */
    http_fd(r, 200, fd, size, mime);
}

static void api_svc_notifications(struct http_req *r)
{
    int64_t unread;
    if (kit_query_int(r, "unread", 0, 1, 0, &unread))
        return;
    struct svc_ctx c;
    svc_begin(r, &c, false);
    if (svc_is_bureau(&c))
        svc_tracker_sweep(&c);
    json_t *out = svc_notifications(&c, unread == 1, kit_limit(r, 50, 500));
    svc_end(r);
    kit_answer(r, ERR_OK, NULL, out);
}

static void api_svc_notifications_read(struct http_req *r)
{
    struct svc_write s;
    if (!svc_write_begin(r, KIT_NO_ID, false, &s))
        return;
    enum err e = svc_notifications_read(&s.c, s.w.body, &s.w.p);
    svc_write_end(r, &s, false, e, e ? NULL : json_pack("{sb}", "ok", 1));
}

/* --- statistics --- */

/* from/to (default this year, at most ten years apart); -1 when answered. */
static int svc_period(struct http_req *r, int32_t today, int32_t *from, int32_t *to)
{
    char f[11], t[11];
    if (kit_query_date(r, "from", f) || kit_query_date(r, "to", t))
        return -1;
    int y = calendar_year_of(today);
    *from = calendar_day_from_ymd(y, 1, 1);
    *to = calendar_day_from_ymd(y, 12, 31);
    if (*f)
        calendar_parse_date(f, from);
    if (*t)
        calendar_parse_date(t, to);
    if (*to < *from || *to - *from > 3660) {
        struct problem p;
        problem_set(&p, ERR_INVALID_FIELD, "from", "统计区间须为 YYYY-MM-DD，且起止不超过十年");
        kit_answer(r, p.err, &p, NULL);
        return -1;
    }
    return 0;
}

static void api_svc_stats(struct http_req *r)
{
    struct svc_ctx c;
    int32_t from, to;
    bool bad;
    static const char *const groups[] = {"section", "staff", NULL};
    const char *group = kit_query_choice(r, "group", groups, "section", &bad);
    if (bad)
        return;
    svc_begin(r, &c, false);
    int rc = svc_period(r, c.today, &from, &to);
    json_t *out = rc ? NULL : svc_stats(&c, group, from, to);
    svc_end(r);
    if (!rc)
        kit_answer(r, out ? ERR_OK : ERR_INTERNAL, NULL, out);
}

static void api_svc_dashboard(struct http_req *r)
{
    int64_t year;
    struct svc_ctx c;
    svc_begin(r, &c, false);
    if (kit_query_int(r, "year", 2000, 9999, calendar_year_of(c.today), &year)) {
        svc_end(r);
        return;
    }
    svc_tracker_sweep(&c);
    json_t *out = svc_dashboard(&c, (int)year);
    svc_end(r);
    kit_answer(r, out ? ERR_OK : ERR_INTERNAL, NULL, out);
}

/* year (default this year) and quarter (default this quarter); -1 answered. */
static int svc_year_quarter(struct http_req *r, int32_t today, int *year, int *quarter)
{
    int y, m, d;
    int64_t yv, qv;
    calendar_ymd(today, &y, &m, &d);
    if (kit_query_int(r, "year", 2000, 9999, y, &yv) ||
        kit_query_int(r, "quarter", 1, 4, (m - 1) / 3 + 1, &qv))
        return -1;
    *year = (int)yv;
    *quarter = (int)qv;
    return 0;
}

/* The quarterly (季度调度) or the annual report for ?year (&quarter). */
static void svc_report(struct http_req *r, bool quarterly)
{
    struct svc_ctx c;
    int year, q;
    svc_begin(r, &c, false);
    int rc = svc_year_quarter(r, c.today, &year, &q);
    json_t *out = rc ? NULL : quarterly ? svc_quarterly(&c, year, q) : svc_annual(&c, year);
    svc_end(r);
    if (!rc)
        kit_answer(r, out ? ERR_OK : ERR_INTERNAL, NULL, out);
}

static void api_svc_quarterly(struct http_req *r)
{
    svc_report(r, true);
}

static void api_svc_annual(struct http_req *r)
{
    svc_report(r, false);
}

static void svc_export(struct http_req *r, const char *kind, const char *filename,
                       const char *filename_utf8)
{
    struct svc_ctx c;
    int year, q;
    int32_t from = 0, to = 0;
    svc_begin(r, &c, false);
    if (svc_year_quarter(r, c.today, &year, &q) ||
        (!strcmp(kind, "stats") && svc_period(r, c.today, &from, &to))) {
        svc_end(r);
        return;
    }
    char path[HTTP_TEMP_PATH];
    int fd = http_temp_file(path, "svc");
    int rc = fd < 0 ? -1 : 0;
    if (fd >= 0)
        close(fd);
    if (!rc)
        rc = svc_export_xlsx(&c, kind, year, q, from, to, path);
    svc_end(r);
    if (rc) {
        if (path[0])
            unlink(path);
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    char disp[256];
    snprintf(disp, sizeof disp, "attachment; filename=\"%s\"; filename*=UTF-8''%s", filename,
             filename_utf8);
    kit_file(r, path, KIT_XLSX, disp);
}

static void api_svc_quarterly_xlsx(struct http_req *r)
{
    svc_export(r, "quarterly", "quarterly.xlsx",
               "%E5%AD%A3%E5%BA%A6%E8%B0%83%E5%BA%A6.xlsx"); /* 季度调度 */
}

static void api_svc_annual_xlsx(struct http_req *r)
{
    svc_export(r, "annual", "annual.xlsx",
               "%E5%B9%B4%E5%BA%A6%E7%BB%9F%E8%AE%A1.xlsx"); /* 年度统计 */
}

static void api_svc_stats_xlsx(struct http_req *r)
{
    svc_export(r, "stats", "service-stats.xlsx",
               "%E6%9C%8D%E5%8A%A1%E7%BB%9F%E8%AE%A1.xlsx"); /* 服务统计 */
}

/* The enterprise-service section of the 360° page. */
json_t *svc_ent360(struct http_req *r, int64_t enterprise_id)
{
    struct svc_ctx c;
    svc_begin(r, &c, false);
    json_t *out = svc_enterprise_summary(&c, enterprise_id);
    svc_end(r);
    return out;
}

static const struct route table[] = {
    {HTTP_GET, "/api/v1/service/meta", api_svc_meta, ROLES_ANY, 0},
    {HTTP_GET, "/api/v1/service/staff", api_svc_staff, BUREAU, 0},
    {HTTP_GET, "/api/v1/service/visits", api_svc_visits_list, ROLES_LOGGED_IN, 0},
    {HTTP_POST, "/api/v1/service/visits", api_svc_visits_create, BUREAU, 0},
    {HTTP_GET, "/api/v1/service/visits/{id}", api_svc_visit_get, ROLES_LOGGED_IN, 0},
    {HTTP_POST, "/api/v1/service/visits/{id}/confirm", api_svc_visit_confirm, BUREAU | ENTERPRISE,
     0},
    {HTTP_POST, "/api/v1/service/visits/{id}/cancel", api_svc_visit_cancel, BUREAU, 0},
    {HTTP_POST, "/api/v1/service/visits/{id}/record", api_svc_visit_record, BUREAU, 0},
    {HTTP_POST, "/api/v1/service/visits/{id}/form", api_svc_visit_form, BUREAU | ENTERPRISE, 0},
    {HTTP_POST, "/api/v1/service/visits/{id}/link", api_svc_visit_link, BUREAU | ENTERPRISE, 0},
    {HTTP_POST, "/api/v1/service/visits/{id}/attachments", api_svc_visit_attach,
     BUREAU | ENTERPRISE, ROUTE_UPLOAD},
    {HTTP_GET, "/api/v1/service/form", api_svc_form_get, ROLES_ANY, 0},
    {HTTP_POST, "/api/v1/service/form", api_svc_form_post, ROLES_ANY, ROUTE_NO_CSRF},
    {HTTP_POST, "/api/v1/service/form/attachments", api_svc_form_attach, ROLES_ANY,
     ROUTE_NO_CSRF | ROUTE_UPLOAD},
    {HTTP_GET, "/api/v1/service/reception-days", api_svc_days_list, ROLES_ANY, 0},
    {HTTP_POST, "/api/v1/service/reception-days", api_svc_days_create, BUREAU, 0},
    {HTTP_GET, "/api/v1/service/reception-days/{id}", api_svc_day_get, ROLES_LOGGED_IN, 0},
    {HTTP_POST, "/api/v1/service/reception-days/{id}/bookings", api_svc_day_book,
     BUREAU | ENTERPRISE, 0},
    {HTTP_POST, "/api/v1/service/reception-days/{id}/public-bookings", api_svc_public_book,
     ROLES_ANY, ROUTE_NO_CSRF},
    {HTTP_POST, "/api/v1/service/reception-days/{id}/walk-ins", api_svc_day_walkin, BUREAU, 0},
    {HTTP_POST, "/api/v1/service/reception-days/{id}/issues", api_svc_day_issue, BUREAU, 0},
    {HTTP_POST, "/api/v1/service/reception-entries/{id}/receive", api_svc_entry_receive, BUREAU, 0},
    {HTTP_GET, "/api/v1/service/tracker", api_svc_tracker_list, BUREAU | CHIEF, 0},
    {HTTP_POST, "/api/v1/service/tracker", api_svc_tracker_create, BUREAU, 0},
    {HTTP_POST, "/api/v1/service/tracker/export-jobs", api_svc_tracker_export_job, BUREAU, 0},
    {HTTP_GET, "/api/v1/service/tracker/{id}", api_svc_tracker_get, BUREAU | CHIEF, 0},
    {HTTP_POST, "/api/v1/service/tracker/{id}/attachments", api_svc_tracker_attach, BUREAU | CHIEF,
     ROUTE_UPLOAD},
    {HTTP_POST, "/api/v1/service/tracker/{id}/{action}", api_svc_tracker_act, BUREAU | CHIEF, 0},
    {HTTP_GET, "/api/v1/service/attachments/{id}", api_svc_attachment_get, ROLES_SIGNED_IN, 0},
    {HTTP_GET, "/api/v1/service/notifications", api_svc_notifications, ROLES_SIGNED_IN, 0},
    {HTTP_POST, "/api/v1/service/notifications/read", api_svc_notifications_read, ROLES_SIGNED_IN,
     0},
    {HTTP_GET, "/api/v1/service/stats", api_svc_stats, VIEWERS, 0},
    {HTTP_GET, "/api/v1/service/stats.xlsx", api_svc_stats_xlsx, VIEWERS, 0},
    {HTTP_GET, "/api/v1/service/dashboard", api_svc_dashboard, VIEWERS, 0},
    {HTTP_GET, "/api/v1/service/quarterly", api_svc_quarterly, VIEWERS, 0},
    {HTTP_GET, "/api/v1/service/quarterly.xlsx", api_svc_quarterly_xlsx, VIEWERS, 0},
    {HTTP_GET, "/api/v1/service/annual", api_svc_annual, VIEWERS, 0},
    {HTTP_GET, "/api/v1/service/annual.xlsx", api_svc_annual_xlsx, VIEWERS, 0},
    {HTTP_GET, "/api/v1/enterprises/{id}/360", api_ent360_get, ROLES_LOGGED_IN, 0},
};

const struct route_group app_service_routes = ROUTE_GROUP("service", table);
