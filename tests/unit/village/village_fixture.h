/* village_fixture — the fixture both village unit tests run on: a migrated
 * temporary database (unit_db.h), the built-in holiday calendar, one section
 * (the township office or the water section that owns what is made) and a
 * village context acting as "tester" now. Header-only: each unit test is one
 * program. */
#ifndef ECOGOV_VILLAGE_FIXTURE_H
#define ECOGOV_VILLAGE_FIXTURE_H

#include "core/timeutil.h"
#include "domain/calendar.h"
#include "modules/village/village.h"

#include <stdlib.h>

#include "../unit_db.h"

struct fixture {
    char path[64];
    struct db *db;
    struct calendar *cal;
    struct village_ctx c;
    int64_t section;
};

/* cmocka's setup with the database file named after tag; -1 on failure. */
static inline int village_fixture_setup(void **state, const char *tag)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    *state = f;
    f->db = unit_db_open(f->path, tag);
    if (!f->db)
        return -1;
    f->cal = calendar_new();
    calendar_load_builtin(f->cal);
    if (db_run(f->db, "INSERT INTO sections (name, created_at) VALUES ('水生态环境科', 0)", ""))
        return -1;
    f->section = db_last_id(f->db);
    f->c = (struct village_ctx){.db = f->db, .cal = f->cal, .actor = {0, "tester"}};
    village_ctx_clock(&f->c, timeutil_now());
    return 0;
}

static inline int village_fixture_teardown(void **state)
{
    struct fixture *f = *state;
    if (!f)
        return 0;
    if (f->cal)
        calendar_free(f->cal);
    if (f->db)
        unit_db_close(f->db, f->path);
    free(f);
    return 0;
}

#endif
