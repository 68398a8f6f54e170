/* ecogov draw — replays a published 双随机 draw (docs/draw.md).
 *
 *   ecogov draw replay --seed HEX --pool FILE.csv --count N
 *       prints seed_sha256, pool_sha256, pool_size, then one line per drawn key
 *       "<n>\t<key>" in draw order.
 *   ecogov draw teams --seed HEX --pool INSPECTORS.csv --targets FILE [--team 2]
 *                     [--conflicts FILE.csv]
 *       replays the inspector teams: --targets lists the drawn target keys one
 *       per line in draw order; --conflicts is a CSV with a header
 *       "target,inspector"; prints "<target>\t<inspector>\t<inspector>...".
 *   ecogov draw hash --seed HEX
 *       prints the commitment (SHA-256 of the seed bytes).
 * No database is read. Exit status: 0 success, 1 the draw cannot be made
 * (count above the pool, conflicts), 2 bad arguments or files. */
#include "tools/tools.h"

#include "core/xalloc.h"
#include "domain/draw.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DRAW_TOOL_FILE_MAX (64u << 20)

static void draw_tool_usage(FILE *out)
{
    fprintf(out, "usage: ecogov draw replay --seed HEX --pool FILE.csv --count N\n"
                 "       ecogov draw teams --seed HEX --pool INSPECTORS.csv --targets FILE "
                 "[--team 2] [--conflicts FILE.csv]\n"
                 "       ecogov draw hash --seed HEX\n"
                 "HEX is the 64-hex-digit published seed; the pool CSV has a header line with a\n"
                 "\"key\" column (see docs/draw.md)\n");
}

/* The value after --name (either --name=value or --name value), or NULL. */
static const char *draw_tool_opt(int argc, char **argv, const char *name)
{
    size_t n = strlen(name);
    for (int i = 1; i < argc; i++) {
        if (!strncmp(argv[i], name, n) && argv[i][n] == '=')
            return argv[i] + n + 1;
        if (!strcmp(argv[i], name) && i + 1 < argc)
            return argv[i + 1];
    }
    return NULL;
}

static char *draw_tool_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "ecogov draw: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *data = xmalloc(cap);
    size_t got;
    while ((got = fread(data + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            if (cap >= DRAW_TOOL_FILE_MAX) {
                fprintf(stderr, "ecogov draw: %s is larger than 64 MiB\n", path);
                free(data);
                fclose(f);
                return NULL;
            }
            cap *= 2;
            data = xrealloc(data, cap);
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "ecogov draw: cannot read %s\n", path);
        free(data);
        return NULL;
    }
    data[n] = '\0'; /* n < cap here: the loop grows the buffer whenever it fills */
    *len = n;
    return data;
}

static int draw_tool_pool(const char *path, struct draw_pool *p)
{
    size_t len, line = 0;
    char *data = draw_tool_read(path, &len);
    if (!data)
        return -1;
    draw_pool_init(p);
    enum draw_error e = draw_pool_parse_csv(data, len, p, &line);
    free(data);
    if (e) {
        fprintf(stderr, "ecogov draw: %s line %zu: %s\n", path, line, draw_error_message(e));
        draw_pool_free(p);
        return -1;
    }
    return 0;
}

static int draw_tool_seed(int argc, char **argv, uint8_t seed[DRAW_SEED_BYTES])
{
    const char *hex = draw_tool_opt(argc, argv, "--seed");
    if (!hex || draw_unhex(hex, seed, DRAW_SEED_BYTES)) {
        fprintf(stderr, "ecogov draw: --seed must be 64 hex digits\n");
        return -1;
    }
    return 0;
}

static long draw_tool_number(const char *s, long lo, long hi)
{
    if (!s || !*s)
        return -1;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    return (*end || errno || v < lo || v > hi || !(*s >= '0' && *s <= '9')) ? -1 : v;
}

static void draw_tool_header(const uint8_t seed[DRAW_SEED_BYTES], const struct draw_pool *p)
{
    uint8_t h[DRAW_HASH_BYTES];
    char hex[2 * DRAW_HASH_BYTES + 1];
    draw_seed_commitment(seed, h);
    draw_hex(h, sizeof h, hex);
    printf("seed_sha256\t%s\n", hex);
    draw_pool_hash(p, h);
    draw_hex(h, sizeof h, hex);
    printf("pool_sha256\t%s\npool_size\t%zu\n", hex, p->n);
}

static int draw_tool_replay(int argc, char **argv)
{
    uint8_t seed[DRAW_SEED_BYTES];
    const char *pool = draw_tool_opt(argc, argv, "--pool");
    long count = draw_tool_number(draw_tool_opt(argc, argv, "--count"), 0, DRAW_POOL_MAX);
    if (draw_tool_seed(argc, argv, seed))
        return 2;
    if (!pool || count < 0) {
        draw_tool_usage(stderr);
        return 2;
    }
    struct draw_pool p;
    if (draw_tool_pool(pool, &p))
        return 2;
    size_t *out = xmalloc(((size_t)count + 1) * sizeof *out);
    enum draw_error e = draw_select(seed, &p, (size_t)count, out);
    int rc = 0;
    if (e) {
        fprintf(stderr, "ecogov draw: %s (count %ld, pool %zu)\n", draw_error_message(e), count,
                p.n);
        rc = 1;
    } else {
        draw_tool_header(seed, &p);
        for (long i = 0; i < count; i++)
            printf("%ld\t%s\n", i + 1, p.keys[out[i]]);
    }
    free(out);
    draw_pool_free(&p);
    sodium_memzero(seed, sizeof seed);
    return rc;
}

