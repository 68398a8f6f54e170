/* approval store_siting — the SQL of 三线一单 unit versions and siting checks
 * (contracts in store.h). */
#include "modules/approval/store.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "db/row.h"

#include <stdlib.h>
#include <string.h>

int64_t siting_store_latest(struct db *db)
{
    return db_query_int(db, "SELECT max(id) FROM siting_versions", 0, "");
}

char *siting_store_geojson(struct db *db, int64_t version, size_t *len)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT geojson FROM siting_versions WHERE id = ?");
    if (!st)
        return NULL;
    char *out = NULL;
    if (db_bind(st, "i", version) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        *len = (size_t)sqlite3_column_bytes(st, 0);
        out = xmalloc(*len + 1);
        memcpy(out, sqlite3_column_text(st, 0), *len);
        out[*len] = '\0';
    }
    sqlite3_reset(st);
    return out;
}

int siting_store_version_add(struct db *db, const char *name, int64_t units, const char *geojson,
                             size_t len, const char *actor, int64_t *id)
{
    /* the GeoJSON need not be NUL-terminated: bound by its length as a blob
     * and kept as the text it is */
    if (db_run(db,
               "INSERT INTO siting_versions (name, units, geojson, created_at, created_by) "
               "VALUES (?, ?, CAST(? AS TEXT), ?, ?)",
               "tibit", name, units, geojson, len, (int64_t)timeutil_now(), actor))
        return -1;
    *id = db_last_id(db);
    return 0;
}

int siting_store_unit_add(struct db *db, int64_t version, const char *code, json_t *attrs)
{
    char *text = json_dumps(attrs, JSON_COMPACT);
    int rc = db_run(db, "INSERT INTO siting_units (version_id, code, attrs) VALUES (?, ?, ?)",
                    "itt", version, code, text);
    free(text);
    return rc ? -1 : 0;
}

json_t *siting_store_versions(struct db *db)
{
    return db_query_rows(db,
                         "SELECT id, name, units, created_at, created_by FROM siting_versions "
                         "ORDER BY id DESC LIMIT 100",
                         "");
}

int siting_store_check_add(struct db *db, int64_t version, int64_t enterprise_id,
                           const char *industry, json_t *location, json_t *result,
                           const char *verdict, int64_t *id)
{
    char *text = json_dumps(result, JSON_COMPACT | JSON_REAL_PRECISION(12));
    char *loc = json_dumps(location, JSON_COMPACT | JSON_REAL_PRECISION(12));
    int rc = db_run(db,
                    "INSERT INTO siting_checks (version_id, enterprise_id, industry, location, "
                    "result, verdict, created_at) VALUES (?, nullif(?, 0), ?, ?, ?, ?, ?)",
                    "iitttti", version, enterprise_id, industry, loc, text, verdict,
                    (int64_t)timeutil_now());
    free(text);
    free(loc);
    if (rc)
        return -1;
    *id = db_last_id(db);
    return 0;
}

json_t *siting_store_check(struct db *db, int64_t id)
{
    return db_query_one(db,
                        "SELECT result AS result_json, coalesce(enterprise_id, 0) AS "
                        "enterprise_id, created_at FROM siting_checks WHERE id = ?",
                        "i", id);
}
