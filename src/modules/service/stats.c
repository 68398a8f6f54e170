/* service stats — statistics of enterprise service: by staff and section,
 * the leader's dashboard, the quarterly follow-up (季度调度) of commitments,
 * the annual reception statistics, and their Excel exports. Declared in
 * service.h. Figures are computed from the records each time (no cached
 * totals that could drift). */
#include "modules/service/service.h"
#include "domain/tracker_rules.h"
#include "modules/service/store.h"

#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

static json_t *svc_rate(json_int_t num, json_int_t den)
{
    return den ? json_real((double)(num * 1000 / den) / 10.0) : json_null();
}

/* planned_at bounds (UTC seconds) of the Beijing days [from, to]. */
static int64_t svc_t0(int32_t from)
{
    return (int64_t)from * 86400 - 8 * 3600;
}

static int64_t svc_t1(int32_t to)
{
    return ((int64_t)to + 1) * 86400 - 8 * 3600;
}

json_t *svc_stats(struct svc_ctx *c, const char *group, int32_t from, int32_t to)
{
    bool staff = group && !strcmp(group, "staff");
    char df[11], dt[11];
    svc_date_text(from, df);
    svc_date_text(to, dt);
    json_t *rows = svc_store_stats(c->db, staff, svc_t0(from), svc_t1(to), df, dt);
    if (!rows)
        return NULL;
    json_t *out = json_array();
    json_int_t tv = 0, tf = 0, ts = 0, tb = 0, ti = 0, tc = 0, to_ = 0;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        json_int_t v = json_integer_value(json_object_get(r, "visits"));
        json_int_t f = json_integer_value(json_object_get(r, "forms"));
        json_int_t s = json_integer_value(json_object_get(r, "satisfied"));
        json_int_t items = json_integer_value(json_object_get(r, "items"));
        json_int_t closed = json_integer_value(json_object_get(r, "closed"));
        json_int_t ontime = json_integer_value(json_object_get(r, "closed_on_time"));
        if (!v && !f && !items)
            continue;
        tv += v, tf += f, ts += s, ti += items, tc += closed, to_ += ontime;
        tb += json_integer_value(json_object_get(r, "bad_reviews"));
        json_object_set_new(r, "satisfaction_rate", svc_rate(s, f));
        json_object_set_new(r, "on_time_rate", svc_rate(ontime, closed));
        json_array_append(out, r);
    }
    json_decref(rows);
    char f[11], t[11];
    svc_date_text(from, f);
    svc_date_text(to, t);
    return json_pack("{ss ss ss so s{sI sI sI so sI sI so}}", "group", staff ? "staff" : "section",
                     "from", f, "to", t, "rows", out, "total", "visits", tv, "forms", tf,
                     "bad_reviews", tb, "satisfaction_rate", svc_rate(ts, tf), "items", ti,
                     "closed", tc, "on_time_rate", svc_rate(to_, tc));
}

json_t *svc_dashboard(struct svc_ctx *c, int year)
{
    int32_t from = calendar_day_from_ymd(year, 1, 1), to = calendar_day_from_ymd(year, 12, 31);
    json_t *stats = svc_stats(c, "section", from, to);
    if (!stats)
        return NULL;
    json_t *months = svc_store_months(c->db, svc_t0(from), svc_t1(to));
    if (!months) {
        json_decref(stats);
        return NULL;
    }
    size_t i;
    json_t *m;
    json_array_foreach(months, i, m)
        json_object_set_new(m, "satisfaction_rate",
                            svc_rate(json_integer_value(json_object_get(m, "satisfied")),
                                     json_integer_value(json_object_get(m, "forms"))));
    json_t *all = json_object();
    json_t *items = svc_item_list(c, all, 5000);
    json_decref(all);
    json_int_t open = 0, warning = 0, overdue = 0, bad_open = 0;
    json_t *by_source = json_object(), *it;
    json_array_foreach(items, i, it)
    {
        const char *state = json_string_value(json_object_get(it, "state"));
        const char *source = json_string_value(json_object_get(it, "source"));
        json_t *n = json_object_get(by_source, source);
        json_object_set_new(by_source, source, json_integer(json_integer_value(n) + 1));
        if (!strcmp(state, "done"))
            continue;
        open++;
        warning += !strcmp(state, "warning");
        overdue += !strcmp(state, "overdue");
        bad_open += !strcmp(source, "bad_review");
    }
    json_t *alerts = json_array();
    json_array_foreach(items, i, it)
    {
        const char *state = json_string_value(json_object_get(it, "state"));
        if ((!strcmp(state, "overdue") || !strcmp(state, "warning") ||
             !strcmp(json_string_value(json_object_get(it, "source")), "bad_review")) &&
            strcmp(state, "done") && json_array_size(alerts) < 20)
            json_array_append(alerts, it);
    }
    json_decref(items);
    json_t *annual = svc_annual(c, year);
    return json_pack("{si so so so s{sI sI sI sI} so so}", "year", year, "stats", stats, "months",
                     months, "by_source", by_source, "items", "open", open, "warning", warning,
                     "overdue", overdue, "bad_review_open", bad_open, "alerts", alerts, "reception",
                     annual ? annual : json_null());
}

