/* bench_monitor — the device-data intake end to end on this machine:
 *
 * 1. baseline: a bare SQLite loop inserting the same records (1,000 national stations × six
 *    pollutants, minute records in arrival order) in the writer's packed form into the same
 *    schema, one transaction per 20,000 values;
 * 2. end to end, saturated: the HJ 212 listener and its writer in this process, `ecogov
 *    simulate` with 1,000 devices (six values a frame, 8 frames in flight each) over loopback
 *    for a bounded time: values committed per second (acks arrive only after the commit), ack
 *    latency p50/p99 as the simulator measured them, the ratio against the baseline, and the
 *    server's CPU per value (listener and writer threads);
 * 3. end to end, paced: the same devices at 200,000 values/s in total (BENCH_PACED_VALUES sets
 *    another rate): the latency a device sees while the server keeps up;
 *    (2 runs twice, with synchronous=NORMAL and with FULL, the server's setting since issue
 *    16, and prints the ratio: what durability against a power cut costs);
 * 4. 10,000 idle connections: the server's RSS before and after a child process opens them,
 *    then every connection sends one record and must get its 9014.
 *
 * 0. durability: one-row commits with synchronous=NORMAL and FULL, alternately (what a power
 *    cut's protection costs an HTTP write; the device writer pays it once per batch).
 *
 * usage: bench_monitor [devices (default 1000)] [seconds (default 10)] [saturated|paced|
 * durability (default: saturated and paced)]; the ecogov binary is build/ecogov (ECOGOV_BIN
 * overrides), BENCH_BATCH_ROWS overrides the writer's batch cap. */
#include "app/module.h"
#include "core/timeutil.h"
#include "domain/hj212.h"
#include "net/hj212_server.h"
#include "db/db.h"
#include "db/row.h"
#include "modules/monitor/ingest.h"
#include "modules/monitor/store_devcache.h"
#include "modules/monitor/readings_val.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define BENCH_IDLE_CONNS 10000
#define BENCH_BASE_MINUTES 100
#define BENCH_BATCH 20000
#define BENCH_PACED_VALUES 200000.0 /* the aim */

static const char *const bench_factors[] = {"a34004", "a34002", "a21026",
                                            "a21004", "a21005", "a05024"};

static double bench_now(void)
{
    return (double)timeutil_now_ms() / 1000.0;
}

/* User + system CPU seconds of this process so far. */
static double bench_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* CPU seconds of the task whose /proc directory is dir. */
static double bench_task_cpu(const char *dir)
{
    char p[320], stat[1024];
    snprintf(p, sizeof p, "%s/stat", dir);
    FILE *f = fopen(p, "r");
    if (!f)
        return 0;
    size_t n = fread(stat, 1, sizeof stat - 1, f);
    fclose(f);
    stat[n] = '\0';
    /* fields after the ")" of comm: state is field 3, utime 14, stime 15 */
    const char *q = strrchr(stat, ')');
    unsigned long ut = 0, st = 0;
    if (q && sscanf(q + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) == 2)
        return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
    return 0;
}

/* Bytes the task whose /proc directory is dir wrote with write/pwrite (its WAL, for the
 * writer; the database file, for the checkpointer). */
static double bench_task_written(const char *dir)
{
    char p[320], line[128];
    snprintf(p, sizeof p, "%s/io", dir);
    FILE *f = fopen(p, "r");
    double v = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "wchar: %lf", &v) == 1)
            break;
    if (f)
        fclose(f);
    return v;
}

/* The sum of measure over this process's threads named name (ecogov-hj212, ecogov-ingest,
 * ecogov-ckpt). */
static double bench_threads(const char *name, double (*measure)(const char *dir))
{
    double total = 0;
    DIR *dir = opendir("/proc/self/task");
    struct dirent *e;
    while (dir && (e = readdir(dir))) {
        char p[300], comm[64] = "";
        snprintf(p, sizeof p, "/proc/self/task/%s/comm", e->d_name);
        FILE *f = fopen(p, "r");
        if (!f)
            continue;
        if (!fgets(comm, sizeof comm, f))
            comm[0] = '\0';
        fclose(f);
        comm[strcspn(comm, "\n")] = '\0';
        snprintf(p, sizeof p, "/proc/self/task/%s", e->d_name);
        if (!strcmp(comm, name))
            total += measure(p);
    }
    if (dir)
        closedir(dir);
    return total;
}

