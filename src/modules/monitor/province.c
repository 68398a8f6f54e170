/* province — the province view (issue 12, docs/scale.md): every district of the registry
 * ranked by its month's PM2.5 against the target, with its stations' online rate, from all
 * nodes' data (readings_station_means: one aggregation on the cluster, or the day rollups on
 * SQLite). No SQL here. */
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
    const char *district;
    int stations, online, hours;
    double sum;
};

static struct province_row *province_find(struct province_row *rows, size_t *n,
                                          const char *district)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(rows[i].district, district))
            return &rows[i];
    rows[*n] = (struct province_row){.district = district};
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
    return strcmp(x->district, y->district);
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
    size_t n = 0, cap = json_array_size(stations) + 1;
    struct province_row *rows = xcalloc(cap, sizeof *rows);
    size_t i;
    json_t *st;
    json_array_foreach(stations, i, st)
    {
        const char *d = json_string_value(json_object_get(st, "district"));
        struct province_row *r = province_find(rows, &n, d && *d ? d : "");
        r->stations++;
        r->online += json_is_true(json_object_get(st, "online"));
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(st, "id")));
        json_t *m = json_object_get(means, key);
        if (m) {
            r->hours += (int)json_integer_value(json_array_get(m, 0));
            r->sum += json_number_value(json_array_get(m, 1));
        }
    }
    qsort(rows, n, sizeof *rows, province_cmp);
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++) {
        struct province_row *r = &rows[k];
        json_t *o = json_pack("{s:i,s:s,s:i,s:i,s:f,s:i}", "rank", (int)k + 1, "district",
                              r->district, "stations", r->stations, "online", r->online,
                              "online_rate", province_round((double)r->online / r->stations, 1000),
                              "pm25_hours", r->hours);
        double mean = r->hours ? province_round(r->sum / r->hours, 10) : 0;
        json_object_set_new(o, "pm25", r->hours ? json_real(mean) : json_null());
        json_object_set_new(o, "pm25_over_target",
                            r->hours ? json_real(province_round(mean - target, 10)) : json_null());
        json_array_append_new(arr, o);
    }
    free(rows);
    json_decref(means);
    json_decref(stations);
    return arr;
}
