/* pmf job — the background worker that runs queued analyses one at a time
 * on its own database connection, writing progress (runs done, current Q,
 * time left) about once a second and stopping when a cancel is asked for or
 * the server stops (the analysis is then queued again for the next start).
 *
 * One worker: the machine's cores belong to the HTTP workers and the device
 * listener first; OpenBLAS runs single-threaded (domain/pmf_model.c). */
#include "modules/pmf/analysis.h"

#include "core/log.h"
#include "core/timeutil.h"
#include "domain/pmf_json.h"
#include "modules/pmf/store.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Idle poll, in case a poke was missed (another process queued work). */
#define PMF_JOB_IDLE_MS 2000
/* Progress is written at most this often. */
#define PMF_JOB_PROGRESS_MS 1000

static pthread_t pmf_job_thread;
static bool pmf_job_running;
static atomic_bool pmf_job_stopping;
static pthread_mutex_t pmf_job_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pmf_job_cv = PTHREAD_COND_INITIALIZER;
static bool pmf_job_poked;
static char *pmf_job_db_path;

struct pmf_job_ctx {
    struct db *db;
    int64_t id;
    int64_t t0, last;
    int offset, total; /* runs before this stage, runs in all stages */
    bool cancelled;
};

static int pmf_job_hook(void *arg, const struct pmf_progress *pr)
{
    struct pmf_job_ctx *c = arg;
    int64_t now = timeutil_now_ms();
    if (atomic_load(&pmf_job_stopping))
        return 1;
    if (now - c->last < PMF_JOB_PROGRESS_MS)
        return 0;
    c->last = now;
    int done = c->offset + pr->runs_done;
    int64_t eta = -1;
    if (done > 0)
        eta = (now - c->t0) / 1000 * (c->total - done) / done;
    pmf_store_progress(c->db, c->id, done, c->total, isfinite(pr->q) ? pr->q : 0, eta);
    if (pmf_store_cancel_requested(c->db, c->id) == 1) {
        c->cancelled = true;
        return 1;
    }
    return 0;
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

static void pmf_job_run_one(struct db *db, int64_t id, const char *conc, const char *unc,
                            const char *settings_text)
{
    struct pmf_job_input in;
    struct problem p = {0};
    struct pmf_job_ctx c = {.db = db, .id = id, .t0 = timeutil_now_ms()};
    json_t *settings = json_loads(settings_text, 0, NULL);
    const char *why = "failed";

    if (pmf_job_input_build(conc, unc, settings, &in, &p) != ERR_OK) {
        pmf_store_finish(db, id, "failed", p.message, NULL);
        json_decref(settings);
        return;
    }
    json_decref(settings);
    json_t *doc = pmf_job_solve(&c, &in, &why);
    pmf_job_input_free(&in);
    if (doc) {
        char *text = json_dumps(doc, JSON_COMPACT);
        pmf_store_progress(db, id, c.total, c.total,
                           json_real_value(json_object_get(doc, "q_robust")), 0);
        pmf_store_finish(db, id, "done", "", text);
        free(text);
        json_decref(doc);
    } else if (c.cancelled) {
        pmf_store_finish(db, id, "cancelled", "", NULL);
    } else if (!strcmp(why, "stopped")) {
        pmf_store_requeue_running(db); /* the server is stopping: run again next start */
    } else {
        pmf_store_finish(db, id, "failed", "模型未能收敛（Q 非数值），请检查不确定度", NULL);
    }
}

static void pmf_job_wait(void)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += PMF_JOB_IDLE_MS / 1000;
    pthread_mutex_lock(&pmf_job_mu);
    while (!pmf_job_poked && !atomic_load(&pmf_job_stopping))
        if (pthread_cond_timedwait(&pmf_job_cv, &pmf_job_mu, &until))
            break;
    pmf_job_poked = false;
    pthread_mutex_unlock(&pmf_job_mu);
}

static void *pmf_job_main(void *arg)
{
    char err[256];
    struct db *db = db_open(pmf_job_db_path, err, sizeof err);
    (void)arg;
    if (!db) {
        log_error("pmf: worker cannot open the database: %s", err);
        return NULL;
    }
    pmf_store_requeue_running(db);
    while (!atomic_load(&pmf_job_stopping)) {
        int64_t id;
        char *conc, *unc, *settings;
        int rc = pmf_store_claim(db, &id, &conc, &unc, &settings);
        if (rc == 1) {
            pmf_job_run_one(db, id, conc, unc, settings);
            free(conc);
            free(unc);
            free(settings);
        } else {
            pmf_job_wait();
        }
    }
    db_close(db);
    return NULL;
}

int pmf_job_start(const char *db_path)
{
    free(pmf_job_db_path);
    pmf_job_db_path = strdup(db_path);
    atomic_store(&pmf_job_stopping, false);
    if (!pmf_job_db_path || pthread_create(&pmf_job_thread, NULL, pmf_job_main, NULL)) {
        log_error("pmf: cannot start the worker");
        return -1;
    }
    pmf_job_running = true;
    return 0;
}

void pmf_job_poke(void)
{
    pthread_mutex_lock(&pmf_job_mu);
    pmf_job_poked = true;
    pthread_cond_signal(&pmf_job_cv);
    pthread_mutex_unlock(&pmf_job_mu);
}

void pmf_job_stop(void)
{
    if (!pmf_job_running)
        return;
    atomic_store(&pmf_job_stopping, true);
    pmf_job_poke();
    pthread_join(pmf_job_thread, NULL);
    pmf_job_running = false;
    free(pmf_job_db_path);
    pmf_job_db_path = NULL;
}
