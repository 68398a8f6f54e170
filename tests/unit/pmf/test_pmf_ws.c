/* Unit tests for domain/pmf's WS-NMF (weighted semi-NMF, ESAT's update for
 * data with negative values): when it is chosen, what happens to negative
 * concentrations under each method, profiles recovered from synthetic data
 * whose low species scatter around zero, and same seed → same numbers.
 * Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "domain/pmf.h"

#define WS_M 300
#define WS_N 12
#define WS_K 3

static int parse(const char *text, struct pmf_table *t, struct pmf_error *e)
{
    return pmf_table_parse(text, strlen(text), t, e);
}

static void test_method_chosen_like_esat(void **state)
{
    (void)state;
    struct pmf_table c, u;
    struct pmf_data d;
    struct pmf_problem p;
    struct pmf_error e;
    enum pmf_method m;

    assert_int_equal(parse("Date,A,B,C\n1,3,-0.2,1\n2,1,0.1,2\n3,5,0.3,1\n", &c, &e), 0);
    assert_int_equal(parse("Date,A,B,C\n1,1,0.2,1\n2,1,0.2,1\n3,1,0.2,1\n", &u, &e), 0);
    assert_int_equal(pmf_data_from_unc(&c, &u, &d, &e), 0);
    /* A negative value: WS-NMF, the value kept as given. */
    assert_int_equal(pmf_problem_from_data(&d, &p, &e), 0);
    assert_int_equal(p.method, PMF_WS_NMF);
    assert_int_equal(p.negatives, 1);
    assert_float_equal(p.x[1], -0.2, 0);
    pmf_problem_free(&p);
    /* Forced LS-NMF: the negative value is read as 0, its uncertainty kept. */
    assert_int_equal(pmf_problem_from_data(&d, &p, &e), 0);
    pmf_problem_set_method(&p, PMF_LS_NMF);
    assert_int_equal(p.method, PMF_LS_NMF);
    assert_float_equal(p.x[1], 0, 0);
    assert_float_equal(p.u[1], 0.2, 0);
    pmf_problem_free(&p);
    /* No negative value: LS-NMF unless WS-NMF is asked for. */
    assert_int_equal(pmf_data_set_category(&d, "B", PMF_BAD, &e), 0);
    assert_int_equal(pmf_problem_from_data(&d, &p, &e), 0);
    assert_int_equal(p.method, PMF_LS_NMF);
    pmf_problem_set_method(&p, PMF_METHOD_AUTO);
    assert_int_equal(p.method, PMF_LS_NMF);
    pmf_problem_set_method(&p, PMF_WS_NMF);
    assert_int_equal(p.method, PMF_WS_NMF);
    pmf_problem_free(&p);
    pmf_data_free(&d);
    pmf_table_free(&c);
    pmf_table_free(&u);

    assert_int_equal(pmf_method_parse("ws-nmf", &m), 0);
    assert_int_equal(m, PMF_WS_NMF);
    assert_int_equal(pmf_method_parse("ls-nmf", &m), 0);
    assert_int_equal(m, PMF_LS_NMF);
    assert_int_equal(pmf_method_parse("auto", &m), 0);
    assert_int_equal(m, PMF_METHOD_AUTO);
    assert_int_equal(pmf_method_parse("nmf", &m), -1);
    assert_int_equal(pmf_method_parse(NULL, &m), -1);
}

/* Three known sources; the last three species are trace species whose true
 * values (a few thousandths) sit well inside their uncertainty (0.02 + 5 %),
 * so their blank-corrected measurements scatter around zero, many below. */
struct ws_synth {
    struct pmf_problem p;
    size_t negatives;
};

static const double ws_prof[WS_K][WS_N] = {
    {5.0, 2.0, 0.1, 0.05, 0.01, 0.3, 0.02, 0.01, 0.2, 0.004, 0.001, 0.002},
    {0.1, 0.05, 4.0, 1.0, 0.02, 0.2, 0.5, 0.01, 0.03, 0.001, 0.005, 0.001},
    {0.2, 0.1, 0.05, 0.02, 1.5, 0.8, 0.01, 0.6, 0.05, 0.002, 0.001, 0.006},
};

static void ws_synth_make(struct ws_synth *s, uint64_t seed)
{
    struct pmf_rng r;
    pmf_rng_seed(&r, seed);
    memset(s, 0, sizeof *s);
    s->p = (struct pmf_problem){.m = WS_M, .n = WS_N, .n_strong = WS_N, .total = -1};
    s->p.x = calloc(WS_M * WS_N, sizeof(double));
    s->p.u = calloc(WS_M * WS_N, sizeof(double));
    for (size_t i = 0; i < WS_M; i++) {
        double g[WS_K];
        for (int a = 0; a < WS_K; a++)
            g[a] = fabs(pmf_rng_normal(&r)) + 0.05;
        for (size_t j = 0; j < WS_N; j++) {
            double x = 0;
            for (int a = 0; a < WS_K; a++)
                x += g[a] * ws_prof[a][j];
            double u = j >= 9 ? 0.02 + 0.05 * x : 0.05 * x + 0.005;
            double noisy = x + u * pmf_rng_normal(&r);
            s->p.x[i * WS_N + j] = noisy;
            s->p.u[i * WS_N + j] = u;
            s->negatives += noisy < 0;
        }
    }
    s->p.negatives = s->negatives;
    s->p.method = PMF_WS_NMF;
}

