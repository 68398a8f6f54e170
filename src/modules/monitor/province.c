/* province — the province view (issue 12, docs/scale.md): every city and every district (of
 * its city) of the registry with its month's PM2.5 against the target, its daily AQI (the mean
 * of its published days and the share of good days, 优良天数比例) and its stations' online
 * rate, ranked, from all nodes' data: readings_station_means (one aggregation on the cluster,
 * or the day rollups on SQLite) and readings_air_days (the six pollutants per station and
 * Beijing day; each area's day then as the quality module rolls a district up: airday.h). No
 * SQL here. */
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "domain/airday.h"
#include "modules/monitor/monitor.h"
#include "modules/monitor/readings.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* PM2.5 in the store's factor code (HJ 212-2017). */
#define PROVINCE_PM25 "a34004"
/* The longest period: a month. */
#define PROVINCE_DAYS 31

struct province_row {
    const char *city, *district; /* district NULL: the city's row */
    int stations, online, hours, air_stations;
    double sum;
    int aqi[PROVINCE_DAYS]; /* the published daily AQI of each day of the period, or -1 */
    struct airstat_days days;
    double aqi_mean; /* of the published days (days.valid of them) */
};

/* One AQI station (national or provincial): its rows. */
struct province_air {
    int64_t id;
    struct province_row *district, *city;
};

static int province_same(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static struct province_row *province_find(struct province_row *rows, size_t *n, const char *city,
                                          const char *district)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(rows[i].city, city) && province_same(rows[i].district, district))
            return &rows[i];
    struct province_row *r = &rows[(*n)++];
    memset(r, 0, sizeof *r);
    r->city = city;
    r->district = district;
    for (int d = 0; d < PROVINCE_DAYS; d++)
        r->aqi[d] = -1;
    return r;
}

static double province_round(double v, double scale)
{
    return round(v * scale) / scale;
}

/* The ranking figure of r under `by` (lower first) and whether r has it. */
static int province_key(const struct province_row *r, enum province_by by, double *key)
{
    switch (by) {
    case PROVINCE_BY_AQI:
        *key = r->aqi_mean;
        return r->days.valid > 0;
    case PROVINCE_BY_GOOD:
        *key = -r->days.good_ratio;
        return r->days.valid > 0;
    default:
        *key = r->hours ? r->sum / r->hours : 0;
        return r->hours > 0;
    }
}

/* The chosen figure first (none last); then by name. */
static int province_cmp(const void *a, const void *b, void *by_arg)
{
    const struct province_row *x = a, *y = b;
    enum province_by by = *(const enum province_by *)by_arg;
    double kx, ky;
    int hx = province_key(x, by, &kx), hy = province_key(y, by, &ky);
    if (hx != hy)
        return hx ? -1 : 1;
    if (hx && kx != ky)
        return kx < ky ? -1 : 1;
    int c = strcmp(x->city, y->city);
    return c ? c : strcmp(x->district ? x->district : "", y->district ? y->district : "");
}

/* The AQI figures of a row from its days. */
static void province_days(struct province_row *r)
{
    airstat_good_days(r->aqi, PROVINCE_DAYS, &r->days);
    long sum = 0;
    for (int d = 0; d < PROVINCE_DAYS; d++)
        sum += r->aqi[d] >= 0 ? r->aqi[d] : 0;
    r->aqi_mean = r->days.valid ? (double)sum / r->days.valid : 0;
}

/* The ranked rows as [{rank, city[, district], stations, online, online_rate, pm25,
 * pm25_hours, pm25_over_target, air_stations, aqi, aqi_days, good_days, good_ratio}]. */
static json_t *province_ranked(struct province_row *rows, size_t n, double target,
                               enum province_by by)
{
    for (size_t k = 0; k < n; k++)
        province_days(&rows[k]);
    qsort_r(rows, n, sizeof *rows, province_cmp, &by);
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++) {
        struct province_row *r = &rows[k];
        json_t *o = json_pack("{s:i,s:s,s:i,s:i,s:f,s:i,s:i,s:i,s:i}", "rank", (int)k + 1, "city",
                              r->city, "stations", r->stations, "online", r->online, "online_rate",
                              province_round((double)r->online / r->stations, 1000), "pm25_hours",
                              r->hours, "air_stations", r->air_stations, "aqi_days", r->days.valid,
                              "good_days", r->days.good);
        if (r->district)
            json_object_set_new(o, "district", json_string(r->district));
        double mean = r->hours ? province_round(r->sum / r->hours, 10) : 0;
        json_object_set_new(o, "pm25", r->hours ? json_real(mean) : json_null());
        json_object_set_new(o, "pm25_over_target",
                            r->hours ? json_real(province_round(mean - target, 10)) : json_null());
        int has = r->days.valid > 0;
        json_object_set_new(o, "aqi",
                            has ? json_real(province_round(r->aqi_mean, 10)) : json_null());
        json_object_set_new(o, "good_ratio",
                            has ? json_real(province_round(r->days.good_ratio, 10)) : json_null());
        json_array_append_new(arr, o);
    }
    return arr;
}

static void province_add(struct province_row *r, json_t *st, json_t *m)
{
    r->stations++;
    r->online += json_is_true(json_object_get(st, "online"));
    if (m) {
        r->hours += (int)json_integer_value(json_array_get(m, 0));
        r->sum += json_number_value(json_array_get(m, 1));
    }
}

