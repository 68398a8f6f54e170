#include "modules/monitor/store_readings_wal.h"
#include "modules/monitor/readings.h"

#include <sqlite3.h>
#include <stdio.h>

/* WAL pages: the checkpointer copies them back once READINGS_WAL_SOFT were written since its
 * last run (64 MiB: at 200,000 values/s one run every ~1.5 s; each run writes each page once
 * however often it changed, and the hot leaves change every batch, so runs ten times a second
 * cost twice the CPU: docs/performance.md); the writer copies the rest when at most
 * READINGS_WAL_CATCHUP are left; past READINGS_WAL_HARD (the checkpointer cannot keep up) the
 * writer copies in every commit. */
#define READINGS_WAL_SOFT 16384
#define READINGS_WAL_HARD 131072
#define READINGS_WAL_CATCHUP 2048
#define READINGS_WAL_UNKNOWN UINT32_MAX
/* Checkpointer polls (100 ms apart) without a commit of the writer before it runs anyway. */
#define READINGS_CKPT_IDLE 10

/* The WAL's cycle: salt-1 of its file's header (bytes 16-19, big endian), which SQLite counts
 * up in the shared header each time the WAL starts over, whichever connection does it (a new
 * WAL gets a random one), and writes with the new cycle's first page. Not the checkpoint
 * sequence at bytes 12-15: each connection counts that on its own (a review found another
 * connection's restart writing the writer's number again). Read from the file, not guessed
 * from page counts: another connection may start the WAL over and write more pages than the
 * writer last saw. READINGS_WAL_UNKNOWN when it cannot be read (no mark is published with it,
 * none is taken for it). */
static uint32_t readings_wal_cycle(sqlite3 *h)
{
    sqlite3_file *f = NULL;
    unsigned char b[4];
    if (sqlite3_file_control(h, "main", SQLITE_FCNTL_JOURNAL_POINTER, &f) != SQLITE_OK || !f ||
        !f->pMethods || f->pMethods->xRead(f, b, 4, 16) != SQLITE_OK)
        return READINGS_WAL_UNKNOWN;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* Pages the checkpointer copied back in the WAL's present cycle (0: none yet, or its mark is
 * from an earlier cycle: then it says nothing about this one). */
static int readings_wal_copied(struct readings_wal *wal, uint32_t cycle)
{
    uint64_t mark = atomic_load(&wal->mark);
    return cycle != READINGS_WAL_UNKNOWN && (uint32_t)(mark >> 32) == cycle ? (int)(uint32_t)mark
                                                                            : 0;
}

/* After each of the writer's commits: publishes the WAL's cycle and size. Once the
 * checkpointer has copied back a whole READINGS_WAL_SOFT of this cycle, the writer copies the
 * few pages added since itself: only the WAL's one writer can end a checkpoint caught up, and
 * then its next transaction starts the WAL over at its beginning, on file blocks already there
 * (appending to new blocks made every WAL write cost more in the kernel, and the WAL grew to
 * READINGS_WAL_HARD). Copying the rest costs the batch being committed a few milliseconds.
 * With no checkpointer running, each commit copies its own pages, as SQLite's automatic
 * checkpoint would. */
static int readings_wal_hook(void *arg, sqlite3 *h, const char *name, int frames)
{
    struct readings_wal *wal = arg;
    uint32_t cycle = readings_wal_cycle(h);
    atomic_store(&wal->state, (uint64_t)cycle << 32 | (uint32_t)frames);
    atomic_fetch_add(&wal->commits, 1);
    int copy;
    if (!db_checkpointer_running()) {
        copy = frames >= DB_WAL_AUTO;
    } else {
        int done = readings_wal_copied(wal, cycle);
        copy = (done >= READINGS_WAL_SOFT && done <= frames &&
                frames - done <= READINGS_WAL_CATCHUP) ||
               frames >= READINGS_WAL_HARD;
    }
    if (copy)
        sqlite3_wal_checkpoint_v2(h, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return SQLITE_OK;
}

int readings_wal_attach(struct readings_wal *wal, struct db *writer)
{
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA journal_size_limit=%ld", READINGS_WAL_FILE_LIMIT);
    if (db_exec(writer, pragma))
        return -1;
    sqlite3_wal_hook(db_handle(writer), readings_wal_hook, wal);
    return 0;
}

void readings_wal_detach(struct db *writer)
{
    sqlite3_wal_hook(db_handle(writer), NULL, NULL);
}

/* 1 when the checkpointer should run now: READINGS_WAL_SOFT written since its last run, or
 * its last run left more than the writer copies itself (it tries again every poll until the
 * writer can), or the writer has not committed for READINGS_CKPT_IDLE polls (what other
 * connections wrote is copied back then). */
static int readings_wal_due(struct readings_wal *wal, uint64_t state)
{
    int frames = (int)(uint32_t)state, done = readings_wal_copied(wal, (uint32_t)(state >> 32));
    unsigned commits = atomic_load(&wal->commits);
    if (commits != wal->ck_commits) {
        wal->ck_commits = commits;
        wal->ck_idle = 0;
    } else if (++wal->ck_idle >= READINGS_CKPT_IDLE) {
        wal->ck_idle = 0;
        return 1;
    }
    return frames - done >= READINGS_WAL_SOFT ||
           (done >= READINGS_WAL_SOFT && frames - done > READINGS_WAL_CATCHUP);
}

int readings_wal_checkpoint(struct readings_wal *wal, struct db *own)
{
    uint64_t state = atomic_load(&wal->state);
    if (!readings_wal_due(wal, state))
        return 0;
    /* read before the run: should the WAL start over meanwhile, the mark says the last cycle */
    uint32_t cycle = readings_wal_cycle(db_handle(own));
    int log = 0, done = 0;
    int rc =
        sqlite3_wal_checkpoint_v2(db_handle(own), NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
    if (rc == SQLITE_OK && cycle != READINGS_WAL_UNKNOWN)
        atomic_store(&wal->mark, (uint64_t)cycle << 32 | (uint32_t)done);
    return rc == SQLITE_OK ? done : rc == SQLITE_BUSY ? 0 : -1;
}
