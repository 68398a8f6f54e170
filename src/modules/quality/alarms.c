/* api_alarms — alarm rules over the hourly air data, the raised →
 * acknowledged → cleared lifecycle with escalation, the server-sent-events
 * stream for the console, and pollution-source values against the outlet's
 * permitted limits (converted to the reference O2, 折算) raising alarms on the
 * enterprise's record. The alarms table is documented for other modules in
 * docs/quality.md. */
#include "app/app.h"
#include "app/kit.h"
#include "modules/quality/quality.h"
#include "modules/quality/quality_http.h"
#include "modules/supervision/supervision.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "domain/aqi.h"
#include "db/audit.h"
#include "db/db.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALARM_STREAM_MAX 200
#define SOURCE_SERIOUS_TIMES 3
#define ALARM_RETRY_MS 3000

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

static int alarm_open(struct db *db, int64_t rule, int64_t station)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT id FROM alarms WHERE rule_id = ?1 AND station_id = ?2 "
                                   "AND state != 'cleared'");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, rule);
    sqlite3_bind_int64(st, 2, station);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return (int)id;
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

/* Applies every active rule to the stations' latest hours; raises and clears.
 * Inside a write transaction. */
int quality_alarms_check(struct db *db, int64_t now)
{
    sqlite3_stmt *rules = db_stmt(db, "SELECT id, name, factor, stations, threshold, "
                                      "duration_hours FROM alarm_rules WHERE active = 1");
    if (!rules)
        return -1;
    struct rule {
        int64_t id, threshold;
        int factor, hours;
        char name[128], *set;
    } *rs = NULL;
    int nr = 0;
    while (sqlite3_step(rules) == SQLITE_ROW) {
        rs = xrealloc(rs, sizeof *rs * (size_t)(nr + 1));
        rs[nr].id = sqlite3_column_int64(rules, 0);
        snprintf(rs[nr].name, sizeof rs[nr].name, "%s",
                 (const char *)sqlite3_column_text(rules, 1));
        rs[nr].factor = alarm_factor((const char *)sqlite3_column_text(rules, 2));
        rs[nr].set = xstrdup((const char *)sqlite3_column_text(rules, 3));
        rs[nr].threshold = sqlite3_column_int64(rules, 4);
        rs[nr].hours = sqlite3_column_int(rules, 5);
        nr++;
    }
    sqlite3_reset(rules);
    json_t *stations = quality_stations(db, NULL);
    int rc = stations ? 0 : -1;
    size_t i;
    json_t *s;
    json_array_foreach(stations, i, s)
    {
        int64_t sid = json_integer_value(json_object_get(s, "id"));
        const char *code = json_string_value(json_object_get(s, "code"));
        bool official = json_is_true(json_object_get(s, "official"));
        int64_t last = airdata_latest(db, sid, now);
        for (int k = 0; k < nr && !rc && last; k++) {
            if (rs[k].factor < 0 || !alarm_in_set(rs[k].set, code, official))
                continue;
            int64_t v[72][AIRDATA_NCOLS];
            int64_t from = last - (int64_t)(rs[k].hours - 1) * AIRDATA_HOUR;
            if (airdata_range(db, sid, from, rs[k].hours, v) < 0) {
                rc = -1;
                break;
            }
            bool all_above = true;
            int64_t latest = -1;
            for (int h = 0; h < rs[k].hours; h++) {
                int64_t x = alarm_value(rs[k].factor, v[h], airdata_day_of(from + h * 3600LL));
                all_above = all_above && x > rs[k].threshold;
                latest = x;
            }
            int open = alarm_open(db, rs[k].id, sid);
            if (open < 0) {
                rc = -1;
                break;
            }
            if (all_above && !open) {
                char msg[256];
                snprintf(msg, sizeof msg, "%s：%s 连续 %d 小时超过阈值", rs[k].name,
                         json_string_value(json_object_get(s, "name")), rs[k].hours);
                sqlite3_stmt *ins = db_stmt(
                    db,
                    "INSERT INTO alarms (kind, rule_id, station_id, factor, value, limit_value, "
                    "message, state, raised_at, updated_at) VALUES ('air', ?1, ?2, ?3, ?4, ?5, "
                    "?6, 'raised', ?7, ?7)");
                if (!ins) {
                    rc = -1;
                    break;
                }
                sqlite3_bind_int64(ins, 1, rs[k].id);
                sqlite3_bind_int64(ins, 2, sid);
                sqlite3_bind_text(
                    ins, 3, rs[k].factor < AIRDATA_NCOLS ? airdata_col_name(rs[k].factor) : "aqi",
                    -1, SQLITE_STATIC);
                sqlite3_bind_double(ins, 4, (double)latest / 1000);
                sqlite3_bind_double(ins, 5, (double)rs[k].threshold / 1000);
                sqlite3_bind_text(ins, 6, msg, -1, SQLITE_TRANSIENT);
                sqlite3_bind_int64(ins, 7, now);
                rc = sqlite3_step(ins) == SQLITE_DONE ? 0 : -1;
                sqlite3_reset(ins);
            } else if (open && latest >= 0 && latest <= rs[k].threshold) {
                sqlite3_stmt *up = db_stmt(db, "UPDATE alarms SET state = 'cleared', cleared_at = "
                                               "?2, updated_at = ?2 WHERE id = ?1");
                if (!up) {
                    rc = -1;
                    break;
                }
                sqlite3_bind_int64(up, 1, open);
                sqlite3_bind_int64(up, 2, now);
                rc = sqlite3_step(up) == SQLITE_DONE ? 0 : -1;
                sqlite3_reset(up);
            }
        }
    }
    json_decref(stations);
    for (int k = 0; k < nr; k++)
        free(rs[k].set);
    free(rs);
    return rc;
}

