#include "modules/supervision/rules.h"
#include "modules/supervision/supervision.h"
#include "app/field.h"
#include "core/buf.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "db/row.h"
#include "domain/calendar.h"
#include "domain/credit.h"
#include "domain/draw.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A date field that takes def when absent. */
int sup_field_date_or(json_t *in, const char *key, const char *label, const char *def, char out[11],
                      struct problem *p)
{
    if (field_date(in, key, label, FIELD_OPTIONAL, out, p))
        return -1;
    if (!*out)
        snprintf(out, 11, "%s", def);
    return 0;
}

int sup_audit(struct sup_ctx *c, const char *action, const char *entity, int64_t id, json_t *detail)
{
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", (long long)id);
    return audit_append(c->db, c->actor, action, entity, sid, detail);
}

enum err sup_internal(struct sup_ctx *c, struct problem *p)
{
    db_rollback(c->db);
    return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
}

/* Days between two YYYY-MM-DD dates (b - a); 0 on bad input. */
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
