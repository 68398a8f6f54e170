/* Unit tests for issue 16's storage side: every connection (the HTTP handlers' and the device
 * writer's) commits with synchronous=FULL and a bounded WAL unless a benchmark asks for
 * NORMAL; rejected frames add up in one row per (hour, device, address, reason) keeping the
 * first sample; the refused-MN list keeps only the most recently seen. */
#include "app/module.h"
#include "db/db.h"
#include "db/row.h"
#include "modules/monitor/readings.h"
#include "../unit_db.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

/* sql is a literal: prepared statements are cached by the text's address */
static int64_t pragma(struct db *db, const char *sql)
{
    return db_query_int(db, sql, -1, "");
}

static void test_connections_commit_with_full_sync(void **state)
{
    (void)state;
    char path[64];
    struct db *db = unit_db_open(path, "durable");
    assert_non_null(db);
    assert_int_equal(pragma(db, "PRAGMA synchronous"), 2); /* FULL */
    assert_int_equal(pragma(db, "PRAGMA journal_size_limit"), DB_WAL_LIMIT);
    char err[256];
    struct readings *w = readings_open(path, err, sizeof err);
    assert_non_null(w);
    assert_int_equal(pragma(readings_db(w), "PRAGMA synchronous"), 2);
    /* the writer's WAL is kept at the size it cycles through (readings.h) */
    assert_int_equal(pragma(readings_db(w), "PRAGMA journal_size_limit"), READINGS_WAL_FILE_LIMIT);
    readings_close(w);
    db_set_sync(DB_SYNC_NORMAL); /* what the benchmark compares against */
    struct db *normal = db_open(path, err, sizeof err);
    assert_non_null(normal);
    assert_int_equal(pragma(normal, "PRAGMA synchronous"), 1);
    db_close(normal);
    db_set_sync(DB_SYNC_FULL);
    unit_db_close(db, path);
}

static void test_rejects_add_up_per_hour_and_key(void **state)
{
    (void)state;
    char path[64], err[256];
    struct db *db = unit_db_open(path, "rejects");
    assert_non_null(db);
    struct readings *w = readings_open(path, err, sizeof err);
    assert_non_null(w);
    int64_t hour = 1767225600; /* 2026-01-01T00:00Z */
    struct readings_reject a = {0,    0,        "",       "10.0.0.9", "bad_crc", 40,
                                4000, hour + 5, hour + 9, "##first",  7};
    struct readings_reject b = a;
    b.count = 2, b.bytes = 200, b.first = hour + 10, b.last = hour + 20;
    b.sample = "##second", b.sample_len = 8;
    struct readings_reject next_hour = a;
    next_hour.first = next_hour.last = hour + 3600;
    assert_int_equal(readings_begin(w), 0);
    assert_int_equal(readings_reject(w, &a), 0);
    assert_int_equal(readings_reject(w, &b), 0);
    assert_int_equal(readings_reject(w, &next_hour), 0);
    assert_int_equal(readings_commit(w), 0);
    assert_int_equal(db_query_int(db, "SELECT count(*) FROM frame_rejects", -1, ""), 2);
    json_t *row = db_query_one(db,
                               "SELECT frames, bytes, first_seen, last_seen, CAST(sample AS TEXT) "
                               "AS sample FROM frame_rejects WHERE period = ?",
                               "i", hour);
    assert_non_null(row);
    assert_int_equal(json_integer_value(json_object_get(row, "frames")), 42);
    assert_int_equal(json_integer_value(json_object_get(row, "bytes")), 4200);
    assert_int_equal(json_integer_value(json_object_get(row, "first_seen")), hour + 5);
    assert_int_equal(json_integer_value(json_object_get(row, "last_seen")), hour + 20);
    assert_string_equal(json_string_value(json_object_get(row, "sample")), "##first");
    json_decref(row);
    assert_int_equal(readings_prune_rejects(w, hour + 3600), 1);
    readings_close(w);
    unit_db_close(db, path);
}

