/* approval materials — the files of an application's materials: each item of
 * the category's checklist (configuration "materials") receives files, kept
 * as versions (a file sent again after a 补正 does not replace the older one,
 * which stays listed and downloadable). A material counts as received only
 * when it has a file: acceptance and the 容缺 supplement read the files, not
 * what the applicant ticked. The bytes, their type check and the download
 * with its role check are the service module's attachments (owner kind
 * "eia_material" of the application, enterprise = the applicant), so there
 * is one attachment store and one download route. */
#include "modules/approval/procedure.h"
#include "db/db.h"
#include "db/users.h"
#include "modules/service/service.h"

#include <stdio.h>
#include <string.h>

/* At most this many versions of one material: a bound on what one case may
 * store, well above the 补正 rounds a case goes through. */
#define APPROVAL_MATERIAL_VERSIONS 10

/* The checklist item of key in the category's list; NULL when not on it. */
static json_t *approval_material_item(json_t *cfg, const char *category, const char *key)
{
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(json_object_get(cfg, "materials"), category), i, item)
    {
        const char *k = json_string_value(json_object_get(item, "key"));
        if (k && !strcmp(k, key))
            return item;
    }
    return NULL;
}

/* A service context on who's connection: the files' store and their audit. */
static void approval_material_ctx(const struct approval_who *who, struct svc_ctx *sc)
{
    memset(sc, 0, sizeof *sc);
    sc->db = who->db;
    sc->cfg = who->cfg;
    sc->actor = who->actor;
    sc->user = who->user;
    svc_ctx_clock(sc);
}

json_t *approval_material_list(struct db *db, json_t *cfg, const struct approval_row *a)
{
    struct svc_ctx sc = {.db = db};
    json_t *rows = approval_store_material_files(db, a->id);
    json_t *files = svc_attach_list(&sc, "eia_material", a->id);
    json_t *owed = json_object_get(json_object_get(a->data, "rongque"), "items");
    json_t *missing = json_object_get(a->data, "missing");
    const char *due =
        json_string_value(json_object_get(json_object_get(a->data, "rongque"), "supplement_due"));
    json_t *out = json_array();
    size_t i, j, k;
    json_t *item, *row, *f, *m;
    json_array_foreach(json_object_get(json_object_get(cfg, "materials"), a->category), i, item)
    {
        json_t *key = json_object_get(item, "key");
        json_t *versions = json_array();
        json_array_foreach(rows, j, row)
        {
            if (!json_equal(json_object_get(row, "key"), key))
                continue;
            json_int_t aid = json_integer_value(json_object_get(row, "attachment_id"));
            json_array_foreach(files, k, f) if (json_integer_value(json_object_get(f, "id")) == aid)
            {
                json_t *v = json_deep_copy(f);
                char url[64];
                snprintf(url, sizeof url, "/api/v1/service/attachments/%lld", (long long)aid);
                json_object_set(v, "version", json_object_get(row, "version"));
                json_object_set(v, "note", json_object_get(row, "note"));
                json_object_set_new(v, "url", json_string(url));
                json_array_append_new(versions, v);
            }
        }
        approval_iso_column(versions, "created_at");
        bool waived = false, still_missing = false;
        json_array_foreach(owed, j, m) waived |= json_equal(m, key);
        json_array_foreach(missing, j, m) still_missing |= json_equal(m, key);
        json_t *o = json_pack("{sO sO sb sb so}", "key", key, "name", json_object_get(item, "name"),
                              "core", json_is_true(json_object_get(item, "core")), "received",
                              json_array_size(versions) > 0, "versions", versions);
        /* 容缺: owed until supplemented, with the promised day */
        if (waived)
            json_object_set_new(o, "rongque",
                                json_pack("{sb ss?}", "owed", still_missing, "due", due));
        json_array_append_new(out, o);
    }
    json_decref(rows);
    json_decref(files);
    return out;
}

int approval_material_received(struct db *db, int64_t app, const char *key)
{
    return approval_store_material_versions(db, app, key);
}

int approval_materials_from_files(struct db *db, json_t *cfg, struct approval_row *a)
{
    json_t *have = json_array(), *missing = json_array(), *missing_core = json_array();
    size_t i;
    json_t *item;
    int rc = 0;
    json_array_foreach(json_object_get(json_object_get(cfg, "materials"), a->category), i, item)
    {
        json_t *key = json_object_get(item, "key");
        int n =
            json_is_string(key) ? approval_material_received(db, a->id, json_string_value(key)) : 0;
        if (n < 0)
            rc = -1;
        json_array_append(n > 0                                         ? have
                          : json_is_true(json_object_get(item, "core")) ? missing_core
                                                                        : missing,
                          key);
    }
    json_object_set_new(a->data, "materials", have);
    json_object_set_new(a->data, "missing", missing);
    json_object_set_new(a->data, "missing_core", missing_core);
    return rc;
}

