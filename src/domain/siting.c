/* siting — see siting.h. The GEOS reentrant API (one context per unit set),
 * prepared geometries with an STRtree, PROJ for metric areas. */
#include "domain/siting.h"
#include "core/xalloc.h"
#include "domain/industry.h"
#include "domain/siting_internal.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Overlaps below both limits are reported as slivers (boundary-fitting noise
 * between administrative lines and unit polygons). */
#define SITING_SLIVER_SHARE 0.01
#define SITING_SLIVER_M2 1000.0
/* CGCS2000 3-degree Gauss-Krüger zones: CM 75°E is EPSG:4534 .. 135°E EPSG:4554. */
#define SITING_GK_FIRST_CM 75
#define SITING_GK_LAST_CM 135
#define SITING_GK_EPSG0 4534

static const char *const siting_dim_keys[SITING_NDIMS] = {"KJBJYS", "PWWPFGK", "HJFXFK",
                                                          "ZYKFXLYQ"};
const char *const siting_dim_names[SITING_NDIMS] = {"空间布局约束", "污染物排放管控",
                                                    "环境风险防控", "资源开发效率要求"};

void siting_fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

DYNLIB_ONCE(siting_geos, "libgeos_c.so.1", SITING_GEOS_API)

const struct siting_geos *siting_geos(void)
{
    return &siting_geos_table;
}

/* clang-format off */
#define SITING_PROJ_API(X)              \
    X(proj_context_create)              \
    X(proj_context_destroy)             \
    X(proj_coord)                       \
    X(proj_create_crs_to_crs)           \
    X(proj_destroy)                     \
    X(proj_log_level)                   \
    X(proj_normalize_for_visualization) \
    X(proj_trans)
/* clang-format on */
struct siting_proj {
    SITING_PROJ_API(DYNLIB_FIELD)
};
DYNLIB_ONCE(siting_proj, "libproj.so.25", SITING_PROJ_API)

static void siting_geos_message(const char *fmt, ...)
{
    (void)fmt; /* GEOS errors surface as NULL returns, reported by the caller */
}

struct siting_units *siting_units_new(char *err, size_t errlen)
{
    const char *why = NULL;
    if (!siting_geos_get(&why)) {
        siting_fail(err, errlen, "%s", why);
        return NULL;
    }
    struct siting_units *u = xcalloc(1, sizeof *u);
    u->ctx = siting_geos()->GEOS_init_r();
    siting_geos()->GEOSContext_setErrorHandler_r(u->ctx, siting_geos_message);
    siting_geos()->GEOSContext_setNoticeHandler_r(u->ctx, siting_geos_message);
    pthread_mutex_init(&u->lock, NULL);
    return u;
}

static void siting_unit_clear(struct siting_units *u, struct siting_unit *x)
{
    free(x->name);
    free(x->admin_area);
    for (int d = 0; d < SITING_NDIMS; d++)
        free(x->dims[d]);
    for (size_t r = 0; r < x->nrules; r++) {
        for (size_t c = 0; c < x->rules[r].ncodes; c++)
            free(x->rules[r].codes[c]);
        free(x->rules[r].codes);
        free(x->rules[r].condition);
        free(x->rules[r].ref);
        free(x->rules[r].text);
        free(x->rules[r].reason_head); /* reason_tail lies in the same block */
    }
    free(x->rules);
    free(x->entry_head); /* entry_tail lies in the same block */
    free(x->match);
    siting_rings_free(x->rings);
    if (x->prep)
        siting_geos()->GEOSPreparedGeom_destroy_r(u->ctx, x->prep);
    if (x->geom)
        siting_geos()->GEOSGeom_destroy_r(u->ctx, x->geom);
}

void siting_units_free(struct siting_units *u)
{
    if (!u)
        return;
    if (u->tree)
        siting_geos()->GEOSSTRtree_destroy_r(u->ctx, u->tree);
    for (size_t i = 0; i < u->n; i++)
        siting_unit_clear(u, &u->units[i]);
    free(u->units);
    for (int z = 0; z < SITING_NZONES; z++)
        if (u->zones[z])
            siting_proj_table.proj_destroy(u->zones[z]); /* made: PROJ is loaded */
    if (u->pj)
        siting_proj_table.proj_context_destroy(u->pj);
    siting_geos()->GEOS_finish_r(u->ctx);
    pthread_mutex_destroy(&u->lock);
    free(u);
}

size_t siting_units_count(const struct siting_units *u)
{
    return u ? u->n : 0;
}

const char *siting_unit_code(const struct siting_units *u, size_t i)
{
    return i < u->n ? u->units[i].code : "";
}

const char *siting_verdict_name(enum siting_verdict v)
{
    static const char *const names[] = {"未落入管控单元", "允许", "限制", "禁止"};
    return v <= SITING_PROHIBIT ? names[v] : "";
}

