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
#include "net/throttle.h"

#include <pthread.h>

struct app {
    const struct config *cfg;
    pthread_rwlock_t calendar_lock;
    struct calendar *calendar;
    struct throttle *throttle;
};

/* Builds the app and loads the calendar from db. NULL on failure (logged). */
struct app *app_new(const struct config *cfg, struct db *db);
void app_free(struct app *a);
/* Rebuilds the calendar from the database and swaps it in. 0 or -1. */
int app_reload_calendar(struct app *a, struct db *db);
/* Read access to the calendar: lock, use, unlock. */
const struct calendar *app_calendar_lock(struct app *a);
void app_calendar_unlock(struct app *a);

/* The request entry point given to http_start. */
void app_dispatch(struct http_req *r);
/* The route groups, for dispatch, the route walk test and `ecogov routes`.
 * Each module adds one line to the group table in app.c. */
const struct route_group *const *app_route_groups(size_t *count);
extern const struct route_group app_core_routes;
extern const struct route_group app_monitor_routes;
extern const struct route_group app_service_routes; /* api_service.c */
extern const struct route_group app_quality_routes; /* api_quality.c */
extern const struct route_group app_quality_alarm_routes; /* api_alarms.c */
extern const struct route_group app_quality_report_routes; /* api_quality_reports.c */
extern const struct route_group app_quality_feed_routes;   /* quality_feed.c */
extern const struct route_group app_supervision_routes; /* api_supervision.c */
extern const struct route_group app_approval_routes;     /* api_approval.c */
extern const struct route_group app_siting_routes;       /* api_siting.c */
extern const struct route_group app_invest_routes;       /* api_approval_invest.c */

/* Shared by handlers: the actor for audit entries, id parsing, paging. */
struct audit_actor;
void app_actor(struct http_req *r, struct audit_actor *actor);
/* Parses r->params[i] as a positive id; answers 404 itself and returns 0 when
 * it is not one. */
int64_t app_param_id(struct http_req *r, int i);
/* limit query parameter clamped to [1, max], default def. */
int app_limit(struct http_req *r, int def, int max);
/* An optional query parameter as a positive int64 (0 = absent); -1 and a 422
 * answer when present but malformed. */
int64_t app_query_id(struct http_req *r, const char *key);

/* Handlers, one group per file under src/api/. */
void api_auth_login(struct http_req *r);
void api_auth_logout(struct http_req *r);
void api_auth_me(struct http_req *r);
void api_public_info(struct http_req *r);
void api_public_meta(struct http_req *r);
void api_areas_put(struct http_req *r);
void api_industries(struct http_req *r);
void api_uscc_check(struct http_req *r);
void api_enterprises_list(struct http_req *r);
void api_enterprises_get(struct http_req *r);
void api_enterprises_create(struct http_req *r);
void api_enterprises_update(struct http_req *r);
void api_enterprises_import(struct http_req *r);
void api_enterprises_export(struct http_req *r);
void api_users_list(struct http_req *r);
void api_users_create(struct http_req *r);
void api_users_update(struct http_req *r);
void api_sections_list(struct http_req *r);
void api_sections_create(struct http_req *r);
void api_sections_update(struct http_req *r);
void api_audit_list(struct http_req *r);
void api_audit_verify(struct http_req *r);
void api_calendar_get(struct http_req *r);
void api_calendar_put(struct http_req *r);
void api_calendar_add(struct http_req *r);
void api_calendar_count(struct http_req *r);

/* Session handling used by the dispatcher (api_auth.c). */
enum err api_auth_resolve(struct http_req *r);
bool api_auth_csrf_ok(struct http_req *r);

#endif
