/* store_readings_ch — the ClickHouse engine's writer: batches as TabSeparated rows to the
 * Distributed tables, or to readings_spool (the node's SQLite) when the cluster does not
 * acknowledge them, and the drain thread that empties the spool (readings_ch.h). */
#include "core/buf.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "db/row.h"
#include "modules/monitor/chttp.h"
#include "modules/monitor/readings_ch.h"
#include "modules/monitor/store_readings_ch.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The drain sends up to this many spooled batches (and bytes) per insert. */
#define RCH_DRAIN_BATCHES 64
#define RCH_DRAIN_BYTES (16u << 20)
/* Seconds the writer waits for the cluster's acknowledgement before spooling; the drain's
 * bigger inserts may take longer. */
#define RCH_WRITE_TIMEOUT 3
#define RCH_DRAIN_TIMEOUT 60

static struct chttp_conf rch_cfg;
static int rch_configured;

/* What /api/v1/monitor/status shows (rch_get_stats); written by the writer and the drain. */
static pthread_mutex_t rch_stats_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rch_stats rch_stats_now;
/* Batches go to the spool while it has any, so a down cluster costs one timeout, not one a
 * batch, and the spool drains in the order batches arrived. */
static _Atomic int rch_spooling;

int rch_configure(const char *urls, const char *user, const char *password, const char *database,
                  const char *cluster, char *err, size_t errlen)
{
    rch_unconfigure();
    if (chttp_conf_parse(&rch_cfg, urls, user, password, database, cluster, err, errlen))
        return -1;
    rch_configured = 1;
    return 0;
}

const struct chttp_conf *rch_conf(void)
{
    return rch_configured ? &rch_cfg : NULL;
}

void rch_unconfigure(void)
{
    if (rch_configured)
        chttp_conf_free(&rch_cfg);
    rch_configured = 0;
}

void rch_get_stats(struct rch_stats *out)
{
    pthread_mutex_lock(&rch_stats_lock);
    *out = rch_stats_now;
    pthread_mutex_unlock(&rch_stats_lock);
    out->spooling = atomic_load(&rch_spooling);
}

static void rch_stats_add(int64_t *field, int64_t n)
{
    pthread_mutex_lock(&rch_stats_lock);
    *field += n;
    pthread_mutex_unlock(&rch_stats_lock);
}

/* The writer's state (struct readings_engine first). */
struct rch_writer {
    struct readings_engine base;
    struct db *db;     /* the writer's SQLite connection: its transaction holds the spool */
    struct buf body;   /* the batch being sent */
    size_t body_rows;  /* its rows */
    int prepared;      /* rch_send built and tried it before the transaction */
    int acknowledged;  /* and the cluster acknowledged it */
    struct buf frames; /* raw frames of this turn, sent by rch_sync */
    size_t nframes;
    uint64_t version;    /* the last version given: later writes replace earlier ones */
    uint32_t frame_salt; /* this node's part of frame ids */
    uint32_t frame_seq;
    /* the drain thread */
    pthread_t drainer;
    int drain_started;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int stopping;
    char *path;
};

static struct rch_writer *rch_of(struct readings_engine *e)
{
    return (struct rch_writer *)e;
}

/* Puts one batch in the spool inside the caller's transaction. 0 or -1. */
static int rch_spool_put(struct db *db, const char *target, const struct buf *b, size_t nrows)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO readings_spool (created, target, nrows, body) "
                                   "VALUES (?, ?, ?, ?)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, timeutil_now());
    sqlite3_bind_text(st, 2, target, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (int64_t)nrows);
    sqlite3_bind_blob(st, 4, b->data ? b->data : "", (int)b->len, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Sends one batch to the cluster, waiting for the shards' acknowledgement at most
 * RCH_WRITE_TIMEOUT seconds; not tried while batches are spooled. 0 when acknowledged. */
static int rch_try_send(const char *target, const struct buf *b, size_t nrows)
{
    if (atomic_load(&rch_spooling))
        return -1;
    char err[400];
    /* a cluster that does not answer soon is treated as away: the devices wait for the ack */
    struct chttp_conf quick = rch_cfg;
    quick.timeout = RCH_WRITE_TIMEOUT;
    if (!chttp_run(&quick, -1, RCH_INSERT_SETTINGS, rch_insert_sql(target), b->data, b->len, NULL,
                   err, sizeof err)) {
        rch_stats_add(&rch_stats_now.sent_values, (int64_t)nrows);
        return 0;
    }
    log_warn("readings: cluster did not take a batch (%s); spooling until it does", err);
    atomic_store(&rch_spooling, 1);
    return -1;
}

/* Spools one batch inside the caller's transaction and wakes the drain. 0 or -1. */
static int rch_spool(struct rch_writer *w, const char *target, const struct buf *b, size_t nrows)
{
    if (rch_spool_put(w->db, target, b, nrows))
        return -1;
    rch_stats_add(&rch_stats_now.spooled_values, (int64_t)nrows);
    pthread_cond_signal(&w->cond);
    return 0;
}

/* Sends one batch to the cluster, or spools it (readings_ch.h). 0 when either is done. */
static int rch_deliver(struct rch_writer *w, const char *target, const struct buf *b, size_t nrows)
{
    if (!nrows || !rch_try_send(target, b, nrows))
        return 0;
    return rch_spool(w, target, b, nrows);
}

/* Versions come from the wall clock (not timeutil_now_ms, which is monotonic since boot): they
 * must order writes of different nodes and runs, and the copied records (their arrival time). */
static uint64_t rch_next_version(struct rch_writer *w)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    uint64_t ms = (uint64_t)now.tv_sec * 1000u + (uint64_t)now.tv_nsec / 1000000u;
    uint64_t v = ms << 10;
    w->version = v > w->version ? v : w->version + 1;
    return w->version;
}

