/* village http — the routes of rural sewage facilities: the standards, the
 * facilities with their map state, samples, inspections, a facility's month,
 * the monthly table (JSON or xlsx) and the alarms. Bureau only; writes by
 * staff and admins. */
#include "app/app.h"
#include "app/field.h"
#include "app/kit.h"
#include "app/kit_list.h"
#include "core/timeutil.h"
#include "modules/village/http.h"
#include "net/router.h"

#include <stdio.h>
#include <string.h>

#define WRITERS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF))

void village_http_ctx(struct http_req *r, struct village_ctx *c, const struct audit_actor *a)
{
    memset(c, 0, sizeof *c);
    c->db = r->db;
    c->cfg = r->app->cfg;
    if (a)
        c->actor = *a;
    else
        kit_actor(r, &c->actor);
    village_ctx_clock(c, timeutil_now());
    c->cal = app_calendar_lock(r->app);
}

void village_http_done(struct http_req *r)
{
    app_calendar_unlock(r->app);
}

int village_http_month(struct http_req *r, int *year, int *month)
{
    int y, m, d;
    int64_t yy, mm;
    timeutil_civil_from_days(timeutil_today(), &y, &m, &d);
    if (kit_query_int(r, "year", 2000, 2100, y, &yy) || kit_query_int(r, "month", 1, 12, m, &mm))
        return -1;
    *year = (int)yy;
    *month = (int)mm;
    return 0;
}

static void h_standards(struct http_req *r)
{
    kit_items(r, village_standards_json());
}

static void h_list(struct http_req *r)
{
    bool bad;
    const char *county = kit_query_text(r, "county", 50, &bad);
    if (bad)
        return;
    struct village_ctx c;
    village_http_ctx(r, &c, NULL);
    json_t *items = village_facility_list(&c, county);
    village_http_done(r);
    kit_items(r, items);
}

static void h_get(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    struct village_ctx c;
    village_http_ctx(r, &c, NULL);
    json_t *f = village_facility_get(&c, id);
    village_http_done(r);
    kit_answer(r, ERR_OK, NULL, f);
}

typedef enum err village_write_fn(struct village_ctx *c, int64_t id, json_t *in, int64_t *out,
                                  struct problem *p);

/* One write: the kit's input, the rule, then the record it wrote as
 * answered by read (201 for a new one). */
static void village_write(struct http_req *r, enum kit_write_path path, village_write_fn *rule,
                          json_t *(*read)(struct village_ctx *c, int64_t id, int64_t out))
{
    struct kit_write w;
    if (!kit_write_begin(r, path, &w))
        return;
    struct village_ctx c;
    village_http_ctx(r, &c, &w.actor);
    int64_t out = 0;
    enum err e = rule(&c, w.id, w.body, &out, &w.p);
    json_t *res = e ? NULL : read(&c, w.id, out);
    village_http_done(r);
    kit_write_end(r, &w, path == KIT_NO_ID, e, res);
}

static enum err w_create(struct village_ctx *c, int64_t id, json_t *in, int64_t *out,
                         struct problem *p)
{
    (void)id;
    return village_facility_create(c, in, out, p);
}

static enum err w_update(struct village_ctx *c, int64_t id, json_t *in, int64_t *out,
                         struct problem *p)
{
    *out = id;
    return village_facility_update(c, id, in, p);
}

static json_t *r_facility(struct village_ctx *c, int64_t id, int64_t out)
{
    (void)id;
    return village_facility_get(c, out);
}

static void h_create(struct http_req *r)
{
    village_write(r, KIT_NO_ID, w_create, r_facility);
}

static void h_update(struct http_req *r)
{
    village_write(r, KIT_PATH_ID, w_update, r_facility);
}

/* A sample or an inspection: 201 with the facility as it now stands (its
 * state and alarms changed with it) and the new record's id. */
static void village_add(struct http_req *r, enum err (*rule)(struct village_ctx *, int64_t,
                                                             json_t *, int64_t *, struct problem *))
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_PATH_ID, &w))
        return;
    struct village_ctx c;
    village_http_ctx(r, &c, &w.actor);
    int64_t id = 0;
    enum err e = rule(&c, w.id, w.body, &id, &w.p);
    json_t *res = e ? NULL : village_facility_get(&c, w.id);
    village_http_done(r);
    if (res)
        json_object_set_new(res, "created_id", json_integer(id));
    kit_write_end_at(r, &w, NULL, e, res);
}

