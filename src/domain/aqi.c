/* aqi — HJ 633-2012 and HJ 633—2026 air quality index; see aqi.h. */
#include "domain/aqi.h"

#include <stddef.h>
#include <string.h>

/* ---- breakpoint tables (HJ 633-2012 Table 1, HJ 633—2026 Table 3) ---- */

/* The IAQI at each breakpoint; a column lists the concentrations at these. */
static const int aqi_iaqi_steps[] = {0, 50, 100, 150, 200, 300, 400, 500};

#define AQI_STEP_COUNT ((int)(sizeof aqi_iaqi_steps / sizeof aqi_iaqi_steps[0]))

enum aqi_column {
    AQI_COL_NONE = -1,
    AQI_COL_SO2_24H,
    AQI_COL_SO2_1H,
    AQI_COL_NO2_24H,
    AQI_COL_NO2_1H,
    AQI_COL_PM10_24H_2012,
    AQI_COL_PM10_24H_2026,
    AQI_COL_CO_24H,
    AQI_COL_CO_1H,
    AQI_COL_O3_1H,
    AQI_COL_O3_8H,
    AQI_COL_PM25_24H_2012,
    AQI_COL_PM25_24H_2026,
    AQI_COL_COUNT
};

/* One band (BP_Lo, BP_Hi] of a column in milli units: its low end, its step (milli units
 * per IAQI point, dBP * 1000 / dI, an integer because dI is 50 or 100) and the step's
 * reciprocal for an exact division by multiplication (AQI_R below). */
struct aqi_band {
    uint32_t lo;
    uint32_t step;
    uint64_t recip;
};

struct aqi_bp_column {
    int n;                   /* breakpoints used; the column ends at bp[n - 1] */
    uint32_t top;            /* bp[n - 1] in milli units */
    int32_t bp[8];           /* µg/m³ (CO mg/m³) at aqi_iaqi_steps[i] */
    struct aqi_band band[7]; /* band i covers (bp[i], bp[i + 1]]; unused bands never match */
};

/* floor(2^64 / d) + 1, or 2^64 / d for a power of two: with it, floor(a / d) is the high
 * word of a * AQI_R(d) for every a * d < 2^64. */
#define AQI_R(d) (UINT64_MAX / (d) + 1)

/* The bands derive from the breakpoints at compile time: IAQI steps of 50 (20 milli units
 * per point per µg) up to IAQI 200, of 100 (10) above. */
#define AQI_BAND(a, b, per)                                                                        \
    {                                                                                              \
        (uint32_t)(a) * AQI_MILLI, (uint32_t)((b) - (a)) * (per),                                  \
            AQI_R((uint64_t)((b) - (a)) * (per))                                                   \
    }
#define AQI_NO_BAND                                                                                \
    {                                                                                              \
        UINT32_MAX, 1, 0                                                                           \
    }
#define AQI_COL8(b0, b1, b2, b3, b4, b5, b6, b7)                                                   \
    {                                                                                              \
        8, (uint32_t)(b7)*AQI_MILLI, {b0, b1, b2, b3, b4, b5, b6, b7},                             \
        {                                                                                          \
            AQI_BAND(b0, b1, 20), AQI_BAND(b1, b2, 20), AQI_BAND(b2, b3, 20),                      \
                AQI_BAND(b3, b4, 20), AQI_BAND(b4, b5, 10), AQI_BAND(b5, b6, 10),                  \
                AQI_BAND(b6, b7, 10)                                                               \
        }                                                                                          \
    }
#define AQI_COL6(b0, b1, b2, b3, b4, b5)                                                           \
    {                                                                                              \
        6, (uint32_t)(b5)*AQI_MILLI, {b0, b1, b2, b3, b4, b5},                                     \
        {                                                                                          \
            AQI_BAND(b0, b1, 20), AQI_BAND(b1, b2, 20), AQI_BAND(b2, b3, 20),                      \
                AQI_BAND(b3, b4, 20), AQI_BAND(b4, b5, 10), AQI_NO_BAND, AQI_NO_BAND               \
        }                                                                                          \
    }
#define AQI_COL5(b0, b1, b2, b3, b4)                                                               \
    {                                                                                              \
        5, (uint32_t)(b4)*AQI_MILLI, {b0, b1, b2, b3, b4},                                         \
        {                                                                                          \
            AQI_BAND(b0, b1, 20), AQI_BAND(b1, b2, 20), AQI_BAND(b2, b3, 20),                      \
                AQI_BAND(b3, b4, 20), AQI_NO_BAND, AQI_NO_BAND, AQI_NO_BAND                        \
        }                                                                                          \
    }

/* The two editions differ only in PM10 and PM2.5 at IAQI 100 (150 -> 120, 75 -> 60).
 * SO2 1h stops at 800 and O3 8h at 800: above them the edition's rule applies. */
