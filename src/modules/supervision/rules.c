/* supervision rules — small helpers the module's rule files share: dates,
 * audit entries, the internal-error exit and the published-period check. */
#include "modules/supervision/rules.h"
#include "modules/supervision/supervision.h"
#include "app/field.h"
#include "db/db.h"
#include "domain/calendar.h"

#include <stdio.h>
#include <string.h>

/* A date field that takes def when absent; flags as field_date's. */
int sup_field_date_or(json_t *in, const char *key, const char *label, unsigned flags,
                      const char *def, char out[11], struct problem *p)
{
    if (field_date(in, key, label, flags, out, p))
        return -1;
    if (!*out)
        snprintf(out, 11, "%s", def);
    return 0;
}

enum err sup_internal(struct sup_ctx *c, struct problem *p)
{
    db_rollback(c->db);
    return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
}

enum err sup_begin(struct sup_ctx *c, struct problem *p)
{
    return db_begin(c->db) ? problem_set(p, ERR_INTERNAL, NULL, "数据库错误") : ERR_OK;
}

enum err sup_commit(struct sup_ctx *c, int rc, const char *action, const char *entity, int64_t id,
                    json_t *detail, struct problem *p)
{
    if (rc || audit_append_id(c->db, c->actor, action, entity, id, detail) || db_commit(c->db))
        return sup_internal(c, p);
    return ERR_OK;
}

/* YYYY-MM-DD as a day number (CALENDAR_DAY_INVALID on bad input). */
int32_t sup_day(const char *s)
{
    int32_t d = CALENDAR_DAY_INVALID;
    if (s)
        calendar_parse_date(s, &d);
    return d;
}

void sup_date_add_days(const char *s, int days, char out[11])
{
    int32_t d = sup_day(s);
    calendar_format_date(d == CALENDAR_DAY_INVALID ? d : d + days, out);
}

/* A change dated on or before the date a list was published through would
 * alter a published period: refused (ERR_BACKDATED). */
int sup_check_backdated(struct sup_ctx *c, const char *list, const char *date, struct problem *p)
{
    char through[11];
    if (sup_store_published_through(c->db, list, through))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误"), -1;
    if (*through && strcmp(date, through) <= 0)
        return problem_set(p, ERR_BACKDATED, "effective_on",
                           "生效日期 %s 落在已公布的期间内（已公布至 %s），不能追溯变更", date,
                           through),
               -1;
    return 0;
}
