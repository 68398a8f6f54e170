/* api_monitor — HTTP handlers of the monitoring module: stations, devices, readings,
 * health, unregistered devices, commands and exports (docs/api.md, docs/monitoring.md).
 * Enterprise users see only their own enterprise's outlets; everything else is for the
 * bureau. */
#include "app/app.h"
#include "app/kit.h"
#include "modules/monitor/monitor.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "domain/hj212.h"
#include "domain/monitor_norm.h"
#include "modules/monitor/relay.h"
#include "net/hj212_server.h"
#include "db/db.h"
#include "modules/monitor/readings.h"

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

static int64_t mon_enterprise(struct http_req *r)
{
    return r->has_session && r->session.user.role == ROLE_ENTERPRISE ? r->session.user.enterprise_id
                                                                     : 0;
}

/* A time bound: UTC seconds, "YYYY-MM-DD" (Beijing midnight) or ISO "YYYY-MM-DDTHH:MM"
 * (Beijing). def when absent; -1 and a 422 when malformed. */
static int64_t mon_time(struct http_req *r, const char *key, int64_t def)
{
    const char *s = http_query(r, key);
    if (!s || !*s)
        return def;
    int64_t t;
    if (strlen(s) == 10 && !timeutil_parse_date(s, &t))
        return t;
    if (strlen(s) == 16 && s[10] == 'T' && s[13] == ':') {
        char d[11];
        memcpy(d, s, 10);
        d[10] = '\0';
        char *e1, *e2;
        long h = strtol(s + 11, &e1, 10), m = strtol(s + 14, &e2, 10);
        if (!timeutil_parse_date(d, &t) && e1 == s + 13 && !*e2 && h >= 0 && h < 24 && m >= 0 &&
            m < 60)
            return t + h * 3600 + m * 60;
    }
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!errno && !*end && v >= 0 && v < 32503680000LL)
        return v;
    http_error(r, ERR_INVALID_FIELD, "时间须为 YYYY-MM-DD、YYYY-MM-DDTHH:MM 或 Unix 秒", key);
    return -1;
}

static int mon_kind(struct http_req *r, int def)
{
    const char *s = http_query(r, "kind");
    if (!s || !*s)
        return def;
    static const char *const names[] = {"", "rtd", "minute", "hour", "day"};
    for (int i = 1; i <= 4; i++)
        if (!strcmp(s, names[i]) || (s[0] == '0' + i && !s[1]))
            return i;
    http_error(r, ERR_INVALID_FIELD, "kind 须为 rtd、minute、hour 或 day", "kind");
    return -1;
}

/* Loads the station and checks the caller may see it; answers 404 itself. */
static json_t *mon_station(struct http_req *r, int64_t *id)
{
    *id = kit_path_id(r, 0);
    if (!*id)
        return NULL;
    json_t *st = monitor_station_get(r->db, *id, mon_enterprise(r), timeutil_now());
    if (!st)
        http_error(r, ERR_NOT_FOUND, "站点不存在", NULL);
    return st;
}

static void api_monitor_stations(struct http_req *r)
{
    struct monitor_station_filter f = {http_query(r, "kind"), http_query(r, "district"),
                                       http_query(r, "q"), mon_enterprise(r), timeutil_now()};
    if ((f.q && strlen(f.q) > 100) || (f.kind && strlen(f.kind) > 32) ||
        (f.district && strlen(f.district) > 64)) {
        http_error(r, ERR_INVALID_FIELD, "查询条件过长", NULL);
        return;
    }
    json_t *list = monitor_station_list(r->db, &f);
    if (!list) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    size_t online = 0;
    size_t i;
    json_t *s;
    json_array_foreach(list, i, s) online += json_is_true(json_object_get(s, "online"));
    http_json(r, 200,
              json_pack("{s:o,s:I,s:I}", "items", list, "total", (json_int_t)json_array_size(list),
                        "online", (json_int_t)online));
}

