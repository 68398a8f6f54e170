/* Unit tests for domain/calendar: civil dates, the shipped 2025/2026 schedules
 * (check values from admin-rules §10), working-day arithmetic in both directions,
 * provisional years, run-time edits, and a brute-force cross-check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/calendar.h"

static int32_t D(const char *s)
{
    int32_t d = CALENDAR_DAY_INVALID;
    if (calendar_parse_date(s, &d) != 0)
        fail_msg("bad test date %s", s);
    return d;
}

static void assert_date(int32_t day, const char *want)
{
    char buf[11];
    calendar_format_date(day, buf);
    assert_string_equal(buf, want);
}

static int setup(void **state)
{
    struct calendar *cal = calendar_new();
    calendar_load_builtin(cal);
    *state = cal;
    return 0;
}

static int teardown(void **state)
{
    calendar_free(*state);
    return 0;
}

static void test_civil(void **state)
{
    (void)state;
    assert_int_equal(calendar_day_from_ymd(1970, 1, 1), 0);
    assert_int_equal(calendar_day_from_ymd(1, 1, 1), CALENDAR_DAY_MIN);
    assert_int_equal(calendar_day_from_ymd(9999, 12, 31), CALENDAR_DAY_MAX);
    assert_int_equal(calendar_day_from_ymd(2000, 3, 1), 11017);
    assert_int_equal(calendar_day_from_ymd(2000, 2, 29) + 1, calendar_day_from_ymd(2000, 3, 1));
    assert_int_equal(calendar_day_from_ymd(1900, 2, 29), CALENDAR_DAY_INVALID);
    assert_int_equal(calendar_day_from_ymd(2026, 13, 1), CALENDAR_DAY_INVALID);
    assert_int_equal(calendar_day_from_ymd(2026, 4, 31), CALENDAR_DAY_INVALID);
    assert_int_equal(calendar_day_from_ymd(0, 1, 1), CALENDAR_DAY_INVALID);
    assert_int_equal(calendar_weekday(0), 4);  /* Thursday */
    assert_int_equal(calendar_weekday(-1), 3); /* 1969-12-31, Wednesday */
    assert_int_equal(calendar_weekday(D("2026-02-14")), 6);
    assert_int_equal(calendar_weekday(D("2026-01-04")), 7);
    assert_int_equal(calendar_weekday(INT32_MIN), calendar_weekday(INT32_MIN + 7));
    assert_int_equal(calendar_year_of(-1), 1969);
    assert_int_equal(calendar_year_of(D("2026-12-31")), 2026);
    assert_int_equal(calendar_year_of(D("2027-01-01")), 2027);
    /* Round trip every day of 1900..2100 through format and parse. */
    for (int32_t d = D("1900-01-01"); d <= D("2100-12-31"); d++) {
        char buf[11];
        int32_t back = 0;
        calendar_format_date(d, buf);
        assert_int_equal(calendar_parse_date(buf, &back), 0);
        assert_int_equal(back, d);
    }
    assert_date(CALENDAR_DAY_MAX + 1, "0000-00-00");
    assert_date(CALENDAR_DAY_MIN, "0001-01-01");
}

static void test_parse_strict(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",           "2026-2-14",  "2026-02-14 ", " 2026-02-14", "2026/02/14",     "20260214",
        "2026-02-30", "2025-02-29", "2026-00-10",  "2026-13-01",  "1899-12-31",     "0000-01-01",
        "2026-02-1x", "+026-02-14", "2026-02-14T", "2026--2-14",  "２０２６-02-14",
    };
    int32_t day = 12345;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(calendar_parse_date(bad[i], &day), -1);
        assert_int_equal(day, 12345);
    }
    assert_int_equal(calendar_parse_date(NULL, &day), -1);
    assert_int_equal(calendar_parse_date("2024-02-29", &day), 0);
    assert_int_equal(calendar_parse_date("1900-01-01", &day), 0);
    assert_int_equal(calendar_parse_date("9999-12-31", &day), 0);
    assert_int_equal(day, CALENDAR_DAY_MAX);
}

