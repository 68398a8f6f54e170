/* pmf — Positive Matrix Factorization (PM2.5 source apportionment), pure core.
 *
 * Owns: reading EPA PMF's input tables (bytes in, no I/O), building the data
 * the model sees (uncertainties, missing and below-MDL values, species
 * categories, signal-to-noise), the weighted NMF itself (LS-NMF as EPA's ESAT
 * runs it, through CBLAS), the figures an analyst reads (Q, profiles,
 * contributions, residuals), the bootstrap and the marker-species names.
 *
 * Must not: do I/O, touch a database, or keep global state beyond the one-time
 * OpenBLAS thread setting (see pmf_solve).
 *
 * Matrices are row-major doubles: data and uncertainty are samples × species,
 * contributions G samples × factors, profiles F factors × species.
 * See docs/pmf.md for the method and the decisions behind it. */
#ifndef ECOGOV_PMF_H
#define ECOGOV_PMF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PMF_MAX_ROWS 20000    /* samples */
#define PMF_MAX_COLS 200      /* species, first (time) column included */
#define PMF_MAX_CELL 128      /* bytes in one cell */
#define PMF_MAX_FACTORS 20    /* factors a run may ask for */
#define PMF_MAX_RUNS 200      /* random starts in one solve */
#define PMF_MAX_ITER 100000   /* iterations one run may take */
#define PMF_MIN_ROWS 3        /* fewer samples than this cannot be factored */
#define PMF_MISSING_MARK -999 /* EPA's conventional missing-value indicator */

/* What went wrong, for the person who supplied the input. line is 1-based
 * (0: not tied to a line), column the species name or "" . */
struct pmf_error {
    char msg[256];
    size_t line;
    char column[PMF_MAX_CELL];
};

/* A parsed EPA table: header (time column, then species), one row per sample.
 * Missing cells (empty, NA, -999) are NAN. */
struct pmf_table {
    size_t rows, cols; /* cols: species, the time column not counted */
    char **species;    /* cols names */
    char **times;      /* rows sample times, as written */
    double *v;         /* rows × cols */
};

/* Parses CSV, tab- or semicolon-separated text (the delimiter is the first of
 * tab, comma, semicolon found in the header line). Checks: header with at least
 * one species, unique non-empty species names, every row as wide as the header,
 * numeric finite cells, non-empty unique times, at most PMF_MAX_ROWS rows.
 * Returns 0, or -1 with *err filled (and *t empty). */
int pmf_table_parse(const char *text, size_t len, struct pmf_table *t, struct pmf_error *err);
void pmf_table_free(struct pmf_table *t);

/* Whether bytes are a zip container (an .xlsx workbook). */
bool pmf_is_xlsx(const void *data, size_t len);
/* The first sheet of an .xlsx workbook as tab-separated text for
 * pmf_table_parse (cells quoted; a numeric first-column cell read as an Excel
 * date serial and written "YYYY-MM-DD[ HH:MM[:SS]]"). Returns 0 with *text
 * (free it), or -1 with *err (the workbook refused: damaged, too large, ...). */
int pmf_xlsx_to_text(const void *data, size_t len, char **text, size_t *text_len,
                     struct pmf_error *err);

enum pmf_category { PMF_STRONG = 0, PMF_WEAK, PMF_BAD };

/* The data the model is built from, all species (bad ones included, so the
 * analyst sees them), after the uncertainty rules. */
struct pmf_data {
    size_t rows, cols;
    char **species, **times;
    double *x, *u;               /* rows × cols, missing replaced, before the weak ×3 */
    enum pmf_category *category; /* per species, PMF_STRONG unless set */
    double *sn;                  /* S/N per species (EPA PMF 5.0) */
    size_t *missing, *below_mdl; /* per species, counts of cells so treated */
    int total;                   /* index of the total variable, or -1 */
};

/* Concentration and uncertainty tables (EPA's two files). They must have the
 * same species in the same order and the same sample times; uncertainties of
 * present values must be > 0. A missing concentration becomes the species'
 * median with uncertainty 4 × median (EPA PMF 5.0 guide). */
int pmf_data_from_unc(const struct pmf_table *conc, const struct pmf_table *unc, struct pmf_data *d,
                      struct pmf_error *err);

/* Concentration plus, per species, a method detection limit and an error
 * fraction (both > 0, arrays of conc->cols). Equation-based uncertainty:
 * c ≤ MDL → u = 5/6·MDL; otherwise u = sqrt((EF·c)² + (0.5·MDL)²); missing →
 * median, 4 × median. */
int pmf_data_from_mdl(const struct pmf_table *conc, const double *mdl, const double *ef,
                      struct pmf_data *d, struct pmf_error *err);

/* Sets a species' category by name. Returns 0, or -1 (unknown name). */
int pmf_data_set_category(struct pmf_data *d, const char *species, enum pmf_category c,
                          struct pmf_error *err);
/* Marks the total variable (e.g. PM2.5 mass): its category becomes weak, as
 * EPA PMF does. Returns 0, or -1 (unknown name). */
