/* Unit tests of domain/water: GB 3838-2002 limits at their edges, the river
 * and lake TP columns, the worst factor deciding, 劣Ⅴ, DO and pH, main
 * pollutants and their multiples, compliance, parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/water.h"

static int64_t w(const char *s)
{
    int64_t v = -1;
    assert_int_equal(water_parse(s, &v), 0);
    return v;
}

static void test_parse(void **state)
{
    (void)state;
    int64_t v;
    assert_int_equal(w("0.00005"), 50);
    assert_int_equal(w("7.5"), 7500000);
    assert_int_equal(w("200"), 200000000);
    assert_int_equal(w(".5"), 500000);
    assert_int_equal(w("1.0000000"), 1000000); /* trailing zeros beyond 6 decimals are fine */
    const char *bad[] = {"", "-1", "+1", "1e3", "1.2.3", " 1", "0.0000001", "NaN", "99999999", "."};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(water_parse(bad[i], &v), -1);
    char out[32];
    water_format(50, out, sizeof out);
    assert_string_equal(out, "0.00005");
    water_format(15000000, out, sizeof out);
    assert_string_equal(out, "15");
}

/* Every limit of Table 1 is met exactly at the limit and missed just above
 * (DO: just below): the class boundaries are exact. */
static void test_limits_edges(void **state)
{
    (void)state;
    for (int f = 1; f < WATER_FACTOR_COUNT; f++)
        for (int k = WATER_RIVER; k <= WATER_LAKE; k++)
            for (int c = 1; c <= 5; c++) {
                int64_t lim = water_limit((enum water_factor)f, (enum water_kind)k, c);
                assert_true(lim > 0);
                int at = water_factor_class((enum water_factor)f, (enum water_kind)k, lim);
                assert_true(at <= c);
                int64_t past = f == WATER_DO ? lim - 1 : lim + 1;
                int beyond = water_factor_class((enum water_factor)f, (enum water_kind)k, past);
                assert_true(beyond > c);
            }
    /* shared limits give the better class: COD 15 is class I, not II */
    assert_int_equal(water_factor_class(WATER_COD, WATER_RIVER, w("15")), 1);
    assert_int_equal(water_factor_class(WATER_COD, WATER_RIVER, w("15.001")), 3);
    assert_int_equal(water_factor_class(WATER_HG, WATER_RIVER, w("0.00005")), 1);
    assert_int_equal(water_factor_class(WATER_HG, WATER_RIVER, w("0.00006")), 3);
    assert_int_equal(water_factor_class(WATER_NH3N, WATER_RIVER, w("2.0")), 5);
    assert_int_equal(water_factor_class(WATER_NH3N, WATER_RIVER, w("2.01")), WATER_WORSE_THAN_V);
    assert_int_equal(water_factor_class(WATER_FCOLI, WATER_RIVER, w("40001")), 6);
}

static void test_do_ph_tp(void **state)
{
    (void)state;
    assert_int_equal(water_factor_class(WATER_DO, WATER_RIVER, w("7.5")), 1);
    assert_int_equal(water_factor_class(WATER_DO, WATER_RIVER, w("5.5")), 3);
    assert_int_equal(water_factor_class(WATER_DO, WATER_RIVER, w("1.9")), 6);
    assert_int_equal(water_factor_class(WATER_PH, WATER_RIVER, w("6")), 1);
    assert_int_equal(water_factor_class(WATER_PH, WATER_RIVER, w("9")), 1);
    assert_int_equal(water_factor_class(WATER_PH, WATER_RIVER, w("9.01")), 6);
    assert_int_equal(water_factor_class(WATER_PH, WATER_RIVER, w("5.99")), 6);
    assert_int_equal(water_factor_class(WATER_TP, WATER_RIVER, w("0.15")), 3);
    assert_int_equal(water_factor_class(WATER_TP, WATER_LAKE, w("0.15")), 5);
    assert_int_equal(water_factor_class(WATER_TP, WATER_LAKE, w("0.025")), 2);
    assert_int_equal(water_factor_class(WATER_TP, WATER_RIVER, w("0.025")), 2);
    assert_int_equal(water_factor_class(WATER_TP, WATER_RIVER, w("0.01")), 1);
    assert_int_equal(water_factor_class(WATER_DO, WATER_RIVER, -1), -1);
}

