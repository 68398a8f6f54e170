#include "net/hj212_server.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "domain/hj212.h"
#include "domain/monitor_norm.h"
#include "modules/monitor/relay.h"
#include "db/db.h"
#include "modules/monitor/store_devcache.h"
#include "modules/monitor/ingest.h"

#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Pending acknowledgements a connection may have before it stops being read. */
#define HJS_MAX_PENDING 64
/* Rows waiting for the writer before every connection pauses (flood protection). */
#define HJS_MAX_QUEUED 400000
/* Bytes of garbage a connection may send without a good frame before it is closed. */
#define HJS_MAX_JUNK 65536
/* Output a device leaves unread before it is closed. */
#define HJS_MAX_OUTPUT 65536
#define HJS_ADDR_BUCKETS 4096
/* Platform requests: reply time-out and retries (HJ 212-2017 Table 1: 10 s, 3). */
#define HJS_CMD_TIMEOUT_MS 10000
#define HJS_CMD_RETRIES 3
#define HJS_CMD_EXEC_TIMEOUT_MS 120000
#define HJS_MAX_COMMANDS 4096

static struct hj212_server *hjs_current;

struct hjs_addr {
    struct hjs_addr *next;
    char addr[48];
    int count;
};

struct hjs_conn;

/* A platform request in flight. */
struct hjs_cmd {
    struct hjs_cmd *next;
    int64_t device_id, command_id;
    char qn[24];
    int cn;
    char *frame;
    size_t len;
    int tries;
    int accepted; /* 9011 QnRtn=1 seen: waiting for data / 9012 */
    int64_t deadline_ms;
    int measured; /* 1011: the device's SystemTime came; skew = device - server, seconds */
    int64_t skew, measured_at;
};

struct hj212_server {
    struct hj212_server_opts o;
    struct event_base *base;
    struct evconnlistener *lis;
    /* Other threads (the writer, API handlers, stop) wake the loop through a socket pair
     * rather than event_active, so libevent needs no locking of its own. */
    evutil_socket_t wake[2];
    struct event *wake_ev, *tick_ev;
    _Atomic int stopping;
    pthread_t thread;
    struct ingest *ingest;
    struct hj212_relay *relay; /* forwarding and automatic back-fill */
    struct devcache *devs;
    uint64_t devs_gen;
    struct hjs_conn **slots;
    uint32_t *gens;
    uint32_t *free_slots;
    size_t nfree;
    struct hjs_addr *addrs[HJS_ADDR_BUCKETS];
    struct hj212_msg *msg; /* one parse buffer: the loop is single-threaded */
    pthread_mutex_t ack_lock;
    struct ingest_job *acks;
    pthread_mutex_t cmd_lock;
    struct hjs_cmd *incoming; /* queued by hj212_server_request */
    struct hjs_cmd *cmds;     /* in flight, loop thread only */
    int ncmds;
    struct {
        _Atomic uint64_t accepted, refused_conns, closed, frames_ok, frames_bad_crc,
            frames_rejected, unregistered, acks_sent, values, timeouts, flood_pauses, open;
    } st;
};

struct hjs_conn {
    struct hj212_server *s;
    struct bufferevent *bev;
    uint32_t slot;
    uint64_t id;
    char addr[48];
    int64_t device_id; /* last authenticated device on this connection */
    int pending;       /* acks waiting for the writer */
    int paused;        /* reading stopped (pending, rate, queue) */
    int closing;
    int short_timeout; /* a partial frame is waiting: the read time-out is frame_timeout */
    int doomed;        /* to be closed from the loop at the next safe point (never while in use) */
    struct event *resume_ev;
    double tokens;
    int64_t tokens_ms;
    int64_t partial_since_ms;
    size_t junk;
    size_t len, cap;
    char buf[];
};

static void hjs_read_cb(struct bufferevent *bev, void *arg);
static void hjs_wake(struct hj212_server *s);
static void hjs_event_cb(struct bufferevent *bev, short what, void *arg);
static void hjs_close(struct hjs_conn *c);

/* ---- per-address counts ---- */

