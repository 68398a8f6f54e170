/* bench_pmf — the PMF model on EPA's Baltimore data (630 samples × 26 species,
 * PM2.5 weak), 7 factors, 20 runs with ESAT's defaults (true mode, converged
 * when Q fell by < 0.1 over 100 iterations, at most 20,000 iterations).
 *
 * Measured in the same process, run by run interleaved so a busy machine
 * slows both alike: domain/pmf's LS-NMF through CBLAS (OpenBLAS, one thread)
 * and, as the baseline, a straightforward multiplicative-update implementation
 * of the same algorithm with plain loops (below), from the same starts and
 * with the same convergence rule. Prints iterations per second of each, the
 * ratio, and the largest relative difference of the final Q between the two
 * (they must agree: same algorithm, only the arithmetic order differs).
 *
 * Then WS-NMF (ESAT's weighted semi-NMF, for data with negative values) the
 * same way: domain/pmf's (all normal matrices from one CBLAS product, LAPACK
 * solves) against ESAT's per-sample / per-species loops written plainly
 * (below, Gaussian elimination for the k × k systems), a fixed number of
 * iterations per run from the same starts, interleaved; iterations per second,
 * the ratio and the largest relative difference of the final Q.
 * Run from the repository root: bench_pmf [runs]. */
#include "core/timeutil.h"
#include "domain/pmf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BENCH_CONC "tests/data/pmf/Dataset-Baltimore_con.txt"
#define BENCH_UNC "tests/data/pmf/Dataset-Baltimore_unc.txt"
#define BENCH_K 7

static char *bench_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(buf);
        return NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static int bench_table(const char *path, struct pmf_table *t)
{
    size_t len;
    struct pmf_error e;
    char *text = bench_slurp(path, &len);
    if (!text) {
        fprintf(stderr, "bench_pmf: cannot read %s (run from the repository root)\n", path);
        return -1;
    }
    int rc = pmf_table_parse(text, len, t, &e);
    free(text);
    if (rc)
        fprintf(stderr, "bench_pmf: %s: %s\n", path, e.msg);
    return rc;
}

/* ---- the baseline: LS-NMF with plain loops ---- */

static void plain_product(size_t m, size_t n, size_t k, const double *g, const double *f,
                          double *out)
{
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) {
            double s = 0;
            for (size_t a = 0; a < k; a++)
                s += g[i * k + a] * f[a * n + j];
            out[i * n + j] = s;
        }
}

static double plain_q(const struct pmf_problem *p, const double *gf)
{
    double q = 0;
    for (size_t c = 0; c < p->m * p->n; c++) {
        double r = (p->x[c] - gf[c]) / p->u[c];
        q += r * r;
    }
    return q;
}

/* One run to ESAT's convergence rule; returns iterations, *q the final Q(true). */
static int plain_train(const struct pmf_problem *p, const struct pmf_config *c, double *g,
                       double *f, double *q_out)
{
    size_t m = p->m, n = p->n, k = (size_t)c->factors;
    double *we = malloc(m * n * sizeof *we), *gf = malloc(m * n * sizeof *gf);
    double *num = malloc((m > n ? m : n) * k * sizeof *num);
    double *den = malloc((m > n ? m : n) * k * sizeof *den);
    double *ring = malloc((size_t)c->converge_n * sizeof *ring);
    int it;

    for (size_t x = 0; x < m * n; x++)
        we[x] = 1.0 / (p->u[x] * p->u[x]);
    plain_product(m, n, k, g, f, gf);
    for (it = 0; it < c->max_iter; it++) {
        for (size_t a = 0; a < k; a++)
            for (size_t j = 0; j < n; j++) {
                double sn = 0, sd = 0;
                for (size_t i = 0; i < m; i++) {
                    sn += g[i * k + a] * we[i * n + j] * p->x[i * n + j];
                    sd += g[i * k + a] * we[i * n + j] * gf[i * n + j];
                }
                num[a * n + j] = sn;
                den[a * n + j] = sd;
            }
        for (size_t x = 0; x < k * n; x++)
            if (den[x] > 0)
                f[x] *= num[x] / den[x];
        plain_product(m, n, k, g, f, gf);
        for (size_t i = 0; i < m; i++)
            for (size_t a = 0; a < k; a++) {
                double sn = 0, sd = 0;
                for (size_t j = 0; j < n; j++) {
                    sn += we[i * n + j] * p->x[i * n + j] * f[a * n + j];
                    sd += we[i * n + j] * gf[i * n + j] * f[a * n + j];
                }
                num[i * k + a] = sn;
                den[i * k + a] = sd;
            }
        for (size_t x = 0; x < m * k; x++)
            if (den[x] > 0)
                g[x] *= num[x] / den[x];
        plain_product(m, n, k, g, f, gf);
        double q = plain_q(p, gf);
        ring[it % c->converge_n] = q;
        if (it >= c->converge_n - 1 &&
            ring[(it - (c->converge_n - 1)) % c->converge_n] - q < c->converge_delta) {
            it++;
            break;
        }
    }
    *q_out = plain_q(p, gf);
    free(we);
    free(gf);
    free(num);
    free(den);
    free(ring);
    return it;
}

