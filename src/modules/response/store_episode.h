/* response store_episode — the SQL of what happens while a warning is in
 * force: tasks (measures sent to listed enterprises, confirmations), spot
 * checks, online-monitoring comparisons (rules in episode.c, monitoring.c,
 * summary.c). */
#ifndef ECOGOV_RESPONSE_STORE_EPISODE_H
#define ECOGOV_RESPONSE_STORE_EPISODE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

/* The listed enterprises with at least one measure at level: [{enterprise_id,
 * enterprise_name}]. */
json_t *resp_store_listed_at(struct db *db, const char *level);
/* The active accounts of an enterprise: [{id}]. */
json_t *resp_store_enterprise_users(struct db *db, int64_t enterprise_id);
/* A task (no-op when it exists). 0 or the SQLite code. */
int resp_store_task_insert(struct db *db, int64_t warning_id, int64_t enterprise_id,
                           const char *level, int64_t now);
/* The tasks of a warning with enterprise names (level NULL = all). */
json_t *resp_store_tasks(struct db *db, int64_t warning_id, const char *level);
/* An enterprise's task of a warning at level; NULL when none. */
json_t *resp_store_task_of(struct db *db, int64_t warning_id, int64_t enterprise_id,
                           const char *level);
int resp_store_task_confirm(struct db *db, int64_t task_id, const char *by, const char *note,
                            int64_t now);

int resp_store_check_insert(struct db *db, int64_t warning_id, int64_t enterprise_id,
                            int64_t inspection_id, int64_t now);
json_t *resp_store_checks(struct db *db, int64_t warning_id);

/* Outlet stations of listed enterprises: [{station_id, code, enterprise_id}]. */
json_t *resp_store_listed_outlets(struct db *db);
struct resp_monitoring_row {
    int64_t warning_id, enterprise_id, station_id;
    const char *outlet, *factor, *basis;
    double baseline_mean, warning_mean;
    int baseline_hours, warning_hours;
    double expected_pct, measured_pct;
    bool complies;
};
int resp_store_monitoring_put(struct db *db, const struct resp_monitoring_row *m, int64_t now);
json_t *resp_store_monitoring(struct db *db, int64_t warning_id);
json_t *resp_store_monitoring_get(struct db *db, int64_t id);
int resp_store_monitoring_alarm(struct db *db, int64_t id, int64_t alarm_id);

#endif
