/* Unit tests for domain/airstat: validity thresholds (GB 3095 Table 4), O3
 * 8-hour means and MDA8 (HJ 663-2013), the HJ 663 percentile with the check
 * values of the reference, limits of both editions and phases, compliance,
 * the composite index against published figures, and the good-day ratio. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "domain/airstat.h"

#define U(x) ((int64_t)(x)*AQI_MILLI) /* whole units to milli */
#define MISSING (-1)

/* value == num/den exactly, in units. */
static void assert_conc(struct aqi_conc c, int64_t num_milli, int64_t den)
{
    if (c.den == 0 || c.num * den != num_milli * c.den)
        fail_msg("got %lld/%lld, want %lld/%lld", (long long)c.num, (long long)c.den,
                 (long long)num_milli, (long long)den);
}

static void test_hour_and_day_validity(void **state)
{
    (void)state;
    int64_t h[24];
    struct airstat_value v;

    assert_false(airstat_hour_valid(44));
    assert_true(airstat_hour_valid(45));

    for (int i = 0; i < 24; i++)
        h[i] = U(i + 1);
    assert_int_equal(airstat_daily_mean(h, &v), 0);
    assert_true(v.valid);
    assert_int_equal(v.n, 24);
    assert_conc(v.value, U(25), 2); /* 12.5 */

    /* 20 valid hours is enough, 19 is not; the mean is still given. */
    for (int i = 0; i < 4; i++)
        h[i] = MISSING;
    assert_int_equal(airstat_daily_mean(h, &v), 0);
    assert_true(v.valid);
    assert_int_equal(v.n, 20);
    assert_int_equal(v.need, 20);
    h[4] = MISSING;
    assert_int_equal(airstat_daily_mean(h, &v), 0);
    assert_false(v.valid);
    assert_int_equal(v.n, 19);
    assert_int_not_equal(v.value.den, 0);

    /* No data at all: den 0, invalid. Hostile value: error. */
    for (int i = 0; i < 24; i++)
        h[i] = MISSING;
    assert_int_equal(airstat_daily_mean(h, &v), 0);
    assert_int_equal(v.value.den, 0);
    assert_false(v.valid);
    h[3] = INT64_MAX;
    assert_int_equal(airstat_daily_mean(h, &v), -1);
    assert_int_equal(airstat_mean(h, -1, 0, &v), -1);
}

static void test_o3_8h(void **state)
{
    (void)state;
    int64_t h[48];
    struct airstat_value v;

    for (int i = 0; i < 48; i++)
        h[i] = U(100 + i);
    /* Window ending at 10 = hours 3..10: mean 106.5. */
    assert_int_equal(airstat_o3_8h(h, 48, 10, &v), 0);
    assert_true(v.valid);
    assert_conc(v.value, U(213), 2);
    /* At the start of the series only t+1 hours exist: 6 needed. */
    assert_int_equal(airstat_o3_8h(h, 48, 4, &v), 0);
    assert_false(v.valid);
    assert_int_equal(airstat_o3_8h(h, 48, 5, &v), 0);
    assert_true(v.valid);
    assert_int_equal(v.n, 6);
    /* Two missing of eight: valid; three: not. */
    h[20] = h[21] = MISSING;
    assert_int_equal(airstat_o3_8h(h, 48, 24, &v), 0);
    assert_true(v.valid);
    h[22] = MISSING;
    assert_int_equal(airstat_o3_8h(h, 48, 24, &v), 0);
    assert_false(v.valid);
    assert_int_equal(airstat_o3_8h(h, 48, 48, &v), -1);
}

static void test_mda8(void **state)
{
    (void)state;
    int64_t h[24];
    struct airstat_value v;

    /* Peak in the afternoon: windows start 00..16, so the last one is 16..23. */
    for (int i = 0; i < 24; i++)
        h[i] = U(i < 12 ? 50 : 150);
    assert_int_equal(airstat_mda8(h, U(160), &v), 0);
    assert_true(v.valid);
    assert_int_equal(v.n, 17);
    assert_conc(v.value, U(150), 1);

    /* Only windows 0..16 count: a spike in hour 23 weighs 1/8 in window 16. */
    for (int i = 0; i < 24; i++)
        h[i] = U(80);
    h[23] = U(880);
    assert_int_equal(airstat_mda8(h, U(160), &v), 0);
    assert_conc(v.value, U(180), 1);

    /* Hours 0..5 missing: window s has s + 2 valid hours, so starts 4..16 are
     * valid: 13 windows -> invalid, unless the maximum is above the limit. */
    for (int i = 0; i < 24; i++)
        h[i] = i < 6 ? MISSING : U(100);
    assert_int_equal(airstat_mda8(h, U(160), &v), 0);
    assert_int_equal(v.n, 13);
    assert_false(v.valid);
    for (int i = 6; i < 24; i++)
        h[i] = U(170);
    assert_int_equal(airstat_mda8(h, U(160), &v), 0);
    assert_int_equal(v.n, 13);
    assert_true(v.valid); /* exceedance exception */
    assert_int_equal(airstat_mda8(h, -1, &v), 0);
    assert_false(v.valid);
    /* Hour 5 back: starts 3..16, 14 valid windows, valid without the exception. */
    h[5] = U(100);
    assert_int_equal(airstat_mda8(h, -1, &v), 0);
    assert_int_equal(v.n, 14);
    assert_true(v.valid);
}

/* ---- the fast paths against plain references ----
 * airstat_mean, airstat_mda8 and airstat_percentile use running sums, two-lane sums and
 * selection instead of the obvious loops and a sort; these references are the obvious
 * forms, and every result must be identical (same num and den, not just the same value). */

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 32);
}

