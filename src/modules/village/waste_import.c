/* village waste_import — the transfer station's weighbridge tickets as CSV
 * (libcsv through the response module's reader) or an xlsx workbook
 * (core/xlsx_read): every row checked first (errors by line, nothing
 * written when any), then all written in one transaction. A ticket number
 * already imported is skipped, so importing the same file twice adds
 * nothing. Declared in village.h. */
#include "app/field.h"
#include "core/xlsx_read.h"
#include "db/db.h"
#include "modules/response/response.h"
#include "modules/village/internal.h"
#include "modules/village/store_waste.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VILLAGE_IMPORT_MAX_ROWS 5000
#define VILLAGE_TRUCK_T_MAX 50.0 /* tonnes on one ticket */
#define VILLAGE_IMPORT_DAYS_BACK 400

static const char *const village_ticket_cols[] = {"日期",   "乡镇",   "行政村",
                                                  "磅单号", "车牌号", "净重（吨）"};
enum { VILLAGE_TICKET_NCOL = sizeof village_ticket_cols / sizeof village_ticket_cols[0] };

/* The xlsx sheet as rows of strings, dates left as Excel serials. */
static json_t *village_xlsx_rows(const void *data, size_t len, bool *date1904, json_t *errors)
{
    struct xlsx_sheet s;
    char err[XLSX_ERR_MAX];
    if (xlsx_read(data, len, NULL, (VILLAGE_IMPORT_MAX_ROWS + 1) * 16, &s, err)) {
        char msg[XLSX_ERR_MAX + 40];
        snprintf(msg, sizeof msg, "不是有效的 xlsx 工作簿：%s", err);
        resp_import_error(errors, 1, NULL, msg);
        return NULL;
    }
    *date1904 = s.date1904;
    json_t *rows = json_array();
    for (size_t r = 0; r < s.nrows && r <= VILLAGE_IMPORT_MAX_ROWS; r++) {
        json_t *row = json_array();
        for (size_t col = 0; col < s.ncols; col++) {
            const char *v = xlsx_cell(&s, r, col);
            json_t *t = json_string(v ? v : "");
            json_array_append_new(row, t ? t : json_string("\x01"));
        }
        json_array_append_new(rows, row);
    }
    bool too_many = s.nrows > VILLAGE_IMPORT_MAX_ROWS + 1;
    xlsx_sheet_free(&s);
    if (too_many || !json_array_size(rows)) {
        resp_import_error(errors, 1, NULL, too_many ? "文件行数超过上限" : "文件为空或缺少表头");
        json_decref(rows);
        return NULL;
    }
    return rows;
}

/* A strict decimal number: all of s, finite. */
static int village_number(const char *s, double *out)
{
    char *end;
    if (!s || !*s || strlen(s) > 40)
        return -1;
    *out = strtod(s, &end);
    return *end || !isfinite(*out) ? -1 : 0;
}

/* The day cell: YYYY-MM-DD, or (xlsx) an Excel serial date. */
static int village_cell_day(const char *s, bool xlsx, bool date1904, char out[11])
{
    double serial;
    int64_t wall;
    if (xlsx && !village_number(s, &serial) && !xlsx_serial_to_wall(serial, date1904, &wall)) {
        calendar_format_date((int32_t)(wall / 86400), out);
        return 0;
    }
    int32_t d;
    if (calendar_parse_date(s, &d))
        return -1;
    calendar_format_date(d, out);
    return 0;
}

struct village_ticket {
    json_t *cells; /* the row as an object: the texts below borrow from it */
    int64_t village_id;
    char day[11];
    const char *ticket, *plate;
    double kg;
};

