/* modules — the one table of ecogov's modules (app/module.h). Table order is
 * the order of schema migrations, demo data, route matching, periodic work
 * and enterprise-360° sections. */
#include "app/module.h"
#include "db/db.h"
#include "modules/admin/admin.h"
#include "modules/approval/approval.h"
#include "modules/audit/audit.h"
#include "modules/jobs/jobs.h"
#include "modules/leader/leader.h"
#include "modules/monitor/monitor.h"
#include "modules/pmf/pmf.h"
#include "modules/portal/portal.h"
#include "modules/quality/quality.h"
#include "modules/registry/registry.h"
#include "modules/response/response.h"
#include "modules/river/river.h"
#include "modules/service/service.h"
#include "modules/supervision/supervision.h"
#include "modules/village/village.h"

#include <stdio.h>

static const struct module *const modules_table[] = {
    &jobs_module,        /* the one job facility: long work with progress (first: its pool) */
    &registry_module,    /* enterprises, areas, industries, credit codes */
    &admin_module,       /* accounts, sections, audit log, calendar */
    &service_module,     /* service forms, reception days, the tracker */
    &monitor_module,     /* HJ 212 devices, readings, commands, forwarding */
    &quality_module,     /* air and water quality, alarms, reports */
    &supervision_module, /* draws, positive list, inspections, credit */
    &approval_module,    /* EIA approvals, siting, investment projects */
    &audit_module,       /* signed checkpoints of the audit chain */
    &pmf_module,         /* PM2.5 source apportionment (PMF) */
    &response_module,    /* heavy-pollution forecasts, warnings, reduction lists */
    &leader_module,      /* the leader's home: what is late or at risk */
    &portal_module,      /* the enterprise portal's home: its to-dos */
    &river_module,       /* river chiefs: reaches, patrols, signboards, sections */
    &village_module,     /* rural sewage facilities, daily waste clearance */
};

#define MODULES_COUNT (sizeof modules_table / sizeof modules_table[0])
_Static_assert(MODULES_COUNT <= MODULES_MAX, "raise MODULES_MAX");

const struct module *const *modules_all(size_t *count)
{
    *count = MODULES_COUNT;
    return modules_table;
}

/* The foundation's schema first, then each module's that has one. */
static size_t modules_schemas(const struct schema_module *out[MODULES_COUNT + 1])
{
    size_t n = 0;
    out[n++] = &schema_core;
    for (size_t i = 0; i < MODULES_COUNT; i++)
        if (modules_table[i]->schema)
            out[n++] = modules_table[i]->schema;
    return n;
}

int modules_migrate(struct db *db, char *err, size_t errlen)
{
    const struct schema_module *s[MODULES_COUNT + 1];
    size_t n = modules_schemas(s);
    return db_migrate(db, s, n, err, errlen);
}

int modules_schema_version(void)
{
    const struct schema_module *s[MODULES_COUNT + 1];
    size_t n = modules_schemas(s);
    return db_latest_version(s, n);
}

int modules_demo(const struct module_demo *d)
{
    for (size_t i = 0; i < MODULES_COUNT; i++)
        if (modules_table[i]->demo && modules_table[i]->demo(d)) {
            fprintf(stderr, "ecogov demo: module %s failed\n", modules_table[i]->name);
            return -1;
        }
    return 0;
}
