/* registry http — the registry's handlers, for its route table (module.c).
 * Private to the module. */
#ifndef ECOGOV_REGISTRY_HTTP_H
#define ECOGOV_REGISTRY_HTTP_H

#include "net/http.h"

void registry_http_meta(struct http_req *r);
void registry_http_areas_put(struct http_req *r);
void registry_http_industries(struct http_req *r);
void registry_http_uscc_check(struct http_req *r);
void registry_http_list(struct http_req *r);
void registry_http_get(struct http_req *r);
void registry_http_create(struct http_req *r);
void registry_http_update(struct http_req *r);
void registry_http_import(struct http_req *r);
/* The import as a job: 201 with the job, Location /api/v1/jobs/{id}. */
void registry_http_import_job(struct http_req *r);
void registry_http_export(struct http_req *r);

#endif
