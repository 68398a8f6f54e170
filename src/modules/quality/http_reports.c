/* http_reports — the daily and monthly air-quality reports as Excel
 * (libxlsxwriter): one row per area (city, districts) and official station,
 * with the day's AQI, category, primary pollutants and concentrations, or the
 * month's means, good days, days by AQI level, composite index with its rank
 * among the districts or the stations, and the completeness label. Public,
 * like the printable pages (/air/report, /air/report/monthly). */
#include "app/app.h"
#include "app/kit.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "domain/role.h"
#include "modules/jobs/jobs.h"
#include "modules/quality/http.h"
#include "modules/quality/quality.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

static const char *const report_cols[] = {"so2", "no2", "co", "o3_8h", "pm10", "pm25"};
static const char *const month_cols[] = {"so2", "no2", "co", "o3", "pm10", "pm25"};

/* The scopes of a report: the city, its districts, then the official stations. */
static json_t *report_scopes(struct db *db)
{
    json_t *a = json_array();
    json_array_append_new(a, json_pack("{ss sI ss ss}", "label", "全市", "id", (json_int_t)0,
                                       "area", QUALITY_CITY, "group", "city"));
    json_t *districts = quality_districts(db);
    size_t i;
    json_t *s;
    json_array_foreach(districts, i, s)
    {
        const char *d = json_string_value(json_object_get(s, "district"));
        json_array_append_new(a, json_pack("{ss sI ss ss}", "label", d, "id", (json_int_t)0, "area",
                                           d, "group", "district"));
    }
    json_decref(districts);
    json_t *stations = quality_stations(db, "official");
    json_array_foreach(stations, i, s) json_array_append_new(
        a, json_pack("{ss sI ss ss}", "label", json_string_value(json_object_get(s, "name")), "id",
                     json_integer_value(json_object_get(s, "id")), "area", "", "group", "station"));
    json_decref(stations);
    return a;
}

/* A figure of the monthly evaluation: the 95th/90th percentile for CO and O3,
 * the mean for the others (the columns of the bureau's monthly form). */
static json_t *report_month_figure(json_t *mo, int c)
{
    json_t *it = json_object_get(json_object_get(mo, "items"), month_cols[c]);
    return c == 2 || c == 3 ? json_object_get(it, "percentile") : json_object_get(it, "mean");
}

/* The completeness label of a month: the figures short of their minimum
 * number of valid days ("PM2.5 20/27"), or "有效" when none is. A short
 * figure is still shown; the label says why it is not a valid statistic. */
static void report_completeness(json_t *mo, char *out, size_t len)
{
    static const char *const names[] = {"SO2", "NO2", "CO", "O3", "PM10", "PM2.5"};
    size_t used = 0;
    out[0] = 0;
    for (int c = 0; c < 6 && used < len; c++) {
        json_t *f = report_month_figure(mo, c);
        if (!f || json_is_true(json_object_get(f, "valid")))
            continue;
        int w = snprintf(out + used, len - used, "%s%s %lld/%lld", used ? "；" : "", names[c],
                         (long long)json_integer_value(json_object_get(f, "n")),
                         (long long)json_integer_value(json_object_get(f, "need")));
        if (w < 0)
            break;
        used += (size_t)w;
    }
    if (!mo)
        snprintf(out, len, "无数据");
    else if (!out[0])
        snprintf(out, len, "有效");
}

/* Ranks by the composite index within each group (districts, stations):
 * ascending, rank 1 = cleanest, equal indexes share a rank; a month without
 * a composite index (incomplete) has no rank (0). */
static void report_month_ranks(json_t *scopes, json_t **months, int *rank)
{
    size_t n = json_array_size(scopes);
    for (size_t i = 0; i < n; i++) {
        rank[i] = 0;
        json_t *si = json_array_get(scopes, i);
        const char *gi = json_string_value(json_object_get(si, "group"));
        json_t *ci = json_object_get(months[i], "composite_index");
        if (!strcmp(gi, "city") || !json_is_number(ci))
            continue;
        int r = 1;
        for (size_t j = 0; j < n; j++) {
            json_t *cj = json_object_get(months[j], "composite_index");
            if (j != i &&
                !strcmp(gi,
                        json_string_value(json_object_get(json_array_get(scopes, j), "group"))) &&
                json_is_number(cj) && json_number_value(cj) < json_number_value(ci))
                r++;
        }
        rank[i] = r;
    }
}

