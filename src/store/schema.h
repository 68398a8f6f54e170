/* schema — the database schema, as ordered migrations per module.
 *
 * Each module (core, service, approval, ...) owns a list of migration steps
 * in its own file and registers it in schema.c's module table. Applied steps
 * are recorded per module in schema_versions, so modules evolve independently
 * and are applied in table order. Never edit a published step; append one. */
#ifndef ECOGOV_SCHEMA_H
#define ECOGOV_SCHEMA_H

#include <stddef.h>

struct db;

struct schema_module {
    const char *name;
    const char *const *steps; /* SQL scripts; step i brings the module to version i+1 */
    size_t nsteps;
    /* Optional data step after step i, in the same transaction. 0 or -1. */
    int (*after_step)(struct db *db, size_t step);
};

/* The registered modules in the order they are applied. */
const struct schema_module *const *schema_modules(size_t *count);

/* The foundation's module (sections, users, sessions, enterprises, audit, calendar). */
extern const struct schema_module schema_core;
extern const struct schema_module schema_service; /* service_schema.c */
/* Air and water quality (docs/quality.md). */
extern const struct schema_module schema_quality;
/* Device data (issue 3): stations, devices, readings, frames (store/monitor_schema.c). */
extern const struct schema_module schema_monitor;
/* Supervision (issue 7): draws, positive list, credit, inspections, alarms, cases. */
extern const struct schema_module schema_supervision;
extern const struct schema_module schema_approval; /* approval_schema.c */

#endif
