/* village rules — see rules.h. The GB 18918 limits are data typed from the
 * standard's Table 1 (source and what was left out: docs/village.md). */
#include "modules/village/rules.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *const village_standards[] = {"gb18918_1a", "gb18918_1b", "gb18918_2",
                                         "gb18918_3",  "custom",     NULL};

/* GB 18918-2002《城镇污水处理厂污染物排放标准》Table 1 (基本控制项目最高允许
 * 排放浓度, daily mean, mg/L; pH dimensionless), the items with an HJ 212
 * code. NH3-N: the bracketed value applies at water temperature <= 12 °C.
 * TP: the values for plants built from 2006-01-01 (rural facilities are).
 * "-" in the standard (no limit for the class) is a 0 here. */
static const struct {
    const char *factor;
    double limit[4], cold[4];
} gb18918_table1[] = {
    {"w01018", {50, 60, 100, 120}, {0}},       /* 化学需氧量 COD */
    {"w01017", {10, 20, 30, 60}, {0}},         /* 生化需氧量 BOD5 */
    {"w01012", {10, 20, 30, 50}, {0}},         /* 悬浮物 SS */
    {"w22001", {1, 3, 5, 15}, {0}},            /* 石油类 */
    {"w21001", {15, 20, 0, 0}, {0}},           /* 总氮 (以 N 计) */
    {"w21003", {5, 8, 25, 0}, {8, 15, 30, 0}}, /* 氨氮 (以 N 计) */
    {"w21011", {0.5, 1, 3, 5}, {0}},           /* 总磷 (以 P 计), 2006-01-01 起建设 */
};

static const struct {
    const char *code, *name;
} village_standard_names[] = {
    {"gb18918_1a", "GB 18918-2002 一级A"},  {"gb18918_1b", "GB 18918-2002 一级B"},
    {"gb18918_2", "GB 18918-2002 二级"},    {"gb18918_3", "GB 18918-2002 三级"},
    {"custom", "地方农村生活污水排放标准"},
};

static const struct {
    const char *code, *name;
} village_factor_names[] = {
    {"w00000", "污水流量"},       {"w01001", "pH"},
    {"w01010", "水温"},           {"w01012", "悬浮物"},
    {"w01017", "五日生化需氧量"}, {"w01018", "化学需氧量"},
    {"w21001", "总氮"},           {"w21003", "氨氮"},
    {"w21011", "总磷"},           {"w22001", "石油类"},
};

static int village_class_index(const char *code)
{
    for (int i = 0; i < 4; i++)
        if (code && !strcmp(code, village_standards[i]))
            return i;
    return -1;
}

int village_standard_limits(const char *code, struct village_limit out[VILLAGE_LIMITS_MAX],
                            size_t *n)
{
    int c = village_class_index(code);
    *n = 0;
    if (c < 0)
        return -1;
    /* pH 6–9 in every class. */
    out[(*n)++] = (struct village_limit){"w01001", 6, 9, NAN};
    for (size_t i = 0; i < sizeof gb18918_table1 / sizeof gb18918_table1[0]; i++) {
        if (gb18918_table1[i].limit[c] <= 0)
            continue;
        struct village_limit *l = &out[(*n)++];
        snprintf(l->factor, sizeof l->factor, "%s", gb18918_table1[i].factor);
        l->min = NAN;
        l->max = gb18918_table1[i].limit[c];
        l->max_cold = gb18918_table1[i].cold[c] > 0 ? gb18918_table1[i].cold[c] : NAN;
    }
    return 0;
}

const char *village_standard_name(const char *code)
{
    for (size_t i = 0; i < sizeof village_standard_names / sizeof village_standard_names[0]; i++)
        if (code && !strcmp(code, village_standard_names[i].code))
            return village_standard_names[i].name;
    return NULL;
}

