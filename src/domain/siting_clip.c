/* siting_clip — see siting_internal.h. The overlap area of a unit and a convex
 * project polygon from the vertices GEOS's overlay (OverlayNG, floating
 * precision, GEOS 3.11) would put in the intersection, without the overlay.
 *
 * Why the vertices must be the same: the area is the planar area of the
 * intersection's lon/lat vertices after projection to Gauss–Krüger, where a
 * lon/lat edge is curved; another set of vertices along an edge gives another
 * area (docs/performance.md, GEOSClipByRect). The overlay's vertices are the
 * noded edges of both inputs that bound the result: project vertices inside
 * the unit, unit vertices inside the project and the crossing points of their
 * edges. A crossing point here is within a unit in the last place of the
 * exact one. GEOS 3.11's (LineIntersector → Intersection::intersection) is
 * computed in double, not double-double: on coordinates less the middle of the
 * segments' boxes, whose roundings (subtractions, products, differences: about
 * 29·u·M with u = 2^-53 and M the segments' extent) shift the lines, on an edge
 * that OverlayNG may first have cut to a box around the inputs (the cut end
 * rounded: half a unit of 2^-46° and ~3·u·M). Shifting a line by δ moves the
 * crossing by δ / sin θ along the other (θ the angle between them), so the two
 * points agree to within CLIP_ULPS + (CLIP_SHALLOW_ULPS +
 * M·CLIP_SHALLOW_ULPS_PER_DEG) / sin θ units of 2^-45° (M in degrees; about
 * twice those estimates). Measured (tests/unit/domain/test_siting_clip.c,
 * sin θ from 1e-8): GEOS's vertex is at most ~0.012 / sin θ units from the
 * exact crossing, ~1e4 at sin θ = 1e-6 — not "a few units" below sin θ ~ 1e-2.
 * A crossing whose allowance exceeds CLIP_TOL / 4 (sin θ below ~1e-4) is
 * refused, so the CLIP_TOL checks below still cover the move; the error bound
 * returned with the area includes what each moved vertex's allowance could do
 * to it, so the caller can tell whether the report could differ. A project
 * vertex exactly on a unit segment is the overlay's own vertex (clip_touch).
 * Everything that could make the overlay's
 * vertices differ otherwise returns "not decided" and the caller runs the overlay: any other vertex
 * on or within 1e-9° of the other's boundary, an orientation the floating-point filter cannot
 * decide, segments within 1e-9° of a crossing segment (the noded edges could then intersect again
 * and OverlayNG would switch to snapping), unit rings that touch, spikes, too much work. */
#include "core/xalloc.h"
#include "domain/siting_clip_pred.h"
#include "domain/siting_internal.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* More crossings or pair tests than this: the overlay is the cheaper path. */
#define CLIP_MAX_CROSSINGS 64
#define CLIP_MAX_PAIRS 200000
/* Whole-unit scans (point in unit per project vertex, neighbours per crossing
 * segment) cost segments × (vertices + crossings): beyond this, the overlay. */
#define CLIP_MAX_SCAN 8000000
#define CLIP_CACHE 32
/* How far GEOS's crossing point may be from ours, in units of 2^-45° (the
 * last place at |lon| < 256): CLIP_ULPS for the roundings of the point itself,
 * plus (CLIP_SHALLOW_ULPS + CLIP_SHALLOW_ULPS_PER_DEG × the segments' extent in
 * degrees) / sin θ for the roundings that move a segment (see the top); and a
 * bound on metres per degree in a Gauss–Krüger zone. */
#define CLIP_ULPS 4
#define CLIP_SHALLOW_ULPS 0.5
#define CLIP_SHALLOW_ULPS_PER_DEG 0.25
#define CLIP_M_PER_DEG SITING_M_PER_DEG
/* Units with at most this many segments are checked for touching rings pairwise. */
#define CLIP_SMALL_UNIT 64
#define CLIP_SEG_STORE 64

struct clip_cross {
    size_t seg;  /* index into the near unit segments */
    size_t edge; /* project edge */
    struct clip_pt at;
    double along_seg, along_edge;
    double ulps; /* how far GEOS's point may be from at (clip_crossing) */
};

struct clip_seg {
    size_t ring, i; /* unit segment ring[i] -> ring[i + 1] */
    struct clip_pt a, b;
};

/* ---- the unit's rings, flat ---- */

void siting_rings_project(struct siting_rings *r, siting_project_fn project, void *zone)
{
    if (!r || r->pxy)
        return;
    size_t n = r->start[r->nrings];
    double *pxy = xmalloc((n ? 2 * n : 1) * sizeof *pxy);
    for (size_t i = 0; i < n; i++) {
        pxy[2 * i] = r->xy[2 * i], pxy[2 * i + 1] = r->xy[2 * i + 1];
        if (!project(&pxy[2 * i], &pxy[2 * i + 1], zone)) {
            free(pxy);
            return;
        }
    }
    r->pxy = pxy, r->pzone = zone;
}

