/* jobs — the rules of the job facility: submit, read, cancel, the result
 * file; see jobs.h. Each write is one transaction with its audit entry. */
#include "modules/jobs/jobs.h"

#include "db/audit.h"
#include "db/db.h"
#include "modules/jobs/runner.h"
#include "modules/jobs/store.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum err jobs_submit_tx(struct db *db, const struct job_kind *kind, const struct jobs_viewer *owner,
                        const char *title, json_t *params, const char *payload, size_t len,
                        int64_t *id, struct problem *p)
{
    struct audit_actor actor = {owner->user_id, owner->name};
    int64_t pending = jobs_store_pending(db, owner->user_id);
    *id = -1;
    if (pending < 0)
        return problem_set(p, ERR_INTERNAL, NULL, "%s", "");
    if (pending >= JOBS_MAX_PENDING)
        return problem_set(p, ERR_TOO_MANY_ATTEMPTS, NULL,
                           "您已有 %d 个任务在排队或运行，请等其完成后再提交", JOBS_MAX_PENDING);
    char *ptext = params ? json_dumps(params, JSON_COMPACT) : NULL;
    struct jobs_store_new n = {kind->name,     title,   owner->name,      ptext ? ptext : "{}",
                               owner->user_id, payload, payload ? len : 0};
    *id = jobs_store_insert(db, &n);
    free(ptext);
    json_t *detail = json_pack("{s:s, s:s}", "kind", kind->name, "title", title);
    int bad = *id < 0 || audit_append_id(db, &actor, "job.submit", "job", *id, detail);
    json_decref(detail);
    return bad ? problem_set(p, ERR_INTERNAL, NULL, "%s", "") : ERR_OK;
}

enum err jobs_submit(struct db *db, const struct job_kind *kind, const struct jobs_viewer *owner,
                     const char *title, json_t *params, const char *payload, size_t len,
                     int64_t *id, struct problem *p)
{
    if (db_begin(db))
        return problem_set(p, ERR_INTERNAL, NULL, "%s", "");
    enum err e = jobs_submit_tx(db, kind, owner, title, params, payload, len, id, p);
    if (e != ERR_OK) {
        db_rollback(db);
        return e;
    }
    if (db_commit(db)) /* rolled back */
        return problem_set(p, ERR_INTERNAL, NULL, "%s", "");
    jobs_wake();
    return ERR_OK;
}

static bool jobs_visible(json_t *row, const struct jobs_viewer *viewer)
{
    return !viewer || viewer->admin ||
           json_integer_value(json_object_get(row, "owner_id")) == viewer->user_id;
}

/* The stored row as the API shows it, with the live progress of a job this
 * process runs (its row may lag: see runner.c). */
static json_t *jobs_view(json_t *row)
{
    struct jobs_live l;
    if (jobs_live_get(json_integer_value(json_object_get(row, "id")), &l) &&
        !strcmp(json_string_value(json_object_get(row, "state")), "running")) {
        json_object_set_new(row, "done", json_integer(l.done));
        json_object_set_new(row, "total", json_integer(l.total));
        json_object_set_new(row, "eta_seconds", json_integer(l.eta));
        json_object_set_new(row, "message", json_string(l.message));
        if (l.cancel)
            json_object_set_new(row, "cancel_requested", json_integer(1));
    }
    json_t *eta = json_object_get(row, "eta_seconds");
    if (json_is_integer(eta) && json_integer_value(eta) < 0)
        json_object_set_new(row, "eta_seconds", json_null());
    json_object_set_new(row, "has_file",
                        json_boolean(json_integer_value(json_object_get(row, "has_file"))));
    json_object_set_new(row, "cancel_requested",
                        json_boolean(json_integer_value(json_object_get(row, "cancel_requested"))));
    return row;
}

json_t *jobs_get(struct db *db, int64_t id, const struct jobs_viewer *viewer, enum err *e)
{
    json_t *row = NULL;
    int rc = jobs_store_get(db, id, &row);
    *e = rc < 0 ? ERR_INTERNAL : ERR_OK;
    if (rc <= 0)
        return NULL;
    if (!jobs_visible(row, viewer)) {
        json_decref(row);
        return NULL;
    }
    return jobs_view(row);
}

