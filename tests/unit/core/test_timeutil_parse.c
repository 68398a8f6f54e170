/* Unit tests for timeutil_parse_time: the one reader of times as people,
 * files and ISO 8601 / RFC 3339 write them (issue 17 item 11d). */
#include "core/timeutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

/* 2026-06-01 12:00:00 Beijing = 04:00:00 UTC. */
#define NOON_BJ ((int64_t)1780286400)

static int parse(const char *s, int64_t *t, int *clock)
{
    return timeutil_parse_time(s, strlen(s), t, clock);
}

static void test_forms_of_one_instant(void **state)
{
    (void)state;
    static const char *const same[] = {
        "2026-06-01 12:00",
        "2026-06-01T12:00",
        "2026-06-01 12:00:00",
        "2026-06-01T12:00:00",
        "2026-06-01T12:00:00+08:00",
        "2026-06-01T04:00:00Z",
        "2026-06-01T04:00Z",
        "2026-06-01T12:00:00+0800",
        "2026-06-01T12:00:00+08",
        "2026-05-31T23:00:00-05:00",
        "2026-06-01T12:00:00.999+08:00",
        "2026-06-01T09:30:00+05:30",
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        int64_t t = 0;
        int clock = 0;
        assert_int_equal(parse(same[i], &t, &clock), 0);
        assert_int_equal(t, NOON_BJ);
        assert_int_equal(clock, 1);
    }
}

static void test_date_and_seconds(void **state)
{
    (void)state;
    int64_t t, d;
    int clock = 1;
    assert_int_equal(parse("2026-06-01", &t, &clock), 0);
    assert_int_equal(clock, 0);
    assert_int_equal(timeutil_parse_date("2026-06-01", &d), 0);
    assert_int_equal(t, d);
    assert_int_equal(parse("2026-06-01T12:00:59Z", &t, NULL), 0);
    assert_int_equal(t, NOON_BJ + 8 * 3600 + 59);
    assert_int_equal(parse("2024-02-29T00:00:00Z", &t, NULL), 0);
    /* the length is the caller's: bytes after it are not read */
    assert_int_equal(timeutil_parse_time("2026-06-01T04:00:00Zjunk", 20, &t, NULL), 0);
    assert_int_equal(t, NOON_BJ);
}

static void test_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "2026-6-01",
        "2026-02-29",
        "2026-06-31T00:00",
        "2026-06-01Z",
        "2026-06-01+08:00",
        "2026-06-01T24:00",
        "2026-06-01T12:60",
        "2026-06-01T12:00:60",
        "2026-06-01T12",
        "2026-06-01X12:00",
        "2026-06-01T12:00:00.",
        "2026-06-01T12:00:00.1234567890",
        "2026-06-01T12:00:00+15:00",
        "2026-06-01T12:00:00+08:60",
        "2026-06-01T12:00:00+8",
        "2026-06-01T12:00:00+08:0",
        "2026-06-01T12:00:00 +08:00",
        "2026-06-01T12:00:00z",
        "2026-06-01T12:00:00Z ",
        "1899-12-31T12:00",
        "2026-06-01T12:00:00UTC",
        "2026-06-01T1a:00",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t t = 42;
        assert_int_equal(parse(bad[i], &t, NULL), -1);
        assert_int_equal(t, 42);
    }
    int64_t t;
    assert_int_equal(timeutil_parse_time(NULL, 10, &t, NULL), -1);
    const char nul[] = "2026-06-01\0002:00";
    assert_int_equal(timeutil_parse_time(nul, sizeof nul - 1, &t, NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms_of_one_instant),
        cmocka_unit_test(test_date_and_seconds),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
