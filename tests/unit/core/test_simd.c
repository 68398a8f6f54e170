/* simd: ECOGOV_SIMD lowers the CPU's level, never raises it; a typo gives the narrowest. */
#include "core/simd.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

static void test_no_request_keeps_cpu(void **state)
{
    (void)state;
    assert_int_equal(simd_level_capped(SIMD_AVX512, NULL), SIMD_AVX512);
    assert_int_equal(simd_level_capped(SIMD_AVX2, ""), SIMD_AVX2);
    assert_int_equal(simd_level_capped(SIMD_SSE2, NULL), SIMD_SSE2);
}

static void test_request_lowers(void **state)
{
    (void)state;
    assert_int_equal(simd_level_capped(SIMD_AVX512, "avx2"), SIMD_AVX2);
    assert_int_equal(simd_level_capped(SIMD_AVX512, "sse2"), SIMD_SSE2);
    assert_int_equal(simd_level_capped(SIMD_AVX2, "sse2"), SIMD_SSE2);
    assert_int_equal(simd_level_capped(SIMD_AVX512, "avx512"), SIMD_AVX512);
}

static void test_request_never_raises(void **state)
{
    (void)state;
    assert_int_equal(simd_level_capped(SIMD_SSE2, "avx512"), SIMD_SSE2);
    assert_int_equal(simd_level_capped(SIMD_AVX2, "avx512"), SIMD_AVX2);
    assert_int_equal(simd_level_capped(SIMD_SSE2, "avx2"), SIMD_SSE2);
}

static void test_unknown_name_is_narrowest(void **state)
{
    (void)state;
    assert_int_equal(simd_level_capped(SIMD_AVX512, "AVX2"), SIMD_SSE2);
    assert_int_equal(simd_level_capped(SIMD_AVX512, "avx"), SIMD_SSE2);
}

/* The process value follows the variable when one is set (scripts/test.sh sets it). */
static void test_process_level_follows_environment(void **state)
{
    (void)state;
    const char *want = getenv("ECOGOV_SIMD");
    enum simd_level got = simd_level();
    assert_int_equal(simd_level(), got); /* kept */
    assert_true(got <= simd_level_capped(SIMD_AVX512, want));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_request_keeps_cpu),
        cmocka_unit_test(test_request_lowers),
        cmocka_unit_test(test_request_never_raises),
        cmocka_unit_test(test_unknown_name_is_narrowest),
        cmocka_unit_test(test_process_level_follows_environment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