double siting_rings_area(const struct siting_rings *r)
{
    if (!r->pxy)
        return -1;
    /* As GEOS: a polygon's area is its shell's less its holes', the
     * polygons' areas added in order. */
    double area = 0, poly = 0;
    for (size_t ring = 0; ring < r->nrings; ring++) {
        double a =
            siting_ring_area(r->pxy + 2 * r->start[ring], r->start[ring + 1] - r->start[ring]);
        if (r->shell[ring]) {
            if (ring)
                area += poly;
            poly = a;
        } else {
            poly -= a;
        }
    }
    return area + poly;
}

void siting_rings_free(struct siting_rings *r)
{
    if (!r)
        return;
    free(r->pxy);
    if (!r->packed) {
        free(r->start);
        free(r->xy);
        free(r->dir);
        free(r->shell);
    }
    free(r);
}

/* r's arrays moved into one block with r itself (coordinates first, for their
 * alignment), so a test reads one place rather than four: the new r. */
static struct siting_rings *clip_rings_pack(struct siting_rings *r)
{
    assert(!r->pxy); /* projected after packing: freeing r would free it */
    size_t nxy = 2 * r->start[r->nrings], nstart = r->nrings + 1;
    struct siting_rings *p = xmalloc(sizeof *p + nxy * sizeof *p->xy + nstart * sizeof *p->start +
                                     r->nrings * (sizeof *p->dir + sizeof *p->shell));
    *p = *r;
    p->packed = true;
    p->xy = (double *)(p + 1);
    p->start = (size_t *)(p->xy + nxy);
    p->dir = (signed char *)(p->start + nstart);
    p->shell = (bool *)(p->dir + r->nrings);
    memcpy(p->xy, r->xy, nxy * sizeof *p->xy);
    memcpy(p->start, r->start, nstart * sizeof *p->start);
    memcpy(p->dir, r->dir, r->nrings * sizeof *p->dir);
    memcpy(p->shell, r->shell, r->nrings * sizeof *p->shell);
    siting_rings_free(r);
    return p;
}

static int clip_ring_add(GEOSContextHandle_t ctx, const GEOSGeometry *ring, bool shell,
                         struct siting_rings *r, size_t *cap)
{
    const struct siting_geos *g = siting_geos();
    const GEOSCoordSequence *seq = g->GEOSGeom_getCoordSeq_r(ctx, ring);
    unsigned n = 0;
    if (!seq || !g->GEOSCoordSeq_getSize_r(ctx, seq, &n) || n < 4)
        return -1;
    size_t base = r->start[r->nrings];
    if (base + n > *cap) {
        while (base + n > *cap)
            *cap = *cap ? *cap * 2 : 64;
        r->xy = xrealloc(r->xy, *cap * 2 * sizeof *r->xy);
    }
    if (!g->GEOSCoordSeq_copyToBuffer_r(ctx, seq, r->xy + 2 * base, 0, 0))
        return -1;
    /* Twice the signed area (shifted to the first vertex): the ring's turn. */
    const double *p = r->xy + 2 * base;
    double sum = 0;
    for (unsigned i = 0; i + 1 < n; i++)
        sum += (p[2 * i] - p[0]) * (p[2 * i + 3] - p[1]) -
               (p[2 * i + 2] - p[0]) * (p[2 * i + 1] - p[1]);
    if (!(fabs(sum) > 1e-18))
        return -1;
    /* +1 when the ring has the unit's interior on its left. */
    r->dir = xrealloc(r->dir, (r->nrings + 1) * sizeof *r->dir);
    r->dir[r->nrings] = (signed char)((sum > 0) == shell ? 1 : -1);
    r->shell = xrealloc(r->shell, (r->nrings + 1) * sizeof *r->shell);
    r->shell[r->nrings] = shell;
    r->nrings++;
    r->start = xrealloc(r->start, (r->nrings + 1) * sizeof *r->start);
    r->start[r->nrings] = base + n;
    return 0;
}

static int clip_polygon_add(GEOSContextHandle_t ctx, const GEOSGeometry *poly,
                            struct siting_rings *r, size_t *cap)
{
    const struct siting_geos *g = siting_geos();
    if (clip_ring_add(ctx, g->GEOSGetExteriorRing_r(ctx, poly), true, r, cap))
        return -1;
    int holes = g->GEOSGetNumInteriorRings_r(ctx, poly);
    for (int h = 0; h < holes; h++)
        if (clip_ring_add(ctx, g->GEOSGetInteriorRingN_r(ctx, poly, h), false, r, cap))
            return -1;
    return 0;
}

/* Do the rings touch nowhere (no two segments but a ring's consecutive ones
 * within CLIP_TOL)? Pairwise for small units, GEOS's simplicity test of the
 * boundary otherwise. */
