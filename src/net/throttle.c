#include "net/throttle.h"
#include "core/xalloc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THROTTLE_SLOTS 4096

struct throttle_slot {
    char key[96];
    int failures;
    int64_t first; /* start of the window */
    int64_t last;
};

struct throttle {
    pthread_mutex_t lock;
    int64_t window;
    struct throttle_slot slots[THROTTLE_SLOTS];
};

struct throttle *throttle_new(int64_t window_seconds)
{
    struct throttle *t = xcalloc(1, sizeof *t);
    pthread_mutex_init(&t->lock, NULL);
    t->window = window_seconds;
    return t;
}

void throttle_free(struct throttle *t)
{
    if (!t)
        return;
    pthread_mutex_destroy(&t->lock);
    free(t);
}

static uint32_t throttle_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The slot for key: its own, or (create) the stalest of a small probe run. */
static struct throttle_slot *throttle_slot(struct throttle *t, const char *key, int create)
{
    uint32_t h = throttle_hash(key);
    struct throttle_slot *victim = NULL;
    for (uint32_t i = 0; i < 8; i++) {
        struct throttle_slot *s = &t->slots[(h + i) % THROTTLE_SLOTS];
        if (!strncmp(s->key, key, sizeof s->key - 1))
            return s;
        if (!victim || s->last < victim->last)
            victim = s;
    }
    if (!create)
        return NULL;
    memset(victim, 0, sizeof *victim);
    snprintf(victim->key, sizeof victim->key, "%s", key);
    return victim;
}

int64_t throttle_wait(struct throttle *t, const char *key, int max_failures, int64_t now)
{
    pthread_mutex_lock(&t->lock);
    struct throttle_slot *s = throttle_slot(t, key, 0);
    int64_t wait = 0;
    if (s && s->failures >= max_failures && now - s->first < t->window)
        wait = t->window - (now - s->first);
    pthread_mutex_unlock(&t->lock);
    return wait;
}

void throttle_fail(struct throttle *t, const char *key, int64_t now)
{
    pthread_mutex_lock(&t->lock);
    struct throttle_slot *s = throttle_slot(t, key, 1);
    if (now - s->first >= t->window) {
        s->failures = 0;
        s->first = now;
    }
    s->failures++;
    s->last = now;
    pthread_mutex_unlock(&t->lock);
}

void throttle_reset(struct throttle *t, const char *key)
{
    pthread_mutex_lock(&t->lock);
    struct throttle_slot *s = throttle_slot(t, key, 0);
    if (s)
        memset(s, 0, sizeof *s);
    pthread_mutex_unlock(&t->lock);
}
