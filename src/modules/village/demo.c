/* village demo — the demo county's rural sewage facilities, written through
 * the rules users call: one with an online station (a month of its hourly
 * data written through the readings writer, as the HJ 212 listener would),
 * one sampled by hand, one that stopped, one on a provincial standard with no
 * data yet; then the alarm sweep the scheduler runs. Dates are relative to
 * today, values deterministic for the seed. */
#include "core/timeutil.h"
#include "db/audit.h"
#include "db/db.h"
#include "db/users.h"
#include "domain/monitor_norm.h"
#include "modules/monitor/monitor.h"
#include "modules/monitor/readings.h"
#include "modules/village/store.h"
#include "modules/village/village.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define DEMO_DAYS 35

struct village_demo {
    struct village_ctx c;
    uint64_t rng;
    int64_t section;
};

/* xorshift64: the same seed gives the same county. */
static double demo_rand(struct village_demo *d)
{
    d->rng ^= d->rng << 13;
    d->rng ^= d->rng >> 7;
    d->rng ^= d->rng << 17;
    return (double)(d->rng >> 11) / 9007199254740992.0;
}

static void demo_day(const struct village_demo *d, int back, char out[11])
{
    calendar_format_date(d->c.today - back, out);
}

static int demo_fail(const char *what, const struct problem *p)
{
    fprintf(stderr, "demo village: %s: %s\n", what, p->message);
    return -1;
}

static int64_t demo_facility(struct village_demo *d, json_t *in)
{
    struct problem p = {0};
    int64_t id = 0;
    json_object_set_new(in, "section_id", json_integer(d->section));
    if (village_facility_create(&d->c, in, &id, &p))
        demo_fail(json_string_value(json_object_get(in, "name")), &p), id = 0;
    json_decref(in);
    return id;
}

static int demo_inspect(struct village_demo *d, int64_t fid, int back, bool running,
                        const char *note)
{
    char day[11];
    demo_day(d, back, day);
    json_t *in = json_pack("{ss sb ss}", "day", day, "running", running, "note", note);
    struct problem p = {0};
    int64_t id;
    int rc = village_inspection_add(&d->c, fid, in, &id, &p) ? demo_fail("inspection", &p) : 0;
    json_decref(in);
    return rc;
}

static int demo_sample(struct village_demo *d, int64_t fid, int back, double cod, double nh3n,
                       double tp)
{
    char day[11];
    demo_day(d, back, day);
    json_t *in = json_pack("{ss s{sf sf sf sf} ss}", "day", day, "values", "w01018", cod, "w21003",
                           nh3n, "w21011", tp, "w01001", 7.1, "sampler", "县监测站");
    struct problem p = {0};
    int64_t id;
    int rc = village_sample_add(&d->c, fid, in, &id, &p) ? demo_fail("sample", &p) : 0;
    json_decref(in);
    return rc;
}

/* The online facility's station and device, as staff register them. */
static int64_t demo_station(struct village_demo *d)
{
    struct problem p = {0};
    int64_t id = 0;
    json_t *st =
        json_pack("{ss ss ss ss ss ss sf sf si}", "code", "CZ-01", "name",
                  "蛟潭镇礼芳村污水站出水口", "kind", "water", "city", "景瓷市", "district",
                  "浮溪县", "town", "蛟潭镇", "lon", 117.215, "lat", 29.512, "min_interval", 60);
    enum err e = monitor_station_create(d->c.db, &d->c.actor, st, &id, &p);
    json_decref(st);
    if (e)
        return demo_fail("station", &p), 0;
    json_t *dev =
        json_pack("{sI ss ss}", "station_id", (json_int_t)id, "mn", "VILLAGE0001", "pw", "123456");
    e = monitor_device_create(d->c.db, &d->c.actor, dev, NULL, &p);
    json_decref(dev);
    return e ? (demo_fail("device", &p), 0) : id;
}

/* DEMO_DAYS days of hourly records up to yesterday, through the readings
 * writer (its own connection, as the listener has): flow, COD, NH3-N, TP,
 * TN, pH; NH3-N over the class's limit two days ago. */
