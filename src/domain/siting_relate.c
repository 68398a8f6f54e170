/* siting_relate — see siting_internal.h. How a unit and a convex project lie,
 * decided exactly from the unit's flat rings where that can be done and left
 * to GEOS otherwise: a point in, on or outside a unit (siting_rings_locate);
 * whether they are apart, meet, or one lies in the other's interior
 * (siting_clip_relate); and, for a project whose interior no unit boundary
 * enters, whether it is inside the unit (siting_clip_apart). */
#include "domain/siting_clip_pred.h"
#include "domain/siting_internal.h"

#include <math.h>

int siting_rings_locate(const struct siting_rings *r, double x, double y)
{
    if (r->start[r->nrings] - r->nrings > SITING_RELATE_MAX)
        return -1;
    return clip_ray_count(r, (struct clip_pt){x, y}, true);
}

/* ---- a project whose interior no unit boundary enters ---- */

/* Does segment a b stay out of the project's interior? 1 yes, 0 no, -1 not
 * decided. Separating axes of two convex sets: a project edge with both ends
 * on or outside its line, or the segment's line with the whole project on one
 * side (touching allowed either way). */
static int relate_outside_interior(const struct siting_convex *c, struct clip_pt a,
                                   struct clip_pt b)
{
    for (size_t m = 0; m < c->n; m++) {
        int oa = clip_orient_exact(clip_edge_pt(c, m), clip_edge_pt(c, m + 1), a);
        int ob = clip_orient_exact(clip_edge_pt(c, m), clip_edge_pt(c, m + 1), b);
        if (oa == 2 || ob == 2)
            return -1;
        if (oa <= 0 && ob <= 0)
            return 1;
    }
    bool left = false, right = false;
    for (size_t m = 0; m < c->n; m++) {
        int o = clip_orient_exact(a, b, clip_edge_pt(c, m));
        if (o == 2)
            return -1;
        left |= o > 0, right |= o < 0;
    }
    return !(left && right);
}

/* Is unit vertex v in the relative interior of a project edge (where the
 * overlay would add it to the project's ring) or inside? -1 not decided. */
static int relate_vertex_noded(const struct siting_convex *c, struct clip_pt v)
{
    int zeros = 0;
    for (size_t m = 0; m < c->n; m++) {
        int o = clip_orient_exact(clip_edge_pt(c, m), clip_edge_pt(c, m + 1), v);
        if (o == 2)
            return -1;
        if (o < 0)
            return 0;
        zeros += o == 0;
    }
    return zeros < 2; /* inside (0) or on one edge only (1); a project vertex: 2 */
}

int siting_clip_apart(const struct siting_rings *r, const struct siting_convex *c, int *inside)
{
    if (!r || !c || !c->n)
        return -1;
    const double *e = c->env;
    for (size_t ring = 0; ring < r->nrings; ring++)
        for (size_t i = r->start[ring]; i + 1 < r->start[ring + 1]; i++) {
            struct clip_pt a = {r->xy[2 * i], r->xy[2 * i + 1]};
            struct clip_pt b = {r->xy[2 * i + 2], r->xy[2 * i + 3]};
            if (fmax(a.x, b.x) < e[0] || fmin(a.x, b.x) > e[2] || fmax(a.y, b.y) < e[1] ||
                fmin(a.y, b.y) > e[3])
                continue;
            if (relate_vertex_noded(c, a) != 0 || relate_outside_interior(c, a, b) != 1)
                return -1;
        }
    /* No unit boundary in the interior: it lies wholly in or out of the unit. */
    struct clip_pt q = {(c->x[0] + c->x[1] + c->x[2]) / 3, (c->y[0] + c->y[1] + c->y[2]) / 3};
    int in = clip_in_project(c, q) == 1 ? clip_in_unit(r, q) : -1;
    if (in < 0)
        return -1;
    *inside = in;
    return 0;
}

double siting_convex_area_bound(const struct siting_convex *c)
{
    double xmin = c->px[0], xmax = c->px[0], dy = 0;
    for (size_t i = 0; i < c->n; i++) {
        xmin = fmin(xmin, c->px[i]), xmax = fmax(xmax, c->px[i]);
        dy += fabs(c->py[(i + 1) % c->n] - c->py[i]);
    }
    return (double)(c->n + 8) * 0x1p-51 * (xmax - xmin + 1) * (dy + 1);
}

/* ---- intersects ---- */

/* A proper crossing of a unit segment with a project edge (1), a contact
 * closer than CLIP_TOL that is not one (-1), or neither (0). */
static int relate_segment_meets(const struct siting_convex *c, struct clip_pt a, struct clip_pt b)
{
    const double *e = c->env;
    if (fmax(a.x, b.x) < e[0] - CLIP_TOL || fmin(a.x, b.x) > e[2] + CLIP_TOL ||
        fmax(a.y, b.y) < e[1] - CLIP_TOL || fmin(a.y, b.y) > e[3] + CLIP_TOL)
        return 0;
    int near = 0;
    for (size_t m = 0; m < c->n; m++) {
        struct clip_pt p = clip_edge_pt(c, m), q = clip_edge_pt(c, m + 1);
        if (clip_orient(p, q, a) * clip_orient(p, q, b) < 0 &&
            clip_orient(a, b, p) * clip_orient(a, b, q) < 0)
            return 1;
        if (!clip_apart(a, b, p, q))
            near = -1;
    }
    return near;
}

enum siting_relation siting_clip_relate(const struct siting_rings *r, const struct siting_convex *c)
{
    if (!r || !c->n || r->start[r->nrings] - r->nrings > SITING_RELATE_MAX)
        return SITING_REL_UNKNOWN;
    bool unsure = false;
    for (size_t ring = 0; ring < r->nrings; ring++)
        for (size_t i = r->start[ring]; i + 1 < r->start[ring + 1]; i++) {
            int m = relate_segment_meets(c, (struct clip_pt){r->xy[2 * i], r->xy[2 * i + 1]},
                                         (struct clip_pt){r->xy[2 * i + 2], r->xy[2 * i + 3]});
            if (m > 0) /* a proper crossing: neither is inside the other */
                return SITING_REL_MEETS;
            unsure |= m < 0;
        }
    if (unsure)
        return SITING_REL_UNKNOWN;
    /* The boundaries apart: each unit ring lies inside or outside the project,
     * and the project inside or outside the unit's rings, as its first vertex
     * does. Inside the unit's interior when that vertex is and no ring lies
     * inside it (a hole would); the unit inside the project when all its rings
     * do; apart when none does and the vertex is outside; else they meet. */
    int in = clip_in_unit(r, clip_edge_pt(c, 0));
    if (in < 0)
        return SITING_REL_UNKNOWN;
    size_t inside = 0;
    for (size_t ring = 0; ring < r->nrings; ring++) {
        size_t i = r->start[ring];
        int ip = clip_in_project(c, (struct clip_pt){r->xy[2 * i], r->xy[2 * i + 1]});
        if (ip < 0)
            return SITING_REL_UNKNOWN;
        inside += (size_t)ip;
    }
    if (in)
        return inside ? SITING_REL_MEETS : SITING_REL_IN_UNIT;
    return !inside               ? SITING_REL_DISJOINT
           : inside == r->nrings ? SITING_REL_IN_PROJECT
                                 : SITING_REL_MEETS;
}