static int rch_same_key(const struct readings_row *a, const struct readings_row *b)
{
    return a->station_id == b->station_id && a->r->kind == b->r->kind && a->r->ts == b->r->ts &&
           !strcmp(a->r->factor, b->r->factor);
}

/* Builds the batch's rows (of one key the last wins) into w->body. 0 or -1 (too big). */
static int rch_build(struct rch_writer *w, struct readings_row *rows, size_t n, int64_t received)
{
    buf_reset(&w->body);
    w->body_rows = 0;
    uint64_t version = rch_next_version(w);
    for (size_t i = 0; i < n; i++) {
        /* rows are sorted (station, kind, ts, factor, seq) */
        if (i + 1 < n && rch_same_key(&rows[i], &rows[i + 1]))
            continue;
        int rc = rch_row_tsv(&w->body, &rows[i], received, version);
        if (rc < 0)
            return -1;
        w->body_rows += (size_t)rc;
    }
    return 0;
}

/* Before the transaction (readings_send): build and send; rch_put spools what was not taken. */
static int rch_send(struct readings_engine *e, struct readings_row *rows, size_t n,
                    int64_t received)
{
    struct rch_writer *w = rch_of(e);
    w->prepared = 0;
    if (rch_build(w, rows, n, received))
        return -1;
    w->acknowledged = !w->body_rows || !rch_try_send("readings", &w->body, w->body_rows);
    w->prepared = 1;
    return 0;
}

static int rch_put(struct readings_engine *e, struct readings_row *rows, size_t n, int64_t received)
{
    struct rch_writer *w = rch_of(e);
    if (!w->prepared) /* no readings_send first: send (or spool) now */
        return rch_build(w, rows, n, received) ? -1
                                               : rch_deliver(w, "readings", &w->body, w->body_rows);
    w->prepared = 0;
    return w->acknowledged ? 0 : rch_spool(w, "readings", &w->body, w->body_rows);
}

static int rch_put_frame(struct readings_engine *e, const struct readings_frame *f)
{
    struct rch_writer *w = rch_of(e);
    /* ids: received second, this node's salt, a counter — below 2^53 for JavaScript */
    uint64_t id = (uint64_t)(f->received > 0 ? f->received : 0) * 1000000u +
                  (uint64_t)w->frame_salt * 10000u + (w->frame_seq++ % 10000u);
    int rc = rch_frame_tsv(&w->frames, f, id);
    if (rc < 0)
        return -1;
    w->nframes += (size_t)rc;
    return 0;
}

/* The frames of the turn go after the acknowledgements (readings_sync), in the sync's own
 * transaction: spooled there when the cluster does not take them. */
static int rch_sync(struct readings_engine *e, int64_t now)
{
    (void)now;
    struct rch_writer *w = rch_of(e);
    if (!w->nframes)
        return 0;
    if (rch_deliver(w, "frames", &w->frames, w->nframes))
        return -1;
    buf_reset(&w->frames);
    w->nframes = 0;
    return 0;
}

/* Before the sync's transaction (readings_sync_send): the frames of the turn to the cluster;
 * rch_sync spools them when it did not take them. */
