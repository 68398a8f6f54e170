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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_get_grow),
        cmocka_unit_test(test_text_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
