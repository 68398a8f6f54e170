/* Unit tests for domain/pmf: input parsing and its errors, EPA's uncertainty
 * rules, S/N, categories, Q, the model on synthetic data with known sources
 * (profiles recovered), reproducibility, the EPA example data sets, the
 * bootstrap and the marker-species names. Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/pmf.h"

#include <unistd.h>
#include <xlsxwriter.h>

#define BALT_CONC "tests/data/pmf/Dataset-Baltimore_con.txt"
#define BALT_UNC "tests/data/pmf/Dataset-Baltimore_unc.txt"
#define STL_CONC "tests/data/pmf/Dataset-StLouis-con.csv"
#define STL_UNC "tests/data/pmf/Dataset-StLouis-unc.csv"

static int parse(const char *text, struct pmf_table *t, struct pmf_error *e)
{
    return pmf_table_parse(text, strlen(text), t, e);
}

static void test_parse_csv_and_tab(void **state)
{
    (void)state;
    struct pmf_table t;
    struct pmf_error e;

    assert_int_equal(
        parse("Date,SO4,NO3\n1/1/2020,1.5,2\n1/2/2020,,3e-1\n1/3/2020,-999,NA\n", &t, &e), 0);
    assert_int_equal(t.rows, 3);
    assert_int_equal(t.cols, 2);
    assert_string_equal(t.species[1], "NO3");
    assert_string_equal(t.times[2], "1/3/2020");
    assert_true(t.v[0] == 1.5 && t.v[3] == 0.3);
    assert_true(isnan(t.v[2]) && isnan(t.v[4]) && isnan(t.v[5]));
    pmf_table_free(&t);

    assert_int_equal(parse("\xEF\xBB\xBF"
                           "Date\tA, B\tC\r\nx\t1\t2\r\ny\t3\t4\r\nz\t5\t6\r\n\r\n",
                           &t, &e),
                     0);
    assert_int_equal(t.cols, 2);
    assert_string_equal(t.species[0], "A, B");
    assert_true(t.v[5] == 6);
    pmf_table_free(&t);
}

static void test_parse_errors(void **state)
{
    (void)state;
    struct pmf_table t;
    struct pmf_error e;

    assert_int_equal(parse("Date,A,B\n1,1,2\n2,x1,2\n3,1,2\n", &t, &e), -1);
    assert_string_equal(e.column, "A");
    assert_int_equal(e.line, 3);
    assert_non_null(strstr(e.msg, "not a number"));
    assert_int_equal(parse("Date,A\n1,1\n2,2\n1,3\n", &t, &e), -1);
    assert_non_null(strstr(e.msg, "more than once"));
    assert_int_equal(parse("Date,A,B\n1,1,2\n2,2\n3,1,2\n", &t, &e), -1);
    assert_non_null(strstr(e.msg, "fewer cells"));
    assert_int_equal(parse("Date,A\n1,1,2\n2,2\n3,1\n", &t, &e), -1);
    assert_non_null(strstr(e.msg, "more cells"));
    assert_int_equal(parse("Date,A,A\n1,1,2\n2,2,2\n3,1,2\n", &t, &e), -1);
    assert_non_null(strstr(e.msg, "twice"));
    assert_int_equal(parse("", &t, &e), -1);
    assert_int_equal(parse("Date,A\n1,1\n2,2\n", &t, &e), -1);
    assert_non_null(strstr(e.msg, "at least 3"));
    assert_int_equal(parse("Date,A\n1,inf\n2,2\n3,3\n", &t, &e), -1);
    assert_int_equal(parse("Date,A\n1,0x10\n2,2\n3,3\n", &t, &e), -1);
    assert_int_equal(parse("Date,A\n,1\n2,2\n3,3\n", &t, &e), -1);
    assert_non_null(strstr(e.msg, "time is empty"));
    assert_int_equal(pmf_table_parse("Date,A\n1,1\0\n2,2\n3,3\n", 20, &t, &e), -1);
}

static void test_unc_checks(void **state)
{
    (void)state;
    struct pmf_table c, u, u2;
    struct pmf_data d;
    struct pmf_error e;

    assert_int_equal(parse("Date,A,B\n1,1,2\n2,2,4\n3,,6\n4,3,8\n", &c, &e), 0);
    assert_int_equal(parse("Date,A,B\n1,.1,.2\n2,.2,0\n3,,.6\n4,.3,.8\n", &u, &e), 0);
    assert_int_equal(pmf_data_from_unc(&c, &u, &d, &e), -1);
    assert_string_equal(e.column, "B");
    assert_non_null(strstr(e.msg, "> 0"));
    pmf_table_free(&u);

    assert_int_equal(parse("Date,A\n1,.1\n2,.2\n3,.3\n4,.3\n", &u2, &e), 0);
    assert_int_equal(pmf_data_from_unc(&c, &u2, &d, &e), -1);
    assert_non_null(strstr(e.msg, "shapes differ"));
    pmf_table_free(&u2);

    assert_int_equal(parse("Date,A,B\n1,.1,.2\n2,.2,.4\n3,,.6\n5,.3,.8\n", &u, &e), 0);
    assert_int_equal(pmf_data_from_unc(&c, &u, &d, &e), -1);
    assert_non_null(strstr(e.msg, "sample 4"));
    pmf_table_free(&u);

    assert_int_equal(parse("Date,A,B\n1,.1,.2\n2,.2,.4\n3,,.6\n4,.3,.8\n", &u, &e), 0);
    assert_int_equal(pmf_data_from_unc(&c, &u, &d, &e), 0);
    /* Missing A at sample 3 → median of 1,2,3 = 2, uncertainty 4 × 2. */
    assert_true(d.x[2 * 2] == 2 && d.u[2 * 2] == 8);
    assert_int_equal(d.missing[0], 1);
    pmf_data_free(&d);
    pmf_table_free(&u);
    pmf_table_free(&c);
}

