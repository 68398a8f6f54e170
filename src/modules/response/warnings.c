/* response warnings — the heavy-pollution warning the bureau manages: the
 * level the published forecasts call for (domain/warning over merged
 * episodes), and a leader's decisions — issue, upgrade, downgrade, lift —
 * each with its effective time (now or in the past, never ahead), recorded
 * as an event and in the audit log. At most one warning is active. */
#include "modules/response/rules.h"

#include "app/field.h"
#include "db/db.h"
#include "domain/aqi.h"
#include "domain/calendar.h"
#include "domain/warning.h"

#include <stdio.h>
#include <string.h>

#define RESP_REASON_MAX 2000
#define RESP_BEIJING_OFFSET (8 * 3600)

static const char *const resp_levels[] = {"yellow", "orange", "red", NULL};
static const char *const resp_actions[] = {"upgrade", "downgrade", "lift", NULL};

/* "YYYY-MM-DD HH:MM[:SS]" or with 'T', Beijing time, optionally followed by
 * "+08:00": UTC seconds, or -1. */
static int64_t resp_parse_time(const char *s)
{
    char date[11];
    int h = -1, m = -1, sec = 0, used = 0;
    if (strlen(s) < 16 || (s[10] != 'T' && s[10] != ' '))
        return -1;
    memcpy(date, s, 10);
    date[10] = '\0';
    int32_t day;
    if (calendar_parse_date(date, &day))
        return -1;
    const char *t = s + 11;
    if (sscanf(t, "%2d:%2d%n", &h, &m, &used) != 2 || used != 5)
        return -1;
    t += used;
    if (t[0] == ':') {
        if (sscanf(t, ":%2d%n", &sec, &used) != 1 || used != 3)
            return -1;
        t += used;
    }
    if (*t && strcmp(t, "+08:00"))
        return -1;
    if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59)
        return -1;
    return (int64_t)day * 86400 + h * 3600 + m * 60 + sec - RESP_BEIJING_OFFSET;
}

/* effective_at: absent = now; a time in the future is refused. */
static enum err resp_read_effective(struct resp_ctx *c, json_t *in, int64_t *at, struct problem *p)
{
    const char *s;
    if (field_text(in, "effective_at", "生效时间", 40, FIELD_EMPTY_ABSENT, &s, p))
        return p->err;
    if (!*s) {
        *at = c->now;
        return ERR_OK;
    }
    *at = resp_parse_time(s);
    if (*at < 0)
        return problem_set(p, ERR_INVALID_FIELD, "effective_at",
                           "生效时间格式为 YYYY-MM-DD HH:MM（北京时间）");
    if (*at > c->now + 60)
        return problem_set(p, ERR_INVALID_FIELD, "effective_at", "生效时间不能晚于当前时间");
    return ERR_OK;
}

json_t *resp_warning_get(struct db *db, int64_t id)
{
    json_t *w = resp_store_warning_get(db, id);
    if (!w)
        return NULL;
    json_t *ev = resp_store_warning_events(db, id);
    json_object_set_new(w, "events", ev ? ev : json_array());
    return w;
}

json_t *resp_warnings(struct db *db, int limit)
{
    return resp_store_warnings(db, limit);
}

/* The city's forecast upper bounds from today (or tomorrow, when nothing is
 * forecast for today) on, as far as they run without a gap. *first is the
 * first day's number. */
static size_t resp_forecast_days(struct db *db, const char *today, int aqi[RESP_LEAD_MAX + 1],
                                 json_t *days, int32_t *first)
{
    json_t *list = resp_store_outlook(db, RESP_CITY, today);
    int32_t d0 = resp_day(today);
    size_t n = 0;
    size_t i;
    json_t *f;
    *first = d0;
    json_array_foreach(list, i, f)
    {
        int32_t day = resp_day(json_string_value(json_object_get(f, "day")));
        if (n == 0 && day == d0 + 1)
            *first = day;
        if (n > RESP_LEAD_MAX || day != *first + (int32_t)n)
            break;
        aqi[n++] = (int)json_integer_value(json_object_get(f, "aqi_hi"));
        json_array_append(days, f);
    }
    json_decref(list);
    return n;
}

