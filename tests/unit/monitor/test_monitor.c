/* Unit tests for monitor_norm, the pure normalisation of parsed HJ 212 data messages: the
 * factor and station-kind tables, code aliases and per-device factor maps, unit conversion,
 * Beijing time to UTC period starts, kept device flags and the suspicion marks (unset clock,
 * clock in the future, negative concentrations). No I/O, no database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/hj212.h"
#include "domain/monitor_norm.h"

/* 2022-05-13T16:26:00+08:00 = 2022-05-13T08:26:00Z */
#define T_1626 1652430360LL
/* A receive time comfortably after the sample DataTimes. */
#define T_NOW (T_1626 + 3600)

static struct hj212_msg *msg; /* ~25 KB: one shared instance, not on the stack */
static struct monitor_row rows[64];

static int setup(void **state)
{
    (void)state;
    msg = calloc(1, sizeof *msg);
    return msg ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(msg);
    return 0;
}

/* Parses a data segment (what sits between "##LLLL" and the CRC). */
static void parse(const char *seg)
{
    assert_int_equal(hj212_parse(seg, strlen(seg), msg), HJ212_OK);
}

static const struct monitor_device_cfg AIR = {MONITOR_AIR, NULL, 0, 0, 0};

/* Normalises seg for dev at now; returns the row count. */
static size_t norm(const char *seg, const struct monitor_device_cfg *dev, int64_t now, int *skipped)
{
    parse(seg);
    return monitor_normalise(msg, dev, now, rows, sizeof rows / sizeof rows[0], skipped);
}

static const struct monitor_row *row_of(size_t n, const char *factor)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(rows[i].factor, factor))
            return &rows[i];
    fail_msg("no row for factor %s", factor);
    return NULL;
}

static void alias(const char *code, char out[MONITOR_FACTOR_MAX])
{
    monitor_factor_alias(hj212_str_c(code), MONITOR_AIR, out);
}

static void assert_mult(const char *from, const char *to, double want)
{
    double m = -1;
    assert_int_equal(monitor_unit_convert(from, to, &m), 0);
    assert_true(fabs(m - want) < want * 1e-12);
}

/* ---- tables ---- */

static void test_station_kinds(void **state)
{
    (void)state;
    size_t n;
    const struct monitor_station_kind *k = monitor_station_kinds(&n);
    assert_int_equal(n, 6);
    assert_non_null(k);
    const struct monitor_station_kind *micro = monitor_station_kind_find("micro");
    assert_non_null(micro);
    assert_int_equal(micro->medium, MONITOR_AIR);
    assert_int_equal(micro->offline_after, 1200);
    assert_int_equal(micro->source, 0);
    const struct monitor_station_kind *gas = monitor_station_kind_find("source_gas");
    assert_non_null(gas);
    assert_int_equal(gas->medium, MONITOR_FLUE);
    assert_int_equal(gas->source, 1);
    assert_int_equal(monitor_station_kind_find("water")->medium, MONITOR_WATER);
    assert_int_equal(monitor_station_kind_find("source_water")->medium, MONITOR_WATER);
    assert_null(monitor_station_kind_find("Micro"));
    assert_null(monitor_station_kind_find(""));
    assert_null(monitor_station_kind_find(NULL));
}

