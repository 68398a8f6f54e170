/* Unit tests for the device-data writer (modules/monitor/ingest.h): a job's ack comes back
 * after its batch is committed, and comes back emptied (nothing to send) when the batch
 * fails, so the listener's connection stops waiting for it. */
#include "app/module.h"
#include "db/db.h"
#include "modules/monitor/ingest.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

static const char ACK[] = "##0000QN=1;ST=91;CN=9014;PW=1;MN=MN1;Flag=4;CP=&&&&0000\r\n";
static const char FRAME[] = "##0000QN=1;ST=22;CN=2011;PW=123456;MN=MN1;Flag=5;CP=&&&&0000\r\n";

struct handback {
    pthread_mutex_t lock;
    int calls;
    size_t len; /* of the last ack handed back */
};

static void committed(void *arg, struct ingest_job *jobs)
{
    struct handback *h = arg;
    pthread_mutex_lock(&h->lock);
    for (struct ingest_job *j = jobs, *next; j; j = next) {
        next = j->next;
        h->calls++;
        h->len = j->ack->len;
        ingest_job_free(j);
    }
    pthread_mutex_unlock(&h->lock);
}

/* A heartbeat with an ack for device 1, submitted; then waits (up to 10 s) for the writer to
 * hand it back. The ack's length then, or -1 when it never came back. */
static long submit_and_wait(struct ingest *g, struct handback *h)
{
    struct ingest_job *j = ingest_job_new(0, FRAME, sizeof FRAME - 1);
    j->kind = INGEST_DATA;
    j->device_id = 1;
    j->station_id = 1;
    j->received = time(NULL);
    snprintf(j->mn, sizeof j->mn, "MN1");
    snprintf(j->status, sizeof j->status, "ok");
    j->ack = malloc(sizeof *j->ack + sizeof ACK - 1);
    j->ack->next = NULL;
    j->ack->conn_id = 7;
    j->ack->len = sizeof ACK - 1;
    memcpy(j->ack->bytes, ACK, sizeof ACK - 1);
    pthread_mutex_lock(&h->lock);
    int before = h->calls;
    pthread_mutex_unlock(&h->lock);
    ingest_submit(g, j);
    for (int i = 0; i < 1000; i++) {
        pthread_mutex_lock(&h->lock);
        long len = h->calls > before ? (long)h->len : -1;
        pthread_mutex_unlock(&h->lock);
        if (len >= 0)
            return len;
        usleep(10000);
    }
    return -1;
}

static void test_ack_after_commit_or_emptied(void **state)
{
    (void)state;
    char path[64], err[256];
    snprintf(path, sizeof path, "/tmp/ecogov-ingest-%d.db", getpid());
    unlink(path);
    struct db *db = db_open(path, err, sizeof err);
    assert_non_null(db);
    assert_int_equal(modules_migrate(db, err, sizeof err), 0);
    assert_int_equal(db_exec(db, "INSERT INTO stations (code, name, kind, created_at, updated_at) "
                                 "VALUES ('S1', 'S1', 'national', 0, 0)"),
                     0);
    assert_int_equal(db_exec(db, "INSERT INTO devices (station_id, mn, pw, created_at, "
                                 "updated_at) VALUES (1, 'MN1', '123456', 0, 0)"),
                     0);
    struct handback h = {.lock = PTHREAD_MUTEX_INITIALIZER};
    struct ingest_opts o = {.db_path = path, .raw_days = 1, .on_committed = committed, .arg = &h};
    struct ingest *g = ingest_start(&o);
    assert_non_null(g);

    /* Committed: the ack comes back whole. */
    assert_int_equal(submit_and_wait(g, &h), (long)(sizeof ACK - 1));

    /* The raw frame cannot be written: the batch rolls back, the ack comes back empty. */
    assert_int_equal(db_exec(db, "CREATE TRIGGER no_frames BEFORE INSERT ON frames BEGIN "
                                 "SELECT RAISE(ABORT, 'no frames'); END"),
                     0);
    assert_int_equal(submit_and_wait(g, &h), 0);

    /* And once writing works again, so do the acks. */
    assert_int_equal(db_exec(db, "DROP TRIGGER no_frames"), 0);
    assert_int_equal(submit_and_wait(g, &h), (long)(sizeof ACK - 1));

    struct ingest_stats st;
    ingest_get_stats(g, &st);
    assert_int_equal(st.acks, 2);
    assert_int_equal(st.commit_failures, 1);
    ingest_stop(g);
    db_close(db);
    unlink(path);
    char side[80];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ack_after_commit_or_emptied),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
