#include "api/app.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "net/static_files.h"
#include "store/audit.h"
#include "store/db.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define LEADER ROLE_BIT(ROLE_LEADER)
#define STAFF ROLE_BIT(ROLE_STAFF)
#define ENTERPRISE ROLE_BIT(ROLE_ENTERPRISE)

/* The route table: every API endpoint and the roles it allows. Literal paths
 * come before captures that would also match them. */
static const struct route app_route_table[] = {
    {HTTP_POST, "/api/v1/auth/login", api_auth_login, ROLES_ANY, ROUTE_NO_CSRF},
    {HTTP_POST, "/api/v1/auth/logout", api_auth_logout, ROLES_LOGGED_IN, 0},
    {HTTP_GET, "/api/v1/auth/me", api_auth_me, ROLES_LOGGED_IN, 0},
    {HTTP_GET, "/api/v1/public/info", api_public_info, ROLES_ANY, 0},
    {HTTP_GET, "/api/v1/meta", api_public_meta, ROLES_ANY, 0},
    {HTTP_PUT, "/api/v1/areas", api_areas_put, ADMIN, 0},
    {HTTP_GET, "/api/v1/industries", api_industries, ROLES_ANY, 0},
    {HTTP_GET, "/api/v1/uscc/check", api_uscc_check, ROLES_ANY, 0},
    {HTTP_GET, "/api/v1/enterprises", api_enterprises_list, ROLES_LOGGED_IN, 0},
    {HTTP_POST, "/api/v1/enterprises", api_enterprises_create, ADMIN | STAFF, 0},
    {HTTP_POST, "/api/v1/enterprises/import", api_enterprises_import, ADMIN | STAFF, 0},
    {HTTP_GET, "/api/v1/enterprises/export.xlsx", api_enterprises_export, ROLES_BUREAU, 0},
    {HTTP_GET, "/api/v1/enterprises/{id}", api_enterprises_get, ROLES_LOGGED_IN, 0},
    {HTTP_PUT, "/api/v1/enterprises/{id}", api_enterprises_update, ADMIN | STAFF | ENTERPRISE, 0},
    {HTTP_GET, "/api/v1/users", api_users_list, ADMIN, 0},
    {HTTP_POST, "/api/v1/users", api_users_create, ADMIN, 0},
    {HTTP_PUT, "/api/v1/users/{id}", api_users_update, ADMIN, 0},
    {HTTP_GET, "/api/v1/sections", api_sections_list, ROLES_BUREAU, 0},
    {HTTP_POST, "/api/v1/sections", api_sections_create, ADMIN, 0},
    {HTTP_PUT, "/api/v1/sections/{id}", api_sections_update, ADMIN, 0},
    {HTTP_GET, "/api/v1/audit", api_audit_list, ADMIN | LEADER, 0},
    {HTTP_GET, "/api/v1/audit/verify", api_audit_verify, ADMIN | LEADER, 0},
    {HTTP_GET, "/api/v1/calendar/add-workdays", api_calendar_add, ROLES_LOGGED_IN, 0},
    {HTTP_GET, "/api/v1/calendar/workdays", api_calendar_count, ROLES_LOGGED_IN, 0},
    {HTTP_GET, "/api/v1/calendar/{year}", api_calendar_get, ROLES_LOGGED_IN, 0},
    {HTTP_PUT, "/api/v1/calendar/{year}", api_calendar_put, ADMIN, 0},
};

const struct route_group app_core_routes = ROUTE_GROUP("core", app_route_table);

/* The group table: one line per module. */
static const struct route_group *const app_groups[] = {
    &app_core_routes,
    &app_monitor_routes,
    &app_service_routes,
    &app_quality_routes,
    &app_quality_alarm_routes,
    &app_quality_report_routes,
    &app_quality_feed_routes,
    &app_supervision_routes,
    &app_approval_routes,
    &app_siting_routes,
    &app_invest_routes,
};

const struct route_group *const *app_route_groups(size_t *count)
{
    *count = sizeof app_groups / sizeof app_groups[0];
    return app_groups;
}

static enum router_result app_match(struct http_req *r, const struct route **route)
{
    enum router_result best = ROUTER_NO_PATH;
    for (size_t g = 0; g < sizeof app_groups / sizeof app_groups[0]; g++) {
        enum router_result m = router_match(app_groups[g]->routes, app_groups[g]->count, r, route);
        if (m == ROUTER_FOUND)
            return m;
        if (m == ROUTER_NO_METHOD)
            best = m;
    }
    return best;
}

