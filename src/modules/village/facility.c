/* village facility — rural sewage facilities: their registration with the
 * standard they must meet, manual samples judged against its limits, and
 * operator inspections. An exceeding sample or a stop raises its alarm
 * (alarm.c) in the same transaction. Declared in village.h. */
#include "app/field.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "modules/service/service.h"
#include "modules/village/internal.h"
#include "modules/village/rules.h"
#include "modules/village/store.h"
#include "modules/village/village.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VILLAGE_CAPACITY_MAX 100000.0 /* m³/d: beyond any village plant */
#define VILLAGE_VALUE_MAX 100000.0    /* mg/L: beyond any raw sewage */

void village_ctx_clock(struct village_ctx *c, int64_t now_utc)
{
    c->now = now_utc;
    c->today = timeutil_day_of(now_utc);
}

enum err village_db_fail(struct problem *p)
{
    return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
}

/* One custom limit {factor, max, min?, max_cold?}, checked. */
static int village_limit_read(json_t *o, size_t i, struct village_limit *l, struct problem *p)
{
    const char *f = json_string_value(json_object_get(o, "factor"));
    if (!json_is_object(o) || !village_factor_valid(f))
        return problem_set(p, ERR_INVALID_FIELD, "limits",
                           "第 %zu 项限值的污染物须为 HJ 212 因子编码（如 w01018）", i + 1),
               -1;
    double max, min, cold;
    if (field_number(o, "max", "限值", 0.0001, VILLAGE_VALUE_MAX, FIELD_REQUIRED, 0, &max, p) ||
        field_number(o, "min", "下限", 0, VILLAGE_VALUE_MAX, FIELD_OPTIONAL, NAN, &min, p) ||
        field_number(o, "max_cold", "低温限值", 0.0001, VILLAGE_VALUE_MAX, FIELD_OPTIONAL, NAN,
                     &cold, p)) {
        char why[sizeof p->message];
        snprintf(why, sizeof why, "%s", p->message);
        return problem_set(p, ERR_INVALID_FIELD, "limits", "第 %zu 项限值：%s", i + 1, why), -1;
    }
    if ((!isnan(min) && min >= max) || (!isnan(cold) && cold < max))
        return problem_set(p, ERR_INVALID_FIELD, "limits",
                           "第 %zu 项限值：下限须小于上限，低温限值不得严于常温限值", i + 1),
               -1;
    *l = (struct village_limit){.min = min, .max = max, .max_cold = cold};
    snprintf(l->factor, sizeof l->factor, "%s", f);
    return 0;
}

/* The facility's limits: the class's, or (custom) the body's own. */
static int village_limits_read(json_t *in, const char *standard, struct village_limit *l, size_t *n,
                               struct problem *p)
{
    json_t *arr = json_object_get(in, "limits");
    bool given = arr && !json_is_null(arr);
    if (strcmp(standard, "custom")) {
        if (given)
            return problem_set(p, ERR_INVALID_FIELD, "limits",
                               "GB 18918 各级标准的限值由标准规定，不能修改；地方标准请选“custom”"),
                   -1;
        return village_standard_limits(standard, l, n);
    }
    if (!json_is_array(arr) || !json_array_size(arr) || json_array_size(arr) > VILLAGE_LIMITS_MAX)
        return problem_set(p, ERR_INVALID_FIELD, "limits", "地方标准须填写 1 至 %d 项污染物限值",
                           VILLAGE_LIMITS_MAX),
               -1;
    *n = 0;
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        if (village_limit_read(o, i, &l[i], p))
            return -1;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(l[j].factor, l[i].factor))
                return problem_set(p, ERR_INVALID_FIELD, "limits", "污染物 %s 重复", l[i].factor),
                       -1;
        (*n)++;
    }
    return 0;
}

/* Reads and checks every field of a facility into r; *limits_text is the
 * limits as JSON text (free()). */
