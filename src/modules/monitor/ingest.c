#include "modules/monitor/ingest.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "modules/monitor/readings.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define INGEST_ALERT_PERIOD 30
#define INGEST_PRUNE_PERIOD 60

/* Counters of one device, flushed to the devices table by the maintenance task. */
struct ingest_dev {
    int64_t device_id; /* 0 = empty slot */
    int64_t last_seen;
    int64_t frames, bad_crc, rejected;
    char addr[48];
    int dirty;
};

struct ingest {
    struct ingest_opts o;
    struct readings *w;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    struct ingest_job *head, *tail;
    size_t queued_rows;
    int stopping;
    _Atomic size_t pending;
    struct ingest_stats stats;
    struct ingest_dev *devs;
    size_t ndevs_cap, ndevs;
    int64_t last_maint_ms, last_alert, last_prune;
    int forwarding; /* an active forward target exists (refreshed by the maintenance task) */
    pthread_t checkpointer;
    pthread_cond_t ckcond;
    struct db *ckdb; /* the checkpointer's own connection */
    int ck_stopping; /* the checkpointer stops after the writer (under lock) */
};

/* One allocation holds the job, its rows and the frame's bytes: a job is made on the
 * listener thread and freed on the writer's, and every extra block was a second malloc and
 * a free into the other thread's arena for each frame. */
struct ingest_job *ingest_job_new(size_t nrows, const char *frame, size_t frame_len)
{
    size_t head = sizeof(struct ingest_job) + nrows * sizeof(struct monitor_row);
    struct ingest_job *j = xmalloc(head + frame_len);
    memset(j, 0, head);
    j->rows = nrows ? (struct monitor_row *)(j + 1) : NULL;
    if (frame_len) {
        j->frame = (char *)j + head;
        memcpy(j->frame, frame, frame_len);
        j->frame_len = frame_len;
    }
    return j;
}

void ingest_job_free(struct ingest_job *j)
{
    if (!j)
        return;
    free(j->ack);
    free(j);
}

/* What a job weighs in the back-pressure count (ingest_pending). */
static size_t ingest_cost(const struct ingest_job *j)
{
    return j->nrows + 1 + j->frame_len / 64;
}

static struct ingest_dev *ingest_dev(struct ingest *g, int64_t id)
{
    if (g->ndevs * 2 >= g->ndevs_cap) {
        size_t old = g->ndevs_cap;
        struct ingest_dev *prev = g->devs;
        g->ndevs_cap = old ? old * 2 : 1024;
        g->devs = xcalloc(g->ndevs_cap, sizeof *g->devs);
        g->ndevs = 0;
        for (size_t i = 0; i < old; i++)
            if (prev[i].device_id) {
                struct ingest_dev *d = ingest_dev(g, prev[i].device_id);
                *d = prev[i];
            }
        free(prev);
    }
    size_t h = ((uint64_t)id * 0x9E3779B97F4A7C15ULL >> 20) & (g->ndevs_cap - 1);
    while (g->devs[h].device_id && g->devs[h].device_id != id)
        h = (h + 1) & (g->ndevs_cap - 1);
    if (!g->devs[h].device_id) {
        g->devs[h].device_id = id;
        g->ndevs++;
    }
    return &g->devs[h];
}

static void ingest_count(struct ingest *g, const struct ingest_job *j)
{
    if (!j->device_id || j->out)
        return;
    struct ingest_dev *d = ingest_dev(g, j->device_id);
    if (j->received > d->last_seen && !j->bad_crc && !j->rejected)
        d->last_seen = j->received;
    d->frames += !j->bad_crc && !j->rejected;
    d->bad_crc += j->bad_crc;
    d->rejected += j->rejected;
    if (j->addr[0] && !j->bad_crc && !j->rejected) /* the sender of a bad frame may be anyone */
        memcpy(d->addr, j->addr, sizeof d->addr);
    d->dirty = 1;
}

