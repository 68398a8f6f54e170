/* tracker_export — the 督办 tracker's list as an Excel workbook written by a
 * job of the shared facility (modules/jobs): the same filters, the same
 * columns and the same role scope as GET /api/v1/service/tracker?format=xlsx,
 * but without its row limit (up to SVC_EXPORT_MAX_ROWS), with progress and
 * cancel. The job reads as the user who asked, loaded again when it runs (a
 * user disabled meanwhile gets nothing), and writes only its own file, so a
 * job interrupted by a restart simply runs again. */
#include "app/kit_list.h"
#include "core/log.h"
#include "db/calendar.h"
#include "db/users.h"
#include "modules/jobs/jobs.h"
#include "modules/service/service.h"

#include <stdio.h>
#include <unistd.h>

/* The export's bound: a city's tracker holds a few thousand items a year. */
#define SVC_EXPORT_MAX_ROWS 100000

static int svc_export_progress(void *arg, size_t done, size_t total)
{
    char message[64];
    snprintf(message, sizeof message, "写入第 %zu / %zu 行", done, total);
    return job_progress(arg, (int64_t)done, (int64_t)total, message) ? 0 : 1;
}

static enum job_outcome svc_export_run(struct job *j, struct db *db, json_t *params,
                                       const char *payload, size_t len)
{
    (void)payload;
    (void)len;
    struct user u;
    struct svc_ctx c = {.db = db};
    char path[JOBS_PATH_MAX];
    if (users_get(db, json_integer_value(json_object_get(params, "user_id")), &u) != 0 ||
        u.disabled) {
        job_fail(j, "提交任务的用户不存在或已停用");
        return JOB_FAILED;
    }
    if (!job_progress(j, 0, 0, "查询督办事项"))
        return JOB_STOPPED;
    struct calendar *cal = db_calendar_load(db);
    c.cal = cal;
    c.user = &u;
    c.actor = (struct audit_actor){u.id, u.username};
    svc_ctx_clock(&c);
    json_t *items =
        cal ? svc_item_list(&c, json_object_get(params, "filter"), SVC_EXPORT_MAX_ROWS) : NULL;
    calendar_free(cal);
    if (!items) {
        job_fail(j, "导出失败：数据库错误");
        return JOB_FAILED;
    }
    if (job_result_file(j, path, "tracker.xlsx",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")) {
        json_decref(items);
        job_fail(j, "无法生成导出文件");
        return JOB_FAILED;
    }
    size_t n = json_array_size(items);
    int rc = kit_xlsx_write_progress(path, items, &svc_item_sheet, svc_export_progress, j);
    json_decref(items);
    if (rc == 1)
        return JOB_STOPPED; /* the facility deletes the partial file */
    if (rc != 0) {
        job_fail(j, "无法写入导出文件");
        return JOB_FAILED;
    }
    if (!job_progress(j, (int64_t)n, (int64_t)n, ""))
        return JOB_STOPPED;
    job_set_result(j, json_pack("{sI}", "rows", (json_int_t)n));
    return JOB_DONE;
}

static const struct job_kind svc_export_kind = {
    .name = "service.tracker_export",
    .rerun_after_restart = true,
    .run = svc_export_run,
};

int svc_tracker_export_register(struct db *db)
{
    return jobs_register(db, &svc_export_kind);
}

enum err svc_tracker_export_submit(struct db *db, const struct jobs_viewer *owner, json_t *filter,
                                   int64_t *job_id, struct problem *p)
{
    json_t *params = json_pack("{sI sO}", "user_id", (json_int_t)owner->user_id, "filter", filter);
    /* No title of its own: the UI names the kind in its language. */
    enum err e = jobs_submit(db, &svc_export_kind, owner, "", params, NULL, 0, job_id, p);
    json_decref(params);
    return e;
}
