/* The full check's overlap areas without GEOS's overlay (siting_clip.c) against
 * the overlay itself: random units (many-vertex star-shaped shells, holes,
 * two-part multipolygons, edges at every angle), random convex projects
 * (ellipse polygons, rotated and axis-parallel rectangles, up to 0.6° wide)
 * placed across their boundaries, and dyadic boxes on shared edges and
 * corners. Every report must be byte-identical (reals with 17 digits) with
 * the fast path on and off, and the fast path must have decided a good part of
 * the partial overlaps (else this test would compare the overlay with itself). */
#include "core/rng.h"
#include "domain/siting.h"
#include "domain/siting_internal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NUNITS 40
#define NCHECKS 1500

static json_t *ring_star(uint64_t *s, double cx, double cy, double r0, double r1, int n,
                         bool clockwise)
{
    json_t *ring = json_array();
    double phase = rng_unit(s) * 6.283185307179586;
    for (int i = 0; i < n; i++) {
        int k = clockwise ? n - i : i;
        double a = phase + 6.283185307179586 * (k + 0.4 * rng_unit(s)) / n;
        double r = r0 + (r1 - r0) * rng_unit(s);
        json_array_append_new(ring, json_pack("[ff]", cx + r * cos(a), cy + r * sin(a)));
    }
    json_array_append(ring, json_array_get(ring, 0));
    return ring;
}

/* A star-shaped shell around (cx, cy), perhaps with a hole well inside it. */
static json_t *star_polygon(uint64_t *s, double cx, double cy, double size)
{
    json_t *rings = json_array();
    int n = 6 + (int)(rng_unit(s) * 120);
    /* Either orientation for either ring (GeoJSON asks for counter-clockwise
     * shells; files do not always follow it). */
    bool cw = rng_unit(s) < 0.3;
    json_array_append_new(rings, ring_star(s, cx, cy, size * 0.6, size, n, cw));
    if (rng_unit(s) < 0.6) {
        int m = 5 + (int)(rng_unit(s) * 30);
        cw = rng_unit(s) < 0.7;
        json_array_append_new(rings, ring_star(s, cx + size * 0.05, cy - size * 0.05, size * 0.15,
                                               size * 0.35, m, cw));
    }
    return rings;
}

/* The unit set of a FeatureCollection of these features (reference stolen),
 * loaded through the GeoJSON import as users' files are. */
static struct siting_units *units_from_features(json_t *features)
{
    json_t *fc = json_pack("{ss so}", "type", "FeatureCollection", "features", features);
    char *text = json_dumps(fc, JSON_REAL_PRECISION(17));
    char err[256] = "";
    struct siting_units *u = siting_units_from_geojson(text, strlen(text), err, sizeof err);
    free(text);
    json_decref(fc);
    if (!u)
        fail_msg("units: %s", err);
    return u;
}

static struct siting_units *random_units(uint64_t *s, double *cx, double *cy, double *size)
{
    json_t *features = json_array();
    for (int i = 0; i < NUNITS; i++) {
        cx[i] = 117 + rng_unit(s) * 3, cy[i] = 29 + rng_unit(s) * 3;
        size[i] = 0.005 + rng_unit(s) * 0.4;
        json_t *geom;
        if (i % 4 == 3) {
            json_t *parts = json_array();
            json_array_append_new(parts, star_polygon(s, cx[i], cy[i], size[i] * 0.45));
            json_array_append_new(
                parts, star_polygon(s, cx[i] + size[i], cy[i] + size[i] * 0.3, size[i] * 0.4));
            geom = json_pack("{ss so}", "type", "MultiPolygon", "coordinates", parts);
        } else {
            geom = json_pack("{ss so}", "type", "Polygon", "coordinates",
                             star_polygon(s, cx[i], cy[i], size[i]));
        }
        char code[32];
        snprintf(code, sizeof code, "ZH360222%d%04d", 1 + i % 3, i);
        json_array_append_new(features, json_pack("{ss s{ss ss si} so}", "type", "Feature",
                                                  "properties", "code", code, "name", "单元",
                                                  "class", 1 + i % 3, "geometry", geom));
    }
    return units_from_features(features);
}

/* A convex polygon across a unit's edge: points on an ellipse or a rectangle,
 * at an angle or axis-parallel. */
static json_t *random_project(uint64_t *s, double cx, double cy, double size)
{
    double a = rng_unit(s) * 6.283185307179586, d = size * (0.5 + 0.7 * rng_unit(s));
    double px = cx + d * cos(a), py = cy + d * sin(a);
    double w = size * (0.02 + 1.5 * rng_unit(s)), h = w * (0.2 + rng_unit(s));
    if (w > 0.6)
        w = 0.6, h = fmin(h, 0.6);
    double rot = rng_unit(s) < 0.4 ? 0 : rng_unit(s) * 3.141592653589793;
    json_t *ring = json_array();
    int kind = (int)(rng_unit(s) * 2);
    int n = kind ? 3 + (int)(rng_unit(s) * 20) : 4;
    for (int i = 0; i < n; i++) {
        double t = kind ? 6.283185307179586 * (i + 0.5 * rng_unit(s)) / n
                        : 6.283185307179586 * (i + 0.5) / 4;
        double ex = w / 2 * (kind ? cos(t) : (cos(t) > 0 ? 1 : -1));
        double ey = h / 2 * (kind ? sin(t) : (sin(t) > 0 ? 1 : -1));
        double x = px + ex * cos(rot) - ey * sin(rot), y = py + ex * sin(rot) + ey * cos(rot);
        json_array_append_new(ring, json_pack("[ff]", x, y));
    }
    json_array_append(ring, json_array_get(ring, 0));
    if (rng_unit(s) < 0.5) { /* clockwise as often */
        json_t *rev = json_array();
        for (size_t i = json_array_size(ring); i-- > 0;)
            json_array_append(rev, json_array_get(ring, i));
        json_decref(ring);
        ring = rev;
    }
    return json_pack("{ss s[o]}", "type", "Polygon", "coordinates", ring);
}

/* The report for geom with the fast path on or off, as text; NULL when the
 * geometry was refused (the same either way). */
static char *report(struct siting_units *u, json_t *geom, bool clip, const char *industry)
{
    json_t *wgs = NULL;
    char err[256];
    if (siting_location_parse(geom, SITING_WGS84, &wgs, err, sizeof err))
        return NULL;
    u->clip_off = !clip;
    json_t *r = siting_check(u, wgs, industry, err, sizeof err);
    char *text = r ? json_dumps(r, JSON_COMPACT | JSON_REAL_PRECISION(17)) : NULL;
    json_decref(r);
    json_decref(wgs);
    return text;
}

static void compare(struct siting_units *u, json_t *geom, const char *industry, int *compared)
{
    char *slow = report(u, geom, false, industry);
    char *fast = report(u, geom, true, industry);
    if (!slow != !fast || (slow && strcmp(slow, fast))) {
        char *g = json_dumps(geom, JSON_REAL_PRECISION(17));
        fail_msg("reports differ for %s:\noverlay: %s\nfast:    %s", g, slow, fast);
    }
    if (slow)
        ++*compared;
    free(slow);
    free(fast);
}

