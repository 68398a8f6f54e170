/* response module — heavy-pollution response: forecasts and their
 * verification, warnings (docs/response.md). */
#include "app/module.h"
#include "modules/response/response.h"

extern const struct schema_module schema_response;
extern const struct route_group app_response_routes;
extern const struct route_group app_response_list_routes;
extern const struct route_group app_response_episode_routes;
extern const struct route_group app_response_region_routes;

static const struct route_group *const response_groups[] = {
    &app_response_routes, &app_response_list_routes, &app_response_episode_routes,
    &app_response_region_routes, NULL};

static int response_demo(const struct module_demo *d)
{
    return demo_response(d->db, d->actor, d->seed);
}

/* Pulls the neighbours' feeds every region_pull_interval seconds (0 = off). */
static long response_tick_seconds(const struct config *cfg)
{
    return cfg->region_pull_interval > 0 && cfg->region_members && *cfg->region_members
               ? cfg->region_pull_interval
               : 0;
}

static int response_tick(const struct module_run *run)
{
    json_t *report = resp_region_pull(run->db, run->cfg, run->now);
    json_decref(report);
    return report ? 0 : -1;
}

const struct module response_module = {
    .name = "response",
    .schema = &schema_response,
    .routes = response_groups,
    .demo = response_demo,
    .tick_seconds = response_tick_seconds,
    .tick = response_tick,
};
