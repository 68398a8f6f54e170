/* bench_aqi — daily AQI for every station-day and the annual evaluation.
 *
 * Generates 1,000 stations x one year (2026: January-February under the 2012
 * rules, March on under 2026) of hourly data for six pollutants in memory
 * (about 2 % of hours missing), then times:
 *   baseline: a bare scan (sum) of the same hourly values, and
 *   evaluation: per station-day the daily means (>= 20 h), the O3 MDA8 and
 *   daily max 1-hour, the daily AQI of the edition for that date; per station
 *   the annual evaluation (means, percentiles, GB 3095 compliance, composite
 *   index) and the good-day ratio.
 * Prints both times (process CPU time, best of BENCH_ROUNDS) and the ratio evaluation /
 * scan, measured in the same run.
 * Usage: bench_aqi [stations] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/xalloc.h"
#include "domain/airstat.h"
#include "domain/aqi.h"

#define BENCH_YEAR 2026
#define BENCH_DAYS 365
#define BENCH_HOURS (BENCH_DAYS * 24)
#define BENCH_STATIONS 1000
#define BENCH_ROUNDS 3

/* Generated pollutants, in storage order. */
enum { B_SO2, B_NO2, B_CO, B_O3, B_PM10, B_PM25, B_COUNT };

static const enum airstat_pollutant bench_stat[B_COUNT] = {AIRSTAT_SO2, AIRSTAT_NO2,  AIRSTAT_CO,
                                                           AIRSTAT_O3,  AIRSTAT_PM10, AIRSTAT_PM25};
static const enum aqi_pollutant bench_aqi_slot[B_COUNT] = {AQI_SO2,   AQI_NO2,  AQI_CO,
                                                           AQI_O3_8H, AQI_PM10, AQI_PM25};

static double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: robust on a shared machine */
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t bench_rng = 0x9E3779B97F4A7C15ull;

static uint32_t bench_rand(void)
{
    bench_rng ^= bench_rng << 13;
    bench_rng ^= bench_rng >> 7;
    bench_rng ^= bench_rng << 17;
    return (uint32_t)(bench_rng >> 32);
}

/* One station-year: a slow seasonal level, a diurnal cycle for O3, noise, and
 * missing hours. Values in milli units on the usual reporting grid. */
static void bench_generate(int64_t *v)
{
    static const int base[B_COUNT] = {12, 35, 800, 60, 55, 30}; /* CO in 0.001 mg/m³ */
    for (int p = 0; p < B_COUNT; p++) {
        int64_t *h = v + (size_t)p * BENCH_HOURS;
        for (int t = 0; t < BENCH_HOURS; t++) {
            int day = t / 24, hour = t % 24;
            int season = (day < 60 || day > 320) ? 2 : 1; /* winter PM */
            int level = base[p] * (p == B_O3 ? 1 : season);
            int diurnal =
                p == B_O3 ? (hour >= 10 && hour <= 17 ? 20 + (int)(bench_rand() % 40) : 0) : 0;
            int noise = (int)(bench_rand() % (uint32_t)(level + 1));
            int value = level / 2 + noise + diurnal;
            if (bench_rand() % 50 == 0)
                h[t] = -1; /* missing */
            else
                h[t] = p == B_CO ? (int64_t)value / 100 * 100 : (int64_t)value * AQI_MILLI;
        }
    }
}

/* Baseline: the cheapest pass over the same values. */
static int64_t bench_scan(const int64_t *v)
{
    int64_t sum = 0;
    for (size_t i = 0; i < (size_t)B_COUNT * BENCH_HOURS; i++)
        sum += v[i];
    return sum;
}

struct bench_acc {
    int64_t aqi_sum;
    int published, withheld;
    int compliant;
    double composite, good_ratio;
};

