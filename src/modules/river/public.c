/* river public — the reach's public signboard page (河长公示牌, no login):
 * its chiefs with duties and phone, its water sections' recent class, a
 * citizen's report with a photo that becomes a tracker item followed by its
 * code; and the QR code the bureau prints on the signboard. */
#include "app/field.h"
#include "db/db.h"
#include "domain/phone.h"
#include "domain/river_rules.h"
#include "modules/river/rules.h"
#include "modules/river/store.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RIVER_FOLLOW_LEN 10
#define RIVER_PHOTO_WINDOW 3600 /* a report takes photos for an hour */

json_t *river_signboard(struct river_ctx *c, int64_t reach)
{
    json_t *r = river_store_reach(c->s.db, reach, 0);
    if (!r)
        return NULL;
    json_t *chiefs = river_store_reach_chiefs(c->s.db, reach), *out = json_object();
    size_t i;
    json_t *o;
    json_array_foreach(chiefs, i, o)
    {
        int l = river_level_parse(json_string_value(json_object_get(o, "level")));
        json_object_del(o, "user_id");
        json_object_del(o, "section_id");
        json_object_del(o, "account_id");
        json_object_set_new(o, "level_name", json_string(river_level_name((enum river_level)l)));
    }
    static const char *const keep[] = {
        "id",      "code",        "name",      "water",    "kind",     "county", "township",
        "village", "start_point", "end_point", "length_m", "geometry", NULL};
    for (int k = 0; keep[k]; k++)
        json_object_set(out, keep[k], json_object_get(r, keep[k]));
    json_decref(r);
    json_object_set_new(out, "chiefs", chiefs ? chiefs : json_array());
    json_object_set_new(out, "sections", river_reach_sections(c, reach));
    json_object_set_new(out, "categories", river_category_list());
    return out;
}

enum err river_signboard_qr(struct river_ctx *c, int64_t reach, const char *base, json_t **out,
                            struct problem *p)
{
    *out = NULL;
    if (river_store_reach_in_scope(c->s.db, reach, c->chief) != 1)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该河段");
    if (!svc_base_ok(base))
        return problem_set(p, ERR_INVALID_FIELD, "base",
                           "二维码地址须为 http(s)://主机[:端口]，不含路径");
    char url[320];
    snprintf(url, sizeof url, "%s/river/%lld", base, (long long)reach);
    char *svg = svc_qr_svg(url);
    if (!svg)
        return problem_set(p, ERR_INTERNAL, NULL, "二维码生成失败");
    *out = json_pack("{ss ss}", "url", url, "qr_svg", svg);
    free(svg);
    return ERR_OK;
}

/* A follow code: RIVER_FOLLOW_LEN letters and digits without look-alikes. */
static void river_follow_code(char out[RIVER_FOLLOW_LEN + 1])
{
    static const char alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    for (int i = 0; i < RIVER_FOLLOW_LEN; i++)
        out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    out[RIVER_FOLLOW_LEN] = 0;
}