static struct hjs_addr **hjs_addr_slot(struct hj212_server *s, const char *addr)
{
    uint32_t h = 2166136261u;
    for (const char *p = addr; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    struct hjs_addr **pp = &s->addrs[h % HJS_ADDR_BUCKETS];
    while (*pp && strcmp((*pp)->addr, addr))
        pp = &(*pp)->next;
    return pp;
}

static int hjs_addr_add(struct hj212_server *s, const char *addr)
{
    struct hjs_addr **pp = hjs_addr_slot(s, addr);
    if (!*pp) {
        *pp = xcalloc(1, sizeof **pp);
        snprintf((*pp)->addr, sizeof(*pp)->addr, "%s", addr);
    }
    if (s->o.per_ip_connections > 0 && (*pp)->count >= s->o.per_ip_connections)
        return -1;
    (*pp)->count++;
    return 0;
}

static void hjs_addr_del(struct hj212_server *s, const char *addr)
{
    struct hjs_addr **pp = hjs_addr_slot(s, addr);
    if (*pp && --(*pp)->count <= 0) {
        struct hjs_addr *dead = *pp;
        *pp = dead->next;
        free(dead);
    }
}

/* ---- device registry ---- */

static void hjs_refresh_devices(struct hj212_server *s)
{
    uint64_t gen = devcache_generation();
    if (gen == s->devs_gen && s->devs)
        return;
    char err[256];
    struct db *db = db_open(s->o.db_path, err, sizeof err);
    struct devcache *c = db ? devcache_load(db) : NULL;
    db_close(db);
    if (!c) {
        log_error("hj212: cannot load the device registry: %s", db ? "query failed" : err);
        return;
    }
    devcache_free(s->devs);
    s->devs = c;
    s->devs_gen = gen;
}

/* ---- output ---- */

/* Marks a connection for closing from a timer callback, so no caller up the stack ever
 * touches a freed connection. */
static void hjs_doom(struct hjs_conn *c)
{
    if (c->doomed)
        return;
    c->doomed = 1;
    bufferevent_disable(c->bev, EV_READ);
    struct timeval zero = {0, 0};
    evtimer_add(c->resume_ev, &zero);
}

static void hjs_send(struct hjs_conn *c, const char *bytes, size_t len)
{
    if (c->closing || c->doomed)
        return;
    struct evbuffer *out = bufferevent_get_output(c->bev);
    if (evbuffer_get_length(out) > HJS_MAX_OUTPUT) {
        log_warn("hj212: %s does not read its replies; closing", c->addr);
        hjs_doom(c);
        return;
    }
    /* Nothing queued before it: try the socket directly. An ack is a hundred bytes and the
     * socket buffer is almost always free, so this spares the write event's two epoll_ctl
     * calls and a loop turn per reply; what does not fit goes through the bufferevent. */
    if (!evbuffer_get_length(out)) {
        ssize_t n = send(bufferevent_getfd(c->bev), bytes, len, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n > 0) {
            bytes += n;
            len -= (size_t)n;
        }
        if (!len)
            return;
    }
    bufferevent_write(c->bev, bytes, len);
}

/* Closes once the last reply has left (a refused device gets its answer first). */
static void hjs_drained_cb(struct bufferevent *bev, void *arg)
{
    (void)bev;
    hjs_close(arg);
}

/* Queues a job for the writer that only records a frame (and device counters). */
static void hjs_record(struct hjs_conn *c, const struct devcache_entry *d, const char *frame,
                       size_t len, const char *status, int cn, struct hj212_str qn, int out)
{
    struct ingest_job *j = ingest_job_new(0, frame, len);
    j->kind = INGEST_FRAME;
    j->device_id = d ? d->device_id : 0;
    j->station_id = d ? d->station_id : 0;
    j->received = timeutil_now();
    j->cn = cn;
    j->out = out;
    j->bad_crc = !strcmp(status, "bad_crc");
    j->rejected = !strcmp(status, "rejected");
    snprintf(j->status, sizeof j->status, "%s", status);
    snprintf(j->mn, sizeof j->mn, "%s", d ? d->mn : "");
    size_t ql = qn.len < sizeof j->qn - 1 ? qn.len : sizeof j->qn - 1;
    if (ql)
        memcpy(j->qn, qn.ptr, ql);
    snprintf(j->addr, sizeof j->addr, "%s", c ? c->addr : "");
    ingest_submit(c->s->ingest, j);
}

/* ---- commands (platform requests) ---- */

static struct hjs_conn *hjs_conn_of_device(struct hj212_server *s, int64_t device_id)
{
    /* Connections are few per device; a linear scan runs only when a command is sent. */
    for (size_t i = 0; i < (size_t)s->o.max_connections; i++)
        if (s->slots[i] && s->slots[i]->device_id == device_id && !s->slots[i]->closing)
            return s->slots[i];
    return NULL;
}

static void hjs_cmd_job(struct hj212_server *s, struct hjs_cmd *cmd, const char *status, int qn_rtn,
                        int exe_rtn, const char *frame, size_t len, int out)
{
    struct ingest_job *j = ingest_job_new(0, frame, len);
    j->kind = INGEST_COMMAND;
    j->command_id = cmd->command_id;
    j->device_id = cmd->device_id;
    const struct devcache_entry *d = devcache_by_id(s->devs, cmd->device_id);
    j->station_id = d ? d->station_id : 0;
    j->received = timeutil_now();
    j->cn = cmd->cn;
    j->out = out;
    j->qn_rtn = qn_rtn;
    j->exe_rtn = exe_rtn;
    snprintf(j->status, sizeof j->status, "%s", status ? status : "");
    snprintf(j->qn, sizeof j->qn, "%s", cmd->qn);
    snprintf(j->mn, sizeof j->mn, "%s", d ? d->mn : "");
    ingest_submit(s->ingest, j);
}

static void hjs_cmd_free(struct hjs_cmd *cmd)
{
    free(cmd->frame);
    free(cmd);
}

static void hjs_cmd_send(struct hj212_server *s, struct hjs_cmd *cmd)
{
    struct hjs_conn *c = hjs_conn_of_device(s, cmd->device_id);
    cmd->tries++;
    cmd->deadline_ms = timeutil_now_ms() + HJS_CMD_TIMEOUT_MS;
    if (!c)
        return; /* offline: retried until the tries run out */
    hjs_send(c, cmd->frame, cmd->len);
    hjs_cmd_job(s, cmd, "sent", -1, -1, cmd->frame, cmd->len, 1);
}

/* Takes the commands queued by other threads and sends them. */
static void hjs_cmd_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    struct hj212_server *s = arg;
    pthread_mutex_lock(&s->cmd_lock);
    struct hjs_cmd *in = s->incoming;
    s->incoming = NULL;
    pthread_mutex_unlock(&s->cmd_lock);
    while (in) {
        struct hjs_cmd *next = in->next;
        in->next = s->cmds;
        s->cmds = in;
        s->ncmds++;
        hjs_cmd_send(s, in);
        in = next;
    }
}

