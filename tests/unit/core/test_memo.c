/* Unit tests for core/memo: keys of two integers and a text, growth, filtering, clearing. */
#include "core/memo.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

static int keep_even(const struct memo_entry *e, void *arg)
{
    (void)arg;
    return e->a % 2 == 0;
}

static void test_put_get_grow(void **state)
{
    (void)state;
    struct memo m = {0};
    assert_null(memo_get(&m, 1, 2, NULL));
    for (int64_t i = 0; i < 50000; i++)
        memo_put(&m, i, i * 8 + 2, NULL)->value = i * 10;
    assert_int_equal(m.n, 50000);
    for (int64_t i = 0; i < 50000; i += 997)
        assert_int_equal(memo_get(&m, i, i * 8 + 2, NULL)->value, i * 10);
    assert_null(memo_get(&m, 7, 7 * 8 + 3, NULL)); /* another b */
    /* putting a key again returns the same entry */
    struct memo_entry *e = memo_put(&m, 5, 42, NULL);
    assert_int_equal(e->value, 50);
    assert_int_equal(m.n, 50000);
    memo_filter(&m, keep_even, NULL);
    assert_int_equal(m.n, 25000);
    assert_null(memo_get(&m, 5, 42, NULL));
    assert_int_equal(memo_get(&m, 6, 50, NULL)->value, 60);
    memo_filter(&m, NULL, NULL);
    assert_int_equal(m.n, 0);
    assert_null(memo_get(&m, 6, 50, NULL));
    memo_clear(&m);
    memo_clear(&m); /* twice is fine */
}

static void test_text_keys(void **state)
{
    (void)state;
    struct memo m = {0};
    memo_put(&m, 1, 0, "a34004");
    memo_put(&m, 1, 0, "a34002");
    memo_put(&m, 2, 0, "a34004");
    assert_int_equal(m.n, 3);
    assert_non_null(memo_get(&m, 1, 0, "a34004"));
    assert_null(memo_get(&m, 1, 0, "a3400"));
    assert_null(memo_get(&m, 3, 0, "a34004"));
    assert_non_null(memo_get(&m, 1, 0, "a34002"));
    /* NULL and "" are the same key */
    memo_put(&m, 9, 9, NULL);
    assert_non_null(memo_get(&m, 9, 9, ""));
    /* a text longer than the key keeps its first MEMO_TEXT - 1 bytes */
    memo_put(&m, 4, 0, "0123456789012345678901234567890123");
    assert_non_null(memo_get(&m, 4, 0, "01234567890123456789012"));
    memo_clear(&m);
}

static int keep_outside(const struct memo_entry *e, void *arg)
{
    const int64_t *range = arg;
    return e->a < range[0] || e->a >= range[1];
}

/* memo_filter works in place (backward-shift removal): over rounds of puts and filters of
 * key ranges, at various fill levels and with probe runs that wrap around the end of the
 * slots, every kept key keeps its value and no removed key is found. */
static void test_filter_in_place(void **state)
{
    (void)state;
    struct memo m = {0};
    enum { KEYS = 3000 };
    static int64_t value[KEYS]; /* 0 = not in the table */
    uint64_t x = 0x2545F4914F6CDD1DULL;
    for (int round = 0; round < 300; round++) {
        int puts = (int)(x % 700);
        for (int i = 0; i < puts; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            int64_t k = (int64_t)(x % KEYS);
            memo_put(&m, k, k * 8 + 2, NULL)->value = (int64_t)(x | 1);
            value[k] = (int64_t)(x | 1);
        }
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int64_t range[2] = {(int64_t)(x % KEYS), 0};
        range[1] = range[0] + (int64_t)((x >> 20) % 800);
        memo_filter(&m, keep_outside, range);
        size_t n = 0;
        for (int64_t k = 0; k < KEYS; k++) {
            if (k >= range[0] && k < range[1])
                value[k] = 0;
            const struct memo_entry *e = memo_get(&m, k, k * 8 + 2, NULL);
            if (value[k]) {
                assert_non_null(e);
                assert_int_equal(e->value, value[k]);
                n++;
            } else {
                assert_null(e);
            }
        }
        assert_int_equal(m.n, n);
    }
    memo_clear(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_get_grow),
        cmocka_unit_test(test_text_keys),
        cmocka_unit_test(test_filter_in_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