static void test_factor_units(void **state)
{
    (void)state;
    const struct monitor_factor *pm25 = monitor_factor_find("a34004");
    assert_non_null(pm25);
    assert_string_equal(pm25->name, "PM2.5");
    /* Ambient air in µg/m³, except CO in mg/m³; flue gas in mg/m³; water in mg/L. */
    assert_string_equal(monitor_factor_unit(pm25, MONITOR_AIR), "ug/m3");
    assert_string_equal(monitor_factor_unit(pm25, MONITOR_FLUE), "mg/m3");
    assert_string_equal(monitor_factor_unit(monitor_factor_find("a21005"), MONITOR_AIR), "mg/m3");
    assert_string_equal(monitor_factor_unit(monitor_factor_find("a21026"), MONITOR_AIR), "ug/m3");
    assert_string_equal(monitor_factor_unit(monitor_factor_find("w21003"), MONITOR_WATER), "mg/L");
    /* A water factor at an air station falls back to its own unit. */
    assert_string_equal(monitor_factor_unit(monitor_factor_find("w01018"), MONITOR_AIR), "mg/L");
    assert_string_equal(monitor_factor_unit(NULL, MONITOR_AIR), "");
    assert_null(monitor_factor_find("PM25"));
    assert_null(monitor_factor_find(NULL));
    size_t n;
    const struct monitor_factor *all = monitor_factors(&n);
    assert_true(n >= 30);
    /* Codes are unique: a duplicate would make monitor_factor_find ambiguous. */
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            assert_string_not_equal(all[i].code, all[j].code);
    assert_int_equal(monitor_factor_find("a01001")->concentration, 0);
    assert_int_equal(monitor_factor_find("a21005")->concentration, 1);
}

static void test_aliases(void **state)
{
    (void)state;
    char out[MONITOR_FACTOR_MAX];
    alias("PM25", out);
    assert_string_equal(out, "a34004");
    alias("PM2.5", out);
    assert_string_equal(out, "a34004");
    alias("01", out); /* 2005 原编码 of 烟尘 */
    assert_string_equal(out, "a34013");
    alias("060", out); /* 2005 原编码 of 氨氮 */
    assert_string_equal(out, "w21003");
    alias("B02", out);
    assert_string_equal(out, "a00000");
    /* Standard and unknown codes are kept as sent. */
    alias("a21026", out);
    assert_string_equal(out, "a21026");
    alias("xy-99", out);
    assert_string_equal(out, "xy-99");
    /* Matching is exact: case and prefixes do not alias. */
    alias("pm25", out);
    assert_string_equal(out, "pm25");
    alias("0600", out);
    assert_string_equal(out, "0600");
    /* Unknown codes become keys and JSON text: quotes, controls and non-ASCII are replaced. */
    alias("a\"b'c\\d", out);
    assert_string_equal(out, "a_b_c_d");
    alias("\xe6\xb8\xa9", out);
    assert_string_equal(out, "___");
    /* Over-long vendor codes are cut to MONITOR_FACTOR_MAX - 1 bytes. */
    alias("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", out);
    assert_int_equal(strlen(out), MONITOR_FACTOR_MAX - 1);
    assert_memory_equal(out, "ABCDEFGHIJKLMNOPQRSTUVW", MONITOR_FACTOR_MAX - 1);
    alias("", out);
    assert_string_equal(out, "");
    /* Every alias is found, also by a code of the longest alias length: monitor_factor_alias
     * does not search the table for longer codes (NORM_ALIAS_MAX, 5). */
    alias("NOIS", out);
    assert_string_equal(out, "LA");
    alias("PM2.5", out);
    assert_string_equal(out, "a34004");
    alias("PM2.50", out);
    assert_string_equal(out, "PM2.50");
}

/* ---- units ---- */

static void test_unit_convert(void **state)
{
    (void)state;
    assert_mult("mg/m3", "ug/m3", 1000);
    assert_mult("ug/m3", "mg/m3", 0.001);
    assert_mult("ng/m3", "ug/m3", 0.001);
    assert_mult("g/m3", "mg/m3", 1000);
    assert_mult("ug/L", "mg/L", 0.001);
    assert_mult("mg/L", "mg/L", 1);
    /* µ (micro sign), μ (Greek mu), ³, spaces and upper case are the same unit. */
    assert_mult("\xc2\xb5g/m\xc2\xb3", "ug/m3", 1);
    assert_mult("\xce\xbcg/m\xc2\xb3", "mg/m3", 0.001);
    assert_mult("MG/M3", "ug/m3", 1000);
    assert_mult("mg / m3", "ug/m3", 1000);
    /* Equal strings and an empty source unit (= already canonical) convert with 1. */
    assert_mult("degC", "degC", 1);
    assert_mult("", "ug/m3", 1);
    double m = 7;
    /* Per m³ of air and per litre are different families; others do not convert. */
    assert_int_equal(monitor_unit_convert("mg/m3", "mg/L", &m), -1);
    assert_int_equal(monitor_unit_convert("ug/L", "ug/m3", &m), -1);
    assert_int_equal(monitor_unit_convert("degC", "ug/m3", &m), -1);
    assert_int_equal(monitor_unit_convert("ppm", "mg/m3", &m), -1);
    assert_int_equal(monitor_unit_convert(NULL, "mg/m3", &m), -1);
    assert_int_equal(monitor_unit_convert("mg/m3", NULL, &m), -1);
    assert_true(m == 7); /* untouched on failure */
}

