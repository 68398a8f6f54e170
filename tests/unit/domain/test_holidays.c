/* Unit tests for domain/holidays: statutory holidays computed for years
 * without a State Council notice, checked against the notices' statutory
 * days (2025, 2026 shipped; earlier years from their notices), the rules in
 * force by period, 补假, and the calendar filled with them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/calendar.h"
#include "domain/holidays.h"

static int32_t D(const char *s)
{
    int32_t d = CALENDAR_DAY_INVALID;
    if (calendar_parse_date(s, &d) != 0)
        fail_msg("bad test date %s", s);
    return d;
}

/* The name computed for a date of year, or NULL when it is not a day off. */
static const char *off(int year, const char *date)
{
    static struct holiday_day days[HOLIDAYS_MAX];
    size_t n = holidays_of_year(year, days);
    for (size_t i = 0; i < n; i++)
        if (days[i].day == D(date))
            return days[i].name;
    return NULL;
}

static void assert_off(int year, const char *date, const char *name)
{
    const char *got = off(year, date);
    if (!got || strcmp(got, name) != 0)
        fail_msg("%s: want %s, got %s", date, name, got ? got : "(working)");
}

/* Lunar and solar-term dates as the State Council notices gave them. */
static void test_dates_from_notices(void **state)
{
    (void)state;
    static const struct {
        int year;
        const char *spring, *qingming, *duanwu, *zhongqiu;
    } known[] = {
        {2020, "2020-01-25", "2020-04-04", "2020-06-25", "2020-10-01"},
        {2021, "2021-02-12", "2021-04-04", "2021-06-14", "2021-09-21"},
        {2022, "2022-02-01", "2022-04-05", "2022-06-03", "2022-09-10"},
        {2023, "2023-01-22", "2023-04-05", "2023-06-22", "2023-09-29"},
        {2024, "2024-02-10", "2024-04-04", "2024-06-10", "2024-09-17"},
        {2025, "2025-01-29", "2025-04-04", "2025-05-31", "2025-10-06"},
        {2026, "2026-02-17", "2026-04-05", "2026-06-19", "2026-09-25"},
    };
    for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
        assert_off(known[i].year, known[i].spring, "春节");
        assert_off(known[i].year, known[i].qingming, "清明节");
        assert_off(known[i].year, known[i].duanwu, "端午节");
        if (known[i].year != 2020) /* 2020: 中秋 on 国庆's date */
            assert_off(known[i].year, known[i].zhongqiu, "中秋节");
    }
}

/* Every statutory day computed for the shipped years is a holiday in their
 * notices: the computation agrees with the State Council where it can. */
static void test_agrees_with_shipped_notices(void **state)
{
    (void)state;
    struct calendar *cal = calendar_new();
    size_t n;
    const struct calendar_entry *rows = calendar_builtin(&n);
    for (size_t i = 0; i < n; i++)
        calendar_set_day(cal, rows[i].day, rows[i].kind, rows[i].note);
    for (int y = 2025; y <= 2026; y++) {
        struct holiday_day days[HOLIDAYS_MAX];
        size_t k = holidays_of_year(y, days);
        assert_true(k >= 13);
        for (size_t i = 0; i < k; i++) {
            if (strstr(days[i].name, "补假"))
                continue; /* the notice places make-up days itself */
            char date[11];
            calendar_format_date(days[i].day, date);
            if (calendar_override(cal, days[i].day) != CALENDAR_HOLIDAY)
                fail_msg("%s %s is not a holiday in the notice", date, days[i].name);
        }
    }
    calendar_free(cal);
}

/* The rules by period: 春节 with 除夕 (2008–2013, 2025–), 初一至初三
 * (2014–), 劳动节 two days from 2025. */
static void test_rules_by_period(void **state)
{
    (void)state;
    assert_off(2013, "2013-02-09", "春节"); /* 除夕 */
    assert_off(2013, "2013-02-10", "春节");
    assert_off(2013, "2013-02-11", "春节");
    /* 初三 is no holiday under the 2007 rules, but 除夕 (Sat) and 初一 (Sun)
     * are made up on the next two working days. */
    assert_off(2013, "2013-02-12", "春节补假");
    assert_off(2013, "2013-02-13", "春节补假");
    assert_null(off(2013, "2013-02-14"));
    assert_null(off(2014, "2014-01-30")); /* 除夕 2014: working day */
    assert_off(2014, "2014-01-31", "春节");
    assert_off(2014, "2014-02-02", "春节"); /* 初三, a Sunday */
    assert_off(2014, "2014-02-03", "春节补假");
    assert_null(off(2024, "2024-05-02"));
    assert_off(2025, "2025-05-02", "劳动节");
    assert_off(2025, "2025-01-28", "春节"); /* 除夕 again */
    assert_int_equal(holidays_of_year(2007, (struct holiday_day[HOLIDAYS_MAX]){0}), 0);
    assert_int_equal(holidays_of_year(2101, (struct holiday_day[HOLIDAYS_MAX]){0}), 0);
}

