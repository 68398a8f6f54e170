/* api_water — surface-water sections, samples and their GB 3838-2002
 * evaluation (domain/water.h): monthly class per section from the mean of the
 * month's samples, annual class from the mean of the monthly means, target
 * class and compliance, main pollutants, boundary (出境) sections marked. */
#include "app/app.h"
#include "app/kit.h"
#include "modules/quality/quality_http.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "domain/water.h"
#include "db/audit.h"
#include "db/db.h"

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
    sqlite3_stmt *st = db_stmt(db, "SELECT sampled_on, factor, value FROM water_samples WHERE "
                                   "section_id = ?1 AND sampled_on >= ?2 AND sampled_on < ?3 "
                                   "ORDER BY sampled_on");
    char from[12], to[12];
    snprintf(from, sizeof from, "%04d-%02d-01", year, m0);
    snprintf(to, sizeof to, "%04d-%02d-32", year, m1);
    struct water_acc month[13] = {0};
    int samples = 0;
    if (st) {
        sqlite3_bind_int64(st, 1, section);
        sqlite3_bind_text(st, 2, from, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, to, -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *d = (const char *)sqlite3_column_text(st, 0);
            int f = water_factor_parse((const char *)sqlite3_column_text(st, 1));
            int64_t x;
            int m = (d[5] - '0') * 10 + (d[6] - '0');
            if (f < 0 || m < 1 || m > 12 ||
                water_parse((const char *)sqlite3_column_text(st, 2), &x))
                continue;
            month[m].sum[f] += x, month[m].n[f]++, samples++;
        }
        sqlite3_reset(st);
    }
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
                            json_pack("{ss ss ss si ss sb}", "name", fi->name_zh, "value", text,
                                      "unit", fi->unit, "class", e->factor_class[f], "class_name",
                                      water_class_name(e->factor_class[f]), "in_class",
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
    return json_pack("{si ss ss ss so so so}", "class", e->cls, "class_name",
                     e->cls ? water_class_name(e->cls) : "—", "grade", water_grade(e->cls), "color",
                     water_color(e->cls), "compliant",
                     e->compliant < 0 ? json_null() : json_boolean(e->compliant), "main_pollutants",
                     main, "factors", factors);
}

static json_t *water_section_eval(struct db *db, sqlite3_stmt *row, int year, int m0, int m1)
{
    int64_t id = sqlite3_column_int64(row, 0);
    const char *kind = (const char *)sqlite3_column_text(row, 4);
    int target = sqlite3_column_int(row, 8);
    int64_t v[WATER_FACTOR_COUNT];
    int months = 0;
    int samples = water_period(db, id, year, m0, m1, v, &months);
    struct water_eval e;
    water_evaluate(strcmp(kind, "lake") ? WATER_RIVER : WATER_LAKE, v, target, &e);
    json_t *o = json_pack("{sI ss ss ss ss ss si ss sb si si}", "id", (json_int_t)id, "code",
                          (const char *)sqlite3_column_text(row, 1), "name",
                          (const char *)sqlite3_column_text(row, 2), "water",
                          (const char *)sqlite3_column_text(row, 3), "kind", kind, "district",
                          (const char *)sqlite3_column_text(row, 5), "target_class", target,
                          "target_name", water_class_name(target), "boundary",
                          sqlite3_column_int(row, 9) != 0, "samples", samples, "months", months);
    for (int i = 6; i <= 7; i++)
        json_object_set_new(o, i == 6 ? "lon" : "lat",
                            sqlite3_column_type(row, i) == SQLITE_NULL
                                ? json_null()
                                : json_real(sqlite3_column_double(row, i)));
    json_object_update_new(o, water_eval_json(&e, v));
    return o;
}

#define WATER_COLS "id, code, name, water, kind, district, lon, lat, target_class, boundary"

/* The latest month with samples (Beijing), or the current month. */
static void water_latest_month(struct db *db, int *y, int *m)
{
    int d;
    timeutil_civil_from_days(quality_api_today(), y, m, &d);
    sqlite3_stmt *st = db_stmt(db, "SELECT max(sampled_on) FROM water_samples");
    if (st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        const char *s = (const char *)sqlite3_column_text(st, 0);
        *y = (int)strtol(s, NULL, 10);
        *m = (s[5] - '0') * 10 + (s[6] - '0');
    }
    if (st)
        sqlite3_reset(st);
}