static void all_missing(int64_t v[WATER_FACTOR_COUNT])
{
    for (int f = 0; f < WATER_FACTOR_COUNT; f++)
        v[f] = -1;
}

/* The worked example of the reference (water-quality.md §3). */
static void test_worked_example(void **state)
{
    (void)state;
    int64_t v[WATER_FACTOR_COUNT];
    all_missing(v);
    v[WATER_DO] = w("5.5"), v[WATER_CODMN] = w("4.5"), v[WATER_COD] = w("18");
    v[WATER_NH3N] = w("0.6"), v[WATER_TP] = w("0.15"), v[WATER_PH] = w("7.2");
    struct water_eval e;
    assert_int_equal(water_evaluate(WATER_RIVER, v, 3, &e), 0);
    assert_int_equal(e.cls, 3);
    assert_string_equal(water_grade(e.cls), "良好");
    assert_int_equal(e.compliant, 1);
    assert_int_equal(e.nmain, 0);
    assert_int_equal(water_evaluate(WATER_LAKE, v, 3, &e), 0);
    assert_int_equal(e.cls, 5);
    assert_string_equal(water_grade(e.cls), "中度污染");
    assert_int_equal(e.compliant, 0);
    assert_int_equal(e.nmain, 1);
    assert_int_equal(e.main[0].factor, WATER_TP);
    assert_int_equal(e.main[0].multiple_milli, 2000); /* (0.15 − 0.05) / 0.05 = 2.0 */
}

static void test_worst_decides_and_main(void **state)
{
    (void)state;
    int64_t v[WATER_FACTOR_COUNT];
    all_missing(v);
    v[WATER_NH3N] = w("2.5");    /* 劣Ⅴ, multiple over Ⅲ (1.0) = 1.5 */
    v[WATER_COD] = w("35");      /* Ⅴ, multiple 0.75 */
    v[WATER_CODMN] = w("12");    /* Ⅴ, multiple 1.0 */
    v[WATER_PB] = w("0.06");     /* Ⅳ, toxic: listed first */
    v[WATER_TN] = w("5");        /* river: TN never decides */
    v[WATER_FCOLI] = w("90000"); /* never decides */
    struct water_eval e;
    assert_int_equal(water_evaluate(WATER_RIVER, v, 3, &e), 0);
    assert_int_equal(e.cls, WATER_WORSE_THAN_V);
    assert_string_equal(water_class_name(e.cls), "劣Ⅴ");
    assert_string_equal(water_grade(e.cls), "重度污染");
    assert_int_equal(e.assessed, 4);
    assert_int_equal(e.nmain, 3);
    assert_int_equal(e.main[0].factor, WATER_PB);
    assert_int_equal(e.main[1].factor, WATER_NH3N);
    assert_int_equal(e.main[1].multiple_milli, 1500);
    assert_int_equal(e.main[2].factor, WATER_CODMN);
    assert_int_equal(e.factor_class[WATER_TN], 6); /* classed, shown, not deciding */
    /* DO has no multiple */
    all_missing(v);
    v[WATER_DO] = w("2.5");
    assert_int_equal(water_evaluate(WATER_RIVER, v, 2, &e), 0);
    assert_int_equal(e.cls, 5); /* DO 2.5: Ⅴ (>= 2, < 3) */
    assert_int_equal(e.main[0].multiple_milli, -1);
    /* no target: compliance unknown; nothing measured: class 0 */
    assert_int_equal(water_evaluate(WATER_RIVER, v, 0, &e), 0);
    assert_int_equal(e.compliant, -1);
    all_missing(v);
    assert_int_equal(water_evaluate(WATER_RIVER, v, 3, &e), 0);
    assert_int_equal(e.cls, 0);
    assert_int_equal(e.compliant, -1);
    assert_int_equal(water_evaluate(WATER_RIVER, v, 6, &e), -1);
    assert_int_equal(water_factor_parse("w21003"), WATER_NH3N);
    assert_int_equal(water_factor_parse("nh3n"), WATER_NH3N);
    assert_int_equal(water_factor_parse("bogus"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_limits_edges),
        cmocka_unit_test(test_do_ph_tp),
        cmocka_unit_test(test_worked_example),
        cmocka_unit_test(test_worst_decides_and_main),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