/* Sum and count of the non-negative values, one by one. */
static void ref_mean(const int64_t *v, int n, int64_t *sum, int *k)
{
    *sum = 0;
    *k = 0;
    for (int i = 0; i < n; i++)
        if (v[i] >= 0) {
            *sum += v[i];
            (*k)++;
        }
}

/* HJ 663 MDA8 as written: each of the 17 windows summed on its own, the first strictly
 * largest kept. */
static int ref_mda8(const int64_t *h, int64_t *bn, int64_t *bd)
{
    int windows = 0;
    *bn = 0;
    *bd = 0;
    for (int start = 0; start < 17; start++) {
        int64_t s;
        int k;
        ref_mean(h + start, 8, &s, &k);
        if (k < 6)
            continue;
        windows++;
        if (*bd == 0 || s * *bd > *bn * k) {
            *bn = s;
            *bd = k;
        }
    }
    return windows;
}

static void check_mda8(const int64_t *h)
{
    int64_t bn, bd;
    int windows = ref_mda8(h, &bn, &bd);
    struct airstat_value v;
    assert_int_equal(airstat_mda8(h, U(160), &v), 0);
    assert_int_equal(v.n, windows);
    assert_int_equal(v.value.num, bn);
    assert_int_equal(v.value.den, bd);
}

static void test_mda8_against_reference(void **state)
{
    (void)state;
    int64_t h[48];

    /* Random days with 0..24 missing hours, in runs and scattered, and ties. */
    for (int round = 0; round < 20000; round++) {
        int missing = (int)(rng() % 25), run = (int)(rng() % 2);
        int at = (int)(rng() % 24);
        for (int i = 0; i < 24; i++)
            h[i] = round % 3 ? U(rng() % 300) : U(100 + rng() % 3); /* many equal windows */
        for (int i = 0; i < missing; i++)
            h[run ? (at + i) % 24 : (int)(rng() % 24)] = -(int64_t)(rng() % 5) - 1;
        check_mda8(h);
    }
    /* Missing hours at the edges of windows: hours 7 and 8 are the last of window 0 and
     * the first not in it; 15/16 and 23 likewise for windows 8 and 16. */
    static const int edges[][3] = {{7, 8, -1}, {0, 8, 16}, {15, 16, 23}, {22, 23, -1}};
    for (size_t e = 0; e < sizeof edges / sizeof edges[0]; e++) {
        for (int i = 0; i < 24; i++)
            h[i] = U(50 + i);
        for (int j = 0; j < 3; j++)
            if (edges[e][j] >= 0)
                h[edges[e][j]] = MISSING;
        check_mda8(h);
    }

    /* Midnight: the day's windows end at 24:00 at the latest (start 16 = hours 16..23). A
     * day stored inside a longer series must not read the next day's hours, even where they
     * would make a larger window. */
    for (int i = 0; i < 48; i++)
        h[i] = i < 24 ? U(60) : U(900);
    h[23] = U(300); /* the last window of the day holds the maximum */
    struct airstat_value v;
    assert_int_equal(airstat_mda8(h, U(160), &v), 0);
    assert_int_equal(v.n, 17);
    assert_conc(v.value, U(60 * 7 + 300), 8);
    check_mda8(h);
    /* The next day's windows start at its own midnight. */
    check_mda8(h + 24);
    assert_int_equal(airstat_mda8(h + 24, U(160), &v), 0);
    assert_conc(v.value, U(900), 1);
    /* Missing hours just before midnight: window 16 has 6 hours, 15 has 7. */
    h[22] = h[23] = MISSING;
    check_mda8(h);
    assert_int_equal(airstat_mda8(h, U(160), &v), 0);
    assert_int_equal(v.n, 17);

    /* A value over the bound anywhere in the day is an error. */
    for (int i = 0; i < 24; i++)
        h[i] = U(10);
    h[23] = (AQI_CONC_MAX_UNITS + 1) * AQI_MILLI;
    assert_int_equal(airstat_mda8(h, U(160), &v), -1);
}

