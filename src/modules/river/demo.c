/* river demo — the demo city's river (昌江, four reaches from the mountains
 * to the boundary section) and a reservoir, chiefs at the four levels (the
 * township and village chiefs with accounts), a season of patrols with GPS
 * tracks and problems (the older ones now overdue), the village chief three
 * weeks behind, and the quality module's sections on the reaches. Everything
 * through the module's rules, each act at its own past clock. */
#include "core/log.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "db/users.h"
#include "domain/calendar.h"
#include "domain/coord.h"
#include "modules/quality/quality.h"
#include "modules/river/river.h"
#include "modules/river/rules.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char demo_river_geojson[] =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"code\":\"CJ-01\",\"name\":\"昌江瑶里段\","
    "\"water_code\":\"CJ\",\"water_name\":\"昌江\",\"county\":\"浮溪县\",\"township\":\"瑶里镇\","
    "\"village\":\"瑶里村\",\"seq\":1,\"start\":\"瑶里古镇上游\",\"end\":\"汪湖桥\"},"
    "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[117.500,29.580],[117.480,29.550],"
    "[117.455,29.520],[117.430,29.480],[117.400,29.450]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"code\":\"CJ-02\",\"name\":\"昌江鹅湖段\","
    "\"water_code\":\"CJ\",\"water_name\":\"昌江\",\"county\":\"浮溪县\",\"township\":\"鹅湖镇\","
    "\"village\":\"鹅湖村\",\"seq\":2,\"start\":\"汪湖桥\",\"end\":\"鹅湖大桥\"},"
    "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[117.400,29.450],[117.360,29.400],"
    "[117.300,29.330]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"code\":\"CJ-03\",\"name\":\"昌江市区段\","
    "\"water_code\":\"CJ\",\"water_name\":\"昌江\",\"county\":\"珠山区\",\"township\":\"里村街道\","
    "\"village\":\"\",\"seq\":3,\"start\":\"鹅湖大桥\",\"end\":\"昌南大桥\"},"
    "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[117.300,29.330],[117.220,29.220],"
    "[117.240,29.100]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"code\":\"CJ-04\",\"name\":\"昌江浯溪口段\","
    "\"water_code\":\"CJ\",\"water_name\":\"昌江\",\"county\":\"乐安市\",\"township\":\"浯溪口镇\","
    "\"village\":\"浯溪口村\",\"seq\":4,\"start\":\"昌南大桥\",\"end\":\"出境断面\"},"
    "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[117.240,29.100],[117.270,29.000],"
    "[117.300,28.900]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"code\":\"YT-01\",\"name\":\"玉田水库库区\","
    "\"water_code\":\"YT\",\"water_name\":\"玉田水库\",\"water_kind\":\"lake\",\"county\":"
    "\"浮溪县\",\"township\":\"瑶里镇\",\"seq\":1},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[117.180,29.490],[117.220,29.490],"
    "[117.225,29.510],[117.190,29.515],[117.180,29.490]]]}}]}";

struct demo_river {
    struct river_ctx c;
    struct calendar *cal;
    int64_t reach[5];
    int64_t chief_town, chief_village, user_town, user_village;
    int32_t today;
    int64_t now;
    char since[11]; /* the chiefs took their reaches before the season */
    uint64_t s;
    bool failed;
};

static void demo_fail(struct demo_river *d, const char *what, const struct problem *p)
{
    log_error("river demo: %s: %s", what, p && p->message[0] ? p->message : "failed");
    d->failed = true;
}

/* The context's clock at a past moment (day, seconds into the Beijing day). */
static void demo_at(struct demo_river *d, int32_t day, int64_t second)
{
    d->c.s.today = day;
    d->c.s.now = (int64_t)day * 86400 - TIMEUTIL_BEIJING_OFFSET + second;
}

static double demo_rand(struct demo_river *d)
{
    d->s = d->s * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(d->s >> 11) / 9007199254740992.0;
}

/* A river chief's account (role chief: the river pages and his own tracker
 * items, no section); its id. */
static int64_t demo_account(struct demo_river *d, const char *username, const char *name)
{
    struct user_input in = {username, name, "Chief@2026", ROLE_CHIEF, 0, 0, 0};
    int64_t id = 0;
    const char *field;
    if (db_begin(d->c.s.db) || users_create(d->c.s.db, &in, &id, &field) != ERR_OK ||
        audit_append_id(d->c.s.db, &d->c.s.actor, "user.create", "user", id, NULL) ||
        db_commit(d->c.s.db)) {
        db_rollback(d->c.s.db);
        demo_fail(d, "account", NULL);
        return 0;
    }
    return id;
}

