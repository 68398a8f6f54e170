#include "net/http.h"
#include "core/log.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "net/netaddr.h"

#include <arpa/inet.h>
#include <stdatomic.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct http_server {
    struct MHD_Daemon *daemon;
    const struct config *cfg;
    struct app *app;
    http_admit_fn *admit;
    http_dispatch_fn *dispatch;
    struct netaddr_list *trusted_proxies;
    atomic_size_t body_bytes;      /* held by bodies being received (max_body_memory) */
    atomic_size_t anon_body_bytes; /* the part of it held for callers without a session */
};

/* Sent with every response: no framing, no sniffing, only our own scripts. */
static const char *const http_security_headers[][2] = {
    {"Content-Security-Policy",
     "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
     "script-src 'self'; connect-src 'self'; font-src 'self' data:; object-src 'none'; "
     "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"},
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "same-origin"},
};

static const struct {
    const char *name;
    enum http_method method;
} http_methods[] = {
    {"GET", HTTP_GET}, {"HEAD", HTTP_HEAD},   {"POST", HTTP_POST},
    {"PUT", HTTP_PUT}, {"PATCH", HTTP_PATCH}, {"DELETE", HTTP_DELETE},
};

static enum http_method http_method_of(const char *m)
{
    for (size_t i = 0; i < sizeof http_methods / sizeof http_methods[0]; i++)
        if (!strcmp(m, http_methods[i].name))
            return http_methods[i].method;
    return HTTP_OTHER;
}

const char *http_query(struct http_req *r, const char *key)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *http_header(struct http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(struct http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

void http_add_header(struct http_req *r, const char *name, const char *value)
{
    if (r->nheaders == HTTP_MAX_HEADERS) {
        log_error("http: too many response headers for %s", r->path);
        return;
    }
    r->owned_headers[r->nheaders] = xstrdup(value);
    r->headers[r->nheaders][0] = name;
    r->headers[r->nheaders][1] = r->owned_headers[r->nheaders];
    r->nheaders++;
}

static void http_set_body(struct http_req *r, int status, char *body, size_t len, const char *type)
{
    free(r->resp_body);
    r->status = status;
    r->resp_body = body;
    r->resp_len = len;
    r->content_type = type;
}

void http_text(struct http_req *r, int status, const char *content_type, const char *data,
               size_t len)
{
    char *body = xmalloc(len + 1);
    memcpy(body, data, len);
    body[len] = '\0';
    http_set_body(r, status, body, len, content_type);
}

void http_json(struct http_req *r, int status, json_t *json)
{
    if (!json) { /* a json_pack format error or a failed lookup upstream */
        log_error("http: no JSON to send for %s %s", r->method_name, r->path);
        status = 500;
        json = json_pack("{s{ss ss}}", "error", "code", err_code(ERR_INTERNAL), "message",
                         err_message(ERR_INTERNAL));
    }
    size_t len = json_dumpb(json, NULL, 0, JSON_COMPACT | JSON_REAL_PRECISION(10));
    char *body = xmalloc(len + 1);
    json_dumpb(json, body, len, JSON_COMPACT | JSON_REAL_PRECISION(10));
    body[len] = '\0';
    json_decref(json);
    http_set_body(r, status, body, len, "application/json; charset=utf-8");
}

void http_raw_json(struct http_req *r, int status, struct buf *b)
{
    size_t len;
    char *body = buf_detach(b, &len);
    http_set_body(r, status, body, len, "application/json; charset=utf-8");
}

void http_error_json(struct http_req *r, enum err e, const char *message, json_t *extra)
{
    /* A message cut by snprintf may end inside a character; send what is whole. */
    const char *m = message ? message : err_message(e);
    json_t *err = json_pack("{ss so}", "code", err_code(e), "message",
                            json_stringn(m, text_utf8_valid_prefix(m, strlen(m))));
    if (extra)
        json_object_update(err, extra);
    json_decref(extra);
    http_json(r, err_http_status(e), json_pack("{so}", "error", err));
}

void http_error(struct http_req *r, enum err e, const char *message, const char *field)
{
    http_error_json(r, e, message, field ? json_pack("{ss}", "field", field) : NULL);
}

void http_problem(struct http_req *r, const struct problem *p)
{
    http_error(r, p->err, p->message[0] ? p->message : NULL, p->field);
}

int http_temp_file(char path[HTTP_TEMP_PATH], const char *tag)
{
    int n = snprintf(path, HTTP_TEMP_PATH, "/tmp/ecogov-%.24s-", tag);
    memset(path + n, 'X', 6); /* mkstemp's template */
    path[n + 6] = '\0';
    return mkstemp(path);
}

void http_fd(struct http_req *r, int status, int fd, uint64_t size, const char *content_type)
{
    if (r->resp_ready)
        MHD_destroy_response(r->resp_ready);
    r->resp_ready = MHD_create_response_from_fd64(size, fd);
    if (!r->resp_ready) {
        close(fd);
        http_error(r, ERR_INTERNAL, NULL, NULL);
        return;
    }
    r->status = status;
    /* Set on the response now (libmicrohttpd copies it): callers pass types
     * they read from the database into buffers of their own stack frame,
     * which are gone when the response is sent after the handler returns. */
    r->content_type = NULL;
    if (content_type)
        MHD_add_response_header(r->resp_ready, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
}

json_t *http_body_json(struct http_req *r)
{
    if (r->body_json)
        return json_incref(r->body_json);
    const char *type = http_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (type && strncmp(type, "application/json", 16)) {
        http_error(r, ERR_UNSUPPORTED_MEDIA, "请求体须为 application/json", NULL);
        return NULL;
    }
    json_error_t jerr;
    json_t *v =
        json_loadb(r->body.data ? r->body.data : "", r->body.len, JSON_REJECT_DUPLICATES, &jerr);
    if (!v) {
        char msg[256];
        snprintf(msg, sizeof msg, "JSON 格式错误（第 %d 行第 %d 列）：%s", jerr.line, jerr.column,
                 jerr.text);
        http_error(r, ERR_BAD_JSON, msg, NULL);
        return NULL;
    }
    if (!json_is_object(v)) {
        json_decref(v);
        http_error(r, ERR_BAD_JSON, "请求体须为 JSON 对象", NULL);
        return NULL;
    }
    r->body_json = v;
    return json_incref(v);
}

static void http_peer_address(struct MHD_Connection *conn, char *out, size_t size)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, size, "?");
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)size);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)size);
}