const char *siting_verdict_code(enum siting_verdict v)
{
    static const char *const codes[] = {"none", "allow", "restrict", "prohibit"};
    return v <= SITING_PROHIBIT ? codes[v] : "";
}

const char *siting_class_name(enum siting_class c)
{
    return c == SITING_PRIORITY ? "优先保护" : c == SITING_KEY ? "重点管控" : "一般管控";
}

int siting_crs_parse(const char *s, enum siting_crs *out)
{
    if (!s || !strcmp(s, "wgs84") || !strcmp(s, "cgcs2000"))
        *out = SITING_WGS84;
    else if (!strcmp(s, "gcj02"))
        *out = SITING_GCJ02;
    else if (!strcmp(s, "bd09"))
        *out = SITING_BD09;
    else
        return -1;
    return 0;
}

/* ---- industry codes ---- */

/* Splits "C3074" / "3074" / "C" into letter and digits; 0 or -1 when the
 * format is not a letter and/or 2-4 digits. */
static int siting_code_split(const char *s, char *letter, const char **digits)
{
    *letter = 0;
    if (*s >= 'A' && *s <= 'Z')
        *letter = *s++;
    size_t n = strlen(s);
    if (n == 0 && *letter)
        return *digits = s, 0;
    if (n < 2 || n > 4)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return -1;
    *digits = s;
    return 0;
}

bool siting_industry_covers(const char *rule, const char *industry)
{
    char rl, il;
    const char *rd, *id;
    if (!rule || !industry || siting_code_split(rule, &rl, &rd) ||
        siting_code_split(industry, &il, &id))
        return false;
    if (!il && *id)
        il = industry_section_of(id);
    if (!*rd)
        return rl == il;
    if (rl && il && rl != il)
        return false;
    return strncmp(rd, id, strlen(rd)) == 0;
}

int siting_rule_code_ok(const char *s)
{
    char l;
    const char *d;
    if (strlen(s) > 5 || siting_code_split(s, &l, &d))
        return 0;
    if (*d && !industry_section_of(d))
        return 0;
    return !l || !*d || industry_section_of(d) == l;
}

void siting_unit_matcher(struct siting_unit *x)
{
    size_t n = 0;
    for (size_t r = 0; r < x->nrules; r++)
        n += x->rules[r].ncodes;
    x->match = xcalloc(n ? n : 1, sizeof *x->match);
    _Static_assert(SITING_MAX_RULES <= UCHAR_MAX + 1, "a rule's index fits its byte");
    for (size_t r = 0; r < x->nrules; r++)
        for (size_t c = 0; c < x->rules[r].ncodes; c++) {
            struct siting_match *m = &x->match[x->nmatch];
            const char *digits;
            if (siting_code_split(x->rules[r].codes[c], &m->letter, &digits))
                continue; /* covers nothing */
            m->rule = (unsigned char)r, m->prohibit = x->rules[r].prohibit;
            snprintf(m->digits, sizeof m->digits, "%s", digits);
            x->nmatch++;
        }
}

enum siting_verdict siting_unit_verdict(const struct siting_units *u, size_t i,
                                        const char *industry, int *rule)
{
    *rule = -1;
    if (i >= u->n)
        return SITING_NONE;
    const struct siting_unit *x = &u->units[i];
    enum siting_verdict v = SITING_ALLOW;
    char il;
    const char *id;
    if (!x->nmatch || !industry || siting_code_split(industry, &il, &id))
        return v;
    if (!il && *id)
        il = industry_section_of(id);
    /* In rule order, as siting_industry_covers reads each code: a later rule
     * counts only when it is of a stronger kind. */
    for (size_t k = 0; k < x->nmatch; k++) {
        const struct siting_match *m = &x->match[k];
        enum siting_verdict rv = m->prohibit ? SITING_PROHIBIT : SITING_RESTRICT;
        if (rv <= v)
            continue;
        bool covers = !m->digits[0] ? m->letter == il
                      : m->letter && il && m->letter != il
                          ? false
                          : strncmp(m->digits, id, strlen(m->digits)) == 0;
        if (covers)
            v = rv, *rule = m->rule;
    }
    return v;
}

int siting_location_parse(json_t *in, enum siting_crs crs, json_t **wgs84, char *err, size_t errlen)
{
    *wgs84 = NULL;
    const char *type = json_string_value(json_object_get(in, "type"));
    if (type && !strcmp(type, "FeatureCollection")) {
        json_t *features = json_object_get(in, "features");
        if (json_array_size(features) != 1) {
            siting_fail(err, errlen, "位置须为恰好含一个要素的 FeatureCollection");
            return -1;
        }
        in = json_array_get(features, 0);
        type = json_string_value(json_object_get(in, "type"));
    }
    if (type && !strcmp(type, "Feature"))
        in = json_object_get(in, "geometry");
    const char *why = NULL;
    if (!siting_geos_get(&why)) {
        siting_fail(err, errlen, "%s", why);
        return -1;
    }
    GEOSContextHandle_t ctx = siting_geos()->GEOS_init_r();
    siting_geos()->GEOSContext_setErrorHandler_r(ctx, siting_geos_message);
    GEOSGeometry *g = siting_geometry(ctx, in, crs, true, wgs84, NULL, err, errlen);
    if (g)
        siting_geos()->GEOSGeom_destroy_r(ctx, g);
    siting_geos()->GEOS_finish_r(ctx);
    return g ? 0 : -1;
}

