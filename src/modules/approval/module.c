/* approval module — EIA approvals with their clocks, siting checks and the
 * investment project library (docs/approval.md). */
#include "app/module.h"
#include "modules/approval/approval.h"

extern const struct schema_module schema_approval;
extern const struct route_group app_approval_routes;
extern const struct route_group app_siting_routes;
extern const struct route_group app_invest_routes;

static const struct route_group *const approval_groups[] = {
    &app_approval_routes,
    &app_siting_routes,
    &app_invest_routes,
    NULL,
};

static int approval_demo(const struct module_demo *d)
{
    return demo_approval(d->db, d->actor, d->cfg);
}

static const struct ent360_provider approval_ent360[] = {
    {"approvals", "环评审批", approval_ent360_approvals, false, 20},
};

const struct module approval_module = {
    .name = "approval",
    .schema = &schema_approval,
    .routes = approval_groups,
    .demo = approval_demo,
    .ent360 = approval_ent360,
    .nent360 = sizeof approval_ent360 / sizeof approval_ent360[0],
};
