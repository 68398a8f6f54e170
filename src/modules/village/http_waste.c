/* village http_waste — the routes of rural waste clearance: villages (the
 * bureau), a collector link, spot checks, the weighbridge import (CSV or
 * xlsx), the month per village and township (JSON or xlsx); the collector's
 * phone log through its link and the public village page (no login). */
#include "app/kit.h"
#include "app/kit_list.h"
#include "modules/village/http.h"
#include "net/router.h"

#include <string.h>

#define WRITERS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF))

static void h_list(struct http_req *r)
{
    bool bad1, bad2;
    const char *county = kit_query_text(r, "county", 50, &bad1);
    const char *town = bad1 ? NULL : kit_query_text(r, "township", 50, &bad2);
    if (bad1 || bad2)
        return;
    struct village_ctx c;
    village_http_ctx(r, &c, NULL);
    json_t *items = village_waste_list(&c, county, town);
    village_http_done(r);
    kit_items(r, items);
}

static void village_get(struct http_req *r, bool public_view)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    struct village_ctx c;
    village_http_ctx(r, &c, NULL);
    json_t *v = village_waste_get(&c, id, public_view);
    village_http_done(r);
    kit_answer(r, ERR_OK, NULL, v);
}

static void h_get(struct http_req *r)
{
    village_get(r, false);
}

static void h_public(struct http_req *r)
{
    village_get(r, true);
}

static void h_create(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_NO_ID, &w))
        return;
    struct village_ctx c;
    village_http_ctx(r, &c, &w.actor);
    int64_t id = 0;
    enum err e = village_waste_create(&c, w.body, &id, &w.p);
    json_t *v = e ? NULL : village_waste_get(&c, id, false);
    village_http_done(r);
    kit_write_end(r, &w, true, e, v);
}

static void h_link(struct http_req *r)
{
    village_http_link(r, village_waste_link);
}

/* ?base: the address the page is served at, as the browser reports it. */
static void h_public_qr(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    bool bad = false;
    const char *base = id ? kit_query_text(r, "base", 200, &bad) : NULL;
    if (!id || bad)
        return;
    struct village_ctx c;
    village_http_ctx(r, &c, NULL);
    struct problem p = {0};
    json_t *out = NULL;
    enum err e = village_waste_public_qr(&c, id, base, &out, &p);
    village_http_done(r);
    kit_answer(r, e, &p, out);
}

static void h_check(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_PATH_ID, &w))
        return;
    struct village_ctx c;
    village_http_ctx(r, &c, &w.actor);
    int64_t id = 0;
    enum err e = village_waste_check_add(&c, w.id, w.body, &id, &w.p);
    json_t *v = e ? NULL : village_waste_get(&c, w.id, false);
    village_http_done(r);
    kit_write_end_at(r, &w, NULL, e, v);
}

/* CSV (text/csv) or an xlsx workbook (its MIME type); anything else 415. */
static void h_import(struct http_req *r)
{
    const char *type = http_header(r, "Content-Type");
    bool xlsx = type && !strncmp(type, KIT_XLSX, strlen(KIT_XLSX));
    if (!xlsx && (!type || (strncmp(type, "text/csv", 8) && strncmp(type, "text/plain", 10)))) {
        http_error(r, ERR_UNSUPPORTED_MEDIA, "请上传 CSV（text/csv）或 xlsx 文件", NULL);
        return;
    }
    struct village_ctx c;
    village_http_ctx(r, &c, NULL);
    struct problem p;
    json_t *out = NULL;
    enum err e =
        village_waste_import(&c, r->body.data ? r->body.data : "", r->body.len, xlsx, &out, &p);
    village_http_done(r);
    if (e == ERR_IMPORT_ERRORS) {
        kit_refuse_with(r, &p, out);
        return;
    }
    kit_answer(r, e, &p, out);
}