/* ---- the WS-NMF baseline: ESAT's loops, plainly ---- */

#define BENCH_WS_ITER 200

/* Solves a·x = b (k × k, row-major, destroyed) by Gaussian elimination with
 * partial pivoting; a singular system leaves x = 0 for the pivotless rows. */
static void plain_solve(size_t k, double *a, double *b, double *x)
{
    for (size_t c = 0; c < k; c++) {
        size_t piv = c;
        for (size_t r = c + 1; r < k; r++)
            if (fabs(a[r * k + c]) > fabs(a[piv * k + c]))
                piv = r;
        for (size_t j = 0; j < k; j++) {
            double t = a[c * k + j];
            a[c * k + j] = a[piv * k + j];
            a[piv * k + j] = t;
        }
        double t = b[c];
        b[c] = b[piv];
        b[piv] = t;
        if (a[c * k + c] == 0)
            continue;
        for (size_t r = c + 1; r < k; r++) {
            double q = a[r * k + c] / a[c * k + c];
            for (size_t j = c; j < k; j++)
                a[r * k + j] -= q * a[c * k + j];
            b[r] -= q * b[c];
        }
    }
    for (size_t c = k; c-- > 0;) {
        double v = b[c];
        for (size_t j = c + 1; j < k; j++)
            v -= a[c * k + j] * x[j];
        x[c] = a[c * k + c] != 0 ? v / a[c * k + c] : 0;
    }
}

/* One WS-NMF iteration as ESAT's ws_nmf.py loops it (weighted data split by
 * sign as domain/pmf does, which is ESAT's own update for x ≥ 0). */
static void plain_ws_iteration(const struct pmf_problem *p, size_t k, double *g, double *f,
                               double *scratch)
{
    size_t m = p->m, n = p->n;
    double *a = scratch, *b = a + k * k, *num = b + k, *den = num + k;
    for (size_t i = 0; i < m; i++) {
        memset(a, 0, (k * k + k) * sizeof *a);
        for (size_t j = 0; j < n; j++) {
            double w = 1 / (p->u[i * n + j] * p->u[i * n + j]);
            for (size_t x = 0; x < k; x++) {
                b[x] += w * p->x[i * n + j] * f[x * n + j];
                for (size_t y = 0; y < k; y++)
                    a[x * k + y] += w * f[x * n + j] * f[y * n + j];
            }
        }
        plain_solve(k, a, b, g + i * k);
    }
    for (size_t j = 0; j < n; j++) {
        for (size_t y = 0; y < k; y++)
            num[y] = den[y] = 1e-12;
        for (size_t i = 0; i < m; i++) {
            double w = 1 / (p->u[i * n + j] * p->u[i * n + j]), wx = w * p->x[i * n + j];
            for (size_t y = 0; y < k; y++) {
                double gy = g[i * k + y], gp = gy > 0 ? gy : 0, gn = gy < 0 ? -gy : 0;
                num[y] += (wx > 0 ? wx * gp : -wx * gn);
                den[y] += (wx > 0 ? wx * gn : -wx * gp);
                for (size_t x = 0; x < k; x++) {
                    double gx = g[i * k + x];
                    num[y] += f[x * n + j] * (gx < 0 ? -gx : 0) * w * gn;
                    den[y] += f[x * n + j] * (gx > 0 ? gx : 0) * w * gp;
                }
            }
        }
        for (size_t y = 0; y < k; y++)
            f[y * n + j] *= sqrt(num[y] / den[y]);
    }
}

