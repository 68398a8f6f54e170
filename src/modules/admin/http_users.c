/* admin http users — accounts and sections, for administrators (rules in
 * users.c). */
#include "app/kit.h"
#include "db/users.h"
#include "modules/admin/admin.h"
#include "modules/admin/http.h"

/* The rule functions' shape: id 0 creates, any other updates that record. */
typedef enum err (*admin_http_write_fn)(struct db *, const struct audit_actor *, int64_t, json_t *,
                                        json_t **, struct problem *);

/* A create (KIT_NO_ID: 201) or an update (KIT_PATH_ID: 200) through write. */
static void admin_http_write(struct http_req *r, enum kit_write_path path,
                             admin_http_write_fn write)
{
    struct kit_write w;
    if (!kit_write_begin(r, path, &w))
        return;
    json_t *out = NULL;
    enum err e = write(r->db, &w.actor, w.id, w.body, &out, &w.p);
    kit_write_end(r, &w, path == KIT_NO_ID, e, out);
}

void admin_http_users_list(struct http_req *r)
{
    kit_items(r, users_list(r->db));
}

void admin_http_users_create(struct http_req *r)
{
    admin_http_write(r, KIT_NO_ID, admin_users_write);
}

void admin_http_users_update(struct http_req *r)
{
    admin_http_write(r, KIT_PATH_ID, admin_users_write);
}

void admin_http_sections_list(struct http_req *r)
{
    kit_items(r, sections_list(r->db));
}

void admin_http_sections_create(struct http_req *r)
{
    admin_http_write(r, KIT_NO_ID, admin_sections_write);
}

void admin_http_sections_update(struct http_req *r)
{
    admin_http_write(r, KIT_PATH_ID, admin_sections_write);
}
