/* leader module — the leader's home; see leader.h. */
#include "modules/leader/leader.h"
#include "app/module.h"

extern const struct route_group app_leader_routes;

static const struct route_group *const leader_groups[] = {&app_leader_routes, NULL};

const struct module leader_module = {
    .name = "leader",
    .routes = leader_groups,
};