static int village_facility_read(struct village_ctx *c, json_t *in, struct village_facility_row *r,
                                 char **limits_text, struct problem *p)
{
    memset(r, 0, sizeof *r);
    *limits_text = NULL;
    if (!json_is_object(in))
        return problem_set(p, ERR_INVALID_FIELD, NULL, "请求体须为 JSON 对象"), -1;
    char day[11];
    if (field_text(in, "name", "设施名称", 100, FIELD_REQUIRED, &r->name, p) ||
        field_text(in, "county", "县（区）", 50, FIELD_REQUIRED, &r->county, p) ||
        field_text(in, "township", "乡镇", 50, FIELD_REQUIRED, &r->township, p) ||
        field_text(in, "village", "行政村", 50, FIELD_REQUIRED, &r->village, p) ||
        field_lonlat(in, FIELD_OPTIONAL, &r->lon, &r->lat, p) ||
        field_number(in, "capacity", "设计规模（m³/d）", 0.1, VILLAGE_CAPACITY_MAX, FIELD_REQUIRED,
                     0, &r->capacity, p) ||
        field_text(in, "process", "处理工艺", 100, FIELD_OPTIONAL, &r->process, p) ||
        field_text(in, "operator", "运维单位", 100, FIELD_OPTIONAL, &r->operator_name, p) ||
        field_text(in, "operator_phone", "运维电话", 30, FIELD_OPTIONAL, &r->operator_phone, p) ||
        field_choice(in, "standard", "执行标准", village_standards, FIELD_REQUIRED, NULL,
                     &r->standard, p) ||
        field_id(in, "station_id", "在线监测站点", FIELD_OPTIONAL, &r->station_id, p) ||
        field_id(in, "section_id", "监管科室", FIELD_REQUIRED, &r->section_id, p) ||
        field_date(in, "commissioned", "投运日期", FIELD_OPTIONAL | FIELD_PAST | FIELD_EMPTY_ABSENT,
                   day, p))
        return -1;
    const char *sname = "";
    if (!strcmp(r->standard, "custom")) {
        if (field_text(in, "standard_name", "地方标准名称", 100, FIELD_REQUIRED, &sname, p))
            return -1;
        r->standard_name = sname;
    } else {
        r->standard_name = village_standard_name(r->standard);
    }
    struct village_limit l[VILLAGE_LIMITS_MAX];
    size_t n;
    if (village_limits_read(in, r->standard, l, &n, p))
        return -1;
    if (!village_store_section_exists(c->db, r->section_id))
        return problem_set(p, ERR_INVALID_FIELD, "section_id", "监管科室不存在"), -1;
    if (r->station_id && !village_store_station_exists(c->db, r->station_id))
        return problem_set(p, ERR_INVALID_FIELD, "station_id", "在线监测站点不存在"), -1;
    /* The date text lives in the object once written back. */
    json_object_set_new(in, "commissioned", json_string(day));
    r->commissioned = json_string_value(json_object_get(in, "commissioned"));
    json_t *lj = village_limits_json(l, n);
    *limits_text = json_dumps(lj, JSON_COMPACT);
    json_decref(lj);
    r->now = c->now;
    return 0;
}

/* Runs the write of a facility (insert when *id is 0, else update) with its
 * audit entry in one transaction. */
static enum err village_facility_write(struct village_ctx *c, json_t *in, int64_t *id,
                                       struct problem *p)
{
    struct village_facility_row r;
    char *limits;
    if (village_facility_read(c, in, &r, &limits, p)) {
        free(limits);
        return p->err;
    }
    r.limits_json = limits;
    bool create = *id == 0;
    if (db_begin(c->db)) {
        free(limits);
        return village_db_fail(p);
    }
    int rc = create ? village_store_facility_insert(c->db, &r, id)
                    : village_store_facility_update(c->db, *id, &r);
    json_t *d = json_pack("{ss ss ss ss}", "name", r.name, "township", r.township, "village",
                          r.village, "standard", r.standard);
    if (!rc)
        rc = audit_append_id(c->db, &c->actor,
                             create ? "village.facility.create" : "village.facility.update",
                             "village_facilities", *id, d);
    json_decref(d);
    free(limits);
    if (rc || db_commit(c->db)) {
        db_rollback(c->db);
        if (rc == 1)
            return problem_set(p, ERR_NOT_FOUND, NULL, "设施不存在");
        if (rc == 2)
            return problem_set(p, ERR_CONFLICT, "name", "同一行政村已有同名设施");
        return village_db_fail(p);
    }
    return ERR_OK;
}