void api_water_sections(struct http_req *r)
{
    quality_api_cors(r);
    int ly, lm, year, month;
    water_latest_month(r->db, &ly, &lm);
    const char *period = http_query(r, "period");
    bool annual = period && !strcmp(period, "year");
    if (period && *period && !annual && strcmp(period, "month")) {
        http_error(r, ERR_INVALID_FIELD, "period 须为 month 或 year", "period");
        return;
    }
    if (quality_api_int(r, "year", 2000, 2100, ly, &year) ||
        quality_api_int(r, "month", 1, 12, lm, &month))
        return;
    const char *only = http_query(r, "section");
    sqlite3_stmt *st = db_stmt(r->db, "SELECT " WATER_COLS " FROM water_sections WHERE ?1 IS NULL "
                                      "OR code = ?1 ORDER BY id");
    if (!st) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    if (only && *only)
        sqlite3_bind_text(st, 1, only, -1, SQLITE_TRANSIENT);
    json_t *items = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(
            items, water_section_eval(r->db, st, year, annual ? 1 : month, annual ? 12 : month));
    sqlite3_reset(st);
    if (only && *only && !json_array_size(items)) {
        json_decref(items);
        http_error(r, ERR_NOT_FOUND, "没有该断面", "section");
        return;
    }
    json_t *o = json_pack("{si so}", "year", year, "items", items);
    json_object_set_new(o, "month", annual ? json_null() : json_integer(month));
    http_json(r, 200, o);
}

/* Validates and inserts a section; 0, or -1 with field and msg set. */
int water_section_create(struct db *db, json_t *in, int64_t *id, const char **field,
                         const char **msg)
{
    static const char *const keys[] = {"code", "name", "water", "kind", "district"};
    const char *s[5];
    for (int i = 0; i < 5; i++) {
        json_t *v = json_object_get(in, keys[i]);
        s[i] = json_string_value(v) ? json_string_value(v) : "";
        if ((v && !json_is_string(v)) || text_check_field(s[i], i == 0 ? 32 : 128, false) ||
            (i < 2 && !*s[i])) {
            *field = keys[i], *msg = "必填且须为有效文本";
            return -1;
        }
    }
    if (strcmp(s[3], "river") && strcmp(s[3], "lake")) {
        *field = "kind", *msg = "断面类型须为 river 或 lake";
        return -1;
    }
    json_t *t = json_object_get(in, "target_class");
    if (!json_is_integer(t) || json_integer_value(t) < 1 || json_integer_value(t) > 5) {
        *field = "target_class", *msg = "目标水质类别须为 1..5";
        return -1;
    }
    json_t *lon = json_object_get(in, "lon"), *lat = json_object_get(in, "lat");
    bool pos = json_is_number(lon) && json_is_number(lat) && json_number_value(lon) > -180 &&
               json_number_value(lon) < 180 && json_number_value(lat) > -90 &&
               json_number_value(lat) < 90;
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO water_sections (code, name, water, kind, district, "
                                   "lon, lat, target_class, boundary, created_at) VALUES (?, ?, ?, "
                                   "?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING");
    if (!st) {
        *field = NULL, *msg = "数据库错误";
        return -1;
    }
    for (int i = 0; i < 5; i++)
        sqlite3_bind_text(st, i + 1, s[i], -1, SQLITE_STATIC);
    if (pos) {
        sqlite3_bind_double(st, 6, json_number_value(lon));
        sqlite3_bind_double(st, 7, json_number_value(lat));
    }
    sqlite3_bind_int(st, 8, (int)json_integer_value(t));
    sqlite3_bind_int(st, 9, json_is_true(json_object_get(in, "boundary")));
    sqlite3_bind_int64(st, 10, timeutil_now());
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE || !sqlite3_changes(db_handle(db))) {
        *field = "code", *msg = rc == SQLITE_DONE ? "断面编码已存在" : "数据库错误";
        return -1;
    }
    *id = sqlite3_last_insert_rowid(db_handle(db));
    return 0;
}

