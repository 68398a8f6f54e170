/* river module — the river-chief system (docs/river.md). */
#include "app/module.h"
#include "modules/river/river.h"

extern const struct schema_module schema_river;
extern const struct route_group app_river_routes;
extern const struct route_group app_river_public_routes;

static const struct route_group *const river_groups[] = {&app_river_routes,
                                                         &app_river_public_routes, NULL};

static int river_demo(const struct module_demo *d)
{
    return demo_river(d->db, d->cfg, d->actor, d->seed);
}

const struct module river_module = {
    .name = "river",
    .schema = &schema_river,
    .routes = river_groups,
    .demo = river_demo,
    .tick_seconds = river_tick_seconds,
    .tick = river_tick,
    .tick_at_start = true, /* a server that was down catches up at once */
};
