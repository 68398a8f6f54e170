/* http — the air-quality routes: stations, the hourly import, real-time,
 * hourly/daily series, monthly and annual evaluation, rankings and the
 * micro-station calibration. Every GET is public and answers with CORS
 * (docs/quality.md, the public JSON API). Rules in stations.c, quality.c and
 * net.c. */
#include "app/app.h"
#include "app/kit.h"
#include "core/timeutil.h"
#include "domain/calendar.h"
#include "modules/quality/http.h"
#include "modules/quality/rules.h"

#include <string.h>

void quality_http_cors(struct http_req *r)
{
    http_add_header(r, "Access-Control-Allow-Origin", "*");
}

/* station=<id|code> or area=city|<district>; default the city. */
static int quality_query_scope(struct http_req *r, struct quality_scope *s)
{
    const char *station = http_query(r, "station");
    const char *area;
    s->station_id = 0;
    s->area = QUALITY_CITY;
    if (station && *station) {
        s->station_id = quality_station_find(r->db, station);
        if (!s->station_id) {
            struct problem p;
            kit_answer(r, problem_set(&p, ERR_NOT_FOUND, "station", "没有该站点"), &p, NULL);
            return -1;
        }
        return 0;
    }
    bool bad;
    area = kit_query_text(r, "area", 64, &bad);
    if (bad)
        return -1;
    if (area && strcmp(area, "city"))
        s->area = area;
    return 0;
}

/* A report the rules gave (NULL: a database error). */
static void quality_answer_report(struct http_req *r, json_t *o)
{
    kit_answer(r, o ? ERR_OK : ERR_INTERNAL, NULL, o);
}

static void api_quality_stations(struct http_req *r)
{
    static const char *const kinds[] = {"official",   "micro", "national",
                                        "provincial", "city",  NULL};
    quality_http_cors(r);
    bool bad;
    const char *kind = kit_query_choice(r, "kind", kinds, NULL, &bad);
    if (bad)
        return;
    kit_items(r, quality_stations(r->db, kind));
}

void quality_http_write(struct http_req *r, quality_body_rule fn, bool created)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_NO_ID, &w))
        return;
    json_t *out = NULL;
    enum err e = fn(r->db, &w.actor, w.body, &w.p, &out);
    kit_write_end(r, &w, created, e, out);
}

static void api_quality_station_create(struct http_req *r)
{
    quality_http_write(r, quality_station_create, true);
}

static void api_quality_import(struct http_req *r)
{
    struct audit_actor actor;
    kit_actor(r, &actor);
    struct problem p = {0};
    json_t *out = NULL;
    enum err e = quality_import_csv(r->db, &actor, r->body.data, r->body.len, &p, &out);
    if (e == ERR_IMPORT_ERRORS) /* the problem JSON with the lines refused */
        kit_refuse_with(r, &p, out);
    else
        kit_answer(r, e, &p, out);
}

static void api_quality_realtime(struct http_req *r)
{
    quality_http_cors(r);
    struct quality_scope s;
    if (quality_query_scope(r, &s))
        return;
    quality_answer_report(r, quality_realtime(r->db, &s, 0));
}

static void api_quality_map(struct http_req *r)
{
    quality_http_cors(r);
    kit_items(r, quality_realtime_all(r->db, 0));
}

static void api_quality_hourly(struct http_req *r)
{
    quality_http_cors(r);
    struct quality_scope s;
    int64_t hours;
    if (quality_query_scope(r, &s) || kit_query_int(r, "hours", 1, 744, 24, &hours))
        return;
    int64_t latest = 0;
    json_t *now = quality_realtime(r->db, &s, 0);
    if (now)
        latest = json_integer_value(json_object_get(now, "hour"));
    json_decref(now);
    json_t *a = latest ? quality_hourly_series(r->db, &s, latest - (hours - 1) * 3600, latest + 1)
                       : json_array();
    kit_items(r, a);
}

static void api_quality_daily(struct http_req *r)
{
    quality_http_cors(r);
    struct quality_scope s;
    int32_t from, to;
    if (quality_query_scope(r, &s) || kit_query_day(r, "to", timeutil_today(), &to) ||
        kit_query_day(r, "from", to - 29, &from))
        return;
    if (to < from || to - from > 400) {
        struct problem p;
        kit_answer(r, problem_set(&p, ERR_INVALID_FIELD, "from", "日期范围须在 400 天以内"), &p,
                   NULL);
        return;
    }
    kit_items(r, quality_daily_series(r->db, &s, from, to));
}

