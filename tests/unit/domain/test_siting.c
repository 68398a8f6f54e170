/* Unit tests for domain/siting: industry coverage, verdicts per unit and their
 * deciding rule, boundary semantics, areas, and the Shapefile reader (a file
 * written here with shapelib, GB18030 attributes included). */
#include "core/rng.h"
#include "domain/siting.h"
#include "domain/siting_internal.h"
#include "core/text.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <iconv.h>
#include <math.h>
#include <shapefil.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char UNITS[] =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"code\":\"ZH36022210001\",\"name\":\"瑶里\","
    "\"class\":\"优先保护\",\"KJBJYS\":\"禁止工业\",\"rules\":[{\"kind\":\"restrict\","
    "\"industries\":[\"C\"],\"ref\":\"r1\"},{\"kind\":\"prohibit\",\"industries\":[\"C30\","
    "\"2662\"],\"condition\":\"新建\",\"ref\":\"r2\"}]},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[117,29],[117.5,29],[117.5,29.5],"
    "[117,29.5],[117,29]],[[117.2,29.2],[117.2,29.3],[117.3,29.3],[117.3,29.2],[117.2,29.2]]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"HJZHGKDYBM\":\"ZH36020320001\",\"HJZHGKDYMC\":"
    "\"珠山\","
    "\"ZHGKDYFL\":\"2\",\"GZ_RULES\":\"[{\\\"kind\\\":\\\"restrict\\\",\\\"industries\\\":["
    "\\\"3071\\\"]}]\"},"
    "\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[[[[117.5,29],[118,29],[118,29.5],"
    "[117.5,29.5],[117.5,29]]]]}}]}";

static struct siting_units *load(void)
{
    char err[256] = "";
    struct siting_units *u = siting_units_from_geojson(UNITS, sizeof UNITS - 1, err, sizeof err);
    if (!u)
        fail_msg("load: %s", err);
    return u;
}

static void test_covers(void **state)
{
    (void)state;
    assert_true(siting_industry_covers("C", "C3074"));
    assert_true(siting_industry_covers("C30", "C3074"));
    assert_true(siting_industry_covers("307", "C3074"));
    assert_true(siting_industry_covers("3074", "3074"));
    assert_false(siting_industry_covers("3071", "C3074"));
    assert_false(siting_industry_covers("D", "C3074"));
    assert_false(siting_industry_covers("C26", "C3074"));
    assert_false(siting_industry_covers("bad", "C3074"));
    assert_false(siting_industry_covers("C30", "x"));
}

static void test_verdicts(void **state)
{
    (void)state;
    struct siting_units *u = load();
    assert_int_equal(siting_units_count(u), 2);
    int rule;
    /* The prohibition wins over the broader restriction, and names itself. */
    assert_int_equal(siting_unit_verdict(u, 0, "C3074", &rule), SITING_PROHIBIT);
    assert_int_equal(rule, 1);
    assert_int_equal(siting_unit_verdict(u, 0, "C2662", &rule), SITING_PROHIBIT);
    assert_int_equal(siting_unit_verdict(u, 0, "C2710", &rule), SITING_RESTRICT);
    assert_int_equal(rule, 0);
    assert_int_equal(siting_unit_verdict(u, 0, "O8111", &rule), SITING_ALLOW);
    assert_int_equal(rule, -1);
    assert_int_equal(siting_unit_verdict(u, 1, "C3071", &rule), SITING_RESTRICT);
    assert_int_equal(siting_unit_verdict(u, 1, "C3074", &rule), SITING_ALLOW);
    siting_units_free(u);
}

static long hits(struct siting_units *u, const char *geojson, size_t *idx)
{
    json_t *in = json_loads(geojson, 0, NULL), *wgs = NULL;
    char err[256];
    assert_int_equal(siting_location_parse(in, SITING_WGS84, &wgs, err, sizeof err), 0);
    long n = siting_intersecting(u, wgs, idx, 4, err, sizeof err);
    json_decref(in);
    json_decref(wgs);
    return n;
}

