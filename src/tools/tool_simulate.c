/* tool_simulate — `ecogov simulate`: N virtual HJ 212 devices connect to a platform and send
 * realistic data (daily cycles, pollution episodes, occasional faults), acknowledge nothing
 * they need not, and answer the platform's requests (9011/9012, time, intervals, history).
 *
 * Devices come from the database (--db, the registered devices of the demo or of a bench) or
 * are made up (SIM-00001 ...). Frames are built with the codec's encoder. One thread, epoll(7):
 * poll(2) over a thousand sockets every millisecond cost more than the devices themselves.
 * At the end (--duration seconds, or SIGINT/SIGTERM) it prints frames sent, values, acks and
 * the acknowledgement latency p50/p99. */
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "domain/hj212.h"
#include "db/db.h"
#include "modules/monitor/store_devcache.h"
#include "tools/tool_common.h"
#include "tools/tools.h"

#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define SIM_MAX_DEVICES 20000
#define SIM_INBUF 8192
#define SIM_LAT_MAX 2000000

enum sim_kind { SIM_MICRO, SIM_NATIONAL, SIM_WATER, SIM_CEMS };

struct sim_dev {
    char mn[65], pw[65];
    enum sim_kind kind;
    int fd;
    int connected;
    int interval_min;
    int64_t next_ms;
    int64_t period;      /* next DataTime to send, UTC seconds */
    int64_t sent_ms[64]; /* send time by QN sequence slot, for latency */
    uint32_t seq;
    int inflight;
    int backlog; /* past periods still to send (--history) */
    double base;
    size_t inlen;
    char in[SIM_INBUF];
};

static volatile sig_atomic_t sim_stop;

static void sim_signal(int sig)
{
    (void)sig;
    sim_stop = 1;
}

static uint64_t sim_rng = 88172645463325252ULL;

static double sim_rand(void)
{
    sim_rng ^= sim_rng << 13;
    sim_rng ^= sim_rng >> 7;
    sim_rng ^= sim_rng << 17;
    return (double)(sim_rng >> 11) / 9007199254740992.0;
}

