/* supervision http.h — what the module's HTTP files share (private to
 * src/modules/supervision). */
#ifndef ECOGOV_SUPERVISION_HTTP_H
#define ECOGOV_SUPERVISION_HTTP_H

#include "net/http.h"

struct svc_ctx;

/* The service module's context for a request that stores or reads files
 * through its attachments: the worker's connection, the configuration,
 * the session's user as actor, the clock. */
void sup_http_svc_ctx(struct http_req *r, struct svc_ctx *sc);

#endif
