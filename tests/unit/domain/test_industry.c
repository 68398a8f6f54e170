/* Unit tests for domain/industry: table shape (20 门类, 97 大类, order), the
 * demo industries' codes, lookup and normalisation rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/industry.h"

static void test_table_shape(void **state)
{
    (void)state;
    size_t n;
    const struct industry *t = industry_table(&n);
    int sections = 0, divisions = 0, last_division = 0;
    char last_section = '@';
    for (size_t i = 0; i < n; i++) {
        int level = industry_level(t[i].code);
        assert_true(level >= 1 && level <= 4);
        assert_non_null(t[i].name_zh);
        assert_true(strlen(t[i].name_zh) > 0);
        assert_non_null(t[i].name_en);
        assert_true(strlen(t[i].name_en) > 0);
        if (level == 1) {
            assert_int_equal(t[i].code[0], last_section + 1); /* A..T in order */
            last_section = t[i].code[0];
            sections++;
        } else if (level == 2) {
            int d = (t[i].code[0] - '0') * 10 + (t[i].code[1] - '0');
            assert_int_equal(d, last_division + 1); /* 01..97, no gaps */
            last_division = d;
            divisions++;
            assert_int_equal(industry_section_of(t[i].code), last_section);
        } else {
            /* A 中类 follows its 大类 (or a sibling), a 小类 its 中类. */
            char parent[5] = {0};
            memcpy(parent, t[i].code, strlen(t[i].code) - 1);
            assert_non_null(industry_find(parent));
            assert_true(strcmp(t[i - 1].code, parent) >= 0);
        }
        /* Codes are unique. */
        for (size_t j = i + 1; j < n; j++)
            assert_string_not_equal(t[i].code, t[j].code);
    }
    assert_int_equal(sections, 20);
    assert_int_equal(divisions, 97);
    assert_int_equal(last_section, 'T');
}