json_t *resp_warning_proposal(struct db *db, const char *today)
{
    int aqi[RESP_LEAD_MAX + 1];
    json_t *days = json_array();
    int32_t d0;
    size_t n = resp_forecast_days(db, today, aqi, days, &d0);
    struct warning_grade g;
    if (warning_grade_merged(aqi, n, WARNING_DAILY, &g)) {
        json_decref(days);
        return NULL;
    }
    json_t *active = NULL;
    if (resp_store_warning_active(db, &active) < 0) {
        json_decref(days);
        return NULL;
    }
    int cur = active ? warning_level_parse(json_string_value(json_object_get(active, "level")))
                     : WARNING_NONE;
    const char *action = g.level == (enum warning_level)cur ? "keep"
                         : cur == WARNING_NONE              ? "issue"
                         : g.level == WARNING_NONE          ? "lift"
                         : (int)g.level > cur               ? "upgrade"
                                                            : "downgrade";
    char from[11] = "", to[11] = "";
    if (g.level != WARNING_NONE) {
        calendar_format_date(d0 + (int32_t)g.first, from);
        calendar_format_date(d0 + (int32_t)g.last, to);
    }
    return json_pack("{ss ss* ss* ss ss so so}", "level", warning_level_name(g.level),
                     "expected_from", *from ? from : NULL, "expected_to", *to ? to : NULL, "action",
                     action, "basis", "forecast_aqi_hi", "days", days, "active",
                     active ? active : json_null());
}

enum err resp_warning_issue(struct resp_ctx *c, json_t *in, json_t **out, struct problem *p)
{
    const char *level, *reason;
    char from[11], to[11];
    int64_t at;
    if (field_choice(in, "level", "预警级别", resp_levels, FIELD_REQUIRED, NULL, &level, p) ||
        field_text(in, "reason", "发布理由", RESP_REASON_MAX, FIELD_REQUIRED | FIELD_MULTILINE,
                   &reason, p) ||
        field_date(in, "expected_from", "预计开始日期", FIELD_OPTIONAL, from, p) ||
        field_date(in, "expected_to", "预计结束日期", FIELD_OPTIONAL, to, p) ||
        resp_read_effective(c, in, &at, p))
        return p->err;
    if (*from && *to && strcmp(from, to) > 0)
        return problem_set(p, ERR_INVALID_FIELD, "expected_to", "预计结束日期不能早于开始日期");
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    json_t *active = NULL;
    int has = resp_store_warning_active(c->db, &active);
    json_decref(active);
    if (has) {
        db_rollback(c->db);
        return has < 0 ? problem_set(p, ERR_INTERNAL, NULL, "数据库错误")
                       : problem_set(p, ERR_INVALID_STATE, NULL,
                                     "已有生效中的预警，请调整级别或解除后再发布");
    }
    int64_t id = 0;
    int rc = resp_store_warning_insert(c->db, level, at, from, to, reason, c->actor->name, &id);
    rc =
        rc || resp_store_warning_event(c->db, id, "issue", NULL, level, at, reason, c->actor->name);
    rc = rc || resp_tasks_dispatch(c, id, level);
    if (rc || audit_append_id(c->db, c->actor, "response.warning.issue", "resp_warning", id, in) ||
        db_commit(c->db))
        return resp_internal(c, p);
    *out = resp_warning_get(c->db, id);
    return ERR_OK;
}

/* The change an action makes to a warning at `cur`: the new level and
 * status, or a refusal. */
