/* alarms — alarm rules over the hourly air data, the raised → acknowledged
 * → cleared lifecycle with escalation, and pollution-source values against
 * the outlet's permitted limits (converted to the reference O2, 折算) raising
 * alarms on the enterprise's record and handing them to supervision. The
 * rules of rules.h; rows through store.h; routes in http_alarms.c. The alarms
 * table is documented for other modules in docs/quality.md. */
#include "app/field.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "db/audit.h"
#include "db/db.h"
#include "domain/aqi.h"
#include "modules/quality/rules.h"
#include "modules/quality/store.h"
#include "modules/supervision/supervision.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOURCE_SERIOUS_TIMES 3

/* The factor of a rule: an hourly column or "aqi" (the hourly AQI). */
static int alarm_factor(const char *s)
{
    if (s && !strcmp(s, "aqi"))
        return AIRDATA_NCOLS;
    return airdata_col_parse(s);
}

/* Value of factor f in an hour's vector: milli units, or the AQI × 1000. */
static int64_t alarm_value(int f, const int64_t v[AIRDATA_NCOLS], int32_t day)
{
    if (f < AIRDATA_NCOLS)
        return v[f];
    struct aqi_input in = {0};
    static const int slot[AIRDATA_NCOLS] = {AQI_SO2,   AQI_NO2,  AQI_CO,
                                            AQI_O3_1H, AQI_PM10, AQI_PM25};
    for (int c = 0; c < AIRDATA_NCOLS; c++)
        if (v[c] >= 0)
            in.c[slot[c]] = (struct aqi_conc){v[c], 1};
    int y, m, d;
    timeutil_civil_from_days(day, &y, &m, &d);
    struct aqi_result r;
    if (aqi_compute(aqi_standard_for_date(y, m, d), AQI_KIND_HOURLY, &in, &r) || r.aqi < 0)
        return -1;
    return (int64_t)r.aqi * 1000;
}

static bool alarm_in_set(const char *set, const char *code, bool official)
{
    if (!set || !*set)
        return official;
    json_t *a = json_loads(set, 0, NULL);
    bool in = false;
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) in =
        in || !strcmp(json_string_value(v) ? json_string_value(v) : "", code);
    json_decref(a);
    return in;
}

/* One active rule at one station whose latest hour is `last`: raises or
 * clears. 0 or -1. */
static int alarm_apply(struct db *db, json_t *rule, json_t *station, int64_t last, int64_t now)
{
    int64_t rid = json_integer_value(json_object_get(rule, "id"));
    int64_t threshold = json_integer_value(json_object_get(rule, "threshold"));
    int factor = alarm_factor(json_string_value(json_object_get(rule, "factor")));
    int hours = (int)json_integer_value(json_object_get(rule, "duration_hours"));
    int64_t sid = json_integer_value(json_object_get(station, "id"));
    if (factor < 0 || hours < 1 || hours > 72 ||
        !alarm_in_set(json_string_value(json_object_get(rule, "stations")),
                      json_string_value(json_object_get(station, "code")),
                      json_is_true(json_object_get(station, "official"))))
        return 0;
    int64_t v[72][AIRDATA_NCOLS];
    int64_t from = last - (int64_t)(hours - 1) * AIRDATA_HOUR;
    if (airdata_range(db, sid, from, hours, v) < 0)
        return -1;
    bool all_above = true;
    int64_t latest = -1;
    for (int h = 0; h < hours; h++) {
        int64_t x = alarm_value(factor, v[h], airdata_day_of(from + h * 3600LL));
        all_above = all_above && x > threshold;
        latest = x;
    }
    int64_t open = alarms_open_air(db, rid, sid);
    if (open < 0)
        return -1;
    if (all_above && !open) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s：%s 连续 %d 小时超过阈值",
                 json_string_value(json_object_get(rule, "name")),
                 json_string_value(json_object_get(station, "name")), hours);
        json_t *mp =
            json_pack("{ss sO sO si}", "kind", "air_hours", "rule", json_object_get(rule, "name"),
                      "station", json_object_get(station, "name"), "hours", hours);
        struct alarm_new a = {.kind = "air",
                              .rule_id = rid,
                              .station_id = sid,
                              .factor = factor < AIRDATA_NCOLS ? airdata_col_name(factor) : "aqi",
                              .message = msg,
                              .message_params = mp,
                              .value = (double)latest / 1000,
                              .limit = (double)threshold / 1000,
                              .at = now};
        int64_t id;
        int rc = alarms_insert(db, &a, &id) ? -1 : 0;
        json_decref(mp);
        return rc;
    }
    if (open && latest >= 0 && latest <= threshold)
        return alarms_clear(db, open, now) ? -1 : 0;
    return 0;
}

