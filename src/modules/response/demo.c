/* response demo — the demo city's forecasts, through the same rules staff
 * use: for the last 30 observed days of the city and every district, a
 * forecast made the day before (an AQI range around what was then observed,
 * missed on some days, so verification has something to count), and the
 * outlook for the next three days; each issue date published. Deterministic
 * for a seed. */
#include "modules/response/response.h"

#include "core/timeutil.h"
#include "domain/aqi.h"
#include "domain/calendar.h"
#include "modules/quality/quality.h"
#include "modules/registry/registry.h"

#include <stdio.h>
#include <string.h>

#define DEMO_PAST_DAYS 30

/* A small deterministic jitter 0..n-1 for (seed, day, salt). */
static int demo_jitter(uint64_t seed, int32_t day, int salt, int n)
{
    uint64_t x = seed * 0x9E3779B97F4A7C15ull + (uint64_t)(uint32_t)day * 0xBF58476D1CE4E5B9ull +
                 (uint64_t)salt * 0x94D049BB133111EBull;
    x ^= x >> 31;
    x *= 0xD6E8FEB86CA77B15ull;
    x ^= x >> 29;
    return (int)(x % (uint64_t)n);
}

static int demo_forecast(struct resp_ctx *c, const char *area, int32_t issued, int32_t day, int lo,
                         int hi, const char *primary, const char *text)
{
    char is[11], d[11];
    calendar_format_date(issued, is);
    calendar_format_date(day, d);
    json_t *in =
        json_pack("{ss ss ss si si s[] ss}", "area", area, "issued_on", is, "day", d, "aqi_lo",
                  lo < 0 ? 0 : lo, "aqi_hi", hi > 500 ? 500 : hi, "primary", "text", text);
    if (primary && *primary)
        json_array_append_new(json_object_get(in, "primary"), json_string(primary));
    json_t *out = NULL;
    struct problem p = {0};
    enum err e = resp_forecast_create(c, in, &out, &p);
    json_decref(in);
    json_decref(out);
    if (e && e != ERR_CONFLICT) {
        fprintf(stderr, "demo response: forecast %s %s: %s\n", area, d, p.message);
        return -1;
    }
    return 0;
}

static const char *demo_primary_name(json_t *primary)
{
    const char *n = json_string_value(json_array_get(primary, 0));
    return n && !strncmp(n, "O3", 2) ? "O3" : n;
}

/* Forecasts for one area's observed days: issued the day before. */
static int demo_area_past(struct resp_ctx *c, const char *area, int32_t today, uint64_t seed)
{
    struct quality_scope s = {0, area};
    json_t *obs = quality_daily_series(c->db, &s, today - DEMO_PAST_DAYS, today - 1);
    if (!obs)
        return -1;
    size_t i;
    json_t *o;
    int rc = 0;
    json_array_foreach(obs, i, o)
    {
        json_t *aqi = json_object_get(o, "aqi");
        int32_t day;
        if (!json_is_integer(aqi) ||
            calendar_parse_date(json_string_value(json_object_get(o, "date")), &day))
            continue;
        int a = (int)json_integer_value(aqi);
        /* Every few days the forecast runs high and misses. */
        int miss = demo_jitter(seed, day, 1, 6) == 0 ? 40 : 0;
        int lo = a - 15 - demo_jitter(seed, day, 2, 15) + miss;
        int hi = a + 15 + demo_jitter(seed, day, 3, 20) + miss;
        rc |= demo_forecast(c, area, day - 1, day, lo, hi,
                            demo_primary_name(json_object_get(o, "primary")), "");
    }
    json_decref(obs);
    return rc;
}

static int demo_publish(struct resp_ctx *c, int32_t from, int32_t to)
{
    for (int32_t d = from; d <= to; d++) {
        char is[11];
        calendar_format_date(d, is);
        json_t *in = json_pack("{ss}", "issued_on", is), *out = NULL;
        struct problem p = {0};
        enum err e = resp_forecast_publish(c, in, &out, &p);
        json_decref(in);
        json_decref(out);
        if (e)
            return -1;
    }
    return 0;
}

/* Demo list: the first DEMO_LIST_MAX enterprises (the demo enterprise
 * account's among them). */
#define DEMO_LIST_MAX 36

static const char *const demo_grades[] = {"A", "B", "B", "C",      "C",          "C",
                                          "C", "D", "D", "引领性", "非绩效分级", "C"};
static const char *const demo_sources[][2] = {
    {"1# 燃煤锅炉", "原料堆场"}, {"2# 窑炉", "喷涂线"},      {"烧成窑", "物料运输"},
    {"熔炼炉", "危废暂存间"},    {"干燥塔", "柴油货车运输"}, {"印花工序", "RTO 焚烧炉"}};

