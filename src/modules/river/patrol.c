/* river patrol — a chief's patrol (巡河) from his phone: started on one of
 * his reaches, the browser's GPS fixes posted in batches and checked
 * (domain/river_rules.h: order, gaps, speed, accuracy), ended with a note;
 * problems seen on the way (problem.c). */
#include "app/field.h"
#include "db/db.h"
#include "domain/calendar.h"
#include "domain/river_rules.h"
#include "modules/river/rules.h"
#include "modules/river/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum err river_db_fail(struct river_ctx *c, struct problem *p)
{
    db_rollback(c->s.db);
    return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
}

/* The caller's open patrol id: his own, open. */
static enum err river_own_patrol(struct river_ctx *c, int64_t id, json_t **row, struct problem *p)
{
    *row = NULL;
    if (!c->chief)
        return problem_set(p, ERR_FORBIDDEN, NULL, "只有关联账号的河湖长才能巡河");
    json_t *o = river_store_patrol(c->s.db, id, c->chief);
    if (!o || json_integer_value(json_object_get(o, "chief_id")) != c->chief) {
        json_decref(o);
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该巡河记录");
    }
    const char *status = json_string_value(json_object_get(o, "status"));
    if (!status || strcmp(status, "open")) {
        json_decref(o);
        return problem_set(p, ERR_INVALID_STATE, NULL, "巡河已结束");
    }
    *row = o;
    return ERR_OK;
}