/* ---- time ---- */

static void test_kind_and_period(void **state)
{
    (void)state;
    assert_int_equal(monitor_kind_of_cn(2011), MONITOR_KIND_RTD);
    assert_int_equal(monitor_kind_of_cn(2051), MONITOR_KIND_MINUTE);
    assert_int_equal(monitor_kind_of_cn(2061), MONITOR_KIND_HOUR);
    assert_int_equal(monitor_kind_of_cn(2031), MONITOR_KIND_DAY);
    assert_int_equal(monitor_kind_of_cn(2041), MONITOR_KIND_NONE);
    assert_int_equal(monitor_kind_of_cn(9014), MONITOR_KIND_NONE);
    assert_int_equal(monitor_kind_of_cn(0), MONITOR_KIND_NONE);

    int64_t t = T_1626 + 15; /* 16:26:15 Beijing */
    assert_int_equal(monitor_period_start(MONITOR_KIND_RTD, t), t);
    assert_int_equal(monitor_period_start(MONITOR_KIND_MINUTE, t), T_1626);
    assert_int_equal(monitor_period_start(MONITOR_KIND_HOUR, t), 1652428800LL); /* 16:00 BJ */
    /* A day is the Beijing day: 2022-05-13T00:00+08:00 = 2022-05-12T16:00Z. */
    assert_int_equal(monitor_period_start(MONITOR_KIND_DAY, t), 1652371200LL);
    /* 07:59 Beijing is still the same Beijing day, 23:59 UTC the day before is the next. */
    assert_int_equal(monitor_period_start(MONITOR_KIND_DAY, 1652371200LL + 86399), 1652371200LL);
    assert_int_equal(monitor_period_start(MONITOR_KIND_DAY, 1652371200LL - 1),
                     1652371200LL - 86400);
    /* Period starts are fixed points. */
    assert_int_equal(monitor_period_start(MONITOR_KIND_MINUTE, T_1626), T_1626);
    assert_int_equal(monitor_period_start(MONITOR_KIND_DAY, 1652371200LL), 1652371200LL);
    /* Before 1970 the floor still goes down, not towards zero. */
    assert_int_equal(monitor_period_start(MONITOR_KIND_MINUTE, -1), -60);
    assert_int_equal(monitor_period_start(MONITOR_KIND_HOUR, -3599), -3600);
}

/* ---- numbers and validity ---- */

static void test_parse_number(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int ok;
        double v;
    } cases[] = {
        {"14", 1, 14},   {"-0.5", 1, -0.5}, {"+3", 1, 3},     {"0.453", 1, 0.453},
        {".5", 1, 0.5},  {"5.", 1, 5},      {"1e3", 1, 1000}, {"2.5E-2", 1, 0.025},
        {"", 0, 0},      {"-", 0, 0},       {".", 0, 0},      {"1.2.3", 0, 0},
        {"1e", 0, 0},    {"1e+", 0, 0},     {"abc", 0, 0},    {"12a", 0, 0},
        {" 1", 0, 0},    {"nan", 0, 0},     {"inf", 0, 0},    {"0x10", 0, 0},
        {"1e999", 0, 0}, {"--1", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double v = -12345;
        int rc = monitor_parse_number(hj212_str_c(cases[i].s), &v);
        if (cases[i].ok) {
            assert_int_equal(rc, 0);
            assert_true(fabs(v - cases[i].v) < 1e-12);
        } else {
            assert_int_equal(rc, -1);
        }
    }
    /* At most 40 bytes. */
    char longnum[48];
    memset(longnum, '1', 41);
    longnum[41] = '\0';
    double v;
    assert_int_equal(monitor_parse_number(hj212_str_c(longnum), &v), -1);
    longnum[40] = '\0';
    assert_int_equal(monitor_parse_number(hj212_str_c(longnum), &v), 0);
}

