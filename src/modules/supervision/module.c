/* supervision module — 双随机 draws, the enforcement positive list,
 * inspections and penalties, alarm → case, credit lists and the public
 * disclosure centre (docs/supervision.md). */
#include "app/module.h"
#include "modules/supervision/supervision.h"

extern const struct schema_module schema_supervision;
extern const struct route_group app_supervision_routes;
extern const struct route_group app_supervision_answer_routes;
extern const struct route_group app_supervision_evidence_routes;

static const struct route_group *const supervision_groups[] = {
    &app_supervision_routes, &app_supervision_answer_routes, &app_supervision_evidence_routes,
    NULL};

static int supervision_demo(const struct module_demo *d)
{
    return demo_supervision(d->db, d->seed);
}

static const struct ent360_provider supervision_ent360[] = {
    {"supervision", "监管执法", supervision_ent360_supervision, false, 30},
    {"credit", "信用", supervision_ent360_credit, false, 40},
};

const struct module supervision_module = {
    .name = "supervision",
    .schema = &schema_supervision,
    .routes = supervision_groups,
    .demo = supervision_demo,
    .ent360 = supervision_ent360,
    .nent360 = sizeof supervision_ent360 / sizeof supervision_ent360[0],
};
