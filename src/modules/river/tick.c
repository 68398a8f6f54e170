/* river tick — the serve loop's periodic work of the river module: the
 * sections checked against their targets for every month of the last year
 * up to the latest sampled one (river_sections_catch_up; idempotent per
 * section-month, so running it hourly, and at start, raises each miss once,
 * also for a month whose samples came late or while the server was down). */
#include "app/app.h"
#include "app/module.h"
#include "core/log.h"
#include "modules/river/river.h"
#include "modules/river/rules.h"

#include <string.h>

long river_tick_seconds(const struct config *cfg)
{
    (void)cfg;
    return 3600;
}

int river_tick(const struct module_run *run)
{
    struct river_ctx c;
    memset(&c, 0, sizeof c);
    c.s.db = run->db;
    c.s.cfg = run->cfg;
    c.s.actor = (struct audit_actor){0, "system"};
    svc_ctx_clock(&c.s);
    c.s.cal = app_calendar_lock(run->app);
    struct problem p = {0};
    json_t *out = NULL;
    enum err e = river_sections_catch_up(&c, &out, &p);
    app_calendar_unlock(run->app);
    if (e)
        log_error("river: section check failed: %s", p.message);
    json_decref(out);
    return e ? -1 : 0;
}