static void api_monitor_station_create(struct http_req *r)
{
    json_t *in = http_body_json(r);
    if (!in)
        return;
    struct audit_actor actor;
    kit_actor(r, &actor);
    struct problem p = {0};
    int64_t id = 0;
    enum err e = monitor_station_create(r->db, &actor, in, &id, &p);
    json_decref(in);
    if (e) {
        http_problem(r, &p);
        return;
    }
    http_json(r, 201, monitor_station_get(r->db, id, 0, timeutil_now()));
}

static void api_monitor_station_update(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    json_t *in = http_body_json(r);
    if (!in)
        return;
    struct audit_actor actor;
    kit_actor(r, &actor);
    struct problem p = {0};
    enum err e = monitor_station_update(r->db, &actor, id, in, &p);
    json_decref(in);
    if (e) {
        http_problem(r, &p);
        return;
    }
    http_json(r, 200, monitor_station_get(r->db, id, 0, timeutil_now()));
}

static void api_monitor_station_get(struct http_req *r)
{
    int64_t id;
    json_t *st = mon_station(r, &id);
    if (!st)
        return;
    int kind = mon_kind(r, MONITOR_KIND_MINUTE);
    if (kind < 0) {
        json_decref(st);
        return;
    }
    json_t *latest = readings_latest(r->db, id, kind);
    json_object_set_new(st, "latest", latest ? latest : json_array());
    json_object_set_new(st, "latest_kind", json_integer(kind));
    /* the skew beyond which the platform sets a device's clock, for the page to mark it */
    json_object_set_new(st, "clock_tolerance", json_integer(r->app->cfg->hj212_clock_tolerance));
    /* Pollution-source passwords stay in the bureau: enterprise users do not see devices' PWs
     * (never returned anyway) nor their addresses. */
    http_json(r, 200, st);
}

