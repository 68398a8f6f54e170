/* net — the micro-station network and rankings (quality.h): the
 * co-location calibration of PM sensors against the nearest official station,
 * rankings of districts, towns and stations by PM2.5 with the year-on-year
 * change, and the "possible local source" hint. Rows through store.h. */
#include "modules/quality/quality.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "domain/calendar.h"
#include "modules/quality/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A micro station whose period mean exceeds both this multiple of its
 * neighbours' (the stations of its district and any within
 * QUALITY_NEIGHBOUR_KM) median and the median plus QUALITY_HINT_MIN_UG gets the hint. */
#define QUALITY_HINT_RATIO 1.5
#define QUALITY_HINT_MIN_UG 15.0
#define QUALITY_NEIGHBOUR_KM 8.0
#define QUALITY_CAL_MIN_PAIRS 24

static double quality_km(double lon1, double lat1, double lon2, double lat2)
{
    double x = (lon2 - lon1) * cos((lat1 + lat2) / 2 * M_PI / 180) * 111.32;
    double y = (lat2 - lat1) * 110.57;
    return sqrt(x * x + y * y);
}

/* The official station nearest to station id (0 when none has a position). */
static int64_t quality_nearest_official(struct db *db, int64_t id, double *km)
{
    double lon = 0, lat = 0;
    if (aq_stations_position(db, id, &lon, &lat) != 1)
        return 0;
    json_t *all = aq_stations_official_positions(db, id);
    int64_t best = 0;
    double bd = 1e18;
    size_t i;
    json_t *o;
    json_array_foreach(all, i, o)
    {
        double d = quality_km(lon, lat, json_number_value(json_object_get(o, "lon")),
                              json_number_value(json_object_get(o, "lat")));
        if (d < bd)
            bd = d, best = json_integer_value(json_object_get(o, "id"));
    }
    json_decref(all);
    *km = bd;
    return best;
}

json_t *quality_calibrate(struct db *db, int64_t micro, int pm, int64_t from, int64_t to,
                          const char **message)
{
    *message = NULL;
    double km = 0;
    int64_t ref = quality_nearest_official(db, micro, &km);
    if (!ref) {
        *message = "找不到可用于校准的参比站（站点须有坐标）";
        return NULL;
    }
    from -= ((from % AIRDATA_HOUR) + AIRDATA_HOUR) % AIRDATA_HOUR;
    int n = (int)((to - from) / AIRDATA_HOUR);
    if (n <= 0 || n > 24 * 90) {
        *message = "校准时间窗无效";
        return NULL;
    }
    int64_t(*a)[AIRDATA_NCOLS] = xmalloc(sizeof *a * (size_t)n);
    int64_t(*b)[AIRDATA_NCOLS] = xmalloc(sizeof *b * (size_t)n);
    double sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
    int k = 0;
    if (airdata_range(db, micro, from, n, a) >= 0 && airdata_range(db, ref, from, n, b) >= 0)
        for (int i = 0; i < n; i++) {
            if (a[i][pm] < 0 || b[i][pm] < 0)
                continue;
            double x = (double)a[i][pm] / 1000, y = (double)b[i][pm] / 1000;
            sx += x, sy += y, sxx += x * x, sxy += x * y, syy += y * y, k++;
        }
    free(a);
    free(b);
    double den = k * sxx - sx * sx;
    if (k < QUALITY_CAL_MIN_PAIRS || den <= 0) {
        *message = "同期有效小时数不足（至少 24 对），或传感器读数无变化";
        return NULL;
    }
    double slope = (k * sxy - sx * sy) / den, icpt = (sy - slope * sx) / k;
    double vy = k * syy - sy * sy;
    double r2 = vy > 0 ? (k * sxy - sx * sy) * (k * sxy - sx * sy) / (den * vy) : 0;
    struct aq_fit fit = {micro, ref, airdata_col_name(pm), slope, icpt, r2, k,
                         from,  to,  timeutil_now()};
    if (aq_calibration_put(db, &fit)) {
        *message = NULL; /* a database error, not a refusal */
        return NULL;
    }
    return json_pack("{sI ss sI sf sf sf si sf sI sI}", "station_id", (json_int_t)micro,
                     "pollutant", airdata_col_name(pm), "ref_station_id", (json_int_t)ref, "slope",
                     round(slope * 10000) / 10000, "intercept", round(icpt * 1000) / 1000, "r2",
                     round(r2 * 10000) / 10000, "n", k, "distance_km", round(km * 100) / 100,
                     "window_from", (json_int_t)from, "window_to", (json_int_t)to);
}