static void test_random_convex(void **state)
{
    (void)state;
    uint64_t s = 20261205;
    double cx[NUNITS], cy[NUNITS], size[NUNITS];
    struct siting_units *u = random_units(&s, cx, cy, size);
    int compared = 0;
    for (int i = 0; i < NCHECKS; i++) {
        int k = (int)(rng_unit(&s) * NUNITS);
        json_t *g = random_project(&s, cx[k], cy[k], size[k]);
        compare(u, g, i % 2 ? "C3074" : "C2662", &compared);
        json_decref(g);
    }
    /* The overlay itself was used for the "off" half; the fast path must have
     * decided most partial overlaps of these generic shapes. */
    assert_true(compared > NCHECKS / 2);
    assert_true(u->clip_hits > NCHECKS / 3);
    siting_units_free(u);
}

/* Dyadic squares sharing edges and corners, boxes on those edges, corners and
 * across them: the degenerate cases the fast path must hand to the overlay. */
static int bent(double *x, double *y, void *zone);

/* 16 squares of 1/16° on the 1/256° grid sharing edges and corners, every
 * third with a square hole 4/256° in from its edges. */
static struct siting_units *dyadic_units(void)
{
    const double q = 1.0 / 256;
    json_t *features = json_array();
    for (int i = 0; i < 16; i++) {
        double x0 = 117 + (i % 4) * 16 * q, y0 = 29 + (i / 4) * 16 * q, x1 = x0 + 16 * q,
               y1 = y0 + 16 * q;
        json_t *rings =
            json_pack("[[[ff][ff][ff][ff][ff]]]", x0, y0, x1, y0, x1, y1, x0, y1, x0, y0);
        if (i % 3 == 1)
            json_array_append_new(rings, json_pack("[[ff][ff][ff][ff][ff]]", x0 + 4 * q, y0 + 4 * q,
                                                   x0 + 4 * q, y1 - 4 * q, x1 - 4 * q, y1 - 4 * q,
                                                   x1 - 4 * q, y0 + 4 * q, x0 + 4 * q, y0 + 4 * q));
        char code[32];
        snprintf(code, sizeof code, "ZH3602221%04d", i);
        json_array_append_new(features,
                              json_pack("{ss s{ss ss si} s{ss so}}", "type", "Feature",
                                        "properties", "code", code, "name", "格", "class", 1,
                                        "geometry", "type", "Polygon", "coordinates", rings));
    }
    return units_from_features(features);
}

/* A box on the grid with a size on it (equal to a square or a hole, touching
 * edges and corners), on the grid with an off-grid size, or anywhere. */
static json_t *dyadic_box(uint64_t *s, int i)
{
    const double q = 1.0 / 256;
    double x = 117 + rng_unit(s) * 64 * q, y = 29 + rng_unit(s) * 64 * q;
    double w = rng_unit(s) * 48 * q, h = rng_unit(s) * 48 * q;
    if (i % 3 != 2)
        x = round(x / q) * q, y = round(y / q) * q;
    if (i % 3 == 0)
        w = fmax(1, round(w / q / 4) * 4) * q, h = fmax(1, round(h / q / 4) * 4) * q;
    else
        w += q / 8, h += q / 8;
    return json_pack("{ss s[[[ff][ff][ff][ff][ff]]]}", "type", "Polygon", "coordinates", x, y,
                     x + w, y, x + w, y + h, x, y + h, x, y);
}

/* Dyadic boxes on shared edges, corners and holes: the degenerate cases, which
 * the fast path decides only when no unit boundary enters the box and hands to
 * the overlay otherwise. */
static void test_dyadic_edges(void **state)
{
    (void)state;
    struct siting_units *u = dyadic_units();
    uint64_t s = 7;
    int compared = 0;
    for (int i = 0; i < 900; i++) {
        json_t *g = dyadic_box(&s, i);
        compare(u, g, "C3074", &compared);
        json_decref(g);
    }
    assert_true(compared == 900);
    assert_true(u->clip_hits > 100);
    siting_units_free(u);
}

/* siting_clip_apart against the overlay under the curved map: "outside" means
 * no area at all, "inside" the project's own area within the bound. */
static void test_apart_against_overlay(void **state)
{
    (void)state;
    struct siting_units *u = dyadic_units();
    const struct siting_geos *g = siting_geos();
    uint64_t s = 99;
    int inside_seen = 0, outside_seen = 0;
    for (int i = 0; i < 900; i++) {
        json_t *in = dyadic_box(&s, i);
        char err[256];
        GEOSGeometry *p =
            siting_geometry(u->ctx, in, SITING_WGS84, false, NULL, NULL, err, sizeof err);
        json_decref(in);
        assert_non_null(p);
        struct siting_convex cv = {.tried = false};
        assert_int_equal(siting_convex_init(&cv, u->ctx, p), 0);
        for (size_t k = 0; k < cv.n; k++) {
            cv.px[k] = cv.x[k], cv.py[k] = cv.y[k];
            bent(&cv.px[k], &cv.py[k], NULL);
        }
        cv.projected = true;
        GEOSGeometry *mp = g->GEOSGeom_transformXY_r(u->ctx, p, bent, NULL);
        double own = 0;
        assert_int_equal(g->GEOSArea_r(u->ctx, mp, &own), 1);
        g->GEOSGeom_destroy_r(u->ctx, mp);
        for (size_t k = 0; k < siting_units_count(u); k++) {
            struct siting_rings *r = siting_rings_new(u->ctx, u->units[k].geom);
            int inside;
            if (r && !siting_clip_apart(r, &cv, &inside)) {
                GEOSGeometry *x = g->GEOSIntersection_r(u->ctx, u->units[k].geom, p);
                GEOSGeometry *m = g->GEOSGeom_transformXY_r(u->ctx, x, bent, NULL);
                double want = -1;
                assert_int_equal(g->GEOSArea_r(u->ctx, m, &want), 1);
                if (inside ? fabs(want - own) > siting_convex_area_bound(&cv) : want != 0)
                    fail_msg("box %d unit %zu: inside %d, overlay %.17g, box %.17g", i, k, inside,
                             want, own);
                inside ? inside_seen++ : outside_seen++;
                g->GEOSGeom_destroy_r(u->ctx, m);
                g->GEOSGeom_destroy_r(u->ctx, x);
            }
            siting_rings_free(r);
        }
        g->GEOSGeom_destroy_r(u->ctx, p);
    }
    assert_true(inside_seen > 20 && outside_seen > 1000);
    siting_units_free(u);
}

/* A smooth, orientation-preserving, non-linear map (straight lon/lat edges
 * become curves, as in Gauss–Krüger), under 1.2e5 m a degree. */
static int bent(double *x, double *y, void *zone)
{
    (void)zone;
    double lon = *x, lat = *y;
    *x = 1e5 * lon + 30 * lat * lat;
    *y = 1.1e5 * lat + 20 * lon * lon;
    return 1;
}