static void test_refused_mns_are_capped_oldest_out(void **state)
{
    (void)state;
    char path[64], err[256];
    struct db *db = unit_db_open(path, "unreg");
    assert_non_null(db);
    struct readings *w = readings_open(path, err, sizeof err);
    assert_non_null(w);
    assert_int_equal(readings_begin(w), 0);
    for (int i = 0; i < 50; i++) {
        char mn[32];
        snprintf(mn, sizeof mn, "FAKE%03d", i);
        assert_int_equal(readings_unregistered(w, mn, "unknown_mn", 1000 + i, "10.0.0.1", "22",
                                               2011, "x", "##", 2, 1),
                         0);
    }
    assert_int_equal(readings_unregistered_trim(w, 20), 0);
    assert_int_equal(readings_commit(w), 0);
    assert_int_equal(db_query_int(db, "SELECT count(*) FROM unregistered_devices", -1, ""), 20);
    assert_int_equal(
        db_query_int(db, "SELECT count(*) FROM unregistered_devices WHERE mn = 'FAKE030'", -1, ""),
        1);
    assert_int_equal(
        db_query_int(db, "SELECT count(*) FROM unregistered_devices WHERE mn = 'FAKE029'", -1, ""),
        0);
    readings_close(w);
    unit_db_close(db, path);
}

/* Commits n pages' worth of rows through db (the writer's connection runs its WAL hook),
 * 500 a transaction. */
static void write_pages(struct db *db, int n)
{
    for (int done = 0; done < n; done += 500) {
        assert_int_equal(db_exec(db, "BEGIN"), 0);
        assert_int_equal(db_exec(db, "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                                     "FROM c WHERE i < 500) INSERT INTO bulk SELECT "
                                     "randomblob(3000) FROM c"),
                         0);
        assert_int_equal(db_exec(db, "COMMIT"), 0);
    }
}

/* Pages in the WAL now, through a PASSIVE checkpoint by own (which copies them back). */
static int wal_pages(struct db *own)
{
    json_t *row = db_query_one(own, "PRAGMA wal_checkpoint(PASSIVE)", "");
    assert_non_null(row);
    int log = (int)json_integer_value(json_object_get(row, "log"));
    json_decref(row);
    return log;
}

/* A database with the writer (w), the checkpointer's connection (own) and another (db). */
struct wal_fixture {
    char path[64];
    struct db *db, *own;
    struct readings *w;
    int checkpointer; /* registered with db_checkpointer_add, as monitor/ingest.c does */
};

static void wal_open(struct wal_fixture *f, const char *tag, int checkpointer)
{
    char err[256];
    f->checkpointer = checkpointer;
    if (checkpointer)
        db_checkpointer_add(1);
    f->db = unit_db_open(f->path, tag);
    assert_non_null(f->db);
    f->w = readings_open(f->path, err, sizeof err);
    assert_non_null(f->w);
    f->own = db_open(f->path, err, sizeof err);
    assert_non_null(f->own);
    assert_int_equal(db_exec(f->db, "CREATE TABLE bulk(b BLOB)"), 0);
}

static void wal_close(struct wal_fixture *f)
{
    if (f->checkpointer)
        db_checkpointer_add(-1);
    db_close(f->own);
    readings_close(f->w);
    unit_db_close(f->db, f->path);
}

/* Polls the checkpointer (at most 50 times) until a run copies something back: the pages
 * copied; *polls the polls it took. */
static int poll_until_copied(struct wal_fixture *f, int *polls)
{
    int copied = 0;
    for (*polls = 0; !copied && *polls < 50; ++*polls)
        copied = readings_checkpoint(f->w, f->own);
    return copied;
}

/* Up to where the checkpointer has copied back a big WAL and the writer then the rest: with a
 * reader's snapshot holding the checkpoint back from what is written after it, as the
 * writer's batches do while the checkpointer runs. The WAL starts over at the next commit. */
static void wal_cycle_to_catch_up(struct wal_fixture *f)
{
    struct db *wdb = readings_db(f->w);
    write_pages(wdb, 2000);
    assert_int_equal(readings_checkpoint(f->w, f->own), 0); /* too little written: not run */
    write_pages(wdb, 16000);
    assert_int_equal(db_exec(f->db, "BEGIN"), 0);
    assert_true(db_query_int(f->db, "SELECT count(*) FROM bulk", -1, "") > 0);
    write_pages(wdb, 1000);
    assert_true(readings_checkpoint(f->w, f->own) >= 16384);
    assert_int_equal(db_exec(f->db, "COMMIT"), 0);
    write_pages(wdb, 500); /* the writer copies what the checkpointer could not, itself */
}

