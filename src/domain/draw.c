#include "domain/draw.h"
#include "core/csv_write.h"
#include "core/text.h"
#include "core/xalloc.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

void draw_pool_init(struct draw_pool *p)
{
    memset(p, 0, sizeof *p);
}

void draw_pool_free(struct draw_pool *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->keys[i]);
    free(p->keys);
    draw_pool_init(p);
}

static bool draw_key_ok(const char *key, size_t len)
{
    if (!len || len > DRAW_KEY_MAX || !text_utf8_valid(key, len))
        return false;
    if (key[0] == ' ' || key[len - 1] == ' ')
        return false;
    /* A key is never a spreadsheet formula, so the CSV writer's neutralising
     * never changes the bytes the pool hash covers (docs/draw.md). */
    if (csv_text_is_formula(key, len))
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)key[i];
        if (c < 0x20 || c == 0x7f)
            return false;
    }
    return true;
}

enum draw_error draw_pool_add(struct draw_pool *p, const char *key, size_t len)
{
    if (!draw_key_ok(key, len))
        return DRAW_ERR_BAD_KEY;
    if (p->n >= DRAW_POOL_MAX)
        return DRAW_ERR_TOO_MANY;
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        p->keys = xrealloc(p->keys, p->cap * sizeof *p->keys);
    }
    p->keys[p->n++] = xstrndup(key, len);
    return DRAW_OK;
}

static int draw_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

enum draw_error draw_pool_sort(struct draw_pool *p, const char **dup)
{
    if (p->n > 1)
        qsort(p->keys, p->n, sizeof *p->keys, draw_cmp);
    for (size_t i = 1; i < p->n; i++)
        if (!strcmp(p->keys[i - 1], p->keys[i])) {
            if (dup)
                *dup = p->keys[i];
            return DRAW_ERR_DUPLICATE;
        }
    return DRAW_OK;
}

void draw_pool_hash(const struct draw_pool *p, uint8_t out[DRAW_HASH_BYTES])
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    for (size_t i = 0; i < p->n; i++) {
        crypto_hash_sha256_update(&st, (const unsigned char *)p->keys[i], strlen(p->keys[i]));
        crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
    }
    crypto_hash_sha256_final(&st, out);
}

/* ---- the pool CSV ---- */

struct draw_csv {
    const char *s;
    size_t len, pos;
    size_t line;
};

/* Reads one field into field (capped copy; *flen the full length) and reports
 * whether it ended the record. -1 on a syntax error. */
static int draw_csv_field(struct draw_csv *c, char *field, size_t cap, size_t *flen,
                          bool *end_of_record)
{
    size_t n = 0;
    *end_of_record = false;
    if (c->pos < c->len && c->s[c->pos] == '"') {
        c->pos++;
        for (;;) {
            if (c->pos >= c->len)
                return -1;
            char ch = c->s[c->pos++];
            if (ch == '"') {
                if (c->pos < c->len && c->s[c->pos] == '"') {
                    c->pos++;
                } else {
                    break;
                }
            } else if (ch == '\n') {
                c->line++;
            }
            if (n < cap)
                field[n] = ch;
            n++;
        }
        if (c->pos < c->len && c->s[c->pos] != ',' && c->s[c->pos] != '\n' &&
            !(c->s[c->pos] == '\r' && c->pos + 1 < c->len && c->s[c->pos + 1] == '\n'))
            return -1;
    } else {
        while (c->pos < c->len && c->s[c->pos] != ',' && c->s[c->pos] != '\n') {
            char ch = c->s[c->pos];
            if (ch == '"')
                return -1;
            if (ch == '\r') {
                if (c->pos + 1 < c->len && c->s[c->pos + 1] == '\n')
                    break;
                return -1;
            }
            if (n < cap)
                field[n] = ch;
            n++;
            c->pos++;
        }
    }
    *flen = n;
    if (c->pos >= c->len) {
        *end_of_record = true;
    } else if (c->s[c->pos] == ',') {
        c->pos++;
    } else {
        if (c->s[c->pos] == '\r')
            c->pos++;
        c->pos++; /* '\n' */
        *end_of_record = true;
    }
    return 0;
}

