/* quality store_alarms — alarm rules, alarms and the permitted limits of
 * enterprise outlets (store.h). */
#include "modules/quality/store.h"
#include "db/row.h"

#include <stdlib.h>

json_t *alarm_rules_active(struct db *db)
{
    return db_query_rows(db,
                         "SELECT id, name, factor, stations, threshold, duration_hours FROM "
                         "alarm_rules WHERE active = 1",
                         "");
}

json_t *alarm_rules_list(struct db *db)
{
    /* active is published as a JSON boolean (SQLite has only 0 and 1). */
    return db_query_rows(db,
                         "SELECT id, name, factor, CASE WHEN stations = '' THEN '[]' ELSE "
                         "stations END AS stations_json, threshold / 1000.0 AS threshold, "
                         "duration_hours, escalate_minutes, CASE WHEN active THEN 'true' ELSE "
                         "'false' END AS active_json FROM alarm_rules ORDER BY id",
                         "");
}

int alarm_rules_insert(struct db *db, const struct alarm_rule_new *r, int64_t *id)
{
    int rc = db_run(db,
                    "INSERT INTO alarm_rules (name, factor, stations, threshold, duration_hours, "
                    "escalate_minutes, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    "tttiiii", r->name, r->factor, r->stations, r->threshold, r->duration_hours,
                    r->escalate_minutes, r->created_at);
    *id = rc ? 0 : db_last_id(db);
    return rc;
}

int64_t alarm_rules_active_of(struct db *db, int64_t id)
{
    return db_query_int(db, "SELECT active FROM alarm_rules WHERE id = ?1", -1, "i", id);
}

int alarm_rules_update(struct db *db, int64_t id, const struct alarm_rule_new *r, bool active)
{
    return db_run(db,
                  "UPDATE alarm_rules SET name = ?2, factor = ?3, stations = ?4, threshold = ?5, "
                  "duration_hours = ?6, escalate_minutes = ?7, active = ?8 WHERE id = ?1",
                  "itttiiii", id, r->name, r->factor, r->stations, r->threshold, r->duration_hours,
                  r->escalate_minutes, (int64_t)active);
}

int64_t alarms_open_air(struct db *db, int64_t rule, int64_t station)
{
    return db_query_int(db,
                        "SELECT coalesce(max(id), 0) FROM alarms WHERE rule_id = ?1 AND "
                        "station_id = ?2 AND state != 'cleared'",
                        -1, "ii", rule, station);
}

int64_t alarms_open_source(struct db *db, int64_t enterprise, const char *outlet,
                           const char *factor)
{
    return db_query_int(db,
                        "SELECT coalesce(max(id), 0) FROM alarms WHERE kind = 'source' AND "
                        "enterprise_id = ?1 AND outlet = ?2 AND factor = ?3 AND state != 'cleared'",
                        -1, "itt", enterprise, outlet, factor);
}

int alarms_insert(struct db *db, const struct alarm_new *a, int64_t *id)
{
    /* nullif: 0 stands for "none" in the ids. */
    char *params = a->message_params ? json_dumps(a->message_params, JSON_COMPACT) : NULL;
    int rc = db_run(db,
                    "INSERT INTO alarms (kind, rule_id, station_id, enterprise_id, outlet, factor, "
                    "value, limit_value, message, state, raised_at, updated_at, "
                    "message_params_json) VALUES (?1, nullif(?2, 0), nullif(?3, 0), nullif(?4, 0), "
                    "?5, ?6, ?7, ?8, ?9, 'raised', ?10, ?10, ?11)",
                    "tiiittddtit", a->kind, a->rule_id, a->station_id, a->enterprise_id,
                    a->outlet ? a->outlet : "", a->factor, a->value, a->limit, a->message, a->at,
                    params);
    free(params);
    *id = rc ? 0 : db_last_id(db);
    return rc;
}

int alarms_clear(struct db *db, int64_t id, int64_t now)
{
    return db_run(db,
                  "UPDATE alarms SET state = 'cleared', cleared_at = ?2, updated_at = ?2 WHERE id "
                  "= ?1",
                  "ii", id, now);
}