/* A reply (9011/9012) or answer data for an outstanding command, by device and QN. Returns
 * the command, or NULL. */
static struct hjs_cmd *hjs_cmd_find(struct hj212_server *s, int64_t device_id, struct hj212_str qn)
{
    for (struct hjs_cmd *c = s->cmds; c; c = c->next)
        if (c->device_id == device_id && hj212_str_eq(qn, c->qn))
            return c;
    return NULL;
}

static void hjs_cmd_done(struct hj212_server *s, struct hjs_cmd *cmd)
{
    for (struct hjs_cmd **pp = &s->cmds; *pp; pp = &(*pp)->next)
        if (*pp == cmd) {
            *pp = cmd->next;
            s->ncmds--;
            hjs_cmd_free(cmd);
            return;
        }
}

/* The end of a command: clock exchanges (1011/1012) are reported to the relay, which stores the
 * skew and decides whether to set the clock; then the command is forgotten. */
static void hjs_cmd_finish(struct hj212_server *s, struct hjs_cmd *cmd, int ok)
{
    if (cmd->cn == 1011 || cmd->cn == 1012) {
        struct hj212_relay_clock ev = {cmd->device_id, cmd->cn,   ok,
                                       cmd->measured,  cmd->skew, cmd->measured_at};
        hj212_relay_clock_event(s->relay, &ev);
    }
    hjs_cmd_done(s, cmd);
}

/* The skew a 1011 answer shows: its SystemTime (the DAQ's own clock: an instrument's, with a
 * PolId, is not it) against our clock, the device's time zone applied. 0 and *skew, or -1. */
static int hjs_clock_skew(const struct devcache_entry *d, const struct hj212_msg *m, int64_t now,
                          int64_t *skew)
{
    struct hj212_time t;
    if (hj212_msg_cp_get(m, "PolId").len || hj212_time_parse(hj212_msg_cp_get(m, "SystemTime"), &t))
        return -1;
    *skew = hj212_time_to_unix(&t) + (d->cfg.clock_utc ? 8 * 3600 : 0) - now;
    return 0;
}

static int hjs_int(struct hj212_str v)
{
    int n = 0;
    if (!v.len || v.len > 6)
        return -1;
    for (size_t i = 0; i < v.len; i++) {
        if (v.ptr[i] < '0' || v.ptr[i] > '9')
            return -1;
        n = n * 10 + (v.ptr[i] - '0');
    }
    return n;
}

/* 9011 / 9012 / a 1011 answer from a device: moves its command along. */
static void hjs_cmd_reply(struct hjs_conn *c, const struct devcache_entry *d,
                          const struct hj212_msg *m, const char *frame, size_t len)
{
    struct hj212_server *s = c->s;
    struct hjs_cmd *cmd = hjs_cmd_find(s, d->device_id, hj212_msg_ref_qn(m));
    if (!cmd) {
        hjs_record(c, d, frame, len, "reply", m->cn_num, hj212_msg_ref_qn(m), 0);
        return;
    }
    if (m->cn_num == 9011) {
        int rtn = hjs_int(hj212_msg_cp_get(m, "QnRtn"));
        cmd->accepted = rtn == 1;
        cmd->deadline_ms = timeutil_now_ms() + HJS_CMD_EXEC_TIMEOUT_MS;
        hjs_cmd_job(s, cmd, rtn == 1 ? "accepted" : "failed", rtn, -1, frame, len, 0);
        if (rtn != 1)
            hjs_cmd_finish(s, cmd, 0);
    } else if (m->cn_num == 9012) {
        int rtn = hjs_int(hj212_msg_cp_get(m, "ExeRtn"));
        hjs_cmd_job(s, cmd, rtn == 1 ? "done" : "failed", -1, rtn, frame, len, 0);
        hjs_cmd_finish(s, cmd, rtn == 1);
    } else {
        int64_t now = timeutil_now();
        if (m->cn_num == 1011 && cmd->cn == 1011 && !hjs_clock_skew(d, m, now, &cmd->skew)) {
            cmd->measured = 1;
            cmd->measured_at = now;
        }
        hjs_cmd_job(s, cmd, NULL, -1, -1, frame, len, 0);
        /* An upload inside the exchange that asks for a data reply gets its 9014. */
        char out[HJ212_FRAME_MAX + 1];
        size_t n;
        if (m->cn_num == 1011 && hj212_msg_wants_ack(m) &&
            hj212_encode_data_ack(out, sizeof out, m, &n) == HJ212_OK)
            hjs_send(c, out, n);
    }
}

