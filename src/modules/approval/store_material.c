/* approval store — the versions of each material's files (store.h); the
 * bytes and their type are the service module's attachments. */
#include "modules/approval/store.h"
#include "db/row.h"

int approval_store_material_versions(struct db *db, int64_t app, const char *key)
{
    return (int)db_query_int(db,
                             "SELECT count(*) FROM eia_material_files WHERE app_id = ? AND key = ?",
                             -1, "it", app, key);
}

int approval_store_material_add(struct db *db, int64_t app, const char *key, int version,
                                int64_t attachment, const char *note, int64_t now)
{
    return db_run(db,
                  "INSERT INTO eia_material_files (app_id, key, version, attachment_id, note, "
                  "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                  "itiiti", app, key, (int64_t)version, attachment, note, now);
}

json_t *approval_store_material_files(struct db *db, int64_t app)
{
    return db_query_rows(db,
                         "SELECT key, version, attachment_id, note FROM eia_material_files WHERE "
                         "app_id = ? ORDER BY key, version DESC",
                         "i", app);
}
