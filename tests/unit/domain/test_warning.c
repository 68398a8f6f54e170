/* Unit tests for domain/warning (the heavy-pollution warning grading) and
 * domain/warning_csv (the input of `ecogov warning grade`): every boundary of
 * the grading — exactly 200, 300 and 500; 2 days vs 1; 48 h vs 47 h; two
 * consecutive days above 300 vs two separated ones; ties — the 36-hour merge
 * rule, and every refusal of the CSV reader. */
#include "domain/warning.h"
#include "domain/warning_csv.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "domain/calendar.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static enum warning_level grade_daily(const int *aqi, size_t n, size_t *first, size_t *last)
{
    struct warning_grade g;
    assert_int_equal(warning_grade(aqi, n, WARNING_DAILY, &g), 0);
    if (first)
        *first = g.first;
    if (last)
        *last = g.last;
    return g.level;
}

static void test_episode_threshold_is_strict(void **state)
{
    (void)state;
    int at200[] = {200, 200, 200};
    int above[] = {201, 201};
    int split[] = {201, 200, 201};
    assert_int_equal(grade_daily(at200, N(at200), NULL, NULL), WARNING_NONE);
    assert_int_equal(grade_daily(above, N(above), NULL, NULL), WARNING_YELLOW);
    /* A day at exactly 200 ends the episode: two one-day episodes. */
    assert_int_equal(grade_daily(split, N(split), NULL, NULL), WARNING_NONE);
}

static void test_yellow_needs_two_days(void **state)
{
    (void)state;
    int one[] = {100, 300, 100};
    int two[] = {100, 250, 210, 100};
    size_t f, l;
    assert_int_equal(grade_daily(one, N(one), NULL, NULL), WARNING_NONE);
    assert_int_equal(grade_daily(two, N(two), &f, &l), WARNING_YELLOW);
    assert_int_equal(f, 1);
    assert_int_equal(l, 2);
}

static void test_orange_boundaries(void **state)
{
    (void)state;
    int at300[] = {250, 300, 250}; /* 300 is not above 300 */
    int above300[] = {250, 301, 250};
    int two_days[] = {301, 301}; /* too short for orange */
    assert_int_equal(grade_daily(at300, N(at300), NULL, NULL), WARNING_YELLOW);
    assert_int_equal(grade_daily(above300, N(above300), NULL, NULL), WARNING_ORANGE);
    assert_int_equal(grade_daily(two_days, N(two_days), NULL, NULL), WARNING_YELLOW);
}

static void test_red_boundaries(void **state)
{
    (void)state;
    int consecutive[] = {250, 301, 301, 250};
    int separated[] = {301, 250, 301, 250};
    int three_days[] = {250, 301, 301};
    int at300[] = {250, 301, 300, 250};
    assert_int_equal(grade_daily(consecutive, N(consecutive), NULL, NULL), WARNING_RED);
    assert_int_equal(grade_daily(separated, N(separated), NULL, NULL), WARNING_ORANGE);
    assert_int_equal(grade_daily(three_days, N(three_days), NULL, NULL), WARNING_ORANGE);
    assert_int_equal(grade_daily(at300, N(at300), NULL, NULL), WARNING_ORANGE);
}

static void test_reaching_500_is_red(void **state)
{
    (void)state;
    int at500[] = {100, 500, 100};
    int at499[] = {100, 499, 100};
    assert_int_equal(grade_daily(at500, N(at500), NULL, NULL), WARNING_RED);
    assert_int_equal(grade_daily(at499, N(at499), NULL, NULL), WARNING_NONE);
}

static void test_highest_and_earliest_on_tie(void **state)
{
    (void)state;
    size_t f, l;
    int ties[] = {210, 210, 100, 220, 220, 100};
    assert_int_equal(grade_daily(ties, N(ties), &f, &l), WARNING_YELLOW);
    assert_int_equal(f, 0);
    assert_int_equal(l, 1);
    int later_higher[] = {210, 210, 100, 100, 250, 310, 250};
    assert_int_equal(grade_daily(later_higher, N(later_higher), &f, &l), WARNING_ORANGE);
    assert_int_equal(f, 4);
    assert_int_equal(l, 6);
    int none[] = {210, 100, 210};
    struct warning_grade g;
    assert_int_equal(warning_grade(none, N(none), WARNING_DAILY, &g), 0);
    assert_true(g.found);
    assert_int_equal(g.level, WARNING_NONE);
    assert_int_equal(warning_grade(none, 0, WARNING_DAILY, &g), 0);
    assert_false(g.found);
}

/* Hourly rolling 24-hour means: n hours at `v`, padded with clean hours. */
static size_t hourly(int *buf, size_t cap, size_t hours, int v)
{
    size_t n = 0;
    buf[n++] = 100;
    for (size_t i = 0; i < hours && n < cap; i++)
        buf[n++] = v;
    buf[n++] = 100;
    return n;
}

