/* coord — GCJ-02 and BD-09 transforms. See coord.h for why they are hand-written. */
#include "domain/coord.h"

#include <math.h>

/* Krasovsky 1940 ellipsoid, as the GCJ-02 algorithm uses. */
#define COORD_GCJ_A 6378245.0
#define COORD_GCJ_EE 0.00669342162296594323
#define COORD_PI 3.14159265358979323846
#define COORD_BD_X_PI (COORD_PI * 3000.0 / 180.0)

#define COORD_MAX_ITER 30
#define COORD_EPSILON 1e-10 /* degrees; iteration stops below this residual */

bool coord_valid(double lon, double lat)
{
    return isfinite(lon) && isfinite(lat) && lon >= -180.0 && lon <= 180.0 && lat >= -90.0 &&
           lat <= 90.0;
}

bool coord_out_of_china(double lon, double lat)
{
    return !(lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271);
}

static double coord_offset_lat(double x, double y)
{
    double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(fabs(x));
    r += (20.0 * sin(6.0 * x * COORD_PI) + 20.0 * sin(2.0 * x * COORD_PI)) * 2.0 / 3.0;
    r += (20.0 * sin(y * COORD_PI) + 40.0 * sin(y / 3.0 * COORD_PI)) * 2.0 / 3.0;
    r += (160.0 * sin(y / 12.0 * COORD_PI) + 320.0 * sin(y * COORD_PI / 30.0)) * 2.0 / 3.0;
    return r;
}

static double coord_offset_lon(double x, double y)
{
    double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(fabs(x));
    r += (20.0 * sin(6.0 * x * COORD_PI) + 20.0 * sin(2.0 * x * COORD_PI)) * 2.0 / 3.0;
    r += (20.0 * sin(x * COORD_PI) + 40.0 * sin(x / 3.0 * COORD_PI)) * 2.0 / 3.0;
    r += (150.0 * sin(x / 12.0 * COORD_PI) + 300.0 * sin(x / 30.0 * COORD_PI)) * 2.0 / 3.0;
    return r;
}

/* The forward GCJ-02 transform without the identity cases. */
static void coord_gcj_forward(double lon, double lat, double *out_lon, double *out_lat)
{
    double dlat = coord_offset_lat(lon - 105.0, lat - 35.0);
    double dlon = coord_offset_lon(lon - 105.0, lat - 35.0);
    double radlat = lat / 180.0 * COORD_PI;
    double magic = sin(radlat);
    magic = 1.0 - COORD_GCJ_EE * magic * magic;
    double sqrtmagic = sqrt(magic);
    dlat = (dlat * 180.0) / ((COORD_GCJ_A * (1.0 - COORD_GCJ_EE)) / (magic * sqrtmagic) * COORD_PI);
    dlon = (dlon * 180.0) / (COORD_GCJ_A / sqrtmagic * cos(radlat) * COORD_PI);
    *out_lon = lon + dlon;
    *out_lat = lat + dlat;
}

static bool coord_identity(double lon, double lat, double *out_lon, double *out_lat)
{
    if (coord_valid(lon, lat) && !coord_out_of_china(lon, lat))
        return false;
    *out_lon = lon;
    *out_lat = lat;
    return true;
}

void coord_wgs84_to_gcj02(double lon, double lat, double *out_lon, double *out_lat)
{
    if (!coord_identity(lon, lat, out_lon, out_lat))
        coord_gcj_forward(lon, lat, out_lon, out_lat);
}

static void coord_bd_forward(double lon, double lat, double *out_lon, double *out_lat)
{
    double z = sqrt(lon * lon + lat * lat) + 0.00002 * sin(lat * COORD_BD_X_PI);
    double theta = atan2(lat, lon) + 0.000003 * cos(lon * COORD_BD_X_PI);
    *out_lon = z * cos(theta) + 0.0065;
    *out_lat = z * sin(theta) + 0.006;
}

void coord_gcj02_to_bd09(double lon, double lat, double *out_lon, double *out_lat)
{
    if (!coord_identity(lon, lat, out_lon, out_lat))
        coord_bd_forward(lon, lat, out_lon, out_lat);
}

/* Solves forward(w) = target for w, starting from target - (forward(target) -
 * target) and correcting by the residual; the offset changes slowly with
 * position, so each step shrinks the error by orders of magnitude. */
static void coord_invert(void (*forward)(double, double, double *, double *), double lon,
                         double lat, double *out_lon, double *out_lat)
{
    double flon, flat;
    forward(lon, lat, &flon, &flat);
    double wlon = 2.0 * lon - flon, wlat = 2.0 * lat - flat;
    for (int i = 0; i < COORD_MAX_ITER; i++) {
        forward(wlon, wlat, &flon, &flat);
        double elon = lon - flon, elat = lat - flat;
        wlon += elon;
        wlat += elat;
        if (fabs(elon) < COORD_EPSILON && fabs(elat) < COORD_EPSILON)
            break;
    }
    *out_lon = wlon;
    *out_lat = wlat;
}

void coord_gcj02_to_wgs84(double lon, double lat, double *out_lon, double *out_lat)
{
    if (!coord_identity(lon, lat, out_lon, out_lat))
        coord_invert(coord_gcj_forward, lon, lat, out_lon, out_lat);
}

void coord_bd09_to_gcj02(double lon, double lat, double *out_lon, double *out_lat)
{
    if (!coord_identity(lon, lat, out_lon, out_lat))
        coord_invert(coord_bd_forward, lon, lat, out_lon, out_lat);
}

void coord_bd09_to_wgs84(double lon, double lat, double *out_lon, double *out_lat)
{
    double glon, glat;
    coord_bd09_to_gcj02(lon, lat, &glon, &glat);
    coord_gcj02_to_wgs84(glon, glat, out_lon, out_lat);
}

void coord_wgs84_to_bd09(double lon, double lat, double *out_lon, double *out_lat)
{
    double glon, glat;
    coord_wgs84_to_gcj02(lon, lat, &glon, &glat);
    coord_gcj02_to_bd09(glon, glat, out_lon, out_lat);
}

double coord_distance_m(double lon1, double lat1, double lon2, double lat2)
{
    const double r = 6371008.8, k = COORD_PI / 180.0;
    double dlat = (lat2 - lat1) * k, dlon = (lon2 - lon1) * k;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * k) * cos(lat2 * k) * sin(dlon / 2) * sin(dlon / 2);
    return 2.0 * r * asin(fmin(1.0, sqrt(a)));
}