/* Time-outs and retries of outstanding commands. */
static void hjs_cmd_tick(struct hj212_server *s)
{
    int64_t now = timeutil_now_ms();
    struct hjs_cmd *cmd = s->cmds;
    while (cmd) {
        struct hjs_cmd *next = cmd->next;
        if (now >= cmd->deadline_ms) {
            if (!cmd->accepted && cmd->tries < HJS_CMD_RETRIES) {
                hjs_cmd_send(s, cmd);
            } else {
                hjs_cmd_job(s, cmd, "timeout", -1, -1, NULL, 0, 0);
                hjs_cmd_finish(s, cmd, 0);
            }
        }
        cmd = next;
    }
}

int hj212_server_request(struct hj212_server *s, int64_t device_id, int64_t command_id,
                         const char *qn, int cn, const char *frame, size_t len)
{
    if (!s || strlen(qn) >= 24)
        return -1;
    struct hjs_cmd *cmd = xcalloc(1, sizeof *cmd);
    cmd->device_id = device_id;
    cmd->command_id = command_id;
    snprintf(cmd->qn, sizeof cmd->qn, "%s", qn);
    cmd->cn = cn;
    cmd->frame = xmalloc(len);
    memcpy(cmd->frame, frame, len);
    cmd->len = len;
    pthread_mutex_lock(&s->cmd_lock);
    int full = s->ncmds >= HJS_MAX_COMMANDS;
    if (!full) {
        cmd->next = s->incoming;
        s->incoming = cmd;
    }
    pthread_mutex_unlock(&s->cmd_lock);
    if (full) {
        hjs_cmd_free(cmd);
        return -1;
    }
    hjs_wake(s);
    return 0;
}

/* ---- frames ---- */

static void hjs_unregistered(struct hjs_conn *c, const struct hj212_msg *m, const char *reason,
                             const char *frame, size_t len)
{
    atomic_fetch_add(&c->s->st.unregistered, 1);
    struct ingest_job *j = ingest_job_new(0, frame, len);
    j->kind = INGEST_UNREGISTERED;
    j->received = timeutil_now();
    j->cn = m->cn_num;
    size_t n = m->mn.len < sizeof j->mn - 1 ? m->mn.len : sizeof j->mn - 1;
    if (n)
        memcpy(j->mn, m->mn.ptr, n);
    n = m->pw.len < sizeof j->pw - 1 ? m->pw.len : sizeof j->pw - 1;
    if (n)
        memcpy(j->pw, m->pw.ptr, n);
    n = m->st.len < sizeof j->st - 1 ? m->st.len : sizeof j->st - 1;
    if (n)
        memcpy(j->st, m->st.ptr, n);
    for (size_t i = 0; i < sizeof j->mn && j->mn[i]; i++) /* a NUL inside ends the text */
        if ((unsigned char)j->mn[i] < 32)
            j->mn[i] = '?';
    snprintf(j->status, sizeof j->status, "%s", reason);
    snprintf(j->addr, sizeof j->addr, "%s", c->addr);
    ingest_submit(c->s->ingest, j);
}

/* The answer to a device's 1013 time-calibration request: 9013, then 1012 with our time. */
static void hjs_time_calibration(struct hjs_conn *c, const struct devcache_entry *d,
                                 const struct hj212_msg *m)
{
    char out[HJ212_FRAME_MAX + 1];
    size_t n;
    if (hj212_encode_notify_reply(out, sizeof out, m, &n) == HJ212_OK)
        hjs_send(c, out, n);
    struct hj212_time now, qt;
    int64_t ms = 0;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ms = ts.tv_nsec / 1000000;
    hj212_time_from_unix(ts.tv_sec, (int)ms, &qt);
    /* A device whose clock runs on UTC is set to UTC. */
    hj212_time_from_unix(ts.tv_sec - (d && d->cfg.clock_utc ? 8 * 3600 : 0), (int)ms, &now);
    char qn[HJ212_TIME_BUF];
    hj212_time_format(&qt, 1, qn);
    struct hj212_peer peer = {m->version, m->st, m->pw, m->mn};
    if (hj212_encode_set_time(out, sizeof out, &peer, hj212_str_c(qn), hj212_msg_cp_get(m, "PolId"),
                              &now, &n) == HJ212_OK) {
        hjs_send(c, out, n);
        hjs_record(c, d, out, n, "request", 1012, hj212_str_c(qn), 1);
    }
}

