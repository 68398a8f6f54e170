/* hj212_relay — the device-data background tasks that talk to the network on the listener's
 * behalf, on one thread with its own database connection:
 *
 * - forwarding (store-and-forward): frames the writer accepted are queued in `forward_queue`
 *   in the same transaction as their records; this thread sends them in queue order to every
 *   active `forward_targets` row over HJ 212, waits for the upstream's 9014 when the frame
 *   asks for one, and moves the target's `sent_id` forward only then. An upstream that is down
 *   loses nothing: the queue is replayed in order when it is back. Rows every active target
 *   has sent are deleted.
 * - gaps and back-fill: for every device seen recently, missing minute (2051) and hour (2061)
 *   records between the oldest and newest record of the look-back window are requested with
 *   BeginTime/EndTime through hj212_server_request (the listener tracks the 9011/9012 exchange
 *   by QN with time-outs and retries; the answer is stored marked back-filled). Rate-limited:
 *   one back-fill per device at a time, a few requests per sweep, the same range never asked
 *   twice within the look-back.
 *
 * Owns: the thread, its connection, the upstream sockets. Must not: write device records (the
 * writer does) or touch the listener's connections (requests go through hj212_server.h). */
#ifndef ECOGOV_HJ212_RELAY_H
#define ECOGOV_HJ212_RELAY_H

#include <stdint.h>

struct hj212_server;

struct hj212_relay_opts {
    const char *db_path;
    const char *forward; /* "host:port[,host:port...]" registered as forward targets, or NULL */
    int gap_interval;    /* seconds between gap sweeps (0 = no automatic back-fill) */
    int gap_hours;       /* look-back of a sweep, hours */
    struct hj212_server *server; /* where back-fill requests are sent */
};

struct hj212_relay;

/* Registers the configured targets and starts the thread. NULL on failure (logged). */
struct hj212_relay *hj212_relay_start(const struct hj212_relay_opts *o);
/* Wakes the forwarder (new frames are queued). Thread-safe, cheap. */
void hj212_relay_kick(struct hj212_relay *r);
/* Stops the thread (an upstream exchange in progress is abandoned: its frames stay queued). */
void hj212_relay_stop(struct hj212_relay *r);

#endif