static void h_sample(struct http_req *r)
{
    village_add(r, village_sample_add);
}

static void h_inspection(struct http_req *r)
{
    village_add(r, village_inspection_add);
}

/* The photo's bytes are the body (ROUTE_UPLOAD); ?name its file name. */
static void h_photo(struct http_req *r)
{
    int64_t fid = kit_path_id(r, 0), iid = fid ? kit_path_id(r, 1) : 0;
    bool bad = false;
    const char *name = iid ? kit_query_text(r, "name", 255, &bad) : NULL;
    if (!iid || bad)
        return;
    struct village_ctx c;
    village_http_ctx(r, &c, NULL);
    struct problem p;
    int64_t id = 0;
    enum err e = village_inspection_photo(&c, fid, iid, name, r->body.data ? r->body.data : "",
                                          r->body.len, &id, &p);
    json_t *out = e ? NULL : village_facility_get(&c, fid);
    village_http_done(r);
    if (out)
        json_object_set_new(out, "created_id", json_integer(id));
    char loc[64];
    snprintf(loc, sizeof loc, "/api/v1/service/attachments/%lld", (long long)id);
    kit_created_at(r, loc, e, &p, out);
}

/* The operator's photo of his facility's inspection {id} (?token, ?name),
 * answered 201 with his page as it now is. */
static void h_operator_photo(struct http_req *r)
{
    int64_t iid = kit_path_id(r, 0);
    bool bad = false;
    const char *name = iid ? kit_query_text(r, "name", 255, &bad) : NULL;
    if (!iid || bad)
        return;
    struct village_ctx c;
    village_http_ctx(r, &c, NULL);
    struct problem p;
    int64_t id = 0;
    const char *token = http_query(r, "token");
    enum err e = village_operator_photo(&c, token, iid, name, r->body.data ? r->body.data : "",
                                        r->body.len, &id, &p);
    json_t *out = e ? NULL : village_operator_view(&c, token, &p);
    village_http_done(r);
    if (out)
        json_object_set_new(out, "created_id", json_integer(id));
    kit_created_at(r, NULL, e, &p, out);
}

void village_http_link(struct http_req *r, village_link_fn *issue)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_PATH_ID, &w))
        return;
    struct village_ctx c;
    village_http_ctx(r, &c, &w.actor);
    json_t *out = NULL;
    const char *base = "";
    enum err e = field_text(w.body, "base", "链接地址", 200, FIELD_OPTIONAL, &base, &w.p)
                     ? w.p.err
                     : issue(&c, w.id, base, &out, &w.p);
    village_http_done(r);
    kit_write_end(r, &w, false, e, out);
}

void village_http_token_view(struct http_req *r, village_view_fn *view)
{
    struct village_ctx c;
    village_http_ctx(r, &c, NULL);
    struct problem p = {0};
    json_t *v = view(&c, http_query(r, "token"), &p);
    village_http_done(r);
    kit_answer(r, v ? ERR_OK : p.err, &p, v);
}

void village_http_token_write(struct http_req *r, village_token_write_fn *write,
                              village_view_fn *view)
{
    json_t *body = kit_body(r);
    if (!body)
        return;
    struct village_ctx c;
    village_http_ctx(r, &c, NULL);
    struct problem p = {0};
    int64_t id = 0;
    const char *token = http_query(r, "token");
    enum err e = write(&c, token, body, &id, &p);
    json_t *v = e ? NULL : view(&c, token, &p);
    village_http_done(r);
    json_decref(body);
    kit_created_at(r, NULL, e, &p, v);
}

static void h_operator_link(struct http_req *r)
{
    village_http_link(r, village_operator_link);
}

static void h_operator_view(struct http_req *r)
{
    village_http_token_view(r, village_operator_view);
}

static void h_operator_inspect(struct http_req *r)
{
    village_http_token_write(r, village_operator_inspect, village_operator_view);
}

