/* pmf_model — LS-NMF (Wang et al. 2006) and WS-NMF (weighted semi-NMF) as
 * EPA's ESAT runs them, through CBLAS and LAPACK; see pmf.h and docs/pmf.md.
 *
 * One iteration (ESAT esat/model/ls_nmf.py, SA.train):
 *   F ← F ∘ (Gᵀ(Wₑ∘X)) / (Gᵀ(Wₑ∘GF))
 *   G ← G ∘ ((Wₑ∘X)Fᵀ) / ((Wₑ∘GF)Fᵀ)        Wₑ = 1/U²
 * then Q(true) and Q(robust). In robust mode, after robust_n iterations, the
 * weights become 1/U'² with U' = U·sqrt(|r|/α) where the scaled residual
 * |r| > α, and Q(robust) is the figure that must settle. Converged when Q fell
 * by less than converge_delta across the last converge_n values of Q.
 *
 * WS-NMF (ESAT esat/model/ws_nmf.py, Rust ws_nmf), G free in sign, F ≥ 0:
 *   gᵢ ← argmin Σⱼ Wₑᵢⱼ (xᵢⱼ − gᵢ·fⱼ)²   (k × k weighted least squares per sample)
 *   fⱼ ← fⱼ ∘ sqrt((G⁺ᵀ(Wₑ∘X)ⱼ + G⁻ᵀDⱼG⁻fⱼ) / (G⁻ᵀ(Wₑ∘X)ⱼ + G⁺ᵀDⱼG⁺fⱼ))   per species j
 *   (G⁺, G⁻ the positive and negative parts of G, Dⱼ = diag of Wₑ's column j)
 * with the same Q, robust weights and convergence rule as LS-NMF. */
#include "domain/pmf.h"

#include <cblas.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dynlib.h"
#include "core/rng.h"
#include "core/xalloc.h"

/* How often (iterations) a run reports progress and may be cancelled. */
#define PMF_PROGRESS_EVERY 50
/* Added to WS-NMF's numerator and denominator (ESAT's Rust EPSILON). */
#define PMF_WS_EPSILON 1e-12
/* Eigenvalues below this share of the largest are dropped from the
 * pseudo-inverse of a singular normal matrix (ESAT falls back to pinv too). */
#define PMF_WS_RCOND 1e-12

/* LAPACK (OpenBLAS ships it; Debian has no LAPACKE header for it here): the
 * Fortran entry points, hidden string lengths last. */
extern void dposv_(const char *uplo, const int *n, const int *nrhs, double *a, const int *lda,
                   double *b, const int *ldb, int *info, size_t uplo_len);
extern void dsyev_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
                   double *w, double *work, const int *lwork, int *info, size_t jobz_len,
                   size_t uplo_len);

/* OpenBLAS (with gfortran), opened by the first PMF run rather than by every
 * command at start-up (core/dynlib.h): its library constructor also starts a
 * thread pool that spins for ~0.1 s of CPU. */
#define BLAS_API(X) X(cblas_dgemm) X(dposv_) X(dsyev_) X(openblas_set_num_threads)
struct blas_api {
    BLAS_API(DYNLIB_FIELD)
};
DYNLIB_ONCE(blas_api, "libopenblas.so.0", BLAS_API)

/* ---- random numbers: xoshiro256** seeded through splitmix64 (core/rng) ---- */

void pmf_rng_seed(struct pmf_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = rng_next(&seed);
}

static uint64_t pmf_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t pmf_rng_next(struct pmf_rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = pmf_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = pmf_rotl(s[3], 45);
    return out;
}

static double pmf_rng_unit(struct pmf_rng *r)
{
    return (double)(pmf_rng_next(r) >> 11) * 0x1.0p-53;
}

