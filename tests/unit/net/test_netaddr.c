/* Unit tests for net/netaddr (trusted proxies, the client address), the
 * anonymous-write limiter (net/ratelimit) and the log escaping (core/text). */
#include "core/text.h"
#include "net/netaddr.h"
#include "net/ratelimit.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static void test_list_parse(void **state)
{
    (void)state;
    char err[128];
    struct netaddr_list *l =
        netaddr_list_parse("10.0.0.0/8, 192.168.1.7 ::1,fd00::/8", err, sizeof err);
    assert_non_null(l);
    assert_true(netaddr_list_contains(l, "10.200.3.4"));
    assert_true(netaddr_list_contains(l, "::ffff:10.1.1.1")); /* mapped IPv4 is IPv4 */
    assert_true(netaddr_list_contains(l, "192.168.1.7"));
    assert_false(netaddr_list_contains(l, "192.168.1.8"));
    assert_true(netaddr_list_contains(l, "::1"));
    assert_true(netaddr_list_contains(l, "fd12::5"));
    assert_false(netaddr_list_contains(l, "fe80::1"));
    assert_false(netaddr_list_contains(l, "11.0.0.1"));
    assert_false(netaddr_list_contains(l, "not-an-address"));
    netaddr_list_free(l);
    static const char *const bad[] = {"10.0.0.0/33", "10.0.0.0/", "300.1.1.1",
                                      "abc",         "::1/129",   "10.0.0.0/8x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_null(netaddr_list_parse(bad[i], err, sizeof err));
        assert_non_null(strstr(err, "not an IP"));
    }
    l = netaddr_list_parse("", err, sizeof err);
    assert_non_null(l);
    assert_false(netaddr_list_contains(l, "127.0.0.1"));
    netaddr_list_free(l);
}

static void test_client(void **state)
{
    (void)state;
    char err[128], out[NETADDR_TEXT];
    struct netaddr_list *none = netaddr_list_parse("", err, sizeof err);
    struct netaddr_list *proxies = netaddr_list_parse("127.0.0.1, 10.0.0.0/8", err, sizeof err);
    /* an untrusted peer: headers ignored */
    netaddr_client(none, "127.0.0.1", "1.2.3.4", "5.6.7.8", out, sizeof out);
    assert_string_equal(out, "127.0.0.1");
    netaddr_client(proxies, "203.0.113.5", "1.2.3.4", NULL, out, sizeof out);
    assert_string_equal(out, "203.0.113.5");
    /* a trusted peer: the right-most hop that is not a trusted proxy */
    netaddr_client(proxies, "127.0.0.1", "6.6.6.6, 203.0.113.7", NULL, out, sizeof out);
    assert_string_equal(out, "203.0.113.7");
    netaddr_client(proxies, "127.0.0.1", "6.6.6.6, 203.0.113.7 , 10.1.2.3", NULL, out, sizeof out);
    assert_string_equal(out, "203.0.113.7");
    /* X-Real-IP when there is no X-Forwarded-For */
    netaddr_client(proxies, "127.0.0.1", NULL, "198.51.100.2", out, sizeof out);
    assert_string_equal(out, "198.51.100.2");
    /* a malformed hop ends the walk at the last good address */
    netaddr_client(proxies, "127.0.0.1", "6.6.6.6, garbage", NULL, out, sizeof out);
    assert_string_equal(out, "127.0.0.1");
    netaddr_client(proxies, "127.0.0.1", "6.6.6.6, 10.0.0.2, bad", NULL, out, sizeof out);
    assert_string_equal(out, "127.0.0.1");
    /* every hop trusted: the left-most */
    netaddr_client(proxies, "127.0.0.1", "10.0.0.3, 10.0.0.2", NULL, out, sizeof out);
    assert_string_equal(out, "10.0.0.3");
    /* mapped peers are written as IPv4 */
    netaddr_client(proxies, "::ffff:127.0.0.1", "2001:db8::7", NULL, out, sizeof out);
    assert_string_equal(out, "2001:db8::7");
    netaddr_list_free(none);
    netaddr_list_free(proxies);
}

static void test_ratelimit(void **state)
{
    (void)state;
    struct ratelimit *rl = ratelimit_new(3, 6); /* 3 at once, then one each 10 s */
    int64_t t = 1000000;
    for (int i = 0; i < 3; i++)
        assert_int_equal(ratelimit_take(rl, "1.2.3.4", t), 0);
    int64_t wait = ratelimit_take(rl, "1.2.3.4", t);
    assert_true(wait >= 9 && wait <= 10);
    assert_int_equal(ratelimit_take(rl, "5.6.7.8", t), 0); /* another address */
    /* frequent refused calls do not lose the refill */
    for (int64_t ms = 1; ms < 10000; ms += 7)
        ratelimit_take(rl, "1.2.3.4", t + ms);
    assert_int_equal(ratelimit_take(rl, "1.2.3.4", t + 10001), 0);
    assert_true(ratelimit_take(rl, "1.2.3.4", t + 10002) > 0);
    ratelimit_free(rl);
}

static void test_escape(void **state)
{
    (void)state;
    char out[128];
    const char in[] = "/x\n2026 info access\r\x1b[31m\"q\"\\ \xc2\x85 \xe2\x80\xae 景瓷 \xff";
    text_escape(in, sizeof in - 1, out, sizeof out, "\"\\");
    assert_null(strchr(out, '\n'));
    assert_null(strchr(out, '\r'));
    assert_null(strchr(out, 0x1b));
    assert_non_null(strstr(out, "/x\\x0A2026"));
    assert_non_null(strstr(out, "\\x22q\\x22\\x5C"));
    assert_non_null(strstr(out, "\\u{0085}"));
    assert_non_null(strstr(out, "\\u{202E}"));
    assert_non_null(strstr(out, "景瓷"));
    assert_non_null(strstr(out, "\\xFF"));
    char small[12];
    size_t n = text_escape("0123456789abcdef", 16, small, sizeof small, NULL);
    assert_true(n < sizeof small);
    assert_string_equal(small + n - 3, "...");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_parse),
        cmocka_unit_test(test_client),
        cmocka_unit_test(test_ratelimit),
        cmocka_unit_test(test_escape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
