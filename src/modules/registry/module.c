/* registry module — the enterprise registry: enterprises, areas, the
 * industry table and the credit-code check (docs/architecture.md). Its
 * tables are in the foundation's schema (db/schema.c, "core"). */
#include "app/module.h"
#include "modules/registry/http.h"
#include "modules/registry/registry.h"
#include "modules/registry/store.h"

#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define STAFF ROLE_BIT(ROLE_STAFF)
#define ENTERPRISE ROLE_BIT(ROLE_ENTERPRISE)

static const struct route registry_routes[] = {
    {HTTP_GET, "/api/v1/meta", registry_http_meta, ROLES_ANY, 0},
    {HTTP_PUT, "/api/v1/areas", registry_http_areas_put, ADMIN, 0},
    {HTTP_GET, "/api/v1/industries", registry_http_industries, ROLES_ANY, 0},
    {HTTP_GET, "/api/v1/uscc/check", registry_http_uscc_check, ROLES_ANY, 0},
    {HTTP_GET, "/api/v1/enterprises", registry_http_list, ROLES_LOGGED_IN, 0},
    {HTTP_POST, "/api/v1/enterprises", registry_http_create, ADMIN | STAFF, 0},
    {HTTP_POST, "/api/v1/enterprises/import", registry_http_import, ADMIN | STAFF, ROUTE_UPLOAD},
    {HTTP_POST, "/api/v1/enterprises/import-jobs", registry_http_import_job, ADMIN | STAFF,
     ROUTE_UPLOAD},
    {HTTP_GET, "/api/v1/enterprises/export.xlsx", registry_http_export, ROLES_BUREAU, 0},
    {HTTP_GET, "/api/v1/enterprises/{id}", registry_http_get, ROLES_LOGGED_IN, 0},
    {HTTP_PUT, "/api/v1/enterprises/{id}", registry_http_update, ADMIN | STAFF | ENTERPRISE, 0},
};

static const struct route_group registry_group = ROUTE_GROUP("registry", registry_routes);
static const struct route_group *const registry_groups[] = {&registry_group, NULL};

static json_t *registry_ent360_profile(struct http_req *r, int64_t enterprise_id)
{
    return enterprises_get(r->db, enterprise_id);
}

static const struct ent360_provider registry_ent360[] = {
    {"profile", "基本信息", registry_ent360_profile, true, 0},
};

/* The import's job kind; the job facility's pool is already running. */
static int registry_start(const struct module_run *run)
{
    return registry_import_register(run->db);
}

/* Stored list rows written stale by other tools (or by another build) are
 * encoded again at start and every ten minutes; until then the list encodes
 * them from their columns. At most 100,000 rows a tick (a few seconds). */
static long registry_tick_seconds(const struct config *cfg)
{
    (void)cfg;
    return 600;
}

static int registry_tick(const struct module_run *run)
{
    return registry_rows_maintain(run->db, 100000) < 0 ? -1 : 0;
}

extern const struct schema_module schema_registry;

const struct module registry_module = {
    .name = "registry",
    .schema = &schema_registry,
    .tick_seconds = registry_tick_seconds,
    .tick = registry_tick,
    .tick_at_start = true,
    .routes = registry_groups,
    .demo = registry_demo,
    .start = registry_start,
    .ent360 = registry_ent360,
    .nent360 = sizeof registry_ent360 / sizeof registry_ent360[0],
};