static void api_quality_monthly(struct http_req *r)
{
    quality_http_cors(r);
    struct quality_scope s;
    int y, m, d;
    int64_t year, month;
    timeutil_civil_from_days(timeutil_today(), &y, &m, &d);
    if (quality_query_scope(r, &s) || kit_query_int(r, "year", 2000, 2100, y, &year) ||
        kit_query_int(r, "month", 1, 12, m, &month))
        return;
    quality_answer_report(r, quality_monthly(r->db, &s, (int)year, (int)month));
}

static void api_quality_annual(struct http_req *r)
{
    quality_http_cors(r);
    struct quality_scope s;
    static const char *const editions[] = {"2012", "2026", "2026-final", NULL};
    int y, m, d;
    int64_t year, cls;
    timeutil_civil_from_days(timeutil_today(), &y, &m, &d);
    if (quality_query_scope(r, &s) || kit_query_int(r, "year", 2000, 2100, y, &year) ||
        kit_query_int(r, "class", 1, 2, 0, &cls))
        return;
    bool bad;
    const char *ls = kit_query_choice(r, "limits", editions, NULL, &bad);
    if (bad)
        return;
    int limits = !ls                   ? -1
                 : !strcmp(ls, "2012") ? AIRSTAT_GB3095_2012
                 : !strcmp(ls, "2026") ? AIRSTAT_GB3095_2026_TRANSITION
                                       : AIRSTAT_GB3095_2026_FINAL;
    json_t *o = quality_annual(r->db, &s, (int)year, limits,
                               cls == 1   ? AIRSTAT_CLASS_I
                               : cls == 2 ? AIRSTAT_CLASS_II
                                          : -1);
    /* The city's published PM2.5 goal (config pm25_target), beside the limit. */
    if (o && r->app->cfg->pm25_target > 0)
        json_object_set_new(o, "pm25_target", json_real((double)r->app->cfg->pm25_target));
    quality_answer_report(r, o);
}

static void api_quality_rankings(struct http_req *r)
{
    static const char *const kinds[] = {"district", "town", "station", "micro", NULL};
    static const char *const periods[] = {"month", "ytd", NULL};
    quality_http_cors(r);
    bool bad;
    const char *kind = kit_query_choice(r, "kind", kinds, "district", &bad);
    if (bad)
        return;
    const char *period = kit_query_choice(r, "period", periods, "month", &bad);
    int32_t date;
    if (bad || kit_query_day(r, "date", timeutil_today(), &date))
        return;
    int y, m, d;
    timeutil_civil_from_days(date, &y, &m, &d);
    int32_t from = (int32_t)timeutil_days_from_civil(y, strcmp(period, "ytd") ? m : 1, 1);
    quality_answer_report(r, quality_ranking(r->db, kind, from, date));
}

static void api_quality_calibrate(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_PATH_ID, &w))
        return;
    json_t *out = NULL;
    enum err e = quality_station_calibrate(r->db, &w.actor, w.id, w.body, &w.p, &out);
    kit_write_end(r, &w, false, e, out);
}

#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define STAFF ROLE_BIT(ROLE_STAFF)

static const struct route quality_table[] = {
    {HTTP_GET, "/api/v1/quality/stations", api_quality_stations, ROLES_ANY, 0},
    {HTTP_POST, "/api/v1/quality/stations", api_quality_station_create, ADMIN | STAFF, 0},
    {HTTP_POST, "/api/v1/quality/stations/{id}/calibrate", api_quality_calibrate, ADMIN | STAFF, 0},
    {HTTP_POST, "/api/v1/quality/hourly", api_quality_import, ADMIN | STAFF, ROUTE_UPLOAD},
    {HTTP_GET, "/api/v1/quality/hourly", api_quality_hourly, ROLES_ANY, 0},
    {HTTP_GET, "/api/v1/quality/realtime", api_quality_realtime, ROLES_ANY, 0},
    {HTTP_GET, "/api/v1/quality/map", api_quality_map, ROLES_ANY, 0},
    {HTTP_GET, "/api/v1/quality/daily", api_quality_daily, ROLES_ANY, 0},
    {HTTP_GET, "/api/v1/quality/monthly", api_quality_monthly, ROLES_ANY, 0},
    {HTTP_GET, "/api/v1/quality/annual", api_quality_annual, ROLES_ANY, 0},
    {HTTP_GET, "/api/v1/quality/rankings", api_quality_rankings, ROLES_ANY, 0},
};

const struct route_group app_quality_routes = ROUTE_GROUP("quality", quality_table);
