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
    return rc || demo_publish(&c, today - DEMO_PAST_DAYS - 1, today) ? -1 : 0;
}
