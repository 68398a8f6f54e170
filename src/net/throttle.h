/* throttle — counts failed logins per key (account, address) in a sliding
 * window and says when a key is locked out.
 *
 * Owns: a fixed-size table guarded by a mutex; the oldest entries are reused
 * when it is full, so an attacker cannot grow memory. In-process by design:
 * one ecogov serves one bureau. */
#ifndef ECOGOV_THROTTLE_H
#define ECOGOV_THROTTLE_H

#include <stdint.h>

struct throttle;

/* A key's allowance is given per call, so one table serves keys of different
 * kinds (an account, an address). */
struct throttle *throttle_new(int64_t window_seconds);
void throttle_free(struct throttle *t);
/* Seconds until key may try again (0 = allowed now). */
int64_t throttle_wait(struct throttle *t, const char *key, int max_failures, int64_t now);
void throttle_fail(struct throttle *t, const char *key, int64_t now);
void throttle_reset(struct throttle *t, const char *key);

#endif
