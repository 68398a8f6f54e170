/* response — the heavy-pollution response (重污染天气应对): air-quality
 * forecasts of the city and its districts with their verification against the
 * observed daily AQI, and the warnings a leader issues on the grading of
 * domain/warning (docs/response.md).
 *
 * Owns: the resp_* tables. Reads observed daily AQI only through the quality
 * module's public header (quality_daily_series). Must not: know HTTP (rules
 * return jansson objects and fill a struct problem on refusal).
 *
 * Every write validates its whole input first, then runs in one transaction
 * with its audit entry. Areas: "*" is the city, any other text a district, as
 * in the quality module. */
#ifndef ECOGOV_RESPONSE_H
#define ECOGOV_RESPONSE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/problem.h"
#include "db/audit.h"

struct db;

#define RESP_CITY "*"
/* A forecast reaches 1..7 days ahead of the day it is made. */
#define RESP_LEAD_MAX 7
/* Most rows a forecast CSV import takes. */
#define RESP_IMPORT_MAX_ROWS 2000

/* What every write rule gets. today is the Beijing date "YYYY-MM-DD", now
 * UTC seconds (both from the caller, so tests and the demo can set them). */
struct resp_ctx {
    struct db *db;
    const struct audit_actor *actor;
    char today[11];
    int64_t now;
};

/* Forecasts (forecast.c). Fields: area (default "*"), issued_on (default
 * today), day (1..7 days after issued_on), aqi_lo, aqi_hi (0..500, lo <= hi),
 * level_lo, level_hi (1..6; default the levels of the AQI bounds), primary
 * (array of "PM2.5", "PM10", "O3", "NO2", "SO2", "CO", at most 3), text. A
 * new forecast is a draft until its issue date is published. */
enum err resp_forecast_create(struct resp_ctx *c, json_t *in, json_t **out, struct problem *p);
enum err resp_forecast_update(struct resp_ctx *c, int64_t id, json_t *in, json_t **out,
                              struct problem *p);
/* Publishes every draft made on in.issued_on (default today): {published: n}. */
enum err resp_forecast_publish(struct resp_ctx *c, json_t *in, json_t **out, struct problem *p);
/* CSV with the header area,issued_on,day,aqi_lo,aqi_hi,level_lo,level_hi,primary,text
 * (primary separated by ';'; level columns may be empty): all rows or none.
 * Refused rows give ERR_IMPORT_ERRORS with *out = {errors: [{line, field,
 * message}]}; otherwise *out = {imported: n}. */
enum err resp_forecast_import(struct resp_ctx *c, const char *csv, size_t len, json_t **out,
                              struct problem *p);
/* One forecast; NULL when absent. */
json_t *resp_forecast_get(struct db *db, int64_t id);
/* Forecasts for days [from, to] (NULL area = all; published_only for the
 * public). */
json_t *resp_forecasts(struct db *db, const char *area, const char *from, const char *to,
                       bool published_only);
/* The current outlook: the newest published forecast of each area for each
 * day from `from` on. */
json_t *resp_outlook(struct db *db, const char *area, const char *from);
/* The outlook as an Atom feed (a new string), base_url naming the server. */
char *resp_outlook_atom(struct db *db, const char *from, const char *base_url);

/* Verification (verify.c): for each day in [from, to] (at most 400 days)
 * that has an observed daily AQI for area and a published forecast made
 * before it, whether the observed level lay in the forecast level range, the
 * AQI in the AQI range, and a primary pollutant was forecast; with the rates
 * per month, per season and in total. NULL on a database error. */
json_t *resp_verification(struct db *db, const char *area, int32_t from, int32_t to);

/* Warnings (warnings.c). */
/* The level the published city forecasts call for from today on, graded
 * on each day's upper AQI bound over merged episodes (domain/warning). */
json_t *resp_warning_proposal(struct db *db, const char *today);
/* Issues a warning (none may be active): level, effective_at (ISO time, or
 * absent = now; never in the future), reason, expected_from/to (dates). */
