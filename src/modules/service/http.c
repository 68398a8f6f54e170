/* api_service — HTTP glue for enterprise service (rules live in service*.c):
 * visits and service forms, the public form link, reception days, the
 * tracker, attachments, notifications, statistics and exports. Enterprise
 * users only ever see their own enterprise's records (404 otherwise); the
 * public form link and citizen bookings act as the anonymous public even when
 * a session cookie is present, so they need no CSRF token. */
#include "app/app.h"
#include "app/kit.h"
#include "app/ent360.h"
#include "modules/service/service.h"
#include "domain/service_rules.h"
#include "domain/tracker_rules.h"
#include "db/db.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define LEADER ROLE_BIT(ROLE_LEADER)
#define STAFF ROLE_BIT(ROLE_STAFF)
#define ENTERPRISE ROLE_BIT(ROLE_ENTERPRISE)
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

static void svc_answer(struct http_req *r, enum err e, const struct problem *p, int status,
                       json_t *ok)
{
    if (e) {
        json_decref(ok);
        http_error(r, e, p->message[0] ? p->message : NULL, p->field);
    } else if (ok) {
        http_json(r, status, ok);
    } else {
        http_error(r, ERR_NOT_FOUND, NULL, NULL);
    }
}

static int svc_query_int(struct http_req *r, const char *key, int lo, int hi, int def, int *out)
{
    const char *s = http_query(r, key);
    if (!s || !*s) {
        *out = def;
        return 0;
    }
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < lo || v > hi) {
        http_error(r, ERR_INVALID_FIELD, "查询参数超出范围", key);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* --- visits --- */

static void api_svc_visits_list(struct http_req *r)
{
    int64_t ent = kit_query_id(r, "enterprise_id");
    if (ent < 0)
        return;
    struct svc_ctx c;
    svc_begin(r, &c, false);
    const char *mine = http_query(r, "mine");
    json_t *items =
        svc_visit_list(&c, http_query(r, "status"), ent, http_query(r, "from"), http_query(r, "to"),
                       mine && !strcmp(mine, "1"), kit_limit(r, 200, 1000));
    svc_end(r);
    if (!items)
        http_error(r, ERR_INVALID_FIELD, "日期须为 YYYY-MM-DD", "from");
    else
        http_json(r, 200, json_pack("{so}", "items", items));
}

static void api_svc_visits_create(struct http_req *r)
{
    json_t *body = http_body_json(r);
    if (!body)
        return;
    struct svc_ctx c;
    struct problem p;
    int64_t id = 0;
    svc_begin(r, &c, false);
    enum err e = svc_visit_create(&c, body, &id, &p);
    json_t *out = e ? NULL : svc_visit_get(&c, id, false);
    svc_end(r);
    json_decref(body);
    svc_answer(r, e, &p, 201, out);
}

static void api_svc_visit_get(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    struct svc_ctx c;
    svc_begin(r, &c, false);
    json_t *v = svc_visit_get(&c, id, false);
    svc_end(r);
    struct problem p = {0};
    svc_answer(r, ERR_OK, &p, 200, v);
}

typedef enum err (*svc_visit_fn)(struct svc_ctx *, int64_t, json_t *, struct problem *);

static void svc_visit_action(struct http_req *r, svc_visit_fn fn)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    json_t *body = http_body_json(r);
    if (!body)
        return;
    struct svc_ctx c;
    struct problem p;
    svc_begin(r, &c, false);
    enum err e = fn(&c, id, body, &p);
    json_t *out = e ? NULL : svc_visit_get(&c, id, false);
    svc_end(r);
    json_decref(body);
    svc_answer(r, e, &p, 200, out);
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
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    json_t *body = http_body_json(r);
    if (!body)
        return;
    char base[256];
    const char *b = json_string_value(json_object_get(body, "base"));
    const char *host = http_header(r, "Host");
    if (b)
        snprintf(base, sizeof base, "%s", b);
    else
        snprintf(base, sizeof base, "http://%s", host ? host : "localhost");
    struct svc_ctx c;
    struct problem p;
    json_t *out = NULL;
    svc_begin(r, &c, false);
    enum err e = svc_form_link(&c, id, base, &out, &p);
    svc_end(r);
    json_decref(body);
    svc_answer(r, e, &p, 201, out);
}