enum err village_facility_create(struct village_ctx *c, json_t *in, int64_t *id, struct problem *p)
{
    *id = 0;
    return village_facility_write(c, in, id, p);
}

enum err village_facility_update(struct village_ctx *c, int64_t id, json_t *in, struct problem *p)
{
    return village_facility_write(c, in, &id, p);
}

json_t *village_standards_json(void)
{
    json_t *a = json_array();
    for (size_t i = 0; village_standards[i]; i++) {
        struct village_limit l[VILLAGE_LIMITS_MAX];
        size_t n = 0;
        village_standard_limits(village_standards[i], l, &n);
        json_array_append_new(a, json_pack("{ss ss so}", "code", village_standards[i], "name",
                                           village_standard_name(village_standards[i]), "limits",
                                           village_limits_json(l, n)));
    }
    return a;
}

int village_facility_limits(json_t *facility, struct village_limit *l, size_t *n)
{
    return village_limits_parse(json_object_get(facility, "limits"), l, n);
}

/* The sample's values {factor: number}: each a known code and a finite,
 * bounded number (pH 0–14); at least one of the facility's limited ones. */
static int village_values_read(json_t *in, const struct village_limit *l, size_t n, json_t **values,
                               struct problem *p)
{
    json_t *v = json_object_get(in, "values");
    if (!json_is_object(v) || !json_object_size(v) || json_object_size(v) > VILLAGE_VALUES_MAX)
        return problem_set(p, ERR_INVALID_FIELD, "values", "请填写 1 至 %d 项监测值",
                           VILLAGE_VALUES_MAX),
               -1;
    const char *k;
    json_t *x;
    json_object_foreach(v, k, x)
    {
        double max = !strcmp(k, "w01001") ? 14 : VILLAGE_VALUE_MAX;
        if (!village_factor_valid(k))
            return problem_set(p, ERR_INVALID_FIELD, "values", "“%.20s”不是 HJ 212 因子编码", k),
                   -1;
        if (!json_is_number(x) || !isfinite(json_number_value(x)) || json_number_value(x) < 0 ||
            json_number_value(x) > max)
            return problem_set(p, ERR_INVALID_FIELD, "values", "%s 的监测值须为 0 至 %g 的数",
                               village_factor_name(k), max),
                   -1;
    }
    int limited = 0;
    for (size_t i = 0; i < n; i++)
        limited += json_object_get(v, l[i].factor) != NULL;
    if (!limited)
        return problem_set(p, ERR_INVALID_FIELD, "values",
                           "监测值中没有该设施执行标准所列的污染物"),
               -1;
    *values = v;
    return 0;
}

