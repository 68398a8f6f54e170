/* response store — every SQL statement of the response module (rules in
 * forecast.c, verify.c and warnings.c). Dates are "YYYY-MM-DD" text. */
#ifndef ECOGOV_RESPONSE_STORE_H
#define ECOGOV_RESPONSE_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

/* A forecast as the rules validated it. */
struct resp_forecast {
    const char *area;
    char issued_on[11];
    char day[11];
    int64_t aqi_lo, aqi_hi, level_lo, level_hi;
    const char *primary_json; /* JSON array text */
    const char *text;
};

/* What an insert or update returns for a duplicate area, day and issue date
 * (other failures give the SQLite code). */
#define RESP_STORE_DUPLICATE (-2)

/* Inserts f as a draft by `by`. 0, RESP_STORE_DUPLICATE or the SQLite code. */
int resp_store_forecast_insert(struct db *db, const struct resp_forecast *f, const char *by,
                               int64_t *id);
/* Overwrites forecast id with f (its publication state stays). 0 or the code. */
int resp_store_forecast_update(struct db *db, int64_t id, const struct resp_forecast *f);
/* One forecast (primary as an array); NULL when absent. */
json_t *resp_store_forecast_get(struct db *db, int64_t id);
/* Forecasts for days [from, to], area NULL = every area; published_only for
 * the public. Ordered by day, area, issue date. NULL on a database error. */
json_t *resp_store_forecasts(struct db *db, const char *area, const char *from, const char *to,
                             bool published_only);
/* The newest published forecast of area for each day >= from: the current
 * outlook. NULL on a database error. */
json_t *resp_store_outlook(struct db *db, const char *area, const char *from);
/* Publishes the drafts made on issued_on; their number, or -1. */
int resp_store_forecast_publish(struct db *db, const char *issued_on);
/* The forecast of area for `day` that verification judges: the newest
 * published one made before that day. NULL when there is none. */
json_t *resp_store_forecast_judged(struct db *db, const char *area, const char *day);

/* Warnings. */
json_t *resp_store_warning_get(struct db *db, int64_t id);
/* The active warning, or NULL (1 / 0 / -1 as db_query_row). */
int resp_store_warning_active(struct db *db, json_t **out);
json_t *resp_store_warnings(struct db *db, int limit);
json_t *resp_store_warning_events(struct db *db, int64_t warning_id);
int resp_store_warning_insert(struct db *db, const char *level, int64_t effective_at,
                              const char *from, const char *to, const char *reason, const char *by,
                              int64_t *id);
int resp_store_warning_set(struct db *db, int64_t id, const char *level, const char *status,
                           int64_t lifted_at);
int resp_store_warning_event(struct db *db, int64_t warning_id, const char *action,
                             const char *level_from, const char *level_to, int64_t effective_at,
                             const char *reason, const char *by);

#endif