static int demo_measure(struct resp_ctx *c, int64_t list_id, const char *level, const char *kind,
                        int pct, const char *lines, const char *text, const double base[4],
                        double share)
{
    json_t *in = json_pack("{ss ss ss ss s{sf sf sf sf}}", "level", level, "kind", kind, "lines",
                           lines, "description", text, "reduction", "so2", base[0] * share, "nox",
                           base[1] * share, "pm", base[2] * share, "vocs", base[3] * share);
    if (pct)
        json_object_set_new(in, "limit_pct", json_integer(pct));
    json_t *out = NULL;
    struct problem p = {0};
    enum err e = resp_measure_add(c, list_id, in, &out, &p);
    json_decref(in);
    json_decref(out);
    if (e)
        fprintf(stderr, "demo response: measure: %s\n", p.message);
    return e ? -1 : 0;
}

/* One enterprise's entry and its measures for the three levels: the better
 * its grade, the lighter its measures; D and non-graded stop under red. */
static int demo_list_entry(struct resp_ctx *c, int64_t ent, uint64_t seed)
{
    const char *grade = demo_grades[demo_jitter(seed, (int32_t)ent, 10, 12)];
    const char *const *src = demo_sources[ent % 6];
    double base[4] = {20 + demo_jitter(seed, (int32_t)ent, 11, 180),
                      30 + demo_jitter(seed, (int32_t)ent, 12, 270),
                      10 + demo_jitter(seed, (int32_t)ent, 13, 90),
                      5 + demo_jitter(seed, (int32_t)ent, 14, 145)};
    json_t *in = json_pack("{sI ss s[ss] s{sf sf sf sf}}", "enterprise_id", (json_int_t)ent,
                           "grade", grade, "sources", src[0], src[1], "baseline", "so2", base[0],
                           "nox", base[1], "pm", base[2], "vocs", base[3]);
    json_t *out = NULL;
    struct problem p = {0};
    enum err e = resp_entry_put(c, in, &out, &p);
    json_decref(in);
    if (e) {
        fprintf(stderr, "demo response: list entry %lld: %s\n", (long long)ent, p.message);
        return -1;
    }
    int64_t id = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    bool good = !strcmp(grade, "A") || !strcmp(grade, "引领性");
    bool bad = !strcmp(grade, "D") || !strcmp(grade, "非绩效分级");
    int rc = 0;
    rc |= good ? demo_measure(c, id, "yellow", "transport", 0, "",
                              "自主减排，禁止国四及以下重型柴油货车进出厂区", base, 0.05)
               : demo_measure(c, id, "yellow", "limit", bad ? 30 : 20, "", "限产，错峰生产", base,
                              bad ? 0.25 : 0.15);
    rc |= bad ? demo_measure(c, id, "orange", "lines", 0, src[0], "停止该生产线", base, 0.45)
              : demo_measure(c, id, "orange", "limit", good ? 20 : 40, "", "限产并停止物料运输",
                             base, good ? 0.15 : 0.3);
    rc |= bad ? demo_measure(c, id, "red", "stop", 0, "", "全厂停产（保安全生产除外）", base, 1.0)
              : demo_measure(c, id, "red", "limit", good ? 30 : 50, "", "限产并停止涉气工序", base,
                             good ? 0.25 : 0.45);
    return rc;
}

/* Beijing "YYYY-MM-DD HH:MM" of day d at hour h, and its UTC seconds. */
static int64_t demo_at(int32_t d, int h, char out[20])
{
    char day[11];
    calendar_format_date(d, day);
    snprintf(out, 20, "%s %02d:00", day, h);
    return (int64_t)d * 86400 + h * 3600 - 8 * 3600;
}

static int demo_warning_step(struct resp_ctx *c, int32_t d, int h, int64_t id, json_t *in,
                             int64_t *out_id)
{
    char at[20];
    c->now = demo_at(d, h, at) + 600; /* decided ten minutes after it takes effect */
    json_object_set_new(in, "effective_at", json_string(at));
    json_t *out = NULL;
    struct problem p = {0};
    enum err e =
        id ? resp_warning_change(c, id, in, &out, &p) : resp_warning_issue(c, in, &out, &p);
    json_decref(in);
    if (!e && out_id)
        *out_id = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    if (e)
        fprintf(stderr, "demo response: warning: %s\n", p.message);
    return e ? -1 : 0;
}

/* Most listed enterprises confirm the measures of the level in force. */
static int demo_confirm_all(struct resp_ctx *c, int64_t n, uint64_t seed, int salt)
{
    int rc = 0;
    for (int64_t ent = 1; ent <= n && ent <= DEMO_LIST_MAX; ent++) {
        if (ent != 1 && demo_jitter(seed, (int32_t)ent, salt, 6) == 0)
            continue; /* a few never confirm: staff chase them */
        c->now += 300;
        json_t *in = json_pack("{ss}", "note", "已按清单措施落实"), *out = NULL;
        struct problem p = {0};
        enum err e = resp_my_confirm(c, ent, in, &out, &p);
        json_decref(in);
        json_decref(out);
        rc |= e && e != ERR_NOT_FOUND ? -1 : 0;
    }
    return rc;
}

