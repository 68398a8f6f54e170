/* api_quality — the air-quality routes: stations, the hourly import, real-time,
 * hourly/daily series, monthly and annual evaluation, rankings and the
 * micro-station calibration. Every GET is public and answers with CORS
 * (docs/quality.md, the public JSON API). */
#include "app/app.h"
#include "app/kit.h"
#include "modules/quality/quality.h"
#include "modules/quality/quality_http.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "db/audit.h"
#include "db/db.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUALITY_IMPORT_MAX_ERRORS 20

void quality_api_cors(struct http_req *r)
{
    http_add_header(r, "Access-Control-Allow-Origin", "*");
}

int quality_api_int(struct http_req *r, const char *key, int lo, int hi, int def, int *out)
{
    const char *s = http_query(r, key);
    if (!s || !*s) {
        *out = def;
        return 0;
    }
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*end || errno || v < lo || v > hi || strlen(s) > 12) {
        http_error(r, ERR_INVALID_FIELD, "参数超出范围", key);
        return -1;
    }
    *out = (int)v;
    return 0;
}

int quality_api_date(struct http_req *r, const char *key, int32_t def, int32_t *out)
{
    const char *s = http_query(r, key);
    if (!s || !*s) {
        *out = def;
        return 0;
    }
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 2000 ||
        y > 2100 || m < 1 || m > 12 || d < 1 || d > airstat_days_in_month(y, m)) {
        http_error(r, ERR_INVALID_FIELD, "日期格式须为 YYYY-MM-DD", key);
        return -1;
    }
    *out = (int32_t)timeutil_days_from_civil(y, m, d);
    return 0;
}

int32_t quality_api_today(void)
{
    return airdata_day_of(timeutil_now());
}

/* station=<id|code> or area=city|<district>; default the city. */
static int quality_api_scope(struct http_req *r, struct quality_scope *s)
{
    const char *station = http_query(r, "station");
    const char *area = http_query(r, "area");
    s->station_id = 0;
    s->area = QUALITY_CITY;
    if (station && *station) {
        s->station_id = quality_station_find(r->db, station);
        if (!s->station_id) {
            http_error(r, ERR_NOT_FOUND, "没有该站点", "station");
            return -1;
        }
        return 0;
    }
    if (area && *area && strcmp(area, "city")) {
        if (strlen(area) > 64 || !text_utf8_valid(area, strlen(area))) {
            http_error(r, ERR_INVALID_FIELD, "区域名称无效", "area");
            return -1;
        }
        s->area = area;
    }
    return 0;
}

static void api_quality_stations(struct http_req *r)
{
    quality_api_cors(r);
    const char *kind = http_query(r, "kind");
    if (kind && strcmp(kind, "official") && strcmp(kind, "micro") && strcmp(kind, "national") &&
        strcmp(kind, "provincial") && strcmp(kind, "city")) {
        http_error(r, ERR_INVALID_FIELD, "站点类型无效", "kind");
        return;
    }
    json_t *a = quality_stations(r->db, kind);
    http_json(r, a ? 200 : 500, a ? json_pack("{so}", "items", a) : NULL);
}

