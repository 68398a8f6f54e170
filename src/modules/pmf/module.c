/* pmf module — PM2.5 source apportionment (docs/pmf.md): analyses, the
 * background worker that runs them, naming, publishing, the public view. */
#include "app/module.h"
#include "modules/pmf/analysis.h"
#include "modules/pmf/pmf.h"

extern const struct schema_module schema_pmf;
extern const struct route_group app_pmf_routes;

static const struct route_group *const pmf_groups[] = {&app_pmf_routes, NULL};

static int pmf_start(const struct module_run *run)
{
    return pmf_job_start(run->cfg->db);
}

const struct module pmf_module = {
    .name = "pmf",
    .schema = &schema_pmf,
    .routes = pmf_groups,
    .start = pmf_start,
    .stop = pmf_job_stop,
};
