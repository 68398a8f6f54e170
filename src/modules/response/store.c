/* response store — the SQL of forecasts and warnings (see store.h). */
#include "modules/response/store.h"

#include "core/timeutil.h"
#include "db/row.h"

#include <sqlite3.h>

static int resp_store_dup(int rc)
{
    return rc == SQLITE_CONSTRAINT_UNIQUE ? RESP_STORE_DUPLICATE : rc;
}

#define RESP_FORECAST_COLS                                                                         \
    "id, area, issued_on, day, aqi_lo, aqi_hi, level_lo, level_hi, primary_json, text, "           \
    "published, created_by, created_at, updated_at"

int resp_store_forecast_insert(struct db *db, const struct resp_forecast *f, const char *by,
                               int64_t *id)
{
    int64_t now = timeutil_now();
    int rc = db_run(db,
                    "INSERT INTO resp_forecasts (area, issued_on, day, aqi_lo, aqi_hi, level_lo, "
                    "level_hi, primary_json, text, published, created_by, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)",
                    "tttiiiitttii", f->area, f->issued_on, f->day, f->aqi_lo, f->aqi_hi,
                    f->level_lo, f->level_hi, f->primary_json, f->text, by, now, now);
    *id = rc ? 0 : db_last_id(db);
    return resp_store_dup(rc);
}

int resp_store_forecast_update(struct db *db, int64_t id, const struct resp_forecast *f)
{
    return resp_store_dup(
        db_run(db,
               "UPDATE resp_forecasts SET area = ?, issued_on = ?, day = ?, aqi_lo = ?, "
               "aqi_hi = ?, level_lo = ?, level_hi = ?, primary_json = ?, text = ?, "
               "updated_at = ? WHERE id = ?",
               "tttiiiittii", f->area, f->issued_on, f->day, f->aqi_lo, f->aqi_hi, f->level_lo,
               f->level_hi, f->primary_json, f->text, timeutil_now(), id));
}

json_t *resp_store_forecast_get(struct db *db, int64_t id)
{
    return db_query_one(db, "SELECT " RESP_FORECAST_COLS " FROM resp_forecasts WHERE id = ?", "i",
                        id);
}

json_t *resp_store_forecasts(struct db *db, const char *area, const char *from, const char *to,
                             bool published_only)
{
    return db_query_rows(db,
                         "SELECT " RESP_FORECAST_COLS " FROM resp_forecasts WHERE day >= ? AND "
                         "day <= ? AND (? IS NULL OR area = ?) AND (published = 1 OR ? = 0) "
                         "ORDER BY day, area = '*' DESC, area, issued_on LIMIT 5000",
                         "tttti", from, to, area, area, (int64_t)published_only);
}

json_t *resp_store_outlook(struct db *db, const char *area, const char *from)
{
    return db_query_rows(
        db,
        "SELECT " RESP_FORECAST_COLS " FROM resp_forecasts f WHERE published = 1 AND day >= ? "
        "AND (? IS NULL OR area = ?) AND issued_on = (SELECT MAX(issued_on) FROM resp_forecasts "
        "g WHERE g.area = f.area AND g.day = f.day AND g.published = 1) "
        "ORDER BY area = '*' DESC, area, day LIMIT 1000",
        "ttt", from, area, area);
}

int resp_store_forecast_publish(struct db *db, const char *issued_on)
{
    if (db_run(db,
               "UPDATE resp_forecasts SET published = 1, updated_at = ? WHERE issued_on = ? AND "
               "published = 0",
               "it", timeutil_now(), issued_on))
        return -1;
    return db_changes(db);
}

json_t *resp_store_forecast_judged(struct db *db, const char *area, const char *day)
{
    return db_query_one(db,
                        "SELECT " RESP_FORECAST_COLS " FROM resp_forecasts WHERE area = ? AND "
                        "day = ? AND issued_on < day AND published = 1 "
                        "ORDER BY issued_on DESC LIMIT 1",
                        "tt", area, day);
}

#define RESP_WARNING_COLS                                                                          \
    "id, level, status, effective_at, lifted_at, expected_from, expected_to, reason, "             \
    "issued_by, created_at"

json_t *resp_store_warning_get(struct db *db, int64_t id)
{
    return db_query_one(db, "SELECT " RESP_WARNING_COLS " FROM resp_warnings WHERE id = ?", "i",
                        id);
}

int resp_store_warning_active(struct db *db, json_t **out)
{
    return db_query_row(
        db, out, "SELECT " RESP_WARNING_COLS " FROM resp_warnings WHERE status = 'active'", "");
}

json_t *resp_store_warnings(struct db *db, int limit)
{
    return db_query_rows(db,
                         "SELECT " RESP_WARNING_COLS
                         " FROM resp_warnings ORDER BY effective_at DESC, id DESC LIMIT ?",
                         "i", (int64_t)limit);
}

json_t *resp_store_warning_events(struct db *db, int64_t warning_id)
{
    return db_query_rows(db,
                         "SELECT id, action, level_from, level_to, effective_at, reason, "
                         "decided_by, decided_at FROM resp_warning_events WHERE warning_id = ? "
                         "ORDER BY effective_at, id",
                         "i", warning_id);
}

int resp_store_warning_insert(struct db *db, const char *level, int64_t effective_at,
                              const char *from, const char *to, const char *reason, const char *by,
                              int64_t *id)
{
    int rc = db_run(db,
                    "INSERT INTO resp_warnings (level, status, effective_at, expected_from, "
                    "expected_to, reason, issued_by, created_at) VALUES (?, 'active', ?, "
                    "NULLIF(?, ''), NULLIF(?, ''), ?, ?, ?)",
                    "titttti", level, effective_at, from, to, reason, by, timeutil_now());
    *id = rc ? 0 : db_last_id(db);
    return rc;
}

int resp_store_warning_set(struct db *db, int64_t id, const char *level, const char *status,
                           int64_t lifted_at)
{
    return db_run(db,
                  "UPDATE resp_warnings SET level = ?, status = ?, lifted_at = NULLIF(?, 0) "
                  "WHERE id = ?",
                  "ttii", level, status, lifted_at, id);
}

int resp_store_warning_event(struct db *db, int64_t warning_id, const char *action,
                             const char *level_from, const char *level_to, int64_t effective_at,
                             const char *reason, const char *by)
{
    return db_run(db,
                  "INSERT INTO resp_warning_events (warning_id, action, level_from, level_to, "
                  "effective_at, reason, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  "itttitti", warning_id, action, level_from, level_to, effective_at, reason, by,
                  timeutil_now());
}
