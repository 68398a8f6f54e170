/* water — surface-water sections, samples and their GB 3838-2002 evaluation
 * (domain/water.h): monthly class per section from the mean of the month's
 * samples, annual class from the mean of the monthly means, target class and
 * compliance, main pollutants, boundary (出境) sections marked. The rules of
 * rules.h; rows through store.h. */
#include "app/field.h"
#include "core/timeutil.h"
#include "db/audit.h"
#include "db/db.h"
#include "domain/water.h"
#include "modules/quality/quality.h"
#include "modules/quality/rules.h"
#include "modules/quality/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct water_acc {
    int64_t sum[WATER_FACTOR_COUNT];
    int n[WATER_FACTOR_COUNT];
};

static int64_t water_mean(int64_t sum, int n)
{
    int64_t q = sum / n, r = sum % n; /* half to even, as every mean in ecogov */
    if (2 * r > n || (2 * r == n && (q & 1)))
        q++;
    return q;
}

/* Monthly means of one section for months [m0, m1] of year into v (or the
 * mean of the monthly means when m0 < m1). Returns the samples read. */
static int water_period(struct db *db, int64_t section, int year, int m0, int m1,
                        int64_t v[WATER_FACTOR_COUNT], int *months)
{
    char from[12], to[12];
    snprintf(from, sizeof from, "%04d-%02d-01", year, m0);
    snprintf(to, sizeof to, "%04d-%02d-32", year, m1);
    struct water_acc month[13] = {0};
    int samples = 0;
    json_t *rows = water_samples_between(db, section, from, to);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *d = json_string_value(json_object_get(row, "sampled_on"));
        int f = water_factor_parse(json_string_value(json_object_get(row, "factor")));
        const char *value = json_string_value(json_object_get(row, "value"));
        int64_t x;
        if (!d || strlen(d) < 7 || f < 0 || !value || water_parse(value, &x))
            continue;
        int m = (d[5] - '0') * 10 + (d[6] - '0');
        if (m < 1 || m > 12)
            continue;
        month[m].sum[f] += x, month[m].n[f]++, samples++;
    }
    json_decref(rows);
    struct water_acc all = {0};
    *months = 0;
    for (int m = m0; m <= m1; m++) {
        bool any = false;
        for (int f = 0; f < WATER_FACTOR_COUNT; f++)
            if (month[m].n[f]) {
                all.sum[f] += water_mean(month[m].sum[f], month[m].n[f]), all.n[f]++;
                any = true;
            }
        *months += any;
    }
    for (int f = 0; f < WATER_FACTOR_COUNT; f++)
        v[f] = all.n[f] ? water_mean(all.sum[f], all.n[f]) : -1;
    return samples;
}

static json_t *water_eval_json(const struct water_eval *e, const int64_t v[WATER_FACTOR_COUNT])
{
    json_t *factors = json_object();
    for (int f = 0; f < WATER_FACTOR_COUNT; f++) {
        if (v[f] < 0)
            continue;
        char text[32];
        water_format(v[f], text, sizeof text);
        const struct water_factor_info *fi = water_factor_info((enum water_factor)f);
        json_object_set_new(factors, fi->code,
                            json_pack("{ss ss ss si ss ss sb}", "name", fi->name_zh, "value", text,
                                      "unit", fi->unit, "class", e->factor_class[f], "class_name",
                                      water_class_name(e->factor_class[f]), "class_code",
                                      water_class_code(e->factor_class[f]), "in_class",
                                      fi->in_class));
    }
    json_t *main = json_array();
    for (int i = 0; i < e->nmain; i++) {
        const struct water_factor_info *fi = water_factor_info(e->main[i].factor);
        json_array_append_new(main,
                              json_pack("{ss ss si so}", "factor", fi->code, "name", fi->name_zh,
                                        "class", e->main[i].cls, "multiple",
                                        e->main[i].multiple_milli < 0
                                            ? json_null()
                                            : json_real((double)e->main[i].multiple_milli / 1000)));
    }
    return json_pack("{si ss ss ss ss so so so}", "class", e->cls, "class_name",
                     e->cls ? water_class_name(e->cls) : "—", "class_code",
                     water_class_code(e->cls), "grade", water_grade(e->cls), "color",
                     water_color(e->cls), "compliant",
                     e->compliant < 0 ? json_null() : json_boolean(e->compliant), "main_pollutants",
                     main, "factors", factors);
}

