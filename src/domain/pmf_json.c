/* pmf_json — a PMF result as JSON; see pmf_json.h. */
#include "domain/pmf_json.h"

#include <math.h>

/* jansson refuses NAN and infinities; they are written as null. */
static json_t *pmf_num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

json_t *pmf_json_matrix(const double *v, size_t rows, size_t cols)
{
    json_t *a = json_array();
    for (size_t i = 0; i < rows; i++) {
        json_t *row = json_array();
        for (size_t j = 0; j < cols; j++)
            json_array_append_new(row, pmf_num(v[i * cols + j]));
        json_array_append_new(a, row);
    }
    return a;
}

/* algorithm: the update rules the solve used ("LS-NMF" or "WS-NMF"). */
static json_t *pmf_json_config(const struct pmf_config *c, enum pmf_method m)
{
    return json_pack("{s:s, s:i, s:i, s:I, s:b, s:i, s:f, s:i, s:i, s:f, s:s}", "algorithm",
                     m == PMF_WS_NMF ? "WS-NMF" : "LS-NMF", "factors", c->factors, "runs", c->runs,
                     "seed", (json_int_t)(c->seed & 0x7FFFFFFFFFFFFFFFull), "robust", c->robust,
                     "max_iter", c->max_iter, "converge_delta", c->converge_delta, "converge_n",
                     c->converge_n, "robust_n", c->robust_n, "robust_alpha", c->robust_alpha,
                     "best_by", c->best_by_robust ? "q_robust" : "q_true");
}

static json_t *pmf_json_input(const struct pmf_data *d)
{
    json_t *species = json_array();
    for (size_t j = 0; j < d->cols; j++)
        json_array_append_new(species,
                              json_pack("{s:s, s:s, s:o, s:s, s:I, s:I, s:b}", "name",
                                        d->species[j], "category",
                                        pmf_category_name(d->category[j]), "sn", pmf_num(d->sn[j]),
                                        "suggested", pmf_category_name(pmf_sn_suggestion(d->sn[j])),
                                        "missing", (json_int_t)d->missing[j], "below_mdl",
                                        (json_int_t)d->below_mdl[j], "total", (int)j == d->total));
    return json_pack("{s:I, s:o}", "samples", (json_int_t)d->rows, "species", species);
}

static json_t *pmf_json_runs(const struct pmf_solution *s, const struct pmf_report *r)
{
    json_t *runs = json_array();
    for (int i = 0; i < s->nruns; i++) {
        const struct pmf_run *run = &s->runs[i];
        json_array_append_new(runs,
                              json_pack("{s:i, s:I, s:o, s:o, s:i, s:b, s:o}", "run", i + 1, "seed",
                                        (json_int_t)(run->seed & 0x7FFFFFFFFFFFFFFFull), "q_true",
                                        pmf_num(run->q_true), "q_robust", pmf_num(run->q_robust),
                                        "iterations", run->iterations, "converged", run->converged,
                                        "profile_match", pmf_num(r->run_match[i])));
    }
    return runs;
}

static json_t *pmf_json_factors(const struct pmf_data *d, const struct pmf_problem *p,
                                const struct pmf_report *r)
{
    const char *names[PMF_MAX_COLS];
    json_t *factors = json_array();

    for (size_t j = 0; j < p->n; j++)
        names[j] = d->species[p->col[j]];
    for (size_t a = 0; a < r->k; a++) {
        struct pmf_name nm;
        pmf_suggest_name(names, r->profile_pct + a * r->n, r->n, &nm);
        json_array_append_new(factors,
                              json_pack("{s:i, s:{s:s, s:s, s:s, s:o, s:s}, s:o}", "index",
                                        (int)a + 1, "suggested", "key", nm.key, "zh", nm.zh, "en",
                                        nm.en, "score", pmf_num(nm.score), "markers", nm.markers,
                                        "share", pmf_num(r->share[a])));
    }
    return factors;
}

static json_t *pmf_json_fit(const struct pmf_report *r)
{
    json_t *fit = json_array();
    for (size_t j = 0; j < r->n; j++) {
        const struct pmf_species_fit *f = &r->fit[j];
        json_array_append_new(fit, json_pack("{s:o, s:o, s:o, s:o, s:o, s:I}", "slope",
                                             pmf_num(f->slope), "intercept", pmf_num(f->intercept),
                                             "r2", pmf_num(f->r2), "mean_obs", pmf_num(f->mean_obs),
                                             "mean_pred", pmf_num(f->mean_pred), "beyond3",
                                             (json_int_t)f->beyond3));
    }
    return fit;
}