/* Raised alarms unacknowledged past their rule's escalate_minutes move up one
 * escalation level (once). */
static void alarm_escalate(struct db *db, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, "UPDATE alarms SET escalation = 1, updated_at = ?1 WHERE state "
                                   "= 'raised' AND escalation = 0 AND rule_id IN (SELECT id FROM "
                                   "alarm_rules WHERE escalate_minutes > 0 AND raised_at + "
                                   "escalate_minutes * 60 <= ?1)");
    if (!st)
        return;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_step(st);
    sqlite3_reset(st);
}

static json_t *alarm_row(sqlite3_stmt *st)
{
    json_t *o =
        json_pack("{sI ss ss ss sf sf ss si sI sI}", "id", (json_int_t)sqlite3_column_int64(st, 0),
                  "kind", (const char *)sqlite3_column_text(st, 1), "factor",
                  (const char *)sqlite3_column_text(st, 2), "outlet",
                  (const char *)sqlite3_column_text(st, 3), "value", sqlite3_column_double(st, 4),
                  "limit", sqlite3_column_double(st, 5), "message",
                  (const char *)sqlite3_column_text(st, 6), "escalation", sqlite3_column_int(st, 8),
                  "raised_at", (json_int_t)sqlite3_column_int64(st, 9), "updated_at",
                  (json_int_t)sqlite3_column_int64(st, 10));
    json_object_set_new(o, "state", json_string((const char *)sqlite3_column_text(st, 7)));
    for (int c = 11; c <= 13; c++)
        json_object_set_new(o,
                            c == 11   ? "station_id"
                            : c == 12 ? "enterprise_id"
                                      : "rule_id",
                            sqlite3_column_type(st, c) == SQLITE_NULL
                                ? json_null()
                                : json_integer(sqlite3_column_int64(st, c)));
    json_object_set_new(o, "acknowledged_by",
                        sqlite3_column_type(st, 14) == SQLITE_NULL
                            ? json_null()
                            : json_string((const char *)sqlite3_column_text(st, 14)));
    return o;
}

#define ALARM_COLS                                                                                 \
    "id, kind, factor, outlet, value, limit_value, message, state, escalation, raised_at, "        \
    "updated_at, station_id, enterprise_id, rule_id, acknowledged_by"