static const struct aqi_bp_column aqi_columns[AQI_COL_COUNT] = {
    [AQI_COL_SO2_24H] = AQI_COL8(0, 50, 150, 475, 800, 1600, 2100, 2620),
    [AQI_COL_SO2_1H] = AQI_COL5(0, 150, 500, 650, 800),
    [AQI_COL_NO2_24H] = AQI_COL8(0, 40, 80, 180, 280, 565, 750, 940),
    [AQI_COL_NO2_1H] = AQI_COL8(0, 100, 200, 700, 1200, 2340, 3090, 3840),
    [AQI_COL_PM10_24H_2012] = AQI_COL8(0, 50, 150, 250, 350, 420, 500, 600),
    [AQI_COL_PM10_24H_2026] = AQI_COL8(0, 50, 120, 250, 350, 420, 500, 600),
    [AQI_COL_CO_24H] = AQI_COL8(0, 2, 4, 14, 24, 36, 48, 60),
    [AQI_COL_CO_1H] = AQI_COL8(0, 5, 10, 35, 60, 90, 120, 150),
    [AQI_COL_O3_1H] = AQI_COL8(0, 160, 200, 300, 400, 800, 1000, 1200),
    [AQI_COL_O3_8H] = AQI_COL6(0, 100, 160, 215, 265, 800),
    [AQI_COL_PM25_24H_2012] = AQI_COL8(0, 35, 75, 115, 150, 250, 350, 500),
    [AQI_COL_PM25_24H_2026] = AQI_COL8(0, 35, 60, 115, 150, 250, 350, 500),
};

#include "domain/aqi_iaqi_2026.h"

/* Where each 2026 daily column starts in aqi_iaqi_2026 (only those columns have a table). */
static const int aqi_table_2026[AQI_COL_COUNT] = {
    [AQI_COL_SO2_24H] = AQI_T26_SO2_24H,
    [AQI_COL_NO2_24H] = AQI_T26_NO2_24H,
    [AQI_COL_PM10_24H_2026] = AQI_T26_PM10_24H_2026,
    [AQI_COL_CO_24H] = AQI_T26_CO_24H,
    [AQI_COL_O3_8H] = AQI_T26_O3_8H,
    [AQI_COL_PM25_24H_2026] = AQI_T26_PM25_24H_2026,
};

/* Which column indexes each slot, per edition and kind (AQI_COL_NONE: not an
 * input). Real-time PM uses the 24-hour column in both editions (2026 §4.2.3;
 * the 2012-era national feed is reproduced only that way). */
static const signed char aqi_slot_column[AQI_STD_COUNT][AQI_KIND_COUNT][AQI_POLLUTANT_COUNT] = {
    [AQI_STD_2012][AQI_KIND_HOURLY] = {AQI_COL_SO2_1H, AQI_COL_NO2_1H, AQI_COL_CO_1H, AQI_COL_O3_1H,
                                       AQI_COL_O3_8H, AQI_COL_PM10_24H_2012, AQI_COL_PM25_24H_2012},
    [AQI_STD_2012][AQI_KIND_DAILY] = {AQI_COL_SO2_24H, AQI_COL_NO2_24H, AQI_COL_CO_24H,
                                      AQI_COL_O3_1H, AQI_COL_O3_8H, AQI_COL_PM10_24H_2012,
                                      AQI_COL_PM25_24H_2012},
    [AQI_STD_2026][AQI_KIND_HOURLY] = {AQI_COL_SO2_1H, AQI_COL_NO2_1H, AQI_COL_CO_1H, AQI_COL_O3_1H,
                                       AQI_COL_NONE, AQI_COL_PM10_24H_2026, AQI_COL_PM25_24H_2026},
    [AQI_STD_2026][AQI_KIND_DAILY] = {AQI_COL_SO2_24H, AQI_COL_NO2_24H, AQI_COL_CO_24H,
                                      AQI_COL_NONE, AQI_COL_O3_8H, AQI_COL_PM10_24H_2026,
                                      AQI_COL_PM25_24H_2026},
};

/* Inputs whose absence makes a report incomplete. The 2012 real-time O3 8h
 * sliding mean is listed by the standard but was not used by the national
 * feed, so it is optional; 2026 lists exactly six inputs per report. */
#define AQI_ALL_BUT(p) (AQI_BIT(AQI_POLLUTANT_COUNT) - 1u - AQI_BIT(p))
static const unsigned aqi_required[AQI_STD_COUNT][AQI_KIND_COUNT] = {
    [AQI_STD_2012][AQI_KIND_HOURLY] = AQI_ALL_BUT(AQI_O3_8H),
    [AQI_STD_2012][AQI_KIND_DAILY] = AQI_BIT(AQI_POLLUTANT_COUNT) - 1u,
    [AQI_STD_2026][AQI_KIND_HOURLY] = AQI_ALL_BUT(AQI_O3_8H),
    [AQI_STD_2026][AQI_KIND_DAILY] = AQI_ALL_BUT(AQI_O3_1H),
};

/* What happens above the top of a column that stops short of IAQI 500
 * (HJ 633 Table notes). Columns not listed are capped at 500 with an
 * overflow flag (project policy; neither edition gives a rule). */
enum aqi_above_kind { AQI_ABOVE_FIXED, AQI_ABOVE_SUBSTITUTE };
struct aqi_above_rule {
    enum aqi_standard std;
    enum aqi_column col;
    enum aqi_above_kind kind;
    int fixed_iaqi;            /* AQI_ABOVE_FIXED */
    enum aqi_column subst_col; /* AQI_ABOVE_SUBSTITUTE: column of the substitute */
};

static const struct aqi_above_rule aqi_above_rules[] = {
    /* 2026: "IAQI 按照 200 计" / "IAQI 按照 300 计". */
    {AQI_STD_2026, AQI_COL_SO2_1H, AQI_ABOVE_FIXED, 200, AQI_COL_NONE},
    {AQI_STD_2026, AQI_COL_O3_8H, AQI_ABOVE_FIXED, 300, AQI_COL_NONE},
    /* 2012: no IAQI of its own; report the SO2 24h / O3 1h sub-index. */
    {AQI_STD_2012, AQI_COL_SO2_1H, AQI_ABOVE_SUBSTITUTE, 0, AQI_COL_SO2_24H},
    {AQI_STD_2012, AQI_COL_O3_8H, AQI_ABOVE_SUBSTITUTE, 0, AQI_COL_O3_1H},
};

