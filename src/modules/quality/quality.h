/* quality — evaluation of stored air data: daily rollups of stations,
 * districts and the city, real-time and daily AQI with the edition by date,
 * monthly and annual evaluation with completeness, micro-station calibration,
 * rankings; shared by the module's route files (http*.c), its demo and the
 * benchmark.
 *
 * Owns: the rules that turn hourly values (store_airdata.h) into published
 * figures; the aq_daily and aq_calibration tables. Pure arithmetic lives in
 * domain/aqi.h and domain/airstat.h; this module only gathers the inputs.
 * Must not: know HTTP (it returns jansson objects), or read another module's
 * tables directly.
 *
 * Area names: "*" is the city, any other non-empty text a district. City and
 * district values are the means of the official (non-micro) stations' valid
 * concentrations, then the AQI of those means (HJ 663, docs/quality.md). */
#ifndef ECOGOV_QUALITY_H
#define ECOGOV_QUALITY_H

#include "core/err.h"
#include "core/problem.h"
#include "domain/airstat.h"
#include "modules/quality/store_airdata.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct audit_actor;

#define QUALITY_CITY "*"

/* What an evaluation is about: a station (station_id > 0) or an area. */
struct quality_scope {
    int64_t station_id;
    const char *area; /* QUALITY_CITY or a district name, when station_id == 0 */
};

/* Recomputes the daily rows of Beijing day `day`: every station in only[0..n)
 * (all stations when only == NULL) and then every area. Must run inside a
 * write transaction. Returns 0 or -1. */
int quality_rollup_day(struct db *db, int32_t day, const int64_t *only, int n);

/* A station record as JSON (new reference) or NULL when absent. */
json_t *quality_station_get(struct db *db, int64_t id);
/* Stations as a JSON array (new reference): kind NULL = all, "official" =
 * every non-micro station, else one kind. NULL on a database error. */
json_t *quality_stations(struct db *db, const char *kind);
/* Looks a station up by id text or code; 0 when absent. */
int64_t quality_station_find(struct db *db, const char *id_or_code);
/* The districts of the official stations, sorted: [{district}]; NULL on a
 * database error. */
json_t *quality_districts(struct db *db);

/* Real-time (hourly) report of the latest hour at or before `at` (0: now).
 * New reference; NULL on a database error. */
json_t *quality_realtime(struct db *db, const struct quality_scope *s, int64_t at);
/* Real-time report of every station at its latest hour (the map). */
json_t *quality_realtime_all(struct db *db, int64_t at);
/* Hourly values and AQI for the hours [from, to) (at most 31 days). */
json_t *quality_hourly_series(struct db *db, const struct quality_scope *s, int64_t from,
                              int64_t to);
/* Daily rows (values, completeness, AQI) for days [from, to]. */
json_t *quality_daily_series(struct db *db, const struct quality_scope *s, int32_t from,
                             int32_t to);
/* Monthly evaluation: means with validity, CO p95, O3 p90, good days,
 * composite index. */
json_t *quality_monthly(struct db *db, const struct quality_scope *s, int year, int month);
/* Annual evaluation (HJ 663): limits < 0 chooses the limits in force on the
 * last day of the year; cls < 0 the station's area class (II for areas). */
json_t *quality_annual(struct db *db, const struct quality_scope *s, int year, int limits, int cls);

/* Micro-station calibration: fits pm (AIRDATA_PM25/PM10) of station `micro`
 * against its nearest official station over the hours [from, to) by least
 * squares, stores slope, intercept, R² and n (inside a write transaction).
 * Returns the fit as JSON, or NULL with *message (static) saying why it
 * cannot be fitted, or NULL with *message NULL on a database error. */
json_t *quality_calibrate(struct db *db, int64_t micro, int pm, int64_t from, int64_t to,
                          const char **message);

/* Rankings of period [from, to] (days) by PM2.5: kind "district", "town" or
 * "station", with the same period a year earlier and the change. */
json_t *quality_ranking(struct db *db, const char *kind, int32_t from, int32_t to);

/* The demo city's air stations (official and micro), 40 days of synthetic
 * hourly data up to the last full hour and the same days a year earlier,
 * rolled up, micro stations calibrated; then the water sections and the alarm
 * rules of the demo. Through the same functions the API uses; deterministic
 * for a seed. Returns 0 or -1. */
int demo_quality(struct db *db, const struct audit_actor *actor, uint64_t seed);

/* The device feed (feed.c, docs/quality.md §1): hours of linked air
 * stations and pollution-source values of enterprise outlets since their
 * watermarks, read from the monitor module's readings; source alarms are
 * handed to supervision. Opens one transaction per station itself (call it
 * outside any). Returns 0, or -1 when a station failed (logged; the others
 * are done). */
struct quality_feed_stats {
    int air_hours;    /* station-hours whose device values changed */
    int source_hours; /* source values evaluated against their limits */
    int64_t ms;
};
int quality_feed_run(struct db *db, int64_t now, struct quality_feed_stats *stats);

/* Demo: links the demo national stations to the demo devices and sets the
 * demo CEMS outlets' permitted limits (after demo_monitor). 0 or -1. */
int demo_quality_feed(struct db *db, const struct audit_actor *actor);

/* The leader's home (glance.c): {aqi: the city's real-time report at `now`
 * (quality_realtime), year: {year, pm25 (the mean so far, µg/m³, or null),
 * n, need, valid, target, target_source ("config" when pm25_target > 0, else
 * "standard": the annual limit in force), on_track (pm25 <= target, null
 * without a mean), days (good days, as the annual evaluation)}} (new
 * reference); NULL on a database error. */
json_t *quality_glance(struct db *db, int64_t now, double pm25_target);

/* The surface-water sections with their GB 3838 evaluation, for other
 * modules (the river module's map, signboards and responsibility): as GET
 * /api/v1/quality/water/sections answers — section NULL for all, year and
 * month 0 for the latest sampled month, annual for the year. */
enum err quality_water_sections(struct db *db, const char *section, bool annual, int year,
                                int month, struct problem *p, json_t **out);

/* Stores one water sampling {section (code), date, values {factor:
 * "decimal"}} as POST /api/v1/quality/water/samples does (checked, stored or
 * replaced, audited): for other modules' demo data. ERR_OK or p filled. */
enum err quality_water_sample_put(struct db *db, const struct audit_actor *actor, json_t *in,
                                  struct problem *p);

/* Reported form of a milli value: integer, CO one decimal (GB/T 8170). */
double quality_report_value(int64_t milli, int col_is_co);

/* The annual evaluation report as a job (annual_job.c, docs/jobs.md): its
 * kind registered at start, and a report of year queued for owner (as
 * jobs_submit: *job_id; 429 too many pending; 500). */
struct jobs_viewer;
int quality_annual_job_register(struct db *db);
enum err quality_annual_job_submit(struct db *db, const struct jobs_viewer *owner, int year,
                                   int64_t *job_id, struct problem *p);

struct module;
extern const struct module quality_module;
struct http_req;
/* The enterprise 360° section: source and supervision alarms (store_ent360.c). */
json_t *quality_ent360_alarms(struct http_req *r, int64_t enterprise_id);

#endif