/* CPU seconds of this process's threads named name. */
static double bench_thread_cpu(const char *name)
{
    return bench_threads(name, bench_task_cpu);
}

static long bench_rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6))
            kb = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

static struct db *bench_db(char *path, size_t len, const char *tag)
{
    snprintf(path, len, "/tmp/ecogov-bench-monitor-%s-XXXXXX", tag);
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    close(fd);
    char err[256];
    struct db *db = db_open(path, err, sizeof err);
    if (!db || modules_migrate(db, err, sizeof err)) {
        fprintf(stderr, "bench_monitor: %s\n", err);
        db_close(db);
        return NULL;
    }
    return db;
}

static void bench_unlink(const char *path)
{
    char p[300];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

/* Durability's cost per commit: n one-row transactions (an HTTP write, or a small device
 * batch) on a fresh database with the given setting; returns the mean microseconds a commit.
 * Called alternately with NORMAL and FULL so both see the same machine load. */
static double bench_commit_us(enum db_sync mode, int n)
{
    db_set_sync(mode);
    char path[128];
    struct db *db = bench_db(path, sizeof path, "sync");
    db_set_sync(DB_SYNC_FULL);
    if (!db)
        return -1;
    db_exec(db, "CREATE TABLE bench_commit (id INTEGER PRIMARY KEY, v TEXT)");
    double t0 = bench_now();
    for (int i = 0; i < n; i++)
        if (db_begin(db) || db_run(db, "INSERT INTO bench_commit (v) VALUES (?)", "t", "x") ||
            db_commit(db))
            break;
    double us = (bench_now() - t0) * 1e6 / n;
    db_close(db);
    bench_unlink(path);
    return us;
}

static void bench_durability(void)
{
    double normal = 0, full = 0;
    for (int round = 0; round < 3; round++) {
        normal += bench_commit_us(DB_SYNC_NORMAL, 300);
        full += bench_commit_us(DB_SYNC_FULL, 300);
    }
    printf(
        "durability: one-row commits, 3 x 300 alternately: synchronous=NORMAL %.0f us, FULL %.0f "
        "us a commit (%.1f x)\n",
        normal / 3, full / 3, normal > 0 ? full / normal : 0);
    fflush(stdout);
}

/* Registers n national stations with one device each (MN BENCH00001..., PW 123456). */
static int bench_devices(struct db *db, long n)
{
    sqlite3_stmt *s = db_stmt(db, "INSERT INTO stations (code, name, kind, created_at, "
                                  "updated_at) VALUES (?1, ?1, 'national', 0, 0)");
    sqlite3_stmt *d = db_stmt(db, "INSERT INTO devices (station_id, mn, pw, created_at, "
                                  "updated_at) VALUES (?, ?, '123456', 0, 0)");
    if (!s || !d || db_begin(db))
        return -1;
    for (long i = 0; i < n; i++) {
        char code[32];
        snprintf(code, sizeof code, "BENCH%05ld", i + 1);
        sqlite3_bind_text(s, 1, code, -1, SQLITE_TRANSIENT);
        int rc = sqlite3_step(s);
        sqlite3_reset(s);
        sqlite3_bind_int64(d, 1, sqlite3_last_insert_rowid(db_handle(db)));
        sqlite3_bind_text(d, 2, code, -1, SQLITE_TRANSIENT);
        if (rc != SQLITE_DONE || sqlite3_step(d) != SQLITE_DONE) {
            sqlite3_reset(d);
            db_rollback(db);
            return -1;
        }
        sqlite3_reset(d);
    }
    return db_commit(db);
}

/* The baseline: minutes × stations records of six factors in arrival order, BENCH_BATCH values
 * per commit, one packed row per record with the writer's JSON form and insert statement:
 * SQLite alone, without the listener, the batching, the rollups or the raw frames. */
static double bench_baseline(long stations, long *rows_out)
{
    char path[128];
    struct db *db = bench_db(path, sizeof path, "base");
    if (!db)
        return -1;
    db_exec(db, "PRAGMA cache_size=-131072");
    db_exec(db, "PRAGMA wal_autocheckpoint=8192");
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO readings (station_id, kind, ts, vals, device_id, "
                                   "received) VALUES (?1, 2, ?2, ?3, ?1, ?4) ON CONFLICT DO "
                                   "NOTHING");
    int64_t t0 = timeutil_now() - 86400;
    t0 -= t0 % 60;
    long rows = 0;
    struct buf b;
    buf_init(&b, 0);
    double start = bench_now();
    db_begin(db);
    for (long m = 0; m < BENCH_BASE_MINUTES; m++)
        for (long s = 1; s <= stations; s++) {
            buf_reset(&b);
            buf_putc(&b, '{');
            for (int f = 0; f < 6; f++) {
                struct monitor_row r = {.has = MONITOR_HAS_VALUE,
                                        .flag = "N",
                                        .value = 20.0 + (double)((s * 7 + m + f) % 50) / 10};
                if (f)
                    buf_putc(&b, ',');
                readings_val_put(&b, bench_factors[f], &r);
            }
            buf_putc(&b, '}');
            sqlite3_bind_int64(st, 1, s);
            sqlite3_bind_int64(st, 2, t0 + 60 * m);
            sqlite3_bind_text(st, 3, b.data, (int)b.len, SQLITE_STATIC);
            sqlite3_bind_int64(st, 4, t0);
            sqlite3_step(st);
            sqlite3_reset(st);
            rows += 6;
            if (rows % BENCH_BATCH < 6) {
                db_commit(db);
                db_begin(db);
            }
        }
    db_commit(db);
    double secs = bench_now() - start;
    buf_free(&b);
    db_close(db);
    bench_unlink(path);
    *rows_out = rows;
    return (double)rows / secs;
}

static int bench_server(const char *path, struct hj212_server **out)
{
    /* The server's defaults (docs/monitoring.md "Options"); BENCH_BATCH_ROWS overrides the
     * writer's batch cap for experiments. */
    const char *rows = getenv("BENCH_BATCH_ROWS");
    struct ingest_listen_opts o = {.listener = {.listen = "127.0.0.1",
                                                .max_frame = 1036,
                                                .idle_timeout = 600,
                                                .frame_timeout = 30,
                                                .max_connections = 20000},
                                   .db_path = path,
                                   .raw_days = 30,
                                   .batch_rows = rows ? (int)strtol(rows, NULL, 10) : 20000,
                                   .batch_ms = 5};
    int port = 0;
    *out = ingest_listen(&o, &port);
    return *out ? port : -1;
}

/* Runs the simulator; fills p50/p99 (ms) and acked values/s from its summary line. */
static int bench_simulate(const char *bin, const char *path, long devices, int port, long secs,
                          long period_ms, double *vps, long *p50, long *p99, char *line,
                          size_t linelen)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "'%s' simulate --db='%s' --stations %ld --port %d --period-ms %ld --window 8 "
             "--duration %ld 2>&1",
             bin, path, devices, port, period_ms, secs);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    int found = 0;
    char buf[1024];
    while (fgets(buf, sizeof buf, p)) {
        const char *a = strstr(buf, " acks (");
        const char *l = strstr(buf, "p50 ");
        if (a && l) {
            *vps = strtod(a + 7, NULL);
            *p50 = strtol(l + 4, NULL, 10);
            const char *q = strstr(l, "p99 ");
            *p99 = q ? strtol(q + 4, NULL, 10) : -1;
            snprintf(line, linelen, "%s", buf);
            found = 1;
        }
    }
    return pclose(p) == 0 && found ? 0 : -1;
}