static const char *const aqi_pollutant_names[AQI_POLLUTANT_COUNT] = {
    [AQI_SO2] = "SO2",     [AQI_NO2] = "NO2",   [AQI_CO] = "CO",      [AQI_O3_1H] = "O3_1h",
    [AQI_O3_8H] = "O3_8h", [AQI_PM10] = "PM10", [AQI_PM25] = "PM2.5",
};

/* ---- levels (HJ 633 Table 2; their wording is in aqi_text.c) ---- */

#define AQI_LEVEL_COUNT 6

static const int aqi_level_top[AQI_LEVEL_COUNT] = {50, 100, 150, 200, 300, AQI_IAQI_MAX};

static const char *const aqi_parse_messages[] = {
    [AQI_PARSE_OK] = "ok",
    [AQI_PARSE_EMPTY] = "empty value",
    [AQI_PARSE_SYNTAX] = "not a plain decimal number",
    [AQI_PARSE_NEGATIVE] = "negative concentration",
    [AQI_PARSE_PRECISION] = "more than 3 decimal places",
    [AQI_PARSE_RANGE] = "concentration out of range (max 1000000)",
};

/* ---- exact arithmetic ----
 * Every figure on the index path is an exact integer computation; the divisions that used
 * to dominate a daily report (by the mean's count times 1000) are replaced by a multiply
 * with a precomputed reciprocal for the small denominators that means have, and the
 * interpolation works on ceil(C) in milli units, where each band's step is an integer
 * (see aqi_interpolate). test_aqi compares the results with the plain rational formulas
 * over every integer concentration and around every threshold. */

#define AQI_RECIP_MAX 32
static const uint64_t aqi_recip[AQI_RECIP_MAX + 1] = {
    0,         0,         AQI_R(2),  AQI_R(3),  AQI_R(4),  AQI_R(5),  AQI_R(6),
    AQI_R(7),  AQI_R(8),  AQI_R(9),  AQI_R(10), AQI_R(11), AQI_R(12), AQI_R(13),
    AQI_R(14), AQI_R(15), AQI_R(16), AQI_R(17), AQI_R(18), AQI_R(19), AQI_R(20),
    AQI_R(21), AQI_R(22), AQI_R(23), AQI_R(24), AQI_R(25), AQI_R(26), AQI_R(27),
    AQI_R(28), AQI_R(29), AQI_R(30), AQI_R(31), AQI_R(32),
};
/* The reciprocals of den * 1000 and den * 100 (den <= AQI_RECIP_MAX): the rounding of a
 * mean to whole units (0.1 for CO) in one multiplication. Exact for every valid value: num
 * <= 10^9 den, so num * den * 1000 < 2^64. */
#define AQI_RU(den, unit) AQI_R((uint64_t)(den) * (unit))
static const uint64_t aqi_recip_1000[AQI_RECIP_MAX + 1] = {
    0,
    AQI_RU(1, 1000),
    AQI_RU(2, 1000),
    AQI_RU(3, 1000),
    AQI_RU(4, 1000),
    AQI_RU(5, 1000),
    AQI_RU(6, 1000),
    AQI_RU(7, 1000),
    AQI_RU(8, 1000),
    AQI_RU(9, 1000),
    AQI_RU(10, 1000),
    AQI_RU(11, 1000),
    AQI_RU(12, 1000),
    AQI_RU(13, 1000),
    AQI_RU(14, 1000),
    AQI_RU(15, 1000),
    AQI_RU(16, 1000),
    AQI_RU(17, 1000),
    AQI_RU(18, 1000),
    AQI_RU(19, 1000),
    AQI_RU(20, 1000),
    AQI_RU(21, 1000),
    AQI_RU(22, 1000),
    AQI_RU(23, 1000),
    AQI_RU(24, 1000),
    AQI_RU(25, 1000),
    AQI_RU(26, 1000),
    AQI_RU(27, 1000),
    AQI_RU(28, 1000),
    AQI_RU(29, 1000),
    AQI_RU(30, 1000),
    AQI_RU(31, 1000),
    AQI_RU(32, 1000),
};
static const uint64_t aqi_recip_100[AQI_RECIP_MAX + 1] = {
    0,
    AQI_RU(1, 100),
    AQI_RU(2, 100),
    AQI_RU(3, 100),
    AQI_RU(4, 100),
    AQI_RU(5, 100),
    AQI_RU(6, 100),
    AQI_RU(7, 100),
    AQI_RU(8, 100),
    AQI_RU(9, 100),
    AQI_RU(10, 100),
    AQI_RU(11, 100),
    AQI_RU(12, 100),
    AQI_RU(13, 100),
    AQI_RU(14, 100),
    AQI_RU(15, 100),
    AQI_RU(16, 100),
    AQI_RU(17, 100),
    AQI_RU(18, 100),
    AQI_RU(19, 100),
    AQI_RU(20, 100),
    AQI_RU(21, 100),
    AQI_RU(22, 100),
    AQI_RU(23, 100),
    AQI_RU(24, 100),
    AQI_RU(25, 100),
    AQI_RU(26, 100),
    AQI_RU(27, 100),
    AQI_RU(28, 100),
    AQI_RU(29, 100),
    AQI_RU(30, 100),
    AQI_RU(31, 100),
    AQI_RU(32, 100),
};
/* Numerators below this use the reciprocal (a * d < 2^64 with d <= AQI_RECIP_MAX). */
#define AQI_RECIP_NUM_MAX (1LL << 56)