static bool clip_rings_apart(GEOSContextHandle_t ctx, const GEOSGeometry *unit,
                             const struct siting_rings *r)
{
    size_t nseg = r->start[r->nrings] - r->nrings;
    if (nseg > CLIP_SMALL_UNIT) {
        const struct siting_geos *g = siting_geos();
        GEOSGeometry *boundary = g->GEOSBoundary_r(ctx, unit);
        char simple = boundary ? g->GEOSisSimple_r(ctx, boundary) : 0;
        if (boundary)
            g->GEOSGeom_destroy_r(ctx, boundary);
        return simple == 1;
    }
    for (size_t ra = 0; ra < r->nrings; ra++)
        for (size_t i = r->start[ra]; i + 1 < r->start[ra + 1]; i++)
            for (size_t rb = ra; rb < r->nrings; rb++)
                for (size_t j = rb == ra ? i + 1 : r->start[rb]; j + 1 < r->start[rb + 1]; j++) {
                    if (rb == ra &&
                        (j == i + 1 || (i == r->start[ra] && j + 2 == r->start[ra + 1])))
                        continue; /* consecutive */
                    const double *p = r->xy + 2 * i, *q = r->xy + 2 * j;
                    if (!clip_apart((struct clip_pt){p[0], p[1]}, (struct clip_pt){p[2], p[3]},
                                    (struct clip_pt){q[0], q[1]}, (struct clip_pt){q[2], q[3]}))
                        return false;
                }
    return true;
}

struct siting_rings *siting_rings_new(GEOSContextHandle_t ctx, const GEOSGeometry *unit)
{
    const struct siting_geos *g = siting_geos();
    struct siting_rings *r = xcalloc(1, sizeof *r);
    r->start = xcalloc(1, sizeof *r->start);
    size_t cap = 0;
    int rc = 0;
    if (g->GEOSGeomTypeId_r(ctx, unit) == GEOS_POLYGON) {
        rc = clip_polygon_add(ctx, unit, r, &cap);
    } else {
        int parts = g->GEOSGetNumGeometries_r(ctx, unit);
        for (int i = 0; i < parts && !rc; i++)
            rc = clip_polygon_add(ctx, g->GEOSGetGeometryN_r(ctx, unit, i), r, &cap);
    }
    /* Rings that touch (a hole on its shell, parts of a multipolygon meeting)
     * are noded by the overlay at the touching point: not handled here. */
    if (rc || !r->nrings || !clip_rings_apart(ctx, unit, r)) {
        siting_rings_free(r);
        return NULL;
    }
    const double *p = r->xy;
    r->env[0] = r->env[2] = p[0], r->env[1] = r->env[3] = p[1];
    for (size_t i = 0; i < r->start[r->nrings]; i++) {
        r->env[0] = fmin(r->env[0], p[2 * i]), r->env[2] = fmax(r->env[2], p[2 * i]);
        r->env[1] = fmin(r->env[1], p[2 * i + 1]), r->env[3] = fmax(r->env[3], p[2 * i + 1]);
    }
    return clip_rings_pack(r);
}

/* ---- predicates ---- */

/* One coordinate of the crossing, num / den computed in binary128 with the
 * absolute error bound err: the double the binary128 quotient rounds to (within
 * a unit in the last place of the exact value, not always the nearest double),
 * or NAN when err is not well below a unit in the last place of the double. */
static double clip_round(__float128 num, __float128 den, __float128 err)
{
    __float128 v = num / den;
    double d = (double)v;
    if (!isfinite(d))
        return NAN;
    __float128 ulp = (__float128)nextafter(d, INFINITY) - (__float128)d;
    return err * 8 < ulp ? d : NAN;
}

static __float128 clip_abs(__float128 v)
{
    return v < 0 ? -v : v;
}

/* How far GEOS's point where segments p1p2 and q1q2 meet may be from the exact
 * one, in units of 2^-45° (see the top), given the sine of their angle. */
static double clip_allowance(struct clip_pt p1, struct clip_pt p2, struct clip_pt q1,
                             struct clip_pt q2, double sin_angle)
{
    double extent = fmax(fmax(fabs(p1.x - p2.x), fabs(p1.y - p2.y)),
                         fmax(fabs(q1.x - q2.x), fabs(q1.y - q2.y)));
    return CLIP_ULPS + (CLIP_SHALLOW_ULPS + extent * CLIP_SHALLOW_ULPS_PER_DEG) / sin_angle;
}

/* The crossing of proper crossing segments p1p2 and q1q2, within a unit in
 * the last place of the exact point (homogeneous coordinates as GEOS's line
 * intersector, in binary128 with a generous bound of 2^-96 relative to the
 * terms), and in *ulps how far GEOS's point may be from it (see the top): 0,
 * or -1 when the bound is not well below a unit in the last place or the
 * crossing is too shallow. */