static void test_hourly_48_vs_47(void **state)
{
    (void)state;
    int buf[200];
    struct warning_grade g;
    size_t n = hourly(buf, 198, 48, 201);
    assert_int_equal(warning_grade(buf, n, WARNING_HOURLY, &g), 0);
    assert_int_equal(g.level, WARNING_YELLOW);
    assert_int_equal(g.first, 1);
    assert_int_equal(g.last, 48);
    n = hourly(buf, 198, 47, 201);
    assert_int_equal(warning_grade(buf, n, WARNING_HOURLY, &g), 0);
    assert_int_equal(g.level, WARNING_NONE);
    /* 72 h with one hour above 300 is orange, 71 h is yellow. */
    n = hourly(buf, 198, 72, 250);
    buf[30] = 301;
    assert_int_equal(warning_grade(buf, n, WARNING_HOURLY, &g), 0);
    assert_int_equal(g.level, WARNING_ORANGE);
    n = hourly(buf, 198, 71, 250);
    buf[30] = 301;
    assert_int_equal(warning_grade(buf, n, WARNING_HOURLY, &g), 0);
    assert_int_equal(g.level, WARNING_YELLOW);
}

static void test_hourly_two_days_above_300(void **state)
{
    (void)state;
    int buf[200];
    struct warning_grade g;
    /* 96 h; hours 10 and 34 (24 h apart) above 300: two back-to-back days. */
    size_t n = hourly(buf, 198, 96, 250);
    buf[10] = 301;
    buf[34] = 301;
    assert_int_equal(warning_grade(buf, n, WARNING_HOURLY, &g), 0);
    assert_int_equal(g.level, WARNING_RED);
    /* 23 h apart: the windows overlap, one day only. */
    buf[34] = 250;
    buf[33] = 301;
    assert_int_equal(warning_grade(buf, n, WARNING_HOURLY, &g), 0);
    assert_int_equal(g.level, WARNING_ORANGE);
    /* 95 h is too short for red. */
    n = hourly(buf, 198, 95, 250);
    buf[10] = 301;
    buf[34] = 301;
    assert_int_equal(warning_grade(buf, n, WARNING_HOURLY, &g), 0);
    assert_int_equal(g.level, WARNING_ORANGE);
}

static void test_merge_gap(void **state)
{
    (void)state;
    struct warning_grade g;
    struct warning_episode e[4];
    /* One clear day (24 h <= 36 h) between: one managed episode of 3 days. */
    int one_gap[] = {250, 150, 310, 250};
    assert_int_equal(warning_episodes(one_gap, N(one_gap), WARNING_DAILY, e, 4), 2);
    assert_int_equal(warning_episodes_merged(one_gap, N(one_gap), WARNING_DAILY, e, 4), 1);
    assert_int_equal(e[0].first, 0);
    assert_int_equal(e[0].last, 3);
    assert_int_equal(e[0].level, WARNING_ORANGE);
    assert_int_equal(warning_grade_merged(one_gap, N(one_gap), WARNING_DAILY, &g), 0);
    assert_int_equal(g.level, WARNING_ORANGE);
    /* Unmerged (the CLI's definition), the same days grade yellow. */
    assert_int_equal(warning_grade(one_gap, N(one_gap), WARNING_DAILY, &g), 0);
    assert_int_equal(g.level, WARNING_YELLOW);
    /* Two clear days (48 h) between: two episodes. */
    int two_gap[] = {250, 150, 150, 310, 250};
    assert_int_equal(warning_episodes_merged(two_gap, N(two_gap), WARNING_DAILY, e, 4), 2);
    /* Hourly: 36 clear hours merge, 37 do not. */
    int buf[200];
    for (size_t i = 0; i < 200; i++)
        buf[i] = 100;
    for (size_t i = 0; i < 30; i++)
        buf[i] = buf[66 + i] = 250;
    assert_int_equal(warning_episodes_merged(buf, 200, WARNING_HOURLY, e, 4), 1);
    buf[66] = 100;
    assert_int_equal(warning_episodes_merged(buf, 200, WARNING_HOURLY, e, 4), 2);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    struct warning_grade g;
    int neg[] = {-1};
    int big[] = {501};
    int ok[] = {250, 250};
    assert_int_equal(warning_grade(neg, 1, WARNING_DAILY, &g), -1);
    assert_int_equal(warning_grade(big, 1, WARNING_DAILY, &g), -1);
    assert_int_equal(warning_grade(ok, 2, 7, &g), -1);
    assert_int_equal(warning_grade(NULL, 1, WARNING_DAILY, &g), -1);
    assert_int_equal(warning_level_of(ok, 1, 0, WARNING_DAILY), WARNING_NONE);
    assert_string_equal(warning_level_name(WARNING_ORANGE), "orange");
    assert_null(warning_level_name(WARNING_LEVEL_COUNT));
    assert_int_equal(warning_level_parse("red"), WARNING_RED);
    assert_int_equal(warning_level_parse("Red"), -1);
}