/* The winter episode of last week, through the same rules: forecasts made
 * twelve days ago called for yellow, a leader issued it; the forecast of ten
 * days ago rose above 300 and the warning was upgraded to orange; most
 * enterprises confirmed each level; a spot check; lifted six days ago. Its
 * summary is on the warning's page. */
static int demo_episode(struct resp_ctx *c, int32_t today, int64_t n, uint64_t seed)
{
    int32_t d0 = today - 12;
    static const int first[3][2] = {{200, 230}, {230, 260}, {210, 240}};
    static const int second[3][2] = {{280, 330}, {260, 310}, {220, 250}};
    int rc = 0;
    for (int k = 0; k < 3; k++) {
        rc |= demo_forecast(c, RESP_CITY, d0, d0 + 3 + k, first[k][0], first[k][1], "PM2.5",
                            "静稳高湿，区域传输叠加本地排放，预计出现重度污染。");
        rc |= demo_forecast(c, RESP_CITY, d0 + 2, d0 + 4 + k, second[k][0], second[k][1], "PM2.5",
                            "污染过程加重，局地可能达到严重污染。");
    }
    rc |= demo_publish(c, d0, d0) | demo_publish(c, d0 + 2, d0 + 2);
    int64_t id = 0;
    rc |= demo_warning_step(c, d0 + 2, 12, 0,
                            json_pack("{ss ss}", "level", "yellow", "reason",
                                      "预测未来 3 天 AQI 日均值超过 200，启动黄色预警"),
                            &id);
    if (rc || !id)
        return -1;
    rc |= demo_confirm_all(c, n, seed, 20);
    rc |= demo_warning_step(c, d0 + 3, 10, id,
                            json_pack("{ss ss ss}", "action", "upgrade", "level", "orange",
                                      "reason", "会商研判：AQI 将超过 300，升级为橙色预警"),
                            NULL);
    rc |= demo_confirm_all(c, n, seed, 21);
    char day[11];
    calendar_format_date(d0 + 4, day);
    json_t *check =
        json_pack("{sI ss ss ss s[ii]}", "enterprise_id", (json_int_t)2, "inspected_on", day,
                  "findings", "橙色预警期间现场检查：窑炉按清单限产，物料运输已停止。", "result",
                  "compliant", "inspector_ids", 2, 3);
    json_t *out = NULL;
    struct problem p = {0};
    c->now += 3600;
    if (resp_check_create(c, id, check, &out, &p)) {
        fprintf(stderr, "demo response: check: %s\n", p.message);
        rc = -1;
    }
    json_decref(check);
    json_decref(out);
    rc |= demo_warning_step(
        c, d0 + 6, 12, id,
        json_pack("{ss ss}", "action", "lift", "reason", "冷空气过境，扩散条件转好，解除预警"),
        NULL);
    return rc;
}

int demo_response(struct db *db, const struct audit_actor *actor, uint64_t seed)
{
    struct resp_ctx c = {.db = db, .actor = actor, .now = timeutil_now()};
    int32_t today = timeutil_today();
    calendar_format_date(today, c.today);
    json_t *districts = quality_districts(db);
    if (!districts)
        return -1;
    int rc = demo_area_past(&c, RESP_CITY, today, seed);
    size_t i;
    json_t *d;
    json_array_foreach(districts, i, d) rc |=
        demo_area_past(&c, json_string_value(json_object_get(d, "district")), today, seed);
    json_decref(districts);
    /* The outlook: good to lightly polluted, PM2.5 rising. */
    static const struct {
        int lo, hi;
        const char *primary, *text;
    } next[] = {
        {60, 90, "PM2.5", "扩散条件一般，空气质量以良为主。"},
        {85, 120, "PM2.5", "湿度上升，扩散条件转差，空气质量良至轻度污染。"},
        {110, 150, "PM2.5", "静稳天气持续，空气质量轻度污染，请关注预报更新。"},
    };
    for (int k = 0; k < 3; k++)
        rc |= demo_forecast(&c, RESP_CITY, today, today + 1 + k, next[k].lo, next[k].hi,
                            next[k].primary, next[k].text);
    rc |= demo_publish(&c, today - DEMO_PAST_DAYS - 1, today);
    int64_t n = registry_count(db);
    for (int64_t ent = 1; ent <= n && ent <= DEMO_LIST_MAX; ent++)
        rc |= demo_list_entry(&c, ent, seed);
    rc |= rc ? 0 : demo_episode(&c, today, n, seed);
    return rc ? -1 : 0;
}
