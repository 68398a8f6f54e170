/* Unit tests for the village module's pure rules: the shipped GB 18918
 * class limits, a sample's compliance (pH range, the cold NH3-N limit, only
 * limited pollutants judged), a day's running state from its evidence, the
 * map state and where a stop began, the running-rate period, and the missed
 * days of waste clearance across month and year ends and a leap day. */
#include "core/timeutil.h"
#include "modules/village/rules.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static const struct village_limit *limit_of(const struct village_limit *l, size_t n, const char *f)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(l[i].factor, f))
            return &l[i];
    return NULL;
}

static void test_gb18918_classes(void **state)
{
    (void)state;
    struct village_limit l[VILLAGE_LIMITS_MAX];
    size_t n;
    assert_int_equal(village_standard_limits("gb18918_1a", l, &n), 0);
    assert_int_equal(n, 8);
    assert_true(limit_of(l, n, "w01018")->max == 50);
    assert_true(limit_of(l, n, "w21003")->max == 5);
    assert_true(limit_of(l, n, "w21003")->max_cold == 8);
    assert_true(limit_of(l, n, "w21011")->max == 0.5);
    assert_true(limit_of(l, n, "w01001")->min == 6 && limit_of(l, n, "w01001")->max == 9);
    assert_int_equal(village_standard_limits("gb18918_1b", l, &n), 0);
    assert_true(limit_of(l, n, "w01018")->max == 60);
    assert_true(limit_of(l, n, "w21003")->max_cold == 15);
    assert_int_equal(village_standard_limits("gb18918_2", l, &n), 0);
    assert_null(limit_of(l, n, "w21001")); /* no TN limit in class 2 */
    assert_true(limit_of(l, n, "w21003")->max == 25);
    assert_int_equal(village_standard_limits("gb18918_3", l, &n), 0);
    assert_null(limit_of(l, n, "w21003"));
    assert_true(limit_of(l, n, "w01018")->max == 120);
    assert_int_equal(village_standard_limits("custom", l, &n), -1);
    assert_int_equal(village_standard_limits("gb3838_3", l, &n), -1);
    assert_string_equal(village_standard_name("gb18918_1a"), "GB 18918-2002 一级A");
}

/* GB 18918-2002 Table 1 as published (docs/village.md cites the copies it
 * was checked against), per class 一级A / 一级B / 二级 / 三级; 0 = "–" (no
 * limit, so not shipped). Every shipped limit must be exactly this. */
static const struct {
    const char *factor;
    double max[4], cold[4];
} table1[] = {
    {"w01018", {50, 60, 100, 120}, {0}},       /* COD */
    {"w01017", {10, 20, 30, 60}, {0}},         /* BOD5 */
    {"w01012", {10, 20, 30, 50}, {0}},         /* SS */
    {"w22001", {1, 3, 5, 15}, {0}},            /* 石油类 */
    {"w21001", {15, 20, 0, 0}, {0}},           /* TN */
    {"w21003", {5, 8, 25, 0}, {8, 15, 30, 0}}, /* NH3-N, (≤ 12 °C) */
    {"w21011", {0.5, 1, 3, 5}, {0}},           /* TP, built from 2006-01-01 */
};

static void test_gb18918_table1_as_published(void **state)
{
    (void)state;
    static const char *const classes[] = {"gb18918_1a", "gb18918_1b", "gb18918_2", "gb18918_3"};
    for (int c = 0; c < 4; c++) {
        struct village_limit l[VILLAGE_LIMITS_MAX];
        size_t n, expected = 1; /* pH */
        assert_int_equal(village_standard_limits(classes[c], l, &n), 0);
        const struct village_limit *ph = limit_of(l, n, "w01001");
        assert_true(ph && ph->min == 6 && ph->max == 9);
        for (size_t i = 0; i < sizeof table1 / sizeof table1[0]; i++) {
            const struct village_limit *x = limit_of(l, n, table1[i].factor);
            if (table1[i].max[c] == 0) {
                assert_null(x);
                continue;
            }
            expected++;
            assert_non_null(x);
            assert_true(x->max == table1[i].max[c]);
            assert_true(isnan(x->min));
            if (table1[i].cold[c] > 0)
                assert_true(x->max_cold == table1[i].cold[c]);
            else
                assert_true(isnan(x->max_cold));
        }
        assert_int_equal(n, expected); /* nothing shipped beyond the table */
    }
}

static json_t *values(const char *text)
{
    json_t *v = json_loads(text, 0, NULL);
    assert_non_null(v);
    return v;
}