/* A report being written: a workbook of one sheet in a private temp file. */
struct report_book {
    char path[HTTP_TEMP_PATH];
    lxw_workbook *wb;
    lxw_worksheet *ws;
};

/* Opens b with the sheet, its title in A1 and the column heads (bold) in row
 * 3, the first column wide for the names. false (answered 500) when the
 * file cannot be made. */
static bool report_open(struct http_req *r, struct report_book *b, const char *sheet,
                        const char *title, const char *const *head, int ncols)
{
    int fd = http_temp_file(b->path, "report");
    b->wb = NULL;
    if (fd >= 0) {
        close(fd);
        if (!(b->wb = workbook_new(b->path)))
            unlink(b->path);
    }
    if (!b->wb) {
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return false;
    }
    b->ws = workbook_add_worksheet(b->wb, sheet);
    lxw_format *bold = workbook_add_format(b->wb);
    format_set_bold(bold);
    worksheet_write_string(b->ws, 0, 0, title, bold);
    for (int c = 0; c < ncols; c++)
        worksheet_write_string(b->ws, 2, (lxw_col_t)c, head[c], bold);
    worksheet_set_column(b->ws, 0, 0, 24, NULL);
    return true;
}

/* Writes b out and answers with it as filename (500 when it cannot be
 * written). */
static void report_send(struct http_req *r, struct report_book *b, const char *filename)
{
    if (workbook_close(b->wb) != LXW_NO_ERROR) {
        unlink(b->path);
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    char cd[160];
    snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", filename);
    quality_http_cors(r);
    kit_file(r, b->path, KIT_XLSX, cd);
}

static void report_cell(lxw_worksheet *ws, int row, int col, json_t *v)
{
    if (json_is_number(v))
        worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, json_number_value(v), NULL);
    else if (json_is_string(v))
        worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, json_string_value(v), NULL);
    else
        worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, "—", NULL);
}