double pmf_rng_normal(struct pmf_rng *r)
{
    /* Box–Muller, one value per call: simpler to keep reproducible than a cache. */
    double u1 = pmf_rng_unit(r), u2 = pmf_rng_unit(r);
    if (u1 <= 0)
        u1 = 0x1.0p-53;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

uint64_t pmf_rng_below(struct pmf_rng *r, uint64_t n)
{
    uint64_t limit = UINT64_MAX - UINT64_MAX % n, v;
    do
        v = pmf_rng_next(r);
    while (v >= limit);
    return v % n;
}

/* ---- configuration ---- */

void pmf_config_default(struct pmf_config *c)
{
    *c = (struct pmf_config){
        .factors = 0,
        .runs = 20,
        .seed = 42,
        .robust = false,
        .max_iter = 20000,
        .converge_delta = 0.1,
        .converge_n = 100,
        .robust_n = 200,
        .robust_alpha = 4.0,
        .best_by_robust = true,
    };
}

static void pmf_model_err(struct pmf_error *e, const char *msg)
{
    memset(e, 0, sizeof *e);
    snprintf(e->msg, sizeof e->msg, "%s", msg);
}

int pmf_config_check(const struct pmf_config *c, const struct pmf_problem *p, struct pmf_error *err)
{
    if (c->factors < 1 || c->factors > PMF_MAX_FACTORS)
        return pmf_model_err(err, "factors must be between 1 and 20"), -1;
    if ((size_t)c->factors >= p->n || (size_t)c->factors >= p->m)
        return pmf_model_err(err, "factors must be fewer than the species and the samples"), -1;
    if (c->runs < 1 || c->runs > PMF_MAX_RUNS)
        return pmf_model_err(err, "runs must be between 1 and 200"), -1;
    if (c->max_iter < 1 || c->max_iter > PMF_MAX_ITER)
        return pmf_model_err(err, "max_iter must be between 1 and 100000"), -1;
    if (c->converge_n < 2 || c->converge_n > 10000 || !(c->converge_delta > 0))
        return pmf_model_err(err, "convergence window must be 2..10000 and delta > 0"), -1;
    if (c->robust_n < 0 || !(c->robust_alpha > 0))
        return pmf_model_err(err, "robust_n must be ≥ 0 and robust_alpha > 0"), -1;
    return 0;
}

/* ---- the algorithm ---- */

/* OpenBLAS's own threads would fight the server's and the other runs' for the
 * two cores, and these matrices are too small to gain from them: one thread. */
static pthread_once_t pmf_blas_once = PTHREAD_ONCE_INIT;
static void pmf_blas_single(void)
{
    blas_api_table.openblas_set_num_threads(1);
}

/* The BLAS table, set to one thread; NULL (why set) when it cannot load. */
static const struct blas_api *pmf_blas(const char **why)
{
    const struct blas_api *blas = blas_api_get(why);
    if (blas)
        pthread_once(&pmf_blas_once, pmf_blas_single);
    return blas;
}

int pmf_blas_check(struct pmf_error *err)
{
    const char *why = NULL;
    if (pmf_blas(&why))
        return 0;
    pmf_model_err(err, why);
    return -1;
}

void pmf_random_start(const struct pmf_problem *p, size_t k, uint64_t seed, double *g, double *f)
{
    struct pmf_rng r;
    pmf_rng_seed(&r, seed);
    for (size_t j = 0; j < p->n; j++) {
        double sum = 0;
        for (size_t i = 0; i < p->m; i++)
            sum += p->x[i * p->n + j];
        double scale = sqrt(fabs(sum) / (double)p->m / (double)k);
        for (size_t a = 0; a < k; a++)
            f[a * p->n + j] = scale;
    }
    for (size_t a = 0; a < k; a++)
        for (size_t j = 0; j < p->n; j++)
            f[a * p->n + j] = fabs(f[a * p->n + j] * pmf_rng_normal(&r));
    for (size_t i = 0; i < p->m; i++) {
        double sum = 0;
        for (size_t j = 0; j < p->n; j++)
            sum += p->x[i * p->n + j];
        double scale = sqrt(fabs(sum) / (double)p->n / (double)k);
        for (size_t a = 0; a < k; a++) {
            double v = scale * pmf_rng_normal(&r);
            g[i * k + a] = p->method == PMF_WS_NMF ? v : fabs(v);
        }
    }
}

/* Scratch space of one run. */
struct pmf_work {
    const struct blas_api *blas;
    size_t m, n, k;
    double *we;   /* m × n weights in use */
    double *wex;  /* m × n, we ∘ x */
    double *gf;   /* m × n */
    double *tmp;  /* m × n, we ∘ gf */
    double *num;  /* max(m, n) × k */
    double *den;  /* max(m, n) × k */
    double *ring; /* converge_n + 1 recent Q values */
    /* WS-NMF only (NULL for LS-NMF): */
    double *outer;  /* max(m, n) × k², products of pairs of factor values */
    double *normal; /* max(m, n) × k², normal matrices (per sample) or Gᵀ Dⱼ G (per species) */
    double *gpos, *gneg; /* m × k, G's positive and negative parts */
    double *wpos, *wneg; /* m × n, (we ∘ x)'s positive and negative parts */
    double *num2, *den2; /* n × k² for G⁻ᵀDⱼG⁻, G⁺ᵀDⱼG⁺ */
    double *solve;       /* k² + 9k scratch of one small solve */
};

static void pmf_work_init(struct pmf_work *w, const struct blas_api *blas,
                          const struct pmf_problem *p, size_t k, int window)
{
    w->blas = blas;
    size_t mn = p->m * p->n, big = (p->m > p->n ? p->m : p->n) * k;
    w->m = p->m, w->n = p->n, w->k = k;
    w->we = xmalloc(mn * sizeof *w->we);
    w->wex = xmalloc(mn * sizeof *w->wex);
    w->gf = xmalloc(mn * sizeof *w->gf);
    w->tmp = xmalloc(mn * sizeof *w->tmp);
    w->num = xmalloc(big * sizeof *w->num);
    w->den = xmalloc(big * sizeof *w->den);
    w->ring = xmalloc((size_t)window * sizeof *w->ring);
    w->outer = w->normal = w->gpos = w->gneg = w->wpos = w->wneg = w->num2 = w->den2 = w->solve =
        NULL;
    if (p->method == PMF_WS_NMF) {
        size_t kk = (p->m > p->n ? p->m : p->n) * k * k;
        w->outer = xmalloc(kk * sizeof *w->outer);
        w->normal = xmalloc(kk * sizeof *w->normal);
        w->num2 = xmalloc(p->n * k * k * sizeof *w->num2);
        w->den2 = xmalloc(p->n * k * k * sizeof *w->den2);
        w->gpos = xmalloc(p->m * k * sizeof *w->gpos);
        w->gneg = xmalloc(p->m * k * sizeof *w->gneg);
        w->wpos = xmalloc(mn * sizeof *w->wpos);
        w->wneg = xmalloc(mn * sizeof *w->wneg);
        w->solve = xmalloc((k * k + 9 * k) * sizeof *w->solve);
    }
    for (size_t c = 0; c < mn; c++) {
        w->we[c] = 1.0 / (p->u[c] * p->u[c]);
        w->wex[c] = w->we[c] * p->x[c];
    }
}

static void pmf_work_free(struct pmf_work *w)
{
    free(w->we);
    free(w->wex);
    free(w->gf);
    free(w->tmp);
    free(w->num);
    free(w->den);
    free(w->ring);
    free(w->outer);
    free(w->normal);
    free(w->num2);
    free(w->den2);
    free(w->gpos);
    free(w->gneg);
    free(w->wpos);
    free(w->wneg);
    free(w->solve);
}

/* out (rows × cols) = a ∘ num / den, keeping a where den is not positive (a dead
 * factor) rather than dividing by zero. */
static void pmf_mul_ratio(double *a, const double *num, const double *den, size_t count)
{
    for (size_t c = 0; c < count; c++)
        if (den[c] > 0)
            a[c] *= num[c] / den[c];
}

static void pmf_product(const struct pmf_work *w, const double *g, const double *f, double *out)
{
    w->blas->cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)w->m, (int)w->n, (int)w->k,
                         1.0, g, (int)w->k, f, (int)w->n, 0.0, out, (int)w->n);
}

