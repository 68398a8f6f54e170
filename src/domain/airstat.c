/* airstat — validity, statistics and compliance of air data; see airstat.h. */
#include "domain/airstat.h"

#include <string.h>

#define AIRSTAT_VALUE_MAX (AQI_CONC_MAX_UNITS * AQI_MILLI)

/* ---- GB 3095 limit tables (units: µg/m³, CO mg/m³; -1 = no limit) ---- */

/* GB 3095-2012 Table 1 [secondary transcription, see the reference] and
 * GB 3095—2026 Table 1 (transition 2026-03-01..2030-12-31, final from 2031). */
static const int32_t airstat_limits_table[AIRSTAT_LIMITS_COUNT][AIRSTAT_CLASS_COUNT]
                                         [AIRSTAT_POLLUTANT_COUNT][AIRSTAT_PERIOD_COUNT] = {
                                             /*                      annual, daily, hourly, MDA8 */
                                             [AIRSTAT_GB3095_2012] =
                                                 {
                                                     [AIRSTAT_CLASS_I] =
                                                         {[AIRSTAT_SO2] = {20, 50, 150, -1},
                                                          [AIRSTAT_NO2] = {40, 80, 200, -1},
                                                          [AIRSTAT_CO] = {-1, 4, 10, -1},
                                                          [AIRSTAT_O3] = {-1, -1, 160, 100},
                                                          [AIRSTAT_PM10] = {40, 50, -1, -1},
                                                          [AIRSTAT_PM25] = {15, 35, -1, -1}},
                                                     [AIRSTAT_CLASS_II] =
                                                         {[AIRSTAT_SO2] = {60, 150, 500, -1},
                                                          [AIRSTAT_NO2] = {40, 80, 200, -1},
                                                          [AIRSTAT_CO] = {-1, 4, 10, -1},
                                                          [AIRSTAT_O3] = {-1, -1, 200, 160},
                                                          [AIRSTAT_PM10] = {70, 150, -1, -1},
                                                          [AIRSTAT_PM25] = {35, 75, -1, -1}},
                                                 },
                                             [AIRSTAT_GB3095_2026_TRANSITION] =
                                                 {
                                                     [AIRSTAT_CLASS_I] =
                                                         {
                                                             [AIRSTAT_SO2] = {20, 50, 150, -1},
                                                             [AIRSTAT_NO2] = {40, 80, 200, -1},
                                                             [AIRSTAT_CO] = {-1, 4, 10, -1},
                                                             [AIRSTAT_O3] = {-1, -1, 160, 100},
                                                             [AIRSTAT_PM10] = {40, 50, -1, -1},
                                                             [AIRSTAT_PM25] = {15, 35, -1, -1}},
                                                     [AIRSTAT_CLASS_II] =
                                                         {[AIRSTAT_SO2] = {60, 150, 500, -1},
                                                          [AIRSTAT_NO2] = {40, 80, 200, -1},
                                                          [AIRSTAT_CO] = {-1, 4, 10, -1},
                                                          [AIRSTAT_O3] = {-1, -1, 200, 160},
                                                          [AIRSTAT_PM10] = {60, 120, -1, -1},
                                                          [AIRSTAT_PM25] = {30, 60, -1, -1}},
                                                 },
                                             [AIRSTAT_GB3095_2026_FINAL] =
                                                 {
                                                     [AIRSTAT_CLASS_I] =
                                                         {
                                                             [AIRSTAT_SO2] = {20, 50, 150, -1},
                                                             [AIRSTAT_NO2] = {30, 50, 200, -1},
                                                             [AIRSTAT_CO] = {-1, 4, 10, -1},
                                                             [AIRSTAT_O3] = {-1, -1, 160, 100},
                                                             [AIRSTAT_PM10] = {20, 50, -1, -1},
                                                             [AIRSTAT_PM25] = {10, 25, -1, -1}},
                                                     [AIRSTAT_CLASS_II] =
                                                         {[AIRSTAT_SO2] = {20, 50, 150, -1},
                                                          [AIRSTAT_NO2] = {30, 50, 200, -1},
                                                          [AIRSTAT_CO] = {-1, 4, 10, -1},
                                                          [AIRSTAT_O3] = {-1, -1, 200, 160},
                                                          [AIRSTAT_PM10] = {50, 100, -1, -1},
                                                          [AIRSTAT_PM25] = {25, 50, -1, -1}},
                                                 },
};