/* siting_clip_area against GEOS's overlay area of the same pair under the same
 * map, unrounded: within the returned bound (a different vertex anywhere on a
 * curved edge would be far outside it). */
static void test_areas_against_overlay(void **state)
{
    (void)state;
    uint64_t s = 4754;
    double cx[NUNITS], cy[NUNITS], size[NUNITS];
    struct siting_units *u = random_units(&s, cx, cy, size);
    const struct siting_geos *g = siting_geos();
    int decided = 0, partial = 0;
    for (int i = 0; i < NCHECKS; i++) {
        int k = (int)(rng_unit(&s) * NUNITS);
        json_t *in = random_project(&s, cx[k], cy[k], size[k]);
        char err[256];
        GEOSGeometry *p =
            siting_geometry(u->ctx, in, SITING_WGS84, false, NULL, NULL, err, sizeof err);
        json_decref(in);
        if (!p)
            continue;
        struct siting_rings *r = siting_rings_new(u->ctx, u->units[k].geom);
        struct siting_convex cv = {.tried = false};
        assert_int_equal(siting_convex_init(&cv, u->ctx, p), 0);
        double area, bound;
        GEOSGeometry *inter = g->GEOSIntersection_r(u->ctx, u->units[k].geom, p);
        GEOSGeometry *m = g->GEOSGeom_transformXY_r(u->ctx, inter, bent, NULL);
        double want = 0;
        assert_int_equal(g->GEOSArea_r(u->ctx, m, &want), 1);
        if (want > 0)
            partial++;
        if (r && !siting_clip_area(r, &cv, bent, NULL, &area, &bound)) {
            decided++;
            if (fabs(area - want) > bound)
                fail_msg("case %d: clip %.17g overlay %.17g bound %.3g", i, area, want, bound);
        }
        g->GEOSGeom_destroy_r(u->ctx, m);
        g->GEOSGeom_destroy_r(u->ctx, inter);
        g->GEOSGeom_destroy_r(u->ctx, p);
        siting_rings_free(r);
    }
    assert_true(partial > NCHECKS / 3);
    assert_true(decided > partial / 2);
    siting_units_free(u);
}

/* One unit whose lower edge crosses a project's lower edge at x = xc at the
 * small angle th (radians, about), both edges sloped by kp: GEOS's crossing
 * point drifts along the edges as 1 / sin θ (siting_clip.c, top). */
struct shallow {
    double x0, y0, w, h, kp, th, xc, ux0, ux1;
};

static double shallow_uy(const struct shallow *c, double x)
{
    return c->y0 + c->kp * (x - c->x0) + c->th * (x - c->xc);
}

static void shallow_draw(uint64_t *s, struct shallow *c, double th_low, double th_high)
{
    c->x0 = 116 + rng_unit(s), c->y0 = 29 + 20 * rng_unit(s);
    c->kp = (rng_unit(s) - 0.5) * 0.02;
    c->th = th_low * pow(th_high / th_low, rng_unit(s));
    if (rng_unit(s) < 0.5)
        c->th = -c->th;
    c->w = 0.1 + rng_unit(s);
    c->h = 0.05 + 0.2 * rng_unit(s);
    c->xc = c->x0 + (0.05 + 0.9 * rng_unit(s)) * c->w;
    c->ux0 = c->x0 - 1 - rng_unit(s), c->ux1 = c->x0 + c->w + 1 + rng_unit(s);
}

static json_t *shallow_unit_geom(const struct shallow *c)
{
    return json_pack("{ss s[[[ff][ff][ff][ff][ff]]]}", "type", "Polygon", "coordinates", c->ux0,
                     shallow_uy(c, c->ux0), c->ux1, shallow_uy(c, c->ux1), c->ux1, c->y0 + 1.4,
                     c->ux0, c->y0 + 1.4, c->ux0, shallow_uy(c, c->ux0));
}

static json_t *shallow_project(const struct shallow *c)
{
    return json_pack("{ss s[[[ff][ff][ff][ff][ff]]]}", "type", "Polygon", "coordinates", c->x0,
                     c->y0, c->x0 + c->w, c->y0 + c->kp * c->w, c->x0 + c->w, c->y0 + c->h, c->x0,
                     c->y0 + c->h, c->x0, c->y0);
}

static struct siting_units *units_of(json_t *geom)
{
    return units_from_features(json_pack("[{ss s{ss ss si} sO}]", "type", "Feature", "properties",
                                         "code", "ZH36022210001", "name", "斜", "class", 1,
                                         "geometry", geom));
}

/* The exact crossing of two lines (binary128, far finer than GEOS's drift). */
static void exact_crossing(double ax, double ay, double bx, double by, double cx, double cy,
                           double dx, double dy, double *x, double *y)
{
    __float128 px = (__float128)ay - by, py = (__float128)bx - ax;
    __float128 pw = (__float128)ax * by - (__float128)bx * ay;
    __float128 qx = (__float128)cy - dy, qy = (__float128)dx - cx;
    __float128 qw = (__float128)cx * dy - (__float128)dx * cy;
    __float128 w = px * qy - qx * py;
    *x = (double)((py * qw - qy * pw) / w), *y = (double)((qx * pw - px * qw) / w);
}

/* Shallow crossings, from far below the angle below which siting_clip_area
 * refuses them (sin θ ≈ 1e-4) to a little steeper: GEOS's crossing vertex
 * within the allowance siting_clip.c assumes for it (the measured drift is far
 * below it: printed), siting_clip_area's area within its bound of the
 * overlay's, and every report byte-identical with the overlay's. */