static void api_monitor_latest(struct http_req *r)
{
    int64_t id;
    json_t *st = mon_station(r, &id);
    if (!st)
        return;
    json_decref(st);
    int kind = mon_kind(r, MONITOR_KIND_MINUTE);
    if (kind < 0)
        return;
    json_t *latest = readings_latest(r->db, id, kind);
    if (!latest) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_json(
        r, 200,
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
    json_t *st = mon_station(r, &q->station);
    if (!st)
        return -1;
    json_decref(st);
    q->factor = http_query(r, "factor");
    if (!q->factor || !*q->factor || strlen(q->factor) >= MONITOR_FACTOR_MAX) {
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
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    const struct monitor_factor *f = monitor_factor_find(q.factor);
    http_json(r, 200,
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
        http_error(r, ERR_INVALID_FIELD, "汇总只有 hour 和 day", "kind");
        return;
    }
    json_t *items = readings_rollups(r->db, q.station, q.factor, q.kind, q.from, q.to, 10000);
    if (!items) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_json(r, 200,
              json_pack("{s:I,s:s,s:i,s:o}", "station_id", (json_int_t)q.station, "factor",
                        q.factor, "kind", q.kind, "items", items));
}

/* Sends a temporary file (already written at path) and removes it. */
static void mon_send_file(struct http_req *r, const char *path, const char *ctype,
                          const char *disposition)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    unlink(path);
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) {
        if (fd >= 0)
            close(fd);
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_add_header(r, "Content-Disposition", disposition);
    http_fd(r, 200, fd, (uint64_t)st.st_size, ctype);
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
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    fputs("\xEF\xBB\xBFtime,factor,value,min,max,cou,flag,qual,valid\r\n", f);
    int64_t after = 0, next = 0;
    size_t total = 0;
    do {
        json_t *items =
            readings_series(r->db, q.station, q.factor, q.kind, q.from, q.to, after, 5000, &next);
        size_t i;
        json_t *o;
        json_array_foreach(items, i, o)
        {
            json_t *mn = json_object_get(o, "min"), *mx = json_object_get(o, "max"),
                   *cou = json_object_get(o, "cou");
            fprintf(f, "%s,%s,%.10g,", json_string_value(json_object_get(o, "time")), q.factor,
                    json_real_value(json_object_get(o, "value")));
            if (mn)
                fprintf(f, "%.10g", json_real_value(mn));
            fputc(',', f);
            if (mx)
                fprintf(f, "%.10g", json_real_value(mx));
            fputc(',', f);
            if (cou)
                fprintf(f, "%.10g", json_real_value(cou));
            fprintf(f, ",%s,%lld,%d\r\n", json_string_value(json_object_get(o, "flag")),
                    (long long)json_integer_value(json_object_get(o, "qual")),
                    json_is_true(json_object_get(o, "valid")));
            total++;
        }
        json_decref(items);
        after = next;
    } while (next && total < MON_EXPORT_MAX);
    fclose(f);
    mon_send_file(r, path, "text/csv; charset=utf-8", "attachment; filename=\"readings.csv\"");
}

static void api_monitor_frames(struct http_req *r)
{
    int64_t id;
    json_t *st = mon_station(r, &id);
    if (!st)
        return;
    json_decref(st);
    int64_t before = kit_query_id(r, "before"), next = 0;
    if (before < 0)
        return;
    json_t *items = readings_frames(r->db, id, before, kit_limit(r, 50, 500), &next);
    if (!items) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_json(
        r, 200,
        json_pack("{s:o,s:o}", "items", items, "next", next ? json_integer(next) : json_null()));
}

static void api_monitor_device_create(struct http_req *r)
{
    json_t *in = http_body_json(r);
    if (!in)
        return;
    struct audit_actor actor;
    kit_actor(r, &actor);
    struct problem p = {0};
    int64_t id = 0;
    enum err e = monitor_device_create(r->db, &actor, in, &id, &p);
    json_decref(in);
    if (e) {
        http_problem(r, &p);
        return;
    }
    http_json(r, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

static void api_monitor_device_update(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    json_t *in = http_body_json(r);
    if (!in)
        return;
    struct audit_actor actor;
    kit_actor(r, &actor);
    struct problem p = {0};
    enum err e = monitor_device_update(r->db, &actor, id, in, &p);
    json_decref(in);
    if (e) {
        http_problem(r, &p);
        return;
    }
    http_json(r, 200, json_pack("{s:I}", "id", (json_int_t)id));
}

static void api_monitor_unregistered(struct http_req *r)
{
    json_t *items = monitor_unregistered_list(r->db, kit_limit(r, 200, 1000));
    if (!items) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_json(r, 200, json_pack("{s:o}", "items", items));
}

static void api_monitor_register(struct http_req *r)
{
    const char *mn = r->params[0];
    if (!mn || !*mn || strlen(mn) > 64) {
        http_error(r, ERR_NOT_FOUND, NULL, NULL);
        return;
    }
    json_t *in = http_body_json(r);
    if (!in)
        return;
    struct audit_actor actor;
    kit_actor(r, &actor);
    struct problem p = {0};
    int64_t id = 0;
    enum err e = monitor_register_unregistered(r->db, &actor, mn, in, &id, &p);
    json_decref(in);
    if (e) {
        http_problem(r, &p);
        return;
    }
    http_json(r, 201, json_pack("{s:I}", "id", (json_int_t)id));
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
    http_json(r, 200, json_pack("{s:o,s:o}", "factors", arr, "kinds", kinds));
}

/* ---- health ---- */

/* One row per station for the Beijing day `day`: expected, received, valid and the rates. */
static json_t *mon_health(struct http_req *r, int64_t day)
{
    struct monitor_station_filter f = {http_query(r, "kind"), http_query(r, "district"), NULL,
                                       mon_enterprise(r), timeutil_now()};
    json_t *stations = monitor_station_list(r->db, &f);
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

static int64_t mon_day(struct http_req *r)
{
    const char *d = http_query(r, "date");
    int64_t day;
    if (!d || !*d) {
        char today[16];
        timeutil_format_date(timeutil_now(), today, sizeof today);
        timeutil_parse_date(today, &day);
        return day;
    }
    if (strlen(d) != 10 || timeutil_parse_date(d, &day)) {
        http_error(r, ERR_INVALID_FIELD, "日期须为 YYYY-MM-DD", "date");
        return -1;
    }
    return day;
}

static void api_monitor_health(struct http_req *r)
{
    int64_t day = mon_day(r);
    if (day < 0)
        return;
    json_t *items = mon_health(r, day);
    if (!items) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    char date[16];
    timeutil_format_date(day, date, sizeof date);
    http_json(r, 200, json_pack("{s:s,s:o}", "date", date, "items", items));
}

static void api_monitor_health_xlsx(struct http_req *r)
{
    int64_t day = mon_day(r);
    if (day < 0)
        return;
    json_t *items = mon_health(r, day);
    char path[HTTP_TEMP_PATH];
    if (!items || mon_tmp(path, "health")) {
        json_decref(items);
        http_error(r, ERR_INTERNAL, NULL, NULL);
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
        http_error(r, ERR_INTERNAL, NULL, NULL);
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
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    mon_send_file(r, path, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  "attachment; filename=\"health.xlsx\"");
}

static void api_monitor_alerts(struct http_req *r)
{
    sqlite3_stmt *st = db_stmt(r->db, "SELECT a.id, a.station_id, s.code, s.name, a.kind, a.ts, "
                                      "a.detail FROM monitor_alerts a JOIN stations s ON "
                                      "s.id = a.station_id WHERE (?1 = 0 OR s.enterprise_id = ?1) "
                                      "ORDER BY a.id DESC LIMIT ?2");
    if (!st) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    sqlite3_bind_int64(st, 1, mon_enterprise(r));
    sqlite3_bind_int(st, 2, kit_limit(r, 100, 1000));
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        char iso[32];
        timeutil_format_iso(sqlite3_column_int64(st, 5), iso, sizeof iso);
        json_array_append_new(arr, json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s}", "id",
                                             (json_int_t)sqlite3_column_int64(st, 0), "station_id",
                                             (json_int_t)sqlite3_column_int64(st, 1), "code",
                                             (const char *)sqlite3_column_text(st, 2), "name",
                                             (const char *)sqlite3_column_text(st, 3), "kind",
                                             (const char *)sqlite3_column_text(st, 4), "time", iso,
                                             "detail", (const char *)sqlite3_column_text(st, 6)));
    }
    sqlite3_reset(st);
    http_json(r, 200, json_pack("{s:o}", "items", arr));
}

static void api_monitor_status(struct http_req *r)
{
    struct hj212_server *s = hj212_server_current();
    if (!s) {
        http_json(r, 200, json_pack("{s:b}", "listening", 0));
        return;
    }
    struct hj212_server_stats st;
    hj212_server_get_stats(s, &st);
    http_json(r, 200,
              json_pack("{s:b,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "listening", 1,
                        "connections", (json_int_t)st.open, "accepted", (json_int_t)st.accepted,
                        "refused_connections", (json_int_t)st.refused_conns, "frames_ok",
                        (json_int_t)st.frames_ok, "frames_bad_crc", (json_int_t)st.frames_bad_crc,
                        "frames_rejected", (json_int_t)st.frames_rejected, "unregistered",
                        (json_int_t)st.unregistered, "acks_sent", (json_int_t)st.acks_sent,
                        "values", (json_int_t)st.values, "timeouts", (json_int_t)st.timeouts,
                        "flood_pauses", (json_int_t)st.flood_pauses));
}

/* ---- commands ---- */

static void api_monitor_commands(struct http_req *r)
{
    int64_t id;
    json_t *stn = mon_station(r, &id);
    if (!stn)
        return;
    json_decref(stn);
    sqlite3_stmt *st = db_stmt(r->db, "SELECT id, device_id, cn, qn, purpose, params, status, "
                                      "qn_rtn, exe_rtn, tries, exchange, created_by, created_at, "
                                      "updated_at FROM monitor_commands WHERE station_id = ? "
                                      "ORDER BY id DESC LIMIT ?");
    if (!st) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, kit_limit(r, 50, 500));
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *o = json_object();
        static const char *const names[] = {
            "id",     "device_id", "cn",    "qn",       "purpose",    "params",     "status",
            "qn_rtn", "exe_rtn",   "tries", "exchange", "created_by", "created_at", "updated_at"};
        for (int c = 0; c < 14; c++) {
            int t = sqlite3_column_type(st, c);
            json_t *v = t == SQLITE_NULL ? json_null()
                        : t == SQLITE_INTEGER
                            ? json_integer(sqlite3_column_int64(st, c))
                            : json_string((const char *)sqlite3_column_text(st, c));
            if (c == 5 || c == 10) {
                json_t *parsed = json_loads((const char *)sqlite3_column_text(st, c), 0, NULL);
                json_decref(v);
                v = parsed ? parsed : json_null();
            }
            json_object_set_new(o, names[c], v ? v : json_null());
        }
        json_array_append_new(arr, o);
    }
    sqlite3_reset(st);
    http_json(r, 200, json_pack("{s:o}", "items", arr));
}

