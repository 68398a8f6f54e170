#include "net/hj212_server_int.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "domain/hj212.h"
#include "domain/monitor_norm.h"

#include <arpa/inet.h>
#include <errno.h>
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
#include <time.h>
#include <unistd.h>

/* Read by HTTP and node threads while the listener starts and stops. */
static struct hj212_server *_Atomic hjs_current;

static void hjs_read(struct hjs_conn *c);
static void hjs_read_on(struct hjs_conn *c);
static void hjs_read_off(struct hjs_conn *c);
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

/* ---- output ---- */

/* Marks a connection for closing from a timer callback, so no caller up the stack ever
 * touches a freed connection. */
static void hjs_doom(struct hjs_conn *c)
{
    if (c->doomed)
        return;
    c->doomed = 1;
    hjs_read_off(c);
    struct timeval zero = {0, 0};
    evtimer_add(c->resume_ev, &zero);
}

void hjs_send(struct hjs_conn *c, const char *bytes, size_t len)
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

void hjs_record(struct hjs_conn *c, const struct hj212_device *d, const char *frame, size_t len,
                const char *status, int cn, struct hj212_str qn, int out)
{
    struct hj212_intake in = {.kind = HJ212_INTAKE_FRAME,
                              .device_id = d ? d->device_id : 0,
                              .station_id = d ? d->station_id : 0,
                              .received = timeutil_now(),
                              .cn = cn,
                              .out = out,
                              .qn = qn,
                              .mn = hj212_str_c(d ? d->mn : ""),
                              .addr = c->addr,
                              .status = status,
                              .frame = frame,
                              .frame_len = len};
    c->s->h.submit(c->s->h.ctx, &in);
}

/* ---- frames ---- */

/* Ends a connection once its replies have left (a refused device or one over a budget gets
 * its answer first). Always returns -1: the caller must not touch c again. */
static int hjs_finish(struct hjs_conn *c)
{
    if (!c->closing && !c->doomed && evbuffer_get_length(bufferevent_get_output(c->bev))) {
        c->doomed = 1;
        hjs_read_off(c);
        bufferevent_setcb(c->bev, NULL, hjs_drained_cb, hjs_event_cb, c);
    } else if (!c->closing) {
        hjs_close(c);
    }
    return -1;
}

/* Charges rejected bytes to the connection's address (and device); over a budget the
 * connection is finished. 0, or -1 when it was. */
static int hjs_charge(struct hjs_conn *c, int64_t device_id, size_t len)
{
    int over = hjs_guard_reject(c->s, c->addr, device_id, len);
    if (!over)
        return 0;
    atomic_fetch_add(&c->s->st.over_budget, 1);
    if (over == 1)
        log_warn("hj212: %s over its rejected-bytes budget; refused for a while", c->addr);
    else
        log_warn("hj212: %s: device %lld over its rejected-bytes budget; closing", c->addr,
                 (long long)device_id);
    return hjs_finish(c);
}

static void hjs_unregistered(struct hjs_conn *c, const struct hj212_msg *m, const char *reason,
                             const char *frame, size_t len)
{
    atomic_fetch_add(&c->s->st.unregistered, 1);
    struct hj212_intake in = {.kind = HJ212_INTAKE_UNREGISTERED,
                              .received = timeutil_now(),
                              .cn = m->cn_num,
                              .qn = {"", 0},
                              .mn = m->mn,
                              .pw = m->pw,
                              .st = m->st,
                              .addr = c->addr,
                              .status = reason,
                              .frame = frame,
                              .frame_len = len};
    c->s->h.submit(c->s->h.ctx, &in);
}

/* One frame that passed the scanner. Returns 1 when it was good (parsed, from a registered
 * device with its password), 0 when not, -1 when the connection was closed. */
