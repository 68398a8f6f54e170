/* The SQLite readings engine's readers (store_readings_query.c), gathered into its store
 * table readings_sqlite (store_readings.c). Not for callers: they use readings.h. */
#ifndef ECOGOV_STORE_READINGS_SQLITE_H
#define ECOGOV_STORE_READINGS_SQLITE_H

#include "modules/monitor/readings.h"

json_t *readings_sqlite_factors(struct db *db, int64_t station_id);
json_t *readings_sqlite_latest(struct db *db, int64_t station_id, int kind);
json_t *readings_sqlite_series(struct db *db, int64_t station_id, const char *factor, int kind,
                               int64_t from, int64_t to, int64_t after, int limit, int64_t *next);
json_t *readings_sqlite_rollups(struct db *db, int64_t station_id, const char *factor, int kind,
                                int64_t from, int64_t to, int limit);
int readings_sqlite_day_health(struct db *db, int64_t station_id, int min_interval,
                               int64_t day_start, struct readings_health *out);
json_t *readings_sqlite_frames(struct db *db, int64_t station_id, int64_t before, int limit,
                               int64_t *next);

json_t *readings_sqlite_station_means(struct db *db, const char *factor, int64_t from, int64_t to);
int readings_sqlite_air_days(struct db *db, const int64_t *stations, size_t n_stations,
                             int64_t from, int64_t to, struct readings_air_day **out, size_t *n);
int readings_sqlite_first_gap(struct db *db, int64_t station_id, int kind, int64_t step,
                              int64_t since, int64_t *begin, int64_t *end);

#endif