int main(int argc, char **argv)
{
    long runs = argc > 1 ? strtol(argv[1], NULL, 10) : 20;
    struct pmf_table c, u;
    struct pmf_data d;
    struct pmf_problem p;
    struct pmf_config cfg;
    struct pmf_error e;

    if (runs < 1 || runs > 200) {
        fprintf(stderr, "usage: bench_pmf [runs 1..200]\n");
        return 2;
    }
    if (bench_table(BENCH_CONC, &c) || bench_table(BENCH_UNC, &u))
        return 1;
    if (pmf_data_from_unc(&c, &u, &d, &e) || pmf_data_set_total(&d, "PM2.5", &e) ||
        pmf_problem_from_data(&d, &p, &e)) {
        fprintf(stderr, "bench_pmf: %s\n", e.msg);
        return 1;
    }
    pmf_config_default(&cfg);
    cfg.factors = BENCH_K;
    size_t m = p.m, n = p.n, k = BENCH_K;
    double *g = malloc(m * k * sizeof *g), *f = malloc(k * n * sizeof *f);
    double *g0 = malloc(m * k * sizeof *g0), *f0 = malloc(k * n * sizeof *f0);
    struct pmf_rng master;
    long it_blas = 0, it_plain = 0;
    double t_blas = 0, t_plain = 0, worst = 0, best_q = INFINITY;

    pmf_rng_seed(&master, cfg.seed);
    printf("Baltimore %zu samples x %zu species, %zu factors, %ld runs (ESAT defaults)\n", m, n, k,
           runs);
    for (long r = 0; r < runs; r++) {
        struct pmf_run run = {0};
        double q_plain;
        pmf_random_start(&p, k, pmf_rng_next(&master), g0, f0);

        memcpy(g, g0, m * k * sizeof *g);
        memcpy(f, f0, k * n * sizeof *f);
        double t0 = (double)timeutil_now_ms();
        it_blas += pmf_train(&p, &cfg, g, f, &run, NULL, NULL, NULL);
        t_blas += (double)timeutil_now_ms() - t0;

        memcpy(g, g0, m * k * sizeof *g);
        memcpy(f, f0, k * n * sizeof *f);
        t0 = (double)timeutil_now_ms();
        it_plain += plain_train(&p, &cfg, g, f, &q_plain);
        t_plain += (double)timeutil_now_ms() - t0;

        double diff = fabs(run.q_true - q_plain) / run.q_true;
        worst = diff > worst ? diff : worst;
        best_q = run.q_true < best_q ? run.q_true : best_q;
    }
    double ips_blas = (double)it_blas / (t_blas / 1000.0);
    double ips_plain = (double)it_plain / (t_plain / 1000.0);
    printf("cblas (domain/pmf):  %8ld iterations in %7.2f s  %9.0f iterations/s\n", it_blas,
           t_blas / 1000.0, ips_blas);
    printf("plain loops (bench): %8ld iterations in %7.2f s  %9.0f iterations/s\n", it_plain,
           t_plain / 1000.0, ips_plain);
    printf("ratio cblas / plain: %.2f x (iterations per second)\n", ips_blas / ips_plain);
    printf("lowest Q(true) %.2f; largest relative Q difference between the two: %.2e\n", best_q,
           worst);

    /* WS-NMF: a fixed number of iterations per run (the convergence rule
     * cannot stop it early), both implementations from the same start. */
    pmf_problem_set_method(&p, PMF_WS_NMF);
    cfg.max_iter = BENCH_WS_ITER;
    cfg.converge_n = 10000;
    double *scratch = malloc((k * k + 3 * k) * sizeof *scratch);
    long ws_runs = runs < 5 ? runs : 5;
    double t_ws = 0, t_ws_plain = 0, worst_ws = 0;
    for (long r = 0; r < ws_runs; r++) {
        struct pmf_run run = {0};
        double qt, qr;
        pmf_random_start(&p, k, pmf_rng_next(&master), g0, f0);
        memcpy(g, g0, m * k * sizeof *g);
        memcpy(f, f0, k * n * sizeof *f);
        double t0 = (double)timeutil_now_ms();
        pmf_train(&p, &cfg, g, f, &run, NULL, NULL, NULL);
        t_ws += (double)timeutil_now_ms() - t0;

        memcpy(g, g0, m * k * sizeof *g);
        memcpy(f, f0, k * n * sizeof *f);
        t0 = (double)timeutil_now_ms();
        for (int i = 0; i < BENCH_WS_ITER; i++)
            plain_ws_iteration(&p, k, g, f, scratch);
        t_ws_plain += (double)timeutil_now_ms() - t0;
        pmf_q(&p, k, g, f, cfg.robust_alpha, &qt, &qr);
        double diff = fabs(run.q_true - qt) / run.q_true;
        worst_ws = diff > worst_ws ? diff : worst_ws;
    }
    double it_ws = (double)(ws_runs * BENCH_WS_ITER);
    double ips_ws = it_ws / (t_ws / 1000.0), ips_ws_plain = it_ws / (t_ws_plain / 1000.0);
    printf("WS-NMF, %ld runs x %d iterations:\n", ws_runs, BENCH_WS_ITER);
    printf("cblas+lapack (domain/pmf): %9.0f iterations/s\n", ips_ws);
    printf("plain loops (bench):       %9.0f iterations/s\n", ips_ws_plain);
    printf("ratio: %.2f x; largest relative Q difference between the two: %.2e\n",
           ips_ws / ips_ws_plain, worst_ws);
    free(scratch);
    free(g);
    free(f);
    free(g0);
    free(f0);
    pmf_problem_free(&p);
    pmf_data_free(&d);
    pmf_table_free(&c);
    pmf_table_free(&u);
    return 0;
}
