/* readings_sort — the order a batch is written in (readings.h): by station, kind and period
 * start, and within one key in arrival order. Pure: no SQL, no state. */
#include "modules/monitor/readings.h"
#include "core/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int readings_cmp(const void *a, const void *b)
{
    const struct readings_row *x = a, *y = b;
    if (x->station_id != y->station_id)
        return x->station_id < y->station_id ? -1 : 1;
    if (x->r->kind != y->r->kind)
        return x->r->kind < y->r->kind ? -1 : 1;
    if (x->r->ts != y->r->ts)
        return x->r->ts < y->r->ts ? -1 : 1;
    /* no factor order: a frame's rows stay together in arrival order */
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* A run of consecutive rows with one key (station, kind, period start): the rows of one
 * frame, which the writer hands over together. */
struct readings_run {
    int64_t station_id, ts;
    uint32_t seq, first, count;
    int kind;
};

static int readings_run_cmp(const void *a, const void *b)
{
    const struct readings_run *x = a, *y = b;
    if (x->station_id != y->station_id)
        return x->station_id < y->station_id ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void readings_sort(struct readings_row *rows, size_t n)
{
    if (n < 2)
        return;
    if (n > UINT32_MAX) {
        qsort(rows, n, sizeof *rows, readings_cmp);
        return;
    }
    /* Rows come in arrival order, a frame's rows (one key) together: sorting the runs of
     * equal keys by (key, first seq) gives the order readings_cmp gives, with a sixth of the
     * elements and no pointer chasing in the comparisons. Only when seq rises throughout
     * (else a run's first seq would not stand for all of it): the general sort otherwise. */
    size_t nruns = 1;
    for (size_t i = 1; i < n; i++) {
        if (rows[i].seq <= rows[i - 1].seq) {
            qsort(rows, n, sizeof *rows, readings_cmp);
            return;
        }
        nruns += rows[i].station_id != rows[i - 1].station_id ||
                 rows[i].r->kind != rows[i - 1].r->kind || rows[i].r->ts != rows[i - 1].r->ts;
    }
    struct readings_run *runs = xmalloc(nruns * sizeof *runs);
    size_t k = 0;
    for (size_t i = 0; i < n; k++) {
        size_t j = i + 1;
        while (j < n && rows[j].station_id == rows[i].station_id &&
               rows[j].r->kind == rows[i].r->kind && rows[j].r->ts == rows[i].r->ts)
            j++;
        runs[k] = (struct readings_run){rows[i].station_id, rows[i].r->ts,     rows[i].seq,
                                        (uint32_t)i,        (uint32_t)(j - i), rows[i].r->kind};
        i = j;
    }
    qsort(runs, nruns, sizeof *runs, readings_run_cmp);
    struct readings_row *copy = xmalloc(n * sizeof *copy);
    memcpy(copy, rows, n * sizeof *copy);
    for (size_t r = 0, at = 0; r < nruns; r++) {
        memcpy(rows + at, copy + runs[r].first, runs[r].count * sizeof *rows);
        at += runs[r].count;
    }
    free(copy);
    free(runs);
}
