#include "domain/monitor_norm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NORM_BEIJING (8 * 3600)
/* 2010-01-01T00:00:00+08:00: anything earlier is an unset clock (real devices send 2000). */
#define NORM_CLOCK_FLOOR 1262275200LL

static const struct monitor_station_kind norm_kinds[] = {
    {"national", MONITOR_AIR, 3600, 0, "国控空气站"},
    {"provincial", MONITOR_AIR, 3600, 0, "省控空气站"},
    {"micro", MONITOR_AIR, 1200, 0, "空气微站"},
    {"water", MONITOR_WATER, 4 * 3600, 0, "水质自动站"},
    {"source_gas", MONITOR_FLUE, 1800, 1, "废气排放口"},
    {"source_water", MONITOR_WATER, 7200, 1, "废水排放口"},
};

const struct monitor_station_kind *monitor_station_kind_find(const char *name)
{
    for (size_t i = 0; name && i < sizeof norm_kinds / sizeof norm_kinds[0]; i++)
        if (!strcmp(norm_kinds[i].name, name))
            return &norm_kinds[i];
    return NULL;
}

const struct monitor_station_kind *monitor_station_kinds(size_t *count)
{
    *count = sizeof norm_kinds / sizeof norm_kinds[0];
    return norm_kinds;
}

/* The factor table (HJ 212-2017 Appendix B, HJ 524/525; O3 a05024 from HJ 524). */
static const struct monitor_factor norm_factors[] = {
    {"a34004", "PM2.5", "ug/m3", "mg/m3", 1},
    {"a34002", "PM10", "ug/m3", "mg/m3", 1},
    {"a34001", "TSP", "ug/m3", "mg/m3", 1},
    {"a34005", "PM1.0", "ug/m3", "mg/m3", 1},
    {"a21026", "二氧化硫", "ug/m3", "mg/m3", 1},
    {"a21004", "二氧化氮", "ug/m3", "mg/m3", 1},
    {"a21003", "一氧化氮", "ug/m3", "mg/m3", 1},
    {"a21002", "氮氧化物", "ug/m3", "mg/m3", 1},
    {"a21005", "一氧化碳", "mg/m3", "mg/m3", 1},
    {"a05024", "臭氧", "ug/m3", "mg/m3", 1},
    {"a24088", "非甲烷总烃", "mg/m3", "mg/m3", 1},
    {"a99054", "TVOC", "ug/m3", "mg/m3", 1},
    {"a34013", "烟尘", "mg/m3", "mg/m3", 1},
    {"a01001", "气温", "degC", "degC", 0},
    {"a01002", "相对湿度", "%", "%", 0},
    {"a01006", "气压", "kPa", "kPa", 0},
    {"a01007", "风速", "m/s", "m/s", 0},
    {"a01008", "风向", "deg", "deg", 0},
    {"a00000", "废气流量", NULL, "m3/s", 1},
    {"a19001", "氧含量", NULL, "%", 1},
    {"a01011", "烟气流速", NULL, "m/s", 0},
    {"a01012", "烟气温度", NULL, "degC", 0},
    {"a01013", "烟气压力", NULL, "kPa", 0},
    {"a01014", "烟气湿度", NULL, "%", 1},
    {"a01017", "烟气动压", NULL, "kPa", 0},
    {"w00000", "废水流量", NULL, "L/s", 1},
    {"w01001", "pH值", NULL, "pH", 1},
    {"w01009", "溶解氧", NULL, "mg/L", 1},
    {"w01010", "水温", NULL, "degC", 0},
    {"w01014", "电导率", NULL, "uS/cm", 1},
    {"w01003", "浊度", NULL, "NTU", 1},
    {"w01012", "悬浮物", NULL, "mg/L", 1},
    {"w01018", "化学需氧量", NULL, "mg/L", 1},
    {"w01019", "高锰酸盐指数", NULL, "mg/L", 1},
    {"w01017", "五日生化需氧量", NULL, "mg/L", 1},
    {"w01020", "总有机碳", NULL, "mg/L", 1},
    {"w21003", "氨氮", NULL, "mg/L", 1},
    {"w21011", "总磷", NULL, "mg/L", 1},
    {"w21001", "总氮", NULL, "mg/L", 1},
    {"w22001", "石油类", NULL, "mg/L", 1},
    {"LA", "噪声", "dB", "dB", 1},
};