static int province_air_cmp(const void *a, const void *b)
{
    int64_t x = ((const struct province_air *)a)->id, y = ((const struct province_air *)b)->id;
    return (x > y) - (x < y);
}

static int province_day_cmp(const void *a, const void *b)
{
    const struct readings_air_day *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return (x->station_id > y->station_id) - (x->station_id < y->station_id);
}

/* Closes one area's day: its AQI, when published, is day d's. */
static void province_area_day(struct province_row *r, struct airday_area *acc, int d, int y, int m,
                              int dd)
{
    struct airday_day day;
    airday_area(acc, &day);
    if (d >= 0 && d < PROVINCE_DAYS)
        r->aqi[d] = airday_aqi(y, m, dd, &day);
    memset(acc, 0, sizeof *acc);
}

/* Every area's daily AQI of the period from its AQI stations' days. rows[0..nrows) are the
 * districts and the cities (one array), air[0..nair) the stations sorted by id. 0 or -1. */
static int province_aqi(struct db *db, struct province_row *rows, size_t nrows,
                        struct province_air *air, size_t nair, int64_t from, int64_t to)
{
    int64_t *ids = xmalloc((nair ? nair : 1) * sizeof *ids);
    for (size_t i = 0; i < nair; i++)
        ids[i] = air[i].id;
    struct readings_air_day *days;
    size_t nd;
    int rc = readings_air_days(db, ids, nair, from, to, &days, &nd);
    free(ids);
    if (rc)
        return -1;
    if (nd)
        qsort(days, nd, sizeof *days, province_day_cmp);
    struct airday_area *acc = xcalloc(nrows ? nrows : 1, sizeof *acc);
    for (size_t i = 0; i < nd;) {
        int64_t day = days[i].day;
        size_t j = i;
        for (; j < nd && days[j].day == day; j++) {
            struct province_air key = {.id = days[j].station_id}, *a;
            struct airday_day sd;
            a = bsearch(&key, air, nair, sizeof *air, province_air_cmp);
            if (!a)
                continue;
            airday_station(&days[j].hours, &sd);
            airday_area_add(&acc[a->district - rows], &days[j].hours, &sd);
            airday_area_add(&acc[a->city - rows], &days[j].hours, &sd);
        }
        int y, m, dd;
        timeutil_civil_from_days((day + 28800) / 86400, &y, &m, &dd);
        for (size_t k = 0; k < nrows; k++)
            if (acc[k].stations)
                province_area_day(&rows[k], &acc[k], (int)((day - from) / 86400), y, m, dd);
        i = j;
    }
    free(acc);
    free(days);
    return 0;
}

static int province_is_air(json_t *st)
{
    const char *k = json_string_value(json_object_get(st, "kind"));
    return k && (!strcmp(k, "national") || !strcmp(k, "provincial"));
}

json_t *monitor_province(struct db *db, int64_t from, int64_t to, double target,
                         enum province_by by, int64_t now)
{
    if (to - from > (int64_t)PROVINCE_DAYS * 86400)
        return NULL;
    struct monitor_station_filter f = {NULL, NULL, NULL, 0, now};
    json_t *stations = monitor_station_list(db, &f);
    json_t *means = stations ? readings_station_means(db, PROVINCE_PM25, from, to) : NULL;
    if (!means) {
        json_decref(stations);
        return NULL;
    }
    /* districts then cities in one array, so one accumulator array serves both */
    size_t ns = json_array_size(stations), nd = 0, nc = 0, nair = 0;
    struct province_row *rows = xcalloc(2 * ns + 2, sizeof *rows);
    struct province_row *districts = rows, *cities = rows + ns + 1;
    struct province_air *air = xcalloc(ns + 1, sizeof *air);
    size_t i;
    json_t *st;
    json_array_foreach(stations, i, st)
    {
        const char *c = json_string_value(json_object_get(st, "city"));
        const char *d = json_string_value(json_object_get(st, "district"));
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(st, "id")));
        json_t *m = json_object_get(means, key);
        struct province_row *dr = province_find(districts, &nd, c ? c : "", d ? d : "");
        struct province_row *cr = province_find(cities, &nc, c ? c : "", NULL);
        province_add(dr, st, m);
        province_add(cr, st, m);
        if (province_is_air(st)) {
            dr->air_stations++, cr->air_stations++;
            air[nair++] =
                (struct province_air){json_integer_value(json_object_get(st, "id")), dr, cr};
        }
    }
    qsort(air, nair, sizeof *air, province_air_cmp);
    /* A day's AQI counts once the day is over (Beijing): from 20:00 today has the 20 hours a
     * daily mean needs, but its value is not the day's yet, nor published before tomorrow. */
    int hour;
    int64_t today = readings_air_day_of(now, &hour);
    json_t *out = NULL;
    if (!province_aqi(db, rows, 2 * ns + 2, air, nair, from, to < today ? to : today)) {
        out = json_pack("{s:o,s:o}", "cities", province_ranked(cities, nc, target, by), "districts",
                        province_ranked(districts, nd, target, by));
    }
    free(air);
    free(rows);
    json_decref(means);
    json_decref(stations);
    return out;
}
