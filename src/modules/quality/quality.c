/* quality — daily rollups and the evaluation of stored air data (quality.h);
 * rows through store.h and store_airdata.h. */
#include "modules/quality/quality.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "domain/airday.h"
#include "domain/aqi.h"
#include "modules/quality/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUALITY_MAX_AREAS 64

/* Daily columns in the aqi slot order (aq_daily). */
static const char *const quality_day_cols[AQI_POLLUTANT_COUNT] = {"so2",   "no2",  "co",  "o3_1h",
                                                                  "o3_8h", "pm10", "pm25"};
/* The hourly column of each airstat item. */
static const int quality_item_hour_col[AIRSTAT_POLLUTANT_COUNT] = {
    AIRDATA_SO2, AIRDATA_NO2, AIRDATA_CO, AIRDATA_O3, AIRDATA_PM10, AIRDATA_PM25};
/* The daily slot holding each airstat item's daily series (O3: MDA8). */
static const int quality_stat_slot[AIRSTAT_POLLUTANT_COUNT] = {AQI_SO2,   AQI_NO2,  AQI_CO,
                                                               AQI_O3_8H, AQI_PM10, AQI_PM25};

double quality_report_value(int64_t milli, int col_is_co)
{
    struct aqi_conc c = {milli, 1};
    return (double)aqi_conc_round(c, col_is_co ? 1 : 0) / AQI_MILLI;
}

static json_t *quality_num(int64_t milli, int is_co)
{
    return milli < 0 ? json_null() : json_real(quality_report_value(milli, is_co));
}

static int64_t quality_milli(struct aqi_conc c)
{
    return c.den ? aqi_conc_round(c, 3) : -1;
}

static void quality_ymd(int32_t day, int *y, int *m, int *d)
{
    timeutil_civil_from_days(day, y, m, d);
}

static enum aqi_standard quality_std(int32_t day)
{
    int y, m, d;
    quality_ymd(day, &y, &m, &d);
    return aqi_standard_for_date(y, m, d);
}

/* One station's 24 hours as airday takes them: per item the count and sum of the values
 * present (an item with a value out of range has none, as airstat refuses it), O3's hours. */
static void quality_hours(int64_t (*h)[AIRDATA_NCOLS], struct airday_hours *out)
{
    memset(out, 0, sizeof *out);
    for (int p = 0; p < AIRSTAT_POLLUTANT_COUNT; p++) {
        int col = quality_item_hour_col[p];
        for (int i = 0; i < 24; i++) {
            int64_t v = h[i][col];
            if (v > AQI_CONC_MAX_UNITS * AQI_MILLI) {
                out->n[p] = 0, out->sum[p] = 0;
                break;
            }
            if (v >= 0)
                out->n[p]++, out->sum[p] += v;
        }
    }
    for (int i = 0; i < 24; i++)
        out->o3[i] = h[i][AIRDATA_O3];
}

static void quality_day_of(const struct airday_day *d, struct aq_day *out)
{
    memcpy(out->v, d->v, sizeof out->v);
    memcpy(out->n, d->n, sizeof out->n);
    out->valid = d->valid;
}

/* Daily statistics of one station's 24 hours (domain/airday.h: the rule the province view
 * applies to device hours too). The stored value (to 0.001) is the daily value: the AQI is
 * computed from it, so a stored row always reproduces its AQI. */
static void quality_station_stats(int64_t (*h)[AIRDATA_NCOLS], struct aq_day *out,
                                  struct aqi_input *in)
{
    struct airday_hours hours;
    struct airday_day d;
    quality_hours(h, &hours);
    airday_station(&hours, &d);
    quality_day_of(&d, out);
    out->stations = 0;
    airday_input(&d, in);
}

/* Per-area accumulation (airday_area): the hourly O3 sums (for the area MDA8, formed from the
 * area's hourly series) and the valid station daily values. */
struct quality_area_acc {
    char name[64];
    struct airday_area sum;
};

