/* demo_air — the demo's hour records of its AQI stations (national and provincial), written
 * through the readings writer as the HJ 212 listener writes a device's CN 2061 records, so the
 * province view (province.c) has a month's AQI, PM2.5 and online rates to rank.
 * Must not: write results (daily AQI, means): only the records a device would send. */
#ifndef ECOGOV_MONITOR_DEMO_AIR_H
#define ECOGOV_MONITOR_DEMO_AIR_H

#include <stddef.h>
#include <stdint.h>

/* One AQI station of the demo and its device. */
struct demo_air_station {
    int64_t station_id, device_id;
    int area;        /* 0..DEMO_AIR_AREAS-1: stations of one area (a city) share its weather */
    double pm25;     /* the district's typical PM2.5, µg/m³ (a winter month is ~30 % higher) */
    int silent_days; /* the device stopped sending this many days ago (0: it still sends) */
};

#define DEMO_AIR_AREAS 8

/* Hour records of the six pollutants (HJ 212 codes, CO mg/m³, the others µg/m³) of every
 * station from the first Beijing day of the previous month up to the last full hour before
 * now, about 2 % of a station's hours lost; then each device's frame count and last_seen (now
 * for a device still sending, else a minute after its last record's hour). Deterministic for the
 * seed and now. db_path: the database the writer opens (no transaction may be open on another
 * connection). 0 or -1 (logged). */
int demo_air_hours(const char *db_path, const struct demo_air_station *st, size_t n, uint64_t seed,
                   int64_t now);

#endif