/* HJ 663 annual statistics: the percentile of the daily values per item, and
 * the period whose limit it is compared with. */
static const struct {
    int percentile;
    enum airstat_period daily_period;
    bool has_annual_mean;
} airstat_items[AIRSTAT_POLLUTANT_COUNT] = {
    [AIRSTAT_SO2] = {98, AIRSTAT_DAILY, true},  [AIRSTAT_NO2] = {98, AIRSTAT_DAILY, true},
    [AIRSTAT_CO] = {95, AIRSTAT_DAILY, false},  [AIRSTAT_O3] = {90, AIRSTAT_MDA8, false},
    [AIRSTAT_PM10] = {95, AIRSTAT_DAILY, true}, [AIRSTAT_PM25] = {95, AIRSTAT_DAILY, true},
};

/* ---- helpers ---- */

static bool airstat_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int airstat_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (month < 1 || month > 12)
        return 0;
    return month == 2 && airstat_leap(year) ? 29 : days[month - 1];
}

int airstat_month_min_days(int month)
{
    return month == 2 ? AIRSTAT_FEB_MIN_DAYS : AIRSTAT_MONTH_MIN_DAYS;
}

bool airstat_hour_valid(int minutes)
{
    return minutes >= AIRSTAT_HOUR_MIN_MINUTES;
}

/* ---- means ---- */

/* Two int64 lanes (GCC/Clang vector extension: SSE2 on x86-64, plain code elsewhere). */
typedef int64_t airstat_v2 __attribute__((vector_size(16)));
typedef uint64_t airstat_u2 __attribute__((vector_size(16)));

/* Every value within the bound is below 2^30: a value with a higher bit set is not. */
#define AIRSTAT_HIGH_BITS (~(int64_t)((1 << 30) - 1))
_Static_assert(AIRSTAT_VALUE_MAX < (1 << 30), "the bound fits in 30 bits");

/* Sum and count of the non-negative values of v[0..n); -1 if one exceeds
 * AIRSTAT_VALUE_MAX. Branch-free and two values per step: a value's sign spread over its
 * lane (x >> 63) masks it out of the sum and counts it as missing. The bound needs no
 * test per value: the OR of the values has a bit from 2^30 up when one is that large (so
 * the sum, in unsigned lanes, cannot have wrapped when it has none), and all values are
 * within the bound when their sum is; only a day failing either (never seen in real data)
 * pays for the exact check. */
static inline __attribute__((always_inline)) int airstat_sum_valid(const int64_t *v, int n,
                                                                   int64_t *sum_out, int *k_out)
{
    airstat_u2 sum = {0, 0};
    airstat_v2 miss = {0, 0}, high = {0, 0};
    int i = 0;
    for (; i + 2 <= n; i += 2) {
        airstat_v2 x;
        memcpy(&x, v + i, sizeof x);
        airstat_v2 m = x >> 63, c = x & ~m;
        sum += (airstat_u2)c;
        high |= c;
        miss -= m;
    }
    uint64_t s = sum[0] + sum[1];
    int64_t missing = miss[0] + miss[1], h = high[0] | high[1];
    for (; i < n; i++) {
        int64_t m = v[i] >> 63, c = v[i] & ~m;
        s += (uint64_t)c;
        h |= c;
        missing -= m;
    }
    if ((h & AIRSTAT_HIGH_BITS) || s > AIRSTAT_VALUE_MAX)
        for (i = 0; i < n; i++)
            if (v[i] > AIRSTAT_VALUE_MAX)
                return -1;
    *sum_out = (int64_t)s;
    *k_out = n - (int)missing;
    return 0;
}