static struct quality_area_acc *quality_area(struct quality_area_acc *a, int *na, const char *name)
{
    for (int i = 0; i < *na; i++)
        if (!strcmp(a[i].name, name))
            return &a[i];
    if (*na == QUALITY_MAX_AREAS)
        return NULL;
    struct quality_area_acc *x = &a[(*na)++];
    memset(x, 0, sizeof *x);
    snprintf(x->name, sizeof x->name, "%s", name);
    return x;
}

static void quality_area_add(struct quality_area_acc *x, int64_t (*h)[AIRDATA_NCOLS],
                             const struct aq_day *q)
{
    struct airday_hours hours;
    struct airday_day d;
    quality_hours(h, &hours);
    memcpy(d.v, q->v, sizeof d.v);
    memcpy(d.n, q->n, sizeof d.n);
    d.valid = q->valid;
    airday_area_add(&x->sum, &hours, &d);
}

static void quality_area_finish(const struct quality_area_acc *x, enum aqi_standard std,
                                struct aq_day *q)
{
    memset(q, 0, sizeof *q);
    struct airday_day d;
    struct aqi_input in;
    airday_area(&x->sum, &d);
    quality_day_of(&d, q);
    q->stations = x->sum.stations;
    airday_input(&d, &in);
    aqi_compute(std, AQI_KIND_DAILY, &in, &q->res);
}

static bool quality_in(const int64_t *only, int n, int64_t id)
{
    if (!only)
        return true;
    for (int i = 0; i < n; i++)
        if (only[i] == id)
            return true;
    return false;
}

int quality_rollup_day(struct db *db, int32_t day, const int64_t *only, int n)
{
    int ns;
    struct aq_station_brief *st = aq_stations_brief(db, &ns);
    if (!st)
        return -1;
    static __thread int64_t h[24][AIRDATA_NCOLS];
    struct quality_area_acc *areas = xcalloc(QUALITY_MAX_AREAS, sizeof *areas);
    int na = 0, rc = 0;
    quality_area(areas, &na, QUALITY_CITY);
    enum aqi_standard std = quality_std(day);
    int64_t start = airdata_day_start(day);
    for (int i = 0; i < ns && !rc; i++) {
        bool redo = quality_in(only, n, st[i].id);
        if (!redo && !st[i].official)
            continue;
        int found = airdata_range(db, st[i].id, start, 24, h);
        if (found < 0) {
            rc = -1;
            break;
        }
        struct aq_day q;
        if (redo) {
            struct aqi_input in;
            quality_station_stats(h, &q, &in);
            aqi_compute(std, AQI_KIND_DAILY, &in, &q.res);
            if (found == 0) {
                /* Nothing stored that day: no row (a stale one is removed). */
                rc = aq_daily_delete(db, st[i].id, "", day) ? -1 : 0;
                continue;
            }
            if (aq_daily_put(db, st[i].id, "", day, &q)) {
                rc = -1;
                break;
            }
        } else if (found == 0) {
            continue;
        } else {
            int r = aq_daily_get(db, st[i].id, "", day, &q);
            if (r < 0) {
                rc = -1;
                break;
            }
            if (!r)
                continue;
        }
        if (!st[i].official || !found)
            continue;
        quality_area_add(&areas[0], h, &q);
        if (st[i].district[0]) {
            struct quality_area_acc *x = quality_area(areas, &na, st[i].district);
            if (x)
                quality_area_add(x, h, &q);
        }
    }
    for (int a = 0; a < na && !rc; a++) {
        if (!areas[a].sum.stations) {
            rc = aq_daily_delete(db, 0, areas[a].name, day) ? -1 : 0;
            continue;
        }
        struct aq_day q;
        quality_area_finish(&areas[a], std, &q);
        rc = aq_daily_put(db, 0, areas[a].name, day, &q) ? -1 : 0;
    }
    free(areas);
    free(st);
    return rc;
}

/* ---- real-time ---- */