static void test_mdl_rules(void **state)
{
    (void)state;
    struct pmf_table c;
    struct pmf_data d;
    struct pmf_error e;
    double mdl[2] = {0.5, 0.1}, ef[2] = {0.1, 0.2}, bad[2] = {0, 0.1};

    assert_int_equal(parse("Date,A,B\n1,0.4,1\n2,2,\n3,0.5,3\n4,10,5\n", &c, &e), 0);
    assert_int_equal(pmf_data_from_mdl(&c, bad, ef, &d, &e), -1);
    assert_int_equal(pmf_data_from_mdl(&c, mdl, ef, &d, &e), 0);
    assert_float_equal(d.u[0], 5.0 / 6.0 * 0.5, 1e-12);     /* below MDL */
    assert_float_equal(d.u[2 * 2], 5.0 / 6.0 * 0.5, 1e-12); /* at MDL */
    assert_float_equal(d.u[1 * 2], sqrt(0.2 * 0.2 + 0.25 * 0.25), 1e-12);
    assert_float_equal(d.x[1 * 2 + 1], 3, 0); /* missing → median of 1,3,5 */
    assert_float_equal(d.u[1 * 2 + 1], 12, 0);
    assert_int_equal(d.below_mdl[0], 2);
    assert_int_equal(d.missing[1], 1);
    pmf_data_free(&d);
    pmf_table_free(&c);
}

