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

#define ENT360_MAX 64

/* Every module's providers in page order (by rank; equal ranks in module
 * order). Returns how many. */
static size_t ent360_page(const struct ent360_provider *out[ENT360_MAX])
{
    size_t n, np = 0;
    const struct module *const *mods = modules_all(&n);
    for (size_t m = 0; m < n; m++)
        for (size_t i = 0; i < mods[m]->nent360 && np < ENT360_MAX; i++) {
            /* Insertion keeps equal ranks in module order; the list is short. */
            const struct ent360_provider *p = &mods[m]->ent360[i];
            size_t k = np++;
            for (; k > 0 && out[k - 1]->rank > p->rank; k--)
                out[k] = out[k - 1];
            out[k] = p;
        }
    return np;
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
    const struct ent360_provider *page[ENT360_MAX];
    size_t np = ent360_page(page);
    json_t *sections = json_array();
    for (size_t i = 0; i < np; i++) {
        const struct ent360_provider *p = page[i];
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
