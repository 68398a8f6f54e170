/* coord — the datums Chinese web maps use, to and from WGS84/CGCS2000.
 *
 * Owns: the GCJ-02 ("Mars coordinates", 国测局坐标, what AMap/Tencent/Google China
 * give) and BD-09 (Baidu) transforms. Must not: allocate, log, or know where
 * coordinates are stored. ecogov stores WGS84/CGCS2000 (the two differ by
 * centimetres, below anything a map pin shows); GCJ-02 input is converted on
 * entry when the user says that is what they pasted.
 *
 * Why hand-written: GCJ-02 is not a geodetic datum but a published-by-leak
 * obfuscation polynomial with no EPSG code, so PROJ does not implement it; BD-09
 * is a further fixed rotation/offset on GCJ-02. The formulas below are the
 * widely reproduced ones; the inverses are computed by fixed-point iteration on
 * the forward transform (the offset field is smooth, so it converges in a few
 * steps) rather than by the common one-step approximation, which is off by metres.
 *
 * Outside China (a bounding rectangle, as every implementation does) the
 * conversions are the identity, because the offset is only applied there. Invalid
 * input (coord_valid false: NaN, infinity, out of range) is passed through
 * unchanged — validate first.
 *
 * Thread safety: pure functions. */
#ifndef ECOGOV_COORD_H
#define ECOGOV_COORD_H

#include <stdbool.h>

/* Longitude and latitude in decimal degrees, east and north positive. Inputs are
 * taken by value, so the outputs may point at the caller's input variables. */
void coord_wgs84_to_gcj02(double lon, double lat, double *out_lon, double *out_lat);

/* Inverse of coord_wgs84_to_gcj02 by iteration; error below 1e-7 degrees
 * (about a centimetre) against the forward transform. */
void coord_gcj02_to_wgs84(double lon, double lat, double *out_lon, double *out_lat);

/* Baidu BD-09 to GCJ-02 (iterative inverse of coord_gcj02_to_bd09, same bound). */
void coord_bd09_to_gcj02(double lon, double lat, double *out_lon, double *out_lat);
void coord_gcj02_to_bd09(double lon, double lat, double *out_lon, double *out_lat);

/* Convenience compositions through GCJ-02. */
void coord_bd09_to_wgs84(double lon, double lat, double *out_lon, double *out_lat);
void coord_wgs84_to_bd09(double lon, double lat, double *out_lon, double *out_lat);

/* True outside the rectangle in which the Chinese offsets apply (lon 72.004 to
 * 137.8347, lat 0.8293 to 55.8271). Coarse on purpose: it matches what the map
 * providers do, not the national border. */
bool coord_out_of_china(double lon, double lat);

/* Finite, lon in [-180, 180], lat in [-90, 90]. */
bool coord_valid(double lon, double lat);

/* Great-circle distance in metres on a sphere of radius 6371008.8 m (for
 * sanity checks and "how far did that move" messages, not surveying). */
double coord_distance_m(double lon1, double lat1, double lon2, double lat2);

#endif