/* The raw frame row of a job. */
static struct readings_frame ingest_frame_of(const struct ingest_job *j)
{
    return (struct readings_frame){j->received,
                                   j->station_id,
                                   j->device_id,
                                   j->mn,
                                   j->qn,
                                   j->addr,
                                   j->status,
                                   j->cn,
                                   j->out,
                                   j->frame,
                                   j->frame_len,
                                   j->ack ? j->ack->bytes : NULL,
                                   j->ack ? j->ack->len : 0};
}

/* Turns secure_delete ON on the writer's connection for deletes of secrets and personal data
 * (store_readings.c deletes with FAST otherwise): the mode it had, for the caller to put back,
 * or -1 (logged: those deletes then leave freed pages as they were). */
static int ingest_overwrite_deletes(struct ingest *g)
{
    int had = db_secure_delete(readings_db(g->w), 1);
    if (had < 0)
        log_warn("ingest: secure_delete not set: %s", readings_errmsg(readings_db(g->w)));
    return had;
}

/* Puts back the mode ingest_overwrite_deletes found (nothing when it failed). A failure is
 * logged: the writer then goes on with ON, slower but overwriting. */
static void ingest_deletes_back(struct ingest *g, int had)
{
    if (had >= 0 && db_secure_delete(readings_db(g->w), had) < 0)
        log_warn("ingest: secure_delete not put back: %s", readings_errmsg(readings_db(g->w)));
}

/* Writes one batch of jobs; returns 0 when committed. The raw frames of consecutive data
 * jobs go in together (readings_put_frames); any other job first writes those before it, so
 * every statement runs in job order as before. */
static int ingest_write(struct ingest *g, struct ingest_job *list, size_t nrows)
{
    struct readings_row *rows = nrows ? xmalloc(nrows * sizeof *rows) : NULL;
    size_t n = 0, njobs = 0, nf = 0;
    int64_t now = timeutil_now();
    for (struct ingest_job *j = list; j; j = j->next, njobs++)
        for (size_t i = 0; i < j->nrows; i++) {
            rows[n].station_id = j->station_id;
            rows[n].device_id = j->device_id;
            rows[n].r = &j->rows[i];
            rows[n].seq = (uint32_t)n;
            n++;
        }
    struct readings_frame *frames = xmalloc((njobs ? njobs : 1) * sizeof *frames);
    readings_sort(rows, n);
    /* the cluster's insert, if any, before SQLite's write lock (readings.h) */
    int rc = readings_send(g->w, rows, n, now);
    if (!rc)
        rc = readings_begin(g->w);
    if (!rc)
        rc = readings_put(g->w, rows, n, now);
    int refused = 0;
    for (struct ingest_job *j = list; j && !rc; j = j->next) {
        if (j->kind != INGEST_DATA && j->kind != INGEST_FRAME && nf) {
            rc = readings_put_frames(g->w, frames, nf);
            nf = 0;
            if (rc)
                break;
        }
        if (j->kind == INGEST_UNREGISTERED) {
            rc = readings_unregistered(g->w, j->mn, j->status, j->received, j->addr, j->st, j->cn,
                                       j->pw, j->frame, j->frame_len < 1100 ? j->frame_len : 1100,
                                       1);
            refused = 1;
            continue;
        }
        if (j->kind == INGEST_REJECTS) {
            struct readings_reject rj = {j->device_id, j->station_id, j->mn,       j->addr,
                                         j->status,    j->count,      j->bytes,    j->first,
                                         j->received,  j->frame,      j->frame_len};
            rc = readings_reject(g->w, &rj);
            continue;
        }
        if (j->kind == INGEST_COMMAND) {
            rc = readings_command_update(g->w, j->command_id, j->status[0] ? j->status : NULL,
                                         j->qn_rtn, j->exe_rtn, j->out, j->received, j->frame,
                                         j->frame_len);
            if (rc)
                break;
        }
        if (g->forwarding && j->kind == INGEST_DATA && j->frame_len &&
            (rc = readings_put_forward(g->w, j->received, j->frame, j->frame_len)))
            break;
        if (g->o.raw_days > 0 && j->frame_len)
            frames[nf++] = ingest_frame_of(j);
    }
    if (!rc && nf)
        rc = readings_put_frames(g->w, frames, nf);
    free(frames);
    if (!rc && refused) {
        int had = ingest_overwrite_deletes(g);
        rc = readings_unregistered_trim(g->w, INGEST_UNREGISTERED_MAX);
        ingest_deletes_back(g, had);
    }
    if (!rc)
        rc = readings_commit(g->w);
    if (rc) {
        readings_rollback(g->w);
        g->stats.commit_failures++;
        log_error("ingest: batch of %zu rows not committed; devices will resend", n);
    } else {
        if (g->forwarding && g->o.on_forward)
            g->o.on_forward(g->o.arg);
        g->stats.batches++;
        g->stats.rows += n;
        for (struct ingest_job *j = list; j; j = j->next) {
            g->stats.frames++;
            ingest_count(g, j);
        }
    }
    free(rows);
    return rc;
}