int pmf_data_set_total(struct pmf_data *d, const char *species, struct pmf_error *err);
/* The category EPA's guide suggests from S/N: < 0.5 bad, < 1 weak, else strong. */
enum pmf_category pmf_sn_suggestion(double sn);
const char *pmf_category_name(enum pmf_category c);
int pmf_category_parse(const char *s, enum pmf_category *out);
void pmf_data_free(struct pmf_data *d);

/* The update rules of a solve (ESAT's two): LS-NMF keeps G and F ≥ 0 and
 * needs x ≥ 0; WS-NMF (weighted semi-NMF) keeps F ≥ 0 but lets G and x be
 * negative. PMF_METHOD_AUTO is only an ask: ESAT's choice, WS-NMF exactly when
 * the data hold a negative value. */
enum pmf_method { PMF_LS_NMF = 0, PMF_WS_NMF, PMF_METHOD_AUTO };
const char *pmf_method_name(enum pmf_method m); /* "ls-nmf", "ws-nmf", "auto" */
int pmf_method_parse(const char *s, enum pmf_method *out);

/* The matrices a solve works on: bad species dropped, weak uncertainties ×3. */
struct pmf_problem {
    size_t m, n;   /* samples, species kept */
    double *x, *u; /* m × n */
    size_t *col;   /* n: index of each kept species in pmf_data */
    size_t n_strong;
    int total;              /* index among the kept columns, or -1 */
    size_t negatives;       /* cells with x < 0 in the data as given */
    enum pmf_method method; /* LS or WS; zero (LS-NMF) in a hand-built problem */
};
/* Builds the problem with ESAT's choice of method: WS-NMF when a kept cell is
 * negative (x kept as given), else LS-NMF. */
int pmf_problem_from_data(const struct pmf_data *d, struct pmf_problem *p, struct pmf_error *err);
/* Forces the method (call once, right after pmf_problem_from_data). AUTO keeps
 * ESAT's choice; LS-NMF reads negative cells as 0 (their uncertainty still
 * weights the fit); WS-NMF keeps them. */
void pmf_problem_set_method(struct pmf_problem *p, enum pmf_method asked);
void pmf_problem_free(struct pmf_problem *p);

/* Solve settings; pmf_config_default gives ESAT's defaults (BatchSA/SA.train):
 * 20 runs, seed 42, at most 20,000 iterations, converged when Q fell by less
 * than 0.1 across the last 100 values of Q, true mode, robust alpha 4 switched
 * on after 200 iterations, best run by Q(robust). */
struct pmf_config {
    int factors;
    int runs;
    uint64_t seed;
    bool robust;
    int max_iter;
    double converge_delta;
    int converge_n;
    int robust_n;
    double robust_alpha;
    bool best_by_robust;
};
void pmf_config_default(struct pmf_config *c);
/* Returns 0 when every setting is in range for p, else -1 with *err. */
int pmf_config_check(const struct pmf_config *c, const struct pmf_problem *p,
                     struct pmf_error *err);

struct pmf_run {
    uint64_t seed;
    double q_true, q_robust;
    int iterations;
    bool converged;
    double *g, *f; /* m × k, k × n, as the algorithm left them */
};

/* Progress hook: called after every iteration block and every finished run.
 * Returning nonzero cancels the solve (pmf_solve then returns 1). */
struct pmf_progress {
    int runs_done, runs_total;
    int iteration;
    double q;
};
typedef int (*pmf_progress_fn)(void *ctx, const struct pmf_progress *pr);

struct pmf_solution {
    size_t m, n, k;
    int nruns;
    struct pmf_run *runs;
    int best;
};

/* Runs c->runs seeded random starts of p->method (robust mode if asked) and
 * picks the best. Same problem, config and seed → bit-identical numbers. Returns 0,
 * 1 when cancelled through the hook, -1 with *err for a bad config. */
int pmf_solve(const struct pmf_problem *p, const struct pmf_config *c, pmf_progress_fn hook,
              void *ctx, struct pmf_solution *s, struct pmf_error *err);
void pmf_solution_free(struct pmf_solution *s);

/* Loads OpenBLAS (once) for the runs below: 0, or -1 with err naming what is
 * missing. pmf_solve and pmf_bootstrap check it first; without it pmf_train
 * returns -1 and pmf_q gives NaN. */
int pmf_blas_check(struct pmf_error *err);
/* One run of p->method from the given start (g, f updated in place). Exposed for the
 * bootstrap and the benchmark. Returns iterations done, or -1 when cancelled. */
int pmf_train(const struct pmf_problem *p, const struct pmf_config *c, double *g, double *f,
              struct pmf_run *out, pmf_progress_fn hook, void *ctx, struct pmf_progress *pr);
/* ESAT's random start: F = |sqrt(|colmean|/k)·N(0,1)|, G = sqrt(|rowmean|/k)·N(0,1),
 * G's absolute value taken for LS-NMF only (WS-NMF's G may be negative). */
