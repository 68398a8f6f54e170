/* hj212_server_int — what the listener's files share (net/hj212_server.c: connections,
 * frames, acks; net/hj212_server_cmd.c: the platform's requests to devices and the clock;
 * net/hj212_server_guard.c: budgets and the aggregates of rejected frames).
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
/* Addresses and devices with a budget account (only those that sent something rejected). */
#define HJS_GUARD_MAX 8192
/* (device, address, reason) keys aggregated between two reports to the writer (a second). */
#define HJS_REJECT_KEYS 1024
/* Distinct keys an hour may have (so frame_rejects rows an hour), whatever the number of
 * sending addresses; beyond them the rest of the hour is counted under address "*". */
#define HJS_REJECT_HOUR_KEYS 1024

struct hjs_addr {
    struct hjs_addr *next;
    char addr[48];
    int count;
};

struct hjs_conn;

/* The budget account of an address or device (key "a:<addr>" / "d:<id>"). */
struct hjs_guard {
    struct hjs_guard *next;
    char key[56];
    double reject_tokens, unknown_tokens; /* refill to the budget over a minute */
    int64_t refill_ms, banned_until_ms;
    char good_addr[48]; /* a device's: where it last sent a good frame (spared by its budget) */
};

/* Rejected frames of one (device, address, reason) since the last report. */
struct hjs_reject {
    int used;
    int64_t device_id, station_id;
    char addr[48], mn[65];
    const char *reason; /* a static string */
    int64_t count, bytes, first, last;
    size_t sample_len;
    char sample[HJ212_REJECT_SAMPLE];
};

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
    struct hjs_guard *guards[HJS_ADDR_BUCKETS];
    size_t nguards;
    struct hjs_reject *rejects; /* HJS_REJECT_KEYS */
    size_t nrejects;
    uint64_t *reject_seen; /* the hour's distinct keys (hashes; 2 x HJS_REJECT_HOUR_KEYS) */
    size_t nreject_seen;
    int64_t reject_hour;
    struct hj212_msg *msg; /* one parse buffer: the loop is single-threaded */
    pthread_mutex_t ack_lock;
    struct hj212_ack *acks;
    pthread_mutex_t cmd_lock;
    struct hjs_cmd *incoming; /* queued by hj212_server_request */
    struct hjs_cmd *cmds;     /* in flight, loop thread only */
    int ncmds;                /* commands waiting or outstanding; under cmd_lock */
    struct {
        _Atomic uint64_t accepted, refused_conns, closed, frames_ok, frames_bad_crc,
            frames_rejected, unregistered, acks_sent, values, timeouts, flood_pauses, open,
            over_budget, refused_addr, unknown_dropped;
    } st;
};

struct hjs_conn {
    struct hj212_server *s;
    struct bufferevent *bev; /* the replies (output) only */
    struct event *read_ev;   /* the socket's input, read by hjs_sock_cb (idle time-out) */
    uint32_t slot;
    uint64_t id;
    char addr[48];
    int64_t device_id; /* last authenticated device on this connection */
    int pending;       /* acks waiting for the writer */
    int paused;        /* reading stopped (pending, rate, queue) */
    int closing;
    int doomed;    /* to be closed from the loop at the next safe point (never while in use) */
    int got_frame; /* a good frame came: the hello time-out is over */
    struct event *resume_ev;
    struct event *deadline_ev; /* hello and frame time-outs (hjs_arm) */
    double tokens;
    int64_t tokens_ms;
    int64_t accepted_ms;
    int64_t bytes_since_ms; /* first byte after the last good frame (0 = none since) */
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

/* ---- budgets and rejected frames (net/hj212_server_guard.c) ---- */

/* 1 when addr is refused for now (over a budget lately). */
int hjs_guard_refused(struct hj212_server *s, const char *addr);
/* Charges len rejected bytes to addr and (device_id > 0) to the device. 0 within both
 * budgets; 1 when addr is over its own, or the device over its budget and addr is not where
 * the device last sent a good frame (addr is then refused for refuse_seconds); 2 when the
 * device is over its budget from its own address (the connection is closed, the address not
 * refused). */
int hjs_guard_reject(struct hj212_server *s, const char *addr, int64_t device_id, size_t len);
/* A good frame of device_id came from addr: remembered when the device has an account (it
 * was named by rejected frames), so its budget never refuses the device's own address. */
void hjs_guard_good(struct hj212_server *s, const char *addr, int64_t device_id);
/* Charges one refusal (unknown MN, bad password, inactive) to addr; 1 when over the budget
 * (addr is then refused). */
int hjs_guard_unknown(struct hj212_server *s, const char *addr);
/* Adds a rejected frame (or a run of junk) to its (device, address, reason) aggregate;
 * d may be NULL. reason must be a static string. */
void hjs_reject_note(struct hj212_server *s, const char *addr, const struct hj212_device *d,
                     const char *reason, const char *bytes, size_t len);
/* Once a second: reports the aggregates to the writer, forgets accounts that are full again
 * and not refused. */
void hjs_guard_tick(struct hj212_server *s);
/* Frees every account and aggregate (at stop). */
void hjs_guard_free(struct hj212_server *s);

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
