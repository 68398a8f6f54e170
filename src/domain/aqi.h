/* aqi — the air quality index of HJ 633-2012 and HJ 633—2026.
 *
 * Owns: the breakpoint tables of both editions, the IAQI interpolation in exact
 * integer arithmetic, the 2026 concentration rounding (GB/T 8170, half to even),
 * the real-time (hourly) and daily reports with each edition's inputs and
 * special rules, primary pollutants, levels, categories, colours, health texts,
 * sensitive groups (their wording in aqi_text.c) and the 2026 publication rule for missing
 * pollutants (§5.3).
 * Also the city/district value: the mean of the station concentrations, then
 * the AQI of those means.
 *
 * Must not: do I/O, allocate, read the clock, or use floating point on a path
 * that decides an index. Averaging and validity live in airstat; the CSV form
 * of `ecogov aqi` lives in aqi_csv.
 *
 * Concentrations are exact rationals (struct aqi_conc) in thousandths of the
 * unit: µg/m³ for every pollutant except CO, which is in mg/m³. A value read
 * from text such as "2.2" is {2200, 1}; the mean of 21 hourly values is
 * {sum of the 21 values, 21}. Nothing is ever converted through a double, so
 * CO 2.2 mg/m³ (daily) gives 55, not 56, and 60.5 rounds to 60 under 2026. */
#ifndef ECOGOV_AQI_H
#define ECOGOV_AQI_H

#include <stdbool.h>
#include <stdint.h>

/* Concentrations are held in units of 1/AQI_MILLI of µg/m³ (CO: mg/m³). */
#define AQI_MILLI 1000
/* Largest accepted value of a concentration: 10^6 units (far above every
 * table; with AQI_DEN_MAX it keeps num <= 10^18, inside int64). */
#define AQI_CONC_MAX_UNITS 1000000LL
/* Largest accepted denominator: the number of values averaged. */
#define AQI_DEN_MAX 1000000000LL
/* The index is capped here when a concentration is above the table. */
#define AQI_IAQI_MAX 500

enum aqi_standard {
    AQI_STD_2012, /* HJ 633-2012 (试行): data dated before 2026-03-01 */
    AQI_STD_2026, /* HJ 633—2026: data dated 2026-03-01 or later */
    AQI_STD_COUNT
};

enum aqi_kind {
    AQI_KIND_HOURLY, /* 实时报: 1-hour values */
    AQI_KIND_DAILY,  /* 日报: daily values */
    AQI_KIND_COUNT
};

/* The seven sub-index slots of a report. What each slot holds depends on the
 * kind of report:
 *
 *   slot       hourly (实时报)                       daily (日报)
 *   SO2        1-hour mean                          24-hour mean
 *   NO2        1-hour mean                          24-hour mean
 *   CO         1-hour mean (mg/m³)                  24-hour mean (mg/m³)
 *   O3_1H      1-hour mean                          daily max 1-hour mean (2012 only)
 *   O3_8H      8-hour sliding mean (2012 only)      daily max 8-hour mean
 *   PM10       1-hour mean, or for the literal      24-hour mean
 *              2012 method the 24-hour sliding
 *              mean; both use the 24-hour column
 *   PM25       as PM10                              24-hour mean
 *
 * A slot that is not an input of the chosen edition and kind is ignored. */
enum aqi_pollutant {
    AQI_SO2,
    AQI_NO2,
    AQI_CO,
    AQI_O3_1H,
    AQI_O3_8H,
    AQI_PM10,
    AQI_PM25,
    AQI_POLLUTANT_COUNT
};

#define AQI_BIT(p) (1u << (p))

/* An exact concentration num / (den * AQI_MILLI). den == 0 means missing, so
 * a zero-initialised value is missing (never 0: 0 is a legitimate value). */
struct aqi_conc {
    int64_t num;
    int64_t den;
};

struct aqi_input {
    struct aqi_conc c[AQI_POLLUTANT_COUNT];
    /* 2012 real-time only: the SO2 24-hour mean, whose IAQI is reported when
     * the SO2 1-hour mean is above 800 µg/m³ (HJ 633-2012 Table 1 note). */
    struct aqi_conc so2_24h;
    /* HJ 633—2026 §5.3.2: pollutants (AQI_BIT mask) not in the monitoring
     * scheme whose absence must not withhold the AQI because, in the last
     * three years, they were never the primary pollutant on a polluted day.
     * The caller asserts that history; this module cannot see it. */
    unsigned not_monitored;
};

