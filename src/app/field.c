#include "app/field.h"
#include "core/timeutil.h"
#include "core/text.h"
#include "domain/calendar.h"
#include "domain/coord.h"

#include <math.h>
#include <string.h>

#define FIELD_NAME(label, key) ((label) ? (label) : (key))

/* The value of key, or NULL when absent or null (or "" with FIELD_EMPTY_ABSENT). */
static json_t *field_get(json_t *in, const char *key, unsigned flags)
{
    json_t *v = json_is_object(in) ? json_object_get(in, key) : NULL;
    if (!v || json_is_null(v))
        return NULL;
    if ((flags & FIELD_EMPTY_ABSENT) && json_is_string(v) && !json_string_length(v))
        return NULL;
    return v;
}

static int field_missing(const char *key, const char *label, unsigned flags, struct problem *p)
{
    if (flags & FIELD_REQUIRED)
        return problem_set(p, ERR_INVALID_FIELD, key, "%s不能为空", FIELD_NAME(label, key)), -1;
    return 0;
}

static bool field_space_at(const char *s, size_t i, size_t n, size_t *width)
{
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
        *width = 1;
        return true;
    }
    /* U+3000 IDEOGRAPHIC SPACE, common in text pasted from Chinese documents. */
    if (i + 3 <= n && !memcmp(s + i, "\xe3\x80\x80", 3)) {
        *width = 3;
        return true;
    }
    return false;
}

