/* monitor_demo — the demo city's monitoring network, created through the same functions as
 * the API (monitor_station_create, monitor_device_create): national air stations,
 * micro-stations, water sections and CEMS outlets of the first demo enterprises, all of the
 * demo city 景瓷市; then the AQI stations of the province view (docs/scale.md): provincial
 * stations of the demo city and the national and provincial stations of three real cities
 * of the same province (Jiangxi: 南昌, 九江, 上饶), with their hour records (demo_air.c). The
 * simulator (`ecogov simulate --db=...`) sends data for exactly these devices. */
#include "core/timeutil.h"
#include "modules/monitor/demo_air.h"
#include "modules/monitor/monitor.h"
#include "modules/monitor/store.h"

#include <stdio.h>

/* The city of the demo's own stations. */
#define DEMO_CITY "景瓷市"

struct demo_site {
    const char *kind, *name, *district;
    double lon, lat;
};

static const struct demo_site demo_sites[] = {
    {"national", "昌南国控站", "昌南区", 117.215, 29.305},
    {"national", "珠山国控站", "珠山区", 117.220, 29.200},
    {"water", "昌江三河口断面", "浮溪县", 117.250, 29.450},
    {"water", "乐安河断面", "乐安市", 117.300, 29.000},
};

static const char *const demo_micro_districts[] = {"昌南区", "珠山区", "浮溪县", "乐安市",
                                                   "高新区"};

/* The province view's AQI stations, after the city's own so the devices numbered before keep
 * their MNs. area: the city (its weather); pm25: the district's typical PM2.5; silent: days
 * since the device stopped sending (a station offline). */
struct demo_air_site {
    const char *kind, *code, *name, *city, *district;
    double lon, lat;
    int area;
    double pm25;
    int silent;
};

static const struct demo_air_site demo_air_sites[] = {
    {"provincial", "SK-01", "浮溪县洪源省控站", DEMO_CITY, "浮溪县", 117.30, 29.50, 0, 32, 0},
    {"provincial", "SK-02", "乐安市洎阳省控站", DEMO_CITY, "乐安市", 117.15, 28.97, 0, 36, 0},
    {"provincial", "SK-03", "高新区陶瓷工业园省控站", DEMO_CITY, "高新区", 117.45, 29.27, 0, 41, 0},
    {"national", "GK-11", "南昌东湖国控站", "南昌市", "东湖区", 115.903, 28.682, 1, 40, 0},
    {"national", "GK-12", "南昌青山湖国控站", "南昌市", "青山湖区", 115.962, 28.690, 1, 43, 0},
    {"provincial", "SK-11", "南昌红谷滩省控站", "南昌市", "红谷滩区", 115.858, 28.698, 1, 37, 0},
    {"national", "GK-21", "九江浔阳国控站", "九江市", "浔阳区", 116.002, 29.712, 2, 44, 0},
    {"provincial", "SK-21", "九江濂溪省控站", "九江市", "濂溪区", 116.030, 29.665, 2, 39, 2},
    {"national", "GK-31", "上饶信州国控站", "上饶市", "信州区", 117.950, 28.454, 3, 33, 0},
    {"provincial", "SK-31", "上饶广丰省控站", "上饶市", "广丰区", 118.191, 28.436, 3, 35, 0},
};
#define DEMO_AIR_N (sizeof demo_air_sites / sizeof demo_air_sites[0])

/* Creates the station st (given its code here) and its device DEMO<n>; *station_id and
 * *device_id (when not NULL) get their ids. */
static int demo_station_ids(struct db *db, const struct audit_actor *actor, const char *code,
                            json_t *st, int n, int64_t *station_id, int64_t *device_id)
{
    struct problem p = {0};
    int64_t id = 0;
    json_object_set_new(st, "code", json_string(code));
    if (monitor_station_create(db, actor, st, &id, &p)) {
        fprintf(stderr, "demo monitor: %s: %s\n", code, p.message);
        json_decref(st);
        return -1;
    }
    json_decref(st);
    char mn[32];
    snprintf(mn, sizeof mn, "DEMO%04d", n);
    json_t *dev =
        json_pack("{s:I,s:s,s:s}", "station_id", (json_int_t)id, "mn", mn, "pw", "123456");
    int rc = monitor_device_create(db, actor, dev, device_id, &p) ? -1 : 0;
    if (rc)
        fprintf(stderr, "demo monitor: %s: %s\n", mn, p.message);
    json_decref(dev);
    if (station_id)
        *station_id = id;
    return rc;
}

