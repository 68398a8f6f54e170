/* river http — the routes of the river module: the bureau's API under
 * /api/v1/river (reaches, chiefs, intervals, who is behind, patrols,
 * problems, section links) and the public signboard under
 * /api/v1/public/river. Each handler reads its input with the kit, calls one
 * rule (rules.h) and answers.
 *
 * Access: every bureau role reads; staff and admins write the register;
 * only an admin sets the patrol intervals; a bureau account linked to a chief
 * sees only his own reaches (the rules scope by river_ctx.chief) and only a
 * chief patrols; enterprises get 403; the public sees the signboard pages
 * and reports through them (the anonymous-write limit applies). */
#include "app/app.h"
#include "app/field.h"
#include "app/kit.h"
#include "app/kit_list.h"
#include "core/timeutil.h"
#include "modules/river/http.h"
#include "modules/river/rules.h"

#include <stdio.h>
#include <string.h>

#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define STAFF ROLE_BIT(ROLE_STAFF)
/* the bureau and the river chiefs' own role: the rules scope a chief to his
 * reaches (river_ctx_scope) */
#define BUREAU (ROLES_BUREAU | ROLE_BIT(ROLE_CHIEF))
#define V "/api/v1/river"

void river_begin(struct http_req *r, struct river_ctx *c)
{
    memset(c, 0, sizeof *c);
    c->s.db = r->db;
    c->s.cfg = r->app->cfg;
    c->s.user = r->has_session ? &r->session.user : NULL;
    if (c->s.user)
        kit_actor(r, &c->s.actor);
    else
        c->s.actor = (struct audit_actor){0, "public"};
    svc_ctx_clock(&c->s);
    c->s.cal = app_calendar_lock(r->app);
    river_ctx_scope(c);
}

void river_end(struct http_req *r)
{
    app_calendar_unlock(r->app);
}

/* A read of fn's result: 200, or 404 when it is NULL (absent, or not the
 * chief's). */
static void river_read(struct http_req *r, json_t *(*fn)(struct river_ctx *c, int64_t id),
                       bool with_id)
{
    int64_t id = 0;
    if (with_id && !(id = kit_path_id(r, 0)))
        return;
    struct river_ctx c;
    river_begin(r, &c);
    json_t *out = fn(&c, id);
    river_end(r);
    kit_answer(r, ERR_OK, NULL, out);
}

/* A write with a rule taking (ctx, id, body, &out, p). */
typedef enum err river_write_fn(struct river_ctx *c, int64_t id, json_t *in, json_t **out,
                                struct problem *p);

static void river_write(struct http_req *r, enum kit_write_path path, bool created,
                        river_write_fn *fn)
{
    struct kit_write w;
    if (!kit_write_begin(r, path, &w))
        return;
    struct river_ctx c;
    river_begin(r, &c);
    json_t *out = NULL;
    enum err e = fn(&c, w.id, w.body, &out, &w.p);
    river_end(r);
    kit_write_end(r, &w, created, e, out);
}

/* ---- reaches ---- */

static void h_import(struct http_req *r)
{
    struct river_ctx c;
    river_begin(r, &c);
    json_t *out = NULL, *errors = NULL;
    struct problem p = {0};
    const char *body = r->body.data ? r->body.data : "";
    /* a zip is a Shapefile layer; anything else is read as GeoJSON */
    enum err e = river_is_zip(body, r->body.len)
                     ? river_import_shpzip(&c, body, r->body.len, &out, &errors, &p)
                     : river_import_geojson(&c, body, r->body.len, &out, &errors, &p);
    river_end(r);
    if (e == ERR_IMPORT_ERRORS)
        kit_refuse_with(r, &p, json_pack("{so}", "errors", errors));
    else
        kit_answer(r, e, &p, out);
}

static json_t *r_reaches(struct river_ctx *c, int64_t id)
{
    (void)id;
    json_t *items = river_reaches(c);
    return items ? json_pack("{so}", "items", items) : NULL;
}