static int sim_connect(const char *host, int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1 ||
        connect(fd, (struct sockaddr *)&a, sizeof a)) {
        close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/* The day-cycle, episode and noise model for a concentration around base. */
static double sim_level(double base, int64_t t)
{
    double hour = (double)((t + 8 * 3600) % 86400) / 3600.0;
    double cycle = 1.0 + 0.35 * cos((hour - 8.0) / 24.0 * 2 * M_PI) +
                   0.25 * cos((hour - 20.0) / 12.0 * 2 * M_PI);
    double day = (double)(t / 86400);
    double episode = 1.0 + 1.5 * fmax(0, sin(day / 5.0)); /* a multi-day haze every few weeks */
    return fmax(0, base * cycle * episode * (0.85 + 0.3 * sim_rand()));
}

static void sim_qn(struct sim_dev *d, char qn[HJ212_TIME_BUF], int64_t now_ms)
{
    struct hj212_time t;
    /* The QN's millisecond part carries a per-device sequence so acks map back to send times. */
    hj212_time_from_unix(now_ms / 1000, (int)(d->seq % 1000), &t);
    hj212_time_format(&t, 1, qn);
}

static void sim_add(struct hj212_cp *cp, const char *code, const char *field, double v, int dec,
                    const char *flag)
{
    char key[32], val[32];
    snprintf(key, sizeof key, "%s-%s", code, field);
    snprintf(val, sizeof val, "%.*f", dec, v);
    hj212_cp_add(cp, key, hj212_str_c(val));
    snprintf(key, sizeof key, "%s-Flag", code);
    hj212_cp_add(cp, key, hj212_str_c(flag));
}

/* Builds one record (cn 2051 minute or 2061 hour) for period t into out. */
static size_t sim_record(struct sim_dev *d, int cn, int64_t t, const char *qn, int flag, char *out,
                         size_t cap, int *nvalues)
{
    char cpbuf[1024];
    struct hj212_cp cp;
    hj212_cp_init(&cp, cpbuf, sizeof cpbuf);
    struct hj212_time dt;
    hj212_time_from_unix(t, 0, &dt);
    char dts[HJ212_TIME_BUF];
    hj212_time_format(&dt, 0, dts);
    hj212_cp_add(&cp, "DataTime", hj212_str_c(dts));
    const char *fl = sim_rand() < 0.01 ? "D" : "N"; /* occasional instrument fault */
    int n = 0;
    const char *st = "22";
    switch (d->kind) {
    case SIM_MICRO:
    case SIM_NATIONAL: {
        double pm25 = sim_level(d->base, t);
        sim_add(&cp, "a34004", "Avg", pm25, 0, fl), n++;
        sim_add(&cp, "a34002", "Avg", pm25 * 1.6 + 8 * sim_rand(), 0, fl), n++;
        if (d->kind == SIM_NATIONAL) {
            sim_add(&cp, "a21026", "Avg", sim_level(8, t), 0, fl), n++;
            sim_add(&cp, "a21004", "Avg", sim_level(25, t), 0, fl), n++;
            sim_add(&cp, "a21005", "Avg", sim_level(0.6, t), 3, fl), n++;
            double hour = (double)((t + 8 * 3600) % 86400) / 3600.0;
            sim_add(&cp, "a05024", "Avg", fmax(5, 60 + 70 * sin((hour - 9) / 24 * 2 * M_PI)), 0,
                    fl),
                n++;
        }
        break;
    }
    case SIM_WATER:
        st = "21";
        sim_add(&cp, "w01001", "Avg", 7.2 + 0.4 * sim_rand(), 2, fl), n++;
        sim_add(&cp, "w01009", "Avg", 6.5 + sim_rand(), 2, fl), n++;
        sim_add(&cp, "w01019", "Avg", sim_level(3, t), 2, fl), n++;
        sim_add(&cp, "w21003", "Avg", sim_level(0.4, t), 3, fl), n++;
        sim_add(&cp, "w21011", "Avg", sim_level(0.08, t), 3, fl), n++;
        break;
    case SIM_CEMS:
        st = "31";
        sim_add(&cp, "a21026", "Avg", sim_level(20, t), 1, fl), n++;
        sim_add(&cp, "a21002", "Avg", sim_level(60, t), 1, fl), n++;
        sim_add(&cp, "a34013", "Avg", sim_level(5, t), 2, fl), n++;
        sim_add(&cp, "a19001", "Avg", 10 + sim_rand(), 1, "N"), n++;
        sim_add(&cp, "a00000", "Avg", 40 + 5 * sim_rand(), 1, "N"), n++;
        break;
    }
    *nvalues = n;
    struct hj212_head h = {
        hj212_str_c(qn), hj212_str_c(st), hj212_str_c(d->pw), hj212_str_c(d->mn), cn, flag, 0, 0};
    size_t len = 0;
    if (hj212_encode_cp(out, cap, &h, &cp, &len) != HJ212_OK)
        return 0;
    return len;
}

static void sim_write(struct sim_dev *d, const char *buf, size_t len)
{
    if (d->fd < 0)
        return;
    ssize_t n = send(d->fd, buf, len, MSG_NOSIGNAL);
    if (n != (ssize_t)len) {
        close(d->fd);
        d->fd = -1;
    }
}

struct sim_stats {
    uint64_t frames, values, acks, requests;
    int64_t *lat;
    size_t nlat;
};

/* Answers one frame from the platform. */
static void sim_handle(struct sim_dev *d, const char *f, size_t len, struct sim_stats *st,
                       int64_t now_ms, struct hj212_msg *m)
{
    struct hj212_frame_ref ref;
    hj212_scan(f, len, 0, 1, &ref);
    if (ref.status != HJ212_OK || hj212_parse(ref.data, ref.data_len, m) != HJ212_OK)
        return;
    if (m->cn_num == 9014) {
        st->acks++;
        d->inflight--;
        struct hj212_str q = hj212_msg_ref_qn(m);
        if (q.len == 17) {
            int slot = ((q.ptr[14] - '0') * 100 + (q.ptr[15] - '0') * 10 + (q.ptr[16] - '0')) % 64;
            if (d->sent_ms[slot] && st->nlat < SIM_LAT_MAX)
                st->lat[st->nlat++] = now_ms - d->sent_ms[slot];
            d->sent_ms[slot] = 0;
        }
        return;
    }
    if (m->cn_num == 9013 || !hj212_msg_wants_ack(m))
        return;
    st->requests++;
    char out[HJ212_FRAME_MAX + 1];
    size_t n;
    if (hj212_encode_qn_rtn(out, sizeof out, m, 1, &n) == HJ212_OK)
        sim_write(d, out, n);
    if (m->cn_num == 2051 || m->cn_num == 2061) {
        struct hj212_time b, e;
        if (!hj212_time_parse(hj212_msg_cp_get(m, "BeginTime"), &b) &&
            !hj212_time_parse(hj212_msg_cp_get(m, "EndTime"), &e)) {
            int64_t step = m->cn_num == 2061 ? 3600 : 60 * d->interval_min;
            char qn[32];
            snprintf(qn, sizeof qn, "%.*s", (int)m->qn.len, m->qn.ptr);
            for (int64_t t = hj212_time_to_unix(&b), k = 0; t <= hj212_time_to_unix(&e) && k < 200;
                 t += step, k++) {
                int nv;
                size_t fl = sim_record(d, m->cn_num, t, qn, 4, out, sizeof out, &nv);
                if (fl)
                    sim_write(d, out, fl);
            }
        }
    }
    if (hj212_encode_exe_rtn(out, sizeof out, m, 1, &n) == HJ212_OK)
        sim_write(d, out, n);
}

static int sim_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int sim_load(struct tool_args *a, struct sim_dev *devs, int max)
{
    struct config cfg;
    struct db *db = tool_open_db(a, &cfg, 0);
    if (!db)
        return -1;
    struct devcache_active *list = xcalloc(max > 0 ? (size_t)max : 1, sizeof *list);
    int n = devcache_list_active(db, list, max);
    for (int i = 0; i < n; i++) {
        struct sim_dev *d = &devs[i];
        snprintf(d->mn, sizeof d->mn, "%s", list[i].mn);
        snprintf(d->pw, sizeof d->pw, "%s", list[i].pw);
        const char *k = list[i].kind;
        d->kind = !strcmp(k, "national") || !strcmp(k, "provincial")  ? SIM_NATIONAL
                  : !strcmp(k, "water") || !strcmp(k, "source_water") ? SIM_WATER
                  : !strcmp(k, "source_gas")                          ? SIM_CEMS
                                                                      : SIM_MICRO;
        d->interval_min = list[i].min_interval;
    }
    free(list);
    if (n < 0)
        n = 0; /* as before: a failed query simulates no device */
    db_close(db);
    config_free(&cfg);
    return n;
}

/* What every device of one run shares. */
struct sim_run {
    const char *host;
    int port;
    long period, window;
    int epfd;
};

/* Connects a device when it is due to, and sends every frame due on it (its period, its
 * --history backlog) while fewer than --window frames wait for their 9014. */
static void sim_send_due(struct sim_run *run, struct sim_dev *d, int idx, int64_t now,
                         int64_t now_s, struct sim_stats *st)
{
    if (d->fd < 0 && now >= d->next_ms) {
        d->fd = sim_connect(run->host, run->port);
        d->inlen = 0;
        d->inflight = 0;
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)idx};
        if (d->fd >= 0 && epoll_ctl(run->epfd, EPOLL_CTL_ADD, d->fd, &ev)) {
            close(d->fd);
            d->fd = -1;
        }
        if (d->fd < 0) {
            d->next_ms = now + 1000;
            return;
        }
    }
    while (d->fd >= 0 && (now >= d->next_ms || d->backlog > 0) && d->inflight < run->window) {
        char qn[HJ212_TIME_BUF], out[HJ212_FRAME_MAX + 1];
        d->seq++;
        sim_qn(d, qn, now);
        int64_t step = 60LL * d->interval_min;
        int64_t t = d->backlog > 0         ? now_s - now_s % step - step * (d->backlog + 1)
                    : run->period >= 60000 ? now_s - now_s % step - step
                                           : (d->period += 60);
        int live = d->backlog <= 0;
        if (d->backlog > 0)
            d->backlog--;
        int nv = 0;
        size_t len = sim_record(d, 2051, t, qn, 5, out, sizeof out, &nv);
        d->sent_ms[d->seq % 1000 % 64] = now;
        sim_write(d, out, len);
        d->inflight++;
        st->frames++;
        st->values += (uint64_t)nv;
        if (live) {
            d->next_ms += run->period;
            if (d->next_ms < now - 1000)
                d->next_ms = now;
        }
    }
}

