/* airday — one natural day of ambient air as the daily AQI (HJ 633, 日报) sees it, for a
 * station and for an area (a district, a city) of stations, from figures any store can give:
 * per pollutant the count and the sum of the day's valid hourly values, and the 24 hourly O3
 * values. The rule is the quality module's daily rollup (modules/quality/quality.c):
 *
 * - station: SO2, NO2, CO, PM10, PM2.5 24-hour means valid with >= 20 hours (GB 3095 Table 4),
 *   O3 daily maximum 8-hour mean (airstat_mda8, with the 160 µg/m³ exception) and daily
 *   maximum 1-hour value (>= 20 hours; an input of the 2012 edition only); each valid value
 *   rounded to 0.001 (the daily value the quality module stores) is the AQI's input;
 * - area: the mean of its stations' valid 24-hour means; O3 from the area's hourly series (the
 *   mean of the stations' hourly values present that hour, to 0.001) as a station's; then the
 *   AQI of those means (HJ 663: never the mean of station AQIs);
 * - the edition follows the date of the data (aqi_standard_for_date); an AQI counts only when
 *   published (HJ 633—2026 §5.3: withheld when a pollutant is missing and it is <= 100).
 *
 * Owns: nothing but this arithmetic. Must not: do I/O, allocate, read the clock. Values in
 * 1/AQI_MILLI units (µg/m³, CO mg/m³) as in aqi.h; a negative hourly value is missing. */
#ifndef ECOGOV_AIRDAY_H
#define ECOGOV_AIRDAY_H

#include "domain/airstat.h"

#include <stdint.h>

/* A station's day. Items in enum airstat_pollutant order; O3 is read from o3[] only (its n
 * and sum are the same hours' count and sum, for the caller's use). */
struct airday_hours {
    int n[AIRSTAT_POLLUTANT_COUNT];       /* valid hourly values */
    int64_t sum[AIRSTAT_POLLUTANT_COUNT]; /* their sum */
    int64_t o3[24];                       /* O3 of hours 00..23 (Beijing), negative = missing */
};

/* A day's daily values, as the quality module stores them (aq_daily). */
struct airday_day {
    /* each daily slot (aqi.h order) to 0.001, valid or not; -1 when there is none */
    int64_t v[AQI_POLLUTANT_COUNT];
    /* what it was formed of: hours (O3_8H: valid 8-hour windows); an area's 24-hour slots:
     * the stations with a valid value */
    int n[AQI_POLLUTANT_COUNT];
    unsigned valid; /* AQI_BIT of the valid slots: the AQI's inputs */
};

/* A station's day. An item whose count is out of 0..24 or whose values are out of range
 * (above AQI_CONC_MAX_UNITS) is missing, as airstat would refuse it. */
void airday_station(const struct airday_hours *h, struct airday_day *out);

/* An area's day being summed up; zero it to start. */
struct airday_area {
    int stations;                         /* station days added */
    int64_t sum[AIRSTAT_POLLUTANT_COUNT]; /* valid station daily values (O3 unused) */
    int n[AIRSTAT_POLLUTANT_COUNT];
    int64_t o3_sum[24]; /* the stations' hourly O3 present, per hour */
    int o3_n[24];
};

/* Adds one station's day: h its hours, d its airday_station day. */
void airday_area_add(struct airday_area *a, const struct airday_hours *h,
                     const struct airday_day *d);

/* The area's day. */
void airday_area(const struct airday_area *a, struct airday_day *out);

/* The valid slots of a day as AQI input (each value exact to 0.001). */
void airday_input(const struct airday_day *d, struct aqi_input *in);

/* The published daily AQI of day `day` dated y-m-d (Beijing; the edition by date), or -1 when
 * none is published. */
int airday_aqi(int y, int m, int d, const struct airday_day *day);

#endif