static void test_boundaries(void **state)
{
    (void)state;
    struct siting_units *u = load();
    size_t idx[4];
    /* On the shared edge: both units. */
    assert_int_equal(hits(u, "{\"type\":\"Point\",\"coordinates\":[117.5,29.25]}", idx), 2);
    assert_int_equal(idx[0], 0);
    assert_int_equal(idx[1], 1);
    /* In the hole: none; on the hole's edge: the unit. */
    assert_int_equal(hits(u, "{\"type\":\"Point\",\"coordinates\":[117.25,29.25]}", idx), 0);
    assert_int_equal(hits(u, "{\"type\":\"Point\",\"coordinates\":[117.2,29.25]}", idx), 1);
    /* At a vertex, and outside. */
    assert_int_equal(hits(u, "{\"type\":\"Point\",\"coordinates\":[118,29.5]}", idx), 1);
    assert_int_equal(hits(u, "{\"type\":\"Point\",\"coordinates\":[118.01,29.5]}", idx), 0);
    siting_units_free(u);
}

static void test_check_report(void **state)
{
    (void)state;
    struct siting_units *u = load();
    json_t *in = json_loads(
               "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
               "[[[117.4,29.4],[117.6,29.4],[117.6,29.45],[117.4,29.45],[117.4,29.4]]]}}",
               0, NULL),
           *wgs = NULL;
    char err[256];
    assert_int_equal(siting_location_parse(in, SITING_WGS84, &wgs, err, sizeof err), 0);
    json_t *r = siting_check(u, wgs, "3074", err, sizeof err);
    assert_non_null(r);
    assert_string_equal(json_string_value(json_object_get(r, "industry")), "C3074");
    assert_string_equal(json_string_value(json_object_get(r, "verdict")), "禁止");
    json_t *units = json_object_get(r, "units");
    assert_int_equal(json_array_size(units), 2);
    double a0 = json_real_value(json_object_get(json_array_get(units, 0), "overlap_m2"));
    double a1 = json_real_value(json_object_get(json_array_get(units, 1), "overlap_m2"));
    double area = json_real_value(json_object_get(r, "area_m2"));
    assert_true(area > 1e7);
    assert_true(a0 > 0 && a1 > 0 && a0 + a1 > area * 0.999999 && a0 + a1 < area * 1.000001);
    assert_null(siting_check(u, wgs, "nope", err, sizeof err));
    json_decref(r);
    json_decref(wgs);
    json_decref(in);
    /* A project well inside one unit (not touching it or its hole) overlaps it
     * entirely, and a project containing a whole unit overlaps all of that unit. */
    in = json_loads("{\"type\":\"Polygon\",\"coordinates\":[[[117.05,29.05],[117.1,29.05],"
                    "[117.1,29.1],[117.05,29.1],[117.05,29.05]]]}",
                    0, NULL);
    assert_int_equal(siting_location_parse(in, SITING_WGS84, &wgs, err, sizeof err), 0);
    r = siting_check(u, wgs, "3074", err, sizeof err);
    units = json_object_get(r, "units");
    assert_int_equal(json_array_size(units), 1);
    assert_true(json_real_value(json_object_get(json_array_get(units, 0), "overlap_m2")) ==
                json_real_value(json_object_get(r, "area_m2")));
    assert_true(json_real_value(json_object_get(json_array_get(units, 0), "overlap_share")) == 1.0);
    json_decref(r);
    json_decref(wgs);
    json_decref(in);
    in = json_loads("{\"type\":\"Polygon\",\"coordinates\":[[[117.4,28.9],[118.1,28.9],"
                    "[118.1,29.6],[117.4,29.6],[117.4,28.9]]]}",
                    0, NULL);
    assert_int_equal(siting_location_parse(in, SITING_WGS84, &wgs, err, sizeof err), 0);
    r = siting_check(u, wgs, "3074", err, sizeof err);
    units = json_object_get(r, "units");
    assert_int_equal(json_array_size(units), 2);
    double part = json_real_value(json_object_get(json_array_get(units, 0), "overlap_m2"));
    double whole = json_real_value(json_object_get(json_array_get(units, 1), "overlap_m2"));
    assert_true(part > 0 && whole > 4 * part); /* 0.1 of unit 0's width, all of unit 1 */
    assert_true(part + whole < json_real_value(json_object_get(r, "area_m2")));
    json_decref(r);
    json_decref(wgs);
    json_decref(in);
    siting_units_free(u);
}