/* Lists alarms: state filter, enterprise users only their own enterprise's. */
static void api_alarms_list(struct http_req *r)
{
    const char *state = http_query(r, "state");
    if (state && *state && strcmp(state, "open") && strcmp(state, "raised") &&
        strcmp(state, "acknowledged") && strcmp(state, "cleared")) {
        http_error(r, ERR_INVALID_FIELD, "state 无效", "state");
        return;
    }
    int64_t ent = r->session.user.role == ROLE_ENTERPRISE ? r->session.user.enterprise_id : 0;
    if (r->session.user.role == ROLE_ENTERPRISE && !ent) {
        http_json(r, 200, json_pack("{s[]}", "items"));
        return;
    }
    alarm_escalate(r->db, timeutil_now());
    sqlite3_stmt *st = db_stmt(r->db, "SELECT " ALARM_COLS " FROM alarms WHERE (?1 IS NULL OR "
                                      "state = ?1 OR (?1 = 'open' AND state != 'cleared')) AND "
                                      "(?2 = 0 OR enterprise_id = ?2) ORDER BY id DESC LIMIT ?3");
    if (!st) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    if (state && *state)
        sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, ent);
    sqlite3_bind_int(st, 3, kit_limit(r, 100, 500));
    json_t *items = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(items, alarm_row(st));
    sqlite3_reset(st);
    http_json(r, 200, json_pack("{so}", "items", items));
}

/* Server-sent events: the alarms changed since Last-Event-ID (an updated_at
 * second), then the stream ends with a retry hint, and EventSource comes back
 * (docs/quality.md: no worker thread is held by an idle console). */
static void api_alarms_stream(struct http_req *r)
{
    const char *last = http_header(r, "Last-Event-ID");
    if (!last)
        last = http_query(r, "since");
    char *end = NULL;
    long long since = last ? strtoll(last, &end, 10) : 0;
    if (!last || !*last || *end || since < 0)
        since = timeutil_now() - 86400;
    alarm_escalate(r->db, timeutil_now());
    sqlite3_stmt *st = db_stmt(r->db, "SELECT " ALARM_COLS " FROM alarms WHERE updated_at >= ?1 "
                                      "ORDER BY updated_at, id LIMIT ?2");
    if (!st) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    sqlite3_bind_int64(st, 1, since);
    sqlite3_bind_int(st, 2, ALARM_STREAM_MAX);
    struct buf b;
    buf_init(&b, 0);
    buf_printf(&b, "retry: %d\n\n", ALARM_RETRY_MS);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *o = alarm_row(st);
        char *text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10));
        buf_printf(&b, "id: %lld\nevent: alarm\ndata: %s\n\n",
                   (long long)json_integer_value(json_object_get(o, "updated_at")), text);
        free(text);
        json_decref(o);
    }
    sqlite3_reset(st);
    size_t len;
    char *body = buf_detach(&b, &len);
    free(r->resp_body);
    r->status = 200;
    r->resp_body = body;
    r->resp_len = len;
    r->content_type = "text/event-stream; charset=utf-8";
}

static void alarm_transition(struct http_req *r, const char *to)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    struct audit_actor actor;
    kit_actor(r, &actor);
    int64_t now = timeutil_now();
    if (db_begin(r->db)) {
        http_error(r, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    sqlite3_stmt *st = db_stmt(
        r->db, !strcmp(to, "acknowledged")
                   ? "UPDATE alarms SET state = 'acknowledged', acknowledged_at = ?2, "
                     "acknowledged_by = ?3, updated_at = ?2 WHERE id = ?1 AND state = 'raised'"
                   : "UPDATE alarms SET state = 'cleared', cleared_at = ?2, updated_at = ?2 "
                     "WHERE id = ?1 AND state != 'cleared'");
    int changed = 0;
    if (st) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, now);
        if (!strcmp(to, "acknowledged"))
            sqlite3_bind_text(st, 3, actor.name, -1, SQLITE_STATIC);
        changed = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(db_handle(r->db)) : -1;
        sqlite3_reset(st);
    }
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", (long long)id);
    json_t *d = json_pack("{ss}", "state", to);
    if (changed <= 0 ||
        audit_append(r->db, &actor, !strcmp(to, "acknowledged") ? "alarm.ack" : "alarm.clear",
                     "alarm", sid, d) ||
        db_commit(r->db)) {
        db_rollback(r->db);
        json_decref(d);
        if (changed == 0)
            http_error(r, ERR_CONFLICT, "报警不存在或状态不允许此操作", NULL);
        else
            http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    json_decref(d);
    http_json(r, 200, json_pack("{sI ss}", "id", (json_int_t)id, "state", to));
}