/* floor(a / d) for a >= 0, d >= 1. */
static int64_t aqi_div(int64_t a, int64_t d)
{
    if (d == 1)
        return a;
    if (d <= AQI_RECIP_MAX && a < AQI_RECIP_NUM_MAX)
        return (int64_t)(((unsigned __int128)(uint64_t)a * aqi_recip[d]) >> 64);
    return a / d;
}

/* num / (den * 10^(3 - decimals)) rounded half to even (GB/T 8170), in those units
 * (*unit_out = 10^(3 - decimals) milli units each).
 * floor(num / (den * unit)) = floor(floor(num / den) / unit); the divisions by the unit are
 * by constants (the compiler multiplies), and the remainder against half the divisor
 * decides without a branch on the data: up when more than half, or exactly half and the
 * quotient odd. decimals is 0..3. */
static inline int64_t aqi_round_grid(int64_t num, int64_t den, int decimals, int64_t *unit_out)
{
    int64_t qd = aqi_div(num, den), q, unit;
    switch (decimals) {
    case 0:
        q = qd / 1000, unit = 1000;
        break;
    case 1:
        q = qd / 100, unit = 100;
        break;
    case 2:
        q = qd / 10, unit = 10;
        break;
    default:
        q = qd, unit = 1;
        break;
    }
    int64_t b = den * unit, r2 = 2 * (num - q * b);
    *unit_out = unit;
    return q + ((r2 > b) | ((r2 == b) & (q & 1)));
}

/* The same in 1/AQI_MILLI units. */
static inline int64_t aqi_round_units(int64_t num, int64_t den, int decimals)
{
    int64_t unit, g = aqi_round_grid(num, den, decimals, &unit);
    return g * unit;
}

static bool aqi_conc_present(struct aqi_conc c)
{
    return c.den != 0;
}

static bool aqi_conc_valid(struct aqi_conc c)
{
    if (c.den == 0)
        return true;
    return c.den > 0 && c.den <= AQI_DEN_MAX && c.num >= 0 &&
           c.num <= AQI_CONC_MAX_UNITS * AQI_MILLI * c.den;
}

int64_t aqi_conc_round(struct aqi_conc c, int decimals)
{
    return aqi_round_units(c.num, c.den, decimals < 0 ? 0 : decimals > 3 ? 3 : decimals);
}

int aqi_report_decimals(enum aqi_pollutant p)
{
    return p == AQI_CO ? 1 : 0;
}

/* IAQI_Lo + ceil(dI * (C - BP_Lo) / dBP) with the band (BP_Lo, BP_Hi] and 0 in the first
 * band, given cm = ceil(C) in milli units. The band's IAQI points fall on integer milli
 * concentrations BP_Lo + k * step (step = dBP * 1000 / dI), so ceil(dI * (C - BP_Lo) /
 * dBP) = ceil((C - BP_Lo) / step) = ceil((cm - BP_Lo) / step): only ceil(C) matters, and
 * the division by step is a multiplication by its reciprocal. cm must be within the
 * column. The band is the number of inner breakpoints below cm (they ascend), counted
 * without branches, which values near a breakpoint would mispredict. */
static inline __attribute__((always_inline)) int aqi_interpolate(const struct aqi_bp_column *col,
                                                                 int64_t cm)
{
    uint32_t c = (uint32_t)cm;
    const struct aqi_band *bd = col->band;
    int b = (c > bd[1].lo) + (c > bd[2].lo) + (c > bd[3].lo) + (c > bd[4].lo) + (c > bd[5].lo) +
            (c > bd[6].lo);
    const struct aqi_band *band = &col->band[b];
    uint64_t y = (uint64_t)(c - band->lo) + band->step - 1;
    return aqi_iaqi_steps[b] + (int)(((unsigned __int128)y * band->recip) >> 64);
}

static const struct aqi_above_rule *aqi_above_rule_for(enum aqi_standard std, enum aqi_column col)
{
    for (size_t i = 0; i < sizeof aqi_above_rules / sizeof aqi_above_rules[0]; i++)
        if (aqi_above_rules[i].std == std && aqi_above_rules[i].col == col)
            return &aqi_above_rules[i];
    return NULL;
}

/* Sub-index of c in column col: the 2026 rounding, then the interpolation,
 * the cap at 500 for values above a full column. */
static void aqi_index_in(enum aqi_standard std, enum aqi_pollutant p, enum aqi_column col,
                         const struct aqi_conc *c, struct aqi_sub *s)
{
    /* c by pointer and its fields read one by one: a struct passed by value was spilled and
     * reloaded as one 16-byte word, a store-forwarding stall on every sub-index */
    int64_t num = c->num, den = c->den, cm;
    if (std == AQI_STD_2026) {
        int64_t r = aqi_round_units(num, den, aqi_report_decimals(p));
        s->flags |= r * den != num ? AQI_SUBF_ROUNDED : 0;
        num = r;
        den = 1;
        cm = r;
    } else {
        int64_t q = aqi_div(num, den);
        cm = q + (q * den != num);
    }
    s->conc = num;
    s->den = den;
    s->state = AQI_SUB_OK;
    /* C > top exactly when ceil(C) > top, the top being a whole number of milli units */
    const struct aqi_bp_column *column = &aqi_columns[col];
    if (cm <= (int64_t)column->bp[column->n - 1] * AQI_MILLI) {
        s->iaqi = aqi_interpolate(column, cm);
        return;
    }
    s->iaqi = AQI_IAQI_MAX;
    s->flags |= AQI_SUBF_OVERFLOW;
}

