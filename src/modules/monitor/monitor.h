/* monitor — the rules of stations and devices: validation, create/update with audit entries,
 * listing, the unregistered-device list and its one-click registration, and the demo stations.
 * The HTTP handlers (http*.c), the demo and the simulator all go through here; the SQL is in
 * the store files (store.h, store_commands.h, store_relay.h).
 *
 * Must not: know about HTTP or sockets. Every change to devices bumps the device-cache
 * generation (store_devcache.h) so the HJ 212 listener picks it up. */
#ifndef ECOGOV_MONITOR_H
#define ECOGOV_MONITOR_H

#include "core/err.h"
#include "core/problem.h"
#include "db/audit.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* Station input (docs/monitoring.md): code, name, kind, enterprise_id, district, town,
 * address, lon, lat, min_interval, offline_after, active. Creates after validation, in one
 * transaction with its audit entry. Returns ERR_OK and *id, or an error with p filled. */
enum err monitor_station_create(struct db *db, const struct audit_actor *actor, json_t *in,
                                int64_t *id, struct problem *p);
/* Replaces the fields given in `in` (version must match the stored one). */
enum err monitor_station_update(struct db *db, const struct audit_actor *actor, int64_t id,
                                json_t *in, struct problem *p);

/* Device input: station_id, mn, pw, edition, factor_map [{code, factor, unit, scale}],
 * clock_offset, clock_zone, clock_sync, active. clock_sync (the platform sets the device's
 * clock when it drifts) and a non-zero clock_offset exclude each other (422); an offset given
 * without clock_sync turns it off, a new device without either has it on. */
enum err monitor_device_create(struct db *db, const struct audit_actor *actor, json_t *in,
                               int64_t *id, struct problem *p);
enum err monitor_device_update(struct db *db, const struct audit_actor *actor, int64_t id,
                               json_t *in, struct problem *p);

/* Registers an unregistered MN in one step: creates the device (password = the last one the
 * device sent unless in.pw is given) on in.station_id, and removes the MN from the list. */
enum err monitor_register_unregistered(struct db *db, const struct audit_actor *actor,
                                       const char *mn, json_t *in, int64_t *device_id,
                                       struct problem *p);

/* Filters for monitor_station_list. */
struct monitor_station_filter {
    const char *kind;      /* NULL = any */
    const char *district;  /* NULL = any */
    const char *q;         /* substring of name or code, NULL = any */
    int64_t enterprise_id; /* 0 = any; enterprise users always pass their own */
    int64_t now;           /* UTC seconds, for the online state */
};

/* Stations with their online state, last data time and device count, as a JSON array (new
 * reference); NULL on a database error. */
json_t *monitor_station_list(struct db *db, const struct monitor_station_filter *f);
/* One station with its devices (each with clock_sync, clock_skew, clock_checked_at and
 * clock_set, its last 1012 command); NULL when absent (or not the given enterprise's, when
 * enterprise_id != 0). */
json_t *monitor_station_get(struct db *db, int64_t id, int64_t enterprise_id, int64_t now);
/* Rejected frames counted per hour, device, address and reason, newest first
 * (monitor_store_rejects); device_id > 0 keeps one device's. */
json_t *monitor_reject_list(struct db *db, int64_t device_id, int limit);
/* Unregistered devices, newest first (JSON array, new reference). */
json_t *monitor_unregistered_list(struct db *db, int limit);
/* The newest alerts [{id, station_id, code, name, kind, time (ISO, Beijing), detail}] of every
 * station, or of enterprise_id's when that is not 0 (new reference); NULL on a database
 * error. */
json_t *monitor_alert_list(struct db *db, int64_t enterprise_id, int limit);

/* Commands to devices (commands.c). Input: cn (1011 ask the time, 1012 set it, 1062 value =
 * real-time interval in seconds, 1064 value = minute interval, 2031/2051/2061 back-fill of
 * begin..end, 14-digit Beijing times, at most 7 days), device_id (default: the station's first
 * active device). Creates the monitor_commands row with its audit entry (device.command) and
 * hands the frame to the HJ 212 listener (or, for a device whose newest contact was on an
 * ingest node, leaves it to that node: nodes.h). *out = {id, qn, cn, node}. Errors: 404 unknown
 * station, 422 no active device (field device_id) or a bad command (field cn), 429 a back-fill to
 * that device in progress, 503 the listener is not running (the row stays as it was written). */
enum err monitor_command_create(struct db *db, const struct audit_actor *actor, int64_t station_id,
                                json_t *in, json_t **out, struct problem *p);
