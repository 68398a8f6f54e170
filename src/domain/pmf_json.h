/* pmf_json — a PMF result as JSON (jansson), the one shape the CLI writes and
 * the pmf module stores and serves. Pure: builds values, does no I/O.
 *
 * Shape (docs/pmf.md): {method, config, input{samples, species[{name,
 * category, sn, suggested, missing, below_mdl}]}, q_true, q_robust,
 * q_expected, q_ratio, best_run, runs[], species[], times[], factors[{index,
 * name{key, zh, en, score, markers}, share}], profiles, profile_pct,
 * contributions, contributions_mass, fit[], scaled_residuals}. */
#ifndef ECOGOV_PMF_JSON_H
#define ECOGOV_PMF_JSON_H

#include <jansson.h>

#include "domain/pmf.h"

/* New reference; never NULL. */
json_t *pmf_json_result(const struct pmf_data *d, const struct pmf_problem *p,
                        const struct pmf_config *c, const struct pmf_solution *s,
                        const struct pmf_report *r);
/* Bootstrap summary: {runs, block, threshold, mapping, unmapped, stability,
 * intervals{p05, p25, p50, p75, p95}}. New reference. */
json_t *pmf_json_boot(const struct pmf_boot_config *b, const struct pmf_boot_result *r);
/* A rows × cols row-major matrix as an array of arrays. */
json_t *pmf_json_matrix(const double *v, size_t rows, size_t cols);

#endif
