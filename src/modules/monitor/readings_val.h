/* readings_val — the stored form of one factor inside a packed record or rollup.
 *
 * A device sends all the factors of one period in one frame, so the store keeps one row per
 * (station, kind, period start) whose `vals` column is a JSON object keyed by factor code
 * (docs/monitoring.md "Tables"):
 *
 *   readings.vals  {"a34004":[value, "flag", qual, min, max, cou], ...}
 *                  value/min/max/cou null when not sent; trailing nulls are left out
 *   rollups.vals   {"a34004":[n, n_valid, avg, min, max], ...}   avg/min/max null when n_valid=0
 *
 * JSON (not a private binary form) so the data stays readable with SQLite's own json
 * functions in any client, and old rows convert in SQL (monitor migration 3).
 *
 * Owns: encoding into a struct buf and decoding from jansson arrays. Must not: touch the
 * database. */
#ifndef ECOGOV_READINGS_VAL_H
#define ECOGOV_READINGS_VAL_H

#include "core/buf.h"
#include "domain/monitor_norm.h"

#include <jansson.h>
#include <stdint.h>

/* One factor's record as stored. has = MONITOR_HAS_* bits. */
struct readings_val {
    double value, vmin, vmax, cou;
    unsigned has;
    char flag[4];
    uint32_t qual;
};

/* One factor's aggregate over a period. sum (not the mean) so batches add exactly. */
struct readings_agg {
    char factor[MONITOR_FACTOR_MAX];
    int n, n_valid;
    double sum, vmin, vmax;
    int recompute; /* a stored record of the period was replaced: rebuild from the records */
};

/* Appends `"factor":[...]` for r (no separator). 0, or -1 when b's cap is reached. */
int readings_val_put(struct buf *b, const char *factor, const struct monitor_row *r);
/* The same bytes written piece by piece, escaping any factor text and flag: what
 * readings_val_put falls back to when they need escaping (tests compare the two). */
int readings_val_put_any(struct buf *b, const char *factor, const struct monitor_row *r);
/* Decodes one record array. 0, or -1 when it is not one. */
int readings_val_get(const json_t *arr, struct readings_val *v);
/* 1 when the record counts as valid (has a value, monitor_row_valid). */
int readings_val_valid(const struct readings_val *v);

/* Appends `"factor":[n,n_valid,avg,min,max]`. 0 or -1. */
int readings_agg_put(struct buf *b, const struct readings_agg *a);
/* Decodes one rollup array into a (factor left as is). 0 or -1. */
int readings_agg_get(const json_t *arr, struct readings_agg *a);
/* Adds one record to an aggregate. */
void readings_agg_add(struct readings_agg *a, const struct readings_val *v);

/* The JSON object a vals column holds (len bytes, as read), or NULL when it is not one (a
 * damaged row is then replaced or rebuilt, never trusted). New reference. */
json_t *readings_val_object(const void *bytes, int len);

/* Appends a JSON string (quoted, escaped). 0 or -1. */
int readings_val_put_str(struct buf *b, const char *s);

/* One record as the API shows it: {ts, time, value, flag, qual, valid[, factor][, kind][, min,
 * max, cou]} (factor NULL and kind 0 leave those out). New reference. */
json_t *readings_val_json(int64_t ts, const struct readings_val *v, const char *factor, int kind);
/* One rollup as the API shows it: {ts, time, n, n_valid, avg, min, max}. New reference. */
json_t *readings_agg_json(int64_t ts, const struct readings_agg *a);
/* A raw frame's bytes as shown: invalid UTF-8 and control bytes as \xHH, line ends dropped.
 * A new string (free()). */
char *readings_frame_text(const char *bytes, int len);

#endif