/* Three units. The first's texts need escaping in JSON (quotes, a backslash, a
 * line break and a tab in a 管控要求) and its clause reference is long enough
 * that the reason is cut: 17 bytes, then 3-byte characters, so the character
 * at bytes 509-511 is the one a cut at 511 bytes drops. The second's rules are
 * short, one without a reference or a condition; the third (一般管控) has none. */
static struct siting_units *load_hostile(char *ref, size_t refsz)
{
    size_t n = (size_t)snprintf(ref, refsz, "《\"清单\"》\\ab");
    assert_int_equal(n, 17);
    while (n + 3 < refsz && n < 600)
        memcpy(ref + n, "条", 3), n += 3;
    ref[n] = '\0';
    json_t *first = json_pack(
        "{ss s{ss ss si ss s[{ss s[s] ss ss}]} s{ss s[[[ff][ff][ff][ff][ff]]]}}", "type", "Feature",
        "properties", "code", "ZH36022210009", "name", "瑶里\"东\\区", "class", 1, "KJBJYS",
        "禁止\"工业\"\n第二行\t表", "rules", "kind", "prohibit", "industries", "C30", "condition",
        "新建", "ref", ref, "geometry", "type", "Polygon", "coordinates", 117.0, 29.0, 117.5, 29.0,
        117.5, 29.5, 117.0, 29.5, 117.0, 29.0);
    json_t *second =
        json_pack("{ss s{ss ss si s[{ss s[s] ss ss}{ss s[s]}]} s{ss s[[[ff][ff][ff][ff][ff]]]}}",
                  "type", "Feature", "properties", "code", "ZH36022220010", "name", "景德", "class",
                  2, "rules", "kind", "restrict", "industries", "C26", "ref", "第3条", "condition",
                  "扩建", "kind", "prohibit", "industries", "C27", "geometry", "type", "Polygon",
                  "coordinates", 118.0, 29.0, 118.5, 29.0, 118.5, 29.5, 118.0, 29.5, 118.0, 29.0);
    json_t *third = json_pack("{ss s{ss ss si} s{ss s[[[ff][ff][ff][ff][ff]]]}}", "type", "Feature",
                              "properties", "code", "ZH36022230011", "name", "浮梁", "class", 3,
                              "geometry", "type", "Polygon", "coordinates", 119.0, 29.0, 119.5,
                              29.0, 119.5, 29.5, 119.0, 29.5, 119.0, 29.0);
    json_t *fc =
        json_pack("{ss s[ooo]}", "type", "FeatureCollection", "features", first, second, third);
    assert_non_null(fc);
    char *text = json_dumps(fc, 0), err[256] = "";
    struct siting_units *u = siting_units_from_geojson(text, strlen(text), err, sizeof err);
    if (!u)
        fail_msg("load: %s", err);
    free(text);
    json_decref(fc);
    return u;
}

/* a and b hold the same values with their keys in the same order, all the way
 * down (json_equal alone ignores the order). */
static void assert_same_json(json_t *a, json_t *b)
{
    assert_true(json_equal(a, b));
    if (json_is_object(a)) {
        void *i = json_object_iter(a), *j = json_object_iter(b);
        for (; i && j; i = json_object_iter_next(a, i), j = json_object_iter_next(b, j)) {
            assert_string_equal(json_object_iter_key(i), json_object_iter_key(j));
            assert_same_json(json_object_iter_value(i), json_object_iter_value(j));
        }
        assert_true(!i && !j);
    } else if (json_is_array(a)) {
        for (size_t k = 0; k < json_array_size(a); k++)
            assert_same_json(json_array_get(a, k), json_array_get(b, k));
    }
}

/* The report of one check as siting_check_text writes it, read back; the
 * summary's verdict and units checked against it, and siting_check's tree the
 * same report key for key. */
