/* registry areas — the bureau's districts and towns/streets (区县,
 * 乡镇/街道), which the registry checks addresses against: the /meta view
 * and replacing them (the administrator). */
#include "app/field.h"
#include "db/db.h"
#include "modules/registry/registry.h"

#include <string.h>

#define AREAS_MAX 2000

json_t *registry_meta(struct db *db)
{
    json_t *districts = areas_json(db), *tags = districts ? tags_json(db) : NULL;
    if (!tags) {
        json_decref(districts);
        return NULL;
    }
    return json_pack("{so so s[sssss]}", "districts", districts, "tags", tags, "roles", "admin",
                     "leader", "staff", "enterprise", "public");
}

/* One district {"name","towns":[…]}: name and each town the one text rule at
 * most 64 bytes (trimmed in place); *total counts the towns. */
static bool registry_area_ok(json_t *d, size_t *total)
{
    struct problem why;
    const char *name;
    json_t *towns;
    if (!json_is_object(d) || field_text(d, "name", NULL, 64, FIELD_REQUIRED, &name, &why) ||
        field_text_list(d, "towns", NULL, AREAS_MAX, 64, FIELD_REQUIRED, &towns, &why))
        return false;
    *total += json_array_size(towns);
    return *total <= AREAS_MAX;
}

/* Checks {"districts":[{"name","towns":[…]}]}; 0, or -1 with p filled. */
static int registry_areas_check(json_t *districts, struct problem *p)
{
    if (!json_is_array(districts) || json_array_size(districts) == 0)
        return problem_set(p, ERR_INVALID_FIELD, "districts", "districts 须为非空列表"), -1;
    size_t i, total = 0;
    json_t *d;
    json_array_foreach(districts, i, d)
    {
        if (!registry_area_ok(d, &total))
            return problem_set(p, ERR_INVALID_FIELD, "districts",
                               "第 %zu 个区县无效（名称与乡镇/街道须为不超过 64 字节的文本）",
                               i + 1),
                   -1;
    }
    return 0;
}

static int registry_areas_store(struct db *db, json_t *districts)
{
    if (areas_clear(db))
        return -1;
    size_t i, j;
    json_t *d, *t;
    json_array_foreach(districts, i, d)
    {
        const char *name = json_string_value(json_object_get(d, "name"));
        json_array_foreach(json_object_get(d, "towns"), j, t)
        {
            if (areas_add(db, name, json_string_value(t)))
                return -1;
        }
    }
    return 0;
}

enum err registry_areas_replace(struct db *db, const struct audit_actor *actor, json_t *input,
                                struct problem *p)
{
    memset(p, 0, sizeof *p);
    json_t *districts = json_object_get(input, "districts");
    if (registry_areas_check(districts, p))
        return p->err;
    if (db_begin(db) || registry_areas_store(db, districts) ||
        audit_append(db, actor, "areas.replace", "areas", "all", input) || db_commit(db)) {
        db_rollback(db);
        return p->err = ERR_INTERNAL;
    }
    return ERR_OK;
}