static int hjs_frame(struct hjs_conn *c, const struct hj212_frame_ref *ref)
{
    struct hj212_server *s = c->s;
    const char *frame = ref->data - 6;
    size_t flen = ref->frame_len;
    struct hj212_msg *m = s->msg;
    enum hj212_err perr = hj212_parse(ref->data, ref->data_len, m);
    if (perr != HJ212_OK) {
        atomic_fetch_add(&s->st.frames_rejected, 1);
        c->junk += flen;
        hjs_reject_note(s, c->addr, NULL, hj212_err_name(perr), frame, flen);
        return hjs_charge(c, 0, flen);
    }
    s->h.devices_refresh(s->h.ctx);
    struct hj212_device dev;
    const struct hj212_device *d =
        s->h.device_find(s->h.ctx, m->mn.ptr, m->mn.len, &dev) ? NULL : &dev;
    const char *refuse = !d ? "unknown_mn" : !d->active ? "inactive" : NULL;
    if (!refuse && !(m->pw.len == strlen(d->pw) && !memcmp(m->pw.ptr, d->pw, m->pw.len)))
        refuse = "bad_pw";
    if (refuse) {
        /* Listed one row per MN, up to the address's budget; beyond it only counted. */
        if (hjs_guard_unknown(s, c->addr)) {
            atomic_fetch_add(&s->st.unknown_dropped, 1);
            atomic_fetch_add(&s->st.over_budget, 1);
            hjs_reject_note(s, c->addr, !strcmp(refuse, "unknown_mn") ? NULL : d, refuse, frame,
                            flen);
        } else {
            hjs_unregistered(c, m, refuse, frame, flen);
        }
        /* A request gets its refusal (QnRtn 3 = PW error, 4 = MN error); uploads get none. */
        if (hj212_msg_wants_ack(m) && m->cn_num < 2000) {
            char out[HJ212_FRAME_MAX + 1];
            size_t n;
            if (hj212_encode_qn_rtn(out, sizeof out, m, !strcmp(refuse, "bad_pw") ? 3 : 4, &n) ==
                HJ212_OK)
                bufferevent_write(c->bev, out, n);
        }
        return hjs_finish(c);
    }
    c->device_id = d->device_id;
    c->junk = 0;
    c->got_frame = 1;
    hjs_guard_good(s, c->addr, d->device_id);
    atomic_fetch_add(&s->st.frames_ok, 1);
    int cn = m->cn_num;
    if (cn == 9011 || cn == 9012 || cn == 1011) {
        hjs_cmd_reply(c, d, m, frame, flen);
        return 1;
    }
    if (cn == 9013 || cn == 9014) {
        hjs_record(c, d, frame, flen, "reply", cn, m->qn, 0);
        return 1;
    }
    if (cn == 1013) {
        hjs_record(c, d, frame, flen, "ok", cn, m->qn, 0);
        hjs_time_calibration(c, d, m);
        return 1;
    }
    /* Uploads: data records, heartbeats, states, restarts, vendor codes. */
    struct monitor_row rows[128];
    int skipped = 0;
    size_t nrows = monitor_normalise(m, d->cfg, timeutil_now(), rows, 128, &skipped);
    struct hjs_cmd *cmd = hjs_cmd_find(s, d->device_id, m->qn);
    if (cmd) { /* history data answering our back-fill request */
        for (size_t i = 0; i < nrows; i++)
            rows[i].qual |= MONITOR_QUAL_BACKFILL;
    }
    struct hj212_intake in = {.kind = HJ212_INTAKE_DATA,
                              .device_id = d->device_id,
                              .station_id = d->station_id,
                              .received = timeutil_now(),
                              .cn = cn,
                              .qn = m->qn,
                              .mn = hj212_str_c(d->mn),
                              .addr = c->addr,
                              .status = cmd ? "backfill" : "ok",
                              .rows = rows,
                              .nrows = nrows,
                              .frame = frame,
                              .frame_len = flen};
    if (hj212_msg_wants_ack(m)) {
        char out[HJ212_FRAME_MAX + 1];
        size_t n;
        if (hj212_encode_data_ack(out, sizeof out, m, &n) == HJ212_OK) {
            in.ack = xmalloc(sizeof *in.ack + n);
            in.ack->next = NULL;
            in.ack->conn_id = c->id;
            in.ack->len = n;
            memcpy(in.ack->bytes, out, n);
            c->pending++;
        }
    }
    atomic_fetch_add(&s->st.values, nrows);
    s->h.submit(s->h.ctx, &in);
    return 1;
}

/* A frame rejected by the scanner (used: the bytes it consumed). BAD_CRC is parsed only to
 * learn the MN (counted for the device) and, for a request that wants a reply, to answer
 * QnRtn=9. Every rejection is aggregated (hjs_reject_note), never stored one by one, and its
 * bytes are charged to the budgets. Returns -1 when the connection was finished. */
