/* api_calendar — the working-day calendar: read a year, replace a year's
 * schedule (admin, when the State Council publishes it), and the two
 * calculations every deadline uses. */
#include "app/app.h"
#include "app/kit.h"
#include "modules/admin/http.h"
#include "core/text.h"
#include "db/audit.h"
#include "db/db.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cal_year(struct http_req *r)
{
    const char *s = r->params[0];
    char *end;
    errno = 0;
    long y = strtol(s, &end, 10);
    if (*end || errno || y < 1900 || y > 9999 || strlen(s) != 4) {
        http_error(r, ERR_NOT_FOUND, NULL, NULL);
        return 0;
    }
    return (int)y;
}

void api_calendar_get(struct http_req *r)
{
    int year = cal_year(r);
    if (!year)
        return;
    const struct calendar *cal = app_calendar_lock(r->app);
    json_t *days = json_array();
    size_t n;
    const struct calendar_entry *e = calendar_entries(cal, &n);
    for (size_t i = 0; i < n; i++) {
        if (calendar_year_of(e[i].day) != year)
            continue;
        char date[11];
        calendar_format_date(e[i].day, date);
        json_array_append_new(days, json_pack("{ss ss ss}", "date", date, "kind",
                                              e[i].kind == CALENDAR_HOLIDAY ? "holiday" : "workday",
                                              "note", e[i].note ? e[i].note : ""));
    }
    bool provisional = false;
    int32_t first = calendar_day_from_ymd(year, 1, 1), last = calendar_day_from_ymd(year, 12, 31);
    int workdays = calendar_workdays_between(cal, first - 1, last, &provisional);
    bool known = calendar_year_known(cal, year);
    app_calendar_unlock(r->app);
    http_json(r, 200,
              json_pack("{si sb so si}", "year", year, "known", known, "days", days, "workdays",
                        workdays));
}

/* Validates the PUT body: every date in the year, kind holiday|workday. */
static int cal_check_days(struct http_req *r, int year, json_t *days)
{
    if (!json_is_array(days) || json_array_size(days) > 366) {
        http_error(r, ERR_INVALID_FIELD, "days 须为不超过 366 项的列表", "days");
        return -1;
    }
    size_t i;
    json_t *d;
    json_array_foreach(days, i, d)
    {
        const char *date = json_string_value(json_object_get(d, "date"));
        const char *kind = json_string_value(json_object_get(d, "kind"));
        const char *note = json_string_value(json_object_get(d, "note"));
        int32_t day;
        char msg[128];
        if (!date || calendar_parse_date(date, &day) || calendar_year_of(day) != year)
            snprintf(msg, sizeof msg, "第 %zu 项日期无效或不在 %d 年", i + 1, year);
        else if (!kind || (strcmp(kind, "holiday") && strcmp(kind, "workday")))
            snprintf(msg, sizeof msg, "第 %zu 项类型须为 holiday 或 workday", i + 1);
        else if (note && text_check_field(note, 128, 0))
            snprintf(msg, sizeof msg, "第 %zu 项备注无效", i + 1);
        else
            continue;
        http_error(r, ERR_INVALID_FIELD, msg, "days");
        return -1;
    }
    return 0;
}

static int cal_store_year(struct db *db, int year, json_t *days)
{
    char lo[11], hi[11];
    snprintf(lo, sizeof lo, "%04d-01-01", year);
    snprintf(hi, sizeof hi, "%04d-12-31", year);
    sqlite3_stmt *del = db_stmt(db, "DELETE FROM calendar_days WHERE day BETWEEN ? AND ?");
    sqlite3_stmt *yr = db_stmt(db, "INSERT OR REPLACE INTO calendar_years (year, source) "
                                   "VALUES (?, 'admin')");
    if (!del || !yr)
        return -1;
    sqlite3_bind_text(del, 1, lo, -1, SQLITE_STATIC);
    sqlite3_bind_text(del, 2, hi, -1, SQLITE_STATIC);
    sqlite3_bind_int(yr, 1, year);
    int ok = sqlite3_step(del) == SQLITE_DONE && sqlite3_step(yr) == SQLITE_DONE;
    sqlite3_reset(del);
    sqlite3_reset(yr);
    size_t i;
    json_t *d;
    json_array_foreach(days, i, d)
    {
        sqlite3_stmt *ins = db_stmt(db, "INSERT OR REPLACE INTO calendar_days (day, kind, note) "
                                        "VALUES (?, ?, ?)");
        if (!ins)
            return -1;
        const char *note = json_string_value(json_object_get(d, "note"));
        sqlite3_bind_text(ins, 1, json_string_value(json_object_get(d, "date")), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, json_string_value(json_object_get(d, "kind")), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, note ? note : "", -1, SQLITE_STATIC);
        ok &= sqlite3_step(ins) == SQLITE_DONE;
        sqlite3_reset(ins);
    }
    return ok ? 0 : -1;
}

void api_calendar_put(struct http_req *r)
{
    int year = cal_year(r);
    if (!year)
        return;
    json_t *body = http_body_json(r);
    if (!body)
        return;
    json_t *days = json_object_get(body, "days");
    if (cal_check_days(r, year, days)) {
        json_decref(body);
        return;
    }
    struct audit_actor actor;
    kit_actor(r, &actor);
    char ytext[8];
    snprintf(ytext, sizeof ytext, "%d", year);
    int rc = db_begin(r->db) || cal_store_year(r->db, year, days) ||
             audit_append(r->db, &actor, "calendar.replace_year", "calendar", ytext, body) ||
             db_commit(r->db);
    json_decref(body);
    if (rc || app_reload_calendar(r->app, r->db)) {
        db_rollback(r->db);
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    api_calendar_get(r);
}

static int cal_query_date(struct http_req *r, const char *key, int32_t *day)
{
    const char *s = http_query(r, key);
    if (!s || calendar_parse_date(s, day)) {
        http_error(r, ERR_INVALID_FIELD, "日期格式须为 YYYY-MM-DD", key);
        return -1;
    }
    return 0;
}

void api_calendar_add(struct http_req *r)
{
    int32_t from;
    if (cal_query_date(r, "from", &from))
        return;
    const char *ns = http_query(r, "n");
    char *end = NULL;
    errno = 0;
    long n = ns ? strtol(ns, &end, 10) : 0;
    if (!ns || !*ns || *end || errno || n < -3650 || n > 3650) {
        http_error(r, ERR_INVALID_FIELD, "n 须为 -3650 到 3650 之间的整数", "n");
        return;
    }
    bool provisional = false;
    const struct calendar *cal = app_calendar_lock(r->app);
    int32_t day = calendar_add_workdays(cal, from, (int)n, &provisional);
    app_calendar_unlock(r->app);
    char date[11];
    calendar_format_date(day, date);
    http_json(r, 200, json_pack("{ss sb}", "date", date, "provisional", provisional));
}

void api_calendar_count(struct http_req *r)
{
    int32_t from, to;
    if (cal_query_date(r, "from", &from) || cal_query_date(r, "to", &to))
        return;
    if (to - from > 36600 || from - to > 36600) {
        http_error(r, ERR_INVALID_FIELD, "日期跨度不能超过 100 年", "to");
        return;
    }
    bool provisional = false;
    const struct calendar *cal = app_calendar_lock(r->app);
    int n = calendar_workdays_between(cal, from, to, &provisional);
    app_calendar_unlock(r->app);
    http_json(r, 200, json_pack("{si sb}", "workdays", n, "provisional", provisional));
}
