/* pmf_boot — block bootstrap of a base PMF solution; see pmf.h.
 *
 * As EPA PMF 5.0 and ESAT do: samples are resampled in non-overlapping blocks
 * of consecutive samples (time structure kept), each bootstrap data set is
 * fitted starting from the base profiles (ESAT keep_H) with fresh random
 * contributions, and each bootstrap factor is mapped to the base factor whose
 * contributions on the same resampled samples it correlates with best, when
 * r ≥ threshold (EPA's default 0.6). */
#include "domain/pmf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

/* ESAT's default block length when none is given. */
#define PMF_BOOT_BLOCK_DEFAULT 10

void pmf_boot_config_default(struct pmf_boot_config *b)
{
    *b = (struct pmf_boot_config){.runs = 20, .block = 0, .threshold = 0.6, .seed = 42};
}

/* Fills idx (m) with whole blocks drawn with replacement, the last one cut. */
static void pmf_boot_indices(size_t m, size_t block, struct pmf_rng *rng, size_t *idx)
{
    size_t nblocks = (m + block - 1) / block, filled = 0;
    while (filled < m) {
        size_t start = (size_t)pmf_rng_below(rng, nblocks) * block;
        for (size_t i = start; i < start + block && i < m && filled < m; i++)
            idx[filled++] = i;
    }
}

static void pmf_boot_resample(const struct pmf_problem *p, const size_t *idx,
                              struct pmf_problem *bs)
{
    *bs = *p;
    bs->x = xmalloc(p->m * p->n * sizeof *bs->x);
    bs->u = xmalloc(p->m * p->n * sizeof *bs->u);
    for (size_t i = 0; i < p->m; i++) {
        memcpy(bs->x + i * p->n, p->x + idx[i] * p->n, p->n * sizeof *bs->x);
        memcpy(bs->u + i * p->n, p->u + idx[i] * p->n, p->n * sizeof *bs->u);
    }
}

static int pmf_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Linear-interpolated percentile q (0–1) of sorted v[0..n). */
static double pmf_percentile(const double *v, size_t n, double q)
{
    if (n == 0)
        return NAN;
    double pos = q * (double)(n - 1);
    size_t lo = (size_t)pos;
    double frac = pos - (double)lo;
    return lo + 1 < n ? v[lo] + frac * (v[lo + 1] - v[lo]) : v[lo];
}

struct pmf_boot_state {
    size_t m, n, k, cap;
    double *base_g; /* normalised base contributions, m × k */
    double *vals;   /* k × n × cap: profile values of mapped bootstrap factors */
    size_t *count;  /* k: values collected per base factor */
};

/* Maps the bootstrap factors of one run and collects their profiles. */
static void pmf_boot_map(struct pmf_boot_state *st, struct pmf_boot_result *out, double threshold,
                         const size_t *idx, double *g, double *f)
{
    size_t m = st->m, n = st->n, k = st->k;
    double *col = xmalloc(m * sizeof *col);
    bool *hit = xcalloc(k, sizeof *hit);

    pmf_normalise(m, n, k, g, f);
    for (size_t b = 0; b < k; b++) {
        double best_r = -2;
        size_t best_a = 0;
        for (size_t a = 0; a < k; a++) {
            for (size_t i = 0; i < m; i++)
                col[i] = st->base_g[idx[i] * k + a];
            double r = pmf_corr(g + b, k, col, 1, m);
            if (r > best_r)
                best_r = r, best_a = a;
        }
        if (best_r >= threshold) {
            out->mapping[best_a * (k + 1) + b]++;
            hit[best_a] = true;
            double *dst = st->vals + (best_a * n) * st->cap;
            for (size_t j = 0; j < n; j++)
                dst[j * st->cap + st->count[best_a]] = f[b * n + j];
            st->count[best_a]++;
        } else {
            out->unmapped_boot++;
        }
    }
    for (size_t a = 0; a < k; a++)
        if (!hit[a]) {
            out->unmapped[a]++;
            out->mapping[a * (k + 1) + k]++;
        }
    free(col);
    free(hit);
}

static void pmf_boot_intervals(struct pmf_boot_state *st, struct pmf_boot_result *out)
{
    size_t n = st->n, k = st->k;
    for (size_t a = 0; a < k; a++)
        for (size_t j = 0; j < n; j++) {
            double *v = st->vals + (a * n + j) * st->cap;
            size_t c = st->count[a], at = a * n + j;
            qsort(v, c, sizeof *v, pmf_cmp);
            out->p05[at] = pmf_percentile(v, c, 0.05);
            out->p25[at] = pmf_percentile(v, c, 0.25);
            out->p50[at] = pmf_percentile(v, c, 0.50);
            out->p75[at] = pmf_percentile(v, c, 0.75);
            out->p95[at] = pmf_percentile(v, c, 0.95);
        }
    out->stability = 1;
    for (size_t a = 0; a < k; a++) {
        double mapped = out->runs_done ? 1.0 - (double)out->unmapped[a] / out->runs_done : 0;
        if (mapped < out->stability)
            out->stability = mapped;
    }
}

