/* http — the HTTP server: libmicrohttpd glue, one request context per
 * request, body accumulation with a cap, responses with security headers,
 * the access log and graceful shutdown.
 *
 * Owns: the MHD daemon and every struct http_req. Dispatches each complete
 * request to the router (net/router.h) or to static files (net/static_files.h).
 * Must not: know any route or business rule. */
#ifndef ECOGOV_HTTP_H
#define ECOGOV_HTTP_H

#include "core/buf.h"
#include "core/config.h"
#include "core/err.h"
#include "core/problem.h"
#include "db/users.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct MHD_Connection;
struct MHD_Response;
struct app;
struct route;

#define HTTP_MAX_PARAMS 4
#define HTTP_MAX_HEADERS 8

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_PUT, HTTP_PATCH, HTTP_DELETE, HTTP_OTHER };

struct http_req {
    struct MHD_Connection *conn;
    struct app *app;
    struct db *db; /* this worker thread's connection */
    enum http_method method;
    const char *method_name;
    const char *path;
    char remote_addr[64]; /* the client: the peer, or what trusted proxies forwarded */
    char peer_addr[64];   /* the socket's peer */
    /* The body. The admission step (http_admit_fn) sets body_limit before a
     * byte is read; bytes past it, or past the server's memory budget for
     * bodies, are dropped and body_refused says why. */
    struct buf body;
    size_t body_limit;
    size_t body_seen;     /* bytes received, kept or dropped */
    size_t body_reserved; /* bytes counted against max_body_memory */
    enum err body_refused;
    json_t *body_json;         /* the body parsed once (http_body_json), or NULL */
    bool decided;              /* answered at admission; the dispatch step is skipped */
    const struct route *route; /* the route admission matched, or NULL */
    /* route captures, NUL-terminated copies */
    const char *params[HTTP_MAX_PARAMS];
    char param_store[256];
    /* the caller, once authenticated */
    bool has_session;
    struct session session;
    /* the response being built */
    int status;
    char *resp_body;
    size_t resp_len;
    const char *content_type;
    const char *headers[HTTP_MAX_HEADERS][2];
    char *owned_headers[HTTP_MAX_HEADERS];
    int nheaders;
    struct MHD_Response *resp_ready; /* a prepared response (files) */
    int64_t start_ms;
};

/* Query-string value or NULL. */
const char *http_query(struct http_req *r, const char *key);
/* Request header value or NULL. */
const char *http_header(struct http_req *r, const char *name);
/* Cookie value or NULL. */
const char *http_cookie(struct http_req *r, const char *name);

/* Response builders. json is stolen. */
void http_json(struct http_req *r, int status, json_t *json);
/* Sends len bytes of data (copied) as content_type (a static string). */
void http_text(struct http_req *r, int status, const char *content_type, const char *data,
               size_t len);
/* Sends already-encoded JSON; takes the buffer's bytes (b is left empty). */
void http_raw_json(struct http_req *r, int status, struct buf *b);
/* {"error":{"code","message","field"}}; message NULL = the table's default. */
void http_error(struct http_req *r, enum err e, const char *message, const char *field);
void http_error_json(struct http_req *r, enum err e, const char *message, json_t *extra);
/* Answers a module's refusal (its message, or the table's default when empty). */
void http_problem(struct http_req *r, const struct problem *p);
/* Adds a response header (value copied). */
void http_add_header(struct http_req *r, const char *name, const char *value);
/* Creates an empty private file for a generated download (an export the
 * library can only write to a path) under /tmp, named after tag; path must
 * hold HTTP_TEMP_PATH bytes. Returns an open descriptor, or -1. The caller
 * unlinks the path once it has reopened the file for http_fd. */
#define HTTP_TEMP_PATH 64
int http_temp_file(char path[HTTP_TEMP_PATH], const char *tag);
/* Serves an open file descriptor (taken over) of size bytes as content_type
 * (copied at once: it may live on the caller's stack). */
void http_fd(struct http_req *r, int status, int fd, uint64_t size, const char *content_type);

/* Parses the body as a JSON object (rejecting duplicate keys, invalid UTF-8
 * and NUL); on failure answers 400/415 itself and returns NULL. The result
 * is a new reference; the body is parsed once per request. */
json_t *http_body_json(struct http_req *r);

struct http_server;

/* Called once per request when its headers have arrived and before any of
 * its body is read: either answers r (a refusal: the body is then never
 * read) or sets r->body_limit (0 = no body allowed). */
typedef void http_admit_fn(struct http_req *r);
/* Called for every complete request admission let through; must leave a
 * response in r. */
typedef void http_dispatch_fn(struct http_req *r);

/* Starts listening per cfg; *port gets the bound port. NULL on failure
 * (logged, e.g. a trusted_proxies entry that is not a network). */
struct http_server *http_start(const struct config *cfg, struct app *app, http_admit_fn *admit,
                               http_dispatch_fn *dispatch, int *port);
/* Stops accepting, finishes in-flight requests, frees everything. */
void http_stop(struct http_server *s);

#endif