static int demo_readings(struct village_demo *d, int64_t station)
{
    static const char *const factors[] = {"w00000", "w01018", "w21003",
                                          "w21011", "w21001", "w01001"};
    enum { NF = sizeof factors / sizeof factors[0], HOURS = 24 };
    char err[200];
    struct readings *w = readings_open(d->c.cfg->db, err, sizeof err);
    if (!w) {
        fprintf(stderr, "demo village: readings: %s\n", err);
        return -1;
    }
    int rc = 0;
    for (int back = DEMO_DAYS; back >= 1 && !rc; back--) {
        struct monitor_row rows[HOURS * NF];
        struct readings_row rr[HOURS * NF];
        int64_t start = (int64_t)(d->c.today - back) * 86400 - TIMEUTIL_BEIJING_OFFSET;
        for (int h = 0; h < HOURS; h++)
            for (int f = 0; f < NF; f++) {
                double base[] = {0.6, 32, back == 2 ? 11.5 : 2.5, 0.35, 11, 7.2};
                struct monitor_row *m = &rows[h * NF + f];
                memset(m, 0, sizeof *m);
                snprintf(m->factor, sizeof m->factor, "%s", factors[f]);
                m->kind = MONITOR_KIND_HOUR;
                m->has = MONITOR_HAS_VALUE;
                snprintf(m->flag, sizeof m->flag, "N");
                m->ts = start + h * 3600;
                m->value = round(base[f] * (0.85 + 0.3 * demo_rand(d)) * 1000) / 1000;
                rr[h * NF + f] = (struct readings_row){station, 0, m, (uint32_t)(h * NF + f)};
            }
        readings_sort(rr, HOURS * NF);
        rc = readings_begin(w) || readings_put(w, rr, HOURS * NF, start + 86400) ||
             readings_sync(w, start + 86400) || readings_commit(w);
        if (rc)
            readings_rollback(w);
    }
    readings_close(w);
    return rc ? -1 : 0;
}

static int demo_sewage(struct village_demo *d)
{
    int64_t station = demo_station(d);
    if (!station || demo_readings(d, station))
        return -1;
    char since[11];
    demo_day(d, 400, since);
    int64_t online = demo_facility(
        d, json_pack("{ss ss ss ss sf sf sf ss ss ss ss sI ss}", "name", "礼芳村污水处理站",
                     "county", "浮溪县", "township", "蛟潭镇", "village", "礼芳村", "lon", 117.215,
                     "lat", 29.512, "capacity", 80.0, "process", "A/O + 人工湿地", "operator",
                     "浮溪县水务运维公司", "operator_phone", "0798-2601234", "standard",
                     "gb18918_1a", "station_id", (json_int_t)station, "commissioned", since));
    int64_t manual = demo_facility(
        d, json_pack("{ss ss ss ss sf sf sf ss ss ss ss ss}", "name", "臧湾村污水处理站", "county",
                     "浮溪县", "township", "蛟潭镇", "village", "臧湾村", "lon", 117.262, "lat",
                     29.478, "capacity", 30.0, "process", "一体化 MBR", "operator",
                     "浮溪县水务运维公司", "operator_phone", "0798-2601234", "standard",
                     "gb18918_1b", "commissioned", since));
    int64_t stopped = demo_facility(
        d, json_pack("{ss ss ss ss sf sf sf ss ss ss ss ss}", "name", "经公桥村污水处理站",
                     "county", "浮溪县", "township", "经公桥镇", "village", "经公桥村", "lon",
                     117.318, "lat", 29.601, "capacity", 50.0, "process", "厌氧 + 人工湿地",
                     "operator", "经公桥镇人民政府", "operator_phone", "0798-2702345", "standard",
                     "gb18918_1b", "commissioned", since));
    json_t *custom = json_pack(
        "{ss ss ss ss sf sf sf ss ss ss s[{ss sf} {ss sf sf} {ss sf} {ss sf sf}]}", "name",
        "鹅湖村污水处理站", "county", "乐安市", "township", "鹅湖镇", "village", "鹅湖村", "lon",
        117.402, "lat", 29.051, "capacity", 20.0, "process", "生物滤池", "standard", "custom",
        "standard_name", "省农村生活污水处理设施排放标准 一级（示例限值）", "limits", "factor",
        "w01018", "max", 60.0, "factor", "w21003", "max", 8.0, "max_cold", 15.0, "factor", "w21011",
        "max", 1.0, "factor", "w01001", "min", 6.0, "max", 9.0);
    if (!online || !manual || !stopped || !demo_facility(d, custom))
        return -1;
    for (int back = DEMO_DAYS; back >= 1; back--) {
        /* The operator checks the manual plant every day but Sundays' gaps. */
        if (back % 7 != 3 && demo_inspect(d, manual, back, true, "设备运行正常"))
            return -1;
        if (back % 7 == 1 && demo_sample(d, manual, back, round(400 + 150 * demo_rand(d)) / 10,
                                         back == 8 ? 17.0 : 5.5, 0.6))
            return -1;
        if (back > 5 && demo_inspect(d, stopped, back, true, "运行正常"))
            return -1;
    }
    return demo_inspect(d, stopped, 4, false, "提升泵烧毁，设施停运，已报镇政府");
}