static int clip_crossing(struct clip_pt p1, struct clip_pt p2, struct clip_pt q1, struct clip_pt q2,
                         struct clip_pt *out, double *ulps)
{
    /* A horizontal and a vertical segment cross at a point with their own
     * coordinates, which GEOS returns exactly (its intersection is computed
     * less the middle of the segments' common box: here that middle is the
     * crossing itself, so the reduced point is 0 and added back exactly; and
     * cutting an edge to OverlayNG's box keeps its x or y): no allowance. */
    *ulps = 0;
    if (p1.y == p2.y && q1.x == q2.x)
        return *out = (struct clip_pt){q1.x, p1.y}, 0;
    if (p1.x == p2.x && q1.y == q2.y)
        return *out = (struct clip_pt){p1.x, q1.y}, 0;
    *ulps = CLIP_ULPS;
    __float128 px = (__float128)p1.y - p2.y, py = (__float128)p2.x - p1.x;
    __float128 pa = (__float128)p1.x * p2.y, pb = (__float128)p2.x * p1.y, pw = pa - pb;
    __float128 qx = (__float128)q1.y - q2.y, qy = (__float128)q2.x - q1.x;
    __float128 qa = (__float128)q1.x * q2.y, qb = (__float128)q2.x * q1.y, qw = qa - qb;
    __float128 x = py * qw - qy * pw, y = qx * pw - px * qw, w = px * qy - qx * py;
    if (w == 0)
        return -1;
    const __float128 rel = (__float128)0x1p-96;
    __float128 pmag = clip_abs(pa) + clip_abs(pb), qmag = clip_abs(qa) + clip_abs(qb);
    __float128 ex = rel * (clip_abs(py) * qmag + clip_abs(qy) * pmag) * 4;
    __float128 ey = rel * (clip_abs(qx) * pmag + clip_abs(px) * qmag) * 4;
    __float128 ew = rel * (clip_abs(px * qy) + clip_abs(qx * py)) * 4;
    __float128 aw = clip_abs(w);
    if (ew * 4 > aw)
        return -1;
    /* How far GEOS's point may be from ours (see the top), in units of
     * 2^-45°; beyond CLIP_TOL / 4 (sin θ below ~1e-4) the CLIP_TOL checks
     * would no longer cover the move, and the overlay decides. */
    double sin_angle = (double)aw / (hypot((double)px, (double)py) * hypot((double)qx, (double)qy));
    *ulps = clip_allowance(p1, p2, q1, q2, sin_angle);
    if (!(*ulps * 0x1p-45 <= CLIP_TOL / 4))
        return -1;
    __float128 vx = clip_abs(x / w), vy = clip_abs(y / w);
    out->x = clip_round(x, w, (ex + vx * ew) / aw * 2 + rel * vx);
    out->y = clip_round(y, w, (ey + vy * ew) / aw * 2 + rel * vy);
    return isnan(out->x) || isnan(out->y) ? -1 : 0;
}

/* ---- the overlap ---- */

struct clip {
    const struct siting_rings *r;
    struct siting_convex *c;
    siting_project_fn project;
    void *zone;
    double env[4]; /* the envelopes' intersection */
    struct clip_seg *segs;
    size_t nsegs, segcap;
    struct clip_cross cross[CLIP_MAX_CROSSINGS];
    size_t ncross;
    /* Project vertices lying exactly on a unit segment (clip_touch): the
     * segment's index, or -1; and how far along it. */
    long touch_seg[SITING_CONVEX_MAX];
    double touch_along[SITING_CONVEX_MAX], touch_ulps[SITING_CONVEX_MAX];
    size_t ntouch;
    /* the area sum (projected, relative to the first project vertex) and what
     * its rounding error is bounded by */
    long double sum;
    double xmin, xmax, dy_total;
    /* Σ over the pieces of their length (m) times the mean of their ends'
     * allowances (units of 2^-45°), and the largest allowance. */
    double moved, ulps;
    size_t pieces;
    struct clip_pt cache_ll[CLIP_CACHE], cache_xy[CLIP_CACHE];
    size_t ncache, cache_next;
    struct clip_seg seg_store[CLIP_SEG_STORE]; /* segs until more are needed */
};

/* The projected point of lon/lat p: each point of an intersection is used by
 * two pieces, and a projection costs more than the rest of a piece. */
static void clip_cache_put(struct clip *k, struct clip_pt ll, struct clip_pt xy)
{
    for (size_t i = 0; i < k->ncache; i++)
        if (k->cache_ll[i].x == ll.x && k->cache_ll[i].y == ll.y)
            return;
    size_t slot = k->ncache < CLIP_CACHE ? k->ncache++ : k->cache_next++ % CLIP_CACHE;
    k->cache_ll[slot] = ll, k->cache_xy[slot] = xy;
}

static int clip_projected(struct clip *k, struct clip_pt p, struct clip_pt *out)
{
    for (size_t i = 0; i < k->ncache; i++)
        if (k->cache_ll[i].x == p.x && k->cache_ll[i].y == p.y)
            return *out = k->cache_xy[i], 0;
    struct clip_pt q = p;
    if (!k->project(&q.x, &q.y, k->zone))
        return -1;
    clip_cache_put(k, p, q);
    *out = q;
    return 0;
}

/* How far GEOS's vertex may be from point p of a piece: a crossing's or a
 * touching project vertex's allowance; 0 for an input vertex, which GEOS
 * keeps as it is. */
static double clip_allowance_at(const struct clip *k, struct clip_pt p)
{
    double d = 0;
    for (size_t j = 0; j < k->ncross; j++)
        if (k->cross[j].at.x == p.x && k->cross[j].at.y == p.y)
            d = fmax(d, k->cross[j].ulps);
    for (size_t v = 0; v < k->c->n && k->ntouch; v++)
        if (k->touch_seg[v] >= 0 && k->c->x[v] == p.x && k->c->y[v] == p.y)
            d = fmax(d, k->touch_ulps[v]);
    return d;
}

