/* ratelimit — a token bucket per key (a client address): `burst` requests at
 * once, then `per_minute` more each minute. Used for anonymous writes
 * (bookings, service forms, attachments through a form link).
 *
 * Owns: a fixed-size table guarded by a mutex; when it is full the stalest of
 * a short probe run is reused, so a flood of addresses cannot grow memory (a
 * reused slot starts with a full bucket: forgetting errs towards letting a
 * citizen through). In-process by design, like net/throttle. */
#ifndef ECOGOV_RATELIMIT_H
#define ECOGOV_RATELIMIT_H

#include <stdint.h>

struct ratelimit;

struct ratelimit *ratelimit_new(int burst, int per_minute);
void ratelimit_free(struct ratelimit *rl);
/* Takes one token for key at now_ms (milliseconds, any monotonic origin).
 * Returns 0 when allowed, else the whole seconds until a token is free (>= 1);
 * a refused request takes nothing. */
int64_t ratelimit_take(struct ratelimit *rl, const char *key, int64_t now_ms);

#endif