static void rch_sync_send(struct readings_engine *e)
{
    struct rch_writer *w = rch_of(e);
    if (w->nframes && !rch_try_send("frames", &w->frames, w->nframes)) {
        buf_reset(&w->frames);
        w->nframes = 0;
    }
}

static int rch_sync_step(struct readings_engine *e, int64_t now)
{
    return rch_sync(e, now) ? -1 : 1;
}

static int rch_sync_due(struct readings_engine *e)
{
    return rch_of(e)->nframes > 0;
}

static void rch_set_delay(struct readings_engine *e, int ms)
{
    (void)e, (void)ms; /* nothing is kept back: hour and day figures are computed on reading */
}

static void rch_forget(struct readings_engine *e)
{
    struct rch_writer *w = rch_of(e);
    w->prepared = 0;
    buf_reset(&w->frames);
    w->nframes = 0;
}

/* Raw frames are kept hj212_raw_days: whole days are dropped (frames_local is partitioned
 * by day; ClickHouse 18.16 has no TTL). */
static long rch_prune(struct readings_engine *e, int64_t before, int max)
{
    (void)e, (void)max;
    char err[400];
    long n = rch_drop_frame_days(before, err, sizeof err);
    if (n < 0)
        log_warn("readings: frame retention on the cluster failed: %s", err);
    return n < 0 ? 0 : n; /* the cluster being away is not the node's database failing */
}

/* ---- the drain ---- */

/* Refreshes the spool figures; returns the number of batches waiting. */
static int64_t rch_spool_count(struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT count(*), coalesce(sum(nrows), 0), "
                                   "coalesce(min(created), 0), (SELECT count(*) FROM "
                                   "readings_spool WHERE refused IS NOT NULL) FROM readings_spool "
                                   "WHERE refused IS NULL");
    if (!st || sqlite3_step(st) != SQLITE_ROW) {
        if (st)
            sqlite3_reset(st);
        return -1;
    }
    int64_t batches = sqlite3_column_int64(st, 0);
    pthread_mutex_lock(&rch_stats_lock);
    rch_stats_now.spool_batches = batches;
    rch_stats_now.spool_values = sqlite3_column_int64(st, 1);
    rch_stats_now.spool_oldest = sqlite3_column_int64(st, 2);
    rch_stats_now.spool_refused = sqlite3_column_int64(st, 3);
    pthread_mutex_unlock(&rch_stats_lock);
    sqlite3_reset(st);
    return batches;
}

/* Sends the oldest spooled batches of one target in one insert (only the first when single)
 * and deletes them once acknowledged. 1 sent, 0 nothing to send, -1 the cluster did not take
 * them (a refusal of a single batch marks it refused and returns 1). */
static int rch_drain_once(struct db *db, int single)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT id, target, nrows, body FROM readings_spool WHERE "
                                   "refused IS NULL ORDER BY id LIMIT ?");
    if (!st)
        return -1;
    sqlite3_bind_int(st, 1, single ? 1 : RCH_DRAIN_BATCHES);
    struct buf body;
    buf_init(&body, 0);
    char target[16] = "";
    int64_t first = 0, last = 0, values = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 1);
        if (*target && (strcmp(t, target) || body.len > RCH_DRAIN_BYTES))
            break;
        snprintf(target, sizeof target, "%s", t);
        last = sqlite3_column_int64(st, 0);
        if (!first)
            first = last;
        values += sqlite3_column_int64(st, 2);
        buf_append(&body, sqlite3_column_blob(st, 3), (size_t)sqlite3_column_bytes(st, 3));
    }
    sqlite3_reset(st);
    if (!first) {
        buf_free(&body);
        return 0;
    }
    char err[400];
    int64_t t0 = timeutil_now_ms();
    struct chttp_conf patient = rch_cfg;
    patient.timeout = RCH_DRAIN_TIMEOUT;
    int rc = chttp_run(&patient, -1, RCH_INSERT_SETTINGS, rch_insert_sql(target), body.data,
                       body.len, NULL, err, sizeof err);
    buf_free(&body);
    if (rc) {
        /* a refusal of the rows themselves would block the spool for ever: set aside, kept */
        if (single && strstr(err, "HTTP 4")) {
            log_error("readings: the cluster refused spooled batch %lld: %s", (long long)first,
                      err);
            db_run(db, "UPDATE readings_spool SET refused = ? WHERE id = ?", "ti", err, first);
            return 1;
        }
        return -1;
    }
    if (db_run(db, "DELETE FROM readings_spool WHERE id BETWEEN ? AND ? AND refused IS NULL", "ii",
               first, last))
        return -1; /* sent again next time: one row on the cluster all the same */
    int64_t t1 = timeutil_now_ms();
    pthread_mutex_lock(&rch_stats_lock);
    rch_stats_now.drained_values += values;
    rch_stats_now.drain_ms = t1;
    rch_stats_now.drain_rate = (double)values * 1000.0 / (double)(t1 > t0 ? t1 - t0 : 1);
    pthread_mutex_unlock(&rch_stats_lock);
    return 1;
}

