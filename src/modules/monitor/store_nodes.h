/* store_nodes — the SQLite side of ingest nodes on several hosts (nodes.h): the outbox an
 * ingest node fills inside its writer's transactions, and on the central node the applied
 * seq of each ingest node and the rows applied through the same statements the writer uses.
 *
 * Must not: talk to the cluster (nodes.c does), own a transaction except nodes_store_apply's. */
#ifndef ECOGOV_STORE_NODES_H
#define ECOGOV_STORE_NODES_H

#include "core/buf.h"
#include "modules/monitor/readings.h"

#include <stddef.h>
#include <stdint.h>

struct db;

/* A refused MN as the writer records it (strings borrowed). */
struct monitor_unregistered {
    const char *mn, *reason;
    int64_t ts;
    const char *addr, *st;
    int cn;
    const char *pw;
    const char *sample;
    size_t sample_len;
    int64_t count;
};

/* The writer's statements, on any connection (store_ingest.c): 0 or -1. */
int monitor_store_device_seen(struct db *db, int64_t device_id, int64_t last_seen, const char *addr,
                              int64_t frames, int64_t bad_crc, int64_t rejected, const char *node);
int monitor_store_unregistered_put(struct db *db, const struct monitor_unregistered *u);
/* Keeps the max most recently seen refused MNs (readings_unregistered_trim). */
int monitor_store_unregistered_trim(struct db *db, int max);
int monitor_store_reject_put(struct db *db, const struct readings_reject *r);

/* An ingest node: the same rows into node_outbox, in the caller's transaction. 0 or -1. */
int nodes_outbox_seen(struct db *db, int64_t device_id, int64_t last_seen, const char *addr,
                      int64_t frames, int64_t bad_crc, int64_t rejected);
int nodes_outbox_unregistered(struct db *db, const struct monitor_unregistered *u);
int nodes_outbox_reject(struct db *db, const struct readings_reject *r);
/* An accepted data frame for the central node's forward queue (at most NODES_FRAME_MAX
 * bytes, as the listener bounds frames). */
#define NODES_FRAME_MAX 10011
int nodes_outbox_forward(struct db *db, int64_t received, const char *frame, size_t len);
/* A step of the exchange of the central node's request command_id (as
 * monitor_store_command_update takes it; the frame at most NODES_FRAME_MAX bytes). */
int nodes_outbox_command(struct db *db, int64_t command_id, const char *status, int qn_rtn,
                         int exe_rtn, int out, int64_t ts, const char *frame, size_t len);

/* The oldest outbox rows (at most max) as TabSeparated rows of the cluster's outbox table
 * (node, seq, created = sent, kind, body) appended to out; *last = the last seq put. The
 * cluster's rows are dated when sent, not when written here, so a row sent late never lands
 * in a month the central node is dropping. Returns the rows put, or -1. */
int nodes_outbox_tsv(struct db *db, const char *node, int64_t sent, int max, struct buf *out,
                     int64_t *last);
/* On a database whose outbox never held a row, makes its seqs start after `start`: a node
 * whose database was made anew under an old name (a host replaced) then never reuses a seq
 * the central node already applied. Nothing on a database that has used its outbox. 0 or -1. */
int nodes_outbox_seed(struct db *db, int64_t start);
/* Deletes the rows up to seq (the cluster took them). 0 or -1. */
int nodes_outbox_delete(struct db *db, int64_t upto);
/* Rows waiting, or -1. */
int64_t nodes_outbox_count(struct db *db);

/* The central node: every ingest node applied so far as "node\tseq\n" lines into out. 0 or
 * -1. */
int nodes_store_applied(struct db *db, struct buf *out);
/* One row of the cluster's outbox as read back. */
struct nodes_row {
    int64_t seq;
    const char *kind, *body;
};
/* Applies node's rows (seq ascending, duplicates allowed) past the node's applied seq, in one
 * transaction with the new applied seq: each row exactly once whatever was read twice.
 * Returns the rows applied, or -1 (nothing applied). */
long nodes_store_apply(struct db *db, const char *node, const struct nodes_row *rows, size_t n,
                       int64_t now);

#endif