/* ---- areas ---- */

static void siting_zone_of(double lon, int *cm, int *slot)
{
    int c = (int)lround(lon / 3.0) * 3;
    if (c < SITING_GK_FIRST_CM)
        c = SITING_GK_FIRST_CM;
    if (c > SITING_GK_LAST_CM)
        c = SITING_GK_LAST_CM;
    *cm = c;
    *slot = (c - SITING_GK_FIRST_CM) / 3;
}

/* The lon/lat -> zone transformation, created on first use (lock held). */
static PJ *siting_zone(struct siting_units *u, int slot)
{
    if (u->zones[slot])
        return u->zones[slot];
    const char *why = NULL;
    const struct siting_proj *lib = siting_proj_get(&why);
    if (!lib)
        return NULL; /* no metric area: reported as unknown (-1) */
    if (!u->pj) {
        u->pj = lib->proj_context_create();
        lib->proj_log_level(u->pj, PJ_LOG_NONE);
    }
    char target[32];
    snprintf(target, sizeof target, "EPSG:%d", SITING_GK_EPSG0 + slot);
    PJ *t = lib->proj_create_crs_to_crs(u->pj, "EPSG:4490", target, NULL);
    if (!t)
        return NULL;
    PJ *norm = lib->proj_normalize_for_visualization(u->pj, t);
    lib->proj_destroy(t);
    return u->zones[slot] = norm;
}

/* Called only with a zone made by siting_zone: PROJ is loaded. */
static int siting_project_xy(double *x, double *y, void *userdata)
{
    PJ_COORD c = siting_proj_table.proj_coord(*x, *y, 0, 0);
    c = siting_proj_table.proj_trans((PJ *)userdata, PJ_FWD, c);
    if (!isfinite(c.xy.x) || !isfinite(c.xy.y))
        return 0;
    *x = c.xy.x, *y = c.xy.y;
    return 1;
}

/* Area in m² of a lon/lat geometry in the given zone; -1 on error. */
static double siting_area(struct siting_units *u, const GEOSGeometry *g, PJ *zone)
{
    if (!zone)
        return -1;
    GEOSGeometry *m = siting_geos()->GEOSGeom_transformXY_r(u->ctx, g, siting_project_xy, zone);
    if (!m)
        return -1;
    double a = 0;
    if (!siting_geos()->GEOSArea_r(u->ctx, m, &a))
        a = -1;
    siting_geos()->GEOSGeom_destroy_r(u->ctx, m);
    return a;
}

/* ---- queries ---- */

/* A unit the query intersects, and how it lies (siting_clip_relate). */
struct siting_hit {
    size_t unit;
    enum siting_relation rel;
};

struct siting_hits {
    struct siting_units *u;
    const GEOSGeometry *g;
    const struct siting_convex *cv; /* g as a convex polygon, or NULL */
    bool point;                     /* g is the point (x, y) */
    double x, y;
    struct siting_hit *hit;
    size_t n, cap;
};

/* How unit x lies to the query: for a convex polygon, from the unit's rings
 * when that decides it (siting_clip_relate), else GEOS's intersects (and the
 * relation left unknown). */
static enum siting_relation siting_hit_relation(struct siting_hits *h, struct siting_unit *x)
{
    if ((h->cv || h->point) && !x->rings_state) {
        x->rings = siting_rings_new(h->u->ctx, x->geom);
        x->rings_state = x->rings ? 1 : -1;
    }
    enum siting_relation rel = SITING_REL_UNKNOWN;
    if (h->cv && x->rings_state > 0)
        rel = siting_clip_relate(x->rings, h->cv);
    /* A point in or on a unit: no area, the relation is not needed beyond that. */
    if (h->point && x->rings_state > 0) {
        int in = siting_rings_locate(x->rings, h->x, h->y);
        rel = in < 0 ? SITING_REL_UNKNOWN : in ? SITING_REL_MEETS : SITING_REL_DISJOINT;
    }
    if (rel != SITING_REL_UNKNOWN)
        return rel;
    return siting_geos()->GEOSPreparedIntersects_r(h->u->ctx, x->prep, h->g) == 1
               ? SITING_REL_UNKNOWN
               : SITING_REL_DISJOINT;
}

