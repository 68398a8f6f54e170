/* village — rural sewage facilities (农村生活污水处理设施) and daily waste
 * clearance (农村生活垃圾日产日清) of the county's villages (issue 15, the
 * village half; docs/village.md).
 *
 * The HTTP handlers, the demo, the scheduler and the tests all go through
 * these functions. Every write validates first, then runs in one transaction
 * with its audit entries (and, for an exceedance or a stop, its tracker item);
 * on any error it rolls back and the database is unchanged.
 * Must not: know about HTTP. */
#ifndef ECOGOV_VILLAGE_H
#define ECOGOV_VILLAGE_H

#include "core/config.h"
#include "core/err.h"
#include "core/problem.h"
#include "db/audit.h"
#include "domain/calendar.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

/* Who is acting, on which connection, with which calendar and clock. */
struct village_ctx {
    struct db *db;
    const struct calendar *cal; /* for the tracker items' working-day deadlines */
    const struct config *cfg;
    struct audit_actor actor;
    int64_t now;   /* UTC seconds */
    int32_t today; /* Beijing date of now */
};
/* Sets now and today from now_utc. */
void village_ctx_clock(struct village_ctx *c, int64_t now_utc);

/* --- sewage facilities (facility.c) --- */

/* {name, county, township, village, lon?, lat?, capacity (m³/d), process,
 * operator, operator_phone, standard (gb18918_1a|1b|2|3|custom),
 * standard_name + limits [{factor, max, min?, max_cold?}] for custom,
 * station_id?, section_id (the bureau section that follows its alarms),
 * commissioned?}. */
enum err village_facility_create(struct village_ctx *c, json_t *in, int64_t *id, struct problem *p);
/* The same fields, all given again. */
enum err village_facility_update(struct village_ctx *c, int64_t id, json_t *in, struct problem *p);
/* A facility with its limits, state, latest samples, inspections and
 * alarms (new reference); NULL when absent. */
json_t *village_facility_get(struct village_ctx *c, int64_t id);
/* Every facility (of county when not NULL) with its map state on c->today:
 * state (compliant|exceeding|stopped|no_data), last_day, latest sample. */
json_t *village_facility_list(struct village_ctx *c, const char *county);
/* The standards a facility may name, with their limits. */
json_t *village_standards_json(void);

/* A manual sample: {day (not later than today), values {factor: number},
 * sampler?, note?}. Judged against the facility's limits; an exceeding
 * sample raises its alarm (a tracker item) in the same transaction. */
enum err village_sample_add(struct village_ctx *c, int64_t facility_id, json_t *in, int64_t *id,
                            struct problem *p);
/* An operator inspection: {day, running (bool), note?}. A stop raises the
 * stop alarm once per stop. */
enum err village_inspection_add(struct village_ctx *c, int64_t facility_id, json_t *in, int64_t *id,
                                struct problem *p);

/* The facility's operator link (revoking the one before), as the waste
 * collector's: *out = {token, path /v/operate/<token>, and with base url
 * and qr_svg}. */
enum err village_operator_link(struct village_ctx *c, int64_t id, const char *base, json_t **out,
                               struct problem *p);
/* The operator's phone page by its link token: the facility and its last
 * inspections; NULL with p (ERR_TOKEN_INVALID) for a bad token. */
json_t *village_operator_view(struct village_ctx *c, const char *token, struct problem *p);
/* An inspection through the operator link (as village_inspection_add, by
 * "operator", of today or yesterday only). */
enum err village_operator_inspect(struct village_ctx *c, const char *token, json_t *in, int64_t *id,
                                  struct problem *p);
/* A photo of an inspection (the service module's attachments: type by
 * content, size and count bounded there): *id the attachment's. The
 * inspection must be the facility's (404 otherwise). */
enum err village_inspection_photo(struct village_ctx *c, int64_t facility_id, int64_t inspection_id,
                                  const char *filename, const void *data, size_t len, int64_t *id,
                                  struct problem *p);
/* The same through the operator link (by "operator"): only the link's
 * facility's inspections of today or yesterday, the days the link may
 * record (404 for any other, as for a bad token). */
enum err village_operator_photo(struct village_ctx *c, const char *token, int64_t inspection_id,
                                const char *filename, const void *data, size_t len, int64_t *id,
                                struct problem *p);