static void api_alarm_ack(struct http_req *r)
{
    alarm_transition(r, "acknowledged");
}

static void api_alarm_clear(struct http_req *r)
{
    alarm_transition(r, "cleared");
}

static int alarm_int(json_t *in, const char *key, int lo, int hi, int def, int *out)
{
    json_t *v = json_object_get(in, key);
    if (!v || json_is_null(v)) {
        *out = def;
        return 0;
    }
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return -1;
    *out = (int)json_integer_value(v);
    return 0;
}

/* Inserts a rule ({name, factor, stations [codes], threshold, duration_hours,
 * escalate_minutes}); 0 or -1 with field/msg. Inside a write transaction. */
int alarm_rule_create(struct db *db, json_t *in, int64_t *id, const char **field, const char **msg)
{
    const char *name = json_string_value(json_object_get(in, "name"));
    const char *factor = json_string_value(json_object_get(in, "factor"));
    json_t *th = json_object_get(in, "threshold");
    json_t *set = json_object_get(in, "stations");
    int hours, esc;
    if (!name || !*name || text_check_field(name, 120, false)) {
        *field = "name", *msg = "规则名称必填";
        return -1;
    }
    if (alarm_factor(factor) < 0) {
        *field = "factor", *msg = "因子须为 so2、no2、co、o3、pm10、pm25 或 aqi";
        return -1;
    }
    if (!json_is_number(th) || json_number_value(th) <= 0 || json_number_value(th) > 100000) {
        *field = "threshold", *msg = "阈值须为正数";
        return -1;
    }
    if (alarm_int(in, "duration_hours", 1, 72, 1, &hours) ||
        alarm_int(in, "escalate_minutes", 0, 10080, 0, &esc)) {
        *field = "duration_hours", *msg = "持续小时 1..72，升级分钟 0..10080";
        return -1;
    }
    char *stations = NULL;
    if (set && !json_is_null(set)) {
        size_t i;
        json_t *v;
        if (!json_is_array(set) || json_array_size(set) > 500) {
            *field = "stations", *msg = "站点须为编码数组";
            return -1;
        }
        json_array_foreach(set, i, v) if (!json_is_string(v) ||
                                          !quality_station_find(db, json_string_value(v)))
        {
            *field = "stations", *msg = "含未知站点";
            return -1;
        }
        if (json_array_size(set))
            stations = json_dumps(set, JSON_COMPACT);
    }
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO alarm_rules (name, factor, stations, threshold, "
                                   "duration_hours, escalate_minutes, created_at) VALUES (?, ?, "
                                   "?, ?, ?, ?, ?)");
    if (!st) {
        free(stations);
        *field = NULL, *msg = "数据库错误";
        return -1;
    }
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, factor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, stations ? stations : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, llround(json_number_value(th) * 1000));
    sqlite3_bind_int(st, 5, hours);
    sqlite3_bind_int(st, 6, esc);
    sqlite3_bind_int64(st, 7, timeutil_now());
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    free(stations);
    if (rc != SQLITE_DONE) {
        *field = NULL, *msg = "数据库错误";
        return -1;
    }
    *id = sqlite3_last_insert_rowid(db_handle(db));
    return 0;
}

static void api_alarm_rules_list(struct http_req *r)
{
    sqlite3_stmt *st = db_stmt(r->db, "SELECT id, name, factor, stations, threshold, "
                                      "duration_hours, escalate_minutes, active FROM alarm_rules "
                                      "ORDER BY id");
    if (!st) {
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    json_t *items = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *set = (const char *)sqlite3_column_text(st, 3);
        json_t *stations = *set ? json_loads(set, 0, NULL) : json_array();
        json_array_append_new(items, json_pack("{sI ss ss so sf si si sb}", "id",
                                               (json_int_t)sqlite3_column_int64(st, 0), "name",
                                               (const char *)sqlite3_column_text(st, 1), "factor",
                                               (const char *)sqlite3_column_text(st, 2), "stations",
                                               stations ? stations : json_array(), "threshold",
                                               (double)sqlite3_column_int64(st, 4) / 1000,
                                               "duration_hours", sqlite3_column_int(st, 5),
                                               "escalate_minutes", sqlite3_column_int(st, 6),
                                               "active", sqlite3_column_int(st, 7)));
    }
    sqlite3_reset(st);
    http_json(r, 200, json_pack("{so}", "items", items));
}

