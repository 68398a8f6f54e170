/* admin http calendar — the working-day calendar: read a year, replace a
 * year's schedule (rules in calendar.c), and the two calculations every
 * deadline uses. */
#include "app/app.h"
#include "app/kit.h"
#include "core/timeutil.h"
#include "modules/admin/admin.h"
#include "modules/admin/http.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The {year} path parameter: 1900..9999 in four digits; 0 (answered 404)
 * otherwise. */
static int admin_http_year(struct http_req *r)
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

/* The year as the calendar now has it. */
static json_t *admin_http_calendar_json(struct http_req *r, int year)
{
    const struct calendar *cal = app_calendar_lock(r->app);
    json_t *out = admin_calendar_year(cal, year);
    app_calendar_unlock(r->app);
    return out;
}

void admin_http_calendar_get(struct http_req *r)
{
    int year = admin_http_year(r);
    if (year)
        kit_answer(r, ERR_OK, NULL, admin_http_calendar_json(r, year));
}

void admin_http_calendar_status(struct http_req *r)
{
    const struct calendar *cal = app_calendar_lock(r->app);
    json_t *out = admin_calendar_status(cal, timeutil_today());
    app_calendar_unlock(r->app);
    kit_answer(r, ERR_OK, NULL, out);
}

/* The running server's calendar is reloaded after the write: deadlines
 * computed from now on follow the new schedule. */
void admin_http_calendar_put(struct http_req *r)
{
    struct kit_write w;
    int year = admin_http_year(r);
    if (!year || !kit_write_begin(r, KIT_NO_ID, &w))
        return;
    enum err e = admin_calendar_replace(r->db, &w.actor, year, w.body, &w.p);
    if (!e && app_reload_calendar(r->app, r->db))
        e = ERR_INTERNAL; /* w.p is clean after a success: the table's message */
    kit_write_end(r, &w, false, e, e ? NULL : admin_http_calendar_json(r, year));
}

/* A required query parameter: false (answered 422 with message) when absent
 * or empty; its value is read by the kit's reader then. */
static bool admin_http_present(struct http_req *r, const char *key, const char *message)
{
    const char *s = http_query(r, key);
    if (s && *s)
        return true;
    http_error(r, ERR_INVALID_FIELD, message, key);
    return false;
}

/* A required date parameter; -1 after answering 422. */
static int admin_http_date(struct http_req *r, const char *key, int32_t *day)
{
    char date[11];
    if (!admin_http_present(r, key, "日期格式须为 YYYY-MM-DD") || kit_query_date(r, key, date))
        return -1;
    return calendar_parse_date(date, day); /* normalised by kit_query_date: parses */
}

void admin_http_calendar_add(struct http_req *r)
{
    int32_t from;
    int64_t n;
    if (admin_http_date(r, "from", &from) ||
        !admin_http_present(r, "n", "n 须为 -3650 到 3650 之间的整数") ||
        kit_query_int(r, "n", -3650, 3650, 0, &n))
        return;
    bool provisional = false;
    const struct calendar *cal = app_calendar_lock(r->app);
    int32_t day = calendar_add_workdays(cal, from, (int)n, &provisional);
    app_calendar_unlock(r->app);
    char date[11];
    calendar_format_date(day, date);
    kit_answer(r, ERR_OK, NULL, json_pack("{ss sb}", "date", date, "provisional", provisional));
}

void admin_http_calendar_count(struct http_req *r)
{
    int32_t from, to;
    if (admin_http_date(r, "from", &from) || admin_http_date(r, "to", &to))
        return;
    if (to - from > 36600 || from - to > 36600) {
        http_error(r, ERR_INVALID_FIELD, "日期跨度不能超过 100 年", "to");
        return;
    }
    bool provisional = false;
    const struct calendar *cal = app_calendar_lock(r->app);
    int n = calendar_workdays_between(cal, from, to, &provisional);
    app_calendar_unlock(r->app);
    kit_answer(r, ERR_OK, NULL, json_pack("{si sb}", "workdays", n, "provisional", provisional));
}
