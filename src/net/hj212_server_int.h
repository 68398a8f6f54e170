/* hj212_server_int — what the listener's files share (net/hj212_server.c: connections,
 * frames, acks; net/hj212_server_cmd.c: the platform's requests to devices and the clock).
 * Not for use outside net/hj212_server*.c. Everything here runs on the loop thread unless
 * said otherwise. */
#ifndef ECOGOV_HJ212_SERVER_INT_H
#define ECOGOV_HJ212_SERVER_INT_H

#include "domain/hj212.h"
#include "net/hj212_server.h"

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <pthread.h>
#include <stdatomic.h>

/* Pending acknowledgements a connection may have before it stops being read. */
#define HJS_MAX_PENDING 64
/* Rows waiting for the writer before every connection pauses (flood protection). */
#define HJS_MAX_QUEUED 400000
/* Bytes of garbage a connection may send without a good frame before it is closed. */
#define HJS_MAX_JUNK 65536
/* Output a device leaves unread before it is closed. */
#define HJS_MAX_OUTPUT 65536
#define HJS_ADDR_BUCKETS 4096

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
    struct hj212_hooks h; /* the application: devices, writer, clock results */
    int opened;           /* h.open succeeded: h.close is owed */
    struct hjs_conn **slots;
    uint32_t *gens;
    uint32_t *free_slots;
    size_t nfree;
    struct hjs_addr *addrs[HJS_ADDR_BUCKETS];
    struct hj212_msg *msg; /* one parse buffer: the loop is single-threaded */
    pthread_mutex_t ack_lock;
    struct hj212_ack *acks;
    pthread_mutex_t cmd_lock;
    struct hjs_cmd *incoming; /* queued by hj212_server_request */
    struct hjs_cmd *cmds;     /* in flight, loop thread only */
    int ncmds;                /* commands waiting or outstanding; under cmd_lock */
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

/* Queues bytes on a connection (closes one that does not read its replies). */
void hjs_send(struct hjs_conn *c, const char *bytes, size_t len);
/* Queues for the writer a frame to record only (and the device's counters). */
void hjs_record(struct hjs_conn *c, const struct hj212_device *d, const char *frame, size_t len,
                const char *status, int cn, struct hj212_str qn, int out);
/* Wakes the loop (any thread). */
void hjs_wake(struct hj212_server *s);

/* Takes the requests queued by other threads and sends them. */
void hjs_cmd_take(struct hj212_server *s);
/* The outstanding request of a device with this QN, or NULL. */
struct hjs_cmd *hjs_cmd_find(struct hj212_server *s, int64_t device_id, struct hj212_str qn);
/* 9011 / 9012 / a 1011 answer from a device: moves its request along. */
void hjs_cmd_reply(struct hjs_conn *c, const struct hj212_device *d, const struct hj212_msg *m,
                   const char *frame, size_t len);
/* Time-outs and retries of outstanding requests (once a second). */
void hjs_cmd_tick(struct hj212_server *s);
/* Frees every request, in flight or queued (at stop). */
void hjs_cmd_free_all(struct hj212_server *s);
/* The answer to a device's 1013 time-calibration request: 9013, then 1012 with our time. */
void hjs_time_calibration(struct hjs_conn *c, const struct hj212_device *d,
                          const struct hj212_msg *m);

#endif
