/* Unit tests for domain/river_rules and domain/river_exif: reach geometries
 * (types, extent, closure, limits), patrol tracks (order, window, gaps,
 * implausible speed, imprecise fixes, distance), patrol arrears by level, and
 * the EXIF GPS position of a hand-built JPEG. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <shapefil.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "domain/coord.h"
#include "domain/river_exif.h"
#include "domain/river_rules.h"

static int geom(const char *text, double *len)
{
    json_t *g = json_loads(text, 0, NULL);
    char err[160];
    int rc = river_geometry_check(g, len, err, sizeof err);
    json_decref(g);
    return rc;
}

static void test_geometry_types(void **state)
{
    (void)state;
    double len = 0;
    assert_int_equal(
        geom("{\"type\":\"LineString\",\"coordinates\":[[117.5,29.58],[117.48,29.55]]}", &len), 0);
    assert_true(fabs(len - coord_distance_m(117.5, 29.58, 117.48, 29.55)) < 1e-6);
    assert_true(len > 3000 && len < 4500);
    assert_int_equal(geom("{\"type\":\"MultiLineString\",\"coordinates\":[[[117.5,29.5],[117.6,"
                          "29.5]],[[117.6,29.5],[117.6,29.6]]]}",
                          &len),
                     0);
    assert_true(len > 20000);
    assert_int_equal(geom("{\"type\":\"Polygon\",\"coordinates\":[[[117.1,29.4],[117.2,29.4],"
                          "[117.2,29.5],[117.1,29.4]]]}",
                          &len),
                     0);
    /* refused: a point, a multipolygon, no type, not an object */
    assert_int_equal(geom("{\"type\":\"Point\",\"coordinates\":[117.5,29.5]}", &len), -1);
    assert_int_equal(geom("{\"type\":\"MultiPolygon\",\"coordinates\":[]}", &len), -1);
    assert_int_equal(geom("{\"coordinates\":[[117.5,29.58],[117.48,29.55]]}", &len), -1);
    assert_int_equal(geom("[1,2]", &len), -1);
}

static void test_geometry_hostile(void **state)
{
    (void)state;
    double len;
    /* swapped axes, outside China, a single point, text, unclosed ring */
    assert_int_equal(
        geom("{\"type\":\"LineString\",\"coordinates\":[[29.5,117.5],[29.6,117.5]]}", &len), -1);
    assert_int_equal(
        geom("{\"type\":\"LineString\",\"coordinates\":[[2.35,48.85],[2.36,48.86]]}", &len), -1);
    assert_int_equal(geom("{\"type\":\"LineString\",\"coordinates\":[[117.5,29.5]]}", &len), -1);
    assert_int_equal(
        geom("{\"type\":\"LineString\",\"coordinates\":[[\"117\",29.5],[117,29]]}", &len), -1);
    assert_int_equal(geom("{\"type\":\"Polygon\",\"coordinates\":[[[117.1,29.4],[117.2,29.4],"
                          "[117.2,29.5],[117.15,29.45]]]}",
                          &len),
                     -1);
    /* a bow-tie lake outline crosses itself: refused with GEOS's reason; a hole outside its
     * shell likewise */
    json_t *bowtie = json_loads("{\"type\":\"Polygon\",\"coordinates\":[[[117.1,29.4],"
                                "[117.2,29.5],[117.2,29.4],[117.1,29.5],[117.1,29.4]]]}",
                                0, NULL);
    char why[200];
    assert_int_equal(river_geometry_check(bowtie, &len, why, sizeof why), -1);
    assert_non_null(strstr(why, "Self-intersection"));
    json_decref(bowtie);
    assert_int_equal(geom("{\"type\":\"Polygon\",\"coordinates\":[[[117.1,29.4],[117.2,29.4],"
                          "[117.2,29.5],[117.1,29.5],[117.1,29.4]],[[117.3,29.4],[117.4,29.4],"
                          "[117.4,29.5],[117.3,29.4]]]}",
                          &len),
                     -1);
    /* a square with a hole inside it is valid */
    assert_int_equal(geom("{\"type\":\"Polygon\",\"coordinates\":[[[117.1,29.4],[117.2,29.4],"
                          "[117.2,29.5],[117.1,29.5],[117.1,29.4]],[[117.12,29.42],[117.14,29.42],"
                          "[117.14,29.44],[117.12,29.42]]]}",
                          &len),
                     0);
    /* more vertices than allowed */
    json_t *line = json_array();
    for (int i = 0; i <= RIVER_GEOM_MAX_POINTS; i++)
        json_array_append_new(line, json_pack("[ff]", 117.0 + i * 1e-5, 29.0));
    json_t *g = json_pack("{ss so}", "type", "LineString", "coordinates", line);
    char err[160];
    assert_int_equal(river_geometry_check(g, &len, err, sizeof err), -1);
    assert_non_null(strstr(err, "点数"));
    json_decref(g);
}

