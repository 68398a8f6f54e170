/* Unit tests for domain/airday: a station's day from counts, sums and hourly O3 (validity,
 * rounding to 0.001 half to even, MDA8 and the 1-hour maximum), an area's day (the mean of the
 * stations' valid values, O3 from the area's hourly series), and the published daily AQI by
 * the date's edition (HJ 633—2026 §5.3 withholding; values worked out from the tables by hand). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/airday.h"

#define U(x) ((int64_t)(x)*AQI_MILLI) /* whole units to milli */

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
    struct aqi_input in;
    /* SO2 NO2 CO O3 PM10 PM2.5 */
    day_of(&h, 24, (const int[]){10, 20, 1, 100, 50, 30});
    assert_int_equal(airday_station(&h, &in), 0);
    assert_int_equal(in.c[AQI_SO2].num, 10000);
    assert_int_equal(in.c[AQI_CO].num, 1000);
    assert_int_equal(in.c[AQI_PM25].num, 30000);
    assert_int_equal(in.c[AQI_PM25].den, 1);
    assert_int_equal(in.c[AQI_O3_8H].num, 100000); /* every window 100 */
    assert_int_equal(in.c[AQI_O3_1H].num, 100000);
    /* 20 hours are enough, 19 are not (GB 3095 Table 4) */
    day_of(&h, 20, (const int[]){10, 20, 1, 100, 50, 30});
    assert_int_equal(airday_station(&h, &in), 0);
    assert_int_equal(in.c[AQI_NO2].den, 1);
    assert_int_equal(in.c[AQI_O3_1H].den, 1);
    day_of(&h, 19, (const int[]){10, 20, 1, 100, 50, 30});
    assert_int_equal(airday_station(&h, &in), 0);
    assert_int_equal(in.c[AQI_NO2].den, 0);
    assert_int_equal(in.c[AQI_O3_1H].den, 0);
    /* 19 hours 00..18: windows 00..11 have 8 hours, 12..16 have 7..3: 12, 13 valid -> 14 */
    assert_int_equal(in.c[AQI_O3_8H].num, 100000);
    /* a mean of 12.0005 over 20 hours is 12.000 (half to even), 12.0015 is 12.002 */
    h.n[AIRSTAT_PM25] = 20, h.sum[AIRSTAT_PM25] = 240010;
    assert_int_equal(airday_station(&h, &in), 0);
    assert_int_equal(in.c[AQI_PM25].num, 12000);
    h.sum[AIRSTAT_PM25] = 240030;
    assert_int_equal(airday_station(&h, &in), 0);
    assert_int_equal(in.c[AQI_PM25].num, 12002);
    /* out of range */
    h.n[AIRSTAT_PM25] = 25;
    assert_int_equal(airday_station(&h, &in), -1);
    h.n[AIRSTAT_PM25] = 20, h.sum[AIRSTAT_PM25] = -1;
    assert_int_equal(airday_station(&h, &in), -1);
}

static void test_station_mda8(void **state)
{
    (void)state;
    struct airday_hours h;
    struct aqi_input in;
    day_of(&h, 24, (const int[]){10, 20, 1, 60, 50, 30});
    /* hours 10..17 at 180: the window starting at 10 has mean 180 */
    for (int i = 10; i < 18; i++)
        h.o3[i] = U(180);
    /* hour 9 at 61: the window 9..16 = (61 + 7 * 180) / 8 = 165.125 < 180 */
    h.o3[9] = U(61);
    assert_int_equal(airday_station(&h, &in), 0);
    assert_int_equal(in.c[AQI_O3_8H].num, 180000);
    assert_int_equal(in.c[AQI_O3_1H].num, 180000);
    /* only hours 10..17 present: 3 valid windows (10..16 start with >= 6 hours: 10, 11, 12),
     * but the maximum 180 is above the 160 limit, so the day counts */
    for (int i = 0; i < 24; i++)
        h.o3[i] = i >= 10 && i < 18 ? U(180) : -1;
    assert_int_equal(airday_station(&h, &in), 0);
    assert_int_equal(in.c[AQI_O3_8H].num, 180000);
    assert_int_equal(in.c[AQI_O3_1H].den, 0); /* 8 hours: no daily maximum */
    /* the same at 100: below the limit, too few windows */
    for (int i = 10; i < 18; i++)
        h.o3[i] = U(100);
    assert_int_equal(airday_station(&h, &in), 0);
    assert_int_equal(in.c[AQI_O3_8H].den, 0);
}

static void test_area(void **state)
{
    (void)state;
    struct airday_hours a, b;
    struct aqi_input ia, ib, in;
    day_of(&a, 24, (const int[]){10, 20, 1, 100, 50, 75});
    day_of(&b, 24, (const int[]){20, 40, 2, 50, 70, 45});
    b.n[AIRSTAT_SO2] = 10; /* b's SO2 is not valid: the area's SO2 is a's alone */
    for (int i = 12; i < 24; i++)
        b.o3[i] = -1; /* b's O3 only 00..11 */
    assert_int_equal(airday_station(&a, &ia), 0);
    assert_int_equal(airday_station(&b, &ib), 0);
    assert_int_equal(ib.c[AQI_O3_8H].den, 0); /* b alone has no valid MDA8 */
    struct airday_area area;
    memset(&area, 0, sizeof area);
    airday_area_add(&area, &a, &ia);
    airday_area_add(&area, &b, &ib);
    assert_int_equal(area.stations, 2);
    assert_int_equal(airday_area_input(&area, &in), 0);
    assert_int_equal(in.c[AQI_SO2].num, 10000);
    assert_int_equal(in.c[AQI_NO2].num, 30000);
    assert_int_equal(in.c[AQI_CO].num, 1500);
    assert_int_equal(in.c[AQI_PM10].num, 60000);
    assert_int_equal(in.c[AQI_PM25].num, 60000);
    /* the area's hours: 75 for 00..11, 100 for 12..23: the largest window 12..19 is 100 */
    assert_int_equal(in.c[AQI_O3_8H].num, 100000);
    assert_int_equal(in.c[AQI_O3_1H].num, 100000);
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
    struct aqi_input in;
    memset(&in, 0, sizeof in);
    /* HJ 633—2026 §5.3.1: PM2.5 40 alone gives 50 + 50 * 5 / 25 = 60 <= 100: withheld */
    in.c[AQI_PM25] = (struct aqi_conc){U(40), 1};
    assert_int_equal(airday_aqi(2026, 6, 1, &in), -1);
    /* PM2.5 80 alone: 100 + 50 * 20 / 55 = 118.2 -> 119 > 100: published */
    in.c[AQI_PM25] = (struct aqi_conc){U(80), 1};
    assert_int_equal(airday_aqi(2026, 6, 1, &in), 119);
    /* nothing: none */
    memset(&in, 0, sizeof in);
    assert_int_equal(airday_aqi(2026, 6, 1, &in), -1);
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