/* Counts over one year by walking day by day (the reference for the check values). */
static void year_counts(const struct calendar *cal, int year, int *work, int *weekday_holidays,
                        int *makeups)
{
    *work = *weekday_holidays = *makeups = 0;
    for (int32_t d = calendar_day_from_ymd(year, 1, 1); d <= calendar_day_from_ymd(year, 12, 31);
         d++) {
        bool prov = true;
        *work += calendar_is_workday(cal, d, &prov);
        assert_false(prov);
        enum calendar_kind k = calendar_override(cal, d);
        if (k == CALENDAR_HOLIDAY && calendar_weekday(d) <= 5)
            (*weekday_holidays)++;
        if (k == CALENDAR_WORKDAY) {
            assert_true(calendar_weekday(d) >= 6);
            (*makeups)++;
        }
    }
}

static void test_2026_check_values(void **state)
{
    const struct calendar *cal = *state;
    int work, hol, mk;
    year_counts(cal, 2026, &work, &hol, &mk);
    assert_int_equal(hol, 19);
    assert_int_equal(mk, 6);
    assert_int_equal(work, 248);
    bool prov = true;
    assert_int_equal(calendar_workdays_between(cal, D("2025-12-31"), D("2026-12-31"), &prov), 248);
    assert_false(prov);

    assert_date(calendar_add_workdays(cal, D("2026-02-13"), 1, &prov), "2026-02-14");
    assert_false(prov);
    assert_date(calendar_add_workdays(cal, D("2026-02-13"), 2, NULL), "2026-02-24");
    assert_date(calendar_add_workdays(cal, D("2026-02-14"), 1, NULL), "2026-02-24");
    assert_date(calendar_add_workdays(cal, D("2026-02-24"), -1, NULL), "2026-02-14");
    assert_date(calendar_add_workdays(cal, D("2026-02-20"), -1, NULL), "2026-02-14");
    assert_date(calendar_add_workdays(cal, D("2026-02-20"), 1, NULL), "2026-02-24");
    /* 元旦: 1-3 off, Sunday 4th worked. */
    assert_date(calendar_add_workdays(cal, D("2025-12-31"), 1, NULL), "2026-01-04");
    assert_date(calendar_add_workdays(cal, D("2026-01-04"), -1, NULL), "2025-12-31");
    /* 国庆: 9-20 (Sun) worked, 10-1..10-7 off, 10-10 (Sat) worked. */
    assert_true(calendar_is_workday(cal, D("2026-09-20"), NULL));
    assert_date(calendar_add_workdays(cal, D("2026-09-30"), 1, NULL), "2026-10-08");
    assert_date(calendar_add_workdays(cal, D("2026-10-09"), 1, NULL), "2026-10-10");
    assert_date(calendar_add_workdays(cal, D("2026-10-10"), 1, NULL), "2026-10-12");
    assert_false(calendar_is_workday(cal, D("2026-09-25"), NULL)); /* 中秋 Friday */
    assert_false(calendar_is_workday(cal, D("2026-05-05"), NULL)); /* 劳动节 Tuesday */
    assert_true(calendar_is_workday(cal, D("2026-05-09"), NULL));
    /* Deadlines: 20 working days from 2026-09-15. */
    assert_date(calendar_add_workdays(cal, D("2026-09-15"), 20, NULL), "2026-10-19");
}

