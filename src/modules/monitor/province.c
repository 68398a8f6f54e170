/* province — the province view (issue 12, docs/scale.md): every city and every district (of
 * its city) of the registry ranked by its month's PM2.5 against the target, with its stations'
 * online rate, from all nodes' data (readings_station_means: one aggregation on the cluster, or the
 * day rollups on SQLite). No SQL here. */
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "modules/monitor/monitor.h"
#include "modules/monitor/readings.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* PM2.5 in the store's factor code (HJ 212-2017). */
#define PROVINCE_PM25 "a34004"

struct province_row {
    const char *city, *district; /* district NULL: the city's row */
    int stations, online, hours;
    double sum;
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
    rows[*n] = (struct province_row){.city = city, .district = district};
    return &rows[(*n)++];
}

static double province_round(double v, double scale)
{
    return round(v * scale) / scale;
}

/* Lower PM2.5 first; districts without data last; then by name. */
static int province_cmp(const void *a, const void *b)
{
    const struct province_row *x = a, *y = b;
    if (!x->hours != !y->hours)
        return x->hours ? -1 : 1;
    if (x->hours) {
        double mx = x->sum / x->hours, my = y->sum / y->hours;
        if (mx != my)
            return mx < my ? -1 : 1;
    }
    int c = strcmp(x->city, y->city);
    return c ? c : strcmp(x->district ? x->district : "", y->district ? y->district : "");
}

/* The ranked rows as [{rank, city[, district], stations, online, online_rate, pm25,
 * pm25_hours, pm25_over_target}]. */
static json_t *province_ranked(struct province_row *rows, size_t n, double target)
{
    qsort(rows, n, sizeof *rows, province_cmp);
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++) {
        struct province_row *r = &rows[k];
        json_t *o = json_pack("{s:i,s:s,s:i,s:i,s:f,s:i}", "rank", (int)k + 1, "city", r->city,
                              "stations", r->stations, "online", r->online, "online_rate",
                              province_round((double)r->online / r->stations, 1000), "pm25_hours",
                              r->hours);
        if (r->district)
            json_object_set_new(o, "district", json_string(r->district));
        double mean = r->hours ? province_round(r->sum / r->hours, 10) : 0;
        json_object_set_new(o, "pm25", r->hours ? json_real(mean) : json_null());
        json_object_set_new(o, "pm25_over_target",
                            r->hours ? json_real(province_round(mean - target, 10)) : json_null());
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

json_t *monitor_province(struct db *db, int64_t from, int64_t to, double target, int64_t now)
{
    struct monitor_station_filter f = {NULL, NULL, NULL, 0, now};
    json_t *stations = monitor_station_list(db, &f);
    json_t *means = stations ? readings_station_means(db, PROVINCE_PM25, from, to) : NULL;
    if (!means) {
        json_decref(stations);
        return NULL;
    }
    size_t nd = 0, nc = 0, cap = json_array_size(stations) + 1;
    struct province_row *districts = xcalloc(cap, sizeof *districts);
    struct province_row *cities = xcalloc(cap, sizeof *cities);
    size_t i;
    json_t *st;
    json_array_foreach(stations, i, st)
    {
        const char *c = json_string_value(json_object_get(st, "city"));
        const char *d = json_string_value(json_object_get(st, "district"));
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(st, "id")));
        json_t *m = json_object_get(means, key);
        province_add(province_find(districts, &nd, c ? c : "", d ? d : ""), st, m);
        province_add(province_find(cities, &nc, c ? c : "", NULL), st, m);
    }
    json_t *out = json_pack("{s:o,s:o}", "cities", province_ranked(cities, nc, target), "districts",
                            province_ranked(districts, nd, target));
    free(districts);
    free(cities);
    json_decref(means);
    json_decref(stations);
    return out;
}
