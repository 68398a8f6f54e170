/* siting_internal — what the siting files share: the unit set's layout
 * (siting.c), the attribute and geometry builders (siting_import.c,
 * siting_shp.c, siting_parse.c), the project's shape (siting_convex.c), the
 * overlap clipper (siting_clip.c), the exact relations (siting_relate.c) and
 * the report writers (siting_report.c). Not for other modules: use siting.h. */
#ifndef ECOGOV_SITING_INTERNAL_H
#define ECOGOV_SITING_INTERNAL_H

#include "domain/siting.h"

#include <geos_c.h>
#include <proj.h>
#include <pthread.h>

#include "core/dynlib.h"

/* GEOS, opened by the first unit set or location parsed rather than by every
 * command at start-up (core/dynlib.h); PROJ likewise (siting.c). */
/* clang-format off */
#define SITING_GEOS_API(X)               \
    X(GEOSArea_r)                        \
    X(GEOSBoundary_r)                    \
    X(GEOSCoordSeq_copyToBuffer_r)       \
    X(GEOSCoordSeq_getSize_r)            \
    X(GEOSGeom_getCoordSeq_r)            \
    X(GEOSGetExteriorRing_r)             \
    X(GEOSGetGeometryN_r)                \
    X(GEOSGetInteriorRingN_r)            \
    X(GEOSGetNumGeometries_r)            \
    X(GEOSGetNumCoordinates_r)           \
    X(GEOSGetNumInteriorRings_r)         \
    X(GEOSisSimple_r)                    \
    X(GEOSContext_setErrorHandler_r)     \
    X(GEOSContext_setNoticeHandler_r)    \
    X(GEOSCoordSeq_copyFromBuffer_r)     \
    X(GEOSCoordSeq_create_r)             \
    X(GEOSCoordSeq_destroy_r)            \
    X(GEOSCoordSeq_setXY_r)              \
    X(GEOSFree_r)                        \
    X(GEOSGeoJSONWriter_create_r)        \
    X(GEOSGeoJSONWriter_destroy_r)       \
    X(GEOSGeoJSONWriter_writeGeometry_r) \
    X(GEOSGeomGetX_r)                    \
    X(GEOSGeomGetY_r)                    \
    X(GEOSGeomTypeId_r)                  \
    X(GEOSGeom_createCollection_r)       \
    X(GEOSGeom_createLinearRing_r)       \
    X(GEOSGeom_createPointFromXY_r)      \
    X(GEOSGeom_createPolygon_r)          \
    X(GEOSGeom_destroy_r)                \
    X(GEOSGeom_getExtent_r)              \
    X(GEOSGeom_transformXY_r)            \
    X(GEOSGetCentroid_r)                 \
    X(GEOSIntersection_r)                \
    X(GEOSPrepare_r)                     \
    X(GEOSPreparedContainsProperly_r)    \
    X(GEOSPreparedGeom_destroy_r)        \
    X(GEOSPreparedIntersects_r)          \
    X(GEOSSTRtree_create_r)              \
    X(GEOSSTRtree_destroy_r)             \
    X(GEOSSTRtree_insert_r)              \
    X(GEOSSTRtree_query_r)               \
    X(GEOS_finish_r)                     \
    X(GEOS_init_r)                       \
    X(GEOSisValidReason_r)               \
    X(GEOSisValid_r)
/* clang-format on */
struct siting_geos {
    SITING_GEOS_API(DYNLIB_FIELD)
};

/* The GEOS table for code that holds a GEOS context: contexts are only made
 * after the library loaded (siting_units_new, siting_location_parse). */
const struct siting_geos *siting_geos(void);

#define SITING_NDIMS 4
#define SITING_NZONES 21 /* 3-degree zones CM 75E .. 135E */

/* The report's headings of the four 管控要求 dimensions (siting.c). */
extern const char *const siting_dim_names[SITING_NDIMS];

