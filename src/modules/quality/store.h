/* quality store — every SQL statement of the quality module but the hourly
 * values (store_airdata.h): stations, daily rollups and calibrations
 * (store.c), alarm rules, alarms and permitted source limits
 * (store_alarms.c), water sections and samples (store_water.c) and the
 * device feed's watermarks and links (store_feed.c).
 *
 * Functions here only read and write rows: they validate nothing, decide
 * nothing and open no transaction (the rule files do). Writers return 0, or
 * non-zero on a database error (logged); inserts that can meet a uniqueness
 * refusal say so with ERR_CONFLICT. Readers returning JSON give a new
 * reference, or NULL on a database error (or, for a single record, when it
 * does not exist); readers returning an id give 0 for none (and on an
 * error, logged). Rows are keyed by column name (db/row.h). Must not: be
 * used by other modules. */
#ifndef ECOGOV_QUALITY_STORE_H
#define ECOGOV_QUALITY_STORE_H

#include "core/err.h"
#include "domain/aqi.h"
#include "modules/quality/store_airdata.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

/* ---- stations (aq_stations), store.c ---- */

/* What the daily rollup needs of a station. */
struct aq_station_brief {
    int64_t id;
    char district[64];
    bool official; /* not a micro station */
};

/* A station record {id, code, name, district, town, lon, lat, kind,
 * area_class, device_station_id, official} or NULL. */
json_t *aq_stations_get(struct db *db, int64_t id);
/* Stations as records, by id: kind NULL = all, "official" = every non-micro
 * station, else one kind. */
json_t *aq_stations_list(struct db *db, const char *kind);
/* The id of the station whose code is s, or whose id s spells; 0 = none. */
int64_t aq_stations_find(struct db *db, const char *s);
/* Every station, by id (a new array of *count; free()), or NULL on an error. */
struct aq_station_brief *aq_stations_brief(struct db *db, int *count);
/* The districts of the official stations, sorted: [{district}]. */
json_t *aq_stations_districts(struct db *db);
/* Inserts a station (lon/lat NAN = no position); *id gets its id. ERR_OK,
 * ERR_CONFLICT when its code exists, or ERR_INTERNAL. */
struct aq_station_new {
    const char *code, *name, *district, *town, *kind;
    double lon, lat;
    int64_t area_class, created_at;
};
enum err aq_stations_insert(struct db *db, const struct aq_station_new *s, int64_t *id);
/* The position of station id: 1 (lon, lat set), 0 when it has none or does
 * not exist, -1 on an error. */
int aq_stations_position(struct db *db, int64_t id, double *lon, double *lat);
/* Official stations with a position, except `except`: [{id, lon, lat}]. */
json_t *aq_stations_official_positions(struct db *db, int64_t except);

/* ---- daily rollups (aq_daily), store.c ---- */

/* One daily row: values in 1/1000 units (-1 none), hours (or windows, or
 * stations) behind each, the valid bit mask and the AQI result. */
struct aq_day {
    int64_t v[AQI_POLLUTANT_COUNT];
    int n[AQI_POLLUTANT_COUNT];
    unsigned valid;
    int stations;
    struct aqi_result res;
};
/* Writes (replaces) the row of a station (area "") or area (station 0). */
int aq_daily_put(struct db *db, int64_t station, const char *area, int32_t day,
                 const struct aq_day *q);
/* Reads a row back into q: 1 found, 0 absent (q zeroed), -1 on an error. */
int aq_daily_get(struct db *db, int64_t station, const char *area, int32_t day, struct aq_day *q);
/* Removes the row of a station (area "") or of an area (station 0). */
int aq_daily_delete(struct db *db, int64_t station, const char *area, int32_t day);
/* Per station with a valid PM2.5 day in [from, to]: [{id, name, district,
 * town, kind, lon, lat, pm25 (mean, 1/1000 units), days, slope, intercept}]
 * (slope, intercept: the station's PM2.5 calibration, or null). */
json_t *aq_daily_pm25_means(struct db *db, int32_t from, int32_t to);

/* ---- area hours (aq_hourly over aq_stations), store.c ---- */

/* Sums and counts of each column over the official stations of area ("*" =
 * the city) at `hour` (imported values, else device values), and the number
 * of stations with a row. 0 or -1. */
int aq_hourly_area_sums(struct db *db, const char *area, int64_t hour, int64_t sum[AIRDATA_NCOLS],
                        int64_t n[AIRDATA_NCOLS], int *stations);
/* The latest hour at or before `at` with data of an official station of area
 * (0 = none). */
int64_t aq_hourly_area_latest(struct db *db, const char *area, int64_t at);

/* ---- micro-station calibrations (aq_calibration), store.c ---- */

struct aq_fit {
    int64_t station, ref_station;
    const char *pollutant;
    double slope, intercept, r2;
    int64_t n, window_from, window_to, fitted_at;
};
int aq_calibration_put(struct db *db, const struct aq_fit *f);
/* The fits of a station: [{pollutant, slope, intercept, r2, ref_station_id, n}]. */
json_t *aq_calibration_of(struct db *db, int64_t station);

/* ---- alarm rules and alarms, store_alarms.c ---- */

/* Active rules: [{id, name, factor, stations (JSON text or ""), threshold
 * (1/1000 units), duration_hours}]. */
json_t *alarm_rules_active(struct db *db);
/* Every rule as shown: [{id, name, factor, stations [codes], threshold,
 * duration_hours, escalate_minutes, active (bool)}]. */