static int track(struct river_track_state *st, const struct river_fix *f, size_t n, unsigned *flags,
                 double *dist, int *gaps, int *fast)
{
    size_t bad;
    char err[128];
    return river_track_add(st, f, n, 1000, 100000, flags, dist, gaps, fast, &bad, err, sizeof err);
}

static void test_track_flags(void **state)
{
    (void)state;
    struct river_track_state st = {0};
    unsigned flags[6];
    double dist = 0;
    int gaps = 0, fast = 0;
    /* walk 1e-4 deg lat (~11 m) per 30 s; then a 7-minute gap; then a 5 km
     * jump in 30 s; then an imprecise fix; then walking on */
    struct river_fix f[] = {
        {1000, 117.5, 29.5, 10},     {1030, 117.5, 29.5001, 10},  {1450, 117.5, 29.5002, 10},
        {1480, 117.55, 29.5002, 10}, {1510, 117.5, 29.5003, 500}, {1540, 117.5, 29.5004, 10},
    };
    assert_int_equal(track(&st, f, 6, flags, &dist, &gaps, &fast), 0);
    assert_int_equal(flags[0], RIVER_FIX_OK);
    assert_int_equal(flags[1], RIVER_FIX_OK);
    assert_int_equal(flags[2], RIVER_FIX_GAP);
    assert_int_equal(flags[3], RIVER_FIX_SPEED);
    assert_int_equal(flags[4], RIVER_FIX_IMPRECISE);
    assert_int_equal(flags[5], RIVER_FIX_OK);
    assert_int_equal(gaps, 1);
    assert_int_equal(fast, 1);
    /* counted: 0->1 (~11 m), the gap's line not, 2->5 (~22 m) */
    double want = coord_distance_m(117.5, 29.5, 117.5, 29.5001) +
                  coord_distance_m(117.5, 29.5002, 117.5, 29.5004);
    assert_true(fabs(dist - want) < 1e-6);
    assert_true(st.has_last);
    assert_int_equal(st.last.t, 1540);
    /* the next batch continues: a fix at the same second is refused, state untouched */
    struct river_fix again = {1540, 117.5, 29.5005, 10};
    size_t bad = 99;
    char err[128];
    assert_int_equal(river_track_add(&st, &again, 1, 1000, 100000, flags, &dist, &gaps, &fast, &bad,
                                     err, sizeof err),
                     -1);
    assert_int_equal(bad, 0);
    assert_int_equal(st.last_t, 1540);
    assert_true(fabs(dist - want) < 1e-6);
}

static void test_track_refusals(void **state)
{
    (void)state;
    struct river_track_state st = {0};
    unsigned flags[2];
    double dist = 0;
    int gaps = 0, fast = 0;
    struct river_fix outside[] = {{1100, 2.35, 48.85, 5}};
    struct river_fix nan_fix[] = {{1100, NAN, 29.5, 5}};
    struct river_fix future[] = {{100000 + 61, 117.5, 29.5, 5}};
    struct river_fix before[] = {{1000 - 61, 117.5, 29.5, 5}};
    struct river_fix backwards[] = {{1200, 117.5, 29.5, 5}, {1100, 117.5, 29.5, 5}};
    struct river_fix bad_acc[] = {{1100, 117.5, 29.5, INFINITY}};
    assert_int_equal(track(&st, outside, 1, flags, &dist, &gaps, &fast), -1);
    assert_int_equal(track(&st, nan_fix, 1, flags, &dist, &gaps, &fast), -1);
    assert_int_equal(track(&st, future, 1, flags, &dist, &gaps, &fast), -1);
    assert_int_equal(track(&st, before, 1, flags, &dist, &gaps, &fast), -1);
    assert_int_equal(track(&st, backwards, 2, flags, &dist, &gaps, &fast), -1);
    assert_int_equal(track(&st, bad_acc, 1, flags, &dist, &gaps, &fast), -1);
    assert_false(st.has_last);
    assert_int_equal(st.last_t, 0);
}

