#include "app/ent360.h"
#include "app/app.h"
#include "app/kit.h"
#include "app/module.h"
#include "db/row.h"

#define ENT360_ROWS 100 /* newest rows per list */

json_t *ent360_lists(struct http_req *r, int64_t enterprise_id, const char *const *pairs, size_t n)
{
    json_t *out = json_object();
    for (size_t i = 0; i + 1 < n; i += 2) {
        json_t *rows =
            db_query_rows(r->db, pairs[i + 1], "ii", enterprise_id, (int64_t)ENT360_ROWS);
        if (!rows) {
            json_decref(out);
            return NULL;
        }
        json_object_set_new(out, pairs[i], rows);
    }
    return out;
}

/* Appends p's section; false when p left it out. */
static bool ent360_section(json_t *sections, struct http_req *r, int64_t id,
                           const struct ent360_provider *p)
{
    json_t *data = p->build(r, id);
    if (data)
        json_array_append_new(
            sections, json_pack("{ss ss so}", "key", p->key, "title", p->title, "data", data));
    return data != NULL;
}

void api_ent360_get(struct http_req *r)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    if (r->session.user.role == ROLE_ENTERPRISE && r->session.user.enterprise_id != id) {
        http_error(r, ERR_NOT_FOUND, NULL, NULL);
        return;
    }
    json_t *sections = json_array();
    size_t n;
    const struct module *const *mods = modules_all(&n);
    for (size_t m = 0; m < n; m++)
        for (size_t i = 0; i < mods[m]->nent360; i++) {
            const struct ent360_provider *p = &mods[m]->ent360[i];
            /* The profile is the enterprise itself: none, no page. */
            if (p->required && !ent360_section(sections, r, id, p)) {
                json_decref(sections);
                http_error(r, ERR_NOT_FOUND, NULL, NULL);
                return;
            }
            if (!p->required)
                ent360_section(sections, r, id, p);
        }
    http_json(r, 200, json_pack("{sI so}", "enterprise_id", (json_int_t)id, "sections", sections));
}
