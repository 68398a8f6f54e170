/* quality module — air and water quality: stations, hourly data, AQI,
 * evaluation, rankings, alarms, reports and the device feed
 * (docs/quality.md). */
#include "app/module.h"
#include "core/log.h"
#include "modules/quality/quality.h"

extern const struct schema_module schema_quality;
extern const struct route_group app_quality_routes;
extern const struct route_group app_quality_water_routes;
extern const struct route_group app_quality_alarm_routes;
extern const struct route_group app_quality_report_routes;
extern const struct route_group app_quality_feed_routes;

static const struct route_group *const quality_groups[] = {
    &app_quality_routes,        &app_quality_water_routes, &app_quality_alarm_routes,
    &app_quality_report_routes, &app_quality_feed_routes,  NULL,
};

/* The stations, data, water sections and alarm rules; then the links to the
 * monitor module's demo devices (it comes earlier in the table). */
static int quality_demo(const struct module_demo *d)
{
    return demo_quality(d->db, d->actor, d->seed) || demo_quality_feed(d->db, d->actor) ? -1 : 0;
}

/* The device feed runs every quality_feed_interval seconds (0 = off). */
static long quality_tick_seconds(const struct config *cfg)
{
    return cfg->quality_feed_interval > 0 ? cfg->quality_feed_interval : 0;
}

static int quality_tick(const struct module_run *run)
{
    struct quality_feed_stats fs;
    if (quality_feed_run(run->db, run->now, &fs) < 0) {
        log_warn("serve: quality feed failed for some stations");
        return -1;
    }
    return 0;
}

/* The annual report's job kind; the job facility's pool is already running. */
static int quality_start(const struct module_run *run)
{
    return quality_annual_job_register(run->db);
}

static const struct ent360_provider quality_ent360[] = {
    {"alarms", "超标报警", quality_ent360_alarms, false, 50},
};

const struct module quality_module = {
    .name = "quality",
    .schema = &schema_quality,
    .routes = quality_groups,
    .demo = quality_demo,
    .start = quality_start,
    .tick_seconds = quality_tick_seconds,
    .tick = quality_tick,
    .ent360 = quality_ent360,
    .nent360 = sizeof quality_ent360 / sizeof quality_ent360[0],
};