static json_t *quality_result_json(const struct aqi_result *r, int32_t day_or_minus)
{
    (void)day_or_minus;
    json_t *o = json_object();
    json_object_set_new(o, "standard", json_string(r->standard == AQI_STD_2026 ? "2026" : "2012"));
    if (r->aqi < 0 || !r->published) {
        json_object_set_new(o, "aqi", json_null());
        json_object_set_new(o, "computed_aqi", r->aqi >= 0 ? json_integer(r->aqi) : json_null());
        json_object_set_new(o, "level", json_null());
        json_object_set_new(o, "category", json_string("NA"));
        json_object_set_new(o, "color", json_string("#BBBBBB"));
        json_object_set_new(o, "primary", json_array());
        json_object_set_new(o, "advice", json_string(""));
        json_object_set_new(o, "health", json_string(""));
    } else {
        const struct aqi_category *c = aqi_category_info(r->standard, r->level);
        json_object_set_new(o, "aqi", json_integer(r->aqi));
        json_object_set_new(o, "level", json_integer(r->level));
        json_object_set_new(o, "category", json_string(c ? c->name_zh : ""));
        json_object_set_new(o, "category_en", json_string(c ? c->name_en : ""));
        json_object_set_new(o, "color", json_string(c ? c->hex : ""));
        json_object_set_new(o, "advice", json_string(c ? c->advice_zh : ""));
        json_object_set_new(o, "health", json_string(c ? c->health_zh : ""));
        json_t *p = json_array();
        for (int i = 0; i < AQI_POLLUTANT_COUNT; i++)
            if (r->primary & AQI_BIT(i))
                json_array_append_new(p, json_string(aqi_pollutant_name(i)));
        json_object_set_new(o, "primary", p);
    }
    json_t *iaqi = json_object();
    for (int i = 0; i < AQI_POLLUTANT_COUNT; i++)
        if (r->sub[i].state == AQI_SUB_OK)
            json_object_set_new(iaqi, aqi_pollutant_name(i), json_integer(r->sub[i].iaqi));
    json_object_set_new(o, "iaqi", iaqi);
    json_t *sens = json_array();
    for (int i = 0; i < AQI_POLLUTANT_COUNT; i++)
        if (r->sensitive & AQI_BIT(i))
            json_array_append_new(sens, json_pack("{ss ss}", "pollutant", aqi_pollutant_name(i),
                                                  "groups", aqi_sensitive_groups(i)));
    json_object_set_new(o, "sensitive", sens);
    json_object_set_new(o, "complete", json_boolean(!(r->flags & AQI_F_INCOMPLETE)));
    return o;
}

static void quality_hour_input(const int64_t v[AIRDATA_NCOLS], struct aqi_input *in)
{
    memset(in, 0, sizeof *in);
    static const int slot[AIRDATA_NCOLS] = {AQI_SO2,   AQI_NO2,  AQI_CO,
                                            AQI_O3_1H, AQI_PM10, AQI_PM25};
    for (int c = 0; c < AIRDATA_NCOLS; c++)
        if (v[c] >= 0)
            in->c[slot[c]] = (struct aqi_conc){v[c], 1};
}

static json_t *quality_conc_json(const int64_t v[AIRDATA_NCOLS])
{
    json_t *o = json_object();
    for (int c = 0; c < AIRDATA_NCOLS; c++)
        json_object_set_new(o, airdata_col_name(c), quality_num(v[c], c == AIRDATA_CO));
    return o;
}

/* The hourly vector of a scope at `hour`: a station's values, or the mean of
 * the official stations of the area. *nst gets the stations averaged. */
