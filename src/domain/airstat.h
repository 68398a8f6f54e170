/* airstat — statistics of ambient air data with their validity: daily means,
 * O3 8-hour means and the daily maximum 8-hour mean, monthly and annual means,
 * the HJ 663 percentile of daily values, compliance with GB 3095-2012 and
 * GB 3095—2026 (transition and final limits, class I and II), the good-day
 * ratio and the composite index.
 *
 * Owns: the validity thresholds (GB 3095 Table 4), the limit tables and the
 * HJ 663 statistics. Every figure carries its completeness (n, need, valid):
 * a figure that fails validity is computed and labelled, never hidden.
 *
 * Must not: do I/O, allocate, or read the clock. Arrays are the caller's.
 *
 * Values are int64 in 1/AQI_MILLI units (µg/m³; CO mg/m³) as in aqi.h; a
 * negative value is missing. Means are exact rationals (struct aqi_conc). */
#ifndef ECOGOV_AIRSTAT_H
#define ECOGOV_AIRSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/aqi.h"

/* GB 3095 Table 4 (2012 and 2026) and HJ 663-2013 (MDA8). */
#define AIRSTAT_HOUR_MIN_MINUTES 45 /* 1-hour mean: >= 45 min of sampling */
#define AIRSTAT_DAY_MIN_HOURS 20    /* daily mean: >= 20 hourly means */
#define AIRSTAT_O3_8H_MIN_HOURS 6   /* 8-hour mean: >= 6 of the 8 hours */
#define AIRSTAT_MDA8_WINDOWS 17     /* 8-hour windows starting 00..16 h */
#define AIRSTAT_MDA8_MIN_WINDOWS 14 /* valid windows for a valid MDA8 */
#define AIRSTAT_MONTH_MIN_DAYS 27   /* monthly / per month of a year */
#define AIRSTAT_FEB_MIN_DAYS 25
#define AIRSTAT_YEAR_MIN_DAYS 324 /* annual mean */

/* The six basic items of GB 3095 Table 1. */
enum airstat_pollutant {
    AIRSTAT_SO2,
    AIRSTAT_NO2,
    AIRSTAT_CO,
    AIRSTAT_O3, /* daily series = MDA8 */
    AIRSTAT_PM10,
    AIRSTAT_PM25,
    AIRSTAT_POLLUTANT_COUNT
};

/* Averaging periods of the limit table. */
enum airstat_period {
    AIRSTAT_ANNUAL,
    AIRSTAT_DAILY, /* 24 h / 日平均 */
    AIRSTAT_HOURLY,
    AIRSTAT_MDA8, /* O3 日最大 8 小时平均 */
    AIRSTAT_PERIOD_COUNT
};

/* Which limit table applies (choose with airstat_limits_for_date). */
enum airstat_limits {
    AIRSTAT_GB3095_2012,            /* before 2026-03-01 */
    AIRSTAT_GB3095_2026_TRANSITION, /* 2026-03-01 .. 2030-12-31 */
    AIRSTAT_GB3095_2026_FINAL,      /* from 2031-01-01 */
    AIRSTAT_LIMITS_COUNT
};

enum airstat_class {
    AIRSTAT_CLASS_I,  /* 一类区: parks, nature reserves, special protection */
    AIRSTAT_CLASS_II, /* 二类区: everything else */
    AIRSTAT_CLASS_COUNT
};

/* A statistic and its completeness. */
struct airstat_value {
    struct aqi_conc value; /* exact; den == 0 when there was nothing to compute */
    int n;                 /* values (hours, windows, days) that were valid */
    int need;              /* minimum n for a valid statistic */
    bool valid;            /* n >= need (or an exception the rule allows) */
};

/* True when an hour with `minutes` of sampling gives a valid 1-hour mean. */
bool airstat_hour_valid(int minutes);

/* Mean of the non-negative values of v[0..n), valid when at least `need`.
 * Returns 0, or -1 if n or need is negative or a value exceeds
 * AQI_CONC_MAX_UNITS (out untouched). */
