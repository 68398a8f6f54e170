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

/* ---- one day of hours, packed: daily means and MDA8 ---- */

/* Four int64 lanes: one register in the AVX2 and x86-64-v4 (AVX-512: 64-bit multiplies and
 * compares into mask registers) clones, two SSE2 halves otherwise. */
typedef int64_t airstat_v4 __attribute__((vector_size(32)));
typedef uint64_t airstat_u4 __attribute__((vector_size(32)));

/* A packed hour is its value plus 2^40 when present (non-negative) and 0 when missing, so a
 * sum of packed hours holds both the sum of the valid values (low 40 bits: 24 values below
 * 2^30 stay under 2^35) and how many there are (bits 40 up): one addition per hour and one
 * horizontal sum per day, for the count as well. Packing is (x + 2^40) & ~(x >> 63): the sign
 * of a missing hour spread over its lane (a compare with AVX2, a shift and a shuffle with
 * SSE2) masks it. */
#define AIRSTAT_COUNT_SHIFT 40
#define AIRSTAT_COUNT_ONE ((uint64_t)1 << AIRSTAT_COUNT_SHIFT)
#define AIRSTAT_SUM_MASK (AIRSTAT_COUNT_ONE - 1)

/* The packed hours hours[0..4) into *out; *over gets all bits set in the lane of an hour above
 * the bound (a signed compare: missing hours are negative). (Vectors go by pointer: passing a
 * 32-byte vector by value changes the ABI between the AVX2 and default clones.) */
static inline __attribute__((always_inline)) void airstat_pack4(const int64_t *hours,
                                                                airstat_u4 *out, airstat_v4 *over)
{
    const airstat_v4 bound = {AIRSTAT_VALUE_MAX, AIRSTAT_VALUE_MAX, AIRSTAT_VALUE_MAX,
                              AIRSTAT_VALUE_MAX};
    airstat_v4 x;
    memcpy(&x, hours, sizeof x);
    *out = ((airstat_u4)x + AIRSTAT_COUNT_ONE) & ~(airstat_u4)(x >> 63);
    *over |= x > bound;
}

/* True when an hour packed with *over was above the bound. */
static inline __attribute__((always_inline)) bool airstat_over(const airstat_v4 *over)
{
    return ((*over)[0] | (*over)[1] | (*over)[2] | (*over)[3]) != 0;
}

/* The packed sum of one day's 24 hours: the valid values' sum (& AIRSTAT_SUM_MASK) and their
 * count (>> AIRSTAT_COUNT_SHIFT), exact unless airstat_over(over) afterwards. */
static inline __attribute__((always_inline)) uint64_t airstat_day_sum(const int64_t hourly[24],
                                                                      airstat_v4 *over)
{
    airstat_u4 sum = {0, 0, 0, 0};
    for (int h = 0; h < 24; h += 4) {
        airstat_u4 p;
        airstat_pack4(hourly + h, &p, over);
        sum += p;
    }
    return sum[0] + sum[1] + sum[2] + sum[3];
}

/* The MDA8 of one day (HJ 663, as airstat_mda8), one path for days with and without gaps,
 * four windows at a time. Pair sums, then sums of four, then of eight of the packed hours come
 * from lane shifts of neighbouring vectors (`__builtin_shufflevector`, GCC 12 and Clang; the
 * hours after 23 are 0): the 17 windows (and 3 more, masked out) in five vectors, each with
 * its sum and its count of valid hours. Windows compare by one integer key: 31 - start for a
 * window with fewer than 6 hours; else its mean x 168 (an integer: 168 is a multiple of 6, 7
 * and 8), then a 1 bit, then 31 - start in the low bits, so that the largest key is the
 * largest mean and, among equal means, the first window, as a scan in window order keeps. No branch
 * depends on where the gaps are. Gives the largest window bn / bd (bd 0 when no window is valid)
 * and returns the number of valid windows; exact unless airstat_over(over) afterwards. */
