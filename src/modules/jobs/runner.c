/* jobs runner — the worker pool and what a running job calls (jobs.h).
 *
 * Workers claim the oldest queued job of a registered kind in one UPDATE, so
 * two workers never run the same job, and each runs on its own database
 * connection. A running job's progress and a cancel asked for it live in
 * memory (one slot per worker), because a job may hold SQLite's one write
 * lock for long (an import writes all its rows in one transaction): readers
 * see the slot, a cancel sets its flag without waiting for the lock, and
 * the job feels it at its next progress call. The progress is also written
 * to the row at most every JOBS_PROGRESS_MS when the job is outside a
 * transaction, so other processes see it too. */
#include "modules/jobs/jobs.h"

#include "core/log.h"
#include "core/timeutil.h"
#include "db/audit.h"
#include "db/db.h"
#include "modules/jobs/runner.h"
#include "modules/jobs/store.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define JOBS_KINDS_MAX 16
#define JOBS_WORKERS_MAX 8
/* Progress is written at most this often. */
#define JOBS_PROGRESS_MS 500
/* Idle poll, in case a wake-up was missed (a job queued by another process). */
#define JOBS_IDLE_MS 2000

#define JOBS_INTERRUPTED "服务器重启或停止，任务中断，请重新提交"

struct job {
    struct db *db;
    int64_t id;
    int slot;                 /* the worker's live slot */
    int64_t last_write;       /* monotonic ms; 0 = never */
    int64_t t_first, d_first; /* the first report: time (ms) and done, for time left */
    bool reported, stop;
    json_t *result;
    char error[256];
    char file_path[JOBS_PATH_MAX];
    char file_name[128];
    const char *file_mime;
};

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    const struct job_kind *kinds[JOBS_KINDS_MAX];
    size_t nkinds;
    char *kinds_json; /* the registered names, for the claim */
    pthread_t threads[JOBS_WORKERS_MAX];
    int nthreads;
    atomic_bool stopping;
    uint64_t wakeups;
    char *db_path, *var_dir;
    struct jobs_live live[JOBS_WORKERS_MAX]; /* id 0 = the worker is idle */
} jobs_pool = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

void jobs_wake(void)
{
    pthread_mutex_lock(&jobs_pool.mu);
    jobs_pool.wakeups++;
    pthread_cond_broadcast(&jobs_pool.cv);
    pthread_mutex_unlock(&jobs_pool.mu);
}

static void jobs_kinds_rebuild(void)
{
    json_t *names = json_array();
    for (size_t i = 0; i < jobs_pool.nkinds; i++)
        json_array_append_new(names, json_string(jobs_pool.kinds[i]->name));
    free(jobs_pool.kinds_json);
    jobs_pool.kinds_json = json_dumps(names, JSON_COMPACT);
    json_decref(names);
}

int jobs_register(struct db *db, const struct job_kind *kind)
{
    int rc = 0;
    pthread_mutex_lock(&jobs_pool.mu);
    for (size_t i = 0; i < jobs_pool.nkinds; i++)
        if (!strcmp(jobs_pool.kinds[i]->name, kind->name))
            goto out;
    if (jobs_pool.nkinds == JOBS_KINDS_MAX) {
        log_error("jobs: too many kinds (%s)", kind->name);
        rc = -1;
        goto out;
    }
    /* Registered once per process, before any job of the kind is claimed:
     * every running one is left over from an earlier process. */
    if (jobs_store_settle(db, kind->name, kind->rerun_after_restart, JOBS_INTERRUPTED)) {
        rc = -1;
        goto out;
    }
    jobs_pool.kinds[jobs_pool.nkinds++] = kind;
    jobs_kinds_rebuild();
out:
    pthread_mutex_unlock(&jobs_pool.mu);
    if (rc == 0)
        jobs_wake();
    return rc;
}

