/* api_areas — the bureau's districts and towns/streets (区县, 乡镇/街道),
 * which the registry validates addresses against. Read through /meta. */
#include "app/app.h"
#include "app/kit.h"
#include "modules/registry/http.h"
#include "core/text.h"
#include "db/audit.h"
#include "db/db.h"

#include <stdio.h>

#define AREAS_MAX 2000

/* Checks {"districts":[{"name","towns":[…]}]}; -1 after answering 422. */
static int areas_check(struct http_req *r, json_t *districts)
{
    if (!json_is_array(districts) || json_array_size(districts) == 0) {
        http_error(r, ERR_INVALID_FIELD, "districts 须为非空列表", "districts");
        return -1;
    }
    size_t i, j, total = 0;
    json_t *d, *t;
    json_array_foreach(districts, i, d)
    {
        const char *name = json_string_value(json_object_get(d, "name"));
        json_t *towns = json_object_get(d, "towns");
        int bad = !name || !*name || text_check_field(name, 64, 0) || !json_is_array(towns);
        json_array_foreach(towns, j, t)
        {
            const char *town = json_string_value(t);
            bad |= !town || !*town || text_check_field(town, 64, 0) != TEXT_OK;
            total++;
        }
        if (bad || total > AREAS_MAX) {
            char msg[192];
            snprintf(msg, sizeof msg,
                     "第 %zu 个区县无效（名称与乡镇/街道须为不超过 64 字节的文本）", i + 1);
            http_error(r, ERR_INVALID_FIELD, msg, "districts");
            return -1;
        }
    }
    return 0;
}

static int areas_store(struct db *db, json_t *districts)
{
    if (db_exec(db, "DELETE FROM areas") != SQLITE_OK)
        return -1;
    size_t i, j;
    json_t *d, *t;
    json_array_foreach(districts, i, d)
    {
        json_array_foreach(json_object_get(d, "towns"), j, t)
        {
            sqlite3_stmt *st = db_stmt(db, "INSERT OR IGNORE INTO areas (district, town) "
                                           "VALUES (?, ?)");
            if (!st)
                return -1;
            sqlite3_bind_text(st, 1, json_string_value(json_object_get(d, "name")), -1,
                              SQLITE_STATIC);
            sqlite3_bind_text(st, 2, json_string_value(t), -1, SQLITE_STATIC);
            int rc = sqlite3_step(st);
            sqlite3_reset(st);
            if (rc != SQLITE_DONE)
                return -1;
        }
    }
    return 0;
}

void api_areas_put(struct http_req *r)
{
    json_t *body = http_body_json(r);
    if (!body)
        return;
    json_t *districts = json_object_get(body, "districts");
    if (areas_check(r, districts)) {
        json_decref(body);
        return;
    }
    struct audit_actor actor;
    kit_actor(r, &actor);
    int rc = db_begin(r->db) || areas_store(r->db, districts) ||
             audit_append(r->db, &actor, "areas.replace", "areas", "all", body) || db_commit(r->db);
    json_decref(body);
    if (rc) {
        db_rollback(r->db);
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    api_public_meta(r);
}
