/* siting — 三线一单 (生态环境分区管控) siting checks: which environmental control
 * units a project's point or polygon falls in, how much of it overlaps each, and
 * what each unit's access list says about the project's industry.
 *
 * Owns: a set of control units (one imported version) with their attributes,
 * structured rules, GEOS geometries, prepared geometries and an STRtree over
 * them; the PROJ transformations used for metric areas. Must not: touch the
 * database or the network, or decide anything about the approval procedure
 * (it answers "禁止 / 限制 / 允许, because of this rule"; the procedure decides
 * what to do with that).
 *
 * Geometry: everything is stored in WGS84/CGCS2000 longitude-latitude degrees
 * (EPSG:4326/4490; the datums differ by centimetres). Check input may be given
 * in GCJ-02 or BD-09 and is converted point by point on entry (domain/coord.h).
 * "Intersects" has the DE-9IM meaning (GEOS prepared intersects, the same
 * predicate as PostGIS ST_Intersects): touching a unit's boundary counts.
 * Areas are computed after projecting to the CGCS2000 3-degree Gauss-Krüger
 * zone whose central meridian is nearest the geometry's centre (EPSG:4534 for
 * 75°E .. EPSG:4554 for 135°E), as the 三线一单 data rules ask.
 *
 * Thread safety: a struct siting_units may be shared between threads; every
 * function that reads it takes its internal mutex (prepared geometries and the
 * STRtree build lazily and are not safe for concurrent first use). */
#ifndef ECOGOV_SITING_H
#define ECOGOV_SITING_H

#include "core/buf.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Control-unit classes; the value is the class digit of the unit code. */
enum siting_class { SITING_PRIORITY = 1, SITING_KEY = 2, SITING_GENERAL = 3 };

/* Verdicts, ordered by severity so the overall verdict is the maximum. */
enum siting_verdict { SITING_NONE = 0, SITING_ALLOW, SITING_RESTRICT, SITING_PROHIBIT };

/* The coordinate system of check input. */
enum siting_crs { SITING_WGS84 = 0, SITING_GCJ02, SITING_BD09 };

/* Import limits (hostile input). */
#define SITING_MAX_UNITS 200000
#define SITING_MAX_POINTS 5000000 /* vertices in one import */
#define SITING_MAX_RULES 64       /* per unit */
#define SITING_MAX_CODES 64       /* industry codes per rule */
#define SITING_MAX_TEXT 8000      /* bytes per text attribute */
#define SITING_CODE_LEN 13        /* "ZH" + 6-digit admin code + class digit + 4-digit serial */

struct siting_units;

/* Parses a GeoJSON FeatureCollection of control units (len bytes, need not be
 * NUL-terminated). Each feature's properties give the unit code (`code` or
 * `HJZHGKDYBM`), name (`name` or `HJZHGKDYMC`), class (`class` as 优先保护 /
 * 重点管控 / 一般管控 or 1/2/3, or `ZHGKDYFL`), the four access-list dimensions
 * (`KJBJYS` 空间布局约束, `PWWPFGK` 污染物排放管控, `HJFXFK` 环境风险防控,
 * `ZYKFXLYQ` 资源开发效率要求) and the structured rules (`rules`, an array, or
 * `GZ_RULES`, the same array as a JSON string, for formats without nesting):
 *   {"kind": "prohibit" | "restrict", "industries": ["C307", "30", "C"],
 *    "condition": "text", "ref": "空间布局约束第1条"}
 * Geometries must be valid Polygons or MultiPolygons in WGS84/CGCS2000.
 * Returns a new set (free with siting_units_free) or NULL with a message (zh,
 * naming the feature) in err. */
struct siting_units *siting_units_from_geojson(const char *text, size_t len, char *err,
                                               size_t errlen);

/* Reads an ESRI Shapefile (path of the .shp; the .shx and .dbf beside it) of
 * polygon units with the attribute fields above (text `GZ_RULES` for rules).
 * Text in the .dbf may be UTF-8 or GB18030 (converted). Reads files: the only
 * function here that does. NULL with a message on failure. */
struct siting_units *siting_units_from_shapefile(const char *path, char *err, size_t errlen);

