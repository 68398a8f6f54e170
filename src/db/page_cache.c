#include "db/page_cache.h"
#include "core/xalloc.h"
#include "db/db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct page_cache_entry {
    char *key;
    uint64_t hash; /* of key: most slots are told apart without a strcmp */
    int64_t version;
    char *body;
    size_t len;
    uint64_t used; /* clock of the last hit, for eviction */
};

struct page_cache {
    struct page_cache_entry slots[PAGE_CACHE_SLOTS];
    uint64_t clock;
};

static pthread_key_t page_cache_key;
static pthread_once_t page_cache_once = PTHREAD_ONCE_INIT;

static void page_cache_free(void *p)
{
    struct page_cache *c = p;
    for (size_t i = 0; c && i < PAGE_CACHE_SLOTS; i++) {
        free(c->slots[i].key);
        free(c->slots[i].body);
    }
    free(c);
}

static void page_cache_init(void)
{
    pthread_key_create(&page_cache_key, page_cache_free);
}

/* This thread's cache, freed by the key's destructor when the thread ends. */
static struct page_cache *page_cache_mine(void)
{
    pthread_once(&page_cache_once, page_cache_init);
    struct page_cache *c = pthread_getspecific(page_cache_key);
    if (!c) {
        c = xcalloc(1, sizeof *c);
        pthread_setspecific(page_cache_key, c);
    }
    return c;
}

/* FNV-1a over the key. */
static uint64_t page_cache_hash(const char *key)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 0x100000001b3u;
    return h;
}

int64_t page_cache_version(struct db *db, const char *name)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT v FROM data_versions WHERE name = ?");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    return v;
}

bool page_cache_get(const char *key, int64_t version, struct buf *out)
{
    struct page_cache *c = page_cache_mine();
    uint64_t hash = page_cache_hash(key);
    for (size_t i = 0; i < PAGE_CACHE_SLOTS; i++) {
        struct page_cache_entry *e = &c->slots[i];
        if (e->key && e->hash == hash && e->version == version && !strcmp(e->key, key)) {
            e->used = ++c->clock;
            return buf_append(out, e->body, e->len) == 0;
        }
    }
    return false;
}

void page_cache_put(const char *key, int64_t version, const char *body, size_t len)
{
    if (version < 0 || len > PAGE_CACHE_MAX_BYTES)
        return;
    struct page_cache *c = page_cache_mine();
    struct page_cache_entry *victim = &c->slots[0];
    uint64_t hash = page_cache_hash(key);
    for (size_t i = 0; i < PAGE_CACHE_SLOTS; i++) {
        struct page_cache_entry *e = &c->slots[i];
        if (e->key && e->hash == hash && !strcmp(e->key, key)) {
            victim = e; /* an older version of the same page */
            break;
        }
        if (!e->key || e->used < victim->used)
            victim = e;
    }
    free(victim->key);
    free(victim->body);
    victim->key = xstrdup(key);
    victim->hash = hash;
    victim->body = xmalloc(len);
    memcpy(victim->body, body, len);
    victim->len = len;
    victim->version = version;
    victim->used = ++c->clock;
}
