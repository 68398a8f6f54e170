/* Unit tests for domain/uscc: the reference vectors (admin-rules §8.2), each
 * structural rule, the advisory GB 11714 check, reasons and normalisation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/uscc.h"

static void test_valid_vectors(void **state)
{
    (void)state;
    static const char *const ok[] = {"91110000710926094P", "9111000071093123XX",
                                     "91350100M000100Y43"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char want = 0;
        assert_int_equal(uscc_check(ok[i]), USCC_OK);
        assert_int_equal(uscc_check_ex(ok[i], &want), USCC_OK);
        assert_int_equal(want, ok[i][17]);
    }
}

static void test_negative_vectors(void **state)
{
    (void)state;
    char want = 0;
    /* Whitelisted as a special case by one public validator; the maths says 9. */
    assert_int_equal(uscc_check_ex("91350203M0001QAY9B", &want), USCC_BAD_CHECK);
    assert_int_equal(want, '9');
    assert_int_equal(uscc_check_ex("91110000722601458H", &want), USCC_BAD_CHECK);
    assert_int_equal(want, 'R');
    assert_int_equal(uscc_check("91110000722601458R"), USCC_OK);
}

static void test_check_char(void **state)
{
    (void)state;
    char c = 0;
    assert_int_equal(uscc_check_char("91110000710926094", &c), 0);
    assert_int_equal(c, 'P');
    assert_int_equal(uscc_check_char("9111000071093123X", &c), 0);
    assert_int_equal(c, 'X');
    c = '?';
    assert_int_equal(uscc_check_char("9111000071092609I", &c), -1);
    assert_int_equal(c, '?');
    /* Not NUL-terminated: only 17 bytes are read. */
    char raw[17];
    memcpy(raw, "91110000710926094", 17);
    assert_int_equal(uscc_check_char(raw, &c), 0);
    assert_int_equal(c, 'P');
}

static void test_length(void **state)
{
    (void)state;
    char want = 'x';
    assert_int_equal(uscc_check(NULL), USCC_BAD_LENGTH);
    assert_int_equal(uscc_check(""), USCC_BAD_LENGTH);
    assert_int_equal(uscc_check("91110000710926094"), USCC_BAD_LENGTH);
    assert_int_equal(uscc_check("91110000710926094PP"), USCC_BAD_LENGTH);
    assert_int_equal(uscc_check_ex("91110000710926094P ", &want), USCC_BAD_LENGTH);
    assert_int_equal(want, '\0');
}

static void test_characters(void **state)
{
    (void)state;
    /* I O S V Z and lower case are outside the alphabet, wherever they appear. */
    assert_int_equal(uscc_check("91110000710926094I"), USCC_BAD_CHAR);
    assert_int_equal(uscc_check("9111000071092609OP"), USCC_BAD_CHAR);
    assert_int_equal(uscc_check("91110000S10926094P"), USCC_BAD_CHAR);
    assert_int_equal(uscc_check("91110000710926094p"), USCC_BAD_CHAR);
    assert_int_equal(uscc_check("9111000071092609-P"), USCC_BAD_CHAR);
    assert_int_equal(uscc_check("911100007109260\xe4\xb8P"), USCC_BAD_CHAR);
}

