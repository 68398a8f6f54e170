/* memo — an in-memory table from a key of two integers and a short text to an integer or a
 * pointer: the caches a writer keeps between batches (what it knows to be stored, where a
 * staged row is, which rollup it is adding to). Open addressing with linear probing; cleared
 * or rebuilt wholesale, never shrunk entry by entry.
 *
 * Owns: its slots (not what ptr points to). Must not: know what the keys mean. */
#ifndef ECOGOV_MEMO_H
#define ECOGOV_MEMO_H

#include <stddef.h>
#include <stdint.h>

#define MEMO_TEXT 24 /* longest text key with its NUL (a factor code) */

struct memo_entry {
    int64_t a, b;
    char text[MEMO_TEXT];
    int64_t value;
    void *ptr;
    int used;
};

struct memo {
    struct memo_entry *slots;
    size_t cap, n;
};

/* The entry of (a, b, text), or NULL. text NULL = "". A text longer than MEMO_TEXT - 1 is
 * compared on its first MEMO_TEXT - 1 bytes. */
struct memo_entry *memo_get(const struct memo *m, int64_t a, int64_t b, const char *text);
/* The entry of (a, b, text), added (value 0, ptr NULL) when absent. Aborts on OOM. */
struct memo_entry *memo_put(struct memo *m, int64_t a, int64_t b, const char *text);
/* Keeps the entries keep(entry, arg) says 1 to; keep NULL drops them all. */
void memo_filter(struct memo *m, int (*keep)(const struct memo_entry *e, void *arg), void *arg);
/* Frees the slots; m is empty and usable again. */
void memo_clear(struct memo *m);

#endif