/* Sets out->value to num/den with one 16-byte store: callers copy the value as a whole,
 * and a 16-byte load of what two 8-byte stores wrote cannot be forwarded from the store
 * buffer (a stall of about a dozen cycles on every daily value). */
static void airstat_set_value(struct airstat_value *out, int64_t num, int64_t den)
{
    airstat_v2 v = {num, den};
    memcpy(&out->value, &v, sizeof v);
}

int airstat_mean(const int64_t *v, int n, int need, struct airstat_value *out)
{
    int64_t sum;
    int k;

    if (n < 0 || need < 0 || (n > 0 && !v) || airstat_sum_valid(v, n, &sum, &k) != 0)
        return -1;
    airstat_set_value(out, k ? sum : 0, k);
    out->n = k;
    out->need = need;
    out->valid = k > 0 && k >= need;
    return 0;
}

int airstat_daily_mean(const int64_t hourly[24], struct airstat_value *out)
{
    return airstat_mean(hourly, 24, AIRSTAT_DAY_MIN_HOURS, out);
}

int airstat_o3_8h(const int64_t *hourly, int n, int t, struct airstat_value *out)
{
    if (t < 0 || t >= n)
        return -1;
    int first = t - 7 < 0 ? 0 : t - 7;
    return airstat_mean(hourly + first, t - first + 1, AIRSTAT_O3_8H_MIN_HOURS, out);
}

/* The largest 8-hour window of a day with at least one hour missing: prefix sums of the
 * valid values and of the valid-hour count make window start..start+7 (all inside the
 * day: the last one is 16..23) sum[start+8] - sum[start]. The first of equal maxima is
 * kept (a later window replaces it only when strictly larger, as a scan in window order
 * does), whatever its count.
 * A valid window has 6, 7 or 8 hours, so its mean times 168 (their least common multiple)
 * is the integer wn * (168 / wd): windows compare exactly without a division or a product
 * of two sums. That figure times 32 plus (31 - start) is one key whose maximum is the
 * largest mean and, among equal means, the first window; the loop is a running maximum
 * with no dependence on which window led so far. */
static int airstat_mda8_gaps(const int64_t clean[24], const int64_t hourly[24], int64_t *bn_out,
                             int64_t *bd_out)
{
    static const int64_t per_168[9] = {0, 0, 0, 0, 0, 0, 168 / 6, 168 / 7, 168 / 8};
    int64_t sum[25];
    int cnt[25];
    sum[0] = 0;
    cnt[0] = 0;
    for (int h = 0; h < 24; h++) {
        sum[h + 1] = sum[h] + clean[h];
        cnt[h + 1] = cnt[h] + (hourly[h] >= 0);
    }
    /* wn <= 8 * 10^9 (values within the bound): wn * 28 * 32 + 31 < 2^43 */
    int64_t best = -1;
    int windows = 0;
    for (int start = 0; start < AIRSTAT_MDA8_WINDOWS; start++) {
        int64_t wn = sum[start + 8] - sum[start];
        int wd = cnt[start + 8] - cnt[start];
        int ok = wd >= AIRSTAT_O3_8H_MIN_HOURS;
        int64_t key = ok ? (wn * per_168[wd]) * 32 + (31 - start) : -1;
        windows += ok;
        best = key > best ? key : best;
    }
    if (best < 0) {
        *bn_out = 0;
        *bd_out = 0;
        return windows;
    }
    int start = 31 - (int)(best & 31);
    *bn_out = sum[start + 8] - sum[start];
    *bd_out = cnt[start + 8] - cnt[start];
    return windows;
}

/* The MDA8 of one day: the largest window bn / bd (bd 0 when no window is valid) and the
 * number of valid windows; -1 when a value is above the bound. */
