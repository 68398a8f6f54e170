/* registry import job — the enterprise CSV import as a job of the shared job
 * facility (modules/jobs): thousands of rows are checked (credit code,
 * industry, area, duplicates) and written with progress and cancel instead
 * of behind a spinner. The import stays all-or-nothing: a cancel or a stop
 * before the commit writes nothing, so a job interrupted by a restart can
 * safely run again from its stored file. */
#include "core/buf.h"
#include "core/csv_write.h"
#include "modules/jobs/jobs.h"
#include "modules/registry/registry.h"

#include <stdbool.h>
#include <stdio.h>

/* The same bound as the synchronous import (http.c). */
#define REGISTRY_JOB_MAX_ROWS 100000

static int registry_job_progress(void *arg, size_t done, size_t total)
{
    char message[64];
    size_t rows = total / 2;
    bool checking = done < rows;
    snprintf(message, sizeof message, "%s第 %zu / %zu 行", checking ? "校验" : "写入",
             (checking ? done : done - rows) + 1, rows);
    return job_progress(arg, (int64_t)done, (int64_t)total, message) ? 0 : 1;
}

/* The errors by line as a CSV file for download. 0 or -1. */
static int registry_job_errors_file(struct job *j, json_t *errors)
{
    char path[JOBS_PATH_MAX];
    struct buf b;
    struct csv_out c;
    json_t *e;
    size_t i;
    if (!json_array_size(errors) ||
        job_result_file(j, path, "企业导入错误.csv", "text/csv; charset=utf-8"))
        return -1;
    buf_init(&b, 0);
    csv_out_init(&c, &b);
    csv_text(&c, "行号");
    csv_text(&c, "错误");
    csv_end_row(&c);
    json_array_foreach(errors, i, e)
    {
        csv_integer(&c, (long long)json_integer_value(json_object_get(e, "line")));
        csv_text(&c, json_string_value(json_object_get(e, "message")));
        csv_end_row(&c);
    }
    FILE *f = fopen(path, "wb");
    int rc = f && !c.failed && fwrite(b.data, 1, b.len, f) == b.len ? 0 : -1;
    if (f && fclose(f))
        rc = -1;
    buf_free(&b);
    return rc;
}

static enum job_outcome registry_job_run(struct job *j, struct db *db, json_t *params,
                                         const char *payload, size_t len)
{
    struct audit_actor actor = {json_integer_value(json_object_get(params, "user_id")),
                                json_string_value(json_object_get(params, "user"))};
    struct registry_import_hook h = {registry_job_progress, j};
    json_t *report = NULL;
    if (!actor.name)
        actor.name = "system";
    enum err e = registry_import_csv_hook(db, &actor, payload, len,
                                          json_is_true(json_object_get(params, "skip_errors")),
                                          REGISTRY_JOB_MAX_ROWS, &h, &report);
    if (e == ERR_INVALID_STATE) {
        json_decref(report);
        return JOB_STOPPED;
    }
    if (report)
        registry_job_errors_file(j, json_object_get(report, "errors"));
    if (e == ERR_IMPORT_ERRORS) {
        job_fail(j, "文件有 %zu 处错误，未导入任何记录（勾选“跳过错误行”可只导入正确的行）",
                 json_array_size(json_object_get(report, "errors")));
        job_set_result(j, report);
        return JOB_FAILED;
    }
    if (e != ERR_OK) {
        json_decref(report);
        job_fail(j, "导入失败：数据库错误");
        return JOB_FAILED;
    }
    job_set_result(j, report);
    return JOB_DONE;
}

static const struct job_kind registry_import_kind = {
    .name = "registry.import",
    .rerun_after_restart = true,
    .run = registry_job_run,
};

int registry_import_register(struct db *db)
{
    return jobs_register(db, &registry_import_kind);
}

enum err registry_import_submit(struct db *db, const struct jobs_viewer *owner, const char *data,
                                size_t len, int skip_errors, int64_t *job_id, struct problem *p)
{
    json_t *params = json_pack("{s:b, s:I, s:s}", "skip_errors", skip_errors, "user_id",
                               (json_int_t)owner->user_id, "user", owner->name);
    /* No title of its own: the UI names the kind in its language. */
    enum err e = jobs_submit(db, &registry_import_kind, owner, "", params, data, len, job_id, p);
    json_decref(params);
    return e;
}