static int64_t demo_chief(struct demo_river *d, const char *name, const char *level,
                          const char *title, const char *phone, int64_t user, const char *reaches,
                          const char *duties)
{
    char buf[1024];
    snprintf(buf, sizeof buf,
             "{\"name\":\"%s\",\"level\":\"%s\",\"title\":\"%s\",\"phone\":\"%s\","
             "\"duties\":\"%s\",\"reaches\":%s}",
             name, level, title, phone, duties, reaches);
    json_t *in = json_loads(buf, 0, NULL);
    if (user)
        json_object_set_new(in, "user_id", json_integer(user));
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(in, "reaches"), i, o)
        json_object_set_new(o, "since", json_string(d->since));
    struct problem p = {0};
    int64_t id = 0;
    if (!in || river_chief_create(&d->c, in, &id, &p))
        demo_fail(d, "chief", &p);
    json_decref(in);
    return id;
}

/* One patrol of the signed-in chief along the reach's line on day, with
 * fixes every 30 s (one gap and one jump on some), and maybe a problem. */
static void demo_patrol(struct demo_river *d, int64_t chief, int64_t user, int64_t reach,
                        int32_t day, const char *category, const char *what)
{
    struct user u;
    if (users_get(d->c.s.db, user, &u)) {
        demo_fail(d, "user", NULL);
        return;
    }
    d->c.s.user = &u;
    d->c.s.actor = (struct audit_actor){u.id, u.display_name};
    d->c.chief = chief;
    demo_at(d, day, 9 * 3600 + (int64_t)(demo_rand(d) * 3600));
    struct problem p = {0};
    int64_t id;
    json_t *in = json_pack("{sI}", "reach_id", (json_int_t)reach);
    if (river_patrol_start(&d->c, in, &id, &p)) {
        json_decref(in);
        demo_fail(d, "patrol", &p);
        return;
    }
    json_decref(in);
    json_t *r = river_reach_get(&d->c, reach);
    json_t *line = json_object_get(json_object_get(r, "geometry"), "coordinates");
    if (json_is_array(json_array_get(json_array_get(line, 0), 0)))
        line = json_array_get(line, 0); /* a lake: along its outer ring */
    double lon0 = json_number_value(json_array_get(json_array_get(line, 0), 0));
    double lat0 = json_number_value(json_array_get(json_array_get(line, 0), 1));
    double lon1 = json_number_value(json_array_get(json_array_get(line, 1), 0));
    double lat1 = json_number_value(json_array_get(json_array_get(line, 1), 1));
    json_decref(r);
    json_t *fixes = json_array();
    int n = 60 + (int)(demo_rand(d) * 60);
    bool gap = demo_rand(d) < 0.3, jump = demo_rand(d) < 0.3;
    double leg = coord_distance_m(lon0, lat0, lon1, lat1);
    int64_t t = d->c.s.now + 5;
    for (int i = 0; i < n; i++) {
        double f = fmin(1.0, 40.0 * i / leg); /* about 1.3 m/s along the first leg */
        bool glitch = jump && i == n / 3;     /* a GPS glitch 5 km off: flagged */
        t += gap && i == n / 2 ? 420 : 30;
        json_array_append_new(
            fixes,
            json_pack("{sI sf sf sf}", "t", (json_int_t)t, "lon",
                      lon0 + (lon1 - lon0) * f + 0.00005 * demo_rand(d) + (glitch ? 0.05 : 0),
                      "lat", lat0 + (lat1 - lat0) * f, "acc", 8 + 10 * demo_rand(d)));
    }
    demo_at(d, day, t - ((int64_t)day * 86400 - TIMEUTIL_BEIJING_OFFSET) + 10);
    json_t *body = json_pack("{so}", "fixes", fixes), *out = NULL;
    if (river_patrol_fixes(&d->c, id, body, &out, &p))
        demo_fail(d, "fixes", &p);
    json_decref(body);
    json_decref(out);
    if (category) {
        json_t *q = json_pack("{ss ss sf sf}", "category", category, "description", what, "lon",
                              lon0 + (lon1 - lon0) * 0.01, "lat", lat0 + (lat1 - lat0) * 0.01);
        if (river_problem_report(&d->c, id, q, &out, &p))
            demo_fail(d, "problem", &p);
        json_decref(q);
        json_decref(out);
    }
    json_t *end = json_pack("{ss}", "note", category ? "发现问题已上报" : "河面清洁，无异常");
    if (river_patrol_end(&d->c, id, end, &p))
        demo_fail(d, "patrol end", &p);
    json_decref(end);
}

