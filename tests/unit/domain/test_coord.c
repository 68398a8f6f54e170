/* Unit tests for domain/coord: published reference values of the forward
 * transforms, round trips of the iterative inverses over a grid of China, the
 * size of the Beijing offset, identity outside China and on invalid input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "domain/coord.h"

#define NEAR(a, b, eps) assert_true(fabs((a) - (b)) <= (eps))

static void test_reference_values(void **state)
{
    (void)state;
    double lon, lat;
    /* The values every implementation of the leaked algorithm reproduces
     * (e.g. the coordtransform README), Tiananmen area. */
    coord_wgs84_to_gcj02(116.404, 39.915, &lon, &lat);
    NEAR(lon, 116.41024449916938, 1e-12);
    NEAR(lat, 39.91640428150164, 1e-12);
    coord_gcj02_to_bd09(116.404, 39.915, &lon, &lat);
    NEAR(lon, 116.41036949371029, 1e-12);
    NEAR(lat, 39.92133699351021, 1e-12);
    /* The common one-step inverses give these; ours iterate, so agree to ~1e-5. */
    coord_bd09_to_gcj02(116.404, 39.915, &lon, &lat);
    NEAR(lon, 116.39762729119315, 2e-5);
    NEAR(lat, 39.90865673957631, 2e-5);
    coord_gcj02_to_wgs84(116.404, 39.915, &lon, &lat);
    NEAR(lon, 116.39775550083061, 1e-4);
    NEAR(lat, 39.91359571849836, 1e-4);
}

static void test_beijing_offset_size(void **state)
{
    (void)state;
    double lon, lat;
    coord_wgs84_to_gcj02(116.3913, 39.9075, &lon, &lat);
    double d = coord_distance_m(116.3913, 39.9075, lon, lat);
    /* A few hundred metres, to the east-north-east. */
    assert_true(d > 300.0 && d < 800.0);
    assert_true(lon > 116.3913 && lat > 39.9075);
    coord_gcj02_to_bd09(lon, lat, &lon, &lat);
    d = coord_distance_m(116.3913, 39.9075, lon, lat);
    assert_true(d > 800.0 && d < 2000.0);
}

static void test_round_trips(void **state)
{
    (void)state;
    /* A grid over mainland China, 1e-6 degrees required, 1e-7 delivered. */
    for (double lat0 = 18.5; lat0 <= 53.5; lat0 += 1.75) {
        for (double lon0 = 74.0; lon0 <= 134.5; lon0 += 2.5) {
            double glon, glat, wlon, wlat, blon, blat, g2lon, g2lat;
            coord_wgs84_to_gcj02(lon0, lat0, &glon, &glat);
            coord_gcj02_to_wgs84(glon, glat, &wlon, &wlat);
            NEAR(wlon, lon0, 1e-7);
            NEAR(wlat, lat0, 1e-7);

            coord_gcj02_to_bd09(glon, glat, &blon, &blat);
            coord_bd09_to_gcj02(blon, blat, &g2lon, &g2lat);
            NEAR(g2lon, glon, 1e-7);
            NEAR(g2lat, glat, 1e-7);

            coord_wgs84_to_bd09(lon0, lat0, &blon, &blat);
            coord_bd09_to_wgs84(blon, blat, &wlon, &wlat);
            NEAR(wlon, lon0, 1e-6);
            NEAR(wlat, lat0, 1e-6);
        }
    }
    /* The demo city (a ceramics city in Jiangxi). */
    double glon, glat, wlon, wlat;
    coord_wgs84_to_gcj02(117.178, 29.268, &glon, &glat);
    coord_gcj02_to_wgs84(glon, glat, &wlon, &wlat);
    NEAR(wlon, 117.178, 1e-7);
    NEAR(wlat, 29.268, 1e-7);
}

static void test_outside_china_identity(void **state)
{
    (void)state;
    static const double pts[][2] = {
        {2.3522, 48.8566},                  /* Paris */
        {139.6917, 35.6895},                /* Tokyo: east of the rectangle */
        {-74.006, 40.7128},                 /* New York */
        {151.2093, -33.8688}, {100.0, 0.5}, /* just south of the rectangle */
    };
    for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
        double lon, lat;
        assert_true(coord_out_of_china(pts[i][0], pts[i][1]));
        coord_wgs84_to_gcj02(pts[i][0], pts[i][1], &lon, &lat);
        assert_true(lon == pts[i][0] && lat == pts[i][1]);
        coord_gcj02_to_wgs84(pts[i][0], pts[i][1], &lon, &lat);
        assert_true(lon == pts[i][0] && lat == pts[i][1]);
        coord_gcj02_to_bd09(pts[i][0], pts[i][1], &lon, &lat);
        assert_true(lon == pts[i][0] && lat == pts[i][1]);
        coord_bd09_to_gcj02(pts[i][0], pts[i][1], &lon, &lat);
        assert_true(lon == pts[i][0] && lat == pts[i][1]);
    }
    assert_false(coord_out_of_china(116.4, 39.9));
    assert_false(coord_out_of_china(121.47, 31.23));
}

static void test_valid(void **state)
{
    (void)state;
    assert_true(coord_valid(0, 0));
    assert_true(coord_valid(-180, -90));
    assert_true(coord_valid(180, 90));
    assert_false(coord_valid(180.0001, 0));
    assert_false(coord_valid(0, -90.0001));
    assert_false(coord_valid(NAN, 0));
    assert_false(coord_valid(0, INFINITY));
    assert_false(coord_valid(-INFINITY, 0));
    /* Invalid input passes through unchanged (NaN stays NaN, no UB). */
    double lon = 1, lat = 1;
    coord_wgs84_to_gcj02(NAN, 39.9, &lon, &lat);
    assert_true(isnan(lon));
    assert_true(lat == 39.9);
    coord_gcj02_to_wgs84(116.4, INFINITY, &lon, &lat);
    assert_true(lon == 116.4 && isinf(lat));
    coord_bd09_to_gcj02(500.0, 39.9, &lon, &lat);
    assert_true(lon == 500.0 && lat == 39.9);
}

static void test_distance(void **state)
{
    (void)state;
    /* One degree of latitude is about 111.2 km. */
    NEAR(coord_distance_m(116.0, 39.0, 116.0, 40.0), 111195.0, 10.0);
    NEAR(coord_distance_m(116.0, 39.0, 116.0, 39.0), 0.0, 1e-9);
    NEAR(coord_distance_m(0, 0, 180, 0), 20015114.0, 10.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_values),
        cmocka_unit_test(test_beijing_offset_size),
        cmocka_unit_test(test_round_trips),
        cmocka_unit_test(test_outside_china_identity),
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_distance),
    };
    return cmocka_run_group_tests_name("coord", tests, NULL, NULL);
}
