/* siting_clip_pred — the exact and filtered predicates siting_clip.c,
 * siting_relate.c and siting_convex.c share: orientations (a double filter
 * that gives up, and an exact one in binary128), distances against the
 * tolerance CLIP_TOL, and a point's side of a convex project or a unit's
 * rings. Internal to those files. */
#ifndef ECOGOV_SITING_CLIP_PRED_H
#define ECOGOV_SITING_CLIP_PRED_H

#include "domain/siting_internal.h"

#include <math.h>
#include <stdbool.h>

/* Points and segments closer than this (degrees, ~0.1 mm) are "degenerate". */
#define CLIP_TOL 1e-9
/* Shewchuk's error bound for the orientation determinant in double. */
#define CLIP_ORIENT_BOUND 3.3306690738754716e-16

struct clip_pt {
    double x, y;
};

/* The sign of the turn a -> b -> c when the double filter decides it, else 0
 * (collinear or too close to call: the caller gives up). */
static inline int clip_orient(struct clip_pt a, struct clip_pt b, struct clip_pt c)
{
    double l = (b.x - a.x) * (c.y - a.y), r = (b.y - a.y) * (c.x - a.x);
    double det = l - r;
    double bound = CLIP_ORIENT_BOUND * (fabs(l) + fabs(r));
    return det > bound ? 1 : det < -bound ? -1 : 0;
}

static inline double clip_dist2_point_seg(struct clip_pt p, struct clip_pt a, struct clip_pt b)
{
    double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
    return ex * ex + ey * ey;
}

/* Segments known not to cross: farther apart than CLIP_TOL? */
static inline bool clip_apart(struct clip_pt a, struct clip_pt b, struct clip_pt c,
                              struct clip_pt d)
{
    /* Boxes farther apart than CLIP_TOL on an axis: so are the segments. */
    if (fmax(a.x, b.x) < fmin(c.x, d.x) - CLIP_TOL || fmin(a.x, b.x) > fmax(c.x, d.x) + CLIP_TOL ||
        fmax(a.y, b.y) < fmin(c.y, d.y) - CLIP_TOL || fmin(a.y, b.y) > fmax(c.y, d.y) + CLIP_TOL)
        return true;
    const double t2 = CLIP_TOL * CLIP_TOL;
    return clip_dist2_point_seg(a, c, d) > t2 && clip_dist2_point_seg(b, c, d) > t2 &&
           clip_dist2_point_seg(c, a, b) > t2 && clip_dist2_point_seg(d, a, b) > t2;
}

static inline bool clip_far(struct clip_pt a, struct clip_pt b)
{
    return fabs(a.x - b.x) > CLIP_TOL || fabs(a.y - b.y) > CLIP_TOL;
}

/* The exact sign of the turn a -> b -> c (0: collinear), or 2 when it cannot
 * be had: the filter first, then binary128 when the coordinate differences are
 * doubles exactly (coordinates of magnitude 2^-20 or more, or zero, differ by
 * at most 113 bits, so binary128 subtracts them exactly; two 53-bit factors
 * multiply exactly in it; and a rounded difference has the exact one's sign). */
static inline int clip_orient_exact(struct clip_pt a, struct clip_pt b, struct clip_pt c)
{
    int o = clip_orient(a, b, c);
    if (o)
        return o;
    /* Three points on one parallel or meridian: collinear, no arithmetic. */
    if ((a.y == b.y && b.y == c.y) || (a.x == b.x && b.x == c.x))
        return 0;
    const double v[6] = {a.x, a.y, b.x, b.y, c.x, c.y};
    for (int i = 0; i < 6; i++)
        if (v[i] != 0 && fabs(v[i]) < 0x1p-20)
            return 2;
    __float128 d[4] = {(__float128)b.x - a.x, (__float128)c.y - a.y, (__float128)b.y - a.y,
                       (__float128)c.x - a.x};
    for (int i = 0; i < 4; i++)
        if ((__float128)(double)d[i] != d[i])
            return 2;
    __float128 det = d[0] * d[1] - d[2] * d[3];
    return det > 0 ? 1 : det < 0 ? -1 : 0;
}

static inline struct clip_pt clip_edge_pt(const struct siting_convex *c, size_t i)
{
    return (struct clip_pt){c->x[i % c->n], c->y[i % c->n]};
}

/* 1 inside the project, 0 outside, -1 too close to call. */
static inline int clip_in_project(const struct siting_convex *c, struct clip_pt p)
{
    bool unsure = false;
    for (size_t i = 0; i < c->n; i++) {
        int o = clip_orient(clip_edge_pt(c, i), clip_edge_pt(c, i + 1), p);
        if (o < 0)
            return 0;
        if (!o)
            unsure = true;
    }
    return unsure ? -1 : 1;
}

/* A ray count of p against the unit's rings: 1 inside, 0 outside. Where the
 * double filter cannot tell p's side of a segment whose box holds it, -1
 * when !exact (on or too close to the boundary: the caller gives up); when
 * exact, the exact orientation decides, and 2 (on the boundary) when p is on
 * the segment's line (within its box: on the segment), -1 only when that
 * orientation cannot be had (clip_orient_exact). */
static inline int clip_ray_count(const struct siting_rings *r, struct clip_pt p, bool exact)
{
    bool inside = false;
    for (size_t ring = 0; ring < r->nrings; ring++) {
        for (size_t i = r->start[ring]; i + 1 < r->start[ring + 1]; i++) {
            struct clip_pt a = {r->xy[2 * i], r->xy[2 * i + 1]};
            struct clip_pt b = {r->xy[2 * i + 2], r->xy[2 * i + 3]};
            bool straddle = (a.y > p.y) != (b.y > p.y);
            bool in_box = p.x >= fmin(a.x, b.x) && p.x <= fmax(a.x, b.x) && p.y >= fmin(a.y, b.y) &&
                          p.y <= fmax(a.y, b.y);
            if (!straddle && !in_box)
                continue;
            int o = 0;
            if (in_box && !(o = clip_orient(a, b, p))) {
                if (!exact || (o = clip_orient_exact(a, b, p)) == 2)
                    return -1;
                if (!o)
                    return 2;
            }
            if (!straddle || p.x > fmax(a.x, b.x))
                continue;
            if (p.x < fmin(a.x, b.x) || (o > 0) == (b.y > a.y))
                inside = !inside;
        }
    }
    return inside;
}

/* 1 inside the unit, 0 outside, -1 on or too close to its boundary. */
static inline int clip_in_unit(const struct siting_rings *r, struct clip_pt p)
{
    return clip_ray_count(r, p, false);
}

#endif