json_t *pmf_json_result(const struct pmf_data *d, const struct pmf_problem *p,
                        const struct pmf_config *c, const struct pmf_solution *s,
                        const struct pmf_report *r)
{
    json_t *o = json_object(), *species = json_array(), *times = json_array();

    for (size_t j = 0; j < p->n; j++)
        json_array_append_new(species, json_string(d->species[p->col[j]]));
    for (size_t i = 0; i < d->rows; i++)
        json_array_append_new(times, json_string(d->times[i]));
    json_object_set_new(o, "method",
                        json_string(p->method == PMF_WS_NMF ? "PMF (WS-NMF, ESAT-compatible)"
                                                            : "PMF (LS-NMF, ESAT-compatible)"));
    json_object_set_new(o, "algorithm", json_string(pmf_method_name(p->method)));
    json_object_set_new(o, "negatives", json_integer((json_int_t)p->negatives));
    json_object_set_new(o, "config", pmf_json_config(c, p->method));
    json_object_set_new(o, "input", pmf_json_input(d));
    json_object_set_new(o, "q_true", pmf_num(r->q_true));
    json_object_set_new(o, "q_robust", pmf_num(r->q_robust));
    json_object_set_new(o, "q_expected", pmf_num(r->q_expected));
    json_object_set_new(o, "q_ratio",
                        pmf_num(r->q_expected > 0 ? r->q_robust / r->q_expected : NAN));
    json_object_set_new(o, "q_spread",
                        json_pack("{s:o, s:o, s:o}", "min", pmf_num(r->q_min), "max",
                                  pmf_num(r->q_max), "mean", pmf_num(r->q_mean)));
    json_object_set_new(o, "best_run", json_integer(s->best + 1));
    json_object_set_new(o, "runs", pmf_json_runs(s, r));
    json_object_set_new(o, "species", species);
    json_object_set_new(o, "times", times);
    json_object_set_new(o, "total",
                        p->total >= 0 ? json_string(d->species[p->col[p->total]]) : json_null());
    json_object_set_new(o, "factors", pmf_json_factors(d, p, r));
    json_object_set_new(o, "profiles", pmf_json_matrix(r->profile, r->k, r->n));
    json_object_set_new(o, "profile_pct", pmf_json_matrix(r->profile_pct, r->k, r->n));
    json_object_set_new(o, "contributions", pmf_json_matrix(r->contrib, r->m, r->k));
    json_object_set_new(o, "contributions_mass",
                        r->contrib_mass ? pmf_json_matrix(r->contrib_mass, r->m, r->k)
                                        : json_null());
    json_object_set_new(o, "fit", pmf_json_fit(r));
    json_object_set_new(o, "scaled_residuals", pmf_json_matrix(r->scaled_resid, r->m, r->n));
    return o;
}

json_t *pmf_json_boot(const struct pmf_boot_config *b, const struct pmf_boot_result *r)
{
    json_t *unmapped = json_array();
    for (size_t a = 0; a < r->k; a++)
        json_array_append_new(unmapped, json_integer(r->unmapped[a]));
    json_t *mapping = json_array();
    for (size_t a = 0; a < r->k; a++) {
        json_t *row = json_array();
        for (size_t c = 0; c <= r->k; c++)
            json_array_append_new(row, json_integer(r->mapping[a * (r->k + 1) + c]));
        json_array_append_new(mapping, row);
    }
    return json_pack(
        "{s:i, s:I, s:f, s:I, s:o, s:o, s:i, s:o, s:o, s:{s:o, s:o, s:o, s:o, s:o}}", "runs",
        r->runs_done, "block", (json_int_t)r->block, "threshold", b->threshold, "seed",
        (json_int_t)(b->seed & 0x7FFFFFFFFFFFFFFFull), "mapping", mapping, "unmapped", unmapped,
        "unmapped_boot_factors", r->unmapped_boot, "stability", pmf_num(r->stability), "q_robust",
        pmf_json_matrix(r->q_robust, 1, (size_t)r->runs_done), "intervals", "p05",
        pmf_json_matrix(r->p05, r->k, r->n), "p25", pmf_json_matrix(r->p25, r->k, r->n), "p50",
        pmf_json_matrix(r->p50, r->k, r->n), "p75", pmf_json_matrix(r->p75, r->k, r->n), "p95",
        pmf_json_matrix(r->p95, r->k, r->n));
}
