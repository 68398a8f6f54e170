/* demo — the demo city's air stations and synthetic hourly data (quality.h
 * demo_quality), stored through quality_station_add and quality_store_rows
 * like an import, then the water sections and samples and the alarm rules
 * and source limits of the demo, all through the rule functions of rules.h,
 * so the demo obeys the same rules.
 *
 * The district rectangles repeat those of tools/tool_demo.c (and of
 * web/public/geo/jingci.geojson); stations are placed inside them. */
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "db/audit.h"
#include "db/db.h"
#include "modules/quality/rules.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEMO_Q_DAYS 40

struct demo_q_district {
    const char *name;
    double lon0, lat0, lon1, lat1;
    double base; /* typical PM2.5, µg/m³ */
    const char *towns[6];
};

static const struct demo_q_district demo_q_districts[] = {
    {"昌南区", 117.15, 29.25, 117.30, 29.40, 27, {"里村街道", "西郊街道", "丽阳镇", "鲇鱼山镇"}},
    {"珠山区", 117.15, 29.15, 117.30, 29.25, 30, {"石狮埠街道", "新村街道", "竟成镇", "昌江街道"}},
    {"浮溪县",
     117.00,
     29.40,
     117.60,
     29.60,
     18,
     {"浮梁镇", "湘湖镇", "洪源镇", "寿安镇", "瑶里镇"}},
    {"乐安市",
     117.00,
     28.85,
     117.60,
     29.15,
     25,
     {"洎阳街道", "塔山街道", "乐港镇", "涌山镇", "众埠镇"}},
    {"高新区", 117.30, 29.15, 117.60, 29.40, 33, {"高新街道", "陶瓷工业园", "航空产业园"}},
};
#define DEMO_Q_ND (sizeof demo_q_districts / sizeof demo_q_districts[0])

static uint64_t demo_q_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double demo_q_u(uint64_t *s)
{
    return (double)(demo_q_next(s) >> 11) / 9007199254740992.0;
}

static int demo_q_ntowns(const struct demo_q_district *d)
{
    int n = 0;
    while (n < 6 && d->towns[n])
        n++;
    return n;
}

struct demo_q_station {
    int64_t id;
    int district;
    bool micro, local_source;
};

static int demo_q_station(struct db *db, const struct audit_actor *actor, const char *code,
                          const char *name, int di, int town, const char *kind, int cls,
                          struct demo_q_station *out)
{
    const struct demo_q_district *d = &demo_q_districts[di];
    int nt = demo_q_ntowns(d);
    double w = (d->lon1 - d->lon0) / nt;
    double lon = d->lon0 + w * (town + 0.5), lat = (d->lat0 + d->lat1) / 2;
    if (!strcmp(kind, "micro"))
        lat += (d->lat1 - d->lat0) * 0.2;
    else if (strcmp(kind, "national"))
        lat -= (d->lat1 - d->lat0) * 0.2;
    json_t *in = json_pack("{ss ss ss ss sf sf ss si}", "code", code, "name", name, "district",
                           d->name, "town", d->towns[town], "lon", round(lon * 1e5) / 1e5, "lat",
                           round(lat * 1e5) / 1e5, "kind", kind, "area_class", cls);
    struct problem p = {0};
    int rc = quality_station_add(db, actor, in, &out->id, &p) != ERR_OK;
    json_decref(in);
    out->district = di;
    out->micro = !strcmp(kind, "micro");
    out->local_source = !strcmp(code, "JC-M-GX2");
    return rc;
}

static int64_t demo_q_round(double v, int64_t step)
{
    if (v < 0)
        v = 0;
    return (int64_t)llround(v * 1000 / (double)step) * step;
}

