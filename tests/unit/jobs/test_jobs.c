/* Unit tests for the job facility (modules/jobs) on a temporary database
 * with the real worker pool: queued -> running -> done | failed | cancelled,
 * a cancel felt by the running job, a queued job cancelled at once, an ended
 * job not cancelled again, who sees a job, the per-user bound on pending
 * jobs, and the start-up rule for jobs a stopped server left running. */
#include "app/module.h"
#include "db/db.h"
#include "db/row.h"
#include "core/timeutil.h"
#include "modules/jobs/jobs.h"

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "../unit_db.h"

/* The test kind: reports progress until released (or told to stop). */
static atomic_bool unit_release;

static enum job_outcome unit_loop(struct job *j, struct db *db, json_t *params, const char *payload,
                                  size_t len)
{
    (void)db;
    for (int64_t i = 0;; i++) {
        if (!job_progress(j, i % 100, 100, "working"))
            return JOB_STOPPED;
        if (atomic_load(&unit_release))
            break;
        struct timespec t = {0, 1000000L};
        nanosleep(&t, NULL);
    }
    if (json_is_true(json_object_get(params, "fail"))) {
        job_fail(j, "unit failure %zu", len);
        return JOB_FAILED;
    }
    job_set_result(j, json_pack("{s:s, s:I}", "payload", payload, "len", (json_int_t)len));
    return JOB_DONE;
}

static const struct job_kind unit_kind = {"unit.loop", false, unit_loop};

/* A kind whose result is a file. */
static enum job_outcome unit_file(struct job *j, struct db *db, json_t *params, const char *payload,
                                  size_t len)
{
    char path[JOBS_PATH_MAX];
    (void)db, (void)params;
    if (job_result_file(j, path, "结果.csv", "text/csv; charset=utf-8"))
        return JOB_FAILED;
    FILE *out = fopen(path, "wb");
    if (!out)
        return JOB_FAILED;
    fwrite(payload, 1, len, out);
    fclose(out);
    return JOB_DONE;
}

static const struct job_kind unit_file_kind = {"unit.file", false, unit_file};

struct fixture {
    char path[64];
    char var_dir[64]; /* result files, removed at teardown */
    struct db *db;
    struct jobs_viewer owner, other, admin;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!(f->db = unit_db_open(f->path, "jobs")))
        return -1;
    f->owner = (struct jobs_viewer){1, "owner", false};
    f->other = (struct jobs_viewer){2, "other", false};
    f->admin = (struct jobs_viewer){3, "root", true};
    atomic_store(&unit_release, false);
    snprintf(f->var_dir, sizeof f->var_dir, "/tmp/ecogov-jobs-var-XXXXXX");
    if (!mkdtemp(f->var_dir))
        return -1;
    if (jobs_register(f->db, &unit_kind) || jobs_register(f->db, &unit_file_kind) ||
        jobs_pool_start(f->path, f->var_dir, 2))
        return -1;
    *state = f;
    return 0;
}

static int unit_rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    atomic_store(&unit_release, true);
    jobs_pool_stop();
    nftw(f->var_dir, unit_rm, 8, FTW_DEPTH | FTW_PHYS);
    unit_db_close(f->db, f->path);
    free(f);
    return 0;
}

static int64_t submit(struct fixture *f, const struct job_kind *k, const char *params_text)
{
    struct problem p;
    int64_t id = 0;
    json_t *params = json_loads(params_text, 0, NULL);
    assert_int_equal(jobs_submit(f->db, k, &f->owner, "单元测试", params, "abc", 3, &id, &p),
                     ERR_OK);
    json_decref(params);
    assert_true(id > 0);
    return id;
}

static char *state_of(struct fixture *f, int64_t id)
{
    static char s[16];
    enum err e;
    json_t *j = jobs_get(f->db, id, NULL, &e);
    assert_non_null(j);
    snprintf(s, sizeof s, "%s", json_string_value(json_object_get(j, "state")));
    json_decref(j);
    return s;
}

/* Polls until the job is in state (a bound far beyond need: not a timing
 * assertion, only a guard against hanging). */
static void wait_state(struct fixture *f, int64_t id, const char *state)
{
    for (int i = 0; i < 60000 && strcmp(state_of(f, id), state); i++) {
        struct timespec t = {0, 2000000L};
        nanosleep(&t, NULL);
    }
    assert_string_equal(state_of(f, id), state);
}

static void test_done_with_result(void **state)
{
    struct fixture *f = *state;
    int64_t id = submit(f, &unit_kind, "{}");
    wait_state(f, id, "running");
    atomic_store(&unit_release, true);
    wait_state(f, id, "done");
    enum err e;
    json_t *j = jobs_get(f->db, id, &f->owner, &e);
    assert_non_null(j);
    json_t *r = json_object_get(j, "result");
    assert_string_equal(json_string_value(json_object_get(r, "payload")), "abc");
    assert_int_equal(json_integer_value(json_object_get(r, "len")), 3);
    assert_false(json_is_true(json_object_get(j, "has_file")));
    json_decref(j);
    /* an ended job is not cancelled */
    struct problem p;
    json_t *out = NULL;
    assert_int_equal(jobs_cancel(f->db, &f->owner, id, &p, &out), ERR_INVALID_STATE);
    assert_null(out);
}

static void test_failed(void **state)
{
    struct fixture *f = *state;
    atomic_store(&unit_release, true);
    int64_t id = submit(f, &unit_kind, "{\"fail\": true}");
    wait_state(f, id, "failed");
    enum err e;
    json_t *j = jobs_get(f->db, id, NULL, &e);
    assert_string_equal(json_string_value(json_object_get(j, "error")), "unit failure 3");
    json_decref(j);
}

