#include "modules/monitor/relay.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "domain/hj212.h"
#include "net/hj212_server.h"
#include "db/db.h"
#include "modules/monitor/monitor.h"
#include "modules/monitor/readings.h"
#include "modules/monitor/store_commands.h"
#include "modules/monitor/store_relay.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Frames sent per target and pass; a pass ends early when the upstream does not answer. */
#define RELAY_BATCH 256
/* Upstream reply time-out (HJ 212-2017: 10 s) and connect time-out, ms. */
#define RELAY_ACK_MS 10000
#define RELAY_CONNECT_MS 3000
/* Seconds before reconnecting to an upstream that failed. */
#define RELAY_RETRY_S 3
#define RELAY_MAX_TARGETS 16
/* Seconds between re-reads of forward_targets (hj212_relay_reload makes it immediate). */
#define RELAY_TARGETS_S 5
/* Back-fill requests per sweep, and the longest range of one request. */
#define RELAY_GAP_REQUESTS 20
#define RELAY_GAP_SPAN_MIN (2 * 3600)
#define RELAY_GAP_SPAN_HOUR (24 * 3600)
/* Clock checks: devices asked per sweep, seconds between sweeps (or clock_check when
 * smaller), delay of the first sweep after start-up (devices reconnect after a restart, the
 * writer flushes last_seen), and the results waiting for the thread. */
#define RELAY_CLOCK_PER_SWEEP 20
#define RELAY_CLOCK_SWEEP_S 10
#define RELAY_CLOCK_FIRST_S 60
#define RELAY_CLOCK_EVENTS 256
/* A device counts as reachable when heard from within this many seconds. */
#define RELAY_RECENT_S 600

struct relay_target {
    int64_t id;
    char host[256];
    int port;
    int fd;
    int64_t retry_at;
    /* Read by other threads under the relay's lock; written by the relay thread under it. */
    int connected;
    int64_t last_ok, last_error_at;
    char last_error[160];
    size_t inlen;
    char in[4096];
};

struct hj212_relay {
    struct hj212_relay_opts o;
    struct db *db;
    pthread_t thread;
    pthread_mutex_t lock; /* stop, kicked, reload, targets' shared state, clock events */
    pthread_cond_t cond;
    int stop, kicked, reload;
    struct relay_target targets[RELAY_MAX_TARGETS];
    int ntargets;
    int64_t last_sweep, last_targets, next_clock;
    struct hj212_clock_result events[RELAY_CLOCK_EVENTS];
    int nevents;
    struct hj212_msg *msg;
};

/* ---- forwarding ---- */

/* Closes the upstream connection; a failure (why != NULL) is recorded and delays the retry. */
static void relay_close(struct hj212_relay *r, struct relay_target *t, int64_t now, const char *why)
{
    if (t->fd >= 0)
        close(t->fd);
    pthread_mutex_lock(&r->lock);
    t->fd = -1;
    t->inlen = 0;
    t->connected = 0;
    t->retry_at = now + RELAY_RETRY_S;
    if (why) {
        snprintf(t->last_error, sizeof t->last_error, "%s", why);
        t->last_error_at = now;
    }
    pthread_mutex_unlock(&r->lock);
}

/* Opens the connection to t. 0, or -1 with the reason in why. */
static int relay_connect(struct relay_target *t, char *why, size_t whylen)
{
    char port[16];
    snprintf(port, sizeof port, "%d", t->port);
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
    int gai = getaddrinfo(t->host, port, &hints, &res);
    if (gai || !res) {
        snprintf(why, whylen, "cannot resolve %.64s: %.60s", t->host,
                 gai ? gai_strerror(gai) : "none");
        return -1;
    }
    int fd = socket(res->ai_family, SOCK_STREAM, 0);
    int ok = 0, err = fd < 0 ? errno : 0;
    if (fd >= 0) {
        fcntl(fd, F_SETFL, O_NONBLOCK);
        if (!connect(fd, res->ai_addr, res->ai_addrlen)) {
            ok = 1;
        } else if (errno == EINPROGRESS) {
            struct pollfd p = {fd, POLLOUT, 0};
            socklen_t el = sizeof err;
            int pr = poll(&p, 1, RELAY_CONNECT_MS);
            if (pr == 1 && !getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) && !err)
                ok = 1;
            else if (pr != 1)
                err = ETIMEDOUT;
        } else {
            err = errno;
        }
    }
    freeaddrinfo(res);
    if (!ok) {
        snprintf(why, whylen, "connect: %s", strerror(err ? err : ECONNREFUSED));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    t->fd = fd;
    t->inlen = 0;
    return 0;
}