static void rch_wait(struct rch_writer *w, int ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L)
        ts.tv_sec++, ts.tv_nsec -= 1000000000L;
    pthread_cond_timedwait(&w->cond, &w->lock, &ts);
}

static void *rch_drain_main(void *arg)
{
    struct rch_writer *w = arg;
    char err[256];
    struct db *db = db_open(w->path, err, sizeof err);
    if (!db) {
        log_error("readings: the spool drain cannot open the database: %s", err);
        return NULL;
    }
    int backoff = 0, single = 0;
    pthread_mutex_lock(&w->lock);
    while (!w->stopping) {
        pthread_mutex_unlock(&w->lock);
        int64_t waiting = rch_spool_count(db);
        int rc = waiting > 0 ? rch_drain_once(db, single) : 0;
        if (waiting == 0 && atomic_load(&rch_spooling)) {
            /* a batch spooled but not yet committed is sent after newer ones: its version
             * still orders it (readings_ch.h) */
            atomic_store(&rch_spooling, 0);
            log_info("readings: spool drained; batches go to the cluster again");
        }
        single = rc < 0 && !single;
        backoff = rc < 0 ? (backoff ? (backoff * 2 > 5000 ? 5000 : backoff * 2) : 250) : 0;
        pthread_mutex_lock(&w->lock);
        if (!w->stopping && rc <= 0)
            rch_wait(w, rc < 0 ? backoff : 1000);
    }
    pthread_mutex_unlock(&w->lock);
    rch_spool_count(db);
    db_close(db);
    return NULL;
}

static struct readings_engine *rch_open(struct db *db, char *err, size_t errlen)
{
    if (!rch_configured) {
        snprintf(err, errlen, "readings: the ClickHouse engine is not configured");
        return NULL;
    }
    const char *path = sqlite3_db_filename(db_handle(db), "main");
    struct rch_writer *w = xcalloc(1, sizeof *w);
    w->base.store = &readings_clickhouse;
    w->db = db;
    w->path = xstrdup(path ? path : "");
    w->frame_salt = (uint32_t)(getpid() ^ (timeutil_now_ms() & 0xffff)) % 100u;
    buf_init(&w->body, 0);
    buf_init(&w->frames, 0);
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->cond, NULL);
    /* what a previous run left in the spool goes first */
    atomic_store(&rch_spooling, rch_spool_count(db) != 0);
    if (pthread_create(&w->drainer, NULL, rch_drain_main, w)) {
        snprintf(err, errlen, "readings: cannot start the spool drain");
        rch_close_writer(&w->base);
        return NULL;
    }
    w->drain_started = 1;
    pthread_setname_np(w->drainer, "ecogov-drain");
    return &w->base;
}

void rch_close_writer(struct readings_engine *e)
{
    struct rch_writer *w = rch_of(e);
    if (!w)
        return;
    if (w->drain_started) {
        pthread_mutex_lock(&w->lock);
        w->stopping = 1;
        pthread_mutex_unlock(&w->lock);
        pthread_cond_signal(&w->cond);
        pthread_join(w->drainer, NULL);
    }
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->cond);
    buf_free(&w->body);
    buf_free(&w->frames);
    free(w->path);
    free(w);
}

const struct readings_store readings_clickhouse = {
    .name = "clickhouse",
    .open = rch_open,
    .close = rch_close_writer,
    .write_batch = rch_put,
    .write_frame = rch_put_frame,
    .sync = rch_sync,
    .sync_step = rch_sync_step,
    .sync_due = rch_sync_due,
    .set_delay = rch_set_delay,
    .forget = rch_forget,
    .checkpoint = NULL, /* the writer's SQLite holds the spool only: its own checkpoints do */
    .prune = rch_prune,
    .factors = rch_factors,
    .latest = rch_latest,
    .series = rch_series,
    .rollups = rch_rollups,
    .day_health = rch_day_health,
    .frames = rch_frames,
    .station_means = rch_station_means,
    .first_gap = rch_first_gap,
    .air_days = rch_air_days,
    .send = rch_send,
    .sync_send = rch_sync_send,
};