static void test_cancel_running(void **state)
{
    struct fixture *f = *state;
    int64_t id = submit(f, &unit_kind, "{}");
    wait_state(f, id, "running");
    struct problem p;
    json_t *out = NULL;
    /* another user cannot; the owner can */
    assert_int_equal(jobs_cancel(f->db, &f->other, id, &p, &out), ERR_NOT_FOUND);
    assert_int_equal(jobs_cancel(f->db, &f->owner, id, &p, &out), ERR_OK);
    assert_true(json_is_true(json_object_get(out, "cancel_requested")));
    json_decref(out);
    wait_state(f, id, "cancelled");
}

static void test_cancel_queued(void **state)
{
    struct fixture *f = *state;
    /* a kind no one registered stays queued */
    static const struct job_kind idle = {"unit.never", false, unit_loop};
    int64_t id = submit(f, &idle, "{}");
    assert_string_equal(state_of(f, id), "queued");
    struct problem p;
    json_t *out = NULL;
    assert_int_equal(jobs_cancel(f->db, &f->admin, id, &p, &out), ERR_OK);
    assert_string_equal(json_string_value(json_object_get(out, "state")), "cancelled");
    json_decref(out);
    out = NULL;
    assert_int_equal(jobs_cancel(f->db, &f->owner, id, &p, &out), ERR_INVALID_STATE);
}

static void test_visibility_and_bound(void **state)
{
    struct fixture *f = *state;
    static const struct job_kind idle = {"unit.never", false, unit_loop};
    int64_t id = submit(f, &idle, "{}");
    enum err e;
    json_t *j = jobs_get(f->db, id, &f->other, &e);
    assert_null(j);
    assert_int_equal(e, ERR_OK);
    j = jobs_get(f->db, id, &f->admin, &e);
    assert_non_null(j);
    json_decref(j);
    json_t *list = jobs_list(f->db, &f->other, false, 50);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
    list = jobs_list(f->db, &f->admin, false, 50);
    assert_int_equal(json_array_size(list), 1);
    json_decref(list);
    list = jobs_list(f->db, &f->admin, true, 50);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
    for (int i = 1; i < JOBS_MAX_PENDING; i++)
        submit(f, &idle, "{}");
    struct problem p;
    int64_t more = 0;
    assert_int_equal(jobs_submit(f->db, &idle, &f->owner, "多一个", NULL, NULL, 0, &more, &p),
                     ERR_TOO_MANY_ATTEMPTS);
    /* another user is not held by the owner's jobs */
    assert_int_equal(jobs_submit(f->db, &idle, &f->other, "别人的", NULL, NULL, 0, &more, &p),
                     ERR_OK);
}

/* Jobs left running by a stopped server: queued again when the kind may
 * re-run, else failed as interrupted. */
static void test_settle_at_start(void **state)
{
    struct fixture *f = *state;
    static const struct job_kind again = {"unit.again", true, unit_loop};
    static const struct job_kind once = {"unit.once", false, unit_loop};
    int64_t a = submit(f, &again, "{}"), b = submit(f, &once, "{}");
    assert_int_equal(
        db_run(f->db, "UPDATE jobs SET state = 'running' WHERE id IN (?, ?)", "ii", a, b), 0);
    atomic_store(&unit_release, true);
    assert_int_equal(jobs_register(f->db, &once), 0);
    assert_string_equal(state_of(f, b), "failed");
    enum err e;
    json_t *j = jobs_get(f->db, b, NULL, &e);
    assert_non_null(strstr(json_string_value(json_object_get(j, "error")), "中断"));
    json_decref(j);
    assert_int_equal(jobs_register(f->db, &again), 0);
    wait_state(f, a, "done"); /* queued again, and run */
    /* registering twice does not settle again */
    assert_int_equal(jobs_register(f->db, &again), 0);
    assert_string_equal(state_of(f, a), "done");
}

/* A result file downloads while fresh and is removed after JOBS_KEEP_DAYS. */
static void test_result_file_and_purge(void **state)
{
    struct fixture *f = *state;
    int64_t id = submit(f, &unit_file_kind, "{}");
    wait_state(f, id, "done");
    int fd = -1;
    uint64_t size = 0;
    char mime[64], name[128];
    struct problem p;
    assert_int_equal(jobs_result_file(f->db, &f->other, id, &fd, &size, mime, name, &p),
                     ERR_NOT_FOUND);
    assert_int_equal(jobs_result_file(f->db, &f->owner, id, &fd, &size, mime, name, &p), ERR_OK);
    char buf[8] = "";
    assert_int_equal(read(fd, buf, sizeof buf), 3);
    close(fd);
    assert_memory_equal(buf, "abc", 3);
    assert_string_equal(name, "结果.csv");
    int64_t now = timeutil_now();
    assert_int_equal(jobs_purge_files(f->db, now), 0); /* fresh: kept */
    assert_int_equal(jobs_result_file(f->db, &f->owner, id, &fd, &size, mime, name, &p), ERR_OK);
    close(fd);
    assert_int_equal(jobs_purge_files(f->db, now + (JOBS_KEEP_DAYS + 1) * 86400LL), 0);
    assert_int_equal(jobs_result_file(f->db, &f->owner, id, &fd, &size, mime, name, &p),
                     ERR_NOT_FOUND);
    enum err e;
    json_t *j = jobs_get(f->db, id, NULL, &e);
    assert_false(json_is_true(json_object_get(j, "has_file")));
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_done_with_result, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel_running, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel_queued, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visibility_and_bound, setup, teardown),
        cmocka_unit_test_setup_teardown(test_settle_at_start, setup, teardown),
        cmocka_unit_test_setup_teardown(test_result_file_and_purge, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