static int relay_send_all(int fd, const char *p, size_t len)
{
    while (len) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EAGAIN) {
            struct pollfd pf = {fd, POLLOUT, 0};
            if (poll(&pf, 1, RELAY_ACK_MS) != 1)
                return -1;
            continue;
        }
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Waits for the upstream's 9014 answering qn. 0 when it came, -1 on time-out, -2 when the
 * upstream closed the connection. */
static int relay_wait_ack(struct hj212_relay *r, struct relay_target *t, const char *qn)
{
    int64_t deadline = timeutil_now_ms() + RELAY_ACK_MS;
    for (;;) {
        size_t off = 0;
        int found = 0;
        while (off < t->inlen && !found) {
            struct hj212_frame_ref ref;
            size_t used = hj212_scan(t->in + off, t->inlen - off, 0, 1, &ref);
            if (ref.status == HJ212_MORE)
                break;
            if (ref.status == HJ212_OK && hj212_parse(ref.data, ref.data_len, r->msg) == HJ212_OK &&
                r->msg->cn_num == 9014 && hj212_str_eq(hj212_msg_ref_qn(r->msg), qn))
                found = 1;
            off += used ? used : 1;
        }
        memmove(t->in, t->in + off, t->inlen - off);
        t->inlen -= off;
        if (t->inlen == sizeof t->in)
            t->inlen = 0; /* garbage without a frame end */
        if (found)
            return 0;
        int64_t left = deadline - timeutil_now_ms();
        if (left <= 0)
            return -1;
        struct pollfd p = {t->fd, POLLIN, 0};
        if (poll(&p, 1, (int)left) != 1)
            return -1;
        ssize_t n = recv(t->fd, t->in + t->inlen, sizeof t->in - t->inlen, 0);
        if (n <= 0)
            return -2;
        t->inlen += (size_t)n;
    }
}

/* One pass of relay_forward over the queue. */
struct relay_pass {
    struct hj212_relay *r;
    struct relay_target *t;
    int64_t now, done;
    long count;
};

/* Sends one queued frame to the pass's target and waits for its 9014 when it asks for one.
 * 0 to go on; 1 ends the pass (not connected, or the upstream did not take the frame). */
static int relay_forward_one(int64_t id, const char *f, size_t len, void *ctx)
{
    struct relay_pass *ps = ctx;
    struct hj212_relay *r = ps->r;
    struct relay_target *t = ps->t;
    if (t->fd < 0) {
        if (ps->now < t->retry_at)
            return 1;
        char why[160];
        if (relay_connect(t, why, sizeof why)) {
            log_warn("forward: %s:%d: %s", t->host, t->port, why);
            relay_close(r, t, ps->now, why);
            return 1;
        }
        pthread_mutex_lock(&r->lock);
        t->connected = 1;
        pthread_mutex_unlock(&r->lock);
        log_info("forward: connected to %s:%d", t->host, t->port);
    }
    struct hj212_frame_ref ref;
    hj212_scan(f, len, 0, 1, &ref);
    int want = ref.status == HJ212_OK && hj212_parse(ref.data, ref.data_len, r->msg) == HJ212_OK &&
               hj212_msg_wants_ack(r->msg);
    char qn[32] = "";
    if (want)
        snprintf(qn, sizeof qn, "%.*s", (int)r->msg->qn.len, r->msg->qn.ptr);
    int rc = relay_send_all(t->fd, f, len) ? -3 : want ? relay_wait_ack(r, t, qn) : 0;
    if (rc) {
        log_warn("forward: %s:%d did not take frame %lld; kept queued", t->host, t->port,
                 (long long)id);
        char why[160];
        if (rc == -3)
            snprintf(why, sizeof why, "send failed: connection lost");
        else if (rc == -2)
            snprintf(why, sizeof why, "connection closed by the upstream");
        else
            snprintf(why, sizeof why, "no 9014 within %d s (QN %s)", RELAY_ACK_MS / 1000, qn);
        relay_close(r, t, ps->now, why);
        return 1;
    }
    ps->done = id;
    ps->count++;
    return 0;
}

