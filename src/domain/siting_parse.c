/* siting_parse — see siting_internal.h (siting_geometry). A GeoJSON Point,
 * Polygon or MultiPolygon into a GEOS geometry: coordinates checked and
 * converted from GCJ-02 or BD-09, rings checked closed, a vertex budget kept,
 * validity asked of GEOS unless the shape is valid by construction. */
#include "core/xalloc.h"
#include "domain/coord.h"
#include "domain/siting_internal.h"

#include <stdlib.h>
#include <string.h>

struct siting_parse {
    GEOSContextHandle_t ctx;
    enum siting_crs crs;
    size_t points; /* running total, against SITING_MAX_POINTS */
    json_t *out;   /* when not NULL: converted coordinates are appended here */
    char *err;
    size_t errlen;
};

static int siting_point(struct siting_parse *p, json_t *pos, double *x, double *y)
{
    if (!json_is_array(pos) || json_array_size(pos) < 2 || json_array_size(pos) > 4 ||
        !json_is_number(json_array_get(pos, 0)) || !json_is_number(json_array_get(pos, 1))) {
        siting_fail(p->err, p->errlen, "坐标须为 [经度, 纬度] 数字数组");
        return -1;
    }
    double lon = json_number_value(json_array_get(pos, 0));
    double lat = json_number_value(json_array_get(pos, 1));
    if (!coord_valid(lon, lat)) {
        siting_fail(p->err, p->errlen, "坐标超出范围：%.6g, %.6g", lon, lat);
        return -1;
    }
    if (p->crs == SITING_GCJ02)
        coord_gcj02_to_wgs84(lon, lat, &lon, &lat);
    else if (p->crs == SITING_BD09)
        coord_bd09_to_wgs84(lon, lat, &lon, &lat);
    if (++p->points > SITING_MAX_POINTS) {
        siting_fail(p->err, p->errlen, "顶点过多（上限 %d）", SITING_MAX_POINTS);
        return -1;
    }
    *x = lon, *y = lat;
    return 0;
}

static GEOSGeometry *siting_ring(struct siting_parse *p, json_t *ring, json_t *out)
{
    size_t n = json_array_size(ring);
    if (!json_is_array(ring) || n < 4) {
        siting_fail(p->err, p->errlen, "多边形的环至少要有 4 个点（首尾相同）");
        return NULL;
    }
    if (n > SITING_MAX_POINTS) {
        siting_fail(p->err, p->errlen, "顶点过多（上限 %d）", SITING_MAX_POINTS);
        return NULL;
    }
    /* The coordinates gathered flat and handed to GEOS at once (a call a
     * coordinate through its C API cost more than reading them). */
    double stack[2 * (SITING_CONVEX_MAX + 1)];
    double *xy = n <= SITING_CONVEX_MAX + 1 ? stack : xmalloc(2 * n * sizeof *xy);
    for (size_t i = 0; i < n; i++) {
        if (siting_point(p, json_array_get(ring, i), &xy[2 * i], &xy[2 * i + 1])) {
            if (xy != stack)
                free(xy);
            return NULL;
        }
        if (out)
            json_array_append_new(out, json_pack("[ff]", xy[2 * i], xy[2 * i + 1]));
    }
    /* Checked here so GEOS never throws on an open ring. */
    bool open = xy[0] != xy[2 * (n - 1)] || xy[1] != xy[2 * (n - 1) + 1];
    GEOSCoordSequence *seq =
        open ? NULL : siting_geos()->GEOSCoordSeq_copyFromBuffer_r(p->ctx, xy, (unsigned)n, 0, 0);
    if (xy != stack)
        free(xy);
    if (open) {
        siting_fail(p->err, p->errlen, "多边形的环未闭合（首尾点须相同）");
        return NULL;
    }
    if (!seq) {
        siting_fail(p->err, p->errlen, "几何创建失败");
        return NULL;
    }
    GEOSGeometry *g = siting_geos()->GEOSGeom_createLinearRing_r(p->ctx, seq);
    if (!g)
        siting_fail(p->err, p->errlen, "多边形的环无效");
    return g;
}

typedef GEOSGeometry *(*siting_part_fn)(struct siting_parse *p, json_t *in, json_t *out);

/* The n elements of arr built by part (each one's converted coordinates
 * appended to out as an array, when out is not NULL): a new array of them, or
 * NULL with the message written and what was built destroyed. */