struct draw_tool_conflicts {
    struct draw_pool pairs; /* "target\x1finspector", sorted */
};

static bool draw_tool_conflict(void *ctx, const char *target, const char *inspector)
{
    struct draw_tool_conflicts *c = ctx;
    char key[2 * DRAW_KEY_MAX + 2];
    snprintf(key, sizeof key, "%s%c%s", target, DRAW_PAIR_SEP, inspector);
    const char *k = key;
    return c->pairs.n && bsearch(&k, c->pairs.keys, c->pairs.n, sizeof *c->pairs.keys,
                                 (int (*)(const void *, const void *))strcmp) != NULL;
}

/* Reads the conflicts CSV (header "target,inspector") into c. */
static int draw_tool_conflicts(const char *path, struct draw_tool_conflicts *c)
{
    draw_pool_init(&c->pairs);
    if (!path)
        return 0;
    size_t len, line = 0;
    char *data = draw_tool_read(path, &len);
    if (!data)
        return -1;
    enum draw_error e = draw_conflicts_parse_csv(data, len, &c->pairs, &line);
    free(data);
    if (e) {
        fprintf(stderr, "ecogov draw: %s line %zu: %s (want target,inspector)\n", path, line,
                draw_error_message(e));
        return -1;
    }
    return 0;
}

static int draw_tool_teams(int argc, char **argv)
{
    uint8_t seed[DRAW_SEED_BYTES];
    const char *pool = draw_tool_opt(argc, argv, "--pool");
    const char *targets_path = draw_tool_opt(argc, argv, "--targets");
    const char *team_s = draw_tool_opt(argc, argv, "--team");
    long team = team_s ? draw_tool_number(team_s, 2, DRAW_TEAM_MAX) : 2;
    if (draw_tool_seed(argc, argv, seed))
        return 2;
    if (!pool || !targets_path || team < 0) {
        draw_tool_usage(stderr);
        return 2;
    }
    struct draw_pool p, targets;
    struct draw_tool_conflicts conflicts;
    if (draw_tool_pool(pool, &p))
        return 2;
    draw_pool_init(&targets);
    size_t len;
    char *data = draw_tool_read(targets_path, &len);
    int rc = 2;
    if (!data || draw_tool_conflicts(draw_tool_opt(argc, argv, "--conflicts"), &conflicts))
        goto out_nc;
    char *save = NULL;
    for (char *ln = strtok_r(data, "\r\n", &save); ln; ln = strtok_r(NULL, "\r\n", &save))
        if (draw_pool_add(&targets, ln, strlen(ln))) {
            fprintf(stderr, "ecogov draw: bad target key '%.64s'\n", ln);
            goto out;
        }
    size_t *out = xmalloc((targets.n * (size_t)team + 1) * sizeof *out);
    size_t bad = 0;
    enum draw_error e = draw_teams(seed, &p, (const char *const *)targets.keys, targets.n,
                                   (size_t)team, draw_tool_conflict, &conflicts, out, &bad);
    if (e) {
        fprintf(stderr, "ecogov draw: %s%s%s\n", draw_error_message(e),
                e == DRAW_ERR_CONFLICT ? ": " : "",
                e == DRAW_ERR_CONFLICT ? targets.keys[bad] : "");
        rc = 1;
    } else {
        draw_tool_header(seed, &p);
        for (size_t t = 0; t < targets.n; t++) {
            printf("%s", targets.keys[t]);
            for (long i = 0; i < team; i++)
                printf("\t%s", p.keys[out[t * (size_t)team + (size_t)i]]);
            printf("\n");
        }
        rc = 0;
    }
    free(out);
out:
    draw_pool_free(&conflicts.pairs);
out_nc:
    free(data);
    draw_pool_free(&targets);
    draw_pool_free(&p);
    return rc;
}

int tool_draw_main(int argc, char **argv)
{
    if (sodium_init() < 0)
        return 1;
    if (argc < 2) {
        draw_tool_usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "replay"))
        return draw_tool_replay(argc - 1, argv + 1);
    if (!strcmp(argv[1], "teams"))
        return draw_tool_teams(argc - 1, argv + 1);
    if (!strcmp(argv[1], "hash")) {
        uint8_t seed[DRAW_SEED_BYTES], h[DRAW_HASH_BYTES];
        char hex[2 * DRAW_HASH_BYTES + 1];
        if (draw_tool_seed(argc - 1, argv + 1, seed))
            return 2;
        draw_seed_commitment(seed, h);
        draw_hex(h, sizeof h, hex);
        printf("%s\n", hex);
        return 0;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        draw_tool_usage(stdout);
        return 0;
    }
    draw_tool_usage(stderr);
    return 2;
}