/* Short decimals (the common case) are read without strtod: every result must be the very
 * double strtod gives (bit for bit, sign of zero included), for 1-18 digits (past 15 strtod
 * reads them), any point position, signs and leading/trailing zeros. */
static void test_parse_number_exact(void **state)
{
    (void)state;
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    char text[48];
    for (int round = 0; round < 400000; round++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int digits = 1 + (int)(x % 18), point = (int)((x >> 8) % (uint64_t)(digits + 2)) - 1;
        size_t n = 0;
        int sign = (int)((x >> 16) % 3);
        if (sign)
            text[n++] = sign == 1 ? '-' : '+';
        uint64_t d = x >> 20;
        for (int i = 0; i < digits; i++) {
            if (i == point)
                text[n++] = '.';
            /* runs of 0 and 9 reach the rounding edges */
            int c = (d >> (i % 40)) & 1 ? (int)(d >> (i % 32) & 7) + '0' : (i & 1 ? '9' : '0');
            text[n++] = (char)c;
        }
        if (point == digits)
            text[n++] = '.';
        text[n] = '\0';
        double v = -1, want = strtod(text, NULL);
        assert_int_equal(monitor_parse_number(hj212_str_c(text), &v), 0);
        if (memcmp(&v, &want, sizeof v))
            fail_msg("%s: %.17g, strtod %.17g", text, v, want);
    }
    static const char *const edges[] = {"0",
                                        "-0",
                                        "-0.0",
                                        "999999999999999",
                                        "0.000000000000001",
                                        "9007199254740993",
                                        "0.1",
                                        "0.3",
                                        "1.7976931348623157",
                                        "123456789012345.",
                                        ".123456789012345"};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
        double v = -1, want = strtod(edges[i], NULL);
        assert_int_equal(monitor_parse_number(hj212_str_c(edges[i]), &v), 0);
        assert_memory_equal(&v, &want, sizeof v);
    }
}

static void test_row_valid(void **state)
{
    (void)state;
    assert_true(monitor_row_valid("N", 0));
    assert_true(monitor_row_valid("n", 0));
    assert_true(monitor_row_valid("", 0));
    assert_true(monitor_row_valid("3", 0)); /* 2005 air stations: 3 = valid */
    assert_false(monitor_row_valid("D", 0));
    assert_false(monitor_row_valid("F", 0));
    assert_false(monitor_row_valid("M", 0));
    assert_false(monitor_row_valid("0", 0));
    /* Suspicion marks invalidate; back-fill and receive-time marks do not. */
    assert_false(monitor_row_valid("N", MONITOR_QUAL_CLOCK_UNSET));
    assert_false(monitor_row_valid("N", MONITOR_QUAL_FUTURE));
    assert_false(monitor_row_valid("N", MONITOR_QUAL_NEGATIVE));
    assert_true(monitor_row_valid("N", MONITOR_QUAL_BACKFILL));
    assert_true(monitor_row_valid("N", MONITOR_QUAL_NO_TIME));
    assert_true(monitor_row_valid("N", MONITOR_QUAL_BACKFILL | MONITOR_QUAL_NO_TIME));
}

/* ---- normalisation ---- */

