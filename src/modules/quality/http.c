/* http — the air-quality routes: stations, the hourly import, real-time,
 * hourly/daily series, monthly and annual evaluation, rankings and the
 * micro-station calibration. Every GET is public and answers with CORS
 * (docs/quality.md, the public JSON API). Rules in stations.c, quality.c and
 * net.c. */
#include "app/app.h"
#include "app/kit.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "domain/calendar.h"
#include "modules/quality/http.h"
#include "modules/quality/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUALITY_IMPORT_MAX_ERRORS 20

void quality_http_cors(struct http_req *r)
{
    http_add_header(r, "Access-Control-Allow-Origin", "*");
}

int quality_query_choice(struct http_req *r, const char *key, const char *const *choices,
                         const char *def, const char *message, const char **out)
{
    const char *s = http_query(r, key);
    *out = def;
    if (!s || !*s)
        return 0;
    for (size_t i = 0; choices[i]; i++)
        if (!strcmp(s, choices[i])) {
            *out = choices[i];
            return 0;
        }
    http_error(r, ERR_INVALID_FIELD, message, key);
    return -1;
}

int quality_query_day(struct http_req *r, const char *key, int32_t def, int32_t *day)
{
    char date[11];
    *day = def;
    if (kit_query_date(r, key, date))
        return -1;
    if (*date && calendar_parse_date(date, day)) {
        http_error(r, ERR_INVALID_FIELD, "日期须为 YYYY-MM-DD 格式", key);
        return -1;
    }
    return 0;
}