void pmf_random_start(const struct pmf_problem *p, size_t k, uint64_t seed, double *g, double *f);
/* Q(true) and Q(robust) of g, f on p. */
void pmf_q(const struct pmf_problem *p, size_t k, const double *g, const double *f, double alpha,
           double *q_true, double *q_robust);

/* Deterministic random numbers (xoshiro256**), for the starts and bootstrap. */
struct pmf_rng {
    uint64_t s[4];
};
void pmf_rng_seed(struct pmf_rng *r, uint64_t seed);
uint64_t pmf_rng_next(struct pmf_rng *r);
double pmf_rng_normal(struct pmf_rng *r);
/* Uniform integer in [0, n). */
uint64_t pmf_rng_below(struct pmf_rng *r, uint64_t n);

/* What an analyst reads off the best run. */
struct pmf_species_fit {
    double slope, intercept, r2; /* observed = slope·predicted + intercept */
    double mean_obs, mean_pred;
    size_t beyond3; /* |scaled residual| > 3 */
};
struct pmf_report {
    size_t m, n, k;
    double q_true, q_robust, q_expected;
    double *profile;             /* k × n, concentration per unit normalised contribution */
    double *profile_pct;         /* k × n, % of species total */
    double *contrib;             /* m × k, normalised (mean 1) */
    double *contrib_mass;        /* m × k, in the total variable's unit; NULL without total */
    double *share;               /* k, % of the total variable (or of summed species) */
    double *scaled_resid;        /* m × n, (x - x̂)/u with the model uncertainties */
    double *predicted;           /* m × n */
    struct pmf_species_fit *fit; /* n */
    /* Run comparison: Q spread and how well each run's profiles match the best. */
    double q_min, q_max, q_mean;
    double *run_match; /* nruns: mean over factors of best |r| to the best run's profiles */
    int nruns;
};
int pmf_report_build(const struct pmf_problem *p, const struct pmf_solution *s,
                     const struct pmf_config *c, struct pmf_report *r);
void pmf_report_free(struct pmf_report *r);
/* EPA PMF 5.0: Q_exp = (strong cells) − k·(samples + strong species). */
double pmf_q_expected(const struct pmf_problem *p, size_t k);
/* Normalises a run like EPA: every contribution column to mean 1, profiles
 * scaled by the same factor. g m × k, f k × n, in place. */
void pmf_normalise(size_t m, size_t n, size_t k, double *g, double *f);
/* Pearson correlation of two series (0 when one is constant). */
double pmf_corr(const double *a, size_t astride, const double *b, size_t bstride, size_t n);

/* Bootstrap (EPA PMF 5.0 / ESAT): block resampling of samples, each bootstrap
 * factor mapped to the base factor whose contributions (on the resampled
 * samples) it correlates best with, r ≥ threshold, else unmapped. */
struct pmf_boot_config {
    int runs;         /* bootstrap runs, default 20 */
    size_t block;     /* block length in samples, 0 = automatic */
    double threshold; /* correlation r for mapping, default 0.6 */
    uint64_t seed;
};
void pmf_boot_config_default(struct pmf_boot_config *b);
struct pmf_boot_result {
    size_t n, k;
    int runs_done;
    size_t block;
    int *mapping;  /* k × (k + 1): base factor × boot factor mapped to it; last col unmapped */
    int *unmapped; /* k: per base factor, runs where nothing mapped to it */
    int unmapped_boot; /* bootstrap factors that mapped to no base factor, all runs */
    double *q_robust;  /* runs_done */
    /* Per base factor and species, over mapped bootstrap factors: percentiles of
     * the profile value (normalised like the base). k × n each. */
    double *p05, *p25, *p50, *p75, *p95;
    double *base;     /* k × n, the base profile, for side-by-side */
    double stability; /* min over factors of the fraction of runs mapped to it */
};
int pmf_bootstrap(const struct pmf_problem *p, const struct pmf_config *c,
                  const struct pmf_run *base, const struct pmf_boot_config *b, pmf_progress_fn hook,
                  void *ctx, struct pmf_boot_result *out, struct pmf_error *err);
void pmf_boot_result_free(struct pmf_boot_result *r);

/* Marker-species naming (issue item 4): suggests a source for a factor from
 * the % of species it explains. */
struct pmf_name {
    const char *key; /* stable id: "sulfate", "nitrate", ... "unknown" */
    const char *zh;  /* 二次硫酸盐 ... */
    const char *en;
    double score;      /* mean % of species over the markers found, 0–100 */
    char markers[160]; /* the marker species found, comma-separated */
};
/* species: n names of the kept columns; pct: the factor's row of profile_pct. */
void pmf_suggest_name(const char *const *species, const double *pct, size_t n,
                      struct pmf_name *out);
/* The reference table, for display: count and i-th entry (key, zh, en, markers). */
size_t pmf_marker_count(void);
void pmf_marker_entry(size_t i, const char **key, const char **zh, const char **en,
                      const char **markers);

#endif
