#include "core/memo.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t memo_hash(int64_t a, int64_t b, const char *text)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)a * 0x9E3779B97F4A7C15ULL;
    h = (h ^ (uint64_t)b) * 1099511628211ULL;
    for (size_t i = 0; text[i] && i < MEMO_TEXT - 1; i++)
        h = (h ^ (unsigned char)text[i]) * 1099511628211ULL;
    return h ^ h >> 29;
}

static int memo_same(const struct memo_entry *e, int64_t a, int64_t b, const char *text)
{
    return e->a == a && e->b == b && !strncmp(e->text, text, MEMO_TEXT - 1);
}

/* The slot of the key, or the empty slot where it belongs (cap > 0, never full). */
static struct memo_entry *memo_slot(const struct memo *m, int64_t a, int64_t b, const char *text)
{
    size_t i = memo_hash(a, b, text) & (m->cap - 1);
    while (m->slots[i].used && !memo_same(&m->slots[i], a, b, text))
        i = (i + 1) & (m->cap - 1);
    return &m->slots[i];
}

struct memo_entry *memo_get(const struct memo *m, int64_t a, int64_t b, const char *text)
{
    if (!m->cap)
        return NULL;
    struct memo_entry *e = memo_slot(m, a, b, text ? text : "");
    return e->used ? e : NULL;
}

/* Moves every used entry of old[0..cap) into m (sized for them). */
static void memo_refill(struct memo *m, struct memo_entry *old, size_t cap,
                        int (*keep)(const struct memo_entry *, void *), void *arg)
{
    for (size_t i = 0; i < cap; i++)
        if (old[i].used && (!keep || keep(&old[i], arg))) {
            *memo_slot(m, old[i].a, old[i].b, old[i].text) = old[i];
            m->n++;
        }
}

struct memo_entry *memo_put(struct memo *m, int64_t a, int64_t b, const char *text)
{
    text = text ? text : "";
    if ((m->n + 1) * 2 > m->cap) {
        struct memo_entry *old = m->slots;
        size_t cap = m->cap;
        m->cap = cap ? cap * 2 : 1024;
        m->slots = xcalloc(m->cap, sizeof *m->slots);
        m->n = 0;
        memo_refill(m, old, cap, NULL, NULL);
        free(old);
    }
    struct memo_entry *e = memo_slot(m, a, b, text);
    if (!e->used) {
        memset(e, 0, sizeof *e);
        e->a = a;
        e->b = b;
        snprintf(e->text, sizeof e->text, "%s", text);
        e->used = 1;
        m->n++;
    }
    return e;
}

void memo_filter(struct memo *m, int (*keep)(const struct memo_entry *e, void *arg), void *arg)
{
    struct memo_entry *old = m->slots;
    size_t cap = m->cap;
    m->n = 0;
    if (!cap)
        return;
    if (!keep) {
        memset(old, 0, cap * sizeof *old);
        return;
    }
    m->slots = xcalloc(cap, sizeof *m->slots);
    memo_refill(m, old, cap, keep, arg);
    free(old);
}

void memo_clear(struct memo *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->n = 0;
}