static void api_write(struct http_req *r,
                      int (*fn)(struct db *, json_t *, int64_t *, const char **, const char **),
                      const char *action, const char *entity)
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
    char sid[24];
    if (fn(r->db, in, &id, &field, &msg)) {
        db_rollback(r->db);
        json_decref(in);
        http_error(r, ERR_INVALID_FIELD, msg, field);
        return;
    }
    snprintf(sid, sizeof sid, "%lld", (long long)id);
    if (audit_append(r->db, &actor, action, entity, sid, in) ||
        quality_alarms_check(r->db, timeutil_now()) || db_commit(r->db)) {
        db_rollback(r->db);
        json_decref(in);
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    json_decref(in);
    http_json(r, 201, json_pack("{sI}", "id", (json_int_t)id));
}

static void api_alarm_rule_create(struct http_req *r)
{
    api_write(r, alarm_rule_create, "alarm_rule.create", "alarm_rule");
}

/* ---- pollution sources ---- */

static int source_common(struct db *db, json_t *in, int64_t *ent, const char **outlet,
                         const char **factor, const char **field, const char **msg)
{
    json_t *e = json_object_get(in, "enterprise_id");
    *outlet = json_string_value(json_object_get(in, "outlet"));
    *factor = json_string_value(json_object_get(in, "factor"));
    if (!json_is_integer(e) || json_integer_value(e) <= 0) {
        *field = "enterprise_id", *msg = "企业 id 无效";
        return -1;
    }
    *ent = json_integer_value(e);
    sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM enterprises WHERE id = ?");
    int found = 0;
    if (st) {
        sqlite3_bind_int64(st, 1, *ent);
        found = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_reset(st);
    }
    if (!found) {
        *field = "enterprise_id", *msg = "没有该企业";
        return -1;
    }
    if (!*outlet || !**outlet || text_check_field(*outlet, 64, false)) {
        *field = "outlet", *msg = "排放口编号必填";
        return -1;
    }
    if (!*factor || !**factor || text_check_field(*factor, 32, false)) {
        *field = "factor", *msg = "因子必填";
        return -1;
    }
    return 0;
}

/* {enterprise_id, outlet, factor, limit (mg/m³ or mg/L), o2_ref (%, optional)} */
int source_limit_set(struct db *db, json_t *in, int64_t *id, const char **field, const char **msg)
{
    int64_t ent;
    const char *outlet, *factor;
    if (source_common(db, in, &ent, &outlet, &factor, field, msg))
        return -1;
    json_t *lim = json_object_get(in, "limit"), *o2 = json_object_get(in, "o2_ref");
    if (!json_is_number(lim) || json_number_value(lim) <= 0 || json_number_value(lim) > 1e6) {
        *field = "limit", *msg = "限值须为正数";
        return -1;
    }
    if (o2 && !json_is_null(o2) &&
        (!json_is_number(o2) || json_number_value(o2) < 0 || json_number_value(o2) >= 21)) {
        *field = "o2_ref", *msg = "基准氧含量须在 0..21 之间";
        return -1;
    }
    sqlite3_stmt *st = db_stmt(db, "INSERT OR REPLACE INTO source_limits (enterprise_id, outlet, "
                                   "factor, limit_value, o2_ref) VALUES (?, ?, ?, ?, ?)");
    if (!st) {
        *field = NULL, *msg = "数据库错误";
        return -1;
    }
    sqlite3_bind_int64(st, 1, ent);
    sqlite3_bind_text(st, 2, outlet, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, factor, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 4, json_number_value(lim));
    if (json_is_number(o2))
        sqlite3_bind_double(st, 5, json_number_value(o2));
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    *id = ent;
    if (rc != SQLITE_DONE) {
        *field = NULL, *msg = "数据库错误";
        return -1;
    }
    return 0;
}

