/* Fuzz target for the PMF input parser (domain/pmf_table, pmf_data).
 *
 * The input is parsed as an EPA PMF table. An accepted table is checked for
 * shape (species named, times unique and non-empty, every cell finite or
 * missing) and then pushed through both uncertainty paths: as its own
 * uncertainty file and with an MDL and error fraction of 0.1 per species; an
 * accepted data set must have finite, positive uncertainties and finite S/N.
 * Input that starts like a zip container goes through the .xlsx path first
 * (pmf_xlsx_to_text), whose text then meets the same checks. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/pmf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

static void fuzz_check_data(const struct pmf_data *d)
{
    for (size_t c = 0; c < d->rows * d->cols; c++) {
        FUZZ_CHECK(isfinite(d->x[c]));
        FUZZ_CHECK(isfinite(d->u[c]) && d->u[c] > 0);
    }
    for (size_t j = 0; j < d->cols; j++)
        FUZZ_CHECK(isfinite(d->sn[j]) && d->sn[j] >= 0);
}

static int fuzz_parse(const uint8_t *data, size_t size, struct pmf_table *t, struct pmf_error *err)
{
    if (!pmf_is_xlsx(data, size))
        return pmf_table_parse((const char *)data, size, t, err);
    char *text;
    size_t len;
    if (pmf_xlsx_to_text(data, size, &text, &len, err)) {
        FUZZ_CHECK(err->msg[0] != '\0');
        memset(t, 0, sizeof *t);
        return -1;
    }
    int rc = pmf_table_parse(text, len, t, err);
    free(text);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pmf_table t;
    struct pmf_error err;

    if (fuzz_parse(data, size, &t, &err)) {
        FUZZ_CHECK(err.msg[0] != '\0');
        FUZZ_CHECK(t.rows == 0 && t.cols == 0 && !t.v);
        return 0;
    }
    FUZZ_CHECK(t.cols >= 1 && t.cols < PMF_MAX_COLS);
    FUZZ_CHECK(t.rows >= PMF_MIN_ROWS && t.rows <= PMF_MAX_ROWS);
    for (size_t j = 0; j < t.cols; j++)
        FUZZ_CHECK(t.species[j][0] != '\0');
    for (size_t i = 0; i < t.rows; i++) {
        FUZZ_CHECK(t.times[i][0] != '\0');
        for (size_t k = i + 1; k < t.rows; k++)
            FUZZ_CHECK(strcmp(t.times[i], t.times[k]) != 0);
        for (size_t j = 0; j < t.cols; j++)
            FUZZ_CHECK(isnan(t.v[i * t.cols + j]) || isfinite(t.v[i * t.cols + j]));
    }

    struct pmf_data d;
    if (!pmf_data_from_unc(&t, &t, &d, &err)) {
        fuzz_check_data(&d);
        pmf_data_free(&d);
    }
    double *mdl = malloc(t.cols * sizeof *mdl), *ef = malloc(t.cols * sizeof *ef);
    for (size_t j = 0; j < t.cols; j++)
        mdl[j] = 0.01, ef[j] = 0.1;
    if (!pmf_data_from_mdl(&t, mdl, ef, &d, &err)) {
        fuzz_check_data(&d);
        struct pmf_problem p;
        if (!pmf_problem_from_data(&d, &p, &err))
            pmf_problem_free(&p);
        pmf_data_free(&d);
    }
    free(mdl);
    free(ef);
    pmf_table_free(&t);
    return 0;
}