/* Adds the projected piece a -> b (sign: +1 or -1) to the sum. */
static int clip_piece(struct clip *k, struct clip_pt a, struct clip_pt b, int sign)
{
    struct clip_pt pa, pb;
    if (clip_projected(k, a, &pa) || clip_projected(k, b, &pb))
        return -1;
    double ox = k->c->px[0], oy = k->c->py[0];
    long double ax = pa.x - ox, ay = pa.y - oy, bx = pb.x - ox, by = pb.y - oy;
    k->sum += sign * (ax * by - bx * ay);
    k->xmin = fmin(k->xmin, fmin(pa.x, pb.x)), k->xmax = fmax(k->xmax, fmax(pa.x, pb.x));
    k->dy_total += fabs(pb.y - pa.y);
    double moves = clip_allowance_at(k, a) + clip_allowance_at(k, b);
    if (moves > 0)
        k->moved += hypot(pb.x - pa.x, pb.y - pa.y) * moves / 2;
    k->pieces++;
    return 0;
}

/* The unit segments that can meet the project (their boxes within CLIP_TOL). */
static void clip_near_segments(struct clip *k)
{
    const struct siting_rings *r = k->r;
    const double *e = k->c->env;
    for (size_t ring = 0; ring < r->nrings; ring++) {
        for (size_t i = r->start[ring]; i + 1 < r->start[ring + 1]; i++) {
            struct clip_pt a = {r->xy[2 * i], r->xy[2 * i + 1]};
            struct clip_pt b = {r->xy[2 * i + 2], r->xy[2 * i + 3]};
            if (fmax(a.x, b.x) < e[0] - CLIP_TOL || fmin(a.x, b.x) > e[2] + CLIP_TOL ||
                fmax(a.y, b.y) < e[1] - CLIP_TOL || fmin(a.y, b.y) > e[3] + CLIP_TOL)
                continue;
            if (a.x == b.x && a.y == b.y)
                continue; /* a repeated point: the overlay drops it too */
            if (k->nsegs == k->segcap) {
                bool heap = k->segs != k->seg_store;
                k->segcap *= 2;
                struct clip_seg *grown =
                    xrealloc(heap ? k->segs : NULL, k->segcap * sizeof *k->segs);
                if (!heap)
                    memcpy(grown, k->seg_store, sizeof k->seg_store);
                k->segs = grown;
            }
            k->segs[k->nsegs++] = (struct clip_seg){ring, i, a, b};
        }
    }
}

/* Project vertex v lies exactly on unit segment s, inside it and away from
 * its ends, its neighbours and every other unit segment clearly off it: the
 * overlay nodes s at v, the project's own point (GEOS's line intersector
 * copies an endpoint lying on the other segment), unless OverlayNG first cut
 * s to a box around the inputs, rounding its ends, which may move the meeting
 * by an allowance as for a crossing. 0 when so (recorded once for both of
 * v's edges), -1 otherwise. */
static int clip_touch(struct clip *k, size_t s, size_t v)
{
    const struct siting_convex *c = k->c;
    if (k->touch_seg[v] == (long)s)
        return 0;
    if (k->touch_seg[v] >= 0)
        return -1;
    const double t2 = CLIP_TOL * CLIP_TOL;
    struct clip_pt a = k->segs[s].a, b = k->segs[s].b;
    struct clip_pt at = clip_edge_pt(c, v), u = clip_edge_pt(c, v + c->n - 1),
                   w = clip_edge_pt(c, v + 1);
    if (clip_orient_exact(a, b, at) != 0 || !clip_far(at, a) || !clip_far(at, b) ||
        (at.x - a.x) * (b.x - a.x) + (at.y - a.y) * (b.y - a.y) <= 0 ||
        (at.x - b.x) * (a.x - b.x) + (at.y - b.y) * (a.y - b.y) <= 0)
        return -1;
    if (clip_dist2_point_seg(u, a, b) <= t2 || clip_dist2_point_seg(w, a, b) <= t2 ||
        !clip_orient(a, b, u) || !clip_orient(a, b, w))
        return -1;
    for (size_t i = 0; i < k->nsegs; i++)
        if (i != s && clip_dist2_point_seg(at, k->segs[i].a, k->segs[i].b) <= t2)
            return -1;
    double ulps = 0, len = hypot(b.x - a.x, b.y - a.y);
    for (int e = 0; e < 2; e++) {
        struct clip_pt o = e ? w : u;
        double cross = (b.x - a.x) * (o.y - at.y) - (b.y - a.y) * (o.x - at.x);
        double sin_angle = fabs(cross) / (len * hypot(o.x - at.x, o.y - at.y));
        ulps = fmax(ulps, clip_allowance(a, b, at, o, sin_angle));
    }
    if (!(ulps * 0x1p-45 <= CLIP_TOL / 4) || k->ntouch == SITING_CONVEX_MAX)
        return -1;
    k->ulps = fmax(k->ulps, ulps);
    k->touch_ulps[v] = ulps;
    k->touch_seg[v] = (long)s;
    k->touch_along[v] = (at.x - a.x) * (b.x - a.x) + (at.y - a.y) * (b.y - a.y);
    k->ntouch++;
    return 0;
}

/* Unit segment s and project edge m, closer than CLIP_TOL without crossing:
 * 0 when they meet only at an end of m lying on s (clip_touch), else -1. */
