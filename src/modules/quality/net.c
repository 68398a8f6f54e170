/* quality_net — the micro-station network and rankings (quality.h): the
 * co-location calibration of PM sensors against the nearest official station,
 * rankings of districts, towns and stations by PM2.5 with the year-on-year
 * change, and the "possible local source" hint. */
#include "modules/quality/quality.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "domain/calendar.h"
#include "db/db.h"

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
    sqlite3_stmt *me = db_stmt(db, "SELECT lon, lat FROM aq_stations WHERE id = ?1 AND lon IS "
                                   "NOT NULL AND lat IS NOT NULL");
    sqlite3_stmt *all = db_stmt(db, "SELECT id, lon, lat FROM aq_stations WHERE kind != 'micro' "
                                    "AND lon IS NOT NULL AND lat IS NOT NULL AND id != ?1");
    if (!me || !all)
        return 0;
    sqlite3_bind_int64(me, 1, id);
    double lon = 0, lat = 0;
    int has = sqlite3_step(me) == SQLITE_ROW;
    if (has)
        lon = sqlite3_column_double(me, 0), lat = sqlite3_column_double(me, 1);
    sqlite3_reset(me);
    if (!has)
        return 0;
    sqlite3_bind_int64(all, 1, id);
    int64_t best = 0;
    double bd = 1e18;
    while (sqlite3_step(all) == SQLITE_ROW) {
        double d =
            quality_km(lon, lat, sqlite3_column_double(all, 1), sqlite3_column_double(all, 2));
        if (d < bd)
            bd = d, best = sqlite3_column_int64(all, 0);
    }
    sqlite3_reset(all);
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
    sqlite3_stmt *st = db_stmt(db, "INSERT OR REPLACE INTO aq_calibration (station_id, pollutant, "
                                   "ref_station_id, slope, intercept, r2, n, window_from, "
                                   "window_to, fitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st) {
        *message = "数据库错误";
        return NULL;
    }
    sqlite3_bind_int64(st, 1, micro);
    sqlite3_bind_text(st, 2, airdata_col_name(pm), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, ref);
    sqlite3_bind_double(st, 4, slope);
    sqlite3_bind_double(st, 5, icpt);
    sqlite3_bind_double(st, 6, r2);
    sqlite3_bind_int(st, 7, k);
    sqlite3_bind_int64(st, 8, from);
    sqlite3_bind_int64(st, 9, to);
    sqlite3_bind_int64(st, 10, timeutil_now());
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        *message = "数据库错误";
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

/* Period mean PM2.5 per station (calibrated for micro stations). */
static int quality_station_means(struct db *db, int32_t from, int32_t to, struct quality_rank **out,
                                 int *count, bool prev)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT s.id, s.name, s.district, s.town, s.kind, s.lon, s.lat, avg(d.pm25), "
            "count(d.pm25), c.slope, c.intercept FROM aq_stations s JOIN aq_daily d ON "
            "d.station_id = s.id AND d.area = '' AND d.day BETWEEN ?1 AND ?2 AND (d.valid & 64) "
            "LEFT JOIN aq_calibration c ON c.station_id = s.id AND c.pollutant = 'pm25' "
            "GROUP BY s.id ORDER BY s.id");
    if (!st)
        return -1;
    sqlite3_bind_int(st, 1, from);
    sqlite3_bind_int(st, 2, to);
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        double v = sqlite3_column_double(st, 7) / 1000;
        if (sqlite3_column_type(st, 9) != SQLITE_NULL)
            v = sqlite3_column_double(st, 9) * v + sqlite3_column_double(st, 10);
        struct quality_rank *x = NULL;
        for (int i = 0; i < *count; i++)
            if ((*out)[i].id == id)
                x = &(*out)[i];
        if (!x && prev)
            continue;
        if (!x) {
            *out = xrealloc(*out, sizeof **out * (size_t)(*count + 1));
            x = &(*out)[(*count)++];
            memset(x, 0, sizeof *x);
            x->id = id;
            snprintf(x->name, sizeof x->name, "%s", (const char *)sqlite3_column_text(st, 1));
            snprintf(x->district, sizeof x->district, "%s",
                     (const char *)sqlite3_column_text(st, 2));
            snprintf(x->town, sizeof x->town, "%s", (const char *)sqlite3_column_text(st, 3));
            snprintf(x->kind, sizeof x->kind, "%s", (const char *)sqlite3_column_text(st, 4));
            x->pos = sqlite3_column_type(st, 5) != SQLITE_NULL;
            x->lon = sqlite3_column_double(st, 5), x->lat = sqlite3_column_double(st, 6);
            x->prev = -1;
        }
        if (prev)
            x->prev = v, x->prev_days = sqlite3_column_int(st, 8);
        else
            x->value = v, x->days = sqlite3_column_int(st, 8);
    }
    sqlite3_reset(st);
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