/* The common case of a slot, inline and with every field written once: c (present and
 * valid) within its column. Returns 0 without touching *s when c is above the column's top,
 * where the edition's rules apply (aqi_sub_compute). */
static inline int aqi_sub_fast(enum aqi_standard std, enum aqi_pollutant p,
                               const struct aqi_bp_column *column, const struct aqi_conc *c,
                               struct aqi_sub *s)
{
    int64_t num = c->num, den = c->den, cm;
    unsigned flags = 0;
    if (std == AQI_STD_2026) {
        int64_t r = aqi_round_units(num, den, aqi_report_decimals(p));
        flags = r * den != num ? AQI_SUBF_ROUNDED : 0;
        num = r;
        den = 1;
        cm = r;
    } else {
        int64_t q = aqi_div(num, den);
        cm = q + (q * den != num);
    }
    /* C > top exactly when ceil(C) > top, the top being a whole number of milli units */
    if (cm > (int64_t)column->top)
        return 0;
    s->state = AQI_SUB_OK;
    s->iaqi = aqi_interpolate(column, cm);
    s->flags = flags;
    s->conc = num;
    s->den = den;
    return 1;
}

/* One slot of a report, with the above-800 rules. */
static void aqi_sub_compute(enum aqi_standard std, enum aqi_pollutant p, enum aqi_column col,
                            const struct aqi_input *in, struct aqi_sub *s)
{
    aqi_index_in(std, p, col, &in->c[p], s);
    if (!(s->flags & AQI_SUBF_OVERFLOW))
        return;

    const struct aqi_above_rule *rule = aqi_above_rule_for(std, col);
    if (!rule)
        return;
    s->flags &= ~(unsigned)AQI_SUBF_OVERFLOW;
    if (rule->kind == AQI_ABOVE_FIXED) {
        s->iaqi = rule->fixed_iaqi;
        s->flags |= AQI_SUBF_FIXED;
        return;
    }

    /* 2012: the SO2 1h slot reports the 24h mean; the O3 8h slot the 1h value. */
    struct aqi_conc sub = col == AQI_COL_SO2_1H ? in->so2_24h : in->c[AQI_O3_1H];
    enum aqi_pollutant sp = col == AQI_COL_SO2_1H ? AQI_SO2 : AQI_O3_1H;

    s->flags |= AQI_SUBF_SUBSTITUTED;
    if (!aqi_conc_present(sub)) {
        s->state = AQI_SUB_MISSING;
        s->iaqi = 0;
        return;
    }
    aqi_index_in(std, sp, rule->subst_col, &sub, s);
}

static bool aqi_input_valid(const struct aqi_input *in)
{
    for (int p = 0; p < AQI_POLLUTANT_COUNT; p++)
        if (!aqi_conc_valid(in->c[p]))
            return false;
    return aqi_conc_valid(in->so2_24h);
}

int aqi_compute(enum aqi_standard std, enum aqi_kind kind, const struct aqi_input *in,
                struct aqi_result *out)
{
    if ((unsigned)std >= AQI_STD_COUNT || (unsigned)kind >= AQI_KIND_COUNT || !in || !out ||
        !aqi_input_valid(in))
        return -1;

    /* Field by field: a compound literal of the whole result compiles to a block clear
     * that costs more than the rest of a daily report. */
    out->standard = std;
    out->kind = kind;
    out->aqi = -1;
    out->published = false;
    out->level = 0;
    out->primary = out->exceed = out->sensitive = out->missing = out->flags = 0;
    unsigned required = aqi_required[std][kind] & ~in->not_monitored;

    /* Totals in locals, the per-slot tests as masks: the result is written once at the
     * end, and which pollutant leads changes from day to day, so branches on it would be
     * mispredicted. */
    int aqi = -1;
    unsigned missing = 0, flags = 0, ok = 0;
    for (int p = 0; p < AQI_POLLUTANT_COUNT; p++) {
        struct aqi_sub *s = &out->sub[p];
        int col = aqi_slot_column[std][kind][p];

        if (col == AQI_COL_NONE) {
            *s = (struct aqi_sub){AQI_SUB_UNUSED, 0, 0, 0, 0};
            continue;
        }
        if (!aqi_conc_present(in->c[p])) {
            *s = (struct aqi_sub){AQI_SUB_MISSING, 0, 0, 0, 0};
        } else if (!aqi_sub_fast(std, (enum aqi_pollutant)p, &aqi_columns[col], &in->c[p], s)) {
            *s = (struct aqi_sub){AQI_SUB_UNUSED, 0, 0, 0, 0};
            aqi_sub_compute(std, (enum aqi_pollutant)p, (enum aqi_column)col, in, s);
        }
        unsigned is_ok = s->state == AQI_SUB_OK;
        missing |= (unsigned)(s->state == AQI_SUB_MISSING) << p;
        ok |= is_ok << p;
        int iaqi = is_ok ? s->iaqi : -1;
        aqi = iaqi > aqi ? iaqi : aqi;
        flags |= s->flags & AQI_SUBF_OVERFLOW ? AQI_F_OVERFLOW : 0;
    }
    missing &= required;
    if (missing)
        flags |= AQI_F_INCOMPLETE;
    out->missing = missing;
    if (aqi < 0) {
        out->flags = flags | AQI_F_NO_DATA;
        return 0;
    }
    if (std == AQI_STD_2026 && aqi < 1)
        aqi = 1; /* §4.1.1: the 2026 AQI range is 1..500 */
    out->aqi = aqi;
    out->level = aqi_level(aqi);

