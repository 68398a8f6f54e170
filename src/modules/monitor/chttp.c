/* chttp — the ClickHouse HTTP interface (see chttp.h). */
#include "modules/monitor/chttp.h"
#include "core/xalloc.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHTTP_MAX_REPLY (64u << 20)

static pthread_once_t chttp_once = PTHREAD_ONCE_INIT;
static pthread_key_t chttp_key;
static bool chttp_ready;
/* The endpoint tried first: moved on past one that failed. */
static _Atomic int chttp_first;

static void chttp_handle_free(void *h)
{
    curl_easy_cleanup(h);
}

/* curl_global_init is not thread safe: once per process. Each thread keeps one handle, so
 * its connections to the cluster are kept alive between requests. */
static void chttp_global_init(void)
{
    chttp_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK &&
                  pthread_key_create(&chttp_key, chttp_handle_free) == 0;
}

static CURL *chttp_handle(void)
{
    pthread_once(&chttp_once, chttp_global_init);
    if (!chttp_ready)
        return NULL;
    CURL *h = pthread_getspecific(chttp_key);
    if (!h && (h = curl_easy_init()) && pthread_setspecific(chttp_key, h)) {
        curl_easy_cleanup(h);
        h = NULL;
    }
    if (h)
        curl_easy_reset(h);
    return h;
}

static int chttp_name_ok(const char *s)
{
    if (!*s || strlen(s) >= 64)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return 0;
    return 1;
}

int chttp_conf_parse(struct chttp_conf *c, const char *urls, const char *user, const char *password,
                     const char *database, const char *cluster, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    c->timeout = 10;
    if (!chttp_name_ok(database) || !chttp_name_ok(cluster)) {
        snprintf(err, errlen,
                 "clickhouse_database and clickhouse_cluster must be 1-63 letters, digits or _");
        return -1;
    }
    snprintf(c->database, sizeof c->database, "%s", database);
    snprintf(c->cluster, sizeof c->cluster, "%s", cluster);
    const char *p = urls;
    while (*p) {
        size_t n = strcspn(p, ",");
        while (n && (*p == ' '))
            p++, n--;
        size_t m = n;
        while (m && (p[m - 1] == ' ' || p[m - 1] == '/'))
            m--;
        if (m) {
            if (c->nurls == CHTTP_MAX_URLS ||
                (strncmp(p, "http://", 7) && strncmp(p, "https://", 8))) {
                snprintf(err, errlen, "clickhouse_urls: at most %d http(s):// endpoints",
                         CHTTP_MAX_URLS);
                chttp_conf_free(c);
                return -1;
            }
            c->urls[c->nurls++] = xstrndup(p, m);
        }
        p += n;
        if (*p == ',')
            p++;
    }
    if (!c->nurls) {
        snprintf(err, errlen, "clickhouse_urls is empty (one or more http://host:port)");
        return -1;
    }
    c->user = xstrdup(user);
    c->password = xstrdup(password);
    return 0;
}

void chttp_conf_free(struct chttp_conf *c)
{
    for (int i = 0; i < c->nurls; i++)
        free(c->urls[i]);
    free(c->user);
    free(c->password);
    memset(c, 0, sizeof *c);
}

struct chttp_sink {
    struct buf *out;
    struct buf *err; /* the reply of a failed request, for its message */
    bool too_large;
};

static size_t chttp_write(char *data, size_t size, size_t n, void *ctx)
{
    struct chttp_sink *s = ctx;
    size_t len = size * n;
    struct buf *b = s->out ? s->out : s->err;
    if (b->len + len > CHTTP_MAX_REPLY || buf_append(b, data, len)) {
        s->too_large = true;
        return 0;
    }
    return len;
}

