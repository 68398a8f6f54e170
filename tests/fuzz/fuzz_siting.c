/* libFuzzer target for the 三线一单 GeoJSON import: any bytes must either load
 * or fail with a message, never crash or leak; a loaded set, indexed or not
 * (by the input's length), must answer a check of a point and a polygon over
 * its own extent with both report writers. */
#include "domain/siting.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 20)
        return 0;
    char err[256];
    struct siting_units *u = siting_units_from_geojson((const char *)data, size, err, sizeof err);
    if (!u)
        return 0;
    json_t *pt = json_pack("{ss s[ff]}", "type", "Point", "coordinates", 117.25, 29.25);
    json_t *poly = json_loads("{\"type\":\"Polygon\",\"coordinates\":[[[117,29],[117.5,29],"
                              "[117.5,29.5],[117,29]]]}",
                              0, NULL);
    if (size % 2)
        siting_units_index(u);
    size_t idx[8];
    siting_intersecting(u, pt, idx, 8, err, sizeof err);
    json_t *r = siting_check(u, poly, "C3074", err, sizeof err);
    json_decref(r);
    struct buf text;
    buf_init(&text, 0);
    siting_check_append(u, pt, "C3074", &text, NULL, err, sizeof err);
    siting_check_append(u, poly, "C2662", &text, NULL, err, sizeof err);
    buf_free(&text);
    r = siting_units_geojson(u);
    json_decref(r);
    json_decref(pt);
    json_decref(poly);
    siting_units_free(u);
    return 0;
}
