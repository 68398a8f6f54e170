/* demo_air — see demo_air.h. One batch per Beijing day (every station's 24 hours) into the
 * readings writer, in one transaction with the rollups synced at its end. */
#include "modules/monitor/demo_air.h"
#include "core/rng.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "domain/monitor_norm.h"
#include "modules/monitor/readings.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEMO_AIR_LOST 0.02 /* share of a station's hours that never arrive */

/* One hour of one station in enum airstat_pollutant order: winter high, a night-time PM
 * peak, NO2 at the rush hours, O3 in the afternoon and lower when the air is stagnant
 * (weather > 1). 0 when the hour is lost. */
static int demo_air_values(uint64_t *s, const struct demo_air_station *st, int month, int hour,
                           double weather, double v[AIRSTAT_POLLUTANT_COUNT])
{
    if (rng_unit(s) < DEMO_AIR_LOST)
        return 0;
    double season = 1 + 0.3 * cos(2 * M_PI * (month - 1) / 12.0);
    double rush = (hour >= 7 && hour <= 9) || (hour >= 17 && hour <= 20) ? 1.4 : 0.8;
    double pm25 = st->pm25 * season * weather * (1 + 0.2 * cos(2 * M_PI * (hour - 22) / 24.0)) *
                  (0.9 + 0.2 * rng_unit(s));
    v[AIRSTAT_SO2] = round((6 + 8 * rng_unit(s) * weather) * 10) / 10;
    v[AIRSTAT_NO2] = round((14 + 16 * rush) * weather * (0.85 + 0.3 * rng_unit(s)) * 10) / 10;
    v[AIRSTAT_CO] = round((0.4 + 0.3 * season * weather + 0.2 * rng_unit(s)) * 1000) / 1000;
    v[AIRSTAT_O3] = round((40 + 60 * (1.3 - season)) * (hour >= 11 && hour <= 17 ? 1.9 : 0.7) *
                          (0.85 + 0.3 * rng_unit(s)) / sqrt(weather) * 10) /
                    10;
    v[AIRSTAT_PM10] = round(pm25 * (1.5 + 0.4 * rng_unit(s)) * 10) / 10;
    v[AIRSTAT_PM25] = round(pm25 * 10) / 10;
    return 1;
}

/* The weather of each area: a slow random walk in log space, bounded, so episodes build and
 * clear. */
static void demo_air_weather(uint64_t *s, double lf[DEMO_AIR_AREAS])
{
    for (int a = 0; a < DEMO_AIR_AREAS; a++) {
        lf[a] = 0.96 * lf[a] + 0.18 * (rng_unit(s) - 0.5);
        lf[a] = fmin(0.9, fmax(-0.35, lf[a]));
    }
}

/* One Beijing day's records (its hours before end) of every station into rows/rr; returns
 * how many. sent[i] counts station i's records, last[i] its last hour. */
static size_t demo_air_day(uint64_t *s, const struct demo_air_station *st, size_t n, int64_t day,
                           int64_t end, double lf[DEMO_AIR_AREAS], struct monitor_row *rows,
                           struct readings_row *rr, int64_t *sent, int64_t *last)
{
    int y, m, d;
    timeutil_civil_from_days(day, &y, &m, &d);
    int64_t start = day * 86400 - TIMEUTIL_BEIJING_OFFSET;
    size_t k = 0;
    for (int h = 0; h < 24 && start + h * 3600 < end; h++) {
        int64_t ts = start + h * 3600;
        demo_air_weather(s, lf);
        for (size_t i = 0; i < n; i++) {
            double v[AIRSTAT_POLLUTANT_COUNT];
            int area = st[i].area >= 0 && st[i].area < DEMO_AIR_AREAS ? st[i].area : 0;
            if (!demo_air_values(s, &st[i], m, h, exp(lf[area]), v) ||
                ts >= end - (int64_t)st[i].silent_days * 86400)
                continue;
            for (int p = 0; p < AIRSTAT_POLLUTANT_COUNT; p++, k++) {
                struct monitor_row *r = &rows[k];
                memset(r, 0, sizeof *r);
                snprintf(r->factor, sizeof r->factor, "%s", readings_air_codes[p]);
                r->kind = MONITOR_KIND_HOUR;
                r->has = MONITOR_HAS_VALUE;
                snprintf(r->flag, sizeof r->flag, "N");
                r->ts = ts;
                r->value = v[p];
                rr[k] = (struct readings_row){st[i].station_id, st[i].device_id, r, (uint32_t)k};
            }
            sent[i]++;
            last[i] = ts;
        }
    }
    return k;
}

/* Each device's frames and last_seen: a device still sending was heard from now (it keeps its
 * connection between records), a silent one a minute after its last record's hour ended. */
static int demo_air_seen(struct readings *w, const struct demo_air_station *st, size_t n,
                         const int64_t *sent, const int64_t *last, int64_t now)
{
    if (readings_begin(w))
        return -1;
    for (size_t i = 0; i < n; i++) {
        int64_t seen = st[i].silent_days ? last[i] + 3660 : now;
        if (sent[i] && readings_device_seen(w, st[i].device_id, seen, NULL, sent[i], 0, 0)) {
            readings_rollback(w);
            return -1;
        }
    }
    return readings_commit(w);
}

int demo_air_hours(const char *db_path, const struct demo_air_station *st, size_t n, uint64_t seed,
                   int64_t now)
{
    char err[200];
    struct readings *w = readings_open(db_path, err, sizeof err);
    if (!w) {
        fprintf(stderr, "demo monitor: readings: %s\n", err);
        return -1;
    }
    int64_t end = now - now % 3600, today = timeutil_day_of(now);
    int y, m, d;
    timeutil_civil_from_days(today, &y, &m, &d);
    int64_t first = timeutil_days_from_civil(m == 1 ? y - 1 : y, m == 1 ? 12 : m - 1, 1);
    struct monitor_row *rows = xmalloc(sizeof *rows * n * 24 * AIRSTAT_POLLUTANT_COUNT);
    struct readings_row *rr = xmalloc(sizeof *rr * n * 24 * AIRSTAT_POLLUTANT_COUNT);
    int64_t *sent = xcalloc(n ? n : 1, sizeof *sent), *last = xcalloc(n ? n : 1, sizeof *last);
    double lf[DEMO_AIR_AREAS] = {0};
    uint64_t s = seed ^ 0xA1A1D4ull;
    /* one transaction: a commit each day cost more than the records themselves */
    int rc = readings_begin(w);
    for (int64_t day = first; day <= today && !rc; day++) {
        size_t k = demo_air_day(&s, st, n, day, end, lf, rows, rr, sent, last);
        int64_t received = (day + 1) * 86400 - TIMEUTIL_BEIJING_OFFSET;
        readings_sort(rr, k);
        rc = k && readings_put(w, rr, k, received < now ? received : now);
    }
    rc = rc || readings_sync(w, now) || readings_commit(w);
    if (rc)
        readings_rollback(w);
    rc = rc || demo_air_seen(w, st, n, sent, last, now);
    if (rc)
        fprintf(stderr, "demo monitor: hour records: %s\n", readings_errmsg(readings_db(w)));
    free(sent);
    free(last);
    free(rr);
    free(rows);
    readings_close(w);
    return rc ? -1 : 0;
}
