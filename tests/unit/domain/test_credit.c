/* Unit tests for domain/credit: the scoring cycle from the registration date,
 * 警示 / 限制 thresholds, 限期整改 for 6 months (restarted when reached again),
 * 黑名单 for a ban's duration, 守信 after two clean cycles, effective dates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/calendar.h"
#include "domain/credit.h"

static int32_t D(const char *s)
{
    int32_t d = 0;
    assert_int_equal(calendar_parse_date(s, &d), 0);
    return d;
}

static struct credit_rules R;

static void test_add_months(void **state)
{
    (void)state;
    assert_int_equal(credit_add_months(D("2025-01-31"), 1), D("2025-02-28"));
    assert_int_equal(credit_add_months(D("2024-02-29"), 12), D("2025-02-28"));
    assert_int_equal(credit_add_months(D("2025-08-15"), 6), D("2026-02-15"));
    assert_int_equal(credit_add_months(CREDIT_FOREVER, 6), CREDIT_FOREVER);
}

static void test_cycle_from_registration(void **state)
{
    (void)state;
    struct credit_result r;
    assert_int_equal(credit_evaluate(&R, D("2024-03-10"), NULL, 0, NULL, 0, D("2026-01-05"), &r),
                     0);
    assert_int_equal(r.cycle_start, D("2025-03-10"));
    assert_int_equal(r.cycle_end, D("2026-03-10"));
    assert_int_equal(r.points, 0);
    assert_int_equal(r.n, 0);
    credit_result_free(&r);
}

static void test_limit_rectify(void **state)
{
    (void)state;
    struct credit_event ev[] = {
        {D("2025-05-01"), 10, false, 0, 1},
        {D("2025-06-10"), 10, false, 0, 2}, /* reaches 20: 整改 from this day */
    };
    struct credit_result r;
    /* before the second decision takes effect: not listed */
    assert_int_equal(credit_evaluate(&R, D("2025-01-01"), ev, 2, NULL, 0, D("2025-06-09"), &r), 0);
    assert_false(credit_on_list(&r, CREDIT_RECTIFY, D("2025-06-09")));
    assert_int_equal(r.points, 10);
    credit_result_free(&r);
    assert_int_equal(credit_evaluate(&R, D("2025-01-01"), ev, 2, NULL, 0, D("2025-06-10"), &r), 0);
    assert_true(credit_on_list(&r, CREDIT_RECTIFY, D("2025-06-10")));
    assert_true(credit_on_list(&r, CREDIT_WATCH, D("2025-06-10")));
    assert_int_equal(r.cycle_start, D("2025-06-10")); /* the cycle restarts */
    assert_int_equal(r.points, 0);
    credit_result_free(&r);
    assert_int_equal(credit_evaluate(&R, D("2025-01-01"), ev, 2, NULL, 0, D("2026-01-01"), &r), 0);
    assert_true(credit_on_list(&r, CREDIT_RECTIFY, D("2025-12-09")));
    assert_false(credit_on_list(&r, CREDIT_RECTIFY, D("2025-12-10"))); /* 6 months later */
    credit_result_free(&r);
}

static void test_rectify_again(void **state)
{
    (void)state;
    struct credit_event ev[] = {
        {D("2025-02-01"), 20, false, 0, 1},
        {D("2025-04-01"), 20, false, 0, 2},
    };
    struct credit_result r;
    assert_int_equal(credit_evaluate(&R, D("2025-01-01"), ev, 2, NULL, 0, D("2026-01-01"), &r), 0);
    assert_true(credit_on_list(&r, CREDIT_RECTIFY, D("2025-09-30")));
    assert_false(credit_on_list(&r, CREDIT_RECTIFY, D("2025-10-01")));
    credit_result_free(&r);
}

static void test_warning_next_cycles(void **state)
{
    (void)state;
    struct credit_event ev[] = {{D("2025-03-01"), 10, false, 0, 1}};
    struct credit_result r;
    assert_int_equal(credit_evaluate(&R, D("2025-01-01"), ev, 1, NULL, 0, D("2025-12-31"), &r), 0);
    assert_false(credit_on_list(&r, CREDIT_WATCH, D("2025-12-31")));
    credit_result_free(&r);
    assert_int_equal(credit_evaluate(&R, D("2025-01-01"), ev, 1, NULL, 0, D("2026-01-01"), &r), 0);
    assert_true(credit_on_list(&r, CREDIT_WATCH, D("2026-01-01")));
    assert_true(credit_on_list(&r, CREDIT_WATCH, D("2027-12-31")));
    assert_false(credit_on_list(&r, CREDIT_WATCH, D("2028-01-01")));
    credit_result_free(&r);
}