static void test_shallow_crossings(void **state)
{
    (void)state;
    const struct siting_geos *g = siting_geos();
    uint64_t s = 22;
    int decided = 0;
    double worst_drift = 0, worst_area = 0, worst_drift_sin = 0;
    for (int i = 0; i < 300; i++) {
        struct shallow c;
        /* sin θ from 1e-8 (GEOS's point drifts by thousands of units; refused)
         * to just above the refusal (~1e-3) and a little steeper */
        static const double low[3] = {1e-8, 1e-6, 2e-4}, high[3] = {1e-6, 2e-4, 3e-2};
        shallow_draw(&s, &c, low[i % 3], high[i % 3]);
        json_t *ug = shallow_unit_geom(&c), *pg = shallow_project(&c);
        struct siting_units *u = units_of(ug);
        int compared = 0;
        compare(u, pg, "C3074", &compared);
        char err[256];
        GEOSGeometry *p =
            siting_geometry(u->ctx, pg, SITING_WGS84, false, NULL, NULL, err, sizeof err);
        assert_non_null(p);
        GEOSGeometry *inter = g->GEOSIntersection_r(u->ctx, u->units[0].geom, p);
        /* GEOS's vertex nearest the exact crossing, in units of 2^-45°,
         * against CLIP_ULPS + (CLIP_SHALLOW_ULPS + M / 4) / sin θ */
        double ex, ey, best = INFINITY;
        exact_crossing(c.x0, c.y0, c.x0 + c.w, c.y0 + c.kp * c.w, c.ux0, shallow_uy(&c, c.ux0),
                       c.ux1, shallow_uy(&c, c.ux1), &ex, &ey);
        const GEOSCoordSequence *seq =
            g->GEOSGeom_getCoordSeq_r(u->ctx, g->GEOSGetExteriorRing_r(u->ctx, inter));
        unsigned n = 0;
        assert_true(seq && g->GEOSCoordSeq_getSize_r(u->ctx, seq, &n));
        assert_true(n <= 16);
        double xy[32];
        assert_true(g->GEOSCoordSeq_copyToBuffer_r(u->ctx, seq, xy, 0, 0));
        for (unsigned j = 0; j < n; j++)
            best = fmin(best, fmax(fabs(xy[2 * j] - ex), fabs(xy[2 * j + 1] - ey)) / 0x1p-45);
        double sin_angle = sin(fabs(atan(c.kp + c.th) - atan(c.kp)));
        double allowed = 4 + (0.5 + 0.25 * (c.ux1 - c.ux0)) / sin_angle;
        worst_drift = fmax(worst_drift, best / allowed);
        worst_drift_sin = fmax(worst_drift_sin, best * sin_angle);
        if (best > allowed)
            fail_msg("case %d: GEOS's crossing %.3g units from the exact one, allowed %.3g", i,
                     best, allowed);
        struct siting_rings *r = siting_rings_new(u->ctx, u->units[0].geom);
        struct siting_convex cv = {.tried = false};
        assert_int_equal(siting_convex_init(&cv, u->ctx, p), 0);
        double area, bound, want = 0;
        GEOSGeometry *m = g->GEOSGeom_transformXY_r(u->ctx, inter, bent, NULL);
        assert_int_equal(g->GEOSArea_r(u->ctx, m, &want), 1);
        if (r && !siting_clip_area(r, &cv, bent, NULL, &area, &bound)) {
            decided++;
            worst_area = fmax(worst_area, fabs(area - want) / bound);
            if (fabs(area - want) > bound)
                fail_msg("case %d: clip %.17g overlay %.17g bound %.3g", i, area, want, bound);
        }
        g->GEOSGeom_destroy_r(u->ctx, m);
        g->GEOSGeom_destroy_r(u->ctx, inter);
        g->GEOSGeom_destroy_r(u->ctx, p);
        siting_rings_free(r);
        json_decref(pg);
        json_decref(ug);
        siting_units_free(u);
    }
    printf("shallow: worst drift %.3g of the allowance (%.3g units × 1 / sin θ), worst area "
           "error %.3g of the bound, %d decided\n",
           worst_drift, worst_drift_sin, worst_area, decided);
    assert_true(decided > 60);
}

/* The bound of siting_clip_area for the shallow pair c under the curved map
 * (the pair as the full check would see it), or -1 when it refuses. */
static double shallow_bound(const struct shallow *c)
{
    json_t *ug = shallow_unit_geom(c), *pg = shallow_project(c);
    struct siting_units *u = units_of(ug);
    char err[256];
    GEOSGeometry *p = siting_geometry(u->ctx, pg, SITING_WGS84, false, NULL, NULL, err, sizeof err);
    assert_non_null(p);
    struct siting_rings *r = siting_rings_new(u->ctx, u->units[0].geom);
    assert_non_null(r);
    struct siting_convex cv = {.tried = false};
    assert_int_equal(siting_convex_init(&cv, u->ctx, p), 0);
    double area, bound;
    if (siting_clip_area(r, &cv, bent, NULL, &area, &bound))
        bound = -1;
    siting_geos()->GEOSGeom_destroy_r(u->ctx, p);
    siting_rings_free(r);
    json_decref(pg);
    json_decref(ug);
    siting_units_free(u);
    return bound;
}

/* The crossings' term of the bound: the same pair crossing at sin θ ≈ 2e-3
 * and at ≈ 0.5 — GEOS's point may drift ~100 times farther at the first, and
 * the bound must say so (the summation term is about the same for both);
 * below ~1e-4 the crossing is refused. */
static void test_crossing_term(void **state)
{
    (void)state;
    struct shallow c = {.x0 = 116.3, .y0 = 31.2, .w = 0.6, .h = 0.2, .kp = 0.004, .xc = 116.5};
    c.ux0 = c.x0 - 1.3, c.ux1 = c.x0 + c.w + 1.1;
    c.th = 0.5;
    double steep = shallow_bound(&c);
    c.th = 2e-3;
    double shallow = shallow_bound(&c);
    c.th = -2e-3;
    double shallow_below = shallow_bound(&c);
    c.th = 1e-4;
    double refused = shallow_bound(&c);
    printf("bounds: sin θ 0.5: %.3g m², 2e-3: %.3g / %.3g m², 1e-4: %.3g\n", steep, shallow,
           shallow_below, refused);
    assert_true(steep > 0 && shallow > 0 && shallow_below > 0);
    assert_true(shallow > 30 * steep && shallow_below > 30 * steep);
    assert_true(refused == -1);
}

/* The bound assumes at most 1.2e5 m a degree (siting.c): a project reaching
 * beyond 2.5° of its zone's meridian (the zones run from 75°E to 135°E) or 60° of the
 * equator goes to the overlay, while the same shape inside both is decided by
 * the fast path (so the test can fail). */
static void test_zone_rule(void **state)
{
    (void)state;
    static const struct {
        double x0, y0;
        bool fast;
    } cases[] = {{116.3, 31.2, true},
                 {137.6, 31.2, false},
                 {116.3, 60.2, false},
                 {116.3, -60.7, false},
                 {71.2, 38.0, false}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned long hits = 0;
        /* small projects (the bound then settles the report) of several sizes */
        for (int k = 0; k < 12; k++) {
            struct shallow c = {.x0 = cases[i].x0,
                                .y0 = cases[i].y0,
                                .w = 0.02 + 0.003 * k,
                                .h = 0.01 + 0.002 * k,
                                .kp = 0.004,
                                .th = 0.5};
            c.xc = c.x0 + 0.3 * c.w, c.ux0 = c.x0 - 1.3, c.ux1 = c.x0 + c.w + 1.1;
            json_t *ug = shallow_unit_geom(&c), *pg = shallow_project(&c);
            struct siting_units *u = units_of(ug);
            int compared = 0;
            compare(u, pg, "C3074", &compared);
            assert_int_equal(compared, 1);
            hits += u->clip_hits;
            json_decref(pg);
            json_decref(ug);
            siting_units_free(u);
        }
        if (cases[i].fast ? hits == 0 : hits != 0)
            fail_msg("case %zu (%g, %g): clip_hits %lu", i, cases[i].x0, cases[i].y0, hits);
    }
}

/* A polygon of one closed ring of n coordinates xy, built by GEOS. */
static GEOSGeometry *geos_ring_polygon(GEOSContextHandle_t ctx, const double *xy, size_t n)
{
    const struct siting_geos *g = siting_geos();
    GEOSCoordSequence *seq = g->GEOSCoordSeq_create_r(ctx, (unsigned)n, 2);
    for (size_t i = 0; i < n; i++)
        g->GEOSCoordSeq_setXY_r(ctx, seq, (unsigned)i, xy[2 * i], xy[2 * i + 1]);
    GEOSGeometry *ring = g->GEOSGeom_createLinearRing_r(ctx, seq);
    return ring ? g->GEOSGeom_createPolygon_r(ctx, ring, NULL, 0) : NULL;
}

