/* siting_convex — see siting_internal.h. The project as the clip takes it: a
 * polygon of one ring read flat from GEOS, its turn (strictly convex and
 * simple, decided exactly), its vertices in counter-clockwise order with
 * their projections, and its area summed as GEOS sums it. */
#include "domain/siting_clip_pred.h"
#include "domain/siting_internal.h"

#include <math.h>

int siting_ring_turn(const double *xy, size_t n)
{
    if (n < 4)
        return 0;
    size_t m = n - 1;
    int turn = 0, first = 0, last = 0, flips = 0;
    for (size_t i = 0; i < m; i++) {
        struct clip_pt a = {xy[2 * i], xy[2 * i + 1]};
        struct clip_pt b = {xy[2 * ((i + 1) % m)], xy[2 * ((i + 1) % m) + 1]};
        struct clip_pt d = {xy[2 * ((i + 2) % m)], xy[2 * ((i + 2) % m) + 1]};
        int o = clip_orient(a, b, d);
        if (!o || (turn && o != turn))
            return 0;
        turn = o;
        /* Every turn one way and under 180°: the edges' direction goes round
         * k whole turns, crossing the vertical 2k times. */
        int s = b.x > a.x ? 1 : b.x < a.x ? -1 : 0;
        if (s && last && s != last)
            flips++;
        if (s)
            last = s, first = first ? first : s;
    }
    if (last != first)
        flips++;
    return flips == 2 ? turn : 0;
}

int siting_convex_init_flat(struct siting_convex *c, const double *xy, const double *pxy, size_t n,
                            int turn)
{
    c->n = 0;
    c->tried = true;
    if (n < 4 || n - 1 > SITING_CONVEX_MAX || !turn)
        return -1;
    size_t m = n - 1;
    for (size_t i = 0; i < m; i++) {
        struct clip_pt a = {xy[2 * i], xy[2 * i + 1]};
        struct clip_pt b = {xy[2 * ((i + 1) % m)], xy[2 * ((i + 1) % m) + 1]};
        struct clip_pt d = {xy[2 * ((i + 2) % m)], xy[2 * ((i + 2) % m) + 1]};
        /* No angle within ~0.006° of straight (a noded piece of an edge must
         * not lie along its neighbour). */
        double cross = (b.x - a.x) * (d.y - b.y) - (b.y - a.y) * (d.x - b.x);
        double la = hypot(b.x - a.x, b.y - a.y), lb = hypot(d.x - b.x, d.y - b.y);
        if (fabs(cross) <= 1e-4 * la * lb)
            return -1;
    }
    c->projected = pxy != NULL;
    /* Counter-clockwise, the project's interior on the left. */
    for (size_t i = 0; i < m; i++) {
        size_t k = (turn > 0 ? i : m - i) % m;
        c->x[i] = xy[2 * k], c->y[i] = xy[2 * k + 1];
        if (pxy)
            c->px[i] = pxy[2 * k], c->py[i] = pxy[2 * k + 1];
    }
    c->env[0] = c->env[2] = c->x[0], c->env[1] = c->env[3] = c->y[0];
    for (size_t i = 0; i < m; i++) {
        c->env[0] = fmin(c->env[0], c->x[i]), c->env[2] = fmax(c->env[2], c->x[i]);
        c->env[1] = fmin(c->env[1], c->y[i]), c->env[3] = fmax(c->env[3], c->y[i]);
    }
    c->n = m;
    return 0;
}

int siting_convex_init(struct siting_convex *c, GEOSContextHandle_t ctx, const GEOSGeometry *g)
{
    double xy[2 * (SITING_CONVEX_MAX + 1)];
    size_t n = siting_ring_flat(ctx, g, xy);
    c->n = 0;
    c->tried = true;
    return n ? siting_convex_init_flat(c, xy, NULL, n, siting_ring_turn(xy, n)) : -1;
}

double siting_ring_area(const double *xy, size_t n)
{
    if (n < 3)
        return 0;
    double x0 = xy[0], sum = 0;
    for (size_t i = 1; i + 1 < n; i++)
        sum += (xy[2 * i] - x0) * (xy[2 * i - 1] - xy[2 * i + 3]);
    return fabs(sum / 2.0);
}

size_t siting_ring_flat(GEOSContextHandle_t ctx, const GEOSGeometry *g, double *xy)
{
    const struct siting_geos *lib = siting_geos();
    if (lib->GEOSGeomTypeId_r(ctx, g) != GEOS_POLYGON || lib->GEOSGetNumInteriorRings_r(ctx, g))
        return 0;
    const GEOSCoordSequence *seq =
        lib->GEOSGeom_getCoordSeq_r(ctx, lib->GEOSGetExteriorRing_r(ctx, g));
    unsigned n = 0;
    if (!seq || !lib->GEOSCoordSeq_getSize_r(ctx, seq, &n) || n < 4 || n - 1 > SITING_CONVEX_MAX ||
        !lib->GEOSCoordSeq_copyToBuffer_r(ctx, seq, xy, 0, 0))
        return 0;
    return n;
}

double siting_area_bound(size_t n, const double *env)
{
    if (env[2] - env[0] > 5 || env[3] - env[1] > 5)
        return INFINITY;
    /* As siting_convex_area_bound, with the x extent and each segment's |dy|
     * bounded by the envelope's. */
    double xext = (env[2] - env[0]) * SITING_M_PER_DEG;
    double dy = (double)n * (env[3] - env[1]) * SITING_M_PER_DEG;
    return (double)(n + 8) * 0x1p-51 * (xext + 1) * (dy + 1);
}

double siting_geom_area_bound(GEOSContextHandle_t ctx, const GEOSGeometry *g)
{
    double e[4];
    int n = siting_geos()->GEOSGetNumCoordinates_r(ctx, g);
    if (n < 0 || !siting_geos()->GEOSGeom_getExtent_r(ctx, g, &e[0], &e[1], &e[2], &e[3]))
        return INFINITY;
    return siting_area_bound((size_t)n, e);
}