static size_t bench_frame(char *out, size_t cap, long dev, int64_t t, uint32_t seq)
{
    char mn[32], cpbuf[512], dts[HJ212_TIME_BUF], qn[HJ212_TIME_BUF];
    snprintf(mn, sizeof mn, "BENCH%05ld", dev);
    struct hj212_cp cp;
    hj212_cp_init(&cp, cpbuf, sizeof cpbuf);
    struct hj212_time ht;
    hj212_time_from_unix(t, 0, &ht);
    hj212_time_format(&ht, 0, dts);
    hj212_cp_add(&cp, "DataTime", hj212_str_c(dts));
    hj212_cp_add(&cp, "a34004-Avg", hj212_str_c("35"));
    hj212_cp_add(&cp, "a34004-Flag", hj212_str_c("N"));
    hj212_time_from_unix(t, (int)(seq % 1000), &ht);
    hj212_time_format(&ht, 1, qn);
    struct hj212_head h = {
        hj212_str_c(qn), hj212_str_c("22"), hj212_str_c("123456"), hj212_str_c(mn), 2051, 5, 0, 0};
    size_t len = 0;
    return hj212_encode_cp(out, cap, &h, &cp, &len) == HJ212_OK ? len : 0;
}

/* Child: opens n connections, tells the parent (one byte on ready_fd), waits for a byte on
 * go_fd, sends one record on every connection and counts the 9014s. Exit status 0 when every
 * connection got its ack. Prints the count. */
