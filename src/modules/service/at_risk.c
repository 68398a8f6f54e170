/* service at_risk — the tracker's part of the leader's home: the items past
 * their deadline and, of them, those escalated to the leaders, computed on
 * read for c->today from each item's working-day clock (the same rule as the
 * scheduler's sweep, svc_tracker_level), so the home never waits for a sweep. */
#include "modules/service/service.h"
#include "domain/calendar.h"

#include <string.h>

static int32_t svc_risk_day(json_t *item, const char *key)
{
    int32_t d = 0;
    return calendar_parse_date(json_string_value(json_object_get(item, key)), &d) ? 0 : d;
}

/* The few fields the home lists of one item, with its alert level. */
static json_t *svc_risk_row(json_t *item, int level)
{
    json_t *row = json_pack(
        "{sO sO sO sO sO sO sb}", "id", json_object_get(item, "id"), "title",
        json_object_get(item, "title"), "deadline", json_object_get(item, "deadline"), "days_left",
        json_object_get(item, "days_left"), "owner_section", json_object_get(item, "owner_section"),
        "enterprise_name", json_object_get(item, "enterprise_name"), "escalated", level >= 3);
    /* a title the server composed: the UI writes it in its language */
    json_object_set(row, "source", json_object_get(item, "source"));
    json_object_set(row, "title_params", json_object_get(item, "title_params"));
    return row;
}

json_t *svc_at_risk(struct svc_ctx *c, int limit)
{
    json_t *filter = json_object();
    json_t *items = svc_item_list(c, filter, 5000);
    json_decref(filter);
    if (!items)
        return NULL;
    json_int_t overdue = 0, escalated = 0, warning = 0;
    json_t *rows = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item)
    {
        const char *state = json_string_value(json_object_get(item, "state"));
        if (state && !strcmp(state, "warning"))
            warning++;
        if (!state || strcmp(state, "overdue"))
            continue;
        int level = svc_tracker_level(c->cal, svc_risk_day(item, "start_day"),
                                      svc_risk_day(item, "deadline"), c->today);
        overdue++;
        escalated += level >= 3;
        /* The list runs by deadline: the longest overdue come first. */
        if ((int)json_array_size(rows) < limit)
            json_array_append_new(rows, svc_risk_row(item, level));
    }
    json_decref(items);
    return json_pack("{sI sI sI so}", "overdue", overdue, "escalated", escalated, "warning",
                     warning, "items", rows);
}
