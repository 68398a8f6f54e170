/* The ClickHouse engine's parts shared by its files (store_readings_ch*.c): the table text,
 * the row forms, the readers. Not for callers: they use readings.h and readings_ch.h. */
#ifndef ECOGOV_STORE_READINGS_CH_H
#define ECOGOV_STORE_READINGS_CH_H

#include "core/buf.h"
#include "modules/monitor/readings.h"

#include <stdint.h>

/* Every insert waits for the shards' acknowledgement (not the Distributed table's queue). */
#define RCH_INSERT_SETTINGS "insert_distributed_sync=1"

/* The INSERT … FORMAT TabSeparated of target "readings" or "frames". */
const char *rch_insert_sql(const char *target);
/* Appends one record as a TabSeparated line (version: later replaces earlier). Returns 1, 0
 * when it cannot be stored (a period start outside DateTime's range), -1 at the buffer's cap. */
int rch_row_tsv(struct buf *b, const struct readings_row *row, int64_t received, uint64_t version);
/* Appends one raw frame as a TabSeparated line with its id. 1 or -1. */
int rch_frame_tsv(struct buf *b, const struct readings_frame *f, uint64_t id);
/* Drops the days of raw frames wholly before `before` on every server. Days dropped or -1. */
long rch_drop_frame_days(int64_t before, char *err, size_t errlen);
void rch_close_writer(struct readings_engine *e);

/* the readers (readings.h), through the Distributed tables */
json_t *rch_factors(struct db *db, int64_t station_id);
json_t *rch_latest(struct db *db, int64_t station_id, int kind);
json_t *rch_series(struct db *db, int64_t station_id, const char *factor, int kind, int64_t from,
                   int64_t to, int64_t after, int limit, int64_t *next);
json_t *rch_rollups(struct db *db, int64_t station_id, const char *factor, int kind, int64_t from,
                    int64_t to, int limit);
int rch_day_health(struct db *db, int64_t station_id, int min_interval, int64_t day_start,
                   struct readings_health *out);
json_t *rch_frames(struct db *db, int64_t station_id, int64_t before, int limit, int64_t *next);

json_t *rch_station_means(struct db *db, const char *factor, int64_t from, int64_t to);
int rch_first_gap(struct db *db, int64_t station_id, int kind, int64_t step, int64_t since,
                  int64_t *begin, int64_t *end);
int rch_air_days(struct db *db, const int64_t *stations, size_t n_stations, int64_t from,
                 int64_t to, struct readings_air_day **out, size_t *n);

#endif