static int clip_touch_pair(struct clip *k, size_t s, size_t m)
{
    const struct siting_convex *c = k->c;
    const double t2 = CLIP_TOL * CLIP_TOL;
    struct clip_pt a = k->segs[s].a, b = k->segs[s].b;
    struct clip_pt p = clip_edge_pt(c, m), q = clip_edge_pt(c, m + 1);
    bool p_on = clip_dist2_point_seg(p, a, b) <= t2, q_on = clip_dist2_point_seg(q, a, b) <= t2;
    if (p_on == q_on || clip_dist2_point_seg(a, p, q) <= t2 || clip_dist2_point_seg(b, p, q) <= t2)
        return -1;
    return clip_touch(k, s, p_on ? m : (m + 1) % c->n);
}

/* Every near unit segment against every project edge: proper crossings
 * recorded, project vertices exactly on a segment recorded (clip_touch),
 * anything else closer than CLIP_TOL refused. */
static int clip_crossings(struct clip *k)
{
    const struct siting_convex *c = k->c;
    if (k->nsegs * c->n > CLIP_MAX_PAIRS)
        return -1;
    for (size_t s = 0; s < k->nsegs; s++) {
        struct clip_pt a = k->segs[s].a, b = k->segs[s].b;
        for (size_t m = 0; m < c->n; m++) {
            struct clip_pt p = clip_edge_pt(c, m), q = clip_edge_pt(c, m + 1);
            int oa = clip_orient(p, q, a), ob = clip_orient(p, q, b);
            int op = clip_orient(a, b, p), oq = clip_orient(a, b, q);
            if (oa * ob < 0 && op * oq < 0) {
                struct clip_pt x;
                double ulps;
                if (k->ncross == CLIP_MAX_CROSSINGS || clip_crossing(a, b, p, q, &x, &ulps) ||
                    !clip_far(x, a) || !clip_far(x, b) || !clip_far(x, p) || !clip_far(x, q))
                    return -1;
                /* GEOS keeps a crossing inside both segments' boxes. */
                if (x.x < fmin(a.x, b.x) || x.x > fmax(a.x, b.x) || x.y < fmin(a.y, b.y) ||
                    x.y > fmax(a.y, b.y) || x.x < fmin(p.x, q.x) || x.x > fmax(p.x, q.x) ||
                    x.y < fmin(p.y, q.y) || x.y > fmax(p.y, q.y))
                    return -1;
                k->ulps = fmax(k->ulps, ulps);
                k->cross[k->ncross++] =
                    (struct clip_cross){s,
                                        m,
                                        x,
                                        (x.x - a.x) * (b.x - a.x) + (x.y - a.y) * (b.y - a.y),
                                        (x.x - p.x) * (q.x - p.x) + (x.y - p.y) * (q.y - p.y),
                                        ulps};
            } else if (!clip_apart(a, b, p, q) && clip_touch_pair(k, s, m)) {
                return -1;
            }
        }
    }
    return 0;
}

/* GEOS's crossing may sit up to its allowance (at most CLIP_TOL / 4, see
 * clip_crossing) from ours, moving its segments' pieces by as much (and
 * OverlayNG's box cut may move a segment's far end by a rounding): no
 * other unit segment may come within CLIP_TOL of a crossing segment, anywhere
 * along it (the overlay's noding check would then find new intersections and
 * switch to snapping), nor fold back along it. */
static int clip_separated_seg(struct clip *k, size_t seg, size_t *checked)
{
    const struct siting_rings *r = k->r;
    {
        const struct clip_seg *s = &k->segs[seg];
        size_t first = r->start[s->ring], last = r->start[s->ring + 1] - 2;
        size_t prev = s->i == first ? last : s->i - 1, next = s->i == last ? first : s->i + 1;
        double x0 = fmin(s->a.x, s->b.x) - CLIP_TOL, x1 = fmax(s->a.x, s->b.x) + CLIP_TOL;
        double y0 = fmin(s->a.y, s->b.y) - CLIP_TOL, y1 = fmax(s->a.y, s->b.y) + CLIP_TOL;
        for (size_t ring = 0; ring < r->nrings; ring++)
            for (size_t i = r->start[ring]; i + 1 < r->start[ring + 1]; i++) {
                struct clip_pt a = {r->xy[2 * i], r->xy[2 * i + 1]};
                struct clip_pt b = {r->xy[2 * i + 2], r->xy[2 * i + 3]};
                if ((ring == s->ring && i == s->i) || fmax(a.x, b.x) < x0 || fmin(a.x, b.x) > x1 ||
                    fmax(a.y, b.y) < y0 || fmin(a.y, b.y) > y1 || (a.x == b.x && a.y == b.y))
                    continue;
                if (++*checked > CLIP_MAX_PAIRS)
                    return -1;
                if (ring != s->ring || (i != prev && i != next)) {
                    if (!clip_apart(s->a, s->b, a, b))
                        return -1;
                    continue;
                }
                /* The shared vertex, and the other ends seen from it. */
                struct clip_pt v = i == prev ? s->a : s->b;
                struct clip_pt u = i == prev ? s->b : s->a, w = i == prev ? a : b;
                double ux = u.x - v.x, uy = u.y - v.y, wx = w.x - v.x, wy = w.y - v.y;
                if (ux * wx + uy * wy > 0 &&
                    fabs(ux * wy - uy * wx) <= 1e-4 * hypot(ux, uy) * hypot(wx, wy))
                    return -1;
            }
    }
    return 0;
}