static void siting_tree_hit(void *item, void *userdata)
{
    struct siting_hits *h = userdata;
    struct siting_unit *x = item;
    enum siting_relation rel = siting_hit_relation(h, x);
    if (rel == SITING_REL_DISJOINT)
        return;
    if (h->n == h->cap)
        h->cap = h->cap ? h->cap * 2 : 16, h->hit = xrealloc(h->hit, h->cap * sizeof *h->hit);
    h->hit[h->n++] = (struct siting_hit){(size_t)(x - h->u->units), rel};
}

static int siting_cmp_hit(const void *a, const void *b)
{
    size_t x = ((const struct siting_hit *)a)->unit, y = ((const struct siting_hit *)b)->unit;
    return x < y ? -1 : x > y;
}

/* Builds the tree on first use (lock held). */
static void siting_tree(struct siting_units *u)
{
    if (u->tree)
        return;
    u->tree = siting_geos()->GEOSSTRtree_create_r(u->ctx, 10);
    for (size_t i = 0; i < u->n; i++)
        siting_geos()->GEOSSTRtree_insert_r(u->ctx, u->tree, u->units[i].geom, &u->units[i]);
}

/* A box polygon around {minx, miny, maxx, maxy} grown by a margin; NULL if
 * GEOS fails. */
static GEOSGeometry *siting_box_around(GEOSContextHandle_t ctx, const double *e)
{
    const struct siting_geos *g = siting_geos();
    double m = 1e-6 + 1e-3 * fmax(e[2] - e[0], e[3] - e[1]);
    double x0 = e[0] - m, y0 = e[1] - m, x1 = e[2] + m, y1 = e[3] + m;
    const double xy[] = {x0, y0, x1, y0, x1, y1, x0, y1, x0, y0};
    GEOSCoordSequence *seq = g->GEOSCoordSeq_create_r(ctx, 5, 2);
    if (!seq)
        return NULL;
    for (unsigned i = 0; i < 5; i++)
        g->GEOSCoordSeq_setXY_r(ctx, seq, i, xy[2 * i], xy[2 * i + 1]);
    GEOSGeometry *ring = g->GEOSGeom_createLinearRing_r(ctx, seq);
    return ring ? g->GEOSGeom_createPolygon_r(ctx, ring, NULL, 0) : NULL;
}

static void siting_tree_none(void *item, void *userdata)
{
    (void)item, (void)userdata;
}

/* One unit's parts (lock held): its rings, its prepared geometry's indexes
 * (GEOS builds them at the first test that needs them: a box around the unit,
 * whose first corner is outside it, needs the point locator, the segment
 * index and the containment test) and the projections to its zones. */
static void siting_unit_index(struct siting_units *u, struct siting_unit *x)
{
    const struct siting_geos *g = siting_geos();
    if (!x->rings_state) {
        x->rings = siting_rings_new(u->ctx, x->geom);
        x->rings_state = x->rings ? 1 : -1;
    }
    double e[4];
    if (!g->GEOSGeom_getExtent_r(u->ctx, x->geom, &e[0], &e[1], &e[2], &e[3]))
        return;
    GEOSGeometry *box = siting_box_around(u->ctx, e);
    if (box) {
        g->GEOSPreparedIntersects_r(u->ctx, x->prep, box);
        g->GEOSGeom_destroy_r(u->ctx, box);
    }
    int cm, lo, hi, home;
    siting_zone_of(e[0], &cm, &lo);
    siting_zone_of(e[2], &cm, &hi);
    for (int slot = lo; slot <= hi; slot++)
        siting_zone(u, slot);
    /* The unit's vertices projected to the zone of its middle, where most
     * projects over it lie: the clip then projects only the crossings. */
    siting_zone_of((e[0] + e[2]) / 2, &cm, &home);
    PJ *zone = siting_zone(u, home);
    if (zone && x->rings_state > 0)
        siting_rings_project(x->rings, siting_project_xy, zone);
}

void siting_units_index(struct siting_units *u)
{
    pthread_mutex_lock(&u->lock);
    siting_tree(u);
    /* GEOS builds the tree at its first query. */
    GEOSGeometry *pt = u->n ? siting_geos()->GEOSGeom_createPointFromXY_r(u->ctx, 0, 0) : NULL;
    if (pt) {
        siting_geos()->GEOSSTRtree_query_r(u->ctx, u->tree, pt, siting_tree_none, NULL);
        siting_geos()->GEOSGeom_destroy_r(u->ctx, pt);
    }
    for (size_t i = 0; i < u->n; i++)
        siting_unit_index(u, &u->units[i]);
    pthread_mutex_unlock(&u->lock);
}

