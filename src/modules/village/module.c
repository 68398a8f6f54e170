/* village module — rural sewage facilities and daily waste clearance
 * (docs/village.md). */
#include "app/app.h"
#include "app/module.h"
#include "core/log.h"
#include "modules/village/village.h"

#include <string.h>

extern const struct schema_module schema_village;
extern const struct route_group app_village_sewage_routes;
extern const struct route_group app_village_waste_routes;

static const struct route_group *const village_groups[] = {&app_village_sewage_routes,
                                                           &app_village_waste_routes, NULL};

static int village_demo_step(const struct module_demo *d)
{
    return demo_village(d->db, d->cfg, d->actor, d->seed);
}

/* Alarms (online exceedances, stops) and missed waste days: every ten
 * minutes, as the tracker's scheduler; each event is raised, each missed
 * village-day flagged, once whatever the number of ticks. */
static long village_tick_seconds(const struct config *cfg)
{
    (void)cfg;
    return 600;
}

static int village_tick(const struct module_run *run)
{
    struct village_ctx c;
    memset(&c, 0, sizeof c);
    c.db = run->db;
    c.cfg = run->cfg;
    c.actor = (struct audit_actor){0, "system"};
    village_ctx_clock(&c, run->now);
    c.cal = app_calendar_lock(run->app);
    int raised = village_sweep(&c);
    int flagged = village_waste_sweep(&c);
    app_calendar_unlock(run->app);
    if (raised > 0)
        log_info("village: raised %d alarm(s)", raised);
    if (flagged > 0)
        log_info("village: flagged %d missed waste day(s)", flagged);
    return raised < 0 || flagged < 0 ? -1 : 0;
}

const struct module village_module = {
    .name = "village",
    .schema = &schema_village,
    .routes = village_groups,
    .demo = village_demo_step,
    .tick_seconds = village_tick_seconds,
    .tick = village_tick,
    .tick_at_start = true,
};
