/* response csv — reading an uploaded CSV file into rows of text cells
 * (libcsv, strict quoting), the one reader of the module's imports, with
 * errors by line. */
#include "modules/response/rules.h"

#include "core/xalloc.h"

#include <csv.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

void resp_import_error(json_t *errors, size_t line, const char *field, const char *msg)
{
    if (json_array_size(errors) < 100)
        json_array_append_new(errors, json_pack("{sI ss? ss}", "line", (json_int_t)line, "field",
                                                field, "message", msg));
}

struct resp_csv {
    json_t *rows; /* array of arrays of strings */
    json_t *cur;
    size_t max_rows;
    bool too_many;
};

static void resp_csv_field(void *data, size_t len, void *ctx)
{
    struct resp_csv *s = ctx;
    if (!s->cur)
        s->cur = json_array();
    /* Bytes that are not UTF-8 become a control character the text rule refuses. */
    json_t *v = json_stringn(data ? data : "", data ? len : 0);
    json_array_append_new(s->cur, v ? v : json_string("\x01"));
}

static void resp_csv_row(int term, void *ctx)
{
    struct resp_csv *s = ctx;
    (void)term;
    if (!s->cur)
        s->cur = json_array();
    if (json_array_size(s->rows) > s->max_rows)
        s->too_many = true;
    else
        json_array_append(s->rows, s->cur);
    json_decref(s->cur);
    s->cur = NULL;
}

static int resp_csv_parse(const char *data, size_t len, struct resp_csv *s, json_t *errors)
{
    struct csv_parser p;
    csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
    csv_set_realloc_func(&p, xrealloc);
    int rc = 0;
    if (csv_parse(&p, data, len, resp_csv_field, resp_csv_row, s) != len ||
        csv_fini(&p, resp_csv_field, resp_csv_row, s)) {
        char msg[128];
        snprintf(msg, sizeof msg, "CSV 格式错误：%s", csv_strerror(csv_error(&p)));
        resp_import_error(errors, json_array_size(s->rows) + 1, NULL, msg);
        rc = -1;
    }
    csv_free(&p);
    json_decref(s->cur);
    s->cur = NULL;
    if (!rc && s->too_many) {
        resp_import_error(errors, s->max_rows + 2, NULL, "文件行数超过上限");
        rc = -1;
    }
    return rc;
}

json_t *resp_csv_rows(const char *data, size_t len, size_t max_rows, json_t *errors)
{
    struct resp_csv s = {json_array(), NULL, max_rows, false};
    if (resp_csv_parse(data, len, &s, errors)) {
        json_decref(s.rows);
        return NULL;
    }
    if (json_array_size(s.rows) == 0) {
        resp_import_error(errors, 1, NULL, "文件为空或缺少表头");
        json_decref(s.rows);
        return NULL;
    }
    return s.rows;
}

int resp_csv_check_header(json_t *header, const char *const *cols, size_t ncols, json_t *errors)
{
    char msg[400] = "表头须为 ";
    for (size_t i = 0; i < ncols; i++) {
        size_t n = strlen(msg);
        snprintf(msg + n, sizeof msg - n, "%s%s", i ? "," : "", cols[i]);
    }
    if (json_array_size(header) != ncols) {
        resp_import_error(errors, 1, NULL, msg);
        return -1;
    }
    for (size_t i = 0; i < ncols; i++) {
        const char *v = json_string_value(json_array_get(header, i));
        if (i == 0 && !strncmp(v, "\xEF\xBB\xBF", 3)) /* Excel's UTF-8 BOM */
            v += 3;
        if (strcmp(v, cols[i])) {
            resp_import_error(errors, 1, cols[i], "表头列名或顺序不符");
            return -1;
        }
    }
    return 0;
}