/* The CSV reader: returns 0/-1 and the error line. */
static int csv(const char *text, size_t *n, int *aqi, unsigned long *line)
{
    int32_t first;
    struct warning_csv_error err = {0, ""};
    int rc = warning_csv_parse(text, strlen(text), &first, aqi, 10, n, &err);
    *line = err.line;
    return rc;
}

static void test_csv_accepts(void **state)
{
    (void)state;
    int aqi[10];
    size_t n = 0;
    unsigned long line;
    int32_t first;
    struct warning_csv_error err;
    const char *t = "date,aqi\n2026-01-30,201\n2026-01-31, 0 \n2026-02-01,500";
    assert_int_equal(warning_csv_parse(t, strlen(t), &first, aqi, 10, &n, &err), 0);
    assert_int_equal(n, 3);
    assert_int_equal(aqi[0], 201);
    assert_int_equal(aqi[1], 0);
    assert_int_equal(aqi[2], 500);
    char d[11];
    calendar_format_date(first, d);
    assert_string_equal(d, "2026-01-30");
    assert_int_equal(csv("2026-12-31,5\n2027-01-01,6\n", &n, aqi, &line), 0);
    assert_int_equal(n, 2);
    /* What a spreadsheet writes: BOM, CRLF, a header in other case, blank
     * lines; decimals rounded up as HJ 633 rounds indices; above 500 is 500. */
    assert_int_equal(csv("\xEF\xBB\xBF"
                         "Date, AQI\r\n\r\n2026-01-01,200.0\r\n2026-01-02,200.2\r\n"
                         "2026-01-03,300.\r\n2026-01-04,520\r\n\r\n",
                         &n, aqi, &line),
                     0);
    assert_int_equal(n, 4);
    assert_int_equal(aqi[0], 200);
    assert_int_equal(aqi[1], 201);
    assert_int_equal(aqi[2], 300);
    assert_int_equal(aqi[3], 500);
}

static void test_csv_refuses(void **state)
{
    (void)state;
    int aqi[10];
    size_t n;
    unsigned long line;
    static const struct {
        const char *text;
        unsigned long line;
    } bad[] = {
        {"", 0},
        {"date,aqi\n", 0},
        {"\xEF\xBB\xBF\n\r\n", 0},
        {"2026-01-01,5\r\r\n", 1},
        {"2026-02-30,5\n", 1},
        {"26-01-01,5\n", 1},
        {"2026-01-01,5\n2026-01-01,5\n", 2},
        {"2026-01-02,5\n2026-01-01,5\n", 2},
        {"2026-01-01,5\n2026-01-03,5\n", 2},
        {"2026-01-01,\n", 1},
        {"2026-01-01,abc\n", 1},
        {"2026-01-01,-3\n", 1},
        {"2026-01-01,10000\n", 1},
        {"2026-01-01,99999999999999999999\n", 1},
        {"2026-01-01,.5\n", 1},
        {"2026-01-01,2.5.1\n", 1},
        {"2026-01-01,1e3\n", 1},
        {"2026-01-01\n", 1},
        {"2026-01-01,5,6\n", 1},
        {"2026-01-01,5\ndate,aqi\n", 2},
        {"2026-01-01,5\x01\n", 1},
    };
    for (size_t i = 0; i < N(bad); i++) {
        line = 99;
        assert_int_equal(csv(bad[i].text, &n, aqi, &line), -1);
        assert_int_equal(line, bad[i].line);
    }
    /* A NUL byte inside the input is an error, not an end. */
    int32_t first;
    struct warning_csv_error err;
    assert_int_equal(warning_csv_parse("2026-01-01,5\0junk", 17, &first, aqi, 10, &n, &err), -1);
    /* More days than the caller's array. */
    const char *many = "2026-01-01,1\n2026-01-02,1\n2026-01-03,1\n";
    assert_int_equal(warning_csv_parse(many, strlen(many), &first, aqi, 2, &n, &err), -1);
    assert_int_equal(err.line, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_episode_threshold_is_strict),
        cmocka_unit_test(test_yellow_needs_two_days),
        cmocka_unit_test(test_orange_boundaries),
        cmocka_unit_test(test_red_boundaries),
        cmocka_unit_test(test_reaching_500_is_red),
        cmocka_unit_test(test_highest_and_earliest_on_tie),
        cmocka_unit_test(test_hourly_48_vs_47),
        cmocka_unit_test(test_hourly_two_days_above_300),
        cmocka_unit_test(test_merge_gap),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_csv_accepts),
        cmocka_unit_test(test_csv_refuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