json_t *jobs_list(struct db *db, const struct jobs_viewer *viewer, bool mine, int limit)
{
    int64_t owner = viewer->admin && !mine ? 0 : viewer->user_id;
    json_t *rows = jobs_store_list(db, owner, limit), *row;
    size_t i;
    json_array_foreach(rows, i, row)
    {
        jobs_view(row);
    }
    return rows;
}

static enum err jobs_failed(struct db *db, struct problem *p)
{
    db_rollback(db);
    return problem_set(p, ERR_INTERNAL, NULL, "%s", "");
}

enum err jobs_cancel(struct db *db, const struct jobs_viewer *viewer, int64_t id, struct problem *p,
                     json_t **result)
{
    enum err e;
    json_t *job = jobs_get(db, id, viewer, &e);
    if (!job)
        return e != ERR_OK ? problem_set(p, e, NULL, "%s", "")
                           : problem_set(p, ERR_NOT_FOUND, NULL, "%s", "");
    json_decref(job);
    struct audit_actor actor = {viewer ? viewer->user_id : 0, viewer ? viewer->name : "system"};
    /* Running here: the flag in memory, without waiting for a write lock the
     * job may hold; the runner audits the cancel when the job stops. */
    if (jobs_live_cancel(id, actor.id, actor.name)) {
        *result = jobs_get(db, id, NULL, &e);
        return *result ? ERR_OK : problem_set(p, ERR_INTERNAL, NULL, "%s", "");
    }
    if (db_begin(db))
        return problem_set(p, ERR_INTERNAL, NULL, "%s", "");
    int changed = jobs_store_request_cancel(db, id);
    if (changed < 0)
        return jobs_failed(db, p);
    if (changed == 0) {
        db_rollback(db);
        return problem_set(p, ERR_INVALID_STATE, NULL, "任务已结束，无法取消");
    }
    if (audit_append_id(db, &actor, "job.cancel", "job", id, NULL) || db_commit(db))
        return jobs_failed(db, p);
    *result = jobs_get(db, id, NULL, &e);
    return *result ? ERR_OK : problem_set(p, ERR_INTERNAL, NULL, "%s", "");
}

int jobs_purge_files(struct db *db, int64_t now)
{
    json_t *rows = jobs_store_old_files(db, now - (int64_t)JOBS_KEEP_DAYS * 86400), *row;
    size_t i;
    int rc = rows ? 0 : -1;
    json_array_foreach(rows, i, row)
    {
        const char *path = json_string_value(json_object_get(row, "file_path"));
        if (path && unlink(path) && errno != ENOENT)
            rc = -1; /* kept: tried again next time */
        else if (jobs_store_forget_file(db, json_integer_value(json_object_get(row, "id"))))
            rc = -1;
    }
    json_decref(rows);
    return rc;
}

/* Copies s into out[n], or "" when s is NULL. */
static void jobs_copy(char *out, size_t n, const char *s)
{
    snprintf(out, n, "%s", s ? s : "");
}

enum err jobs_result_file(struct db *db, const struct jobs_viewer *viewer, int64_t id, int *fd,
                          uint64_t *size, char mime[64], char name[128], struct problem *p)
{
    json_t *row = NULL;
    int rc = jobs_store_file(db, id, &row);
    if (rc < 0)
        return problem_set(p, ERR_INTERNAL, NULL, "%s", "");
    if (rc == 0 || !jobs_visible(row, viewer)) {
        json_decref(row);
        return problem_set(p, ERR_NOT_FOUND, NULL, "%s", "");
    }
    const char *state = json_string_value(json_object_get(row, "state"));
    const char *path = json_string_value(json_object_get(row, "file_path"));
    if (!path) {
        bool ended = state && strcmp(state, "queued") && strcmp(state, "running");
        json_decref(row);
        return ended ? problem_set(p, ERR_NOT_FOUND, NULL, "该任务没有可下载的文件")
                     : problem_set(p, ERR_INVALID_STATE, NULL, "任务尚未完成");
    }
    jobs_copy(mime, 64, json_string_value(json_object_get(row, "file_mime")));
    jobs_copy(name, 128, json_string_value(json_object_get(row, "file_name")));
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    json_decref(row);
    struct stat st;
    if (*fd < 0 || fstat(*fd, &st)) {
        if (*fd >= 0)
            close(*fd);
        return problem_set(p, ERR_NOT_FOUND, NULL, "结果文件已不存在，请重新提交任务");
    }
    *size = (uint64_t)st.st_size;
    return ERR_OK;
}
