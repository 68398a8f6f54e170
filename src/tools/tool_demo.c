/* tool_demo — `ecogov demo --seed N [--enterprises N]`: fills an empty
 * database with the fictional ceramics city 景瓷市 (modelled on a real
 * ceramics city): its districts and towns, sections, a few hundred
 * enterprises and an account for every role.
 *
 * Each module writes its own part (its descriptor's demo step, app/module.h)
 * through the same functions the API uses, so demo data obeys the same rules
 * as real data. The generator is deterministic for a seed. */
#include "app/module.h"
#include "db/audit.h"
#include "db/db.h"
#include "db/users.h"
#include "modules/registry/registry.h"
#include "tools/tool_common.h"
#include "tools/tools.h"

#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long demo_number(const char *s, long lo, long hi, long def)
{
    if (!s)
        return def;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    return (*s && !*end && !errno && v >= lo && v <= hi) ? v : -1;
}

int tool_demo_main(int argc, char **argv)
{
    static const char *const own[] = {"--seed", "--enterprises", NULL};
    struct tool_args a;
    tool_args_split(argc, argv, own, &a);
    long seed = demo_number(tool_arg(&a, "--seed"), 0, 1L << 30, 1);
    long count = demo_number(tool_arg(&a, "--enterprises"), 1, 1000000, 300);
    if (seed < 0 || count < 0) {
        fprintf(stderr,
                "usage: ecogov demo [--db=FILE] [--seed N] [--enterprises N (1..1000000)]\n");
        tool_args_free(&a);
        return 2;
    }
    if (sodium_init() < 0)
        return 1;
    struct config cfg;
    struct db *db = tool_open_db(&a, &cfg, 1);
    tool_args_free(&a);
    if (!db)
        return 1;
    int rc = 1;
    struct audit_actor actor = {0, "demo"};
    struct module_demo d = {db, &cfg, &actor, (uint64_t)seed, count};
    int64_t users = users_count(db), enterprises = registry_count(db);
    if (users < 0 || enterprises < 0) {
        fprintf(stderr, "ecogov demo: cannot read %s\n", cfg.db);
    } else if (users || enterprises) {
        fprintf(stderr,
                "ecogov demo: %s already has data; demo data goes into an empty "
                "database\n",
                cfg.db);
    } else if (modules_demo(&d)) {
        fprintf(stderr, "ecogov demo: failed\n");
    } else {
        printf("demo city 景瓷市 in %s: %ld enterprises, accounts admin/Admin@2026, "
               "eiachief/Chief@2026, "
               "leader/Leader@2026, staff/Staff@2026, staff2/Staff@2026, ent/Ent@2026, "
               "river chiefs chief_town/Chief@2026 and chief_village/Chief@2026, township offices "
               "jiaotan/Town@2026 and jinggongqiao/Town@2026\n",
               cfg.db, count);
        rc = 0;
    }
    db_close(db);
    config_free(&cfg);
    return rc;
}
