/* response http — the routes of the response module: the bureau's API under
 * /api/v1/response (forecasts, verification, warnings) and the public one
 * under /api/v1/public/response (the outlook as JSON and Atom, the active
 * warning). Each handler reads its input with the kit, calls one rule
 * (forecast.c, forecast_import.c, verify.c, warnings.c) and answers.
 *
 * Staff and admins write forecasts; only a leader decides warnings; the
 * public sees published forecasts and the active warning only. */
#include "app/kit.h"
#include "net/router.h"
#include "core/timeutil.h"
#include "domain/calendar.h"
#include "modules/response/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define STAFF ROLE_BIT(ROLE_STAFF)
#define LEADER ROLE_BIT(ROLE_LEADER)
#define WRITERS (ADMIN | STAFF)

void resp_ctx_init(struct resp_ctx *c, struct http_req *r, const struct audit_actor *a)
{
    c->db = r->db;
    c->actor = a;
    c->now = timeutil_now();
    calendar_format_date(timeutil_today(), c->today);
}

void resp_write(struct http_req *r, int path, bool created, resp_write_fn *rule)
{
    struct kit_write w;
    if (!kit_write_begin(r, (enum kit_write_path)path, &w))
        return;
    struct resp_ctx c;
    resp_ctx_init(&c, r, &w.actor);
    json_t *out = NULL;
    enum err e = rule(&c, w.id, w.body, &out, &w.p);
    kit_write_end(r, &w, created, e, out);
}

static enum err w_forecast_create(struct resp_ctx *c, int64_t id, json_t *in, json_t **out,
                                  struct problem *p)
{
    (void)id;
    return resp_forecast_create(c, in, out, p);
}

static enum err w_forecast_publish(struct resp_ctx *c, int64_t id, json_t *in, json_t **out,
                                   struct problem *p)
{
    (void)id;
    return resp_forecast_publish(c, in, out, p);
}

static enum err w_warning_issue(struct resp_ctx *c, int64_t id, json_t *in, json_t **out,
                                struct problem *p)
{
    (void)id;
    return resp_warning_issue(c, in, out, p);
}

static void h_forecast_create(struct http_req *r)
{
    resp_write(r, KIT_NO_ID, true, w_forecast_create);
}

static void h_forecast_update(struct http_req *r)
{
    resp_write(r, KIT_PATH_ID, false, resp_forecast_update);
}

static void h_forecast_publish(struct http_req *r)
{
    resp_write(r, KIT_NO_ID, false, w_forecast_publish);
}

static void h_warning_issue(struct http_req *r)
{
    resp_write(r, KIT_NO_ID, true, w_warning_issue);
}

static void h_warning_change(struct http_req *r)
{
    resp_write(r, KIT_PATH_ID, false, resp_warning_change);
}

void resp_delete(struct http_req *r, resp_delete_fn *rule)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    struct audit_actor actor;
    kit_actor(r, &actor);
    struct resp_ctx c;
    resp_ctx_init(&c, r, &actor);
    struct problem p = {0};
    json_t *out = NULL;
    enum err e = rule(&c, id, &out, &p);
    kit_answer(r, e, &p, out);
}

void resp_import(struct http_req *r, resp_import_fn *rule)
{
    const char *type = http_header(r, "Content-Type");
    if (!type || (strncmp(type, "text/csv", 8) && strncmp(type, "text/plain", 10))) {
        http_error(r, ERR_UNSUPPORTED_MEDIA, "请上传 text/csv 文件", NULL);
        return;
    }
    resp_import_body(r, rule);
}

void resp_import_body(struct http_req *r, resp_import_fn *rule)
{
    struct audit_actor actor;
    kit_actor(r, &actor);
    struct resp_ctx c;
    resp_ctx_init(&c, r, &actor);
    struct problem p = {0};
    json_t *out = NULL;
    enum err e = rule(&c, r->body.data ? r->body.data : "", r->body.len, &out, &p);
    if (e == ERR_IMPORT_ERRORS) {
        kit_refuse_with(r, &p, out);
        return;
    }
    kit_answer(r, e, &p, out);
}

static void h_forecast_import(struct http_req *r)
{
    resp_import(r, resp_forecast_import);
}

/* ?area (default all; "*" the city) and ?from/?to (default: today .. +7). */
static int resp_query_range(struct http_req *r, const char **area, int32_t def_from,
                            int32_t def_span, char from[11], char to[11])
{
    bool bad = false;
    int32_t f, t;
    *area = kit_query_text(r, "area", 60, &bad);
    if (bad || kit_query_day(r, "from", def_from, &f) || kit_query_day(r, "to", f + def_span, &t))
        return -1;
    calendar_format_date(f, from);
    calendar_format_date(t, to);
    return 0;
}

