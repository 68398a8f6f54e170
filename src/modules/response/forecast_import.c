/* response forecast_import — forecasts from a CSV file (libcsv), every row
 * through the same validation as a forecast entered by hand; all rows are
 * stored in one transaction, or none when any row is refused. */
#include "modules/response/rules.h"

#include "core/xalloc.h"
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const resp_csv_cols[] = {"area",     "issued_on", "day",     "aqi_lo", "aqi_hi",
                                            "level_lo", "level_hi",  "primary", "text"};
#define RESP_CSV_NCOL (sizeof resp_csv_cols / sizeof resp_csv_cols[0])

/* A cell as JSON: digits become an integer, empty is absent, primary is
 * split on ';'; the rest stays text. */
static void resp_csv_put(json_t *o, size_t col, const char *v)
{
    if (!*v)
        return;
    if (col >= 3 && col <= 6) {
        size_t n = strlen(v);
        if (n <= 6 && strspn(v, "0123456789") == n) {
            json_object_set_new(o, resp_csv_cols[col], json_integer(strtol(v, NULL, 10)));
            return;
        }
    }
    if (col == 7) {
        json_t *a = json_array();
        const char *s = v;
        while (*s) {
            const char *e = strchr(s, ';');
            size_t n = e ? (size_t)(e - s) : strlen(s);
            json_array_append_new(a, json_stringn(s, n));
            s += n + (e ? 1 : 0);
        }
        json_object_set_new(o, "primary", a);
        return;
    }
    json_object_set_new(o, resp_csv_cols[col], json_string(v));
}

static int resp_csv_header(json_t *h, json_t *errors)
{
    return resp_csv_check_header(h, resp_csv_cols, RESP_CSV_NCOL, errors);
}

/* Validates every data row into objs (one object per row). */
static void resp_csv_validate(struct resp_ctx *c, json_t *rows, json_t *objs, json_t *errors)
{
    for (size_t i = 1; i < json_array_size(rows); i++) {
        json_t *r = json_array_get(rows, i);
        size_t line = i + 1;
        if (json_array_size(r) == 1 && !*json_string_value(json_array_get(r, 0)))
            continue; /* blank line */
        if (json_array_size(r) != RESP_CSV_NCOL) {
            resp_import_error(errors, line, NULL, "列数不符");
            continue;
        }
        json_t *o = json_object();
        for (size_t col = 0; col < RESP_CSV_NCOL; col++)
            resp_csv_put(o, col, json_string_value(json_array_get(r, col)));
        struct resp_forecast f;
        char *primary = NULL;
        struct problem p = {0};
        if (resp_forecast_read(c, o, &f, &primary, &p))
            resp_import_error(errors, line, p.field, p.message);
        free(primary);
        json_object_set_new(o, "_line", json_integer((json_int_t)line));
        json_array_append_new(objs, o);
    }
}

static enum err resp_csv_store(struct resp_ctx *c, json_t *objs, json_t *errors, struct problem *p)
{
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    size_t i;
    json_t *o;
    json_array_foreach(objs, i, o)
    {
        struct resp_forecast f;
        char *primary = NULL;
        struct problem ignored = {0};
        int64_t id;
        resp_forecast_read(c, o, &f, &primary, &ignored);
        int rc = resp_store_forecast_insert(c->db, &f, c->actor->name, &id);
        free(primary);
        if (rc == RESP_STORE_DUPLICATE) {
            resp_import_error(errors, (size_t)json_integer_value(json_object_get(o, "_line")),
                              "day", "该区域该日期已有同一发布日的预报");
        } else if (rc) {
            return resp_internal(c, p);
        }
    }
    if (json_array_size(errors)) {
        db_rollback(c->db);
        return problem_set(p, ERR_IMPORT_ERRORS, NULL, "导入文件有错误，未导入任何记录");
    }
    json_t *detail = json_pack("{sI}", "imported", (json_int_t)json_array_size(objs));
    int rc = audit_append(c->db, c->actor, "response.forecast.import", "resp_forecast", "", detail);
    json_decref(detail);
    if (rc || db_commit(c->db))
        return resp_internal(c, p);
    return ERR_OK;
}

enum err resp_forecast_import(struct resp_ctx *c, const char *csv, size_t len, json_t **out,
                              struct problem *p)
{
    json_t *errors = json_array(), *objs = json_array();
    json_t *rows = resp_csv_rows(csv, len, RESP_IMPORT_MAX_ROWS, errors);
    if (rows && !resp_csv_header(json_array_get(rows, 0), errors))
        resp_csv_validate(c, rows, objs, errors);
    enum err e = ERR_OK;
    if (!json_array_size(errors) && !json_array_size(objs))
        resp_import_error(errors, 2, NULL, "文件中没有预报");
    if (json_array_size(errors))
        e = problem_set(p, ERR_IMPORT_ERRORS, NULL, "导入文件有错误，未导入任何记录");
    else
        e = resp_csv_store(c, objs, errors, p);
    if (e == ERR_IMPORT_ERRORS)
        *out = json_pack("{sO}", "errors", errors);
    else if (e == ERR_OK)
        *out = json_pack("{sI}", "imported", (json_int_t)json_array_size(objs));
    json_decref(errors);
    json_decref(objs);
    json_decref(rows);
    return e;
}