/* The WAL starts over instead of growing on (to 512 MiB, where the writer used to copy it
 * back inside its commits). */
static void test_wal_starts_over_after_checkpoints(void **state)
{
    (void)state;
    struct wal_fixture f;
    wal_open(&f, "walcycle", 1);
    wal_cycle_to_catch_up(&f);
    write_pages(readings_db(f.w), 500); /* starts the WAL over */
    int pages = wal_pages(f.own);
    assert_true(pages > 0);
    assert_true(pages < 1000);
    wal_close(&f);
}

/* A checkpointer run between the writer's catch-up and the WAL starting over reports the
 * last cycle's pages: the writer must not take them for this cycle's and copy a whole cycle
 * back inside one of its commits. */
static void test_last_cycle_mark_ignored(void **state)
{
    (void)state;
    struct wal_fixture f;
    wal_open(&f, "walmark", 1);
    wal_cycle_to_catch_up(&f);
    for (int i = 0; i < 3; i++)
        readings_checkpoint(f.w, f.own);   /* polls in the gap */
    write_pages(readings_db(f.w), 21000);  /* a new cycle, the checkpointer not running */
    assert_true(wal_pages(f.own) > 20000); /* the writer copied nothing back */
    wal_close(&f);
}

/* With no checkpointer running, each commit copies its own pages back, the writer's as any
 * connection's: the WAL stays small. With one, other connections leave it to it. */
static void test_commits_copy_without_checkpointer(void **state)
{
    (void)state;
    struct wal_fixture f;
    wal_open(&f, "walalone", 0);
    write_pages(readings_db(f.w), 5000);
    assert_true(wal_pages(f.own) < 1100);
    write_pages(f.db, 5000);
    assert_true(wal_pages(f.own) < 1100);
    db_checkpointer_add(1);
    f.checkpointer = 1; /* wal_close takes it back */
    write_pages(f.db, 5000);
    assert_true(wal_pages(f.own) > 4500);
    wal_close(&f);
}

/* While the writer commits nothing, the checkpointer copies back what others wrote after
 * READINGS_CKPT_IDLE polls. */
static void test_checkpointer_runs_when_writer_idle(void **state)
{
    (void)state;
    struct wal_fixture f;
    wal_open(&f, "walidle", 1);
    write_pages(f.db, 3000);
    int polls;
    assert_true(poll_until_copied(&f, &polls) >= 3000);
    assert_true(polls >= 10);
    wal_close(&f);
}

/* Another connection starts the WAL over and writes more pages than the writer last saw
 * (it committed little before going idle): the writer must still know the cycle is new, and
 * not copy that connection's pages back inside its next commit on the strength of the
 * checkpointer's mark of the last cycle (found in review). */
static void test_restart_by_another_connection(void **state)
{
    (void)state;
    struct wal_fixture f;
    wal_open(&f, "walunseen", 1);
    struct db *wdb = readings_db(f.w);
    write_pages(wdb, 500);    /* the writer: WAL ~500 pages, then idle */
    write_pages(f.db, 17000); /* another connection: no copy below DB_WAL_FALLBACK */
    int polls;
    assert_true(poll_until_copied(&f, &polls) >= 16384); /* the idle run copies all 17,500 */
    write_pages(f.db, 8000); /* the WAL starts over at its first commit: ~8,000 pages */
    /* ~8,500 >= 500: no drop in the writer's page count; then on past the mark's 17,500,
     * where the last cycle's mark would have it copy the whole new cycle */
    write_pages(wdb, 11000);
    assert_true(wal_pages(f.own) > 19000); /* the writer copied nothing back, nor started over */
    wal_close(&f);
}