static int quality_hour_values(struct db *db, const struct quality_scope *s, int64_t hour,
                               int64_t v[AIRDATA_NCOLS], int *nst)
{
    int64_t h[1][AIRDATA_NCOLS];
    *nst = 0;
    if (s->station_id) {
        int f = airdata_range(db, s->station_id, hour, 1, h);
        memcpy(v, h[0], sizeof h[0]);
        *nst = f > 0;
        return f < 0 ? -1 : 0;
    }
    int64_t sum[AIRDATA_NCOLS], n[AIRDATA_NCOLS];
    if (aq_hourly_area_sums(db, s->area, hour, sum, n, nst))
        return -1;
    for (int c = 0; c < AIRDATA_NCOLS; c++)
        v[c] = n[c] ? quality_milli((struct aqi_conc){sum[c], n[c]}) : -1;
    return 0;
}

static int64_t quality_latest_hour(struct db *db, const struct quality_scope *s, int64_t at)
{
    if (s->station_id)
        return airdata_latest(db, s->station_id, at);
    return aq_hourly_area_latest(db, s->area, at);
}

static json_t *quality_hour_report(struct db *db, const struct quality_scope *s, int64_t hour)
{
    int64_t v[AIRDATA_NCOLS];
    int nst;
    if (quality_hour_values(db, s, hour, v, &nst))
        return NULL;
    struct aqi_input in;
    quality_hour_input(v, &in);
    struct aqi_result r;
    aqi_compute(quality_std(airdata_day_of(hour)), AQI_KIND_HOURLY, &in, &r);
    json_t *o = quality_result_json(&r, -1);
    char iso[32];
    timeutil_format_iso(hour, iso, sizeof iso);
    json_object_set_new(o, "time", json_string(iso));
    json_object_set_new(o, "hour", json_integer(hour));
    json_object_set_new(o, "concentrations", quality_conc_json(v));
    json_object_set_new(o, "stations", json_integer(nst));
    return o;
}

json_t *quality_realtime(struct db *db, const struct quality_scope *s, int64_t at)
{
    if (!at)
        at = timeutil_now();
    int64_t hour = quality_latest_hour(db, s, at);
    if (!hour)
        return json_pack("{sn ss}", "aqi", "category", "NA");
    return quality_hour_report(db, s, hour);
}

/* Micro stations: the displayed values corrected by the station's fit
 * (slope, intercept against its reference station); raw values stay in
 * "concentrations". */
static void quality_apply_calibration(struct db *db, int64_t id, json_t *report)
{
    json_t *conc = json_object_get(report, "concentrations");
    json_t *rows = conc ? aq_calibration_of(db, id) : NULL;
    if (!rows)
        return;
    json_t *cal = json_object(), *fits = json_object();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *p = json_string_value(json_object_get(row, "pollutant"));
        double slope = json_number_value(json_object_get(row, "slope"));
        double icpt = json_number_value(json_object_get(row, "intercept"));
        json_t *raw = p ? json_object_get(conc, p) : NULL;
        if (!p)
            continue;
        if (json_is_number(raw)) {
            double v = slope * json_number_value(raw) + icpt;
            json_object_set_new(cal, p, json_real(round((v < 0 ? 0 : v) * 10) / 10));
        }
        json_object_set_new(
            fits, p,
            json_pack("{sf sf sf sI si}", "slope", round(slope * 1e4) / 1e4, "intercept",
                      round(icpt * 1e3) / 1e3, "r2",
                      round(json_number_value(json_object_get(row, "r2")) * 1e4) / 1e4,
                      "ref_station_id", json_integer_value(json_object_get(row, "ref_station_id")),
                      "n", (int)json_integer_value(json_object_get(row, "n"))));
    }
    json_decref(rows);
    json_object_set_new(report, "calibrated", cal);
    json_object_set_new(report, "calibration", fits);
}

json_t *quality_realtime_all(struct db *db, int64_t at)
{
    json_t *stations = aq_stations_list(db, NULL);
    if (!stations)
        return NULL;
    size_t i;
    json_t *st;
    json_array_foreach(stations, i, st)
    {
        struct quality_scope sc = {json_integer_value(json_object_get(st, "id")), NULL};
        json_t *r = quality_realtime(db, &sc, at ? at : timeutil_now());
        if (r && !json_is_true(json_object_get(st, "official")))
            quality_apply_calibration(db, sc.station_id, r);
        json_object_set_new(st, "now", r ? r : json_null());
    }
    return stations;
}