static void test_levels_and_arrears(void **state)
{
    (void)state;
    assert_int_equal(river_level_parse("village"), RIVER_VILLAGE);
    assert_int_equal(river_level_parse("city"), RIVER_CITY);
    assert_int_equal(river_level_parse("province"), -1);
    assert_int_equal(river_level_parse(NULL), -1);
    assert_int_equal(river_level_default_days(RIVER_VILLAGE), 7);
    assert_int_equal(river_level_default_days(RIVER_TOWNSHIP), 14);
    assert_int_equal(river_level_default_days(RIVER_COUNTY), 30);
    assert_int_equal(river_level_default_days(RIVER_CITY), 90);
    assert_string_equal(river_level_name(RIVER_TOWNSHIP), "乡级");
    /* weekly: patrolled on day 100; due on 107 (on time), behind from 108 */
    assert_int_equal(river_days_behind(50, 100, 106, 7), 0);
    assert_int_equal(river_days_behind(50, 100, 107, 7), 0);
    assert_int_equal(river_days_behind(50, 100, 108, 7), 1);
    assert_int_equal(river_days_behind(50, 100, 121, 7), 14);
    /* never patrolled: counted from taking the reach */
    assert_int_equal(river_days_behind(200, -1, 205, 7), 0);
    assert_int_equal(river_days_behind(200, -1, 230, 14), 16);
    /* a patrol before he took the reach does not count */
    assert_int_equal(river_days_behind(200, 150, 210, 7), 3);
}

/* A JPEG with only an APP1 EXIF block: IFD0 -> GPS IFD with N/lat, E/lon. */
static size_t exif_jpeg(unsigned char *out, const unsigned deg[3], char ns, const unsigned lon[3],
                        char ew)
{
    unsigned char t[128] = {'I', 'I', 0x2a, 0, 8, 0, 0, 0};
    size_t p = 8;
#define U16(v) (t[p++] = (unsigned char)((v)&0xff), t[p++] = (unsigned char)((v) >> 8))
#define U32(v) (U16((v)&0xffff), U16((unsigned)(v) >> 16))
    U16(1);
    U16(0x8825), U16(4), U32(1), U32(26), U32(0); /* GPS IFD at 26 */
    U16(4);
    U16(1), U16(2), U32(2), t[p++] = (unsigned char)ns, t[p++] = 0, U16(0);
    U16(2), U16(5), U32(3), U32(80);
    U16(3), U16(2), U32(2), t[p++] = (unsigned char)ew, t[p++] = 0, U16(0);
    U16(4), U16(5), U32(3), U32(104);
    U32(0);
    for (int i = 0; i < 3; i++)
        U32(deg[i]), U32(1);
    for (int i = 0; i < 3; i++)
        U32(lon[i]), U32(1);
#undef U16
#undef U32
    size_t n = 0;
    out[n++] = 0xff, out[n++] = 0xd8, out[n++] = 0xff, out[n++] = 0xe1;
    out[n++] = 0, out[n++] = (unsigned char)(2 + 6 + p);
    memcpy(out + n, "Exif\0\0", 6), n += 6;
    memcpy(out + n, t, p), n += p;
    out[n++] = 0xff, out[n++] = 0xd9;
    return n;
}

static void test_exif_position(void **state)
{
    (void)state;
    unsigned char jpeg[200];
    unsigned lat[3] = {29, 34, 48}, lon[3] = {117, 30, 0};
    size_t n = exif_jpeg(jpeg, lat, 'N', lon, 'E');
    double x = 0, y = 0;
    assert_true(river_exif_position(jpeg, n, &x, &y));
    assert_true(fabs(x - 117.5) < 1e-9);
    assert_true(fabs(y - 29.58) < 1e-9);
    n = exif_jpeg(jpeg, lat, 'S', lon, 'W');
    assert_true(river_exif_position(jpeg, n, &x, &y));
    assert_true(x < 0 && y < 0);
    /* no EXIF, truncated, garbage */
    static const unsigned char plain[] = {0xff, 0xd8, 0xff, 0xdb, 0, 4, 0, 0, 0xff, 0xd9};
    assert_false(river_exif_position(plain, sizeof plain, &x, &y));
    n = exif_jpeg(jpeg, lat, 'N', lon, 'E');
    assert_false(river_exif_position(jpeg, 20, &x, &y));
    assert_false(river_exif_position("hello", 5, &x, &y));
    assert_false(river_exif_position(NULL, 0, &x, &y));
}