enum err river_citizen_report(struct river_ctx *c, int64_t reach, json_t *in, json_t **out,
                              struct problem *p)
{
    *out = NULL;
    struct river_problem_row row = {.reach_id = reach, .source = "citizen", .now = c->s.now};
    if (field_choice(in, "category", "问题类别", river_categories, FIELD_REQUIRED, NULL,
                     &row.category, p) ||
        field_text(in, "description", "问题描述", 2000, FIELD_MULTILINE | FIELD_REQUIRED,
                   &row.description, p) ||
        field_text(in, "name", "姓名", 64, FIELD_OPTIONAL, &row.reporter, p) ||
        field_text(in, "phone", "联系电话", PHONE_MAX, FIELD_OPTIONAL, &row.reporter_phone, p) ||
        field_lonlat(in, FIELD_OPTIONAL, &row.lon, &row.lat, p))
        return p->err;
    if (*row.reporter_phone && !phone_ok(row.reporter_phone))
        return problem_set(p, ERR_INVALID_FIELD, "phone", PHONE_RULE_ZH);
    row.position_from = isnan(row.lon) ? "" : "phone";
    char code[RIVER_FOLLOW_LEN + 1];
    river_follow_code(code);
    row.follow_code = code;
    if (river_store_reach_in_scope(c->s.db, reach, 0) != 1)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该河段");
    if (db_begin(c->s.db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    int64_t id, item;
    enum err e = river_problem_insert(c, &row, &id, &item, p);
    if (e || db_commit(c->s.db)) {
        db_rollback(c->s.db);
        return e ? e : problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    *out = json_pack("{sI ss}", "id", (json_int_t)id, "code", code);
    return ERR_OK;
}

/* A follow code as given: RIVER_FOLLOW_LEN of the alphabet, any case. */
static bool river_code_shape(const char *code, char out[RIVER_FOLLOW_LEN + 1])
{
    if (!code || strlen(code) != RIVER_FOLLOW_LEN)
        return false;
    for (int i = 0; i < RIVER_FOLLOW_LEN; i++) {
        char ch = code[i] >= 'a' && code[i] <= 'z' ? (char)(code[i] - 32) : code[i];
        if (!((ch >= '2' && ch <= '9') || (ch >= 'A' && ch <= 'Z')))
            return false;
        out[i] = ch;
    }
    out[RIVER_FOLLOW_LEN] = 0;
    return true;
}

enum err river_citizen_photo(struct river_ctx *c, const char *code, const char *name,
                             const void *data, size_t len, json_t **out, struct problem *p)
{
    *out = NULL;
    char norm[RIVER_FOLLOW_LEN + 1];
    json_t *o = river_code_shape(code, norm) ? river_store_problem_by_code(c->s.db, norm) : NULL;
    if (!o)
        return problem_set(p, ERR_NOT_FOUND, "code", "没有该举报编号");
    int64_t id = json_integer_value(json_object_get(o, "id"));
    int64_t at = json_integer_value(json_object_get(o, "created_at"));
    json_decref(o);
    if (c->s.now - at > RIVER_PHOTO_WINDOW)
        return problem_set(p, ERR_INVALID_STATE, NULL, "举报提交一小时后不能再补充照片");
    json_t *full = river_store_problem(c->s.db, id, 0);
    bool has = json_is_number(json_object_get(full, "lon"));
    json_decref(full);
    return river_photo_store(c, id, has, name, data, len, out, p);
}

json_t *river_follow(struct river_ctx *c, const char *code)
{
    char norm[RIVER_FOLLOW_LEN + 1];
    json_t *o = river_code_shape(code, norm) ? river_store_problem_by_code(c->s.db, norm) : NULL;
    if (!o)
        return NULL;
    int64_t item = json_integer_value(json_object_get(o, "tracker_id"));
    json_t *t = item ? svc_item_get(&c->s, item) : NULL;
    json_t *out = json_pack("{sO sO sO sO}", "code", json_object_get(o, "code"), "reach",
                            json_object_get(o, "reach"), "category", json_object_get(o, "category"),
                            "created_at", json_object_get(o, "created_at"));
    json_object_set_new(
        out, "category_name",
        json_string(river_category_name(json_string_value(json_object_get(o, "category")))));
    static const char *const keep[] = {"status", "state", "deadline", "closed_day", NULL};
    for (int k = 0; keep[k]; k++)
        json_object_set_new(out, keep[k],
                            t && json_object_get(t, keep[k])
                                ? json_incref(json_object_get(t, keep[k]))
                                : json_null());
    json_t *updates = json_array(), *u;
    size_t i;
    json_array_foreach(json_object_get(t, "updates"), i, u)
        json_array_append_new(updates, json_pack("{sO sO}", "kind", json_object_get(u, "kind"),
                                                 "at", json_object_get(u, "at")));
    json_object_set_new(out, "updates", updates);
    json_decref(t);
    json_decref(o);
    return out;
}