/* A section row (store.h) with its evaluation for months [m0, m1]. */
static void water_section_eval(struct db *db, json_t *o, int year, int m0, int m1)
{
    int64_t id = json_integer_value(json_object_get(o, "id"));
    const char *kind = json_string_value(json_object_get(o, "kind"));
    int target = (int)json_integer_value(json_object_get(o, "target_class"));
    int64_t v[WATER_FACTOR_COUNT];
    int months = 0;
    int samples = water_period(db, id, year, m0, m1, v, &months);
    struct water_eval e;
    water_evaluate(kind && !strcmp(kind, "lake") ? WATER_LAKE : WATER_RIVER, v, target, &e);
    json_object_set_new(o, "target_name", json_string(water_class_name(target)));
    json_object_set_new(o, "target_code", json_string(water_class_code(target)));
    json_object_set_new(o, "boundary",
                        json_boolean(json_integer_value(json_object_get(o, "boundary")) != 0));
    json_object_set_new(o, "samples", json_integer(samples));
    json_object_set_new(o, "months", json_integer(months));
    json_object_update_new(o, water_eval_json(&e, v));
}

enum err water_sections_report(struct db *db, const char *section, bool annual, int year, int month,
                               struct problem *p, json_t **out)
{
    *out = NULL;
    char latest[11];
    int y, m, d;
    if (!water_samples_latest(db, latest) && strlen(latest) == 10)
        y = (int)strtol(latest, NULL, 10), m = (latest[5] - '0') * 10 + (latest[6] - '0');
    else
        timeutil_civil_from_days(airdata_day_of(timeutil_now()), &y, &m, &d);
    year = year ? year : y;
    month = month ? month : m;
    json_t *items = water_sections_list(db, section);
    if (!items)
        return ERR_INTERNAL;
    if (section && !json_array_size(items)) {
        json_decref(items);
        return problem_set(p, ERR_NOT_FOUND, "section", "没有该断面");
    }
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o)
        water_section_eval(db, o, year, annual ? 1 : month, annual ? 12 : month);
    *out = json_pack("{si so}", "year", year, "items", items);
    json_object_set_new(*out, "month", annual ? json_null() : json_integer(month));
    return ERR_OK;
}

enum err quality_water_sections(struct db *db, const char *section, bool annual, int year,
                                int month, struct problem *p, json_t **out)
{
    return water_sections_report(db, section, annual, year, month, p, out);
}

enum err quality_water_sample_put(struct db *db, const struct audit_actor *actor, json_t *in,
                                  struct problem *p)
{
    json_t *out = NULL;
    enum err e = water_sample_store(db, actor, in, p, &out);
    json_decref(out);
    return e;
}

static const char *const water_kinds[] = {"river", "lake", NULL};

