/* river_exif — the GPS position a photo's EXIF block carries (libexif), so a
 * problem photographed on a patrol keeps where it was taken.
 *
 * Owns: reading GPSLatitude/GPSLongitude with their N/S, E/W references.
 * Must not: read files or allocate beyond libexif's own parse. Pure. */
#ifndef ECOGOV_RIVER_EXIF_H
#define ECOGOV_RIVER_EXIF_H

#include <stdbool.h>
#include <stddef.h>

/* The WGS84 position in the EXIF of a JPEG of len bytes: true with *lon,
 * *lat set when it has a valid one (finite, degrees in range, not 0/0),
 * false otherwise (no EXIF, no GPS, malformed). */
bool river_exif_position(const void *jpeg, size_t len, double *lon, double *lat);

#endif