/* Sends what target t has not sent yet, in queue order. Returns frames sent. */
static long relay_forward(struct hj212_relay *r, struct relay_target *t, int64_t now)
{
    int64_t from = monitor_store_forward_sent(r->db, t->id);
    if (from < 0)
        return 0; /* deactivated or deleted meanwhile: the next reload drops it */
    struct relay_pass ps = {r, t, now, from, 0};
    monitor_store_queue_each(r->db, from, RELAY_BATCH, relay_forward_one, &ps);
    if (ps.done > from) {
        monitor_store_forward_advance(r->db, t->id, ps.done);
        pthread_mutex_lock(&r->lock);
        t->last_ok = timeutil_now();
        pthread_mutex_unlock(&r->lock);
    }
    return ps.count;
}

/* Loads the active targets, keeping the open socket and the state of the ones that stay at
 * the same address. */
static void relay_load_targets(struct hj212_relay *r)
{
    struct monitor_store_target rows[RELAY_MAX_TARGETS];
    int nrows = monitor_store_forward_active(r->db, rows, RELAY_MAX_TARGETS);
    if (nrows < 0)
        return;
    struct relay_target next[RELAY_MAX_TARGETS];
    int n = 0;
    int kept[RELAY_MAX_TARGETS] = {0};
    for (int k = 0; k < nrows; k++) {
        struct relay_target *t = &next[n++];
        memset(t, 0, offsetof(struct relay_target, in));
        t->id = rows[k].id;
        snprintf(t->host, sizeof t->host, "%s", rows[k].host);
        t->port = rows[k].port;
        t->fd = -1;
        for (int i = 0; i < r->ntargets; i++)
            if (!kept[i] && r->targets[i].id == t->id && !strcmp(r->targets[i].host, t->host) &&
                r->targets[i].port == t->port) {
                *t = r->targets[i];
                kept[i] = 1;
            }
    }
    for (int i = 0; i < r->ntargets; i++)
        if (!kept[i] && r->targets[i].fd >= 0)
            close(r->targets[i].fd);
    pthread_mutex_lock(&r->lock);
    memcpy(r->targets, next, (size_t)n * sizeof *next);
    r->ntargets = n;
    pthread_mutex_unlock(&r->lock);
}

/* Deletes queue rows every active target has sent (all of them when there is none). */
static void relay_prune(struct hj212_relay *r)
{
    monitor_store_queue_prune(r->db);
}

/* Registers the targets of the hj212_forward option, named "host:port". A target of that
 * name that exists already is left as it is: after the first start the console manages it (a
 * target deactivated there stays so across restarts). */
static void relay_register(struct hj212_relay *r, const char *list)
{
    char *copy = xstrdup(list);
    for (char *tok = copy, *next; tok; tok = next) {
        next = strchr(tok, ',');
        if (next)
            *next++ = '\0';
        while (*tok == ' ')
            tok++;
        if (!*tok)
            continue;
        char *colon = strrchr(tok, ':');
        char *end = NULL;
        long port = colon ? strtol(colon + 1, &end, 10) : 0;
        if (!colon || colon == tok || !end || *end || port < 1 || port > 65535 ||
            colon - tok > 253) {
            log_warn("forward: ignoring target '%s' (want host:port)", tok);
            continue;
        }
        *colon = '\0';
        if (monitor_store_forward_register(r->db, tok, (int)port, timeutil_now()))
            log_warn("forward: cannot register %s:%ld", tok, port);
    }
    free(copy);
}

/* ---- gaps and back-fill ---- */

/* The HJ 212 system code (ST) of a station kind. */
static const char *relay_st(const char *kind)
{
    return !strcmp(kind, "water")          ? "21"
           : !strcmp(kind, "source_gas")   ? "31"
           : !strcmp(kind, "source_water") ? "32"
                                           : "22";
}

/* First missing period of one device's records of one kind since `since`, at most span long:
 * *begin..*end (period starts, inclusive). 0 when one is found. */
static int relay_find_gap(struct hj212_relay *r, int64_t station, int kind, int64_t step,
                          int64_t since, int64_t span, int64_t *begin, int64_t *end)
{
    if (readings_first_gap(r->db, station, kind, step, since, begin, end) != 1)
        return -1;
    if (*end > *begin + span)
        *end = *begin + span;
    return 0;
}