const struct monitor_factor *monitor_factor_find(const char *code)
{
    /* The first byte first: called for every stored value, and most codes differ there
     * ("a…" against "w…") or in the bytes strcmp would reach after a call. */
    for (size_t i = 0; code && i < sizeof norm_factors / sizeof norm_factors[0]; i++)
        if (norm_factors[i].code[0] == code[0] && !strcmp(norm_factors[i].code, code))
            return &norm_factors[i];
    return NULL;
}

const struct monitor_factor *monitor_factors(size_t *count)
{
    *count = sizeof norm_factors / sizeof norm_factors[0];
    return norm_factors;
}

const char *monitor_factor_unit(const struct monitor_factor *f, enum monitor_medium medium)
{
    if (!f)
        return "";
    if (medium == MONITOR_AIR && f->unit_air)
        return f->unit_air;
    return f->unit_other ? f->unit_other : "";
}

/* The longest device code in norm_aliases (test_monitor_norm checks it). */
#define NORM_ALIAS_MAX 5

/* Device codes seen on real links -> standard codes: the 2005 "原编码" column of Appendix B
 * and vendor names (docs/hj212.md reference §11, §13). */
static const struct norm_alias {
    const char *from, *to;
} norm_aliases[] = {
    {"01", "a34013"},  {"02", "a21026"},   {"03", "a21002"},    {"04", "a21005"},
    {"B02", "a00000"}, {"S01", "a19001"},  {"S02", "a01011"},   {"S03", "a01012"},
    {"S04", "a01017"}, {"S05", "a01014"},  {"S08", "a01013"},   {"B01", "w00000"},
    {"001", "w01001"}, {"003", "w01012"},  {"010", "w01017"},   {"011", "w01018"},
    {"015", "w01020"}, {"060", "w21003"},  {"065", "w21001"},   {"080", "w22001"},
    {"101", "w21011"}, {"PM25", "a34004"}, {"PM2.5", "a34004"}, {"PM10", "a34002"},
    {"TSP", "a34001"}, {"TEM", "a01001"},  {"RH", "a01002"},    {"WS", "a01007"},
    {"WD", "a01008"},  {"TVOC", "a99054"}, {"NOIS", "LA"},      {"B03", "LA"},
};

void monitor_factor_alias(struct hj212_str code, enum monitor_medium medium,
                          char out[MONITOR_FACTOR_MAX])
{
    (void)medium;
    /* Standard codes (six bytes and more) are never aliases: the table is not searched for
     * them, and otherwise a comparison is only called when the first byte matches. */
    for (size_t i = 0;
         code.len && code.len <= NORM_ALIAS_MAX && i < sizeof norm_aliases / sizeof norm_aliases[0];
         i++)
        if (norm_aliases[i].from[0] == code.ptr[0] && hj212_str_eq(code, norm_aliases[i].from)) {
            size_t n = strlen(norm_aliases[i].to);
            memcpy(out, norm_aliases[i].to, n + 1);
            return;
        }
    size_t n = code.len < MONITOR_FACTOR_MAX - 1 ? code.len : MONITOR_FACTOR_MAX - 1;
    if (!n) {
        out[0] = '\0';
        return;
    }
    /* Unknown codes are kept, but only as printable ASCII: they become keys and JSON text. */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)code.ptr[i];
        out[i] = (c > 32 && c < 127 && c != '\'' && c != '"' && c != '\\') ? (char)c : '_';
    }
    out[n] = '\0';
}

/* A unit reduced to ASCII ("µg/m³" -> "ug/m3") and its place in a family of mass
 * concentrations: family 1 = per m3 of air, 2 = per litre; scale relative to mg. */
