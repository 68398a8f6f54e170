/* jobs module — the one facility for long work (jobs.h, docs/jobs.md): the
 * jobs table, the worker pool started and stopped with the server, and
 * /api/v1/jobs. Listed first in the module table, so the pool runs before
 * the modules that register their kinds start, and stops after them. */
#include "app/module.h"
#include "modules/jobs/jobs.h"

extern const struct schema_module schema_jobs;
extern const struct route_group app_jobs_routes;

static const struct route_group *const jobs_groups[] = {&app_jobs_routes, NULL};

/* Two workers: the machine's cores belong to the HTTP workers and the device
 * listener first; a third long job waits its turn. */
#define JOBS_WORKERS 2

static int jobs_start(const struct module_run *run)
{
    return jobs_pool_start(run->cfg->db, run->cfg->var_dir, JOBS_WORKERS);
}

/* Old result files go once an hour (JOBS_KEEP_DAYS). */
static long jobs_tick_seconds(const struct config *cfg)
{
    (void)cfg;
    return 3600;
}

static int jobs_tick(const struct module_run *run)
{
    return jobs_purge_files(run->db, run->now);
}

const struct module jobs_module = {
    .name = "jobs",
    .schema = &schema_jobs,
    .routes = jobs_groups,
    .start = jobs_start,
    .stop = jobs_pool_stop,
    .tick_seconds = jobs_tick_seconds,
    .tick = jobs_tick,
};
