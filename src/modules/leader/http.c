/* leader http — GET /api/v1/leader/home: one section per module, each built
 * by that module's public function on this request's connection, the
 * calendar held meanwhile. A section that cannot be read fails the page (500)
 * rather than showing a leader a silent zero. */
#include "modules/leader/leader.h"
#include "app/app.h"
#include "app/kit.h"
#include "core/timeutil.h"
#include "domain/calendar.h"
#include "modules/approval/approval.h"
#include "modules/quality/quality.h"
#include "modules/service/service.h"
#include "modules/supervision/supervision.h"

#include <string.h>

#define BUREAU (ROLE_BIT(ROLE_LEADER) | ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_STAFF))

/* Sets key to section, or says it failed; section is stolen. */
static bool leader_section(json_t *out, const char *key, json_t *section)
{
    if (!section)
        return false;
    json_object_set_new(out, key, section);
    return true;
}

static void api_leader_home(struct http_req *r)
{
    struct svc_ctx c;
    memset(&c, 0, sizeof c);
    c.db = r->db;
    c.cfg = r->app->cfg;
    c.user = &r->session.user;
    kit_actor(r, &c.actor);
    svc_ctx_clock(&c);
    char today[11];
    calendar_format_date(c.today, today);
    json_t *out = json_pack("{ss sI}", "today", today, "now", (json_int_t)c.now);
    c.cal = app_calendar_lock(r->app);
    bool ok =
        leader_section(out, "tracker", svc_at_risk(&c, LEADER_HOME_ROWS)) &&
        leader_section(out, "supervision", supervision_at_risk(r->db, today, LEADER_HOME_ROWS)) &&
        leader_section(out, "approval", approval_at_risk(r->db, c.cal, c.today, LEADER_HOME_ROWS));
    app_calendar_unlock(r->app);
    ok = ok &&
         leader_section(out, "air", quality_glance(r->db, c.now, (double)r->app->cfg->pm25_target));
    if (!ok) {
        json_decref(out);
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_json(r, 200, out);
}

static const struct route leader_routes[] = {
    {HTTP_GET, "/api/v1/leader/home", api_leader_home, BUREAU, 0},
};

const struct route_group app_leader_routes = ROUTE_GROUP("leader", leader_routes);