static void test_2025_check_values(void **state)
{
    const struct calendar *cal = *state;
    int work, hol, mk;
    year_counts(cal, 2025, &work, &hol, &mk);
    assert_int_equal(hol, 18);
    assert_int_equal(mk, 5);
    assert_int_equal(work, 261 - 18 + 5);
    /* Spring Festival: 1-26 (Sun) and 2-8 (Sat) worked, 1-28..2-4 off. */
    assert_date(calendar_add_workdays(cal, D("2025-01-24"), 1, NULL), "2025-01-26");
    assert_date(calendar_add_workdays(cal, D("2025-01-26"), 1, NULL), "2025-01-27");
    assert_date(calendar_add_workdays(cal, D("2025-01-27"), 1, NULL), "2025-02-05");
    assert_date(calendar_add_workdays(cal, D("2025-02-07"), 1, NULL), "2025-02-08");
    assert_date(calendar_add_workdays(cal, D("2025-02-05"), -1, NULL), "2025-01-27");
    assert_date(calendar_add_workdays(cal, D("2025-02-05"), -2, NULL), "2025-01-26");
    /* National Day + Mid-Autumn: 9-28 (Sun) worked, 10-1..10-8 off, 10-11 (Sat) worked. */
    assert_date(calendar_add_workdays(cal, D("2025-09-26"), 1, NULL), "2025-09-28");
    assert_date(calendar_add_workdays(cal, D("2025-09-30"), 1, NULL), "2025-10-09");
    assert_date(calendar_add_workdays(cal, D("2025-10-10"), 1, NULL), "2025-10-11");
    assert_date(calendar_add_workdays(cal, D("2025-10-09"), -1, NULL), "2025-09-30");
    assert_date(calendar_add_workdays(cal, D("2025-10-09"), -3, NULL), "2025-09-28");
    assert_int_equal(calendar_workdays_between(cal, D("2025-09-30"), D("2025-10-09"), NULL), 1);
    assert_int_equal(calendar_workdays_between(cal, D("2025-10-09"), D("2025-09-30"), NULL), -1);
    /* Across the year boundary into 2026. */
    assert_int_equal(calendar_workdays_between(cal, D("2024-12-31"), D("2026-12-31"), NULL),
                     248 + 248);
    assert_date(calendar_add_workdays(cal, D("2025-12-31"), 248, NULL), "2026-12-31");
    assert_date(calendar_add_workdays(cal, D("2026-12-31"), -248, NULL), "2025-12-31");
}

static void test_zero_and_identity(void **state)
{
    const struct calendar *cal = *state;
    bool prov = true;
    assert_int_equal(calendar_add_workdays(cal, D("2026-02-15"), 0, &prov), D("2026-02-15"));
    assert_false(prov);
    assert_int_equal(calendar_workdays_between(cal, D("2026-02-15"), D("2026-02-15"), &prov), 0);
    assert_false(prov);
    /* workdays_between(d, add_workdays(d, n)) == n, every start day, both directions. */
    for (int32_t d = D("2024-12-01"); d <= D("2027-02-01"); d += 3) {
        for (int n = -30; n <= 30; n += 7) {
            int32_t r = calendar_add_workdays(cal, d, n, NULL);
            assert_int_not_equal(r, CALENDAR_DAY_INVALID);
            assert_int_equal(calendar_workdays_between(cal, d, r, NULL), n);
            if (n != 0)
                assert_true(calendar_is_workday(cal, r, NULL));
        }
    }
}

/* add_workdays against a day-by-day walk, over the shipped years and their edges. */
static void test_against_walk(void **state)
{
    const struct calendar *cal = *state;
    for (int32_t d = D("2024-11-01"); d <= D("2027-02-28"); d += 5) {
        int32_t walk = d;
        for (int n = 1; n <= 60; n++) {
            do
                walk++;
            while (!calendar_is_workday(cal, walk, NULL));
            assert_int_equal(calendar_add_workdays(cal, d, n, NULL), walk);
        }
        walk = d;
        for (int n = -1; n >= -60; n--) {
            do
                walk--;
            while (!calendar_is_workday(cal, walk, NULL));
            assert_int_equal(calendar_add_workdays(cal, d, n, NULL), walk);
        }
    }
}