/* siting_ring_area gives GEOSArea's figure to the bit: rings of 3 to 64
 * vertices at Gauss–Krüger magnitudes (x ~ 5e5 m, y ~ 3.3e6 m), either way
 * round, convex or not. */
static void test_ring_area_as_geos(void **state)
{
    (void)state;
    struct siting_units *u = dyadic_units(); /* a GEOS context */
    const struct siting_geos *g = siting_geos();
    uint64_t s = 4242;
    int compared = 0;
    for (int i = 0; i < 3000; i++) {
        size_t m = 3 + (size_t)(rng_unit(&s) * 62), n = m + 1;
        double xy[2 * (SITING_CONVEX_MAX + 1)];
        double cx = 3e5 + rng_unit(&s) * 4e5, cy = 2e6 + rng_unit(&s) * 3e6;
        double r = 1 + rng_unit(&s) * 3e4;
        for (size_t k = 0; k < m; k++) {
            double a = 6.283185307179586 * (i % 2 ? (double)k : (double)(m - k)) / (double)m;
            double rr = r * (0.5 + rng_unit(&s));
            xy[2 * k] = cx + rr * cos(a), xy[2 * k + 1] = cy + rr * sin(a);
        }
        xy[2 * m] = xy[0], xy[2 * m + 1] = xy[1];
        GEOSGeometry *p = geos_ring_polygon(u->ctx, xy, n);
        assert_non_null(p);
        double want = -1;
        assert_int_equal(g->GEOSArea_r(u->ctx, p, &want), 1);
        double got = siting_ring_area(xy, n);
        if (memcmp(&got, &want, sizeof got))
            fail_msg("ring %d (%zu vertices): %.17g, GEOS %.17g", i, m, got, want);
        compared++;
        g->GEOSGeom_destroy_r(u->ctx, p);
    }
    assert_int_equal(compared, 3000);
    siting_units_free(u);
}

/* siting_ring_turn: strictly convex simple rings get their orientation, and
 * GEOS finds every one of them valid; a straight angle, a repeated vertex, a
 * concave ring and a pentagram (every turn the same way, but round twice) get
 * 0. Random rings of 3 to 8 vertices: those it accepts are valid and turn the
 * way their area's sign says. */
static void test_ring_turn(void **state)
{
    (void)state;
    static const double ccw[] = {0, 0, 2, 0, 2, 1, 0, 1, 0, 0};
    static const double cw[] = {0, 0, 0, 1, 2, 1, 2, 0, 0, 0};
    static const double straight[] = {0, 0, 1, 0, 2, 0, 2, 1, 0, 1, 0, 0};
    static const double repeated[] = {0, 0, 2, 0, 2, 0, 2, 1, 0, 1, 0, 0};
    static const double concave[] = {0, 0, 2, 0, 1, 0.5, 2, 1, 0, 1, 0, 0};
    double star[2 * 6];
    for (int k = 0; k < 5; k++)
        star[2 * k] = 117 + cos(k * 4 * M_PI / 5), star[2 * k + 1] = 30 + sin(k * 4 * M_PI / 5);
    star[10] = star[0], star[11] = star[1];
    assert_int_equal(siting_ring_turn(ccw, 5), 1);
    assert_int_equal(siting_ring_turn(cw, 5), -1);
    assert_int_equal(siting_ring_turn(straight, 6), 0);
    assert_int_equal(siting_ring_turn(repeated, 6), 0);
    assert_int_equal(siting_ring_turn(concave, 6), 0);
    assert_int_equal(siting_ring_turn(star, 6), 0);

    struct siting_units *u = dyadic_units();
    const struct siting_geos *g = siting_geos();
    uint64_t s = 77;
    int accepted = 0;
    for (int i = 0; i < 20000; i++) {
        size_t m = 3 + (size_t)(rng_unit(&s) * 6), n = m + 1;
        double xy[2 * 9];
        for (size_t k = 0; k < m; k++)
            xy[2 * k] = 117 + rng_unit(&s), xy[2 * k + 1] = 30 + rng_unit(&s);
        xy[2 * m] = xy[0], xy[2 * m + 1] = xy[1];
        int turn = siting_ring_turn(xy, n);
        if (!turn)
            continue;
        accepted++;
        GEOSGeometry *p = geos_ring_polygon(u->ctx, xy, n);
        assert_non_null(p);
        assert_int_equal(g->GEOSisValid_r(u->ctx, p), 1);
        double sum = 0;
        for (size_t k = 0; k < m; k++)
            sum += xy[2 * k] * xy[2 * k + 3] - xy[2 * k + 2] * xy[2 * k + 1];
        assert_int_equal(turn, sum > 0 ? 1 : -1);
        g->GEOSGeom_destroy_r(u->ctx, p);
    }
    /* every triangle and some of the rest */
    assert_true(accepted > 20000 / 6);
    siting_units_free(u);
}

/* The vertices of GEOS's intersection of x with y: every coordinate of every
 * ring, into xs and ys (cap each); their count. */
static size_t overlay_vertices(GEOSContextHandle_t ctx, const GEOSGeometry *x,
                               const GEOSGeometry *y, double *xs, double *ys, size_t cap)
{
    const struct siting_geos *g = siting_geos();
    GEOSGeometry *r = g->GEOSIntersection_r(ctx, x, y);
    assert_non_null(r);
    size_t n = 0;
    int parts = g->GEOSGetNumGeometries_r(ctx, r);
    for (int i = 0; i < parts; i++) {
        const GEOSGeometry *poly = g->GEOSGetGeometryN_r(ctx, r, i);
        if (g->GEOSGeomTypeId_r(ctx, poly) != GEOS_POLYGON)
            continue;
        int holes = g->GEOSGetNumInteriorRings_r(ctx, poly);
        for (int h = -1; h < holes; h++) {
            const GEOSGeometry *ring = h < 0 ? g->GEOSGetExteriorRing_r(ctx, poly)
                                             : g->GEOSGetInteriorRingN_r(ctx, poly, h);
            const GEOSCoordSequence *seq = g->GEOSGeom_getCoordSeq_r(ctx, ring);
            unsigned m = 0;
            g->GEOSCoordSeq_getSize_r(ctx, seq, &m);
            assert_true(n + m <= cap);
            double buf[2 * 256];
            assert_true(m <= 256);
            g->GEOSCoordSeq_copyToBuffer_r(ctx, seq, buf, 0, 0);
            for (unsigned k = 0; k < m; k++)
                xs[n] = buf[2 * k], ys[n++] = buf[2 * k + 1];
        }
    }
    g->GEOSGeom_destroy_r(ctx, r);
    return n;
}

static bool among(double v, const double *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == v)
            return true;
    return false;
}

