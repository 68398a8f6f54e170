/* airday — a station's and an area's daily AQI inputs from hourly figures (airday.h). */
#include "domain/airday.h"

#include <string.h>

/* The grade-II O3 MDA8 limit: above it a day with fewer than 14 valid windows still counts
 * (airstat_mda8), as the quality module passes it. */
#define AIRDAY_O3_LIMIT (160 * AQI_MILLI)
#define AIRDAY_VALUE_MAX (AQI_CONC_MAX_UNITS * AQI_MILLI)

/* The daily slot of each 24-hour item (O3 has two, set apart). */
static const int airday_slot[AIRSTAT_POLLUTANT_COUNT] = {AQI_SO2,   AQI_NO2,  AQI_CO,
                                                         AQI_O3_8H, AQI_PM10, AQI_PM25};

/* A daily value as stored and used: the exact figure rounded to 0.001 (half to even). */
static struct aqi_conc airday_milli(struct aqi_conc c)
{
    return (struct aqi_conc){aqi_conc_round(c, 3), 1};
}

/* O3 of an hourly series: the MDA8 and the daily maximum 1-hour value into in. */
static int airday_o3(const int64_t o3[24], struct aqi_input *in)
{
    struct airstat_value sv;
    if (airstat_mda8(o3, AIRDAY_O3_LIMIT, &sv))
        return -1;
    if (sv.valid && sv.value.den)
        in->c[AQI_O3_8H] = airday_milli(sv.value);
    int64_t max = -1;
    int hours = 0;
    for (int i = 0; i < 24; i++)
        if (o3[i] >= 0)
            hours++, max = o3[i] > max ? o3[i] : max;
    if (hours >= AIRSTAT_DAY_MIN_HOURS)
        in->c[AQI_O3_1H] = (struct aqi_conc){max, 1};
    return 0;
}

int airday_station(const struct airday_hours *h, struct aqi_input *in)
{
    memset(in, 0, sizeof *in);
    for (int p = 0; p < AIRSTAT_POLLUTANT_COUNT; p++) {
        if (p == AIRSTAT_O3)
            continue;
        int n = h->n[p];
        if (n < 0 || n > 24 || h->sum[p] < 0 || h->sum[p] > n * AIRDAY_VALUE_MAX)
            return -1;
        if (n >= AIRSTAT_DAY_MIN_HOURS)
            in->c[airday_slot[p]] = airday_milli((struct aqi_conc){h->sum[p], n});
    }
    return airday_o3(h->o3, in);
}

void airday_area_add(struct airday_area *a, const struct airday_hours *h,
                     const struct aqi_input *in)
{
    a->stations++;
    for (int i = 0; i < 24; i++)
        if (h->o3[i] >= 0)
            a->o3_sum[i] += h->o3[i], a->o3_n[i]++;
    for (int p = 0; p < AIRSTAT_POLLUTANT_COUNT; p++) {
        struct aqi_conc c = in->c[airday_slot[p]];
        if (p != AIRSTAT_O3 && c.den)
            a->sum[p] += c.num, a->n[p]++;
    }
}

int airday_area_input(const struct airday_area *a, struct aqi_input *in)
{
    memset(in, 0, sizeof *in);
    for (int p = 0; p < AIRSTAT_POLLUTANT_COUNT; p++)
        if (p != AIRSTAT_O3 && a->n[p])
            in->c[airday_slot[p]] = airday_milli((struct aqi_conc){a->sum[p], a->n[p]});
    int64_t o3[24];
    for (int i = 0; i < 24; i++)
        o3[i] = a->o3_n[i] ? aqi_conc_round((struct aqi_conc){a->o3_sum[i], a->o3_n[i]}, 3) : -1;
    return airday_o3(o3, in);
}

int airday_aqi(int y, int m, int d, const struct aqi_input *in)
{
    struct aqi_result r;
    if (aqi_compute(aqi_standard_for_date(y, m, d), AQI_KIND_DAILY, in, &r))
        return -1;
    return r.published && r.aqi >= 0 ? r.aqi : -1;
}
