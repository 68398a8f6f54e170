/* libFuzzer target for the Shapefile upload (modules/river/shpzip.c): any
 * bytes as the uploaded .zip must be refused with a message or read into a
 * FeatureCollection, without crashing, leaking, reading out of bounds or
 * leaving its temporary directory behind. */
#include "modules/river/rules.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 20)
        return 0;
    char err[512] = "";
    enum err code = ERR_OK;
    json_t *fc = river_shpzip_geojson(NULL, (const char *)data, size, &code, err, sizeof err);
    if (!fc && (!err[0] || code == ERR_OK))
        abort();
    if (fc && !json_is_array(json_object_get(fc, "features")))
        abort();
    json_decref(fc);
    return 0;
}
