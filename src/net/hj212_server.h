/* hj212_server — the HJ 212 device listener: a libevent loop on its own thread accepting
 * long-lived TCP connections from data acquisition units, framing and parsing with the codec,
 * checking MN and password against the registered devices, normalising data records and
 * handing them to the application's writer; 9014 acknowledgements are sent only after the
 * writer has committed the record (hj212_server_acked).
 *
 * Owns: the listening socket, every device connection, the per-connection buffers (capped at
 * the frame limit), limits (connections in total and per address, idle, hello and frame
 * time-outs, a frame-rate bucket per connection, pending-ack and output caps, budgets of
 * rejected bytes and refusals per address and device, refused addresses), the counts of
 * rejected frames (aggregated, reported to the writer once a second, never one by one) and the
 * platform's requests to devices (commands, back-fill, clock checks) with their QN tracking;
 * the skew a device's 1011 answer shows is measured here and reported through the hooks.
 * Must not: touch the database or know the application: everything it needs from it (the
 * registered devices, the writer, clock results) goes through struct hj212_hooks, which the
 * monitor module fills (modules/monitor/ingest.h, ingest_listen). Never blocks the loop.
 * One bad connection only ever costs its own buffer: it is counted and closed. */
#ifndef ECOGOV_HJ212_SERVER_H
#define ECOGOV_HJ212_SERVER_H

#include "domain/hj212.h"

#include <stddef.h>
#include <stdint.h>

struct monitor_device_cfg;
struct monitor_row;

struct hj212_server_opts {
    const char *listen;     /* address to bind */
    int port;               /* 0 = pick a free port */
    size_t max_frame;       /* largest frame in bytes with CR LF (12..10011; 1036 strict) */
    int idle_timeout;       /* seconds without any byte before a connection is closed */
    int frame_timeout;      /* seconds a partial frame may take to complete */
    int max_connections;    /* in total */
    int per_ip_connections; /* per remote address (0 = no cap) */
    int rate;               /* frames per second per connection (burst: 2 s worth) */
    /* Budgets (0 = the default in brackets). A connection must complete its first good frame
     * within hello_timeout seconds of connecting [300]. Rejected bytes (bad CRC, bad length,
     * unparsable, junk) are charged to the sending address and, when it names a registered
     * device, to that device: reject_budget bytes a minute each [262144]; refusals (unknown
     * MN, bad password, inactive) to the address: unknown_budget a minute [30]. A connection
     * over a budget is answered as the protocol says, then closed, and its address is
     * refused for refuse_seconds [300]. */
    int hello_timeout;
    long reject_budget;
    int unknown_budget;
    int refuse_seconds;
};

struct hj212_server;

/* A registered device as the listener sees it. The pointers point into the application's
 * device snapshot and stay valid on the loop thread until the next devices_refresh. */
struct hj212_device {
    int64_t device_id, station_id;
    const char *mn, *pw;
    int active; /* device and station both active */
    const struct monitor_device_cfg *cfg;
};

/* Bytes to send on a connection once what they acknowledge is committed (a 9014). */
struct hj212_ack {
    struct hj212_ack *next;
    uint64_t conn_id;
    size_t len; /* 0 when handed back not committed: nothing is sent (the device resends) */
    char bytes[];
};

enum hj212_intake_kind {
    HJ212_INTAKE_DATA,         /* readings (maybe none: a heartbeat) + raw frame + counters */
    HJ212_INTAKE_FRAME,        /* a raw frame only (a reply, a rejected frame, a sent request) */
    HJ212_INTAKE_UNREGISTERED, /* a refused MN */
    HJ212_INTAKE_COMMAND,      /* a platform request's progress (status, return codes, frame) */
    HJ212_INTAKE_REJECTS,      /* rejected frames of one (device, address, reason) in aggregate */
};

/* One thing for the writer, described by the loop: every pointer is valid only during the
 * submit call (the hook copies what it keeps) except ack, whose ownership passes. */
struct hj212_intake {
    enum hj212_intake_kind kind;
    int64_t device_id, station_id; /* 0 = unknown */
    int64_t received;              /* UTC seconds */
    int cn;
    int out;                   /* frame direction: 1 = sent by the platform */
    struct hj212_str qn, mn;   /* raw bytes of the frame or the device (not NUL-terminated) */
    struct hj212_str pw, st;   /* UNREGISTERED: what the refused frame carried */
    const char *addr, *status; /* NUL-terminated; status e.g. "ok", "backfill"; REJECTS: the
                                  reason ("bad_crc", "bad_length", "bad_syntax", "junk" ...) */
    const struct monitor_row *rows;
    size_t nrows;
    const char *frame;
    size_t frame_len;
    int64_t command_id;    /* COMMAND: the platform request's id */
    int qn_rtn, exe_rtn;   /* COMMAND: return codes seen (-1 = none) */
    struct hj212_ack *ack; /* DATA: to hand back through hj212_server_acked (always) */
    /* REJECTS: frames (or junk runs) and bytes since the last report, the first one's time
     * (received = the last one's); frame = one sample of them (at most HJ212_REJECT_SAMPLE) */
    int64_t count, bytes, first;
};

