/* readings_runs — packed runs of frame ids; see readings_runs.h. */
#include "modules/monitor/readings_runs.h"

size_t readings_run_put_gap(uint8_t *out, uint64_t gap)
{
    size_t n = 0;
    while (gap >= 0x80) {
        out[n++] = (uint8_t)(gap | 0x80);
        gap >>= 7;
    }
    out[n++] = (uint8_t)gap;
    return n;
}

long readings_run_ids(int64_t first, const uint8_t *gaps, size_t len, int64_t *ids, size_t max)
{
    if (!max || first <= 0)
        return -1;
    size_t n = 0, i = 0;
    ids[n++] = first;
    while (i < len) {
        uint64_t gap = 0;
        int shift = 0;
        for (;;) {
            if (i >= len || shift > 63)
                return -1;
            uint8_t b = gaps[i++];
            if (shift == 63 && b > 1)
                return -1; /* past 64 bits */
            gap |= (uint64_t)(b & 0x7F) << shift;
            shift += 7;
            if (!(b & 0x80))
                break;
        }
        if (!gap || gap > (uint64_t)(INT64_MAX - ids[n - 1]) || n >= max)
            return -1;
        ids[n] = ids[n - 1] + (int64_t)gap;
        n++;
    }
    return (long)n;
}
