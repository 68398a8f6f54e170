/* river tick — the serve loop's periodic work of the river module: the
 * latest sampled month's sections checked against their targets
 * (river_sections_check; idempotent, so running it hourly raises each miss
 * once, when its month's samples are in). */
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
    enum err e = river_sections_check(&c, 0, 0, &out, &p);
    app_calendar_unlock(run->app);
    if (e)
        log_error("river: section check failed: %s", p.message);
    json_decref(out);
    return e ? -1 : 0;
}
