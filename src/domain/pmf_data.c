/* pmf_data — from parsed tables to the data the model sees: uncertainty
 * rules, missing values, categories, S/N; see pmf.h. */
#include "domain/pmf.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xalloc.h"

static void pmf_data_err(struct pmf_error *e, size_t line, const char *column, const char *fmt, ...)
{
    va_list ap;

    memset(e, 0, sizeof *e);
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->line = line;
    snprintf(e->column, sizeof e->column, "%s", column ? column : "");
}

static int pmf_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of the present (non-NAN) values of column j; NAN when none. */
static double pmf_column_median(const struct pmf_table *t, size_t j)
{
    double *tmp = xmalloc(t->rows * sizeof *tmp);
    size_t n = 0;

    for (size_t i = 0; i < t->rows; i++)
        if (!isnan(t->v[i * t->cols + j]))
            tmp[n++] = t->v[i * t->cols + j];
    double med = NAN;
    if (n) {
        qsort(tmp, n, sizeof *tmp, pmf_cmp_double);
        med = n % 2 ? tmp[n / 2] : (tmp[n / 2 - 1] + tmp[n / 2]) / 2;
    }
    free(tmp);
    return med;
}

static void pmf_data_alloc(const struct pmf_table *c, struct pmf_data *d)
{
    memset(d, 0, sizeof *d);
    d->rows = c->rows;
    d->cols = c->cols;
    d->species = xcalloc(c->cols, sizeof *d->species);
    d->times = xcalloc(c->rows, sizeof *d->times);
    for (size_t j = 0; j < c->cols; j++)
        d->species[j] = xstrdup(c->species[j]);
    for (size_t i = 0; i < c->rows; i++)
        d->times[i] = xstrdup(c->times[i]);
    d->x = xcalloc(c->rows * c->cols, sizeof *d->x);
    d->u = xcalloc(c->rows * c->cols, sizeof *d->u);
    d->category = xcalloc(c->cols, sizeof *d->category);
    d->sn = xcalloc(c->cols, sizeof *d->sn);
    d->missing = xcalloc(c->cols, sizeof *d->missing);
    d->below_mdl = xcalloc(c->cols, sizeof *d->below_mdl);
    d->total = -1;
}

/* EPA PMF 5.0 S/N: d_ij = (x_ij − s_ij)/s_ij when x_ij > s_ij, else 0;
 * S/N_j = mean_i d_ij (ESAT's DataHandler computes the same). */
static void pmf_data_sn(struct pmf_data *d)
{
    for (size_t j = 0; j < d->cols; j++) {
        double sum = 0;
        for (size_t i = 0; i < d->rows; i++) {
            double x = d->x[i * d->cols + j], s = d->u[i * d->cols + j];
            if (x > s)
                sum += (x - s) / s;
        }
        d->sn[j] = sum / (double)d->rows;
    }
}

/* Fills a missing cell per the guide; -1 when the whole species is missing. */
static int pmf_fill_missing(const struct pmf_table *c, struct pmf_data *d, size_t j,
                            struct pmf_error *err)
{
    double med = pmf_column_median(c, j);
    if (isnan(med) || med <= 0) {
        pmf_data_err(err, 0, c->species[j],
                     "species '%s' has missing values and no positive median to replace them; "
                     "mark it bad or remove it",
                     c->species[j]);
        return -1;
    }
    for (size_t i = 0; i < c->rows; i++)
        if (isnan(c->v[i * c->cols + j])) {
            d->x[i * d->cols + j] = med;
            d->u[i * d->cols + j] = 4 * med;
            d->missing[j]++;
        }
    return 0;
}

