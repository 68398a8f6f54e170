/* readings_ch — the ClickHouse readings engine (issue 12, docs/scale.md): readings and raw
 * frames on a ClickHouse cluster of sharded ReplacingMergeTree tables behind Distributed
 * ones, written over HTTP (chttp.h), read back through the Distributed tables with the
 * aggregation done by ClickHouse.
 *
 * Files: store_readings_ch.c (the writer and its durable spool in the node's SQLite),
 * store_readings_ch_query.c (the readers), store_readings_ch_schema.c (`ecogov migrate`,
 * the start-up check, `ecogov readings copy`).
 *
 * Acknowledged means durable: write_batch returns after the cluster acknowledged the insert
 * (insert_distributed_sync=1), or, when it cannot (a shard down, the network cut), after the
 * batch was put in readings_spool inside the writer's SQLite transaction; the device's 9014
 * follows that transaction's commit. A drain thread sends the spool to the cluster in id
 * order and deletes what was acknowledged. A row sent twice (a crash between the cluster's
 * acknowledgement and the delete) is one row: the tables are ReplacingMergeTree on (station,
 * factor, kind, period start) with the version the writer gave it, and every read takes
 * argMax(…, version) per key, exact before merges. */
#ifndef ECOGOV_READINGS_CH_H
#define ECOGOV_READINGS_CH_H

#include "modules/monitor/chttp.h"
#include "modules/monitor/readings.h"

#include <stdint.h>

extern const struct readings_store readings_clickhouse;

/* Sets the cluster the engine writes to and reads from (before readings_store_use). 0, or
 * -1 with a message (a bad URL list or name). */
int rch_configure(const char *urls, const char *user, const char *password, const char *database,
                  const char *cluster, char *err, size_t errlen);
/* The configuration set (NULL before rch_configure). */
const struct chttp_conf *rch_conf(void);
void rch_unconfigure(void);

/* Creates the database and the local tables on every server of clickhouse_urls, then the
 * Distributed tables on each (idempotent). 0, or -1 with a message. */
int rch_migrate(char *err, size_t errlen);
/* Checks that every server answers with these credentials, knows the cluster, and has the
 * tables: 0, or -1 with what is wrong (for `ecogov serve` to refuse to start). */
int rch_check(char *err, size_t errlen);

struct db;
/* Copies the SQLite store's records on db to the cluster (`ecogov readings copy`), batch
 * packed rows at a time, resuming after the key in progress_path (rewritten after every
 * acknowledged batch); progress(copied rows, total rows, arg) after each. Returns the values
 * sent, or -1 with a message. Run with the node stopped (its staged records are copied last). */
long rch_copy_from_sqlite(struct db *db, const char *progress_path, int batch,
                          void (*progress)(long copied, long total, void *arg), void *arg,
                          char *err, size_t errlen);

/* The spool and what went to the cluster, for /api/v1/monitor/status. */
struct rch_stats {
    int64_t spool_batches, spool_values, spool_oldest; /* oldest = UTC seconds, 0 = empty */
    int64_t spool_refused;                             /* batches the cluster refused: kept */
    int64_t sent_values, spooled_values, drained_values;
    int64_t drain_ms;  /* when the drain last sent a batch (ms), 0 = never */
    double drain_rate; /* values/s drained over the last drain run */
    int spooling;      /* batches go to the spool until it is empty */
};
void rch_get_stats(struct rch_stats *out);

#endif