/* Device counters, retention, alerts (and at shutdown all that readings_sync keeps back):
 * on the writer thread, between batches. */
static void ingest_maintenance(struct ingest *g, int force)
{
    int64_t ms = timeutil_now_ms();
    if (!force && ms - g->last_maint_ms < g->o.maintenance_ms)
        return;
    g->last_maint_ms = ms;
    int64_t now = timeutil_now();
    int fwd = readings_forwarding(g->w);
    if (fwd >= 0)
        g->forwarding = fwd;
    if (!readings_begin(g->w)) {
        int rc = 0;
        for (size_t i = 0; i < g->ndevs_cap && !rc; i++) {
            struct ingest_dev *d = &g->devs[i];
            if (!d->device_id || !d->dirty)
                continue;
            rc = readings_device_seen(g->w, d->device_id, d->last_seen, d->addr, d->frames,
                                      d->bad_crc, d->rejected);
        }
        if (!rc && force) /* at shutdown: everything kept back, at once */
            rc = readings_sync(g->w, now);
        if (rc || readings_commit(g->w)) {
            readings_rollback(g->w);
        } else {
            for (size_t i = 0; i < g->ndevs_cap; i++)
                if (g->devs[i].device_id) {
                    g->devs[i].dirty = 0;
                    g->devs[i].frames = g->devs[i].bad_crc = g->devs[i].rejected = 0;
                }
        }
    }
    if (force || now - g->last_alert >= INGEST_ALERT_PERIOD) {
        g->last_alert = now;
        if (readings_alerts(g->w, now))
            log_warn("ingest: alert pass failed: %s", readings_errmsg(readings_db(g->w)));
    }
    if (now - g->last_prune >= INGEST_PRUNE_PERIOD) {
        g->last_prune = now;
        /* What goes holds secrets and personal data (raw frames with their PW=, addresses):
         * the pages it frees are overwritten too, though the writer otherwise deletes with
         * secure_delete FAST (store_readings.c). */
        int had = ingest_overwrite_deletes(g);
        /* rejected-frame counts are kept as long as raw frames, and a month when none are */
        int days = g->o.raw_days > 0 ? g->o.raw_days : 30;
        if (readings_prune_rejects(g->w, now - (int64_t)days * 86400) < 0)
            log_warn("ingest: retention pass failed: %s", readings_errmsg(readings_db(g->w)));
        int64_t before = now - (int64_t)g->o.raw_days * 86400;
        if (g->o.raw_days > 0 && (readings_prune_frames(g->w, before, 100000) < 0 ||
                                  readings_prune_commands(g->w, before, 10000) < 0))
            log_warn("ingest: retention pass failed: %s", readings_errmsg(readings_db(g->w)));
        ingest_deletes_back(g, had);
    }
}