json_t *svc_quarterly(struct svc_ctx *c, int year, int quarter)
{
    int32_t first, last;
    if (tracker_quarter_range(year, quarter, &first, &last))
        return NULL;
    int32_t as_of = last < c->today ? last : c->today;
    char f[11], l[11], a[11];
    svc_date_text(first, f);
    svc_date_text(last, l);
    svc_date_text(as_of, a);
    json_t *items = svc_store_quarter_items(c->db, f, l);
    if (!items)
        return NULL;
    json_t *sections = json_object(), *it;
    json_int_t done = 0, progress = 0, overdue = 0, late = 0;
    size_t i;
    json_array_foreach(items, i, it)
    {
        const char *closed_day = json_string_value(json_object_get(it, "closed_day"));
        const char *deadline = json_string_value(json_object_get(it, "deadline"));
        const char *status;
        if (closed_day && strcmp(closed_day, a) <= 0) {
            status = "done";
            done++;
            late += strcmp(closed_day, deadline) > 0;
        } else if (strcmp(a, deadline) > 0) {
            status = "overdue";
            overdue++;
        } else {
            status = "in_progress";
            progress++;
        }
        json_object_set_new(it, "quarter_status", json_string(status));
        const char *sec = json_string_value(json_object_get(it, "owner_section"));
        json_t *row = json_object_get(sections, sec);
        if (!row) {
            row = json_pack("{ss si si si}", "section", sec, "done", 0, "in_progress", 0, "overdue",
                            0);
            json_object_set_new(sections, sec, row);
        }
        json_object_set_new(row, status,
                            json_integer(json_integer_value(json_object_get(row, status)) + 1));
    }
    json_t *summary = json_array(), *row;
    const char *key;
    json_object_foreach(sections, key, row) json_array_append(summary, row);
    json_decref(sections);
    return json_pack("{si si ss ss ss so so s{sI sI sI sI sI}}", "year", year, "quarter", quarter,
                     "from", f, "to", l, "as_of", a, "items", items, "sections", summary, "total",
                     "items", (json_int_t)json_array_size(items), "done", done, "in_progress",
                     progress, "overdue", overdue, "done_late", late);
}

json_t *svc_annual(struct svc_ctx *c, int year)
{
    char f[11], t[11], today[11];
    snprintf(f, sizeof f, "%04d-01-01", year);
    snprintf(t, sizeof t, "%04d-12-31", year);
    svc_date_text(c->today, today);
    json_t *out = svc_store_annual(c->db, f, t, today);
    if (!out)
        return NULL;
    json_int_t issues = json_integer_value(json_object_get(out, "issues_taken"));
    json_int_t ok = json_integer_value(json_object_get(out, "answered_on_site")) +
                    json_integer_value(json_object_get(out, "solved_later"));
    json_object_set_new(out, "year", json_integer(year));
    json_object_set_new(out, "answered_or_solved", json_integer(ok));
    json_object_set_new(out, "answered_or_solved_rate", svc_rate(ok, issues));
    json_object_set_new(out, "days", svc_day_list(c, year, false));
    return out;
}