static void pmf_boot_alloc(struct pmf_boot_result *out, size_t n, size_t k, int runs)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    out->k = k;
    out->mapping = xcalloc(k * (k + 1), sizeof *out->mapping);
    out->unmapped = xcalloc(k, sizeof *out->unmapped);
    out->q_robust = xcalloc((size_t)runs, sizeof *out->q_robust);
    out->p05 = xcalloc(k * n, sizeof *out->p05);
    out->p25 = xcalloc(k * n, sizeof *out->p25);
    out->p50 = xcalloc(k * n, sizeof *out->p50);
    out->p75 = xcalloc(k * n, sizeof *out->p75);
    out->p95 = xcalloc(k * n, sizeof *out->p95);
    out->base = xcalloc(k * n, sizeof *out->base);
}

int pmf_bootstrap(const struct pmf_problem *p, const struct pmf_config *c,
                  const struct pmf_run *base, const struct pmf_boot_config *b, pmf_progress_fn hook,
                  void *ctx, struct pmf_boot_result *out, struct pmf_error *err)
{
    size_t m = p->m, n = p->n, k = (size_t)c->factors;
    if (pmf_config_check(c, p, err) || pmf_blas_check(err))
        return -1;
    if (b->runs < 1 || b->runs > 1000 || !(b->threshold > 0 && b->threshold <= 1)) {
        memset(err, 0, sizeof *err);
        snprintf(err->msg, sizeof err->msg, "bootstrap runs must be 1..1000, threshold in (0, 1]");
        return -1;
    }
    pmf_boot_alloc(out, n, k, b->runs);
    out->block = b->block ? b->block : PMF_BOOT_BLOCK_DEFAULT;
    if (out->block > m / 2)
        out->block = m / 2 ? m / 2 : 1;

    struct pmf_boot_state st = {.m = m, .n = n, .k = k, .cap = (size_t)b->runs * k};
    st.base_g = xmalloc(m * k * sizeof *st.base_g);
    memcpy(st.base_g, base->g, m * k * sizeof *st.base_g);
    memcpy(out->base, base->f, k * n * sizeof *out->base);
    pmf_normalise(m, n, k, st.base_g, out->base);
    st.vals = xmalloc(k * n * st.cap * sizeof *st.vals);
    st.count = xcalloc(k, sizeof *st.count);

    struct pmf_config one = *c;
    one.runs = 1;
    struct pmf_rng rng;
    pmf_rng_seed(&rng, b->seed);
    size_t *idx = xmalloc(m * sizeof *idx);
    double *g = xmalloc(m * k * sizeof *g), *f = xmalloc(k * n * sizeof *f);
    struct pmf_progress pr = {.runs_total = b->runs};
    int rc = 0;

    for (int r = 0; r < b->runs && !rc; r++) {
        struct pmf_problem bs;
        struct pmf_run run = {0};
        pmf_boot_indices(m, out->block, &rng, idx);
        pmf_boot_resample(p, idx, &bs);
        pmf_random_start(&bs, k, pmf_rng_next(&rng), g, f);
        memcpy(f, base->f, k * n * sizeof *f);
        if (pmf_train(&bs, &one, g, f, &run, hook, ctx, &pr) < 0) {
            rc = 1;
        } else {
            out->q_robust[r] = run.q_robust;
            pmf_boot_map(&st, out, b->threshold, idx, g, f);
            out->runs_done = r + 1;
            pr.runs_done = r + 1;
            pr.q = run.q_robust;
            if (hook && hook(ctx, &pr))
                rc = 1;
        }
        free(bs.x);
        free(bs.u);
    }
    pmf_boot_intervals(&st, out);
    free(idx);
    free(g);
    free(f);
    free(st.base_g);
    free(st.vals);
    free(st.count);
    return rc;
}

void pmf_boot_result_free(struct pmf_boot_result *r)
{
    if (!r)
        return;
    free(r->mapping);
    free(r->unmapped);
    free(r->q_robust);
    free(r->p05);
    free(r->p25);
    free(r->p50);
    free(r->p75);
    free(r->p95);
    free(r->base);
    memset(r, 0, sizeof *r);
}