/* The device a command goes to: body.device_id or the station's first active device. */
struct mon_target {
    int64_t device_id;
    char mn[65], pw[65], st[3];
    int version;
};

static int mon_target(struct http_req *r, int64_t station, json_t *in, struct mon_target *t)
{
    json_t *dv = json_object_get(in, "device_id");
    sqlite3_stmt *st = db_stmt(r->db, "SELECT d.id, d.mn, d.pw, d.edition, s.kind FROM devices d "
                                      "JOIN stations s ON s.id = d.station_id WHERE "
                                      "d.station_id = ?1 AND d.active AND (?2 = 0 OR d.id = ?2) "
                                      "ORDER BY d.id LIMIT 1");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, station);
    sqlite3_bind_int64(st, 2, json_is_integer(dv) ? json_integer_value(dv) : 0);
    int rc = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        t->device_id = sqlite3_column_int64(st, 0);
        snprintf(t->mn, sizeof t->mn, "%s", (const char *)sqlite3_column_text(st, 1));
        snprintf(t->pw, sizeof t->pw, "%s", (const char *)sqlite3_column_text(st, 2));
        const char *ed = (const char *)sqlite3_column_text(st, 3);
        t->version = ed && !strcmp(ed, "2005") ? 0 : 1;
        const char *kind = (const char *)sqlite3_column_text(st, 4);
        snprintf(t->st, sizeof t->st, "%s",
                 !strcmp(kind, "water")          ? "21"
                 : !strcmp(kind, "source_gas")   ? "31"
                 : !strcmp(kind, "source_water") ? "32"
                                                 : "22");
        rc = 0;
    }
    sqlite3_reset(st);
    return rc;
}