static void ws_synth_free(struct ws_synth *s)
{
    free(s->p.x);
    free(s->p.u);
}

/* Each true profile matched by a distinct factor of f with r ≥ 0.95. */
static void assert_profiles_recovered(const double *f)
{
    bool used[WS_K] = {false};
    for (int a = 0; a < WS_K; a++) {
        double top = -1;
        int at = -1;
        for (int b = 0; b < WS_K; b++) {
            double r = pmf_corr(ws_prof[a], 1, f + b * WS_N, 1, WS_N);
            if (!used[b] && r > top)
                top = r, at = b;
        }
        assert_true(top >= 0.95);
        used[at] = true;
    }
}

static void test_ws_recovery(void **state)
{
    (void)state;
    struct ws_synth s;
    struct pmf_config c;
    struct pmf_solution sol;
    struct pmf_error e;

    ws_synth_make(&s, 7);
    assert_true(s.negatives > 100); /* the trace species do go below zero */
    for (int robust = 0; robust < 2; robust++) {
        pmf_config_default(&c);
        c.factors = WS_K;
        c.runs = 3;
        c.robust = robust;
        assert_int_equal(pmf_solve(&s.p, &c, NULL, NULL, &sol, &e), 0);
        const struct pmf_run *best = &sol.runs[sol.best];
        assert_true(best->converged);
        for (size_t q = 0; q < WS_K * WS_N; q++)
            assert_true(best->f[q] >= 0); /* profiles stay non-negative */
        assert_profiles_recovered(best->f);
        /* The noise was drawn at the stated uncertainty: Q near Q_exp. */
        double qexp = pmf_q_expected(&s.p, WS_K);
        assert_true(best->q_true > 0.7 * qexp && best->q_true < 1.3 * qexp);
        pmf_solution_free(&sol);
    }
    ws_synth_free(&s);
}

/* LS-NMF on the same data, negatives read as 0, fits them worse: WS-NMF's
 * Q(true) on the data as measured is lower. */
static void test_ws_fits_negatives_better(void **state)
{
    (void)state;
    struct ws_synth s;
    struct pmf_config c;
    struct pmf_solution ws, ls;
    struct pmf_error e;
    double qt, qr;

    ws_synth_make(&s, 9);
    pmf_config_default(&c);
    c.factors = WS_K;
    c.runs = 2;
    assert_int_equal(pmf_solve(&s.p, &c, NULL, NULL, &ws, &e), 0);
    double *measured = malloc(WS_M * WS_N * sizeof(double));
    memcpy(measured, s.p.x, WS_M * WS_N * sizeof(double));
    pmf_problem_set_method(&s.p, PMF_LS_NMF);
    assert_int_equal(pmf_solve(&s.p, &c, NULL, NULL, &ls, &e), 0);
    struct pmf_problem as_measured = s.p;
    as_measured.x = measured;
    pmf_q(&as_measured, WS_K, ls.runs[ls.best].g, ls.runs[ls.best].f, 4.0, &qt, &qr);
    assert_true(ws.runs[ws.best].q_true < qt);
    free(measured);
    pmf_solution_free(&ws);
    pmf_solution_free(&ls);
    ws_synth_free(&s);
}

static void test_ws_same_seed_same_numbers(void **state)
{
    (void)state;
    struct ws_synth s;
    struct pmf_config c;
    struct pmf_solution a, b, other;
    struct pmf_error e;

    ws_synth_make(&s, 11);
    pmf_config_default(&c);
    c.factors = WS_K;
    c.runs = 2;
    c.seed = 1234;
    c.robust = true;
    assert_int_equal(pmf_solve(&s.p, &c, NULL, NULL, &a, &e), 0);
    assert_int_equal(pmf_solve(&s.p, &c, NULL, NULL, &b, &e), 0);
    for (int r = 0; r < 2; r++) {
        assert_memory_equal(a.runs[r].f, b.runs[r].f, WS_K * WS_N * sizeof(double));
        assert_memory_equal(a.runs[r].g, b.runs[r].g, WS_M * WS_K * sizeof(double));
        assert_true(a.runs[r].q_robust == b.runs[r].q_robust);
        assert_int_equal(a.runs[r].iterations, b.runs[r].iterations);
    }
    c.seed = 1235;
    assert_int_equal(pmf_solve(&s.p, &c, NULL, NULL, &other, &e), 0);
    assert_memory_not_equal(other.runs[0].f, a.runs[0].f, WS_K * WS_N * sizeof(double));
    pmf_solution_free(&a);
    pmf_solution_free(&b);
    pmf_solution_free(&other);
    ws_synth_free(&s);
}