static void svc_upload(struct http_req *r, const char *kind, int64_t id, bool anonymous)
{
    struct svc_ctx c;
    struct problem p;
    int64_t aid = 0;
    svc_begin(r, &c, anonymous);
    enum err e = svc_attach_add(&c, kind, id, http_query(r, "name"),
                                r->body.data ? r->body.data : "", r->body.len, &aid, &p);
    json_t *out = NULL;
    if (!e) {
        json_t *all = svc_attach_list(&c, kind, id);
        size_t i;
        json_t *a;
        json_array_foreach(all, i, a) if (json_integer_value(json_object_get(a, "id")) == aid) out =
            json_incref(a);
        json_decref(all);
    }
    svc_end(r);
    svc_answer(r, e, &p, 201, out);
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
    sqlite3_stmt *st = db_stmt(r->db, "SELECT u.id, u.display_name, u.role, u.section_id, s.name "
                                      "AS section FROM users u LEFT JOIN sections s ON s.id = "
                                      "u.section_id WHERE u.role IN ('staff', 'leader') AND "
                                      "u.disabled = 0 ORDER BY u.section_id, u.id");
    if (!st) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_json(r, 200, json_pack("{so}", "items", svc_rows(st)));
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
    svc_answer(r, e, &p, 200, out);
}

static void api_svc_form_post(struct http_req *r)
{
    json_t *body = http_body_json(r);
    if (!body)
        return;
    struct svc_ctx c;
    struct problem p;
    svc_begin(r, &c, true);
    enum err e = svc_form_submit_token(&c, http_query(r, "token"), body, &p);
    svc_end(r);
    json_decref(body);
    svc_answer(r, e, &p, 200, e ? NULL : json_pack("{sb}", "ok", 1));
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
        http_error(r, e, p.message, p.field);
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
    http_json(r, 200,
              json_pack("{so so so so sI sI si}", "rating_levels", levels, "aspects", aspects,
                        "purposes", purposes, "categories", cats, "bad_review_workdays",
                        (json_int_t)r->app->cfg->bad_review_workdays, "attachment_max",
                        (json_int_t)SERVICE_ATTACH_MAX, "warn_percent", TRACKER_WARN_PERCENT));
}

/* --- reception days --- */

static void api_svc_days_list(struct http_req *r)
{
    int year;
    if (svc_query_int(r, "year", 0, 9999, 0, &year))
        return;
    const char *up = http_query(r, "upcoming");
    struct svc_ctx c;
    svc_begin(r, &c, false);
    json_t *items = svc_day_list(&c, year, (up && !strcmp(up, "1")) || !r->has_session);
    svc_end(r);
    if (items && !r->has_session) { /* the public sees the schedule, not the counts */
        size_t i;
        json_t *d;
        json_array_foreach(items, i, d)
        {
            json_object_del(d, "received");
            json_object_del(d, "issues");
        }
    }
    struct problem p = {0};
    svc_answer(r, ERR_OK, &p, 200, items ? json_pack("{so}", "items", items) : NULL);
}

static void api_svc_days_create(struct http_req *r)
{
    json_t *body = http_body_json(r);
    if (!body)
        return;
    struct svc_ctx c;
    struct problem p;
    int64_t id = 0;
    svc_begin(r, &c, false);
    enum err e = svc_day_create(&c, body, &id, &p);
    json_t *out = e ? NULL : svc_day_get(&c, id);
    svc_end(r);
    json_decref(body);
    svc_answer(r, e, &p, 201, out);
}

static void api_svc_day_get(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    struct svc_ctx c;
    svc_begin(r, &c, false);
    json_t *d = svc_day_get(&c, id);
    svc_end(r);
    struct problem p = {0};
    svc_answer(r, ERR_OK, &p, 200, d);
}

