/* fetch — one bounded HTTP(S) GET with libcurl (see fetch.h). */
#include "net/fetch.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;
static bool fetch_ready;

/* curl_global_init is not thread safe: once per process. */
static void fetch_global_init(void)
{
    fetch_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

struct fetch_sink {
    struct buf *out;
    size_t max;
    bool too_large;
};

static size_t fetch_write(char *data, size_t size, size_t n, void *ctx)
{
    struct fetch_sink *s = ctx;
    size_t len = size * n;
    if (s->out->len + len > s->max || buf_append(s->out, data, len)) {
        s->too_large = true;
        return 0; /* aborts the transfer */
    }
    return len;
}

int fetch_get(const char *url, size_t max_bytes, long timeout_seconds, struct buf *out,
              long *status, char *err, size_t errlen)
{
    pthread_once(&fetch_once, fetch_global_init);
    if (!fetch_ready) {
        snprintf(err, errlen, "libcurl could not be initialised");
        return -1;
    }
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(err, errlen, "libcurl could not be initialised");
        return -1;
    }
    struct fetch_sink sink = {out, max_bytes, false};
    char curl_err[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_seconds);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout_seconds < 10 ? timeout_seconds : 10L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "ecogov-region/1");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, fetch_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
        snprintf(err, errlen, "%s",
                 sink.too_large ? "response larger than allowed"
                 : *curl_err    ? curl_err
                                : curl_easy_strerror(rc));
        curl_easy_cleanup(c);
        return -1;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
    curl_easy_cleanup(c);
    return 0;
}