static int pmf_same_shape(const struct pmf_table *c, const struct pmf_table *u,
                          struct pmf_error *err)
{
    if (c->cols != u->cols) {
        pmf_data_err(err, 1, "",
                     "concentration file has %zu species, uncertainty file %zu: shapes differ",
                     c->cols, u->cols);
        return -1;
    }
    if (c->rows != u->rows) {
        pmf_data_err(err, 0, "",
                     "concentration file has %zu samples, uncertainty file %zu: shapes differ",
                     c->rows, u->rows);
        return -1;
    }
    for (size_t j = 0; j < c->cols; j++)
        if (strcmp(c->species[j], u->species[j])) {
            pmf_data_err(err, 1, c->species[j],
                         "species %zu is '%s' in the concentration file but '%s' in the "
                         "uncertainty file",
                         j + 1, c->species[j], u->species[j]);
            return -1;
        }
    for (size_t i = 0; i < c->rows; i++)
        if (strcmp(c->times[i], u->times[i])) {
            pmf_data_err(err, i + 2, "",
                         "sample %zu is '%s' in the concentration file but '%s' in the "
                         "uncertainty file",
                         i + 1, c->times[i], u->times[i]);
            return -1;
        }
    return 0;
}

int pmf_data_from_unc(const struct pmf_table *conc, const struct pmf_table *unc, struct pmf_data *d,
                      struct pmf_error *err)
{
    memset(d, 0, sizeof *d);
    if (pmf_same_shape(conc, unc, err))
        return -1;
    pmf_data_alloc(conc, d);
    for (size_t j = 0; j < conc->cols; j++) {
        bool any_missing = false;
        for (size_t i = 0; i < conc->rows; i++) {
            size_t at = i * conc->cols + j;
            double c = conc->v[at], s = unc->v[at];
            if (isnan(c)) {
                any_missing = true;
                continue;
            }
            if (isnan(s) || s <= 0) {
                pmf_data_err(err, i + 2, conc->species[j],
                             "uncertainty of '%s' at '%s' is %s; it must be > 0", conc->species[j],
                             conc->times[i], isnan(s) ? "missing" : "≤ 0");
                pmf_data_free(d);
                return -1;
            }
            d->x[at] = c;
            d->u[at] = s;
        }
        if (any_missing && pmf_fill_missing(conc, d, j, err)) {
            pmf_data_free(d);
            return -1;
        }
    }
    pmf_data_sn(d);
    return 0;
}

int pmf_data_from_mdl(const struct pmf_table *conc, const double *mdl, const double *ef,
                      struct pmf_data *d, struct pmf_error *err)
{
    memset(d, 0, sizeof *d);
    for (size_t j = 0; j < conc->cols; j++)
        if (!(mdl[j] > 0) || !isfinite(mdl[j]) || !(ef[j] > 0) || !isfinite(ef[j])) {
            pmf_data_err(err, 0, conc->species[j],
                         "species '%s' needs an MDL and an error fraction, both > 0",
                         conc->species[j]);
            return -1;
        }
    pmf_data_alloc(conc, d);
    for (size_t j = 0; j < conc->cols; j++) {
        bool any_missing = false;
        for (size_t i = 0; i < conc->rows; i++) {
            size_t at = i * conc->cols + j;
            double c = conc->v[at];
            if (isnan(c)) {
                any_missing = true;
                continue;
            }
            d->x[at] = c;
            if (c <= mdl[j]) {
                d->u[at] = 5.0 / 6.0 * mdl[j];
                d->below_mdl[j]++;
            } else {
                d->u[at] = hypot(ef[j] * c, 0.5 * mdl[j]); /* no overflow in the squares */
            }
        }
        if (any_missing && pmf_fill_missing(conc, d, j, err)) {
            pmf_data_free(d);
            return -1;
        }
    }
    pmf_data_sn(d);
    return 0;
}

static int pmf_data_find(const struct pmf_data *d, const char *species, struct pmf_error *err)
{
    for (size_t j = 0; j < d->cols; j++)
        if (!strcmp(d->species[j], species))
            return (int)j;
    pmf_data_err(err, 0, species, "no species named '%s' in the data", species);
    return -1;
}

int pmf_data_set_category(struct pmf_data *d, const char *species, enum pmf_category c,
                          struct pmf_error *err)
{
    int j = pmf_data_find(d, species, err);
    if (j < 0)
        return -1;
    d->category[j] = c;
    return 0;
}

int pmf_data_set_total(struct pmf_data *d, const char *species, struct pmf_error *err)
{
    int j = pmf_data_find(d, species, err);
    if (j < 0)
        return -1;
    d->total = j;
    d->category[j] = PMF_WEAK;
    return 0;
}