static void pmf_weighted_gf(struct pmf_work *w)
{
    size_t mn = w->m * w->n;
    for (size_t c = 0; c < mn; c++)
        w->tmp[c] = w->we[c] * w->gf[c];
}

/* One LS-NMF update of f then g; leaves w->gf = g·f with the new g and f. */
static void pmf_update(struct pmf_work *w, double *g, double *f)
{
    int m = (int)w->m, n = (int)w->n, k = (int)w->k;

    pmf_weighted_gf(w);
    w->blas->cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, n, m, 1.0, g, k, w->wex, n,
                         0.0, w->num, n);
    w->blas->cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, n, m, 1.0, g, k, w->tmp, n,
                         0.0, w->den, n);
    pmf_mul_ratio(f, w->num, w->den, (size_t)k * w->n);

    pmf_product(w, g, f, w->gf);
    pmf_weighted_gf(w);
    w->blas->cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, k, n, 1.0, w->wex, n, f, n,
                         0.0, w->num, k);
    w->blas->cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, k, n, 1.0, w->tmp, n, f, n,
                         0.0, w->den, k);
    pmf_mul_ratio(g, w->num, w->den, w->m * (size_t)k);
    pmf_product(w, g, f, w->gf);
}

/* ---- WS-NMF ---- */

/* outer (rows × k²): row r holds a[r,·] ⊗ a[r,·]; a is rows × k with stride
 * sr between rows and sk between factors. */
