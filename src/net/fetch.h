/* fetch — one bounded HTTP(S) GET with libcurl, for pulling feeds from other
 * servers (the regional consultation's neighbours).
 *
 * Owns: the limits every outgoing request keeps — http and https only, at
 * most 3 redirects within those, a total timeout, a cap on the body (the
 * transfer is aborted beyond it). Must not: know what it fetches. */
#ifndef ECOGOV_FETCH_H
#define ECOGOV_FETCH_H

#include <stddef.h>

#include "core/buf.h"

/* GETs url into out (appended; at most max_bytes). Returns 0 with *status
 * the HTTP status, or -1 with a reason in err (connection, timeout, too
 * large, bad URL). */
int fetch_get(const char *url, size_t max_bytes, long timeout_seconds, struct buf *out,
              long *status, char *err, size_t errlen);

#endif