static const struct job_kind *jobs_kind_find(const char *name)
{
    const struct job_kind *k = NULL;
    pthread_mutex_lock(&jobs_pool.mu);
    for (size_t i = 0; i < jobs_pool.nkinds && !k; i++)
        if (!strcmp(jobs_pool.kinds[i]->name, name))
            k = jobs_pool.kinds[i];
    pthread_mutex_unlock(&jobs_pool.mu);
    return k;
}

bool jobs_live_get(int64_t id, struct jobs_live *out)
{
    bool found = false;
    pthread_mutex_lock(&jobs_pool.mu);
    for (int i = 0; i < JOBS_WORKERS_MAX && !found; i++)
        if (jobs_pool.live[i].id == id) {
            *out = jobs_pool.live[i];
            found = true;
        }
    pthread_mutex_unlock(&jobs_pool.mu);
    return found;
}

bool jobs_live_cancel(int64_t id, int64_t by_id, const char *by_name)
{
    bool found = false;
    pthread_mutex_lock(&jobs_pool.mu);
    for (int i = 0; i < JOBS_WORKERS_MAX && !found; i++)
        if (jobs_pool.live[i].id == id) {
            struct jobs_live *l = &jobs_pool.live[i];
            if (!l->cancel) {
                l->cancel = true;
                l->by_id = by_id;
                snprintf(l->by_name, sizeof l->by_name, "%s", by_name ? by_name : "system");
            }
            found = true;
        }
    pthread_mutex_unlock(&jobs_pool.mu);
    return found;
}

static void jobs_live_set(int slot, int64_t id)
{
    pthread_mutex_lock(&jobs_pool.mu);
    memset(&jobs_pool.live[slot], 0, sizeof jobs_pool.live[slot]);
    jobs_pool.live[slot].id = id;
    jobs_pool.live[slot].eta = -1;
    pthread_mutex_unlock(&jobs_pool.mu);
}

int64_t job_id(const struct job *j)
{
    return j->id;
}

/* Time left from the rate since the first report (parsing a file before
 * the first row does not count); -1 unknown. */
static int64_t job_eta(struct job *j, int64_t now, int64_t done, int64_t total)
{
    if (!j->reported) {
        j->reported = true;
        j->t_first = now;
        j->d_first = done;
    }
    if (total > 0 && done >= total)
        return 0;
    if (total <= 0 || done <= j->d_first || now <= j->t_first)
        return -1;
    return (now - j->t_first) * (total - done) / (done - j->d_first) / 1000;
}

bool job_progress(struct job *j, int64_t done, int64_t total, const char *message)
{
    if (atomic_load(&jobs_pool.stopping))
        j->stop = true;
    if (j->stop)
        return false;
    int64_t now = timeutil_now_ms();
    int64_t eta = job_eta(j, now, done, total);
    pthread_mutex_lock(&jobs_pool.mu);
    struct jobs_live *l = &jobs_pool.live[j->slot];
    l->done = done;
    l->total = total;
    l->eta = eta;
    snprintf(l->message, sizeof l->message, "%s", message ? message : "");
    j->stop = l->cancel;
    pthread_mutex_unlock(&jobs_pool.mu);
    bool last = total > 0 && done >= total;
    if (j->stop || (j->last_write && now - j->last_write < JOBS_PROGRESS_MS && !last))
        return !j->stop;
    if (jobs_store_autocommit(j->db)) { /* inside the job's own transaction: memory only */
        j->last_write = now;
        jobs_store_progress(j->db, j->id, done, total, message ? message : "", eta);
        if (jobs_store_cancel_requested(j->db, j->id) == 1) /* asked in another process */
            j->stop = true;
    }
    return !j->stop;
}

void job_set_result(struct job *j, json_t *result)
{
    json_decref(j->result);
    j->result = result;
}

void job_fail(struct job *j, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(j->error, sizeof j->error, fmt, ap);
    va_end(ap);
}