static int bench_idle_child(int port, int n, long devices, int ready_fd, int go_fd)
{
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    struct pollfd *p = calloc((size_t)n, sizeof *p);
    int opened = 0;
    for (int i = 0; i < n; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
        inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
        if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a)) {
            if (fd >= 0)
                close(fd);
            break;
        }
        p[opened].fd = fd;
        p[opened].events = POLLIN;
        opened++;
    }
    char b = (char)(opened == n);
    if (write(ready_fd, &b, 1) != 1 || read(go_fd, &b, 1) != 1)
        return 1;
    int64_t t = timeutil_now() - 3600;
    t -= t % 60;
    for (int i = 0; i < opened; i++) {
        char f[HJ212_FRAME_MAX + 1];
        size_t len = bench_frame(f, sizeof f, 1 + i % devices, t + 60 * (i / devices), 1);
        if (send(p[i].fd, f, len, MSG_NOSIGNAL) != (ssize_t)len)
            p[i].fd = -p[i].fd - 1;
    }
    int acked = 0;
    int64_t deadline = timeutil_now_ms() + 30000;
    while (acked < opened && timeutil_now_ms() < deadline) {
        if (poll(p, (nfds_t)opened, 200) <= 0)
            continue;
        for (int i = 0; i < opened; i++) {
            if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char in[512];
            ssize_t r = recv(p[i].fd, in, sizeof in, MSG_DONTWAIT);
            if (r > 0 && memmem(in, (size_t)r, "CN=9014", 7))
                acked++;
            p[i].fd = -p[i].fd - 1; /* done with this one */
        }
    }
    printf("idle: %d of %d connections opened, %d acked after idling\n", opened, n, acked);
    fflush(stdout);
    return acked == n ? 0 : 1;
}

static void bench_idle(const char *path, long devices)
{
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < BENCH_IDLE_CONNS + 100) {
        printf("idle: skipped (open-file limit %ld < %d)\n", (long)rl.rlim_cur,
               BENCH_IDLE_CONNS + 100);
        return;
    }
    struct hj212_server *srv;
    int port = bench_server(path, &srv);
    if (port < 0)
        return;
    int ready[2], go[2];
    if (pipe(ready) || pipe(go))
        return;
    usleep(200000);
    long before = bench_rss_kb();
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(ready[0]), close(go[1]);
        _exit(bench_idle_child(port, BENCH_IDLE_CONNS, devices, ready[1], go[0]));
    }
    close(ready[1]), close(go[0]);
    char b = 0;
    if (read(ready[0], &b, 1) != 1)
        b = 0;
    sleep(2); /* idle: let the server settle with every connection open */
    struct hj212_server_stats st;
    hj212_server_get_stats(srv, &st);
    long after = bench_rss_kb();
    printf("idle: %llu connections open in the server, RSS %.1f MB before, %.1f MB with them "
           "(+%.2f KB per connection)\n",
           (unsigned long long)st.open, before / 1024.0, after / 1024.0,
           (double)(after - before) / BENCH_IDLE_CONNS);
    fflush(stdout);
    if (write(go[1], &b, 1) != 1)
        perror("bench_monitor");
    int status = 0;
    waitpid(pid, &status, 0);
    printf("idle: %s\n", WIFEXITED(status) && WEXITSTATUS(status) == 0
                             ? "all connections served"
                             : "NOT all connections served");
    close(ready[0]), close(go[1]);
    ingest_unlisten(srv);
}