static json_t *report_of(struct siting_units *u, const char *location, const char *industry)
{
    json_t *in = json_loads(location, 0, NULL), *wgs = NULL;
    char err[256];
    assert_int_equal(siting_location_parse(in, SITING_WGS84, &wgs, err, sizeof err), 0);
    size_t len = 0;
    struct siting_summary sum;
    char *text = siting_check_text(u, wgs, industry, &len, &sum, err, sizeof err);
    assert_non_null(text);
    assert_int_equal(len, strlen(text));
    json_error_t je;
    json_t *r = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!r)
        fail_msg("report is not JSON (%s): %s", je.text, text);
    json_t *units = json_object_get(r, "units");
    assert_string_equal(siting_verdict_code(sum.worst),
                        json_string_value(json_object_get(r, "verdict_code")));
    assert_int_equal(sum.n, json_array_size(units));
    for (size_t k = 0; k < sum.n; k++)
        assert_string_equal(siting_unit_code(u, sum.units[k]),
                            json_string_value(json_object_get(json_array_get(units, k), "code")));
    json_t *tree = siting_check(u, wgs, industry, err, sizeof err);
    assert_non_null(tree);
    assert_same_json(tree, r);
    json_decref(tree);
    free(sum.units);
    free(text);
    json_decref(wgs);
    json_decref(in);
    return r;
}

/* o's keys, in order, are exactly the NULL-terminated list. */
static void assert_keys(json_t *o, const char *const *keys)
{
    void *it = json_object_iter(o);
    for (; *keys; keys++, it = json_object_iter_next(o, it)) {
        assert_non_null(it);
        assert_string_equal(json_object_iter_key(it), *keys);
    }
    assert_null(it);
}

static const char *unit_reason(json_t *r)
{
    return json_string_value(
        json_object_get(json_array_get(json_object_get(r, "units"), 0), "reason"));
}

/* Texts that need escaping and the reason cut inside a character, on a
 * partial overlap. */
static void test_report_escapes(void **state)
{
    (void)state;
    char ref[1024], want[512];
    struct siting_units *u = load_hostile(ref, sizeof ref);
    static const char part[] = "{\"type\":\"Polygon\",\"coordinates\":[[[117.4,29.4],[117.6,29.4],"
                               "[117.6,29.45],[117.4,29.45],[117.4,29.4]]]}";
    json_t *r = report_of(u, part, "C3074");
    json_t *e = json_array_get(json_object_get(r, "units"), 0);
    assert_int_equal(json_array_size(json_object_get(r, "units")), 1);
    assert_string_equal(json_string_value(json_object_get(e, "name")), "瑶里\"东\\区");
    json_t *dims = json_object_get(e, "dimensions");
    assert_string_equal(json_string_value(json_object_get(dims, "空间布局约束")),
                        "禁止\"工业\"\n第二行\t表");
    assert_string_equal(json_string_value(json_object_get(dims, "环境风险防控")), "");
    json_t *rule = json_object_get(e, "rule");
    assert_string_equal(json_string_value(json_object_get(rule, "kind")), "prohibit");
    assert_string_equal(json_string_value(json_object_get(rule, "ref")), ref);
    assert_string_equal(json_string_value(json_object_get(rule, "condition")), "新建");
    assert_string_equal(json_string_value(json_array_get(json_object_get(rule, "industries"), 0)),
                        "C30");
    memcpy(want, ref, 509); /* 511 bytes of reason, the last character whole at 509 */
    want[509] = '\0';
    assert_string_equal(unit_reason(r), want);
    double area = json_real_value(json_object_get(r, "area_m2"));
    double m2 = json_real_value(json_object_get(e, "overlap_m2"));
    double share = json_real_value(json_object_get(e, "overlap_share"));
    assert_true(area == round(area * 100) / 100 && area > 1e7);
    assert_true(m2 == round(m2 * 100) / 100 && share == round(share * 1e6) / 1e6);
    assert_true(m2 > 0 && m2 < area && share > 0.4 && share < 0.6);
    assert_true(json_is_false(json_object_get(e, "sliver")));
    json_decref(r);
    r = report_of(u, part, "O8111");
    assert_string_equal(unit_reason(r), "准入清单未对行业 O8111 设禁止或限制条款");
    assert_true(
        json_is_null(json_object_get(json_array_get(json_object_get(r, "units"), 0), "rule")));
    assert_string_equal(json_string_value(json_object_get(r, "verdict_code")), "allow");
    assert_string_equal(json_string_value(json_object_get(r, "conclusion")), "符合");
    json_decref(r);
    siting_units_free(u);
}

