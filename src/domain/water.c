#include "domain/water.h"

#include <stdio.h>
#include <string.h>

#define M(x) ((int64_t)((x)*1000000.0 + 0.5))

static const struct water_factor_info water_info[WATER_FACTOR_COUNT] = {
    [WATER_PH] = {"ph", "pH", "", "w01001", true, false},
    [WATER_DO] = {"do", "溶解氧", "mg/L", "w01009", true, false},
    [WATER_CODMN] = {"codmn", "高锰酸盐指数", "mg/L", "w01019", true, false},
    [WATER_COD] = {"cod", "化学需氧量", "mg/L", "w01018", true, false},
    [WATER_BOD5] = {"bod5", "五日生化需氧量", "mg/L", "w01017", true, false},
    [WATER_NH3N] = {"nh3n", "氨氮", "mg/L", "w21003", true, false},
    [WATER_TP] = {"tp", "总磷", "mg/L", "w21011", true, false},
    [WATER_TN] = {"tn", "总氮", "mg/L", "w21001", false, false},
    [WATER_CU] = {"cu", "铜", "mg/L", "", true, true},
    [WATER_ZN] = {"zn", "锌", "mg/L", "", true, true},
    [WATER_F] = {"f", "氟化物", "mg/L", "", true, false},
    [WATER_SE] = {"se", "硒", "mg/L", "", true, true},
    [WATER_AS] = {"as", "砷", "mg/L", "w20119", true, true},
    [WATER_HG] = {"hg", "汞", "mg/L", "w20111", true, true},
    [WATER_CD] = {"cd", "镉", "mg/L", "w20115", true, true},
    [WATER_CR6] = {"cr6", "铬（六价）", "mg/L", "w20117", true, true},
    [WATER_PB] = {"pb", "铅", "mg/L", "w20120", true, true},
    [WATER_CN] = {"cn", "氰化物", "mg/L", "", true, true},
    [WATER_PHENOL] = {"phenol", "挥发酚", "mg/L", "", true, false},
    [WATER_OIL] = {"oil", "石油类", "mg/L", "w22001", true, false},
    [WATER_LAS] = {"las", "阴离子表面活性剂", "mg/L", "", true, false},
    [WATER_SULFIDE] = {"sulfide", "硫化物", "mg/L", "", true, false},
    [WATER_FCOLI] = {"fcoli", "粪大肠菌群", "个/L", "", false, false},
};

/* GB 3838-2002 Table 1, classes Ⅰ..Ⅴ, in millionths (exact: every limit has
 * at most five decimals, so M() is exact after rounding). */
static const int64_t water_limits[WATER_FACTOR_COUNT][5] = {
    [WATER_DO] = {M(7.5), M(6), M(5), M(3), M(2)},
    [WATER_CODMN] = {M(2), M(4), M(6), M(10), M(15)},
    [WATER_COD] = {M(15), M(15), M(20), M(30), M(40)},
    [WATER_BOD5] = {M(3), M(3), M(4), M(6), M(10)},
    [WATER_NH3N] = {M(0.15), M(0.5), M(1.0), M(1.5), M(2.0)},
    [WATER_TP] = {M(0.02), M(0.1), M(0.2), M(0.3), M(0.4)},
    [WATER_TN] = {M(0.2), M(0.5), M(1.0), M(1.5), M(2.0)},
    [WATER_CU] = {M(0.01), M(1.0), M(1.0), M(1.0), M(1.0)},
    [WATER_ZN] = {M(0.05), M(1.0), M(1.0), M(2.0), M(2.0)},
    [WATER_F] = {M(1.0), M(1.0), M(1.0), M(1.5), M(1.5)},
    [WATER_SE] = {M(0.01), M(0.01), M(0.01), M(0.02), M(0.02)},
    [WATER_AS] = {M(0.05), M(0.05), M(0.05), M(0.1), M(0.1)},
    [WATER_HG] = {M(0.00005), M(0.00005), M(0.0001), M(0.001), M(0.001)},
    [WATER_CD] = {M(0.001), M(0.005), M(0.005), M(0.005), M(0.01)},
    [WATER_CR6] = {M(0.01), M(0.05), M(0.05), M(0.05), M(0.1)},
    [WATER_PB] = {M(0.01), M(0.01), M(0.05), M(0.05), M(0.1)},
    [WATER_CN] = {M(0.005), M(0.05), M(0.2), M(0.2), M(0.2)},
    [WATER_PHENOL] = {M(0.002), M(0.002), M(0.005), M(0.01), M(0.1)},
    [WATER_OIL] = {M(0.05), M(0.05), M(0.05), M(0.5), M(1.0)},
    [WATER_LAS] = {M(0.2), M(0.2), M(0.2), M(0.3), M(0.3)},
    [WATER_SULFIDE] = {M(0.05), M(0.1), M(0.2), M(0.5), M(1.0)},
    [WATER_FCOLI] = {M(200), M(2000), M(10000), M(20000), M(40000)},
};
/* TP of lakes and reservoirs (湖、库). */
static const int64_t water_tp_lake[5] = {M(0.01), M(0.025), M(0.05), M(0.1), M(0.2)};

const struct water_factor_info *water_factor_info(enum water_factor f)
{
    return (unsigned)f < WATER_FACTOR_COUNT ? &water_info[f] : NULL;
}

int water_factor_parse(const char *code)
{
    for (int f = 0; code && *code && f < WATER_FACTOR_COUNT; f++)
        if (!strcmp(code, water_info[f].code) ||
            (water_info[f].hj212[0] && !strcmp(code, water_info[f].hj212)))
            return f;
    return -1;
}

