/* service util — refusals, the clock and the caller's role, shared by the
 * service files (declared in service.h). */
#include "modules/service/service.h"
#include "core/timeutil.h"
#include "modules/service/store.h"
#include "db/db.h"

#include <stdarg.h>
#include <string.h>

void svc_ctx_clock(struct svc_ctx *c)
{
    c->now = timeutil_now();
    int64_t local = c->now + TIMEUTIL_BEIJING_OFFSET;
    c->today = (int32_t)(local >= 0 ? local / 86400 : (local - 86399) / 86400);
}

int svc_fail(struct problem *p, enum err e, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    problem_vset(p, e, field, fmt, ap);
    va_end(ap);
    return -1;
}

enum err svc_body(json_t *in, struct problem *p)
{
    memset(p, 0, sizeof *p);
    if (!json_is_object(in))
        return svc_fail(p, ERR_INVALID_FIELD, NULL, "请求体必须是 JSON 对象"), p->err;
    return ERR_OK;
}

enum err svc_db_fail(struct svc_ctx *c, struct problem *p)
{
    db_rollback(c->db);
    svc_fail(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    return ERR_INTERNAL;
}

int64_t svc_user_enterprise(const struct svc_ctx *c)
{
    return c->user && c->user->role == ROLE_ENTERPRISE ? c->user->enterprise_id : 0;
}

bool svc_is_bureau(const struct svc_ctx *c)
{
    return c->user && (c->user->role == ROLE_STAFF || c->user->role == ROLE_LEADER ||
                       c->user->role == ROLE_ADMIN);
}

bool svc_is_chief(const struct svc_ctx *c)
{
    return c->user && c->user->role == ROLE_CHIEF;
}

bool svc_item_is_mine(const struct svc_ctx *c, json_t *item)
{
    return c->user && (c->user->id == json_integer_value(json_object_get(item, "owner_user_id")) ||
                       c->user->id == json_integer_value(json_object_get(item, "assigner_id")));
}

void svc_date_text(int32_t day, char out[11])
{
    calendar_format_date(day, out);
}

json_t *svc_staff(struct svc_ctx *c)
{
    return svc_store_staff(c->db);
}

json_t *svc_enterprise_summary(struct svc_ctx *c, int64_t enterprise_id)
{
    json_t *visits = svc_visit_list(c, NULL, enterprise_id, NULL, NULL, false, 100);
    json_t *f = json_pack("{sI}", "enterprise_id", (json_int_t)enterprise_id);
    json_t *items = svc_item_list(c, f, 200);
    json_decref(f);
    json_t *ratings = svc_store_ent_ratings(c->db, enterprise_id);
    json_t *issues = svc_store_ent_issues(c->db, enterprise_id);
    return json_pack("{so so so so}", "visits", visits ? visits : json_array(), "ratings",
                     ratings ? ratings : json_object(), "issues", issues ? issues : json_array(),
                     "commitments", items ? items : json_array());
}
