/* Unit tests for the device-data store (store/readings.h, store/readings_val.h): packed
 * records, idempotent resends, split packets, rollups kept exact across batches and
 * rollbacks, the queries, and the conversion of databases written with the old layout. */
#include "app/module.h"
#include "core/buf.h"
#include "db/db.h"
#include "db/row.h"
#include "modules/monitor/monitor.h"
#include "modules/monitor/readings.h"
#include "modules/monitor/readings_runs.h"
#include "modules/monitor/readings_val.h"
#include "modules/monitor/store_readings_stage.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#define T0 1767225600 /* 2026-01-01T00:00:00Z, an hour start (08:00 Beijing) */

struct fixture {
    char path[64];
    struct db *db; /* a reader's connection */
    struct readings *w;
    int64_t station; /* a registered national station with one device */
    int64_t device;
};

static int64_t insert_id(struct db *db, const char *sql)
{
    if (db_exec(db, sql))
        return -1;
    return sqlite3_last_insert_rowid(db_handle(db));
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/ecogov-readings-%d.db", getpid());
    unlink(f->path);
    char err[256];
    f->db = db_open(f->path, err, sizeof err);
    if (!f->db || modules_migrate(f->db, err, sizeof err))
        return -1;
    f->station = insert_id(f->db, "INSERT INTO stations (code, name, kind, created_at, "
                                  "updated_at) VALUES ('S1', 'S1', 'national', 0, 0)");
    f->device = insert_id(f->db, "INSERT INTO devices (station_id, mn, pw, created_at, "
                                 "updated_at) VALUES (1, 'MN1', '123456', 0, 0)");
    f->w = readings_open(f->path, err, sizeof err);
    if (!f->w || f->station != 1 || f->device != 1)
        return -1;
    readings_rollup_delay(f->w, 3600 * 1000); /* rollups wait for sync_rollups */
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    readings_close(f->w);
    db_close(f->db);
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[80];
        snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
        unlink(p);
    }
    free(f);
    return 0;
}

static struct monitor_row mrow(const char *factor, int kind, int64_t ts, double value,
                               const char *flag)
{
    struct monitor_row r = {
        .kind = (uint8_t)kind, .ts = ts, .value = value, .has = MONITOR_HAS_VALUE};
    snprintf(r.factor, sizeof r.factor, "%s", factor);
    snprintf(r.flag, sizeof r.flag, "%s", flag);
    return r;
}

/* Writes one batch the way store/ingest.c does: rows in arrival order, sorted, one
 * transaction. */
static int put(struct fixture *f, const struct monitor_row *rows, size_t n)
{
    struct readings_row *rr = calloc(n, sizeof *rr);
    for (size_t i = 0; i < n; i++)
        rr[i] = (struct readings_row){f->station, f->device, &rows[i], (uint32_t)i};
    readings_sort(rr, n);
    int rc = readings_begin(f->w);
    if (!rc)
        rc = readings_put(f->w, rr, n, T0 + 7200);
    if (!rc)
        rc = readings_commit(f->w);
    else
        readings_rollback(f->w);
    free(rr);
    return rc;
}

/* The writer's maintenance: writes the rollups added to (readings_put defers them). */
static void sync_rollups(struct fixture *f)
{
    assert_int_equal(readings_begin(f->w), 0);
    assert_int_equal(readings_sync(f->w, T0 + 7200), 0);
    assert_int_equal(readings_commit(f->w), 0);
}

/* The hour rollup of a factor at T0 once written: n, n_valid, avg (NAN when null). */
static void hour_rollup(struct fixture *f, const char *factor, int *n, int *n_valid, double *avg)
{
    if (f->w)
        sync_rollups(f);
    json_t *r = readings_rollups(f->db, f->station, factor, MONITOR_KIND_HOUR, T0, T0 + 3600, 10);
    assert_non_null(r);
    assert_int_equal(json_array_size(r), 1);
    json_t *o = json_array_get(r, 0);
    *n = (int)json_integer_value(json_object_get(o, "n"));
    *n_valid = (int)json_integer_value(json_object_get(o, "n_valid"));
    json_t *a = json_object_get(o, "avg");
    *avg = json_is_number(a) ? json_number_value(a) : NAN;
    json_decref(r);
}

/* Asserts the hour rollup of factor at T0 once written: n records averaging avg. */
static void assert_hour(struct fixture *f, const char *factor, int n, double avg)
{
    int got, n_valid;
    double got_avg;
    hour_rollup(f, factor, &got, &n_valid, &got_avg);
    assert_int_equal(got, n);
    assert_true(fabs(got_avg - avg) < 1e-9);
}

static void test_number_round_trip(void **state)
{
    (void)state;
    const double vals[] = {
        0,          14.2,      0.035,   1025,      -3.5, 123456.789,         1e-9,
        1e300,      0.1 + 0.2, 2.0 / 3, 35.000001, -0.0, 9007199254740993.0, 4.5e15,
        12.34567891};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        struct monitor_row r = mrow("a34004", 2, T0, vals[i], "N");
        r.has |= MONITOR_HAS_MIN;
        r.vmin = vals[i] / 3;
        struct buf b;
        buf_init(&b, 0);
        buf_putc(&b, '{');
        assert_int_equal(readings_val_put(&b, r.factor, &r), 0);
        buf_putc(&b, '}');
        json_t *o = json_loads(b.data, 0, NULL);
        assert_non_null(o);
        struct readings_val v;
        assert_int_equal(readings_val_get(json_object_get(o, "a34004"), &v), 0);
        assert_true(v.value == vals[i]);
        assert_true(v.vmin == vals[i] / 3);
        assert_true(v.has & MONITOR_HAS_MIN);
        assert_false(v.has & MONITOR_HAS_MAX);
        json_decref(o);
        buf_free(&b);
    }
    /* short forms for what devices send */
    struct monitor_row r = mrow("a\"b", 2, T0, 14.2, "N");
    struct buf b;
    buf_init(&b, 0);
    readings_val_put(&b, r.factor, &r);
    assert_string_equal(b.data, "\"a\\\"b\":[14.2,\"N\",0]");
    buf_free(&b);
}

/* readings_val_put writes a plain record in one piece: the bytes must be those of the
 * piece-by-piece writer (readings_val_put_any) for every mix of present and absent value,
 * min, max and cou, flags and quals, numbers on the fixed, %.15g and %.17g paths,
 * not-a-number, negative zero, and factors and flags that need escaping or are long. */
static void test_val_put_same_bytes(void **state)
{
    (void)state;
    static const double nums[] = {0,    -0.0,     14.2,          0.035, 1025,     -3.5,
                                  1e-9, 1e300,    1e20,          0.3,   2.0 / 3,  4.5e15,
                                  9e15, 0.000001, 123456.789012, NAN,   INFINITY, -1e-7};
    static const char *const factors[] = {"a34004", "a34004-Zs", "LA",
                                          "x\"y",   "tab\tx",    "ABCDEFGHIJKLMNOPQRSTUVW"};
    static const char *const flags[] = {"N", "D", "", "\"", "3"};
    static const uint32_t quals[] = {0, 1, 8, 4294967295u};
    size_t nn = sizeof nums / sizeof nums[0];
    uint64_t x = 88172645463325252ULL;
    for (int round = 0; round < 20000; round++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        struct monitor_row r = mrow(factors[x % 6], 2, T0, nums[(x >> 4) % nn], "N");
        snprintf(r.flag, sizeof r.flag, "%s", flags[(x >> 10) % 5]);
        r.qual = quals[(x >> 14) % 4];
        r.has = (uint8_t)((x >> 18) & 15);
        r.vmin = nums[(x >> 22) % nn];
        r.vmax = nums[(x >> 28) % nn];
        r.cou = nums[(x >> 34) % nn];
        struct buf a, b;
        buf_init(&a, 0);
        buf_init(&b, 0);
        assert_int_equal(readings_val_put(&a, r.factor, &r), 0);
        assert_int_equal(readings_val_put_any(&b, r.factor, &r), 0);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.data, b.data, a.len);
        buf_free(&a);
        buf_free(&b);
    }
}

