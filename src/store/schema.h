/* schema — the migrations, in order. Migration i brings user_version from i
 * to i+1. Never edit a published migration; append a new one. */
#ifndef ECOGOV_SCHEMA_H
#define ECOGOV_SCHEMA_H

#include <stddef.h>

struct db;

size_t schema_migration_count(void);
const char *schema_migration(int index);
/* Data steps that follow migration index inside its transaction (e.g. seeding
 * the shipped holiday calendar). Returns 0 or -1. */
int schema_after_migration(struct db *db, int index);

#endif