static void test_judge(void **state)
{
    (void)state;
    struct village_limit l[VILLAGE_LIMITS_MAX];
    size_t n;
    village_standard_limits("gb18918_1a", l, &n);
    struct village_judgement j;
    /* At the limit complies; one above exceeds. */
    json_t *v = values("{\"w01018\": 50, \"w21003\": 5, \"w01001\": 6}");
    village_judge(l, n, v, &j);
    assert_int_equal(j.measured, 3);
    assert_int_equal(json_array_size(j.exceed), 0);
    json_decref(j.exceed);
    json_decref(v);
    v = values("{\"w01018\": 50.01, \"w01001\": 5.9, \"w99999\": 1e9}");
    village_judge(l, n, v, &j);
    assert_int_equal(j.measured, 2); /* an unlimited factor is not judged */
    assert_int_equal(json_array_size(j.exceed), 2);
    assert_true(json_number_value(json_object_get(json_array_get(j.exceed, 0), "limit")) == 6);
    json_decref(j.exceed);
    json_decref(v);
    /* NH3-N 7: over 5 when warm, within 8 at 12 °C or below. */
    v = values("{\"w21003\": 7, \"w01010\": 13}");
    village_judge(l, n, v, &j);
    assert_int_equal(json_array_size(j.exceed), 1);
    json_decref(j.exceed);
    json_decref(v);
    v = values("{\"w21003\": 7, \"w01010\": 12}");
    village_judge(l, n, v, &j);
    assert_int_equal(json_array_size(j.exceed), 0);
    json_decref(j.exceed);
    json_decref(v);
    /* No limited factor: nothing measured. */
    v = values("{\"w00000\": 3}");
    village_judge(l, n, v, &j);
    assert_int_equal(j.measured, 0);
    json_decref(j.exceed);
    json_decref(v);
}

static void test_limits_round_trip(void **state)
{
    (void)state;
    struct village_limit l[VILLAGE_LIMITS_MAX], back[VILLAGE_LIMITS_MAX];
    size_t n, m;
    village_standard_limits("gb18918_1b", l, &n);
    json_t *j = village_limits_json(l, n);
    assert_int_equal(village_limits_parse(j, back, &m), 0);
    assert_int_equal(m, n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(back[i].factor, l[i].factor);
        assert_true(back[i].max == l[i].max);
        assert_int_equal(isnan(back[i].min), isnan(l[i].min));
    }
    json_decref(j);
    j = json_loads("[{\"factor\": \"COD\", \"max\": 1}]", 0, NULL);
    assert_int_equal(village_limits_parse(j, back, &m), -1);
    json_decref(j);
    assert_true(village_factor_valid("w01018"));
    assert_false(village_factor_valid("w0101"));
    assert_false(village_factor_valid("W01018"));
    assert_false(village_factor_valid("w0101x"));
}

static void test_day_state(void **state)
{
    (void)state;
    struct village_day_evidence e = {.flow = NAN};
    assert_int_equal(village_day_state(&e), VILLAGE_DAY_NONE);
    e.samples = 1;
    assert_int_equal(village_day_state(&e), VILLAGE_DAY_RUN);
    e.flow = 0; /* the station says no water went through */
    assert_int_equal(village_day_state(&e), VILLAGE_DAY_STOP);
    e.flow = 0.4;
    assert_int_equal(village_day_state(&e), VILLAGE_DAY_RUN);
    e.seen_stopped = 1; /* the operator on site outweighs the data */
    assert_int_equal(village_day_state(&e), VILLAGE_DAY_STOP);
    e.seen_running = 1;
    assert_int_equal(village_day_state(&e), VILLAGE_DAY_RUN);
    struct village_day_evidence online = {.online = true, .flow = NAN};
    assert_int_equal(village_day_state(&online), VILLAGE_DAY_RUN);
}

static void test_state_and_stop_start(void **state)
{
    (void)state;
    const enum village_day N = VILLAGE_DAY_NONE, R = VILLAGE_DAY_RUN, S = VILLAGE_DAY_STOP;
    enum village_day run_then_stop[] = {R, R, N, S, N, S, N};
    assert_int_equal(village_state_of(run_then_stop, 7, 0), VILLAGE_STOPPED);
    assert_int_equal(village_stop_start(run_then_stop, 7), 3);
    enum village_day restarted[] = {S, S, R, N, N, N, N};
    assert_int_equal(village_stop_start(restarted, 7), -1);
    assert_int_equal(village_state_of(restarted, 7, 1), VILLAGE_EXCEEDING);
    assert_int_equal(village_state_of(restarted, 7, 0), VILLAGE_COMPLIANT);
    assert_int_equal(village_state_of(restarted, 7, -1), VILLAGE_NO_DATA);
    /* Evidence older than VILLAGE_STATE_DAYS does not count. */
    enum village_day old[10] = {R, R, R, N, N, N, N, N, N, N};
    assert_int_equal(village_state_of(old, 10, 0), VILLAGE_NO_DATA);
    enum village_day stop_first[] = {S, N, S};
    assert_int_equal(village_stop_start(stop_first, 3), 0);
    assert_int_equal(village_stop_start(NULL, 0), -1);
}