static int hjs_rejected(struct hjs_conn *c, const struct hj212_frame_ref *ref, const char *at,
                        size_t used)
{
    struct hj212_server *s = c->s;
    if (ref->status != HJ212_BAD_CRC) {
        atomic_fetch_add(&s->st.frames_rejected, 1);
        c->junk += used;
        size_t avail = c->len - (size_t)(at - c->buf);
        hjs_reject_note(s, c->addr, NULL, hj212_err_name(ref->status), at,
                        avail < HJ212_REJECT_SAMPLE ? avail : HJ212_REJECT_SAMPLE);
        return hjs_charge(c, 0, used);
    }
    atomic_fetch_add(&s->st.frames_bad_crc, 1);
    c->junk += ref->frame_len;
    const char *frame = ref->data - 6;
    struct hj212_msg *m = s->msg;
    struct hj212_device d;
    int known = hj212_parse(ref->data, ref->data_len, m) == HJ212_OK;
    if (known) {
        s->h.devices_refresh(s->h.ctx);
        known = !s->h.device_find(s->h.ctx, m->mn.ptr, m->mn.len, &d);
    }
    hjs_reject_note(s, c->addr, known ? &d : NULL, "bad_crc", frame, ref->frame_len);
    if (known && hj212_msg_wants_ack(m) && m->cn_num < 2000) {
        char out[HJ212_FRAME_MAX + 1];
        size_t n;
        if (hj212_encode_qn_rtn(out, sizeof out, m, 9, &n) == HJ212_OK)
            hjs_send(c, out, n);
    }
    /* a bad CRC on a connection the device proved itself on is line noise, not an attack on
     * the device's budget */
    int64_t charged = known && d.device_id != c->device_id ? d.device_id : 0;
    return hjs_charge(c, charged, ref->frame_len);
}

/* Junk: bytes before a "##". Aggregated and charged like rejected frames. -1 when the
 * connection was finished. */
static int hjs_junk(struct hjs_conn *c, const char *at, size_t len)
{
    hjs_reject_note(c->s, c->addr, NULL, "junk", at,
                    len < HJ212_REJECT_SAMPLE ? len : HJ212_REJECT_SAMPLE);
    return hjs_charge(c, 0, len);
}

/* (Re)arms the connection's deadline: the first good frame within hello_timeout of the
 * connect, and every frame within frame_timeout of its first byte — so a sender of one byte
 * a second is closed however often it sends. */
static void hjs_arm(struct hjs_conn *c)
{
    const struct hj212_server_opts *o = &c->s->o;
    int64_t due = 0;
    if (!c->got_frame)
        due = c->accepted_ms + (int64_t)o->hello_timeout * 1000;
    if (c->bytes_since_ms) {
        int64_t f = c->bytes_since_ms + (int64_t)o->frame_timeout * 1000;
        if (!due || f < due)
            due = f;
    }
    if (!due) {
        evtimer_del(c->deadline_ev);
        return;
    }
    int64_t ms = due - timeutil_now_ms();
    if (ms < 0)
        ms = 0;
    struct timeval tv = {(time_t)(ms / 1000), (suseconds_t)((ms % 1000) * 1000)};
    evtimer_add(c->deadline_ev, &tv);
}

static void hjs_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    struct hjs_conn *c = arg;
    if (c->doomed) {
        hjs_close(c);
        return;
    }
    const struct hj212_server_opts *o = &c->s->o;
    int64_t now = timeutil_now_ms();
    if (c->paused && c->bytes_since_ms) /* the wait is ours (back-pressure), not the device's */
        c->bytes_since_ms = now;
    int hello = !c->got_frame && now >= c->accepted_ms + (int64_t)o->hello_timeout * 1000;
    int slow = c->bytes_since_ms && now >= c->bytes_since_ms + (int64_t)o->frame_timeout * 1000;
    if (hello || slow) {
        atomic_fetch_add(&c->s->st.timeouts, 1);
        log_warn("hj212: %s %s; closing", c->addr,
                 slow ? "too slow to complete a frame" : "sent no frame after connecting");
        hjs_close(c);
        return;
    }
    hjs_arm(c);
}

