/* http_feed — the device feed's routes: a run on demand and the link of an
 * air station to a monitor station (rules in feed.c). */
#include "app/app.h"
#include "app/kit.h"
#include "modules/quality/rules.h"

static void api_feed_run(struct http_req *r)
{
    json_t *out = NULL;
    enum err e = quality_feed_now(r->db, &out);
    kit_answer(r, e, NULL, out);
}

/* PUT {device_station_id: id | null}: links (or unlinks) an air station. */
static void api_feed_link(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    json_t *in = kit_body(r);
    if (!in)
        return;
    struct audit_actor actor;
    kit_actor(r, &actor);
    struct problem p = {0};
    json_t *out = NULL;
    enum err e = quality_station_relink(r->db, &actor, id, in, &p, &out);
    json_decref(in);
    kit_answer(r, e, &p, out);
}

static const struct route feed_table[] = {
    {HTTP_POST, "/api/v1/quality/feed/run", api_feed_run, ROLE_BIT(ROLE_ADMIN), 0},
    {HTTP_PUT, "/api/v1/quality/stations/{id}/device", api_feed_link,
     ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF), 0},
};

const struct route_group app_quality_feed_routes = ROUTE_GROUP("quality-feed", feed_table);