/* Why an axis-parallel crossing carries no allowance in the clip's bound:
 * GEOS's overlay of axis-parallel rings at arbitrary (not dyadic) coordinates,
 * small boxes in big units (so OverlayNG cuts the units' edges to a box around
 * the project first) and boxes across several units, has only vertices whose
 * x is an input x and whose y an input y — every crossing exact. */
static void test_axis_crossings_exact(void **state)
{
    (void)state;
    struct siting_units *u = dyadic_units();
    const struct siting_geos *g = siting_geos();
    uint64_t s = 1205;
    size_t checked = 0;
    for (int i = 0; i < 2000; i++) {
        /* an L-shaped unit (6 vertices) and a box, random doubles */
        double ux = 100 + rng_unit(&s) * 30, uy = 20 + rng_unit(&s) * 20;
        double uw = 0.01 + rng_unit(&s) * (i % 2 ? 2 : 0.05), uh = 0.01 + rng_unit(&s) * 0.05;
        double cx = ux + uw * (0.1 + 0.5 * rng_unit(&s)), cy = uy + uh * (0.1 + 0.5 * rng_unit(&s));
        double unit[] = {ux, uy, ux + uw, uy, ux + uw, cy, cx,
                         cy, cx, uy + uh, ux, uy + uh, ux, uy};
        double bx = ux + rng_unit(&s) * uw, by = uy + rng_unit(&s) * uh;
        double bw = rng_unit(&s) * uw * (i % 3 ? 0.3 : 1.2), bh = rng_unit(&s) * uh;
        double box[] = {bx, by, bx + bw, by, bx + bw, by + bh, bx, by + bh, bx, by};
        GEOSGeometry *a = geos_ring_polygon(u->ctx, unit, 7),
                     *b = geos_ring_polygon(u->ctx, box, 5);
        assert_non_null(a);
        assert_non_null(b);
        double inx[] = {unit[0], unit[2], unit[6], box[0], box[2]};
        double iny[] = {unit[1], unit[5], unit[9], box[1], box[5]};
        double xs[512], ys[512];
        for (int order = 0; order < 2; order++) {
            size_t n = order ? overlay_vertices(u->ctx, b, a, xs, ys, 512)
                             : overlay_vertices(u->ctx, a, b, xs, ys, 512);
            for (size_t k = 0; k < n; k++)
                if (!among(xs[k], inx, 5) || !among(ys[k], iny, 5))
                    fail_msg("case %d: overlay vertex %.17g %.17g is not an input's x and y", i,
                             xs[k], ys[k]);
            checked += n;
        }
        g->GEOSGeom_destroy_r(u->ctx, a);
        g->GEOSGeom_destroy_r(u->ctx, b);
    }
    assert_true(checked > 2000 * 4);
    siting_units_free(u);
}

/* A project's zone is its centroid's (siting.c takes it from the envelope
 * when the envelope lies in one zone): boxes near and across the 115.5°E line
 * between the zones of 114°E and 117°E, against GEOS's centroid. */
static void test_zone_of_centroid(void **state)
{
    (void)state;
    struct siting_units *u = dyadic_units();
    const struct siting_geos *g = siting_geos();
    uint64_t s = 31;
    int across = 0;
    for (int i = 0; i < 400; i++) {
        double x0 = 115.5 - 0.3 + rng_unit(&s) * 0.5, w = rng_unit(&s) * (i % 2 ? 0.3 : 1e-6);
        double y0 = 29 + rng_unit(&s), h = 0.001 + rng_unit(&s) * 0.2;
        json_t *geom = json_pack("{ss s[[[ff][ff][ff][ff][ff]]]}", "type", "Polygon", "coordinates",
                                 x0, y0, x0 + w, y0, x0 + w, y0 + h, x0, y0 + h, x0, y0);
        json_t *wgs = NULL;
        char err[256];
        assert_int_equal(siting_location_parse(geom, SITING_WGS84, &wgs, err, sizeof err), 0);
        json_t *r = siting_check(u, wgs, "C3074", err, sizeof err);
        assert_non_null(r);
        GEOSGeometry *p =
            siting_geometry(u->ctx, wgs, SITING_WGS84, true, NULL, NULL, err, sizeof err);
        assert_non_null(p);
        GEOSGeometry *c = g->GEOSGetCentroid_r(u->ctx, p);
        double cx = 0;
        g->GEOSGeomGetX_r(u->ctx, c, &cx);
        int cm = (int)lround(cx / 3.0) * 3;
        char want[96];
        snprintf(want, sizeof want, "EPSG:%d CGCS2000 / 3-degree Gauss-Kruger CM %dE",
                 4534 + (cm - 75) / 3, cm);
        assert_string_equal(json_string_value(json_object_get(r, "projection")), want);
        across += x0 < 115.5 && x0 + w > 115.5;
        g->GEOSGeom_destroy_r(u->ctx, c);
        g->GEOSGeom_destroy_r(u->ctx, p);
        json_decref(r);
        json_decref(wgs);
        json_decref(geom);
    }
    assert_true(across > 40);
    siting_units_free(u);
}

/* siting_units_index builds the tree, every unit's rings (projected to its
 * own zone) and the zones the units lie in ahead of the checks, and the
 * checks' reports are those of a set that builds them at first use and
 * projects every vertex as the clip meets it. */
static void test_index_same_reports(void **state)
{
    (void)state;
    uint64_t s1 = 515, s2 = 515;
    double cx[NUNITS], cy[NUNITS], size[NUNITS];
    struct siting_units *lazy = random_units(&s1, cx, cy, size);
    struct siting_units *ready = random_units(&s2, cx, cy, size);
    siting_units_index(ready);
    assert_non_null(ready->tree);
    for (size_t i = 0; i < ready->n; i++) {
        assert_int_not_equal(ready->units[i].rings_state, 0);
        if (ready->units[i].rings_state > 0) /* projected to its own zone */
            assert_non_null(ready->units[i].rings->pxy);
    }
    for (int z = 14; z <= 15; z++) /* 117°E..120.5°E: the zones of 117°E and 120°E */
        assert_non_null(ready->zones[z]);
    assert_null(lazy->tree);
    int decided = 0;
    for (int i = 0; i < 600; i++) {
        int k = (int)(rng_unit(&s1) * NUNITS);
        json_t *g = i % 3 ? random_project(&s1, cx[k], cy[k], size[k])
                          : json_pack("{ss s[ff]}", "type", "Point", "coordinates", cx[k],
                                      cy[k] + size[k] * (rng_unit(&s1) - 0.5));
        json_t *wgs = NULL;
        char err[256];
        assert_int_equal(siting_location_parse(g, SITING_WGS84, &wgs, err, sizeof err), 0);
        size_t la = 0, lb = 0;
        char *a = siting_check_text(lazy, wgs, "C3074", &la, NULL, err, sizeof err);
        char *b = siting_check_text(ready, wgs, "C3074", &lb, NULL, err, sizeof err);
        assert_non_null(a);
        assert_non_null(b);
        assert_string_equal(a, b);
        decided += strstr(a, "\"units\":[]") == NULL;
        free(a);
        free(b);
        json_decref(wgs);
        json_decref(g);
    }
    assert_true(decided > 300);
    siting_units_free(lazy);
    siting_units_free(ready);
}

