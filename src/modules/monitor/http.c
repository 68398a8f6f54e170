/* monitor http — the monitoring module's handlers of stations, devices, readings, health,
 * unregistered devices and alerts, and its route table (commands: http_commands.c, forward
 * targets: http_forward.c; docs/api.md, docs/monitoring.md). Enterprise users see only their
 * own enterprise's outlets; everything else is for the bureau. */
#include "app/app.h"
#include "app/kit.h"
#include "core/csv_write.h"
#include "core/timeutil.h"
#include "domain/monitor_norm.h"
#include "modules/monitor/http.h"
#include "modules/monitor/monitor.h"
#include "modules/monitor/readings.h"
#include "net/hj212_server.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define STAFF ROLE_BIT(ROLE_STAFF)
#define MON_SERIES_MAX 10000
#define MON_EXPORT_MAX 200000

int64_t monitor_http_enterprise(struct http_req *r)
{
    return r->has_session && r->session.user.role == ROLE_ENTERPRISE ? r->session.user.enterprise_id
                                                                     : 0;
}

static int64_t mon_time_refuse(struct http_req *r, const char *key)
{
    http_error(r, ERR_INVALID_FIELD,
               "时间须为 YYYY-MM-DD、YYYY-MM-DDTHH:MM、带时区的 ISO 8601 时间或 Unix 秒", key);
    return -1;
}

/* A time bound: UTC seconds, "YYYY-MM-DD" (Beijing midnight), "YYYY-MM-DDTHH:MM[:SS]"
 * (Beijing) or ISO 8601 with Z or an offset (timeutil_parse_time). def when absent; -1 and a 422
 * when malformed. */
static int64_t mon_time(struct http_req *r, const char *key, int64_t def)
{
    const char *s = http_query(r, key);
    if (!s || !*s)
        return def;
    int64_t t;
    size_t n = strlen(s);
    if (n >= 10 && n < 64 && s[4] == '-') {
        /* An unencoded '+' of an offset may arrive as a space (form encoding):
         * after the date's own separator a space can only be that. */
        char buf[64];
        memcpy(buf, s, n + 1);
        for (size_t i = 11; i < n; i++)
            if (buf[i] == ' ')
                buf[i] = '+';
        return timeutil_parse_time(buf, n, &t, NULL) ? mon_time_refuse(r, key) : t;
    }
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!errno && !*end && v >= 0 && v < 32503680000LL)
        return v;
    return mon_time_refuse(r, key);
}

/* The record kind of a query (rtd, minute, hour, day, or its number 1-4): MONITOR_KIND_*, def
 * when absent; -1 when answered 422. */
static int mon_kind(struct http_req *r, int def)
{
    static const char *const names[] = {"rtd", "minute", "hour", "day", "1", "2", "3", "4", NULL};
    bool bad;
    const char *k = kit_query_choice(r, "kind", names, NULL, &bad);
    if (bad)
        return -1;
    for (int i = 0; k && names[i]; i++)
        if (k == names[i])
            return i % 4 + 1;
    return def;
}

/* The station of path parameter 0 as the caller may see it (new reference); NULL when it
 * may not (answered 404). */
static json_t *mon_station(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return NULL;
    json_t *st = monitor_station_get(r->db, id, monitor_http_enterprise(r), timeutil_now());
    if (!st) {
        struct problem p;
        kit_answer(r, problem_set(&p, ERR_NOT_FOUND, NULL, "站点不存在"), &p, NULL);
    }
    return st;
}

int64_t monitor_http_station(struct http_req *r)
{
    json_t *st = mon_station(r);
    int64_t id = json_integer_value(json_object_get(st, "id"));
    json_decref(st);
    return id;
}