/* clip_separated_seg for every segment with a crossing or a touch. */
static int clip_separated(struct clip *k)
{
    size_t checked = 0;
    for (size_t j = 0; j < k->ncross; j++) {
        if (j && k->cross[j].seg == k->cross[j - 1].seg)
            continue;
        if (clip_separated_seg(k, k->cross[j].seg, &checked))
            return -1;
    }
    for (size_t v = 0; v < k->c->n && k->ntouch; v++)
        if (k->touch_seg[v] >= 0 && clip_separated_seg(k, (size_t)k->touch_seg[v], &checked))
            return -1;
    return 0;
}

static void clip_sort(double *t, struct clip_pt *p, size_t n)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && t[j] < t[j - 1]; j--) {
            double tt = t[j];
            t[j] = t[j - 1], t[j - 1] = tt;
            struct clip_pt pp = p[j];
            p[j] = p[j - 1], p[j - 1] = pp;
        }
}

/* The pieces of a -> b between its crossings pts[0..n) (sorted along it) that
 * lie inside, starting inside when in_a; the end must agree with in_b. */
static int clip_walk(struct clip *k, struct clip_pt a, struct clip_pt b, const struct clip_pt *pts,
                     size_t n, int in_a, int in_b, int sign)
{
    if (in_a < 0 || in_b < 0 || (in_a ^ (int)(n & 1)) != in_b)
        return -1;
    struct clip_pt from = a;
    int inside = in_a;
    for (size_t i = 0; i <= n; i++) {
        struct clip_pt to = i < n ? pts[i] : b;
        if (i && i < n && !clip_far(pts[i - 1], pts[i]))
            return -1;
        if (inside && clip_piece(k, from, to, sign))
            return -1;
        inside = !inside;
        from = to;
    }
    return 0;
}

/* As clip_walk, for a unit segment through a project vertex (clip_touch), where
 * it may enter the project or only touch it: each piece inside when its middle
 * is (decided by the filter, else refused). */
static int clip_walk_by_middles(struct clip *k, struct clip_pt a, struct clip_pt b,
                                const struct clip_pt *pts, size_t n, int in_a, int in_b, int sign)
{
    if (in_a < 0 || in_b < 0)
        return -1;
    struct clip_pt from = a;
    for (size_t i = 0; i <= n; i++) {
        struct clip_pt to = i < n ? pts[i] : b;
        if (!clip_far(from, to))
            return -1;
        int in = clip_in_project(k->c, (struct clip_pt){(from.x + to.x) / 2, (from.y + to.y) / 2});
        if (in < 0 || (i == 0 && in != in_a) || (i == n && in != in_b))
            return -1;
        if (in && clip_piece(k, from, to, sign))
            return -1;
        from = to;
    }
    return 0;
}

/* The unit's pieces inside the project, each in its ring's direction that has
 * the unit's interior on the left. */
static int clip_unit_pieces(struct clip *k)
{
    size_t j = 0;
    for (size_t s = 0; s < k->nsegs; s++) {
        const struct clip_seg *g = &k->segs[s];
        double t[2];
        struct clip_pt p[2];
        size_t n = 0;
        for (; j < k->ncross && k->cross[j].seg == s; j++) {
            if (n == 2)
                return -1; /* a segment crosses a convex boundary at most twice */
            t[n] = k->cross[j].along_seg, p[n++] = k->cross[j].at;
        }
        bool touched = false;
        for (size_t v = 0; v < k->c->n && k->ntouch; v++)
            if (k->touch_seg[v] == (long)s) {
                if (n == 2)
                    return -1;
                t[n] = k->touch_along[v], p[n++] = clip_edge_pt(k->c, v), touched = true;
            }
        clip_sort(t, p, n);
        int in_a = clip_in_project(k->c, g->a), in_b = clip_in_project(k->c, g->b);
        /* An end inside the project is a vertex of the overlap: its projection
         * from the unit's own, when made for this zone (the same function on
         * the same point). */
        const double *pxy = k->r->pzone == k->zone ? k->r->pxy : NULL;
        if (pxy && in_a == 1)
            clip_cache_put(k, g->a, (struct clip_pt){pxy[2 * g->i], pxy[2 * g->i + 1]});
        if (pxy && in_b == 1)
            clip_cache_put(k, g->b, (struct clip_pt){pxy[2 * g->i + 2], pxy[2 * g->i + 3]});
        if (touched ? clip_walk_by_middles(k, g->a, g->b, p, n, in_a, in_b, k->r->dir[g->ring])
                    : clip_walk(k, g->a, g->b, p, n, in_a, in_b, k->r->dir[g->ring]))
            return -1;
    }
    return 0;
}

