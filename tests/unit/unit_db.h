/* unit_db — the database a unit test of rule functions runs on: a fresh file
 * under /tmp migrated with every module's schema, removed with its WAL files
 * afterwards, and enterprises inserted directly (the registry's rules are
 * tested elsewhere). Header-only: each unit test is one program. */
#ifndef ECOGOV_UNIT_DB_H
#define ECOGOV_UNIT_DB_H

#include "app/module.h"
#include "db/db.h"
#include "db/row.h"

#include <stdio.h>
#include <unistd.h>

/* Opens a new database /tmp/ecogov-<tag>-<pid>.db (its name into path) and
 * migrates it; NULL on failure (printed). */
static inline struct db *unit_db_open(char path[64], const char *tag)
{
    char err[256];
    snprintf(path, 64, "/tmp/ecogov-%s-%d.db", tag, (int)getpid());
    unlink(path);
    struct db *db = db_open(path, err, sizeof err);
    if (db && modules_migrate(db, err, sizeof err)) {
        db_close(db);
        db = NULL;
    }
    if (!db)
        fprintf(stderr, "unit_db: %s: %s\n", path, err);
    return db;
}

/* Closes db and removes its files. */
static inline void unit_db_close(struct db *db, const char *path)
{
    char p[80];
    db_close(db);
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

/* A bare enterprise; its id, or 0 on failure. */
static inline int64_t unit_db_enterprise(struct db *db, const char *uscc, const char *name)
{
    if (db_run(db,
               "INSERT INTO enterprises (uscc, name, created_at, updated_at) VALUES (?, ?, 0, 0)",
               "tt", uscc, name))
        return 0;
    return db_last_id(db);
}

#endif