static GEOSGeometry **siting_parts(struct siting_parse *p, json_t *arr, size_t n,
                                   siting_part_fn part, json_t *out)
{
    GEOSGeometry **geoms = xcalloc(n, sizeof *geoms);
    for (size_t made = 0; made < n; made++) {
        json_t *o = out ? json_array() : NULL;
        geoms[made] = part(p, json_array_get(arr, made), o);
        if (o)
            json_array_append_new(out, o);
        if (!geoms[made]) {
            for (size_t i = 0; i < made; i++)
                siting_geos()->GEOSGeom_destroy_r(p->ctx, geoms[i]);
            free(geoms);
            return NULL;
        }
    }
    return geoms;
}

static GEOSGeometry *siting_polygon(struct siting_parse *p, json_t *rings, json_t *out)
{
    size_t n = json_array_size(rings);
    if (!json_is_array(rings) || n < 1 || n > 100000) {
        siting_fail(p->err, p->errlen, "多边形须有外环");
        return NULL;
    }
    GEOSGeometry **geoms = siting_parts(p, rings, n, siting_ring, out);
    if (!geoms)
        return NULL;
    /* The rings are the polygon's now (or destroyed by GEOS on failure). */
    GEOSGeometry *poly =
        siting_geos()->GEOSGeom_createPolygon_r(p->ctx, geoms[0], geoms + 1, (unsigned)(n - 1));
    free(geoms);
    if (!poly)
        siting_fail(p->err, p->errlen, "多边形无效");
    return poly;
}

static GEOSGeometry *siting_multipolygon(struct siting_parse *p, json_t *polys, json_t *out)
{
    size_t n = json_array_size(polys);
    if (!json_is_array(polys) || n < 1 || n > 100000) {
        siting_fail(p->err, p->errlen, "多多边形至少要有一个多边形");
        return NULL;
    }
    GEOSGeometry **geoms = siting_parts(p, polys, n, siting_polygon, out);
    if (!geoms)
        return NULL;
    GEOSGeometry *multi =
        siting_geos()->GEOSGeom_createCollection_r(p->ctx, GEOS_MULTIPOLYGON, geoms, (unsigned)n);
    free(geoms);
    if (!multi)
        siting_fail(p->err, p->errlen, "多多边形无效");
    return multi;
}

/* Valid without asking GEOS (whose check builds a graph of the geometry): a
 * point (its coordinates were checked) or a strictly convex polygon. */
static bool siting_valid_shape(GEOSContextHandle_t ctx, const GEOSGeometry *g)
{
    if (siting_geos()->GEOSGeomTypeId_r(ctx, g) == GEOS_POINT)
        return true;
    double xy[2 * (SITING_CONVEX_MAX + 1)];
    size_t n = siting_ring_flat(ctx, g, xy);
    return n && siting_ring_turn(xy, n);
}

GEOSGeometry *siting_geometry(GEOSContextHandle_t ctx, json_t *geom, enum siting_crs crs,
                              bool allow_point, json_t **converted, size_t *points, char *err,
                              size_t errlen)
{
    struct siting_parse p = {ctx, crs, points ? *points : 0, NULL, err, errlen};
    const char *type = json_string_value(json_object_get(geom, "type"));
    json_t *coords = json_object_get(geom, "coordinates");
    json_t *out = converted ? json_array() : NULL;
    GEOSGeometry *g = NULL;
    if (!json_is_object(geom) || !type || !coords) {
        siting_fail(err, errlen, "几何须为含 type 和 coordinates 的 GeoJSON 对象");
    } else if (!strcmp(type, "Polygon")) {
        g = siting_polygon(&p, coords, out);
    } else if (!strcmp(type, "MultiPolygon")) {
        g = siting_multipolygon(&p, coords, out);
    } else if (!strcmp(type, "Point") && allow_point) {
        double x, y;
        if (!siting_point(&p, coords, &x, &y)) {
            g = siting_geos()->GEOSGeom_createPointFromXY_r(ctx, x, y);
            if (out)
                json_decref(out), out = json_pack("[ff]", x, y);
        }
    } else {
        siting_fail(err, errlen,
                    allow_point ? "几何类型须为 Point、Polygon 或 MultiPolygon"
                                : "管控单元几何须为 Polygon 或 MultiPolygon");
    }
    if (g && !siting_valid_shape(ctx, g) && siting_geos()->GEOSisValid_r(ctx, g) != 1) {
        char *why = siting_geos()->GEOSisValidReason_r(ctx, g);
        siting_fail(err, errlen, "几何无效：%.120s", why ? why : "");
        siting_geos()->GEOSFree_r(ctx, why);
        siting_geos()->GEOSGeom_destroy_r(ctx, g);
        g = NULL;
    }
    if (points)
        *points = p.points;
    if (converted) {
        if (g)
            *converted = json_pack("{ss so}", "type", type, "coordinates", out);
        else
            json_decref(out);
    }
    return g;
}