int32_t quality_today(void)
{
    return airdata_day_of(timeutil_now());
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

/* A list the rules gave (NULL: a database error) as {items}. */
static void quality_answer_items(struct http_req *r, json_t *items)
{
    kit_answer(r, items ? ERR_OK : ERR_INTERNAL, NULL,
               items ? json_pack("{so}", "items", items) : NULL);
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
    const char *kind;
    if (quality_query_choice(r, "kind", kinds, NULL, "站点类型无效", &kind))
        return;
    quality_answer_items(r, quality_stations(r->db, kind));
}

static void api_quality_station_create(struct http_req *r)
{
    json_t *in = kit_body(r);
    if (!in)
        return;
    struct audit_actor actor;
    kit_actor(r, &actor);
    struct problem p = {0};
    json_t *out = NULL;
    enum err e = quality_station_create(r->db, &actor, in, &p, &out);
    json_decref(in);
    kit_created(r, e, &p, out);
}

/* One CSV row of the hourly import, parsed. */
struct quality_row {
    int64_t station, hour;
    int64_t v[AIRDATA_NCOLS];
};

static int quality_parse_hour(const char *s, size_t len, int64_t *hour)
{
    char t[20];
    if (len != 16 && len != 19)
        return -1;
    memcpy(t, s, len);
    t[len] = '\0';
    int y, mo, d, h, mi, sec = 0;
    if (sscanf(t, "%4d-%2d-%2d%*1[ T]%2d:%2d", &y, &mo, &d, &h, &mi) != 5)
        return -1;
    if (len == 19 && (t[16] != ':' || sscanf(t + 17, "%2d", &sec) != 1))
        return -1;
    if (t[4] != '-' || t[7] != '-' || t[13] != ':' || y < 2000 || y > 2100 || mo < 1 || mo > 12 ||
        d < 1 || d > airstat_days_in_month(y, mo) || h < 0 || h > 23 || mi || sec)
        return -1;
    *hour = timeutil_days_from_civil(y, mo, d) * AIRDATA_DAY + h * AIRDATA_HOUR - AIRDATA_BEIJING;
    return 0;
}

static const char quality_import_header[] = "station,time,so2,no2,co,o3,pm10,pm25";

/* Parses the body; on errors fills errs and returns -1. */
static int quality_parse_csv(struct http_req *r, struct quality_row **rows, size_t *nrows,
                             json_t *errs)
{
    const char *p = r->body.data, *end = p + r->body.len;
    if (r->body.len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    size_t cap = 1024, n = 0;
    *rows = xmalloc(sizeof **rows * cap);
    int line = 0;
    bool header = false;
    json_t *codes = json_object(); /* code -> id cache */
    while (p < end && json_array_size(errs) < QUALITY_IMPORT_MAX_ERRORS) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        size_t len = (size_t)(le - p);
        if (len && p[len - 1] == '\r')
            len--;
        line++;
        const char *s = p;
        p = nl ? nl + 1 : end;
        if (!len)
            continue;
        char msg[96] = "";
        if (len > 256 || !text_utf8_valid(s, len) || memchr(s, '\0', len)) {
            snprintf(msg, sizeof msg, "行过长或含非法字符");
        } else if (!header) {
            if (len != sizeof quality_import_header - 1 || memcmp(s, quality_import_header, len))
                snprintf(msg, sizeof msg, "表头须为 %s", quality_import_header);
            header = true;
        } else {
            const char *cell[8];
            size_t clen[8];
            int nc = 0;
            const char *c = s, *e = s + len;
            while (nc < 8) {
                const char *comma = memchr(c, ',', (size_t)(e - c));
                cell[nc] = c;
                clen[nc++] = (size_t)((comma ? comma : e) - c);
                if (!comma)
                    break;
                c = comma + 1;
                if (nc == 8)
                    nc = 9; /* too many cells */
            }
            struct quality_row row;
            if (nc != 8) {
                snprintf(msg, sizeof msg, "须为 8 列");
            } else if (quality_parse_hour(cell[1], clen[1], &row.hour)) {
                snprintf(msg, sizeof msg, "时间须为 YYYY-MM-DD HH:00（北京时间，整点）");
            } else {
                char code[65];
                snprintf(code, sizeof code, "%.*s", (int)(clen[0] < 64 ? clen[0] : 64), cell[0]);
                json_t *cached = json_object_get(codes, code);
                row.station =
                    cached ? json_integer_value(cached) : quality_station_find(r->db, code);
                if (!row.station)
                    snprintf(msg, sizeof msg, "未知站点 %.40s", code);
                else if (!cached)
                    json_object_set_new(codes, code, json_integer(row.station));
                for (int k = 0; k < AIRDATA_NCOLS && !*msg; k++) {
                    row.v[k] = -1;
                    if (!clen[2 + k])
                        continue;
                    struct aqi_conc v;
                    enum aqi_parse pe = aqi_conc_parse(cell[2 + k], (int)clen[2 + k], &v);
                    if (pe)
                        snprintf(msg, sizeof msg, "%s: %s", airdata_col_name(k),
                                 aqi_parse_message(pe));
                    else
                        row.v[k] = v.num;
                }
            }
            if (!*msg) {
                if (n == cap)
                    *rows = xrealloc(*rows, sizeof **rows * (cap *= 2));
                (*rows)[n++] = row;
            }
        }
        if (*msg)
            json_array_append_new(errs, json_pack("{si ss}", "line", line, "message", msg));
    }
    json_decref(codes);
    if (!header && !json_array_size(errs))
        json_array_append_new(errs, json_pack("{si ss}", "line", 1, "message", "缺少表头"));
    *nrows = n;
    return json_array_size(errs) ? -1 : 0;
}

static void api_quality_import(struct http_req *r)
{
    if (r->body_too_large) {
        http_error(r, ERR_BODY_TOO_LARGE, NULL, NULL);
        return;
    }
    json_t *errs = json_array();
    struct quality_row *rows = NULL;
    size_t n = 0;
    if (quality_parse_csv(r, &rows, &n, errs)) {
        free(rows);
        http_error_json(r, ERR_IMPORT_ERRORS, NULL, json_pack("{so}", "errors", errs));
        return;
    }
    json_decref(errs);
    int64_t *st = xmalloc(sizeof *st * (n ? n : 1)), *hr = xmalloc(sizeof *hr * (n ? n : 1));
    int64_t(*v)[AIRDATA_NCOLS] = xmalloc(sizeof *v * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        st[i] = rows[i].station, hr[i] = rows[i].hour;
        memcpy(v[i], rows[i].v, sizeof v[i]);
    }
    free(rows);
    struct audit_actor actor;
    kit_actor(r, &actor);
    json_t *out = NULL;
    enum err e = quality_import(r->db, &actor, st, hr, (const int64_t(*)[AIRDATA_NCOLS])v, n, &out);
    free(st);
    free(hr);
    free(v);
    kit_answer(r, e, NULL, out);
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
    quality_answer_items(r, quality_realtime_all(r->db, 0));
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
    quality_answer_items(r, a);
}

static void api_quality_daily(struct http_req *r)
{
    quality_http_cors(r);
    struct quality_scope s;
    int32_t from, to;
    if (quality_query_scope(r, &s) || quality_query_day(r, "to", quality_today(), &to) ||
        quality_query_day(r, "from", to - 29, &from))
        return;
    if (to < from || to - from > 400) {
        struct problem p;
        kit_answer(r, problem_set(&p, ERR_INVALID_FIELD, "from", "日期范围须在 400 天以内"), &p,
                   NULL);
        return;
    }
    quality_answer_items(r, quality_daily_series(r->db, &s, from, to));
}

static void api_quality_monthly(struct http_req *r)
{
    quality_http_cors(r);
    struct quality_scope s;
    int y, m, d;
    int64_t year, month;
    timeutil_civil_from_days(quality_today(), &y, &m, &d);
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
    const char *ls;
    timeutil_civil_from_days(quality_today(), &y, &m, &d);
    if (quality_query_scope(r, &s) || kit_query_int(r, "year", 2000, 2100, y, &year) ||
        kit_query_int(r, "class", 1, 2, 0, &cls) ||
        quality_query_choice(r, "limits", editions, NULL, "limits 须为 2012、2026 或 2026-final",
                             &ls))
        return;
    int limits = !ls                   ? -1
                 : !strcmp(ls, "2012") ? AIRSTAT_GB3095_2012
                 : !strcmp(ls, "2026") ? AIRSTAT_GB3095_2026_TRANSITION
                                       : AIRSTAT_GB3095_2026_FINAL;
    quality_answer_report(r, quality_annual(r->db, &s, (int)year, limits,
                                            cls == 1   ? AIRSTAT_CLASS_I
                                            : cls == 2 ? AIRSTAT_CLASS_II
                                                       : -1));
}

static void api_quality_rankings(struct http_req *r)
{
    static const char *const kinds[] = {"district", "town", "station", "micro", NULL};
    static const char *const periods[] = {"month", "ytd", NULL};
    quality_http_cors(r);
    const char *kind, *period;
    int32_t date;
    if (quality_query_choice(r, "kind", kinds, "district",
                             "kind 须为 district、town、station 或 micro", &kind) ||
        quality_query_choice(r, "period", periods, "month", "period 须为 month 或 ytd", &period) ||
        quality_query_day(r, "date", quality_today(), &date))
        return;
    int y, m, d;
    timeutil_civil_from_days(date, &y, &m, &d);
    int32_t from = (int32_t)timeutil_days_from_civil(y, strcmp(period, "ytd") ? m : 1, 1);
    quality_answer_report(r, quality_ranking(r->db, kind, from, date));
}

static void api_quality_calibrate(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    json_t *in = kit_body(r);
    if (!in)
        return;
    struct audit_actor actor;
    kit_actor(r, &actor);
    struct problem p = {0};
    json_t *out = NULL;
    enum err e = quality_station_calibrate(r->db, &actor, id, in, &p, &out);
    json_decref(in);
    kit_answer(r, e, &p, out);
}

#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define STAFF ROLE_BIT(ROLE_STAFF)

static const struct route quality_table[] = {
    {HTTP_GET, "/api/v1/quality/stations", api_quality_stations, ROLES_ANY, 0},
    {HTTP_POST, "/api/v1/quality/stations", api_quality_station_create, ADMIN | STAFF, 0},
    {HTTP_POST, "/api/v1/quality/stations/{id}/calibrate", api_quality_calibrate, ADMIN | STAFF, 0},
    {HTTP_POST, "/api/v1/quality/hourly", api_quality_import, ADMIN | STAFF, 0},
    {HTTP_GET, "/api/v1/quality/hourly", api_quality_hourly, ROLES_ANY, 0},
    {HTTP_GET, "/api/v1/quality/realtime", api_quality_realtime, ROLES_ANY, 0},
    {HTTP_GET, "/api/v1/quality/map", api_quality_map, ROLES_ANY, 0},
    {HTTP_GET, "/api/v1/quality/daily", api_quality_daily, ROLES_ANY, 0},
    {HTTP_GET, "/api/v1/quality/monthly", api_quality_monthly, ROLES_ANY, 0},
    {HTTP_GET, "/api/v1/quality/annual", api_quality_annual, ROLES_ANY, 0},
    {HTTP_GET, "/api/v1/quality/rankings", api_quality_rankings, ROLES_ANY, 0},
};

const struct route_group app_quality_routes = ROUTE_GROUP("quality", quality_table);