static void h_reaches(struct http_req *r)
{
    river_read(r, r_reaches, false);
}

static json_t *r_reach(struct river_ctx *c, int64_t id)
{
    json_t *o = river_reach_get(c, id);
    if (o)
        json_object_set_new(o, "sections", river_reach_sections(c, id));
    return o;
}

static void h_reach(struct http_req *r)
{
    river_read(r, r_reach, true);
}

static enum err w_reach_update(struct river_ctx *c, int64_t id, json_t *in, json_t **out,
                               struct problem *p)
{
    enum err e = river_reach_update(c, id, in, p);
    *out = e ? NULL : river_reach_get(c, id);
    return e;
}

static void h_reach_update(struct http_req *r)
{
    river_write(r, KIT_PATH_ID, false, w_reach_update);
}

static void h_reach_qr(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    bool bad;
    if (!id)
        return;
    const char *b = kit_query_text(r, "base", 200, &bad);
    if (bad)
        return;
    char base[256];
    const char *host = http_header(r, "Host");
    snprintf(base, sizeof base, b ? "%s" : "http://%s", b ? b : host ? host : "localhost");
    struct river_ctx c;
    river_begin(r, &c);
    json_t *out = NULL;
    struct problem p = {0};
    enum err e = river_signboard_qr(&c, id, base, &out, &p);
    river_end(r);
    kit_answer(r, e, &p, out);
}

static json_t *r_map(struct river_ctx *c, int64_t id)
{
    (void)id;
    return river_map(c);
}

static void h_map(struct http_req *r)
{
    river_read(r, r_map, false);
}

static json_t *r_meta(struct river_ctx *c, int64_t id)
{
    (void)id;
    json_t *iv = river_intervals(c);
    json_t *me = c->chief ? river_chief_get(c, c->chief) : NULL;
    json_t *out =
        json_pack("{so sO so}", "categories", river_category_list(), "levels",
                  iv ? json_object_get(iv, "levels") : json_null(), "me", me ? me : json_null());
    json_decref(iv);
    return out;
}

static void h_meta(struct http_req *r)
{
    river_read(r, r_meta, false);
}

/* ---- chiefs, intervals, who is behind ---- */

static json_t *r_chiefs(struct river_ctx *c, int64_t id)
{
    (void)id;
    json_t *items = river_chiefs(c);
    return items ? json_pack("{so}", "items", items) : NULL;
}

static void h_chiefs(struct http_req *r)
{
    river_read(r, r_chiefs, false);
}

static void h_chief(struct http_req *r)
{
    river_read(r, river_chief_get, true);
}

static enum err w_chief_create(struct river_ctx *c, int64_t id, json_t *in, json_t **out,
                               struct problem *p)
{
    (void)id;
    int64_t nid = 0;
    enum err e = river_chief_create(c, in, &nid, p);
    *out = e ? NULL : river_chief_get(c, nid);
    return e;
}

static void h_chief_create(struct http_req *r)
{
    river_write(r, KIT_NO_ID, true, w_chief_create);
}

static enum err w_chief_update(struct river_ctx *c, int64_t id, json_t *in, json_t **out,
                               struct problem *p)
{
    enum err e = river_chief_update(c, id, in, p);
    *out = e ? NULL : river_chief_get(c, id);
    return e;
}

static void h_chief_update(struct http_req *r)
{
    river_write(r, KIT_PATH_ID, false, w_chief_update);
}

static json_t *r_intervals(struct river_ctx *c, int64_t id)
{
    (void)id;
    return river_intervals(c);
}

static void h_intervals(struct http_req *r)
{
    river_read(r, r_intervals, false);
}

static enum err w_intervals(struct river_ctx *c, int64_t id, json_t *in, json_t **out,
                            struct problem *p)
{
    (void)id;
    enum err e = river_intervals_set(c, in, p);
    *out = e ? NULL : river_intervals(c);
    return e;
}

