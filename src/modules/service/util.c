/* service_util — input checks, audit and row helpers shared by the service
 * files (declared in service.h). */
#include "modules/service/service.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "db/db.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void svc_ctx_clock(struct svc_ctx *c)
{
    c->now = timeutil_now();
    int64_t local = c->now + TIMEUTIL_BEIJING_OFFSET;
    c->today = (int32_t)(local >= 0 ? local / 86400 : (local - 86399) / 86400);
}

int svc_fail(struct problem *p, enum err e, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    problem_vset(p, e, field, fmt, ap);
    va_end(ap);
    return -1;
}

int svc_text(json_t *in, const char *key, const char *label, size_t max, bool required,
             bool multiline, const char **out, struct problem *p)
{
    json_t *v = json_object_get(in, key);
    *out = "";
    if (v && !json_is_null(v) && !json_is_string(v))
        return svc_fail(p, ERR_INVALID_FIELD, key, "%s必须是文本", label);
    const char *s = json_string_value(v);
    if (s) {
        enum text_check tc = text_check_field(s, max, multiline);
        if (tc != TEXT_OK)
            return svc_fail(p, ERR_INVALID_FIELD, key, "%s%s", label, text_check_message(tc));
        *out = s;
    }
    const char *t = *out;
    while (*t == ' ' || *t == '\n' || *t == '\t')
        t++;
    if (required && !*t)
        return svc_fail(p, ERR_INVALID_FIELD, key, "%s不能为空", label);
    return 0;
}

int svc_int(json_t *in, const char *key, const char *label, long long lo, long long hi,
            bool required, long long *out, struct problem *p)
{
    json_t *v = json_object_get(in, key);
    if (!v || json_is_null(v)) {
        if (required)
            return svc_fail(p, ERR_INVALID_FIELD, key, "%s不能为空", label);
        return 1; /* absent: *out untouched */
    }
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return svc_fail(p, ERR_INVALID_FIELD, key, "%s须为 %lld 至 %lld 的整数", label, lo, hi);
    *out = json_integer_value(v);
    return 0;
}

int svc_id(json_t *in, const char *key, const char *label, int64_t *out, struct problem *p)
{
    long long v = 0;
    *out = 0;
    int rc = svc_int(in, key, label, 1, INT64_MAX, false, &v, p);
    if (rc < 0)
        return -1;
    *out = rc ? 0 : v;
    return 0;
}

int svc_date(json_t *in, const char *key, const char *label, bool required, int32_t *day,
             struct problem *p)
{
    json_t *v = json_object_get(in, key);
    if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v))) {
        if (required)
            return svc_fail(p, ERR_INVALID_FIELD, key, "%s不能为空", label);
        return 1;
    }
    if (!json_is_string(v) || calendar_parse_date(json_string_value(v), day))
        return svc_fail(p, ERR_INVALID_FIELD, key, "%s须为 YYYY-MM-DD 格式的日期", label);
    return 0;
}

enum err svc_db_fail(struct svc_ctx *c, struct problem *p)
{
    db_rollback(c->db);
    svc_fail(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    return ERR_INTERNAL;
}

int svc_audit(struct svc_ctx *c, const char *action, const char *entity, int64_t id, json_t *detail)
{
    char idtext[24];
    snprintf(idtext, sizeof idtext, "%lld", (long long)id);
    return audit_append(c->db, &c->actor, action, entity, idtext, detail);
}

int64_t svc_user_enterprise(const struct svc_ctx *c)
{
    return c->user && c->user->role == ROLE_ENTERPRISE ? c->user->enterprise_id : 0;
}

bool svc_is_bureau(const struct svc_ctx *c)
{
    return c->user && (c->user->role == ROLE_STAFF || c->user->role == ROLE_LEADER ||
                       c->user->role == ROLE_ADMIN);
}

static bool svc_exists(struct svc_ctx *c, const char *sql, int64_t id)
{
    sqlite3_stmt *st = db_stmt(c->db, sql);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, id);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return found;
}

bool svc_enterprise_exists(struct svc_ctx *c, int64_t id)
{
    return svc_exists(c, "SELECT 1 FROM enterprises WHERE id = ?", id);
}

bool svc_section_exists(struct svc_ctx *c, int64_t id)
{
    return svc_exists(c, "SELECT 1 FROM sections WHERE id = ?", id);
}

bool svc_bureau_user(struct svc_ctx *c, int64_t id, int64_t *section)
{
    sqlite3_stmt *st = db_stmt(c->db, "SELECT coalesce(section_id, 0) FROM users WHERE id = ? "
                                      "AND role IN ('staff', 'leader', 'admin') AND disabled = 0");
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, id);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found && section)
        *section = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return found;
}

static json_t *svc_column(sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
        return json_integer(sqlite3_column_int64(st, i));
    case SQLITE_FLOAT:
        return json_real(sqlite3_column_double(st, i));
    case SQLITE_TEXT:
        return json_stringn((const char *)sqlite3_column_text(st, i),
                            (size_t)sqlite3_column_bytes(st, i));
    default:
        return json_null();
    }
}

static json_t *svc_row_object(sqlite3_stmt *st)
{
    json_t *o = json_object();
    for (int i = 0; i < sqlite3_column_count(st); i++)
        json_object_set_new(o, sqlite3_column_name(st, i), svc_column(st, i));
    return o;
}

json_t *svc_rows(sqlite3_stmt *st)
{
    json_t *a = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(a, svc_row_object(st));
    sqlite3_reset(st);
    return a;
}

json_t *svc_row(sqlite3_stmt *st)
{
    json_t *o = sqlite3_step(st) == SQLITE_ROW ? svc_row_object(st) : NULL;
    sqlite3_reset(st);
    return o;
}

void svc_date_text(int32_t day, char out[11])
{
    calendar_format_date(day, out);
}