static void test_ban(void **state)
{
    (void)state;
    struct credit_event ev[] = {
        {D("2025-04-01"), 20, true, D("2026-03-31"), 7},
        {D("2025-06-01"), 5, false, 0, 8}, /* during the ban: not scored */
    };
    struct credit_result r;
    assert_int_equal(credit_evaluate(&R, D("2024-01-01"), ev, 2, NULL, 0, D("2025-04-01"), &r), 0);
    assert_true(credit_on_list(&r, CREDIT_BLACK, D("2025-04-01")));
    credit_result_free(&r);
    assert_int_equal(credit_evaluate(&R, D("2024-01-01"), ev, 2, NULL, 0, D("2026-05-01"), &r), 0);
    assert_int_equal(r.unscored, 1);
    assert_true(credit_on_list(&r, CREDIT_BLACK, D("2026-03-31")));
    assert_false(credit_on_list(&r, CREDIT_BLACK, D("2026-04-01")));
    assert_int_equal(r.cycle_start, D("2026-04-01")); /* restarts the day after */
    credit_result_free(&r);
    struct credit_event life[] = {{D("2025-04-01"), 20, true, CREDIT_FOREVER, 9}};
    assert_int_equal(credit_evaluate(&R, D("2024-01-01"), life, 1, NULL, 0, D("2030-01-01"), &r),
                     0);
    assert_true(r.banned_forever);
    assert_true(credit_on_list(&r, CREDIT_BLACK, D("2030-01-01")));
    credit_result_free(&r);
}

static void test_honest(void **state)
{
    (void)state;
    int32_t rep[20];
    for (int i = 0; i < 10; i++) {
        rep[i] = D("2024-02-01") + i;
        rep[10 + i] = D("2025-02-01") + i;
    }
    struct credit_result r;
    assert_int_equal(credit_evaluate(&R, D("2024-01-01"), NULL, 0, rep, 20, D("2026-01-01"), &r),
                     0);
    assert_true(credit_on_list(&r, CREDIT_HONEST, D("2026-01-01")));
    credit_result_free(&r);
    /* any point removes the listing */
    struct credit_event ev[] = {{D("2026-05-01"), 1, false, 0, 1}};
    assert_int_equal(credit_evaluate(&R, D("2024-01-01"), ev, 1, rep, 20, D("2026-06-01"), &r), 0);
    assert_true(credit_on_list(&r, CREDIT_HONEST, D("2026-04-30")));
    assert_false(credit_on_list(&r, CREDIT_HONEST, D("2026-05-01")));
    credit_result_free(&r);
    /* 9 reports in one cycle: not enough */
    assert_int_equal(
        credit_evaluate(&R, D("2024-01-01"), NULL, 0, rep + 1, 19, D("2026-01-01"), &r), 0);
    assert_false(credit_on_list(&r, CREDIT_HONEST, D("2026-01-01")));
    credit_result_free(&r);
}

static void test_refusals(void **state)
{
    (void)state;
    struct credit_result r;
    struct credit_event before[] = {{D("2023-12-31"), 1, false, 0, 1}};
    assert_int_equal(credit_evaluate(&R, D("2024-01-01"), before, 1, NULL, 0, D("2025-01-01"), &r),
                     -1);
    struct credit_event bad_ban[] = {{D("2024-05-01"), 20, true, D("2024-04-01"), 1}};
    assert_int_equal(credit_evaluate(&R, D("2024-01-01"), bad_ban, 1, NULL, 0, D("2025-01-01"), &r),
                     -1);
    assert_int_equal(
        credit_evaluate(&R, CALENDAR_DAY_INVALID, NULL, 0, NULL, 0, D("2025-01-01"), &r), -1);
    enum credit_list l;
    assert_int_equal(credit_list_parse("black", &l), 0);
    assert_int_equal(l, CREDIT_BLACK);
    assert_int_equal(credit_list_parse("nope", &l), -1);
    assert_int_equal(credit_grade(95, false, 90, 80, 60), 'A');
    assert_int_equal(credit_grade(70, false, 90, 80, 60), 'C');
    assert_int_equal(credit_grade(99, true, 90, 80, 60), 'D');
}

int main(void)
{
    credit_rules_default(&R);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_months),
        cmocka_unit_test(test_cycle_from_registration),
        cmocka_unit_test(test_limit_rectify),
        cmocka_unit_test(test_rectify_again),
        cmocka_unit_test(test_warning_next_cycles),
        cmocka_unit_test(test_ban),
        cmocka_unit_test(test_honest),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