static int jobs_mkdir(const char *path)
{
    return mkdir(path, 0750) && errno != EEXIST ? -1 : 0;
}

int job_result_file(struct job *j, char path[JOBS_PATH_MAX], const char *name, const char *mime)
{
    char dir[JOBS_PATH_MAX];
    int n = snprintf(dir, sizeof dir, "%s/jobs", jobs_pool.var_dir ? jobs_pool.var_dir : ".");
    if (n < 0 || (size_t)n >= sizeof dir ||
        jobs_mkdir(jobs_pool.var_dir ? jobs_pool.var_dir : ".") || jobs_mkdir(dir))
        return -1;
    n = snprintf(j->file_path, sizeof j->file_path, "%s/%lld.out", dir, (long long)j->id);
    if (n < 0 || (size_t)n >= sizeof j->file_path)
        return -1;
    snprintf(j->file_name, sizeof j->file_name, "%s", name);
    j->file_mime = mime;
    memcpy(path, j->file_path, sizeof j->file_path);
    return 0;
}

/* Whether the job stopped because a cancel was asked for: in memory (this
 * process's API) or on the row (another process, or before it was live). */
static bool jobs_cancelled(struct job *j)
{
    pthread_mutex_lock(&jobs_pool.mu);
    bool live = jobs_pool.live[j->slot].cancel;
    pthread_mutex_unlock(&jobs_pool.mu);
    return live || jobs_store_cancel_requested(j->db, j->id) == 1;
}

/* Ends the job's row; a cancel asked in memory is audited now, in the same
 * transaction, naming who asked. */
static void jobs_finish(struct job *j, struct jobs_store_end *e)
{
    struct jobs_live l;
    pthread_mutex_lock(&jobs_pool.mu);
    l = jobs_pool.live[j->slot];
    pthread_mutex_unlock(&jobs_pool.mu);
    bool done = !strcmp(e->state, "done") && l.total > 0;
    e->done = done ? l.total : l.done;
    e->total = l.total;
    e->message = done ? "" : l.message;
    if (db_begin(j->db)) {
        log_error("jobs: job %lld: cannot record its end", (long long)j->id);
        return;
    }
    struct audit_actor by = {l.by_id, l.by_name};
    if (jobs_store_finish(j->db, j->id, e) ||
        (l.cancel && !strcmp(e->state, "cancelled") &&
         audit_append_id(j->db, &by, "job.cancel", "job", j->id, NULL)) ||
        db_commit(j->db)) {
        db_rollback(j->db);
        log_error("jobs: job %lld: cannot record its end", (long long)j->id);
    }
}

/* Records how the job ended. */
static void jobs_end(struct job *j, const struct job_kind *kind, enum job_outcome o)
{
    struct jobs_store_end e = {.state = "done", .error = ""};
    char *text = NULL;
    if (o == JOB_STOPPED && j->file_path[0])
        unlink(j->file_path);
    if (o == JOB_DONE) {
        text = j->result ? json_dumps(j->result, JSON_COMPACT) : NULL;
        e.result_json = text;
        if (j->file_path[0]) {
            e.file_path = j->file_path;
            e.file_name = j->file_name;
            e.file_mime = j->file_mime;
        }
    } else if (o == JOB_FAILED) {
        e.state = "failed";
        e.error = j->error[0] ? j->error : "任务失败";
        text = j->result ? json_dumps(j->result, JSON_COMPACT) : NULL;
        e.result_json = text; /* e.g. an import's errors by line, as a file too */
        if (j->file_path[0]) {
            e.file_path = j->file_path;
            e.file_name = j->file_name;
            e.file_mime = j->file_mime;
        }
    } else if (jobs_cancelled(j)) {
        e.state = "cancelled";
    } else if (kind->rerun_after_restart) {
        jobs_store_requeue(j->db, j->id); /* the server stops: run again next start */
        return;
    } else {
        e.state = "failed";
        e.error = JOBS_INTERRUPTED;
    }
    jobs_finish(j, &e);
    free(text);
}