static void h_forecasts(struct http_req *r)
{
    const char *area;
    char from[11], to[11];
    if (resp_query_range(r, &area, timeutil_today() - 7, 14, from, to))
        return;
    kit_items(r, resp_forecasts(r->db, area, from, to, false));
}

static void h_forecast_get(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (id)
        kit_answer(r, ERR_OK, NULL, resp_forecast_get(r->db, id));
}

static void h_verification(struct http_req *r)
{
    bool bad = false;
    int32_t from, to;
    const char *area = kit_query_text(r, "area", 60, &bad);
    if (bad || kit_query_day(r, "to", timeutil_today() - 1, &to) ||
        kit_query_day(r, "from", to - 89, &from))
        return;
    if (to < from || to - from >= 400) {
        struct problem p;
        problem_set(&p, ERR_INVALID_FIELD, "from", "检验期间须为 1 至 400 天");
        kit_answer(r, p.err, &p, NULL);
        return;
    }
    json_t *v = resp_verification(r->db, area ? area : RESP_CITY, from, to);
    kit_answer(r, v ? ERR_OK : ERR_INTERNAL, NULL, v);
}

static void h_warning_proposal(struct http_req *r)
{
    char today[11];
    calendar_format_date(timeutil_today(), today);
    json_t *out = resp_warning_proposal(r->db, today);
    kit_answer(r, out ? ERR_OK : ERR_INTERNAL, NULL, out);
}

static void h_warnings(struct http_req *r)
{
    kit_items(r, resp_warnings(r->db, kit_limit(r, 50, 500)));
}

static void h_warning_get(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (id)
        kit_answer(r, ERR_OK, NULL, resp_warning_get(r->db, id));
}

static void h_public_forecasts(struct http_req *r)
{
    const char *area;
    char from[11], to[11];
    if (resp_query_range(r, &area, timeutil_today(), 7, from, to))
        return;
    json_t *items = resp_outlook(r->db, area, from);
    if (!items) {
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    kit_answer(r, ERR_OK, NULL,
               json_pack("{ss ss ss so}", "version", "https://jsonfeed.org/version/1.1", "title",
                         "空气质量预报", "as_of", from, "items", items));
}

static void h_public_forecasts_atom(struct http_req *r)
{
    char base[160], today[11];
    const char *host = http_header(r, "Host");
    snprintf(base, sizeof base, "http://%s",
             host && strlen(host) < 100 && !strpbrk(host, "<>\"&") ? host : "localhost");
    calendar_format_date(timeutil_today(), today);
    char *xml = resp_outlook_atom(r->db, today, base);
    if (!xml) {
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    kit_text(r, "application/atom+xml; charset=utf-8", NULL, xml, strlen(xml));
    free(xml);
}

static void h_public_warning(struct http_req *r)
{
    json_t *out = resp_warning_public(r->db);
    kit_answer(r, out ? ERR_OK : ERR_INTERNAL, NULL, out);
}

#define R "/api/v1/response"
#define PUB "/api/v1/public/response"
static const struct route resp_table[] = {
    {HTTP_GET, PUB "/forecasts", h_public_forecasts, ROLES_ANY, 0},
    {HTTP_GET, PUB "/forecasts.atom", h_public_forecasts_atom, ROLES_ANY, 0},
    {HTTP_GET, PUB "/warning", h_public_warning, ROLES_ANY, 0},
    {HTTP_GET, R "/forecasts", h_forecasts, ROLES_BUREAU, 0},
    {HTTP_POST, R "/forecasts", h_forecast_create, WRITERS, 0},
    {HTTP_POST, R "/forecasts/import", h_forecast_import, WRITERS, ROUTE_UPLOAD},
    {HTTP_POST, R "/forecasts/publish", h_forecast_publish, WRITERS, 0},
    {HTTP_GET, R "/forecasts/{id}", h_forecast_get, ROLES_BUREAU, 0},
    {HTTP_PUT, R "/forecasts/{id}", h_forecast_update, WRITERS, 0},
    {HTTP_GET, R "/verification", h_verification, ROLES_BUREAU, 0},
    {HTTP_GET, R "/warnings/proposal", h_warning_proposal, ROLES_BUREAU, 0},
    {HTTP_GET, R "/warnings", h_warnings, ROLES_BUREAU, 0},
    {HTTP_POST, R "/warnings", h_warning_issue, LEADER, 0},
    {HTTP_GET, R "/warnings/{id}", h_warning_get, ROLES_BUREAU, 0},
    {HTTP_POST, R "/warnings/{id}/change", h_warning_change, LEADER, 0},
};

const struct route_group app_response_routes = ROUTE_GROUP("response", resp_table);