/* Stores one sampling: {section (code), date, values {factor: "decimal"}}. */
int water_sample_store(struct db *db, json_t *in, const char **field, const char **msg)
{
    const char *code = json_string_value(json_object_get(in, "section"));
    const char *date = json_string_value(json_object_get(in, "date"));
    json_t *values = json_object_get(in, "values");
    int64_t day;
    if (!code || strlen(code) > 32) {
        *field = "section", *msg = "缺少断面编码";
        return -1;
    }
    if (!date || strlen(date) != 10 || timeutil_parse_date(date, &day)) {
        *field = "date", *msg = "日期格式须为 YYYY-MM-DD";
        return -1;
    }
    if (!json_is_object(values) || !json_object_size(values) || json_object_size(values) > 40) {
        *field = "values", *msg = "须为 1..40 个因子的值";
        return -1;
    }
    sqlite3_stmt *find = db_stmt(db, "SELECT id FROM water_sections WHERE code = ?");
    if (!find) {
        *field = NULL, *msg = "数据库错误";
        return -1;
    }
    sqlite3_bind_text(find, 1, code, -1, SQLITE_STATIC);
    int64_t id = sqlite3_step(find) == SQLITE_ROW ? sqlite3_column_int64(find, 0) : 0;
    sqlite3_reset(find);
    if (!id) {
        *field = "section", *msg = "没有该断面";
        return -1;
    }
    const char *key;
    json_t *v;
    json_object_foreach(values, key, v)
    {
        int64_t x;
        int f = water_factor_parse(key);
        const char *text = json_string_value(v);
        if (f < 0) {
            *field = "values", *msg = "未知的监测因子";
            return -1;
        }
        if (!text || water_parse(text, &x)) {
            *field = "values", *msg = "监测值须为十进制文本（最多 6 位小数，不可为负）";
            return -1;
        }
    }
    sqlite3_stmt *ins = db_stmt(db, "INSERT OR REPLACE INTO water_samples (section_id, sampled_on, "
                                    "factor, value) VALUES (?, ?, ?, ?)");
    if (!ins) {
        *field = NULL, *msg = "数据库错误";
        return -1;
    }
    json_object_foreach(values, key, v)
    {
        const struct water_factor_info *fi = water_factor_info(water_factor_parse(key));
        sqlite3_bind_int64(ins, 1, id);
        sqlite3_bind_text(ins, 2, date, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, fi->code, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 4, json_string_value(v), -1, SQLITE_STATIC);
        int rc = sqlite3_step(ins);
        sqlite3_reset(ins);
        if (rc != SQLITE_DONE) {
            *field = NULL, *msg = "数据库错误";
            return -1;
        }
    }
    return 0;
}