int quality_alarms_check(struct db *db, int64_t now)
{
    json_t *rules = alarm_rules_active(db);
    json_t *stations = rules ? aq_stations_list(db, NULL) : NULL;
    int rc = stations ? 0 : -1;
    size_t i, k;
    json_t *s, *rule;
    json_array_foreach(stations, i, s)
    {
        int64_t last = airdata_latest(db, json_integer_value(json_object_get(s, "id")), now);
        if (!last)
            continue;
        json_array_foreach(rules, k, rule)
        {
            if ((rc = alarm_apply(db, rule, s, last, now)))
                break;
        }
        if (rc)
            break;
    }
    json_decref(stations);
    json_decref(rules);
    return rc;
}

json_t *quality_alarms(struct db *db, const char *state, int64_t enterprise, int64_t limit)
{
    alarms_escalate(db, timeutil_now());
    return alarms_list(db, state, enterprise, limit);
}

json_t *quality_alarms_since(struct db *db, int64_t since, int64_t limit)
{
    alarms_escalate(db, timeutil_now());
    return alarms_since(db, since, limit);
}

static enum err alarm_transition(struct db *db, const struct audit_actor *actor, int64_t id,
                                 bool ack, struct problem *p, json_t **out)
{
    *out = NULL;
    int64_t now = timeutil_now();
    int changed = 0;
    if (db_begin(db))
        return ERR_UNAVAILABLE;
    int rc =
        ack ? alarms_ack(db, id, now, actor->name, &changed) : alarms_close(db, id, now, &changed);
    enum err e = rc ? ERR_INTERNAL : ERR_OK;
    if (e == ERR_OK && !changed) {
        int exists = alarms_exists(db, id);
        e = exists < 0 ? ERR_INTERNAL
            : exists > 0 ? problem_set(p, ERR_INVALID_STATE, NULL, "报警当前状态不允许此操作")
                         : problem_set(p, ERR_NOT_FOUND, NULL, "没有该报警");
    }
    const char *to = ack ? "acknowledged" : "cleared";
    json_t *d = json_pack("{ss}", "state", to);
    if (e == ERR_OK &&
        (audit_append_id(db, actor, ack ? "alarm.ack" : "alarm.clear", "alarm", id, d) ||
         db_commit(db)))
        e = ERR_INTERNAL;
    json_decref(d);
    if (e != ERR_OK) {
        db_rollback(db);
        return e;
    }
    *out = json_pack("{sI ss}", "id", (json_int_t)id, "state", to);
    return ERR_OK;
}

enum err quality_alarm_ack(struct db *db, const struct audit_actor *actor, int64_t id,
                           struct problem *p, json_t **out)
{
    return alarm_transition(db, actor, id, true, p, out);
}

enum err quality_alarm_clear(struct db *db, const struct audit_actor *actor, int64_t id,
                             struct problem *p, json_t **out)
{
    return alarm_transition(db, actor, id, false, p, out);
}

/* fn in a transaction of its own (quality_write, recheck: the alarm rules
 * applied again); *out: {id}. */
static enum err alarm_write(struct db *db, const struct audit_actor *actor, json_t *in,
                            quality_add_fn fn, bool recheck, struct problem *p, json_t **out)
{
    int64_t id = 0;
    *out = NULL;
    enum err e = quality_write(db, actor, in, fn, recheck, &id, p);
    if (e == ERR_OK)
        *out = json_pack("{sI}", "id", (json_int_t)id);
    return e;
}