/* One good frame. Returns -1 when the connection was closed. */
static int hjs_frame(struct hjs_conn *c, const struct hj212_frame_ref *ref)
{
    struct hj212_server *s = c->s;
    const char *frame = ref->data - 6;
    size_t flen = ref->frame_len;
    struct hj212_msg *m = s->msg;
    if (hj212_parse(ref->data, ref->data_len, m) != HJ212_OK) {
        atomic_fetch_add(&s->st.frames_rejected, 1);
        c->junk += flen;
        return 0;
    }
    hjs_refresh_devices(s);
    const struct devcache_entry *d = devcache_find(s->devs, m->mn.ptr, m->mn.len);
    const char *refuse = !d ? "unknown_mn" : !d->active ? "inactive" : NULL;
    if (!refuse && !(m->pw.len == strlen(d->pw) && !memcmp(m->pw.ptr, d->pw, m->pw.len)))
        refuse = "bad_pw";
    if (refuse) {
        hjs_unregistered(c, m, refuse, frame, flen);
        /* A request gets its refusal (QnRtn 3 = PW error, 4 = MN error); uploads get none. */
        if (hj212_msg_wants_ack(m) && m->cn_num < 2000) {
            char out[HJ212_FRAME_MAX + 1];
            size_t n;
            if (hj212_encode_qn_rtn(out, sizeof out, m, !strcmp(refuse, "bad_pw") ? 3 : 4, &n) ==
                HJ212_OK)
                bufferevent_write(c->bev, out, n);
        }
        if (evbuffer_get_length(bufferevent_get_output(c->bev))) {
            c->doomed = 1;
            bufferevent_disable(c->bev, EV_READ);
            bufferevent_setcb(c->bev, NULL, hjs_drained_cb, hjs_event_cb, c);
        } else {
            hjs_close(c);
        }
        return -1;
    }
    c->device_id = d->device_id;
    c->junk = 0;
    atomic_fetch_add(&s->st.frames_ok, 1);
    int cn = m->cn_num;
    if (cn == 9011 || cn == 9012 || cn == 1011) {
        hjs_cmd_reply(c, d, m, frame, flen);
        return 0;
    }
    if (cn == 9013 || cn == 9014) {
        hjs_record(c, d, frame, flen, "reply", cn, m->qn, 0);
        return 0;
    }
    if (cn == 1013) {
        hjs_record(c, d, frame, flen, "ok", cn, m->qn, 0);
        hjs_time_calibration(c, d, m);
        return 0;
    }
    /* Uploads: data records, heartbeats, states, restarts, vendor codes. */
    struct monitor_row rows[128];
    int skipped = 0;
    size_t nrows = monitor_normalise(m, &d->cfg, timeutil_now(), rows, 128, &skipped);
    struct hjs_cmd *cmd = hjs_cmd_find(s, d->device_id, m->qn);
    if (cmd) { /* history data answering our back-fill request */
        for (size_t i = 0; i < nrows; i++)
            rows[i].qual |= MONITOR_QUAL_BACKFILL;
    }
    struct ingest_job *j = ingest_job_new(nrows, frame, flen);
    if (nrows)
        memcpy(j->rows, rows, nrows * sizeof *rows);
    j->nrows = nrows;
    j->kind = INGEST_DATA;
    j->conn_id = c->id;
    j->device_id = d->device_id;
    j->station_id = d->station_id;
    j->received = timeutil_now();
    j->cn = cn;
    size_t ql = m->qn.len < sizeof j->qn - 1 ? m->qn.len : sizeof j->qn - 1;
    if (ql)
        memcpy(j->qn, m->qn.ptr, ql);
    snprintf(j->mn, sizeof j->mn, "%s", d->mn);
    snprintf(j->addr, sizeof j->addr, "%s", c->addr);
    snprintf(j->status, sizeof j->status, "%s", cmd ? "backfill" : "ok");
    if (hj212_msg_wants_ack(m)) {
        char out[HJ212_FRAME_MAX + 1];
        size_t n;
        if (hj212_encode_data_ack(out, sizeof out, m, &n) == HJ212_OK) {
            j->ack = xmalloc(n);
            memcpy(j->ack, out, n);
            j->ack_len = n;
            c->pending++;
        }
    }
    atomic_fetch_add(&s->st.values, nrows);
    ingest_submit(s->ingest, j);
    return 0;
}

/* A frame rejected by the scanner. BAD_CRC is parsed only to learn the MN (counted per
 * device) and, for a request that wants a reply, to answer QnRtn=9. */
static void hjs_rejected(struct hjs_conn *c, const struct hj212_frame_ref *ref)
{
    struct hj212_server *s = c->s;
    if (ref->status != HJ212_BAD_CRC) {
        atomic_fetch_add(&s->st.frames_rejected, 1);
        c->junk += 1;
        return;
    }
    atomic_fetch_add(&s->st.frames_bad_crc, 1);
    c->junk += ref->frame_len;
    struct hj212_msg *m = s->msg;
    if (hj212_parse(ref->data, ref->data_len, m) != HJ212_OK)
        return;
    hjs_refresh_devices(s);
    const struct devcache_entry *d = devcache_find(s->devs, m->mn.ptr, m->mn.len);
    if (!d)
        return;
    hjs_record(c, d, ref->data - 6, ref->frame_len, "bad_crc", m->cn_num, m->qn, 0);
    if (hj212_msg_wants_ack(m) && m->cn_num < 2000) {
        char out[HJ212_FRAME_MAX + 1];
        size_t n;
        if (hj212_encode_qn_rtn(out, sizeof out, m, 9, &n) == HJ212_OK)
            hjs_send(c, out, n);
    }
}

static void hjs_pause(struct hjs_conn *c, int ms)
{
    if (!c->paused) {
        c->paused = 1;
        bufferevent_disable(c->bev, EV_READ);
    }
    if (ms > 0) {
        struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
        evtimer_add(c->resume_ev, &tv);
    }
}

static void hjs_resume(struct hjs_conn *c)
{
    if (!c->paused || c->closing || c->doomed)
        return;
    c->paused = 0;
    bufferevent_enable(c->bev, EV_READ);
    hjs_read_cb(c->bev, c); /* frames may wait in our buffer or in the input */
}

static void hjs_resume_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    struct hjs_conn *c = arg;
    if (c->doomed)
        hjs_close(c);
    else
        hjs_resume(c);
}

