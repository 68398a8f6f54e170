/* portal module — the enterprise portal's to-dos; see portal.h. */
#include "modules/portal/portal.h"
#include "app/module.h"

extern const struct route_group app_portal_routes;

static const struct route_group *const portal_groups[] = {&app_portal_routes, NULL};

const struct module portal_module = {
    .name = "portal",
    .routes = portal_groups,
};
