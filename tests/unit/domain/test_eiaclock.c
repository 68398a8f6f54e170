/* Unit tests for domain/eiaclock: promised (working-day) and statutory
 * (calendar-day) clocks paused and resumed across the 2026 National Day
 * holiday (10-01..10-07 off, make-up working days 09-20 Sun and 10-10 Sat;
 * 中秋 09-25..09-27 off). */
#include "domain/eiaclock.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

static struct calendar *cal;

static int32_t D(const char *s)
{
    int32_t d = CALENDAR_DAY_INVALID;
    assert_int_equal(calendar_parse_date(s, &d), 0);
    return d;
}

static void assert_day(int32_t day, const char *want)
{
    char got[11];
    calendar_format_date(day, got);
    assert_string_equal(got, want);
}

static int setup(void **state)
{
    (void)state;
    cal = calendar_new();
    calendar_load_builtin(cal);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    calendar_free(cal);
    return 0;
}

static void test_no_pause_across_holidays(void **state)
{
    (void)state;
    struct eiaclock_state s;
    /* 09-18 Fri: 09-20(make-up) 21 22 23 24 | 中秋 | 28 29 30 | 国庆 | 10-08 10-09. */
    assert_int_equal(eiaclock_compute(cal, D("2026-09-18"), 10, EIACLOCK_WORKDAYS, NULL, 0,
                                      D("2026-09-30"), EIACLOCK_OPEN, 2, &s),
                     0);
    assert_day(s.deadline, "2026-10-09");
    assert_int_equal(s.used, 8);
    assert_int_equal(s.remaining, 2);
    assert_int_equal(s.status, EIACLOCK_WARNING);
    assert_false(s.provisional);
    /* The make-up Saturday counts. */
    assert_int_equal(eiaclock_compute(cal, D("2026-10-08"), 2, EIACLOCK_WORKDAYS, NULL, 0,
                                      D("2026-10-08"), EIACLOCK_OPEN, 0, &s),
                     0);
    assert_day(s.deadline, "2026-10-10");
}

static void test_pause_over_national_day(void **state)
{
    (void)state;
    struct eiaclock_pause p = {D("2026-09-29"), D("2026-10-12")}; /* expert review */
    struct eiaclock_state s;
    assert_int_equal(eiaclock_compute(cal, D("2026-09-18"), 10, EIACLOCK_WORKDAYS, &p, 1,
                                      D("2026-10-09"), EIACLOCK_OPEN, 2, &s),
                     0);
    assert_true(s.paused);
    assert_int_equal(s.used, 6);
    assert_int_equal(s.remaining, 4);
    /* Resumed 10-12 (the make-up 10-10 fell inside the pause): 12 13 14 15. */
    assert_day(s.deadline, "2026-10-15");
    assert_int_equal(eiaclock_compute(cal, D("2026-09-18"), 10, EIACLOCK_WORKDAYS, &p, 1,
                                      D("2026-10-13"), EIACLOCK_OPEN, 2, &s),
                     0);
    assert_false(s.paused);
    assert_int_equal(s.used, 8);
    assert_int_equal(s.status, EIACLOCK_WARNING);
    assert_int_equal(s.paused_days, 13);
    /* Statutory 30 calendar days: 10 before the pause, 20 after -> 10-31. */
    assert_int_equal(eiaclock_compute(cal, D("2026-09-18"), 30, EIACLOCK_DAYS, &p, 1,
                                      D("2026-10-13"), EIACLOCK_OPEN, 5, &s),
                     0);
    assert_day(s.deadline, "2026-10-31");
    assert_int_equal(s.used, 12);
    assert_int_equal(s.status, EIACLOCK_RUNNING);
}

static void test_pause_only_over_holidays_changes_nothing(void **state)
{
    (void)state;
    struct eiaclock_pause p = {D("2026-10-01"), D("2026-10-08")};
    struct eiaclock_state s;
    assert_int_equal(eiaclock_compute(cal, D("2026-09-18"), 10, EIACLOCK_WORKDAYS, &p, 1,
                                      D("2026-10-08"), EIACLOCK_OPEN, 2, &s),
                     0);
    assert_day(s.deadline, "2026-10-09");
    assert_int_equal(s.used, 9);
}

static void test_open_pause(void **state)
{
    (void)state;
    struct eiaclock_pause p = {D("2026-09-29"), EIACLOCK_OPEN};
    struct eiaclock_state s;
    assert_int_equal(eiaclock_compute(cal, D("2026-09-18"), 10, EIACLOCK_WORKDAYS, &p, 1,
                                      D("2026-10-09"), EIACLOCK_OPEN, 2, &s),
                     0);
    assert_true(s.paused);
    assert_int_equal(s.used, 6);
    /* As if resumed tomorrow, 10-10 (make-up): 10 12 13 14. */
    assert_day(s.deadline, "2026-10-14");
}

static void test_overdue_and_stopped(void **state)
{
    (void)state;
    struct eiaclock_state s;
    assert_int_equal(eiaclock_compute(cal, D("2026-09-18"), 10, EIACLOCK_WORKDAYS, NULL, 0,
                                      D("2026-10-12"), EIACLOCK_OPEN, 2, &s),
                     0);
    assert_int_equal(s.status, EIACLOCK_OVERDUE);
    assert_int_equal(s.remaining, -2); /* 10-10 (make-up) and 10-12 past the limit */
    assert_int_equal(eiaclock_compute(cal, D("2026-09-18"), 10, EIACLOCK_WORKDAYS, NULL, 0,
                                      D("2026-10-20"), D("2026-09-24"), 2, &s),
                     0);
    assert_int_equal(s.status, EIACLOCK_STOPPED);
    assert_int_equal(s.used, 5);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    struct eiaclock_state s;
    struct eiaclock_pause bad = {D("2026-10-05"), D("2026-10-01")};
    assert_int_equal(eiaclock_compute(cal, D("2026-09-18"), 0, EIACLOCK_WORKDAYS, NULL, 0,
                                      D("2026-09-18"), EIACLOCK_OPEN, 2, &s),
                     -1);
    assert_int_equal(eiaclock_compute(cal, D("2026-09-18"), 10, EIACLOCK_WORKDAYS, &bad, 1,
                                      D("2026-09-18"), EIACLOCK_OPEN, 2, &s),
                     -1);
    assert_day(eiaclock_add_workdays(cal, D("2026-09-30"), 5), "2026-10-13");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_pause_across_holidays),
        cmocka_unit_test(test_pause_over_national_day),
        cmocka_unit_test(test_pause_only_over_holidays_changes_nothing),
        cmocka_unit_test(test_open_pause),
        cmocka_unit_test(test_overdue_and_stopped),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