static void jobs_run_one(struct db *db, int slot, int64_t id, const char *kind_name, json_t *params,
                         const char *payload, size_t len)
{
    const struct job_kind *kind = jobs_kind_find(kind_name);
    struct job j = {.db = db, .id = id, .slot = slot};
    if (!kind) /* claimed only among registered kinds: cannot happen */
        return;
    jobs_live_set(slot, id);
    enum job_outcome o = kind->run(&j, db, params, payload, len);
    if (!jobs_store_autocommit(db)) { /* a run function must end its transactions */
        log_error("jobs: job %lld (%s) left a transaction open", (long long)id, kind->name);
        db_rollback(db);
    }
    jobs_end(&j, kind, o);
    jobs_live_set(slot, 0);
    json_decref(j.result);
}

static void jobs_idle(uint64_t *seen)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += JOBS_IDLE_MS / 1000;
    pthread_mutex_lock(&jobs_pool.mu);
    while (jobs_pool.wakeups == *seen && !atomic_load(&jobs_pool.stopping))
        if (pthread_cond_timedwait(&jobs_pool.cv, &jobs_pool.mu, &until))
            break;
    *seen = jobs_pool.wakeups;
    pthread_mutex_unlock(&jobs_pool.mu);
}

static char *jobs_kinds_copy(uint64_t *seen)
{
    pthread_mutex_lock(&jobs_pool.mu);
    char *k = strdup(jobs_pool.kinds_json ? jobs_pool.kinds_json : "[]");
    *seen = jobs_pool.wakeups;
    pthread_mutex_unlock(&jobs_pool.mu);
    return k;
}

static void *jobs_worker(void *arg)
{
    char err[256];
    struct db *db = db_open(jobs_pool.db_path, err, sizeof err);
    uint64_t seen = 0;
    int slot = (int)(intptr_t)arg;
    if (!db) {
        log_error("jobs: a worker cannot open the database: %s", err);
        return NULL;
    }
    while (!atomic_load(&jobs_pool.stopping)) {
        int64_t id;
        char *kind = NULL, *payload = NULL, *kinds = jobs_kinds_copy(&seen);
        json_t *params = NULL;
        size_t len = 0;
        int rc = kinds ? jobs_store_claim(db, kinds, &id, &kind, &params, &payload, &len) : -1;
        free(kinds);
        if (rc == 1) {
            jobs_run_one(db, slot, id, kind, params, payload, len);
            free(kind);
            free(payload);
            json_decref(params);
        } else {
            jobs_idle(&seen);
        }
    }
    db_close(db);
    return NULL;
}

int jobs_pool_start(const char *db_path, const char *var_dir, int n)
{
    if (jobs_pool.nthreads)
        return 0;
    if (n < 1)
        n = 1;
    if (n > JOBS_WORKERS_MAX)
        n = JOBS_WORKERS_MAX;
    free(jobs_pool.db_path);
    free(jobs_pool.var_dir);
    jobs_pool.db_path = strdup(db_path);
    jobs_pool.var_dir = strdup(var_dir && *var_dir ? var_dir : ".");
    atomic_store(&jobs_pool.stopping, false);
    if (!jobs_pool.db_path || !jobs_pool.var_dir)
        return -1;
    for (int i = 0; i < n; i++) {
        if (pthread_create(&jobs_pool.threads[i], NULL, jobs_worker, (void *)(intptr_t)i)) {
            log_error("jobs: cannot start a worker");
            jobs_pool_stop();
            return -1;
        }
        jobs_pool.nthreads++;
    }
    return 0;
}

void jobs_pool_stop(void)
{
    atomic_store(&jobs_pool.stopping, true);
    jobs_wake();
    for (int i = 0; i < jobs_pool.nthreads; i++)
        pthread_join(jobs_pool.threads[i], NULL);
    jobs_pool.nthreads = 0;
}
