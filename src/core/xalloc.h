/* xalloc — allocation wrappers that abort on out-of-memory.
 *
 * Owns: nothing but the policy. Error paths elsewhere stay honest because an
 * allocation never returns NULL (as in redis zmalloc, kore). Free with free(). */
#ifndef ECOGOV_XALLOC_H
#define ECOGOV_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* Copies n bytes of s and a terminating NUL. */
char *xstrndup(const char *s, size_t n);

#endif
