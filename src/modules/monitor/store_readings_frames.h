/* The SQLite engine's station lookup of raw frames (store_readings.c's sync part): one
 * packed row per station and index turn in frames_station_runs (readings_runs.h). Not for
 * callers: they use readings.h. */
#ifndef ECOGOV_STORE_READINGS_FRAMES_H
#define ECOGOV_STORE_READINGS_FRAMES_H

#include "core/buf.h"
#include "db/db.h"

#include <stdint.h>

/* Adds up to max of the frames written since the last call to the station lookup, one packed
 * row per station (readings_runs.h): read in id order, sorted by station here (a few thousand
 * pairs: cheaper than SQLite's sorter); 1 when more wait, 0 when done, -1 on
 * error: the frames themselves are in the batches' transactions, only finding them by station
 * waits. Reads the tail of frames by id, so a crash or a rollback needs nothing else. Each
 * turn's ids are above every earlier turn's, so a station's runs never overlap. run is the
 * caller's scratch buffer (left empty). */
int readings_index_frames(struct db *db, struct buf *run, int64_t max);

#endif
