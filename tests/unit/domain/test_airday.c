/* Unit tests for domain/airday: a station's day from counts, sums and hourly O3 (validity,
 * rounding to 0.001 half to even, MDA8 and the 1-hour maximum, what each value was formed of),
 * an area's day (the mean of the stations' valid values, O3 from the area's hourly series), and
 * the published daily AQI by the date's edition (HJ 633—2026 §5.3 withholding; values worked
 * out from the tables by hand). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/airday.h"

#define U(x) ((int64_t)(x)*AQI_MILLI) /* whole units to milli */

/* Slot s of d is valid with value v (milli). */
static void assert_valid(const struct airday_day *d, int s, int64_t v)
{
    if (!(d->valid & AQI_BIT(s)) || d->v[s] != v)
        fail_msg("slot %d: valid %d value %lld, want %lld", s, !!(d->valid & AQI_BIT(s)),
                 (long long)d->v[s], (long long)v);
}

/* A day with `hours` hours of every item at the given whole values (O3 from hour 0 on). */
static void day_of(struct airday_hours *h, int hours, const int v[AIRSTAT_POLLUTANT_COUNT])
{
    memset(h, 0, sizeof *h);
    for (int p = 0; p < AIRSTAT_POLLUTANT_COUNT; p++)
        h->n[p] = hours, h->sum[p] = U(v[p]) * hours;
    for (int i = 0; i < 24; i++)
        h->o3[i] = i < hours ? U(v[AIRSTAT_O3]) : -1;
}

static void test_station_validity_and_rounding(void **state)
{
    (void)state;
    struct airday_hours h;
    struct airday_day in;
    /* SO2 NO2 CO O3 PM10 PM2.5 */
    day_of(&h, 24, (const int[]){10, 20, 1, 100, 50, 30});
    airday_station(&h, &in);
    assert_valid(&in, AQI_SO2, 10000);
    assert_valid(&in, AQI_CO, 1000);
    assert_valid(&in, AQI_PM25, 30000);
    assert_true(in.valid & AQI_BIT(AQI_PM25));
    assert_valid(&in, AQI_O3_8H, 100000); /* every window 100 */
    assert_valid(&in, AQI_O3_1H, 100000);
    /* 20 hours are enough, 19 are not (GB 3095 Table 4) */
    day_of(&h, 20, (const int[]){10, 20, 1, 100, 50, 30});
    airday_station(&h, &in);
    assert_true(in.valid & AQI_BIT(AQI_NO2));
    assert_true(in.valid & AQI_BIT(AQI_O3_1H));
    day_of(&h, 19, (const int[]){10, 20, 1, 100, 50, 30});
    airday_station(&h, &in);
    assert_false(in.valid & AQI_BIT(AQI_NO2));
    assert_false(in.valid & AQI_BIT(AQI_O3_1H));
    /* 19 hours 00..18: windows 00..11 have 8 hours, 12..16 have 7..3: 12, 13 valid -> 14 */
    assert_valid(&in, AQI_O3_8H, 100000);
    /* a mean of 12.0005 over 20 hours is 12.000 (half to even), 12.0015 is 12.002 */
    h.n[AIRSTAT_PM25] = 20, h.sum[AIRSTAT_PM25] = 240010;
    airday_station(&h, &in);
    assert_valid(&in, AQI_PM25, 12000);
    h.sum[AIRSTAT_PM25] = 240030;
    airday_station(&h, &in);
    assert_valid(&in, AQI_PM25, 12002);
    /* 19 hours: the value is kept (what the quality module stores), not valid */
    h.n[AIRSTAT_PM25] = 19, h.sum[AIRSTAT_PM25] = 19 * U(30);
    airday_station(&h, &in);
    assert_false(in.valid & AQI_BIT(AQI_PM25));
    assert_int_equal(in.v[AQI_PM25], U(30));
    assert_int_equal(in.n[AQI_PM25], 19);
    /* out of range: missing */
    h.n[AIRSTAT_PM25] = 25;
    airday_station(&h, &in);
    assert_int_equal(in.v[AQI_PM25], -1);
    assert_false(in.valid & AQI_BIT(AQI_PM25));
    h.n[AIRSTAT_PM25] = 20, h.sum[AIRSTAT_PM25] = 20 * (AQI_CONC_MAX_UNITS * AQI_MILLI) + 1;
    airday_station(&h, &in);
    assert_int_equal(in.v[AQI_PM25], -1);
    h.n[AIRSTAT_PM25] = 0, h.sum[AIRSTAT_PM25] = 0;
    airday_station(&h, &in);
    assert_int_equal(in.v[AQI_PM25], -1);
    assert_int_equal(in.n[AQI_PM25], 0);
}