static inline int airstat_mda8_day(const int64_t hourly[24], int64_t *bn_out, int64_t *bd_out)
{
    /* Whether an hour is missing (a sign bit in the OR of all values) and the total, two
     * lanes at a time; the values are only copied, missing hours as 0, for a day with gaps. */
    airstat_v2 any = {0, 0};
    airstat_u2 total = {0, 0};
    for (int h = 0; h < 24; h += 2) {
        airstat_v2 x;
        memcpy(&x, hourly + h, sizeof x);
        any |= x;
        total += (airstat_u2)x;
    }
    int64_t bits = any[0] | any[1];
    if (bits < 0) {
        int64_t clean[24], high = 0;
        uint64_t sum = 0;
        for (int h = 0; h < 24; h++) {
            clean[h] = hourly[h] & ~(hourly[h] >> 63);
            sum += (uint64_t)clean[h];
            high |= clean[h];
        }
        if ((high & AIRSTAT_HIGH_BITS) || sum > AIRSTAT_VALUE_MAX)
            for (int h = 0; h < 24; h++)
                if (hourly[h] > AIRSTAT_VALUE_MAX)
                    return -1;
        return airstat_mda8_gaps(clean, hourly, bn_out, bd_out);
    }
    /* As in airstat_sum_valid: no high bit, so the total has not wrapped, and values are
     * non-negative, so none is above the bound when their total is not. */
    if ((bits & AIRSTAT_HIGH_BITS) || total[0] + total[1] > AIRSTAT_VALUE_MAX)
        for (int h = 0; h < 24; h++)
            if (hourly[h] > AIRSTAT_VALUE_MAX)
                return -1;
    /* Every hour present (most days): all 17 windows have 8 hours, so the sums compare
     * directly; a running sum adds the hour entering and drops the hour leaving. */
    int64_t w = 0;
    for (int h = 0; h < 8; h++)
        w += hourly[h];
    int64_t bn = w;
    for (int start = 1; start < AIRSTAT_MDA8_WINDOWS; start++) {
        w += hourly[start + 7] - hourly[start - 1];
        bn = w > bn ? w : bn;
    }
    *bn_out = bn;
    *bd_out = 8;
    return AIRSTAT_MDA8_WINDOWS;
}

/* HJ 663: fewer valid windows still count when the maximum exceeds the limit. */
static inline bool airstat_mda8_valid(int windows, int64_t bn, int64_t bd, int64_t limit)
{
    return windows >= AIRSTAT_MDA8_MIN_WINDOWS || (bd && limit >= 0 && bn > limit * bd);
}

int airstat_mda8(const int64_t hourly[24], int64_t limit, struct airstat_value *out)
{
    int64_t bn, bd;
    int windows = airstat_mda8_day(hourly, &bn, &bd);
    if (windows < 0)
        return -1;
    airstat_set_value(out, bn, bd);
    out->n = windows;
    out->need = AIRSTAT_MDA8_MIN_WINDOWS;
    out->valid = airstat_mda8_valid(windows, bn, bd, limit);
    return 0;
}

/* ---- series of days (the AQI inputs of many days) ---- */

__attribute__((target_clones("avx2", "default"))) int
airstat_daily_mean_series(const int64_t *hourly, int days, int64_t *num, int64_t *den)
{
    if (days < 0 || (days > 0 && (!hourly || !num || !den)))
        return -1;
    for (int d = 0; d < days; d++) {
        int64_t sum;
        int k;
        if (airstat_sum_valid(hourly + (size_t)d * 24, 24, &sum, &k) != 0)
            return -1;
        bool valid = k >= AIRSTAT_DAY_MIN_HOURS; /* the need is > 0, so k > 0 */
        num[d] = valid ? sum : 0;
        den[d] = valid ? k : 0;
    }
    return 0;
}