static void api_monitor_command_create(struct http_req *r)
{
    int64_t id;
    json_t *stn = mon_station(r, &id);
    if (!stn)
        return;
    json_decref(stn);
    json_t *in = http_body_json(r);
    if (!in)
        return;
    struct mon_target t;
    int cn = json_is_integer(json_object_get(in, "cn"))
                 ? (int)json_integer_value(json_object_get(in, "cn"))
                 : 0;
    if (mon_target(r, id, in, &t)) {
        json_decref(in);
        http_error(r, ERR_INVALID_FIELD, "站点没有可用的设备", "device_id");
        return;
    }
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct hj212_time ht;
    hj212_time_from_unix(now.tv_sec, (int)(now.tv_nsec / 1000000), &ht);
    char qn[HJ212_TIME_BUF];
    hj212_time_format(&ht, 1, qn);
    struct hj212_peer peer = {t.version, hj212_str_c(t.st), hj212_str_c(t.pw), hj212_str_c(t.mn)};
    char frame[HJ212_FRAME_MAX + 1];
    size_t len = 0;
    enum hj212_err he = HJ212_BAD_VALUE;
    json_t *value = json_object_get(in, "value");
    const char *purpose = "command";
    switch (cn) {
    case 1011:
        he = hj212_encode_get_time(frame, sizeof frame, &peer, hj212_str_c(qn), hj212_str_c(NULL),
                                   &len);
        break;
    case 1012:
        he = hj212_encode_set_time(frame, sizeof frame, &peer, hj212_str_c(qn), hj212_str_c(NULL),
                                   &ht, &len);
        break;
    case 1062:
        he = json_is_integer(value)
                 ? hj212_encode_set_rtd_interval(frame, sizeof frame, &peer, hj212_str_c(qn),
                                                 (int)json_integer_value(value), &len)
                 : HJ212_BAD_VALUE;
        break;
    case 1064:
        he = json_is_integer(value)
                 ? hj212_encode_set_min_interval(frame, sizeof frame, &peer, hj212_str_c(qn),
                                                 (int)json_integer_value(value), &len)
                 : HJ212_BAD_VALUE;
        break;
    case 2031:
    case 2051:
    case 2061: {
        purpose = "backfill";
        const char *b = json_string_value(json_object_get(in, "begin"));
        const char *e = json_string_value(json_object_get(in, "end"));
        struct hj212_time tb, te;
        if (b && e && !hj212_time_parse(hj212_str_c(b), &tb) &&
            !hj212_time_parse(hj212_str_c(e), &te) &&
            hj212_time_to_unix(&tb) <= hj212_time_to_unix(&te) &&
            hj212_time_to_unix(&te) - hj212_time_to_unix(&tb) <= 7 * 86400)
            he = hj212_encode_history(frame, sizeof frame, &peer, hj212_str_c(qn), cn, &tb, &te,
                                      &len);
        break;
    }
    default:
        break;
    }
    if (he != HJ212_OK) {
        json_decref(in);
        http_error(r, ERR_INVALID_FIELD,
                   "命令须为 1011、1012、1062（value 30-3600 秒）、1064（value 分钟）或 "
                   "2031/2051/2061（begin、end 为 14 位北京时间，最长 7 天）",
                   "cn");
        return;
    }
    /* Back-fill requests are rate-limited: one outstanding per device. */
    if (!strcmp(purpose, "backfill")) {
        sqlite3_stmt *busy = db_stmt(r->db, "SELECT count(*) FROM monitor_commands WHERE "
                                            "device_id = ? AND purpose = 'backfill' AND status IN "
                                            "('queued', 'sent', 'accepted') AND created_at > ?");
        int n = 0;
        if (busy) {
            sqlite3_bind_int64(busy, 1, t.device_id);
            sqlite3_bind_int64(busy, 2, timeutil_now() - 300);
            if (sqlite3_step(busy) == SQLITE_ROW)
                n = sqlite3_column_int(busy, 0);
            sqlite3_reset(busy);
        }
        if (n) {
            json_decref(in);
            http_error(r, ERR_TOO_MANY_ATTEMPTS, "该设备已有进行中的补传请求", "cn");
            return;
        }
    }
    char *params = json_dumps(in, JSON_COMPACT);
    json_decref(in);
    struct audit_actor actor;
    kit_actor(r, &actor);
    sqlite3_stmt *ins = db_stmt(r->db, "INSERT INTO monitor_commands (device_id, station_id, cn, "
                                       "qn, purpose, params, status, created_by, created_at, "
                                       "updated_at) VALUES (?,?,?,?,?,?,'queued',?,?,?)");
    int64_t cmd = 0;
    if (ins && !db_begin(r->db)) {
        sqlite3_bind_int64(ins, 1, t.device_id);
        sqlite3_bind_int64(ins, 2, id);
        sqlite3_bind_int(ins, 3, cn);
        sqlite3_bind_text(ins, 4, qn, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 5, purpose, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 6, params, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 7, actor.name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 8, timeutil_now());
        sqlite3_bind_int64(ins, 9, timeutil_now());
        int rc = sqlite3_step(ins);
        sqlite3_reset(ins);
        cmd = rc == SQLITE_DONE ? sqlite3_last_insert_rowid(db_handle(r->db)) : 0;
        char eid[24];
        snprintf(eid, sizeof eid, "%lld", (long long)cmd);
        json_t *detail =
            json_pack("{s:i,s:s,s:I}", "cn", cn, "qn", qn, "device_id", (json_int_t)t.device_id);
        if (!cmd || audit_append(r->db, &actor, "device.command", "command", eid, detail) ||
            db_commit(r->db)) {
            db_rollback(r->db);
            cmd = 0;
        }
        json_decref(detail);
    }
    free(params);
    if (!cmd) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    struct hj212_server *srv = hj212_server_current();
    if (!srv || hj212_server_request(srv, t.device_id, cmd, qn, cn, frame, len)) {
        http_error(r, ERR_UNAVAILABLE, "设备接入服务未运行", NULL);
        return;
    }
    http_json(r, 201, json_pack("{s:I,s:s,s:i}", "id", (json_int_t)cmd, "qn", qn, "cn", cn));
}