/* --- Excel --- */

struct svc_sheet {
    lxw_worksheet *ws;
    lxw_format *head;
    int row;
};

static void svc_sheet_head(struct svc_sheet *s, const char *const *cols, const double *widths,
                           int n)
{
    for (int i = 0; i < n; i++) {
        worksheet_write_string(s->ws, 0, (lxw_col_t)i, cols[i], s->head);
        worksheet_set_column(s->ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], NULL);
    }
    worksheet_freeze_panes(s->ws, 1, 0);
    s->row = 1;
}

/* Writes the keys of each object in rows as one spreadsheet row. */
static void svc_sheet_rows(struct svc_sheet *s, json_t *rows, const char *const *keys, int n)
{
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        for (int k = 0; k < n; k++) {
            json_t *v = json_object_get(r, keys[k]);
            if (json_is_integer(v))
                worksheet_write_number(s->ws, (lxw_row_t)s->row, (lxw_col_t)k,
                                       (double)json_integer_value(v), NULL);
            else if (json_is_real(v))
                worksheet_write_number(s->ws, (lxw_row_t)s->row, (lxw_col_t)k, json_real_value(v),
                                       NULL);
            else if (json_is_string(v))
                worksheet_write_string(s->ws, (lxw_row_t)s->row, (lxw_col_t)k, json_string_value(v),
                                       NULL);
        }
        s->row++;
    }
}

static const char *svc_label(const char *const (*table)[2], const char *key)
{
    for (; (*table)[0]; table++)
        if (key && !strcmp((*table)[0], key))
            return (*table)[1];
    return key ? key : "";
}

static const char *const svc_status_labels[][2] = {{"done", "已办结"},
                                                   {"in_progress", "办理中"},
                                                   {"overdue", "已超期"},
                                                   {"service_form", "上门服务承诺"},
                                                   {"bad_review", "差评整改"},
                                                   {"reception", "接待日交办"},
                                                   {"leader", "领导交办"},
                                                   {"responsibility", "责任清单"},
                                                   {"inspection", "督察反馈整改"},
                                                   {NULL, NULL}};

static void svc_xlsx_quarterly(lxw_workbook *wb, struct svc_sheet *s, json_t *q)
{
    static const char *const cols[] = {"编号",   "来源",     "事项",     "企业",     "责任科室",
                                       "责任人", "交办日期", "办理期限", "办结日期", "季度状态"};
    static const double widths[] = {8, 14, 48, 30, 14, 10, 12, 12, 12, 10};
    static const char *const keys[] = {
        "id",         "source_label", "title",    "enterprise_name", "owner_section",
        "owner_user", "start_day",    "deadline", "closed_day",      "status_label"};
    s->ws = workbook_add_worksheet(wb, "季度调度");
    svc_sheet_head(s, cols, widths, 10);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(q, "items"), i, it)
    {
        json_object_set_new(
            it, "source_label",
            json_string(
                svc_label(svc_status_labels, json_string_value(json_object_get(it, "source")))));
        json_object_set_new(
            it, "status_label",
            json_string(svc_label(svc_status_labels,
                                  json_string_value(json_object_get(it, "quarter_status")))));
    }
    svc_sheet_rows(s, json_object_get(q, "items"), keys, 10);
    struct svc_sheet sum = {workbook_add_worksheet(wb, "科室汇总"), s->head, 0};
    static const char *const scols[] = {"责任科室", "已办结", "办理中", "已超期"};
    static const double sw[] = {16, 10, 10, 10};
    static const char *const skeys[] = {"section", "done", "in_progress", "overdue"};
    svc_sheet_head(&sum, scols, sw, 4);
    svc_sheet_rows(&sum, json_object_get(q, "sections"), skeys, 4);
}