static int ref_cmp(const void *a, const void *b)
{
    const struct readings_row *x = a, *y = b;
    if (x->station_id != y->station_id)
        return x->station_id < y->station_id ? -1 : 1;
    if (x->r->kind != y->r->kind)
        return x->r->kind < y->r->kind ? -1 : 1;
    if (x->r->ts != y->r->ts)
        return x->r->ts < y->r->ts ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* readings_sort sorts runs of one key (a frame's rows) instead of rows: the result must be
 * the order by (station, kind, period start, seq), for batches of frames of 1-8 rows with
 * keys repeating (resends, split packets), and for rows whose seq does not rise. */
static void test_sort_runs(void **state)
{
    (void)state;
    enum { MAX = 600 };
    static struct monitor_row recs[MAX];
    static struct readings_row rows[MAX], want[MAX];
    uint64_t x = 0x853c49e6748fea9bULL;
    for (int round = 0; round < 2000; round++) {
        size_t n = 0;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t target = x % MAX;
        while (n < target) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            size_t len = 1 + x % 8;
            int64_t station = 1 + (int64_t)((x >> 8) % 5);
            int kind = 1 + (int)((x >> 12) % 3);
            int64_t ts = T0 + 60 * (int64_t)((x >> 16) % 4);
            for (size_t i = 0; i < len && n < MAX; i++, n++) {
                recs[n] = mrow("a34004", kind, ts, (double)n, "N");
                rows[n] = (struct readings_row){station, 1, &recs[n], (uint32_t)n};
            }
        }
        if (round % 5 == 4 && n > 2) { /* seq not rising (still unique): the general sort */
            uint32_t t = rows[n / 2].seq;
            rows[n / 2].seq = rows[n / 2 - 1].seq;
            rows[n / 2 - 1].seq = t;
        }
        memcpy(want, rows, n * sizeof *rows);
        qsort(want, n, sizeof *want, ref_cmp);
        readings_sort(rows, n);
        for (size_t i = 0; i < n; i++) {
            assert_ptr_equal(rows[i].r, want[i].r);
            assert_int_equal(rows[i].station_id, want[i].station_id);
        }
    }
}

static void test_records_and_queries(void **state)
{
    struct fixture *f = *state;
    struct monitor_row rows[] = {
        mrow("a34004", 2, T0, 30, "N"),        mrow("a34002", 2, T0, 60, "N"),
        mrow("a34004", 2, T0 + 60, 40, "N"),   mrow("a34002", 2, T0 + 60, 80, "N"),
        mrow("a34004", 2, T0 + 120, 500, "D"), /* instrument fault: not valid */
    };
    assert_int_equal(put(f, rows, 5), 0);
    json_t *factors = readings_factors(f->db, f->station);
    assert_int_equal(json_array_size(factors), 2);
    assert_string_equal(json_string_value(json_array_get(factors, 0)), "a34002");
    json_decref(factors);

    int64_t next = -1;
    json_t *s = readings_series(f->db, f->station, "a34004", 2, T0, T0 + 3600, 0, 2, &next);
    assert_int_equal(json_array_size(s), 2);
    assert_int_equal(next, T0 + 60); /* a third record waits on the next page */
    json_decref(s);
    s = readings_series(f->db, f->station, "a34004", 2, T0, T0 + 3600, next, 2, &next);
    assert_int_equal(json_array_size(s), 1);
    assert_int_equal(next, 0);
    assert_false(json_is_true(json_object_get(json_array_get(s, 0), "valid")));
    json_decref(s);
    /* a factor that is missing from the last record still has a latest value */
    json_t *latest = readings_latest(f->db, f->station, 2);
    assert_int_equal(json_array_size(latest), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(latest, 0), "ts")), T0 + 60);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(latest, 1), "ts")),
                     T0 + 120);
    json_decref(latest);

    int n, nv;
    double avg;
    hour_rollup(f, "a34004", &n, &nv, &avg);
    assert_int_equal(n, 3);
    assert_int_equal(nv, 2);
    assert_true(fabs(avg - 35) < 1e-9);

    struct readings_health h;
    assert_int_equal(readings_day_health(f->db, f->station, 1, T0 - 8 * 3600, &h), 0);
    assert_int_equal(h.expected, 1440);
    assert_int_equal(h.received, 3);
    assert_int_equal(h.valid, 2);
}

static void test_resends_and_split_packets(void **state)
{
    struct fixture *f = *state;
    struct monitor_row a[] = {mrow("a34004", 2, T0, 30, "N"), mrow("a34004", 2, T0 + 60, 40, "N")};
    assert_int_equal(put(f, a, 2), 0);
    /* the second half of a split packet: a new factor for a stored period */
    struct monitor_row b[] = {mrow("a21026", 2, T0, 7, "N")};
    assert_int_equal(put(f, b, 1), 0);
    /* a resend with a corrected value: replaced, the rollup rebuilt, not counted twice */
    struct monitor_row c[] = {mrow("a34004", 2, T0, 50, "N")};
    assert_int_equal(put(f, c, 1), 0);
    int n, nv;
    double avg;
    assert_hour(f, "a34004", 2, 45);
    hour_rollup(f, "a21026", &n, &nv, &avg);
    assert_int_equal(n, 1);
    int64_t next;
    json_t *s = readings_series(f->db, f->station, "a34004", 2, T0, T0 + 60, 0, 10, &next);
    assert_true(json_real_value(json_object_get(json_array_get(s, 0), "value")) == 50);
    json_decref(s);
    s = readings_series(f->db, f->station, "a21026", 2, T0, T0 + 3600, 0, 10, &next);
    assert_int_equal(json_array_size(s), 1);
    json_decref(s);
    /* the same key twice in one batch: the later arrival wins, counted once */
    struct monitor_row d[] = {mrow("a34002", 2, T0 + 120, 1, "N"),
                              mrow("a34002", 2, T0 + 120, 2, "N")};
    assert_int_equal(put(f, d, 2), 0);
    assert_hour(f, "a34002", 1, 2);
    /* interleaved factors of one key, and a group of more than 64 rows (the writer marks the
     * superseded rows of a group of up to 64 at once, longer ones row by row) */
    struct monitor_row e[70];
    static const char *const codes[] = {"a21004", "a21005", "a05024"};
    for (int i = 0; i < 70; i++)
        e[i] = mrow(codes[i % 3], 2, i < 5 ? T0 + 180 : T0 + 240, i, "N");
    assert_int_equal(put(f, e, 70), 0);
    assert_hour(f, "a21004", 2, 36);   /* rows 3 (T0 + 180) and 69 (T0 + 240) */
    assert_hour(f, "a21005", 2, 35.5); /* rows 4 and 67 */
    assert_hour(f, "a05024", 2, 35);   /* rows 2 and 68 */
}

static long count(struct fixture *f, const char *table)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    sqlite3_stmt *st = NULL; /* not db_stmt: its cache is keyed by the SQL text's address */
    assert_int_equal(sqlite3_prepare_v2(db_handle(f->db), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* New records are staged in readings_recent and moved into readings by readings_sync; the
 * queries read the same either way, and a resend of a moved record merges where it is. */
static void test_staged_then_moved(void **state)
{
    struct fixture *f = *state;
    struct monitor_row a[] = {mrow("a34004", 2, T0, 30, "N"), mrow("a34004", 2, T0 + 60, 40, "N")};
    assert_int_equal(put(f, a, 2), 0);
    assert_int_equal(count(f, "readings_recent"), 2);
    assert_int_equal(count(f, "readings"), 0);
    int64_t next;
    json_t *before = readings_series(f->db, f->station, "a34004", 2, T0, T0 + 3600, 0, 10, &next);
    json_t *latest = readings_latest(f->db, f->station, 2);
    assert_int_equal(json_array_size(latest), 1);
    json_decref(latest);
    sync_rollups(f);
    assert_int_equal(count(f, "readings_recent"), 0);
    assert_int_equal(count(f, "readings"), 2);
    json_t *after = readings_series(f->db, f->station, "a34004", 2, T0, T0 + 3600, 0, 10, &next);
    assert_true(json_equal(before, after));
    json_decref(before);
    json_decref(after);
    /* a resend of a moved record replaces it in readings: nothing staged, counted once */
    struct monitor_row c[] = {mrow("a34004", 2, T0, 60, "N")};
    assert_int_equal(put(f, c, 1), 0);
    assert_int_equal(count(f, "readings_recent"), 0);
    assert_hour(f, "a34004", 2, 50);
    /* a record older than the newest stored one but new: staged, then moved */
    struct monitor_row d[] = {mrow("a34004", 2, T0 - 60, 10, "N")};
    assert_int_equal(put(f, d, 1), 0);
    assert_int_equal(count(f, "readings_recent"), 1);
    latest = readings_latest(f->db, f->station, 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(latest, 0), "ts")), T0 + 60);
    json_decref(latest);
    sync_rollups(f);
    assert_int_equal(count(f, "readings"), 3);
}