static void svc_day_entry(struct http_req *r, const char *kind, bool anonymous)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    json_t *body = http_body_json(r);
    if (!body)
        return;
    struct svc_ctx c;
    struct problem p;
    int64_t eid = 0;
    svc_begin(r, &c, anonymous);
    enum err e = ERR_OK;
    if (anonymous) {
        json_t *day = svc_day_get(&c, id);
        const char *k = json_string_value(json_object_get(day, "kind"));
        if (!day)
            e = (svc_fail(&p, ERR_NOT_FOUND, NULL, "接待日不存在"), p.err);
        else if (strcmp(k, "public"))
            e = (svc_fail(&p, ERR_INVALID_FIELD, NULL, "服务企业接待日请登录企业服务门户预约"),
                 p.err);
        json_object_del(body, "enterprise_id");
        json_decref(day);
    }
    if (!e)
        e = svc_entry_add(&c, id, kind, body, &eid, &p);
    svc_end(r);
    json_decref(body);
    svc_answer(r, e, &p, 201, e ? NULL : json_pack("{sI}", "id", (json_int_t)eid));
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
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    json_t *body = http_body_json(r);
    if (!body)
        return;
    struct svc_ctx c;
    struct problem p;
    int64_t iid = 0;
    svc_begin(r, &c, false);
    enum err e = svc_day_issue(&c, id, body, &iid, &p);
    json_t *out = e ? NULL : svc_day_get(&c, id);
    svc_end(r);
    json_decref(body);
    svc_answer(r, e, &p, 201, out);
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
    svc_answer(r, e, &p, 200, e ? NULL : json_pack("{sb}", "ok", 1));
}

/* --- tracker --- */

static void api_svc_tracker_list(struct http_req *r)
{
    int64_t section = kit_query_id(r, "section_id"), ent = kit_query_id(r, "enterprise_id");
    if (section < 0 || ent < 0)
        return;
    json_t *f = json_object();
    static const char *const keys[] = {"status", "state", "source"};
    for (size_t i = 0; i < 3; i++) {
        const char *v = http_query(r, keys[i]);
        if (v && *v && strlen(v) < 32)
            json_object_set_new(f, keys[i], json_string(v));
    }
    json_object_set_new(f, "section_id", json_integer(section));
    json_object_set_new(f, "enterprise_id", json_integer(ent));
    const char *mine = http_query(r, "mine");
    json_object_set_new(f, "mine", json_boolean(mine && !strcmp(mine, "1")));
    struct svc_ctx c;
    svc_begin(r, &c, false);
    svc_tracker_sweep(&c);
    json_t *items = svc_item_list(&c, f, kit_limit(r, 500, 5000));
    svc_end(r);
    json_decref(f);
    struct problem p = {0};
    svc_answer(r, ERR_OK, &p, 200, items ? json_pack("{so}", "items", items) : NULL);
}

static void api_svc_tracker_create(struct http_req *r)
{
    json_t *body = http_body_json(r);
    if (!body)
        return;
    struct svc_ctx c;
    struct problem p;
    int64_t id = 0;
    svc_begin(r, &c, false);
    enum err e = svc_item_create(&c, body, &id, &p);
    json_t *out = e ? NULL : svc_item_get(&c, id);
    svc_end(r);
    json_decref(body);
    svc_answer(r, e, &p, 201, out);
}

static void api_svc_tracker_get(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    struct svc_ctx c;
    svc_begin(r, &c, false);
    json_t *it = svc_item_get(&c, id);
    svc_end(r);
    struct problem p = {0};
    svc_answer(r, ERR_OK, &p, 200, it);
}

static void api_svc_tracker_act(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    const char *kind = r->params[1];
    if (strcmp(kind, "progress") && strcmp(kind, "submit") && strcmp(kind, "review") &&
        strcmp(kind, "reopen")) {
        http_error(r, ERR_NOT_FOUND, NULL, NULL);
        return;
    }
    json_t *body = http_body_json(r);
    if (!body)
        return;
    struct svc_ctx c;
    struct problem p;
    svc_begin(r, &c, false);
    enum err e = svc_item_act(&c, id, kind, body, &p);
    json_t *out = e ? NULL : svc_item_get(&c, id);
    svc_end(r);
    json_decref(body);
    svc_answer(r, e, &p, 200, out);
}

