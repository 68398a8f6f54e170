/* siting_internal — what siting.c, siting_import.c and siting_shp.c share: the
 * unit set's layout and the attribute and geometry builders. Not for other
 * modules: use siting.h. */
#ifndef ECOGOV_SITING_INTERNAL_H
#define ECOGOV_SITING_INTERNAL_H

#include "domain/siting.h"

#include <geos_c.h>
#include <proj.h>
#include <pthread.h>

#define SITING_NDIMS 4
#define SITING_NZONES 21 /* 3-degree zones CM 75E .. 135E */

struct siting_rule {
    bool prohibit; /* else restrict */
    char **codes;
    size_t ncodes;
    char *condition;
    char *ref;
};

struct siting_unit {
    char code[SITING_CODE_LEN + 1];
    char *name;
    char *admin_area; /* 区县, may be NULL */
    enum siting_class cls;
    char *dims[SITING_NDIMS]; /* KJBJYS, PWWPFGK, HJFXFK, ZYKFXLYQ; may be NULL */
    struct siting_rule *rules;
    size_t nrules;
    GEOSGeometry *geom;
    const GEOSPreparedGeometry *prep;
    /* The unit's own area in m² in zone slot area_slot - 1 (0: none yet), kept
     * for projects that contain the whole unit (lock held). */
    double area_m2;
    int area_slot;
};

struct siting_units {
    GEOSContextHandle_t ctx;
    pthread_mutex_t lock;
    struct siting_unit *units;
    size_t n, cap;
    GEOSSTRtree *tree;
    PJ_CONTEXT *pj;
    PJ *zones[SITING_NZONES];
};

void siting_fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
struct siting_units *siting_units_new(void);

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

/* Whether s is a rule industry code: a 门类 letter and/or 2-4 digits of a real 大类. */
int siting_rule_code_ok(const char *s);

#endif