/* ---- forward targets ---- */

/* Adds what the relay knows of a target: state (inactive, unknown = no relay running,
 * pending = not loaded yet, connected, error = retrying after a failure, idle = no connection
 * open, nothing to send), last_ok, last_error, last_error_at, retry_at. */
static void mon_forward_state(json_t *o, struct hj212_relay *relay)
{
    struct hj212_relay_target_state st;
    const char *state;
    int known = 0;
    if (!json_is_true(json_object_get(o, "active")))
        state = "inactive";
    else if (!relay)
        state = "unknown";
    else if (hj212_relay_target_state(relay, json_integer_value(json_object_get(o, "id")), &st))
        state = "pending";
    else {
        known = 1;
        state = st.connected                                         ? "connected"
                : st.last_error_at && st.last_error_at >= st.last_ok ? "error"
                                                                     : "idle";
    }
    json_object_set_new(o, "state", json_string(state));
    json_object_set_new(o, "last_ok", known && st.last_ok ? json_integer(st.last_ok) : json_null());
    json_object_set_new(o, "last_error_at",
                        known && st.last_error_at ? json_integer(st.last_error_at) : json_null());
    json_object_set_new(o, "last_error",
                        known && st.last_error_at ? json_string(st.last_error) : json_null());
    json_object_set_new(o, "retry_at",
                        known && !st.connected && st.retry_at > timeutil_now()
                            ? json_integer(st.retry_at)
                            : json_null());
}

