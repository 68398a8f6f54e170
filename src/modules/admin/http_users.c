/* admin http users — accounts and sections, for administrators (rules in
 * users.c). */
#include "app/kit.h"
#include "db/users.h"
#include "modules/admin/admin.h"
#include "modules/admin/http.h"

/* The rule functions' shape: create (id 0) or update one record. */
typedef enum err (*admin_http_create_fn)(struct db *, const struct audit_actor *, json_t *,
                                         json_t **, struct problem *);
typedef enum err (*admin_http_update_fn)(struct db *, const struct audit_actor *, int64_t, json_t *,
                                         json_t **, struct problem *);

static void admin_http_create(struct http_req *r, admin_http_create_fn create)
{
    json_t *body = kit_body(r);
    if (!body)
        return;
    struct audit_actor actor;
    kit_actor(r, &actor);
    struct problem p;
    json_t *out = NULL;
    enum err e = create(r->db, &actor, body, &out, &p);
    json_decref(body);
    kit_created(r, e, &p, out);
}

static void admin_http_update(struct http_req *r, admin_http_update_fn update)
{
    int64_t id = kit_path_id(r, 0);
    if (!id)
        return;
    json_t *body = kit_body(r);
    if (!body)
        return;
    struct audit_actor actor;
    kit_actor(r, &actor);
    struct problem p;
    json_t *out = NULL;
    enum err e = update(r->db, &actor, id, body, &out, &p);
    json_decref(body);
    kit_answer(r, e, &p, out);
}

/* {"items": list}, or 500 when the list could not be read. */
static void admin_http_items(struct http_req *r, json_t *items)
{
    kit_answer(r, items ? ERR_OK : ERR_INTERNAL, NULL,
               items ? json_pack("{so}", "items", items) : NULL);
}

void admin_http_users_list(struct http_req *r)
{
    admin_http_items(r, users_list(r->db));
}

void admin_http_users_create(struct http_req *r)
{
    admin_http_create(r, admin_users_create);
}

void admin_http_users_update(struct http_req *r)
{
    admin_http_update(r, admin_users_update);
}

void admin_http_sections_list(struct http_req *r)
{
    admin_http_items(r, sections_list(r->db));
}

void admin_http_sections_create(struct http_req *r)
{
    admin_http_create(r, admin_sections_create);
}

void admin_http_sections_update(struct http_req *r)
{
    admin_http_update(r, admin_sections_update);
}
