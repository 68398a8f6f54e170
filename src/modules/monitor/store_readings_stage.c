#include "modules/monitor/store_readings_stage.h"

#include <sqlite3.h>

#define READINGS_STAGE_INSERT(k)                                                                   \
    "INSERT INTO readings_staged_" #k " (id, station_id, kind, ts, vals, device_id, received) "    \
    "VALUES "
#define READINGS_STAGE_ROW "(?,?,?,?,?,?,?)"
#define READINGS_STAGE_ROWS4                                                                       \
    READINGS_STAGE_ROW "," READINGS_STAGE_ROW "," READINGS_STAGE_ROW "," READINGS_STAGE_ROW
#define READINGS_STAGE_ROWS16                                                                      \
    READINGS_STAGE_ROWS4 "," READINGS_STAGE_ROWS4 "," READINGS_STAGE_ROWS4 "," READINGS_STAGE_ROWS4
#define READINGS_STAGE_COLS 7

/* Statement texts per table (prepared statements are cached by the text's address). */
static const char *const readings_stage_one[READINGS_STAGE_PARTS] = {
    READINGS_STAGE_INSERT(0) READINGS_STAGE_ROW, READINGS_STAGE_INSERT(1) READINGS_STAGE_ROW,
    READINGS_STAGE_INSERT(2) READINGS_STAGE_ROW, READINGS_STAGE_INSERT(3) READINGS_STAGE_ROW};
static const char *const readings_stage_many[READINGS_STAGE_PARTS] = {
    READINGS_STAGE_INSERT(0) READINGS_STAGE_ROWS16, READINGS_STAGE_INSERT(1) READINGS_STAGE_ROWS16,
    READINGS_STAGE_INSERT(2) READINGS_STAGE_ROWS16, READINGS_STAGE_INSERT(3) READINGS_STAGE_ROWS16};

int readings_stage_part(int64_t station_id)
{
    return (int)((uint64_t)station_id / READINGS_STAGE_BLOCK % READINGS_STAGE_PARTS);
}

/* The id after the largest of the four tables: the writer counts on from there. Each max is
 * its table's last key (no scan). 0 or -1. */
static int readings_stage_start(struct readings_stage *s, struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT max((SELECT coalesce(max(id), 0) FROM "
                                   "readings_staged_0), (SELECT coalesce(max(id), 0) FROM "
                                   "readings_staged_1), (SELECT coalesce(max(id), 0) FROM "
                                   "readings_staged_2), (SELECT coalesce(max(id), 0) FROM "
                                   "readings_staged_3))");
    if (!st)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        s->next_id = sqlite3_column_int64(st, 0) + 1;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* Binds queued row r to the 7 parameters of st from base + 1 on. */
static void readings_stage_bind(sqlite3_stmt *st, int base, const struct readings_stage_queue *q,
                                const struct readings_stage_row *r)
{
    sqlite3_bind_int64(st, base + 1, r->id);
    sqlite3_bind_int64(st, base + 2, r->station_id);
    sqlite3_bind_int(st, base + 3, r->kind);
    sqlite3_bind_int64(st, base + 4, r->ts);
    sqlite3_bind_text(st, base + 5, q->vals.data + r->off, (int)r->len, SQLITE_STATIC);
    sqlite3_bind_int64(st, base + 6, r->device_id);
    sqlite3_bind_int64(st, base + 7, r->received);
}

/* Runs st (one row or READINGS_STAGE_AT_ONCE, bound from rows[from] on). 0 or -1. */
static int readings_stage_run(sqlite3_stmt *st, const struct readings_stage_queue *q, size_t from,
                              size_t count)
{
    if (!st)
        return -1;
    for (size_t k = 0; k < count; k++)
        readings_stage_bind(st, (int)k * READINGS_STAGE_COLS, q, &q->rows[from + k]);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Writes the queue of table part. 0 or -1. */
static int readings_stage_flush_part(struct readings_stage *s, struct db *db, int part)
{
    struct readings_stage_queue *q = &s->q[part];
    size_t i = 0;
    int rc = 0;
    if (q->n == READINGS_STAGE_AT_ONCE) {
        rc = readings_stage_run(db_stmt(db, readings_stage_many[part]), q, 0,
                                READINGS_STAGE_AT_ONCE);
        i = READINGS_STAGE_AT_ONCE;
    }
    for (; i < q->n && !rc; i++)
        rc = readings_stage_run(db_stmt(db, readings_stage_one[part]), q, i, 1);
    q->n = 0;
    buf_reset(&q->vals);
    return rc;
}

int readings_stage_flush(struct readings_stage *s, struct db *db)
{
    int rc = 0;
    for (int part = 0; part < READINGS_STAGE_PARTS; part++)
        if (readings_stage_flush_part(s, db, part))
            rc = -1;
    return rc;
}

int64_t readings_stage_add(struct readings_stage *s, struct db *db, int64_t station_id, int kind,
                           int64_t ts, const char *vals, size_t len, int64_t device_id,
                           int64_t received)
{
    if (!s->next_id && readings_stage_start(s, db))
        return -1;
    int part = readings_stage_part(station_id);
    struct readings_stage_queue *q = &s->q[part];
    size_t off = q->vals.len;
    if (buf_append(&q->vals, vals, len))
        return -1;
    int64_t id = s->next_id++;
    q->rows[q->n++] =
        (struct readings_stage_row){id, station_id, ts, device_id, received, kind, off, len};
    if (q->n == READINGS_STAGE_AT_ONCE && readings_stage_flush_part(s, db, part))
        return -1;
    return id;
}

int readings_stage_waiting(const struct readings_stage *s, int64_t station_id, int64_t id)
{
    const struct readings_stage_queue *q = &s->q[readings_stage_part(station_id)];
    return q->n && id >= q->rows[0].id;
}

void readings_stage_forget(struct readings_stage *s)
{
    for (int part = 0; part < READINGS_STAGE_PARTS; part++) {
        s->q[part].n = 0;
        buf_reset(&s->q[part].vals);
    }
    s->next_id = 0;
}

void readings_stage_free(struct readings_stage *s)
{
    readings_stage_forget(s);
    for (int part = 0; part < READINGS_STAGE_PARTS; part++)
        buf_free(&s->q[part].vals);
}