/* A station of the demo city and its device. */
static int demo_station(struct db *db, const struct audit_actor *actor, const char *code,
                        json_t *st, int n)
{
    json_object_set_new(st, "city", json_string(DEMO_CITY));
    return demo_station_ids(db, actor, code, st, n, NULL, NULL);
}

/* The province view's AQI stations (numbered from n) and their hour records. */
static int demo_air(struct db *db, const char *db_path, const struct audit_actor *actor, int n,
                    uint64_t seed)
{
    struct demo_air_station st[DEMO_AIR_N];
    for (size_t i = 0; i < DEMO_AIR_N; i++) {
        const struct demo_air_site *s = &demo_air_sites[i];
        st[i] = (struct demo_air_station){0, 0, s->area, s->pm25, s->silent};
        if (demo_station_ids(db, actor, s->code,
                             json_pack("{s:s,s:s,s:s,s:s,s:f,s:f,s:i}", "name", s->name, "kind",
                                       s->kind, "city", s->city, "district", s->district, "lon",
                                       s->lon, "lat", s->lat, "min_interval", 60),
                             ++n, &st[i].station_id, &st[i].device_id))
            return -1;
    }
    return demo_air_hours(db_path, st, DEMO_AIR_N, seed, timeutil_now());
}

int demo_monitor(struct db *db, const char *db_path, const struct audit_actor *actor,
                 int micro_stations, uint64_t seed)
{
    int n = 0;
    char code[32];
    for (size_t i = 0; i < sizeof demo_sites / sizeof demo_sites[0]; i++) {
        const struct demo_site *s = &demo_sites[i];
        snprintf(code, sizeof code, "%s-%02zu", s->kind[0] == 'n' ? "GK" : "SZ", i + 1);
        if (demo_station(db, actor, code,
                         json_pack("{s:s,s:s,s:s,s:f,s:f,s:i}", "name", s->name, "kind", s->kind,
                                   "district", s->district, "lon", s->lon, "lat", s->lat,
                                   "min_interval", s->kind[0] == 'w' ? 60 : 10),
                         ++n))
            return -1;
    }
    for (int i = 0; i < micro_stations; i++) {
        const char *d = demo_micro_districts[i % 5];
        char name[64];
        snprintf(code, sizeof code, "WZ-%03d", i + 1);
        snprintf(name, sizeof name, "%s微站%02d", d, i + 1);
        if (demo_station(db, actor, code,
                         json_pack("{s:s,s:s,s:s,s:f,s:f}", "name", name, "kind", "micro",
                                   "district", d, "lon", 117.05 + 0.5 * ((i * 37) % 100) / 100.0,
                                   "lat", 28.9 + 0.65 * ((i * 61) % 100) / 100.0),
                         ++n))
            return -1;
    }
    int64_t ents[3];
    int ne = monitor_store_first_enterprises(db, ents, 3);
    if (ne < 0)
        return -1;
    for (int i = 0; i < ne; i++) {
        snprintf(code, sizeof code, "PK-%02d", i + 1);
        char name[64];
        snprintf(name, sizeof name, "%d 号废气排放口", i + 1);
        if (demo_station(db, actor, code,
                         json_pack("{s:s,s:s,s:I,s:s,s:f,s:f}", "name", name, "kind", "source_gas",
                                   "enterprise_id", (json_int_t)ents[i], "district", "高新区",
                                   "lon", 117.40 + 0.03 * i, "lat", 29.25),
                         ++n))
            return -1;
    }
    return demo_air(db, db_path, actor, n, seed);
}