static int norm_unit(const char *u, int *family, double *scale)
{
    char a[16];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)u; *p && n < sizeof a - 1; p++) {
        if (p[0] == 0xC2 && p[1] == 0xB5) /* µ */
            a[n++] = 'u', p++;
        else if (p[0] == 0xCE && p[1] == 0xBC) /* μ (Greek mu) */
            a[n++] = 'u', p++;
        else if (p[0] == 0xC2 && p[1] == 0xB3) /* ³ */
            a[n++] = '3', p++;
        else if (*p != ' ')
            a[n++] = (char)(*p >= 'A' && *p <= 'Z' && *p != 'L' ? *p + 32 : *p);
    }
    a[n] = '\0';
    static const struct {
        const char *name;
        int family;
        double scale;
    } units[] = {
        {"ng/m3", 1, 1e-6}, {"ug/m3", 1, 1e-3}, {"mg/m3", 1, 1}, {"g/m3", 1, 1e3},
        {"ng/L", 2, 1e-6},  {"ug/L", 2, 1e-3},  {"mg/L", 2, 1},  {"g/L", 2, 1e3},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (!strcmp(a, units[i].name)) {
            *family = units[i].family;
            *scale = units[i].scale;
            return 0;
        }
    return -1;
}

int monitor_unit_convert(const char *from, const char *to, double *mult)
{
    if (!from || !to)
        return -1;
    if (!strcmp(from, to) || !*from) {
        *mult = 1;
        return 0;
    }
    int fa, fb;
    double sa, sb;
    if (norm_unit(from, &fa, &sa) || norm_unit(to, &fb, &sb) || fa != fb)
        return -1;
    *mult = sa / sb;
    return 0;
}

enum monitor_kind monitor_kind_of_cn(int cn)
{
    switch (cn) {
    case 2011:
        return MONITOR_KIND_RTD;
    case 2051:
        return MONITOR_KIND_MINUTE;
    case 2061:
        return MONITOR_KIND_HOUR;
    case 2031:
        return MONITOR_KIND_DAY;
    default:
        return MONITOR_KIND_NONE;
    }
}

static int64_t norm_floor(int64_t v, int64_t m)
{
    int64_t r = v % m;
    return r < 0 ? v - r - m : v - r;
}

int64_t monitor_period_start(enum monitor_kind kind, int64_t ts)
{
    switch (kind) {
    case MONITOR_KIND_MINUTE:
        return norm_floor(ts, 60);
    case MONITOR_KIND_HOUR:
        return norm_floor(ts, 3600);
    case MONITOR_KIND_DAY:
        return norm_floor(ts + NORM_BEIJING, 86400) - NORM_BEIJING;
    default:
        return ts;
    }
}

/* The common case of monitor_parse_number, already checked as its syntax: at most 15
 * digits and no exponent. The digits as an integer m < 10^15 < 2^53 and 10^k (k ≤ 15) are
 * both exact doubles, so m / 10^k is one correctly rounded division: the double strtod gives
 * (Clinger's fast path). -1 for anything else, which strtod then reads. */
static int monitor_parse_short(struct hj212_str s, double *out)
{
    static const double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    size_t i = 0;
    int neg = s.ptr[0] == '-', digits = 0, frac = -1;
    if (neg || s.ptr[0] == '+')
        i++;
    uint64_t m = 0;
    for (; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c == '.' && frac < 0) {
            frac = 0;
            continue;
        }
        if (c < '0' || c > '9' || ++digits > 15)
            return -1;
        m = m * 10 + (c - '0');
        frac += frac >= 0;
    }
    double v = (double)m / pow10[frac > 0 ? frac : 0];
    *out = neg ? -v : v;
    return 0;
}