    unsigned primary = 0, over100 = 0;
    for (int p = 0; p < AQI_POLLUTANT_COUNT; p++) {
        int iaqi = out->sub[p].iaqi; /* 0 unless the slot is OK */
        primary |= (unsigned)((ok >> p & 1) & (aqi > 50) & (iaqi == aqi)) << p;
        over100 |= (unsigned)((ok >> p & 1) & (iaqi > 100)) << p;
    }
    out->primary = primary;
    *(std == AQI_STD_2012 ? &out->exceed : &out->sensitive) = over100;

    /* 2026 §5.3.1: with a pollutant missing, publish only an AQI above 100. */
    out->published = std == AQI_STD_2012 || !missing || aqi > 100;
    if (!out->published)
        flags |= AQI_F_WITHHELD;
    out->flags = flags;
    return 0;
}

/* ---- many daily reports (struct of arrays) ---- */

/* Days computed together: small enough for the per-slot sub-indices to stay in L1. */
#define AQI_SERIES_CHUNK 64

/* One day of the series through aqi_compute: the days the slot loops leave out (a value
 * above its column, where the editions' special rules apply). */
static int aqi_series_day_general(enum aqi_standard std, const struct aqi_day_series *s, int d,
                                  struct aqi_headline *h)
{
    struct aqi_input in = {.not_monitored = s->not_monitored};
    for (int p = 0; p < AQI_POLLUTANT_COUNT; p++)
        if (s->num[p])
            in.c[p] = (struct aqi_conc){s->num[p][d], s->den[p][d]};
    struct aqi_result r;
    if (aqi_compute(std, AQI_KIND_DAILY, &in, &r) != 0)
        return -1;
    *h = (struct aqi_headline){r.aqi,    r.level,     r.published, r.primary,
                               r.exceed, r.sensitive, r.missing,   r.flags};
    return 0;
}

/* aqi_series_slot for a 2026 daily column: the reported concentration in grid points g
 * (µg/m³, CO 0.1 mg/m³) indexes the column's IAQI table, which holds what aqi_interpolate
 * gives for g exactly (test_aqi checks every entry); above the table's top, slow[d]. */
static int aqi_series_slot_2026(const struct aqi_day_series *s, int p, int col, const int64_t *nums,
                                const int64_t *dens, int m, int16_t *iaqi, unsigned char *missing,
                                unsigned char *slow, int64_t *report)
{
    const uint16_t *table = aqi_iaqi_2026 + aqi_table_2026[col];
    int decimals = aqi_report_decimals((enum aqi_pollutant)p);
    int64_t unit = decimals ? 100 : 1000;
    const uint64_t *recip = decimals ? aqi_recip_100 : aqi_recip_1000;
    int64_t top = (int64_t)aqi_columns[col].top / unit;
    for (int d = 0; d < m; d++) {
        int64_t num = nums[d], den = dens[d];
        if (!aqi_conc_valid((struct aqi_conc){num, den}))
            return -1;
        iaqi[d] = -1;
        if (den == 0) {
            missing[d] |= (unsigned char)(1u << p);
            if (report)
                report[d] = -1;
            continue;
        }
        int64_t g;
        if (den <= AQI_RECIP_MAX) {
            int64_t b = den * unit;
            int64_t q = (int64_t)(((unsigned __int128)(uint64_t)num * recip[den]) >> 64);
            int64_t r2 = 2 * (num - q * b);
            g = q + ((r2 > b) | ((r2 == b) & (q & 1))); /* as aqi_round_grid */
        } else {
            g = aqi_round_grid(num, den, decimals, &unit);
        }
        if (report)
            report[d] = g * unit;
        if (g > top)
            slow[d] = 1;
        else
            iaqi[d] = (int16_t)table[g];
    }
    return 0;
}

/* Slot p of days d0..d0+m-1: its sub-index (-1 when missing or not an input), the missing
 * bit, the report value, and slow[d] = 1 for a value above the column. The same arithmetic
 * as aqi_sub_fast, one slot at a time so that the loop holds only this slot's constants. */
static int aqi_series_slot(enum aqi_standard std, const struct aqi_day_series *s, int p, int d0,
                           int m, int16_t *iaqi, unsigned char *missing, unsigned char *slow)
{
    int col = aqi_slot_column[std][AQI_KIND_DAILY][p];
    int64_t *report = s->report[p] ? s->report[p] + d0 : NULL;
    int decimals = aqi_report_decimals((enum aqi_pollutant)p);
    if (!s->num[p]) {
        for (int d = 0; d < m; d++) {
            iaqi[d] = -1;
            missing[d] |= (unsigned char)((col != AQI_COL_NONE) << p);
            if (report)
                report[d] = -1;
        }
        return 0;
    }
    const int64_t *nums = s->num[p] + d0, *dens = s->den[p] + d0;
    const struct aqi_bp_column *column = col == AQI_COL_NONE ? NULL : &aqi_columns[col];
    if (std == AQI_STD_2026 && column)
        return aqi_series_slot_2026(s, p, col, nums, dens, m, iaqi, missing, slow, report);
    for (int d = 0; d < m; d++) {
        int64_t num = nums[d], den = dens[d];
        if (!aqi_conc_valid((struct aqi_conc){num, den}))
            return -1;
        iaqi[d] = -1;
        if (den == 0) {
            missing[d] |= (unsigned char)((column != NULL) << p);
            if (report)
                report[d] = -1;
            continue;
        }
        int64_t cm;
        if (std == AQI_STD_2026 || !column) {
            cm = aqi_round_units(num, den, decimals);
            if (report)
                report[d] = cm;
        } else {
            int64_t q = aqi_div(num, den);
            cm = q + (q * den != num);
            if (report)
                report[d] = aqi_round_units(num, den, decimals);
        }
        if (!column)
            continue;
        if (cm > (int64_t)column->top)
            slow[d] = 1;
        else
            iaqi[d] = (int16_t)aqi_interpolate(column, cm);
    }
    return 0;
}

