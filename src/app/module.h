/* module — what a module of ecogov is, and the one table that lists them.
 *
 * A module (registry, service, monitor, quality, approval, supervision, ...)
 * lives in src/modules/<name>/ and describes itself with one struct module in
 * its module.c. The table in app/modules.c is the only place a module is
 * listed: schema migrations, HTTP routes, demo data, the serve loop's periodic
 * work, services started with the server and enterprise-360° sections are all
 * found through it. Adding a module = one folder + one line in that table.
 *
 * Owns: the order modules are applied in (schema, demo, routes, ticks): table
 * order. Must not: know any module's internals. */
#ifndef ECOGOV_MODULE_H
#define ECOGOV_MODULE_H

#include "app/ent360.h"
#include "core/config.h"
#include "db/audit.h"
#include "db/schema.h"
#include "net/router.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct app;
struct db;

/* What a module's demo step gets: the database (no transaction open), the
 * configuration, the actor its audit entries name, the seed (the same seed
 * gives the same demo city) and the number of enterprises asked for. */
struct module_demo {
    struct db *db;
    const struct config *cfg;
    const struct audit_actor *actor;
    uint64_t seed;
    long enterprises;
};

/* What a module's periodic work and services get while `ecogov serve` runs.
 * db is the serve loop's own connection; app is shared with the HTTP
 * workers. */
struct module_run {
    struct db *db;
    const struct config *cfg;
    struct app *app;
    int64_t now; /* UTC seconds */
};

struct module {
    const char *name;
    /* Tables and migrations; NULL when the module keeps none of its own. */
    const struct schema_module *schema;
    /* Route groups, NULL-terminated; NULL for none. */
    const struct route_group *const *routes;
    /* Writes the module's demo data through its own rule functions, after
     * every module before it in the table. 0 or -1 (logged or printed). */
    int (*demo)(const struct module_demo *d);
    /* Periodic work in the serve loop: called about every tick_seconds(cfg)
     * seconds (0 = never). Returns 0, or -1 when some of it failed (logged;
     * retried next time). */
    long (*tick_seconds)(const struct config *cfg);
    int (*tick)(const struct module_run *run);
    bool tick_at_start; /* also once before the server reports it listens */
    /* A service started with the server (the HJ 212 listener) and stopped
     * with it, before the HTTP server stops. start returns 0 or -1; it may
     * print the address it listens on. */
    int (*start)(const struct module_run *run);
    void (*stop)(void);
    /* Sections of the enterprise 360° page, in page order; n of them. */
    const struct ent360_provider *ent360;
    size_t nent360;
};

/* At most this many modules (per-module arrays elsewhere are sized by it). */
#define MODULES_MAX 32

/* The modules, in table order. */
const struct module *const *modules_all(size_t *count);

/* Schema: every module's migrations, applied in table order (db_migrate_all
 * over the table); the schema version this build expects. */
int modules_migrate(struct db *db, char *err, size_t errlen);
int modules_schema_version(void);

/* Runs every module's demo step in table order; 0 or -1. */
int modules_demo(const struct module_demo *d);

#endif
