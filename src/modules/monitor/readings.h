/* readings — the device-data store: the one interface through which readings, rollups, raw
 * frames, device counters and unregistered devices are written, and the queries the API, the
 * quality module and forwarding use.
 *
 * Two layers:
 * - the readings engine (struct readings_store below): write a batch, write a raw frame, the
 *   deferred sync, prune, and the readers (series, rollups, latest, factors, day health,
 *   frames). The SQLite engine (readings_sqlite: store_readings.c, store_readings_query.c)
 *   is the only one today;
 * - the writer (struct readings, readings.c): the writer's SQLite connection with its
 *   transaction, the engine's state, and the operational rows that stay in SQLite whatever
 *   the engine (store_ingest.c: forward queue, device counters, refused MNs, requests,
 *   alerts).
 * Every function below keeps its name and contract; the engine ones dispatch through the
 * engine in use (one indirect call per batch, frame or query, never per value).
 *
 * A second engine (e.g. ClickHouse) plugs in without touching the callers (ingest.c,
 * quality/feed.c, http.c, relay.c): write a `const struct readings_store readings_<name>`
 * with every member set, whose open() returns its own state struct with a struct
 * readings_engine as first member (store = its table), and select it once at start-up,
 * before the writer opens, with readings_store_use(). It gets the writer's SQLite connection
 * in open() (its own connection comes from its configuration) and is called inside the
 * writer's SQLite transaction: write_batch must be idempotent on (station, factor, kind,
 * period start) because a batch whose SQLite commit fails is resent; the readers get the
 * caller's SQLite connection, which such an engine ignores.
 * Must not: know about sockets, HTTP or the HJ 212 wire format.
 *
 * Storage: one row per (station, kind, period start) holding every factor of that period
 * (store/readings_val.h), because a device sends them together: a batch touches one B-tree
 * leaf per station rather than one per (station, factor) series (docs/monitoring.md).
 * Writes are idempotent on (station, factor, kind, period start): a resent or back-filled
 * record replaces the stored one. */
#ifndef ECOGOV_READINGS_H
#define ECOGOV_READINGS_H

#include "domain/airday.h"
#include "domain/monitor_norm.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* The writer connection's journal_size_limit in bytes (DB_WAL_LIMIT elsewhere): its WAL
 * starts over every ~64 MiB (store_readings.c) and is kept at the size it cycles through
 * rather than cut back and grown again each time. */
#define READINGS_WAL_FILE_LIMIT (128L << 20)

struct db;
struct readings;
struct readings_frame;
struct readings_air_day;
struct readings_health;
struct readings_row;

/* A reading with the station and device it belongs to. */
struct readings_row {
    int64_t station_id;
    int64_t device_id;
    const struct monitor_row *r;
    uint32_t seq; /* arrival order within the batch: of two rows with one key the later wins */
};

/* A raw frame to keep (bounded retention). */
struct readings_frame {
    int64_t received;
    int64_t station_id; /* 0 = unknown */
    int64_t device_id;  /* 0 = unknown */
    const char *mn, *qn, *addr, *status;
    int cn;
    int out; /* 1 = sent by the platform */
    const char *bytes;
    size_t len;
    const char *reply; /* the acknowledgement sent for it once committed, or NULL */
    size_t reply_len;
};

/* ---- the engine ---- */

/* The head of an engine's writer state: every engine's state struct begins with one. */
struct readings_engine {
    const struct readings_store *store;
};

/* One readings engine: a table of its operations. Writer operations run on the writer
 * thread only; readers on any thread with the caller's connection. Contracts as at the
 * readings_* function each one serves (named at each member). */