__attribute__((target_clones("avx2", "default"))) int
airstat_mda8_series(const int64_t *hourly, int days, int64_t limit, int64_t *num, int64_t *den)
{
    if (days < 0 || (days > 0 && (!hourly || !num || !den)))
        return -1;
    for (int d = 0; d < days; d++) {
        int64_t bn, bd;
        int windows = airstat_mda8_day(hourly + (size_t)d * 24, &bn, &bd);
        if (windows < 0)
            return -1;
        bool valid = airstat_mda8_valid(windows, bn, bd, limit);
        num[d] = valid ? bn : 0;
        den[d] = valid ? bd : 0;
    }
    return 0;
}

int airstat_daily_max_series(const int64_t *hourly, int days, int64_t *num, int64_t *den)
{
    if (days < 0 || (days > 0 && (!hourly || !num || !den)))
        return -1;
    for (int d = 0; d < days; d++) {
        const int64_t *h = hourly + (size_t)d * 24;
        int64_t mx = -1, my = -1; /* two chains of compares, not one of 24 */
        for (int i = 0; i < 24; i += 2) {
            mx = h[i] > mx ? h[i] : mx;
            my = h[i + 1] > my ? h[i + 1] : my;
        }
        mx = my > mx ? my : mx;
        if (mx > AIRSTAT_VALUE_MAX)
            return -1;
        num[d] = mx >= 0 ? mx : 0;
        den[d] = mx >= 0;
    }
    return 0;
}

int airstat_monthly_mean(const int64_t *daily, int year, int month, struct airstat_value *out)
{
    int days = airstat_days_in_month(year, month);

    if (!days)
        return -1;
    return airstat_mean(daily, days, airstat_month_min_days(month), out);
}

/* Valid days per month; returns the bad-month mask. */
static unsigned airstat_month_cover(const int64_t *daily, int year, int *total)
{
    unsigned bad = 0;
    int day = 0;

    *total = 0;
    for (int m = 1; m <= 12; m++) {
        int k = 0, dim = airstat_days_in_month(year, m);
        for (int i = 0; i < dim; i++, day++)
            k += daily[day] >= 0;
        if (k < airstat_month_min_days(m))
            bad |= 1u << (m - 1);
        *total += k;
    }
    return bad;
}

int airstat_annual_mean(const int64_t *daily, int year, struct airstat_value *out,
                        unsigned *bad_months)
{
    int ndays = airstat_leap(year) ? 366 : 365, total;

    if (!daily || airstat_mean(daily, ndays, AIRSTAT_YEAR_MIN_DAYS, out) != 0)
        return -1;
    unsigned bad = airstat_month_cover(daily, year, &total);
    out->valid = out->valid && !bad;
    if (bad_months)
        *bad_months = bad;
    return 0;
}

/* ---- percentile (HJ 663) ---- */

/* Moves the element of rank r (0-based, ascending) of v[0..n) to v[r], smaller or equal
 * ones before it, larger or equal ones after it (quickselect). The partition is the
 * branch-free Lomuto form: every element costs a swap and a compare whatever its value, so
 * nothing depends on guessing branches on random data. The pivot is the median of three. */
static void airstat_select(int64_t *v, int n, int r)
{
    int lo = 0, hi = n - 1;
    while (hi > lo) {
        int mid = lo + (hi - lo) / 2;
        int64_t a = v[lo], b = v[mid], c = v[hi];
        int pi;
        if ((a < b) != (a < c))
            pi = lo;
        else if ((b < a) != (b < c))
            pi = mid;
        else
            pi = hi;
        int64_t pivot = v[pi];
        v[pi] = v[hi];
        v[hi] = pivot;
        int store = lo;
        for (int i = lo; i < hi; i++) {
            int64_t x = v[i];
            v[i] = v[store];
            v[store] = x;
            store += x < pivot;
        }
        v[hi] = v[store];
        v[store] = pivot;
        if (store == r)
            return;
        if (store < r)
            lo = store + 1;
        else
            hi = store - 1;
    }
}