/* One data row checked into t (borrowing from row). 0, or -1 with its error. */
static int village_ticket_read(struct village_ctx *c, json_t *row, size_t line, bool xlsx,
                               bool date1904, struct village_ticket *t, json_t *errors)
{
    if (json_array_size(row) != VILLAGE_TICKET_NCOL)
        return resp_import_error(errors, line, NULL, "列数与表头不符"), -1;
    json_t *o = json_object();
    for (size_t i = 0; i < VILLAGE_TICKET_NCOL; i++)
        json_object_set(o, village_ticket_cols[i], json_array_get(row, i));
    struct problem p = {0};
    const char *day, *town, *vil, *weight;
    int bad = field_text(o, "日期", NULL, 30, FIELD_REQUIRED, &day, &p) ||
              field_text(o, "乡镇", NULL, 50, FIELD_REQUIRED, &town, &p) ||
              field_text(o, "行政村", NULL, 50, FIELD_REQUIRED, &vil, &p) ||
              field_text(o, "磅单号", NULL, 40, FIELD_REQUIRED, &t->ticket, &p) ||
              field_text(o, "车牌号", NULL, 20, FIELD_OPTIONAL, &t->plate, &p) ||
              field_text(o, "净重（吨）", NULL, 40, FIELD_REQUIRED, &weight, &p);
    t->cells = o;
    if (bad)
        return resp_import_error(errors, line, p.field, p.message), -1;
    int32_t dn = 0;
    if (village_cell_day(day, xlsx, date1904, t->day) || calendar_parse_date(t->day, &dn) ||
        dn > c->today || dn < c->today - VILLAGE_IMPORT_DAYS_BACK)
        return resp_import_error(errors, line, "日期",
                                 "日期须为 YYYY-MM-DD，不晚于今天、不早于 400 天前"),
               -1;
    double tonnes;
    if (village_number(weight, &tonnes) || tonnes <= 0 || tonnes > VILLAGE_TRUCK_T_MAX)
        return resp_import_error(errors, line, "净重（吨）", "净重须为 0 至 50 吨之间的数"), -1;
    t->kg = round(tonnes * 1000 * 10) / 10;
    int n = village_waste_store_find(c->db, town, vil, &t->village_id);
    if (n != 1)
        return resp_import_error(errors, line, "行政村",
                                 n < 0    ? "数据库错误"
                                 : n == 0 ? "该乡镇没有此行政村（请先登记）"
                                          : "乡镇与行政村不唯一"),
               -1;
    return 0;
}

/* Checks every row into tickets[0..*n); the errors by line. */
static int village_tickets_read(struct village_ctx *c, json_t *rows, bool xlsx, bool date1904,
                                struct village_ticket *tickets, size_t *n, json_t *errors)
{
    *n = 0;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (i == 0)
            continue;
        struct village_ticket *t = &tickets[*n];
        json_decref(t->cells); /* a refused row's, whose place this one takes */
        t->cells = NULL;
        if (village_ticket_read(c, row, i + 1, xlsx, date1904, t, errors))
            continue;
        for (size_t j = 0; j < *n; j++)
            if (!strcmp(tickets[j].ticket, t->ticket)) {
                resp_import_error(errors, i + 1, "磅单号", "磅单号在文件中重复");
                t = NULL;
                break;
            }
        if (t)
            (*n)++;
    }
    if (!*n && !json_array_size(errors))
        resp_import_error(errors, 2, NULL, "文件中没有磅单");
    return json_array_size(errors) ? -1 : 0;
}

static enum err village_tickets_write(struct village_ctx *c, const struct village_ticket *t,
                                      size_t n, json_t **out, struct problem *p)
{
    if (db_begin(c->db))
        return village_db_fail(p);
    int rc = 0, imported = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        struct village_waste_log_row r = {
            t[i].village_id, t[i].day,   "transfer", "weighbridge", t[i].kg, true,
            t[i].ticket,     t[i].plate, "",         c->actor.name, c->now};
        int64_t id;
        int w = village_waste_store_log_insert(c->db, &r, &id);
        rc = w < 0;
        imported += w == 1;
    }
    json_t *d = json_pack("{si si}", "imported", imported, "duplicates", (int)n - imported);
    if (!rc)
        rc = audit_append(c->db, &c->actor, "village.waste.import", "village_waste_logs", "", d);
    if (rc || db_commit(c->db)) {
        db_rollback(c->db);
        json_decref(d);
        return village_db_fail(p);
    }
    *out = d;
    return ERR_OK;
}

enum err village_waste_import(struct village_ctx *c, const char *data, size_t len, bool xlsx,
                              json_t **out, struct problem *p)
{
    memset(p, 0, sizeof *p);
    *out = NULL;
    json_t *errors = json_array();
    bool date1904 = false;
    json_t *rows = xlsx ? village_xlsx_rows(data, len, &date1904, errors)
                        : resp_csv_rows(data, len, VILLAGE_IMPORT_MAX_ROWS, errors);
    struct village_ticket *tickets = NULL;
    size_t n = 0;
    if (rows && !resp_csv_check_header(json_array_get(rows, 0), village_ticket_cols,
                                       VILLAGE_TICKET_NCOL, errors)) {
        tickets = calloc(json_array_size(rows), sizeof *tickets);
        village_tickets_read(c, rows, xlsx, date1904, tickets, &n, errors);
    }
    enum err e;
    if (json_array_size(errors)) {
        e = problem_set(p, ERR_IMPORT_ERRORS, NULL, "导入文件有错误，未导入任何记录");
        *out = json_pack("{sO}", "errors", errors);
    } else {
        e = village_tickets_write(c, tickets, n, out, p);
    }
    for (size_t i = 0; tickets && i < json_array_size(rows); i++)
        json_decref(tickets[i].cells);
    free(tickets);
    json_decref(rows);
    json_decref(errors);
    return e;
}
