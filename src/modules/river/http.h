/* river http — what the river module's route files share (module-private). */
#ifndef ECOGOV_RIVER_HTTP_H
#define ECOGOV_RIVER_HTTP_H

#include "net/http.h"

struct river_ctx;

/* The rule context of a request: the session's user (or the public), the
 * clock, the calendar (read-locked until river_end) and the chief scope. */
void river_begin(struct http_req *r, struct river_ctx *c);
void river_end(struct http_req *r);

#endif
