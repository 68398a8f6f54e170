/* response episode — what a warning sets going: each listed enterprise with
 * measures at the warning's level gets a task and a notification (the
 * service module's bell) when the warning is issued, upgraded or downgraded,
 * and one more when it is lifted; the enterprise sees its measures and
 * confirms; staff see who has not; spot checks are supervision inspections
 * recorded against the warning. */
#include "modules/response/rules.h"
#include "modules/response/store_episode.h"

#include "app/field.h"
#include "db/db.h"
#include "domain/warning.h"
#include "modules/service/service.h"
#include "modules/supervision/supervision.h"

#include <stdio.h>
#include <string.h>

/* Notifies every active account of an enterprise. 0 or -1. */
static int resp_notify_enterprise(struct resp_ctx *c, int64_t enterprise_id, const char *kind,
                                  const char *msg, json_t *params)
{
    json_t *users = resp_store_enterprise_users(c->db, enterprise_id);
    if (!users)
        return -1;
    struct svc_ctx s = {.db = c->db, .now = c->now};
    int rc = 0;
    size_t i;
    json_t *u;
    json_array_foreach(users, i, u) rc |=
        svc_notify(&s, json_integer_value(json_object_get(u, "id")), 0, kind, msg, params);
    json_decref(users);
    return rc ? -1 : 0;
}

int resp_tasks_dispatch(struct resp_ctx *c, int64_t warning_id, const char *level)
{
    json_t *ents = resp_store_listed_at(c->db, level);
    if (!ents)
        return -1;
    char msg[300];
    snprintf(msg, sizeof msg,
             "重污染天气%s已生效，请在企业端查看贵单位本级别的应急减排措施并确认落实。",
             warning_level_zh(warning_level_parse(level)));
    int rc = 0;
    size_t i;
    json_t *e, *note = json_pack("{ss}", "level", level); /* the level's code: the UI names it */
    json_array_foreach(ents, i, e)
    {
        int64_t ent = json_integer_value(json_object_get(e, "enterprise_id"));
        rc |= resp_store_task_insert(c->db, warning_id, ent, level, c->now) ? -1 : 0;
        rc |= resp_notify_enterprise(c, ent, "response_warning", msg, note);
    }
    json_decref(note);
    json_decref(ents);
    return rc;
}

int resp_tasks_lifted(struct resp_ctx *c, int64_t warning_id)
{
    json_t *tasks = resp_store_tasks(c->db, warning_id, NULL);
    if (!tasks)
        return -1;
    int rc = 0;
    int64_t last = 0;
    size_t i;
    json_t *t;
    json_array_foreach(tasks, i, t)
    {
        int64_t ent = json_integer_value(json_object_get(t, "enterprise_id"));
        if (ent == last)
            continue;
        last = ent;
        rc |= resp_notify_enterprise(c, ent, "response_lift",
                                     "重污染天气预警已解除，可按常规恢复生产。", NULL);
    }
    json_decref(tasks);
    return rc;
}

json_t *resp_my(struct db *db, int64_t enterprise_id)
{
    json_t *w = NULL;
    if (resp_store_warning_active(db, &w) < 0)
        return NULL;
    json_t *entry = resp_list_entry_of(db, enterprise_id);
    json_t *measures = json_array(), *task = NULL;
    const char *level = w ? json_string_value(json_object_get(w, "level")) : NULL;
    size_t i;
    json_t *m;
    if (entry)
        json_array_foreach(json_object_get(entry, "measures"), i,
                           m) if (level && !strcmp(json_string_value(json_object_get(m, "level")),
                                                   level)) json_array_append(measures, m);
    if (w && level)
        task = resp_store_task_of(db, json_integer_value(json_object_get(w, "id")), enterprise_id,
                                  level);
    return json_pack("{so so so so}", "warning", w ? w : json_null(), "entry",
                     entry ? entry : json_null(), "measures", measures, "task",
                     task ? task : json_null());
}

