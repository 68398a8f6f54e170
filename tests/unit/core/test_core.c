/* Unit tests for src/core: buf, text, timeutil, err, config. */
#include "core/buf.h"
#include "core/config.h"
#include "core/err.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "domain/calendar.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

static void test_buf_cap(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 8);
    assert_int_equal(buf_puts(&b, "12345"), 0);
    assert_int_equal(buf_puts(&b, "6789"), -1); /* would pass the cap: nothing appended */
    assert_int_equal(b.len, 5);
    assert_string_equal(b.data, "12345");
    assert_int_equal(buf_printf(&b, "%d", 678), 0);
    assert_string_equal(b.data, "12345678");
    assert_int_equal(buf_printf(&b, "x"), -1);
    size_t len;
    char *p = buf_detach(&b, &len);
    assert_int_equal(len, 8);
    assert_null(b.data);
    free(p);
    buf_free(&b);
}

static void test_buf_put_xml(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(buf_put_xml(&b, "<a href=\"x\">A&B</a>\x01\t景\n"), 0);
    assert_string_equal(b.data, "&lt;a href=&quot;x&quot;&gt;A&amp;B&lt;/a&gt;\t景\n");
    assert_int_equal(buf_put_xml(&b, NULL), 0);
    buf_free(&b);
    buf_init(&b, 6);
    assert_int_equal(buf_put_xml(&b, "<<"), -1); /* the cap: "&lt;" fits once */
    buf_free(&b);
}