enum err resp_warning_issue(struct resp_ctx *c, json_t *in, json_t **out, struct problem *p);
/* Changes the active warning id: action upgrade / downgrade (with level) or
 * lift, effective_at, reason. */
enum err resp_warning_change(struct resp_ctx *c, int64_t id, json_t *in, json_t **out,
                             struct problem *p);
/* A warning with its events; NULL when absent. */
json_t *resp_warning_get(struct db *db, int64_t id);
json_t *resp_warnings(struct db *db, int limit);
/* The public view: {active: warning with health advice, or null}. NULL on a
 * database error. */
json_t *resp_warning_public(struct db *db);

/* The emission-reduction list (list.c, list_io.c). An entry: enterprise_id,
 * grade (A, B, C, D, 引领性, 非绩效分级), sources (texts), baseline {so2, nox,
 * pm, vocs} in kg/d, note; put creates or overwrites the enterprise's entry.
 * A measure: level, kind (stop, limit with limit_pct, lines with lines,
 * transport), description, reduction {so2, nox, pm, vocs} in kg/d; a level's
 * reductions never exceed the baseline. */
enum err resp_entry_put(struct resp_ctx *c, json_t *in, json_t **out, struct problem *p);
enum err resp_entry_delete(struct resp_ctx *c, int64_t id, json_t **out, struct problem *p);
enum err resp_measure_add(struct resp_ctx *c, int64_t list_id, json_t *in, json_t **out,
                          struct problem *p);
enum err resp_measure_delete(struct resp_ctx *c, int64_t id, json_t **out, struct problem *p);
json_t *resp_list_entries(struct db *db);
/* One entry with its measures; NULL when absent. */
json_t *resp_list_entry_get(struct db *db, int64_t id);
/* The entry of one enterprise (with its measures); NULL when not listed. */
json_t *resp_list_entry_of(struct db *db, int64_t enterprise_id);
/* {baseline: {so2, nox, pm, vocs, enterprises}, levels: [{level, required_pct,
 * enterprises, so2: {reduction, baseline, share, met}, ..., met}]}. */
json_t *resp_list_totals(struct db *db);
/* Writes the list and its totals to an xlsx file at path. 0 or -1. */
int resp_list_export_xlsx(struct db *db, const char *path);
/* CSV with the header uscc,grade,sources,base_so2,base_nox,base_pm,base_vocs,
 * level,kind,limit_pct,lines,description,red_so2,red_nox,red_pm,red_vocs (one
 * row per measure; sources separated by ';'): replaces the entries and
 * measures of the enterprises named, all rows or none (ERR_IMPORT_ERRORS with
 * *out = {errors}). */
enum err resp_list_import(struct resp_ctx *c, const char *csv, size_t len, json_t **out,
                          struct problem *p);
/* The same from the first sheet of an xlsx workbook: headings are the
 * English keys above or those of resp_list_export_xlsx (统一社会信用代码 …,
 * levels 黄色/橙色/红色, measures 停产/限产/停限生产线/运输管控), so an
 * export comes back in unchanged. A file that is not a workbook is an import
 * error on line 0. */
enum err resp_list_import_xlsx(struct resp_ctx *c, const char *data, size_t len, json_t **out,
                               struct problem *p);

/* While a warning is in force (episode.c). An enterprise's view: {warning
 * (the active one or null), entry (its list entry or null), measures (those
 * of the active level), task (its task at that level or null)}. */
json_t *resp_my(struct db *db, int64_t enterprise_id);
/* The enterprise confirms its measures at the active level: {note}. */
enum err resp_my_confirm(struct resp_ctx *c, int64_t enterprise_id, json_t *in, json_t **out,
                         struct problem *p);
/* {total, confirmed, unconfirmed, items: tasks (unconfirmed first)}; NULL
 * when the warning does not exist. */
json_t *resp_warning_tasks(struct db *db, int64_t warning_id);
/* A spot check during an active warning of an enterprise with a task in it:
 * the body is a supervision inspection (sup_inspection_create), recorded
 * against the warning. *out is the inspection. */
