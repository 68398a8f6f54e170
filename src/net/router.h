/* router — matches a method and path against a route table.
 *
 * Patterns are literal segments and `{name}` captures, e.g.
 * "/api/v1/enterprises/{id}". Owns nothing; the tables belong to the modules
 * (each module's http.c, listed through app/modules.c). */
#ifndef ECOGOV_ROUTER_H
#define ECOGOV_ROUTER_H

#include "net/http.h"

#include <stdbool.h>

enum route_flags {
    ROUTE_NO_CSRF = 1, /* a write that needs no CSRF token (login: there is no session yet) */
    /* The body is a file (attachment, CSV or GeoJSON import), not a JSON
     * object: up to max_upload bytes instead of max_body, and not parsed. */
    ROUTE_UPLOAD = 2,
    /* An anonymous write with a limiter of its own (login's failure
     * throttle), so not counted against public_write_* as well. */
    ROUTE_OWN_THROTTLE = 4,
};

struct route {
    enum http_method method;
    const char *pattern;
    void (*handler)(struct http_req *r);
    unsigned roles; /* ROLE_BIT()s allowed */
    unsigned flags;
};

/* A named table of routes; a module lists its groups in its descriptor. */
struct route_group {
    const char *name;
    const struct route *routes;
    size_t count;
};

#define ROUTE_GROUP(name, table)                                                                   \
    {                                                                                              \
        name, table, sizeof table / sizeof table[0]                                                \
    }

enum router_result { ROUTER_FOUND, ROUTER_NO_PATH, ROUTER_NO_METHOD };

/* Finds the route for r->method and r->path; on ROUTER_FOUND fills
 * r->params with the captures and sets *out. HEAD matches GET routes. */
enum router_result router_match(const struct route *table, size_t n, struct http_req *r,
                                const struct route **out);
/* Whether some route of the table, of any method, has path as its address
 * (no captures kept). */
bool router_addresses(const struct route *table, size_t n, const char *path);

#endif
