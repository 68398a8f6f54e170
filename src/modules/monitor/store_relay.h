/* store_relay — the forwarding tables: forward_targets (the upstream platforms) and
 * forward_queue (frames waiting for them). Every statement on forward_targets made by the rules
 * (monitor.c) and the relay thread (relay.c) is here.
 *
 * Records cross as plain values the caller has validated. Must not: validate, audit or decide
 * (monitor.c and relay.c do); it only maps to SQL. */
#ifndef ECOGOV_MONITOR_STORE_RELAY_H
#define ECOGOV_MONITOR_STORE_RELAY_H

#include "core/err.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* A target as written: name and host borrowed from the caller. */
struct monitor_store_forward {
    const char *name, *host;
    int64_t port, active;
};

/* Inserts a target starting at the current end of the queue (it gets what is accepted from
 * now on). ERR_OK and *id, ERR_CONFLICT for a name in use, ERR_INTERNAL. */
enum err monitor_store_forward_insert(struct db *db, const struct monitor_store_forward *f,
                                      int64_t now, int64_t *id);
/* Replaces the fields; a target switched from inactive to active starts at the current end of
 * the queue. ERR_OK, ERR_CONFLICT for a name in use, ERR_INTERNAL. */
enum err monitor_store_forward_update(struct db *db, int64_t id,
                                      const struct monitor_store_forward *f, int64_t now);
/* {name, host, port, active} (new reference), or NULL when absent. */
json_t *monitor_store_forward_get(struct db *db, int64_t id);
/* 0, or -1 on a database error. */
int monitor_store_forward_delete(struct db *db, int64_t id);
/* Every target with its backlog [{id, name, host, port, active (0/1), sent_id, created_at,
 * updated_at, backlog, backlog_since}] (new reference); NULL on a database error. */
json_t *monitor_store_forward_list(struct db *db);

/* The writer's side (readings_forwarding and readings_put_forward in store_ingest.c call
 * these, so every statement on these tables is here). */

/* 1 when some target is active (the writer queues frames only then), 0 when none, -1. */
int monitor_store_forward_any(struct db *db);
/* Queues an accepted frame as received, in the caller's transaction. 0, or -1. */
int monitor_store_queue_push(struct db *db, int64_t received, const char *frame, size_t len);

/* The relay's side. */

/* Registers host:port under the name "host:port" unless a target of that name exists (then it
 * is left as the console made it). 0, or -1. */
int monitor_store_forward_register(struct db *db, const char *host, int port, int64_t now);

struct monitor_store_target {
    int64_t id;
    char host[256];
    int port;
};
/* The active targets in id order, at most max of them into out. The count, or -1. */
int monitor_store_forward_active(struct db *db, struct monitor_store_target *out, int max);
/* The last queue id active target id has sent; -1 when it is inactive or gone. */
int64_t monitor_store_forward_sent(struct db *db, int64_t id);
/* Moves target id's sent_id forward to sent (never back). 0, or -1. */
int monitor_store_forward_advance(struct db *db, int64_t id, int64_t sent);

/* Calls each(id, frame, len, ctx) for the queued frames after `after` in queue order, at most
 * limit of them, until each returns non-zero; frame is valid during the call only. 0, or -1 on
 * a database error. */
int monitor_store_queue_each(struct db *db, int64_t after, int limit,
                             int (*each)(int64_t id, const char *frame, size_t len, void *ctx),
                             void *ctx);
/* Deletes the frames every active target has sent (all of them when none is active). */
void monitor_store_queue_prune(struct db *db);

#endif