static void test_provisional(void **state)
{
    const struct calendar *cal = *state;
    bool prov = false;
    assert_true(calendar_year_known(cal, 2025));
    assert_true(calendar_year_known(cal, 2026));
    assert_false(calendar_year_known(cal, 2027));
    assert_false(calendar_year_known(cal, 2024));
    /* 2027's notice is not loaded: its statutory holidays are (元旦 on a
     * Friday), and answers over it are provisional. */
    assert_false(calendar_is_workday(cal, D("2027-01-01"), &prov));
    assert_true(prov);
    assert_date(calendar_add_workdays(cal, D("2026-12-30"), 1, &prov), "2026-12-31");
    assert_false(prov);
    assert_date(calendar_add_workdays(cal, D("2026-12-31"), 1, &prov), "2027-01-04");
    assert_true(prov);
    assert_date(calendar_add_workdays(cal, D("2027-01-01"), -1, &prov), "2026-12-31");
    assert_false(prov); /* only 2026-12-31 was consulted */
    assert_date(calendar_add_workdays(cal, D("2027-03-01"), 5, &prov), "2027-03-08");
    assert_true(prov);
    assert_int_equal(calendar_workdays_between(cal, D("2026-12-31"), D("2027-01-08"), &prov), 5);
    assert_true(prov);
    assert_int_equal(calendar_workdays_between(cal, D("2025-06-01"), D("2025-06-30"), &prov), 20);
    assert_false(prov);
    /* 2024 is before the shipped years: provisional too. */
    assert_date(calendar_add_workdays(cal, D("2025-01-02"), -1, &prov), "2024-12-31");
    assert_true(prov);
    assert_date(calendar_add_workdays(cal, D("2025-01-02"), -2, &prov), "2024-12-30");
    assert_true(prov);
}

static void test_long_spans_and_range(void **state)
{
    const struct calendar *cal = *state;
    bool prov = false;
    /* 10 million working days do not fit before 9999-12-31. */
    assert_int_equal(calendar_add_workdays(cal, D("2026-01-01"), 10000000, &prov),
                     CALENDAR_DAY_INVALID);
    assert_int_equal(calendar_add_workdays(cal, D("2026-01-01"), -10000000, NULL),
                     CALENDAR_DAY_INVALID);
    assert_int_equal(calendar_add_workdays(cal, D("2026-01-01"), INT32_MAX, NULL),
                     CALENDAR_DAY_INVALID);
    assert_int_equal(calendar_add_workdays(cal, D("2026-01-01"), INT32_MIN, NULL),
                     CALENDAR_DAY_INVALID);
    assert_int_equal(calendar_add_workdays(cal, CALENDAR_DAY_MAX + 1, 1, NULL),
                     CALENDAR_DAY_INVALID);
    assert_int_equal(calendar_add_workdays(cal, INT32_MIN, 1, NULL), CALENDAR_DAY_INVALID);
    /* A long span is exact and cheap: 2,000,000 working days and back. */
    int32_t far = calendar_add_workdays(cal, D("1900-01-01"), 2000000, &prov);
    assert_int_not_equal(far, CALENDAR_DAY_INVALID);
    assert_true(prov);
    assert_int_equal(calendar_workdays_between(cal, D("1900-01-01"), far, NULL), 2000000);
    /* 1900-01-01 was a Monday, so walking back lands on it. */
    assert_int_equal(calendar_add_workdays(cal, far, -2000000, NULL), D("1900-01-01"));
    /* The last working day in range, and nothing after it. */
    int32_t last = calendar_add_workdays(cal, CALENDAR_DAY_MAX, -1, NULL);
    assert_date(last, "9999-12-30"); /* 9999-12-31 is a Friday; the one before is Thursday */
    assert_int_equal(calendar_add_workdays(cal, last, 2, NULL), CALENDAR_DAY_INVALID);
    assert_int_equal(calendar_workdays_between(cal, CALENDAR_DAY_MIN, CALENDAR_DAY_MAX + 1, &prov),
                     0);
    assert_true(prov);
}

