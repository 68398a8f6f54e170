/* page_cache — a small per-thread cache of encoded API replies, valid for one
 * version of the data they were built from.
 *
 * Versions come from the data_versions table, which triggers bump on every
 * change to the tables a reply reads (whoever writes: the server, a tool, a
 * second process), so a cached reply is never stale: a reader checks the
 * version (one indexed read) and uses the bytes only when it matches.
 * Per thread, so lookups take no lock; bounded to PAGE_CACHE_SLOTS replies of
 * at most PAGE_CACHE_MAX_BYTES each per thread, freed when the thread ends. */
#ifndef ECOGOV_PAGE_CACHE_H
#define ECOGOV_PAGE_CACHE_H

#include "core/buf.h"

#include <stdbool.h>
#include <stdint.h>

#define PAGE_CACHE_SLOTS 64
#define PAGE_CACHE_MAX_BYTES (256 * 1024)

struct db;

/* The current version of a data set (e.g. "enterprises"); -1 on error. */
int64_t page_cache_version(struct db *db, const char *name);
/* Appends the cached reply for key at version to out; false on a miss. */
bool page_cache_get(const char *key, int64_t version, struct buf *out);
/* Remembers a reply (copied) for key at version, evicting the oldest. */
void page_cache_put(const char *key, int64_t version, const char *body, size_t len);

#endif
