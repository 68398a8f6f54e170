/* response module — heavy-pollution response: forecasts and their
 * verification, warnings (docs/response.md). */
#include "app/module.h"
#include "modules/response/response.h"

extern const struct schema_module schema_response;
extern const struct route_group app_response_routes;
extern const struct route_group app_response_list_routes;
extern const struct route_group app_response_episode_routes;

static const struct route_group *const response_groups[] = {
    &app_response_routes, &app_response_list_routes, &app_response_episode_routes, NULL};

static int response_demo(const struct module_demo *d)
{
    return demo_response(d->db, d->actor, d->seed);
}

const struct module response_module = {
    .name = "response",
    .schema = &schema_response,
    .routes = response_groups,
    .demo = response_demo,
};