static void h_intervals_set(struct http_req *r)
{
    river_write(r, KIT_NO_ID, false, w_intervals);
}

static void h_behind(struct http_req *r)
{
    int64_t all;
    if (kit_query_int(r, "all", 0, 1, 0, &all))
        return;
    struct river_ctx c;
    river_begin(r, &c);
    json_t *items = river_behind(&c, all != 0);
    river_end(r);
    kit_items(r, items);
}

/* ---- patrols and problems ---- */

static enum err w_patrol_start(struct river_ctx *c, int64_t id, json_t *in, json_t **out,
                               struct problem *p)
{
    (void)id;
    int64_t nid = 0;
    enum err e = river_patrol_start(c, in, &nid, p);
    *out = e ? NULL : river_patrol_get(c, nid);
    return e;
}

static void h_patrol_start(struct http_req *r)
{
    river_write(r, KIT_NO_ID, true, w_patrol_start);
}

static void h_patrols(struct http_req *r)
{
    int64_t reach = kit_query_id(r, "reach_id"), chief = kit_query_id(r, "chief_id");
    if (reach < 0 || chief < 0)
        return;
    int limit = kit_limit(r, 100, 500);
    struct river_ctx c;
    river_begin(r, &c);
    json_t *items = river_patrols(&c, reach, chief, limit);
    river_end(r);
    kit_items(r, items);
}

static void h_patrol(struct http_req *r)
{
    river_read(r, river_patrol_get, true);
}

static void h_patrol_fixes(struct http_req *r)
{
    river_write(r, KIT_PATH_ID, false, river_patrol_fixes);
}

static enum err w_patrol_end(struct river_ctx *c, int64_t id, json_t *in, json_t **out,
                             struct problem *p)
{
    enum err e = river_patrol_end(c, id, in, p);
    *out = e ? NULL : river_patrol_get(c, id);
    return e;
}

static void h_patrol_end(struct http_req *r)
{
    river_write(r, KIT_PATH_ID, false, w_patrol_end);
}

static void h_problem_report(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_PATH_ID, &w))
        return;
    struct river_ctx c;
    river_begin(r, &c);
    json_t *out = NULL;
    enum err e = river_problem_report(&c, w.id, w.body, &out, &w.p);
    river_end(r);
    char loc[64];
    snprintf(loc, sizeof loc, V "/problems/%lld",
             (long long)(out ? json_integer_value(json_object_get(out, "id")) : 0));
    kit_write_end_at(r, &w, loc, e, out);
}

static void h_problems(struct http_req *r)
{
    int64_t reach = kit_query_id(r, "reach_id"), patrol = kit_query_id(r, "patrol_id");
    if (reach < 0 || patrol < 0)
        return;
    int limit = kit_limit(r, 100, 200);
    struct river_ctx c;
    river_begin(r, &c);
    json_t *items = river_problems(&c, reach, patrol, limit);
    river_end(r);
    kit_items(r, items);
}

static void h_problem(struct http_req *r)
{
    river_read(r, river_problem_get, true);
}

/* A problem's photo, shown in the browser (JPEG or PNG: the type was sniffed
 * at upload), to whoever may see the problem. */
static void h_problem_photo_get(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0), photo = id ? kit_path_id(r, 1) : 0;
    if (!photo)
        return;
    struct river_ctx c;
    int fd = -1;
    uint64_t size = 0;
    char mime[128], disp[1024], shown[1040];
    river_begin(r, &c);
    enum err e =
        river_problem_photo_open(&c, id, photo, &fd, &size, mime, sizeof mime, disp, sizeof disp);
    river_end(r);
    if (e) {
        kit_answer(r, e, NULL, NULL);
        return;
    }
    snprintf(shown, sizeof shown, "inline;%s", strncmp(disp, "attachment;", 11) ? disp : disp + 11);
    http_add_header(r, "Content-Disposition", shown);
    http_add_header(r, "Cache-Control", "private, no-store");
    /* http_fd keeps the pointer past this frame: a static type (photos are
     * only JPEG or PNG, sniffed at upload) */
    http_fd(r, 200, fd, size,
            !strcmp(mime, "image/png")    ? "image/png"
            : !strcmp(mime, "image/jpeg") ? "image/jpeg"
                                          : "application/octet-stream");
}

