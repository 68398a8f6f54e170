/* The writer handle and the dispatch of readings.h to the engine in use (no SQL here: the
 * SQLite engine is store_readings*.c, the operational rows store_ingest.c). */
#include "modules/monitor/readings.h"
#include "core/xalloc.h"
#include "db/db.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct readings {
    struct db *db;             /* the writer's connection: its transaction, operational rows */
    struct readings_engine *e; /* the engine's writer state */
};

static const struct readings_store *readings_engine_in_use = &readings_sqlite;

void readings_store_use(const struct readings_store *s)
{
    readings_engine_in_use = s ? s : &readings_sqlite;
}

const struct readings_store *readings_store_current(void)
{
    return readings_engine_in_use;
}

struct readings *readings_open(const char *path, char *err, size_t errlen)
{
    struct db *db = db_open(path, err, errlen);
    if (!db)
        return NULL;
    struct readings_engine *e = readings_engine_in_use->open(db, err, errlen);
    if (!e) {
        db_close(db);
        return NULL;
    }
    struct readings *w = xcalloc(1, sizeof *w);
    w->db = db;
    w->e = e;
    return w;
}

void readings_close(struct readings *w)
{
    if (!w)
        return;
    w->e->store->close(w->e);
    db_close(w->db);
    free(w);
}

struct db *readings_db(struct readings *w)
{
    return w->db;
}

int readings_checkpointed(struct readings *w)
{
    return w->e->store->checkpoint != NULL;
}

int readings_checkpoint(struct readings *w, struct db *own)
{
    return w->e->store->checkpoint ? w->e->store->checkpoint(w->e, own) : 0;
}

int readings_begin(struct readings *w)
{
    return db_begin(w->db);
}

int readings_commit(struct readings *w)
{
    return db_commit(w->db);
}

void readings_rollback(struct readings *w)
{
    db_rollback(w->db);
    w->e->store->forget(w->e);
}

int readings_put(struct readings *w, struct readings_row *rows, size_t n, int64_t received)
{
    return w->e->store->write_batch(w->e, rows, n, received);
}

int readings_send(struct readings *w, struct readings_row *rows, size_t n, int64_t received)
{
    return w->e->store->send ? w->e->store->send(w->e, rows, n, received) : 0;
}

void readings_sync_send(struct readings *w)
{
    if (w->e->store->sync_send)
        w->e->store->sync_send(w->e);
}

int readings_sync(struct readings *w, int64_t now)
{
    return w->e->store->sync(w->e, now);
}

int readings_sync_step(struct readings *w, int64_t now)
{
    return w->e->store->sync_step(w->e, now);
}

int readings_sync_due(struct readings *w)
{
    return w->e->store->sync_due(w->e);
}

void readings_rollup_delay(struct readings *w, int ms)
{
    w->e->store->set_delay(w->e, ms);
}

int readings_put_frame(struct readings *w, const struct readings_frame *f)
{
    return w->e->store->write_frame(w->e, f);
}

int readings_put_frames(struct readings *w, const struct readings_frame *f, size_t n)
{
    if (w->e->store->write_frames)
        return w->e->store->write_frames(w->e, f, n);
    for (size_t i = 0; i < n; i++)
        if (w->e->store->write_frame(w->e, &f[i]))
            return -1;
    return 0;
}

long readings_prune_frames(struct readings *w, int64_t before, int max)
{
    return w->e->store->prune(w->e, before, max);
}

json_t *readings_factors(struct db *db, int64_t station_id)
{
    return readings_engine_in_use->factors(db, station_id);
}

json_t *readings_latest(struct db *db, int64_t station_id, int kind)
{
    return readings_engine_in_use->latest(db, station_id, kind);
}

json_t *readings_series(struct db *db, int64_t station_id, const char *factor, int kind,
                        int64_t from, int64_t to, int64_t after, int limit, int64_t *next)
{
    return readings_engine_in_use->series(db, station_id, factor, kind, from, to, after, limit,
                                          next);
}

json_t *readings_rollups(struct db *db, int64_t station_id, const char *factor, int kind,
                         int64_t from, int64_t to, int limit)
{
    return readings_engine_in_use->rollups(db, station_id, factor, kind, from, to, limit);
}

int readings_day_health(struct db *db, int64_t station_id, int min_interval, int64_t day_start,
                        struct readings_health *out)
{
    return readings_engine_in_use->day_health(db, station_id, min_interval, day_start, out);
}

json_t *readings_frames(struct db *db, int64_t station_id, int64_t before, int limit, int64_t *next)
{
    return readings_engine_in_use->frames(db, station_id, before, limit, next);
}

json_t *readings_station_means(struct db *db, const char *factor, int64_t from, int64_t to)
{
    return readings_engine_in_use->station_means(db, factor, from, to);
}

int readings_first_gap(struct db *db, int64_t station_id, int kind, int64_t step, int64_t since,
                       int64_t *begin, int64_t *end)
{
    return readings_engine_in_use->first_gap(db, station_id, kind, step, since, begin, end);
}

const char *const readings_air_codes[AIRSTAT_POLLUTANT_COUNT] = {"a21026", "a21004", "a21005",
                                                                 "a05024", "a34002", "a34004"};

int readings_air_milli(double value, int64_t *milli)
{
    if (!(value >= 0 && value <= READINGS_AIR_MAX))
        return 0;
    *milli = (int64_t)floor(value * 1000 + 0.5);
    return 1;
}

struct readings_air_day *readings_air_push(struct readings_air_day **arr, size_t *n, size_t *cap,
                                           int64_t station_id, int64_t day)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *arr = xrealloc(*arr, *cap * sizeof **arr);
    }
    struct readings_air_day *d = &(*arr)[(*n)++];
    memset(d, 0, sizeof *d);
    d->station_id = station_id;
    d->day = day;
    for (int h = 0; h < 24; h++)
        d->hours.o3[h] = -1;
    return d;
}

int64_t readings_air_day_of(int64_t ts, int *hour)
{
    /* Beijing is UTC+8 without daylight saving; floor division for times before 1970 */
    int64_t local = ts + 28800, day = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    *hour = (int)((local - day * 86400) / 3600);
    return day * 86400 - 28800;
}

int readings_air_days(struct db *db, const int64_t *stations, size_t n_stations, int64_t from,
                      int64_t to, struct readings_air_day **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!n_stations || from >= to)
        return 0;
    return readings_engine_in_use->air_days(db, stations, n_stations, from, to, out, n);
}
