#include "app/app.h"
#include "app/module.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "net/static_files.h"
#include "db/audit.h"
#include "db/calendar.h"
#include "db/db.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The application's own routes: sign-in and the bureau's public details.
 * Every other route belongs to a module (app/modules.c). */
static const struct route app_route_table[] = {
    {HTTP_POST, "/api/v1/auth/login", app_auth_login, ROLES_ANY,
     ROUTE_NO_CSRF | ROUTE_OWN_THROTTLE},
    {HTTP_POST, "/api/v1/auth/logout", app_auth_logout, ROLES_SIGNED_IN, 0},
    {HTTP_GET, "/api/v1/auth/me", app_auth_me, ROLES_SIGNED_IN, 0},
    {HTTP_GET, "/api/v1/public/info", app_public_info, ROLES_ANY, 0},
};

const struct route_group app_core_routes = ROUTE_GROUP("core", app_route_table);

/* Route groups in match order: the application's, then each module's in
 * module-table order. Built once; the table is constant after that. */
static const struct route_group *app_groups[APP_MAX_ROUTE_GROUPS];
static size_t app_ngroups;
static pthread_once_t app_groups_once = PTHREAD_ONCE_INIT;

static void app_groups_build(void)
{
    app_groups[app_ngroups++] = &app_core_routes;
    size_t n;
    const struct module *const *mods = modules_all(&n);
    for (size_t i = 0; i < n; i++)
        for (const struct route_group *const *g = mods[i]->routes; g && *g; g++) {
            if (app_ngroups == APP_MAX_ROUTE_GROUPS)
                abort(); /* a programming error: raise APP_MAX_ROUTE_GROUPS */
            app_groups[app_ngroups++] = *g;
        }
}

const struct route_group *const *app_route_groups(size_t *count)
{
    pthread_once(&app_groups_once, app_groups_build);
    *count = app_ngroups;
    return app_groups;
}

bool app_route_addresses(const char *path)
{
    size_t n;
    const struct route_group *const *groups = app_route_groups(&n);
    for (size_t g = 0; g < n; g++)
        if (router_addresses(groups[g]->routes, groups[g]->count, path))
            return true;
    return false;
}

static enum router_result app_match(struct http_req *r, const struct route **route)
{
    enum router_result best = ROUTER_NO_PATH;
    size_t n;
    const struct route_group *const *groups = app_route_groups(&n);
    for (size_t g = 0; g < n; g++) {
        enum router_result m = router_match(groups[g]->routes, groups[g]->count, r, route);
        if (m == ROUTER_FOUND)
            return m;
        if (m == ROUTER_NO_METHOD)
            best = m;
    }
    return best;
}

static bool app_is_api(const char *path)
{
    return !strncmp(path, "/api/", 5) || !strcmp(path, "/api");
}

static bool app_is_write(const struct http_req *r)
{
    return r->method != HTTP_GET && r->method != HTTP_HEAD;
}

/* Anonymous writes (bookings, service forms, their attachments) are limited
 * per client address; 429 with Retry-After beyond. */
static bool app_public_write_ok(struct http_req *r)
{
    int64_t wait = ratelimit_take(r->app->public_writes, r->remote_addr, timeutil_now_ms());
    if (!wait)
        return true;
    char secs[24];
    snprintf(secs, sizeof secs, "%lld", (long long)wait);
    http_add_header(r, "Retry-After", secs);
    http_error(r, ERR_TOO_MANY_ATTEMPTS, "提交过于频繁，请稍后再试", NULL);
    log_warn("app: anonymous writes from %s over the limit (%s)", r->remote_addr, r->path);
    return false;
}

/* Everything decided from the headers, before a byte of the body is read:
 * the route exists and takes this method, the caller's session and role, the
 * CSRF token, the anonymous write limit, and how large a body may be. */
static void app_admit_api(struct http_req *r)
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
    enum err auth = app_auth_resolve(r);
    enum role role = r->has_session ? r->session.user.role : ROLE_PUBLIC;
    if (!(route->roles & ROLE_BIT(role))) {
        http_error(r, r->has_session ? ERR_FORBIDDEN : (auth ? auth : ERR_UNAUTHENTICATED), NULL,
                   NULL);
        return;
    }
    bool write = app_is_write(r);
    if (write && !(route->flags & ROUTE_NO_CSRF) && !app_auth_csrf_ok(r)) {
        http_error(r, ERR_CSRF_FAILED, NULL, NULL);
        return;
    }
    if (write && !r->has_session && !(route->flags & ROUTE_OWN_THROTTLE) && !app_public_write_ok(r))
        return;
    r->route = route;
    if (write)
        r->body_limit =
            (size_t)(route->flags & ROUTE_UPLOAD ? r->app->cfg->max_upload : r->app->cfg->max_body);
}

void app_admit(struct http_req *r)
{
    if (app_is_api(r->path))
        app_admit_api(r);
    else if (app_is_write(r)) /* the web UI's files are only read */
        http_error(r, ERR_METHOD_NOT_ALLOWED, NULL, NULL);
}

/* Runs the admitted route's handler. A JSON route's body is parsed here
 * once, so every write refuses malformed JSON (400) the same way, including
 * actions that read nothing from it; an empty body is no body. */
static void app_dispatch_api(struct http_req *r)
{
    const struct route *route = r->route;
    if (app_is_write(r) && !(route->flags & ROUTE_UPLOAD) && r->body.len) {
        json_t *body = http_body_json(r);
        if (!body)
            return;
        json_decref(body);
    }
    route->handler(r);
}

/* The map tile template the browser may load: a path on this site (the
 * Content-Security-Policy lets images come from nowhere else; an offline tile
 * server is put behind the same host) with {z}, {x} and {y}, and nothing a
 * URL or an HTML attribute would read differently. */
static bool app_tile_url_ok(const char *u)
{
    if (u[0] != '/' || u[1] == '/' || strlen(u) > 300)
        return false;
    for (const char *p = u; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f || strchr("\"'<>\\`", *p))
            return false;
    return strstr(u, "{z}") && strstr(u, "{x}") && strstr(u, "{y}");
}

void app_public_info(struct http_req *r)
{
    const struct config *c = r->app->cfg;
    const char *tiles = c->map_tile_url ? c->map_tile_url : "";
    bool ok = app_tile_url_ok(tiles);
    http_json(r, 200,
              json_pack("{s{ss ss ss ss ss ss} s{ss sb}}", "bureau", "name", c->bureau_name,
                        "name_en", c->bureau_name_en, "address", c->bureau_address, "phone",
                        c->bureau_phone, "email", c->bureau_email, "hours", c->bureau_hours, "map",
                        "tile_url", ok ? tiles : "", "tile_url_refused", *tiles && !ok));
}

void app_dispatch(struct http_req *r)
{
    if (app_is_api(r->path))
        app_dispatch_api(r);
    else
        static_serve(r, r->app->cfg->web_root);
}

int app_reload_calendar(struct app *a, struct db *db)
{
    struct calendar *cal = db_calendar_load(db);
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
    a->public_writes =
        ratelimit_new((int)cfg->public_write_burst, (int)cfg->public_write_per_minute);
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
    ratelimit_free(a->public_writes);
    pthread_rwlock_destroy(&a->calendar_lock);
    free(a);
}