static void bench_evaluate(const int64_t *v, const unsigned char month_of[BENCH_DAYS],
                           const unsigned char mday_of[BENCH_DAYS], struct bench_acc *acc)
{
    static int64_t daily[B_COUNT][366];
    static int64_t num[AQI_POLLUTANT_COUNT][BENCH_DAYS], den[AQI_POLLUTANT_COUNT][BENCH_DAYS];
    static struct aqi_headline head[BENCH_DAYS];
    int day_aqi[BENCH_DAYS];

    /* The daily values of each pollutant over the year, as the AQI inputs of each day. */
    const int64_t *hourly[AIRSTAT_POLLUTANT_COUNT];
    int64_t *dnum[AIRSTAT_POLLUTANT_COUNT], *dden[AIRSTAT_POLLUTANT_COUNT];
    for (int p = 0; p < B_COUNT; p++) {
        int slot = bench_aqi_slot[p];
        hourly[bench_stat[p]] = v + (size_t)p * BENCH_HOURS;
        dnum[bench_stat[p]] = num[slot];
        dden[bench_stat[p]] = den[slot];
    }
    if (airstat_daily_inputs_series(hourly, BENCH_DAYS, 160 * AQI_MILLI, dnum, dden) != 0)
        abort();
    /* The daily reports, one run of days per edition; the annual series holds the daily
     * values rounded as reported (integer, CO 0.1), which the reports give. */
    for (int d0 = 0, d1; d0 < BENCH_DAYS; d0 = d1) {
        enum aqi_standard std = aqi_standard_for_date(BENCH_YEAR, month_of[d0], mday_of[d0]);
        for (d1 = d0 + 1;
             d1 < BENCH_DAYS && aqi_standard_for_date(BENCH_YEAR, month_of[d1], mday_of[d1]) == std;
             d1++)
            ;
        struct aqi_day_series s = {0};
        for (int p = 0; p < B_COUNT; p++) {
            int slot = bench_aqi_slot[p];
            s.num[slot] = num[slot] + d0;
            s.den[slot] = den[slot] + d0;
            s.report[slot] = daily[p] + d0;
        }
        if (std == AQI_STD_2012) { /* 2012 daily: O3 daily maximum 1-hour value */
            if (airstat_daily_max_series(v + (size_t)B_O3 * BENCH_HOURS + (size_t)d0 * 24, d1 - d0,
                                         num[AQI_O3_1H] + d0, den[AQI_O3_1H] + d0) != 0)
                abort();
            s.num[AQI_O3_1H] = num[AQI_O3_1H] + d0;
            s.den[AQI_O3_1H] = den[AQI_O3_1H] + d0;
        }
        if (aqi_daily_series(std, &s, d1 - d0, head + d0) != 0)
            abort();
    }
    for (int d = 0; d < BENCH_DAYS; d++) {
        day_aqi[d] = head[d].published ? head[d].aqi : -1;
        acc->aqi_sum += head[d].aqi;
        acc->published += head[d].published;
        acc->withheld += !head[d].published;
    }

    struct airstat_year y = {.year = BENCH_YEAR};
    for (int p = 0; p < B_COUNT; p++)
        y.daily[bench_stat[p]] = daily[p];
    struct airstat_annual a;
    if (airstat_annual_eval(&y, airstat_limits_for_date(BENCH_YEAR, 12, 31), AIRSTAT_CLASS_II,
                            &a) != 0)
        abort();
    struct airstat_days g;
    airstat_good_days(day_aqi, BENCH_DAYS, &g);
    acc->compliant += a.compliant == 1;
    acc->composite += a.composite;
    acc->good_ratio += g.good_ratio;
}

int main(int argc, char **argv)
{
    long stations = BENCH_STATIONS;
    if (argc > 1) {
        char *end;
        stations = strtol(argv[1], &end, 10);
        if (*end || stations < 1 || stations > 100000) {
            fprintf(stderr, "usage: bench_aqi [stations 1..100000]\n");
            return 2;
        }
    }

    unsigned char month_of[BENCH_DAYS], mday_of[BENCH_DAYS];
    for (int m = 1, d = 0; m <= 12; m++)
        for (int i = 1; i <= airstat_days_in_month(BENCH_YEAR, m); i++, d++) {
            month_of[d] = (unsigned char)m;
            mday_of[d] = (unsigned char)i;
        }

    size_t per = (size_t)B_COUNT * BENCH_HOURS;
    int64_t *data = xmalloc((size_t)stations * per * sizeof *data);
    double t0 = bench_now();
    for (long s = 0; s < stations; s++)
        bench_generate(data + (size_t)s * per);
    double t_gen = bench_now() - t0;

    /* Baseline, then the evaluation, each over all stations; best of three rounds of each,
     * alternating, so that a busy neighbour on the machine hits both alike. */
    double t_scan = 1e9, t_eval = 1e9;
    int64_t checksum = 0;
    struct bench_acc acc = {0};
    for (int round = 0; round < BENCH_ROUNDS; round++) {
        t0 = bench_now();
        checksum = 0;
        for (long s = 0; s < stations; s++)
            checksum += bench_scan(data + (size_t)s * per);
        double t1 = bench_now();
        acc = (struct bench_acc){0};
        for (long s = 0; s < stations; s++)
            bench_evaluate(data + (size_t)s * per, month_of, mday_of, &acc);
        double t2 = bench_now();
        t_scan = t1 - t0 < t_scan ? t1 - t0 : t_scan;
        t_eval = t2 - t1 < t_eval ? t2 - t1 : t_eval;
    }

    double values = (double)stations * (double)per;
    double station_days = (double)stations * BENCH_DAYS;
    printf("bench_aqi: %ld stations x %d hours x %d pollutants = %.0f hourly values (%.0f MB), "
           "generated in %.2f s\n",
           stations, BENCH_HOURS, B_COUNT, values, values * 8 / 1e6, t_gen);
    printf("  bare scan (sum of the same values): %8.3f s  %7.1f M values/s  (checksum %lld)\n",
           t_scan, values / t_scan / 1e6, (long long)checksum);
    printf("  daily AQI + annual evaluation:      %8.3f s  %7.2f M station-days/s, "
           "%.0f ns per station-day\n",
           t_eval, station_days / t_eval / 1e6, t_eval / station_days * 1e9);
    printf("  ratio evaluation / bare scan: %.1fx\n", t_eval / t_scan);
    printf("  days published %d, withheld (2026 §5.3.1) %d, mean AQI %.1f, stations compliant "
           "%d, mean composite %.3f, mean good-day ratio %.1f %%\n",
           acc.published, acc.withheld, (double)acc.aqi_sum / station_days, acc.compliant,
           acc.composite / (double)stations, acc.good_ratio / (double)stations);
    free(data);
    return 0;
}