/* The WAL header's checkpoint sequence (bytes 12-15): each connection's own count. */
static uint32_t wal_sequence(const char *path)
{
    char wal[80];
    unsigned char b[16];
    snprintf(wal, sizeof wal, "%s-wal", path);
    FILE *f = fopen(wal, "rb");
    assert_non_null(f);
    assert_int_equal(fread(b, 1, sizeof b, f), sizeof b);
    fclose(f);
    return (uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 | b[15];
}

/* Another connection starts the WAL over and writes the checkpoint sequence number the
 * writer's cycle had (it counts its own restarts): the cycle must still be a new one to the
 * writer (found in review; the cycle is salt-1 now). */
static void test_cycle_not_confused_by_sequence(void **state)
{
    (void)state;
    struct wal_fixture f;
    wal_open(&f, "walseq", 1);
    struct db *wdb = readings_db(f.w);
    wal_cycle_to_catch_up(&f);
    write_pages(wdb, 500); /* the writer starts the WAL over: its count is 1 */
    wal_cycle_to_catch_up(&f);
    uint32_t seq = wal_sequence(f.path);
    int same = 0;
    for (int i = 0; i < 5 && !same; i++) {
        assert_int_equal(db_exec(f.db, "INSERT INTO bulk VALUES (randomblob(3000))"), 0);
        same = wal_sequence(f.path) == seq;
        if (!same)
            wal_pages(f.own); /* all copied back: the next commit starts it over again */
    }
    assert_true(same); /* the other connection wrote the writer's number */
    write_pages(wdb, 19000);
    assert_true(wal_pages(f.own) > 19000); /* the writer copied nothing back */
    wal_close(&f);
}

/* 1 when the file at path (if any) holds needle. */
static int file_holds(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    static char data[64 << 20];
    size_t n = fread(data, 1, sizeof data, f);
    fclose(f);
    return memmem(data, n, needle, strlen(needle)) != NULL;
}

/* Stores 400 raw frames with a device password, prunes them all with secure_delete in mode
 * (what ingest.c sets around its retention pass), copies the WAL back and empties it: 1 when
 * the password is still in the database file (freed pages). */
static int password_left_after_prune(int mode)
{
    struct wal_fixture f;
    wal_open(&f, "prune", 0);
    char frame[1200];
    memset(frame, 'x', sizeof frame);
    memcpy(frame, "##1160QN=1;ST=22;CN=2011;PW=Sec-7421-ret;MN=MN1;CP=&&", 53);
    assert_int_equal(readings_begin(f.w), 0);
    for (int i = 0; i < 400; i++) {
        struct readings_frame fr = {
            1000 + i, 0, 0, "MN1", "1", "127.0.0.1", "ok", 2011, 0, frame, sizeof frame, NULL, 0};
        assert_int_equal(readings_put_frame(f.w, &fr), 0);
    }
    assert_int_equal(readings_commit(f.w), 0);
    wal_pages(f.own);
    struct db *wdb = readings_db(f.w);
    int had = db_secure_delete(wdb, mode);
    assert_int_equal(had, 2);                                      /* the writer's own: FAST */
    assert_int_equal(readings_prune_frames(f.w, 5000, 1000), 400); /* its own transaction */
    assert_int_equal(db_secure_delete(wdb, had), mode);
    json_t *ck = db_query_one(f.own, "PRAGMA wal_checkpoint(TRUNCATE)", "");
    assert_non_null(ck);
    assert_int_equal(json_integer_value(json_object_get(ck, "busy")), 0);
    json_decref(ck);
    char wal[80];
    snprintf(wal, sizeof wal, "%s-wal", f.path);
    struct stat sb;
    assert_true(stat(wal, &sb) || sb.st_size == 0); /* the WAL's old frames are gone */
    int left = file_holds(f.path, "Sec-7421-ret");
    wal_close(&f);
    return left;
}

/* Pruned raw frames (their PW= field) do not stay in the database file's freed pages: the
 * writer deletes with secure_delete FAST, the retention pass with ON. */
static void test_pruned_frames_overwritten(void **state)
{
    (void)state;
    assert_true(password_left_after_prune(2)); /* FAST: freed pages keep it (the control) */
    assert_false(password_left_after_prune(1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_connections_commit_with_full_sync),
        cmocka_unit_test(test_rejects_add_up_per_hour_and_key),
        cmocka_unit_test(test_refused_mns_are_capped_oldest_out),
        cmocka_unit_test(test_wal_starts_over_after_checkpoints),
        cmocka_unit_test(test_last_cycle_mark_ignored),
        cmocka_unit_test(test_commits_copy_without_checkpointer),
        cmocka_unit_test(test_checkpointer_runs_when_writer_idle),
        cmocka_unit_test(test_restart_by_another_connection),
        cmocka_unit_test(test_cycle_not_confused_by_sequence),
        cmocka_unit_test(test_pruned_frames_overwritten),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
