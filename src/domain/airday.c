/* airday — a station's and an area's daily values from hourly figures (airday.h). */
#include "domain/airday.h"

#include <string.h>

/* The grade-II O3 MDA8 limit: above it a day with fewer than 14 valid windows still counts
 * (airstat_mda8). */
#define AIRDAY_O3_LIMIT (160 * AQI_MILLI)
#define AIRDAY_VALUE_MAX (AQI_CONC_MAX_UNITS * AQI_MILLI)

/* The daily slot of each 24-hour item (O3 has two, set apart). */
static const int airday_slot[AIRSTAT_POLLUTANT_COUNT] = {AQI_SO2,   AQI_NO2,  AQI_CO,
                                                         AQI_O3_8H, AQI_PM10, AQI_PM25};

/* An exact figure to 0.001 (half to even), -1 when there is none. */
static int64_t airday_milli(struct aqi_conc c)
{
    return c.den ? aqi_conc_round(c, 3) : -1;
}

/* O3 of an hourly series: the MDA8 and the daily maximum 1-hour value. */
static void airday_o3(const int64_t o3[24], struct airday_day *out)
{
    struct airstat_value sv = {0};
    if (!airstat_mda8(o3, AIRDAY_O3_LIMIT, &sv)) {
        out->v[AQI_O3_8H] = airday_milli(sv.value);
        out->n[AQI_O3_8H] = sv.n;
        if (sv.valid && sv.value.den)
            out->valid |= AQI_BIT(AQI_O3_8H);
    }
    int64_t max = -1;
    int hours = 0;
    for (int i = 0; i < 24; i++)
        if (o3[i] >= 0)
            hours++, max = o3[i] > max ? o3[i] : max;
    out->v[AQI_O3_1H] = max;
    out->n[AQI_O3_1H] = hours;
    if (hours >= AIRSTAT_DAY_MIN_HOURS)
        out->valid |= AQI_BIT(AQI_O3_1H);
}

static void airday_clear(struct airday_day *out)
{
    memset(out, 0, sizeof *out);
    for (int s = 0; s < AQI_POLLUTANT_COUNT; s++)
        out->v[s] = -1;
}

void airday_station(const struct airday_hours *h, struct airday_day *out)
{
    airday_clear(out);
    for (int p = 0; p < AIRSTAT_POLLUTANT_COUNT; p++) {
        int n = h->n[p], slot = airday_slot[p];
        if (p == AIRSTAT_O3 || n < 1 || n > 24 || h->sum[p] < 0 || h->sum[p] > n * AIRDAY_VALUE_MAX)
            continue;
        out->v[slot] = airday_milli((struct aqi_conc){h->sum[p], n});
        out->n[slot] = n;
        if (n >= AIRSTAT_DAY_MIN_HOURS)
            out->valid |= AQI_BIT(slot);
    }
    airday_o3(h->o3, out);
}

void airday_area_add(struct airday_area *a, const struct airday_hours *h,
                     const struct airday_day *d)
{
    a->stations++;
    for (int i = 0; i < 24; i++)
        if (h->o3[i] >= 0)
            a->o3_sum[i] += h->o3[i], a->o3_n[i]++;
    for (int p = 0; p < AIRSTAT_POLLUTANT_COUNT; p++)
        if (p != AIRSTAT_O3 && (d->valid & AQI_BIT(airday_slot[p])))
            a->sum[p] += d->v[airday_slot[p]], a->n[p]++;
}

void airday_area(const struct airday_area *a, struct airday_day *out)
{
    airday_clear(out);
    for (int p = 0; p < AIRSTAT_POLLUTANT_COUNT; p++) {
        int slot = airday_slot[p];
        if (p == AIRSTAT_O3 || !a->n[p])
            continue;
        out->v[slot] = airday_milli((struct aqi_conc){a->sum[p], a->n[p]});
        out->n[slot] = a->n[p];
        out->valid |= AQI_BIT(slot);
    }
    /* the area's hourly series: the mean of the stations present, to 0.001 */
    int64_t o3[24];
    for (int i = 0; i < 24; i++)
        o3[i] = a->o3_n[i] ? airday_milli((struct aqi_conc){a->o3_sum[i], a->o3_n[i]}) : -1;
    airday_o3(o3, out);
}

void airday_input(const struct airday_day *d, struct aqi_input *in)
{
    memset(in, 0, sizeof *in);
    for (int s = 0; s < AQI_POLLUTANT_COUNT; s++)
        if (d->valid & AQI_BIT(s))
            in->c[s] = (struct aqi_conc){d->v[s], 1};
}

int airday_aqi(int y, int m, int d, const struct airday_day *day)
{
    struct aqi_input in;
    struct aqi_result r;
    airday_input(day, &in);
    if (aqi_compute(aqi_standard_for_date(y, m, d), AQI_KIND_DAILY, &in, &r))
        return -1;
    return r.published && r.aqi >= 0 ? r.aqi : -1;
}