static void test_mean_against_reference(void **state)
{
    (void)state;
    int64_t v[64];
    for (int round = 0; round < 20000; round++) {
        int n = (int)(rng() % 64); /* odd lengths exercise the tail after the lanes */
        for (int i = 0; i < n; i++)
            v[i] = rng() % 4 ? (int64_t)(rng() % 1000000) : -(int64_t)(rng() % 3) - 1;
        int64_t sum;
        int k;
        ref_mean(v, n, &sum, &k);
        struct airstat_value out;
        assert_int_equal(airstat_mean(v, n, 20, &out), 0);
        assert_int_equal(out.n, k);
        assert_int_equal(out.value.num, k ? sum : 0);
        assert_int_equal(out.value.den, k);
        assert_int_equal(out.valid, k > 0 && k >= 20);
    }
    /* The bound: a value just over it, at an even and at an odd position, is refused; the
     * largest allowed values are accepted even when their total is far above it. */
    for (int at = 0; at < 7; at++) {
        for (int i = 0; i < 7; i++)
            v[i] = AQI_CONC_MAX_UNITS * AQI_MILLI;
        struct airstat_value out;
        assert_int_equal(airstat_mean(v, 7, 1, &out), 0);
        assert_int_equal(out.value.num, 7 * AQI_CONC_MAX_UNITS * AQI_MILLI);
        v[at] += 1;
        assert_int_equal(airstat_mean(v, 7, 1, &out), -1);
    }
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The series functions give, day by day, what the one-day functions give (valid days
 * their value, the others missing), over days with every pattern of missing hours. */
static void test_series_against_days(void **state)
{
    (void)state;
    enum { DAYS = 400 };
    static int64_t h[DAYS * 24], num[DAYS], den[DAYS];
    for (int round = 0; round < 20; round++) {
        for (int d = 0; d < DAYS; d++) {
            int64_t *day = h + d * 24;
            int missing = d % 7 == 0 ? (int)(rng() % 25) : (int)(rng() % 3);
            for (int i = 0; i < 24; i++)
                day[i] = round % 2 ? U(rng() % 400) : U(150 + rng() % 20);
            for (int i = 0, at = (int)(rng() % 24); i < missing; i++)
                day[d % 2 ? (at + i) % 24 : (int)(rng() % 24)] = -(int64_t)(rng() % 5) - 1;
        }
        int64_t limit = round % 3 == 0 ? -1 : U(160);
        assert_int_equal(airstat_daily_mean_series(h, DAYS, num, den), 0);
        for (int d = 0; d < DAYS; d++) {
            struct airstat_value v;
            assert_int_equal(airstat_daily_mean(h + d * 24, &v), 0);
            assert_int_equal(num[d], v.valid ? v.value.num : 0);
            assert_int_equal(den[d], v.valid ? v.value.den : 0);
        }
        assert_int_equal(airstat_mda8_series(h, DAYS, limit, num, den), 0);
        for (int d = 0; d < DAYS; d++) {
            struct airstat_value v;
            assert_int_equal(airstat_mda8(h + d * 24, limit, &v), 0);
            assert_int_equal(num[d], v.valid ? v.value.num : 0);
            assert_int_equal(den[d], v.valid ? v.value.den : 0);
        }
        assert_int_equal(airstat_daily_max_series(h, DAYS, num, den), 0);
        for (int d = 0; d < DAYS; d++) {
            int64_t mx = -1;
            for (int i = 0; i < 24; i++)
                mx = h[d * 24 + i] > mx ? h[d * 24 + i] : mx;
            assert_int_equal(num[d], mx >= 0 ? mx : 0);
            assert_int_equal(den[d], mx >= 0 ? 1 : 0);
        }
    }
    /* Values so large that their sum wraps around 2^64 are still refused (hostile input:
     * four of 2^62 sum to 0), with and without a missing hour in the day. */
    for (int gap = 0; gap < 2; gap++) {
        int64_t day[24] = {0};
        for (int i = 0; i < 4; i++)
            day[3 + i * 5] = INT64_C(1) << 62;
        day[1] = gap ? MISSING : 0;
        struct airstat_value v;
        assert_int_equal(airstat_daily_mean(day, &v), -1);
        assert_int_equal(airstat_mda8(day, U(160), &v), -1);
        assert_int_equal(airstat_mean(day, 24, 1, &v), -1);
        assert_int_equal(airstat_mean(day + 3, 1, 1, &v), -1);
        assert_int_equal(airstat_daily_mean_series(day, 1, num, den), -1);
        assert_int_equal(airstat_mda8_series(day, 1, U(160), num, den), -1);
        day[3] = INT64_MAX; /* and a sum that would wrap to a negative */
        assert_int_equal(airstat_daily_mean(day, &v), -1);
        assert_int_equal(airstat_mda8(day, U(160), &v), -1);
    }
    /* A value over the bound on any day is an error; no days is no work. */
    h[24 * 5 + 3] = (AQI_CONC_MAX_UNITS + 1) * AQI_MILLI;
    assert_int_equal(airstat_daily_mean_series(h, DAYS, num, den), -1);
    assert_int_equal(airstat_mda8_series(h, DAYS, U(160), num, den), -1);
    assert_int_equal(airstat_daily_max_series(h, DAYS, num, den), -1);
    assert_int_equal(airstat_daily_mean_series(h, 5, num, den), 0);
    assert_int_equal(airstat_daily_mean_series(NULL, 0, NULL, NULL), 0);
    assert_int_equal(airstat_daily_mean_series(h, -1, num, den), -1);
    assert_int_equal(airstat_mda8_series(NULL, 3, U(160), num, den), -1);
}

/* Expected AQI input of one day of item p by the plain references: MDA8 for O3 (valid with
 * 14 windows, or fewer when the maximum is above limit), the daily mean (>= 20 hours) else. */
static void ref_day_input(int p, const int64_t *h, int64_t limit, int64_t *num, int64_t *den)
{
    int64_t n, d;
    int k;
    bool valid;
    if (p == AIRSTAT_O3) {
        int windows = ref_mda8(h, &n, &d);
        valid = windows >= 14 || (d && limit >= 0 && n > limit * d);
    } else {
        ref_mean(h, 24, &n, &k);
        d = k;
        valid = k >= 20;
    }
    *num = valid ? n : 0;
    *den = valid ? d : 0;
}

/* One day of hours with `missing` hours gone, in a run (which may cross into the next day's
 * hours when the day is followed by another in the series) or scattered. */
static void fill_day(int64_t *day, int round, int missing, bool run, int at)
{
    for (int i = 0; i < 24; i++)
        day[i] = round % 3 == 0   ? U(100 + rng() % 3) /* many equal windows, equal means */
                 : round % 3 == 1 ? U(rng() % 400)
                                  : (int64_t)(rng() % 1000000);
    for (int i = 0; i < missing; i++)
        day[run ? (at + i) % 24 : (int)(rng() % 24)] = -(int64_t)(rng() % 5) - 1;
}

/* The fused pass over six items gives, item by item and day by day, what the plain
 * window-by-window MDA8 and value-by-value mean give: every pattern of missing hours (runs
 * across midnight too), ties between windows of equal means and different counts, values up
 * to the bound whose sums are far above it; items left out are not touched. */
static void test_inputs_series_against_reference(void **state)
{
    (void)state;
    enum { DAYS = 300, ITEMS = AIRSTAT_POLLUTANT_COUNT };
    static int64_t h[ITEMS][DAYS * 24], num[ITEMS][DAYS], den[ITEMS][DAYS];
    const int64_t *hourly[ITEMS];
    int64_t *nums[ITEMS], *dens[ITEMS];
    for (int round = 0; round < 24; round++) {
        for (int p = 0; p < ITEMS; p++) {
            for (int d = 0; d < DAYS; d++) {
                int missing = d % 5 == 0 ? (int)(rng() % 25) : (int)(rng() % 4);
                fill_day(h[p] + d * 24, round, missing, d % 2, (int)(rng() % 24));
            }
            /* Runs of missing hours across midnight: 22-23 of one day, 0-1 of the next. */
            for (int d = 1; d < DAYS; d += 37)
                h[p][d * 24 - 2] = h[p][d * 24 - 1] = h[p][d * 24] = h[p][d * 24 + 1] = MISSING;
            if (round % 4 == 3) /* the largest values allowed, in some hours */
                for (int i = 0; i < 50; i++)
                    h[p][rng() % (DAYS * 24)] = AQI_CONC_MAX_UNITS * AQI_MILLI;
            bool skipped = (round + p) % 7 == 0;
            hourly[p] = skipped ? NULL : h[p];
            nums[p] = num[p];
            dens[p] = den[p];
            for (int d = 0; d < DAYS; d++)
                num[p][d] = den[p][d] = 12345;
        }
        int64_t limit = round % 2 ? U(160) : -1;
        assert_int_equal(airstat_daily_inputs_series(hourly, DAYS, limit, nums, dens), 0);
        for (int p = 0; p < ITEMS; p++)
            for (int d = 0; d < DAYS; d++) {
                int64_t want_num = 12345, want_den = 12345;
                if (hourly[p])
                    ref_day_input(p, h[p] + d * 24, limit, &want_num, &want_den);
                if (num[p][d] != want_num || den[p][d] != want_den)
                    fail_msg("round %d item %d day %d: %lld/%lld, want %lld/%lld", round, p, d,
                             (long long)num[p][d], (long long)den[p][d], (long long)want_num,
                             (long long)want_den);
            }
        /* The one-item entry points are the same pass. */
        assert_int_equal(airstat_mda8_series(h[AIRSTAT_O3], DAYS, limit, num[0], den[0]), 0);
        assert_int_equal(airstat_daily_mean_series(h[AIRSTAT_PM25], DAYS, num[1], den[1]), 0);
        for (int d = 0; d < DAYS; d++) {
            int64_t want_num, want_den;
            ref_day_input(AIRSTAT_O3, h[AIRSTAT_O3] + d * 24, limit, &want_num, &want_den);
            assert_int_equal(num[0][d], want_num);
            assert_int_equal(den[0][d], want_den);
            ref_day_input(AIRSTAT_PM25, h[AIRSTAT_PM25] + d * 24, limit, &want_num, &want_den);
            assert_int_equal(num[1][d], want_num);
            assert_int_equal(den[1][d], want_den);
        }
    }
}

/* A value above the bound anywhere in any item is refused, however it would pack: just above
 * the bound, just below 2^30, 2^30, around 2^40 (where the count is kept), 2^62, INT64_MAX; at
 * every hour of a day with and without gaps. The bound itself is accepted. */
static void test_inputs_series_bound(void **state)
{
    (void)state;
    enum { DAYS = 3, ITEMS = AIRSTAT_POLLUTANT_COUNT };
    static const int64_t hostile[] = {AQI_CONC_MAX_UNITS * AQI_MILLI + 1,
                                      (INT64_C(1) << 30) - 1,
                                      INT64_C(1) << 30,
                                      (INT64_C(1) << 40) - 1,
                                      INT64_C(1) << 40,
                                      (INT64_C(1) << 41) + 5,
                                      INT64_C(1) << 62,
                                      INT64_MAX};
    static int64_t h[ITEMS][DAYS * 24], num[ITEMS][DAYS], den[ITEMS][DAYS];
    const int64_t *hourly[ITEMS];
    int64_t *nums[ITEMS], *dens[ITEMS];
    for (int p = 0; p < ITEMS; p++) {
        hourly[p] = h[p];
        nums[p] = num[p];
        dens[p] = den[p];
    }
    for (size_t v = 0; v < sizeof hostile / sizeof hostile[0]; v++)
        for (int p = 0; p < ITEMS; p++)
            for (int at = 0; at < 24; at++)
                for (int gap = 0; gap < 2; gap++) {
                    for (int q = 0; q < ITEMS; q++)
                        for (int i = 0; i < DAYS * 24; i++)
                            h[q][i] = U(50);
                    if (gap)
                        h[p][24 + (at + 5) % 24] = MISSING;
                    h[p][24 + at] = hostile[v];
                    assert_int_equal(airstat_daily_inputs_series(hourly, DAYS, U(160), nums, dens),
                                     -1);
                    if (p == AIRSTAT_O3) {
                        struct airstat_value one;
                        assert_int_equal(airstat_mda8(h[p] + 24, U(160), &one), -1);
                        assert_int_equal(airstat_mda8_series(h[p], DAYS, U(160), num[0], den[0]),
                                         -1);
                    } else {
                        assert_int_equal(airstat_daily_mean_series(h[p], DAYS, num[0], den[0]), -1);
                    }
                    h[p][24 + at] = AQI_CONC_MAX_UNITS * AQI_MILLI; /* the bound: accepted */
                    assert_int_equal(airstat_daily_inputs_series(hourly, DAYS, U(160), nums, dens),
                                     0);
                    int64_t want_num, want_den;
                    ref_day_input(p, h[p] + 24, U(160), &want_num, &want_den);
                    assert_int_equal(num[p][1], want_num);
                    assert_int_equal(den[p][1], want_den);
                }
    /* Arguments. */
    assert_int_equal(airstat_daily_inputs_series(hourly, -1, U(160), nums, dens), -1);
    assert_int_equal(airstat_daily_inputs_series(NULL, 1, U(160), nums, dens), -1);
    assert_int_equal(airstat_daily_inputs_series(hourly, 1, U(160), NULL, dens), -1);
    nums[2] = NULL;
    assert_int_equal(airstat_daily_inputs_series(hourly, 1, U(160), nums, dens), -1);
    hourly[2] = NULL; /* an item left out needs no output */
    assert_int_equal(airstat_daily_inputs_series(hourly, 1, U(160), nums, dens), 0);
    assert_int_equal(airstat_daily_inputs_series(hourly, 0, U(160), nums, dens), 0);
}

static void test_percentile_against_sort(void **state)
{
    (void)state;
    int64_t v[366], sorted[366];
    for (int round = 0; round < 6000; round++) {
        int n = round < 400 ? round % 8 : (int)(rng() % 367);
        /* few distinct values, so most ranks fall inside runs of ties */
        int distinct = 1 + (int)(rng() % (round % 2 ? 4 : 400));
        for (int i = 0; i < n; i++)
            v[i] = rng() % 10 == 0 ? MISSING : U(rng() % (uint32_t)distinct);
        int m = 0;
        for (int i = 0; i < n; i++)
            if (v[i] >= 0)
                sorted[m++] = v[i];
        qsort(sorted, (size_t)m, sizeof sorted[0], cmp_i64);
        int p = round % 5 == 0 ? (int)(rng() % 101) : (int[]){90, 95, 98}[round % 3];
        struct aqi_conc c;
        assert_int_equal(airstat_percentile(v, n, p, &c), m);
        if (m == 0) {
            assert_int_equal(c.den, 0);
            continue;
        }
        int64_t q = (int64_t)(m - 1) * p / 100, r = (int64_t)(m - 1) * p % 100;
        if (r == 0) {
            assert_int_equal(c.num, sorted[q]);
            assert_int_equal(c.den, 1);
        } else {
            assert_int_equal(c.num, 100 * sorted[q] + r * (sorted[q + 1] - sorted[q]));
            assert_int_equal(c.den, 100);
        }
        /* the valid values are still all there, in front */
        qsort(v, (size_t)m, sizeof v[0], cmp_i64);
        assert_memory_equal(v, sorted, (size_t)m * sizeof v[0]);
    }
    /* All equal, and sorted either way: the worst inputs for a careless selection. */
    for (int i = 0; i < 365; i++)
        v[i] = U(42);
    struct aqi_conc c;
    assert_int_equal(airstat_percentile(v, 365, 98, &c), 365);
    assert_conc(c, U(42), 1);
    for (int i = 0; i < 365; i++)
        v[i] = U(365 - i);
    assert_int_equal(airstat_percentile(v, 365, 98, &c), 365);
    assert_conc(c, 357720, 1);
}

static void test_month_and_year(void **state)
{
    (void)state;
    int64_t d[366];
    struct airstat_value v;
    unsigned bad = 0;

    assert_int_equal(airstat_month_min_days(2), 25);
    assert_int_equal(airstat_month_min_days(3), 27);
    assert_int_equal(airstat_days_in_month(2024, 2), 29);
    assert_int_equal(airstat_days_in_month(2100, 2), 28);
    assert_int_equal(airstat_days_in_month(2026, 13), 0);

    /* February: 25 of 28 is valid, 24 is not; any other month needs 27. */
    for (int i = 0; i < 31; i++)
        d[i] = i < 25 ? U(40) : MISSING;
    assert_int_equal(airstat_monthly_mean(d, 2026, 2, &v), 0);
    assert_true(v.valid);
    assert_int_equal(airstat_monthly_mean(d, 2026, 3, &v), 0);
    assert_false(v.valid);
    d[24] = MISSING;
    assert_int_equal(airstat_monthly_mean(d, 2026, 2, &v), 0);
    assert_false(v.valid);
    assert_int_equal(airstat_monthly_mean(d, 2026, 0, &v), -1);

    /* A year: every day valid, then exactly 324 with months at their minimum. */
    for (int i = 0; i < 365; i++)
        d[i] = U(30);
    assert_int_equal(airstat_annual_mean(d, 2025, &v, &bad), 0);
    assert_true(v.valid);
    assert_int_equal(v.n, 365);
    assert_int_equal(bad, 0);
    /* 2025: remove days so that the total is 323 but months are fine. */
    int day = 0, removed = 0;
    for (int m = 1; m <= 12; m++) {
        int dim = airstat_days_in_month(2025, m);
        int keep = airstat_month_min_days(m);
        for (int i = 0; i < dim; i++, day++)
            if (i >= keep && removed < 365 - 323) {
                d[day] = MISSING;
                removed++;
            }
    }
    assert_int_equal(airstat_annual_mean(d, 2025, &v, &bad), 0);
    assert_int_equal(v.n, 323);
    assert_int_equal(bad, 0);
    assert_false(v.valid);
    /* Put one back: 324, valid. */
    for (int i = 0; i < 365; i++)
        if (d[i] < 0) {
            d[i] = U(30);
            break;
        }
    assert_int_equal(airstat_annual_mean(d, 2025, &v, &bad), 0);
    assert_int_equal(v.n, 324);
    assert_true(v.valid);

    /* 340 days but one month short (March: 26 days): invalid, March flagged. */
    for (int i = 0; i < 365; i++)
        d[i] = U(30);
    for (int i = 0; i < 5; i++)
        d[31 + 28 + i] = MISSING; /* March 1..5 */
    assert_int_equal(airstat_annual_mean(d, 2025, &v, &bad), 0);
    assert_false(v.valid);
    assert_int_equal(bad, 1u << 2);
}

static void test_percentile(void **state)
{
    (void)state;
    int64_t v[400];
    struct aqi_conc c;

    /* Reference check values: {1..10} p90 -> 9.1; 1..365 p98 -> 357.72; {10,20,30} p95 -> 29. */
    for (int i = 0; i < 10; i++)
        v[i] = U(10 - i);
    assert_int_equal(airstat_percentile(v, 10, 90, &c), 10);
    assert_conc(c, 9100, 1);
    for (int i = 0; i < 365; i++)
        v[i] = U((i * 7) % 365 + 1); /* a permutation of 1..365 */
    assert_int_equal(airstat_percentile(v, 365, 98, &c), 365);
    assert_conc(c, 357720, 1);
    v[0] = U(30), v[1] = U(10), v[2] = U(20);
    assert_int_equal(airstat_percentile(v, 3, 95, &c), 3);
    assert_conc(c, U(29), 1);

    /* Missing values are skipped; k integer -> X(k); p 0 and 100 are the ends. */
    v[0] = MISSING, v[1] = U(5), v[2] = MISSING, v[3] = U(1), v[4] = U(3);
    assert_int_equal(airstat_percentile(v, 5, 50, &c), 3);
    assert_conc(c, U(3), 1);
    v[0] = U(5), v[1] = U(1), v[2] = U(3);
    assert_int_equal(airstat_percentile(v, 3, 0, &c), 3);
    assert_conc(c, U(1), 1);
    v[0] = U(5), v[1] = U(1), v[2] = U(3);
    assert_int_equal(airstat_percentile(v, 3, 100, &c), 3);
    assert_conc(c, U(5), 1);
    v[0] = U(7);
    assert_int_equal(airstat_percentile(v, 1, 98, &c), 1);
    assert_conc(c, U(7), 1);
    v[0] = MISSING;
    assert_int_equal(airstat_percentile(v, 1, 98, &c), 0);
    assert_int_equal(c.den, 0);
    assert_int_equal(airstat_percentile(v, 1, 101, &c), -1);
    assert_int_equal(airstat_percentile(v, -1, 50, &c), -1);

    assert_int_equal(airstat_percentile_for(AIRSTAT_SO2), 98);
    assert_int_equal(airstat_percentile_for(AIRSTAT_PM25), 95);
    assert_int_equal(airstat_percentile_for(AIRSTAT_CO), 95);
    assert_int_equal(airstat_percentile_for(AIRSTAT_O3), 90);
}

static void test_limits(void **state)
{
    (void)state;
    enum airstat_limits t = AIRSTAT_GB3095_2026_TRANSITION, f = AIRSTAT_GB3095_2026_FINAL;

    assert_int_equal(airstat_limits_for_date(2026, 2, 28), AIRSTAT_GB3095_2012);
    assert_int_equal(airstat_limits_for_date(2026, 3, 1), t);
    assert_int_equal(airstat_limits_for_date(2030, 12, 31), t);
    assert_int_equal(airstat_limits_for_date(2031, 1, 1), f);

    /* PM tightened already in the transition phase; SO2/NO2 only in the final. */
    assert_int_equal(
        airstat_limit(AIRSTAT_GB3095_2012, AIRSTAT_CLASS_II, AIRSTAT_PM10, AIRSTAT_ANNUAL), U(70));
    assert_int_equal(airstat_limit(t, AIRSTAT_CLASS_II, AIRSTAT_PM10, AIRSTAT_ANNUAL), U(60));
    assert_int_equal(airstat_limit(t, AIRSTAT_CLASS_II, AIRSTAT_PM10, AIRSTAT_DAILY), U(120));
    assert_int_equal(airstat_limit(f, AIRSTAT_CLASS_II, AIRSTAT_PM10, AIRSTAT_DAILY), U(100));
    assert_int_equal(airstat_limit(t, AIRSTAT_CLASS_II, AIRSTAT_PM25, AIRSTAT_DAILY), U(60));
    assert_int_equal(airstat_limit(f, AIRSTAT_CLASS_II, AIRSTAT_PM25, AIRSTAT_ANNUAL), U(25));
    assert_int_equal(airstat_limit(f, AIRSTAT_CLASS_I, AIRSTAT_PM25, AIRSTAT_DAILY), U(25));
    assert_int_equal(airstat_limit(t, AIRSTAT_CLASS_II, AIRSTAT_SO2, AIRSTAT_DAILY), U(150));
    assert_int_equal(airstat_limit(f, AIRSTAT_CLASS_II, AIRSTAT_SO2, AIRSTAT_DAILY), U(50));
    assert_int_equal(airstat_limit(f, AIRSTAT_CLASS_II, AIRSTAT_NO2, AIRSTAT_ANNUAL), U(30));
    assert_int_equal(airstat_limit(f, AIRSTAT_CLASS_II, AIRSTAT_O3, AIRSTAT_MDA8), U(160));
    assert_int_equal(airstat_limit(f, AIRSTAT_CLASS_I, AIRSTAT_O3, AIRSTAT_MDA8), U(100));
    assert_int_equal(airstat_limit(f, AIRSTAT_CLASS_II, AIRSTAT_CO, AIRSTAT_DAILY), U(4));
    assert_int_equal(airstat_limit(f, AIRSTAT_CLASS_II, AIRSTAT_CO, AIRSTAT_ANNUAL), -1);
    assert_int_equal(
        airstat_limit(AIRSTAT_LIMITS_COUNT, AIRSTAT_CLASS_II, AIRSTAT_CO, AIRSTAT_DAILY), -1);
}

static void test_composite(void **state)
{
    (void)state;
    /* Published checks (reference §8.5): 河源 2022-02 1.73, 呼伦贝尔 3.06, 奈曼 3.14. */
    static const struct {
        int64_t c[AIRSTAT_POLLUTANT_COUNT]; /* SO2, NO2, CO, O3, PM10, PM2.5 (milli) */
        double published;
    } cases[] = {
        {{U(3), U(13), 900, U(87), U(16), U(13)}, 1.73},
        {{U(9), U(15), 700, U(192), U(39), U(21)}, 3.06},
        {{U(9), U(14), 1100, U(96), U(77), U(23)}, 3.14},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double idx[AIRSTAT_POLLUTANT_COUNT];
        double sum = airstat_composite(cases[i].c, AIRSTAT_GB3095_2012, idx);
        if (fabs(sum - cases[i].published) > 0.02)
            fail_msg("case %zu: %.3f vs published %.2f", i, sum, cases[i].published);
    }
    int64_t hy[AIRSTAT_POLLUTANT_COUNT] = {U(3), U(13), 900, U(87), U(16), U(13)};
    assert_true(fabs(airstat_composite(hy, AIRSTAT_GB3095_2012, NULL) - 1.74375) < 1e-9);
}

/* A synthetic year where every figure is known. */
static void test_annual_eval(void **state)
{
    (void)state;
    static int64_t d[AIRSTAT_POLLUTANT_COUNT][366];
    struct airstat_year y = {.year = 2025};
    struct airstat_annual a;

    for (int p = 0; p < AIRSTAT_POLLUTANT_COUNT; p++) {
        for (int i = 0; i < 365; i++)
            d[p][i] = U(i % 73 + 1); /* 1..73, five times: mean 37, p95 = 70, p98 = 72 */
        y.daily[p] = d[p];
    }
    for (int i = 0; i < 365; i++)
        d[AIRSTAT_CO][i] = 100 * (i % 40 + 1); /* 0.1 .. 4.0 mg/m³ */
    assert_int_equal(airstat_annual_eval(&y, AIRSTAT_GB3095_2012, AIRSTAT_CLASS_II, &a), 0);

    const struct airstat_item *pm25 = &a.item[AIRSTAT_PM25];
    assert_int_equal(pm25->mean_report, U(37));
    assert_true(pm25->mean.valid);
    assert_int_equal(pm25->percentile, 95);
    assert_int_equal(pm25->pct_report, U(70)); /* k = 1 + 364*0.95 = 346.8 -> X = 70 (rounded) */
    assert_int_equal(pm25->limit_annual, U(35));
    assert_int_equal(pm25->compliant, 0);                /* 37 > 35 */
    assert_int_equal(a.item[AIRSTAT_PM10].compliant, 1); /* 37 <= 70, 70 <= 150 */
    assert_int_equal(a.item[AIRSTAT_SO2].pct_report, U(72));
    assert_int_equal(a.item[AIRSTAT_SO2].compliant, 1);
    assert_int_equal(a.item[AIRSTAT_CO].mean.value.den, 0); /* no annual figure */
    assert_int_equal(a.item[AIRSTAT_CO].pct_report, 3800);
    assert_int_equal(a.item[AIRSTAT_CO].compliant, 1);
    assert_int_equal(a.item[AIRSTAT_O3].percentile, 90);
    assert_int_equal(a.compliant, 0);
    assert_true(a.composite_complete);

    /* 2026 final limits, class I: PM10 annual 20 fails; SO2 p98 72 > 50 fails. */
    assert_int_equal(airstat_annual_eval(&y, AIRSTAT_GB3095_2026_FINAL, AIRSTAT_CLASS_I, &a), 0);
    assert_int_equal(a.item[AIRSTAT_PM10].compliant, 0);
    assert_int_equal(a.item[AIRSTAT_SO2].compliant, 0);

    /* Incomplete year within the limits: cannot say (-1), figures still given. */
    for (int p = 0; p < AIRSTAT_POLLUTANT_COUNT; p++)
        for (int i = 0; i < 365; i++)
            d[p][i] = i < 300 ? U(5) : MISSING;
    y.daily[AIRSTAT_CO] = NULL;
    assert_int_equal(airstat_annual_eval(&y, AIRSTAT_GB3095_2012, AIRSTAT_CLASS_II, &a), 0);
    assert_false(a.item[AIRSTAT_SO2].mean.valid);
    assert_false(a.item[AIRSTAT_SO2].pct.valid);
    assert_int_equal(a.item[AIRSTAT_SO2].mean_report, U(5));
    assert_int_equal(a.item[AIRSTAT_SO2].compliant, -1);
    assert_int_not_equal(a.item[AIRSTAT_SO2].bad_months, 0);
    assert_false(a.item[AIRSTAT_CO].monitored);
    assert_int_equal(a.compliant, -1);
    assert_false(a.composite_complete);
    /* Incomplete but above the limit: not compliant. */
    for (int i = 0; i < 300; i++)
        d[AIRSTAT_PM25][i] = U(80);
    assert_int_equal(airstat_annual_eval(&y, AIRSTAT_GB3095_2012, AIRSTAT_CLASS_II, &a), 0);
    assert_int_equal(a.item[AIRSTAT_PM25].compliant, 0);
    assert_int_equal(a.compliant, 0);

    assert_int_equal(airstat_annual_eval(NULL, AIRSTAT_GB3095_2012, AIRSTAT_CLASS_II, &a), -1);
    assert_int_equal(airstat_annual_eval(&y, AIRSTAT_LIMITS_COUNT, AIRSTAT_CLASS_II, &a), -1);
}

/* The annual evaluation's one pass per item gives what the separate functions give: the
 * annual mean and its bad months (airstat_annual_mean), the percentile (airstat_percentile
 * of a copy), over random years (leap and not) with missing days scattered and in runs that
 * empty whole months, ties, and every item; a value above the bound is refused. */
static void test_annual_eval_against_parts(void **state)
{
    (void)state;
    static int64_t daily[AIRSTAT_POLLUTANT_COUNT][366], copy[366];
    for (int round = 0; round < 600; round++) {
        int year = round % 4 == 0 ? 2028 : 2026, ndays = year == 2028 ? 366 : 365;
        struct airstat_year y = {.year = year};
        for (int p = 0; p < AIRSTAT_POLLUTANT_COUNT; p++) {
            int distinct = 1 + (int)(rng() % (round % 2 ? 5 : 300));
            int gap = round % 3 == 0 ? 1 + (int)(rng() % 8) : 30; /* all .. 1 in 30 missing */
            for (int d = 0; d < ndays; d++)
                daily[p][d] = rng() % (uint32_t)gap == 0 ? MISSING : U(rng() % (uint32_t)distinct);
            if (round % 5 == 0) /* a run that leaves a month short */
                for (int d = 0, at = (int)(rng() % 300), len = (int)(rng() % 40); d < len; d++)
                    daily[p][at + d] = MISSING;
            y.daily[p] = (round + p) % 9 == 0 ? NULL : daily[p];
        }
        struct airstat_annual a;
        assert_int_equal(
            airstat_annual_eval(&y, AIRSTAT_GB3095_2026_TRANSITION, AIRSTAT_CLASS_II, &a), 0);
        for (int p = 0; p < AIRSTAT_POLLUTANT_COUNT; p++) {
            const struct airstat_item *it = &a.item[p];
            if (!y.daily[p]) {
                assert_false(it->monitored);
                continue;
            }
            struct airstat_value mean;
            unsigned bad;
            assert_int_equal(airstat_annual_mean(daily[p], year, &mean, &bad), 0);
            assert_int_equal(it->bad_months, bad);
            assert_int_equal(it->pct.valid, mean.valid);
            if (p != AIRSTAT_CO && p != AIRSTAT_O3) {
                assert_int_equal(it->mean.value.num, mean.value.num);
                assert_int_equal(it->mean.value.den, mean.value.den);
                assert_int_equal(it->mean.n, mean.n);
                assert_int_equal(it->mean.valid, mean.valid);
            }
            memcpy(copy, daily[p], sizeof copy);
            struct aqi_conc pct;
            int m = airstat_percentile(copy, ndays, airstat_percentile_for(p), &pct);
            assert_int_equal(it->pct.n, m);
            assert_int_equal(it->pct.value.num, pct.num);
            assert_int_equal(it->pct.value.den, pct.den);
        }
    }
    struct airstat_year y = {.year = 2026, .daily = {[AIRSTAT_NO2] = daily[0]}};
    struct airstat_annual a;
    for (int d = 0; d < 365; d++)
        daily[0][d] = U(40);
    daily[0][200] = AQI_CONC_MAX_UNITS * AQI_MILLI + 1;
    assert_int_equal(airstat_annual_eval(&y, AIRSTAT_GB3095_2026_TRANSITION, AIRSTAT_CLASS_II, &a),
                     -1);
    daily[0][200] = AQI_CONC_MAX_UNITS * AQI_MILLI;
    assert_int_equal(airstat_annual_eval(&y, AIRSTAT_GB3095_2026_TRANSITION, AIRSTAT_CLASS_II, &a),
                     0);
}

static void test_good_days(void **state)
{
    (void)state;
    static const int aqi[] = {30, 50, 51, 100, 101, 150, 151, 200, 201, 300, 301, -1};
    struct airstat_days g;

    airstat_good_days(aqi, (int)(sizeof aqi / sizeof aqi[0]), &g);
    assert_int_equal(g.valid, 11);
    assert_int_equal(g.good, 4);
    assert_int_equal(g.heavy, 3);
    assert_int_equal(g.level[1], 2);
    assert_int_equal(g.level[6], 1);
    assert_true(fabs(g.good_ratio - 400.0 / 11) < 1e-9);
    airstat_good_days(aqi, 0, &g);
    assert_int_equal(g.valid, 0);
    assert_true(g.good_ratio == 0.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hour_and_day_validity),
        cmocka_unit_test(test_o3_8h),
        cmocka_unit_test(test_mda8),
        cmocka_unit_test(test_mda8_against_reference),
        cmocka_unit_test(test_mean_against_reference),
        cmocka_unit_test(test_percentile_against_sort),
        cmocka_unit_test(test_series_against_days),
        cmocka_unit_test(test_inputs_series_against_reference),
        cmocka_unit_test(test_inputs_series_bound),
        cmocka_unit_test(test_month_and_year),
        cmocka_unit_test(test_percentile),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_composite),
        cmocka_unit_test(test_annual_eval),
        cmocka_unit_test(test_annual_eval_against_parts),
        cmocka_unit_test(test_good_days),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
