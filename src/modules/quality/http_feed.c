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
    struct kit_write w;
    if (!kit_write_begin(r, KIT_PATH_ID, &w))
        return;
    json_t *out = NULL;
    enum err e = quality_station_relink(r->db, &w.actor, w.id, w.body, &w.p, &out);
    kit_write_end(r, &w, false, e, out);
}

static const struct route feed_table[] = {
    {HTTP_POST, "/api/v1/quality/feed/run", api_feed_run, ROLE_BIT(ROLE_ADMIN), 0},
    {HTTP_PUT, "/api/v1/quality/stations/{id}/device", api_feed_link,
     ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF), 0},
};

const struct route_group app_quality_feed_routes = ROUTE_GROUP("quality-feed", feed_table);
