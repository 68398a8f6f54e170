/* monitor module — device data acquisition: stations and devices, the HJ 212
 * listener with its ingest writer, readings and rollups, commands and
 * forwarding (docs/monitoring.md). */
#include "app/module.h"
#include "modules/monitor/monitor.h"
#include "modules/monitor/ingest.h"
#include "modules/monitor/nodes.h"

#include <stdio.h>

extern const struct schema_module schema_monitor;
extern const struct route_group app_monitor_routes;

static const struct route_group *const monitor_groups[] = {&app_monitor_routes, NULL};

/* The demo city's stations and devices, with 20 micro-stations, and the province's AQI
 * stations with their hour records. */
static int monitor_demo(const struct module_demo *d)
{
    return demo_monitor(d->db, d->cfg->db, d->actor, 20, d->seed);
}

static struct hj212_server *monitor_listener;

/* The HJ 212 listener with its writer and relay, unless hj212_port is negative. */
static int monitor_start(const struct module_run *run)
{
    const struct config *cfg = run->cfg;
    /* the store first: the API reads it even without a device listener */
    char err[512];
    if (monitor_store_setup(cfg, 0, err, sizeof err)) {
        fprintf(stderr, "ecogov: %s\n", err);
        return -1;
    }
    if (nodes_start(cfg, err, sizeof err)) {
        fprintf(stderr, "ecogov: %s\n", err);
        return -1;
    }
    if (cfg->hj212_port < 0)
        return 0;
    struct ingest_listen_opts lo = {
        .listener = {cfg->hj212_listen, (int)cfg->hj212_port, (size_t)cfg->hj212_max_frame,
                     (int)cfg->hj212_idle_timeout, (int)cfg->hj212_frame_timeout,
                     (int)cfg->hj212_max_connections, (int)cfg->hj212_per_ip_connections,
                     (int)cfg->hj212_rate, (int)cfg->hj212_hello_timeout, cfg->hj212_reject_budget,
                     (int)cfg->hj212_unknown_budget, (int)cfg->hj212_refuse_seconds},
        .db_path = cfg->db,
        .raw_days = (int)cfg->hj212_raw_days,
        .batch_rows = (int)cfg->hj212_batch_rows,
        .batch_ms = (int)cfg->hj212_batch_ms,
        .forward = cfg->hj212_forward,
        .gap_interval = (int)cfg->hj212_gap_interval,
        .gap_hours = (int)cfg->hj212_gap_hours,
        .clock_check = (int)cfg->hj212_clock_check,
        .clock_tolerance = (int)cfg->hj212_clock_tolerance};
    int port = 0;
    monitor_listener = ingest_listen(&lo, &port);
    if (!monitor_listener) {
        nodes_stop();
        return -1;
    }
    printf("ecogov: hj212 listening on %s:%d\n", cfg->hj212_listen, port);
    return 0;
}

static void monitor_stop(void)
{
    nodes_close_requests(); /* no request handed to the listener while it is freed */
    ingest_unlisten(monitor_listener);
    monitor_listener = NULL;
    nodes_stop(); /* after the writer: an ingest node's last outbox rows go out */
}

static const struct ent360_provider monitor_ent360[] = {
    {"monitoring", "在线监测", monitor_ent360_monitoring, false, 60},
};

const struct module monitor_module = {
    .name = "monitor",
    .schema = &schema_monitor,
    .routes = monitor_groups,
    .demo = monitor_demo,
    .start = monitor_start,
    .stop = monitor_stop,
    .ent360 = monitor_ent360,
    .nent360 = sizeof monitor_ent360 / sizeof monitor_ent360[0],
};