/* Runs the scanner over the connection buffer. Returns -1 when the connection was closed. */
static int hjs_process(struct hjs_conn *c)
{
    struct hj212_server *s = c->s;
    size_t off = 0;
    int rc = 0;
    while (off < c->len) {
        if (c->pending >= HJS_MAX_PENDING) {
            hjs_pause(c, 0);
            break;
        }
        if (ingest_pending(s->ingest) > HJS_MAX_QUEUED) {
            atomic_fetch_add(&s->st.flood_pauses, 1);
            hjs_pause(c, 20);
            break;
        }
        if (s->o.rate > 0 && c->tokens < 1) {
            int64_t now = timeutil_now_ms();
            c->tokens += (double)(now - c->tokens_ms) * s->o.rate / 1000.0;
            if (c->tokens > 2.0 * s->o.rate)
                c->tokens = 2.0 * s->o.rate;
            c->tokens_ms = now;
            if (c->tokens < 1) {
                atomic_fetch_add(&s->st.flood_pauses, 1);
                hjs_pause(c, 1 + (int)(1000.0 / s->o.rate));
                break;
            }
        }
        struct hj212_frame_ref ref;
        size_t used = hj212_scan(c->buf + off, c->len - off, s->o.max_frame, 0, &ref);
        c->junk += ref.skipped;
        if (ref.status == HJ212_OK) {
            c->tokens -= 1;
            if (hjs_frame(c, &ref)) /* closed: c is gone */
                return -1;
        } else if (ref.status != HJ212_MORE) {
            hjs_rejected(c, &ref);
        }
        off += used;
        if (c->doomed)
            break;
        if (ref.status == HJ212_MORE)
            break;
    }
    if (off) {
        memmove(c->buf, c->buf + off, c->len - off);
        c->len -= off;
    }
    if (c->junk > HJS_MAX_JUNK) {
        log_warn("hj212: %s sent %zu bytes without a good frame; closing", c->addr, c->junk);
        hjs_close(c);
        return -1;
    }
    int64_t now = timeutil_now_ms();
    if (c->len && !c->paused) {
        if (!c->partial_since_ms)
            c->partial_since_ms = now;
        else if (now - c->partial_since_ms > (int64_t)s->o.frame_timeout * 1000) {
            atomic_fetch_add(&s->st.timeouts, 1);
            log_warn("hj212: %s too slow to complete a frame; closing", c->addr);
            hjs_close(c);
            return -1;
        }
    } else if (!c->len) {
        c->partial_since_ms = 0;
    }
    /* A partial frame must complete within frame_timeout even if no byte follows. */
    int want_short = c->len != 0;
    if (want_short != c->short_timeout) {
        c->short_timeout = want_short;
        struct timeval rd = {want_short ? s->o.frame_timeout : s->o.idle_timeout, 0}, wr = {30, 0};
        bufferevent_set_timeouts(c->bev, &rd, &wr);
    }
    return rc;
}

static void hjs_read_cb(struct bufferevent *bev, void *arg)
{
    struct hjs_conn *c = arg;
    struct evbuffer *in = bufferevent_get_input(bev);
    for (;;) {
        if (c->paused || c->doomed)
            return;
        size_t room = c->cap - c->len;
        size_t avail = evbuffer_get_length(in);
        if (!avail || !room) {
            if (c->len)
                hjs_process(c);
            return;
        }
        int n = evbuffer_remove(in, c->buf + c->len, room < avail ? room : avail);
        if (n <= 0)
            return;
        c->len += (size_t)n;
        if (hjs_process(c))
            return;
    }
}

static void hjs_event_cb(struct bufferevent *bev, short what, void *arg)
{
    (void)bev;
    struct hjs_conn *c = arg;
    if (what & BEV_EVENT_TIMEOUT)
        atomic_fetch_add(&c->s->st.timeouts, 1);
    if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT))
        hjs_close(c);
}

static void hjs_close(struct hjs_conn *c)
{
    struct hj212_server *s = c->s;
    if (c->closing)
        return;
    c->closing = 1;
    s->slots[c->slot] = NULL;
    s->gens[c->slot]++;
    s->free_slots[s->nfree++] = c->slot;
    hjs_addr_del(s, c->addr);
    event_free(c->resume_ev);
    bufferevent_free(c->bev);
    atomic_fetch_add(&s->st.closed, 1);
    atomic_fetch_sub(&s->st.open, 1);
    free(c);
}

static void hjs_accept_cb(struct evconnlistener *lis, evutil_socket_t fd, struct sockaddr *sa,
                          int socklen, void *arg)
{
    (void)lis, (void)socklen;
    struct hj212_server *s = arg;
    char addr[48] = "?";
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *)sa)->sin_addr, addr, sizeof addr);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)sa)->sin6_addr, addr, sizeof addr);
    if (!s->nfree || hjs_addr_add(s, addr)) {
        atomic_fetch_add(&s->st.refused_conns, 1);
        evutil_closesocket(fd);
        return;
    }
    size_t cap = s->o.max_frame + 1024;
    struct hjs_conn *c = xcalloc(1, sizeof *c + cap);
    c->cap = cap;
    c->s = s;
    snprintf(c->addr, sizeof c->addr, "%s", addr);
    c->slot = s->free_slots[--s->nfree];
    c->id = ((uint64_t)s->gens[c->slot] << 32) | c->slot;
    c->tokens = s->o.rate > 0 ? 2.0 * s->o.rate : 0;
    c->tokens_ms = timeutil_now_ms();
    s->slots[c->slot] = c;
    c->bev = bufferevent_socket_new(s->base, fd, BEV_OPT_CLOSE_ON_FREE);
    c->resume_ev = evtimer_new(s->base, hjs_resume_cb, c);
    if (!c->bev || !c->resume_ev) {
        hjs_close(c);
        return;
    }
    bufferevent_setcb(c->bev, hjs_read_cb, NULL, hjs_event_cb, c);
    struct timeval idle = {s->o.idle_timeout, 0}, wr = {30, 0};
    bufferevent_set_timeouts(c->bev, &idle, &wr);
    bufferevent_enable(c->bev, EV_READ | EV_WRITE);
    atomic_fetch_add(&s->st.accepted, 1);
    atomic_fetch_add(&s->st.open, 1);
}

