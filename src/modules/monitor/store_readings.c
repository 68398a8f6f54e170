#include "modules/monitor/readings.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/memo.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "db/row.h"
#include "modules/monitor/readings_val.h"
#include "modules/monitor/store_readings_frames.h"
#include "modules/monitor/store_readings_sqlite.h"
#include "modules/monitor/store_readings_stage.h"
#include "modules/monitor/store_readings_wal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rollup rows and (station, factor) pairs the writer remembers between batches. Past these
 * sizes the memory is simply dropped: the database is the truth and reloads cost one read. */
#define READINGS_ROLLUP_CACHE 20000
#define READINGS_KNOWN_CACHE 200000
/* How often readings_sync moves the staged records, indexes the new frames and writes the
 * rollups: each touches one B-tree leaf per station however many rows it carries, so rarely
 * is cheap, but each part holds the batches behind it for its duration: with 1,000 devices
 * at 200,000 values/s a whole move of a second's records took ~120 ms and held ack p99 at
 * ~150 ms. Every second, the move in four station ranges (docs/monitoring.md,
 * "Measured"): a part of a second's records holds the batches ~30 ms, and each leaf is
 * written once a second instead of twice (writer CPU −9 %, no higher ack p99 at 200,000
 * values/s; at 2 s p99 passed 100 ms). rollups_pending, written with the records, says which
 * rollup rows may be behind after a crash. */
#define READINGS_ROLLUP_DELAY_MS 1000
/* The staged records move in this many parts (a staging table each, store_readings_stage.h),
 * one per writer turn; new frames are indexed at most this many a turn. */
#define READINGS_MOVE_PARTS READINGS_STAGE_PARTS
#define READINGS_INDEX_PART 5000
/* One rollups row (station, kind, period start) being maintained: the aggregates of every
 * factor as committed, plus this batch's additions until the flush writes them. */
struct readings_rollup {
    int64_t station_id, ts;
    int kind;
    int dirty; /* added to since it was last written (in the dirty list, in rollups_pending) */
    size_t nagg, cap;
    size_t next; /* where readings_rollup_find looks first: after its last find (< nagg) */
    struct readings_agg *agg;
};

/* What the writer knows of one (station, kind) series. */
struct readings_series {
    int64_t newest;     /* newest period start stored in readings, INT64_MIN when none */
    int64_t staged_max; /* newest period start it staged since its part last moved, or INT64_MIN:
                           a later record cannot be staged yet (no look in the staged keys) */
    int newest_known;   /* newest was read since its part last moved */
};

/* The SQLite engine's writer state (readings.h, struct readings_store). */
struct readings_sqlite {
    struct readings_engine base; /* first: the engine handle the store functions get */
    struct db *db;               /* the writer's connection (not owned) */
    /* What the writer remembers between batches (core/memo.h), keyed (station, b, text):
     *   staged  (station, ts*8+kind)  value = rowid in the station's staging table
     *   series  (station, kind)       ptr = struct readings_series
     *   roll    (station, ts*8+kind)  ptr = struct readings_rollup
     *   known   (station, 0, factor)  the pair is in station_factors */
    struct memo staged, series, roll, known;
    struct buf enc;              /* the JSON of the record or rollup being written */
    struct readings_stage stage; /* new record rows not yet in their staging table */
    struct readings_rollup **dirty;
    size_t ndirty, dirty_cap;
    struct readings_wal wal; /* its WAL policy (store_readings_wal.h) */
    int64_t flushed_ms;      /* when dirty rollups were last written */
    int delay_ms;            /* READINGS_ROLLUP_DELAY_MS unless set */
    int sync_step;           /* the next part of readings_sync_step */
    int recover;             /* rollups_pending may list rows behind their records: rebuild them */
};

static struct readings_engine *readings_sqlite_open(struct db *db, char *err, size_t errlen)
{
    /* The writer keeps the leaves of every active station hot. Debian's SQLite is built with
     * SECURE_DELETE: every page a delete freed (a staging table emptied at each move) was
     * zeroed and written to the WAL; FAST zeroes deleted content only on pages written
     * anyway. */
    if (db_exec(db, "PRAGMA cache_size=-131072; PRAGMA secure_delete=FAST")) {
        snprintf(err, errlen, "readings: pragmas failed");
        return NULL;
    }
    struct readings_sqlite *w = xcalloc(1, sizeof *w);
    w->base.store = &readings_sqlite;
    w->db = db;
    if (readings_wal_attach(&w->wal, db)) {
        snprintf(err, errlen, "readings: pragmas failed");
        free(w);
        return NULL;
    }
    w->recover = 1; /* a crash may have left rollups behind */
    w->delay_ms = READINGS_ROLLUP_DELAY_MS;
    w->flushed_ms = timeutil_now_ms();
    buf_init(&w->enc, 0);
    return &w->base;
}

static void readings_forget_rollups(struct readings_sqlite *w)
{
    for (size_t i = 0; i < w->roll.cap; i++)
        if (w->roll.slots[i].used) {
            struct readings_rollup *e = w->roll.slots[i].ptr;
            free(e->agg);
            free(e);
        }
    memo_clear(&w->roll);
    w->ndirty = 0;
}

