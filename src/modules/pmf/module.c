/* pmf module — PM2.5 source apportionment (docs/pmf.md): analyses, the
 * background worker that runs them, naming, publishing, the public view. */
#include "app/module.h"
#include "core/log.h"
#include "modules/jobs/jobs.h"
#include "modules/pmf/analysis.h"
#include "modules/pmf/pmf.h"

extern const struct schema_module schema_pmf;
extern const struct route_group app_pmf_routes;

static const struct route_group *const pmf_groups[] = {&app_pmf_routes, NULL};

/* The job facility's pool is already running (the jobs module is first in
 * the table): register the kind, then give a job to analyses stored before
 * analyses were jobs. */
static int pmf_start(const struct module_run *run)
{
    if (jobs_register(run->db, &pmf_job_kind))
        return -1;
    if (pmf_job_adopt(run->db))
        log_error("pmf: some queued analyses could not be given a job");
    return 0;
}

const struct module pmf_module = {
    .name = "pmf",
    .schema = &schema_pmf,
    .routes = pmf_groups,
    .demo = pmf_demo,
    .start = pmf_start,
};