static void test_minute_record(void **state)
{
    (void)state;
    int skipped = -1;
    size_t n = norm("QN=20220513162600001;ST=22;CN=2051;PW=123456;MN=M1;Flag=5;"
                    "CP=&&DataTime=20220513162600;a34004-Avg=14,a34004-Min=10,a34004-Max=20,"
                    "a34004-Flag=N;a34002-Avg=50,a34002-Flag=D;a01001-Avg=-5.5&&",
                    &AIR, T_NOW, &skipped);
    assert_int_equal(n, 3);
    assert_int_equal(skipped, 0);
    const struct monitor_row *pm = row_of(n, "a34004");
    assert_int_equal(pm->kind, MONITOR_KIND_MINUTE);
    assert_int_equal(pm->ts, T_1626); /* Beijing DataTime -> UTC period start */
    assert_int_equal(pm->has, MONITOR_HAS_VALUE | MONITOR_HAS_MIN | MONITOR_HAS_MAX);
    assert_true(pm->value == 14 && pm->vmin == 10 && pm->vmax == 20);
    assert_string_equal(pm->flag, "N");
    assert_int_equal(pm->qual, 0);
    /* The device's flag is kept as data, not acted upon. */
    const struct monitor_row *pm10 = row_of(n, "a34002");
    assert_string_equal(pm10->flag, "D");
    assert_int_equal(pm10->qual, 0);
    assert_false(monitor_row_valid(pm10->flag, pm10->qual));
    /* A negative temperature is not suspicious; a missing flag means N. */
    const struct monitor_row *tem = row_of(n, "a01001");
    assert_true(tem->value == -5.5);
    assert_int_equal(tem->qual, 0);
    assert_string_equal(tem->flag, "N");
}

static void test_hour_day_rtd_periods(void **state)
{
    (void)state;
    int skipped;
    /* An hour record is stored at the hour's start even when DataTime carries minutes. */
    size_t n = norm("ST=22;CN=2061;MN=M1;CP=&&DataTime=20220513162600;a21026-Avg=8&&", &AIR, T_NOW,
                    &skipped);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].kind, MONITOR_KIND_HOUR);
    assert_int_equal(rows[0].ts, 1652428800LL);
    /* A day record at the Beijing day's start. */
    n = norm("ST=22;CN=2031;MN=M1;CP=&&DataTime=20220513000000;a21026-Avg=9&&", &AIR, T_NOW,
             &skipped);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].kind, MONITOR_KIND_DAY);
    assert_int_equal(rows[0].ts, 1652371200LL);
    /* A real-time sample keeps its instant and prefers -Rtd. */
    n = norm("ST=22;CN=2011;MN=M1;CP=&&DataTime=20220513162615;a34004-Rtd=31,a34004-Avg=30&&", &AIR,
             T_NOW, &skipped);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].kind, MONITOR_KIND_RTD);
    assert_int_equal(rows[0].ts, T_1626 + 15);
    assert_true(rows[0].value == 31);
    /* A minute record prefers -Avg, takes -Rtd when that is all there is. */
    n = norm("ST=22;CN=2051;MN=M1;CP=&&DataTime=20220513162600;a34004-Rtd=31,a34004-Avg=30;"
             "a34002-Rtd=44&&",
             &AIR, T_NOW, &skipped);
    assert_int_equal(n, 2);
    assert_true(row_of(n, "a34004")->value == 30);
    assert_true(row_of(n, "a34002")->value == 44);
    /* Messages that are not data records give no rows. */
    assert_int_equal(norm("ST=91;CN=9014;MN=M1;CP=&&QN=20220513162600001&&", &AIR, T_NOW, &skipped),
                     0);
    assert_int_equal(norm("ST=22;CN=1011;MN=M1;CP=&&&&", &AIR, T_NOW, &skipped), 0);
}

