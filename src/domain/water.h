/* water — surface-water class by GB 3838-2002: single-factor evaluation of
 * each factor against Table 1 (river and lake TP columns), the section class
 * as the worst factor class (劣Ⅴ beyond class Ⅴ), compliance with a target
 * class, the main pollutants by their multiple of exceedance over the target
 * class limit, and the qualitative grade.
 *
 * Owns: the GB 3838-2002 Table 1 limits and the 21 factors of the routine
 * assessment (环办〔2011〕22号: Table 1 minus water temperature, TN and fecal
 * coliforms; TN and fecal coliforms are classed on their own but never decide
 * the section class).
 *
 * Must not: do I/O, allocate, or use floating point on a path that decides a
 * class. Values are exact integers in millionths of the unit (mg/L; pH
 * dimensionless; fecal coliforms per litre), parsed from decimal text. */
#ifndef ECOGOV_WATER_H
#define ECOGOV_WATER_H

#include <stdbool.h>
#include <stdint.h>

#define WATER_MICRO 1000000
/* Largest accepted value: 10^7 units (fecal coliforms are counted per litre). */
#define WATER_MAX_UNITS 10000000LL
#define WATER_WORSE_THAN_V 6 /* 劣Ⅴ */
#define WATER_MAIN_MAX 3

enum water_factor {
    WATER_PH,
    WATER_DO,
    WATER_CODMN,
    WATER_COD,
    WATER_BOD5,
    WATER_NH3N,
    WATER_TP,
    WATER_TN,
    WATER_CU,
    WATER_ZN,
    WATER_F,
    WATER_SE,
    WATER_AS,
    WATER_HG,
    WATER_CD,
    WATER_CR6,
    WATER_PB,
    WATER_CN,
    WATER_PHENOL,
    WATER_OIL,
    WATER_LAS,
    WATER_SULFIDE,
    WATER_FCOLI,
    WATER_FACTOR_COUNT
};

enum water_kind { WATER_RIVER, WATER_LAKE }; /* lake = 湖、库 */

struct water_factor_info {
    const char *code;    /* stable ASCII key, e.g. "nh3n" */
    const char *name_zh; /* 氨氮 */
    const char *unit;    /* mg/L, "" (pH), 个/L */
    const char *hj212;   /* HJ 212-2017 factor code, "" when none */
    bool in_class;       /* one of the 21 factors that decide the class */
    bool toxic;          /* heavy metals and cyanide: listed first among main pollutants */
};

/* Static description of factor f (NULL when out of range). */
const struct water_factor_info *water_factor_info(enum water_factor f);
/* Factor by code ("ph", "do", "codmn", ...) or HJ 212 code; -1 when unknown. */
int water_factor_parse(const char *code);

/* Parses a plain decimal ("0.00005", "7.5", "200") into millionths. No sign,
 * exponent or spaces; at most 6 decimals; at most WATER_MAX_UNITS. 0 or -1. */
int water_parse(const char *s, int64_t *out);
/* Formats millionths as a decimal without trailing zeros into out (>= 24 bytes). */
void water_format(int64_t v, char *out, int size);

/* Class 1..5 of one value, WATER_WORSE_THAN_V beyond class Ⅴ (pH outside
 * 6–9; DO below 2 mg/L), the best class whose limit it meets (classes that
 * share a limit give the better class). -1 for a negative value or a bad
 * factor. */
int water_factor_class(enum water_factor f, enum water_kind kind, int64_t v);
/* The class-c limit (c 1..5) of factor f in millionths; -1 when none (pH). */
int64_t water_limit(enum water_factor f, enum water_kind kind, int c);

struct water_main {
    enum water_factor factor;
    int cls;
    /* (C − L) / L over the target class limit, in thousandths; -1 for pH and
     * DO (no multiple is defined for them). */
    int64_t multiple_milli;
};

struct water_eval {
    int cls;                              /* section class 1..6, 0 when no factor was given */
    int factor_class[WATER_FACTOR_COUNT]; /* 0 = not given */
    int assessed;                         /* factors that took part */
    int target;                           /* 1..5 as passed, 0 = none */
    int compliant;                        /* 1 cls <= target, 0 worse, -1 no target or no class */
    struct water_main main[WATER_MAIN_MAX];
    int nmain;
};

/* Evaluates one period's values v[f] (negative = not measured) of a river or
 * lake section against target class target (1..5, 0 = none). Main pollutants:
 * the factors worse than the target (or than Ⅲ when there is no target),
 * toxic factors first, then by class and multiple, at most three. Returns 0,
 * or -1 for a bad kind or target. */
int water_evaluate(enum water_kind kind, const int64_t v[WATER_FACTOR_COUNT], int target,
                   struct water_eval *out);

/* "Ⅰ" … "Ⅴ", "劣Ⅴ" for 1..6; "" otherwise. */
const char *water_class_name(int cls);
/* The class as a stable code for other languages ("I" … "V", "worse_V"; ""
 * outside 1..6): the UI writes the class name in its language from it. */
const char *water_class_code(int cls);
/* Qualitative grade: 优 (Ⅰ–Ⅱ), 良好, 轻度污染, 中度污染, 重度污染 (劣Ⅴ). */
const char *water_grade(int cls);
/* Display colour (#rrggbb) of a class; the palette is a project choice (no
 * official RGB exists, docs/quality.md). */
const char *water_color(int cls);

#endif
