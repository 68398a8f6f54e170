/* response summary — the report after a warning: how long it lasted at each
 * level, the city's daily AQI over it, measures confirmed, spot checks, and
 * the reductions the list promised (each level's totals for the hours it was
 * in force) beside those measured at the monitored outlets; as JSON and as
 * an xlsx workbook. */
#include "modules/response/rules.h"
#include "modules/response/store_episode.h"

#include "core/timeutil.h"
#include "modules/quality/quality.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

static const char *const resp_sum_keys[4] = {"so2", "nox", "pm", "vocs"};

/* The level totals (resp_list_totals) of one level. */
static json_t *resp_totals_at(json_t *totals, const char *level)
{
    size_t i;
    json_t *l;
    json_array_foreach(
        json_object_get(totals, "levels"), i,
        l) if (!strcmp(json_string_value(json_object_get(l, "level")), level)) return l;
    return NULL;
}

/* Hours at each level and the estimated reductions (kg) over them. */
static json_t *resp_estimate(json_t *events, json_t *totals, int64_t end, double *hours_out)
{
    double est[4] = {0};
    json_t *hours = json_object();
    double total_h = 0;
    size_t n = json_array_size(events);
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(events, i);
        const char *level = json_string_value(json_object_get(e, "level_to"));
        if (!level)
            continue; /* lift */
        int64_t from = json_integer_value(json_object_get(e, "effective_at"));
        int64_t to =
            i + 1 < n
                ? json_integer_value(json_object_get(json_array_get(events, i + 1), "effective_at"))
                : end;
        double h = to > from ? (double)(to - from) / 3600 : 0;
        total_h += h;
        json_object_set_new(hours, level,
                            json_real(json_number_value(json_object_get(hours, level)) + h));
        json_t *lt = resp_totals_at(totals, level);
        for (int k = 0; k < 4 && lt; k++)
            est[k] += json_number_value(
                          json_object_get(json_object_get(lt, resp_sum_keys[k]), "reduction")) *
                      h / 24;
    }
    *hours_out = total_h;
    json_t *o = json_pack("{so}", "hours_by_level", hours);
    for (int k = 0; k < 4; k++)
        json_object_set_new(o, resp_sum_keys[k], json_real(round(est[k] * 10) / 10));
    return o;
}

/* Per factor: outlets compared, flagged, mean expected and measured cut. */
static json_t *resp_measured(json_t *rows)
{
    json_t *o = json_object();
    for (int k = 0; k < 3; k++) {
        int n = 0, flagged = 0;
        double exp = 0, got = 0;
        size_t i;
        json_t *r;
        json_array_foreach(rows, i, r)
        {
            if (strcmp(json_string_value(json_object_get(r, "factor")), resp_sum_keys[k]))
                continue;
            n++;
            flagged += !json_integer_value(json_object_get(r, "complies"));
            exp += json_number_value(json_object_get(r, "expected_pct"));
            got += json_number_value(json_object_get(r, "measured_pct"));
        }
        json_object_set_new(o, resp_sum_keys[k],
                            json_pack("{si si sf sf}", "outlets", n, "flagged", flagged,
                                      "expected_pct", n ? round(exp / n * 10) / 10 : 0.0,
                                      "measured_pct", n ? round(got / n * 10) / 10 : 0.0));
    }
    return o;
}

json_t *resp_warning_summary(struct db *db, int64_t warning_id, int64_t now)
{
    json_t *w = resp_warning_get(db, warning_id);
    if (!w)
        return NULL;
    int64_t from = json_integer_value(json_object_get(w, "effective_at"));
    json_t *lifted = json_object_get(w, "lifted_at");
    int64_t end = json_is_integer(lifted) ? json_integer_value(lifted) : now;
    json_t *totals = resp_list_totals(db);
    double hours = 0;
    json_t *estimated =
        totals ? resp_estimate(json_object_get(w, "events"), totals, end, &hours) : json_object();
    json_decref(totals);
    struct quality_scope city = {0, RESP_CITY};
    json_t *aqi = quality_daily_series(db, &city, timeutil_day_of(from), timeutil_day_of(end));
    json_t *course = json_array();
    size_t i;
    json_t *d;
    json_array_foreach(aqi, i, d) json_array_append_new(
        course, json_pack("{sO sO sO}", "date", json_object_get(d, "date"), "aqi",
                          json_object_get(d, "aqi"), "level", json_object_get(d, "level")));
    json_decref(aqi);
    json_t *tasks = resp_warning_tasks(db, warning_id);
    json_t *mon = resp_store_monitoring(db, warning_id);
    json_t *checks = resp_store_checks(db, warning_id);
    return json_pack("{so sf so so so so so so}", "warning", w, "duration_hours",
                     round(hours * 10) / 10, "aqi", course, "tasks", tasks ? tasks : json_object(),
                     "checks", checks ? checks : json_array(), "estimated", estimated, "measured",
                     resp_measured(mon), "monitoring", mon ? mon : json_array());
}