static void test_station_mda8(void **state)
{
    (void)state;
    struct airday_hours h;
    struct airday_day in;
    day_of(&h, 24, (const int[]){10, 20, 1, 60, 50, 30});
    /* hours 10..17 at 180: the window starting at 10 has mean 180 */
    for (int i = 10; i < 18; i++)
        h.o3[i] = U(180);
    /* hour 9 at 61: the window 9..16 = (61 + 7 * 180) / 8 = 165.125 < 180 */
    h.o3[9] = U(61);
    airday_station(&h, &in);
    assert_valid(&in, AQI_O3_8H, 180000);
    assert_valid(&in, AQI_O3_1H, 180000);
    /* only hours 10..17 present: 5 valid windows (those starting at 08..12 hold >= 6 of them),
     * fewer than 14, but the maximum 180 is above the 160 limit, so the day counts */
    for (int i = 0; i < 24; i++)
        h.o3[i] = i >= 10 && i < 18 ? U(180) : -1;
    airday_station(&h, &in);
    assert_valid(&in, AQI_O3_8H, 180000);
    assert_int_equal(in.n[AQI_O3_8H], 5);
    assert_false(in.valid & AQI_BIT(AQI_O3_1H)); /* 8 hours: no daily maximum */
    assert_int_equal(in.n[AQI_O3_1H], 8);
    /* the same at 100: below the limit, too few windows */
    for (int i = 10; i < 18; i++)
        h.o3[i] = U(100);
    airday_station(&h, &in);
    assert_false(in.valid & AQI_BIT(AQI_O3_8H));
    assert_int_equal(in.v[AQI_O3_8H], U(100)); /* kept, labelled not valid */
}

static void test_area(void **state)
{
    (void)state;
    struct airday_hours a, b;
    struct airday_day ia, ib, in;
    day_of(&a, 24, (const int[]){10, 20, 1, 100, 50, 75});
    day_of(&b, 24, (const int[]){20, 40, 2, 50, 70, 45});
    b.n[AIRSTAT_SO2] = 10; /* b's SO2 is not valid: the area's SO2 is a's alone */
    for (int i = 12; i < 24; i++)
        b.o3[i] = -1; /* b's O3 only 00..11 */
    airday_station(&a, &ia);
    airday_station(&b, &ib);
    assert_false(ib.valid & AQI_BIT(AQI_O3_8H)); /* b alone has no valid MDA8 */
    struct airday_area area;
    memset(&area, 0, sizeof area);
    airday_area_add(&area, &a, &ia);
    airday_area_add(&area, &b, &ib);
    assert_int_equal(area.stations, 2);
    airday_area(&area, &in);
    assert_valid(&in, AQI_SO2, 10000);
    assert_int_equal(in.n[AQI_SO2], 1); /* stations with a valid value */
    assert_valid(&in, AQI_NO2, 30000);
    assert_int_equal(in.n[AQI_NO2], 2);
    assert_valid(&in, AQI_CO, 1500);
    assert_valid(&in, AQI_PM10, 60000);
    assert_valid(&in, AQI_PM25, 60000);
    /* the area's hours: 75 for 00..11, 100 for 12..23: the largest window 12..19 is 100 */
    assert_valid(&in, AQI_O3_8H, 100000);
    assert_valid(&in, AQI_O3_1H, 100000);
    /* 2026 edition: PM2.5 60 is IAQI 100; NO2 30 -> 38 (ceil 37.5); PM10 60 -> 50 + 50 * 10 /
     * 70 = 57.1 -> 58; the AQI is 100 */
    assert_int_equal(airday_aqi(2026, 6, 1, &in), 100);
    /* 2012 edition: PM2.5 60 -> 50 + 50 * 25 / 40 = 81.25 -> 82; PM10 60 -> 50 + 50 * 10 /
     * 100 = 55; O3 8 h 100 -> 50; O3 1 h 100 -> 32 (ceil 31.25); the AQI is 82 */
    assert_int_equal(airday_aqi(2025, 6, 1, &in), 82);
}

static void test_publication(void **state)
{
    (void)state;
    struct airday_day d;
    memset(&d, 0, sizeof d);
    /* HJ 633—2026 §5.3.1: PM2.5 40 alone gives 50 + 50 * 5 / 25 = 60 <= 100: withheld */
    d.v[AQI_PM25] = U(40), d.valid = AQI_BIT(AQI_PM25);
    assert_int_equal(airday_aqi(2026, 6, 1, &d), -1);
    /* PM2.5 80 alone: 100 + 50 * 20 / 55 = 118.2 -> 119 > 100: published */
    d.v[AQI_PM25] = U(80);
    assert_int_equal(airday_aqi(2026, 6, 1, &d), 119);
    /* a value present but not valid is no input */
    d.valid = 0;
    assert_int_equal(airday_aqi(2026, 6, 1, &d), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_station_validity_and_rounding),
        cmocka_unit_test(test_station_mda8),
        cmocka_unit_test(test_area),
        cmocka_unit_test(test_publication),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
