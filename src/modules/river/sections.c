/* river sections — the quality module's water sections on the reaches: the
 * link, and each reach's sections with their latest monthly class. */
#include "app/field.h"
#include "db/db.h"
#include "modules/quality/quality.h"
#include "modules/river/rules.h"
#include "modules/river/store.h"

#include <stdio.h>

/* Whether the quality module knows water section id. */
static bool river_section_known(struct db *db, int64_t id)
{
    struct problem p = {0};
    json_t *all = NULL, *o;
    bool found = false;
    size_t i;
    if (quality_water_sections(db, NULL, false, 0, 0, &p, &all))
        return false;
    json_array_foreach(json_object_get(all, "items"), i, o) found |=
        json_integer_value(json_object_get(o, "id")) == id;
    json_decref(all);
    return found;
}

enum err river_section_link(struct river_ctx *c, json_t *in, struct problem *p)
{
    int64_t section, reach;
    if (field_id(in, "section_id", "断面", FIELD_REQUIRED, &section, p) ||
        field_id(in, "reach_id", "河段", FIELD_OPTIONAL, &reach, p))
        return p->err;
    if (!river_section_known(c->s.db, section))
        return problem_set(p, ERR_INVALID_FIELD, "section_id", "没有该断面");
    if (reach && river_store_reach_in_scope(c->s.db, reach, 0) != 1)
        return problem_set(p, ERR_INVALID_FIELD, "reach_id", "河段不存在");
    if (db_begin(c->s.db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    if ((reach ? river_store_section_link(c->s.db, section, reach)
               : river_store_section_unlink(c->s.db, section)) ||
        audit_append_id(c->s.db, &c->s.actor, "river.section.link", "water_section", section, in) ||
        db_commit(c->s.db)) {
        db_rollback(c->s.db);
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    return ERR_OK;
}

json_t *river_reach_sections(struct river_ctx *c, int64_t reach)
{
    struct problem p = {0};
    json_t *all = NULL, *links = river_store_section_links(c->s.db), *out = json_array(), *o;
    size_t i;
    if (!quality_water_sections(c->s.db, NULL, false, 0, 0, &p, &all))
        json_array_foreach(json_object_get(all, "items"), i, o)
        {
            char key[24];
            snprintf(key, sizeof key, "%lld",
                     (long long)json_integer_value(json_object_get(o, "id")));
            if (json_integer_value(json_object_get(links, key)) != reach)
                continue;
            json_t *s = json_pack(
                "{sO sO sO sO sO sO sO sO}", "id", json_object_get(o, "id"), "code",
                json_object_get(o, "code"), "name", json_object_get(o, "name"), "class",
                json_object_get(o, "class"), "class_name", json_object_get(o, "class_name"),
                "target_name", json_object_get(o, "target_name"), "compliant",
                json_object_get(o, "compliant"), "boundary", json_object_get(o, "boundary"));
            json_object_set(s, "year", json_object_get(all, "year"));
            json_object_set(s, "month", json_object_get(all, "month"));
            json_array_append_new(out, s);
        }
    json_decref(all);
    json_decref(links);
    return out;
}
