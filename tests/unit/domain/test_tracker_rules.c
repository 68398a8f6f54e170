/* Unit tests for domain/tracker_rules and domain/service_rules: deadlines,
 * the 80 % warning and overdue across the 2026 Spring Festival, quarters,
 * the five 好差评 levels, content sniffing and safe download names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/calendar.h"
#include "domain/service_rules.h"
#include "domain/tracker_rules.h"

static struct calendar *cal;

static int32_t D(const char *s)
{
    int32_t d = CALENDAR_DAY_INVALID;
    if (calendar_parse_date(s, &d))
        fail_msg("bad test date %s", s);
    return d;
}

static void assert_day(int32_t day, const char *want)
{
    char buf[11];
    calendar_format_date(day, buf);
    assert_string_equal(buf, want);
}

static int setup(void **state)
{
    (void)state;
    cal = calendar_new();
    calendar_load_builtin(cal);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    calendar_free(cal);
    return 0;
}

static void test_deadline_spring_festival(void **state)
{
    (void)state;
    int32_t d;
    assert_int_equal(tracker_deadline(cal, D("2026-02-13"), 1, &d), TRACKER_DEADLINE_OK);
    assert_day(d, "2026-02-14"); /* the make-up Saturday */
    assert_int_equal(tracker_deadline(cal, D("2026-02-13"), 2, &d), TRACKER_DEADLINE_OK);
    assert_day(d, "2026-02-24"); /* after 2-15 … 2-23 */
    assert_int_equal(tracker_deadline(cal, D("2026-02-13"), 15, &d), TRACKER_DEADLINE_OK);
    assert_day(d, "2026-03-12"); /* the default bad-review deadline */
    assert_int_equal(tracker_deadline(cal, D("2026-02-12"), 5, &d), TRACKER_DEADLINE_OK);
    assert_day(d, "2026-02-26");
    /* Starting on a holiday counts from the next working day. */
    assert_int_equal(tracker_deadline(cal, D("2026-02-17"), 1, &d), TRACKER_DEADLINE_OK);
    assert_day(d, "2026-02-24");
    assert_int_equal(tracker_deadline(cal, D("2026-02-13"), 0, &d), TRACKER_DEADLINE_BAD_COUNT);
    assert_int_equal(tracker_deadline(cal, D("2026-02-13"), 251, &d), TRACKER_DEADLINE_BAD_COUNT);
}

static void test_check_deadline(void **state)
{
    (void)state;
    int32_t s = D("2026-02-13");
    assert_int_equal(tracker_check_deadline(cal, s, D("2026-02-16")),
                     TRACKER_DEADLINE_NOT_WORKDAY); /* 春节 */
    assert_int_equal(tracker_check_deadline(cal, s, D("2026-02-15")), TRACKER_DEADLINE_NOT_WORKDAY);
    assert_int_equal(tracker_check_deadline(cal, s, D("2026-02-14")), TRACKER_DEADLINE_OK);
    assert_int_equal(tracker_check_deadline(cal, s, D("2026-02-12")),
                     TRACKER_DEADLINE_BEFORE_START);
    assert_int_equal(tracker_check_deadline(cal, s, D("2027-12-31")), TRACKER_DEADLINE_TOO_FAR);
    assert_int_equal(tracker_check_deadline(cal, s, D("2026-10-08")), TRACKER_DEADLINE_OK);
    assert_int_equal(tracker_check_deadline(cal, s, D("2026-10-05")),
                     TRACKER_DEADLINE_NOT_WORKDAY); /* 国庆 */
    assert_non_null(tracker_deadline_message(TRACKER_DEADLINE_NOT_WORKDAY));
}

static void test_warning_and_overdue(void **state)
{
    (void)state;
    int32_t start = D("2026-02-13"), deadline;
    assert_int_equal(tracker_deadline(cal, start, 10, &deadline), 0);
    assert_day(deadline, "2026-03-05");
    /* 80 % of 10 working days = 8: 2-14, 2-24..27, 2-28, 3-2, 3-3. */
    assert_day(tracker_warn_day(cal, start, deadline), "2026-03-03");
    assert_int_equal(tracker_state(cal, start, deadline, D("2026-02-20"), false), TRACKER_ON_TIME);
    assert_int_equal(tracker_state(cal, start, deadline, D("2026-03-02"), false), TRACKER_ON_TIME);
    assert_int_equal(tracker_state(cal, start, deadline, D("2026-03-03"), false), TRACKER_WARNING);
    assert_int_equal(tracker_state(cal, start, deadline, D("2026-03-05"), false), TRACKER_WARNING);
    assert_int_equal(tracker_state(cal, start, deadline, D("2026-03-06"), false), TRACKER_OVERDUE);
    assert_int_equal(tracker_state(cal, start, deadline, D("2026-03-06"), true), TRACKER_DONE);
    assert_string_equal(tracker_state_name(TRACKER_OVERDUE), "overdue");
    /* One working day: the warning comes on the deadline itself. */
    int32_t d1;
    tracker_deadline(cal, start, 1, &d1);
    assert_day(tracker_warn_day(cal, start, d1), "2026-02-14");
    assert_int_equal(tracker_state(cal, start, d1, D("2026-02-13"), false), TRACKER_ON_TIME);
    assert_int_equal(tracker_state(cal, start, d1, D("2026-02-16"), false), TRACKER_OVERDUE);
    /* days left counts working days */
    assert_int_equal(tracker_days_left(cal, D("2026-02-24"), D("2026-02-13")), 2);
    assert_int_equal(tracker_days_left(cal, D("2026-02-24"), D("2026-02-25")), -1);
    assert_true(tracker_closed_on_time(deadline, deadline));
    assert_false(tracker_closed_on_time(deadline, deadline + 1));
}