struct readings_store {
    const char *name;
    /* readings_open: the engine's state for the writer connection db (not owned; it may set
     * connection options). NULL with a message in err. */
    struct readings_engine *(*open)(struct db *db, char *err, size_t errlen);
    void (*close)(struct readings_engine *e); /* readings_close (the db is closed after) */
    /* readings_put */
    int (*write_batch)(struct readings_engine *e, struct readings_row *rows, size_t n,
                       int64_t received);
    int (*write_frame)(struct readings_engine *e, const struct readings_frame *f);
    int (*sync)(struct readings_engine *e, int64_t now);      /* readings_sync */
    int (*sync_step)(struct readings_engine *e, int64_t now); /* readings_sync_step */
    int (*sync_due)(struct readings_engine *e);               /* readings_sync_due */
    void (*set_delay)(struct readings_engine *e, int ms);     /* readings_rollup_delay */
    /* readings_rollback: the transaction was rolled back; forget what was remembered. */
    void (*forget)(struct readings_engine *e);
    /* readings_checkpoint; NULL when the engine wants no checkpointer thread */
    int (*checkpoint)(struct readings_engine *e, struct db *own);
    long (*prune)(struct readings_engine *e, int64_t before, int max); /* prune_frames */
    /* the readers: readings_factors, _latest, _series, _rollups, _day_health, _frames */
    json_t *(*factors)(struct db *db, int64_t station_id);
    json_t *(*latest)(struct db *db, int64_t station_id, int kind);
    json_t *(*series)(struct db *db, int64_t station_id, const char *factor, int kind, int64_t from,
                      int64_t to, int64_t after, int limit, int64_t *next);
    json_t *(*rollups)(struct db *db, int64_t station_id, const char *factor, int kind,
                       int64_t from, int64_t to, int limit);
    int (*day_health)(struct db *db, int64_t station_id, int min_interval, int64_t day_start,
                      struct readings_health *out);
    json_t *(*frames)(struct db *db, int64_t station_id, int64_t before, int limit, int64_t *next);
    /* readings_station_means */
    json_t *(*station_means)(struct db *db, const char *factor, int64_t from, int64_t to);
    /* readings_send, readings_sync_send: NULL when the engine keeps nothing outside SQLite */
    int (*send)(struct readings_engine *e, struct readings_row *rows, size_t n, int64_t received);
    void (*sync_send)(struct readings_engine *e);
    /* readings_first_gap */
    int (*first_gap)(struct db *db, int64_t station_id, int kind, int64_t step, int64_t since,
                     int64_t *begin, int64_t *end);
    /* readings_air_days */
    int (*air_days)(struct db *db, const int64_t *stations, size_t n_stations, int64_t from,
                    int64_t to, struct readings_air_day **out, size_t *n);
    /* readings_put_frames: NULL = write_frame for each */
    int (*write_frames)(struct readings_engine *e, const struct readings_frame *f, size_t n);
};

/* The SQLite engine (the default). */
extern const struct readings_store readings_sqlite;
/* Selects the engine (NULL = SQLite): once, at start-up, before any readings_open or query. */
void readings_store_use(const struct readings_store *s);
/* The engine in use. */
const struct readings_store *readings_store_current(void);

/* ---- the writer ---- */

/* Opens the writer connection (WAL, a large page cache, big WAL checkpoints). NULL with a
 * message on failure. */
struct readings *readings_open(const char *path, char *err, size_t errlen);
void readings_close(struct readings *w);
/* The underlying connection, for the writer's periodic tasks. */
struct db *readings_db(struct readings *w);
/* Copies committed WAL pages back into the database (PASSIVE: never waits for, nor blocks,
 * the writer or readers) once ~64 MiB were written since its last run, again at each call
 * while more is left than the writer then copies itself (so the WAL starts over), and after
 * ten calls without a commit of the writer (for what other connections wrote). Called every
 * 100 ms on a thread of its own with its own connection `own`, registered with
 * db_checkpointer_add while it runs. Returns the WAL pages copied back so far (0: not run,
 * or nothing), or -1. */
int readings_checkpoint(struct readings *w, struct db *own);
/* 1 when the engine wants readings_checkpoint called (SQLite's), 0 when not (ClickHouse's). */
int readings_checkpointed(struct readings *w);

int readings_begin(struct readings *w);
int readings_commit(struct readings *w);
void readings_rollback(struct readings *w);

/* Upserts n rows (sorted with readings_sort) inside the caller's transaction, and adds them
 * to the hour rollups (from minute records) and day rollups (from hour records): new records
 * are added, a period with a replaced record is rebuilt from the records, so resends never
 * count twice. Rollup rows are written about a second later (readings_sync), with
 * rollups_pending in the records' transaction so a crash or a rollback never leaves them
 * wrong. received = UTC seconds. 0 or -1 (roll the transaction back). */
int readings_put(struct readings *w, struct readings_row *rows, size_t n, int64_t received);
/* Before the batch's transaction, with the rows readings_put gets next: an engine that keeps
 * records outside SQLite (ClickHouse) sends them now, so no SQLite write lock is held while
 * the cluster answers, and readings_put then only spools (in the transaction) what the cluster
 * did not acknowledge. Acknowledged still means durable: the devices' acks follow the commit.
 * A crash or a failed commit in between loses nothing: nothing is acknowledged, the devices
 * resend, and the writes are idempotent. Optional (readings_put alone sends and spools). 0 or
 * -1 (nothing was sent). */