/* One request to one endpoint. */
static int chttp_once_at(CURL *h, const struct chttp_conf *c, int at, const char *settings,
                         const char *sql, const char *data, size_t len, struct buf *out, char *err,
                         size_t errlen)
{
    char *q = curl_easy_escape(h, sql, 0);
    if (!q) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    struct buf url, reply;
    buf_init(&url, 0);
    buf_init(&reply, 64 << 10);
    buf_printf(&url, "%s/?database=%s&query=%s%s%s", c->urls[at], c->database, q,
               settings ? "&" : "", settings ? settings : "");
    curl_free(q);
    size_t out_len = out ? out->len : 0;
    struct chttp_sink sink = {out, &reply, false};
    char curl_err[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(h, CURLOPT_URL, url.data);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, data ? data : "");
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(data ? len : 0));
    curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
    curl_easy_setopt(h, CURLOPT_PASSWORD, c->password);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, c->timeout);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, c->timeout < 2 ? c->timeout : 2L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "ecogov-readings/1");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, chttp_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_err);
    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    int ret = 0;
    if (rc != CURLE_OK) {
        snprintf(err, errlen, "%s: %s", c->urls[at],
                 sink.too_large ? "reply larger than allowed"
                 : *curl_err    ? curl_err
                                : curl_easy_strerror(rc));
        ret = -1;
    } else if (status != 200) {
        /* ClickHouse's message: "Code: N, e.displayText() = DB::Exception: ..." */
        struct buf *b = out ? out : &reply;
        size_t from = out ? out_len : 0, n = b->len - from;
        const char *m = b->data ? b->data + from : "";
        while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
            n--;
        snprintf(err, errlen, "%s: HTTP %ld: %.*s", c->urls[at], status, (int)(n > 300 ? 300 : n),
                 m);
        ret = status >= 500 || status == 0 ? -1 : -2;
    }
    if (ret && out)
        out->len = out_len;
    buf_free(&url);
    buf_free(&reply);
    return ret;
}

int chttp_run(const struct chttp_conf *c, int at, const char *settings, const char *sql,
              const char *data, size_t len, struct buf *out, char *err, size_t errlen)
{
    CURL *h = chttp_handle();
    if (!h) {
        snprintf(err, errlen, "libcurl could not be initialised");
        return -1;
    }
    if (at >= 0)
        return chttp_once_at(h, c, at % c->nurls, settings, sql, data, len, out, err, errlen) ? -1
                                                                                              : 0;
    int first = atomic_load(&chttp_first) % c->nurls;
    for (int k = 0; k < c->nurls; k++) {
        int i = (first + k) % c->nurls;
        int rc = chttp_once_at(h, c, i, settings, sql, data, len, out, err, errlen);
        if (!rc) {
            if (k)
                atomic_store(&chttp_first, i);
            return 0;
        }
        if (rc == -2) /* the statement itself was refused: another server says the same */
            return -1;
    }
    return -1;
}

int chttp_put_literal(struct buf *b, const char *s)
{
    int rc = buf_putc(b, '\'');
    for (; *s && !rc; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '\\' || ch == '\'')
            rc = buf_putc(b, '\\') || buf_putc(b, (char)ch);
        else if (ch < 32 || ch == 127)
            rc = buf_printf(b, "\\x%02X", ch);
        else
            rc = buf_putc(b, (char)ch);
    }
    return rc || buf_putc(b, '\'');
}

int chttp_put_field(struct buf *b, const char *s, size_t len)
{
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        const char *esc = NULL;
        switch (s[i]) {
        case '\\':
            esc = "\\\\";
            break;
        case '\t':
            esc = "\\t";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        case '\0':
            esc = "\\0";
            break;
        case '\b':
            esc = "\\b";
            break;
        case '\f':
            esc = "\\f";
            break;
        default:
            continue;
        }
        if (buf_append(b, s + run, i - run) || buf_puts(b, esc))
            return -1;
        run = i + 1;
    }
    return buf_append(b, s + run, len - run);
}

/* Unescapes a TabSeparated field in place; returns its new length. */
static size_t chttp_unescape(char *f, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (f[i] != '\\' || i + 1 == n) {
            f[k++] = f[i];
            continue;
        }
        char e = f[++i];
        f[k++] = e == 't'   ? '\t'
                 : e == 'n' ? '\n'
                 : e == 'r' ? '\r'
                 : e == '0' ? '\0'
                 : e == 'b' ? '\b'
                 : e == 'f' ? '\f'
                            : e;
    }
    f[k] = '\0';
    return k;
}

int chttp_next_row(char *text, size_t len, size_t *pos, char **fields, size_t *lens, int max)
{
    if (*pos >= len)
        return 0;
    char *line = text + *pos;
    char *end = memchr(line, '\n', len - *pos);
    size_t n = end ? (size_t)(end - line) : len - *pos;
    *pos += n + 1;
    int nf = 0;
    size_t start = 0;
    for (size_t i = 0; i <= n && nf < max; i++) {
        if (i < n && line[i] != '\t')
            continue;
        fields[nf] = line + start;
        lens[nf] = chttp_unescape(line + start, i - start);
        nf++;
        start = i + 1;
    }
    return nf;
}