static void test_factor_map_and_units(void **state)
{
    (void)state;
    /* The device sends SO2 in mg/m³ under a vendor code, NO2 scaled by 10 under "NO2x". */
    struct monitor_map_entry map[2] = {{"SO2v", "a21026", 0}, {"NO2x", "a21004", 0}};
    assert_int_equal(monitor_unit_convert("mg/m3", "ug/m3", &map[0].mult), 0);
    map[1].mult = 0.1;
    struct monitor_device_cfg dev = {MONITOR_AIR, map, 2, 0, 0};
    int skipped;
    size_t n = norm("ST=22;CN=2051;MN=M1;CP=&&DataTime=20220513162600;SO2v-Avg=0.012,"
                    "SO2v-Min=0.010,SO2v-Max=0.015;NO2x-Avg=250;PM25-Avg=33;a21005-Avg=0.8&&",
                    &dev, T_NOW, &skipped);
    assert_int_equal(n, 4);
    const struct monitor_row *so2 = row_of(n, "a21026");
    assert_true(fabs(so2->value - 12) < 1e-9);
    assert_true(fabs(so2->vmin - 10) < 1e-9);
    assert_true(fabs(so2->vmax - 15) < 1e-9);
    assert_true(fabs(row_of(n, "a21004")->value - 25) < 1e-9);
    /* Not in the map: the built-in alias applies, values unchanged (already canonical). */
    assert_true(row_of(n, "a34004")->value == 33);
    assert_true(row_of(n, "a21005")->value == 0.8);
    /* The map wins over the built-in alias. */
    struct monitor_map_entry over = {"PM25", "a34005", 1};
    struct monitor_device_cfg dev2 = {MONITOR_AIR, &over, 1, 0, 0};
    n = norm("ST=22;CN=2051;MN=M1;CP=&&DataTime=20220513162600;PM25-Avg=7&&", &dev2, T_NOW,
             &skipped);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].factor, "a34005");
    /* 2005 原编码 at a CEMS outlet, with 折算 values under "<factor>-Zs". */
    struct monitor_device_cfg flue = {MONITOR_FLUE, NULL, 0, 0, 0};
    n = norm("ST=31;CN=2051;MN=M1;CP=&&DataTime=20220513162600;02-Avg=35,02-ZsAvg=41,"
             "02-Flag=N;01-Avg=8&&",
             &flue, T_NOW, &skipped);
    assert_int_equal(n, 3);
    assert_true(row_of(n, "a21026")->value == 35);
    assert_true(row_of(n, "a21026-Zs")->value == 41);
    assert_true(row_of(n, "a34013")->value == 8);
}

static void test_suspicious_values(void **state)
{
    (void)state;
    int skipped;
    /* A device whose clock was never set sends the year 2000: flagged, kept. */
    size_t n = norm("ST=22;CN=2051;MN=M1;CP=&&DataTime=20000101000500;a34004-Avg=20&&", &AIR, T_NOW,
                    &skipped);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].qual, MONITOR_QUAL_CLOCK_UNSET);
    assert_int_equal(rows[0].ts, 946656300LL); /* 2000-01-01T00:05+08:00 */
    assert_false(monitor_row_valid(rows[0].flag, rows[0].qual));
    /* More than ten minutes in the future: flagged. */
    n = norm("ST=22;CN=2051;MN=M1;CP=&&DataTime=20220513174000;a34004-Avg=20&&", &AIR, T_1626,
             &skipped);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].qual, MONITOR_QUAL_FUTURE);
    /* Within the slack (a device clock a few minutes fast): not flagged. */
    n = norm("ST=22;CN=2051;MN=M1;CP=&&DataTime=20220513163500;a34004-Avg=20&&", &AIR, T_1626,
             &skipped);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].qual, 0);
    /* Negative concentrations: flagged per value, the rest of the frame untouched. */
    n = norm("ST=22;CN=2051;MN=M1;CP=&&DataTime=20220513162600;a21005-Avg=-0.2,"
             "a21005-Flag=N;a34004-Avg=12;a01002-Avg=-1&&",
             &AIR, T_NOW, &skipped);
    assert_int_equal(n, 3);
    assert_int_equal(row_of(n, "a21005")->qual, MONITOR_QUAL_NEGATIVE);
    assert_true(row_of(n, "a21005")->value == -0.2);
    assert_int_equal(row_of(n, "a34004")->qual, 0);
    assert_int_equal(row_of(n, "a01002")->qual, 0); /* humidity is not a concentration */
    /* Both marks together: unset clock and a negative value. */
    n = norm("ST=22;CN=2051;MN=M1;CP=&&DataTime=20000101000000;a34004-Avg=-3&&", &AIR, T_NOW,
             &skipped);
    assert_int_equal(rows[0].qual, MONITOR_QUAL_CLOCK_UNSET | MONITOR_QUAL_NEGATIVE);
    /* A negative value converted by the map is still caught after conversion. */
    struct monitor_map_entry map = {"CO", "a21005", 1};
    struct monitor_device_cfg dev = {MONITOR_AIR, &map, 1, 0, 0};
    n = norm("ST=22;CN=2051;MN=M1;CP=&&DataTime=20220513162600;CO-Avg=-0.1&&", &dev, T_NOW,
             &skipped);
    assert_int_equal(rows[0].qual, MONITOR_QUAL_NEGATIVE);
}