/* Queues one back-fill request (monitor_commands row + the listener). 0 when sent. */
static int relay_request(struct hj212_relay *r, const struct monitor_store_device *d, int cn,
                         int64_t begin, int64_t end)
{
    struct hj212_time tb, te, tq;
    hj212_time_from_unix(begin, 0, &tb);
    hj212_time_from_unix(end, 0, &te);
    char b[HJ212_TIME_BUF], e[HJ212_TIME_BUF], params[128], qn[HJ212_TIME_BUF];
    hj212_time_format(&tb, 0, b);
    hj212_time_format(&te, 0, e);
    snprintf(params, sizeof params, "{\"cn\":%d,\"begin\":\"%s\",\"end\":\"%s\",\"auto\":true}", cn,
             b, e);
    /* The same range is asked once: a device that does not have it is not asked again. */
    if (monitor_store_backfill_asked(r->db, d->id, params))
        return -1;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    hj212_time_from_unix(now.tv_sec, (int)(now.tv_nsec / 1000000), &tq);
    hj212_time_format(&tq, 1, qn);
    struct hj212_peer peer = {!strcmp(d->edition, "2005") ? 0 : 1, hj212_str_c(relay_st(d->kind)),
                              hj212_str_c(d->pw), hj212_str_c(d->mn)};
    char frame[HJ212_FRAME_MAX + 1];
    size_t len = 0;
    if (hj212_encode_history(frame, sizeof frame, &peer, hj212_str_c(qn), cn, &tb, &te, &len) !=
        HJ212_OK)
        return -1;
    frame[len] = '\0';
    struct monitor_store_command c = {d->id,  d->station, cn,      qn,   "backfill",
                                      params, "system",   d->node, frame};
    int64_t cmd;
    if (monitor_store_command_insert(r->db, &c, now.tv_sec, &cmd))
        return -1;
    if (monitor_command_send(r->o.server, d, cmd, qn, cn, frame, len))
        return -1;
    log_info("backfill: asked %s for %d records %s..%s", d->mn, cn, b, e);
    return 0;
}

/* One gap sweep: requests sent so far and where the look-back starts. */
struct relay_sweep_ctx {
    struct hj212_relay *r;
    int64_t since;
    int sent;
};

/* Asks one device for its first missing minutes, else its first missing hours. Ends the
 * sweep (1) once RELAY_GAP_REQUESTS went out. */
static int relay_sweep_device(const struct monitor_store_device *d, void *ctx)
{
    struct relay_sweep_ctx *c = ctx;
    int64_t step = 60LL * (d->min_interval > 0 ? d->min_interval : 10);
    int64_t b, e;
    if (!relay_find_gap(c->r, d->station, 2, step, c->since, RELAY_GAP_SPAN_MIN, &b, &e) &&
        !relay_request(c->r, d, 2051, b, e))
        c->sent++; /* one request per device at a time */
    else if (!relay_find_gap(c->r, d->station, 3, 3600, c->since, RELAY_GAP_SPAN_HOUR, &b, &e) &&
             !relay_request(c->r, d, 2061, b, e))
        c->sent++;
    return c->sent >= RELAY_GAP_REQUESTS;
}

static void relay_sweep(struct hj212_relay *r, int64_t now)
{
    /* Devices heard from in the last 10 minutes and with no back-fill in progress. */
    struct relay_sweep_ctx c = {r, now - (int64_t)r->o.gap_hours * 3600, 0};
    monitor_store_gap_devices(r->db, now - 600, now - 300, relay_sweep_device, &c);
}

/* ---- clock synchronisation ---- */

/* Sends 1011 (query the time) or 1012 (set it to now) to a device, as a monitor_commands row
 * created by 'system' that the listener tracks like the console's commands. 0 when queued. */
