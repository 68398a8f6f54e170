/* store_commands — monitor_commands (requests sent to devices: the console's commands, the
 * relay's back-fill and clock requests) and the device lists the relay's sweeps work through.
 *
 * Must not: validate, encode frames or decide (http_commands.c, monitor.c and relay.c do); it
 * only maps to SQL. */
#ifndef ECOGOV_MONITOR_STORE_COMMANDS_H
#define ECOGOV_MONITOR_STORE_COMMANDS_H

#include "core/buf.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* A device as a request to it needs it. */
struct monitor_store_device {
    int64_t id, station;
    char mn[65], pw[65], edition[16], kind[32];
    int utc;          /* the device clock runs on UTC */
    int min_interval; /* the station's minute-record interval */
    char node[33];    /* the ingest node of its newest contact ('' = this node's listener) */
};

/* A new command row (status queued, created_at = updated_at = now). purpose is "command" or
 * "backfill", params JSON text. node (NULL or '' = this node's listener) names the ingest node
 * that delivers it, frame (NUL-terminated HJ 212 text) what it sends: the nodes thread
 * publishes it to the cluster. 0 and *id, or -1. */
struct monitor_store_command {
    int64_t device, station;
    int cn;
    const char *qn, *purpose, *params, *created_by;
    const char *node, *frame;
};
int monitor_store_command_insert(struct db *db, const struct monitor_store_command *c, int64_t now,
                                 int64_t *id);
/* A step of a request's exchange, as the listener reports it (status NULL = unchanged, a
 * negative qn_rtn / exe_rtn = unchanged, out = 1 for a frame sent to the device). 0 or -1. */
int monitor_store_command_update(struct db *db, int64_t command_id, const char *status, int qn_rtn,
                                 int exe_rtn, int out, int64_t ts, const char *frame, size_t len);
/* 1 when request command_id was addressed to ingest node `node`, 0 when not (or no such
 * request), -1 on a database error. */
int monitor_store_command_of_node(struct db *db, int64_t command_id, const char *node);

/* The central node: requests addressed to ingest nodes not yet published, id order, at most
 * max, as TabSeparated rows of the cluster's commands table (node, id, created = when the
 * request was made, device, qn, cn, frame) appended to out; *last = the last id put. The rows
 * put, or -1. */
int monitor_store_commands_unpublished(struct db *db, int max, struct buf *out, int64_t *last);
/* Marks the unpublished ones up to id published at now. 0 or -1. */
int monitor_store_commands_published(struct db *db, int64_t upto, int64_t now);
/* Requests to ingest nodes made before `before` that no node reported taking (still queued,
 * published or not): timed out at now, and never published after. The rows, or -1. */
long monitor_store_commands_expire(struct db *db, int64_t before, int64_t now);
/* An ingest node: records that it took request id. 1 when new, 0 when taken before, -1. */
int monitor_store_command_take(struct db *db, int64_t id, int64_t now);
/* Forgets what was taken before `before` (published requests are taken within minutes). */
int monitor_store_command_taken_prune(struct db *db, int64_t before);

/* Back-fill requests to device still in progress (queued, sent, accepted) created after
 * since; -1 on a database error. */
int monitor_store_backfill_busy(struct db *db, int64_t device, int64_t since);
/* 1 when a back-fill with exactly these params went to device before, 0 when not, -1. */
int monitor_store_backfill_asked(struct db *db, int64_t device, const char *params);
/* The station's commands, newest first [{id, device_id, cn, qn, purpose, params, status,
 * qn_rtn, exe_rtn, tries, exchange, created_by, created_at, updated_at}] with params and
 * exchange parsed (new reference); NULL on a database error. */
json_t *monitor_store_commands(struct db *db, int64_t station, int limit);
/* The station's active device device_id (or its first active one when device_id is 0) into
 * *d. 0, or -1 when there is none. */
int monitor_store_command_device(struct db *db, int64_t station, int64_t device_id,
                                 struct monitor_store_device *d);

/* The relay's sweeps. */

/* Calls each(d, ctx) for the active devices of active stations heard from since `seen` with
 * no back-fill in progress created after busy_since, in id order, until each returns
 * non-zero. 0, or -1. */
int monitor_store_gap_devices(struct db *db, int64_t seen, int64_t busy_since,
                              int (*each)(const struct monitor_store_device *d, void *ctx),
                              void *ctx);
/* Devices due for a clock check: active, heard from since `seen` on this node's listener (a
 * device on an ingest node measures its skew there, so it is not swept), not asked after
 * asked_before (never asked first), no 1011/1012 in progress created after busy_since; at
 * most max into out. The count, or -1. */
int monitor_store_clock_due(struct db *db, int64_t seen, int64_t asked_before, int64_t busy_since,
                            struct monitor_store_device *out, int max);
/* Records that device was asked its time at `at` (NULL again: ask at the next sweep when
 * at is 0). 0, or -1. */
int monitor_store_clock_asked(struct db *db, int64_t device, int64_t at);
/* Stores the measured skew. 0, or -1. */
int monitor_store_clock_skew(struct db *db, int64_t device, int64_t skew, int64_t at);
/* The device into *d when its clock may be set now: active, clock_sync on, no automatic 1012
 * created after since. 1 when so, 0 when not, -1. */
int monitor_store_clock_settable(struct db *db, int64_t device, int64_t since,
                                 struct monitor_store_device *d);

#endif