static void test_clock_quirks(void **state)
{
    (void)state;
    int skipped;
    /* A device clock on UTC: 08:26 UTC is 16:26 Beijing. */
    struct monitor_device_cfg utc = {MONITOR_AIR, NULL, 0, 0, 1};
    size_t n = norm("ST=22;CN=2051;MN=M1;CP=&&DataTime=20220513082600;a34004-Avg=1&&", &utc, T_NOW,
                    &skipped);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].ts, T_1626);
    /* A known offset is added before the period start is taken. */
    struct monitor_device_cfg late = {MONITOR_AIR, NULL, 0, 90, 0};
    n = norm("ST=22;CN=2051;MN=M1;CP=&&DataTime=20220513162500;a34004-Avg=1&&", &late, T_NOW,
             &skipped);
    assert_int_equal(rows[0].ts, T_1626);
    /* The offset also decides the suspicion marks. */
    struct monitor_device_cfg fast = {MONITOR_AIR, NULL, 0, -3 * 3600, 0};
    n = norm("ST=22;CN=2051;MN=M1;CP=&&DataTime=20220513192600;a34004-Avg=1&&", &fast, T_1626,
             &skipped);
    assert_int_equal(rows[0].ts, T_1626);
    assert_int_equal(rows[0].qual, 0);
    /* No DataTime (or an impossible one): the receive time is used and marked. */
    n = norm("ST=22;CN=2051;MN=M1;CP=&&a34004-Avg=1&&", &AIR, T_1626 + 42, &skipped);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].ts, T_1626);
    assert_int_equal(rows[0].qual, MONITOR_QUAL_NO_TIME);
    assert_true(monitor_row_valid(rows[0].flag, rows[0].qual));
    n = norm("ST=22;CN=2051;MN=M1;CP=&&DataTime=20221345250000;a34004-Avg=1&&", &AIR, T_1626 + 42,
             &skipped);
    assert_int_equal(rows[0].qual, MONITOR_QUAL_NO_TIME);
}

