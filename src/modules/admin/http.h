/* admin http — the administration module's handlers, for its route table
 * (module.c). Private to the module. */
#ifndef ECOGOV_ADMIN_HTTP_H
#define ECOGOV_ADMIN_HTTP_H

#include "net/http.h"

void api_users_list(struct http_req *r);
void api_users_create(struct http_req *r);
void api_users_update(struct http_req *r);
void api_sections_list(struct http_req *r);
void api_sections_create(struct http_req *r);
void api_sections_update(struct http_req *r);
void api_audit_list(struct http_req *r);
void api_audit_verify(struct http_req *r);
void api_calendar_get(struct http_req *r);
void api_calendar_put(struct http_req *r);
void api_calendar_add(struct http_req *r);
void api_calendar_count(struct http_req *r);

#endif