/* Reads what the platform sent a device and answers each complete frame. */
static void sim_read(struct sim_dev *d, struct sim_stats *st, int64_t now, struct hj212_msg *m)
{
    ssize_t r = recv(d->fd, d->in + d->inlen, sizeof d->in - d->inlen, MSG_DONTWAIT);
    if (r < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (r <= 0) {
        close(d->fd);
        d->fd = -1;
        d->next_ms = now + 2000;
        return;
    }
    d->inlen += (size_t)r;
    size_t off = 0;
    for (;;) {
        char *nl = memchr(d->in + off, '\n', d->inlen - off);
        if (!nl)
            break;
        size_t fl = (size_t)(nl - (d->in + off)) + 1;
        sim_handle(d, d->in + off, fl, st, now, m);
        off += fl;
    }
    memmove(d->in, d->in + off, d->inlen - off);
    d->inlen -= off;
    if (d->inlen == sizeof d->in)
        d->inlen = 0;
}

int tool_simulate_main(int argc, char **argv)
{
    static const char *const own[] = {"--stations", "--port",   "--host",    "--period-ms",
                                      "--duration", "--window", "--history", NULL};
    struct tool_args a;
    tool_args_split(argc, argv, own, &a);
    const char *sv = tool_arg(&a, "--stations"), *pv = tool_arg(&a, "--port");
    const char *host = tool_arg(&a, "--host") ? tool_arg(&a, "--host") : "127.0.0.1";
    long nst = sv ? strtol(sv, NULL, 10) : 10, port = pv ? strtol(pv, NULL, 10) : 9014;
    long period =
        tool_arg(&a, "--period-ms") ? strtol(tool_arg(&a, "--period-ms"), NULL, 10) : 60000;
    long duration = tool_arg(&a, "--duration") ? strtol(tool_arg(&a, "--duration"), NULL, 10) : 0;
    long window = tool_arg(&a, "--window") ? strtol(tool_arg(&a, "--window"), NULL, 10) : 1;
    long history = tool_arg(&a, "--history") ? strtol(tool_arg(&a, "--history"), NULL, 10) : 0;
    int use_db = 0;
    for (int i = 0; i < a.cfg_argc; i++)
        use_db |= !strncmp(a.cfg_argv[i], "--db=", 5);
    if (nst < 1 || nst > SIM_MAX_DEVICES || port < 1 || port > 65535 || period < 1 ||
        duration < 0 || window < 1 || window > 32 || history < 0 || history > 72) {
        fprintf(stderr,
                "usage: ecogov simulate [--db=FILE] [--stations N (1..%d)] [--port P] "
                "[--host A] [--period-ms MS] [--window W] [--duration S] [--history HOURS]\n",
                SIM_MAX_DEVICES);
        tool_args_free(&a);
        return 2;
    }
    struct sim_dev *devs = xcalloc((size_t)nst, sizeof *devs);
    int n = (int)nst;
    if (use_db) {
        n = sim_load(&a, devs, (int)nst);
        if (n <= 0) {
            fprintf(stderr, "ecogov simulate: no registered devices in the database\n");
            free(devs);
            tool_args_free(&a);
            return 1;
        }
    } else {
        for (int i = 0; i < n; i++) {
            snprintf(devs[i].mn, sizeof devs[i].mn, "SIM-%05d", i + 1);
            snprintf(devs[i].pw, sizeof devs[i].pw, "123456");
            devs[i].kind = (enum sim_kind)(i % 4);
            devs[i].interval_min = 10;
        }
    }
    tool_args_free(&a);
    signal(SIGINT, sim_signal);
    signal(SIGTERM, sim_signal);
    signal(SIGPIPE, SIG_IGN);
    int64_t start = timeutil_now_ms();
    int64_t now_s = timeutil_now();
    for (int i = 0; i < n; i++) {
        struct sim_dev *d = &devs[i];
        d->fd = -1;
        d->base = 20 + 40 * sim_rand();
        if (d->interval_min < 1)
            d->interval_min = 10;
        /* Fast runs (benchmarks) walk forward from a day ago, one period per frame; live runs
         * report the current period. */
        d->period = now_s - 86400 - (now_s % 60) + 60LL * (i % 60);
        d->next_ms = start + (int64_t)(sim_rand() * (double)(period < 5000 ? period : 5000));
        d->backlog = (int)(history * 60 / d->interval_min);
    }
    struct sim_stats st = {0};
    st.lat = xmalloc(SIM_LAT_MAX * sizeof *st.lat);
    struct sim_run run = {host, (int)port, period, window, epoll_create1(EPOLL_CLOEXEC)};
    if (run.epfd < 0) {
        perror("ecogov simulate: epoll");
        free(st.lat);
        free(devs);
        return 1;
    }
    struct epoll_event *evs = xcalloc(1024, sizeof *evs);
    struct hj212_msg *m = xmalloc(sizeof *m);
    int64_t last_report = start;
    while (!sim_stop) {
        int64_t now = timeutil_now_ms();
        if (duration && now - start >= duration * 1000)
            break;
        for (int i = 0; i < n; i++)
            sim_send_due(&run, &devs[i], i, now, now_s, &st);
        int ready = epoll_wait(run.epfd, evs, 1024, period < 100 ? 1 : 20);
        now = timeutil_now_ms();
        now_s = timeutil_now();
        for (int k = 0; k < ready; k++) {
            struct sim_dev *d = &devs[evs[k].data.u32 < (uint32_t)n ? evs[k].data.u32 : 0];
            if (d->fd >= 0)
                sim_read(d, &st, now, m);
        }
        if (!duration && now - last_report >= 60000) {
            last_report = now;
            printf("simulate: %d devices, %llu frames, %llu values, %llu acks\n", n,
                   (unsigned long long)st.frames, (unsigned long long)st.values,
                   (unsigned long long)st.acks);
            fflush(stdout);
        }
    }
    double secs = (double)(timeutil_now_ms() - start) / 1000.0;
    qsort(st.lat, st.nlat, sizeof *st.lat, sim_cmp);
    int64_t p50 = st.nlat ? st.lat[st.nlat / 2] : -1,
            p99 = st.nlat ? st.lat[st.nlat * 99 / 100] : -1;
    int connected = 0;
    for (int i = 0; i < n; i++)
        connected += devs[i].fd >= 0;
    printf("simulate: %d devices (%d connected), %.1f s, %llu frames, %llu values (%.0f/s), "
           "%llu acks (%.0f values/s acked), %llu requests answered, ack latency p50 %lld ms p99 "
           "%lld ms\n",
           n, connected, secs, (unsigned long long)st.frames, (unsigned long long)st.values,
           (double)st.values / secs, (unsigned long long)st.acks,
           st.frames ? (double)st.values * (double)st.acks / (double)st.frames / secs : 0,
           (unsigned long long)st.requests, (long long)p50, (long long)p99);
    for (int i = 0; i < n; i++)
        if (devs[i].fd >= 0)
            close(devs[i].fd);
    free(m);
    free(evs);
    close(run.epfd);
    free(st.lat);
    free(devs);
    return 0;
}