/* The stations with their online state, and how many are online. */
static void api_monitor_stations(struct http_req *r)
{
    bool bad_kind, bad_district, bad_q;
    struct monitor_station_filter f = {kit_query_text(r, "kind", 32, &bad_kind), NULL, NULL,
                                       monitor_http_enterprise(r), timeutil_now()};
    if (bad_kind || (f.district = kit_query_text(r, "district", 64, &bad_district), bad_district) ||
        (f.q = kit_query_text(r, "q", 100, &bad_q), bad_q))
        return;
    json_t *list = monitor_station_list(r->db, &f);
    if (!list) {
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    size_t online = 0;
    size_t i;
    json_t *s;
    json_array_foreach(list, i, s) online += json_is_true(json_object_get(s, "online"));
    kit_answer(r, ERR_OK, NULL,
               json_pack("{s:o,s:I,s:I}", "items", list, "total", (json_int_t)json_array_size(list),
                         "online", (json_int_t)online));
}

static void api_monitor_station_create(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_NO_ID, &w))
        return;
    enum err e = monitor_station_create(r->db, &w.actor, w.body, &w.id, &w.p);
    kit_write_end(r, &w, true, e, e ? NULL : monitor_station_get(r->db, w.id, 0, timeutil_now()));
}

static void api_monitor_station_update(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_PATH_ID, &w))
        return;
    enum err e = monitor_station_update(r->db, &w.actor, w.id, w.body, &w.p);
    kit_write_end(r, &w, false, e, e ? NULL : monitor_station_get(r->db, w.id, 0, timeutil_now()));
}

static void api_monitor_station_get(struct http_req *r)
{
    json_t *st = mon_station(r);
    if (!st)
        return;
    int kind = mon_kind(r, MONITOR_KIND_MINUTE);
    if (kind < 0) {
        json_decref(st);
        return;
    }
    json_t *latest = readings_latest(r->db, json_integer_value(json_object_get(st, "id")), kind);
    json_object_set_new(st, "latest", latest ? latest : json_array());
    json_object_set_new(st, "latest_kind", json_integer(kind));
    /* the skew beyond which the platform sets a device's clock, for the page to mark it */
    json_object_set_new(st, "clock_tolerance", json_integer(r->app->cfg->hj212_clock_tolerance));
    /* Pollution-source passwords stay in the bureau: enterprise users do not see devices' PWs
     * (never returned anyway) nor their addresses. */
    kit_answer(r, ERR_OK, NULL, st);
}

