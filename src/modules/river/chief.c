/* river chief — the chiefs (河湖长) at city, county, township and village
 * level with their reaches, the patrol interval each level owes, and who is
 * behind on it. */
#include "app/field.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "domain/phone.h"
#include "domain/river_rules.h"
#include "modules/river/rules.h"
#include "modules/river/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RIVER_CHIEF_MAX_REACHES 50

static const char *const river_levels[] = {"city", "county", "township", "village", NULL};
static const char *const river_roles[] = {"chief", "deputy", NULL};

/* The chief's fields (not his reaches). */
static int river_chief_fields(struct river_ctx *c, json_t *in, int64_t self,
                              struct river_chief_row *r, struct problem *p)
{
    memset(r, 0, sizeof *r);
    r->now = c->s.now;
    if (field_text(in, "name", "姓名", 64, FIELD_REQUIRED, &r->name, p) ||
        field_choice(in, "level", "层级", river_levels, FIELD_REQUIRED, NULL, &r->level, p) ||
        field_text(in, "title", "职务", 128, FIELD_OPTIONAL, &r->title, p) ||
        field_text(in, "phone", "联系电话", PHONE_MAX, FIELD_REQUIRED, &r->phone, p) ||
        field_text(in, "duties", "职责", 2000, FIELD_MULTILINE, &r->duties, p) ||
        field_id(in, "user_id", "登录账号", FIELD_OPTIONAL, &r->user_id, p))
        return -1;
    if (!phone_ok(r->phone))
        return problem_set(p, ERR_INVALID_FIELD, "phone", PHONE_RULE_ZH), -1;
    if (r->user_id && !river_store_user_usable(c->s.db, r->user_id))
        return problem_set(p, ERR_INVALID_FIELD, "user_id", "登录账号须为本局在用账号"), -1;
    int64_t other = r->user_id ? river_store_chief_of_user(c->s.db, r->user_id) : 0;
    if (other && other != self)
        return problem_set(p, ERR_CONFLICT, "user_id", "该账号已关联其他河湖长"), -1;
    return 0;
}

/* Checks the reaches list and writes it (inside the transaction). */
static int river_chief_reaches(struct river_ctx *c, int64_t chief, json_t *in, struct problem *p)
{
    json_t *list = json_object_get(in, "reaches");
    if (!list || json_is_null(list))
        return 0;
    if (!json_is_array(list) || json_array_size(list) > RIVER_CHIEF_MAX_REACHES)
        return problem_set(p, ERR_INVALID_FIELD, "reaches", "河段须为至多 50 项的数组"), -1;
    if (river_store_chief_reaches_clear(c->s.db, chief))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误"), -1;
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o)
    {
        int64_t reach;
        const char *role;
        char since[11];
        if (!json_is_object(o))
            return problem_set(p, ERR_INVALID_FIELD, "reaches", "河段须为对象"), -1;
        if (field_id(o, "reach_id", "河段", FIELD_REQUIRED, &reach, p) ||
            field_choice(o, "role", "担任", river_roles, FIELD_OPTIONAL, "chief", &role, p) ||
            field_date(o, "since", "任职日期", FIELD_PAST | FIELD_EMPTY_ABSENT, since, p)) {
            p->field = "reaches";
            return -1;
        }
        if (!*since)
            calendar_format_date(c->s.today, since);
        if (river_store_reach_in_scope(c->s.db, reach, 0) != 1)
            return problem_set(p, ERR_INVALID_FIELD, "reaches", "河段不存在"), -1;
        enum err e = river_store_chief_reach_add(c->s.db, chief, reach, role, since);
        if (e == ERR_CONFLICT)
            return problem_set(p, ERR_INVALID_FIELD, "reaches", "同一河段重复"), -1;
        if (e)
            return problem_set(p, ERR_INTERNAL, NULL, "数据库错误"), -1;
    }
    return 0;
}