static void test_sn_and_categories(void **state)
{
    (void)state;
    struct pmf_table c, u;
    struct pmf_data d;
    struct pmf_problem p;
    struct pmf_error e;

    assert_int_equal(parse("Date,A,B,T\n1,3,1,10\n2,1,1,10\n3,5,1,10\n", &c, &e), 0);
    assert_int_equal(parse("Date,A,B,T\n1,1,2,1\n2,2,2,1\n3,1,2,1\n", &u, &e), 0);
    assert_int_equal(pmf_data_from_unc(&c, &u, &d, &e), 0);
    /* A: (3-1)/1 = 2, 1 ≤ 2 → 0, (5-1)/1 = 4 → mean 2. B: always below → 0. */
    assert_float_equal(d.sn[0], 2.0, 1e-12);
    assert_float_equal(d.sn[1], 0.0, 0);
    assert_int_equal(pmf_sn_suggestion(d.sn[1]), PMF_BAD);
    assert_int_equal(pmf_sn_suggestion(0.7), PMF_WEAK);
    assert_int_equal(pmf_data_set_category(&d, "nope", PMF_BAD, &e), -1);
    assert_int_equal(pmf_data_set_category(&d, "B", PMF_BAD, &e), 0);
    assert_int_equal(pmf_data_set_total(&d, "T", &e), 0);
    assert_int_equal(d.category[2], PMF_WEAK);
    assert_int_equal(pmf_problem_from_data(&d, &p, &e), 0);
    assert_int_equal(p.n, 2);
    assert_int_equal(p.n_strong, 1);
    assert_int_equal(p.total, 1);
    assert_float_equal(p.u[1], 3.0, 0); /* weak: ×3 */
    assert_float_equal(p.u[0], 1.0, 0);
    pmf_problem_free(&p);
    pmf_data_free(&d);
    pmf_table_free(&c);
    pmf_table_free(&u);
}

/* Synthetic data: K known non-negative profiles, random contributions, 5 %
 * Gaussian noise with matching uncertainties. */
struct synth {
    struct pmf_problem p;
    double *f; /* true K × n */
};

#define SYN_M 300
#define SYN_N 12
#define SYN_K 3

static void synth_make(struct synth *s, uint64_t seed)
{
    static const double prof[SYN_K][SYN_N] = {
        {5.0, 2.0, 0.1, 0.05, 0.01, 0.3, 0.02, 0.01, 0.2, 0.01, 0.05, 0.1},
        {0.1, 0.05, 4.0, 1.0, 0.02, 0.2, 0.5, 0.01, 0.03, 0.02, 0.2, 0.01},
        {0.2, 0.1, 0.05, 0.02, 1.5, 0.8, 0.01, 0.6, 0.05, 0.4, 0.01, 0.02},
    };
    struct pmf_rng r;
    pmf_rng_seed(&r, seed);
    memset(s, 0, sizeof *s);
    s->p.m = SYN_M;
    s->p.n = SYN_N;
    s->p.n_strong = SYN_N;
    s->p.total = -1;
    s->p.x = calloc(SYN_M * SYN_N, sizeof(double));
    s->p.u = calloc(SYN_M * SYN_N, sizeof(double));
    s->f = malloc(sizeof prof);
    memcpy(s->f, prof, sizeof prof);
    for (size_t i = 0; i < SYN_M; i++) {
        double g[SYN_K];
        for (int a = 0; a < SYN_K; a++)
            g[a] = fabs(pmf_rng_normal(&r)) + 0.05;
        for (size_t j = 0; j < SYN_N; j++) {
            double x = 0;
            for (int a = 0; a < SYN_K; a++)
                x += g[a] * prof[a][j];
            double u = 0.05 * x + 0.005;
            double noisy = x + u * pmf_rng_normal(&r);
            s->p.x[i * SYN_N + j] = noisy > 0 ? noisy : 0;
            s->p.u[i * SYN_N + j] = u;
        }
    }
}

static void synth_free(struct synth *s)
{
    free(s->p.x);
    free(s->p.u);
    free(s->f);
}

static void test_synthetic_recovery(void **state)
{
    (void)state;
    struct synth s;
    struct pmf_config c;
    struct pmf_solution sol;
    struct pmf_error e;

    synth_make(&s, 7);
    pmf_config_default(&c);
    c.factors = SYN_K;
    c.runs = 5;
    assert_int_equal(pmf_solve(&s.p, &c, NULL, NULL, &sol, &e), 0);
    const struct pmf_run *best = &sol.runs[sol.best];
    assert_true(best->converged);
    /* Each true profile matched by a distinct factor with r ≥ 0.95. */
    bool used[SYN_K] = {false};
    for (int a = 0; a < SYN_K; a++) {
        double top = -1;
        int at = -1;
        for (int b = 0; b < SYN_K; b++) {
            double r = pmf_corr(s.f + a * SYN_N, 1, best->f + b * SYN_N, 1, SYN_N);
            if (!used[b] && r > top)
                top = r, at = b;
        }
        assert_true(top >= 0.95);
        used[at] = true;
    }
    /* Q near its expectation: the noise was drawn at the stated uncertainty. */
    double qexp = pmf_q_expected(&s.p, SYN_K);
    assert_true(best->q_true > 0.7 * qexp && best->q_true < 1.3 * qexp);
    pmf_solution_free(&sol);
    synth_free(&s);
}