struct siting_rule {
    bool prohibit; /* else restrict */
    char **codes;
    size_t ncodes;
    char *condition;
    char *ref;
    char *text; /* the rule as its report's JSON object (siting_report_prepare) */
    size_t text_len;
    /* The reason a report gives for it, escaped, either side of the industry
     * code: ref + "：" + 禁止/限制, and the condition's note (one block,
     * reason_head's); reason_raw: their length unescaped. */
    char *reason_head, *reason_tail;
    size_t reason_head_len, reason_tail_len, reason_raw;
};

/* One rule industry code, split into its 门类 letter (or 0) and digits. */
struct siting_match {
    unsigned char rule; /* index into the unit's rules */
    bool prohibit;      /* that rule's kind */
    char letter;
    char digits[5]; /* 0 to 4 digits, NUL-terminated */
};

struct siting_unit {
    char code[SITING_CODE_LEN + 1];
    char *name;
    char *admin_area; /* 区县, may be NULL */
    enum siting_class cls;
    char *dims[SITING_NDIMS]; /* KJBJYS, PWWPFGK, HJFXFK, ZYKFXLYQ; may be NULL */
    struct siting_rule *rules;
    size_t nrules;
    /* Every rule's industry codes, split, in rule order, in one array: what
     * siting_unit_verdict reads (siting_unit_matcher). */
    struct siting_match *match;
    size_t nmatch;
    /* The parts of the unit's report entry no check changes, as JSON text
     * (siting_report_prepare): from "{" to class_name's value, and from
     * ",\"dimensions\"" to the closing "}"; one block (entry_head's). */
    char *entry_head, *entry_tail;
    size_t entry_head_len, entry_tail_len;
    GEOSGeometry *geom;
    const GEOSPreparedGeometry *prep;
    /* The unit's own area in m² in zone slot area_slot - 1 (0: none yet), kept
     * for projects that contain the whole unit (lock held). */
    double area_m2;
    int area_slot;
    /* The rings for siting_clip_area, made at the first partial overlap
     * (rings_state 1; -1: the unit does not qualify; 0: not tried yet). */
    struct siting_rings *rings;
    int rings_state;
};

struct siting_units {
    GEOSContextHandle_t ctx;
    pthread_mutex_t lock;
    struct siting_unit *units;
    size_t n, cap;
    GEOSSTRtree *tree;
    PJ_CONTEXT *pj;
    PJ *zones[SITING_NZONES];
    /* For tests comparing with the overlay (lock held): clip_off sends every
     * partial overlap through GEOS; clip_hits counts those siting_clip_area
     * decided. */
    bool clip_off;
    unsigned long clip_hits;
};

void siting_fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* An empty unit set with its GEOS context; NULL with a message when GEOS
 * cannot be loaded. */
struct siting_units *siting_units_new(char *err, size_t errlen);

/* A GEOS geometry from a GeoJSON geometry, converted from crs; Polygon and
 * MultiPolygon always, Point when allow_point. Checks validity. *converted (when
 * not NULL) gets the WGS84 GeoJSON geometry; *points (when not NULL) carries a
 * running vertex count across calls. NULL with a message. */
GEOSGeometry *siting_geometry(GEOSContextHandle_t ctx, json_t *geom, enum siting_crs crs,
                              bool allow_point, json_t **converted, size_t *points, char *err,
                              size_t errlen);

/* Adds a unit from its properties (a JSON object with the attribute names of
 * siting.h) and geometry (taken over, also on failure). 0 or -1 with a message. */
int siting_units_add(struct siting_units *u, json_t *props, GEOSGeometry *geom, char *err,
                     size_t errlen);

/* ---- siting_clip.c, siting_convex.c, siting_relate.c: overlaps and
 * relations without GEOS's overlay ---- */

/* A unit's rings as flat lon/lat arrays: ring i is xy[2 * start[i] ..
 * 2 * start[i + 1]) (closed); dir[i] is +1 when the ring has the unit's
 * interior on its left, -1 otherwise; env = {minx, miny, maxx, maxy}. */
struct siting_rings {
    size_t nrings;
    size_t *start;
    double *xy;
    signed char *dir;
    bool *shell; /* ring i is a polygon's shell (its holes follow it) */
    double env[4];
    bool packed; /* the arrays lie in r's own block (siting_rings_new's result) */
    /* xy projected to zone pzone (siting_rings_project), or NULL: the clip
     * takes a unit vertex's projection from here for a project in that zone. */
    double *pxy;
    const void *pzone;
};