/* One hour of one station. f is the city's weather factor for the hour. */
static void demo_q_hour(uint64_t *s, const struct demo_q_station *st, int64_t hour, double f,
                        double yearf, bool colocated, int64_t v[AIRDATA_NCOLS])
{
    int y, m, d;
    int32_t day = airdata_day_of(hour);
    timeutil_civil_from_days(day, &y, &m, &d);
    int h = (int)((hour + AIRDATA_BEIJING) % AIRDATA_DAY / AIRDATA_HOUR);
    double season = 1 + 0.45 * cos(2 * M_PI * (m - 1) / 12.0); /* winter high */
    double diurnal = 1 + 0.25 * cos(2 * M_PI * (h - 21) / 24.0);
    double pm25 = demo_q_districts[st->district].base * season * diurnal * f * yearf *
                  (0.85 + 0.3 * demo_q_u(s));
    if (st->local_source && !colocated)
        pm25 += 35 + 10 * demo_q_u(s);
    double pm10 = pm25 * (1.5 + 0.3 * demo_q_u(s));
    double o3 = (30 + 70 * (1.4 - season)) * (h >= 10 && h <= 18 ? 1.8 : 0.8) *
                (0.8 + 0.4 * demo_q_u(s)) * (1.8 - 0.6 * f);
    double no2 = 18 + 14 * (h == 8 || h == 18 ? 1.5 : 0.6) * f + 8 * demo_q_u(s);
    for (int c = 0; c < AIRDATA_NCOLS; c++)
        v[c] = -1;
    if (demo_q_u(s) < 0.02) /* an hour lost now and then */
        return;
    if (st->micro) { /* a sensor: reads high, with its own noise */
        v[AIRDATA_PM25] = demo_q_round(pm25 * 1.25 + 3 + 4 * (demo_q_u(s) - 0.5), 100);
        v[AIRDATA_PM10] = demo_q_round(pm10 * 1.2 + 5 + 6 * (demo_q_u(s) - 0.5), 100);
        return;
    }
    v[AIRDATA_SO2] = demo_q_round(7 + 6 * demo_q_u(s) * f, 100);
    v[AIRDATA_NO2] = demo_q_round(no2, 100);
    v[AIRDATA_CO] = demo_q_round(0.5 + 0.5 * f * demo_q_u(s) + 0.2 * season, 10);
    v[AIRDATA_O3] = demo_q_round(o3, 100);
    v[AIRDATA_PM10] = demo_q_round(pm10, 100);
    v[AIRDATA_PM25] = demo_q_round(pm25, 100);
}

/* Hours before `deployed` are the co-location period: the sensors stand
 * beside their reference station, away from any local source. */
static int demo_q_series(struct db *db, uint64_t *s, const struct demo_q_station *st, int n,
                         int64_t from, int hours, double yearf, int64_t deployed)
{
    size_t total = (size_t)n * (size_t)hours;
    int64_t *sid = xmalloc(sizeof *sid * total), *hr = xmalloc(sizeof *hr * total);
    int64_t(*v)[AIRDATA_NCOLS] = xmalloc(sizeof *v * total);
    double lf = 0;
    size_t k = 0;
    for (int i = 0; i < hours; i++) {
        /* Weather: a slow random walk in log space, so episodes build and clear. */
        lf = 0.97 * lf + 0.16 * (demo_q_u(s) - 0.5);
        double f = exp(lf);
        for (int j = 0; j < n; j++, k++) {
            sid[k] = st[j].id;
            hr[k] = from + (int64_t)i * AIRDATA_HOUR;
            demo_q_hour(s, &st[j], hr[k], f, yearf, hr[k] < deployed, v[k]);
        }
    }
    int rc = quality_store_rows(db, sid, hr, (const int64_t(*)[AIRDATA_NCOLS])v, total);
    free(sid);
    free(hr);
    free(v);
    return rc;
}