int airstat_mean(const int64_t *v, int n, int need, struct airstat_value *out);

/* Daily mean of the 24 hourly means of a natural day (>= 20 valid). */
int airstat_daily_mean(const int64_t hourly[24], struct airstat_value *out);

/* O3 8-hour mean ending at hour t of hourly[0..n): hours t-7..t (those before
 * 0 count as missing); valid with >= 6 hourly values. Returns -1 if t >= n. */
int airstat_o3_8h(const int64_t *hourly, int n, int t, struct airstat_value *out);

/* Daily maximum 8-hour mean (HJ 663-2013): the largest of the 17 8-hour
 * means starting at 00..16 h of the day (hours labelled by their start), each
 * needing >= 6 hours; the day is valid with >= 14 valid windows, or with fewer
 * if the maximum exceeds limit (milli units; pass the 160 µg/m³ grade-II
 * limit, 160000, or a negative value for no exception). out->n counts valid
 * windows. The same rule is used for 2026 data until HJ 663—2026 says
 * otherwise (docs/aqi.md). */
int airstat_mda8(const int64_t hourly[24], int64_t limit, struct airstat_value *out);

/* The same daily values over `days` consecutive natural days of one hourly series
 * (hourly[24 d .. 24 d + 23] is day d), written as the AQI inputs of those days:
 * num[d] / den[d] is the day's value when it is valid, den[d] = 0 (missing) when it is not.
 * airstat_daily_mean_series: airstat_daily_mean; airstat_mda8_series: airstat_mda8 with
 * `limit`; airstat_daily_max_series: the largest valid hourly value, den 1 (the 2012 daily
 * O3 1-hour input), missing when no hour is valid. Return 0, or -1 for days < 0, a NULL
 * array, or a value above AQI_CONC_MAX_UNITS (num, den then unspecified). */
int airstat_daily_mean_series(const int64_t *hourly, int days, int64_t *num, int64_t *den);
int airstat_mda8_series(const int64_t *hourly, int days, int64_t limit, int64_t *num, int64_t *den);
int airstat_daily_max_series(const int64_t *hourly, int days, int64_t *num, int64_t *den);

/* The same for several items in one pass over the days (every item's hours of a day
 * together, which is faster than one series after the other): for each item p with
 * hourly[p] != NULL, num[p] / den[p] get what airstat_mda8_series (p == AIRSTAT_O3, with
 * mda8_limit) or airstat_daily_mean_series (any other p) would give for hourly[p]; items with
 * hourly[p] == NULL are skipped (their num, den untouched). Returns 0, or -1 for days < 0, a
 * NULL array, or a value above AQI_CONC_MAX_UNITS in any item (num, den then unspecified). */
int airstat_daily_inputs_series(const int64_t *const hourly[AIRSTAT_POLLUTANT_COUNT], int days,
                                int64_t mda8_limit, int64_t *const num[AIRSTAT_POLLUTANT_COUNT],
                                int64_t *const den[AIRSTAT_POLLUTANT_COUNT]);

/* Minimum valid days for month 1..12 (27; February 25). */
int airstat_month_min_days(int month);

/* Days in month 1..12 of year (Gregorian), 0 when out of range. */
int airstat_days_in_month(int year, int month);

/* Monthly mean of daily[0..days_in_month). */
int airstat_monthly_mean(const int64_t *daily, int year, int month, struct airstat_value *out);

/* Annual mean of daily[0..365 or 366): valid with >= 324 valid days and
 * >= 27 in every month (February >= 25). *bad_months (may be NULL) gets a
 * bit (1 << (month - 1)) for every month short of its minimum. */
int airstat_annual_mean(const int64_t *daily, int year, struct airstat_value *out,
                        unsigned *bad_months);

/* HJ 663 percentile p (0..100) of the non-negative values of v[0..n):
 * sorted X(1) <= ... <= X(m); k = 1 + (m - 1) p / 100; s = floor(k);
 * result X(s) + (X(s+1) - X(s)) (k - s), exact (den 100 at most). Reorders
 * v in place: the m valid values first, in no particular order (only X(s) and
 * X(s+1) are selected, not the whole series sorted). *out den == 0 when m == 0.
 * Returns the number m of valid values, or -1 for a bad p or n. */