static void demo_register(struct demo_river *d)
{
    struct problem p = {0};
    json_t *out = NULL, *errors = NULL;
    if (river_import_geojson(&d->c, demo_river_geojson, sizeof demo_river_geojson - 1, &out,
                             &errors, &p))
        demo_fail(d, "import", &p);
    json_decref(out);
    json_decref(errors);
    json_t *reaches = river_reaches(&d->c), *o;
    size_t i;
    json_array_foreach(reaches, i, o) if (i < 5) d->reach[i] =
        json_integer_value(json_object_get(o, "id"));
    json_decref(reaches);
    /* reaches sort by river code then seq: CJ-01..04, then YT-01 */
    d->user_town = demo_account(d, "chief_town", "陈镇长");
    d->user_village = demo_account(d, "chief_village", "吴村长");
    char all[200], county[120], town[80];
    snprintf(all, sizeof all,
             "[{\"reach_id\":%lld},{\"reach_id\":%lld},{\"reach_id\":%lld},{\"reach_id\":%lld}]",
             (long long)d->reach[0], (long long)d->reach[1], (long long)d->reach[2],
             (long long)d->reach[3]);
    snprintf(county, sizeof county, "[{\"reach_id\":%lld},{\"reach_id\":%lld},{\"reach_id\":%lld}]",
             (long long)d->reach[0], (long long)d->reach[1], (long long)d->reach[4]);
    snprintf(town, sizeof town, "[{\"reach_id\":%lld},{\"reach_id\":%lld}]", (long long)d->reach[0],
             (long long)d->reach[4]);
    demo_chief(d, "张明华", "city", "副市长、昌江市级河长", "0798-8512001", 0, all,
               "统筹昌江全流域保护治理，协调解决重大问题，每季度至少巡河一次");
    demo_chief(d, "刘建国", "county", "浮溪县县长、县级河长", "0798-6221002", 0, county,
               "组织本县河段清四乱和水质达标，督促乡级河长履职");
    d->chief_town = demo_chief(d, "陈卫东", "township", "瑶里镇镇长、乡级河长", "13907980003",
                               d->user_town, town, "负责本镇河段日常管护，组织问题整改");
    char village[120];
    snprintf(village, sizeof village, "[{\"reach_id\":%lld,\"role\":\"chief\"}]",
             (long long)d->reach[0]);
    d->chief_village = demo_chief(d, "吴长青", "village", "瑶里村支书、村级河长", "13907980004",
                                  d->user_village, village, "每周巡河，发现问题及时上报并劝阻");
    snprintf(village, sizeof village, "[{\"reach_id\":%lld,\"role\":\"deputy\"}]",
             (long long)d->reach[0]);
    demo_chief(d, "吴小兰", "village", "瑶里村委委员、村级副河长", "13907980005", 0, village,
               "协助村级河长巡河、保洁");
    static const char *const codes[] = {"W-01", "W-02", "W-06", "W-05"};
    int reach_of[] = {0, 2, 3, 4};
    json_t *secs = NULL;
    if (!quality_water_sections(d->c.s.db, NULL, false, 0, 0, &p, &secs)) {
        json_array_foreach(
            json_object_get(secs, "items"), i,
            o) for (int k = 0; k < 4;
                    k++) if (!strcmp(json_string_value(json_object_get(o, "code")), codes[k]))
        {
            json_t *in = json_pack("{sO sI}", "section_id", json_object_get(o, "id"), "reach_id",
                                   (json_int_t)d->reach[reach_of[k]]);
            if (river_section_link(&d->c, in, &p))
                demo_fail(d, "section link", &p);
            json_decref(in);
        }
    }
    json_decref(secs);
}