int demo_quality(struct db *db, const struct audit_actor *actor, uint64_t seed)
{
    struct demo_q_station st[64];
    int n = 0;
    uint64_t s = seed ^ 0x51A11E5ull;
    if (db_begin(db))
        return -1;
    int rc = 0;
    for (size_t di = 0; di < DEMO_Q_ND && !rc; di++) {
        const struct demo_q_district *d = &demo_q_districts[di];
        char code[32], name[128];
        /* Two official stations per district; 瑶里 (a scenic area) is class I. */
        snprintf(code, sizeof code, "JC-%zu01", di + 1);
        snprintf(name, sizeof name, "%s%s站", d->name, d->towns[0]);
        rc = rc || demo_q_station(db, actor, code, name, (int)di, 0, di < 2 ? "national" : "city",
                                  2, &st[n++]);
        int t2 = di == 2 ? 4 : 1;
        snprintf(code, sizeof code, "JC-%zu02", di + 1);
        snprintf(name, sizeof name, "%s%s站", d->name, d->towns[t2]);
        rc = rc || demo_q_station(db, actor, code, name, (int)di, t2, "provincial", di == 2 ? 1 : 2,
                                  &st[n++]);
        static const char *const abbrev[] = {"CN", "ZS", "FX", "LA", "GX"};
        for (int t = 0; t < demo_q_ntowns(d) && !rc; t++) {
            snprintf(code, sizeof code, "JC-M-%s%d", abbrev[di], t + 1);
            snprintf(name, sizeof name, "%s微站", d->towns[t]);
            rc = demo_q_station(db, actor, code, name, (int)di, t, "micro", 2, &st[n++]);
        }
    }
    int64_t now = timeutil_now();
    int64_t end = now - now % AIRDATA_HOUR; /* the last full hour starts end - 1 h */
    int hours = DEMO_Q_DAYS * 24;
    int64_t from = end - (int64_t)hours * AIRDATA_HOUR;
    int64_t from_prev = from - 365LL * AIRDATA_DAY;
    int64_t deployed = from + 14LL * AIRDATA_DAY;
    rc = rc || demo_q_series(db, &s, st, n, from_prev, hours, 1.2, from_prev) ||
         demo_q_series(db, &s, st, n, from, hours, 1.0, deployed);
    for (int i = 0; i < n && !rc; i++) {
        if (!st[i].micro)
            continue;
        const char *message;
        json_t *fit = quality_calibrate(db, st[i].id, AIRDATA_PM25, from, deployed, &message);
        rc = !fit;
        json_decref(fit);
    }
    json_t *detail = json_pack("{si si}", "stations", n, "days", DEMO_Q_DAYS);
    rc = rc || audit_append(db, actor, "aq_hourly.import", "aq_hourly", "demo", detail);
    json_decref(detail);
    if (rc || db_commit(db)) {
        db_rollback(db);
        return -1;
    }
    return demo_quality_water(db, actor, seed) || demo_quality_alarms(db, actor);
}

