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

int demo_village(struct db *db, const struct config *cfg, const struct audit_actor *actor,
                 uint64_t seed);

struct module;
extern const struct module village_module;

#endif