/* A 1x1 PNG: the photo evidence of a rectified problem. */
static const unsigned char demo_png[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
    0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78,
    0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99,
    0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

/* The first problem of the season, closed through the tracker: the township
 * chief (its owner) uploads the photo of the cleared bank and submits, the
 * leader approves, a week after it was reported. */
static void demo_close_first(struct demo_river *d, int32_t day)
{
    json_t *first = river_problems(&d->c, 0, 0, 500), *o;
    int64_t item = 0;
    size_t i;
    json_array_foreach(first, i, o) item = json_integer_value(json_object_get(o, "tracker_id"));
    json_decref(first); /* newest first: the last is the oldest */
    struct user town, leader;
    if (!item || users_get(d->c.s.db, d->user_town, &town) ||
        users_find_by_name(d->c.s.db, "leader", &leader, NULL)) {
        demo_fail(d, "close", NULL);
        return;
    }
    struct problem p = {0};
    int64_t aid;
    demo_at(d, day, 10 * 3600);
    d->c.s.user = &town;
    d->c.s.actor = (struct audit_actor){town.id, town.display_name};
    json_t *in = json_pack("{ss}", "note", "已组织清运河岸建筑垃圾，现场已恢复");
    if (svc_attach_add(&d->c.s, "tracker", item, "清理后.png", demo_png, sizeof demo_png, &aid,
                       &p) ||
        svc_item_act(&d->c.s, item, "submit", in, &p))
        demo_fail(d, "close submit", &p);
    json_decref(in);
    demo_at(d, day, 16 * 3600);
    d->c.s.user = &leader;
    d->c.s.actor = (struct audit_actor){leader.id, leader.display_name};
    in = json_pack("{sb ss}", "approve", 1, "note", "照片佐证清理到位，同意办结");
    if (!d->failed && svc_item_act(&d->c.s, item, "review", in, &p))
        demo_fail(d, "close review", &p);
    json_decref(in);
}

/* The boundary section W-06 (target class III) misses in the month before
 * last whatever the seed: two samplings carry the ammonia of a sewage
 * overflow upstream (NH3-N 1.85 mg/L, class V), through the quality module's
 * own sampling rule. */
static void demo_boundary_miss(struct demo_river *d, const struct audit_actor *actor)
{
    static const int days[] = {8, 22};
    int y, m, dd;
    timeutil_civil_from_days(d->today, &y, &m, &dd);
    m -= 2;
    while (m < 1)
        m += 12, y--;
    for (size_t i = 0; i < sizeof days / sizeof days[0] && !d->failed; i++) {
        char date[11];
        snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, days[i]);
        json_t *in =
            json_pack("{ss ss s{ss ss ss ss ss ss ss ss ss}}", "section", "W-06", "date", date,
                      "values", "ph", "7.4", "do", "5.6", "codmn", "5.2", "cod", "18", "bod5",
                      "3.6", "nh3n", "1.85", "tp", "0.18", "tn", "2.1", "oil", "0.03");
        struct problem p = {0};
        if (quality_water_sample_put(d->c.s.db, actor, in, &p))
            demo_fail(d, "boundary sample", &p);
        json_decref(in);
    }
}

/* A season of patrols: the village chief weekly until three weeks ago, the
 * township chief every two weeks; problems on some (the old ones overdue). */
static void demo_season(struct demo_river *d)
{
    static const struct {
        const char *category, *what;
    } found[] = {
        {"dumping", "河岸堆放建筑垃圾约 20 立方米"},
        {"floating_waste", "汪湖桥下水面漂浮生活垃圾"},
        {"outfall", "发现一处未登记的入河排污口，有浑浊污水排出"},
        {"mining", "河道内有人无证采砂"},
        {"dead_fish", "约 50 米河段出现死鱼"},
    };
    int k = 0;
    for (int w = 13; w >= 3; w--) {
        bool with = w % 3 == 1;
        demo_patrol(d, d->chief_village, d->user_village, d->reach[0], d->today - 7 * w,
                    with ? found[k % 5].category : NULL, with ? found[k % 5].what : NULL);
        k += with;
    }
    demo_close_first(d, d->today - 7 * 13 + 7);
    for (int w = 12; w >= 0; w -= 2) {
        bool with = w == 8 || w == 2;
        demo_patrol(d, d->chief_town, d->user_town, d->reach[w % 4 ? 0 : 4], d->today - 7 * w - 1,
                    with ? found[(k + 1) % 5].category : NULL,
                    with ? found[(k + 1) % 5].what : NULL);
        k += with;
    }
}

int demo_river(struct db *db, const struct config *cfg, const struct audit_actor *actor,
               uint64_t seed)
{
    struct demo_river d;
    memset(&d, 0, sizeof d);
    d.cal = calendar_new();
    if (!d.cal)
        return -1;
    calendar_load_builtin(d.cal);
    d.c.s.db = db;
    d.c.s.cfg = cfg;
    d.c.s.cal = d.cal;
    d.c.s.actor = *actor;
    svc_ctx_clock(&d.c.s);
    d.today = d.c.s.today;
    d.now = d.c.s.now;
    d.s = seed * 2654435761u + 91;
    calendar_format_date(d.today - 150, d.since);
    int64_t section = sections_find(db, "水生态环境科");
    demo_register(&d);
    for (int i = 0; i < 5 && !d.failed; i++) {
        struct problem p = {0};
        json_t *in = json_pack("{sI}", "section_id", (json_int_t)section);
        if (river_reach_update(&d.c, d.reach[i], in, &p))
            demo_fail(&d, "reach section", &p);
        json_decref(in);
    }
    if (!d.failed)
        demo_season(&d);
    if (!d.failed)
        demo_boundary_miss(&d, actor);
    /* the sections against their targets, as the scheduler checks them: the
     * last year up to the latest sampled month */
    if (!d.failed) {
        struct problem p = {0};
        json_t *out = NULL;
        svc_ctx_clock(&d.c.s);
        d.c.s.user = NULL, d.c.chief = 0, d.c.s.actor = *actor;
        if (river_sections_catch_up(&d.c, &out, &p))
            demo_fail(&d, "section check", &p);
        json_decref(out);
    }
    calendar_free(d.cal);
    return d.failed ? -1 : 0;
}