/* ---- acks from the writer ---- */

static void hjs_forward(void *arg)
{
    struct hj212_server *s = arg;
    hj212_relay_kick(s->relay);
}

static void hjs_committed(void *arg, struct ingest_job *acks)
{
    struct hj212_server *s = arg;
    pthread_mutex_lock(&s->ack_lock);
    struct ingest_job **tail = &s->acks;
    while (*tail)
        tail = &(*tail)->next;
    *tail = acks;
    pthread_mutex_unlock(&s->ack_lock);
    hjs_wake(s);
}

static void hjs_ack_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    struct hj212_server *s = arg;
    pthread_mutex_lock(&s->ack_lock);
    struct ingest_job *list = s->acks;
    s->acks = NULL;
    pthread_mutex_unlock(&s->ack_lock);
    while (list) {
        struct ingest_job *next = list->next;
        uint32_t slot = (uint32_t)(list->conn_id & 0xFFFFFFFFu);
        struct hjs_conn *c = slot < (uint32_t)s->o.max_connections ? s->slots[slot] : NULL;
        if (c && c->id == list->conn_id) {
            hjs_send(c, list->ack, list->ack_len);
            atomic_fetch_add(&s->st.acks_sent, 1);
            {
                c->pending--;
                if (c->paused && c->pending < HJS_MAX_PENDING / 2 &&
                    !evtimer_pending(c->resume_ev, NULL))
                    hjs_resume(c);
            }
        }
        ingest_job_free(list);
        list = next;
    }
}

static void hjs_wake(struct hj212_server *s)
{
    char b = 1;
    /* A full pipe already holds a wake-up: the loop drains it and looks at every queue. */
    if (send(s->wake[1], &b, 1, MSG_DONTWAIT) < 0) {
        /* nothing to do: EAGAIN means a wake-up is pending */
    }
}

static void hjs_wake_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)what;
    struct hj212_server *s = arg;
    char drain[256];
    while (recv(fd, drain, sizeof drain, MSG_DONTWAIT) > 0)
        ;
    if (atomic_load(&s->stopping)) {
        event_base_loopbreak(s->base);
        return;
    }
    hjs_ack_cb(-1, 0, s);
    hjs_cmd_cb(-1, 0, s);
}

static void hjs_tick_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    struct hj212_server *s = arg;
    hjs_refresh_devices(s);
    hjs_cmd_tick(s);
}

static void *hjs_main(void *arg)
{
    struct hj212_server *s = arg;
    event_base_dispatch(s->base);
    return NULL;
}

struct hj212_server *hj212_server_start(const struct hj212_server_opts *o, int *port)
{
    struct hj212_server *s = xcalloc(1, sizeof *s);
    s->o = *o;
    s->wake[0] = s->wake[1] = -1;
    if (evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, s->wake) ||
        evutil_make_socket_nonblocking(s->wake[0]) || evutil_make_socket_nonblocking(s->wake[1])) {
        log_error("hj212: socketpair failed");
        free(s);
        return NULL;
    }
    if (s->o.max_frame < 12 || s->o.max_frame > HJ212_FRAME_MAX_ABS)
        s->o.max_frame = HJ212_FRAME_MAX;
    if (s->o.max_connections <= 0)
        s->o.max_connections = 20000;
    if (s->o.idle_timeout <= 0)
        s->o.idle_timeout = 600;
    if (s->o.frame_timeout <= 0)
        s->o.frame_timeout = 30;
    s->msg = xmalloc(sizeof *s->msg);
    pthread_mutex_init(&s->ack_lock, NULL);
    pthread_mutex_init(&s->cmd_lock, NULL);
    size_t n = (size_t)s->o.max_connections;
    s->slots = xcalloc(n, sizeof *s->slots);
    s->gens = xcalloc(n, sizeof *s->gens);
    s->free_slots = xmalloc(n * sizeof *s->free_slots);
    for (size_t i = 0; i < n; i++) {
        s->free_slots[i] = (uint32_t)(n - 1 - i);
        s->gens[i] = 1;
    }
    s->nfree = n;
    hjs_refresh_devices(s);
    struct ingest_opts io = {o->db_path, o->batch_rows, o->batch_ms, o->raw_days,
                             0,          hjs_committed, s,           hjs_forward};
    s->base = event_base_new();
    struct sockaddr_storage ss;
    int sslen = sizeof ss;
    char spec[128];
    snprintf(spec, sizeof spec, strchr(o->listen, ':') ? "[%s]:%d" : "%s:%d", o->listen, o->port);
    memset(&ss, 0, sizeof ss);
    struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, o->listen, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)o->port);
        sslen = sizeof *v4;
    } else if (inet_pton(AF_INET6, o->listen, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)o->port);
        sslen = sizeof *v6;
    } else {
        sslen = 0;
    }
    if (!s->devs || !s->base || !sslen) {
        log_error("hj212: cannot listen on %s", spec);
        goto fail;
    }
    s->lis = evconnlistener_new_bind(s->base, hjs_accept_cb, s,
                                     LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 4096,
                                     (struct sockaddr *)&ss, sslen);
    if (!s->lis) {
        log_error("hj212: cannot bind %s", spec);
        goto fail;
    }
    struct sockaddr_storage bound;
    socklen_t blen = sizeof bound;
    getsockname(evconnlistener_get_fd(s->lis), (struct sockaddr *)&bound, &blen);
    *port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                              : ((struct sockaddr_in *)&bound)->sin_port);
    struct hj212_relay_opts ro = {o->db_path, o->forward,     o->gap_interval,   o->gap_hours,
                                  s,          o->clock_check, o->clock_tolerance};
    s->relay = hj212_relay_start(&ro);
    s->ingest = s->relay ? ingest_start(&io) : NULL;
    if (!s->ingest)
        goto fail;
    s->wake_ev = event_new(s->base, s->wake[0], EV_READ | EV_PERSIST, hjs_wake_cb, s);
    event_add(s->wake_ev, NULL);
    s->tick_ev = event_new(s->base, -1, EV_PERSIST, hjs_tick_cb, s);
    struct timeval one = {1, 0};
    event_add(s->tick_ev, &one);
    if (pthread_create(&s->thread, NULL, hjs_main, s)) {
        log_error("hj212: cannot start the listener thread");
        goto fail;
    }
    pthread_setname_np(s->thread, "ecogov-hj212");
    hjs_current = s;
    return s;
