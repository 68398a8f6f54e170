/* app — what every handler shares: the configuration, the working-day
 * calendar (swapped whole when an admin edits it), and the login throttle.
 *
 * Owns: those objects for the life of the server. */
#ifndef ECOGOV_APP_H
#define ECOGOV_APP_H

#include "core/config.h"
#include "domain/calendar.h"
#include "net/http.h"
#include "net/router.h"
#include "net/ratelimit.h"
#include "net/throttle.h"

#include <pthread.h>

struct app {
    const struct config *cfg;
    pthread_rwlock_t calendar_lock;
    struct calendar *calendar;
    struct throttle *throttle;
    struct ratelimit *public_writes; /* anonymous writes per client address */
};

/* Builds the app and loads the calendar from db. NULL on failure (logged). */
struct app *app_new(const struct config *cfg, struct db *db);
void app_free(struct app *a);
/* Rebuilds the calendar from the database and swaps it in. 0 or -1. */
int app_reload_calendar(struct app *a, struct db *db);
/* Read access to the calendar: lock, use, unlock. */
const struct calendar *app_calendar_lock(struct app *a);
void app_calendar_unlock(struct app *a);

/* The request entry points given to http_start: admission (headers only,
 * before the body is read) and dispatch (the complete request). */
void app_admit(struct http_req *r);
void app_dispatch(struct http_req *r);
/* The route groups in match order (the application's own, then each
 * module's), for dispatch, the route walk test and `ecogov routes`. */
#define APP_MAX_ROUTE_GROUPS 64
const struct route_group *const *app_route_groups(size_t *count);
/* Whether path is the address of some route (any method): a record there has
 * an address of its own. */
bool app_route_addresses(const char *path);
extern const struct route_group app_core_routes;

/* The application's own handlers (auth.c, app.c). */
void app_auth_login(struct http_req *r);
void app_auth_logout(struct http_req *r);
void app_auth_me(struct http_req *r);
void app_public_info(struct http_req *r);

/* Session handling used by the dispatcher (auth.c). */
enum err app_auth_resolve(struct http_req *r);
bool app_auth_csrf_ok(struct http_req *r);

#endif
