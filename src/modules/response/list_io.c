/* response list_io — the emission-reduction list as the file bureaus
 * exchange: an xlsx export (libxlsxwriter) with one row per measure (an
 * enterprise without measures on one row of its own) and a sheet of totals
 * per level, and the import of the same columns from CSV or from an xlsx
 * workbook (core/xlsx_read: our own export, Chinese headings and names, or a
 * sheet with the CSV's English keys). An import replaces the entries and
 * measures of the enterprises it names, all rows or none. */
#include "modules/response/rules.h"

#include "db/db.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "core/xlsx_read.h"

/* The exchange columns, in order (the import's header). */
static const char *const resp_list_cols[] = {
    "uscc", "grade",     "sources", "base_so2",    "base_nox", "base_pm", "base_vocs", "level",
    "kind", "limit_pct", "lines",   "description", "red_so2",  "red_nox", "red_pm",    "red_vocs"};
#define RESP_LIST_NCOL (sizeof resp_list_cols / sizeof resp_list_cols[0])

static const char *const resp_list_heads[] = {
    "统一社会信用代码", "企业名称",      "区县",          "绩效分级",       "排放源",
    "基准SO2(kg/d)",    "基准NOx(kg/d)", "基准PM(kg/d)",  "基准VOCs(kg/d)", "预警级别",
    "措施类型",         "限产比例(%)",   "生产线/工序",   "措施说明",       "SO2减排(kg/d)",
    "NOx减排(kg/d)",    "PM减排(kg/d)",  "VOCs减排(kg/d)"};

static const char *resp_level_zh(const char *l)
{
    return !l ? "" : !strcmp(l, "yellow") ? "黄色" : !strcmp(l, "orange") ? "橙色" : "红色";
}

static const char *resp_kind_zh(const char *k)
{
    return !strcmp(k, "stop")    ? "停产"
           : !strcmp(k, "limit") ? "限产"
           : !strcmp(k, "lines") ? "停限生产线"
                                 : "运输管控";
}

static const char *str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static double num(json_t *o, const char *k)
{
    return json_number_value(json_object_get(o, k));
}

/* One row: the entry's columns, then the measure's (m may be NULL). */
static void resp_xlsx_row(lxw_worksheet *ws, lxw_row_t row, json_t *e, json_t *m)
{
    lxw_col_t c = 0;
    worksheet_write_string(ws, row, c++, str(e, "uscc"), NULL);
    worksheet_write_string(ws, row, c++, str(e, "enterprise_name"), NULL);
    worksheet_write_string(ws, row, c++, str(e, "district"), NULL);
    worksheet_write_string(ws, row, c++, str(e, "grade"), NULL);
    json_t *src = json_object_get(e, "sources");
    char joined[2048] = "";
    size_t i;
    json_t *v;
    json_array_foreach(src, i, v)
    {
        size_t n = strlen(joined);
        snprintf(joined + n, sizeof joined - n, "%s%s", i ? ";" : "", json_string_value(v));
    }
    worksheet_write_string(ws, row, c++, joined, NULL);
    static const char *const base[] = {"base_so2", "base_nox", "base_pm", "base_vocs"};
    for (int k = 0; k < 4; k++)
        worksheet_write_number(ws, row, c++, num(e, base[k]), NULL);
    if (!m)
        return;
    worksheet_write_string(ws, row, c++, resp_level_zh(str(m, "level")), NULL);
    worksheet_write_string(ws, row, c++, resp_kind_zh(str(m, "kind")), NULL);
    if (json_is_integer(json_object_get(m, "limit_pct")))
        worksheet_write_number(ws, row, c, num(m, "limit_pct"), NULL);
    c++;
    worksheet_write_string(ws, row, c++, str(m, "lines"), NULL);
    worksheet_write_string(ws, row, c++, str(m, "description"), NULL);
    static const char *const red[] = {"red_so2", "red_nox", "red_pm", "red_vocs"};
    for (int k = 0; k < 4; k++)
        worksheet_write_number(ws, row, c++, num(m, red[k]), NULL);
}