fail:
    hj212_relay_stop(s->relay);
    if (s->ingest)
        ingest_stop(s->ingest);
    if (s->lis)
        evconnlistener_free(s->lis);
    if (s->wake_ev)
        event_free(s->wake_ev);
    if (s->tick_ev)
        event_free(s->tick_ev);
    if (s->base)
        event_base_free(s->base);
    devcache_free(s->devs);
    free(s->slots), free(s->gens), free(s->free_slots), free(s->msg);
    evutil_closesocket(s->wake[0]);
    evutil_closesocket(s->wake[1]);
    free(s);
    return NULL;
}

void hj212_server_stop(struct hj212_server *s)
{
    if (!s)
        return;
    if (hjs_current == s)
        hjs_current = NULL;
    atomic_store(&s->stopping, 1);
    hjs_wake(s);
    pthread_join(s->thread, NULL);
    hj212_relay_stop(s->relay);
    /* The writer commits what it holds; acks it hands back now are dropped below. */
    ingest_stop(s->ingest);
    for (size_t i = 0; i < (size_t)s->o.max_connections; i++)
        if (s->slots[i])
            hjs_close(s->slots[i]);
    struct ingest_job *j = s->acks;
    while (j) {
        struct ingest_job *next = j->next;
        ingest_job_free(j);
        j = next;
    }
    struct hjs_cmd *lists[2] = {s->cmds, s->incoming};
    for (int k = 0; k < 2; k++)
        for (struct hjs_cmd *c = lists[k]; c;) {
            struct hjs_cmd *next = c->next;
            hjs_cmd_free(c);
            c = next;
        }
    for (size_t b = 0; b < HJS_ADDR_BUCKETS; b++)
        while (s->addrs[b]) {
            struct hjs_addr *next = s->addrs[b]->next;
            free(s->addrs[b]);
            s->addrs[b] = next;
        }
    evconnlistener_free(s->lis);
    event_free(s->wake_ev);
    event_free(s->tick_ev);
    evutil_closesocket(s->wake[0]);
    evutil_closesocket(s->wake[1]);
    event_base_free(s->base);
    devcache_free(s->devs);
    pthread_mutex_destroy(&s->ack_lock);
    pthread_mutex_destroy(&s->cmd_lock);
    free(s->slots), free(s->gens), free(s->free_slots), free(s->msg);
    free(s);
}

struct hj212_server *hj212_server_current(void)
{
    return hjs_current;
}

struct hj212_relay *hj212_server_relay(struct hj212_server *s)
{
    return s ? s->relay : NULL;
}

void hj212_server_get_stats(struct hj212_server *s, struct hj212_server_stats *o)
{
    o->accepted = atomic_load(&s->st.accepted);
    o->refused_conns = atomic_load(&s->st.refused_conns);
    o->closed = atomic_load(&s->st.closed);
    o->frames_ok = atomic_load(&s->st.frames_ok);
    o->frames_bad_crc = atomic_load(&s->st.frames_bad_crc);
    o->frames_rejected = atomic_load(&s->st.frames_rejected);
    o->unregistered = atomic_load(&s->st.unregistered);
    o->acks_sent = atomic_load(&s->st.acks_sent);
    o->values = atomic_load(&s->st.values);
    o->timeouts = atomic_load(&s->st.timeouts);
    o->flood_pauses = atomic_load(&s->st.flood_pauses);
    o->open = atomic_load(&s->st.open);
}