static void svc_xlsx_annual(lxw_workbook *wb, struct svc_sheet *s, json_t *a)
{
    static const char *const labels[][2] = {{"days_held", "举办接待日（天）"},
                                            {"enterprise_days_held", "其中服务企业接待日"},
                                            {"public_days_held", "其中服务群众接待日"},
                                            {"enterprises_received", "接待企业（家）"},
                                            {"people_received", "接待人数（人次）"},
                                            {"bookings", "预约接待"},
                                            {"walkins", "现场登记"},
                                            {"issues_taken", "现场受理问题（件）"},
                                            {"answered_on_site", "当场答复"},
                                            {"committed", "交办承诺"},
                                            {"solved_later", "交办后已办结"},
                                            {"in_progress", "办理中"},
                                            {"overdue", "已超期"},
                                            {"answered_or_solved", "答复或解决（件）"},
                                            {"answered_or_solved_rate", "答复解决率（%）"}};
    s->ws = workbook_add_worksheet(wb, "年度统计");
    static const char *const cols[] = {"指标", "数值"};
    static const double widths[] = {26, 12};
    svc_sheet_head(s, cols, widths, 2);
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++, s->row++) {
        worksheet_write_string(s->ws, (lxw_row_t)s->row, 0, labels[i][1], NULL);
        json_t *v = json_object_get(a, labels[i][0]);
        worksheet_write_number(s->ws, (lxw_row_t)s->row, 1,
                               json_is_real(v) ? json_real_value(v) : (double)json_integer_value(v),
                               NULL);
    }
    struct svc_sheet d = {workbook_add_worksheet(wb, "接待日明细"), s->head, 0};
    static const char *const dcols[] = {"日期", "类型", "接待领导", "地点", "接待人次", "受理问题"};
    static const double dw[] = {12, 10, 24, 24, 10, 10};
    static const char *const dkeys[] = {"day",   "kind_label", "leaders",
                                        "place", "received",   "issues"};
    size_t i;
    json_t *day;
    json_array_foreach(json_object_get(a, "days"), i, day) json_object_set_new(
        day, "kind_label",
        json_string(!strcmp(json_string_value(json_object_get(day, "kind")), "public")
                        ? "服务群众"
                        : "服务企业"));
    svc_sheet_head(&d, dcols, dw, 6);
    svc_sheet_rows(&d, json_object_get(a, "days"), dkeys, 6);
}

static void svc_xlsx_stats(lxw_workbook *wb, struct svc_sheet *s, json_t *st)
{
    static const char *const cols[] = {
        "名称", "科室",     "上门服务", "服务单",          "平均评分",    "满意率（%）",
        "差评", "督办事项", "已办结",   "按期办结率（%）", "平均办理天数"};
    static const double widths[] = {16, 14, 10, 10, 10, 12, 8, 10, 10, 14, 12};
    static const char *const keys[] = {"name",       "section",           "visits",      "forms",
                                       "avg_rating", "satisfaction_rate", "bad_reviews", "items",
                                       "closed",     "on_time_rate",      "avg_days"};
    s->ws = workbook_add_worksheet(wb, "服务统计");
    svc_sheet_head(s, cols, widths, 11);
    svc_sheet_rows(s, json_object_get(st, "rows"), keys, 11);
}

int svc_export_xlsx(struct svc_ctx *c, const char *kind, int year, int quarter, int32_t from,
                    int32_t to, const char *path)
{
    json_t *data = !strcmp(kind, "quarterly") ? svc_quarterly(c, year, quarter)
                   : !strcmp(kind, "annual")  ? svc_annual(c, year)
                                              : svc_stats(c, "section", from, to);
    if (!data)
        return -1;
    lxw_workbook *wb = workbook_new(path);
    if (!wb) {
        json_decref(data);
        return -1;
    }
    struct svc_sheet s = {NULL, workbook_add_format(wb), 0};
    format_set_bold(s.head);
    format_set_bg_color(s.head, 0xE8F3EC);
    format_set_border(s.head, LXW_BORDER_THIN);
    if (!strcmp(kind, "quarterly"))
        svc_xlsx_quarterly(wb, &s, data);
    else if (!strcmp(kind, "annual"))
        svc_xlsx_annual(wb, &s, data);
    else
        svc_xlsx_stats(wb, &s, data);
    json_decref(data);
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}
