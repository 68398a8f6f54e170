/* response verify — forecast verification against the observed daily AQI
 * the quality module publishes (quality_daily_series): per day, whether the
 * observed level lay inside the forecast level range, the observed AQI inside
 * the AQI range, and an observed primary pollutant was among those forecast;
 * then the rates per month, per season and over the whole period.
 *
 * Decisions: the forecast judged for a day is the newest published one made
 * before that day (the shortest lead). O3_1h and O3_8h count as "O3". A day
 * with no observed primary pollutant (AQI <= 50) is a primary hit when none
 * was forecast. Seasons are meteorological: spring Mar–May, summer Jun–Aug,
 * autumn Sep–Nov, winter Dec–Feb, the winter named by the year of its
 * December ("2026-winter" runs from 2026-12 to 2027-02). */
#include "modules/response/rules.h"

#include "domain/calendar.h"
#include "modules/quality/quality.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define RESP_VERIFY_DAYS_MAX 400

struct resp_tally {
    int n, level_hits, aqi_hits, primary_hits;
};

static bool resp_primary_hit(json_t *observed, json_t *forecast)
{
    if (!json_array_size(observed))
        return json_array_size(forecast) == 0;
    size_t i, j;
    json_t *o, *f;
    json_array_foreach(observed, i, o)
    {
        const char *name = json_string_value(o);
        if (name && !strncmp(name, "O3", 2))
            name = "O3";
        json_array_foreach(forecast, j,
                           f) if (name && !strcmp(name, json_string_value(f))) return true;
    }
    return false;
}

static void resp_season_of(const char *date, char out[16])
{
    int y = 0, m = 0;
    sscanf(date, "%4d-%2d", &y, &m);
    static const char *const names[] = {"winter", "winter", "spring", "spring", "spring", "summer",
                                        "summer", "summer", "autumn", "autumn", "autumn", "winter"};
    if (m < 1 || m > 12)
        m = 1;
    snprintf(out, 16, "%04d-%s", m <= 2 ? y - 1 : y, names[m - 1]);
}

static json_t *resp_rates(const char *period, const struct resp_tally *t)
{
    double n = t->n ? t->n : 1;
    /* Percent with one decimal. */
    return json_pack("{ss si sf sf sf}", "period", period, "days", t->n, "level_rate",
                     round(t->level_hits * 1000 / n) / 10, "aqi_rate",
                     round(t->aqi_hits * 1000 / n) / 10, "primary_rate",
                     round(t->primary_hits * 1000 / n) / 10);
}

static void resp_tally_add(struct resp_tally *t, bool level, bool aqi, bool primary)
{
    t->n++;
    t->level_hits += level;
    t->aqi_hits += aqi;
    t->primary_hits += primary;
}

/* Adds one judged day to the period list (consecutive days share a period). */
static void resp_period_add(json_t *list, struct resp_tally *cur, char *cur_name, const char *name,
                            bool level, bool aqi, bool primary)
{
    if (strcmp(cur_name, name)) {
        if (cur->n)
            json_array_append_new(list, resp_rates(cur_name, cur));
        memset(cur, 0, sizeof *cur);
        snprintf(cur_name, 16, "%s", name);
    }
    resp_tally_add(cur, level, aqi, primary);
}

/* Judges one observed day; false when there is no forecast to judge. */
static bool resp_judge(struct db *db, const char *area, json_t *obs, json_t *days, bool *level,
                       bool *aqi_hit, bool *primary)
{
    const char *date = json_string_value(json_object_get(obs, "date"));
    json_t *aqi = json_object_get(obs, "aqi");
    if (!date || !json_is_integer(aqi))
        return false;
    json_t *f = resp_store_forecast_judged(db, area, date);
    if (!f)
        return false;
    json_int_t a = json_integer_value(aqi);
    json_int_t lv = json_integer_value(json_object_get(obs, "level"));
    *level = lv >= json_integer_value(json_object_get(f, "level_lo")) &&
             lv <= json_integer_value(json_object_get(f, "level_hi"));
    *aqi_hit = a >= json_integer_value(json_object_get(f, "aqi_lo")) &&
               a <= json_integer_value(json_object_get(f, "aqi_hi"));
    *primary = resp_primary_hit(json_object_get(obs, "primary"), json_object_get(f, "primary"));
    json_array_append_new(
        days,
        json_pack("{ss sI sI sO so sO sb sb sb}", "date", date, "aqi", a, "level", lv, "primary",
                  json_object_get(obs, "primary"), "forecast_aqi",
                  json_pack("[OO]", json_object_get(f, "aqi_lo"), json_object_get(f, "aqi_hi")),
                  "forecast_primary", json_object_get(f, "primary"), "level_hit", *level, "aqi_hit",
                  *aqi_hit, "primary_hit", *primary));
    json_decref(f);
    return true;
}

json_t *resp_verification(struct db *db, const char *area, int32_t from, int32_t to)
{
    if (to < from || to - from >= RESP_VERIFY_DAYS_MAX)
        return NULL;
    struct quality_scope scope = {0, area};
    json_t *observed = quality_daily_series(db, &scope, from, to);
    if (!observed)
        return NULL;
    json_t *days = json_array(), *months = json_array(), *seasons = json_array();
    struct resp_tally total = {0}, month = {0}, season = {0};
    char month_name[16] = "", season_name[16] = "";
    size_t i;
    json_t *obs;
    json_array_foreach(observed, i, obs)
    {
        bool level, aqi, primary;
        if (!resp_judge(db, area, obs, days, &level, &aqi, &primary))
            continue;
        const char *date = json_string_value(json_object_get(obs, "date"));
        char m[16], s[16];
        snprintf(m, sizeof m, "%.7s", date);
        resp_season_of(date, s);
        resp_period_add(months, &month, month_name, m, level, aqi, primary);
        resp_period_add(seasons, &season, season_name, s, level, aqi, primary);
        resp_tally_add(&total, level, aqi, primary);
    }
    if (month.n)
        json_array_append_new(months, resp_rates(month_name, &month));
    if (season.n)
        json_array_append_new(seasons, resp_rates(season_name, &season));
    json_decref(observed);
    char f[11], t[11];
    calendar_format_date(from, f);
    calendar_format_date(to, t);
    return json_pack("{ss ss ss so so so so}", "area", area, "from", f, "to", t, "days", days,
                     "months", months, "seasons", seasons, "total", resp_rates("total", &total));
}
