/* admin http — the administration module's handlers, for its route table
 * (module.c). Private to the module. */
#ifndef ECOGOV_ADMIN_HTTP_H
#define ECOGOV_ADMIN_HTTP_H

#include "net/http.h"

void admin_http_users_list(struct http_req *r);
void admin_http_users_create(struct http_req *r);
void admin_http_users_update(struct http_req *r);
void admin_http_sections_list(struct http_req *r);
void admin_http_sections_create(struct http_req *r);
void admin_http_sections_update(struct http_req *r);
void admin_http_audit_list(struct http_req *r);
void admin_http_audit_verify(struct http_req *r);
void admin_http_calendar_get(struct http_req *r);
void admin_http_calendar_put(struct http_req *r);
void admin_http_calendar_add(struct http_req *r);
void admin_http_calendar_count(struct http_req *r);
void admin_http_calendar_status(struct http_req *r);

#endif