enum err village_sample_add(struct village_ctx *c, int64_t facility_id, json_t *in, int64_t *id,
                            struct problem *p)
{
    memset(p, 0, sizeof *p);
    json_t *fac = village_store_facility(c->db, facility_id);
    if (!fac)
        return problem_set(p, ERR_NOT_FOUND, NULL, "设施不存在");
    struct village_limit l[VILLAGE_LIMITS_MAX];
    size_t n;
    char day[11];
    const char *sampler, *note;
    json_t *values;
    if (village_facility_limits(fac, l, &n)) {
        json_decref(fac);
        return village_db_fail(p);
    }
    json_decref(fac);
    if (!json_is_object(in))
        return problem_set(p, ERR_INVALID_FIELD, NULL, "请求体须为 JSON 对象");
    if (field_date(in, "day", "采样日期", FIELD_REQUIRED | FIELD_PAST, day, p) ||
        field_text(in, "sampler", "采样人", 50, FIELD_OPTIONAL, &sampler, p) ||
        field_text(in, "note", "备注", 1000, FIELD_MULTILINE, &note, p) ||
        village_values_read(in, l, n, &values, p))
        return p->err;
    struct village_judgement j;
    village_judge(l, n, values, &j);
    char *vt = json_dumps(values, JSON_COMPACT | JSON_SORT_KEYS);
    char *et = json_dumps(j.exceed, JSON_COMPACT);
    bool compliant = json_array_size(j.exceed) == 0;
    struct village_sample_row row = {facility_id, day,           vt,    et, compliant, sampler,
                                     note,        c->actor.name, c->now};
    int rc = db_begin(c->db);
    if (!rc)
        rc = village_store_sample_insert(c->db, &row, id);
    json_t *d = json_pack("{sI ss sb sO}", "facility_id", (json_int_t)facility_id, "day", day,
                          "compliant", compliant, "exceed", j.exceed);
    if (!rc)
        rc = audit_append_id(c->db, &c->actor, "village.sample.add", "village_samples", *id, d);
    if (!rc && !compliant)
        rc = village_alarm_exceed(c, facility_id, *id, day, j.exceed, p) < 0;
    json_decref(d);
    json_decref(j.exceed);
    free(vt);
    free(et);
    if (rc || db_commit(c->db)) {
        db_rollback(c->db);
        return p->err ? p->err : village_db_fail(p);
    }
    return ERR_OK;
}

/* An inspection of facility_id on a day no earlier than earliest, by c's
 * actor, with the alarms it raises, in one transaction. */
static enum err village_inspection_write(struct village_ctx *c, int64_t facility_id, json_t *in,
                                         int32_t earliest, int64_t *id, struct problem *p)
{
    memset(p, 0, sizeof *p);
    json_t *fac = village_store_facility(c->db, facility_id);
    if (!fac)
        return problem_set(p, ERR_NOT_FOUND, NULL, "设施不存在");
    json_decref(fac);
    char day[11];
    bool running;
    const char *note;
    if (!json_is_object(in))
        return problem_set(p, ERR_INVALID_FIELD, NULL, "请求体须为 JSON 对象");
    if (field_date(in, "day", "巡查日期", FIELD_REQUIRED | FIELD_PAST, day, p) ||
        field_bool(in, "running", "运行状态", FIELD_REQUIRED, false, &running, p) ||
        field_text(in, "note", "巡查情况", 1000, FIELD_MULTILINE, &note, p))
        return p->err;
    int32_t dn = 0;
    calendar_parse_date(day, &dn);
    if (dn < earliest)
        return problem_set(p, ERR_INVALID_FIELD, "day", "只能登记今天或昨天的巡查");
    if (!running && !*note)
        return problem_set(p, ERR_INVALID_FIELD, "note", "设施停运时请说明停运原因");
    int rc = db_begin(c->db);
    if (!rc)
        rc = village_store_inspection_insert(c->db, facility_id, day, running, note, c->actor.name,
                                             c->now, id);
    json_t *d = json_pack("{sI ss sb}", "facility_id", (json_int_t)facility_id, "day", day,
                          "running", running);
    if (!rc)
        rc = audit_append_id(c->db, &c->actor, "village.inspection.add", "village_inspections", *id,
                             d);
    json_decref(d);
    if (!rc)
        rc = village_alarm_check(c, facility_id) < 0;
    if (rc || db_commit(c->db)) {
        db_rollback(c->db);
        return village_db_fail(p);
    }
    return ERR_OK;
}

enum err village_inspection_add(struct village_ctx *c, int64_t facility_id, json_t *in, int64_t *id,
                                struct problem *p)
{
    return village_inspection_write(c, facility_id, in, CALENDAR_DAY_MIN, id, p);
}

static const struct village_link_kind village_operator_kind = {"运维链接",
                                                               "设施",
                                                               "/v/operate/",
                                                               "village.facility.operator_link",
                                                               "village_facilities",
                                                               village_store_facility_set_token,
                                                               village_store_facility_by_token};

enum err village_operator_link(struct village_ctx *c, int64_t id, const char *base, json_t **out,
                               struct problem *p)
{
    return village_link_issue(c, &village_operator_kind, id, base, out, p);
}