/* The periodic sync (staged records, frame lookup, rollups) when due, in its own
 * transaction: between batches one part per turn, so no batch waits for all three; while
 * idle all at once. Never on an ack's path. */
static void ingest_sync(struct ingest *g, int idle)
{
    if (!readings_sync_due(g->w))
        return;
    int64_t now = timeutil_now();
    readings_sync_send(g->w);
    if (readings_begin(g->w) ||
        (idle ? readings_sync(g->w, now) : readings_sync_step(g->w, now) < 0) ||
        readings_commit(g->w)) {
        /* nothing is lost: the part is done again next turn (staged rows and rollups_pending
         * are in the database) */
        log_warn("ingest: sync not committed: %s", readings_errmsg(readings_db(g->w)));
        readings_rollback(g->w);
    }
}

static void *ingest_main(void *arg)
{
    struct ingest *g = arg;
    pthread_mutex_lock(&g->lock);
    for (;;) {
        while (!g->head && !g->stopping) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_sec += 1;
            pthread_cond_timedwait(&g->cond, &g->lock, &ts);
            if (!g->head) {
                pthread_mutex_unlock(&g->lock);
                ingest_sync(g, 1);
                ingest_maintenance(g, 0);
                pthread_mutex_lock(&g->lock);
            }
        }
        if (!g->head && g->stopping)
            break;
        /* Let a batch fill for a few milliseconds unless it is already big. */
        if (g->queued_rows < (size_t)g->o.batch_rows && !g->stopping) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += (long)g->o.batch_ms * 1000000L;
            if (ts.tv_nsec >= 1000000000L)
                ts.tv_sec++, ts.tv_nsec -= 1000000000L;
            pthread_cond_timedwait(&g->cond, &g->lock, &ts);
        }
        /* Take jobs up to the batch size. */
        struct ingest_job *list = g->head, *last = NULL;
        size_t rows = 0, cost = 0;
        struct ingest_job *j = g->head;
        while (j && (rows < (size_t)g->o.batch_rows || !last)) {
            rows += j->nrows;
            cost += ingest_cost(j);
            last = j;
            j = j->next;
        }
        g->head = j;
        if (!j)
            g->tail = NULL;
        last->next = NULL;
        g->queued_rows -= rows;
        pthread_mutex_unlock(&g->lock);

        int rc = ingest_write(g, list, rows);
        atomic_fetch_sub(&g->pending, cost);
        /* Jobs with an ack go back to the listener, committed or not (a connection counts the
         * acks it waits for); an ack of a batch not committed is emptied: nothing is sent, the
         * device resends. The rest are done. */
        struct ingest_job *acks = NULL, **tailp = &acks;
        while (list) {
            struct ingest_job *next = list->next;
            if (list->ack && g->o.on_committed) {
                if (rc)
                    list->ack->len = 0;
                else
                    g->stats.acks++;
                list->next = NULL;
                *tailp = list;
                tailp = &list->next;
            } else {
                ingest_job_free(list);
            }
            list = next;
        }
        if (acks)
            g->o.on_committed(g->o.arg, acks);
        ingest_sync(g, 0);
        ingest_maintenance(g, 0);
        pthread_mutex_lock(&g->lock);
    }
    pthread_mutex_unlock(&g->lock);
    ingest_maintenance(g, 1);
    return NULL;
}

/* Copies the WAL back into the database beside the writer, so no batch waits for a
 * checkpoint (store/readings.c replaced SQLite's automatic one). */
