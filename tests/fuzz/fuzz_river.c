/* libFuzzer target for the river module's pure rules: any bytes as a reach
 * geometry (GeoJSON), as a photo's EXIF block and as a batch of GPS fixes
 * must be refused or accepted without crashing, leaking or reading out of
 * bounds; an accepted geometry has a finite length, and an accepted track a
 * finite, non-negative distance and fixes flagged with known bits only. */
#include "domain/river_exif.h"
#include "domain/river_rules.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_track(const uint8_t *data, size_t size)
{
    enum { FIX_BYTES = 8 + 8 + 8 + 4 };
    struct river_fix fix[64];
    unsigned flags[64];
    size_t n = size / FIX_BYTES > 64 ? 64 : size / FIX_BYTES;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *b = data + i * FIX_BYTES;
        int64_t t;
        float acc;
        memcpy(&t, b, 8);
        memcpy(&fix[i].lon, b + 8, 8);
        memcpy(&fix[i].lat, b + 16, 8);
        memcpy(&acc, b + 24, 4);
        fix[i].t = t % 100000;
        fix[i].acc = acc;
    }
    struct river_track_state st = {0};
    double dist = 0;
    int gaps = 0, fast = 0;
    size_t bad;
    char err[128];
    if (!river_track_add(&st, fix, n, 0, 100000, flags, &dist, &gaps, &fast, &bad, err,
                         sizeof err)) {
        if (!isfinite(dist) || dist < 0)
            abort();
        for (size_t i = 0; i < n; i++)
            if (flags[i] & ~7u)
                abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size || size > 1 << 20)
        return 0;
    switch (data[0] % 3) {
    case 0: {
        json_t *g = json_loadb((const char *)data + 1, size - 1, 0, NULL);
        double len = 0;
        char err[160];
        if (g && !river_geometry_check(g, &len, err, sizeof err) && !isfinite(len))
            abort();
        json_decref(g);
        break;
    }
    case 1: {
        double lon, lat;
        if (river_exif_position(data + 1, size - 1, &lon, &lat) &&
            (!isfinite(lon) || !isfinite(lat)))
            abort();
        break;
    }
    default:
        fuzz_track(data + 1, size - 1);
    }
    return 0;
}