enum draw_error draw_pool_parse_csv(const char *data, size_t len, struct draw_pool *p, size_t *line)
{
    struct draw_csv c = {data, len, 0, 1};
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        c.pos = 3;
    char field[DRAW_KEY_MAX + 1];
    size_t flen;
    bool eor = false;
    long key_col = -1;
    enum draw_error e = DRAW_OK;
    if (c.pos >= len) {
        e = DRAW_ERR_EMPTY;
        goto out;
    }
    for (long col = 0; !eor; col++) {
        if (draw_csv_field(&c, field, sizeof field - 1, &flen, &eor)) {
            e = DRAW_ERR_SYNTAX;
            goto out;
        }
        if (flen == 3 && !memcmp(field, "key", 3) && key_col < 0)
            key_col = col;
    }
    if (key_col < 0) {
        e = DRAW_ERR_NO_KEY_COLUMN;
        goto out;
    }
    while (c.pos < len) {
        c.line++;
        size_t start_line = c.line;
        /* An empty line (such as a trailing one) is not a record. */
        if (data[c.pos] == '\n') {
            c.pos++;
            continue;
        }
        if (data[c.pos] == '\r' && c.pos + 1 < len && data[c.pos + 1] == '\n') {
            c.pos += 2;
            continue;
        }
        bool have_key = false, blank = true;
        for (long col = 0;; col++) {
            if (draw_csv_field(&c, field, sizeof field - 1, &flen, &eor)) {
                c.line = start_line;
                e = DRAW_ERR_SYNTAX;
                goto out;
            }
            if (flen)
                blank = false;
            if (col == key_col) {
                have_key = true;
                if (flen > DRAW_KEY_MAX) {
                    c.line = start_line;
                    e = DRAW_ERR_BAD_KEY;
                    goto out;
                }
                field[flen] = '\0';
                if (memchr(field, '\0', flen)) {
                    c.line = start_line;
                    e = DRAW_ERR_BAD_KEY;
                    goto out;
                }
                if ((e = draw_pool_add(p, field, flen)) != DRAW_OK) {
                    c.line = start_line;
                    goto out;
                }
            }
            if (eor)
                break;
        }
        if (!have_key && !blank) {
            c.line = start_line;
            e = DRAW_ERR_BAD_KEY;
            goto out;
        }
    }
    e = draw_pool_sort(p, NULL);
out:
    if (line)
        *line = c.line;
    return e;
}

