#include "net/ratelimit.h"
#include "core/xalloc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATELIMIT_SLOTS 4096
#define RATELIMIT_PROBE 8

/* Tokens are counted in thousandths so refill needs no floating point. */
struct ratelimit_slot {
    char key[64];
    int64_t milli_tokens;
    int64_t at_ms; /* when milli_tokens was last brought up to date */
};

struct ratelimit {
    pthread_mutex_t lock;
    int64_t burst_milli;
    int64_t per_minute;
    struct ratelimit_slot slots[RATELIMIT_SLOTS];
};

struct ratelimit *ratelimit_new(int burst, int per_minute)
{
    struct ratelimit *rl = xcalloc(1, sizeof *rl);
    pthread_mutex_init(&rl->lock, NULL);
    rl->burst_milli = (int64_t)(burst > 0 ? burst : 1) * 1000;
    rl->per_minute = per_minute > 0 ? per_minute : 1;
    return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
    if (!rl)
        return;
    pthread_mutex_destroy(&rl->lock);
    free(rl);
}

static uint32_t ratelimit_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static struct ratelimit_slot *ratelimit_slot(struct ratelimit *rl, const char *key, int64_t now)
{
    uint32_t h = ratelimit_hash(key);
    struct ratelimit_slot *victim = NULL;
    for (uint32_t i = 0; i < RATELIMIT_PROBE; i++) {
        struct ratelimit_slot *s = &rl->slots[(h + i) % RATELIMIT_SLOTS];
        if (s->key[0] && !strncmp(s->key, key, sizeof s->key - 1))
            return s;
        if (!victim || s->at_ms < victim->at_ms)
            victim = s;
    }
    snprintf(victim->key, sizeof victim->key, "%s", key);
    victim->milli_tokens = rl->burst_milli;
    victim->at_ms = now;
    return victim;
}

int64_t ratelimit_take(struct ratelimit *rl, const char *key, int64_t now_ms)
{
    pthread_mutex_lock(&rl->lock);
    struct ratelimit_slot *s = ratelimit_slot(rl, key, now_ms);
    int64_t elapsed = now_ms > s->at_ms ? now_ms - s->at_ms : 0;
    /* per_minute tokens per 60000 ms = per_minute thousandths per 60 ms; only
     * the milliseconds turned into tokens are used up, so frequent calls do
     * not lose the fractions. */
    int64_t gained = elapsed * rl->per_minute / 60;
    s->milli_tokens += gained;
    s->at_ms += gained * 60 / rl->per_minute;
    if (s->milli_tokens >= rl->burst_milli) {
        s->milli_tokens = rl->burst_milli;
        s->at_ms = now_ms;
    }
    int64_t wait = 0;
    if (s->milli_tokens >= 1000) {
        s->milli_tokens -= 1000;
    } else {
        int64_t missing_ms = (1000 - s->milli_tokens) * 60 / rl->per_minute;
        wait = (missing_ms + 999) / 1000;
        if (wait < 1)
            wait = 1;
    }
    pthread_mutex_unlock(&rl->lock);
    return wait;
}