static enum MHD_Result http_send(struct http_req *r)
{
    struct MHD_Response *resp = r->resp_ready;
    r->resp_ready = NULL;
    if (!resp) {
        if (!r->status)
            http_error(r, ERR_INTERNAL, NULL, NULL);
        resp = MHD_create_response_from_buffer(r->resp_len, r->resp_body, MHD_RESPMEM_MUST_FREE);
        r->resp_body = NULL;
    }
    if (!resp)
        return MHD_NO;
    for (size_t i = 0; i < sizeof http_security_headers / sizeof http_security_headers[0]; i++)
        MHD_add_response_header(resp, http_security_headers[i][0], http_security_headers[i][1]);
    if (r->content_type)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
    if (!strncmp(r->path, "/api/", 5))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    for (int i = 0; i < r->nheaders; i++)
        MHD_add_response_header(resp, r->headers[i][0], r->headers[i][1]);
    enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

/* The largest declared body of a refused request that is still read (and
 * dropped, never kept) before the refusal is sent; see http_begin. */
#define HTTP_DRAIN_MAX (64 * 1024)

/* Adds n to *counter unless that passes max; whether it did. */
static bool http_budget_take(atomic_size_t *counter, size_t n, size_t max)
{
    size_t old = atomic_fetch_add(counter, n);
    if (old + n <= max)
        return true;
    atomic_fetch_sub(counter, n);
    return false;
}

/* Counts n more bytes of r's body against the server's budget for bodies in
 * flight; false (nothing counted) when the budget cannot hold them. Bodies
 * of callers without a session may hold a quarter of it at most, so an
 * anonymous flood of uploads (a form link's attachments) cannot crowd out
 * the bureau's own uploads and imports. */
static bool http_reserve(struct http_server *s, struct http_req *r, size_t n)
{
    size_t max = (size_t)s->cfg->max_body_memory;
    if (!r->has_session && !http_budget_take(&s->anon_body_bytes, n, max / 4))
        return false;
    if (!http_budget_take(&s->body_bytes, n, max)) {
        if (!r->has_session)
            atomic_fetch_sub(&s->anon_body_bytes, n);
        return false;
    }
    r->body_reserved += n;
    return true;
}

/* Gives r's body memory back (the body has been handled or dropped). */
static void http_release(struct http_server *s, struct http_req *r)
{
    buf_free(&r->body);
    atomic_fetch_sub(&s->body_bytes, r->body_reserved);
    if (!r->has_session)
        atomic_fetch_sub(&s->anon_body_bytes, r->body_reserved);
    r->body_reserved = 0;
}

/* Stops keeping r's body: the rest is read and dropped, and e answered when
 * the request ends. */
static void http_refuse_body(struct http_server *s, struct http_req *r, enum err e)
{
    r->body_refused = e;
    http_release(s, r);
}

static void http_answer_busy(struct http_req *r)
{
    http_add_header(r, "Retry-After", "5");
    http_error(r, ERR_UNAVAILABLE, "服务器繁忙，请稍后重试", NULL);
}

/* A declared Content-Length: 1 and *n when present and a number, 0 when
 * absent, -1 when malformed. */
static int http_content_length(struct http_req *r, unsigned long long *n)
{
    const char *cl = http_header(r, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (!cl)
        return 0;
    char *end;
    *n = strtoull(cl, &end, 10);
    return end != cl && !*end ? 1 : -1;
}

static struct http_req *http_req_new(struct http_server *s, struct MHD_Connection *conn,
                                     const char *url, const char *method)
{
    struct http_req *r = xcalloc(1, sizeof *r);
    r->conn = conn;
    r->app = s->app;
    r->method_name = method;
    r->method = http_method_of(method);
    r->path = url;
    r->start_ms = timeutil_now_ms();
    buf_init(&r->body, 0);
    http_peer_address(conn, r->peer_addr, sizeof r->peer_addr);
    netaddr_client(s->trusted_proxies, r->peer_addr, http_header(r, "X-Forwarded-For"),
                   http_header(r, "X-Real-IP"), r->remote_addr, sizeof r->remote_addr);
    return r;
}

/* The first call, headers only: admission decides whether the body may be
 * read at all (route, method, session, CSRF, rate) and how much of it. A
 * refusal of a request whose body is large or of unknown length, and a body
 * declared over the route's limit or the memory budget, are answered at once:
 * libmicrohttpd then reads none of the body and closes the connection after
 * the answer. */
static enum MHD_Result http_begin(struct http_server *s, struct http_req *r)
{
    unsigned long long declared = 0;
    int has_length = http_content_length(r, &declared);
    bool has_body = (has_length == 1 && declared > 0) || has_length < 0 ||
                    http_header(r, MHD_HTTP_HEADER_TRANSFER_ENCODING);
    s->admit(r);
    if (r->status || r->resp_ready) {
        r->decided = true;
        /* A small declared body is read and dropped so the client surely
         * sees the answer (a socket closed with unread data is reset, and
         * the reset can destroy the answer before the client reads it);
         * anything larger, or of unknown length, is never read. */
        bool small = has_length == 1 && declared <= HTTP_DRAIN_MAX;
        return has_body && !small ? http_send(r) : MHD_YES;
    }
    if (has_length == 1 && declared > r->body_limit) {
        r->decided = true;
        http_error(r, ERR_BODY_TOO_LARGE, NULL, NULL);
        return http_send(r);
    }
    if (has_length == 1 && declared && !http_reserve(s, r, (size_t)declared)) {
        r->decided = true;
        http_answer_busy(r);
        return http_send(r);
    }
    return MHD_YES;
}

/* A piece of the body: kept while within the route's limit and the budget,
 * else dropped. A body that goes on past the largest any route takes (a
 * chunked upload that never ends) closes the connection. */
static enum MHD_Result http_body_piece(struct http_server *s, struct http_req *r, const char *data,
                                       size_t n)
{
    size_t ceiling =
        (size_t)(s->cfg->max_upload > s->cfg->max_body ? s->cfg->max_upload : s->cfg->max_body);
    r->body_seen += n;
    if (r->body_seen > ceiling) {
        log_warn("http: %s sent a body past %zu bytes to %s; connection closed", r->remote_addr,
                 ceiling, r->path);
        r->status = 413;
        return MHD_NO;
    }
    if (r->decided || r->body_refused)
        return MHD_YES;
    if (r->body_seen > r->body_limit) {
        http_refuse_body(s, r, ERR_BODY_TOO_LARGE);
        return MHD_YES;
    }
    size_t have = r->body_reserved > r->body.len ? r->body_reserved - r->body.len : 0;
    if (n > have && !http_reserve(s, r, n - have)) {
        http_refuse_body(s, r, ERR_UNAVAILABLE);
        return MHD_YES;
    }
    buf_append(&r->body, data, n);
    return MHD_YES;
}

static enum MHD_Result http_access(void *cls, struct MHD_Connection *conn, const char *url,
                                   const char *method, const char *version, const char *upload_data,
                                   size_t *upload_data_size, void **con_cls)
{
    struct http_server *s = cls;
    struct http_req *r = *con_cls;
    if (!r) {
        *con_cls = r = http_req_new(s, conn, url, method);
        return http_begin(s, r);
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        return http_body_piece(s, r, upload_data, n);
    }
    if (!r->decided) {
        if (r->body_refused == ERR_UNAVAILABLE)
            http_answer_busy(r);
        else if (r->body_refused)
            http_error(r, r->body_refused, NULL, NULL);
        else
            s->dispatch(r);
    }
    http_release(s, r);
    return http_send(r);
}

/* Path and user agent as quoted fields: quotes and backslashes escaped here,
 * control characters by the logger, so no request can forge a line. */
static void http_log_access(const struct http_req *r, enum MHD_RequestTerminationCode toe)
{
    char path[1024], agent[256];
    text_escape(r->path, strlen(r->path), path, sizeof path, "\"\\ ");
    const char *ua = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "User-Agent");
    text_escape(ua ? ua : "-", strlen(ua ? ua : "-"), agent, sizeof agent, "\"\\");
    bool via = strcmp(r->remote_addr, r->peer_addr) != 0;
    log_info("access %s %s \"%s\" %d %zu %lldms %s \"%s\"%s%s%s", r->remote_addr, r->method_name,
             path, r->status, r->resp_len, (long long)(timeutil_now_ms() - r->start_ms),
             r->has_session ? r->session.user.username : "-", agent, via ? " via " : "",
             via ? r->peer_addr : "",
             toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
}

static void http_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                           enum MHD_RequestTerminationCode toe)
{
    struct http_server *s = cls;
    struct http_req *r = *con_cls;
    if (!r)
        return;
    http_log_access(r, toe);
    if (r->resp_ready)
        MHD_destroy_response(r->resp_ready);
    free(r->resp_body);
    for (int i = 0; i < r->nheaders; i++)
        free(r->owned_headers[i]);
    http_release(s, r);
    json_decref(r->body_json);
    free(r);
    *con_cls = NULL;
}

static int http_bind_address(const struct config *cfg, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, cfg->listen, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)cfg->http_port);
        return AF_INET;
    }
    if (inet_pton(AF_INET6, cfg->listen, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)cfg->http_port);
        return AF_INET6;
    }
    return -1;
}