static struct hj212_relay *mon_relay(void)
{
    return hj212_server_relay(hj212_server_current());
}

static json_t *mon_forward_one(struct http_req *r, int64_t id)
{
    json_t *items = monitor_forward_list(r->db), *found = NULL;
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o) if (json_integer_value(json_object_get(o, "id")) == id)
    {
        found = json_incref(o);
        mon_forward_state(found, mon_relay());
    }
    json_decref(items);
    return found;
}

static void api_monitor_forward_list(struct http_req *r)
{
    json_t *items = monitor_forward_list(r->db);
    if (!items) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    struct hj212_relay *relay = mon_relay();
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o) mon_forward_state(o, relay);
    http_json(r, 200, json_pack("{s:o,s:b}", "items", items, "relay", relay != NULL));
}

/* After a write to forward_targets: the relay picks it up at once, the caller gets the
 * target as it now is. */
static void mon_forward_written(struct http_req *r, int64_t id, int status)
{
    hj212_relay_reload(mon_relay());
    json_t *o = mon_forward_one(r, id);
    if (!o)
        http_error(r, ERR_INTERNAL, NULL, NULL);
    else
        http_json(r, status, o);
}

/* A forward target from the body: created (id 0) or updated, audited, then answered as it
 * now is. */
static void mon_forward_write(struct http_req *r, int64_t id, int status)
{
    json_t *in = http_body_json(r);
    if (!in)
        return;
    struct audit_actor actor;
    kit_actor(r, &actor);
    struct problem p = {0};
    enum err e = id ? monitor_forward_update(r->db, &actor, id, in, &p)
                    : monitor_forward_create(r->db, &actor, in, &id, &p);
    json_decref(in);
    if (e) {
        http_problem(r, &p);
        return;
    }
    mon_forward_written(r, id, status);
}

static void api_monitor_forward_create(struct http_req *r)
{
    mon_forward_write(r, 0, 201);
}

static void api_monitor_forward_update(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (id)
        mon_forward_write(r, id, 200);
}

static void api_monitor_forward_delete(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    struct audit_actor actor;
    kit_actor(r, &actor);
    struct problem p = {0};
    if (monitor_forward_delete(r->db, &actor, id, &p)) {
        http_problem(r, &p);
        return;
    }
    hj212_relay_reload(mon_relay());
    http_json(r, 200, json_pack("{s:I,s:b}", "id", (json_int_t)id, "deleted", 1));
}

static const struct route monitor_table[] = {
    {HTTP_GET, "/api/v1/monitor/factors", api_monitor_factors, ROLES_LOGGED_IN, 0},
    {HTTP_GET, "/api/v1/monitor/status", api_monitor_status, ROLES_BUREAU, 0},
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
