/* quality http — what the quality module's route files (http*.c) share
 * beyond app/kit.h. Must not be used by other modules. */
#ifndef ECOGOV_QUALITY_HTTP_H
#define ECOGOV_QUALITY_HTTP_H

#include "core/problem.h"
#include "db/audit.h"
#include "net/http.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* Access-Control-Allow-Origin: * (the public GET routes; no cookies are
 * read there). */
void quality_http_cors(struct http_req *r);

/* A rule function of rules.h that takes a body and no path id. */
typedef enum err (*quality_body_rule)(struct db *db, const struct audit_actor *actor, json_t *in,
                                      struct problem *p, json_t **out);
/* The route of such a rule: body -> fn -> answer (kit_write_begin/end);
 * created: 201 (a new record), else 200. */
void quality_http_write(struct http_req *r, quality_body_rule fn, bool created);

#endif