/* One end-to-end run against a fresh listener on the registered devices; prints the
 * simulator's line and the summary. */
static int bench_e2e(const char *bin, long devices, long secs, long period_ms, double base,
                     double *vps)
{
    char path[128];
    struct db *db = bench_db(path, sizeof path, "e2e");
    if (!db || bench_devices(db, devices)) {
        fprintf(stderr, "bench_monitor: cannot register devices\n");
        db_close(db);
        return 1;
    }
    devcache_touch();
    struct hj212_server *srv;
    int port = bench_server(path, &srv);
    if (port < 0) {
        db_close(db);
        return 1;
    }
    long p50 = -1, p99 = -1;
    char sim[1024] = "";
    sqlite3_stmt *cnt =
        db_stmt(db, "SELECT sum((SELECT count(*) FROM json_each(vals))) FROM (SELECT vals FROM "
                    "readings UNION ALL SELECT vals FROM readings_recent)");
    long before = cnt && sqlite3_step(cnt) == SQLITE_ROW ? (long)sqlite3_column_int64(cnt, 0) : 0;
    if (cnt)
        sqlite3_reset(cnt);
    double cpu0 = bench_cpu(), lis0 = bench_thread_cpu("ecogov-hj212"),
           wr0 = bench_thread_cpu("ecogov-ingest"), ck0 = bench_thread_cpu("ecogov-ckpt"),
           wb0 = bench_threads("ecogov-ingest", bench_task_written);
    int rc =
        bench_simulate(bin, path, devices, port, secs, period_ms, vps, &p50, &p99, sim, sizeof sim);
    double lis_us = (bench_thread_cpu("ecogov-hj212") - lis0) * 1e6 / (*vps * (double)secs);
    double wr_us = (bench_thread_cpu("ecogov-ingest") - wr0) * 1e6 / (*vps * (double)secs);
    double ck_us = (bench_thread_cpu("ecogov-ckpt") - ck0) * 1e6 / (*vps * (double)secs);
    double wr_bytes =
        (bench_threads("ecogov-ingest", bench_task_written) - wb0) / (*vps * (double)secs);
    double run_us = (bench_cpu() - cpu0) * 1e6 / (*vps * (double)secs);
    ingest_unlisten(srv);
    /* CPU the server (listener and writer threads of this process) spent per value: steadier
     * than throughput when other work shares the machine. */
    double cpu_us = (bench_cpu() - cpu0) * 1e6 / (*vps * (double)secs);
    long stored = cnt && sqlite3_step(cnt) == SQLITE_ROW ? (long)sqlite3_column_int64(cnt, 0) : -1;
    if (cnt)
        sqlite3_reset(cnt);
    db_close(db);
    bench_unlink(path);
    if (rc) {
        printf("end to end: simulator failed\n");
        return rc;
    }
    printf("%s", sim);
    if (period_ms <= 1)
        printf("end to end, saturated: %ld devices, %ld s: %.0f values/s committed and acked, "
               "ack p50 %ld ms, p99 %ld ms; %ld values stored; server CPU %.2f us a value "
               "(listener %.2f, writer %.2f, checkpointer %.2f, stop %.2f; the writer wrote %.0f "
               "bytes a value); %.2f x the bare insert loop\n",
               devices, secs, *vps, p50, p99, stored - before, cpu_us, lis_us, wr_us, ck_us,
               cpu_us - run_us, wr_bytes, base > 0 ? *vps / base : 0);
    else
        printf("end to end, paced (a frame every %ld ms per device, %.0f values/s offered): "
               "%.0f values/s committed and acked, ack p50 %ld ms, p99 %ld ms; %ld values "
               "stored; server CPU %.2f us a value (listener %.2f, writer %.2f, checkpointer "
               "%.2f, stop %.2f); the writer wrote %.0f bytes a value\n",
               period_ms, 6000.0 * (double)devices / (double)period_ms, *vps, p50, p99,
               stored - before, cpu_us, lis_us, wr_us, ck_us, cpu_us - run_us, wr_bytes);
    fflush(stdout);
    return 0;
}