/* The hand-over fields of a source value (all optional): HJ 212 data flag,
 * device health, observation time, monitoring point, unit, origin. */
struct source_meta {
    char flag;
    bool device_ok, converted;
    int64_t observed_at;
    const char *point, *unit, *source;
};

static int source_meta_get(json_t *in, const char *outlet, struct source_meta *m,
                           const char **field, const char **msg)
{
    static const char flags[] = "NFMSDCTB"; /* HJ 212 data flags */
    json_t *f = json_object_get(in, "flag"), *ok = json_object_get(in, "device_ok");
    json_t *t = json_object_get(in, "observed_at"), *conv = json_object_get(in, "converted");
    const char *fs = json_string_value(f);
    m->flag = 'N';
    if (f && !json_is_null(f)) {
        if (!fs || strlen(fs) != 1 || !strchr(flags, fs[0])) {
            *field = "flag", *msg = "数据标记须为 HJ 212 标记 N/F/M/S/D/C/T/B";
            return -1;
        }
        m->flag = fs[0];
    }
    if ((ok && !json_is_null(ok) && !json_is_boolean(ok)) ||
        (conv && !json_is_null(conv) && !json_is_boolean(conv))) {
        *field = ok && !json_is_boolean(ok) ? "device_ok" : "converted", *msg = "须为 true/false";
        return -1;
    }
    m->device_ok = !json_is_false(ok);
    m->converted = json_is_true(conv);
    m->observed_at = timeutil_now();
    if (t && !json_is_null(t)) {
        if (!json_is_integer(t) || json_integer_value(t) <= 0) {
            *field = "observed_at", *msg = "observed_at 须为 UTC 秒";
            return -1;
        }
        m->observed_at = json_integer_value(t);
    }
    static const char *const keys[] = {"point", "unit", "source"};
    const char **outs[] = {&m->point, &m->unit, &m->source};
    for (int i = 0; i < 3; i++) {
        json_t *v = json_object_get(in, keys[i]);
        *outs[i] = json_string_value(v);
        if ((v && !json_is_null(v) && !*outs[i]) ||
            (*outs[i] && text_check_field(*outs[i], i == 1 ? 16 : 64, false))) {
            *field = keys[i], *msg = "含非法字符或过长";
            return -1;
        }
    }
    if (!m->point || !*m->point)
        m->point = outlet;
    if (!m->source || !*m->source)
        m->source = "manual";
    if (strcmp(m->source, "manual") && strcmp(m->source, "hj212")) {
        *field = "source", *msg = "来源须为 manual 或 hj212";
        return -1;
    }
    return 0;
}

/* A measured value {enterprise_id, outlet, factor, value, o2 (measured %),
 * and the hand-over fields of source_meta_get}: converted to the reference O2
 * when the limit has one (折算 = C × (21 − O2ref) / (21 − O2); `converted`:
 * the value is the device's 折算 value already), compared with the permitted
 * limit; above it raises a 'source' alarm on the enterprise and hands it to
 * supervision (sup_alarm_feed, same transaction), within it clears an open
 * one. *id gets the alarm id (0 = none). */
