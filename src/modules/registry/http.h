/* registry http — the registry's handlers, for its route table (module.c).
 * Private to the module. */
#ifndef ECOGOV_REGISTRY_HTTP_H
#define ECOGOV_REGISTRY_HTTP_H

#include "net/http.h"

void api_public_meta(struct http_req *r);
void api_areas_put(struct http_req *r);
void api_industries(struct http_req *r);
void api_uscc_check(struct http_req *r);
void api_enterprises_list(struct http_req *r);
void api_enterprises_get(struct http_req *r);
void api_enterprises_create(struct http_req *r);
void api_enterprises_update(struct http_req *r);
void api_enterprises_import(struct http_req *r);
void api_enterprises_export(struct http_req *r);

#endif