/* Back to before monitor migration 12: one staging table. */
#define UNDO_STAGING_TABLES                                                                        \
    "DROP VIEW readings_recent; DROP TABLE readings_staged_0; DROP TABLE readings_staged_1;"       \
    "DROP TABLE readings_staged_2; DROP TABLE readings_staged_3;"                                  \
    "CREATE TABLE readings_recent (id INTEGER PRIMARY KEY, station_id INTEGER NOT NULL, kind "     \
    "INTEGER NOT NULL, ts INTEGER NOT NULL, vals TEXT NOT NULL, device_id INTEGER NOT NULL, "      \
    "received INTEGER NOT NULL);"

/* Rows staged in table part (readings_staged_<part>). */
static int64_t staged_in(struct fixture *f, int part)
{
    char sql[64];
    snprintf(sql, sizeof sql, "readings_staged_%d", part);
    return count(f, sql);
}

/* The move goes in parts, one staging table per sync step, with batches in between: a record
 * of a station already moved merges into readings, one of a station not yet moved stays
 * staged until its part moves; nothing is lost or doubled. */
static void test_move_in_parts(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(db_exec(f->db, "INSERT INTO stations (id, code, name, kind, created_at, "
                                    "updated_at) VALUES (300, 'S300', 'S300', 'national', 0, 0)"),
                     0);
    assert_int_equal(readings_stage_part(f->station), 0);
    assert_int_equal(readings_stage_part(300), 1);
    struct monitor_row a[] = {mrow("a34004", 2, T0, 30, "N")};
    assert_int_equal(put(f, a, 1), 0);
    int64_t s1 = f->station;
    f->station = 300;
    struct monitor_row b[] = {mrow("a34004", 2, T0, 70, "N")};
    assert_int_equal(put(f, b, 1), 0);
    assert_int_equal(count(f, "readings_recent"), 2);
    assert_int_equal(staged_in(f, 0), 1);
    assert_int_equal(staged_in(f, 1), 1);
    /* part 0 of four: station 1 only */
    assert_int_equal(readings_begin(f->w), 0);
    assert_int_equal(readings_sync_step(f->w, T0), 0);
    assert_int_equal(readings_commit(f->w), 0);
    assert_int_equal(count(f, "readings"), 1);
    assert_int_equal(staged_in(f, 0), 0);
    assert_int_equal(staged_in(f, 1), 1);
    /* a resend for moved station 1, a resend for staged station 300 */
    struct monitor_row c[] = {mrow("a34004", 2, T0, 35, "N")};
    assert_int_equal(put(f, c, 1), 0); /* f->station is 300 */
    f->station = s1;
    assert_int_equal(put(f, c, 1), 0);
    assert_int_equal(count(f, "readings_recent"), 1);
    assert_int_equal(staged_in(f, 1), 1);
    /* part 1 */
    assert_int_equal(readings_begin(f->w), 0);
    assert_int_equal(readings_sync_step(f->w, T0), 0);
    assert_int_equal(readings_commit(f->w), 0);
    assert_int_equal(count(f, "readings_recent"), 0);
    sync_rollups(f);
    assert_int_equal(count(f, "readings_recent"), 0);
    assert_int_equal(count(f, "readings"), 2);
    int64_t next;
    for (int64_t st = 1; st <= 300; st += 299) {
        json_t *r = readings_series(f->db, st, "a34004", 2, T0, T0 + 60, 0, 10, &next);
        assert_int_equal(json_array_size(r), 1);
        assert_true(json_real_value(json_object_get(json_array_get(r, 0), "value")) == 35);
        json_decref(r);
    }
    /* once its part moved, station 300's newest stored period is read again: a resend merges
     * into readings, not staged as new */
    f->station = 300;
    struct monitor_row d[] = {mrow("a34004", 2, T0, 36, "N")};
    assert_int_equal(put(f, d, 1), 0);
    f->station = s1;
    assert_int_equal(count(f, "readings_recent"), 0);
}

/* Stages rows straight into the staging tables (as a crash leaves them: keys twice, out of key
 * order, some already in readings), and copies readings into readings_ref with the sorted
 * move of before session 7 applied to it: the reference for what the move must store. */
static void stage_unsorted_with_reference(struct fixture *f)
{
    /* one station in each staging table's part */
    assert_int_equal(db_exec(f->db, "INSERT INTO stations (id, code, name, kind, created_at, "
                                    "updated_at) VALUES (300, 'S300', 'S300', 'national', 0, 0), "
                                    "(600, 'S600', 'S600', 'national', 0, 0), (900, 'S900', "
                                    "'S900', 'national', 0, 0)"),
                     0);
    assert_int_equal(db_exec(f->db, "INSERT INTO readings (station_id, kind, ts, vals, device_id, "
                                    "received) VALUES (1, 2, 1767225600, '{\"z\":9}', 1, 1), "
                                    "(600, 3, 1767225600, '{\"x\":0,\"w\":1}', 1, 2)"),
                     0);
    static const int stations[] = {1, 300, 600, 900};
    uint32_t rnd = 777;
    for (int id = 1; id <= 400; id++) {
        rnd = rnd * 1103515245u + 12345u;
        int st = stations[(rnd >> 16) % 4], kind = 2 + (int)((rnd >> 8) % 2);
        int64_t ts = T0 + 60 * (int64_t)((rnd >> 20) % 12) - (id % 7 == 0 ? 3600 : 0);
        char vals[64], sql[256];
        if (id % 5 == 0) /* a factor removed again: the order of patches shows */
            snprintf(vals, sizeof vals, "{\"f%u\":null,\"g\":%d}", (rnd >> 4) % 3, id);
        else
            snprintf(vals, sizeof vals, "{\"f%u\":%d}", (rnd >> 4) % 3, id);
        snprintf(sql, sizeof sql,
                 "INSERT INTO readings_staged_%d (id, station_id, kind, ts, vals, device_id, "
                 "received) VALUES (%d, %d, %d, %lld, '%s', %d, %d)",
                 readings_stage_part(st), id, st, kind, (long long)ts, vals, id % 4 + 1, 1000 + id);
        assert_int_equal(db_exec(f->db, sql), 0);
    }
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_handle(f->db),
                                        "SELECT sql FROM sqlite_master WHERE name = 'readings'", -1,
                                        &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const char *ddl = (const char *)sqlite3_column_text(st, 0);
    const char *columns = strchr(ddl, '('); /* the name may be quoted (a renamed table) */
    assert_non_null(columns);
    char create[1024];
    snprintf(create, sizeof create, "CREATE TABLE readings_ref %s", columns);
    sqlite3_finalize(st);
    assert_int_equal(db_exec(f->db, create), 0);
    assert_int_equal(
        db_exec(f->db,
                "INSERT INTO readings_ref SELECT * FROM readings;"
                "INSERT INTO readings_ref (station_id, kind, ts, vals, device_id, received) "
                "SELECT station_id, kind, ts, vals, device_id, received FROM readings_recent "
                "WHERE true ORDER BY station_id, kind, ts, id ON CONFLICT DO UPDATE SET vals = "
                "json_patch(readings_ref.vals, excluded.vals), device_id = excluded.device_id, "
                "received = excluded.received"),
        0);
}

