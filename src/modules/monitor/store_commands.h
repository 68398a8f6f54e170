/* store_commands — monitor_commands (requests sent to devices: the console's commands, the
 * relay's back-fill and clock requests) and the device lists the relay's sweeps work through.
 *
 * Must not: validate, encode frames or decide (http_commands.c, monitor.c and relay.c do); it
 * only maps to SQL. */
#ifndef ECOGOV_MONITOR_STORE_COMMANDS_H
#define ECOGOV_MONITOR_STORE_COMMANDS_H

#include <jansson.h>
#include <stdint.h>

struct db;

/* A device as a request to it needs it. */
struct monitor_store_device {
    int64_t id, station;
    char mn[65], pw[65], edition[16], kind[32];
    int utc;          /* the device clock runs on UTC */
    int min_interval; /* the station's minute-record interval */
};

/* A new command row (status queued, created_at = updated_at = now). purpose is "command" or
 * "backfill", params JSON text. 0 and *id, or -1. */
struct monitor_store_command {
    int64_t device, station;
    int cn;
    const char *qn, *purpose, *params, *created_by;
};
int monitor_store_command_insert(struct db *db, const struct monitor_store_command *c, int64_t now,
                                 int64_t *id);
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
/* Devices due for a clock check: active, heard from since `seen`, not asked after
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