/* Every key in its place and of its type, on a point (no areas); the short
 * rules' reasons; and no unit at all. */
static void test_report_keys(void **state)
{
    (void)state;
    static const char *const top[] = {
        "industry", "industry_name", "geometry_type", "area_m2", "projection", "units",
        "verdict",  "verdict_code",  "conclusion",    "note",    NULL};
    static const char *const entry[] = {
        "code",       "name",    "class",        "class_name", "overlap_m2", "overlap_share",
        "sliver",     "verdict", "verdict_code", "conclusion", "rule",       "reason",
        "dimensions", NULL};
    static const char *const rule_keys[] = {"kind", "industries", "condition", "ref", NULL};
    static const char *const dims[] = {"空间布局约束", "污染物排放管控", "环境风险防控",
                                       "资源开发效率要求", NULL};
    char ref[1024];
    struct siting_units *u = load_hostile(ref, sizeof ref);
    json_t *r = report_of(u, "{\"type\":\"Point\",\"coordinates\":[117.2,29.2]}", "3074");
    assert_keys(r, top);
    assert_string_equal(json_string_value(json_object_get(r, "industry")), "C3074");
    assert_string_equal(json_string_value(json_object_get(r, "geometry_type")), "point");
    assert_true(json_is_real(json_object_get(r, "area_m2")));
    assert_true(json_real_value(json_object_get(r, "area_m2")) == 0);
    assert_string_equal(json_string_value(json_object_get(r, "projection")),
                        "EPSG:4548 CGCS2000 / 3-degree Gauss-Kruger CM 117E");
    assert_string_equal(json_string_value(json_object_get(r, "conclusion")), "不符合");
    assert_string_equal(json_string_value(json_object_get(r, "note")),
                        "系统辅助研判结果，需人工复核");
    json_t *e = json_array_get(json_object_get(r, "units"), 0);
    assert_keys(e, entry);
    assert_keys(json_object_get(e, "rule"), rule_keys);
    assert_keys(json_object_get(e, "dimensions"), dims);
    assert_true(json_is_integer(json_object_get(e, "class")));
    assert_int_equal(json_integer_value(json_object_get(e, "class")), 1);
    assert_string_equal(json_string_value(json_object_get(e, "class_name")), "优先保护");
    assert_true(json_is_real(json_object_get(e, "overlap_m2")));
    assert_true(json_real_value(json_object_get(e, "overlap_m2")) == 0);
    assert_true(json_is_real(json_object_get(e, "overlap_share")));
    assert_true(json_real_value(json_object_get(e, "overlap_share")) == 1);
    assert_true(json_is_false(json_object_get(e, "sliver")));
    assert_string_equal(json_string_value(json_object_get(e, "verdict")), "禁止");
    assert_string_equal(json_string_value(json_object_get(e, "conclusion")), "不符合");
    json_decref(r);
    /* The second unit: a prohibition without reference or condition, a restriction with both
     * short. */
    r = report_of(u, "{\"type\":\"Point\",\"coordinates\":[118.2,29.2]}", "C2710");
    assert_string_equal(unit_reason(r), "：禁止C2710");
    json_t *rule = json_object_get(json_array_get(json_object_get(r, "units"), 0), "rule");
    assert_string_equal(json_string_value(json_object_get(rule, "ref")), "");
    assert_string_equal(json_string_value(json_object_get(rule, "condition")), "");
    json_decref(r);
    r = report_of(u, "{\"type\":\"Point\",\"coordinates\":[118.2,29.2]}", "C2662");
    assert_string_equal(unit_reason(r), "第3条：限制C2662（条件见条款）");
    assert_string_equal(json_string_value(json_object_get(r, "conclusion")), "需进一步论证");
    json_decref(r);
    r = report_of(u, "{\"type\":\"Point\",\"coordinates\":[118.7,29.2]}", "C3074");
    assert_int_equal(json_array_size(json_object_get(r, "units")), 0);
    assert_string_equal(json_string_value(json_object_get(r, "verdict_code")), "none");
    assert_string_equal(json_string_value(json_object_get(r, "conclusion")),
                        "需进一步论证（未落入任何管控单元）");
    json_decref(r);
    siting_units_free(u);
}

