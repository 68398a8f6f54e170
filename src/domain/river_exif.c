/* river_exif — EXIF GPS position of a photo (river_exif.h), read with
 * libexif. */
#include "domain/river_exif.h"
#include "domain/coord.h"

#include <libexif/exif-data.h>
#include <math.h>
#include <string.h>

/* Degrees from a GPS coordinate entry (three RATIONALs: d, m, s) and its
 * reference letter; NAN when malformed. */
static double river_exif_degrees(ExifData *ed, ExifTag tag, ExifTag ref_tag, char negative)
{
    ExifContent *gps = ed->ifd[EXIF_IFD_GPS];
    ExifEntry *e = exif_content_get_entry(gps, tag);
    ExifEntry *ref = exif_content_get_entry(gps, ref_tag);
    if (!e || e->format != EXIF_FORMAT_RATIONAL || e->components != 3 || !e->data || e->size < 24)
        return NAN;
    ExifByteOrder order = exif_data_get_byte_order(ed);
    double part[3];
    for (int i = 0; i < 3; i++) {
        ExifRational r = exif_get_rational(e->data + 8 * i, order);
        if (!r.denominator)
            return NAN;
        part[i] = (double)r.numerator / (double)r.denominator;
    }
    double deg = part[0] + part[1] / 60 + part[2] / 3600;
    if (ref && ref->format == EXIF_FORMAT_ASCII && ref->data && ref->size >= 1 &&
        ref->data[0] == (unsigned char)negative)
        deg = -deg;
    return deg;
}

bool river_exif_position(const void *jpeg, size_t len, double *lon, double *lat)
{
    if (!jpeg || len < 4 || len > (1u << 30))
        return false;
    ExifData *ed = exif_data_new_from_data(jpeg, (unsigned int)len);
    if (!ed)
        return false;
    double y = river_exif_degrees(ed, EXIF_TAG_GPS_LATITUDE, EXIF_TAG_GPS_LATITUDE_REF, 'S');
    double x = river_exif_degrees(ed, EXIF_TAG_GPS_LONGITUDE, EXIF_TAG_GPS_LONGITUDE_REF, 'W');
    exif_data_unref(ed);
    if (!coord_valid(x, y) || (x == 0 && y == 0))
        return false;
    *lon = x, *lat = y;
    return true;
}