static void app_dispatch_api(struct http_req *r)
{
    r->db = db_thread(r->app->cfg->db);
    if (!r->db) {
        http_error(r, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    const struct route *route = NULL;
    enum router_result m = app_match(r, &route);
    if (m == ROUTER_NO_PATH) {
        http_error(r, ERR_NOT_FOUND, NULL, NULL);
        return;
    }
    if (m == ROUTER_NO_METHOD) {
        http_error(r, ERR_METHOD_NOT_ALLOWED, NULL, NULL);
        return;
    }
    enum err auth = api_auth_resolve(r);
    enum role role = r->has_session ? r->session.user.role : ROLE_PUBLIC;
    if (!(route->roles & ROLE_BIT(role))) {
        http_error(r, r->has_session ? ERR_FORBIDDEN : (auth ? auth : ERR_UNAUTHENTICATED), NULL,
                   NULL);
        return;
    }
    bool write = r->method != HTTP_GET && r->method != HTTP_HEAD;
    if (write && !(route->flags & ROUTE_NO_CSRF) && !api_auth_csrf_ok(r)) {
        http_error(r, ERR_CSRF_FAILED, NULL, NULL);
        return;
    }
    route->handler(r);
}

void app_dispatch(struct http_req *r)
{
    if (!strncmp(r->path, "/api/", 5) || !strcmp(r->path, "/api"))
        app_dispatch_api(r);
    else
        static_serve(r, r->app->cfg->web_root);
}

void app_actor(struct http_req *r, struct audit_actor *actor)
{
    actor->id = r->has_session ? r->session.user.id : 0;
    actor->name = r->has_session ? r->session.user.username : "public";
}

static int64_t app_parse_id(const char *s)
{
    if (!s || !*s || strlen(s) > 18)
        return 0;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    return (*end || errno || v <= 0) ? 0 : (int64_t)v;
}

int64_t app_param_id(struct http_req *r, int i)
{
    int64_t id = app_parse_id(r->params[i]);
    if (!id)
        http_error(r, ERR_NOT_FOUND, NULL, NULL);
    return id;
}

int64_t app_query_id(struct http_req *r, const char *key)
{
    const char *s = http_query(r, key);
    if (!s || !*s)
        return 0;
    int64_t id = app_parse_id(s);
    if (!id) {
        http_error(r, ERR_INVALID_FIELD, "参数须为正整数", key);
        return -1;
    }
    return id;
}

int app_limit(struct http_req *r, int def, int max)
{
    const char *s = http_query(r, "limit");
    int64_t v = app_parse_id(s);
    if (!v)
        return def;
    return v > max ? max : (int)v;
}

static struct calendar *app_load_calendar(struct db *db)
{
    struct calendar *cal = calendar_new();
    sqlite3_stmt *years = db_stmt(db, "SELECT year FROM calendar_years");
    sqlite3_stmt *days = db_stmt(db, "SELECT day, kind, note FROM calendar_days");
    if (!years || !days) {
        calendar_free(cal);
        return NULL;
    }
    while (sqlite3_step(years) == SQLITE_ROW)
        calendar_set_year_known(cal, sqlite3_column_int(years, 0), true);
    sqlite3_reset(years);
    int rc;
    while ((rc = sqlite3_step(days)) == SQLITE_ROW) {
        int32_t day;
        if (calendar_parse_date((const char *)sqlite3_column_text(days, 0), &day))
            continue;
        const char *kind = (const char *)sqlite3_column_text(days, 1);
        calendar_set_day(cal, day, !strcmp(kind, "holiday") ? CALENDAR_HOLIDAY : CALENDAR_WORKDAY,
                         (const char *)sqlite3_column_text(days, 2));
    }
    sqlite3_reset(days);
    if (rc != SQLITE_DONE) {
        calendar_free(cal);
        return NULL;
    }
    return cal;
}

int app_reload_calendar(struct app *a, struct db *db)
{
    struct calendar *cal = app_load_calendar(db);
    if (!cal)
        return -1;
    pthread_rwlock_wrlock(&a->calendar_lock);
    struct calendar *old = a->calendar;
    a->calendar = cal;
    pthread_rwlock_unlock(&a->calendar_lock);
    calendar_free(old);
    return 0;
}

const struct calendar *app_calendar_lock(struct app *a)
{
    pthread_rwlock_rdlock(&a->calendar_lock);
    return a->calendar;
}

void app_calendar_unlock(struct app *a)
{
    pthread_rwlock_unlock(&a->calendar_lock);
}

struct app *app_new(const struct config *cfg, struct db *db)
{
    struct app *a = xcalloc(1, sizeof *a);
    a->cfg = cfg;
    pthread_rwlock_init(&a->calendar_lock, NULL);
    a->throttle = throttle_new(cfg->login_lockout);
    if (app_reload_calendar(a, db)) {
        log_error("app: cannot load the working-day calendar");
        app_free(a);
        return NULL;
    }
    return a;
}

void app_free(struct app *a)
{
    if (!a)
        return;
    calendar_free(a->calendar);
    throttle_free(a->throttle);
    pthread_rwlock_destroy(&a->calendar_lock);
    free(a);
}