int alarms_ack(struct db *db, int64_t id, int64_t now, const char *by, int *changed)
{
    int rc = db_run(db,
                    "UPDATE alarms SET state = 'acknowledged', acknowledged_at = ?2, "
                    "acknowledged_by = ?3, updated_at = ?2 WHERE id = ?1 AND state = 'raised'",
                    "iit", id, now, by);
    *changed = rc ? 0 : db_changes(db);
    return rc;
}

int alarms_close(struct db *db, int64_t id, int64_t now, int *changed)
{
    int rc = db_run(db,
                    "UPDATE alarms SET state = 'cleared', cleared_at = ?2, updated_at = ?2 WHERE "
                    "id = ?1 AND state != 'cleared'",
                    "ii", id, now);
    *changed = rc ? 0 : db_changes(db);
    return rc;
}

int alarms_exists(struct db *db, int64_t id)
{
    return (int)db_query_int(db, "SELECT count(*) FROM alarms WHERE id = ?1", -1, "i", id);
}

int alarms_escalate(struct db *db, int64_t now)
{
    return db_run(db,
                  "UPDATE alarms SET escalation = 1, updated_at = ?1 WHERE state = 'raised' AND "
                  "escalation = 0 AND rule_id IN (SELECT id FROM alarm_rules WHERE "
                  "escalate_minutes > 0 AND raised_at + escalate_minutes * 60 <= ?1)",
                  "i", now);
}

#define ALARM_COLS                                                                                 \
    "id, kind, factor, outlet, value, limit_value AS \"limit\", message, message_params_json, "    \
    "state, escalation, "                                                                          \
    "raised_at, updated_at, station_id, enterprise_id, rule_id, acknowledged_by"

json_t *alarms_list(struct db *db, const char *state, int64_t enterprise, int64_t limit)
{
    return db_query_rows(db,
                         "SELECT " ALARM_COLS " FROM alarms WHERE (?1 IS NULL OR state = ?1 OR "
                         "(?1 = 'open' AND state != 'cleared')) AND (?2 = 0 OR enterprise_id = "
                         "?2) ORDER BY id DESC LIMIT ?3",
                         "tii", state, enterprise, limit);
}

json_t *alarms_since(struct db *db, int64_t since, int64_t limit)
{
    return db_query_rows(db,
                         "SELECT " ALARM_COLS " FROM alarms WHERE updated_at >= ?1 ORDER BY "
                         "updated_at, id LIMIT ?2",
                         "ii", since, limit);
}

/* ---- permitted limits ---- */

int source_enterprise_exists(struct db *db, int64_t id)
{
    /* The registry's table, read for a reference check only (docs/quality.md). */
    return (int)db_query_int(db, "SELECT count(*) FROM enterprises WHERE id = ?1", -1, "i", id);
}

int source_limits_put(struct db *db, int64_t enterprise, const char *outlet, const char *factor,
                      double limit, double o2_ref)
{
    static const char sql[] = "INSERT OR REPLACE INTO source_limits (enterprise_id, outlet, "
                              "factor, limit_value, o2_ref) VALUES (?1, ?2, ?3, ?4, ?5)";
    return o2_ref < 0 ? db_run(db, sql, "ittdn", enterprise, outlet, factor, limit)
                      : db_run(db, sql, "ittdd", enterprise, outlet, factor, limit, o2_ref);
}

int source_limits_get(struct db *db, int64_t enterprise, const char *outlet, const char *factor,
                      double *limit, double *o2_ref)
{
    json_t *o = db_query_one(db,
                             "SELECT limit_value, o2_ref FROM source_limits WHERE enterprise_id = "
                             "?1 AND outlet = ?2 AND factor = ?3",
                             "itt", enterprise, outlet, factor);
    *limit = -1, *o2_ref = -1;
    if (!o)
        return 0;
    json_t *ref = json_object_get(o, "o2_ref");
    *limit = json_number_value(json_object_get(o, "limit_value"));
    *o2_ref = json_is_number(ref) ? json_number_value(ref) : -1;
    json_decref(o);
    return 1;
}

json_t *source_limits_of_outlet(struct db *db, int64_t enterprise, const char *outlet)
{
    return db_query_rows(db,
                         "SELECT factor, o2_ref IS NOT NULL AS o2ref FROM source_limits WHERE "
                         "enterprise_id = ?1 AND outlet = ?2 ORDER BY factor",
                         "it", enterprise, outlet);
}