int water_parse(const char *s, int64_t *out)
{
    if (!s || !*s)
        return -1;
    int64_t units = 0, frac = 0;
    int decimals = 0, digits = 0;
    bool dot = false;
    for (const char *p = s; *p; p++) {
        if (*p == '.') {
            if (dot)
                return -1;
            dot = true;
            continue;
        }
        if (*p < '0' || *p > '9')
            return -1;
        digits++;
        if (dot) {
            if (++decimals > 6) {
                if (*p != '0')
                    return -1;
                decimals = 6;
                continue;
            }
            frac = frac * 10 + (*p - '0');
        } else {
            units = units * 10 + (*p - '0');
            if (units > WATER_MAX_UNITS)
                return -1;
        }
    }
    if (!digits)
        return -1;
    while (decimals < 6)
        frac *= 10, decimals++;
    int64_t v = units * WATER_MICRO + frac;
    if (v > WATER_MAX_UNITS * WATER_MICRO)
        return -1;
    *out = v;
    return 0;
}

void water_format(int64_t v, char *out, int size)
{
    if (v < 0) {
        snprintf(out, (size_t)size, "-");
        return;
    }
    int n = snprintf(out, (size_t)size, "%lld.%06lld", (long long)(v / WATER_MICRO),
                     (long long)(v % WATER_MICRO));
    while (n > 0 && n < size && out[n - 1] == '0')
        out[--n] = '\0';
    if (n > 0 && n < size && out[n - 1] == '.')
        out[--n] = '\0';
}

int64_t water_limit(enum water_factor f, enum water_kind kind, int c)
{
    if ((unsigned)f >= WATER_FACTOR_COUNT || c < 1 || c > 5 || f == WATER_PH)
        return -1;
    if (f == WATER_TP && kind == WATER_LAKE)
        return water_tp_lake[c - 1];
    return water_limits[f][c - 1];
}

int water_factor_class(enum water_factor f, enum water_kind kind, int64_t v)
{
    if ((unsigned)f >= WATER_FACTOR_COUNT || v < 0 || (kind != WATER_RIVER && kind != WATER_LAKE))
        return -1;
    if (f == WATER_PH)
        return v >= 6 * WATER_MICRO && v <= 9 * WATER_MICRO ? 1 : WATER_WORSE_THAN_V;
    for (int c = 1; c <= 5; c++) {
        int64_t lim = water_limit(f, kind, c);
        if (f == WATER_DO ? v >= lim : v <= lim)
            return c;
    }
    return WATER_WORSE_THAN_V;
}

/* Main-pollutant order: toxic first, then worse class, then larger multiple. */
static bool water_before(const struct water_main *a, const struct water_main *b)
{
    bool ta = water_info[a->factor].toxic, tb = water_info[b->factor].toxic;
    if (ta != tb)
        return ta;
    if (a->cls != b->cls)
        return a->cls > b->cls;
    return a->multiple_milli > b->multiple_milli;
}

int water_evaluate(enum water_kind kind, const int64_t v[WATER_FACTOR_COUNT], int target,
                   struct water_eval *out)
{
    if ((kind != WATER_RIVER && kind != WATER_LAKE) || target < 0 || target > 5)
        return -1;
    memset(out, 0, sizeof *out);
    out->target = target;
    int ref = target ? target : 3;
    struct water_main cand[WATER_FACTOR_COUNT];
    int nc = 0;
    for (int f = 0; f < WATER_FACTOR_COUNT; f++) {
        if (v[f] < 0)
            continue;
        int c = water_factor_class((enum water_factor)f, kind, v[f]);
        out->factor_class[f] = c;
        if (!water_info[f].in_class || (f == WATER_TN && kind == WATER_RIVER))
            continue;
        out->assessed++;
        if (c > out->cls)
            out->cls = c;
        if (c > ref) {
            struct water_main m = {(enum water_factor)f, c, -1};
            int64_t lim = water_limit((enum water_factor)f, kind, ref);
            if (f != WATER_PH && f != WATER_DO && lim > 0)
                m.multiple_milli = ((v[f] - lim) * 1000 + lim / 2) / lim;
            cand[nc++] = m;
        }
    }
    /* a few candidates: insertion sort keeps it simple and stable */
    for (int i = 1; i < nc; i++)
        for (int j = i; j > 0 && water_before(&cand[j], &cand[j - 1]); j--) {
            struct water_main t = cand[j];
            cand[j] = cand[j - 1];
            cand[j - 1] = t;
        }
    out->nmain = nc < WATER_MAIN_MAX ? nc : WATER_MAIN_MAX;
    memcpy(out->main, cand, sizeof cand[0] * (size_t)out->nmain);
    out->compliant = !target || !out->cls ? -1 : out->cls <= target;
    return 0;
}

const char *water_class_name(int cls)
{
    static const char *const names[] = {"", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ"};
    return cls >= 1 && cls <= 6 ? names[cls] : "";
}

const char *water_class_code(int cls)
{
    static const char *const codes[] = {"", "I", "II", "III", "IV", "V", "worse_V"};
    return cls >= 1 && cls <= 6 ? codes[cls] : "";
}

const char *water_grade(int cls)
{
    static const char *const g[] = {"", "优", "优", "良好", "轻度污染", "中度污染", "重度污染"};
    return cls >= 1 && cls <= 6 ? g[cls] : "";
}

const char *water_color(int cls)
{
    static const char *const c[] = {"#BBBBBB", "#1E88E5", "#1E88E5", "#43A047",
                                    "#FDD835", "#FB8C00", "#E53935"};
    return cls >= 1 && cls <= 6 ? c[cls] : c[0];
}