enum draw_error draw_conflicts_parse_csv(const char *data, size_t len, struct draw_pool *pairs,
                                         size_t *line)
{
    struct draw_csv c = {data, len, 0, 1};
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        c.pos = 3;
    char field[2][DRAW_KEY_MAX + 1];
    size_t flen[2] = {0, 0};
    bool eor = false;
    enum draw_error e = DRAW_OK;
    for (long col = 0; !eor && c.pos < len; col++) /* the header */
        if (draw_csv_field(&c, field[0], DRAW_KEY_MAX, &flen[0], &eor)) {
            e = DRAW_ERR_SYNTAX;
            goto out;
        }
    while (c.pos < len && e == DRAW_OK) {
        c.line++;
        size_t start_line = c.line;
        if (data[c.pos] == '\n' ||
            (data[c.pos] == '\r' && c.pos + 1 < len && data[c.pos + 1] == '\n')) {
            c.pos += data[c.pos] == '\n' ? 1 : 2;
            continue;
        }
        long col = 0;
        for (eor = false; !eor; col++) {
            size_t n;
            char *into = col < 2 ? field[col] : field[1];
            if (draw_csv_field(&c, into, DRAW_KEY_MAX, &n, &eor)) {
                e = DRAW_ERR_SYNTAX;
                break;
            }
            if (col < 2)
                flen[col] = n;
        }
        if (e == DRAW_OK && (col != 2 || flen[0] > DRAW_KEY_MAX || flen[1] > DRAW_KEY_MAX ||
                             !draw_key_ok(field[0], flen[0]) || !draw_key_ok(field[1], flen[1])))
            e = DRAW_ERR_BAD_KEY;
        if (e == DRAW_OK && pairs->n >= DRAW_POOL_MAX)
            e = DRAW_ERR_TOO_MANY;
        if (e != DRAW_OK) {
            c.line = start_line;
            break;
        }
        if (pairs->n == pairs->cap) {
            pairs->cap = pairs->cap ? pairs->cap * 2 : 16;
            pairs->keys = xrealloc(pairs->keys, pairs->cap * sizeof *pairs->keys);
        }
        char *pair = xmalloc(flen[0] + flen[1] + 2);
        memcpy(pair, field[0], flen[0]);
        pair[flen[0]] = DRAW_PAIR_SEP;
        memcpy(pair + flen[0] + 1, field[1], flen[1]);
        pair[flen[0] + flen[1] + 1] = '\0';
        pairs->keys[pairs->n++] = pair;
    }
    if (e == DRAW_OK && pairs->n > 1)
        qsort(pairs->keys, pairs->n, sizeof *pairs->keys, draw_cmp);
out:
    if (line)
        *line = c.line;
    return e;
}

const char *draw_error_message(enum draw_error e)
{
    switch (e) {
    case DRAW_OK:
        return "成功";
    case DRAW_ERR_EMPTY:
        return "名录文件为空";
    case DRAW_ERR_NO_KEY_COLUMN:
        return "表头缺少 key 列";
    case DRAW_ERR_SYNTAX:
        return "CSV 格式错误（引号不匹配或引号后有多余字符）";
    case DRAW_ERR_BAD_KEY:
        return "key 无效（为空、超过 64 字节、非 UTF-8、含控制字符、首尾空格或以 = + - @ 开头）";
    case DRAW_ERR_DUPLICATE:
        return "名录中有重复的 key";
    case DRAW_ERR_TOO_MANY:
        return "名录超过 100000 行";
    case DRAW_ERR_COUNT:
        return "抽取数量超过名录总数";
    case DRAW_ERR_TEAM:
        return "检查组人数须为 2 至 8 人";
    case DRAW_ERR_CONFLICT:
        return "排除利害关系后可抽取的执法人员不足";
    }
    return "未知错误";
}

/* ---- seed, hex ---- */

void draw_new_seed(uint8_t seed[DRAW_SEED_BYTES])
{
    randombytes_buf(seed, DRAW_SEED_BYTES);
}

void draw_seed_commitment(const uint8_t seed[DRAW_SEED_BYTES], uint8_t out[DRAW_HASH_BYTES])
{
    crypto_hash_sha256(out, seed, DRAW_SEED_BYTES);
}