static void h_month(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    int year, month;
    if (!id || village_http_month(r, &year, &month))
        return;
    struct village_ctx c;
    village_http_ctx(r, &c, NULL);
    json_t *m = village_month(&c, id, year, month);
    village_http_done(r);
    kit_answer(r, ERR_OK, NULL, m);
}

static const struct kit_col village_month_cols[] = {
    KIT_TEXT("county", "县（区）"),
    KIT_TEXT("township", "乡镇"),
    KIT_TEXT("village", "行政村"),
    KIT_TEXT("name", "设施名称"),
    KIT_NUMBER("capacity", "设计规模（m³/d）"),
    KIT_TEXT("standard_name", "执行标准"),
    KIT_TEXT("operator", "运维单位"),
    KIT_NUMBER("days", "统计天数"),
    KIT_NUMBER("running_days", "运行天数"),
    KIT_NUMBER("running_rate", "运行率（%）"),
    KIT_NUMBER("sample_count", "监测次数"),
    KIT_NUMBER("compliant_count", "达标次数"),
    KIT_NUMBER("compliance_rate", "达标率（%）"),
};
static const struct kit_sheet village_month_sheet =
    KIT_SHEET("village-sewage-monthly", "农村污水设施月报", village_month_cols);

static void h_monthly(struct http_req *r)
{
    int year, month;
    bool bad;
    const char *county = kit_query_text(r, "county", 50, &bad);
    if (bad || village_http_month(r, &year, &month))
        return;
    struct village_ctx c;
    village_http_ctx(r, &c, NULL);
    json_t *rows = village_months(&c, year, month, county);
    village_http_done(r);
    kit_list(r, rows ? ERR_OK : ERR_INTERNAL, NULL, rows ? json_pack("{so}", "items", rows) : NULL,
             &village_month_sheet);
}

static void h_alarms(struct http_req *r)
{
    int64_t fid = kit_query_id(r, "facility_id");
    if (fid < 0)
        return;
    struct village_ctx c;
    village_http_ctx(r, &c, NULL);
    json_t *rows = village_alarm_list(&c, fid, kit_limit(r, 50, 500));
    village_http_done(r);
    kit_items(r, rows);
}

static const struct route village_sewage_table[] = {
    {HTTP_GET, "/api/v1/village/standards", h_standards, ROLES_BUREAU, 0},
    {HTTP_GET, "/api/v1/village/sewage/monthly", h_monthly, ROLES_BUREAU, 0},
    {HTTP_GET, "/api/v1/village/alarms", h_alarms, ROLES_BUREAU, 0},
    {HTTP_GET, "/api/v1/village/facilities", h_list, ROLES_BUREAU, 0},
    {HTTP_POST, "/api/v1/village/facilities", h_create, WRITERS, 0},
    {HTTP_GET, "/api/v1/village/facilities/{id}", h_get, ROLES_BUREAU, 0},
    {HTTP_PUT, "/api/v1/village/facilities/{id}", h_update, WRITERS, 0},
    {HTTP_POST, "/api/v1/village/facilities/{id}/samples", h_sample, WRITERS, 0},
    {HTTP_POST, "/api/v1/village/facilities/{id}/inspections", h_inspection, WRITERS, 0},
    {HTTP_POST, "/api/v1/village/facilities/{id}/inspections/{iid}/photos", h_photo, WRITERS,
     ROUTE_UPLOAD},
    {HTTP_GET, "/api/v1/village/facilities/{id}/month", h_month, ROLES_BUREAU, 0},
    {HTTP_POST, "/api/v1/village/facilities/{id}/operator-link", h_operator_link, WRITERS, 0},
    {HTTP_GET, "/api/v1/village/operate", h_operator_view, ROLES_ANY, 0},
    {HTTP_POST, "/api/v1/village/operate", h_operator_inspect, ROLES_ANY, ROUTE_NO_CSRF},
    {HTTP_POST, "/api/v1/village/operate/inspections/{id}/photos", h_operator_photo, ROLES_ANY,
     ROUTE_NO_CSRF | ROUTE_UPLOAD},
};

const struct route_group app_village_sewage_routes =
    ROUTE_GROUP("village_sewage", village_sewage_table);
