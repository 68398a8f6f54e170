/* airdata — hourly ambient concentrations per station: the one interface
 * through which the quality module reads (and its import path writes) device
 * data.
 *
 * Owns: the aq_hourly table (schema module "quality"). One row per station
 * and hour holds the six basic pollutants in 1/AQI_MILLI units (µg/m³; CO
 * mg/m³); NULL (here: a negative value) is missing. Hours are UTC seconds at
 * the start of the hour; a Beijing calendar day d covers the hours
 * d*86400 - 8 h ... + 23 h.
 *
 * Two sources per value: the import path (airdata_put: CSV, demo) and the
 * device feed (airdata_put_device: hours computed from the monitor module's
 * readings for a linked station, aq_stations.device_station_id, by
 * feed.c). They are stored side by side (aq_hourly.so2 ... and
 * d_so2 ...). Precedence, per station, hour and pollutant: an imported value
 * wins (imports are the reviewed data the bureau publishes), a device value
 * fills what no import carries. airdata_range and airdata_latest apply it;
 * callers never see where an hour came from.
 *
 * Must not: evaluate anything (see quality.h) or know HTTP. */
#ifndef ECOGOV_AIRDATA_H
#define ECOGOV_AIRDATA_H

#include <stdint.h>

struct db;

/* Column order of every hourly vector: the airstat order. */
enum airdata_col {
    AIRDATA_SO2,
    AIRDATA_NO2,
    AIRDATA_CO,
    AIRDATA_O3,
    AIRDATA_PM10,
    AIRDATA_PM25,
    AIRDATA_NCOLS
};

#define AIRDATA_HOUR 3600
#define AIRDATA_DAY 86400
#define AIRDATA_BEIJING (8 * 3600)

/* Stable lower-case column names: so2, no2, co, o3, pm10, pm25. */
const char *airdata_col_name(int col);
/* Column index of a name, or -1. */
int airdata_col_parse(const char *name);

/* UTC start of Beijing day `day` (days since 1970-01-01), and the Beijing
 * day an hour belongs to. */
int64_t airdata_day_start(int32_t day);
int32_t airdata_day_of(int64_t hour);

/* Stores one hour of one station. v[c] < 0 leaves column c as it was (so a
 * late value for one pollutant does not erase the others). Must run inside a
 * write transaction. Returns 0 or -1 (logged). */
int airdata_put(struct db *db, int64_t station, int64_t hour, const int64_t v[AIRDATA_NCOLS]);

/* Stores one hour of device data of one station: replaces every device
 * column (v[c] < 0 = no valid device value). Imported values are untouched.
 * Must run inside a write transaction. Returns 1 when something changed, 0
 * when the stored device values were the same already, -1 on error. */
int airdata_put_device(struct db *db, int64_t station, int64_t hour,
                       const int64_t v[AIRDATA_NCOLS]);

/* Fills out[i][c] for the hours from .. from + (n-1) h (from must be an hour
 * start) with the stored values (imported, else device), -1 where missing. Returns the number of
 * hours found (0..n), or -1 on a database error. */
int airdata_range(struct db *db, int64_t station, int64_t from, int n,
                  int64_t (*out)[AIRDATA_NCOLS]);

/* The latest hour stored for a station at or before `at` (0 = none). */
int64_t airdata_latest(struct db *db, int64_t station, int64_t at);

#endif
