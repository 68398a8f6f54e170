/* siting_shp — control units from an ESRI Shapefile (shapelib). Rings are
 * grouped into polygons by the shapefile rule (outer rings clockwise, holes
 * counter-clockwise, a hole belonging to the outer ring that contains it), then
 * go through the same GeoJSON geometry builder and attribute checks as a
 * GeoJSON import. */
#include "domain/dbf_text.h"
#include "domain/siting_internal.h"

#include <shapefil.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const siting_shp_fields[] = {
    "HJZHGKDYBM", "HJZHGKDYMC", "ZHGKDYFL", "KJBJYS", "PWWPFGK", "HJFXFK",
    "ZYKFXLYQ",   "AREA",       "GZ_RULES", "code",   "name",    "class",
};

static double siting_shp_signed_area(const SHPObject *o, int start, int end)
{
    double a = 0;
    for (int i = start; i + 1 < end; i++)
        a += o->padfX[i] * o->padfY[i + 1] - o->padfX[i + 1] * o->padfY[i];
    return a / 2;
}

static bool siting_shp_inside(json_t *ring, double x, double y)
{
    bool in = false;
    size_t n = json_array_size(ring);
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        double xi = json_real_value(json_array_get(json_array_get(ring, i), 0));
        double yi = json_real_value(json_array_get(json_array_get(ring, i), 1));
        double xj = json_real_value(json_array_get(json_array_get(ring, j), 0));
        double yj = json_real_value(json_array_get(json_array_get(ring, j), 1));
        if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
            in = !in;
    }
    return in;
}

/* The shape as a GeoJSON MultiPolygon (new reference), NULL when empty. */
static json_t *siting_shp_geometry(const SHPObject *o)
{
    json_t *polys = json_array();
    for (int p = 0; p < o->nParts; p++) {
        int start = o->panPartStart[p];
        int end = p + 1 < o->nParts ? o->panPartStart[p + 1] : o->nVertices;
        if (start < 0 || end > o->nVertices || start >= end)
            continue;
        json_t *ring = json_array();
        for (int i = start; i < end; i++)
            json_array_append_new(ring, json_pack("[ff]", o->padfX[i], o->padfY[i]));
        bool outer = siting_shp_signed_area(o, start, end) < 0 || !json_array_size(polys);
        json_t *owner = NULL;
        if (!outer) {
            size_t k;
            json_t *poly;
            json_array_foreach(polys, k,
                               poly) if (siting_shp_inside(json_array_get(poly, 0), o->padfX[start],
                                                           o->padfY[start])) owner = poly;
            if (!owner)
                owner = json_array_get(polys, json_array_size(polys) - 1);
        }
        if (owner) {
            json_array_append_new(owner, ring);
        } else {
            json_t *poly = json_array();
            json_array_append_new(poly, ring);
            json_array_append_new(polys, poly);
        }
    }
    if (!json_array_size(polys)) {
        json_decref(polys);
        return NULL;
    }
    return json_pack("{ss so}", "type", "MultiPolygon", "coordinates", polys);
}

static json_t *siting_shp_props(DBFHandle dbf, int rec, char *err, size_t errlen)
{
    const char *bad = NULL;
    json_t *props = dbf_text_fields(dbf, rec, siting_shp_fields,
                                    sizeof siting_shp_fields / sizeof siting_shp_fields[0], &bad);
    if (!props)
        siting_fail(err, errlen, "字段 %s 的编码既不是 UTF-8 也不是 GB18030", bad);
    return props;
}

struct siting_units *siting_units_from_shapefile(const char *path, char *err, size_t errlen)
{
    SHPHandle shp;
    DBFHandle dbf;
    int count, type;
    if (!shp_open_pair(path, &shp, &dbf, &count, &type, err, errlen))
        return NULL;
    struct siting_units *u = NULL;
    if (type != SHPT_POLYGON && type != SHPT_POLYGONZ && type != SHPT_POLYGONM) {
        siting_fail(err, errlen, "Shapefile 须为面图层（Polygon）");
        goto out;
    }
    if (count < 0 || count > SITING_MAX_UNITS || count > DBFGetRecordCount(dbf)) {
        siting_fail(err, errlen, "记录数无效或过多");
        goto out;
    }
    u = siting_units_new(err, errlen);
    if (!u)
        goto out;
    size_t points = 0;
    for (int i = 0; i < count; i++) {
        char why[300] = "";
        SHPObject *o = SHPReadObject(shp, i);
        json_t *geom = o ? siting_shp_geometry(o) : NULL;
        if (o)
            SHPDestroyObject(o);
        GEOSGeometry *g = geom ? siting_geometry(u->ctx, geom, SITING_WGS84, false, NULL, &points,
                                                 why, sizeof why)
                               : NULL;
        json_decref(geom);
        if (!geom)
            snprintf(why, sizeof why, "空几何或无法读取");
        json_t *props = g ? siting_shp_props(dbf, i, why, sizeof why) : NULL;
        int bad = !g || !props;
        if (!bad)
            bad = siting_units_add(u, props, g, why, sizeof why);
        else if (g)
            siting_geos()->GEOSGeom_destroy_r(u->ctx, g);
        json_decref(props);
        if (bad) {
            siting_fail(err, errlen, "第 %d 条记录：%s", i + 1, why);
            siting_units_free(u);
            u = NULL;
            break;
        }
    }
out:
    DBFClose(dbf);
    SHPClose(shp);
    return u;
}