static void h_problem_photo(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    bool bad;
    if (!id)
        return;
    const char *name = kit_query_text(r, "name", 255, &bad);
    if (bad)
        return;
    struct river_ctx c;
    river_begin(r, &c);
    json_t *out = NULL;
    struct problem p = {0};
    enum err e =
        river_problem_photo(&c, id, name, r->body.data ? r->body.data : "", r->body.len, &out, &p);
    river_end(r);
    char loc[64];
    snprintf(loc, sizeof loc, "/api/v1/service/attachments/%lld",
             (long long)(out ? json_integer_value(json_object_get(out, "id")) : 0));
    kit_created_at(r, loc, e, &p, out);
}

static enum err w_section_link(struct river_ctx *c, int64_t id, json_t *in, json_t **out,
                               struct problem *p)
{
    (void)id;
    enum err e = river_section_link(c, in, p);
    *out = e ? NULL : json_pack("{sb}", "ok", 1);
    return e;
}

static void h_section_link(struct http_req *r)
{
    river_write(r, KIT_NO_ID, false, w_section_link);
}

static void h_sections_check(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_NO_ID, &w))
        return;
    int64_t year, month;
    json_t *out = NULL;
    enum err e = ERR_OK;
    if (field_int(w.body, "year", "年份", 2000, 2100, FIELD_OPTIONAL, 0, &year, &w.p) ||
        field_int(w.body, "month", "月份", 1, 12, FIELD_OPTIONAL, 0, &month, &w.p))
        e = w.p.err;
    else if (!year != !month)
        e = problem_set(&w.p, ERR_INVALID_FIELD, "month", "年份和月份须同时填写");
    if (!e) {
        struct river_ctx c;
        river_begin(r, &c);
        e = river_sections_check(&c, (int)year, (int)month, &out, &w.p);
        river_end(r);
    }
    kit_write_end(r, &w, false, e, out);
}

static json_t *r_waters(struct river_ctx *c, int64_t id)
{
    (void)id;
    json_t *items = river_waters(c);
    return items ? json_pack("{so}", "items", items) : NULL;
}

static void h_waters(struct http_req *r)
{
    river_read(r, r_waters, false);
}

/* year and month of the query (both or neither); -1 when answered 422. */
static int river_query_month(struct http_req *r, int64_t *year, int64_t *month)
{
    return kit_query_int(r, "year", 2000, 2100, 0, year) ||
                   kit_query_int(r, "month", 1, 12, 0, month)
               ? -1
               : 0;
}

static void h_profile(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0), year, month;
    if (!id || river_query_month(r, &year, &month))
        return;
    struct river_ctx c;
    river_begin(r, &c);
    json_t *out = river_profile(&c, id, (int)year, (int)month);
    river_end(r);
    kit_answer(r, ERR_OK, NULL, out);
}

static const char *const river_boundary_zh[] = {"in", "入境", "out", "出境", NULL};
static const struct kit_col river_boundary_cols[] = {
    KIT_TEXT("code", "断面编码"),
    KIT_TEXT("name", "断面名称"),
    KIT_CODE("boundary", "交界类型", river_boundary_zh),
    KIT_TEXT("water", "河湖"),
    KIT_TEXT("reach", "河段"),
    KIT_TEXT("township", "乡镇（街道）"),
    KIT_NUMBER("year", "年"),
    KIT_NUMBER("month", "月"),
    KIT_TEXT("class_name", "水质类别"),
    KIT_TEXT("target_name", "目标类别"),
    KIT_TEXT("compliant", "是否达标"),
    KIT_TEXT("main_pollutants", "主要污染指标"),
    KIT_NUMBER("samples", "监测次数"),
    KIT_NUMBER("months_sampled", "监测月数"),
    KIT_NUMBER("months_met", "达标月数"),
};
static const struct kit_sheet river_boundary_sheet =
    KIT_SHEET("boundary-sections", "交界断面水质", river_boundary_cols);