/* The intersecting units of g, ascending (lock held); caller frees h->hit. */
static void siting_query(struct siting_units *u, const GEOSGeometry *g,
                         const struct siting_convex *cv, struct siting_hits *h)
{
    memset(h, 0, sizeof *h);
    h->u = u, h->g = g, h->cv = cv && cv->n ? cv : NULL;
    h->point = siting_geos()->GEOSGeomTypeId_r(u->ctx, g) == GEOS_POINT &&
               siting_geos()->GEOSGeomGetX_r(u->ctx, g, &h->x) &&
               siting_geos()->GEOSGeomGetY_r(u->ctx, g, &h->y);
    siting_tree(u);
    if (u->n)
        siting_geos()->GEOSSTRtree_query_r(u->ctx, u->tree, g, siting_tree_hit, h);
    if (h->n > 1)
        qsort(h->hit, h->n, sizeof *h->hit, siting_cmp_hit);
}

long siting_intersecting(struct siting_units *u, json_t *wgs84, size_t *idx, size_t max, char *err,
                         size_t errlen)
{
    pthread_mutex_lock(&u->lock);
    GEOSGeometry *g = siting_geometry(u->ctx, wgs84, SITING_WGS84, true, NULL, NULL, err, errlen);
    long n = -1;
    if (g) {
        struct siting_hits h;
        siting_query(u, g, NULL, &h);
        for (size_t i = 0; i < h.n && i < max; i++)
            idx[i] = h.hit[i].unit;
        n = (long)h.n;
        free(h.hit);
        siting_geos()->GEOSGeom_destroy_r(u->ctx, g);
    }
    pthread_mutex_unlock(&u->lock);
    return n;
}

json_t *siting_unit_json(struct siting_units *u, size_t i)
{
    if (i >= u->n)
        return NULL;
    const struct siting_unit *x = &u->units[i];
    json_t *rules = json_array();
    for (size_t r = 0; r < x->nrules; r++)
        json_array_append_new(rules, siting_rule_json(&x->rules[r]));
    json_t *o = json_pack("{ss ss si ss ss so so}", "code", x->code, "name", x->name, "class",
                          (int)x->cls, "class_name", siting_class_name(x->cls), "area",
                          x->admin_area ? x->admin_area : "", "dimensions", siting_dims_json(x),
                          "rules", rules);
    for (int d = 0; d < SITING_NDIMS; d++)
        json_object_set_new(o, siting_dim_keys[d], json_string(x->dims[d] ? x->dims[d] : ""));
    return o;
}

json_t *siting_units_geojson(struct siting_units *u)
{
    pthread_mutex_lock(&u->lock);
    json_t *features = json_array();
    for (size_t i = 0; i < u->n; i++) {
        char *wkt = NULL;
        GEOSGeoJSONWriter *w = siting_geos()->GEOSGeoJSONWriter_create_r(u->ctx);
        if (w)
            wkt = siting_geos()->GEOSGeoJSONWriter_writeGeometry_r(u->ctx, w, u->units[i].geom, -1);
        json_t *geom = wkt ? json_loads(wkt, 0, NULL) : NULL;
        siting_geos()->GEOSFree_r(u->ctx, wkt);
        if (w)
            siting_geos()->GEOSGeoJSONWriter_destroy_r(u->ctx, w);
        json_array_append_new(features, json_pack("{ss so so}", "type", "Feature", "geometry",
                                                  geom ? geom : json_null(), "properties",
                                                  siting_unit_json(u, i)));
    }
    pthread_mutex_unlock(&u->lock);
    return json_pack("{ss so}", "type", "FeatureCollection", "features", features);
}

/* The project of one check, as the overlaps need it (lock held). */
struct siting_project {
    const GEOSGeometry *g;
    const GEOSPreparedGeometry *pg; /* made at the first containment test, else NULL */
    bool several;                   /* the check hits more than one unit */
    double area;                    /* m² in the zone; 0 for a point */
    int slot, cm;                   /* the zone and its central meridian */
    PJ *zone;
    /* A polygon of one ring (siting_ring_flat): its coordinates, lon/lat and
     * projected to the zone; nflat 0 otherwise. */
    size_t nflat;
    int turn; /* its siting_ring_turn (0: not strictly convex, or no ring) */
    double xy[2 * (SITING_CONVEX_MAX + 1)], pxy[2 * (SITING_CONVEX_MAX + 1)];
    struct siting_convex cv; /* made at the first partial overlap */
};

/* Does every overlap in [lo, hi] give the same report entry (overlap_m2 and
 * overlap_share as rounded, sliver)? Each of those is monotonic in the overlap. */
static bool siting_report_settled(double lo, double hi, double project_area)
{
    double slo = lo / project_area, shi = hi / project_area;
    return lo >= 0 && round(lo * 100) == round(hi * 100) && round(slo * 1e6) == round(shi * 1e6) &&
           (lo < SITING_SLIVER_M2) == (hi < SITING_SLIVER_M2) &&
           (slo < SITING_SLIVER_SHARE) == (shi < SITING_SLIVER_SHARE);
}

