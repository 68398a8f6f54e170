/* quality glance — the air part of the leader's home: the city's latest
 * hourly AQI and the year so far against the PM2.5 target, from the same
 * evaluations the reports publish (quality_realtime, quality_annual). */
#include "modules/quality/quality.h"
#include "core/timeutil.h"

json_t *quality_glance(struct db *db, int64_t now, double pm25_target)
{
    struct quality_scope city = {0, QUALITY_CITY};
    json_t *aqi = quality_realtime(db, &city, now);
    if (!aqi)
        return NULL;
    int y, m, d;
    timeutil_civil_from_days(timeutil_day_of(now), &y, &m, &d);
    json_t *annual = quality_annual(db, &city, y, -1, -1);
    json_t *pm = json_object_get(json_object_get(annual, "items"), "pm25");
    json_t *mean = json_object_get(pm, "mean");
    double limit = json_number_value(json_object_get(pm, "limit_annual"));
    double target = pm25_target > 0 ? pm25_target : limit;
    json_t *value = json_object_get(mean, "value");
    json_t *year =
        json_pack("{si sO? sO? sO? sb sf ss sO?}", "year", y, "pm25", value, "n",
                  json_object_get(mean, "n"), "need", json_object_get(mean, "need"), "valid",
                  json_is_true(json_object_get(mean, "valid")), "target", target, "target_source",
                  pm25_target > 0 ? "config" : "standard", "days", json_object_get(annual, "days"));
    if (!year) {
        json_decref(annual);
        json_decref(aqi);
        return NULL;
    }
    json_object_set_new(year, "on_track",
                        json_is_number(value) && target > 0
                            ? json_boolean(json_number_value(value) <= target)
                            : json_null());
    json_decref(annual);
    return json_pack("{so so}", "aqi", aqi, "year", year);
}
