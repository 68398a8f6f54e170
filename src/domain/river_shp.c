/* river_shp — reaches from an ESRI Shapefile (shapelib): a line layer (Arc)
 * or a polygon layer (lakes) with the same attribute names as the GeoJSON
 * import, turned into that import's FeatureCollection so both go through
 * one check (river_rules.h). */
#include "domain/dbf_text.h"
#include "domain/river_rules.h"

#include <shapefil.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RIVER_SHP_MAX_RECORDS 2000

static const char *const river_shp_text_fields[] = {
    "code",   "name",     "water_code", "water_name", "water_kind",
    "county", "township", "village",    "start",      "end",
};

/* Positions [v0, v1) of o as a GeoJSON array. */
static json_t *river_shp_line(const SHPObject *o, int v0, int v1)
{
    json_t *line = json_array();
    for (int v = v0; v < v1; v++)
        json_array_append_new(line, json_pack("[ff]", o->padfX[v], o->padfY[v]));
    return line;
}

/* A record's geometry: one part a LineString, more a MultiLineString; a
 * polygon's first ring is its outline, the others its islands. */
static json_t *river_shp_geometry(const SHPObject *o, bool polygon)
{
    if (o->nVertices <= 0 || o->nParts <= 0 || o->nParts > RIVER_GEOM_MAX_PARTS ||
        o->nVertices > RIVER_GEOM_MAX_POINTS)
        return NULL;
    json_t *parts = json_array();
    for (int i = 0; i < o->nParts; i++) {
        int v0 = o->panPartStart[i], v1 = i + 1 < o->nParts ? o->panPartStart[i + 1] : o->nVertices;
        if (v0 < 0 || v1 > o->nVertices || v0 >= v1) {
            json_decref(parts);
            return NULL;
        }
        json_array_append_new(parts, river_shp_line(o, v0, v1));
    }
    if (polygon)
        return json_pack("{ss so}", "type", "Polygon", "coordinates", parts);
    if (json_array_size(parts) == 1) {
        json_t *line = json_incref(json_array_get(parts, 0));
        json_decref(parts);
        return json_pack("{ss so}", "type", "LineString", "coordinates", line);
    }
    return json_pack("{ss so}", "type", "MultiLineString", "coordinates", parts);
}

/* A record's attributes; NULL with err when a text is neither UTF-8 nor
 * GB18030. */
/* A record's attributes; NULL with err when a text is neither UTF-8 nor
 * GB18030. */
static json_t *river_shp_props(DBFHandle dbf, int rec, char *err, size_t errlen)
{
    const char *bad = NULL;
    json_t *props =
        dbf_text_fields(dbf, rec, river_shp_text_fields,
                        sizeof river_shp_text_fields / sizeof river_shp_text_fields[0], &bad);
    if (!props) {
        snprintf(err, errlen, "第 %d 条记录的字段 %s 既不是 UTF-8 也不是 GB18030", rec + 1, bad);
        return NULL;
    }
    int seq = DBFGetFieldIndex(dbf, "seq");
    if (seq >= 0 && !DBFIsAttributeNULL(dbf, rec, seq))
        json_object_set_new(props, "seq", json_integer(DBFReadIntegerAttribute(dbf, rec, seq)));
    return props;
}

json_t *river_shapefile_geojson(const char *path, char *err, size_t errlen)
{
    SHPHandle shp;
    DBFHandle dbf;
    int count, type;
    if (!shp_open_pair(path, &shp, &dbf, &count, &type, err, errlen))
        return NULL;
    bool polygon = type == SHPT_POLYGON || type == SHPT_POLYGONZ || type == SHPT_POLYGONM;
    bool arc = type == SHPT_ARC || type == SHPT_ARCZ || type == SHPT_ARCM;
    json_t *features = NULL;
    if (!polygon && !arc)
        snprintf(err, errlen, "Shapefile 须为线图层（Arc）或面图层（Polygon）");
    else if (count <= 0 || count > RIVER_SHP_MAX_RECORDS || count > DBFGetRecordCount(dbf))
        snprintf(err, errlen, "记录数须为 1 至 %d 条，且与 .dbf 一致", RIVER_SHP_MAX_RECORDS);
    else
        features = json_array();
    for (int i = 0; features && i < count; i++) {
        SHPObject *o = SHPReadObject(shp, i);
        json_t *geom = o ? river_shp_geometry(o, polygon) : NULL;
        if (o)
            SHPDestroyObject(o);
        json_t *props = geom ? river_shp_props(dbf, i, err, errlen) : NULL;
        if (!geom)
            snprintf(err, errlen, "第 %d 条记录的几何图形为空、无法读取或过大", i + 1);
        if (!geom || !props) {
            json_decref(geom);
            json_decref(features);
            features = NULL;
            break;
        }
        json_array_append_new(features, json_pack("{ss so so}", "type", "Feature", "properties",
                                                  props, "geometry", geom));
    }
    DBFClose(dbf);
    SHPClose(shp);
    return features ? json_pack("{ss so}", "type", "FeatureCollection", "features", features)
                    : NULL;
}