/* The overlap from the overlay's vertices without the overlay (siting_clip.c),
 * when it applies and its error bound cannot change the report; else -1. */
static double siting_overlap_clipped(struct siting_units *u, struct siting_unit *x,
                                     struct siting_project *p)
{
    if (u->clip_off || !p->zone)
        return -1;
    if (!p->cv.tried)
        siting_convex_init_flat(&p->cv, p->xy, p->nflat ? p->pxy : NULL, p->nflat, p->turn);
    /* The crossings' error bound assumes at most 1.2e5 m a degree: a project
     * within 2.5° of its zone's meridian and 60° of the equator. */
    const double *e = p->cv.env;
    if (!p->cv.n || e[0] < p->cm - 2.5 || e[2] > p->cm + 2.5 || e[1] < -60 || e[3] > 60)
        return -1;
    if (!x->rings_state) {
        x->rings = siting_rings_new(u->ctx, x->geom);
        x->rings_state = x->rings ? 1 : -1;
    }
    if (x->rings_state < 0)
        return -1;
    double a, err;
    int inside;
    if (siting_clip_area(x->rings, &p->cv, siting_project_xy, p->zone, &a, &err)) {
        /* Touching only (no unit boundary in the project's interior): the
         * overlay's result is the project's own ring (summed from another
         * vertex perhaps) or has no area. */
        if (!p->cv.projected || siting_clip_apart(x->rings, &p->cv, &inside))
            return -1;
        a = inside ? p->area : 0;
        err = inside ? siting_convex_area_bound(&p->cv) : 0;
    }
    if (!siting_report_settled(a - err, a + err, p->area))
        return -1;
    u->clip_hits++;
    return a;
}

/* The overlap in m² of project p (area > 0) with unit x, or -1. When one lies in the other's
 * interior, not touching its boundary, the overlay would return that one's own rings unchanged
 * (nothing to node), so its area is used without computing the overlay: the project's (already
 * known) or the unit's (kept per zone). Otherwise the overlay's vertices, computed without it when
 * siting_clip.c can, or the overlay. */
static double siting_unit_area(struct siting_units *u, struct siting_unit *x,
                               const struct siting_project *p)
{
    if (x->area_slot != p->slot + 1) {
        /* From the vertices the index projected, when to this zone: the
         * figure GEOS gives the projected unit (siting_rings_area). */
        const struct siting_rings *r = x->rings_state > 0 ? x->rings : NULL;
        x->area_m2 = r && r->pxy && r->pzone == p->zone ? siting_rings_area(r)
                                                        : siting_area(u, x->geom, p->zone);
        x->area_slot = p->slot + 1;
    }
    return x->area_m2;
}

/* A project's or unit's own area when it lies in the other's interior, if
 * that is what the overlay's would round to (the overlay returns the same
 * rings, perhaps from another vertex or the other way round: bound); else -1. */
static double siting_contained(double area, double bound, const struct siting_project *p)
{
    return area >= 0 && siting_report_settled(area - bound, area + bound, p->area) ? area : -1;
}

static double siting_project_inside(struct siting_units *u, const struct siting_project *p)
{
    double bound = p->cv.n && p->cv.projected ? siting_convex_area_bound(&p->cv)
                                              : siting_geom_area_bound(u->ctx, p->g);
    return siting_contained(p->area, bound, p);
}

static double siting_unit_inside(struct siting_units *u, struct siting_unit *x,
                                 const struct siting_project *p)
{
    const struct siting_rings *r = x->rings_state > 0 ? x->rings : NULL;
    double bound = r ? siting_area_bound(r->start[r->nrings], r->env)
                     : siting_geom_area_bound(u->ctx, x->geom);
    return siting_contained(siting_unit_area(u, x, p), bound, p);
}

/* GEOS's containment tests, for a unit whose relation is not known. */
static double siting_overlap_contained(struct siting_units *u, struct siting_unit *x,
                                       struct siting_project *p)
{
    if (siting_geos()->GEOSPreparedContainsProperly_r(u->ctx, x->prep, p->g) == 1)
        return siting_project_inside(u, p);
    /* Prepared once a check that hits several units, at the first that needs
     * it (a unit inside a project that hits no other goes on to the overlay,
     * as it always has). */
    if (!p->pg && p->several)
        p->pg = siting_geos()->GEOSPrepare_r(u->ctx, p->g);
    if (p->pg && siting_geos()->GEOSPreparedContainsProperly_r(u->ctx, p->pg, x->geom) == 1)
        return siting_unit_inside(u, x, p);
    return -1;
}