static const char *const alarm_factors[] = {"so2", "no2", "co", "o3", "pm10", "pm25", "aqi", NULL};

/* Reads and checks a rule's fields into r; *stations_text: the station set
 * as JSON text (NULL = every official station), freed by the caller. */
static enum err alarm_rule_read(struct db *db, json_t *in, struct alarm_rule_new *r,
                                char **stations_text, struct problem *p)
{
    double th;
    *stations_text = NULL;
    if (field_text(in, "name", "规则名称", 120, FIELD_REQUIRED, &r->name, p) ||
        field_choice(in, "factor", "因子", alarm_factors, FIELD_REQUIRED, NULL, &r->factor, p) ||
        field_number(in, "threshold", "阈值", 0, 100000, FIELD_REQUIRED, 0, &th, p) ||
        field_int(in, "duration_hours", "持续小时", 1, 72, FIELD_OPTIONAL, 1, &r->duration_hours,
                  p) ||
        field_int(in, "escalate_minutes", "升级分钟", 0, 10080, FIELD_OPTIONAL, 0,
                  &r->escalate_minutes, p))
        return p->err;
    if (th <= 0)
        return problem_set(p, ERR_INVALID_FIELD, "threshold", "阈值须为正数");
    r->threshold = llround(th * 1000);
    json_t *set; /* station codes; none = every official station */
    if (field_text_list(in, "stations", "站点", 500, 64, FIELD_OPTIONAL, &set, p))
        return p->err;
    for (size_t i = 0; i < json_array_size(set); i++)
        if (!aq_stations_find(db, json_string_value(json_array_get(set, i))))
            return problem_set(p, ERR_INVALID_FIELD, "stations", "含未知站点");
    *stations_text = json_array_size(set) ? json_dumps(set, JSON_COMPACT) : NULL;
    r->stations = *stations_text ? *stations_text : "";
    return ERR_OK;
}

enum err alarm_rule_add(struct db *db, const struct audit_actor *actor, json_t *in, int64_t *id,
                        struct problem *p)
{
    struct alarm_rule_new r = {.stations = "", .created_at = timeutil_now()};
    char *stations;
    enum err e = alarm_rule_read(db, in, &r, &stations, p);
    if (e != ERR_OK)
        return e;
    int rc = alarm_rules_insert(db, &r, id);
    free(stations);
    if (rc || audit_append_id(db, actor, "alarm_rule.create", "alarm_rule", *id, in))
        return ERR_INTERNAL;
    return ERR_OK;
}

/* *id names the rule (the path id). The whole rule is replaced; active keeps
 * its stored value when the body leaves it out. */
static enum err alarm_rule_edit(struct db *db, const struct audit_actor *actor, json_t *in,
                                int64_t *id, struct problem *p)
{
    int64_t was = alarm_rules_active_of(db, *id);
    if (was < 0)
        return problem_set(p, ERR_NOT_FOUND, NULL, "没有该报警规则");
    struct alarm_rule_new r = {.stations = ""};
    bool active;
    char *stations;
    enum err e = alarm_rule_read(db, in, &r, &stations, p);
    if (e != ERR_OK)
        return e;
    if (field_bool(in, "active", "启用", FIELD_OPTIONAL, was == 1, &active, p)) {
        free(stations);
        return p->err;
    }
    int rc = alarm_rules_update(db, *id, &r, active);
    free(stations);
    if (rc || audit_append_id(db, actor, "alarm_rule.update", "alarm_rule", *id, in))
        return ERR_INTERNAL;
    return ERR_OK;
}

enum err alarm_rule_create(struct db *db, const struct audit_actor *actor, json_t *in,
                           struct problem *p, json_t **out)
{
    return alarm_write(db, actor, in, alarm_rule_add, true, p, out);
}

enum err alarm_rule_update(struct db *db, const struct audit_actor *actor, int64_t id, json_t *in,
                           struct problem *p, json_t **out)
{
    *out = NULL;
    enum err e = quality_write(db, actor, in, alarm_rule_edit, true, &id, p);
    if (e == ERR_OK)
        *out = json_pack("{sI}", "id", (json_int_t)id);
    return e;
}

