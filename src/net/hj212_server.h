/* hj212_server — the HJ 212 device listener: a libevent loop on its own thread accepting
 * long-lived TCP connections from data acquisition units, framing and parsing with the codec,
 * checking MN and password against the registered devices, normalising data records and
 * handing them to the ingest writer; 9014 acknowledgements are sent only after the writer
 * has committed the record.
 *
 * Owns: the listening socket, every device connection, the per-connection buffers (capped at
 * the frame limit), limits (connections in total and per address, idle and partial-frame
 * time-outs, a frame-rate bucket per connection, pending-ack and output caps) and the
 * platform's requests to devices (commands, back-fill, clock checks) with their QN tracking;
 * the skew a device's 1011 answer shows is measured here and reported to the relay.
 * Must not: write to the database itself (the writer does, store/ingest.h) or block the loop.
 * One bad connection only ever costs its own buffer: it is counted and closed. */
#ifndef ECOGOV_HJ212_SERVER_H
#define ECOGOV_HJ212_SERVER_H

#include <stddef.h>
#include <stdint.h>

struct hj212_server_opts {
    const char *listen;       /* address to bind */
    int port;                 /* 0 = pick a free port */
    const char *db_path;      /* database (devices are read from it, the writer writes it) */
    size_t max_frame;         /* largest frame in bytes with CR LF (12..10011; 1036 strict) */
    int idle_timeout;         /* seconds without any byte before a connection is closed */
    int frame_timeout;        /* seconds a partial frame may take to complete */
    int max_connections;      /* in total */
    int per_ip_connections;   /* per remote address (0 = no cap) */
    int rate;                 /* frames per second per connection (burst: 2 s worth) */
    int raw_days;             /* raw-frame retention (0 = none kept) */
    int batch_rows, batch_ms; /* writer batching */
    const char *forward;      /* upstream platforms "host:port,..." (NULL = none configured) */
    int gap_interval;         /* seconds between automatic back-fill sweeps (0 = off) */
    int gap_hours;            /* look-back of a sweep (0 = 24) */
    int clock_check;          /* seconds between clock checks of a device (0 = off) */
    int clock_tolerance;      /* skew in seconds above which a device's clock is set (0 = 60) */
};

struct hj212_server;

/* Opens the writer, binds, starts the loop thread. *port gets the bound port. NULL on
 * failure (logged). */
struct hj212_server *hj212_server_start(const struct hj212_server_opts *o, int *port);
/* Stops accepting, closes connections, lets the writer commit what it has (their acks are
 * dropped: the devices resend), joins the threads, frees. */
void hj212_server_stop(struct hj212_server *s);

struct hj212_server_stats {
    uint64_t accepted, refused_conns, closed, frames_ok, frames_bad_crc, frames_rejected,
        unregistered, acks_sent, values, timeouts, flood_pauses, open;
};
void hj212_server_get_stats(struct hj212_server *s, struct hj212_server_stats *out);

/* Queues a platform request for a device (from any thread): the listener assigns nothing —
 * the caller built the frame with its QN (hj212_encode_*); command_id identifies the row in
 * monitor_commands whose status and exchange the listener updates through the writer.
 * Returns 0 when queued (the device may still be offline: the command then times out). */
int hj212_server_request(struct hj212_server *s, int64_t device_id, int64_t command_id,
                         const char *qn, int cn, const char *frame, size_t len);

/* The running server of this process (set by hj212_server_start), for the API; NULL when the
 * listener is disabled. */
struct hj212_server *hj212_server_current(void);

/* The server's relay (forwarding, back-fill, clock checks: net/hj212_relay.h), for the API to
 * read target states and ask for a reload; NULL when s is NULL. */
struct hj212_relay *hj212_server_relay(struct hj212_server *s);

#endif
