/* Unit tests for domain/phone: the one rule for a phone number a person gives
 * (issue 17 item 11e: a 7-digit number was accepted for bookings). */
#include "domain/phone.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

static void test_mobiles(void **state)
{
    (void)state;
    static const char *const good[] = {
        "13807980001",      "19912345678",   "16612345678",   "+8613807980001", "+86 138 0798 0001",
        "0086-13807980001", "8613807980001", "138-0798-0001", "138 0798 0001",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_int_equal(phone_kind(good[i]), PHONE_MOBILE);
    static const char *const bad[] = {
        "12345678901",   "10807980001",    "1380798000",   "138079800012",    "1380798000a",
        "138--07980001", "138 0798 0001 ", "-13807980001", "+85213807980001", "+86",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(phone_kind(bad[i]), PHONE_BAD);
}

static void test_landlines(void **state)
{
    (void)state;
    static const char *const good[] = {
        "0798-8512369",  "07988512369",      "(0798)8512369",      "(0798) 8512369",
        "0798 8512369",  "010-62345678",     "01062345678",        "021-52345678",
        "0791-86123456", "0798-8512369-123", "(010)62345678-8001",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_int_equal(phone_kind(good[i]), PHONE_LANDLINE);
    static const char *const bad[] = {
        "8512369",        /* the 7 digits of the issue: no area code */
        "85123690",       /* 8 digits, no area code */
        "12345",          /* a short number */
        "0798-12369",     /* a service number, not a line to call back */
        "0798-1512369",   /* a local number never starts with 1 */
        "0798-0512369",   /* nor with 0 */
        "010-6234567",    /* Beijing numbers have 8 digits */
        "011-62345678",   /* no such area code */
        "0198-8512369",   /* nor this one */
        "0798-851236",    /* 6 digits */
        "0798-851236900", /* 9 digits */
        "0798-8512369-1234567",
        "(0798-8512369",
        "0798)8512369",
        "0798--8512369",
        "0798-8512369-",
        "0798-85a2369",
        "１３８０７９８０００１",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(phone_kind(bad[i]), PHONE_BAD);
}

static void test_edges(void **state)
{
    (void)state;
    assert_false(phone_ok(NULL));
    assert_false(phone_ok(""));
    assert_false(phone_ok("0798-8512369-123456789012345678901"));
    assert_false(phone_ok("1; DROP TABLE"));
    assert_true(phone_ok("13807980001"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mobiles),
        cmocka_unit_test(test_landlines),
        cmocka_unit_test(test_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