/* State of one sub-index slot in a result. */
enum aqi_sub_state {
    AQI_SUB_UNUSED,  /* not an input of this edition and kind */
    AQI_SUB_MISSING, /* an input, but no value (or no value to substitute) */
    AQI_SUB_OK,      /* iaqi holds the sub-index */
};

/* Flags of one sub-index. */
#define AQI_SUBF_OVERFLOW 0x01    /* above the table: IAQI capped at 500 (project policy) */
#define AQI_SUBF_FIXED 0x02       /* 2026 above-800 rule: SO2 1h -> 200, O3 8h -> 300 */
#define AQI_SUBF_SUBSTITUTED 0x04 /* 2012 above-800 rule: IAQI of SO2 24h / O3 1h reported */
#define AQI_SUBF_ROUNDED 0x08     /* 2026 rounding changed the concentration */

struct aqi_sub {
    enum aqi_sub_state state;
    int iaqi;       /* 0..500 when state == AQI_SUB_OK */
    unsigned flags; /* AQI_SUBF_* */
    int64_t conc;   /* concentration interpolated, in 1/AQI_MILLI units, after the 2026
                     * rounding; exact when den == 1 (always in 2026) */
    int64_t den;    /* denominator of conc (2012 keeps averages exact) */
};

/* Flags of a result. */
#define AQI_F_INCOMPLETE 0x01 /* an input of the edition and kind was missing */
#define AQI_F_OVERFLOW 0x02   /* some sub-index was capped at 500 */
#define AQI_F_WITHHELD 0x04   /* 2026 §5.3.1: AQI computed (aqi) but published as NA */
#define AQI_F_NO_DATA 0x08    /* no sub-index at all */

struct aqi_result {
    enum aqi_standard standard;
    enum aqi_kind kind;
    struct aqi_sub sub[AQI_POLLUTANT_COUNT];
    /* Max of the sub-indices available, -1 when none. Under 2026 at least 1
     * (§4.1.1 gives the range 1..500). Computed even when withheld. */
    int aqi;
    /* false: publish AQI, level, category and primary pollutant as NA. */
    bool published;
    int level;        /* 1..6 from aqi, 0 when aqi < 0 */
    unsigned primary; /* 首要污染物 (AQI_BIT mask): largest IAQI when aqi > 50; ties all set */
    unsigned exceed;  /* 超标污染物, 2012 only: IAQI > 100; 0 under 2026 (deleted) */
    unsigned sensitive; /* 2026 only: IAQI > 100, so show aqi_sensitive_groups() */
    unsigned missing;   /* inputs of the edition and kind without a value */
    unsigned flags;     /* AQI_F_* */
};

/* Health information for one level (HJ 633 Table 2 and Appendix A). */
struct aqi_category {
    int level;             /* 1..6 */
    int aqi_lo, aqi_hi;    /* AQI range (aqi_lo 0 under 2012, 1 under 2026 for level 1) */
    const char *level_zh;  /* 一级 ... 六级 */
    const char *name_zh;   /* 优, 良, 轻度污染, 中度污染, 重度污染, 严重污染 */
    const char *name_en;   /* Excellent, Good, Lightly polluted, ... */
    const char *colour_zh; /* 绿色 ... 褐红色 */
    const char *hex;       /* "#00E400" ... */
    unsigned char rgb[3];  /* for screens */
    unsigned char cmyk[4]; /* for print, percent */
    const char *health_zh; /* 对健康影响情况, in the edition's wording */
    const char *advice_zh; /* 建议采取的措施, in the edition's wording */
};

/* The edition that applies to data dated y-m-d (Beijing calendar date): 2026
 * from 2026-03-01 on. The date of the data decides, never the date of the
 * computation. Does not validate the date. */
enum aqi_standard aqi_standard_for_date(int y, int m, int d);

/* Computes a real-time or daily report. Returns 0 and fills *out, or -1 when
 * std/kind are out of range or a present value is invalid (negative, den < 0,
 * den > AQI_DEN_MAX, or above AQI_CONC_MAX_UNITS); *out is then unspecified.
 * Missing values are never an error: they follow the edition's rules (2026
 * §5.3.1: AQI published only if > 100; 2012: computed from what is there and
 * flagged AQI_F_INCOMPLETE). */
int aqi_compute(enum aqi_standard std, enum aqi_kind kind, const struct aqi_input *in,
                struct aqi_result *out);

/* One sub-index: pollutant p of a report of this edition and kind, without the
 * above-800 substitutions that need a second value (2012). Returns the IAQI
 * 0..500, or -1 when the slot is not an input of the edition and kind, c is
 * missing or invalid, or a 2012 above-800 case has no 1-hour/24-hour value to
 * substitute. *flags (may be NULL) receives AQI_SUBF_*. */
