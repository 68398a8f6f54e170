/* quality rules — the rule functions the quality module's route files
 * (http*.c) and its demo (demo.c) call. They validate (app/field.h), decide,
 * write through the store (store.h) and audit; they know nothing of HTTP.
 * A refusal fills p and returns its error (ERR_NOT_FOUND for a record that
 * does not exist, ERR_CONFLICT for a duplicate, ERR_INVALID_FIELD for a bad
 * field); a database failure returns ERR_INTERNAL (ERR_UNAVAILABLE when the
 * transaction cannot start) with p untouched, so the caller's zeroed p gives
 * the table's message. *out gets the answer (new reference) on ERR_OK.
 *
 * Functions named *_add run inside the caller's write transaction (the demo
 * writes many records in one); the others open and commit their own.
 * Must not be used by other modules (quality.h is their interface). */
#ifndef ECOGOV_QUALITY_RULES_H
#define ECOGOV_QUALITY_RULES_H

#include "core/problem.h"
#include "db/audit.h"
#include "modules/quality/quality.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* ---- what the rules share (stations.c) ---- */

/* A write inside the caller's transaction: validated, written, audited; *id
 * the record (the addressed one on entry, or 0). */
typedef enum err (*quality_add_fn)(struct db *db, const struct audit_actor *actor, json_t *in,
                                   int64_t *id, struct problem *p);
/* fn in a transaction of its own: begun, fn, then (recheck) the alarm rules
 * applied again so a new rule or limit takes effect at once, committed;
 * rolled back on any failure. ERR_UNAVAILABLE when it cannot begin. */
enum err quality_write(struct db *db, const struct audit_actor *actor, json_t *in,
                       quality_add_fn fn, bool recheck, int64_t *id, struct problem *p);

/* ---- stations (stations.c) ---- */

/* {code, name, district, town, lon, lat, kind, area_class,
 * device_station_id}: validated, inserted, linked when device_station_id is
 * given, audited. *out: the station record. */
enum err quality_station_create(struct db *db, const struct audit_actor *actor, json_t *in,
                                struct problem *p, json_t **out);
enum err quality_station_add(struct db *db, const struct audit_actor *actor, json_t *in,
                             int64_t *id, struct problem *p);
/* Links station id to the monitor station in->device_station_id (null
 * unlinks); *out: the station record. */
enum err quality_station_relink(struct db *db, const struct audit_actor *actor, int64_t id,
                                json_t *in, struct problem *p, json_t **out);
/* Calibrates micro station id ({pollutant: pm25|pm10, days 1..90, or from/to
 * dates}); *out: the fit. */
enum err quality_station_calibrate(struct db *db, const struct audit_actor *actor, int64_t id,
                                   json_t *in, struct problem *p, json_t **out);

/* ---- hourly data (stations.c, import.c) ---- */

/* Stores n hourly rows through airdata and rolls up the touched days; inside
 * a write transaction. 0 or -1. */
int quality_store_rows(struct db *db, const int64_t *station, const int64_t *hour,
                       const int64_t (*v)[AIRDATA_NCOLS], size_t n);
/* The hourly import (import.c): CSV data (header
 * station,time,so2,no2,co,o3,pm10,pm25; Beijing hours) checked line by line,
 * then stored, rolled up, audited and the alarm rules applied in one
 * transaction. *out: {imported}; on ERR_IMPORT_ERRORS nothing is stored, p
 * says so and *out is {errors: [{line, message}]}, the refusal's extra. */
enum err quality_import_csv(struct db *db, const struct audit_actor *actor, const char *data,
                            size_t len, struct problem *p, json_t **out);

/* ---- alarms (alarms.c) ---- */

/* Applies the active rules to the stations' latest hours; raises and clears.
 * Inside a write transaction. 0 or -1. */
int quality_alarms_check(struct db *db, int64_t now);
/* Alarms (escalated first): state NULL, "open", "raised", "acknowledged" or
 * "cleared"; enterprise 0 = all. NULL on a database error. */