/* readings holds exactly the reference's rows. */
static void assert_readings_as_reference(struct fixture *f)
{
    assert_int_equal(count(f, "readings"), count(f, "readings_ref"));
    assert_int_equal(count(f, "(SELECT * FROM readings EXCEPT SELECT * FROM readings_ref)"), 0);
    assert_int_equal(count(f, "(SELECT * FROM readings_ref EXCEPT SELECT * FROM readings)"), 0);
}

/* The move in id order stores what the move sorted by key stored, in parts (the sync's
 * steps) and whole (the first batch after a start): keys staged twice, out of order, with
 * factors removed again, merged into rows already in readings. */
static void test_move_unsorted_same_as_sorted(void **state)
{
    struct fixture *f = *state;
    stage_unsorted_with_reference(f);
    assert_true(count(f, "readings_ref") > 50); /* many keys staged more than once */
    assert_true(count(f, "readings_ref") < 300);
    sync_rollups(f); /* the move in four parts */
    assert_int_equal(count(f, "readings_recent"), 0);
    assert_readings_as_reference(f);
}

static void test_move_whole_unsorted_same_as_sorted(void **state)
{
    struct fixture *f = *state;
    readings_close(f->w);
    f->w = NULL;
    stage_unsorted_with_reference(f);
    /* station 300's rows in the first table, as monitor migration 12 leaves rows staged before */
    assert_int_equal(db_exec(f->db, "INSERT INTO readings_staged_0 SELECT * FROM "
                                    "readings_staged_1; DELETE FROM readings_staged_1"),
                     0);
    char err[256];
    f->w = readings_open(f->path, err, sizeof err); /* a start: the first batch moves it all */
    assert_non_null(f->w);
    readings_rollup_delay(f->w, 3600 * 1000);
    f->station = 600;
    struct monitor_row a[] = {mrow("a34004", 2, T0 + 7200, 30, "N")};
    assert_int_equal(put(f, a, 1), 0);
    assert_int_equal(count(f, "readings_recent"), 1); /* the new record, staged */
    assert_readings_as_reference(f);
}

/* Monitor migration 12 on a database with rows staged in the one table of before: they go to
 * the first staging table, and the first batch after the start moves them all. */
static void test_staged_rows_migrated(void **state)
{
    struct fixture *f = *state;
    readings_close(f->w);
    f->w = NULL;
    stage_unsorted_with_reference(f);
    assert_int_equal(
        db_exec(f->db, "CREATE TABLE keep AS SELECT * FROM readings_recent;" UNDO_STAGING_TABLES
                       "INSERT INTO readings_recent SELECT * FROM keep;"
                       "UPDATE schema_versions SET version = 11 WHERE module = "
                       "'monitor';"),
        0);
    char err[256];
    assert_int_equal(modules_migrate(f->db, err, sizeof err), 0);
    assert_int_equal(staged_in(f, 0), 400);
    assert_int_equal(count(f, "readings_recent"), 400);
    assert_int_equal(count(f, "(SELECT * FROM readings_recent EXCEPT SELECT * FROM keep)"), 0);
    f->w = readings_open(f->path, err, sizeof err);
    assert_non_null(f->w);
    /* freed pages are not zeroed into the WAL (Debian builds SQLite with SECURE_DELETE) */
    assert_int_equal(db_query_int(readings_db(f->w), "PRAGMA secure_delete", -1, ""), 2);
    readings_rollup_delay(f->w, 3600 * 1000);
    f->station = 600;
    struct monitor_row a[] = {mrow("a34004", 2, T0 + 7200, 30, "N")};
    assert_int_equal(put(f, a, 1), 0);
    assert_int_equal(count(f, "readings_recent"), 1);
    assert_int_equal(staged_in(f, readings_stage_part(600)), 1);
    assert_readings_as_reference(f);
}

/* The province view counts a day's AQI once the day is over (Beijing): at 20:30 the day
 * already has the 20 hours a daily mean needs, but is not a published day yet. */
static void test_province_counts_ended_days(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(db_exec(f->db, "UPDATE stations SET city = 'C1', district = 'D1'"), 0);
    static const char *const factors[] = {"a34004", "a34002", "a21026",
                                          "a21004", "a21005", "a05024"};
    static const double values[] = {35, 60, 10, 30, 0.8, 80};
    const int64_t day = 1767196800; /* 2026-01-01T00:00+08:00 */
    for (int h = -24; h < 21; h++) {
        struct monitor_row r[6];
        for (int k = 0; k < 6; k++)
            r[k] = mrow(factors[k], MONITOR_KIND_HOUR, day + h * 3600, values[k], "N");
        assert_int_equal(put(f, r, 6), 0);
    }
    sync_rollups(f);
    const int64_t at[] = {day + 20 * 3600 + 1800, day + 86400 + 60};
    for (int i = 0; i < 2; i++) {
        json_t *p = monitor_province(f->db, day - 86400, day + 86400, 35, PROVINCE_BY_AQI, at[i]);
        assert_non_null(p);
        json_t *city = json_array_get(json_object_get(p, "cities"), 0);
        assert_string_equal(json_string_value(json_object_get(city, "city")), "C1");
        /* at 20:30 only the day before; the next day both */
        assert_int_equal(json_integer_value(json_object_get(city, "aqi_days")), 1 + i);
        json_decref(p);
    }
}

static void test_rollback_forgets(void **state)
{
    struct fixture *f = *state;
    struct monitor_row a[] = {mrow("a34004", 2, T0, 30, "N")};
    assert_int_equal(put(f, a, 1), 0);
    /* a batch that adds to the rollup, then is rolled back */
    struct monitor_row b[] = {mrow("a34004", 2, T0 + 60, 90, "N")};
    struct readings_row rr = {f->station, f->device, &b[0], 0};
    assert_int_equal(readings_begin(f->w), 0);
    assert_int_equal(readings_put(f->w, &rr, 1, T0), 0);
    readings_rollback(f->w);
    struct monitor_row c[] = {mrow("a34004", 2, T0 + 120, 40, "N")};
    assert_int_equal(put(f, c, 1), 0);
    assert_hour(f, "a34004", 2, 35); /* 30 and 40: the rolled-back 90 is not remembered */
}

/* After a rolled-back batch the writer moves what was staged and forgets what it knew of
 * each series: a resend of a record staged before is then found in readings and replaces it,
 * not staged a second time and counted twice. */
static void test_resend_after_rollback(void **state)
{
    struct fixture *f = *state;
    struct monitor_row a[] = {mrow("a34004", 2, T0, 30, "N")};
    assert_int_equal(put(f, a, 1), 0);
    assert_int_equal(count(f, "readings_recent"), 1);
    struct monitor_row b[] = {mrow("a34004", 2, T0 + 60, 90, "N")};
    struct readings_row rr = {f->station, f->device, &b[0], 0};
    assert_int_equal(readings_begin(f->w), 0);
    assert_int_equal(readings_put(f->w, &rr, 1, T0), 0);
    readings_rollback(f->w);
    struct monitor_row c[] = {mrow("a34004", 2, T0, 50, "N")};
    assert_int_equal(put(f, c, 1), 0);
    assert_int_equal(count(f, "readings_recent"), 0);
    assert_int_equal(count(f, "readings"), 1);
    assert_hour(f, "a34004", 1, 50);
}

/* A rollup's factors are looked up from after the last one found, wrapping round: records
 * with the factors in any order still add to the one aggregate of each. */