int airstat_percentile(int64_t *v, int n, int p, struct aqi_conc *out);

/* The percentile HJ 663 uses for each item's daily values: SO2, NO2 98;
 * CO, PM10, PM2.5 95; O3 (MDA8) 90. */
int airstat_percentile_for(enum airstat_pollutant p);

/* Limit in 1/AQI_MILLI units, or -1 when the table has none (e.g. CO annual). */
int64_t airstat_limit(enum airstat_limits lim, enum airstat_class cls, enum airstat_pollutant p,
                      enum airstat_period period);

/* The limit table for data dated y-m-d. */
enum airstat_limits airstat_limits_for_date(int y, int m, int d);

/* One year of daily values for one station or city. daily[p] has 365/366
 * entries (negative = missing); O3 holds the MDA8. NULL = not monitored. */
struct airstat_year {
    int year;
    const int64_t *daily[AIRSTAT_POLLUTANT_COUNT];
};

struct airstat_item {
    bool monitored;
    struct airstat_value mean; /* annual mean; den == 0 for CO and O3 (no annual limit) */
    struct airstat_value pct;  /* percentile of daily values; validity as the annual mean */
    int percentile;            /* 98, 95 or 90 */
    int64_t mean_report;       /* mean rounded (integer; CO 0.1) in milli, -1 if none */
    int64_t pct_report;        /* percentile rounded likewise, -1 if none */
    int64_t limit_annual;      /* milli, -1 if none */
    int64_t limit_daily;       /* milli: 24 h limit, or the MDA8 limit for O3 */
    unsigned bad_months;       /* months short of their minimum */
    /* 1 meets the limits; 0 exceeds one (even if the figure is incomplete);
     * -1 cannot say (a figure within the limit is incomplete, or no data). */
    int compliant;
};

struct airstat_annual {
    enum airstat_limits limits;
    enum airstat_class cls;
    struct airstat_item item[AIRSTAT_POLLUTANT_COUNT];
    int compliant; /* 1 every item meets; 0 some item exceeds; -1 otherwise */
    /* Composite index (综合指数) over the six items and its parts; valid only
     * when every part is present. */
    double index[AIRSTAT_POLLUTANT_COUNT];
    double composite;
    bool composite_complete;
};

/* Annual evaluation per HJ 663: per item the annual mean (SO2, NO2, PM10,
 * PM2.5) and the percentile of daily values, rounded, compared with the
 * limits of `lim` for class `cls`; overall compliance; composite index.
 * Returns 0, or -1 for bad arguments or values. */
int airstat_annual_eval(const struct airstat_year *y, enum airstat_limits lim,
                        enum airstat_class cls, struct airstat_annual *out);

/* Composite index I = sum C_i / S_i: SO2, NO2, PM10, PM2.5 period means over
 * the grade-II annual limits of lim; CO daily p95 over the 24 h limit; O3 MDA8
 * p90 over the MDA8 grade-II limit (环办监测〔2018〕19号). c[] in milli, a
 * negative entry is skipped. idx (may be NULL) gets each part. Returns the
 * sum (display it with two decimals; it never decides a category). */
double airstat_composite(const int64_t c[AIRSTAT_POLLUTANT_COUNT], enum airstat_limits lim,
                         double idx[AIRSTAT_POLLUTANT_COUNT]);

/* Day counts by AQI level over a period. */
struct airstat_days {
    int valid;         /* days with a published AQI */
    int level[7];      /* level[1..6] */
    int good;          /* 优良: AQI <= 100 */
    int heavy;         /* 重污染 and worse: AQI > 200 */
    double good_ratio; /* good / valid * 100, 0 when valid == 0 */
};

/* Good-day ratio (优良天数比例) of daily AQIs aqi[0..n); a negative entry
 * is a day without a published AQI and is left out. */
void airstat_good_days(const int *aqi, int n, struct airstat_days *out);

#endif