static void resp_xlsx_totals(lxw_workbook *wb, json_t *totals, lxw_format *bold)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "减排汇总");
    static const char *const heads[] = {
        "预警级别",   "要求比例(%)",  "企业数",    "SO2减排(kg/d)",  "SO2占比(%)",  "NOx减排(kg/d)",
        "NOx占比(%)", "PM减排(kg/d)", "PM占比(%)", "VOCs减排(kg/d)", "VOCs占比(%)", "是否达标"};
    for (lxw_col_t c = 0; c < sizeof heads / sizeof heads[0]; c++)
        worksheet_write_string(ws, 0, c, heads[c], bold);
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(totals, "levels"), i, l)
    {
        lxw_row_t r = (lxw_row_t)i + 1;
        lxw_col_t c = 0;
        worksheet_write_string(ws, r, c++, resp_level_zh(str(l, "level")), NULL);
        worksheet_write_number(ws, r, c++, num(l, "required_pct"), NULL);
        worksheet_write_number(ws, r, c++, num(l, "enterprises"), NULL);
        static const char *const keys[] = {"so2", "nox", "pm", "vocs"};
        for (int k = 0; k < 4; k++) {
            json_t *p = json_object_get(l, keys[k]);
            worksheet_write_number(ws, r, c++, num(p, "reduction"), NULL);
            worksheet_write_number(ws, r, c++, num(p, "share"), NULL);
        }
        worksheet_write_string(ws, r, c, json_is_true(json_object_get(l, "met")) ? "是" : "否",
                               NULL);
    }
    worksheet_set_column(ws, 0, 11, 14, NULL);
}