static void api_quality_station_create(struct http_req *r)
{
    json_t *in = http_body_json(r);
    if (!in)
        return;
    int64_t id = 0;
    const char *field = NULL, *message = NULL;
    if (db_begin(r->db)) {
        json_decref(in);
        http_error(r, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct audit_actor actor;
    kit_actor(r, &actor);
    char sid[24];
    if (quality_station_create(r->db, in, &id, &field, &message)) {
        db_rollback(r->db);
        json_decref(in);
        http_error(r, ERR_INVALID_FIELD, message, field);
        return;
    }
    snprintf(sid, sizeof sid, "%lld", (long long)id);
    if (audit_append(r->db, &actor, "aq_station.create", "aq_station", sid, in) ||
        db_commit(r->db)) {
        db_rollback(r->db);
        json_decref(in);
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    json_decref(in);
    http_json(r, 201, quality_station_get(r->db, id));
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

static int quality_cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Stores rows and rolls up every touched day (stations touched only). */
int quality_api_store_rows(struct db *db, const int64_t *station, const int64_t *hour,
                           const int64_t (*v)[AIRDATA_NCOLS], size_t n)
{
    int64_t *days = xmalloc(sizeof *days * (n ? n : 1));
    int64_t *ids = xmalloc(sizeof *ids * (n ? n : 1));
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        rc = airdata_put(db, station[i], hour[i], v[i]);
        days[i] = airdata_day_of(hour[i]);
        ids[i] = station[i];
    }
    qsort(days, n, sizeof *days, quality_cmp_i64);
    qsort(ids, n, sizeof *ids, quality_cmp_i64);
    size_t nid = 0;
    for (size_t i = 0; i < n; i++)
        if (!nid || ids[nid - 1] != ids[i])
            ids[nid++] = ids[i];
    for (size_t i = 0; i < n && !rc; i++)
        if (!i || days[i] != days[i - 1])
            rc = quality_rollup_day(db, (int32_t)days[i], ids, (int)nid);
    free(days);
    free(ids);
    return rc;
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
    json_t *detail = json_pack("{sI}", "rows", (json_int_t)n);
    int bad = db_begin(r->db);
    if (!bad)
        bad = quality_api_store_rows(r->db, st, hr, (const int64_t(*)[AIRDATA_NCOLS])v, n) ||
              audit_append(r->db, &actor, "aq_hourly.import", "aq_hourly", "", detail) ||
              quality_alarms_check(r->db, timeutil_now()) || db_commit(r->db);
    if (bad)
        db_rollback(r->db);
    free(st);
    free(hr);
    free(v);
    json_decref(detail);
    if (bad)
        http_error(r, ERR_INTERNAL, NULL, NULL);
    else
        http_json(r, 200, json_pack("{sI}", "imported", (json_int_t)n));
}

static void api_quality_realtime(struct http_req *r)
{
    quality_api_cors(r);
    struct quality_scope s;
    if (quality_api_scope(r, &s))
        return;
    json_t *o = quality_realtime(r->db, &s, 0);
    http_json(r, o ? 200 : 500, o);
}

static void api_quality_map(struct http_req *r)
{
    quality_api_cors(r);
    json_t *a = quality_realtime_all(r->db, 0);
    http_json(r, a ? 200 : 500, a ? json_pack("{so}", "items", a) : NULL);
}

static void api_quality_hourly(struct http_req *r)
{
    quality_api_cors(r);
    struct quality_scope s;
    int hours;
    if (quality_api_scope(r, &s) || quality_api_int(r, "hours", 1, 744, 24, &hours))
        return;
    int64_t latest = 0;
    json_t *now = quality_realtime(r->db, &s, 0);
    if (now)
        latest = json_integer_value(json_object_get(now, "hour"));
    json_decref(now);
    json_t *a =
        latest ? quality_hourly_series(r->db, &s, latest - (int64_t)(hours - 1) * 3600, latest + 1)
               : json_array();
    http_json(r, a ? 200 : 500, a ? json_pack("{so}", "items", a) : NULL);
}

static void api_quality_daily(struct http_req *r)
{
    quality_api_cors(r);
    struct quality_scope s;
    int32_t today = quality_api_today(), from, to;
    if (quality_api_scope(r, &s) || quality_api_date(r, "to", today, &to) ||
        quality_api_date(r, "from", to - 29, &from))
        return;
    if (to < from || to - from > 400) {
        http_error(r, ERR_INVALID_FIELD, "日期范围须在 400 天以内", "from");
        return;
    }
    json_t *a = quality_daily_series(r->db, &s, from, to);
    http_json(r, a ? 200 : 500, a ? json_pack("{so}", "items", a) : NULL);
}

static void api_quality_monthly(struct http_req *r)
{
    quality_api_cors(r);
    struct quality_scope s;
    int y, m, d, year, month;
    timeutil_civil_from_days(quality_api_today(), &y, &m, &d);
    if (quality_api_scope(r, &s) || quality_api_int(r, "year", 2000, 2100, y, &year) ||
        quality_api_int(r, "month", 1, 12, m, &month))
        return;
    json_t *o = quality_monthly(r->db, &s, year, month);
    http_json(r, o ? 200 : 500, o);
}

static void api_quality_annual(struct http_req *r)
{
    quality_api_cors(r);
    struct quality_scope s;
    int y, m, d, year, cls;
    timeutil_civil_from_days(quality_api_today(), &y, &m, &d);
    if (quality_api_scope(r, &s) || quality_api_int(r, "year", 2000, 2100, y, &year) ||
        quality_api_int(r, "class", 1, 2, 0, &cls))
        return;
    const char *ls = http_query(r, "limits");
    int limits = -1;
    if (ls && *ls) {
        limits = !strcmp(ls, "2012")         ? AIRSTAT_GB3095_2012
                 : !strcmp(ls, "2026")       ? AIRSTAT_GB3095_2026_TRANSITION
                 : !strcmp(ls, "2026-final") ? AIRSTAT_GB3095_2026_FINAL
                                             : -2;
        if (limits == -2) {
            http_error(r, ERR_INVALID_FIELD, "limits 须为 2012、2026 或 2026-final", "limits");
            return;
        }
    }
    json_t *o = quality_annual(r->db, &s, year, limits,
                               cls == 1   ? AIRSTAT_CLASS_I
                               : cls == 2 ? AIRSTAT_CLASS_II
                                          : -1);
    http_json(r, o ? 200 : 500, o);
}

static void api_quality_rankings(struct http_req *r)
{
    quality_api_cors(r);
    const char *kind = http_query(r, "kind");
    const char *period = http_query(r, "period");
    kind = kind && *kind ? kind : "district";
    period = period && *period ? period : "month";
    if (strcmp(kind, "district") && strcmp(kind, "town") && strcmp(kind, "station") &&
        strcmp(kind, "micro")) {
        http_error(r, ERR_INVALID_FIELD, "kind 须为 district、town、station 或 micro", "kind");
        return;
    }
    if (strcmp(period, "month") && strcmp(period, "ytd")) {
        http_error(r, ERR_INVALID_FIELD, "period 须为 month 或 ytd", "period");
        return;
    }
    int32_t date;
    if (quality_api_date(r, "date", quality_api_today(), &date))
        return;
    int y, m, d;
    timeutil_civil_from_days(date, &y, &m, &d);
    int32_t from = (int32_t)timeutil_days_from_civil(y, strcmp(period, "ytd") ? m : 1, 1);
    json_t *o = quality_ranking(r->db, kind, from, date);
    http_json(r, o ? 200 : 500, o);
}

static void api_quality_calibrate(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    json_t *in = http_body_json(r);
    if (!in)
        return;
    const char *pm = json_string_value(json_object_get(in, "pollutant"));
    json_t *days = json_object_get(in, "days");
    int col = pm ? airdata_col_parse(pm) : AIRDATA_PM25;
    int nd = days ? (int)json_integer_value(days) : 14;
    if ((col != AIRDATA_PM25 && col != AIRDATA_PM10) || (days && !json_is_integer(days)) ||
        nd < 1 || nd > 90) {
        json_decref(in);
        http_error(r, ERR_INVALID_FIELD, "pollutant 须为 pm25 或 pm10，days 为 1..90", "pollutant");
        return;
    }
    json_t *st = quality_station_get(r->db, id);
    if (!st) {
        json_decref(in);
        http_error(r, ERR_NOT_FOUND, NULL, NULL);
        return;
    }
    bool micro = !strcmp(json_string_value(json_object_get(st, "kind")), "micro");
    json_decref(st);
    if (!micro) {
        json_decref(in);
        http_error(r, ERR_INVALID_FIELD, "只有微型站需要校准", "station");
        return;
    }
    int64_t to = airdata_latest(r->db, id, timeutil_now()) + 3600;
    const char *message = NULL;
    struct audit_actor actor;
    kit_actor(r, &actor);
    if (db_begin(r->db)) {
        json_decref(in);
        http_error(r, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    int64_t from = to - (int64_t)nd * 86400;
    /* An explicit co-location window (dates, Beijing) overrides the days. */
    const char *wf = json_string_value(json_object_get(in, "from"));
    const char *wt = json_string_value(json_object_get(in, "to"));
    if (wf || wt) {
        int64_t a, b;
        if (!wf || !wt || timeutil_parse_date(wf, &a) || timeutil_parse_date(wt, &b) || b < a ||
            b - a > 89LL * 86400) {
            json_decref(in);
            db_rollback(r->db);
            http_error(r, ERR_INVALID_FIELD, "校准时间窗须为 from/to 日期，最长 90 天", "from");
            return;
        }
        from = a, to = b + 86400;
    }
    json_decref(in);
    json_t *fit = quality_calibrate(r->db, id, col, from, to, &message);
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", (long long)id);
    if (!fit || audit_append(r->db, &actor, "aq_station.calibrate", "aq_station", sid, fit) ||
        db_commit(r->db)) {
        db_rollback(r->db);
        json_decref(fit);
        http_error(r, ERR_INVALID_FIELD, message ? message : "无法校准", "station");
        return;
    }
    http_json(r, 200, fit);
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
    {HTTP_GET, "/api/v1/quality/water/sections", api_water_sections, ROLES_ANY, 0},
    {HTTP_POST, "/api/v1/quality/water/sections", api_water_section_create, ADMIN | STAFF, 0},
    {HTTP_POST, "/api/v1/quality/water/samples", api_water_sample, ADMIN | STAFF, 0},
};

const struct route_group app_quality_routes = ROUTE_GROUP("quality", quality_table);
