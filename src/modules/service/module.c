/* service module — enterprise service: on-site service forms, reception
 * days, the 督办 tracker and its scheduler, attachments (docs/service.md). */
#include "app/module.h"
#include "modules/service/service.h"

#include <stdint.h>

extern const struct schema_module schema_service;
extern const struct route_group app_service_routes;

static const struct route_group *const service_groups[] = {&app_service_routes, NULL};

static int service_demo(const struct module_demo *d)
{
    return demo_service(d->db, d->cfg);
}

/* The tracker's warnings, overdue notices and escalations: every ten
 * minutes, with the server's other housekeeping. */
static long service_tick_seconds(const struct config *cfg)
{
    (void)cfg;
    return 600;
}

static int service_tick(const struct module_run *run)
{
    return svc_sched_tick(run->db, run->app) < 0 ? -1 : 0;
}

/* The tracker export's job kind; the job facility's pool is already running. */
static int service_start(const struct module_run *run)
{
    return svc_tracker_export_register(run->db);
}

static const struct ent360_provider service_ent360[] = {
    {"service", "企业服务", svc_ent360, false, 10},
};

const struct module service_module = {
    .name = "service",
    .schema = &schema_service,
    .routes = service_groups,
    .demo = service_demo,
    .start = service_start,
    .tick_seconds = service_tick_seconds,
    .tick = service_tick,
    .tick_at_start = true,
    .ent360 = service_ent360,
    .nent360 = sizeof service_ent360 / sizeof service_ent360[0],
};