json_t *quality_alarms(struct db *db, const char *state, int64_t enterprise, int64_t limit);
/* Alarms changed since `since` (escalated first), oldest first. */
json_t *quality_alarms_since(struct db *db, int64_t since, int64_t limit);
/* Acknowledges a raised alarm / clears an open one. *out: {id, state}. */
enum err quality_alarm_ack(struct db *db, const struct audit_actor *actor, int64_t id,
                           struct problem *p, json_t **out);
enum err quality_alarm_clear(struct db *db, const struct audit_actor *actor, int64_t id,
                             struct problem *p, json_t **out);
/* {name, factor, stations [codes], threshold, duration_hours,
 * escalate_minutes}; *out: {id}. */
enum err alarm_rule_create(struct db *db, const struct audit_actor *actor, json_t *in,
                           struct problem *p, json_t **out);
enum err alarm_rule_add(struct db *db, const struct audit_actor *actor, json_t *in, int64_t *id,
                        struct problem *p);
/* Replaces rule id with the fields of alarm_rule_create, plus active (bool,
 * optional: unchanged when absent; false disables the rule — its open alarms
 * stay for staff to clear). 404 for an unknown rule. *out: {id}. */
enum err alarm_rule_update(struct db *db, const struct audit_actor *actor, int64_t id, json_t *in,
                           struct problem *p, json_t **out);
/* {enterprise_id, outlet, factor, limit (mg/m³ or mg/L), o2_ref (%,
 * optional)}; *out: {id: the enterprise}. */
enum err source_limit_set(struct db *db, const struct audit_actor *actor, json_t *in,
                          struct problem *p, json_t **out);
enum err source_limit_add(struct db *db, const struct audit_actor *actor, json_t *in,
                          struct problem *p);
/* A measured value {enterprise_id, outlet, factor, value, o2 (measured %),
 * converted, flag, device_ok, observed_at, point, unit, source}: converted to
 * the reference O2 when the limit has one (折算 = C × (21 − O2ref) /
 * (21 − O2)), compared with the permitted limit; above it raises a 'source'
 * alarm on the enterprise and hands it to supervision (sup_alarm_feed, same
 * transaction), within it clears an open one. *id gets the alarm id (0 =
 * none). Not audited (the callers audit). */
enum err source_value_check(struct db *db, const struct audit_actor *actor, json_t *in, int64_t *id,
                            struct problem *p);
/* source_value_check + audit in one transaction; *out: {id}. */
enum err source_value_submit(struct db *db, const struct audit_actor *actor, json_t *in,
                             struct problem *p, json_t **out);

/* ---- water (water.c) ---- */

/* Sections with their evaluation for a month (annual: the year); year and
 * month 0 = those of the latest sample; section NULL = all (a code that is
 * no section: ERR_NOT_FOUND). *out: {year, month, items}. */
enum err water_sections_report(struct db *db, const char *section, bool annual, int year, int month,
                               struct problem *p, json_t **out);
/* {code, name, water, kind (river|lake), district, lon, lat, target_class
 * 1..5, boundary}; *out: {ok, id}. */
enum err water_section_create(struct db *db, const struct audit_actor *actor, json_t *in,
                              struct problem *p, json_t **out);
enum err water_section_add(struct db *db, const struct audit_actor *actor, json_t *in, int64_t *id,
                           struct problem *p);
/* One sampling {section (code), date, values {factor: "decimal"}}; *out:
 * {ok, id: 0}. */
enum err water_sample_store(struct db *db, const struct audit_actor *actor, json_t *in,
                            struct problem *p, json_t **out);
enum err water_sample_add(struct db *db, const struct audit_actor *actor, json_t *in,
                          struct problem *p);

/* ---- the device feed (feed.c) ---- */

/* Links station id to monitor station dev (0 unlinks): an air station linked
 * nowhere else. Not audited. */
enum err quality_station_link(struct db *db, int64_t id, int64_t dev, struct problem *p);
/* The label of device_station_id in refusals. */
#define QUALITY_DEVICE_LABEL "监测站点 id"
/* One run of the feed now; *out: {ok, air_hours, source_hours, ms}. */
enum err quality_feed_now(struct db *db, json_t **out);

/* ---- demo (demo.c) ---- */

int demo_quality_water(struct db *db, const struct audit_actor *actor, uint64_t seed);
int demo_quality_alarms(struct db *db, const struct audit_actor *actor);

#endif