/* --- months and states (days.c) --- */

/* One facility's month: running days / days, samples (manual and online
 * daily values) with their compliance, per-day states (new reference);
 * NULL when the facility does not exist or the read fails. */
json_t *village_month(struct village_ctx *c, int64_t facility_id, int year, int month);
/* Every facility's month summary as rows (the monthly table). */
json_t *village_months(struct village_ctx *c, int year, int month, const char *county);

/* --- alarms (alarm.c) --- */

/* Raises the alarms due for one facility (online exceedances of the last
 * three days, a stop under way) not raised before. Inside the caller's
 * transaction. Returns the number raised, or -1. */
int village_alarm_check(struct village_ctx *c, int64_t facility_id);
/* village_alarm_check for every facility in one transaction of its own:
 * the scheduler tick. Returns the number raised, or -1 (rolled back). */
int village_sweep(struct village_ctx *c);
json_t *village_alarm_list(struct village_ctx *c, int64_t facility_id, int limit);

/* --- rural waste, 日产日清 (waste.c, waste_days.c, waste_import.c) --- */

/* {county, township, village, households, collection_point?,
 * transfer_station, treatment?, collector?, collector_phone?, section_id,
 * since (the day its clearance is counted from), lon?, lat?}. */
enum err village_waste_create(struct village_ctx *c, json_t *in, int64_t *id, struct problem *p);
/* Issues the village's collector link (revoking the one before): *out =
 * {token, path, and with base (http(s)://host[:port]) url and qr_svg}
 * (new reference). */
enum err village_waste_link(struct village_ctx *c, int64_t id, const char *base, json_t **out,
                            struct problem *p);
/* The public page's address and its QR code for the village noticeboard:
 * {path, url, qr_svg}; base as above, required. */
enum err village_waste_public_qr(struct village_ctx *c, int64_t id, const char *base, json_t **out,
                                 struct problem *p);
/* The collector's phone page by its link token: the village and today's and
 * yesterday's logs; NULL with p (ERR_TOKEN_INVALID) for a bad token. */
json_t *village_waste_collector_view(struct village_ctx *c, const char *token, struct problem *p);
/* The collector's log through the link: {day (today or yesterday),
 * weight_kg, cleared (the point was emptied to the transfer station), note?}. */
enum err village_waste_collect(struct village_ctx *c, const char *token, json_t *in, int64_t *id,
                               struct problem *p);
/* A sorting spot check: {day, checked (households, <= the village's),
 * sorting (<= checked), note?}. */
enum err village_waste_check_add(struct village_ctx *c, int64_t village_id, json_t *in, int64_t *id,
                                 struct problem *p);
/* Weighbridge tickets (CSV, or xlsx when xlsx): header 日期,乡镇,行政村,磅单号,
 * 车牌号,净重（吨）. ERR_IMPORT_ERRORS with *out {errors:[{line, field,
 * message}]} and nothing written, or *out {imported, duplicates}. */
enum err village_waste_import(struct village_ctx *c, const char *data, size_t len, bool xlsx,
                              json_t **out, struct problem *p);
/* Villages (of county / township when not NULL) with this month's figures:
 * days, cleared_days, missed_days, clearance_rate, collected_t,
 * transferred_t, checked, sorting, sorting_rate. */
json_t *village_waste_list(struct village_ctx *c, const char *county, const char *township);
/* One village with this month's figures, its missed days, the last 30 days'
 * states and (console) its logs; public_view leaves out what only the
 * bureau sees. NULL when absent. */
json_t *village_waste_get(struct village_ctx *c, int64_t id, bool public_view);
/* A month: {month, items: villages with their figures and missed days,
 * townships: the same summed per township}. */
json_t *village_waste_month(struct village_ctx *c, int year, int month, const char *county);
/* Flags each missed day once (village_flag_last_day: the next morning) and
 * notifies the supervising section, one message per township and day.
 * Returns the number flagged, or -1 (rolled back). */
int village_waste_sweep(struct village_ctx *c);

int demo_village(struct db *db, const struct config *cfg, const struct audit_actor *actor,
                 uint64_t seed);

struct module;
extern const struct module village_module;

#endif