static double siting_overlap(struct siting_units *u, struct siting_unit *x,
                             struct siting_project *p, enum siting_relation rel)
{
    double a = -1;
    if (rel == SITING_REL_IN_UNIT) {
        a = siting_project_inside(u, p);
    } else if (rel == SITING_REL_IN_PROJECT) {
        a = siting_unit_inside(u, x, p);
    } else {
        /* The clip before GEOS's containment tests: it decides most overlaps,
         * and for a project or unit inside the other it gives what rounds as
         * their own areas do (siting_report_settled). */
        a = siting_overlap_clipped(u, x, p);
        if (a < 0 && rel == SITING_REL_UNKNOWN)
            a = siting_overlap_contained(u, x, p);
    }
    if (a >= 0)
        return a;
    GEOSGeometry *inter = siting_geos()->GEOSIntersection_r(u->ctx, x->geom, p->g);
    double overlap = inter ? siting_area(u, inter, p->zone) : -1;
    if (inter)
        siting_geos()->GEOSGeom_destroy_r(u->ctx, inter);
    return overlap;
}

/* One unit's facts for the report: overlap, share, sliver, verdict (lock held). */
static void siting_unit_entry(struct siting_units *u, const struct siting_hit *hit,
                              struct siting_project *p, const char *industry,
                              struct siting_entry *e)
{
    size_t i = hit->unit;
    struct siting_unit *x = &u->units[i];
    double overlap = 0;
    if (p->area > 0) {
        overlap = siting_overlap(u, x, p, hit->rel);
        if (overlap < 0)
            overlap = 0;
    }
    e->unit = i;
    e->overlap = overlap;
    e->share = p->area > 0 ? overlap / p->area : 1.0;
    e->sliver = p->area > 0 && e->share < SITING_SLIVER_SHARE && overlap < SITING_SLIVER_M2;
    e->verdict = siting_unit_verdict(u, i, industry, &e->rule);
}

static double siting_centroid_x(struct siting_units *u, const GEOSGeometry *g)
{
    double cx = 0;
    GEOSGeometry *c = siting_geos()->GEOSGetCentroid_r(u->ctx, g);
    if (c) {
        siting_geos()->GEOSGeomGetX_r(u->ctx, c, &cx);
        siting_geos()->GEOSGeom_destroy_r(u->ctx, c);
    }
    return cx;
}

/* The zone slot of the project's centroid: for a point or a convex ring from
 * its envelope when that lies in one zone (the centroid lies within it, and
 * GEOS computes a convex ring's within a few units in the last place; a
 * concave one's could cancel further), else from GEOS's centroid. */
static void siting_project_zone(struct siting_units *u, struct siting_project *p, int *cm,
                                int *slot)
{
    double lo, hi;
    if (p->turn) {
        lo = hi = p->xy[0];
        for (size_t i = 1; i < p->nflat; i++)
            lo = fmin(lo, p->xy[2 * i]), hi = fmax(hi, p->xy[2 * i]);
    } else if (siting_geos()->GEOSGeomTypeId_r(u->ctx, p->g) == GEOS_POINT) {
        siting_geos()->GEOSGeomGetX_r(u->ctx, p->g, &lo);
        hi = lo;
    } else {
        siting_zone_of(siting_centroid_x(u, p->g), cm, slot);
        return;
    }
    /* A margin for the centroid's rounding at the envelope's edge. */
    int hcm, hslot;
    siting_zone_of(lo - 1e-9, cm, slot);
    siting_zone_of(hi + 1e-9, &hcm, &hslot);
    if (hslot != *slot)
        siting_zone_of(siting_centroid_x(u, p->g), cm, slot);
}

/* The area of the project's ring projected to its zone into pxy, as GEOSArea
 * gives it; -1 when a vertex cannot be projected. */
static double siting_flat_area(struct siting_project *p)
{
    size_t n = p->nflat;
    for (size_t i = 0; i + 1 < n; i++) {
        p->pxy[2 * i] = p->xy[2 * i], p->pxy[2 * i + 1] = p->xy[2 * i + 1];
        if (!siting_project_xy(&p->pxy[2 * i], &p->pxy[2 * i + 1], p->zone))
            return -1;
    }
    /* The closing vertex is the first (siting_ring checked it): the same
     * projection, not computed twice. */
    p->pxy[2 * (n - 1)] = p->pxy[0], p->pxy[2 * (n - 1) + 1] = p->pxy[1];
    return siting_ring_area(p->pxy, n);
}

/* The project's zone (from its centroid) and area in it into o and p (lock
 * held); -1 with a message when the area cannot be computed. */