/* Trims s[0..n) in place of its bounds: *start and *len of what remains. */
static void field_trim(const char *s, size_t n, size_t *start, size_t *len)
{
    size_t a = 0, b = n, w;
    while (a < b && field_space_at(s, a, b, &w))
        a += w;
    for (;;) {
        if (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\n' || s[b - 1] == '\r'))
            b--;
        else if (b >= a + 3 && !memcmp(s + b - 3, "\xe3\x80\x80", 3))
            b -= 3;
        else
            break;
    }
    *start = a;
    *len = b - a;
}

int field_text(json_t *in, const char *key, const char *label, size_t max, unsigned flags,
               const char **out, struct problem *p)
{
    json_t *v = field_get(in, key, flags);
    *out = "";
    if (!v)
        return field_missing(key, label, flags, p);
    if (!json_is_string(v))
        return problem_set(p, ERR_INVALID_FIELD, key, "%s必须是文本", FIELD_NAME(label, key)), -1;
    const char *s = json_string_value(v);
    size_t n = json_string_length(v), start, len;
    if (!text_utf8_valid(s, n) || memchr(s, '\0', n))
        return problem_set(p, ERR_INVALID_FIELD, key, "%s%s", FIELD_NAME(label, key),
                           text_check_message(TEXT_BAD_UTF8)),
               -1;
    field_trim(s, n, &start, &len);
    if (start || len != n) {
        json_object_set_new(in, key, json_stringn(s + start, len));
        v = json_object_get(in, key);
        s = json_string_value(v);
    }
    enum text_check tc = text_check_field(s, max, flags & FIELD_MULTILINE);
    if (tc != TEXT_OK)
        return problem_set(p, ERR_INVALID_FIELD, key, "%s%s", FIELD_NAME(label, key),
                           text_check_message(tc)),
               -1;
    if (!*s)
        return field_missing(key, label, flags, p);
    *out = s;
    return 0;
}

int field_int(json_t *in, const char *key, const char *label, int64_t lo, int64_t hi,
              unsigned flags, int64_t def, int64_t *out, struct problem *p)
{
    json_t *v = field_get(in, key, flags);
    *out = def;
    if (!v)
        return field_missing(key, label, flags, p);
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return problem_set(p, ERR_INVALID_FIELD, key, "%s须为 %lld 至 %lld 之间的整数",
                           FIELD_NAME(label, key), (long long)lo, (long long)hi),
               -1;
    *out = json_integer_value(v);
    return 0;
}

int field_id(json_t *in, const char *key, const char *label, unsigned flags, int64_t *out,
             struct problem *p)
{
    json_t *v = field_get(in, key, flags);
    *out = 0;
    if (!v)
        return field_missing(key, label, flags, p);
    if (!json_is_integer(v) || json_integer_value(v) <= 0)
        return problem_set(p, ERR_INVALID_FIELD, key, "%s须为正整数", FIELD_NAME(label, key)), -1;
    *out = json_integer_value(v);
    return 0;
}

int field_number(json_t *in, const char *key, const char *label, double lo, double hi,
                 unsigned flags, double def, double *out, struct problem *p)
{
    json_t *v = field_get(in, key, flags);
    *out = def;
    if (!v)
        return field_missing(key, label, flags, p);
    double d = json_is_number(v) ? json_number_value(v) : NAN;
    if (!isfinite(d) || d < lo || d > hi)
        return problem_set(p, ERR_INVALID_FIELD, key, "%s须为 %g 至 %g 之间的数",
                           FIELD_NAME(label, key), lo, hi),
               -1;
    *out = d;
    return 0;
}

int field_lonlat(json_t *in, unsigned flags, double *lon, double *lat, struct problem *p)
{
    if (field_number(in, "lon", "经度", -180, 180, flags, NAN, lon, p) ||
        field_number(in, "lat", "纬度", -90, 90, flags, NAN, lat, p))
        return -1;
    if (isnan(*lon) != isnan(*lat))
        return problem_set(p, ERR_INVALID_FIELD, isnan(*lon) ? "lon" : "lat",
                           "经度和纬度须同时填写"),
               -1;
    if (!isnan(*lon) && (!coord_valid(*lon, *lat) || coord_out_of_china(*lon, *lat)))
        return problem_set(p, ERR_INVALID_FIELD, "lon",
                           "坐标不在中国境内（经纬度是否填反或漏填？）"),
               -1;
    return 0;
}

int field_bool(json_t *in, const char *key, const char *label, unsigned flags, bool def, bool *out,
               struct problem *p)
{
    json_t *v = field_get(in, key, flags);
    *out = def;
    if (!v)
        return field_missing(key, label, flags, p);
    if (!json_is_boolean(v))
        return problem_set(p, ERR_INVALID_FIELD, key, "%s须为 true 或 false",
                           FIELD_NAME(label, key)),
               -1;
    *out = json_is_true(v);
    return 0;
}

int field_date(json_t *in, const char *key, const char *label, unsigned flags, char out[11],
               struct problem *p)
{
    json_t *v = field_get(in, key, flags);
    int32_t day;
    out[0] = '\0';
    if (!v)
        return field_missing(key, label, flags, p);
    if (!json_is_string(v) || calendar_parse_date(json_string_value(v), &day))
        return problem_set(p, ERR_INVALID_FIELD, key, "%s须为 YYYY-MM-DD 格式的日期",
                           FIELD_NAME(label, key)),
               -1;
    int32_t today;
    if ((flags & FIELD_PAST) && day > (today = timeutil_today())) {
        char t[11];
        calendar_format_date(today, t);
        return problem_set(p, ERR_INVALID_FIELD, key,
                           "%s不得晚于今天（%s）：办理行为只能记录已发生的日期",
                           FIELD_NAME(label, key), t),
               -1;
    }
    calendar_format_date(day, out);
    return 0;
}

int field_choice(json_t *in, const char *key, const char *label, const char *const *choices,
                 unsigned flags, const char *def, const char **out, struct problem *p)
{
    json_t *v = field_get(in, key, flags);
    *out = def;
    if (!v)
        return field_missing(key, label, flags, p);
    if (json_is_string(v))
        for (size_t i = 0; choices[i]; i++)
            if (!strcmp(json_string_value(v), choices[i])) {
                *out = choices[i];
                return 0;
            }
    return problem_set(p, ERR_INVALID_FIELD, key, "%s的取值无效", FIELD_NAME(label, key)), -1;
}

int field_id_list(json_t *in, const char *key, const char *label, size_t max, unsigned flags,
                  int64_t *out, size_t *n, struct problem *p)
{
    json_t *v = field_get(in, key, flags);
    *n = 0;
    if (!v)
        return field_missing(key, label, flags, p);
    if (!json_is_array(v) || json_array_size(v) > max)
        return problem_set(p, ERR_INVALID_FIELD, key, "%s须为至多 %zu 个编号的列表",
                           FIELD_NAME(label, key), max),
               -1;
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        if (!json_is_integer(item) || json_integer_value(item) <= 0)
            return problem_set(p, ERR_INVALID_FIELD, key, "%s的第 %zu 项须为正整数",
                               FIELD_NAME(label, key), i + 1),
                   -1;
        for (size_t k = 0; k < *n; k++)
            if (out[k] == json_integer_value(item))
                return problem_set(p, ERR_INVALID_FIELD, key, "%s的第 %zu 项重复",
                                   FIELD_NAME(label, key), i + 1),
                       -1;
        out[(*n)++] = json_integer_value(item);
    }
    if (!*n)
        return field_missing(key, label, flags, p);
    return 0;
}

int field_text_list(json_t *in, const char *key, const char *label, size_t max_items,
                    size_t max_bytes, unsigned flags, json_t **out, struct problem *p)
{
    json_t *v = field_get(in, key, flags);
    *out = NULL;
    if (!v)
        return field_missing(key, label, flags, p);
    if (!json_is_array(v) || json_array_size(v) > max_items)
        return problem_set(p, ERR_INVALID_FIELD, key, "%s须为至多 %zu 项的列表",
                           FIELD_NAME(label, key), max_items),
               -1;
    for (size_t i = 0; i < json_array_size(v); i++) {
        /* Each item through the one text rule, as a one-field object. */
        json_t *one = json_pack("{sO}", "v", json_array_get(v, i));
        const char *s;
        struct problem ip = {0};
        /* The label "" leaves the item unnamed: the message below names it. */
        int rc = field_text(one, "v", "", max_bytes, FIELD_REQUIRED | (flags & FIELD_MULTILINE), &s,
                            &ip);
        if (!rc)
            json_array_set(v, i, json_object_get(one, "v"));
        json_decref(one);
        if (rc)
            return problem_set(p, ERR_INVALID_FIELD, key, "%s的第 %zu 项：%s",
                               FIELD_NAME(label, key), i + 1, ip.message),
                   -1;
    }
    *out = v;
    return 0;
}