json_t *quality_hourly_series(struct db *db, const struct quality_scope *s, int64_t from,
                              int64_t to)
{
    json_t *a = json_array();
    from -= from % AIRDATA_HOUR;
    for (int64_t h = from; h < to && h < from + 31LL * AIRDATA_DAY; h += AIRDATA_HOUR) {
        json_t *o = quality_hour_report(db, s, h);
        if (!o) {
            json_decref(a);
            return NULL;
        }
        if (json_integer_value(json_object_get(o, "stations")))
            json_array_append_new(a, o);
        else
            json_decref(o);
    }
    return a;
}

/* ---- daily, monthly, annual ---- */

static json_t *quality_day_json(int32_t day, const struct aq_day *q)
{
    char date[11];
    int y, m, d;
    quality_ymd(day, &y, &m, &d);
    snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
    struct aqi_input in = {0};
    for (int s = 0; s < AQI_POLLUTANT_COUNT; s++)
        if (q->valid & AQI_BIT(s))
            in.c[s] = (struct aqi_conc){q->v[s], 1};
    struct aqi_result res;
    aqi_compute(quality_std(day), AQI_KIND_DAILY, &in, &res);
    json_t *o = quality_result_json(&res, day);
    json_object_set_new(o, "date", json_string(date));
    json_t *vals = json_object();
    for (int s = 0; s < AQI_POLLUTANT_COUNT; s++) {
        /* Stations: hours (O3 8 h: windows); areas: stations with a valid value. */
        int need = q->stations      ? 1
                   : s == AQI_O3_8H ? AIRSTAT_MDA8_MIN_WINDOWS
                                    : AIRSTAT_DAY_MIN_HOURS;
        json_object_set_new(vals, quality_day_cols[s],
                            json_pack("{so si si sb}", "value", quality_num(q->v[s], s == AQI_CO),
                                      "n", q->n[s], "need", need, "valid",
                                      (q->valid & AQI_BIT(s)) != 0));
    }
    json_object_set_new(o, "values", vals);
    if (q->stations)
        json_object_set_new(o, "stations", json_integer(q->stations));
    return o;
}

static const char *quality_area_key(const struct quality_scope *s)
{
    return s->station_id ? "" : s->area;
}

/* Loads days [from, from + n) of a scope: q[i] zeroed with res.aqi = -1 when
 * absent. Returns the number of days found or -1. */
static int quality_load_days(struct db *db, const struct quality_scope *s, int32_t from, int n,
                             struct aq_day *q)
{
    int found = 0;
    for (int i = 0; i < n; i++) {
        int r = aq_daily_get(db, s->station_id, quality_area_key(s), from + i, &q[i]);
        if (r < 0)
            return -1;
        if (!r) {
            for (int k = 0; k < AQI_POLLUTANT_COUNT; k++)
                q[i].v[k] = -1;
            q[i].res.aqi = -1;
            q[i].res.standard = quality_std(from + i);
        }
        found += r;
    }
    return found;
}

json_t *quality_daily_series(struct db *db, const struct quality_scope *s, int32_t from, int32_t to)
{
    if (to < from || to - from > 400)
        return json_array();
    int n = to - from + 1;
    struct aq_day *q = xcalloc((size_t)n, sizeof *q);
    json_t *a = NULL;
    if (quality_load_days(db, s, from, n, q) >= 0) {
        a = json_array();
        for (int i = 0; i < n; i++)
            if (q[i].res.aqi >= 0 || q[i].n[AQI_PM25] || q[i].n[AQI_SO2])
                json_array_append_new(a, quality_day_json(from + i, &q[i]));
    }
    free(q);
    return a;
}

static json_t *quality_value_json(const struct airstat_value *v, int64_t report)
{
    return json_pack("{so sI si sb}", "value",
                     report < 0 ? json_null() : json_real((double)report / AQI_MILLI), "n",
                     (json_int_t)v->n, "need", v->need, "valid", v->valid);
}

