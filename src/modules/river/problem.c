/* river problem — a problem on a reach (seen on a patrol or reported by a
 * citizen) and the 督办 tracker item it becomes: who owns it, by when, and
 * the photos with their EXIF position. */
#include "app/field.h"
#include "core/text.h"
#include "db/db.h"
#include "domain/river_exif.h"
#include "domain/service_rules.h"
#include "modules/river/rules.h"
#include "modules/river/store.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *const river_categories[] = {"occupy",         "mining",  "dumping",
                                        "building",       "outfall", "dead_fish",
                                        "floating_waste", "other",   NULL};
static const char *const river_category_names[] = {"乱占",       "乱采", "乱堆",       "乱建",
                                                   "入河排污口", "死鱼", "水面漂浮物", "其他"};
/* Working days to deal with a problem: a sewage outfall or dead fish is a
 * pollution event (3), the four 乱 and the rest a rectification (10). */
static const int river_category_days[] = {10, 10, 10, 10, 3, 3, 10, 10};

static int river_category_index(const char *code)
{
    if (!code)
        return -1;
    for (int i = 0; river_categories[i]; i++)
        if (!strcmp(river_categories[i], code))
            return i;
    return -1;
}

json_t *river_category_list(void)
{
    json_t *out = json_array();
    for (int i = 0; river_categories[i]; i++)
        json_array_append_new(out, json_pack("{ss ss}", "code", river_categories[i], "name",
                                             river_category_names[i]));
    return out;
}

const char *river_category_name(const char *code)
{
    int k = river_category_index(code);
    return k < 0 ? "" : river_category_names[k];
}

/* The owner of a reach's items: the reach's section when set; the person is
 * the township chief with an account (the township organises rectification),
 * else the village, county, city one; without a reach section, that person's
 * section. 0 or -1 with p filled. */
int river_item_owner(struct river_ctx *c, int64_t reach, int64_t *section, int64_t *user,
                     struct problem *p)
{
    static const char *const order[] = {"township", "village", "county", "city"};
    json_t *r = river_store_reach(c->s.db, reach, 0);
    json_t *chiefs = river_store_reach_chiefs(c->s.db, reach);
    *section = r ? json_integer_value(json_object_get(r, "section_id")) : 0;
    *user = 0;
    int64_t user_section = 0;
    for (size_t k = 0; k < 4 && !*user; k++) {
        size_t i;
        json_t *o;
        json_array_foreach(chiefs, i, o)
        {
            const char *level = json_string_value(json_object_get(o, "level"));
            int64_t u = json_integer_value(json_object_get(o, "user_id"));
            int64_t s = json_integer_value(json_object_get(o, "section_id"));
            /* an enabled account: a chief's (no section) or a bureau one */
            bool usable = json_integer_value(json_object_get(o, "account_id")) == u;
            if (!*user && u && usable && level && !strcmp(level, order[k]))
                *user = u, user_section = s;
        }
    }
    json_decref(r);
    json_decref(chiefs);
    if (!*section)
        *section = user_section;
    if (!*section)
        return problem_set(p, ERR_INVALID_STATE, "reach_id",
                           "该河段未指定督办科室，也没有关联账号的河湖长，无法交办"),
               -1;
    return 0;
}

enum err river_problem_insert(struct river_ctx *c, struct river_problem_row *row, int64_t *id,
                              int64_t *item, struct problem *p)
{
    int k = river_category_index(row->category);
    int64_t section, user;
    if (k < 0)
        return problem_set(p, ERR_INVALID_FIELD, "category", "问题类别无效");
    if (river_item_owner(c, row->reach_id, &section, &user, p))
        return p->err;
    if (river_store_problem_insert(c->s.db, row, id))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    json_t *reach = river_store_reach(c->s.db, row->reach_id, 0);
    char title[300];
    snprintf(title, sizeof title, "【%s】%s：%.200s", row->patrol_id ? "巡河发现" : "群众举报",
             river_category_names[k], json_string_value(json_object_get(reach, "name")));
    /* the UI writes the title in its language: service.itemTitle.river_patrol / river_citizen */
    json_t *tp =
        json_pack("{ss sO}", "category", row->category, "reach", json_object_get(reach, "name"));
    json_decref(reach);
    json_t *in = json_pack("{sI si ss}", "owner_section_id", (json_int_t)section, "workdays",
                           river_category_days[k], "detail", row->description);
    if (user)
        json_object_set_new(in, "owner_user_id", json_integer(user));
    enum err e = svc_item_insert_json(&c->s, row->patrol_id ? "river_patrol" : "river_citizen", in,
                                      0, 0, 0, title, tp, item, p);
    json_decref(tp);
    json_decref(in);
    if (e)
        return e;
    if (river_store_problem_set_tracker(c->s.db, *id, *item) ||
        audit_append_id(c->s.db, &c->s.actor, "river.problem.create", "river_problems", *id, NULL))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    return ERR_OK;
}