static const char *sstr(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static void resp_xlsx_overview(lxw_workbook *wb, json_t *s, lxw_format *bold)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "概况");
    json_t *w = json_object_get(s, "warning");
    json_t *t = json_object_get(s, "tasks");
    json_t *est = json_object_get(s, "estimated");
    json_t *mea = json_object_get(s, "measured");
    char eff[32] = "", lift[32] = "";
    timeutil_format_iso(json_integer_value(json_object_get(w, "effective_at")), eff, sizeof eff);
    if (json_is_integer(json_object_get(w, "lifted_at")))
        timeutil_format_iso(json_integer_value(json_object_get(w, "lifted_at")), lift, sizeof lift);
    lxw_row_t r = 0;
    worksheet_write_string(ws, r, 0, "重污染天气预警总结", bold);
    r += 2;
    worksheet_write_string(ws, r, 0, "最终级别", bold);
    worksheet_write_string(ws, r++, 1, sstr(w, "level"), NULL);
    worksheet_write_string(ws, r, 0, "生效时间", bold);
    worksheet_write_string(ws, r++, 1, eff, NULL);
    worksheet_write_string(ws, r, 0, "解除时间", bold);
    worksheet_write_string(ws, r++, 1, lift, NULL);
    worksheet_write_string(ws, r, 0, "持续时长（小时）", bold);
    worksheet_write_number(ws, r++, 1, json_number_value(json_object_get(s, "duration_hours")),
                           NULL);
    worksheet_write_string(ws, r, 0, "减排任务企业数", bold);
    worksheet_write_number(ws, r++, 1, (double)json_integer_value(json_object_get(t, "total")),
                           NULL);
    worksheet_write_string(ws, r, 0, "已确认", bold);
    worksheet_write_number(ws, r++, 1, (double)json_integer_value(json_object_get(t, "confirmed")),
                           NULL);
    worksheet_write_string(ws, r, 0, "预警期间检查（次）", bold);
    worksheet_write_number(ws, r++, 1, (double)json_array_size(json_object_get(s, "checks")), NULL);
    r++;
    worksheet_write_string(ws, r, 0, "污染物", bold);
    worksheet_write_string(ws, r, 1, "清单估算减排量（kg）", bold);
    worksheet_write_string(ws, r, 2, "在线监测排口数", bold);
    worksheet_write_string(ws, r, 3, "应减比例（%）", bold);
    worksheet_write_string(ws, r, 4, "实测减排比例（%）", bold);
    worksheet_write_string(ws, r++, 5, "未达标排口", bold);
    static const char *const names[4] = {"SO2", "NOx", "PM", "VOCs"};
    for (int k = 0; k < 4; k++, r++) {
        json_t *m = json_object_get(mea, resp_sum_keys[k]);
        worksheet_write_string(ws, r, 0, names[k], NULL);
        worksheet_write_number(ws, r, 1, json_number_value(json_object_get(est, resp_sum_keys[k])),
                               NULL);
        if (!m)
            continue;
        worksheet_write_number(ws, r, 2, (double)json_integer_value(json_object_get(m, "outlets")),
                               NULL);
        worksheet_write_number(ws, r, 3, json_number_value(json_object_get(m, "expected_pct")),
                               NULL);
        worksheet_write_number(ws, r, 4, json_number_value(json_object_get(m, "measured_pct")),
                               NULL);
        worksheet_write_number(ws, r, 5, (double)json_integer_value(json_object_get(m, "flagged")),
                               NULL);
    }
    worksheet_set_column(ws, 0, 5, 20, NULL);
}

static void resp_xlsx_table(lxw_workbook *wb, const char *name, json_t *rows,
                            const char *const *keys, const char *const *heads, int ncol,
                            lxw_format *bold)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    for (int c = 0; c < ncol; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, heads[c], bold);
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) for (int c = 0; c < ncol; c++)
    {
        json_t *v = json_object_get(r, keys[c]);
        if (json_is_number(v))
            worksheet_write_number(ws, (lxw_row_t)i + 1, (lxw_col_t)c, json_number_value(v), NULL);
        else if (json_is_string(v))
            worksheet_write_string(ws, (lxw_row_t)i + 1, (lxw_col_t)c, json_string_value(v), NULL);
    }
    worksheet_set_column(ws, 0, (lxw_col_t)(ncol - 1), 16, NULL);
}

int resp_warning_summary_xlsx(struct db *db, int64_t warning_id, int64_t now, const char *path)
{
    json_t *s = resp_warning_summary(db, warning_id, now);
    if (!s)
        return -1;
    lxw_workbook *wb = workbook_new(path);
    if (!wb) {
        json_decref(s);
        return -1;
    }
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    resp_xlsx_overview(wb, s, bold);
    static const char *const aqi_keys[] = {"date", "aqi", "level"};
    static const char *const aqi_heads[] = {"日期", "全市 AQI", "级别"};
    resp_xlsx_table(wb, "AQI", json_object_get(s, "aqi"), aqi_keys, aqi_heads, 3, bold);
    static const char *const task_keys[] = {"enterprise_name", "district", "level", "confirmed_by",
                                            "note"};
    static const char *const task_heads[] = {"企业", "区县", "预警级别", "确认人", "落实情况"};
    resp_xlsx_table(wb, "措施确认", json_object_get(json_object_get(s, "tasks"), "items"),
                    task_keys, task_heads, 5, bold);
    static const char *const check_keys[] = {"enterprise_name", "inspection_id"};
    static const char *const check_heads[] = {"企业", "检查记录编号"};
    resp_xlsx_table(wb, "检查", json_object_get(s, "checks"), check_keys, check_heads, 2, bold);
    static const char *const mon_keys[] = {"enterprise_name", "outlet",        "factor",
                                           "basis",           "baseline_mean", "warning_mean",
                                           "expected_pct",    "measured_pct",  "complies"};
    static const char *const mon_heads[] = {"企业",     "排口",        "因子",
                                            "比对依据", "基准期均值",  "预警期均值",
                                            "应减(%)",  "实测减排(%)", "达标(1/0)"};
    resp_xlsx_table(wb, "在线监测比对", json_object_get(s, "monitoring"), mon_keys, mon_heads, 9,
                    bold);
    json_decref(s);
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}