static void test_skipped_and_odd_items(void **state)
{
    (void)state;
    int skipped;
    /* Non-numeric values are skipped and counted; a factor with only a flag has no value. */
    size_t n = norm("ST=22;CN=2051;MN=M1;CP=&&DataTime=20220513162600;a34004-Avg=abc;"
                    "a34002-Flag=N;a21026-Avg=5;a21004-Avg=;a21005-Avg=1,a21005-EFlag=x&&",
                    &AIR, T_NOW, &skipped);
    assert_int_equal(n, 2);
    assert_true(row_of(n, "a21026")->value == 5);
    assert_true(row_of(n, "a21005")->value == 1);
    assert_true(skipped >= 2);
    /* A cumulative amount alone (waste-water flow totals) is a row with value = Cou. */
    struct monitor_device_cfg water = {MONITOR_WATER, NULL, 0, 0, 0};
    n = norm("ST=32;CN=2061;MN=M1;CP=&&DataTime=20220513160000;w00000-Cou=123.5;"
             "w01018-Avg=30,w01018-Cou=2.1&&",
             &water, T_NOW, &skipped);
    assert_int_equal(n, 2);
    const struct monitor_row *flow = row_of(n, "w00000");
    assert_int_equal(flow->has, MONITOR_HAS_COU);
    assert_true(flow->value == 123.5 && flow->cou == 123.5);
    const struct monitor_row *cod = row_of(n, "w01018");
    assert_int_equal(cod->has, MONITOR_HAS_VALUE | MONITOR_HAS_COU);
    assert_true(cod->value == 30 && cod->cou == 2.1);
    /* Statistic names in any case; near misses and a Zs cumulative amount are not values. */
    n = norm("ST=22;CN=2051;MN=M1;CP=&&DataTime=20220513162600;a34004-aVG=7,a34004-MIN=6,"
             "a34004-max=8;a34002-Av=1,a34002-Avgs=2,a34002-A\x01g=3,a34002-ZsCou=4;"
             "a21026-ZsaVg=5,a21026-Cou=9&&",
             &AIR, T_NOW, &skipped);
    assert_int_equal(n, 3); /* a34004, a21026-Zs, a21026 (Cou only); a34002 has no value */
    const struct monitor_row *pm = row_of(n, "a34004");
    assert_int_equal(pm->has, MONITOR_HAS_VALUE | MONITOR_HAS_MIN | MONITOR_HAS_MAX);
    assert_true(pm->value == 7 && pm->vmin == 6 && pm->vmax == 8);
    assert_true(row_of(n, "a21026-Zs")->value == 5);
    assert_int_equal(row_of(n, "a21026")->has, MONITOR_HAS_COU);
    /* A long or odd flag is cut to three printable bytes. */
    n = norm("ST=22;CN=2051;MN=M1;CP=&&DataTime=20220513162600;a34004-Avg=1,a34004-Flag=NDFX&&",
             &AIR, T_NOW, &skipped);
    assert_string_equal(rows[0].flag, "NDF");
    /* The row buffer's capacity is respected. */
    parse("ST=22;CN=2051;MN=M1;CP=&&DataTime=20220513162600;a34004-Avg=1;a34002-Avg=2;"
          "a21026-Avg=3&&");
    struct monitor_row two[2];
    assert_int_equal(monitor_normalise(msg, &AIR, T_NOW, two, 2, &skipped), 2);
    assert_int_equal(monitor_normalise(msg, &AIR, T_NOW, two, 0, &skipped), 0);
}

static void test_many_factors(void **state)
{
    (void)state;
    /* Many distinct codes in one frame: each one becomes a row, none lost below the cap. */
    char seg[4096];
    size_t off =
        (size_t)snprintf(seg, sizeof seg, "ST=22;CN=2051;MN=M1;CP=&&DataTime=20220513162600");
    for (int i = 0; i < 60; i++)
        off += (size_t)snprintf(seg + off, sizeof seg - off, ";v%02d-Avg=%d", i, i);
    snprintf(seg + off, sizeof seg - off, "&&");
    int skipped;
    size_t n = norm(seg, &AIR, T_NOW, &skipped);
    assert_int_equal(n, 60);
    assert_int_equal(skipped, 0);
    assert_true(row_of(n, "v59")->value == 59);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_station_kinds),
        cmocka_unit_test(test_factor_units),
        cmocka_unit_test(test_aliases),
        cmocka_unit_test(test_unit_convert),
        cmocka_unit_test(test_kind_and_period),
        cmocka_unit_test(test_parse_number),
        cmocka_unit_test(test_parse_number_exact),
        cmocka_unit_test(test_row_valid),
        cmocka_unit_test(test_minute_record),
        cmocka_unit_test(test_hour_day_rtd_periods),
        cmocka_unit_test(test_factor_map_and_units),
        cmocka_unit_test(test_suspicious_values),
        cmocka_unit_test(test_clock_quirks),
        cmocka_unit_test(test_skipped_and_odd_items),
        cmocka_unit_test(test_many_factors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