/* ---- pollution sources ---- */

/* The enterprise, outlet and factor every source input names. */
static enum err source_common(struct db *db, json_t *in, int64_t *ent, const char **outlet,
                              const char **factor, struct problem *p)
{
    if (field_id(in, "enterprise_id", "企业 id", FIELD_REQUIRED, ent, p))
        return p->err;
    int found = source_enterprise_exists(db, *ent);
    if (found < 0)
        return ERR_INTERNAL;
    if (!found)
        return problem_set(p, ERR_INVALID_FIELD, "enterprise_id", "没有该企业");
    if (field_text(in, "outlet", "排放口编号", 64, FIELD_REQUIRED, outlet, p) ||
        field_text(in, "factor", "因子", 32, FIELD_REQUIRED, factor, p))
        return p->err;
    return ERR_OK;
}

static enum err source_limit_put(struct db *db, const struct audit_actor *actor, json_t *in,
                                 int64_t *id, struct problem *p)
{
    const char *outlet, *factor;
    double limit, o2ref;
    enum err e = source_common(db, in, id, &outlet, &factor, p);
    if (e != ERR_OK)
        return e;
    if (field_number(in, "limit", "限值", 0, 1e6, FIELD_REQUIRED, 0, &limit, p) ||
        field_number(in, "o2_ref", "基准氧含量", 0, 21, FIELD_OPTIONAL, -1, &o2ref, p))
        return p->err;
    if (limit <= 0)
        return problem_set(p, ERR_INVALID_FIELD, "limit", "限值须为正数");
    if (o2ref >= 21)
        return problem_set(p, ERR_INVALID_FIELD, "o2_ref", "基准氧含量须在 0..21 之间");
    if (source_limits_put(db, *id, outlet, factor, limit, o2ref) ||
        audit_append_id(db, actor, "source_limit.set", "enterprise", *id, in))
        return ERR_INTERNAL;
    return ERR_OK;
}

enum err source_limit_add(struct db *db, const struct audit_actor *actor, json_t *in,
                          struct problem *p)
{
    int64_t id;
    return source_limit_put(db, actor, in, &id, p);
}

enum err source_limit_set(struct db *db, const struct audit_actor *actor, json_t *in,
                          struct problem *p, json_t **out)
{
    return alarm_write(db, actor, in, source_limit_put, true, p, out);
}

/* The hand-over fields of a source value (all optional): HJ 212 data flag,
 * device health, observation time, monitoring point, unit, origin. */
struct source_meta {
    char flag;
    bool device_ok, converted;
    int64_t observed_at;
    const char *point, *unit, *source;
};

static const char *const source_flags[] = {"N", "F", "M", "S", "D", "C", "T", "B", NULL};

static enum err source_meta_get(json_t *in, const char *outlet, struct source_meta *m,
                                struct problem *p)
{
    const char *flag;
    if (field_choice(in, "flag", "数据标记", source_flags, FIELD_OPTIONAL, "N", &flag, p) ||
        field_bool(in, "device_ok", "设备状态", FIELD_OPTIONAL, true, &m->device_ok, p) ||
        field_bool(in, "converted", "折算标记", FIELD_OPTIONAL, false, &m->converted, p) ||
        field_int(in, "observed_at", "监测时间", 1, INT64_MAX, FIELD_OPTIONAL, timeutil_now(),
                  &m->observed_at, p) ||
        field_text(in, "point", "监测点位", 64, FIELD_OPTIONAL, &m->point, p) ||
        field_text(in, "unit", "单位", 16, FIELD_OPTIONAL, &m->unit, p) ||
        field_text(in, "source", "来源", 64, FIELD_OPTIONAL, &m->source, p))
        return p->err;
    if (!*m->source)
        m->source = "manual";
    if (strcmp(m->source, "manual") && strcmp(m->source, "hj212"))
        return problem_set(p, ERR_INVALID_FIELD, "source", "来源须为 manual 或 hj212");
    m->flag = flag[0];
    if (!*m->point)
        m->point = outlet;
    return ERR_OK;
}

