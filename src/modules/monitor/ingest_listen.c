/* The HJ 212 listener's hooks (net/hj212_server.h) filled from this module: the device
 * snapshot (store_devcache.h), the writer (ingest.c) and the relay (relay.h). The listener
 * calls them once per frame at most, so the indirection costs nothing per value. */
#include "core/log.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "modules/monitor/ingest.h"
#include "modules/monitor/nodes.h"
#include "modules/monitor/relay.h"
#include "modules/monitor/store_devcache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ingest_listener {
    struct ingest_listen_opts o;
    struct hj212_server *srv;
    struct ingest *ingest;
    struct hj212_relay *relay;
    struct devcache *devs; /* loop thread only */
    uint64_t devs_gen;
    /* the registry as other nodes on this database changed it (devcache_stamp) */
    struct db *stamp_db;
    int64_t stamp, stamp_ms;
};

/* How often the registry's stamp is read: another node's new device is known here after at
 * most this long. */
#define INGEST_REGISTRY_CHECK_MS 2000

/* 1 when the database's registry changed since the snapshot (another process wrote it). */
static int ingest_listen_stale(struct ingest_listener *l)
{
    int64_t ms = timeutil_now_ms();
    if (ms - l->stamp_ms < INGEST_REGISTRY_CHECK_MS)
        return 0;
    l->stamp_ms = ms;
    char err[256];
    if (!l->stamp_db && !(l->stamp_db = db_open(l->o.db_path, err, sizeof err)))
        return 0;
    int64_t stamp = devcache_stamp(l->stamp_db);
    int changed = stamp != -1 && stamp != l->stamp;
    if (changed)
        l->stamp = stamp;
    return changed && l->devs;
}

/* Reloads the snapshot when a device changed since it was taken. 0, or -1 when there is no
 * snapshot at all. */
static int ingest_listen_load(struct ingest_listener *l)
{
    if (nodes_ingest_remote()) { /* the registry is the central node's, from the cluster */
        struct devcache *fresh = nodes_registry_take();
        if (fresh) {
            devcache_free(l->devs);
            l->devs = fresh;
        }
        return l->devs ? 0 : -1;
    }
    uint64_t gen = devcache_generation();
    if (gen == l->devs_gen && l->devs && !ingest_listen_stale(l))
        return 0;
    char err[256];
    struct db *db = db_open(l->o.db_path, err, sizeof err);
    struct devcache *c = db ? devcache_load(db) : NULL;
    db_close(db);
    if (!c) {
        log_error("hj212: cannot load the device registry: %s", db ? "query failed" : err);
        return l->devs ? 0 : -1;
    }
    devcache_free(l->devs);
    l->devs = c;
    l->devs_gen = gen;
    return 0;
}

static void ingest_listen_refresh(void *ctx)
{
    ingest_listen_load(ctx);
}

static int ingest_listen_device(const struct devcache_entry *e, struct hj212_device *out)
{
    if (!e)
        return -1;
    out->device_id = e->device_id;
    out->station_id = e->station_id;
    out->mn = e->mn;
    out->pw = e->pw;
    out->active = e->active;
    out->cfg = &e->cfg;
    return 0;
}

static int ingest_listen_find(void *ctx, const char *mn, size_t len, struct hj212_device *out)
{
    struct ingest_listener *l = ctx;
    return ingest_listen_device(devcache_find(l->devs, mn, len), out);
}

static int ingest_listen_by_id(void *ctx, int64_t id, struct hj212_device *out)
{
    struct ingest_listener *l = ctx;
    return ingest_listen_device(devcache_by_id(l->devs, id), out);
}

/* Copies at most cap - 1 bytes of v and terminates. */
static void ingest_listen_copy(char *dst, size_t cap, struct hj212_str v)
{
    size_t n = v.len < cap - 1 ? v.len : cap - 1;
    if (n)
        memcpy(dst, v.ptr, n);
    dst[n] = '\0';
}

