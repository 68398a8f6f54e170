/* The SQLite readings engine's WAL policy (store_readings.c): who copies the WAL back into the
 * database, and when, so that no batch's acknowledgements wait for a big checkpoint and the WAL
 * starts over instead of growing (docs/monitoring.md, "Checkpoints").
 *
 * The writer's WAL hook publishes the WAL's size and cycle after each commit; the checkpointer
 * thread (monitor/ingest.c, its own connection, every 100 ms) copies back once 64 MiB were
 * written since its last run; the writer copies the few pages left after that itself, in its
 * commit, so its next transaction starts the WAL over. With no checkpointer registered
 * (db_checkpointer_add), each of the writer's commits copies its own pages. Not for callers:
 * they use readings.h. */
#ifndef ECOGOV_STORE_READINGS_WAL_H
#define ECOGOV_STORE_READINGS_WAL_H

#include "db/db.h"

#include <stdatomic.h>
#include <stdint.h>

struct readings_wal {
    /* The WAL as the writer's commits left it: its cycle (salt-1 of its header, counted up
     * each time it starts over) << 32 | its pages. Stored by the writer's hook only. */
    _Atomic uint64_t state;
    _Atomic uint64_t mark;    /* the checkpointer's last run: WAL cycle << 32 | pages copied */
    _Atomic unsigned commits; /* the writer's commits, counted by its hook */
    unsigned ck_commits;      /* checkpointer thread only: commits at its last poll */
    int ck_idle;              /* checkpointer thread only: polls since the writer committed */
};

/* Puts the policy on the writer's connection: its WAL hook (replacing SQLite's automatic
 * checkpoint, which ran inside the writer's commit and held every acknowledgement of that
 * batch for its duration) and the WAL file's kept size (READINGS_WAL_FILE_LIMIT). wal must be
 * zeroed and outlive the hook (readings_wal_detach). 0 or -1. */
int readings_wal_attach(struct readings_wal *wal, struct db *writer);
void readings_wal_detach(struct db *writer);
/* The checkpointer's poll (readings_checkpoint): runs a PASSIVE checkpoint through own when
 * due. Pages of the WAL copied back so far (0: not run, or nothing), or -1. */
int readings_wal_checkpoint(struct readings_wal *wal, struct db *own);

#endif