int resp_list_export_xlsx(struct db *db, const char *path)
{
    json_t *entries = resp_store_entries(db);
    json_t *totals = resp_list_totals(db);
    lxw_workbook *wb = entries && totals ? workbook_new(path) : NULL;
    if (!wb) {
        json_decref(entries);
        json_decref(totals);
        return -1;
    }
    lxw_worksheet *ws = workbook_add_worksheet(wb, "应急减排清单");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    for (lxw_col_t c = 0; c < sizeof resp_list_heads / sizeof resp_list_heads[0]; c++)
        worksheet_write_string(ws, 0, c, resp_list_heads[c], bold);
    worksheet_set_column(ws, 0, 1, 26, NULL);
    lxw_row_t row = 1;
    size_t i, j;
    json_t *e, *m;
    json_array_foreach(entries, i, e)
    {
        json_t *ms = json_object_get(e, "measures");
        if (!json_array_size(ms))
            resp_xlsx_row(ws, row++, e, NULL);
        json_array_foreach(ms, j, m) resp_xlsx_row(ws, row++, e, m);
    }
    resp_xlsx_totals(wb, totals, bold);
    json_decref(entries);
    json_decref(totals);
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

/* A number cell as the rules read it: a finite decimal (Excel writes "1.5E-3"
 * too) becomes a number, anything else stays text (refused as such), empty
 * is null. */
static json_t *resp_cell_number(const char *s)
{
    if (!*s)
        return json_null();
    char *end = NULL;
    double v = strtod(s, &end);
    if (end && !*end && isfinite(v) && strspn(s, "0123456789.eE+-") == strlen(s))
        return json_real(v);
    return json_string(s);
}

/* The cells of a row as the JSON the rules read. */
static json_t *resp_list_row_json(json_t *r, json_t **measure)
{
    const char *v[RESP_LIST_NCOL];
    for (size_t i = 0; i < RESP_LIST_NCOL; i++)
        v[i] = json_string_value(json_array_get(r, i));
    json_t *sources = json_array();
    for (const char *s = v[2]; *s;) {
        const char *semi = strchr(s, ';');
        size_t n = semi ? (size_t)(semi - s) : strlen(s);
        if (n)
            json_array_append_new(sources, json_stringn(s, n));
        s += n + (semi ? 1 : 0);
    }
#define RESP_NUM(s) resp_cell_number(s)
    json_t *entry = json_pack("{ss so s{so so so so}}", "grade", v[1], "sources", sources,
                              "baseline", "so2", RESP_NUM(v[3]), "nox", RESP_NUM(v[4]), "pm",
                              RESP_NUM(v[5]), "vocs", RESP_NUM(v[6]));
    *measure = NULL;
    if (*v[7]) {
        json_t *pct = *v[9] ? (strspn(v[9], "0123456789") == strlen(v[9]) && strlen(v[9]) < 6
                                   ? json_integer(strtol(v[9], NULL, 10))
                                   : json_string(v[9]))
                            : json_null();
        *measure = json_pack("{ss ss so ss ss s{so so so so}}", "level", v[7], "kind", v[8],
                             "limit_pct", pct, "lines", v[10], "description", v[11], "reduction",
                             "so2", RESP_NUM(v[12]), "nox", RESP_NUM(v[13]), "pm", RESP_NUM(v[14]),
                             "vocs", RESP_NUM(v[15]));
    }
#undef RESP_NUM
    return entry;
}

/* Stores one row: the entry the first time its enterprise appears (its
 * measures cleared), then the row's measure. */
static void resp_list_import_row(struct resp_ctx *c, json_t *r, size_t line, json_t *seen,
                                 json_t *errors)
{
    const char *uscc = json_string_value(json_array_get(r, 0));
    int64_t ent = resp_store_enterprise_by_uscc(c->db, uscc);
    if (!ent) {
        resp_import_error(errors, line, "uscc", "名录中没有该统一社会信用代码的企业");
        return;
    }
    json_t *measure;
    json_t *in = resp_list_row_json(r, &measure);
    json_object_set_new(in, "enterprise_id", json_integer(ent));
    struct problem p = {0};
    json_t *id = json_object_get(seen, uscc);
    if (!id) {
        struct resp_entry e;
        char *sources = NULL;
        int64_t list_id = 0;
        if (resp_entry_read(in, &e, &sources, &p) == ERR_OK) {
            if (resp_store_entry_put(c->db, &e, &list_id) ||
                resp_store_measures_clear(c->db, list_id))
                problem_set(&p, ERR_INTERNAL, NULL, "数据库错误");
            else
                json_object_set_new(seen, uscc, id = json_integer(list_id));
        }
        free(sources);
    }
    struct resp_measure m;
    int64_t mid;
    if (!p.err && measure && !resp_measure_read(measure, &m, &p))
        resp_measure_add_locked(c, json_integer_value(id), &m, &mid, &p);
    if (p.err)
        resp_import_error(errors, line, p.field, p.message);
    json_decref(in);
    json_decref(measure);
}

/* Imports rows (arrays of 16 texts in resp_list_cols order, header first):
 * all or none. */
static enum err resp_list_import_rows(struct resp_ctx *c, json_t *rows, json_t *errors,
                                      json_t **out, struct problem *p)
{
    json_t *seen = json_object();
    size_t n = 0;
    if (db_begin(c->db)) {
        json_decref(seen);
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    for (size_t i = 1; i < json_array_size(rows); i++) {
        json_t *r = json_array_get(rows, i);
        if (json_array_size(r) == 1 && !*json_string_value(json_array_get(r, 0)))
            continue;
        if (json_array_size(r) != RESP_LIST_NCOL)
            resp_import_error(errors, i + 1, NULL, "列数不符");
        else
            resp_list_import_row(c, r, i + 1, seen, errors), n++;
    }
    if (!json_array_size(errors) && !n)
        resp_import_error(errors, 2, NULL, "文件中没有清单行");
    json_t *summary = json_pack("{sI sI}", "rows", (json_int_t)n, "enterprises",
                                (json_int_t)json_object_size(seen));
    json_decref(seen);
    if (json_array_size(errors)) {
        db_rollback(c->db);
        json_decref(summary);
        *out = json_pack("{sO}", "errors", errors);
        return problem_set(p, ERR_IMPORT_ERRORS, NULL, "导入文件有错误，未导入任何记录");
    }
    if (audit_append(c->db, c->actor, "response.list.import", "resp_list", "", summary) ||
        db_commit(c->db)) {
        json_decref(summary);
        return resp_internal(c, p);
    }
    *out = summary;
    return ERR_OK;
}

enum err resp_list_import(struct resp_ctx *c, const char *csv, size_t len, json_t **out,
                          struct problem *p)
{
    json_t *errors = json_array();
    json_t *rows = resp_csv_rows(csv, len, RESP_IMPORT_MAX_ROWS, errors);
    enum err e;
    if (rows &&
        !resp_csv_check_header(json_array_get(rows, 0), resp_list_cols, RESP_LIST_NCOL, errors)) {
        e = resp_list_import_rows(c, rows, errors, out, p);
    } else {
        *out = json_pack("{sO}", "errors", errors);
        e = problem_set(p, ERR_IMPORT_ERRORS, NULL, "导入文件有错误，未导入任何记录");
    }
    json_decref(rows);
    json_decref(errors);
    return e;
}

/* The sheet's column of exchange column k: its English key or the heading
 * of our own export; -1 when absent. */
static int resp_xlsx_column(const struct xlsx_sheet *s, size_t k)
{
    /* resp_list_heads has the enterprise name and district after the code. */
    size_t head = k == 0 ? 0 : k + 2;
    for (size_t c = 0; c < s->ncols; c++) {
        const char *h = xlsx_cell(s, 0, c);
        if (h && (!strcmp(h, resp_list_cols[k]) || !strcmp(h, resp_list_heads[head])))
            return (int)c;
    }
    return -1;
}

/* The export's Chinese level and measure names as the exchange values. */
static const char *resp_xlsx_value(size_t k, const char *v)
{
    static const char *const map[][2] = {
        {"黄色", "yellow"},        {"黄色预警", "yellow"}, {"橙色", "orange"},
        {"橙色预警", "orange"},    {"红色", "red"},        {"红色预警", "red"},
        {"停产", "stop"},          {"限产", "limit"},      {"停限生产线", "lines"},
        {"运输管控", "transport"},
    };
    if (k == 7 || k == 8)
        for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
            if (!strcmp(v, map[i][0]))
                return map[i][1];
    return v;
}

enum err resp_list_import_xlsx(struct resp_ctx *c, const char *data, size_t len, json_t **out,
                               struct problem *p)
{
    struct xlsx_sheet s;
    char err[XLSX_ERR_MAX];
    json_t *errors = json_array();
    if (xlsx_read(data, len, NULL, (RESP_IMPORT_MAX_ROWS + 1) * 40, &s, err)) {
        resp_import_error(errors, 0, NULL, err);
        *out = json_pack("{sO}", "errors", errors);
        json_decref(errors);
        return problem_set(p, ERR_IMPORT_ERRORS, NULL, "导入文件有错误，未导入任何记录");
    }
    int col[RESP_LIST_NCOL];
    for (size_t k = 0; k < RESP_LIST_NCOL; k++)
        if ((col[k] = resp_xlsx_column(&s, k)) < 0) {
            char msg[120];
            snprintf(msg, sizeof msg, "缺少列 %s（%s）", resp_list_cols[k],
                     resp_list_heads[k == 0 ? 0 : k + 2]);
            resp_import_error(errors, 1, resp_list_cols[k], msg);
        }
    enum err e;
    if (json_array_size(errors) || s.nrows > RESP_IMPORT_MAX_ROWS + 1) {
        if (!json_array_size(errors))
            resp_import_error(errors, RESP_IMPORT_MAX_ROWS + 2, NULL, "文件行数超过上限");
        *out = json_pack("{sO}", "errors", errors);
        e = problem_set(p, ERR_IMPORT_ERRORS, NULL, "导入文件有错误，未导入任何记录");
    } else {
        json_t *rows = json_array();
        for (size_t r = 0; r < s.nrows; r++) {
            json_t *row = json_array();
            bool any = false;
            for (size_t k = 0; k < RESP_LIST_NCOL; k++) {
                const char *v = xlsx_cell(&s, r, (size_t)col[k]);
                any |= v != NULL;
                json_t *t = json_string(v ? resp_xlsx_value(k, v) : "");
                json_array_append_new(row, t ? t : json_string("\x01"));
            }
            if (!any) { /* an empty sheet row: skipped as the CSV reader skips blank lines */
                json_decref(row);
                row = json_pack("[s]", "");
            }
            json_array_append_new(rows, row);
        }
        e = resp_list_import_rows(c, rows, errors, out, p);
        json_decref(rows);
    }
    xlsx_sheet_free(&s);
    json_decref(errors);
    return e;
}