int airstat_percentile(int64_t *v, int n, int p, struct aqi_conc *out)
{
    int m = 0;

    if (n < 0 || p < 0 || p > 100 || (n > 0 && !v))
        return -1;
    /* Valid values to the front. */
    for (int i = 0; i < n; i++) {
        if (v[i] < 0)
            continue;
        int64_t t = v[m];
        v[m++] = v[i];
        v[i] = t;
    }
    if (m == 0) {
        *out = (struct aqi_conc){0, 0};
        return 0;
    }
    /* k = 1 + (m-1)p/100: s = 1 + q, k - s = r/100 (1-based X). Only X(s) and X(s+1) are
     * needed: select rank q, then X(s+1) is the smallest of what lies above it. Ties give the
     * same values as a full sort because an order statistic is a value, not a position. */
    int64_t q = (int64_t)(m - 1) * p / 100, r = (int64_t)(m - 1) * p % 100;
    airstat_select(v, m, (int)q);
    int64_t xs = v[q];
    if (r == 0) {
        *out = (struct aqi_conc){xs, 1};
        return m;
    }
    int64_t next = v[q + 1];
    for (int i = (int)q + 2; i < m; i++)
        next = v[i] < next ? v[i] : next;
    *out = (struct aqi_conc){100 * xs + r * (next - xs), 100};
    return m;
}

int airstat_percentile_for(enum airstat_pollutant p)
{
    return (unsigned)p < AIRSTAT_POLLUTANT_COUNT ? airstat_items[p].percentile : -1;
}

/* ---- limits, compliance ---- */

int64_t airstat_limit(enum airstat_limits lim, enum airstat_class cls, enum airstat_pollutant p,
                      enum airstat_period period)
{
    if ((unsigned)lim >= AIRSTAT_LIMITS_COUNT || (unsigned)cls >= AIRSTAT_CLASS_COUNT ||
        (unsigned)p >= AIRSTAT_POLLUTANT_COUNT || (unsigned)period >= AIRSTAT_PERIOD_COUNT)
        return -1;
    int32_t v = airstat_limits_table[lim][cls][p][period];
    return v < 0 ? -1 : (int64_t)v * AQI_MILLI;
}

enum airstat_limits airstat_limits_for_date(int y, int m, int d)
{
    long key = (long)y * 10000 + m * 100 + d;

    if (key < 20260301L)
        return AIRSTAT_GB3095_2012;
    return key < 20310101L ? AIRSTAT_GB3095_2026_TRANSITION : AIRSTAT_GB3095_2026_FINAL;
}

static enum aqi_pollutant airstat_aqi_pollutant(enum airstat_pollutant p)
{
    return p == AIRSTAT_CO ? AQI_CO : AQI_PM25; /* only the decimals matter */
}

static int64_t airstat_report(const struct airstat_value *v, enum airstat_pollutant p)
{
    if (v->value.den == 0)
        return -1;
    return aqi_conc_round(v->value, aqi_report_decimals(airstat_aqi_pollutant(p)));
}

/* 1 meets, 0 exceeds, -1 cannot say, for one figure against one limit. */
static int airstat_judge(int64_t report, bool valid, int64_t limit)
{
    if (limit < 0 || report < 0)
        return -1;
    if (report > limit)
        return 0;
    return valid ? 1 : -1;
}

static int airstat_and(int a, int b)
{
    if (a == 0 || b == 0)
        return 0;
    return a == 1 && b == 1 ? 1 : -1;
}

static int airstat_item_eval(const int64_t *daily, int year, enum airstat_pollutant p,
                             enum airstat_limits lim, enum airstat_class cls,
                             struct airstat_item *it)
{
    int64_t scratch[366];
    int ndays = airstat_leap(year) ? 366 : 365;