static void h_boundary(struct http_req *r)
{
    static const char *const periods[] = {"month", "year", NULL};
    int64_t year, month;
    bool bad;
    const char *period = kit_query_choice(r, "period", periods, "month", &bad);
    if (bad || river_query_month(r, &year, &month))
        return;
    struct river_ctx c;
    river_begin(r, &c);
    json_t *out = river_boundary_report(&c, !strcmp(period, "year"), (int)year, (int)month);
    river_end(r);
    kit_list(r, out ? ERR_OK : ERR_INTERNAL, NULL, out, &river_boundary_sheet);
}

static const struct route river_table[] = {
    {HTTP_GET, V "/meta", h_meta, BUREAU, 0},
    {HTTP_POST, V "/import", h_import, ADMIN | STAFF, ROUTE_UPLOAD},
    {HTTP_GET, V "/map", h_map, BUREAU, 0},
    {HTTP_GET, V "/reaches", h_reaches, BUREAU, 0},
    {HTTP_GET, V "/reaches/{id}", h_reach, BUREAU, 0},
    {HTTP_PUT, V "/reaches/{id}", h_reach_update, ADMIN | STAFF, 0},
    {HTTP_GET, V "/reaches/{id}/qr", h_reach_qr, BUREAU, 0},
    {HTTP_GET, V "/chiefs", h_chiefs, BUREAU, 0},
    {HTTP_POST, V "/chiefs", h_chief_create, ADMIN | STAFF, 0},
    {HTTP_GET, V "/chiefs/{id}", h_chief, BUREAU, 0},
    {HTTP_PUT, V "/chiefs/{id}", h_chief_update, ADMIN | STAFF, 0},
    {HTTP_GET, V "/intervals", h_intervals, BUREAU, 0},
    {HTTP_PUT, V "/intervals", h_intervals_set, ADMIN, 0},
    {HTTP_GET, V "/behind", h_behind, BUREAU, 0},
    {HTTP_GET, V "/patrols", h_patrols, BUREAU, 0},
    {HTTP_POST, V "/patrols", h_patrol_start, BUREAU, 0},
    {HTTP_GET, V "/patrols/{id}", h_patrol, BUREAU, 0},
    {HTTP_POST, V "/patrols/{id}/fixes", h_patrol_fixes, BUREAU, 0},
    {HTTP_POST, V "/patrols/{id}/end", h_patrol_end, BUREAU, 0},
    {HTTP_POST, V "/patrols/{id}/problems", h_problem_report, BUREAU, 0},
    {HTTP_GET, V "/problems", h_problems, BUREAU, 0},
    {HTTP_GET, V "/problems/{id}", h_problem, BUREAU, 0},
    {HTTP_POST, V "/problems/{id}/photos", h_problem_photo, BUREAU, ROUTE_UPLOAD},
    {HTTP_GET, V "/problems/{id}/photos/{photo}", h_problem_photo_get, BUREAU, 0},
    {HTTP_POST, V "/sections/link", h_section_link, ADMIN | STAFF, 0},
    {HTTP_POST, V "/sections/check", h_sections_check, ADMIN | STAFF, 0},
    {HTTP_GET, V "/boundary", h_boundary, BUREAU, 0},
    {HTTP_GET, V "/waters", h_waters, BUREAU, 0},
    {HTTP_GET, V "/waters/{id}/profile", h_profile, BUREAU, 0},
};

const struct route_group app_river_routes = ROUTE_GROUP("river", river_table);