int source_value_check(struct db *db, const struct audit_actor *actor, json_t *in, int64_t *id,
                       const char **field, const char **msg)
{
    int64_t ent;
    const char *outlet, *factor;
    struct source_meta meta;
    *id = 0;
    if (source_common(db, in, &ent, &outlet, &factor, field, msg) ||
        source_meta_get(in, outlet, &meta, field, msg))
        return -1;
    json_t *val = json_object_get(in, "value"), *o2 = json_object_get(in, "o2");
    if (!json_is_number(val) || json_number_value(val) < 0 || json_number_value(val) > 1e7) {
        *field = "value", *msg = "监测值须为非负数";
        return -1;
    }
    sqlite3_stmt *st = db_stmt(db, "SELECT limit_value, o2_ref FROM source_limits WHERE "
                                   "enterprise_id = ? AND outlet = ? AND factor = ?");
    if (!st) {
        *field = NULL, *msg = "数据库错误";
        return -1;
    }
    sqlite3_bind_int64(st, 1, ent);
    sqlite3_bind_text(st, 2, outlet, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, factor, -1, SQLITE_STATIC);
    double limit = -1, o2ref = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        limit = sqlite3_column_double(st, 0);
        o2ref = sqlite3_column_type(st, 1) == SQLITE_NULL ? -1 : sqlite3_column_double(st, 1);
    }
    sqlite3_reset(st);
    if (limit < 0) {
        *field = "outlet", *msg = "该排放口因子未登记许可限值";
        return -1;
    }
    double v = json_number_value(val);
    if (o2ref >= 0 && !meta.converted) {
        if (!json_is_number(o2) || json_number_value(o2) < 0 || json_number_value(o2) >= 20.9) {
            *field = "o2", *msg = "烟气须提供实测氧含量（0..20.9%）以折算";
            return -1;
        }
        v = v * (21 - o2ref) / (21 - json_number_value(o2));
    }
    v = round(v * 1000) / 1000;
    sqlite3_stmt *open = db_stmt(db, "SELECT id FROM alarms WHERE kind = 'source' AND "
                                     "enterprise_id = ?1 AND outlet = ?2 AND factor = ?3 AND "
                                     "state != 'cleared'");
    if (!open) {
        *field = NULL, *msg = "数据库错误";
        return -1;
    }
    sqlite3_bind_int64(open, 1, ent);
    sqlite3_bind_text(open, 2, outlet, -1, SQLITE_STATIC);
    sqlite3_bind_text(open, 3, factor, -1, SQLITE_STATIC);
    int64_t existing = sqlite3_step(open) == SQLITE_ROW ? sqlite3_column_int64(open, 0) : 0;
    sqlite3_reset(open);
    int64_t now = timeutil_now();
    int rc = SQLITE_DONE;
    if (v > limit && !existing) {
        char m[256];
        snprintf(m, sizeof m, "排放口 %s 的 %s %s值 %.3f 超过许可限值 %.3f", outlet, factor,
                 o2ref >= 0 ? "折算" : "实测", v, limit);
        sqlite3_stmt *ins = db_stmt(
            db, "INSERT INTO alarms (kind, enterprise_id, outlet, factor, value, limit_value, "
                "message, state, raised_at, updated_at) VALUES ('source', ?, ?, ?, ?, ?, ?, "
                "'raised', ?, ?)");
        if (!ins) {
            *field = NULL, *msg = "数据库错误";
            return -1;
        }
        sqlite3_bind_int64(ins, 1, ent);
        sqlite3_bind_text(ins, 2, outlet, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, factor, -1, SQLITE_STATIC);
        sqlite3_bind_double(ins, 4, v);
        sqlite3_bind_double(ins, 5, limit);
        sqlite3_bind_text(ins, 6, m, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(ins, 7, now);
        sqlite3_bind_int64(ins, 8, now);
        rc = sqlite3_step(ins);
        sqlite3_reset(ins);
        *id = sqlite3_last_insert_rowid(db_handle(db));
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
                                     meta.unit ? meta.unit : (o2ref >= 0 ? "mg/m³" : ""),
                                     meta.observed_at,
                                     meta.flag,
                                     meta.device_ok,
                                     v >= SOURCE_SERIOUS_TIMES * limit};
        struct problem p = {0};
        int64_t sup_id = 0;
        if (rc == SQLITE_DONE && sup_alarm_feed(db, actor, &sa, &sup_id, &p)) {
            *field = p.field, *msg = "报警无法移交监管执法";
            return -1;
        }
    } else if (v <= limit && existing) {
        sqlite3_stmt *up = db_stmt(db, "UPDATE alarms SET state = 'cleared', cleared_at = ?2, "
                                       "updated_at = ?2 WHERE id = ?1");
        if (!up) {
            *field = NULL, *msg = "数据库错误";
            return -1;
        }
        sqlite3_bind_int64(up, 1, existing);
        sqlite3_bind_int64(up, 2, now);
        rc = sqlite3_step(up);
        sqlite3_reset(up);
    } else {
        *id = existing;
    }
    if (rc != SQLITE_DONE) {
        *field = NULL, *msg = "数据库错误";
        return -1;
    }
    return 0;
}