json_t *alarm_rules_list(struct db *db);
struct alarm_rule_new {
    const char *name, *factor, *stations; /* stations: JSON text or "" */
    int64_t threshold, duration_hours, escalate_minutes, created_at;
};
int alarm_rules_insert(struct db *db, const struct alarm_rule_new *r, int64_t *id);
/* Rule id's active flag: 1 or 0; -1 when there is no such rule or on an
 * error. */
int64_t alarm_rules_active_of(struct db *db, int64_t id);
/* Replaces rule id's fields (created_at stays). 0 on success. */
int alarm_rules_update(struct db *db, int64_t id, const struct alarm_rule_new *r, bool active);

/* The open (not cleared) alarm of a rule at a station: its id, 0 = none,
 * -1 on an error. */
int64_t alarms_open_air(struct db *db, int64_t rule, int64_t station);
/* The open alarm of an enterprise's outlet and factor: as above. */
int64_t alarms_open_source(struct db *db, int64_t enterprise, const char *outlet,
                           const char *factor);
struct alarm_new {
    const char *kind;                           /* "air" or "source" */
    int64_t rule_id, station_id, enterprise_id; /* 0 = none (NULL) */
    const char *outlet, *factor, *message;
    json_t *message_params; /* {"kind": sentence code, …}, borrowed; NULL: none */
    double value, limit;
    int64_t at;
};
int alarms_insert(struct db *db, const struct alarm_new *a, int64_t *id);
/* Clears an open alarm. */
int alarms_clear(struct db *db, int64_t id, int64_t now);
/* Acknowledges a raised alarm (by), or clears an open one; *changed gets 1
 * when the alarm was in a state that allows it, else 0. */
int alarms_ack(struct db *db, int64_t id, int64_t now, const char *by, int *changed);
int alarms_close(struct db *db, int64_t id, int64_t now, int *changed);
/* Whether alarm id exists: 1, 0, or -1 on an error. */
int alarms_exists(struct db *db, int64_t id);
/* Raised alarms unacknowledged past their rule's escalate_minutes move up
 * one escalation level (once). */
int alarms_escalate(struct db *db, int64_t now);
/* Alarms as shown, newest first: state NULL = any, "open" = not cleared;
 * enterprise 0 = every enterprise's and none. */
json_t *alarms_list(struct db *db, const char *state, int64_t enterprise, int64_t limit);
/* Alarms changed at or after `since` (UTC seconds), oldest first. */
json_t *alarms_since(struct db *db, int64_t since, int64_t limit);

/* ---- permitted limits of enterprise outlets (source_limits), store_alarms.c ---- */

/* Whether enterprise id is registered: 1, 0, -1 on an error. */
int source_enterprise_exists(struct db *db, int64_t id);
/* Sets (replaces) a limit; o2_ref < 0 = none. */
int source_limits_put(struct db *db, int64_t enterprise, const char *outlet, const char *factor,
                      double limit, double o2_ref);
/* The limit of an outlet's factor: 1 found (*o2_ref -1 when none), 0 none
 * (or an error, logged). */
int source_limits_get(struct db *db, int64_t enterprise, const char *outlet, const char *factor,
                      double *limit, double *o2_ref);
/* The limits of an outlet: [{factor, o2ref (0/1)}], by factor. */
json_t *source_limits_of_outlet(struct db *db, int64_t enterprise, const char *outlet);

/* ---- water sections and samples, store_water.c ---- */

/* Sections as rows {id, code, name, water, kind, district, lon, lat,
 * target_class, boundary}, by id; code NULL = all. */
json_t *water_sections_list(struct db *db, const char *code);
struct water_section_new {
    const char *code, *name, *water, *kind, *district;
    double lon, lat; /* NAN = none */
    int64_t target_class, boundary, created_at;
};
/* Inserts a section: ERR_OK, ERR_CONFLICT when its code exists, or
 * ERR_INTERNAL. */
enum err water_sections_insert(struct db *db, const struct water_section_new *s, int64_t *id);
/* The id of the section with code; 0 = none. */
int64_t water_sections_find(struct db *db, const char *code);
/* Samples of a section with from <= sampled_on < to (dates as text):
 * [{sampled_on, factor, value}] by date. */
json_t *water_samples_between(struct db *db, int64_t section, const char *from, const char *to);
/* The latest sampling date (YYYY-MM-DD) into out; 0, or -1 when none. */
int water_samples_latest(struct db *db, char out[11]);
int water_samples_put(struct db *db, int64_t section, const char *date, const char *factor,
                      const char *value);

/* ---- the device feed, store_feed.c ---- */

/* The watermark of a station ("air": aq_stations.id, "source": monitor
 * station id): the last hour processed, 0 = never, -1 on an error. */
int64_t feed_marks_get(struct db *db, const char *kind, int64_t station);
/* Moves the watermark forward to hour (never back). */
int feed_marks_set(struct db *db, const char *kind, int64_t station, int64_t hour, int64_t now);
/* Linked air stations: [{id, device_station_id}] by id. */
json_t *feed_links(struct db *db);
/* Whether monitor station dev is linked to an aq_station other than id:
 * 1 (also on an error, logged), or 0. */
int feed_link_taken(struct db *db, int64_t dev, int64_t id);
/* Links station id to dev (0 = unlinks), drops its device values and its
 * watermark; *found gets whether the station exists. */
int feed_link_set(struct db *db, int64_t id, int64_t dev, bool *found);
/* The first unlinked national station of a district; 0 = none. */
int64_t feed_unlinked_national(struct db *db, const char *district);

#endif
