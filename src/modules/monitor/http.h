/* monitor http — what the module's handler files share: the handlers of http_commands.c and
 * http_forward.c for the route table (http.c), and the station reader every station route
 * uses. Private to the module. */
#ifndef ECOGOV_MONITOR_HTTP_H
#define ECOGOV_MONITOR_HTTP_H

#include "net/http.h"

#include <stdint.h>

/* The caller's enterprise when it is an enterprise user (it sees only its own stations),
 * else 0. */
int64_t monitor_http_enterprise(struct http_req *r);
/* The station of path parameter 0 when the caller may see it; 0 when not (answered 404). */
int64_t monitor_http_station(struct http_req *r);

void api_monitor_commands(struct http_req *r);
void api_monitor_command_create(struct http_req *r);

void api_monitor_forward_list(struct http_req *r);
void api_monitor_forward_create(struct http_req *r);
void api_monitor_forward_update(struct http_req *r);
void api_monitor_forward_delete(struct http_req *r);

#endif