/* Demo: six sections of the demo city with a year of monthly samples. */
int demo_quality_water(struct db *db, const struct audit_actor *actor, uint64_t seed)
{
    static const struct {
        const char *code, *name, *water, *kind, *district;
        double lon, lat;
        int target, boundary;
        double load; /* 1 = clean; higher = more nutrients and organics */
    } sec[] = {
        {"W-01", "昌江瑶里断面", "昌江", "river", "浮溪县", 117.48, 29.55, 2, 0, 0.5},
        {"W-02", "昌江市区断面", "昌江", "river", "珠山区", 117.22, 29.22, 3, 0, 1.4},
        {"W-03", "南河入昌江口", "南河", "river", "昌南区", 117.25, 29.33, 3, 0, 2.4},
        {"W-04", "东河高新断面", "东河", "river", "高新区", 117.42, 29.28, 3, 0, 3.3},
        {"W-05", "玉田水库", "玉田水库", "lake", "浮溪县", 117.20, 29.50, 2, 0, 1.2},
        {"W-06", "昌江出境断面（浯溪口）", "昌江", "river", "乐安市", 117.30, 28.90, 3, 1, 1.6},
    };
    uint64_t s = seed * 2654435761u + 17;
    if (db_begin(db))
        return -1;
    int y, m, d;
    timeutil_civil_from_days(airdata_day_of(timeutil_now()), &y, &m, &d);
    for (size_t i = 0; i < sizeof sec / sizeof sec[0]; i++) {
        json_t *in = json_pack("{ss ss ss ss ss sf sf si sb}", "code", sec[i].code, "name",
                               sec[i].name, "water", sec[i].water, "kind", sec[i].kind, "district",
                               sec[i].district, "lon", sec[i].lon, "lat", sec[i].lat,
                               "target_class", sec[i].target, "boundary", sec[i].boundary);
        struct problem p = {0};
        int64_t id;
        int bad = water_section_add(db, actor, in, &id, &p) != ERR_OK;
        json_decref(in);
        for (int k = 0; k < 12 && !bad; k++) { /* the last twelve months, one sampling each */
            int mm = m - k, yy = y;
            while (mm < 1)
                mm += 12, yy--;
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            double u = (double)(s >> 11) / 9007199254740992.0;
            double l = sec[i].load * (0.8 + 0.4 * u) * (mm >= 6 && mm <= 9 ? 1.15 : 1.0);
            char date[40], v[9][16];
            int day = 8 + (int)(u * 10);
            if (k == 0 && day > d)
                day = d; /* this month's sample is not dated after today */
            snprintf(date, sizeof date, "%04d-%02d-%02d", yy, mm, day);
            snprintf(v[0], 16, "%.2f", 7.2 + 0.4 * u);
            snprintf(v[1], 16, "%.2f", 8.6 - 1.6 * l);
            snprintf(v[2], 16, "%.2f", 1.6 + 1.5 * l);
            snprintf(v[3], 16, "%.1f", 9 + 6 * l);
            snprintf(v[4], 16, "%.2f", 1.5 + 0.9 * l);
            snprintf(v[5], 16, "%.3f", 0.08 + 0.25 * l * l);
            snprintf(v[6], 16, "%.3f", 0.015 + (strcmp(sec[i].kind, "lake") ? 0.045 : 0.02) * l);
            snprintf(v[7], 16, "%.2f", 0.4 + 0.35 * l);
            snprintf(v[8], 16, "%.3f", 0.01 + 0.008 * l);
            json_t *sample =
                json_pack("{ss ss s{ss ss ss ss ss ss ss ss ss}}", "section", sec[i].code, "date",
                          date, "values", "ph", v[0], "do", v[1], "codmn", v[2], "cod", v[3],
                          "bod5", v[4], "nh3n", v[5], "tp", v[6], "tn", v[7], "oil", v[8]);
            bad = water_sample_add(db, actor, sample, &p) != ERR_OK;
            json_decref(sample);
        }
        if (bad) {
            db_rollback(db);
            return -1;
        }
    }
    return db_commit(db);
}

/* Demo: two rules; their first check raises what the demo data deserves. */
int demo_quality_alarms(struct db *db, const struct audit_actor *actor)
{
    json_t *rules[] = {
        json_pack("{ss ss sf si si}", "name", "PM2.5 小时浓度超 75", "factor", "pm25", "threshold",
                  75.0, "duration_hours", 2, "escalate_minutes", 60),
        json_pack("{ss ss sf si si}", "name", "小时 AQI 超 150（中度污染）", "factor", "aqi",
                  "threshold", 150.0, "duration_hours", 1, "escalate_minutes", 30),
    };
    if (db_begin(db))
        return -1;
    int bad = 0;
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        struct problem p = {0};
        int64_t id = 0;
        bad = bad || alarm_rule_add(db, actor, rules[i], &id, &p) != ERR_OK;
        json_decref(rules[i]);
    }
    bad = bad || quality_alarms_check(db, timeutil_now());
    /* Enterprise 1's kiln flue: SO2 permitted 100 mg/m³ at 9 % O2; a reading
     * of 80 at 15 % O2 converts to 160 and raises an alarm on its record. */
    json_t *lim = json_pack("{si ss ss sf sf}", "enterprise_id", 1, "outlet", "DA001", "factor",
                            "so2", "limit", 100.0, "o2_ref", 9.0);
    json_t *val = json_pack("{si ss ss sf sf}", "enterprise_id", 1, "outlet", "DA001", "factor",
                            "so2", "value", 80.0, "o2", 15.0);
    struct problem p = {0};
    int64_t id = 0;
    bad = bad || source_limit_add(db, actor, lim, &p) != ERR_OK ||
          source_value_check(db, actor, val, &id, &p) != ERR_OK ||
          audit_append(db, actor, "source_value.check", "alarm", "demo", val);
    json_decref(lim);
    json_decref(val);
    if (bad) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db);
}