enum err resp_check_create(struct resp_ctx *c, int64_t warning_id, json_t *in, json_t **out,
                           struct problem *p);
json_t *resp_warning_checks(struct db *db, int64_t warning_id);

/* Online monitoring (monitoring.c): compares every listed outlet's
 * emissions during warning id with the 7 days before it took effect and
 * stores the result; *out as resp_warning_monitoring. */
enum err resp_monitoring_run(struct resp_ctx *c, int64_t warning_id, json_t **out,
                             struct problem *p);
/* {compared, flagged, items} of a warning; NULL on a database error. */
json_t *resp_warning_monitoring(struct db *db, int64_t warning_id);
/* Hands a non-complying comparison to supervision as an alarm (which staff
 * verify and turn into a case there). */
enum err resp_monitoring_alarm(struct resp_ctx *c, int64_t id, json_t **out, struct problem *p);

/* After (or during) a warning (summary.c): {warning (with events),
 * duration_hours, aqi: [{date, aqi, level}], tasks, checks, estimated: {so2,
 * nox, pm, vocs (kg), hours_by_level}, measured: {so2, nox, pm: {outlets,
 * flagged, expected_pct, measured_pct}}, monitoring}; NULL when absent. */
json_t *resp_warning_summary(struct db *db, int64_t warning_id, int64_t now);
/* The summary as an xlsx workbook at path. 0 or -1 (also when absent). */
int resp_warning_summary_xlsx(struct db *db, int64_t warning_id, int64_t now, const char *path);

/* Regional consultation (region.c, consult.c). */
struct config;
/* This city's signed feed; NULL with err when no key is configured. */
json_t *resp_region_feed(struct db *db, const struct config *cfg, int64_t now, char *err,
                         size_t errlen);
/* Pulls every configured neighbour's feed (blocking, bounded: 15 s and 1 MiB
 * each) and keeps those that verify: [{member, status: ok | refused | error,
 * error}]; NULL when region_members is malformed or on a database error. */
json_t *resp_region_pull(struct db *db, const struct config *cfg, int64_t now);
/* {member, key (hex or null), members: [last pull of each, payload when it
 * verified], adoptions}. */
json_t *resp_region_view(struct db *db, const struct config *cfg);
/* A leader adopts the regional warning of consultation {member,
 * consultation_id} (a neighbour's from its verified feed, or this city's):
 * issues it, or upgrades the active warning to it; once per regional warning. */
enum err resp_region_adopt(struct resp_ctx *c, const struct config *cfg, json_t *in, json_t **out,
                           struct problem *p);
/* A consultation session: {title, held_on (default today), participants
 * (member ids or names)}; the forecasts of this city and of every verified
 * neighbour feed are kept side by side as they were. */
enum err resp_consult_create(struct resp_ctx *c, const struct config *cfg, json_t *in, json_t **out,
                             struct problem *p);
/* Concludes an open session: {conclusion, level (none, yellow, orange, red),
 * expected_from, expected_to}; a level other than none is a regional warning
 * published in this city's feed. */
enum err resp_consult_conclude(struct resp_ctx *c, int64_t id, json_t *in, json_t **out,
                               struct problem *p);
json_t *resp_consult_get(struct db *db, int64_t id);
json_t *resp_consults(struct db *db, int limit);

/* The demo winter episode (demo.c). */
int demo_response(struct db *db, const struct audit_actor *actor, uint64_t seed);

/* Imports (csv.c), also the reader of other modules' CSV imports (the
 * village module's weighbridge tickets): an error {line, field, message} (at
 * most 100 kept); the rows of a CSV file as arrays of strings (header
 * first; libcsv, strict quoting), or NULL with the reason in errors; the
 * header checked against cols. */
void resp_import_error(json_t *errors, size_t line, const char *field, const char *msg);
json_t *resp_csv_rows(const char *data, size_t len, size_t max_rows, json_t *errors);
int resp_csv_check_header(json_t *header, const char *const *cols, size_t ncols, json_t *errors);

struct module;
extern const struct module response_module;

#endif