/* The rings of a valid Polygon or MultiPolygon whose rings touch nowhere, or
 * NULL (then siting_clip_area cannot be used for it). */
struct siting_rings *siting_rings_new(GEOSContextHandle_t ctx, const GEOSGeometry *unit);
void siting_rings_free(struct siting_rings *r); /* NULL is fine */

/* Projects r's vertices with project(zone) into r->pxy, once (the unit set's
 * index does it for each unit's own zone); r->pxy stays NULL when a vertex
 * cannot be projected. */
typedef int (*siting_project_fn)(double *x, double *y, void *zone);
void siting_rings_project(struct siting_rings *r, siting_project_fn project, void *zone);

/* The unit's area from r->pxy, summed as GEOSArea sums the projected unit
 * (each ring as siting_ring_area, a polygon's holes taken from its shell, the
 * polygons added in order): the same figure to the bit; -1 when r is not
 * projected. */
double siting_rings_area(const struct siting_rings *r);

/* Where point (x, y) lies for unit r, decided exactly: 1 in its interior, 2
 * on its boundary, 0 outside it; -1 not decided here (an orientation the
 * binary128 test cannot take exactly — coordinates near 0, or differences
 * that are not doubles — or a unit of more than SITING_RELATE_MAX segments:
 * GEOS's indexed locator). */
int siting_rings_locate(const struct siting_rings *r, double x, double y);

#define SITING_CONVEX_MAX 64
/* A strictly convex project polygon without holes, counter-clockwise, with its
 * projected vertices (made by the first siting_clip_area). n == 0: not one. */
struct siting_convex {
    size_t n;
    double x[SITING_CONVEX_MAX], y[SITING_CONVEX_MAX];
    double px[SITING_CONVEX_MAX], py[SITING_CONVEX_MAX];
    double env[4];
    bool projected;
    bool tried; /* siting_convex_init was called */
};

/* A polygon of one ring of at most SITING_CONVEX_MAX vertices: its
 * coordinates (closed) into xy (2 * (SITING_CONVEX_MAX + 1) doubles) and their
 * count; 0 for any other geometry. */
size_t siting_ring_flat(GEOSContextHandle_t ctx, const GEOSGeometry *g, double *xy);

/* The area of the closed ring of n coordinates xy, summed as GEOS 3.11 sums
 * it (Area::ofRingSigned: the shoelace on x less the first vertex's, term by
 * term in the same order), so a polygon of that one ring has GEOSArea's
 * figure to the bit — with neither side fusing a multiply and an add (ISO C
 * mode keeps contraction off here; Debian's x86-64 GEOS has no FMA; where a
 * build differs, test_ring_area_as_geos fails). */
double siting_ring_area(const double *xy, size_t n);

/* +1 (counter-clockwise) or -1 when the closed ring of n coordinates xy is a
 * strictly convex simple polygon (every turn one way, decided exactly; a
 * valid polygon for GEOS), else 0. */
int siting_ring_turn(const double *xy, size_t n);

/* 0 and c filled when the closed ring xy of n coordinates is such a polygon;
 * -1 (c->n == 0) otherwise. pxy (may be NULL): the same vertices projected to
 * the zone with the function siting_clip_area will be given. turn: the ring's
 * siting_ring_turn, which the caller has already computed. */
int siting_convex_init_flat(struct siting_convex *c, const double *xy, const double *pxy, size_t n,
                            int turn);
/* The same from a GEOS geometry (valid), not projected. */
int siting_convex_init(struct siting_convex *c, GEOSContextHandle_t ctx, const GEOSGeometry *g);

/* The area in m² of unit r ∩ project c, projected with project(zone), summed
 * over the vertices GEOS's overlay would give that intersection (see
 * siting_clip.c): 0 with *area and a bound *err on how far GEOS's own sum over
 * the same vertices can be from it; -1 when that cannot be guaranteed (the
 * caller runs the overlay). */
int siting_clip_area(const struct siting_rings *r, struct siting_convex *c,
                     siting_project_fn project, void *zone, double *area, double *err);