static void test_rollup_factors_any_order(void **state)
{
    struct fixture *f = *state;
    struct monitor_row a[] = {mrow("a01001", 2, T0, 1, "N"), mrow("a01002", 2, T0, 2, "N"),
                              mrow("a01003", 2, T0, 3, "N")};
    assert_int_equal(put(f, a, 3), 0);
    struct monitor_row b[] = {mrow("a01002", 2, T0 + 60, 6, "N")};
    assert_int_equal(put(f, b, 1), 0);
    struct monitor_row c[] = {mrow("a01001", 2, T0 + 120, 7, "N")}; /* looked for from a01003 */
    assert_int_equal(put(f, c, 1), 0);
    struct monitor_row d[] = {mrow("a01002", 2, T0 + 180, 4, "N"),
                              mrow("a01003", 2, T0 + 180, 7, "N")};
    assert_int_equal(put(f, d, 2), 0);
    static const struct {
        const char *factor;
        int n;
        double avg;
    } want[] = {{"a01001", 2, 4}, {"a01002", 3, 4}, {"a01003", 2, 5}};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        assert_hour(f, want[i].factor, want[i].n, want[i].avg);
    }
    /* one aggregate a factor in the stored rollup row */
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_handle(f->db),
                                        "SELECT count(*) FROM rollups, json_each(rollups.vals) "
                                        "WHERE kind = 3",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 3);
    sqlite3_finalize(st);
}

static void test_hour_records_make_day_rollups(void **state)
{
    struct fixture *f = *state;
    struct monitor_row a[] = {mrow("a05024", 3, T0, 100, "N"),
                              mrow("a05024", 3, T0 + 3600, 50, "N")};
    assert_int_equal(put(f, a, 2), 0);
    sync_rollups(f);
    int64_t day = T0 - 8 * 3600; /* Beijing midnight */
    json_t *r =
        readings_rollups(f->db, f->station, "a05024", MONITOR_KIND_DAY, day, day + 86400, 5);
    assert_int_equal(json_array_size(r), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(r, 0), "n")), 2);
    assert_true(json_real_value(json_object_get(json_array_get(r, 0), "max")) == 100);
    json_decref(r);
}

/* Records committed whose rollups were not yet written when the writer died: the next
 * writer rebuilds them from rollups_pending before adding to them. */
static void test_rollups_recovered_after_crash(void **state)
{
    struct fixture *f = *state;
    struct monitor_row a[] = {mrow("a34004", 2, T0, 30, "N"), mrow("a34004", 2, T0 + 60, 40, "N")};
    assert_int_equal(put(f, a, 2), 0);
    char err[256];
    /* the rollup is not written yet; the journal says so */
    sqlite3_stmt *st = db_stmt(f->db, "SELECT count(*) FROM rollups_pending");
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    sqlite3_reset(st);
    json_t *none =
        readings_rollups(f->db, f->station, "a34004", MONITOR_KIND_HOUR, T0, T0 + 3600, 5);
    assert_int_equal(json_array_size(none), 0);
    json_decref(none);
    readings_close(f->w); /* no sync: as if the process died */
    f->w = readings_open(f->path, err, sizeof err);
    assert_non_null(f->w);
    readings_rollup_delay(f->w, 3600 * 1000);
    struct monitor_row b[] = {mrow("a34004", 2, T0 + 120, 50, "N")};
    assert_int_equal(put(f, b, 1), 0);
    assert_hour(f, "a34004", 3, 40);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    sqlite3_reset(st);
}

/* Raw frames are found by station once the sync has indexed them (in parts of a few
 * thousand), newest first with their replies; pruning drops them and their index entries. */
static void test_frames_by_station(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(readings_begin(f->w), 0);
    for (int i = 0; i < 12000; i++) {
        char bytes[64];
        int n = snprintf(bytes, sizeof bytes, "##0010QN=%05d;ABCD\r\n", i);
        struct readings_frame fr = {T0 + i / 100, f->station,  f->device, "MN1", "q",
                                    "127.0.0.1",  "ok",        2051,      0,     bytes,
                                    (size_t)n,    "##ack\r\n", 7};
        assert_int_equal(readings_put_frame(f->w, &fr), 0);
    }
    assert_int_equal(readings_commit(f->w), 0);
    int64_t next;
    json_t *none = readings_frames(f->db, f->station, 0, 5, &next);
    assert_int_equal(json_array_size(none), 0); /* not indexed yet */
    json_decref(none);
    sync_rollups(f);
    assert_int_equal(count(f, "frames_station_runs"), 3); /* turns of 5,000, 5,000, 2,000 */
    json_t *fr = readings_frames(f->db, f->station, 0, 5, &next);
    assert_int_equal(json_array_size(fr), 5);
    assert_non_null(
        strstr(json_string_value(json_object_get(json_array_get(fr, 0), "frame")), "QN=11999"));
    assert_string_equal(json_string_value(json_object_get(json_array_get(fr, 0), "reply")),
                        "##ack");
    json_decref(fr);
    /* frames received before T0 + 60 (the first 6,000) go, with the run that held only them;
     * the run they shared with later frames stays and its pruned ids are skipped */
    assert_int_equal(readings_prune_frames(f->w, T0 + 60, 100000), 6000);
    assert_int_equal(count(f, "frames_station_runs"), 2);
    int64_t before = 0, want = 12000;
    do {
        fr = readings_frames(f->db, f->station, before, 700, &next);
        for (size_t i = 0; i < json_array_size(fr); i++)
            assert_int_equal(json_integer_value(json_object_get(json_array_get(fr, i), "id")),
                             want--);
        json_decref(fr);
        before = next;
    } while (next);
    assert_int_equal(want, 6000);
}

/* The frame ids of station st below before (0 = all) that the station lookup should give,
 * newest first, at most limit: the frames indexed so far (up to frames_indexed.id), as the
 * one-row-a-frame lookup (frames_by_station) gave them. */
static size_t reference_frame_ids(struct fixture *f, int64_t st, int64_t before, int limit,
                                  int64_t *out)
{
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_handle(f->db),
                                        "SELECT id FROM frames WHERE station_id = ?1 AND id < ?2 "
                                        "AND id <= (SELECT id FROM frames_indexed) ORDER BY id "
                                        "DESC LIMIT ?3",
                                        -1, &q, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(q, 1, st);
    sqlite3_bind_int64(q, 2, before > 0 ? before : INT64_MAX);
    sqlite3_bind_int(q, 3, limit);
    size_t n = 0;
    while (sqlite3_step(q) == SQLITE_ROW)
        out[n++] = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return n;
}

/* readings_frames over the packed runs gives, page by page, the ids the reference gives, and
 * each frame with its own row's fields, for stations 1 to nstations of the test's list and a
 * station with no frames. */
static const int64_t frame_stations[] = {1, 511, 65537, 2}; /* low bytes 01, FF, 01 */
static void check_frames_as_reference(struct fixture *f, int64_t nstations)
{
    static const int limits[] = {1, 7, 50, 5000};
    static int64_t want[5000];
    for (int64_t k = 0; k <= nstations; k++)
        for (size_t l = 0; l < sizeof limits / sizeof limits[0]; l++) {
            int64_t before = 0, next;
            size_t pages = 0;
            do {
                int64_t st = k < nstations ? frame_stations[k] : 99;
                size_t n = reference_frame_ids(f, st, before, limits[l], want);
                json_t *got = readings_frames(f->db, st, before, limits[l], &next);
                assert_non_null(got);
                assert_int_equal(json_array_size(got), n);
                for (size_t i = 0; i < n; i++) {
                    json_t *o = json_array_get(got, i);
                    assert_int_equal(json_integer_value(json_object_get(o, "id")), want[i]);
                    char mn[24];
                    snprintf(mn, sizeof mn, "MN%lld", (long long)want[i]);
                    assert_string_equal(json_string_value(json_object_get(o, "mn")), mn);
                }
                assert_int_equal(next, n == (size_t)limits[l] ? want[n - 1] : 0);
                json_decref(got);
                before = next;
                assert_true(++pages < 5000);
            } while (next);
        }
}

/* Frames of three stations interleaved at random (and some of no station), indexed in several
 * turns, some written after the last turn (not found yet), then the oldest pruned: at every
 * step the packed lookup gives what the one-row-a-frame lookup gave. */
