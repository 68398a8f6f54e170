/* New record rows on their way into readings_recent (the SQLite engine's staging table,
 * store_readings.c), written READINGS_STAGE_AT_ONCE to an INSERT: the statement's cursor is
 * opened and placed at the end of the table once for all of them, as for the raw frames.
 *
 * Each row gets its id when it is queued (one more than the largest id the table had, counted
 * on by the writer, which is the table's only inserter), so the writer can remember where a
 * key is staged before the row is written. A queued row is not in the table yet: before
 * looking a staged row up, flush when readings_stage_waiting says it still waits; flush before
 * the transaction commits; forget after a rollback. Not for callers: they use readings.h. */
#ifndef ECOGOV_STORE_READINGS_STAGE_H
#define ECOGOV_STORE_READINGS_STAGE_H

#include "core/buf.h"
#include "db/db.h"

#include <stddef.h>
#include <stdint.h>

#define READINGS_STAGE_AT_ONCE 16

struct readings_stage_row {
    int64_t id, station_id, ts, device_id, received;
    int kind;
    size_t off, len; /* its vals in readings_stage.vals */
};

struct readings_stage {
    int64_t next_id; /* the id the next queued row gets; 0 until read from the table */
    size_t n;        /* rows queued, fewer than READINGS_STAGE_AT_ONCE between calls */
    struct readings_stage_row rows[READINGS_STAGE_AT_ONCE];
    struct buf vals; /* the queued rows' vals, end to end */
};

/* Queues a new record row (vals: its JSON, copied); writes the queue when it is full. The
 * row's id, or -1 on error (the caller rolls back and calls readings_stage_forget). */
int64_t readings_stage_add(struct readings_stage *s, struct db *db, int64_t station_id, int kind,
                           int64_t ts, const char *vals, size_t len, int64_t device_id,
                           int64_t received);
/* 1 when the row with this id is queued and not yet written, else 0. */
int readings_stage_waiting(const struct readings_stage *s, int64_t id);
/* Writes the queued rows in order (16 at once, the rest one by one). 0 or -1. */
int readings_stage_flush(struct readings_stage *s, struct db *db);
/* Drops the queue and the id counter (after a rollback the table may hold fewer rows). */
void readings_stage_forget(struct readings_stage *s);
/* Frees the queue's memory; s is empty and usable again. */
void readings_stage_free(struct readings_stage *s);

#endif
