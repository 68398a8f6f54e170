/* pmf job — an analysis as a job of the shared job facility (modules/jobs):
 * the kind "pmf.analysis" solves one analysis on the worker's connection,
 * reporting progress (runs done, current Q, time left) about once a second
 * and stopping when a cancel is asked for or the server stops (the analysis
 * is then queued again for the next start: its input is stored and nothing
 * is written before it ends). OpenBLAS runs single-threaded
 * (domain/pmf_model.c). */
#include "modules/pmf/analysis.h"

#include "core/timeutil.h"
#include "db/users.h"
#include "domain/pmf_json.h"
#include "modules/jobs/jobs.h"
#include "modules/pmf/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Progress is written at most this often. */
#define PMF_JOB_PROGRESS_MS 1000

struct pmf_job_ctx {
    struct db *db;
    struct job *job;
    int64_t id;
    int64_t last;
    int offset, total; /* runs before this stage, runs in all stages */
};

static int pmf_job_hook(void *arg, const struct pmf_progress *pr)
{
    struct pmf_job_ctx *c = arg;
    int64_t now = timeutil_now_ms();
    if (c->last && now - c->last < PMF_JOB_PROGRESS_MS)
        return 0;
    c->last = now;
    int done = c->offset + pr->runs_done;
    double q = isfinite(pr->q) ? pr->q : 0;
    char message[64];
    snprintf(message, sizeof message, "Q = %.0f", q);
    pmf_store_progress(c->db, c->id, done, c->total, q, -1);
    return job_progress(c->job, done, c->total, message) ? 0 : 1;
}

/* Solves (and bootstraps) one factor count; 0 with *doc, 1 stopped or
 * cancelled, -1 failed. c->offset says how many runs came before. */
static int pmf_job_solve_k(struct pmf_job_ctx *c, struct pmf_job_input *in, json_t **doc)
{
    struct pmf_solution s;
    struct pmf_report r;
    struct pmf_error e;

    int rc = pmf_solve(&in->problem, &in->config, pmf_job_hook, c, &s, &e);
    if (rc) {
        pmf_solution_free(&s);
        return rc;
    }
    pmf_report_build(&in->problem, &s, &in->config, &r);
    *doc = pmf_json_result(&in->data, &in->problem, &in->config, &s, &r);
    if (in->boot.runs > 0) {
        struct pmf_boot_result br;
        c->offset += in->config.runs;
        rc = pmf_bootstrap(&in->problem, &in->config, &s.runs[s.best], &in->boot, pmf_job_hook, c,
                           &br, &e);
        c->offset += in->boot.runs;
        if (rc == 0)
            json_object_set_new(*doc, "bootstrap", pmf_json_boot(&in->boot, &br));
        pmf_boot_result_free(&br);
    } else {
        c->offset += in->config.runs;
    }
    pmf_report_free(&r);
    pmf_solution_free(&s);
    if (rc) {
        json_decref(*doc);
        *doc = NULL;
    }
    return rc;
}

/* A sweep's line for one factor count: Q/Q_exp beside bootstrap stability. */
static json_t *pmf_job_sweep_entry(json_t *doc)
{
    json_t *boot = json_object_get(doc, "bootstrap");
    return json_pack("{s:O, s:O, s:O, s:O, s:O, s:O}", "factors",
                     json_object_get(json_object_get(doc, "config"), "factors"), "q_true",
                     json_object_get(doc, "q_true"), "q_robust", json_object_get(doc, "q_robust"),
                     "q_expected", json_object_get(doc, "q_expected"), "q_ratio",
                     json_object_get(doc, "q_ratio"), "stability",
                     boot ? json_object_get(boot, "stability") : json_null());
}

/* Solves one analysis (or each factor count of a sweep); the result JSON or
 * NULL (stopped, cancelled or failed: *why says which). */