enum err source_value_check(struct db *db, const struct audit_actor *actor, json_t *in, int64_t *id,
                            struct problem *p)
{
    int64_t ent;
    const char *outlet, *factor;
    struct source_meta meta;
    double value, o2, limit, o2ref;
    *id = 0;
    enum err e = source_common(db, in, &ent, &outlet, &factor, p);
    if (e != ERR_OK)
        return e;
    if (source_meta_get(in, outlet, &meta, p) ||
        field_number(in, "value", "监测值", 0, 1e7, FIELD_REQUIRED, 0, &value, p) ||
        field_number(in, "o2", "实测氧含量", 0, 20.9, FIELD_OPTIONAL, -1, &o2, p))
        return p->err;
    if (!source_limits_get(db, ent, outlet, factor, &limit, &o2ref))
        return problem_set(p, ERR_INVALID_FIELD, "outlet", "该排放口因子未登记许可限值");
    double v = value;
    if (o2ref >= 0 && !meta.converted) {
        if (o2 < 0 || o2 >= 20.9)
            return problem_set(p, ERR_INVALID_FIELD, "o2",
                               "烟气须提供实测氧含量（0..20.9%%）以折算");
        v = v * (21 - o2ref) / (21 - o2);
    }
    v = round(v * 1000) / 1000;
    int64_t existing = alarms_open_source(db, ent, outlet, factor);
    if (existing < 0)
        return ERR_INTERNAL;
    int64_t now = timeutil_now();
    if (v > limit && !existing) {
        char m[256];
        snprintf(m, sizeof m, "排放口 %s 的 %s %s值 %.3f 超过许可限值 %.3f", outlet, factor,
                 o2ref >= 0 ? "折算" : "实测", v, limit);
        /* value and limit are the alarm's own columns */
        json_t *mp = json_pack("{ss ss ss sb}", "kind", "source_limit", "outlet", outlet, "factor",
                               factor, "converted", o2ref >= 0);
        struct alarm_new a = {.kind = "source",
                              .enterprise_id = ent,
                              .outlet = outlet,
                              .factor = factor,
                              .message = m,
                              .message_params = mp,
                              .value = v,
                              .limit = limit,
                              .at = now};
        int stored = alarms_insert(db, &a, id);
        json_decref(mp);
        if (stored)
            return ERR_INTERNAL;
        /* The supervision hand-over (docs/supervision.md "Alarms and cases"):
         * the flag and the device health travel with it so verification can
         * exclude invalid data. Serious = at least SOURCE_SERIOUS_TIMES the
         * limit (project choice, docs/quality.md §8). */
        struct sup_alarm_input sa = {ent,
                                     meta.source,
                                     meta.point,
                                     factor,
                                     v,
                                     limit,
                                     *meta.unit ? meta.unit : (o2ref >= 0 ? "mg/m³" : ""),
                                     meta.observed_at,
                                     meta.flag,
                                     meta.device_ok,
                                     v >= SOURCE_SERIOUS_TIMES * limit};
        int64_t sup_id = 0;
        if (sup_alarm_feed(db, actor, &sa, &sup_id, p))
            return p->err != ERR_OK ? p->err : ERR_INTERNAL;
        return ERR_OK;
    }
    if (v <= limit && existing)
        return alarms_clear(db, existing, now) ? ERR_INTERNAL : ERR_OK;
    *id = existing;
    return ERR_OK;
}

static enum err source_value_audited(struct db *db, const struct audit_actor *actor, json_t *in,
                                     int64_t *id, struct problem *p)
{
    enum err e = source_value_check(db, actor, in, id, p);
    if (e != ERR_OK)
        return e;
    return audit_append_id(db, actor, "source_value.check", "alarm", *id, in) ? ERR_INTERNAL
                                                                              : ERR_OK;
}

enum err source_value_submit(struct db *db, const struct audit_actor *actor, json_t *in,
                             struct problem *p, json_t **out)
{
    return alarm_write(db, actor, in, source_value_audited, false, p, out);
}