enum pmf_category pmf_sn_suggestion(double sn)
{
    if (sn < 0.5)
        return PMF_BAD;
    return sn < 1.0 ? PMF_WEAK : PMF_STRONG;
}

const char *pmf_category_name(enum pmf_category c)
{
    switch (c) {
    case PMF_WEAK:
        return "weak";
    case PMF_BAD:
        return "bad";
    default:
        return "strong";
    }
}

int pmf_category_parse(const char *s, enum pmf_category *out)
{
    static const char *const names[] = {"strong", "weak", "bad"};
    for (int i = 0; i < 3; i++)
        if (!strcasecmp(s, names[i])) {
            *out = (enum pmf_category)i;
            return 0;
        }
    return -1;
}

void pmf_data_free(struct pmf_data *d)
{
    if (!d)
        return;
    for (size_t j = 0; d->species && j < d->cols; j++)
        free(d->species[j]);
    for (size_t i = 0; d->times && i < d->rows; i++)
        free(d->times[i]);
    free(d->species);
    free(d->times);
    free(d->x);
    free(d->u);
    free(d->category);
    free(d->sn);
    free(d->missing);
    free(d->below_mdl);
    memset(d, 0, sizeof *d);
}

int pmf_problem_from_data(const struct pmf_data *d, struct pmf_problem *p, struct pmf_error *err)
{
    memset(p, 0, sizeof *p);
    size_t n = 0;
    for (size_t j = 0; j < d->cols; j++)
        n += d->category[j] != PMF_BAD;
    if (n < 2) {
        pmf_data_err(err, 0, "", "at least 2 species that are not 'bad' are needed");
        return -1;
    }
    p->m = d->rows;
    p->n = n;
    p->total = -1;
    p->x = xmalloc(p->m * n * sizeof *p->x);
    p->u = xmalloc(p->m * n * sizeof *p->u);
    p->col = xmalloc(n * sizeof *p->col);
    size_t c = 0;
    for (size_t j = 0; j < d->cols; j++) {
        if (d->category[j] == PMF_BAD)
            continue;
        double scale = d->category[j] == PMF_WEAK ? 3.0 : 1.0;
        p->col[c] = j;
        if ((int)j == d->total)
            p->total = (int)c;
        p->n_strong += d->category[j] == PMF_STRONG;
        for (size_t i = 0; i < p->m; i++) {
            /* Kept as given: a negative (blank-corrected) value chooses WS-NMF,
             * as in ESAT; pmf_problem_set_method reads it as 0 for LS-NMF. */
            double x = d->x[i * d->cols + j];
            p->x[i * n + c] = x;
            p->negatives += x < 0;
            p->u[i * n + c] = d->u[i * d->cols + j] * scale;
        }
        c++;
    }
    p->method = p->negatives ? PMF_WS_NMF : PMF_LS_NMF;
    return 0;
}

void pmf_problem_set_method(struct pmf_problem *p, enum pmf_method asked)
{
    if (asked == PMF_METHOD_AUTO)
        return;
    p->method = asked;
    if (asked != PMF_LS_NMF)
        return;
    /* LS-NMF's multiplicative updates need x ≥ 0. */
    for (size_t c = 0; c < p->m * p->n; c++)
        if (p->x[c] < 0)
            p->x[c] = 0;
}

const char *pmf_method_name(enum pmf_method m)
{
    return m == PMF_WS_NMF ? "ws-nmf" : m == PMF_LS_NMF ? "ls-nmf" : "auto";
}

int pmf_method_parse(const char *s, enum pmf_method *out)
{
    static const enum pmf_method all[] = {PMF_LS_NMF, PMF_WS_NMF, PMF_METHOD_AUTO};
    for (size_t i = 0; s && i < sizeof all / sizeof all[0]; i++)
        if (strcmp(s, pmf_method_name(all[i])) == 0) {
            *out = all[i];
            return 0;
        }
    return -1;
}

void pmf_problem_free(struct pmf_problem *p)
{
    if (!p)
        return;
    free(p->x);
    free(p->u);
    free(p->col);
    memset(p, 0, sizeof *p);
}