static void test_frame_runs_same_as_per_frame(void **state)
{
    struct fixture *f = *state;
    for (int s = 1; s <= 2; s++) { /* ids of two and three bytes: the sort's later passes */
        char sql[160];
        long long sid = frame_stations[s];
        snprintf(sql, sizeof sql,
                 "INSERT INTO stations (id, code, name, kind, created_at, updated_at) VALUES "
                 "(%lld, 'S%lld', 'S%lld', 'national', 0, 0)",
                 sid, sid, sid);
        assert_int_equal(insert_id(f->db, sql), sid);
    }
    uint32_t rnd = 12345;
    int64_t id = 0;
    for (int round = 0; round < 5; round++) {
        assert_int_equal(readings_begin(f->w), 0);
        int n = 400 + round * 1500; /* 400 ... 6,400: the last one indexed in two turns */
        for (int i = 0; i < n; i++) {
            rnd = rnd * 1103515245u + 12345u;
            int64_t pick = (rnd >> 16) % 4;
            int64_t st = pick ? frame_stations[pick - 1] : 0; /* 0 = no station */
            char mn[24], bytes[48];
            snprintf(mn, sizeof mn, "MN%lld", (long long)++id);
            int len = snprintf(bytes, sizeof bytes, "##0010QN=%lld;\r\n", (long long)id);
            struct readings_frame fr = {
                T0 + id, st,    st ? f->device : 0, mn,          "q", "127.0.0.1", "ok", 2011,
                0,       bytes, (size_t)len,        "##ack\r\n", 7};
            assert_int_equal(readings_put_frame(f->w, &fr), 0);
        }
        assert_int_equal(readings_commit(f->w), 0);
        if (round < 4) /* the last round's frames stay unindexed */
            sync_rollups(f);
        check_frames_as_reference(f, 3);
    }
    assert_int_equal(count(f, "frames_station_runs"), 12); /* 4 turns x 3 stations */
    /* ids 1-3,000 go: the first two turns' runs whole, the third's in part */
    assert_int_equal(readings_prune_frames(f->w, T0 + 3001, 100000), 3000);
    assert_int_equal(count(f, "frames_station_runs"), 6);
    check_frames_as_reference(f, 3);
    sync_rollups(f);
    assert_int_equal(count(f, "frames_station_runs"), 12);
    check_frames_as_reference(f, 3);
}

/* A database whose lookup was one row a frame (before monitor migration 11) is converted:
 * the same frames are found, and later frames are indexed packed beside them. */
static void test_frame_lookup_converted(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(readings_begin(f->w), 0);
    for (int64_t id = 1; id <= 300; id++) {
        char mn[24];
        snprintf(mn, sizeof mn, "MN%lld", (long long)id);
        struct readings_frame fr = {T0 + id,   id % 3 ? f->station : 0,
                                    f->device, mn,
                                    "q",       "127.0.0.1",
                                    "ok",      2011,
                                    0,         "##x",
                                    3,         NULL,
                                    0};
        assert_int_equal(readings_put_frame(f->w, &fr), 0);
    }
    assert_int_equal(readings_commit(f->w), 0);
    const char *old = "CREATE TABLE frames_by_station (station_id INTEGER NOT NULL, id INTEGER "
                      "NOT NULL, PRIMARY KEY (station_id, id)) WITHOUT ROWID;"
                      "INSERT INTO frames_by_station SELECT station_id, id FROM frames WHERE "
                      "station_id IS NOT NULL AND id <= 200;"
                      "UPDATE frames_indexed SET id = 200;"
                      "DROP TABLE frames_station_runs;" UNDO_STAGING_TABLES
                      "UPDATE schema_versions SET version = 10 WHERE module = 'monitor';";
    assert_int_equal(db_exec(f->db, old), 0);
    char err[256];
    assert_int_equal(modules_migrate(f->db, err, sizeof err), 0);
    assert_int_equal(count(f, "frames_station_runs"), 134); /* ids 1-200 not divisible by 3 */
    check_frames_as_reference(f, 1);
    sync_rollups(f); /* 201-300 packed in one run */
    assert_int_equal(count(f, "frames_station_runs"), 135);
    check_frames_as_reference(f, 1);
}

/* Runs of ids round-trip through their gaps, 1- to 10-byte gaps included, and malformed
 * bytes are refused. */
static void test_run_ids(void **state)
{
    (void)state;
    static const uint64_t gaps[] = {1,        127,        128,        16383,           16384,
                                    1u << 21, 1ull << 35, 1ull << 56, (1ull << 62) - 1};
    uint8_t bytes[128];
    size_t len = 0;
    int64_t want[16] = {1};
    size_t n = 1;
    for (size_t i = 0; i < sizeof gaps / sizeof gaps[0]; i++, n++) {
        len += readings_run_put_gap(bytes + len, gaps[i]);
        want[n] = want[n - 1] + (int64_t)gaps[i];
    }
    int64_t ids[16];
    assert_int_equal(readings_run_ids(1, bytes, len, ids, 16), (long)n);
    for (size_t i = 0; i < n; i++)
        assert_true(ids[i] == want[i]);
    assert_int_equal(readings_run_ids(1, bytes, len, ids, n - 1), -1);  /* no room */
    assert_int_equal(readings_run_ids(1, bytes, len - 1, ids, 16), -1); /* cut short */
    assert_int_equal(readings_run_ids(7, bytes, 0, ids, 1), 1);         /* a run of one */
    assert_int_equal(ids[0], 7);
    assert_int_equal(readings_run_ids(0, bytes, 0, ids, 1), -1); /* no id 0 */
    static const uint8_t zero[] = {0},
                         wide[] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02};
    assert_int_equal(readings_run_ids(1, zero, 1, ids, 16), -1);  /* a gap of 0 */
    assert_int_equal(readings_run_ids(1, wide, 10, ids, 16), -1); /* past 64 bits */
    assert_int_equal(readings_run_put_gap(bytes, UINT64_MAX), READINGS_RUN_GAP_MAX);
    assert_int_equal(readings_run_ids(INT64_MAX - 5, bytes, 10, ids, 16), -1); /* past INT64 */
}

/* readings_put_frames writes what readings_put_frame would, frame for frame and in order:
 * counts around the statement's 16 rows (1-15, 16, 17, 33, 37), unknown station and device,
 * no reply, an empty reply, outgoing frames, absent texts, bytes with NUL and 0xFF. */
static void test_frames_at_once_same_rows(void **state)
{
    struct fixture *f = *state;
    static const size_t counts[] = {1, 2, 15, 16, 17, 33, 37};
    struct readings_frame fr[37];
    char bytes[37][32];
    for (int i = 0; i < 37; i++) {
        int n = snprintf(bytes[i], sizeof bytes[i], "##%04dQN=%d;", i, i * 7);
        bytes[i][n - 1] = (char)(i % 3 == 0 ? 0 : 0xFF); /* replaces the ';' */
        fr[i] = (struct readings_frame){T0 + i,
                                        i % 5 ? f->station : 0,
                                        i % 7 ? f->device : 0,
                                        i % 4 ? "MN1" : NULL,
                                        i % 6 ? "qn" : NULL,
                                        i % 8 ? "10.0.0.1" : NULL,
                                        i % 9 ? "reply" : NULL,
                                        2000 + i,
                                        i % 2,
                                        bytes[i],
                                        (size_t)n,
                                        i % 3 ? "##ack\r\n" : (i % 2 ? "" : NULL),
                                        i % 3 ? 7 : 0};
    }
    const char *sql = "SELECT received, station_id, device_id, mn, cn, qn, direction, status, "
                      "addr, hex(frame), hex(reply) FROM frames WHERE id > ? ORDER BY id";
    for (size_t c = 0; c < sizeof counts / sizeof *counts; c++) {
        size_t n = counts[c];
        sqlite3_stmt *mx = db_stmt(f->db, "SELECT coalesce(max(id), 0) FROM frames");
        assert_int_equal(sqlite3_step(mx), SQLITE_ROW);
        int64_t before = sqlite3_column_int64(mx, 0);
        sqlite3_reset(mx);
        assert_int_equal(readings_begin(f->w), 0);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(readings_put_frame(f->w, &fr[i]), 0);
        assert_int_equal(readings_put_frames(f->w, fr, n), 0);
        assert_int_equal(readings_commit(f->w), 0);
        /* the n written one by one, then the same n at once */
        sqlite3_stmt *a = db_stmt(f->db, sql);
        sqlite3_bind_int64(a, 1, before);
        char *first[37] = {0};
        for (size_t i = 0; i < 2 * n; i++) {
            assert_int_equal(sqlite3_step(a), SQLITE_ROW);
            char row[512] = "";
            size_t len = 0;
            for (int col = 0; col < 11; col++)
                len += (size_t)snprintf(row + len, sizeof row - len, "%s|",
                                        sqlite3_column_type(a, col) == SQLITE_NULL
                                            ? "NULL"
                                            : (const char *)sqlite3_column_text(a, col));
            if (i < n) {
                first[i] = strdup(row);
            } else {
                assert_string_equal(row, first[i - n]);
                free(first[i - n]);
            }
        }
        assert_int_equal(sqlite3_step(a), SQLITE_DONE);
        sqlite3_reset(a);
    }
}