/* The project's edge pieces inside the unit. */
static int clip_project_pieces(struct clip *k)
{
    const struct siting_convex *c = k->c;
    /* Whether each vertex's edges start (from) and end (to) inside the unit: the
     * vertex's own side, or for a vertex on a unit segment (clip_touch) the
     * side of the segment the edge's other end is on. */
    int from[SITING_CONVEX_MAX], to[SITING_CONVEX_MAX];
    for (size_t m = 0; m < c->n; m++) {
        long s = k->touch_seg[m];
        if (s < 0) {
            if ((from[m] = to[m] = clip_in_unit(k->r, clip_edge_pt(c, m))) < 0)
                return -1;
            continue;
        }
        const struct clip_seg *g = &k->segs[s];
        int dir = k->r->dir[g->ring];
        from[m] = clip_orient(g->a, g->b, clip_edge_pt(c, m + 1)) == dir;
        to[m] = clip_orient(g->a, g->b, clip_edge_pt(c, m + c->n - 1)) == dir;
    }
    double t[CLIP_MAX_CROSSINGS];
    struct clip_pt p[CLIP_MAX_CROSSINGS];
    for (size_t m = 0; m < c->n; m++) {
        size_t n = 0;
        for (size_t j = 0; j < k->ncross; j++)
            if (k->cross[j].edge == m)
                t[n] = k->cross[j].along_edge, p[n++] = k->cross[j].at;
        clip_sort(t, p, n);
        if (clip_walk(k, clip_edge_pt(c, m), clip_edge_pt(c, m + 1), p, n, from[m],
                      to[(m + 1) % c->n], 1))
            return -1;
    }
    return 0;
}

int siting_clip_area(const struct siting_rings *r, struct siting_convex *c,
                     siting_project_fn project, void *zone, double *area, double *err)
{
    if (!r || !c || !c->n)
        return -1;
    if (!c->projected) {
        for (size_t i = 0; i < c->n; i++) {
            c->px[i] = c->x[i], c->py[i] = c->y[i];
            if (!project(&c->px[i], &c->py[i], zone))
                return -1;
        }
        c->projected = true;
    }
    /* Field by field: the arrays (some 8 KB) are filled as they are used, and
     * clearing them cost more than the rest of a typical overlap. */
    struct clip k;
    k.r = r, k.c = c, k.project = project, k.zone = zone;
    k.segs = k.seg_store, k.nsegs = 0, k.segcap = CLIP_SEG_STORE;
    k.ncross = k.ntouch = k.pieces = k.ncache = k.cache_next = 0;
    k.sum = 0, k.dy_total = k.moved = k.ulps = 0;
    for (size_t i = 0; i < c->n; i++)
        k.touch_seg[i] = -1;
    for (size_t i = 0; i < c->n && k.ncache < CLIP_CACHE; i++) {
        k.cache_ll[k.ncache] = (struct clip_pt){c->x[i], c->y[i]};
        k.cache_xy[k.ncache++] = (struct clip_pt){c->px[i], c->py[i]};
    }
    k.env[0] = fmax(r->env[0], c->env[0]), k.env[1] = fmax(r->env[1], c->env[1]);
    k.env[2] = fmin(r->env[2], c->env[2]), k.env[3] = fmin(r->env[3], c->env[3]);
    if (!(k.env[2] > k.env[0] && k.env[3] > k.env[1]))
        return -1;
    if ((double)(r->start[r->nrings] - r->nrings) * (double)(c->n + CLIP_MAX_CROSSINGS) >
        CLIP_MAX_SCAN)
        return -1;
    k.xmin = INFINITY, k.xmax = -INFINITY;
    clip_near_segments(&k);
    int rc = clip_crossings(&k);
    if (!rc)
        rc = clip_separated(&k);
    if (!rc)
        rc = clip_unit_pieces(&k);
    if (!rc)
        rc = clip_project_pieces(&k);
    if (k.segs != k.seg_store)
        free(k.segs);
    double a = (double)(k.sum / 2);
    if (rc || !(a >= 0) || !isfinite(a))
        return -1;
    /* GEOS sums each result ring from its first vertex in double: at most
     * (n + 8) roundings of terms bounded by the x extent times |dy|; ours is
     * far below that (long double, same terms). And each crossing (or
     * touching project vertex) may sit up to its allowance, d units of 2^-45°
     * in x and in y, from GEOS's (clip_crossing; 0 for an exact crossing, the
     * other vertices being the inputs'): at most √2·d·CLIP_M_PER_DEG metres.
     * Moving vertex V by δ changes the area by δ × (V_next − V_prev) / 2, at
     * most |δ| times the mean of its two pieces' lengths (k.moved sums that
     * over the pieces, each end's share); moving two neighbours adds at most
     * |δ|² a pair. */
    if (!k.pieces)
        k.xmin = k.xmax = 0;
    *area = a;
    double dmax = k.ulps * 0x1p-45 * CLIP_M_PER_DEG * M_SQRT2;
    *err = (double)(k.pieces + 8) * 0x1p-51 * (k.xmax - k.xmin + 1) * (k.dy_total + 1) +
           k.moved * 0x1p-45 * CLIP_M_PER_DEG * M_SQRT2 + (double)k.pieces * dmax * dmax;
    return 0;
}
