/* supervision answer — the enterprise answers a rectification order in its
 * portal: evidence files first (kept by the service module's attachments,
 * owner kind "rectification"), then what it did; the order stays open,
 * marked answered, until staff verify it (sup_rectification_done). A new
 * order reaches the enterprise's accounts through the bell. */
#include "modules/service/service.h"
#include "modules/supervision/rules.h"
#include "modules/supervision/store.h"
#include "modules/supervision/supervision.h"
#include "app/field.h"
#include "core/timeutil.h"

#include <stdio.h>
#include <string.h>

/* The order when it is enterprise_id's own (any when 0); NULL otherwise. */
static json_t *sup_rect_of(struct db *db, int64_t enterprise_id, int64_t id)
{
    json_t *r = sup_store_record(db, SUP_RECTIFICATION, id);
    if (r && enterprise_id &&
        json_integer_value(json_object_get(r, "enterprise_id")) != enterprise_id) {
        json_decref(r);
        return NULL;
    }
    return r;
}

/* ERR_OK when the order is the enterprise's own and open. */
static enum err sup_rect_answerable(struct db *db, int64_t enterprise_id, int64_t id,
                                    struct problem *p)
{
    if (enterprise_id <= 0)
        return problem_set(p, ERR_FORBIDDEN, NULL, "只有企业可以回复整改");
    json_t *r = sup_rect_of(db, enterprise_id, id);
    if (!r)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该整改事项");
    bool open = !strcmp(json_string_value(json_object_get(r, "status")), "open");
    json_decref(r);
    if (!open)
        return problem_set(p, ERR_INVALID_STATE, NULL, "该整改事项已核查完成");
    return ERR_OK;
}

static size_t sup_rect_files(struct db *db, int64_t id)
{
    struct svc_ctx sc = {.db = db};
    json_t *files = svc_attach_list(&sc, "rectification", id);
    size_t n = json_array_size(files);
    json_decref(files);
    return n;
}

enum err sup_rectification_file(struct svc_ctx *sc, int64_t enterprise_id, int64_t id,
                                const char *filename, const void *data, size_t len,
                                int64_t *file_id, struct problem *p)
{
    memset(p, 0, sizeof *p);
    if (sup_rect_answerable(sc->db, enterprise_id, id, p))
        return p->err;
    return svc_attach_add_checked(sc, "rectification", id, enterprise_id, filename, data, len,
                                  file_id, p);
}

enum err sup_rectification_answer(struct sup_ctx *c, int64_t enterprise_id, int64_t id, json_t *in,
                                  json_t **out, struct problem *p)
{
    const char *answer;
    if (field_text(in, "answer", "整改情况说明", SUP_TEXT_MAX, FIELD_REQUIRED | FIELD_MULTILINE,
                   &answer, p) ||
        sup_rect_answerable(c->db, enterprise_id, id, p))
        return p->err;
    if (!sup_rect_files(c->db, id))
        return problem_set(p, ERR_INVALID_FIELD, "files", "请先上传整改佐证材料");
    if (sup_begin(c, p))
        return p->err;
    if (sup_commit(c, sup_store_rectification_answer(c->db, id, answer, c->today, c->actor->name),
                   "supervision.rectification.answer", "sup_rectification", id, in, p))
        return p->err;
    bool missing = false;
    *out = sup_rectification_view(c->db, enterprise_id, id, &missing);
    return ERR_OK;
}

int sup_rect_notify(struct sup_ctx *c, int64_t enterprise_id, const char *due)
{
    json_t *users = sup_store_enterprise_users(c->db, enterprise_id);
    if (!users)
        return -1;
    char msg[300];
    snprintf(msg, sizeof msg,
             "贵单位有新的整改要求，请于 %s 前完成整改，并在企业端“整改回复”中上传佐证材料。", due);
    struct svc_ctx s = {.db = c->db, .now = timeutil_now()};
    int rc = 0;
    size_t i;
    json_t *u;
    json_t *note = json_pack("{ss}", "due", due);
    json_array_foreach(users, i, u) rc |= svc_notify(
        &s, json_integer_value(json_object_get(u, "id")), 0, "rectification_order", msg, note);
    json_decref(note);
    json_decref(users);
    return rc ? -1 : 0;
}

json_t *sup_rectification_view(struct db *db, int64_t enterprise_id, int64_t id, bool *missing)
{
    json_t *r = sup_rect_of(db, enterprise_id, id);
    *missing = !r;
    if (!r)
        return NULL;
    struct svc_ctx sc = {.db = db};
    json_object_set_new(r, "files", svc_attach_list(&sc, "rectification", id));
    return r;
}
