/* store — the monitor module's records: stations, devices, unregistered devices and alerts
 * (monitor_commands: store_commands.h; forwarding: store_relay.h; device records:
 * readings.h).
 *
 * Records cross as the structs below, validated by monitor.c, or as JSON rows (db/row.h).
 * Must not: validate, audit, bump the device cache or own a transaction (monitor.c does); it
 * only maps to SQL. */
#ifndef ECOGOV_MONITOR_STORE_H
#define ECOGOV_MONITOR_STORE_H

#include "core/err.h"
#include "modules/monitor/monitor.h"

#include <jansson.h>
#include <stdint.h>

struct db;

/* A station as written: every field resolved (strings borrowed). */
struct monitor_station_rec {
    const char *code, *name, *kind, *district, *town, *address;
    const char *city;      /* the prefecture-level city ('' = not given) */
    int64_t enterprise_id; /* 0 = none */
    int has_loc;
    double lon, lat;
    int64_t min_interval, offline_after, active, version;
};

/* ERR_OK and *id, ERR_CONFLICT for a code in use, ERR_INTERNAL. */
enum err monitor_store_station_insert(struct db *db, const struct monitor_station_rec *s,
                                      int64_t now, int64_t *id);
/* Writes s over station id when its stored version is s->version (and counts one up).
 * ERR_OK, ERR_CONFLICT for a code in use, ERR_VERSION_CONFLICT, ERR_INTERNAL. */
enum err monitor_store_station_update(struct db *db, int64_t id,
                                      const struct monitor_station_rec *s, int64_t now);
/* The stored fields {code, name, kind, enterprise_id, city, district, town, address, lon, lat,
 * min_interval, offline_after, active, version} (new reference); NULL when absent. */
json_t *monitor_store_station_row(struct db *db, int64_t id);
/* The station's kind into kind: 1, or 0 when there is no such station (or it cannot be
 * read). */
int monitor_store_station_kind(struct db *db, int64_t id, char kind[32]);
/* 1 when the enterprise exists, 0 when not, -1 on an error. */
int monitor_store_enterprise_exists(struct db *db, int64_t id);

/* Stations matching f (every field of f->now aside), ordered by kind and code, at most 5,000:
 * [{id, code, name, kind, enterprise_id, enterprise_name, district, town, address, lon, lat,
 * min_interval, offline_after, active, version, created_at, updated_at, last_seen, devices}]
 * (new reference); NULL on an error. */
json_t *monitor_store_stations(struct db *db, const struct monitor_station_filter *f);
/* One station as above; NULL when absent or not enterprise_id's (when that is not 0). */
json_t *monitor_store_station(struct db *db, int64_t id, int64_t enterprise_id);
/* The station's devices with factor_map parsed and clock_set (the device's last 1012:
 * {id, status, exe_rtn, created_by, created_at, updated_at} or null); never their
 * passwords. New reference; NULL on an error. */
json_t *monitor_store_station_devices(struct db *db, int64_t station);

/* A device as written (strings borrowed). */
struct monitor_device_rec {
    int64_t station_id;
    const char *mn, *pw, *edition, *clock_zone;
    json_t *map; /* normalised factor map, owned by the caller */
    int64_t clock_offset, active, version;
    int64_t clock_sync; /* -1 on create until decided: on unless a manual offset is given */
};

/* map is the factor map's JSON text. ERR_OK and *id, ERR_CONFLICT for an MN in use,
 * ERR_INTERNAL. */
enum err monitor_store_device_insert(struct db *db, const struct monitor_device_rec *d,
                                     const char *map, int64_t now, int64_t *id);
/* As monitor_store_station_update, for devices. */
enum err monitor_store_device_update(struct db *db, int64_t id, const struct monitor_device_rec *d,
                                     const char *map, int64_t now);
/* The stored fields {station_id, mn, pw, edition, factor_map (parsed), clock_offset,
 * clock_zone, active, version, clock_sync} (new reference); NULL when absent. */
json_t *monitor_store_device_row(struct db *db, int64_t id);

/* {last_pw} of an unregistered MN (new reference); NULL when it is not in the list. */
json_t *monitor_store_unregistered_get(struct db *db, const char *mn);
/* Takes mn off the list. 0, or -1. */
int monitor_store_unregistered_delete(struct db *db, const char *mn);
/* The list, newest first: [{mn, reason, first_seen, last_seen, frames, last_addr, last_st,
 * last_cn, sample}] with sample as text ("(binary)" when it is not UTF-8). NULL on an
 * error. */
json_t *monitor_store_unregistered(struct db *db, int limit);

/* Rejected frames in aggregate, newest hour first: [{period, device_id, mn, station_id, addr,
 * reason, frames, bytes, first_seen, last_seen, sample}] (times UTC seconds; sample shown as
 * text, bytes that are not printable UTF-8 escaped \xNN). device_id > 0 keeps that device's
 * rows. NULL on an error. */
json_t *monitor_store_rejects(struct db *db, int64_t device_id, int limit);

/* The newest alerts of stations (of enterprise_id's, when that is not 0): [{id, station_id,
 * code, name, kind, ts, detail}] (new reference); NULL on an error. */
json_t *monitor_store_alerts(struct db *db, int64_t enterprise_id, int limit);

/* The ids of the first max enterprises into ids: the count, or -1. */
int monitor_store_first_enterprises(struct db *db, int64_t *ids, int max);

#endif