static const char *const quality_item_names[AIRSTAT_POLLUTANT_COUNT] = {"so2", "no2",  "co",
                                                                        "o3",  "pm10", "pm25"};

static void quality_days_json(json_t *o, const struct aq_day *q, int n)
{
    int *aqi = xmalloc(sizeof *aqi * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++)
        aqi[i] = q[i].res.published && q[i].res.aqi >= 0 ? q[i].res.aqi : -1;
    struct airstat_days g;
    airstat_good_days(aqi, n, &g);
    free(aqi);
    json_object_set_new(o, "days",
                        json_pack("{si si si sf s[iiiiii] si}", "valid", g.valid, "good", g.good,
                                  "heavy", g.heavy, "good_ratio", round(g.good_ratio * 10) / 10,
                                  "levels", g.level[1], g.level[2], g.level[3], g.level[4],
                                  g.level[5], g.level[6], "total", n));
}

static int64_t quality_report_round(struct aqi_conc c, int is_co)
{
    return c.den ? aqi_conc_round(c, is_co ? 1 : 0) : -1;
}

json_t *quality_monthly(struct db *db, const struct quality_scope *s, int year, int month)
{
    int nd = airstat_days_in_month(year, month);
    if (!nd)
        return NULL;
    int32_t from = (int32_t)timeutil_days_from_civil(year, month, 1);
    struct aq_day q[31];
    if (quality_load_days(db, s, from, nd, q) < 0)
        return NULL;
    json_t *o = json_pack("{si si}", "year", year, "month", month);
    json_t *items = json_object();
    int64_t comp[AIRSTAT_POLLUTANT_COUNT];
    enum airstat_limits lim = airstat_limits_for_date(year, month, nd);
    bool comp_ok = true;
    for (int p = 0; p < AIRSTAT_POLLUTANT_COUNT; p++) {
        int slot = quality_stat_slot[p];
        int64_t daily[31];
        for (int i = 0; i < nd; i++)
            daily[i] = (q[i].valid & AQI_BIT(slot)) ? q[i].v[slot] : -1;
        struct airstat_value mv;
        airstat_monthly_mean(daily, year, month, &mv);
        json_t *it = json_object();
        int64_t mean_r = quality_report_round(mv.value, p == AIRSTAT_CO);
        json_object_set_new(it, "mean", quality_value_json(&mv, mean_r));
        comp[p] = mean_r;
        if (p == AIRSTAT_CO || p == AIRSTAT_O3) {
            struct aqi_conc pc;
            int pct = airstat_percentile_for(p);
            int m = airstat_percentile(daily, nd, pct, &pc);
            int64_t pr = quality_report_round(pc, p == AIRSTAT_CO);
            struct airstat_value pv = {pc, m, airstat_month_min_days(month),
                                       m >= airstat_month_min_days(month)};
            json_t *pj = quality_value_json(&pv, pr);
            json_object_set_new(pj, "percentile", json_integer(pct));
            json_object_set_new(it, "percentile", pj);
            comp[p] = pr;
        }
        if (comp[p] < 0)
            comp_ok = false;
        json_object_set_new(items, quality_item_names[p], it);
    }
    json_object_set_new(o, "items", items);
    double idx[AIRSTAT_POLLUTANT_COUNT];
    double ci = airstat_composite(comp, lim, idx);
    json_object_set_new(o, "composite_index",
                        comp_ok ? json_real(round(ci * 100) / 100) : json_null());
    quality_days_json(o, q, nd);
    return o;
}

static const char *quality_limits_name(enum airstat_limits l)
{
    return l == AIRSTAT_GB3095_2012              ? "GB 3095-2012"
           : l == AIRSTAT_GB3095_2026_TRANSITION ? "GB 3095—2026 过渡阶段"
                                                 : "GB 3095—2026 最终阶段";
}