static void test_structure(void **state)
{
    (void)state;
    char code[USCC_LEN + 1];
    /* Build codes with a correct check character so only the structure fails. */
    static const struct {
        const char *first17;
        enum uscc_result want;
    } cases[] = {
        {"B1110000710926094", USCC_BAD_DEPARTMENT},
        {"01110000710926094", USCC_BAD_DEPARTMENT},
        {"94110000710926094", USCC_BAD_CATEGORY},
        {"99110000710926094", USCC_BAD_CATEGORY},
        {"Y2110000710926094", USCC_BAD_CATEGORY},
        {"91A10000710926094", USCC_BAD_REGION},
        {"9111000X710926094", USCC_BAD_REGION},
        {"12100000710926094", USCC_OK},
        {"52350100710926094", USCC_OK},
        {"N2350100710926094", USCC_OK},
        {"A1350100710926094", USCC_OK},
        {"93350100710926094", USCC_OK},
        {"Y1350100710926094", USCC_OK},
        {"35350100710926094", USCC_OK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memcpy(code, cases[i].first17, 17);
        assert_int_equal(uscc_check_char(code, &code[17]), 0);
        code[18] = '\0';
        assert_int_equal(uscc_check(code), cases[i].want);
    }
}

static void test_every_single_substitution_is_caught(void **state)
{
    (void)state;
    /* The mod-31 check catches any single-character change. */
    static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    char code[] = "91110000710926094P";
    for (int pos = 8; pos < 18; pos++) {
        char orig = code[pos];
        for (const char *a = alphabet; *a; a++) {
            if (*a == orig)
                continue;
            code[pos] = *a;
            assert_int_equal(uscc_check(code), USCC_BAD_CHECK);
        }
        code[pos] = orig;
    }
    assert_int_equal(uscc_check(code), USCC_OK);
}

static void test_org_code(void **state)
{
    (void)state;
    assert_true(uscc_org_code_ok("91110000710926094P"));
    assert_true(uscc_org_code_ok("9111000071093123XX"));
    assert_true(uscc_org_code_ok("91350100M000100Y43"));
    assert_true(uscc_org_code_ok("91350203M0001QAY9B"));
    assert_false(uscc_org_code_ok("91110000722601458H"));
    assert_false(uscc_org_code_ok("91110000722601458R")); /* valid USCC, advisory check fails */
    assert_int_equal(uscc_check("91110000722601458R"), USCC_OK);
    assert_false(uscc_org_code_ok(NULL));
    assert_false(uscc_org_code_ok("9111000071092609"));
    assert_false(uscc_org_code_ok("91110000-10926094P"));
}

static void test_reasons(void **state)
{
    (void)state;
    assert_string_equal(uscc_reason(USCC_OK), "ok");
    assert_string_equal(uscc_reason(USCC_BAD_LENGTH), "bad_length");
    assert_string_equal(uscc_reason(USCC_BAD_CHAR), "bad_character");
    assert_string_equal(uscc_reason(USCC_BAD_DEPARTMENT), "bad_department");
    assert_string_equal(uscc_reason(USCC_BAD_CATEGORY), "bad_category");
    assert_string_equal(uscc_reason(USCC_BAD_REGION), "bad_region");
    assert_string_equal(uscc_reason(USCC_BAD_CHECK), "check_digit_mismatch");
    assert_string_equal(uscc_reason((enum uscc_result)99), "unknown");
    assert_string_equal(uscc_reason_zh(USCC_BAD_CHECK), "校验码错误");
    assert_non_null(uscc_reason_zh((enum uscc_result) - 1));

    char buf[64];
    uscc_describe(USCC_BAD_CHECK, 'R', false, buf, sizeof buf);
    assert_string_equal(buf, "check_digit_mismatch (expected R)");
    uscc_describe(USCC_BAD_CHECK, 'R', true, buf, sizeof buf);
    assert_string_equal(buf, "校验码错误（应为 R）");
    uscc_describe(USCC_BAD_LENGTH, '\0', false, buf, sizeof buf);
    assert_string_equal(buf, "bad_length");
    uscc_describe(USCC_BAD_CHECK, 'R', false, buf, 6); /* truncates, stays terminated */
    assert_string_equal(buf, "check");
}

static void test_normalize(void **state)
{
    (void)state;
    char out[USCC_LEN + 1];
    assert_int_equal(uscc_normalize("  91110000710926094p\r\n", out), 0);
    assert_string_equal(out, "91110000710926094P");
    assert_int_equal(uscc_check(out), USCC_OK);
    assert_int_equal(uscc_normalize("91110000710926094", out), -1);
    assert_string_equal(out, "");
    assert_int_equal(uscc_normalize("9111000071 0926094P", out), -1);
    assert_int_equal(uscc_normalize(NULL, out), -1);
    assert_int_equal(uscc_normalize("   ", out), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_vectors),
        cmocka_unit_test(test_negative_vectors),
        cmocka_unit_test(test_check_char),
        cmocka_unit_test(test_length),
        cmocka_unit_test(test_characters),
        cmocka_unit_test(test_structure),
        cmocka_unit_test(test_every_single_substitution_is_caught),
        cmocka_unit_test(test_org_code),
        cmocka_unit_test(test_reasons),
        cmocka_unit_test(test_normalize),
    };
    return cmocka_run_group_tests_name("uscc", tests, NULL, NULL);
}