static void test_text_utf8(void **state)
{
    (void)state;
    assert_true(text_utf8_valid("景瓷市", strlen("景瓷市")));
    assert_true(text_utf8_valid("\xF0\x9F\x98\x80", 4));  /* U+1F600 */
    assert_false(text_utf8_valid("\xC0\xAF", 2));         /* overlong '/' */
    assert_false(text_utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
    assert_false(text_utf8_valid("\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
    assert_false(text_utf8_valid("\xE6\x99", 2));         /* truncated */
    assert_int_equal(text_utf8_valid_prefix("ab\xE6\x99", 4), 2);
    assert_int_equal(text_utf8_valid_prefix("景瓷", 6), 6);
    assert_int_equal(text_utf8_valid_prefix("景\xFF瓷", 7), 3);
    assert_int_equal(text_check_field("正常名称", 64, 0), TEXT_OK);
    assert_int_equal(text_check_field("a\tb", 64, 0), TEXT_CONTROL_CHAR);
    assert_int_equal(text_check_field("a\tb\nc", 64, 1), TEXT_OK);
    assert_int_equal(text_check_field("a\x7f", 64, 1), TEXT_CONTROL_CHAR);
    assert_int_equal(text_check_field("abcdef", 5, 0), TEXT_TOO_LONG);
    assert_int_equal(text_check_field("\xff", 5, 0), TEXT_BAD_UTF8);
}

/* The hand-written digits against glibc's gmtime_r + strftime on 200,000 random
 * instants over years 0000-9999, the range's first and last second, 0 and -1. */
static void test_timeutil_iso_against_libc(void **state)
{
    (void)state;
    const int64_t first = -62167219200 - 8 * 3600; /* 0000-01-01T00:00:00+08:00 */
    const int64_t last = 253402300799 - 8 * 3600;  /* 9999-12-31T23:59:59+08:00 */
    srand(18);
    for (int i = 0; i < 200000; i++) {
        int64_t t = i < 4 ? (int64_t[]){first, last, 0, -1}[i]
                          : first + (int64_t)(((uint64_t)rand() << 31 ^ (uint64_t)rand()) %
                                              (uint64_t)(last - first + 1));
        time_t local = (time_t)(t + 8 * 3600);
        struct tm tm;
        assert_non_null(gmtime_r(&local, &tm));
        char want[40], got[32];
        snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        timeutil_format_iso(t, got, sizeof got);
        assert_string_equal(got, want);
    }
}

static void test_timeutil(void **state)
{
    (void)state;
    char s[32];
    timeutil_format_iso(0, s, sizeof s);
    assert_string_equal(s, "1970-01-01T08:00:00+08:00");
    /* 2026-02-16 16:00 UTC is already the 17th in Beijing. */
    timeutil_format_date(1771257600 + 16 * 3600, s, sizeof s);
    assert_string_equal(s, "2026-02-17");
    int64_t t;
    assert_int_equal(timeutil_parse_date("2026-02-28", &t), 0);
    timeutil_format_iso(t, s, sizeof s);
    assert_string_equal(s, "2026-02-28T00:00:00+08:00");
    assert_int_equal(timeutil_parse_date("2026-02-29", &t), -1);
    assert_int_equal(timeutil_parse_date("2026-2-28", &t), -1);
    assert_int_equal(timeutil_parse_date("2024-02-29", &t), 0);
    assert_int_equal(timeutil_parse_date("2026-02-28x", &t), -1);
    timeutil_format_iso(-1, s, sizeof s);
    assert_string_equal(s, "1970-01-01T07:59:59+08:00");
    /* Beijing day numbers: the day turns at 16:00 UTC, before 1970 too. */
    assert_int_equal(timeutil_day_of(0), 0);
    assert_int_equal(timeutil_day_of(16 * 3600 - 1), 0);
    assert_int_equal(timeutil_day_of(16 * 3600), 1);
    assert_int_equal(timeutil_day_of(-8 * 3600), 0);
    assert_int_equal(timeutil_day_of(-8 * 3600 - 1), -1);
    int32_t day;
    assert_int_equal(calendar_parse_date("2026-02-17", &day), 0);
    assert_int_equal(timeutil_day_of(1771257600 + 16 * 3600), day);
}

static void test_err_table(void **state)
{
    (void)state;
    assert_int_equal(err_http_status(ERR_OK), 200);
    assert_int_equal(err_http_status(ERR_BODY_TOO_LARGE), 413);
    assert_string_equal(err_code(ERR_CSRF_FAILED), "csrf_failed");
    assert_int_equal(err_http_status((enum err)9999), 500);
    for (int e = 0; e < ERR__COUNT; e++) {
        assert_true(err_http_status((enum err)e) >= 200);
        assert_true(strlen(err_code((enum err)e)) > 0);
        for (int f = e + 1; f < ERR__COUNT; f++)
            assert_string_not_equal(err_code((enum err)e), err_code((enum err)f));
    }
}

static void test_config_precedence(void **state)
{
    (void)state;
    char path[] = "/tmp/ecogov-conf-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *text = "# comment\n threads = 4 \nbureau_name = 文件\nhttp_port=9000\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    char flag_conf[128], err[256];
    snprintf(flag_conf, sizeof flag_conf, "--config=%s", path);
    setenv("ECOGOV_HTTP_PORT", "9100", 1);
    char *argv[] = {"serve", flag_conf, "--bureau-name=标志", NULL};
    struct config cfg;
    assert_int_equal(config_load(&cfg, 3, argv, err, sizeof err), 0);
    assert_int_equal(cfg.threads, 4);             /* file over default */
    assert_int_equal(cfg.http_port, 9100);        /* environment over file */
    assert_string_equal(cfg.bureau_name, "标志"); /* flag over all */
    config_free(&cfg);
    unsetenv("ECOGOV_HTTP_PORT");
    unlink(path);
}

static void test_config_rejects(void **state)
{
    (void)state;
    char err[256];
    struct config cfg;
    char *bad_range[] = {"serve", "--threads=0", NULL};
    assert_int_equal(config_load(&cfg, 2, bad_range, err, sizeof err), -1);
    assert_non_null(strstr(err, "threads"));
    config_free(&cfg);
    char *bad_num[] = {"serve", "--http-port=80x", NULL};
    assert_int_equal(config_load(&cfg, 2, bad_num, err, sizeof err), -1);
    assert_non_null(strstr(err, "http_port"));
    config_free(&cfg);
    char *unknown[] = {"serve", "--colour=red", NULL};
    assert_int_equal(config_load(&cfg, 2, unknown, err, sizeof err), -1);
    assert_non_null(strstr(err, "colour"));
    config_free(&cfg);
    char *positional[] = {"serve", "stray", NULL};
    assert_int_equal(config_load(&cfg, 2, positional, err, sizeof err), -1);
    config_free(&cfg);
    char *missing[] = {"serve", "--config=/nonexistent/ecogov.conf", NULL};
    assert_int_equal(config_load(&cfg, 2, missing, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/ecogov.conf"));
    config_free(&cfg);
    char *level[] = {"serve", "--log-level=loud", NULL};
    assert_int_equal(config_load(&cfg, 2, level, err, sizeof err), -1);
    config_free(&cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_cap),
        cmocka_unit_test(test_buf_put_xml),
        cmocka_unit_test(test_text_utf8),
        cmocka_unit_test(test_timeutil),
        cmocka_unit_test(test_timeutil_iso_against_libc),
        cmocka_unit_test(test_err_table),
        cmocka_unit_test(test_config_precedence),
        cmocka_unit_test(test_config_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