int readings_send(struct readings *w, struct readings_row *rows, size_t n, int64_t received);
/* Before readings_sync's or readings_sync_step's transaction, the same for what the sync
 * writes (raw frames on ClickHouse). */
void readings_sync_send(struct readings *w);
/* Writes what is kept back from the batches, inside the caller's transaction of its own
 * (after the batch's acknowledgements are out): rollup rows added to since they were last
 * written, and the station lookup of new raw frames. 0 or -1. */
int readings_sync(struct readings *w, int64_t now);
/* readings_sync in parts, one per call and transaction (the staged records of each of four
 * station ranges, the new frames' lookup, the rollups), so no batch waits for the whole: 1
 * after the last part, 0 after another, -1 on error (roll back; the part is done again). */
int readings_sync_step(struct readings *w, int64_t now);
/* 1 when readings_sync has not run for the rollup delay, or a step-wise one is under way. */
int readings_sync_due(struct readings *w);
/* How long the sync may wait after the records (default 1,000 ms; 0 = after every batch). */
void readings_rollup_delay(struct readings *w, int ms);
/* Sorts rows by (station, kind, ts, factor, seq). */
void readings_sort(struct readings_row *rows, size_t n);
int readings_put_frame(struct readings *w, const struct readings_frame *f);
/* Stores n frames exactly as n readings_put_frame calls in that order would (the same rows,
 * ids in the same order), in fewer statements. 0, or -1 on error. */
int readings_put_frames(struct readings *w, const struct readings_frame *f, size_t n);
/* Queues an accepted frame for the upstream platforms (forward_queue, sent by net/hj212_relay.c
 * in id order). */
int readings_put_forward(struct readings *w, int64_t received, const char *frame, size_t len);
/* 1 when at least one active forward target is configured, 0 when none, -1 on error. */
int readings_forwarding(struct readings *w);
/* Adds to a device's counters and moves last_seen forward. */
int readings_device_seen(struct readings *w, int64_t device_id, int64_t last_seen, const char *addr,
                         int64_t frames, int64_t bad_crc, int64_t rejected);
/* Records a refused MN (reason 'unknown_mn', 'bad_pw' or 'inactive'). */
int readings_unregistered(struct readings *w, const char *mn, const char *reason, int64_t ts,
                          const char *addr, const char *st, int cn, const char *pw,
                          const char *sample, size_t sample_len, int64_t count);
/* Rejected frames of one (device, address, reason) in aggregate (the listener reports them
 * once a second): added to their hour's row of frame_rejects, whose sample is the first one
 * reported that hour. */
struct readings_reject {
    int64_t device_id, station_id; /* 0 = no registered device could be named */
    const char *mn, *addr, *reason;
    int64_t count, bytes, first, last; /* UTC seconds */
    const char *sample;
    size_t sample_len;
};
int readings_reject(struct readings *w, const struct readings_reject *r);
/* Deletes the hours of frame_rejects before `before`. Returns rows deleted, or -1. */
long readings_prune_rejects(struct readings *w, int64_t before);
/* Keeps the max most recently seen refused MNs, deletes the rest. 0 or -1. */
int readings_unregistered_trim(struct readings *w, int max);
/* Updates a platform request: status (NULL = unchanged), return codes (-1 = unchanged), and
 * appends the frame (when len > 0) to its exchange as {dir, time, frame}. */
int readings_command_update(struct readings *w, int64_t command_id, const char *status, int qn_rtn,
                            int exe_rtn, int out, int64_t ts, const char *frame, size_t len);
/* Deletes raw frames received before `before` (at most max rows). Returns rows deleted. */
long readings_prune_frames(struct readings *w, int64_t before, int max);
/* Deletes finished exchanges the platform started by itself (created_by 'system': back-fill,
 * clock checks) last updated before `before` (at most max). Returns rows deleted. Those a
 * person sent stay. */
long readings_prune_commands(struct readings *w, int64_t before, int max);

/* Writes the stations' offline/online alerts that are due (monitor_alerts) in a transaction of
 * its own. 0 or -1. */
int readings_alerts(struct readings *w, int64_t now);
/* The last error message of a connection (for the log). */
const char *readings_errmsg(struct db *db);

/* ---- queries (any connection; API threads pass their own) ---- */

/* The factors a station has data for (JSON array of codes, new reference). */
json_t *readings_factors(struct db *db, int64_t station_id);
/* Latest record per factor of the given kind: [{factor, kind, ts, time, value, flag, qual,
 * valid}]. NULL on a database error. */