static void test_period(void **state)
{
    (void)state;
    int32_t nov1 = (int32_t)timeutil_days_from_civil(2026, 11, 1);
    int32_t nov30 = (int32_t)timeutil_days_from_civil(2026, 11, 30);
    int32_t f, l;
    /* A past month: all its days. */
    assert_int_equal(village_period(nov1, nov30, 0, nov30 + 10, false, &f, &l), 30);
    /* Commissioned mid-month. */
    assert_int_equal(village_period(nov1, nov30, nov1 + 9, nov30 + 10, false, &f, &l), 21);
    assert_int_equal(f, nov1 + 9);
    /* The current month: up to yesterday, today once it has evidence. */
    assert_int_equal(village_period(nov1, nov30, 0, nov1 + 4, false, &f, &l), 4);
    assert_int_equal(village_period(nov1, nov30, 0, nov1 + 4, true, &f, &l), 5);
    /* The first of the month with nothing yet; a later month. */
    assert_int_equal(village_period(nov1, nov30, 0, nov1, false, &f, &l), 0);
    assert_int_equal(village_period(nov30 + 1, nov30 + 31, 0, nov1, true, &f, &l), 0);
    assert_true(village_rate(26, 30) == 86.7);
    assert_true(village_rate(0, 0) < 0);
}

static void test_missed_days(void **state)
{
    (void)state;
    /* Across a year end: 2026-12-30 .. 2027-01-02, cleared on the 30th and
     * the 2nd (repeated). */
    int32_t d30 = (int32_t)timeutil_days_from_civil(2026, 12, 30);
    int32_t cleared[] = {d30, d30 + 3, d30 + 3};
    int32_t out[8];
    assert_int_equal(village_missed_days(cleared, 3, d30, d30 + 3, out, 8), 2);
    int y, m, d;
    timeutil_civil_from_days(out[0], &y, &m, &d);
    assert_true(y == 2026 && m == 12 && d == 31);
    timeutil_civil_from_days(out[1], &y, &m, &d);
    assert_true(y == 2027 && m == 1 && d == 1);
    /* A leap February: 2028-02-28 .. 03-01, only the 29th missed. */
    int32_t f28 = (int32_t)timeutil_days_from_civil(2028, 2, 28);
    int32_t leap[] = {f28, f28 + 2};
    assert_int_equal(village_missed_days(leap, 2, f28, f28 + 2, out, 8), 1);
    timeutil_civil_from_days(out[0], &y, &m, &d);
    assert_true(m == 2 && d == 29);
    /* Holidays count like any day; nothing cleared; more than max. */
    assert_int_equal(village_missed_days(NULL, 0, d30, d30 + 9, out, 4), 10);
    assert_int_equal(village_missed_days(NULL, 0, d30, d30 - 1, out, 4), 0);
    /* Cleared days outside the range are ignored. */
    int32_t outside[] = {d30 - 5, d30 + 20};
    assert_int_equal(village_missed_days(outside, 2, d30, d30 + 1, NULL, 0), 2);
}

static void test_flag_last_day(void **state)
{
    (void)state;
    /* 2027-01-01 07:59 Beijing (the day before yesterday: 2026-12-30) and
     * 08:00 (yesterday: 2026-12-31). */
    int64_t jan1 = timeutil_days_from_civil(2027, 1, 1) * 86400 - 8 * 3600;
    int32_t dec30 = (int32_t)timeutil_days_from_civil(2026, 12, 30);
    assert_int_equal(village_flag_last_day(jan1 + 7 * 3600 + 59 * 60), dec30);
    assert_int_equal(village_flag_last_day(jan1 + 8 * 3600), dec30 + 1);
    /* 2028-03-01 09:00 Beijing: the leap day. */
    int64_t mar1 = timeutil_days_from_civil(2028, 3, 1) * 86400 - 8 * 3600;
    int y, m, d;
    timeutil_civil_from_days(village_flag_last_day(mar1 + 9 * 3600), &y, &m, &d);
    assert_true(m == 2 && d == 29);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gb18918_classes),
        cmocka_unit_test(test_judge),
        cmocka_unit_test(test_gb18918_table1_as_published),
        cmocka_unit_test(test_limits_round_trip),
        cmocka_unit_test(test_day_state),
        cmocka_unit_test(test_state_and_stop_start),
        cmocka_unit_test(test_period),
        cmocka_unit_test(test_missed_days),
        cmocka_unit_test(test_flag_last_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