/* Boxes with one or two corners exactly on a triangle's hypotenuse (x + y = c
 * on the 1/256° grid, from small triangles to ones 2° across, whose edges
 * OverlayNG cuts to a box around the project before noding): the overlay
 * nodes the hypotenuse at those corners, and the fast path, which takes them
 * as the overlay's vertices (clip_touch), must give byte-identical reports
 * and decide most of them. */
static void test_touching_vertices(void **state)
{
    (void)state;
    const double q = 1.0 / 256;
    uint64_t s = 2026;
    int compared = 0;
    unsigned long hits = 0;
    for (int t = 0; t < 8; t++) {
        double side = 16 * q * (1 << t) / 2; /* 1/32° .. 4° */
        double x0 = 117, y0 = 29;
        json_t *features = json_array();
        json_array_append_new(features, json_pack("{ss s{ss ss si} s{ss s[[[ff][ff][ff][ff]]]}}",
                                                  "type", "Feature", "properties", "code",
                                                  "ZH36022210001", "name", "三角", "class", 1,
                                                  "geometry", "type", "Polygon", "coordinates", x0,
                                                  y0, x0 + side, y0, x0, y0 + side, x0, y0));
        struct siting_units *u = units_from_features(features);
        for (int i = 0; i < 60; i++) {
            /* a corner (cx, cy) on the hypotenuse: cx + cy = x0 + y0 + side */
            double f = 0.1 + 0.8 * rng_unit(&s);
            double cx = x0 + round(side * f / q) * q, cy = y0 + side - (cx - x0);
            double w = q * (1 + (int)(rng_unit(&s) * 12)), h = q * (1 + (int)(rng_unit(&s) * 12));
            double bx = i % 2 ? cx : cx - w, by = i % 3 ? cy - h : cy;
            if (i % 5 == 0) /* a square with two corners on it: (cx, cy), (cx - w, cy + w) */
                bx = cx - w, by = cy, h = w;
            json_t *g =
                json_pack("{ss s[[[ff][ff][ff][ff][ff]]]}", "type", "Polygon", "coordinates", bx,
                          by, bx + w, by, bx + w, by + h, bx, by + h, bx, by);
            compare(u, g, "C3074", &compared);
            json_decref(g);
        }
        hits += u->clip_hits;
        siting_units_free(u);
    }
    assert_int_equal(compared, 8 * 60);
    assert_true(hits > 8 * 60 / 2);
}

/* One unit and project's relation from siting_clip_relate, when decided,
 * against GEOS's predicates; 1 when decided. */
static int relate_against_geos(GEOSContextHandle_t ctx, const GEOSGeometry *unit,
                               const GEOSGeometry *proj)
{
    const struct siting_geos *g = siting_geos();
    struct siting_convex cv;
    if (siting_convex_init(&cv, ctx, proj))
        return 0;
    struct siting_rings *r = siting_rings_new(ctx, unit);
    enum siting_relation rel = r ? siting_clip_relate(r, &cv) : SITING_REL_UNKNOWN;
    siting_rings_free(r);
    if (rel == SITING_REL_UNKNOWN)
        return 0;
    const GEOSPreparedGeometry *pu = g->GEOSPrepare_r(ctx, unit), *pp = g->GEOSPrepare_r(ctx, proj);
    int meets = g->GEOSPreparedIntersects_r(ctx, pu, proj);
    int in_unit = g->GEOSPreparedContainsProperly_r(ctx, pu, proj);
    int in_proj = g->GEOSPreparedContainsProperly_r(ctx, pp, unit);
    g->GEOSPreparedGeom_destroy_r(ctx, pu);
    g->GEOSPreparedGeom_destroy_r(ctx, pp);
    int want = !meets    ? SITING_REL_DISJOINT
               : in_unit ? SITING_REL_IN_UNIT
               : in_proj ? SITING_REL_IN_PROJECT
                         : SITING_REL_MEETS;
    if ((int)rel != want)
        fail_msg("relation %d, GEOS says %d (intersects %d, in unit %d, in project %d)", rel, want,
                 meets, in_unit, in_proj);
    return 1;
}

/* siting_clip_relate against GEOS's intersects and containsProperly: random
 * star-shaped units (holes, two-part multipolygons) with convex projects all
 * around them, inside, across and containing them, and the dyadic squares with
 * boxes on their edges and corners (where it must give up or agree). */
static void test_relate_against_geos(void **state)
{
    (void)state;
    uint64_t s = 3141;
    double cx[NUNITS], cy[NUNITS], size[NUNITS];
    struct siting_units *u = random_units(&s, cx, cy, size);
    int decided = 0, tried = 0;
    char err[256];
    for (int i = 0; i < 3000; i++) {
        int k = (int)(rng_unit(&s) * NUNITS);
        json_t *pj = random_project(&s, cx[k], cy[k], size[k] * (i % 3 ? 1 : 3));
        GEOSGeometry *p =
            siting_geometry(u->ctx, pj, SITING_WGS84, false, NULL, NULL, err, sizeof err);
        if (p) {
            tried++;
            decided += relate_against_geos(u->ctx, u->units[k].geom, p);
            siting_geos()->GEOSGeom_destroy_r(u->ctx, p);
        }
        json_decref(pj);
    }
    assert_true(decided > tried * 3 / 4);
    siting_units_free(u);

    u = dyadic_units();
    s = 8;
    int dyadic = 0;
    for (int i = 0; i < 900; i++) {
        json_t *pj = dyadic_box(&s, i);
        GEOSGeometry *p =
            siting_geometry(u->ctx, pj, SITING_WGS84, false, NULL, NULL, err, sizeof err);
        assert_non_null(p);
        for (size_t k = 0; k < u->n; k++)
            dyadic += relate_against_geos(u->ctx, u->units[k].geom, p);
        siting_geos()->GEOSGeom_destroy_r(u->ctx, p);
        json_decref(pj);
    }
    assert_true(dyadic > 900);
    siting_units_free(u);
}

/* siting_rings_locate against GEOS: random points around random units and
 * the dyadic squares' grid points (many on edges, corners and holes' edges):
 * 1 only where GEOS finds the point in the interior, 2 only where it finds it
 * intersecting but not inside, 0 only where it finds no intersection. */