json_t *village_operator_view(struct village_ctx *c, const char *token, struct problem *p)
{
    memset(p, 0, sizeof *p);
    int64_t id = village_link_resolve(c, &village_operator_kind, token, p);
    if (!id)
        return NULL;
    json_t *f = village_store_facility(c->db, id);
    json_t *insp = village_store_inspections_recent(c->db, id, 5);
    if (!f || !insp) {
        json_decref(f);
        json_decref(insp);
        return village_db_fail(p), NULL;
    }
    size_t i;
    json_t *row;
    json_array_foreach(insp, i, row)
    { /* how many photos each check carries */
        json_t *ph = village_inspection_photos(c, json_integer_value(json_object_get(row, "id")));
        json_object_set_new(row, "photos", json_integer(ph ? (json_int_t)json_array_size(ph) : 0));
        json_decref(ph);
    }
    char today[11];
    calendar_format_date(c->today, today);
    json_t *out =
        json_pack("{sO sO sO sO sO ss so}", "name", json_object_get(f, "name"), "township",
                  json_object_get(f, "township"), "village", json_object_get(f, "village"),
                  "process", json_object_get(f, "process"), "operator",
                  json_object_get(f, "operator"), "today", today, "inspections", insp);
    json_decref(f);
    return out;
}

enum err village_operator_inspect(struct village_ctx *c, const char *token, json_t *in, int64_t *id,
                                  struct problem *p)
{
    memset(p, 0, sizeof *p);
    int64_t fid = village_link_resolve(c, &village_operator_kind, token, p);
    if (!fid)
        return p->err;
    struct village_ctx oc = *c;
    oc.actor = (struct audit_actor){0, "operator"};
    return village_inspection_write(&oc, fid, in, c->today - 1, id, p);
}

/* The service context the attachment functions take, for c's actor. */
static void village_svc_ctx(struct village_ctx *c, struct svc_ctx *sc)
{
    *sc = (struct svc_ctx){.db = c->db,
                           .cal = c->cal,
                           .cfg = c->cfg,
                           .actor = c->actor,
                           .now = c->now,
                           .today = c->today};
}

/* A photo of facility_id's inspection of a day from `from` (YYYY-MM-DD,
 * "" any day); 404 for any other inspection. */
static enum err village_photo_add(struct village_ctx *c, int64_t facility_id, int64_t inspection_id,
                                  const char *from, const char *filename, const void *data,
                                  size_t len, int64_t *id, struct problem *p)
{
    int of = village_store_inspection_of(c->db, facility_id, inspection_id, from);
    if (of < 0)
        return village_db_fail(p);
    if (!of)
        return problem_set(p, ERR_NOT_FOUND, NULL, "巡查记录不存在");
    struct svc_ctx sc;
    village_svc_ctx(c, &sc);
    return svc_attach_add_checked(&sc, "village_inspection", inspection_id, 0,
                                  filename && *filename ? filename : "photo", data, len, id, p);
}

enum err village_inspection_photo(struct village_ctx *c, int64_t facility_id, int64_t inspection_id,
                                  const char *filename, const void *data, size_t len, int64_t *id,
                                  struct problem *p)
{
    memset(p, 0, sizeof *p);
    return village_photo_add(c, facility_id, inspection_id, "", filename, data, len, id, p);
}

enum err village_operator_photo(struct village_ctx *c, const char *token, int64_t inspection_id,
                                const char *filename, const void *data, size_t len, int64_t *id,
                                struct problem *p)
{
    memset(p, 0, sizeof *p);
    int64_t fid = village_link_resolve(c, &village_operator_kind, token, p);
    if (!fid)
        return p->err;
    struct village_ctx oc = *c;
    oc.actor = (struct audit_actor){0, "operator"};
    char from[11];
    calendar_format_date(c->today - 1, from);
    return village_photo_add(&oc, fid, inspection_id, from, filename, data, len, id, p);
}

json_t *village_inspection_photos(struct village_ctx *c, int64_t inspection_id)
{
    struct svc_ctx sc;
    village_svc_ctx(c, &sc);
    return svc_attach_list(&sc, "village_inspection", inspection_id);
}