bool village_factor_valid(const char *s)
{
    if (!s || strlen(s) != 6 || s[0] < 'a' || s[0] > 'z')
        return false;
    for (int i = 1; i < 6; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

const char *village_factor_name(const char *code)
{
    for (size_t i = 0; i < sizeof village_factor_names / sizeof village_factor_names[0]; i++)
        if (!strcmp(code, village_factor_names[i].code))
            return village_factor_names[i].name;
    return code;
}

json_t *village_limits_json(const struct village_limit *l, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_pack("{ss ss sf}", "factor", l[i].factor, "name",
                              village_factor_name(l[i].factor), "max", l[i].max);
        if (!isnan(l[i].min))
            json_object_set_new(o, "min", json_real(l[i].min));
        if (!isnan(l[i].max_cold))
            json_object_set_new(o, "max_cold", json_real(l[i].max_cold));
        json_array_append_new(a, o);
    }
    return a;
}

static double village_opt_number(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

int village_limits_parse(json_t *arr, struct village_limit out[VILLAGE_LIMITS_MAX], size_t *n)
{
    *n = 0;
    if (!json_is_array(arr) || json_array_size(arr) > VILLAGE_LIMITS_MAX)
        return -1;
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        const char *f = json_string_value(json_object_get(o, "factor"));
        struct village_limit *l = &out[(*n)++];
        if (!village_factor_valid(f))
            return -1;
        snprintf(l->factor, sizeof l->factor, "%s", f);
        l->max = village_opt_number(o, "max");
        l->min = village_opt_number(o, "min");
        l->max_cold = village_opt_number(o, "max_cold");
        if (isnan(l->max))
            return -1;
    }
    return 0;
}

void village_judge(const struct village_limit *l, size_t n, json_t *values,
                   struct village_judgement *out)
{
    out->measured = 0;
    out->exceed = json_array();
    double temp = village_opt_number(values, VILLAGE_TEMP);
    bool cold = !isnan(temp) && temp <= 12.0;
    for (size_t i = 0; i < n; i++) {
        double v = village_opt_number(values, l[i].factor);
        if (isnan(v))
            continue;
        out->measured++;
        double max = cold && !isnan(l[i].max_cold) ? l[i].max_cold : l[i].max;
        bool low = !isnan(l[i].min) && v < l[i].min;
        if (!low && v <= max)
            continue;
        json_t *e =
            json_pack("{ss ss sf sf}", "factor", l[i].factor, "name",
                      village_factor_name(l[i].factor), "value", v, "limit", low ? l[i].min : max);
        json_array_append_new(out->exceed, e);
    }
}

enum village_day village_day_state(const struct village_day_evidence *e)
{
    if (e->seen_running > 0)
        return VILLAGE_DAY_RUN;
    if (e->seen_stopped > 0)
        return VILLAGE_DAY_STOP;
    if (!isnan(e->flow))
        return e->flow > 0 ? VILLAGE_DAY_RUN : VILLAGE_DAY_STOP;
    return e->online || e->samples > 0 ? VILLAGE_DAY_RUN : VILLAGE_DAY_NONE;
}

enum village_state village_state_of(const enum village_day *days, size_t n, int latest_exceeds)
{
    size_t from = n > VILLAGE_STATE_DAYS ? n - VILLAGE_STATE_DAYS : 0;
    enum village_day last = VILLAGE_DAY_NONE;
    for (size_t i = from; i < n; i++)
        if (days[i] != VILLAGE_DAY_NONE)
            last = days[i];
    if (last == VILLAGE_DAY_STOP)
        return VILLAGE_STOPPED;
    if (last == VILLAGE_DAY_NONE || latest_exceeds < 0)
        return VILLAGE_NO_DATA;
    return latest_exceeds ? VILLAGE_EXCEEDING : VILLAGE_COMPLIANT;
}

const char *village_state_name(enum village_state s)
{
    static const char *const names[] = {"no_data", "compliant", "exceeding", "stopped"};
    return names[s];
}

long village_stop_start(const enum village_day *days, size_t n)
{
    long last = -1;
    for (size_t i = n; i-- > 0;)
        if (days[i] != VILLAGE_DAY_NONE) {
            last = (long)i;
            break;
        }
    if (last < 0 || days[last] != VILLAGE_DAY_STOP)
        return -1;
    long start = last;
    for (long i = last - 1; i >= 0 && days[i] != VILLAGE_DAY_RUN; i--)
        if (days[i] == VILLAGE_DAY_STOP)
            start = i;
    return start;
}

int village_period(int32_t from, int32_t to, int32_t commissioned, int32_t today, bool today_seen,
                   int32_t *first, int32_t *last)
{
    *first = commissioned > from ? commissioned : from;
    int32_t end = today_seen ? today : today - 1;
    *last = to < end ? to : end;
    return *last >= *first ? (int)(*last - *first + 1) : 0;
}

size_t village_missed_days(const int32_t *cleared, size_t ncleared, int32_t first, int32_t last,
                           int32_t *out, size_t max)
{
    size_t missed = 0, j = 0;
    for (int32_t d = first; d <= last; d++) {
        while (j < ncleared && cleared[j] < d)
            j++;
        if (j < ncleared && cleared[j] == d)
            continue;
        if (out && missed < max)
            out[missed] = d;
        missed++;
    }
    return missed;
}

int32_t village_flag_last_day(int64_t now_utc)
{
    int64_t local = now_utc + 8 * 3600;
    int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    int64_t hour = (local - day * 86400) / 3600;
    return (int32_t)(hour >= VILLAGE_FLAG_HOUR ? day - 1 : day - 2);
}

double village_rate(long part, long whole)
{
    if (whole <= 0)
        return -1;
    return round(1000.0 * (double)part / (double)whole) / 10.0;
}
