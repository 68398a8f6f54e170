/* river_rules — the pure rules of the river-chief system (河湖长制): reach
 * geometries as GeoJSON, patrol tracks from a phone's GPS, and how far behind
 * a chief is on the patrols his level owes.
 *
 * Owns: the limits on a geometry and a track, the gap and speed thresholds,
 * the four chief levels and their default patrol intervals. Must not: touch
 * the database, allocate beyond jansson objects it returns, or know HTTP.
 * Thread safety: pure functions. */
#ifndef ECOGOV_RIVER_RULES_H
#define ECOGOV_RIVER_RULES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A geometry: at most this many vertices, parts and rings. */
#define RIVER_GEOM_MAX_POINTS 20000
#define RIVER_GEOM_MAX_PARTS 64

/* Checks a GeoJSON geometry of a reach: a LineString or MultiLineString
 * (a river reach) or a Polygon (a lake or reservoir reach), every position
 * [lon, lat] finite and inside China's extent (domain/coord.h), lines of at
 * least 2 positions, polygon rings closed with at least 4 and the polygon
 * valid (GEOS isValid: no self-intersection; the reason in err). On success 0 and
 * *length_m the length of the lines (a polygon: its outer ring's perimeter,
 * in metres, great-circle). -1 with a message (zh) in err otherwise. */
int river_geometry_check(json_t *geom, double *length_m, char *err, size_t errlen);

/* Reads an ESRI Shapefile of reaches (path of the .shp; the .shx and .dbf
 * beside it): a line layer (Arc) or a polygon layer, attributes named as the
 * GeoJSON import's properties (code, name, water_code, water_name,
 * water_kind, county, township, village, seq, start, end; text UTF-8 or
 * GB18030), at most 2,000 records. Returns the equivalent GeoJSON
 * FeatureCollection (new reference), unchecked (river_geometry_check does
 * that), or NULL with a message in err. Reads files: the only function here
 * that does. */
json_t *river_shapefile_geojson(const char *path, char *err, size_t errlen);

/* ---- patrol tracks ---- */

/* A fix from the phone: UTC seconds, WGS84 degrees, accuracy in metres
 * (negative when the browser gave none). */
struct river_fix {
    int64_t t;
    double lon, lat, acc;
};

/* Two fixes further apart in time than this leave a gap in the route. */
#define RIVER_GAP_SECONDS 300
/* Faster than this between two fixes is implausible for a patrol on foot, by
 * boat or along the bank by car (120 km/h): the later fix is flagged and does
 * not count towards the distance. */
#define RIVER_MAX_SPEED_MPS 33.4
/* A fix this imprecise is kept but flagged and not counted. */
#define RIVER_MAX_ACCURACY_M 200.0
/* Fixes in one post, and in one patrol. */
#define RIVER_FIXES_PER_POST 500
#define RIVER_FIXES_PER_PATROL 20000

enum river_fix_flag {
    RIVER_FIX_OK = 0,
    RIVER_FIX_GAP = 1,      /* the previous fix is more than RIVER_GAP_SECONDS before */
    RIVER_FIX_SPEED = 2,    /* reached from the previous counted fix implausibly fast */
    RIVER_FIX_IMPRECISE = 4 /* accuracy worse than RIVER_MAX_ACCURACY_M */
};

/* Where the track stood before a batch: the last counted fix (has_last false
 * for the first batch), the time of the last fix of any kind. */
struct river_track_state {
    bool has_last;
    struct river_fix last;
    int64_t last_t;
};

/* Validates a batch of n fixes that continues state: every fix must be a
 * valid position inside China, its time after the previous fix's and no
 * later than now + 60 s (a phone's clock runs a little ahead), and no earlier
 * than started_at - 60 s. On success 0: flags[i] gets each fix's
 * river_fix_flag bits, *distance_m adds the metres between counted fixes,
 * *gaps the gaps and *fast the speed flags, state moves on. -1 with the
 * index of the first refused fix in *bad and a message in err (state and
 * outputs untouched). */
int river_track_add(struct river_track_state *state, const struct river_fix *fix, size_t n,
                    int64_t started_at, int64_t now, unsigned *flags, double *distance_m, int *gaps,
                    int *fast, size_t *bad, char *err, size_t errlen);

/* ---- chief levels and patrol arrears ---- */

enum river_level { RIVER_CITY = 0, RIVER_COUNTY, RIVER_TOWNSHIP, RIVER_VILLAGE, RIVER_LEVELS };

/* "city", "county", "township", "village"; -1 for anything else. */
int river_level_parse(const char *s);
const char *river_level_code(enum river_level l);
const char *river_level_name(enum river_level l); /* 市级 / 县级 / 乡级 / 村级 */
/* The default interval, in days, between the patrols a level owes: village
 * weekly (7), township every two weeks (14), county monthly (30), city
 * quarterly (90). */
int river_level_default_days(enum river_level l);

/* Days a chief is behind on one reach on day `today` (days since
 * 1970-01-01): a patrol is owed every `interval` days, counted from the later
 * of the last finished patrol's day (-1: none) and the day he took the reach
 * (since); a patrol on the due day itself is on time. 0 when not behind,
 * otherwise today - (from + interval): the days past the due day. */
int river_days_behind(int32_t since, int32_t last_patrol, int32_t today, int interval);

#endif