static int relay_clock_request(struct hj212_relay *r, const struct monitor_store_device *d, int cn,
                               const char *params)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    int ms = (int)(now.tv_nsec / 1000000);
    struct hj212_time tq, tset;
    hj212_time_from_unix(now.tv_sec, ms, &tq);
    /* A device whose clock runs on UTC is set to UTC, not to Beijing time. */
    hj212_time_from_unix(now.tv_sec - (d->utc ? 8 * 3600 : 0), ms, &tset);
    char qn[HJ212_TIME_BUF];
    hj212_time_format(&tq, 1, qn);
    struct hj212_peer peer = {!strcmp(d->edition, "2005") ? 0 : 1, hj212_str_c(relay_st(d->kind)),
                              hj212_str_c(d->pw), hj212_str_c(d->mn)};
    char frame[HJ212_FRAME_MAX + 1];
    size_t len = 0;
    enum hj212_err he = cn == 1011
                            ? hj212_encode_get_time(frame, sizeof frame, &peer, hj212_str_c(qn),
                                                    hj212_str_c(NULL), &len)
                            : hj212_encode_set_time(frame, sizeof frame, &peer, hj212_str_c(qn),
                                                    hj212_str_c(NULL), &tset, &len);
    if (he != HJ212_OK)
        return -1;
    frame[len] = '\0';
    struct monitor_store_command c = {d->id,  d->station, cn,      qn,   "command",
                                      params, "system",   d->node, frame};
    int64_t cmd;
    if (monitor_store_command_insert(r->db, &c, now.tv_sec, &cmd))
        return -1;
    return monitor_command_send(r->o.server, d, cmd, qn, cn, frame, len);
}

/* Asks the devices that are due for their time: heard from recently, not asked within
 * clock_check seconds (never asked first), no clock exchange in progress; a bounded number
 * per sweep. */
static void relay_clock_sweep(struct hj212_relay *r, int64_t now)
{
    struct monitor_store_device devs[RELAY_CLOCK_PER_SWEEP];
    /* a stuck row never blocks a device for long: only exchanges of the last 300 s count */
    int n = monitor_store_clock_due(r->db, now - RELAY_RECENT_S, now - r->o.clock_check, now - 300,
                                    devs, RELAY_CLOCK_PER_SWEEP);
    for (int i = 0; i < n; i++)
        if (monitor_store_clock_asked(r->db, devs[i].id, now) ||
            relay_clock_request(r, &devs[i], 1011, "{\"cn\":1011,\"auto\":true}"))
            log_warn("clock: cannot ask %s for its time", devs[i].mn);
}

/* A measured skew beyond the tolerance: sets the device's clock when its clock_sync is on and
 * no automatic 1012 went to it within clock_check seconds (a device that does not take the
 * time is not pestered). */
static void relay_clock_set(struct hj212_relay *r, const struct hj212_clock_result *e, int64_t now)
{
    struct monitor_store_device d;
    if (monitor_store_clock_settable(r->db, e->device_id, now - r->o.clock_check, &d) != 1)
        return;
    char params[96];
    snprintf(params, sizeof params, "{\"cn\":1012,\"auto\":true,\"skew\":%lld}",
             (long long)e->skew);
    if (relay_clock_request(r, &d, 1012, params))
        log_warn("clock: cannot set the time of %s", d.mn);
    else
        log_info("clock: %s is %+lld s off; setting its time", d.mn, (long long)e->skew);
}

/* Results of finished 1011/1012 exchanges, reported by the listener. */
static void relay_clock_events(struct hj212_relay *r, int64_t now)
{
    struct hj212_clock_result ev[RELAY_CLOCK_EVENTS];
    pthread_mutex_lock(&r->lock);
    int n = r->nevents;
    memcpy(ev, r->events, (size_t)n * sizeof *ev);
    r->nevents = 0;
    pthread_mutex_unlock(&r->lock);
    if (!n)
        return;
    int64_t tol = r->o.clock_tolerance > 0 ? r->o.clock_tolerance : 60;
    for (int i = 0; i < n; i++) {
        const struct hj212_clock_result *e = &ev[i];
        if (e->measured)
            monitor_store_clock_skew(r->db, e->device_id, e->skew, e->measured_at);
        /* The clock was set: measure again at the next sweep. */
        if (e->cn == 1012 && e->ok)
            monitor_store_clock_asked(r->db, e->device_id, 0);
        if (e->cn == 1011 && e->measured && r->o.clock_check > 0 && r->o.server &&
            (e->skew > tol || e->skew < -tol))
            relay_clock_set(r, e, now);
    }
}

/* ---- thread ---- */