/* 2027: 元旦 Friday; 春节 除夕 Fri 02-05, 初一 Sat, 初二 Sun, 初三 Mon, so
 * 补假 on Tue 02-09 and Wed 02-10; 2020's 中秋 on 10-01 makes up a day. */
static void test_makeup_days(void **state)
{
    (void)state;
    assert_off(2027, "2027-01-01", "元旦");
    assert_off(2027, "2027-02-05", "春节");
    assert_off(2027, "2027-02-08", "春节");
    assert_off(2027, "2027-02-09", "春节补假");
    assert_off(2027, "2027-02-10", "春节补假");
    assert_null(off(2027, "2027-02-11"));
    assert_off(2027, "2027-04-05", "清明节");
    assert_off(2027, "2027-05-01", "劳动节"); /* Saturday */
    assert_off(2027, "2027-05-02", "劳动节"); /* Sunday */
    assert_off(2027, "2027-05-03", "劳动节补假");
    assert_off(2027, "2027-05-04", "劳动节补假");
    assert_off(2027, "2027-06-09", "端午节");
    assert_off(2027, "2027-09-15", "中秋节");
    assert_off(2027, "2027-10-02", "国庆节"); /* Saturday */
    assert_off(2027, "2027-10-04", "国庆节补假");
    assert_off(2027, "2027-10-05", "国庆节补假");
    /* 2020: 中秋 = 国庆 10-01 (Thu); 10-03 Sat; both made up after 10-03. */
    assert_off(2020, "2020-10-01", "国庆节");
    assert_off(2020, "2020-10-05", "中秋节补假");
    assert_off(2020, "2020-10-06", "国庆节补假");
}

/* Every supported year: 清明 found, 11 (2008–2024) or 13 (2025–) statutory
 * days each on a distinct date, every 补假 on a Monday–Friday. */
static void test_every_year(void **state)
{
    (void)state;
    for (int y = HOLIDAYS_FIRST_YEAR; y <= HOLIDAYS_LAST_YEAR; y++) {
        struct holiday_day days[HOLIDAYS_MAX];
        size_t n = holidays_of_year(y, days);
        size_t statutory = 0, qingming = 0;
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(calendar_year_of(days[i].day), y);
            if (i > 0)
                assert_true(days[i].day > days[i - 1].day);
            if (strstr(days[i].name, "补假"))
                assert_true(calendar_weekday(days[i].day) <= 5);
            else
                statutory++;
            qingming += strcmp(days[i].name, "清明节") == 0;
        }
        assert_int_equal(qingming, 1);
        size_t want = y >= 2025 ? 13 : 11;
        /* A 中秋 on 国庆's date counts once among the dates. */
        if (statutory != want && statutory != want - 1)
            fail_msg("%d: %zu statutory days", y, statutory);
    }
}

/* Filling a calendar: unknown years get the days, known ones are left as
 * their notice says, and the years stay unknown. */
static void test_fill(void **state)
{
    (void)state;
    struct calendar *cal = calendar_new();
    calendar_load_builtin(cal); /* fills every unknown year */
    bool prov = false;
    assert_false(calendar_is_workday(cal, D("2027-01-01"), &prov));
    assert_true(prov);
    assert_false(calendar_year_known(cal, 2027));
    const char *note = NULL;
    assert_int_equal(calendar_override_note(cal, D("2027-02-09"), &note), CALENDAR_HOLIDAY);
    assert_string_equal(note, "春节补假");
    /* 2026's own notice stands: 02-14 is a make-up working day there. */
    assert_int_equal(calendar_override(cal, D("2026-02-14")), CALENDAR_WORKDAY);
    /* `calendar workdays 2026-12-31 2027-01-04` is 1 (元旦 on the Friday). */
    assert_int_equal(calendar_workdays_between(cal, D("2026-12-31"), D("2027-01-04"), &prov), 1);
    assert_true(prov);
    calendar_free(cal);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates_from_notices),
        cmocka_unit_test(test_agrees_with_shipped_notices),
        cmocka_unit_test(test_rules_by_period),
        cmocka_unit_test(test_makeup_days),
        cmocka_unit_test(test_every_year),
        cmocka_unit_test(test_fill),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