int monitor_parse_number(struct hj212_str s, double *out)
{
    char tmp[48];
    if (!s.len || s.len > 40)
        return -1;
    size_t i = 0;
    int digits = 0;
    if (s.ptr[i] == '-' || s.ptr[i] == '+')
        i++;
    for (; i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9'; i++)
        digits++;
    if (i < s.len && s.ptr[i] == '.')
        for (i++; i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9'; i++)
            digits++;
    if (!digits)
        return -1;
    if (i < s.len && (s.ptr[i] == 'e' || s.ptr[i] == 'E')) {
        i++;
        if (i < s.len && (s.ptr[i] == '-' || s.ptr[i] == '+'))
            i++;
        int ed = 0;
        for (; i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9'; i++)
            ed++;
        if (!ed)
            return -1;
    }
    if (i != s.len)
        return -1;
    if (monitor_parse_short(s, out) == 0)
        return 0;
    memcpy(tmp, s.ptr, s.len);
    tmp[s.len] = '\0';
    double v = strtod(tmp, NULL);
    if (!isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int monitor_row_valid(const char *flag, uint32_t qual)
{
    if (qual & MONITOR_QUAL_INVALID)
        return 0;
    return !flag[0] || !strcmp(flag, "N") || !strcmp(flag, "n") || !strcmp(flag, "3");
}

/* Which statistic an item's field names; 0 for fields that are not values. */
enum norm_stat { NORM_NONE, NORM_RTD, NORM_AVG, NORM_MIN, NORM_MAX, NORM_COU };

static enum norm_stat norm_stat_of(struct hj212_str field, int *zs)
{
    *zs = 0;
    if (field.len > 2 && (field.ptr[0] == 'Z' || field.ptr[0] == 'z') &&
        (field.ptr[1] == 'S' || field.ptr[1] == 's')) {
        *zs = 1;
        field.ptr += 2, field.len -= 2;
    }
    /* Every statistic is three letters, case ignored: one comparison of the three folded
     * letters instead of a call per name (this runs for every item of every frame). */
    if (field.len != 3)
        return NORM_NONE;
    uint32_t w = 0;
    for (int i = 0; i < 3; i++) {
        unsigned char c = (unsigned char)field.ptr[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return NORM_NONE;
        w = w << 8 | (uint32_t)(c | 0x20);
    }
#define NORM_W3(a, b, c) ((uint32_t)(a) << 16 | (uint32_t)(b) << 8 | (uint32_t)(c))
    switch (w) {
    case NORM_W3('r', 't', 'd'):
        return NORM_RTD;
    case NORM_W3('a', 'v', 'g'):
        return NORM_AVG;
    case NORM_W3('m', 'i', 'n'):
        return NORM_MIN;
    case NORM_W3('m', 'a', 'x'):
        return NORM_MAX;
    case NORM_W3('c', 'o', 'u'):
        return *zs ? NORM_NONE : NORM_COU;
    default:
        return NORM_NONE;
    }
#undef NORM_W3
}

struct norm_acc {
    struct hj212_str code;
    int zs;
    int has_rtd, has_avg, has_min, has_max, has_cou;
    double rtd, avg, min, max, cou;
    struct hj212_str flag;
};

static const struct monitor_map_entry *norm_map_find(const struct monitor_device_cfg *dev,
                                                     struct hj212_str code)
{
    for (size_t i = 0; i < dev->nmap; i++)
        if (hj212_str_eq(code, dev->map[i].code))
            return &dev->map[i];
    return NULL;
}

/* The message time in UTC, with its marks. */
static int64_t norm_time(const struct hj212_msg *msg, const struct monitor_device_cfg *dev,
                         enum monitor_kind kind, int64_t now, uint32_t *qual)
{
    *qual = 0;
    int64_t ts;
    if (msg->datatime_ok) {
        ts = hj212_time_to_unix(&msg->dt);
        if (dev->clock_utc)
            ts += NORM_BEIJING;
        ts += dev->clock_offset;
        if (ts < NORM_CLOCK_FLOOR)
            *qual |= MONITOR_QUAL_CLOCK_UNSET;
        else if (ts > now + MONITOR_FUTURE_SLACK)
            *qual |= MONITOR_QUAL_FUTURE;
    } else {
        ts = now;
        *qual |= MONITOR_QUAL_NO_TIME;
    }
    return monitor_period_start(kind, ts);
}

size_t monitor_normalise(const struct hj212_msg *msg, const struct monitor_device_cfg *dev,
                         int64_t now, struct monitor_row *rows, size_t cap, int *skipped)
{
    *skipped = 0;
    enum monitor_kind kind = monitor_kind_of_cn(msg->cn_num);
    if (kind == MONITOR_KIND_NONE)
        return 0;
    uint32_t tqual;
    int64_t ts = norm_time(msg, dev, kind, now, &tqual);

    /* One accumulator per (code, Zs); a strict frame holds at most ~256 items. */
    static const size_t acc_max = 128;
    struct norm_acc acc[128];
    size_t nacc = 0;
    for (size_t i = 0; i < msg->n_items; i++) {
        const struct hj212_item *it = &msg->items[i];
        if (!it->code.len || it->is_log)
            continue;
        int zs;
        enum norm_stat st = norm_stat_of(it->field, &zs);
        if (st == NORM_NONE)
            continue;
        double v;
        if (monitor_parse_number(it->value, &v)) {
            (*skipped)++;
            continue;
        }
        struct norm_acc *a = NULL;
        for (size_t k = 0; k < nacc; k++)
            if (acc[k].zs == zs && acc[k].code.len == it->code.len &&
                !memcmp(acc[k].code.ptr, it->code.ptr, it->code.len)) {
                a = &acc[k];
                break;
            }
        if (!a) {
            if (nacc == acc_max) {
                (*skipped)++;
                continue;
            }
            a = &acc[nacc++];
            memset(a, 0, sizeof *a);
            a->code = it->code;
            a->zs = zs;
        }
        if (it->flag_idx >= 0 && !a->flag.len)
            a->flag = msg->items[it->flag_idx].value;
        switch (st) {
        case NORM_RTD:
            a->has_rtd = 1, a->rtd = v;
            break;
        case NORM_AVG:
            a->has_avg = 1, a->avg = v;
            break;
        case NORM_MIN:
            a->has_min = 1, a->min = v;
            break;
        case NORM_MAX:
            a->has_max = 1, a->max = v;
            break;
        case NORM_COU:
            a->has_cou = 1, a->cou = v;
            break;
        case NORM_NONE:
            break;
        }
    }

    size_t n = 0;
    for (size_t k = 0; k < nacc && n < cap; k++) {
        struct norm_acc *a = &acc[k];
        int has_value =
            kind == MONITOR_KIND_RTD ? (a->has_rtd || a->has_avg) : (a->has_avg || a->has_rtd);
        double value = kind == MONITOR_KIND_RTD ? (a->has_rtd ? a->rtd : a->avg)
                                                : (a->has_avg ? a->avg : a->rtd);
        if (!has_value && !a->has_cou) {
            (*skipped)++;
            continue;
        }
        struct monitor_row *r = &rows[n];
        memset(r, 0, sizeof *r);
        const struct monitor_map_entry *m = norm_map_find(dev, a->code);
        double mult = 1;
        if (m) {
            memcpy(r->factor, m->factor, sizeof r->factor);
            r->factor[MONITOR_FACTOR_MAX - 1] = '\0';
            mult = m->mult;
        } else {
            monitor_factor_alias(a->code, dev->medium, r->factor);
        }
        if (a->zs) {
            size_t fl = strlen(r->factor);
            if (fl + 3 < MONITOR_FACTOR_MAX)
                memcpy(r->factor + fl, "-Zs", 4);
        }
        r->kind = (uint8_t)kind;
        r->ts = ts;
        r->qual = tqual;
        r->has = has_value ? MONITOR_HAS_VALUE : 0;
        r->value = has_value ? value * mult : a->cou;
        if (a->has_min)
            r->has |= MONITOR_HAS_MIN, r->vmin = a->min * mult;
        if (a->has_max)
            r->has |= MONITOR_HAS_MAX, r->vmax = a->max * mult;
        if (a->has_cou)
            r->has |= MONITOR_HAS_COU, r->cou = a->cou;
        size_t fl = a->flag.len < sizeof r->flag - 1 ? a->flag.len : sizeof r->flag - 1;
        for (size_t j = 0; j < fl; j++) /* a flag is data: keep printable ASCII only */
            r->flag[j] = (a->flag.ptr[j] > 32 && a->flag.ptr[j] < 127) ? a->flag.ptr[j] : '?';
        if (!fl)
            memcpy(r->flag, "N", 2);
        if (has_value && r->value < 0) { /* the table only decides for negative values */
            const struct monitor_factor *f = monitor_factor_find(r->factor);
            if (f && f->concentration)
                r->qual |= MONITOR_QUAL_NEGATIVE;
        }
        n++;
    }
    return n;
}