static void test_edits(void **state)
{
    (void)state;
    struct calendar *cal = calendar_new();
    bool prov = false;
    /* Empty calendar: the weekend rule, everything provisional. */
    assert_true(calendar_is_workday(cal, D("2026-02-16"), &prov));
    assert_true(prov);
    assert_date(calendar_add_workdays(cal, D("2026-02-13"), 1, &prov), "2026-02-16");
    assert_true(prov);
    /* Load a made-up 2027 schedule at run time. */
    assert_int_equal(calendar_set_day(cal, D("2027-02-08"), CALENDAR_HOLIDAY, "春节"), 0);
    assert_int_equal(calendar_set_day(cal, D("2027-02-06"), CALENDAR_WORKDAY, "调休"), 0);
    calendar_set_year_known(cal, 2027, true);
    assert_true(calendar_year_known(cal, 2027));
    assert_date(calendar_add_workdays(cal, D("2027-02-05"), 1, &prov), "2027-02-06");
    assert_false(prov);
    assert_date(calendar_add_workdays(cal, D("2027-02-06"), 1, NULL), "2027-02-09");
    const char *note = NULL;
    assert_int_equal(calendar_override_note(cal, D("2027-02-08"), &note), CALENDAR_HOLIDAY);
    assert_string_equal(note, "春节");
    /* Replace, then remove with NORMAL. */
    assert_int_equal(calendar_set_day(cal, D("2027-02-08"), CALENDAR_WORKDAY, NULL), 0);
    assert_int_equal(calendar_override_note(cal, D("2027-02-08"), &note), CALENDAR_WORKDAY);
    assert_null(note);
    assert_int_equal(calendar_set_day(cal, D("2027-02-08"), CALENDAR_NORMAL, "ignored"), 0);
    assert_int_equal(calendar_override(cal, D("2027-02-08")), CALENDAR_NORMAL);
    assert_int_equal(calendar_set_day(cal, D("2027-03-01"), CALENDAR_NORMAL, NULL), 0);
    size_t n = 99;
    const struct calendar_entry *e = calendar_entries(cal, &n);
    assert_int_equal(n, 1);
    assert_int_equal(e[0].day, D("2027-02-06"));
    /* Bad input leaves the calendar alone. */
    assert_int_equal(calendar_set_day(cal, CALENDAR_DAY_MAX + 1, CALENDAR_HOLIDAY, NULL), -1);
    assert_int_equal(calendar_set_day(cal, D("2027-02-09"), (enum calendar_kind)7, NULL), -1);
    calendar_entries(cal, &n);
    assert_int_equal(n, 1);
    /* Clear the year: back to the weekend rule and unknown. */
    calendar_clear_year(cal, 2027);
    calendar_entries(cal, &n);
    assert_int_equal(n, 0);
    assert_false(calendar_year_known(cal, 2027));
    assert_false(calendar_is_workday(cal, D("2027-02-06"), &prov));
    assert_true(prov);
    calendar_set_year_known(cal, 0, true); /* ignored */
    calendar_set_year_known(cal, 3000, false);
    assert_false(calendar_year_known(cal, 3000));
    calendar_free(cal);
    calendar_free(NULL);
}

static void test_builtin_table(void **state)
{
    (void)state;
    size_t n, ny;
    const struct calendar_entry *rows = calendar_builtin(&n);
    const int *years = calendar_builtin_years(&ny);
    assert_int_equal(ny, 2);
    assert_int_equal(years[0], 2025);
    assert_int_equal(years[1], 2026);
    assert_int_equal(n, 33 + 39);
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            assert_true(rows[i - 1].day < rows[i].day);
        assert_non_null(rows[i].note);
        int y = calendar_year_of(rows[i].day);
        assert_true(y == 2025 || y == 2026);
        assert_true(rows[i].kind == CALENDAR_HOLIDAY || rows[i].kind == CALENDAR_WORKDAY);
    }
    assert_int_equal(rows[0].day, D("2025-01-01"));
    assert_int_equal(rows[n - 1].day, D("2026-10-10"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_civil),
        cmocka_unit_test(test_parse_strict),
        cmocka_unit_test(test_builtin_table),
        cmocka_unit_test_setup_teardown(test_2026_check_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_2025_check_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zero_and_identity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_against_walk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_provisional, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_spans_and_range, setup, teardown),
        cmocka_unit_test(test_edits),
    };
    return cmocka_run_group_tests_name("calendar", tests, NULL, NULL);
}