/* ---- rankings ---- */

struct quality_rank {
    int64_t id;
    char name[128], district[64], town[64], kind[16];
    double lon, lat;
    bool pos;
    double value, prev;
    int days, prev_days;
    bool hint;
};

/* The text of a row's column ("" when it is not text). */
static const char *quality_str(json_t *row, const char *key)
{
    const char *s = json_string_value(json_object_get(row, key));
    return s ? s : "";
}

/* Period mean PM2.5 per station (calibrated for micro stations). */
static int quality_station_means(struct db *db, int32_t from, int32_t to, struct quality_rank **out,
                                 int *count, bool prev)
{
    json_t *rows = aq_daily_pm25_means(db, from, to);
    if (!rows)
        return -1;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        int64_t id = json_integer_value(json_object_get(row, "id"));
        int days = (int)json_integer_value(json_object_get(row, "days"));
        double v = json_number_value(json_object_get(row, "pm25")) / 1000;
        json_t *slope = json_object_get(row, "slope");
        if (json_is_number(slope))
            v = json_number_value(slope) * v + json_number_value(json_object_get(row, "intercept"));
        struct quality_rank *x = NULL;
        for (int k = 0; k < *count; k++)
            if ((*out)[k].id == id)
                x = &(*out)[k];
        if (!x && prev)
            continue;
        if (!x) {
            *out = xrealloc(*out, sizeof **out * (size_t)(*count + 1));
            x = &(*out)[(*count)++];
            memset(x, 0, sizeof *x);
            x->id = id;
            snprintf(x->name, sizeof x->name, "%s", quality_str(row, "name"));
            snprintf(x->district, sizeof x->district, "%s", quality_str(row, "district"));
            snprintf(x->town, sizeof x->town, "%s", quality_str(row, "town"));
            snprintf(x->kind, sizeof x->kind, "%s", quality_str(row, "kind"));
            x->pos = json_is_number(json_object_get(row, "lon"));
            x->lon = json_number_value(json_object_get(row, "lon"));
            x->lat = json_number_value(json_object_get(row, "lat"));
            x->prev = -1;
        }
        if (prev)
            x->prev = v, x->prev_days = days;
        else
            x->value = v, x->days = days;
    }
    json_decref(rows);
    return 0;
}

static int quality_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void quality_hints(struct quality_rank *s, int n)
{
    double *nb = xmalloc(sizeof *nb * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        if (strcmp(s[i].kind, "micro") || !s[i].pos)
            continue;
        int k = 0;
        for (int j = 0; j < n; j++)
            if (j != i && s[j].pos &&
                (!strcmp(s[i].district, s[j].district) ||
                 quality_km(s[i].lon, s[i].lat, s[j].lon, s[j].lat) <= QUALITY_NEIGHBOUR_KM))
                nb[k++] = s[j].value;
        if (k < 2)
            continue;
        qsort(nb, (size_t)k, sizeof *nb, quality_cmp_double);
        double med = k % 2 ? nb[k / 2] : (nb[k / 2 - 1] + nb[k / 2]) / 2;
        s[i].hint = s[i].value > med * QUALITY_HINT_RATIO && s[i].value > med + QUALITY_HINT_MIN_UG;
    }
    free(nb);
}

struct quality_group {
    char key[132];
    char district[64], town[64];
    double sum, psum;
    int n, pn, days, pdays;
    bool hint;
};

static int quality_cmp_group(const void *a, const void *b)
{
    const struct quality_group *x = a, *y = b;
    double vx = x->sum / x->n, vy = y->sum / y->n;
    return (vx > vy) - (vx < vy);
}

static double quality_r1(double v)
{
    return round(v * 10) / 10;
}