/* A line layer of two reaches (one of two parts) and a GB18030 name, written
 * with shapelib, read back as the import's FeatureCollection. */
static void test_shapefile(void **state)
{
    (void)state;
    char base[64];
    snprintf(base, sizeof base, "/tmp/ecogov-river-shp-%d", (int)getpid());
    SHPHandle shp = SHPCreate(base, SHPT_ARC);
    DBFHandle dbf = DBFCreate(base);
    assert_true(shp && dbf);
    /* the fields code, name, seq: indexes 0, 1, 2 */
    static const struct {
        const char *name;
        DBFFieldType type;
        int width;
    } cols[] = {{"code", FTString, 32}, {"name", FTString, 64}, {"seq", FTInteger, 6}};
    for (int i = 0; i < 3; i++)
        assert_int_equal(DBFAddField(dbf, cols[i].name, cols[i].type, cols[i].width, 0), i);
    const int code = 0, name = 1, seq = 2;
    double x1[] = {117.50, 117.48}, y1[] = {29.58, 29.55};
    double x2[] = {117.48, 117.45, 117.45, 117.40}, y2[] = {29.55, 29.52, 29.52, 29.45};
    int parts[] = {0, 2};
    SHPObject *a = SHPCreateSimpleObject(SHPT_ARC, 2, x1, y1, NULL);
    SHPObject *b = SHPCreateObject(SHPT_ARC, -1, 2, parts, NULL, 4, x2, y2, NULL, NULL);
    assert_int_equal(SHPWriteObject(shp, -1, a), 0);
    assert_int_equal(SHPWriteObject(shp, -1, b), 1);
    SHPDestroyObject(a);
    SHPDestroyObject(b);
    DBFWriteStringAttribute(dbf, 0, code, "R-1");
    DBFWriteStringAttribute(dbf, 0, name, "\xc9\xcf\xd3\xce"); /* 上游 in GB18030 */
    DBFWriteIntegerAttribute(dbf, 0, seq, 1);
    DBFWriteStringAttribute(dbf, 1, code, "R-2");
    DBFWriteStringAttribute(dbf, 1, name, "下游");
    DBFWriteIntegerAttribute(dbf, 1, seq, 2);
    SHPClose(shp);
    DBFClose(dbf);
    char path[80], err[200];
    snprintf(path, sizeof path, "%s.shp", base);
    json_t *fc = river_shapefile_geojson(path, err, sizeof err);
    assert_non_null(fc);
    json_t *f = json_object_get(fc, "features");
    assert_int_equal(json_array_size(f), 2);
    json_t *p0 = json_object_get(json_array_get(f, 0), "properties");
    assert_string_equal(json_string_value(json_object_get(p0, "name")), "上游");
    assert_int_equal(json_integer_value(json_object_get(p0, "seq")), 1);
    json_t *g1 = json_object_get(json_array_get(f, 1), "geometry");
    assert_string_equal(json_string_value(json_object_get(g1, "type")), "MultiLineString");
    double len;
    assert_int_equal(river_geometry_check(g1, &len, err, sizeof err), 0);
    json_decref(fc);
    for (const char *ext = ".shp"; ext; ext = !strcmp(ext, ".shp")   ? ".shx"
                                              : !strcmp(ext, ".shx") ? ".dbf"
                                                                     : NULL) {
        snprintf(path, sizeof path, "%s%s", base, ext);
        unlink(path);
    }
    assert_null(river_shapefile_geojson("/nonexistent/x.shp", err, sizeof err));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_geometry_types),     cmocka_unit_test(test_geometry_hostile),
        cmocka_unit_test(test_track_flags),        cmocka_unit_test(test_track_refusals),
        cmocka_unit_test(test_levels_and_arrears), cmocka_unit_test(test_exif_position),
        cmocka_unit_test(test_shapefile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