/* The rows of one station's day from base in the table a query names (its parameters: 1
 * station, 2 day start), one line each, every column as text. */
static char *table_rows(struct fixture *f, const char *sql, int64_t station, int64_t base)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db_handle(f->db), sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, station);
    sqlite3_bind_int64(st, 2, base);
    struct buf out;
    buf_init(&out, 0);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int col = 0; col < sqlite3_column_count(st); col++) {
            const unsigned char *t = sqlite3_column_text(st, col);
            assert_int_equal(buf_printf(&out, "%s|", t ? (const char *)t : "NULL"), 0);
        }
        assert_int_equal(buf_putc(&out, '\n'), 0);
    }
    sqlite3_finalize(st);
    size_t len;
    return buf_detach(&out, &len);
}

/* Staged record rows go into readings_recent 16 to an INSERT: a batch stores what the same
 * records one batch each (one row a statement) store, with the same ids in the same order,
 * the same rows once moved and the same rollups: counts of records around the statement's 16
 * rows, a key sent again in the same batch while its row is still queued and after it was
 * written, keys already moved into readings, minute and hour records. */
static void test_staged_at_once_same_rows(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(db_exec(f->db, "INSERT INTO stations (code, name, kind, created_at, "
                                    "updated_at) VALUES ('S2', 'S2', 'national', 0, 0)"),
                     0);
    static const size_t counts[] = {1, 2, 15, 16, 17, 33, 37};
    static const char *const codes[] = {"a34004", "a34002", "a21026", "a21004"};
    const int64_t one_by_one = 1, at_once = 2;
    for (size_t c = 0; c < sizeof counts / sizeof *counts; c++) {
        size_t n = counts[c];
        int64_t base = T0 + (int64_t)c * 86400;
        /* a key already moved into readings, for both stations */
        struct monitor_row old = mrow("a34004", 2, base + 300, 1, "N");
        for (int64_t s = one_by_one; s <= at_once; s++) {
            f->station = s;
            assert_int_equal(put(f, &old, 1), 0);
        }
        sync_rollups(f);
        /* n records (groups of 1-3 rows) */
        struct monitor_row rows[37 * 3];
        struct readings_row rr[2][37 * 3];
        size_t first[38], m = 0;
        for (size_t i = 0; i < n; i++) {
            first[i] = m;
            int hour = i % 7 == 3;
            /* every eighth record resends the key two before it (staged in this batch, so possibly
             * still queued); from the 21st on, keys go back down from the 20th */
            size_t key = i % 8 == 7 ? i - 2 : i;
            key = key < 20 ? key : 39 - key;
            int64_t ts = hour ? base + 3600 * (int64_t)(i % 3) : base + 60 * (int64_t)key;
            for (size_t k = 0; k <= i % 3; k++, m++) {
                rows[m] = mrow(codes[(i + k) % 4], hour ? 3 : 2, ts, (double)i * 10 + (double)k,
                               k ? "N" : "T");
                for (int64_t s = one_by_one; s <= at_once; s++)
                    rr[s - 1][m] = (struct readings_row){s, f->device, &rows[m], (uint32_t)m};
            }
        }
        first[n] = m;
        assert_int_equal(readings_begin(f->w), 0);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(readings_put(f->w, &rr[0][first[i]], first[i + 1] - first[i], base),
                             0);
        assert_int_equal(readings_put(f->w, rr[1], m, base), 0);
        assert_int_equal(readings_commit(f->w), 0);
        static const char *const staged =
            "SELECT id - (SELECT min(id) FROM readings_recent WHERE station_id = ?1), kind, ts, "
            "vals, device_id, received FROM readings_recent WHERE station_id = ?1 AND ts >= ?2 "
            "ORDER BY id";
        static const char *const stored = "SELECT kind, ts, vals, device_id, received FROM "
                                          "readings WHERE station_id = ?1 AND ts >= ?2 ORDER BY "
                                          "kind, ts";
        static const char *const rolled = "SELECT kind, ts, vals FROM rollups WHERE station_id "
                                          "= ?1 AND ts >= ?2 - 86400 ORDER BY kind, ts";
        const char *const sqls[] = {staged, stored, stored, rolled};
        for (int q = 0; q < 4; q++) {
            if (q == 2)
                sync_rollups(f); /* moved, rollups written */
            char *a = table_rows(f, sqls[q], one_by_one, base);
            char *b = table_rows(f, sqls[q], at_once, base);
            assert_true(q == 1 || q == 3 || strlen(a) > 0);
            assert_string_equal(a, b);
            free(a);
            free(b);
        }
    }
    f->station = one_by_one;
}

/* Finished exchanges the platform started itself go with the raw frames; a person's stay. */
static void test_prune_commands(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(
        db_exec(f->db, "INSERT INTO monitor_commands (device_id, station_id, cn, qn, purpose, "
                       "status, created_by, created_at, updated_at) VALUES "
                       "(1, 1, 1011, 'a', 'command', 'done', 'system', 100, 100),"
                       "(1, 1, 1011, 'b', 'command', 'sent', 'system', 100, 100),"
                       "(1, 1, 1011, 'c', 'command', 'done', 'admin', 100, 100),"
                       "(1, 1, 1011, 'd', 'command', 'done', 'system', 5000, 5000)"),
        0);
    assert_int_equal(readings_prune_commands(f->w, 1000, 100), 1);
    assert_int_equal(count(f, "monitor_commands"), 3);
}

