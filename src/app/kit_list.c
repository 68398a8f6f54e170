/* kit_list — list routes answered as JSON or as an xlsx workbook. */
#include "app/kit_list.h"

#include "app/kit.h"
#include "core/timeutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* An array's strings joined with "、" into out (truncated to its size). */
static void kit_join(json_t *arr, char *out, size_t size)
{
    size_t i, used = 0;
    json_t *v;
    out[0] = '\0';
    json_array_foreach(arr, i, v)
    {
        const char *s = json_string_value(v);
        if (!s || used >= size)
            continue;
        int n = snprintf(out + used, size - used, "%s%s", used ? "、" : "", s);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

static void kit_beijing(int64_t utc, char *out, size_t size)
{
    int64_t t = utc + 8 * 3600, days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t secs = t - days * 86400;
    int y, m, d;
    timeutil_civil_from_days(days, &y, &m, &d);
    snprintf(out, size, "%04d-%02d-%02d %02d:%02d", y, m, d, (int)(secs / 3600),
             (int)(secs % 3600 / 60));
}

/* The label of code in c's labels; code itself when it has none. */
static const char *kit_label(const struct kit_col *c, const char *code)
{
    for (const char *const *l = c->labels; l && l[0] && l[1]; l += 2)
        if (!strcmp(l[0], code))
            return l[1];
    return code;
}

static void kit_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const struct kit_col *c,
                     json_t *v, lxw_format *yuan)
{
    char text[1024];
    if (json_is_string(v)) {
        worksheet_write_string(ws, row, col, kit_label(c, json_string_value(v)), NULL);
    } else if (json_is_number(v)) {
        if (c->type == KIT_COL_TIME && json_is_integer(v)) {
            kit_beijing(json_integer_value(v), text, sizeof text);
            worksheet_write_string(ws, row, col, text, NULL);
        } else if (c->type == KIT_COL_YUAN) {
            worksheet_write_number(ws, row, col, json_number_value(v) / 100.0, yuan);
        } else if (c->type == KIT_COL_NUMBER) {
            worksheet_write_number(ws, row, col, json_number_value(v), NULL);
        } else {
            snprintf(text, sizeof text, "%.15g", json_number_value(v));
            worksheet_write_string(ws, row, col, text, NULL);
        }
    } else if (json_is_boolean(v)) {
        worksheet_write_string(ws, row, col, json_is_true(v) ? "是" : "否", NULL);
    } else if (json_is_array(v)) {
        kit_join(v, text, sizeof text);
        worksheet_write_string(ws, row, col, text, NULL);
    }
}

/* The member at key, a dotted path into nested objects ("clocks.promised.deadline"). */
static json_t *kit_member(json_t *item, const char *key)
{
    char part[64];
    const char *dot;
    while ((dot = strchr(key, '.')) && item) {
        size_t n = (size_t)(dot - key);
        if (n >= sizeof part)
            return NULL;
        memcpy(part, key, n);
        part[n] = '\0';
        item = json_object_get(item, part);
        key = dot + 1;
    }
    return item ? json_object_get(item, key) : NULL;
}

int kit_xlsx_write(const char *path, json_t *items, const struct kit_sheet *sheet)
{
    return kit_xlsx_write_progress(path, items, sheet, NULL, NULL);
}

int kit_xlsx_write_progress(const char *path, json_t *items, const struct kit_sheet *sheet,
                            int (*progress)(void *arg, size_t done, size_t total), void *arg)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb)
        return -1;
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet->title);
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *yuan = workbook_add_format(wb);
    format_set_num_format(yuan, "0.00");
    for (size_t c = 0; c < sheet->ncols; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, sheet->cols[c].head, bold);
    if (sheet->ncols)
        worksheet_set_column(ws, 0, (lxw_col_t)(sheet->ncols - 1), 16, NULL);
    worksheet_freeze_panes(ws, 1, 0);
    size_t i;
    json_t *item;
    size_t n = json_array_size(items);
    json_array_foreach(items, i, item)
    {
        /* every KIT_PROGRESS_ROWS rows: a stop leaves a workbook to delete */
        if (progress && i % KIT_PROGRESS_ROWS == 0 && progress(arg, i, n)) {
            workbook_close(wb);
            return 1;
        }
        for (size_t c = 0; c < sheet->ncols; c++)
            kit_cell(ws, (lxw_row_t)(i + 1), (lxw_col_t)c, &sheet->cols[c],
                     kit_member(item, sheet->cols[c].key), yuan);
    }
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

void kit_list(struct http_req *r, enum err e, const struct problem *p, json_t *result,
              const struct kit_sheet *sheet)
{
    static const char *const formats[] = {"json", "xlsx", NULL};
    bool bad = false;
    const char *format = kit_query_choice(r, "format", formats, "json", &bad);
    if (bad) {
        json_decref(result);
        return;
    }
    if (!strcmp(format, "xlsx") && !sheet) {
        json_decref(result);
        struct problem np = {0};
        problem_set(&np, ERR_INVALID_FIELD, "format", "此列表不提供 Excel 导出");
        kit_answer(r, np.err, &np, NULL);
        return;
    }
    if (strcmp(format, "xlsx") || e != ERR_OK || !result) {
        kit_answer(r, e, p, result);
        return;
    }
    json_t *items = json_is_array(result) ? result : json_object_get(result, "items");
    char path[HTTP_TEMP_PATH];
    int fd = http_temp_file(path, "list");
    if (fd >= 0)
        close(fd);
    if (fd < 0 || !json_is_array(items) || kit_xlsx_write(path, items, sheet)) {
        if (fd >= 0)
            unlink(path);
        json_decref(result);
        kit_answer(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    json_decref(result);
    char disposition[160];
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s.xlsx\"", sheet->file);
    kit_file(r, path, KIT_XLSX, disposition);
}