static enum err river_chief_write(struct river_ctx *c, int64_t *id, json_t *in, struct problem *p)
{
    struct river_chief_row r;
    if (river_may_edit(c, p))
        return p->err;
    if (!json_is_object(in))
        return problem_set(p, ERR_INVALID_FIELD, NULL, "请求体须为 JSON 对象");
    json_t *old = *id ? river_store_chief(c->s.db, *id) : NULL;
    if (*id && !old)
        return ERR_NOT_FOUND;
    json_decref(old);
    if (river_chief_fields(c, in, *id, &r, p))
        return p->err;
    if (db_begin(c->s.db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    bool created = !*id;
    int rc = created ? river_store_chief_insert(c->s.db, &r, id)
                     : river_store_chief_update(c->s.db, *id, &r);
    if (rc || river_chief_reaches(c, *id, in, p) ||
        audit_append_id(c->s.db, &c->s.actor, created ? "river.chief.create" : "river.chief.update",
                        "river_chiefs", *id, in) ||
        db_commit(c->s.db)) {
        db_rollback(c->s.db);
        return p->err ? p->err : problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    return ERR_OK;
}

enum err river_chief_create(struct river_ctx *c, json_t *in, int64_t *id, struct problem *p)
{
    *id = 0;
    return river_chief_write(c, id, in, p);
}

enum err river_chief_update(struct river_ctx *c, int64_t id, json_t *in, struct problem *p)
{
    return river_chief_write(c, &id, in, p);
}

json_t *river_chiefs(struct river_ctx *c)
{
    return river_store_chiefs(c->s.db, c->chief);
}

json_t *river_chief_get(struct river_ctx *c, int64_t id)
{
    json_t *o = river_store_chief(c->s.db, id);
    if (o && c->chief && id != c->chief) {
        json_t *mine = river_store_chiefs(c->s.db, c->chief), *x;
        size_t i;
        bool shared = false;
        json_array_foreach(mine, i, x) shared |= json_integer_value(json_object_get(x, "id")) == id;
        json_decref(mine);
        if (!shared)
            json_decref(o), o = NULL;
    }
    return o;
}

json_t *river_intervals(struct river_ctx *c)
{
    json_t *rows = river_store_intervals(c->s.db);
    size_t i;
    json_t *o;
    json_array_foreach(rows, i, o)
    {
        int l = river_level_parse(json_string_value(json_object_get(o, "level")));
        json_object_set_new(o, "name", json_string(river_level_name((enum river_level)l)));
        json_object_set_new(o, "default_days",
                            json_integer(river_level_default_days((enum river_level)l)));
    }
    return rows ? json_pack("{so}", "levels", rows) : NULL;
}

enum err river_intervals_set(struct river_ctx *c, json_t *in, struct problem *p)
{
    int64_t days[RIVER_LEVELS];
    if (river_may_edit(c, p))
        return p->err;
    for (int l = 0; l < RIVER_LEVELS; l++)
        if (field_int(in, river_level_code((enum river_level)l),
                      river_level_name((enum river_level)l), 1, 366, FIELD_OPTIONAL, 0, &days[l],
                      p))
            return p->err;
    if (db_begin(c->s.db))
        return ERR_INTERNAL;
    for (int l = 0; l < RIVER_LEVELS; l++)
        if (days[l] &&
            river_store_interval_set(c->s.db, river_level_code((enum river_level)l), days[l])) {
            db_rollback(c->s.db);
            return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
        }
    if (audit_append(c->s.db, &c->s.actor, "river.intervals.set", "river_patrol_intervals", "*",
                     in) ||
        db_commit(c->s.db)) {
        db_rollback(c->s.db);
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    return ERR_OK;
}

static int river_behind_cmp(const void *a, const void *b)
{
    int64_t x = json_integer_value(json_object_get(*(json_t *const *)a, "days_behind"));
    int64_t y = json_integer_value(json_object_get(*(json_t *const *)b, "days_behind"));
    if (x != y)
        return x < y ? 1 : -1;
    x = json_integer_value(json_object_get(*(json_t *const *)a, "chief_id"));
    y = json_integer_value(json_object_get(*(json_t *const *)b, "chief_id"));
    return x < y ? -1 : x > y;
}

json_t *river_behind(struct river_ctx *c, bool all)
{
    json_t *rows = river_store_duties(c->s.db, c->chief);
    if (!rows)
        return NULL;
    size_t n = json_array_size(rows), k = 0;
    json_t **keep = calloc(n ? n : 1, sizeof *keep);
    if (!keep) {
        json_decref(rows);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(rows, i);
        int32_t since = 0, last = -1;
        calendar_parse_date(json_string_value(json_object_get(o, "since")), &since);
        const char *lp = json_string_value(json_object_get(o, "last_patrol"));
        if (lp && calendar_parse_date(lp, &last))
            last = -1;
        int interval = (int)json_integer_value(json_object_get(o, "interval_days"));
        int behind = river_days_behind(since, last, c->s.today, interval);
        char due[11];
        calendar_format_date((last > since ? last : since) + interval, due);
        json_object_set_new(o, "due", json_string(due));
        json_object_set_new(o, "days_behind", json_integer(behind));
        if (all || behind > 0)
            keep[k++] = o;
    }
    qsort(keep, k, sizeof *keep, river_behind_cmp);
    json_t *out = json_array();
    for (size_t i = 0; i < k; i++)
        json_array_append(out, keep[i]);
    free(keep);
    json_decref(rows);
    return out;
}
