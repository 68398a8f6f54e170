/* response store_episode — the SQL of tasks, checks and monitoring
 * comparisons (see store_episode.h). */
#include "modules/response/store_episode.h"

#include "db/row.h"

json_t *resp_store_listed_at(struct db *db, const char *level)
{
    return db_query_rows(
        db,
        "SELECT DISTINCT l.enterprise_id, e.name AS enterprise_name FROM resp_list "
        "l JOIN enterprises e ON e.id = l.enterprise_id JOIN resp_measures m ON "
        "m.list_id = l.id WHERE m.level = ? ORDER BY l.enterprise_id",
        "t", level);
}

json_t *resp_store_enterprise_users(struct db *db, int64_t enterprise_id)
{
    return db_query_rows(db,
                         "SELECT id FROM users WHERE enterprise_id = ? AND role = 'enterprise' AND "
                         "disabled = 0",
                         "i", enterprise_id);
}

int resp_store_task_insert(struct db *db, int64_t warning_id, int64_t enterprise_id,
                           const char *level, int64_t now)
{
    return db_run(db,
                  "INSERT INTO resp_tasks (warning_id, enterprise_id, level, notified_at) VALUES "
                  "(?, ?, ?, ?) ON CONFLICT DO NOTHING",
                  "iiti", warning_id, enterprise_id, level, now);
}

json_t *resp_store_tasks(struct db *db, int64_t warning_id, const char *level)
{
    return db_query_rows(db,
                         "SELECT t.id, t.enterprise_id, e.name AS enterprise_name, e.district, "
                         "t.level, t.notified_at, t.confirmed_at, t.confirmed_by, t.note FROM "
                         "resp_tasks t JOIN enterprises e ON e.id = t.enterprise_id WHERE "
                         "t.warning_id = ? AND (? IS NULL OR t.level = ?) ORDER BY "
                         "t.confirmed_at IS NOT NULL, e.name",
                         "itt", warning_id, level, level);
}

json_t *resp_store_task_of(struct db *db, int64_t warning_id, int64_t enterprise_id,
                           const char *level)
{
    return db_query_one(db,
                        "SELECT id, level, notified_at, confirmed_at, confirmed_by, note FROM "
                        "resp_tasks WHERE warning_id = ? AND enterprise_id = ? AND level = ?",
                        "iit", warning_id, enterprise_id, level);
}

int resp_store_task_confirm(struct db *db, int64_t task_id, const char *by, const char *note,
                            int64_t now)
{
    return db_run(db,
                  "UPDATE resp_tasks SET confirmed_at = ?, confirmed_by = ?, note = ? WHERE id = ? "
                  "AND confirmed_at IS NULL",
                  "itti", now, by, note, task_id);
}

int resp_store_check_insert(struct db *db, int64_t warning_id, int64_t enterprise_id,
                            int64_t inspection_id, int64_t now)
{
    return db_run(db,
                  "INSERT INTO resp_checks (warning_id, enterprise_id, inspection_id, created_at) "
                  "VALUES (?, ?, ?, ?)",
                  "iiii", warning_id, enterprise_id, inspection_id, now);
}

json_t *resp_store_checks(struct db *db, int64_t warning_id)
{
    return db_query_rows(db,
                         "SELECT c.id, c.enterprise_id, e.name AS enterprise_name, "
                         "c.inspection_id, c.created_at FROM resp_checks c JOIN enterprises e ON "
                         "e.id = c.enterprise_id WHERE c.warning_id = ? ORDER BY c.id",
                         "i", warning_id);
}

json_t *resp_store_listed_outlets(struct db *db)
{
    return db_query_rows(db,
                         "SELECT s.id AS station_id, s.code, s.enterprise_id FROM stations s JOIN "
                         "resp_list l ON l.enterprise_id = s.enterprise_id WHERE s.kind = "
                         "'source_gas' ORDER BY s.id",
                         "");
}

int resp_store_monitoring_put(struct db *db, const struct resp_monitoring_row *m, int64_t now)
{
    return db_run(db,
                  "INSERT INTO resp_monitoring (warning_id, enterprise_id, station_id, outlet, "
                  "factor, basis, baseline_mean, warning_mean, baseline_hours, warning_hours, "
                  "expected_pct, measured_pct, complies, computed_at) VALUES (?, ?, ?, ?, ?, ?, "
                  "?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (warning_id, station_id, factor) DO UPDATE "
                  "SET basis = excluded.basis, baseline_mean = excluded.baseline_mean, "
                  "warning_mean = excluded.warning_mean, baseline_hours = excluded.baseline_hours, "
                  "warning_hours = excluded.warning_hours, expected_pct = excluded.expected_pct, "
                  "measured_pct = excluded.measured_pct, complies = excluded.complies, "
                  "computed_at = excluded.computed_at",
                  "iiitttddiiddii", m->warning_id, m->enterprise_id, m->station_id, m->outlet,
                  m->factor, m->basis, m->baseline_mean, m->warning_mean,
                  (int64_t)m->baseline_hours, (int64_t)m->warning_hours, m->expected_pct,
                  m->measured_pct, (int64_t)m->complies, now);
}

#define RESP_MON_SELECT                                                                            \
    "SELECT m.id, m.warning_id, m.enterprise_id, e.name AS enterprise_name, m.station_id, "        \
    "m.outlet, m.factor, m.basis, m.baseline_mean, m.warning_mean, m.baseline_hours, "             \
    "m.warning_hours, m.expected_pct, m.measured_pct, m.complies, m.alarm_id, m.computed_at "      \
    "FROM resp_monitoring m JOIN enterprises e ON e.id = m.enterprise_id "

json_t *resp_store_monitoring(struct db *db, int64_t warning_id)
{
    return db_query_rows(db, RESP_MON_SELECT "WHERE m.warning_id = ? ORDER BY m.complies, e.name",
                         "i", warning_id);
}

json_t *resp_store_monitoring_get(struct db *db, int64_t id)
{
    return db_query_one(db, RESP_MON_SELECT "WHERE m.id = ?", "i", id);
}

int resp_store_monitoring_alarm(struct db *db, int64_t id, int64_t alarm_id)
{
    return db_run(db, "UPDATE resp_monitoring SET alarm_id = ? WHERE id = ?", "ii", alarm_id, id);
}
