/* supervision evidence — the files behind an enforcement case's closing and
 * an inspection's record (issue #17 item 8: evidence is real files, not
 * text and photo references). The bytes, type-by-content check, size limit
 * and download go through the service module's attachments, as the
 * enterprise's rectification answers do; here: which owner may take files,
 * and what closing a case needs (case.c). */
#include "modules/service/service.h"
#include "modules/supervision/rules.h"
#include "modules/supervision/store.h"
#include "modules/supervision/supervision.h"

#include <string.h>

static const char *sup_evidence_kind(enum sup_evidence_owner owner)
{
    return owner == SUP_EVIDENCE_CASE ? "case" : "inspection";
}

/* The owner's row (new reference) or NULL. */
static json_t *sup_evidence_owner_row(struct db *db, enum sup_evidence_owner owner, int64_t id)
{
    return owner == SUP_EVIDENCE_CASE ? sup_case_row(db, id)
                                      : sup_store_record(db, SUP_INSPECTION, id);
}

enum err sup_evidence_add(struct svc_ctx *sc, enum sup_evidence_owner owner, int64_t id,
                          const char *filename, const void *data, size_t len, int64_t *file_id,
                          struct problem *p)
{
    memset(p, 0, sizeof *p);
    json_t *row = sup_evidence_owner_row(sc->db, owner, id);
    if (!row)
        return problem_set(p, ERR_NOT_FOUND, NULL, "%s",
                           owner == SUP_EVIDENCE_CASE ? "未找到该案件" : "未找到该检查记录");
    bool closed = owner == SUP_EVIDENCE_CASE &&
                  !strcmp(json_string_value(json_object_get(row, "status")), "closed");
    json_decref(row);
    if (closed)
        return problem_set(p, ERR_INVALID_STATE, NULL, "案件已结案，不能再添加佐证材料");
    /* enterprise 0: the bureau's record, not opened by the enterprise */
    return svc_attach_add_checked(sc, sup_evidence_kind(owner), id, 0, filename, data, len, file_id,
                                  p);
}

json_t *sup_evidence_files(struct db *db, enum sup_evidence_owner owner, int64_t id, bool *missing)
{
    json_t *row = sup_evidence_owner_row(db, owner, id);
    *missing = !row;
    if (!row)
        return NULL;
    json_decref(row);
    if (owner == SUP_EVIDENCE_CASE)
        return sup_case_evidence(db, id);
    struct svc_ctx sc = {.db = db};
    return svc_attach_list(&sc, sup_evidence_kind(owner), id);
}

/* Each file of list marked with whose it is. */
static void sup_evidence_mark(json_t *list, const char *kind)
{
    json_t *f;
    size_t i;
    json_array_foreach(list, i, f)
    {
        json_object_set_new(f, "owner_kind", json_string(kind));
    }
}

json_t *sup_case_evidence(struct db *db, int64_t case_id)
{
    struct svc_ctx sc = {.db = db};
    json_t *all = svc_attach_list(&sc, "case", case_id), *rects, *r;
    size_t i;
    sup_evidence_mark(all, "case");
    rects = sup_store_case_rectification_ids(db, case_id);
    json_array_foreach(rects, i, r)
    {
        json_t *files =
            svc_attach_list(&sc, "rectification", json_integer_value(json_object_get(r, "id")));
        sup_evidence_mark(files, "rectification");
        json_array_extend(all, files);
        json_decref(files);
    }
    json_decref(rects);
    return all;
}