static void test_same_seed_same_numbers(void **state)
{
    (void)state;
    struct synth s;
    struct pmf_config c;
    struct pmf_solution a, b, other;
    struct pmf_error e;

    synth_make(&s, 11);
    pmf_config_default(&c);
    c.factors = SYN_K;
    c.runs = 2;
    c.seed = 1234;
    c.robust = true;
    assert_int_equal(pmf_solve(&s.p, &c, NULL, NULL, &a, &e), 0);
    assert_int_equal(pmf_solve(&s.p, &c, NULL, NULL, &b, &e), 0);
    for (int r = 0; r < 2; r++) {
        assert_memory_equal(a.runs[r].f, b.runs[r].f, SYN_K * SYN_N * sizeof(double));
        assert_memory_equal(a.runs[r].g, b.runs[r].g, SYN_M * SYN_K * sizeof(double));
        assert_true(a.runs[r].q_robust == b.runs[r].q_robust);
        assert_int_equal(a.runs[r].iterations, b.runs[r].iterations);
    }
    c.seed = 1235;
    assert_int_equal(pmf_solve(&s.p, &c, NULL, NULL, &other, &e), 0);
    assert_true(other.runs[0].seed != a.runs[0].seed);
    assert_memory_not_equal(other.runs[0].f, a.runs[0].f, SYN_K * SYN_N * sizeof(double));
    pmf_solution_free(&a);
    pmf_solution_free(&b);
    pmf_solution_free(&other);
    synth_free(&s);
}

static void test_q_values(void **state)
{
    (void)state;
    /* x = g·f exactly except one cell 10 uncertainties off. */
    double x[4] = {2, 4, 3, 6 + 10}, u[4] = {1, 1, 1, 1}, g[2] = {1, 1.5}, f[2] = {2, 4};
    struct pmf_problem p = {.m = 2, .n = 2, .x = x, .u = u, .n_strong = 2, .total = -1};
    double qt, qr;
    pmf_q(&p, 1, g, f, 4.0, &qt, &qr);
    assert_float_equal(qt, 100, 1e-9);
    assert_float_equal(qr, 4.0 * 10, 1e-9); /* (r / sqrt(|r|/α))² = α|r| */
    assert_float_equal(pmf_q_expected(&p, 1), 4 - 1 * (2 + 2), 0);
}

static void test_config_errors(void **state)
{
    (void)state;
    struct synth s;
    struct pmf_config c;
    struct pmf_solution sol;
    struct pmf_error e;

    synth_make(&s, 3);
    pmf_config_default(&c);
    c.factors = 0;
    assert_int_equal(pmf_solve(&s.p, &c, NULL, NULL, &sol, &e), -1);
    c.factors = SYN_N;
    assert_int_equal(pmf_solve(&s.p, &c, NULL, NULL, &sol, &e), -1);
    c.factors = 2;
    c.runs = 0;
    assert_int_equal(pmf_solve(&s.p, &c, NULL, NULL, &sol, &e), -1);
    assert_non_null(strstr(e.msg, "runs"));
    synth_free(&s);
}

static int cancel_after_first(void *ctx, const struct pmf_progress *pr)
{
    int *calls = ctx;
    (*calls)++;
    return pr->iteration >= 100;
}

