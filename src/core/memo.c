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
static void memo_refill(struct memo *m, struct memo_entry *old, size_t cap)
{
    for (size_t i = 0; i < cap; i++)
        if (old[i].used) {
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
        memo_refill(m, old, cap);
        free(old);
    }
    struct memo_entry *e = memo_slot(m, a, b, text);
    if (!e->used) {
        memset(e, 0, sizeof *e);
        e->a = a;
        e->b = b;
        size_t n = strnlen(text, MEMO_TEXT - 1); /* cut as memo_same compares */
        memcpy(e->text, text, n);
        e->text[n] = '\0';
        e->used = 1;
        m->n++;
    }
    return e;
}

/* Removes the entry at slot i, moving later entries of its probe run back so every key
 * stays reachable from its home slot (backward-shift deletion: no tombstones). */
static void memo_remove_at(struct memo *m, size_t i)
{
    size_t mask = m->cap - 1;
    for (size_t j = (i + 1) & mask; m->slots[j].used; j = (j + 1) & mask) {
        const struct memo_entry *e = &m->slots[j];
        size_t home = memo_hash(e->a, e->b, e->text) & mask;
        /* e may move to i unless its home lies cyclically in (i, j] */
        int stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (!stays) {
            m->slots[i] = *e;
            i = j;
        }
    }
    memset(&m->slots[i], 0, sizeof m->slots[i]);
    m->n--;
}

void memo_filter(struct memo *m, int (*keep)(const struct memo_entry *e, void *arg), void *arg)
{
    size_t cap = m->cap;
    if (!cap)
        return;
    if (!keep) {
        memset(m->slots, 0, cap * sizeof *m->slots);
        m->n = 0;
        return;
    }
    /* In place: the writer filters a table of tens of thousands of entries every few hundred
     * milliseconds, and a fresh table each time cost a large calloc and free (page faults,
     * and TLB shoot-downs that stalled the other threads). Start after an empty slot so no
     * probe run wraps around the start: a removal only moves entries not yet looked at into
     * the current slot, which is then looked at again. */
    size_t start = 0;
    while (m->slots[start].used)
        start++;
    for (size_t k = 1; k <= cap; k++) {
        size_t i = (start + k) & (cap - 1);
        while (m->slots[i].used && !keep(&m->slots[i], arg))
            memo_remove_at(m, i);
    }
}

void memo_clear(struct memo *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->n = 0;
}
