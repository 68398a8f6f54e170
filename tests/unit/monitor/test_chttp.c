/* Unit tests for the text the ClickHouse engine sends and reads (chttp.h): string literals no
 * value can end, TabSeparated fields that read back byte for byte whatever they hold, replies
 * split into rows and fields, and the configuration's checks on names written into SQL. */
#include "core/buf.h"
#include "modules/monitor/chttp.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static void test_literal_escapes_quotes_and_backslashes(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(chttp_put_literal(&b, "a'b\\c\n' OR 1=1 --"), 0);
    assert_string_equal(b.data, "'a\\'b\\\\c\\x0A\\' OR 1=1 --'");
    /* the literal ends only at its last byte: every other quote is escaped */
    for (size_t i = 1; i + 1 < b.len; i++)
        if (b.data[i] == '\'')
            assert_int_equal(b.data[i - 1], '\\');
    buf_free(&b);
}

static void test_field_round_trips_every_byte(void **state)
{
    (void)state;
    char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (char)i;
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(chttp_put_field(&b, all, sizeof all), 0);
    buf_putc(&b, '\t');
    chttp_put_field(&b, "second", 6);
    buf_putc(&b, '\n');
    chttp_put_field(&b, "x", 1);
    /* no raw tab or newline inside the first field */
    assert_null(memchr(b.data, '\n', (size_t)(strstr(b.data, "\tsecond") - b.data)));
    size_t pos = 0, lens[4];
    char *f[4];
    assert_int_equal(chttp_next_row(b.data, b.len, &pos, f, lens, 4), 2);
    assert_int_equal(lens[0], 256);
    assert_memory_equal(f[0], all, 256);
    assert_string_equal(f[1], "second");
    assert_int_equal(chttp_next_row(b.data, b.len, &pos, f, lens, 4), 1);
    assert_string_equal(f[0], "x");
    assert_int_equal(chttp_next_row(b.data, b.len, &pos, f, lens, 4), 0);
    buf_free(&b);
}

static void test_conf_refuses_names_that_are_not_identifiers(void **state)
{
    (void)state;
    struct chttp_conf c;
    char err[200];
    assert_int_equal(
        chttp_conf_parse(&c, "http://h:1", "u", "p", "eco; DROP", "c", err, sizeof err), -1);
    assert_int_equal(chttp_conf_parse(&c, "http://h:1", "u", "p", "eco", "c`x", err, sizeof err),
                     -1);
    assert_int_equal(chttp_conf_parse(&c, "ftp://h:1", "u", "p", "eco", "c", err, sizeof err), -1);
    assert_int_equal(chttp_conf_parse(&c, " , ", "u", "p", "eco", "c", err, sizeof err), -1);
    assert_int_equal(
        chttp_conf_parse(&c, " http://a:1/ ,http://b:2", "u", "p", "eco", "c_1", err, sizeof err),
        0);
    assert_int_equal(c.nurls, 2);
    assert_string_equal(c.urls[0], "http://a:1");
    assert_string_equal(c.urls[1], "http://b:2");
    chttp_conf_free(&c);
}

static void test_unreachable_server_is_an_error_with_its_address(void **state)
{
    (void)state;
    struct chttp_conf c;
    char err[300];
    /* port 1 on loopback: nobody listens */
    assert_int_equal(
        chttp_conf_parse(&c, "http://127.0.0.1:1", "u", "p", "eco", "c", err, sizeof err), 0);
    c.timeout = 2;
    assert_int_equal(chttp_run(&c, -1, NULL, "SELECT 1", NULL, 0, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "127.0.0.1:1"));
    chttp_conf_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literal_escapes_quotes_and_backslashes),
        cmocka_unit_test(test_field_round_trips_every_byte),
        cmocka_unit_test(test_conf_refuses_names_that_are_not_identifiers),
        cmocka_unit_test(test_unreachable_server_is_an_error_with_its_address),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