/* One WS-NMF iteration written out loop by loop from ESAT's formulas (per
 * sample a 2 × 2 weighted least squares by Cramer's rule, per species the
 * multiplicative profile step), with the weighted data split by sign; with
 * x ≥ 0 the split is ESAT's update exactly. */
#define R_M 7
#define R_N 5
#define R_K 2
static void ws_reference(const double *x, const double *u, double *g, double *f)
{
    double we[R_M * R_N], gp[R_M * R_K], gn[R_M * R_K], nf[R_K * R_N];
    for (int c = 0; c < R_M * R_N; c++)
        we[c] = 1 / (u[c] * u[c]);
    for (int i = 0; i < R_M; i++) {
        double a00 = 0, a01 = 0, a11 = 0, b0 = 0, b1 = 0;
        for (int j = 0; j < R_N; j++) {
            double w = we[i * R_N + j], f0 = f[j], f1 = f[R_N + j];
            a00 += w * f0 * f0, a01 += w * f0 * f1, a11 += w * f1 * f1;
            b0 += w * x[i * R_N + j] * f0, b1 += w * x[i * R_N + j] * f1;
        }
        double det = a00 * a11 - a01 * a01;
        g[i * R_K] = (b0 * a11 - a01 * b1) / det;
        g[i * R_K + 1] = (a00 * b1 - a01 * b0) / det;
    }
    for (int c = 0; c < R_M * R_K; c++)
        gp[c] = fmax(g[c], 0), gn[c] = fmax(-g[c], 0);
    for (int j = 0; j < R_N; j++)
        for (int b = 0; b < R_K; b++) {
            double n = 1e-12, d = 1e-12;
            for (int i = 0; i < R_M; i++) {
                double wx = we[i * R_N + j] * x[i * R_N + j];
                n += fmax(wx, 0) * gp[i * R_K + b] + fmax(-wx, 0) * gn[i * R_K + b];
                d += fmax(wx, 0) * gn[i * R_K + b] + fmax(-wx, 0) * gp[i * R_K + b];
                for (int a = 0; a < R_K; a++) {
                    n += f[a * R_N + j] * gn[i * R_K + a] * we[i * R_N + j] * gn[i * R_K + b];
                    d += f[a * R_N + j] * gp[i * R_K + a] * we[i * R_N + j] * gp[i * R_K + b];
                }
            }
            nf[b * R_N + j] = f[b * R_N + j] * sqrt(n / d);
        }
    memcpy(f, nf, sizeof nf);
}

static void test_ws_update_matches_formula(void **state)
{
    (void)state;
    double x[R_M * R_N], u[R_M * R_N], g[R_M * R_K], f[R_K * R_N];
    double rg[R_M * R_K], rf[R_K * R_N];
    struct pmf_rng r;
    struct pmf_config c;
    struct pmf_run run;

    for (int with_negatives = 0; with_negatives < 2; with_negatives++) {
        pmf_rng_seed(&r, 5 + (uint64_t)with_negatives);
        for (int q = 0; q < R_M * R_N; q++) {
            x[q] = fabs(pmf_rng_normal(&r)) + 0.1;
            u[q] = 0.1 + 0.2 * fabs(pmf_rng_normal(&r));
        }
        if (with_negatives)
            x[3] = -0.4, x[17] = -0.05;
        struct pmf_problem p = {
            .m = R_M, .n = R_N, .x = x, .u = u, .n_strong = R_N, .total = -1, .method = PMF_WS_NMF};
        pmf_random_start(&p, R_K, 99, g, f);
        memcpy(rg, g, sizeof g);
        memcpy(rf, f, sizeof f);
        pmf_config_default(&c);
        c.factors = R_K;
        c.max_iter = 1;
        assert_int_equal(pmf_train(&p, &c, g, f, &run, NULL, NULL, NULL), 1);
        ws_reference(x, u, rg, rf);
        for (int q = 0; q < R_M * R_K; q++)
            assert_float_equal(g[q], rg[q], 1e-9 * (1 + fabs(rg[q])));
        for (int q = 0; q < R_K * R_N; q++)
            assert_float_equal(f[q], rf[q], 1e-9 * (1 + fabs(rf[q])));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_method_chosen_like_esat),
        cmocka_unit_test(test_ws_update_matches_formula),
        cmocka_unit_test(test_ws_recovery),
        cmocka_unit_test(test_ws_fits_negatives_better),
        cmocka_unit_test(test_ws_same_seed_same_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
