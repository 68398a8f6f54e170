/* approval http_invest — the routes of the investment and financing project
 * library; rules in invest.c. */
#include "app/app.h"
#include "app/kit.h"
#include "app/kit_list.h"
#include "modules/approval/procedure.h"

#define INVEST_WRITERS (ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_ADMIN))

/* The project library's export. */
static const struct kit_col invest_cols[] = {
    KIT_TEXT("name", "项目名称"),
    KIT_TEXT("kind", "类型"),
    KIT_TEXT("sector", "行业"),
    KIT_NUMBER("amount", "投资额(万元)"),
    KIT_TEXT("status", "进度"),
    KIT_TEXT("signed_on", "签约日期"),
    KIT_TEXT("started_on", "开工日期"),
    KIT_TEXT("operating_on", "投产日期"),
    KIT_TEXT("app_number", "环评受理编号"),
    KIT_TEXT("note", "备注"),
};
static const struct kit_sheet invest_sheet = KIT_SHEET("invest-projects", "项目库", invest_cols);

static void api_invest_list(struct http_req *r)
{
    bool bad = false;
    const char *status = kit_query_text(r, "status", 64, &bad);
    const char *sector = bad ? NULL : kit_query_text(r, "sector", 64, &bad);
    const char *kind = bad ? NULL : kit_query_text(r, "kind", 64, &bad);
    int64_t unapproved = 0;
    if (bad || kit_query_int(r, "unapproved", 0, 1, 0, &unapproved))
        return;
    json_t *out = invest_list(r->db, status, sector, kind, unapproved, kit_limit(r, 200, 1000));
    kit_list(r, out ? ERR_OK : ERR_INTERNAL, NULL, out, &invest_sheet);
}

static void api_invest_create(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_NO_ID, &w))
        return;
    int64_t id = 0;
    enum err e = invest_create(r->db, &w.actor, w.body, &id, &w.p);
    kit_write_end(r, &w, true, e, e ? NULL : json_pack("{sI}", "id", (json_int_t)id));
}

static void api_invest_advance(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_PATH_ID, &w))
        return;
    enum err e = invest_advance(r->db, &w.actor, w.id, w.body, &w.p);
    kit_write_end(r, &w, false, e, e ? NULL : invest_get(r->db, w.id));
}

/* Links (or unlinks with "") the project to its EIA application by number. */
static void api_invest_link(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_PATH_ID, &w))
        return;
    enum err e = invest_link(r->db, &w.actor, w.id, w.body, &w.p);
    kit_write_end(r, &w, false, e, e ? NULL : invest_get(r->db, w.id));
}

/* Hands a project flagged 未批先建 to supervision as a case. */
static void api_invest_case(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_PATH_ID, &w))
        return;
    int64_t case_id = 0;
    enum err e = invest_case(r->db, &w.actor, w.id, w.body, &case_id, &w.p);
    kit_write_end(r, &w, false, e, e ? NULL : invest_get(r->db, w.id));
}

static const struct route invest_table[] = {
    {HTTP_GET, "/api/v1/approval/invest-projects", api_invest_list, ROLES_BUREAU, 0},
    {HTTP_POST, "/api/v1/approval/invest-projects", api_invest_create, INVEST_WRITERS, 0},
    {HTTP_POST, "/api/v1/approval/invest-projects/{id}/advance", api_invest_advance, INVEST_WRITERS,
     0},
    {HTTP_POST, "/api/v1/approval/invest-projects/{id}/link", api_invest_link, INVEST_WRITERS, 0},
    {HTTP_POST, "/api/v1/approval/invest-projects/{id}/case", api_invest_case, INVEST_WRITERS, 0},
};

const struct route_group app_invest_routes = ROUTE_GROUP("invest", invest_table);
