/* admin module — accounts, sections, the audit log and the working-day
 * calendar over HTTP (admin.h); expired sessions purged as periodic work. */
#include "app/module.h"
#include "core/log.h"
#include "db/users.h"
#include "modules/admin/admin.h"
#include "modules/admin/http.h"

#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define LEADER ROLE_BIT(ROLE_LEADER)

static const struct route admin_routes[] = {
    {HTTP_GET, "/api/v1/users", admin_http_users_list, ADMIN, 0},
    {HTTP_POST, "/api/v1/users", admin_http_users_create, ADMIN, 0},
    {HTTP_PUT, "/api/v1/users/{id}", admin_http_users_update, ADMIN, 0},
    {HTTP_GET, "/api/v1/sections", admin_http_sections_list, ROLES_BUREAU, 0},
    {HTTP_POST, "/api/v1/sections", admin_http_sections_create, ADMIN, 0},
    {HTTP_PUT, "/api/v1/sections/{id}", admin_http_sections_update, ADMIN, 0},
    {HTTP_GET, "/api/v1/audit", admin_http_audit_list, ADMIN | LEADER, 0},
    {HTTP_GET, "/api/v1/audit/verify", admin_http_audit_verify, ADMIN | LEADER, 0},
    {HTTP_GET, "/api/v1/calendar/add-workdays", admin_http_calendar_add, ROLES_LOGGED_IN, 0},
    {HTTP_GET, "/api/v1/calendar/workdays", admin_http_calendar_count, ROLES_LOGGED_IN, 0},
    {HTTP_GET, "/api/v1/calendar/status", admin_http_calendar_status, ROLES_LOGGED_IN, 0},
    {HTTP_GET, "/api/v1/calendar/{year}", admin_http_calendar_get, ROLES_LOGGED_IN, 0},
    {HTTP_PUT, "/api/v1/calendar/{year}", admin_http_calendar_put, ADMIN, 0},
};

static const struct route_group admin_group = ROUTE_GROUP("admin", admin_routes);
static const struct route_group *const admin_groups[] = {&admin_group, NULL};

/* Expired sessions are purged every ten minutes, and once at start. */
static long admin_tick_seconds(const struct config *cfg)
{
    (void)cfg;
    return 600;
}

static int admin_tick(const struct module_run *run)
{
    const struct config *cfg = run->cfg;
    if (sessions_purge(run->db, run->now - cfg->session_idle, run->now - cfg->session_absolute)) {
        log_warn("admin: could not purge expired sessions");
        return -1;
    }
    return 0;
}

const struct module admin_module = {
    .name = "admin",
    .routes = admin_groups,
    .demo = admin_demo,
    .tick_seconds = admin_tick_seconds,
    .tick = admin_tick,
    .tick_at_start = true,
};