/* Hands request cmd (its row written) to whoever delivers it: this node's listener srv, or
 * nobody here when d->node names the ingest node the device is on (the nodes thread publishes
 * the row's frame to it). 0, or -1 when the listener is not running or full. */
struct hj212_server;
struct monitor_store_device;
int monitor_command_send(struct hj212_server *srv, const struct monitor_store_device *d,
                         int64_t cmd, const char *qn, int cn, const char *frame, size_t len);
/* The station's commands, newest first (new reference); NULL on a database error. */
json_t *monitor_command_list(struct db *db, int64_t station_id, int limit);

/* Forward targets: the upstream platforms device frames are forwarded to (docs/monitoring.md
 * "Forwarding"; the relay, relay.h, sends). Input: name (1-64 characters, unique),
 * host (hostname or IP address, at most MONITOR_HOST_MAX bytes), port (1-65535), active
 * (boolean, default true). Each write is one transaction with its audit entry
 * (forward.create / update / activate / deactivate / delete). A created or reactivated target
 * starts at the current end of the queue; an inactive one keeps no backlog. Errors: 422 with
 * the field, 409 for a name in use, 404 for an unknown id. */
#define MONITOR_HOST_MAX 253
enum err monitor_forward_create(struct db *db, const struct audit_actor *actor, json_t *in,
                                int64_t *id, struct problem *p);
/* Changes the fields given in `in` (PATCH semantics: absent fields keep their value). */
enum err monitor_forward_update(struct db *db, const struct audit_actor *actor, int64_t id,
                                json_t *in, struct problem *p);
/* Removes the target (its audit entries remain). */
enum err monitor_forward_delete(struct db *db, const struct audit_actor *actor, int64_t id,
                                struct problem *p);
/* Every target [{id, name, host, port, active, sent_id, created_at, updated_at, backlog,
 * backlog_since}] (new reference), NULL on a database error. */
json_t *monitor_forward_list(struct db *db);
/* 1 when h is a hostname or IP address the relay can use. */
int monitor_forward_host_valid(const char *h);

/* Seconds without data after which a station of this kind counts offline. */
int monitor_offline_after(const char *kind, int64_t configured);

/* Demo data: a set of stations and devices for the demo city (MN "DEMO" + number, password
 * "123456"): national stations, micro-stations, water sections and CEMS outlets of the first
 * demo enterprises; then the AQI stations of the demo city and three other cities of its
 * province with their hour records since the previous month began (written to db_path
 * through the readings writer; deterministic for the seed and the time of the run). The
 * simulator sends for exactly these devices. 0 or -1. */
int demo_monitor(struct db *db, const char *db_path, const struct audit_actor *actor,
                 int micro_stations, uint64_t seed);

struct module;
extern const struct module monitor_module;
struct http_req;
/* The enterprise 360° section: outlet stations and their devices
 * (store_ent360.c). */
json_t *monitor_ent360_monitoring(struct http_req *r, int64_t enterprise_id);

struct config;
/* Selects the device-data store of cfg->readings_backend (backend.c): sqlite, or clickhouse
 * configured from the clickhouse_* options; with migrate, its tables are created first (ecogov
 * migrate); then checked (a wrong cluster name, missing tables, wrong credentials: -1 with
 * what is wrong, and `ecogov serve` refuses to start). 0 or -1 with a message. */
int monitor_store_setup(const struct config *cfg, int migrate, char *err, size_t errlen);
/* What the province view ranks by: the PM2.5 mean (lowest first), the mean daily AQI (lowest
 * first) or the share of good days (highest first). */
enum province_by { PROVINCE_BY_PM25, PROVINCE_BY_AQI, PROVINCE_BY_GOOD };
/* Every city of the registry and every district of each city (a station without either under
 * "") ranked by `by` (rows without the figure last, then by name): {cities: [{rank, city,
 * stations, online, online_rate, pm25, pm25_hours, pm25_over_target, air_stations, aqi,
 * aqi_days, good_days, good_ratio}], districts: [the same with district]}. pm25: the mean of
 * their stations' valid PM2.5 hour records with from <= ts < to, against target µg/m³; aqi:
 * the mean of the area's published daily AQIs (HJ 633, the edition of each day's date) over
 * the days of the period, each from its national and provincial stations' days as the quality
 * module rolls an area's day up (domain/airday.h), good_ratio the percentage of those days with
 * AQI <= 100 (null without one); online as the station list says at now. from..to at most 31
 * Beijing days. NULL on a store error. */
json_t *monitor_province(struct db *db, int64_t from, int64_t to, double target,
                         enum province_by by, int64_t now);
/* The store in use, for /api/v1/monitor/status: {backend[, cluster, spool{...}]}. */
json_t *monitor_store_status(void);

#endif