static void pmf_ws_outer(const double *a, size_t rows, size_t k, size_t sr, size_t sk,
                         double *outer)
{
    for (size_t r = 0; r < rows; r++)
        for (size_t x = 0; x < k; x++)
            for (size_t y = 0; y < k; y++)
                outer[r * k * k + x * k + y] = a[r * sr + x * sk] * a[r * sr + y * sk];
}

/* Solves the symmetric k × k system a·g = b: Cholesky, or, when a is singular
 * (a dead factor), the pseudo-inverse from its eigenvalues (a is then
 * overwritten by its eigenvectors). scratch holds k² + 9k doubles. */
static void pmf_ws_solve(const struct blas_api *blas, int k, double *a, double *b, double *g,
                         double *scratch)
{
    int one = 1, info = 0;
    double *copy = scratch, *eig = scratch + k * k, *work = eig + k;
    int lwork = 8 * k;

    memcpy(copy, a, (size_t)k * (size_t)k * sizeof *a);
    memcpy(g, b, (size_t)k * sizeof *g);
    blas->dposv_("U", &k, &one, copy, &k, g, &k, &info, 1);
    if (info == 0)
        return;
    /* a = V Λ Vᵀ (column-major V in a) → g = V Λ⁺ Vᵀ b */
    blas->dsyev_("V", "U", &k, a, &k, eig, work, &lwork, &info, 1, 1);
    memset(g, 0, (size_t)k * sizeof *g);
    if (info != 0)
        return;
    double top = fabs(eig[k - 1]);
    for (int e = 0; e < k; e++) {
        if (!(eig[e] > PMF_WS_RCOND * top))
            continue;
        double dot = 0;
        for (int r = 0; r < k; r++)
            dot += a[e * k + r] * b[r];
        for (int r = 0; r < k; r++)
            g[r] += a[e * k + r] * dot / eig[e];
    }
}

/* G by weighted least squares, row by row: (F Dᵢ Fᵀ) gᵢ = F (Wₑ∘x)ᵢ. The normal
 * matrices of all samples come from one product: Wₑ (m × n) · (fⱼ ⊗ fⱼ) (n × k²). */
static void pmf_ws_update_g(struct pmf_work *w, double *g, const double *f)
{
    int m = (int)w->m, n = (int)w->n, k = (int)w->k, kk = k * k;

    pmf_ws_outer(f, w->n, w->k, 1, w->n, w->outer);
    w->blas->cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, kk, n, 1.0, w->we, n,
                         w->outer, kk, 0.0, w->normal, kk);
    w->blas->cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, k, n, 1.0, w->wex, n, f, n,
                         0.0, w->num, k);
    for (size_t i = 0; i < w->m; i++)
        pmf_ws_solve(w->blas, k, w->normal + i * (size_t)kk, w->num + i * (size_t)k,
                     g + i * (size_t)k, w->solve);
}

/* Σᵢ Wₑᵢⱼ a[i,·] ⊗ a[i,·] for every species j, as one product Wₑᵀ (n × m) · outer (m × k²). */
static void pmf_ws_species_normal(struct pmf_work *w, const double *a, double *out)
{
    int m = (int)w->m, n = (int)w->n, kk = (int)(w->k * w->k);
    pmf_ws_outer(a, w->m, w->k, w->k, 1, w->outer);
    w->blas->cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n, kk, m, 1.0, w->we, n, w->outer,
                         kk, 0.0, out, kk);
}

