/* New record rows on their way into the staging tables readings_staged_0..3 (the SQLite
 * engine's, store_readings.c; readers read them through the view readings_recent), written
 * READINGS_STAGE_AT_ONCE to an INSERT: the statement's cursor is opened and placed at the end
 * of the table once for all of them, as for the raw frames.
 *
 * A station's rows go to the table of its move part, readings_stage_part: the sync moves one
 * part a turn, and empties that table whole. Each table is appended to at its end only.
 *
 * Each row gets its id when it is queued (one more than the largest id of the four tables,
 * counted on by the writer, which is their only inserter), so the writer can remember where a
 * key is staged before the row is written, and the view's ids still follow arrival. A queued
 * row is not in its table yet: before looking a staged row up, flush when
 * readings_stage_waiting says it still waits; flush before the transaction commits; forget
 * after a rollback. Not for callers: they use readings.h. */
#ifndef ECOGOV_STORE_READINGS_STAGE_H
#define ECOGOV_STORE_READINGS_STAGE_H

#include "core/buf.h"
#include "db/db.h"

#include <stddef.h>
#include <stdint.h>

#define READINGS_STAGE_AT_ONCE 16
/* Staging tables (monitor migration 12 creates this many), one per move part. */
#define READINGS_STAGE_PARTS 4
/* Consecutive station ids that share a part: a part's stations lie close together in
 * readings' key order, so a move rewrites few leaves there (ids 1-1,000: four parts of 256). */
#define READINGS_STAGE_BLOCK 256

struct readings_stage_row {
    int64_t id, station_id, ts, device_id, received;
    int kind;
    size_t off, len; /* its vals in its queue's vals */
};

/* The rows queued for one staging table. */
struct readings_stage_queue {
    size_t n; /* fewer than READINGS_STAGE_AT_ONCE between calls */
    struct readings_stage_row rows[READINGS_STAGE_AT_ONCE];
    struct buf vals; /* the queued rows' vals, end to end */
};

struct readings_stage {
    int64_t next_id; /* the id the next queued row gets; 0 until read from the tables */
    struct readings_stage_queue q[READINGS_STAGE_PARTS];
};

/* The staging table (move part) of a station's rows. */
int readings_stage_part(int64_t station_id);
/* Queues a new record row (vals: its JSON, copied); writes its table's queue when it is full.
 * The row's id, or -1 on error (the caller rolls back and calls readings_stage_forget). */
int64_t readings_stage_add(struct readings_stage *s, struct db *db, int64_t station_id, int kind,
                           int64_t ts, const char *vals, size_t len, int64_t device_id,
                           int64_t received);
/* 1 when the row with this id (of this station) is queued and not yet written, else 0. */
int readings_stage_waiting(const struct readings_stage *s, int64_t station_id, int64_t id);
/* Writes every queue's rows in order (16 at once, the rest one by one). 0 or -1. */
int readings_stage_flush(struct readings_stage *s, struct db *db);
/* Drops the queues and the id counter (after a rollback the tables may hold fewer rows). */
void readings_stage_forget(struct readings_stage *s);
/* Frees the queues' memory; s is empty and usable again. */
void readings_stage_free(struct readings_stage *s);

#endif