int aqi_iaqi(enum aqi_standard std, enum aqi_kind kind, enum aqi_pollutant p, struct aqi_conc c,
             unsigned *flags);

/* Many daily reports at once (a station's year, a table of days): the same figures as
 * aqi_compute(std, AQI_KIND_DAILY, ...) day by day, without the per-slot detail. Inputs are
 * one array per slot (struct of arrays), so each slot's days are computed in one tight loop. */
struct aqi_day_series {
    /* num[p][d] / den[p][d] is slot p on day d, as struct aqi_conc (den 0: missing); both
     * NULL: the slot is missing every day. */
    const int64_t *num[AQI_POLLUTANT_COUNT];
    const int64_t *den[AQI_POLLUTANT_COUNT];
    unsigned not_monitored; /* as in struct aqi_input, for every day */
    /* Optional outputs (NULL: not wanted): report[p][d] = aqi_conc_round(value,
     * aqi_report_decimals(p)), the concentration as reported, or -1 when missing. */
    int64_t *report[AQI_POLLUTANT_COUNT];
};

/* The headline of one report: the fields of struct aqi_result of the same names. */
struct aqi_headline {
    int aqi;
    int level;
    bool published;
    unsigned primary, exceed, sensitive, missing, flags;
};

/* Daily reports of days 0..n-1 of s under edition std into out[0..n). Returns 0, or -1
 * when std is out of range, n < 0, an array is missing, or a present value is invalid
 * (as aqi_compute); out and report are then unspecified. */
int aqi_daily_series(enum aqi_standard std, const struct aqi_day_series *s, int n,
                     struct aqi_headline *out);

/* City or district input: for each pollutant, the arithmetic mean of the
 * stations' values that are present (HJ 663: city concentration = mean over
 * the valid assessment points, then the AQI of those means — not the mean or
 * max of station AQIs). The mean is kept exact. A pollutant no station has is
 * missing; not_monitored is the AND of the stations'. Returns the number of
 * stations used (>= 0), or -1 if a value is invalid or an exact mean would
 * overflow (denominators with no common multiple under AQI_DEN_MAX). */
int aqi_city_input(const struct aqi_input *stations, int n, struct aqi_input *city);

/* Level 1..6 of an AQI (0..50 -> 1, ..., > 300 -> 6); 0 for a negative aqi. */
int aqi_level(int aqi);

/* Static description of level 1..6 in the edition's wording, NULL when out of
 * range. The strings are UTF-8 and live forever. */
const struct aqi_category *aqi_category_info(enum aqi_standard std, int level);

/* HJ 633—2026 Table 2: the sensitive groups of pollutant p (UTF-8, static),
 * shown when its IAQI is above 100. O3_1H and O3_8H share one text. */
const char *aqi_sensitive_groups(enum aqi_pollutant p);

/* Stable ASCII names: "SO2", "NO2", "CO", "O3_1h", "O3_8h", "PM10", "PM2.5". */
const char *aqi_pollutant_name(enum aqi_pollutant p);

/* Rounds c half to even (GB/T 8170, 四舍六入五成双) to `decimals` places
 * (0..3) and returns it in 1/AQI_MILLI units: 60.5 -> 60000, CO 2.25 at one
 * decimal -> 2200. c must be present and valid (den >= 1, num >= 0). */
int64_t aqi_conc_round(struct aqi_conc c, int decimals);

/* Decimal places a reported concentration of pollutant p keeps: 1 for CO,
 * 0 for the others (HJ 633—2026 §4.2.2, and the usual reporting of HJ 663). */
int aqi_report_decimals(enum aqi_pollutant p);

/* Parses a plain decimal "123", "12.5", ".5" (at most 3 significant decimals;
 * trailing zeros beyond are fine) into *out = {value * AQI_MILLI, 1}. No sign,
 * exponent or spaces. Returns 0, or one of the AQI_PARSE_* codes. */
enum aqi_parse {
    AQI_PARSE_OK = 0,
    AQI_PARSE_EMPTY,
    AQI_PARSE_SYNTAX,
    AQI_PARSE_NEGATIVE,
    AQI_PARSE_PRECISION,
    AQI_PARSE_RANGE,
};
enum aqi_parse aqi_conc_parse(const char *s, int len, struct aqi_conc *out);

/* Human text for an aqi_parse code (English, static). */
const char *aqi_parse_message(enum aqi_parse e);

#endif
