/* supervision http_answer — the enterprise answers a rectification order from
 * its portal (rules in answer.c): GET the order with its files, POST a file
 * (raw body, ?name=), POST the answer. Only the session's own enterprise's
 * orders: another's is not found. Staff read the same order. */
#include "app/app.h"
#include "app/kit.h"
#include "core/timeutil.h"
#include "modules/service/service.h"
#include "modules/supervision/http.h"
#include "modules/supervision/supervision.h"

#include <stdio.h>
#include <string.h>

#define ENTERPRISE ROLE_BIT(ROLE_ENTERPRISE)
#define S "/api/v1/supervision"

static int64_t sup_answer_enterprise(struct http_req *r)
{
    return r->session.user.role == ROLE_ENTERPRISE ? r->session.user.enterprise_id : 0;
}

static void h_rect_get(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    bool missing = false;
    json_t *out = sup_rectification_view(r->db, sup_answer_enterprise(r), id, &missing);
    kit_answer(r, out || missing ? ERR_OK : ERR_INTERNAL, NULL, out);
}

void sup_http_svc_ctx(struct http_req *r, struct svc_ctx *sc)
{
    memset(sc, 0, sizeof *sc);
    sc->db = r->db;
    sc->cfg = r->app->cfg;
    sc->user = &r->session.user;
    kit_actor(r, &sc->actor);
    svc_ctx_clock(sc);
}

static void h_rect_file(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    bool bad;
    const char *name = kit_query_text(r, "name", 255, &bad);
    if (bad)
        return;
    struct svc_ctx sc;
    sup_http_svc_ctx(r, &sc);
    struct problem p;
    int64_t fid = 0;
    enum err e = sup_rectification_file(&sc, sup_answer_enterprise(r), id, name,
                                        r->body.data ? r->body.data : "", r->body.len, &fid, &p);
    json_t *out = e ? NULL : svc_attach_get(&sc, "rectification", id, fid);
    char loc[64];
    snprintf(loc, sizeof loc, "/api/v1/service/attachments/%lld", (long long)fid);
    kit_created_at(r, loc, e, &p, out);
}

static void h_rect_answer(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_PATH_ID, &w))
        return;
    struct sup_ctx c = {.db = r->db, .actor = &w.actor};
    timeutil_format_date(timeutil_now(), c.today, sizeof c.today);
    json_t *out = NULL;
    enum err e = sup_rectification_answer(&c, sup_answer_enterprise(r), w.id, w.body, &out, &w.p);
    kit_write_end(r, &w, false, e, out);
}

static const struct route sup_answer_table[] = {
    {HTTP_GET, S "/rectifications/{id}", h_rect_get, ROLES_BUREAU | ENTERPRISE, 0},
    {HTTP_POST, S "/rectifications/{id}/files", h_rect_file, ENTERPRISE, ROUTE_UPLOAD},
    {HTTP_POST, S "/rectifications/{id}/answer", h_rect_answer, ENTERPRISE, 0},
};

const struct route_group app_supervision_answer_routes =
    ROUTE_GROUP("supervision-answer", sup_answer_table);
