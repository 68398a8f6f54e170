/* nodes — ingest nodes on several hosts sharing one registry and one cluster (issue 12,
 * docs/scale.md "Many ingest nodes"), with readings_backend=clickhouse.
 *
 * The central node (node_role=central, the default) keeps the registry and every case in its
 * SQLite database; it publishes the registry to the cluster's `registry` table (a snapshot,
 * on every server) whenever devcache_stamp moves, and applies what ingest nodes put in the
 * cluster's `outbox` (device counters, refused MNs, rejected frames) to its database, each
 * row once (node_applied); data frames of ingest nodes join its forward queue the same way
 * while it forwards upstream. An ingest node (node_role=ingest, node_name) runs on another host
 * with its own SQLite database (spool, outbox): it takes devices known to the newest
 * published snapshot, sends readings to the cluster as every node does, and puts what its
 * writer would have written to the registry's tables in node_outbox inside the same
 * transaction, drained to the cluster in seq order.
 *
 * Owns: the role, one thread (publication and outbox application on the central node; the
 * outbox drain and the registry reload on an ingest node) with its own SQLite connection.
 * Must not: run on the listener's loop (the cluster's round trips are on the thread). */
#ifndef ECOGOV_NODES_H
#define ECOGOV_NODES_H

#include "core/config.h"

#include <jansson.h>
#include <stddef.h>

struct devcache;

/* Checks node_role and node_name against the rest of the configuration and sets the role.
 * 0, or -1 with why in err. */
int nodes_setup(const struct config *cfg, char *err, size_t errlen);
/* 1 on an ingest node of another host (the registry's tables are not in its database). */
int nodes_ingest_remote(void);
/* Starts the thread (nothing with the SQLite store). An ingest node loads the registry first
 * and refuses to start without one. 0, or -1 with why in err. */
int nodes_start(const struct config *cfg, char *err, size_t errlen);
/* Before the listener stops: no request is handed to it any more (an ingest node's thread
 * waits on the cluster without holding the listener). */
void nodes_close_requests(void);
void nodes_stop(void);
/* An ingest node's newest registry snapshot when it is newer than the last taken (ownership
 * passes), else NULL. Cheap when nothing changed (the listener calls it per frame). */
struct devcache *nodes_registry_take(void);
/* An ingest node: 1 when the newest snapshot says the central node forwards frames upstream
 * (its writer then puts accepted data frames in the outbox for the central node's queue). */
int nodes_forwarding(void);
/* {role, name, ...} for /api/v1/monitor/status (new reference). */
json_t *nodes_status(void);

#endif