enum err resp_my_confirm(struct resp_ctx *c, int64_t enterprise_id, json_t *in, json_t **out,
                         struct problem *p)
{
    const char *note;
    if (field_text(in, "note", "落实情况", 1000, FIELD_MULTILINE, &note, p))
        return p->err;
    json_t *w = NULL;
    if (resp_store_warning_active(c->db, &w) < 0)
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    if (!w)
        return problem_set(p, ERR_INVALID_STATE, NULL, "当前没有生效中的预警");
    int64_t wid = json_integer_value(json_object_get(w, "id"));
    json_t *task = resp_store_task_of(c->db, wid, enterprise_id,
                                      json_string_value(json_object_get(w, "level")));
    json_decref(w);
    if (!task)
        return problem_set(p, ERR_NOT_FOUND, NULL, "贵单位本级别预警无减排任务");
    int64_t tid = json_integer_value(json_object_get(task, "id"));
    bool done = !json_is_null(json_object_get(task, "confirmed_at"));
    json_decref(task);
    if (done)
        return problem_set(p, ERR_INVALID_STATE, NULL, "已确认过本级别的减排措施");
    if (db_begin(c->db))
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    if (resp_store_task_confirm(c->db, tid, c->actor->name, note, c->now) ||
        audit_append_id(c->db, c->actor, "response.task.confirm", "resp_task", tid, in) ||
        db_commit(c->db))
        return resp_internal(c, p);
    *out = resp_my(c->db, enterprise_id);
    return ERR_OK;
}

json_t *resp_warning_tasks(struct db *db, int64_t warning_id)
{
    json_t *w = resp_store_warning_get(db, warning_id);
    if (!w)
        return NULL;
    json_t *tasks = resp_store_tasks(db, warning_id, NULL);
    int total = 0, confirmed = 0;
    size_t i;
    json_t *t;
    json_array_foreach(tasks, i, t)
    {
        total++;
        confirmed += !json_is_null(json_object_get(t, "confirmed_at"));
    }
    json_decref(w);
    return json_pack("{si si si so}", "total", total, "confirmed", confirmed, "unconfirmed",
                     total - confirmed, "items", tasks ? tasks : json_array());
}

enum err resp_check_create(struct resp_ctx *c, int64_t warning_id, json_t *in, json_t **out,
                           struct problem *p)
{
    json_t *w = resp_store_warning_get(c->db, warning_id);
    if (!w)
        return problem_set(p, ERR_NOT_FOUND, NULL, "未找到该预警");
    bool active = !strcmp(json_string_value(json_object_get(w, "status")), "active");
    json_decref(w);
    if (!active)
        return problem_set(p, ERR_INVALID_STATE, NULL, "预警已解除，不能再登记预警期间检查");
    int64_t ent = json_integer_value(json_object_get(in, "enterprise_id"));
    json_t *tasks = resp_store_tasks(c->db, warning_id, NULL);
    bool listed = false;
    size_t i;
    json_t *t;
    json_array_foreach(tasks, i, t) listed |=
        json_integer_value(json_object_get(t, "enterprise_id")) == ent;
    json_decref(tasks);
    if (!listed)
        return problem_set(p, ERR_INVALID_FIELD, "enterprise_id", "该企业不在本次预警的减排任务中");
    /* The inspection itself is supervision's (its rules, its transaction). */
    struct sup_ctx s = {.db = c->db, .actor = c->actor};
    memcpy(s.today, c->today, sizeof s.today);
    json_t *insp = NULL;
    if (sup_inspection_create(&s, 0, in, &insp, p))
        return p->err;
    int64_t iid = json_integer_value(json_object_get(insp, "id"));
    if (db_begin(c->db)) {
        json_decref(insp);
        return problem_set(p, ERR_INTERNAL, NULL, "数据库错误");
    }
    json_t *detail = json_pack("{sI sI}", "warning_id", (json_int_t)warning_id, "inspection_id",
                               (json_int_t)iid);
    int rc = resp_store_check_insert(c->db, warning_id, ent, iid, c->now) ||
             audit_append_id(c->db, c->actor, "response.check.create", "resp_warning", warning_id,
                             detail) ||
             db_commit(c->db);
    json_decref(detail);
    if (rc) {
        json_decref(insp);
        return resp_internal(c, p);
    }
    *out = insp;
    return ERR_OK;
}

json_t *resp_warning_checks(struct db *db, int64_t warning_id)
{
    return resp_store_checks(db, warning_id);
}