/* Builds what the checks use of the set ahead of them — the units' search
 * tree, each unit's prepared-geometry indexes and flat rings, the projections
 * to the zones the units lie in — so the first checks after a load do not pay
 * for it (a server indexes the set it serves once; an import that only
 * validates and stores need not). Optional: a check builds what is missing. */
void siting_units_index(struct siting_units *u);

void siting_units_free(struct siting_units *u); /* NULL is fine */
size_t siting_units_count(const struct siting_units *u);

/* The units as a GeoJSON FeatureCollection with normalised properties (code,
 * name, class, class_name, the four dimensions, rules): a new reference. */
json_t *siting_units_geojson(struct siting_units *u);

/* The normalised attributes of unit i (< count) as a new JSON object, without
 * geometry (for storing a version's unit table). */
json_t *siting_unit_json(struct siting_units *u, size_t i);

/* Parses a check location: a GeoJSON Point, Polygon or MultiPolygon geometry,
 * or a Feature or a one-feature FeatureCollection holding one, in crs. On
 * success returns 0 and sets *wgs84 to the geometry converted to WGS84 (a new
 * GeoJSON geometry object). -1 with a message otherwise. */
int siting_location_parse(json_t *in, enum siting_crs crs, json_t **wgs84, char *err,
                          size_t errlen);

/* The full check of a WGS84 location (from siting_location_parse) for a
 * project of GB/T 4754 industry `industry` (normalised, e.g. "C3074"): a new
 * JSON object {industry, industry_name, geometry_type, area_m2, projection,
 * units: [{code, name, class, class_name, overlap_m2, overlap_share, sliver,
 * verdict, verdict_code, conclusion, rule, reason, dimensions}], verdict,
 * verdict_code, conclusion, note}. NULL with a message on a geometry error. */
json_t *siting_check(struct siting_units *u, json_t *wgs84, const char *industry, char *err,
                     size_t errlen);

/* What a caller of siting_check_text may want without reading the text back. */
struct siting_summary {
    enum siting_verdict worst;
    size_t *units; /* the intersecting units' indexes, ascending; free() it */
    size_t n;
};

/* The same check with its report as JSON text (NUL-terminated; free() it;
 * *len its length), written straight from the check's results without a tree
 * (bulk checks: the batch tool): what siting_check's tree would print, key for
 * key.
 * sum (may be NULL) gets the verdict and the units on success (else zeroed).
 * NULL with a message, as siting_check. */
char *siting_check_text(struct siting_units *u, json_t *wgs84, const char *industry, size_t *len,
                        struct siting_summary *sum, char *err, size_t errlen);

/* The same report appended to out (NUL-terminated after it), for callers that
 * reuse one buffer across checks; 0, or -1 with a message and out as it was. */
int siting_check_append(struct siting_units *u, json_t *wgs84, const char *industry,
                        struct buf *out, struct siting_summary *sum, char *err, size_t errlen);

/* Only the predicate: fills idx (capacity max) with the indexes of the units
 * the WGS84 location intersects, ascending; returns how many intersect (may
 * exceed max), or -1 with a message. For bulk comparison and benchmarks. */
long siting_intersecting(struct siting_units *u, json_t *wgs84, size_t *idx, size_t max, char *err,
                         size_t errlen);

/* The code of unit i (< count). Static for the life of u. */
const char *siting_unit_code(const struct siting_units *u, size_t i);

/* The verdict for an industry under one unit's rules alone (pure, no
 * geometry): the deciding rule index in *rule (-1 when none decided). */
enum siting_verdict siting_unit_verdict(const struct siting_units *u, size_t i,
                                        const char *industry, int *rule);

/* Does rule code `rule` ("C", "C30", "307", "3074") cover project code
 * `industry` ("C3074")? Letters compare as 门类, digits as a prefix. */
bool siting_industry_covers(const char *rule, const char *industry);

/* "禁止" / "限制" / "允许" / "未落入管控单元", and the stable codes
 * "prohibit" / "restrict" / "allow" / "none". */
const char *siting_verdict_name(enum siting_verdict v);
const char *siting_verdict_code(enum siting_verdict v);
/* "优先保护" / "重点管控" / "一般管控". */
const char *siting_class_name(enum siting_class c);
/* "wgs84" | "cgcs2000" | "gcj02" | "bd09"; 0 or -1. */
int siting_crs_parse(const char *s, enum siting_crs *out);

#endif