/* The two writers on random points and boxes over both unit sets (inside,
 * across edges and holes, outside) and industries that prohibit, restrict and
 * allow. */
static void test_report_writers_agree(void **state)
{
    (void)state;
    char ref[1024];
    struct siting_units *sets[] = {load_hostile(ref, sizeof ref), load()};
    static const char *const industries[] = {"C3074", "C2710", "C2662", "C3071", "O8111"};
    uint64_t x = 88172645463325252u;
    for (int i = 0; i < 400; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double lon = 116.9 + (double)(x % 1000) * 1.7e-3;
        double lat = 28.9 + (double)((x >> 10) % 1000) * 7e-4;
        double w = (double)((x >> 20) % 300) * 1e-3;
        char loc[256];
        if (x & 1)
            snprintf(loc, sizeof loc, "{\"type\":\"Point\",\"coordinates\":[%.6f,%.6f]}", lon, lat);
        else
            snprintf(loc, sizeof loc,
                     "{\"type\":\"Polygon\",\"coordinates\":[[[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f],"
                     "[%.6f,%.6f],[%.6f,%.6f]]]}",
                     lon, lat, lon + w, lat, lon + w, lat + w / 2, lon, lat + w / 2, lon, lat);
        json_decref(report_of(sets[(x >> 30) & 1], loc, industries[(x >> 32) % 5]));
    }
    siting_units_free(sets[0]);
    siting_units_free(sets[1]);
}

/* The two writers on results made by hand: what random checks rarely reach
 * (a sliver, class 3, several entries for one unit, an industry without a
 * name, large and tiny numbers, no unit, a point). */
static void assert_writers_agree(struct siting_units *u, const struct siting_outcome *oc)
{
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(siting_report_append(u, oc, &b), 0);
    size_t len = 0;
    char *text = buf_detach(&b, &len);
    json_t *r = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
    assert_non_null(r);
    json_t *tree = siting_report_tree(u, oc);
    assert_same_json(tree, r);
    json_decref(tree);
    json_decref(r);
    free(text);
}

static void test_report_writers_by_hand(void **state)
{
    (void)state;
    char ref[1024];
    struct siting_units *u = load_hostile(ref, sizeof ref);
    struct siting_entry e[] = {
        {.unit = 0,
         .overlap = 1234.565,
         .share = 4e-7,
         .sliver = true,
         .verdict = SITING_PROHIBIT,
         .rule = 0},
        {.unit = 1, .overlap = 0.004, .share = 0.9999995, .verdict = SITING_RESTRICT, .rule = 0},
        {.unit = 1, .overlap = 2.5e-3, .share = 0.5, .verdict = SITING_PROHIBIT, .rule = 1},
        {.unit = 2, .overlap = 5e12, .share = 1, .verdict = SITING_ALLOW, .rule = -1},
    };
    struct siting_outcome oc = {.industry = "C9999",
                                .area = 123456789.125,
                                .epsg = 4548,
                                .cm = 117,
                                .worst = SITING_PROHIBIT,
                                .entries = e,
                                .n = 4};
    assert_writers_agree(u, &oc);
    json_t *tree = siting_report_tree(u, &oc);
    json_t *units = json_object_get(tree, "units");
    assert_true(json_is_true(json_object_get(json_array_get(units, 0), "sliver")));
    assert_int_equal(json_integer_value(json_object_get(json_array_get(units, 3), "class")), 3);
    assert_string_equal(json_string_value(json_object_get(tree, "industry_name")), "");
    json_decref(tree);
    struct siting_outcome none = {.industry = "C3074", .point = true, .epsg = 4534, .cm = 75};
    assert_writers_agree(u, &none);
    siting_units_free(u);
}

