/* Unit tests for core/xlsx_read: workbooks written by libxlsxwriter (shared
 * strings, and inline strings in its constant-memory mode) read back cell
 * by cell; hostile containers refused with a reason; serial dates. */
#include "core/xlsx_read.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <xlsxwriter.h>
#include <zip.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return p;
}

static char *temp_path(void)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/ecogov-xlsx-%d.xlsx", (int)getpid());
    return path;
}

/* Writes the test workbook: a first sheet "说明", then "名单" with strings,
 * numbers, a formula, a boolean, a date and gaps. */
static char *write_book(bool constant_memory, size_t *len)
{
    const char *path = temp_path();
    lxw_workbook_options opt = {.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    lxw_worksheet *intro = workbook_add_worksheet(wb, "说明");
    worksheet_write_string(intro, 0, 0, "read the other sheet", NULL);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "名单");
    worksheet_write_string(ws, 0, 0, "企业名称", NULL);
    worksheet_write_string(ws, 0, 1, "SO2", NULL);
    worksheet_write_string(ws, 0, 3, "备注", NULL);
    worksheet_write_string(ws, 1, 0, "景瓷市 \"东风\" 陶瓷, 有限公司", NULL);
    worksheet_write_number(ws, 1, 1, 12.5, NULL);
    worksheet_write_boolean(ws, 1, 2, 1, NULL);
    worksheet_write_string(ws, 1, 3, "  leading spaces\nand a newline <&>", NULL);
    worksheet_write_formula_num(ws, 2, 1, "=B2*2", NULL, 25);
    lxw_datetime dt = {2026, 12, 4, 12, 30, 0};
    worksheet_write_datetime(ws, 4, 4, &dt, NULL);
    worksheet_write_string(ws, 4, 0, "=HYPERLINK(\"x\")", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    char *data = slurp(path, len);
    unlink(path);
    return data;
}

static void check_book(bool constant_memory)
{
    size_t len;
    char *data = write_book(constant_memory, &len);
    struct xlsx_sheet s;
    char err[XLSX_ERR_MAX];
    assert_int_equal(xlsx_read(data, len, "名单", 10000, &s, err), 0);
    assert_int_equal(s.nrows, 5);
    assert_int_equal(s.ncols, 5);
    assert_string_equal(xlsx_cell(&s, 0, 0), "企业名称");
    assert_null(xlsx_cell(&s, 0, 2));
    assert_string_equal(xlsx_cell(&s, 1, 0), "景瓷市 \"东风\" 陶瓷, 有限公司");
    assert_string_equal(xlsx_cell(&s, 1, 1), "12.5");
    assert_string_equal(xlsx_cell(&s, 1, 2), "TRUE");
    assert_string_equal(xlsx_cell(&s, 1, 3), "  leading spaces\nand a newline <&>");
    assert_string_equal(xlsx_cell(&s, 2, 1), "25");
    assert_null(xlsx_cell(&s, 3, 0));
    assert_string_equal(xlsx_cell(&s, 4, 0), "=HYPERLINK(\"x\")"); /* text, never evaluated */
    assert_null(xlsx_cell(&s, 5, 0));
    assert_null(xlsx_cell(&s, 0, 9));
    int64_t t;
    assert_int_equal(xlsx_serial_to_wall(strtod(xlsx_cell(&s, 4, 4), NULL), s.date1904, &t), 0);
    assert_int_equal(t, 1796387400); /* 2026-12-04 12:30 wall clock */
    xlsx_sheet_free(&s);

    assert_int_equal(xlsx_read(data, len, NULL, 10000, &s, err), 0); /* first sheet */
    assert_int_equal(s.nrows, 1);
    assert_string_equal(xlsx_cell(&s, 0, 0), "read the other sheet");
    xlsx_sheet_free(&s);

    assert_int_equal(xlsx_read(data, len, "不存在", 10000, &s, err), -1);
    assert_non_null(strstr(err, "not found"));
    assert_int_equal(xlsx_read(data, len, "名单", 24, &s, err), -1); /* 5 × 5 > 24 */
    assert_non_null(strstr(err, "cells"));
    assert_null(s.cells);
    free(data);
}

static void test_shared_strings(void **state)
{
    (void)state;
    check_book(false);
}

static void test_inline_strings(void **state)
{
    (void)state;
    check_book(true);
}

static void test_hostile_containers(void **state)
{
    (void)state;
    struct xlsx_sheet s;
    char err[XLSX_ERR_MAX];
    assert_int_equal(xlsx_read("", 0, NULL, 100, &s, err), -1);
    assert_non_null(strstr(err, "not an xlsx"));
    const char junk[] = "企业名称,SO2\nPK\x03\x04 not really a zip";
    assert_int_equal(xlsx_read(junk, sizeof junk, NULL, 100, &s, err), -1);
    assert_non_null(strstr(err, "not an xlsx"));

    size_t len;
    char *data = write_book(false, &len);
    for (size_t cut = 1; cut < len; cut += len / 37 + 1) { /* truncated anywhere */
        assert_int_equal(xlsx_read(data, cut, "名单", 10000, &s, err), -1);
        assert_true(err[0] != '\0');
    }
    for (size_t i = 100; i < len; i += 211) { /* damaged bytes never crash */
        char *bad = malloc(len);
        memcpy(bad, data, len);
        bad[i] ^= 0x5a;
        if (xlsx_read(bad, len, "名单", 10000, &s, err) == 0)
            xlsx_sheet_free(&s);
        free(bad);
    }
    free(data);
}

/* A zip whose workbook part unpacks to 80 MiB of spaces: refused after
 * XLSX_PART_MAX bytes, not read into memory whole. */
static void test_zip_bomb(void **state)
{
    (void)state;
    const char *path = temp_path();
    zipFile z = zipOpen(path, APPEND_STATUS_CREATE);
    assert_non_null(z);
    assert_int_equal(zipOpenNewFileInZip(z, "xl/workbook.xml", NULL, NULL, 0, NULL, 0, NULL,
                                         Z_DEFLATED, Z_BEST_COMPRESSION),
                     ZIP_OK);
    char *spaces = malloc(1 << 20);
    memset(spaces, ' ', 1 << 20);
    for (int i = 0; i < 80; i++)
        assert_int_equal(zipWriteInFileInZip(z, spaces, 1 << 20), ZIP_OK);
    free(spaces);
    zipCloseFileInZip(z);
    zipClose(z, NULL);
    size_t len;
    char *data = slurp(path, &len);
    unlink(path);
    struct xlsx_sheet s;
    char err[XLSX_ERR_MAX];
    assert_int_equal(xlsx_read(data, len, NULL, 100, &s, err), -1);
    assert_non_null(strstr(err, "larger than"));
    free(data);
}

/* A hand-written workbook (the fuzz seed): rich-text runs joined, phonetic
 * runs left out, preserved spaces kept, cells without references placed
 * after the previous one, error cells and formula values as stored. */
static void test_hand_written(void **state)
{
    (void)state;
    size_t len;
    char *data = slurp("tests/fuzz/corpus/xlsx_read/seed-small.xlsx", &len);
    struct xlsx_sheet s;
    char err[XLSX_ERR_MAX];
    assert_int_equal(xlsx_read(data, len, NULL, 100, &s, err), 0);
    assert_int_equal(s.nrows, 3);
    assert_int_equal(s.ncols, 4);
    assert_string_equal(xlsx_cell(&s, 0, 0), "企业名称");
    assert_string_equal(xlsx_cell(&s, 0, 1), "SO2");
    assert_string_equal(xlsx_cell(&s, 1, 0), "景瓷");
    assert_string_equal(xlsx_cell(&s, 1, 2), "TRUE");
    assert_string_equal(xlsx_cell(&s, 1, 3), "#N/A");
    assert_string_equal(xlsx_cell(&s, 2, 0), "25");
    xlsx_sheet_free(&s);
    free(data);
}

static void test_serial_dates(void **state)
{
    (void)state;
    int64_t t;
    assert_int_equal(xlsx_serial_to_wall(1, false, &t), 0);
    assert_int_equal(t, -2208988800); /* 1900-01-01 */
    assert_int_equal(xlsx_serial_to_wall(59, false, &t), 0);
    assert_int_equal(t, -2203977600);                         /* 1900-02-28 */
    assert_int_equal(xlsx_serial_to_wall(60, false, &t), -1); /* Lotus's 1900-02-29 */
    assert_int_equal(xlsx_serial_to_wall(61, false, &t), 0);
    assert_int_equal(t, -2203891200); /* 1900-03-01 */
    assert_int_equal(xlsx_serial_to_wall(25569, false, &t), 0);
    assert_int_equal(t, 0);
    assert_int_equal(xlsx_serial_to_wall(45658.5, false, &t), 0);
    assert_int_equal(t, 1735732800); /* 2025-01-01 12:00 */
    assert_int_equal(xlsx_serial_to_wall(0, true, &t), 0);
    assert_int_equal(t, -2082844800); /* 1904-01-01 */
    assert_int_equal(xlsx_serial_to_wall(0, false, &t), -1);
    assert_int_equal(xlsx_serial_to_wall(-1, false, &t), -1);
    assert_int_equal(xlsx_serial_to_wall(1e300, false, &t), -1);
    assert_int_equal(xlsx_serial_to_wall(0.0 / 0.0, false, &t), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_strings),     cmocka_unit_test(test_inline_strings),
        cmocka_unit_test(test_hostile_containers), cmocka_unit_test(test_zip_bomb),
        cmocka_unit_test(test_serial_dates),       cmocka_unit_test(test_hand_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
