/* problem — why a request was refused, as a module tells its caller: the
 * error (with its HTTP status and stable code, see err.h), the field it is
 * about, and a message for people (zh). Every module's validation fills one,
 * and http_problem() answers it. */
#ifndef ECOGOV_PROBLEM_H
#define ECOGOV_PROBLEM_H

#include "core/err.h"

#include <stdarg.h>

struct problem {
    enum err err;
    const char *field; /* static, or NULL */
    char message[256]; /* zh; may be empty for the table's default */
};

/* Fills p and returns e, so a refusal is one statement: `return problem_set(...)`. */
enum err problem_set(struct problem *p, enum err e, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
enum err problem_vset(struct problem *p, enum err e, const char *field, const char *fmt,
                      va_list ap) __attribute__((format(printf, 4, 0)));

#endif