static void api_monitor_latest(struct http_req *r)
{
    int64_t id = monitor_http_station(r);
    if (!id)
        return;
    int kind = mon_kind(r, MONITOR_KIND_MINUTE);
    if (kind < 0)
        return;
    json_t *latest = readings_latest(r->db, id, kind);
    if (!latest) {
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    kit_answer(
        r, ERR_OK, NULL,
        json_pack("{s:I,s:i,s:o}", "station_id", (json_int_t)id, "kind", kind, "items", latest));
}
/* Common arguments of series, rollups and exports. */
struct mon_query {
    int64_t station;
    const char *factor;
    int kind;
    int64_t from, to;
};

static int mon_query(struct http_req *r, struct mon_query *q, int def_kind)
{
    if (!(q->station = monitor_http_station(r)))
        return -1;
    bool bad;
    q->factor = kit_query_text(r, "factor", MONITOR_FACTOR_MAX - 1, &bad);
    if (bad)
        return -1;
    if (!q->factor) {
        http_error(r, ERR_INVALID_FIELD, "须指定因子 factor", "factor");
        return -1;
    }
    /* Without from/to: the last 24 hours ending now. */
    int64_t now = timeutil_now();
    if ((q->kind = mon_kind(r, def_kind)) < 0 || (q->to = mon_time(r, "to", now)) < 0 ||
        (q->from = mon_time(r, "from", q->to - 86400)) < 0)
        return -1;
    return 0;
}

static void api_monitor_series(struct http_req *r)
{
    struct mon_query q;
    if (mon_query(r, &q, MONITOR_KIND_MINUTE))
        return;
    int64_t after = mon_time(r, "after", 0), next = 0;
    if (after < 0)
        return;
    int limit = kit_limit(r, 1000, MON_SERIES_MAX);
    json_t *items =
        readings_series(r->db, q.station, q.factor, q.kind, q.from, q.to, after, limit, &next);
    if (!items) {
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    const struct monitor_factor *f = monitor_factor_find(q.factor);
    kit_answer(r, ERR_OK, NULL,
               json_pack("{s:I,s:s,s:s,s:i,s:o,s:o}", "station_id", (json_int_t)q.station, "factor",
                         q.factor, "name", f ? f->name : q.factor, "kind", q.kind, "items", items,
                         "next", next ? json_integer(next) : json_null()));
}

static void api_monitor_rollups(struct http_req *r)
{
    struct mon_query q;
    if (mon_query(r, &q, MONITOR_KIND_HOUR))
        return;
    if (q.kind != MONITOR_KIND_HOUR && q.kind != MONITOR_KIND_DAY) {
        struct problem p;
        kit_answer(r, problem_set(&p, ERR_INVALID_FIELD, "kind", "汇总只有 hour 和 day"), &p, NULL);
        return;
    }
    json_t *items = readings_rollups(r->db, q.station, q.factor, q.kind, q.from, q.to, 10000);
    if (!items) {
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    kit_answer(r, ERR_OK, NULL,
               json_pack("{s:I,s:s,s:i,s:o}", "station_id", (json_int_t)q.station, "factor",
                         q.factor, "kind", q.kind, "items", items));
}

static int mon_tmp(char path[HTTP_TEMP_PATH], const char *tag)
{
    int fd = http_temp_file(path, tag);
    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

static void api_monitor_series_csv(struct http_req *r)
{
    struct mon_query q;
    if (mon_query(r, &q, MONITOR_KIND_MINUTE))
        return;
    char path[HTTP_TEMP_PATH];
    FILE *f = mon_tmp(path, "series") ? NULL : fopen(path, "w");
    if (!f) {
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    static const char *const head[] = {"time", "factor", "value", "min",  "max",
                                       "cou",  "flag",   "qual",  "valid"};
    struct buf b;
    buf_init(&b, 0);
    struct csv_out c;
    csv_out_init(&c, &b);
    buf_puts(&b, "\xEF\xBB\xBF"); /* so a spreadsheet reads it as UTF-8 */
    for (size_t h = 0; h < sizeof head / sizeof head[0]; h++)
        csv_text(&c, head[h]);
    csv_end_row(&c);
    int64_t after = 0, next = 0;
    size_t total = 0;
    do {
        json_t *items =
            readings_series(r->db, q.station, q.factor, q.kind, q.from, q.to, after, 5000, &next);
        size_t i;
        json_t *o;
        json_array_foreach(items, i, o)
        {
            csv_text(&c, json_string_value(json_object_get(o, "time")));
            csv_text(&c, q.factor);
            csv_number(&c, json_real_value(json_object_get(o, "value")));
            static const char *const opt[] = {"min", "max", "cou"};
            for (size_t k = 0; k < 3; k++) {
                json_t *v = json_object_get(o, opt[k]);
                if (v)
                    csv_number(&c, json_real_value(v));
                else
                    csv_empty(&c);
            }
            csv_text(&c, json_string_value(json_object_get(o, "flag")));
            csv_integer(&c, (long long)json_integer_value(json_object_get(o, "qual")));
            csv_integer(&c, json_is_true(json_object_get(o, "valid")));
            csv_end_row(&c);
            total++;
        }
        json_decref(items);
        fwrite(b.data, 1, b.len, f);
        buf_reset(&b);
        after = next;
    } while (next && total < MON_EXPORT_MAX);
    buf_free(&b);
    fclose(f);
    kit_file(r, path, "text/csv; charset=utf-8", "attachment; filename=\"readings.csv\"");
}

static void api_monitor_frames(struct http_req *r)
{
    int64_t id = monitor_http_station(r);
    if (!id)
        return;
    int64_t before = kit_query_id(r, "before"), next = 0;
    if (before < 0)
        return;
    json_t *items = readings_frames(r->db, id, before, kit_limit(r, 50, 500), &next);
    if (!items) {
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    kit_answer(
        r, ERR_OK, NULL,
        json_pack("{s:o,s:o}", "items", items, "next", next ? json_integer(next) : json_null()));
}

/* A written device's answer: its id. */
static json_t *mon_device_written(enum err e, int64_t id)
{
    return e ? NULL : json_pack("{s:I}", "id", (json_int_t)id);
}

static void api_monitor_device_create(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_NO_ID, &w))
        return;
    enum err e = monitor_device_create(r->db, &w.actor, w.body, &w.id, &w.p);
    kit_write_end(r, &w, true, e, mon_device_written(e, w.id));
}

static void api_monitor_device_update(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_PATH_ID, &w))
        return;
    enum err e = monitor_device_update(r->db, &w.actor, w.id, w.body, &w.p);
    kit_write_end(r, &w, false, e, mon_device_written(e, w.id));
}

static void api_monitor_unregistered(struct http_req *r)
{
    json_t *items = monitor_unregistered_list(r->db, kit_limit(r, 200, 1000));
    if (!items) {
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    kit_answer(r, ERR_OK, NULL, json_pack("{s:o}", "items", items));
}

/* Rejected frames (bad CRC, bad length, unparsable, junk, refusals over a budget), counted
 * per hour, device, address and reason with one sample each; ?device_id= keeps one device's. */
static void api_monitor_rejected(struct http_req *r)
{
    int64_t device = kit_query_id(r, "device_id");
    if (device < 0)
        return;
    json_t *items = monitor_reject_list(r->db, device, kit_limit(r, 200, 5000));
    if (!items) {
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    kit_answer(r, ERR_OK, NULL, json_pack("{s:o}", "items", items));
}

static void api_monitor_register(struct http_req *r)
{
    const char *mn = r->params[0];
    if (!mn || !*mn || strlen(mn) > 64) {
        kit_answer(r, ERR_NOT_FOUND, NULL, NULL);
        return;
    }
    struct kit_write w;
    if (!kit_write_begin(r, KIT_NO_ID, &w))
        return;
    enum err e = monitor_register_unregistered(r->db, &w.actor, mn, w.body, &w.id, &w.p);
    /* The new record is the device, not a child of this path. */
    char loc[64];
    snprintf(loc, sizeof loc, "/api/v1/monitor/devices/%lld", (long long)w.id);
    kit_write_end_at(r, &w, loc, e, mon_device_written(e, w.id));
}

static void api_monitor_factors(struct http_req *r)
{
    size_t n;
    const struct monitor_factor *f = monitor_factors(&n);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr,
                              json_pack("{s:s,s:s,s:s,s:s}", "code", f[i].code, "name", f[i].name,
                                        "unit_air", monitor_factor_unit(&f[i], MONITOR_AIR), "unit",
                                        monitor_factor_unit(&f[i], MONITOR_WATER)));
    size_t nk;
    const struct monitor_station_kind *k = monitor_station_kinds(&nk);
    json_t *kinds = json_array();
    for (size_t i = 0; i < nk; i++)
        json_array_append_new(kinds, json_pack("{s:s,s:s,s:i,s:b}", "name", k[i].name, "label",
                                               k[i].label, "offline_after", k[i].offline_after,
                                               "source", k[i].source));
    kit_answer(r, ERR_OK, NULL, json_pack("{s:o,s:o}", "factors", arr, "kinds", kinds));
}

/* ---- health ---- */

/* What the health report covers: the Beijing day (date, default today) and the stations
 * (kind, district). 0, or -1 when answered 422. */
static int mon_health_input(struct http_req *r, int64_t *day, struct monitor_station_filter *f)
{
    bool bad_kind, bad_district;
    char date[11];
    *f = (struct monitor_station_filter){kit_query_text(r, "kind", 32, &bad_kind), NULL, NULL,
                                         monitor_http_enterprise(r), timeutil_now()};
    if (bad_kind ||
        (f->district = kit_query_text(r, "district", 64, &bad_district), bad_district) ||
        kit_query_date(r, "date", date))
        return -1;
    if (!*date)
        timeutil_format_date(timeutil_now(), date, sizeof date);
    if (timeutil_parse_date(date, day)) {
        http_error(r, ERR_INVALID_FIELD, "日期须为 YYYY-MM-DD", "date");
        return -1;
    }
    return 0;
}

/* One row per station of f for the Beijing day `day`: expected, received, valid and the
 * rates. */
static json_t *mon_health(struct http_req *r, int64_t day, const struct monitor_station_filter *f)
{
    json_t *stations = monitor_station_list(r->db, f);
    if (!stations)
        return NULL;
    json_t *out = json_array();
    size_t i;
    json_t *s;
    json_array_foreach(stations, i, s)
    {
        struct readings_health h;
        int64_t id = json_integer_value(json_object_get(s, "id"));
        int interval = (int)json_integer_value(json_object_get(s, "min_interval"));
        if (readings_day_health(r->db, id, interval, day, &h))
            continue;
        double tr = h.expected ? (double)h.received / h.expected : 0;
        double vr = h.received ? (double)h.valid / h.received : 0;
        json_array_append_new(
            out, json_pack("{s:I,s:s,s:s,s:s,s:s,s:b,s:i,s:i,s:i,s:f,s:f,s:f}", "station_id",
                           (json_int_t)id, "code", json_string_value(json_object_get(s, "code")),
                           "name", json_string_value(json_object_get(s, "name")), "kind",
                           json_string_value(json_object_get(s, "kind")), "district",
                           json_string_value(json_object_get(s, "district")), "online",
                           json_is_true(json_object_get(s, "online")), "expected", h.expected,
                           "received", h.received, "valid", h.valid, "transmission_rate", tr,
                           "valid_rate", vr, "effective_rate", tr * vr));
    }
    json_decref(stations);
    return out;
}

static void api_monitor_health(struct http_req *r)
{
    int64_t day;
    struct monitor_station_filter f;
    if (mon_health_input(r, &day, &f))
        return;
    json_t *items = mon_health(r, day, &f);
    if (!items) {
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    char date[16];
    timeutil_format_date(day, date, sizeof date);
    kit_answer(r, ERR_OK, NULL, json_pack("{s:s,s:o}", "date", date, "items", items));
}

static void api_monitor_health_xlsx(struct http_req *r)
{
    int64_t day;
    struct monitor_station_filter f;
    if (mon_health_input(r, &day, &f))
        return;
    json_t *items = mon_health(r, day, &f);
    char path[HTTP_TEMP_PATH];
    if (!items || mon_tmp(path, "health")) {
        json_decref(items);
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    char date[16];
    timeutil_format_date(day, date, sizeof date);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "数据传输有效率") : NULL;
    if (!ws) {
        if (wb)
            workbook_close(wb);
        json_decref(items);
        unlink(path);
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *pct = workbook_add_format(wb);
    format_set_num_format(pct, "0.0%");
    static const char *const head[] = {"日期",   "站点编码", "站点名称",  "类型",
                                       "区县",   "应收",     "实收",      "有效",
                                       "传输率", "有效率",   "传输有效率"};
    for (int c = 0; c < 11; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], bold);
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o)
    {
        lxw_row_t row = (lxw_row_t)(i + 1);
        const struct monitor_station_kind *k =
            monitor_station_kind_find(json_string_value(json_object_get(o, "kind")));
        worksheet_write_string(ws, row, 0, date, NULL);
        worksheet_write_string(ws, row, 1, json_string_value(json_object_get(o, "code")), NULL);
        worksheet_write_string(ws, row, 2, json_string_value(json_object_get(o, "name")), NULL);
        worksheet_write_string(ws, row, 3, k ? k->label : "", NULL);
        worksheet_write_string(ws, row, 4, json_string_value(json_object_get(o, "district")), NULL);
        static const char *const nums[] = {"expected", "received", "valid"};
        for (int c = 0; c < 3; c++)
            worksheet_write_number(ws, row, (lxw_col_t)(5 + c),
                                   (double)json_integer_value(json_object_get(o, nums[c])), NULL);
        static const char *const rates[] = {"transmission_rate", "valid_rate", "effective_rate"};
        for (int c = 0; c < 3; c++)
            worksheet_write_number(ws, row, (lxw_col_t)(8 + c),
                                   json_real_value(json_object_get(o, rates[c])), pct);
    }
    json_decref(items);
    if (workbook_close(wb) != LXW_NO_ERROR) {
        unlink(path);
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    kit_file(r, path, KIT_XLSX, "attachment; filename=\"health.xlsx\"");
}

static void api_monitor_alerts(struct http_req *r)
{
    json_t *items = monitor_alert_list(r->db, monitor_http_enterprise(r), kit_limit(r, 100, 1000));
    if (!items) {
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    kit_answer(r, ERR_OK, NULL, json_pack("{s:o}", "items", items));
}

/* GB 3095-2012 grade II annual PM2.5 limit: the target when pm25_target is not set. */
#define MON_PM25_LIMIT 35

/* The province view: cities and districts ranked by the month's PM2.5, mean daily AQI or share
 * of good days (?month=YYYY-MM, default this one; ?by=pm25|aqi|good, default pm25). */
static void api_monitor_province(struct http_req *r)
{
    bool bad;
    const char *m = kit_query_text(r, "month", 7, &bad);
    if (bad)
        return;
    const char *by_text = kit_query_text(r, "by", 8, &bad);
    if (bad)
        return;
    enum province_by by = PROVINCE_BY_PM25;
    if (by_text && !strcmp(by_text, "aqi"))
        by = PROVINCE_BY_AQI;
    else if (by_text && !strcmp(by_text, "good"))
        by = PROVINCE_BY_GOOD;
    else if (by_text && strcmp(by_text, "pm25")) {
        http_error(r, ERR_INVALID_FIELD, "排名依据须为 pm25、aqi 或 good", "by");
        return;
    }
    char month[8], day[32];
    if (m)
        snprintf(month, sizeof month, "%s", m);
    else
        timeutil_format_date(timeutil_now(), day, sizeof day),
            snprintf(month, sizeof month, "%.7s", day);
    int y = 0, mo = 0;
    int64_t from, to;
    if (strlen(month) != 7 || month[4] != '-' || strspn(month, "0123456789-") != 7 ||
        sscanf(month, "%4d-%2d", &y, &mo) != 2 || y < 2000 || y > 2100 || mo < 1 || mo > 12 ||
        (snprintf(day, sizeof day, "%04d-%02d-01", y, mo), timeutil_parse_date(day, &from)) ||
        (snprintf(day, sizeof day, "%04d-%02d-01", mo == 12 ? y + 1 : y, mo == 12 ? 1 : mo + 1),
         timeutil_parse_date(day, &to))) {
        http_error(r, ERR_INVALID_FIELD, "月份须为 YYYY-MM", "month");
        return;
    }
    double target =
        r->app->cfg->pm25_target > 0 ? (double)r->app->cfg->pm25_target : MON_PM25_LIMIT;
    json_t *ranks = monitor_province(r->db, from, to, target, by, timeutil_now());
    if (!ranks) {
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    /* items: the districts (the page's table), cities: the cities */
    kit_answer(r, ERR_OK, NULL,
               json_pack("{s:s,s:s,s:f,s:O,s:O}", "month", month, "by",
                         by == PROVINCE_BY_AQI    ? "aqi"
                         : by == PROVINCE_BY_GOOD ? "good"
                                                  : "pm25",
                         "pm25_target", target, "items", json_object_get(ranks, "districts"),
                         "cities", json_object_get(ranks, "cities")));
    json_decref(ranks);
}

static void api_monitor_status(struct http_req *r)
{
    struct hj212_server *s = hj212_server_current();
    if (!s) {
        kit_answer(r, ERR_OK, NULL,
                   json_pack("{s:b,s:o}", "listening", 0, "store", monitor_store_status()));
        return;
    }
    struct hj212_server_stats st;
    hj212_server_get_stats(s, &st);
    json_t *o = json_pack("{s:b,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "listening", 1,
                          "connections", (json_int_t)st.open, "accepted", (json_int_t)st.accepted,
                          "refused_connections", (json_int_t)st.refused_conns, "frames_ok",
                          (json_int_t)st.frames_ok, "frames_bad_crc", (json_int_t)st.frames_bad_crc,
                          "frames_rejected", (json_int_t)st.frames_rejected, "unregistered",
                          (json_int_t)st.unregistered, "acks_sent", (json_int_t)st.acks_sent,
                          "values", (json_int_t)st.values, "timeouts", (json_int_t)st.timeouts,
                          "flood_pauses", (json_int_t)st.flood_pauses);
    /* the device port's budgets at work (docs/security.md, "Device port and durability") */
    json_object_set_new(o, "over_budget", json_integer((json_int_t)st.over_budget));
    json_object_set_new(o, "refused_addresses", json_integer((json_int_t)st.refused_addr));
    json_object_set_new(o, "unknown_dropped", json_integer((json_int_t)st.unknown_dropped));
    /* the device-data store: on ClickHouse, the spool (issue 12) */
    json_object_set_new(o, "store", monitor_store_status());
    kit_answer(r, ERR_OK, NULL, o);
}

static const struct route monitor_table[] = {
    {HTTP_GET, "/api/v1/monitor/factors", api_monitor_factors, ROLES_LOGGED_IN, 0},
    {HTTP_GET, "/api/v1/monitor/status", api_monitor_status, ROLES_BUREAU, 0},
    {HTTP_GET, "/api/v1/monitor/province", api_monitor_province, ADMIN | ROLE_BIT(ROLE_LEADER), 0},
    {HTTP_GET, "/api/v1/monitor/stations", api_monitor_stations, ROLES_LOGGED_IN, 0},
    {HTTP_POST, "/api/v1/monitor/stations", api_monitor_station_create, ADMIN | STAFF, 0},
    {HTTP_GET, "/api/v1/monitor/stations/{id}", api_monitor_station_get, ROLES_LOGGED_IN, 0},
    {HTTP_PUT, "/api/v1/monitor/stations/{id}", api_monitor_station_update, ADMIN | STAFF, 0},
    {HTTP_GET, "/api/v1/monitor/stations/{id}/latest", api_monitor_latest, ROLES_LOGGED_IN, 0},
    {HTTP_GET, "/api/v1/monitor/stations/{id}/series", api_monitor_series, ROLES_LOGGED_IN, 0},
    {HTTP_GET, "/api/v1/monitor/stations/{id}/series.csv", api_monitor_series_csv, ROLES_LOGGED_IN,
     0},
    {HTTP_GET, "/api/v1/monitor/stations/{id}/rollups", api_monitor_rollups, ROLES_LOGGED_IN, 0},
    {HTTP_GET, "/api/v1/monitor/stations/{id}/frames", api_monitor_frames, ROLES_BUREAU, 0},
    {HTTP_GET, "/api/v1/monitor/stations/{id}/commands", api_monitor_commands, ROLES_BUREAU, 0},
    {HTTP_POST, "/api/v1/monitor/stations/{id}/commands", api_monitor_command_create, ADMIN | STAFF,
     0},
    {HTTP_POST, "/api/v1/monitor/devices", api_monitor_device_create, ADMIN | STAFF, 0},
    {HTTP_PUT, "/api/v1/monitor/devices/{id}", api_monitor_device_update, ADMIN | STAFF, 0},
    {HTTP_GET, "/api/v1/monitor/unregistered", api_monitor_unregistered, ROLES_BUREAU, 0},
    {HTTP_GET, "/api/v1/monitor/rejected", api_monitor_rejected, ROLES_BUREAU, 0},
    {HTTP_POST, "/api/v1/monitor/unregistered/{mn}/register", api_monitor_register, ADMIN | STAFF,
     0},
    {HTTP_GET, "/api/v1/monitor/health", api_monitor_health, ROLES_LOGGED_IN, 0},
    {HTTP_GET, "/api/v1/monitor/health.xlsx", api_monitor_health_xlsx, ROLES_LOGGED_IN, 0},
    {HTTP_GET, "/api/v1/monitor/alerts", api_monitor_alerts, ROLES_LOGGED_IN, 0},
    {HTTP_GET, "/api/v1/monitor/forward-targets", api_monitor_forward_list, ROLES_BUREAU, 0},
    {HTTP_POST, "/api/v1/monitor/forward-targets", api_monitor_forward_create, ADMIN, 0},
    {HTTP_PATCH, "/api/v1/monitor/forward-targets/{id}", api_monitor_forward_update, ADMIN, 0},
    {HTTP_DELETE, "/api/v1/monitor/forward-targets/{id}", api_monitor_forward_delete, ADMIN, 0},
};

const struct route_group app_monitor_routes = ROUTE_GROUP("monitor", monitor_table);
