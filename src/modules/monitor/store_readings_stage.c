#include "modules/monitor/store_readings_stage.h"

#include <sqlite3.h>

#define READINGS_STAGE_INSERT                                                                      \
    "INSERT INTO readings_recent (id, station_id, kind, ts, vals, device_id, received) VALUES "
#define READINGS_STAGE_ROW "(?,?,?,?,?,?,?)"
#define READINGS_STAGE_ROWS4                                                                       \
    READINGS_STAGE_ROW "," READINGS_STAGE_ROW "," READINGS_STAGE_ROW "," READINGS_STAGE_ROW
#define READINGS_STAGE_ROWS16                                                                      \
    READINGS_STAGE_ROWS4 "," READINGS_STAGE_ROWS4 "," READINGS_STAGE_ROWS4 "," READINGS_STAGE_ROWS4
#define READINGS_STAGE_COLS 7

/* The id after the largest in readings_recent: the writer counts on from there. 0 or -1. */
static int readings_stage_start(struct readings_stage *s, struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT coalesce(max(id), 0) FROM readings_recent");
    if (!st)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        s->next_id = sqlite3_column_int64(st, 0) + 1;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* Binds queued row r to the 7 parameters of st from base + 1 on. */
static void readings_stage_bind(sqlite3_stmt *st, int base, const struct readings_stage *s,
                                const struct readings_stage_row *r)
{
    sqlite3_bind_int64(st, base + 1, r->id);
    sqlite3_bind_int64(st, base + 2, r->station_id);
    sqlite3_bind_int(st, base + 3, r->kind);
    sqlite3_bind_int64(st, base + 4, r->ts);
    sqlite3_bind_text(st, base + 5, s->vals.data + r->off, (int)r->len, SQLITE_STATIC);
    sqlite3_bind_int64(st, base + 6, r->device_id);
    sqlite3_bind_int64(st, base + 7, r->received);
}

/* Runs st (one row or READINGS_STAGE_AT_ONCE, bound from rows[from] on). 0 or -1. */
static int readings_stage_run(sqlite3_stmt *st, const struct readings_stage *s, size_t from,
                              size_t count)
{
    if (!st)
        return -1;
    for (size_t k = 0; k < count; k++)
        readings_stage_bind(st, (int)k * READINGS_STAGE_COLS, s, &s->rows[from + k]);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int readings_stage_flush(struct readings_stage *s, struct db *db)
{
    size_t i = 0;
    int rc = 0;
    if (s->n == READINGS_STAGE_AT_ONCE) {
        rc = readings_stage_run(db_stmt(db, READINGS_STAGE_INSERT READINGS_STAGE_ROWS16), s, 0,
                                READINGS_STAGE_AT_ONCE);
        i = READINGS_STAGE_AT_ONCE;
    }
    for (; i < s->n && !rc; i++)
        rc = readings_stage_run(db_stmt(db, READINGS_STAGE_INSERT READINGS_STAGE_ROW), s, i, 1);
    s->n = 0;
    buf_reset(&s->vals);
    return rc;
}

int64_t readings_stage_add(struct readings_stage *s, struct db *db, int64_t station_id, int kind,
                           int64_t ts, const char *vals, size_t len, int64_t device_id,
                           int64_t received)
{
    if (!s->next_id && readings_stage_start(s, db))
        return -1;
    size_t off = s->vals.len;
    if (buf_append(&s->vals, vals, len))
        return -1;
    int64_t id = s->next_id++;
    s->rows[s->n++] =
        (struct readings_stage_row){id, station_id, ts, device_id, received, kind, off, len};
    if (s->n == READINGS_STAGE_AT_ONCE && readings_stage_flush(s, db))
        return -1;
    return id;
}

int readings_stage_waiting(const struct readings_stage *s, int64_t id)
{
    return s->n && id >= s->rows[0].id;
}

void readings_stage_forget(struct readings_stage *s)
{
    s->n = 0;
    s->next_id = 0;
    buf_reset(&s->vals);
}

void readings_stage_free(struct readings_stage *s)
{
    readings_stage_forget(s);
    buf_free(&s->vals);
}
