/* Fuzz target for the 双随机 pool CSV parser (domain/draw).
 *
 * Every input is parsed; an accepted pool must be sorted strictly ascending
 * (distinct keys), every key must pass the key rules again through
 * draw_pool_add, and a draw of every size up to the pool (capped) must give
 * distinct indices and the same answer twice. An accepted pool written back
 * through THE CSV writer (core/csv_write) parses to the same keys. The same
 * input also goes through the conflicts parser, whose pairs must each hold
 * one separator. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv_write.h"
#include "domain/draw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

/* The pool written as the server writes it parses back to the same keys. */
static void fuzz_round_trip(const struct draw_pool *p)
{
    struct buf b;
    buf_init(&b, 0);
    struct csv_out c;
    csv_out_init(&c, &b);
    csv_text(&c, "key");
    csv_text(&c, "name");
    csv_end_row(&c);
    for (size_t i = 0; i < p->n; i++) {
        csv_text(&c, p->keys[i]);
        csv_text(&c, p->keys[i][0] == '"' ? "=\"x\",\r\n" : "+name");
        csv_end_row(&c);
    }
    struct draw_pool back;
    draw_pool_init(&back);
    FUZZ_CHECK(draw_pool_parse_csv(b.data, b.len, &back, NULL) == DRAW_OK);
    FUZZ_CHECK(back.n == p->n);
    for (size_t i = 0; i < p->n; i++)
        FUZZ_CHECK(!strcmp(back.keys[i], p->keys[i]));
    draw_pool_free(&back);
    buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct draw_pool p;
    draw_pool_init(&p);
    size_t line = 0;
    enum draw_error e = draw_pool_parse_csv((const char *)data, size, &p, &line);
    FUZZ_CHECK(line >= 1);
    if (e == DRAW_OK) {
        struct draw_pool again;
        draw_pool_init(&again);
        for (size_t i = 0; i < p.n; i++) {
            FUZZ_CHECK(i == 0 || strcmp(p.keys[i - 1], p.keys[i]) < 0);
            FUZZ_CHECK(draw_pool_add(&again, p.keys[i], strlen(p.keys[i])) == DRAW_OK);
        }
        draw_pool_free(&again);
        uint8_t seed[DRAW_SEED_BYTES] = {0};
        if (size)
            seed[0] = data[0];
        size_t n = p.n < 64 ? p.n : 64;
        size_t a[64], b[64];
        FUZZ_CHECK(draw_select(seed, &p, n, a) == DRAW_OK);
        FUZZ_CHECK(draw_select(seed, &p, n, b) == DRAW_OK);
        FUZZ_CHECK(!n || !memcmp(a, b, n * sizeof a[0]));
        for (size_t i = 0; i < n; i++) {
            FUZZ_CHECK(a[i] < p.n);
            for (size_t j = 0; j < i; j++)
                FUZZ_CHECK(a[i] != a[j]);
        }
        FUZZ_CHECK(draw_select(seed, &p, p.n + 1, a) == DRAW_ERR_COUNT);
        fuzz_round_trip(&p);
    }
    draw_pool_free(&p);
    struct draw_pool pairs;
    draw_pool_init(&pairs);
    line = 0;
    if (draw_conflicts_parse_csv((const char *)data, size, &pairs, &line) == DRAW_OK)
        for (size_t i = 0; i < pairs.n; i++) {
            const char *sep = strchr(pairs.keys[i], DRAW_PAIR_SEP);
            FUZZ_CHECK(sep && sep != pairs.keys[i] && sep[1] && !strchr(sep + 1, DRAW_PAIR_SEP));
        }
    FUZZ_CHECK(line >= 1);
    draw_pool_free(&pairs);
    return 0;
}
