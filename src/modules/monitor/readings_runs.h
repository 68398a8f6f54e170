/* readings_runs — the station lookup of raw frames stored packed: one row per station and
 * index turn holds that station's frame ids of the turn, ascending, as the gaps after the
 * first id in unsigned LEB128 (7 bits a byte, low bits first, high bit = more follows).
 * Pure: no I/O, no SQL (store_readings.c writes the rows, store_readings_query.c reads them).
 * Owns: nothing. */
#ifndef ECOGOV_READINGS_RUNS_H
#define ECOGOV_READINGS_RUNS_H

#include <stddef.h>
#include <stdint.h>

/* The most bytes one gap takes. */
#define READINGS_RUN_GAP_MAX 10

/* Writes gap (> 0) into out (room for READINGS_RUN_GAP_MAX bytes); returns the bytes used. */
size_t readings_run_put_gap(uint8_t *out, uint64_t gap);

/* Decodes a run's ids into ids (room for max), first first, ascending; returns how many, or
 * -1 when the bytes are not a well-formed run (a gap of 0, past 64 bits, cut short, an id
 * past INT64_MAX) or hold more than max ids. */
long readings_run_ids(int64_t first, const uint8_t *gaps, size_t len, int64_t *ids, size_t max);

#endif
