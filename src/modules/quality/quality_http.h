/* quality_api — helpers shared by the quality module's route files
 * (api_quality.c, api_water.c, api_alarms.c, api_quality_reports.c).
 *
 * Owns nothing. Must not be used by other modules. */
#ifndef ECOGOV_QUALITY_API_H
#define ECOGOV_QUALITY_API_H

#include "core/text.h"
#include "net/http.h"

#include <jansson.h>
#include "modules/quality/store_airdata.h"

#include <stddef.h>
#include <stdint.h>

struct db;

/* Access-Control-Allow-Origin: * (public GET routes; no cookies are read). */
void quality_api_cors(struct http_req *r);
/* Optional integer query parameter in [lo, hi]; -1 after answering 422. */
int quality_api_int(struct http_req *r, const char *key, int lo, int hi, int def, int *out);
/* Optional YYYY-MM-DD query parameter as a day number; -1 after a 422. */
int quality_api_date(struct http_req *r, const char *key, int32_t def, int32_t *out);
/* Today's Beijing day number. */
int32_t quality_api_today(void);
/* Stores n hourly rows through airdata and rolls up the touched days; inside
 * a write transaction. Also the entry point for other ingest paths. */
int quality_api_store_rows(struct db *db, const int64_t *station, const int64_t *hour,
                           const int64_t (*v)[AIRDATA_NCOLS], size_t n);

/* Water routes (api_water.c). */
void api_water_sections(struct http_req *r);
void api_water_section_create(struct http_req *r);
void api_water_sample(struct http_req *r);
struct audit_actor;
int demo_quality_water(struct db *db, const struct audit_actor *actor, uint64_t seed);
int water_section_create(struct db *db, json_t *in, int64_t *id, const char **field,
                         const char **msg);
int water_sample_store(struct db *db, json_t *in, const char **field, const char **msg);

/* Alarms (api_alarms.c): applies the active rules to the latest hours and
 * raises or clears alarms; inside a write transaction. 0 or -1. */
int quality_alarms_check(struct db *db, int64_t now);
int alarm_rule_create(struct db *db, json_t *in, int64_t *id, const char **field, const char **msg);
int source_limit_set(struct db *db, json_t *in, int64_t *id, const char **field, const char **msg);
/* A source value against its permitted limit; a new alarm is handed to
 * supervision (sup_alarm_feed) as actor, in the caller's transaction. */
int source_value_check(struct db *db, const struct audit_actor *actor, json_t *in, int64_t *id,
                       const char **field, const char **msg);
int demo_quality_alarms(struct db *db, const struct audit_actor *actor);

#endif
