/* river http_public — the public signboard (河长公示牌) routes, no login:
 * the reach's page, a citizen's report (+ photos within the hour, by its
 * code) and following a report by its code. Anonymous writes count against
 * the server's anonymous-write limit (app dispatch). */
#include "app/kit.h"
#include "net/router.h"
#include "modules/river/http.h"
#include "modules/river/rules.h"

#include <stdio.h>

#define PUB "/api/v1/public/river"

static void h_signboard(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    struct river_ctx c;
    river_begin(r, &c);
    json_t *out = river_signboard(&c, id);
    river_end(r);
    kit_answer(r, ERR_OK, NULL, out);
}

static void h_report(struct http_req *r)
{
    struct kit_write w;
    if (!kit_write_begin(r, KIT_PATH_ID, &w))
        return;
    struct river_ctx c;
    river_begin(r, &c);
    json_t *out = NULL;
    enum err e = river_citizen_report(&c, w.id, w.body, &out, &w.p);
    river_end(r);
    char loc[96];
    snprintf(loc, sizeof loc, PUB "/reports/%s",
             out ? json_string_value(json_object_get(out, "code")) : "");
    kit_write_end_at(r, &w, loc, e, out);
}

static void h_report_photo(struct http_req *r)
{
    bool bad;
    const char *name = kit_query_text(r, "name", 255, &bad);
    if (bad)
        return;
    struct river_ctx c;
    river_begin(r, &c);
    json_t *out = NULL;
    struct problem p = {0};
    enum err e = river_citizen_photo(&c, r->params[0], name, r->body.data ? r->body.data : "",
                                     r->body.len, &out, &p);
    river_end(r);
    if (out) /* the public gets no address it could not read */
        json_object_del(out, "uploader");
    kit_answer(r, e, &p, out);
}

static void h_follow(struct http_req *r)
{
    struct river_ctx c;
    river_begin(r, &c);
    json_t *out = river_follow(&c, r->params[0]);
    river_end(r);
    kit_answer(r, ERR_OK, NULL, out);
}

static const struct route river_public_table[] = {
    {HTTP_GET, PUB "/reaches/{id}", h_signboard, ROLES_ANY, 0},
    {HTTP_POST, PUB "/reaches/{id}/reports", h_report, ROLES_ANY, ROUTE_NO_CSRF},
    {HTTP_GET, PUB "/reports/{code}", h_follow, ROLES_ANY, 0},
    {HTTP_POST, PUB "/reports/{code}/photos", h_report_photo, ROLES_ANY,
     ROUTE_NO_CSRF | ROUTE_UPLOAD},
};

const struct route_group app_river_public_routes = ROUTE_GROUP("river-public", river_public_table);