static void api_svc_tracker_attach(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (id)
        svc_upload(r, "tracker", id, false);
}

static void api_svc_attachment_get(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    struct svc_ctx c;
    int fd = -1;
    uint64_t size = 0;
    char mime[128], disp[1024];
    svc_begin(r, &c, false);
    enum err e = svc_attach_open(&c, id, &fd, &size, mime, sizeof mime, disp, sizeof disp);
    svc_end(r);
    if (e) {
        http_error(r, e, NULL, NULL);
        return;
    }
    http_add_header(r, "Content-Disposition", disp);
    http_add_header(r, "Cache-Control", "private, no-store");
    /* The stored type was sniffed from the bytes; this header is the one the
     * browser must follow. */
    http_fd(r, 200, fd, size, strcmp(mime, "application/pdf") ? mime : "application/pdf");
}

static void api_svc_notifications(struct http_req *r)
{
    const char *unread = http_query(r, "unread");
    struct svc_ctx c;
    svc_begin(r, &c, false);
    if (svc_is_bureau(&c))
        svc_tracker_sweep(&c);
    json_t *out = svc_notifications(&c, unread && !strcmp(unread, "1"), kit_limit(r, 50, 500));
    svc_end(r);
    struct problem p = {0};
    svc_answer(r, ERR_OK, &p, 200, out);
}

static void api_svc_notifications_read(struct http_req *r)
{
    json_t *body = http_body_json(r);
    if (!body)
        return;
    struct svc_ctx c;
    struct problem p;
    svc_begin(r, &c, false);
    enum err e = svc_notifications_read(&c, body, &p);
    svc_end(r);
    json_decref(body);
    svc_answer(r, e, &p, 200, e ? NULL : json_pack("{sb}", "ok", 1));
}

/* --- statistics --- */

static int svc_period(struct http_req *r, int32_t today, int32_t *from, int32_t *to)
{
    const char *f = http_query(r, "from"), *t = http_query(r, "to");
    int y = calendar_year_of(today);
    *from = calendar_day_from_ymd(y, 1, 1);
    *to = calendar_day_from_ymd(y, 12, 31);
    if ((f && *f && calendar_parse_date(f, from)) || (t && *t && calendar_parse_date(t, to)) ||
        *to < *from || *to - *from > 3660) {
        http_error(r, ERR_INVALID_FIELD, "统计区间须为 YYYY-MM-DD，且起止不超过十年", "from");
        return -1;
    }
    return 0;
}

static void api_svc_stats(struct http_req *r)
{
    struct svc_ctx c;
    int32_t from, to;
    svc_begin(r, &c, false);
    json_t *out = NULL;
    if (!svc_period(r, c.today, &from, &to))
        out = svc_stats(&c, http_query(r, "group"), from, to);
    svc_end(r);
    if (!r->status) {
        struct problem p = {0};
        svc_answer(r, out ? ERR_OK : ERR_INTERNAL, &p, 200, out);
    }
}

static void api_svc_dashboard(struct http_req *r)
{
    int year;
    struct svc_ctx c;
    svc_begin(r, &c, false);
    if (svc_query_int(r, "year", 2000, 9999, calendar_year_of(c.today), &year)) {
        svc_end(r);
        return;
    }
    svc_tracker_sweep(&c);
    json_t *out = svc_dashboard(&c, year);
    svc_end(r);
    struct problem p = {0};
    svc_answer(r, out ? ERR_OK : ERR_INTERNAL, &p, 200, out);
}

/* year (default this year) and quarter (default this quarter); -1 answered. */
static int svc_year_quarter(struct http_req *r, int32_t today, int *year, int *quarter)
{
    int y, m, d;
    calendar_ymd(today, &y, &m, &d);
    if (svc_query_int(r, "year", 2000, 9999, y, year) ||
        svc_query_int(r, "quarter", 1, 4, (m - 1) / 3 + 1, quarter))
        return -1;
    return 0;
}

static void api_svc_quarterly(struct http_req *r)
{
    struct svc_ctx c;
    int year, q;
    svc_begin(r, &c, false);
    json_t *out = svc_year_quarter(r, c.today, &year, &q) ? NULL : svc_quarterly(&c, year, q);
    svc_end(r);
    if (!r->status) {
        struct problem p = {0};
        svc_answer(r, out ? ERR_OK : ERR_INTERNAL, &p, 200, out);
    }
}