struct http_server *http_start(const struct config *cfg, struct app *app, http_admit_fn *admit,
                               http_dispatch_fn *dispatch, int *port)
{
    struct sockaddr_storage ss;
    int family = http_bind_address(cfg, &ss);
    if (family < 0) {
        log_error("http: option 'listen' is not an IPv4 or IPv6 address: %s", cfg->listen);
        return NULL;
    }
    char err[200];
    struct netaddr_list *proxies = netaddr_list_parse(cfg->trusted_proxies, err, sizeof err);
    if (!proxies) {
        log_error("http: option 'trusted_proxies': %s", err);
        return NULL;
    }
    struct http_server *s = xcalloc(1, sizeof *s);
    s->cfg = cfg;
    s->app = app;
    s->admit = admit;
    s->dispatch = dispatch;
    s->trusted_proxies = proxies;
    atomic_init(&s->body_bytes, 0);
    atomic_init(&s->anon_body_bytes, 0);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG | (family == AF_INET6 ? MHD_USE_IPv6 : 0);
    s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, http_access, s, MHD_OPTION_SOCK_ADDR,
                                 (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
                                 (unsigned)cfg->threads, MHD_OPTION_CONNECTION_LIMIT,
                                 (unsigned)cfg->max_connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
                                 (unsigned)cfg->per_ip_connections, MHD_OPTION_CONNECTION_TIMEOUT,
                                 (unsigned)cfg->conn_timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
                                 (size_t)64 * 1024, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1,
                                 MHD_OPTION_NOTIFY_COMPLETED, http_completed, s, MHD_OPTION_END);
    if (!s->daemon) {
        log_error("http: cannot listen on %s:%ld", cfg->listen, cfg->http_port);
        netaddr_list_free(s->trusted_proxies);
        free(s);
        return NULL;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    *port = di ? di->port : (int)cfg->http_port;
    return s;
}

void http_stop(struct http_server *s)
{
    if (!s)
        return;
    MHD_quiesce_daemon(s->daemon);
    MHD_stop_daemon(s->daemon);
    netaddr_list_free(s->trusted_proxies);
    free(s);
}
