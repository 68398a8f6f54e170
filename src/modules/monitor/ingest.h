/* ingest — the one writer of device data: a thread that takes jobs from the HJ 212 listener,
 * writes them in batches (by row count or a few milliseconds) in one transaction through
 * readings.h, and only after the commit hands the jobs that carry an ack back (on_committed)
 * so their 9014 acknowledgements can be sent (a batch that failed hands them back emptied). A crash
 * before the commit loses nothing a device was told was received: it resends.
 *
 * Owns: the writer thread, the job queue and the writer's connection, and a checkpointer
 * thread with its own connection (copies the WAL back so no commit waits for it). Periodic
 * tasks run on the writer thread, between batches and after their acks: the sync of what
 * readings_put keeps back (staged records, frame lookup, rollups), device counters, raw-frame
 * and command retention, offline/online alerts.
 * Must not: touch sockets (acks go back through the on_committed callback).
 *
 * ingest_listen (ingest_listen.c) starts the listener (net/hj212_server.h) with this module
 * behind its hooks: the device snapshot (store_devcache.h), this writer and the relay. */
#ifndef ECOGOV_INGEST_H
#define ECOGOV_INGEST_H

#include "domain/monitor_norm.h"
#include "net/hj212_server.h"

#include <stddef.h>
#include <stdint.h>

enum ingest_job_kind {
    INGEST_DATA,         /* readings (maybe none: a heartbeat) + raw frame + counters */
    INGEST_FRAME,        /* a raw frame only (a reply, a rejected frame, a sent request) */
    INGEST_UNREGISTERED, /* a refused MN */
    INGEST_COMMAND,      /* a platform request's progress (status, return codes, frame) */
    INGEST_REJECTS,      /* rejected frames of one (device, address, reason) in aggregate */
};

/* Refused MNs listed at most (the oldest seen are dropped): bounds unregistered_devices
 * whatever a sender makes up (each address's refusals are budgeted by the listener too). */
#define INGEST_UNREGISTERED_MAX 1000

struct ingest_job {
    struct ingest_job *next;
    enum ingest_job_kind kind;
    int64_t device_id, station_id;
    int64_t received;
    int cn;
    int bad_crc, rejected; /* counter increments for the device */
    char qn[24];
    char mn[65];
    char pw[65];
    char st[8];
    char addr[48];
    char status[16];
    int out; /* frame direction: 1 = sent by the platform */
    size_t nrows;
    struct monitor_row *rows; /* nrows, allocated with the job */
    char *frame;              /* raw frame bytes, allocated with the job */
    size_t frame_len;
    int64_t command_id;          /* INGEST_COMMAND: monitor_commands.id */
    int qn_rtn, exe_rtn;         /* INGEST_COMMAND: return codes seen (-1 = none) */
    struct hj212_ack *ack;       /* to send once committed (owned), or NULL */
    int64_t count, bytes, first; /* INGEST_REJECTS: as in struct hj212_intake */
};

/* Allocates a zeroed job with room for nrows rows and a copy of the frame. Free with
 * ingest_job_free. */
struct ingest_job *ingest_job_new(size_t nrows, const char *frame, size_t frame_len);
void ingest_job_free(struct ingest_job *j);

/* Called on the writer thread after each batch with its jobs that carry an ack (linked
 * through next; ownership passes to the callee). When the batch was not committed their acks
 * are emptied (len 0): nothing may be sent, but the connection stops waiting for them. */
typedef void ingest_committed_fn(void *arg, struct ingest_job *acks);

struct ingest_opts {
    const char *db_path;
    int batch_rows;     /* commit when this many rows are waiting (default 20000) */
    int batch_ms;       /* or when the oldest job waited this long (default 5) */
    int raw_days;       /* raw-frame retention in days (0 = keep no raw frames) */
    int maintenance_ms; /* period of counters and alerts (default 2000) */
    ingest_committed_fn *on_committed;
    void *arg;
    /* Called (with arg) after a commit that queued frames for the upstream platforms; may be
     * NULL. Accepted data frames are queued in forward_queue in the same transaction as their
     * records whenever an active forward target exists. */
    void (*on_forward)(void *arg);
};

struct ingest;

/* Opens the writer connection and starts the thread. NULL on failure (logged). */
struct ingest *ingest_start(const struct ingest_opts *o);
/* Queues a job (ownership passes). Thread-safe. */
void ingest_submit(struct ingest *g, struct ingest_job *j);
/* What is queued and not yet committed, in rows: a job weighs its rows plus one plus a row
 * per 64 bytes of frame, so a flood of bytes holds the listener back like one of rows. */
size_t ingest_pending(struct ingest *g);
/* Writes everything queued, runs the periodic tasks once more, stops the thread, frees. */
void ingest_stop(struct ingest *g);

struct ingest_stats {
    uint64_t batches, rows, frames, acks, commit_failures;
};
void ingest_get_stats(struct ingest *g, struct ingest_stats *out);

/* ---- the listener with this module behind its hooks ---- */

struct ingest_listen_opts {
    struct hj212_server_opts listener;
    const char *db_path;      /* devices are read from it, the writer and the relay write it */
    int raw_days;             /* raw-frame retention (0 = none kept) */
    int batch_rows, batch_ms; /* writer batching */
    const char *forward;      /* upstream platforms "host:port,..." (NULL = none configured) */
    int gap_interval;         /* seconds between automatic back-fill sweeps (0 = off) */
    int gap_hours;            /* look-back of a sweep (0 = 24) */
    int clock_check;          /* seconds between clock checks of a device (0 = off) */
    int clock_tolerance;      /* skew in seconds above which a device's clock is set (0 = 60) */
};

/* Starts the HJ 212 listener (hj212_server_start) with the registered devices, the writer
 * and the relay behind its hooks. *port gets the bound port. NULL on failure (logged). */
struct hj212_server *ingest_listen(const struct ingest_listen_opts *o, int *port);
/* Stops the listener, then the relay and the writer (which commits what it holds). */
void ingest_unlisten(struct hj212_server *s);

#endif