int main(int argc, char **argv)
{
    long devices = argc > 1 ? strtol(argv[1], NULL, 10) : 1000;
    long secs = argc > 2 ? strtol(argv[2], NULL, 10) : 10;
    const char *bin = getenv("ECOGOV_BIN") ? getenv("ECOGOV_BIN") : "build/ecogov";
    if (devices < 1 || devices > 10000 || secs < 1 || secs > 600) {
        fprintf(stderr, "usage: bench_monitor [devices 1..10000] [seconds 1..600]\n");
        return 2;
    }
    if (access(bin, X_OK)) {
        fprintf(stderr, "bench_monitor: %s not found (make build/ecogov)\n", bin);
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    char model[256] = "?", line[256];
    FILE *ci = fopen("/proc/cpuinfo", "r");
    while (ci && fgets(line, sizeof line, ci))
        if (!strncmp(line, "model name", 10) && strchr(line, ':')) {
            snprintf(model, sizeof model, "%s", strchr(line, ':') + 2);
            model[strcspn(model, "\n")] = '\0';
            break;
        }
    if (ci)
        fclose(ci);
    printf("machine: %ld cores, %s, SQLite %s\n", sysconf(_SC_NPROCESSORS_ONLN), model,
           sqlite3_libversion());

    long base_rows = 0;
    db_set_sync(DB_SYNC_NORMAL); /* the bare loop as it was measured before issue 16 */
    double base = bench_baseline(devices, &base_rows);
    db_set_sync(DB_SYNC_FULL);
    printf("baseline: bare insert loop, %ld values (%ld stations x 6 factors x %d minutes, "
           "arrival order, %d values a transaction): %.0f values/s\n",
           base_rows, devices, BENCH_BASE_MINUTES, BENCH_BATCH, base);

    bench_durability();
    if (!strcmp(argc > 3 ? argv[3] : "", "durability"))
        return 0;

    /* 1: as fast as the devices can send (8 frames in flight each): the most the server
     * commits. 2: paced at BENCH_PACED_VALUES values/s in total, as a fleet reports: the
     * acknowledgement latency a device sees when the server is not saturated. */
    double vps = 0;
    const char *only = argc > 3 ? argv[3] : "";
    int rc = 0;
    if (strcmp(only, "paced")) {
        /* Durability (issue 16): the server commits with synchronous=FULL (the WAL fsynced at
         * every commit, so an acknowledged value survives a power cut); the same saturated run
         * with NORMAL (survives a process crash only) beside it, in this run. */
        double vps_normal = 0;
        db_set_sync(DB_SYNC_NORMAL);
        printf("-- synchronous=NORMAL\n");
        rc = bench_e2e(bin, devices, secs, 1, base, &vps_normal);
        db_set_sync(DB_SYNC_FULL);
        printf("-- synchronous=FULL (the server's setting)\n");
        if (!rc)
            rc = bench_e2e(bin, devices, secs, 1, base, &vps);
        if (!rc && vps_normal > 0)
            printf("durability: synchronous=FULL commits %.2f x the values/s of NORMAL\n",
                   vps / vps_normal);
    }
    /* BENCH_PACED_VALUES=<values/s> paces the second run at another rate (a latency curve) */
    const char *pv = getenv("BENCH_PACED_VALUES");
    double paced = pv && strtod(pv, NULL) > 0 ? strtod(pv, NULL) : BENCH_PACED_VALUES;
    long period = (long)(6.0 * (double)devices * 1000.0 / paced);
    if (!rc && strcmp(only, "saturated"))
        rc = bench_e2e(bin, devices, secs, period < 1 ? 1 : period, base, &vps);
    char path[128];
    struct db *db = bench_db(path, sizeof path, "idle");
    if (!db || bench_devices(db, devices)) {
        fprintf(stderr, "bench_monitor: cannot register devices\n");
        return 1;
    }
    devcache_touch();
    bench_idle(path, devices);
    db_close(db);
    bench_unlink(path);
    return rc;
}