/* The headlines of a block of days from their sub-indices, as aqi_compute sums them up.
 * The maximum and the primary / over-100 masks are computed for the whole block with loops
 * over days (the compiler turns them into 16-bit vector compares), then each day's fields
 * are filled; days left to aqi_compute (slow) are skipped. The primary test uses the
 * maximum before the 2026 floor of 1, which is the same: a primary needs aqi > 50. */
static void aqi_series_headlines(enum aqi_standard std, unsigned required,
                                 int16_t (*iaqi)[AQI_SERIES_CHUNK], const unsigned char *missing,
                                 const unsigned char *slow, int m, struct aqi_headline *out)
{
    int16_t top[AQI_SERIES_CHUNK];
    unsigned char primary[AQI_SERIES_CHUNK], over100[AQI_SERIES_CHUNK];
    for (int d = 0; d < AQI_SERIES_CHUNK; d++)
        top[d] = iaqi[0][d];
    for (int p = 1; p < AQI_POLLUTANT_COUNT; p++)
        for (int d = 0; d < AQI_SERIES_CHUNK; d++)
            top[d] = iaqi[p][d] > top[d] ? iaqi[p][d] : top[d];
    memset(primary, 0, sizeof primary);
    memset(over100, 0, sizeof over100);
    for (int p = 0; p < AQI_POLLUTANT_COUNT; p++)
        for (int d = 0; d < AQI_SERIES_CHUNK; d++) {
            int v = iaqi[p][d];
            primary[d] |= (unsigned char)(((v == top[d]) & (top[d] > 50)) << p);
            over100[d] |= (unsigned char)((v > 100) << p);
        }
    for (int d = 0; d < m; d++) {
        if (slow[d])
            continue;
        struct aqi_headline *h = &out[d];
        int aqi = top[d];
        unsigned miss = missing[d] & required;
        unsigned flags = miss ? AQI_F_INCOMPLETE : 0;
        if (aqi < 0) {
            *h = (struct aqi_headline){-1, 0, false, 0, 0, 0, miss, flags | AQI_F_NO_DATA};
            continue;
        }
        if (std == AQI_STD_2026 && aqi < 1)
            aqi = 1; /* §4.1.1 */
        bool published = std == AQI_STD_2012 || !miss || aqi > 100;
        h->aqi = aqi;
        /* aqi_level without its loop: aqi is 0..500 here */
        h->level = 1 + (aqi > 50) + (aqi > 100) + (aqi > 150) + (aqi > 200) + (aqi > 300);
        h->published = published;
        h->primary = primary[d];
        h->exceed = std == AQI_STD_2012 ? over100[d] : 0;
        h->sensitive = std == AQI_STD_2012 ? 0 : over100[d];
        h->missing = miss;
        h->flags = flags | (published ? 0 : AQI_F_WITHHELD);
    }
}

int aqi_daily_series(enum aqi_standard std, const struct aqi_day_series *s, int n,
                     struct aqi_headline *out)
{
    if ((unsigned)std >= AQI_STD_COUNT || !s || n < 0 || (n > 0 && !out))
        return -1;
    for (int p = 0; p < AQI_POLLUTANT_COUNT; p++)
        if (!s->num[p] != !s->den[p])
            return -1;
    unsigned required = aqi_required[std][AQI_KIND_DAILY] & ~s->not_monitored;
    int16_t iaqi[AQI_POLLUTANT_COUNT][AQI_SERIES_CHUNK];
    unsigned char missing[AQI_SERIES_CHUNK], slow[AQI_SERIES_CHUNK];
    /* A last block shorter than the others leaves its tail as it was: defined (-1) */
    memset(iaqi, 0xff, sizeof iaqi);
    for (int d0 = 0; d0 < n; d0 += AQI_SERIES_CHUNK) {
        int m = n - d0 < AQI_SERIES_CHUNK ? n - d0 : AQI_SERIES_CHUNK;
        memset(missing, 0, sizeof missing);
        memset(slow, 0, sizeof slow);
        for (int p = 0; p < AQI_POLLUTANT_COUNT; p++)
            if (aqi_series_slot(std, s, p, d0, m, iaqi[p], missing, slow) != 0)
                return -1;
        aqi_series_headlines(std, required, iaqi, missing, slow, m, out + d0);
        for (int d = 0; d < m; d++)
            if (slow[d] && aqi_series_day_general(std, s, d0 + d, &out[d0 + d]) != 0)
                return -1;
    }
    return 0;
}

