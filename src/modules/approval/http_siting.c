/* approval http_siting — the routes of 三线一单 unit versions and siting
 * checks; rules in siting.c. */
#include "app/app.h"
#include "app/kit.h"
#include "modules/approval/procedure.h"

#define STAFF_UP (ROLE_BIT(ROLE_STAFF) | ROLE_BIT(ROLE_ADMIN))

/* The body is the GeoJSON itself (not a JSON object of fields), so it is
 * read raw here rather than through kit_body. */
static void api_siting_import(struct http_req *r)
{
    bool bad = false;
    const char *name = kit_query_text(r, "name", 200, &bad);
    if (bad)
        return;
    struct audit_actor actor;
    kit_actor(r, &actor);
    struct problem p = {0};
    int64_t version = 0;
    enum err e = siting_import(r->db, &actor, name ? name : "三线一单管控单元",
                               r->body.data ? r->body.data : "", r->body.len, &version, &p);
    /* no "id": a version has no route of its own, so no Location */
    kit_created(r, e, &p, e ? NULL : json_pack("{sI}", "version", (json_int_t)version));
}

static void api_siting_versions(struct http_req *r)
{
    json_t *items = siting_versions(r->db);
    kit_items(r, items);
}

/* The units of a version (default the newest) as GeoJSON, for the map. */
static void api_siting_units(struct http_req *r)
{
    int64_t v = kit_query_id(r, "version");
    if (v < 0)
        return;
    json_t *fc = siting_units_of(r->db, v);
    struct problem p = {0};
    if (!fc)
        problem_set(&p, ERR_NOT_FOUND, "version", "没有该版本的管控单元");
    kit_answer(r, fc ? ERR_OK : ERR_NOT_FOUND, &p, fc);
}

static void api_siting_check(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_NO_ID, &w))
        return;
    json_t *out;
    int64_t ent = r->session.user.role == ROLE_ENTERPRISE ? r->session.user.enterprise_id : 0;
    enum err e = siting_check_create(r->db, &w.actor, w.body, ent, &out, &w.p);
    kit_write_end(r, &w, true, e, out);
}

static void api_siting_check_get(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    int64_t ent = 0;
    json_t *res = siting_check_get(r->db, id, &ent);
    if (res && r->session.user.role == ROLE_ENTERPRISE && ent != r->session.user.enterprise_id) {
        json_decref(res);
        res = NULL;
    }
    kit_answer(r, ERR_OK, NULL, res);
}

static const struct route siting_table[] = {
    {HTTP_POST, "/api/v1/siting/versions", api_siting_import, STAFF_UP, ROUTE_UPLOAD},
    {HTTP_GET, "/api/v1/siting/versions", api_siting_versions, ROLES_BUREAU, 0},
    {HTTP_GET, "/api/v1/siting/units", api_siting_units, ROLES_LOGGED_IN, 0},
    {HTTP_POST, "/api/v1/siting/checks", api_siting_check, ROLES_LOGGED_IN, 0},
    {HTTP_GET, "/api/v1/siting/checks/{id}", api_siting_check_get, ROLES_LOGGED_IN, 0},
};

const struct route_group app_siting_routes = ROUTE_GROUP("siting", siting_table);
