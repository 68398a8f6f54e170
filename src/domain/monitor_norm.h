/* monitor_norm — turning a parsed HJ 212 data message into readings: factor mapping,
 * canonical units, Beijing time to UTC, period starts, data flags and suspicion marks.
 *
 * Owns: the factor table (standard codes, names, canonical units), the 2005 and vendor code
 * aliases, the station kinds (medium, offline threshold) and the unit conversions.
 * Must not: do I/O, allocate, read the clock or know about the database. Reentrant.
 * Rules and their reasons: docs/monitoring.md. */
#ifndef ECOGOV_MONITOR_NORM_H
#define ECOGOV_MONITOR_NORM_H

#include "domain/hj212.h"

#include <stddef.h>
#include <stdint.h>

/* What a station measures: decides canonical units (air µg/m³ except CO mg/m³, flue gas
 * mg/m³, water mg/L). */
enum monitor_medium { MONITOR_AIR, MONITOR_FLUE, MONITOR_WATER };

/* Record kinds stored in readings.kind. */
enum monitor_kind {
    MONITOR_KIND_NONE = 0,
    MONITOR_KIND_RTD = 1,    /* CN 2011, sampling instant */
    MONITOR_KIND_MINUTE = 2, /* CN 2051, period start */
    MONITOR_KIND_HOUR = 3,   /* CN 2061 */
    MONITOR_KIND_DAY = 4,    /* CN 2031, Beijing day start */
};

/* Marks in readings.qual. */
#define MONITOR_QUAL_CLOCK_UNSET 1 /* DataTime before 2010: an unset device clock */
#define MONITOR_QUAL_FUTURE 2      /* DataTime more than MONITOR_FUTURE_SLACK ahead */
#define MONITOR_QUAL_NEGATIVE 4    /* negative value of a concentration */
#define MONITOR_QUAL_BACKFILL 8    /* answer to a history (back-fill) request */
#define MONITOR_QUAL_NO_TIME 16    /* no usable DataTime: the receive time was used */
/* Marks that make a record invalid (flag aside). */
#define MONITOR_QUAL_INVALID                                                                       \
    (MONITOR_QUAL_CLOCK_UNSET | MONITOR_QUAL_FUTURE | MONITOR_QUAL_NEGATIVE)
#define MONITOR_FUTURE_SLACK 600

/* Longest factor code kept (longer vendor codes are cut; "<code>-Zs" fits). */
#define MONITOR_FACTOR_MAX 24

/* A station kind: its name in the database, medium, default offline threshold, label. */
struct monitor_station_kind {
    const char *name; /* 'national', 'provincial', 'micro', 'water', 'source_gas', 'source_water' */
    enum monitor_medium medium;
    int offline_after; /* seconds without data before the station counts as offline */
    int source;        /* 1 for pollution-source outlets (an enterprise is required) */
    const char *label; /* zh */
};
/* The kind named name, or NULL. */
const struct monitor_station_kind *monitor_station_kind_find(const char *name);
const struct monitor_station_kind *monitor_station_kinds(size_t *count);

/* A standard factor. */
struct monitor_factor {
    const char *code;
    const char *name;       /* zh */
    const char *unit_air;   /* canonical unit at ambient-air stations, NULL = not an air factor */
    const char *unit_other; /* canonical unit for flue gas / water */
    int concentration;      /* 1 when a negative value is suspicious */
};
/* The standard factor code (exact), or NULL. */
const struct monitor_factor *monitor_factor_find(const char *code);
const struct monitor_factor *monitor_factors(size_t *count);
/* Canonical unit of factor for a medium ("" when unknown). */
const char *monitor_factor_unit(const struct monitor_factor *f, enum monitor_medium medium);

/* Standard code for a device code through the built-in aliases (2005 "原编码", vendor names
 * such as PM25); code itself when none applies. Writes a NUL-terminated code (cut at
 * MONITOR_FACTOR_MAX - 1 bytes) into out. */
void monitor_factor_alias(struct hj212_str code, enum monitor_medium medium,
                          char out[MONITOR_FACTOR_MAX]);

/* Multiplier converting a value in unit from to unit to (mass concentrations in air or water,
 * e.g. mg/m3 -> ug/m3 = 1000; "µ"/"u" and "³"/"3" are the same). Returns 0 and *mult, or -1
 * when the units are not convertible. Equal strings convert with 1. */
int monitor_unit_convert(const char *from, const char *to, double *mult);

/* One entry of a device's factor map: device code -> standard factor, the unit the device
 * sends in ("" = the canonical unit) and an extra scale. */
struct monitor_map_entry {
    char code[MONITOR_FACTOR_MAX];
    char factor[MONITOR_FACTOR_MAX];
    double mult; /* unit conversion times scale, precomputed by the caller */
};

/* What normalisation needs to know about the sending device. */
struct monitor_device_cfg {
    enum monitor_medium medium;
    const struct monitor_map_entry *map; /* sorted or not; searched linearly */
    size_t nmap;
    int64_t clock_offset; /* seconds added to every device time */
    int clock_utc;        /* 1 when the device clock runs on UTC instead of Beijing time */
};

#define MONITOR_HAS_MIN 1
#define MONITOR_HAS_MAX 2
#define MONITOR_HAS_COU 4
#define MONITOR_HAS_VALUE 8

/* One normalised reading. */
struct monitor_row {
    char factor[MONITOR_FACTOR_MAX];
    uint8_t kind;
    uint8_t has; /* MONITOR_HAS_* */
    char flag[4];
    uint32_t qual;
    int64_t ts;
    double value, vmin, vmax, cou;
};

/* The record kind of a command code (2011, 2051, 2061, 2031), MONITOR_KIND_NONE otherwise. */
enum monitor_kind monitor_kind_of_cn(int cn);

/* Start of the period containing ts for kind (minute, hour, Beijing day; RTD unchanged). */
int64_t monitor_period_start(enum monitor_kind kind, int64_t ts);

/* Normalises a parsed data message of kind monitor_kind_of_cn(msg->cn_num) into rows[0..cap):
 * groups each factor's -Rtd/-Avg/-Min/-Max/-Cou (and -Zs* under "<factor>-Zs"), maps codes,
 * converts units, takes the linked -Flag, converts DataTime to UTC (period start) and marks
 * suspicious values (MONITOR_QUAL_*). now = UTC seconds of receipt. A value that is not a
 * decimal number, or a factor with no value, is skipped and counted in *skipped.
 * Returns the number of rows written (0 for a message that is not a data record). */
size_t monitor_normalise(const struct hj212_msg *msg, const struct monitor_device_cfg *dev,
                         int64_t now, struct monitor_row *rows, size_t cap, int *skipped);

/* 1 when a record is valid: flag N, empty or 2005 air '3', and no invalidating qual mark. */
int monitor_row_valid(const char *flag, uint32_t qual);

/* Parses a decimal number (sign, digits, one point, optional exponent; at most 40 bytes).
 * Returns 0 and *out, or -1. */
int monitor_parse_number(struct hj212_str s, double *out);

#endif