static void *ingest_checkpoint_main(void *arg)
{
    struct ingest *g = arg;
    pthread_mutex_lock(&g->lock);
    while (!g->ck_stopping) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 100 * 1000000L;
        if (ts.tv_nsec >= 1000000000L)
            ts.tv_sec++, ts.tv_nsec -= 1000000000L;
        pthread_cond_timedwait(&g->ckcond, &g->lock, &ts);
        if (g->ck_stopping)
            break;
        pthread_mutex_unlock(&g->lock);
        if (readings_checkpoint(g->w, g->ckdb) < 0)
            log_warn("ingest: checkpoint failed: %s", readings_errmsg(g->ckdb));
        pthread_mutex_lock(&g->lock);
    }
    pthread_mutex_unlock(&g->lock);
    return NULL;
}

struct ingest *ingest_start(const struct ingest_opts *o)
{
    char err[256];
    struct readings *w = readings_open(o->db_path, err, sizeof err);
    if (!w) {
        log_error("ingest: %s", err);
        return NULL;
    }
    struct ingest *g = xcalloc(1, sizeof *g);
    g->o = *o;
    if (g->o.batch_rows <= 0)
        g->o.batch_rows = 20000;
    if (g->o.batch_ms <= 0)
        g->o.batch_ms = 5;
    if (g->o.maintenance_ms <= 0)
        g->o.maintenance_ms = 2000;
    g->w = w;
    g->last_maint_ms = timeutil_now_ms();
    g->forwarding = readings_forwarding(w) == 1;
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->cond, NULL);
    if (pthread_create(&g->thread, NULL, ingest_main, g)) {
        log_error("ingest: cannot start the writer thread");
        readings_close(w);
        free(g);
        return NULL;
    }
    pthread_setname_np(g->thread, "ecogov-ingest"); /* names it in top -H, perf, gdb */
    pthread_cond_init(&g->ckcond, NULL);
    if (!readings_checkpointed(w))
        return g;
    g->ckdb = db_open(o->db_path, err, sizeof err);
    if (!g->ckdb || pthread_create(&g->checkpointer, NULL, ingest_checkpoint_main, g)) {
        /* Every connection then checkpoints after its own commits, the writer's too: slower,
         * not broken. */
        log_error("ingest: no checkpoint thread (%s)", g->ckdb ? "thread" : err);
        db_close(g->ckdb);
        g->ckdb = NULL;
    } else {
        pthread_setname_np(g->checkpointer, "ecogov-ckpt");
        db_checkpointer_add(1);
    }
    return g;
}

void ingest_submit(struct ingest *g, struct ingest_job *j)
{
    j->next = NULL;
    atomic_fetch_add(&g->pending, ingest_cost(j));
    pthread_mutex_lock(&g->lock);
    if (g->tail)
        g->tail->next = j;
    else
        g->head = j;
    g->tail = j;
    g->queued_rows += j->nrows;
    int wake = g->queued_rows >= (size_t)g->o.batch_rows || g->head == j;
    pthread_mutex_unlock(&g->lock);
    if (wake)
        pthread_cond_signal(&g->cond);
}

size_t ingest_pending(struct ingest *g)
{
    return atomic_load(&g->pending);
}

void ingest_get_stats(struct ingest *g, struct ingest_stats *out)
{
    pthread_mutex_lock(&g->lock);
    *out = g->stats;
    pthread_mutex_unlock(&g->lock);
}

void ingest_stop(struct ingest *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->lock);
    g->stopping = 1;
    pthread_mutex_unlock(&g->lock);
    pthread_cond_signal(&g->cond);
    pthread_join(g->thread, NULL);
    /* only now: the writer's last batches and sync were checkpointed as usual */
    pthread_mutex_lock(&g->lock);
    g->ck_stopping = 1;
    pthread_mutex_unlock(&g->lock);
    pthread_cond_signal(&g->ckcond);
    if (g->ckdb) {
        pthread_join(g->checkpointer, NULL);
        db_checkpointer_add(-1);
        db_close(g->ckdb);
    }
    pthread_mutex_destroy(&g->lock);
    pthread_cond_destroy(&g->cond);
    pthread_cond_destroy(&g->ckcond);
    readings_close(g->w);
    free(g->devs);
    free(g);
}
