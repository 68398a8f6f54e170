/* draw — verifiable random draws for 双随机、一公开 (docs/draw.md is the
 * normative description a third party reimplements).
 *
 * Owns: the pool CSV format and its parser, the canonical form of a pool and
 * its SHA-256, the seed commitment (SHA-256 of the 32 seed bytes), the
 * generator (ChaCha20 keystream -> 32-bit words -> unbiased integers by
 * rejection -> partial Fisher-Yates over the canonically sorted pool), and the
 * draw of inspector teams with conflict-of-interest exclusion.
 * Must not: read files, touch the database, log, or use any other source of
 * randomness than the seed it is given (drawing the seed itself is
 * draw_new_seed's only job). */
#ifndef ECOGOV_DRAW_H
#define ECOGOV_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DRAW_SEED_BYTES 32
#define DRAW_HASH_BYTES 32
#define DRAW_NONCE_BYTES 8
#define DRAW_KEY_MAX 64      /* bytes of one pool key */
#define DRAW_POOL_MAX 100000 /* rows in one pool */
#define DRAW_TEAM_MAX 8      /* inspectors in one team */

enum draw_error {
    DRAW_OK = 0,
    DRAW_ERR_EMPTY,         /* no header line */
    DRAW_ERR_NO_KEY_COLUMN, /* the header has no column named "key" */
    DRAW_ERR_SYNTAX,        /* unterminated quote, text after a closing quote */
    DRAW_ERR_BAD_KEY,   /* empty, too long, bad UTF-8, control chars, edge spaces, formula start */
    DRAW_ERR_DUPLICATE, /* the same key twice */
    DRAW_ERR_TOO_MANY,  /* more than DRAW_POOL_MAX rows */
    DRAW_ERR_COUNT,     /* count larger than the pool */
    DRAW_ERR_TEAM,      /* team size out of 2..DRAW_TEAM_MAX */
    DRAW_ERR_CONFLICT,  /* too few inspectors without a conflict for a target */
};

/* A pool: distinct keys, canonical (byte-wise ascending) order after
 * draw_pool_sort. Keys are NUL-terminated copies owned by the pool. */
struct draw_pool {
    char **keys;
    size_t n, cap;
};

void draw_pool_init(struct draw_pool *p);
void draw_pool_free(struct draw_pool *p);
/* Adds a copy of key after checking it (rules in docs/draw.md); duplicates are
 * found by draw_pool_sort. Returns DRAW_OK or DRAW_ERR_BAD_KEY/TOO_MANY. */
enum draw_error draw_pool_add(struct draw_pool *p, const char *key, size_t len);
/* Sorts byte-wise ascending; DRAW_ERR_DUPLICATE (with the key in dup, which may
 * be NULL) when two keys are equal. */
enum draw_error draw_pool_sort(struct draw_pool *p, const char **dup);
/* SHA-256 over the canonical serialisation: each key followed by "\n", in
 * sorted order. The pool must be sorted. */
void draw_pool_hash(const struct draw_pool *p, uint8_t out[DRAW_HASH_BYTES]);

/* Parses a pool CSV (docs/draw.md: header line with a "key" column, RFC 4180
 * quoting, LF or CRLF, optional UTF-8 BOM) into p (initialised, empty), then
 * sorts it. On error *line (when not NULL) gets the 1-based line number. */
enum draw_error draw_pool_parse_csv(const char *data, size_t len, struct draw_pool *p,
                                    size_t *line);

/* The separator between target and inspector in a conflict pair. */
#define DRAW_PAIR_SEP '\x1f'
/* Parses a conflicts CSV (header line, then "target,inspector" records, the
 * pool CSV's RFC 4180 rules) into pairs (initialised, empty) as
 * "target" DRAW_PAIR_SEP "inspector" strings, sorted byte-wise. Both keys must
 * be valid keys. On error *line gets the 1-based line number. */
enum draw_error draw_conflicts_parse_csv(const char *data, size_t len, struct draw_pool *pairs,
                                         size_t *line);

/* A zh message for an error. */
const char *draw_error_message(enum draw_error e);

/* 32 bytes from the operating system's CSPRNG (libsodium randombytes). */
void draw_new_seed(uint8_t seed[DRAW_SEED_BYTES]);
/* The public commitment: SHA-256 of the 32 seed bytes. */
void draw_seed_commitment(const uint8_t seed[DRAW_SEED_BYTES], uint8_t out[DRAW_HASH_BYTES]);

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void draw_hex(const uint8_t *bytes, size_t n, char *out);
/* Exactly 2n hex digits (either case) into bytes; 0 or -1. */
int draw_unhex(const char *hex, uint8_t *bytes, size_t n);

/* The generator: ChaCha20 (libsodium crypto_stream_chacha20: 64-bit nonce,
 * 64-bit block counter from 0) keyed with the seed. */
struct draw_rng {
    uint8_t key[DRAW_SEED_BYTES];
    uint8_t nonce[DRAW_NONCE_BYTES];
    uint8_t block[64];
    uint64_t counter; /* next block */
    unsigned used;    /* bytes of block consumed */
};

void draw_rng_init(struct draw_rng *g, const uint8_t seed[DRAW_SEED_BYTES],
                   const uint8_t nonce[DRAW_NONCE_BYTES]);
/* Next 32-bit little-endian word of the keystream. */
uint32_t draw_rng_word(struct draw_rng *g);
/* Uniform integer in [0, m) for 1 <= m <= 2^32-1, by rejection: words at or
 * above 2^32 - (2^32 mod m) are discarded. */
uint32_t draw_rng_below(struct draw_rng *g, uint32_t m);
/* Wipes the key. */
void draw_rng_clear(struct draw_rng *g);

/* The nonce for a pool: the first 8 bytes of its hash. */
void draw_pool_nonce(const uint8_t pool_hash[DRAW_HASH_BYTES], uint8_t nonce[DRAW_NONCE_BYTES]);

/* Draws count keys from the sorted pool p: out[i] is an index into p->keys
 * (out holds count entries), in draw order. Uses the nonce of the pool's hash.
 * DRAW_ERR_COUNT when count > p->n. */
enum draw_error draw_select(const uint8_t seed[DRAW_SEED_BYTES], const struct draw_pool *p,
                            size_t count, size_t *out);

/* Conflict test for the team draw: true when inspector key `inspector` may not
 * inspect target key `target`. */
typedef bool draw_conflict_fn(void *ctx, const char *target, const char *inspector);

/* Draws a team of team_size inspectors for each target in order, from the
 * sorted inspector pool p, one keystream (nonce of p's hash) for all targets.
 * For each target the eligible inspectors are p's keys in canonical order minus
 * those in conflict; the team is the first team_size of a partial Fisher-Yates
 * over them. out gets ntargets * team_size indices into p->keys. On
 * DRAW_ERR_CONFLICT, *bad_target gets the index of the target without enough
 * eligible inspectors. */
enum draw_error draw_teams(const uint8_t seed[DRAW_SEED_BYTES], const struct draw_pool *p,
                           const char *const *targets, size_t ntargets, size_t team_size,
                           draw_conflict_fn *conflict, void *ctx, size_t *out, size_t *bad_target);

#endif
