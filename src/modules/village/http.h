/* village http — what the module's route files share (module-private). */
#ifndef ECOGOV_VILLAGE_HTTP_H
#define ECOGOV_VILLAGE_HTTP_H

#include "modules/village/village.h"
#include "net/http.h"

/* The rule context of a request, with the server's calendar read-locked:
 * release with village_http_done. a NULL: the request's own actor. */
void village_http_ctx(struct http_req *r, struct village_ctx *c, const struct audit_actor *a);
void village_http_done(struct http_req *r);
/* ?year and ?month (default: this Beijing month). -1 when answered 422. */
int village_http_month(struct http_req *r, int *year, int *month);

#endif