/* A problem row with its item's state and its photos. */
static json_t *river_problem_view(struct river_ctx *c, json_t *o)
{
    int64_t id = json_integer_value(json_object_get(o, "id"));
    int64_t item = json_integer_value(json_object_get(o, "tracker_id"));
    int k = river_category_index(json_string_value(json_object_get(o, "category")));
    json_object_set_new(o, "category_name", json_string(k >= 0 ? river_category_names[k] : ""));
    json_t *t = item ? svc_item_get(&c->s, item) : NULL;
    json_object_set_new(o, "status", t ? json_incref(json_object_get(t, "status")) : json_null());
    json_object_set_new(o, "state", t ? json_incref(json_object_get(t, "state")) : json_null());
    json_object_set_new(o, "deadline",
                        t ? json_incref(json_object_get(t, "deadline")) : json_null());
    json_object_set_new(o, "closed_day",
                        t ? json_incref(json_object_get(t, "closed_day")) : json_null());
    json_decref(t);
    json_object_set_new(o, "photos", svc_attach_list(&c->s, "river_problem", id));
    return o;
}

json_t *river_problem_get(struct river_ctx *c, int64_t id)
{
    json_t *o = river_store_problem(c->s.db, id, c->chief);
    return o ? river_problem_view(c, o) : NULL;
}

json_t *river_problems(struct river_ctx *c, int64_t reach, int64_t patrol, int limit)
{
    json_t *rows = river_store_problems(c->s.db, c->chief, reach, patrol, limit);
    size_t i;
    json_t *o;
    json_array_foreach(rows, i, o) river_problem_view(c, o);
    return rows;
}

/* Stores a photo of problem id (found and allowed by the caller); a JPEG's
 * EXIF position is kept as the problem's when it has none from the phone. */
enum err river_photo_store(struct river_ctx *c, int64_t id, bool has_position, const char *name,
                           const void *data, size_t len, json_t **out, struct problem *p)
{
    enum service_file_type type = service_sniff(data, len);
    if (type != SERVICE_FILE_JPEG && type != SERVICE_FILE_PNG)
        return problem_set(p, ERR_ATTACHMENT_TYPE, NULL,
                           "照片须为 JPEG 或 PNG 图片（按文件内容识别）");
    int64_t fid = 0;
    enum err e = svc_attach_add_checked(&c->s, "river_problem", id, 0, name, data, len, &fid, p);
    if (e)
        return e;
    double lon, lat;
    bool exif = river_exif_position(data, len, &lon, &lat);
    if (exif && !has_position) {
        if (db_begin(c->s.db) || river_store_problem_set_position(c->s.db, id, lon, lat, "exif") ||
            db_commit(c->s.db)) {
            db_rollback(c->s.db);
            return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
        }
    }
    *out = svc_attach_get(&c->s, "river_problem", id, fid);
    if (*out && exif)
        json_object_set_new(*out, "exif_position", json_pack("[ff]", lon, lat));
    else if (*out)
        json_object_set_new(*out, "exif_position", json_null());
    return ERR_OK;
}

enum err river_problem_photo_open(struct river_ctx *c, int64_t problem, int64_t photo, int *fd,
                                  uint64_t *size, char *mime, size_t mime_size, char *disposition,
                                  size_t disp_size)
{
    json_t *o = river_store_problem(c->s.db, problem, c->chief);
    if (!o)
        return ERR_NOT_FOUND;
    json_decref(o);
    return svc_attach_open_owned(&c->s, "river_problem", problem, photo, fd, size, mime, mime_size,
                                 disposition, disp_size);
}

enum err river_problem_photo(struct river_ctx *c, int64_t problem, const char *name,
                             const void *data, size_t len, json_t **out, struct problem *p)
{
    json_t *o = river_store_problem(c->s.db, problem, c->chief);
    if (!o)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该问题");
    bool has = json_is_number(json_object_get(o, "lon"));
    bool patrol = json_integer_value(json_object_get(o, "patrol_id")) != 0;
    json_decref(o);
    if (!patrol)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该问题");
    return river_photo_store(c, problem, has, name, data, len, out, p);
}
