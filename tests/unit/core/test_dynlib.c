/* Unit tests for src/core/dynlib: a library opened at first use, and the
 * messages when it or one of its functions is missing. */
#include "core/dynlib.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#define LIBM_API(X) X(cos) X(sqrt)
struct libm_api {
    LIBM_API(DYNLIB_FIELD)
};
DYNLIB_ONCE(libm_api, "libm.so.6", LIBM_API)

static void test_table_calls_library(void **state)
{
    (void)state;
    const char *why = NULL;
    const struct libm_api *m = libm_api_get(&why);
    assert_non_null(m);
    assert_null(why);
    assert_true(m->sqrt(2.25) == 1.5);
    assert_true(m->cos(0.0) == 1.0);
    /* loaded once: the same table again */
    assert_ptr_equal(libm_api_get(&why), m);
}

static void test_missing_library_named(void **state)
{
    (void)state;
    const char *names[] = {"cos"};
    void *slots[1] = {NULL};
    char why[256] = "";
    assert_int_equal(dynlib_open("libecogov-not-installed.so.9", names, slots, 1, why, sizeof why),
                     -1);
    assert_non_null(strstr(why, "cannot load libecogov-not-installed.so.9"));
    assert_null(slots[0]);
}

static void test_missing_function_named(void **state)
{
    (void)state;
    const char *names[] = {"cos", "ecogov_no_such_function"};
    void *slots[2] = {NULL, NULL};
    char why[256] = "";
    assert_int_equal(dynlib_open("libm.so.6", names, slots, 2, why, sizeof why), -1);
    assert_string_equal(why, "libm.so.6 has no ecogov_no_such_function");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_calls_library),
        cmocka_unit_test(test_missing_library_named),
        cmocka_unit_test(test_missing_function_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