enum err river_patrol_start(struct river_ctx *c, json_t *in, int64_t *id, struct problem *p)
{
    int64_t reach;
    if (!c->chief)
        return problem_set(p, ERR_FORBIDDEN, NULL, "只有关联账号的河湖长才能巡河");
    if (field_id(in, "reach_id", "河段", FIELD_REQUIRED, &reach, p))
        return p->err;
    int mine = river_store_reach_in_scope(c->s.db, reach, c->chief);
    if (mine < 0)
        return ERR_INTERNAL;
    if (!mine)
        return problem_set(p, ERR_INVALID_FIELD, "reach_id", "只能巡查本人负责的河段");
    char day[11];
    calendar_format_date(c->s.today, day);
    if (db_begin(c->s.db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    int64_t open = river_store_patrol_open(c->s.db, c->chief);
    if ((open && (river_store_patrol_end(c->s.db, open, c->s.now, "开始新的巡河时自动结束") ||
                  audit_append_id(c->s.db, &c->s.actor, "river.patrol.end", "river_patrols", open,
                                  NULL))) ||
        river_store_patrol_insert(c->s.db, c->chief, reach, c->s.now, day, c->s.actor.id, id) ||
        audit_append_id(c->s.db, &c->s.actor, "river.patrol.start", "river_patrols", *id, in) ||
        db_commit(c->s.db))
        return river_db_fail(c, p);
    return ERR_OK;
}

/* Reads the fixes array into fix (capacity RIVER_FIXES_PER_POST); a time
 * over 1e11 is milliseconds (what the browser gives), rounded down. */
static int river_read_fixes(json_t *list, struct river_fix *fix, size_t *n, struct problem *p)
{
    if (!json_is_array(list) || !json_array_size(list) ||
        json_array_size(list) > RIVER_FIXES_PER_POST)
        return problem_set(p, ERR_INVALID_FIELD, "fixes", "定位点须为 1 至 500 个"), -1;
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o)
    {
        json_t *t = json_object_get(o, "t"), *x = json_object_get(o, "lon"),
               *y = json_object_get(o, "lat"), *a = json_object_get(o, "acc");
        if (!json_is_object(o) || !json_is_number(t) || !json_is_number(x) || !json_is_number(y) ||
            (a && !json_is_null(a) && !json_is_number(a)))
            return problem_set(p, ERR_INVALID_FIELD, "fixes",
                               "第 %zu 个定位点须有 t、lon、lat（数值）", i + 1),
                   -1;
        double tv = json_number_value(t);
        if (!isfinite(tv) || tv < 0 || tv > 1e14)
            return problem_set(p, ERR_INVALID_FIELD, "fixes", "第 %zu 个定位点的时间无效", i + 1),
                   -1;
        fix[i].t = tv > 1e11 ? (int64_t)(tv / 1000) : (int64_t)tv;
        fix[i].lon = json_number_value(x);
        fix[i].lat = json_number_value(y);
        fix[i].acc = a && json_is_number(a) ? json_number_value(a) : -1;
    }
    *n = json_array_size(list);
    return 0;
}

/* The track state stored with the patrol. */
static void river_track_load(json_t *o, struct river_track_state *st, struct river_track_row *t)
{
    memset(st, 0, sizeof *st);
    memset(t, 0, sizeof *t);
    t->fixes = json_integer_value(json_object_get(o, "fixes"));
    t->gaps = json_integer_value(json_object_get(o, "gaps"));
    t->fast = json_integer_value(json_object_get(o, "fast"));
    t->distance_m = json_number_value(json_object_get(o, "distance_m"));
    st->last_t = json_integer_value(json_object_get(o, "last_any_t"));
    if (json_is_number(json_object_get(o, "last_lon"))) {
        st->has_last = true;
        st->last.lon = json_number_value(json_object_get(o, "last_lon"));
        st->last.lat = json_number_value(json_object_get(o, "last_lat"));
        st->last.t = json_integer_value(json_object_get(o, "last_fix_t"));
    }
}

enum err river_patrol_fixes(struct river_ctx *c, int64_t id, json_t *in, json_t **out,
                            struct problem *p)
{
    *out = NULL;
    static _Thread_local struct river_fix fix[RIVER_FIXES_PER_POST];
    static _Thread_local unsigned flags[RIVER_FIXES_PER_POST];
    size_t n, bad;
    if (river_read_fixes(json_object_get(in, "fixes"), fix, &n, p))
        return p->err;
    if (db_begin(c->s.db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    json_t *o;
    enum err e = river_own_patrol(c, id, &o, p);
    if (e) {
        db_rollback(c->s.db);
        return e;
    }
    struct river_track_state st;
    struct river_track_row t;
    river_track_load(o, &st, &t);
    int64_t started = json_integer_value(json_object_get(o, "started_at"));
    json_decref(o);
    if (t.fixes + (int64_t)n > RIVER_FIXES_PER_PATROL) {
        db_rollback(c->s.db);
        return problem_set(p, ERR_INVALID_FIELD, "fixes", "一次巡河至多 %d 个定位点",
                           RIVER_FIXES_PER_PATROL);
    }
    double dist = 0;
    int gaps = 0, fast = 0;
    char err[128];
    if (river_track_add(&st, fix, n, started, c->s.now, flags, &dist, &gaps, &fast, &bad, err,
                        sizeof err)) {
        db_rollback(c->s.db);
        return problem_set(p, ERR_INVALID_FIELD, "fixes", "%s", err);
    }
    int imprecise = 0;
    for (size_t i = 0; i < n; i++) {
        imprecise += (flags[i] & RIVER_FIX_IMPRECISE) != 0;
        if (river_store_fix_insert(c->s.db, id, fix[i].t, fix[i].lon, fix[i].lat, fix[i].acc,
                                   flags[i]))
            return river_db_fail(c, p);
    }
    t.fixes += (int64_t)n, t.gaps += gaps, t.fast += fast, t.distance_m += dist;
    t.has_last = st.has_last, t.last_lon = st.last.lon, t.last_lat = st.last.lat;
    t.last_fix_t = st.last.t, t.last_any_t = st.last_t;
    if (river_store_patrol_track(c->s.db, id, &t) || db_commit(c->s.db))
        return river_db_fail(c, p);
    *out = json_pack("{si si si si sf}", "accepted", (int)n, "gaps", gaps, "fast", fast,
                     "imprecise", imprecise, "distance_m", round(t.distance_m));
    return ERR_OK;
}

enum err river_patrol_end(struct river_ctx *c, int64_t id, json_t *in, struct problem *p)
{
    const char *note;
    if (field_text(in, "note", "巡河记录", 2000, FIELD_MULTILINE, &note, p))
        return p->err;
    if (db_begin(c->s.db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    json_t *o;
    enum err e = river_own_patrol(c, id, &o, p);
    json_decref(o);
    if (e) {
        db_rollback(c->s.db);
        return e;
    }
    if (river_store_patrol_end(c->s.db, id, c->s.now, note) ||
        audit_append_id(c->s.db, &c->s.actor, "river.patrol.end", "river_patrols", id, in) ||
        db_commit(c->s.db))
        return river_db_fail(c, p);
    return ERR_OK;
}

json_t *river_patrol_get(struct river_ctx *c, int64_t id)
{
    json_t *o = river_store_patrol(c->s.db, id, c->chief);
    if (!o)
        return NULL;
    json_t *fixes = river_store_fixes(c->s.db, id);
    json_object_set_new(o, "track", fixes ? fixes : json_array());
    json_object_set_new(o, "problem_list", river_problems(c, 0, id, 100));
    return o;
}

json_t *river_patrols(struct river_ctx *c, int64_t reach, int64_t chief, int limit)
{
    return river_store_patrols(c->s.db, c->chief, reach, chief, limit);
}

enum err river_problem_report(struct river_ctx *c, int64_t patrol, json_t *in, json_t **out,
                              struct problem *p)
{
    *out = NULL;
    struct river_problem_row row = {.patrol_id = patrol, .source = "patrol", .now = c->s.now};
    if (field_choice(in, "category", "问题类别", river_categories, FIELD_REQUIRED, NULL,
                     &row.category, p) ||
        field_text(in, "description", "问题描述", 2000, FIELD_MULTILINE | FIELD_REQUIRED,
                   &row.description, p) ||
        field_lonlat(in, FIELD_OPTIONAL, &row.lon, &row.lat, p))
        return p->err;
    row.position_from = isnan(row.lon) ? "" : "phone";
    row.reporter = c->s.actor.name;
    row.reporter_phone = "";
    if (db_begin(c->s.db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    json_t *o;
    enum err e = river_own_patrol(c, patrol, &o, p);
    if (e) {
        db_rollback(c->s.db);
        return e;
    }
    row.reach_id = json_integer_value(json_object_get(o, "reach_id"));
    json_decref(o);
    int64_t id, item;
    e = river_problem_insert(c, &row, &id, &item, p);
    if (e) {
        db_rollback(c->s.db);
        return e;
    }
    if (db_commit(c->s.db))
        return river_db_fail(c, p);
    *out = river_problem_get(c, id);
    return ERR_OK;
}