static void test_quarters(void **state)
{
    (void)state;
    int32_t a, b;
    assert_int_equal(tracker_quarter_range(2026, 1, &a, &b), 0);
    assert_day(a, "2026-01-01");
    assert_day(b, "2026-03-31");
    assert_int_equal(tracker_quarter_range(2026, 4, &a, &b), 0);
    assert_day(b, "2026-12-31");
    assert_int_equal(tracker_quarter_range(2026, 5, &a, &b), -1);
    assert_int_equal(tracker_quarter_range(2026, 0, &a, &b), -1);
}

static void test_ratings(void **state)
{
    (void)state;
    assert_string_equal(service_rating_name(5), "非常满意");
    assert_string_equal(service_rating_name(1), "非常不满意");
    assert_null(service_rating_name(0));
    assert_null(service_rating_name(6));
    assert_false(service_rating_valid(0));
    assert_false(service_rating_valid(6));
    int good[] = {5, 4, 3, 5, 3}, bad[] = {5, 5, 5, 5, 2};
    assert_false(service_is_bad_review(good, 5));
    assert_true(service_is_bad_review(bad, 5));
    assert_true(service_in_list(service_purposes, "执法"));
    assert_false(service_in_list(service_purposes, "吃饭"));
    assert_int_equal(service_min_staff("执法"), 2);
    assert_int_equal(service_min_staff("服务"), 1);
    /* phone numbers: tests/unit/domain/test_phone.c (domain/phone.h) */
}

static void test_sniff(void **state)
{
    (void)state;
    const unsigned char png[] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0};
    const unsigned char jpg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 0};
    assert_int_equal(service_sniff((const unsigned char *)"%PDF-1.7\n", 9), SERVICE_FILE_PDF);
    assert_int_equal(service_sniff(png, sizeof png), SERVICE_FILE_PNG);
    assert_int_equal(service_sniff(jpg, sizeof jpg), SERVICE_FILE_JPEG);
    static const char docx[] = "PK\x03\x04-------------------------[Content_Types].xml----"
                               "word/document.xml";
    assert_int_equal(service_sniff((const unsigned char *)docx, sizeof docx - 1),
                     SERVICE_FILE_DOCX);
    static const char zip[] = "PK\x03\x04-------------------------evil.exe------------";
    assert_int_equal(service_sniff((const unsigned char *)zip, sizeof zip - 1),
                     SERVICE_FILE_UNKNOWN);
    assert_int_equal(service_sniff((const unsigned char *)"MZ\x90\x00", 4), SERVICE_FILE_UNKNOWN);
    assert_int_equal(service_sniff((const unsigned char *)"<html>", 6), SERVICE_FILE_UNKNOWN);
    assert_int_equal(service_sniff(NULL, 0), SERVICE_FILE_UNKNOWN);
    assert_true(service_file_ext_ok(SERVICE_FILE_JPEG, "照片.JPEG"));
    assert_true(service_file_ext_ok(SERVICE_FILE_PDF, "报告.pdf"));
    assert_false(service_file_ext_ok(SERVICE_FILE_PNG, "报告.pdf"));
    assert_false(service_file_ext_ok(SERVICE_FILE_PDF, "run.exe"));
}

static void test_names(void **state)
{
    (void)state;
    char out[64], disp[256];
    assert_string_equal(service_clean_filename("../../etc/passwd", out, sizeof out), "passwd");
    assert_string_equal(service_clean_filename("C:\\x\\整改\"报告\".pdf", out, sizeof out),
                        "整改报告.pdf");
    assert_string_equal(service_clean_filename("a\r\nb.pdf", out, sizeof out), "ab.pdf");
    assert_string_equal(service_clean_filename("", out, sizeof out), "附件");
    assert_int_equal(service_content_disposition("整改.pdf", disp, sizeof disp), 0);
    assert_string_equal(disp, "attachment; filename=\"______.pdf\"; "
                              "filename*=UTF-8''%E6%95%B4%E6%94%B9.pdf");
    assert_int_equal(service_content_disposition("a\"b;c.pdf", disp, sizeof disp), 0);
    assert_string_equal(disp, "attachment; filename=\"a_b;c.pdf\"; filename*=UTF-8''a%22b%3Bc.pdf");
    assert_int_equal(service_content_disposition("x.pdf", disp, 10), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadline_spring_festival),
        cmocka_unit_test(test_check_deadline),
        cmocka_unit_test(test_warning_and_overdue),
        cmocka_unit_test(test_quarters),
        cmocka_unit_test(test_ratings),
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