/* When no boundary of unit r enters the interior of project c, and no unit
 * vertex lies inside one of c's edges: 0, with *inside 1 when c's interior is
 * inside the unit (the overlay's result is then c's own ring, its area c's
 * area up to summation order: siting_convex_area_bound) or 0 when outside (no
 * area). -1 otherwise, or when that cannot be decided exactly. */
int siting_clip_apart(const struct siting_rings *r, const struct siting_convex *c, int *inside);

/* How unit r and convex project c lie, as GEOS's predicates would find it,
 * decided from exact orientations when their boundaries are either crossing
 * properly somewhere or apart by more than CLIP_TOL everywhere. */
enum siting_relation {
    SITING_REL_UNKNOWN = -1, /* not decided here: GEOS decides */
    SITING_REL_DISJOINT,     /* no common point */
    SITING_REL_MEETS,        /* intersecting, neither inside the other's interior */
    SITING_REL_IN_UNIT,      /* the project in the unit's interior */
    SITING_REL_IN_PROJECT,   /* the unit in the project's interior */
};
/* Units of more segments than this are left to GEOS's indexes (faster then). */
#define SITING_RELATE_MAX 256
enum siting_relation siting_clip_relate(const struct siting_rings *r,
                                        const struct siting_convex *c);

/* How far two sums of c's projected area in different vertex orders can be
 * apart (c projected). */
double siting_convex_area_bound(const struct siting_convex *c);

/* The same for any lon/lat geometry g projected to a Gauss–Krüger zone, from
 * its vertex count and envelope (at most SITING_M_PER_DEG metres a degree);
 * INFINITY for an envelope over 5° or g unreadable. GEOS's overlay returns a
 * geometry lying in the other's interior as the same rings, perhaps from
 * another first vertex or the other way round: its area is g's own within
 * this. */
#define SITING_M_PER_DEG 1.2e5
double siting_geom_area_bound(GEOSContextHandle_t ctx, const GEOSGeometry *g);
/* The same from a vertex count and a lon/lat envelope {minx, miny, maxx, maxy}. */
double siting_area_bound(size_t n, const double *env);

/* ---- siting_report.c: a check's report, as text and as a tree ---- */

/* One intersecting unit of a check, as siting.c decided it. */
struct siting_entry {
    size_t unit;
    double overlap; /* m² (0 for a point) */
    double share;   /* of the project's area; 1 for a point */
    bool sliver;
    enum siting_verdict verdict;
    int rule; /* the deciding rule's index, -1 when none */
};

/* A check's geometry, areas and verdicts: what the report says. */
struct siting_outcome {
    char industry[6]; /* normalised GB/T 4754 code */
    bool point;
    double area;  /* the project's m² in its zone, 0 for a point */
    int epsg, cm; /* the zone */
    enum siting_verdict worst;
    struct siting_entry *entries; /* ascending by unit */
    size_t n;
};

/* The report of oc as a jansson tree, for callers that add to it (lock held):
 * the same keys, order and values as siting_report_append's, which a test
 * holds them to. */
json_t *siting_report_tree(const struct siting_units *u, const struct siting_outcome *oc);
/* A rule and a unit's 管控要求 as they appear in reports and the units listing. */
json_t *siting_rule_json(const struct siting_rule *r);
json_t *siting_dims_json(const struct siting_unit *x);

/* Fills x->match from x's rules, once, when the unit is added. */
void siting_unit_matcher(struct siting_unit *x);

/* Writes the unit's and its rules' fixed parts of a report entry (entry_head,
 * entry_tail, each rule's text) from its attributes, once, when it is added. */
void siting_report_prepare(struct siting_unit *x);

/* Appends the report of oc to b as JSON text (NUL-terminated): the keys and
 * order siting.h lists for siting_check (lock held: reads the units'
 * attributes). 0, or -1 with b as it was when b cannot grow. */
int siting_report_append(const struct siting_units *u, const struct siting_outcome *oc,
                         struct buf *b);

/* Whether s is a rule industry code: a 门类 letter and/or 2-4 digits of a real 大类. */
int siting_rule_code_ok(const char *s);

#endif
