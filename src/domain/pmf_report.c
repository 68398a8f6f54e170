/* pmf_report — the figures an analyst reads off a solution; see pmf.h. */
#include "domain/pmf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

double pmf_corr(const double *a, size_t astride, const double *b, size_t bstride, size_t n)
{
    double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
    if (n < 2)
        return 0;
    for (size_t i = 0; i < n; i++) {
        ma += a[i * astride];
        mb += b[i * bstride];
    }
    ma /= (double)n;
    mb /= (double)n;
    for (size_t i = 0; i < n; i++) {
        double da = a[i * astride] - ma, db = b[i * bstride] - mb;
        sab += da * db;
        saa += da * da;
        sbb += db * db;
    }
    if (saa <= 0 || sbb <= 0)
        return 0;
    return sab / sqrt(saa * sbb);
}

void pmf_normalise(size_t m, size_t n, size_t k, double *g, double *f)
{
    for (size_t a = 0; a < k; a++) {
        double mean = 0;
        for (size_t i = 0; i < m; i++)
            mean += g[i * k + a];
        mean /= (double)m;
        if (!(mean > 0))
            continue; /* a dead factor stays as it is */
        for (size_t i = 0; i < m; i++)
            g[i * k + a] /= mean;
        for (size_t j = 0; j < n; j++)
            f[a * n + j] *= mean;
    }
}

double pmf_q_expected(const struct pmf_problem *p, size_t k)
{
    double strong = (double)p->n_strong;
    return (double)p->m * strong - (double)k * ((double)p->m + strong);
}

/* Mean over the best run's factors of the best |r| with any factor of f. */
static double pmf_profile_match(const double *best, const double *f, size_t n, size_t k)
{
    double sum = 0;
    for (size_t a = 0; a < k; a++) {
        double top = 0;
        for (size_t b = 0; b < k; b++) {
            double r = fabs(pmf_corr(best + a * n, 1, f + b * n, 1, n));
            if (r > top)
                top = r;
        }
        sum += top;
    }
    return sum / (double)k;
}

static void pmf_report_runs(const struct pmf_solution *s, const struct pmf_config *c,
                            struct pmf_report *r)
{
    const double *best = s->runs[s->best].f;
    r->nruns = s->nruns;
    r->run_match = xcalloc((size_t)s->nruns, sizeof *r->run_match);
    r->q_min = INFINITY;
    r->q_max = -INFINITY;
    r->q_mean = 0;
    for (int i = 0; i < s->nruns; i++) {
        const struct pmf_run *run = &s->runs[i];
        double q = c->best_by_robust ? run->q_robust : run->q_true;
        r->q_min = q < r->q_min ? q : r->q_min;
        r->q_max = q > r->q_max ? q : r->q_max;
        r->q_mean += q / (double)s->nruns;
        r->run_match[i] = pmf_profile_match(best, run->f, s->n, s->k);
    }
}

static void pmf_report_fit(const struct pmf_problem *p, struct pmf_report *r)
{
    size_t m = p->m, n = p->n;
    r->fit = xcalloc(n, sizeof *r->fit);
    for (size_t j = 0; j < n; j++) {
        struct pmf_species_fit *fit = &r->fit[j];
        double mx = 0, my = 0, sxx = 0, sxy = 0, syy = 0;
        for (size_t i = 0; i < m; i++) {
            mx += r->predicted[i * n + j];
            my += p->x[i * n + j];
            fit->beyond3 += fabs(r->scaled_resid[i * n + j]) > 3;
        }
        mx /= (double)m;
        my /= (double)m;
        for (size_t i = 0; i < m; i++) {
            double dx = r->predicted[i * n + j] - mx, dy = p->x[i * n + j] - my;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        fit->mean_obs = my;
        fit->mean_pred = mx;
        fit->slope = sxx > 0 ? sxy / sxx : 0;
        fit->intercept = my - fit->slope * mx;
        fit->r2 = sxx > 0 && syy > 0 ? sxy * sxy / (sxx * syy) : 0;
    }
}

static void pmf_report_shares(const struct pmf_problem *p, struct pmf_report *r)
{
    size_t m = p->m, n = p->n, k = r->k;
    double total = 0;
    r->share = xcalloc(k, sizeof *r->share);
    for (size_t a = 0; a < k; a++) {
        if (p->total >= 0) {
            r->share[a] = r->profile[a * n + (size_t)p->total];
        } else {
            for (size_t j = 0; j < n; j++)
                r->share[a] += r->profile[a * n + j];
        }
        total += r->share[a];
    }
    for (size_t a = 0; a < k; a++)
        r->share[a] = total > 0 ? 100 * r->share[a] / total : 0;
    if (p->total < 0)
        return;
    r->contrib_mass = xmalloc(m * k * sizeof *r->contrib_mass);
    for (size_t i = 0; i < m; i++)
        for (size_t a = 0; a < k; a++)
            r->contrib_mass[i * k + a] =
                r->contrib[i * k + a] * r->profile[a * n + (size_t)p->total];
}

int pmf_report_build(const struct pmf_problem *p, const struct pmf_solution *s,
                     const struct pmf_config *c, struct pmf_report *r)
{
    size_t m = p->m, n = p->n, k = s->k;
    const struct pmf_run *best = &s->runs[s->best];

    memset(r, 0, sizeof *r);
    r->m = m, r->n = n, r->k = k;
    r->q_true = best->q_true;
    r->q_robust = best->q_robust;
    r->q_expected = pmf_q_expected(p, k);
    r->contrib = xmalloc(m * k * sizeof *r->contrib);
    r->profile = xmalloc(k * n * sizeof *r->profile);
    memcpy(r->contrib, best->g, m * k * sizeof *r->contrib);
    memcpy(r->profile, best->f, k * n * sizeof *r->profile);
    pmf_normalise(m, n, k, r->contrib, r->profile);

    r->profile_pct = xcalloc(k * n, sizeof *r->profile_pct);
    for (size_t j = 0; j < n; j++) {
        double sum = 0;
        for (size_t a = 0; a < k; a++)
            sum += r->profile[a * n + j];
        for (size_t a = 0; a < k; a++)
            r->profile_pct[a * n + j] = sum > 0 ? 100 * r->profile[a * n + j] / sum : 0;
    }

    r->predicted = xcalloc(m * n, sizeof *r->predicted);
    r->scaled_resid = xmalloc(m * n * sizeof *r->scaled_resid);
    for (size_t i = 0; i < m; i++)
        for (size_t a = 0; a < k; a++)
            for (size_t j = 0; j < n; j++)
                r->predicted[i * n + j] += r->contrib[i * k + a] * r->profile[a * n + j];
    for (size_t c2 = 0; c2 < m * n; c2++)
        r->scaled_resid[c2] = (p->x[c2] - r->predicted[c2]) / p->u[c2];

    pmf_report_fit(p, r);
    pmf_report_shares(p, r);
    pmf_report_runs(s, c, r);
    return 0;
}

void pmf_report_free(struct pmf_report *r)
{
    if (!r)
        return;
    free(r->profile);
    free(r->profile_pct);
    free(r->contrib);
    free(r->contrib_mass);
    free(r->share);
    free(r->scaled_resid);
    free(r->predicted);
    free(r->fit);
    free(r->run_match);
    memset(r, 0, sizeof *r);
}