/* F ← F ∘ sqrt(num/den) (ESAT's update). ESAT's first terms are (Wₑ∘X)ᵀG⁺ over
 * (Wₑ∘X)ᵀG⁻, which turn negative with negative data and the square root then
 * fails; splitting Wₑ∘X into its positive and negative parts as well keeps
 * every term ≥ 0 and the same fixed point, and is ESAT's update exactly when
 * the data hold no negative value. */
static void pmf_ws_update_f(struct pmf_work *w, const double *g, double *f)
{
    int m = (int)w->m, n = (int)w->n, k = (int)w->k;
    size_t mk = w->m * w->k, mn = w->m * w->n, kk = w->k * w->k;

    for (size_t c = 0; c < mk; c++) {
        w->gpos[c] = g[c] > 0 ? g[c] : 0;
        w->gneg[c] = g[c] < 0 ? -g[c] : 0;
    }
    for (size_t c = 0; c < mn; c++) {
        w->wpos[c] = w->wex[c] > 0 ? w->wex[c] : 0;
        w->wneg[c] = w->wex[c] < 0 ? -w->wex[c] : 0;
    }
    /* num = G⁺ᵀ(We∘X)⁺ + G⁻ᵀ(We∘X)⁻, den = G⁻ᵀ(We∘X)⁺ + G⁺ᵀ(We∘X)⁻ (k × n) */
    w->blas->cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, n, m, 1.0, w->gpos, k, w->wpos,
                         n, 0.0, w->num, n);
    w->blas->cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, n, m, 1.0, w->gneg, k, w->wneg,
                         n, 1.0, w->num, n);
    w->blas->cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, n, m, 1.0, w->gneg, k, w->wpos,
                         n, 0.0, w->den, n);
    w->blas->cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, n, m, 1.0, w->gpos, k, w->wneg,
                         n, 1.0, w->den, n);
    pmf_ws_species_normal(w, w->gneg, w->num2);
    pmf_ws_species_normal(w, w->gpos, w->den2);
    for (size_t j = 0; j < w->n; j++)
        for (size_t b = 0; b < w->k; b++) {
            double n2 = 0, d2 = 0;
            for (size_t a = 0; a < w->k; a++) {
                n2 += f[a * w->n + j] * w->num2[j * kk + a * w->k + b];
                d2 += f[a * w->n + j] * w->den2[j * kk + a * w->k + b];
            }
            w->num[b * w->n + j] += n2 + PMF_WS_EPSILON;
            w->den[b * w->n + j] += d2 + PMF_WS_EPSILON;
        }
    for (size_t c = 0; c < w->k * w->n; c++)
        f[c] *= sqrt(w->num[c] / w->den[c]);
}

/* One WS-NMF update of g then f; leaves w->gf = g·f. */
static void pmf_ws_update(struct pmf_work *w, double *g, double *f)
{
    pmf_ws_update_g(w, g, f);
    pmf_ws_update_f(w, g, f);
    pmf_product(w, g, f, w->gf);
}

/* Q(true) and Q(robust) from w->gf; when robust_weights, w->we and w->wex take
 * the robust weights for the next iteration (ESAT metrics.qr_loss). */
static void pmf_q_from(struct pmf_work *w, const struct pmf_problem *p, double alpha,
                       bool robust_weights, double *qt, double *qr)
{
    size_t mn = w->m * w->n;
    double st = 0, sr = 0;
    for (size_t c = 0; c < mn; c++) {
        double u = p->u[c], r = (p->x[c] - w->gf[c]) / u, a = fabs(r);
        st += r * r;
        if (a > alpha) {
            sr += alpha * a; /* (r / sqrt(a/α))² */
            if (robust_weights)
                w->we[c] = alpha / (a * u * u);
        } else {
            sr += r * r;
            if (robust_weights)
                w->we[c] = 1.0 / (u * u);
        }
        if (robust_weights)
            w->wex[c] = w->we[c] * p->x[c];
    }
    *qt = st;
    *qr = sr;
}

void pmf_q(const struct pmf_problem *p, size_t k, const double *g, const double *f, double alpha,
           double *q_true, double *q_robust)
{
    const char *why = NULL;
    struct pmf_work w = {.blas = pmf_blas(&why), .m = p->m, .n = p->n, .k = k};
    if (!w.blas) {
        *q_true = *q_robust = NAN;
        return;
    }
    w.gf = xmalloc(p->m * p->n * sizeof *w.gf);
    pmf_product(&w, g, f, w.gf);
    pmf_q_from(&w, p, alpha, false, q_true, q_robust);
    free(w.gf);
}

