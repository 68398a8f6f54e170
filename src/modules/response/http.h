/* response http — what the module's route files share. */
#ifndef ECOGOV_RESPONSE_HTTP_H
#define ECOGOV_RESPONSE_HTTP_H

#include "modules/response/response.h"
#include "net/http.h"

typedef enum err resp_write_fn(struct resp_ctx *c, int64_t id, json_t *in, json_t **out,
                               struct problem *p);
typedef enum err resp_delete_fn(struct resp_ctx *c, int64_t id, json_t **out, struct problem *p);

/* A write: path id (KIT_PATH_ID) or none, the body, the rule, the answer
 * (201 + Location when created). */
void resp_write(struct http_req *r, int path, bool created, resp_write_fn *rule);
/* A delete by path id (no body). */
void resp_delete(struct http_req *r, resp_delete_fn *rule);
/* The rule context of a request. */
void resp_ctx_init(struct resp_ctx *c, struct http_req *r, const struct audit_actor *a);
/* A CSV upload: the Content-Type checked (415), the import run, errors by
 * line (422) or its summary. */
typedef enum err resp_import_fn(struct resp_ctx *c, const char *csv, size_t len, json_t **out,
                                struct problem *p);
void resp_import(struct http_req *r, resp_import_fn *rule);
/* The same without the CSV content-type check: runs rule on the body and
 * answers (its import errors as a 422 with the list). */
void resp_import_body(struct http_req *r, resp_import_fn *rule);

#endif