static int siting_project_of(struct siting_units *u, GEOSGeometry *g, struct siting_outcome *o,
                             struct siting_project *p, char *err, size_t errlen)
{
    p->g = g, p->pg = NULL, p->cv.tried = false, p->cv.n = 0;
    p->nflat = siting_ring_flat(u->ctx, g, p->xy);
    p->turn = p->nflat ? siting_ring_turn(p->xy, p->nflat) : 0;
    int cm, slot;
    siting_project_zone(u, p, &cm, &slot);
    p->zone = siting_zone(u, slot);
    p->slot = slot, p->cm = cm;
    o->point = siting_geos()->GEOSGeomTypeId_r(u->ctx, g) == GEOS_POINT;
    o->cm = cm, o->epsg = SITING_GK_EPSG0 + slot;
    if (o->point)
        p->area = 0;
    else if (!p->zone)
        p->area = -1;
    else
        p->area = p->nflat ? siting_flat_area(p) : siting_area(u, g, p->zone);
    o->area = p->area;
    if (o->area < 0) {
        siting_fail(err, errlen, "无法计算投影面积（PROJ 不可用）");
        return -1;
    }
    return 0;
}

/* The check's geometry, areas and verdicts into o (lock held); -1 with a message. */
static int siting_outcome_of(struct siting_units *u, json_t *wgs84, struct siting_outcome *o,
                             char *err, size_t errlen)
{
    GEOSGeometry *g = siting_geometry(u->ctx, wgs84, SITING_WGS84, true, NULL, NULL, err, errlen);
    if (!g)
        return -1;
    struct siting_project p;
    if (siting_project_of(u, g, o, &p, err, errlen)) {
        siting_geos()->GEOSGeom_destroy_r(u->ctx, g);
        return -1;
    }
    /* The project as a convex polygon (when it is one), for the tests below. */
    if (o->area > 0 && p.nflat)
        siting_convex_init_flat(&p.cv, p.xy, p.pxy, p.nflat, p.turn);
    struct siting_hits h;
    siting_query(u, g, &p.cv, &h);
    p.several = h.n > 1;
    o->entries = xcalloc(h.n ? h.n : 1, sizeof *o->entries);
    o->n = h.n;
    o->worst = SITING_NONE;
    for (size_t k = 0; k < h.n; k++) {
        siting_unit_entry(u, &h.hit[k], &p, o->industry, &o->entries[k]);
        if (o->entries[k].verdict > o->worst)
            o->worst = o->entries[k].verdict;
    }
    if (p.pg)
        siting_geos()->GEOSPreparedGeom_destroy_r(u->ctx, p.pg);
    free(h.hit);
    siting_geos()->GEOSGeom_destroy_r(u->ctx, g);
    return 0;
}

/* Runs the check and writes its report with one of the two writers (text when
 * text is not NULL, else the tree). One lock for both: the entries are indexes
 * into the unit set, read while the set is in the state they were found in. */
static int siting_check_run(struct siting_units *u, json_t *wgs84, const char *industry,
                            struct buf *text, json_t **tree, struct siting_summary *sum, char *err,
                            size_t errlen)
{
    struct siting_outcome o = {0};
    if (sum)
        *sum = (struct siting_summary){.worst = SITING_NONE};
    if (!industry || strlen(industry) > 16 || industry_normalize(industry, o.industry, NULL)) {
        siting_fail(err, errlen, "行业代码无效（GB/T 4754-2017）");
        return -1;
    }
    pthread_mutex_lock(&u->lock);
    int rc = siting_outcome_of(u, wgs84, &o, err, errlen);
    if (!rc && text && siting_report_append(u, &o, text)) {
        siting_fail(err, errlen, "研判报告生成失败");
        rc = -1;
    } else if (!rc && !text) {
        *tree = siting_report_tree(u, &o);
    }
    pthread_mutex_unlock(&u->lock);
    if (!rc && sum) {
        sum->worst = o.worst;
        sum->n = o.n;
        sum->units = xmalloc((o.n ? o.n : 1) * sizeof *sum->units);
        for (size_t k = 0; k < o.n; k++)
            sum->units[k] = o.entries[k].unit;
    }
    free(o.entries);
    return rc;
}

int siting_check_append(struct siting_units *u, json_t *wgs84, const char *industry,
                        struct buf *out, struct siting_summary *sum, char *err, size_t errlen)
{
    return siting_check_run(u, wgs84, industry, out, NULL, sum, err, errlen);
}

char *siting_check_text(struct siting_units *u, json_t *wgs84, const char *industry, size_t *len,
                        struct siting_summary *sum, char *err, size_t errlen)
{
    struct buf b;
    buf_init(&b, 0); /* unbounded: grows with the units hit, each bounded at import */
    if (siting_check_run(u, wgs84, industry, &b, NULL, sum, err, errlen)) {
        buf_free(&b);
        return NULL;
    }
    /* At its size: the room reserved for the worst case is many times it. */
    *len = b.len;
    return xrealloc(b.data, b.len + 1);
}

json_t *siting_check(struct siting_units *u, json_t *wgs84, const char *industry, char *err,
                     size_t errlen)
{
    json_t *tree = NULL;
    if (siting_check_run(u, wgs84, industry, NULL, &tree, NULL, err, errlen))
        return NULL;
    return tree;
}