static void api_source_limit(struct http_req *r)
{
    api_write(r, source_limit_set, "source_limit.set", "enterprise");
}

static void api_source_value(struct http_req *r)
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
    if (source_value_check(r->db, &actor, in, &id, &field, &msg)) {
        db_rollback(r->db);
        json_decref(in);
        http_error(r, ERR_INVALID_FIELD, msg, field);
        return;
    }
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", (long long)id);
    if (audit_append(r->db, &actor, "source_value.check", "alarm", sid, in) || db_commit(r->db)) {
        db_rollback(r->db);
        json_decref(in);
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    json_decref(in);
    http_json(r, 201, json_pack("{sI}", "id", (json_int_t)id));
}

#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define STAFF ROLE_BIT(ROLE_STAFF)

static const struct route alarm_table[] = {
    {HTTP_GET, "/api/v1/quality/alarms", api_alarms_list, ROLES_LOGGED_IN, 0},
    {HTTP_GET, "/api/v1/quality/alarms/stream", api_alarms_stream, ROLES_BUREAU, 0},
    {HTTP_POST, "/api/v1/quality/alarms/{id}/ack", api_alarm_ack, ROLES_BUREAU, 0},
    {HTTP_POST, "/api/v1/quality/alarms/{id}/clear", api_alarm_clear, ADMIN | STAFF, 0},
    {HTTP_GET, "/api/v1/quality/alarm-rules", api_alarm_rules_list, ROLES_BUREAU, 0},
    {HTTP_POST, "/api/v1/quality/alarm-rules", api_alarm_rule_create, ADMIN | STAFF, 0},
    {HTTP_POST, "/api/v1/quality/source-limits", api_source_limit, ADMIN | STAFF, 0},
    {HTTP_POST, "/api/v1/quality/source-values", api_source_value, ADMIN | STAFF, 0},
};

const struct route_group app_quality_alarm_routes = ROUTE_GROUP("quality-alarms", alarm_table);

/* Demo: two rules; their first check raises what the demo data deserves. */
int demo_quality_alarms(struct db *db, const struct audit_actor *actor)
{
    json_t *rules[] = {
        json_pack("{ss ss sf si si}", "name", "PM2.5 小时浓度超 75", "factor", "pm25", "threshold",
                  75.0, "duration_hours", 2, "escalate_minutes", 60),
        json_pack("{ss ss sf si si}", "name", "小时 AQI 超 150（中度污染）", "factor", "aqi",
                  "threshold", 150.0, "duration_hours", 1, "escalate_minutes", 30),
    };
    if (db_begin(db))
        return -1;
    int bad = 0;
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        const char *field, *msg;
        int64_t id = 0;
        char sid[24];
        bad = bad || alarm_rule_create(db, rules[i], &id, &field, &msg);
        snprintf(sid, sizeof sid, "%lld", (long long)id);
        bad = bad || audit_append(db, actor, "alarm_rule.create", "alarm_rule", sid, rules[i]);
        json_decref(rules[i]);
    }
    bad = bad || quality_alarms_check(db, timeutil_now());
    /* Enterprise 1's kiln flue: SO2 permitted 100 mg/m³ at 9 % O2; a reading
     * of 80 at 15 % O2 converts to 160 and raises an alarm on its record. */
    json_t *lim = json_pack("{si ss ss sf sf}", "enterprise_id", 1, "outlet", "DA001", "factor",
                            "so2", "limit", 100.0, "o2_ref", 9.0);
    json_t *val = json_pack("{si ss ss sf sf}", "enterprise_id", 1, "outlet", "DA001", "factor",
                            "so2", "value", 80.0, "o2", 15.0);
    const char *field, *msg;
    int64_t id = 0;
    bad = bad || source_limit_set(db, lim, &id, &field, &msg) ||
          audit_append(db, actor, "source_limit.set", "enterprise", "1", lim) ||
          source_value_check(db, actor, val, &id, &field, &msg) ||
          audit_append(db, actor, "source_value.check", "alarm", "demo", val);
    json_decref(lim);
    json_decref(val);
    if (bad) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db);
}
