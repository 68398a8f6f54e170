/* jobs — the one facility for long work (docs/jobs.md): imports, report
 * generation, PMF runs and any batch a request should not wait for. A job
 * has a kind, an owner, a state, progress (done of total, a message, time
 * left), and ends with a JSON result and/or a file to download, or an error.
 *
 * States: queued -> running -> done | failed | cancelled; queued ->
 * cancelled. A bounded pool of worker threads runs queued jobs oldest first,
 * each on its own database connection. Cancel is cooperative: job_progress()
 * tells the running job to stop. At start-up a kind's jobs left running by a
 * stopped server are queued again when the kind says re-running is safe
 * (its input is stored and its effects are all-or-nothing), else failed as
 * interrupted; a stop in progress does the same.
 *
 * Who sees what: a user sees and cancels the jobs they started; an admin
 * sees all. Another user's job is 404, as if it did not exist.
 *
 * What other modules may call: everything below. */
#ifndef ECOGOV_MODULES_JOBS_H
#define ECOGOV_MODULES_JOBS_H

#include "app/module.h"
#include "core/problem.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct job;

enum job_outcome {
    JOB_DONE,    /* result (job_set_result) and/or file (job_result_file) set */
    JOB_FAILED,  /* job_fail said why */
    JOB_STOPPED, /* job_progress returned false: cancelled or the server stops */
};

/* A kind of job, registered once per process by the module that owns it. */
struct job_kind {
    const char *name; /* stable, stored: "pmf.analysis", "registry.import" */
    /* Queued again after a restart instead of failed as interrupted. */
    bool rerun_after_restart;
    /* Runs one job on the worker's connection db. params is what was
     * submitted; payload (len bytes, NUL-terminated, "" when none) the
     * submitted data (an uploaded file). Must call job_progress often enough
     * for cancel to be felt (it is cheap: it writes at most twice a second). */
    enum job_outcome (*run)(struct job *j, struct db *db, json_t *params, const char *payload,
                            size_t len);
};

/* Registers kind (static storage) and settles its jobs left running by an
 * earlier process (see above). Idempotent. 0, or -1 (too many kinds, or a
 * database error: logged). */
int jobs_register(struct db *db, const struct job_kind *kind);

/* Who submits or looks: the user's id and name, and whether they are an
 * admin (sees every job). */
struct jobs_viewer {
    int64_t user_id;
    const char *name;
    bool admin;
};

/* Queues a job of kind for owner: title (shown in the jobs panel after the
 * kind's name, which the UI gives in its language: a user's own words such
 * as an analysis' title, or ""), params
 * (borrowed), payload (copied, may be NULL). ERR_OK with *id; 429 when the
 * owner already has JOBS_MAX_PENDING queued or running; 500. Wakes the pool. */
#define JOBS_MAX_PENDING 10
enum err jobs_submit(struct db *db, const struct job_kind *kind, const struct jobs_viewer *owner,
                     const char *title, json_t *params, const char *payload, size_t len,
                     int64_t *id, struct problem *p);
/* jobs_submit inside the caller's open transaction (a module that records
 * the job beside its own rows); the caller calls jobs_wake() after commit. */
enum err jobs_submit_tx(struct db *db, const struct job_kind *kind, const struct jobs_viewer *owner,
                        const char *title, json_t *params, const char *payload, size_t len,
                        int64_t *id, struct problem *p);
void jobs_wake(void);

/* One job as the API shows it (new reference): id, kind, title, owner,
 * state, done, total, message, eta_seconds, error, result, has_file,
 * file_name, created_at, started_at, finished_at; NULL when absent or not
 * the viewer's (viewer NULL: no check, for a module that checked itself).
 * *e is ERR_INTERNAL on a database error. */
json_t *jobs_get(struct db *db, int64_t id, const struct jobs_viewer *viewer, enum err *e);
/* The viewer's jobs (an admin's: everyone's, or only their own with mine),
 * newest first, at most limit; NULL on a database error. */
json_t *jobs_list(struct db *db, const struct jobs_viewer *viewer, bool mine, int limit);
/* Asks job id to stop: queued -> cancelled at once, running -> asked (the
 * job stops at its next progress). 404 when absent or not the viewer's
 * (viewer NULL: no check), 409 when already ended. Audited. *result: the job. */
enum err jobs_cancel(struct db *db, const struct jobs_viewer *viewer, int64_t id, struct problem *p,
                     json_t **result);
/* The job's result file, opened: *fd (the caller closes), *size, its MIME
 * type and download name (static until the next call on this thread is not
 * promised: copied into mime[64] and name[128]). 404 absent / not the
 * viewer's / no file, 409 not done. */
enum err jobs_result_file(struct db *db, const struct jobs_viewer *viewer, int64_t id, int *fd,
                          uint64_t *size, char mime[64], char name[128], struct problem *p);

/* Removes the result files of jobs that ended more than JOBS_KEEP_DAYS ago
 * (the rows stay, without a file: the result answers 404 "no file"). The
 * jobs module's periodic work. 0 or -1. */
#define JOBS_KEEP_DAYS 7
int jobs_purge_files(struct db *db, int64_t now);

/* --- inside a running job (the kind's run function) --- */

int64_t job_id(const struct job *j);
/* Progress: done of total (total 0 = unknown), message (may be NULL).
 * Returns false when the job must stop now (cancel asked, server stopping):
 * the run function then returns JOB_STOPPED. */
bool job_progress(struct job *j, int64_t done, int64_t total, const char *message);
/* The job's JSON result (stolen). */
void job_set_result(struct job *j, json_t *result);
/* Why the job failed (Chinese, for people). */
void job_fail(struct job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A path (into path, JOBS_PATH_MAX bytes) the run function writes its
 * result file to, served as name (download name) with mime (static). 0 or
 * -1 (no var_dir/jobs). */
#define JOBS_PATH_MAX 512
int job_result_file(struct job *j, char path[JOBS_PATH_MAX], const char *name, const char *mime);

/* --- the pool (started by the jobs module with the server; the demo runs
 * its own while it makes demo data) --- */

/* Starts n worker threads on database db_path; result files under
 * var_dir/jobs. 0 or -1. */
int jobs_pool_start(const char *db_path, const char *var_dir, int n);
void jobs_pool_stop(void);

extern const struct module jobs_module;

#endif