void draw_hex(const uint8_t *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

static int draw_nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int draw_unhex(const char *hex, uint8_t *bytes, size_t n)
{
    if (!hex || strlen(hex) != 2 * n)
        return -1;
    for (size_t i = 0; i < n; i++) {
        int hi = draw_nibble(hex[2 * i]), lo = draw_nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        bytes[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

/* ---- the generator ---- */

void draw_rng_init(struct draw_rng *g, const uint8_t seed[DRAW_SEED_BYTES],
                   const uint8_t nonce[DRAW_NONCE_BYTES])
{
    memset(g, 0, sizeof *g);
    memcpy(g->key, seed, DRAW_SEED_BYTES);
    memcpy(g->nonce, nonce, DRAW_NONCE_BYTES);
    g->used = sizeof g->block;
}

uint32_t draw_rng_word(struct draw_rng *g)
{
    if (g->used + 4 > sizeof g->block) {
        static const uint8_t zero[64];
        /* Block `counter` of the keystream: XOR of zeros with the stream from
         * that block on. Same bytes as crypto_stream_chacha20's output. */
        crypto_stream_chacha20_xor_ic(g->block, zero, sizeof g->block, g->nonce, g->counter,
                                      g->key);
        g->counter++;
        g->used = 0;
    }
    const uint8_t *b = g->block + g->used;
    g->used += 4;
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

uint32_t draw_rng_below(struct draw_rng *g, uint32_t m)
{
    /* 2^32 mod m, computed in 32 bits: (2^32 - m) mod m. */
    uint32_t rem = (uint32_t)(0u - m) % m;
    uint64_t limit = (uint64_t)1 << 32;
    limit -= rem;
    for (;;) {
        uint32_t x = draw_rng_word(g);
        if ((uint64_t)x < limit)
            return x % m;
    }
}

void draw_rng_clear(struct draw_rng *g)
{
    sodium_memzero(g, sizeof *g);
}

void draw_pool_nonce(const uint8_t pool_hash[DRAW_HASH_BYTES], uint8_t nonce[DRAW_NONCE_BYTES])
{
    memcpy(nonce, pool_hash, DRAW_NONCE_BYTES);
}

static void draw_rng_for_pool(struct draw_rng *g, const uint8_t seed[DRAW_SEED_BYTES],
                              const struct draw_pool *p)
{
    uint8_t hash[DRAW_HASH_BYTES], nonce[DRAW_NONCE_BYTES];
    draw_pool_hash(p, hash);
    draw_pool_nonce(hash, nonce);
    draw_rng_init(g, seed, nonce);
}

enum draw_error draw_select(const uint8_t seed[DRAW_SEED_BYTES], const struct draw_pool *p,
                            size_t count, size_t *out)
{
    if (count > p->n)
        return DRAW_ERR_COUNT;
    if (!count)
        return DRAW_OK;
    struct draw_rng g;
    draw_rng_for_pool(&g, seed, p);
    size_t *perm = xmalloc(p->n * sizeof *perm);
    for (size_t i = 0; i < p->n; i++)
        perm[i] = i;
    for (size_t i = 0; i < count; i++) {
        size_t j = i + draw_rng_below(&g, (uint32_t)(p->n - i));
        size_t t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
        out[i] = perm[i];
    }
    free(perm);
    draw_rng_clear(&g);
    return DRAW_OK;
}

enum draw_error draw_teams(const uint8_t seed[DRAW_SEED_BYTES], const struct draw_pool *p,
                           const char *const *targets, size_t ntargets, size_t team_size,
                           draw_conflict_fn *conflict, void *ctx, size_t *out, size_t *bad_target)
{
    if (team_size < 2 || team_size > DRAW_TEAM_MAX)
        return DRAW_ERR_TEAM;
    size_t *elig = xmalloc((p->n ? p->n : 1) * sizeof *elig);
    /* Check every target first, so a conflict shortage is reported before
     * any randomness is spent and the answer does not depend on order. */
    for (size_t t = 0; t < ntargets; t++) {
        size_t m = 0;
        for (size_t i = 0; i < p->n; i++)
            if (!conflict || !conflict(ctx, targets[t], p->keys[i]))
                m++;
        if (m < team_size) {
            free(elig);
            if (bad_target)
                *bad_target = t;
            return DRAW_ERR_CONFLICT;
        }
    }
    struct draw_rng g;
    draw_rng_for_pool(&g, seed, p);
    for (size_t t = 0; t < ntargets; t++) {
        size_t m = 0;
        for (size_t i = 0; i < p->n; i++)
            if (!conflict || !conflict(ctx, targets[t], p->keys[i]))
                elig[m++] = i;
        for (size_t i = 0; i < team_size; i++) {
            size_t j = i + draw_rng_below(&g, (uint32_t)(m - i));
            size_t tmp = elig[i];
            elig[i] = elig[j];
            elig[j] = tmp;
            out[t * team_size + i] = elig[i];
        }
    }
    free(elig);
    draw_rng_clear(&g);
    return DRAW_OK;
}
