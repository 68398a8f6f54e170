#include "core/problem.h"

#include <stdio.h>

enum err problem_vset(struct problem *p, enum err e, const char *field, const char *fmt,
                      va_list ap)
{
    p->err = e;
    p->field = field;
    vsnprintf(p->message, sizeof p->message, fmt, ap);
    return e;
}

enum err problem_set(struct problem *p, enum err e, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    problem_vset(p, e, field, fmt, ap);
    va_end(ap);
    return e;
}