static void api_report_daily(struct http_req *r)
{
    int32_t day;
    if (kit_query_day(r, "date", timeutil_today() - 1, &day))
        return;
    static const char *const head[] = {"区域/站点", "AQI", "级别",  "类别", "首要污染物", "SO2",
                                       "NO2",       "CO",  "O3-8h", "PM10", "PM2.5",      "标准"};
    char date[24], title[96];
    int y, m, d;
    timeutil_civil_from_days(day, &y, &m, &d);
    snprintf(date, sizeof date, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
    snprintf(title, sizeof title, "景瓷市环境空气质量日报 %s", date);
    struct report_book b;
    if (!report_open(r, &b, "日报", title, head, 12))
        return;
    lxw_worksheet *ws = b.ws;
    json_t *scopes = report_scopes(r->db);
    size_t i;
    json_t *s;
    int row = 3;
    json_array_foreach(scopes, i, s)
    {
        struct quality_scope sc = {json_integer_value(json_object_get(s, "id")),
                                   json_string_value(json_object_get(s, "area"))};
        json_t *days = quality_daily_series(r->db, &sc, day, day);
        json_t *x = json_array_get(days, 0);
        worksheet_write_string(ws, (lxw_row_t)row, 0,
                               json_string_value(json_object_get(s, "label")), NULL);
        if (x) {
            report_cell(ws, row, 1, json_object_get(x, "aqi"));
            report_cell(ws, row, 2, json_object_get(x, "level"));
            report_cell(ws, row, 3, json_object_get(x, "category"));
            json_t *p = json_object_get(x, "primary");
            char prim[64] = "";
            size_t k;
            json_t *pv;
            json_array_foreach(p, k, pv) snprintf(prim + strlen(prim), sizeof prim - strlen(prim),
                                                  "%s%s", k ? "+" : "", json_string_value(pv));
            worksheet_write_string(ws, (lxw_row_t)row, 4, *prim ? prim : "—", NULL);
            for (int c = 0; c < 6; c++)
                report_cell(
                    ws, row, 5 + c,
                    json_object_get(json_object_get(json_object_get(x, "values"), report_cols[c]),
                                    "value"));
            report_cell(ws, row, 11, json_object_get(x, "standard"));
        }
        json_decref(days);
        row++;
    }
    json_decref(scopes);
    char name[64];
    snprintf(name, sizeof name, "air-daily-%s.xlsx", date);
    report_send(r, &b, name);
}

static void api_report_monthly(struct http_req *r)
{
    int y, m, d;
    int64_t year, month;
    timeutil_civil_from_days(timeutil_today(), &y, &m, &d);
    if (kit_query_int(r, "year", 2000, 2100, y, &year) ||
        kit_query_int(r, "month", 1, 12, m, &month))
        return;
    /* the first eleven columns as before; ranks, days by AQI level and the
     * completeness label after them (the printable page shows the same) */
    static const char *const head[] = {
        "区域/站点", "SO2",      "NO2",      "CO-95per", "O3-8h-90per",  "PM10", "PM2.5",
        "有效天",    "优良天",   "优良率%",  "综合指数", "综合指数排名", "优",   "良",
        "轻度污染",  "中度污染", "重度污染", "严重污染", "数据完整性"};
    char title[96];
    snprintf(title, sizeof title, "景瓷市环境空气质量月报 %04d年%02d月", (int)year, (int)month);
    struct report_book b;
    if (!report_open(r, &b, "月报", title, head, 19))
        return;
    lxw_worksheet *ws = b.ws;
    worksheet_set_column(ws, 18, 18, 30, NULL);
    json_t *scopes = report_scopes(r->db);
    size_t n = json_array_size(scopes);
    json_t **months = xcalloc(n ? n : 1, sizeof *months);
    int *rank = xcalloc(n ? n : 1, sizeof *rank);
    for (size_t i = 0; i < n; i++) {
        json_t *s = json_array_get(scopes, i);
        struct quality_scope sc = {json_integer_value(json_object_get(s, "id")),
                                   json_string_value(json_object_get(s, "area"))};
        months[i] = quality_monthly(r->db, &sc, (int)year, (int)month);
    }
    report_month_ranks(scopes, months, rank);
    for (size_t i = 0; i < n; i++) {
        json_t *s = json_array_get(scopes, i), *mo = months[i];
        int row = 3 + (int)i;
        worksheet_write_string(ws, (lxw_row_t)row, 0,
                               json_string_value(json_object_get(s, "label")), NULL);
        for (int c = 0; c < 6; c++)
            report_cell(ws, row, 1 + c, json_object_get(report_month_figure(mo, c), "value"));
        json_t *days = json_object_get(mo, "days");
        report_cell(ws, row, 7, json_object_get(days, "valid"));
        report_cell(ws, row, 8, json_object_get(days, "good"));
        report_cell(ws, row, 9, json_object_get(days, "good_ratio"));
        report_cell(ws, row, 10, json_object_get(mo, "composite_index"));
        if (rank[i])
            worksheet_write_number(ws, (lxw_row_t)row, 11, rank[i], NULL);
        else
            worksheet_write_string(ws, (lxw_row_t)row, 11, "—", NULL);
        for (int k = 0; k < 6; k++)
            report_cell(ws, row, 12 + k,
                        json_array_get(json_object_get(days, "levels"), (size_t)k));
        char label[200];
        report_completeness(mo, label, sizeof label);
        worksheet_write_string(ws, (lxw_row_t)row, 18, label, NULL);
        json_decref(mo);
    }
    free(months);
    free(rank);
    json_decref(scopes);
    char name[64];
    snprintf(name, sizeof name, "air-monthly-%04d-%02d.xlsx", (int)year, (int)month);
    report_send(r, &b, name);
}

/* The annual evaluation report as a job (annual_job.c): 201 with the job,
 * whose result is the workbook. */
static void api_report_annual_job(struct http_req *r)
{
    int y, m, d;
    int64_t year, id = 0;
    timeutil_civil_from_days(timeutil_today(), &y, &m, &d);
    if (kit_query_int(r, "year", 2000, 2100, y, &year))
        return;
    struct jobs_viewer owner = {r->session.user.id, r->session.user.username,
                                r->session.user.role == ROLE_ADMIN};
    struct problem p = {0};
    enum err e = quality_annual_job_submit(r->db, &owner, (int)year, &id, &p);
    char location[64];
    snprintf(location, sizeof location, "/api/v1/jobs/%lld", (long long)id);
    json_t *job = e == ERR_OK ? jobs_get(r->db, id, NULL, &e) : NULL;
    kit_created_at(r, location, e, &p, job);
}

static const struct route report_table[] = {
    {HTTP_GET, "/api/v1/quality/reports/daily.xlsx", api_report_daily, ROLES_ANY, 0},
    {HTTP_GET, "/api/v1/quality/reports/monthly.xlsx", api_report_monthly, ROLES_ANY, 0},
    {HTTP_POST, "/api/v1/quality/reports/annual-jobs", api_report_annual_job, ROLES_BUREAU, 0},
};

const struct route_group app_quality_report_routes = ROUTE_GROUP("quality-reports", report_table);