static void test_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "[]",
        "{\"type\":\"FeatureCollection\"}",
        "{\"type\":\"FeatureCollection\",\"features\":[{\"properties\":{\"code\":\"ZH36022210001\","
        "\"name\":\"a\",\"class\":1},\"geometry\":{\"type\":\"Point\",\"coordinates\":[117,29]}}]}",
        "{\"type\":\"FeatureCollection\",\"features\":[{\"properties\":{\"code\":\"ZH3602221000\","
        "\"name\":\"a\",\"class\":1},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[117,29],"
        "[118,29],[118,30],[117,29]]]}}]}",
        "{\"type\":\"FeatureCollection\",\"features\":[{\"properties\":{\"code\":\"ZH36022210001\","
        "\"name\":\"\",\"class\":1},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[117,29],"
        "[118,29],[118,30],[117,29]]]}}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[256] = "";
        struct siting_units *u = siting_units_from_geojson(bad[i], strlen(bad[i]), err, sizeof err);
        assert_null(u);
        assert_true(err[0] != '\0');
    }
}

static void dbf_gbk(DBFHandle dbf, int rec, int field, const char *utf8)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    char out[256], *o = out, *in = (char *)utf8;
    size_t inleft = strlen(utf8), left = sizeof out - 1;
    iconv(cd, &in, &inleft, &o, &left);
    iconv_close(cd);
    *o = '\0';
    DBFWriteStringAttribute(dbf, rec, field, out);
}

static void test_shapefile(void **state)
{
    (void)state;
    char dir[] = "/tmp/ecogov-shp-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/units", dir);
    SHPHandle shp = SHPCreate(path, SHPT_POLYGON);
    DBFHandle dbf = DBFCreate(path);
    assert_non_null(shp);
    assert_non_null(dbf);
    int f_code = DBFAddField(dbf, "HJZHGKDYBM", FTString, 13, 0);
    int f_name = DBFAddField(dbf, "HJZHGKDYMC", FTString, 60, 0);
    int f_cls = DBFAddField(dbf, "ZHGKDYFL", FTString, 1, 0);
    int f_rules = DBFAddField(dbf, "GZ_RULES", FTString, 200, 0);
    /* Outer ring clockwise, hole counter-clockwise (the shapefile rule). */
    double x[] = {117, 117, 118, 118, 117, 117.4, 117.6, 117.6, 117.4, 117.4};
    double y[] = {29, 30, 30, 29, 29, 29.4, 29.4, 29.6, 29.6, 29.4};
    int parts[] = {0, 5};
    SHPObject *o = SHPCreateObject(SHPT_POLYGON, -1, 2, parts, NULL, 10, x, y, NULL, NULL);
    SHPWriteObject(shp, -1, o);
    SHPDestroyObject(o);
    DBFWriteStringAttribute(dbf, 0, f_code, "ZH36022210001");
    dbf_gbk(dbf, 0, f_name, "瑶里优先保护单元");
    DBFWriteStringAttribute(dbf, 0, f_cls, "1");
    DBFWriteStringAttribute(dbf, 0, f_rules,
                            "[{\"kind\":\"prohibit\",\"industries\":[\"C307\"],\"ref\":\"r\"}]");
    SHPClose(shp);
    DBFClose(dbf);

    char err[256] = "", shp_path[160];
    snprintf(shp_path, sizeof shp_path, "%s.shp", path);
    struct siting_units *u = siting_units_from_shapefile(shp_path, err, sizeof err);
    if (!u)
        fail_msg("shapefile: %s", err);
    assert_int_equal(siting_units_count(u), 1);
    json_t *j = siting_unit_json(u, 0);
    assert_string_equal(json_string_value(json_object_get(j, "name")), "瑶里优先保护单元");
    json_decref(j);
    size_t idx[4];
    assert_int_equal(hits(u, "{\"type\":\"Point\",\"coordinates\":[117.5,29.5]}", idx), 0);
    assert_int_equal(hits(u, "{\"type\":\"Point\",\"coordinates\":[117.2,29.5]}", idx), 1);
    int rule;
    assert_int_equal(siting_unit_verdict(u, 0, "C3074", &rule), SITING_PROHIBIT);
    siting_units_free(u);
    assert_null(siting_units_from_shapefile("/nonexistent/x.shp", err, sizeof err));
    static const char *const ext[] = {"shp", "shx", "dbf"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(shp_path, sizeof shp_path, "%s.%s", path, ext[i]);
        unlink(shp_path);
    }
    rmdir(dir);
}