static inline __attribute__((always_inline)) int
airstat_mda8_packed(const int64_t hourly[24], airstat_v4 *over, int64_t *bn_out, int64_t *bd_out)
{
    const airstat_u4 zero = {0, 0, 0, 0}, one = {1, 1, 1, 1};
    const airstat_u4 sum_mask = one * AIRSTAT_SUM_MASK;
    airstat_u4 packed[8], pair[7], four[6], win[5], best = zero, count = zero;
    for (int k = 0; k < 6; k++)
        airstat_pack4(hourly + 4 * k, &packed[k], over);
    packed[6] = packed[7] = zero;
    /* pair[k] lane i: hours 4k+i, 4k+i+1; four[k]: 4k+i .. 4k+i+3; window 4k+i: two fours. */
    for (int k = 0; k < 7; k++)
        pair[k] = packed[k] + __builtin_shufflevector(packed[k], packed[k + 1], 1, 2, 3, 4);
    for (int k = 0; k < 6; k++)
        four[k] = pair[k] + __builtin_shufflevector(pair[k], pair[k + 1], 2, 3, 4, 5);
    for (int k = 0; k < 5; k++) {
        win[k] = four[k] + four[k + 1];
        airstat_u4 wn = win[k] & sum_mask, wd = win[k] >> AIRSTAT_COUNT_SHIFT;
        airstat_u4 ok = (airstat_u4)(wd > 5 * one);
        if (k == 4) /* windows 17-19 do not exist */
            ok &= (airstat_u4){~0ull, 0, 0, 0};
        /* 168 / 6, / 7, / 8 = 28, 24, 21 */
        airstat_u4 per_168 = 28 * one - (4 * one & (airstat_u4)(wd == 7 * one)) -
                             (7 * one & (airstat_u4)(wd == 8 * one));
        airstat_u4 key = (((wn * per_168) << 6) & ok) | (ok & 32 * one) |
                         ((airstat_u4){31, 30, 29, 28} - 4 * (uint64_t)k);
        airstat_u4 gt = (airstat_u4)(key > best);
        best = (key & gt) | (best & ~gt);
        count -= ok;
    }
    uint64_t top = best[0];
    for (int i = 1; i < 4; i++)
        top = best[i] > top ? best[i] : top;
    int windows = (int)(count[0] + count[1] + count[2] + count[3]);
    if (!(top & 32)) {
        *bn_out = 0;
        *bd_out = 0;
        return windows;
    }
    int start = 31 - (int)(top & 31);
    uint64_t chosen = win[start >> 2][start & 3];
    *bn_out = (int64_t)(chosen & AIRSTAT_SUM_MASK);
    *bd_out = (int64_t)(chosen >> AIRSTAT_COUNT_SHIFT);
    return windows;
}

/* HJ 663: fewer valid windows still count when the maximum exceeds the limit. */
static inline bool airstat_mda8_valid(int windows, int64_t bn, int64_t bd, int64_t limit)
{
    return windows >= AIRSTAT_MDA8_MIN_WINDOWS || (bd && limit >= 0 && bn > limit * bd);
}

int airstat_mda8(const int64_t hourly[24], int64_t limit, struct airstat_value *out)
{
    airstat_v4 over = {0, 0, 0, 0};
    int64_t bn, bd;
    int windows = airstat_mda8_packed(hourly, &over, &bn, &bd);
    if (airstat_over(&over))
        return -1;
    airstat_set_value(out, bn, bd);
    out->n = windows;
    out->need = AIRSTAT_MDA8_MIN_WINDOWS;
    out->valid = airstat_mda8_valid(windows, bn, bd, limit);
    return 0;
}

/* ---- series of days (the AQI inputs of many days) ---- */

/* How far ahead the fused pass asks for each item's hours: with six streams the hardware
 * prefetcher alone leaves the loop waiting on memory (146 against 131 ns a station-day). */
#define AIRSTAT_PREFETCH_DAYS 16

/* One pass over the days, every item's hours of a day together: the memory traffic of the
 * six streams overlaps the compute of the others instead of a bare streaming pass per item
 * followed by compute with no traffic. Whether an hour was above the bound is looked at once,
 * after the whole series. Static, called through airstat_daily_inputs_series: Clang 14 does not
 * export a target_clones function under its own name (only NAME.ifunc), so the exported entry
 * point is a plain function. */
static __attribute__((target_clones("arch=x86-64-v4", "avx2", "default"))) int
airstat_inputs_pass(const int64_t *const hourly[AIRSTAT_POLLUTANT_COUNT], int days,
                    int64_t mda8_limit, int64_t *const num[AIRSTAT_POLLUTANT_COUNT],
                    int64_t *const den[AIRSTAT_POLLUTANT_COUNT])
{
    airstat_v4 over = {0, 0, 0, 0};
    for (int d = 0; d < days; d++) {
        for (int p = 0; p < AIRSTAT_POLLUTANT_COUNT; p++) {
            const int64_t *h = hourly[p];
            if (!h)
                continue;
            h += (size_t)d * 24;
            if (d + AIRSTAT_PREFETCH_DAYS < days)
                for (int line = 0; line < 24 * 8; line += 64)
                    __builtin_prefetch((const char *)(h + AIRSTAT_PREFETCH_DAYS * 24) + line);
            int64_t n, k;
            bool valid;
            if (p == AIRSTAT_O3) {
                int windows = airstat_mda8_packed(h, &over, &n, &k);
                valid = airstat_mda8_valid(windows, n, k, mda8_limit);
            } else {
                uint64_t packed = airstat_day_sum(h, &over);
                n = (int64_t)(packed & AIRSTAT_SUM_MASK);
                k = (int64_t)(packed >> AIRSTAT_COUNT_SHIFT);
                valid = k >= AIRSTAT_DAY_MIN_HOURS; /* the need is > 0, so k > 0 */
            }
            num[p][d] = valid ? n : 0;
            den[p][d] = valid ? k : 0;
        }
    }
    return airstat_over(&over) ? -1 : 0;
}

