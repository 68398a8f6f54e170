/* service store — attachment records (store.h); the bytes are files under
 * var_dir, written by attach.c. */
#include "modules/service/store.h"
#include "db/row.h"

#include <stdio.h>
#include <string.h>

int svc_store_attach_owner(struct db *db, const char *kind, int64_t id, int64_t *enterprise,
                           char status[16], bool *has_form)
{
    json_t *r;
    int found = !strcmp(kind, "visit")
                    ? db_query_row(db, &r,
                                   "SELECT enterprise_id, status, (SELECT count(*) FROM svc_forms "
                                   "f WHERE f.visit_id = v.id) AS forms FROM svc_visits v WHERE "
                                   "id = ?",
                                   "i", id)
                    : db_query_row(db, &r,
                                   "SELECT coalesce(enterprise_id, 0) AS enterprise_id, status, 0 "
                                   "AS forms FROM svc_tracker WHERE id = ?",
                                   "i", id);
    if (found != 1)
        return found;
    *enterprise = json_integer_value(json_object_get(r, "enterprise_id"));
    svc_store_text(r, "status", status, 16);
    *has_form = json_integer_value(json_object_get(r, "forms")) > 0;
    json_decref(r);
    return 1;
}

int64_t svc_store_attach_count(struct db *db, const char *kind, int64_t id)
{
    return db_query_int(
        db, "SELECT count(*) FROM svc_attachments WHERE owner_kind = ? AND owner_id = ?", 0, "ti",
        kind, id);
}

int svc_store_attach_insert(struct db *db, const struct svc_attach_row *a, int64_t *id)
{
    if (db_run(db,
               "INSERT INTO svc_attachments (owner_kind, owner_id, enterprise_id, sha256, size, "
               "mime, filename, uploaded_by, uploader, created_at) VALUES (?, ?, nullif(?, 0), ?, "
               "?, ?, ?, nullif(?, 0), ?, ?)",
               "tiitittiti", a->owner_kind, a->owner_id, a->enterprise_id, a->sha256, a->size,
               a->mime, a->filename, a->uploaded_by, a->uploader, a->now))
        return -1;
    *id = db_last_id(db);
    return 0;
}

int svc_store_attach_get(struct db *db, int64_t id, json_t **out)
{
    return db_query_row(db, out,
                        "SELECT coalesce(enterprise_id, 0) AS enterprise_id, sha256, mime, "
                        "filename, owner_kind, owner_id FROM svc_attachments WHERE id = ?",
                        "i", id);
}

json_t *svc_store_attach_list(struct db *db, const char *kind, int64_t id)
{
    return db_query_rows(db,
                         "SELECT id, filename, mime, size, sha256, uploader, created_at FROM "
                         "svc_attachments WHERE owner_kind = ? AND owner_id = ? ORDER BY id",
                         "ti", kind, id);
}