static void test_locate_against_geos(void **state)
{
    (void)state;
    uint64_t s = 2718;
    double cx[NUNITS], cy[NUNITS], size[NUNITS];
    const struct siting_geos *g = siting_geos();
    for (int set = 0; set < 2; set++) {
        struct siting_units *u = set ? dyadic_units() : random_units(&s, cx, cy, size);
        int decided = 0, refused = 0, on = 0;
        for (int i = 0; i < 4000; i++) {
            size_t k = (size_t)(rng_unit(&s) * (double)u->n);
            double x, y;
            if (set) /* the 1/256° grid over and around square k (dyadic_units) */
                x = 117 + (double)(k % 4) * 16 / 256 + round(rng_unit(&s) * 24 - 4) / 256,
                y = 29 + (double)(k / 4) * 16 / 256 + round(rng_unit(&s) * 24 - 4) / 256;
            else
                x = cx[k] + (rng_unit(&s) - 0.5) * 2.5 * size[k],
                y = cy[k] + (rng_unit(&s) - 0.5) * 2.5 * size[k];
            struct siting_rings *r = siting_rings_new(u->ctx, u->units[k].geom);
            assert_non_null(r);
            int in = siting_rings_locate(r, x, y);
            siting_rings_free(r);
            if (in < 0) {
                refused++;
                continue;
            }
            GEOSGeometry *pt = g->GEOSGeom_createPointFromXY_r(u->ctx, x, y);
            int meets = g->GEOSPreparedIntersects_r(u->ctx, u->units[k].prep, pt);
            int inside = g->GEOSPreparedContainsProperly_r(u->ctx, u->units[k].prep, pt);
            g->GEOSGeom_destroy_r(u->ctx, pt);
            if (in == 1 ? !inside : in == 2 ? !meets || inside : meets)
                fail_msg("unit %zu point %.17g %.17g: located %d, GEOS intersects %d inside %d", k,
                         x, y, in, meets, inside);
            decided++;
            on += in == 2;
        }
        assert_true(decided > 3900 && refused < 100);
        if (set)
            assert_true(on > 100); /* grid points on the squares' edges and corners */
        siting_units_free(u);
    }
}

/* The area of lon/lat geometry g after bent (a map of at most 1.2e5 m a
 * degree), as siting.c computes one: GEOS transforms, GEOS sums. */
static double bent_area(GEOSContextHandle_t ctx, const GEOSGeometry *g)
{
    const struct siting_geos *lib = siting_geos();
    GEOSGeometry *m = lib->GEOSGeom_transformXY_r(ctx, g, bent, NULL);
    double a = -1;
    assert_non_null(m);
    assert_int_equal(lib->GEOSArea_r(ctx, m, &a), 1);
    lib->GEOSGeom_destroy_r(ctx, m);
    return a;
}

/* siting_geom_area_bound: when one geometry lies in the other's interior,
 * GEOS's overlay hands back its rings from another vertex or the other way
 * round, so its area may differ from the geometry's own in the last bits —
 * within the bound, for convex projects inside random star units and for
 * those units inside a box around them. */
static void test_contained_bound(void **state)
{
    (void)state;
    uint64_t s = 1618;
    double cx[NUNITS], cy[NUNITS], size[NUNITS];
    struct siting_units *u = random_units(&s, cx, cy, size);
    const struct siting_geos *g = siting_geos();
    char err[256];
    int contained = 0, differing = 0;
    for (int i = 0; i < 3000; i++) {
        size_t k = (size_t)(rng_unit(&s) * NUNITS);
        json_t *pj;
        if (i % 2) { /* a small project near the unit's middle */
            pj = random_project(&s, cx[k], cy[k], size[k] * 0.05);
        } else { /* a box around the whole unit */
            double r = size[k] * 3;
            pj = json_pack("{ss s[[[ff][ff][ff][ff][ff]]]}", "type", "Polygon", "coordinates",
                           cx[k] - r, cy[k] - r, cx[k] + r, cy[k] - r, cx[k] + r, cy[k] + r,
                           cx[k] - r, cy[k] + r, cx[k] - r, cy[k] - r);
        }
        GEOSGeometry *p =
            siting_geometry(u->ctx, pj, SITING_WGS84, false, NULL, NULL, err, sizeof err);
        json_decref(pj);
        if (!p)
            continue;
        const GEOSGeometry *unit = u->units[k].geom;
        const GEOSPreparedGeometry *pu = g->GEOSPrepare_r(u->ctx, unit);
        const GEOSPreparedGeometry *pp = g->GEOSPrepare_r(u->ctx, p);
        const GEOSGeometry *inner = g->GEOSPreparedContainsProperly_r(u->ctx, pu, p) == 1 ? p
                                    : g->GEOSPreparedContainsProperly_r(u->ctx, pp, unit) == 1
                                        ? unit
                                        : NULL;
        if (inner) {
            GEOSGeometry *x = g->GEOSIntersection_r(u->ctx, unit, p);
            assert_non_null(x);
            double over = bent_area(u->ctx, x), own = bent_area(u->ctx, inner);
            double bound = siting_geom_area_bound(u->ctx, inner);
            if (!(fabs(over - own) <= bound))
                fail_msg("case %d: overlay %.17g, own %.17g, bound %.3g", i, over, own, bound);
            contained++;
            differing += over != own;
            g->GEOSGeom_destroy_r(u->ctx, x);
        }
        g->GEOSPreparedGeom_destroy_r(u->ctx, pu);
        g->GEOSPreparedGeom_destroy_r(u->ctx, pp);
        g->GEOSGeom_destroy_r(u->ctx, p);
    }
    printf("contained: %d cases, the overlay's area differing in %d\n", contained, differing);
    assert_true(contained > 1000 && differing > 100);
    siting_units_free(u);
}

/* siting_rings_area gives GEOSArea's figure for the projected unit to the bit:
 * star-shaped shells with and without holes, either way round, two-part
 * multipolygons (random_units over several seeds) and squares with holes. */
static void test_rings_area_as_geos(void **state)
{
    (void)state;
    int compared = 0;
    for (int set = 0; set < 6; set++) {
        uint64_t s = 100 + (uint64_t)set;
        double cx[NUNITS], cy[NUNITS], size[NUNITS];
        struct siting_units *u = set == 5 ? dyadic_units() : random_units(&s, cx, cy, size);
        for (size_t k = 0; k < u->n; k++) {
            struct siting_rings *r = siting_rings_new(u->ctx, u->units[k].geom);
            if (!r)
                continue;
            assert_true(siting_rings_area(r) < 0); /* not projected yet */
            siting_rings_project(r, bent, NULL);
            double got = siting_rings_area(r), want = bent_area(u->ctx, u->units[k].geom);
            if (memcmp(&got, &want, sizeof got))
                fail_msg("set %d unit %zu (%zu rings): %.17g, GEOS %.17g", set, k, r->nrings, got,
                         want);
            compared++;
            siting_rings_free(r);
        }
        siting_units_free(u);
    }
    assert_true(compared > 150);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_convex),
        cmocka_unit_test(test_dyadic_edges),
        cmocka_unit_test(test_areas_against_overlay),
        cmocka_unit_test(test_apart_against_overlay),
        cmocka_unit_test(test_shallow_crossings),
        cmocka_unit_test(test_crossing_term),
        cmocka_unit_test(test_zone_rule),
        cmocka_unit_test(test_ring_area_as_geos),
        cmocka_unit_test(test_ring_turn),
        cmocka_unit_test(test_axis_crossings_exact),
        cmocka_unit_test(test_zone_of_centroid),
        cmocka_unit_test(test_index_same_reports),
        cmocka_unit_test(test_touching_vertices),
        cmocka_unit_test(test_relate_against_geos),
        cmocka_unit_test(test_locate_against_geos),
        cmocka_unit_test(test_contained_bound),
        cmocka_unit_test(test_rings_area_as_geos),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
