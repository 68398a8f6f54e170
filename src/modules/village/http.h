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

/* A link issued for the path id's owner ({base?} in the body), answered 200. */
typedef enum err village_link_fn(struct village_ctx *c, int64_t id, const char *base, json_t **out,
                                 struct problem *p);
void village_http_link(struct http_req *r, village_link_fn *issue);
/* The page of a link's ?token (404 for a bad one). */
typedef json_t *village_view_fn(struct village_ctx *c, const char *token, struct problem *p);
void village_http_token_view(struct http_req *r, village_view_fn *view);
/* A write through a link's ?token, answered 201 with the page as it now is. */
typedef enum err village_token_write_fn(struct village_ctx *c, const char *token, json_t *in,
                                        int64_t *id, struct problem *p);
void village_http_token_write(struct http_req *r, village_token_write_fn *write,
                              village_view_fn *view);

#endif
