/* hj212_relay — the device-data background tasks that talk to the network on the listener's
 * behalf, on one thread with its own database connection:
 *
 * - forwarding (store-and-forward): frames the writer accepted are queued in `forward_queue`
 *   in the same transaction as their records; this thread sends them in queue order to every
 *   active `forward_targets` row over HJ 212, waits for the upstream's 9014 when the frame
 *   asks for one, and moves the target's `sent_id` forward only then. An upstream that is down
 *   loses nothing: the queue is replayed in order when it is back. Rows every active target
 *   has sent are deleted.
 *   Targets are rows of `forward_targets` (the option and the console create them); the list
 *   is re-read every few seconds and at once after hj212_relay_reload. The connection state of
 *   each target (connected, last error, last frame taken) lives here and is read by the API.
 * - gaps and back-fill: for every device seen recently, missing minute (2051) and hour (2061)
 *   records between the oldest and newest record of the look-back window are requested with
 *   BeginTime/EndTime through hj212_server_request (the listener tracks the 9011/9012 exchange
 *   by QN with time-outs and retries; the answer is stored marked back-filled). Rate-limited:
 *   one back-fill per device at a time, a few requests per sweep, the same range never asked
 *   twice within the look-back.
 * - clock synchronisation: every clock_check seconds each device heard from recently is asked
 *   its time (1011, a bounded number per sweep); the listener reports the measured skew when
 *   the exchange ends (hj212_relay_clock_event), the skew is stored on the device, and when it
 *   exceeds clock_tolerance and the device's clock_sync is on, a 1012 with the platform time
 *   follows (at most one per device per clock_check; a successful one is verified by asking
 *   again). Both requests are monitor_commands rows created by 'system'.
 *
 * Owns: the thread, its connection, the upstream sockets. Must not: write device records (the
 * writer does) or touch the listener's connections (requests go through hj212_server.h). */
#ifndef ECOGOV_HJ212_RELAY_H
#define ECOGOV_HJ212_RELAY_H

#include "net/hj212_server.h"

#include <stdint.h>

struct hj212_relay_opts {
    const char *db_path;
    const char *forward; /* "host:port[,host:port...]" registered as forward targets, or NULL */
    int gap_interval;    /* seconds between gap sweeps (0 = no automatic back-fill) */
    int gap_hours;       /* look-back of a sweep, hours */
    struct hj212_server *server; /* where back-fill requests are sent */
    int clock_check;             /* seconds between clock checks of a device (0 = off) */
    int clock_tolerance;         /* |skew| in seconds above which the clock is set (0 = 60) */
};

struct hj212_relay;

/* Registers the configured targets and starts the thread. NULL on failure (logged). */
struct hj212_relay *hj212_relay_start(const struct hj212_relay_opts *o);
/* Wakes the forwarder (new frames are queued). Thread-safe, cheap. */
void hj212_relay_kick(struct hj212_relay *r);
/* Stops the thread (an upstream exchange in progress is abandoned: its frames stay queued). */
void hj212_relay_stop(struct hj212_relay *r);

/* The relay of a listener started with ingest_listen (ingest_listen.c), for the API to read
 * target states and ask for a reload; NULL when s is NULL (the listener is disabled). */
struct hj212_relay *hj212_server_relay(struct hj212_server *s);

/* Re-reads forward_targets at once (after the console changed them). Thread-safe, cheap. */
void hj212_relay_reload(struct hj212_relay *r);

/* What the relay knows of one forward target. */
struct hj212_relay_target_state {
    int connected;         /* a connection to the upstream is open */
    int64_t last_ok;       /* when the upstream last took a frame (0 = not since start-up) */
    int64_t last_error_at; /* when the last failure happened (0 = none since start-up) */
    int64_t retry_at;      /* after a failure: not before this time */
    char last_error[160];  /* what failed: resolve, connect, send, no 9014, closed */
};
/* Copies the state of active target id into *out. 0, or -1 when the relay does not hold that
 * target (inactive, or not loaded yet). Thread-safe. */
int hj212_relay_target_state(struct hj212_relay *r, int64_t id,
                             struct hj212_relay_target_state *out);

/* Queues the result of a 1011/1012 exchange the listener reported (net/hj212_server.h) for
 * the relay thread (which stores the skew and decides on a
 * 1012). Thread-safe, never blocks on I/O; a full queue drops the event (logged). */
void hj212_relay_clock_event(struct hj212_relay *r, const struct hj212_clock_result *ev);

#endif