static void readings_forget_series(struct readings_sqlite *w)
{
    for (size_t i = 0; i < w->series.cap; i++)
        if (w->series.slots[i].used)
            free(w->series.slots[i].ptr);
    memo_clear(&w->series);
}

static void readings_forget_staged(struct readings_sqlite *w)
{
    readings_stage_forget(&w->stage);
    memo_clear(&w->staged);
    readings_forget_series(w);
}

/* The engine handle back to this engine's state (base is its first member). */
static struct readings_sqlite *readings_sqlite_of(struct readings_engine *e)
{
    return (struct readings_sqlite *)e;
}

static void readings_sqlite_close(struct readings_engine *e)
{
    struct readings_sqlite *w = readings_sqlite_of(e);
    if (!w)
        return;
    readings_wal_detach(w->db);
    readings_forget_rollups(w);
    memo_clear(&w->known);
    readings_forget_staged(w);
    readings_stage_free(&w->stage);
    free(w->dirty);
    buf_free(&w->enc);
    free(w);
}

static int readings_sqlite_checkpoint(struct readings_engine *e, struct db *own)
{
    return readings_wal_checkpoint(&readings_sqlite_of(e)->wal, own);
}

/* After the caller rolled the transaction back: what the writer remembers may now be ahead
 * of the database, and rollups of earlier batches not yet written are forgotten with it:
 * rebuild them from rollups_pending. */
static void readings_sqlite_forget(struct readings_engine *e)
{
    struct readings_sqlite *w = readings_sqlite_of(e);
    readings_forget_rollups(w);
    memo_clear(&w->known);
    readings_forget_staged(w);
    w->recover = 1;
}

/* ---- station_factors ---- */

/* Binds a (station, kind, period start) key to parameters 1-3. */
static void readings_bind_key(sqlite3_stmt *st, int64_t station, int kind, int64_t ts)
{
    sqlite3_bind_int64(st, 1, station);
    sqlite3_bind_int(st, 2, kind);
    sqlite3_bind_int64(st, 3, ts);
}

/* Records that a station has data for a factor (station_factors, which readings_factors
 * lists): one insert per pair for the life of the writer. */