static enum err resp_change_check(const char *action, const char *cur, const char **level,
                                  struct problem *p)
{
    if (!strcmp(action, "lift")) {
        *level = cur;
        return ERR_OK;
    }
    if (!*level)
        return problem_set(p, ERR_INVALID_FIELD, "level", "调整预警须给出新的级别");
    int from = warning_level_parse(cur), to = warning_level_parse(*level);
    if (!strcmp(action, "upgrade") && to <= from)
        return problem_set(p, ERR_INVALID_FIELD, "level", "升级须高于当前级别");
    if (!strcmp(action, "downgrade") && to >= from)
        return problem_set(p, ERR_INVALID_FIELD, "level", "降级须低于当前级别");
    return ERR_OK;
}

enum err resp_warning_change(struct resp_ctx *c, int64_t id, json_t *in, json_t **out,
                             struct problem *p)
{
    const char *action, *level = NULL, *reason;
    int64_t at;
    if (field_choice(in, "action", "操作", resp_actions, FIELD_REQUIRED, NULL, &action, p) ||
        field_choice(in, "level", "预警级别", resp_levels, FIELD_OPTIONAL, NULL, &level, p) ||
        field_text(in, "reason", "理由", RESP_REASON_MAX, FIELD_REQUIRED | FIELD_MULTILINE, &reason,
                   p) ||
        resp_read_effective(c, in, &at, p))
        return p->err;
    json_t *w = resp_store_warning_get(c->db, id);
    if (!w)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该预警");
    char cur[8];
    snprintf(cur, sizeof cur, "%s", json_string_value(json_object_get(w, "level")));
    bool active = !strcmp(json_string_value(json_object_get(w, "status")), "active");
    int64_t since = json_integer_value(json_object_get(w, "effective_at"));
    json_decref(w);
    if (!active)
        return problem_set(p, ERR_INVALID_STATE, NULL, "该预警已解除");
    if (at < since)
        return problem_set(p, ERR_INVALID_FIELD, "effective_at", "生效时间不能早于预警发布时间");
    if (resp_change_check(action, cur, &level, p))
        return p->err;
    bool lift = !strcmp(action, "lift");
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    int rc = resp_store_warning_set(c->db, id, level, lift ? "lifted" : "active", lift ? at : 0);
    rc = rc || resp_store_warning_event(c->db, id, action, cur, lift ? NULL : level, at, reason,
                                        c->actor->name);
    rc = rc || (lift ? resp_tasks_lifted(c, id) : resp_tasks_dispatch(c, id, level));
    char audit_action[40];
    snprintf(audit_action, sizeof audit_action, "response.warning.%s", action);
    if (rc || audit_append_id(c->db, c->actor, audit_action, "resp_warning", id, in) ||
        db_commit(c->db))
        return resp_internal(c, p);
    *out = resp_warning_get(c->db, id);
    return ERR_OK;
}

/* Health advice of the AQI level a warning level stands for: yellow is
 * heavy (重度污染, level 5) for two days, orange and red reach severe
 * (严重污染, level 6) — the texts of HJ 633 Table 2. */
static json_t *resp_health(const char *level)
{
    int aqi_level = !strcmp(level, "yellow") ? 5 : 6;
    const struct aqi_category *cat = aqi_category_info(AQI_STD_2026, aqi_level);
    return json_pack("{ss ss ss ss}", "category", cat->name_zh, "color", cat->hex, "health",
                     cat->health_zh, "advice", cat->advice_zh);
}

json_t *resp_warning_public(struct db *db)
{
    json_t *w = NULL;
    int has = resp_store_warning_active(db, &w);
    if (has < 0)
        return NULL;
    if (!has)
        return json_pack("{sn}", "active");
    const char *level = json_string_value(json_object_get(w, "level"));
    json_t *out =
        json_pack("{sI ss ss sI sO sO so}", "id", json_integer_value(json_object_get(w, "id")),
                  "level", level, "level_zh", warning_level_zh(warning_level_parse(level)),
                  "effective_at", json_integer_value(json_object_get(w, "effective_at")),
                  "expected_from", json_object_get(w, "expected_from"), "expected_to",
                  json_object_get(w, "expected_to"), "health", resp_health(level));
    json_decref(w);
    return json_pack("{so}", "active", out);
}