static void *relay_main(void *arg)
{
    struct hj212_relay *r = arg;
    pthread_mutex_lock(&r->lock);
    while (!r->stop) {
        int reload = r->reload;
        r->kicked = 0;
        r->reload = 0;
        pthread_mutex_unlock(&r->lock);
        int64_t now = timeutil_now();
        if (reload || now - r->last_targets >= RELAY_TARGETS_S) {
            r->last_targets = now;
            relay_load_targets(r);
            relay_prune(r);
        }
        long moved = 0;
        for (int i = 0; i < r->ntargets; i++)
            moved += relay_forward(r, &r->targets[i], now);
        if (r->o.gap_interval > 0 && r->o.server && now - r->last_sweep >= r->o.gap_interval) {
            r->last_sweep = now;
            relay_sweep(r, now);
        }
        relay_clock_events(r, now);
        if (r->o.clock_check > 0 && r->o.server && now >= r->next_clock) {
            r->next_clock = now + (r->o.clock_check < RELAY_CLOCK_SWEEP_S ? r->o.clock_check
                                                                          : RELAY_CLOCK_SWEEP_S);
            relay_clock_sweep(r, now);
        }
        pthread_mutex_lock(&r->lock);
        if (!moved && !r->kicked && !r->stop) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_sec += 1;
            pthread_cond_timedwait(&r->cond, &r->lock, &ts);
        }
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

struct hj212_relay *hj212_relay_start(const struct hj212_relay_opts *o)
{
    char err[256];
    struct db *db = db_open(o->db_path, err, sizeof err);
    if (!db) {
        log_error("relay: %s", err);
        return NULL;
    }
    struct hj212_relay *r = xcalloc(1, sizeof *r);
    r->o = *o;
    if (r->o.gap_hours <= 0)
        r->o.gap_hours = 24;
    if (r->o.clock_tolerance <= 0)
        r->o.clock_tolerance = 60;
    r->db = db;
    r->msg = xmalloc(sizeof *r->msg);
    r->last_sweep = timeutil_now(); /* the first sweep after one interval, not at start-up */
    r->next_clock = timeutil_now() + (r->o.clock_check < RELAY_CLOCK_FIRST_S ? r->o.clock_check
                                                                             : RELAY_CLOCK_FIRST_S);
    if (o->forward && o->forward[0])
        relay_register(r, o->forward);
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->cond, NULL);
    if (pthread_create(&r->thread, NULL, relay_main, r)) {
        log_error("relay: cannot start the thread");
        pthread_mutex_destroy(&r->lock);
        pthread_cond_destroy(&r->cond);
        db_close(db);
        free(r->msg);
        free(r);
        return NULL;
    }
    return r;
}

void hj212_relay_kick(struct hj212_relay *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&r->lock);
    r->kicked = 1;
    pthread_mutex_unlock(&r->lock);
    pthread_cond_signal(&r->cond);
}

void hj212_relay_reload(struct hj212_relay *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&r->lock);
    r->reload = 1;
    r->kicked = 1;
    pthread_mutex_unlock(&r->lock);
    pthread_cond_signal(&r->cond);
}

int hj212_relay_target_state(struct hj212_relay *r, int64_t id,
                             struct hj212_relay_target_state *out)
{
    if (!r)
        return -1;
    int rc = -1;
    pthread_mutex_lock(&r->lock);
    for (int i = 0; i < r->ntargets; i++) {
        const struct relay_target *t = &r->targets[i];
        if (t->id != id)
            continue;
        out->connected = t->connected;
        out->last_ok = t->last_ok;
        out->last_error_at = t->last_error_at;
        out->retry_at = t->retry_at;
        memcpy(out->last_error, t->last_error, sizeof out->last_error);
        rc = 0;
        break;
    }
    pthread_mutex_unlock(&r->lock);
    return rc;
}

void hj212_relay_clock_event(struct hj212_relay *r, const struct hj212_clock_result *ev)
{
    if (!r)
        return;
    pthread_mutex_lock(&r->lock);
    int full = r->nevents >= RELAY_CLOCK_EVENTS;
    if (!full)
        r->events[r->nevents++] = *ev;
    r->kicked = 1;
    pthread_mutex_unlock(&r->lock);
    pthread_cond_signal(&r->cond);
    if (full)
        log_warn("clock: result for device %lld dropped (queue full)", (long long)ev->device_id);
}

void hj212_relay_stop(struct hj212_relay *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&r->lock);
    r->stop = 1;
    pthread_mutex_unlock(&r->lock);
    pthread_cond_signal(&r->cond);
    pthread_join(r->thread, NULL);
    for (int i = 0; i < r->ntargets; i++)
        relay_close(r, &r->targets[i], 0, NULL);
    pthread_mutex_destroy(&r->lock);
    pthread_cond_destroy(&r->cond);
    db_close(r->db);
    free(r->msg);
    free(r);
}