int airstat_daily_inputs_series(const int64_t *const hourly[AIRSTAT_POLLUTANT_COUNT], int days,
                                int64_t mda8_limit, int64_t *const num[AIRSTAT_POLLUTANT_COUNT],
                                int64_t *const den[AIRSTAT_POLLUTANT_COUNT])
{
    if (days < 0 || !hourly || !num || !den)
        return -1;
    for (int p = 0; p < AIRSTAT_POLLUTANT_COUNT; p++)
        if (days > 0 && hourly[p] && (!num[p] || !den[p]))
            return -1;
    return airstat_inputs_pass(hourly, days, mda8_limit, num, den);
}

int airstat_daily_mean_series(const int64_t *hourly, int days, int64_t *num, int64_t *den)
{
    const int64_t *items[AIRSTAT_POLLUTANT_COUNT] = {[AIRSTAT_SO2] = hourly};
    int64_t *nums[AIRSTAT_POLLUTANT_COUNT] = {[AIRSTAT_SO2] = num};
    int64_t *dens[AIRSTAT_POLLUTANT_COUNT] = {[AIRSTAT_SO2] = den};
    if (days > 0 && !hourly)
        return -1;
    return airstat_daily_inputs_series(items, days, -1, nums, dens);
}

int airstat_mda8_series(const int64_t *hourly, int days, int64_t limit, int64_t *num, int64_t *den)
{
    const int64_t *items[AIRSTAT_POLLUTANT_COUNT] = {[AIRSTAT_O3] = hourly};
    int64_t *nums[AIRSTAT_POLLUTANT_COUNT] = {[AIRSTAT_O3] = num};
    int64_t *dens[AIRSTAT_POLLUTANT_COUNT] = {[AIRSTAT_O3] = den};
    if (days > 0 && !hourly)
        return -1;
    return airstat_daily_inputs_series(items, days, limit, nums, dens);
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

/* airstat_percentile of m values that are all valid (m >= 1); reorders v. */
static void airstat_percentile_valid(int64_t *v, int m, int p, struct aqi_conc *out)
{
    /* k = 1 + (m-1)p/100: s = 1 + q, k - s = r/100 (1-based X). Only X(s) and X(s+1) are
     * needed: select rank q, then X(s+1) is the smallest of what lies above it. Ties give the
     * same values as a full sort because an order statistic is a value, not a position. */
    int64_t q = (int64_t)(m - 1) * p / 100, r = (int64_t)(m - 1) * p % 100;
    airstat_select(v, m, (int)q);
    int64_t xs = v[q];
    if (r == 0) {
        *out = (struct aqi_conc){xs, 1};
        return;
    }
    int64_t next = v[q + 1];
    for (int i = (int)q + 2; i < m; i++)
        next = v[i] < next ? v[i] : next;
    *out = (struct aqi_conc){100 * xs + r * (next - xs), 100};
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
    if (m == 0)
        *out = (struct aqi_conc){0, 0};
    else
        airstat_percentile_valid(v, m, p, out);
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

/* One pass over a year of daily values for what airstat_item_eval needs of them: the annual
 * mean with its completeness, as airstat_annual_mean gives it (and its bad months), and the
 * valid values copied to valid[0..*m) for the percentile (a store at a running count: no
 * branch, nothing loaded back). Instead of three passes: the mean, the months' coverage, the
 * percentile's own gathering of the valid values. Returns -1 for a value above the bound. */
static int airstat_year_pass(const int64_t *daily, int year, int64_t valid[366], int *m,
                             struct airstat_value *mean, unsigned *bad_months)
{
    uint64_t sum = 0;
    unsigned bad = 0;
    int k = 0, day = 0;
    bool over = false;
    for (int month = 1; month <= 12; month++) {
        int first = k, dim = airstat_days_in_month(year, month);
        for (int i = 0; i < dim; i++, day++) {
            int64_t x = daily[day];
            valid[k] = x;
            k += x >= 0;
            sum += (uint64_t)(x & ~(x >> 63));
            over |= x > AIRSTAT_VALUE_MAX;
        }
        if (k - first < airstat_month_min_days(month))
            bad |= 1u << (month - 1);
    }
    if (over)
        return -1;
    airstat_set_value(mean, k ? (int64_t)sum : 0, k);
    mean->n = k;
    mean->need = AIRSTAT_YEAR_MIN_DAYS;
    mean->valid = k > 0 && k >= AIRSTAT_YEAR_MIN_DAYS && !bad;
    *bad_months = bad;
    *m = k;
    return 0;
}

static int airstat_item_eval(const int64_t *daily, int year, enum airstat_pollutant p,
                             enum airstat_limits lim, enum airstat_class cls,
                             struct airstat_item *it)
{
    int64_t valid[366];
    int m;

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
    if (airstat_year_pass(daily, year, valid, &m, &cover, &it->bad_months) != 0)
        return -1;
    if (airstat_items[p].has_annual_mean) {
        it->mean = cover;
        it->mean_report = airstat_report(&it->mean, p);
    }

    if (m > 0)
        airstat_percentile_valid(valid, m, it->percentile, &it->pct.value);
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