static void test_ceramics(void **state)
{
    (void)state;
    static const struct {
        const char *code, *name;
    } want[] = {
        {"30", "非金属矿物制品业"},   {"307", "陶瓷制品制造"},      {"3071", "建筑陶瓷制品制造"},
        {"3072", "卫生陶瓷制品制造"}, {"3073", "特种陶瓷制品制造"}, {"3074", "日用陶瓷制品制造"},
        {"3075", "陈设艺术陶瓷制造"}, {"3076", "园艺陶瓷制造"},     {"3079", "其他陶瓷制品制造"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const struct industry *r = industry_find(want[i].code);
        assert_non_null(r);
        assert_string_equal(r->name_zh, want[i].name);
    }
    assert_null(industry_find("3077"));
    assert_null(industry_find("3070"));
}

static void test_demo_industries(void **state)
{
    (void)state;
    static const char *const codes[] = {"2614", "2661", "2662", "2666", "2669", "2710",
                                        "2720", "2730", "2740", "2761", "2762", "2780",
                                        "3360", "5265", "7245", "7461", "7724", "8111"};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        assert_non_null(industry_find(codes[i]));
    assert_string_equal(industry_find("3360")->name_zh, "金属表面处理及热处理加工");
    assert_string_equal(industry_find("26")->name_zh, "化学原料和化学制品制造业");
    assert_string_equal(industry_find("27")->name_zh, "医药制造业");
    assert_string_equal(industry_find("C")->name_zh, "制造业");
    assert_string_equal(industry_find("N")->name_zh, "水利、环境和公共设施管理业");
    assert_string_equal(industry_find("96")->name_zh, "基层群众自治组织及其他组织");
}

static void test_find(void **state)
{
    (void)state;
    assert_ptr_equal(industry_find("C3074"), industry_find("3074"));
    assert_ptr_equal(industry_find("C30"), industry_find("30"));
    assert_null(industry_find("D3074")); /* wrong letter */
    assert_null(industry_find("c3074")); /* exact text only */
    assert_null(industry_find(" 3074"));
    assert_null(industry_find("3"));
    assert_null(industry_find("30745"));
    assert_null(industry_find("98"));
    assert_null(industry_find("00"));
    assert_null(industry_find("U"));
    assert_null(industry_find(""));
    assert_null(industry_find(NULL));
    assert_null(industry_find("CC"));
}

/* Every letter and every code of 2-4 digits (all 11,126) finds what a scan of the
 * table finds: the index agrees with the table everywhere, not only on its codes. */
static void test_find_every_code(void **state)
{
    (void)state;
    size_t n;
    const struct industry *t = industry_table(&n);
    char code[6];
    int found = 0;
    for (int len = 1; len <= 4; len++) {
        int count = len == 1 ? 26 : len == 2 ? 100 : len == 3 ? 1000 : 10000;
        for (int v = 0; v < count; v++) {
            if (len == 1) {
                code[0] = (char)('A' + v);
                code[1] = '\0';
            } else {
                for (int i = len - 1, x = v; i >= 0; i--, x /= 10)
                    code[i] = (char)('0' + x % 10);
                code[len] = '\0';
            }
            const struct industry *want = NULL;
            for (size_t i = 0; i < n && !want; i++)
                if (!strcmp(t[i].code, code))
                    want = &t[i];
            assert_ptr_equal(industry_find(code), want);
            found += want != NULL;
        }
    }
    assert_int_equal((size_t)found, n); /* every row is a letter or 2-4 digits */
}

static void test_section_of(void **state)
{
    (void)state;
    assert_int_equal(industry_section_of("01"), 'A');
    assert_int_equal(industry_section_of("05"), 'A');
    assert_int_equal(industry_section_of("06"), 'B');
    assert_int_equal(industry_section_of("13"), 'C');
    assert_int_equal(industry_section_of("3074"), 'C');
    assert_int_equal(industry_section_of("4399"), 'C');
    assert_int_equal(industry_section_of("44"), 'D');
    assert_int_equal(industry_section_of("7724"), 'N');
    assert_int_equal(industry_section_of("97"), 'T');
    assert_int_equal(industry_section_of("98"), '\0');
    assert_int_equal(industry_section_of("00"), '\0');
    assert_int_equal(industry_section_of("3"), '\0');
    assert_int_equal(industry_section_of("30x"), '\0');
    assert_int_equal(industry_section_of("C30"), '\0');
    assert_int_equal(industry_section_of(NULL), '\0');
}

static void test_normalize(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out, *reason;
    } cases[] = {
        {"3074", "C3074", NULL},
        {"C3074", "C3074", NULL},
        {" c3074\t", "C3074", NULL},
        {"30", "C30", NULL},
        {"c", "C", NULL},
        {"7724", "N7724", NULL},
        {"2780", "C2780", NULL},
        {"13", "C13", NULL},          /* 大类 alone is enough */
        {"1311", "", "unknown_code"}, /* 大类 known, 小类 not bundled */
        {"131", "", "unknown_code"},
        {"3077", "", "unknown_code"},
        {"98", "", "unknown_code"},
        {"U", "", "unknown_code"},
        {"D3074", "", "section_mismatch"},
        {"", "", "bad_format"},
        {"   ", "", "bad_format"},
        {"3", "", "bad_format"},
        {"30745", "", "bad_format"},
        {"C30745", "", "bad_format"},
        {"C-3074", "", "bad_format"},
        {"CC30", "", "bad_format"},
        {"3074C", "", "bad_format"},
        {"C 3074", "", "bad_format"},
        {"３０７４", "", "bad_format"},
        {"'; DROP TABLE x;--", "", "bad_format"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[6] = "zzzzz";
        const char *reason = "unset";
        int rc = industry_normalize(cases[i].in, out, &reason);
        assert_string_equal(out, cases[i].out);
        if (cases[i].reason) {
            assert_int_equal(rc, -1);
            assert_string_equal(reason, cases[i].reason);
        } else {
            assert_int_equal(rc, 0);
            assert_non_null(industry_find(out));
        }
    }
    char out[6];
    assert_int_equal(industry_normalize(NULL, out, NULL), -1);
    /* A long input with the code up front is still refused as a whole. */
    char longer[200];
    memset(longer, ' ', sizeof longer);
    memcpy(longer, "C3074", 5);
    longer[150] = 'X';
    longer[199] = '\0';
    assert_int_equal(industry_normalize(longer, out, NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_shape),     cmocka_unit_test(test_ceramics),
        cmocka_unit_test(test_demo_industries), cmocka_unit_test(test_find),
        cmocka_unit_test(test_find_every_code), cmocka_unit_test(test_section_of),
        cmocka_unit_test(test_normalize),
    };
    return cmocka_run_group_tests_name("industry", tests, NULL, NULL);
}