/* The case may take files: open and (the applicant) its own. */
static enum err approval_material_case(const struct approval_who *who, struct approval_row *a,
                                       struct problem *p)
{
    if (who->enterprise && a->enterprise_id != who->enterprise_id)
        return problem_set(p, ERR_NOT_FOUND, NULL, "%s", err_message(ERR_NOT_FOUND));
    if (strcmp(a->status, "submitted") && strcmp(a->status, "correction") &&
        strcmp(a->status, "accepted"))
        return problem_set(p, ERR_INVALID_STATE, "status",
                           "申请已%s，材料不能再上传（审批档案保持不变）",
                           !strcmp(a->status, "filed") ? "备案" : "办结");
    return ERR_OK;
}

static enum err approval_material_put(const struct approval_who *who, struct approval_row *a,
                                      json_t *cfg, const char *key, const char *filename,
                                      const void *data, size_t len, struct problem *p)
{
    enum err e = approval_material_case(who, a, p);
    if (e)
        return e;
    if (!approval_material_item(cfg, a->category, key))
        return problem_set(p, ERR_INVALID_FIELD, "key", "“%s”不是%s的申报材料", key, a->category);
    int n = approval_store_material_versions(who->db, a->id, key);
    if (n < 0)
        return problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    if (n >= APPROVAL_MATERIAL_VERSIONS)
        return problem_set(p, ERR_CONFLICT, "key", "每项材料最多保留 %d 个版本",
                           APPROVAL_MATERIAL_VERSIONS);
    struct svc_ctx sc;
    approval_material_ctx(who, &sc);
    int64_t aid = 0;
    e = svc_attach_put(&sc, "eia_material", a->id, a->enterprise_id, 0, filename, data, len, &aid,
                       p);
    if (e)
        return e;
    /* why this version came, for the reader of the list: a 容缺 item
     * supplemented, a file sent again after a 补正 request, or an update */
    bool owed = false;
    size_t k;
    json_t *m;
    json_array_foreach(json_object_get(a->data, "missing"), k, m) owed |=
        !strcmp(a->status, "accepted") && json_is_string(m) && !strcmp(json_string_value(m), key);
    const char *note = owed                               ? "容缺补交"
                       : n == 0                           ? ""
                       : !strcmp(a->status, "correction") ? "补正后重新提交"
                                                          : "更新版本";
    char day[11];
    int32_t d;
    day[0] = 0;
    approval_or_today(day, &d);
    json_t *detail =
        json_pack("{ss si sI}", "key", key, "version", n + 1, "attachment_id", (json_int_t)aid);
    int bad = approval_store_material_add(who->db, a->id, key, n + 1, aid, note, sc.now) ||
              approval_record_event(who->db, &who->actor, a->id, "material", day, detail);
    json_decref(detail);
    return bad ? problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL)) : ERR_OK;
}

enum err approval_material_upload(const struct approval_who *who, int64_t id, const char *key,
                                  const char *filename, const void *data, size_t len, json_t **out,
                                  struct problem *p)
{
    *out = NULL;
    memset(p, 0, sizeof *p);
    if (!who->cfg)
        return problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    if (!key || !*key || strlen(key) > 64)
        return problem_set(p, ERR_INVALID_FIELD, "key", "材料代码无效");
    struct approval_row a;
    json_t *cfg = approval_store_config(who->db);
    if (!cfg || db_begin(who->db)) {
        json_decref(cfg);
        return problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    }
    int rc = approval_store_load(who->db, id, &a);
    enum err e = rc ? problem_set(p, rc < 0 ? ERR_INTERNAL : ERR_NOT_FOUND, NULL, "%s",
                                  err_message(rc < 0 ? ERR_INTERNAL : ERR_NOT_FOUND))
                    : approval_material_put(who, &a, cfg, key, filename, data, len, p);
    if (!e && db_commit(who->db))
        e = problem_set(p, ERR_INTERNAL, NULL, "%s", err_message(ERR_INTERNAL));
    if (e) {
        db_rollback(who->db);
    } else {
        json_t *all = approval_material_list(who->db, cfg, &a), *m;
        size_t i;
        json_array_foreach(all, i, m) if (!strcmp(json_string_value(json_object_get(m, "key")),
                                                  key)) *out = json_incref(m);
        json_decref(all);
    }
    json_decref(a.data);
    json_decref(cfg);
    return e;
}