static json_t *pmf_job_solve(struct pmf_job_ctx *c, struct pmf_job_input *in, const char **why)
{
    int first = in->config.factors, last = in->sweep_to ? in->sweep_to : first, rc = 0;
    json_t *doc = NULL, *sweep = in->sweep_to ? json_array() : NULL;

    c->total = (last - first + 1) * (in->config.runs + in->boot.runs);
    for (int k = first; k <= last && rc == 0; k++) {
        json_t *one = NULL;
        in->config.factors = k;
        rc = pmf_job_solve_k(c, in, &one);
        if (rc == 0 && sweep) {
            json_array_append_new(sweep, pmf_job_sweep_entry(one));
            if (!doc) {
                doc = json_pack("{s:O, s:O}", "config", json_object_get(one, "config"), "input",
                                json_object_get(one, "input"));
                json_object_set(doc, "method", json_object_get(one, "method"));
            }
            json_decref(one);
        } else if (rc == 0) {
            doc = one;
        }
    }
    if (rc) {
        *why = rc < 0 ? "failed" : "stopped";
        json_decref(doc);
        json_decref(sweep);
        return NULL;
    }
    if (sweep)
        json_object_set_new(doc, "sweep", sweep);
    return doc;
}

/* The kind's run function: params {analysis_id}. */
static enum job_outcome pmf_job_run(struct job *j, struct db *db, json_t *params,
                                    const char *payload, size_t len)
{
    struct pmf_job_input in;
    struct problem p = {0};
    int64_t id = json_integer_value(json_object_get(params, "analysis_id"));
    struct pmf_job_ctx c = {.db = db, .job = j, .id = id};
    char *conc = NULL, *unc = NULL, *stext = NULL;
    const char *why = "failed";
    (void)payload;
    (void)len;

    if (pmf_store_input(db, id, &conc, &unc, &stext) != 1) {
        job_fail(j, "解析 %lld 不存在", (long long)id);
        return JOB_FAILED;
    }
    json_t *settings = json_loads(stext, 0, NULL);
    enum err e = pmf_job_input_build(conc, unc, settings, &in, &p);
    json_decref(settings);
    free(conc);
    free(unc);
    free(stext);
    if (e != ERR_OK) {
        pmf_store_finish(db, id, "failed", p.message, NULL);
        job_fail(j, "%s", p.message);
        return JOB_FAILED;
    }
    json_t *doc = pmf_job_solve(&c, &in, &why);
    pmf_job_input_free(&in);
    if (!doc && !strcmp(why, "stopped"))
        return JOB_STOPPED;
    if (!doc) {
        static const char diverged[] = "模型未能收敛（Q 非数值），请检查不确定度";
        pmf_store_finish(db, id, "failed", diverged, NULL);
        job_fail(j, "%s", diverged);
        return JOB_FAILED;
    }
    char *text = json_dumps(doc, JSON_COMPACT);
    pmf_store_progress(db, id, c.total, c.total, json_real_value(json_object_get(doc, "q_robust")),
                       0);
    job_progress(j, c.total, c.total, NULL);
    pmf_store_finish(db, id, "done", "", text);
    free(text);
    json_decref(doc);
    job_set_result(j, json_pack("{s:I}", "analysis_id", (json_int_t)id));
    return JOB_DONE;
}

const struct job_kind pmf_job_kind = {
    .name = "pmf.analysis",
    .rerun_after_restart = true,
    .run = pmf_job_run,
};

enum err pmf_job_queue_tx(struct db *db, const struct jobs_viewer *owner, int64_t id,
                          const char *title, struct problem *p)
{
    json_t *params = json_pack("{s:I}", "analysis_id", (json_int_t)id);
    int64_t job = -1;
    /* The job's title is the analysis' own; the UI names the kind in its language. */
    enum err e =
        jobs_submit_tx(db, &pmf_job_kind, owner, title ? title : "", params, NULL, 0, &job, p);
    json_decref(params);
    if (e == ERR_OK && pmf_store_set_job(db, id, job))
        e = problem_set(p, ERR_INTERNAL, NULL, "%s", "");
    return e;
}

int pmf_job_adopt(struct db *db)
{
    json_t *rows = pmf_store_orphans(db), *row;
    size_t i;
    int rc = rows ? 0 : -1;
    json_array_foreach(rows, i, row)
    {
        const char *by = json_string_value(json_object_get(row, "created_by"));
        struct user u = {0};
        struct jobs_viewer owner = {0, by ? by : "system", false};
        if (by && users_find_by_name(db, by, &u, NULL) == 0)
            owner.user_id = u.id;
        struct problem p;
        if (db_begin(db) ||
            pmf_job_queue_tx(db, &owner, json_integer_value(json_object_get(row, "id")),
                             json_string_value(json_object_get(row, "title")), &p) != ERR_OK) {
            db_rollback(db);
            rc = -1;
        } else if (db_commit(db)) {
            rc = -1;
        }
    }
    json_decref(rows);
    return rc;
}