static void api_svc_annual(struct http_req *r)
{
    struct svc_ctx c;
    int year, q;
    svc_begin(r, &c, false);
    json_t *out = svc_year_quarter(r, c.today, &year, &q) ? NULL : svc_annual(&c, year);
    svc_end(r);
    if (!r->status) {
        struct problem p = {0};
        svc_answer(r, out ? ERR_OK : ERR_INTERNAL, &p, 200, out);
    }
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
    fd = (rc || fd < 0) ? -1 : open(path, O_RDONLY | O_CLOEXEC);
    if (path[0])
        unlink(path); /* the open descriptor keeps the bytes until sent */
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) {
        if (fd >= 0)
            close(fd);
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    char disp[256];
    snprintf(disp, sizeof disp, "attachment; filename=\"%s\"; filename*=UTF-8''%s", filename,
             filename_utf8);
    http_add_header(r, "Content-Disposition", disp);
    http_fd(r, 200, fd, (uint64_t)st.st_size,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
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
    json_t *visits = svc_visit_list(&c, NULL, enterprise_id, NULL, NULL, false, 100);
    json_t *f = json_pack("{sI}", "enterprise_id", (json_int_t)enterprise_id);
    json_t *items = svc_item_list(&c, f, 200);
    json_decref(f);
    sqlite3_stmt *st = db_stmt(c.db, "SELECT count(*) AS forms, round(avg(f.r_overall), 2) AS "
                                     "avg_rating, coalesce(sum(f.bad), 0) AS bad_reviews FROM "
                                     "svc_forms f JOIN svc_visits v ON v.id = f.visit_id WHERE "
                                     "v.enterprise_id = ?");
    json_t *ratings = NULL, *issues = NULL;
    if (st) {
        sqlite3_bind_int64(st, 1, enterprise_id);
        ratings = svc_row(st);
    }
    st = db_stmt(c.db, "SELECT id, visit_id, day_id, category, description, answer, resolution, "
                       "tracker_id, created_at FROM svc_issues WHERE enterprise_id = ? ORDER BY id "
                       "DESC LIMIT 200");
    if (st) {
        sqlite3_bind_int64(st, 1, enterprise_id);
        issues = svc_rows(st);
    }
    svc_end(r);
    return json_pack("{so so so so}", "visits", visits ? visits : json_array(), "ratings",
                     ratings ? ratings : json_object(), "issues", issues ? issues : json_array(),
                     "commitments", items ? items : json_array());
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
     BUREAU | ENTERPRISE, 0},
    {HTTP_GET, "/api/v1/service/form", api_svc_form_get, ROLES_ANY, 0},
    {HTTP_POST, "/api/v1/service/form", api_svc_form_post, ROLES_ANY, ROUTE_NO_CSRF},
    {HTTP_POST, "/api/v1/service/form/attachments", api_svc_form_attach, ROLES_ANY, ROUTE_NO_CSRF},
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
    {HTTP_GET, "/api/v1/service/tracker", api_svc_tracker_list, BUREAU, 0},
    {HTTP_POST, "/api/v1/service/tracker", api_svc_tracker_create, BUREAU, 0},
    {HTTP_GET, "/api/v1/service/tracker/{id}", api_svc_tracker_get, BUREAU, 0},
    {HTTP_POST, "/api/v1/service/tracker/{id}/attachments", api_svc_tracker_attach, BUREAU, 0},
    {HTTP_POST, "/api/v1/service/tracker/{id}/{action}", api_svc_tracker_act, BUREAU, 0},
    {HTTP_GET, "/api/v1/service/attachments/{id}", api_svc_attachment_get, ROLES_LOGGED_IN, 0},
    {HTTP_GET, "/api/v1/service/notifications", api_svc_notifications, ROLES_LOGGED_IN, 0},
    {HTTP_POST, "/api/v1/service/notifications/read", api_svc_notifications_read, ROLES_LOGGED_IN,
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