json_t *readings_latest(struct db *db, int64_t station_id, int kind);
/* Records of one factor and kind with from <= ts < to, ascending, after the keyset cursor
 * `after` (exclusive; 0 = from the start), at most limit; *next = the cursor for the next
 * page or 0. */
json_t *readings_series(struct db *db, int64_t station_id, const char *factor, int kind,
                        int64_t from, int64_t to, int64_t after, int limit, int64_t *next);
/* Rollups (kind 3 hour, 4 day) of one factor, from <= ts < to. */
json_t *readings_rollups(struct db *db, int64_t station_id, const char *factor, int kind,
                         int64_t from, int64_t to, int limit);

/* Data-transmission figures of one station for the Beijing day starting at day_start: minute
 * records expected (1440 / min_interval), received, valid. 0 or -1. */
struct readings_health {
    int expected, received, valid;
};
int readings_day_health(struct db *db, int64_t station_id, int min_interval, int64_t day_start,
                        struct readings_health *out);

/* Raw frames of a station (newest first, id < before, 0 = newest): [{id, received, mn, cn,
 * qn, direction, status, addr, frame, reply?}]. *next = cursor or 0. */
json_t *readings_frames(struct db *db, int64_t station_id, int64_t before, int limit,
                        int64_t *next);

/* Every station's valid hour records of one factor with from <= ts < to (Beijing day starts):
 * {"<station id>": [n_valid, sum]} (new reference), NULL on an error. One query for all
 * stations (the province view ranks thousands). */
json_t *readings_station_means(struct db *db, const char *factor, int64_t from, int64_t to);

/* The first missing period of one station's records of one kind (periods of step seconds)
 * between its oldest and newest record at or after `since`: *begin = the first missing
 * period's start, *end = the last one's start before the next record. 1 when one is found, 0
 * when none, -1 on an error. The back-fill sweep's question (relay.c), asked of every device
 * heard from: on ClickHouse answered inside the cluster (one row comes back), on SQLite a
 * walk of the station's period starts. */
int readings_first_gap(struct db *db, int64_t station_id, int kind, int64_t step, int64_t since,
                       int64_t *begin, int64_t *end);

/* ---- the six pollutants of the AQI, per station and Beijing day ---- */

/* The HJ 212 codes of SO2, NO2, CO, O3, PM10, PM2.5 in enum airstat_pollutant order (CO in
 * mg/m³, the others µg/m³, as the devices send them). */
extern const char *const readings_air_codes[AIRSTAT_POLLUTANT_COUNT];
/* The largest hourly value taken (µg/m³; CO mg/m³): AQI_CONC_MAX_UNITS. */
#define READINGS_AIR_MAX 1000000.0

/* One station's Beijing day of the six pollutants from its valid hour records (CN 2061) with
 * 0 <= value <= READINGS_AIR_MAX, each value taken in 1/1000 as floor(value * 1000 + 0.5):
 * per pollutant their count and sum, and O3's value of every hour (airday.h). */
struct readings_air_day {
    int64_t station_id;
    int64_t day; /* the day's start, UTC seconds (16:00 UTC the day before) */
    struct airday_hours hours;
};

/* An hour record's value as readings_air_day takes it: 1 and *milli, or 0 when it is not taken
 * (negative, above READINGS_AIR_MAX, not a number). Both engines round the same way (ClickHouse
 * as toInt64(floor(v * 1000 + 0.5)) on the same doubles). */
int readings_air_milli(double value, int64_t *milli);
/* For the engines: a new day (station, day start) appended to *arr (*n of *cap, grown as
 * needed), counts and sums zero, every O3 hour missing. */
struct readings_air_day *readings_air_push(struct readings_air_day **arr, size_t *n, size_t *cap,
                                           int64_t station_id, int64_t day);
/* The Beijing day start of ts and its hour 0..23 in that day. */
int64_t readings_air_day_of(int64_t ts, int *hour);

/* The days with at least one value taken of the stations[0..n_stations) (ascending ids)
 * between the Beijing day starts from and to: *out (free()) sorted by station then day, *n of
 * them. On ClickHouse the hours are grouped into days, counted and summed in the cluster (one
 * query per 250 stations; O3's hours come back as one array a day: the 8-hour windows are
 * airday's, in C); on SQLite one range read of the hour records per station. 0 or -1. */
int readings_air_days(struct db *db, const int64_t *stations, size_t n_stations, int64_t from,
                      int64_t to, struct readings_air_day **out, size_t *n);

#endif