static const struct {
    const char *township, *village, *station;
    int households;
} demo_waste_villages[] = {
    {"蛟潭镇", "礼芳村", "蛟潭镇垃圾转运站", 420}, {"蛟潭镇", "臧湾村", "蛟潭镇垃圾转运站", 310},
    {"蛟潭镇", "兰田村", "蛟潭镇垃圾转运站", 260}, {"经公桥镇", "经公桥村", "经公桥镇转运站", 530},
    {"经公桥镇", "储田村", "经公桥镇转运站", 280}, {"经公桥镇", "新建村", "经公桥镇转运站", 190},
};
#define DEMO_WASTE_N (sizeof demo_waste_villages / sizeof demo_waste_villages[0])

/* Each township's environmental office (乡镇环保所) as a section with one
 * staff account, created as an admin would (sections_create, users_create,
 * audited): the township's villages are supervised by it, so the morning
 * flag of a missed day reaches the township rather than the county's
 * water section. */
static const struct {
    const char *township, *section, *username, *name;
} demo_towns[] = {
    {"蛟潭镇", "蛟潭镇环保所", "jiaotan", "蛟潭镇环保员"},
    {"经公桥镇", "经公桥镇环保所", "jinggongqiao", "经公桥镇环保员"},
};

/* The section of township (creating it and its account the first time); 0
 * on failure. */
static int64_t demo_town_section(struct village_demo *d, const char *township)
{
    for (size_t i = 0; i < sizeof demo_towns / sizeof demo_towns[0]; i++) {
        if (strcmp(demo_towns[i].township, township))
            continue;
        int64_t sid = sections_find(d->c.db, demo_towns[i].section);
        if (sid)
            return sid;
        struct user_input in = {
            demo_towns[i].username, demo_towns[i].name, "Town@2026", ROLE_STAFF, 0, 0, 0};
        int64_t uid = 0;
        const char *field;
        bool bad = db_begin(d->c.db) || sections_create(d->c.db, demo_towns[i].section, &sid) ||
                   audit_append_id(d->c.db, &d->c.actor, "section.create", "section", sid, NULL);
        in.section_id = sid;
        bad = bad || users_create(d->c.db, &in, &uid, &field) ||
              audit_append_id(d->c.db, &d->c.actor, "user.create", "user", uid, NULL) ||
              db_commit(d->c.db);
        if (bad) {
            db_rollback(d->c.db);
            fprintf(stderr, "demo village: township office %s\n", demo_towns[i].section);
            return 0;
        }
        return sid;
    }
    return d->section;
}

/* Whether village k's waste was left on the day `back` days ago: a few
 * scattered days, and 新建村 three days in the last week. */
static bool demo_waste_missed(size_t k, int back)
{
    if (k == 5 && back >= 2 && back <= 4)
        return true;
    return (back * 7 + (int)k * 5) % 13 == 0;
}

/* The villages, a month of weighbridge tickets (the transfer stations'
 * import), the collector's phone log of today for one, spot checks. */
