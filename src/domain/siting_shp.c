/* siting_shp — control units from an ESRI Shapefile (shapelib). Rings are
 * grouped into polygons by the shapefile rule (outer rings clockwise, holes
 * counter-clockwise, a hole belonging to the outer ring that contains it), then
 * go through the same GeoJSON geometry builder and attribute checks as a
 * GeoJSON import. */
#include "core/text.h"
#include "core/xalloc.h"
#include "domain/siting_internal.h"

#include <iconv.h>
#include <shapefil.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const siting_shp_fields[] = {
    "HJZHGKDYBM", "HJZHGKDYMC", "ZHGKDYFL", "KJBJYS", "PWWPFGK", "HJFXFK",
    "ZYKFXLYQ",   "AREA",       "GZ_RULES", "code",   "name",    "class",
};

/* DBF text as UTF-8: kept when valid, else converted from GB18030. NULL when
 * it is neither. */
static char *siting_shp_text(const char *s)
{
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--;
    if (text_utf8_valid(s, n))
        return xstrndup(s, n);
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = n * 2 + 1, left = cap - 1;
    char *out = xmalloc(cap), *o = out, *in = (char *)s;
    size_t inleft = n;
    size_t rc = iconv(cd, &in, &inleft, &o, &left);
    iconv_close(cd);
    if (rc == (size_t)-1 || inleft) {
        free(out);
        return NULL;
    }
    *o = '\0';
    return out;
}

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
    json_t *props = json_object();
    for (size_t f = 0; f < sizeof siting_shp_fields / sizeof siting_shp_fields[0]; f++) {
        int idx = DBFGetFieldIndex(dbf, siting_shp_fields[f]);
        if (idx < 0 || DBFIsAttributeNULL(dbf, rec, idx))
            continue;
        const char *raw = DBFReadStringAttribute(dbf, rec, idx);
        char *s = raw ? siting_shp_text(raw) : NULL;
        if (!s) {
            siting_fail(err, errlen, "字段 %s 的编码既不是 UTF-8 也不是 GB18030",
                        siting_shp_fields[f]);
            json_decref(props);
            return NULL;
        }
        if (*s)
            json_object_set_new(props, siting_shp_fields[f], json_string(s));
        free(s);
    }
    return props;
}

struct siting_units *siting_units_from_shapefile(const char *path, char *err, size_t errlen)
{
    SHPHandle shp = SHPOpen(path, "rb");
    DBFHandle dbf = shp ? DBFOpen(path, "rb") : NULL;
    if (!shp || !dbf) {
        siting_fail(err, errlen, "无法打开 Shapefile（需要 .shp、.shx、.dbf）：%s", path);
        if (shp)
            SHPClose(shp);
        return NULL;
    }
    int count = 0, type = 0;
    SHPGetInfo(shp, &count, &type, NULL, NULL);
    struct siting_units *u = NULL;
    if (type != SHPT_POLYGON && type != SHPT_POLYGONZ && type != SHPT_POLYGONM) {
        siting_fail(err, errlen, "Shapefile 须为面图层（Polygon）");
        goto out;
    }
    if (count < 0 || count > SITING_MAX_UNITS || count > DBFGetRecordCount(dbf)) {
        siting_fail(err, errlen, "记录数无效或过多");
        goto out;
    }
    u = siting_units_new();
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
            GEOSGeom_destroy_r(u->ctx, g);
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
