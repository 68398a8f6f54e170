/* kit_list's workbook (app/kit_list.h): headings, one row per item, the cell
 * rules (labels, dotted keys, numbers, Beijing time, 是/否, joined arrays),
 * and text that looks like a formula stays text — read back with
 * core/xlsx_read. */
#include "app/kit_list.h"
#include "core/xlsx_read.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static const char *const status_zh[] = {"open", "办理中", "closed", "已办结", NULL};
static const struct kit_col cols[] = {
    KIT_NUMBER("id", "编号"),           KIT_CODE("status", "状态", status_zh),
    KIT_TEXT("clock.deadline", "期限"), KIT_TIME("at", "时间"),
    KIT_TEXT("green", "绿色通道"),      KIT_TEXT("tags", "标签"),
    KIT_TEXT("note", "备注"),           KIT_YUAN("fine", "罚款(元)"),
};
static const struct kit_sheet sheet = KIT_SHEET("things", "事项", cols);

/* items written by kit_xlsx_write and read back. */
static void write_and_read(const char *items_json, struct xlsx_sheet *out)
{
    char path[] = "/tmp/ecogov-kit-list-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    json_t *items = json_loads(items_json, 0, NULL);
    assert_non_null(items);
    assert_int_equal(kit_xlsx_write(path, items, &sheet), 0);
    json_decref(items);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char bytes[1 << 16];
    size_t n = fread(bytes, 1, sizeof bytes, f);
    fclose(f);
    unlink(path);
    char err[XLSX_ERR_MAX];
    assert_int_equal(xlsx_read(bytes, n, "事项", 10000, out, err), 0);
}

static void test_rows_and_cells(void **state)
{
    (void)state;
    struct xlsx_sheet s;
    write_and_read(
        "[{\"id\": 7, \"status\": \"open\", \"clock\": {\"deadline\": \"2026-12-31\"},"
        " \"at\": 1796425636, \"green\": true, \"tags\": [\"甲\", \"乙\"], \"note\": null,"
        " \"fine\": 5000050},"
        " {\"id\": 8, \"status\": \"other\", \"green\": false, \"note\": \"=1+2\"}]",
        &s);
    assert_int_equal(s.nrows, 3);
    assert_string_equal(xlsx_cell(&s, 0, 0), "编号");
    assert_string_equal(xlsx_cell(&s, 0, 6), "备注");
    assert_string_equal(xlsx_cell(&s, 1, 0), "7");
    assert_string_equal(xlsx_cell(&s, 1, 1), "办理中");
    assert_string_equal(xlsx_cell(&s, 1, 2), "2026-12-31");
    assert_string_equal(xlsx_cell(&s, 1, 3), "2026-12-05 07:07"); /* 2026-12-04 23:07 UTC */
    assert_string_equal(xlsx_cell(&s, 1, 4), "是");
    assert_string_equal(xlsx_cell(&s, 1, 5), "甲、乙");
    assert_null(xlsx_cell(&s, 1, 6));
    assert_string_equal(xlsx_cell(&s, 1, 7), "50000.5"); /* 5000050 fen */
    assert_string_equal(xlsx_cell(&s, 2, 1), "other");   /* a code without a label stays */
    assert_null(xlsx_cell(&s, 2, 2));                    /* absent nested member */
    assert_string_equal(xlsx_cell(&s, 2, 4), "否");
    assert_string_equal(xlsx_cell(&s, 2, 6), "=1+2"); /* text, not a formula's value */
    xlsx_sheet_free(&s);
}

static void test_empty_list_has_headings(void **state)
{
    (void)state;
    struct xlsx_sheet s;
    write_and_read("[]", &s);
    assert_int_equal(s.nrows, 1);
    assert_string_equal(xlsx_cell(&s, 0, 1), "状态");
    xlsx_sheet_free(&s);
}

/* Records the calls of the progress callback; stops at stop_at (0 = never). */
struct progress_log {
    size_t calls, last_done, last_total, stop_at;
};

static int progress_cb(void *arg, size_t done, size_t total)
{
    struct progress_log *l = arg;
    l->calls++;
    l->last_done = done;
    l->last_total = total;
    return l->stop_at && done >= l->stop_at ? 1 : 0;
}

static json_t *many_items(size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{sI ss}", "id", (json_int_t)i, "status", "open"));
    return a;
}

static void test_progress_counts_rows_and_stops(void **state)
{
    (void)state;
    char path[] = "/tmp/ecogov-kit-list-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    json_t *items = many_items(3 * KIT_PROGRESS_ROWS + 1);
    struct progress_log all = {0};
    assert_int_equal(kit_xlsx_write_progress(path, items, &sheet, progress_cb, &all), 0);
    assert_int_equal(all.calls, 4); /* rows 0, 200, 400, 600 */
    assert_int_equal(all.last_done, 3 * KIT_PROGRESS_ROWS);
    assert_int_equal(all.last_total, 3 * KIT_PROGRESS_ROWS + 1);
    struct progress_log stop = {.stop_at = KIT_PROGRESS_ROWS};
    assert_int_equal(kit_xlsx_write_progress(path, items, &sheet, progress_cb, &stop), 1);
    assert_int_equal(stop.calls, 2);
    json_decref(items);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_and_cells),
        cmocka_unit_test(test_empty_list_has_headings),
        cmocka_unit_test(test_progress_counts_rows_and_stops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