static int readings_note_factor(struct readings_sqlite *w, int64_t station, const char *factor)
{
    if (w->known.n >= READINGS_KNOWN_CACHE)
        memo_clear(&w->known);
    if (memo_get(&w->known, station, 0, factor))
        return 0;
    sqlite3_stmt *st = db_stmt(w->db, "INSERT OR IGNORE INTO station_factors (station_id, factor) "
                                      "VALUES (?, ?)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, station);
    sqlite3_bind_text(st, 2, factor, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return -1;
    memo_put(&w->known, station, 0, factor);
    return 0;
}

/* ---- rollups ---- */

/* The aggregate of factor in e, NULL when e has none yet. A record's factors come sorted and
 * the aggregates were added in the order first seen, so the search starts after the last
 * one found: one comparison a factor instead of half the list. */
static struct readings_agg *readings_rollup_find(struct readings_rollup *e, const char *factor)
{
    for (size_t i = 0, j = e->next; i < e->nagg; i++, j = j + 1 < e->nagg ? j + 1 : 0)
        if (!strcmp(e->agg[j].factor, factor)) {
            e->next = j + 1 < e->nagg ? j + 1 : 0;
            return &e->agg[j];
        }
    return NULL;
}

static struct readings_agg *readings_rollup_agg(struct readings_rollup *e, const char *factor)
{
    struct readings_agg *found = readings_rollup_find(e, factor);
    if (found)
        return found;
    if (e->nagg == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 8;
        e->agg = xrealloc(e->agg, e->cap * sizeof *e->agg);
    }
    struct readings_agg *a = &e->agg[e->nagg++];
    memset(a, 0, sizeof *a);
    snprintf(a->factor, sizeof a->factor, "%s", factor);
    return a;
}

/* Loads the stored rollup row into a fresh entry. An unreadable row is rebuilt from the
 * records at the flush rather than trusted. */
static int readings_rollup_load(struct readings_sqlite *w, struct readings_rollup *e)
{
    sqlite3_stmt *st = db_stmt(w->db, "SELECT vals FROM rollups WHERE station_id = ? AND "
                                      "kind = ? AND ts = ?");
    if (!st)
        return -1;
    readings_bind_key(st, e->station_id, e->kind, e->ts);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        json_t *o = readings_val_object(sqlite3_column_blob(st, 0), sqlite3_column_bytes(st, 0));
        const char *factor;
        json_t *arr;
        json_object_foreach(o, factor, arr)
        {
            struct readings_agg *a = readings_rollup_agg(e, factor);
            if (readings_agg_get(arr, a))
                a->recompute = 1;
        }
        json_decref(o);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* The entry of one rollup row, loaded from the database on first use. */
static struct readings_rollup *readings_rollup_get(struct readings_sqlite *w, int64_t station,
                                                   int kind, int64_t ts)
{
    struct memo_entry *m = memo_get(&w->roll, station, ts * 8 + kind, NULL);
    if (m)
        return m->ptr;
    struct readings_rollup *e = xcalloc(1, sizeof *e);
    e->station_id = station;
    e->kind = kind;
    e->ts = ts;
    if (readings_rollup_load(w, e)) {
        free(e->agg);
        free(e);
        return NULL;
    }
    memo_put(&w->roll, station, ts * 8 + kind, NULL)->ptr = e;
    return e;
}

/* The rollup row a record adds to (hour from minute records, Beijing day from hour records),
 * entered in this batch's flush list; *out = NULL for kinds without one. 0 or -1. */
static int readings_rollup_of(struct readings_sqlite *w, const struct readings_row *row,
                              struct readings_rollup **out)
{
    const struct monitor_row *r = row->r;
    int rk = r->kind == MONITOR_KIND_MINUTE ? MONITOR_KIND_HOUR
             : r->kind == MONITOR_KIND_HOUR ? MONITOR_KIND_DAY
                                            : 0;
    *out = NULL;
    if (!rk)
        return 0;
    struct readings_rollup *e =
        readings_rollup_get(w, row->station_id, rk, monitor_period_start(rk, r->ts));
    if (!e)
        return -1;
    if (!e->dirty) {
        sqlite3_stmt *st = db_stmt(w->db, "INSERT OR IGNORE INTO rollups_pending (station_id, "
                                          "kind, ts) VALUES (?, ?, ?)");
        if (!st)
            return -1;
        readings_bind_key(st, e->station_id, e->kind, e->ts);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return -1;
        if (w->ndirty == w->dirty_cap) {
            w->dirty_cap = w->dirty_cap ? w->dirty_cap * 2 : 1024;
            w->dirty = xrealloc(w->dirty, w->dirty_cap * sizeof *w->dirty);
        }
        w->dirty[w->ndirty++] = e;
        e->dirty = 1;
    }
    *out = e;
    return 0;
}

/* Adds one stored record to its period's rollup; a replaced record marks the factor for a
 * rebuild instead. */
static void readings_rollup_note(struct readings_rollup *e, struct readings_agg *a,
                                 const struct monitor_row *r, int replaced)
{
    if (!a)
        a = readings_rollup_agg(e, r->factor);
    if (replaced)
        a->recompute = 1;
    if (a->recompute)
        return;
    struct readings_val v = {r->value, r->vmin, r->vmax, r->cou, r->has, "", r->qual};
    memcpy(v.flag, r->flag, sizeof v.flag);
    readings_agg_add(a, &v);
}

/* Adds the stored records of e's period (either table) to its aggregates: one factor's
 * (only) or every factor's (only = NULL). */
static int readings_rollup_scan(struct readings_sqlite *w, struct readings_rollup *e,
                                const char *only)
{
    sqlite3_stmt *st = db_stmt(w->db, "SELECT vals FROM readings WHERE station_id = ?1 AND kind "
                                      "= ?2 AND ts >= ?3 AND ts < ?4 UNION ALL SELECT vals FROM "
                                      "readings_recent WHERE station_id = ?1 AND kind = ?2 AND "
                                      "ts >= ?3 AND ts < ?4");
    if (!st)
        return -1;
    int hour = e->kind == MONITOR_KIND_HOUR;
    readings_bind_key(st, e->station_id, hour ? MONITOR_KIND_MINUTE : MONITOR_KIND_HOUR, e->ts);
    sqlite3_bind_int64(st, 4, e->ts + (hour ? 3600 : 86400));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *o = readings_val_object(sqlite3_column_blob(st, 0), sqlite3_column_bytes(st, 0));
        const char *factor;
        json_t *arr;
        struct readings_val v;
        json_object_foreach(o, factor, arr)
        {
            if ((!only || !strcmp(factor, only)) && !readings_val_get(arr, &v))
                readings_agg_add(readings_rollup_agg(e, factor), &v);
        }
        json_decref(o);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Rebuilds one factor's aggregate from the stored records of the period, so a resend or a
 * back-fill never counts twice. */
static int readings_rollup_rebuild(struct readings_sqlite *w, struct readings_rollup *e,
                                   struct readings_agg *a)
{
    a->n = a->n_valid = 0;
    a->sum = a->vmin = a->vmax = 0;
    a->recompute = 0;
    return readings_rollup_scan(w, e, a->factor);
}

/* Writes one rollup row from its entry, rebuilding the factors marked for it. */
static int readings_rollup_write(struct readings_sqlite *w, struct readings_rollup *e, int64_t now)
{
    sqlite3_stmt *st = db_stmt(w->db, "INSERT OR REPLACE INTO rollups (station_id, kind, ts, vals, "
                                      "updated) VALUES (?, ?, ?, ?, ?)");
    if (!st)
        return -1;
    buf_reset(&w->enc);
    int rc = buf_putc(&w->enc, '{');
    for (size_t k = 0; k < e->nagg && !rc; k++) {
        if (e->agg[k].recompute)
            rc = readings_rollup_rebuild(w, e, &e->agg[k]);
        if (!rc && k)
            rc = buf_putc(&w->enc, ',');
        if (!rc)
            rc = readings_agg_put(&w->enc, &e->agg[k]);
    }
    if (rc || buf_putc(&w->enc, '}'))
        return -1;
    readings_bind_key(st, e->station_id, e->kind, e->ts);
    sqlite3_bind_text(st, 4, w->enc.data, (int)w->enc.len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, now);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    return rc;
}

static void readings_sqlite_delay(struct readings_engine *e, int ms)
{
    struct readings_sqlite *w = readings_sqlite_of(e);
    w->delay_ms = ms < 0 ? 0 : ms;
}

static int readings_move_staged(struct readings_sqlite *w);
static int readings_move_part(struct readings_sqlite *w, int part);

/* Writes every rollup row added to since it was last written. */
static int readings_write_rollups(struct readings_sqlite *w, int64_t now)
{
    int rc = 0;
    for (size_t i = 0; i < w->ndirty && !rc; i++) {
        rc = readings_rollup_write(w, w->dirty[i], now);
        w->dirty[i]->dirty = 0;
    }
    if (w->ndirty && !rc)
        rc = db_exec(w->db, "DELETE FROM rollups_pending");
    w->ndirty = 0;
    return rc;
}

static int readings_sqlite_step(struct readings_sqlite *w, int64_t now)
{
    int part = w->sync_step;
    int rc = part < READINGS_MOVE_PARTS ? readings_move_part(w, part)
             : part == READINGS_MOVE_PARTS
                 ? readings_index_frames(w->db, &w->enc, READINGS_INDEX_PART)
                 : readings_write_rollups(w, now);
    if (rc < 0)
        return -1;
    if (rc == 1)
        return 0; /* more frames to index: the same part next turn */
    w->sync_step = (part + 1) % (READINGS_MOVE_PARTS + 2);
    if (w->sync_step)
        return 0;
    w->flushed_ms = timeutil_now_ms();
    return 1;
}

static int readings_sqlite_sync_all(struct readings_sqlite *w, int64_t now)
{
    int rc;
    w->sync_step = 0;
    while ((rc = readings_sqlite_step(w, now)) == 0)
        ;
    return rc < 0 ? -1 : 0;
}

/* Rebuilds every rollup row rollups_pending lists (written records whose rollups were not,
 * before a crash or a rolled-back batch) from the records, whole. */
static int readings_rollups_recover(struct readings_sqlite *w, int64_t now)
{
    sqlite3_stmt *st = db_stmt(w->db, "SELECT station_id, kind, ts FROM rollups_pending");
    if (!st)
        return -1;
    int rc = 0;
    long n = 0;
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        struct readings_rollup e = {.station_id = sqlite3_column_int64(st, 0),
                                    .ts = sqlite3_column_int64(st, 2),
                                    .kind = sqlite3_column_int(st, 1)};
        rc = readings_rollup_scan(w, &e, NULL);
        if (!rc)
            rc = readings_rollup_write(w, &e, now);
        free(e.agg);
        n++;
    }
    sqlite3_reset(st);
    if (!rc && n)
        log_info("readings: %ld rollups rebuilt from their records", n);
    return rc ? rc : db_exec(w->db, "DELETE FROM rollups_pending");
}

/* ---- staging: readings_staged_0..3 (the view readings_recent) ----
 *
 * A batch appends its new record rows to the staging table of their station's part (rowid
 * tables: pages filled in order, store_readings_stage.h) and readings_sync moves them into
 * readings every second, a part a turn. Stored in readings directly, every batch rewrote
 * one B-tree leaf per station for a row or two each; moved in bulk, that leaf is written once
 * with all of its rows. A part's table is then emptied whole: its pages are freed, not
 * rewritten (one staging table for all parts had every part delete a quarter of the rows of
 * each of its pages). A key is in at most one of readings and the staging tables; readers
 * look at both (readings_query.c). */

/* The series of (station, kind), added when new. */
static struct readings_series *readings_series_of(struct readings_sqlite *w, int64_t station,
                                                  int kind)
{
    struct memo_entry *e = memo_get(&w->series, station, kind, NULL);
    if (e)
        return e->ptr;
    struct readings_series *s = xcalloc(1, sizeof *s);
    s->staged_max = INT64_MIN;
    memo_put(&w->series, station, kind, NULL)->ptr = s;
    return s;
}

/* The staging rowid of the record (station, kind, ts), 0 when it is not staged. */
static int64_t readings_staged_find(const struct readings_sqlite *w,
                                    const struct readings_series *s, int64_t station, int kind,
                                    int64_t ts)
{
    if (ts > s->staged_max)
        return 0; /* the usual case, data in time order: no look in the big table */
    const struct memo_entry *e = memo_get(&w->staged, station, ts * 8 + kind, NULL);
    return e ? e->value : 0;
}

/* The newest period start of (station, kind) in readings, INT64_MIN when none. 0 or -1. */
static int readings_newest(struct readings_sqlite *w, struct readings_series *s, int64_t station,
                           int kind, int64_t *ts)
{
    if (s->newest_known) {
        *ts = s->newest;
        return 0;
    }
    sqlite3_stmt *st = db_stmt(w->db, "SELECT max(ts) FROM readings WHERE station_id = ? AND "
                                      "kind = ?");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, station);
    sqlite3_bind_int(st, 2, kind);
    int rc = sqlite3_step(st);
    *ts = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL
              ? sqlite3_column_int64(st, 0)
              : INT64_MIN;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return -1;
    s->newest = *ts;
    s->newest_known = 1;
    return 0;
}

#define READINGS_MOVE_SQL(k)                                                                       \
    "INSERT INTO readings (station_id, kind, ts, vals, device_id, received) SELECT station_id, "   \
    "kind, ts, vals, device_id, received FROM readings_staged_" #k " WHERE true ORDER BY id ON "   \
    "CONFLICT DO UPDATE SET vals = json_patch(readings.vals, excluded.vals), device_id = "         \
    "excluded.device_id, received = excluded.received"
#define READINGS_EMPTY_SQL(k) "DELETE FROM readings_staged_" #k

/* Statement texts per staging table (prepared statements are cached by the text's address). */
static const char *const readings_move_sql[READINGS_MOVE_PARTS] = {
    READINGS_MOVE_SQL(0), READINGS_MOVE_SQL(1), READINGS_MOVE_SQL(2), READINGS_MOVE_SQL(3)};
static const char *const readings_empty_sql[READINGS_MOVE_PARTS] = {
    READINGS_EMPTY_SQL(0), READINGS_EMPTY_SQL(1), READINGS_EMPTY_SQL(2), READINGS_EMPTY_SQL(3)};

/* Moves the rows of one staging table into readings (merging, should a key be in both after a
 * crash) and empties it (no WHERE: SQLite frees its pages whole), inside the caller's
 * transaction. In the table's id order (its own key: no sorter), not by readings' key: a key
 * staged twice still patches in arrival order, and sorting by key was a third of the move's
 * instructions (docs/performance.md, session 7). */
static int readings_move_table(struct readings_sqlite *w, int part)
{
    sqlite3_stmt *mv = db_stmt(w->db, readings_move_sql[part]);
    if (!mv)
        return -1;
    int rc = sqlite3_step(mv) == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(mv);
    return rc ? rc : db_exec(w->db, readings_empty_sql[part]);
}

/* Moves every staged row into readings: after a start, rows of any station may be in any
 * table (a crash, or monitor migration 12 putting all of them in the first). */
static int readings_move_staged(struct readings_sqlite *w)
{
    int rc = 0;
    for (int part = 0; part < READINGS_MOVE_PARTS && !rc; part++)
        rc = readings_move_table(w, part);
    readings_forget_staged(w);
    return rc;
}

static int readings_outside(const struct memo_entry *e, void *arg)
{
    const int *part = arg;
    return readings_stage_part(e->a) != *part;
}

/* Drops the staged keys of the part's stations (just moved) and what their series knew of
 * the newest stored periods (read again when needed: once a cycle, so rows another writer
 * stored are seen within a cycle too). */
static void readings_unstage(struct readings_sqlite *w, int part)
{
    memo_filter(&w->staged, readings_outside, &part);
    for (size_t i = 0; i < w->series.cap; i++) {
        const struct memo_entry *e = &w->series.slots[i];
        if (e->used && readings_stage_part(e->a) == part) {
            struct readings_series *s = e->ptr;
            s->staged_max = INT64_MIN;
            s->newest_known = 0;
        }
    }
}

/* Moves the staged rows of one of READINGS_MOVE_PARTS parts: a part holds the batches behind
 * it for a fraction of the whole move. */
static int readings_move_part(struct readings_sqlite *w, int part)
{
    int rc = readings_move_table(w, part);
    if (!rc)
        readings_unstage(w, part);
    return rc;
}

/* ---- records ---- */

static void readings_bind_record(sqlite3_stmt *st, const struct readings_row *row, const char *vals,
                                 size_t len, int64_t received);

/* Looks a record row up with st (bound by the caller, selecting vals): 1 and *old (its
 * factors, NULL when unreadable) when it exists, 0 when not, -1 on error. */
static int readings_lookup(sqlite3_stmt *st, json_t **old)
{
    *old = NULL;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *old = readings_val_object(sqlite3_column_blob(st, 0), sqlite3_column_bytes(st, 0));
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

#define READINGS_STAGED_GET_SQL(k)                                                                 \
    "SELECT vals FROM readings_staged_" #k " WHERE id = ?4 AND station_id = ?1 AND kind = ?2 AND " \
    "ts = ?3"
#define READINGS_STAGED_PATCH_SQL(k)                                                               \
    "UPDATE readings_staged_" #k " SET vals = json_patch(vals, ?4), device_id = ?5, received = "   \
    "?6 WHERE id = ?7"
#define READINGS_STAGED_SET_SQL(k)                                                                 \
    "UPDATE readings_staged_" #k " SET vals = ?4, device_id = ?5, received = ?6 WHERE id = ?7"

static const char *const readings_staged_get_sql[READINGS_MOVE_PARTS] = {
    READINGS_STAGED_GET_SQL(0), READINGS_STAGED_GET_SQL(1), READINGS_STAGED_GET_SQL(2),
    READINGS_STAGED_GET_SQL(3)};
static const char *const readings_staged_patch_sql[READINGS_MOVE_PARTS] = {
    READINGS_STAGED_PATCH_SQL(0), READINGS_STAGED_PATCH_SQL(1), READINGS_STAGED_PATCH_SQL(2),
    READINGS_STAGED_PATCH_SQL(3)};
static const char *const readings_staged_set_sql[READINGS_MOVE_PARTS] = {
    READINGS_STAGED_SET_SQL(0), READINGS_STAGED_SET_SQL(1), READINGS_STAGED_SET_SQL(2),
    READINGS_STAGED_SET_SQL(3)};

/* Merges a record into the row that holds its key already (a resend, a back-fill, the second
 * part of a split packet): staged (rowid) or stored. Sets *old to the factors it had. */
static int readings_merge(struct readings_sqlite *w, const struct readings_row *row, int64_t rowid,
                          const struct buf *b, int64_t received, json_t **old)
{
    int part = readings_stage_part(row->station_id);
    sqlite3_stmt *get =
        rowid ? db_stmt(w->db, readings_staged_get_sql[part])
              : db_stmt(w->db, "SELECT vals FROM readings WHERE station_id = ?1 AND kind = ?2 "
                               "AND ts = ?3");
    if (!get)
        return -1;
    sqlite3_bind_int64(get, 1, row->station_id);
    sqlite3_bind_int(get, 2, row->r->kind);
    sqlite3_bind_int64(get, 3, row->r->ts);
    sqlite3_bind_int64(get, 4, rowid);
    int found = readings_lookup(get, old);
    if (found < 0)
        return -1;
    if (!found)
        return 1; /* not there after all */
    /* An unreadable stored row is replaced whole rather than patched. */
    const char *sql =
        rowid ? (*old ? readings_staged_patch_sql[part] : readings_staged_set_sql[part])
              : (*old ? "UPDATE readings SET vals = json_patch(vals, ?4), device_id = ?5, "
                        "received = ?6 WHERE station_id = ?1 AND kind = ?2 AND ts = ?3"
                      : "UPDATE readings SET vals = ?4, device_id = ?5, received = ?6 WHERE "
                        "station_id = ?1 AND kind = ?2 AND ts = ?3");
    sqlite3_stmt *up = db_stmt(w->db, sql);
    if (!up)
        return -1;
    readings_bind_record(up, row, b->data, b->len, received);
    if (rowid)
        sqlite3_bind_int64(up, 7, rowid);
    int rc = sqlite3_step(up) == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(up);
    return rc;
}

/* Queues a new record row for its staging table (written 16 at once, store_readings_stage.h)
 * and remembers where its key is staged. */
static int readings_stage(struct readings_sqlite *w, struct readings_series *s,
                          const struct readings_row *row, const struct buf *b, int64_t received)
{
    int64_t id = readings_stage_add(&w->stage, w->db, row->station_id, row->r->kind, row->r->ts,
                                    b->data, b->len, row->device_id, received);
    if (id < 0)
        return -1;
    memo_put(&w->staged, row->station_id, row->r->ts * 8 + row->r->kind, NULL)->value = id;
    if (row->r->ts > s->staged_max)
        s->staged_max = row->r->ts;
    return 0;
}

static void readings_bind_record(sqlite3_stmt *st, const struct readings_row *row, const char *vals,
                                 size_t len, int64_t received)
{
    sqlite3_bind_int64(st, 1, row->station_id);
    sqlite3_bind_int(st, 2, row->r->kind);
    sqlite3_bind_int64(st, 3, row->r->ts);
    sqlite3_bind_text(st, 4, vals, (int)len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, row->device_id);
    sqlite3_bind_int64(st, 6, received);
}

/* 1 when a later row of the group (rows are in arrival order) has the same factor: the
 * later one wins. */
static int readings_superseded(const struct readings_row *rows, size_t m, size_t k)
{
    for (size_t i = m + 1; i < k; i++)
        if (!strcmp(rows[i].r->factor, rows[m].r->factor))
            return 1;
    return 0;
}

/* A cheap digest of a factor code (its bytes up to the NUL): codes with different digests
 * differ, so only equal digests need a comparison. */
static uint64_t readings_factor_digest(const char *f)
{
    uint64_t h = 0;
    for (size_t i = 0; i < MONITOR_FACTOR_MAX && f[i]; i++)
        h = (h << 8 | h >> 56) ^ (unsigned char)f[i];
    return h;
}

/* The rows of the group (at most 64) that readings_superseded would skip, one bit each:
 * computed once per group instead of comparing every pair of codes twice. */
static uint64_t readings_superseded_mask(const struct readings_row *rows, size_t k)
{
    uint64_t digest[64], mask = 0;
    for (size_t m = 0; m < k; m++)
        digest[m] = readings_factor_digest(rows[m].r->factor);
    for (size_t m = 0; m < k; m++)
        for (size_t i = m + 1; i < k; i++)
            if (digest[i] == digest[m] && !strcmp(rows[i].r->factor, rows[m].r->factor)) {
                mask |= 1ULL << m;
                break;
            }
    return mask;
}

/* Whether row m of the group is superseded (mask from readings_superseded_mask when the
 * group has at most 64 rows). */
static int readings_skip(const struct readings_row *rows, size_t m, size_t k, uint64_t mask)
{
    return k <= 64 ? (int)(mask >> m & 1) : readings_superseded(rows, m, k);
}

/* Stores the k rows of one (station, kind, period start) as one record row: a plain insert
 * when the row is new (data arrives in time order), a merge into the stored factors when not
 * (a factor sent again replaces its stored value). */
static int readings_put_record(struct readings_sqlite *w, const struct readings_row *rows, size_t k,
                               int64_t received)
{
    struct buf *b = &w->enc;
    buf_reset(b);
    int rc = buf_putc(b, '{');
    size_t written = 0;
    uint64_t skip = k <= 64 ? readings_superseded_mask(rows, k) : 0;
    for (size_t m = 0; m < k && !rc; m++) {
        if (readings_skip(rows, m, k, skip))
            continue; /* the same factor twice in one batch: the later one wins */
        if (written++)
            rc = buf_putc(b, ',');
        if (!rc)
            rc = readings_val_put(b, rows[m].r->factor, rows[m].r);
    }
    if (rc || buf_putc(b, '}'))
        return -1;
    const struct readings_row *last = &rows[k - 1];
    const struct monitor_row *r = last->r;
    json_t *old = NULL;
    /* staged: merge there; else possibly stored (not newer than the newest stored period):
     * merge there; else new: stage it */
    struct readings_series *s = readings_series_of(w, last->station_id, r->kind);
    int64_t rowid = readings_staged_find(w, s, last->station_id, r->kind, r->ts), newest;
    if (rowid && readings_stage_waiting(&w->stage, last->station_id, rowid))
        rc = readings_stage_flush(&w->stage, w->db); /* staged in this batch, still queued */
    if (rowid && !rc)
        rc = readings_merge(w, last, rowid, b, received, &old);
    if (!rowid || rc == 1) {
        rc = readings_newest(w, s, last->station_id, r->kind, &newest);
        if (!rc)
            rc = r->ts <= newest ? readings_merge(w, last, 0, b, received, &old) : 1;
        if (rc == 1)
            rc = readings_stage(w, s, last, b, received);
    }
    if (rc)
        log_error("readings: record not stored: %s", sqlite3_errmsg(db_handle(w->db)));
    struct readings_rollup *e = NULL;
    if (!rc && (rc = readings_rollup_of(w, last, &e)))
        log_error("readings: rollup not loaded: %s", sqlite3_errmsg(db_handle(w->db)));
    for (size_t m = 0; m < k && !rc; m++) {
        if (readings_skip(rows, m, k, skip))
            continue;
        const char *factor = rows[m].r->factor;
        /* A factor the period's rollup has already is in station_factors: the rollup holds
         * only factors of records stored with it (noted in the records' own transaction), and
         * a rollback forgets both. So only a new one costs a look at the known pairs. */
        struct readings_agg *a = e ? readings_rollup_find(e, factor) : NULL;
        if (!a)
            rc = readings_note_factor(w, rows[m].station_id, factor);
        if (e)
            readings_rollup_note(e, a, rows[m].r, old && json_object_get(old, factor));
    }
    json_decref(old);
    return rc ? -1 : 0;
}

static int readings_sqlite_put(struct readings_engine *e, struct readings_row *rows, size_t n,
                               int64_t received)
{
    struct readings_sqlite *w = readings_sqlite_of(e);
    if (w->recover) {
        if (readings_move_staged(w) || readings_rollups_recover(w, received))
            return -1;
        w->recover = 0;
    }
    if (w->roll.n > READINGS_ROLLUP_CACHE) {
        if (readings_sqlite_sync_all(w, received))
            return -1;
        readings_forget_rollups(w);
    }
    /* New rows' ids are counted from the table afresh each batch (inside its transaction), so
     * a second writer's rows (the village demo's) never collide with them. */
    readings_stage_forget(&w->stage);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && rows[j].station_id == rows[i].station_id &&
               rows[j].r->kind == rows[i].r->kind && rows[j].r->ts == rows[i].r->ts)
            j++;
        if (readings_put_record(w, rows + i, j - i, received))
            return -1;
        i = j;
    }
    return readings_stage_flush(&w->stage, w->db); /* all of it in this batch's transaction */
}

static int readings_sqlite_sync_due(struct readings_engine *e)
{
    struct readings_sqlite *w = readings_sqlite_of(e);
    return w->sync_step || timeutil_now_ms() - w->flushed_ms >= w->delay_ms;
}

/* Binds frame f to the 11 parameters of st from base + 1 on. */
static void readings_bind_frame(sqlite3_stmt *st, int base, const struct readings_frame *f)
{
    sqlite3_bind_int64(st, base + 1, f->received);
    if (f->station_id)
        sqlite3_bind_int64(st, base + 2, f->station_id);
    if (f->device_id)
        sqlite3_bind_int64(st, base + 3, f->device_id);
    sqlite3_bind_text(st, base + 4, f->mn ? f->mn : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, base + 5, f->cn);
    sqlite3_bind_text(st, base + 6, f->qn ? f->qn : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, base + 7, f->out ? "out" : "in", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, base + 8, f->status ? f->status : "ok", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, base + 9, f->addr ? f->addr : "", -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, base + 10, f->bytes, (int)f->len, SQLITE_STATIC);
    if (f->reply && f->reply_len)
        sqlite3_bind_blob(st, base + 11, f->reply, (int)f->reply_len, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, base + 11);
}

#define READINGS_FRAME_INSERT                                                                      \
    "INSERT INTO frames (received, station_id, device_id, mn, cn, qn, direction, status, "         \
    "addr, frame, reply) VALUES "
#define READINGS_FRAME_ROW "(?,?,?,?,?,?,?,?,?,?,?)"
#define READINGS_FRAME_ROWS4                                                                       \
    READINGS_FRAME_ROW "," READINGS_FRAME_ROW "," READINGS_FRAME_ROW "," READINGS_FRAME_ROW
#define READINGS_FRAME_ROWS16                                                                      \
    READINGS_FRAME_ROWS4 "," READINGS_FRAME_ROWS4 "," READINGS_FRAME_ROWS4 "," READINGS_FRAME_ROWS4
/* Frames one multi-row INSERT writes: the statement's cursor is opened and placed at the end
 * of the table once for all of them, not once a frame. */
#define READINGS_FRAMES_AT_ONCE 16

static int readings_sqlite_put_frame(struct readings_engine *e, const struct readings_frame *f)
{
    struct readings_sqlite *w = readings_sqlite_of(e);
    sqlite3_stmt *st = db_stmt(w->db, READINGS_FRAME_INSERT READINGS_FRAME_ROW);
    if (!st)
        return -1;
    readings_bind_frame(st, 0, f);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The frames in order (ids ascending as they come), READINGS_FRAMES_AT_ONCE a statement. */
static int readings_sqlite_put_frames(struct readings_engine *e, const struct readings_frame *f,
                                      size_t n)
{
    struct readings_sqlite *w = readings_sqlite_of(e);
    size_t i = 0;
    for (; i + READINGS_FRAMES_AT_ONCE <= n; i += READINGS_FRAMES_AT_ONCE) {
        sqlite3_stmt *st = db_stmt(w->db, READINGS_FRAME_INSERT READINGS_FRAME_ROWS16);
        if (!st)
            return -1;
        for (int k = 0; k < READINGS_FRAMES_AT_ONCE; k++)
            readings_bind_frame(st, k * 11, &f[i + (size_t)k]);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return -1;
    }
    for (; i < n; i++)
        if (readings_sqlite_put_frame(e, &f[i]))
            return -1;
    return 0;
}

static long readings_sqlite_prune(struct readings_engine *e, int64_t before, int max)
{
    struct readings_sqlite *w = readings_sqlite_of(e);
    /* The oldest frames by id are the oldest received: look at those only (a frame
     * received out of order just waits for the next prune). */
    if (db_run(w->db,
               "DELETE FROM frames WHERE id IN (SELECT id FROM frames ORDER BY id LIMIT ?2) AND "
               "received < ?1",
               "ii", before, (int64_t)max))
        return -1;
    long n = db_changes(w->db);
    if (!n)
        return 0;
    /* The station lookup of what is gone: one range per station. */
    sqlite3_stmt *ids = db_stmt(w->db, "SELECT id FROM stations");
    sqlite3_stmt *del =
        db_stmt(w->db, "DELETE FROM frames_station_runs WHERE station_id = ?1 AND last_id < "
                       "(SELECT coalesce(min(id), 0) FROM frames)");
    if (!ids || !del || db_begin(w->db))
        return -1;
    int rc = SQLITE_DONE;
    while (sqlite3_step(ids) == SQLITE_ROW) {
        sqlite3_bind_int64(del, 1, sqlite3_column_int64(ids, 0));
        rc = sqlite3_step(del);
        sqlite3_reset(del);
        if (rc != SQLITE_DONE)
            break;
    }
    sqlite3_reset(ids);
    if (rc != SQLITE_DONE || db_commit(w->db)) {
        db_rollback(w->db);
        return -1;
    }
    return n;
}

static int readings_sqlite_sync(struct readings_engine *e, int64_t now)
{
    return readings_sqlite_sync_all(readings_sqlite_of(e), now);
}

static int readings_sqlite_sync_step(struct readings_engine *e, int64_t now)
{
    return readings_sqlite_step(readings_sqlite_of(e), now);
}

const struct readings_store readings_sqlite = {
    .name = "sqlite",
    .open = readings_sqlite_open,
    .close = readings_sqlite_close,
    .write_batch = readings_sqlite_put,
    .write_frame = readings_sqlite_put_frame,
    .write_frames = readings_sqlite_put_frames,
    .sync = readings_sqlite_sync,
    .sync_step = readings_sqlite_sync_step,
    .sync_due = readings_sqlite_sync_due,
    .set_delay = readings_sqlite_delay,
    .forget = readings_sqlite_forget,
    .checkpoint = readings_sqlite_checkpoint,
    .prune = readings_sqlite_prune,
    .factors = readings_sqlite_factors,
    .latest = readings_sqlite_latest,
    .series = readings_sqlite_series,
    .rollups = readings_sqlite_rollups,
    .day_health = readings_sqlite_day_health,
    .frames = readings_sqlite_frames,
    .station_means = readings_sqlite_station_means,
    .first_gap = readings_sqlite_first_gap,
    .air_days = readings_sqlite_air_days,
};