/* A database written before monitor migration 3 (one row per factor) is converted. */
static void test_old_layout_converted(void **state)
{
    struct fixture *f = *state;
    readings_close(f->w);
    f->w = NULL;
    const char *old =
        "DROP TABLE readings; DROP TABLE rollups; DROP TABLE station_factors;"
        "DROP TABLE rollups_pending; DROP TABLE frames_station_runs; DROP TABLE frames_indexed;"
        "DROP VIEW readings_recent; DROP TABLE readings_staged_0; DROP TABLE readings_staged_1;"
        "DROP TABLE readings_staged_2; DROP TABLE readings_staged_3;"
        "DROP INDEX monitor_commands_system;"
        "DROP TABLE frame_rejects; DROP INDEX unregistered_devices_seen;"
        "DROP TABLE readings_spool;"
        "ALTER TABLE stations DROP COLUMN city;"
        "DROP TABLE node_outbox; DROP TABLE node_applied;"
        "DROP TABLE node_taken; DROP INDEX monitor_commands_unpublished;"
        "ALTER TABLE monitor_commands DROP COLUMN published_at;"
        "ALTER TABLE monitor_commands DROP COLUMN frame;"
        "ALTER TABLE monitor_commands DROP COLUMN node;"
        "ALTER TABLE devices DROP COLUMN last_node;"
        "CREATE INDEX frames_station ON frames (station_id, id);"
        "ALTER TABLE frames DROP COLUMN reply;"
        "CREATE INDEX frames_received ON frames (received);"
        "CREATE TABLE readings (station_id INTEGER NOT NULL, factor TEXT NOT NULL, kind INTEGER "
        "NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL, vmin REAL, vmax REAL, cou REAL, "
        "flag TEXT NOT NULL DEFAULT 'N', qual INTEGER NOT NULL DEFAULT 0, device_id INTEGER NOT "
        "NULL, received INTEGER NOT NULL, PRIMARY KEY (station_id, factor, kind, ts)) WITHOUT "
        "ROWID;"
        "CREATE TABLE rollups (station_id INTEGER NOT NULL, factor TEXT NOT NULL, kind INTEGER "
        "NOT NULL, ts INTEGER NOT NULL, n INTEGER NOT NULL, n_valid INTEGER NOT NULL, avg REAL, "
        "vmin REAL, vmax REAL, updated INTEGER NOT NULL, PRIMARY KEY (station_id, factor, kind, "
        "ts)) WITHOUT ROWID;"
        "INSERT INTO readings VALUES (1, 'a34004', 2, 1767225600, 30.5, 29, 31, NULL, 'N', 0, 1, "
        "0), (1, 'a34002', 2, 1767225600, 61, NULL, NULL, NULL, 'D', 4, 1, 0), (1, 'a34004', 2, "
        "1767225660, 40, NULL, NULL, NULL, 'N', 0, 1, 0);"
        "INSERT INTO rollups VALUES (1, 'a34004', 3, 1767225600, 2, 2, 35.25, 30.5, 40, 0);"
        "UPDATE schema_versions SET version = 2 WHERE module = 'monitor';";
    assert_int_equal(db_exec(f->db, old), 0);
    char err[256];
    assert_int_equal(modules_migrate(f->db, err, sizeof err), 0);
    int64_t next;
    json_t *s = readings_series(f->db, 1, "a34004", 2, T0, T0 + 3600, 0, 10, &next);
    assert_int_equal(json_array_size(s), 2);
    json_t *r0 = json_array_get(s, 0);
    assert_true(json_real_value(json_object_get(r0, "value")) == 30.5);
    assert_true(json_real_value(json_object_get(r0, "min")) == 29);
    assert_null(json_object_get(r0, "cou"));
    json_decref(s);
    s = readings_series(f->db, 1, "a34002", 2, T0, T0 + 3600, 0, 10, &next);
    assert_int_equal(json_array_size(s), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(s, 0), "flag")), "D");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(s, 0), "qual")), 4);
    json_decref(s);
    json_t *factors = readings_factors(f->db, 1);
    assert_int_equal(json_array_size(factors), 2);
    json_decref(factors);
    int n, nv;
    double avg;
    f->w = readings_open(f->path, err, sizeof err);
    readings_rollup_delay(f->w, 3600 * 1000);
    hour_rollup(f, "a34004", &n, &nv, &avg);
    assert_int_equal(n, 2);
    assert_true(avg == 35.25);
    /* and the converted rollup keeps adding up */
    struct monitor_row c[] = {mrow("a34004", 2, T0 + 120, 35.25, "N")};
    assert_int_equal(put(f, c, 1), 0);
    assert_hour(f, "a34004", 3, 35.25);
}

/* The AQI's hourly values: thousandths rounded half up, out-of-range values not taken, and the
 * Beijing day and hour of a time (UTC+8, floor division before 1970). */
static void test_air_values_and_days(void **state)
{
    (void)state;
    int64_t m = -7;
    assert_int_equal(readings_air_milli(12.3456, &m), 1);
    assert_int_equal(m, 12346);
    assert_int_equal(readings_air_milli(0.0125, &m), 1); /* 12.5 -> 13, as ClickHouse's floor */
    assert_int_equal(m, 13);
    assert_int_equal(readings_air_milli(0, &m), 1);
    assert_int_equal(m, 0);
    assert_int_equal(readings_air_milli(READINGS_AIR_MAX, &m), 1);
    assert_int_equal(m, 1000000000);
    m = -7;
    assert_int_equal(readings_air_milli(-0.5, &m), 0);
    assert_int_equal(readings_air_milli(READINGS_AIR_MAX + 1, &m), 0);
    assert_int_equal(readings_air_milli(NAN, &m), 0);
    assert_int_equal(m, -7);
    int hour = -1;
    assert_int_equal(readings_air_day_of(T0, &hour), T0 - 28800); /* 08:00 Beijing */
    assert_int_equal(hour, 8);
    assert_int_equal(readings_air_day_of(T0 - 28801, &hour), T0 - 28800 - 86400);
    assert_int_equal(hour, 23);
    assert_int_equal(readings_air_day_of(-28801, &hour), -28800 - 86400);
    assert_int_equal(hour, 23);
}

/* The SQLite engine's air days: valid hour records only (not minute records, not flag D, not
 * negative), per Beijing day, O3 by its hour. */
static void test_air_days(void **state)
{
    struct fixture *f = *state;
    struct monitor_row rows[] = {
        mrow("a34004", MONITOR_KIND_HOUR, T0, 12.3456, "N"),
        mrow("a05024", MONITOR_KIND_HOUR, T0, 100, "N"),
        mrow("a34004", MONITOR_KIND_HOUR, T0 + 3600, 999, "D"),
        mrow("a34004", MONITOR_KIND_HOUR, T0 + 7200, 20, "N"),
        mrow("a34004", MONITOR_KIND_MINUTE, T0 + 60, 500, "N"),
        mrow("a21026", MONITOR_KIND_HOUR, T0 + 16 * 3600, 5, "N"), /* 00:00 Beijing, Jan 2 */
        mrow("w01018", MONITOR_KIND_HOUR, T0 + 17 * 3600, 5, "N"), /* not a pollutant of it */
    };
    assert_int_equal(put(f, rows, sizeof rows / sizeof rows[0]), 0);
    struct readings_air_day *d = NULL;
    size_t n = 0;
    int64_t day = T0 - 28800;
    assert_int_equal(readings_air_days(f->db, &f->station, 1, day, day + 3 * 86400, &d, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(d[0].station_id, f->station);
    assert_int_equal(d[0].day, day);
    assert_int_equal(d[0].hours.n[AIRSTAT_PM25], 2);
    assert_int_equal(d[0].hours.sum[AIRSTAT_PM25], 12346 + 20000);
    assert_int_equal(d[0].hours.n[AIRSTAT_O3], 1);
    assert_int_equal(d[0].hours.o3[8], 100000);
    assert_int_equal(d[0].hours.o3[9], -1);
    assert_int_equal(d[0].hours.n[AIRSTAT_SO2], 0);
    assert_int_equal(d[1].day, day + 86400);
    assert_int_equal(d[1].hours.n[AIRSTAT_SO2], 1);
    assert_int_equal(d[1].hours.sum[AIRSTAT_SO2], 5000);
    free(d);
    /* the second day alone; no station: nothing */
    assert_int_equal(readings_air_days(f->db, &f->station, 1, day + 86400, day + 2 * 86400, &d, &n),
                     0);
    assert_int_equal(n, 1);
    free(d);
    assert_int_equal(readings_air_days(f->db, NULL, 0, day, day + 86400, &d, &n), 0);
    assert_int_equal(n, 0);
    assert_null(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_round_trip),
        cmocka_unit_test(test_val_put_same_bytes),
        cmocka_unit_test(test_sort_runs),
        cmocka_unit_test_setup_teardown(test_records_and_queries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resends_and_split_packets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_staged_then_moved, setup, teardown),
        cmocka_unit_test_setup_teardown(test_move_in_parts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_move_unsorted_same_as_sorted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_move_whole_unsorted_same_as_sorted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_staged_rows_migrated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_province_counts_ended_days, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_forgets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resend_after_rollback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollup_factors_any_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hour_records_make_day_rollups, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollups_recovered_after_crash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_frames_by_station, setup, teardown),
        cmocka_unit_test_setup_teardown(test_frame_runs_same_as_per_frame, setup, teardown),
        cmocka_unit_test_setup_teardown(test_frame_lookup_converted, setup, teardown),
        cmocka_unit_test(test_run_ids),
        cmocka_unit_test_setup_teardown(test_frames_at_once_same_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_staged_at_once_same_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prune_commands, setup, teardown),
        cmocka_unit_test_setup_teardown(test_old_layout_converted, setup, teardown),
        cmocka_unit_test(test_air_values_and_days),
        cmocka_unit_test_setup_teardown(test_air_days, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