static int32_t quality_year_before(int32_t day)
{
    int y, m, d;
    timeutil_civil_from_days(day, &y, &m, &d);
    if (m == 2 && d == 29)
        d = 28;
    return (int32_t)timeutil_days_from_civil(y - 1, m, d);
}

json_t *quality_ranking(struct db *db, const char *kind, int32_t from, int32_t to)
{
    struct quality_rank *s = NULL;
    int n = 0;
    if (quality_station_means(db, from, to, &s, &n, false) ||
        quality_station_means(db, quality_year_before(from), quality_year_before(to), &s, &n,
                              true)) {
        free(s);
        return NULL;
    }
    quality_hints(s, n);
    /* Districts use the official stations (as their published figures);
     * towns every station, micro stations calibrated (the fine-grained
     * ranking the sensor network exists for). */
    bool by_district = !strcmp(kind, "district"), by_town = !strcmp(kind, "town");
    bool micro = !strcmp(kind, "micro");
    struct quality_group *g = xcalloc((size_t)(n ? n : 1), sizeof *g);
    int ng = 0;
    for (int i = 0; i < n; i++) {
        bool off = strcmp(s[i].kind, "micro") != 0;
        if ((by_district || !strcmp(kind, "station")) && !off)
            continue;
        if (micro && off)
            continue;
        if (by_town && !s[i].town[0])
            continue;
        char key[132];
        snprintf(key, sizeof key, "%s",
                 by_district ? s[i].district
                 : by_town   ? s[i].town
                             : s[i].name);
        if (by_town)
            snprintf(key, sizeof key, "%s/%s", s[i].district, s[i].town);
        if (!by_district && !by_town)
            snprintf(key, sizeof key, "%lld", (long long)s[i].id);
        struct quality_group *x = NULL;
        for (int k = 0; k < ng; k++)
            if (!strcmp(g[k].key, key))
                x = &g[k];
        if (!x) {
            x = &g[ng++];
            snprintf(x->key, sizeof x->key, "%s", key);
            snprintf(x->district, sizeof x->district, "%s", s[i].district);
            snprintf(x->town, sizeof x->town, "%s", by_district ? "" : s[i].town);
        }
        x->sum += s[i].value, x->n++, x->days += s[i].days;
        if (s[i].prev >= 0)
            x->psum += s[i].prev, x->pn++, x->pdays += s[i].prev_days;
        x->hint = x->hint || s[i].hint;
    }
    qsort(g, (size_t)ng, sizeof *g, quality_cmp_group);
    json_t *items = json_array();
    for (int k = 0; k < ng; k++) {
        double v = quality_r1(g[k].sum / g[k].n);
        json_t *o =
            json_pack("{si ss ss sf si si}", "rank", k + 1, "district", g[k].district, "town",
                      g[k].town, "pm25", v, "stations", g[k].n, "days", g[k].days / g[k].n);
        if (!by_district && !by_town) {
            int64_t id = strtoll(g[k].key, NULL, 10);
            for (int i = 0; i < n; i++)
                if (s[i].id == id) {
                    json_object_set_new(o, "station_id", json_integer(id));
                    json_object_set_new(o, "name", json_string(s[i].name));
                    json_object_set_new(o, "kind", json_string(s[i].kind));
                }
        } else {
            json_object_set_new(o, "name", json_string(by_district ? g[k].district : g[k].town));
        }
        if (g[k].pn) {
            double p = quality_r1(g[k].psum / g[k].pn);
            json_object_set_new(o, "prev_pm25", json_real(p));
            json_object_set_new(o, "change_pct",
                                p > 0 ? json_real(quality_r1((v - p) / p * 100)) : json_null());
        } else {
            json_object_set_new(o, "prev_pm25", json_null());
            json_object_set_new(o, "change_pct", json_null());
        }
        json_object_set_new(o, "hint", g[k].hint ? json_string("疑似局地污染源") : json_null());
        json_array_append_new(items, o);
    }
    free(g);
    free(s);
    char f[11], t[11];
    calendar_format_date(from, f);
    calendar_format_date(to, t);
    return json_pack("{ss ss ss so}", "kind", kind, "from", f, "to", t, "items", items);
}