static int demo_waste(struct village_demo *d)
{
    int64_t ids[DEMO_WASTE_N];
    char since[11];
    demo_day(d, DEMO_DAYS + 10, since);
    struct problem p = {0};
    for (size_t k = 0; k < DEMO_WASTE_N; k++) {
        int64_t section = demo_town_section(d, demo_waste_villages[k].township);
        if (!section)
            return -1;
        json_t *in = json_pack(
            "{ss ss ss si ss ss ss ss ss sI ss}", "county", "浮溪县", "township",
            demo_waste_villages[k].township, "village", demo_waste_villages[k].village,
            "households", demo_waste_villages[k].households, "collection_point", "村口垃圾收集点",
            "transfer_station", demo_waste_villages[k].station, "treatment",
            "浮溪县生活垃圾焚烧发电厂", "collector", "保洁员", "collector_phone", "13800000000",
            "section_id", (json_int_t)section, "since", since);
        enum err e = village_waste_create(&d->c, in, &ids[k], &p);
        json_decref(in);
        if (e)
            return demo_fail("waste village", &p);
    }
    size_t cap = 200 + DEMO_WASTE_N * (DEMO_DAYS + 12) * 80, used = 0;
    char *csv = malloc(cap);
    used += (size_t)snprintf(csv, cap, "日期,乡镇,行政村,磅单号,车牌号,净重（吨）\n");
    for (int back = DEMO_DAYS + 10; back >= 1; back--)
        for (size_t k = 0; k < DEMO_WASTE_N; k++) {
            if (demo_waste_missed(k, back))
                continue;
            char day[11];
            demo_day(d, back, day);
            double t = demo_waste_villages[k].households * (0.0009 + 0.0004 * demo_rand(d));
            used +=
                (size_t)snprintf(csv + used, cap - used, "%s,%s,%s,BD%s-%02zu,赣H%05zu,%.2f\n", day,
                                 demo_waste_villages[k].township, demo_waste_villages[k].village,
                                 day, k, (size_t)(10000 + k * 7), t);
        }
    json_t *out = NULL;
    enum err e = village_waste_import(&d->c, csv, used, false, &out, &p);
    free(csv);
    json_decref(out);
    if (e)
        return demo_fail("weighbridge import", &p);
    json_t *link = NULL;
    if (village_waste_link(&d->c, ids[0], NULL, &link, &p))
        return demo_fail("collector link", &p);
    char today[11];
    demo_day(d, 0, today);
    json_t *in = json_pack("{ss sf sb ss}", "day", today, "weight_kg", 465.0, "cleared", 1, "note",
                           "已运至转运站");
    int64_t lid;
    e = village_waste_collect(&d->c, json_string_value(json_object_get(link, "token")), in, &lid,
                              &p);
    json_decref(in);
    json_decref(link);
    if (e)
        return demo_fail("collector log", &p);
    for (size_t k = 0; k < DEMO_WASTE_N; k++) {
        char day[11];
        demo_day(d, 6 + (int)k, day);
        int checked = 30, sorting = 18 + (int)(10 * demo_rand(d));
        in = json_pack("{ss si si ss}", "day", day, "checked", checked, "sorting", sorting, "note",
                       "入户抽查分类投放");
        int64_t cid;
        e = village_waste_check_add(&d->c, ids[k], in, &cid, &p);
        json_decref(in);
        if (e)
            return demo_fail("spot check", &p);
    }
    return 0;
}

int demo_village(struct db *db, const struct config *cfg, const struct audit_actor *actor,
                 uint64_t seed)
{
    struct village_demo d;
    memset(&d, 0, sizeof d);
    d.c.db = db;
    d.c.cfg = cfg;
    d.c.actor = *actor;
    village_ctx_clock(&d.c, timeutil_now());
    d.rng = seed * 2654435761u + 0x9e3779b97f4a7c15u;
    d.section = village_store_section_named(db, "水生态环境科");
    struct calendar *cal = calendar_new();
    calendar_load_builtin(cal);
    d.c.cal = cal;
    int rc = d.section ? demo_sewage(&d) : -1;
    if (!rc && village_sweep(&d.c) < 0)
        rc = -1;
    if (!rc && (demo_waste(&d) || village_waste_sweep(&d.c) < 0))
        rc = -1;
    calendar_free(cal);
    return rc;
}