static void test_cancel(void **state)
{
    (void)state;
    struct synth s;
    struct pmf_config c;
    struct pmf_solution sol;
    struct pmf_error e;
    int calls = 0;

    synth_make(&s, 5);
    pmf_config_default(&c);
    c.factors = SYN_K;
    c.converge_delta = 1e-12; /* would run to max_iter */
    assert_int_equal(pmf_solve(&s.p, &c, cancel_after_first, &calls, &sol, &e), 1);
    assert_int_equal(calls, 2);
    pmf_solution_free(&sol);
    synth_free(&s);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* A workbook written by libxlsxwriter: dates as serials, a missing cell, a
 * quoted species name; read back through the same checks as CSV. */
static void test_xlsx_input(void **state)
{
    (void)state;
    char path[] = "/tmp/ecogov-pmf-test-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "conc");
    worksheet_write_string(ws, 0, 0, "Date", NULL);
    worksheet_write_string(ws, 0, 1, "SO4", NULL);
    worksheet_write_string(ws, 0, 2, "Say \"EC\"", NULL);
    double serial[3] = {45292, 45292.5, 45293};
    for (int r = 0; r < 3; r++) {
        worksheet_write_number(ws, (lxw_row_t)(r + 1), 0, serial[r], NULL);
        worksheet_write_number(ws, (lxw_row_t)(r + 1), 1, 1.5 + r, NULL);
        if (r != 1)
            worksheet_write_number(ws, (lxw_row_t)(r + 1), 2, 0.25, NULL);
    }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    size_t len, tlen;
    char *bytes = slurp(path, &len), *text;
    unlink(path);
    struct pmf_error e;
    struct pmf_table t;
    assert_true(pmf_is_xlsx(bytes, len));
    assert_int_equal(pmf_xlsx_to_text(bytes, len, &text, &tlen, &e), 0);
    assert_int_equal(pmf_table_parse(text, tlen, &t, &e), 0);
    assert_int_equal(t.rows, 3);
    assert_int_equal(t.cols, 2);
    assert_string_equal(t.species[1], "Say \"EC\"");
    assert_string_equal(t.times[0], "2024-01-01");
    assert_string_equal(t.times[1], "2024-01-01 12:00");
    assert_string_equal(t.times[2], "2024-01-02");
    assert_true(t.v[2 * 2] == 3.5 && isnan(t.v[1 * 2 + 1]));
    pmf_table_free(&t);
    free(text);
    /* A damaged workbook is refused with the reason. */
    assert_int_equal(pmf_xlsx_to_text(bytes, len / 2, &text, &tlen, &e), -1);
    assert_non_null(strstr(e.msg, "workbook refused"));
    assert_false(pmf_is_xlsx("Date,A\n", 7));
    free(bytes);
}

static void load(const char *conc, const char *unc, struct pmf_data *d)
{
    struct pmf_table c, u;
    struct pmf_error e;
    size_t n;
    char *t = slurp(conc, &n);
    assert_int_equal(pmf_table_parse(t, n, &c, &e), 0);
    free(t);
    t = slurp(unc, &n);
    assert_int_equal(pmf_table_parse(t, n, &u, &e), 0);
    free(t);
    assert_int_equal(pmf_data_from_unc(&c, &u, d, &e), 0);
    pmf_table_free(&c);
    pmf_table_free(&u);
}

/* An EPA example set: converges, Q/Q_exp in a sensible band, shares sum to 100. */
static void run_example(const char *conc, const char *unc, const char *total, int k, size_t rows,
                        size_t cols)
{
    struct pmf_data d;
    struct pmf_problem p;
    struct pmf_config c;
    struct pmf_solution s;
    struct pmf_report r;
    struct pmf_error e;

    load(conc, unc, &d);
    assert_int_equal(d.rows, rows);
    assert_int_equal(d.cols, cols);
    assert_int_equal(pmf_data_set_total(&d, total, &e), 0);
    assert_int_equal(pmf_problem_from_data(&d, &p, &e), 0);
    pmf_config_default(&c);
    c.factors = k;
    c.runs = 2;
    assert_int_equal(pmf_solve(&p, &c, NULL, NULL, &s, &e), 0);
    assert_true(s.runs[s.best].converged);
    pmf_report_build(&p, &s, &c, &r);
    double ratio = r.q_robust / r.q_expected;
    assert_true(ratio > 0.5 && ratio < 3.0);
    assert_true(r.q_robust <= r.q_true);
    double sum = 0;
    for (size_t a = 0; a < r.k; a++)
        sum += r.share[a];
    assert_float_equal(sum, 100, 1e-6);
    assert_non_null(r.contrib_mass);
    pmf_report_free(&r);
    pmf_solution_free(&s);
    pmf_problem_free(&p);
    pmf_data_free(&d);
}

static void test_baltimore(void **state)
{
    (void)state;
    /* 657 lines after the header, the last 27 empty (tabs only): 630 samples. */
    run_example(BALT_CONC, BALT_UNC, "PM2.5", 7, 630, 26);
}

static void test_stlouis(void **state)
{
    (void)state;
    run_example(STL_CONC, STL_UNC, "Mass", 6, 418, 13);
}

static void test_bootstrap(void **state)
{
    (void)state;
    struct synth s;
    struct pmf_config c;
    struct pmf_solution sol;
    struct pmf_boot_config b;
    struct pmf_boot_result br;
    struct pmf_error e;

    synth_make(&s, 9);
    pmf_config_default(&c);
    c.factors = SYN_K;
    c.runs = 3;
    assert_int_equal(pmf_solve(&s.p, &c, NULL, NULL, &sol, &e), 0);
    pmf_boot_config_default(&b);
    b.runs = 8;
    assert_int_equal(pmf_bootstrap(&s.p, &c, &sol.runs[sol.best], &b, NULL, NULL, &br, &e), 0);
    assert_int_equal(br.runs_done, 8);
    assert_int_equal(br.block, 10);
    /* Clear sources: every base factor mapped in every run, on the diagonal. */
    assert_true(br.stability >= 0.99);
    for (size_t a = 0; a < SYN_K; a++) {
        int row = 0;
        for (size_t x = 0; x <= SYN_K; x++)
            row += br.mapping[a * (SYN_K + 1) + x];
        assert_true(row >= 8);
        for (size_t j = 0; j < SYN_N; j++) {
            size_t at = a * SYN_N + j;
            assert_true(br.p05[at] <= br.p50[at] && br.p50[at] <= br.p95[at]);
        }
    }
    pmf_boot_result_free(&br);
    b.runs = 0;
    assert_int_equal(pmf_bootstrap(&s.p, &c, &sol.runs[sol.best], &b, NULL, NULL, &br, &e), -1);
    pmf_solution_free(&sol);
    synth_free(&s);
}

static void test_names(void **state)
{
    (void)state;
    const char *species[] = {"PM2.5",         "Sulfate",  "Ammonium Ion",
                             "Total Nitrate", "Vanadium", "Nickel"};
    double sulfate[] = {40, 80, 70, 5, 2, 3}, oil[] = {3, 1, 1, 1, 70, 65},
           none[] = {10, 10, 10, 10, 10, 10};
    struct pmf_name nm;

    pmf_suggest_name(species, sulfate, 6, &nm);
    assert_string_equal(nm.key, "sulfate");
    assert_string_equal(nm.zh, "二次硫酸盐");
    assert_string_equal(nm.markers, "Sulfate,Ammonium Ion");
    pmf_suggest_name(species, oil, 6, &nm);
    assert_string_equal(nm.key, "oil");
    pmf_suggest_name(species, none, 6, &nm);
    assert_string_equal(nm.key, "unknown");
    assert_true(pmf_marker_count() >= 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_csv_and_tab),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_unc_checks),
        cmocka_unit_test(test_mdl_rules),
        cmocka_unit_test(test_sn_and_categories),
        cmocka_unit_test(test_q_values),
        cmocka_unit_test(test_config_errors),
        cmocka_unit_test(test_synthetic_recovery),
        cmocka_unit_test(test_same_seed_same_numbers),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_bootstrap),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_xlsx_input),
        cmocka_unit_test(test_stlouis),
        cmocka_unit_test(test_baltimore),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
