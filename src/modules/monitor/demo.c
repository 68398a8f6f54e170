/* monitor_demo — the demo city's monitoring network, created through the same functions as
 * the API (monitor_station_create, monitor_device_create): national air stations,
 * micro-stations, water sections and CEMS outlets of the first demo enterprises. The simulator
 * (`ecogov simulate --db=...`) sends data for exactly these devices. */
#include "modules/monitor/monitor.h"
#include "modules/monitor/store.h"

#include <stdio.h>

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

static int demo_station(struct db *db, const struct audit_actor *actor, const char *code,
                        json_t *st, int n)
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
    int rc = monitor_device_create(db, actor, dev, NULL, &p) ? -1 : 0;
    if (rc)
        fprintf(stderr, "demo monitor: %s: %s\n", mn, p.message);
    json_decref(dev);
    return rc;
}

int demo_monitor(struct db *db, const struct audit_actor *actor, int micro_stations)
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
    return 0;
}