static void ingest_listen_submit(void *ctx, const struct hj212_intake *in)
{
    static const enum ingest_job_kind kinds[] = {
        [HJ212_INTAKE_DATA] = INGEST_DATA,
        [HJ212_INTAKE_FRAME] = INGEST_FRAME,
        [HJ212_INTAKE_UNREGISTERED] = INGEST_UNREGISTERED,
        [HJ212_INTAKE_COMMAND] = INGEST_COMMAND,
        [HJ212_INTAKE_REJECTS] = INGEST_REJECTS,
    };
    struct ingest_listener *l = ctx;
    struct ingest_job *j = ingest_job_new(in->nrows, in->frame, in->frame_len);
    if (in->nrows)
        memcpy(j->rows, in->rows, in->nrows * sizeof *in->rows);
    j->nrows = in->nrows;
    j->kind = kinds[in->kind];
    j->device_id = in->device_id;
    j->station_id = in->station_id;
    j->received = in->received;
    j->cn = in->cn;
    j->out = in->out;
    j->command_id = in->command_id;
    j->qn_rtn = in->qn_rtn;
    j->exe_rtn = in->exe_rtn;
    ingest_listen_copy(j->qn, sizeof j->qn, in->qn);
    ingest_listen_copy(j->mn, sizeof j->mn, in->mn);
    ingest_listen_copy(j->pw, sizeof j->pw, in->pw);
    ingest_listen_copy(j->st, sizeof j->st, in->st);
    ingest_listen_copy(j->addr, sizeof j->addr, hj212_str_c(in->addr ? in->addr : ""));
    ingest_listen_copy(j->status, sizeof j->status, hj212_str_c(in->status ? in->status : ""));
    if (j->kind == INGEST_UNREGISTERED) /* a refused MN is shown: a NUL inside ends the text */
        for (size_t i = 0; i < sizeof j->mn && j->mn[i]; i++)
            if ((unsigned char)j->mn[i] < 32)
                j->mn[i] = '?';
    if (j->kind == INGEST_REJECTS) { /* the device's counters move by the aggregate */
        j->count = in->count;
        j->bytes = in->bytes;
        j->first = in->first;
        if (j->device_id) {
            int crc = !strcmp(j->status, "bad_crc");
            j->bad_crc = crc ? (int)in->count : 0;
            j->rejected = crc ? 0 : (int)in->count;
        }
    }
    j->ack = in->ack;
    ingest_submit(l->ingest, j);
}

static size_t ingest_listen_pending(void *ctx)
{
    struct ingest_listener *l = ctx;
    return ingest_pending(l->ingest);
}

static void ingest_listen_clock(void *ctx, const struct hj212_clock_result *r)
{
    struct ingest_listener *l = ctx;
    hj212_relay_clock_event(l->relay, r);
}

/* On the writer thread: the jobs' acks go back to the loop (emptied when their batch was not
 * committed), the jobs are done. */
static void ingest_listen_committed(void *arg, struct ingest_job *jobs)
{
    struct ingest_listener *l = arg;
    struct hj212_ack *acks = NULL, **tail = &acks;
    while (jobs) {
        struct ingest_job *next = jobs->next;
        *tail = jobs->ack;
        tail = &jobs->ack->next;
        *tail = NULL;
        jobs->ack = NULL;
        ingest_job_free(jobs);
        jobs = next;
    }
    hj212_server_acked(l->srv, acks);
}

static void ingest_listen_forward(void *arg)
{
    struct ingest_listener *l = arg;
    hj212_relay_kick(l->relay);
}

static int ingest_listen_open(void *ctx, struct hj212_server *s)
{
    struct ingest_listener *l = ctx;
    l->srv = s;
    if (ingest_listen_load(l))
        return -1;
    const struct ingest_listen_opts *o = &l->o;
    struct hj212_relay_opts ro = {o->db_path, o->forward,     o->gap_interval,   o->gap_hours,
                                  s,          o->clock_check, o->clock_tolerance};
    struct ingest_opts io = {
        o->db_path, o->batch_rows,           o->batch_ms, o->raw_days,
        0,          ingest_listen_committed, l,           ingest_listen_forward};
    l->relay = hj212_relay_start(&ro);
    l->ingest = l->relay ? ingest_start(&io) : NULL;
    if (l->ingest)
        return 0;
    hj212_relay_stop(l->relay);
    l->relay = NULL;
    devcache_free(l->devs);
    l->devs = NULL;
    return -1;
}

static void ingest_listen_close(void *ctx)
{
    struct ingest_listener *l = ctx;
    hj212_relay_stop(l->relay);
    ingest_stop(l->ingest);
    devcache_free(l->devs);
    db_close(l->stamp_db);
    l->stamp_db = NULL;
    l->relay = NULL;
    l->ingest = NULL;
    l->devs = NULL;
}

struct hj212_server *ingest_listen(const struct ingest_listen_opts *o, int *port)
{
    struct ingest_listener *l = xcalloc(1, sizeof *l);
    l->o = *o;
    struct hj212_hooks h = {l,
                            ingest_listen_open,
                            ingest_listen_close,
                            ingest_listen_refresh,
                            ingest_listen_find,
                            ingest_listen_by_id,
                            ingest_listen_submit,
                            ingest_listen_pending,
                            ingest_listen_clock};
    struct hj212_server *s = hj212_server_start(&o->listener, &h, port);
    if (!s)
        free(l);
    return s;
}

void ingest_unlisten(struct hj212_server *s)
{
    if (!s)
        return;
    struct ingest_listener *l = hj212_server_ctx(s);
    hj212_server_stop(s);
    free(l);
}

struct hj212_relay *hj212_server_relay(struct hj212_server *s)
{
    struct ingest_listener *l = s ? hj212_server_ctx(s) : NULL;
    return l ? l->relay : NULL;
}
