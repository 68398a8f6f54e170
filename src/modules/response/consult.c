/* response consult — consultation sessions (会商): who took part, the
 * forecasts of this city and its neighbours side by side as they stood, the
 * conclusion, and the regional warning it agreed on (published in this
 * city's signed feed for the members to adopt). */
#include "modules/response/rules.h"
#include "modules/response/store_region.h"

#include "app/field.h"
#include "core/config.h"
#include "db/db.h"

#include <stdlib.h>
#include <string.h>

static const char *const resp_consult_levels[] = {"none", "yellow", "orange", "red", NULL};

/* [{member, bureau, generated_at, forecasts}] for this city and every
 * neighbour whose last verified payload is kept. */
static json_t *resp_side_by_side(struct db *db, const struct config *cfg, const char *today,
                                 int64_t now)
{
    json_t *out = json_array();
    json_t *own = resp_outlook(db, RESP_CITY, today);
    json_array_append_new(out, json_pack("{ss ss sI so}", "member", cfg->region_member, "bureau",
                                         cfg->bureau_name, "generated_at", (json_int_t)now,
                                         "forecasts", own ? own : json_array()));
    json_t *feeds = resp_store_feeds(db);
    size_t i;
    json_t *f;
    json_array_foreach(feeds, i, f)
    {
        json_t *pl = json_object_get(f, "payload");
        if (!json_is_object(pl))
            continue;
        json_array_append_new(out,
                              json_pack("{sO sO sO sO}", "member", json_object_get(f, "member"),
                                        "bureau", json_object_get(pl, "bureau"), "generated_at",
                                        json_object_get(pl, "generated_at"), "forecasts",
                                        json_object_get(pl, "forecasts")));
    }
    json_decref(feeds);
    return out;
}

enum err resp_consult_create(struct resp_ctx *c, const struct config *cfg, json_t *in, json_t **out,
                             struct problem *p)
{
    const char *title;
    char held[11];
    json_t *participants = NULL;
    if (field_text(in, "title", "会商主题", 200, FIELD_REQUIRED, &title, p) ||
        field_date(in, "held_on", "会商日期", FIELD_OPTIONAL | FIELD_PAST, held, p) ||
        field_text_list(in, "participants", "参会成员", 40, 120, FIELD_REQUIRED, &participants, p))
        return p->err;
    if (!json_array_size(participants))
        return problem_set(p, ERR_INVALID_FIELD, "participants", "请填写参会成员");
    if (!*held)
        memcpy(held, c->today, sizeof held);
    json_t *side = resp_side_by_side(c->db, cfg, c->today, c->now);
    char *ptext = json_dumps(participants, JSON_COMPACT);
    char *ftext = json_dumps(side, JSON_COMPACT);
    json_decref(side);
    int64_t id = 0;
    int rc =
        db_begin(c->db) ||
        resp_store_consult_insert(c->db, title, held, ptext, ftext, c->actor->name, c->now, &id) ||
        audit_append_id(c->db, c->actor, "response.consult.create", "resp_consultation", id, in) ||
        db_commit(c->db);
    free(ptext);
    free(ftext);
    if (rc)
        return resp_internal(c, p);
    *out = resp_store_consult_get(c->db, id);
    return ERR_OK;
}

enum err resp_consult_conclude(struct resp_ctx *c, int64_t id, json_t *in, json_t **out,
                               struct problem *p)
{
    const char *conclusion, *level;
    char from[11], to[11];
    if (field_text(in, "conclusion", "会商结论", 4000, FIELD_REQUIRED | FIELD_MULTILINE,
                   &conclusion, p) ||
        field_choice(in, "level", "区域预警级别", resp_consult_levels, FIELD_REQUIRED, NULL, &level,
                     p) ||
        field_date(in, "expected_from", "预计开始日期", FIELD_OPTIONAL, from, p) ||
        field_date(in, "expected_to", "预计结束日期", FIELD_OPTIONAL, to, p))
        return p->err;
    if (*from && *to && strcmp(from, to) > 0)
        return problem_set(p, ERR_INVALID_FIELD, "expected_to", "预计结束日期不能早于开始日期");
    json_t *s = resp_store_consult_get(c->db, id);
    if (!s)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该会商");
    bool open = !strcmp(json_string_value(json_object_get(s, "status")), "open");
    json_decref(s);
    if (!open)
        return problem_set(p, ERR_INVALID_STATE, NULL, "该会商已形成结论");
    if (db_begin(c->db) ||
        resp_store_consult_conclude(c->db, id, conclusion, level, from, to, c->now) ||
        audit_append_id(c->db, c->actor, "response.consult.conclude", "resp_consultation", id,
                        in) ||
        db_commit(c->db))
        return resp_internal(c, p);
    *out = resp_store_consult_get(c->db, id);
    return ERR_OK;
}

json_t *resp_consult_get(struct db *db, int64_t id)
{
    return resp_store_consult_get(db, id);
}

json_t *resp_consults(struct db *db, int limit)
{
    return resp_store_consults(db, limit);
}
