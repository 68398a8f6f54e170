/* approval http_invest — the routes of the investment and financing project
 * library; rules in invest.c. */
#include "app/app.h"
#include "app/kit.h"
#include "modules/approval/procedure.h"

#define INVEST_WRITERS (ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_ADMIN))

static void api_invest_list(struct http_req *r)
{
    bool bad = false;
    const char *status = kit_query_text(r, "status", 64, &bad);
    const char *sector = bad ? NULL : kit_query_text(r, "sector", 64, &bad);
    const char *kind = bad ? NULL : kit_query_text(r, "kind", 64, &bad);
    if (bad)
        return;
    json_t *out = invest_list(r->db, status, sector, kind, kit_limit(r, 200, 1000));
    kit_answer(r, out ? ERR_OK : ERR_INTERNAL, NULL, out);
}

static void api_invest_create(struct http_req *r)
{
    json_t *in = kit_body(r);
    if (!in)
        return;
    struct audit_actor actor;
    kit_actor(r, &actor);
    struct problem p = {0};
    int64_t id = 0;
    enum err e = invest_create(r->db, &actor, in, &id, &p);
    json_decref(in);
    kit_created(r, e, &p, e ? NULL : json_pack("{sI}", "id", (json_int_t)id));
}

static void api_invest_advance(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    json_t *in;
    if (!id || !(in = kit_body(r)))
        return;
    struct audit_actor actor;
    kit_actor(r, &actor);
    struct problem p = {0};
    enum err e =
        invest_advance(r->db, &actor, id, json_string_value(json_object_get(in, "on")), &p);
    json_decref(in);
    kit_answer(r, e, &p, e ? NULL : json_pack("{sI}", "id", (json_int_t)id));
}

/* Links (or unlinks with "") the project to its EIA application by number. */
static void api_invest_link(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    json_t *in;
    if (!id || !(in = kit_body(r)))
        return;
    struct audit_actor actor;
    kit_actor(r, &actor);
    struct problem p = {0};
    enum err e = invest_link(r->db, &actor, id, in, &p);
    json_decref(in);
    kit_answer(r, e, &p, e ? NULL : json_pack("{sI}", "id", (json_int_t)id));
}

static const struct route invest_table[] = {
    {HTTP_GET, "/api/v1/approval/invest-projects", api_invest_list, ROLES_BUREAU, 0},
    {HTTP_POST, "/api/v1/approval/invest-projects", api_invest_create, INVEST_WRITERS, 0},
    {HTTP_POST, "/api/v1/approval/invest-projects/{id}/advance", api_invest_advance, INVEST_WRITERS,
     0},
    {HTTP_POST, "/api/v1/approval/invest-projects/{id}/link", api_invest_link, INVEST_WRITERS, 0},
};

const struct route_group app_invest_routes = ROUTE_GROUP("invest", invest_table);