static const struct kit_col village_waste_cols[] = {
    KIT_TEXT("county", "县（区）"),
    KIT_TEXT("township", "乡镇"),
    KIT_TEXT("village", "行政村"),
    KIT_NUMBER("households", "户数"),
    KIT_NUMBER("days", "考核天数"),
    KIT_NUMBER("cleared_days", "清运天数"),
    KIT_NUMBER("missed_days", "未清运天数"),
    KIT_NUMBER("clearance_rate", "日产日清率（%）"),
    KIT_NUMBER("collected_t", "收集量（吨）"),
    KIT_NUMBER("transferred_t", "转运量（吨）"),
    KIT_NUMBER("checked", "抽查户数"),
    KIT_NUMBER("sorting", "分类户数"),
    KIT_NUMBER("sorting_rate", "分类参与率（%）"),
    KIT_TEXT("missed", "未清运日期"),
};
static const struct kit_sheet village_waste_sheet =
    KIT_SHEET("village-waste-monthly", "农村生活垃圾月报", village_waste_cols);

static const struct kit_col village_town_cols[] = {
    KIT_TEXT("county", "县（区）"),
    KIT_TEXT("township", "乡镇"),
    KIT_NUMBER("villages", "行政村数"),
    KIT_NUMBER("days", "考核村日"),
    KIT_NUMBER("cleared_days", "清运村日"),
    KIT_NUMBER("missed_days", "未清运村日"),
    KIT_NUMBER("clearance_rate", "日产日清率（%）"),
    KIT_NUMBER("collected_t", "收集量（吨）"),
    KIT_NUMBER("transferred_t", "转运量（吨）"),
    KIT_NUMBER("checked", "抽查户数"),
    KIT_NUMBER("sorting", "分类户数"),
    KIT_NUMBER("sorting_rate", "分类参与率（%）"),
};
static const struct kit_sheet village_town_sheet =
    KIT_SHEET("village-waste-townships", "农村生活垃圾乡镇月报", village_town_cols);

/* ?level=village (default: {month, items: villages, townships}) or
 * township ({month, items: townships}); each its own xlsx sheet. */
static void h_monthly(struct http_req *r)
{
    int year, month;
    bool bad;
    const char *county = kit_query_text(r, "county", 50, &bad);
    static const char *const levels[] = {"village", "township", NULL};
    const char *level = bad ? NULL : kit_query_choice(r, "level", levels, "village", &bad);
    if (!level || village_http_month(r, &year, &month))
        return;
    bool town = !strcmp(level, "township");
    struct village_ctx c;
    village_http_ctx(r, &c, NULL);
    json_t *m = village_waste_month(&c, year, month, county);
    village_http_done(r);
    if (m && town) {
        json_object_set(m, "items", json_object_get(m, "townships"));
        json_object_del(m, "townships");
    }
    kit_list(r, m ? ERR_OK : ERR_INTERNAL, NULL, m,
             town ? &village_town_sheet : &village_waste_sheet);
}

static void h_collector(struct http_req *r)
{
    village_http_token_view(r, village_waste_collector_view);
}

static void h_collect(struct http_req *r)
{
    village_http_token_write(r, village_waste_collect, village_waste_collector_view);
}

static const struct route village_waste_table[] = {
    {HTTP_GET, "/api/v1/village/waste/villages", h_list, ROLES_BUREAU, 0},
    {HTTP_POST, "/api/v1/village/waste/villages", h_create, WRITERS, 0},
    {HTTP_GET, "/api/v1/village/waste/villages/{id}", h_get, ROLES_BUREAU, 0},
    {HTTP_POST, "/api/v1/village/waste/villages/{id}/link", h_link, WRITERS, 0},
    {HTTP_GET, "/api/v1/village/waste/villages/{id}/public-qr", h_public_qr, ROLES_BUREAU, 0},
    {HTTP_POST, "/api/v1/village/waste/villages/{id}/checks", h_check, WRITERS, 0},
    {HTTP_POST, "/api/v1/village/waste/import", h_import, WRITERS, ROUTE_UPLOAD},
    {HTTP_GET, "/api/v1/village/waste/monthly", h_monthly, ROLES_BUREAU, 0},
    {HTTP_GET, "/api/v1/village/waste/collect", h_collector, ROLES_ANY, 0},
    {HTTP_POST, "/api/v1/village/waste/collect", h_collect, ROLES_ANY, ROUTE_NO_CSRF},
    {HTTP_GET, "/api/v1/public/village/waste/{id}", h_public, ROLES_ANY, 0},
};

const struct route_group app_village_waste_routes =
    ROUTE_GROUP("village_waste", village_waste_table);
