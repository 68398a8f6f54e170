/* response http_region — the routes of the regional consultation: this
 * city's signed feed (public: its neighbours fetch it), the neighbours'
 * feeds as last pulled, a pull, consultation sessions, and the one action
 * that adopts a regional warning (a leader). */
#include "app/app.h"
#include "app/kit.h"
#include "core/timeutil.h"
#include "modules/response/http.h"
#include "net/router.h"

#define LEADER ROLE_BIT(ROLE_LEADER)
#define WRITERS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF))

static void h_feed(struct http_req *r)
{
    char err[200];
    json_t *feed = resp_region_feed(r->db, r->app->cfg, timeutil_now(), err, sizeof err);
    if (!feed) {
        struct problem p;
        /* No key configured: this city publishes no feed. */
        problem_set(&p, ERR_NOT_FOUND, NULL, "本市未开放区域会商数据（未配置签名密钥）");
        kit_answer(r, p.err, &p, NULL);
        return;
    }
    kit_answer(r, ERR_OK, NULL, feed);
}

static void h_view(struct http_req *r)
{
    kit_answer(r, ERR_OK, NULL, resp_region_view(r->db, r->app->cfg));
}

static void h_pull(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_NO_ID, &w))
        return;
    json_t *report = resp_region_pull(r->db, r->app->cfg, timeutil_now());
    enum err e = ERR_OK;
    if (!report)
        e = problem_set(&w.p, ERR_INVALID_FIELD, "region_members",
                        "区域成员配置有误（格式：id|URL|公钥十六进制，逗号分隔）");
    kit_write_end(r, &w, false, e, report ? json_pack("{so}", "items", report) : NULL);
}

static void h_adopt(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_NO_ID, &w))
        return;
    struct resp_ctx c;
    resp_ctx_init(&c, r, &w.actor);
    json_t *out = NULL;
    enum err e = resp_region_adopt(&c, r->app->cfg, w.body, &out, &w.p);
    kit_write_end(r, &w, false, e, out);
}

static void h_consults(struct http_req *r)
{
    kit_items(r, resp_consults(r->db, kit_limit(r, 50, 200)));
}

static void h_consult_get(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (id)
        kit_answer(r, ERR_OK, NULL, resp_consult_get(r->db, id));
}

static void h_consult_create(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_NO_ID, &w))
        return;
    struct resp_ctx c;
    resp_ctx_init(&c, r, &w.actor);
    json_t *out = NULL;
    enum err e = resp_consult_create(&c, r->app->cfg, w.body, &out, &w.p);
    kit_write_end(r, &w, true, e, out);
}

static void h_consult_conclude(struct http_req *r)
{
    resp_write(r, KIT_PATH_ID, false, resp_consult_conclude);
}

#define R "/api/v1/response"
static const struct route resp_region_table[] = {
    {HTTP_GET, "/api/v1/public/response/region/feed", h_feed, ROLES_ANY, 0},
    {HTTP_GET, R "/region", h_view, ROLES_BUREAU, 0},
    {HTTP_POST, R "/region/pull", h_pull, WRITERS, 0},
    {HTTP_POST, R "/region/adopt", h_adopt, LEADER, 0},
    {HTTP_GET, R "/consultations", h_consults, ROLES_BUREAU, 0},
    {HTTP_POST, R "/consultations", h_consult_create, WRITERS, 0},
    {HTTP_GET, R "/consultations/{id}", h_consult_get, ROLES_BUREAU, 0},
    {HTTP_POST, R "/consultations/{id}/conclude", h_consult_conclude, LEADER, 0},
};

const struct route_group app_response_region_routes =
    ROUTE_GROUP("response-region", resp_region_table);