enum err water_section_add(struct db *db, const struct audit_actor *actor, json_t *in, int64_t *id,
                           struct problem *p)
{
    struct water_section_new s = {.lon = NAN, .lat = NAN, .created_at = timeutil_now()};
    bool boundary;
    double lon, lat;
    if (field_text(in, "code", "断面编码", 32, FIELD_REQUIRED, &s.code, p) ||
        field_text(in, "name", "断面名称", 128, FIELD_REQUIRED, &s.name, p) ||
        field_text(in, "water", "所在水体", 128, FIELD_OPTIONAL, &s.water, p) ||
        field_choice(in, "kind", "断面类型", water_kinds, FIELD_REQUIRED, NULL, &s.kind, p) ||
        field_text(in, "district", "所在区县", 128, FIELD_OPTIONAL, &s.district, p) ||
        field_int(in, "target_class", "目标水质类别", 1, 5, FIELD_REQUIRED, 0, &s.target_class,
                  p) ||
        field_lonlat(in, FIELD_OPTIONAL, &lon, &lat, p) ||
        field_bool(in, "boundary", "出境断面", FIELD_OPTIONAL, false, &boundary, p))
        return p->err;
    if (!isnan(lon) && !isnan(lat))
        s.lon = lon, s.lat = lat;
    s.boundary = boundary;
    enum err e = water_sections_insert(db, &s, id);
    if (e == ERR_CONFLICT)
        return problem_set(p, ERR_CONFLICT, "code", "断面编码已存在");
    if (e != ERR_OK || audit_append_id(db, actor, "water_section.create", "water_section", *id, in))
        return ERR_INTERNAL;
    return ERR_OK;
}

enum err water_sample_add(struct db *db, const struct audit_actor *actor, json_t *in,
                          struct problem *p)
{
    const char *code;
    char date[11];
    if (field_text(in, "section", "断面编码", 32, FIELD_REQUIRED, &code, p) ||
        field_date(in, "date", "采样日期", FIELD_REQUIRED | FIELD_PAST, date, p))
        return p->err;
    json_t *values = json_object_get(in, "values");
    if (!json_is_object(values) || !json_object_size(values) || json_object_size(values) > 40)
        return problem_set(p, ERR_INVALID_FIELD, "values", "须为 1..40 个因子的值");
    int64_t id = water_sections_find(db, code);
    if (!id)
        return problem_set(p, ERR_INVALID_FIELD, "section", "没有该断面");
    const char *key;
    json_t *v;
    json_object_foreach(values, key, v)
    {
        int64_t x;
        const char *text = json_string_value(v);
        if (water_factor_parse(key) < 0)
            return problem_set(p, ERR_INVALID_FIELD, "values", "未知的监测因子");
        if (!text || water_parse(text, &x))
            return problem_set(p, ERR_INVALID_FIELD, "values",
                               "监测值须为十进制文本（最多 6 位小数，不可为负）");
    }
    json_object_foreach(values, key, v)
    {
        const struct water_factor_info *fi = water_factor_info(water_factor_parse(key));
        if (water_samples_put(db, id, date, fi->code, json_string_value(v)))
            return ERR_INTERNAL;
    }
    if (audit_append(db, actor, "water_sample.store", "water_section", code, in))
        return ERR_INTERNAL;
    return ERR_OK;
}

/* water_sample_add as a quality_add_fn: a sampling is no record (*id 0). */
static enum err water_sample_put(struct db *db, const struct audit_actor *actor, json_t *in,
                                 int64_t *id, struct problem *p)
{
    *id = 0;
    return water_sample_add(db, actor, in, p);
}

/* fn in a transaction of its own; *out: {ok, id}. */
static enum err water_write(struct db *db, const struct audit_actor *actor, json_t *in,
                            quality_add_fn fn, struct problem *p, json_t **out)
{
    int64_t id = 0;
    *out = NULL;
    enum err e = quality_write(db, actor, in, fn, false, &id, p);
    if (e == ERR_OK)
        *out = json_pack("{sb sI}", "ok", 1, "id", (json_int_t)id);
    return e;
}

enum err water_section_create(struct db *db, const struct audit_actor *actor, json_t *in,
                              struct problem *p, json_t **out)
{
    return water_write(db, actor, in, water_section_add, p, out);
}

enum err water_sample_store(struct db *db, const struct audit_actor *actor, json_t *in,
                            struct problem *p, json_t **out)
{
    return water_write(db, actor, in, water_sample_put, p, out);
}