static void api_water_write(struct http_req *r, bool section)
{
    json_t *in = http_body_json(r);
    if (!in)
        return;
    const char *field = NULL, *msg = NULL;
    int64_t id = 0;
    struct audit_actor actor;
    kit_actor(r, &actor);
    if (db_begin(r->db)) {
        json_decref(in);
        http_error(r, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    int bad = section ? water_section_create(r->db, in, &id, &field, &msg)
                      : water_sample_store(r->db, in, &field, &msg);
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", (long long)id);
    if (bad) {
        db_rollback(r->db);
        json_decref(in);
        http_error(r, ERR_INVALID_FIELD, msg, field);
        return;
    }
    if (audit_append(r->db, &actor, section ? "water_section.create" : "water_sample.store",
                     "water_section",
                     section ? sid : json_string_value(json_object_get(in, "section")), in) ||
        db_commit(r->db)) {
        db_rollback(r->db);
        json_decref(in);
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    json_decref(in);
    http_json(r, section ? 201 : 200, json_pack("{sb sI}", "ok", 1, "id", (json_int_t)id));
}

void api_water_section_create(struct http_req *r)
{
    api_water_write(r, true);
}

void api_water_sample(struct http_req *r)
{
    api_water_write(r, false);
}

/* Demo: six sections of the demo city with a year of monthly samples. */
int demo_quality_water(struct db *db, const struct audit_actor *actor, uint64_t seed)
{
    static const struct {
        const char *code, *name, *water, *kind, *district;
        double lon, lat;
        int target, boundary;
        double load; /* 1 = clean; higher = more nutrients and organics */
    } sec[] = {
        {"W-01", "昌江瑶里断面", "昌江", "river", "浮溪县", 117.48, 29.55, 2, 0, 0.5},
        {"W-02", "昌江市区断面", "昌江", "river", "珠山区", 117.22, 29.22, 3, 0, 1.4},
        {"W-03", "南河入昌江口", "南河", "river", "昌南区", 117.25, 29.33, 3, 0, 2.4},
        {"W-04", "东河高新断面", "东河", "river", "高新区", 117.42, 29.28, 3, 0, 3.3},
        {"W-05", "玉田水库", "玉田水库", "lake", "浮溪县", 117.20, 29.50, 2, 0, 1.2},
        {"W-06", "昌江出境断面（浯溪口）", "昌江", "river", "乐安市", 117.30, 28.90, 3, 1, 1.6},
    };
    uint64_t s = seed * 2654435761u + 17;
    if (db_begin(db))
        return -1;
    int y, m, d;
    timeutil_civil_from_days(airdata_day_of(timeutil_now()), &y, &m, &d);
    for (size_t i = 0; i < sizeof sec / sizeof sec[0]; i++) {
        json_t *in = json_pack("{ss ss ss ss ss sf sf si sb}", "code", sec[i].code, "name",
                               sec[i].name, "water", sec[i].water, "kind", sec[i].kind, "district",
                               sec[i].district, "lon", sec[i].lon, "lat", sec[i].lat,
                               "target_class", sec[i].target, "boundary", sec[i].boundary);
        const char *field, *msg;
        int64_t id;
        char sid[24];
        int bad = water_section_create(db, in, &id, &field, &msg);
        snprintf(sid, sizeof sid, "%lld", (long long)id);
        bad = bad || audit_append(db, actor, "water_section.create", "water_section", sid, in);
        json_decref(in);
        for (int k = 0; k < 12 && !bad; k++) { /* the last twelve months, one sampling each */
            int mm = m - k, yy = y;
            while (mm < 1)
                mm += 12, yy--;
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            double u = (double)(s >> 11) / 9007199254740992.0;
            double l = sec[i].load * (0.8 + 0.4 * u) * (mm >= 6 && mm <= 9 ? 1.15 : 1.0);
            char date[40], v[9][16];
            snprintf(date, sizeof date, "%04d-%02d-%02d", yy, mm, 8 + (int)(u * 10));
            snprintf(v[0], 16, "%.2f", 7.2 + 0.4 * u);
            snprintf(v[1], 16, "%.2f", 8.6 - 1.6 * l);
            snprintf(v[2], 16, "%.2f", 1.6 + 1.5 * l);
            snprintf(v[3], 16, "%.1f", 9 + 6 * l);
            snprintf(v[4], 16, "%.2f", 1.5 + 0.9 * l);
            snprintf(v[5], 16, "%.3f", 0.08 + 0.25 * l * l);
            snprintf(v[6], 16, "%.3f", 0.015 + (strcmp(sec[i].kind, "lake") ? 0.045 : 0.02) * l);
            snprintf(v[7], 16, "%.2f", 0.4 + 0.35 * l);
            snprintf(v[8], 16, "%.3f", 0.01 + 0.008 * l);
            json_t *sample =
                json_pack("{ss ss s{ss ss ss ss ss ss ss ss ss}}", "section", sec[i].code, "date",
                          date, "values", "ph", v[0], "do", v[1], "codmn", v[2], "cod", v[3],
                          "bod5", v[4], "nh3n", v[5], "tp", v[6], "tn", v[7], "oil", v[8]);
            bad =
                water_sample_store(db, sample, &field, &msg) ||
                audit_append(db, actor, "water_sample.store", "water_section", sec[i].code, sample);
            json_decref(sample);
        }
        if (bad) {
            db_rollback(db);
            return -1;
        }
    }
    return db_commit(db);
}