    *it = (struct airstat_item){.percentile = airstat_items[p].percentile,
                                .mean_report = -1,
                                .pct_report = -1,
                                .limit_annual = airstat_limit(lim, cls, p, AIRSTAT_ANNUAL),
                                .limit_daily =
                                    airstat_limit(lim, cls, p, airstat_items[p].daily_period),
                                .compliant = -1};
    if (!daily)
        return 0;
    it->monitored = true;

    struct airstat_value cover;
    if (airstat_annual_mean(daily, year, &cover, &it->bad_months) != 0)
        return -1;
    if (airstat_items[p].has_annual_mean) {
        it->mean = cover;
        it->mean_report = airstat_report(&it->mean, p);
    }

    for (int i = 0; i < ndays; i++)
        scratch[i] = daily[i];
    int m = airstat_percentile(scratch, ndays, it->percentile, &it->pct.value);
    it->pct.n = m;
    it->pct.need = AIRSTAT_YEAR_MIN_DAYS;
    it->pct.valid = cover.valid; /* same completeness rule as the annual mean */
    it->pct_report = airstat_report(&it->pct, p);

    int daily_ok = airstat_judge(it->pct_report, it->pct.valid, it->limit_daily);
    if (airstat_items[p].has_annual_mean)
        daily_ok =
            airstat_and(daily_ok, airstat_judge(it->mean_report, it->mean.valid, it->limit_annual));
    it->compliant = daily_ok;
    return 0;
}

int airstat_annual_eval(const struct airstat_year *y, enum airstat_limits lim,
                        enum airstat_class cls, struct airstat_annual *out)
{
    if (!y || !out || y->year < 1 || (unsigned)lim >= AIRSTAT_LIMITS_COUNT ||
        (unsigned)cls >= AIRSTAT_CLASS_COUNT)
        return -1;
    *out = (struct airstat_annual){.limits = lim, .cls = cls, .compliant = 1};

    int64_t c[AIRSTAT_POLLUTANT_COUNT];
    for (int p = 0; p < AIRSTAT_POLLUTANT_COUNT; p++) {
        struct airstat_item *it = &out->item[p];
        if (airstat_item_eval(y->daily[p], y->year, (enum airstat_pollutant)p, lim, cls, it) != 0)
            return -1;
        out->compliant = airstat_and(out->compliant, it->compliant);
        c[p] = airstat_items[p].has_annual_mean ? it->mean_report : it->pct_report;
    }
    out->composite = airstat_composite(c, lim, out->index);
    out->composite_complete = true;
    for (int p = 0; p < AIRSTAT_POLLUTANT_COUNT; p++)
        out->composite_complete = out->composite_complete && c[p] >= 0;
    return 0;
}

double airstat_composite(const int64_t c[AIRSTAT_POLLUTANT_COUNT], enum airstat_limits lim,
                         double idx[AIRSTAT_POLLUTANT_COUNT])
{
    double sum = 0;

    for (int p = 0; p < AIRSTAT_POLLUTANT_COUNT; p++) {
        enum airstat_period period =
            airstat_items[p].has_annual_mean ? AIRSTAT_ANNUAL : airstat_items[p].daily_period;
        int64_t s = airstat_limit(lim, AIRSTAT_CLASS_II, (enum airstat_pollutant)p, period);
        double part = c[p] >= 0 && s > 0 ? (double)c[p] / (double)s : 0.0;
        if (idx)
            idx[p] = part;
        sum += part;
    }
    return sum;
}

void airstat_good_days(const int *aqi, int n, struct airstat_days *out)
{
    *out = (struct airstat_days){0};
    for (int i = 0; i < n; i++) {
        if (aqi[i] < 0)
            continue;
        int level = aqi_level(aqi[i]);
        out->valid++;
        out->level[level]++;
        out->good += aqi[i] <= 100;
        out->heavy += aqi[i] > 200;
    }
    out->good_ratio = out->valid ? 100.0 * out->good / out->valid : 0.0;
}