json_t *quality_annual(struct db *db, const struct quality_scope *s, int year, int limits, int cls)
{
    if (year < 2000 || year > 2100)
        return NULL;
    int nd = airstat_days_in_month(year, 2) == 29 ? 366 : 365;
    int32_t from = (int32_t)timeutil_days_from_civil(year, 1, 1);
    struct aq_day *q = xcalloc(366, sizeof *q);
    static const int64_t none = -1;
    (void)none;
    if (quality_load_days(db, s, from, nd, q) < 0) {
        free(q);
        return NULL;
    }
    int64_t *daily = xmalloc(sizeof *daily * AIRSTAT_POLLUTANT_COUNT * 366);
    struct airstat_year y = {.year = year};
    for (int p = 0; p < AIRSTAT_POLLUTANT_COUNT; p++) {
        int slot = quality_stat_slot[p];
        int64_t *d = daily + (size_t)p * 366;
        bool any = false;
        for (int i = 0; i < nd; i++) {
            d[i] = (q[i].valid & AQI_BIT(slot)) ? q[i].v[slot] : -1;
            any = any || q[i].v[slot] >= 0;
        }
        y.daily[p] = any ? d : NULL;
    }
    enum airstat_limits lim = limits >= 0 && limits < AIRSTAT_LIMITS_COUNT
                                  ? (enum airstat_limits)limits
                                  : airstat_limits_for_date(year, 12, 31);
    if (cls < 0) {
        cls = AIRSTAT_CLASS_II;
        if (s->station_id) {
            json_t *st = aq_stations_get(db, s->station_id);
            if (st && json_integer_value(json_object_get(st, "area_class")) == 1)
                cls = AIRSTAT_CLASS_I;
            json_decref(st);
        }
    }
    struct airstat_annual a;
    json_t *o = NULL;
    if (airstat_annual_eval(&y, lim, (enum airstat_class)cls, &a) == 0) {
        o = json_pack("{si ss ss si}", "year", year, "limits", quality_limits_name(lim),
                      "limits_code",
                      lim == AIRSTAT_GB3095_2012              ? "2012"
                      : lim == AIRSTAT_GB3095_2026_TRANSITION ? "2026"
                                                              : "2026-final",
                      "class", cls == AIRSTAT_CLASS_I ? 1 : 2);
        json_t *items = json_object();
        for (int p = 0; p < AIRSTAT_POLLUTANT_COUNT; p++) {
            const struct airstat_item *it = &a.item[p];
            json_t *j =
                json_pack("{sb si}", "monitored", it->monitored, "percentile", it->percentile);
            if (it->mean.value.den || p != AIRSTAT_CO)
                json_object_set_new(j, "mean",
                                    p == AIRSTAT_CO || p == AIRSTAT_O3
                                        ? json_null()
                                        : quality_value_json(&it->mean, it->mean_report));
            json_object_set_new(j, "pct", quality_value_json(&it->pct, it->pct_report));
            json_object_set_new(j, "limit_annual",
                                it->limit_annual < 0
                                    ? json_null()
                                    : json_real((double)it->limit_annual / AQI_MILLI));
            json_object_set_new(
                j, "limit_daily",
                it->limit_daily < 0 ? json_null() : json_real((double)it->limit_daily / AQI_MILLI));
            json_object_set_new(j, "bad_months", json_integer(it->bad_months));
            json_object_set_new(j, "compliant",
                                it->compliant < 0 ? json_null() : json_boolean(it->compliant == 1));
            json_object_set_new(items, quality_item_names[p], j);
        }
        json_object_set_new(o, "items", items);
        json_object_set_new(o, "compliant",
                            a.compliant < 0 ? json_null() : json_boolean(a.compliant == 1));
        json_object_set_new(o, "composite_index",
                            a.composite_complete ? json_real(round(a.composite * 100) / 100)
                                                 : json_null());
        json_object_set_new(o, "composite_complete", json_boolean(a.composite_complete));
        quality_days_json(o, q, nd);
    }
    free(daily);
    free(q);
    return o;
}