/* ESAT's rule (src/lib.rs ls_nmf, the path BatchSA runs by default): keep the
 * last converge_n values of Q; once there are that many, converged when the
 * oldest minus the newest is below converge_delta. */
static bool pmf_converged(struct pmf_work *w, int window, int i, double q, double delta)
{
    w->ring[i % window] = q;
    if (i < window - 1)
        return false;
    double oldest = w->ring[(i - (window - 1)) % window];
    return oldest - q < delta;
}

int pmf_train(const struct pmf_problem *p, const struct pmf_config *c, double *g, double *f,
              struct pmf_run *out, pmf_progress_fn hook, void *ctx, struct pmf_progress *pr)
{
    struct pmf_work w;
    int i, done = 0;
    double qt = NAN, qr = NAN;

    const char *why = NULL;
    const struct blas_api *blas = pmf_blas(&why);
    if (!blas)
        return -1;
    pmf_work_init(&w, blas, p, (size_t)c->factors, c->converge_n);
    pmf_product(&w, g, f, w.gf);
    out->converged = false;
    for (i = 0; i < c->max_iter; i++) {
        bool robust_now = c->robust && i > c->robust_n;
        if (p->method == PMF_WS_NMF)
            pmf_ws_update(&w, g, f);
        else
            pmf_update(&w, g, f);
        pmf_q_from(&w, p, c->robust_alpha, robust_now, &qt, &qr);
        done = i + 1;
        double q = robust_now ? qr : qt;
        if (isnan(q))
            break;
        if (pmf_converged(&w, c->converge_n, i, q, c->converge_delta)) {
            out->converged = true;
            break;
        }
        if (hook && pr && (i + 1) % PMF_PROGRESS_EVERY == 0) {
            pr->iteration = i + 1;
            pr->q = q;
            if (hook(ctx, pr)) {
                done = -1;
                break;
            }
        }
    }
    pmf_work_free(&w);
    if (done < 0)
        return -1;
    out->iterations = done;
    pmf_q(p, (size_t)c->factors, g, f, c->robust_alpha, &out->q_true, &out->q_robust);
    return done;
}

int pmf_solve(const struct pmf_problem *p, const struct pmf_config *c, pmf_progress_fn hook,
              void *ctx, struct pmf_solution *s, struct pmf_error *err)
{
    memset(s, 0, sizeof *s);
    if (pmf_config_check(c, p, err) || pmf_blas_check(err))
        return -1;
    size_t k = (size_t)c->factors;
    struct pmf_rng master;
    struct pmf_progress pr = {.runs_total = c->runs};

    pmf_rng_seed(&master, c->seed);
    s->m = p->m, s->n = p->n, s->k = k;
    s->runs = xcalloc((size_t)c->runs, sizeof *s->runs);
    s->best = -1;
    for (int r = 0; r < c->runs; r++) {
        struct pmf_run *run = &s->runs[r];
        run->seed = pmf_rng_next(&master);
        run->g = xmalloc(p->m * k * sizeof *run->g);
        run->f = xmalloc(k * p->n * sizeof *run->f);
        s->nruns = r + 1;
        pmf_random_start(p, k, run->seed, run->g, run->f);
        if (pmf_train(p, c, run->g, run->f, run, hook, ctx, &pr) < 0)
            return 1;
        double q = c->best_by_robust ? run->q_robust : run->q_true;
        double best =
            s->best < 0 ? INFINITY
                        : (c->best_by_robust ? s->runs[s->best].q_robust : s->runs[s->best].q_true);
        if (!isnan(q) && q < best)
            s->best = r;
        pr.runs_done = r + 1;
        pr.q = q;
        if (hook && hook(ctx, &pr))
            return 1;
    }
    if (s->best < 0) {
        pmf_model_err(err, "every run diverged (Q is not a number); check the uncertainties");
        return -1;
    }
    return 0;
}

void pmf_solution_free(struct pmf_solution *s)
{
    if (!s)
        return;
    for (int r = 0; s->runs && r < s->nruns; r++) {
        free(s->runs[r].g);
        free(s->runs[r].f);
    }
    free(s->runs);
    memset(s, 0, sizeof *s);
}