/* siting_unit_verdict (each unit's codes split once, at import) against the
 * rules read code by code with siting_industry_covers: random rules of random
 * kinds and codes (sections, 大类, 中类, 小类, with and without their letter)
 * for several industries, the same verdict and deciding rule. */
static void test_verdict_matcher(void **state)
{
    (void)state;
    static const char *const codes[] = {"C",   "D",    "C30",  "C307", "C3074", "30",
                                        "307", "3074", "26",   "C26",  "2662",  "D44",
                                        "44",  "A01",  "0111", "C2662"};
    static const char *const industries[] = {"C3074", "3074",  "C2662", "D4411",
                                             "C",     "A0111", "C3071", "C30"};
    uint64_t s = 99;
    json_t *features = json_array();
    for (int i = 0; i < 60; i++) {
        json_t *rules = json_array();
        int nr = (int)(rng_unit(&s) * 5);
        for (int r = 0; r < nr; r++) {
            json_t *ind = json_array();
            int nc = 1 + (int)(rng_unit(&s) * 3);
            for (int c = 0; c < nc; c++)
                json_array_append_new(ind, json_string(codes[(int)(rng_unit(&s) * 16)]));
            json_array_append_new(rules, json_pack("{ss so ss ss}", "kind",
                                                   rng_unit(&s) < 0.5 ? "prohibit" : "restrict",
                                                   "industries", ind, "condition", "", "ref", "r"));
        }
        char code[32];
        snprintf(code, sizeof code, "ZH36022210%03d", i);
        double x = 117 + i * 0.01;
        json_array_append_new(
            features, json_pack("{ss s{ss ss si so} s{ss s[[[ff][ff][ff][ff][ff]]]}}", "type",
                                "Feature", "properties", "code", code, "name", "单元", "class", 1,
                                "rules", rules, "geometry", "type", "Polygon", "coordinates", x,
                                29.0, x + 0.005, 29.0, x + 0.005, 29.005, x, 29.005, x, 29.0));
    }
    json_t *fc = json_pack("{ss so}", "type", "FeatureCollection", "features", features);
    char *text = json_dumps(fc, 0), err[256];
    struct siting_units *u = siting_units_from_geojson(text, strlen(text), err, sizeof err);
    if (!u)
        fail_msg("units: %s", err);
    int decided = 0;
    for (size_t i = 0; i < siting_units_count(u); i++)
        for (size_t k = 0; k < sizeof industries / sizeof industries[0]; k++) {
            int rule;
            enum siting_verdict v = siting_unit_verdict(u, i, industries[k], &rule);
            /* the reference: rules in order, codes read one by one */
            const struct siting_unit *x = &u->units[i];
            enum siting_verdict want = SITING_ALLOW;
            int want_rule = -1;
            for (size_t r = 0; r < x->nrules; r++) {
                enum siting_verdict rv = x->rules[r].prohibit ? SITING_PROHIBIT : SITING_RESTRICT;
                if (rv <= want)
                    continue;
                for (size_t c = 0; c < x->rules[r].ncodes; c++)
                    if (siting_industry_covers(x->rules[r].codes[c], industries[k])) {
                        want = rv, want_rule = (int)r;
                        break;
                    }
            }
            assert_int_equal(v, want);
            assert_int_equal(rule, want_rule);
            decided += want != SITING_ALLOW;
        }
    assert_true(decided > 40);
    siting_units_free(u);
    free(text);
    json_decref(fc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_covers),
        cmocka_unit_test(test_verdicts),
        cmocka_unit_test(test_verdict_matcher),
        cmocka_unit_test(test_boundaries),
        cmocka_unit_test(test_check_report),
        cmocka_unit_test(test_report_escapes),
        cmocka_unit_test(test_report_keys),
        cmocka_unit_test(test_report_writers_agree),
        cmocka_unit_test(test_report_writers_by_hand),
        cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_shapefile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