/* Bytes of a rejected frame kept as its sample. */
#define HJ212_REJECT_SAMPLE 512

/* The end of a 1011 (time query) or 1012 (set time) exchange. */
struct hj212_clock_result {
    int64_t device_id;
    int cn;              /* 1011 or 1012 */
    int ok;              /* the device confirmed (9012 ExeRtn=1) */
    int measured;        /* 1011: the device sent its SystemTime */
    int64_t skew;        /* device time - server time, seconds (when measured) */
    int64_t measured_at; /* server time of the device's answer (when measured) */
};

/* What the listener needs from the application. Every hook but open and close runs on the
 * loop thread; none may block it. Called once per frame at most (never per value). */
struct hj212_hooks {
    void *ctx;
    /* Called by hj212_server_start once bound, before the loop runs: the application gets
     * its devices and its writer ready; the writer hands every ack back through
     * hj212_server_acked(s, ...) once its batch is committed or failed. 0, or -1 (the start
     * fails). */
    int (*open)(void *ctx, struct hj212_server *s);
    /* Called by hj212_server_stop once the loop has stopped: the writer commits what it holds
     * and stops (acks it hands back now are dropped). */
    void (*close)(void *ctx);
    /* Takes a newer device snapshot when the devices changed (cheap when they did not). */
    void (*devices_refresh)(void *ctx);
    /* The device with this MN (exact bytes) / this id: 0 and *out, or -1. */
    int (*device_find)(void *ctx, const char *mn, size_t len, struct hj212_device *out);
    int (*device_by_id)(void *ctx, int64_t id, struct hj212_device *out);
    /* Queues one thing for the writer. */
    void (*submit)(void *ctx, const struct hj212_intake *in);
    /* Rows queued and not yet committed (back-pressure). */
    size_t (*pending)(void *ctx);
    /* A clock exchange ended. */
    void (*clock)(void *ctx, const struct hj212_clock_result *r);
};

/* Binds, calls hooks->open, starts the loop thread. *port gets the bound port. NULL on
 * failure (logged). The hooks are copied. */
struct hj212_server *hj212_server_start(const struct hj212_server_opts *o,
                                        const struct hj212_hooks *hooks, int *port);
/* Stops accepting, stops the loop, calls hooks->close (the writer commits what it has; their
 * acks are dropped: the devices resend), closes connections, frees. */
void hj212_server_stop(struct hj212_server *s);

struct hj212_server_stats {
    uint64_t accepted, refused_conns, closed, frames_ok, frames_bad_crc, frames_rejected,
        unregistered, acks_sent, values, timeouts, flood_pauses, open,
        over_budget,     /* connections closed for a spent budget */
        refused_addr,    /* connections refused because their address was over a budget */
        unknown_dropped; /* refusals over an address's budget: counted, not listed */
};
void hj212_server_get_stats(struct hj212_server *s, struct hj212_server_stats *out);

/* Queues a platform request for a device (from any thread): the listener assigns nothing —
 * the caller built the frame with its QN (hj212_encode_*); command_id is the application's
 * id of the request, passed back with every step of it (HJ212_INTAKE_COMMAND).
 * Returns 0 when queued (the device may still be offline: the command then times out). */
int hj212_server_request(struct hj212_server *s, int64_t device_id, int64_t command_id,
                         const char *qn, int cn, const char *frame, size_t len);

/* The running server of this process (set by hj212_server_start), for the API; NULL when the
 * listener is disabled. */
struct hj212_server *hj212_server_current(void);

/* Hands acks (linked through next; ownership passes) back to the loop once the writer is done
 * with what they acknowledge: each committed one (len > 0) is sent on its connection if that
 * is still open; every one, sent or emptied, ends the connection's wait for it (a connection
 * with HJS_MAX_PENDING unanswered frames is not read). Thread-safe (the writer calls it). */
void hj212_server_acked(struct hj212_server *s, struct hj212_ack *acks);

/* The hooks' ctx of a server. */
void *hj212_server_ctx(struct hj212_server *s);

#endif
