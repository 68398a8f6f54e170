/* schema — the database schema, as ordered migrations per module.
 *
 * Each module owns a list of migration steps in its own schema.c and names it
 * in its descriptor (app/module.h); db_migrate applies them in the module
 * table's order. Applied steps are recorded per module in schema_versions, so
 * modules evolve independently. Never edit a published step; append one. */
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

/* The foundation's tables (sections, users, sessions, enterprises, areas,
 * audit, calendar): the database layer's and the registry's, kept under the
 * module name "core" that existing databases record. */
extern const struct schema_module schema_core;

#endif