int aqi_iaqi(enum aqi_standard std, enum aqi_kind kind, enum aqi_pollutant p, struct aqi_conc c,
             unsigned *flags)
{
    struct aqi_input in = {0};
    struct aqi_result r;

    if ((unsigned)p >= AQI_POLLUTANT_COUNT)
        return -1;
    in.c[p] = c;
    if (aqi_compute(std, kind, &in, &r) != 0 || r.sub[p].state != AQI_SUB_OK)
        return -1;
    if (flags)
        *flags = r.sub[p].flags;
    return r.sub[p].iaqi;
}

enum aqi_standard aqi_standard_for_date(int y, int m, int d)
{
    long key = (long)y * 10000 + m * 100 + d;

    return key >= 20260301L ? AQI_STD_2026 : AQI_STD_2012;
}

static int64_t aqi_gcd(int64_t a, int64_t b)
{
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* Mean of the present values of one slot, exact: sum(num_i * L / den_i) / (L * k). */
static int aqi_mean(const struct aqi_conc *v, size_t stride, int n, struct aqi_conc *out)
{
    int64_t l = 1, sum = 0, k = 0;
    const unsigned char *base = (const unsigned char *)v;

    for (int i = 0; i < n; i++) {
        const struct aqi_conc *c = (const struct aqi_conc *)(base + (size_t)i * stride);
        if (!aqi_conc_present(*c))
            continue;
        int64_t g = aqi_gcd(l, c->den), nl;
        if (__builtin_mul_overflow(l / g, c->den, &nl) || nl > AQI_DEN_MAX)
            return -1;
        /* Rescale the running sum to the new common denominator. */
        if (__builtin_mul_overflow(sum, nl / l, &sum))
            return -1;
        l = nl;
        int64_t term;
        if (__builtin_mul_overflow(c->num, l / c->den, &term) ||
            __builtin_add_overflow(sum, term, &sum))
            return -1;
        k++;
    }
    if (k == 0) {
        *out = (struct aqi_conc){0, 0};
        return 0;
    }
    int64_t den;
    if (__builtin_mul_overflow(l, k, &den))
        return -1;
    int64_t g = aqi_gcd(sum, den);
    if (g > 1) {
        sum /= g;
        den /= g;
    }
    if (den > AQI_DEN_MAX)
        return -1;
    *out = (struct aqi_conc){sum, den};
    return 0;
}

int aqi_city_input(const struct aqi_input *stations, int n, struct aqi_input *city)
{
    if (!stations || !city || n < 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (!aqi_input_valid(&stations[i]))
            return -1;

    struct aqi_input out = {.not_monitored = n > 0 ? ~0u : 0u};
    for (int p = 0; p < AQI_POLLUTANT_COUNT; p++)
        if (aqi_mean(&stations[0].c[p], sizeof *stations, n, &out.c[p]) != 0)
            return -1;
    if (aqi_mean(&stations[0].so2_24h, sizeof *stations, n, &out.so2_24h) != 0)
        return -1;
    for (int i = 0; i < n; i++)
        out.not_monitored &= stations[i].not_monitored;
    *city = out;
    return n;
}

int aqi_level(int aqi)
{
    if (aqi < 0)
        return 0;
    for (int i = 0; i < AQI_LEVEL_COUNT; i++)
        if (aqi <= aqi_level_top[i])
            return i + 1;
    return AQI_LEVEL_COUNT;
}

const char *aqi_pollutant_name(enum aqi_pollutant p)
{
    return (unsigned)p < AQI_POLLUTANT_COUNT ? aqi_pollutant_names[p] : "?";
}

const char *aqi_parse_message(enum aqi_parse e)
{
    if ((unsigned)e >= sizeof aqi_parse_messages / sizeof aqi_parse_messages[0])
        return "unknown error";
    return aqi_parse_messages[e];
}

static bool aqi_is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

enum aqi_parse aqi_conc_parse(const char *s, int len, struct aqi_conc *out)
{
    int i = 0, int_digits = 0, frac_digits = 0;

    if (!s || len <= 0)
        return AQI_PARSE_EMPTY;
    bool negative = s[0] == '-';
    if (negative || s[0] == '+')
        i++;
    /* Syntax first, so "12x" is a syntax error however large it is. */
    int j = i;
    while (j < len && aqi_is_digit(s[j]))
        j++, int_digits++;
    if (j < len && s[j] == '.') {
        j++;
        while (j < len && aqi_is_digit(s[j]))
            j++, frac_digits++;
    }
    if (j != len || int_digits + frac_digits == 0 || s[0] == '+')
        return AQI_PARSE_SYNTAX;
    if (negative)
        return AQI_PARSE_NEGATIVE;

    int64_t units = 0;
    for (; i < len && aqi_is_digit(s[i]); i++) {
        units = units * 10 + (s[i] - '0');
        if (units > AQI_CONC_MAX_UNITS)
            return AQI_PARSE_RANGE;
    }
    int64_t frac = 0;
    int k = 0;
    if (i < len)
        i++; /* '.' */
    for (; i < len; i++, k++) {
        if (k < 3)
            frac = frac * 10 + (s[i] - '0');
        else if (s[i] != '0')
            return AQI_PARSE_PRECISION;
    }
    for (; k < 3; k++)
        frac *= 10;
    int64_t milli = units * AQI_MILLI + frac;
    if (milli > AQI_CONC_MAX_UNITS * AQI_MILLI)
        return AQI_PARSE_RANGE;
    *out = (struct aqi_conc){milli, 1};
    return AQI_PARSE_OK;
}