static void hjs_pause(struct hjs_conn *c, int ms)
{
    if (!c->paused) {
        c->paused = 1;
        hjs_read_off(c);
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
    hjs_read_on(c);
    hjs_read(c); /* frames may wait in our buffer or in the socket */
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

/* Runs the scanner over the connection buffer. Returns -1 when the connection was closed, 1
 * when it took a good frame (and so set the frame clock itself), else 0. */
static int hjs_process(struct hjs_conn *c)
{
    struct hj212_server *s = c->s;
    size_t off = 0;
    int good = 0;
    while (off < c->len) {
        if (c->pending >= HJS_MAX_PENDING) {
            hjs_pause(c, 0);
            break;
        }
        if (s->h.pending(s->h.ctx) > HJS_MAX_QUEUED) {
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
        const char *at = c->buf + off;
        size_t used = hj212_scan(at, c->len - off, s->o.max_frame, 0, &ref);
        c->junk += ref.skipped;
        if (ref.skipped && hjs_junk(c, at, ref.skipped))
            return -1;
        if (ref.status == HJ212_OK) {
            c->tokens -= 1;
            int rc = hjs_frame(c, &ref);
            if (rc < 0) /* closed: c is gone */
                return -1;
            good |= rc;
        } else if (ref.status != HJ212_MORE) {
            if (hjs_rejected(c, &ref, at + ref.skipped, used - ref.skipped))
                return -1;
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
    if (good) { /* the frame clock restarts with the next byte */
        c->bytes_since_ms = c->len ? timeutil_now_ms() : 0;
        hjs_arm(c);
    }
    return good;
}

/* Reads the socket straight into the connection's buffer and runs the scanner, until the
 * socket is drained, the connection pauses or is closed. One recv a turn: a bufferevent
 * asked the kernel how much was waiting (an ioctl) before each read and copied the bytes
 * twice; at a frame per read that was a tenth of the listener's time. */
static void hjs_read(struct hjs_conn *c)
{
    for (;;) {
        if (c->paused || c->doomed || c->closing)
            return;
        size_t room = c->cap - c->len;
        if (!room) {
            /* the scanner keeps at most one partial frame, shorter than the buffer: a full
             * buffer it cannot use would be read again at once, forever */
            log_warn("hj212: %s: input buffer full without a frame; closing", c->addr);
            hjs_close(c);
            return;
        }
        ssize_t n = recv(event_get_fd(c->read_ev), c->buf + c->len, room, MSG_DONTWAIT);
        if (n <= 0) {
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
                return;
            hjs_close(c); /* end of stream or a socket error */
            return;
        }
        c->len += (size_t)n;
        /* The frame clock starts with the first byte; its timer is set only when no good
         * frame was taken from this read (hjs_process sets it then): most reads hold one
         * whole frame, and setting and clearing the timer for each cost more than the
         * socket read. */
        int fresh = !c->bytes_since_ms;
        if (fresh)
            c->bytes_since_ms = timeutil_now_ms();
        int rc = hjs_process(c);
        if (rc < 0)
            return;
        if (fresh && !rc && c->bytes_since_ms)
            hjs_arm(c);
        if ((size_t)n < room)
            return; /* drained: the loop calls again when more arrives */
    }
}

static void hjs_sock_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    struct hjs_conn *c = arg;
    if (what & EV_TIMEOUT) { /* nothing read for idle_timeout */
        atomic_fetch_add(&c->s->st.timeouts, 1);
        hjs_close(c);
        return;
    }
    hjs_read(c);
}

/* Reading on (with the idle time-out, restarted by every read) or off. */
static void hjs_read_on(struct hjs_conn *c)
{
    struct timeval idle = {c->s->o.idle_timeout, 0};
    event_add(c->read_ev, &idle);
}

static void hjs_read_off(struct hjs_conn *c)
{
    event_del(c->read_ev);
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
    if (c->read_ev)
        event_free(c->read_ev);
    event_free(c->resume_ev);
    if (c->deadline_ev)
        event_free(c->deadline_ev);
    if (c->bev)
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
    if (hjs_guard_refused(s, addr)) { /* over a budget lately */
        atomic_fetch_add(&s->st.refused_addr, 1);
        atomic_fetch_add(&s->st.refused_conns, 1);
        evutil_closesocket(fd);
        return;
    }
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
    c->tokens_ms = c->accepted_ms = timeutil_now_ms();
    s->slots[c->slot] = c;
    c->bev = bufferevent_socket_new(s->base, fd, BEV_OPT_CLOSE_ON_FREE);
    c->read_ev = event_new(s->base, fd, EV_READ | EV_PERSIST, hjs_sock_cb, c);
    c->resume_ev = evtimer_new(s->base, hjs_resume_cb, c);
    c->deadline_ev = evtimer_new(s->base, hjs_deadline_cb, c);
    if (!c->bev || !c->read_ev || !c->resume_ev || !c->deadline_ev) {
        if (!c->bev)
            evutil_closesocket(fd);
        hjs_close(c);
        return;
    }
    /* the bufferevent writes the replies; the input is read by hjs_sock_cb, at most the
     * buffer's room (one frame's worth beyond a partial frame) at a time */
    bufferevent_setcb(c->bev, NULL, NULL, hjs_event_cb, c);
    hjs_arm(c);
    struct timeval wr = {30, 0};
    bufferevent_set_timeouts(c->bev, NULL, &wr);
    bufferevent_enable(c->bev, EV_WRITE);
    hjs_read_on(c);
    atomic_fetch_add(&s->st.accepted, 1);
    atomic_fetch_add(&s->st.open, 1);
}

/* ---- acks from the writer ---- */

void hj212_server_acked(struct hj212_server *s, struct hj212_ack *acks)
{
    pthread_mutex_lock(&s->ack_lock);
    struct hj212_ack **tail = &s->acks;
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
    struct hj212_ack *list = s->acks;
    s->acks = NULL;
    pthread_mutex_unlock(&s->ack_lock);
    while (list) {
        struct hj212_ack *next = list->next;
        uint32_t slot = (uint32_t)(list->conn_id & 0xFFFFFFFFu);
        struct hjs_conn *c = slot < (uint32_t)s->o.max_connections ? s->slots[slot] : NULL;
        if (c && c->id == list->conn_id) {
            if (list->len) { /* committed */
                hjs_send(c, list->bytes, list->len);
                atomic_fetch_add(&s->st.acks_sent, 1);
            }
            {
                c->pending--;
                if (c->paused && c->pending < HJS_MAX_PENDING / 2 &&
                    !evtimer_pending(c->resume_ev, NULL))
                    hjs_resume(c);
            }
        }
        free(list);
        list = next;
    }
}

void hjs_wake(struct hj212_server *s)
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
    hjs_cmd_take(s);
}

static void hjs_tick_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    struct hj212_server *s = arg;
    s->h.devices_refresh(s->h.ctx);
    hjs_cmd_tick(s);
    hjs_guard_tick(s);
}

/* The loop runs a turn (every ready socket, timer and wake-up), then pauses HJS_GATHER_NS
 * before it waits again, so the next turn finds many devices' frames ready at once. Waiting
 * at once woke the thread for every few frames (about 6,000 times a second at 33,000 frames
 * a second, each wake-up a context switch both for this thread and for the sender that woke
 * it); a frame or an ack now waits at most this long more. An idle listener still sleeps in
 * the kernel until something arrives. */
#define HJS_GATHER_NS 1000000L

static void *hjs_main(void *arg)
{
    struct hj212_server *s = arg;
    const struct timespec gather = {0, HJS_GATHER_NS};
    while (!atomic_load(&s->stopping)) {
        if (event_base_loop(s->base, EVLOOP_ONCE) != 0 || event_base_got_break(s->base))
            break;
        nanosleep(&gather, NULL);
    }
    return NULL;
}

struct hj212_server *hj212_server_start(const struct hj212_server_opts *o,
                                        const struct hj212_hooks *hooks, int *port)
{
    struct hj212_server *s = xcalloc(1, sizeof *s);
    s->o = *o;
    s->h = *hooks;
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
    if (s->o.hello_timeout <= 0)
        s->o.hello_timeout = 300;
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
    if (!s->base || !sslen) {
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
    if (s->h.open(s->h.ctx, s))
        goto fail;
    s->opened = 1;
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
    hjs_cmd_free_all(s); /* the relay may have queued requests already */
    if (s->opened)
        s->h.close(s->h.ctx);
    for (struct hj212_ack *a = s->acks, *next; a; a = next) {
        next = a->next;
        free(a);
    }
    if (s->lis)
        evconnlistener_free(s->lis);
    if (s->wake_ev)
        event_free(s->wake_ev);
    if (s->tick_ev)
        event_free(s->tick_ev);
    if (s->base)
        event_base_free(s->base);
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
    hjs_guard_tick(s); /* the last second's rejected-frame counts, while the writer runs */
    /* The writer commits what it holds; acks it hands back now are dropped below. */
    s->h.close(s->h.ctx);
    for (size_t i = 0; i < (size_t)s->o.max_connections; i++)
        if (s->slots[i])
            hjs_close(s->slots[i]);
    for (struct hj212_ack *a = s->acks, *next; a; a = next) {
        next = a->next;
        free(a);
    }
    hjs_cmd_free_all(s);
    hjs_guard_free(s);
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
    pthread_mutex_destroy(&s->ack_lock);
    pthread_mutex_destroy(&s->cmd_lock);
    free(s->slots), free(s->gens), free(s->free_slots), free(s->msg);
    free(s);
}

struct hj212_server *hj212_server_current(void)
{
    return hjs_current;
}

void *hj212_server_ctx(struct hj212_server *s)
{
    return s->h.ctx;
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
    o->over_budget = atomic_load(&s->st.over_budget);
    o->refused_addr = atomic_load(&s->st.refused_addr);
    o->unknown_dropped = atomic_load(&s->st.unknown_dropped);
}
