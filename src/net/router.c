#include "net/router.h"

#include <string.h>

/* Matches one pattern; captures go into r->param_store when r is not NULL.
 * Returns 1 on match. */
static int router_match_one(const char *pattern, const char *path, struct http_req *r)
{
    size_t used = 0;
    int np = 0;
    while (*pattern && *path) {
        if (*pattern == '{') {
            const char *close = strchr(pattern, '}');
            size_t len = strcspn(path, "/");
            if (!close || !len || np == HTTP_MAX_PARAMS)
                return 0;
            if (r) {
                if (used + len + 1 > sizeof r->param_store)
                    return 0;
                memcpy(r->param_store + used, path, len);
                r->param_store[used + len] = '\0';
                r->params[np] = r->param_store + used;
                used += len + 1;
            }
            np++;
            pattern = close + 1;
            path += len;
            continue;
        }
        if (*pattern++ != *path++)
            return 0;
    }
    return !*pattern && !*path;
}

enum router_result router_match(const struct route *table, size_t n, struct http_req *r,
                                const struct route **out)
{
    enum http_method m = r->method == HTTP_HEAD ? HTTP_GET : r->method;
    enum router_result res = ROUTER_NO_PATH;
    for (size_t i = 0; i < n; i++) {
        if (!router_match_one(table[i].pattern, r->path, r))
            continue;
        if (table[i].method == m) {
            *out = &table[i];
            return ROUTER_FOUND;
        }
        res = ROUTER_NO_METHOD;
    }
    return res;
}

bool router_addresses(const struct route *table, size_t n, const char *path)
{
    for (size_t i = 0; i < n; i++)
        if (router_match_one(table[i].pattern, path, NULL))
            return true;
    return false;
}
